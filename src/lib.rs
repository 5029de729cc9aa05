//! realist: qualitative coding for realist evaluations.
//!
//! Evaluation teams interview social workers, managers and families and code
//! the transcripts to find out what works, for whom, and why. This library
//! holds everything but the command line: reading transcripts into one
//! canonical text ([`transcript`]), keeping a full-text index of their speaker
//! turns up to date ([`index`]), and searching it for every occurrence of a
//! query ([`search`]). It never prints and never reads environment variables.
//!
//! ```no_run
//! use realist::{Index, Project, SearchOptions, Silent};
//!
//! let project = Project::discover(std::path::Path::new("."))?;
//! let (index, _refresh) = Index::open(&project, &Silent)?;
//! let opts = SearchOptions { query: "\"straight away\" OR quickly".into(), context: 6, ..Default::default() };
//! let summary = index.search(&opts, &mut |hit| {
//!     let _ = (&hit.doc, hit.turn, &hit.matched);
//!     true
//! })?;
//! assert!(summary.hits >= summary.turns);
//! # Ok::<(), realist::Error>(())
//! ```
#![deny(missing_docs)]

pub mod agreement;
pub mod analysis;
pub mod cases;
pub mod codebook;
pub mod coding;
pub mod consensus;
pub mod corpus;
pub mod error;
pub mod export;
pub mod files;
pub mod filter;
pub mod index;
pub mod logic_model;
pub mod privacy;
pub mod project;
pub mod query;
pub mod quotes;
pub mod record;
pub mod report;
pub mod search;
pub mod suggest;
pub mod table;
pub mod text;
pub mod transcript;

pub use codebook::{Code, Codebook};
pub use coding::{CoderFile, Coding, Target};
pub use error::{Error, Result, Warning};
pub use filter::Filter;
pub use index::{DocSummary, Index, Refresh};
pub use project::Project;
pub use record::Record;
pub use search::{Hit, SearchOptions, Summary};
pub use text::Span;
pub use transcript::{AttrValue, Transcript, Turn};

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
