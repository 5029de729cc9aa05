//! The library's front door: a project opened for work.
//!
//! A [`Workspace`] is what both front ends (the command line and the browser
//! workbench) hold. It opens the project's index once, loads the rest of the
//! project's state on first use (the codebook, coder files, the logic model,
//! the evidence links, the pseudonym key) and keeps it, and offers the
//! operations a researcher performs: coding (add, import, remove, code
//! search hits, re-anchor), comparing coders, reconciling and deciding,
//! linking evidence, exporting and reporting. Every rule of those
//! operations lives here or below; a front end parses its input, calls one
//! method and presents the result.
//!
//! It is built for a long-running server as much as for one command: it has
//! no global state, it is `Send + Sync` (share it in an `Arc`), and what it
//! keeps is checked against the files on disk (size, modification and
//! change times, inode) each time it is asked for, so a coder file edited
//! by another process or another browser is read again, and nothing else
//! is. [`Workspace::refresh`] brings the index up to date with the corpus.

mod cache;
mod code;
mod compare;
mod evidence;
mod outputs;

use std::path::Path;
use std::sync::{Arc, Mutex};

pub use crate::coding::target::Placed;
pub use code::{CodeHits, CoderProgress, Listing, NewCodings, Saved};
pub use compare::{Compared, Comparison};
pub use evidence::{Candidates, NewLinks};
pub use outputs::{PrivacyCheck, QuoteSelection, QuotesExport};

use crate::codebook::{Code, Codebook};
use crate::coding::{self, CoderFile, store};
use crate::error::{Error, Result};
use crate::index::{Index, Refresh, Transcripts};
use crate::logic_model::LogicModel;
use crate::logic_model::links::Links;
use crate::progress::Progress;
use crate::project::Project;
use crate::pseudonyms::Pseudonyms;

use cache::Cache;

/// A project opened for work: its index, and its state loaded on first use.
pub struct Workspace {
    index: Index,
    cache: Mutex<Cache>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("root", &self.index.project().root)
            .finish()
    }
}

impl Workspace {
    /// Opens `project`: its index is refreshed so that it matches the corpus
    /// (`progress` hears about the transcripts read), and what the refresh
    /// did is returned beside the workspace.
    pub fn open(project: &Project, progress: &dyn Progress) -> Result<(Workspace, Refresh)> {
        let (index, refresh) = Index::open(project, progress)?;
        Ok((
            Workspace {
                index,
                cache: Mutex::new(Cache::default()),
            },
            refresh,
        ))
    }

    /// Brings the index up to date with the corpus again (a long-running
    /// front end calls this when transcripts may have changed); what is
    /// kept of the other files stays, checked against the disk as always.
    pub fn refresh(&mut self, progress: &dyn Progress) -> Result<Refresh> {
        let (index, refresh) = Index::open(self.index.project(), progress)?;
        self.index = index;
        Ok(refresh)
    }

    /// Returns the project.
    pub fn project(&self) -> &Project {
        self.index.project()
    }

