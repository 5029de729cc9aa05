//! Rendering a Markdown transcript body to plain paragraphs.
//!
//! Uses pulldown-cmark (CommonMark, no extensions) and keeps only the text a
//! reader sees: emphasis, links and code markers are rendered away, entities
//! and backslash escapes are decoded, HTML tags are dropped. Each block
//! (paragraph, heading, list item, code block) becomes one or more paragraphs.
//! Line breaks inside a paragraph are kept as a single `\n`.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::Block;
use crate::error::{Kind, Problem};
use crate::text::line_of;

/// Returns the blocks of `body`, with the file line each starts on.
///
/// `first_line` is the file line on which `body` starts, so that warnings and
/// blocks carry line numbers of the whole file.
pub fn blocks(
    path: &Path,
    body: &str,
    first_line: usize,
    warnings: &mut Vec<Problem>,
) -> Vec<Block> {
    let bytes = body.as_bytes();
    // Blocks come in file order: count newlines only since the last block
    // (counting from the start each time is quadratic in the file's size).
    let last = std::cell::Cell::new((0usize, 1usize));
    let file_line = |offset: usize| {
        let (at, line) = last.get();
        let line = if offset >= at {
            line + line_of(&bytes[at..], offset - at) - 1
        } else {
            line_of(bytes, offset)
        };
        last.set((offset, line));
        first_line + line - 1
    };
    let parser = Parser::new_ext(body, Options::empty()).into_offset_iter();

    let mut defs: Vec<(usize, String)> = parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| (def.span.start, label.to_string()))
        .collect();
    defs.sort();
    for (offset, label) in defs {
        warnings.push(Problem::warning(
            Kind::Transcript,
            path,
            Some(file_line(offset)),
            format!(
                "`[{label}]:` followed by one word is a Markdown link definition and is not part of the text; write `\\[{label}\\]:` or drop the colon"
            ),
        ));
    }

    let mut out = Vec::new();
    let mut current = String::new();
    let mut start: Option<usize> = None;
    let flush = |current: &mut String, start: &mut Option<usize>, out: &mut Vec<Block>| {
        if let Some(offset) = start.take() {
            push_paragraphs(current, file_line(offset), out);
        }
        current.clear();
    };

    for (event, range) in parser {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Item) => {
                // A list item's text may sit directly in the item (tight
                // list) or in paragraphs inside it (loose list).
                flush(&mut current, &mut start, &mut out);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::Item
                | TagEnd::TableRow,
            ) => flush(&mut current, &mut start, &mut out),
            Event::End(TagEnd::TableCell) => current.push(' '),
            Event::Text(text) | Event::Code(text) => {
                start.get_or_insert(range.start);
                current.push_str(&text);
            }
            Event::SoftBreak | Event::HardBreak => current.push('\n'),
            _ => {}
        }
    }
    flush(&mut current, &mut start, &mut out);
    out
}

/// Splits a rendered block on blank lines and pushes the non-empty parts,
/// each line trimmed at its end, the first line trimmed at its start too.
pub(super) fn push_paragraphs(text: &str, first_line: usize, out: &mut Vec<Block>) {
    let mut para = String::new();
    let mut para_line = first_line;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !para.is_empty() {
                out.push(Block {
                    text: std::mem::take(&mut para),
                    line: para_line,
                });
            }
            continue;
        }
        if para.is_empty() {
            para_line = first_line + i;
            para.push_str(line.trim_start());
        } else {
            para.push('\n');
            para.push_str(line);
        }
    }
    if !para.is_empty() {
        out.push(Block {
            text: para,
            line: para_line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> Vec<(String, usize)> {
        let mut w = Vec::new();
        blocks(Path::new("t.md"), md, 5, &mut w)
            .into_iter()
            .map(|b| (b.text, b.line))
            .collect()
    }

    #[test]
    fn markup_is_rendered_away() {
        assert_eq!(
            render(
                "**SW2 (social worker):** It's *really* `fast` &amp; [good](http://x).\n\nsecond\nline\n"
            ),
            vec![
                (
                    "SW2 (social worker): It's really fast & good.".to_string(),
                    5
                ),
                ("second\nline".to_string(), 7)
            ]
        );
    }

    #[test]
    fn brackets_and_escapes_stay_text() {
        assert_eq!(
            render("[P3] yes [inaudible] \\*sigh\\*\n"),
            vec![("[P3] yes [inaudible] *sigh*".to_string(), 5)]
        );
    }

    #[test]
    fn headings_and_list_items_are_paragraphs() {
        assert_eq!(
            render("# Part one\n\n- first\n- second\n"),
            vec![
                ("Part one".to_string(), 5),
                ("first".to_string(), 7),
                ("second".to_string(), 8)
            ]
        );
    }

    #[test]
    fn link_definitions_are_warned_about() {
        let mut w = Vec::new();
        let b = blocks(Path::new("t.md"), "Hello\n\n[P3]: yes\n", 1, &mut w);
        assert_eq!(b.len(), 1);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(3));
    }
}
