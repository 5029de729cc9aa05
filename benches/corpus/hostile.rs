//! Hostile inputs, with `--only-hostile` only (not part of a full run):
//! files made to be as costly as possible to read (issue 19's adversarial
//! pass), and the limits that refuse the rest.
//!
//! **Sizes.** Each file is made at the size of the adversarial pass and at a
//! tenth of it, and the library call that reads it is timed at both: the
//! ratio of the two times is about 10 when reading grows in proportion to
//! the size, about 100 when it grows with its square.
//!
//! - a logic model of 20,000 configurations, `LogicModel::parse`;
//! - a codebook of 10,000 headings nested as deep as Markdown goes (levels
//!   2 to 6 in turn), each with a definition, a list and keywords,
//!   `Codebook::add_file` and `Codebook::check` (every keyword query parsed);
//! - a case file of 100,000 columns and 3 rows, `Cases::parse`, and
//!   `Index::open` (nothing changed) of a project of two transcripts that
//!   name a case each, which joins the case's columns to each document's
//!   attributes.
//!
//! **Limits.** Inputs that took all the memory or overflowed the stack
//! before the limits: a "billion laughs" of front matter (nine levels of
//! nine aliases), 30,000 nested lists of front matter and front matter just
//! over 64 KiB (`Transcript::parse`), and queries of 8,000 brackets and
//! 30,000 NOTs (`query::parse`); with, for scale, the largest front matter
//! and the deepest query that are accepted.
//!
//! Every measure runs in a child process of its own (`--phase
//! hostile-size:KIND:N` or `--phase hostile-limit:NAME`), so that its peak
//! memory is its own and a crash (of code before the limits) is reported,
//! not fatal; the limits' children run under `ulimit -v` of 4 GiB, so that a
//! billion laughs stops there. The files are written to `DIR` (default
//! `target/bench-corpus/hostile`), where the CLI can be run on them too.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use realist::cases::Cases;
use realist::codebook::{Codebook, Usage};
use realist::logic_model::LogicModel;
use realist::transcript::{DEFAULT_PATTERN, Reading, SpeakerPattern, Transcript};
use realist::{Index, Project, Silent};

use crate::report::{mb, mb_kb, median, secs};
use crate::{Args, BoxResult};

/// The files measured: (kind, what it is, what its size counts, the calls
/// timed, the adversarial pass's size).
const SIZES: [(&str, &str, &str, &str, usize); 4] = [
    (
        "logic-model",
        "logic model",
        "configurations",
        "`LogicModel::parse`",
        20_000,
    ),
    (
        "codebook",
        "codebook",
        "headings, levels 2 to 6 in turn",
        "`Codebook::add_file` + `check`",
        10_000,
    ),
    (
        "cases",
        "case file",
        "columns × 3 rows",
        "`Cases::parse`",
        100_000,
    ),
    (
        "cases-open",
        "case file",
        "columns × 3 rows",
        "`Index::open` of 2 transcripts, nothing changed",
        100_000,
    ),
];

/// The limits measured: (name, what it is, the call timed).
const LIMITS: [(&str, &str, &str); 7] = [
    (
        "laughs",
        "front matter: 9 levels of 9 aliases (billion laughs)",
        "`Transcript::parse`",
    ),
    (
        "nested-lists",
        "front matter: 30,000 nested lists",
        "`Transcript::parse`",
    ),
    (
        "front-matter-64k",
        "front matter: 64 lines of 1,024 bytes (the most)",
        "`Transcript::parse`",
    ),
    (
        "front-matter-over",
        "front matter: 65 lines of 1,024 bytes",
        "`Transcript::parse`",
    ),
    (
        "brackets-64",
        "query: 64 nested brackets (the most)",
        "`query::parse`",
    ),
    ("brackets", "query: 8,000 nested brackets", "`query::parse`"),
    ("nots", "query: 30,000 NOTs", "`query::parse`"),
];

/// The address space the limits' children may take (`ulimit -v`, kB).
const MEMORY_CAP_KB: u64 = 4 * 1024 * 1024;

/// The folder of the hostile files.
fn hostile_dir(args: &Args) -> PathBuf {
    args.dir.clone()
}

// ---------------------------------------------------------------------------
// The files

