//! `realist show`: print one transcript, for reading, with codings, or as
//! canonical text.

use realist::Span;
use realist::marks::{Edge, Marks};
use realist::text::preview;

use super::Global;
use super::output::{BOLD, DIM, MATCH, Out, plural, safe};
use super::print;

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
pub fn run(args: &ShowArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.plain)?;
    let t = ws.index().transcript(&args.doc)?;
    if args.plain {
        out.write_text(&t.text)?;
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
    let marks = if args.coder.is_empty() {
        Marks::default()
    } else {
        let (marks, stale) = ws.marks(&t, &args.coder)?;
        print::warn_stale(out, &stale);
        let mut s = format!(
            "{} by {} marked ⟦n› … ‹n⟧",
            plural(marks.shown, "coding", "codings"),
            args.coder.join(", ")
        );
        if marks.hidden > 0 {
            s.push_str(&format!(
                "; {} not shown (stale: run `realist check`)",
                plural(marks.hidden, "coding is", "codings are")
            ));
        }
        out.line(&out.paint(DIM, &s))?;
        marks
    };
    let edges = marks.edges();
    let opens = marks.by_opening();
    for turn in &t.turns {
        out.line("")?;
        out.line(&out.paint(
            BOLD,
            &format!("[{}] {}", turn.number, turn.speaker_display()),
        ))?;
        // The body, cut at the coding marks, each piece made safe before
        // the marks are coloured.
        let body = turn.body;
        let mut text = String::new();
        let mut at = body.start;
        let from = edges.partition_point(|e| e.0 < body.start);
        let to = edges.partition_point(|e| e.0 <= body.end);
        for (pos, edge) in &edges[from..to] {
            text.push_str(&safe(t.slice(Span::new(at, *pos))));
            let marker = match edge {
                Edge::Open(n) => format!("⟦{n}›"),
                Edge::Close(_) => format!("‹{}⟧", edge.number()),
            };
            text.push_str(&out.paint(MATCH, &marker));
            at = *pos;
        }
        text.push_str(&safe(t.slice(Span::new(at, body.end))));
        out.line(&text)?;
        let first = opens.partition_point(|m| m.open < body.start);
        for m in opens[first..].iter().take_while(|m| m.open <= body.end) {
            let codes: Vec<String> = m
                .codes
                .iter()
                .map(|(code, who)| {
                    let who: Vec<String> = who
                        .iter()
                        .map(|a| match &a.memo {
                            Some(memo) => format!("{}: {}", a.coder, preview(memo, 60)),
                            None => a.coder.clone(),
                        })
                        .collect();
                    format!("{code} ({})", who.join("; "))
                })
                .collect();
            out.line(&format!(
                "    {} {}",
                out.paint(MATCH, &format!("{:>3}", m.number)),
                safe(&codes.join(" · "))
            ))?;
        }
    }
    out.flush()
}
