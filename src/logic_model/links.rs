//! Evidence links: the append-only audit trail `links.jsonl`.
//!
//! Each line is one event: a coding linked to a configuration as evidence
//! that supports, refutes or refines it (with who, when, why, and a copy
//! of the quote as it was), or a link removed. Nothing in the file is ever
//! rewritten; the current links are what replaying it gives: the last
//! `link` of a (configuration, coding) pair, unless an `unlink` came after.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::{LINKS_FILE, LogicModel, normalise_id, unknown_configuration};
use crate::coding::{CoderFile, store};
use crate::error::{Error, Kind, Problem, Result};
use crate::files::append_json_lines;
use crate::project::Project;

/// What a piece of evidence does to a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// The quote bears the configuration out.
    Supports,
    /// The quote contradicts it.
    Refutes,
    /// The quote suggests how to change it.
    Refines,
}

impl Stance {
    /// Every stance, in order.
    pub const ALL: [Stance; 3] = [Stance::Supports, Stance::Refutes, Stance::Refines];

    /// Returns the stance's name.
    pub fn name(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Refutes => "refutes",
            Stance::Refines => "refines",
        }
    }
}

/// The part of a configuration a piece of evidence bears on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The context.
    Context,
    /// The mechanism (resource or reasoning).
    Mechanism,
    /// The outcome.
    Outcome,
}

impl Part {
    /// Returns the part's name.
    pub fn name(self) -> &'static str {
        match self {
            Part::Context => "context",
            Part::Mechanism => "mechanism",
            Part::Outcome => "outcome",
        }
    }
}

/// A coding linked to a configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The configuration (`CMO-<n>`).
    pub cmo: String,
    /// The coding's id.
    pub coding: String,
    /// The coder whose file holds the coding.
    pub coder: String,
    /// The coding's document.
    pub doc: String,
    /// The coding's code.
    pub code: String,
    /// The quote when it was linked.
    pub quote: String,
    /// What the quote does to the configuration.
    pub stance: Stance,
    /// The part it bears on, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who linked it.
    pub by: String,
    /// When: RFC 3339, UTC.
    pub at: String,
}

/// A link removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unlink {
    /// The configuration.
    pub cmo: String,
    /// The coding's id.
    pub coding: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who removed it.
    pub by: String,
    /// When.
    pub at: String,
}

/// One line of `links.jsonl` (`"type":"link_event"` in `cmo history --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A link made, or made again with another stance, part or note.
    Link(Link),
    /// A link removed.
    Unlink(Unlink),
}

impl Event {
    /// Returns the configuration the event concerns.
    pub fn cmo(&self) -> &str {
        match self {
            Event::Link(l) => &l.cmo,
            Event::Unlink(u) => &u.cmo,
        }
    }
}

/// The audit trail of evidence links.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// The file, relative to the project root.
    pub path: PathBuf,
    /// Every event, in file order.
    pub events: Vec<Event>,
}

/// What `realist link` or `realist unlink` did (`"type":"linked"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Linked {
    /// The configuration.
    pub cmo: String,
    /// The stance of new links (absent for `unlink`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// Codings newly linked (or unlinked).
    pub changed: Vec<String>,
    /// Codings whose link was replaced (another stance, part or note).
    pub replaced: Vec<String>,
    /// Codings already linked exactly so: nothing written for them.
    pub already: Vec<String>,
}

impl Links {
    /// Reads the project's links (none when the file does not exist yet).
    pub fn load(project: &Project) -> Result<Links> {
        let full = project.links_file();
        match std::fs::read_to_string(&full) {
            Ok(text) => Links::parse(Path::new(LINKS_FILE), &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Links {
                path: PathBuf::from(LINKS_FILE),
                events: Vec::new(),
            }),
            Err(e) => Err(Error::io(full, e)),
        }
    }

    /// Parses the trail, reporting every malformed line.
    pub fn parse(path: &Path, text: &str) -> Result<Links> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut events = Vec::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Event>(line) {
                Ok(e) => events.push(e),
                Err(e) => problems.push(Problem::error(
                    Kind::Line,
                    path,
                    Some(i + 1),
                    store::json_problem(&e),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Lines {
                path: path.to_path_buf(),
                problems,
                hint: "links.jsonl is only ever appended to: restore it from version control"
                    .into(),
            });
        }
        Ok(Links {
            path: path.to_path_buf(),
            events,
        })
    }

