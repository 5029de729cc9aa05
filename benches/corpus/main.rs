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
//! `--only-agreement`, `--only-cases`, `--only-export`, `--seed N`.
//!
//! The corpus is generated once per directory (a marker file records the
//! parameters) and reused by later runs. Each run then measures:
//!
//! 1. a full build with `realist::Index::open` on a fresh `.realist/`, in a
//!    child process so that its peak memory is its own;
//! 2. a bare-tantivy baseline in another child process: the same turns,
//!    pre-split by the generator into `turns.bin`, indexed with the same
//!    schema, analyzers, index settings and writer memory budget;
//! 3. `Index::open` with nothing changed, and after rewriting one transcript;
//! 4. search latency for a fixed set of selective and broad queries, every
//!    occurrence collected, with ripgrep over the same files for comparison;
//! 5. coding, in child processes: auto-coding every occurrence of a broad
//!    term (`realist::coding::auto`) with each spread, written to a coder
//!    file as `realist code hits` does, against the plain search; and a
//!    coder file of 100,000 codings: writing, loading and stale detection,
//!    against serde_json parsing the same file;
//! 6. agreement, in a child process: two coders with 50,000 codings each in
//!    the same 1,000 transcripts, compared by every unit, their
//!    disagreements listed and a reconcile dry run, against reading what
//!    every comparison must read (both coder files, the stale check and the
//!    1,000 transcripts). `--only-agreement` measures only this;
//! 7. case data, with `--only-cases` only (not part of a full run): a copy of
//!    the corpus whose transcripts name a case each (`case: C00042`) and a
//!    `cases.csv` with one row per case; the release binary's `search` and
//!    `docs` with a filter on a case column against the same commands with a
//!    filter on a front matter attribute, `cases stats --by`, and commands
//!    with and without the case file;
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
//!    `quotes::rows` with and without the key.
//!
//! Results are printed as Markdown tables on stdout; progress goes to stderr.

mod agreement;
mod child;
mod coders;
mod coding;
mod generate;
mod indexing;
mod report;
mod search;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use realist::coding::auto::Spread;
use realist::coding::store;
use realist::{Filter, Index, Project, Silent, Summary};

use agreement::{CoderPair, agreement_files, agreement_phase, agreement_report};
use child::{Aside, Timed, realist_rounds, run_phase};
use coders::{CREATED, remove_if_exists};
use coding::{code_phase, coding_report, load_phase};
use generate::{
    Corpus, DEFAULT_SEED, DOC_BYTES, PSEUDO_WORDS, RANKED_DOMAIN_WORDS, Rng, SITES, Vocab,
    ensure_corpus, marker_text, pick_weighted, shuffle, slug,
};
use indexing::{baseline_phase, build_phase, indexing_report};
use report::{Latency, header, load_average, mb, mb_kb, median, ms_of, secs};
use search::{CONTEXT, search_report, time_query};

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
            "--seed" => args.seed = value("--seed")?.parse()?,
            // `cargo bench` passes `--bench` to harness = false targets.
            "--bench" => {}
            other => return Err(format!("unknown argument '{other}'").into()),
        }
    }
    args.dir = match dir {
        Some(d) => std::path::absolute(d)?,
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
        Some(p) => return Err(format!("unknown phase '{p}'").into()),
        None => {}
    }
    std::fs::create_dir_all(&args.dir)?;
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

// ---------------------------------------------------------------------------
// Case data

/// Bumped whenever the case project's files change, so old copies are redone.
const CASES_VERSION: u32 = 1;
/// The bench project with case data, in `DIR` next to `project/`: a copy of
/// the corpus whose transcripts name a case each, so that the corpus itself
/// (and its index) stays as the other phases measure it.
const CASES_PROJECT: &str = "cases-project";
/// Regions of the case file as (name, unused, weight) for [`pick_weighted`]:
/// `North` holds about half the cases.
const REGIONS: &[(&str, &str, f64)] = &[
    ("North", "", 0.50),
    ("South", "", 0.25),
    ("East", "", 0.15),
    ("West", "", 0.10),
];
/// The selective and the broad query of the case measures: the search
/// phase's filtered queries.
const CASES_SELECTIVE: &str = "duvet";
const CASES_BROAD: &str = "family";
/// The filters compared: a front matter attribute (an indexed `attr` term);
/// a case column holding each transcript's site, so the same documents (a
/// `TermSetQuery` over their ids); and a case column matching about half.
const CASES_FILTERS: [(&str, &str); 3] = [
    ("site=Northbrook", "front matter"),
    ("locality=Northbrook", "case column, the same documents"),
    ("region=North", "case column"),
];

