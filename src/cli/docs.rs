//! `realist docs`: list the documents of the corpus.

use super::Global;
use realist::record::DocListed;

use super::output::{BOLD, DIM, Out, plural, safe, thousands};
use super::print;

/// List the transcripts in the corpus.
///
/// One line per document: id, turns, words spoken (speaker labels not
/// counted), path and attributes from the front matter, in id order.
/// --where filters by attribute like everywhere else. A document with
/// suspiciously few turns for its length (1,000 words or more a turn) is
/// named in a warning: its lines may be utterances (`layout: lines` in its
/// front matter) or its labels unrecognised.
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
    let files = ws.coder_files(&[])?;
    let finished_by = |doc: &str| -> Vec<String> {
        files
            .iter()
            .filter(|f| f.finished.as_ref().is_some_and(|s| s.contains(doc)))
            .map(|f| f.coder.clone())
            .collect()
    };
    for p in docs.iter().filter_map(|d| d.few_turns()) {
        out.warn(&p.to_string());
    }
    if args.json {
        for d in &docs {
            let listed = DocListed {
                summary: d,
                finished_by: finished_by(&d.id),
            };
            out.line(&realist::Record::Doc(&listed).to_json())?;
        }
        return out.flush();
    }
    let marks = files.iter().any(|f| f.finished.is_some());
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
        let mut line = format!(
            "{:<id_w$}  {:>5}  {:>7}  {}",
            safe(&d.id),
            thousands(d.turns),
            thousands(d.words),
            safe(&attrs.join("; "))
        );
        let done = finished_by(&d.id);
        if marks && !done.is_empty() {
            line.push_str(&out.paint(DIM, &format!("  finished by {}", done.join(", "))));
        }
        out.line(&line)?;
        turns += d.turns;
        words += d.words;
    }
    out.line(&format!(
        "{}, {}, {}",
        plural(docs.len(), "document", "documents"),
        plural(turns, "turn", "turns"),
        plural(words, "word", "words")
    ))?;
    print::progress(out, &ws.progress(&files))?;
    out.flush()
}
