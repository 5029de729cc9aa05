//! The export project's files, written into the case project: a codebook,
//! two coders, a logic model, links from codings to its configurations, a
//! pseudonym key and the privacy check's allowed words.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use realist::coding::store;
use realist::logic_model::LogicModel;
use realist::logic_model::links::{self, Part, Request, Stance};
use realist::{Index, Project};

use crate::agreement::{CoderPair, agreement_files};
use crate::coders::{CREATED, remove_if_exists};
use crate::generate::{PSEUDO_WORDS, RANKED_DOMAIN_WORDS, Rng, Vocab, shuffle};
use crate::{Args, BoxResult};

/// The export project's codebook, in codebook order: four codes with four
/// children each. Even positions are coded on whole turns, odd ones on
/// sentences.
pub const EXPORT_CODES: [&str; 20] = [
    "Money",
    "Money/Budget holding",
    "Money/Spending",
    "Money/Receipts",
    "Money/Debt",
    "Relationships",
    "Relationships/Trust",
    "Relationships/Worker",
    "Relationships/Family",
    "Relationships/Isolation",
    "Process",
    "Process/Speed",
    "Process/Approval",
    "Process/Paperwork",
    "Process/Delay",
    "Outcomes",
    "Outcomes/Housing",
    "Outcomes/Children",
    "Outcomes/School",
    "Outcomes/Wellbeing",
];
/// The two coders (`codings/a.jsonl`, `codings/b.jsonl`).
const EXPORT_CODERS: [&str; 2] = ["a", "b"];
/// Codings per coder.
const EXPORT_CODINGS: usize = 5000;
/// Configurations of the logic model.
pub const EXPORT_CMOS: usize = 12;
/// Codings linked to a configuration, and how many of them to a second one.
const EXPORT_LINKED: usize = 900;
const EXPORT_TWICE: usize = 100;
/// Names in the pseudonym key.
const EXPORT_KEY_NAMES: usize = 200;
/// The pathways of the logic model.
const EXPORT_PATHWAYS: [&str; 3] = [
    "Dedicated resources",
    "Working relationships",
    "Faster processes",
];
/// Personal names the generator writes (in turns and speaker labels), put
/// in the key; [`KEY_LEFT_OUT`] are left out so that `privacy check` has
/// names to find.
#[rustfmt::skip]
const KEY_PEOPLE: &[&str] = &[
    "Donna", "Bev", "Sharon", "Gary", "Kelly", "Dean", "Leanne", "Wayne", "Shannon", "Tyler",
    "Jade", "Connor", "Chloe", "Ryan", "Paige", "Jordan", "Amy", "Liam", "Stacey", "Darren",
    "Nicola", "Craig", "Gemma", "Zoë", "Łukasz", "Siobhán", "Renée", "Kayleigh", "Hughes",
    "Begum", "O’Connor", "Pat", "Jo",
];
const KEY_LEFT_OUT: &[&str] = &["Jordan", "Paige", "Renée"];
/// Capitalised words that are not names, the project's `privacy-allow.txt`:
/// the places and shops the generator writes, and the case file's regions
/// (`privacy check` scans case columns other than place keys).
const PRIVACY_ALLOWED: &[&str] = &[
    "Leeds",
    "Manchester",
    "Asda",
    "Tesco",
    "Argos",
    "Primark",
    "Ikea",
    "North",
    "South",
    "East",
    "West",
];
/// What [`export_files`] made.
pub struct ExportFiles {
    /// Transcripts coded.
    pub docs: usize,
    pub links: usize,
    pub names: usize,
}

