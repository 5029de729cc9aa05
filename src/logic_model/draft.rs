//! A configuration being read from `logic-model.md`: its labelled lines
//! (`Context: …`) gathered into a [`Draft`], then checked into a
//! [`Configuration`] once the whole file, and so every pathway, is known.
//! The parser (`parse`) feeds it; every problem found is kept with its
//! line in [`Problems`].

use std::collections::HashMap;
use std::path::Path;

use super::{Configuration, Pathway, Status};
use crate::error::{Kind, Problem};

/// Returns `s` with each run of white space made one space, trimmed.
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The problems found in the file so far, each with its line.
pub(super) struct Problems<'a> {
    /// The file, for messages.
    path: &'a Path,
    /// The problems, in the order found.
    pub(super) found: Vec<Problem>,
}

impl<'a> Problems<'a> {
    /// Starts with no problem; `path` names the file in messages.
    pub(super) fn new(path: &'a Path) -> Problems<'a> {
        Problems {
            path,
            found: Vec::new(),
        }
    }

    /// Adds a problem found on `line`.
    pub(super) fn add(&mut self, line: usize, message: String) {
        self.found.push(Problem::error(
            Kind::LogicModel,
            self.path,
            Some(line),
            message,
        ));
    }
}

/// The model's pathways, with each one's index by its lower-cased name, so
/// that checking each configuration's pathway does not read them all.
pub(super) struct Pathways<'a> {
    /// The pathways, in file order.
    all: &'a [Pathway],
    /// Index in `all` of the first pathway with each lower-cased name.
    by_name: HashMap<String, usize>,
}

impl<'a> Pathways<'a> {
    /// Indexes `all`.
    pub(super) fn new(all: &'a [Pathway]) -> Pathways<'a> {
        let mut by_name = HashMap::new();
        for (i, w) in all.iter().enumerate() {
            by_name.entry(w.name.to_lowercase()).or_insert(i);
        }
        Pathways { all, by_name }
    }
}

/// The label of a configuration's line.
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

