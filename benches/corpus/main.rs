//! Corpus benchmark: indexing, incremental refresh, search and coding on a
//! large synthetic corpus of interview transcripts.
//!
//! ```text
//! cargo bench --bench corpus -- --size 10MB        # or 100MB, 1GB
//! cargo bench --bench corpus -- --size 1GB --dir /data/bench-1gb
//! ```
//!
//! Options: `--size SIZE` (bytes of Markdown; `KB`, `MB`, `GB` are powers of
//! ten; default 10MB), `--dir DIR` (where the corpus and indexes live;
//! default `target/bench-corpus/SIZE`), `--runs N` (timed runs per query;
//! default 50 for selective and 20 for broad queries), `--rg-runs N` (timed
//! runs of ripgrep per query, default 10),
//! `--edits N` (timed incremental refreshes, default 6), `--coding-runs N`
//! (timed runs of each coder-file measure, default 5), `--skip-coding`,
//! `--only-agreement`, `--only-cases`, `--only-export`, `--only-hostile`,
//! `--only-key`,
//! `--seed N`.
//!
//! The corpus is generated once per directory (a marker file records the
//! parameters) and reused by later runs (`generate/`). Each run then
//! measures:
//!
//! 1. a full build with `realist::Index::open` on a fresh `.realist/`, in a
//!    child process so that its peak memory is its own (`indexing.rs`);
//! 2. a bare-tantivy baseline in another child process: the same turns,
//!    pre-split by the generator into `turns.bin`, indexed with the same
//!    schema, analyzers, index settings and writer memory budget
//!    (`indexing.rs`);
//! 3. `Index::open` with nothing changed, and after rewriting one transcript
//!    (`indexing.rs`);
//! 4. search latency for a fixed set of selective and broad queries, every
//!    occurrence collected, with ripgrep over the same files for comparison
//!    (`search.rs`);
//! 5. coding, in child processes: auto-coding every occurrence of a broad
//!    term (`realist::autocode`) with each spread, written to a coder
//!    file as `realist code hits` does, against the plain search; and a
//!    coder file of 100,000 codings: writing, loading and stale detection,
//!    against serde_json parsing the same file (`coding.rs`);
//! 6. agreement, in a child process: two coders with 50,000 codings each in
//!    the same 1,000 transcripts, compared by every unit, their
//!    disagreements listed and a reconcile dry run, against reading what
//!    every comparison must read (both coder files, the stale check and the
//!    1,000 transcripts). `--only-agreement` measures only this
//!    (`agreement.rs`);
//! 7. case data, with `--only-cases` only (not part of a full run): a copy of
//!    the corpus whose transcripts name a case each (`case: C00042`) and a
//!    `cases.csv` with one row per case; the release binary's `search` and
//!    `docs` with a filter on a case column against the same commands with a
//!    filter on a front matter attribute, `cases stats --by`, and commands
//!    with and without the case file (`cases.rs`);
//! 8. exports and the report, with `--only-export` only (not part of a full
//!    run): on the case project, a codebook of 20 codes, two coders with
//!    5,000 codings each (10,000 quotes) in 1,000 transcripts, a logic model
//!    of 12 configurations with 1,000 evidence links and a pseudonym key of
//!    200 names; the release binary's `export quotes` in every format and
//!    grouping, with and without the key, `report` and `privacy check`,
//!    against `codings` (the floor of any export) and the five commands that
//!    show what the report shows, with the peak memory of some; `--runs`
//!    (default 5) rounds. In process: the report's speakers-by-role pass
//!    (every transcript parsed, every turn's words counted) and
//!    `quotes::rows` with and without the key (`export/`);
//! 9. hostile inputs, with `--only-hostile` only (not part of a full run,
//!    and needing no corpus): a logic model of 20,000 configurations, a
//!    codebook of 10,000 nested headings and a case file of 100,000
//!    columns, each read at that size and at a tenth of it, so that the
//!    ratio of the times shows whether reading grows in proportion; and the
//!    limits that refuse a billion laughs of front matter, nesting too deep
//!    and queries too deep, each in a child process under a memory cap
//!    (`hostile.rs`; its files go to `DIR`, default
//!    `target/bench-corpus/hostile`).
//! 10. a hostile pseudonym key, with `--only-key` only (not part of a full
//!     run, and no corpus is generated for it): 3,000 names in 9 MB on a
//!     copy of the sample project; loading it (time and peak memory) and
//!     applying it to every sample transcript in a child process, then the
//!     release binary's `export quotes` and `privacy check` with it
//!     (`key.rs`).
//!
//! Results are printed as Markdown tables on stdout; progress goes to stderr.
//!
//! Each measure in a child process is a `--phase NAME` of this same binary
//! (dispatched in `run`) that prints a `RESULT key=value …` line; the
//! parent runs it, reads the line and writes the table (`child.rs`, which
//! also runs the release `realist` binary and samples its memory). The
//! benchmark coders' codes, spans and file saving are in `coders.rs`; the
//! formatting the tables share, and their header, in `report.rs`.

