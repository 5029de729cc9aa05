//! Stale anchors: codings whose text no longer sits at their offsets.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::coding::{CoderFile, Coding};
use crate::error::Result;
use crate::index::Index;

/// A coding whose text no longer sits at its offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stale {
    /// The coder.
    pub coder: String,
    /// The coding's id.
    pub id: String,
    /// Its document.
    pub doc: String,
    /// What is wrong.
    pub reason: String,
}

/// Returns the codings of `files` whose anchors are stale: their document is
/// gone, their quote no longer sits at their offsets, or `realist check`
/// flagged them as unplaced. Only documents changed since a coding was
/// anchored are read, so this is cheap when nothing changed.
pub fn stale(index: &Index, files: &[CoderFile]) -> Result<Vec<Stale>> {
    // Documents to read, and the codings to verify in each.
    let mut to_check: BTreeMap<&str, Vec<(&str, &Coding)>> = BTreeMap::new();
    let mut out = Vec::new();
    for f in files {
        for c in &f.codings {
            if let Some(reason) = &c.unplaced {
                out.push(stale_one(&f.coder, c, format!("unplaced: {reason}")));
                continue;
            }
            match index.revision(&c.doc) {
                None => out.push(stale_one(
                    &f.coder,
                    c,
                    format!("document '{}' is no longer in the corpus", c.doc),
                )),
                Some(rev) if c.rev.as_deref() == Some(rev) => {}
                Some(_) => to_check.entry(&c.doc).or_default().push((&f.coder, c)),
            }
        }
    }
    for (doc, codings) in to_check {
        let t = index.transcript(doc)?;
        for (coder, c) in codings {
            if !c.fits(&t) {
                out.push(stale_one(
                    coder,
                    c,
                    "its text changed since it was coded".to_string(),
                ));
            }
        }
    }
    out.sort_by(|a, b| (&a.doc, &a.coder, &a.id).cmp(&(&b.doc, &b.coder, &b.id)));
    Ok(out)
}

fn stale_one(coder: &str, c: &Coding, reason: String) -> Stale {
    Stale {
        coder: coder.to_string(),
        id: c.id.clone(),
        doc: c.doc.clone(),
        reason,
    }
}