    /// Returns the label as messages write it.
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
pub(super) struct Draft {
    /// `CMO-<n>`.
    pub(super) id: String,
    /// The heading's text after the id.
    pub(super) title: String,
    /// The heading's line.
    pub(super) line: usize,
    /// The labelled values, in file order, with their lines.
    fields: Vec<(Field, String, usize)>,
    /// Lines of paragraphs that are not labelled.
    notes: Vec<String>,
}

/// A draft's labelled values, each with its line: the first of each label.
struct Values {
    pathway: Option<(String, usize)>,
    status: Option<(String, usize)>,
    context: Option<(String, usize)>,
    mechanism: Option<(String, usize)>,
    resource: Option<(String, usize)>,
    reasoning: Option<(String, usize)>,
    outcome: Option<(String, usize)>,
    keywords: Option<(String, usize)>,
}

impl Draft {
    /// Opens the draft of configuration `id`, whose heading is on `line`.
    pub(super) fn new(id: String, title: String, line: usize) -> Draft {
        Draft {
            id,
            title,
            line,
            fields: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds the lines of a paragraph or list item under a configuration's
    /// heading to its draft: labelled lines as fields, other lines of a
    /// paragraph as notes.
    pub(super) fn add_lines(
        &mut self,
        lines: &[(usize, String)],
        is_item: bool,
        problems: &mut Problems,
    ) {
        // Unlabelled lines carry on a field labelled earlier in the same block.
        let mut open = false;
        for (line, text) in lines {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            match Field::from_line(text) {
                Some((field, rest)) => {
                    self.fields.push((field, rest.to_string(), *line));
                    open = true;
                }
                None => match self.fields.last_mut() {
                    Some((_, value, _)) if open => {
                        value.push(' ');
                        value.push_str(text);
                    }
                    _ if !is_item => self.notes.push(text.to_string()),
                    _ => problems.add(
                        *line,
                        format!(
                            "'{}' in {}: each line of a configuration starts with a label (Pathway:, Status:, Context:, Mechanism (resource):, Mechanism (reasoning):, Outcome:, Keywords:)",
                            text, self.id
                        ),
                    ),
                },
            }
        }
    }

    /// Checks the draft against the model's pathways: the configuration,
    /// or `None` when it has a problem (every one reported).
    pub(super) fn finish(
        self,
        pathways: &Pathways,
        problems: &mut Problems,
    ) -> Option<Configuration> {
        let mut ok = true;
        let values = self.values(problems, &mut ok);
        self.check_complete(&values, problems, &mut ok);
        let status = match &values.status {
            Some((s, line)) => self.status(s, *line, problems, &mut ok),
            None => None,
        };
        let pathway = match &values.pathway {
            Some((p, line)) if !pathways.all.is_empty() => {
                self.pathway(p, *line, pathways, problems, &mut ok)
            }
            other => other.as_ref().map(|(p, _)| p.clone()),
        };
        if !ok {
            return None;
        }
        Some(Configuration {
            id: self.id,
            title: self.title,
            pathway: pathway?,
            status: status?,
            context: values.context?.0,
            mechanism: values.mechanism.map(|m| m.0),
            resource: values.resource.map(|m| m.0),
            reasoning: values.reasoning.map(|m| m.0),
            outcome: values.outcome?.0,
            keywords: values
                .keywords
                .map(|k| split_keywords(&k.0))
                .unwrap_or_default(),
            notes: (!self.notes.is_empty()).then(|| self.notes.join(" ")),
            line: self.line,
        })
    }

    /// Returns the value of each label, in label order; a label written
    /// twice or left empty is a problem.
    fn values(&self, problems: &mut Problems, ok: &mut bool) -> Values {
        let mut get = |field: Field| self.value(field, problems, ok);
        Values {
            pathway: get(Field::Pathway),
            status: get(Field::Status),
            context: get(Field::Context),
            mechanism: get(Field::Mechanism),
            resource: get(Field::Resource),
            reasoning: get(Field::Reasoning),
            outcome: get(Field::Outcome),
            keywords: get(Field::Keywords),
        }
    }

    /// Returns the first value labelled `field` (spaces collapsed) and its
    /// line; `None` when there is none or it is empty.
    fn value(
        &self,
        field: Field,
        problems: &mut Problems,
        ok: &mut bool,
    ) -> Option<(String, usize)> {
        let mut found = self.fields.iter().filter(|(f, _, _)| *f == field);
        let first = found.next();
        if let Some((_, _, line)) = found.next() {
            problems.add(
                *line,
                format!("{} has a second {}: line", self.id, field.label()),
            );
            *ok = false;
        }
        match first {
            Some((_, v, line)) if v.trim().is_empty() => {
                problems.add(*line, format!("{}: {} is empty", self.id, field.label()));
                *ok = false;
                None
            }
            Some((_, v, line)) => Some((collapse(v), *line)),
            None => None,
        }
    }

    /// Reports the labels a configuration must have and `values` lacks.
    fn check_complete(&self, values: &Values, problems: &mut Problems, ok: &mut bool) {
        let mut missing = Vec::new();
        if values.pathway.is_none() {
            missing.push("Pathway:");
        }
        if values.status.is_none() {
            missing.push("Status:");
        }
        if values.context.is_none() {
            missing.push("Context:");
        }
        if values.mechanism.is_none() && values.resource.is_none() && values.reasoning.is_none() {
            missing.push("Mechanism: (or Mechanism (resource): and Mechanism (reasoning):)");
        }
        if values.outcome.is_none() {
            missing.push("Outcome:");
        }
        if !missing.is_empty() {
            problems.add(
                self.line,
                format!("{} has no {}", self.id, missing.join(", no ")),
            );
            *ok = false;
        }
    }

    /// Returns the status written `s` on `line` (any case, a full stop
    /// allowed), or reports an unknown one.
    fn status(
        &self,
        s: &str,
        line: usize,
        problems: &mut Problems,
        ok: &mut bool,
    ) -> Option<Status> {
        match Status::ALL
            .iter()
            .find(|st| st.name() == s.to_lowercase().trim_end_matches('.'))
        {
            Some(st) => Some(*st),
            None => {
                problems.add(
                    line,
                    format!(
                        "{}: unknown status '{s}'; use one of {}",
                        self.id,
                        Status::ALL.map(Status::name).join(", ")
                    ),
                );
                *ok = false;
                None
            }
        }
    }

    /// Returns the name of the pathway written `p` on `line` as the
    /// Pathways section writes it (ignoring case), or reports one that is
    /// not there.
    fn pathway(
        &self,
        p: &str,
        line: usize,
        pathways: &Pathways,
        problems: &mut Problems,
        ok: &mut bool,
    ) -> Option<String> {
        match pathways.by_name.get(&p.to_lowercase()) {
            Some(&i) => Some(pathways.all[i].name.clone()),
            None => {
                let pathways = pathways.all;
                let near = crate::suggest::nearest(p, pathways.iter().map(|w| w.name.as_str()));
                let mean = near
                    .first()
                    .map(|n| format!("did you mean '{n}'? "))
                    .unwrap_or_default();
                problems.add(
                    line,
                    format!(
                        "{}: pathway '{p}' is not under Pathways; {mean}pathways: {}",
                        self.id,
                        pathways
                            .iter()
                            .map(|w| w.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                *ok = false;
                None
            }
        }
    }
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

    #[test]
    fn labels_are_read_whatever_their_case_and_punctuation() {
        assert_eq!(
            Field::from_line("Mechanism (resource): x"),
            Some((Field::Resource, "x"))
        );
        assert_eq!(
            Field::from_line("**Programme theory** :  y "),
            Some((Field::Pathway, "y"))
        );
        assert_eq!(Field::from_line("Other: x"), None);
        assert_eq!(Field::from_line("no label"), None);
    }

    #[test]
    fn keywords_split_on_commas_and_semicolons_outside_quotes() {
        assert_eq!(
            split_keywords("speed, \"same day\", deposit"),
            ["speed", "same day", "deposit"]
        );
        assert_eq!(split_keywords("a; “b, c”;; "), ["a", "b, c"]);
    }

    #[test]
    fn a_draft_reports_each_problem_in_label_order() {
        let path = Path::new("logic-model.md");
        let mut problems = Problems::new(path);
        let mut draft = Draft::new("CMO-1".into(), "t".into(), 3);
        let lines = [
            (4, "Context: a".to_string()),
            (5, "Context: b".to_string()),
            (6, "Outcome:".to_string()),
        ];
        draft.add_lines(&lines, true, &mut problems);
        assert!(draft.finish(&Pathways::new(&[]), &mut problems).is_none());
        let got: Vec<String> = problems.found.iter().map(|p| p.to_string()).collect();
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(got[0].starts_with("logic-model.md:5: CMO-1 has a second Context: line"));
        assert!(got[1].starts_with("logic-model.md:6: CMO-1: Outcome is empty"));
        assert!(
            got[2]
                .starts_with("logic-model.md:3: CMO-1 has no Pathway:, no Status:, no Mechanism:")
        );
    }
}
