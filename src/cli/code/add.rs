//! `realist code add`: code turns, offsets or a quote by hand.

use realist::Target;
use realist::workspace::NewCodings;

use super::super::Global;
use super::super::output::Out;

/// Code one or more spans of a transcript.
///
/// TARGET is one of
///   DOC:TURN         what was said in a speaker turn (without the label)
///   DOC:FIRST-LAST   turns FIRST to LAST
///   DOC@START-END    code points START to END of the canonical text (end
///                    exclusive; `realist show DOC --plain` prints that text)
/// or use --doc DOC --quote "exact text", which must occur exactly once.
/// Several targets are coded together: all of them or, on any error, none.
/// A span the same code already covers is not coded twice.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist code add --coder ana --code Speed nb-fg-sw-01:46\n  realist code add --coder ana --code Dependency/Reliance\\ on\\ the\\ worker nb-int-parent-01:12-14 --memo \"mum's own words\"\n  realist code add --coder ana --code Trust nb-int-parent-01@1530-1560\n  realist code add --coder ana --code Trust --doc nb-int-parent-01 --quote \"She’s earned it.\""
)]
pub struct AddArgs {
    /// Who is coding: the name of the coder file codings/NAME.jsonl.
    #[arg(long, env = "REALIST_CODER", value_name = "NAME")]
    coder: String,

    /// The code to apply: its path (Parent/Child), or its name if no other code has it.
    #[arg(long, value_name = "CODE")]
    code: String,

    /// What to code: DOC:TURN, DOC:FIRST-LAST or DOC@START-END.
    #[arg(value_name = "TARGET", required_unless_present = "quote")]
    targets: Vec<String>,

    /// With --quote: the document to find the quote in.
    #[arg(long, value_name = "DOC", requires = "quote")]
    doc: Option<String>,

    /// Code this exact text of --doc (it must occur there exactly once).
    #[arg(long, value_name = "TEXT", requires = "doc")]
    quote: Option<String>,

    /// A note to keep with the coding.
    #[arg(long, value_name = "TEXT")]
    memo: Option<String>,

    /// Print JSON Lines: a "type":"coding" object per coding added, then a "type":"coded" summary.
    #[arg(long)]
    json: bool,
}

/// Runs `realist code add`.
pub fn run(args: &AddArgs, global: &Global, out: &Out) -> realist::Result<()> {
    realist::coding::check_coder(&args.coder)?;
    let ws = global.workspace(out, args.json)?;
    let mut targets = Vec::new();
    if let (Some(doc), Some(quote)) = (&args.doc, &args.quote) {
        targets.push(Target::Quote {
            doc: doc.clone(),
            quote: quote.clone(),
        });
    }
    for t in &args.targets {
        targets.push(Target::parse(t)?);
    }
    let saved = ws.add_codings(&NewCodings {
        coder: args.coder.clone(),
        code: args.code.clone(),
        targets,
        memo: args.memo.clone(),
    })?;
    super::report(out, &ws, args.json, &saved)
}
