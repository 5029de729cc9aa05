//! Re-anchoring: finding a coding's text again after its transcript changed.
//!
//! Transcripts get corrected after coding starts (a misheard word, a name
//! pseudonymised), which shifts offsets. [`place`] looks for the coding's
//! text in the new canonical text, in this order:
//!
//! 1. **nearby**: the exact quote within [`NEARBY`] code points of where it
//!    was (the nearest, preferring the one whose context also matches);
//! 2. **context**: the exact quote elsewhere, if exactly one occurrence has
//!    the most surrounding context in common with the old context, or the
//!    quote (of three words or more) occurs only once in the document;
//! 3. **fuzzy**: a word-level alignment of context + quote + context against
//!    the document (edit distance over words, free start and end), accepted
//!    when at most a quarter of the quote's words (at least one) and a third
//!    of all the pattern's words differ.
//!
//! Anything else is [`Placement::Lost`]: the caller flags it, never drops it.

mod stale;

pub use stale::{Stale, stale};

use std::collections::HashMap;

use crate::analysis;
use crate::coding::store::{self, CoderFile};
use crate::coding::target::occurrences;
use crate::coding::{self, Coding};
use crate::error::Result;
use crate::index::Index;
use crate::text::{CharCursor, Span};
use crate::transcript::Transcript;

/// How far (code points) from its old start an exact quote counts as nearby.
pub const NEARBY: usize = 2000;

/// Largest alignment matrix (pattern words × document words) to compute;
/// beyond it the document is cut to a window around the old position.
const MAX_CELLS: usize = 30_000_000;

/// How a coding was placed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum How {
    /// The exact quote, near its old offsets.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The text could not be found.
    Lost,
}

/// Returns where coding `c` belongs in transcript `t` (see the module docs).
pub fn place(t: &Transcript, c: &Coding) -> Placement {
    if c.fits(t) {
        return Placement::Fits;
    }
    if let Some(p) = exact(t, c) {
        return p;
    }
    fuzzy(t, c).unwrap_or(Placement::Lost)
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

fn exact(t: &Transcript, c: &Coding) -> Option<Placement> {
    // A quote that began (ended) at a word boundary must be found at one:
    // "quick" is not found inside "quicker".
    let alnum = |ch: Option<char>| ch.is_some_and(char::is_alphanumeric);
    let open_start = alnum(c.quote.chars().next()) && !alnum(c.before.chars().last());
    let open_end = alnum(c.quote.chars().last()) && !alnum(c.after.chars().next());
    let len = t.char_len();
    let spans: Vec<Span> = occurrences(&t.text, &c.quote)
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
            let cuts_word = (open_start && alnum(prev)) || (open_end && alnum(next));
            !cuts_word
        })
        .collect();
    if spans.is_empty() {
        return None;
    }
    // (context in common, distance, span) per occurrence.
    let scored: Vec<(usize, usize, Span)> = spans
        .iter()
        .map(|s| {
            let before = t.slice(Span::new(
                s.start.saturating_sub(c.before.chars().count()),
                s.start,
            ));
            let after = t.slice(Span::new(s.end, (s.end + c.after.chars().count()).min(len)));
            let ctx = common_suffix(&c.before, before) + common_prefix(&c.after, after);
            (ctx, s.start.abs_diff(c.start), *s)
        })
        .collect();
    let best = |pool: &mut dyn Iterator<Item = &(usize, usize, Span)>| {
        pool.max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .copied()
    };
    if let Some((_, _, span)) = best(&mut scored.iter().filter(|s| s.1 <= NEARBY)) {
        return Some(Placement::Moved {
            span,
            how: How::Nearby,
        });
    }
    let top = scored.iter().map(|s| s.0).max().unwrap_or(0);
    let at_top: Vec<&(usize, usize, Span)> = scored.iter().filter(|s| s.0 == top).collect();
    let words = c.quote.split_whitespace().count();
    let identified = (top > 0 && at_top.len() == 1) || (spans.len() == 1 && words >= 3);
    identified.then(|| Placement::Moved {
        span: at_top[0].2,
        how: How::Context,
    })
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

