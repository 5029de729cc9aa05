//! Comparing coders: units, per-code figures and the overall figures.
//!
//! # Units
//! - `turn`: a speaker turn (its label and all its paragraphs);
//! - `paragraph`: each block of the canonical text between blank lines;
//! - `sentence`: sentences within paragraphs (see [`crate::text::sentences`]),
//!   speaker labels left out;
//! - `char`: every code point of the canonical text, separators included.
//!
//! A unit counts as coded with code X by coder A when any of A's X codings
//! overlaps it by at least one code point.
//!
//! # Overall
//! Three summaries, all reported: `pooled` treats every (unit, code) pair as
//! one binary decision and computes the coefficients over all of them;
//! `mean` is the mean of the per-code coefficients that are defined; `sets`
//! is Krippendorff's alpha with each unit's *set* of codes (per coder) as
//! one nominal value.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::coefficients::{Binary, Coefficient, krippendorff_nominal_weighted};
use super::unitizing::{self, Segment};
use crate::coding::{CoderFile, Coding};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::index::Index;
use crate::text::Span;
use crate::transcript::Transcript;

/// What a unit of comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A speaker turn.
    Turn,
    /// A paragraph.
    Paragraph,
    /// A sentence.
    Sentence,
    /// A code point.
    Char,
}

impl Unit {
    /// Returns the unit's name as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Turn => "turn",
            Unit::Paragraph => "paragraph",
            Unit::Sentence => "sentence",
            Unit::Char => "char",
        }
    }
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct Options {
    /// The unit.
    pub unit: Unit,
    /// The codes to report, in order (exact paths).
    pub codes: Vec<String>,
    /// Only documents passing every filter.
    pub filters: Vec<Filter>,
    /// Count only units at least one coder coded with any of the compared
    /// codes (for `char`, code points), so uncoded text cannot inflate
    /// agreement. Every code is counted on the same units, so a code keeps
    /// the units neither coder gave it (without them kappa could not exceed 0).
    pub coded_only: bool,
}

/// The figures of one code (or of all codes pooled).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    /// Units compared.
    pub units: u64,
    /// Units each coder coded, by coder.
    pub coded_by: BTreeMap<String, u64>,
    /// Units every coder coded.
    pub by_all: u64,
    /// Units no coder coded.
    pub by_none: u64,
    /// Share of units on which all coders agree.
    pub percent_agreement: Option<f64>,
    /// Cohen's kappa (two coders only).
    pub cohen_kappa: Option<f64>,
    /// Fleiss' kappa.
    pub fleiss_kappa: Option<f64>,
    /// Krippendorff's alpha, nominal.
    pub krippendorff_alpha: Option<f64>,
    /// Krippendorff's binary u-alpha on the character continuum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha_binary: Option<f64>,
    /// Why a coefficient above is null, by its name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub undefined: BTreeMap<&'static str, String>,
}

/// The three overall summaries (see the module docs).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overall {
    /// Every (unit, code) pair as one binary decision.
    pub pooled: Figures,
    /// Means of the per-code coefficients that are defined.
    pub mean: BTreeMap<&'static str, Option<f64>>,
    /// Krippendorff's alpha with each unit's set of codes as its value.
    pub sets_alpha: Option<f64>,
    /// Why `sets_alpha` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sets_alpha_undefined: Option<String>,
}

/// A document left out because not every coder coded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// The document.
    pub doc: String,
    /// The coders who coded it.
    pub coded_by: Vec<String>,
}

/// Everything `realist agree` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    /// The unit.
    pub unit: Unit,
    /// The coders, in the order given.
    pub coders: Vec<String>,
    /// True when only units someone coded were counted.
    pub coded_only: bool,
    /// The documents compared: those every coder coded.
    pub documents: Vec<String>,
    /// Documents some but not all coders coded.
    pub left_out: Vec<LeftOut>,
    /// Per code.
    pub codes: IndexMap<String, Figures>,
    /// Krippendorff's cu-alpha over all codes on the character continuum.
    pub cu_alpha: Option<f64>,
    /// The share of the continuum's coincidences cu-alpha rests on.
    pub cu_alpha_coverage: Option<f64>,
    /// Why `cu_alpha` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cu_alpha_undefined: Option<String>,
    /// The overall figures.
    pub overall: Overall,
}

