//! Search: every occurrence of a query in the corpus, keyword in context.
//!
//! A query (see [`crate::query`]) is compiled into a tantivy query that
//! selects the matching turns; each matching turn's text is then walked word
//! by word (with the index's own analysis, [`crate::analysis`]) to find every
//! occurrence of the query's positive terms, so that each occurrence gets its
//! code point offsets, its match and its left and right context. Results come
//! in document id order, then by offset.

use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{
    BooleanQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Score, SegmentReader, TantivyDocument, Term};

use crate::analysis::{self, Stems, Word};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::index::{Fields, Index, attr_term};
use crate::query::{self, Node};
use crate::suggest::edit_distance;
use crate::text::CharCursor;

/// What to search for and how to report it.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// The query, in the syntax of [`crate::query`].
    pub query: String,
    /// Match words unstemmed (`budgets` finds only `budgets`).
    pub exact: bool,
    /// Attribute filters; all must pass.
    pub filters: Vec<Filter>,
    /// Only turns whose speaker label or role matches this glob (`SW*`,
    /// `parent`), ignoring case.
    pub speaker: Option<String>,
    /// Words of context on each side of a match.
    pub context: usize,
    /// Stop after this many occurrences.
    pub limit: Option<usize>,
}

/// One occurrence (`"type":"hit"` in JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// Document id.
    pub doc: String,
    /// Turn number (1-based).
    pub turn: usize,
    /// Speaker label, if the turn has one.
    pub speaker: Option<String>,
    /// Speaker role, if known.
    pub role: Option<String>,
    /// Code point offset of the match in the canonical text.
    pub start: usize,
    /// Code point offset one past the match.
    pub end: usize,
    /// The matched text.
    #[serde(rename = "match")]
    pub matched: String,
    /// Words before the match within the turn, whitespace collapsed.
    pub left: String,
    /// Words after the match within the turn, whitespace collapsed.
    pub right: String,
}

/// Totals of a search (`"type":"summary"` in JSON Lines).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Occurrences reported.
    pub hits: usize,
    /// Turns with at least one occurrence reported.
    pub turns: usize,
    /// Documents with at least one occurrence reported.
    pub documents: usize,
    /// True when `limit` stopped the search early.
    pub truncated: bool,
}

/// A positive term of the query, as matched against a turn's words.
#[derive(Debug, Clone)]
enum Leaf {
    /// One or more consecutive terms (a word or a phrase).
    Terms {
        terms: Vec<String>,
        stemmed: bool,
        slop: u32,
    },
    /// Lower-cased prefix.
    Prefix(String),
    /// Lower-cased word and largest edit distance.
    Fuzzy(String, u8),
}

/// A compiled query: the index query and the leaves to highlight.
struct Compiled {
    query: Box<dyn Query>,
    leaves: Vec<Leaf>,
}

