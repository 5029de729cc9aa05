//! Consensus coding: two or more coders reconciled into a consensus coder,
//! with an audit trail of every decision.
//!
//! `reconcile` groups, per document and code, the coders' codings into
//! *passages*: codings that touch a common unit (for the `char` unit, that
//! overlap) belong to one passage. Where every coder coded the passage and
//! covered the same units, the coders agree and the union of their spans is
//! carried over to the consensus coder. Otherwise the passage becomes an
//! open *decision*; `decide` keeps some coders' version of it (the union of
//! their spans) or none. The coders' own files are never changed.
//!
//! The audit trail is `consensus/<name>.jsonl`, one [`Event`] per line,
//! only ever appended to: what was carried over, each decision opened, made
//! (by whom, why, what it added and removed) or withdrawn. The current state
//! is derived by replaying it. A passage is known by a key (a hash of the
//! document, code, unit and every coder's coding ids and quotes in it, so
//! an edit elsewhere that only moves codings keeps it), so reconciling again after
//! a coder changed their work opens decisions only for passages that are
//! new, keeps decisions already made, and withdraws open decisions whose
//! passage no longer exists.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::agreement::compare::{LeftOut, Unit, by_document, clamp, each_parsed, merged, select};
use crate::coding::{CoderFile, Coding, check_coder, store};
use crate::error::{Error, Result, Warning};
use crate::files::write_atomic;
use crate::index::Index;
use crate::project::Project;
use crate::text::Span;
use crate::transcript::Transcript;

/// One coder's coding in a passage, as it was when the decision was opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// The coding's id in the coder's file.
    pub id: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The coded text.
    pub quote: String,
    /// The coder's memo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A run of `realist reconcile`.
    Reconcile {
        /// When.
        at: String,
        /// The coders reconciled, in order.
        coders: Vec<String>,
        /// The unit passages were formed on.
        unit: Unit,
        /// The documents every coder had coded.
        documents: usize,
        /// Agreed passages carried over in this run.
        carried: usize,
        /// Decisions opened in this run.
        opened: usize,
        /// Open decisions withdrawn in this run.
        withdrawn: usize,
    },
    /// An agreed passage carried over to the consensus coder.
    Agreed {
        /// The passage's key.
        key: String,
        /// The document.
        doc: String,
        /// The code.
        code: String,
        /// The consensus codings added (empty when the consensus already covered it).
        added: Vec<String>,
        /// When.
        at: String,
    },
    /// A passage the coders disagree on, awaiting a decision.
    Open {
        /// The decision's number (`D<n>`).
        decision: u32,
        /// The passage's key.
        key: String,
        /// The document.
        doc: String,
        /// The code.
        code: String,
        /// Each coder's codings in the passage (none for a coder who did not code it).
        versions: IndexMap<String, Vec<Version>>,
        /// When.
        at: String,
    },
    /// A decision made (or made again).
    Decide {
        /// The decision's number.
        decision: u32,
        /// The coders whose version is kept (none: the code is not applied).
        keep: Vec<String>,
        /// Who decided.
        by: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Consensus codings added.
        added: Vec<String>,
        /// Consensus codings removed (those an earlier decision on it added).
        removed: Vec<String>,
        /// When.
        at: String,
    },
    /// An open decision whose passage no longer exists.
    Withdraw {
        /// The decision's number.
        decision: u32,
        /// Why.
        reason: String,
        /// When.
        at: String,
    },
}

/// Where a decision stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Awaiting a decision.
    Open,
    /// Decided.
    Decided {
        /// The coders whose version was kept.
        keep: Vec<String>,
        /// Who decided.
        by: String,
        /// Why.
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// When.
        at: String,
        /// How many earlier decisions on it this one replaced.
        replaced: usize,
    },
    /// Withdrawn: the coders changed their codings of the passage.
    Withdrawn {
        /// Why.
        reason: String,
        /// When.
        at: String,
    },
}

/// A decision as the audit trail now has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// `D<n>`.
    pub id: String,
    /// The number.
    #[serde(skip)]
    pub number: u32,
    /// The passage's key.
    #[serde(skip)]
    pub key: String,
    /// The document.
    pub doc: String,
    /// The code.
    pub code: String,
    /// First code point of the passage.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// Each coder's codings in the passage.
    pub versions: IndexMap<String, Vec<Version>>,
    /// When it was opened.
    pub opened: String,
    /// Where it stands.
    #[serde(flatten)]
    pub status: Status,
    /// The consensus codings the last decision added.
    #[serde(skip)]
    pub added: Vec<String>,
}

