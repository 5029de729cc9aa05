//! The incremental refresh: bringing the index and its manifest in step
//! with the corpus before [`super::Index::open`] returns.
//!
//! The manifest is compared with the corpus files: a file whose size and
//! modification time are unchanged is kept without being read, one whose
//! time changed but whose content hash did not is kept too, and only added
//! or changed files are parsed and (re-)indexed; the turns of changed and
//! removed files are deleted. The whole index is rebuilt from scratch when
//! it is missing, unreadable, foreign, out of step with its manifest, or
//! made with other settings (the fingerprint). Nothing is committed, and the
//! manifest is not written, unless the whole refresh succeeds; the manifest
//! is written only when it changed, so a command that finds the corpus as
//! it was writes nothing (on a full disk too).

use std::collections::{HashMap, HashSet};

use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::schema::Schema;
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, Term};

use super::manifest::{DocEntry, FORMAT_VERSION, Manifest};
use super::{Fields, schema, turn_documents};
use crate::analysis;
use crate::corpus::{CorpusFile, DocSummary};
use crate::error::{Error, Problem, Result};
use crate::progress::Progress;
use crate::project::Project;
use crate::transcript::{Format, Layout, Transcript};

/// Memory the index writer may use before flushing a segment (all threads).
const WRITER_MEMORY: usize = 200_000_000;

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

/// Takes the lock of the state folder `state` (`.realist/lock`), waiting
/// while another process holds it: two realist processes refreshing at
/// once would both write, so the second waits until the first is done.
pub(super) fn lock(state: &Path) -> Result<crate::files::Lock> {
    crate::files::lock(&state.join("lock"))
}

/// A refreshed index: tantivy's, the manifest that describes it, and what
/// the refresh did.
pub(super) struct Refreshed {
    /// The tantivy index.
    pub(super) index: tantivy::Index,
    /// Its folder, for errors.
    pub(super) dir: PathBuf,
    /// Its fields.
    pub(super) fields: Fields,
    /// The manifest, as written.
    pub(super) manifest: Manifest,
    /// What the refresh did.
    pub(super) refresh: Refresh,
    /// Warnings about the state folder (it could not be written).
    pub(super) notes: Vec<Problem>,
}

/// Brings the index in the state folder `state` in step with the corpus
/// `files` and writes its manifest when it changed; the caller holds the
/// [`lock`].
pub(super) fn refresh(
    project: &Project,
    state: &Path,
    files: &[CorpusFile],
    progress: &dyn Progress,
) -> Result<Refreshed> {
    let fingerprint = fingerprint(project);
    let manifest_path = state.join("manifest.json");
    let dir = state.join("index");
    let (schema, fields) = schema();

    let (index, mut manifest, rebuilt, trusted) =
        load(&manifest_path, &dir, &schema, &fingerprint)?;
    manifest.version = FORMAT_VERSION;
    manifest.fingerprint = fingerprint;

    let mut refresh = Refresh {
        rebuilt,
        ..Refresh::default()
    };
    let indexer = Indexer {
        project,
        index: &index,
        fields: &fields,
        dir: &dir,
    };
    let changed = indexer.update(files, &mut manifest, &mut refresh, progress)?;
    if changed || !trusted {
        manifest.write(&manifest_path)?;
    }
    Ok(Refreshed {
        index,
        dir,
        fields,
        manifest,
        refresh,
        notes: Vec::new(),
    })
}

/// Returns the index in `dir` and its manifest, and true (the manifest on
/// disk is the one returned); or, when they cannot be trusted, a new empty
/// index, an empty manifest, why (no reason when there was nothing to
/// rebuild) and false.
fn load(
    manifest_path: &Path,
    dir: &Path,
    schema: &Schema,
    fingerprint: &str,
) -> Result<(tantivy::Index, Manifest, Option<String>, bool)> {
    let (mut manifest, mut rebuilt) = read_manifest(manifest_path, dir, fingerprint);
    let index = match open_tantivy(dir, schema, &manifest, false) {
        Ok(Some(index)) if rebuilt.is_none() => return Ok((index, manifest, None, true)),
        outcome => {
            if let Err(reason) = outcome {
                rebuilt.get_or_insert(reason);
            }
            manifest = Manifest::default();
            create_tantivy(dir, schema)?
        }
    };
    Ok((index, manifest, rebuilt, false))
}