    /// Returns the index of the project's corpus.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Returns a cache of parsed transcripts, each read on first use.
    pub fn transcripts(&self) -> Transcripts<'_> {
        Transcripts::new(&self.index)
    }

    /// Returns the project's name for exports: `[project] name` in
    /// realist.toml, else the project folder's name.
    pub fn name(&self) -> String {
        let project = self.project();
        project.config.name.clone().unwrap_or_else(|| {
            project
                .root
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "realist project".into())
        })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        // A panic while the lock was held leaves nothing half-written in
        // the cache (each entry is replaced whole), so a poisoned lock is
        // still usable.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Returns the codebook (`codebooks/*.md`).
    pub fn codebook(&self) -> Result<Arc<Codebook>> {
        self.cache().codebook(self.project())
    }

    /// Returns the code named `name`: its path, or its name when no other
    /// code has it, in any case; an unknown code suggests near ones.
    pub fn code(&self, name: &str) -> Result<Code> {
        Ok(self.codebook()?.code(name)?.clone())
    }

    /// Returns the path of the code named `name`: a code of the codebook,
    /// or a code missing from it that `files` use (so such codings can still
    /// be listed and compared); otherwise the unknown-code error.
    pub fn resolve_code(&self, files: &[CoderFile], name: &str) -> Result<String> {
        let book = self.codebook()?;
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

    /// Resolves each of `names` (see [`Workspace::resolve_code`]), dropping
    /// repeats, in the order given. A name with commas is a list of codes
    /// (`Speed,Trust`), unless a code is named so as a whole (a code whose
    /// name has a comma in it).
    pub fn resolve_codes(&self, files: &[CoderFile], names: &[String]) -> Result<Vec<String>> {
        let mut codes = Vec::new();
        for name in names {
            let paths = match self.resolve_code(files, name) {
                Ok(path) => vec![path],
                Err(e) if !name.contains(',') => return Err(e),
                Err(_) => name
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(|n| self.resolve_code(files, n))
                    .collect::<Result<Vec<_>>>()?,
            };
            for path in paths {
                if !codes.contains(&path) {
                    codes.push(path);
                }
            }
        }
        Ok(codes)
    }

    /// Returns the names of the project's coders (`codings/*.jsonl`), sorted.
    pub fn coders(&self) -> Result<Vec<String>> {
        store::coders(self.project())
    }

    /// Returns one coder's file; an empty one when the coder has not coded
    /// yet. The name must be a valid coder name.
    pub fn coder_file(&self, coder: &str) -> Result<CoderFile> {
        coding::check_coder(coder)?;
        Ok(self
            .cache()
            .coder_file(self.project(), coder)?
            .as_ref()
            .clone())
    }

    /// Returns the files of `coders` (every coder's when empty), each once,
    /// in the order given; a coder with no file is an error that names the
    /// coders there are and suggests the nearest.
    pub fn coder_files(&self, coders: &[String]) -> Result<Vec<CoderFile>> {
        let all = self.coders()?;
        if coders.is_empty() {
            return all.iter().map(|c| self.coder_file(c)).collect();
        }
        let mut out: Vec<CoderFile> = Vec::new();
        for c in coders {
            coding::check_coder(c)?;
            if !all.contains(c) {
                return Err(Error::UnknownCoder {
                    coder: c.clone(),
                    suggestions: crate::suggest::nearest(c, all.iter().map(String::as_str)),
                    known: all,
                });
            }
            if !out.iter().any(|f| &f.coder == c) {
                out.push(self.coder_file(c)?);
            }
        }
        Ok(out)
    }

    /// Returns the logic model, refusing one with problems (each listed
    /// with its line) or a project without one.
    pub fn logic_model(&self) -> Result<Arc<LogicModel>> {
        let read = self.cache().logic_model(self.project())?;
        match read.as_ref() {
            None => Err(Error::NoLogicModel),
            Some((model, problems)) if problems.is_empty() => Ok(Arc::new(model.clone())),
            Some((_, problems)) => Err(Error::LogicModelInvalid {
                problems: problems.clone(),
            }),
        }
    }

    /// Returns the logic model as far as it parses, with its problems;
    /// `None` when the project has none.
    pub fn logic_model_read(&self) -> Result<Option<(LogicModel, Vec<crate::error::Problem>)>> {
        Ok(self.cache().logic_model(self.project())?.as_ref().clone())
    }

    /// Returns the logic model for what needs only its ids (`unlink`, a
    /// configuration's history): problems are ignored and a missing file is
    /// an empty model.
    pub fn logic_model_lenient(&self) -> Result<LogicModel> {
        Ok(self
            .logic_model_read()?
            .map(|(model, _)| model)
            .unwrap_or_default())
    }

    /// Returns the case data, refusing a project without any, or one whose
    /// numeric columns hold values that are not numbers (each was reported
    /// as a warning when the index was opened).
    pub fn cases(&self) -> Result<&crate::cases::Cases> {
        let Some(cases) = self.index.cases() else {
            return Err(Error::NoCaseData {
                file: self.project().cases_file(),
            });
        };
        if !cases.warnings.is_empty() {
            return Err(Error::CaseValuesNotNumbers {
                file: cases.path.clone(),
                count: cases.warnings.len(),
            });
        }
        Ok(cases)
    }

    /// Returns the evidence links (`links.jsonl`), replayed.
    pub fn links(&self) -> Result<Arc<Links>> {
        self.cache().links(self.project())
    }

    /// Returns the pseudonym key (`pseudonyms.csv`; empty when there is none).
    pub fn pseudonyms(&self) -> Result<Arc<Pseudonyms>> {
        self.cache().pseudonyms(self.project())
    }

    /// Returns true when the pseudonym key exists inside a git work tree
    /// whose `.gitignore` at the project root does not ignore it (projects
    /// made before `realist init` ignored it): it could be committed.
    pub fn key_may_be_committed(&self) -> Result<bool> {
        let key = self.pseudonyms()?;
        let root = &self.project().root;
        if key.path.is_none() || !root.ancestors().any(|d| d.join(".git").exists()) {
            return Ok(false);
        }
        let ignored = std::fs::read_to_string(root.join(".gitignore")).is_ok_and(|t| {
            t.lines()
                .any(|l| l.trim().trim_start_matches(['!', '/']) == crate::project::KEY_FILE)
        });
        Ok(!ignored)
    }

    /// Returns the consensus to work on: `given`, else the project's only
    /// one; an unknown name suggests the nearest.
    pub fn consensus(&self, given: Option<&str>) -> Result<String> {
        let names = crate::consensus::names(self.project())?;
        match given {
            Some(n) if names.iter().any(|x| x == n) => Ok(n.to_string()),
            Some(n) => Err(Error::UnknownConsensus {
                name: n.to_string(),
                suggestions: crate::suggest::nearest(n, names.iter().map(String::as_str)),
                known: names,
            }),
            None => match names.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(Error::NoConsensus),
                many => Err(Error::ConsensusAmbiguous {
                    names: many.to_vec(),
                }),
            },
        }
    }

    /// Writes an export to `path`: atomically to a file (through a
    /// symbolic link, to the file it points to), directly into a FIFO or a
    /// character device (see [`files::destination`](crate::files::destination)).
    /// A path that is a folder, or that would replace the project's own data
    /// (the key, the settings, a transcript, a coder file, …) itself or
    /// through a link, is refused.
    pub fn write_export(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        if path.is_dir() {
            return Err(Error::OutputIsFolder {
                path: path.to_path_buf(),
            });
        }
        let dest = crate::files::destination(path)?;
        for p in [path, dest.path()] {
            if let Some(what) = self.project().guarded(p) {
                return Err(Error::OutputGuarded {
                    path: path.to_path_buf(),
                    what,
                });
            }
        }
        crate::files::write_to(&dest, bytes)
    }
}

/// Returns the current time for the `created` and `at` fields of what is
/// written (RFC 3339, UTC, whole seconds).
pub fn now() -> String {
    coding::timestamp(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests;
