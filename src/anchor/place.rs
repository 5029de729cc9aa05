//! Placing codings on a changed transcript: by their quote and their
//! context together, never two on one place, never silently far away.
//!
//! The codings of one coder with one code in one document are placed
//! together ([`place_all`]). Those whose quote still sits at their offsets
//! keep them. Each of the others is looked for, in this order:
//!
//! 1. **by context**: an occurrence of its exact quote whose surroundings
//!    still read as they did (at least [`strong`] code points of the old
//!    context on either side in common): the one with most context in
//!    common; when several have as much, the first in text order not yet
//!    taken (codings keep their order); reported as *nearby* when it is
//!    within [`NEARBY`] code points of the old place;
//! 2. **close match**: a word-level alignment of context + quote + context
//!    against the document (edit distance over words, free start and end),
//!    accepted when at most a quarter of the quote's words (at least one)
//!    and a third of all the pattern's words differ: a corrected word, a
//!    reworded phrase around the same context;
//! 3. **the quote alone**: an exact occurrence without its context is taken
//!    only when it is the only one, has three words or more, and still has
//!    a little context in common; a short quote, or the same words said by
//!    someone else later (an interviewer echoing them), is not enough.
//!
//! An occurrence another coding of the group already holds is never given
//! to a second one. What cannot be told apart is [`Placement::Ambiguous`],
//! what cannot be found [`Placement::Lost`]: the caller keeps the coding
//! where it was and flags it, never drops or moves it.

use crate::analysis;
use crate::coding::target::occurrences;
use crate::coding::{self, Coding};
use crate::text::{CharCursor, Span};
use crate::transcript::Transcript;

/// How far (code points) from its old start a move counts as nearby.
pub const NEARBY: usize = 2000;

/// Largest alignment matrix (pattern words × document words) to compute;
/// beyond it the document is cut to a window around the old position.
const MAX_CELLS: usize = 30_000_000;

/// How a coding was placed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum How {
    /// The exact quote with its context, near its old offsets.
    Nearby,
    /// The exact quote elsewhere, identified by its context.
    Context,
    /// A close match; `edits` words of the quote differ.
    Fuzzy {
        /// Words inserted, deleted or changed within the quote.
        edits: usize,
    },
}

impl std::fmt::Display for How {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            How::Nearby => f.write_str("exact quote nearby"),
            How::Context => f.write_str("exact quote found by its context"),
            How::Fuzzy { edits: 1 } => f.write_str("close match, 1 word differs"),
            How::Fuzzy { edits } => write!(f, "close match, {edits} words differ"),
        }
    }
}

/// Where a coding belongs in the current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// The quote still sits at the coding's offsets.
    Fits,
    /// The text was found at `span`.
    Moved {
        /// The new span.
        span: Span,
        /// How it was found.
        how: How,
    },
    /// The quote occurs at several places and nothing tells which is the
    /// coding's (or each is another coding's).
    Ambiguous {
        /// The places it occurs, free or not.
        spans: Vec<Span>,
    },
    /// The quote occurs only where its context does not match (another
    /// speaker saying the same words, say): too little to move it there.
    OutOfContext {
        /// Where it occurs.
        span: Span,
    },
    /// The text could not be found.
    Lost,
}

impl Placement {
    /// Why a coding that was not placed stays where it was, for its
    /// `unplaced` flag; `None` when it was placed.
    pub fn reason(&self) -> Option<String> {
        let at = |s: &Span| format!("@{}-{}", s.start, s.end);
        match self {
            Placement::Fits | Placement::Moved { .. } => None,
            Placement::Ambiguous { spans } => Some(format!(
                "ambiguous: its text occurs {} times ({}) and its context does not tell which is its own",
                spans.len(),
                spans.iter().take(5).map(at).collect::<Vec<_>>().join(", ")
            )),
            Placement::OutOfContext { span } => Some(format!(
                "its text occurs only at {}, where what is said around it differs: not moved there",
                at(span)
            )),
            Placement::Lost => Some("its text was not found in the current transcript".to_string()),
        }
    }
}

