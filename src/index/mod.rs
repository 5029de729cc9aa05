//! The full-text index: tantivy under `.realist/`, kept in step with the corpus.
//!
//! One tantivy document per speaker turn, holding the document id, turn
//! number, speaker label and role, the document's attributes, and the turn's
//! text twice (stemmed and exact, with positions). The index is derived data:
//! [`Index::open`] refreshes it before returning, touching only transcripts
//! that were added, changed (by content hash) or removed, and rebuilds it
//! from scratch when it is missing, unreadable, foreign or out of step with
//! its manifest. Nothing is committed unless the whole refresh succeeds.
//! When the state folder cannot be written (a read-only or full disk),
//! reading still works: the index is used as it is when it matches the
//! corpus, and otherwise built in memory for the one command, with a
//! warning (`fallback.rs`).
//!
//! This file holds the schema and [`Index`] with its accessors; the refresh
//! is in `refresh.rs`, the manifest it keeps in `manifest.rs`, and the cache
//! of parsed transcripts, [`Transcripts`], in `transcripts.rs`.

mod fallback;
mod manifest;
mod refresh;
mod transcripts;

use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{IndexReader, ReloadPolicy, TantivyDocument};

pub use manifest::{DocEntry, FORMAT_VERSION, Manifest};
pub use refresh::Refresh;
pub use transcripts::Transcripts;

use crate::analysis;
use crate::cases::Cases;
use crate::corpus::DocSummary;
use crate::error::{Error, Problem, Result};
use crate::progress::Progress;
use crate::project::Project;
use crate::transcript::Transcript;
use refresh::Refreshed;

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) doc: Field,
    pub(crate) turn: Field,
    pub(crate) speaker: Field,
    pub(crate) role: Field,
    pub(crate) attr: Field,
    pub(crate) text: Field,
    pub(crate) exact: Field,
    pub(crate) start: Field,
}

/// Returns the schema and its fields.
pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let positions = |analyzer: &str| {
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
    };
    let keyword = TextFieldIndexing::default()
        .set_tokenizer(analysis::KEYWORD)
        .set_index_option(IndexRecordOption::Basic);
    let fields = Fields {
        doc: b.add_text_field("doc", STRING | STORED | FAST),
        turn: b.add_u64_field("turn", INDEXED | STORED | FAST),
        speaker: b.add_text_field(
            "speaker",
            TextOptions::default()
                .set_indexing_options(keyword.clone())
                .set_stored(),
        ),
        role: b.add_text_field(
            "role",
            TextOptions::default()
                .set_indexing_options(keyword.clone())
                .set_stored(),
        ),
        attr: b.add_text_field("attr", TextOptions::default().set_indexing_options(keyword)),
        text: b.add_text_field(
            "text",
            TextOptions::default()
                .set_indexing_options(positions(analysis::STEMMED))
                .set_stored(),
        ),
        exact: b.add_text_field(
            "exact",
            TextOptions::default().set_indexing_options(positions(analysis::EXACT)),
        ),
        start: b.add_u64_field("start", STORED),
    };
    (b.build(), fields)
}

/// Returns the tantivy schema of the index (fields are named as in
/// ARCHITECTURE.md); the benchmark's bare-tantivy baseline uses it.
pub fn tantivy_schema() -> Schema {
    schema().0
}

/// Returns the index terms of one attribute value: `key=value`, lower-cased.
pub(crate) fn attr_term(key: &str, value: &str) -> String {
    analysis::lowercase(&format!("{key}={value}"))
}

/// Returns the tantivy documents, one per turn, for a transcript.
pub(crate) fn turn_documents(fields: &Fields, t: &Transcript) -> Vec<TantivyDocument> {
    t.turns
        .iter()
        .map(|turn| {
            let mut d = TantivyDocument::default();
            d.add_text(fields.doc, &t.id);
            d.add_u64(fields.turn, turn.number as u64);
            if let Some(s) = &turn.speaker {
                d.add_text(fields.speaker, s);
            }
            if let Some(r) = &turn.role {
                d.add_text(fields.role, r);
            }
            for (key, value) in &t.attributes {
                for v in value.values() {
                    d.add_text(fields.attr, attr_term(key, v));
                }
            }
            let body = t.slice(turn.body);
            d.add_text(fields.text, body);
            d.add_text(fields.exact, body);
            d.add_u64(fields.start, turn.body.start as u64);
            d
        })
        .collect()
}

