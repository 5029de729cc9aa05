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

#[cfg(test)]
mod tests {
    use super::super::tests::TempProject;
    use super::*;

    const A: &str =
        "Interviewer: What did the budget pay for?\n\nP1 (parent): A cooker, the same afternoon.\n";

    #[test]
    fn a_transcript_is_read_once_and_its_turns_found_by_offset() {
        let p = TempProject::new(&[("corpus/a.md", A)]);
        let (index, _) = p.open().unwrap();
        let mut cache = Transcripts::new(&index);
        let spans: Vec<_> = cache
            .get("a")
            .unwrap()
            .turns
            .iter()
            .map(|t| t.span)
            .collect();
        assert_eq!(spans.len(), 2);
        assert_eq!(cache.turn_number("a", spans[0].start), Some(1));
        assert_eq!(cache.turn_number("a", spans[1].start), Some(2));
        assert_eq!(cache.turn_number("a", spans[1].end - 1), Some(2));
        assert_eq!(cache.turn_number("a", spans[1].end + 100), None);
        // Kept: the file is not read again.
        p.remove("corpus/a.md");
        assert_eq!(cache.turn_number("a", spans[1].start), Some(2));
        assert_eq!(cache.get("a").unwrap().turns.len(), 2);
    }

    #[test]
    fn a_document_not_in_the_corpus_has_no_turns() {
        let p = TempProject::new(&[("corpus/a.md", A)]);
        let (index, _) = p.open().unwrap();
        let mut cache = Transcripts::new(&index);
        match cache.get("b") {
            Err(Error::UnknownDocument { id, .. }) => assert_eq!(id, "b"),
            other => panic!("expected an unknown document, got {other:?}"),
        }
        assert_eq!(cache.turn_number("b", 0), None);
    }

    #[test]
    fn a_document_that_cannot_be_read_is_not_tried_again_for_turns() {
        let p = TempProject::new(&[("corpus/a.md", A)]);
        let (index, _) = p.open().unwrap();
        let text = String::from_utf8(p.read("corpus/a.md")).unwrap();
        p.remove("corpus/a.md");
        let mut cache = Transcripts::new(&index);
        assert_eq!(cache.turn_number("a", 0), None);
        p.write("corpus/a.md", &text);
        assert_eq!(cache.turn_number("a", 0), None);
        // `get` reads it again.
        assert_eq!(cache.get("a").unwrap().turns.len(), 2);
        assert_eq!(cache.turn_number("a", 0), Some(1));
    }
}
