//! Offsets into canonical text.
//!
//! Every offset in realist is a Unicode code point offset into a document's
//! canonical text, end exclusive (the REFI-QDA convention, and Python's string
//! indexing). Rust strings are indexed by bytes, so this module converts
//! between the two; nothing else in the crate does that arithmetic by hand.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of code points in a canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl Span {
    /// Returns the span `[start, end)`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Returns the number of code points in the span.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Returns true when the span covers no code point.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Returns true when the two spans share at least one code point.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Returns the number of code points in `s`.
pub fn char_len(s: &str) -> usize {
    // ASCII fast path: the common case for English transcripts.
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Converts byte offsets to code point offsets in one forward pass.
///
/// Offsets must be asked for in non-decreasing order; each call costs only the
/// distance from the previous one, so walking a text once is linear.
#[derive(Debug)]
pub struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    /// Returns a cursor at the start of `text`.
    pub fn new(text: &'a str) -> CharCursor<'a> {
        CharCursor {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Returns the code point offset of byte offset `byte` (a char boundary).
    pub fn to_chars(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            // Rewind: rare, so recount from the start.
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += char_len(&self.text[self.byte..byte]);
        self.byte = byte;
        self.chars
    }
}

/// Returns the byte offset of code point offset `chars` in `text`, or `None`
/// when the text is shorter.
pub fn byte_offset(text: &str, chars: usize) -> Option<usize> {
    // Only the first `chars` bytes matter: if they are ASCII they are the
    // first `chars` code points (checking the whole text would make every
    // call cost the length of the text).
    if chars <= text.len() && text.as_bytes()[..chars].is_ascii() {
        return Some(chars);
    }
    if chars == 0 {
        return Some(0);
    }
    let mut count = 0;
    for (i, _) in text.char_indices() {
        if count == chars {
            return Some(i);
        }
        count += 1;
    }
    (count == chars).then_some(text.len())
}

/// Returns the slice of `text` covered by the code point span, or `None`
/// when the span runs past the end.
pub fn slice(text: &str, span: Span) -> Option<&str> {
    let start = byte_offset(text, span.start)?;
    let len = byte_offset(&text[start..], span.len())?;
    Some(&text[start..start + len])
}

/// Returns the 1-based line number of byte offset `byte` in `text`.
pub fn line_of(text: &[u8], byte: usize) -> usize {
    1 + text[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The lines of one text, for finding the line of many byte offsets: each
/// costs a binary search, where [`line_of`] counts from the start (a parser
/// that asks for every event's line would take the square of the file's
/// size).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of each line break.
    breaks: Vec<usize>,
}

impl LineIndex {
    /// Returns the index of `text`'s lines.
    pub fn new(text: &[u8]) -> LineIndex {
        LineIndex {
            breaks: text
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// Returns the 1-based line of byte offset `byte`, as [`line_of`] does.
    pub fn line(&self, byte: usize) -> usize {
        1 + self.breaks.partition_point(|&b| b < byte)
    }
}

/// Returns `text` with whitespace collapsed, cut to `width` characters with
/// an ellipsis.
pub fn preview(text: &str, width: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= width {
        return flat;
    }
    let cut: String = flat.chars().take(width.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Returns `n` with the noun for one or many: `1 cell`, `3 cells`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Returns the number of words in `text`: runs of non-whitespace that contain
/// at least one letter or digit (so a dash or `[…]` alone is not a word).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Abbreviations whose full stop does not end a sentence (lower case, no dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "prof", "eg", "e.g", "ie", "i.e", "etc", "vs", "approx", "no",
    "cllr", "sgt", "rev",
];

/// Returns the sentences of `text` as byte ranges, whitespace trimmed.
///
/// A sentence ends after a run of `.`, `!`, `?` or `…` (and any closing quote
/// or bracket) that is followed by whitespace or the end of the text, unless
/// the full stop follows a known abbreviation (`Mr.`, `e.g.`) or a single
/// capital initial (`J. Smith`). Line breaks do not end a sentence; the caller
/// splits paragraphs first. Text without a terminator is one sentence.
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let rest = &text[pos..];
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return out;
        }
        let start = pos + (rest.len() - trimmed.len());
        let mut from = start;
        let mut found = None;
        while let Some(k) = terminator(bytes, from) {
            let mut end = k + if bytes[k] == 0xE2 { 3 } else { 1 };
            // Further terminators, closing quotes and brackets stay with it.
            while let Some(d) = text[end..].chars().next() {
                if matches!(
                    d,
                    '.' | '!' | '?' | '…' | '"' | '\'' | '’' | '”' | ')' | ']'
                ) {
                    end += d.len_utf8();
                } else {
                    break;
                }
            }
            let at_break = text[end..].chars().next().is_none_or(char::is_whitespace);
            if at_break && (bytes[k] != b'.' || ends_sentence(&text[..k])) {
                found = Some(end);
                break;
            }
            from = end;
        }
        match found {
            Some(end) => {
                out.push(start..end);
                pos = end;
            }
            None => {
                out.push(start..text.trim_end().len().max(start));
                return out;
            }
        }
    }
}

/// Returns the byte offset of the first `.`, `!`, `?` or `…` at or after `from`.
fn terminator(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'.' | b'!' | b'?' => return Some(i),
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA6) => {
                return Some(i);
            }
            _ => i += 1,
        }
    }
    None
}

/// Returns false when the word before a full stop at the end of `before` is
/// an abbreviation or an initial, so the stop does not end a sentence.
fn ends_sentence(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return false;
    }
    !ABBREVIATIONS.contains(&crate::analysis::lowercase(word).as_str())
}