impl Index {
    /// Runs a search and calls `on_hit` for every occurrence in order; stops
    /// early when `on_hit` returns false. Returns the totals.
    pub fn search(
        &self,
        opts: &SearchOptions,
        on_hit: &mut dyn FnMut(&Hit) -> bool,
    ) -> Result<Summary> {
        let node = query::parse(&opts.query)?;
        let compiled = self.compile(&opts.query, &node, opts)?;
        let searcher = self.reader.searcher();
        let mut turns = searcher
            .search(&*compiled.query, &TurnCollector)
            .map_err(|e| self.index_error(e))?;
        turns.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

        let mut stems = Stems::default();
        let mut summary = Summary::default();
        let mut last_doc: Option<Arc<str>> = None;
        let mut words = Vec::new();
        'turns: for (doc_id, turn, address) in turns {
            let stored: TantivyDocument = searcher.doc(address).map_err(|e| self.index_error(e))?;
            let text = stored
                .get_first(self.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let base = stored
                .get_first(self.fields.start)
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as usize;
            let speaker = stored
                .get_first(self.fields.speaker)
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let role = stored
                .get_first(self.fields.role)
                .and_then(|v| v.as_str())
                .map(str::to_string);
            words.clear();
            words.extend(analysis::words(text));
            let spans = occurrences(text, &words, &compiled.leaves, &mut stems);
            if spans.is_empty() {
                continue;
            }
            summary.turns += 1;
            if last_doc.as_deref() != Some(&*doc_id) {
                summary.documents += 1;
                last_doc = Some(doc_id.clone());
            }
            let mut cursor = CharCursor::new(text);
            for (from, to) in spans {
                if opts.limit.is_some_and(|l| summary.hits >= l) {
                    summary.truncated = true;
                    break 'turns;
                }
                let hit = Hit {
                    doc: doc_id.to_string(),
                    turn: turn as usize,
                    speaker: speaker.clone(),
                    role: role.clone(),
                    start: base + cursor.to_chars(from),
                    end: base + cursor.to_chars(to),
                    matched: text[from..to].to_string(),
                    left: context_left(text, &words, from, opts.context),
                    right: context_right(text, &words, to, opts.context),
                };
                summary.hits += 1;
                if !on_hit(&hit) {
                    break 'turns;
                }
            }
        }
        Ok(summary)
    }

    /// Checks that `query` parses and names only known fields, without
    /// running it.
    pub fn check_query(&self, query: &str) -> Result<()> {
        let node = query::parse(query)?;
        let opts = SearchOptions {
            query: query.to_string(),
            ..SearchOptions::default()
        };
        self.compile(query, &node, &opts).map(|_| ())
    }

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

    fn index_error(&self, e: tantivy::TantivyError) -> Error {
        Error::Index {
            path: self.project.state_dir(),
            message: e.to_string(),
        }
    }

