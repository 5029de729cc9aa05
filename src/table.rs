//! Cells of exported tables: CSV (RFC 4180) and Markdown pipe tables.
//!
//! Transcript text goes into spreadsheets and reports, so every cell is
//! escaped for its format: CSV fields are quoted when they hold a comma, a
//! quote or a line break, and a field that a spreadsheet would read as a
//! formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets
//! a leading apostrophe (OWASP, "CSV Injection"); Markdown cells have `|`
//! and backslashes escaped and line breaks turned into `<br>`.

/// Returns one CSV record (without its line break) of `fields`.
pub fn csv_record<S: AsRef<str>>(fields: &[S]) -> String {
    fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Returns `s` as one CSV field: neutralised against formula injection,
/// quoted when needed.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Returns `s` with what Markdown would read as markup escaped, so that
/// transcript text renders as it was said: inline markers (`*`, `_`, `` ` ``,
/// `[`, `]`, `<`, `>`, `&`, `#`, `|`, `~`, `\\`) anywhere, and block markers
/// (`-`, `+`, `=`, `1.`) at the start of a line.
pub fn md_text(s: &str) -> String {
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

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("she said \"now\""), "\"she said \"\"now\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-5"), "'-5");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_record(&["a", "b,c", ""]), "a,\"b,c\",");
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
    }
}
