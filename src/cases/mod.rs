//! Case data: administrative facts per case, from a CSV file.
//!
//! `corpus/cases.csv` (or the file `realist.toml` names under `[cases]`)
//! has a header row whose first column is `case`, then one row per case.
//! Transcripts name their case or cases in front matter (`case: C07`,
//! `cases: [C07, C09]`); every column of those rows becomes an attribute of
//! the document, so `--where legal_status=section 20` works everywhere.
//!
//! A column whose non-blank values are all numbers is numeric (a blank cell
//! is a missing value); [`Cases::stats`] gives n, minimum, median, maximum
//! and total for each numeric column, overall and by group. A column that
//! is mostly numbers but has a few other values is treated as text, and
//! each such value is reported as a [`Problem`] naming file, line and column.
//! Numbers are kept as exact decimals so that totals of money add up to the
//! penny.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;

use crate::corpus::DocSummary;
use crate::error::{Error, Kind, Problem, Result};
use crate::project::Project;
use crate::text::line_of;
use crate::transcript::AttrValue;

/// The case file's name inside the corpus folder, when `realist.toml` does
/// not name another.
pub const DEFAULT_FILE: &str = crate::project::CASES_FILE;

/// The front matter keys with which a transcript names its cases.
pub const CASE_KEYS: [&str; 2] = ["case", "cases"];

/// The case data of a project.
#[derive(Debug, Clone, Serialize)]
pub struct Cases {
    /// The case file, relative to the project root.
    pub path: PathBuf,
    /// The columns after `case`, in file order.
    pub columns: Vec<Column>,
    /// The cases, in file order.
    pub rows: Vec<Case>,
    /// Values that made a mostly numeric column text.
    pub warnings: Vec<Problem>,
    /// Row of each lower-cased case id.
    #[serde(skip)]
    by_id: HashMap<String, usize>,
}

/// A column of the case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// The header.
    pub name: String,
    /// True when every non-blank value is a number.
    pub numeric: bool,
}

/// One case: a row of the case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The case id (first column).
    pub id: String,
    /// The row's line in the file.
    pub line: usize,
    /// The cells after the id, one per column, trimmed.
    pub values: Vec<String>,
}

/// An exact decimal number: `units` × 10^−`scale`.
#[derive(Debug, Clone, Copy)]
pub struct Decimal {
    units: i128,
    scale: u32,
}

/// Most decimal places a case value may have.
const MAX_SCALE: u32 = 9;
/// Values must be below this many units (10^18, all digits counted without
/// the decimal point), so that sums of millions of them cannot overflow.
const MAX_UNITS: i128 = 1_000_000_000_000_000_000;

/// Column names that mean something else in filters and queries.
const RESERVED: [&str; 7] = ["doc", "id", "speaker", "speakers", "role", "exact", "cases"];

impl Decimal {
    /// Parses a number as researchers write it in a spreadsheet: an
    /// optional sign, an optional currency sign (£, $, €), digits with
    /// optional thousands separators (`1,250`) and decimals (`412.50`).
    pub fn parse(text: &str) -> Option<Decimal> {
        let mut s = text.trim();
        let negative = match s.as_bytes().first() {
            Some(b'-') => {
                s = &s[1..];
                true
            }
            Some(b'+') => {
                s = &s[1..];
                false
            }
            _ => false,
        };
        for sign in ['£', '$', '€'] {
            if let Some(rest) = s.strip_prefix(sign) {
                s = rest;
                break;
            }
        }
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        if whole.is_empty() && fraction.is_none_or(str::is_empty) {
            return None;
        }
        let groups: Vec<&str> = whole.split(',').collect();
        if groups.len() > 1
            && (groups[0].is_empty()
                || groups[0].len() > 3
                || groups[1..].iter().any(|g| g.len() != 3))
        {
            return None;
        }
        let mut units: i128 = 0;
        let mut scale = 0u32;
        let mut push = |c: char| -> Option<()> {
            let d = c.to_digit(10)?;
            units = units.checked_mul(10)?.checked_add(i128::from(d))?;
            Some(())
        };
        for c in groups.concat().chars() {
            push(c)?;
        }
        if let Some(f) = fraction {
            if f.is_empty() && whole.is_empty() {
                return None;
            }
            for c in f.chars() {
                push(c)?;
                scale += 1;
            }
            if scale > MAX_SCALE {
                return None;
            }
        }
        if units >= MAX_UNITS {
            return None;
        }
        Some(Decimal {
            units: if negative { -units } else { units },
            scale,
        })
    }

    /// Returns the value with `scale` decimal places (never fewer than it has).
    fn rescaled(self, scale: u32) -> i128 {
        self.units * 10i128.pow(scale.saturating_sub(self.scale))
    }