/// The audit trail of one consensus coder.
#[derive(Debug, Clone, Default)]
pub struct Trail {
    /// The consensus coder's name.
    pub name: String,
    /// The file, relative to the project root.
    pub path: PathBuf,
    /// The events, in file order.
    pub events: Vec<Event>,
}

/// Returns the folder of audit trails (`consensus/`).
fn dir(project: &Project) -> PathBuf {
    project.root.join("consensus")
}

/// Returns the names of the project's consensus coders, sorted.
pub fn names(project: &Project) -> Result<Vec<String>> {
    store::jsonl_names(&dir(project))
}

impl Trail {
    /// Reads the audit trail of consensus coder `name` (empty when it does not exist yet).
    pub fn load(project: &Project, name: &str) -> Result<Trail> {
        check_coder(name)?;
        let path = Path::new("consensus").join(format!("{name}.jsonl"));
        let full = project.root.join(&path);
        match std::fs::read_to_string(&full) {
            Ok(text) => Trail::parse(name, &path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Trail {
                name: name.to_string(),
                path,
                events: Vec::new(),
            }),
            Err(e) => Err(Error::io(full, e)),
        }
    }

    /// Parses an audit trail, reporting every malformed line.
    pub fn parse(name: &str, path: &Path, text: &str) -> Result<Trail> {
        let mut events = Vec::new();
        let mut problems = Vec::new();
        let mut opened: HashSet<u32> = HashSet::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut problem = |message: String| {
                problems.push(Warning {
                    path: path.to_path_buf(),
                    line: Some(i + 1),
                    message,
                })
            };
            match serde_json::from_str::<Event>(line) {
                Err(e) => problem(store::json_problem(&e)),
                Ok(e) => {
                    match &e {
                        Event::Open { decision, .. } if !opened.insert(*decision) => {
                            problem(format!("decision D{decision} is opened twice"));
                            continue;
                        }
                        Event::Decide { decision, .. } | Event::Withdraw { decision, .. }
                            if !opened.contains(decision) =>
                        {
                            problem(format!("decision D{decision} is used before it is opened"));
                            continue;
                        }
                        _ => {}
                    }
                    events.push(e);
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Lines {
                path: path.to_path_buf(),
                problems,
                hint: "the audit trail is only ever appended to: restore it from version control"
                    .into(),
            });
        }
        Ok(Trail {
            name: name.to_string(),
            path: path.to_path_buf(),
            events,
        })
    }

    /// Returns the coders and unit of the first reconcile, if any.
    pub fn setup(&self) -> Option<(&[String], Unit)> {
        self.events.iter().find_map(|e| match e {
            Event::Reconcile { coders, unit, .. } => Some((coders.as_slice(), *unit)),
            _ => None,
        })
    }

    /// Returns the decisions, by number, as replaying the trail gives them.
    pub fn decisions(&self) -> Vec<Decision> {
        let mut out: BTreeMap<u32, Decision> = BTreeMap::new();
        for e in &self.events {
            match e {
                Event::Open {
                    decision,
                    key,
                    doc,
                    code,
                    versions,
                    at,
                } => {
                    let spans = versions.values().flatten();
                    let start = spans.clone().map(|v| v.start).min().unwrap_or(0);
                    let end = spans.map(|v| v.end).max().unwrap_or(0);
                    out.insert(
                        *decision,
                        Decision {
                            id: format!("D{decision}"),
                            number: *decision,
                            key: key.clone(),
                            doc: doc.clone(),
                            code: code.clone(),
                            start,
                            end,
                            versions: versions.clone(),
                            opened: at.clone(),
                            status: Status::Open,
                            added: Vec::new(),
                        },
                    );
                }
                Event::Decide {
                    decision,
                    keep,
                    by,
                    note,
                    added,
                    at,
                    ..
                } => {
                    if let Some(d) = out.get_mut(decision) {
                        let replaced = match &d.status {
                            Status::Decided { replaced, .. } => replaced + 1,
                            _ => 0,
                        };
                        d.status = Status::Decided {
                            keep: keep.clone(),
                            by: by.clone(),
                            note: note.clone(),
                            at: at.clone(),
                            replaced,
                        };
                        d.added = added.clone();
                    }
                }
                Event::Withdraw {
                    decision,
                    reason,
                    at,
                } => {
                    if let Some(d) = out.get_mut(decision) {
                        d.status = Status::Withdrawn {
                            reason: reason.clone(),
                            at: at.clone(),
                        };
                    }
                }
                Event::Reconcile { .. } | Event::Agreed { .. } => {}
            }
        }
        out.into_values().collect()
    }

