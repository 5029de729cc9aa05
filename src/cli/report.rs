//! `realist report`: the whole evidence report.

use std::path::PathBuf;

use realist::export::Format;

use super::Global;

use super::flags::QuoteFlags;
use super::output::Out;
use super::print;

/// Write the evidence report: the project summed up, ready for an
/// evaluation report.
///
/// Sections: the corpus (documents by method and site, turns and words,
/// speakers by role, coders); the codebook with its definitions; code
/// frequencies by coder; codes by attribute (site, strand, method, case
/// attributes and the speaker's role: documents in which each code was
/// applied); agreement between coders, per code and pooled, on speaker
/// turns (when two or more coders coded; consensus coders are left out);
/// each configuration of logic-model.md with its statements and its
/// evidence table (quote, attribution, stance, source, code); and the
/// numeric case data (n, missing, minimum, median, maximum, total),
/// overall and by each case attribute.
///
/// --coder, --codes and --where narrow the report to some coders' coding,
/// some codes (and their children) and some documents, as for `export
/// quotes`; the report says what it was narrowed to.
///
/// Names in pseudonyms.csv are replaced everywhere, and the report says
/// whether that was done; run `realist privacy check` first. Markdown
/// (pipe tables, for pandoc or a Markdown report) or one self-contained
/// HTML page, chosen by --format or the --out extension.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist report --out report.html\n  realist report --out report.md\n  realist report --where site=Northbrook --coder ana,ben --out northbrook.html\n  realist report > report.md && pandoc report.md -o report.docx"
)]
pub struct ReportArgs {
    /// md or html (default: from the --out extension, else md).
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,

    /// Write to FILE (written whole or not at all) instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    #[command(flatten)]
    select: QuoteFlags,
}

/// Runs `realist report`.
pub fn run(args: &ReportArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let format = super::export::format(args.format.as_deref(), args.out.as_deref(), out)?;
    if !matches!(format, Format::Markdown | Format::Html) {
        return Err(realist::Error::Invalid(
            "the report is written as md or html; for csv or json, use `realist export quotes`"
                .into(),
        ));
    }
    let ws = global.workspace(out, false)?;
    print::warn_key(out, &ws)?;
    print::warn_stale(out, &ws.stale(&ws.coder_files(&args.select.coder)?)?);
    let (text, problems) = ws.report(
        &args.select.selection(),
        format == Format::Html,
        &super::output::Bar::documents(!global.quiet),
    )?;
    for p in &problems {
        out.warn(&format!("{p} (left out of the report)"));
    }
    print::export(out, &ws, args.out.as_deref(), &text)?;
    if let Some(path) = &args.out {
        out.status(&format!(
            "wrote the report to {}. {}",
            path.display(),
            ws.pseudonyms()?.statement()
        ));
    }
    Ok(())
}