    /// Returns the value written without trailing decimal zeros (`1000`
    /// for `1,000.00`), so equal numbers compare equal as text.
    pub fn normalised(self) -> String {
        let mut d = self;
        while d.scale > 0 && d.units % 10 == 0 {
            d.units /= 10;
            d.scale -= 1;
        }
        d.to_string()
    }

    /// Returns the value as a float, for JSON.
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.rescaled(scale).cmp(&other.rescaled(scale))
    }
}

impl std::fmt::Display for Decimal {
    /// Writes the number with its decimals (`412.50`), no thousands separators.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let digits = self.units.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

impl Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

/// A case as `realist cases` lists it (`"type":"case"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    /// The case id.
    pub case: String,
    /// Column → value: a number for numeric columns, `null` when blank.
    pub values: IndexMap<String, serde_json::Value>,
    /// Documents that name the case, in id order.
    pub documents: Vec<String>,
}

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
        let scale = v.iter().map(|d| d.scale).max().unwrap_or(0);
        let total = Decimal {
            units: v.iter().map(|d| d.rescaled(scale)).sum(),
            scale,
        };
        let mid = v.len() / 2;
        let median = if v.len() % 2 == 1 {
            v[mid]
        } else {
            // Half the sum of the two middle values, exactly: one more
            // decimal place when the sum is odd.
            let sum = v[mid - 1].rescaled(scale) + v[mid].rescaled(scale);
            if sum % 2 == 0 {
                Decimal {
                    units: sum / 2,
                    scale,
                }
            } else {
                Decimal {
                    units: sum * 5,
                    scale: scale + 1,
                }
            }
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
    /// Reads the project's case file: `None` when there is none (a file
    /// named in `realist.toml` must exist).
    pub fn load(project: &Project) -> Result<Option<Cases>> {
        let path = project.cases_file();
        let full = project.root.join(&path);
        match std::fs::read(&full) {
            Ok(bytes) => Cases::parse(&path, &bytes).map(Some),
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && project.config.cases.is_none() =>
            {
                Ok(None)
            }
            Err(e) => Err(Error::io(full, e)),
        }
    }

    /// Adds the attributes of the cases `doc` names to its attributes (a
    /// column that is also a front matter key adds its values to the
    /// key's). Returns the case ids it names that are not in the file.
    pub fn merge_into(&self, doc: &mut DocSummary) -> Vec<String> {
        let mut unknown = Vec::new();
        let mut added: IndexMap<String, Vec<String>> = IndexMap::new();
        for id in case_ids(doc) {
            match self.case(id) {
                Some(case) => {
                    for (key, value) in self.attributes(case) {
                        let key = doc
                            .attributes
                            .keys()
                            .find(|k| k.to_lowercase() == key.to_lowercase())
                            .map_or(key, String::as_str);
                        added
                            .entry(key.to_string())
                            .or_default()
                            .push(value.to_string());
                    }
                }
                None => unknown.push(id.to_string()),
            }
        }
        for (key, values) in added {
            let mut all: Vec<String> = doc
                .attributes
                .get(&key)
                .map(|v| v.values().to_vec())
                .unwrap_or_default();
            for v in values {
                if !all.iter().any(|a| a.to_lowercase() == v.to_lowercase()) {
                    all.push(v);
                }
            }
            let value = match all.len() {
                1 => AttrValue::Text(all.remove(0)),
                _ => AttrValue::List(all),
            };
            doc.attributes.insert(key, value);
        }
        unknown
    }

    /// Parses the case file `text`; `path` (relative to the project root) is
    /// used in messages.
    pub fn parse(path: &Path, text: &[u8]) -> Result<Cases> {
        let text = std::str::from_utf8(text).map_err(|e| Error::InvalidUtf8 {
            path: path.to_path_buf(),
            line: line_of(text, e.valid_up_to()),
            offset: e.valid_up_to(),
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let bad = |line: usize, message: String| Error::Transcript {
            path: path.to_path_buf(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        // Lines counted from byte offsets (the csv crate's own count skips
        // blank lines), going forward from the last record's.
        let mut lines = Lines::new(text.as_bytes());
        let mut records = Vec::new();
        for r in reader.records() {
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| lines.at(p.byte()));
                    return Err(bad(line, format!("not valid CSV: {e}")));
                }
            };
            let line = r.position().map_or(0, |p| lines.at(p.byte()));
            if r.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            records.push((line, r));
        }
        let Some((header_line, header)) = records.first() else {
            return Err(bad(
                1,
                "the case file is empty: write a header row starting with `case`, then one row per case".into(),
            ));
        };
        let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        if names[0].to_lowercase() != "case" {
            return Err(bad(
                *header_line,
                format!(
                    "the first column must be `case` (the case id), not '{}'",
                    names[0]
                ),
            ));
        }
        for (i, name) in names.iter().enumerate().skip(1) {
            if RESERVED.contains(&name.to_lowercase().as_str()) || name.eq_ignore_ascii_case("case")
            {
                return Err(bad(
                    *header_line,
                    format!(
                        "column {} is called '{name}', which realist uses for something else ({}, case): rename it",
                        i + 1,
                        RESERVED.join(", ")
                    ),
                ));
            }
            if name.is_empty() {
                return Err(bad(
                    *header_line,
                    format!("column {} has no name: give it a header", i + 1),
                ));
            }
            if let Some(j) = names[..i]
                .iter()
                .position(|n| n.to_lowercase() == name.to_lowercase())
            {
                return Err(bad(
                    *header_line,
                    format!("columns {} and {} are both called '{name}'", j + 1, i + 1),
                ));
            }
        }
        let mut rows: Vec<Case> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (line, r) in &records[1..] {
            if r.len() != names.len() {
                return Err(bad(
                    *line,
                    format!(
                        "this row has {} but the header has {} columns",
                        crate::text::count(r.len(), "cell", "cells"),
                        names.len()
                    ),
                ));
            }
            let id = r[0].trim().to_string();
            if id.is_empty() {
                return Err(bad(
                    *line,
                    "the `case` cell is empty: give the case id".into(),
                ));
            }
            if let Some(first) = by_id.get(&id.to_lowercase()).map(|&i| &rows[i]) {
                return Err(bad(
                    *line,
                    format!(
                        "case '{id}' has two rows (the first on line {})",
                        first.line
                    ),
                ));
            }
            by_id.insert(id.to_lowercase(), rows.len());
            rows.push(Case {
                id,
                line: *line,
                values: r.iter().skip(1).map(|c| c.trim().to_string()).collect(),
            });
        }
        let mut warnings = Vec::new();
        let columns = names[1..]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let cells: Vec<(&Case, &str)> = rows
                    .iter()
                    .map(|c| (c, c.values[i].as_str()))
                    .filter(|(_, v)| !v.is_empty())
                    .collect();
                let odd: Vec<&(&Case, &str)> = cells
                    .iter()
                    .filter(|(_, v)| Decimal::parse(v).is_none())
                    .collect();
                let numbers = cells.len() - odd.len();
                let numeric = numbers > 0 && odd.is_empty();
                if !odd.is_empty() && numbers > odd.len() {
                    for (case, value) in odd {
                        warnings.push(Problem::warning(
                            Kind::CaseFile,
                            path,
                            Some(case.line),
                            format!(
                                "column {} ('{name}') of case '{}': '{value}' is not a number, so '{name}' is treated as text; write a number, or leave the cell empty for a missing value",
                                i + 2,
                                case.id
                            ),
                        ));
                    }
                }
                Column {
                    name: name.clone(),
                    numeric,
                }
            })
            .collect();
        Ok(Cases {
            path: path.to_path_buf(),
            columns,
            rows,
            warnings,
            by_id,
        })
    }

    /// Returns the case with id `id` (ignoring case).
    pub fn case(&self, id: &str) -> Option<&Case> {
        self.by_id.get(&id.to_lowercase()).map(|&i| &self.rows[i])
    }

    /// Returns the index of column `name` (ignoring case), or an error
    /// listing the columns.
    pub fn column(&self, name: &str) -> Result<usize> {
        if let Some(i) = self
            .columns
            .iter()
            .position(|c| c.name.to_lowercase() == name.to_lowercase())
        {
            return Ok(i);
        }
        let near = crate::suggest::nearest(name, self.columns.iter().map(|c| c.name.as_str()));
        let mean = match near.first() {
            Some(n) => format!("did you mean '{n}'? "),
            None => String::new(),
        };
        Err(Error::Invalid(format!(
            "{} has no column '{name}'; {mean}columns: {}",
            self.path.display(),
            self.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    /// Returns a case's attributes: column name → value, blank cells left out.
    pub fn attributes<'a>(&'a self, case: &'a Case) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.columns
            .iter()
            .zip(&case.values)
            .filter(|(_, v)| !v.is_empty())
            .map(|(c, v)| (c.name.as_str(), v.as_str()))
    }

    /// Returns a numeric cell's value (`None` when blank or not numeric).
    pub fn number(&self, case: &Case, column: usize) -> Option<Decimal> {
        if !self.columns.get(column)?.numeric {
            return None;
        }
        Decimal::parse(case.values.get(column)?)
    }

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

    /// Returns every case with its values and the documents (of `docs`)
    /// that name it.
    pub fn listed<'a>(&self, docs: impl IntoIterator<Item = &'a DocSummary>) -> Vec<Listed> {
        let mut named: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for d in docs {
            for id in case_ids(d) {
                if let Some(c) = self.case(id) {
                    named.entry(c.id.as_str()).or_default().push(d.id.clone());
                }
            }
        }
        self.rows
            .iter()
            .map(|case| Listed {
                case: case.id.clone(),
                values: self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, col)| {
                        let raw = &case.values[i];
                        let value = match self.number(case, i) {
                            Some(n) => serde_json::Value::from(n.to_f64()),
                            None if raw.is_empty() => serde_json::Value::Null,
                            None => serde_json::Value::from(raw.clone()),
                        };
                        (col.name.clone(), value)
                    })
                    .collect(),
                documents: named.remove(case.id.as_str()).unwrap_or_default(),
            })
            .collect()
    }
}

