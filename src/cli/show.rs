//! `realist show`: print one transcript, for reading, with codings, or as
//! canonical text.

use std::collections::BTreeMap;

use super::Global;
use super::output::{BOLD, DIM, MATCH, Out, plural};
use super::shared;

/// Print a transcript.
///
/// Without options: for reading, with a header of attributes and each turn
/// numbered with its speaker. With --coder: each span those coders coded is
/// marked in the text, ⟦1› like this ‹1⟧, and listed under its turn with its
/// codes and who applied them, so a coder can read their work in context.
/// With --plain: the canonical text exactly, byte for byte and nothing added
/// (not even a final newline). Every offset realist reports (search hits,
/// codings) is a code point offset into that text, so
/// `realist show DOC --plain | python3 -c 'import sys; print(sys.stdin.read()[812:825])'`
/// prints the text at offsets 812–825.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist show nb-fg-sw-01\n  realist show nb-fg-sw-01 --coder ana,ben\n  realist show nb-fg-sw-01 --plain > fg1.txt"
)]
pub struct ShowArgs {
    /// The document id (see `realist docs`).
    doc: String,

    /// Mark the codings of these coders (NAME[,NAME…]).
    #[arg(
        long,
        value_name = "NAME",
        value_delimiter = ',',
        conflicts_with = "plain"
    )]
    coder: Vec<String>,

    /// Print the canonical plain text exactly, with nothing added.
    #[arg(long)]
    plain: bool,
}

/// One marked span: its number and, per code, the coders (and memos).
struct Mark {
    number: usize,
    codes: BTreeMap<String, Vec<String>>,
}

/// Runs `realist show`.
pub fn run(args: &ShowArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let index = global.index(out, args.plain)?;
    let t = index.transcript(&args.doc)?;
    if args.plain {
        out.write(&t.text)?;
        return out.flush();
    }
    out.line(&out.paint(BOLD, &format!("{}  ({})", t.id, t.path.display())))?;
    let attrs: Vec<String> = t
        .attributes
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    if !attrs.is_empty() {
        out.line(&out.paint(DIM, &attrs.join(" · ")))?;
    }

    // Marked spans, by span; stale codings are left out (their offsets may
    // point at the wrong text).
    let mut marks: BTreeMap<(usize, std::cmp::Reverse<usize>), Mark> = BTreeMap::new();
    if !args.coder.is_empty() {
        let files = shared::coder_files(&index, &args.coder)?;
        let stale = shared::warn_stale(out, &index, &files)?;
        let (mut shown, mut hidden) = (0, 0);
        for f in &files {
            for c in f.codings.iter().filter(|c| c.doc == t.id) {
                if stale.contains_key(&(f.coder.clone(), c.id.clone())) {
                    hidden += 1;
                    continue;
                }
                shown += 1;
                let mark = marks
                    .entry((c.start, std::cmp::Reverse(c.end)))
                    .or_insert_with(|| Mark {
                        number: 0,
                        codes: BTreeMap::new(),
                    });
                let mut who = f.coder.clone();
                if let Some(m) = &c.memo {
                    who.push_str(&format!(": {}", shared::preview(m, 60)));
                }
                mark.codes.entry(c.code.clone()).or_default().push(who);
            }
        }
        for (i, m) in marks.values_mut().enumerate() {
            m.number = i + 1;
        }
        let mut s = format!(
            "{} by {} marked ⟦n› … ‹n⟧",
            plural(shown, "coding", "codings"),
            args.coder.join(", ")
        );
        if hidden > 0 {
            s.push_str(&format!(
                "; {} not shown (stale: run `realist check`)",
                plural(hidden, "coding is", "codings are")
            ));
        }
        out.line(&out.paint(DIM, &s))?;
    }

    // Marker events per position: (position, order, text). Closes come
    // before opens at the same position; inner spans close first.
    let mut events: Vec<(usize, (u8, usize), String)> = Vec::new();
    for ((start, end), m) in &marks {
        let (open, close) = clamp(&t, *start, end.0);
        let n = m.number;
        events.push((open, (1, n), format!("⟦{n}›")));
        events.push((close, (0, usize::MAX - n), format!("‹{n}⟧")));
    }
    events.sort();
    let mut opens: Vec<(usize, &Mark)> = marks
        .iter()
        .map(|((start, end), m)| (clamp(&t, *start, end.0).0, m))
        .collect();
    opens.sort_by_key(|o| (o.0, o.1.number));

    for turn in &t.turns {
        out.line("")?;
        out.line(&out.paint(
            BOLD,
            &format!("[{}] {}", turn.number, turn.speaker_display()),
        ))?;
        let body = turn.body;
        let mut text = String::new();
        let mut at = body.start;
        let from = events.partition_point(|e| e.0 < body.start);
        let to = events.partition_point(|e| e.0 <= body.end);
        for (pos, _, marker) in &events[from..to] {
            text.push_str(t.slice(realist::Span::new(at, *pos)));
            text.push_str(&out.paint(MATCH, marker));
            at = *pos;
        }
        text.push_str(t.slice(realist::Span::new(at, body.end)));
        out.line(&text)?;
        let first = opens.partition_point(|o| o.0 < body.start);
        for (_, m) in opens[first..].iter().take_while(|o| o.0 <= body.end) {
            let codes: Vec<String> = m
                .codes
                .iter()
                .map(|(code, who)| format!("{code} ({})", who.join("; ")))
                .collect();
            out.line(&format!(
                "    {} {}",
                out.paint(MATCH, &format!("{:>3}", m.number)),
                codes.join(" · ")
            ))?;
        }
    }
    out.flush()
}

/// Moves a coded span's ends onto turn bodies, so a span that starts in a
/// speaker label or between turns is still marked: the start moves forward
/// to the next body, the end back to the previous one.
fn clamp(t: &realist::Transcript, start: usize, end: usize) -> (usize, usize) {
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