fn fuzzy(t: &Transcript, c: &Coding) -> Option<Placement> {
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
    let a = align(&pattern, &text, q_rows.clone())?;
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
    Some(Placement::Moved {
        span,
        how: How::Fuzzy {
            edits: a.quote_edits,
        },
    })
}

/// The best alignment of a pattern within a text.
#[derive(Debug, PartialEq, Eq)]
struct Alignment {
    /// Edits in all.
    cost: usize,
    /// Edits within the quote rows.
    quote_edits: usize,
    /// Text word aligned with the first quote word that has a partner.
    first: usize,
    /// Text word aligned with the last such quote word.
    last: usize,
}

const DIAG: u8 = 0;
const UP: u8 = 1; // a pattern word with no text word
const LEFT: u8 = 2; // a text word with no pattern word

/// Aligns `pattern` with the best-matching stretch of `text` (Sellers'
/// semi-global edit distance over words) and traces which text words the
/// pattern rows `quote` (1-based) map to. `None` if no quote word maps to a
/// text word.
fn align(
    pattern: &[&str],
    text: &[&str],
    quote: std::ops::RangeInclusive<usize>,
) -> Option<Alignment> {
    let (m, n) = (pattern.len(), text.len());
    if m == 0 || n == 0 {
        return None;
    }
    let width = n + 1;
    let mut dir = vec![LEFT; (m + 1) * width];
    let mut prev: Vec<usize> = vec![0; width];
    let mut cur: Vec<usize> = vec![0; width];
    for i in 1..=m {
        cur[0] = i;
        dir[i * width] = UP;
        for j in 1..=n {
            let sub = prev[j - 1] + usize::from(pattern[i - 1] != text[j - 1]);
            let up = prev[j] + 1;
            let left = cur[j - 1] + 1;
            let (v, d) = if sub <= up && sub <= left {
                (sub, DIAG)
            } else if up <= left {
                (up, UP)
            } else {
                (left, LEFT)
            };
            cur[j] = v;
            dir[i * width + j] = d;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    // `prev` is now the last row; the best end is its minimum (first wins).
    let (mut j, cost) = prev
        .iter()
        .enumerate()
        .skip(1)
        .min_by_key(|(_, v)| **v)
        .map(|(j, v)| (j, *v))?;
    let mut i = m;
    let (mut first, mut last, mut quote_edits) = (None, None, 0);
    while i > 0 {
        let d = if j == 0 { UP } else { dir[i * width + j] };
        let in_quote = quote.contains(&i);
        match d {
            DIAG => {
                if in_quote {
                    last.get_or_insert(j - 1);
                    first = Some(j - 1);
                    quote_edits += usize::from(pattern[i - 1] != text[j - 1]);
                }
                i -= 1;
                j -= 1;
            }
            UP => {
                quote_edits += usize::from(in_quote);
                i -= 1;
            }
            _ => {
                // A text word inserted after pattern word i: inside the
                // quote when another quote word follows.
                quote_edits += usize::from(in_quote && i != *quote.end());
                j -= 1;
            }
        }
    }
    Some(Alignment {
        cost,
        quote_edits,
        first: first?,
        last: last?,
    })
}

/// What `realist check` did with one coding (`"type":"anchor"`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// The coder.
    pub coder: String,
    /// The coding's id.
    pub id: String,
    /// Its document.
    pub doc: String,
    /// Its code.
    pub code: String,
    /// `moved` or `unplaced`.
    pub outcome: &'static str,
    /// The span before the check.
    pub from: Span,
    /// The span after it (moved codings only).
    pub to: Option<Span>,
    /// How it was found (moved codings only).
    pub how: Option<How>,
    /// The quote before the check.
    pub quote: String,
    /// The quote after it, when a close match changed it.
    pub new_quote: Option<String>,
    /// Why it could not be placed (unplaced codings only).
    pub reason: Option<String>,
}

/// Totals of a `realist check`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Checked {
    /// Codings looked at.
    pub codings: usize,
    /// Of those, codings whose document changed since they were anchored.
    pub verified: usize,
    /// Codings moved to their text's new place.
    pub moved: usize,
    /// Codings that could not be placed (kept, flagged `unplaced`).
    pub unplaced: usize,
    /// True when nothing was written.
    pub dry_run: bool,
}

