//! `realist cases`: list the case data, and its descriptive figures.

use realist::cases::{Cases, Decimal};
use realist::record::Record;

use super::Global;
use super::output::{BOLD, DIM, Out, plural};

/// List the cases of the case file, or describe its numbers.
///
/// The case file (corpus/cases.csv, or `[cases] file` in realist.toml) has
/// a header row whose first column is `case`, then one row per case.
/// Transcripts name their case in front matter (`case: C07` or `cases:
/// [C07, C09]`), and every column becomes an attribute of those documents:
/// --where legal_status='section 20' works in every command. A column whose
/// values are all numbers (blank = missing) is numeric.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist cases\n  realist cases stats\n  realist cases stats --by site\n  realist cases --json | jq -r 'select(.documents == []) | .case'\n  realist search trust --where likelihood_of_care=high"
)]
pub struct CasesArgs {
    #[command(subcommand)]
    action: Option<Action>,

    /// Print JSON Lines: one "type":"case" object per case (case, values, documents).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Stats(StatsArgs),
}

/// For each numeric column: n, missing, minimum, median, maximum and total.
///
/// Overall, and with --by for each value of another column (groups sorted
/// by value, cases with the cell blank last). The median of an even number
/// of values is the mean of the middle two. Figures are exact decimals, so
/// totals of money add up to the penny.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist cases stats\n  realist cases stats --by site\n  realist cases stats --by legal_status --json"
)]
struct StatsArgs {
    /// Also give the figures for each value of this column.
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,

    /// Print JSON Lines: one "type":"case_stats" object per column and group.
    #[arg(long)]
    json: bool,
}

/// Runs `realist cases`.
pub fn run(args: &CasesArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let json = args.json || matches!(&args.action, Some(Action::Stats(s)) if s.json);
    let ws = global.workspace(out, json)?;
    let index = ws.index();
    let cases = ws.cases()?;
    match &args.action {
        Some(Action::Stats(s)) => stats(s, json, cases, out),
        None => list(args, cases, index, out),
    }
}

fn list(args: &CasesArgs, cases: &Cases, index: &realist::Index, out: &Out) -> realist::Result<()> {
    let listed = cases.listed(index.documents());
    if args.json {
        for c in &listed {
            out.line(&Record::Case(c).to_json())?;
        }
        return out.flush();
    }
    let mut header: Vec<String> = vec!["CASE".into()];
    header.extend(cases.columns.iter().map(|c| c.name.to_uppercase()));
    header.push("DOCUMENTS".into());
    let rows: Vec<Vec<String>> = cases
        .rows
        .iter()
        .zip(&listed)
        .map(|(case, l)| {
            let mut row = vec![case.id.clone()];
            row.extend(case.values.iter().cloned());
            row.push(l.documents.join(", "));
            row
        })
        .collect();
    let right: Vec<bool> = std::iter::once(false)
        .chain(cases.columns.iter().map(|c| c.numeric))
        .chain([false])
        .collect();
    table(out, &header, &rows, &right)?;
    let named = listed.iter().filter(|l| !l.documents.is_empty()).count();
    out.line(&out.paint(
        DIM,
        &format!(
            "{} in {} ({} numeric); {} named by transcripts",
            plural(cases.rows.len(), "case", "cases"),
            cases.path.display(),
            cases.columns.iter().filter(|c| c.numeric).count(),
            named
        ),
    ))?;
    out.flush()
}

fn stats(args: &StatsArgs, json: bool, cases: &Cases, out: &Out) -> realist::Result<()> {
    let by = args.by.as_deref().map(|b| cases.column(b)).transpose()?;
    let all: Vec<&realist::cases::Case> = cases.rows.iter().collect();
    let stats = cases.stats(&all, by);
    if json {
        for s in &stats {
            out.line(&Record::CaseStats(s).to_json())?;
        }
        return out.flush();
    }
    if stats.is_empty() {
        out.line(&format!("{} has no numeric columns", cases.path.display()))?;
        return out.flush();
    }
    let header: Vec<String> = [
        "COLUMN", "GROUP", "N", "MISSING", "MIN", "MEDIAN", "MAX", "TOTAL",
    ]
    .map(String::from)
    .to_vec();
    let show = |d: Option<Decimal>| d.map_or("–".to_string(), |d| d.to_string());
    let rows: Vec<Vec<String>> = stats
        .iter()
        .map(|s| {
            let group = match (&s.by, &s.group) {
                (Some(by), Some(g)) if g.is_empty() => format!("{by} blank"),
                (Some(by), Some(g)) => format!("{by}={g}"),
                _ => "all cases".to_string(),
            };
            let f = &s.figures;
            vec![
                s.column.clone(),
                group,
                f.n.to_string(),
                f.missing.to_string(),
                show(f.min),
                show(f.median),
                show(f.max),
                show(f.total),
            ]
        })
        .collect();
    table(
        out,
        &header,
        &rows,
        &[false, false, true, true, true, true, true, true],
    )?;
    out.flush()
}

/// Prints a table with a bold header; `right` says which columns align right.
fn table(
    out: &Out,
    header: &[String],
    rows: &[Vec<String>],
    right: &[bool],
) -> realist::Result<()> {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths[i];
                if right[i] {
                    format!("{c:>w$}")
                } else if i + 1 == cells.len() {
                    c.clone()
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    out.line(&out.paint(BOLD, &line(header)))?;
    for r in rows {
        out.line(&line(r))?;
    }
    Ok(())
}
