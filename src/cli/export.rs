//! `realist export quotes`: attributed quote tables for reports.

use std::path::PathBuf;

use realist::export::Format;
use realist::quotes::By;

use super::Global;
use super::flags::QuoteFlags;
use super::output::{Out, plural};
use super::print;

/// Export coded material for reports.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist export quotes --by code --out quotes.md\n  realist export quotes --by cmo --format html --out evidence.html\n  realist export quotes --codes Speed,Trust --where site=Northbrook --format csv --excel --out speed.csv\n  realist export quotes --coder consensus --format json | jq -r .quote"
)]
pub struct ExportArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Quotes(QuotesArgs),
}

/// A table of attributed quotes: one row per coded passage.
///
/// Each row holds the quote as said (the coded text widened to whole words,
/// without the speaker's label), its attribution as evaluation reports give
/// it — "Social worker, focus group, Northbrook", from the speaker's role
/// and the document's method and site — the document and turn, the code,
/// the configurations it is linked to and how (supports, refutes, refines),
/// the memo and the coders. Passages two coders coded alike make one row.
///
/// Names in pseudonyms.csv (header name,pseudonym) are replaced in every
/// text, and the export says whether that was done; run `realist privacy
/// check` first to find names the key misses.
///
/// Formats: md (pandoc pipe tables, for Word via pandoc or for Markdown
/// reports), csv (RFC 4180, UTF-8; --excel adds the byte order mark Excel
/// needs; cells starting with = + - @ are neutralised against formula
/// injection), html (one self-contained page), json (JSON Lines: an
/// "export" record, then one "quote" record per row). The format defaults
/// to the --out file's extension, else md.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist export quotes --by code --out quotes.md\n  realist export quotes --by attribute:site --format html --out quotes.html\n  realist export quotes --by cmo --coder ana --format csv --excel --out evidence.csv"
)]
struct QuotesArgs {
    #[command(flatten)]
    select: QuoteFlags,

    /// Group rows: code, cmo (linked quotes under each configuration), doc, or attribute:KEY (a document attribute, or role).
    #[arg(long, value_name = "GROUPING")]
    by: Option<String>,

    /// md, csv, html or json (default: from the --out extension, else md).
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,

    /// Write to FILE (written whole or not at all) instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// For csv: start with a byte order mark, so Excel reads the file as UTF-8.
    #[arg(long)]
    excel: bool,
}

/// Runs `realist export`.
pub fn run(args: &ExportArgs, global: &Global, out: &Out) -> realist::Result<()> {
    match &args.action {
        Action::Quotes(a) => run_quotes(a, global, out),
    }
}

/// Returns the format: `--format`, else the `--out` extension, else md. An
/// extension that names no format is refused (a .docx of Markdown would not
/// open); one that disagrees with `--format` is warned about.
pub fn format(
    given: Option<&str>,
    path: Option<&std::path::Path>,
    out: &Out,
) -> realist::Result<Format> {
    let extension = path
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy());
    let implied = path.and_then(Format::of_path);
    match given {
        Some(f) => {
            let format: Format = f.parse()?;
            if let (Some(e), Some(p)) = (&extension, path)
                && implied != Some(format)
            {
                out.warn(&format!(
                    "writing {f} to {}, whose extension .{e} says otherwise",
                    p.display()
                ));
            }
            Ok(format)
        }
        None => match (extension, implied) {
            (Some(e), None) => Err(realist::Error::Invalid(format!(
                "cannot tell the format from the extension .{e}; give --format md, csv, html or json (for Word, write md and convert it with pandoc)"
            ))),
            (_, implied) => Ok(implied.unwrap_or(Format::Markdown)),
        },
    }
}

fn run_quotes(args: &QuotesArgs, global: &Global, out: &Out) -> realist::Result<()> {
    // Arguments are checked before anything is read.
    let format = format(args.format.as_deref(), args.out.as_deref(), out)?;
    let by: Option<By> = args.by.as_deref().map(str::parse).transpose()?;
    if args.excel && format != Format::Csv {
        return Err(realist::Error::Invalid(
            "--excel only applies to --format csv".into(),
        ));
    }
    let ws = global.workspace(out, format == Format::Json && args.out.is_none())?;
    print::warn_key(out, &ws)?;
    let (files, selection) = ws.quote_selection(&args.select.selection())?;
    print::warn_stale(out, &ws.stale(&files)?);
    let export = ws.export_quotes(&files, &selection, by.as_ref(), format, args.excel)?;
    let meta = &export.meta;
    if !export.unverified.is_empty() {
        let shown: Vec<String> = export
            .unverified
            .iter()
            .take(5)
            .map(|(doc, ids)| format!("{} in {doc}", ids.join(", ")))
            .collect();
        out.warn(&format!(
            "{} exported as stored, unverified: {} not the text at {} offsets ({}); run `realist check`",
            plural(export.unverified.len(), "quote was", "quotes were"),
            if export.unverified.len() == 1 { "its quote is" } else { "their quotes are" },
            if export.unverified.len() == 1 { "its" } else { "their" },
            shown.join("; ")
        ));
    }
    print::export(out, &ws, args.out.as_deref(), &export.text)?;
    if let Some(path) = &args.out {
        out.status(&format!(
            "wrote {} from {} to {}. {}",
            plural(meta.quotes, "quote", "quotes"),
            plural(meta.documents, "document", "documents"),
            path.display(),
            meta.statement
        ));
    }
    Ok(())
}
