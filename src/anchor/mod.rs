//! Re-anchoring: putting codings back on their text after a transcript
//! changed, and finding those whose anchors are stale.
//!
//! Transcripts get corrected after coding starts (a misheard word, a name
//! pseudonymised), which shifts offsets. `realist check` ([`check`]) compares
//! every coding with the text at its offsets and places those that no longer
//! fit ([`place`]: by quote and context together, never two codings of one
//! coder and code on one place, never silently far away); what it cannot
//! place stays where it was, flagged `unplaced` with the reason, never
//! dropped. [`stale`] is the cheap check every command runs.

mod align;
mod place;
mod stale;

pub use place::{How, NEARBY, Placement, place, place_all, strong};
pub use stale::{Stale, stale};

use std::collections::{BTreeMap, HashMap};

use crate::coding::Coding;
use crate::coding::store::{self, CoderFile};
use crate::error::Result;
use crate::index::Index;
use crate::text::Span;
use crate::transcript::Transcript;

/// What `realist check` did with one coding (`"type":"anchor"`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// The coder.
    pub coder: String,
    /// The coding's id.
    pub id: String,
    /// Its document.
    pub doc: String,
    /// Its code.
    pub code: String,
    /// `moved` or `unplaced`.
    pub outcome: &'static str,
    /// The span before the check.
    pub from: Span,
    /// The span after it (moved codings only).
    pub to: Option<Span>,
    /// How it was found (moved codings only).
    pub how: Option<How>,
    /// The quote before the check.
    pub quote: String,
    /// The quote after it, when a close match changed it.
    pub new_quote: Option<String>,
    /// Why it could not be placed (unplaced codings only).
    pub reason: Option<String>,
}

/// Totals of a `realist check`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Checked {
    /// Codings looked at.
    pub codings: usize,
    /// Of those, codings whose document changed since they were anchored.
    pub verified: usize,
    /// Codings moved to their text's new place.
    pub moved: usize,
    /// Codings that could not be placed (kept, flagged `unplaced`).
    pub unplaced: usize,
    /// True when nothing was written.
    pub dry_run: bool,
}

/// Re-anchors every coder's codings against the current corpus: every
/// coding is compared with the text at its offsets (whatever its
/// revision says); those that no longer fit are placed again ([`place_all`],
/// one coder's codings of one code in one document together), moved when
/// their text is found, and flagged `unplaced` (never removed, never moved)
/// when it is not, or not without doubt; codings found again lose the flag.
/// Writes each coder file (under its lock) unless `dry_run`. Returns the
/// totals and one report per moved or unplaced coding.
pub fn check(index: &Index, dry_run: bool) -> Result<(Checked, Vec<Report>)> {
    let project = index.project();
    let mut totals = Checked {
        dry_run,
        ..Checked::default()
    };
    let mut reports = Vec::new();
    let mut transcripts: HashMap<String, Option<Transcript>> = HashMap::new();
    for coder in store::coders(project)? {
        let mut pass = |file: &mut CoderFile| -> Result<bool> {
            let before: Vec<(usize, usize, Option<String>, Option<String>)> = file
                .codings
                .iter()
                .map(|c| (c.start, c.end, c.rev.clone(), c.unplaced.clone()))
                .collect();
            // One coder's codings of one code in one document, together.
            let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
            for (i, c) in file.codings.iter().enumerate() {
                groups
                    .entry((c.doc.clone(), c.code.clone()))
                    .or_default()
                    .push(i);
            }
            for ((doc, _), members) in groups {
                totals.codings += members.len();
                let rev = index.revision(&doc);
                if rev.is_some() {
                    totals.verified += members
                        .iter()
                        .filter(|&&i| file.codings[i].rev.as_deref() != rev)
                        .count();
                    if !transcripts.contains_key(&doc) {
                        let t = index.transcript(&doc).ok();
                        transcripts.insert(doc.clone(), t);
                    }
                }
                let t = match (rev, transcripts.get(&doc)) {
                    (Some(_), Some(Some(t))) => t,
                    // A document that cannot be read now is left alone.
                    (Some(_), _) => continue,
                    (None, _) => {
                        let reason = format!("document '{doc}' is no longer in the corpus");
                        for &i in &members {
                            flag(&file.coder, &mut file.codings[i], &reason, &mut reports);
                            totals.unplaced += 1;
                        }
                        continue;
                    }
                };
                let placements = {
                    let group: Vec<&Coding> = members.iter().map(|&i| &file.codings[i]).collect();
                    place_all(t, &group)
                };
                for (&i, placement) in members.iter().zip(placements) {
                    let c = &mut file.codings[i];
                    match placement {
                        Placement::Fits => {}
                        Placement::Moved { span, how } => {
                            let mut r =
                                report(&file.coder, c, "moved", Some(span), Some(how), None);
                            c.set_span(t, span);
                            r.new_quote = (c.quote != r.quote).then(|| c.quote.clone());
                            reports.push(r);
                            totals.moved += 1;
                        }
                        other => {
                            let reason = other.reason().unwrap_or_default();
                            flag(&file.coder, c, &reason, &mut reports);
                            totals.unplaced += 1;
                            continue;
                        }
                    }
                    c.unplaced = None;
                    c.rev = rev.map(str::to_string);
                }
            }
            let changed = file
                .codings
                .iter()
                .zip(&before)
                .any(|(c, b)| (c.start, c.end, &c.rev, &c.unplaced) != (b.0, b.1, &b.2, &b.3));
            Ok(changed)
        };
        if dry_run {
            pass(&mut store::load(project, &coder)?)?;
        } else {
            store::update(project, &coder, |f| Ok(((), pass(f)?)))?;
        }
    }
    Ok((totals, reports))
}

/// Flags `c` as unplaced for `reason`, reporting it.
fn flag(coder: &str, c: &mut Coding, reason: &str, reports: &mut Vec<Report>) {
    reports.push(report(coder, c, "unplaced", None, None, Some(reason)));
    c.unplaced = Some(reason.to_string());
}

fn report(
    coder: &str,
    c: &Coding,
    outcome: &'static str,
    to: Option<Span>,
    how: Option<How>,
    reason: Option<&str>,
) -> Report {
    Report {
        coder: coder.to_string(),
        id: c.id.clone(),
        doc: c.doc.clone(),
        code: c.code.clone(),
        outcome,
        from: c.span(),
        to,
        how,
        quote: c.quote.clone(),
        new_quote: None,
        reason: reason.map(str::to_string),
    }
}
