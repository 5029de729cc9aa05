//! `realist done`: mark documents finished (or not) for a coder.

use realist::record::Record;

use super::Global;
use super::output::{DIM, Out, plural};

/// Mark documents as finished: read to the end and coded.
///
/// A finished document with no codings means "read, nothing to code".
/// Once a coder marks documents finished, `agree`, `disagreements`,
/// `reconcile` and the report compare the documents every compared coder
/// finished, codings or not (without any marks, a coder's documents are
/// the ones they coded). `realist docs` and `realist codebook` show each
/// coder's progress. The marks are kept in codings/NAME.done, one document
/// id per line, beside the coder's codings.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist done nb-fg-sw-01 --coder ana\n  realist done nb-int-parent-01 nb-int-parent-02 --coder ben\n  realist done nb-fg-sw-01 --coder ana --undo"
)]
pub struct DoneArgs {
    /// The documents.
    #[arg(required = true, value_name = "DOC")]
    docs: Vec<String>,

    /// Whose: the name of the coder file codings/NAME.jsonl.
    #[arg(long, env = "REALIST_CODER", value_name = "NAME")]
    coder: String,

    /// Mark them as not finished again.
    #[arg(long)]
    undo: bool,

    /// Print one JSON object ("type":"finished") with what changed.
    #[arg(long)]
    json: bool,
}

/// Runs `realist done`.
pub fn run(args: &DoneArgs, global: &Global, out: &Out) -> realist::Result<()> {
    realist::coding::check_coder(&args.coder)?;
    let ws = global.workspace(out, args.json)?;
    let marked = ws.mark_finished(&args.coder, &args.docs, !args.undo)?;
    if args.json {
        out.line(&Record::Finished(&marked).to_json())?;
        return out.flush();
    }
    let what = if marked.finished {
        "finished"
    } else {
        "not finished"
    };
    let mut line = format!(
        "marked {} {what} for {}",
        plural(marked.changed.len(), "document", "documents"),
        marked.coder
    );
    if !marked.already.is_empty() {
        line.push_str(&format!(
            "; {} already {what}",
            plural(marked.already.len(), "was", "were")
        ));
    }
    out.line(&line)?;
    out.line(&out.paint(
        DIM,
        &format!(
            "{} has finished {} of {}",
            marked.coder,
            marked.total,
            plural(ws.index().documents().count(), "document", "documents")
        ),
    ))?;
    out.flush()
}
