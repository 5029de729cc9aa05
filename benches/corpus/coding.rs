//! Coding, in child processes: auto-coding every occurrence of a broad
//! term (`realist::autocode`) with each spread, written to a coder file
//! as `realist code hits` does, against the plain search; and a coder file
//! of 100,000 codings: writing, loading and stale detection, against
//! serde_json parsing the same file.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use realist::autocode::{AutoCode, Spread, codings_from_hits};
use realist::coding::store;
use realist::{CoderFile, Coding, Index, Project, SearchOptions, Silent};
use serde::de::DeserializeOwned;

use crate::child::{MemSampler, Results, run_phase};
use crate::coders::{
    CREATED, SENTENCE_CODES, TURN_CODES, candidates, coded_docs, coder_path, remove_coder,
    save_codings,
};
use crate::generate::{Rng, shuffle};
use crate::report::{mb, mb_kb, median, ms_of, secs};
use crate::{Args, BoxResult};

/// The broad term auto-coded (one of the search table's broad queries).
const CODING_QUERY: &str = "budget";
/// The code auto-coding applies.
const CODING_CODE: &str = "Budget";
/// The coder whose file auto-coding writes (`codings/bench.jsonl`).
const BENCH_CODER: &str = "bench";
/// The coder of the generated large file (`codings/bench-load.jsonl`).
const LOAD_CODER: &str = "bench-load";
/// Codings in the large coder file.
pub const LOAD_CODINGS: usize = 100_000;

/// Auto-codes every occurrence of [`CODING_QUERY`] with `spread` into
/// [`BENCH_CODER`]'s file (empty at the start), twice, after timing the plain
/// search; prints the `RESULT` line.
pub fn code_phase(dir: &Path, spread: Spread) -> BoxResult<()> {
    let project = Project::open(&dir.join("project"))?;
    remove_coder(&project, BENCH_CODER)?;
    let sampler = MemSampler::start();
    let (index, _) = Index::open(&project, &Silent)?;
    let search = SearchOptions {
        query: CODING_QUERY.to_string(),
        // What `codings_from_hits` searches with.
        context: 0,
        ..Default::default()
    };
    let (hits, search_secs) = plain_search(&index, &search)?;
    let auto = AutoCode {
        search: search.clone(),
        coder: BENCH_CODER,
        code: CODING_CODE,
        spread,
        memo: None,
        created: CREATED,
    };
    eprintln!("  first run …");
    let first = code_hits(&index, &project, &auto)?;
    assert_eq!(first.hits, hits, "auto-coding saw another number of hits");
    assert_eq!(
        (first.added, first.skipped),
        (first.made, 0),
        "an empty file should take every coding"
    );
    let bytes = std::fs::metadata(coder_path(&project, BENCH_CODER))?.len();
    eprintln!("  second run (must add nothing) …");
    let again = code_hits(&index, &project, &auto)?;
    assert_eq!(
        again.added, 0,
        "the second run added codings: not idempotent"
    );
    assert_eq!(again.skipped, again.made);
    assert_eq!(again.made, first.made);
    // What `realist code hits` does last: read the file back and warn about
    // stale codings.
    let started = Instant::now();
    let file = store::load(&project, BENCH_CODER)?;
    let stale = realist::anchor::stale(&index, std::slice::from_ref(&file))?;
    let check_secs = started.elapsed().as_secs_f64();
    assert_eq!(file.codings.len(), first.made);
    assert!(stale.is_empty(), "fresh codings are stale");
    drop(file);
    let (hwm, anon, _) = sampler.finish();
    remove_coder(&project, BENCH_CODER)?;
    println!(
        "RESULT hits={hits} codings={} search_secs={search_secs} make_secs={} write_secs={} bytes={bytes} again_make_secs={} again_write_secs={} check_secs={check_secs} hwm_kb={hwm} anon_kb={anon}",
        first.made, first.make_secs, first.write_secs, again.make_secs, again.write_secs
    );
    Ok(())
}

/// The baseline of auto-coding: the same search, every hit collected; one
/// warm-up run, then 3 timed. Returns the hits and the median seconds.
fn plain_search(index: &Index, search: &SearchOptions) -> BoxResult<(usize, f64)> {
    let plain = || -> BoxResult<(usize, Duration)> {
        let started = Instant::now();
        let mut hits: Vec<(String, usize, usize, usize)> = Vec::new();
        index.search(search, &mut |h| {
            hits.push((h.doc.clone(), h.turn, h.start, h.end));
            true
        })?;
        Ok((std::hint::black_box(hits).len(), started.elapsed()))
    };
    let (hits, _) = plain()?;
    let mut samples = Vec::new();
    for _ in 0..3 {
        let (n, elapsed) = plain()?;
        assert_eq!(n, hits);
        samples.push(elapsed);
    }
    Ok((hits, median(samples)))
}

