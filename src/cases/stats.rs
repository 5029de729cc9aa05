//! Figures of the numeric columns of the case data: n, missing, minimum,
//! median, maximum and total, over a set of cases and by the groups of
//! another column (`realist cases stats`, the report's case figures).

use std::cmp::Ordering;

use indexmap::IndexMap;
use serde::Serialize;

use super::{Case, Cases, Decimal};

/// The figures of one numeric column over a set of cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Cases with a value.
    pub n: usize,
    /// Cases with the cell blank.
    pub missing: usize,
    /// Smallest value.
    pub min: Option<Decimal>,
    /// The middle value, or the mean of the two middle values.
    pub median: Option<Decimal>,
    /// Largest value.
    pub max: Option<Decimal>,
    /// Sum of the values.
    pub total: Option<Decimal>,
}

impl Figures {
    /// Returns the figures of `values` (`None` for a blank cell).
    pub fn of(values: &[Option<Decimal>]) -> Figures {
        let mut v: Vec<Decimal> = values.iter().flatten().copied().collect();
        v.sort();
        let missing = values.len() - v.len();
        if v.is_empty() {
            return Figures {
                n: 0,
                missing,
                min: None,
                median: None,
                max: None,
                total: None,
            };
        }
        let scale = v.iter().map(|d| d.scale()).max().unwrap_or(0);
        let total = Decimal::sum(&v, scale);
        let mid = v.len() / 2;
        let median = if v.len() % 2 == 1 {
            v[mid]
        } else {
            // Half the sum of the two middle values, exactly: one more
            // decimal place when the sum is odd.
            Decimal::mean(v[mid - 1], v[mid], scale)
        };
        Figures {
            n: v.len(),
            missing,
            min: v.first().copied(),
            median: Some(median),
            max: v.last().copied(),
            total: Some(total),
        }
    }
}

/// The figures of one numeric column, overall or for one group
/// (`"type":"case_stats"` in JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnStats {
    /// The numeric column.
    pub column: String,
    /// The grouping column, when grouped.
    pub by: Option<String>,
    /// The group's value of `by` (`""` for cases with it blank).
    pub group: Option<String>,
    /// The figures.
    #[serde(flatten)]
    pub figures: Figures,
}

impl Cases {
    /// Returns the figures of every numeric column over `cases`: overall,
    /// then, when `by` names a column, for each of its values (sorted, numbers
    /// by value; blank last).
    pub fn stats(&self, cases: &[&Case], by: Option<usize>) -> Vec<ColumnStats> {
        let mut out = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            if !column.numeric || Some(i) == by {
                continue;
            }
            let values: Vec<Option<Decimal>> = cases.iter().map(|c| self.number(c, i)).collect();
            out.push(ColumnStats {
                column: column.name.clone(),
                by: None,
                group: None,
                figures: Figures::of(&values),
            });
            let Some(b) = by else { continue };
            for (group, members) in self.groups(cases, b) {
                let values: Vec<Option<Decimal>> =
                    members.iter().map(|c| self.number(c, i)).collect();
                out.push(ColumnStats {
                    column: column.name.clone(),
                    by: Some(self.columns[b].name.clone()),
                    group: Some(group),
                    figures: Figures::of(&values),
                });
            }
        }
        out
    }

    /// Returns `cases` grouped by their value of column `by`.
    fn groups<'a>(&self, cases: &[&'a Case], by: usize) -> Vec<(String, Vec<&'a Case>)> {
        // Grouped as filters match: ignoring case, and numbers by value
        // (1,000 and 1000.0 are one group); shown as first written.
        let numeric = self.columns[by].numeric;
        let mut groups: IndexMap<String, (String, Vec<&'a Case>)> = IndexMap::new();
        for c in cases {
            let value = &c.values[by];
            let key = match Decimal::parse(value) {
                Some(d) if numeric => d.normalised(),
                _ => value.to_lowercase(),
            };
            groups
                .entry(key)
                .or_insert_with(|| (value.clone(), Vec::new()))
                .1
                .push(c);
        }
        let mut groups: Vec<(String, Vec<&Case>)> = groups.into_values().collect();
        groups.sort_by(|(a, _), (b, _)| match (a.is_empty(), b.is_empty()) {
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ if numeric => Decimal::parse(a).cmp(&Decimal::parse(b)),
            _ => a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b)),
        });
        groups
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn figures_of_an_even_count_take_the_mean_of_the_middle_two() {
        // Values 100, 250.50, 300, 1000 and one missing: the median is
        // (250.50 + 300) / 2 = 275.25; the total is exact.
        let values = [
            Some(d("300")),
            None,
            Some(d("100")),
            Some(d("1000")),
            Some(d("250.50")),
        ];
        let f = Figures::of(&values);
        assert_eq!((f.n, f.missing), (4, 1));
        assert_eq!(f.min.unwrap().to_string(), "100");
        assert_eq!(f.median.unwrap().to_string(), "275.25");
        assert_eq!(f.max.unwrap().to_string(), "1000");
        assert_eq!(f.total.unwrap().to_string(), "1650.50");
        // An odd sum gains a decimal place: median of 1 and 2 is 1.5.
        assert_eq!(
            Figures::of(&[Some(d("1")), Some(d("2"))])
                .median
                .unwrap()
                .to_string(),
            "1.5"
        );
        // Money adds up to the penny where floats would not (0.1 + 0.2).
        assert_eq!(
            Figures::of(&[Some(d("0.1")), Some(d("0.2"))])
                .total
                .unwrap()
                .to_string(),
            "0.3"
        );
        let none = Figures::of(&[None, None]);
        assert_eq!((none.n, none.missing, none.median), (0, 2, None));
    }

    #[test]
    fn stats_group_by_a_column() {
        let text = "case,site,spend\nC1,North,100\nC2,South,200\nC3,north,300\nC4,,5\n";
        let cases = Cases::parse(Path::new("c.csv"), text.as_bytes()).unwrap();
        let all: Vec<&Case> = cases.rows.iter().collect();
        let stats = cases.stats(&all, Some(0));
        let groups: Vec<(Option<&str>, usize, String)> = stats
            .iter()
            .map(|s| {
                (
                    s.group.as_deref(),
                    s.figures.n,
                    s.figures.median.unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                (None, 4, "150".to_string()),
                (Some("North"), 2, "200".to_string()),
                (Some("South"), 1, "200".to_string()),
                (Some(""), 1, "5".to_string()),
            ]
        );
    }
}