/// An open, up-to-date index of a project's corpus.
pub struct Index {
    pub(crate) project: Project,
    pub(crate) index: tantivy::Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    manifest: Manifest,
    /// Attribute keys in first-seen order, gathered once at open (every
    /// search checks field names against them).
    keys: Vec<String>,
    /// Case file columns, lower-cased: filters on them select documents by
    /// id, since the index holds only front matter attributes.
    pub(crate) case_keys: Vec<String>,
    cases: Option<Cases>,
    /// Warnings of this opening: links of the corpus not followed, a state
    /// folder that could not be written.
    notes: Vec<Problem>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("root", &self.project.root)
            .field("documents", &self.manifest.documents.len())
            .finish()
    }
}

impl Index {
    /// Returns the project's index, refreshed so that it matches the corpus,
    /// and what the refresh did.
    ///
    /// When the state folder cannot be written (a read-only or full disk,
    /// a folder of someone else's), the index is not saved: it is used as
    /// it is when it matches the corpus, or else built in memory for this
    /// opening, and a warning says the saved index could not be updated.
    pub fn open(project: &Project, progress: &dyn Progress) -> Result<(Index, Refresh)> {
        let state = project.state_dir();
        // The corpus is listed under the lock, so that what is indexed is
        // what was found while no other process was changing the index.
        let on_disk = || -> Result<(Refreshed, IndexReader, Vec<Problem>)> {
            std::fs::create_dir_all(&state).map_err(|e| Error::io(&state, e))?;
            let _lock = refresh::lock(&state)?;
            let scan = crate::corpus::scan(project)?;
            let refreshed = refresh::refresh(project, &state, &scan.files, progress)?;
            let reader = reader(&refreshed)?;
            Ok((refreshed, reader, scan.skipped))
        };
        let (refreshed, reader, skipped) = match on_disk() {
            Ok(done) => done,
            Err(e) if fallback::cannot_write(&e, &state) => {
                let scan = crate::corpus::scan(project)?;
                let refreshed = fallback::refresh(project, &state, &scan.files, progress, &e)?;
                let reader = reader(&refreshed)?;
                (refreshed, reader, scan.skipped)
            }
            Err(e) => return Err(e),
        };
        let Refreshed {
            index,
            fields,
            mut manifest,
            mut refresh,
            notes,
            ..
        } = refreshed;
        let notes: Vec<Problem> = skipped.into_iter().chain(notes).collect();
        refresh.warnings.splice(0..0, notes.iter().cloned());
        let (cases, case_keys) = join_cases(project, &mut manifest, &mut refresh)?;
        refresh.documents = manifest.documents.len();
        refresh.turns = manifest.total_turns();
        Ok((
            Index {
                keys: attribute_keys(&manifest),
                case_keys,
                cases,
                notes,
                project: project.clone(),
                index,
                reader,
                fields,
                manifest,
            },
            refresh,
        ))
    }

    /// Returns the project the index belongs to.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Returns the indexed documents in id order.
    pub fn documents(&self) -> impl Iterator<Item = &DocSummary> {
        self.manifest.documents.iter().map(|d| &d.summary)
    }

    /// Returns the warnings recorded for documents when they were indexed.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.manifest.documents.iter().flat_map(|d| &d.warnings)
    }

    /// Returns every value of document `doc`'s attribute `key` (ignoring
    /// case); none for an unknown document or attribute.
    pub fn attribute_values(&self, doc: &str, key: &str) -> Vec<String> {
        self.document(doc).map_or_else(
            |_| Vec::new(),
            |d| {
                d.attributes
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                    .flat_map(|(_, v)| v.values().iter().cloned())
                    .collect()
            },
        )
    }

    /// Returns document `doc`'s attribute `key` as one text, its values
    /// joined by ", "; `None` when it has none.
    pub fn attribute(&self, doc: &str, key: &str) -> Option<String> {
        let values = self.attribute_values(doc, key);
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// Returns every warning the corpus has now: the links not followed and
    /// a state folder that could not be written (found at this opening),
    /// each transcript's (kept from when it was indexed) and the case
    /// file's.
    pub fn all_warnings(&self) -> Vec<Problem> {
        let mut all: Vec<Problem> = self.notes.clone();
        all.extend(self.warnings().cloned());
        if let Some(cases) = &self.cases {
            all.extend(cases.warnings.iter().cloned());
        }
        all
    }

    /// Deletes the project's derived state (the index, the manifest, the
    /// locks' files) so that the next open rebuilds it from the corpus.
    pub fn forget(project: &Project) -> Result<()> {
        let dir = project.state_dir();
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        Ok(())
    }

    /// Returns the document with id `id`, or an error suggesting near ids.
    pub fn document(&self, id: &str) -> Result<&DocSummary> {
        self.manifest
            .documents
            .binary_search_by(|d| d.summary.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.manifest.documents[i].summary)
            .ok_or_else(|| Error::UnknownDocument {
                id: id.to_string(),
                suggestions: crate::suggest::nearest(id, self.documents().map(|d| d.id.as_str())),
            })
    }

    /// Returns the revision of document `id` (the first 16 hex digits of the
    /// BLAKE3 hash of its file), or `None` when it is not in the corpus.
    pub fn revision(&self, id: &str) -> Option<&str> {
        let i = self
            .manifest
            .documents
            .binary_search_by(|d| d.summary.id.as_str().cmp(id))
            .ok()?;
        self.manifest.documents[i].hash.get(..16)
    }

    /// Returns the project's case data, if it has a case file.
    pub fn cases(&self) -> Option<&Cases> {
        self.cases.as_ref()
    }

    /// Returns the attribute keys used in the corpus, in first-seen order.
    pub fn attribute_keys(&self) -> Vec<&str> {
        self.keys.iter().map(String::as_str).collect()
    }

    /// Reads and parses the transcript with id `id` from the corpus.
    pub fn transcript(&self, id: &str) -> Result<Transcript> {
        let doc = self.document(id)?;
        let full = self.project.root.join(&doc.path);
        let bytes = std::fs::read(&full).map_err(|e| Error::io(&full, e))?;
        Ok(Transcript::parse(Path::new(&doc.path), &bytes, &self.project.config.reading)?.0)
    }
}

