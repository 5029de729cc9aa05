//! `realist code`: apply codes to transcripts (add, hits, import, rm).

mod add;
mod hits;
mod import;
mod rm;

use super::Global;
use super::output::{Out, plural};
use realist::coding::store;
use realist::record::{Coded, Record};

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

/// Adds `codings` to `coder`'s file (under its lock; only read when
/// `dry_run`), skipping spans the same code already covers, then warns about
/// stale anchors in that file and prints what was (or would be) added.
fn save(
    out: &Out,
    index: &realist::Index,
    json: bool,
    coder: &str,
    code: Option<&str>,
    codings: Vec<realist::Coding>,
    dry_run: bool,
) -> realist::Result<()> {
    let apply = |file: &mut realist::CoderFile| {
        let (added, already) = file.add_all(codings);
        let coded = Coded {
            coder: coder.to_string(),
            code: code.map(str::to_string),
            added: added.len(),
            already,
            dry_run,
        };
        let changed = !added.is_empty();
        Ok(((coded, added), changed))
    };
    let project = index.project();
    let ((coded, added), file) = if dry_run {
        let mut file = store::load(project, coder)?;
        (apply(&mut file)?.0, file)
    } else {
        store::update(project, coder, apply)?
    };
    super::shared::warn_stale(out, index, &[file])?;
    report(
        out,
        json,
        &coded,
        &added,
        &mut super::shared::Transcripts::new(index),
    )
}

/// Prints what a coding command added (or would add), then its totals.
fn report(
    out: &Out,
    json: bool,
    coded: &Coded,
    added: &[realist::Coding],
    turns: &mut super::shared::Transcripts,
) -> realist::Result<()> {
    for c in added {
        if json {
            let listed = realist::coding::Listed {
                coder: &coded.coder,
                coding: c,
                stale: None,
            };
            out.line(&Record::Coding(&listed).to_json())?;
        } else {
            let turn = turns.turn_number(&c.doc, c.start);
            out.line(&super::shared::coding_line(
                out,
                &coded.coder,
                c,
                turn,
                false,
            ))?;
        }
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
