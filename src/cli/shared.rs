//! Helpers shared by the commands that read or write codings.

use std::collections::HashMap;

use realist::agreement::compare::{LeftOut, Unit};
use realist::coding::{self, CoderFile, Coding, store};
use realist::{Codebook, Index};

use super::output::{DIM, Out, plural};

/// Returns the project's codebook.
pub fn codebook(index: &Index) -> realist::Result<Codebook> {
    Codebook::load(&index.project().codebooks_dir())
}

/// Returns the path of the code named `name`: a code of the codebook, or a
/// code missing from it that `files` use (so such codings can still be
/// listed and compared); otherwise the codebook's unknown-code error.
pub fn resolve_code(book: &Codebook, files: &[CoderFile], name: &str) -> realist::Result<String> {
    match book.code(name) {
        Ok(code) => Ok(code.path.clone()),
        Err(_)
            if files
                .iter()
                .any(|f| f.codings.iter().any(|c| c.code == name)) =>
        {
            Ok(name.to_string())
        }
        Err(e) => Err(e),
    }
}

/// Returns the current time for a coding's `created` field.
pub fn now() -> String {
    coding::timestamp(std::time::SystemTime::now())
}

/// Returns the coder files of `coders` (all coders when empty), erroring on
/// a coder with no file.
pub fn coder_files(index: &Index, coders: &[String]) -> realist::Result<Vec<CoderFile>> {
    let project = index.project();
    let all = store::coders(project)?;
    if coders.is_empty() {
        return store::load_all(project);
    }
    let mut out = Vec::new();
    for c in coders {
        coding::check_coder(c)?;
        if !all.contains(c) {
            let near = realist::suggest::nearest(c, all.iter().map(String::as_str));
            let known = if all.is_empty() {
                "nobody has coded yet".to_string()
            } else {
                format!("coders: {}", all.join(", "))
            };
            let mean = match near.first() {
                Some(n) => format!("did you mean '{n}'? "),
                None => String::new(),
            };
            return Err(realist::Error::Invalid(format!(
                "no codings by coder '{c}' (no file codings/{c}.jsonl); {mean}{known}"
            )));
        }
        if !out.iter().any(|f: &CoderFile| &f.coder == c) {
            out.push(store::load(project, c)?);
        }
    }
    Ok(out)
}

/// Warns on stderr about codings whose anchors are stale, and returns the
/// reason per (coder, id).
pub fn warn_stale(
    out: &Out,
    index: &Index,
    files: &[CoderFile],
) -> realist::Result<HashMap<(String, String), String>> {
    let stale = realist::anchor::stale(index, files)?;
    if !stale.is_empty() {
        let docs: std::collections::BTreeSet<&str> = stale.iter().map(|s| s.doc.as_str()).collect();
        let shown: Vec<String> = stale
            .iter()
            .take(5)
            .map(|s| format!("\n  {} ({}, {}): {}", s.id, s.coder, s.doc, s.reason))
            .collect();
        let more = if stale.len() > 5 { "\n  …" } else { "" };
        out.warn(&format!(
            "{} in {} no longer match their text:{}{more}\n  run `realist check` to re-anchor them",
            plural(stale.len(), "coding", "codings"),
            plural(docs.len(), "document", "documents"),
            shown.join("")
        ));
    }
    Ok(stale
        .into_iter()
        .map(|s| ((s.coder, s.id), s.reason))
        .collect())
}

pub use realist::text::preview;

pub use realist::index::Transcripts;

/// Formats a coding on one line: id, coder, place, code and quote.
pub fn coding_line(out: &Out, coder: &str, c: &Coding, turn: Option<usize>, stale: bool) -> String {
    let place = match turn {
        Some(n) => format!("{}:{n}", c.doc),
        None => c.doc.clone(),
    };
    let mark = if stale { " [stale]" } else { "" };
    format!(
        "{}  {coder}  {place} @{}-{}  {}{mark}  {}",
        out.paint(DIM, &c.id),
        c.start,
        c.end,
        c.code,
        out.paint(DIM, &format!("“{}”", preview(&c.quote, 60)))
    )
}

/// The unit of comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnitArg {
    /// A speaker turn: its label and all its paragraphs.
    Turn,
    /// A block of the canonical text between blank lines.
    Paragraph,
    /// A sentence within a paragraph (speaker labels left out).
    Sentence,
    /// Every code point of the canonical text, separators included.
    Char,
}