/// The commands timed with the release binary: (key, arguments, whether the
/// case file is there). The `--json` output is counted (hits, documents,
/// groups); the report leaves `--json` out of the command it prints.
const CASE_COMMANDS: &[(&str, &[&str], bool)] = &[
    ("search_none", &["search", CASES_SELECTIVE, "--json"], true),
    (
        "search_site",
        &[
            "search",
            CASES_SELECTIVE,
            "--where",
            "site=Northbrook",
            "--json",
        ],
        true,
    ),
    (
        "search_locality",
        &[
            "search",
            CASES_SELECTIVE,
            "--where",
            "locality=Northbrook",
            "--json",
        ],
        true,
    ),
    (
        "search_region",
        &[
            "search",
            CASES_SELECTIVE,
            "--where",
            "region=North",
            "--json",
        ],
        true,
    ),
    (
        "docs_site",
        &["docs", "--where", "site=Northbrook", "--json"],
        true,
    ),
    (
        "docs_locality",
        &["docs", "--where", "locality=Northbrook", "--json"],
        true,
    ),
    (
        "docs_region",
        &["docs", "--where", "region=North", "--json"],
        true,
    ),
    (
        "stats",
        &["cases", "stats", "--by", "region", "--json"],
        true,
    ),
    (
        "search_none_nocases",
        &["search", CASES_SELECTIVE, "--json"],
        false,
    ),
    (
        "search_site_nocases",
        &[
            "search",
            CASES_SELECTIVE,
            "--where",
            "site=Northbrook",
            "--json",
        ],
        false,
    ),
    (
        "docs_site_nocases",
        &["docs", "--where", "site=Northbrook", "--json"],
        false,
    ),
];

/// Makes `DIR/cases-project` unless its marker says it is there: every
/// transcript of `DIR/project` copied with a `case: C<number>` line added to
/// its front matter, and `corpus/cases.csv` with one row per case: `region`
/// (four values, `North` for about half), `locality` (the transcript's site)
/// and `spend` (a sum of money, blank for about 10 %). Returns the project
/// root and, if it was made now, the seconds it took.
fn ensure_cases_project(args: &Args) -> BoxResult<(PathBuf, Option<f64>)> {
    let docs = (args.size / DOC_BYTES).max(1);
    let root = args.dir.join(CASES_PROJECT);
    let marker = args.dir.join("cases.done");
    let expected = format!("{}cases={CASES_VERSION}\n", marker_text(args, docs));
    let csv = root.join("corpus").join(realist::cases::DEFAULT_FILE);
    let aside = csv.with_extension("csv.aside");
    if !csv.exists() && aside.exists() {
        // A run that failed while the file was moved aside.
        std::fs::rename(&aside, &csv)?;
    }
    if std::fs::read_to_string(&marker).is_ok_and(|t| t == expected) && csv.exists() {
        eprintln!("  reusing the case project in {}", root.display());
        return Ok((root, None));
    }
    eprintln!(
        "  copying the corpus into {} with a case per transcript …",
        root.display()
    );
    let _ = std::fs::remove_file(&marker);
    if root.exists() {
        std::fs::remove_dir_all(&root)?;
    }
    let started = Instant::now();
    let source = args.dir.join("project");
    let mut rows = Vec::new();
    for (site, _, _) in SITES {
        let from = source.join("corpus").join(slug(site));
        let to = root.join("corpus").join(slug(site));
        std::fs::create_dir_all(&to)?;
        let mut files = std::fs::read_dir(&from)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()?;
        files.retain(|p| p.extension().is_some_and(|e| e == "md"));
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)?;
            let id = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| format!("{}: not a transcript name", path.display()))?;
            let n: u64 = id
                .rsplit('-')
                .next()
                .and_then(|d| d.parse().ok())
                .ok_or_else(|| format!("{id}: no number at the end"))?;
            let case = format!("C{n:05}");
            // `write_transcript` puts `id:` first and `site:` second.
            let at = text
                .find("\nsite: ")
                .ok_or_else(|| format!("{id}: no site line"))?;
            let mut copy = String::with_capacity(text.len() + 16);
            copy.push_str(&text[..at]);
            let _ = write!(copy, "\ncase: {case}");
            copy.push_str(&text[at..]);
            std::fs::write(to.join(format!("{id}.md")), copy)?;
            let mut rng = Rng::new(args.seed ^ 0xCA5E_DA7A ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let region = pick_weighted(&mut rng, REGIONS).0;
            let spend = if rng.chance(0.1) {
                String::new()
            } else {
                format!("{}.{:02}", rng.range(150, 25_000), rng.below(100))
            };
            rows.push(format!("{case},{region},{site},{spend}\n"));
        }
    }
    rows.sort();
    let mut text = String::from("case,region,locality,spend\n");
    text.extend(rows);
    std::fs::write(&csv, text)?;
    std::fs::copy(source.join("realist.toml"), root.join("realist.toml"))?;
    let secs = started.elapsed().as_secs_f64();
    std::fs::write(&marker, expected)?;
    Ok((root, Some(secs)))
}

