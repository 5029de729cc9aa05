//! Reading `logic-model.md`: the Markdown parser behind
//! [`LogicModel::parse`].
//!
//! The events of pulldown-cmark are read in one pass by a [`Reader`]:
//! headings set the section or open a configuration, the text of a
//! paragraph or list item is gathered into a [`Block`], and each finished
//! block becomes a statement of its section or labelled lines of the open
//! configuration. Configurations are checked once the whole file is read,
//! when every pathway is known.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::draft::{Draft, Pathways, Problems, collapse};
use super::{LogicModel, Pathway, Statement};
use crate::error::Problem;
use crate::text::LineIndex;

/// The part of the file being read, from its last level-2 (or level-3)
/// heading.
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

/// Lines of text gathered from a paragraph or list item, with their lines.
#[derive(Default)]
struct Block {
    /// The text of each line, with its line in the file.
    lines: Vec<(usize, String)>,
    /// True when the next text starts a line of its own.
    new_line: bool,
}

impl Block {
    /// Adds text found on `line`: to the last line, unless a break came.
    fn push(&mut self, line: usize, text: &str) {
        match self.lines.last_mut() {
            Some((_, last)) if !self.new_line => last.push_str(text),
            _ => self.lines.push((line, text.to_string())),
        }
        self.new_line = false;
    }

    /// Returns the lines joined by a space, white space collapsed.
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

impl LogicModel {
    /// Parses a logic model; `path` is used in messages. Returns the model
    /// (configurations with problems left out) and every problem.
    pub fn parse(path: &Path, text: &str) -> (LogicModel, Vec<Problem>) {
        // A byte order mark would hide the first heading; it has no line of its own.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Each event's line by binary search: counting from the start for
        // each would take the square of the file's size.
        let lines = LineIndex::new(text.as_bytes());
        let mut reader = Reader::new(path);
        for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
            reader.event(event, lines.line(range.start));
        }
        reader.into_model()
    }
}

/// The parser's state while it reads the events of one file.
struct Reader<'a> {
    /// The model so far (its configurations are added at the end).
    model: LogicModel,
    /// The problems found so far.
    problems: Problems<'a>,
    /// The section being read.
    section: Section,
    /// The configurations read so far, not yet checked.
    drafts: Vec<Draft>,
    /// True under a configuration's heading.
    in_config: bool,
    /// The heading being read: its level and line.
    heading: Option<(HeadingLevel, usize)>,
    /// The paragraph, list item or heading being read.
    block: Block,
    /// The blocks of the list items around the current one.
    parents: Vec<Block>,
    /// True inside a code block, whose text is left out.
    code_block: bool,
}

