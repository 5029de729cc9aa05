//! Comparing coders: which documents are compared, per-code figures and
//! the overall figures.
//!
//! # Units
//! Coders are compared on units (turn, paragraph, sentence or char, see
//! [`super::units`]): a unit counts as coded with code X by coder A when
//! any of A's X codings overlaps it by at least one code point.
//!
//! # Overall
//! Three summaries, all reported: `pooled` treats every (unit, code) pair as
//! one binary decision and computes the coefficients over all of them;
//! `mean` is the mean of the per-code coefficients that are defined; `sets`
//! is Krippendorff's alpha with each unit's *set* of codes (per coder) as
//! one nominal value.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use serde::Serialize;

use super::coefficients::{Binary, Coefficient, krippendorff_nominal_weighted};
use super::unitizing::{self, Segment};
use super::units::{Spans, clamp, each_parsed, merged, pieces};
use crate::coding::{CoderFile, Coding};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::index::Index;
use crate::text::Span;
use crate::transcript::Transcript;

pub use super::units::Unit;

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
    /// Why it is left out: who did not code it, or did not finish it.
    pub reason: String,
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
    /// The documents every coder is done with (and that pass the filters),
    /// in id order: coded, or finished by those who mark documents finished.
    pub documents: Vec<String>,
    /// The other documents that pass the filters, each with why.
    pub left_out: Vec<LeftOut>,
}

/// Checks that `files` can be compared (two to 63 coders, no stale anchor)
/// and selects the documents every coder coded among those passing `filters`.
pub fn select(index: &Index, files: &[CoderFile], filters: &[Filter]) -> Result<Selection> {
    if files.len() < 2 {
        return Err(Error::TooFewCoders { task: "comparing" });
    }
    if files.len() > 63 {
        return Err(Error::TooManyCoders);
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
        return Err(Error::StaleCodings {
            count: stale.len(),
            first_id: first.id.clone(),
            first_coder: first.coder.clone(),
            first_doc: first.doc.clone(),
            first_reason: first.reason.clone(),
            fixable: stale
                .iter()
                .all(|s| s.reason.starts_with("its text changed")),
        });
    }
    let coders: Vec<String> = files.iter().map(|f| f.coder.clone()).collect();
    // The documents each coder is done with: those they finished, when
    // they mark them, else those they coded.
    let done: Vec<std::collections::BTreeSet<&str>> =
        files.iter().map(CoderFile::documents_done).collect();
    let mut documents = Vec::new();
    let mut left_out = Vec::new();
    for d in index.documents() {
        let doc = d.id.as_str();
        if !passes(doc) {
            continue;
        }
        let who: Vec<usize> = (0..files.len())
            .filter(|&i| done[i].contains(doc))
            .collect();
        if who.len() == files.len() {
            documents.push(doc.to_string());
        } else {
            let coded_by: Vec<String> = files
                .iter()
                .filter(|f| f.codings.iter().any(|c| c.doc == doc))
                .map(|f| f.coder.clone())
                .collect();
            let missing: Vec<&str> = (0..files.len())
                .filter(|i| !who.contains(i))
                .map(|i| coders[i].as_str())
                .collect();
            let reason = if missing.len() == files.len() && coded_by.is_empty() {
                "nobody coded it".to_string()
            } else {
                let marking: Vec<&str> = missing
                    .iter()
                    .copied()
                    .filter(|c| files.iter().any(|f| f.coder == *c && f.finished.is_some()))
                    .collect();
                let coding: Vec<&str> = missing
                    .iter()
                    .copied()
                    .filter(|c| !marking.contains(c))
                    .collect();
                let mut parts = Vec::new();
                if !coding.is_empty() {
                    parts.push(format!("not coded by {}", coding.join(", ")));
                }
                if !marking.is_empty() {
                    parts.push(format!("not finished by {}", marking.join(", ")));
                }
                parts.join("; ")
            };
            left_out.push(LeftOut {
                doc: doc.to_string(),
                coded_by,
                reason,
            });
        }
    }
    Ok(Selection {
        coders,
        documents,
        left_out,
    })
}

