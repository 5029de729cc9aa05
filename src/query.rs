//! The search query language, parsed into a tree.
//!
//! ```text
//! speed trust              both words (AND is implied between terms)
//! speed OR quick*          either; `*` at the end of a word is a prefix
//! "straight away"          a phrase; "spend money"~2 allows 2 words between
//! budgit~  budgit~2        fuzzy: within 1 (or 2) edits
//! trust NOT (police OR court)   -police is the same as NOT police
//! site:Northbrook speaker:SW2 role:"social worker" doc:nb-fg-*   field filters
//! exact:budgets            this word unstemmed (see --exact for all words)
//! ```
//! `AND`, `OR` and `NOT` must be written in capitals; in lower case they are
//! ordinary words. This module only parses; [`crate::search`] turns the tree
//! into an index query and finds the occurrences.
//!
//! Brackets and `NOT` (or `-`, `+`) may nest at most [`MAX_DEPTH`] deep:
//! the parser, the compiler and tantivy's query each recurse once per level,
//! and a query is user data (a code's keywords too), so thousands of levels
//! would overflow the stack.

use crate::error::{Error, Result};

/// The deepest brackets and `NOT`, `-` or `+` may nest in a query.
pub const MAX_DEPTH: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// All of these.
    And(Vec<Node>),
    /// Any of these.
    Or(Vec<Node>),
    /// Not this (only meaningful beside something positive).
    Not(Box<Node>),
    /// A word, matched stemmed unless `exact`.
    Word {
        /// The word as typed.
        text: String,
        /// Forced unstemmed by `exact:`.
        exact: bool,
        /// 1-based column.
        column: usize,
    },
    /// A quoted phrase.
    Phrase {
        /// The words between the quotes.
        text: String,
        /// Extra words allowed between the phrase's words (`"a b"~2`).
        slop: u32,
        /// Forced unstemmed by `exact:`.
        exact: bool,
        /// 1-based column.
        column: usize,
    },
    /// A word prefix (`budg*`), matched unstemmed.
    Prefix {
        /// The letters before the `*`.
        text: String,
        /// 1-based column.
        column: usize,
    },
    /// A fuzzy word (`budgit~1`), matched unstemmed.
    Fuzzy {
        /// The word.
        text: String,
        /// Largest edit distance (1 or 2).
        distance: u8,
        /// 1-based column.
        column: usize,
    },
    /// A field filter such as `site:Northbrook`.
    Field {
        /// The field name, lower-cased.
        key: String,
        /// The value (quotes removed).
        value: String,
        /// The value ended with `*`.
        prefix: bool,
        /// 1-based column of the field name.
        column: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Plus,
    /// A word or `key:value`; raw text as typed.
    Word(String),
    /// A quoted phrase, with `~N` slop and optional `key:` before it.
    Phrase(Option<String>, String, u32),
}

/// Parses `query` into a tree, or returns an error with the column at fault.
pub fn parse(query: &str) -> Result<Node> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Err(err(
            query,
            1,
            "the query is empty: give a word or a \"phrase\" to search for",
        ));
    }
    let mut p = Parser {
        query,
        tokens,
        pos: 0,
        depth: 0,
    };
    let node = p.or()?;
    if let Some((tok, col)) = p.tokens.get(p.pos) {
        let what = match tok {
            Tok::Close => "`)` has no matching `(`".to_string(),
            _ => "unexpected text".to_string(),
        };
        return Err(err(query, *col, &what));
    }
    Ok(node)
}

fn err(query: &str, column: usize, message: &str) -> Error {
    Error::Query {
        query: query.to_string(),
        column,
        message: message.to_string(),
    }
}

fn lex(query: &str) -> Result<Vec<(Tok, usize)>> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push((Tok::Open, col));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, col));
                i += 1;
            }
            '"' => {
                let (text, slop, next) = phrase(query, &chars, i)?;
                out.push((Tok::Phrase(None, text, slop), col));
                i = next;
            }
            '-' | '+'
                if i + 1 < chars.len()
                    && !chars[i + 1].is_whitespace()
                    && (i == 0 || boundary(chars[i - 1])) =>
            {
                out.push((if c == '-' { Tok::Not } else { Tok::Plus }, col));
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '(' | ')' | '"')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // `key:"a phrase"`
                if word.ends_with(':')
                    && i < chars.len()
                    && chars[i] == '"'
                    && is_key(&word[..word.len() - 1])
                {
                    let (text, slop, next) = phrase(query, &chars, i)?;
                    out.push((
                        Tok::Phrase(Some(word[..word.len() - 1].to_lowercase()), text, slop),
                        col,
                    ));
                    i = next;
                    continue;
                }
                let tok = match word.as_str() {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word),
                };
                out.push((tok, col));
            }
        }
    }
    Ok(out)
}

fn boundary(c: char) -> bool {
    c.is_whitespace() || c == '('
}