/// One run of [`code_hits`].
struct CodeRun {
    /// Occurrences `codings_from_hits` saw.
    hits: usize,
    /// Codings it made, then added to the file or skipped.
    made: usize,
    added: usize,
    skipped: usize,
    make_secs: f64,
    write_secs: f64,
}

/// What `realist code hits` does: make the codings, then add them to the
/// coder's file under its lock and write it; each step timed.
fn code_hits(index: &Index, project: &Project, auto: &AutoCode) -> BoxResult<CodeRun> {
    let started = Instant::now();
    let (codings, hits) = codings_from_hits(index, auto)?;
    let make_secs = started.elapsed().as_secs_f64();
    let made = codings.len();
    let started = Instant::now();
    let (added, skipped) = save_codings(project, auto.coder, codings)?;
    let write_secs = started.elapsed().as_secs_f64();
    Ok(CodeRun {
        hits,
        made,
        added,
        skipped,
        make_secs,
        write_secs,
    })
}

/// Returns the heap bytes a coder file's codings hold (string and vector
/// capacities; allocator overhead not counted).
fn heap_bytes(f: &CoderFile) -> usize {
    let s = |s: &String| s.capacity();
    let o = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
    f.codings.capacity() * std::mem::size_of::<Coding>()
        + f.codings
            .iter()
            .map(|c| {
                s(&c.id)
                    + s(&c.doc)
                    + s(&c.code)
                    + s(&c.quote)
                    + s(&c.before)
                    + s(&c.after)
                    + s(&c.created)
                    + o(&c.memo)
                    + o(&c.rev)
                    + o(&c.unplaced)
            })
            .sum::<usize>()
}

/// Puts a transcript's original bytes back when dropped, so that a failed
/// run does not leave the corpus changed.
struct Restore<'a> {
    path: &'a Path,
    original: &'a [u8],
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        let _ = std::fs::write(self.path, self.original);
    }
}

/// Generates a coder file of [`LOAD_CODINGS`] codings, writes it, and times
/// loading it, serde_json parsing it, and stale detection; prints the
/// `RESULT` line.
pub fn load_phase(args: &Args) -> BoxResult<()> {
    let runs = args.coding_runs.max(1);
    let project = Project::open(&args.dir.join("project"))?;
    remove_coder(&project, LOAD_CODER)?;
    let (index, _) = Index::open(&project, &Silent)?;

    let docs = coded_docs(&index, LOAD_CODINGS);
    let n_docs = docs.len();
    let started = Instant::now();
    let codings = load_codings(&index, &docs, args.seed)?;
    let generate_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "  {} codings over {n_docs} transcripts made in {generate_secs:.1} s; writing",
        codings.len()
    );
    let started = Instant::now();
    let (added, skipped) = save_codings(&project, LOAD_CODER, codings)?;
    let write_secs = started.elapsed().as_secs_f64();
    assert_eq!((added, skipped), (LOAD_CODINGS, 0));
    let path = coder_path(&project, LOAD_CODER);
    let bytes = std::fs::metadata(&path)?.len();

    eprintln!("  parsing ({runs} runs each) …");
    let (load, value, typed) = time_parsing(&project, &path, runs)?;
    let files = vec![store::load(&project, LOAD_CODER)?];
    let heap = heap_bytes(&files[0]);

    eprintln!("  stale, nothing changed …");
    let mut fresh = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let stale = realist::anchor::stale(&index, &files)?;
        fresh.push(started.elapsed());
        assert!(stale.is_empty(), "nothing changed, yet codings are stale");
    }

    let (doc, in_doc) = &docs[n_docs / 2];
    let (refresh_secs, changed_secs, found) =
        stale_after_rewrite(&project, index, &files, doc, *in_doc, runs)?;
    let (index, refresh) = Index::open(&project, &Silent)?;
    assert_eq!(refresh.changed.len(), 1, "the transcript was not restored");

    let add_one = add_one_at_a_time(&project, &index, &docs[0].0, runs)?;
    remove_coder(&project, LOAD_CODER)?;
    println!(
        "RESULT codings={LOAD_CODINGS} docs={n_docs} bytes={bytes} heap={heap} generate_secs={generate_secs} write_secs={write_secs} load_secs={load} value_secs={value} typed_secs={typed} fresh_secs={} in_doc={in_doc} found={found} refresh_secs={refresh_secs} changed_secs={changed_secs} add_one_secs={add_one}",
        median(fresh),
    );
    Ok(())
}