/// Returns the units of `t` as sorted, disjoint spans (`Char` has none:
/// it is handled by interval arithmetic).
fn units_of(t: &Transcript, unit: Unit) -> Vec<Span> {
    match unit {
        Unit::Turn => t.turns.iter().map(|turn| turn.span).collect(),
        Unit::Paragraph => t.paragraphs.clone(),
        Unit::Sentence => t.sentences(),
        Unit::Char => Vec::new(),
    }
}

/// A parsed transcript with its units.
type Parsed = (Transcript, Vec<Span>);

/// Calls `f` with each of `documents` (in order) parsed, and its units.
///
/// Parsing a transcript and splitting it into units is most of the work of
/// comparing coders, so it runs on every core, a batch of documents at a
/// time; `f` runs on the calling thread, in document order.
pub(crate) fn each_parsed(
    index: &Index,
    documents: &[String],
    unit: Unit,
    mut f: impl FnMut(&Transcript, &[Span]) -> Result<()>,
) -> Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let batch = 16 * threads;
    for chunk in documents.chunks(batch) {
        let per_thread = chunk.len().div_ceil(threads);
        let parsed: Vec<Result<Vec<Parsed>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .chunks(per_thread)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|doc| {
                                let t = index.transcript(doc)?;
                                let units = units_of(&t, unit);
                                Ok((t, units))
                            })
                            .collect::<Result<Vec<_>>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::Invalid("a worker thread failed".into())))
                })
                .collect()
        });
        for part in parsed {
            for (t, units) in part? {
                f(&t, &units)?;
            }
        }
    }
    Ok(())
}

/// Merges overlapping spans (sorted by start) into their union.
pub(crate) fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Per code index, per coder: that coder's merged spans of the code in one document.
pub(crate) type Spans = Vec<Vec<Vec<Span>>>;

/// Returns, per unit of one document, the mask of coders who coded it
/// (`per_coder[i]`: coder i's merged spans).
fn unit_masks(units: &[Span], per_coder: &[Vec<Span>]) -> Vec<u64> {
    let mut masks = vec![0u64; units.len()];
    for (i, spans) in per_coder.iter().enumerate() {
        for s in spans {
            let first = units.partition_point(|u| u.end <= s.start);
            for (k, u) in units[first..].iter().enumerate() {
                if u.start >= s.end {
                    break;
                }
                masks[first + k] |= 1 << i;
            }
        }
    }
    masks
}

/// Cuts `[0, len)` at every boundary of the spans of every list; returns
/// each piece with the indices of the lists whose spans cover it.
fn elementary(len: usize, lists: &[Vec<Span>]) -> Vec<(usize, usize, Vec<usize>)> {
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, len]);
    for spans in lists {
        for s in spans {
            cuts.insert(s.start.min(len));
            cuts.insert(s.end.min(len));
        }
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out = Vec::with_capacity(cuts.len());
    let mut idx = vec![0usize; lists.len()];
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut covering = Vec::new();
        for (i, spans) in lists.iter().enumerate() {
            while idx[i] < spans.len() && spans[idx[i]].end <= a {
                idx[i] += 1;
            }
            if idx[i] < spans.len() && spans[idx[i]].start <= a {
                covering.push(i);
            }
        }
        out.push((a, b, covering));
    }
    out
}

fn value(
    c: &Coefficient,
    name: &'static str,
    undefined: &mut BTreeMap<&'static str, String>,
) -> Option<f64> {
    match c {
        Ok(r) => Some(r.to_f64()),
        Err(reason) => {
            undefined.insert(name, reason.clone());
            None
        }
    }
}

fn figures(b: &Binary, coders: &[String]) -> Figures {
    let mut f = Figures {
        units: b.units(),
        coded_by: coders
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), b.coded_by(i)))
            .collect(),
        by_all: b.by_all(),
        by_none: b.by_none(),
        ..Figures::default()
    };
    let mut undefined = BTreeMap::new();
    f.percent_agreement = value(&b.percent_agreement(), "percent_agreement", &mut undefined);
    f.cohen_kappa = value(&b.cohen_kappa(), "cohen_kappa", &mut undefined);
    f.fleiss_kappa = value(&b.fleiss_kappa(), "fleiss_kappa", &mut undefined);
    f.krippendorff_alpha = value(
        &b.krippendorff_alpha(),
        "krippendorff_alpha",
        &mut undefined,
    );
    f.undefined = undefined;
    f
}

