//! The report's codes by attribute: for each attribute that groups
//! documents (site, strand, method, case attributes) and for the speaker's
//! role, the documents in which each code was applied, per value.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::corpus::RoleCount;
use super::{Inputs, MAX_GROUPS, codes_in_order, header, row};
use crate::cases::Decimal;
use crate::index::Index;
use crate::quotes::Row;
use crate::table::{md_cell, md_text};

/// Front-matter keys that describe a document rather than group documents.
const NOT_GROUPS: &[&str] = &[
    "id", "title", "date", "case", "cases", "speakers", "roles", "path",
];

/// Returns the attributes that group documents: 2 to [`MAX_GROUPS`]
/// values, not all numbers, not an id, title or date; site, strand and
/// method first.
fn grouping_attributes(index: &Index, filters: &[crate::filter::Filter]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for k in index.attribute_keys() {
        let lower = k.to_lowercase();
        if NOT_GROUPS.contains(&lower.as_str()) || keys.iter().any(|x| x.eq_ignore_ascii_case(k)) {
            continue;
        }
        let groups = super::attribute_groups(index, filters, k);
        let numeric = groups.keys().all(|v| Decimal::parse(v).is_some());
        if (2..=MAX_GROUPS).contains(&groups.len()) && !numeric {
            keys.push(k.to_string());
        }
    }
    let rank = |k: &str| {
        ["site", "strand", "method"]
            .iter()
            .position(|p| k.eq_ignore_ascii_case(p))
            .unwrap_or(3)
    };
    keys.sort_by_key(|k| rank(k));
    keys
}

/// Writes the codes by attribute section: one table per grouping attribute,
/// then one by role when two or more roles have speakers.
pub(super) fn matrices(
    out: &mut String,
    inputs: &Inputs,
    rows: &[Row],
    roles: &BTreeMap<String, RoleCount>,
    cell: &dyn Fn(&str) -> String,
) {
    let _ = writeln!(out, "## Codes by attribute\n");
    if rows.is_empty() {
        let _ = writeln!(out, "Nothing has been coded yet.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Each cell is the number of documents in which any coder applied the code (for role: to a turn by a speaker in that role); each heading gives the number of documents with that value.\n"
    );
    let codes = codes_in_order(inputs.book, rows);
    let mut table = |name: &str,
                     groups: &BTreeMap<String, BTreeSet<String>>,
                     coded: &dyn Fn(&Row, &str) -> bool| {
        let _ = writeln!(out, "### By {}\n", md_text(name));
        let mut columns = vec!["Code".to_string()];
        columns.extend(
            groups
                .iter()
                .map(|(v, d)| format!("{} ({})", cell(v), d.len())),
        );
        out.push_str(&header(&columns));
        for code in &codes {
            let mut cells = vec![md_cell(code)];
            for value in groups.keys() {
                let docs: BTreeSet<&str> = rows
                    .iter()
                    .filter(|r| r.code == *code && coded(r, value))
                    .map(|r| r.real_doc.as_str())
                    .collect();
                cells.push(docs.len().to_string());
            }
            out.push_str(&row(&cells));
        }
        out.push('\n');
    };
    for key in grouping_attributes(inputs.index, inputs.filters) {
        let groups = super::attribute_groups(inputs.index, inputs.filters, &key);
        table(&key, &groups, &|r: &Row, value: &str| {
            groups.get(value).is_some_and(|d| d.contains(&r.real_doc))
        });
    }
    let role_groups: BTreeMap<String, BTreeSet<String>> = roles
        .iter()
        .filter(|(_, r)| !r.speakers.is_empty())
        .map(|(role, r)| (role.clone(), r.documents.clone()))
        .collect();
    if role_groups.len() >= 2 {
        let key = inputs.key;
        table("role", &role_groups, &|r: &Row, value: &str| {
            r.role
                .as_deref()
                .or(r.speaker.as_deref())
                .is_some_and(|x| x == key.apply(value))
        });
    }
}
