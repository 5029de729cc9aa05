//! The report's code frequencies: codings with each code by coder, and the
//! documents in which any coder applied it.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use super::{Inputs, codes_in_order, header, row};
use crate::quotes::Row;
use crate::table::md_cell;

/// Writes the code frequencies section.
pub(super) fn frequencies(out: &mut String, inputs: &Inputs, rows: &[Row]) {
    let _ = writeln!(out, "## Code frequencies\n");
    if rows.is_empty() {
        let _ = writeln!(out, "Nothing has been coded yet.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Codings with exactly each code, by coder, and the documents in which any coder applied it.\n"
    );
    let coders: Vec<&str> = inputs.files.iter().map(|f| f.coder.as_str()).collect();
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    let mut docs: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for r in rows {
        for c in &r.coders {
            *counts.entry((r.code.as_str(), c.as_str())).or_default() += 1;
        }
        docs.entry(r.code.as_str())
            .or_default()
            .insert(r.doc.as_str());
    }
    let mut columns = vec!["Code".to_string()];
    columns.extend(coders.iter().map(|c| md_cell(c)));
    columns.push("Documents".into());
    out.push_str(&header(&columns));
    let mut totals = vec![0usize; coders.len()];
    for code in codes_in_order(inputs.book, rows) {
        let mut cells = vec![md_cell(code)];
        for (i, coder) in coders.iter().enumerate() {
            let n = counts.get(&(code, *coder)).copied().unwrap_or(0);
            totals[i] += n;
            cells.push(n.to_string());
        }
        cells.push(docs.get(code).map_or(0, BTreeSet::len).to_string());
        out.push_str(&row(&cells));
    }
    let all_docs: BTreeSet<&str> = rows.iter().map(|r| r.doc.as_str()).collect();
    let mut cells = vec!["**Total**".to_string()];
    cells.extend(totals.iter().map(|n| format!("**{n}**")));
    cells.push(format!("**{}**", all_docs.len()));
    out.push_str(&row(&cells));
    out.push('\n');
}
