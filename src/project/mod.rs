//! Projects: a folder with `realist.toml`, its corpus and derived state.
//!
//! A project is found by walking up from a starting folder to the first one
//! that holds `realist.toml` (as git and cargo do), or opened at an explicit
//! folder. The library never reads environment variables: the CLI turns
//! `--project` and `REALIST_PROJECT` into a path before calling in here.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::transcript::Reading;

mod config;
mod init;

pub use init::{EXAMPLE_MARK, InitReport, init};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "realist.toml";
/// The folder of derived, rebuildable state (the index), git-ignored.
pub const STATE_DIR: &str = ".realist";
/// The folder of codebooks (`*.md`).
pub const CODEBOOKS_DIR: &str = "codebooks";
/// The folder of coder files (`<coder>.jsonl`).
pub const CODINGS_DIR: &str = "codings";
/// The folder of consensus audit trails (`<name>.jsonl`).
pub const CONSENSUS_DIR: &str = "consensus";
/// The logic model.
pub const LOGIC_MODEL_FILE: &str = "logic-model.md";
/// The evidence links' append-only trail.
pub const LINKS_FILE: &str = "links.jsonl";
/// The pseudonym key: real names and their pseudonyms.
pub const KEY_FILE: &str = "pseudonyms.csv";
/// Words that look like names but are not (for `privacy check`).
pub const ALLOW_FILE: &str = "privacy-allow.txt";
/// The case data file's default name, in the corpus folder.
pub const CASES_FILE: &str = "cases.csv";

/// A loaded project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding `realist.toml`.
    pub root: PathBuf,
    /// The settings read from `realist.toml`.
    pub config: Config,
}

/// Settings from `realist.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// A human name for the project.
    pub name: Option<String>,
    /// The transcript folder, relative to the project root.
    pub corpus: PathBuf,
    /// How transcripts are read: the speaker label pattern, and the
    /// corpus-wide layout, speaker of unlabelled text and labels rule.
    pub reading: Reading,
    /// The case data file, relative to the project root, when
    /// `[cases] file` names one (default: `cases.csv` in the corpus folder).
    pub cases: Option<PathBuf>,
    /// Roles (and labels) of the researchers who speak in transcripts,
    /// lower-cased: quotes are attributed to the other speakers.
    pub researchers: Vec<String>,
    /// `[project] allow_outside`: true when the corpus folder, the links in
    /// it and the case file may lead out of the project folder.
    pub allow_outside: bool,
}

/// The roles that are researchers' unless `researcher_roles` says otherwise.
pub const RESEARCHER_ROLES: [&str; 4] = ["interviewer", "facilitator", "moderator", "researcher"];

