//! Codings: codes applied to spans of transcripts by named coders.
//!
//! Each coder's work is one JSON Lines file, `codings/<coder>.jsonl`, one
//! [`Coding`] per line in a stable order (document, start, code, end, id), so
//! that a diff or a merge of two coders' work stays readable. The format is
//! documented in ARCHITECTURE.md. [`store`] reads and writes the files (under
//! a lock, atomically); [`target`] turns what a coder types (`DOC:TURN`,
//! `DOC@START-END`, a quote) into a span. Re-anchoring codings after a
//! transcript was edited is [`crate::anchor`]'s work.

pub mod finished;
pub mod store;
pub mod target;

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::Span;
use crate::transcript::Transcript;

pub use store::CoderFile;
pub use target::Target;

/// Code points of context kept on each side of a coding, for re-anchoring.
pub const CONTEXT: usize = 40;

/// One code applied to one span of one document by one coder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// Stable id: 12 hex digits, unique in the project.
    pub id: String,
    /// Document id.
    pub doc: String,
    /// First code point of the span in the canonical text.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Code path (`Parent/Child`).
    pub code: String,
    /// The text of the span when it was coded (or last re-anchored).
    pub quote: String,
    /// Up to [`CONTEXT`] code points before the span.
    #[serde(default)]
    pub before: String,
    /// Up to [`CONTEXT`] code points after the span.
    #[serde(default)]
    pub after: String,
    /// The coder's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    /// When the coding was made: RFC 3339, UTC, whole seconds.
    pub created: String,
    /// The document's revision (first 16 hex digits of its file's BLAKE3
    /// hash) when the anchor was last known to be right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// Why `realist check` could not place this coding on the current text;
    /// absent when it is placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unplaced: Option<String>,
}

impl Coding {
    /// Returns a coding of `span` of `t` with `code`, its quote and context
    /// taken from the text, and an id derived from what it codes.
    pub fn new(
        coder: &str,
        t: &Transcript,
        span: Span,
        code: &str,
        memo: Option<String>,
        created: &str,
        rev: Option<&str>,
    ) -> Coding {
        let mut c = Coding {
            id: coding_id(coder, &t.id, span, code, 0),
            doc: t.id.clone(),
            start: span.start,
            end: span.end,
            code: code.to_string(),
            quote: String::new(),
            before: String::new(),
            after: String::new(),
            memo: memo.filter(|m| !m.trim().is_empty()),
            created: created.to_string(),
            rev: rev.map(str::to_string),
            unplaced: None,
        };
        c.set_span(t, span);
        c
    }

    /// Returns the coded span.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end.max(self.start))
    }

    /// Moves the coding to `span` of `t`, refreshing quote and context.
    pub fn set_span(&mut self, t: &Transcript, span: Span) {
        self.start = span.start;
        self.end = span.end;
        self.quote = t.slice(span).to_string();
        let len = t.char_len();
        self.before = t
            .slice(Span::new(span.start.saturating_sub(CONTEXT), span.start))
            .to_string();
        self.after = t
            .slice(Span::new(span.end, (span.end + CONTEXT).min(len)))
            .to_string();
    }

    /// Returns true when the coding's quote sits at its offsets in `t`.
    pub fn fits(&self, t: &Transcript) -> bool {
        self.end <= t.char_len() && t.slice(self.span()) == self.quote
    }

    /// Returns true when this coding's code is `code` or one of its children.
    pub fn has_code(&self, code: &str) -> bool {
        is_within(&self.code, code)
    }
}

