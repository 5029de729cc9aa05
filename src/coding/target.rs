//! What a coder points at: a turn, a range of turns, offsets or a quote.

use crate::error::{Error, Result, TargetProblem};
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
            Target::Quote { quote, .. } => Ok(find_quote(t, quote, Hint::default())?.span),
        }
    }
}

/// How a quote was found in a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Matched {
    /// As written (accents composed or decomposed alike).
    Exactly,
    /// With other white space or line breaks, quote marks, dashes or case.
    Loosely,
}

/// A quote found in a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Where.
    pub span: Span,
    /// How.
    pub matched: Matched,
}

/// How a coding given by its text was placed (`"type":"placed"`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Placed {
    /// The line of the file it came from (imports), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The document.
    pub doc: String,
    /// Where it was placed.
    pub start: usize,
    /// Its end.
    pub end: usize,
    /// How its quote was found.
    pub matched: Matched,
    /// True when the offsets it came with were replaced (they did not fit
    /// its quote).
    pub replaced_offsets: bool,
}

/// What helps choose among a quote's occurrences: an offset it should be
/// near, and the text it should have around it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hint<'a> {
    /// The offset (code points) given with the quote, if any.
    pub near: Option<usize>,
    /// Text that came before the quote.
    pub before: &'a str,
    /// Text that came after it.
    pub after: &'a str,
}

/// Finds `quote` in `t`: as written, or else loosely (other white space
/// and line breaks, quote marks, dashes, case). Among several occurrences
/// the hint chooses: the one with most of its context around it, or else
/// the nearest to its offset; without a way to choose, the error lists
/// every occurrence with its context.
pub fn find_quote(t: &Transcript, quote: &str, hint: Hint) -> Result<Found> {
    if quote.trim().is_empty() {
        return Err(TargetProblem::EmptyQuote.into());
    }
    let (spans, matched) = match occurrences(&t.text, quote) {
        exact if !exact.is_empty() => (exact, Matched::Exactly),
        _ => (loose_occurrences(&t.text, quote), Matched::Loosely),
    };
    let found = |span: Span| Found { span, matched };
    match spans.as_slice() {
        [] => Err(TargetProblem::QuoteNotFound { doc: t.id.clone() }.into()),
        [one] => Ok(found(*one)),
        many => match choose(t, many, hint) {
            Some(span) => Ok(found(span)),
            None => Err(TargetProblem::QuoteRepeated {
                doc: t.id.clone(),
                count: many.len(),
                places: many.iter().map(|s| place(t, *s)).collect(),
            }
            .into()),
        },
    }
}

/// Returns "turn 3 @120-133 “…what came before [the quote] what came
/// after…”": where a span is, with its context.
fn place(t: &Transcript, s: Span) -> String {
    let turn = t
        .turn_at(s.start)
        .map_or(String::new(), |turn| format!("turn {} ", turn.number));
    let len = t.char_len();
    let before = t.slice(Span::new(s.start.saturating_sub(25), s.start));
    let after = t.slice(Span::new(s.end, (s.end + 25).min(len)));
    let flat = |x: &str| {
        let mut out = String::with_capacity(x.len());
        let mut space = false;
        for c in x.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        if space {
            out.push(' ');
        }
        out
    };
    format!(
        "{turn}@{}-{} “…{}[{}]{}…”",
        s.start,
        s.end,
        flat(before).trim_start(),
        flat(t.slice(s)),
        flat(after).trim_end()
    )
}