/// Returns a logic model of `n` configurations, each complete.
pub fn logic_model(n: usize) -> String {
    let mut text = String::from(
        "# Logic model\n\n## Pathways\n- **Dedicated resources**: money for needs.\n\n## Configurations\n",
    );
    for i in 1..=n {
        let _ = write!(
            text,
            "\n### CMO-{i}: Configuration {i}\n- Pathway: Dedicated resources\n- Status: initial\n- Context: Families in context {i}.\n- Mechanism (resource): Resource {i}.\n- Mechanism (reasoning): Reasoning {i}.\n- Outcome: Outcome {i}.\n- Keywords: speed, \"same day\", word{i}\n"
        );
    }
    text
}

/// Returns a codebook of `n` codes whose headings go from level 2 to 6 and
/// back, so that every code but the top ones has a parent.
pub fn codebook(n: usize) -> String {
    let mut text = String::from("# Hostile codebook\n");
    for i in 0..n {
        let level = 2 + i % 5;
        let _ = write!(
            text,
            "\n{} Code {i}\nWhat code {i} is about.\n\nInclude:\n- one thing\n- another\n\nKeywords: `word{i} OR \"phrase {i}\"`\n",
            "#".repeat(level)
        );
    }
    text
}

/// Returns a case file of `columns` numeric columns and three cases.
pub fn case_file(columns: usize) -> String {
    let mut text = String::from("case");
    for c in 0..columns {
        let _ = write!(text, ",col{c}");
    }
    for case in 1..=3 {
        let _ = write!(text, "\nC{case}");
        for c in 0..columns {
            let _ = write!(text, ",{}", c * case);
        }
    }
    text.push('\n');
    text
}

/// Writes the project whose `Index::open` joins a case file of `columns`
/// columns, unless it is there already; returns its root.
fn case_project(args: &Args, columns: usize) -> BoxResult<PathBuf> {
    let root = hostile_dir(args).join(format!("cases-project-{columns}"));
    let corpus = root.join("corpus");
    if corpus.join("cases.csv").exists() {
        return Ok(root);
    }
    std::fs::create_dir_all(&corpus)?;
    std::fs::write(
        root.join("realist.toml"),
        "[project]\nname = \"hostile case file\"\n",
    )?;
    // One document has a front matter key that is also a column, in
    // another case, so the join looks up every column's key.
    std::fs::write(
        corpus.join("a.md"),
        "---\ncase: C1\nCOL7: own value\n---\n\nInterviewer: How was it?\n\nP1 (parent): Quick.\n",
    )?;
    std::fs::write(
        corpus.join("b.md"),
        "---\ncase: C2\n---\n\nInterviewer: How was it?\n\nP2 (parent): Slow.\n",
    )?;
    std::fs::write(corpus.join("cases.csv"), case_file(columns))?;
    Ok(root)
}

/// Returns a transcript whose front matter is a "billion laughs".
fn laughs() -> String {
    let names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    let mut text = String::from("---\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for pair in names.windows(2) {
        let aliases = vec![format!("*{}", pair[0]); 9].join(",");
        let _ = writeln!(text, "{0}: &{0} [{aliases}]", pair[1]);
    }
    text + "---\n\nInterviewer: hello\n"
}

/// Returns a transcript with `lines` front matter lines of 1,024 bytes.
fn long_front_matter(lines: usize) -> String {
    let keys: String = (0..lines)
        .map(|i| format!("k{i:03}: {}\n", "x".repeat(1017)))
        .collect();
    format!("---\n{keys}---\n\nInterviewer: hello\n")
}

/// Returns the input of limit `name`: a transcript or a query.
fn limit_input(name: &str) -> BoxResult<String> {
    Ok(match name {
        "laughs" => laughs(),
        "nested-lists" => format!("---\n{}x\n---\n\nInterviewer: hi\n", "- ".repeat(30_000)),
        "front-matter-64k" => long_front_matter(64),
        "front-matter-over" => long_front_matter(65),
        "brackets-64" => format!("{}speed{}", "(".repeat(64), ")".repeat(64)),
        "brackets" => format!("{}speed{}", "(".repeat(8000), ")".repeat(8000)),
        "nots" => format!("{}speed", "NOT ".repeat(30_000)),
        other => return Err(format!("unknown hostile limit '{other}'").into()),
    })
}

// ---------------------------------------------------------------------------
// The children

/// Returns the peak resident memory of this process so far, in kB.
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    crate::report::status_kb(&status, "VmHWM:")
}

/// Times `read` `runs` times; returns the median in seconds.
fn time_runs(runs: usize, mut read: impl FnMut() -> BoxResult<()>) -> BoxResult<f64> {
    let mut samples: Vec<Duration> = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        read()?;
        samples.push(started.elapsed());
    }
    Ok(median(samples))
}

