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
pub mod anchor;
pub mod autocode;
pub mod cases;
pub mod codebook;
pub mod coding;
pub mod consensus;
pub mod corpus;
pub mod error;
pub mod evidence;
pub mod export;
pub mod files;
pub mod filter;
pub mod index;
pub mod logic_model;
pub mod marks;
pub mod normalize;
pub mod privacy;
pub mod progress;
pub mod project;
pub mod pseudonyms;
pub mod query;
pub mod quotes;
pub mod record;
pub mod report;
pub mod search;
pub mod suggest;
pub mod table;
pub mod text;
pub mod transcript;
pub mod workspace;

pub use codebook::{Code, Codebook};
pub use coding::{CoderFile, Coding, Target};
pub use corpus::DocSummary;
pub use error::{Error, Problem, Result};
pub use filter::Filter;
pub use index::{Index, Refresh};
pub use progress::{Progress, Silent};
pub use project::Project;
pub use record::Record;
pub use search::{Hit, SearchOptions, Summary};
pub use text::Span;
pub use transcript::{AttrValue, Transcript, Turn};
pub use workspace::Workspace;
