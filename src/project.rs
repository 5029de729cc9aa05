//! Projects: a folder with `realist.toml`, its corpus and derived state.
//!
//! A project is found by walking up from a starting folder to the first one
//! that holds `realist.toml` (as git and cargo do), or opened at an explicit
//! folder. The library never reads environment variables: the CLI turns
//! `--project` and `REALIST_PROJECT` into a path before calling in here.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::files::write_atomic;
use crate::transcript::SpeakerPattern;

/// The configuration file's name.
pub const CONFIG_FILE: &str = "realist.toml";
/// The folder of derived, rebuildable state (the index), git-ignored.
pub const STATE_DIR: &str = ".realist";

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
    /// How speaker labels are recognised.
    pub speaker_pattern: SpeakerPattern,
    /// The case data file, relative to the project root, when
    /// `[cases] file` names one (default: `cases.csv` in the corpus folder).
    pub cases: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    project: RawProject,
    #[serde(default)]
    corpus: RawCorpus,
    #[serde(default)]
    cases: RawCases,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCases {
    file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorpus {
    folder: Option<PathBuf>,
    speaker_pattern: Option<String>,
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
            return Err(Error::Invalid(format!(
                "{} is not a realist project (it has no {CONFIG_FILE}); run `realist init {}` to make it one",
                root.display(),
                root.display()
            )));
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
        self.root.join("codebooks")
    }

    /// Returns the folder of coder files (`codings/`).
    pub fn codings_dir(&self) -> PathBuf {
        self.root.join("codings")
    }

    /// Returns the case data file, relative to the project root:
    /// `[cases] file` from `realist.toml`, else `cases.csv` in the corpus.
    pub fn cases_file(&self) -> PathBuf {
        match &self.config.cases {
            Some(file) => file.clone(),
            None => self.config.corpus.join(crate::cases::DEFAULT_FILE),
        }
    }

    /// Returns the logic model file (`logic-model.md`).
    pub fn logic_model_file(&self) -> PathBuf {
        self.root.join(crate::logic_model::FILE)
    }

    /// Returns the evidence links file (`links.jsonl`), the append-only
    /// audit trail of links between codings and configurations.
    pub fn links_file(&self) -> PathBuf {
        self.root.join(crate::logic_model::LINKS_FILE)
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
            (root.join(crate::privacy::KEY_FILE), "the pseudonym key"),
            (
                root.join(crate::privacy::ALLOW_FILE),
                "the privacy allow list",
            ),
            (root.join(crate::logic_model::FILE), "the logic model"),
            (
                root.join(crate::logic_model::LINKS_FILE),
                "the evidence links",
            ),
            (root.join(self.cases_file()), "the case data"),
        ];
        if let Some((_, what)) = files.iter().find(|(f, _)| *f == full) {
            return Some(what);
        }
        let folders = [
            (self.corpus_dir(), "the corpus folder"),
            (self.codebooks_dir(), "the codebook folder"),
            (self.codings_dir(), "the coder files' folder"),
            (self.root.join("consensus"), "the consensus trails' folder"),
            (self.state_dir(), "realist's state folder"),
        ];
        folders
            .iter()
            .filter_map(|(d, what)| Some((d.canonicalize().ok()?, what)))
            .find(|(d, _)| full.starts_with(d))
            .map(|(_, what)| *what)
    }

    /// Returns `path` relative to the project root when it is inside it.
    pub fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }
}

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
        })
    }
}

/// What `init` created.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InitReport {
    /// The new project's root.
    pub root: PathBuf,
    /// Files and folders created, relative to the root.
    pub created: Vec<PathBuf>,
}

const CONFIG_TEMPLATE: &str = r#"# realist project settings. Paths are relative to this file.

[project]
name = "NAME"

[corpus]
# Folder of transcripts (.md and .txt, sub-folders allowed).
folder = "corpus"

# Speaker labels open a paragraph: `**SW2 (social worker):**`, `Interviewer:`,
# `[P3]`. To recognise another style, give a regular expression with a named
# group `label` (and optionally `role`), matched at the start of each
# paragraph after Markdown is rendered away. Example for `INT> ...`:
# speaker_pattern = '(?P<label>[A-Z]+)>\s'

[cases]
# Administrative data per case: a CSV whose first column is `case`, one row
# per case; transcripts name their case in front matter (`case: C07`).
# Default: cases.csv in the corpus folder.
# file = "corpus/cases.csv"
"#;

const GITIGNORE: &str = "# Derived by realist, always rebuildable from the corpus.\n/.realist/\n";

/// The lines that keep the pseudonym key out of version control.
const GITIGNORE_KEY: &str =
    "# The pseudonym key re-identifies participants: never commit or share it.\n/pseudonyms.csv\n";

const EXAMPLE_TRANSCRIPT: &str = r#"---
# Front matter: `id` (defaults to the file name) and any attributes you want
# to filter or group by. `speakers` gives the role of labels without one.
id: example-interview
site: Example site
method: interview
date: 2025-01-31
speakers:
  Interviewer: researcher
---

**Interviewer:** This is an example transcript. Each turn is a paragraph that opens with a speaker label.

**P1 (parent):** And a paragraph without a label carries on the previous speaker's turn.

Like this one. Replace this file with your own transcripts.
"#;

