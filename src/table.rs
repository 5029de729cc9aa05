//! Cells of exported tables: CSV (RFC 4180) and Markdown pipe tables.
//!
//! Transcript text goes into spreadsheets and reports, so every cell is
//! escaped for its format: CSV fields are quoted when they hold a comma, a
//! quote or a line break, and a field that a spreadsheet would read as a
//! formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets
//! a leading apostrophe (OWASP, "CSV Injection"); Markdown cells have `|`
//! and backslashes escaped and line breaks turned into `<br>`. No export
//! carries a raw control character ([`visible`]): a carriage return is a
//! line break, tab and line feed stay, and every other (ESC, BEL, DEL, the
//! C1 controls) is written visibly as `\u001b`, so an export opened in a
//! terminal (`cat`, `less -r`) cannot act on it.

/// A CSV file being written: RFC 4180 quoting (by the csv crate), CRLF
/// line ends, every field neutralised against formula injection.
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for Csv {
    fn default() -> Csv {
        Csv::new()
    }
}

impl Csv {
    /// Starts an empty file.
    pub fn new() -> Csv {
        Csv {
            writer: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        }
    }

    /// Writes one record.
    pub fn record<S: AsRef<str>>(&mut self, fields: &[S]) {
        // Writing to a Vec cannot fail.
        let _ = self.writer.write_record(
            fields
                .iter()
                .map(|f| neutralise(&visible(f.as_ref())).into_owned()),
        );
    }

    /// Returns the file's text.
    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        // Every field was a str, so the file is UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Returns `s` with no raw control character: a carriage return (alone or
/// before a line feed) becomes a line feed, tab and line feed stay, and
/// every other control character is written visibly as JSON writes it
/// (`\u001b`, [`crate::text::escape_controls`]).
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\r') {
        return crate::text::escape_controls(s, |c| matches!(c, '\n' | '\t'));
    }
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    std::borrow::Cow::Owned(
        crate::text::escape_controls(&s, |c| matches!(c, '\n' | '\t')).into_owned(),
    )
}

/// Returns a whole export's text [`visible`], without copying it when it
/// already is.
pub fn visible_text(s: String) -> String {
    match visible(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(v) => v,
    }
}

/// Returns `s` with a leading apostrophe when a spreadsheet would read it
/// as a formula (OWASP, "CSV Injection").
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Returns `s` ([`visible`]) with what Markdown would read as markup escaped, so that
/// transcript text renders as it was said: inline markers (`*`, `_`, `` ` ``,
/// `[`, `]`, `<`, `>`, `&`, `#`, `|`, `~`, `\\`) anywhere, and block markers
/// (`-`, `+`, `=`, `1.`) at the start of a line.
pub fn md_text(s: &str) -> String {
    let s = &*visible(s);
    let mut out = String::with_capacity(s.len() + 8);
    for (n, line) in s.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        out.push_str(&line[..line.len() - body.len()]);
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        for (i, c) in body.char_indices() {
            let block_marker = (i == 0 && matches!(c, '-' | '+' | '='))
                || (i == digits && digits > 0 && matches!(c, '.' | ')'));
            if block_marker
                || matches!(
                    c,
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '~'
                )
            {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Returns `s` as one cell of a Markdown pipe table.
pub fn md_cell(s: &str) -> String {
    md_text(&s.trim().replace("\r\n", "\n").replace('\r', "\n")).replace('\n', "<br>")
}

/// Returns `s` as a Markdown block quote, each line prefixed with `> `.
pub fn md_quote(s: &str) -> String {
    s.trim()
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {}", md_text(l))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_field(s: &str) -> String {
        let mut csv = Csv::new();
        csv.record(&[s, "x"]);
        let line = csv.finish();
        line.strip_suffix(",x\r\n").unwrap().to_string()
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("she said \"now\""), "\"she said \"\"now\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        // A carriage return is a line break, and no raw control character
        // reaches the file.
        assert_eq!(csv_field("lone\rreturn"), "\"lone\nreturn\"");
        assert_eq!(csv_field("ring \u{7}\u{1b}[2J"), "ring \\u0007\\u001b[2J");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-5"), "'-5");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        let mut csv = Csv::new();
        csv.record(&["a", "b,c", ""]);
        csv.record(&["d", "e", "f"]);
        assert_eq!(csv.finish(), "a,\"b,c\",\r\nd,e,f\r\n");
    }

    #[test]
    fn markdown_cells_escape_pipes_and_line_breaks() {
        assert_eq!(md_cell(" a | b \\ c\nd "), "a \\| b \\\\ c<br>d");
        assert_eq!(md_quote("one\n\ntwo"), "> one\n>\n> two");
        // Transcript text renders as written: no HTML, emphasis, links or lists.
        assert_eq!(
            md_text("<script>x</script> *so* [1] & a_b"),
            "\\<script\\>x\\</script\\> \\*so\\* \\[1\\] \\& a\\_b"
        );
        assert_eq!(
            md_text("- no\n12. not a list\n# no"),
            "\\- no\n12\\. not a list\n\\# no"
        );
        assert_eq!(md_text("well - 3.5 kids"), "well - 3.5 kids");
        assert_eq!(
            md_cell("a\u{1b}]0;t\u{7}\rb"),
            "a\\\\u001b\\]0;t\\\\u0007<br>b"
        );
    }
}
