//! Search: every occurrence of a query in the corpus, keyword in context.
//!
//! A query (see [`crate::query`]) is compiled into a tantivy query that
//! selects the matching turns; each matching turn's text is then walked word
//! by word (with the index's own analysis, [`crate::analysis`]) to find every
//! occurrence of the query's positive terms, so that each occurrence gets its
//! code point offsets, its match and its left and right context. Results come
//! in document id order, then by offset.
//!
//! The parts live beside this file: `compile.rs` turns the query and the
//! options into a tantivy query and the terms to find, `collector.rs`
//! gathers the matching turns from the index, and `occurrences.rs` finds
//! the occurrences in a turn's text and cuts their context.

mod collector;
mod compile;
mod occurrences;

use std::sync::Arc;

use serde::Serialize;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::analysis::{self, Stems, Word};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::index::{Fields, Index};
use crate::query;
use crate::text::CharCursor;
use collector::TurnCollector;
use occurrences::{context_left, context_right, occurrences};

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
        let turns = self.matching_turns(&searcher, &*compiled.query)?;

        let mut stems = Stems::default();
        let mut summary = Summary::default();
        let mut last_doc: Option<Arc<str>> = None;
        let mut words = Vec::new();
        for (doc_id, number, address) in turns {
            let stored: TantivyDocument = searcher.doc(address).map_err(|e| self.index_error(e))?;
            let turn = Turn::read(&self.fields, &doc_id, number, &stored);
            words.clear();
            words.extend(analysis::words(turn.text));
            let spans = occurrences(turn.text, &words, &compiled.leaves, &mut stems);
            if spans.is_empty() {
                continue;
            }
            let hits = summary.hits;
            let go_on = report(&turn, &words, spans, opts, &mut summary, on_hit);
            // A turn (and its document) counts when it gave a hit: a search
            // stopped by its limit counts what it reported.
            if summary.hits > hits {
                summary.turns += 1;
                if last_doc.as_deref() != Some(&*doc_id) {
                    summary.documents += 1;
                    last_doc = Some(doc_id.clone());
                }
            }
            if !go_on {
                break;
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

    /// Returns `(document id, turn, address)` of every turn `query`
    /// selects, in document id order, then by turn.
    fn matching_turns(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
    ) -> Result<Vec<(Arc<str>, u64, DocAddress)>> {
        let mut turns = searcher
            .search(query, &TurnCollector)
            .map_err(|e| self.index_error(e))?;
        turns.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        Ok(turns)
    }

    fn index_error(&self, e: tantivy::TantivyError) -> Error {
        Error::Index {
            path: self.project.state_dir(),
            message: e.to_string(),
        }
    }
}

/// A matching turn as the index stores it.
struct Turn<'a> {
    /// Document id.
    doc: &'a str,
    /// Turn number (1-based).
    number: usize,
    /// The turn's text.
    text: &'a str,
    /// Code point offset of the text in the canonical text.
    base: usize,
    /// Speaker label, if the turn has one.
    speaker: Option<String>,
    /// Speaker role, if known.
    role: Option<String>,
}

impl<'a> Turn<'a> {
    /// Reads turn `number` of document `doc` from its stored fields.
    fn read(fields: &Fields, doc: &'a str, number: u64, stored: &'a TantivyDocument) -> Turn<'a> {
        let text = |field: Field| stored.get_first(field).and_then(|v| v.as_str());
        Turn {
            doc,
            number: number as usize,
            text: text(fields.text).unwrap_or(""),
            base: stored
                .get_first(fields.start)
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as usize,
            speaker: text(fields.speaker).map(str::to_string),
            role: text(fields.role).map(str::to_string),
        }
    }
}

/// Reports the occurrences of one turn at byte `spans` of its text, counting
/// them in `summary`; returns false when the search must stop (the limit is
/// reached or `on_hit` said so).
fn report(
    turn: &Turn,
    words: &[Word],
    spans: Vec<(usize, usize)>,
    opts: &SearchOptions,
    summary: &mut Summary,
    on_hit: &mut dyn FnMut(&Hit) -> bool,
) -> bool {
    let text = turn.text;
    let mut cursor = CharCursor::new(text);
    for (from, to) in spans {
        if opts.limit.is_some_and(|l| summary.hits >= l) {
            summary.truncated = true;
            return false;
        }
        let hit = Hit {
            doc: turn.doc.to_string(),
            turn: turn.number,
            speaker: turn.speaker.clone(),
            role: turn.role.clone(),
            start: turn.base + cursor.to_chars(from),
            end: turn.base + cursor.to_chars(to),
            matched: text[from..to].to_string(),
            left: context_left(text, words, from, opts.context),
            right: context_right(text, words, to, opts.context),
        };
        summary.hits += 1;
        if !on_hit(&hit) {
            return false;
        }
    }
    true
}
