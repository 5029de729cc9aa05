//! The report on a small project written in a temporary folder: three
//! transcripts (two sites, two methods), a codebook of three codes, coders
//! ana and ben and the consensus coder final, a logic model with one
//! configuration and its links, case data, and a pseudonym key.

use std::path::Path;

use super::{Inputs, report};
use crate::codebook::Codebook;
use crate::coding::store::{self, CoderFile};
use crate::coding::{Coding, Target};
use crate::index::Index;
use crate::logic_model::LogicModel;
use crate::logic_model::links::Links;
use crate::progress::Silent;
use crate::project::Project;
use crate::pseudonyms::Pseudonyms;

const CONFIG: &str = "[project]\nname = \"Budgets test\"\n\n[corpus]\nfolder = \"corpus\"\n";

const FOCUS_GROUP: &str = "---
id: nb-fg
site: Northbrook
method: focus group
speakers:
  Facilitator: researcher
---

**Facilitator:** What changed for families?

**SW1 (social worker):** Speed. We bought the cooker for Zoë the same day.

**TM (team manager):** We sign off quickly, and families trust us now.
";

const NB_INTERVIEW: &str = "---
id: nb-int
site: Northbrook
method: interview
speakers:
  Interviewer: researcher
  Parent: parent
---

Interviewer: How was it?

Parent: She came quickly. I trust her.
";

const AC_INTERVIEW: &str = "---
id: ac-int
site: Ashcombe
method: interview
speakers:
  Interviewer: researcher
  YP: young person
---

Interviewer: Did it help?

YP: Yeah, quick. Zoë helped me too.
";

const CODEBOOK: &str = "# Codes

## Speed
How quickly a need is met.

## Trust
Confidence between a family and Zoë's worker.

## Approval
Sign-off of larger sums.
";

const LOGIC_MODEL: &str = "# Logic model: test

## Pathways
- **Dedicated resources**: money spent quickly removes barriers.

## Configurations

### CMO-1: Spending on the spot builds trust
- Pathway: Dedicated resources
- Status: emerging
- Context: Families who waited weeks for help.
- Mechanism: The worker buys what is needed the same day.
- Outcome: Families trust the worker.
";

const CASES: &str = "case,team,spend\nC1,north,10\nC2,north,20.50\nC3,south,\nC4,south,7\n";

const KEY: &str = "name,pseudonym\nZoë,Esme\n";

