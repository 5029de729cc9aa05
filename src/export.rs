//! Exported files: quote tables in Markdown, CSV, HTML and JSON Lines, and
//! the HTML page a Markdown report becomes.
//!
//! Every export says whether names were pseudonymised: Markdown and HTML in
//! the header, CSV in a `pseudonymised` column, JSON Lines in its first
//! record (`"type":"export"`). Transcript text is escaped for each format
//! ([`crate::table`]); HTML is produced from the Markdown by pulldown-cmark,
//! so text escaped for Markdown reaches HTML as entities, and the page
//! carries its style inline and a content security policy that allows no
//! script and no fetch: one self-contained file. No export carries a raw
//! control character ([`crate::table::visible`]): each text is made
//! visible as it is escaped, and each Markdown or HTML file once more as a
//! whole; JSON Lines escape them as JSON does ([`Record::to_json`]).

use std::str::FromStr;

use crate::agreement::disagreements::{Disagreement, Disagreements};
use crate::error::{Error, Result};
use crate::quotes::{Group, Meta, Row};
use crate::record::Record;
use crate::table::{Csv, md_cell, md_quote, md_text, visible_text};
use crate::text::plural;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with pandoc-compatible pipe tables.
    Markdown,
    /// CSV (RFC 4180, UTF-8, CRLF line ends).
    Csv,
    /// One self-contained HTML file.
    Html,
    /// JSON Lines.
    Json,
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "html" | "htm" => Ok(Format::Html),
            "json" | "jsonl" => Ok(Format::Json),
            _ => Err(Error::UnknownFormat {
                given: s.to_string(),
            }),
        }
    }
}

impl Format {
    /// Returns the format a file name's extension implies, if any.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(|e| e.parse().ok())
    }
}

/// Returns the header paragraph of a Markdown export.
fn header(meta: &Meta) -> String {
    let mut s = format!(
        "Exported by realist {} from {} on {}: {} from {}",
        meta.realist,
        md_text(&meta.project),
        meta.generated,
        plural(meta.quotes, "quote", "quotes"),
        plural(meta.documents, "document", "documents"),
    );
    if let Some(by) = &meta.by {
        s.push_str(&format!(", by {}", md_text(by)));
    }
    s.push('.');
    if meta.left_out > 0 {
        s.push_str(&format!(
            " {} linked to no configuration {} left out.",
            plural(meta.left_out, "quote", "quotes"),
            if meta.left_out == 1 { "is" } else { "are" }
        ));
    }
    s.push_str(&format!(" **{}**", md_text(&meta.statement)));
    s
}

/// Returns where a row comes from: "nb-fg-sw-01, turn 5".
pub fn source(r: &Row) -> String {
    match (r.turns.first(), r.turns.last(), r.turn) {
        (Some(a), Some(b), _) if a != b => format!("{}, turns {a}–{b}", r.doc),
        (_, _, Some(t)) => format!("{}, turn {t}", r.doc),
        _ => r.doc.clone(),
    }
}

