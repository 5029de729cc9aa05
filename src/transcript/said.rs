//! What a coded span says, turn by turn: the words of each speaker it
//! covers, exactly as coded.
//!
//! A coding's span can start or end anywhere: on a space, on punctuation,
//! inside a word (offsets from another tool or a browser selection), on a
//! speaker label, or run from the interviewer's question into the answer.
//! [`Transcript::said`] cuts it into one [`Part`] per turn it covers, each
//! the words of that turn's body (its label left out) that the span covers:
//! trimmed of white space and of punctuation that only joins it to what is
//! left out, never widened past the span. A word the span cuts is left out
//! and an ellipsis says so (`…days and`), so no neighbouring word is
//! pulled in and no half word is quoted.

use super::{Transcript, Turn};
use crate::text::Span;

/// The words one turn contributes to a coded span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The turn's number.
    pub turn: usize,
    /// Its speaker's label, if it has one.
    pub speaker: Option<String>,
    /// Its speaker's role, if known.
    pub role: Option<String>,
    /// What was said, as coded.
    pub text: String,
}

/// What a coded span says: its parts, in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said {
    /// One part per turn the span covers words of.
    pub parts: Vec<Part>,
}

impl Said {
    /// True when more than one speaker speaks in it.
    pub fn is_dialogue(&self) -> bool {
        self.parts
            .iter()
            .any(|p| p.speaker != self.parts[0].speaker)
    }

    /// Returns the quote: the parts one per line, each under its speaker's
    /// label when more than one speaker speaks (a dialogue is quoted as
    /// one, so no words are put in the wrong mouth).
    pub fn text(&self) -> String {
        let dialogue = self.is_dialogue();
        self.parts
            .iter()
            .map(|p| match (&p.speaker, dialogue) {
                (Some(s), true) => format!("{s}: {}", p.text),
                _ => p.text.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Returns the parts a quote is attributed to: those of speakers who
    /// are not researchers (`is_researcher` says who is), or, when only
    /// researchers speak in it, every part.
    pub fn attributed(&self, is_researcher: impl Fn(&Part) -> bool) -> Vec<&Part> {
        let others: Vec<&Part> = self.parts.iter().filter(|p| !is_researcher(p)).collect();
        if others.is_empty() {
            self.parts.iter().collect()
        } else {
            others
        }
    }

    /// Returns the first and last turn it covers.
    pub fn turns(&self) -> Option<(usize, usize)> {
        Some((self.parts.first()?.turn, self.parts.last()?.turn))
    }
}

/// Returns true for a character of a word: a letter, digit, or combining
/// mark.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || crate::normalize::extends_word(c)
}

/// Returns true for an apostrophe, which goes on inside a word (Zoë’s).
fn apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Punctuation that only joins a quote to what came before it.
fn joins_before(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | ')' | ']' | '}' | '”' | '’' | '—' | '–' | '-'
    )
}

/// Punctuation that only opens what comes after a quote.
fn joins_after(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | '(' | '[' | '{' | '“' | '‘' | '—' | '–' | '-'
    )
}

impl Transcript {
    /// Returns what `span` says, turn by turn (see the module docs).
    pub fn said(&self, span: Span) -> Said {
        let parts = self
            .turns
            .iter()
            .filter(|turn| turn.span.start < span.end && turn.span.end > span.start)
            .filter_map(|turn| self.part(turn, span))
            .collect();
        Said { parts }
    }

    /// Returns the words of `turn`'s body that `span` covers, if any.
    fn part(&self, turn: &Turn, span: Span) -> Option<Part> {
        let from = span.start.max(turn.body.start);
        let to = span.end.min(turn.body.end);
        if from >= to {
            return None;
        }
        let body = &self.text[self.byte_at(turn.body.start)?..self.byte_at(turn.body.end)?];
        let base = self.byte_at(turn.body.start)?;
        let (a, b) = (self.byte_at(from)? - base, self.byte_at(to)? - base);
        let text = cut(body, a, b, from > turn.body.start, to < turn.body.end)?;
        Some(Part {
            turn: turn.number,
            speaker: turn.speaker.clone(),
            role: turn.role.clone(),
            text,
        })
    }
}

/// Trims white space from both ends of `s`, and joining punctuation from
/// the `start` and the `end` when they are asked for. A dash or hyphen goes
/// only when it stands apart (` — `), so `-5` keeps its sign.
fn trim(s: &str, start: bool, end: bool) -> &str {
    let dash = |c: char| matches!(c, '—' | '–' | '-');
    let mut s = s.trim();
    while start && !s.is_empty() {
        let mut chars = s.chars();
        let (first, next) = (chars.next(), chars.next());
        match first {
            Some(c) if joins_before(c) && (!dash(c) || next.is_none_or(char::is_whitespace)) => {
                s = s[c.len_utf8()..].trim_start();
            }
            _ => break,
        }
    }
    while end && !s.is_empty() {
        let mut chars = s.chars().rev();
        let (last, prev) = (chars.next(), chars.next());
        match last {
            Some(c) if joins_after(c) && (!dash(c) || prev.is_none_or(char::is_whitespace)) => {
                s = s[..s.len() - c.len_utf8()].trim_end();
            }
            _ => break,
        }
    }
    s
}

