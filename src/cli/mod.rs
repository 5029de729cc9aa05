//! The command line: argument structs, dispatch and error reporting.
//!
//! Each subcommand lives in its own file with its clap `Args` struct (whose
//! doc comment is its `--help`) and a `run` function that loads what it
//! needs, calls the library and prints. Only this layer reads environment
//! variables and writes to the terminal.

mod agree;
mod cases;
mod check;
mod cmo;
mod code;
mod codebook;
mod codings;
mod decide;
mod decisions;
mod disagreements;
mod docs;
mod done;
mod errors;
mod export;
mod flags;
mod index;
mod init;
mod link;
mod logic_model;
mod output;
mod print;
mod privacy;
mod reconcile;
mod report;
mod search;
mod show;
mod unlink;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use output::Out;

/// Qualitative coding for realist evaluations.
///
/// realist keeps a full-text index of interview and focus-group transcripts
/// and finds every occurrence of what you search for, by document, speaker
/// turn and attribute; researchers apply the codes of a Markdown codebook to
/// passages, by hand or from search hits, each coder in a plain file, then
/// measure their agreement and reconcile them into a consensus; coded quotes
/// are linked as evidence to the context–mechanism–outcome configurations
/// of the logic model (logic-model.md), and case data (cases.csv) joins
/// the documents' attributes. Quote tables and the evidence report are
/// exported with names pseudonymised (pseudonyms.csv). A
/// project is a folder with a realist.toml, a corpus/ of transcripts (.md or
/// .txt with YAML front matter), codebooks/ and codings/.
#[derive(Debug, Parser)]
#[command(
    name = "realist",
    version,
    after_help = "Examples:\n  realist init my-evaluation\n  realist search '\"straight away\" OR quickly' --where site=Northbrook\n  realist show nb-fg-sw-01\n  realist codebook\n  realist code add --coder ana --code Speed nb-fg-sw-01:12\n  realist code hits '\"straight away\"' --code Speed --coder ana --dry-run\n  realist codings --coder ana\n  realist done nb-fg-sw-01 --coder ana\n  realist check\n  realist agree --coders ana,ben\n  realist disagreements --coders ana,ben > agenda.md\n  realist reconcile --coders ana,ben --into consensus\n  realist decide D1 --keep ana --by 'ana and ben' --note 'sign-off speed'\n  realist cmo list\n  realist link CMO-2 3f9a0c12d4e5 --supports --by ana\n  realist cases stats --by site\n  realist export quotes --by code --out quotes.md\n  realist privacy check\n  realist report --out report.html\n\nRun `realist help <command>` for each command's options and examples."
)]
pub struct Cli {
    /// The project folder (default: the nearest folder, from here upwards, with a realist.toml).
    #[arg(long, global = true, env = "REALIST_PROJECT", value_name = "DIR")]
    project: Option<PathBuf>,

    /// When to colour output: auto (only on a terminal, and not if NO_COLOR is set), always, never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: output::ColorChoice,

    /// Print no progress bars or status messages on stderr (results and errors still print).
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(init::InitArgs),
    Index(index::IndexArgs),
    Search(search::SearchArgs),
    Docs(docs::DocsArgs),
    Show(show::ShowArgs),
    Codebook(codebook::CodebookArgs),
    Code(code::CodeArgs),
    Codings(codings::CodingsArgs),
    Done(done::DoneArgs),
    Check(check::CheckArgs),
    Agree(agree::AgreeArgs),
    Disagreements(disagreements::DisagreementsArgs),
    Reconcile(reconcile::ReconcileArgs),
    Decide(decide::DecideArgs),
    Decisions(decisions::DecisionsArgs),
    Link(link::LinkArgs),
    Unlink(unlink::UnlinkArgs),
    Cmo(cmo::CmoArgs),
    LogicModel(logic_model::LogicModelArgs),
    Cases(cases::CasesArgs),
    Export(export::ExportArgs),
    Report(report::ReportArgs),
    Privacy(privacy::PrivacyArgs),
}

/// Options every subcommand sees.
pub struct Global {
    project: Option<PathBuf>,
    quiet: bool,
    color: output::ColorChoice,
}

impl Global {
    /// Returns the project: `--project`/`REALIST_PROJECT`, else found from the working directory.
    fn project(&self) -> realist::Result<realist::Project> {
        match &self.project {
            Some(dir) => realist::Project::open(dir),
            None => {
                let here = std::env::current_dir().map_err(|e| realist::Error::io(".", e))?;
                realist::Project::discover(&here)
            }
        }
    }

    /// Returns the project opened for work, its index refreshed, printing
    /// new warnings and a progress bar (unless quiet or `json`).
    fn workspace(&self, out: &Out, json: bool) -> realist::Result<realist::Workspace> {
        let project = self.project()?;
        let bar = output::Bar::new(!self.quiet && !json);
        let (ws, refresh) = realist::Workspace::open(&project, &bar)?;
        for w in &refresh.warnings {
            out.warn(&w.to_string());
        }
        if let Some(reason) = &refresh.rebuilt {
            out.status(&format!("rebuilt the search index: {reason}"));
        }
        Ok(ws)
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let global = Global {
        project: cli.project,
        quiet: cli.quiet,
        color: cli.color,
    };
    let out = Out::new(global.color, global.quiet);
    let result = match &cli.command {
        Command::Init(args) => init::run(args, &global, &out),
        Command::Index(args) => index::run(args, &global, &out),
        Command::Search(args) => search::run(args, &global, &out),
        Command::Docs(args) => docs::run(args, &global, &out),
        Command::Show(args) => show::run(args, &global, &out),
        Command::Codebook(args) => codebook::run(args, &global, &out),
        Command::Code(args) => code::run(args, &global, &out),
        Command::Codings(args) => codings::run(args, &global, &out),
        Command::Done(args) => done::run(args, &global, &out),
        Command::Check(args) => check::run(args, &global, &out),
        Command::Agree(args) => agree::run(args, &global, &out),
        Command::Disagreements(args) => disagreements::run(args, &global, &out),
        Command::Reconcile(args) => reconcile::run(args, &global, &out),
        Command::Decide(args) => decide::run(args, &global, &out),
        Command::Decisions(args) => decisions::run(args, &global, &out),
        Command::Link(args) => link::run(args, &global, &out),
        Command::Unlink(args) => unlink::run(args, &global, &out),
        Command::Cmo(args) => cmo::run(args, &global, &out),
        Command::LogicModel(args) => logic_model::run(args, &global, &out),
        Command::Cases(args) => cases::run(args, &global, &out),
        Command::Export(args) => export::run(args, &global, &out),
        Command::Report(args) => report::run(args, &global, &out),
        Command::Privacy(args) => privacy::run(args, &global, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::from(1)
        }
    }
}