/// Makes the case project, indexes it, and times case filters against
/// front matter filters (in process and with the release binary), `cases
/// stats`, and what the case file adds to opening the index; prints the
/// `RESULT` line.
fn cases_phase(args: &Args) -> BoxResult<()> {
    use realist::cases::Cases;

    let (root, copy_secs) = ensure_cases_project(args)?;
    let project = Project::open(&root)?;
    let csv = project.root.join(project.cases_file());
    eprintln!("  indexing the case project …");
    let started = Instant::now();
    let (index, refresh) = Index::open(&project, &Silent)?;
    let index_secs = started.elapsed().as_secs_f64();
    let cases = index.cases().ok_or("the case project has no case data")?;
    assert!(cases.warnings.is_empty(), "{:?}", cases.warnings);
    let mut result = format!(
        "RESULT docs={} cases={} columns={} copy_secs={} index_secs={index_secs} indexed={}",
        refresh.documents,
        cases.rows.len(),
        cases.columns.len(),
        copy_secs.unwrap_or(-1.0),
        refresh.added.len() + refresh.changed.len()
    );
    let mut matched = Vec::new();
    for (i, (filter, _)) in CASES_FILTERS.iter().enumerate() {
        let f: Filter = filter.parse()?;
        let n = index.documents().filter(|d| f.matches(d)).count();
        let _ = write!(result, " filter{i}_docs={n}");
        matched.push(n);
    }
    assert_eq!(
        matched[0], matched[1],
        "locality must select the site's documents"
    );

    // In process: the search with each filter.
    for (class, query, runs) in [
        ("selective", CASES_SELECTIVE, args.runs.unwrap_or(50)),
        ("broad", CASES_BROAD, args.runs.unwrap_or(10)),
    ] {
        eprintln!("  Index::search {query} with each filter ({runs} runs) …");
        let (Latency { p50, .. }, Summary { hits, .. }) = time_query(&index, query, None, runs)?;
        let _ = write!(
            result,
            " {class}_none_secs={} {class}_none_hits={hits}",
            p50.as_secs_f64()
        );
        let mut counts = Vec::new();
        for (i, (filter, _)) in CASES_FILTERS.iter().enumerate() {
            let (Latency { p50, .. }, Summary { hits, .. }) =
                time_query(&index, query, Some(filter), runs)?;
            let _ = write!(
                result,
                " {class}{i}_secs={} {class}{i}_hits={hits}",
                p50.as_secs_f64()
            );
            counts.push(hits);
        }
        assert_eq!(counts[0], counts[1], "{query}: locality and site differ");
    }
    drop(index);

    // In process: what the case file adds to opening the index.
    let runs = args.runs.unwrap_or(20).max(1);
    eprintln!("  Index::open with and without the case file ({runs} runs) …");
    let (mut with, mut without, mut load, mut merge) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let plain: Vec<realist::DocSummary> = {
        let _aside = Aside::new(&csv)?;
        let (index, _) = Index::open(&project, &Silent)?;
        index.documents().cloned().collect()
    };
    for _ in 0..runs + 1 {
        let started = Instant::now();
        let (index, r) = Index::open(&project, &Silent)?;
        with.push(started.elapsed());
        assert!(!r.touched() && index.cases().is_some());
        drop(index);
        {
            let _aside = Aside::new(&csv)?;
            let started = Instant::now();
            let (index, r) = Index::open(&project, &Silent)?;
            without.push(started.elapsed());
            assert!(!r.touched() && index.cases().is_none());
        }
        let started = Instant::now();
        let cases = Cases::load(&project)?.ok_or("no case file")?;
        load.push(started.elapsed());
        let mut docs = plain.clone();
        let started = Instant::now();
        for d in &mut docs {
            assert!(cases.merge_into(d).is_empty());
        }
        merge.push(started.elapsed());
        std::hint::black_box(&docs);
    }
    for (key, mut samples) in [
        ("open_with", with),
        ("open_without", without),
        ("load", load),
        ("merge", merge),
    ] {
        samples.remove(0);
        let _ = write!(result, " {key}_secs={}", median(samples));
    }

    // The release binary, each command once per round, in turn; the first
    // round untimed.
    eprintln!(
        "  {} commands with the release binary ({runs} rounds) …",
        CASE_COMMANDS.len()
    );
    let commands: Vec<Timed> = CASE_COMMANDS
        .iter()
        .map(|(_, cmd, needs)| Timed {
            argv: cmd.iter().map(|a| a.to_string()).collect(),
            with_file: *needs,
            may_fail: false,
            writes: None,
        })
        .collect();
    let timed = realist_rounds(&project.root, &csv, &commands, runs)?;
    for ((key, _, _), (secs, records)) in CASE_COMMANDS.iter().zip(timed) {
        let _ = write!(result, " {key}_secs={secs} {key}_n={records}");
    }
    println!("{result}");
    Ok(())
}