impl Config {
    /// Returns true when a speaker with this label and role is one of the
    /// researchers: the role, or without one the label, is in
    /// `researcher_roles` (ignoring case).
    pub fn is_researcher(&self, speaker: Option<&str>, role: Option<&str>) -> bool {
        let named = |s: &str| {
            self.researchers
                .iter()
                .any(|r| r.eq_ignore_ascii_case(s.trim()))
        };
        match role {
            Some(r) => named(r),
            None => speaker.is_some_and(named),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    #[serde(default)]
    pub(crate) project: RawProject,
    #[serde(default)]
    pub(crate) corpus: RawCorpus,
    #[serde(default)]
    pub(crate) cases: RawCases,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCases {
    pub(crate) file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProject {
    pub(crate) name: Option<String>,
    pub(crate) allow_outside: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCorpus {
    pub(crate) folder: Option<PathBuf>,
    pub(crate) speaker_pattern: Option<String>,
    pub(crate) layout: Option<String>,
    pub(crate) unlabelled: Option<String>,
    pub(crate) labels: Option<String>,
    pub(crate) researcher_roles: Option<Vec<String>>,
}

impl Project {
    /// Returns the project whose root is `start` or the nearest folder above it.
    pub fn discover(start: &Path) -> Result<Project> {
        let start = std::path::absolute(start).map_err(|e| Error::io(start, e))?;
        let mut dir: Option<&Path> = Some(&start);
        while let Some(d) = dir {
            if d.join(CONFIG_FILE).is_file() {
                return Project::open(d);
            }
            dir = d.parent();
        }
        Err(Error::ProjectNotFound { start })
    }

    /// Returns the project rooted at `root`, which must hold `realist.toml`.
    pub fn open(root: &Path) -> Result<Project> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::NotAProject {
                root: root.to_path_buf(),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let config = Config::parse(&path, &text)?;
        Ok(Project {
            root: root.to_path_buf(),
            config,
        })
    }

    /// Returns the transcript folder.
    pub fn corpus_dir(&self) -> PathBuf {
        self.root.join(&self.config.corpus)
    }

    /// Returns the codebook folder (`codebooks/`).
    pub fn codebooks_dir(&self) -> PathBuf {
        self.root.join(CODEBOOKS_DIR)
    }

    /// Returns the folder of coder files (`codings/`).
    pub fn codings_dir(&self) -> PathBuf {
        self.root.join(CODINGS_DIR)
    }

    /// Returns the case data file, relative to the project root:
    /// `[cases] file` from `realist.toml`, else `cases.csv` in the corpus.
    pub fn cases_file(&self) -> PathBuf {
        match &self.config.cases {
            Some(file) => file.clone(),
            None => self.config.corpus.join(CASES_FILE),
        }
    }

    /// Returns the logic model file (`logic-model.md`).
    pub fn logic_model_file(&self) -> PathBuf {
        self.root.join(LOGIC_MODEL_FILE)
    }

    /// Returns the evidence links file (`links.jsonl`), the append-only
    /// audit trail of links between codings and configurations.
    pub fn links_file(&self) -> PathBuf {
        self.root.join(LINKS_FILE)
    }

    /// Returns the folder of consensus audit trails (`consensus/`).
    pub fn consensus_dir(&self) -> PathBuf {
        self.root.join(CONSENSUS_DIR)
    }

    /// Returns the pseudonym key (`pseudonyms.csv`), whether or not it exists.
    pub fn key_file(&self) -> PathBuf {
        self.root.join(KEY_FILE)
    }

    /// Returns the privacy allow list (`privacy-allow.txt`), whether or not it exists.
    pub fn allow_file(&self) -> PathBuf {
        self.root.join(ALLOW_FILE)
    }

    /// Returns the folder of derived state (`.realist/`).
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR)
    }

    /// Returns what `path` holds when writing an export there would replace
    /// the project's own data: the configuration, the pseudonym key, the
    /// allow list, the logic model, the evidence links, the case file, or a
    /// file in the corpus, codebook, coder, consensus or state folders.
    /// `None` for any other path (or one whose folder cannot be resolved,
    /// which writing will then report).
    pub fn guarded(&self, path: &Path) -> Option<&'static str> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let full = dir.canonicalize().ok()?.join(path.file_name()?);
        let root = self.root.canonicalize().ok()?;
        let files = [
            (root.join(CONFIG_FILE), "the project's settings"),
            (root.join(KEY_FILE), "the pseudonym key"),
            (root.join(ALLOW_FILE), "the privacy allow list"),
            (root.join(LOGIC_MODEL_FILE), "the logic model"),
            (root.join(LINKS_FILE), "the evidence links"),
            (root.join(self.cases_file()), "the case data"),
        ];
        if let Some((_, what)) = files.iter().find(|(f, _)| *f == full) {
            return Some(what);
        }
        let folders = [
            (self.corpus_dir(), "the corpus folder"),
            (self.codebooks_dir(), "the codebook folder"),
            (self.codings_dir(), "the coder files' folder"),
            (self.consensus_dir(), "the consensus trails' folder"),
            (self.state_dir(), "realist's state folder"),
        ];
        folders
            .iter()
            .filter_map(|(d, what)| Some((d.canonicalize().ok()?, what)))
            .find(|(d, _)| full.starts_with(d))
            .map(|(_, what)| *what)
    }

    /// Returns true when `path` (relative to the project root, or absolute;
    /// it must exist) leads out of the project folder once links are
    /// resolved, and the project allows that (`[project] allow_outside`);
    /// false when it stays inside. Otherwise an error naming it as `what`
    /// (`the corpus folder`, `the case file`) and where it leads.
    pub fn outside(&self, what: &'static str, path: &Path) -> Result<bool> {
        let full = self.root.join(path);
        let target = full.canonicalize().map_err(|e| Error::io(&full, e))?;
        let root = self.real_root()?;
        if target.starts_with(&root) {
            Ok(false)
        } else if self.config.allow_outside {
            Ok(true)
        } else {
            Err(Error::OutsideProject {
                what,
                path: path.to_path_buf(),
                target,
                root,
            })
        }
    }

    /// Returns the project folder with every link resolved, which is what
    /// "inside the project" is measured against.
    pub fn real_root(&self) -> Result<PathBuf> {
        self.root
            .canonicalize()
            .map_err(|e| Error::io(&self.root, e))
    }

    /// Returns `path` relative to the project root when it is inside it.
    pub fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_discover_from_a_subfolder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        let report = init(&root).unwrap();
        assert!(report.created.contains(&PathBuf::from("realist.toml")));
        let p = Project::discover(&root.join("corpus")).unwrap();
        assert_eq!(p.root, std::path::absolute(&root).unwrap());
        assert_eq!(p.config.corpus, PathBuf::from("corpus"));
        assert!(init(&root).is_err(), "init must refuse an existing project");
        let model = crate::logic_model::LogicModel::load(&p).unwrap();
        assert_eq!(model.configurations.len(), 1);
        assert_eq!(model.pathways.len(), 2);
    }

    #[test]
    fn config_errors_name_the_line() {
        let err = Config::parse(
            Path::new("realist.toml"),
            "[corpus]\nfolder = \"c\"\ncolour = 1\n",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("realist.toml:3: unknown field `colour`"),
            "{err}"
        );
        let err = Config::parse(
            Path::new("realist.toml"),
            "[corpus]\nspeaker_pattern = '(?P<who>x)'\n",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("realist.toml:2: speaker_pattern must have"),
            "{err}"
        );
    }

    #[test]
    fn no_project_above_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Project::discover(dir.path()),
            Err(Error::ProjectNotFound { .. })
        ));
    }
}
