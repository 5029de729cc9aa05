//! The synthetic corpus: generated once per directory (a marker file records
//! the parameters) and reused by later runs, then checked against realist's
//! own parser.

mod rng;
mod side;
mod transcript;
mod vocab;

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use realist::Transcript;
use realist::transcript::Reading;

pub use rng::{Rng, pick_weighted, shuffle};
pub use side::{Record, SideReader};
pub use transcript::{SITES, slug};
pub use vocab::{PSEUDO_WORDS, RANKED_DOMAIN_WORDS, Vocab, osa_distance};

use crate::{Args, BoxResult};
use transcript::write_transcript;

/// Bumped whenever the generator's output changes, so old corpora are redone.
const GENERATOR_VERSION: u32 = 1;
/// Default seed of the generator.
pub const DEFAULT_SEED: u64 = 0x5EED_2025;
/// Target size of one transcript in bytes.
pub const DOC_BYTES: u64 = 100_000;

pub struct Totals {
    pub docs: u64,
    pub turns: u64,
    pub words: u64,
    pub bytes: u64,
}

pub struct Corpus {
    pub project: PathBuf,
    pub totals: Totals,
    pub generated_secs: Option<f64>,
}

pub fn marker_text(args: &Args, docs: u64) -> String {
    format!(
        "generator={GENERATOR_VERSION} seed={} docs={docs} doc_bytes={DOC_BYTES}\n",
        args.seed
    )
}

/// Generates the corpus into `DIR/project` unless the marker says it is there.
pub fn ensure_corpus(args: &Args) -> BoxResult<Corpus> {
    let docs = (args.size / DOC_BYTES).max(1);
    let project = args.dir.join("project");
    let side = args.dir.join("turns.bin");
    let marker = args.dir.join("corpus.done");
    let expected = marker_text(args, docs);
    if let Ok(text) = std::fs::read_to_string(&marker)
        && let Some(stats) = text.strip_prefix(&expected)
        && side.exists()
    {
        let get = |key: &str| -> u64 {
            stats
                .split_whitespace()
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        eprintln!("reusing the corpus in {}", project.display());
        return Ok(Corpus {
            project,
            totals: Totals {
                docs,
                turns: get("turns"),
                words: get("words"),
                bytes: get("bytes"),
            },
            generated_secs: None,
        });
    }

    eprintln!(
        "generating {docs} transcripts (~{} MB) in {}",
        docs * DOC_BYTES / 1_000_000,
        project.display()
    );
    let _ = std::fs::remove_file(&marker);
    if project.exists() {
        std::fs::remove_dir_all(&project)?;
    }
    let corpus = project.join("corpus");
    for (site, _, _) in SITES {
        std::fs::create_dir_all(corpus.join(slug(site)))?;
    }
    std::fs::write(
        project.join("realist.toml"),
        "[project]\nname = \"realist benchmark corpus\"\n\n[corpus]\nfolder = \"corpus\"\n",
    )?;
    let started = Instant::now();
    let vocab = Vocab::build();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&side)?);
    let mut totals = Totals {
        docs,
        turns: 0,
        words: 0,
        bytes: 0,
    };
    let mut buf = Vec::new();
    for n in 0..docs {
        let (bytes, turns, words) =
            write_transcript(&vocab, args.seed, n, &corpus, &mut out, &mut buf)?;
        totals.bytes += bytes;
        totals.turns += turns;
        totals.words += words;
        if (n + 1) % 1000 == 0 {
            eprintln!("  {} / {docs} transcripts", n + 1);
        }
    }
    out.flush()?;
    drop(out);
    let secs = started.elapsed().as_secs_f64();
    eprintln!("generated in {secs:.1} s; checking a sample against realist's parser");
    verify_sample(&project, &side, 40)?;
    std::fs::write(
        &marker,
        format!(
            "{expected}turns={} words={} bytes={}\n",
            totals.turns, totals.words, totals.bytes
        ),
    )?;
    Ok(Corpus {
        project,
        totals,
        generated_secs: Some(secs),
    })
}

/// Checks that realist splits the first `n` transcripts into exactly the
/// turns the generator recorded for the baseline.
fn verify_sample(project: &Path, side: &Path, n: usize) -> BoxResult<()> {
    let mut r = SideReader::new(BufReader::new(File::open(side)?));
    let pattern = Reading::default();
    let mut checked = 0;
    let mut current: Option<(Transcript, Vec<String>)> = None;
    let mut seen_turns = 0usize;
    let finish = |cur: &Option<(Transcript, Vec<String>)>, seen: usize| -> BoxResult<()> {
        if let Some((t, _)) = cur
            && t.turns.len() != seen
        {
            return Err(format!(
                "{}: realist found {} turns, generator {seen}",
                t.id,
                t.turns.len()
            )
            .into());
        }
        Ok(())
    };
    while let Some(rec) = r.next()? {
        match rec {
            Record::Doc { path, id, attrs } => {
                finish(&current, seen_turns)?;
                if checked == n {
                    return Ok(());
                }
                checked += 1;
                let bytes = std::fs::read(project.join(&path))?;
                let (t, warnings) = Transcript::parse(Path::new(&path), &bytes, &pattern)?;
                if !warnings.is_empty() {
                    return Err(format!("{path}: unexpected warnings {warnings:?}").into());
                }
                if t.id != id {
                    return Err(format!("{path}: id {} != {id}", t.id).into());
                }
                let theirs: Vec<String> = t
                    .attributes
                    .iter()
                    .flat_map(|(k, v)| {
                        v.values()
                            .iter()
                            .map(move |v| format!("{k}={v}").to_lowercase())
                    })
                    .collect();
                if theirs != attrs {
                    return Err(format!("{path}: attributes {theirs:?} != {attrs:?}").into());
                }
                current = Some((t, attrs));
                seen_turns = 0;
            }
            Record::Turn {
                turn,
                speaker,
                role,
                body,
                start,
            } => {
                let Some((t, _)) = &current else {
                    return Err("turn before document in turns.bin".into());
                };
                seen_turns += 1;
                let Some(tt) = t.turn(turn as usize) else {
                    return Err(format!("{}: realist has no turn {turn}", t.id).into());
                };
                let ours = (speaker.as_deref(), role.as_deref(), body.as_str(), start);
                let theirs = (
                    tt.speaker.as_deref(),
                    tt.role.as_deref(),
                    t.slice(tt.body),
                    tt.body.start as u64,
                );
                if ours != theirs {
                    return Err(format!(
                        "{} turn {turn}: generator {ours:?}\nrealist {theirs:?}",
                        t.id
                    )
                    .into());
                }
            }
        }
    }
    finish(&current, seen_turns)
}
