//! `realist codings`: list codings.

use std::collections::BTreeSet;

use realist::coding::Listed;
use realist::record::Record;

use super::Global;
use super::output::{DIM, Out, plural};
use super::print;

/// List codings, by document and position.
///
/// Each line shows the coding's id (for `code rm`, and for linking evidence),
/// the coder, the document and turn, the code point offsets, the code and
/// the start of the quote. --code includes the code's children. Codings
/// whose text changed since they were coded are marked [stale]; run
/// `realist check` to re-anchor them.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist codings --coder ana\n  realist codings --code Dependency --where site=Ashcombe\n  realist codings --doc nb-fg-sw-01 --json | jq -r .quote"
)]
pub struct CodingsArgs {
    /// Only these coders' codings (NAME[,NAME…]).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    coder: Vec<String>,

    /// Only codings with this code or one of its children.
    #[arg(long, value_name = "CODE")]
    code: Option<String>,

    /// Only codings of this document.
    #[arg(long, value_name = "DOC")]
    doc: Option<String>,

    /// Only documents whose attribute KEY has VALUE (any of VALUE,VALUE…); repeat to require several.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    filters: Vec<realist::Filter>,

    /// Print JSON Lines: one "type":"coding" object per coding, with its coder.
    #[arg(long)]
    json: bool,
}

/// Runs `realist codings`.
pub fn run(args: &CodingsArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let files = ws.coder_files(&args.coder)?;
    let listing = ws.codings(
        &files,
        args.code.as_deref(),
        args.doc.as_deref(),
        &args.filters,
    )?;
    print::warn_stale(out, &listing.stale_list);
    let mut transcripts = ws.transcripts();
    for (coder, c) in &listing.rows {
        let why = listing.stale.get(&(coder.clone(), c.id.clone()));
        if args.json {
            let listed = Listed {
                coder,
                coding: c,
                stale: why.map(String::as_str),
            };
            out.line(&Record::Coding(&listed).to_json())?;
        } else {
            let turn = transcripts.turn_number(&c.doc, c.start);
            out.line(&print::coding_line(out, coder, c, turn, why.is_some()))?;
        }
    }
    if !args.json {
        let coders: BTreeSet<&str> = listing.rows.iter().map(|r| r.0.as_str()).collect();
        let docs: BTreeSet<&str> = listing.rows.iter().map(|r| r.1.doc.as_str()).collect();
        out.line(&out.paint(
            DIM,
            &format!(
                "{} by {} in {}",
                plural(listing.rows.len(), "coding", "codings"),
                plural(coders.len(), "coder", "coders"),
                plural(docs.len(), "document", "documents")
            ),
        ))?;
    }
    out.flush()
}
