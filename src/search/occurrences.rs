//! Occurrences: where the query's positive terms occur in a matching turn.
//!
//! The index says which turns match; this walks a matching turn's words
//! (with the index's own analysis, [`crate::analysis`]) to find the byte span
//! of every occurrence of each [`Leaf`] of the query, and cuts the words of
//! context on either side of a match.

use crate::analysis::{self, Stems, Word};
use crate::suggest::edit_distance;

/// A positive term of the query, as matched against a turn's words.
#[derive(Debug, Clone)]
pub(super) enum Leaf {
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
pub(super) fn occurrences(
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
            } => terms_spans(&mut forms, stems, terms, *stemmed, *slop, &mut spans),
            Leaf::Prefix(p) => prefix_spans(&mut forms, p, &mut spans),
            Leaf::Fuzzy(term, d) => fuzzy_spans(&mut forms, term, *d, &mut spans),
        }
    }
    merge(spans)
}

/// Adds the spans of a word or phrase: from its first word to its last.
fn terms_spans(
    forms: &mut Forms,
    stems: &mut Stems,
    terms: &[String],
    stemmed: bool,
    slop: u32,
    spans: &mut Vec<(usize, usize)>,
) {
    let words = forms.words;
    let initial = first_char(&terms[0]);
    for i in 0..words.len() {
        if forms.first[i] != initial || forms.form(i, stemmed, stems) != terms[0] {
            continue;
        }
        if let Some(last) = phrase_end(forms, stems, i, &terms[1..], stemmed, slop) {
            spans.push((words[i].from, words[last].to));
        }
    }
}

/// Adds the spans of the words that start with the lower-cased prefix `p`.
fn prefix_spans(forms: &mut Forms, p: &str, spans: &mut Vec<(usize, usize)>) {
    let words = forms.words;
    let initial = first_char(p);
    for (i, w) in words.iter().enumerate() {
        if forms.first[i] == initial && forms.lower(i).starts_with(p) {
            spans.push((w.from, w.to));
        }
    }
}

/// Adds the spans of the words within edit distance `d` of `term`.
fn fuzzy_spans(forms: &mut Forms, term: &str, d: u8, spans: &mut Vec<(usize, usize)>) {
    let len = term.chars().count();
    let d = d as usize;
    let words = forms.words;
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

/// Returns the spans sorted, with overlapping ones merged.
fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
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

/// Returns up to `n` words before byte offset `from`, whitespace collapsed.
pub(super) fn context_left(text: &str, words: &[Word], from: usize, n: usize) -> String {
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

/// Returns up to `n` words after byte offset `to`, whitespace collapsed.
pub(super) fn context_right(text: &str, words: &[Word], to: usize, n: usize) -> String {
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
}
