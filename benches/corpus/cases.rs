//! Case data, with `--only-cases` only: a copy of the corpus whose
//! transcripts name a case each (`case: C00042`) and a `cases.csv` with
//! one row per case; the release binary's `search` and `docs` with a filter
//! on a case column against the same commands with a filter on a front
//! matter attribute, `cases stats --by`, and commands with and without the
//! case file. The export measures use the same project.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use realist::cases::Cases;
use realist::{Filter, Index, Project, Refresh, Silent, Summary};

use crate::child::{Aside, Results, Timed, realist_rounds, run_phase};
use crate::generate::{DOC_BYTES, Rng, SITES, marker_text, pick_weighted, slug};
use crate::report::{Latency, median, ms_of, secs};
use crate::search::{CONTEXT, time_query};
use crate::{Args, BoxResult};

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
            rows.push(copy_with_case(&path, &to, site, args.seed)?);
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

/// Copies the transcript at `path` into the folder `to` with a `case:
/// C<number>` line added to its front matter; returns its row of the case
/// file.
fn copy_with_case(path: &Path, to: &Path, site: &str, seed: u64) -> BoxResult<String> {
    let text = std::fs::read_to_string(path)?;
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
    let mut rng = Rng::new(seed ^ 0xCA5E_DA7A ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let region = pick_weighted(&mut rng, REGIONS).0;
    let spend = if rng.chance(0.1) {
        String::new()
    } else {
        format!("{}.{:02}", rng.range(150, 25_000), rng.below(100))
    };
    Ok(format!("{case},{region},{site},{spend}\n"))
}

/// The case project, opened and indexed.
pub struct CaseProject {
    pub project: Project,
    pub index: Index,
    pub refresh: Refresh,
    /// The seconds it took to make, if it was made now.
    pub copy_secs: Option<f64>,
    /// The seconds `Index::open` took.
    pub index_secs: f64,
}

impl CaseProject {
    /// Makes (or reuses) the case project and indexes it.
    pub fn open(args: &Args) -> BoxResult<CaseProject> {
        let (root, copy_secs) = ensure_cases_project(args)?;
        let project = Project::open(&root)?;
        eprintln!("  indexing the case project …");
        let started = Instant::now();
        let (index, refresh) = Index::open(&project, &Silent)?;
        let index_secs = started.elapsed().as_secs_f64();
        Ok(CaseProject {
            project,
            index,
            refresh,
            copy_secs,
            index_secs,
        })
    }

    /// The `RESULT` fields of making and indexing it (`copy_secs` -1 when
    /// reused).
    pub fn result_fields(&self) -> String {
        format!(
            "docs={} copy_secs={} index_secs={} indexed={}",
            self.refresh.documents,
            self.copy_secs.unwrap_or(-1.0),
            self.index_secs,
            self.refresh.added.len() + self.refresh.changed.len()
        )
    }
}

/// The report's sentence on the case project: made in how long (`how`
/// saying from what), or reused.
pub fn case_project_made(r: &Results, how: &str) -> String {
    if r["copy_secs"] >= 0.0 {
        format!("Case project made in {}{how}; first", secs(r["copy_secs"]))
    } else {
        "Case project reused;".to_string()
    }
}

/// Makes the case project, indexes it, and times case filters against
/// front matter filters (in process and with the release binary), `cases
/// stats`, and what the case file adds to opening the index; prints the
/// `RESULT` line.
pub fn cases_phase(args: &Args) -> BoxResult<()> {
    let opened = CaseProject::open(args)?;
    let csv = opened.project.root.join(opened.project.cases_file());
    let index = &opened.index;
    let cases = index.cases().ok_or("the case project has no case data")?;
    assert!(cases.warnings.is_empty(), "{:?}", cases.warnings);
    let mut result = format!(
        "RESULT {} cases={} columns={}",
        opened.result_fields(),
        cases.rows.len(),
        cases.columns.len(),
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
    search_with_filters(args, index, &mut result)?;
    let CaseProject { project, index, .. } = opened;
    drop(index);

    let runs = args.runs.unwrap_or(20).max(1);
    open_with_and_without(&project, &csv, runs, &mut result)?;

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

/// In process: `Index::search` for the selective and the broad query with
/// no filter and with each of [`CASES_FILTERS`]; adds the p50s and
/// occurrences to `result`.
fn search_with_filters(args: &Args, index: &Index, result: &mut String) -> BoxResult<()> {
    for (class, query, runs) in [
        ("selective", CASES_SELECTIVE, args.runs.unwrap_or(50)),
        ("broad", CASES_BROAD, args.runs.unwrap_or(10)),
    ] {
        eprintln!("  Index::search {query} with each filter ({runs} runs) …");
        let (Latency { p50, .. }, Summary { hits, .. }) = time_query(index, query, None, runs)?;
        let _ = write!(
            result,
            " {class}_none_secs={} {class}_none_hits={hits}",
            p50.as_secs_f64()
        );
        let mut counts = Vec::new();
        for (i, (filter, _)) in CASES_FILTERS.iter().enumerate() {
            let (Latency { p50, .. }, Summary { hits, .. }) =
                time_query(index, query, Some(filter), runs)?;
            let _ = write!(
                result,
                " {class}{i}_secs={} {class}{i}_hits={hits}",
                p50.as_secs_f64()
            );
            counts.push(hits);
        }
        assert_eq!(counts[0], counts[1], "{query}: locality and site differ");
    }
    Ok(())
}

/// In process: what the case file `csv` adds to opening the index, `runs`
/// timed rounds after an untimed one: `Index::open` with and without it,
/// `Cases::load` and `Cases::merge_into` for every document; adds the
/// medians to `result`.
fn open_with_and_without(
    project: &Project,
    csv: &Path,
    runs: usize,
    result: &mut String,
) -> BoxResult<()> {
    eprintln!("  Index::open with and without the case file ({runs} runs) …");
    let (mut with, mut without, mut load, mut merge) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let plain: Vec<realist::DocSummary> = {
        let _aside = Aside::new(csv)?;
        let (index, _) = Index::open(project, &Silent)?;
        index.documents().cloned().collect()
    };
    for _ in 0..runs + 1 {
        let started = Instant::now();
        let (index, r) = Index::open(project, &Silent)?;
        with.push(started.elapsed());
        assert!(!r.touched() && index.cases().is_some());
        drop(index);
        {
            let _aside = Aside::new(csv)?;
            let started = Instant::now();
            let (index, r) = Index::open(project, &Silent)?;
            without.push(started.elapsed());
            assert!(!r.touched() && index.cases().is_none());
        }
        let started = Instant::now();
        let cases = Cases::load(project)?.ok_or("no case file")?;
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
    Ok(())
}

/// Runs the case data child and appends its tables to `report`.
pub fn cases_report(args: &Args, report: &mut String) -> BoxResult<()> {
    eprintln!("case data …");
    let r = run_phase(args, "cases")?;
    let runs = args.runs.unwrap_or(20).max(1);
    let _ = writeln!(
        report,
        "\n### Case data: {:.0} transcripts, one case each; `cases.csv` of {:.0} rows × {:.0} columns\n",
        r["docs"], r["cases"], r["columns"]
    );
    let made = case_project_made(&r, " (copy and case file)");
    let _ = writeln!(
        report,
        "{made} `Index::open` of the case project: {} ({:.0} documents indexed).\n",
        secs(r["index_secs"]),
        r["indexed"]
    );
    binary_table(&r, runs, report);
    in_process_table(args, &r, runs, report);
    Ok(())
}

/// The case data table of the release binary's commands.
fn binary_table(r: &Results, runs: usize, report: &mut String) {
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
}

/// The case data table of the in-process measures.
fn in_process_table(args: &Args, r: &Results, runs: usize, report: &mut String) {
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
}