/// Everything the report is made from, and the folder that holds it.
struct Fixture {
    _dir: tempfile::TempDir,
    index: Index,
    book: Codebook,
    files: Vec<CoderFile>,
    links: Links,
    model: LogicModel,
    key: Pseudonyms,
    consensus: Vec<String>,
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Codes each target (`DOC:TURN`) with `code` for `coder`; returns the
/// codings' ids.
fn code(index: &Index, coder: &str, code: &str, targets: &[&str]) -> Vec<String> {
    let codings: Vec<Coding> = targets
        .iter()
        .map(|target| {
            let target = Target::parse(target).unwrap();
            let t = index.transcript(target.doc()).unwrap();
            let span = target.resolve(&t).unwrap();
            let rev = index.revision(&t.id);
            Coding::new(coder, &t, span, code, None, "2025-06-01T10:00:00Z", rev)
        })
        .collect();
    let (added, _) = store::update(index.project(), coder, |f| {
        let (added, _) = f.add_all(codings);
        Ok((added, true))
    })
    .unwrap();
    added.into_iter().map(|c| c.id).collect()
}

/// One line of `links.jsonl`.
fn link(coding: &str, coder: &str, doc: &str, stance: &str, part: Option<&str>) -> String {
    let part = part.map_or(String::new(), |p| format!(",\"part\":\"{p}\""));
    format!(
        "{{\"event\":\"link\",\"cmo\":\"CMO-1\",\"coding\":\"{coding}\",\"coder\":\"{coder}\",\"doc\":\"{doc}\",\"code\":\"Speed\",\"quote\":\"q\",\"stance\":\"{stance}\"{part},\"by\":\"ana\",\"at\":\"2025-06-02T10:00:00Z\"}}\n"
    )
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "realist.toml", CONFIG);
    write(root, "corpus/nb-fg.md", FOCUS_GROUP);
    write(root, "corpus/nb-int.md", NB_INTERVIEW);
    write(root, "corpus/ac-int.md", AC_INTERVIEW);
    write(root, "corpus/cases.csv", CASES);
    write(root, "codebooks/codes.md", CODEBOOK);
    write(root, "logic-model.md", LOGIC_MODEL);
    write(root, "pseudonyms.csv", KEY);
    let project = Project::open(root).unwrap();
    let (index, _) = Index::open(&project, &Silent).unwrap();
    let ana_speed = code(&index, "ana", "Speed", &["nb-fg:2", "nb-int:2"]);
    code(&index, "ana", "Trust", &["nb-fg:3", "ac-int:2"]);
    code(&index, "ben", "Speed", &["nb-fg:2", "nb-fg:3"]);
    let ben_speed = code(&index, "ben", "Speed", &["ac-int:2"]);
    code(&index, "final", "Speed", &["nb-fg:2"]);
    let links = [
        link(&ana_speed[0], "ana", "nb-fg", "supports", Some("mechanism")),
        link(&ben_speed[0], "ben", "ac-int", "refutes", None),
        link("0123456789ab", "ana", "nb-int", "supports", None),
    ];
    write(root, "links.jsonl", &links.concat());
    let (model, problems) = LogicModel::read(&project).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    Fixture {
        book: Codebook::load(&project.codebooks_dir()).unwrap(),
        files: store::load_all(&project).unwrap(),
        links: Links::load(&project).unwrap(),
        key: Pseudonyms::load(root).unwrap(),
        model,
        index,
        consensus: vec!["final".to_string()],
        _dir: dir,
    }
}

/// Returns the inputs of the report on the fixture, with `final` the
/// consensus coder.
fn inputs(f: &Fixture) -> Inputs<'_> {
    Inputs {
        filters: &[],
        selection: None,
        index: &f.index,
        book: &f.book,
        files: &f.files,
        consensus: &f.consensus,
        links: &f.links,
        model: Some(&f.model),
        key: &f.key,
        project: "Budgets test",
        generated: "2025-06-03",
        progress: &Silent,
    }
}

/// Returns the report on the fixture.
fn the_report(f: &Fixture) -> String {
    report(&inputs(f))
}

/// Returns the section of `report` under the level-2 heading `heading`, up
/// to the next level-2 heading.
fn section<'a>(report: &'a str, heading: &str) -> &'a str {
    let start = report
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no section '{heading}' in:\n{report}"));
    let rest = &report[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    &rest[..end]
}

/// Returns the lines of `text` that are table rows, in order.
fn rows(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with('|')).collect()
}

