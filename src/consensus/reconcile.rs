//! `reconcile`: carrying agreed passages over and opening decisions.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde::Serialize;

use super::commit::{apply, commit, recover};
use super::passage::{Passage, consensus_codings, key, passages};
use super::trail::{Decision, Event, Status, Trail, Version, owned};
use crate::agreement::compare::{LeftOut, by_document, select};
use crate::agreement::units::{Unit, clamp, each_parsed};
use crate::coding::{CoderFile, Coding, check_coder, store};
use crate::error::{Error, Result};
use crate::index::Index;
use crate::project::Project;
use crate::text::Span;
use crate::transcript::Transcript;

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
    /// True when an earlier run was stopped between writing the trail and
    /// the consensus coder's file, and this one completed it (or, dry,
    /// would).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
    /// True when nothing was written.
    pub dry_run: bool,
}

/// Returns the coders of consensus `name` in the order its trail fixed, or
/// `given` for a new consensus. `given` may be empty (then the trail's are
/// used) or the same coders in any order.
pub fn coders_for(project: &Project, name: &str, given: &[String]) -> Result<Vec<String>> {
    let trail = Trail::load(project, name)?;
    match trail.setup() {
        None if given.is_empty() => Err(Error::ConsensusNeedsCoders {
            name: name.to_string(),
        }),
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
                Err(Error::ConsensusOfOthers {
                    name: name.to_string(),
                    before: before.to_vec(),
                    given: given.to_vec(),
                })
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
    let coders = check_names(files, name)?;
    let _lock = store::lock(project, &format!("consensus-{name}"))?;
    let mut trail = Trail::load(project, name)?;
    // A run killed half-way is completed first (in a dry run, only in
    // memory).
    let recovered = if dry_run {
        trail.pending().is_some()
    } else {
        recover(project, name, &mut trail, at)?
    };
    let mut consensus_file = store::load(project, name)?;
    if let (true, Some((add, remove))) = (dry_run, trail.pending()) {
        apply(&mut consensus_file, add, remove);
    }
    let unit = fixed_unit(&trail, &consensus_file, &coders, name, unit)?;
    let sel = select(index, files, &[])?;
    let per_doc = by_document(files, &sel.documents);
    let decisions = trail.decisions();
    let missing = missing(&trail, &consensus_file);
    let mut pass = Pass::new(name, &coders, unit, at, &trail, &decisions);
    each_parsed(index, &sel.documents, unit, |t, units| {
        pass.document(index, t, units, &per_doc[t.id.as_str()]);
        Ok(())
    })?;
    let Pass {
        left_aside,
        current,
        mut events,
        carry,
        opened,
        ..
    } = pass;
    let review = review(&decisions, &current, at, &mut events);
    let carried = carry.len();
    let mut codings_added = 0;
    if !dry_run {
        events.push(Event::Reconcile {
            at: at.to_string(),
            coders: coders.clone(),
            unit,
            documents: sel.documents.len(),
            carried,
            opened: opened.len(),
            withdrawn: review.withdrawn.len(),
        });
        codings_added = write(project, name, &mut trail, carry, events, at)?;
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
        withdrawn: review.withdrawn,
        kept: review.kept,
        outdated: review.outdated,
        still_open: review.still_open,
        left_aside,
        missing,
        recovered,
        dry_run,
    })
}

/// Checks the consensus coder's name, and that it is not one of the coders
/// reconciled; returns theirs, in order.
fn check_names(files: &[CoderFile], name: &str) -> Result<Vec<String>> {
    check_coder(name)?;
    let coders: Vec<String> = files.iter().map(|f| f.coder.clone()).collect();
    if coders.iter().any(|c| c == name) {
        return Err(Error::ConsensusIsACoder {
            name: name.to_string(),
        });
    }
    Ok(coders)
}

