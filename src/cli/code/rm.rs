//! `realist code rm`: remove codings by id.

use realist::coding::Listed;
use realist::record::Record;

use super::super::Global;
use super::super::output::{DIM, Out, plural};
use super::super::print;

/// Remove codings by id.
///
/// Ids are printed by `realist codings` (and by `code add`); a unique
/// prefix of at least 4 characters is enough. Every id must be found,
/// otherwise nothing is removed. The removed codings are printed, so they
/// can be put back with `realist code import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist code rm 3f9a0c12d4e5\n  realist code rm 3f9a 71bc --coder ana\n  realist codings --coder ana --code Speed --json | jq -r .id | xargs realist code rm"
)]
pub struct RmArgs {
    /// The ids of the codings to remove.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,

    /// Only look in these coders' files (NAME[,NAME…]).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    coder: Vec<String>,

    /// Print the removed codings as JSON Lines ("type":"coding").
    #[arg(long)]
    json: bool,
}

/// Runs `realist code rm`.
pub fn run(args: &RmArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let files = ws.coder_files(&args.coder)?;
    print::warn_stale(out, &ws.stale(&files)?);
    let removed = ws.remove_codings(&args.ids, &files)?;
    let mut transcripts = ws.transcripts();
    for (coder, c) in &removed {
        if args.json {
            let listed = Listed {
                coder,
                coding: c,
                stale: None,
            };
            out.line(&Record::Coding(&listed).to_json())?;
        } else {
            let turn = transcripts.turn_number(&c.doc, c.start);
            out.line(&print::coding_line(out, coder, c, turn, false))?;
        }
    }
    if !args.json {
        out.line(&out.paint(
            DIM,
            &format!("removed {}", plural(removed.len(), "coding", "codings")),
        ))?;
    }
    out.flush()
}
