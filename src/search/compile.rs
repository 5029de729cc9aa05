//! Compiling a parsed query ([`crate::query::Node`]) and the search options
//! into a tantivy query that selects the matching turns, and gathering the
//! query's positive terms ([`Leaf`]s) to find in each turn's text.
//!
//! Filters on case attributes, which the index does not hold, become a set
//! of document ids; `--speaker` globs become regular expressions over the
//! speaker and role fields.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::SearchOptions;
use super::occurrences::Leaf;
use crate::analysis;
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::index::{Fields, Index, attr_term};
use crate::query::Node;

/// A compiled query: the index query and the leaves to highlight.
pub(super) struct Compiled {
    pub(super) query: Box<dyn Query>,
    pub(super) leaves: Vec<Leaf>,
}

impl Index {
    /// Returns a query for the turns of the documents that pass `keep`:
    /// how filters on case attributes, which the index does not hold, work.
    fn documents_where(&self, keep: impl Fn(&crate::corpus::DocSummary) -> bool) -> Box<dyn Query> {
        let terms: Vec<Term> = self
            .documents()
            .filter(|d| keep(d))
            .map(|d| Term::from_field_text(self.fields.doc, &d.id))
            .collect();
        Box::new(TermSetQuery::new(terms))
    }

    /// Compiles the query `text`, parsed into `node`, with the filters and
    /// speaker of `opts`.
    pub(super) fn compile(
        &self,
        text: &str,
        node: &Node,
        opts: &SearchOptions,
    ) -> Result<Compiled> {
        let keys = self.attribute_keys();
        let mut c = Compiler {
            query: text,
            fields: &self.fields,
            corpus: self,
            index: &self.index,
            keys: &keys,
            exact: opts.exact,
            leaves: Vec::new(),
        };
        let main = c.node(node, false)?;
        if c.leaves.is_empty() {
            return Err(Error::Query {
                query: text.to_string(),
                column: 1,
                message: "the query has no words to search for, only filters or NOT: add a word or \"phrase\""
                    .into(),
            });
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
        for f in &opts.filters {
            clauses.push((Occur::Must, self.filter_clause(f, &keys)?));
        }
        if let Some(glob) = &opts.speaker {
            clauses.push((Occur::Must, self.speaker_clause(glob)?));
        }
        Ok(Compiled {
            query: Box::new(BooleanQuery::new(clauses)),
            leaves: c.leaves,
        })
    }

    /// Returns the query for an attribute filter (`--where`), after checking
    /// its key against the corpus's attribute `keys`.
    fn filter_clause(&self, f: &Filter, keys: &[&str]) -> Result<Box<dyn Query>> {
        f.check_key(keys.iter().copied())?;
        if self.case_keys.contains(&f.key) {
            return Ok(self.documents_where(|d| f.matches(d)));
        }
        let terms: Vec<Term> = f
            .values
            .iter()
            .map(|v| {
                if f.key == "doc" {
                    Term::from_field_text(self.fields.doc, v)
                } else {
                    Term::from_field_text(self.fields.attr, &attr_term(&f.key, v))
                }
            })
            .collect();
        Ok(Box::new(TermSetQuery::new(terms)))
    }

    /// Returns the query for `--speaker`: turns whose speaker label or role
    /// matches the glob, ignoring case.
    fn speaker_clause(&self, glob: &str) -> Result<Box<dyn Query>> {
        let pattern = glob_to_regex(&analysis::lowercase(glob));
        let by = |field: Field| -> Result<Box<dyn Query>> {
            Ok(Box::new(
                RegexQuery::from_pattern(&pattern, field).map_err(|e| {
                    Error::BadSpeakerPattern {
                        glob: glob.to_string(),
                        message: e.to_string(),
                    }
                })?,
            ))
        };
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Should, by(self.fields.speaker)?),
            (Occur::Should, by(self.fields.role)?),
        ])))
    }
}

