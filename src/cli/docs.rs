//! `realist docs`: list the documents of the corpus.

use super::Global;
use super::output::{BOLD, Out, plural, safe, thousands};

/// List the transcripts in the corpus.
///
/// One line per document: id, turns, words spoken (speaker labels not
/// counted), path and attributes from the front matter, in id order.
/// --where filters by attribute like everywhere else.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist docs\n  realist docs --where site=Northbrook --where method=interview\n  realist docs --json | jq -r .id"
)]
pub struct DocsArgs {
    /// Only documents whose attribute KEY has VALUE (any of VALUE,VALUE…); repeat to require several.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    filters: Vec<realist::Filter>,

    /// Print JSON Lines: one "type":"doc" object per document (id, path, turns, words, attributes).
    #[arg(long)]
    json: bool,
}

/// Runs `realist docs`.
pub fn run(args: &DocsArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let docs = ws.documents(&args.filters)?;
    if args.json {
        for d in &docs {
            out.line(&realist::Record::Doc(d).to_json())?;
        }
        return out.flush();
    }
    let id_w = docs
        .iter()
        .map(|d| safe(&d.id).chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    let header = format!(
        "{:<id_w$}  {:>5}  {:>7}  {}",
        "ID", "TURNS", "WORDS", "ATTRIBUTES"
    );
    out.line(&out.paint(BOLD, &header))?;
    let (mut turns, mut words) = (0, 0);
    for d in &docs {
        let attrs: Vec<String> = d
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.line(&format!(
            "{:<id_w$}  {:>5}  {:>7}  {}",
            safe(&d.id),
            thousands(d.turns),
            thousands(d.words),
            safe(&attrs.join("; "))
        ))?;
        turns += d.turns;
        words += d.words;
    }
    out.line(&format!(
        "{}, {}, {}",
        plural(docs.len(), "document", "documents"),
        plural(turns, "turn", "turns"),
        plural(words, "word", "words")
    ))?;
    out.flush()
}
