//! How a transcript is read into paragraphs and turns, besides its label
//! pattern: its layout, who says unlabelled text, and which labels count.
//!
//! Each setting has a corpus-wide default in `realist.toml` (`[corpus]
//! layout`, `unlabelled`, `labels`) that a transcript's front matter
//! overrides (`layout:`, `unlabelled:`, `labels:`).

use super::SpeakerPattern;

/// How the body of a transcript is cut into paragraphs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Paragraphs are separated by blank lines (the default).
    #[default]
    Paragraphs,
    /// Every non-empty line is its own paragraph: think-aloud sessions,
    /// transcripts made from captions, one utterance per line.
    Lines,
}

impl Layout {
    /// Returns the layout a setting names, or `None` for another word.
    pub fn named(name: &str) -> Option<Layout> {
        match name.trim().to_ascii_lowercase().as_str() {
            "paragraphs" => Some(Layout::Paragraphs),
            "lines" => Some(Layout::Lines),
            _ => None,
        }
    }
}

/// Which labels open a turn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Labels {
    /// Any label the speaker pattern finds (the default).
    #[default]
    Any,
    /// Only the labels listed under the transcript's `speakers:`; other
    /// text that looks like a label (`Polar plot:`) stays text.
    Listed,
}

impl Labels {
    /// Returns the rule a setting names, or `None` for another word.
    pub fn named(name: &str) -> Option<Labels> {
        match name.trim().to_ascii_lowercase().as_str() {
            "any" => Some(Labels::Any),
            "listed" => Some(Labels::Listed),
            _ => None,
        }
    }
}

/// Everything that decides how a transcript file is read, besides the
/// file: the label pattern and the corpus-wide defaults of the settings
/// front matter can override.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// How speaker labels are recognised.
    pub pattern: SpeakerPattern,
    /// The layout of transcripts that do not say theirs.
    pub layout: Layout,
    /// Who says text without a label in transcripts that do not say
    /// (`None`: it continues the turn before it).
    pub unlabelled: Option<String>,
    /// Which labels open a turn in transcripts that do not say.
    pub labels: Labels,
}

impl Reading {
    /// Returns the reading with `pattern` and the default settings.
    pub fn with_pattern(pattern: SpeakerPattern) -> Reading {
        Reading {
            pattern,
            ..Reading::default()
        }
    }

    /// Returns the settings as one line of text, for fingerprints: two
    /// readings that give any transcript other turns differ here.
    pub fn describe(&self) -> String {
        format!(
            "{}\nlayout={:?} unlabelled={:?} labels={:?}",
            self.pattern.as_str(),
            self.layout,
            self.unlabelled,
            self.labels
        )
    }
}

/// At least this many spoken words per turn, on average, make a
/// document's turns suspiciously few (a think-aloud or caption file
/// read as one turn, labels the pattern does not see).
pub const WORDS_PER_TURN_LIMIT: usize = 1_000;

/// Returns a warning when `words` spoken in `turns` turns are suspiciously
/// few turns for their length, saying what to look at.
pub fn few_turns(turns: usize, words: usize) -> Option<String> {
    if words < WORDS_PER_TURN_LIMIT || words < turns.max(1) * WORDS_PER_TURN_LIMIT {
        return None;
    }
    Some(format!(
        "{words} words in {turns} {}: if each line is an utterance, add `layout: lines` to its front matter; if speakers are not recognised, check their labels against `speaker_pattern`",
        if turns == 1 { "turn" } else { "turns" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_named_in_any_case() {
        assert_eq!(Layout::named("Lines"), Some(Layout::Lines));
        assert_eq!(Layout::named(" paragraphs "), Some(Layout::Paragraphs));
        assert_eq!(Layout::named("line"), None);
        assert_eq!(Labels::named("LISTED"), Some(Labels::Listed));
        assert_eq!(Labels::named("some"), None);
    }

    #[test]
    fn few_turns_needs_a_long_document_with_long_turns() {
        assert_eq!(few_turns(0, 0), None);
        assert_eq!(few_turns(1, 999), None);
        assert!(few_turns(1, 1_000).is_some());
        assert_eq!(few_turns(3, 2_999), None);
        assert!(
            few_turns(3, 3_000)
                .unwrap()
                .starts_with("3000 words in 3 turns")
        );
    }
}
