//! Text analysis shared by indexing and search.
//!
//! Turn text is indexed twice: *stemmed* (`budgets` and `budgeting` both
//! become `budget`) and *exact* (lower-cased, unstemmed). Both split words
//! the way tantivy's `SimpleTokenizer` does: a word is a maximal run of
//! alphanumeric characters, so `don't` is `don` + `t` and `£1,000` is `1` +
//! `000`. Words of 40 bytes or more are dropped (as tantivy does).
//!
//! Search needs to find *every occurrence* of a query in a matching turn, with
//! its offsets; [`words`] walks a text the same way the index analyzers do so
//! that occurrences and index matches agree. A unit test checks the two
//! against each other.

use std::collections::HashMap;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};

/// Name of the stemmed analyzer in the index.
pub const STEMMED: &str = "realist_stemmed";
/// Name of the exact (lower-cased, unstemmed) analyzer.
pub const EXACT: &str = "realist_exact";
/// Name of the keyword analyzer (whole value, lower-cased) for labels and attributes.
pub const KEYWORD: &str = "realist_keyword";

/// Longest word kept, in bytes (exclusive), as tantivy's `RemoveLongFilter`.
const MAX_WORD_BYTES: usize = 40;

/// Registers the three analyzers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(
        STEMMED,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
    manager.register(
        EXACT,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .build(),
    );
    manager.register(
        KEYWORD,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// A word of a text: its position (as the index numbers them) and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Position in the token stream; dropped long words leave gaps.
    pub position: u32,
    /// Byte offset of the first byte.
    pub from: usize,
    /// Byte offset one past the last byte.
    pub to: usize,
}

/// Returns the words of `text` as the index analyzers see them.
pub fn words(text: &str) -> impl Iterator<Item = Word> + '_ {
    let mut chars = text.char_indices().peekable();
    let mut position: u32 = 0;
    std::iter::from_fn(move || {
        loop {
            let (from, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
            let mut to = text.len();
            for (i, c) in chars.by_ref() {
                if !c.is_alphanumeric() {
                    to = i;
                    break;
                }
            }
            let p = position;
            position += 1;
            if to - from < MAX_WORD_BYTES {
                return Some(Word {
                    position: p,
                    from,
                    to,
                });
            }
        }
    })
}

/// Writes the lower-cased form of `word` into `out` (as tantivy's `LowerCaser`).
pub fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Returns the lower-cased form of `word`.
pub fn lowercase(word: &str) -> String {
    let mut s = String::new();
    lowercase_into(word, &mut s);
    s
}

/// English stems of lower-cased words, remembered so each distinct word is
/// stemmed once.
pub struct Stems {
    analyzer: TextAnalyzer,
    cache: HashMap<String, String>,
}

impl Default for Stems {
    fn default() -> Stems {
        Stems {
            analyzer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
            cache: HashMap::new(),
        }
    }
}

impl Stems {
    /// Returns the stem of a lower-cased word.
    pub fn stem(&mut self, lower: &str) -> &str {
        if !self.cache.contains_key(lower) {
            let mut stream = self.analyzer.token_stream(lower);
            let stem = if stream.advance() {
                stream.token().text.clone()
            } else {
                lower.to_string()
            };
            self.cache.insert(lower.to_string(), stem);
        }
        &self.cache[lower]
    }
}

/// Returns the terms an analyzer produces for `text` (used for query words).
pub fn analyze(manager: &TokenizerManager, analyzer: &str, text: &str) -> Vec<String> {
    let Some(mut a) = manager.get(analyzer) else {
        return Vec::new();
    };
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Zoë’s MUM — she didn't, um… £1,000 straight-away! ÉCOLE naïve Łukasz 😂 x2 \
        supercalifragilisticexpialidocious-and-then-some-more-letters-here Budgets budgeting";

    #[test]
    fn words_agree_with_the_index_analyzers() {
        let manager = TokenizerManager::default();
        register(&manager);
        for (name, stem) in [(EXACT, false), (STEMMED, true)] {
            let mut analyzer = manager.get(name).unwrap();
            let mut stream = analyzer.token_stream(SAMPLE);
            let mut expected = Vec::new();
            while stream.advance() {
                let t = stream.token();
                expected.push((
                    t.position as u32,
                    t.offset_from,
                    t.offset_to,
                    t.text.clone(),
                ));
            }
            let mut stems = Stems::default();
            let ours: Vec<_> = words(SAMPLE)
                .map(|w| {
                    let lower = lowercase(&SAMPLE[w.from..w.to]);
                    let term = if stem {
                        stems.stem(&lower).to_string()
                    } else {
                        lower
                    };
                    (w.position, w.from, w.to, term)
                })
                .collect();
            assert_eq!(ours, expected, "analyzer {name}");
        }
    }

    #[test]
    fn stems_and_long_words() {
        let mut stems = Stems::default();
        assert_eq!(stems.stem("budgeting"), "budget");
        assert_eq!(stems.stem("quickly"), "quick");
        let long: Vec<_> = words("a supercalifragilisticexpialidociousandmoreandmore b").collect();
        assert_eq!(long.len(), 2);
        assert_eq!(
            long[1].position, 2,
            "a dropped word leaves a gap in positions"
        );
    }
}
