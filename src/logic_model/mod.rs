//! The logic model: the programme theory as context–mechanism–outcome
//! (CMO) configurations, written by researchers in `logic-model.md`.
//!
//! The file is Markdown read with pulldown-cmark. A level-1 heading is the
//! title; level-2 headings open sections, recognised by their words:
//! `Pathways` (list items `**Name**: description`), `Pre-requisites and
//! contexts`, `Mechanisms` (with `### Resources` and `### Reasoning`, after
//! Dalkin et al. 2015), `Outcomes` (with `### Short term` and `### Longer
//! term`) and `Configurations`. Other sections are free notes. Each
//! configuration is a level-3 heading `CMO-<n>: title` followed by
//! labelled lines (list items or lines of a paragraph):
//!
//! ```markdown
//! ### CMO-1: Spending on the spot clears a practical barrier
//! - Pathway: Dedicated resources
//! - Status: initial
//! - Context: A return home is agreed but held up by something practical.
//! - Mechanism (resource): The worker buys the item the same day.
//! - Mechanism (reasoning): The family stops treating the gap as a reason to wait.
//! - Outcome: Children go home on the planned date.
//! - Keywords: speed, "same day", deposit
//! ```
//!
//! Every problem is collected with its line; [`LogicModel::load`] refuses a
//! model with any. Evidence links between codings and configurations live
//! in [`links`]; what they add up to is computed in [`crate::evidence`].

mod draft;
pub mod links;
mod parse;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Problem, Result};
use crate::project::Project;

/// The logic model's file name at the project root.
pub const FILE: &str = crate::project::LOGIC_MODEL_FILE;
/// The evidence links' file name at the project root.
pub const LINKS_FILE: &str = crate::project::LINKS_FILE;

/// Where a configuration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// As first theorised, before evidence.
    Initial,
    /// Some evidence, not yet tested across cases.
    Emerging,
    /// Evidence supports it.
    Supported,
    /// Revised in the light of evidence.
    Refined,
    /// Evidence contradicts it.
    Refuted,
    /// No longer pursued.
    Retired,
}

impl Status {
    /// Every status, in order.
    pub const ALL: [Status; 6] = [
        Status::Initial,
        Status::Emerging,
        Status::Supported,
        Status::Refined,
        Status::Refuted,
        Status::Retired,
    ];

    /// Returns the status's name as written in the file.
    pub fn name(self) -> &'static str {
        match self {
            Status::Initial => "initial",
            Status::Emerging => "emerging",
            Status::Supported => "supported",
            Status::Refined => "refined",
            Status::Refuted => "refuted",
            Status::Retired => "retired",
        }
    }
}

/// A statement of a section (a context, a resource, an outcome, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The text.
    pub text: String,
    /// Its line in the file.
    pub line: usize,
}

/// A programme theory that configurations belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pathway {
    /// The name configurations refer to.
    pub name: String,
    /// What it says.
    pub description: String,
    /// Its line in the file.
    pub line: usize,
}

/// One context–mechanism–outcome configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Configuration {
    /// `CMO-<n>`.
    pub id: String,
    /// The heading's text after the id.
    pub title: String,
    /// The pathway it belongs to.
    pub pathway: String,
    /// Where it stands.
    pub status: Status,
    /// The context statement.
    pub context: String,
    /// A single mechanism statement, when resource and reasoning are not split.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    /// The resource the programme offers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The reasoning it triggers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// The outcome statement.
    pub outcome: String,
    /// Words and phrases that point to evidence (for `cmo suggest`).
    pub keywords: Vec<String>,
    /// Free text under the heading that is not a labelled line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The heading's line.
    pub line: usize,
}

impl Configuration {
    /// Returns the labelled statements, in reading order: (label, text).
    pub fn statements(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("Context", self.context.as_str())];
        if let Some(m) = &self.mechanism {
            out.push(("Mechanism", m));
        }
        if let Some(m) = &self.resource {
            out.push(("Mechanism (resource)", m));
        }
        if let Some(m) = &self.reasoning {
            out.push(("Mechanism (reasoning)", m));
        }
        out.push(("Outcome", &self.outcome));
        out
    }
}