/// Reads the manifest at `path`; an empty one, and why the index must be
/// rebuilt, when it is unreadable or was written with other settings.
pub(super) fn read_manifest(
    path: &Path,
    index_dir: &Path,
    fingerprint: &str,
) -> (Manifest, Option<String>) {
    match Manifest::read(path) {
        Some(m) if m.version == FORMAT_VERSION && m.fingerprint == fingerprint => (m, None),
        Some(_) => (
            Manifest::default(),
            Some("the index format or the speaker settings changed".to_string()),
        ),
        None => {
            let rebuilt = index_dir
                .exists()
                .then(|| "the index manifest was missing or unreadable".to_string());
            (Manifest::default(), rebuilt)
        }
    }
}

/// Returns a hash of everything that shapes the index besides the corpus.
pub(super) fn fingerprint(project: &Project) -> String {
    let settings = format!(
        "{FORMAT_VERSION}\n{}\n{}",
        project.config.reading.describe(),
        project.config.corpus.display()
    );
    blake3::hash(settings.as_bytes()).to_hex()[..16].to_string()
}

fn create_tantivy(dir: &Path, schema: &Schema) -> Result<tantivy::Index> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let index = tantivy::Index::builder()
        .schema(schema.clone())
        .settings(settings())
        .create_in_dir(dir)
        .map_err(|e| Error::Index {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
    analysis::register(index.tokenizers());
    Ok(index)
}

/// Returns the settings of a new index.
pub(super) fn settings() -> tantivy::IndexSettings {
    // Search fetches every matching turn's text: an uncompressed store in
    // small blocks makes each fetch a short read instead of decompressing a
    // 16 KB block (the index grows by the size of the corpus text).
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::None,
        docstore_blocksize: 4096,
        ..Default::default()
    }
}

/// Opens an existing index (`read_only`: without writing even a lock
/// file): `Ok(None)` when there is none yet, `Err` with the reason when the
/// one there cannot be trusted.
pub(super) fn open_tantivy(
    dir: &Path,
    schema: &Schema,
    manifest: &Manifest,
    read_only: bool,
) -> std::result::Result<Option<tantivy::Index>, String> {
    if !dir.join("meta.json").exists() {
        let has_files = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
        return match (has_files, manifest.documents.is_empty()) {
            (true, _) => Err("the index folder held no readable index".into()),
            (false, false) => Err("the index was missing".into()),
            (false, true) => Ok(None),
        };
    }
    let opened = if read_only {
        super::fallback::open_read_only(dir)
    } else {
        tantivy::Index::open_in_dir(dir)
    };
    let index = opened.map_err(|e| format!("the index could not be opened ({e})"))?;
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

/// How the manifest compares with the corpus files.
pub(super) struct Plan<'f> {
    /// Entries of the files left as they were, in path order.
    pub(super) kept: Vec<DocEntry>,
    /// Files to (re-)index, each with true when it was indexed before.
    pub(super) to_parse: Vec<(&'f CorpusFile, bool)>,
    /// Ids whose turns must leave the index: of changed and removed files.
    pub(super) stale_ids: Vec<String>,
    /// Ids of documents whose files are gone.
    removed: Vec<String>,
    /// True when a kept entry took a file's new size and time.
    dirty: bool,
}

/// Compares the manifest with the corpus `files`, reading only the files
/// whose size or modification time changed.
pub(super) fn compare<'f>(
    manifest: &Manifest,
    files: &'f [CorpusFile],
    layout: Layout,
) -> Result<Plan<'f>> {
    let mut plan = Plan {
        kept: Vec::new(),
        to_parse: Vec::new(),
        stale_ids: Vec::new(),
        removed: Vec::new(),
        dirty: false,
    };
    let old: HashMap<&str, &DocEntry> = manifest
        .documents
        .iter()
        .map(|d| (d.summary.path.as_str(), d))
        .collect();
    for f in files {
        match old.get(f.path.as_str()) {
            // Size, modification and change time and inode unchanged: the
            // same file. Anything else is read and hashed.
            Some(e) if e.size == f.size && e.mtime_ns == f.mtime_ns && e.changed == f.changed => {
                plan.kept.push((*e).clone())
            }
            Some(e) => {
                let bytes = std::fs::read(&f.full).map_err(|err| Error::io(&f.full, err))?;
                if content_hash(&f.path, &bytes, layout) == e.hash {
                    plan.dirty = true;
                    let mut e = (*e).clone();
                    e.size = f.size;
                    e.mtime_ns = f.mtime_ns;
                    e.changed = f.changed;
                    plan.kept.push(e);
                } else {
                    plan.stale_ids.push(e.summary.id.clone());
                    plan.to_parse.push((f, true));
                }
            }
            None => plan.to_parse.push((f, false)),
        }
    }
    let present: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for d in &manifest.documents {
        if !present.contains(d.summary.path.as_str()) {
            plan.stale_ids.push(d.summary.id.clone());
            plan.removed.push(d.summary.id.clone());
        }
    }
    Ok(plan)
}

