//! Recognising speaker labels at the start of a paragraph.
//!
//! A turn opens with a label such as `SW2 (social worker):`, `Interviewer:` or
//! `[P3]`. Labels are matched against the *rendered* paragraph, so Markdown
//! emphasis around a label (`**SW2:**`) has already gone. Projects can replace
//! the pattern in `realist.toml`; it must have a named group `label` and may
//! have a named group `role`.

use regex::Regex;

/// The default label pattern. In words: at the very start of a paragraph,
/// either a bracketed id (`[P3]`, optionally followed by a colon) or one to
/// four words starting with a capital letter or digit, an optional role in
/// parentheses, and a colon; then whitespace or the end of the paragraph.
pub const DEFAULT_PATTERN: &str = r"^(?:\[(?P<bracket>[\p{Lu}\p{N}][\p{L}\p{N}\p{M}_.\-]*(?: [\p{L}\p{N}\p{M}_.\-]+){0,2})\]:?|(?P<label>[\p{Lu}\p{N}][\p{L}\p{N}\p{M}_.'’\-]*(?: [\p{L}\p{N}\p{M}_.'’\-]+){0,3})(?:\s*\((?P<role>[^()\n]{1,40})\))?:)(?:\s|$)";

/// Bracketed words that are transcription notes, never speakers.
const ANNOTATIONS: &[&str] = &[
    "inaudible",
    "crosstalk",
    "laughter",
    "laughs",
    "pause",
    "silence",
    "unclear",
    "redacted",
    "overlapping",
    "interruption",
    "coughs",
    "sighs",
];

/// A compiled speaker-label pattern.
#[derive(Debug, Clone)]
pub struct SpeakerPattern {
    regex: Regex,
    source: String,
}

/// A label found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The speaker's label, e.g. `SW2`.
    pub label: String,
    /// The role written beside the label, e.g. `social worker`.
    pub role: Option<String>,
    /// Byte offset where the speech starts (after the label and whitespace).
    pub body_start: usize,
}

impl Default for SpeakerPattern {
    fn default() -> SpeakerPattern {
        SpeakerPattern::new(DEFAULT_PATTERN).expect("the default speaker pattern compiles") // ok: constant
    }
}

impl SpeakerPattern {
    /// Returns the compiled pattern, or a message saying what is wrong with it.
    pub fn new(pattern: &str) -> Result<SpeakerPattern, String> {
        let anchored = if pattern.starts_with('^') {
            pattern.to_string()
        } else {
            format!("^(?:{pattern})")
        };
        let regex = Regex::new(&anchored).map_err(|e| format!("speaker_pattern: {e}"))?;
        let names: Vec<&str> = regex.capture_names().flatten().collect();
        if !names.contains(&"label") && !names.contains(&"bracket") {
            return Err("speaker_pattern must have a named group `(?P<label>...)`".into());
        }
        Ok(SpeakerPattern {
            regex,
            source: pattern.to_string(),
        })
    }

    /// Returns the pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Returns the label that opens `paragraph`, if any.
    pub fn find(&self, paragraph: &str) -> Option<Label> {
        let caps = self.regex.captures(paragraph)?;
        let whole = caps.get(0)?;
        let label = caps
            .name("label")
            .or_else(|| caps.name("bracket"))?
            .as_str()
            .trim();
        if label.is_empty() || ANNOTATIONS.contains(&label.to_lowercase().as_str()) {
            return None;
        }
        let role = caps
            .name("role")
            .map(|r| r.as_str().trim().to_string())
            .filter(|r| !r.is_empty());
        let rest = &paragraph[whole.end()..];
        let body_start = whole.end() + (rest.len() - rest.trim_start().len());
        Some(Label {
            label: label.to_string(),
            role,
            body_start,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &str) -> Option<(String, Option<String>, String)> {
        SpeakerPattern::default()
            .find(p)
            .map(|l| (l.label, l.role, p[l.body_start..].to_string()))
    }

    #[test]
    fn recognises_the_common_label_styles() {
        assert_eq!(
            find("SW2 (social worker): It's the speed."),
            Some((
                "SW2".into(),
                Some("social worker".into()),
                "It's the speed.".into()
            ))
        );
        assert_eq!(
            find("Interviewer: So tell me"),
            Some(("Interviewer".into(), None, "So tell me".into()))
        );
        assert_eq!(
            find("[P3] I didn't"),
            Some(("P3".into(), None, "I didn't".into()))
        );
        assert_eq!(find("[YP]: yeah"), Some(("YP".into(), None, "yeah".into())));
        assert_eq!(
            find("Young person: no"),
            Some(("Young person".into(), None, "no".into()))
        );
        assert_eq!(
            find("Mrs O’Connor: aye"),
            Some(("Mrs O’Connor".into(), None, "aye".into()))
        );
        assert_eq!(
            find("Łukasz: tak"),
            Some(("Łukasz".into(), None, "tak".into()))
        );
        assert_eq!(find("Mum:"), Some(("Mum".into(), None, "".into())));
    }

    #[test]
    fn ordinary_sentences_are_not_labels() {
        assert_eq!(find("[inaudible] and then she said"), None);
        assert_eq!(find("[Crosstalk]"), None);
        assert_eq!(find("and then: nothing"), None);
        assert_eq!(find("So the thing is, really: money"), None);
        assert_eq!(find("This is a long sentence that ends: here"), None);
        assert_eq!(find("Note:the colon needs a space"), None);
    }

    #[test]
    fn a_custom_pattern_needs_a_label_group() {
        assert!(SpeakerPattern::new(r"(?P<who>\w+):").is_err());
        assert!(SpeakerPattern::new(r"(?P<label>\w+)(").is_err());
        let p = SpeakerPattern::new(r"(?P<label>[A-Z]+)>\s").unwrap();
        assert_eq!(p.find("INT> hello").unwrap().label, "INT");
        assert_eq!(p.find("say INT> hello"), None);
    }
}
