//! `realist show`: print one transcript, for reading or as canonical text.

use super::Global;
use super::output::{BOLD, DIM, Out};

/// Print a transcript.
///
/// Without options: for reading, with a header of attributes and each turn
/// numbered with its speaker. With --plain: the canonical text exactly, byte
/// for byte and nothing added (not even a final newline). Every offset realist
/// reports (search hits, codings) is a code point offset into that text, so
/// `realist show DOC --plain | python3 -c 'import sys; print(sys.stdin.read()[812:825])'`
/// prints the text at offsets 812–825.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist show nb-fg-sw-01\n  realist show nb-fg-sw-01 --plain > fg1.txt"
)]
pub struct ShowArgs {
    /// The document id (see `realist docs`).
    doc: String,

    /// Print the canonical plain text exactly, with nothing added.
    #[arg(long)]
    plain: bool,
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
    for turn in &t.turns {
        out.line("")?;
        out.line(&out.paint(
            BOLD,
            &format!("[{}] {}", turn.number, turn.speaker_display()),
        ))?;
        let body = t.slice(turn.body);
        out.line(body)?;
    }
    out.flush()
}