mod agreement;
mod cases;
mod child;
mod coders;
mod coding;
mod export;
mod generate;
mod hostile;
mod indexing;
mod key;
mod report;
mod search;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use realist::autocode::Spread;

use agreement::{agreement_phase, agreement_report};
use cases::{cases_phase, cases_report};
use coding::{code_phase, coding_report, load_phase};
use export::{export_phase, export_report};
use generate::{Corpus, DEFAULT_SEED, ensure_corpus};
use hostile::{hostile_report, limit_phase, size_phase};
use indexing::{baseline_phase, build_phase, indexing_report};
use key::{key_phase, key_report};
use report::{headed, header, load_average, secs};
use search::search_report;

type BoxResult<T> = Result<T, Box<dyn std::error::Error>>;

// ---------------------------------------------------------------------------
// Command line

struct Args {
    size: u64,
    size_label: String,
    dir: PathBuf,
    phase: Option<String>,
    runs: Option<usize>,
    rg_runs: usize,
    edits: usize,
    coding_runs: usize,
    skip_coding: bool,
    only_agreement: bool,
    only_cases: bool,
    only_export: bool,
    only_hostile: bool,
    only_key: bool,
    seed: u64,
}

fn parse_size(s: &str) -> BoxResult<u64> {
    let upper = s.trim().to_ascii_uppercase();
    let (num, mult) = if let Some(n) = upper.strip_suffix("GB") {
        (n, 1_000_000_000)
    } else if let Some(n) = upper.strip_suffix("MB") {
        (n, 1_000_000)
    } else if let Some(n) = upper.strip_suffix("KB") {
        (n, 1_000)
    } else {
        (upper.as_str(), 1)
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("--size '{s}' is not a size such as 10MB, 100MB or 1GB"))?;
    Ok((n * mult as f64) as u64)
}

