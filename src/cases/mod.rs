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
//!
//! The file is read in `parse`; the numbers are [`Decimal`]s; the figures
//! ([`Figures`], [`ColumnStats`]) are computed in `stats`.

mod decimal;
mod parse;
mod stats;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use indexmap::IndexMap;
use serde::Serialize;

use crate::corpus::DocSummary;
use crate::error::{Error, Problem, Result};
use crate::project::Project;
use crate::transcript::AttrValue;

pub use decimal::Decimal;
pub use stats::{ColumnStats, Figures};

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

impl Cases {
    /// Reads the project's case file: `None` when there is none (a file
    /// named in `realist.toml` must exist).
    ///
    /// A case file that leads out of the project is read only when the
    /// project allows it (`[project] allow_outside`), and then its errors
    /// and warnings say where, never what, so that they show nothing of
    /// a file that may not be case data at all.
    pub fn load(project: &Project) -> Result<Option<Cases>> {
        let path = project.cases_file();
        let full = project.root.join(&path);
        let outside = match project.outside("the case file", &path) {
            Ok(outside) => outside,
            Err(Error::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound
                    && project.config.cases.is_none() =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let bytes = std::fs::read(&full).map_err(|e| Error::io(&full, e))?;
        if !outside {
            return Cases::parse(&path, &bytes).map(Some);
        }
        let mut cases = Cases::parse(&path, &bytes).map_err(|e| {
            let line = match e {
                Error::Transcript { line, .. } | Error::InvalidUtf8 { line, .. } => line,
                _ => 0,
            };
            Error::OutsideUnreadable {
                path: path.clone(),
                line,
                what: "case data",
            }
        })?;
        for w in &mut cases.warnings {
            w.message = "a value in a mostly numeric column is not a number, so the column is treated as text (the value is not shown, because the file is outside the project)".into();
        }
        Ok(Some(cases))
    }

    /// Adds the attributes of the cases `doc` names to its attributes (a
    /// column that is also a front matter key adds its values to the
    /// key's). Returns the case ids it names that are not in the file.
    pub fn merge_into(&self, doc: &mut DocSummary) -> Vec<String> {
        let mut unknown = Vec::new();
        let mut added: IndexMap<String, Vec<String>> = IndexMap::new();
        // The document's own keys by their lower-cased names (the first of
        // each), so that each column finds its key without reading them all.
        let mut own: HashMap<String, &str> = HashMap::new();
        for k in doc.attributes.keys() {
            own.entry(k.to_lowercase()).or_insert(k);
        }
        for id in case_ids(doc) {
            match self.case(id) {
                Some(case) => {
                    for (key, value) in self.attributes(case) {
                        let key = own.get(&key.to_lowercase()).copied().unwrap_or(key);
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
            let mut seen: std::collections::HashSet<String> =
                all.iter().map(|a| a.to_lowercase()).collect();
            for v in values {
                if seen.insert(v.to_lowercase()) {
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
        Err(Error::UnknownColumn {
            file: self.path.clone(),
            name: name.to_string(),
            suggestions: crate::suggest::nearest(
                name,
                self.columns.iter().map(|c| c.name.as_str()),
            ),
            known: self.columns.iter().map(|c| c.name.clone()).collect(),
        })
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
    use std::path::Path;

    use super::*;

    #[test]
    fn a_case_joins_its_columns_to_the_keys_its_document_writes_and_adds_no_value_twice() {
        let columns: Vec<String> = (0..3000).map(|i| format!("col{i}")).collect();
        let cells: Vec<String> = (0..3000).map(|i| format!("v{i}")).collect();
        let text = format!(
            "case,Site,{}\nC1,North,{}\nC2,north,{}\n",
            columns.join(","),
            cells.join(","),
            cells.join(",")
        );
        let cases = Cases::parse(Path::new("cases.csv"), text.as_bytes()).unwrap();
        let mut doc = DocSummary {
            id: "d".into(),
            path: "corpus/d.md".into(),
            turns: 1,
            words: 1,
            attributes: IndexMap::from([
                ("SITE".to_string(), AttrValue::Text("South".into())),
                (
                    "cases".to_string(),
                    AttrValue::List(vec!["C1".into(), "c2".into(), "C9".into()]),
                ),
            ]),
        };
        assert_eq!(cases.merge_into(&mut doc), ["C9"]);
        // The column `Site` joins the document's `SITE`, once per value
        // whatever its case; every other column is added after.
        assert_eq!(
            doc.attributes["SITE"],
            AttrValue::List(vec!["South".into(), "North".into()])
        );
        assert_eq!(doc.attributes["col2999"], AttrValue::Text("v2999".into()));
        assert_eq!(doc.attributes.len(), 2 + 3000);
    }

    #[test]
    fn a_column_named_twice_among_many_is_found() {
        let mut names: Vec<String> = (0..5000).map(|i| format!("c{i}")).collect();
        names.push("C17".into());
        let text = format!("case,{}\n", names.join(","));
        let e = Cases::parse(Path::new("cases.csv"), text.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "cases.csv:1: columns 19 and 5002 are both called 'C17'");
    }
}
