//! Benchmark coders' files: the codes and spans they pick from, the
//! transcripts they code, and saving their codings as `realist code` does.
//! Shared by the coding, agreement and export measures.

use std::path::{Path, PathBuf};

use realist::coding::store;
use realist::{Coding, Index, Project, Span, Transcript};

use crate::BoxResult;

/// At most this many transcripts (evenly spaced in id order) hold a
/// benchmark coder's codings.
pub const LOAD_DOCS: usize = 1000;
/// Codes for whole turns and for sentences: different, so that no sentence
/// coding is skipped as covered by a turn coding with the same code.
pub const TURN_CODES: &[&str] = &[
    "Money/Budget holding",
    "Relationships/Trust",
    "Process/Speed",
    "Outcomes/Housing",
];
pub const SENTENCE_CODES: &[&str] = &[
    "Money/Spending",
    "Relationships/Worker",
    "Process/Approval",
    "Outcomes/Children",
];
/// The `created` time of every benchmark coding.
pub const CREATED: &str = "2026-01-01T00:00:00Z";

pub fn coder_path(project: &Project, coder: &str) -> PathBuf {
    project.codings_dir().join(format!("{coder}.jsonl"))
}

/// Deletes a file if it exists.
pub fn remove_if_exists(path: &Path) -> BoxResult<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// Deletes a coder's file if it exists.
pub fn remove_coder(project: &Project, coder: &str) -> BoxResult<()> {
    remove_if_exists(&coder_path(project, coder))
}

/// Adds `codings` to `coder`'s file as `realist code` saves them (the
/// library's one save path, `store::add`). Returns how many were added
/// and how many skipped.
pub fn save_codings(
    project: &Project,
    coder: &str,
    codings: Vec<Coding>,
) -> BoxResult<(usize, usize)> {
    let done = store::add(project, coder, codings, false, false)?;
    Ok((done.added.len(), done.skipped))
}

/// The transcripts a benchmark coder codes, at most [`LOAD_DOCS`] evenly
/// spaced in id order, each with its share of `total` codings.
pub fn coded_docs(index: &Index, total: usize) -> Vec<(String, usize)> {
    let ids: Vec<String> = index.documents().map(|d| d.id.clone()).collect();
    let n_docs = ids.len().min(LOAD_DOCS);
    (0..n_docs)
        .map(|k| {
            let quota = total * (k + 1) / n_docs - total * k / n_docs;
            (ids[k * ids.len() / n_docs].clone(), quota)
        })
        .collect()
}

/// Returns the (span, code) pairs a benchmark coder picks from: every turn
/// body with each of `turn_codes` ([`TURN_CODES`] unless said otherwise),
/// then every sentence with each of `sentence_codes` (empty spans left out).
pub fn candidates<'c>(
    t: &Transcript,
    turn_codes: &[&'c str],
    sentence_codes: &[&'c str],
) -> Vec<(Span, &'c str)> {
    let mut out: Vec<(Span, &'c str)> = Vec::new();
    for turn in &t.turns {
        for code in turn_codes {
            out.push((turn.body, *code));
        }
    }
    for s in t.sentences() {
        for code in sentence_codes {
            out.push((s, *code));
        }
    }
    out.retain(|(s, _)| s.end > s.start);
    out
}
