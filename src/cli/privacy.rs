//! `realist privacy check`: names an export would reveal.

use realist::record::Record;

use super::Global;
use super::flags::QuoteFlags;
use super::output::{BOLD, DIM, Out, safe};

/// Check exports for names before they leave the project.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist privacy check\n  realist privacy check --codes Trust --where site=Ashcombe\n  realist privacy check --json | jq -r .word | sort -u"
)]
pub struct PrivacyArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Check(CheckArgs),
}

/// Find words that look like personal names in what an export would hold.
///
/// Scans what `realist export quotes` (with the same --coder, --codes and
/// --where) and `realist report` would take from the transcripts, after
/// pseudonyms.csv is applied: the quotes, the speaker labels, the memos,
/// and the documents' titles and attributes (case data included). A word
/// counts when it is capitalised and never seen in lower case in those
/// documents; in a quote it must also be seen mid-sentence somewhere (so
/// "Honestly" opening a sentence does not count); in a label of one word
/// it counts wherever it stands. Allowed: speakers' roles, the codebook's
/// words, the values of site, strand and method, the pseudonyms, days,
/// months, common labels (Interviewer, …), and the project's list,
/// privacy-allow.txt (one word or phrase per line, # for comments; the
/// words of a phrase such as "Allen key" are allowed only together).
///
/// Wherever it stands, a word that still holds a name of pseudonyms.csv is
/// flagged too: the key replaces a name only where a reader sees it as the
/// name (Kayleigh's, Kayleighs, Kayleigh2, Kayleigh-style), so a name
/// inside a longer word written with a capital (Millbrook for Mill, Annual
/// for Ann, KayleighAnn) is left in the text and listed here until
/// privacy-allow.txt allows it.
///
/// Prints each word with its document, turn and the words around it, and
/// exits 1 if it finds any: add real names to pseudonyms.csv (name,pseudonym)
/// and words that are not names to privacy-allow.txt, then run it again.
/// Not found: a name not in the key only ever written at the start of a
/// sentence, and names in the researchers' own texts (codebook, logic
/// model): read what you send.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist privacy check\n  realist privacy check --coder ana --codes Speed\n  realist privacy check --json"
)]
struct CheckArgs {
    #[command(flatten)]
    select: QuoteFlags,

    /// Print JSON Lines: one "type":"name" object per word found (word, doc, turn, field, context).
    #[arg(long)]
    json: bool,
}

/// Runs `realist privacy`.
pub fn run(args: &PrivacyArgs, global: &Global, out: &Out) -> realist::Result<()> {
    match &args.action {
        Action::Check(a) => check(a, global, out),
    }
}

fn check(args: &CheckArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let check = ws.privacy_check(&args.select.selection())?;
    let findings = &check.findings;
    for f in findings {
        if args.json {
            out.line(&Record::Name(f).to_json())?;
        } else {
            let place = match f.turn {
                Some(t) => format!("{}:{t}", f.doc),
                None => f.doc.clone(),
            };
            out.line(&format!(
                "{}  {}  {}  {}",
                out.paint(BOLD, &f.word),
                safe(&place),
                out.paint(DIM, f.field),
                safe(&f.context)
            ))?;
        }
    }
    if findings.is_empty() && !args.json {
        out.line(&format!(
            "no words that look like names in {}; {}",
            check.scanned(),
            ws.pseudonyms()?.statement().to_lowercase()
        ))?;
    }
    out.flush()?;
    check.verdict()
}