/// Re-anchors every coder's codings against the current corpus: codings
/// whose document changed are verified, moved when their text moved, and
/// flagged `unplaced` (never removed) when it cannot be found; codings found
/// again lose the flag. Writes each coder file (under its lock) unless
/// `dry_run`. Returns the totals and one report per moved or unplaced coding.
pub fn check(index: &Index, dry_run: bool) -> Result<(Checked, Vec<Report>)> {
    let project = index.project();
    let mut totals = Checked {
        dry_run,
        ..Checked::default()
    };
    let mut reports = Vec::new();
    let mut transcripts: HashMap<String, Option<Transcript>> = HashMap::new();
    for coder in store::coders(project)? {
        let mut pass = |file: &mut CoderFile| -> Result<bool> {
            let mut changed = false;
            for c in &mut file.codings {
                totals.codings += 1;
                let before = (c.start, c.end, c.rev.clone(), c.unplaced.clone());
                let rev = index.revision(&c.doc);
                if rev.is_some() && c.rev.as_deref() == rev && c.unplaced.is_none() {
                    continue;
                }
                let lost = match rev {
                    None => Some(format!("document '{}' is no longer in the corpus", c.doc)),
                    Some(_) => {
                        totals.verified += 1;
                        if !transcripts.contains_key(&c.doc) {
                            let t = index.transcript(&c.doc).ok();
                            transcripts.insert(c.doc.clone(), t);
                        }
                        let Some(Some(t)) = transcripts.get(&c.doc) else {
                            continue;
                        };
                        match place(t, c) {
                            Placement::Fits => None,
                            Placement::Moved { span, how } => {
                                let mut r =
                                    report(&file.coder, c, "moved", Some(span), Some(how), None);
                                c.set_span(t, span);
                                r.new_quote = (c.quote != r.quote).then(|| c.quote.clone());
                                reports.push(r);
                                totals.moved += 1;
                                None
                            }
                            Placement::Lost => {
                                Some("its text was not found in the current transcript".to_string())
                            }
                        }
                    }
                };
                match lost {
                    Some(reason) => {
                        reports.push(report(
                            &file.coder,
                            c,
                            "unplaced",
                            None,
                            None,
                            Some(&reason),
                        ));
                        c.unplaced = Some(reason);
                        totals.unplaced += 1;
                    }
                    None => {
                        c.unplaced = None;
                        c.rev = rev.map(str::to_string);
                    }
                }
                changed |= before != (c.start, c.end, c.rev.clone(), c.unplaced.clone());
            }
            Ok(changed)
        };
        if dry_run {
            pass(&mut store::load(project, &coder)?)?;
        } else {
            store::update(project, &coder, |f| Ok(((), pass(f)?)))?;
        }
    }
    Ok((totals, reports))
}

fn report(
    coder: &str,
    c: &Coding,
    outcome: &'static str,
    to: Option<Span>,
    how: Option<How>,
    reason: Option<&str>,
) -> Report {
    Report {
        coder: coder.to_string(),
        id: c.id.clone(),
        doc: c.doc.clone(),
        code: c.code.clone(),
        outcome,
        from: c.span(),
        to,
        how,
        quote: c.quote.clone(),
        new_quote: None,
        reason: reason.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::SpeakerPattern;
    use std::path::Path;

    fn parse(text: &str) -> Transcript {
        Transcript::parse(
            Path::new("d.md"),
            text.as_bytes(),
            &SpeakerPattern::default(),
        )
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
}
