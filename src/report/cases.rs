//! The report's case data: descriptive figures of each numeric column of
//! the case file, over all cases and by each text column with a few values.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{MAX_GROUPS, header, row};
use crate::cases::{Case, Cases, ColumnStats, Decimal};
use crate::text::plural;

/// The figures' column names, after the column (and group) names.
const FIGURES: [&str; 6] = ["n", "Missing", "Minimum", "Median", "Maximum", "Total"];

/// Returns a column's figures as cells, "–" for those not defined.
fn figures_cells(s: &ColumnStats) -> Vec<String> {
    let d = |v: Option<Decimal>| v.map_or("–".into(), |d| d.to_string());
    vec![
        s.figures.n.to_string(),
        s.figures.missing.to_string(),
        d(s.figures.min),
        d(s.figures.median),
        d(s.figures.max),
        d(s.figures.total),
    ]
}

/// Writes the case data section, when the case file has a numeric column.
pub(super) fn case_figures(
    out: &mut String,
    cases: &Cases,
    all: &[&Case],
    cell: &dyn Fn(&str) -> String,
) {
    if !cases.columns.iter().any(|c| c.numeric) {
        return;
    }
    let _ = writeln!(out, "## Case data\n");
    let _ = writeln!(
        out,
        "{} in {}. For each numeric column: the cases with a value (n), those with it blank (missing), the minimum, median (the mean of the middle two for an even n), maximum and total.\n",
        plural(all.len(), "case", "cases"),
        cell(&cases.path.display().to_string())
    );
    all_cases(out, cases, all, cell);
    for (i, column) in cases.columns.iter().enumerate() {
        if column.numeric {
            continue;
        }
        let values: BTreeSet<String> = all
            .iter()
            .filter_map(|c| c.values.get(i))
            .filter(|v| !v.is_empty())
            .map(|v| v.to_lowercase())
            .collect();
        if !(2..=MAX_GROUPS).contains(&values.len()) {
            continue;
        }
        by_group(out, cases, all, i, cell);
    }
}

/// Writes the figures of each numeric column over all cases.
fn all_cases(out: &mut String, cases: &Cases, all: &[&Case], cell: &dyn Fn(&str) -> String) {
    let mut columns = vec!["Column".to_string()];
    columns.extend(FIGURES.iter().map(|s| s.to_string()));
    let _ = writeln!(out, "All cases:\n");
    out.push_str(&header(&columns));
    for s in cases.stats(all, None) {
        let mut cells = vec![cell(&s.column)];
        cells.extend(figures_cells(&s));
        out.push_str(&row(&cells));
    }
    out.push('\n');
}

/// Writes the figures of each numeric column by the values of text column
/// `i` (a blank value is its own group).
fn by_group(
    out: &mut String,
    cases: &Cases,
    all: &[&Case],
    i: usize,
    cell: &dyn Fn(&str) -> String,
) {
    let name = &cases.columns[i].name;
    let _ = writeln!(out, "By {}:\n", cell(name));
    let mut columns = vec!["Column".to_string(), cell(name)];
    columns.extend(FIGURES.iter().map(|s| s.to_string()));
    out.push_str(&header(&columns));
    for s in cases.stats(all, Some(i)) {
        if s.group.is_none() {
            continue;
        }
        let group = s.group.clone().unwrap_or_default();
        let mut cells = vec![
            cell(&s.column),
            if group.is_empty() {
                "(blank)".into()
            } else {
                cell(&group)
            },
        ];
        cells.extend(figures_cells(&s));
        out.push_str(&row(&cells));
    }
    out.push('\n');
}
