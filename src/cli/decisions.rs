//! `realist decisions`: the decisions of a consensus.

use realist::consensus::Status;
use realist::record::Record;

use super::Global;
use super::output::{BOLD, DIM, Out, plural};

/// List the decisions of a consensus: open, decided and withdrawn.
///
/// Each decision is a passage the coders disagreed on when `realist
/// reconcile` ran: its document, turn and code, each coder's version (the
/// coded text, or "—" for a coder who did not apply the code there), and,
/// once decided, whose version was kept, by whom, when and why.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist decisions --open\n  realist decisions --consensus final --json | jq -r 'select(.status==\"open\") | .id'"
)]
pub struct DecisionsArgs {
    /// Only the decisions still to be made.
    #[arg(long)]
    open: bool,

    /// The consensus coder (needed only when the project has more than one).
    #[arg(long, value_name = "NAME")]
    consensus: Option<String>,

    /// Print JSON Lines: one "type":"decision" object per decision.
    #[arg(long)]
    json: bool,
}

/// Runs `realist decisions`.
pub fn run(args: &DecisionsArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let (name, all) = ws.decisions(args.consensus.as_deref())?;
    let shown: Vec<_> = all
        .iter()
        .filter(|d| !args.open || d.status == Status::Open)
        .collect();
    if args.json {
        for d in &shown {
            out.line(&Record::Decision(d).to_json())?;
        }
        return out.flush();
    }
    let open = all.iter().filter(|d| d.status == Status::Open).count();
    out.line(&out.paint(
        BOLD,
        &format!(
            "Consensus '{name}': {}, {open} open",
            plural(all.len(), "decision", "decisions")
        ),
    ))?;
    let mut transcripts = ws.transcripts();
    for d in shown {
        let place = match transcripts
            .get(&d.doc)
            .ok()
            .and_then(|t| t.turn_at(d.start))
        {
            Some(turn) => format!("{}:{} {}", d.doc, turn.number, turn.speaker_display()),
            None => d.doc.clone(),
        };
        let status = match &d.status {
            Status::Open => "open".to_string(),
            Status::Decided {
                keep,
                by,
                note,
                at,
                replaced,
            } => {
                let kept = if keep.is_empty() {
                    "neither".to_string()
                } else if keep.len() == d.versions.len() && keep.len() > 1 {
                    "both".to_string()
                } else {
                    keep.join("+")
                };
                let again = if *replaced > 0 {
                    " (decided again)"
                } else {
                    ""
                };
                let why = note.as_ref().map_or(String::new(), |n| format!(": {n}"));
                format!(
                    "kept {kept}, by {by}, {}{again}{why}",
                    &at[..10.min(at.len())]
                )
            }
            Status::Withdrawn { reason, .. } => format!("withdrawn: {reason}"),
        };
        out.line("")?;
        out.line(&format!(
            "{}  {}  {place}  {}",
            out.paint(BOLD, &d.id),
            d.code,
            status
        ))?;
        for (coder, versions) in &d.versions {
            if versions.is_empty() {
                out.line(&format!("    {coder}: —"))?;
            }
            for v in versions {
                out.line(&format!(
                    "    {coder}: “{}” {}",
                    realist::text::preview(&v.quote, 70),
                    out.paint(DIM, &format!("{}@{}-{}", v.id, v.start, v.end))
                ))?;
                if let Some(m) = &v.memo {
                    out.line(&out.paint(
                        DIM,
                        &format!("      memo: {}", realist::text::preview(m, 70)),
                    ))?;
                }
            }
        }
    }
    out.flush()
}
