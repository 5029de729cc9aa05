//! `realist unlink`: remove evidence links.

use realist::logic_model::LogicModel;
use realist::logic_model::links;

use super::Global;
use super::flags::Audit;
use super::link;
use super::output::Out;

/// Remove links between coded quotes and a configuration.
///
/// The removal, who made it (--by, default $REALIST_CODER) and why (--note)
/// are appended to links.jsonl; the earlier link stays in the trail, so
/// `realist cmo history` shows both. Links to a configuration or coding that
/// no longer exists can be removed too (`realist logic-model check` finds
/// them).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist unlink CMO-2 3f9a0c12d4e5 --by ana --note 'about the card, not trust'\n  realist unlink 6 8c1d 5e0a --by ben"
)]
pub struct UnlinkArgs {
    /// The configuration (CMO-3, or 3).
    #[arg(value_name = "CMO-ID")]
    cmo: String,

    /// The codings to unlink.
    #[arg(value_name = "CODING-ID", required = true)]
    codings: Vec<String>,

    #[command(flatten)]
    audit: Audit,

    /// Print one "type":"linked" JSON object (its `changed` lists the codings unlinked).
    #[arg(long)]
    json: bool,
}

/// Runs `realist unlink`.
pub fn run(args: &UnlinkArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let project = global.project()?;
    let model = LogicModel::load_lenient(&project)?;
    let unlinked = links::unlink(
        &project,
        &model,
        &args.cmo,
        &args.codings,
        args.audit.note.as_deref(),
        &args.audit.by,
        &realist::workspace::now(),
    )?;
    let head = format!(
        "unlinked {} from {}",
        super::output::plural(unlinked.changed.len(), "coding", "codings"),
        unlinked.cmo
    );
    link::report(out, args.json, &unlinked, head)
}