impl From<UnitArg> for Unit {
    fn from(u: UnitArg) -> Unit {
        match u {
            UnitArg::Turn => Unit::Turn,
            UnitArg::Paragraph => Unit::Paragraph,
            UnitArg::Sentence => Unit::Sentence,
            UnitArg::Char => Unit::Char,
        }
    }
}

/// Returns the codes to compare: `names` resolved to paths (duplicates
/// dropped), or when empty every code the coders used, in codebook order
/// then codes missing from the codebook.
pub fn compared_codes(
    index: &Index,
    files: &[CoderFile],
    names: &[String],
) -> realist::Result<Vec<String>> {
    let book = codebook(index)?;
    if names.is_empty() {
        return Ok(book.used_in_order(&realist::codebook::Usage::of(store::code_uses(files))));
    }
    let mut codes = Vec::new();
    for c in names {
        let path = resolve_code(&book, files, c)?;
        if !codes.contains(&path) {
            codes.push(path);
        }
    }
    Ok(codes)
}

/// Warns about documents left out of a comparison because not every coder coded them.
pub fn warn_left_out(out: &Out, left_out: &[LeftOut]) {
    if left_out.is_empty() {
        return;
    }
    let list: Vec<String> = left_out
        .iter()
        .map(|l| format!("{} (coded by {})", l.doc, l.coded_by.join(", ")))
        .collect();
    out.warn(&format!(
        "{} not coded by every coder, left out: {}",
        if left_out.len() == 1 {
            "1 document is"
        } else {
            "some documents are"
        },
        list.join("; ")
    ));
}

/// Returns the consensus to work on: `given`, else the project's only one.
pub fn consensus_name(index: &Index, given: Option<&str>) -> realist::Result<String> {
    let names = realist::consensus::names(index.project())?;
    match given {
        Some(n) if names.iter().any(|x| x == n) => Ok(n.to_string()),
        Some(n) => {
            let near = realist::suggest::nearest(n, names.iter().map(String::as_str));
            Err(realist::Error::Invalid(format!(
                "no consensus '{n}' (no file consensus/{n}.jsonl){}",
                match near.first() {
                    Some(x) => format!("; did you mean '{x}'?"),
                    None if names.is_empty() => "; create one with `realist reconcile --coders A,B --into NAME`".into(),
                    None => format!("; consensus coders: {}", names.join(", ")),
                }
            )))
        }
        None => match names.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(realist::Error::Invalid(
                "this project has no consensus yet; create one with `realist reconcile --coders A,B --into NAME`".into(),
            )),
            many => Err(realist::Error::Invalid(format!(
                "this project has several consensus coders ({}); name one with --consensus NAME",
                many.join(", ")
            ))),
        },
    }
}

/// The flags every comparison of coders takes (`agree`, `disagreements`).
#[derive(Debug, clap::Args)]
pub struct Comparison {
    /// The coders to compare (NAME,NAME[,NAME…]).
    #[arg(long, value_name = "NAME", value_delimiter = ',', required = true)]
    pub coders: Vec<String>,

    /// The unit of comparison.
    #[arg(long, value_name = "UNIT", default_value = "turn")]
    pub unit: UnitArg,

    /// Only these codes (exact paths or unique names, CODE,CODE…); default: every code the coders used.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub codes: Vec<String>,

    /// Only documents whose attribute KEY has VALUE (any of VALUE,VALUE…); repeat to require several.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<realist::Filter>,
}

impl Comparison {
    /// Returns the coders' files and the codes to compare, after checking
    /// that there are two coders and that the filters name known attributes.
    pub fn load(&self, index: &Index) -> realist::Result<(Vec<CoderFile>, Vec<String>)> {
        if self.coders.len() < 2 {
            return Err(realist::Error::Invalid(
                "comparing needs at least two coders: --coders A,B".into(),
            ));
        }
        let files = coder_files(index, &self.coders)?;
        for f in &self.filters {
            f.check_key(index.attribute_keys())?;
        }
        let codes = compared_codes(index, &files, &self.codes)?;
        Ok((files, codes))
    }
}