/// The whole logic model.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogicModel {
    /// The file, relative to the project root.
    pub path: PathBuf,
    /// The level-1 heading.
    pub title: Option<String>,
    /// The programme theories.
    pub pathways: Vec<Pathway>,
    /// Pre-requisites and contexts.
    pub contexts: Vec<Statement>,
    /// Mechanisms: resources.
    pub resources: Vec<Statement>,
    /// Mechanisms: reasoning.
    pub reasoning: Vec<Statement>,
    /// Mechanisms not split into resource and reasoning.
    pub mechanisms: Vec<Statement>,
    /// Short-term outcomes.
    pub short_term: Vec<Statement>,
    /// Longer-term outcomes.
    pub longer_term: Vec<Statement>,
    /// Outcomes not split by term.
    pub outcomes: Vec<Statement>,
    /// The configurations, in file order.
    pub configurations: Vec<Configuration>,
    /// True while the file is the example `realist init` wrote (it still
    /// has the comment that marks it): reports leave it out.
    pub example: bool,
}

impl LogicModel {
    /// Reads and parses the project's logic model: the model and its
    /// problems, or an error when there is no `logic-model.md`.
    pub fn read(project: &Project) -> Result<(LogicModel, Vec<Problem>)> {
        let full = project.logic_model_file();
        match std::fs::read_to_string(&full) {
            Ok(text) => {
                let (mut model, problems) = LogicModel::parse(Path::new(FILE), &text);
                model.example = is_example(&text);
                Ok((model, problems))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NoLogicModel),
            Err(e) => Err(Error::io(full, e)),
        }
    }

    /// Reads the project's logic model, refusing one with problems (each
    /// listed with its line).
    pub fn load(project: &Project) -> Result<LogicModel> {
        let (model, problems) = LogicModel::read(project)?;
        if !problems.is_empty() {
            return Err(Error::LogicModelInvalid { problems });
        }
        Ok(model)
    }

    /// Reads the project's logic model for what needs only its ids (`unlink`,
    /// `cmo history`): problems are ignored and a missing file is an empty
    /// model, so links can be cleaned up whatever state the model is in.
    pub fn load_lenient(project: &Project) -> Result<LogicModel> {
        if !project.logic_model_file().exists() {
            return Ok(LogicModel::default());
        }
        Ok(LogicModel::read(project)?.0)
    }

    /// Returns the configuration `id` (`CMO-3`, `cmo-3` or `3`), or an error
    /// suggesting near ids.
    pub fn configuration(&self, id: &str) -> Result<&Configuration> {
        let wanted = normalise_id(id);
        self.configurations
            .iter()
            .find(|c| c.id == wanted)
            .ok_or_else(|| {
                unknown_configuration(id, self.configurations.iter().map(|c| c.id.as_str()))
            })
    }
}

/// Returns true when a logic model's text is still the example `realist
/// init` wrote: a line opens with its marking comment.
pub fn is_example(text: &str) -> bool {
    text.lines()
        .any(|l| l.trim_start().starts_with(crate::project::EXAMPLE_MARK))
}

/// Returns the note that the logic model is still the example, when it is.
pub fn example_note(model: &LogicModel) -> Option<Problem> {
    model.example.then(|| {
        Problem::warning(
            crate::error::Kind::LogicModel,
            &model.path,
            None,
            format!(
                "this is still the example logic model `realist init` wrote; once it holds your own theory, delete the comment that opens with `{}`",
                crate::project::EXAMPLE_MARK
            ),
        )
    })
}

/// Returns `CMO-<n>` for what a researcher typed: `CMO-3`, `cmo3`, `3`.
pub fn normalise_id(id: &str) -> String {
    let t = id.trim();
    let digits = t
        .strip_prefix("CMO")
        .or_else(|| t.strip_prefix("cmo"))
        .or_else(|| t.strip_prefix("Cmo"))
        .map(|r| r.trim_start_matches(['-', ' ']))
        .unwrap_or(t);
    match digits.parse::<u32>() {
        Ok(n) => format!("CMO-{n}"),
        Err(_) => t.to_string(),
    }
}

/// Returns the error for a configuration id that is not in the model.
pub fn unknown_configuration<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Error {
    let known: Vec<&str> = known.collect();
    let wanted = normalise_id(id);
    let mut suggestions = crate::suggest::nearest(&wanted, known.iter().copied());
    suggestions.retain(|s| *s != wanted);
    Error::UnknownConfiguration {
        id: wanted,
        suggestions,
        known: known.into_iter().map(str::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_normalised() {
        assert_eq!(normalise_id("cmo-7"), "CMO-7");
        assert_eq!(normalise_id("7"), "CMO-7");
        assert_eq!(normalise_id("CMO 07"), "CMO-7");
        assert_eq!(normalise_id("X"), "X");
    }
}
