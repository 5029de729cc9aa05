//! The report's agreement between coders: per code and pooled, on speaker
//! turns, over the coders who are not consensus coders (when two or more
//! of them coded).

use std::fmt::Write as _;

use super::{Inputs, header, row};
use crate::agreement::compare::{self, Agreement, Figures, Options};
use crate::agreement::units::Unit;
use crate::coding::CoderFile;
use crate::pseudonyms::Pseudonyms;
use crate::table::{md_cell, md_text};
use crate::text::{plural, thousands};

/// Returns "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => md_text(one),
        [rest @ .., last] => format!(
            "{} and {}",
            rest.iter()
                .map(|s| md_text(s))
                .collect::<Vec<_>>()
                .join(", "),
            md_text(last)
        ),
    }
}

/// Formats a coefficient to three places, or "–".
fn coefficient(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.3}"))
}

/// Writes the agreement section, when two or more coders (not consensus
/// coders) coded.
pub(super) fn agreement(out: &mut String, inputs: &Inputs) {
    let compared: Vec<CoderFile> = inputs
        .files
        .iter()
        .filter(|f| !inputs.consensus.contains(&f.coder) && !f.codings.is_empty())
        .cloned()
        .collect();
    if compared.len() < 2 {
        return;
    }
    let _ = writeln!(out, "## Agreement between coders\n");
    let codes = inputs.book.used_in_order(&crate::codebook::Usage::of(
        crate::coding::store::code_uses(&compared),
    ));
    let opts = Options {
        unit: Unit::Turn,
        codes,
        filters: Vec::new(),
        // Uncoded turns would make every code look near-perfectly agreed.
        coded_only: true,
    };
    match compare::compare(inputs.index, &compared, &opts) {
        Ok(a) => agreement_table(out, &a, inputs.key),
        Err(e) => {
            let _ = writeln!(
                out,
                "Agreement could not be computed: {}\n",
                md_text(&inputs.key.apply(&e.to_string()))
            );
        }
    }
}

/// Writes what was compared, the documents left out, and the table of
/// figures per code and pooled.
fn agreement_table(out: &mut String, a: &Agreement, key: &Pseudonyms) {
    let two = a.coders.len() == 2;
    let _ = writeln!(
        out,
        "Agreement of {} on the {} every one of them coded, with the speaker turn as the unit: a turn counts as coded with a code by a coder when any of their codings with it overlaps the turn. Only turns that at least one coder coded are counted, so that uncoded talk does not inflate agreement (`realist agree` without `--coded-only` counts every turn). {}\n",
        and_list(&a.coders),
        plural(a.documents.len(), "document", "documents"),
        if two {
            "Cohen's kappa and Krippendorff's alpha (nominal) correct percent agreement for chance."
        } else {
            "Fleiss' kappa and Krippendorff's alpha (nominal) correct percent agreement for chance."
        }
    );
    if !a.left_out.is_empty() {
        let list: Vec<String> = a
            .left_out
            .iter()
            .map(|l| format!("{} (coded by {})", key.apply(&l.doc), l.coded_by.join(", ")))
            .collect();
        let _ = writeln!(
            out,
            "Left out, because not every coder coded them: {}.\n",
            md_text(&list.join("; "))
        );
    }
    let mut columns = vec!["Code".to_string(), "Coded turns".to_string()];
    columns.extend(a.coders.iter().map(|c| md_cell(c)));
    columns.extend([
        "All".to_string(),
        "Agreement".to_string(),
        if two { "Cohen's κ" } else { "Fleiss' κ" }.to_string(),
        "Krippendorff's α".to_string(),
    ]);
    out.push_str(&header(&columns));
    let line = |name: String, f: &Figures| {
        let mut cells = vec![name, thousands(f.units as usize)];
        cells.extend(
            a.coders
                .iter()
                .map(|c| thousands(f.coded_by.get(c).copied().unwrap_or(0) as usize)),
        );
        cells.push(thousands(f.by_all as usize));
        cells.push(
            f.percent_agreement
                .map_or("–".into(), |p| format!("{:.1}%", p * 100.0)),
        );
        cells.push(coefficient(if two {
            f.cohen_kappa
        } else {
            f.fleiss_kappa
        }));
        cells.push(coefficient(f.krippendorff_alpha));
        row(&cells)
    };
    for (code, f) in &a.codes {
        out.push_str(&line(md_cell(code), f));
    }
    out.push_str(&line("**All codes (pooled)**".into(), &a.overall.pooled));
    out.push_str("\n“–”: not defined (for example, a code no coder used on these documents).\n\n");
}
