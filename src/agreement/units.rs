//! Units of comparison: what a transcript is cut into when coders are
//! compared, and how codings are laid over the units.
//!
//! - `turn`: a speaker turn (its label and all its paragraphs);
//! - `paragraph`: each block of the canonical text between blank lines;
//! - `sentence`: sentences within paragraphs (see [`crate::text::sentences`]),
//!   speaker labels left out;
//! - `char`: every code point of the canonical text, separators included.
//!
//! A unit counts as coded with code X by coder A when any of A's X codings
//! overlaps it by at least one code point. Transcripts are parsed and cut
//! into units in parallel (`each_parsed`); codings are clamped to the text
//! and merged per coder before they are laid over the units (`pieces`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::coding::Coding;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::text::Span;
use crate::transcript::Transcript;

/// What a unit of comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A speaker turn.
    Turn,
    /// A paragraph.
    Paragraph,
    /// A sentence.
    Sentence,
    /// A code point.
    Char,
}

impl Unit {
    /// Returns the unit's name as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Turn => "turn",
            Unit::Paragraph => "paragraph",
            Unit::Sentence => "sentence",
            Unit::Char => "char",
        }
    }
}

/// Returns the units of `t` as sorted, disjoint spans (`Char` has none:
/// it is handled by interval arithmetic).
fn units_of(t: &Transcript, unit: Unit) -> Vec<Span> {
    match unit {
        Unit::Turn => t.turns.iter().map(|turn| turn.span).collect(),
        Unit::Paragraph => t.paragraphs.clone(),
        Unit::Sentence => t.sentences(),
        Unit::Char => Vec::new(),
    }
}

/// A parsed transcript with its units.
type Parsed = (Transcript, Vec<Span>);

/// Calls `f` with each of `documents` (in order) parsed, and its units.
///
/// Parsing a transcript and splitting it into units is most of the work of
/// comparing coders, so it runs on every core, a batch of documents at a
/// time; `f` runs on the calling thread, in document order.
pub(crate) fn each_parsed(
    index: &Index,
    documents: &[String],
    unit: Unit,
    mut f: impl FnMut(&Transcript, &[Span]) -> Result<()>,
) -> Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let batch = 16 * threads;
    for chunk in documents.chunks(batch) {
        let per_thread = chunk.len().div_ceil(threads);
        let parsed: Vec<Result<Vec<Parsed>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .chunks(per_thread)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|doc| {
                                let t = index.transcript(doc)?;
                                let units = units_of(&t, unit);
                                Ok((t, units))
                            })
                            .collect::<Result<Vec<_>>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(Error::WorkerFailed)))
                .collect()
        });
        for part in parsed {
            for (t, units) in part? {
                f(&t, &units)?;
            }
        }
    }
    Ok(())
}

/// Merges overlapping spans (sorted by start) into their union.
pub(crate) fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Per code index, per coder: that coder's merged spans of the code in one document.
pub(crate) type Spans = Vec<Vec<Vec<Span>>>;

/// Returns, per unit of one document, the mask of coders who coded it
/// (`per_coder[i]`: coder i's merged spans).
fn unit_masks(units: &[Span], per_coder: &[Vec<Span>]) -> Vec<u64> {
    let mut masks = vec![0u64; units.len()];
    for (i, spans) in per_coder.iter().enumerate() {
        for s in spans {
            let first = units.partition_point(|u| u.end <= s.start);
            for (k, u) in units[first..].iter().enumerate() {
                if u.start >= s.end {
                    break;
                }
                masks[first + k] |= 1 << i;
            }
        }
    }
    masks
}

/// Cuts `[0, len)` at every boundary of the spans of every list; returns
/// each piece with the indices of the lists whose spans cover it.
fn elementary(len: usize, lists: &[Vec<Span>]) -> Vec<(usize, usize, Vec<usize>)> {
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, len]);
    for spans in lists {
        for s in spans {
            cuts.insert(s.start.min(len));
            cuts.insert(s.end.min(len));
        }
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out = Vec::with_capacity(cuts.len());
    let mut idx = vec![0usize; lists.len()];
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut covering = Vec::new();
        for (i, spans) in lists.iter().enumerate() {
            while idx[i] < spans.len() && spans[idx[i]].end <= a {
                idx[i] += 1;
            }
            if idx[i] < spans.len() && spans[idx[i]].start <= a {
                covering.push(i);
            }
        }
        out.push((a, b, covering));
    }
    out
}

/// Returns a coding's span cut to a text of `len` code points.
pub(crate) fn clamp(c: &Coding, len: usize) -> Span {
    Span::new(c.start.min(len), c.end.min(len))
}

/// Returns the pieces of one document with, per code, the mask of coders
/// who coded them: each unit, or for `Char` each stretch of code points
/// covered by the same codings. `spans[k][i]`: coder i's merged spans of
/// code k.
pub(crate) fn pieces(
    unit: Unit,
    len: usize,
    units: &[Span],
    spans: &Spans,
    m: usize,
) -> Vec<(Span, Vec<u64>)> {
    match unit {
        Unit::Char => {
            // List index k·m + i is code k of coder i.
            let flat: Vec<Vec<Span>> = spans.iter().flatten().cloned().collect();
            elementary(len, &flat)
                .into_iter()
                .map(|(a, b, covering)| {
                    let mut masks = vec![0u64; spans.len()];
                    for idx in covering {
                        masks[idx / m] |= 1 << (idx % m);
                    }
                    (Span::new(a, b), masks)
                })
                .collect()
        }
        _ => {
            let per_code: Vec<Vec<u64>> = spans
                .iter()
                .map(|per_coder| unit_masks(units, per_coder))
                .collect();
            units
                .iter()
                .enumerate()
                .map(|(u, span)| (*span, per_code.iter().map(|masks| masks[u]).collect()))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elementary_pieces_carry_the_coders_covering_them() {
        let a = vec![Span::new(2, 5)];
        let b = vec![Span::new(4, 8)];
        assert_eq!(
            elementary(10, &[a.clone(), b.clone()]),
            vec![
                (0, 2, vec![]),
                (2, 4, vec![0]),
                (4, 5, vec![0, 1]),
                (5, 8, vec![1]),
                (8, 10, vec![])
            ]
        );
        let p = pieces(Unit::Char, 10, &[], &vec![vec![a, b]], 2);
        assert_eq!(
            p,
            vec![
                (Span::new(0, 2), vec![0]),
                (Span::new(2, 4), vec![1]),
                (Span::new(4, 5), vec![3]),
                (Span::new(5, 8), vec![2]),
                (Span::new(8, 10), vec![0])
            ]
        );
    }

    #[test]
    fn a_unit_is_coded_when_a_coding_overlaps_it_by_one_code_point() {
        let units = [Span::new(0, 10), Span::new(12, 20), Span::new(22, 30)];
        // Coder 0 touches the last code point of unit 0 and the first of unit 1.
        let masks = unit_masks(&units, &[vec![Span::new(9, 13)], vec![Span::new(25, 26)]]);
        assert_eq!(masks, vec![1, 1, 2]);
        assert_eq!(
            merged(vec![Span::new(5, 8), Span::new(1, 3), Span::new(2, 6)]),
            vec![Span::new(1, 8)]
        );
    }
}