impl<'a> Reader<'a> {
    /// Starts reading the file `path`, in its notes before any section.
    fn new(path: &'a Path) -> Reader<'a> {
        Reader {
            model: LogicModel {
                path: path.to_path_buf(),
                ..LogicModel::default()
            },
            problems: Problems::new(path),
            section: Section::Notes,
            drafts: Vec::new(),
            in_config: false,
            heading: None,
            block: Block::default(),
            parents: Vec::new(),
            code_block: false,
        }
    }

    /// Reads one event, found on `line`.
    fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.block = Block::default();
                self.heading = Some((level, line));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(_)) => self.code_block = true,
            Event::End(TagEnd::CodeBlock) => self.code_block = false,
            Event::Start(Tag::Item) => {
                // A nested item's text joins its parent item as more lines.
                self.parents.push(std::mem::take(&mut self.block));
            }
            Event::Start(Tag::Paragraph) if self.parents.is_empty() => {
                self.block = Block::default()
            }
            Event::End(TagEnd::Paragraph) if !self.parents.is_empty() => self.block.new_line = true,
            Event::End(TagEnd::Item) if self.parents.len() > 1 => self.end_nested_item(),
            Event::End(TagEnd::Item) => self.end_block(true),
            Event::End(TagEnd::Paragraph) => self.end_block(false),
            Event::Text(t) | Event::Code(t) if self.heading.is_some() || !self.code_block => {
                self.block.push(line, &t)
            }
            Event::SoftBreak | Event::HardBreak => self.block.new_line = true,
            _ => {}
        }
    }

    /// Ends a heading: the title, a section, a subsection or a
    /// configuration's.
    fn end_heading(&mut self) {
        let Some((level, line)) = self.heading.take() else {
            return;
        };
        let name = std::mem::take(&mut self.block).joined();
        match level {
            HeadingLevel::H1 => {
                if self.model.title.is_none() {
                    self.model.title = Some(name);
                }
                self.section = Section::Notes;
                self.in_config = false;
            }
            HeadingLevel::H2 => {
                self.section = classify(&name);
                self.in_config = false;
            }
            HeadingLevel::H3 => self.subheading(&name, line),
            _ => {}
        }
    }

    /// Reads a level-3 heading on `line`: a configuration's, which opens a
    /// draft, or a subsection's.
    fn subheading(&mut self, name: &str, line: usize) {
        self.in_config = false;
        match cmo_heading(name) {
            Some((Ok(id), title)) => {
                self.in_config = true;
                self.drafts.push(Draft::new(id, title, line));
            }
            Some((Err(fix), _)) => self.problems.add(line, fix),
            None => self.section = subsection(self.section, name, line, &mut self.problems),
        }
    }

    /// Ends a nested list item: its lines join its parent item's.
    fn end_nested_item(&mut self) {
        let done = std::mem::take(&mut self.block);
        self.block = self.parents.pop().unwrap_or_default();
        self.block.lines.extend(done.lines);
        self.block.new_line = true;
    }

    /// Ends a paragraph or a top-level list item: its lines go to the open
    /// configuration, or an item becomes a statement of the section.
    fn end_block(&mut self, is_item: bool) {
        let done = std::mem::take(&mut self.block);
        if is_item {
            self.parents.clear();
        }
        if done.lines.is_empty() {
            return;
        }
        if self.in_config {
            if let Some(draft) = self.drafts.last_mut() {
                draft.add_lines(&done.lines, is_item, &mut self.problems);
            }
            return;
        }
        if is_item {
            add_statement(&mut self.model, self.section, &done, &mut self.problems);
        }
    }

    /// Checks the drafts in file order and returns the model with the
    /// configurations that have no problem, and every problem.
    fn into_model(self) -> (LogicModel, Vec<Problem>) {
        let Reader {
            mut model,
            mut problems,
            drafts,
            ..
        } = self;
        // The line of each id's first configuration.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let pathways = Pathways::new(&model.pathways);
        for draft in drafts {
            if let Some(first) = seen.get(&draft.id) {
                let message = format!(
                    "{} is defined twice (first on line {first}): give each configuration its own number",
                    draft.id
                );
                problems.add(draft.line, message);
                // Its own problems are still worth reporting.
                let _ = draft.finish(&pathways, &mut problems);
                continue;
            }
            seen.insert(draft.id.clone(), draft.line);
            if let Some(c) = draft.finish(&pathways, &mut problems) {
                model.configurations.push(c);
            }
        }
        (model, problems.found)
    }
}

/// Returns the section a level-2 heading opens, from its words.
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

/// Returns the section a level-3 heading `name` (on `line`, not a
/// configuration's) opens inside `section`: resources or reasoning under
/// Mechanisms, a term under Outcomes. A heading that names neither there,
/// or any under Configurations, is a problem.
fn subsection(section: Section, name: &str, line: usize, problems: &mut Problems) -> Section {
    let lower = name.to_lowercase();
    match section {
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
        Section::Outcomes | Section::ShortTerm | Section::LongerTerm if lower.contains("short") => {
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
            problems.add(
                line,
                format!("'### {name}' under Mechanisms: use `### Resources` or `### Reasoning`"),
            );
            Section::Mechanisms
        }
        Section::Outcomes | Section::ShortTerm | Section::LongerTerm => {
            problems.add(
                line,
                format!("'### {name}' under Outcomes: use `### Short term` or `### Longer term`"),
            );
            Section::Outcomes
        }
        Section::Configurations => {
            problems.add(
                line,
                format!(
                    "'### {name}' under Configurations: a configuration's heading starts with its id, as in `### CMO-1: title`"
                ),
            );
            Section::Configurations
        }
        other => other,
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
fn add_statement(model: &mut LogicModel, section: Section, block: &Block, problems: &mut Problems) {
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
            _ => problems.add(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic_model::{FILE, Status};

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
    fn many_configurations_keep_their_lines_ids_and_pathways() {
        let mut text =
            String::from("## Pathways\n- **Dedicated resources**: money.\n\n## Configurations\n");
        for i in 1..=3000 {
            // Each configuration takes 8 lines; the last repeats the first id.
            let n = if i == 3000 { 1 } else { i };
            text.push_str(&format!(
                "\n### CMO-{n}: t\n- Pathway: dedicated RESOURCES\n- Status: initial\n- Context: c\n- Mechanism: m\n- Outcome: o\n- Keywords: k{i}\n"
            ));
        }
        let (m, problems) = LogicModel::parse(Path::new(FILE), &text);
        let got: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            got,
            [format!(
                "logic-model.md:{}: CMO-1 is defined twice (first on line 6): give each configuration its own number",
                6 + 2999 * 8
            )]
        );
        assert_eq!(m.configurations.len(), 2999);
        let last = &m.configurations[2998];
        assert_eq!((last.id.as_str(), last.line), ("CMO-2999", 6 + 2998 * 8));
        assert_eq!(last.pathway, "Dedicated resources");
        assert_eq!(last.keywords, ["k2999"]);
    }

    #[test]
    fn configuration_headings_are_recognised() {
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