/// Chooses one of `spans` by the hint: most context in common (when the
/// hint has context and one occurrence has more than the others), else
/// nearest to the hint's offset (when it has one and one occurrence is
/// nearer than the others).
fn choose(t: &Transcript, spans: &[Span], hint: Hint) -> Option<Span> {
    let unique_best = |scores: Vec<(usize, Span)>, better: fn(usize, usize) -> bool| {
        let best = scores
            .iter()
            .map(|x| x.0)
            .reduce(|a, b| if better(b, a) { b } else { a })?;
        let at_best: Vec<Span> = scores.iter().filter(|x| x.0 == best).map(|x| x.1).collect();
        (at_best.len() == 1).then(|| at_best[0])
    };
    if !hint.before.is_empty() || !hint.after.is_empty() {
        let len = t.char_len();
        let scores: Vec<(usize, Span)> = spans
            .iter()
            .map(|s| {
                let before = t.slice(Span::new(
                    s.start.saturating_sub(hint.before.chars().count()),
                    s.start,
                ));
                let after = t.slice(Span::new(
                    s.end,
                    (s.end + hint.after.chars().count()).min(len),
                ));
                let common_before = hint
                    .before
                    .chars()
                    .rev()
                    .zip(before.chars().rev())
                    .take_while(|(a, b)| a == b)
                    .count();
                let common_after = hint
                    .after
                    .chars()
                    .zip(after.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                (common_before + common_after, *s)
            })
            .collect();
        if scores.iter().any(|x| x.0 > 0)
            && let Some(s) = unique_best(scores, |a, b| a > b)
        {
            return Some(s);
        }
    }
    let near = hint.near?;
    unique_best(
        spans.iter().map(|s| (s.start.abs_diff(near), *s)).collect(),
        |a, b| a < b,
    )
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

/// Writes `c` folded for a loose comparison into `out`: lower case,
/// typographic quotes, dashes and the ellipsis as plain ones.
fn fold(c: char, out: &mut Vec<char>) {
    match c {
        '‘' | '’' | '‛' | '`' | 'ʼ' => out.push('\''),
        '“' | '”' | '„' => out.push('"'),
        '–' | '—' | '‐' | '‑' | '‒' => out.push('-'),
        '…' => out.extend(['.', '.', '.']),
        c => out.extend(c.to_lowercase()),
    }
}

/// Returns `text` folded (see [`fold`]) with white space runs made one
/// space, and for each folded character the byte offset it came from.
fn folded(text: &str) -> (String, Vec<usize>) {
    let mut chars = Vec::new();
    let mut from = Vec::new();
    let mut space = false;
    for (b, c) in text.char_indices() {
        if c.is_whitespace() {
            if !space {
                chars.push(' ');
                from.push(b);
            }
            space = true;
        } else {
            let n = chars.len();
            fold(c, &mut chars);
            from.extend(std::iter::repeat_n(b, chars.len() - n));
            space = false;
        }
    }
    from.push(text.len());
    (chars.into_iter().collect(), from)
}

/// Returns spans of `text` that equal `quote` ignoring case, white space
/// and line-break differences, typographic quote marks, dashes and
/// composed or decomposed accents.
fn loose_occurrences(text: &str, quote: &str) -> Vec<Span> {
    let composed = crate::normalize::Composed::new(text);
    let (hay, from) = folded(&composed.text);
    let (needle, _) = folded(crate::normalize::nfc(quote.trim()).as_ref());
    if needle.trim().is_empty() {
        return Vec::new();
    }
    // Byte offset in `hay` → index into `from` (one entry per char).
    let char_at: Vec<usize> = hay.char_indices().map(|(b, _)| b).collect();
    let index_of = |b: usize| char_at.partition_point(|&x| x < b);
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = hay[at..].find(needle.as_str()) {
        let b = at + i;
        let (first, last) = (index_of(b), index_of(b + needle.len()) - 1);
        let end_byte = from[last]
            + composed.text[from[last]..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        let (start, end) = composed.original(from[first], end_byte);
        if !out.iter().any(|s: &Span| s.start == start) {
            out.push(Span::new(start, end));
        }
        at = b + hay[b..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Reading;
    use std::path::Path;

    fn doc() -> Transcript {
        let text = "**SW1:** We bought it straight away — “same day”.\n\n**Mum:** Straight away, yes. Zoë’s fine.\n\n**SW1:**\n";
        Transcript::parse(Path::new("d.md"), text.as_bytes(), &Reading::default())
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
    fn a_quote_is_found_loosely_and_a_repeat_chosen_by_its_hint() {
        let t = doc();
        let text = "“same\nday”";
        let f = find_quote(&t, text, Hint::default()).unwrap();
        assert_eq!(
            (t.slice(f.span), f.matched),
            ("“same day”", Matched::Loosely)
        );
        let f = find_quote(&t, "straight away—", Hint::default());
        assert!(f.is_err(), "no dash right after it");
        // Two occurrences: an offset chooses the nearer, context the one
        // it sits in.
        let both = occurrences(&t.text, "traight away");
        let near = |n: usize| Hint {
            near: Some(n),
            ..Hint::default()
        };
        let f = find_quote(&t, "traight away", near(both[1].start + 3)).unwrap();
        assert_eq!(f.span, both[1]);
        let f = find_quote(
            &t,
            "traight away",
            Hint {
                before: "Mum: S",
                ..Hint::default()
            },
        )
        .unwrap();
        assert_eq!(f.span, both[1]);
        // Loose matches compose accents.
        let f = find_quote(&t, "ZOE\u{308}’S", Hint::default()).unwrap();
        assert_eq!(t.slice(f.span), "Zoë’s");
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
            e.starts_with("the quote occurs 2 times in 'd'; quote more of the text, or name one with DOC@START-END:\n    turn 1 @"),
            "{e}"
        );
        assert!(
            e.contains(
                "turn 2 @53-65 “…way — “same day”. Mum: S[traight away], yes. Zoë’s fine. SW1:…”"
            ),
            "{e}"
        );
        // Found loosely: other spacing, quote marks and case.
        let s = q("zoë's  FINE").unwrap();
        assert_eq!(t.slice(s), "Zoë’s fine");
        // The library says what is wrong; the command line adds how to see
        // the canonical text (`realist show DOC --plain`).
        assert_eq!(
            q("nothing like it").unwrap_err().to_string(),
            "the quote does not occur in 'd', not even with other spacing, quote marks or case"
        );
    }
}