/// Writes the export project's files into the case project (replacing any
/// from an earlier run): `codebooks/bench.md` ([`EXPORT_CODES`]); coders
/// `a` and `b`, [`EXPORT_CODINGS`] codings each over at most
/// [`LOAD_DOCS`](crate::coders::LOAD_DOCS) transcripts, `b` never coding
/// `a`'s exact passage (so every coding is a row of its own) but the same
/// code on the next span with probability 0.7; `logic-model.md` with
/// [`EXPORT_CMOS`] configurations; [`EXPORT_LINKED`] codings linked with
/// `realist::logic_model::links::link`, the first [`EXPORT_TWICE`] of them
/// to a second configuration; `pseudonyms.csv` of [`EXPORT_KEY_NAMES`]
/// names and `privacy-allow.txt`.
pub fn export_files(args: &Args, index: &Index, project: &Project) -> BoxResult<ExportFiles> {
    let mut rng = Rng::new(args.seed ^ 0xE8B0_47ED);
    write_codebook(project)?;
    let docs = write_coders(index, project, args.seed)?;
    let model = write_logic_model(project)?;
    let links = link_codings(project, &model, &mut rng)?;
    let names = write_key(&project.root, &mut rng)?;
    Ok(ExportFiles { docs, links, names })
}

/// The codebook: a definition for every code, keywords for the parents.
fn write_codebook(project: &Project) -> BoxResult<()> {
    std::fs::create_dir_all(project.codebooks_dir())?;
    let mut book = String::from("# Benchmark codebook\n");
    for path in EXPORT_CODES {
        match path.split_once('/') {
            Some((parent, name)) => {
                let _ = write!(
                    book,
                    "\n### {name}\nPassages about {} within {}.\n",
                    name.to_lowercase(),
                    parent.to_lowercase()
                );
            }
            None => {
                let _ = write!(
                    book,
                    "\n## {path}\nEverything about {}.\n\nInclude:\n- what the family says about it\n\nKeywords: `{}`\n",
                    path.to_lowercase(),
                    path.to_lowercase()
                );
            }
        }
    }
    std::fs::write(project.codebooks_dir().join("bench.md"), book)?;
    Ok(())
}

/// The two coders; returns the transcripts they coded.
fn write_coders(index: &Index, project: &Project, seed: u64) -> BoxResult<usize> {
    let turn_codes: Vec<&str> = EXPORT_CODES.iter().copied().step_by(2).collect();
    let sentence_codes: Vec<&str> = EXPORT_CODES.iter().copied().skip(1).step_by(2).collect();
    let pair = CoderPair {
        coders: EXPORT_CODERS,
        per_coder: EXPORT_CODINGS,
        turn_codes: &turn_codes,
        sentence_codes: &sentence_codes,
        same: 0.0,
        near: 0.7,
    };
    agreement_files(index, project, seed ^ 0xE8B0_47ED, &pair)
}

/// The logic model: [`EXPORT_CMOS`] configurations over
/// [`EXPORT_PATHWAYS`], written and loaded back.
fn write_logic_model(project: &Project) -> BoxResult<LogicModel> {
    const STATUSES: [&str; 4] = ["initial", "emerging", "supported", "refined"];
    let mut model = String::from("# Logic model: realist benchmark\n\n## Pathways\n");
    for p in EXPORT_PATHWAYS {
        let _ = writeln!(
            model,
            "- **{p}**: how the pilot works through {}.",
            p.to_lowercase()
        );
    }
    model.push_str("\n## Configurations\n");
    let leaves: Vec<&str> = EXPORT_CODES
        .iter()
        .filter_map(|c| c.split_once('/').map(|(_, n)| n))
        .collect();
    for n in 1..=EXPORT_CMOS {
        let (a, b) = (
            leaves[(n - 1) % leaves.len()],
            leaves[(n * 5) % leaves.len()],
        );
        let _ = write!(
            model,
            "\n### CMO-{n}: {a} and {}\n- Pathway: {}\n- Status: {}\n- Context: Families who waited for {} before.\n- Mechanism (resource): The worker can act on {} at once.\n- Mechanism (reasoning): Families see that {} is taken seriously.\n- Outcome: Less {} and more {}.\n",
            b.to_lowercase(),
            EXPORT_PATHWAYS[(n - 1) % EXPORT_PATHWAYS.len()],
            STATUSES[(n - 1) % STATUSES.len()],
            a.to_lowercase(),
            a.to_lowercase(),
            b.to_lowercase(),
            a.to_lowercase(),
            b.to_lowercase()
        );
    }
    std::fs::write(project.logic_model_file(), model)?;
    Ok(LogicModel::load(project)?)
}