/// Formats a count with thousands separators: 12345 → "12,345".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Returns "1 hit" or "2,000 hits".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Characters that show nothing or change how the text around them is
/// shown: Unicode's Default_Ignorable_Code_Point (zero-width spaces and
/// joiners, the bidirectional controls, variation selectors, tags, the
/// Hangul fillers, the soft hyphen, …) and Bidi_Control, from the regex
/// crate's Unicode tables.
static INVISIBLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    // A fixed pattern of two Unicode properties the regex crate always has.
    regex::Regex::new(r"[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]")
        .unwrap_or_else(|_| unreachable!("a fixed, valid pattern"))
});

/// Returns the first character of `s` that is invisible or reorders the
/// text around it (a right-to-left override, a zero-width space, a Hangul
/// filler, …): names with one do not show as what they are.
pub fn invisible(s: &str) -> Option<char> {
    INVISIBLE.find(s).and_then(|m| m.as_str().chars().next())
}

/// Returns `s` with every invisible or reordering character written as
/// `<U+XXXX>`, so that a message quoting it shows what it holds.
pub fn show_invisible(s: &str) -> String {
    INVISIBLE
        .replace_all(s, |c: &regex::Captures| {
            c[0].chars()
                .map(|c| format!("<{}>", code_point(c)))
                .collect::<String>()
        })
        .into_owned()
}

/// Returns the code point of `c` as Unicode writes it: `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Returns `bytes` as text, each byte that is not part of valid UTF-8
/// written `\xNN`: a file name that is not UTF-8, shown as it is.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Returns `s` with every control character (ESC, BEL, carriage return,
/// DEL, the C1 controls, …) for which `keep` is false written visibly as
/// JSON writes it, `\u001b` for ESC: so that text from a transcript can
/// neither act on a terminal (move the cursor, retitle the window, clear
/// the screen) nor hide in a file. Borrows `s` when there is nothing to
/// escape.
pub fn escape_controls(s: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && !keep(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && !keep(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_as_json_escapes_them() {
        let keep = |c| c == '\n' || c == '\t';
        assert_eq!(
            escape_controls("a\u{1b}]0;x\u{7}b\r\n\tc\u{7f}\u{9b}é", keep),
            "a\\u001b]0;x\\u0007b\\u000d\n\tc\\u007f\\u009bé"
        );
        assert!(matches!(
            escape_controls("plain\ttext\n", keep),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn offsets_count_code_points_not_bytes() {
        // 'ë' is 2 bytes, '👍' is 4 bytes (astral plane, 2 UTF-16 units).
        let text = "Zoë said 👍 ok";
        assert_eq!(char_len(text), 13);
        assert_eq!(byte_offset(text, 3), Some(4));
        assert_eq!(byte_offset(text, 10), Some(14));
        assert_eq!(byte_offset(text, 13), Some(text.len()));
        assert_eq!(byte_offset(text, 14), None);
        assert_eq!(slice(text, Span::new(9, 10)), Some("👍"));
        assert_eq!(slice(text, Span::new(11, 13)), Some("ok"));
        assert_eq!(slice(text, Span::new(11, 15)), None);
    }

    #[test]
    fn cursor_walks_forward_and_rewinds() {
        let text = "Siobhán — “yes” 😂 end";
        let mut cursor = CharCursor::new(text);
        let b = text.find("yes").unwrap();
        assert_eq!(cursor.to_chars(b), 11);
        let e = text.find("end").unwrap();
        assert_eq!(cursor.to_chars(e), 18);
        assert_eq!(cursor.to_chars(0), 0);
        assert_eq!(cursor.to_chars(b), 11);
    }

    #[test]
    fn words_need_a_letter_or_digit() {
        assert_eq!(word_count("It's — um — £1,000 [inaudible] … ok"), 5);
    }

    #[test]
    fn sentences_end_at_terminators_followed_by_space() {
        let text = "We rang Mr. Shah. He said “yes” straight away… Then J. Smith came?  ok";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            vec![
                "We rang Mr. Shah.",
                "He said “yes” straight away…",
                "Then J. Smith came?",
                "ok"
            ]
        );
        assert_eq!(sentences("  £3.50 for e.g. bus fares  ").len(), 1);
        assert!(sentences("   ").is_empty());
    }

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of(b"a\nb\nc", 0), 1);
        assert_eq!(line_of(b"a\nb\nc", 2), 2);
        assert_eq!(line_of(b"a\nb\nc", 4), 3);
        let text = b"a\nb\n\nc\n";
        let index = LineIndex::new(text);
        for byte in 0..text.len() + 3 {
            assert_eq!(index.line(byte), line_of(text, byte), "{byte}");
        }
    }

    #[test]
    fn invisible_characters_are_found_and_shown() {
        for c in [
            '\u{202e}',
            '\u{2067}',
            '\u{200b}',
            '\u{200d}',
            '\u{3164}',
            '\u{115f}',
            '\u{feff}',
            '\u{ad}',
            '\u{fe0f}',
            '\u{e0041}',
        ] {
            assert_eq!(invisible(&format!("a{c}b")), Some(c), "{c:?}");
        }
        for ok in ["nb-fg-sw-01", "zoë", "Siân", "日本", "a b", "👍"] {
            assert_eq!(invisible(ok), None, "{ok}");
        }
        assert_eq!(show_invisible("fg-\u{202e}owt"), "fg-<U+202E>owt");
        assert_eq!(code_point('\u{3164}'), "U+3164");
        assert_eq!(escape_bytes(b"bad\xff\xfe.md"), "bad\\xFF\\xFE.md");
        assert_eq!(escape_bytes("zoë".as_bytes()), "zoë");
    }
}
