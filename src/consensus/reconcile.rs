//! `reconcile`: carrying agreed passages over and opening decisions.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde::Serialize;

use super::passage::{consensus_codings, key, passages};
use super::trail::{Event, Status, Trail, Version, owned};
use crate::agreement::compare::{LeftOut, by_document, select};
use crate::agreement::units::{Unit, clamp, each_parsed};
use crate::coding::{CoderFile, Coding, check_coder, store};
use crate::error::{Error, Result};
use crate::index::Index;
use crate::project::Project;
use crate::text::Span;

/// What a run of `reconcile` did (or, dry, would do).
#[derive(Debug, Clone, Serialize)]
pub struct Reconciled {
    /// The consensus coder.
    pub into: String,
    /// The coders reconciled.
    pub coders: Vec<String>,
    /// The unit passages were formed on.
    pub unit: Unit,
    /// The documents every coder coded.
    pub documents: Vec<String>,
    /// Documents some but not all coders coded (not reconciled).
    pub left_out: Vec<LeftOut>,
    /// Agreed passages newly carried over.
    pub carried: usize,
    /// Consensus codings added for them.
    pub codings_added: usize,
    /// Decisions opened, by id.
    pub opened: Vec<String>,
    /// Open decisions withdrawn, by id.
    pub withdrawn: Vec<String>,
    /// Decisions already made and kept.
    pub kept: usize,
    /// Decisions made whose passage the coders have since changed (kept,
    /// but worth a second look), by id.
    pub outdated: Vec<String>,
    /// Decisions still open from earlier runs.
    pub still_open: usize,
    /// Codings that touch no unit (a speaker label alone, by sentence),
    /// left out as `agree` leaves them out.
    pub left_aside: usize,
    /// Consensus codings the trail says it added that are no longer in the
    /// consensus coder's file (removed by hand, or the file was reverted).
    pub missing: usize,
    /// True when nothing was written.
    pub dry_run: bool,
}

/// Returns the coders of consensus `name` in the order its trail fixed, or
/// `given` for a new consensus. `given` may be empty (then the trail's are
/// used) or the same coders in any order.
pub fn coders_for(project: &Project, name: &str, given: &[String]) -> Result<Vec<String>> {
    let trail = Trail::load(project, name)?;
    match trail.setup() {
        None if given.is_empty() => Err(Error::Invalid(format!(
            "consensus '{name}' does not exist yet: name the coders to reconcile with --coders A,B"
        ))),
        None => Ok(given.to_vec()),
        Some((before, _)) => {
            let mut a: Vec<&String> = before.iter().collect();
            let mut b: Vec<&String> = given.iter().collect();
            a.sort();
            b.sort();
            b.dedup();
            if given.is_empty() || a == b {
                Ok(before.to_vec())
            } else {
                Err(Error::Invalid(format!(
                    "consensus '{name}' reconciles {}, not {}; leave out --coders to reconcile them again, or use another --into name for these coders",
                    before.join(","),
                    given.join(",")
                )))
            }
        }
    }
}

