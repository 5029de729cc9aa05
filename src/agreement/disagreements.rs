//! Where coders differ: the agenda for the reviewers' meeting.
//!
//! For the chosen [`Unit`], a unit is listed when, for at least one of the
//! compared codes, some but not all coders coded it (a coding overlapping
//! the unit by one code point counts, as in [`super::compare`]). With the
//! `char` unit, the "units" are the maximal stretches of text over which the
//! same coders differ on the same codes.

use serde::Serialize;

use super::compare::{LeftOut, Selection, by_document, select};
use super::units::{Spans, Unit, clamp, each_parsed, merged, pieces};
use crate::coding::{CoderFile, Coding};
use crate::error::Result;
use crate::filter::Filter;
use crate::index::Index;
use crate::text::Span;
use crate::transcript::Transcript;

/// What to list.
#[derive(Debug, Clone)]
pub struct Options {
    /// The unit.
    pub unit: Unit,
    /// The codes to compare (exact paths); every code the coders used when empty.
    pub codes: Vec<String>,
    /// Only documents passing every filter.
    pub filters: Vec<Filter>,
}

/// One code on which the coders differ in a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The code path.
    pub code: String,
    /// The coders who applied it to the unit.
    pub applied_by: Vec<String>,
    /// The coders who did not.
    pub not_by: Vec<String>,
    /// The codings overlapping the unit.
    pub codings: Vec<CodingRef>,
}

/// A coding named by its coder and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodingRef {
    /// The coder.
    pub coder: String,
    /// The coding's id.
    pub id: String,
}

/// A unit on which the coders differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The document.
    pub doc: String,
    /// The unit's first code point.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// The number of the turn the unit starts in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn: Option<usize>,
    /// That turn's speaker label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// That speaker's role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The unit's text.
    pub text: String,
    /// The codes on which the coders differ here, in the order compared.
    pub differences: Vec<Difference>,
}

/// Everything `realist disagreements` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreements {
    /// The unit.
    pub unit: Unit,
    /// The coders.
    pub coders: Vec<String>,
    /// The documents compared.
    pub documents: Vec<String>,
    /// Documents some but not all coders coded.
    pub left_out: Vec<LeftOut>,
    /// The units where the coders differ, in document and text order.
    pub units: Vec<Disagreement>,
}

/// The totals of a listing (`"type":"disagreements"`), after its units.
#[derive(Debug, Clone, Serialize)]
pub struct Tally<'a> {
    /// The unit.
    pub unit: Unit,
    /// The coders.
    pub coders: &'a [String],
    /// The documents compared.
    pub documents: &'a [String],
    /// Documents some but not all coders coded.
    pub left_out: &'a [LeftOut],
    /// Units listed.
    pub units: usize,
    /// (unit, code) differences listed.
    pub differences: usize,
}

impl Disagreements {
    /// Returns the totals.
    pub fn tally(&self) -> Tally<'_> {
        Tally {
            unit: self.unit,
            coders: &self.coders,
            documents: &self.documents,
            left_out: &self.left_out,
            units: self.units.len(),
            differences: self.units.iter().map(|u| u.differences.len()).sum(),
        }
    }
}

/// Lists the units of the documents every coder coded where the coders
/// differ on a code. Refuses while any coding's anchor is stale.
pub fn disagreements(index: &Index, files: &[CoderFile], opts: &Options) -> Result<Disagreements> {
    let Selection {
        coders,
        documents,
        left_out,
    } = select(index, files, &opts.filters)?;
    let codes: Vec<String> = if opts.codes.is_empty() {
        let mut used: Vec<String> = files
            .iter()
            .flat_map(|f| f.codings.iter().map(|c| c.code.clone()))
            .collect();
        used.sort();
        used.dedup();
        used
    } else {
        opts.codes.clone()
    };
    let per_doc = by_document(files, &documents);
    let mut units = Vec::new();
    each_parsed(index, &documents, opts.unit, |t, spans| {
        let per_coder = &per_doc[t.id.as_str()];
        units.extend(in_document(t, opts.unit, spans, &codes, &coders, per_coder));
        Ok(())
    })?;
    Ok(Disagreements {
        unit: opts.unit,
        coders,
        documents,
        left_out,
        units,
    })
}

/// The disagreements in one document; `per_coder[i]`: coder i's codings of it.
fn in_document(
    t: &Transcript,
    unit: Unit,
    spans: &[Span],
    codes: &[String],
    coders: &[String],
    per_coder: &[Vec<&Coding>],
) -> Vec<Disagreement> {
    let m = coders.len();
    let len = t.char_len();
    let full: u64 = (1u64 << m) - 1;
    // Per code, per coder: the codings of that code.
    let of_code: Vec<Vec<Vec<&Coding>>> = codes
        .iter()
        .map(|code| {
            per_coder
                .iter()
                .map(|list| list.iter().copied().filter(|c| &c.code == code).collect())
                .collect()
        })
        .collect();
    // Per code, per coder: the merged spans, as `agree` counts them.
    let merged_spans: Spans = of_code
        .iter()
        .map(|per| {
            per.iter()
                .map(|cs| merged(cs.iter().map(|c| clamp(c, len)).collect()))
                .collect()
        })
        .collect();
    // Candidate units with, per code, the mask of coders who coded them;
    // by character, adjacent stretches with the same masks are one unit.
    let mut candidates: Vec<(Span, Vec<u64>)> = Vec::new();
    for (span, masks) in pieces(unit, len, spans, &merged_spans, m) {
        match candidates.last_mut() {
            Some((last, before))
                if unit == Unit::Char && last.end == span.start && *before == masks =>
            {
                last.end = span.end;
            }
            _ => candidates.push((span, masks)),
        }
    }
    let mut out = Vec::new();
    for (span, masks) in candidates {
        let differences: Vec<Difference> = masks
            .iter()
            .enumerate()
            .filter(|&(_, &mask)| mask != 0 && mask != full)
            .map(|(k, &mask)| {
                let who = |set: bool| -> Vec<String> {
                    (0..m)
                        .filter(|i| (mask >> i & 1 == 1) == set)
                        .map(|i| coders[i].clone())
                        .collect()
                };
                let codings = of_code[k]
                    .iter()
                    .enumerate()
                    .flat_map(|(i, cs)| {
                        cs.iter()
                            .filter(|c| {
                                let s = clamp(c, len);
                                s.start < span.end && span.start < s.end
                            })
                            .map(move |c| CodingRef {
                                coder: coders[i].clone(),
                                id: c.id.clone(),
                            })
                    })
                    .collect();
                Difference {
                    code: codes[k].clone(),
                    applied_by: who(true),
                    not_by: who(false),
                    codings,
                }
            })
            .collect();
        if differences.is_empty() {
            continue;
        }
        let turn = t.turn_at(span.start);
        out.push(Disagreement {
            doc: t.id.clone(),
            start: span.start,
            end: span.end,
            turn: turn.map(|t| t.number),
            speaker: turn.and_then(|t| t.speaker.clone()),
            role: turn.and_then(|t| t.role.clone()),
            text: t.slice(span).to_string(),
            differences,
        });
    }
    out
}