/// Returns true when code path `code` is `ancestor` or one of its children.
pub fn is_within(code: &str, ancestor: &str) -> bool {
    code.strip_prefix(ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Returns a coding id: the first 12 hex digits of a hash of what it codes
/// (and `salt`, raised when an id is already taken).
pub fn coding_id(coder: &str, doc: &str, span: Span, code: &str, salt: u32) -> String {
    let key = format!(
        "{coder}\u{0}{doc}\u{0}{}\u{0}{}\u{0}{code}\u{0}{salt}",
        span.start, span.end
    );
    blake3::hash(key.as_bytes()).to_hex()[..12].to_string()
}

/// Checks that `name` can be a coder's file name on every system: letters,
/// digits, `.`, `_` and `-`, starting with a letter or digit, at most 64
/// characters, no character that is invisible or reorders the text around
/// it (a Hangul filler is a letter that shows nothing), and not a name
/// Windows reserves.
pub fn check_coder(name: &str) -> Result<()> {
    let problem = if name.is_empty() {
        Some("is empty".to_string())
    } else if let Some(c) = crate::text::invisible(name) {
        Some(format!(
            "contains {}, a character that is invisible or reorders the text around it",
            crate::text::code_point(c)
        ))
    } else if name.chars().count() > 64 {
        Some("is longer than 64 characters".to_string())
    } else if !name.chars().next().is_some_and(char::is_alphanumeric) {
        Some("must start with a letter or digit".to_string())
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        Some(format!("contains {c:?}"))
    } else if name.ends_with('.') {
        Some("ends with '.'".to_string())
    } else {
        let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
        let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
            || ((stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.len() == 4
                && stem.as_bytes()[3].is_ascii_digit());
        reserved.then(|| "is a name Windows reserves for devices".to_string())
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(Error::BadCoderName {
            name: crate::text::show_invisible(name),
            problem,
        }),
    }
}

/// Returns the UTC time `t` as RFC 3339 with whole seconds
/// (`2026-11-22T09:05:00Z`).
pub fn timestamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A coding as listed by `realist codings` (`"type":"coding"` in JSON
/// Lines): the coder, the coding's own fields, and why its anchor is stale
/// if it is.
#[derive(Debug, Clone, Serialize)]
pub struct Listed<'a> {
    /// The coder whose file holds it.
    pub coder: &'a str,
    /// The coding.
    #[serde(flatten)]
    pub coding: &'a Coding,
    /// Why the anchor is stale; absent when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<&'a str>,
}

/// Counts codings per code and coder: code path → coder → count.
pub fn frequencies(files: &[CoderFile]) -> HashMap<String, BTreeMap<String, usize>> {
    let mut out: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    for f in files {
        for c in &f.codings {
            *out.entry(c.code.clone())
                .or_default()
                .entry(f.coder.clone())
                .or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        // 2000-02-29 (a leap day in a century leap year) 12:34:56.
        let t = UNIX_EPOCH + Duration::from_secs(951_827_696);
        assert_eq!(timestamp(t), "2000-02-29T12:34:56Z");
        let t = UNIX_EPOCH + Duration::from_secs(1795338300);
        assert_eq!(timestamp(t), "2026-11-22T09:05:00Z");
    }

    #[test]
    fn coder_names_must_be_safe_file_names() {
        for ok in ["ana", "Ben.K", "coder-2", "zoë", "r_1"] {
            assert!(check_coder(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "../ana", "a/b", ".hidden", "ana ", "con", "COM1.x", "a.", "a:b",
        ] {
            let e = check_coder(bad).unwrap_err().to_string();
            assert!(e.starts_with(&format!("coder name '{bad}'")), "{e}");
        }
        for (bad, shown) in [("\u{3164}", "<U+3164>"), ("ana\u{202e}", "ana<U+202E>")] {
            let e = check_coder(bad).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("coder name '{shown}' contains U+")),
                "{e}"
            );
        }
    }

    #[test]
    fn parent_codes_include_children() {
        let mut c: Coding = serde_json::from_str(
            r#"{"id":"a","doc":"d","start":0,"end":1,"code":"Dependency/Reliance on the worker","quote":"x","created":"t"}"#,
        )
        .unwrap();
        assert!(c.has_code("Dependency"));
        assert!(c.has_code("Dependency/Reliance on the worker"));
        assert!(!c.has_code("Dep"));
        c.code = "Dependency".into();
        assert!(!c.has_code("Dependency/Reliance on the worker"));
    }

    #[test]
    fn ids_depend_on_coder_span_code_and_salt() {
        let a = coding_id("ana", "d", Span::new(1, 5), "Speed", 0);
        assert_eq!(a.len(), 12);
        assert_ne!(a, coding_id("ben", "d", Span::new(1, 5), "Speed", 0));
        assert_ne!(a, coding_id("ana", "d", Span::new(1, 5), "Speed", 1));
        assert_eq!(a, coding_id("ana", "d", Span::new(1, 5), "Speed", 0));
    }
}
