//! The one error type of the library.
//!
//! Every variant names what went wrong *and where* (file, line, column or
//! offset) so that a researcher can act on the message without reading code.
//! Messages are lowercase with no trailing period; the CLI prefixes them with
//! `realist: error:` and words them for a terminal (naming its flags), with
//! a `hint:` line where one helps.

mod problem;
mod target;

pub use problem::{Kind, Problem};
pub use target::TargetProblem;

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

    /// A file or folder named in `realist.toml` (the corpus folder, the
    /// case file) that leads out of the project, which the project has not
    /// allowed.
    #[error("{what} {}{} is outside the project ({}): move it into the project folder, or set `allow_outside = true` under [project] in realist.toml to read it where it is", path.display(), if target == path { String::new() } else { format!(" (which leads to {})", target.display()) }, root.display())]
    OutsideProject {
        /// What it is: `the corpus folder`, `the case file`.
        what: &'static str,
        /// The path as configured (relative to the project root, or absolute).
        path: PathBuf,
        /// Where it leads, links resolved.
        target: PathBuf,
        /// The project folder.
        root: PathBuf,
    },

    /// A file outside the project (allowed by `allow_outside`) that could
    /// not be read; what is wrong is not repeated, since that would show
    /// the file's content.
    #[error("{}:{line}: this file could not be read as {what}; what is wrong is not shown, because the file is outside the project: open it to check it", path.display())]
    OutsideUnreadable {
        /// The file, as configured.
        path: PathBuf,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// What it should have been: `case data`.
        what: &'static str,
    },

    /// A transcript whose file or folder name is not valid UTF-8, so that
    /// it could be neither named nor shown faithfully.
    #[error("{path}: the file name is not valid UTF-8 (each byte that is not is written as \\xNN)")]
    NameNotUtf8 {
        /// The path relative to the project root, bytes that are not
        /// UTF-8 written `\xNN`.
        path: String,
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

    /// A transcript's front matter is longer than realist reads.
    #[error(
        "{}:{line}: the front matter is longer than {limit} bytes by this line: keep it to the document's id, speakers and attributes, and end it with a line `---`",
        path.display()
    )]
    FrontMatterTooLong {
        /// The transcript file.
        path: PathBuf,
        /// 1-based line of the file on which the front matter passes the limit.
        line: usize,
        /// The most bytes front matter may have.
        limit: usize,
    },

    /// A transcript's front matter nests lists and mappings deeper than
    /// realist reads.
    #[error(
        "{}:{line}: the front matter nests lists and mappings more than {limit} deep (column {column}): an attribute is a value or a list of values",
        path.display()
    )]
    FrontMatterTooDeep {
        /// The transcript file.
        path: PathBuf,
        /// 1-based line of the file of the list or mapping one too deep.
        line: usize,
        /// 1-based column of it.
        column: usize,
        /// The deepest nesting allowed.
        limit: usize,
    },

    /// Aliases (`*name`) in a transcript's front matter repeat more than
    /// realist reads (a "billion laughs" would take all the memory).
    #[error(
        "{}:{line}: the front matter's aliases (`*name`) repeat more than {limit} bytes of values by column {column}: write the values out instead of repeating them with aliases",
        path.display()
    )]
    FrontMatterAliases {
        /// The transcript file.
        path: PathBuf,
        /// 1-based line of the file of the alias that passes the limit.
        line: usize,
        /// 1-based column of the alias.
        column: usize,
        /// The most bytes aliases may repeat (each value counted by its
        /// length plus one).
        limit: usize,
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

    /// A coder named on the command line has no coder file.
    #[error(
        "no codings by coder '{coder}'{}: no file codings/{coder}.jsonl{}",
        did_you_mean(suggestions),
        listed("coders", known)
    )]
    UnknownCoder {
        /// The coder asked for.
        coder: String,
        /// Near coder names, best first.
        suggestions: Vec<String>,
        /// Every coder of the project.
        known: Vec<String>,
    },

    /// A consensus named on the command line does not exist.
    #[error(
        "no consensus '{name}'{}: no file consensus/{name}.jsonl{}",
        did_you_mean(suggestions),
        listed("consensus coders", known)
    )]
    UnknownConsensus {
        /// The consensus asked for.
        name: String,
        /// Near names, best first.
        suggestions: Vec<String>,
        /// Every consensus of the project.
        known: Vec<String>,
    },

    /// A consensus was needed and the project has none.
    #[error("this project has no consensus yet")]
    NoConsensus,

    /// A consensus was needed and the project has several.
    #[error("this project has several consensus coders ({})", names.join(", "))]
    ConsensusAmbiguous {
        /// Their names.
        names: Vec<String>,
    },

    /// A pathway that the logic model does not have.
    #[error(
        "no pathway '{pathway}' in the logic model{}{}",
        did_you_mean(suggestions),
        listed("pathways", known)
    )]
    UnknownPathway {
        /// The pathway asked for.
        pathway: String,
        /// Near names, best first.
        suggestions: Vec<String>,
        /// The model's pathways.
        known: Vec<String>,
    },

    /// A configuration the logic model does not have.
    #[error("no configuration {id} in logic-model.md{}{}", did_you_mean(suggestions), if known.is_empty() { "; the logic model has no configurations yet".to_string() } else { listed("configurations", known) })]
    UnknownConfiguration {
        /// The id asked for, normalised (`CMO-3`).
        id: String,
        /// Near ids, best first.
        suggestions: Vec<String>,
        /// The model's configurations (and those links name).
        known: Vec<String>,
    },

    /// A column the case file does not have.
    #[error("{} has no column '{name}'{}{}", file.display(), did_you_mean(suggestions), listed("columns", known))]
    UnknownColumn {
        /// The case file.
        file: PathBuf,
        /// The column asked for.
        name: String,
        /// Near columns, best first.
        suggestions: Vec<String>,
        /// Its columns.
        known: Vec<String>,
    },

    /// The logic model has problems, and the work needs it whole.
    #[error("logic-model.md: {} invalid {}; nothing was changed{}", problems.len(), if problems.len() == 1 { "line" } else { "lines" }, list(problems))]
    LogicModelInvalid {
        /// Every problem, with its line.
        problems: Vec<Problem>,
    },

    /// A configuration with no evidence to unlink.
    #[error("{cmo} has no evidence linked to it: nothing to unlink")]
    NothingLinked {
        /// The configuration.
        cmo: String,
    },

    /// A coding that is not linked to the configuration named.
    #[error("coding '{coding}' is not linked to {cmo}; its links: {}", links.join(", "))]
    NotLinked {
        /// The coding id as given.
        coding: String,
        /// The configuration.
        cmo: String,
        /// The codings linked to it.
        links: Vec<String>,
    },

    /// A speaker pattern (a glob) that cannot be matched.
    #[error("'{glob}' is not a usable speaker pattern: {message}")]
    BadSpeakerPattern {
        /// The pattern as given.
        glob: String,
        /// Why.
        message: String,
    },

    /// The pseudonym key's names cannot be matched (too many or too long).
    #[error("{}: the names cannot be matched: {message}", path.display())]
    KeyUnusable {
        /// The key file.
        path: PathBuf,
        /// Why.
        message: String,
    },

    /// The project has no case data, and the work needs it.
    #[error("this project has no case data: write {} with a header row starting with `case` and one row per case, or name the file under [cases] in realist.toml", file.display())]
    NoCaseData {
        /// Where the case file is expected.
        file: PathBuf,
    },

    /// Cells of numeric case columns that are not numbers.
    #[error("{}: {}", file.display(), if *count == 1 { "1 value in a column of numbers is not a number (see the warning above): fix it, or leave the cell empty for a missing value".to_string() } else { format!("{count} values in columns of numbers are not numbers (see the warnings above): fix them, or leave the cells empty for missing values") })]
    CaseValuesNotNumbers {
        /// The case file.
        file: PathBuf,
        /// How many cells.
        count: usize,
    },

    /// `privacy check` found words that may be names.
    #[error("{} that may be names ({}) in {} of {scanned}: {}; add real names to pseudonyms.csv (name,pseudonym) and words that are not names to privacy-allow.txt", crate::text::plural(*found, "word", "words"), crate::text::plural(words.len(), "different word", "different words"), crate::text::plural(*documents, "document", "documents"), words.join(", "))]
    NamesFound {
        /// Findings (a word in a place).
        found: usize,
        /// The distinct words.
        words: Vec<String>,
        /// Documents they were found in.
        documents: usize,
        /// What was scanned ("12 quotes from 3 documents").
        scanned: String,
    },

    /// The project has no logic model, and the work needs one.
    #[error("this project has no logic model: write logic-model.md at the project root")]
    NoLogicModel,

    /// A comparison or reconciliation with fewer than two coders.
    #[error("{task} needs at least two coders")]
    TooFewCoders {
        /// What needs them: `comparing`, `reconciling`.
        task: &'static str,
    },

    /// A code was to be searched for by its keywords, and it has none.
    #[error("code '{code}' has no Keywords in the codebook ({}:{line})", file.display())]
    NoKeywords {
        /// The code's path.
        code: String,
        /// The codebook file that defines it.
        file: PathBuf,
        /// Its heading's line.
        line: usize,
    },

    /// An output file that is a folder.
    #[error("{} is a folder; give a file name, such as {}", path.display(), path.join("quotes.md").display())]
    OutputIsFolder {
        /// The folder.
        path: PathBuf,
    },

    /// An output file that would replace the project's own data.
    #[error("{} would replace {what}; write the export outside the project's own files and folders", path.display())]
    OutputGuarded {
        /// The path asked for.
        path: PathBuf,
        /// What it would replace ("the pseudonym key", …).
        what: &'static str,
    },

    /// A file to write that is a kind of file realist never writes to.
    #[error("{} is a {kind}, not a file; write to a file (or a FIFO, a terminal, /dev/stdout or /dev/null)", path.display())]
    NotAFile {
        /// The path asked for.
        path: PathBuf,
        /// What it is: "block device", "socket", "folder", …
        kind: &'static str,
    },

    /// A document filter that is not `KEY=VALUE[,VALUE…]`.
    #[error(
        "'{given}' is not KEY=VALUE (for example site=Northbrook, or method=interview,focus-group)"
    )]
    BadFilter {
        /// The filter as given.
        given: String,
    },

    /// An attribute no document of the corpus has.
    #[error("no document has the attribute '{key}'{}; attributes in this corpus: {}", did_you_mean(suggestions), if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    UnknownAttribute {
        /// The attribute asked for.
        key: String,
        /// Near attributes, best first.
        suggestions: Vec<String>,
        /// The attributes there are.
        known: Vec<String>,
    },

    /// A grouping of quotes that is not `code`, `cmo`, `doc` or `attribute:KEY`.
    #[error(
        "cannot group by '{given}'; use code, cmo, doc or attribute:KEY (for example attribute:site)"
    )]
    BadGrouping {
        /// The grouping as given.
        given: String,
    },

    /// An export format realist does not write.
    #[error("unknown format '{given}'; use md, csv, html or json")]
    UnknownFormat {
        /// The format as given.
        given: String,
    },

    /// A coding target that is neither `DOC:TURN`, `DOC:FIRST-LAST` nor
    /// `DOC@START-END`.
    #[error(
        "target '{target}' names no turn or offsets; write DOC:TURN, DOC:TURN-TURN or DOC@START-END"
    )]
    UnreadableTarget {
        /// The target as given.
        target: String,
    },

    /// A coding target (`DOC:TURN`, `DOC@START-END`, a quote) that names no
    /// text to code.
    #[error(transparent)]
    Target(#[from] TargetProblem),

    /// A name that cannot be a coder's (it becomes a file name).
    #[error(
        "coder name '{name}' {problem}; a coder name becomes the file codings/<name>.jsonl, so use letters, digits, '.', '_' or '-' (for example: ana, ben.k, coder-2)"
    )]
    BadCoderName {
        /// The name.
        name: String,
        /// What is wrong with it.
        problem: String,
    },

    /// A coding id too short to look up.
    #[error("id '{id}' is too short: give the whole id or at least its first 4 characters")]
    IdTooShort {
        /// The id as given.
        id: String,
    },

    /// A coding id prefix that more than one coding has.
    #[error("id '{id}' matches {} codings: {}; give more of the id", matches.len(), matches.join(", "))]
    AmbiguousId {
        /// The id as given.
        id: String,
        /// The codings it matches (id, and coder where known).
        matches: Vec<String>,
    },

    /// An audit trail entry without the name of who made it.
    #[error("say who is {task}, for the audit trail: the name is empty")]
    NoOne {
        /// What they are doing: `linking`, `deciding`.
        task: &'static str,
    },

    /// A folder named as a project has no `realist.toml`.
    #[error("{} is not a realist project (it has no realist.toml)", root.display())]
    NotAProject {
        /// The folder.
        root: PathBuf,
    },

    /// `init` in a folder that already is a project.
    #[error("{} already exists: this folder is already a realist project", config.display())]
    AlreadyAProject {
        /// Its settings file.
        config: PathBuf,
    },

    /// More coders than a comparison can hold.
    #[error("realist compares at most 63 coders")]
    TooManyCoders,

    /// Codings of the compared documents whose anchors are stale.
    #[error("{count} coding{} in the compared documents {} (first: {first_id} of {first_coder} in {first_doc}: {first_reason}){}", if *count == 1 { "" } else { "s" }, if *count == 1 { "is stale" } else { "are stale" }, if *fixable { "; run `realist check` to re-anchor them, then compare" } else { "; `realist check` cannot place these: restore the text or document, or remove the coding with `realist code rm ID` (`realist codings` marks them [stale]), then compare" })]
    StaleCodings {
        /// How many.
        count: usize,
        /// The first one's id.
        first_id: String,
        /// Its coder.
        first_coder: String,
        /// Its document.
        first_doc: String,
        /// Why it is stale.
        first_reason: String,
        /// True when `realist check` can re-anchor them all.
        fixable: bool,
    },

    /// A decision the consensus's trail does not have.
    #[error("no decision '{id}' in {}{}", trail.display(), match (first, last) { (Some(a), Some(b)) => format!(" (it has {a} to {b})"), _ => " (it has none yet)".to_string() })]
    UnknownDecision {
        /// The id asked for.
        id: String,
        /// The trail.
        trail: PathBuf,
        /// Its first decision.
        first: Option<String>,
        /// Its last decision.
        last: Option<String>,
    },

    /// A decision that was withdrawn (its passage changed).
    #[error("decision {id} was withdrawn on {at}: {reason}")]
    DecisionWithdrawn {
        /// The decision.
        id: String,
        /// When.
        at: String,
        /// Why.
        reason: String,
    },

    /// A decision that says to keep nobody's version by name.
    #[error("say which version to keep: a coder's name, both or neither")]
    KeepWhom,

    /// A coder to keep who has no version in the decision.
    #[error("'{coder}' is not one of the coders of {decision} ({}); keep one of them, both, or neither", coders.join(", "))]
    NotACoderOf {
        /// The coder named.
        coder: String,
        /// The decision.
        decision: String,
        /// Its coders.
        coders: Vec<String>,
    },

    /// A kept version whose coding cannot be found any more.
    #[error(
        "{coder}'s coding {id} in {doc} is no longer where {decision} found it and cannot be found by its id"
    )]
    VersionLost {
        /// The coder.
        coder: String,
        /// The coding's id.
        id: String,
        /// The document.
        doc: String,
        /// The decision.
        decision: String,
        /// The consensus.
        consensus: String,
    },

    /// A new consensus without the coders it reconciles.
    #[error("consensus '{name}' does not exist yet: name the coders to reconcile")]
    ConsensusNeedsCoders {
        /// The consensus.
        name: String,
    },

    /// Other coders than those a consensus reconciles.
    #[error("consensus '{name}' reconciles {}, not {}", before.join(","), given.join(","))]
    ConsensusOfOthers {
        /// The consensus.
        name: String,
        /// The coders it reconciles.
        before: Vec<String>,
        /// The coders given now.
        given: Vec<String>,
    },

    /// A consensus named like one of the coders it would reconcile.
    #[error("the consensus coder '{name}' must not be one of the coders reconciled")]
    ConsensusIsACoder {
        /// The name.
        name: String,
    },

    /// Another unit than the one a consensus was reconciled by.
    #[error("consensus '{name}' was reconciled by {was}; passages must keep their unit")]
    ConsensusUnit {
        /// The consensus.
        name: String,
        /// Its unit.
        was: String,
    },

    /// A consensus named like a coder with codings of their own.
    #[error("coder '{name}' already has codings of their own ({})", file.display())]
    ConsensusHasCodings {
        /// The name.
        name: String,
        /// The coder's file.
        file: PathBuf,
    },

    /// A worker thread of a parallel pass failed.
    #[error("a worker thread failed")]
    WorkerFailed,

    /// A check (`codebook check`, `logic-model check`) found problems, each
    /// already reported.
    #[error("the {check} check found {}", crate::text::plural(*problems, "problem", "problems"))]
    CheckFailed {
        /// Which check.
        check: String,
        /// How many problems (errors, not notes).
        problems: usize,
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

    /// A front end's argument that does not work with another (a flag
    /// combination); the library itself never returns it.
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
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|w| format!("\n  {w}")).collect()
}

fn did_you_mean(suggestions: &[String]) -> String {
    crate::suggest::did_you_mean(suggestions)
}

fn listed(what: &str, names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("; {what}: {}", names.join(", "))
    }
}
