//! Transcripts: reading a file into canonical text, paragraphs and turns.
//!
//! # Canonical text
//! Every document has exactly one canonical plain text, and every offset in
//! realist is a code point offset into it (see [`crate::text`]). It is made
//! from the file like this:
//! 1. a UTF-8 byte order mark is dropped; CRLF and lone CR become LF;
//! 2. YAML front matter (a leading `---` block) is removed;
//! 3. `.md` files are rendered with CommonMark: emphasis, links, code markers
//!    and HTML are rendered away, escapes and entities decoded (`**SW2:**`
//!    becomes `SW2:`); `.txt` files are taken as they are;
//! 4. the body is cut into paragraphs at blank lines (with `layout: lines`,
//!    at every line break: see [`Layout`]); each line loses its
//!    trailing whitespace and each paragraph its leading whitespace;
//!    line breaks inside a paragraph stay as one `\n`;
//! 5. paragraphs are joined by exactly one blank line (`\n\n`), with nothing
//!    before the first or after the last.
//!
//! # Turns
//! A paragraph that opens with a speaker label (see [`SpeakerPattern`];
//! with `labels: listed`, only a label listed under `speakers:`) starts a
//! new turn; a paragraph without one continues the previous turn.
//! Paragraphs before the first label form a turn without a speaker. With
//! `unlabelled: NAME`, every paragraph without a label is instead a turn of
//! its own, said by NAME. Turns are numbered from 1 in document order.

mod front_matter;
mod layout;
mod markdown;
mod said;
mod speaker;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use front_matter::{
    MAX_ALIASED as FRONT_MATTER_MAX_ALIASED, MAX_BYTES as FRONT_MATTER_MAX_BYTES,
    MAX_DEPTH as FRONT_MATTER_MAX_DEPTH,
};
pub use layout::{Labels, Layout, Reading, WORDS_PER_TURN_LIMIT, few_turns};
pub use said::{Part, Said};
pub use speaker::{DEFAULT_PATTERN, Label, SpeakerPattern};

use crate::error::{Error, Kind, Problem, Result};
use crate::text::{Span, char_len, line_of, word_count};

/// The value of a document attribute from the front matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// A single value, e.g. `site: Northbrook`.
    Text(String),
    /// A list, e.g. `roles: [social worker, parent]`.
    List(Vec<String>),
}

impl AttrValue {
    /// Returns the value's items: one for text, each item for a list.
    pub fn values(&self) -> &[String] {
        match self {
            AttrValue::Text(s) => std::slice::from_ref(s),
            AttrValue::List(list) => list,
        }
    }

    /// Returns true when any item equals `value`, ignoring case.
    pub fn matches(&self, value: &str) -> bool {
        let value = value.to_lowercase();
        self.values().iter().any(|v| v.to_lowercase() == value)
    }
}

impl std::fmt::Display for AttrValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.values().join(", "))
    }
}

/// The two file formats of a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `.md`: rendered as CommonMark.
    Markdown,
    /// `.txt`: taken as it is.
    Plain,
}

impl Format {
    /// Returns the format for a file name, or `None` when it is not a transcript.
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Plain),
            _ => None,
        }
    }
}

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// 1-based number in document order.
    pub number: usize,
    /// The speaker's label (`SW2`), or `None` before the first label.
    pub speaker: Option<String>,
    /// The speaker's role, from the label's brackets or the `speakers:` map.
    pub role: Option<String>,
    /// The whole turn, label included.
    pub span: Span,
    /// What was said: the turn after its label.
    pub body: Span,
    /// Indices into [`Transcript::paragraphs`] of the turn's paragraphs.
    pub paragraphs: std::ops::Range<usize>,
    /// File line on which the turn starts.
    pub line: usize,
}

