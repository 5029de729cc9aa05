//! What a coder points at: a turn, a range of turns, offsets or a quote.

use crate::error::{Error, Place, Result, TargetProblem};
use crate::text::{CharCursor, Span};
use crate::transcript::Transcript;

/// A span of a document named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `DOC:TURN` or `DOC:FIRST-LAST`: what was said in those turns, from the
    /// first turn's words (after its speaker label) to the end of the last.
    Turns {
        /// Document id.
        doc: String,
        /// First turn (1-based).
        first: usize,
        /// Last turn, inclusive.
        last: usize,
    },
    /// `DOC@START-END`: code points, end exclusive.
    Offsets {
        /// Document id.
        doc: String,
        /// Span in the canonical text.
        span: Span,
    },
    /// An exact quote that must occur exactly once in the document.
    Quote {
        /// Document id.
        doc: String,
        /// The text, as in the canonical text.
        quote: String,
    },
}

fn number(s: &str, what: &'static str, target: &str) -> Result<usize> {
    s.trim().parse().map_err(|_| {
        Error::from(TargetProblem::NotANumber {
            target: target.to_string(),
            what,
            value: s.to_string(),
        })
    })
}

fn range(s: &str, what: &'static str, target: &str) -> Result<(usize, usize)> {
    match s.split_once('-') {
        Some((a, b)) => Ok((number(a, what, target)?, number(b, what, target)?)),
        None => {
            let n = number(s, what, target)?;
            Ok((n, n))
        }
    }
}

impl Target {
    /// Parses `DOC:TURN`, `DOC:TURN-TURN` or `DOC@START-END`.
    pub fn parse(s: &str) -> Result<Target> {
        if let Some((doc, offsets)) = s.rsplit_once('@') {
            let (start, end) = range(offsets, "offset", s)?;
            if !offsets.contains('-') {
                return Err(TargetProblem::NoRange {
                    target: s.to_string(),
                }
                .into());
            }
            if start >= end {
                return Err(TargetProblem::Backwards {
                    target: s.to_string(),
                }
                .into());
            }
            return Ok(Target::Offsets {
                doc: doc.to_string(),
                span: Span::new(start, end),
            });
        }
        if let Some((doc, turns)) = s.rsplit_once(':') {
            let (first, last) = range(turns, "turn", s)?;
            if first == 0 || first > last {
                return Err(TargetProblem::BadTurns {
                    target: s.to_string(),
                }
                .into());
            }
            return Ok(Target::Turns {
                doc: doc.to_string(),
                first,
                last,
            });
        }
        Err(Error::UnreadableTarget {
            target: s.to_string(),
        })
    }

    /// Returns the document id.
    pub fn doc(&self) -> &str {
        match self {
            Target::Turns { doc, .. } | Target::Offsets { doc, .. } | Target::Quote { doc, .. } => {
                doc
            }
        }
    }

    /// Returns the span of `t` the target names, or an error saying why it
    /// names none.
    pub fn resolve(&self, t: &Transcript) -> Result<Span> {
        match self {
            Target::Turns { first, last, .. } => {
                let count = t.turns.len();
                let turn = |n: usize| {
                    t.turn(n).ok_or_else(|| {
                        Error::from(TargetProblem::NoSuchTurn {
                            doc: t.id.clone(),
                            turn: n,
                            count,
                        })
                    })
                };
                let (a, b) = (turn(*first)?, turn(*last)?);
                let span = Span::new(a.body.start, b.body.end);
                if t.slice(span).trim().is_empty() {
                    return Err(TargetProblem::EmptyTurn {
                        doc: t.id.clone(),
                        turn: *first,
                    }
                    .into());
                }
                Ok(span)
            }
            Target::Offsets { span, .. } => {
                let len = t.char_len();
                if span.end > len {
                    return Err(TargetProblem::PastEnd {
                        doc: t.id.clone(),
                        start: span.start,
                        end: span.end,
                        len,
                    }
                    .into());
                }
                if t.slice(*span).trim().is_empty() {
                    return Err(TargetProblem::OnlyWhitespace {
                        doc: t.id.clone(),
                        start: span.start,
                        end: span.end,
                    }
                    .into());
                }
                Ok(*span)
            }
            Target::Quote { quote, .. } => find_quote(t, quote),
        }
    }
}

/// Returns the span of the one exact occurrence of `quote` in `t`.
fn find_quote(t: &Transcript, quote: &str) -> Result<Span> {
    if quote.trim().is_empty() {
        return Err(TargetProblem::EmptyQuote.into());
    }
    let spans = occurrences(&t.text, quote);
    let place = |s: &Span| {
        let turn = t
            .turn_at(s.start)
            .map_or(String::new(), |turn| format!("turn {} ", turn.number));
        format!("{turn}@{}-{}", s.start, s.end)
    };
    match spans.as_slice() {
        [one] => Ok(*one),
        [] => Err(TargetProblem::QuoteNotFound {
            doc: t.id.clone(),
            near: loose_occurrences(&t.text, quote).first().map(|s| Place {
                place: place(s),
                text: t.slice(*s).to_string(),
                start: s.start,
                end: s.end,
            }),
        }
        .into()),
        many => Err(TargetProblem::QuoteRepeated {
            doc: t.id.clone(),
            count: many.len(),
            places: many.iter().take(5).map(place).collect(),
        }
        .into()),
    }
}

