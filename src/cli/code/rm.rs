//! `realist code rm`: remove codings by id.

use std::collections::BTreeMap;

use realist::coding::{Listed, store};
use realist::record::Record;

use super::super::Global;
use super::super::output::{DIM, Out, plural};
use super::super::shared::{self, Transcripts};

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
    let index = global.index(out, args.json)?;
    let files = shared::coder_files(&index, &args.coder)?;
    shared::warn_stale(out, &index, &files)?;
    // coder → ids to remove from that coder's file.
    let mut plan: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for wanted in &args.ids {
        let (coder, c) = store::find(&files, wanted)?;
        plan.entry(coder.to_string())
            .or_default()
            .push(c.id.clone());
    }
    let mut transcripts = Transcripts::new(&index);
    let mut removed_total = 0;
    for (coder, ids) in &plan {
        let removed = store::update(index.project(), coder, |file| {
            let (gone, kept) = std::mem::take(&mut file.codings)
                .into_iter()
                .partition(|c| ids.contains(&c.id));
            file.codings = kept;
            let changed = !gone.is_empty();
            Ok::<_, realist::Error>((gone, changed))
        })?
        .0;
        for c in &removed {
            removed_total += 1;
            if args.json {
                let listed = Listed {
                    coder,
                    coding: c,
                    stale: None,
                };
                out.line(&Record::Coding(&listed).to_json())?;
            } else {
                let turn = transcripts.turn_number(&c.doc, c.start);
                out.line(&shared::coding_line(out, coder, c, turn, false))?;
            }
        }
    }
    if !args.json {
        out.line(&out.paint(
            DIM,
            &format!("removed {}", plural(removed_total, "coding", "codings")),
        ))?;
    }
    out.flush()
}
