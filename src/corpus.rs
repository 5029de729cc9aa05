//! The corpus folder: finding transcript files.
//!
//! Transcripts are the `.md`, `.markdown` and `.txt` files under the corpus
//! folder, sub-folders included. Hidden files and folders (names starting
//! with `.`) are skipped. Files are listed in path order so that everything
//! downstream is deterministic.
//!
//! Links are followed when they lead inside the project folder (or
//! anywhere, when `[project] allow_outside` says so); a link that leads out
//! of the project, nowhere, or round in a circle is skipped with one
//! warning naming it, and never stops a command. A file or folder reached
//! twice (a link to a transcript already listed, a link back up) is listed
//! once, under its own path. A transcript whose path is not UTF-8 is
//! refused: its id could not be typed, and two such names could look alike.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Kind, Problem, Result};
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

impl DocSummary {
    /// Returns a warning when the document has suspiciously few turns for
    /// its length (see [`crate::transcript::few_turns`]).
    pub fn few_turns(&self) -> Option<Problem> {
        crate::transcript::few_turns(self.turns, self.words)
            .map(|message| Problem::warning(Kind::Transcript, &self.path, None, message))
    }
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
    /// What else tells that the file changed though its size and
    /// modification time did not (a sync tool putting the time back): its
    /// change time and inode (0 where the system has none).
    pub changed: Changed,
}

/// The change time (nanoseconds) and inode (device, number) of a file:
/// unlike the modification time, nobody can set the change time back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Changed {
    /// Change time, nanoseconds since the Unix epoch.
    pub ctime_ns: i64,
    /// Device and inode number.
    pub inode: (u64, u64),
}

impl Changed {
    /// Reads them from a file's metadata.
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Changed {
        use std::os::unix::fs::MetadataExt;
        Changed {
            ctime_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
            inode: (meta.dev(), meta.ino()),
        }
    }

    /// Reads them from a file's metadata (nothing to read here).
    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Changed {
        Changed::default()
    }
}

/// The corpus as found on disk: its transcript files, and what was
/// skipped.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// The transcript files, in path order.
    pub files: Vec<CorpusFile>,
    /// One warning per link that was not followed, in path order.
    pub skipped: Vec<Problem>,
}

/// Returns the transcript files of the project's corpus, in path order,
/// and a warning for each link not followed.
pub fn scan(project: &Project) -> Result<Scan> {
    let dir = project.corpus_dir();
    if !dir.is_dir() {
        return Err(Error::CorpusMissing { path: dir });
    }
    project.outside("the corpus folder", &project.config.corpus)?;
    let mut walker = Walker {
        project,
        root: project.real_root()?,
        dirs: HashSet::new(),
        files: HashSet::new(),
        links: VecDeque::new(),
        scan: Scan::default(),
    };
    // The folders themselves first, then the links found in them (and in
    // what they lead to), so that a file reached both ways keeps its own
    // path.
    walker.walk(&dir)?;
    while let Some(link) = walker.links.pop_front() {
        walker.follow(&link)?;
    }
    let mut scan = walker.scan;
    scan.files.sort_by(|a, b| a.path.cmp(&b.path));
    scan.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(scan)
}

/// A walk through the corpus folder.
struct Walker<'a> {
    project: &'a Project,
    /// The project folder, links resolved.
    root: PathBuf,
    /// Folders read, links resolved.
    dirs: HashSet<PathBuf>,
    /// Transcript files listed, links resolved.
    files: HashSet<PathBuf>,
    /// Links found and not yet followed.
    links: VecDeque<PathBuf>,
    scan: Scan,
}

impl Walker<'_> {
    /// Lists the transcripts in `dir` and its sub-folders, and queues the
    /// links found there.
    fn walk(&mut self, dir: &Path) -> Result<()> {
        let real = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
        if !self.dirs.insert(real.clone()) {
            return Ok(());
        }
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(|e| Error::io(dir, e))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let full = entry.path();
            let kind = entry.file_type().map_err(|e| Error::io(&full, e))?;
            if kind.is_symlink() {
                self.links.push_back(full);
            } else if kind.is_dir() {
                self.walk(&full)?;
            } else if kind.is_file() && Format::of(&full).is_some() {
                let meta = entry.metadata().map_err(|e| Error::io(&full, e))?;
                self.list(full, &meta, real.join(&name))?;
            }
        }
        Ok(())
    }

    /// Follows the link `link`: lists what it leads to when that is a
    /// transcript or folder inside the project (or anywhere, when the
    /// project allows it), and warns when it cannot be followed.
    fn follow(&mut self, link: &Path) -> Result<()> {
        let target = match link.canonicalize() {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let to = std::fs::read_link(link).unwrap_or_default();
                self.skip(
                    link,
                    format!(
                        "the link leads nowhere ({} does not exist) and is skipped",
                        to.display()
                    ),
                );
                return Ok(());
            }
            Err(e) => {
                self.skip(
                    link,
                    format!("the link cannot be followed ({e}) and is skipped; a link that leads to itself or round in a circle does this"),
                );
                return Ok(());
            }
        };
        let meta = match std::fs::metadata(&target) {
            Ok(m) => m,
            Err(e) => {
                self.skip(
                    link,
                    format!("the link cannot be followed ({e}) and is skipped"),
                );
                return Ok(());
            }
        };
        let transcript = meta.is_file() && Format::of(link).is_some();
        let known = if meta.is_dir() {
            self.dirs.contains(&target)
        } else {
            self.files.contains(&target)
        };
        if known || !(meta.is_dir() || transcript) {
            // Already read by another way, or not a transcript.
            return Ok(());
        }
        if !target.starts_with(&self.root) && !self.project.config.allow_outside {
            self.skip(
                link,
                format!(
                    "the link leads outside the project (to {}) and is skipped: move what it leads to into the project folder, or set `allow_outside = true` under [project] in realist.toml",
                    target.display()
                ),
            );
            return Ok(());
        }
        if meta.is_dir() {
            self.walk(link)
        } else {
            self.list(link.to_path_buf(), &meta, target)
        }
    }

    /// Lists the transcript file `full` (`real` with links resolved).
    fn list(&mut self, full: PathBuf, meta: &std::fs::Metadata, real: PathBuf) -> Result<()> {
        let rel = self.project.relative(&full);
        if rel.to_str().is_none() {
            return Err(Error::NameNotUtf8 {
                path: slashed(&rel),
            });
        }
        let path = slashed(&rel);
        self.files.insert(real);
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        self.scan.files.push(CorpusFile {
            path,
            full,
            size: meta.len(),
            mtime_ns,
            changed: Changed::of(meta),
        });
        Ok(())
    }

    /// Records the warning `message` about the link `link`.
    fn skip(&mut self, link: &Path, message: String) {
        let rel = slashed(&self.project.relative(link));
        self.scan
            .skipped
            .push(Problem::warning(Kind::Corpus, rel, None, message));
    }
}

/// Returns `path` with `/` between its parts, each byte that is not UTF-8
/// written `\xNN`.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| match c {
            std::path::Component::RootDir => String::new(),
            c => crate::text::escape_bytes(c.as_os_str().as_encoded_bytes()),
        })
        .collect::<Vec<_>>()
        .join("/")
}
