//! `realist disagreements`: every unit where coders differ.

use realist::export;
use realist::record::Record;

use super::Global;
use super::flags::CompareFlags;
use super::output::Out;
use super::print;

/// How to print the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A Markdown agenda: a section per unit with its text and a table of codes.
    Md,
    /// CSV (RFC 4180), one row per unit and code, for a spreadsheet.
    Csv,
    /// JSON Lines: one "type":"disagreement" object per unit, then a "type":"disagreements" total.
    Json,
}

/// Every unit where coders differ: the agenda for the reviewers' meeting.
///
/// Compares the coders on the documents every one of them coded (the others
/// are listed on stderr) and lists each unit where, for some code, some
/// coders applied the code and others did not: the document, the turn and
/// speaker the unit starts in, its text, and per code who applied it, who
/// did not, and the ids of the codings concerned (for `realist code rm`).
/// Units are those of `realist agree` (turn, paragraph, sentence, char); with
/// char, each stretch of text over which the same coders differ on the same
/// codes is one unit. Codings whose anchors are stale must be re-anchored
/// with `realist check` first.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist disagreements --coders ana,ben > agenda.md\n  realist disagreements --coders ana,ben --unit sentence --codes Speed,Trust\n  realist disagreements --coders ana,ben --format csv > disagreements.csv"
)]
pub struct DisagreementsArgs {
    #[command(flatten)]
    compare: CompareFlags,

    /// Only this code and its children, as in `codings` (repeat, or CODE,CODE… for several; with --codes, both must hold).
    #[arg(long, value_name = "CODE")]
    code: Vec<String>,

    /// The output format.
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "md",
        conflicts_with = "json"
    )]
    format: Format,

    /// Same as --format json.
    #[arg(long)]
    json: bool,
}

/// Runs `realist disagreements`.
pub fn run(args: &DisagreementsArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let format = if args.json { Format::Json } else { args.format };
    let ws = global.workspace(out, format == Format::Json)?;
    let d = ws.disagreements(&args.compare.comparison(), &args.code)?;
    print::warn_left_out(out, &d.left_out);
    match format {
        Format::Json => {
            for u in &d.units {
                out.line(&Record::Disagreement(u).to_json())?;
            }
            out.line(&Record::Disagreements(&d.tally()).to_json())?;
        }
        Format::Csv => out.write(&export::disagreements_csv(&d))?,
        Format::Md => out.write(&export::disagreements_markdown(&d))?,
    }
    out.flush()
}