/// The child of `--phase hostile-size:KIND:N`: makes the file, times its
/// reading and prints `RESULT secs=… bytes=… peak_kb=…`.
pub fn size_phase(args: &Args, kind: &str, n: usize) -> BoxResult<()> {
    let runs = args.runs.unwrap_or(5).max(1);
    let (bytes, secs) = match kind {
        "logic-model" => {
            let text = logic_model(n);
            std::fs::create_dir_all(hostile_dir(args))?;
            std::fs::write(hostile_dir(args).join(format!("logic-model-{n}.md")), &text)?;
            let secs = time_runs(runs, || {
                let (model, problems) = LogicModel::parse(Path::new("logic-model.md"), &text);
                if model.configurations.len() != n || !problems.is_empty() {
                    return Err(format!("{} problems", problems.len()).into());
                }
                Ok(())
            })?;
            (text.len(), secs)
        }
        "codebook" => {
            let text = codebook(n);
            std::fs::create_dir_all(hostile_dir(args))?;
            std::fs::write(hostile_dir(args).join(format!("codebook-{n}.md")), &text)?;
            let secs = time_runs(runs, || {
                let mut book = Codebook::default();
                book.add_file(Path::new("codebooks/hostile.md"), &text);
                let found =
                    book.check(&Usage::default(), &|q| realist::query::parse(q).map(|_| ()));
                if book.codes.len() != n || found.iter().any(|p| p.error) {
                    return Err(format!("{} codes", book.codes.len()).into());
                }
                Ok(())
            })?;
            (text.len(), secs)
        }
        "cases" => {
            let text = case_file(n);
            let secs = time_runs(runs, || {
                let cases = Cases::parse(Path::new("corpus/cases.csv"), text.as_bytes())?;
                if cases.columns.len() != n {
                    return Err("columns lost".into());
                }
                Ok(())
            })?;
            (text.len(), secs)
        }
        "cases-open" => {
            let root = case_project(args, n)?;
            let project = Project::open(&root)?;
            // The first open indexes the two transcripts; the rest find
            // nothing changed and only join the cases.
            drop(Index::open(&project, &Silent)?);
            let secs = time_runs(runs, || {
                let (index, _) = Index::open(&project, &Silent)?;
                if index.attribute_keys().len() < n {
                    return Err("case columns not joined".into());
                }
                Ok(())
            })?;
            let bytes = std::fs::metadata(root.join("corpus/cases.csv"))?.len() as usize;
            (bytes, secs)
        }
        other => return Err(format!("unknown hostile file '{other}'").into()),
    };
    println!("RESULT secs={secs} bytes={bytes} peak_kb={}", peak_kb());
    Ok(())
}

/// The child of `--phase hostile-limit:NAME`: reads the input and prints
/// `MESSAGE` (what was said: the error, or that it was read) and `RESULT
/// secs=… bytes=… peak_kb=…`.
pub fn limit_phase(args: &Args, name: &str) -> BoxResult<()> {
    let runs = args.runs.unwrap_or(5).max(1);
    let input = limit_input(name)?;
    let mut said = String::new();
    let secs = if name.starts_with("brackets") || name == "nots" {
        time_runs(runs, || {
            said = match realist::query::parse(&input) {
                Ok(_) => "read".into(),
                Err(e) => e.to_string(),
            };
            Ok(())
        })?
    } else {
        let pattern = Reading::with_pattern(SpeakerPattern::new(DEFAULT_PATTERN)?);
        time_runs(runs, || {
            said =
                match Transcript::parse(Path::new("corpus/hostile.md"), input.as_bytes(), &pattern)
                {
                    Ok(_) => "read".into(),
                    Err(e) => e.to_string(),
                };
            Ok(())
        })?
    };
    println!("MESSAGE {said}");
    println!(
        "RESULT secs={secs} bytes={} peak_kb={}",
        input.len(),
        peak_kb()
    );
    Ok(())
}

/// What a child said: its `RESULT` fields and `MESSAGE`, or how it died.
struct Child {
    secs: f64,
    bytes: f64,
    peak_kb: f64,
    message: String,
}

