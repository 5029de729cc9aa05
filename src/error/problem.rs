//! Problems found in the project's files: one type for warnings, check
//! findings and the bad lines of a file refused whole.

use std::path::PathBuf;

/// What a [`Problem`] is about; in JSON its snake_case name (`"kind"`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Something in a transcript (an empty document, a label the pattern
    /// took for a speaker, …).
    #[default]
    Transcript,
    /// A value of the case file.
    CaseFile,
    /// A line of a file that was to be read whole (a coder file, a file to
    /// import, an audit trail, the pseudonym key).
    Line,
    /// A line of a file to import whose quote is not the text at its
    /// offsets.
    QuoteMismatch,
    /// A code heading of the codebook whose name contains `/`.
    Slash,
    /// A code heading of the codebook with no name, or a heading under one.
    EmptyName,
    /// A code without a definition.
    Definition,
    /// A code path defined twice.
    Duplicate,
    /// A code name used by two codes where it must be unique.
    DuplicateName,
    /// A code's keywords that do not parse as a query.
    Keywords,
    /// A code used by coders but missing from the codebook.
    MissingCode,
    /// A code nobody has applied yet.
    Unused,
    /// Something the logic model's parser could not accept.
    LogicModel,
    /// An evidence link to a configuration the logic model no longer has.
    MissingConfiguration,
    /// An evidence link to a coding no coder file holds.
    MissingCoding,
    /// A coding whose anchor no longer fits its text.
    Stale,
    /// A configuration with no evidence linked yet.
    NoEvidence,
    /// An entry of the corpus folder that is not read: a link that leads
    /// out of the project, nowhere, or round in a circle.
    Corpus,
    /// realist's state folder (`.realist/`), which could not be written.
    State,
}

/// A problem found in the project's files or in what a researcher gave: a
/// warning a command prints and carries on after, a finding of a check
/// (`codebook check`, `logic-model check`; `"type":"problem"` in JSON Lines),
/// or one bad line of a file that is refused whole ([`Error::Lines`](super::Error::Lines)).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// What it is about.
    #[serde(default)]
    pub kind: Kind,
    /// True when it stops the work or fails a check; false for warnings and
    /// notes.
    #[serde(default)]
    pub error: bool,
    /// The file concerned, if there is one.
    pub path: Option<PathBuf>,
    /// 1-based line in that file, if known.
    pub line: Option<usize>,
    /// What is wrong, and what to do about it.
    pub message: String,
}

impl Problem {
    /// Returns a problem that stops the work, at `line` of `path`.
    pub fn error(
        kind: Kind,
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: String,
    ) -> Problem {
        Problem {
            kind,
            error: true,
            path: Some(path.into()),
            line,
            message,
        }
    }

    /// Returns a warning or note, at `line` of `path`.
    pub fn warning(
        kind: Kind,
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: String,
    ) -> Problem {
        Problem {
            error: false,
            ..Problem::error(kind, path, line, message)
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{}:{l}: {}", p.display(), self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            _ => f.write_str(&self.message),
        }
    }
}
