//! `realist check`: re-anchor codings after transcripts were edited.

use realist::record::Record;

use super::Global;
use super::output::{DIM, Out, plural};
use realist::text::preview;

/// Re-anchor codings whose transcript changed since they were coded.
///
/// Transcripts get corrected after coding starts (a misheard word, a name
/// pseudonymised), which moves text. For every coding whose document
/// changed, realist checks that its quote still sits at its offsets; if not,
/// it looks for it: the exact quote nearby first, then the exact quote
/// identified by the text around it, then a close match (for a corrected
/// word). Moved codings are updated in their coder files and listed. A
/// coding that cannot be placed is never deleted: it stays in its file,
/// flagged "unplaced" with the reason, and every command that reads codings
/// warns about it until you fix it (edit its offsets, or `realist code rm`
/// it) and run check again.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist check --dry-run\n  realist check\n  realist check --json | jq 'select(.outcome == \"unplaced\")'"
)]
pub struct CheckArgs {
    /// Report what would move, and write nothing.
    #[arg(long)]
    dry_run: bool,

    /// Print JSON Lines: a "type":"anchor" object per moved or unplaced coding, then a "type":"checked" summary.
    #[arg(long)]
    json: bool,
}

/// Runs `realist check`.
pub fn run(args: &CheckArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let (totals, reports) = ws.check_anchors(args.dry_run)?;
    for r in &reports {
        if args.json {
            out.line(&Record::Anchor(r).to_json())?;
            continue;
        }
        let head = format!(
            "{:<8}  {}  {}  {}  {}",
            r.outcome,
            out.paint(DIM, &r.id),
            r.coder,
            r.doc,
            r.code
        );
        match (r.to, r.how) {
            (Some(to), Some(how)) => {
                out.line(&format!(
                    "{head}  @{}-{} → @{}-{}  ({how})",
                    r.from.start, r.from.end, to.start, to.end
                ))?;
                if let Some(new) = &r.new_quote {
                    out.line(
                        &out.paint(DIM, &format!("          was “{}”", preview(&r.quote, 70))),
                    )?;
                    out.line(&out.paint(DIM, &format!("          now “{}”", preview(new, 70))))?;
                }
            }
            _ => {
                out.line(&format!(
                    "{head}  @{}-{}  {}",
                    r.from.start,
                    r.from.end,
                    r.reason.as_deref().unwrap_or("")
                ))?;
                out.line(&out.paint(DIM, &format!("          “{}”", preview(&r.quote, 70))))?;
            }
        }
    }
    if args.json {
        out.line(&Record::Checked(&totals).to_json())?;
    } else {
        let mut s = format!(
            "checked {} ({} in changed documents): {} moved, {} could not be placed",
            plural(totals.codings, "coding", "codings"),
            totals.verified,
            totals.moved,
            totals.unplaced
        );
        if args.dry_run {
            s.push_str(" (dry run: nothing written)");
        } else if totals.unplaced > 0 {
            s.push_str(" (kept in their files, flagged \"unplaced\")");
        }
        out.line(&out.paint(DIM, &s))?;
    }
    out.flush()?;
    if totals.unplaced > 0 && !args.json {
        out.warn(&format!(
            "{} could not be placed: fix the offsets in the coder file or remove {} with `realist code rm ID`",
            plural(totals.unplaced, "coding", "codings"),
            if totals.unplaced == 1 { "it" } else { "them" }
        ));
    }
    Ok(())
}