    /// Returns the current links, in the order first made: replaying the
    /// trail, the last `link` of each pair unless an `unlink` followed.
    pub fn current(&self) -> Vec<&Link> {
        let mut now: IndexMap<(&str, &str), Option<&Link>> = IndexMap::new();
        for e in &self.events {
            match e {
                Event::Link(l) => {
                    now.insert((&l.cmo, &l.coding), Some(l));
                }
                Event::Unlink(u) => {
                    if let Some(slot) = now.get_mut(&(u.cmo.as_str(), u.coding.as_str())) {
                        *slot = None;
                    }
                }
            }
        }
        now.into_values().flatten().collect()
    }

    /// Returns the current links of configuration `cmo`.
    pub fn of(&self, cmo: &str) -> Vec<&Link> {
        self.current()
            .into_iter()
            .filter(|l| l.cmo == cmo)
            .collect()
    }

    /// Returns the events concerning configuration `cmo`, in order.
    pub fn history(&self, cmo: &str) -> Vec<&Event> {
        self.events.iter().filter(|e| e.cmo() == cmo).collect()
    }

    /// Returns configuration `cmo` (as typed: `3`, `cmo-3`), normalised,
    /// with the events of the trail about it; a configuration that neither
    /// `model` nor the trail knows is an error suggesting near ids.
    pub fn history_of(&self, model: &LogicModel, cmo: &str) -> Result<(String, Vec<&Event>)> {
        let id = normalise_id(cmo);
        let events = self.history(&id);
        if events.is_empty() && model.configuration(&id).is_err() {
            return Err(self.unknown_configuration(model, cmo));
        }
        Ok((id, events))
    }

    /// Returns the error for configuration `id`, which neither the model
    /// nor the trail knows, suggesting ids from both.
    pub fn unknown_configuration(&self, model: &LogicModel, id: &str) -> Error {
        let mut known: Vec<&str> = model.configurations.iter().map(|c| c.id.as_str()).collect();
        for e in &self.events {
            if !known.contains(&e.cmo()) {
                known.push(e.cmo());
            }
        }
        unknown_configuration(id, known.into_iter())
    }

    fn append(&mut self, project: &Project, events: Vec<Event>) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        append_json_lines(&project.links_file(), &events)?;
        self.events.extend(events);
        Ok(())
    }
}

/// What to link: the configuration, the codings, and how.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The configuration, as typed (`CMO-3`, `3`).
    pub cmo: &'a str,
    /// Coding ids (or unique prefixes of 4 or more characters).
    pub codings: &'a [String],
    /// What the quotes do to the configuration.
    pub stance: Stance,
    /// The part they bear on.
    pub part: Option<Part>,
    /// Why.
    pub note: Option<&'a str>,
    /// Who.
    pub by: &'a str,
    /// When.
    pub at: &'a str,
}

/// Links codings to a configuration of `model`, appending to the trail.
/// Every id is checked before anything is written; a coding already
/// linked with the same stance, part and note is left alone.
pub fn link(
    project: &Project,
    model: &LogicModel,
    files: &[CoderFile],
    req: &Request,
) -> Result<Linked> {
    let cmo = model.configuration(req.cmo)?.id.clone();
    let by = check_by(req.by)?;
    let note = req.note.map(str::trim).filter(|n| !n.is_empty());
    let mut found = Vec::new();
    for id in req.codings {
        let (coder, c) = store::find(files, id)?;
        if !found
            .iter()
            .any(|(_, f): &(&str, &crate::coding::Coding)| f.id == c.id)
        {
            found.push((coder, c));
        }
    }
    let _lock = store::lock(project, "links")?;
    let mut links = Links::load(project)?;
    let mut out = Linked {
        cmo: cmo.clone(),
        stance: Some(req.stance),
        ..Linked::default()
    };
    let mut events = Vec::new();
    {
        let current = links.of(&cmo);
        for (coder, c) in found {
            let before = current.iter().find(|l| l.coding == c.id);
            // A part or note not given again is kept from the earlier link.
            let part = req.part.or(before.and_then(|l| l.part));
            let note = note.or(before.and_then(|l| l.note.as_deref()));
            match before {
                Some(l)
                    if l.stance == req.stance && l.part == part && l.note.as_deref() == note =>
                {
                    out.already.push(c.id.clone());
                    continue;
                }
                Some(_) => out.replaced.push(c.id.clone()),
                None => out.changed.push(c.id.clone()),
            }
            events.push(Event::Link(Link {
                cmo: cmo.clone(),
                coding: c.id.clone(),
                coder: coder.to_string(),
                doc: c.doc.clone(),
                code: c.code.clone(),
                quote: c.quote.clone(),
                stance: req.stance,
                part,
                note: note.map(str::to_string),
                by: by.to_string(),
                at: req.at.to_string(),
            }));
        }
    }
    links.append(project, events)?;
    Ok(out)
}

