//! The report's first section, the corpus: documents, turns and words;
//! documents by method and site; speakers by role; coders.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::attribute_groups;
use super::{Inputs, header, row};
use crate::filter::Filter;
use crate::index::Index;
use crate::table::md_cell;
use crate::text::{plural, thousands};

/// Speakers, turns and words of one role.
#[derive(Debug, Default)]
pub(super) struct RoleCount {
    /// Each speaker of the role: (document, label).
    pub(super) speakers: BTreeSet<(String, String)>,
    /// The documents in which the role speaks.
    pub(super) documents: BTreeSet<String>,
    /// The role's turns.
    pub(super) turns: usize,
    /// The words said in them.
    pub(super) words: usize,
}

/// Reads every transcript once and counts speakers, turns and words by role.
pub(super) fn speakers_by_role(
    index: &Index,
    filters: &[Filter],
    progress: &dyn crate::progress::Progress,
) -> BTreeMap<String, RoleCount> {
    let mut out: BTreeMap<String, RoleCount> = BTreeMap::new();
    progress.start(super::documents(index, filters).count() as u64);
    for d in super::documents(index, filters) {
        progress.advance(1);
        let Ok(t) = index.transcript(&d.id) else {
            continue;
        };
        for turn in &t.turns {
            let role = turn
                .role
                .clone()
                .or_else(|| turn.speaker.clone())
                .unwrap_or_else(|| "(no speaker)".into());
            let r = out.entry(role).or_default();
            if let Some(s) = &turn.speaker {
                r.speakers.insert((d.id.clone(), s.clone()));
            }
            r.documents.insert(d.id.clone());
            r.turns += 1;
            r.words += crate::text::word_count(t.slice(turn.body));
        }
    }
    progress.finish();
    out
}

/// Writes the corpus section.
pub(super) fn corpus(
    out: &mut String,
    inputs: &Inputs,
    roles: &BTreeMap<String, RoleCount>,
    cell: &dyn Fn(&str) -> String,
) {
    totals(out, inputs.index, inputs.filters);
    by_method_and_site(out, inputs.index, inputs.filters, cell);
    speakers(out, roles, cell);
    coders(out, inputs);
}

/// Writes the heading and the counts of documents, turns and words.
fn totals(out: &mut String, index: &Index, filters: &[Filter]) {
    let docs: Vec<_> = super::documents(index, filters).collect();
    let words: usize = docs.iter().map(|d| d.words).sum();
    let turns: usize = docs.iter().map(|d| d.turns).sum();
    let _ = writeln!(out, "## The corpus\n");
    let _ = writeln!(
        out,
        "{}, {} and {} spoken.\n",
        plural(docs.len(), "document", "documents"),
        plural(turns, "speaker turn", "speaker turns"),
        plural(words, "word", "words")
    );
}

/// Writes the documents by site (columns) and method (rows), when both exist.
fn by_method_and_site(
    out: &mut String,
    index: &Index,
    filters: &[Filter],
    cell: &dyn Fn(&str) -> String,
) {
    let sites = attribute_groups(index, filters, "site");
    let methods = attribute_groups(index, filters, "method");
    if sites.is_empty() || methods.is_empty() {
        return;
    }
    let _ = writeln!(out, "Documents by method and site:\n");
    let mut columns = vec!["Method".to_string()];
    columns.extend(sites.keys().map(|s| cell(s)));
    columns.push("Total".into());
    out.push_str(&header(&columns));
    for (method, in_method) in &methods {
        let mut cells = vec![cell(method)];
        cells.extend(
            sites
                .values()
                .map(|in_site| in_site.intersection(in_method).count().to_string()),
        );
        cells.push(in_method.len().to_string());
        out.push_str(&row(&cells));
    }
    out.push('\n');
}

/// Writes the speakers, documents, turns and words of each role.
fn speakers(out: &mut String, roles: &BTreeMap<String, RoleCount>, cell: &dyn Fn(&str) -> String) {
    let _ = writeln!(
        out,
        "Speakers by role (a speaker is a label in one document):\n"
    );
    out.push_str(&header(&[
        "Role".into(),
        "Speakers".into(),
        "Documents".into(),
        "Turns".into(),
        "Words".into(),
    ]));
    for (role, r) in roles {
        out.push_str(&row(&[
            cell(role),
            r.speakers.len().to_string(),
            r.documents.len().to_string(),
            thousands(r.turns),
            thousands(r.words),
        ]));
    }
    out.push('\n');
}

/// Writes each coder's codings, documents coded and codes used.
fn coders(out: &mut String, inputs: &Inputs) {
    let _ = writeln!(out, "Coders:\n");
    out.push_str(&header(&[
        "Coder".into(),
        "Codings".into(),
        "Documents coded".into(),
        "Codes used".into(),
    ]));
    for f in inputs.files {
        let docs: BTreeSet<&str> = f.codings.iter().map(|c| c.doc.as_str()).collect();
        let codes: BTreeSet<&str> = f.codings.iter().map(|c| c.code.as_str()).collect();
        let name = if inputs.consensus.contains(&f.coder) {
            format!("{} (consensus)", f.coder)
        } else {
            f.coder.clone()
        };
        out.push_str(&row(&[
            md_cell(&name),
            f.codings.len().to_string(),
            docs.len().to_string(),
            codes.len().to_string(),
        ]));
    }
    if inputs.files.is_empty() {
        out.push_str(&row(&[
            "(nobody has coded yet)".into(),
            String::new(),
            String::new(),
            String::new(),
        ]));
    }
    out.push('\n');
}
