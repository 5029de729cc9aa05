//! `realist decide`: settle a decision of a consensus.

use realist::consensus;
use realist::record::Record;
use realist::text::preview;

use super::Global;
use super::flags::Audit;
use super::output::{DIM, Out, plural};
use super::print;

/// Settle a decision of a consensus: which coder's version to keep.
///
/// --keep names the coder whose version of the passage is right (its spans
/// are added to the consensus coder), `both` (or `all`) keeps every coder's
/// version (their union), `neither` (or `none`) applies the code to none of
/// it. The decision, who made it (--by, default $REALIST_CODER) and why
/// (--note) are appended to the audit trail consensus/NAME.jsonl. Deciding
/// again replaces the decision: the consensus codings the earlier one added
/// are removed, and both stay in the trail.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist decide D3 --keep ana --by 'ana and ben' --note 'about speed of sign-off, not trust'\n  realist decide D4 --keep both --by ana\n  realist decide 5 --keep neither --by ben --note 'interviewer speaking'"
)]
pub struct DecideArgs {
    /// The decision (D3, or 3), as `realist decisions` lists it.
    #[arg(value_name = "ID")]
    id: String,

    /// Whose version to keep: a coder's name (or NAME,NAME), both, all, neither or none.
    #[arg(long, value_name = "CODER|both|neither", required = true)]
    keep: String,

    #[command(flatten)]
    audit: Audit,

    /// The consensus coder (needed only when the project has more than one).
    #[arg(long, value_name = "NAME")]
    consensus: Option<String>,

    /// Print one "type":"decided" JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `realist decide`.
pub fn run(args: &DecideArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let (name, d) = ws.decide(
        args.consensus.as_deref(),
        &args.id,
        &args.keep.parse()?,
        &args.audit.by,
        args.audit.note.as_deref(),
    )?;
    if d.recovered {
        print::warn_recovered(out, &name, false);
    }
    if args.json {
        out.line(&Record::Decided(&d).to_json())?;
        return out.flush();
    }
    let dec = &d.decision;
    let kept = match &dec.status {
        consensus::Status::Decided { keep, .. } if keep.is_empty() => "neither version".to_string(),
        consensus::Status::Decided { keep, .. } if keep.len() == dec.versions.len() => {
            "every coder's version".to_string()
        }
        consensus::Status::Decided { keep, .. } => format!("{}'s version", keep.join(" and ")),
        _ => String::new(),
    };
    let mut transcripts = ws.transcripts();
    let place = match transcripts
        .get(&dec.doc)
        .ok()
        .and_then(|t| t.turn_at(dec.start))
    {
        Some(turn) => format!("{} turn {}", dec.doc, turn.number),
        None => dec.doc.clone(),
    };
    out.line(&format!(
        "{}: kept {kept} of {} in {place} for '{name}'; {} added, {} removed",
        dec.id,
        dec.code,
        plural(d.added.len(), "consensus coding", "consensus codings"),
        d.removed.len()
    ))?;
    for c in &d.added {
        out.line(&format!(
            "  + {}",
            out.paint(DIM, &format!("{} “{}”", c.id, preview(&c.quote, 60)))
        ))?;
    }
    for c in &d.removed {
        out.line(&format!(
            "  - {}",
            out.paint(DIM, &format!("{} “{}”", c.id, preview(&c.quote, 60)))
        ))?;
    }
    out.flush()
}
