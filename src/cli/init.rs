//! `realist init`: scaffold a new project.

use std::path::PathBuf;

use super::Global;
use super::output::Out;

/// Create a new realist project.
///
/// Makes DIR (default: the current folder) a project: realist.toml with
/// commented settings, corpus/ with one example transcript showing the
/// format, codebooks/, codings/, and a .gitignore that keeps the derived
/// search index (.realist/, which holds the transcripts' text), temporary
/// files and the pseudonym key out of version control (an existing
/// .gitignore gains the lines it lacks). Existing files are never
/// overwritten; a folder that already has realist.toml is refused.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  realist init\n  realist init ~/evaluations/family-budgets")]
pub struct InitArgs {
    /// The folder to make a project of (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// Runs `realist init`.
pub fn run(args: &InitArgs, _global: &Global, out: &Out) -> realist::Result<()> {
    let report = realist::project::init(&args.dir)?;
    out.line(&format!(
        "created a realist project in {}",
        report.root.display()
    ))?;
    for p in &report.created {
        out.line(&format!("  {}", p.display()))?;
    }
    out.line(
        "next: put transcripts in corpus/, then try `realist docs` and `realist search WORD`",
    )?;
    out.flush()
}