/// Compiles one query's nodes, gathering the leaves to highlight.
struct Compiler<'a> {
    query: &'a str,
    fields: &'a Fields,
    corpus: &'a Index,
    index: &'a tantivy::Index,
    keys: &'a [&'a str],
    exact: bool,
    leaves: Vec<Leaf>,
}

impl Compiler<'_> {
    fn err(&self, column: usize, message: String) -> Error {
        Error::Query {
            query: self.query.to_string(),
            column,
            message,
        }
    }

    /// Compiles a node; `negated` is true under a NOT, where terms select
    /// turns to drop and are not highlighted.
    fn node(&mut self, node: &Node, negated: bool) -> Result<Box<dyn Query>> {
        match node {
            Node::And(items) => self.and(items, negated),
            Node::Or(items) => self.or(items, negated),
            Node::Not(inner) => Err(self.err(
                column_of(inner),
                "NOT needs something to exclude from, e.g. budget NOT food".into(),
            )),
            Node::Word {
                text,
                exact,
                column,
            } => self.terms(text, *exact, 0, *column, negated),
            Node::Phrase {
                text,
                slop,
                exact,
                column,
            } => self.terms(text, *exact, *slop, *column, negated),
            Node::Prefix { text, column } => self.prefix(text, *column, negated),
            Node::Fuzzy {
                text,
                distance,
                column,
            } => self.fuzzy(text, *distance, *column, negated),
            Node::Field {
                key,
                value,
                prefix,
                column,
            } => self.field(key, value, *prefix, *column),
        }
    }

    /// All of `items`; those under NOT exclude turns.
    fn and(&mut self, items: &[Node], negated: bool) -> Result<Box<dyn Query>> {
        let mut clauses = Vec::new();
        for item in items {
            match item {
                Node::Not(inner) => clauses.push((Occur::MustNot, self.node(inner, !negated)?)),
                _ => clauses.push((Occur::Must, self.node(item, negated)?)),
            }
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            return Err(self.err(
                1,
                "NOT needs something to exclude from, e.g. budget NOT food".into(),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Any of `items`, none of which may be a bare NOT.
    fn or(&mut self, items: &[Node], negated: bool) -> Result<Box<dyn Query>> {
        let mut clauses = Vec::new();
        for item in items {
            if let Node::Not(_) = item {
                return Err(self.err(
                    column_of(item),
                    "NOT cannot stand alone beside OR: write e.g. (budget NOT food) OR money"
                        .into(),
                ));
            }
            clauses.push((Occur::Should, self.node(item, negated)?));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// A word or phrase, stemmed unless `exact` (here or in the options),
    /// with `slop` extra positions allowed between a phrase's words.
    fn terms(
        &mut self,
        text: &str,
        exact: bool,
        slop: u32,
        column: usize,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
        let stemmed = !(self.exact || exact);
        let (field, analyzer) = if stemmed {
            (self.fields.text, analysis::STEMMED)
        } else {
            (self.fields.exact, analysis::EXACT)
        };
        let terms = analysis::analyze(self.index.tokenizers(), analyzer, text);
        if terms.is_empty() {
            return Err(self.err(
                column,
                format!("'{text}' has no letters or digits to search for"),
            ));
        }
        let q: Box<dyn Query> = if terms.len() == 1 {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &terms[0]),
                IndexRecordOption::Basic,
            ))
        } else {
            let mut q = PhraseQuery::new(
                terms
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            );
            q.set_slop(slop);
            Box::new(q)
        };
        if !negated {
            self.leaves.push(Leaf::Terms {
                terms,
                stemmed,
                slop,
            });
        }
        Ok(q)
    }

    /// A word prefix (`budg*`), matched unstemmed.
    fn prefix(&mut self, text: &str, column: usize, negated: bool) -> Result<Box<dyn Query>> {
        let prefix = analysis::lowercase(text);
        if !prefix.chars().all(char::is_alphanumeric) {
            return Err(self.err(
                column,
                format!("prefix '{text}*' may contain only letters and digits"),
            ));
        }
        if !negated {
            self.leaves.push(Leaf::Prefix(prefix.clone()));
        }
        Ok(Box::new(FuzzyTermQuery::new_prefix(
            Term::from_field_text(self.fields.exact, &prefix),
            0,
            true,
        )))
    }

    /// A fuzzy word (`budgit~1`), matched unstemmed.
    fn fuzzy(
        &mut self,
        text: &str,
        distance: u8,
        column: usize,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
        let word = analysis::lowercase(text);
        if !word.chars().all(char::is_alphanumeric) {
            return Err(self.err(
                column,
                format!("fuzzy word '{text}~' may contain only letters and digits"),
            ));
        }
        if !negated {
            self.leaves.push(Leaf::Fuzzy(word.clone(), distance));
        }
        Ok(Box::new(FuzzyTermQuery::new(
            Term::from_field_text(self.fields.exact, &word),
            distance,
            true,
        )))
    }

    /// A field filter in the query (`site:Northbrook`, `speaker:SW*`).
    fn field(&self, key: &str, value: &str, prefix: bool, column: usize) -> Result<Box<dyn Query>> {
        let (field, term) = match key {
            "speaker" => (self.fields.speaker, analysis::lowercase(value)),
            "role" => (self.fields.role, analysis::lowercase(value)),
            "doc" => (self.fields.doc, value.to_string()),
            _ if self.corpus.case_keys.iter().any(|k| k == key) => {
                return Ok(self.case_field(key, value, prefix));
            }
            _ => match self.keys.iter().find(|k| k.to_lowercase() == key) {
                Some(k) => (self.fields.attr, attr_term(k, value)),
                None => {
                    let mut known = vec!["speaker", "role", "doc", "exact"];
                    known.extend(self.keys.iter().copied());
                    return Err(self.err(
                        column,
                        format!("unknown field '{key}' (fields: {})", known.join(", ")),
                    ));
                }
            },
        };
        if prefix {
            let pattern = format!("{}.*", regex::escape(&term));
            return Ok(match RegexQuery::from_pattern(&pattern, field) {
                Ok(q) => Box::new(q),
                Err(_) => Box::new(EmptyQuery),
            });
        }
        Ok(Box::new(TermQuery::new(
            Term::from_field_text(field, &term),
            IndexRecordOption::Basic,
        )))
    }

    /// A field filter on a case attribute: the documents whose value of
    /// `key` is `value` (or starts with it), ignoring case.
    fn case_field(&self, key: &str, value: &str, prefix: bool) -> Box<dyn Query> {
        let value = value.to_lowercase();
        self.corpus.documents_where(|d| {
            d.attributes
                .iter()
                .filter(|(k, _)| k.to_lowercase() == key)
                .flat_map(|(_, v)| v.values())
                .any(|v| {
                    let v = v.to_lowercase();
                    if prefix {
                        v.starts_with(&value)
                    } else {
                        v == value
                    }
                })
        })
    }
}

fn column_of(node: &Node) -> usize {
    match node {
        Node::Word { column, .. }
        | Node::Phrase { column, .. }
        | Node::Prefix { column, .. }
        | Node::Fuzzy { column, .. }
        | Node::Field { column, .. } => *column,
        Node::Not(inner) => column_of(inner),
        Node::And(items) | Node::Or(items) => items.first().map_or(1, column_of),
    }
}

/// Turns a glob (`*` any run, `?` one character) into a whole-value regex.
fn glob_to_regex(glob: &str) -> String {
    let mut out = String::new();
    for c in glob.chars() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert_eq!(glob_to_regex("sw*"), "sw.*");
        assert_eq!(glob_to_regex("p?"), "p.");
        assert_eq!(glob_to_regex("a.b"), "a\\.b");
    }

    #[test]
    fn regex_characters_in_globs_are_escaped() {
        assert_eq!(glob_to_regex("(x|y)*"), "\\(x\\|y\\).*");
        // `<` and `>` stay as they are: escaped, the regex syntax would read
        // them as word boundaries.
        assert_eq!(glob_to_regex("a<b>"), "a<b>");
    }
}