impl Turn {
    /// Returns the speaker for display: `SW2 (social worker)`, `Interviewer`, or `-`.
    pub fn speaker_display(&self) -> String {
        match (&self.speaker, &self.role) {
            (Some(s), Some(r)) if !s.eq_ignore_ascii_case(r) => format!("{s} ({r})"),
            (Some(s), _) => s.clone(),
            (None, _) => "-".into(),
        }
    }
}

/// A paragraph of the body before assembly, with its file line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) text: String,
    pub(crate) line: usize,
}

/// A parsed transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The document id: front matter `id`, else the file stem.
    pub id: String,
    /// The file, as given to [`Transcript::parse`].
    pub path: PathBuf,
    /// The file format.
    pub format: Format,
    /// Front matter attributes in the order written (without `id`,
    /// `speakers`, `layout`, `unlabelled` and `labels`).
    pub attributes: IndexMap<String, AttrValue>,
    /// The canonical text.
    pub text: String,
    /// Code point spans of the paragraphs of the canonical text.
    pub paragraphs: Vec<Span>,
    /// Speaker turns in order.
    pub turns: Vec<Turn>,
    /// Byte offset in `text` of each paragraph's start, so that slicing by
    /// code points costs the length of one paragraph, not of the document.
    paragraph_bytes: Vec<usize>,
}

