//! The report's codebook section: every code with its definition.

use std::fmt::Write as _;

use super::{header, row};
use crate::codebook::Codebook;
use crate::table::md_cell;

/// Writes the codebook section.
pub(super) fn codebook(out: &mut String, book: &Codebook, cell: &dyn Fn(&str) -> String) {
    let _ = writeln!(out, "## The codebook\n");
    if book.codes.is_empty() {
        let _ = writeln!(out, "The project has no codebook yet.\n");
        return;
    }
    out.push_str(&header(&["Code".into(), "Definition".into()]));
    for code in book.codes.values() {
        out.push_str(&row(&[md_cell(&code.path), cell(&code.definition)]));
    }
    out.push('\n');
}
