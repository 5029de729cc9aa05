//! The one error type of the library.
//!
//! Every variant names what went wrong *and where* (file, line, column or
//! offset) so that a researcher can act on the message without reading code.
//! Messages are lowercase with no trailing period; the CLI prefixes them with
//! `realist: error:` and may add a `hint:` line from [`Error::hint`].

use std::path::PathBuf;

/// Returns `Result<T, realist::Error>`.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },

    /// No `realist.toml` was found in the working directory or above it.
    #[error("no realist project found in {} or any folder above it", start.display())]
    ProjectNotFound {
        /// Where the search started.
        start: PathBuf,
    },

    /// `realist.toml` is malformed or has an invalid setting.
    #[error("{}:{line}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// What is wrong.
        message: String,
    },

    /// The corpus folder named by the configuration does not exist.
    #[error("corpus folder {} does not exist", path.display())]
    CorpusMissing {
        /// The folder that was expected.
        path: PathBuf,
    },

    /// A transcript could not be read as a transcript.
    #[error("{}:{line}: {message}", path.display())]
    Transcript {
        /// The transcript file, relative to the project root where possible.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },

    /// A transcript is not valid UTF-8.
    #[error("{}:{line}: invalid UTF-8 at byte offset {offset}", path.display())]
    InvalidUtf8 {
        /// The transcript file.
        path: PathBuf,
        /// 1-based line containing the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte in the file.
        offset: usize,
    },

    /// Two transcripts declare the same document id.
    #[error("document id '{id}' is used by both {} and {}", first.display(), second.display())]
    DuplicateId {
        /// The id both files use.
        id: String,
        /// The first file (in path order).
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },

    /// A search query could not be parsed.
    #[error("query does not parse at column {column}: {message}")]
    Query {
        /// The query as typed.
        query: String,
        /// 1-based column (in characters) of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },

    /// A document id given on the command line is not in the corpus.
    #[error("no document with id '{id}'{}", did_you_mean(suggestions))]
    UnknownDocument {
        /// The id that was asked for.
        id: String,
        /// Near ids, best first.
        suggestions: Vec<String>,
    },

    /// A code given on the command line is not in the codebook.
    #[error("unknown code '{code}'{}", did_you_mean(suggestions))]
    UnknownCode {
        /// The code that was asked for.
        code: String,
        /// Near code paths, best first.
        suggestions: Vec<String>,
    },

    /// A coding id given on the command line is not in any coder's file.
    #[error("no coding with id '{id}'{}", did_you_mean(suggestions))]
    UnknownCoding {
        /// The id that was asked for.
        id: String,
        /// Near ids, best first.
        suggestions: Vec<String>,
    },

    /// Lines of a file are invalid (a coder file, a file to import); every
    /// bad line is listed and nothing was changed.
    #[error("{}: {} invalid {}; nothing was changed{}", path.display(), problems.len(), if problems.len() == 1 { "line" } else { "lines" }, list(problems))]
    Lines {
        /// The file.
        path: PathBuf,
        /// One entry per bad line, in line order.
        problems: Vec<Problem>,
        /// What to do about it.
        hint: String,
    },

    /// A user-supplied argument is invalid.
    #[error("{0}")]
    Invalid(String),

    /// The search index failed in a way that rebuilding did not cure.
    #[error("search index in {}: {message}", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// tantivy's message.
        message: String,
    },
}

impl Error {
    /// Returns an `Io` error for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Returns a hint the CLI prints under the message, if there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::ProjectNotFound { .. } => Some(
                "run `realist init` to create a project here, or pass --project DIR".into(),
            ),
            Error::CorpusMissing { .. } => Some(
                "create the folder and put transcripts (.md or .txt) in it, or set `corpus` in realist.toml"
                    .into(),
            ),
            Error::DuplicateId { .. } => Some(
                "give one of them a different `id:` in its front matter (the id defaults to the file name)"
                    .into(),
            ),
            Error::InvalidUtf8 { .. } => {
                Some("re-save the file as UTF-8 (most editors offer this under 'Save with encoding')".into())
            }
            Error::Query { query, column, .. } => {
                let pad = " ".repeat(column.saturating_sub(1));
                Some(format!("in the query\n    {query}\n    {pad}^"))
            }
            Error::UnknownCode { suggestions, .. } if suggestions.is_empty() => {
                Some("`realist codebook` lists the codes".into())
            }
            Error::Lines { hint, .. } => Some(hint.clone()),
            Error::UnknownCoding { .. } => Some("`realist codings` lists the codings and their ids".into()),
            Error::Index { .. } => Some(
                "the index is derived data: delete the .realist folder and run `realist index`".into(),
            ),
            _ => None,
        }
    }
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|w| format!("\n  {w}")).collect()
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean '{one}'?)"),
        many => format!(
            " (did you mean {}?)",
            many.iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

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
    /// A code heading of the codebook whose name contains `/`.
    Slash,
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
}

/// A problem found in the project's files or in what a researcher gave: a
/// warning a command prints and carries on after, a finding of a check
/// (`codebook check`, `logic-model check`; `"type":"problem"` in JSON Lines),
/// or one bad line of a file that is refused whole ([`Error::Lines`]).
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
