//! A hostile pseudonym key, with `--only-key` only: 3,000 names in 9 MB
//! (the sample project's 75 real names and 2,925 made-up names of about
//! 3,000 characters each), on a copy of the sample project (the
//! repository's own `corpus/`, codebook, coder files, logic model and
//! links, in `DIR/key-project`). In a child process (`--phase key`), so
//! that its memory is its own: loading the key (`Pseudonyms::load`: the CSV
//! read, every name folded, the automaton built), with the peak memory it
//! takes; `Pseudonyms::apply` over the canonical text of every sample
//! transcript with that key, with the sample's own key and with none; and
//! `Pseudonyms::left_in` (what `privacy check` adds) over the same text.
//! Then the release binary's `export quotes` and `privacy check` on the
//! project with the key, and `export quotes` without it, timed over
//! interleaved rounds, with their peak memory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use realist::pseudonyms::{KEY_FILE, Pseudonyms};
use realist::{Index, Project, Silent};

use crate::child::{Aside, Timed, realist_rounds, run_phase};
use crate::generate::Rng;
use crate::report::{mb, mb_kb, median, ms_of, secs, status_kb};
use crate::{Args, BoxResult};

/// Names in the hostile key, the sample's included.
const KEY_NAMES: usize = 3_000;
/// The hostile key's size in bytes (about).
const KEY_BYTES: usize = 9_000_000;
/// Default timed runs of each measure.
const KEY_RUNS: usize = 5;
/// The project's folder in `DIR`, and where its exports go in it.
const KEY_PROJECT: &str = "key-project";
const KEY_OUT: &str = "key-out";

/// The release binary's commands: key, arguments (`OUT/` starts a path in
/// [`KEY_OUT`]), with the key in place.
const KEY_COMMANDS: [(&str, &[&str], bool); 3] = [
    (
        "export",
        &[
            "export",
            "quotes",
            "--format",
            "md",
            "--out",
            "OUT/quotes.md",
        ],
        true,
    ),
    ("privacy", &["privacy", "check", "--json"], true),
    (
        "export_nokey",
        &[
            "export",
            "quotes",
            "--format",
            "md",
            "--out",
            "OUT/quotes-nokey.md",
        ],
        false,
    ),
];

/// Returns the sample project's root (the repository).
fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the sample project into `to`, as `Workdir::sample` does for the
/// CLI tests (its key too, replaced later).
fn copy_sample(to: &Path) -> BoxResult<()> {
    fn copy_dir(from: &Path, to: &Path) -> BoxResult<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy_dir(&entry.path(), &target)?;
            } else {
                std::fs::copy(entry.path(), target)?;
            }
        }
        Ok(())
    }
    let repo = repository();
    if to.exists() {
        std::fs::remove_dir_all(to)?;
    }
    std::fs::create_dir_all(to)?;
    for folder in ["corpus", "codebooks", "codings"] {
        copy_dir(&repo.join(folder), &to.join(folder))?;
    }
    for file in [
        "realist.toml",
        "logic-model.md",
        "links.jsonl",
        "privacy-allow.txt",
    ] {
        std::fs::copy(repo.join(file), to.join(file))?;
    }
    Ok(())
}

/// Returns the hostile key: the sample's rows, then made-up names of
/// about 3,000 characters (capitalised words of two to four syllables,
/// numbered so that no two are alike) up to [`KEY_NAMES`] names and
/// [`KEY_BYTES`] bytes, pseudonyms `Alias0001`, ….
fn hostile_key(seed: u64) -> BoxResult<String> {
    const SYLLABLES: [&str; 16] = [
        "ka", "ley", "ro", "man", "tis", "bel", "dor", "an", "mi", "sha", "ven", "lo", "qu", "ir",
        "eth", "ña",
    ];
    let sample = std::fs::read_to_string(repository().join(KEY_FILE))?;
    let mut key = sample.trim_end().to_string();
    key.push('\n');
    let have = sample
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    let made = KEY_NAMES - have;
    let per_name = (KEY_BYTES - key.len()) / made - "Alias0000,\n".len();
    let mut rng = Rng::new(seed ^ 0x006b_6579);
    for i in 0..made {
        let mut name = String::with_capacity(per_name + 16);
        while name.len() < per_name {
            if !name.is_empty() {
                name.push(' ');
            }
            let mut word = String::new();
            for _ in 0..rng.range(2, 4) {
                word.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
            }
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                name.extend(first.to_uppercase());
                name.push_str(chars.as_str());
            }
        }
        let _ = writeln!(key, "{name} {i},Alias{:04}", i + 1);
    }
    Ok(key)
}

