//! What the evidence links add up to: per-configuration counts and spread
//! (`cmo list`), attributed quotes (`cmo show`), candidates not yet linked
//! (`cmo suggest`) and dangling links (`logic-model check`).

use std::collections::{BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;
use serde::Serialize;

use crate::codebook::Codebook;
use crate::coding::{CoderFile, Coding};
use crate::error::{Kind, Problem};
use crate::index::Index;
use crate::index::Transcripts;
use crate::logic_model::links::{Link, Links, Part, Stance};
use crate::logic_model::{Configuration, LogicModel, Status};

/// A configuration with the spread of its evidence (`"type":"cmo"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `CMO-<n>`.
    pub id: String,
    /// The heading's title.
    pub title: String,
    /// Its pathway.
    pub pathway: String,
    /// Its status.
    pub status: Status,
    /// Current links that support it.
    pub supports: usize,
    /// Current links that refute it.
    pub refutes: usize,
    /// Current links that refine it.
    pub refines: usize,
    /// Documents the linked quotes come from.
    pub documents: usize,
    /// Sites (the `site` attribute) of those documents.
    pub sites: usize,
    /// The sites' names, sorted.
    pub site_names: Vec<String>,
    /// Kinds of speaker (roles) of the linked quotes, sorted.
    pub roles: Vec<String>,
    /// Links to codings that no longer exist (not counted above).
    pub missing: usize,
}

/// A linked quote with its attribution (`"type":"evidence"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The configuration.
    pub cmo: String,
    /// The coding's id.
    pub coding: String,
    /// The coder.
    pub coder: String,
    /// What the quote does to the configuration.
    pub stance: Stance,
    /// The part it bears on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    /// The document.
    pub doc: String,
    /// The turn of the (first) speaker the quote is attributed to.
    pub turn: Option<usize>,
    /// That speaker's label.
    pub speaker: Option<String>,
    /// That speaker's role.
    pub role: Option<String>,
    /// Everyone the quote is attributed to (roles, or labels without one):
    /// the speakers who are not researchers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub who: Vec<String>,
    /// The document's `method` attribute.
    pub method: Option<String>,
    /// The values of the document's `site` attribute.
    pub sites: Vec<String>,
    /// The code.
    pub code: String,
    /// The quote: the coding's text now, or as linked when the coding is gone.
    pub text: String,
    /// The coder's memo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    /// Why it was linked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who linked it.
    pub by: String,
    /// When.
    pub at: String,
    /// True when the coding no longer exists in any coder file.
    pub missing: bool,
}

/// A coding not linked to a configuration whose code the configuration
/// mentions (`"type":"candidate"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The configuration.
    pub cmo: String,
    /// The coder.
    pub coder: String,
    /// The coding.
    pub coding: Coding,
    /// The code of the configuration's text it was found by (the coding's
    /// code or an ancestor).
    pub matched: String,
    /// Where the configuration mentions it: `title`, `context`,
    /// `mechanism`, `outcome`, `keywords`.
    pub mentioned_in: Vec<&'static str>,
}

/// Codings by id, with their coder.
pub fn by_id(files: &[CoderFile]) -> HashMap<&str, (&str, &Coding)> {
    files
        .iter()
        .flat_map(|f| {
            f.codings
                .iter()
                .map(move |c| (c.id.as_str(), (f.coder.as_str(), c)))
        })
        .collect()
}

/// Returns the quotes linked to `cmo` now, in the order linked.
pub fn quotes(index: &Index, links: &Links, files: &[CoderFile], cmo: &str) -> Vec<Quote> {
    all_quotes(index, links, files)
        .shift_remove(cmo)
        .unwrap_or_default()
}

/// Returns every current link as a quote, by configuration: the trail
/// replayed once, each transcript read once.
fn all_quotes(index: &Index, links: &Links, files: &[CoderFile]) -> IndexMap<String, Vec<Quote>> {
    let codings = by_id(files);
    let mut transcripts = Transcripts::new(index);
    let mut out: IndexMap<String, Vec<Quote>> = IndexMap::new();
    for l in links.current() {
        let q = quote(index, &codings, &mut transcripts, l);
        out.entry(l.cmo.clone()).or_default().push(q);
    }
    out
}

