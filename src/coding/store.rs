//! Coder files: `codings/<coder>.jsonl`, read whole, written whole.
//!
//! Every change goes through [`update`], which holds an exclusive lock on
//! `.realist/locks/<coder>.lock` while it reads the file, applies the change
//! and writes it back atomically, so two `realist` processes coding as the
//! same coder at once both keep their work (the second waits for the first).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Coding, check_coder, coding_id};
use crate::error::{Error, Kind, Problem, Result};
use crate::files::{Lock, write_atomic};
use crate::project::Project;
use crate::text::Span;

/// One coder's codings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoderFile {
    /// The coder's name (the file's stem).
    pub coder: String,
    /// The file, relative to the project root.
    pub path: PathBuf,
    /// The codings, in file order (sorted on write).
    pub codings: Vec<Coding>,
    /// The documents the coder marked finished (`codings/<coder>.done`);
    /// `None` when they marked none.
    pub finished: Option<std::collections::BTreeSet<String>>,
}

impl CoderFile {
    /// Returns the documents this coder counts as done: those marked
    /// finished when there are marks, else those with codings.
    pub fn documents_done(&self) -> std::collections::BTreeSet<&str> {
        match &self.finished {
            Some(f) => f.iter().map(String::as_str).collect(),
            None => self.codings.iter().map(|c| c.doc.as_str()).collect(),
        }
    }
}

/// Returns the coder file's path relative to the project root.
fn relative_path(coder: &str) -> PathBuf {
    Path::new("codings").join(format!("{coder}.jsonl"))
}

/// Returns the names of the project's coders (`codings/*.jsonl`), sorted.
pub fn coders(project: &Project) -> Result<Vec<String>> {
    jsonl_names(&project.codings_dir())
}

/// Returns the stems of the `*.jsonl` files in `dir` that are valid coder
/// names, sorted; none when `dir` does not exist.
pub fn jsonl_names(dir: &Path) -> Result<Vec<String>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl") && p.is_file())
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .filter(|name| check_coder(name).is_ok())
        .collect();
    out.sort();
    Ok(out)
}

/// Reads one coder's file; an empty file when it does not exist yet.
pub fn load(project: &Project, coder: &str) -> Result<CoderFile> {
    check_coder(coder)?;
    let rel = relative_path(coder);
    let full = project.root.join(&rel);
    let mut file = match std::fs::read_to_string(&full) {
        Ok(text) => CoderFile::parse(coder, &rel, &text)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => CoderFile {
            coder: coder.to_string(),
            path: rel,
            ..CoderFile::default()
        },
        Err(e) => return Err(Error::io(full, e)),
    };
    file.finished = super::finished::read(project, coder)?;
    Ok(file)
}

/// Returns `(coder, code)` for every coding of `files`, the codebook's
/// [`Usage`](crate::codebook::Usage) of them.
pub fn code_uses(files: &[CoderFile]) -> impl Iterator<Item = (&str, &str)> {
    files.iter().flat_map(|f| {
        f.codings
            .iter()
            .map(|c| (f.coder.as_str(), c.code.as_str()))
    })
}

/// Reads every coder's file, in coder name order.
pub fn load_all(project: &Project) -> Result<Vec<CoderFile>> {
    coders(project)?.iter().map(|c| load(project, c)).collect()
}

/// Returns the coding with id `wanted` (or a unique prefix of at least 4
/// characters) in `files`, with its coder.
pub fn find<'a>(files: &'a [CoderFile], wanted: &str) -> Result<(&'a str, &'a Coding)> {
    let wanted = wanted.trim().to_lowercase();
    let found: Vec<(&str, &Coding)> = files
        .iter()
        .flat_map(|f| f.codings.iter().map(move |c| (f.coder.as_str(), c)))
        .filter(|(_, c)| c.id == wanted || (wanted.len() >= 4 && c.id.starts_with(&wanted)))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        many if many.iter().any(|(_, c)| c.id == wanted) => Ok(many
            .iter()
            .find(|(_, c)| c.id == wanted)
            .copied()
            .unwrap_or(many[0])),
        [] if wanted.len() < 4 => Err(Error::IdTooShort { id: wanted }),
        [] => Err(Error::UnknownCoding {
            suggestions: crate::suggest::nearest(
                &wanted,
                files
                    .iter()
                    .flat_map(|f| f.codings.iter().map(|c| c.id.as_str())),
            ),
            id: wanted,
        }),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(coder, c)| format!("{} ({coder})", c.id))
                .collect();
            Err(Error::AmbiguousId {
                id: wanted,
                matches: list,
            })
        }
    }
}