/// The index being refreshed, and how to read the project's transcripts
/// into it.
pub(super) struct Indexer<'a> {
    pub(super) project: &'a Project,
    pub(super) index: &'a tantivy::Index,
    pub(super) fields: &'a Fields,
    /// The index's folder, for errors.
    pub(super) dir: &'a Path,
}

impl Indexer<'_> {
    fn err(&self, e: tantivy::TantivyError) -> Error {
        Error::Index {
            path: self.dir.to_path_buf(),
            message: e.to_string(),
        }
    }

    /// Brings the index and manifest in step with `files`; commits only on
    /// success. Returns true when the manifest changed.
    pub(super) fn update(
        &self,
        files: &[CorpusFile],
        manifest: &mut Manifest,
        refresh: &mut Refresh,
        progress: &dyn Progress,
    ) -> Result<bool> {
        let Plan {
            mut kept,
            to_parse,
            stale_ids,
            removed,
            dirty,
        } = compare(manifest, files, self.project.config.reading.layout)?;
        refresh.removed.extend(removed);
        refresh.unchanged = kept.len();
        if to_parse.is_empty() && stale_ids.is_empty() {
            // `kept` is in path order; the manifest is in id order.
            kept.sort_by(|a, b| a.summary.id.cmp(&b.summary.id));
            manifest.documents = kept;
            return Ok(dirty);
        }

        let (fresh, ids) = self.reindex(&kept, to_parse, &stale_ids, refresh, progress)?;
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

    /// Deletes the turns of `stale_ids` and indexes the files `to_parse`,
    /// committing only when every one of them was read. Returns their
    /// manifest entries, and the path of every id now in the index.
    fn reindex(
        &self,
        kept: &[DocEntry],
        to_parse: Vec<(&CorpusFile, bool)>,
        stale_ids: &[String],
        refresh: &mut Refresh,
        progress: &dyn Progress,
    ) -> Result<(Vec<DocEntry>, HashMap<String, String>)> {
        let mut writer: IndexWriter = self.index.writer(WRITER_MEMORY).map_err(|e| self.err(e))?;
        for id in stale_ids {
            writer.delete_term(Term::from_field_text(self.fields.doc, id));
        }
        let mut ids: HashMap<String, String> = kept
            .iter()
            .map(|d| (d.summary.id.clone(), d.summary.path.clone()))
            .collect();
        progress.start(to_parse.iter().map(|(f, _)| f.size).sum());
        let mut fresh = Vec::with_capacity(to_parse.len());
        for (f, changed) in to_parse {
            // On any error below, `writer` is dropped without a commit, so the
            // index keeps its last committed state and the manifest is untouched.
            let entry = self.index_file(&mut writer, f, &mut ids)?;
            let id = entry.summary.id.clone();
            if changed {
                refresh.changed.push(id);
            } else {
                refresh.added.push(id);
            }
            refresh.warnings.extend(entry.warnings.iter().cloned());
            fresh.push(entry);
            progress.advance(f.size);
        }
        writer.commit().map_err(|e| self.err(e))?;
        writer.wait_merging_threads().map_err(|e| self.err(e))?;
        progress.finish();
        Ok((fresh, ids))
    }

    /// Reads and parses the file `f`, adds its turns to the index and its id
    /// to `ids` (an error if another file has it), and returns its manifest
    /// entry.
    fn index_file(
        &self,
        writer: &mut IndexWriter,
        f: &CorpusFile,
        ids: &mut HashMap<String, String>,
    ) -> Result<DocEntry> {
        let bytes = std::fs::read(&f.full).map_err(|err| Error::io(&f.full, err))?;
        let (t, warnings) =
            Transcript::parse(Path::new(&f.path), &bytes, &self.project.config.reading)?;
        if let Some(other) = ids.get(&t.id) {
            return Err(duplicate_id(t.id, other, &f.path));
        }
        ids.insert(t.id.clone(), f.path.clone());
        for d in turn_documents(self.fields, &t) {
            writer.add_document(d).map_err(|e| self.err(e))?;
        }
        Ok(DocEntry {
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
            changed: f.changed,
            hash: content_hash(&f.path, &bytes, self.project.config.reading.layout),
        })
    }
}