/// Returns this process's resident memory now and its peak, in kB.
fn memory_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    (status_kb(&status, "VmRSS:"), status_kb(&status, "VmHWM:"))
}

/// Makes the project and the key, and times in process: loading the key,
/// and applying it (and the sample's, and none) and `left_in` over every
/// sample transcript; then the release binary's commands. Prints the
/// `RESULT` line.
pub fn key_phase(args: &Args) -> BoxResult<()> {
    let runs = args.runs.unwrap_or(KEY_RUNS).max(1);
    let root = args.dir.join(KEY_PROJECT);
    eprintln!("  the sample project and a key of {KEY_NAMES} names …");
    copy_sample(&root)?;
    let key_file = root.join(KEY_FILE);
    std::fs::write(&key_file, hostile_key(args.seed)?)?;
    let key_bytes = std::fs::metadata(&key_file)?.len();
    let project = Project::open(&root)?;
    let (index, _) = Index::open(&project, &Silent)?;
    let texts: Vec<String> = index
        .documents()
        .map(|d| index.transcript(&d.id).map(|t| t.text.clone()))
        .collect::<Result<_, _>>()?;
    let text_bytes: usize = texts.iter().map(String::len).sum();
    let sample_key = Pseudonyms::load(&repository())?;

    eprintln!("  loading the key ({runs} runs) …");
    let (rss_before, _) = memory_kb();
    let mut loads = Vec::new();
    let mut key = Pseudonyms::none();
    for _ in 0..runs {
        drop(key);
        let started = Instant::now();
        key = Pseudonyms::load(&root)?;
        loads.push(started.elapsed());
    }
    let (rss_loaded, hwm_loaded) = memory_kb();

    eprintln!("  applying it to {} transcripts …", texts.len());
    let time = |f: &dyn Fn(&str)| {
        let mut samples = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            for t in &texts {
                f(t);
            }
            samples.push(started.elapsed());
        }
        median(samples)
    };
    let apply_big = time(&|t| {
        std::hint::black_box(key.apply(t));
    });
    let apply_sample = time(&|t| {
        std::hint::black_box(sample_key.apply(t));
    });
    let none = Pseudonyms::none();
    let apply_none = time(&|t| {
        std::hint::black_box(none.apply(t));
    });
    let started = Instant::now();
    let left = key.left_in(&texts[0])?.len();
    let left_first = started.elapsed().as_secs_f64();
    let left_in = time(&|t| {
        std::hint::black_box(key.left_in(t).map(|l| l.len()).unwrap_or(0));
    });
    let (rss_end, hwm_end) = memory_kb();
    let mut result = format!(
        "RESULT names={} key_bytes={key_bytes} docs={} text_bytes={text_bytes} load_secs={} rss_before_kb={rss_before} rss_loaded_kb={rss_loaded} hwm_loaded_kb={hwm_loaded} apply_key_secs={apply_big} apply_sample_secs={apply_sample} apply_none_secs={apply_none} left_first_secs={left_first} left_secs={left_in} left_found={left} rss_end_kb={rss_end} hwm_end_kb={hwm_end}",
        key.pairs.len(),
        texts.len(),
        median(loads),
    );
    drop((key, sample_key, index));

    let out = args.dir.join(KEY_OUT);
    std::fs::create_dir_all(&out)?;
    let commands: Vec<Timed> = KEY_COMMANDS
        .iter()
        .map(|(_, argv, with_key)| Timed {
            argv: argv
                .iter()
                .map(|a| match a.strip_prefix("OUT/") {
                    Some(f) => out.join(f).display().to_string(),
                    None => a.to_string(),
                })
                .collect(),
            with_file: *with_key,
            may_fail: argv[0] == "privacy",
            writes: argv
                .iter()
                .find_map(|a| a.strip_prefix("OUT/"))
                .map(|f| out.join(f)),
        })
        .collect();
    eprintln!("  the release binary ({runs} rounds) …");
    let timed = realist_rounds(&root, &key_file, &commands, runs)?;
    for ((name, _, _), (secs, size)) in KEY_COMMANDS.iter().zip(timed) {
        let _ = write!(result, " {name}_secs={secs} {name}_out={size}");
    }
    for ((name, _, _), c) in KEY_COMMANDS.iter().zip(&commands) {
        let _aside = Aside::unless(c.with_file, &key_file)?;
        let _ = write!(result, " {name}_hwm_kb={}", c.peak_kb(&root)?);
    }
    println!("{result}");
    Ok(())
}

