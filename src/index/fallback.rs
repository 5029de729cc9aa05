//! Reading when realist's state folder cannot be written: a read-only
//! file system, a full disk, a project folder of someone else's.
//!
//! Commands that only read must still work. When the saved index matches
//! the corpus it is opened as it is, without writing anything (not even
//! tantivy's lock files: [`ReadOnly`]), and nothing is said, since nothing
//! needed saving. Otherwise the corpus is indexed in memory for this one
//! opening, and one warning says that the saved index could not be
//! updated. Nothing in the state folder is changed either way.

use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

use super::manifest::{FORMAT_VERSION, Manifest};
use super::refresh::{self, Indexer, Refresh, Refreshed};
use super::schema;
use crate::analysis;
use crate::corpus::CorpusFile;
use crate::error::{Error, Kind, Problem, Result};
use crate::progress::Progress;
use crate::project::Project;

/// Returns true when `e` says that the state folder `state` could not be
/// written (or its index not used), rather than that the corpus is wrong.
pub(super) fn cannot_write(e: &Error, state: &Path) -> bool {
    match e {
        Error::Io { path, .. } => path.starts_with(state),
        Error::Index { .. } => true,
        _ => false,
    }
}

/// Returns the index of the corpus `files` without writing in `state`:
/// the saved one when it matches them, else one built in memory, with a
/// warning that says why (`why`, the error of writing).
pub(super) fn refresh(
    project: &Project,
    state: &Path,
    files: &[CorpusFile],
    progress: &dyn Progress,
    why: &Error,
) -> Result<Refreshed> {
    let fingerprint = refresh::fingerprint(project);
    let layout = project.config.reading.layout;
    if let Some(saved) = as_it_is(state, files, &fingerprint, layout)? {
        return Ok(saved);
    }
    let (schema, fields) = schema();
    let index = tantivy::Index::builder()
        .schema(schema)
        .settings(refresh::settings())
        .create_in_ram()
        .map_err(|e| Error::Index {
            path: state.join("index"),
            message: e.to_string(),
        })?;
    analysis::register(index.tokenizers());
    let dir = state.join("index");
    let mut manifest = Manifest {
        version: FORMAT_VERSION,
        fingerprint,
        documents: Vec::new(),
    };
    let mut refresh = Refresh::default();
    let indexer = Indexer {
        project,
        index: &index,
        fields: &fields,
        dir: &dir,
    };
    indexer.update(files, &mut manifest, &mut refresh, progress)?;
    let reason = match why {
        Error::Io { source, .. } => source.to_string(),
        Error::Index { message, .. } => os_message(message).unwrap_or(message).to_string(),
        other => other.to_string(),
    };
    let note = Problem::warning(
        Kind::State,
        project.relative(state),
        None,
        format!(
            "the saved search index could not be updated ({reason}): this command read the transcripts as they are now into memory, and nothing was saved"
        ),
    );
    Ok(Refreshed {
        index,
        dir,
        fields,
        manifest,
        refresh,
        notes: vec![note],
    })
}

/// Returns the operating system's words inside a tantivy error's message
/// (`… message: "No space left on device" …`), which say more to a
/// researcher than the rest of it.
fn os_message(tantivy: &str) -> Option<&str> {
    let (_, rest) = tantivy.rsplit_once("message: \"")?;
    rest.split_once('"').map(|(words, _)| words)
}

/// Returns the saved index, opened read-only, when it and its manifest
/// match the corpus `files` exactly; `None` when they do not (or cannot
/// be read).
fn as_it_is(
    state: &Path,
    files: &[CorpusFile],
    fingerprint: &str,
    layout: crate::transcript::Layout,
) -> Result<Option<Refreshed>> {
    let dir = state.join("index");
    let (mut manifest, rebuilt) =
        refresh::read_manifest(&state.join("manifest.json"), &dir, fingerprint);
    if rebuilt.is_some() || manifest.documents.is_empty() {
        return Ok(None);
    }
    let (schema, fields) = schema();
    let Ok(Some(index)) = refresh::open_tantivy(&dir, &schema, &manifest, true) else {
        return Ok(None);
    };
    let plan = refresh::compare(&manifest, files, layout)?;
    if !plan.to_parse.is_empty() || !plan.stale_ids.is_empty() {
        return Ok(None);
    }
    let mut kept = plan.kept;
    kept.sort_by(|a, b| a.summary.id.cmp(&b.summary.id));
    let refresh = Refresh {
        unchanged: kept.len(),
        ..Refresh::default()
    };
    manifest.documents = kept;
    Ok(Some(Refreshed {
        index,
        dir,
        fields,
        manifest,
        refresh,
        notes: Vec::new(),
    }))
}

/// Opens the index in `dir` without writing anything there.
pub(super) fn open_read_only(dir: &Path) -> tantivy::Result<tantivy::Index> {
    tantivy::Index::open(ReadOnly(MmapDirectory::open(dir)?))
}

/// A folder of tantivy's that is only read: tantivy's readers take a lock
/// file while they open segments (so that a writer's clean-up cannot
/// delete them meanwhile), which a read-only or full disk refuses; this
/// directory takes no lock and refuses every write.
#[derive(Debug, Clone)]
struct ReadOnly(MmapDirectory);

/// Returns the error of a write to a [`ReadOnly`] directory.
fn refused() -> std::io::Error {
    std::io::Error::other("the index was opened read-only")
}

impl Directory for ReadOnly {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(refused())
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        // Nothing writes here while this process reads, and another process
        // that writes takes its own lock: there is nothing to hold.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_os_words_of_a_tantivy_error_are_found() {
        let m = r#"Failed to open file for write: 'IoError { io_error: Custom { kind: StorageFull, error: PathError { path: "/p/.realist/index/.tmpgQ", err: Os { code: 28, kind: StorageFull, message: "No space left on device" } } }, filepath: "2e.fieldnorm" }'"#;
        assert_eq!(os_message(m), Some("No space left on device"));
        assert_eq!(os_message("Lock busy"), None);
    }
}
