//! `realist logic-model check`: find problems in the logic model and its links.

use std::collections::HashMap;

use realist::error::{Kind, Problem};
use realist::evidence;
use realist::logic_model::{LogicModel, links::Links};

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
    let index = global.index(out, args.json)?;
    let project = index.project();
    let (model, parse_problems) = LogicModel::read(project)?;
    let mut problems: Vec<Problem> = parse_problems.into_iter().collect();
    let links = Links::load(project)?;
    let files = realist::coding::store::load_all(project)?;
    let stale: HashMap<String, String> = realist::anchor::stale(&index, &files)?
        .into_iter()
        .map(|s| (s.id, s.reason))
        .collect();
    if problems.is_empty() {
        problems.extend(evidence::check(&model, &links, &files, &stale));
    } else {
        // Links to configurations the parse left out would be reported as
        // missing: report only the codings' problems until the model parses.
        problems.extend(
            evidence::check(&model, &links, &files, &stale)
                .into_iter()
                .filter(|p| p.kind != Kind::MissingConfiguration && p.kind != Kind::NoEvidence),
        );
    }
    let checked = format!(
        "{} and {}",
        plural(
            model.configurations.len(),
            "configuration",
            "configurations"
        ),
        plural(links.current().len(), "link", "links"),
    );
    super::shared::print_problems(out, &problems, args.json, &checked, "logic model")
}
