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
    out.warn(&format!(
        "{} in {} no longer match their text:{}{more}\n  run `realist check` to re-anchor them",
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

/// Warns about documents left out of a comparison because not every coder coded them.
pub fn warn_left_out(out: &Out, left_out: &[LeftOut]) {
    if left_out.is_empty() {
        return;
    }
    let list: Vec<String> = left_out
        .iter()
        .map(|l| format!("{} (coded by {})", l.doc, l.coded_by.join(", ")))
        .collect();
    out.warn(&format!(
        "{} not coded by every coder, left out: {}",
        if left_out.len() == 1 {
            "1 document is"
        } else {
            "some documents are"
        },
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

/// Writes an export to `path` (atomically, never over the project's own
/// files) or to stdout.
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