    fn compile(&self, text: &str, node: &Node, opts: &SearchOptions) -> Result<Compiled> {
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
            f.check_key(keys.iter().copied())?;
            if self.case_keys.contains(&f.key) {
                clauses.push((Occur::Must, self.documents_where(|d| f.matches(d))));
                continue;
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
            clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
        }
        if let Some(glob) = &opts.speaker {
            let pattern = glob_to_regex(&analysis::lowercase(glob));
            let by = |field: Field| -> Result<Box<dyn Query>> {
                Ok(Box::new(
                    RegexQuery::from_pattern(&pattern, field).map_err(|e| {
                        Error::Invalid(format!("--speaker '{glob}' is not a usable pattern: {e}"))
                    })?,
                ))
            };
            clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, by(self.fields.speaker)?),
                    (Occur::Should, by(self.fields.role)?),
                ])),
            ));
        }
        Ok(Compiled {
            query: Box::new(BooleanQuery::new(clauses)),
            leaves: c.leaves,
        })
    }
}

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
        Ok(match node {
            Node::And(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    match item {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.node(inner, !negated)?))
                        }
                        _ => clauses.push((Occur::Must, self.node(item, negated)?)),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    return Err(self.err(
                        1,
                        "NOT needs something to exclude from, e.g. budget NOT food".into(),
                    ));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    if let Node::Not(_) = item {
                        return Err(self.err(
                            column_of(item),
                            "NOT cannot stand alone beside OR: write e.g. (budget NOT food) OR money".into(),
                        ));
                    }
                    clauses.push((Occur::Should, self.node(item, negated)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => {
                return Err(self.err(
                    column_of(inner),
                    "NOT needs something to exclude from, e.g. budget NOT food".into(),
                ));
            }
            Node::Word {
                text,
                exact,
                column,
            }
            | Node::Phrase {
                text,
                exact,
                column,
                ..
            } => {
                let slop = match node {
                    Node::Phrase { slop, .. } => *slop,
                    _ => 0,
                };
                let stemmed = !(self.exact || *exact);
                let (field, analyzer) = if stemmed {
                    (self.fields.text, analysis::STEMMED)
                } else {
                    (self.fields.exact, analysis::EXACT)
                };
                let terms = analysis::analyze(self.index.tokenizers(), analyzer, text);
                if terms.is_empty() {
                    return Err(self.err(
                        *column,
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
                q
            }
            Node::Prefix { text, column } => {
                let prefix = analysis::lowercase(text);
                if !prefix.chars().all(char::is_alphanumeric) {
                    return Err(self.err(
                        *column,
                        format!("prefix '{text}*' may contain only letters and digits"),
                    ));
                }
                if !negated {
                    self.leaves.push(Leaf::Prefix(prefix.clone()));
                }
                Box::new(FuzzyTermQuery::new_prefix(
                    Term::from_field_text(self.fields.exact, &prefix),
                    0,
                    true,
                ))
            }
            Node::Fuzzy {
                text,
                distance,
                column,
            } => {
                let word = analysis::lowercase(text);
                if !word.chars().all(char::is_alphanumeric) {
                    return Err(self.err(
                        *column,
                        format!("fuzzy word '{text}~' may contain only letters and digits"),
                    ));
                }
                if !negated {
                    self.leaves.push(Leaf::Fuzzy(word.clone(), *distance));
                }
                Box::new(FuzzyTermQuery::new(
                    Term::from_field_text(self.fields.exact, &word),
                    *distance,
                    true,
                ))
            }
            Node::Field {
                key,
                value,
                prefix,
                column,
            } => self.field(key, value, *prefix, *column)?,
        })
    }

    fn field(&self, key: &str, value: &str, prefix: bool, column: usize) -> Result<Box<dyn Query>> {
        let (field, term) = match key {
            "speaker" => (self.fields.speaker, analysis::lowercase(value)),
            "role" => (self.fields.role, analysis::lowercase(value)),
            "doc" => (self.fields.doc, value.to_string()),
            _ if self.corpus.case_keys.iter().any(|k| k == key) => {
                let value = value.to_lowercase();
                return Ok(self.corpus.documents_where(|d| {
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
                }));
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
            let pattern = format!("{}.*", regex_escape(&term));
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

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"@<>".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Turns a glob (`*` any run, `?` one character) into a whole-value regex.
fn glob_to_regex(glob: &str) -> String {
    let mut out = String::new();
    for c in glob.chars() {
        match c {
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            c => out.push_str(&regex_escape(&c.to_string())),
        }
    }
    out
}

/// The forms of a turn's words (lower-cased, stemmed), computed only for the
/// words a leaf could match and remembered for the rest of the turn.
///
/// Most words of a broad match are never lower-cased or stemmed: a word is
/// looked at only when its first letter is the first letter of a term (the
/// English stemmer never changes a word's first letter).
struct Forms<'a> {
    text: &'a str,
    words: &'a [Word],
    first: Vec<char>,
    lower: Vec<Option<String>>,
    stemmed: Vec<Option<String>>,
}

impl<'a> Forms<'a> {
    fn new(text: &'a str, words: &'a [Word]) -> Forms<'a> {
        Forms {
            text,
            words,
            first: words
                .iter()
                .map(|w| {
                    text[w.from..]
                        .chars()
                        .next()
                        .and_then(|c| c.to_lowercase().next())
                        .unwrap_or(' ')
                })
                .collect(),
            lower: vec![None; words.len()],
            stemmed: vec![None; words.len()],
        }
    }

    fn lower(&mut self, i: usize) -> &str {
        if self.lower[i].is_none() {
            let w = self.words[i];
            self.lower[i] = Some(analysis::lowercase(&self.text[w.from..w.to]));
        }
        self.lower[i].as_deref().unwrap_or("")
    }

    fn form(&mut self, i: usize, stemmed: bool, stems: &mut Stems) -> &str {
        if !stemmed {
            return self.lower(i);
        }
        if self.stemmed[i].is_none() {
            let stem = stems.stem(self.lower(i)).to_string();
            self.stemmed[i] = Some(stem);
        }
        self.stemmed[i].as_deref().unwrap_or("")
    }
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

/// Returns the byte spans of every occurrence of the leaves in `text`,
/// sorted, with overlapping spans merged.
fn occurrences(
    text: &str,
    words: &[Word],
    leaves: &[Leaf],
    stems: &mut Stems,
) -> Vec<(usize, usize)> {
    let mut forms = Forms::new(text, words);
    let mut spans = Vec::new();
    for leaf in leaves {
        match leaf {
            Leaf::Terms {
                terms,
                stemmed,
                slop,
            } => {
                let initial = first_char(&terms[0]);
                for i in 0..words.len() {
                    if forms.first[i] != initial || forms.form(i, *stemmed, stems) != terms[0] {
                        continue;
                    }
                    if let Some(last) =
                        phrase_end(&mut forms, stems, i, &terms[1..], *stemmed, *slop)
                    {
                        spans.push((words[i].from, words[last].to));
                    }
                }
            }
            Leaf::Prefix(p) => {
                let initial = first_char(p);
                for (i, w) in words.iter().enumerate() {
                    if forms.first[i] == initial && forms.lower(i).starts_with(p.as_str()) {
                        spans.push((w.from, w.to));
                    }
                }
            }
            Leaf::Fuzzy(term, d) => {
                let len = term.chars().count();
                let d = *d as usize;
                for (i, w) in words.iter().enumerate() {
                    // A word's length in bytes bounds its length in chars.
                    if w.to - w.from + d < len {
                        continue;
                    }
                    let lower = forms.lower(i);
                    if lower.chars().count().abs_diff(len) <= d && edit_distance(lower, term) <= d {
                        spans.push((w.from, w.to));
                    }
                }
            }
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from < last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// Returns the index of the last word of a phrase whose first word is at
/// `i`, allowing `slop` extra positions in all, or `None`.
fn phrase_end(
    forms: &mut Forms,
    stems: &mut Stems,
    i: usize,
    rest: &[String],
    stemmed: bool,
    slop: u32,
) -> Option<usize> {
    let words = forms.words;
    let mut at = i;
    let mut budget = slop;
    for term in rest {
        let mut next = None;
        for j in at + 1..words.len() {
            let gap = words[j].position - words[at].position - 1;
            if gap > budget {
                break;
            }
            if forms.first[j] == first_char(term) && forms.form(j, stemmed, stems) == term {
                budget -= gap;
                next = Some(j);
                break;
            }
        }
        at = next?;
    }
    Some(at)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn context_left(text: &str, words: &[Word], from: usize, n: usize) -> String {
    let i = words.partition_point(|w| w.from < from);
    let start = if n == 0 {
        from
    } else if i >= n {
        words[i - n].from
    } else {
        0
    };
    collapse(&text[start..from])
}

fn context_right(text: &str, words: &[Word], to: usize, n: usize) -> String {
    let j = words.partition_point(|w| w.from < to);
    let end = if n == 0 {
        to
    } else if j + n <= words.len() {
        words[j + n - 1].to
    } else {
        text.len()
    };
    collapse(&text[to..end.max(to)])
}

/// Collects `(document id, turn, address)` of every matching turn from the
/// fast fields, without scoring.
struct TurnCollector;

struct TurnSegmentCollector {
    segment: u32,
    ids: Option<tantivy::columnar::StrColumn>,
    turns: tantivy::columnar::Column<u64>,
    out: Vec<(u64, u64, DocAddress)>,
}

impl Collector for TurnCollector {
    type Fruit = Vec<(Arc<str>, u64, DocAddress)>;
    type Child = TurnSegmentCollector;

    fn for_segment(
        &self,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<TurnSegmentCollector> {
        Ok(TurnSegmentCollector {
            segment,
            ids: reader.fast_fields().str("doc")?,
            turns: reader.fast_fields().u64("turn")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for TurnSegmentCollector {
    type Fruit = Vec<(Arc<str>, u64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(ids) = &self.ids else { return };
        let Some(ord) = ids.term_ords(doc).next() else {
            return;
        };
        let turn = self.turns.first(doc).unwrap_or(0);
        self.out
            .push((ord, turn, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        let Some(ids) = &self.ids else {
            return Vec::new();
        };
        // Resolve each distinct ordinal once, in order, so that each block of
        // the dictionary is opened (and zstd-decompressed) once, not once per
        // document.
        let mut ords: Vec<u64> = self.out.iter().map(|(o, _, _)| *o).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut names: Vec<Arc<str>> = Vec::with_capacity(ords.len());
        let _ = ids.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            names.push(Arc::from(String::from_utf8_lossy(bytes).as_ref()));
        });
        if names.len() != ords.len() {
            return Vec::new();
        }
        self.out
            .into_iter()
            .map(|(ord, turn, addr)| {
                let i = ords.binary_search(&ord).unwrap_or(0);
                (names[i].clone(), turn, addr)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ<'a>(text: &'a str, leaves: &[Leaf]) -> Vec<&'a str> {
        let words: Vec<Word> = analysis::words(text).collect();
        occurrences(text, &words, leaves, &mut Stems::default())
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect()
    }

    fn terms(t: &[&str], stemmed: bool, slop: u32) -> Leaf {
        Leaf::Terms {
            terms: t.iter().map(|s| s.to_string()).collect(),
            stemmed,
            slop,
        }
    }

    #[test]
    fn every_occurrence_of_words_phrases_prefixes_and_fuzzy() {
        let text =
            "Budgets, budgeting — the BUDGET; straight away, straight-away, straight then away.";
        assert_eq!(
            occ(text, &[terms(&["budget"], true, 0)]),
            vec!["Budgets", "budgeting", "BUDGET"]
        );
        assert_eq!(occ(text, &[terms(&["budget"], false, 0)]), vec!["BUDGET"]);
        assert_eq!(
            occ(text, &[terms(&["straight", "away"], true, 0)]),
            vec!["straight away", "straight-away"]
        );
        assert_eq!(
            occ(text, &[terms(&["straight", "away"], true, 1)]),
            vec!["straight away", "straight-away", "straight then away"]
        );
        assert_eq!(
            occ(text, &[Leaf::Prefix("budg".into())]),
            vec!["Budgets", "budgeting", "BUDGET"]
        );
        assert_eq!(
            occ(text, &[Leaf::Fuzzy("budgat".into(), 1)]),
            vec!["BUDGET"]
        );
    }

    #[test]
    fn overlapping_occurrences_merge() {
        let text = "straight away";
        assert_eq!(
            occ(
                text,
                &[
                    terms(&["straight", "away"], true, 0),
                    terms(&["away"], true, 0)
                ]
            ),
            vec!["straight away"]
        );
    }

    #[test]
    fn context_is_counted_in_words_within_the_turn() {
        let text = "one two three  four\nfive six";
        let words: Vec<Word> = analysis::words(text).collect();
        let from = text.find("four").unwrap();
        assert_eq!(context_left(text, &words, from, 2), "two three");
        assert_eq!(context_left(text, &words, from, 9), "one two three");
        assert_eq!(context_right(text, &words, from + 4, 1), "five");
        assert_eq!(context_right(text, &words, from + 4, 5), "five six");
        assert_eq!(context_right(text, &words, from + 4, 0), "");
    }

    #[test]
    fn globs() {
        assert_eq!(glob_to_regex("sw*"), "sw.*");
        assert_eq!(glob_to_regex("p?"), "p.");
        assert_eq!(glob_to_regex("a.b"), "a\\.b");
    }
}