/// The documents a comparison covers.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The coders, in the order given.
    pub coders: Vec<String>,
    /// The documents every coder coded (and that pass the filters), in id order.
    pub documents: Vec<String>,
    /// Documents some but not all coders coded.
    pub left_out: Vec<LeftOut>,
}

/// Checks that `files` can be compared (two to 63 coders, no stale anchor)
/// and selects the documents every coder coded among those passing `filters`.
pub fn select(index: &Index, files: &[CoderFile], filters: &[Filter]) -> Result<Selection> {
    if files.len() < 2 {
        return Err(Error::Invalid(format!(
            "comparing coders needs at least two (got {}); name them with --coders A,B",
            files.len()
        )));
    }
    if files.len() > 63 {
        return Err(Error::Invalid("realist compares at most 63 coders".into()));
    }
    let passes = |doc: &str| {
        filters.is_empty()
            || index
                .document(doc)
                .is_ok_and(|d| filters.iter().all(|f| f.matches(d)))
    };
    let mut stale = crate::anchor::stale(index, files)?;
    // Only the documents compared matter (a removed document passes no filter).
    stale.retain(|s| filters.is_empty() || passes(&s.doc));
    if let Some(first) = stale.first() {
        let n = stale.len();
        let what = format!(
            "{n} coding{} in the compared documents {} (first: {} of {} in {}: {})",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is stale" } else { "are stale" },
            first.id,
            first.coder,
            first.doc,
            first.reason
        );
        let fixable = stale
            .iter()
            .all(|s| s.reason.starts_with("its text changed"));
        return Err(Error::Invalid(if fixable {
            format!("{what}; run `realist check` to re-anchor them, then compare")
        } else {
            format!(
                "{what}; `realist check` cannot place these: restore the text or document, or remove the coding with `realist code rm ID` (`realist codings` marks them [stale]), then compare"
            )
        }));
    }
    let coders: Vec<String> = files.iter().map(|f| f.coder.clone()).collect();
    // Documents each coder coded.
    let mut coded: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        for c in &f.codings {
            let v = coded.entry(c.doc.as_str()).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    let mut documents = Vec::new();
    let mut left_out = Vec::new();
    for (doc, who) in &coded {
        if !passes(doc) {
            continue;
        }
        if who.len() == files.len() {
            documents.push(doc.to_string());
        } else {
            left_out.push(LeftOut {
                doc: doc.to_string(),
                coded_by: who.iter().map(|&i| coders[i].clone()).collect(),
            });
        }
    }
    Ok(Selection {
        coders,
        documents,
        left_out,
    })
}

/// Returns, per document, each coder's codings of it (`[coder][…]`).
pub fn by_document(files: &[CoderFile]) -> HashMap<&str, Vec<Vec<&Coding>>> {
    let mut out: HashMap<&str, Vec<Vec<&Coding>>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        for c in &f.codings {
            out.entry(c.doc.as_str())
                .or_insert_with(|| vec![Vec::new(); files.len()])[i]
                .push(c);
        }
    }
    out
}