/// Reconciles `files` into the consensus coder `name`: carries over agreed
/// passages and opens a decision for each passage the coders disagree on
/// (see the module docs). `unit` defaults to the trail's (else `turn`).
pub fn reconcile(
    index: &Index,
    files: &[CoderFile],
    name: &str,
    unit: Option<Unit>,
    at: &str,
    dry_run: bool,
) -> Result<Reconciled> {
    let project = index.project();
    check_coder(name)?;
    let coders: Vec<String> = files.iter().map(|f| f.coder.clone()).collect();
    if coders.iter().any(|c| c == name) {
        return Err(Error::Invalid(format!(
            "the consensus coder must not be one of the coders reconciled: choose another --into than '{name}'"
        )));
    }
    let _lock = store::lock(project, &format!("consensus-{name}"))?;
    let mut trail = Trail::load(project, name)?;
    let consensus_file = store::load(project, name)?;
    let unit = match (trail.setup(), unit) {
        (Some((before, was)), unit) => {
            if before != coders.as_slice() {
                return Err(Error::Invalid(format!(
                    "consensus '{name}' reconciles {}, not {}; leave out --coders to reconcile them again, or use another --into name for these coders",
                    before.join(","),
                    coders.join(",")
                )));
            }
            if unit.is_some_and(|u| u != was) {
                return Err(Error::Invalid(format!(
                    "consensus '{name}' was reconciled by {}; passages must keep their unit (leave out --unit, or use another --into name)",
                    was.name()
                )));
            }
            was
        }
        (None, unit) => {
            if !consensus_file.codings.is_empty() {
                return Err(Error::Invalid(format!(
                    "coder '{name}' already has codings of their own ({}); choose another --into name for the consensus",
                    consensus_file.path.display()
                )));
            }
            unit.unwrap_or(Unit::Turn)
        }
    };
    let sel = select(index, files, &[])?;
    let per_doc = by_document(files);
    let agreed_before: HashSet<&str> = trail
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Agreed { key, .. } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    let decisions = trail.decisions();
    // A withdrawn decision does not block its passage: it may come back.
    let known: HashSet<&str> = decisions
        .iter()
        .filter(|d| !matches!(d.status, Status::Withdrawn { .. }))
        .map(|d| d.key.as_str())
        .collect();
    let present: HashSet<&str> = consensus_file
        .codings
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let missing = owned(&trail)
        .keys()
        .filter(|id| !present.contains(*id))
        .count();
    let mut left_aside = 0;
    let mut next = decisions.last().map_or(1, |d| d.number + 1);
    let mut current: HashSet<String> = HashSet::new();
    let mut events = Vec::new();
    // Agreed passages to carry: (key, doc, code, codings).
    let mut carry: Vec<(String, String, String, Vec<Coding>)> = Vec::new();
    let mut opened = Vec::new();
    each_parsed(index, &sel.documents, unit, |t, units| {
        let doc = &t.id;
        let len = t.char_len();
        let rev = index.revision(doc);
        let lists = &per_doc[doc.as_str()];
        let mut codes: Vec<&str> = lists.iter().flatten().map(|c| c.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        for code in codes {
            let per_coder: Vec<Vec<&Coding>> = lists
                .iter()
                .map(|l| l.iter().copied().filter(|c| c.code == code).collect())
                .collect();
            let (found, untouched) = passages(len, unit, units, &per_coder);
            left_aside += untouched;
            for p in found {
                let k = key(doc, code, unit, &coders, &p.versions);
                if p.agreed {
                    if !agreed_before.contains(k.as_str()) {
                        let parts: Vec<(String, Span, Option<String>)> = p
                            .versions
                            .iter()
                            .zip(&coders)
                            .flat_map(|(list, coder)| {
                                list.iter()
                                    .map(|c| (coder.clone(), clamp(c, len), c.memo.clone()))
                            })
                            .collect();
                        let codings = consensus_codings(name, t, code, &parts, at, rev);
                        carry.push((k, doc.clone(), code.to_string(), codings));
                    }
                    continue;
                }
                current.insert(k.clone());
                if known.contains(k.as_str()) {
                    continue;
                }
                let versions: IndexMap<String, Vec<Version>> = coders
                    .iter()
                    .zip(&p.versions)
                    .map(|(coder, list)| {
                        let v = list
                            .iter()
                            .map(|c| Version {
                                id: c.id.clone(),
                                start: c.start,
                                end: c.end,
                                quote: c.quote.clone(),
                                memo: c.memo.clone(),
                            })
                            .collect();
                        (coder.clone(), v)
                    })
                    .collect();
                opened.push(format!("D{next}"));
                events.push(Event::Open {
                    decision: next,
                    key: k,
                    doc: doc.clone(),
                    code: code.to_string(),
                    versions,
                    at: at.to_string(),
                });
                next += 1;
            }
        }
        Ok(())
    })?;
    let (mut withdrawn, mut outdated) = (Vec::new(), Vec::new());
    let (mut kept, mut still_open) = (0, 0);
    for d in &decisions {
        match d.status {
            Status::Open if !current.contains(&d.key) => {
                withdrawn.push(d.id.clone());
                events.push(Event::Withdraw {
                    decision: d.number,
                    reason: "the coders' codings of this passage changed (or its document is no longer coded by every coder)".into(),
                    at: at.to_string(),
                });
            }
            Status::Open => still_open += 1,
            Status::Decided { .. } => {
                kept += 1;
                if !current.contains(&d.key) {
                    outdated.push(d.id.clone());
                }
            }
            Status::Withdrawn { .. } => {}
        }
    }
    let carried = carry.len();
    let mut codings_added = 0;
    if !dry_run {
        let exists = project
            .codings_dir()
            .join(format!("{name}.jsonl"))
            .is_file();
        let (agreed_events, _) = store::update(project, name, |file| {
            let mut out = Vec::new();
            for (k, doc, code, codings) in carry {
                let (added, _) = file.add_all(codings);
                codings_added += added.len();
                out.push(Event::Agreed {
                    key: k,
                    doc,
                    code,
                    added: added.into_iter().map(|c| c.id).collect(),
                    at: at.to_string(),
                });
            }
            Ok((out, codings_added > 0 || !exists))
        })?;
        let mut all = agreed_events;
        all.extend(events);
        all.push(Event::Reconcile {
            at: at.to_string(),
            coders: coders.clone(),
            unit,
            documents: sel.documents.len(),
            carried,
            opened: opened.len(),
            withdrawn: withdrawn.len(),
        });
        trail.append(project, all)?;
    }
    Ok(Reconciled {
        into: name.to_string(),
        coders,
        unit,
        documents: sel.documents,
        left_out: sel.left_out,
        carried,
        codings_added,
        opened,
        withdrawn,
        kept,
        outdated,
        still_open,
        left_aside,
        missing,
        dry_run,
    })
}
