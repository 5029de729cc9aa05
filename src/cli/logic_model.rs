//! `realist logic-model check`: find problems in the logic model and its links.

use super::Global;
use super::output::{Out, plural};

/// Check the logic model (logic-model.md) and its evidence links.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist logic-model check\n  realist logic-model check --json"
)]
pub struct LogicModelArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Check(CheckArgs),
}

/// Report problems in the logic model and its links; exit 1 if there are any.
///
/// Errors: a malformed logic model (each problem with its line: a
/// configuration without a context, mechanism or outcome, an unknown
/// status or pathway, a duplicate id, …), links to configurations or
/// codings that no longer exist, and linked codings whose anchors are stale
/// (the transcript changed: run `realist check`). Notes: configurations with
/// no evidence yet.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist logic-model check\n  realist logic-model check --json | jq -r .message"
)]
struct CheckArgs {
    /// Print JSON Lines: one "type":"problem" object per finding (kind, error, path, line, message).
    #[arg(long)]
    json: bool,
}

/// Runs `realist logic-model`.
pub fn run(args: &LogicModelArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let Action::Check(args) = &args.action;
    let ws = global.workspace(out, args.json)?;
    let (problems, configurations, links) = ws.check_logic_model()?;
    let checked = format!(
        "{} and {}",
        plural(configurations, "configuration", "configurations"),
        plural(links, "link", "links"),
    );
    super::print::problems(out, &problems, args.json, &checked, "logic model")
}
