//! What a workspace keeps of the project's files, and when it reads them
//! again.
//!
//! Each entry remembers a [`Stamp`] of the files it was read from: for each
//! file its size, modification and change times and inode (or that it did
//! not exist). Asking for an entry stats those files again and re-reads
//! them only when the stamp differs, so a long-running front end sees edits
//! made by other processes, and a one-shot command pays one `stat` per file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codebook::Codebook;
use crate::coding::{CoderFile, store};
use crate::error::{Problem, Result};
use crate::logic_model::LogicModel;
use crate::logic_model::links::Links;
use crate::project::Project;
use crate::pseudonyms::Pseudonyms;

/// What `stat` says about one file: enough to tell that it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    inode: (u64, u64),
}

/// The stamps of the files an entry was read from, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Stamp(Vec<(PathBuf, Option<FileStamp>)>);

impl Stamp {
    /// Stamps `paths` (a missing file is stamped as missing).
    fn of(paths: impl IntoIterator<Item = PathBuf>) -> Stamp {
        Stamp(
            paths
                .into_iter()
                .map(|p| {
                    let stamp = std::fs::metadata(&p).ok().map(|m| file_stamp(&m));
                    (p, stamp)
                })
                .collect(),
        )
    }

    /// Stamps a folder and the files in it whose names end in `extension`.
    fn of_folder(dir: &Path, extension: &str) -> Stamp {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == extension))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files.insert(0, dir.to_path_buf());
        Stamp::of(files)
    }
}

#[cfg(unix)]
fn file_stamp(m: &std::fs::Metadata) -> FileStamp {
    use std::os::unix::fs::MetadataExt;
    FileStamp {
        len: m.len(),
        modified: m.modified().ok(),
        changed: (m.ctime(), m.ctime_nsec()),
        inode: (m.dev(), m.ino()),
    }
}

#[cfg(not(unix))]
fn file_stamp(m: &std::fs::Metadata) -> FileStamp {
    FileStamp {
        len: m.len(),
        modified: m.modified().ok(),
    }
}

/// A value read from files with the stamp they had.
struct Entry<T> {
    stamp: Stamp,
    value: Arc<T>,
}

/// Returns the value kept in `slot` if its files are unchanged, else reads
/// it again with `read` (keeping nothing when that fails).
fn fresh<T>(
    slot: &mut Option<Entry<T>>,
    stamp: Stamp,
    read: impl FnOnce() -> Result<T>,
) -> Result<Arc<T>> {
    if let Some(e) = slot
        && e.stamp == stamp
    {
        return Ok(e.value.clone());
    }
    *slot = None;
    let value = Arc::new(read()?);
    *slot = Some(Entry {
        stamp,
        value: value.clone(),
    });
    Ok(value)
}

/// The logic model as read: `None` when the project has none.
pub(super) type ModelRead = Option<(LogicModel, Vec<Problem>)>;

/// Everything a workspace keeps.
#[derive(Default)]
pub(super) struct Cache {
    codebook: Option<Entry<Codebook>>,
    coders: HashMap<String, Entry<CoderFile>>,
    logic_model: Option<Entry<ModelRead>>,
    links: Option<Entry<Links>>,
    key: Option<Entry<Pseudonyms>>,
}

impl Cache {
    pub(super) fn codebook(&mut self, project: &Project) -> Result<Arc<Codebook>> {
        let dir = project.codebooks_dir();
        let stamp = Stamp::of_folder(&dir, "md");
        fresh(&mut self.codebook, stamp, || Codebook::load(&dir))
    }

    pub(super) fn coder_file(&mut self, project: &Project, coder: &str) -> Result<Arc<CoderFile>> {
        let mut slot = self.coders.remove(coder);
        let stamp = Stamp::of([project.codings_dir().join(format!("{coder}.jsonl"))]);
        let value = fresh(&mut slot, stamp, || store::load(project, coder));
        if let Some(entry) = slot {
            self.coders.insert(coder.to_string(), entry);
        }
        value
    }

    pub(super) fn logic_model(&mut self, project: &Project) -> Result<Arc<ModelRead>> {
        let path = project.logic_model_file();
        let stamp = Stamp::of([path.clone()]);
        fresh(&mut self.logic_model, stamp, || {
            if !path.exists() {
                return Ok(None);
            }
            LogicModel::read(project).map(Some)
        })
    }

    pub(super) fn links(&mut self, project: &Project) -> Result<Arc<Links>> {
        let stamp = Stamp::of([project.links_file()]);
        fresh(&mut self.links, stamp, || Links::load(project))
    }

    pub(super) fn pseudonyms(&mut self, project: &Project) -> Result<Arc<Pseudonyms>> {
        let stamp = Stamp::of([project.key_file()]);
        fresh(&mut self.key, stamp, || Pseudonyms::load(&project.root))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn an_entry_is_read_again_only_when_its_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.txt");
        std::fs::write(&file, "one").unwrap();
        let mut slot: Option<Entry<String>> = None;
        let reads = std::cell::Cell::new(0);
        let read = |slot: &mut Option<Entry<String>>| {
            fresh(slot, Stamp::of([file.clone()]), || {
                reads.set(reads.get() + 1);
                std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))
            })
            .unwrap()
        };
        assert_eq!(*read(&mut slot), "one");
        assert_eq!(*read(&mut slot), "one");
        // Same size, same modification time put back: the change time and
        // the inode still tell (a new file replaced the old one).
        let old = std::fs::metadata(&file).unwrap().modified().unwrap();
        let tmp = dir.path().join("f.tmp");
        std::fs::write(&tmp, "two").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&tmp)
            .unwrap()
            .set_modified(old)
            .unwrap();
        std::fs::rename(&tmp, &file).unwrap();
        assert_eq!(*read(&mut slot), "two");
        assert_eq!(reads.get(), 2);
    }
}
