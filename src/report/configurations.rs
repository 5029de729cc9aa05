//! The report's configurations: each configuration of the logic model with
//! its statements, a summary of its evidence (stances, documents, sites)
//! and the table of the quotes linked to it.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

use super::{Inputs, header, row};
use crate::logic_model::links::Stance;
use crate::logic_model::{Configuration, LogicModel};
use crate::quotes::{Evidence, Row};
use crate::table::{md_cell, md_text};
use crate::text::plural;

/// The quotes linked to one configuration, each once, with every stance
/// taken on it.
type Linked<'a> = Vec<(&'a Row, Vec<&'a Evidence>)>;

/// Writes the configurations section, when the project has a logic model.
pub(super) fn configurations(
    out: &mut String,
    inputs: &Inputs,
    rows: &[Row],
    text: &dyn Fn(&str) -> String,
) {
    let Some(model) = inputs.model else {
        return;
    };
    if !intro(out, inputs, model) {
        return;
    }
    for c in &model.configurations {
        statements(out, c, text);
        let linked = linked(rows, &c.id);
        if linked.is_empty() {
            let _ = writeln!(out, "No evidence linked yet.\n");
            continue;
        }
        summary(out, inputs, &linked, text);
        evidence_table(out, linked);
    }
}

/// Writes the heading and what follows, saying how many links point to
/// codings that no longer exist. Returns false when the logic model has no
/// configurations (and says so).
fn intro(out: &mut String, inputs: &Inputs, model: &LogicModel) -> bool {
    let _ = writeln!(out, "## Configurations and their evidence\n");
    if model.configurations.is_empty() {
        let _ = writeln!(out, "The logic model has no configurations yet.\n");
        return false;
    }
    let missing = dangling_links(inputs);
    let _ = writeln!(
        out,
        "Each configuration of the logic model, its statements, and the coded quotes linked to it as evidence that supports, refutes or refines it.{}\n",
        if missing > 0 {
            format!(
                " {} to codings that no longer exist {} left out (`realist logic-model check` lists them).",
                plural(missing, "link", "links"),
                if missing == 1 { "is" } else { "are" }
            )
        } else {
            String::new()
        }
    );
    true
}

/// Returns how many current links point to codings no coder file holds.
fn dangling_links(inputs: &Inputs) -> usize {
    let coded: HashSet<&str> = inputs
        .files
        .iter()
        .flat_map(|f| f.codings.iter().map(|c| c.id.as_str()))
        .collect();
    inputs
        .links
        .current()
        .iter()
        .filter(|l| !coded.contains(l.coding.as_str()))
        .count()
}

/// Writes a configuration's heading, pathway, status and statements.
fn statements(out: &mut String, c: &Configuration, text: &dyn Fn(&str) -> String) {
    let _ = writeln!(out, "### {}: {}\n", c.id, text(&c.title));
    let _ = writeln!(
        out,
        "*Pathway: {}. Status: {}.*\n",
        text(&c.pathway),
        c.status.name()
    );
    for (label, statement) in c.statements() {
        let _ = writeln!(out, "- **{}:** {}", md_text(label), text(statement));
    }
    out.push('\n');
}

/// Returns the quotes linked to configuration `cmo`: each quote once, with
/// every stance taken on it (two coders' codings of one passage may be
/// linked differently).
fn linked<'a>(rows: &'a [Row], cmo: &str) -> Linked<'a> {
    rows.iter()
        .map(|r| {
            (
                r,
                r.evidence
                    .iter()
                    .filter(|e| e.cmo == cmo)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, e)| !e.is_empty())
        .collect()
}

/// Writes the evidence summary: quotes by stance, documents and sites, and
/// a warning when it rests on a single document.
fn summary(out: &mut String, inputs: &Inputs, linked: &Linked, text: &dyn Fn(&str) -> String) {
    let stance = |s: Stance| {
        linked
            .iter()
            .filter(|(_, e)| e.iter().any(|e| e.stance == s))
            .count()
    };
    let docs: BTreeSet<&str> = linked.iter().map(|(r, _)| r.real_doc.as_str()).collect();
    let sites: BTreeSet<String> = docs
        .iter()
        .flat_map(|d| inputs.index.attribute_values(d, "site"))
        .collect();
    let _ = writeln!(
        out,
        "{}: {} supporting, {} refuting, {} refining; from {}{}.{}\n",
        plural(linked.len(), "quote", "quotes"),
        stance(Stance::Supports),
        stance(Stance::Refutes),
        stance(Stance::Refines),
        plural(docs.len(), "document", "documents"),
        if sites.is_empty() {
            String::new()
        } else {
            format!(
                " at {} ({})",
                plural(sites.len(), "site", "sites"),
                text(&sites.into_iter().collect::<Vec<_>>().join(", "))
            )
        },
        if docs.len() == 1 {
            " The configuration rests on a single document."
        } else {
            ""
        }
    );
}

/// Writes the table of linked quotes: quote, attribution, stances, source
/// and code.
fn evidence_table(out: &mut String, linked: Linked) {
    out.push_str(&header(&[
        "Quote".into(),
        "Attribution".into(),
        "Stance".into(),
        "Source".into(),
        "Code".into(),
    ]));
    for (r, evidence) in linked {
        let stances: Vec<String> = evidence
            .iter()
            .map(|e| match e.part {
                Some(p) => format!("{} ({})", e.stance.name(), p.name()),
                None => e.stance.name().to_string(),
            })
            .collect();
        out.push_str(&row(&[
            format!("“{}”", md_cell(&r.quote)),
            md_cell(&r.attribution),
            md_cell(&stances.join("; ")),
            md_cell(&crate::export::source(r)),
            md_cell(&r.code),
        ]));
    }
    out.push('\n');
}
