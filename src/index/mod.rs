//! The full-text index: tantivy under `.realist/`, kept in step with the corpus.
//!
//! One tantivy document per speaker turn, holding the document id, turn
//! number, speaker label and role, the document's attributes, and the turn's
//! text twice (stemmed and exact, with positions). The index is derived data:
//! [`Index::open`] refreshes it before returning, touching only transcripts
//! that were added, changed (by content hash) or removed, and rebuilds it
//! from scratch when it is missing, unreadable, foreign or out of step with
//! its manifest. Nothing is committed unless the whole refresh succeeds.

mod manifest;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use manifest::{DocEntry, FORMAT_VERSION, Manifest};

use crate::analysis;
use crate::cases::Cases;
use crate::corpus::{self, CorpusFile, DocSummary};
use crate::error::{Error, Problem, Result};
use crate::progress::Progress;
use crate::project::Project;
use crate::transcript::Transcript;

/// Memory the index writer may use before flushing a segment (all threads).
const WRITER_MEMORY: usize = 200_000_000;

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

/// What a refresh did (`realist index` prints it; `"type":"index"` in JSON).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Refresh {
    /// Ids of documents indexed for the first time.
    pub added: Vec<String>,
    /// Ids of documents re-indexed because their content changed.
    pub changed: Vec<String>,
    /// Ids of documents whose files are gone.
    pub removed: Vec<String>,
    /// Number of documents left as they were.
    pub unchanged: usize,
    /// Why the whole index was rebuilt, if it was.
    pub rebuilt: Option<String>,
    /// Documents in the index now.
    pub documents: usize,
    /// Turns in the index now.
    pub turns: usize,
    /// Problems found in transcripts read during this refresh.
    pub warnings: Vec<Problem>,
}

impl Refresh {
    /// Returns true when the refresh changed the index.
    pub fn touched(&self) -> bool {
        !(self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty())
    }
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
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("root", &self.project.root)
            .field("documents", &self.manifest.documents.len())
            .finish()
    }
}

