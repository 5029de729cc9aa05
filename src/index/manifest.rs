//! The manifest: what the index holds, kept beside it in `.realist/`.
//!
//! One entry per indexed transcript with its path, the file's size,
//! modification time and content hash, and the summary `realist docs`
//! prints. A file whose size and time are unchanged is not read again; one
//! whose time changed but whose content hash did not is not re-indexed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::DocSummary;
use crate::error::{Problem, Result};
use crate::files::write_atomic;

/// Bumped whenever the schema or the meaning of indexed fields changes, so
/// that an old index is rebuilt rather than trusted.
pub const FORMAT_VERSION: u32 = 4;

/// The manifest file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`] at the time of writing.
    pub version: u32,
    /// Hash of the settings that shape the index (speaker pattern, …).
    pub fingerprint: String,
    /// Indexed documents, in document id order.
    pub documents: Vec<DocEntry>,
}

/// A manifest entry: the summary plus what detects a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry {
    /// What `realist docs` shows.
    #[serde(flatten)]
    pub summary: DocSummary,
    /// File size in bytes when indexed.
    pub size: u64,
    /// File modification time (ns since the epoch) when indexed.
    pub mtime_ns: i64,
    /// File change time and inode when indexed.
    #[serde(default)]
    pub changed: crate::corpus::Changed,
    /// BLAKE3 hash of what makes the canonical text: the file's bytes, and
    /// for a `.txt` file its kind (see `refresh::content_hash`).
    pub hash: String,
    /// Problems found when the file was read (an empty transcript, …).
    #[serde(default)]
    pub warnings: Vec<Problem>,
}

impl Manifest {
    /// Reads the manifest at `path`; `None` if it is missing or unreadable.
    pub fn read(path: &Path) -> Option<Manifest> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes the manifest atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let bytes = serde_json::to_vec(self)
            .map_err(|e| crate::error::Error::io(path, std::io::Error::other(e)))?;
        write_atomic(path, &bytes)
    }

    /// Returns the total number of turns, which must equal the index's documents.
    pub fn total_turns(&self) -> usize {
        self.documents.iter().map(|d| d.summary.turns).sum()
    }
}