/// Returns where coding `c` belongs in transcript `t`, on its own (see the
/// module docs; [`place_all`] places a group of codings).
pub fn place(t: &Transcript, c: &Coding) -> Placement {
    place_all(t, &[c]).remove(0)
}

/// Returns where each of `codings` belongs in `t`: codings of one coder
/// with one code in this document, placed so that no two share a place.
pub fn place_all(t: &Transcript, codings: &[&Coding]) -> Vec<Placement> {
    let mut out: Vec<Option<Placement>> = codings
        .iter()
        .map(|c| c.fits(t).then_some(Placement::Fits))
        .collect();
    // Places held: the spans of codings that fit, then of those placed.
    let mut taken: Vec<Span> = codings
        .iter()
        .zip(&out)
        .filter(|(_, p)| p.is_some())
        .map(|(c, _)| c.span())
        .collect();
    let mut order: Vec<usize> = (0..codings.len()).filter(|&i| out[i].is_none()).collect();
    order.sort_by_key(|&i| (codings[i].start, codings[i].end));
    let mut last_start = 0;
    let alone = order.len() == 1;
    for i in order {
        let p = place_one(t, codings[i], &taken, last_start, alone);
        if let Placement::Moved { span, .. } = &p {
            taken.push(*span);
            last_start = span.start;
        }
        out[i] = Some(p);
    }
    out.into_iter()
        .map(|p| p.unwrap_or(Placement::Lost))
        .collect()
}

/// An occurrence of a coding's exact quote, with how much of the old
/// context surrounds it.
#[derive(Debug, Clone, Copy)]
struct Found {
    span: Span,
    /// Code points of the old context in common (before and after).
    context: usize,
    /// Distance from the old start.
    distance: usize,
}

/// Returns the code points of context in common that identify an
/// occurrence: a third of the context the coding kept, at least 4 and at
/// most 24.
pub fn strong(c: &Coding) -> usize {
    ((c.before.chars().count() + c.after.chars().count()) / 3).clamp(4, 24)
}

fn place_one(
    t: &Transcript,
    c: &Coding,
    taken: &[Span],
    last_start: usize,
    alone: bool,
) -> Placement {
    let found = exact(t, c);
    let free = |s: &Span| !taken.iter().any(|x| x.start < s.end && s.start < x.end);
    // 1. By context.
    let threshold = strong(c);
    let best = found
        .iter()
        .filter(|f| f.context >= threshold && free(&f.span))
        .map(|f| f.context)
        .max();
    if let Some(best) = best {
        let tied: Vec<&Found> = found
            .iter()
            .filter(|f| f.context == best && free(&f.span))
            .collect();
        // Equal context: a coding placed on its own cannot be told apart;
        // codings placed together keep their order (the first at or after
        // the last one placed), else the nearest.
        if alone && tied.len() > 1 {
            return Placement::Ambiguous {
                spans: found.iter().map(|f| f.span).collect(),
            };
        }
        let pick = tied
            .iter()
            .find(|f| f.span.start >= last_start)
            .or_else(|| tied.iter().min_by_key(|f| f.distance))
            .copied()
            .copied();
        if let Some(f) = pick {
            let how = if f.distance <= NEARBY {
                How::Nearby
            } else {
                How::Context
            };
            return Placement::Moved { span: f.span, how };
        }
    }
    // 2. A close match with its context.
    if let Some((span, edits)) = fuzzy(t, c)
        && free(&span)
    {
        return Placement::Moved {
            span,
            how: How::Fuzzy { edits },
        };
    }
    // 3. The quote alone.
    let open: Vec<&Found> = found.iter().filter(|f| free(&f.span)).collect();
    let words = c.quote.split_whitespace().count();
    match open.as_slice() {
        [] if found.is_empty() => Placement::Lost,
        [] => Placement::Ambiguous {
            spans: found.iter().map(|f| f.span).collect(),
        },
        [one] if found.len() == 1 && words >= 3 && one.context >= 4 => Placement::Moved {
            span: one.span,
            how: How::Context,
        },
        [one] if found.len() == 1 => Placement::OutOfContext { span: one.span },
        _ => Placement::Ambiguous {
            spans: found.iter().map(|f| f.span).collect(),
        },
    }
}

