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
//! in [`links`]; what they add up to is computed in [`evidence`].

pub mod links;

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Error, Kind, Problem, Result};
use crate::project::Project;
use crate::text::line_of;

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Notes,
    Pathways,
    Contexts,
    Mechanisms,
    Resources,
    Reasoning,
    Outcomes,
    ShortTerm,
    LongerTerm,
    Configurations,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Pathway,
    Status,
    Context,
    Mechanism,
    Resource,
    Reasoning,
    Outcome,
    Keywords,
}

impl Field {
    /// Splits `Label: text` into the field and the text.
    fn from_line(line: &str) -> Option<(Field, &str)> {
        let (label, rest) = line.split_once(':')?;
        let label: String = label
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let field = match label.as_str() {
            "pathway" | "programme theory" | "program theory" => Field::Pathway,
            "status" => Field::Status,
            "context" | "contexts" => Field::Context,
            "mechanism" | "mechanisms" => Field::Mechanism,
            "mechanism resource" | "resource" | "resources" => Field::Resource,
            "mechanism reasoning" | "reasoning" => Field::Reasoning,
            "outcome" | "outcomes" => Field::Outcome,
            "keywords" | "keyword" => Field::Keywords,
            _ => return None,
        };
        Some((field, rest.trim()))
    }

    fn label(self) -> &'static str {
        match self {
            Field::Pathway => "Pathway",
            Field::Status => "Status",
            Field::Context => "Context",
            Field::Mechanism => "Mechanism",
            Field::Resource => "Mechanism (resource)",
            Field::Reasoning => "Mechanism (reasoning)",
            Field::Outcome => "Outcome",
            Field::Keywords => "Keywords",
        }
    }
}

/// A configuration being read: its fields with their lines.
struct Draft {
    id: String,
    title: String,
    line: usize,
    fields: Vec<(Field, String, usize)>,
    notes: Vec<String>,
}

/// Lines of text gathered from a paragraph or list item, with their lines.
#[derive(Default)]
struct Block {
    lines: Vec<(usize, String)>,
    new_line: bool,
}

impl Block {
    fn push(&mut self, line: usize, text: &str) {
        match self.lines.last_mut() {
            Some((_, last)) if !self.new_line => last.push_str(text),
            _ => self.lines.push((line, text.to_string())),
        }
        self.new_line = false;
    }