/// Returns the row's evidence as "CMO-2 supports (mechanism); CMO-5 refines".
pub fn evidence(r: &Row) -> String {
    r.evidence
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The columns of a Markdown or HTML quote table.
const MD_COLUMNS: [&str; 7] = [
    "Quote",
    "Attribution",
    "Source",
    "Code",
    "Evidence",
    "Memo",
    "Coders",
];

/// Returns a pandoc pipe table of `rows`.
pub fn markdown_table(rows: &[Row]) -> String {
    let mut out = format!("| {} |\n", MD_COLUMNS.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(MD_COLUMNS.len())));
    for r in rows {
        let cells = [
            format!("“{}”", md_cell(&r.quote)),
            md_cell(&r.attribution),
            md_cell(&source(r)),
            md_cell(&r.code),
            md_cell(&evidence(r)),
            md_cell(r.memo.as_deref().unwrap_or("")),
            md_cell(&r.coders.join(", ")),
        ];
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Returns the quote table as a Markdown document.
pub fn quotes_markdown(groups: &[Group], meta: &Meta) -> String {
    let mut out = format!("# {}\n\n{}\n", md_text(&meta.title), header(meta));
    if groups.is_empty() {
        out.push_str("\nNo quotes.\n");
    }
    for g in groups {
        out.push('\n');
        if !g.title.is_empty() {
            out.push_str(&format!("## {}\n\n", md_text(&g.title)));
        }
        if g.rows.is_empty() {
            out.push_str("No quotes.\n");
        } else {
            out.push_str(&markdown_table(&g.rows));
        }
    }
    visible_text(out)
}

/// Returns the quote table as CSV: a header row, then one record per row.
/// With `excel`, a byte order mark first, so Excel reads it as UTF-8.
pub fn quotes_csv(groups: &[Group], meta: &Meta, excel: bool) -> String {
    let mut out = String::new();
    if excel {
        out.push('\u{feff}');
    }
    let header = [
        "group",
        "quote",
        "attribution",
        "doc",
        "turn",
        "speaker",
        "role",
        "code",
        "evidence",
        "memo",
        "coders",
        "codings",
        "pseudonymised",
    ];
    let mut csv = Csv::new();
    csv.record(&header);
    let pseudonymised = if meta.pseudonymised { "yes" } else { "no" };
    for g in groups {
        for r in &g.rows {
            let fields = [
                g.title.clone(),
                r.quote.clone(),
                r.attribution.clone(),
                r.doc.clone(),
                r.turn.map(|t| t.to_string()).unwrap_or_default(),
                r.speaker.clone().unwrap_or_default(),
                r.role.clone().unwrap_or_default(),
                r.code.clone(),
                evidence(r),
                r.memo.clone().unwrap_or_default(),
                r.coders.join(", "),
                r.codings.join(" "),
                pseudonymised.to_string(),
            ];
            csv.record(&fields);
        }
    }
    out.push_str(&csv.finish());
    out
}

/// Returns the quote table as JSON Lines: the `export` record, then one
/// `quote` record per row.
pub fn quotes_json(groups: &[Group], meta: &Meta) -> String {
    let mut out = Record::Export(meta).to_json();
    out.push('\n');
    for g in groups {
        for r in &g.rows {
            out.push_str(&Record::Quote(r).to_json());
            out.push('\n');
        }
    }
    out
}

/// The style of exported HTML pages: readable, printable, no web fonts.
const STYLE: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}\
h1,h2,h3,h4{font-family:Helvetica,Arial,sans-serif;line-height:1.2}\
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.92rem}\
th,td{border:1px solid #bbb;padding:.35rem .5rem;text-align:left;vertical-align:top}\
th{background:#eee}\
tr:nth-child(even) td{background:#fafafa}\
blockquote{margin:.5rem 0 .5rem 1rem;padding-left:.8rem;border-left:3px solid #bbb;color:#333}\
@media print{body{max-width:none;margin:0}tr{page-break-inside:avoid}}";

/// Returns `markdown` as one self-contained HTML page titled `title`.
pub fn html_page(title: &str, markdown: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    let parser = pulldown_cmark::Parser::new_ext(markdown, options);
    let mut body = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut body, parser);
    visible_text(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"realist {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        html_escape(title)
    ))
}

/// Escapes `&`, `<`, `>` and quotes for HTML text and attributes.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Returns the disagreements as a Markdown agenda for the reviewers'
/// meeting: a heading per unit with its text quoted, then a table of the
/// codes the coders differ on, who applied each and the codings' ids.
pub fn disagreements_markdown(d: &Disagreements) -> String {
    let t = d.tally();
    let mut out = format!(
        "# Disagreements between {}, by {}\n\n{} with {} on {} compared.\n",
        d.coders.join(" and "),
        d.unit.name(),
        plural(t.units, "unit", "units"),
        plural(t.differences, "difference", "differences"),
        plural(d.documents.len(), "document", "documents")
    );
    for u in &d.units {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n| Code | Applied by | Not by | Codings |\n|---|---|---|---|\n",
            disagreement_heading(u),
            md_quote(&u.text)
        ));
        for diff in &u.differences {
            let codings: Vec<String> = diff
                .codings
                .iter()
                .map(|c| format!("{} `{}`", md_cell(&c.coder), c.id))
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_cell(&diff.code),
                md_cell(&diff.applied_by.join(", ")),
                md_cell(&diff.not_by.join(", ")),
                codings.join(", ")
            ));
        }
    }
    visible_text(out)
}

/// Returns "DOC, turn N, SPEAKER (role), @START-END" for a unit.
fn disagreement_heading(u: &Disagreement) -> String {
    let mut parts = vec![u.doc.clone()];
    if let Some(n) = u.turn {
        parts.push(format!("turn {n}"));
    }
    match (&u.speaker, &u.role) {
        (Some(s), Some(r)) if !s.eq_ignore_ascii_case(r) => parts.push(format!("{s} ({r})")),
        (Some(s), _) => parts.push(s.clone()),
        _ => {}
    }
    parts.push(format!("@{}-{}", u.start, u.end));
    parts.join(", ")
}

/// Returns the disagreements as CSV (RFC 4180, CRLF): one record per unit
/// and code the coders differ on.
pub fn disagreements_csv(d: &Disagreements) -> String {
    let mut csv = Csv::new();
    csv.record(
        &[
            "doc",
            "turn",
            "speaker",
            "role",
            "start",
            "end",
            "code",
            "applied_by",
            "not_by",
            "codings",
            "text",
        ]
        .map(String::from),
    );
    for u in &d.units {
        for diff in &u.differences {
            let codings: Vec<String> = diff
                .codings
                .iter()
                .map(|c| format!("{}:{}", c.coder, c.id))
                .collect();
            csv.record(&[
                u.doc.clone(),
                u.turn.map_or(String::new(), |t| t.to_string()),
                u.speaker.clone().unwrap_or_default(),
                u.role.clone().unwrap_or_default(),
                u.start.to_string(),
                u.end.to_string(),
                diff.code.clone(),
                diff.applied_by.join("; "),
                diff.not_by.join("; "),
                codings.join("; "),
                u.text.trim().to_string(),
            ]);
        }
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_named_or_refused() {
        assert_eq!("MD".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!("jsonl".parse::<Format>().unwrap(), Format::Json);
        let e = "docx".parse::<Format>().unwrap_err().to_string();
        assert!(e.contains("use md, csv, html or json"), "{e}");
        assert_eq!(
            Format::of_path(std::path::Path::new("out/report.html")),
            Some(Format::Html)
        );
    }

    #[test]
    fn html_pages_escape_transcript_text_from_markdown() {
        let md = format!(
            "| Quote |\n|---|\n| {} |\n",
            md_cell("<script>alert(1)</script> & =HYPERLINK(\"x\") | a\nb")
        );
        let page = html_page("A <b>title</b>", &md);
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; =HYPERLINK"));
        assert!(page.contains("<title>A &lt;b&gt;title&lt;/b&gt;</title>"));
        assert!(page.contains("<td>"), "a table: {page}");
    }
}
