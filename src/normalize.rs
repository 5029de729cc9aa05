//! Unicode normalisation, for matching only.
//!
//! The same word can be stored two ways: `é` as one code point (composed,
//! NFC) or as `e` followed by a combining acute accent (decomposed, NFD).
//! Word processors, browsers and transcription services differ in which
//! they write, and a researcher typing a name or a word cannot see the
//! difference. realist never changes a transcript's text (offsets are code
//! points into it as written); it compares the composed forms (NFC) of
//! what it matches: index words, query words, quotes, pseudonym key names
//! and the words `privacy check` looks at.

use std::borrow::Cow;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Returns the composed form (NFC) of `s`, borrowing it when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Returns the decomposed form (NFD) of `s`.
pub fn nfd(s: &str) -> String {
    s.nfd().collect()
}

/// Returns true for a character that belongs to the word before it though
/// it is not a letter or digit itself: a combining mark (a decomposed
/// accent, for example).
pub fn extends_word(c: char) -> bool {
    !c.is_ascii() && canonical_combining_class(c) != 0
}

/// A text's composed form, with the way back to the text's own offsets.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The composed form (NFC).
    pub text: String,
    /// For each segment (a character with the combining marks after it):
    /// its byte offset in `text` and its code point offset in the original.
    segments: Vec<(usize, usize)>,
    /// The original's length in code points.
    chars: usize,
}

impl Composed {
    /// Composes `original`, segment by segment.
    pub fn new(original: &str) -> Composed {
        let mut text = String::with_capacity(original.len());
        let mut segments = Vec::new();
        let mut chars = 0;
        let mut segment = String::new();
        let mut segment_start = 0;
        for c in original.chars() {
            if canonical_combining_class(c) == 0 && !segment.is_empty() {
                segments.push((text.len(), segment_start));
                text.extend(segment.nfc());
                segment.clear();
                segment_start = chars;
            }
            segment.push(c);
            chars += 1;
        }
        if !segment.is_empty() {
            segments.push((text.len(), segment_start));
            text.extend(segment.nfc());
        }
        Composed {
            text,
            segments,
            chars,
        }
    }

    /// Returns the code point offsets in the original of the composed
    /// text's bytes `from..to` (widened to whole segments).
    pub fn original(&self, from: usize, to: usize) -> (usize, usize) {
        let start = match self.segments.binary_search_by_key(&from, |s| s.0) {
            Ok(i) => self.segments[i].1,
            Err(0) => 0,
            Err(i) => self.segments[i - 1].1,
        };
        let end = match self.segments.binary_search_by_key(&to, |s| s.0) {
            Ok(i) => self.segments[i].1,
            Err(i) => self.segments.get(i).map_or(self.chars, |s| s.1),
        };
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPOSED: &str = "Zo\u{eb} caf\u{e9}";
    const DECOMPOSED: &str = "Zoe\u{308} cafe\u{301}";

    #[test]
    fn both_forms_compose_alike() {
        assert_eq!(nfc(DECOMPOSED), COMPOSED);
        assert!(matches!(nfc(COMPOSED), Cow::Borrowed(_)));
        assert_eq!(nfd(COMPOSED), DECOMPOSED);
        assert!(extends_word('\u{301}'));
        assert!(!extends_word('e') && !extends_word(' '));
    }

    #[test]
    fn composed_offsets_lead_back_to_the_original() {
        let c = Composed::new(DECOMPOSED);
        assert_eq!(c.text, COMPOSED);
        // "café" in the composed text is bytes 5..10; in the original it
        // is code points 5..10 (c, a, f, e, U+0301).
        let from = c.text.find("caf\u{e9}").unwrap();
        assert_eq!(c.original(from, c.text.len()), (5, 10));
        // "Zoë" is bytes 0..4 composed, code points 0..4 decomposed.
        assert_eq!(c.original(0, "Zo\u{eb}".len()), (0, 4));
    }
}
