//! The JSON Lines wire format of `--json` output.
//!
//! Every line is one JSON object with a `"type"` field naming the record,
//! followed by the record's own fields (snake_case), for example
//!
//! ```text
//! {"type":"hit","doc":"nb-fg-sw-01","turn":4,"speaker":"SW2","role":"social worker","start":812,"end":825,"match":"straight away","left":"…","right":"…"}
//! {"type":"summary","hits":1,"turns":1,"documents":1,"truncated":false}
//! ```
//!
//! Offsets are code point offsets into the document's canonical text, end
//! exclusive. Records are written in a deterministic order.

use serde::Serialize;

use crate::codebook::Code;
use crate::coding::Listed;
use crate::corpus::DocSummary;
use crate::error::Problem;
use crate::index::Refresh;
use crate::search::{Hit, Summary};

/// One line of `--json` output.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record<'a> {
    /// An occurrence found by `realist search`.
    Hit(&'a Hit),
    /// The totals of a search.
    Summary(&'a Summary),
    /// A document listed by `realist docs`.
    Doc(&'a DocListed<'a>),
    /// What `realist index` did.
    Index(&'a Refresh),
    /// A coding (`realist codings`, and what `realist code …` added).
    Coding(&'a Listed<'a>),
    /// A code of the codebook with how often each coder applied it.
    Code(&'a CodeUse),
    /// What a coding command did.
    Coded(&'a Coded),
    /// How a coding given by its quote was placed (`code add --quote`,
    /// `code import`).
    Placed(&'a crate::coding::target::Placed),
    /// What `realist done` did.
    Finished(&'a crate::coding::finished::Marked),
    /// A problem found by a check (`realist codebook check`).
    Problem(&'a Problem),
    /// A coding `realist check` moved or could not place.
    Anchor(&'a crate::anchor::Report),
    /// The totals of `realist check`.
    Checked(&'a crate::anchor::Checked),
    /// A unit on which coders differ (`realist disagreements`).
    Disagreement(&'a crate::agreement::disagreements::Disagreement),
    /// The totals of `realist disagreements`.
    Disagreements(&'a crate::agreement::disagreements::Tally<'a>),
    /// What `realist reconcile` did.
    Reconciled(&'a crate::consensus::Reconciled),
    /// A decision of a consensus (`realist decisions`).
    Decision(&'a crate::consensus::Decision),
    /// What `realist decide` did.
    Decided(&'a crate::consensus::Decided),
    /// A case of the case file (`realist cases`).
    Case(&'a crate::cases::Listed),
    /// Figures of a numeric case column (`realist cases stats`).
    CaseStats(&'a crate::cases::ColumnStats),
    /// A configuration with the spread of its evidence (`realist cmo list`).
    Cmo(&'a crate::evidence::Summary),
    /// A configuration's statements (`realist cmo show`).
    Configuration(&'a crate::logic_model::Configuration),
    /// A quote linked to a configuration (`realist cmo show`).
    Evidence(&'a crate::evidence::Quote),
    /// An event of the links trail (`realist cmo history`).
    LinkEvent(&'a crate::logic_model::links::Event),
    /// A coding not yet linked that a configuration mentions the code of
    /// (`realist cmo suggest`).
    Candidate(&'a crate::evidence::Candidate),
    /// What `realist link` or `realist unlink` did.
    Linked(&'a crate::logic_model::links::Linked),
    /// What an export holds (`realist export quotes --format json`, first line).
    Export(&'a crate::quotes::Meta),
    /// A row of a quote table (`realist export quotes --format json`).
    Quote(&'a crate::quotes::Row),
    /// A word that looks like a personal name (`realist privacy check`).
    Name(&'a crate::privacy::Finding),
}

/// A document as `realist docs` lists it (`"type":"doc"`): its summary and
/// the coders who marked it finished.
#[derive(Debug, Clone, Serialize)]
pub struct DocListed<'a> {
    /// What the index knows of it.
    #[serde(flatten)]
    pub summary: &'a DocSummary,
    /// The coders who marked it finished, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub finished_by: Vec<String>,
}

/// A code with its use (`"type":"code"`).
#[derive(Debug, Clone, Serialize)]
pub struct CodeUse {
    /// The code as the codebook defines it, or only the path of a code
    /// used in codings but missing from the codebook.
    #[serde(flatten)]
    pub code: CodeOrPath,
    /// Depth in the tree (0 for top-level codes).
    pub depth: usize,
    /// Codings with exactly this code, per coder (coders in name order).
    pub applied: std::collections::BTreeMap<String, usize>,
    /// All codings with exactly this code.
    pub total: usize,
}

/// A code of the codebook, or only the path of a code missing from it.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum CodeOrPath {
    /// Defined in the codebook.
    Defined(Code),
    /// Used in codings, missing from the codebook.
    Missing {
        /// The code path.
        path: String,
        /// Always true.
        missing: bool,
    },
}

/// Totals of `realist code add|hits|import` (`"type":"coded"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coded {
    /// The coder.
    pub coder: String,
    /// The code.
    pub code: Option<String>,
    /// Codings added (or, with `dry_run`, that would be).
    pub added: usize,
    /// Spans skipped because the same code already covers them.
    pub already: usize,
    /// True when nothing was written.
    pub dry_run: bool,
}

impl Record<'_> {
    /// Returns the record as one line of JSON (no newline), with no raw
    /// control character: serde_json escapes those below U+0020, and DEL
    /// and the C1 controls (which JSON allows raw, and some terminals
    /// obey) are escaped the same way (`\u009b`), so a line printed to a
    /// terminal cannot act on it and reads back as the same text.
    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail.
        let json = serde_json::to_string(self).unwrap_or_default();
        // Outside strings compact JSON has no control character at all.
        match crate::text::escape_controls(&json, |_| false) {
            std::borrow::Cow::Borrowed(_) => json,
            std::borrow::Cow::Owned(escaped) => escaped,
        }
    }
}