/// Prints a check's findings ("error:"/"note:" lines, or JSON Lines), then
/// a summary line ("CHECKED checked: N problems, M notes") unless `json`;
/// fails, naming the check, when any finding is an error.
pub fn print_problems(
    out: &Out,
    problems: &[realist::error::Problem],
    json: bool,
    checked: &str,
    check: &str,
) -> realist::Result<()> {
    for p in problems {
        if json {
            out.line(&realist::Record::Problem(p).to_json())?;
        } else {
            let label = if p.error { "error" } else { "note" };
            out.line(&format!("{label}: {p}"))?;
        }
    }
    let errors = problems.iter().filter(|p| p.error).count();
    if !json {
        out.line(&out.paint(
            DIM,
            &format!(
                "{checked} checked: {}, {}",
                plural(errors, "problem", "problems"),
                plural(problems.len() - errors, "note", "notes")
            ),
        ))?;
    }
    out.flush()?;
    if errors > 0 {
        return Err(realist::Error::Invalid(format!(
            "the {check} check found {}",
            plural(errors, "problem", "problems")
        )));
    }
    Ok(())
}

/// Who did something and why, for an audit trail (`decide`, `link`, `unlink`).
#[derive(Debug, clap::Args)]
pub struct Audit {
    /// Who (one or more people, as you want it recorded in the audit trail).
    #[arg(long, env = "REALIST_CODER", value_name = "NAME", required = true)]
    pub by: String,

    /// Why: recorded in the audit trail.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// The flags that choose which coded quotes an export holds (`export
/// quotes`, `privacy check`).
#[derive(Debug, clap::Args)]
pub struct QuoteFlags {
    /// Only these coders' codings (NAME[,NAME…]); default: every coder.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub coder: Vec<String>,

    /// Only codings with these codes or their children (exact paths or unique names, CODE,CODE…).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub codes: Vec<String>,

    /// Only documents whose attribute KEY has VALUE (any of VALUE,VALUE…); repeat to require several.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<realist::Filter>,
}

impl QuoteFlags {
    /// Returns the chosen coders' files and the selection, after checking
    /// the codes and the filters' attributes.
    pub fn load(
        &self,
        index: &Index,
        book: &Codebook,
    ) -> realist::Result<(Vec<CoderFile>, realist::quotes::Selection)> {
        let files = coder_files(index, &self.coder)?;
        for f in &self.filters {
            f.check_key(index.attribute_keys())?;
        }
        let mut codes = Vec::new();
        for c in &self.codes {
            let path = resolve_code(book, &files, c)?;
            if !codes.contains(&path) {
                codes.push(path);
            }
        }
        Ok((
            files,
            realist::quotes::Selection {
                codes,
                filters: self.filters.clone(),
            },
        ))
    }
}

/// Returns the project's name for exports: `[project] name` in
/// realist.toml, else the project folder's name.
pub fn project_name(index: &Index) -> String {
    let project = index.project();
    project.config.name.clone().unwrap_or_else(|| {
        project
            .root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "realist project".into())
    })
}

/// Writes an export to `path` atomically, or to stdout. A path that is a
/// folder, or that would replace the project's own data (the key, the
/// settings, a transcript, a coder file, …), is refused.
pub fn write_export(
    out: &Out,
    index: &Index,
    path: Option<&std::path::Path>,
    text: &str,
) -> realist::Result<()> {
    let Some(path) = path else {
        out.write(text)?;
        return out.flush();
    };
    if path.is_dir() {
        return Err(realist::Error::Invalid(format!(
            "--out {} is a folder; give a file name, such as {}",
            path.display(),
            path.join("quotes.md").display()
        )));
    }
    if let Some(what) = index.project().guarded(path) {
        return Err(realist::Error::Invalid(format!(
            "--out {} would replace {what}; write the export outside the project's own files and folders",
            path.display()
        )));
    }
    realist::files::write_atomic(path, text.as_bytes())
}

/// Warns when the pseudonym key is in a git work tree but not git-ignored
/// (projects made before `realist init` ignored it).
pub fn warn_key_not_ignored(out: &Out, index: &Index, key: &realist::pseudonyms::Pseudonyms) {
    let root = &index.project().root;
    if key.path.is_none() || !root.ancestors().any(|d| d.join(".git").exists()) {
        return;
    }
    let ignored = std::fs::read_to_string(root.join(".gitignore")).is_ok_and(|t| {
        t.lines()
            .any(|l| l.trim().trim_start_matches(['!', '/']) == realist::pseudonyms::KEY_FILE)
    });
    if !ignored {
        out.warn(&format!(
            "{} is not in .gitignore: add the line /{} so the re-identification key is never committed",
            realist::pseudonyms::KEY_FILE,
            realist::pseudonyms::KEY_FILE
        ));
    }
}
