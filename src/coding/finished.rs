//! Document status: the documents a coder has finished.
//!
//! Coding a transcript ends with a decision the codings cannot show: "I
//! have read it all", whether or not anything in it needed a code. A coder
//! marks a document finished (`realist done DOC --coder NAME`), and undoes
//! it the same way. The marks are a plain file beside the coder's codings,
//! `codings/<coder>.done`: one document id per line, sorted, so it diffs
//! and merges like the coder file. Once a coder has marks, comparisons
//! count a document of theirs when they finished it, codings or not (a
//! finished document without codings means "read, nothing to code");
//! without any marks, a coder's documents are those they coded.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::store;
use crate::error::{Error, Result};
use crate::files::write_atomic;
use crate::project::Project;

/// Returns the marks file of `coder`, relative to the project root.
pub fn relative_path(coder: &str) -> PathBuf {
    Path::new(crate::project::CODINGS_DIR).join(format!("{coder}.done"))
}

/// Reads the documents `coder` finished; `None` when they marked none (no
/// file, or an empty one).
pub fn read(project: &Project, coder: &str) -> Result<Option<BTreeSet<String>>> {
    let path = project.root.join(relative_path(coder));
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let docs = parse(&text);
    Ok((!docs.is_empty()).then_some(docs))
}

/// Returns the ids of a marks file's text: one per line, blank lines and
/// `#` comments left out, a byte order mark allowed.
fn parse(text: &str) -> BTreeSet<String> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// What marking documents did (`"type":"finished"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Marked {
    /// The coder.
    pub coder: String,
    /// True when the documents were marked finished, false when unmarked.
    pub finished: bool,
    /// Documents whose mark changed.
    pub changed: Vec<String>,
    /// Documents that were already so.
    pub already: Vec<String>,
    /// How many documents the coder has finished now.
    pub total: usize,
}

/// Marks `docs` finished for `coder` (or, with `finished` false, not
/// finished), under the coder's lock, writing the marks file atomically.
/// A coder who has no coder file yet gets an empty one, so that they count
/// among the project's coders.
pub fn mark(project: &Project, coder: &str, docs: &[String], finished: bool) -> Result<Marked> {
    super::check_coder(coder)?;
    let _lock = store::lock(project, coder)?;
    let mut set = read(project, coder)?.unwrap_or_default();
    let mut out = Marked {
        coder: coder.to_string(),
        finished,
        ..Marked::default()
    };
    for d in docs {
        let changed = if finished {
            set.insert(d.clone())
        } else {
            set.remove(d)
        };
        if changed {
            out.changed.push(d.clone());
        } else if !out.already.contains(d) {
            out.already.push(d.clone());
        }
    }
    out.total = set.len();
    if out.changed.is_empty() {
        return Ok(out);
    }
    let dir = project.codings_dir();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut text =
        format!("# Documents {coder} has finished coding (realist done), one per line.\n");
    for d in &set {
        text.push_str(d);
        text.push('\n');
    }
    write_atomic(&project.root.join(relative_path(coder)), text.as_bytes())?;
    let coder_file = project
        .root
        .join(Path::new(crate::project::CODINGS_DIR).join(format!("{coder}.jsonl")));
    if !coder_file.exists() {
        write_atomic(&coder_file, b"")?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_ids_one_per_line() {
        let docs = parse("\u{feff}# a comment\nfg-one\n\n  int-two  \nfg-one\n");
        assert_eq!(docs.into_iter().collect::<Vec<_>>(), ["fg-one", "int-two"]);
    }
}