fn parse_args() -> BoxResult<Args> {
    let mut args = Args {
        size: 10_000_000,
        size_label: "10MB".into(),
        dir: PathBuf::new(),
        phase: None,
        runs: None,
        rg_runs: 10,
        edits: 6,
        coding_runs: 5,
        skip_coding: false,
        only_agreement: false,
        only_cases: false,
        only_export: false,
        only_hostile: false,
        only_key: false,
        seed: DEFAULT_SEED,
    };
    let mut dir = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--size" => {
                let v = value("--size")?;
                args.size = parse_size(&v)?;
                args.size_label = v;
            }
            "--dir" => dir = Some(PathBuf::from(value("--dir")?)),
            "--phase" => args.phase = Some(value("--phase")?),
            "--runs" => args.runs = Some(value("--runs")?.parse()?),
            "--rg-runs" => args.rg_runs = value("--rg-runs")?.parse()?,
            "--edits" => args.edits = value("--edits")?.parse()?,
            "--coding-runs" => args.coding_runs = value("--coding-runs")?.parse()?,
            "--skip-coding" => args.skip_coding = true,
            "--only-agreement" => args.only_agreement = true,
            "--only-cases" => args.only_cases = true,
            "--only-export" => args.only_export = true,
            "--only-hostile" => args.only_hostile = true,
            "--only-key" => args.only_key = true,
            "--seed" => args.seed = value("--seed")?.parse()?,
            // `cargo bench` passes `--bench` to harness = false targets.
            "--bench" => {}
            other => return Err(format!("unknown argument '{other}'").into()),
        }
    }
    args.dir = match dir {
        Some(d) => std::path::absolute(d)?,
        // The hostile files need no corpus, and have a folder of their own.
        None if args.only_hostile => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus/hostile")
        }
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/bench-corpus")
            .join(&args.size_label),
    };
    Ok(args)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> BoxResult<()> {
    let args = parse_args()?;
    match args.phase.as_deref() {
        Some("build") => return build_phase(&args.dir),
        Some("baseline") => return baseline_phase(&args.dir),
        Some("code-match") => return code_phase(&args.dir, Spread::Match),
        Some("code-sentence") => return code_phase(&args.dir, Spread::Sentence),
        Some("code-turn") => return code_phase(&args.dir, Spread::Turn),
        Some("codings-load") => return load_phase(&args),
        Some("agreement") => return agreement_phase(&args),
        Some("cases") => return cases_phase(&args),
        Some("export") => return export_phase(&args),
        Some(p) if p.starts_with("hostile-size:") => {
            let (kind, n) = p["hostile-size:".len()..]
                .rsplit_once(':')
                .ok_or(format!("unknown phase '{p}'"))?;
            return size_phase(&args, kind, n.parse()?);
        }
        Some(p) if p.starts_with("hostile-limit:") => {
            return limit_phase(&args, &p["hostile-limit:".len()..]);
        }
        Some("key") => return key_phase(&args),
        Some(p) => return Err(format!("unknown phase '{p}'").into()),
        None => {}
    }
    std::fs::create_dir_all(&args.dir)?;
    if args.only_hostile {
        let mut report = headed("Hostile inputs");
        hostile_report(&args, &mut report)?;
        let _ = writeln!(report, "\nLoad average at end: {}", load_average());
        print!("{report}");
        return Ok(());
    }
    if args.only_key {
        // The key is measured on the sample project: no corpus needed.
        let mut report = header(&args).replacen(
            &format!("## Corpus: {}", args.size_label),
            "## The sample project",
            1,
        );
        key_report(&args, &mut report)?;
        let _ = writeln!(report, "\nLoad average at end: {}", load_average());
        print!("{report}");
        return Ok(());
    }
    let corpus = ensure_corpus(&args)?;
    let mut report = header(&args);
    if args.only_agreement || args.only_cases || args.only_export {
        if args.only_agreement {
            agreement_report(&args, &mut report)?;
        }
        if args.only_cases {
            cases_report(&args, &mut report)?;
        }
        if args.only_export {
            export_report(&args, &mut report)?;
        }
    } else {
        measure(&args, &corpus, &mut report)?;
    }
    let _ = writeln!(report, "\nLoad average at end: {}", load_average());
    print!("{report}");
    Ok(())
}

// ---------------------------------------------------------------------------
// The full run

/// Measures everything but the case data and the exports (which only their
/// `--only-…` options run): the generated corpus, indexing, search and,
/// unless `--skip-coding`, coding and agreement; appends the tables to
/// `report`.
fn measure(args: &Args, corpus: &Corpus, report: &mut String) -> BoxResult<()> {
    corpus_table(corpus, report);
    indexing_report(args, corpus, report)?;
    search_report(args, corpus, report)?;
    if !args.skip_coding {
        coding_report(args, report)?;
        agreement_report(args, report)?;
    }
    Ok(())
}

/// Appends the table of what the generator made to `report`.
fn corpus_table(corpus: &Corpus, report: &mut String) {
    let t = &corpus.totals;
    let _ = writeln!(
        report,
        "\n| transcripts | turns | words | Markdown bytes | generated in |"
    );
    let _ = writeln!(report, "|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        report,
        "| {} | {} | {} | {:.1} MB | {} |",
        t.docs,
        t.turns,
        t.words,
        t.bytes as f64 / 1e6,
        corpus.generated_secs.map_or("(reused)".to_string(), secs)
    );
}