/// Returns, per document, each coder's codings of it (`[coder][…]`): an
/// entry for every one of `documents` (empty when a coder finished it
/// without coding anything), and for every document with codings.
pub fn by_document<'a>(
    files: &'a [CoderFile],
    documents: &'a [String],
) -> HashMap<&'a str, Vec<Vec<&'a Coding>>> {
    let mut out: HashMap<&str, Vec<Vec<&Coding>>> = documents
        .iter()
        .map(|d| (d.as_str(), vec![Vec::new(); files.len()]))
        .collect();
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
    let per_doc = by_document(files, &documents);
    let code_index: IndexMap<&str, usize> = opts
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut tally = Tally::new(files.len(), opts.codes.len());
    each_parsed(index, &documents, opts.unit, |t, units| {
        tally.document(t, units, &per_doc[t.id.as_str()], &code_index, opts);
        Ok(())
    })?;
    let total = tally.offset as u64;
    let (codes, pooled) = per_code(
        &coders,
        &opts.codes,
        tally.patterns,
        &tally.continuum,
        total,
    );
    let overall = overall(&coders, pooled, &codes, &tally.sets);
    let (cu_alpha, cu_alpha_coverage, cu_alpha_undefined) =
        cu(&coders, &mut tally.all_codes, total);
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

/// What one pass over the compared documents gathers, with the documents
/// laid end to end on one continuum of code points.
struct Tally {
    /// The number of coders.
    m: usize,
    /// Per code: how many units (or code points) show each mask of coders.
    patterns: Vec<BTreeMap<u64, u64>>,
    /// Per code: each coder's segments on the continuum.
    continuum: Vec<Vec<Vec<Segment>>>,
    /// Each coder's codings of every code on the continuum, for cu-alpha.
    all_codes: Vec<Vec<(Span, u32)>>,
    /// Each distinct per-coder set of codes, with how many units (or code
    /// points) show it.
    sets: HashMap<Vec<Vec<u32>>, u64>,
    /// Where the next document starts on the continuum.
    offset: usize,
}

impl Tally {
    /// An empty tally for `m` coders and `codes` compared codes.
    fn new(m: usize, codes: usize) -> Tally {
        Tally {
            m,
            patterns: vec![BTreeMap::new(); codes],
            continuum: vec![vec![Vec::new(); m]; codes],
            all_codes: vec![Vec::new(); m],
            sets: HashMap::new(),
            offset: 0,
        }
    }

    /// Adds one document, `lists[i]` being coder i's codings of it.
    fn document(
        &mut self,
        t: &Transcript,
        units: &[Span],
        lists: &[Vec<&Coding>],
        code_index: &IndexMap<&str, usize>,
        opts: &Options,
    ) {
        let len = t.char_len();
        let spans = self.spans(lists, code_index, len);
        self.lay_on_continuum(&spans);
        self.count_pieces(opts, len, units, &spans);
        self.offset += len;
    }

    /// Returns each coder's merged spans of each compared code in one
    /// document (`spans[code][coder]`), and lays every coding of the coders
    /// on the continuum for cu-alpha.
    fn spans(
        &mut self,
        lists: &[Vec<&Coding>],
        code_index: &IndexMap<&str, usize>,
        len: usize,
    ) -> Spans {
        let mut spans: Spans = vec![vec![Vec::new(); self.m]; self.patterns.len()];
        for (i, list) in lists.iter().enumerate() {
            for c in list {
                if let Some(&k) = code_index.get(c.code.as_str()) {
                    spans[k][i].push(clamp(c, len));
                }
                self.all_codes[i]
                    .push((shift(clamp(c, len), self.offset), code_value(code_index, c)));
            }
        }
        for per_coder in &mut spans {
            for s in per_coder.iter_mut() {
                *s = merged(std::mem::take(s));
            }
        }
        spans
    }

    /// Adds each coder's spans of each code to the continuum.
    fn lay_on_continuum(&mut self, spans: &Spans) {
        let offset = self.offset;
        for (k, per_coder) in spans.iter().enumerate() {
            for (i, s) in per_coder.iter().enumerate() {
                self.continuum[k][i].extend(s.iter().map(|s| Segment {
                    start: (s.start + offset) as u64,
                    end: (s.end + offset) as u64,
                    value: Some(0),
                }));
            }
        }
    }

    /// Counts each piece of one document (unit, or stretch of code points)
    /// by its pattern of coders per code, and by each coder's set of codes.
    fn count_pieces(&mut self, opts: &Options, len: usize, units: &[Span], spans: &Spans) {
        let m = self.m;
        for (piece, masks) in pieces(opts.unit, len, units, spans, m) {
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
                *self.patterns[k].entry(mask).or_default() += weight;
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
            *self.sets.entry(values).or_default() += weight;
        }
    }
}

/// Returns each code's figures, with its binary u-alpha on the continuum
/// of `total` code points, and the patterns of every code pooled.
fn per_code(
    coders: &[String],
    codes: &[String],
    patterns: Vec<BTreeMap<u64, u64>>,
    continuum: &[Vec<Vec<Segment>>],
    total: u64,
) -> (IndexMap<String, Figures>, BTreeMap<u64, u64>) {
    let m = coders.len();
    let mut out = IndexMap::new();
    let mut pooled: BTreeMap<u64, u64> = BTreeMap::new();
    for ((code, p), segments) in codes.iter().zip(patterns).zip(continuum) {
        for (mask, n) in &p {
            *pooled.entry(*mask).or_default() += n;
        }
        let mut f = figures(
            &Binary {
                coders: m,
                patterns: p,
            },
            coders,
        );
        let parts: Vec<Vec<Segment>> = segments
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
        out.insert(code.clone(), f);
    }
    (out, pooled)
}

/// Returns the overall figures: every code pooled, the means of the
/// per-code coefficients, and alpha over each unit's set of codes.
fn overall(
    coders: &[String],
    pooled: BTreeMap<u64, u64>,
    codes: &IndexMap<String, Figures>,
    sets: &HashMap<Vec<Vec<u32>>, u64>,
) -> Overall {
    let mut overall = Overall {
        pooled: figures(
            &Binary {
                coders: coders.len(),
                patterns: pooled,
            },
            coders,
        ),
        mean: means(codes),
        ..Overall::default()
    };
    let mut weighted: Vec<(&[Vec<u32>], u64)> =
        sets.iter().map(|(v, w)| (v.as_slice(), *w)).collect();
    // A deterministic order (the sums are exact either way).
    weighted.sort();
    match krippendorff_nominal_weighted(&weighted) {
        Ok(r) => overall.sets_alpha = Some(r.to_f64()),
        Err(e) => overall.sets_alpha_undefined = Some(e),
    }
    overall
}

/// Returns the mean of each coefficient over the codes for which it is
/// defined (none when it is defined for none).
fn means(codes: &IndexMap<String, Figures>) -> BTreeMap<&'static str, Option<f64>> {
    let mut out = BTreeMap::new();
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
        out.insert(name, mean);
    }
    out
}

/// Returns `s` moved `by` code points on.
fn shift(s: Span, by: usize) -> Span {
    Span::new(s.start + by, s.end + by)
}

/// The value of a coding's code on the cu-alpha continuum: its index among
/// the compared codes, or past them for codes not compared.
fn code_value(codes: &IndexMap<&str, usize>, c: &Coding) -> u32 {
    codes.get(c.code.as_str()).map_or(u32::MAX, |&k| k as u32)
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
