//! `realist disagreements`: every unit where coders differ.

use realist::agreement::disagreements::{self, Disagreement, Disagreements, Options};
use realist::record::Record;
use realist::table::{csv_record, md_cell, md_quote};

use super::Global;
use super::output::{Out, plural};
use super::shared;

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
    compare: shared::Comparison,

    /// Only this code and its children, as in `codings` (CODE,CODE… for several; with --codes, both must hold).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
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
    let index = global.index(out, format == Format::Json)?;
    let (files, mut codes) = args.compare.load(&index)?;
    if !args.code.is_empty() {
        let book = shared::codebook(&index)?;
        let mut under = Vec::new();
        for c in &args.code {
            under.push(shared::resolve_code(&book, &files, c)?);
        }
        codes.retain(|c| under.iter().any(|u| realist::coding::is_within(c, u)));
    }
    let opts = Options {
        unit: args.compare.unit.into(),
        codes,
        filters: args.compare.filters.clone(),
    };
    let d = disagreements::disagreements(&index, &files, &opts)?;
    shared::warn_left_out(out, &d.left_out);
    match format {
        Format::Json => {
            for u in &d.units {
                out.line(&Record::Disagreement(u).to_json())?;
            }
            out.line(&Record::Disagreements(&d.tally()).to_json())?;
        }
        Format::Csv => {
            // RFC 4180 ends records with CRLF.
            let line = |fields: &[String]| out.write(&format!("{}\r\n", csv_record(fields)));
            line(
                &[
                    "doc",
                    "turn",
                    "speaker",
                    "role",
                    "start",
                    "end",
                    "code",
                    "applied_by",
                    "not_by",
                    "codings",
                    "text",
                ]
                .map(String::from),
            )?;
            for u in &d.units {
                for diff in &u.differences {
                    let codings: Vec<String> = diff
                        .codings
                        .iter()
                        .map(|c| format!("{}:{}", c.coder, c.id))
                        .collect();
                    line(&[
                        u.doc.clone(),
                        u.turn.map_or(String::new(), |t| t.to_string()),
                        u.speaker.clone().unwrap_or_default(),
                        u.role.clone().unwrap_or_default(),
                        u.start.to_string(),
                        u.end.to_string(),
                        diff.code.clone(),
                        diff.applied_by.join("; "),
                        diff.not_by.join("; "),
                        codings.join("; "),
                        u.text.trim().to_string(),
                    ])?;
                }
            }
        }
        Format::Md => print_markdown(out, &d)?,
    }
    out.flush()
}

fn print_markdown(out: &Out, d: &Disagreements) -> realist::Result<()> {
    let t = d.tally();
    out.line(&format!(
        "# Disagreements between {}, by {}",
        d.coders.join(" and "),
        d.unit.name()
    ))?;
    out.line("")?;
    out.line(&format!(
        "{} with {} on {} compared.",
        plural(t.units, "unit", "units"),
        plural(t.differences, "difference", "differences"),
        plural(d.documents.len(), "document", "documents")
    ))?;
    for u in &d.units {
        out.line("")?;
        out.line(&format!("## {}", heading(u)))?;
        out.line("")?;
        out.line(&md_quote(&u.text))?;
        out.line("")?;
        out.line("| Code | Applied by | Not by | Codings |")?;
        out.line("|---|---|---|---|")?;
        for diff in &u.differences {
            let codings: Vec<String> = diff
                .codings
                .iter()
                .map(|c| format!("{} `{}`", md_cell(&c.coder), c.id))
                .collect();
            out.line(&format!(
                "| {} | {} | {} | {} |",
                md_cell(&diff.code),
                md_cell(&diff.applied_by.join(", ")),
                md_cell(&diff.not_by.join(", ")),
                codings.join(", ")
            ))?;
        }
    }
    Ok(())
}

/// Returns "doc, turn 4, SW2 (social worker), @120-180".
fn heading(u: &Disagreement) -> String {
    let mut parts = vec![u.doc.clone()];
    if let Some(n) = u.turn {
        parts.push(format!("turn {n}"));
    }
    match (&u.speaker, &u.role) {
        (Some(s), Some(r)) if !s.eq_ignore_ascii_case(r) => parts.push(format!("{s} ({r})")),
        (Some(s), _) => parts.push(s.clone()),
        _ => {}
    }
    parts.push(format!("@{}-{}", u.start, u.end));
    parts.join(", ")
}