/// Returns a reader of the refreshed index.
fn reader(refreshed: &Refreshed) -> Result<IndexReader> {
    refreshed
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: tantivy::TantivyError| Error::Index {
            path: refreshed.dir.clone(),
            message: e.to_string(),
        })
}

/// Joins the case file's attributes to the documents' and returns the
/// cases with their columns' names, lower-cased.
///
/// The join is in memory only: the manifest keeps what the transcripts say,
/// so editing the case file never makes a re-index necessary.
fn join_cases(
    project: &Project,
    manifest: &mut Manifest,
    refresh: &mut Refresh,
) -> Result<(Option<Cases>, Vec<String>)> {
    let cases = Cases::load(project)?;
    let mut case_keys = Vec::new();
    if let Some(cases) = &cases {
        for d in &mut manifest.documents {
            if let Some(id) = cases.merge_into(&mut d.summary).first() {
                return Err(unknown_case(project, cases, &d.summary.path, id));
            }
        }
        case_keys = cases
            .columns
            .iter()
            .map(|c| c.name.to_lowercase())
            .collect();
        refresh.warnings.extend(cases.warnings.iter().cloned());
    }
    Ok((cases, case_keys))
}

/// Returns the attribute keys of the manifest's documents, in first-seen
/// order (a set of those seen, so that a case file of many columns does not
/// take the square of their number).
fn attribute_keys(manifest: &Manifest) -> Vec<String> {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut keys: Vec<String> = Vec::new();
    for d in &manifest.documents {
        for k in d.summary.attributes.keys() {
            if seen.insert(k) {
                keys.push(k.clone());
            }
        }
    }
    keys
}