/// Lexes a phrase starting at the quote `chars[i]`; returns text, slop, next index.
fn phrase(query: &str, chars: &[char], i: usize) -> Result<(String, u32, usize)> {
    let close = chars[i + 1..]
        .iter()
        .position(|&c| c == '"')
        .ok_or_else(|| err(query, i + 1, "this `\"` is never closed"))?;
    let text: String = chars[i + 1..i + 1 + close].iter().collect();
    let mut next = i + close + 2;
    let mut slop = 0;
    if next < chars.len() && chars[next] == '~' {
        let digits: String = chars[next + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        slop = digits.parse().map_err(|_| {
            err(
                query,
                next + 1,
                "`~` after a phrase needs a number of words, e.g. \"spend money\"~2",
            )
        })?;
        next += 1 + digits.len();
    }
    Ok((text, slop, next))
}

fn is_key(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

struct Parser<'q> {
    query: &'q str,
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    /// Brackets and unary operators open around the current token.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.query.chars().count() + 1, |(_, c)| *c)
    }

    /// Goes one level deeper for the bracket or operator at `column`, or
    /// refuses to go past [`MAX_DEPTH`]; [`Parser::leave`] comes back up.
    fn enter(&mut self, column: usize) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(err(
                self.query,
                column,
                &format!(
                    "brackets and NOT are nested more than {MAX_DEPTH} deep here: write the query flatter"
                ),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn or(&mut self) -> Result<Node> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            if !self.starts_term() {
                return Err(err(self.query, self.column(), "`OR` needs a term after it"));
            }
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn starts_term(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Open | Tok::Not | Tok::Plus | Tok::Word(_) | Tok::Phrase(..))
        )
    }

    fn and(&mut self) -> Result<Node> {
        if !self.starts_term() {
            let message = match self.peek() {
                Some(Tok::Or) => "`OR` needs a term before it",
                Some(Tok::And) => "`AND` needs a term before it",
                Some(Tok::Close) => "`)` has no matching `(`, or the brackets are empty",
                _ => "a term is missing here",
            };
            return Err(err(self.query, self.column(), message));
        }
        let mut items = vec![self.unary()?];
        loop {
            if self.peek() == Some(&Tok::And) {
                self.pos += 1;
                if !self.starts_term() {
                    return Err(err(
                        self.query,
                        self.column(),
                        "`AND` needs a term after it",
                    ));
                }
            } else if !self.starts_term() {
                break;
            }
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::And(items)
        })
    }

    fn unary(&mut self) -> Result<Node> {
        match self.peek() {
            Some(Tok::Not) => {
                self.enter(self.column())?;
                self.pos += 1;
                if !self.starts_term() {
                    return Err(err(
                        self.query,
                        self.column(),
                        "`NOT` needs a term after it",
                    ));
                }
                let node = Node::Not(Box::new(self.unary()?));
                self.leave();
                Ok(node)
            }
            Some(Tok::Plus) => {
                self.enter(self.column())?;
                self.pos += 1;
                let node = self.unary()?;
                self.leave();
                Ok(node)
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node> {
        let (tok, column) = self.tokens[self.pos].clone();
        self.pos += 1;
        match tok {
            Tok::Open => {
                self.enter(column)?;
                let node = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(err(self.query, column, "this `(` is never closed"));
                }
                self.pos += 1;
                self.leave();
                Ok(node)
            }
            Tok::Phrase(None, text, slop) => Ok(Node::Phrase {
                text,
                slop,
                exact: false,
                column,
            }),
            Tok::Phrase(Some(key), text, slop) if key == "exact" => Ok(Node::Phrase {
                text,
                slop,
                exact: true,
                column,
            }),
            Tok::Phrase(Some(key), value, _) => Ok(Node::Field {
                key,
                value,
                prefix: false,
                column,
            }),
            Tok::Word(word) => self.word(&word, column),
            _ => Err(err(self.query, column, "a term is missing here")),
        }
    }

    fn word(&self, word: &str, column: usize) -> Result<Node> {
        if let Some((key, value)) = word.split_once(':')
            && is_key(key)
            && !value.is_empty()
        {
            let key = key.to_lowercase();
            if key == "exact" {
                return Ok(Node::Word {
                    text: value.to_string(),
                    exact: true,
                    column,
                });
            }
            let (value, prefix) = match value.strip_suffix('*') {
                Some(v) => (v, true),
                None => (value, false),
            };
            if value.contains('*') {
                return Err(err(
                    self.query,
                    column,
                    "`*` is only allowed at the end of a value",
                ));
            }
            return Ok(Node::Field {
                key,
                value: value.to_string(),
                prefix,
                column,
            });
        }
        if let Some(stem) = word.strip_suffix('*') {
            if stem.is_empty() || stem.contains('*') {
                return Err(err(
                    self.query,
                    column,
                    "`*` needs letters before it (prefix search, e.g. budg*)",
                ));
            }
            return Ok(Node::Prefix {
                text: stem.to_string(),
                column,
            });
        }
        if word.contains('*') {
            return Err(err(
                self.query,
                column,
                "`*` is only allowed at the end of a word (prefix search, e.g. budg*)",
            ));
        }
        if let Some((text, dist)) = word.rsplit_once('~') {
            let distance = match dist {
                "" => 1,
                d => d
                    .parse::<u8>()
                    .ok()
                    .filter(|d| (1..=2).contains(d))
                    .ok_or_else(|| {
                        err(
                            self.query,
                            column + text.chars().count(),
                            "fuzzy distance after `~` must be 1 or 2",
                        )
                    })?,
            };
            if text.is_empty() {
                return Err(err(
                    self.query,
                    column,
                    "`~` needs a word before it (fuzzy search, e.g. budgit~)",
                ));
            }
            return Ok(Node::Fuzzy {
                text: text.to_string(),
                distance,
                column,
            });
        }
        Ok(Node::Word {
            text: word.to_string(),
            exact: false,
            column,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, column: usize) -> Node {
        Node::Word {
            text: text.into(),
            exact: false,
            column,
        }
    }

    fn error(q: &str) -> (usize, String) {
        match parse(q).unwrap_err() {
            Error::Query {
                column, message, ..
            } => (column, message),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn precedence_and_implicit_and() {
        assert_eq!(
            parse("a b OR c").unwrap(),
            Node::Or(vec![Node::And(vec![w("a", 1), w("b", 3)]), w("c", 8)])
        );
        assert_eq!(
            parse("a AND (b OR c)").unwrap(),
            Node::And(vec![w("a", 1), Node::Or(vec![w("b", 8), w("c", 13)])])
        );
        assert_eq!(
            parse("trust -police").unwrap(),
            Node::And(vec![w("trust", 1), Node::Not(Box::new(w("police", 8)))])
        );
        assert_eq!(parse("well-being").unwrap(), w("well-being", 1));
        assert_eq!(
            parse("or and not").unwrap(),
            Node::And(vec![w("or", 1), w("and", 4), w("not", 8)])
        );
    }

    #[test]
    fn phrases_prefixes_fuzzy_and_fields() {
        assert_eq!(
            parse("\"straight away\"~1 OR quick*").unwrap(),
            Node::Or(vec![
                Node::Phrase {
                    text: "straight away".into(),
                    slop: 1,
                    exact: false,
                    column: 1
                },
                Node::Prefix {
                    text: "quick".into(),
                    column: 22
                }
            ])
        );
        assert_eq!(
            parse("budgit~2").unwrap(),
            Node::Fuzzy {
                text: "budgit".into(),
                distance: 2,
                column: 1
            }
        );
        assert_eq!(
            parse("role:\"social worker\"").unwrap(),
            Node::Field {
                key: "role".into(),
                value: "social worker".into(),
                prefix: false,
                column: 1
            }
        );
        assert_eq!(
            parse("Site:North*").unwrap(),
            Node::Field {
                key: "site".into(),
                value: "North".into(),
                prefix: true,
                column: 1
            }
        );
        assert_eq!(
            parse("exact:budgets").unwrap(),
            Node::Word {
                text: "budgets".into(),
                exact: true,
                column: 1
            }
        );
        // A colon not after a plain key is part of the word.
        assert_eq!(parse("10:30").unwrap(), w("10:30", 1));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(
            error("speed \"straight away"),
            (7, "this `\"` is never closed".into())
        );
        assert_eq!(
            error("(speed OR trust"),
            (1, "this `(` is never closed".into())
        );
        assert_eq!(error("speed)"), (6, "`)` has no matching `(`".into()));
        assert_eq!(error("speed OR"), (9, "`OR` needs a term after it".into()));
        assert_eq!(error("OR speed"), (1, "`OR` needs a term before it".into()));
        assert_eq!(error("NOT"), (4, "`NOT` needs a term after it".into()));
        assert_eq!(error("   ").0, 1);
        assert_eq!(error("bu*dget").0, 1);
        assert_eq!(
            error("x budget~3"),
            (9, "fuzzy distance after `~` must be 1 or 2".into())
        );
        assert_eq!(error("\"a b\"~x").0, 6);
    }

    #[test]
    fn nesting_is_limited_and_the_error_points_at_the_level_too_deep() {
        let at_limit = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(parse(&at_limit).unwrap(), w("a", MAX_DEPTH + 1));
        let nots = format!("{}a", "NOT ".repeat(MAX_DEPTH));
        assert!(parse(&nots).is_ok());
        let mixed = format!(
            "x {}a{}",
            "-(".repeat(MAX_DEPTH / 2),
            ")".repeat(MAX_DEPTH / 2)
        );
        assert!(parse(&mixed).is_ok());

        let deep = format!("{}a{}", "(".repeat(8000), ")".repeat(8000));
        let (column, message) = error(&deep);
        assert_eq!(column, MAX_DEPTH + 1);
        assert!(message.starts_with("brackets and NOT are nested more than 64 deep"));
        let nots = format!("{}a", "NOT ".repeat(30_000));
        assert_eq!(error(&nots).0, 4 * MAX_DEPTH + 1);
        let signs = format!("{}a", "-(+(".repeat(MAX_DEPTH));
        assert_eq!(error(&signs).0, MAX_DEPTH + 1);
    }
}