#[test]
fn the_header_says_names_were_pseudonymised_and_no_real_name_is_left() {
    let r = the_report(&fixture());
    let header = format!(
        "# Evidence report: Budgets test\n\nGenerated by realist {} on 2025-06-03. **Names pseudonymised with pseudonyms.csv (1 name).**\n\n## The corpus\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(r.starts_with(&header), "{r}");
    // In the codebook's definition of Trust and in the two quotes.
    assert!(!r.contains("Zoë"), "{r}");
    assert_eq!(r.matches("Esme").count(), 3, "{r}");
}

#[test]
fn the_corpus_counts_documents_by_method_and_site_speakers_by_role_and_coders() {
    let r = the_report(&fixture());
    assert_eq!(
        section(&r, "The corpus"),
        "## The corpus

3 documents, 7 speaker turns and 41 words spoken.

Documents by method and site:

| Method | Ashcombe | Northbrook | Total |
|---|---|---|---|
| focus group | 0 | 1 | 1 |
| interview | 1 | 1 | 2 |

Speakers by role (a speaker is a label in one document):

| Role | Speakers | Documents | Turns | Words |
|---|---|---|---|---|
| parent | 1 | 1 | 1 | 6 |
| researcher | 3 | 3 | 3 | 10 |
| social worker | 1 | 1 | 1 | 10 |
| team manager | 1 | 1 | 1 | 9 |
| young person | 1 | 1 | 1 | 6 |

Coders:

| Coder | Codings | Documents coded | Codes used |
|---|---|---|---|
| ana | 4 | 3 | 2 |
| ben | 3 | 2 | 1 |
| final (consensus) | 1 | 1 | 1 |

"
    );
}

#[test]
fn the_codebook_lists_every_code_with_its_definition_pseudonymised() {
    let r = the_report(&fixture());
    assert_eq!(
        rows(section(&r, "The codebook")),
        [
            "| Code | Definition |",
            "|---|---|",
            "| Speed | How quickly a need is met. |",
            "| Trust | Confidence between a family and Esme's worker. |",
            "| Approval | Sign-off of larger sums. |",
        ]
    );
}

#[test]
fn frequencies_count_each_coders_codings_and_the_documents_per_code() {
    let r = the_report(&fixture());
    assert_eq!(
        rows(section(&r, "Code frequencies")),
        [
            "| Code | ana | ben | final | Documents |",
            "|---|---|---|---|---|",
            "| Speed | 2 | 3 | 1 | 3 |",
            "| Trust | 2 | 0 | 0 | 2 |",
            "| Approval | 0 | 0 | 0 | 0 |",
            "| **Total** | **4** | **3** | **1** | **3** |",
        ]
    );
}

#[test]
fn codes_by_attribute_count_documents_per_site_method_and_role() {
    let r = the_report(&fixture());
    let s = section(&r, "Codes by attribute");
    let headings: Vec<&str> = s.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(headings, ["### By site", "### By method", "### By role"]);
    assert_eq!(
        rows(s),
        [
            "| Code | Ashcombe (1) | Northbrook (2) |",
            "|---|---|---|",
            "| Speed | 1 | 2 |",
            "| Trust | 1 | 1 |",
            "| Approval | 0 | 0 |",
            "| Code | focus group (1) | interview (2) |",
            "|---|---|---|",
            "| Speed | 1 | 2 |",
            "| Trust | 1 | 1 |",
            "| Approval | 0 | 0 |",
            "| Code | parent (1) | researcher (3) | social worker (1) | team manager (1) | young person (1) |",
            "|---|---|---|---|---|---|",
            "| Speed | 1 | 0 | 1 | 1 | 1 |",
            "| Trust | 0 | 0 | 0 | 1 | 1 |",
            "| Approval | 0 | 0 | 0 | 0 | 0 |",
        ]
    );
}

#[test]
fn agreement_compares_the_coders_but_not_the_consensus_coder_on_turns() {
    let r = the_report(&fixture());
    let s = section(&r, "Agreement between coders");
    assert!(
        s.contains("\nAgreement of ana and ben on the 2 documents every one of them coded,"),
        "{s}"
    );
    assert!(s.contains(" Cohen's kappa and Krippendorff's alpha (nominal) correct"));
    assert!(
        s.contains("\nLeft out, because not every coder coded them: nb-int (coded by ana).\n"),
        "{s}"
    );
    // Speed: ana coded 1 of the 3 coded turns, ben all 3; Trust: ana 2, ben none.
    assert_eq!(
        rows(s),
        [
            "| Code | Coded turns | ana | ben | All | Agreement | Cohen's κ | Krippendorff's α |",
            "|---|---|---|---|---|---|---|---|",
            "| Speed | 3 | 1 | 3 | 1 | 33.3% | 0.000 | -0.250 |",
            "| Trust | 3 | 2 | 0 | 0 | 33.3% | 0.000 | -0.250 |",
            "| **All codes (pooled)** | 6 | 3 | 3 | 1 | 33.3% | -0.333 | -0.222 |",
        ]
    );
}

#[test]
fn a_configuration_has_its_statements_evidence_summary_and_quotes() {
    let r = the_report(&fixture());
    let s = section(&r, "Configurations and their evidence");
    assert!(
        s.contains(" 1 link to codings that no longer exist is left out (`realist logic-model check` lists them).\n"),
        "{s}"
    );
    assert!(
        s.contains(
            "### CMO-1: Spending on the spot builds trust

*Pathway: Dedicated resources. Status: emerging.*

- **Context:** Families who waited weeks for help.
- **Mechanism:** The worker buys what is needed the same day.
- **Outcome:** Families trust the worker.

2 quotes: 1 supporting, 1 refuting, 0 refining; from 2 documents at 2 sites (Ashcombe, Northbrook).
"
        ),
        "{s}"
    );
    assert_eq!(
        rows(s),
        [
            "| Quote | Attribution | Stance | Source | Code |",
            "|---|---|---|---|---|",
            "| “Yeah, quick. Esme helped me too.” | Young person, interview, Ashcombe | refutes | ac-int, turn 2 | Speed |",
            "| “Speed. We bought the cooker for Esme the same day.” | Social worker, focus group, Northbrook | supports (mechanism) | nb-fg, turn 2 | Speed |",
        ]
    );
}

#[test]
fn case_data_has_the_figures_of_numeric_columns_overall_and_by_group() {
    let r = the_report(&fixture());
    let s = section(&r, "Case data");
    assert!(
        s.starts_with("## Case data\n\n4 cases in corpus/cases.csv. "),
        "{s}"
    );
    assert!(
        s.contains("\nAll cases:\n") && s.contains("\nBy team:\n"),
        "{s}"
    );
    assert_eq!(
        rows(s),
        [
            "| Column | n | Missing | Minimum | Median | Maximum | Total |",
            "|---|---|---|---|---|---|---|",
            "| spend | 3 | 1 | 7 | 10 | 20.50 | 37.50 |",
            "| Column | team | n | Missing | Minimum | Median | Maximum | Total |",
            "|---|---|---|---|---|---|---|---|",
            "| spend | north | 2 | 0 | 10 | 15.25 | 20.50 | 30.50 |",
            "| spend | south | 1 | 1 | 7 | 7 | 7 | 7 |",
        ]
    );
    assert!(r.ends_with("| spend | south | 1 | 1 | 7 | 7 | 7 | 7 |\n\n"));
}

#[test]
fn without_codings_or_a_second_coder_the_sections_say_so_or_are_left_out() {
    let f = fixture();
    let (links, key) = (Links::default(), Pseudonyms::none());
    let nobody = report(&Inputs {
        files: &[],
        consensus: &[],
        links: &links,
        model: None,
        key: &key,
        ..inputs(&f)
    });
    assert!(nobody.contains("**Names NOT pseudonymised: the project has no pseudonyms.csv.**"));
    assert!(
        nobody.contains("| (nobody has coded yet) |  |  |  |\n"),
        "{nobody}"
    );
    assert_eq!(
        section(&nobody, "Code frequencies"),
        "## Code frequencies\n\nNothing has been coded yet.\n\n"
    );
    assert_eq!(
        section(&nobody, "Codes by attribute"),
        "## Codes by attribute\n\nNothing has been coded yet.\n\n"
    );
    assert!(!nobody.contains("## Agreement between coders"));
    assert!(!nobody.contains("## Configurations and their evidence"));
    // Without a key the real name stays.
    assert!(nobody.contains("Zoë's worker"));
    // One coder besides the consensus coder: nothing to compare.
    let one = report(&Inputs {
        files: &f.files[..1],
        consensus: &[],
        ..inputs(&f)
    });
    assert!(one.contains("| ana | 4 | 3 | 2 |\n"), "{one}");
    assert!(!one.contains("## Agreement between coders"), "{one}");
}