/// Runs the case data child and appends its tables to `report`.
fn cases_report(args: &Args, report: &mut String) -> BoxResult<()> {
    eprintln!("case data …");
    let r = run_phase(args, "cases")?;
    let runs = args.runs.unwrap_or(20).max(1);
    let _ = writeln!(
        report,
        "\n### Case data: {:.0} transcripts, one case each; `cases.csv` of {:.0} rows × {:.0} columns\n",
        r["docs"], r["cases"], r["columns"]
    );
    let made = if r["copy_secs"] >= 0.0 {
        format!(
            "Case project made in {} (copy and case file); first",
            secs(r["copy_secs"])
        )
    } else {
        "Case project reused;".to_string()
    };
    let _ = writeln!(
        report,
        "{made} `Index::open` of the case project: {} ({:.0} documents indexed).\n",
        secs(r["index_secs"]),
        r["indexed"]
    );

    let _ = writeln!(
        report,
        "Release binary, wall clock with process start (median of {runs} rounds, commands interleaved):\n"
    );
    let _ = writeln!(
        report,
        "| command | filter on | records printed | time | ratio |"
    );
    let _ = writeln!(report, "|---|---|---:|---:|---:|");
    let base = |key: &str| match key {
        k if k.starts_with("search_") && k != "search_none" && !k.ends_with("nocases") => {
            Some(r["search_site_secs"])
        }
        k if k.starts_with("docs_") && !k.ends_with("nocases") => Some(r["docs_site_secs"]),
        "search_site_nocases" => Some(r["search_site_secs"]),
        "docs_site_nocases" => Some(r["docs_site_secs"]),
        "search_none_nocases" => Some(r["search_none_secs"]),
        _ => None,
    };
    for (key, cmd, with_cases) in CASE_COMMANDS {
        let shown: Vec<&str> = cmd.iter().copied().filter(|a| *a != "--json").collect();
        let on = match cmd.iter().position(|a| *a == "--where") {
            Some(i) => CASES_FILTERS
                .iter()
                .find(|(f, _)| *f == cmd[i + 1])
                .map_or("", |(_, on)| *on),
            None => "",
        };
        let on = match (*with_cases, on) {
            (true, on) => on.to_string(),
            (false, "") => "**no cases.csv**".to_string(),
            (false, on) => format!("{on}; **no cases.csv**"),
        };
        let t = r[&format!("{key}_secs")];
        let _ = writeln!(
            report,
            "| `realist {}` | {on} | {:.0} | {} | {} |",
            shown.join(" "),
            r[&format!("{key}_n")],
            ms_of(t),
            base(key).map_or(String::new(), |b| format!("{:.2}", t / b))
        );
    }

    let _ = writeln!(
        report,
        "\nIn process: `Index::search` (p50 of {} selective / {} broad runs, context {CONTEXT}) and `Index::open` (median of {runs}):\n",
        args.runs.unwrap_or(50),
        args.runs.unwrap_or(10)
    );
    let _ = writeln!(
        report,
        "| measure | filter on | documents | occurrences | time | / front matter filter |"
    );
    let _ = writeln!(report, "|---|---|---:|---:|---:|---:|");
    for (class, query) in [("selective", CASES_SELECTIVE), ("broad", CASES_BROAD)] {
        let _ = writeln!(
            report,
            "| `{query}` | | {:.0} | {:.0} | {} | |",
            r["docs"],
            r[&format!("{class}_none_hits")],
            ms_of(r[&format!("{class}_none_secs")])
        );
        let base = r[&format!("{class}0_secs")];
        for (i, (filter, on)) in CASES_FILTERS.iter().enumerate() {
            let t = r[&format!("{class}{i}_secs")];
            let _ = writeln!(
                report,
                "| `{query}` `{filter}` | {on} | {:.0} | {:.0} | {} | {:.2} |",
                r[&format!("filter{i}_docs")],
                r[&format!("{class}{i}_hits")],
                ms_of(t),
                t / base
            );
        }
    }
    let d = |key: &str| ms_of(r[key]);
    let _ = writeln!(
        report,
        "| `Index::open`, nothing changed, no cases.csv | | | | {} | |",
        d("open_without_secs")
    );
    let _ = writeln!(
        report,
        "| `Index::open`, nothing changed, with cases.csv | | | | {} | |",
        d("open_with_secs")
    );
    let _ = writeln!(
        report,
        "| ↳ `Cases::load` ({:.0} rows) | | | | {} | |",
        r["cases"],
        d("load_secs")
    );
    let _ = writeln!(
        report,
        "| ↳ `Cases::merge_into` for every document | | {:.0} | | {} | |",
        r["docs"],
        d("merge_secs")
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Exports and the report

/// The export project's codebook, in codebook order: four codes with four
/// children each. Even positions are coded on whole turns, odd ones on
/// sentences.
const EXPORT_CODES: [&str; 20] = [
    "Money",
    "Money/Budget holding",
    "Money/Spending",
    "Money/Receipts",
    "Money/Debt",
    "Relationships",
    "Relationships/Trust",
    "Relationships/Worker",
    "Relationships/Family",
    "Relationships/Isolation",
    "Process",
    "Process/Speed",
    "Process/Approval",
    "Process/Paperwork",
    "Process/Delay",
    "Outcomes",
    "Outcomes/Housing",
    "Outcomes/Children",
    "Outcomes/School",
    "Outcomes/Wellbeing",
];
/// The two coders (`codings/a.jsonl`, `codings/b.jsonl`).
const EXPORT_CODERS: [&str; 2] = ["a", "b"];
/// Codings per coder.
const EXPORT_CODINGS: usize = 5000;
/// Configurations of the logic model.
const EXPORT_CMOS: usize = 12;
/// Codings linked to a configuration, and how many of them to a second one.
const EXPORT_LINKED: usize = 900;
const EXPORT_TWICE: usize = 100;
/// Names in the pseudonym key.
const EXPORT_KEY_NAMES: usize = 200;
/// The pathways of the logic model.
const EXPORT_PATHWAYS: [&str; 3] = [
    "Dedicated resources",
    "Working relationships",
    "Faster processes",
];
/// Personal names the generator writes (in turns and speaker labels), put
/// in the key; [`KEY_LEFT_OUT`] are left out so that `privacy check` has
/// names to find.
#[rustfmt::skip]
const KEY_PEOPLE: &[&str] = &[
    "Donna", "Bev", "Sharon", "Gary", "Kelly", "Dean", "Leanne", "Wayne", "Shannon", "Tyler",
    "Jade", "Connor", "Chloe", "Ryan", "Paige", "Jordan", "Amy", "Liam", "Stacey", "Darren",
    "Nicola", "Craig", "Gemma", "Zoë", "Łukasz", "Siobhán", "Renée", "Kayleigh", "Hughes",
    "Begum", "O’Connor", "Pat", "Jo",
];
const KEY_LEFT_OUT: &[&str] = &["Jordan", "Paige", "Renée"];
/// Capitalised words that are not names, the project's `privacy-allow.txt`:
/// the places and shops the generator writes, and the case file's regions
/// (`privacy check` scans case columns other than place keys).
const PRIVACY_ALLOWED: &[&str] = &[
    "Leeds",
    "Manchester",
    "Asda",
    "Tesco",
    "Argos",
    "Primark",
    "Ikea",
    "North",
    "South",
    "East",
    "West",
];
/// Where the exports are written, in `DIR`.
const EXPORT_OUT: &str = "export-out";
/// Default rounds of the release binary's commands.
const EXPORT_RUNS: usize = 5;

/// A command timed with the release binary.
struct ExportCommand {
    key: &'static str,
    /// Arguments; `OUT/` starts a path in [`EXPORT_OUT`].
    args: &'static [&'static str],
    /// Run with `pseudonyms.csv` in place (else moved aside).
    with_key: bool,
    /// Its peak memory is measured too (one more run).
    memory: bool,
}

const fn cmd(key: &'static str, args: &'static [&'static str]) -> ExportCommand {
    ExportCommand {
        key,
        args,
        with_key: true,
        memory: false,
    }
}

/// The commands, in the order run in each round. The `--json` of the
/// baselines (whose records are counted) is left out of the tables.
const EXPORT_COMMANDS: &[ExportCommand] = &[
    ExportCommand {
        memory: true,
        ..cmd("codings", &["codings", "--json"])
    },
    ExportCommand {
        memory: true,
        ..cmd(
            "md",
            &[
                "export",
                "quotes",
                "--format",
                "md",
                "--out",
                "OUT/quotes.md",
            ],
        )
    },
    cmd(
        "csv",
        &[
            "export",
            "quotes",
            "--format",
            "csv",
            "--out",
            "OUT/quotes.csv",
        ],
    ),
    cmd(
        "html",
        &[
            "export",
            "quotes",
            "--format",
            "html",
            "--out",
            "OUT/quotes.html",
        ],
    ),
    cmd(
        "json",
        &[
            "export",
            "quotes",
            "--format",
            "json",
            "--out",
            "OUT/quotes.jsonl",
        ],
    ),
    cmd(
        "by_code",
        &[
            "export",
            "quotes",
            "--by",
            "code",
            "--format",
            "md",
            "--out",
            "OUT/by-code.md",
        ],
    ),
    cmd(
        "by_cmo",
        &[
            "export",
            "quotes",
            "--by",
            "cmo",
            "--format",
            "md",
            "--out",
            "OUT/by-cmo.md",
        ],
    ),
    ExportCommand {
        memory: true,
        ..cmd("privacy", &["privacy", "check", "--json"])
    },
    cmd("docs", &["docs", "--json"]),
    cmd("codebook", &["codebook", "--json"]),
    cmd("agree", &["agree", "--coders", "a,b", "--json"]),
    cmd("cmo", &["cmo", "list", "--json"]),
    cmd("cases", &["cases", "stats", "--json"]),
    ExportCommand {
        memory: true,
        ..cmd("report_md", &["report", "--out", "OUT/report.md"])
    },
    cmd("report_html", &["report", "--out", "OUT/report.html"]),
    ExportCommand {
        with_key: false,
        ..cmd(
            "md_nokey",
            &[
                "export",
                "quotes",
                "--format",
                "md",
                "--out",
                "OUT/quotes-nokey.md",
            ],
        )
    },
    ExportCommand {
        with_key: false,
        ..cmd(
            "report_md_nokey",
            &["report", "--out", "OUT/report-nokey.md"],
        )
    },
];
/// The commands whose medians add up to the report's baseline.
const REPORT_BASELINE: [&str; 5] = ["docs", "codebook", "agree", "cmo", "cases"];

impl ExportCommand {
    /// Its arguments with `OUT/` made a path in `out`.
    fn argv(&self, out: &Path) -> Vec<String> {
        self.args
            .iter()
            .map(|a| match a.strip_prefix("OUT/") {
                Some(file) => out.join(file).display().to_string(),
                None => a.to_string(),
            })
            .collect()
    }

    /// The file it writes, if any.
    fn file(&self, out: &Path) -> Option<PathBuf> {
        self.args
            .iter()
            .find_map(|a| a.strip_prefix("OUT/"))
            .map(|f| out.join(f))
    }

    /// `privacy check` exits 1 when it finds names.
    fn may_fail(&self) -> bool {
        self.args[0] == "privacy"
    }

    /// The command as the tables show it.
    fn shown(&self) -> String {
        let args: Vec<&str> = self
            .args
            .iter()
            .filter(|a| **a != "--json")
            .map(|a| a.strip_prefix("OUT/").unwrap_or(a))
            .collect();
        format!("realist {}", args.join(" "))
    }
}

/// What [`export_files`] made.
struct ExportFiles {
    /// Transcripts coded.
    docs: usize,
    links: usize,
    names: usize,
}

/// Writes the export project's files into the case project (replacing any
/// from an earlier run): `codebooks/bench.md` ([`EXPORT_CODES`]); coders
/// `a` and `b`, [`EXPORT_CODINGS`] codings each over at most [`LOAD_DOCS`]
/// transcripts, `b` never coding `a`'s exact passage (so every coding is a
/// row of its own) but the same code on the next span with probability 0.7;
/// `logic-model.md` with [`EXPORT_CMOS`] configurations; [`EXPORT_LINKED`]
/// codings linked with `realist::logic_model::links::link`, the first
/// [`EXPORT_TWICE`] of them to a second configuration; `pseudonyms.csv` of
/// [`EXPORT_KEY_NAMES`] names and `privacy-allow.txt`.
fn export_files(args: &Args, index: &Index, project: &Project) -> BoxResult<ExportFiles> {
    use realist::logic_model::LogicModel;
    use realist::logic_model::links::{self, Part, Request, Stance};

    let root = &project.root;
    let mut rng = Rng::new(args.seed ^ 0xE8B0_47ED);

    // The codebook: a definition for every code, keywords for the parents.
    std::fs::create_dir_all(project.codebooks_dir())?;
    let mut book = String::from("# Benchmark codebook\n");
    for path in EXPORT_CODES {
        match path.split_once('/') {
            Some((parent, name)) => {
                let _ = write!(
                    book,
                    "\n### {name}\nPassages about {} within {}.\n",
                    name.to_lowercase(),
                    parent.to_lowercase()
                );
            }
            None => {
                let _ = write!(
                    book,
                    "\n## {path}\nEverything about {}.\n\nInclude:\n- what the family says about it\n\nKeywords: `{}`\n",
                    path.to_lowercase(),
                    path.to_lowercase()
                );
            }
        }
    }
    std::fs::write(project.codebooks_dir().join("bench.md"), book)?;

    // The two coders.
    let turn_codes: Vec<&str> = EXPORT_CODES.iter().copied().step_by(2).collect();
    let sentence_codes: Vec<&str> = EXPORT_CODES.iter().copied().skip(1).step_by(2).collect();
    let pair = CoderPair {
        coders: EXPORT_CODERS,
        per_coder: EXPORT_CODINGS,
        turn_codes: &turn_codes,
        sentence_codes: &sentence_codes,
        same: 0.0,
        near: 0.7,
    };
    let docs = agreement_files(index, project, args.seed ^ 0xE8B0_47ED, &pair)?;

    // The logic model.
    const STATUSES: [&str; 4] = ["initial", "emerging", "supported", "refined"];
    let mut model = String::from("# Logic model: realist benchmark\n\n## Pathways\n");
    for p in EXPORT_PATHWAYS {
        let _ = writeln!(
            model,
            "- **{p}**: how the pilot works through {}.",
            p.to_lowercase()
        );
    }
    model.push_str("\n## Configurations\n");
    let leaves: Vec<&str> = EXPORT_CODES
        .iter()
        .filter_map(|c| c.split_once('/').map(|(_, n)| n))
        .collect();
    for n in 1..=EXPORT_CMOS {
        let (a, b) = (
            leaves[(n - 1) % leaves.len()],
            leaves[(n * 5) % leaves.len()],
        );
        let _ = write!(
            model,
            "\n### CMO-{n}: {a} and {}\n- Pathway: {}\n- Status: {}\n- Context: Families who waited for {} before.\n- Mechanism (resource): The worker can act on {} at once.\n- Mechanism (reasoning): Families see that {} is taken seriously.\n- Outcome: Less {} and more {}.\n",
            b.to_lowercase(),
            EXPORT_PATHWAYS[(n - 1) % EXPORT_PATHWAYS.len()],
            STATUSES[(n - 1) % STATUSES.len()],
            a.to_lowercase(),
            a.to_lowercase(),
            b.to_lowercase(),
            a.to_lowercase(),
            b.to_lowercase()
        );
    }
    std::fs::write(project.logic_model_file(), model)?;
    let model = LogicModel::load(project)?;

    // The links, grouped into one `link` call per (configuration, stance,
    // part), as a researcher would link them.
    remove_if_exists(&project.links_file())?;
    let files = store::load_all(project)?;
    let ids: Vec<&str> = files
        .iter()
        .flat_map(|f| f.codings.iter().map(|c| c.id.as_str()))
        .collect();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    shuffle(&mut order, &mut rng);
    let parts = [
        None,
        Some(Part::Context),
        Some(Part::Mechanism),
        Some(Part::Outcome),
    ];
    let mut groups: std::collections::BTreeMap<(usize, usize, usize), Vec<String>> =
        Default::default();
    let mut n_links = 0;
    for (k, &i) in order.iter().take(EXPORT_LINKED).enumerate() {
        let first = rng.below(EXPORT_CMOS);
        let mut cmos = vec![first];
        if k < EXPORT_TWICE {
            cmos.push((first + 1 + rng.below(EXPORT_CMOS - 1)) % EXPORT_CMOS);
        }
        for cmo in cmos {
            let roll = rng.unit();
            let stance = if roll < 0.6 {
                0
            } else if roll < 0.85 {
                1
            } else {
                2
            };
            let part = rng.below(parts.len());
            groups
                .entry((cmo, stance, part))
                .or_default()
                .push(ids[i].to_string());
            n_links += 1;
        }
    }
    for ((cmo, stance, part), codings) in &groups {
        let cmo = format!("CMO-{}", cmo + 1);
        let linked = links::link(
            project,
            &model,
            &files,
            &Request {
                cmo: &cmo,
                codings,
                stance: Stance::ALL[*stance],
                part: parts[*part],
                note: parts[*part].map(|_| "Checked against the case notes."),
                by: "bench",
                at: CREATED,
            },
        )?;
        assert_eq!(linked.changed.len(), codings.len(), "{cmo}: links skipped");
    }

    // The pseudonym key: the generator's personal names (less those left
    // out), then made-up words of its long tail, which start sentences
    // capitalised, up to EXPORT_KEY_NAMES.
    let vocab = Vocab::build();
    let mut tail: Vec<&str> = vocab.words[vocab.words.len() - PSEUDO_WORDS..]
        .iter()
        .map(String::as_str)
        .filter(|w| !RANKED_DOMAIN_WORDS.iter().any(|(r, _)| r == w))
        .collect();
    shuffle(&mut tail, &mut rng);
    let mut names: Vec<String> = KEY_PEOPLE
        .iter()
        .filter(|n| !KEY_LEFT_OUT.contains(n))
        .map(|n| n.to_string())
        .collect();
    for w in tail {
        if names.len() >= EXPORT_KEY_NAMES {
            break;
        }
        let mut c = w.chars();
        let first = c.next().map(|f| f.to_uppercase().collect::<String>());
        names.push(first.unwrap_or_default() + c.as_str());
    }
    let mut key = String::from("name,pseudonym\n");
    for (i, n) in names.iter().enumerate() {
        let _ = writeln!(key, "{n},Alias{:03}", i + 1);
    }
    std::fs::write(root.join(realist::privacy::KEY_FILE), key)?;
    let _ = std::fs::remove_file(root.join(format!("{}.aside", realist::privacy::KEY_FILE)));
    std::fs::write(
        root.join(realist::privacy::ALLOW_FILE),
        PRIVACY_ALLOWED.join("\n") + "\n",
    )?;
    Ok(ExportFiles {
        docs,
        links: n_links,
        names: names.len(),
    })
}

/// Makes (or reuses) the case project, adds the export project's files,
/// and times reading every transcript and `quotes::rows` in process, then
/// [`EXPORT_COMMANDS`] with the release binary; prints the `RESULT` line.
fn export_phase(args: &Args) -> BoxResult<()> {
    use realist::logic_model::links::Links;
    use realist::privacy::Pseudonyms;
    use realist::quotes::{self, Selection};

    let runs = args.runs.unwrap_or(EXPORT_RUNS).max(1);
    let (root, copy_secs) = ensure_cases_project(args)?;
    let project = Project::open(&root)?;
    eprintln!("  indexing the case project …");
    let started = Instant::now();
    let (index, refresh) = Index::open(&project, &Silent)?;
    let index_secs = started.elapsed().as_secs_f64();
    eprintln!("  codebook, two coders, logic model, links, pseudonym key …");
    let started = Instant::now();
    let made = export_files(args, &index, &project)?;
    let setup_secs = started.elapsed().as_secs_f64();
    let files = store::load_all(&project)?;
    let codings: usize = files.iter().map(|f| f.codings.len()).sum();
    let links = Links::load(&project)?;
    let key = Pseudonyms::load(&project.root)?;
    let mut result = format!(
        "RESULT docs={} coded={} codings={codings} codes={} cmos={EXPORT_CMOS} links={} names={} copy_secs={} index_secs={index_secs} indexed={} setup_secs={setup_secs}",
        refresh.documents,
        made.docs,
        EXPORT_CODES.len(),
        made.links,
        made.names,
        copy_secs.unwrap_or(-1.0),
        refresh.added.len() + refresh.changed.len(),
    );

    // In process: what the report's speakers-by-role pass does (every
    // transcript parsed, one after another, and each turn's words counted),
    // and the rows of every export with and without the key.
    eprintln!(
        "  in process: every transcript, and quotes::rows with and without the key ({runs} runs) …"
    );
    let none = Pseudonyms::none();
    let (mut parse, mut count, mut with, mut without) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut quotes = 0;
    for _ in 0..runs {
        let (mut parsing, mut counting, mut words) = (Duration::ZERO, Duration::ZERO, 0);
        for d in index.documents() {
            let started = Instant::now();
            let t = index.transcript(&d.id)?;
            let parsed = Instant::now();
            for turn in &t.turns {
                words += realist::text::word_count(t.slice(turn.body));
            }
            parsing += parsed - started;
            counting += parsed.elapsed();
        }
        std::hint::black_box(words);
        parse.push(parsing);
        count.push(counting);
        for (k, samples) in [(&key, &mut with), (&none, &mut without)] {
            let started = Instant::now();
            let rows = quotes::rows(&index, &files, &links, &Selection::default(), k);
            samples.push(started.elapsed());
            quotes = rows.len();
        }
    }
    let _ = write!(
        result,
        " quotes={quotes} parse_secs={} count_secs={} rows_key_secs={} rows_nokey_secs={}",
        median(parse),
        median(count),
        median(with),
        median(without)
    );
    drop(index);

    // The release binary, each command once per round, in turn; the first
    // round untimed.
    let out = args.dir.join(EXPORT_OUT);
    std::fs::create_dir_all(&out)?;
    let key_file = project.root.join(realist::privacy::KEY_FILE);
    eprintln!(
        "  {} commands with the release binary ({runs} rounds) …",
        EXPORT_COMMANDS.len()
    );
    let commands: Vec<Timed> = EXPORT_COMMANDS
        .iter()
        .map(|c| Timed {
            argv: c.argv(&out),
            with_file: c.with_key,
            may_fail: c.may_fail(),
            writes: c.file(&out),
        })
        .collect();
    let timed = realist_rounds(&project.root, &key_file, &commands, runs)?;
    for (c, (secs, size)) in EXPORT_COMMANDS.iter().zip(timed) {
        let _ = write!(result, " {0}_secs={secs} {0}_out={size}", c.key);
    }
    eprintln!("  peak memory …");
    for (c, timed) in EXPORT_COMMANDS.iter().zip(&commands) {
        if c.memory {
            let _aside = Aside::unless(timed.with_file, &key_file)?;
            let hwm = timed.peak_kb(&project.root)?;
            let _ = write!(result, " {}_hwm_kb={hwm}", c.key);
        }
    }
    println!("{result}");
    Ok(())
}

/// Runs the export child and appends its tables to `report`.
fn export_report(args: &Args, report: &mut String) -> BoxResult<()> {
    eprintln!("exports and the report …");
    let r = run_phase(args, "export")?;
    let runs = args.runs.unwrap_or(EXPORT_RUNS).max(1);
    let _ = writeln!(
        report,
        "\n### Exports and the report: {:.0} quotes ({:.0} codings by two coders in {:.0} of {:.0} transcripts), {:.0} codes, {:.0} configurations, {:.0} links, a key of {:.0} names\n",
        r["quotes"],
        r["codings"],
        r["coded"],
        r["docs"],
        r["codes"],
        r["cmos"],
        r["links"],
        r["names"]
    );
    let made = if r["copy_secs"] >= 0.0 {
        format!("Case project made in {}; first", secs(r["copy_secs"]))
    } else {
        "Case project reused;".to_string()
    };
    let _ = writeln!(
        report,
        "{made} `Index::open`: {} ({:.0} documents indexed); codebook, coder files, logic model, links and key made in {}.\n",
        secs(r["index_secs"]),
        r["indexed"],
        secs(r["setup_secs"])
    );
    let _ = writeln!(
        report,
        "Release binary, wall clock with process start (median of {runs} rounds, commands interleaved); output: the file written, or the records printed:\n"
    );
    let _ = writeln!(report, "| command | output | time | ratio | peak memory |");
    let _ = writeln!(report, "|---|---:|---:|---:|---:|");
    let t = |key: &str| r[&format!("{key}_secs")];
    let baseline: f64 = REPORT_BASELINE.iter().map(|k| t(k)).sum();
    for c in EXPORT_COMMANDS {
        let out = r[&format!("{}_out", c.key)];
        let output = if c.file(Path::new("")).is_some() {
            mb(out)
        } else if c.may_fail() {
            format!("{out:.0} words found")
        } else {
            format!("{out:.0} records")
        };
        // Exports against `codings`; the report against the sum of the
        // five commands; without the key against the same with it.
        let ratio = match c.key {
            "md_nokey" => format!("{:.2} of `md` with the key", t(c.key) / t("md")),
            "report_md_nokey" => format!(
                "{:.2} of `report.md` with the key",
                t(c.key) / t("report_md")
            ),
            k if k.starts_with("report") => format!("{:.2}", t(k) / baseline),
            k if REPORT_BASELINE.contains(&k) => String::new(),
            k => format!("{:.2}", t(k) / t("codings")),
        };
        let memory = r
            .get(&format!("{}_hwm_kb", c.key))
            .map_or(String::new(), |kb| mb_kb(*kb));
        let key = if c.with_key {
            ""
        } else {
            ", **no pseudonyms.csv**"
        };
        let _ = writeln!(
            report,
            "| `{}`{key} | {output} | {} | {ratio} | {memory} |",
            c.shown(),
            ms_of(t(c.key)),
        );
        if c.key == "cases" {
            let _ = writeln!(
                report,
                "| baseline of the report: the five commands above | | {} | 1.00 | |",
                ms_of(baseline)
            );
        }
    }
    let _ = writeln!(
        report,
        "\nIn process (median of {runs}): what the report's speakers-by-role pass does, one transcript after another: reading and parsing all {:.0} transcripts {}, counting each turn's words (`text::word_count`) {}; `quotes::rows` for the {:.0} quotes with the key {}, without {}.",
        r["docs"],
        ms_of(r["parse_secs"]),
        ms_of(r["count_secs"]),
        r["quotes"],
        ms_of(r["rows_key_secs"]),
        ms_of(r["rows_nokey_secs"])
    );
    Ok(())
}