/// Returns the unit passages are formed on: the trail's, which must be
/// `unit` if given and whose coders must be `coders`; for a new consensus,
/// `unit` (default `turn`), provided the consensus coder has no codings of
/// their own.
fn fixed_unit(
    trail: &Trail,
    consensus_file: &CoderFile,
    coders: &[String],
    name: &str,
    unit: Option<Unit>,
) -> Result<Unit> {
    match (trail.setup(), unit) {
        (Some((before, was)), unit) => {
            if before != coders {
                return Err(Error::ConsensusOfOthers {
                    name: name.to_string(),
                    before: before.to_vec(),
                    given: coders.to_vec(),
                });
            }
            if unit.is_some_and(|u| u != was) {
                return Err(Error::ConsensusUnit {
                    name: name.to_string(),
                    was: was.name().to_string(),
                });
            }
            Ok(was)
        }
        (None, unit) => {
            if !consensus_file.codings.is_empty() {
                return Err(Error::ConsensusHasCodings {
                    name: name.to_string(),
                    file: consensus_file.path.clone(),
                });
            }
            Ok(unit.unwrap_or(Unit::Turn))
        }
    }
}

/// Returns how many consensus codings the trail added that are no longer
/// in the consensus coder's file.
fn missing(trail: &Trail, consensus_file: &CoderFile) -> usize {
    let present: HashSet<&str> = consensus_file
        .codings
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    owned(trail)
        .keys()
        .filter(|id| !present.contains(*id))
        .count()
}

/// An agreed passage to carry over: its key, document, code and the
/// consensus codings made from it.
struct Carry {
    key: String,
    doc: String,
    code: String,
    codings: Vec<Coding>,
}

/// One pass over the documents every coder coded: their codings grouped
/// into passages, agreed ones to carry over, decisions opened for the rest.
struct Pass<'a> {
    /// The consensus coder.
    name: &'a str,
    /// The coders reconciled.
    coders: &'a [String],
    /// The unit passages are formed on.
    unit: Unit,
    /// When.
    at: &'a str,
    /// Keys of the agreed passages carried over before.
    agreed_before: HashSet<&'a str>,
    /// Keys of the passages with a decision (a withdrawn decision does not
    /// block its passage: it may come back).
    known: HashSet<&'a str>,
    /// The number of the next decision.
    next: u32,
    /// Codings that touch no unit.
    left_aside: usize,
    /// Keys of the passages the coders disagree on now.
    current: HashSet<String>,
    /// The decisions opened.
    events: Vec<Event>,
    /// Agreed passages to carry over.
    carry: Vec<Carry>,
    /// The ids of the decisions opened.
    opened: Vec<String>,
}