/// Takes the exclusive lock `.realist/locks/<name>.lock`, waiting for
/// another process that holds it.
pub fn lock(project: &Project, name: &str) -> Result<Lock> {
    let locks = project.state_dir().join("locks");
    std::fs::create_dir_all(&locks).map_err(|e| Error::io(&locks, e))?;
    crate::files::lock(&locks.join(format!("{name}.lock")))
}

/// Locks `coder`'s file, reads it, lets `change` modify it and writes it back
/// atomically (sorted) when `change` says it changed something (the second
/// value it returns). Nothing is written when `change` fails. Returns the
/// change's result and the file as it now is.
pub fn update<T>(
    project: &Project,
    coder: &str,
    change: impl FnOnce(&mut CoderFile) -> Result<(T, bool)>,
) -> Result<(T, CoderFile)> {
    check_coder(coder)?;
    let _lock = lock(project, coder)?;

    let mut file = load(project, coder)?;
    let (result, changed) = change(&mut file)?;
    if changed {
        file.sort();
        let dir = project.codings_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        write_atomic(&project.root.join(&file.path), file.to_jsonl().as_bytes())?;
    }
    Ok((result, file))
}

/// What adding codings to a coder's file did.
#[derive(Debug, Clone)]
pub struct Added {
    /// The codings added, with their final ids.
    pub added: Vec<Coding>,
    /// Spans skipped because a placed coding with the same code covers them.
    pub skipped: usize,
    /// The coder's file as it is now (or would be, in a dry run).
    pub file: CoderFile,
}

/// Adds `codings` to `coder`'s file: under its lock, skipping spans a
/// placed coding with the same code already covers (only the same span,
/// when `nested` codings are kept: see [`CoderFile::add_all_keeping`]),
/// and writing the file
/// (sorted, atomically) only when something was added. A dry run reads
/// the file and writes nothing. This is the one way codings are saved.
pub fn add(
    project: &Project,
    coder: &str,
    codings: Vec<Coding>,
    nested: bool,
    dry_run: bool,
) -> Result<Added> {
    let apply = |file: &mut CoderFile| {
        let (added, skipped) = file.add_all_keeping(codings, nested);
        let changed = !added.is_empty();
        Ok(((added, skipped), changed))
    };
    let ((added, skipped), file) = if dry_run {
        let mut file = load(project, coder)?;
        (apply(&mut file)?.0, file)
    } else {
        update(project, coder, apply)?
    };
    Ok(Added {
        added,
        skipped,
        file,
    })
}