/// The links, grouped into one `link` call per (configuration, stance,
/// part), as a researcher would link them; returns how many.
fn link_codings(project: &Project, model: &LogicModel, rng: &mut Rng) -> BoxResult<usize> {
    remove_if_exists(&project.links_file())?;
    let files = store::load_all(project)?;
    let ids: Vec<&str> = files
        .iter()
        .flat_map(|f| f.codings.iter().map(|c| c.id.as_str()))
        .collect();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    shuffle(&mut order, rng);
    let parts = [
        None,
        Some(Part::Context),
        Some(Part::Mechanism),
        Some(Part::Outcome),
    ];
    let mut groups: BTreeMap<(usize, usize, usize), Vec<String>> = Default::default();
    let mut n_links = 0;
    for (k, &i) in order.iter().take(EXPORT_LINKED).enumerate() {
        let first = rng.below(EXPORT_CMOS);
        let mut cmos = vec![first];
        if k < EXPORT_TWICE {
            cmos.push((first + 1 + rng.below(EXPORT_CMOS - 1)) % EXPORT_CMOS);
        }
        for cmo in cmos {
            let roll = rng.unit();
            let stance = if roll < 0.6 {
                0
            } else if roll < 0.85 {
                1
            } else {
                2
            };
            let part = rng.below(parts.len());
            groups
                .entry((cmo, stance, part))
                .or_default()
                .push(ids[i].to_string());
            n_links += 1;
        }
    }
    for ((cmo, stance, part), codings) in &groups {
        let cmo = format!("CMO-{}", cmo + 1);
        let linked = links::link(
            project,
            model,
            &files,
            &Request {
                cmo: &cmo,
                codings,
                stance: Stance::ALL[*stance],
                part: parts[*part],
                note: parts[*part].map(|_| "Checked against the case notes."),
                by: "bench",
                at: CREATED,
            },
        )?;
        assert_eq!(linked.changed.len(), codings.len(), "{cmo}: links skipped");
    }
    Ok(n_links)
}

/// The pseudonym key: the generator's personal names (less those left
/// out), then made-up words of its long tail, which start sentences
/// capitalised, up to [`EXPORT_KEY_NAMES`]; and the privacy check's allowed
/// words. Returns the names in the key.
fn write_key(root: &Path, rng: &mut Rng) -> BoxResult<usize> {
    let vocab = Vocab::build();
    let mut tail: Vec<&str> = vocab.words[vocab.words.len() - PSEUDO_WORDS..]
        .iter()
        .map(String::as_str)
        .filter(|w| !RANKED_DOMAIN_WORDS.iter().any(|(r, _)| r == w))
        .collect();
    shuffle(&mut tail, rng);
    let mut names: Vec<String> = KEY_PEOPLE
        .iter()
        .filter(|n| !KEY_LEFT_OUT.contains(n))
        .map(|n| n.to_string())
        .collect();
    for w in tail {
        if names.len() >= EXPORT_KEY_NAMES {
            break;
        }
        let mut c = w.chars();
        let first = c.next().map(|f| f.to_uppercase().collect::<String>());
        names.push(first.unwrap_or_default() + c.as_str());
    }
    let mut key = String::from("name,pseudonym\n");
    for (i, n) in names.iter().enumerate() {
        let _ = writeln!(key, "{n},Alias{:03}", i + 1);
    }
    std::fs::write(root.join(realist::pseudonyms::KEY_FILE), key)?;
    let _ = std::fs::remove_file(root.join(format!("{}.aside", realist::pseudonyms::KEY_FILE)));
    std::fs::write(
        root.join(realist::privacy::ALLOW_FILE),
        PRIVACY_ALLOWED.join("\n") + "\n",
    )?;
    Ok(names.len())
}
