//! Golden outputs: what the binary prints is pinned byte for byte.
//!
//! Two kinds of golden file live under `tests/golden/`:
//!
//! - `sample/<name>`: the output of a command on the sample project (the
//!   report, every export format, agreement, disagreements, searches,
//!   codings, the logic model, …), run by [`sample_outputs_are_unchanged`];
//! - `errors/<test>.txt`: every error message a CLI test provokes (each
//!   `Output::fails()` of that test, in order), checked as it happens.
//!
//! Today's date, timestamps of today and the temporary folder are written as
//! `<date>`, `<time>` and `<tmp>`. After a deliberate change of output, run
//! `REALIST_BLESS=1 cargo test --test cli` and review the diff of
//! `tests/golden/` like any other change.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::workdir::Workdir;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn blessing() -> bool {
    std::env::var_os("REALIST_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Returns today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    realist::coding::timestamp(std::time::SystemTime::now())[..10].to_string()
}

/// Writes what varies from run to run in a stable form: the temporary
/// folder `dir` lives in, today's date and timestamps of today.
pub fn normalise(text: &str, dir: Option<&Path>) -> String {
    let mut text = text.to_string();
    let tmp = std::env::temp_dir();
    if let Some(dir) = dir {
        let top = dir
            .ancestors()
            .find(|a| a.parent() == Some(tmp.as_path()))
            .map(Path::to_path_buf);
        if let Some(top) = top {
            text = text.replace(&top.display().to_string(), "<tmp>");
        }
    }
    let today = today();
    let time = regex::Regex::new(&format!(r"{today}T\d\d:\d\d:\d\d(\.\d+)?Z")).unwrap();
    let text = time.replace_all(&text, "<time>");
    text.replace(&today, "<date>")
}

/// Compares `actual` with the golden file `rel` (or writes it when
/// blessing); returns a description of the difference, if any.
fn compare(rel: &str, actual: &str) -> Option<String> {
    let path = golden_dir().join(rel);
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(e) => e,
        Err(_) => {
            return Some(format!(
                "{}: no golden file; run `REALIST_BLESS=1 cargo test --test cli` and review it",
                path.display()
            ));
        }
    };
    if expected == actual {
        return None;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    Some(format!(
        "{} differs from the output, first at line {}:\n  golden: {:?}\n  output: {:?}\n(lines: golden {}, output {}; after a deliberate change run `REALIST_BLESS=1 cargo test --test cli`)",
        path.display(),
        at + 1,
        e.get(at).unwrap_or(&"<end>"),
        a.get(at).unwrap_or(&"<end>"),
        e.len(),
        a.len()
    ))
}

const SEPARATOR: &str = "\n~~~~ next error ~~~~\n";

thread_local! {
    /// The error messages the current test has provoked so far.
    static ERRORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Checks an error message against the current test's golden file
/// `errors/<test>.txt` (its n-th entry for the test's n-th failure).
///
/// The test is known by its thread's name, which the test harness sets;
/// where a harness runs tests on the main thread, nothing is checked.
#[track_caller]
pub fn error_message(stderr: &str, dir: Option<&Path>) {
    let thread = std::thread::current();
    let Some(test) = thread.name().filter(|n| *n != "main") else {
        return;
    };
    let rel = format!("errors/{}.txt", test.replace("::", "."));
    let message = normalise(stderr, dir);
    let seen = ERRORS.with(|e| {
        let mut e = e.borrow_mut();
        e.push(message.clone());
        e.clone()
    });
    if blessing() {
        compare(&rel, &seen.join(SEPARATOR));
        return;
    }
    let path = golden_dir().join(&rel);
    let golden = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{}: no golden file for this test's error messages; run `REALIST_BLESS=1 cargo test --test cli` and review it",
            path.display()
        )
    });
    let entries: Vec<&str> = golden.split(SEPARATOR).collect();
    let n = seen.len();
    match entries.get(n - 1) {
        Some(expected) if *expected == message => {}
        Some(expected) => panic!(
            "error message {n} of {test} differs from {}:\n  golden: {expected:?}\n  output: {message:?}\n(after a deliberate change run `REALIST_BLESS=1 cargo test --test cli`)",
            path.display()
        ),
        None => panic!(
            "{test} provoked error message {n}, but {} holds {}; run `REALIST_BLESS=1 cargo test --test cli`",
            path.display(),
            entries.len()
        ),
    }
}