    /// Returns the decision `id` (`D3`, `d3` or `3`), or an error naming the ones that exist.
    pub fn decision(&self, id: &str) -> Result<Decision> {
        let all = self.decisions();
        let number = id.trim().trim_start_matches(['D', 'd']).parse::<u32>().ok();
        match all.iter().find(|d| Some(d.number) == number) {
            Some(d) => Ok(d.clone()),
            None => Err(Error::Invalid(format!(
                "no decision '{id}' in {}{}; `realist decisions` lists them",
                self.path.display(),
                match (all.first(), all.last()) {
                    (Some(a), Some(b)) => format!(" (it has {} to {})", a.id, b.id),
                    _ => " (it has none yet)".into(),
                }
            ))),
        }
    }

    /// Appends `events` to the file atomically.
    fn append(&mut self, project: &Project, events: Vec<Event>) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let full = project.root.join(&self.path);
        let mut text = match std::fs::read_to_string(&full) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(full, e)),
        };
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for e in &events {
            // Plain structs of strings and numbers always serialize.
            text.push_str(&serde_json::to_string(e).unwrap_or_default());
            text.push('\n');
        }
        let d = dir(project);
        std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
        write_atomic(&full, text.as_bytes())?;
        self.events.extend(events);
        Ok(())
    }
}

/// Codings of one document and code that touch common units.
#[derive(Debug)]
struct Passage<'a> {
    /// Per coder, its codings in the passage.
    versions: Vec<Vec<&'a Coding>>,
    /// True when every coder coded it and covered the same units.
    agreed: bool,
}

/// A coding with its reach (see [`passages`]) and its coder's index.
type Item<'a> = (Span, usize, &'a Coding);

/// Groups one document's codings of one code into passages. A coding's
/// reach is the range of indices of the units it touches (for `char`, its
/// span); codings whose reaches overlap are one passage, agreed when every
/// coder has a coding in it and their reaches cover the same units. Returns
/// the passages and how many codings touch no unit (a coding of a speaker
/// label alone, by sentence), which are left out as `agree` leaves them out.
fn passages<'a>(
    len: usize,
    unit: Unit,
    units: &[Span],
    per_coder: &[Vec<&'a Coding>],
) -> (Vec<Passage<'a>>, usize) {
    let mut items: Vec<Item> = Vec::new();
    let mut untouched = 0;
    for (i, list) in per_coder.iter().enumerate() {
        for c in list {
            let raw = clamp(c, len);
            let reach = if unit == Unit::Char {
                raw
            } else {
                let first = units.partition_point(|u| u.end <= raw.start);
                let last = units.partition_point(|u| u.start < raw.end);
                Span::new(first, last.max(first))
            };
            if reach.is_empty() {
                untouched += 1;
                continue;
            }
            items.push((reach, i, c));
        }
    }
    items.sort_by_key(|(s, i, c)| (s.start, s.end, *i, c.start, c.end));
    // Each group with the end of its reach.
    let mut groups: Vec<(usize, Vec<Item>)> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some((end, group)) if item.0.start < *end => {
                *end = (*end).max(item.0.end);
                group.push(item);
            }
            _ => groups.push((item.0.end, vec![item])),
        }
    }
    let passages = groups
        .into_iter()
        .map(|(_, group)| {
            let m = per_coder.len();
            let mut versions: Vec<Vec<&Coding>> = vec![Vec::new(); m];
            let mut reach: Vec<Vec<Span>> = vec![Vec::new(); m];
            for (s, i, c) in group {
                versions[i].push(c);
                reach[i].push(s);
            }
            // Touching ranges merge: units 2 and 3 are the units 2–3.
            let reach: Vec<Vec<Span>> = reach.into_iter().map(merged).collect();
            let agreed = reach.iter().all(|r| !r.is_empty() && *r == reach[0]);
            Passage { versions, agreed }
        })
        .collect();
    (passages, untouched)
}