/// Counts equal characters at the end of `a` and `b`.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Counts equal characters at the start of `a` and `b`.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Returns every occurrence of `c`'s exact quote that does not cut a word
/// the quote did not cut, with its context in common.
fn exact(t: &Transcript, c: &Coding) -> Vec<Found> {
    // A quote that began (ended) at a word boundary must be found at one:
    // "quick" is not found inside "quicker".
    let alnum = |ch: Option<char>| ch.is_some_and(char::is_alphanumeric);
    let open_start = alnum(c.quote.chars().next()) && !alnum(c.before.chars().last());
    let open_end = alnum(c.quote.chars().last()) && !alnum(c.after.chars().next());
    let len = t.char_len();
    occurrences(&t.text, &c.quote)
        .into_iter()
        .filter(|s| {
            let prev = t
                .slice(Span::new(s.start.saturating_sub(1), s.start))
                .chars()
                .next();
            let next = t
                .slice(Span::new(s.end, (s.end + 1).min(len)))
                .chars()
                .next();
            !((open_start && alnum(prev)) || (open_end && alnum(next)))
        })
        .map(|s| {
            let before = t.slice(Span::new(
                s.start.saturating_sub(c.before.chars().count()),
                s.start,
            ));
            let after = t.slice(Span::new(s.end, (s.end + c.after.chars().count()).min(len)));
            Found {
                span: s,
                context: common_suffix(&c.before, before) + common_prefix(&c.after, after),
                distance: s.start.abs_diff(c.start),
            }
        })
        .collect()
}

/// Returns the lower-cased words of `text` with their code point spans.
fn words_of(text: &str, base: usize) -> Vec<(String, Span)> {
    let mut cursor = CharCursor::new(text);
    analysis::words(text)
        .map(|w| {
            let s = base + cursor.to_chars(w.from);
            let e = base + cursor.to_chars(w.to);
            (analysis::lowercase(&text[w.from..w.to]), Span::new(s, e))
        })
        .collect()
}

