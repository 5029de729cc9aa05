//! `realist code import`: add codings from a JSON Lines file.

use std::io::Read;
use std::path::PathBuf;

use realist::error::Kind;

use super::super::Global;
use super::super::output::Out;

/// Add codings from a JSON Lines file (another tool, a script, a colleague).
///
/// Each line is one JSON object, placed by its offsets:
///   {"doc": "nb-fg-sw-01", "start": 812, "end": 860, "code": "Speed", "memo": "optional"}
/// (code points into the canonical text, end exclusive), or by its text:
///   {"doc": "nb-fg-sw-01", "quote": "we bought it the same afternoon", "code": "Speed"}
/// Other tools' exports give a document and a quote; their offsets differ
/// because realist's canonical text trims indentation and joins lines. A
/// quote is found as written, or else loosely (other white space and line
/// breaks, quote marks, dashes, case); when it occurs more than once, its
/// offsets or "before"/"after" context choose, and without them the line
/// is refused with every place it occurs. A line with both offsets and a
/// quote must have the quote at its offsets, unless --place-by-quote.
/// Lines of a realist coder file are accepted too (their id and dates are
/// made afresh). Every line is checked first: if any line is invalid, each
/// bad line is reported with its number and nothing is imported. The
/// output says how each line given by its text was placed.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist code import ben-codings.jsonl --coder ben\n  realist code import from-maxqda.jsonl --coder ana --place-by-quote --dry-run\n  realist codings --coder ana --json | realist code import - --coder consensus"
)]
pub struct ImportArgs {
    /// The JSON Lines file, or - for standard input.
    file: PathBuf,

    /// Who the codings belong to: the name of the coder file codings/NAME.jsonl.
    #[arg(long, env = "REALIST_CODER", value_name = "NAME")]
    coder: String,

    /// Place a line whose offsets do not fit its quote by the quote (its
    /// offsets choose among repeats) instead of refusing it.
    #[arg(long)]
    place_by_quote: bool,

    /// Check every line and report, but write nothing.
    #[arg(long)]
    dry_run: bool,

    /// Print JSON Lines: a "type":"coding" object per coding added, then a "type":"coded" summary.
    #[arg(long)]
    json: bool,
}

/// Runs `realist code import`.
pub fn run(args: &ImportArgs, global: &Global, out: &Out) -> realist::Result<()> {
    realist::coding::check_coder(&args.coder)?;
    let text = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| realist::Error::io("<stdin>", e))?;
        s
    } else {
        std::fs::read_to_string(&args.file).map_err(|e| realist::Error::io(&args.file, e))?
    };
    let ws = global.workspace(out, args.json)?;
    let saved = ws
        .import_codings(&args.coder, &args.file, &text, args.place_by_quote, args.dry_run)
        .map_err(|e| match e {
            realist::Error::Lines {
                path,
                problems,
                hint,
            } if problems.iter().any(|p| p.kind == Kind::QuoteMismatch) => realist::Error::Lines {
                path,
                problems,
                hint: format!(
                    "{hint}; to place lines whose offsets do not fit their quote by the quote instead, add --place-by-quote"
                ),
            },
            e => e,
        })?;
    super::report(out, &ws, args.json, &saved)
}
