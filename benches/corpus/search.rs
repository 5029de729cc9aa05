//! Search latency: a fixed set of selective and broad queries, every
//! occurrence collected, timed with `Index::search`, and ripgrep over the
//! same files for comparison.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use realist::{Filter, Index, Project, SearchOptions, Silent, Summary, analysis};
use tantivy::tokenizer::TokenizerManager;

use crate::generate::{Corpus, Vocab, osa_distance, slug};
use crate::report::{Latency, latency, ms, verdict};
use crate::{Args, BoxResult};

/// Words of context per side in search, as the CLI default (`--context 8`).
pub const CONTEXT: usize = 8;

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Selective,
    Broad,
}

/// What ripgrep should look for: words (any of these forms), in order, as a
/// phrase; or a prefix.
enum RgWords {
    /// A sequence of word slots, each any of its forms.
    Phrase(Vec<Vec<String>>),
    /// Any of several phrases.
    Any(Vec<Vec<Vec<String>>>),
    Prefix(String),
}

struct QuerySpec {
    class: Class,
    kind: &'static str,
    query: &'static str,
    filter: Option<&'static str>,
}

const QUERIES: &[QuerySpec] = &[
    QuerySpec {
        class: Class::Selective,
        kind: "term",
        query: "ombudsman",
        filter: None,
    },
    QuerySpec {
        class: Class::Selective,
        kind: "phrase",
        query: "\"allen key\"",
        filter: None,
    },
    QuerySpec {
        class: Class::Selective,
        kind: "boolean",
        query: "respite OR tribunal",
        filter: None,
    },
    QuerySpec {
        class: Class::Selective,
        kind: "prefix",
        query: "trampol*",
        filter: None,
    },
    QuerySpec {
        class: Class::Selective,
        kind: "fuzzy",
        query: "kaleigh~1",
        filter: None,
    },
    QuerySpec {
        class: Class::Selective,
        kind: "filtered",
        query: "duvet",
        filter: Some("site=Northbrook"),
    },
    QuerySpec {
        class: Class::Broad,
        kind: "term",
        query: "budget",
        filter: None,
    },
    QuerySpec {
        class: Class::Broad,
        kind: "phrase",
        query: "\"straight away\"",
        filter: None,
    },
    QuerySpec {
        class: Class::Broad,
        kind: "boolean",
        query: "quickly OR speed",
        filter: None,
    },
    QuerySpec {
        class: Class::Broad,
        kind: "prefix",
        query: "fam*",
        filter: None,
    },
    QuerySpec {
        class: Class::Broad,
        kind: "fuzzy",
        query: "budgit~1",
        filter: None,
    },
    QuerySpec {
        class: Class::Broad,
        kind: "filtered",
        query: "family",
        filter: Some("site=Northbrook"),
    },
];

/// Builds the ripgrep equivalent of a query from the vocabulary: a stemmed
/// word becomes every word form with the same stem, a fuzzy word every word
/// within the edit distance.
fn rg_words(spec: &QuerySpec, words: &BTreeSet<String>) -> RgWords {
    let manager = TokenizerManager::default();
    analysis::register(&manager);
    let mut stems = analysis::Stems::default();
    let mut by_stem: HashMap<String, Vec<String>> = HashMap::new();
    for w in words {
        by_stem
            .entry(stems.stem(w).to_string())
            .or_default()
            .push(w.clone());
    }
    let phrase = |text: &str| -> Vec<Vec<String>> {
        analysis::analyze(&manager, analysis::STEMMED, text)
            .iter()
            .map(|s| by_stem.get(s).cloned().unwrap_or_else(|| vec![s.clone()]))
            .collect()
    };
    let q = spec.query;
    if let Some(p) = q.strip_suffix('*') {
        return RgWords::Prefix(p.to_lowercase());
    }
    if let Some((w, d)) = q.split_once('~') {
        let d: usize = d.parse().unwrap_or(1);
        let forms = words
            .iter()
            .filter(|x| osa_distance(x, w) <= d)
            .cloned()
            .collect();
        return RgWords::Phrase(vec![forms]);
    }
    if q.contains(" OR ") {
        return RgWords::Any(q.split(" OR ").map(&phrase).collect());
    }
    RgWords::Phrase(phrase(q.trim_matches('"')))
}

fn rg_pattern(w: &RgWords) -> String {
    let slot = |forms: &[String]| format!("(?:{})", forms.join("|"));
    let phrase = |slots: &[Vec<String>]| {
        slots
            .iter()
            .map(|f| slot(f))
            .collect::<Vec<_>>()
            .join(r"[^\p{L}\p{N}]+")
    };
    match w {
        RgWords::Phrase(slots) => phrase(slots),
        RgWords::Any(phrases) => phrases
            .iter()
            .map(|p| format!("(?:{})", phrase(p)))
            .collect::<Vec<_>>()
            .join("|"),
        RgWords::Prefix(p) => format!(r"{p}[\p{{L}}\p{{N}}]*"),
    }
}

