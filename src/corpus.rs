//! The corpus folder: finding transcript files.
//!
//! Transcripts are the `.md`, `.markdown` and `.txt` files under the corpus
//! folder, sub-folders included. Hidden files and folders (names starting
//! with `.`) are skipped. Files are listed in path order so that everything
//! downstream is deterministic.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::project::Project;
use crate::transcript::{AttrValue, Format};

/// A document as `realist docs` lists it (`"type":"doc"` in JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSummary {
    /// The document id.
    pub id: String,
    /// The transcript file, relative to the project root.
    pub path: String,
    /// Number of speaker turns.
    pub turns: usize,
    /// Number of words spoken (labels excluded).
    pub words: usize,
    /// Front matter attributes.
    pub attributes: IndexMap<String, AttrValue>,
}

/// A transcript file and what `stat` says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    /// Absolute (or project-root-joined) path for reading.
    pub full: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 if unknown).
    pub mtime_ns: i64,
}

/// Returns the transcript files of the project's corpus, in path order.
pub fn scan(project: &Project) -> Result<Vec<CorpusFile>> {
    let dir = project.corpus_dir();
    if !dir.is_dir() {
        return Err(Error::CorpusMissing { path: dir });
    }
    let mut out = Vec::new();
    walk(project, &dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn walk(project: &Project, dir: &Path, out: &mut Vec<CorpusFile>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let full = entry.path();
        let meta = std::fs::metadata(&full).map_err(|e| Error::io(&full, e))?;
        if meta.is_dir() {
            walk(project, &full, out)?;
        } else if meta.is_file() && Format::of(&full).is_some() {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i64);
            let rel = project.relative(&full);
            let path = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(CorpusFile {
                path,
                full,
                size: meta.len(),
                mtime_ns,
            });
        }
    }
    Ok(())
}