/// Returns `body[a..b]` as a quote: a word cut at either end left out (and
/// marked with an ellipsis), then white space trimmed, and joining
/// punctuation too at an end that falls inside the body (`mid_start`,
/// `mid_end`: where a turn begins or ends, its own punctuation, such as
/// the dash of an interruption, is what was said); `None` when nothing is
/// left.
fn cut(body: &str, a: usize, b: usize, mid_start: bool, mid_end: bool) -> Option<String> {
    let (mut a, mut b) = (a, b);
    let before = body[..a].chars().next_back();
    let after = body[b..].chars().next();
    let inside = |c: Option<char>, d: Option<char>| {
        c.is_some_and(in_word) && d.is_some_and(|d| in_word(d) || apostrophe(d))
            || c.is_some_and(apostrophe) && d.is_some_and(in_word)
    };
    let mut open = false;
    if inside(before, body[a..b].chars().next()) {
        // Skip the rest of the cut word.
        let skip = body[a..b]
            .char_indices()
            .find(|&(i, c)| {
                !(in_word(c) || apostrophe(c) && body[a + i + c.len_utf8()..b].starts_with(in_word))
            })
            .map_or(b - a, |(i, _)| i);
        a += skip;
        open = true;
    }
    let mut close = false;
    if a < b && inside(body[a..b].chars().next_back(), after) {
        let keep = body[a..b]
            .char_indices()
            .rev()
            .find(|&(i, c)| {
                !(in_word(c) || apostrophe(c) && i > 0 && body[a..a + i].ends_with(in_word))
            })
            .map_or(0, |(i, c)| i + c.len_utf8());
        b = a + keep;
        close = true;
    }
    let text = trim(&body[a..b], mid_start, mid_end);
    if !text.chars().any(in_word) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 6);
    if open {
        out.push('…');
    }
    out.push_str(text);
    if close {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Reading;

    fn parse(text: &str) -> Transcript {
        Transcript::parse(
            std::path::Path::new("d.md"),
            text.as_bytes(),
            &Reading::default(),
        )
        .unwrap()
        .0
    }

    /// The span of the `n`-th occurrence of `s`, widened by `left` and
    /// `right` code points.
    fn span(t: &Transcript, s: &str, left: usize, right: usize) -> Span {
        let b = t.text.find(s).unwrap();
        let start = t.text[..b].chars().count();
        Span::new(start - left, start + s.chars().count() + right)
    }

    const TEXT: &str = "**Interviewer:** How long did it take?\n\n**P1 (parent):** It took three days and the money came. After that, Zoë’s mum was fine.\n";

    #[test]
    fn a_span_is_quoted_exactly_as_coded_never_widened() {
        let t = parse(TEXT);
        // Starting and ending on spaces.
        assert_eq!(t.said(span(&t, "three days", 1, 1)).text(), "three days");
        // Ending on the space before the next word.
        assert_eq!(
            t.said(span(&t, "the money came.", 0, 1)).text(),
            "the money came."
        );
        // Cutting words at both ends: they are left out, and said so.
        assert_eq!(t.said(span(&t, "ree days an", 0, 0)).text(), "…days…");
        // Joining punctuation at the edges goes; a sentence's full stop stays.
        assert_eq!(t.said(span(&t, ", Zoë’s mum", 0, 0)).text(), "Zoë’s mum");
        // An apostrophe inside a word is part of it.
        assert_eq!(t.said(span(&t, "’s mum", 0, 0)).text(), "…mum");
        // Within a turn, a dash that stands apart goes; a sign stays.
        let t = parse("**P1:** It cost -5 pounds — no, five — really.\n");
        assert_eq!(t.said(span(&t, "-5 pounds — ", 0, 0)).text(), "-5 pounds");
        assert_eq!(t.said(span(&t, " — no, five — ", 0, 0)).text(), "no, five");
    }

    #[test]
    fn a_turn_keeps_its_own_punctuation_where_it_begins_and_ends() {
        let t = parse("**A:** Because they were two trips —\n\n**B:** — I believe that.\n");
        let all = Span::new(0, t.char_len());
        assert_eq!(
            t.said(all).text(),
            "A: Because they were two trips —\nB: — I believe that."
        );
    }

    #[test]
    fn a_question_and_its_answer_are_a_dialogue() {
        let t = parse(TEXT);
        let s = t.said(span(
            &t,
            "How long did it take?\n\nP1 (parent): It took three days",
            0,
            0,
        ));
        assert!(s.is_dialogue());
        assert_eq!(
            s.text(),
            "Interviewer: How long did it take?\nP1: It took three days"
        );
        let answer = s.attributed(|p| p.speaker.as_deref() == Some("Interviewer"));
        assert_eq!(answer.len(), 1);
        assert_eq!(answer[0].role.as_deref(), Some("parent"));
        assert_eq!(s.turns(), Some((1, 2)));
        // Only the interviewer's words: attributed to the interviewer.
        let q = t.said(span(&t, "How long did it take?", 0, 0));
        assert!(!q.is_dialogue());
        assert_eq!(q.attributed(|_| true).len(), 1);
        // A span that covers only a label says nothing.
        assert!(t.said(span(&t, "Interviewer:", 0, 0)).parts.is_empty());
    }
}
