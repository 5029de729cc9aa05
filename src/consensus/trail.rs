//! The audit trail `consensus/<name>.jsonl`: its events, parsing,
//! appending, and the replay into decisions.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::agreement::units::Unit;
use crate::coding::{Coding, check_coder, store};
use crate::error::{Error, Kind, Problem, Result};
use crate::files::append_json_lines;
use crate::project::Project;

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
    /// The consensus coder's file is about to change: appended, with the
    /// events of the run that changes it, before the file is written.
    Intent {
        /// The consensus codings the file gains, whole.
        add: Vec<Coding>,
        /// The ids of the consensus codings it loses.
        remove: Vec<String>,
        /// When.
        at: String,
    },
    /// The change of the intent before it is in the consensus coder's file.
    Done {
        /// When.
        at: String,
        /// True when a later run completed it (the one that wrote the
        /// intent was stopped before it could).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        recovered: bool,
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
    project.consensus_dir()
}

/// Returns the names of the project's consensus coders, sorted.
pub fn names(project: &Project) -> Result<Vec<String>> {
    store::jsonl_names(&dir(project))
}

impl Trail {
    /// Reads the audit trail of consensus coder `name` (empty when it does not exist yet).
    pub fn load(project: &Project, name: &str) -> Result<Trail> {
        check_coder(name)?;
        let path = Path::new(crate::project::CONSENSUS_DIR).join(format!("{name}.jsonl"));
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
        // The line of the intent not yet done, if any.
        let mut intent: Option<usize> = None;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut problem = |message: String| {
                problems.push(Problem::error(Kind::Line, path, Some(i + 1), message))
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
                        Event::Intent { .. } => {
                            if let Some(n) = intent.replace(i + 1) {
                                problem(format!("an intent while the one on line {n} is not done"));
                                continue;
                            }
                        }
                        Event::Done { .. } if intent.take().is_none() => {
                            problem("done with no intent before it".to_string());
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
                        },
                    );
                }
                Event::Decide {
                    decision,
                    keep,
                    by,
                    note,
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
                Event::Reconcile { .. }
                | Event::Agreed { .. }
                | Event::Intent { .. }
                | Event::Done { .. } => {}
            }
        }
        out.into_values().collect()
    }

    /// Returns the change of the last intent when it is not done: the
    /// codings to add and the ids to remove.
    pub fn pending(&self) -> Option<(&[Coding], &[String])> {
        match self
            .events
            .iter()
            .rev()
            .find(|e| matches!(e, Event::Intent { .. } | Event::Done { .. }))
        {
            Some(Event::Intent { add, remove, .. }) => Some((add, remove)),
            _ => None,
        }
    }

    /// Returns the decision `id` (`D3`, `d3` or `3`), or an error naming the ones that exist.
    pub fn decision(&self, id: &str) -> Result<Decision> {
        let all = self.decisions();
        let number = id.trim().trim_start_matches(['D', 'd']).parse::<u32>().ok();
        match all.iter().find(|d| Some(d.number) == number) {
            Some(d) => Ok(d.clone()),
            None => Err(Error::UnknownDecision {
                id: id.to_string(),
                trail: self.path.clone(),
                first: all.first().map(|d| d.id.clone()),
                last: all.last().map(|d| d.id.clone()),
            }),
        }
    }

    /// Appends `events` to the file atomically.
    pub(super) fn append(&mut self, project: &Project, events: Vec<Event>) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        append_json_lines(&project.root.join(&self.path), &events)?;
        self.events.extend(events);
        Ok(())
    }
}

/// Returns the consensus codings the trail added and has not removed since,
/// by id, with the time they were added (their `created`).
pub(super) fn owned(trail: &Trail) -> HashMap<&str, &str> {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn an_intent_is_pending_until_done_and_done_needs_an_intent() {
        let path = Path::new("consensus/final.jsonl");
        let intent = r#"{"event":"intent","add":[],"remove":["c1"],"at":"t1"}"#;
        let done = r#"{"event":"done","at":"t1"}"#;
        let trail = Trail::parse("final", path, &format!("{intent}\n")).unwrap();
        assert_eq!(trail.pending(), Some((&[][..], &["c1".to_string()][..])));
        let trail = Trail::parse("final", path, &format!("{intent}\n{done}\n")).unwrap();
        assert_eq!(trail.pending(), None);
        let err = Trail::parse("final", path, &format!("{done}\n{intent}\n{intent}\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("consensus/final.jsonl:1: done with no intent before it"),
            "{err}"
        );
        assert!(
            err.contains("consensus/final.jsonl:3: an intent while the one on line 2 is not done"),
            "{err}"
        );
    }
}
