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

use crate::index::{DocSummary, Refresh};
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
    Doc(&'a DocSummary),
    /// What `realist index` did.
    Index(&'a Refresh),
}

impl Record<'_> {
    /// Returns the record as one line of JSON (no newline).
    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}
