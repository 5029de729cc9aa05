//! `realist init`: a new project with example files to replace.

use std::path::{Path, PathBuf};

use super::{CODEBOOKS_DIR, CODINGS_DIR, CONFIG_FILE, KEY_FILE, LOGIC_MODEL_FILE};
use crate::error::{Error, Result};
use crate::files::write_atomic;

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

# How transcripts are laid out, for those whose front matter does not say:
# layout = "lines"          # every non-empty line is a paragraph (default "paragraphs")
# unlabelled = "Participant" # text without a label is said by this speaker
# labels = "listed"          # only labels listed under `speakers:` open a turn

# Roles (or labels) of the researchers who speak in the transcripts. A quote
# that runs from a researcher's question into an answer is attributed to the
# one who answered. Default: interviewer, facilitator, moderator, researcher.
# researcher_roles = ["interviewer", "facilitator", "moderator", "researcher"]

[cases]
# Administrative data per case: a CSV whose first column is `case`, one row
# per case; transcripts name their case in front matter (`case: C07`).
# Default: cases.csv in the corpus folder.
# file = "corpus/cases.csv"
"#;

const GITIGNORE: &str = "# Derived by realist, always rebuildable from the corpus.\n/.realist/\n";

/// The lines that keep the temporary files of interrupted writes out of
/// version control (anywhere: coder files and trails have them too).
const GITIGNORE_TMP: &str =
    "# Temporary files of interrupted writes (realist removes them).\n.realist-tmp-*\n";

/// The lines that keep the pseudonym key out of version control.
const GITIGNORE_KEY: &str =
    "# The pseudonym key re-identifies participants: never commit or share it.\n/pseudonyms.csv\n";

/// What a `.gitignore` must ignore: the pattern as `init` writes it, the
/// spelling a line is compared in (trimmed, without a leading or trailing
/// `/`), and the lines that add it.
const IGNORED: [(&str, &str, &str); 3] = [
    ("/.realist/", ".realist", GITIGNORE),
    (".realist-tmp-*", ".realist-tmp-*", GITIGNORE_TMP),
    ("/pseudonyms.csv", KEY_FILE, GITIGNORE_KEY),
];

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

/// How the example logic model `realist init` writes is marked: a comment
/// that opens with these words. While it is there, the model is the
/// example, and reports leave it out.
pub const EXAMPLE_MARK: &str = "<!-- realist:example";

/// The example logic model `realist init` writes.
const EXAMPLE_LOGIC_MODEL: &str = r#"# Logic model: NAME

<!-- realist:example
This is the example logic model that `realist init` wrote, not a theory of
yours: reports leave it out while this comment is here. Once the file holds
your own programme theory, delete this comment.
-->

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
        return Err(Error::AlreadyAProject { config });
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut created = Vec::new();
    for folder in ["corpus", CODEBOOKS_DIR, CODINGS_DIR] {
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
        (
            ".gitignore",
            format!("{GITIGNORE}{GITIGNORE_TMP}{GITIGNORE_KEY}"),
        ),
        (LOGIC_MODEL_FILE, EXAMPLE_LOGIC_MODEL.replace("NAME", &name)),
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
    // An existing .gitignore is kept, with the lines it lacks added: the
    // index holds the transcripts' text, and the key re-identifies.
    let ignore = dir.join(".gitignore");
    if let Ok(text) = std::fs::read_to_string(&ignore) {
        let has = |spelling: &str| {
            text.lines()
                .any(|l| l.trim().trim_start_matches('/').trim_end_matches('/') == spelling)
        };
        let missing: Vec<_> = IGNORED.iter().filter(|(_, s, _)| !has(s)).collect();
        if !missing.is_empty() {
            let mut out = text.clone();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            missing.iter().for_each(|(_, _, lines)| out.push_str(lines));
            write_atomic(&ignore, out.as_bytes())?;
            let names: Vec<&str> = missing.iter().map(|(p, _, _)| *p).collect();
            created.push(PathBuf::from(format!(
                ".gitignore ({} added)",
                match names.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} and {last}", rest.join(", "))
                    }
                    _ => names.join(""),
                }
            )));
        }
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