/// Line numbers of byte offsets that only move forward, counted
/// incrementally (a case file of 10,000 rows is read in one pass).
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            pos: 0,
            line: 1,
        }
    }

    /// Returns the line of the first character at or after `byte` that is
    /// not a line break (a record's position may point at blank lines
    /// before it).
    fn at(&mut self, byte: u64) -> usize {
        let mut at = (byte as usize).min(self.bytes.len());
        while matches!(self.bytes.get(at), Some(b'\n' | b'\r')) {
            at += 1;
        }
        if at < self.pos {
            return line_of(self.bytes, at);
        }
        self.line += self.bytes[self.pos..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = at;
        self.line
    }
}

/// Returns the case ids a document names in its front matter.
pub fn case_ids(doc: &DocSummary) -> Vec<&str> {
    doc.attributes
        .iter()
        .filter(|(k, _)| CASE_KEYS.contains(&k.to_lowercase().as_str()))
        .flat_map(|(_, v)| v.values().iter().map(String::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn numbers_parse_as_spreadsheets_write_them() {
        assert_eq!(d("412.50").to_string(), "412.50");
        assert_eq!(d("£1,250").to_string(), "1250");
        assert_eq!(d("-3").to_string(), "-3");
        assert_eq!(d(".5").to_string(), "0.5");
        assert_eq!(d("1,250.5"), d("1250.50"));
        for bad in [
            "",
            "-",
            "£",
            "12a",
            "1,25",
            ",125",
            "1.2.3",
            "about 300",
            "1 250",
            "99999999999999999999999999999999999",
            "1000000000000000000",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(d("1,000.00").normalised(), "1000");
        assert_eq!(d("0.50").normalised(), "0.5");
        assert!(Decimal::parse("1e3").is_none());
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
    fn a_mostly_numeric_column_with_a_word_is_text_and_warned_about() {
        let text = "case,site,spend\nC1,North,100\nC2,South,about 300\nC3,North,\nC4,South,50\n";
        let cases = Cases::parse(Path::new("corpus/cases.csv"), text.as_bytes()).unwrap();
        assert!(!cases.columns[1].numeric);
        assert_eq!(cases.warnings.len(), 1);
        let w = cases.warnings[0].to_string();
        assert!(
            w.starts_with("corpus/cases.csv:3: column 3 ('spend') of case 'C2': 'about 300' is not a number, so 'spend' is treated as text"),
            "{w}"
        );
        let ok = "case,site,spend\nC1,North,100\nC2,South,\n";
        let cases = Cases::parse(Path::new("c.csv"), ok.as_bytes()).unwrap();
        assert!(cases.columns[1].numeric && !cases.columns[0].numeric);
        assert!(cases.warnings.is_empty());
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

    #[test]
    fn malformed_case_files_name_the_line() {
        let cases = [
            ("", "1: the case file is empty"),
            ("id,site\nC1,x\n", "1: the first column must be `case`"),
            (
                "case,site,Site\n",
                "1: columns 2 and 3 are both called 'Site'",
            ),
            (
                "case,site\nC1,x\nC2\n",
                "3: this row has 1 cell but the header has 2 columns",
            ),
            (
                "case,site\nC1,x\nc1,y\n",
                "3: case 'c1' has two rows (the first on line 2)",
            ),
            ("case,site\n,x\n", "2: the `case` cell is empty"),
            (
                "case,Role\n",
                "1: column 2 is called 'Role', which realist uses",
            ),
            (
                "case,x\n\n\nC1,a\nC1,b\n",
                "5: case 'C1' has two rows (the first on line 4)",
            ),
        ];
        for (text, want) in cases {
            let e = Cases::parse(Path::new("cases.csv"), text.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("cases.csv:{want}")), "{e}");
        }
    }
}