/// Compares `files` (two or more coders) on the documents every one of them
/// coded. Refuses while any coding's anchor is stale.
pub fn compare(index: &Index, files: &[CoderFile], opts: &Options) -> Result<Agreement> {
    let Selection {
        coders,
        documents,
        left_out,
    } = select(index, files, &opts.filters)?;
    let per_doc = by_document(files);
    let code_index: IndexMap<&str, usize> = opts
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();

    let m = files.len();
    let mut patterns: Vec<BTreeMap<u64, u64>> = vec![BTreeMap::new(); opts.codes.len()];
    // Per code: each coder's segments on the continuum.
    let mut continuum: Vec<Vec<Vec<Segment>>> = vec![vec![Vec::new(); m]; opts.codes.len()];
    // Each coder's codings of every code on the continuum, for cu-alpha.
    let mut all_codes: Vec<Vec<(Span, u32)>> = vec![Vec::new(); m];
    // Each distinct per-coder set of codes, with how many units (or code
    // points) show it.
    let mut sets: HashMap<Vec<Vec<u32>>, u64> = HashMap::new();
    let mut offset = 0usize;
    each_parsed(index, &documents, opts.unit, |t, units| {
        let doc = &t.id;
        let len = t.char_len();
        // spans[code][coder]
        let mut spans: Spans = vec![vec![Vec::new(); m]; opts.codes.len()];
        for (i, list) in per_doc[doc.as_str()].iter().enumerate() {
            for c in list {
                if let Some(&k) = code_index.get(c.code.as_str()) {
                    spans[k][i].push(clamp(c, len));
                }
                all_codes[i].push((shift(clamp(c, len), offset), code_value(&code_index, c)));
            }
        }
        for per_coder in &mut spans {
            for s in per_coder.iter_mut() {
                *s = merged(std::mem::take(s));
            }
        }
        for (k, per_coder) in spans.iter().enumerate() {
            for (i, s) in per_coder.iter().enumerate() {
                continuum[k][i].extend(s.iter().map(|s| Segment {
                    start: (s.start + offset) as u64,
                    end: (s.end + offset) as u64,
                    value: Some(0),
                }));
            }
        }
        for (piece, masks) in pieces(opts.unit, len, units, &spans, m) {
            // A unit counts once; a stretch of code points by its length.
            let weight = if opts.unit == Unit::Char {
                piece.len() as u64
            } else {
                1
            };
            if opts.coded_only && masks.iter().all(|&mask| mask == 0) {
                continue;
            }
            for (k, &mask) in masks.iter().enumerate() {
                *patterns[k].entry(mask).or_default() += weight;
            }
            // Each coder's set of codes here, for the sets summary.
            let values: Vec<Vec<u32>> = (0..m)
                .map(|i| {
                    (0..masks.len())
                        .filter(|&k| masks[k] >> i & 1 == 1)
                        .map(|k| k as u32)
                        .collect()
                })
                .collect();
            *sets.entry(values).or_default() += weight;
        }
        offset += len;
        Ok(())
    })?;
    let total = offset as u64;

    let mut codes = IndexMap::new();
    let mut pooled: BTreeMap<u64, u64> = BTreeMap::new();
    for (k, code) in opts.codes.iter().enumerate() {
        let p = std::mem::take(&mut patterns[k]);
        for (mask, n) in &p {
            *pooled.entry(*mask).or_default() += n;
        }
        let mut f = figures(
            &Binary {
                coders: m,
                patterns: p,
            },
            &coders,
        );
        let parts: Vec<Vec<Segment>> = continuum[k]
            .iter()
            .map(|s| unitizing::partition(s, total))
            .collect();
        let binary = if total == 0 {
            Err("there is no text to compare".to_string())
        } else {
            unitizing::binary_u_alpha(&parts, 0)
        };
        let mut undefined = std::mem::take(&mut f.undefined);
        f.alpha_binary = value(&binary, "alpha_binary", &mut undefined);
        f.undefined = undefined;
        codes.insert(code.clone(), f);
    }

    let mut overall = Overall {
        pooled: figures(
            &Binary {
                coders: m,
                patterns: pooled,
            },
            &coders,
        ),
        ..Overall::default()
    };
    for name in [
        "percent_agreement",
        "cohen_kappa",
        "fleiss_kappa",
        "krippendorff_alpha",
        "alpha_binary",
    ] {
        let values: Vec<f64> = codes
            .values()
            .filter_map(|f: &Figures| match name {
                "percent_agreement" => f.percent_agreement,
                "cohen_kappa" => f.cohen_kappa,
                "fleiss_kappa" => f.fleiss_kappa,
                "krippendorff_alpha" => f.krippendorff_alpha,
                _ => f.alpha_binary,
            })
            .collect();
        let mean = (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
        overall.mean.insert(name, mean);
    }
    let mut weighted: Vec<(&[Vec<u32>], u64)> =
        sets.iter().map(|(v, w)| (v.as_slice(), *w)).collect();
    // A deterministic order (the sums are exact either way).
    weighted.sort();
    match krippendorff_nominal_weighted(&weighted) {
        Ok(r) => overall.sets_alpha = Some(r.to_f64()),
        Err(e) => overall.sets_alpha_undefined = Some(e),
    }

    let (cu_alpha, cu_alpha_coverage, cu_alpha_undefined) = cu(&coders, &mut all_codes, total);
    Ok(Agreement {
        unit: opts.unit,
        coders,
        coded_only: opts.coded_only,
        documents,
        left_out,
        codes,
        cu_alpha,
        cu_alpha_coverage,
        cu_alpha_undefined,
        overall,
    })
}

/// The value of a coding's code on the cu-alpha continuum: its index among
/// the compared codes, or past them for codes not compared.
fn code_value(codes: &IndexMap<&str, usize>, c: &Coding) -> u32 {
    codes.get(c.code.as_str()).map_or(u32::MAX, |&k| k as u32)
}

pub(crate) fn clamp(c: &Coding, len: usize) -> Span {
    Span::new(c.start.min(len), c.end.min(len))
}

fn shift(s: Span, by: usize) -> Span {
    Span::new(s.start + by, s.end + by)
}

/// Returns the pieces of one document with, per code, the mask of coders
/// who coded them: each unit, or for `Char` each stretch of code points
/// covered by the same codings. `spans[k][i]`: coder i's merged spans of
/// code k.
pub(crate) fn pieces(
    unit: Unit,
    len: usize,
    units: &[Span],
    spans: &Spans,
    m: usize,
) -> Vec<(Span, Vec<u64>)> {
    match unit {
        Unit::Char => {
            // List index k·m + i is code k of coder i.
            let flat: Vec<Vec<Span>> = spans.iter().flatten().cloned().collect();
            elementary(len, &flat)
                .into_iter()
                .map(|(a, b, covering)| {
                    let mut masks = vec![0u64; spans.len()];
                    for idx in covering {
                        masks[idx / m] |= 1 << (idx % m);
                    }
                    (Span::new(a, b), masks)
                })
                .collect()
        }
        _ => {
            let per_code: Vec<Vec<u64>> = spans
                .iter()
                .map(|per_coder| unit_masks(units, per_coder))
                .collect();
            units
                .iter()
                .enumerate()
                .map(|(u, span)| (*span, per_code.iter().map(|masks| masks[u]).collect()))
                .collect()
        }
    }
}

/// cu-alpha over every code on the character continuum; undefined where a
/// coder applied two codes to overlapping text.
fn cu(
    coders: &[String],
    all: &mut [Vec<(Span, u32)>],
    total: u64,
) -> (Option<f64>, Option<f64>, Option<String>) {
    let mut parts = Vec::new();
    for (i, list) in all.iter_mut().enumerate() {
        list.sort();
        let mut valued: Vec<Segment> = Vec::new();
        for (s, v) in list.iter() {
            match valued.last_mut() {
                Some(last) if (s.start as u64) < last.end => {
                    if last.value != Some(*v) {
                        return (
                            None,
                            None,
                            Some(format!(
                                "coder {} applied two codes to overlapping text (at offset {} of the documents laid end to end), so units cannot be told apart",
                                coders[i], s.start
                            )),
                        );
                    }
                    last.end = last.end.max(s.end as u64);
                }
                _ => valued.push(Segment {
                    start: s.start as u64,
                    end: s.end as u64,
                    value: Some(*v),
                }),
            }
        }
        parts.push(unitizing::partition(&valued, total));
    }
    if total == 0 {
        return (None, None, Some("there is no text to compare".into()));
    }
    let (c, coverage) = unitizing::cu_alpha(&parts);
    let coverage = coverage.map(|r| r.to_f64());
    match c {
        Ok(r) => (Some(r.to_f64()), coverage, None),
        Err(e) => (None, coverage, Some(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elementary_pieces_carry_the_coders_covering_them() {
        let a = vec![Span::new(2, 5)];
        let b = vec![Span::new(4, 8)];
        assert_eq!(
            elementary(10, &[a.clone(), b.clone()]),
            vec![
                (0, 2, vec![]),
                (2, 4, vec![0]),
                (4, 5, vec![0, 1]),
                (5, 8, vec![1]),
                (8, 10, vec![])
            ]
        );
        let p = pieces(Unit::Char, 10, &[], &vec![vec![a, b]], 2);
        assert_eq!(
            p,
            vec![
                (Span::new(0, 2), vec![0]),
                (Span::new(2, 4), vec![1]),
                (Span::new(4, 5), vec![3]),
                (Span::new(5, 8), vec![2]),
                (Span::new(8, 10), vec![0])
            ]
        );
    }

    #[test]
    fn a_unit_is_coded_when_a_coding_overlaps_it_by_one_code_point() {
        let units = [Span::new(0, 10), Span::new(12, 20), Span::new(22, 30)];
        // Coder 0 touches the last code point of unit 0 and the first of unit 1.
        let masks = unit_masks(&units, &[vec![Span::new(9, 13)], vec![Span::new(25, 26)]]);
        assert_eq!(masks, vec![1, 1, 2]);
        assert_eq!(
            merged(vec![Span::new(5, 8), Span::new(1, 3), Span::new(2, 6)]),
            vec![Span::new(1, 8)]
        );
    }
}