/// Runs the key child and appends its tables to `report`.
pub fn key_report(args: &Args, report: &mut String) -> BoxResult<()> {
    eprintln!("a hostile pseudonym key …");
    let r = run_phase(args, "key")?;
    let runs = args.runs.unwrap_or(KEY_RUNS).max(1);
    let _ = writeln!(
        report,
        "\n### A pseudonym key of {:.0} names in {} over the sample project ({:.0} transcripts, {} of canonical text)\n",
        r["names"],
        mb(r["key_bytes"]),
        r["docs"],
        mb(r["text_bytes"]),
    );
    let _ = writeln!(report, "In process (median of {runs}):\n");
    let _ = writeln!(report, "| measure | time | memory |");
    let _ = writeln!(report, "|---|---:|---:|");
    let _ = writeln!(
        report,
        "| `Pseudonyms::load` (read, fold, build the automaton) | {} | resident {} → {}, peak {} |",
        secs(r["load_secs"]),
        mb_kb(r["rss_before_kb"]),
        mb_kb(r["rss_loaded_kb"]),
        mb_kb(r["hwm_loaded_kb"]),
    );
    for (label, key) in [
        ("`apply` over every transcript, this key", "apply_key_secs"),
        (
            "`apply` over every transcript, the sample's key (75 names)",
            "apply_sample_secs",
        ),
        (
            "`apply` over every transcript, `Pseudonyms::none()`",
            "apply_none_secs",
        ),
    ] {
        let _ = writeln!(report, "| {label} | {} | |", ms_of(r[key]));
    }
    let _ = writeln!(
        report,
        "| `left_in` over one transcript, first call (builds the joined-names automaton) | {} | |",
        ms_of(r["left_first_secs"])
    );
    let _ = writeln!(
        report,
        "| `left_in` over every transcript | {} | resident at the end {}, peak {} |",
        ms_of(r["left_secs"]),
        mb_kb(r["rss_end_kb"]),
        mb_kb(r["hwm_end_kb"]),
    );
    let _ = writeln!(
        report,
        "\nRelease binary, wall clock with process start (median of {runs} rounds, commands interleaved):\n"
    );
    let _ = writeln!(report, "| command | output | time | peak memory |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    for (name, argv, with_key) in KEY_COMMANDS {
        let shown: Vec<&str> = argv
            .iter()
            .map(|a| a.strip_prefix("OUT/").unwrap_or(a))
            .collect();
        let output = if argv[0] == "privacy" {
            format!("{:.0} words found", r[&format!("{name}_out")])
        } else {
            mb(r[&format!("{name}_out")])
        };
        let _ = writeln!(
            report,
            "| `realist {}`{} | {output} | {} | {} |",
            shown.join(" "),
            if with_key {
                ""
            } else {
                ", **no pseudonyms.csv**"
            },
            ms_of(r[&format!("{name}_secs")]),
            mb_kb(r[&format!("{name}_hwm_kb")]),
        );
    }
    Ok(())
}