fn quote(
    index: &Index,
    codings: &HashMap<&str, (&str, &Coding)>,
    transcripts: &mut Transcripts,
    l: &Link,
) -> Quote {
    let now = codings.get(l.coding.as_str());
    let (doc, code, memo) = match now {
        Some((_, c)) => (c.doc.clone(), c.code.clone(), c.memo.clone()),
        None => (l.doc.clone(), l.code.clone(), None),
    };
    // What the coding says now, attributed as quote tables attribute it.
    let config = &index.project().config;
    let said = now.and_then(|(_, c)| {
        let t = transcripts.get(&c.doc).ok().filter(|t| c.fits(t))?;
        crate::quotes::quoted(t, c.span(), &|s, r| config.is_researcher(s, r))
    });
    let text = match (&said, now) {
        (Some(q), _) => q.text.clone(),
        (None, Some((_, c))) => c.quote.clone(),
        (None, None) => l.quote.clone(),
    };
    let (speaker, role) = said
        .as_ref()
        .and_then(|q| q.speakers.first().cloned())
        .unwrap_or_default();
    let who = said.as_ref().map_or_else(Vec::new, |q| {
        q.speakers
            .iter()
            .filter_map(|(s, r)| r.clone().or_else(|| s.clone()))
            .collect()
    });
    Quote {
        cmo: l.cmo.clone(),
        coding: l.coding.clone(),
        coder: now.map_or(l.coder.clone(), |(coder, _)| coder.to_string()),
        stance: l.stance,
        part: l.part,
        method: index.attribute(&doc, "method"),
        sites: index.attribute_values(&doc, "site"),
        turn: said.as_ref().and_then(|q| q.turn),
        speaker,
        role,
        who,
        doc,
        code,
        text,
        memo,
        note: l.note.clone(),
        by: l.by.clone(),
        at: l.at.clone(),
        missing: now.is_none(),
    }
}

/// Returns every configuration of `model` with the spread of its evidence.
pub fn summaries(
    index: &Index,
    model: &LogicModel,
    links: &Links,
    files: &[CoderFile],
) -> Vec<Summary> {
    let mut quotes = all_quotes(index, links, files);
    model
        .configurations
        .iter()
        .map(|c| summary(c, &quotes.swap_remove(&c.id).unwrap_or_default()))
        .collect()
}

/// Returns the summary of configuration `c` given its quotes.
pub fn summary(c: &Configuration, quotes: &[Quote]) -> Summary {
    let present: Vec<&Quote> = quotes.iter().filter(|q| !q.missing).collect();
    let count = |s: Stance| present.iter().filter(|q| q.stance == s).count();
    let documents: BTreeSet<&str> = present.iter().map(|q| q.doc.as_str()).collect();
    let sites: BTreeSet<String> = present
        .iter()
        .flat_map(|q| q.sites.iter().cloned())
        .collect();
    let roles: BTreeSet<String> = present.iter().filter_map(|q| q.role.clone()).collect();
    Summary {
        id: c.id.clone(),
        title: c.title.clone(),
        pathway: c.pathway.clone(),
        status: c.status,
        supports: count(Stance::Supports),
        refutes: count(Stance::Refutes),
        refines: count(Stance::Refines),
        documents: documents.len(),
        sites: sites.len(),
        site_names: sites.into_iter().collect(),
        roles: roles.into_iter().collect(),
        missing: quotes.len() - present.len(),
    }
}

/// Returns lower-cased text with every run of non-alphanumerics as one
/// space, padded with spaces, for whole-word phrase matching.
fn words(text: &str) -> String {
    let mut out = String::from(" ");
    for w in text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(w);
        out.push(' ');
    }
    out
}