/// Returns the error for two files with the same id, naming them in path
/// order.
fn duplicate_id(id: String, a: &str, b: &str) -> Error {
    let (first, second) = if a < b { (a, b) } else { (b, a) };
    Error::DuplicateId {
        id,
        first: PathBuf::from(first),
        second: PathBuf::from(second),
    }
}

/// Returns the hash of what makes a transcript's canonical text: its
/// bytes, its kind, since the same bytes read as Markdown and as plain
/// text give two texts (a file renamed from `.md` to `.txt` must change
/// its revision, and every coding of it must be checked), and the
/// corpus-wide layout when it is `lines`. A Markdown file's hash under the
/// default layout is the hash of its bytes alone, so revisions made before
/// the kind and layout counted stay valid for it.
pub(super) fn content_hash(path: &str, bytes: &[u8], layout: Layout) -> String {
    let kind = crate::transcript::Format::of(std::path::Path::new(path));
    let tag = match (kind, layout) {
        (Some(Format::Markdown) | None, Layout::Paragraphs) => {
            return blake3::hash(bytes).to_hex().to_string();
        }
        (Some(kind), Layout::Paragraphs) => format!("{kind:?}\0"),
        (kind, Layout::Lines) => format!("{:?} {layout:?}\0", kind.unwrap_or(Format::Markdown)),
    };
    let mut h = blake3::Hasher::new();
    h.update(tag.as_bytes());
    h.update(bytes);
    h.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::super::tests::{NO_HITS, TempProject, hits};
    use super::*;

    const A: &str =
        "Interviewer: What did the budget pay for?\n\nP1 (parent): A cooker, the same afternoon.\n";
    const B: &str = "---\nsite: Northbrook\n---\nInterviewer: And the paperwork?\n\nSW1 (social worker): Slow, but it came.\n";

    fn two() -> TempProject {
        TempProject::new(&[("corpus/a.md", A), ("corpus/b.md", B)])
    }

    /// What a refresh did: ids added, changed and removed, and the number
    /// of documents left as they were.
    fn did(r: &Refresh) -> (Vec<&str>, Vec<&str>, Vec<&str>, usize) {
        fn ids(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        (ids(&r.added), ids(&r.changed), ids(&r.removed), r.unchanged)
    }

    #[test]
    fn the_first_open_indexes_everything() {
        let p = two();
        let r = p.refresh();
        assert_eq!(did(&r), (vec!["a", "b"], vec![], vec![], 0));
        assert!(r.touched());
        assert_eq!(r.rebuilt, None);
        assert_eq!((r.documents, r.turns), (2, 4));
        assert_eq!(r.warnings.len(), 0);
    }

    #[test]
    fn a_second_open_with_nothing_changed_touches_nothing() {
        let p = two();
        p.refresh();
        let manifest = p.read(".realist/manifest.json");
        let meta = p.read(".realist/index/meta.json");
        let r = p.refresh();
        assert_eq!(did(&r), (vec![], vec![], vec![], 2));
        assert!(!r.touched());
        assert_eq!(r.rebuilt, None);
        assert_eq!((r.documents, r.turns), (2, 4));
        assert_eq!(p.read(".realist/manifest.json"), manifest);
        assert_eq!(p.read(".realist/index/meta.json"), meta);
    }

    #[test]
    fn an_edited_transcript_is_changed() {
        let p = two();
        p.refresh();
        p.write("corpus/a.md", &A.replace("A cooker", "A washing machine"));
        let r = p.refresh();
        assert_eq!(did(&r), (vec![], vec!["a"], vec![], 1));
        assert!(r.touched());
        assert_eq!((r.documents, r.turns), (2, 4));
    }

    #[test]
    fn a_removed_transcript_is_removed() {
        let p = two();
        p.refresh();
        p.remove("corpus/b.md");
        let (index, r) = p.open().unwrap();
        assert_eq!(did(&r), (vec![], vec![], vec!["b"], 1));
        assert_eq!((r.documents, r.turns), (1, 2));
        assert_eq!(
            index.documents().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        assert!(matches!(
            index.document("b"),
            Err(Error::UnknownDocument { .. })
        ));
        assert_eq!(hits(&index, "paperwork"), NO_HITS);
    }

    #[test]
    fn a_renamed_file_keeping_its_id_is_not_removed() {
        let with_id = format!("---\nid: alpha\n---\n{A}");
        let p = TempProject::new(&[("corpus/one.md", &with_id), ("corpus/b.md", B)]);
        p.refresh();
        std::fs::create_dir(p.path("corpus/sub")).unwrap();
        std::fs::rename(p.path("corpus/one.md"), p.path("corpus/sub/renamed.md")).unwrap();
        let (index, r) = p.open().unwrap();
        // Its old path is gone and its new path is new to the index.
        assert_eq!(did(&r), (vec!["alpha"], vec![], vec![], 1));
        assert_eq!((r.documents, r.turns), (2, 4));
        assert_eq!(
            index.document("alpha").unwrap().path,
            "corpus/sub/renamed.md"
        );
        // Its turns are in the index once, not twice.
        assert_eq!(
            hits(&index, "cooker"),
            [("alpha".to_string(), 2, "cooker".to_string())]
        );
    }

    #[test]
    fn a_file_whose_time_changed_but_not_its_bytes_is_not_reindexed() {
        let p = two();
        p.refresh();
        let meta = p.read(".realist/index/meta.json");
        let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        std::fs::File::options()
            .write(true)
            .open(p.path("corpus/a.md"))
            .unwrap()
            .set_modified(then)
            .unwrap();
        let r = p.refresh();
        assert_eq!(did(&r), (vec![], vec![], vec![], 2));
        assert!(!r.touched());
        assert_eq!(p.read(".realist/index/meta.json"), meta, "index committed");
        // The manifest takes the new time, so the file is not read again.
        let manifest = Manifest::read(&p.path(".realist/manifest.json")).unwrap();
        let a = &manifest.documents[0];
        assert_eq!(a.summary.id, "a");
        assert_eq!(a.mtime_ns, 1_000_000_000_000_000_000);
    }

    #[test]
    fn a_duplicate_id_fails_and_leaves_index_and_manifest_as_they_were() {
        let p = two();
        p.refresh();
        let manifest = p.read(".realist/manifest.json");
        let meta = p.read(".realist/index/meta.json");
        // An edit read before the failing file must not be committed either.
        p.write("corpus/b.md", &B.replace("Slow", "Slower than ever"));
        p.write("corpus/c.md", "---\nid: a\n---\nInterviewer: Me too.\n");
        match p.open() {
            Err(Error::DuplicateId { id, first, second }) => {
                assert_eq!(id, "a");
                assert_eq!(first, PathBuf::from("corpus/a.md"));
                assert_eq!(second, PathBuf::from("corpus/c.md"));
            }
            other => panic!("expected a duplicate id, got {other:?}"),
        }
        assert_eq!(p.read(".realist/manifest.json"), manifest);
        assert_eq!(p.read(".realist/index/meta.json"), meta);

        p.write("corpus/c.md", "---\nid: c\n---\nInterviewer: Me too.\n");
        let (index, r) = p.open().unwrap();
        assert_eq!(did(&r), (vec!["c"], vec!["b"], vec![], 1));
        assert_eq!(r.rebuilt, None);
        assert_eq!((r.documents, r.turns), (3, 5));
        assert_eq!(
            hits(&index, "slower"),
            [("b".to_string(), 2, "Slower".to_string())]
        );
    }

    /// Asserts that the index was rebuilt for `reason` and finds what it
    /// should.
    #[track_caller]
    fn assert_rebuilt(p: &TempProject, reason: &str) {
        let (index, r) = p.open().unwrap();
        assert_eq!(r.rebuilt.as_deref(), Some(reason));
        assert_eq!(did(&r), (vec!["a", "b"], vec![], vec![], 0));
        assert_eq!((r.documents, r.turns), (2, 4));
        assert_eq!(
            hits(&index, "cooker"),
            [("a".to_string(), 2, "cooker".to_string())]
        );
        // And the next open trusts it.
        let r = p.refresh();
        assert_eq!(r.rebuilt, None);
        assert_eq!(did(&r), (vec![], vec![], vec![], 2));
    }

    #[test]
    fn a_corrupt_index_folder_is_rebuilt() {
        let p = two();
        p.refresh();
        p.write(".realist/index/meta.json", "this is not an index");
        let (_, r) = p.open().unwrap();
        let reason = r.rebuilt.clone().unwrap();
        assert!(
            reason.starts_with("the index could not be opened (") && reason.ends_with(')'),
            "{reason}"
        );
        assert_eq!(did(&r), (vec!["a", "b"], vec![], vec![], 0));

        std::fs::remove_dir_all(p.path(".realist/index")).unwrap();
        p.write(".realist/index/junk.bin", "junk");
        assert_rebuilt(&p, "the index folder held no readable index");
    }

    #[test]
    fn a_foreign_index_is_rebuilt() {
        let p = two();
        p.refresh();
        let dir = p.path(".realist/index");
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::create_dir(&dir).unwrap();
        let mut schema = Schema::builder();
        schema.add_text_field("body", tantivy::schema::TEXT);
        tantivy::Index::create_in_dir(&dir, schema.build()).unwrap();
        assert_rebuilt(&p, "the index was made by another program or version");
    }

    #[test]
    fn an_index_out_of_step_with_its_manifest_is_rebuilt() {
        let p = two();
        p.refresh();
        let manifest_path = p.path(".realist/manifest.json");
        let edit = |change: &dyn Fn(&mut Manifest)| {
            let mut m = Manifest::read(&manifest_path).unwrap();
            change(&mut m);
            m.write(&manifest_path).unwrap();
        };

        edit(&|m| m.documents[0].summary.turns += 1);
        assert_rebuilt(&p, "the index did not match its manifest");

        edit(&|m| m.fingerprint = "0123456789abcdef".into());
        assert_rebuilt(&p, "the index format or the speaker settings changed");

        edit(&|m| m.version = FORMAT_VERSION + 1);
        assert_rebuilt(&p, "the index format or the speaker settings changed");

        p.remove(".realist/manifest.json");
        assert_rebuilt(&p, "the index manifest was missing or unreadable");

        p.write(".realist/manifest.json", "{");
        assert_rebuilt(&p, "the index manifest was missing or unreadable");

        std::fs::remove_dir_all(p.path(".realist/index")).unwrap();
        assert_rebuilt(&p, "the index was missing");
    }

    #[test]
    fn search_finds_the_new_text_of_a_changed_transcript_not_the_old() {
        let p = two();
        let (index, _) = p.open().unwrap();
        assert_eq!(
            hits(&index, "cooker"),
            [("a".to_string(), 2, "cooker".to_string())]
        );
        p.write("corpus/a.md", &A.replace("A cooker", "A washing machine"));
        let (index, r) = p.open().unwrap();
        assert_eq!(did(&r), (vec![], vec!["a"], vec![], 1));
        assert_eq!(hits(&index, "cooker"), NO_HITS);
        assert_eq!(
            hits(&index, "\"washing machine\""),
            [("a".to_string(), 2, "washing machine".to_string())]
        );
        // The other document is still found.
        assert_eq!(
            hits(&index, "paperwork"),
            [("b".to_string(), 1, "paperwork".to_string())]
        );
    }
}
