//! `realist code import`: add codings from a JSON Lines file.

use std::io::Read;
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::IgnoredAny;

use realist::coding::store;
use realist::error::{Kind, Problem};
use realist::{Coding, Span, Target};

use super::super::Global;
use super::super::output::Out;
use super::super::shared::{self, Transcripts};

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

/// One line of an import file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    doc: String,
    start: usize,
    end: usize,
    code: String,
    #[serde(default)]
    memo: Option<String>,
    #[serde(default)]
    quote: Option<String>,
    // Fields of realist's own coding records, accepted and not used.
    #[serde(default, rename = "type")]
    _type: IgnoredAny,
    #[serde(default, rename = "id")]
    _id: IgnoredAny,
    #[serde(default, rename = "coder")]
    _coder: IgnoredAny,
    #[serde(default, rename = "before")]
    _before: IgnoredAny,
    #[serde(default, rename = "after")]
    _after: IgnoredAny,
    #[serde(default, rename = "created")]
    _created: IgnoredAny,
    #[serde(default, rename = "rev")]
    _rev: IgnoredAny,
    #[serde(default, rename = "unplaced")]
    _unplaced: IgnoredAny,
    #[serde(default, rename = "stale")]
    _stale: IgnoredAny,
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
    let index = global.index(out, args.json)?;
    let book = shared::codebook(&index)?;
    let mut transcripts = Transcripts::new(&index);
    let created = shared::now();
    let mut codings = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let checked = (|| -> realist::Result<Coding> {
            let line: Line = serde_json::from_str(raw)
                .map_err(|e| realist::Error::Invalid(store::json_problem(&e)))?;
            if line.start >= line.end {
                return Err(realist::Error::Invalid(format!(
                    "start {} must be less than end {} (the end is exclusive)",
                    line.start, line.end
                )));
            }
            let code = book.code(&line.code)?.path.clone();
            index.document(&line.doc)?;
            let t = transcripts.get(&line.doc)?;
            let span = Span::new(line.start, line.end);
            Target::Offsets {
                doc: line.doc.clone(),
                span,
            }
            .resolve(t)?;
            if let Some(q) = &line.quote
                && q != t.slice(span)
            {
                return Err(realist::Error::Invalid(format!(
                    "the quote does not match the text at {}-{} of '{}', which is \"{}\"",
                    line.start,
                    line.end,
                    line.doc,
                    shared::preview(t.slice(span), 60)
                )));
            }
            Ok(Coding::new(
                &args.coder,
                t,
                span,
                &code,
                line.memo,
                &created,
                index.revision(&line.doc),
            ))
        })();
        match checked {
            Ok(c) => codings.push(c),
            Err(e) => problems.push(Problem::error(
                Kind::Line,
                &args.file,
                Some(i + 1),
                e.to_string(),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(realist::Error::Lines {
            path: args.file.clone(),
            problems,
            hint: "nothing was imported; fix these lines and run the import again".into(),
        });
    }
    super::save(
        out,
        &index,
        args.json,
        &args.coder,
        None,
        codings,
        args.dry_run,
    )
}
