//! `realist code import`: add codings from a JSON Lines file.

use std::io::Read;
use std::path::PathBuf;

use super::super::Global;
use super::super::output::Out;

/// Add codings from a JSON Lines file (another tool, a script, a colleague).
///
/// Each line is one JSON object:
///   {"doc": "nb-fg-sw-01", "start": 812, "end": 860, "code": "Speed", "memo": "optional"}
/// with code point offsets into the canonical text (end exclusive). A
/// "quote" field, if present, must equal the text at those offsets. Lines
/// of a realist coder file are accepted too (their id, context and dates
/// are made afresh). Every line is checked first: if any line is invalid,
/// each bad line is reported with its number and nothing is imported.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist code import ben-codings.jsonl --coder ben\n  realist codings --coder ana --json | realist code import - --coder consensus"
)]
pub struct ImportArgs {
    /// The JSON Lines file, or - for standard input.
    file: PathBuf,

    /// Who the codings belong to: the name of the coder file codings/NAME.jsonl.
    #[arg(long, env = "REALIST_CODER", value_name = "NAME")]
    coder: String,

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
    let saved = ws.import_codings(&args.coder, &args.file, &text, args.dry_run)?;
    super::report(out, &ws, args.json, &saved)
}
