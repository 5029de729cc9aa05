//! How the command line words the library's errors: the message, with the
//! flags and commands that fix it, and a hint line.
//!
//! The library's messages say what is wrong without naming the command
//! line's flags (the browser workbench has none); here they are completed
//! for a researcher at a terminal.

use realist::Error;
use realist::error::TargetProblem;

/// Returns the message printed after `realist: error:`.
pub fn message(e: &Error) -> String {
    const RECONCILE: &str = "create one with `realist reconcile --coders A,B --into NAME`";
    match e {
        Error::TooFewCoders { .. } => format!("{e}: --coders A,B"),
        Error::NoKeywords { .. } => format!("{e}; give a QUERY"),
        Error::NoConsensus => format!("{e}; {RECONCILE}"),
        Error::UnknownConsensus { known, .. } if known.is_empty() => format!("{e}; {RECONCILE}"),
        Error::ConsensusAmbiguous { .. } => format!("{e}; name one with --consensus NAME"),
        Error::OutputIsFolder { .. } | Error::OutputGuarded { .. } => format!("--out {e}"),
        Error::BadFilter { given } => format!(
            "--where '{given}' is not KEY=VALUE: write e.g. --where site=Northbrook or --where method=interview,focus-group"
        ),
        Error::UnreadableTarget { target } => format!(
            "target '{target}' names no turn or offsets; write DOC:TURN, DOC:TURN-TURN, DOC@START-END, or use --doc DOC --quote TEXT"
        ),
        Error::NoOne { task: "deciding" } => "say who decided with --by NAME".into(),
        Error::KeepWhom => "--keep needs a coder's name, both or neither".into(),
        Error::DecisionWithdrawn { .. } => {
            format!("{e}; `realist decisions --open` lists the open ones")
        }
        Error::UnknownDecision { .. } => format!("{e}; `realist decisions` lists them"),
        Error::VersionLost { consensus, .. } => format!(
            "{e}; run `realist check`, then `realist reconcile --into {consensus}` (the coders' changed passage becomes a new decision)"
        ),
        Error::ConsensusNeedsCoders { .. } => format!("{e} with --coders A,B"),
        Error::ConsensusOfOthers { .. } => format!(
            "{e}; leave out --coders to reconcile them again, or use another --into name for these coders"
        ),
        Error::ConsensusIsACoder { name } => format!(
            "the consensus coder must not be one of the coders reconciled: choose another --into than '{name}'"
        ),
        Error::ConsensusUnit { .. } => {
            format!("{e} (leave out --unit, or use another --into name)")
        }
        Error::ConsensusHasCodings { .. } => {
            format!("{e}; choose another --into name for the consensus")
        }
        Error::NoOne { task } => {
            format!("--by is empty: say who is {task}, for the audit trail (or set REALIST_CODER)")
        }
        Error::NotAProject { root } => {
            format!("{e}; run `realist init {}` to make it one", root.display())
        }
        Error::BadSpeakerPattern { glob, message } => {
            format!("--speaker '{glob}' is not a usable pattern: {message}")
        }
        Error::IdTooShort { .. } => format!("{e} (`realist codings` lists them)"),
        Error::Target(TargetProblem::PastEnd { doc, .. }) => {
            format!("{e} (`realist show {doc} --plain` prints it)")
        }
        Error::Target(TargetProblem::QuoteNotFound { doc }) => {
            format!("{e} (`realist show {doc} --plain` prints its canonical text)")
        }
        Error::NoLogicModel => format!(
            "{e} (`realist init` in an empty folder writes a commented example; its format is in ARCHITECTURE.md)"
        ),
        _ => e.to_string(),
    }
}

/// Returns the hint printed under the message, if there is one.
pub fn hint(e: &Error) -> Option<String> {
    match e {
        Error::ProjectNotFound { .. } => {
            Some("run `realist init` to create a project here, or pass --project DIR".into())
        }
        Error::CorpusMissing { .. } => Some(
            "create the folder and put transcripts (.md or .txt) in it, or set `corpus` in realist.toml"
                .into(),
        ),
        Error::NameNotUtf8 { .. } => Some(
            "rename it with letters your system writes as UTF-8: a document's id comes from its file name, and commands name documents by it"
                .into(),
        ),
        Error::DuplicateId { .. } => Some(
            "give one of them a different `id:` in its front matter (the id defaults to the file name)"
                .into(),
        ),
        Error::InvalidUtf8 { .. } => Some(
            "re-save the file as UTF-8 (most editors offer this under 'Save with encoding')".into(),
        ),
        Error::Query { query, column, .. } => {
            let (shown, at) = around(query, *column);
            let pad = " ".repeat(at.saturating_sub(1));
            Some(format!("in the query\n    {shown}\n    {pad}^"))
        }
        Error::UnknownCode { suggestions, .. } if suggestions.is_empty() => {
            Some("`realist codebook` lists the codes".into())
        }
        Error::Lines { hint, .. } => Some(hint.clone()),
        Error::LogicModelInvalid { .. } => Some(
            "fix the logic model: `realist logic-model check` lists every problem, and ARCHITECTURE.md describes the format"
                .into(),
        ),
        Error::UnknownCoding { .. } => {
            Some("`realist codings` lists the codings and their ids".into())
        }
        Error::Index { .. } => Some(
            "the index is derived data: delete the .realist folder and run `realist index`".into(),
        ),
        _ => None,
    }
}

/// The most characters of a query the hint shows; a longer one is cut to
/// the characters around the column, with `…` where it was cut.
const QUERY_SHOWN: usize = 76;

/// Returns the part of `query` to show around the 1-based `column`, and the
/// column in it.
fn around(query: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = query.chars().collect();
    if chars.len() <= QUERY_SHOWN {
        return (query.to_string(), column);
    }
    let at = column.saturating_sub(1).min(chars.len());
    let end = (at.saturating_sub(QUERY_SHOWN / 2) + QUERY_SHOWN).min(chars.len());
    let start = end - QUERY_SHOWN;
    let mut shown: String = chars[start..end].iter().collect();
    let mut column = at - start + 1;
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column)
}
