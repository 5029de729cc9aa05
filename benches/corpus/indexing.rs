//! Indexing: a full build with `realist::Index::open` and a bare-tantivy
//! baseline of the same turns (`turns.bin`), each in a child process so
//! that its peak memory is its own; then, in this process, `Index::open`
//! with nothing changed and after rewriting one transcript.

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use realist::{Index, Progress, Project, Silent, analysis};
use tantivy::schema::{Field, Schema};
use tantivy::{IndexWriter, TantivyDocument};

use crate::child::{MemSampler, Results, run_phase};
use crate::generate::{Corpus, Record, SITES, SideReader, Totals, slug};
use crate::report::{Latency, latency, mb_kb, ms, secs, verdict};
use crate::{Args, BoxResult};

/// The writer memory budget realist uses (`src/index/mod.rs`).
const WRITER_MEMORY: usize = 200_000_000;

/// Reports indexing progress on stderr every tenth of the corpus.
struct Tenths {
    total: AtomicU64,
    done: AtomicU64,
    started: Instant,
}

impl Progress for Tenths {
    fn start(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }
    fn advance(&self, done: u64) {
        let total = self.total.load(Ordering::Relaxed).max(1);
        let before = self.done.fetch_add(done, Ordering::Relaxed);
        let after = before + done;
        if before * 10 / total != after * 10 / total {
            eprintln!(
                "  realist: {}% of the corpus read after {:.1} s",
                after * 100 / total,
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}

/// The `build` phase: a full build of `DIR/project` from scratch.
pub fn build_phase(dir: &Path) -> BoxResult<()> {
    let project_dir = dir.join("project");
    let state = project_dir.join(".realist");
    if state.exists() {
        std::fs::remove_dir_all(&state)?;
    }
    let project = Project::open(&project_dir)?;
    let sampler = MemSampler::start();
    let progress = Tenths {
        total: 0.into(),
        done: 0.into(),
        started: Instant::now(),
    };
    let started = Instant::now();
    let (index, refresh) = Index::open(&project, &progress)?;
    let secs = started.elapsed().as_secs_f64();
    let memory = sampler.finish();
    drop(index);
    print_built(
        secs,
        memory,
        refresh.documents as u64,
        refresh.turns as u64,
        refresh.warnings.len(),
        &state.join("index"),
    );
    Ok(())
}

/// Returns realist's own index schema and its fields, so that the baseline
/// indexes exactly the same fields.
fn baseline_schema() -> BoxResult<(Schema, [Field; 8])> {
    let schema = realist::index::tantivy_schema();
    let mut fields = Vec::new();
    for name in [
        "doc", "turn", "speaker", "role", "attr", "text", "exact", "start",
    ] {
        fields.push(schema.get_field(name)?);
    }
    let fields: [Field; 8] = fields
        .try_into()
        .map_err(|_| "realist's schema changed: update baseline_schema")?;
    Ok((schema, fields))
}

/// The `baseline` phase: the same turns indexed with bare tantivy.
pub fn baseline_phase(dir: &Path) -> BoxResult<()> {
    let out = dir.join("baseline-index");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    // The index settings (doc store compression and block size) of the index
    // realist just built in the build phase, so that both write the same
    // store whatever src/index/mod.rs chooses.
    let settings = tantivy::Index::open_in_dir(dir.join("project/.realist/index"))
        .map(|i| i.settings().clone())
        .unwrap_or_default();
    eprintln!(
        "  baseline doc store: {:?}, {} byte blocks",
        settings.docstore_compression, settings.docstore_blocksize
    );
    let sampler = MemSampler::start();
    let started = Instant::now();
    let (schema, [doc, turn, speaker, role, attr, text, exact, start]) = baseline_schema()?;
    let index = tantivy::Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(&out)?;
    analysis::register(index.tokenizers());
    let mut writer: IndexWriter = index.writer(WRITER_MEMORY)?;
    let mut r = SideReader::new(BufReader::with_capacity(
        1 << 20,
        File::open(dir.join("turns.bin"))?,
    ));
    let (mut id, mut attrs) = (String::new(), Vec::new());
    let (mut docs, mut turns) = (0u64, 0u64);
    while let Some(rec) = r.next()? {
        match rec {
            Record::Doc {
                id: i, attrs: a, ..
            } => {
                id = i;
                attrs = a;
                docs += 1;
            }
            Record::Turn {
                turn: n,
                speaker: s,
                role: ro,
                body,
                start: st,
            } => {
                let mut d = TantivyDocument::default();
                d.add_text(doc, &id);
                d.add_u64(turn, n);
                if let Some(s) = &s {
                    d.add_text(speaker, s);
                }
                if let Some(ro) = &ro {
                    d.add_text(role, ro);
                }
                for a in &attrs {
                    d.add_text(attr, a);
                }
                d.add_text(text, &body);
                d.add_text(exact, &body);
                d.add_u64(start, st);
                writer.add_document(d)?;
                turns += 1;
            }
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let secs = started.elapsed().as_secs_f64();
    let memory = sampler.finish();
    print_built(secs, memory, docs, turns, 0, &out);
    Ok(())
}

/// Prints a full build's `RESULT` line: its time, its peak memory (as
/// [`MemSampler::finish`] returns it), what it indexed and the size of the
/// index in `index`.
fn print_built(
    secs: f64,
    (hwm, anon, file): (u64, u64, u64),
    docs: u64,
    turns: u64,
    warnings: usize,
    index: &Path,
) {
    println!(
        "RESULT secs={secs} hwm_kb={hwm} anon_kb={anon} file_kb={file} docs={docs} turns={turns} warnings={warnings} bytes={}",
        dir_size(index)
    );
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Runs the two full builds in child processes, times `Index::open` on
/// the built index, and appends the indexing table to `report`.
pub fn indexing_report(args: &Args, corpus: &Corpus, report: &mut String) -> BoxResult<()> {
    let (realist, baseline) = full_builds(args, &corpus.totals)?;
    let project = Project::open(&corpus.project)?;
    let no_change = open_unchanged(&project)?;
    let incremental = open_after_edits(args, corpus, &project)?;
    let t = &corpus.totals;
    let ratio = realist["secs"] / baseline["secs"];
    let _ = writeln!(report, "\n### Indexing\n");
    let _ = writeln!(
        report,
        "| measure | realist | bare tantivy | realist / tantivy | target | |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---|---|");
    let _ = writeln!(
        report,
        "| full build | {} | {} | {ratio:.2} | ≤ 1.5 × tantivy | {} |",
        secs(realist["secs"]),
        secs(baseline["secs"]),
        verdict(ratio <= 1.5)
    );
    let mb_per_s = |s: f64| t.bytes as f64 / 1e6 / s;
    let _ = writeln!(
        report,
        "| throughput | {:.1} MB/s | {:.1} MB/s | | | |",
        mb_per_s(realist["secs"]),
        mb_per_s(baseline["secs"])
    );
    let hwm_target = 1024.0 * 1024.0;
    let _ = writeln!(
        report,
        "| peak memory (VmHWM) | {} | {} | {:.2} | < 1 GB | {} |",
        mb_kb(realist["hwm_kb"]),
        mb_kb(baseline["hwm_kb"]),
        realist["hwm_kb"] / baseline["hwm_kb"],
        verdict(realist["hwm_kb"] < hwm_target)
    );
    let _ = writeln!(
        report,
        "| ↳ peak anonymous RSS | {} | {} | | | |",
        mb_kb(realist["anon_kb"]),
        mb_kb(baseline["anon_kb"])
    );
    let _ = writeln!(
        report,
        "| ↳ peak file-backed RSS (mmap) | {} | {} | | | |",
        mb_kb(realist["file_kb"]),
        mb_kb(baseline["file_kb"])
    );
    let _ = writeln!(
        report,
        "| index size | {:.0} MB | {:.0} MB | | | |",
        realist["bytes"] / 1e6,
        baseline["bytes"] / 1e6
    );
    let _ = writeln!(
        report,
        "| `Index::open`, one transcript changed (p50 / max of {}) | {} / {} | | | < 0.5 s | {} |",
        args.edits.max(2),
        ms(incremental.p50),
        ms(incremental.p99),
        verdict(incremental.p99 < Duration::from_millis(500))
    );
    let _ = writeln!(
        report,
        "| `Index::open`, nothing changed (p50 / max of 10) | {} / {} | | | | |",
        ms(no_change.p50),
        ms(no_change.p99)
    );
    Ok(())
}

/// (a), (b), (e): the full builds in child processes; checks that realist,
/// the baseline and the generator counted the same turns.
fn full_builds(args: &Args, t: &Totals) -> BoxResult<(Results, Results)> {
    eprintln!("full build with realist::Index::open …");
    let realist = run_phase(args, "build")?;
    eprintln!("  {:.1} s", realist["secs"]);
    eprintln!("full build with bare tantivy (baseline) …");
    let baseline = run_phase(args, "baseline")?;
    eprintln!("  {:.1} s", baseline["secs"]);
    if realist["turns"] != baseline["turns"] || realist["turns"] as u64 != t.turns {
        return Err(format!(
            "turn counts differ: realist {}, baseline {}, generator {}",
            realist["turns"], baseline["turns"], t.turns
        )
        .into());
    }
    Ok((realist, baseline))
}

/// (c): `Index::open` with nothing changed, 10 times.
fn open_unchanged(project: &Project) -> BoxResult<Latency> {
    let mut no_change = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let (index, refresh) = Index::open(project, &Silent)?;
        no_change.push(started.elapsed());
        assert!(
            !refresh.touched(),
            "nothing changed, yet the index was touched"
        );
        drop(index);
    }
    Ok(latency(no_change))
}

/// (c): `Index::open` after rewriting the middle transcript (in path
/// order), `--edits` times (at least twice), every other time a paragraph
/// added and then taken away again; the transcript is restored at the end.
fn open_after_edits(args: &Args, corpus: &Corpus, project: &Project) -> BoxResult<Latency> {
    let edited = {
        let mut files: Vec<PathBuf> = Vec::new();
        for site in SITES {
            for e in std::fs::read_dir(corpus.project.join("corpus").join(slug(site.0)))? {
                files.push(e?.path());
            }
        }
        files.sort();
        files[files.len() / 2].clone()
    };
    let original = std::fs::read(&edited)?;
    let mut incremental = Vec::new();
    for i in 0..args.edits.max(2) {
        let content = if i % 2 == 0 {
            let mut c = original.clone();
            c.extend_from_slice(
                format!("\n\nThis paragraph was added by the benchmark, edit {i}.").as_bytes(),
            );
            c
        } else {
            original.clone()
        };
        std::fs::write(&edited, &content)?;
        let started = Instant::now();
        let (index, refresh) = Index::open(project, &Silent)?;
        incremental.push(started.elapsed());
        assert_eq!(
            refresh.changed.len(),
            1,
            "one transcript should be re-indexed"
        );
        drop(index);
    }
    std::fs::write(&edited, &original)?;
    Ok(latency(incremental))
}