/// Holds the exclusive lock on `.realist/lock` while alive.
struct Lock(File);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Index {
    /// Returns the project's index, refreshed so that it matches the corpus,
    /// and what the refresh did.
    pub fn open(project: &Project, progress: &dyn Progress) -> Result<(Index, Refresh)> {
        let state = project.state_dir();
        std::fs::create_dir_all(&state).map_err(|e| Error::io(&state, e))?;
        // Two realist processes refreshing at once would both write; the
        // second waits here until the first is done.
        let lock_path = state.join("lock");
        let lock = File::create(&lock_path).map_err(|e| Error::io(&lock_path, e))?;
        lock.lock().map_err(|e| Error::io(&lock_path, e))?;
        let _lock = Lock(lock);

        let files = corpus::scan(project)?;
        let fingerprint = fingerprint(project);
        let manifest_path = state.join("manifest.json");
        let index_dir = state.join("index");
        let (schema, fields) = schema();

        let mut rebuilt = None;
        let mut manifest = match Manifest::read(&manifest_path) {
            Some(m) if m.version == FORMAT_VERSION && m.fingerprint == fingerprint => m,
            Some(_) => {
                rebuilt = Some("the index format or the speaker settings changed".to_string());
                Manifest::default()
            }
            None => {
                if index_dir.exists() {
                    rebuilt = Some("the index manifest was missing or unreadable".to_string());
                }
                Manifest::default()
            }
        };
        let index = match open_tantivy(&index_dir, &schema, &manifest) {
            Ok(Some(index)) if rebuilt.is_none() => index,
            outcome => {
                if let Err(reason) = outcome {
                    rebuilt.get_or_insert(reason);
                }
                manifest = Manifest::default();
                create_tantivy(&index_dir, &schema)?
            }
        };
        manifest.version = FORMAT_VERSION;
        manifest.fingerprint = fingerprint;

        let mut refresh = Refresh {
            rebuilt,
            ..Refresh::default()
        };
        let tantivy_err = |e: tantivy::TantivyError| Error::Index {
            path: index_dir.clone(),
            message: e.to_string(),
        };
        update(
            project,
            &index,
            &fields,
            &files,
            &mut manifest,
            &mut refresh,
            progress,
            &tantivy_err,
        )?;
        manifest.write(&manifest_path)?;
        // Case attributes join the documents' attributes in memory only: the
        // manifest keeps what the transcripts say, so editing the case file
        // never makes a re-index necessary.
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

        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err)?;
        refresh.documents = manifest.documents.len();
        refresh.turns = manifest.total_turns();
        let mut keys: Vec<String> = Vec::new();
        for d in &manifest.documents {
            for k in d.summary.attributes.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        Ok((
            Index {
                keys,
                case_keys,
                cases,
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
        Ok(Transcript::parse(
            Path::new(&doc.path),
            &bytes,
            &self.project.config.speaker_pattern,
        )?
        .0)
    }
}

/// Parsed transcripts of an index, each read on first use and kept.
pub struct Transcripts<'a> {
    index: &'a Index,
    cache: HashMap<String, Option<Transcript>>,
}

impl<'a> Transcripts<'a> {
    /// Returns an empty cache over `index`.
    pub fn new(index: &'a Index) -> Transcripts<'a> {
        Transcripts {
            index,
            cache: HashMap::new(),
        }
    }

    /// Returns the transcript `doc`, read on first use.
    pub fn get(&mut self, doc: &str) -> Result<&Transcript> {
        let slot = self.cache.entry(doc.to_string()).or_insert(None);
        if slot.is_none() {
            *slot = Some(self.index.transcript(doc)?);
        }
        slot.as_ref().ok_or_else(|| Error::UnknownDocument {
            id: doc.to_string(),
            suggestions: Vec::new(),
        })
    }

    /// Returns the turn of `doc` that code point `start` falls in, if the
    /// document is still in the corpus (a document that cannot be read is
    /// not tried again).
    pub fn turn_at(&mut self, doc: &str, start: usize) -> Option<&crate::transcript::Turn> {
        if !self.cache.contains_key(doc) {
            let t = self.index.transcript(doc).ok();
            self.cache.insert(doc.to_string(), t);
        }
        self.cache.get(doc)?.as_ref()?.turn_at(start)
    }

    /// Returns the number of the turn of `doc` that code point `start`
    /// falls in (where a coding starts), if the document is still in the
    /// corpus.
    pub fn turn_number(&mut self, doc: &str, start: usize) -> Option<usize> {
        self.turn_at(doc, start).map(|turn| turn.number)
    }
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

/// Returns a hash of everything that shapes the index besides the corpus.
fn fingerprint(project: &Project) -> String {
    let settings = format!(
        "{FORMAT_VERSION}\n{}\n{}",
        project.config.speaker_pattern.as_str(),
        project.config.corpus.display()
    );
    blake3::hash(settings.as_bytes()).to_hex()[..16].to_string()
}

fn create_tantivy(dir: &Path, schema: &Schema) -> Result<tantivy::Index> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // Search fetches every matching turn's text: an uncompressed store in
    // small blocks makes each fetch a short read instead of decompressing a
    // 16 KB block (the index grows by the size of the corpus text).
    let settings = tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_blocksize: 4096,
        ..Default::default()
    };
    let index = tantivy::Index::builder()
        .schema(schema.clone())
        .settings(settings)
        .create_in_dir(dir)
        .map_err(|e| Error::Index {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
    analysis::register(index.tokenizers());
    Ok(index)
}

/// Opens an existing index: `Ok(None)` when there is none yet, `Err` with
/// the reason when the one there cannot be trusted.
fn open_tantivy(
    dir: &Path,
    schema: &Schema,
    manifest: &Manifest,
) -> std::result::Result<Option<tantivy::Index>, String> {
    if !dir.join("meta.json").exists() {
        let has_files = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
        return match (has_files, manifest.documents.is_empty()) {
            (true, _) => Err("the index folder held no readable index".into()),
            (false, false) => Err("the index was missing".into()),
            (false, true) => Ok(None),
        };
    }
    let index = tantivy::Index::open_in_dir(dir)
        .map_err(|e| format!("the index could not be opened ({e})"))?;
    if index.schema() != *schema {
        return Err("the index was made by another program or version".into());
    }
    analysis::register(index.tokenizers());
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| format!("the index could not be read ({e})"))?;
    if reader.searcher().num_docs() as usize != manifest.total_turns() {
        return Err("the index did not match its manifest".into());
    }
    Ok(Some(index))
}

/// Brings the index and manifest in step with `files`; commits only on
/// success. Returns true when the manifest changed.
#[allow(clippy::too_many_arguments)]
fn update(
    project: &Project,
    index: &tantivy::Index,
    fields: &Fields,
    files: &[CorpusFile],
    manifest: &mut Manifest,
    refresh: &mut Refresh,
    progress: &dyn Progress,
    tantivy_err: &dyn Fn(tantivy::TantivyError) -> Error,
) -> Result<bool> {
    let mut dirty = false;
    let old: HashMap<&str, &DocEntry> = manifest
        .documents
        .iter()
        .map(|d| (d.summary.path.as_str(), d))
        .collect();
    let mut kept: Vec<DocEntry> = Vec::new();
    let mut to_parse: Vec<(&CorpusFile, Option<&DocEntry>)> = Vec::new();
    let mut stale_ids: Vec<String> = Vec::new();
    for f in files {
        match old.get(f.path.as_str()) {
            Some(e) if e.size == f.size && e.mtime_ns == f.mtime_ns => kept.push((*e).clone()),
            Some(e) => {
                let bytes = std::fs::read(&f.full).map_err(|err| Error::io(&f.full, err))?;
                if hash(&bytes) == e.hash {
                    dirty = true;
                    let mut e = (*e).clone();
                    e.size = f.size;
                    e.mtime_ns = f.mtime_ns;
                    kept.push(e);
                } else {
                    stale_ids.push(e.summary.id.clone());
                    to_parse.push((f, Some(e)));
                }
            }
            None => to_parse.push((f, None)),
        }
    }
    let present: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for d in &manifest.documents {
        if !present.contains(d.summary.path.as_str()) {
            stale_ids.push(d.summary.id.clone());
            refresh.removed.push(d.summary.id.clone());
        }
    }
    refresh.unchanged = kept.len();
    if to_parse.is_empty() && stale_ids.is_empty() {
        // `kept` is in path order; the manifest is in id order.
        kept.sort_by(|a, b| a.summary.id.cmp(&b.summary.id));
        manifest.documents = kept;
        return Ok(dirty);
    }

    let mut writer: IndexWriter = index.writer(WRITER_MEMORY).map_err(tantivy_err)?;
    for id in &stale_ids {
        writer.delete_term(Term::from_field_text(fields.doc, id));
    }
    let mut ids: HashMap<String, String> = kept
        .iter()
        .map(|d| (d.summary.id.clone(), d.summary.path.clone()))
        .collect();
    progress.start(to_parse.iter().map(|(f, _)| f.size).sum());
    let mut fresh = Vec::with_capacity(to_parse.len());
    for (f, previous) in to_parse {
        // On any error below, `writer` is dropped without a commit, so the
        // index keeps its last committed state and the manifest is untouched.
        let bytes = std::fs::read(&f.full).map_err(|err| Error::io(&f.full, err))?;
        let (t, warnings) =
            Transcript::parse(Path::new(&f.path), &bytes, &project.config.speaker_pattern)?;
        if let Some(other) = ids.get(&t.id) {
            let (first, second) = if other.as_str() < f.path.as_str() {
                (other.clone(), f.path.clone())
            } else {
                (f.path.clone(), other.clone())
            };
            return Err(Error::DuplicateId {
                id: t.id,
                first: PathBuf::from(first),
                second: PathBuf::from(second),
            });
        }
        ids.insert(t.id.clone(), f.path.clone());
        for d in turn_documents(fields, &t) {
            writer.add_document(d).map_err(tantivy_err)?;
        }
        match previous {
            Some(_) => refresh.changed.push(t.id.clone()),
            None => refresh.added.push(t.id.clone()),
        }
        refresh.warnings.extend(warnings.iter().cloned());
        fresh.push(DocEntry {
            warnings,
            summary: DocSummary {
                id: t.id.clone(),
                path: f.path.clone(),
                turns: t.turns.len(),
                words: t.words(),
                attributes: t.attributes,
            },
            size: f.size,
            mtime_ns: f.mtime_ns,
            hash: hash(&bytes),
        });
        progress.advance(f.size);
    }
    writer.commit().map_err(tantivy_err)?;
    writer.wait_merging_threads().map_err(tantivy_err)?;
    progress.finish();

    // A removed file whose id now belongs to another file is reported as
    // added, not as removed.
    refresh.removed.retain(|id| !ids.contains_key(id));
    kept.extend(fresh);
    kept.sort_by(|a, b| a.summary.id.cmp(&b.summary.id));
    manifest.documents = kept;
    refresh.added.sort();
    refresh.changed.sort();
    refresh.removed.sort();
    Ok(true)
}

fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}
