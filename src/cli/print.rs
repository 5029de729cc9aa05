//! Printing what several commands print: codings on one line, warnings
//! about stale anchors and left-out documents, check findings, exports.

use realist::agreement::compare::LeftOut;
use realist::anchor::Stale;
use realist::error::Problem;
use realist::text::preview;
use realist::{Coding, Record, Workspace};

use super::output::{DIM, Out, plural, safe};

/// Warns on stderr about codings whose anchors are stale.
pub fn warn_stale(out: &Out, stale: &[Stale]) {
    if stale.is_empty() {
        return;
    }
    let docs: std::collections::BTreeSet<&str> = stale.iter().map(|s| s.doc.as_str()).collect();
    let shown: Vec<String> = stale
        .iter()
        .take(5)
        .map(|s| format!("\n  {} ({}, {}): {}", s.id, s.coder, s.doc, s.reason))
        .collect();
    let more = if stale.len() > 5 { "\n  …" } else { "" };
    let (verb, them) = if stale.len() == 1 {
        ("matches its", "it")
    } else {
        ("match their", "them")
    };
    out.warn(&format!(
        "{} in {} no longer {verb} text:{}{more}\n  run `realist check` to re-anchor {them}",
        plural(stale.len(), "coding", "codings"),
        plural(docs.len(), "document", "documents"),
        shown.join("")
    ));
}

/// Formats a coding on one line: id, coder, place, code and quote.
pub fn coding_line(out: &Out, coder: &str, c: &Coding, turn: Option<usize>, stale: bool) -> String {
    let place = match turn {
        Some(n) => format!("{}:{n}", c.doc),
        None => c.doc.clone(),
    };
    let mark = if stale { " [stale]" } else { "" };
    format!(
        "{}  {coder}  {} @{}-{}  {}{mark}  {}",
        out.paint(DIM, &c.id),
        safe(&place),
        c.start,
        c.end,
        safe(&c.code),
        out.paint(DIM, &format!("“{}”", preview(&c.quote, 60)))
    )
}

/// Warns about documents left out of a comparison, with why (the first
/// ten; `--json` output lists them all).
pub fn warn_left_out(out: &Out, left_out: &[LeftOut]) {
    if left_out.is_empty() {
        return;
    }
    let list: Vec<String> = left_out
        .iter()
        .take(10)
        .map(|l| format!("{} ({})", l.doc, l.reason))
        .collect();
    let more = match left_out.len() {
        n if n > 10 => format!("; and {} more", n - 10),
        _ => String::new(),
    };
    out.warn(&format!(
        "{} left out of the comparison: {}{more}",
        plural(left_out.len(), "document", "documents"),
        list.join("; ")
    ));
}

/// Prints a check's findings ("error:"/"note:" lines, or JSON Lines), then
/// a summary line ("CHECKED checked: N problems, M notes") unless `json`;
/// fails, naming the check, when any finding is an error.
pub fn problems(
    out: &Out,
    problems: &[Problem],
    json: bool,
    checked: &str,
    check: &str,
) -> realist::Result<()> {
    for p in problems {
        if json {
            out.line(&Record::Problem(p).to_json())?;
        } else {
            let label = if p.error { "error" } else { "note" };
            out.line(&safe(&format!("{label}: {p}")))?;
        }
    }
    let errors = problems.iter().filter(|p| p.error).count();
    if !json {
        out.line(&out.paint(
            DIM,
            &format!(
                "{checked} checked: {}, {}",
                plural(errors, "problem", "problems"),
                plural(problems.len() - errors, "note", "notes")
            ),
        ))?;
    }
    out.flush()?;
    if errors > 0 {
        return Err(realist::Error::CheckFailed {
            check: check.to_string(),
            problems: errors,
        });
    }
    Ok(())
}

/// Writes an export to `path` (a file atomically, a FIFO or device
/// directly; never over the project's own files) or to stdout.
pub fn export(
    out: &Out,
    ws: &Workspace,
    path: Option<&std::path::Path>,
    text: &str,
) -> realist::Result<()> {
    match path {
        Some(path) => ws.write_export(path, text.as_bytes()),
        None => {
            out.write(text)?;
            out.flush()
        }
    }
}

/// Prints each coder's progress through the corpus, when any coder marks
/// documents finished: "ana: 3 of 14 documents finished (12 coded)".
pub fn progress(out: &Out, progress: &[realist::workspace::CoderProgress]) -> realist::Result<()> {
    if progress.iter().all(|p| p.finished.is_none()) {
        return Ok(());
    }
    for p in progress {
        let finished = match p.finished {
            Some(n) => format!(
                "{n} of {} finished",
                plural(p.documents, "document", "documents")
            ),
            None => "none marked finished".to_string(),
        };
        out.line(&out.paint(DIM, &format!("{}: {finished} ({} coded)", p.coder, p.coded)))?;
    }
    Ok(())
}

/// Warns when the pseudonym key could be committed to git.
pub fn warn_key(out: &Out, ws: &Workspace) -> realist::Result<()> {
    if ws.key_may_be_committed()? {
        let key = realist::project::KEY_FILE;
        out.warn(&format!(
            "{key} is not in .gitignore: add the line /{key} so the re-identification key is never committed"
        ));
    }
    Ok(())
}

/// Says that an interrupted run on consensus `name` was completed (or, in a
/// dry run, would be) from its audit trail.
pub fn warn_recovered(out: &Out, name: &str, dry_run: bool) {
    out.warn(&format!(
        "an earlier run on '{name}' was stopped between writing consensus/{name}.jsonl and codings/{name}.jsonl; {} from the audit trail",
        if dry_run {
            "a real run completes it first"
        } else {
            "completed it first"
        }
    ));
}