impl Transcript {
    /// Returns the transcript read from `bytes`, the content of the file `path`,
    /// together with warnings (such as an empty transcript).
    pub fn parse(
        path: &Path,
        bytes: &[u8],
        reading: &Reading,
    ) -> Result<(Transcript, Vec<Problem>)> {
        let format = Format::of(path).unwrap_or(Format::Plain);
        let text = decode(path, bytes)?;
        let (front, body, body_line) = front_matter::split(path, &text)?;
        let id = match front.id {
            Some(id) => id,
            None => path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string(),
        };
        check_id(path, &id, &text)?;

        let mut warnings = Vec::new();
        let mut blocks = match format {
            Format::Markdown => markdown::blocks(path, body, body_line, &mut warnings),
            Format::Plain => {
                let mut out = Vec::new();
                let trimmed: String = body.lines().map(|l| format!("{}\n", l.trim())).collect();
                markdown::push_paragraphs(&trimmed, body_line, &mut out);
                out
            }
        };
        if front.layout.unwrap_or(reading.layout) == Layout::Lines {
            blocks = blocks.into_iter().flat_map(lines_of).collect();
        }
        if blocks.is_empty() {
            warnings.push(Problem::warning(
                Kind::Transcript,
                path,
                None,
                "transcript is empty (no text after the front matter)".into(),
            ));
        }

        let mut t = Transcript {
            id,
            path: path.to_path_buf(),
            format,
            attributes: front.attributes,
            text: String::new(),
            paragraphs: Vec::with_capacity(blocks.len()),
            turns: Vec::new(),
            paragraph_bytes: Vec::with_capacity(blocks.len()),
        };
        let listed = match front.labels.unwrap_or(reading.labels) {
            Labels::Any => None,
            Labels::Listed => Some(front.speakers.clone()),
        };
        let unlabelled = front.unlabelled.or_else(|| reading.unlabelled.clone());
        let mut roles = front.speakers;
        let mut offset = 0;
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                t.text.push_str("\n\n");
                offset += 2;
            }
            let len = char_len(&block.text);
            let span = Span::new(offset, offset + len);
            t.paragraph_bytes.push(t.text.len());
            t.text.push_str(&block.text);
            t.paragraphs.push(span);
            let label = reading.pattern.find(&block.text).filter(|l| {
                listed.as_ref().is_none_or(|listed| {
                    listed
                        .keys()
                        .any(|k| k.trim().eq_ignore_ascii_case(&l.label))
                })
            });
            match label {
                Some(label) => {
                    if let Some(role) = &label.role {
                        roles.insert(label.label.clone(), role.clone());
                    }
                    let body_start = offset + char_len(&block.text[..label.body_start]);
                    t.turns.push(Turn {
                        number: t.turns.len() + 1,
                        role: roles.get(&label.label).cloned(),
                        speaker: Some(label.label),
                        span,
                        body: Span::new(body_start, span.end),
                        paragraphs: i..i + 1,
                        line: block.line,
                    });
                }
                None if unlabelled.is_some() => t.turns.push(Turn {
                    number: t.turns.len() + 1,
                    role: unlabelled.as_ref().and_then(|u| roles.get(u).cloned()),
                    speaker: unlabelled.clone(),
                    span,
                    body: span,
                    paragraphs: i..i + 1,
                    line: block.line,
                }),
                None => match t.turns.last_mut() {
                    Some(turn) => {
                        turn.span.end = span.end;
                        turn.body.end = span.end;
                        turn.paragraphs.end = i + 1;
                    }
                    None => t.turns.push(Turn {
                        number: 1,
                        speaker: None,
                        role: None,
                        span,
                        body: span,
                        paragraphs: i..i + 1,
                        line: block.line,
                    }),
                },
            }
            offset += len;
        }
        Ok((t, warnings))
    }

    /// Returns the text of a code point span of the canonical text.
    ///
    /// Returns "" when the span runs past the end of the text.
    pub fn slice(&self, span: Span) -> &str {
        match (self.byte_at(span.start), self.byte_at(span.end)) {
            (Some(a), Some(b)) if a <= b => &self.text[a..b],
            _ => "",
        }
    }

    /// Returns the byte offset of code point offset `cp`, or `None` past the end.
    pub fn byte_at(&self, cp: usize) -> Option<usize> {
        // The last paragraph starting at or before `cp`; walk from there.
        let i = self.paragraphs.partition_point(|p| p.start <= cp);
        let (from_cp, from_byte) = match i.checked_sub(1) {
            Some(i) => (self.paragraphs[i].start, self.paragraph_bytes[i]),
            None => (0, 0),
        };
        crate::text::byte_offset(&self.text[from_byte..], cp - from_cp).map(|b| from_byte + b)
    }

    /// Returns the number of words spoken: words in turn bodies, labels excluded.
    pub fn words(&self) -> usize {
        self.turns
            .iter()
            .map(|t| word_count(self.slice(t.body)))
            .sum()
    }

    /// Returns the length of the canonical text in code points.
    pub fn char_len(&self) -> usize {
        self.paragraphs.last().map_or(0, |p| p.end)
    }

    /// Returns the sentences of every turn's body, in order.
    ///
    /// Sentences lie within paragraphs (a paragraph break always ends one)
    /// and never include a speaker label; see [`crate::text::sentences`].
    pub fn sentences(&self) -> Vec<Span> {
        let mut out = Vec::new();
        for turn in &self.turns {
            for p in &self.paragraphs[turn.paragraphs.clone()] {
                let region = Span::new(p.start.max(turn.body.start), p.end);
                let text = self.slice(region);
                let mut cursor = crate::text::CharCursor::new(text);
                for r in crate::text::sentences(text) {
                    let start = region.start + cursor.to_chars(r.start);
                    let end = region.start + cursor.to_chars(r.end);
                    out.push(Span::new(start, end));
                }
            }
        }
        out
    }

    /// Returns the turn containing code point `cp`, if any (offsets between
    /// turns belong to none).
    pub fn turn_at(&self, cp: usize) -> Option<&Turn> {
        let i = self.turns.partition_point(|t| t.span.start <= cp);
        let turn = self.turns.get(i.checked_sub(1)?)?;
        (cp < turn.span.end).then_some(turn)
    }

    /// Returns the turn with number `n` (1-based).
    pub fn turn(&self, n: usize) -> Option<&Turn> {
        n.checked_sub(1).and_then(|i| self.turns.get(i))
    }
}

