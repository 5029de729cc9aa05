//! `realist cmo`: read the logic model's configurations and their evidence
//! (list, show, history, suggest).

mod history;
mod list;
mod show;
mod suggest;

use super::Global;
use super::output::Out;

/// Read the configurations of the logic model with their evidence.
///
/// The logic model (logic-model.md) states each context–mechanism–outcome
/// configuration; `realist link` attaches coded quotes to them as evidence
/// that supports, refutes or refines them. These commands show what the
/// evidence adds up to, the quotes themselves, how the links came about,
/// and codings that might be evidence but are not linked yet.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist cmo list\n  realist cmo show CMO-2\n  realist cmo history CMO-2\n  realist cmo suggest CMO-2 --coder ana"
)]
pub struct CmoArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    List(list::ListArgs),
    Show(show::ShowArgs),
    History(history::HistoryArgs),
    Suggest(suggest::SuggestArgs),
}

/// Runs `realist cmo`.
pub fn run(args: &CmoArgs, global: &Global, out: &Out) -> realist::Result<()> {
    match &args.action {
        Action::List(a) => list::run(a, global, out),
        Action::Show(a) => show::run(a, global, out),
        Action::History(a) => history::run(a, global, out),
        Action::Suggest(a) => suggest::run(a, global, out),
    }
}
