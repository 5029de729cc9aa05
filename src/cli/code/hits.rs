//! `realist code hits`: code every search hit, spread to a sentence or turn.

use realist::autocode;
use realist::workspace::CodeHits;

use super::super::Global;
use super::super::output::Out;

/// How far a coding made from a hit reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Spread {
    /// Only the matched words.
    Match,
    /// The sentence(s) the match is in.
    Sentence,
    /// What was said in the whole speaker turn.
    Turn,
}

/// Code every occurrence of a search query.
///
/// Runs the query exactly as `realist search` does (same syntax and the same
/// --exact, --where and --speaker) and codes each occurrence, spread to the
/// matched words, their sentence or the whole speaker turn. Occurrences in
/// the same sentence or turn make one coding, and spans the same code
/// already covers for this coder are skipped, so running it twice adds
/// nothing the second time. Without QUERY, the code's Keywords from the
/// codebook are the query. Use --dry-run first to read what it would add.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist code hits '\"straight away\" OR quickly' --code Speed --coder ana --spread sentence --dry-run\n  realist code hits --code Speed --coder ana          (the code's Keywords are the query)\n  realist code hits 'receipt*' --code Administration\\ and\\ workload/Receipts\\ and\\ reconciliation --coder ana --speaker 'SW*' --spread turn"
)]
pub struct HitsArgs {
    /// The search query (syntax as in `realist search`); default: the code's Keywords.
    query: Option<String>,

    /// The code to apply: its path (Parent/Child), or its name if no other code has it.
    #[arg(long, value_name = "CODE")]
    code: String,

    /// Who is coding: the name of the coder file codings/NAME.jsonl.
    #[arg(long, env = "REALIST_CODER", value_name = "NAME")]
    coder: String,

    /// How much text each coding covers: the match, its sentence, or the whole turn.
    #[arg(long, value_name = "SPREAD", default_value = "sentence")]
    spread: Spread,

    /// Show what would be coded, and write nothing.
    #[arg(long)]
    dry_run: bool,

    #[command(flatten)]
    scope: super::super::search::Scope,

    /// A note to keep with each coding.
    #[arg(long, value_name = "TEXT")]
    memo: Option<String>,

    /// Print JSON Lines: a "type":"coding" object per coding added, then a "type":"coded" summary.
    #[arg(long)]
    json: bool,
}

/// Runs `realist code hits`.
pub fn run(args: &HitsArgs, global: &Global, out: &Out) -> realist::Result<()> {
    realist::coding::check_coder(&args.coder)?;
    let ws = global.workspace(out, args.json)?;
    let saved = ws.code_hits(&CodeHits {
        coder: args.coder.clone(),
        code: args.code.clone(),
        query: args.query.clone(),
        search: args.scope.options(String::new()),
        spread: match args.spread {
            Spread::Match => autocode::Spread::Match,
            Spread::Sentence => autocode::Spread::Sentence,
            Spread::Turn => autocode::Spread::Turn,
        },
        memo: args.memo.clone(),
        dry_run: args.dry_run,
    })?;
    super::report(out, &ws, args.json, &saved)
}