/// Returns each line of a block as a block of its own (`layout: lines`).
fn lines_of(block: Block) -> Vec<Block> {
    if !block.text.contains('\n') {
        return vec![block];
    }
    block
        .text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Block {
            text: l.trim().to_string(),
            line: block.line + i,
        })
        .collect()
}

/// Decodes file bytes to text: UTF-8 checked, BOM dropped, line ends normalised.
fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    let (bom, bytes) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (3, rest),
        None => (0, bytes),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        path: path.to_path_buf(),
        line: line_of(bytes, e.valid_up_to()),
        offset: bom + e.valid_up_to(),
    })?;
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text.to_string())
    }
}

/// Checks that a document id can be written in targets such as `DOC:TURN`,
/// and shows as what it is: no character that is invisible or reorders
/// the text around it (a right-to-left override, a zero-width space, …).
fn check_id(path: &Path, id: &str, text: &str) -> Result<()> {
    let invisible = crate::text::invisible(id);
    let bad = id.is_empty()
        || id.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, ':' | '@' | ',' | '/' | '\\')
        });
    if !bad && invisible.is_none() {
        return Ok(());
    }
    let line = text
        .lines()
        .position(|l| l.starts_with("id:"))
        .map_or(1, |i| i + 1);
    let shown = crate::text::show_invisible(id);
    let message = match invisible {
        Some(c) => format!(
            "document id '{shown}' contains {}, a character that is invisible or reorders the text around it, so the id would not show as what it is: remove it (set `id:` in the front matter or rename the file)",
            crate::text::code_point(c)
        ),
        None => format!(
            "document id '{shown}' must be non-empty, without spaces or any of : @ , / \\ (set `id:` in the front matter or rename the file)"
        ),
    };
    // A file name that gave the id its invisible characters shows them too.
    let path = match path.to_str() {
        Some(p) if invisible.is_some() => PathBuf::from(crate::text::show_invisible(p)),
        _ => path.to_path_buf(),
    };
    Err(Error::Transcript {
        path,
        line,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Transcript {
        Transcript::parse(Path::new(name), text.as_bytes(), &Reading::default())
            .unwrap()
            .0
    }

    const FG: &str = "\u{feff}---\r\nid: fg-1\r\nsite: Northbrook\r\nspeakers:\r\n  Facilitator: researcher\r\n---\r\n\r\n**Facilitator:** Welcome.\r\n\r\n**SW2 (social worker):** It’s the *speed*.\r\n\r\nAnd Zoë’s mum — 👍 — was pleased.\r\n\r\n[crosstalk]\r\n\r\n**SW2:** Quickly.\r\n";

    #[test]
    fn sentences_skip_labels_and_stay_in_paragraphs() {
        let t = parse("x.md", FG);
        let got: Vec<&str> = t.sentences().into_iter().map(|s| t.slice(s)).collect();
        assert_eq!(
            got,
            vec![
                "Welcome.",
                "It’s the speed.",
                "And Zoë’s mum — 👍 — was pleased.",
                "[crosstalk]",
                "Quickly."
            ]
        );
        let turn = t.turn_at(t.text.find("mum").unwrap()).unwrap();
        assert_eq!(turn.number, 2);
        assert_eq!(t.char_len(), crate::text::char_len(&t.text));
    }

    #[test]
    fn canonical_text_is_rendered_normalised_and_joined() {
        let t = parse("x.md", FG);
        assert_eq!(t.id, "fg-1");
        assert_eq!(
            t.text,
            "Facilitator: Welcome.\n\nSW2 (social worker): It’s the speed.\n\nAnd Zoë’s mum — 👍 — was pleased.\n\n[crosstalk]\n\nSW2: Quickly."
        );
        assert_eq!(t.paragraphs.len(), 5);
        for p in &t.paragraphs {
            assert!(!t.slice(*p).contains("\n\n"));
        }
    }

    #[test]
    fn turns_take_continuations_and_remember_roles() {
        let t = parse("x.md", FG);
        let turns: Vec<(usize, Option<&str>, Option<&str>, &str)> = t
            .turns
            .iter()
            .map(|u| {
                (
                    u.number,
                    u.speaker.as_deref(),
                    u.role.as_deref(),
                    t.slice(u.body),
                )
            })
            .collect();
        assert_eq!(
            turns,
            vec![
                (1, Some("Facilitator"), Some("researcher"), "Welcome."),
                (
                    2,
                    Some("SW2"),
                    Some("social worker"),
                    "It’s the speed.\n\nAnd Zoë’s mum — 👍 — was pleased.\n\n[crosstalk]"
                ),
                (3, Some("SW2"), Some("social worker"), "Quickly."),
            ]
        );
        assert_eq!(t.turns[1].paragraphs, 1..4);
        assert_eq!(t.turns[1].line, 10);
        assert_eq!(t.words(), 11);
    }

    #[test]
    fn offsets_are_code_points_with_astral_characters() {
        let t = parse("x.md", FG);
        let chars: Vec<char> = t.text.chars().collect();
        let thumbs = chars.iter().position(|&c| c == '👍').unwrap();
        let turn3 = &t.turns[2];
        assert_eq!(
            chars[turn3.body.start..turn3.body.end]
                .iter()
                .collect::<String>(),
            "Quickly."
        );
        assert!(turn3.body.start > thumbs);
        // Python would agree: len(text) counts the emoji once.
        assert_eq!(t.turns.last().unwrap().span.end, chars.len());
        assert_eq!(t.slice(Span::new(thumbs, thumbs + 1)), "👍");
    }

    #[test]
    fn fast_slicing_agrees_with_walking_from_the_start() {
        let t = parse("x.md", FG);
        let n = crate::text::char_len(&t.text);
        for start in (0..=n).step_by(3) {
            for end in (start..=n + 1).step_by(7) {
                let span = Span::new(start, end);
                assert_eq!(
                    t.slice(span),
                    crate::text::slice(&t.text, span).unwrap_or(""),
                    "{span:?}"
                );
            }
        }
    }

    #[test]
    fn plain_text_keeps_markup_and_uses_file_stem() {
        let t = parse(
            "dir/int-07.txt",
            "Interviewer:  **hi**  \n  \nP1: yes\n  and no\n\n\n",
        );
        assert_eq!(t.id, "int-07");
        assert_eq!(t.text, "Interviewer:  **hi**\n\nP1: yes\nand no");
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.slice(t.turns[0].body), "**hi**");
    }

    #[test]
    fn text_before_any_label_is_an_unlabelled_turn() {
        let t = parse("a.md", "Recorded in the office.\n\nInterviewer: Right.\n");
        assert_eq!(t.turns[0].speaker, None);
        assert_eq!(t.turns[0].speaker_display(), "-");
        assert_eq!(t.turns[1].number, 2);
    }

    fn speakers(t: &Transcript) -> Vec<(Option<&str>, Option<&str>, &str)> {
        t.turns
            .iter()
            .map(|x| (x.speaker.as_deref(), x.role.as_deref(), t.slice(x.body)))
            .collect()
    }

    const THINK_ALOUD: &str = "---\nid: ta-1\nlayout: lines\nunlabelled: P4\nlabels: listed\nspeakers:\n  Moderator: researcher\n  P4: participant\n---\nModerator: Tell me what you see.\nPolar plot: that is the title.\nI would click here first\n\nModerator: Why?\nBox plot: no.\n";

    #[test]
    fn a_think_aloud_is_read_line_by_line_with_listed_labels_only() {
        let t = parse("ta.md", THINK_ALOUD);
        assert!(t.attributes.is_empty(), "{:?}", t.attributes);
        assert_eq!(
            speakers(&t),
            vec![
                (
                    Some("Moderator"),
                    Some("researcher"),
                    "Tell me what you see."
                ),
                (
                    Some("P4"),
                    Some("participant"),
                    "Polar plot: that is the title."
                ),
                (Some("P4"), Some("participant"), "I would click here first"),
                (Some("Moderator"), Some("researcher"), "Why?"),
                (Some("P4"), Some("participant"), "Box plot: no."),
            ]
        );
        assert_eq!(
            t.turns.iter().map(|x| x.line).collect::<Vec<_>>(),
            vec![10, 11, 12, 14, 15]
        );
        assert_eq!(t.paragraphs.len(), 5);
    }

    #[test]
    fn without_the_settings_the_same_file_is_one_paragraph_per_blank_line() {
        let text = THINK_ALOUD
            .replace("layout: lines\n", "")
            .replace("unlabelled: P4\n", "")
            .replace("labels: listed\n", "");
        let t = parse("ta.md", &text);
        assert_eq!(t.paragraphs.len(), 2);
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker.as_deref(), Some("Moderator"));
    }

    #[test]
    fn corpus_wide_settings_apply_where_front_matter_is_silent() {
        let reading = Reading {
            layout: Layout::Lines,
            unlabelled: Some("Participant".into()),
            ..Reading::default()
        };
        let body = "Interviewer: One.\nTwo\nThree\n";
        let (t, _) = Transcript::parse(Path::new("x.txt"), body.as_bytes(), &reading).unwrap();
        assert_eq!(
            speakers(&t),
            vec![
                (Some("Interviewer"), None, "One."),
                (Some("Participant"), None, "Two"),
                (Some("Participant"), None, "Three"),
            ]
        );
        // Front matter wins.
        let own = format!("---\nlayout: paragraphs\n---\n{body}");
        let (t, _) = Transcript::parse(Path::new("x.txt"), own.as_bytes(), &reading).unwrap();
        assert_eq!(t.turns.len(), 1);
        assert_eq!(t.slice(t.turns[0].body), "One.\nTwo\nThree");
    }

    #[test]
    fn a_bad_setting_names_its_line_and_the_words_it_takes() {
        for (front, line, words) in [
            ("layout: rows", 2, "`layout` is `paragraphs`"),
            ("id: a\nlabels: some", 3, "`labels` is `any`"),
            ("unlabelled: [a, b]", 2, "`unlabelled` names the speaker"),
        ] {
            let text = format!("---\n{front}\n---\nx\n");
            let err = Transcript::parse(Path::new("a.md"), text.as_bytes(), &Reading::default())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(&format!("a.md:{line}: {words}")), "{err}");
        }
    }

    #[test]
    fn empty_transcript_is_a_warning() {
        let (t, w) = Transcript::parse(
            Path::new("e.md"),
            b"---\nsite: x\n---\n\n",
            &Reading::default(),
        )
        .unwrap();
        assert!(t.text.is_empty() && t.turns.is_empty());
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let err = Transcript::parse(
            Path::new("b.txt"),
            b"ok\nbad \xff here",
            &Reading::default(),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "b.txt:2: invalid UTF-8 at byte offset 7");
    }

    #[test]
    fn ids_must_show_as_what_they_are() {
        for (id, code) in [("\u{202e}", "U+202E"), ("a\u{200b}b", "U+200B")] {
            let text = format!("---\nid: \"{id}\"\n---\nx\n");
            let err = Transcript::parse(Path::new("a.md"), text.as_bytes(), &Reading::default())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("a.md:2: document id '"), "{err}");
            assert!(
                err.contains(&format!("'<{code}>'")) || err.contains(&format!("<{code}>b'")),
                "{err}"
            );
            assert!(!err.contains(id), "{err}");
        }
    }

    #[test]
    fn ids_must_be_usable_in_targets() {
        let err =
            Transcript::parse(Path::new("my file.md"), b"x", &Reading::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("my file.md:1: document id 'my file' must be")
        );
    }
}
