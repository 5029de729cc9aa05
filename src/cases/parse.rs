//! Reading the case file: a CSV file whose header row starts with `case`,
//! then one row per case. Each phase checks one thing and names the line
//! of what it refuses: the text, the CSV records, the header, the rows,
//! then which columns are numeric.

use std::collections::HashMap;
use std::path::Path;

use csv::StringRecord;

use super::{Case, Cases, Column, Decimal};
use crate::error::{Error, Kind, Problem, Result};
use crate::text::line_of;

/// Column names that mean something else in filters and queries.
const RESERVED: [&str; 7] = ["doc", "id", "speaker", "speakers", "role", "exact", "cases"];

impl Cases {
    /// Parses the case file `text`; `path` (relative to the project root) is
    /// used in messages.
    pub fn parse(path: &Path, text: &[u8]) -> Result<Cases> {
        let text = decode(path, text)?;
        let records = records(path, text)?;
        let Some((header_line, header)) = records.first() else {
            return Err(bad(
                path,
                1,
                "the case file is empty: write a header row starting with `case`, then one row per case".into(),
            ));
        };
        let names = column_names(path, *header_line, header)?;
        let (rows, by_id) = cases(path, &names, &records[1..])?;
        let (columns, warnings) = columns(path, &names, &rows);
        Ok(Cases {
            path: path.to_path_buf(),
            columns,
            rows,
            warnings,
            by_id,
        })
    }
}

/// Returns the error for what is wrong on `line` of the case file.
fn bad(path: &Path, line: usize, message: String) -> Error {
    Error::Transcript {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// Returns the file's text, without a byte order mark; UTF-8 is required.
fn decode<'a>(path: &Path, text: &'a [u8]) -> Result<&'a str> {
    let text = std::str::from_utf8(text).map_err(|e| Error::InvalidUtf8 {
        path: path.to_path_buf(),
        line: line_of(text, e.valid_up_to()),
        offset: e.valid_up_to(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Returns the CSV records that are not blank, each with its line.
fn records(path: &Path, text: &str) -> Result<Vec<(usize, StringRecord)>> {
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
                return Err(bad(path, line, format!("not valid CSV: {e}")));
            }
        };
        let line = r.position().map_or(0, |p| lines.at(p.byte()));
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        records.push((line, r));
    }
    Ok(records)
}

/// Returns the header's column names, trimmed: `case` first, then names
/// that are neither empty, reserved nor written twice (ignoring case).
fn column_names(path: &Path, line: usize, header: &StringRecord) -> Result<Vec<String>> {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    if names[0].to_lowercase() != "case" {
        return Err(bad(
            path,
            line,
            format!(
                "the first column must be `case` (the case id), not '{}'",
                names[0]
            ),
        ));
    }
    // Column (0-based) of each lower-cased name.
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(names.len());
    for (i, name) in names.iter().enumerate().skip(1) {
        if RESERVED.contains(&name.to_lowercase().as_str()) || name.eq_ignore_ascii_case("case") {
            return Err(bad(
                path,
                line,
                format!(
                    "column {} is called '{name}', which realist uses for something else ({}, case): rename it",
                    i + 1,
                    RESERVED.join(", ")
                ),
            ));
        }
        if name.is_empty() {
            return Err(bad(
                path,
                line,
                format!("column {} has no name: give it a header", i + 1),
            ));
        }
        if let Some(j) = seen.insert(name.to_lowercase(), i) {
            return Err(bad(
                path,
                line,
                format!("columns {} and {} are both called '{name}'", j + 1, i + 1),
            ));
        }
    }
    Ok(names)
}

/// Returns the cases of the rows after the header, and the row of each
/// lower-cased id: every row has a cell per column and an id of its own.
fn cases(
    path: &Path,
    names: &[String],
    records: &[(usize, StringRecord)],
) -> Result<(Vec<Case>, HashMap<String, usize>)> {
    let mut rows: Vec<Case> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (line, r) in records {
        if r.len() != names.len() {
            return Err(bad(
                path,
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
                path,
                *line,
                "the `case` cell is empty: give the case id".into(),
            ));
        }
        if let Some(first) = by_id.get(&id.to_lowercase()).map(|&i| &rows[i]) {
            return Err(bad(
                path,
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
    Ok((rows, by_id))
}

/// Returns the columns after `case`, each numeric when all its non-blank
/// cells are numbers, and a warning for each value that keeps a mostly
/// numeric column text.
fn columns(path: &Path, names: &[String], rows: &[Case]) -> (Vec<Column>, Vec<Problem>) {
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
    (columns, warnings)
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

#[cfg(test)]
mod tests {
    use super::*;

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
