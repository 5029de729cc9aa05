//! A cache of an index's parsed transcripts, for attributing codings and
//! hits to turns: each transcript is read from the corpus on first use and
//! kept for the life of the cache.

use std::collections::HashMap;

use super::Index;
use crate::error::{Error, Result};
use crate::transcript::{Transcript, Turn};

/// Parsed transcripts of an index, each read on first use and kept.
pub struct Transcripts<'a> {
    index: &'a Index,
    cache: HashMap<String, Option<Transcript>>,
}

impl<'a> Transcripts<'a> {
    /// Returns an empty cache over `index`.
    pub fn new(index: &'a Index) -> Transcripts<'a> {
        Transcripts {
            index,
            cache: HashMap::new(),
        }
    }

    /// Returns the transcript `doc`, read on first use.
    pub fn get(&mut self, doc: &str) -> Result<&Transcript> {
        let slot = self.cache.entry(doc.to_string()).or_insert(None);
        if slot.is_none() {
            *slot = Some(self.index.transcript(doc)?);
        }
        slot.as_ref().ok_or_else(|| Error::UnknownDocument {
            id: doc.to_string(),
            suggestions: Vec::new(),
        })
    }

    /// Returns the turn of `doc` that code point `start` falls in, if the
    /// document is still in the corpus (a document that cannot be read is
    /// not tried again).
    pub fn turn_at(&mut self, doc: &str, start: usize) -> Option<&Turn> {
        if !self.cache.contains_key(doc) {
            let t = self.index.transcript(doc).ok();
            self.cache.insert(doc.to_string(), t);
        }
        self.cache.get(doc)?.as_ref()?.turn_at(start)
    }

    /// Returns the number of the turn of `doc` that code point `start`
    /// falls in (where a coding starts), if the document is still in the
    /// corpus.
    pub fn turn_number(&mut self, doc: &str, start: usize) -> Option<usize> {
        self.turn_at(doc, start).map(|turn| turn.number)
    }
}
