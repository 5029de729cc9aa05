//! `realist code`: apply codes to transcripts (add, hits, import, rm).

mod add;
mod hits;
mod import;
mod rm;

use super::Global;
use super::output::{Out, plural};
use realist::record::Record;
use realist::workspace::Saved;

/// Apply codes to transcripts, or remove them.
///
/// Each coder's codings are kept in codings/<coder>.jsonl, one per line,
/// sorted by document and offset, so the file can be diffed, reviewed and
/// merged like any text. Two realist processes writing the same coder's file
/// wait for each other; nothing is lost.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist code add --coder ana --code Speed nb-fg-sw-01:46\n  realist code add --coder ana --code Trust --doc nb-int-parent-01 --quote \"She’s earned it.\"\n  realist code hits '\"straight away\" OR quickly' --code Speed --coder ana --spread sentence --dry-run\n  realist code import ben-codings.jsonl --coder ben\n  realist code rm 3f9a0c12d4e5"
)]
pub struct CodeArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Add(add::AddArgs),
    Hits(hits::HitsArgs),
    Import(import::ImportArgs),
    Rm(rm::RmArgs),
}

/// Runs `realist code`.
pub fn run(args: &CodeArgs, global: &Global, out: &Out) -> realist::Result<()> {
    match &args.action {
        Action::Add(a) => add::run(a, global, out),
        Action::Hits(a) => hits::run(a, global, out),
        Action::Import(a) => import::run(a, global, out),
        Action::Rm(a) => rm::run(a, global, out),
    }
}

/// Prints what a coding command added (or would add), then its totals,
/// after a warning about the coder's stale anchors.
fn report(out: &Out, ws: &realist::Workspace, json: bool, saved: &Saved) -> realist::Result<()> {
    super::print::warn_stale(out, &saved.stale);
    let coded = &saved.coded;
    let mut turns = ws.transcripts();
    for c in &saved.added {
        if json {
            let listed = realist::coding::Listed {
                coder: &coded.coder,
                coding: c,
                stale: None,
            };
            out.line(&Record::Coding(&listed).to_json())?;
        } else {
            let turn = turns.turn_number(&c.doc, c.start);
            out.line(&super::print::coding_line(
                out,
                &coded.coder,
                c,
                turn,
                false,
            ))?;
        }
    }
    for p in &saved.placed {
        if json {
            out.line(&Record::Placed(p).to_json())?;
        } else if p.matched == realist::coding::target::Matched::Loosely || p.replaced_offsets {
            let line = p.line.map_or(String::new(), |l| format!("line {l}: "));
            let how = match (p.matched, p.replaced_offsets) {
                (realist::coding::target::Matched::Loosely, true) => {
                    "its offsets did not fit; placed by its quote, matched loosely (other spacing, quote marks or case)"
                }
                (realist::coding::target::Matched::Loosely, false) => {
                    "the quote matched loosely (other spacing, quote marks or case)"
                }
                _ => "its offsets did not fit; placed by its quote",
            };
            out.line(&out.paint(
                super::output::DIM,
                &format!("{line}{how}: {}@{}-{}", p.doc, p.start, p.end),
            ))?;
        }
    }
    if !json && saved.placed.len() > 1 {
        let loose = saved
            .placed
            .iter()
            .filter(|p| p.matched == realist::coding::target::Matched::Loosely)
            .count();
        out.line(&out.paint(
            super::output::DIM,
            &format!(
                "{} placed by their quote ({loose} loosely)",
                plural(saved.placed.len(), "coding", "codings")
            ),
        ))?;
    }
    if json {
        out.line(&Record::Coded(coded).to_json())?;
    } else {
        let verb = if coded.dry_run { "would add" } else { "added" };
        let mut s = format!(
            "{verb} {} for {}",
            plural(coded.added, "coding", "codings"),
            coded.coder
        );
        if coded.already > 0 {
            s.push_str(&format!(
                "; {} already coded",
                plural(coded.already, "span was", "spans were")
            ));
        }
        if coded.dry_run {
            s.push_str(" (dry run: nothing written)");
        }
        out.line(&out.paint(super::output::DIM, &s))?;
    }
    out.flush()
}