/// Runs ripgrep once; returns the wall time and the number of matches.
fn rg_once(pattern: &str, dir: &Path) -> BoxResult<(Duration, u64)> {
    let started = Instant::now();
    let out = Command::new("rg")
        .args([
            "--no-config",
            "--count-matches",
            "--no-filename",
            "-i",
            "-w",
            "-e",
            pattern,
        ])
        .arg(dir)
        .output()?;
    let elapsed = started.elapsed();
    if !out.status.success() && out.status.code() != Some(1) {
        return Err(format!("rg failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let count = String::from_utf8(out.stdout)?
        .lines()
        .filter_map(|l| l.trim().parse::<u64>().ok())
        .sum();
    Ok((elapsed, count))
}

/// Times `Index::search` for `query` with `filter`, context [`CONTEXT`]:
/// one untimed run that counts the occurrences, then `runs` timed runs (at
/// least one), each of which must find as many.
pub fn time_query(
    index: &Index,
    query: &str,
    filter: Option<&str>,
    runs: usize,
) -> BoxResult<(Latency, Summary)> {
    let opts = SearchOptions {
        query: query.to_string(),
        filters: filter
            .map(str::parse::<Filter>)
            .transpose()?
            .into_iter()
            .collect(),
        context: CONTEXT,
        ..Default::default()
    };
    let summary = index.search(&opts, &mut |_| true)?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let mut n = 0usize;
        let started = Instant::now();
        index.search(&opts, &mut |h| {
            n += std::hint::black_box(h.matched.len()).min(1);
            true
        })?;
        samples.push(started.elapsed());
        assert_eq!(n, summary.hits);
    }
    Ok((latency(samples), summary))
}

/// (d): times every query of [`QUERIES`] on the corpus's index, with
/// ripgrep when it is installed, and appends the search table to `report`.
pub fn search_report(args: &Args, corpus: &Corpus, report: &mut String) -> BoxResult<()> {
    let project = Project::open(&corpus.project)?;
    let (index, _) = Index::open(&project, &Silent)?;
    let vocab = Vocab::build();
    let words = vocab.body_words();
    let have_rg = Command::new("rg").arg("--version").output().is_ok();
    if !have_rg {
        eprintln!("rg not found: install ripgrep for the comparison");
    }
    let _ = writeln!(
        report,
        "\n### Search ({} timed runs per selective and {} per broad query, every occurrence collected, context {CONTEXT}; rg: {} runs)\n",
        args.runs.unwrap_or(50),
        args.runs.unwrap_or(20),
        args.rg_runs
    );
    let _ = writeln!(
        report,
        "| class | kind | query | filter | occurrences | turns | p50 | p99 | rg p50 | rg matches | p50 realist / rg | target | |"
    );
    let _ = writeln!(
        report,
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
    );
    for q in QUERIES {
        eprintln!("search {} {}", q.query, q.filter.unwrap_or(""));
        let runs = args.runs.unwrap_or(match q.class {
            Class::Selective => 50,
            Class::Broad => 20,
        });
        let (lat, summary) = time_query(&index, q.query, q.filter, runs)?;
        let rg = if have_rg && args.rg_runs > 0 {
            Some(rg_compare(args, corpus, q, &words)?)
        } else {
            None
        };
        let rg_ratio = rg
            .as_ref()
            .map(|rg| lat.p50.as_secs_f64() / rg.p50.as_secs_f64());
        let (target, met) = match q.class {
            Class::Selective => (
                "p50 < 10 ms, p99 < 100 ms",
                lat.p50 < Duration::from_millis(10) && lat.p99 < Duration::from_millis(100),
            ),
            Class::Broad => ("no slower than rg", rg_ratio.is_some_and(|r| r <= 1.0)),
        };
        let (rg_cell, rg_count_cell) = match &rg {
            Some(rg) if rg.matches as usize == summary.hits => (ms(rg.p50), rg.matches.to_string()),
            Some(rg) => (ms(rg.p50), format!("{} (≠)", rg.matches)),
            None => ("–".to_string(), "–".to_string()),
        };
        let _ = writeln!(
            report,
            "| {} | {} | `{}` | {} | {} | {} | {} | {} | {rg_cell} | {rg_count_cell} | {} | {target} | {} |",
            match q.class {
                Class::Selective => "selective",
                Class::Broad => "broad",
            },
            q.kind,
            q.query,
            q.filter.unwrap_or(""),
            summary.hits,
            summary.turns,
            ms(lat.p50),
            ms(lat.p99),
            rg_ratio.map_or("–".to_string(), |r| format!("{r:.2}")),
            verdict(met),
        );
    }
    Ok(())
}

/// What ripgrep did with a query: its p50 and the matches it counted.
struct Rg {
    p50: Duration,
    matches: u64,
}

/// Runs ripgrep for `q` over the files the query searches (the site's
/// folder for a filtered one): once to count, then `--rg-runs` timed runs.
fn rg_compare(
    args: &Args,
    corpus: &Corpus,
    q: &QuerySpec,
    words: &BTreeSet<String>,
) -> BoxResult<Rg> {
    let pattern = rg_pattern(&rg_words(q, words));
    let dir = match q.filter {
        Some(f) => {
            let site = f.split_once('=').map_or("", |(_, v)| v);
            corpus.project.join("corpus").join(slug(site))
        }
        None => corpus.project.join("corpus"),
    };
    let (_, matches) = rg_once(&pattern, &dir)?;
    let mut samples = Vec::new();
    for _ in 0..args.rg_runs {
        samples.push(rg_once(&pattern, &dir)?.0);
    }
    Ok(Rg {
        p50: latency(samples).p50,
        matches,
    })
}