impl CoderFile {
    /// Parses the text of a coder file, reporting every malformed line; a
    /// byte order mark at its start (some Windows editors write one) is
    /// skipped.
    pub fn parse(coder: &str, path: &Path, text: &str) -> Result<CoderFile> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut codings = Vec::new();
        let mut problems = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let mut problem =
                |message: String| problems.push(Problem::error(Kind::Line, path, Some(n), message));
            let c: Coding = match serde_json::from_str(line) {
                Ok(c) => c,
                Err(e) => {
                    problem(json_problem(&e));
                    continue;
                }
            };
            if c.end <= c.start {
                problem(format!(
                    "coding {} has end {} not after start {}",
                    c.id, c.end, c.start
                ));
            } else if c.doc.is_empty() || c.code.is_empty() || c.id.is_empty() {
                problem("coding has an empty id, doc or code".to_string());
            } else if let Some(first) = ids.insert(c.id.clone(), n) {
                problem(format!("coding id {} is also used on line {first}", c.id));
            } else {
                codings.push(c);
            }
        }
        if !problems.is_empty() {
            return Err(Error::Lines {
                path: path.to_path_buf(),
                problems,
                hint: "fix the lines in a text editor (each line is one JSON object, see ARCHITECTURE.md), or restore the file from version control".into(),
            });
        }
        Ok(CoderFile {
            coder: coder.to_string(),
            path: path.to_path_buf(),
            codings,
            finished: None,
        })
    }

    /// Returns the file's text: one JSON object per line, in stable order.
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        for c in &self.codings {
            // A plain struct of strings and numbers always serializes.
            out.push_str(&serde_json::to_string(c).unwrap_or_default());
            out.push('\n');
        }
        out
    }

    /// Sorts the codings by document, start, code, end and id.
    pub fn sort(&mut self) {
        self.codings.sort_by(|a, b| {
            (&a.doc, a.start, &a.code, a.end, &a.id).cmp(&(&b.doc, b.start, &b.code, b.end, &b.id))
        });
    }

    /// Adds each of `new` unless a placed coding with the same code (already
    /// in the file or added before it) covers its span; gives a coding a
    /// fresh id if its id is taken. Returns the codings added (with their
    /// final ids) and how many were skipped.
    pub fn add_all(&mut self, new: Vec<Coding>) -> (Vec<Coding>, usize) {
        self.add_all_keeping(new, false)
    }

    /// [`CoderFile::add_all`], keeping a coding nested inside another of the
    /// same code when `nested` (another tool's coding, imported): only a
    /// coding of exactly the same span is skipped then.
    pub fn add_all_keeping(&mut self, new: Vec<Coding>, nested: bool) -> (Vec<Coding>, usize) {
        let mut spans: HashMap<(String, String), Vec<Span>> = HashMap::new();
        for c in self.codings.iter().filter(|c| c.unplaced.is_none()) {
            spans
                .entry((c.doc.clone(), c.code.clone()))
                .or_default()
                .push(c.span());
        }
        let mut ids: std::collections::HashSet<String> =
            self.codings.iter().map(|c| c.id.clone()).collect();
        let (mut added, mut skipped) = (Vec::new(), 0);
        for mut c in new {
            let span = c.span();
            let taken = spans.entry((c.doc.clone(), c.code.clone())).or_default();
            let covered = |t: &Span| {
                if nested {
                    *t == span
                } else {
                    t.start <= span.start && span.end <= t.end
                }
            };
            if taken.iter().any(covered) {
                skipped += 1;
                continue;
            }
            taken.push(span);
            let mut salt = 0;
            while ids.contains(&c.id) {
                salt += 1;
                c.id = coding_id(&self.coder, &c.doc, span, &c.code, salt);
            }
            ids.insert(c.id.clone());
            added.push(c);
        }
        self.codings.extend(added.iter().cloned());
        (added, skipped)
    }
}

/// Returns serde_json's message without its "at line 1 column N" tail, with
/// the column kept.
pub fn json_problem(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    format!("{msg} (column {})", e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"id":"aaaaaaaaaaaa","doc":"d","start":0,"end":4,"code":"Speed","quote":"Fast","before":"","after":"","created":"2026-01-01T00:00:00Z"}"#;

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let text = format!(
            "{LINE}\nnot json\n\n{}\n{LINE}\n{}\n",
            LINE.replace("\"end\":4", "\"end\":0"),
            LINE.replace("\"quote\"", "\"qoute\"")
        );
        let e = CoderFile::parse("ana", Path::new("codings/ana.jsonl"), &text).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("codings/ana.jsonl: 4 invalid lines"),
            "{msg}"
        );
        assert!(msg.contains("codings/ana.jsonl:2: expected ident"), "{msg}");
        assert!(
            msg.contains("codings/ana.jsonl:4: coding aaaaaaaaaaaa has end 0 not after start 0"),
            "{msg}"
        );
        assert!(
            msg.contains("codings/ana.jsonl:5: coding id aaaaaaaaaaaa is also used on line 1"),
            "{msg}"
        );
        assert!(
            msg.contains("codings/ana.jsonl:6: unknown field `qoute`"),
            "{msg}"
        );
    }

    #[test]
    fn lines_round_trip_in_stable_order() {
        let later = LINE
            .replace("aaaaaaaaaaaa", "bbbbbbbbbbbb")
            .replace("\"start\":0", "\"start\":2");
        let mut f = CoderFile::parse("ana", Path::new("x"), &format!("{later}\n{LINE}\n")).unwrap();
        f.sort();
        assert_eq!(f.to_jsonl(), format!("{LINE}\n{later}\n"));
        let again = CoderFile::parse("ana", Path::new("x"), &f.to_jsonl()).unwrap();
        assert_eq!(again, f);
    }
}