    fn joined(&self) -> String {
        collapse(
            &self
                .lines
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl LogicModel {
    /// Reads and parses the project's logic model: the model and its
    /// problems, or an error when there is no `logic-model.md`.
    pub fn read(project: &Project) -> Result<(LogicModel, Vec<Problem>)> {
        let full = project.logic_model_file();
        match std::fs::read_to_string(&full) {
            Ok(text) => Ok(LogicModel::parse(Path::new(FILE), &text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Invalid(format!(
                "this project has no logic model: write {FILE} at the project root (`realist init` in an empty folder writes a commented example; its format is in ARCHITECTURE.md)"
            ))),
            Err(e) => Err(Error::io(full, e)),
        }
    }

    /// Reads the project's logic model, refusing one with problems (each
    /// listed with its line).
    pub fn load(project: &Project) -> Result<LogicModel> {
        let (model, problems) = LogicModel::read(project)?;
        if !problems.is_empty() {
            return Err(Error::Lines {
                path: PathBuf::from(FILE),
                problems,
                hint: "fix the logic model: `realist logic-model check` lists every problem, and ARCHITECTURE.md describes the format".into(),
            });
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

    /// Parses a logic model; `path` is used in messages. Returns the model
    /// (configurations with problems left out) and every problem.
    pub fn parse(path: &Path, text: &str) -> (LogicModel, Vec<Problem>) {
        // A byte order mark would hide the first heading; it has no line of its own.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let bytes = text.as_bytes();
        let mut model = LogicModel {
            path: path.to_path_buf(),
            ..LogicModel::default()
        };
        let mut problems: Vec<Problem> = Vec::new();
        let mut problem = |line: usize, message: String| {
            problems.push(Problem::error(Kind::LogicModel, path, Some(line), message))
        };
        let mut section = Section::Notes;
        let mut drafts: Vec<Draft> = Vec::new();
        let mut in_config = false;
        let mut heading: Option<(HeadingLevel, usize)> = None;
        let mut block = Block::default();
        // The blocks of the list items around the current one.
        let mut parents: Vec<Block> = Vec::new();
        let mut code_block = false;

        for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
            let line = line_of(bytes, range.start);
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    block = Block::default();
                    heading = Some((level, line));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let Some((level, hline)) = heading.take() else {
                        continue;
                    };
                    let name = block.joined();
                    block = Block::default();
                    match level {
                        HeadingLevel::H1 => {
                            if model.title.is_none() {
                                model.title = Some(name);
                            }
                            section = Section::Notes;
                            in_config = false;
                        }
                        HeadingLevel::H2 => {
                            section = classify(&name);
                            in_config = false;
                        }
                        HeadingLevel::H3 => {
                            in_config = false;
                            if let Some((id, title)) = cmo_heading(&name) {
                                match id {
                                    Ok(id) => {
                                        in_config = true;
                                        drafts.push(Draft {
                                            id,
                                            title,
                                            line: hline,
                                            fields: Vec::new(),
                                            notes: Vec::new(),
                                        });
                                    }
                                    Err(fix) => problem(hline, fix),
                                }
                                continue;
                            }
                            let lower = name.to_lowercase();
                            section = match section {
                                Section::Mechanisms | Section::Resources | Section::Reasoning
                                    if lower.contains("resource") =>
                                {
                                    Section::Resources
                                }
                                Section::Mechanisms | Section::Resources | Section::Reasoning
                                    if lower.contains("reasoning") =>
                                {
                                    Section::Reasoning
                                }
                                Section::Outcomes | Section::ShortTerm | Section::LongerTerm
                                    if lower.contains("short") =>
                                {
                                    Section::ShortTerm
                                }
                                Section::Outcomes | Section::ShortTerm | Section::LongerTerm
                                    if lower.contains("long")
                                        || lower.contains("medium")
                                        || lower.contains("intermediate") =>
                                {
                                    Section::LongerTerm
                                }
                                Section::Mechanisms | Section::Resources | Section::Reasoning => {
                                    problem(
                                        hline,
                                        format!(
                                            "'### {name}' under Mechanisms: use `### Resources` or `### Reasoning`"
                                        ),
                                    );
                                    Section::Mechanisms
                                }
                                Section::Outcomes | Section::ShortTerm | Section::LongerTerm => {
                                    problem(
                                        hline,
                                        format!(
                                            "'### {name}' under Outcomes: use `### Short term` or `### Longer term`"
                                        ),
                                    );
                                    Section::Outcomes
                                }
                                Section::Configurations => {
                                    problem(
                                        hline,
                                        format!(
                                            "'### {name}' under Configurations: a configuration's heading starts with its id, as in `### CMO-1: title`"
                                        ),
                                    );
                                    Section::Configurations
                                }
                                other => other,
                            };
                        }
                        _ => {}
                    }
                }
                Event::Start(Tag::CodeBlock(_)) => code_block = true,
                Event::End(TagEnd::CodeBlock) => code_block = false,
                Event::Start(Tag::Item) => {
                    // A nested item's text joins its parent item as more lines.
                    parents.push(std::mem::take(&mut block));
                }
                Event::Start(Tag::Paragraph) if parents.is_empty() => block = Block::default(),
                Event::End(TagEnd::Paragraph) if !parents.is_empty() => block.new_line = true,
                Event::End(TagEnd::Item) if parents.len() > 1 => {
                    let done = std::mem::take(&mut block);
                    block = parents.pop().unwrap_or_default();
                    block.lines.extend(done.lines);
                    block.new_line = true;
                }
                Event::End(TagEnd::Item) | Event::End(TagEnd::Paragraph) => {
                    let is_item = matches!(event, Event::End(TagEnd::Item));
                    let done = std::mem::take(&mut block);
                    if is_item {
                        parents.clear();
                    }
                    if done.lines.is_empty() {
                        continue;
                    }
                    if in_config {
                        if let Some(draft) = drafts.last_mut() {
                            add_lines(draft, &done, is_item, &mut problem);
                        }
                        continue;
                    }
                    if is_item {
                        add_statement(&mut model, section, &done, &mut problem);
                    }
                }
                Event::Text(t) | Event::Code(t) if heading.is_some() || !code_block => {
                    block.push(line, &t)
                }
                Event::SoftBreak | Event::HardBreak => block.new_line = true,
                _ => {}
            }
        }

        let mut seen: Vec<(String, usize)> = Vec::new();
        for draft in drafts {
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == draft.id) {
                let message = format!(
                    "{} is defined twice (first on line {first}): give each configuration its own number",
                    draft.id
                );
                problem(draft.line, message);
                // Its own problems are still worth reporting.
                let _ = finish(draft, &model.pathways, &mut problem);
                continue;
            }
            seen.push((draft.id.clone(), draft.line));
            if let Some(c) = finish(draft, &model.pathways, &mut problem) {
                model.configurations.push(c);
            }
        }
        (model, problems)
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
    let list = if known.is_empty() {
        "the logic model has no configurations yet".to_string()
    } else {
        format!("configurations: {}", known.join(", "))
    };
    let mean = match suggestions.as_slice() {
        [] => String::new(),
        [one] => format!("did you mean {one}? "),
        many => format!("did you mean {}? ", many.join(", ")),
    };
    Error::Invalid(format!("no configuration {wanted} in {FILE}; {mean}{list}"))
}

fn classify(name: &str) -> Section {
    let lower = name.to_lowercase();
    if lower.contains("pathway")
        || lower.contains("programme theor")
        || lower.contains("program theor")
    {
        Section::Pathways
    } else if lower.contains("configuration") || lower.contains("cmo") {
        Section::Configurations
    } else if lower.contains("context") || lower.contains("requisite") {
        Section::Contexts
    } else if lower.contains("mechanism") {
        Section::Mechanisms
    } else if lower.contains("outcome") {
        Section::Outcomes
    } else {
        Section::Notes
    }
}

/// Recognises a configuration heading: `Some(Ok((id, title)))`, or
/// `Some(Err(fix))` for one that looks like a configuration but is not
/// written `CMO-<n>`; `None` for other headings.
fn cmo_heading(name: &str) -> Option<(std::result::Result<String, String>, String)> {
    // Only ASCII is compared and cut, so every slice falls on a character
    // boundary whatever the heading holds.
    let prefix = name.get(..3).filter(|p| p.eq_ignore_ascii_case("cmo"))?;
    let after = &name[prefix.len()..];
    let tail = after.trim_start_matches(['-', ' ', '_']);
    let digits_len = tail.bytes().take_while(u8::is_ascii_digit).count();
    if digits_len == 0 {
        // "### CMOs in general": not a configuration.
        return None;
    }
    let (digits, rest) = tail.split_at(digits_len);
    let title = rest
        .trim_start_matches([':', '.', ' ', '-', '–', '—'])
        .trim()
        .to_string();
    let Ok(n) = digits.parse::<u32>() else {
        return Some((
            Err(format!(
                "'### {name}': the configuration number is too large"
            )),
            title,
        ));
    };
    let written = &name[..name.len() - rest.len()];
    let id = format!("CMO-{n}");
    if written != id {
        return Some((Err(format!("'### {name}': write the id as {id}")), title));
    }
    Some((Ok(id), title))
}

/// Adds a list item of a statement section to the model.
fn add_statement(
    model: &mut LogicModel,
    section: Section,
    block: &Block,
    problem: &mut impl FnMut(usize, String),
) {
    let statement = Statement {
        text: block.joined(),
        line: block.lines[0].0,
    };
    match section {
        Section::Pathways => match statement.text.split_once(':') {
            Some((name, description)) if !name.trim().is_empty() => model.pathways.push(Pathway {
                name: name.trim().to_string(),
                description: description.trim().to_string(),
                line: statement.line,
            }),
            _ => problem(
                statement.line,
                "a pathway is written `- **Name**: what it says`".into(),
            ),
        },
        Section::Contexts => model.contexts.push(statement),
        Section::Resources => model.resources.push(statement),
        Section::Reasoning => model.reasoning.push(statement),
        Section::Mechanisms => model.mechanisms.push(statement),
        Section::ShortTerm => model.short_term.push(statement),
        Section::LongerTerm => model.longer_term.push(statement),
        Section::Outcomes => model.outcomes.push(statement),
        Section::Configurations | Section::Notes => {}
    }
}

fn add_lines(
    draft: &mut Draft,
    block: &Block,
    is_item: bool,
    problem: &mut impl FnMut(usize, String),
) {
    // Unlabelled lines carry on a field labelled earlier in the same block.
    let mut open = false;
    for (line, text) in &block.lines {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match Field::from_line(text) {
            Some((field, rest)) => {
                draft.fields.push((field, rest.to_string(), *line));
                open = true;
            }
            None => match draft.fields.last_mut() {
                Some((_, value, _)) if open => {
                    value.push(' ');
                    value.push_str(text);
                }
                _ if !is_item => draft.notes.push(text.to_string()),
                _ => problem(
                    *line,
                    format!(
                        "'{}' in {}: each line of a configuration starts with a label (Pathway:, Status:, Context:, Mechanism (resource):, Mechanism (reasoning):, Outcome:, Keywords:)",
                        text, draft.id
                    ),
                ),
            },
        }
    }
}

fn finish(
    draft: Draft,
    pathways: &[Pathway],
    problem: &mut impl FnMut(usize, String),
) -> Option<Configuration> {
    let mut ok = true;
    let mut get = |field: Field, ok: &mut bool| -> Option<(String, usize)> {
        let mut found = draft.fields.iter().filter(|(f, _, _)| *f == field);
        let first = found.next();
        if let Some((_, _, line)) = found.next() {
            problem(
                *line,
                format!("{} has a second {}: line", draft.id, field.label()),
            );
            *ok = false;
        }
        match first {
            Some((_, v, line)) if v.trim().is_empty() => {
                problem(*line, format!("{}: {} is empty", draft.id, field.label()));
                *ok = false;
                None
            }
            Some((_, v, line)) => Some((collapse(v), *line)),
            None => None,
        }
    };
    let pathway = get(Field::Pathway, &mut ok);
    let status = get(Field::Status, &mut ok);
    let context = get(Field::Context, &mut ok);
    let mechanism = get(Field::Mechanism, &mut ok);
    let resource = get(Field::Resource, &mut ok);
    let reasoning = get(Field::Reasoning, &mut ok);
    let outcome = get(Field::Outcome, &mut ok);
    let keywords = get(Field::Keywords, &mut ok);
    let mut missing = Vec::new();
    if pathway.is_none() {
        missing.push("Pathway:");
    }
    if status.is_none() {
        missing.push("Status:");
    }
    if context.is_none() {
        missing.push("Context:");
    }
    if mechanism.is_none() && resource.is_none() && reasoning.is_none() {
        missing.push("Mechanism: (or Mechanism (resource): and Mechanism (reasoning):)");
    }
    if outcome.is_none() {
        missing.push("Outcome:");
    }
    if !missing.is_empty() {
        problem(
            draft.line,
            format!("{} has no {}", draft.id, missing.join(", no ")),
        );
        ok = false;
    }
    let status = match status {
        Some((s, line)) => match Status::ALL
            .iter()
            .find(|st| st.name() == s.to_lowercase().trim_end_matches('.'))
        {
            Some(st) => Some(*st),
            None => {
                problem(
                    line,
                    format!(
                        "{}: unknown status '{s}'; use one of {}",
                        draft.id,
                        Status::ALL.map(Status::name).join(", ")
                    ),
                );
                ok = false;
                None
            }
        },
        None => None,
    };
    let pathway = match pathway {
        Some((p, line)) if !pathways.is_empty() => {
            match pathways
                .iter()
                .find(|w| w.name.to_lowercase() == p.to_lowercase())
            {
                Some(w) => Some(w.name.clone()),
                None => {
                    let near =
                        crate::suggest::nearest(&p, pathways.iter().map(|w| w.name.as_str()));
                    let mean = near
                        .first()
                        .map(|n| format!("did you mean '{n}'? "))
                        .unwrap_or_default();
                    problem(
                        line,
                        format!(
                            "{}: pathway '{p}' is not under Pathways; {mean}pathways: {}",
                            draft.id,
                            pathways
                                .iter()
                                .map(|w| w.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    ok = false;
                    None
                }
            }
        }
        other => other.map(|(p, _)| p),
    };
    if !ok {
        return None;
    }
    Some(Configuration {
        id: draft.id,
        title: draft.title,
        pathway: pathway?,
        status: status?,
        context: context?.0,
        mechanism: mechanism.map(|m| m.0),
        resource: resource.map(|m| m.0),
        reasoning: reasoning.map(|m| m.0),
        outcome: outcome?.0,
        keywords: keywords.map(|k| split_keywords(&k.0)).unwrap_or_default(),
        notes: (!draft.notes.is_empty()).then(|| draft.notes.join(" ")),
        line: draft.line,
    })
}

/// Splits `speed, "same day", deposit` into words and phrases.
fn split_keywords(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' | '“' | '”' => quoted = !quoted,
            ',' | ';' if !quoted => {
                out.push(collapse(&current));
                current.clear();
            }
            _ => current.push(c),
        }
    }
    out.push(collapse(&current));
    out.retain(|k| !k.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "# Logic model: test\n\nIntro paragraph.\n\n## Pathways\n- **Dedicated resources**: money for needs.\n- **Working relationships**: trust.\n\n## Pre-requisites and contexts\n- Small caseloads.\n\n## Mechanisms\n\n### Resources\n- A card.\n\n### Reasoning\n- Families trust.\n\n## Outcomes\n\n### Short term\n- Quick fixes.\n\n### Longer term\n- Returns hold.\n\n## Configurations\n\n### CMO-1: Speed builds trust\n- Pathway: Working relationships\n- Status: initial\n- Context: Parents who expect a trick.\n- Mechanism (resource): Quick spending.\n- Mechanism (reasoning): Parents trust the worker.\n- Outcome: Early calls.\n- Keywords: trust, \"straight away\", speed\n\n### CMO-2: One mechanism\nPathway: Dedicated resources\nStatus: Refined\nContext: A deposit is needed\nand nobody has it.\nMechanism: The worker pays it.\nOutcome: A tenancy.\n";

    #[test]
    fn a_logic_model_parses_into_sections_and_configurations() {
        let (m, problems) = LogicModel::parse(Path::new(FILE), MODEL);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(m.title.as_deref(), Some("Logic model: test"));
        assert_eq!(m.pathways.len(), 2);
        assert_eq!(m.pathways[0].name, "Dedicated resources");
        assert_eq!(m.contexts[0].text, "Small caseloads.");
        assert_eq!((m.resources.len(), m.reasoning.len()), (1, 1));
        assert_eq!((m.short_term.len(), m.longer_term.len()), (1, 1));
        let c = &m.configurations[0];
        assert_eq!(
            (c.id.as_str(), c.title.as_str()),
            ("CMO-1", "Speed builds trust")
        );
        assert_eq!(c.status, Status::Initial);
        assert_eq!(c.keywords, ["trust", "straight away", "speed"]);
        assert_eq!(c.resource.as_deref(), Some("Quick spending."));
        let c = &m.configurations[1];
        assert_eq!(c.context, "A deposit is needed and nobody has it.");
        assert_eq!(c.status, Status::Refined);
        assert_eq!(c.mechanism.as_deref(), Some("The worker pays it."));
        assert_eq!(m.configuration("cmo2").unwrap().id, "CMO-2");
        let e = m.configuration("CMO-3").unwrap_err().to_string();
        assert!(
            e.contains("no configuration CMO-3") && e.contains("CMO-1, CMO-2"),
            "{e}"
        );
    }

    #[test]
    fn problems_name_their_lines() {
        let bad = "## Pathways\n- **P1**: x\n\n## Configurations\n\n### CMO-1: a\n- Pathway: P2\n- Status: maybe\n- Context: c\n- Outcome: o\n\n### CMO 2: b\n\n### CMO-1: again\n- Pathway: P1\n- Status: initial\n- Context: c\n- Mechanism: m\n- Outcome: o\n- This line has no label\n";
        let (m, problems) = LogicModel::parse(Path::new(FILE), bad);
        let got: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let want = [
            "logic-model.md:12: '### CMO 2: b': write the id as CMO-2",
            "logic-model.md:20: 'This line has no label' in CMO-1: each line",
            "logic-model.md:7: CMO-1: pathway 'P2' is not under Pathways",
            "logic-model.md:8: CMO-1: unknown status 'maybe'; use one of initial, emerging",
            "logic-model.md:6: CMO-1 has no Mechanism:",
            "logic-model.md:14: CMO-1 is defined twice (first on line",
        ];
        for w in want {
            assert!(
                got.iter().any(|g| g.starts_with(w)),
                "missing {w} in {got:#?}"
            );
        }
        assert!(m.configurations.is_empty());
    }

    #[test]
    fn nested_items_paragraphs_and_a_bom_are_read_as_written() {
        let text = "\u{feff}## Pathways\n- **P1**: one\n  - more about it\n\n## Configurations\n\n### CMO-1: a\n- Pathway: P1\n- Status: initial\n- Context: parents who\n  - expect a trick\n- Mechanism: m\n- Outcome: o\n- Keywords: trust, speed\n\nA free paragraph, not keywords.\n\n## Notes\n\n### CMOs in general\nNotes.\n";
        let (m, problems) = LogicModel::parse(Path::new(FILE), text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(m.pathways[0].description, "one more about it");
        let c = &m.configurations[0];
        assert_eq!(c.context, "parents who expect a trick");
        assert_eq!(c.keywords, ["trust", "speed"]);
        assert_eq!(c.notes.as_deref(), Some("A free paragraph, not keywords."));
        assert_eq!(m.configurations.len(), 1);
    }

    #[test]
    fn ids_are_normalised() {
        assert_eq!(normalise_id("cmo-7"), "CMO-7");
        assert_eq!(normalise_id("7"), "CMO-7");
        assert_eq!(normalise_id("CMO 07"), "CMO-7");
        assert_eq!(normalise_id("X"), "X");
        assert_eq!(
            cmo_heading("CMO-3: t"),
            Some((Ok("CMO-3".into()), "t".into()))
        );
        assert_eq!(
            cmo_heading("cmo 03 – t"),
            Some((
                Err("'### cmo 03 – t': write the id as CMO-3".into()),
                "t".into()
            ))
        );
        for other in ["CMOs in general", "Cmé", "ÇMO-1", "C", "CMO-", "CMO-x1"] {
            assert_eq!(cmo_heading(other), None, "{other}");
        }
    }
}
