//! Text analysis shared by indexing and search.
//!
//! Turn text is indexed twice: *stemmed* (`budgets` and `budgeting` both
//! become `budget`) and *exact* (lower-cased, unstemmed). Both split words
//! the same way: a word is a maximal run of alphanumeric characters and the
//! combining marks after them (a decomposed accent stays in its word), so
//! `don't` is `don` + `t` and `£1,000` is `1` + `000`; words of 40 bytes or
//! more are dropped, as tantivy's `RemoveLongFilter` does. A word is
//! indexed in its composed form (NFC, [`crate::normalize`]), so `café`
//! typed with one code point finds `café` written with two.
//!
//! Search needs to find *every occurrence* of a query in a matching turn, with
//! its offsets; [`words`] walks a text the same way the index analyzers do so
//! that occurrences and index matches agree. A unit test checks the two
//! against each other.

use std::collections::HashMap;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
    TokenizerManager,
};

use crate::normalize::{extends_word, nfc};

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
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
    manager.register(
        EXACT,
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
    manager.register(
        KEYWORD,
        TextAnalyzer::builder(WholeTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// Splits a text into its [`words`], each in its composed form.
#[derive(Debug, Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The words of one text, as tantivy tokens.
pub struct WordStream<'a> {
    text: &'a str,
    words: Words<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            words: words(text),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(w) = self.words.next() else {
            return false;
        };
        self.token.offset_from = w.from;
        self.token.offset_to = w.to;
        self.token.position = w.position as usize;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(&nfc(&self.text[w.from..w.to]));
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Takes a whole text as one token, in its composed form (labels, roles
/// and attribute values).
#[derive(Debug, Clone, Default)]
pub struct WholeTokenizer {
    token: Token,
}

/// The one token of a [`WholeTokenizer`].
pub struct WholeStream<'a> {
    token: &'a mut Token,
    done: bool,
}

impl Tokenizer for WholeTokenizer {
    type TokenStream<'a> = WholeStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WholeStream<'a> {
        self.token.reset();
        self.token.position = 0;
        self.token.position_length = 1;
        self.token.offset_to = text.len();
        self.token.text.push_str(&nfc(text));
        WholeStream {
            token: &mut self.token,
            done: false,
        }
    }
}

impl TokenStream for WholeStream<'_> {
    fn advance(&mut self) -> bool {
        let first = !self.done;
        self.done = true;
        first
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
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
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        chars: text.char_indices(),
        position: 0,
    }
}

/// The words of a text, in order (see [`words`]).
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    position: u32,
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        loop {
            let (from, _) = self.chars.find(|(_, c)| c.is_alphanumeric())?;
            let mut to = self.text.len();
            for (i, c) in self.chars.by_ref() {
                if !(c.is_alphanumeric() || extends_word(c)) {
                    to = i;
                    break;
                }
            }
            let p = self.position;
            self.position += 1;
            if to - from < MAX_WORD_BYTES {
                return Some(Word {
                    position: p,
                    from,
                    to,
                });
            }
        }
    }
}

/// Writes the lower-cased composed form of `word` into `out`: the index's
/// form of it (composed as the tokenizers do, lower-cased as tantivy's
/// `LowerCaser`).
pub fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in nfc(word).chars() {
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
        supercalifragilisticexpialidocious-and-then-some-more-letters-here Budgets budgeting \
        Zoe\u{308} cafe\u{301} NAI\u{308}VE \u{301}alone";

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
    fn composed_and_decomposed_words_are_the_same_word() {
        let manager = TokenizerManager::default();
        register(&manager);
        for name in [EXACT, STEMMED, KEYWORD] {
            assert_eq!(
                analyze(&manager, name, "Caf\u{e9}"),
                analyze(&manager, name, "Cafe\u{301}"),
                "{name}"
            );
        }
        let w: Vec<Word> = words("cafe\u{301} au").collect();
        assert_eq!((w[0].from, w[0].to, w[1].position), (0, 6, 1));
        assert_eq!(lowercase("CAFE\u{301}"), "caf\u{e9}");
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