impl<'a> Pass<'a> {
    /// A pass knowing what the trail and its `decisions` already hold.
    fn new(
        name: &'a str,
        coders: &'a [String],
        unit: Unit,
        at: &'a str,
        trail: &'a Trail,
        decisions: &'a [Decision],
    ) -> Pass<'a> {
        let agreed_before = trail
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Agreed { key, .. } => Some(key.as_str()),
                _ => None,
            })
            .collect();
        let known = decisions
            .iter()
            .filter(|d| !matches!(d.status, Status::Withdrawn { .. }))
            .map(|d| d.key.as_str())
            .collect();
        Pass {
            name,
            coders,
            unit,
            at,
            agreed_before,
            known,
            next: decisions.last().map_or(1, |d| d.number + 1),
            left_aside: 0,
            current: HashSet::new(),
            events: Vec::new(),
            carry: Vec::new(),
            opened: Vec::new(),
        }
    }

    /// Groups one document's codings (`lists[i]`: coder i's), code by code,
    /// into passages, and carries or opens each.
    fn document(&mut self, index: &Index, t: &Transcript, units: &[Span], lists: &[Vec<&Coding>]) {
        let doc = &t.id;
        let len = t.char_len();
        let rev = index.revision(doc);
        let mut codes: Vec<&str> = lists.iter().flatten().map(|c| c.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        for code in codes {
            let per_coder: Vec<Vec<&Coding>> = lists
                .iter()
                .map(|l| l.iter().copied().filter(|c| c.code == code).collect())
                .collect();
            let (found, untouched) = passages(len, self.unit, units, &per_coder);
            self.left_aside += untouched;
            for p in found {
                let k = key(doc, code, self.unit, self.coders, &p.versions);
                if p.agreed {
                    if !self.agreed_before.contains(k.as_str()) {
                        self.carry_over(k, t, code, &p, rev);
                    }
                    continue;
                }
                self.current.insert(k.clone());
                if !self.known.contains(k.as_str()) {
                    self.open(k, doc, code, &p);
                }
            }
        }
    }

    /// Carries agreed passage `p` over: the union of the coders' spans.
    fn carry_over(
        &mut self,
        k: String,
        t: &Transcript,
        code: &str,
        p: &Passage,
        rev: Option<&str>,
    ) {
        let len = t.char_len();
        let parts: Vec<(String, Span, Option<String>)> = p
            .versions
            .iter()
            .zip(self.coders)
            .flat_map(|(list, coder)| {
                list.iter()
                    .map(|c| (coder.clone(), clamp(c, len), c.memo.clone()))
            })
            .collect();
        let codings = consensus_codings(self.name, t, code, &parts, self.at, rev);
        self.carry.push(Carry {
            key: k,
            doc: t.id.clone(),
            code: code.to_string(),
            codings,
        });
    }

    /// Opens a decision on passage `p`, with each coder's version of it.
    fn open(&mut self, k: String, doc: &str, code: &str, p: &Passage) {
        let versions: IndexMap<String, Vec<Version>> = self
            .coders
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
        self.opened.push(format!("D{}", self.next));
        self.events.push(Event::Open {
            decision: self.next,
            key: k,
            doc: doc.to_string(),
            code: code.to_string(),
            versions,
            at: self.at.to_string(),
        });
        self.next += 1;
    }
}

/// Where the decisions made before this run stand.
struct Review {
    /// Open decisions withdrawn, by id.
    withdrawn: Vec<String>,
    /// Decisions made whose passage has since changed, by id.
    outdated: Vec<String>,
    /// Decisions made and kept.
    kept: usize,
    /// Decisions still open.
    still_open: usize,
}

/// Withdraws each open decision whose passage no longer exists (adding a
/// withdraw event to `events`), and counts the others.
fn review(
    decisions: &[Decision],
    current: &HashSet<String>,
    at: &str,
    events: &mut Vec<Event>,
) -> Review {
    let mut out = Review {
        withdrawn: Vec::new(),
        outdated: Vec::new(),
        kept: 0,
        still_open: 0,
    };
    for d in decisions {
        match d.status {
            Status::Open if !current.contains(&d.key) => {
                out.withdrawn.push(d.id.clone());
                events.push(Event::Withdraw {
                    decision: d.number,
                    reason: "the coders' codings of this passage changed (or its document is no longer coded by every coder)".into(),
                    at: at.to_string(),
                });
            }
            Status::Open => out.still_open += 1,
            Status::Decided { .. } => {
                out.kept += 1;
                if !current.contains(&d.key) {
                    out.outdated.push(d.id.clone());
                }
            }
            Status::Withdrawn { .. } => {}
        }
    }
    out
}

/// Adds the carried passages' codings to the consensus coder's file (which
/// is written when it gains codings or does not exist yet) and appends to
/// the trail an agreed event per carried passage and `events`,
/// recoverably ([`commit`]). Returns how many consensus codings were added.
fn write(
    project: &Project,
    name: &str,
    trail: &mut Trail,
    carry: Vec<Carry>,
    events: Vec<Event>,
    at: &str,
) -> Result<usize> {
    commit(project, name, trail, at, |file| {
        let mut codings_added = 0;
        let mut all = Vec::with_capacity(carry.len() + events.len());
        for Carry {
            key,
            doc,
            code,
            codings,
        } in carry
        {
            let (added, _) = file.add_all(codings);
            codings_added += added.len();
            all.push(Event::Agreed {
                key,
                doc,
                code,
                added: added.into_iter().map(|c| c.id).collect(),
                at: at.to_string(),
            });
        }
        all.extend(events);
        Ok((codings_added, all))
    })
}
