//! `decide`: settling a decision.

use std::collections::HashMap;

use serde::Serialize;

use super::commit::{commit, recover};
use super::passage::consensus_codings;
use super::trail::{Decision, Event, Status, Trail, owned};
use crate::coding::{CoderFile, Coding, store};
use crate::error::{Error, Result};
use crate::index::Index;
use crate::text::Span;
use crate::transcript::Transcript;

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

impl std::str::FromStr for Keep {
    type Err = Error;

    /// Reads what a decision keeps: `both` (or `all`), `neither` (or
    /// `none`), or coders' names separated by commas.
    fn from_str(s: &str) -> Result<Keep> {
        Ok(match s.trim().to_lowercase().as_str() {
            "both" | "all" => Keep::All,
            "neither" | "none" => Keep::Neither,
            _ => Keep::Coders(
                s.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            ),
        })
    }
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
    /// True when an earlier run was stopped between writing the trail and
    /// the consensus coder's file, and this one completed it first.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
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
    // A run killed half-way is completed first.
    let recovered = recover(project, name, &mut trail, at)?;
    let d = trail.decision(id)?;
    check(&d, by)?;
    let keep = kept_coders(&d, keep)?;
    let Placed { t, parts, from, to } = place(index, name, &d, &keep)?;
    let new = match &t {
        Some(t) => consensus_codings(name, t, &d.code, &parts, at, index.revision(&d.doc)),
        None => Vec::new(),
    };
    let event = |added: &[Coding], removed: &[Coding]| Event::Decide {
        decision: d.number,
        keep: keep.clone(),
        by: by.to_string(),
        note: note.map(str::to_string).filter(|n| !n.trim().is_empty()),
        added: added.iter().map(|c| c.id.clone()).collect(),
        removed: removed.iter().map(|c| c.id.clone()).collect(),
        at: at.to_string(),
    };
    let owned = owned_now(&trail);
    let (added, removed) = commit(project, name, &mut trail, at, |file| {
        let (added, removed) = replace(file, &owned, &d, (from, to), new);
        let events = vec![event(&added, &removed)];
        Ok(((added, removed), events))
    })?;
    let decision = trail.decision(&d.id)?;
    Ok(Decided {
        decision,
        added,
        removed,
        recovered,
    })
}

/// Refuses a withdrawn decision, and a decision by nobody.
fn check(d: &Decision, by: &str) -> Result<()> {
    if let Status::Withdrawn { reason, at } = &d.status {
        return Err(Error::DecisionWithdrawn {
            id: d.id.clone(),
            at: at.clone(),
            reason: reason.clone(),
        });
    }
    if by.trim().is_empty() {
        return Err(Error::NoOne { task: "deciding" });
    }
    Ok(())
}

/// Returns the coders whose version `keep` keeps, each a coder of `d`.
fn kept_coders(d: &Decision, keep: &Keep) -> Result<Vec<String>> {
    match keep {
        Keep::All => Ok(d.versions.keys().cloned().collect()),
        Keep::Neither => Ok(Vec::new()),
        Keep::Coders(list) if list.is_empty() => Err(Error::KeepWhom),
        Keep::Coders(list) => {
            for c in list {
                if !d.versions.contains_key(c) {
                    return Err(Error::NotACoderOf {
                        coder: c.clone(),
                        decision: d.id.clone(),
                        coders: d.versions.keys().cloned().collect(),
                    });
                }
            }
            Ok(list.clone())
        }
    }
}

/// Where a decision's versions are now.
struct Placed {
    /// The document (none when nothing is kept and it cannot be read).
    t: Option<Transcript>,
    /// The kept versions: coder, span now, memo.
    parts: Vec<(String, Span, Option<String>)>,
    /// The first code point of every version.
    from: usize,
    /// One past the last code point of every version.
    to: usize,
}

/// Finds each version of `d`: at its stored offsets, or, after `realist
/// check` moved it, where its coder's file has it now. A kept version that
/// is found nowhere is an error; another stays at its stored offsets.
fn place(index: &Index, name: &str, d: &Decision, keep: &[String]) -> Result<Placed> {
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
                    None => file.insert(store::load(index.project(), coder)?),
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
                    return Err(Error::VersionLost {
                        coder: coder.clone(),
                        id: v.id.clone(),
                        doc: d.doc.clone(),
                        decision: d.id.clone(),
                        consensus: name.to_string(),
                    });
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
    Ok(Placed { t, parts, from, to })
}

/// Returns the consensus codings the trail added, by id, with their
/// `created` time.
fn owned_now(trail: &Trail) -> HashMap<String, String> {
    owned(trail)
        .into_iter()
        .map(|(id, at)| (id.to_string(), at.to_string()))
        .collect()
}

/// Replaces, in the consensus coder's file, what the trail added to the
/// consensus in `d`'s passage (code points `from` to `to`: carried over or
/// decided before; `owned`) with `new`; the consensus coder's own additions
/// stay. Returns the codings added and removed.
fn replace(
    file: &mut CoderFile,
    owned: &HashMap<String, String>,
    d: &Decision,
    (from, to): (usize, usize),
    new: Vec<Coding>,
) -> (Vec<Coding>, Vec<Coding>) {
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
    (added, removed)
}