/// Codings of whole turns and single sentences in `docs` (each its quota),
/// picked at random among (span, code) pairs.
fn load_codings(index: &Index, docs: &[(String, usize)], seed: u64) -> BoxResult<Vec<Coding>> {
    let mut rng = Rng::new(seed ^ 0xC0D1_4650);
    let mut codings = Vec::with_capacity(LOAD_CODINGS);
    for (id, quota) in docs {
        let quota = *quota;
        let t = index.transcript(id)?;
        let rev = index.revision(id);
        let mut candidates = candidates(&t, TURN_CODES, SENTENCE_CODES);
        if candidates.len() < quota {
            return Err(format!("{id}: only {} spans to code", candidates.len()).into());
        }
        shuffle(&mut candidates, &mut rng);
        for &(span, code) in &candidates[..quota] {
            codings.push(Coding::new(LOAD_CODER, &t, span, code, None, CREATED, rev));
        }
    }
    Ok(codings)
}

/// Parses every line of the file at `path` with serde_json into a `T`.
fn parse_lines<T: DeserializeOwned>(path: &Path) -> BoxResult<Vec<T>> {
    let text = std::fs::read_to_string(path)?;
    let mut parsed = Vec::new();
    for line in text.lines() {
        parsed.push(serde_json::from_str(line)?);
    }
    Ok(parsed)
}

/// Times `store::load` of the large file against serde_json parsing it
/// into values and into codings, `runs` rounds; returns the three medians.
fn time_parsing(project: &Project, path: &Path, runs: usize) -> BoxResult<(f64, f64, f64)> {
    let mut load = Vec::new();
    let mut value = Vec::new();
    let mut typed = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let f = store::load(project, LOAD_CODER)?;
        load.push(started.elapsed());
        assert_eq!(f.codings.len(), LOAD_CODINGS);
        drop(f);

        let started = Instant::now();
        let values: Vec<serde_json::Value> = parse_lines(path)?;
        value.push(started.elapsed());
        assert_eq!(values.len(), LOAD_CODINGS);
        drop(values);

        let started = Instant::now();
        let parsed: Vec<Coding> = parse_lines(path)?;
        typed.push(started.elapsed());
        assert_eq!(parsed.len(), LOAD_CODINGS);
    }
    Ok((median(load), median(value), median(typed)))
}

/// Rewrites `doc`, which holds `in_doc` codings: a paragraph inserted after
/// the front matter moves every coding in it. Times `Index::open` once and
/// `anchor::stale` `runs` times, then puts the transcript back. Returns the
/// seconds of the first, the median of the second and the stale codings
/// found.
fn stale_after_rewrite(
    project: &Project,
    index: Index,
    files: &[CoderFile],
    doc: &str,
    in_doc: usize,
    runs: usize,
) -> BoxResult<(f64, f64, usize)> {
    let file = project.root.join(&index.document(doc)?.path);
    let original = std::fs::read(&file)?;
    let text = String::from_utf8(original.clone())?;
    let body = text
        .find("\n---\n")
        .map(|i| i + "\n---\n".len())
        .ok_or("no front matter")?;
    let changed = format!(
        "{}\nThis paragraph was inserted by the benchmark.\n\n{}",
        &text[..body],
        &text[body..]
    );
    drop(index);
    eprintln!("  rewriting {doc} ({in_doc} codings) …");
    let _restore = Restore {
        path: &file,
        original: &original,
    };
    std::fs::write(&file, changed)?;
    let started = Instant::now();
    let (index, refresh) = Index::open(project, &Silent)?;
    let refresh_secs = started.elapsed().as_secs_f64();
    assert_eq!(refresh.changed.len(), 1, "one transcript should change");
    let mut samples = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let stale = realist::anchor::stale(&index, files)?;
        samples.push(started.elapsed());
        found = stale.len();
    }
    assert_eq!(found, in_doc, "every coding of {doc} should be stale");
    Ok((refresh_secs, median(samples), found))
}

/// Adds one coding to the large file at a time (`realist code add`: the
/// whole file is read, checked, sorted and written again), `runs` times,
/// each a sentence of `doc`; returns the median seconds.
fn add_one_at_a_time(project: &Project, index: &Index, doc: &str, runs: usize) -> BoxResult<f64> {
    eprintln!("  adding one coding at a time …");
    let t = index.transcript(doc)?;
    let sentences = t.sentences();
    let mut add_one = Vec::new();
    for s in sentences.iter().take(runs) {
        let c = Coding::new(
            LOAD_CODER,
            &t,
            *s,
            "Added/One",
            None,
            CREATED,
            index.revision(doc),
        );
        let started = Instant::now();
        let (added, _) = save_codings(project, LOAD_CODER, vec![c])?;
        add_one.push(started.elapsed());
        assert_eq!(added, 1);
    }
    Ok(median(add_one))
}

/// Runs the coding children and appends their tables to `report`.
pub fn coding_report(args: &Args, report: &mut String) -> BoxResult<()> {
    auto_coding_table(args, report)?;
    load_table(args, report)
}