/// The example codebook `realist init` writes.
const EXAMPLE_CODEBOOK: &str = r#"# Example codebook

<!--
One heading per code; a deeper heading is a child code (its path is
Parent/Child). Under each heading: the definition, then optional lists
labelled Include:, Exclude:, Example: and Keywords: (a search query, in the
syntax of `realist search`, that finds candidate passages; `realist code
hits --code CODE --coder NAME` codes its hits). Every codebooks/*.md file is
read. `realist codebook check` finds problems. Replace these codes with
your own.
-->

## Speed
How quickly a need is met once the worker and family know about it, and
what that pace does for the family.

Include:
- purchases made the same day or week
- delays, when the timing itself is the point

Exclude:
- how long paperwork takes for staff (use Administration)

Example:
- "We had the cooker in by the afternoon." (example-interview, turn 2)

Keywords: `"straight away" OR quick* OR "same day" OR delay*`

## Administration
The paperwork behind a spend: forms, approvals, receipts and payment cards.

Include:
- time staff spend on requests and receipts

Exclude:
- who decides (use Decision-making)

Keywords: `paperwork OR receipt* OR form OR forms OR finance`

### Receipts
Keeping, chasing and reconciling receipts for money spent.

Keywords: `receipt*`
"#;

/// The example logic model `realist init` writes.
const EXAMPLE_LOGIC_MODEL: &str = r#"# Logic model: NAME

<!--
The programme theory, as context–mechanism–outcome (CMO) configurations.
Level-2 sections are recognised by their words: Pathways, Pre-requisites
and contexts, Mechanisms (### Resources and ### Reasoning, after Dalkin et
al. 2015), Outcomes (### Short term and ### Longer term), Configurations.
Other sections are free notes. Each configuration is a level-3 heading
`CMO-<n>: title` with these labelled lines:

  Pathway:   one of the names under Pathways
  Status:    initial, emerging, supported, refined, refuted or retired
  Context:   for whom, in what circumstances
  Mechanism (resource):  what the programme offers
  Mechanism (reasoning): how people respond to it
             (or one `Mechanism:` line)
  Outcome:   what follows
  Keywords:  optional; words and "phrases", comma separated

`realist cmo suggest CMO-1` lists codings whose code is named in a
configuration's statements or keywords; `realist link` attaches them as
evidence; `realist logic-model check` finds problems. Replace this example
with your own theory.
-->

## Pathways
- **Dedicated resources**: money the worker can spend quickly on what a family needs removes practical barriers.
- **Working relationships**: help that follows through changes how families see the worker.

## Pre-requisites and contexts
- Workers with time for direct work with each family.
- Families who have been let down by services before.

## Mechanisms

### Resources
- A budget the worker can spend the same day, without a panel.

### Reasoning
- Families see the worker do what she says, and begin to trust her.

## Outcomes

### Short term
- Practical problems solved within days.

### Longer term
- Families that manage without the service once the case closes.

## Configurations

### CMO-1: Quick spending builds trust
- Pathway: Working relationships
- Status: initial
- Context: Parents who expect the offer of help to be a test or a trick.
- Mechanism (resource): The worker buys what was agreed within days.
- Mechanism (reasoning): Parents conclude the worker is on their side.
- Outcome: Parents tell the worker early when things go wrong.
- Keywords: speed, trust, "straight away"
"#;

/// Creates a new project in `dir` (created if needed) and returns what was made.
///
/// Refuses to touch a folder that already has `realist.toml`; never
/// overwrites an existing file.
pub fn init(dir: &Path) -> Result<InitReport> {
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return Err(Error::Invalid(format!(
            "{} already exists: this folder is already a realist project",
            config.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut created = Vec::new();
    for folder in ["corpus", "codebooks", "codings"] {
        let p = dir.join(folder);
        if !p.exists() {
            std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
            created.push(PathBuf::from(folder));
        }
    }
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "realist project".into());
    let files: [(&str, String); 5] = [
        (".gitignore", format!("{GITIGNORE}{GITIGNORE_KEY}")),
        (
            crate::logic_model::FILE,
            EXAMPLE_LOGIC_MODEL.replace("NAME", &name),
        ),
        ("codebooks/codebook.md", EXAMPLE_CODEBOOK.to_string()),
        (
            "corpus/example-interview.md",
            EXAMPLE_TRANSCRIPT.to_string(),
        ),
        (
            CONFIG_FILE,
            CONFIG_TEMPLATE.replace("NAME", &name.replace('"', "'")),
        ),
    ];
    // An existing .gitignore is kept, with the key's line added if missing.
    let ignore = dir.join(".gitignore");
    if let Ok(text) = std::fs::read_to_string(&ignore)
        && !text
            .lines()
            .any(|l| l.trim().trim_start_matches('/') == crate::privacy::KEY_FILE)
    {
        let sep = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        write_atomic(&ignore, format!("{text}{sep}{GITIGNORE_KEY}").as_bytes())?;
        created.push(PathBuf::from(".gitignore (pseudonyms.csv added)"));
    }
    for (file, content) in files {
        let p = dir.join(file);
        if !p.exists() {
            write_atomic(&p, content.as_bytes())?;
            created.push(PathBuf::from(file));
        }
    }
    Ok(InitReport {
        root: dir.to_path_buf(),
        created,
    })
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