/// Returns the span of the close match of `c` (context + quote + context)
/// in `t` and how many of the quote's words differ, if it is close enough.
fn fuzzy(t: &Transcript, c: &Coding) -> Option<(Span, usize)> {
    let mut before: Vec<String> = words_of(&c.before, 0).into_iter().map(|w| w.0).collect();
    let mut after: Vec<String> = words_of(&c.after, 0).into_iter().map(|w| w.0).collect();
    // Context was cut at a fixed length: its outer words may be partial.
    if c.before.chars().count() >= coding::CONTEXT && !before.is_empty() {
        before.remove(0);
    }
    if c.after.chars().count() >= coding::CONTEXT {
        after.pop();
    }
    let quote: Vec<String> = words_of(&c.quote, 0).into_iter().map(|w| w.0).collect();
    if quote.is_empty() {
        return None;
    }
    let pattern: Vec<&str> = before
        .iter()
        .chain(&quote)
        .chain(&after)
        .map(String::as_str)
        .collect();
    let q_rows = before.len() + 1..=before.len() + quote.len();

    let mut text_words = words_of(&t.text, 0);
    if pattern.len() * text_words.len() > MAX_CELLS {
        let around = text_words.partition_point(|w| w.1.start < c.start);
        let half = (MAX_CELLS / pattern.len() / 2).max(pattern.len());
        let lo = around.saturating_sub(half);
        let hi = (around + half).min(text_words.len());
        text_words = text_words[lo..hi].to_vec();
    }
    let text: Vec<&str> = text_words.iter().map(|w| w.0.as_str()).collect();
    let a = super::align::align(&pattern, &text, q_rows)?;
    let total_ok = a.cost * 3 <= pattern.len();
    let quote_ok = a.quote_edits * 4 <= quote.len().max(4);
    if !(total_ok && quote_ok) {
        return None;
    }
    let mut span = Span::new(text_words[a.first].1.start, text_words[a.last].1.end);
    // Keep punctuation the old quote had around its first and last words.
    let lead = c.quote.chars().take_while(|c| !c.is_alphanumeric()).count();
    let trail = c
        .quote
        .chars()
        .rev()
        .take_while(|c| !c.is_alphanumeric())
        .count();
    let (old_lead, old_trail) = (
        c.quote.chars().take(lead).collect::<String>(),
        c.quote
            .chars()
            .skip(c.quote.chars().count() - trail)
            .collect::<String>(),
    );
    if lead > 0
        && span.start >= lead
        && t.slice(Span::new(span.start - lead, span.start)) == old_lead
    {
        span.start -= lead;
    }
    if trail > 0 && t.slice(Span::new(span.end, span.end + trail)) == old_trail {
        span.end += trail;
    }
    Some((span, a.quote_edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::target::occurrences;
    use crate::transcript::Reading;
    use std::path::Path;

    fn parse(text: &str) -> Transcript {
        Transcript::parse(Path::new("d.md"), text.as_bytes(), &Reading::default())
            .unwrap()
            .0
    }

    const OLD: &str = "**SW1:** The budget was quick. We bought Kayleigh a cooker straight away and her mum cried.\n\n**Mum:** It was the first time anyone did what they said.\n\n**SW1:** Yes, straight away.\n";

    fn coding(t: &Transcript, quote: &str, nth: usize) -> Coding {
        let s = occurrences(&t.text, quote)[nth];
        Coding::new("ana", t, s, "Speed", None, "2026-01-01T00:00:00Z", None)
    }

    fn moved(t: &Transcript, c: &Coding) -> (String, How) {
        match place(t, c) {
            Placement::Moved { span, how } => (t.slice(span).to_string(), how),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unchanged_text_fits() {
        let t = parse(OLD);
        assert_eq!(place(&t, &coding(&t, "straight away", 1)), Placement::Fits);
    }

    #[test]
    fn an_earlier_edit_moves_the_exact_quote_nearby() {
        let old = parse(OLD);
        let c = coding(&old, "straight away", 1);
        let new = parse(&OLD.replace("Kayleigh", "Jade (pseudonym)"));
        let (text, how) = moved(&new, &c);
        assert_eq!((text.as_str(), how), ("straight away", How::Nearby));
        // The second occurrence, not the nearer first one: context decides.
        match place(&new, &c) {
            Placement::Moved { span, .. } => assert!(span.start > new.text.find("Yes").unwrap()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn far_moves_are_found_by_context() {
        let old = parse(OLD);
        let c = coding(&old, "did what they said", 0);
        let filler = "**TM:** ".to_string() + &"word ".repeat(600) + "\n\n";
        let new = parse(&format!("{filler}{OLD}"));
        assert_eq!(
            moved(&new, &c),
            ("did what they said".to_string(), How::Context)
        );
    }

    #[test]
    fn a_corrected_word_is_found_by_fuzzy_match() {
        let old = parse(OLD);
        let c = coding(
            &old,
            "We bought Kayleigh a cooker straight away and her mum cried.",
            0,
        );
        let new = parse(&OLD.replace("Kayleigh", "Jade"));
        assert_eq!(
            moved(&new, &c),
            (
                "We bought Jade a cooker straight away and her mum cried.".to_string(),
                How::Fuzzy { edits: 1 }
            )
        );
        // A one-word quote is placed by its context, and not inside a
        // longer word.
        let c = coding(&old, "quick", 0);
        let new = parse(&OLD.replace("The budget was quick", "The budget, it was speedy"));
        assert_eq!(
            moved(&new, &c),
            ("speedy".to_string(), How::Fuzzy { edits: 1 })
        );
        let new = parse(&OLD.replace("The budget was quick", "Budgets were quicker"));
        assert_eq!(place(&new, &c), Placement::Lost);
    }

    #[test]
    fn rewritten_text_is_lost() {
        let old = parse(OLD);
        let c = coding(&old, "It was the first time anyone did what they said.", 0);
        let new = parse(&OLD.replace(
            "It was the first time anyone did what they said.",
            "Honestly I can't remember much about that period at all.",
        ));
        assert_eq!(place(&new, &c), Placement::Lost);
    }

    #[test]
    fn a_repeated_phrase_keeps_each_coding_on_its_own_occurrence() {
        // The same phrase three times, each coded; text inserted before
        // them shifts every occurrence onto another's old offsets.
        let old_text = "**A:** One. I said straight away to the first one.\n\n**B:** Two. Then straight away to the second one.\n\n**A:** Three. And straight away to the third one.\n";
        let old = parse(old_text);
        let cs: Vec<Coding> = (0..3).map(|n| coding(&old, "straight away", n)).collect();
        let shift = "x ".repeat(14);
        let new = parse(&old_text.replace("**A:** One.", &format!("**A:** One. {shift}")));
        let group: Vec<&Coding> = cs.iter().collect();
        let placed = place_all(&new, &group);
        let spans: Vec<Span> = placed
            .iter()
            .map(|p| match p {
                Placement::Moved { span, .. } => *span,
                other => panic!("{other:?}"),
            })
            .collect();
        let expected = occurrences(&new.text, "straight away");
        assert_eq!(spans, expected, "each to its own, in order");
    }

    #[test]
    fn codings_of_identical_passages_keep_their_order_or_are_flagged() {
        // Identical surroundings: the context cannot tell the occurrences
        // apart. Codings placed together keep their order; one alone is
        // flagged, not moved to the nearest.
        let unit = "**A:** Yes, straight away, yes.\n\n";
        let old_text = unit.repeat(5);
        let old = parse(&old_text);
        let new = parse(&format!("**B:** Something new first.\n\n{old_text}"));
        let cs: Vec<Coding> = (0..5).map(|n| coding(&old, "straight away", n)).collect();
        let placed = place_all(&new, &cs.iter().collect::<Vec<_>>());
        let expected = occurrences(&new.text, "straight away");
        for (p, e) in placed.iter().zip(&expected) {
            assert!(
                matches!(p, Placement::Moved { span, .. } if span == e),
                "{p:?}"
            );
        }
        // The middle one alone: three occurrences have all its context.
        assert!(matches!(
            place(&new, &cs[2]),
            Placement::Ambiguous { spans } if spans.len() == 5
        ));
    }

    #[test]
    fn a_short_quote_is_not_moved_onto_someone_elses_words() {
        // "Yeah." corrected to "Yes.": the coding follows the correction by
        // its context, not the nearest other "Yeah." in another turn.
        let old_text =
            "**I:** Did it help at all?\n\n**P:** Yeah. It did, honestly.\n\n**I:** Yeah. Okay.\n";
        let old = parse(old_text);
        let c = coding(&old, "Yeah.", 0);
        let new = parse(&old_text.replacen("Yeah. It did", "Yes. It did", 1));
        match place(&new, &c) {
            Placement::Moved { span, how } => {
                assert_eq!(new.slice(span), "Yes.");
                assert!(matches!(how, How::Fuzzy { .. }), "{how:?}");
            }
            other => panic!("{other:?}"),
        }
        // Rewritten beyond recognition: the other "Yeah." is not taken.
        let new = parse(&old_text.replacen(
            "Yeah. It did, honestly.",
            "Not really, no, it was a difficult time for all of us.",
            1,
        ));
        assert!(
            !matches!(place(&new, &c), Placement::Moved { .. }),
            "{:?}",
            place(&new, &c)
        );
    }

    #[test]
    fn an_echo_of_the_old_wording_does_not_take_the_coding() {
        // The participant's sentence is corrected; the interviewer had
        // echoed its old wording later. Too different to match closely,
        // the coding is flagged, not moved onto the interviewer's echo.
        let old_text = "**P:** The money came through on the Tuesday after the panel met.\n\n**I:** Hang on. So you said the money came through on the Tuesday after the panel met?\n";
        let old = parse(old_text);
        let c = coding(
            &old,
            "The money came through on the Tuesday after the panel met.",
            0,
        );
        let new = parse(&old_text.replacen(
            "**P:** The money came through on the Tuesday after the panel met.",
            "**P:** Nothing arrived until well into the following month, to be honest.",
            1,
        ));
        let p = place(&new, &c);
        assert!(
            matches!(p, Placement::OutOfContext { .. } | Placement::Lost),
            "{p:?}"
        );
        assert!(p.reason().is_some());
    }
}