/// Returns the error for a transcript naming a case the case file lacks,
/// at the line of its `case:` key.
fn unknown_case(project: &Project, cases: &Cases, doc_path: &str, id: &str) -> Error {
    let text = std::fs::read_to_string(project.root.join(doc_path)).unwrap_or_default();
    let line = text
        .lines()
        .position(|l| {
            let key = l.split(':').next().unwrap_or("").trim().to_lowercase();
            crate::cases::CASE_KEYS.contains(&key.as_str())
        })
        .map_or(1, |i| i + 1);
    let near = crate::suggest::nearest(id, cases.rows.iter().map(|c| c.id.as_str()));
    let mean = match near.first() {
        Some(n) => format!(" (did you mean '{n}'?)"),
        None => String::new(),
    };
    Error::Transcript {
        path: PathBuf::from(doc_path),
        line,
        message: format!(
            "case '{id}' is not in {}{mean}: add a row for it there, or correct the front matter",
            cases.path.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;
    use crate::search::SearchOptions;

    /// A project in a temporary folder: `realist.toml` and its corpus.
    pub(super) struct TempProject {
        _dir: tempfile::TempDir,
        /// The project.
        pub(super) project: Project,
    }

    impl TempProject {
        /// Returns a new project whose corpus holds `files` (path from the
        /// project root, text).
        pub(super) fn new(files: &[(&str, &str)]) -> TempProject {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("realist.toml"),
                "[project]\nname = \"test\"\n\n[corpus]\nfolder = \"corpus\"\n",
            )
            .unwrap();
            std::fs::create_dir(dir.path().join("corpus")).unwrap();
            let project = Project::open(dir.path()).unwrap();
            let p = TempProject { _dir: dir, project };
            for (rel, text) in files {
                p.write(rel, text);
            }
            p
        }

        /// Returns the path of `rel`, relative to the project root.
        pub(super) fn path(&self, rel: &str) -> PathBuf {
            self.project.root.join(rel)
        }

        /// Writes `text` to `rel`, making its folder if need be.
        pub(super) fn write(&self, rel: &str, text: &str) {
            let path = self.path(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        /// Returns the bytes of `rel`.
        pub(super) fn read(&self, rel: &str) -> Vec<u8> {
            std::fs::read(self.path(rel)).unwrap()
        }

        /// Removes the file `rel`.
        pub(super) fn remove(&self, rel: &str) {
            std::fs::remove_file(self.path(rel)).unwrap();
        }

        /// Opens (and so refreshes) the project's index.
        pub(super) fn open(&self) -> Result<(Index, Refresh)> {
            Index::open(&self.project, &Silent)
        }

        /// Opens the index and returns what the refresh did.
        pub(super) fn refresh(&self) -> Refresh {
            self.open().unwrap().1
        }
    }

    /// No hits, to compare [`hits`] with.
    pub(super) const NO_HITS: &[(String, usize, String)] = &[];

    /// Returns `(document, turn, match)` of every hit of `query`.
    pub(super) fn hits(index: &Index, query: &str) -> Vec<(String, usize, String)> {
        let opts = SearchOptions {
            query: query.to_string(),
            ..SearchOptions::default()
        };
        let mut out = Vec::new();
        index
            .search(&opts, &mut |h| {
                out.push((h.doc.clone(), h.turn, h.matched.clone()));
                true
            })
            .unwrap();
        out
    }

    #[test]
    fn documents_are_listed_in_id_order_and_found_by_id() {
        let p = TempProject::new(&[
            (
                "corpus/b.md",
                "---\nsite: Northbrook\n---\nInterviewer: What changed?\n\nP1 (parent): The cooker came.\n",
            ),
            (
                "corpus/sub/a.txt",
                "---\nid: alpha\nmethod: interview\nsite: Eastfield\n---\nInterviewer: Hello.\n",
            ),
        ]);
        let (index, _) = p.open().unwrap();
        let listed: Vec<(&str, &str, usize)> = index
            .documents()
            .map(|d| (d.id.as_str(), d.path.as_str(), d.turns))
            .collect();
        assert_eq!(
            listed,
            [("alpha", "corpus/sub/a.txt", 1), ("b", "corpus/b.md", 2)]
        );
        assert_eq!(index.document("b").unwrap().path, "corpus/b.md");
        match index.document("alpah") {
            Err(Error::UnknownDocument { id, suggestions }) => {
                assert_eq!(id, "alpah");
                assert_eq!(suggestions, ["alpha"]);
            }
            other => panic!("expected an unknown document, got {other:?}"),
        }
        assert_eq!(index.attribute_keys(), ["method", "site"]);
        assert_eq!(index.transcript("b").unwrap().turns.len(), 2);
    }

    #[test]
    fn a_revision_is_the_start_of_the_file_hash() {
        let p = TempProject::new(&[("corpus/a.md", "Interviewer: Hello.\n")]);
        let (index, _) = p.open().unwrap();
        let hex = blake3::hash(&p.read("corpus/a.md")).to_hex();
        assert_eq!(index.revision("a"), Some(&hex[..16]));
        assert_eq!(index.revision("b"), None);
    }

    #[test]
    fn warnings_found_when_indexing_stay_with_the_document() {
        let p = TempProject::new(&[
            ("corpus/a.md", "Interviewer: Hello.\n"),
            ("corpus/empty.md", "---\nsite: Northbrook\n---\n\n"),
        ]);
        let message = "transcript is empty (no text after the front matter)";
        let (index, refresh) = p.open().unwrap();
        let of = |w: &Problem| (w.path.clone(), w.message.clone());
        let expected = vec![(Some(PathBuf::from("corpus/empty.md")), message.to_string())];
        assert_eq!(
            refresh.warnings.iter().map(of).collect::<Vec<_>>(),
            expected
        );
        assert_eq!(index.warnings().map(of).collect::<Vec<_>>(), expected);
        // Not read again, so not found again; still the document's.
        let (index, refresh) = p.open().unwrap();
        assert_eq!(refresh.warnings.len(), 0);
        assert_eq!(index.warnings().map(of).collect::<Vec<_>>(), expected);
    }
}
