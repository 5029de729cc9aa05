//! `realist index`: bring the search index up to date and say what changed.

use super::Global;
use super::output::{Out, plural};

/// Update the search index from the corpus.
///
/// Reads only transcripts that were added, changed (by content) or removed
/// since the last run, and reports what it did. Every command that searches
/// does this first, so running it by hand is never required; it is useful to
/// see warnings about transcripts, or after a large change. The index lives
/// in .realist/ and can always be deleted: it is rebuilt from the corpus.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist index\n  realist index --rebuild\n  realist index --json"
)]
pub struct IndexArgs {
    /// Throw the index away and build it again from every transcript.
    #[arg(long)]
    rebuild: bool,

    /// Print what was done as one JSON object ("type":"index").
    #[arg(long)]
    json: bool,
}

/// Runs `realist index`.
pub fn run(args: &IndexArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let project = global.project()?;
    if args.rebuild {
        realist::Index::forget(&project)?;
    }
    let started = std::time::Instant::now();
    let bar = super::output::Bar::new(!global.quiet && !args.json);
    let (index, mut refresh) = realist::Index::open(&project, &bar)?;
    // Show every warning the corpus currently has, not only new ones.
    refresh.warnings = index.all_warnings();
    if args.json {
        out.line(&realist::Record::Index(&refresh).to_json())?;
        return out.flush();
    }
    for w in &refresh.warnings {
        out.warn(&w.to_string());
    }
    if let Some(reason) = &refresh.rebuilt {
        out.line(&format!("rebuilt the index: {reason}"))?;
    }
    out.line(&format!(
        "{} and {} indexed: {} added, {} changed, {} removed, {} unchanged ({:.2} s)",
        plural(refresh.documents, "document", "documents"),
        plural(refresh.turns, "turn", "turns"),
        refresh.added.len(),
        refresh.changed.len(),
        refresh.removed.len(),
        refresh.unchanged,
        started.elapsed().as_secs_f64()
    ))?;
    for (what, ids) in [
        ("added", &refresh.added),
        ("changed", &refresh.changed),
        ("removed", &refresh.removed),
    ] {
        if !ids.is_empty() && ids.len() <= 20 {
            out.line(&format!("  {what}: {}", ids.join(", ")))?;
        }
    }
    out.flush()
}
