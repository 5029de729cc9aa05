//! `realist.toml`: the project's settings.

use std::path::{Path, PathBuf};

use super::{Config, RawConfig};
use crate::error::{Error, Result};
use crate::transcript::SpeakerPattern;

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
        Ok(Config {
            name: raw.project.name,
            corpus: raw.corpus.folder.unwrap_or_else(|| PathBuf::from("corpus")),
            speaker_pattern,
            cases: raw.cases.file,
            researchers: match raw.corpus.researcher_roles {
                Some(roles) => roles.iter().map(|r| r.trim().to_lowercase()).collect(),
                None => super::RESEARCHER_ROLES.map(str::to_string).to_vec(),
            },
            allow_outside: raw.project.allow_outside.unwrap_or(false),
        })
    }
}