/// The commands whose output on the sample project is pinned: a name for
/// the golden file, then the arguments.
const SAMPLE: &[(&str, &[&str])] = &[
    ("report.md", &["report", "--format", "md"]),
    ("report.html", &["report", "--format", "html"]),
    ("quotes.md", &["export", "quotes", "--format", "md"]),
    ("quotes.csv", &["export", "quotes", "--format", "csv"]),
    (
        "quotes-excel.csv",
        &[
            "export", "quotes", "--format", "csv", "--excel", "--by", "doc",
        ],
    ),
    ("quotes.html", &["export", "quotes", "--format", "html"]),
    ("quotes.jsonl", &["export", "quotes", "--format", "json"]),
    (
        "quotes-by-cmo.md",
        &["export", "quotes", "--by", "cmo", "--format", "md"],
    ),
    (
        "quotes-by-role.jsonl",
        &[
            "export",
            "quotes",
            "--by",
            "attribute:role",
            "--format",
            "json",
        ],
    ),
    (
        "quotes-by-site-ben.csv",
        &[
            "export",
            "quotes",
            "--by",
            "attribute:site",
            "--coder",
            "ben",
            "--codes",
            "Trust,Speed",
            "--format",
            "csv",
        ],
    ),
    ("agree.json", &["agree", "--coders", "ana,ben", "--json"]),
    ("agree.txt", &["agree", "--coders", "ana,ben"]),
    (
        "agree-sentence.json",
        &[
            "agree", "--coders", "ana,ben", "--unit", "sentence", "--json",
        ],
    ),
    (
        "agree-char-coded-only.json",
        &[
            "agree",
            "--coders",
            "ana,ben",
            "--unit",
            "char",
            "--coded-only",
            "--json",
        ],
    ),
    (
        "disagreements.md",
        &["disagreements", "--coders", "ana,ben"],
    ),
    (
        "disagreements.csv",
        &["disagreements", "--coders", "ana,ben", "--format", "csv"],
    ),
    (
        "disagreements-paragraph.jsonl",
        &[
            "disagreements",
            "--coders",
            "ana,ben",
            "--unit",
            "paragraph",
            "--json",
        ],
    ),
    ("search-budget.jsonl", &["search", "budget", "--json"]),
    (
        "search-phrase.jsonl",
        &["search", "\"straight away\" OR quickly", "--json"],
    ),
    (
        "search-speaker.jsonl",
        &[
            "search",
            "depend* OR reliant",
            "--speaker",
            "SW*",
            "--where",
            "site=Northbrook",
            "--json",
        ],
    ),
    (
        "search-where.txt",
        &[
            "search",
            "receipt*",
            "--where",
            "method=interview",
            "--context",
            "12",
        ],
    ),
    ("codings.jsonl", &["codings", "--json"]),
    ("codings-ana.txt", &["codings", "--coder", "ana"]),
    ("cmo-list.jsonl", &["cmo", "list", "--json"]),
    ("cmo-list.txt", &["cmo", "list"]),
    ("cmo-show.jsonl", &["cmo", "show", "CMO-2", "--json"]),
    ("docs.jsonl", &["docs", "--json"]),
    ("codebook.jsonl", &["codebook", "--json"]),
    ("cases.jsonl", &["cases", "--json"]),
    ("cases-stats.txt", &["cases", "stats", "--by", "site"]),
    ("privacy.jsonl", &["privacy", "check", "--json"]),
    ("show-coder.txt", &["show", "nb-fg-sw-01", "--coder", "ana"]),
    (
        "reconcile.jsonl",
        &[
            "reconcile",
            "--coders",
            "ana,ben",
            "--into",
            "agreed",
            "--json",
        ],
    ),
    ("decisions.jsonl", &["decisions", "--json"]),
    ("decisions.txt", &["decisions"]),
];

/// Every output in [`SAMPLE`] is byte-identical to its golden file (dates aside).
#[test]
fn sample_outputs_are_unchanged() {
    let wd = Workdir::sample();
    let mut failures = Vec::new();
    for (name, args) in SAMPLE {
        let out = wd.run(args);
        assert!(
            out.code == 0 || (*name == "privacy.jsonl" && out.code == 1),
            "realist {} failed:\n{}",
            args.join(" "),
            out.stderr
        );
        let text = normalise(&out.stdout, Some(&wd.root));
        if let Some(diff) = compare(&format!("sample/{name}"), &text) {
            failures.push(format!("realist {}: {diff}", args.join(" ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
