//! `realist codings`: list codings.

use std::collections::{BTreeSet, HashSet};

use realist::coding::Listed;
use realist::record::Record;

use super::Global;
use super::output::{DIM, Out, plural};
use super::shared::{self, Transcripts};

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
    let index = global.index(out, args.json)?;
    let files = shared::coder_files(&index, &args.coder)?;
    let used =
        |f: &dyn Fn(&realist::Coding) -> bool| files.iter().any(|file| file.codings.iter().any(f));
    let code = match &args.code {
        None => None,
        Some(c) => Some(shared::resolve_code(&shared::codebook(&index)?, &files, c)?),
    };
    if let Some(d) = &args.doc
        && !used(&|x| x.doc == *d)
    {
        index.document(d)?;
    }
    for f in &args.filters {
        f.check_key(index.attribute_keys())?;
    }
    let wanted_docs: Option<HashSet<&str>> = (!args.filters.is_empty()).then(|| {
        index
            .documents()
            .filter(|d| args.filters.iter().all(|f| f.matches(d)))
            .map(|d| d.id.as_str())
            .collect()
    });
    let stale = shared::warn_stale(out, &index, &files)?;

    let mut rows: Vec<(&str, &realist::Coding)> = files
        .iter()
        .flat_map(|f| f.codings.iter().map(move |c| (f.coder.as_str(), c)))
        .filter(|(_, c)| code.as_ref().is_none_or(|code| c.has_code(code)))
        .filter(|(_, c)| args.doc.as_ref().is_none_or(|d| c.doc == *d))
        .filter(|(_, c)| {
            wanted_docs
                .as_ref()
                .is_none_or(|w| w.contains(c.doc.as_str()))
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.1.doc, a.1.start, &a.1.code, a.1.end, a.0)
            .cmp(&(&b.1.doc, b.1.start, &b.1.code, b.1.end, b.0))
    });
    let mut transcripts = Transcripts::new(&index);
    for (coder, c) in &rows {
        let why = stale.get(&(coder.to_string(), c.id.clone()));
        if args.json {
            let listed = Listed {
                coder,
                coding: c,
                stale: why.map(String::as_str),
            };
            out.line(&Record::Coding(&listed).to_json())?;
        } else {
            let turn = transcripts.turn_number(&c.doc, c.start);
            out.line(&shared::coding_line(out, coder, c, turn, why.is_some()))?;
        }
    }
    if !args.json {
        let coders: BTreeSet<&str> = rows.iter().map(|r| r.0).collect();
        let docs: BTreeSet<&str> = rows.iter().map(|r| r.1.doc.as_str()).collect();
        out.line(&out.paint(
            DIM,
            &format!(
                "{} by {} in {}",
                plural(rows.len(), "coding", "codings"),
                plural(coders.len(), "coder", "coders"),
                plural(docs.len(), "document", "documents")
            ),
        ))?;
    }
    out.flush()
}