/// Runs this binary with `--phase PHASE` (under a memory cap when
/// `capped`); a child that fails is reported by how it failed.
fn run_child(args: &Args, phase: &str, capped: bool) -> BoxResult<Result<Child, String>> {
    let exe = std::env::current_exe()?;
    let mut command = if capped {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit -v {MEMORY_CAP_KB} && exec \"$0\" \"$@\""))
            .arg(exe);
        c
    } else {
        Command::new(exe)
    };
    command.args(["--phase", phase, "--dir"]).arg(&args.dir);
    if let Some(runs) = args.runs {
        command.args(["--runs", &runs.to_string()]);
    }
    let started = Instant::now();
    let out = command.output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let how = if stderr.contains("overflowed its stack") {
            "crashed: stack overflow".to_string()
        } else if stderr.contains("memory allocation") {
            format!(
                "crashed: out of memory at the {} cap",
                mb_kb(MEMORY_CAP_KB as f64)
            )
        } else {
            format!("failed ({}): {}", out.status, stderr.trim())
        };
        return Ok(Err(format!(
            "{how}, after {}",
            secs(started.elapsed().as_secs_f64())
        )));
    }
    let field = |key: &str| -> f64 {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("RESULT "))
            .and_then(|l| {
                l.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            })
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    Ok(Ok(Child {
        secs: field("secs"),
        bytes: field("bytes"),
        peak_kb: field("peak_kb"),
        message: stdout
            .lines()
            .find_map(|l| l.strip_prefix("MESSAGE "))
            .unwrap_or("")
            .to_string(),
    }))
}

// ---------------------------------------------------------------------------
// The report

/// How the times were taken: one run, or the median of several.
fn of_runs(runs: usize) -> String {
    match runs {
        1 => "one run".to_string(),
        n => format!("median of {n} runs"),
    }
}

/// `n` with a comma between thousands.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Measures the hostile files and limits; appends their tables to `report`.
pub fn hostile_report(args: &Args, report: &mut String) -> BoxResult<()> {
    let runs = args.runs.unwrap_or(5).max(1);
    let _ = writeln!(
        report,
        "\n### Hostile sizes: the adversarial pass's size and a tenth of it ({}, in process)\n",
        of_runs(runs)
    );
    let _ = writeln!(
        report,
        "| file | read by | size | bytes | time | a tenth: time | ratio | peak memory |"
    );
    let _ = writeln!(report, "|---|---|---|---:|---:|---:|---:|---:|");
    for (kind, what, unit, read_by, full) in SIZES {
        let mut measured = Vec::new();
        for n in [full, full / 10] {
            eprintln!("hostile {kind} of {n} …");
            measured.push(run_child(args, &format!("hostile-size:{kind}:{n}"), false)?);
        }
        let cell = |r: &Result<Child, String>| match r {
            Ok(c) => (mb(c.bytes), crate::report::ms_of(c.secs)),
            Err(how) => (String::new(), how.clone()),
        };
        let (bytes, time) = cell(&measured[0]);
        let (_, tenth_time) = cell(&measured[1]);
        let (ratio, peak) = match (&measured[0], &measured[1]) {
            (Ok(a), Ok(b)) => (format!("{:.1}", a.secs / b.secs), mb_kb(a.peak_kb)),
            _ => (String::new(), String::new()),
        };
        let _ = writeln!(
            report,
            "| {what} | {read_by} | {} {unit} | {bytes} | {time} | {tenth_time} | {ratio} | {peak} |",
            thousands(full)
        );
    }
    let _ = writeln!(
        report,
        "\n### Hostile limits ({}, each in a child process under `ulimit -v` {})\n",
        of_runs(runs),
        mb_kb(MEMORY_CAP_KB as f64)
    );
    let _ = writeln!(
        report,
        "| input | read by | bytes | what it says | time | peak memory |"
    );
    let _ = writeln!(report, "|---|---|---:|---|---:|---:|");
    for (name, what, read_by) in LIMITS {
        eprintln!("hostile limit {name} …");
        let row = match run_child(args, &format!("hostile-limit:{name}"), true)? {
            Ok(c) => format!(
                "{:.0} | {} | {} | {}",
                c.bytes,
                c.message.replace('|', "\\|"),
                crate::report::ms_of(c.secs),
                mb_kb(c.peak_kb)
            ),
            Err(how) => format!("{} | {how} | | ", limit_input(name)?.len()),
        };
        let _ = writeln!(report, "| {what} | {read_by} | {row} |");
    }
    let _ = writeln!(
        report,
        "\nThe files are in {}; run the CLI on them there (for example `realist --project {} docs`).",
        hostile_dir(args).display(),
        hostile_dir(args).join("cases-project-100000").display()
    );
    Ok(())
}
