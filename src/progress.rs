//! Progress of long work, reported to whoever draws it.

/// Receives progress reports from long work such as indexing a corpus.
///
/// The library calls it; the command line draws a progress bar from it. All
/// methods do nothing by default.
pub trait Progress {
    /// Work of `total` units (bytes) begins.
    fn start(&self, total: u64) {
        let _ = total;
    }
    /// `done` more units are finished.
    fn advance(&self, done: u64) {
        let _ = done;
    }
    /// The work is finished.
    fn finish(&self) {}
}

/// A [`Progress`] that reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
