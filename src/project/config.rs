//! `realist.toml`: the project's settings.

use std::path::{Path, PathBuf};

use super::{Config, RawConfig};
use crate::error::{Error, Result};
use crate::transcript::{Labels, Layout, Reading, SpeakerPattern};

impl Config {
    /// Parses the text of `realist.toml` at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map_or(0, |s| crate::text::line_of(text.as_bytes(), s.start));
            Error::Config {
                path: path.to_path_buf(),
                line,
                message: e.message().trim().to_string(),
            }
        })?;
        let speaker_pattern = match &raw.corpus.speaker_pattern {
            None => SpeakerPattern::default(),
            Some(p) => SpeakerPattern::new(p).map_err(|message| Error::Config {
                path: path.to_path_buf(),
                line: text
                    .lines()
                    .position(|l| l.trim_start().starts_with("speaker_pattern"))
                    .map_or(0, |i| i + 1),
                message,
            })?,
        };
        let setting = |key: &str, message: &str| Error::Config {
            path: path.to_path_buf(),
            line: text
                .lines()
                .position(|l| l.trim_start().starts_with(key))
                .map_or(0, |i| i + 1),
            message: message.to_string(),
        };
        let layout = match &raw.corpus.layout {
            None => Layout::default(),
            Some(name) => Layout::named(name).ok_or_else(|| {
                setting(
                    "layout",
                    "`layout` is \"paragraphs\" (blank lines between paragraphs, the default) or \"lines\" (every line its own paragraph)",
                )
            })?,
        };
        let labels = match &raw.corpus.labels {
            None => Labels::default(),
            Some(name) => Labels::named(name).ok_or_else(|| {
                setting(
                    "labels",
                    "`labels` is \"any\" (every label the pattern finds, the default) or \"listed\" (only the labels under each transcript's `speakers:`)",
                )
            })?,
        };
        let unlabelled = match raw.corpus.unlabelled {
            Some(name) if name.trim().is_empty() || name.contains('\n') => {
                return Err(setting(
                    "unlabelled",
                    "`unlabelled` names the speaker of text without a label, e.g. unlabelled = \"Participant\"",
                ));
            }
            other => other.map(|n| n.trim().to_string()),
        };
        Ok(Config {
            name: raw.project.name,
            corpus: raw.corpus.folder.unwrap_or_else(|| PathBuf::from("corpus")),
            reading: Reading {
                pattern: speaker_pattern,
                layout,
                unlabelled,
                labels,
            },
            cases: raw.cases.file,
            researchers: match raw.corpus.researcher_roles {
                Some(roles) => roles.iter().map(|r| r.trim().to_lowercase()).collect(),
                None => super::RESEARCHER_ROLES.map(str::to_string).to_vec(),
            },
            allow_outside: raw.project.allow_outside.unwrap_or(false),
        })
    }
}
