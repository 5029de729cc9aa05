//! `realist cmo suggest`: codings that may be evidence for a configuration.

use realist::record::Record;

use super::super::Global;
use super::super::output::{BOLD, DIM, Out, plural};
use super::super::print;

/// List codings not yet linked to a configuration that may be evidence for it.
///
/// A coding is a candidate when its code (or a parent of its code) is
/// named in the configuration's title, statements or keywords: whole
/// words, any case ("trust" in a context finds codings of Trust). Nothing
/// is linked automatically: read them, then `realist link` the ones that
/// bear on the configuration.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist cmo suggest CMO-2\n  realist cmo suggest CMO-2 --coder consensus --limit 0\n  realist cmo suggest 2 --json | jq -r .coding.id"
)]
pub struct SuggestArgs {
    /// The configuration (CMO-3, or 3).
    #[arg(value_name = "CMO-ID")]
    cmo: String,

    /// Only codings by these coders (NAME,NAME…; default: everyone's).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    coder: Vec<String>,

    /// Show at most this many candidates (0: all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: usize,

    /// Print JSON Lines: one "type":"candidate" object per coding (its fields, coder, matched code, mentioned_in).
    #[arg(long)]
    json: bool,
}

/// Runs `realist cmo suggest`.
pub fn run(args: &SuggestArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let found = ws.candidates(&args.cmo, &args.coder)?;
    let (c, candidates, mentioned) = (&found.configuration, &found.candidates, &found.mentioned);
    let shown = match args.limit {
        0 => candidates.len(),
        n => n.min(candidates.len()),
    };
    if args.json {
        for cand in &candidates[..shown] {
            out.line(&Record::Candidate(cand).to_json())?;
        }
        return out.flush();
    }
    if mentioned.is_empty() {
        out.line(&format!(
            "{} names no code of the codebook in its title, statements or keywords; add code names to its Keywords: line",
            c.id
        ))?;
        return out.flush();
    }
    let names: Vec<String> = mentioned
        .iter()
        .map(|(code, places)| format!("{code} ({})", places.join(", ")))
        .collect();
    out.line(&out.paint(DIM, &format!("{} mentions {}", c.id, names.join("; "))))?;
    let mut transcripts = ws.transcripts();
    let mut last_code = "";
    for cand in &candidates[..shown] {
        if cand.matched != last_code {
            out.line(&out.paint(BOLD, &cand.matched))?;
            last_code = &cand.matched;
        }
        let turn = transcripts.turn_number(&cand.coding.doc, cand.coding.start);
        out.line(&format!(
            "  {}",
            print::coding_line(out, &cand.coder, &cand.coding, turn, false)
        ))?;
    }
    let rest = candidates.len() - shown;
    let more = if rest > 0 {
        format!(" ({rest} more: --limit 0 shows all)")
    } else {
        String::new()
    };
    out.line(&out.paint(
        DIM,
        &format!(
            "{} not linked to {}{more}; link the ones that bear on it with `realist link {} ID… --supports|--refutes|--refines`",
            plural(candidates.len(), "candidate", "candidates"),
            c.id,
            c.id
        ),
    ))?;
    out.flush()
}