/// Returns the codes of `book` the configuration mentions (by name, whole
/// words, any case) and where, those named in more places first.
pub fn mentioned_codes<'a>(
    c: &Configuration,
    book: &'a Codebook,
) -> Vec<(&'a str, Vec<&'static str>)> {
    let mut places: Vec<(&'static str, String)> =
        vec![("title", words(&c.title)), ("context", words(&c.context))];
    let mechanism = [&c.mechanism, &c.resource, &c.reasoning]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    places.push(("mechanism", words(&mechanism)));
    places.push(("outcome", words(&c.outcome)));
    let keywords: Vec<String> = c.keywords.iter().map(|k| words(k)).collect();
    let mut out = Vec::new();
    for code in book.codes.values() {
        let name = words(&code.name);
        if name.trim().is_empty() {
            continue;
        }
        let mut found: Vec<&'static str> = places
            .iter()
            .filter(|(_, text)| text.contains(&name))
            .map(|(place, _)| *place)
            .collect();
        // Each keyword on its own, so two keywords never make one name.
        if keywords.iter().any(|k| k.contains(&name)) {
            found.push("keywords");
        }
        if !found.is_empty() {
            out.push((code.path.as_str(), found));
        }
    }
    // Codes named in more places first; codebook order among equals.
    out.sort_by_key(|(_, places)| std::cmp::Reverse(places.len()));
    out
}

/// Returns the codings not linked to `c` whose code (or an ancestor of it)
/// the configuration mentions, by code (in codebook order), then in
/// document and text order.
pub fn candidates(
    c: &Configuration,
    book: &Codebook,
    links: &Links,
    files: &[CoderFile],
) -> Vec<Candidate> {
    let mentioned = mentioned_codes(c, book);
    let linked: BTreeSet<&str> = links.of(&c.id).iter().map(|l| l.coding.as_str()).collect();
    let mut out: Vec<Candidate> = Vec::new();
    for f in files {
        for coding in &f.codings {
            if linked.contains(coding.id.as_str()) || coding.unplaced.is_some() {
                continue;
            }
            // The most specific mentioned code the coding falls under.
            let hit = mentioned
                .iter()
                .filter(|(code, _)| coding.has_code(code))
                .max_by_key(|(code, _)| code.len());
            if let Some((code, places)) = hit {
                out.push(Candidate {
                    cmo: c.id.clone(),
                    coder: f.coder.clone(),
                    coding: coding.clone(),
                    matched: code.to_string(),
                    mentioned_in: places.clone(),
                });
            }
        }
    }
    // Grouped by code in codebook order, then in document and text order.
    let rank = |code: &str| mentioned.iter().position(|(c, _)| *c == code);
    out.sort_by(|a, b| {
        (
            rank(&a.matched),
            &a.coding.doc,
            a.coding.start,
            &a.coder,
            &a.coding.id,
        )
            .cmp(&(
                rank(&b.matched),
                &b.coding.doc,
                b.coding.start,
                &b.coder,
                &b.coding.id,
            ))
    });
    out
}

/// Returns what `realist logic-model check` reports about the links: links
/// to configurations not in the model or to codings no coder file holds,
/// linked codings whose anchors are stale (`stale` gives the reason by
/// coding id), and configurations with no evidence yet (notes).
pub fn check(
    model: &LogicModel,
    links: &Links,
    files: &[CoderFile],
    stale: &HashMap<String, String>,
) -> Vec<Problem> {
    let codings = by_id(files);
    let mut out = Vec::new();
    let current = links.current();
    // Sets of ids, so that a model of many configurations with many links
    // is checked in one pass over each.
    let configurations: HashSet<&str> =
        model.configurations.iter().map(|c| c.id.as_str()).collect();
    let linked: HashSet<&str> = current.iter().map(|l| l.cmo.as_str()).collect();
    for l in &current {
        let place = |message: String| Problem {
            kind: Kind::Stale,
            error: true,
            path: Some(links.path.clone()),
            line: None,
            message,
        };
        if !configurations.contains(crate::logic_model::normalise_id(&l.cmo).as_str()) {
            out.push(Problem {
                kind: Kind::MissingConfiguration,
                ..place(format!(
                    "{} is linked to coding {} but is not in the logic model; restore it, or `realist unlink {} {}`",
                    l.cmo, l.coding, l.cmo, l.coding
                ))
            });
        }
        match codings.get(l.coding.as_str()) {
            None => out.push(Problem {
                kind: Kind::MissingCoding,
                ..place(format!(
                    "{} is linked to coding {} ({}, {} in {}: “{}”), which no coder file holds any more; `realist unlink {} {}` removes the link",
                    l.cmo,
                    l.coding,
                    l.coder,
                    l.code,
                    l.doc,
                    crate::text::preview(&l.quote, 50),
                    l.cmo,
                    l.coding
                ))
            }),
            Some(_) => {
                if let Some(reason) = stale.get(&l.coding) {
                    out.push(Problem {
                        kind: Kind::Stale,
                        ..place(format!(
                            "coding {} linked to {} no longer matches its text ({reason}); run `realist check`",
                            l.coding, l.cmo
                        ))
                    });
                }
            }
        }
    }
    for c in &model.configurations {
        if !linked.contains(c.id.as_str()) {
            out.push(Problem {
                kind: Kind::NoEvidence,
                error: false,
                path: Some(model.path.clone()),
                line: Some(c.line),
                message: format!("{} has no evidence linked yet", c.id),
            });
        }
    }
    out
}