/// Returns the code point spans of every occurrence of `needle` in `text`
/// (overlapping occurrences included). Accented letters match whether
/// either side writes them composed or decomposed.
pub fn occurrences(text: &str, needle: &str) -> Vec<Span> {
    if needle.is_empty() {
        return Vec::new();
    }
    let composed_needle = crate::normalize::nfc(needle);
    if matches!(crate::normalize::nfc(text), std::borrow::Cow::Borrowed(_))
        && matches!(composed_needle, std::borrow::Cow::Borrowed(_))
    {
        return exact_occurrences(text, needle);
    }
    let composed = crate::normalize::Composed::new(text);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = composed.text[from..].find(composed_needle.as_ref()) {
        let b = from + i;
        let (start, end) = composed.original(b, b + composed_needle.len());
        out.push(Span::new(start, end));
        from = b + composed.text[b..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// [`occurrences`] of text and needle that are both composed already.
fn exact_occurrences(text: &str, needle: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let len = crate::text::char_len(needle);
    let mut cursor = CharCursor::new(text);
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let b = from + i;
        let start = cursor.to_chars(b);
        out.push(Span::new(start, start + len));
        from = b + text[b..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Folds a character for a loose comparison: lower case, typographic quotes
/// and dashes to plain ones.
fn fold(c: char) -> char {
    match c {
        '‘' | '’' | '‛' | '`' => '\'',
        '“' | '”' | '„' => '"',
        '–' | '—' | '‐' => '-',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Returns `text` folded (see [`fold`]) with whitespace runs made one space,
/// and for each folded character the code point offset it came from.
fn folded(text: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::new();
    let mut from = Vec::new();
    let mut space = false;
    for (i, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            if !space {
                chars.push(' ');
                from.push(i);
            }
            space = true;
        } else {
            chars.push(fold(c));
            from.push(i);
            space = false;
        }
    }
    (chars, from)
}

/// Returns spans of `text` that equal `quote` ignoring case, whitespace
/// differences and typographic quote marks.
fn loose_occurrences(text: &str, quote: &str) -> Vec<Span> {
    let (hay, from) = folded(text);
    let needle: Vec<char> = folded(quote.trim()).0;
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == needle[..])
        .map(|i| {
            let last = i + needle.len() - 1;
            Span::new(from[i], from[last] + 1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::SpeakerPattern;
    use std::path::Path;

    fn doc() -> Transcript {
        let text = "**SW1:** We bought it straight away — “same day”.\n\n**Mum:** Straight away, yes. Zoë’s fine.\n\n**SW1:**\n";
        Transcript::parse(
            Path::new("d.md"),
            text.as_bytes(),
            &SpeakerPattern::default(),
        )
        .unwrap()
        .0
    }

    #[test]
    fn quotes_match_composed_and_decomposed_text_alike() {
        let text = "Zoe\u{308} said caf\u{e9} twice: cafe\u{301}.";
        assert_eq!(
            occurrences(text, "caf\u{e9}"),
            vec![Span::new(10, 14), Span::new(22, 27)]
        );
        assert_eq!(occurrences(text, "Zo\u{eb} said"), vec![Span::new(0, 9)]);
        assert_eq!(occurrences("plain text", "text"), vec![Span::new(6, 10)]);
    }

    #[test]
    fn targets_parse() {
        assert_eq!(
            Target::parse("nb-1:3").unwrap(),
            Target::Turns {
                doc: "nb-1".into(),
                first: 3,
                last: 3
            }
        );
        assert_eq!(
            Target::parse("nb-1:3-5").unwrap(),
            Target::Turns {
                doc: "nb-1".into(),
                first: 3,
                last: 5
            }
        );
        assert_eq!(
            Target::parse("nb-1@10-20").unwrap(),
            Target::Offsets {
                doc: "nb-1".into(),
                span: Span::new(10, 20)
            }
        );
        for bad in [
            "nb-1",
            "nb-1:0",
            "nb-1:5-3",
            "nb-1@20-10",
            "nb-1@7",
            "nb-1:x",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn turns_offsets_and_quotes_resolve() {
        let t = doc();
        let s = Target::parse("d:1").unwrap().resolve(&t).unwrap();
        assert_eq!(t.slice(s), "We bought it straight away — “same day”.");
        let s = Target::parse("d:1-2").unwrap().resolve(&t).unwrap();
        assert!(t.slice(s).ends_with("Zoë’s fine."));
        let e = Target::parse("d:4").unwrap().resolve(&t).unwrap_err();
        assert_eq!(
            e.to_string(),
            "'d' has no turn 4 (it has 3 turns; `realist show d` numbers them)"
        );
        assert!(
            Target::parse("d:3").unwrap().resolve(&t).is_err(),
            "empty turn"
        );
        let e = Target::parse("d@0-999").unwrap().resolve(&t).unwrap_err();
        assert!(
            e.to_string()
                .contains("run past the end of 'd', whose canonical text has")
        );

        let q = |s: &str| {
            Target::Quote {
                doc: "d".into(),
                quote: s.into(),
            }
            .resolve(&t)
        };
        let s = q("Zoë’s fine").unwrap();
        assert_eq!(t.slice(s), "Zoë’s fine");
        let e = q("traight away").unwrap_err().to_string();
        assert!(
            e.starts_with("the quote occurs 2 times in 'd' (turn 1 @"),
            "{e}"
        );
        let e = q("zoë's  FINE").unwrap_err().to_string();
        assert!(e.contains("it occurs at turn 2 @"), "{e}");
        assert!(e.contains("\"Zoë’s fine\""), "{e}");
        // The library says what is wrong; the command line adds how to see
        // the canonical text (`realist show DOC --plain`).
        assert_eq!(
            q("nothing like it").unwrap_err().to_string(),
            "the quote does not occur exactly in 'd' (quotes must match the canonical text exactly)"
        );
    }
}
