//! `realist reconcile`: a consensus coder from two or more coders.

use realist::record::Record;

use super::Global;
use super::flags::UnitArg;
use super::output::{BOLD, Out, plural};
use super::print;

/// Reconcile coders into a consensus coder, with an audit trail.
///
/// Groups each document's codings, per code, into passages: codings that
/// touch a common unit (turn by default; with --unit char, that overlap).
/// Where every coder coded a passage and covered the same units, they agree
/// and the union of their spans is carried over to the consensus coder
/// (codings/NAME.jsonl, an ordinary coder for every other command). Every
/// other passage becomes an open decision: see them with `realist
/// decisions --open` and settle each with `realist decide`.
///
/// The coders' own files are never changed. Everything is recorded in the
/// audit trail consensus/NAME.jsonl, which is only ever appended to. Run
/// reconcile again after a coder added work: it carries over new agreement,
/// opens decisions only for new passages, keeps the decisions already made,
/// and withdraws open decisions whose passage the coders have since changed.
/// Only documents every coder coded are reconciled (the others are listed).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist reconcile --coders ana,ben --into consensus\n  realist reconcile --coders ana,ben --into consensus --dry-run\n  realist reconcile --into consensus          # again, after the coders added work\n  realist decisions --open\n  realist decide D3 --keep ana --by 'ana and ben' --note 'about speed of sign-off, not trust'"
)]
pub struct ReconcileArgs {
    /// The coders to reconcile (NAME,NAME[,NAME…]); when reconciling again, the consensus's own (may be left out).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    coders: Vec<String>,

    /// The consensus coder to create or update.
    #[arg(long, value_name = "NAME")]
    into: String,

    /// The unit passages are formed on (default: turn, or the unit of the first reconcile).
    #[arg(long, value_name = "UNIT")]
    unit: Option<UnitArg>,

    /// Show what would happen; write nothing.
    #[arg(long)]
    dry_run: bool,

    /// Print one "type":"reconciled" JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `realist reconcile`.
pub fn run(args: &ReconcileArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let r = ws.reconcile(
        &args.coders,
        &args.into,
        args.unit.map(Into::into),
        args.dry_run,
    )?;
    print::warn_left_out(out, &r.left_out);
    if r.recovered {
        print::warn_recovered(out, &r.into, r.dry_run);
    }
    if args.json {
        out.line(&Record::Reconciled(&r).to_json())?;
        return out.flush();
    }
    let verb = |done: &str, would: &str| {
        if r.dry_run {
            would.to_string()
        } else {
            done.to_string()
        }
    };
    out.line(&out.paint(
        BOLD,
        &format!(
            "{} {} into '{}' by {}, on {}{}",
            verb("Reconciled", "Would reconcile"),
            r.coders.join(" and "),
            r.into,
            r.unit.name(),
            plural(r.documents.len(), "document", "documents"),
            if r.dry_run {
                " (dry run, nothing written)"
            } else {
                ""
            }
        ),
    ))?;
    let carried = if r.dry_run {
        format!(
            "  {} to carry over",
            plural(r.carried, "agreed passage", "agreed passages")
        )
    } else {
        format!(
            "  carried over {} ({} added)",
            plural(r.carried, "agreed passage", "agreed passages"),
            plural(r.codings_added, "consensus coding", "consensus codings")
        )
    };
    out.line(&carried)?;
    out.line(&format!(
        "  {} {}{}",
        verb("opened", "would open"),
        plural(r.opened.len(), "decision", "decisions"),
        range(&r.opened)
    ))?;
    if !r.withdrawn.is_empty() {
        out.line(&format!(
            "  {} {} whose passage changed: {}",
            verb("withdrew", "would withdraw"),
            plural(r.withdrawn.len(), "open decision", "open decisions"),
            r.withdrawn.join(", ")
        ))?;
    }
    if r.kept + r.still_open > 0 {
        out.line(&format!(
            "  kept {} already made; {} still open from before",
            plural(r.kept, "decision", "decisions"),
            r.still_open
        ))?;
    }
    if !r.outdated.is_empty() {
        out.line(&format!(
            "  the coders have changed their codings of the passages of {} since they were decided: {} (worth a second look with `realist decisions`; deciding again replaces the decision)",
            plural(r.outdated.len(), "decision", "decisions"),
            r.outdated.join(", ")
        ))?;
    }
    if r.left_aside > 0 {
        out.line(&format!(
            "  left aside {} that cover no {} (a speaker label alone), as `realist agree` does",
            plural(r.left_aside, "coding", "codings"),
            r.unit.name()
        ))?;
    }
    if r.missing > 0 {
        out.warn(&format!(
            "{} that reconcile or decide added to '{}' {} no longer in codings/{}.jsonl (removed by hand, or the file was restored); they are not added again",
            plural(r.missing, "consensus coding", "consensus codings"),
            r.into,
            if r.missing == 1 { "is" } else { "are" },
            r.into
        ));
    }
    if !r.dry_run && r.opened.len() + r.still_open > 0 {
        out.line(&format!(
            "Next: `realist decisions --consensus {} --open`, then `realist decide ID --keep {}|both|neither --by NAME --note WHY`",
            r.into,
            r.coders.join("|")
        ))?;
    }
    out.flush()
}

/// Returns ": D4–D9" for consecutive ids, ": D4, D6" otherwise, "" for none.
fn range(ids: &[String]) -> String {
    match ids {
        [] => String::new(),
        [one] => format!(": {one}"),
        [first, .., last] if ids.len() > 3 => format!(": {first}–{last}"),
        _ => format!(": {}", ids.join(", ")),
    }
}