/// Removes links between a configuration and codings, appending to the
/// trail. The configuration may be gone from the model and the codings from
/// the coder files (that is how such links are cleaned up), but each
/// coding must be linked to it now.
pub fn unlink(
    project: &Project,
    model: &LogicModel,
    cmo: &str,
    codings: &[String],
    note: Option<&str>,
    by: &str,
    at: &str,
) -> Result<Linked> {
    let by = check_by(by)?;
    let _lock = store::lock(project, "links")?;
    let mut links = Links::load(project)?;
    let wanted = normalise_id(cmo);
    let current = links.of(&wanted);
    if current.is_empty() {
        return match model.configuration(&wanted) {
            Ok(c) => Err(Error::NothingLinked { cmo: c.id.clone() }),
            Err(_) => Err(links.unknown_configuration(model, cmo)),
        };
    }
    let mut ids: Vec<String> = Vec::new();
    for id in codings {
        let id = id.trim().to_lowercase();
        let matches: Vec<&&Link> = current
            .iter()
            .filter(|l| l.coding == id || (id.len() >= 4 && l.coding.starts_with(&id)))
            .collect();
        match matches.as_slice() {
            [one] => {
                if !ids.contains(&one.coding) {
                    ids.push(one.coding.clone());
                }
            }
            [] => {
                return Err(Error::NotLinked {
                    coding: id,
                    cmo: wanted,
                    links: current.iter().map(|l| l.coding.clone()).collect(),
                });
            }
            _ => {
                return Err(Error::AmbiguousId {
                    id,
                    matches: matches.iter().map(|l| l.coding.clone()).collect(),
                });
            }
        }
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let events: Vec<Event> = ids
        .iter()
        .map(|id| {
            Event::Unlink(Unlink {
                cmo: wanted.clone(),
                coding: id.clone(),
                note: note.map(str::to_string),
                by: by.to_string(),
                at: at.to_string(),
            })
        })
        .collect();
    links.append(project, events)?;
    Ok(Linked {
        cmo: wanted,
        stance: None,
        changed: ids,
        replaced: Vec::new(),
        already: Vec::new(),
    })
}

fn check_by(by: &str) -> Result<&str> {
    let by = by.trim();
    if by.is_empty() {
        return Err(Error::NoOne { task: "linking" });
    }
    Ok(by)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(cmo: &str, coding: &str, stance: Stance) -> Event {
        Event::Link(Link {
            cmo: cmo.into(),
            coding: coding.into(),
            coder: "ana".into(),
            doc: "d".into(),
            code: "Speed".into(),
            quote: "q".into(),
            stance,
            part: None,
            note: None,
            by: "ana".into(),
            at: "2026-01-01T00:00:00Z".into(),
        })
    }

    fn unlink(cmo: &str, coding: &str) -> Event {
        Event::Unlink(Unlink {
            cmo: cmo.into(),
            coding: coding.into(),
            note: None,
            by: "ben".into(),
            at: "2026-01-02T00:00:00Z".into(),
        })
    }

    #[test]
    fn replaying_links_and_unlinks_gives_the_current_links() {
        let links = Links {
            path: PathBuf::from(LINKS_FILE),
            events: vec![
                link("CMO-1", "a", Stance::Supports),
                link("CMO-1", "b", Stance::Supports),
                link("CMO-2", "a", Stance::Refutes),
                unlink("CMO-1", "a"),
                link("CMO-1", "b", Stance::Refines),
                unlink("CMO-2", "zzz"),
                link("CMO-1", "a", Stance::Refutes),
            ],
        };
        let now: Vec<(&str, &str, Stance)> = links
            .current()
            .iter()
            .map(|l| (l.cmo.as_str(), l.coding.as_str(), l.stance))
            .collect();
        assert_eq!(
            now,
            [
                ("CMO-1", "a", Stance::Refutes),
                ("CMO-1", "b", Stance::Refines),
                ("CMO-2", "a", Stance::Refutes),
            ]
        );
        assert_eq!(links.history("CMO-1").len(), 5);
        let text: String = links
            .events
            .iter()
            .map(|e| serde_json::to_string(e).unwrap() + "\n")
            .collect();
        let back = Links::parse(Path::new(LINKS_FILE), &text).unwrap();
        assert_eq!(back.events, links.events);
        let e = Links::parse(Path::new(LINKS_FILE), "{\"event\":\"link\"}\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("links.jsonl: 1 invalid line"), "{e}");
    }
}
