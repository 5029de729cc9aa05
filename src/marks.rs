//! Coding marks: where coders' codings open and close in a transcript, for
//! reading it with its coding (`realist show --coder`, the workbench's
//! highlights and coding stripes).
//!
//! Codings of the same span are one numbered mark listing every code and
//! coder on it. Marks are numbered in text order (by start, the longer
//! first), and placed inside the turns' bodies: a mark that starts on a
//! speaker label opens where the speech begins, and one that ends on the
//! next label closes where the speech before it ends.

use std::collections::{BTreeMap, HashSet};

use crate::coding::CoderFile;
use crate::transcript::Transcript;

/// One coder's use of a code on a mark's span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The coder.
    pub coder: String,
    /// The coding's id.
    pub id: String,
    /// The coder's memo.
    pub memo: Option<String>,
}

/// A span of the transcript that codings cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Its number, from 1, in text order.
    pub number: usize,
    /// The span coded (code points into the canonical text).
    pub start: usize,
    /// Its end (exclusive).
    pub end: usize,
    /// Where the mark opens and closes, moved into turns' bodies.
    pub open: usize,
    /// See `open`.
    pub close: usize,
    /// Code path → who applied it here, in coder order.
    pub codes: BTreeMap<String, Vec<Applied>>,
}

/// A mark opening or closing at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Edge {
    /// A mark closes (inner marks close first).
    Close(std::cmp::Reverse<usize>),
    /// A mark opens.
    Open(usize),
}

impl Edge {
    /// Returns the number of the mark.
    pub fn number(self) -> usize {
        match self {
            Edge::Close(std::cmp::Reverse(n)) | Edge::Open(n) => n,
        }
    }
}

/// The marks of one transcript.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// The marks, by number.
    pub marks: Vec<Mark>,
    /// Codings marked.
    pub shown: usize,
    /// Codings left out because their anchors are stale (their offsets may
    /// point at the wrong text).
    pub hidden: usize,
}

impl Marks {
    /// Lays out the codings of `files` in `t`, leaving out those whose
    /// (coder, id) is in `stale`.
    pub fn of(t: &Transcript, files: &[CoderFile], stale: &HashSet<(String, String)>) -> Marks {
        let mut by_span: BTreeMap<
            (usize, std::cmp::Reverse<usize>),
            BTreeMap<String, Vec<Applied>>,
        > = BTreeMap::new();
        let (mut shown, mut hidden) = (0, 0);
        for f in files {
            for c in f.codings.iter().filter(|c| c.doc == t.id) {
                if stale.contains(&(f.coder.clone(), c.id.clone())) {
                    hidden += 1;
                    continue;
                }
                shown += 1;
                by_span
                    .entry((c.start, std::cmp::Reverse(c.end)))
                    .or_default()
                    .entry(c.code.clone())
                    .or_default()
                    .push(Applied {
                        coder: f.coder.clone(),
                        id: c.id.clone(),
                        memo: c.memo.clone(),
                    });
            }
        }
        let marks = by_span
            .into_iter()
            .enumerate()
            .map(|(i, ((start, end), codes))| {
                let (open, close) = inside_bodies(t, start, end.0);
                Mark {
                    number: i + 1,
                    start,
                    end: end.0,
                    open,
                    close,
                    codes,
                }
            })
            .collect();
        Marks {
            marks,
            shown,
            hidden,
        }
    }

    /// Returns every opening and closing, by place: at one place closings
    /// come before openings, inner marks close first and outer ones open
    /// first.
    pub fn edges(&self) -> Vec<(usize, Edge)> {
        let mut edges: Vec<(usize, Edge)> = self
            .marks
            .iter()
            .flat_map(|m| {
                [
                    (m.open, Edge::Open(m.number)),
                    (m.close, Edge::Close(std::cmp::Reverse(m.number))),
                ]
            })
            .collect();
        edges.sort();
        edges
    }

    /// Returns the marks by where they open, then by number.
    pub fn by_opening(&self) -> Vec<&Mark> {
        let mut marks: Vec<&Mark> = self.marks.iter().collect();
        marks.sort_by_key(|m| (m.open, m.number));
        marks
    }
}

/// Returns `start..end` moved inside the turns' bodies: the start to the
/// first body it reaches, the end back to the last body it reaches.
fn inside_bodies(t: &Transcript, start: usize, end: usize) -> (usize, usize) {
    let next = t
        .turns
        .iter()
        .find(|turn| start < turn.body.end)
        .map_or(start, |turn| start.max(turn.body.start));
    let prev = t
        .turns
        .iter()
        .rev()
        .find(|turn| end > turn.body.start)
        .map_or(end, |turn| end.min(turn.body.end));
    (next, prev.max(next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::Coding;
    use crate::text::Span;
    use crate::transcript::Reading;

    fn transcript() -> Transcript {
        let text = "**A:** one two three\n\n**B:** four five six\n";
        Transcript::parse(
            std::path::Path::new("d.md"),
            text.as_bytes(),
            &Reading::default(),
        )
        .unwrap()
        .0
    }

    #[test]
    fn codings_of_one_span_share_a_mark_and_marks_stay_inside_speech() {
        let t = transcript();
        // "A: one two three\n\nB: four five six"
        let coding = |coder: &str, code: &str, span: Span| {
            Coding::new(coder, &t, span, code, None, "2026-01-01T00:00:00Z", None)
        };
        let files = vec![
            CoderFile {
                coder: "ana".into(),
                path: "codings/ana.jsonl".into(),
                finished: None,
                codings: vec![
                    coding("ana", "Speed", Span::new(3, 10)),
                    // From the first label over both turns.
                    coding("ana", "Trust", Span::new(0, 33)),
                ],
            },
            CoderFile {
                coder: "ben".into(),
                path: "codings/ben.jsonl".into(),
                finished: None,
                codings: vec![coding("ben", "Speed", Span::new(3, 10))],
            },
        ];
        let marks = Marks::of(&t, &files, &HashSet::new());
        assert_eq!(marks.shown, 3);
        assert_eq!(marks.marks.len(), 2);
        let outer = &marks.marks[0];
        assert_eq!((outer.number, outer.start, outer.end), (1, 0, 33));
        assert_eq!((outer.open, outer.close), (3, 33), "opens after the label");
        let inner = &marks.marks[1];
        assert_eq!(inner.codes["Speed"].len(), 2);
        assert_eq!(
            marks.edges(),
            vec![
                (3, Edge::Open(1)),
                (3, Edge::Open(2)),
                (10, Edge::Close(std::cmp::Reverse(2))),
                (33, Edge::Close(std::cmp::Reverse(1))),
            ]
        );
        let stale: HashSet<(String, String)> =
            [("ben".to_string(), files[1].codings[0].id.clone())].into();
        let marks = Marks::of(&t, &files, &stale);
        assert_eq!((marks.shown, marks.hidden), (2, 1));
    }
}
