//! Exports and the report, with `--only-export` only: on the case project,
//! a codebook of 20 codes, two coders with 5,000 codings each (10,000
//! quotes) in 1,000 transcripts, a logic model of 12 configurations with
//! 1,000 evidence links and a pseudonym key of 200 names (`files.rs`); the
//! release binary's `export quotes` in every format and grouping, with and
//! without the key, `report` and `privacy check`, against `codings` (the
//! floor of any export) and the five commands that show what the report
//! shows, with the peak memory of some. In process: the report's
//! speakers-by-role pass and `quotes::rows` with and without the key.

mod files;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use realist::coding::store;
use realist::logic_model::links::Links;
use realist::pseudonyms::Pseudonyms;
use realist::quotes::{self, Selection};
use realist::{CoderFile, Index, Project};

use crate::cases::{CaseProject, case_project_made};
use crate::child::{Aside, Timed, realist_rounds, run_phase};
use crate::report::{mb, mb_kb, median, ms_of, secs};
use crate::{Args, BoxResult};
use files::{EXPORT_CMOS, EXPORT_CODES, export_files};

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

/// Makes (or reuses) the case project, adds the export project's files,
/// and times reading every transcript and `quotes::rows` in process, then
/// [`EXPORT_COMMANDS`] with the release binary; prints the `RESULT` line.
pub fn export_phase(args: &Args) -> BoxResult<()> {
    let runs = args.runs.unwrap_or(EXPORT_RUNS).max(1);
    let opened = CaseProject::open(args)?;
    let (project, index) = (&opened.project, &opened.index);
    eprintln!("  codebook, two coders, logic model, links, pseudonym key …");
    let started = Instant::now();
    let made = export_files(args, index, project)?;
    let setup_secs = started.elapsed().as_secs_f64();
    let files = store::load_all(project)?;
    let codings: usize = files.iter().map(|f| f.codings.len()).sum();
    let mut result = format!(
        "RESULT {} coded={} codings={codings} codes={} cmos={EXPORT_CMOS} links={} names={} setup_secs={setup_secs}",
        opened.result_fields(),
        made.docs,
        EXPORT_CODES.len(),
        made.links,
        made.names,
    );
    in_process(project, index, &files, runs, &mut result)?;
    let CaseProject { project, index, .. } = opened;
    drop(index);

    // The release binary, each command once per round, in turn; the first
    // round untimed.
    let out = args.dir.join(EXPORT_OUT);
    std::fs::create_dir_all(&out)?;
    let key_file = project.root.join(realist::pseudonyms::KEY_FILE);
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

/// In process, `runs` times: what the report's speakers-by-role pass does
/// (every transcript parsed, one after another, and each turn's words
/// counted), and the rows of every export with and without the key; adds
/// the medians and the quotes to `result`.
fn in_process(
    project: &Project,
    index: &Index,
    files: &[CoderFile],
    runs: usize,
    result: &mut String,
) -> BoxResult<()> {
    let links = Links::load(project)?;
    let key = Pseudonyms::load(&project.root)?;
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
            let rows = quotes::rows(index, files, &links, &Selection::default(), k);
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
    Ok(())
}

/// Runs the export child and appends its tables to `report`.
pub fn export_report(args: &Args, report: &mut String) -> BoxResult<()> {
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
    let made = case_project_made(&r, "");
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