/// Runs an auto-coding child per spread and appends their table.
fn auto_coding_table(args: &Args, report: &mut String) -> BoxResult<()> {
    let spreads = [
        ("match", "code-match"),
        ("sentence", "code-sentence"),
        ("turn", "code-turn"),
    ];
    let mut results = Vec::new();
    for (name, phase) in spreads {
        eprintln!("auto-coding `{CODING_QUERY}`, spread {name} …");
        let r = run_phase(args, phase)?;
        eprintln!(
            "  {} codings in {:.1} s",
            r["codings"],
            r["make_secs"] + r["write_secs"]
        );
        results.push((name, r));
    }
    let _ = writeln!(
        report,
        "\n### Auto-coding every occurrence of `{CODING_QUERY}` (`code hits`; one child process per spread)\n"
    );
    let _ = writeln!(report, "| measure | match | sentence | turn |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    let mut row = |label: &str, cell: &dyn Fn(&Results) -> String| {
        let cells: Vec<String> = results.iter().map(|(_, r)| cell(r)).collect();
        let _ = writeln!(report, "| {label} | {} |", cells.join(" | "));
    };
    let s = |k: &'static str| move |r: &Results| secs(r[k]);
    row("occurrences", &|r| format!("{:.0}", r["hits"]));
    row("codings made", &|r| format!("{:.0}", r["codings"]));
    row(
        "baseline: plain search, every hit collected (median of 3)",
        &s("search_secs"),
    );
    row(
        "`codings_from_hits` (search + spreading + `Coding::new`)",
        &s("make_secs"),
    );
    row("↳ on top of the search", &|r| {
        secs(r["make_secs"] - r["search_secs"])
    });
    row(
        "`store::update` with `add_all` (lock, read, add, sort, write)",
        &s("write_secs"),
    );
    row("coding total", &|r| secs(r["make_secs"] + r["write_secs"]));
    row("coding total / plain search", &|r| {
        format!(
            "{:.2}",
            (r["make_secs"] + r["write_secs"]) / r["search_secs"]
        )
    });
    row("coder file", &|r| mb(r["bytes"]));
    row("second run: `codings_from_hits`", &s("again_make_secs"));
    row(
        "second run: `store::update` (0 added, all skipped)",
        &s("again_write_secs"),
    );
    row(
        "`store::load` + `anchor::stale` of the file (`code hits` warns after writing)",
        &s("check_secs"),
    );
    row("peak anonymous RSS of the child", &|r| mb_kb(r["anon_kb"]));
    Ok(())
}

/// Runs the large coder file's child and appends its table.
fn load_table(args: &Args, report: &mut String) -> BoxResult<()> {
    eprintln!("coder file of {LOAD_CODINGS} codings …");
    let r = run_phase(args, "codings-load")?;
    let _ = writeln!(
        report,
        "\n### A coder file of {LOAD_CODINGS} codings (whole turns and sentences, {:.0} transcripts × {:.0}; medians of {} runs)\n",
        r["docs"],
        r["codings"] / r["docs"],
        args.coding_runs.max(1)
    );
    let _ = writeln!(report, "| measure | time | baseline | realist / baseline |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    let _ = writeln!(report, "| file size | {} | | |", mb(r["bytes"]));
    let _ = writeln!(
        report,
        "| make the codings (`index.transcript` + `Coding::new`; once) | {} | | |",
        secs(r["generate_secs"])
    );
    let _ = writeln!(
        report,
        "| write: `store::update` with `add_all` of all of them (once) | {} | | |",
        secs(r["write_secs"])
    );
    let _ = writeln!(
        report,
        "| parse: `store::load` vs serde_json → `Vec<Value>` line by line | {} | {} | {:.2} |",
        secs(r["load_secs"]),
        secs(r["value_secs"]),
        r["load_secs"] / r["value_secs"]
    );
    let _ = writeln!(
        report,
        "| ↳ serde_json → `Vec<Coding>` line by line (typed, no checks) | | {} | {:.2} |",
        secs(r["typed_secs"]),
        r["load_secs"] / r["typed_secs"]
    );
    let _ = writeln!(
        report,
        "| heap held by the loaded codings | {} | | |",
        mb(r["heap"])
    );
    let _ = writeln!(
        report,
        "| `anchor::stale`, nothing changed | {} | | |",
        ms_of(r["fresh_secs"])
    );
    let _ = writeln!(
        report,
        "| `Index::open` after rewriting one transcript holding {:.0} codings (once) | {} | | |",
        r["in_doc"],
        ms_of(r["refresh_secs"])
    );
    let _ = writeln!(
        report,
        "| `anchor::stale` after it ({:.0} stale found) | {} | | |",
        r["found"],
        ms_of(r["changed_secs"])
    );
    let _ = writeln!(
        report,
        "| add one coding to the file (`store::update`, as `code add`) | {} | | |",
        ms_of(r["add_one_secs"])
    );
    Ok(())
}