/// Returns a passage's key: a hash of the document, code, unit and each
/// coder's codings in it (id and quote). Ids survive re-anchoring, so an
/// edit elsewhere in the transcript that only moves codings keeps their
/// passages' keys; an edit inside a coding changes its quote, and so the key.
fn key(doc: &str, code: &str, unit: Unit, coders: &[String], versions: &[Vec<&Coding>]) -> String {
    let mut h = blake3::Hasher::new();
    for part in [doc, code, unit.name()] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    for (coder, list) in coders.iter().zip(versions) {
        h.update(coder.as_bytes());
        let mut ids: Vec<(&str, &str)> = list
            .iter()
            .map(|c| (c.id.as_str(), c.quote.as_str()))
            .collect();
        ids.sort();
        for (id, quote) in ids {
            h.update(b":");
            h.update(id.as_bytes());
            h.update(b"=");
            h.update(quote.as_bytes());
        }
        h.update(b"\0");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Returns the consensus codings for the union of `spans` (with their memos).
fn consensus_codings(
    name: &str,
    t: &Transcript,
    code: &str,
    parts: &[(String, Span, Option<String>)],
    at: &str,
    rev: Option<&str>,
) -> Vec<Coding> {
    let spans = merged(parts.iter().map(|(_, s, _)| *s).collect());
    spans
        .into_iter()
        .map(|span| {
            let memos: Vec<String> = parts
                .iter()
                .filter(|(_, s, m)| m.is_some() && s.start < span.end && span.start < s.end)
                .map(|(coder, _, m)| format!("{coder}: {}", m.as_deref().unwrap_or_default()))
                .collect();
            let memo = (!memos.is_empty()).then(|| memos.join("; "));
            Coding::new(name, t, span, code, memo, at, rev)
        })
        .collect()
}

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

/// Returns the consensus codings the trail added and has not removed since,
/// by id, with the time they were added (their `created`).
fn owned(trail: &Trail) -> HashMap<&str, &str> {
    let mut out: HashMap<&str, &str> = HashMap::new();
    for e in &trail.events {
        match e {
            Event::Agreed { added, at, .. } => {
                out.extend(added.iter().map(|id| (id.as_str(), at.as_str())));
            }
            Event::Decide {
                added, removed, at, ..
            } => {
                for id in removed {
                    out.remove(id.as_str());
                }
                out.extend(added.iter().map(|id| (id.as_str(), at.as_str())));
            }
            _ => {}
        }
    }
    out
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
            let existing = store::load(project, name)?;
            if !existing.codings.is_empty() {
                return Err(Error::Invalid(format!(
                    "coder '{name}' already has codings of their own ({}); choose another --into name for the consensus",
                    existing.path.display()
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
    let consensus_file = store::load(project, name)?;
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

/// Which coders' version a decision keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keep {
    /// These coders' versions (their union).
    Coders(Vec<String>),
    /// Every coder's version (`both`, `all`).
    All,
    /// No version: the code is not applied to the passage.
    Neither,
}

/// What `decide` did.
#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    /// The decision.
    pub decision: Decision,
    /// Consensus codings added.
    pub added: Vec<Coding>,
    /// Consensus codings removed (added by an earlier decision on it).
    pub removed: Vec<Coding>,
}

/// Records a decision on `id` for consensus coder `name`: adds the kept
/// versions to the consensus coder (and removes what an earlier decision on
/// it added), and appends the decision to the audit trail.
pub fn decide(
    index: &Index,
    name: &str,
    id: &str,
    keep: &Keep,
    by: &str,
    note: Option<&str>,
    at: &str,
) -> Result<Decided> {
    let project = index.project();
    let _lock = store::lock(project, &format!("consensus-{name}"))?;
    let mut trail = Trail::load(project, name)?;
    let d = trail.decision(id)?;
    if let Status::Withdrawn { reason, at } = &d.status {
        return Err(Error::Invalid(format!(
            "decision {} was withdrawn on {at}: {reason}; `realist decisions --open` lists the open ones",
            d.id
        )));
    }
    if by.trim().is_empty() {
        return Err(Error::Invalid("say who decided with --by NAME".into()));
    }
    let keep: Vec<String> = match keep {
        Keep::All => d.versions.keys().cloned().collect(),
        Keep::Neither => Vec::new(),
        Keep::Coders(list) if list.is_empty() => {
            return Err(Error::Invalid(
                "--keep needs a coder's name, both or neither".into(),
            ));
        }
        Keep::Coders(list) => {
            for c in list {
                if !d.versions.contains_key(c) {
                    let known: Vec<&str> = d.versions.keys().map(String::as_str).collect();
                    return Err(Error::Invalid(format!(
                        "'{c}' is not one of the coders of {} ({}); keep one of them, both, or neither",
                        d.id,
                        known.join(", ")
                    )));
                }
            }
            list.clone()
        }
    };
    // Where each version is now: at its stored offsets, or, after `realist
    // check` moved it, where its coder's file has it now.
    let t = if keep.is_empty() {
        index.transcript(&d.doc).ok()
    } else {
        Some(index.transcript(&d.doc)?)
    };
    let fits = |span: Span, quote: &str| {
        t.as_ref()
            .is_some_and(|t| span.end <= t.char_len() && t.slice(span) == quote)
    };
    let mut parts = Vec::new();
    let (mut from, mut to) = (usize::MAX, 0);
    for (coder, versions) in &d.versions {
        let mut file: Option<CoderFile> = None;
        for v in versions {
            let stored = Span::new(v.start, v.end);
            let mut now = fits(stored, &v.quote).then_some(stored);
            if now.is_none() && t.is_some() {
                let f = match &file {
                    Some(f) => f,
                    None => file.insert(store::load(project, coder)?),
                };
                now = f
                    .codings
                    .iter()
                    .find(|c| c.id == v.id && c.unplaced.is_none() && c.quote == v.quote)
                    .map(Coding::span)
                    .filter(|s| fits(*s, &v.quote));
            }
            let span = match now {
                Some(span) => span,
                None if keep.contains(coder) => {
                    return Err(Error::Invalid(format!(
                        "{coder}'s coding {} in {} is no longer where {} found it and cannot be found by its id; run `realist check`, then `realist reconcile --into {name}` (the coders' changed passage becomes a new decision)",
                        v.id, d.doc, d.id
                    )));
                }
                None => stored,
            };
            from = from.min(span.start);
            to = to.max(span.end);
            if keep.contains(coder) {
                parts.push((coder.clone(), span, v.memo.clone()));
            }
        }
    }
    let new = match &t {
        Some(t) => consensus_codings(name, t, &d.code, &parts, at, index.revision(&d.doc)),
        None => Vec::new(),
    };
    // What the trail added to the consensus in this passage (carried over
    // or decided before) goes; the consensus coder's own additions stay.
    let owned: HashMap<String, String> = owned(&trail)
        .into_iter()
        .map(|(id, at)| (id.to_string(), at.to_string()))
        .collect();
    let ((added, removed), _) = store::update(project, name, |file| {
        let (removed, rest): (Vec<Coding>, Vec<Coding>) = std::mem::take(&mut file.codings)
            .into_iter()
            .partition(|c| {
                owned.get(&c.id) == Some(&c.created)
                    && c.doc == d.doc
                    && c.code == d.code
                    && c.start < to
                    && from < c.end
            });
        file.codings = rest;
        let (added, _) = file.add_all(new);
        let changed = !added.is_empty() || !removed.is_empty();
        Ok(((added, removed), changed))
    })?;
    trail.append(
        project,
        vec![Event::Decide {
            decision: d.number,
            keep,
            by: by.to_string(),
            note: note.map(str::to_string).filter(|n| !n.trim().is_empty()),
            added: added.iter().map(|c| c.id.clone()).collect(),
            removed: removed.iter().map(|c| c.id.clone()).collect(),
            at: at.to_string(),
        }],
    )?;
    let decision = trail.decision(&d.id)?;
    Ok(Decided {
        decision,
        added,
        removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(id: &str, start: usize, end: usize) -> Coding {
        Coding {
            id: id.into(),
            doc: "d".into(),
            start,
            end,
            code: "Speed".into(),
            quote: String::new(),
            before: String::new(),
            after: String::new(),
            memo: None,
            created: String::new(),
            rev: None,
            unplaced: None,
        }
    }

    #[test]
    fn passages_join_codings_that_touch_a_common_unit() {
        let units = [Span::new(0, 10), Span::new(12, 20), Span::new(22, 30)];
        let (a1, a2) = (coding("a1", 2, 5), coding("a2", 23, 25));
        let (b1, b2) = (coding("b1", 0, 10), coding("b2", 14, 15));
        // By unit: a1 and b1 both cover unit 0 only (agreed); b2 alone in
        // unit 1; a2 alone in unit 2.
        let (ps, untouched) = passages(30, Unit::Turn, &units, &[vec![&a1, &a2], vec![&b1, &b2]]);
        let shape: Vec<(Vec<usize>, bool)> = ps
            .iter()
            .map(|p| (p.versions.iter().map(Vec::len).collect(), p.agreed))
            .collect();
        assert_eq!(
            shape,
            vec![(vec![1, 1], true), (vec![0, 1], false), (vec![1, 0], false)]
        );
        assert_eq!(untouched, 0);
        // By character the first passage differs (2-5 against 0-10).
        let (ps, _) = passages(30, Unit::Char, &units, &[vec![&a1], vec![&b1]]);
        assert_eq!(ps.len(), 1);
        assert!(!ps[0].agreed);
        // A coding spanning two units against one covering only the first.
        let a = coding("a", 5, 14);
        let b = coding("b", 1, 3);
        let (ps, _) = passages(30, Unit::Turn, &units, &[vec![&a], vec![&b]]);
        assert_eq!(ps.len(), 1);
        assert!(!ps[0].agreed);
        // Units 0 and 1 coded one by one against one coding over both: the
        // same units, so agreed (as `agree` counts it).
        let (u0, u1) = (coding("u0", 0, 10), coding("u1", 12, 20));
        let both = coding("both", 3, 15);
        let (ps, _) = passages(30, Unit::Turn, &units, &[vec![&u0, &u1], vec![&both]]);
        assert_eq!(ps.len(), 1);
        assert!(ps[0].agreed);
        // A coding in the gap between units touches none: left aside.
        let gap = coding("gap", 10, 12);
        let (ps, untouched) = passages(30, Unit::Turn, &units, &[vec![&gap], vec![]]);
        assert!(ps.is_empty());
        assert_eq!(untouched, 1);
    }

    #[test]
    fn keys_depend_on_every_coders_coding_ids_not_offsets() {
        let coders = ["ana".to_string(), "ben".to_string()];
        let a = coding("a", 2, 5);
        let b = coding("b", 2, 6);
        let k1 = key("d", "Speed", Unit::Turn, &coders, &[vec![&a], vec![]]);
        let k2 = key("d", "Speed", Unit::Turn, &coders, &[vec![&a], vec![&b]]);
        let k3 = key("d", "Speed", Unit::Turn, &coders, &[vec![], vec![&a]]);
        assert_ne!(k1, k2);
        assert_ne!(k1, k3);
        // Moved by `realist check` (same id, new offsets): the same passage.
        let moved = coding("a", 40, 43);
        assert_eq!(
            k1,
            key("d", "Speed", Unit::Turn, &coders, &[vec![&moved], vec![]])
        );
        // Its text edited: another passage.
        let mut edited = coding("a", 2, 5);
        edited.quote = "very".into();
        assert_ne!(
            k1,
            key("d", "Speed", Unit::Turn, &coders, &[vec![&edited], vec![]])
        );
    }

    #[test]
    fn a_trail_replays_into_decisions() {
        let text = r#"{"event":"open","decision":1,"key":"k1","doc":"d","code":"Speed","versions":{"ana":[{"id":"a","start":2,"end":5,"quote":"abc"}],"ben":[]},"at":"t1"}
{"event":"open","decision":2,"key":"k2","doc":"d","code":"Trust","versions":{"ana":[],"ben":[{"id":"b","start":7,"end":9,"quote":"xy"}]},"at":"t1"}
{"event":"decide","decision":1,"keep":["ana"],"by":"ana","added":["c1"],"removed":[],"at":"t2"}
{"event":"decide","decision":1,"keep":[],"by":"ben","note":"on reflection","added":[],"removed":["c1"],"at":"t3"}
{"event":"withdraw","decision":2,"reason":"changed","at":"t4"}
"#;
        let trail = Trail::parse("final", Path::new("consensus/final.jsonl"), text).unwrap();
        let ds = trail.decisions();
        assert_eq!((ds[0].start, ds[0].end), (2, 5));
        assert_eq!(
            ds[0].status,
            Status::Decided {
                keep: vec![],
                by: "ben".into(),
                note: Some("on reflection".into()),
                at: "t3".into(),
                replaced: 1
            }
        );
        assert!(matches!(ds[1].status, Status::Withdrawn { .. }));
        assert_eq!(trail.decision("d2").unwrap().number, 2);
        assert!(
            trail
                .decision("D9")
                .unwrap_err()
                .to_string()
                .contains("it has D1 to D2")
        );
        let bad = "{\"event\":\"decide\",\"decision\":4,\"keep\":[],\"by\":\"x\",\"added\":[],\"removed\":[],\"at\":\"t\"}\nnot json\n";
        let err = Trail::parse("final", Path::new("consensus/final.jsonl"), bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("consensus/final.jsonl:1: decision D4 is used before it is opened"),
            "{err}"
        );
        assert!(err.contains("consensus/final.jsonl:2: expected"), "{err}");
    }
}
