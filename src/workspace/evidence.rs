//! The logic model and its evidence: configurations with the quotes linked
//! to them, linking and unlinking, candidates, and the model's check.

use std::collections::HashMap;

use super::{Workspace, now};
use crate::error::{Error, Kind, Problem, Result};
use crate::evidence::{self, Candidate, Quote, Summary};
use crate::logic_model::Configuration;
use crate::logic_model::links::{self, Linked, Part, Request, Stance};

/// What `cmo suggest` offers for a configuration.
#[derive(Debug, Clone)]
pub struct Candidates {
    /// The configuration.
    pub configuration: Configuration,
    /// Codings not yet linked to it whose code it mentions, grouped by
    /// code in codebook order, then in document and text order.
    pub candidates: Vec<Candidate>,
    /// The codes it mentions, each with where (`title`, `context`, …).
    pub mentioned: Vec<(String, Vec<String>)>,
}

/// Codings to link to a configuration as evidence.
#[derive(Debug, Clone)]
pub struct NewLinks {
    /// The configuration, as typed (`CMO-3`, `3`).
    pub cmo: String,
    /// Coding ids (or unique prefixes of 4 or more characters).
    pub codings: Vec<String>,
    /// What the quotes do to the configuration.
    pub stance: Stance,
    /// The part they bear on.
    pub part: Option<Part>,
    /// Who links them.
    pub by: String,
    /// Why.
    pub note: Option<String>,
}

impl Workspace {
    /// Returns every configuration with the spread of its evidence, only
    /// those of `pathway` when one is named.
    pub fn configurations(&self, pathway: Option<&str>) -> Result<Vec<Summary>> {
        let model = self.logic_model()?;
        let links = self.links()?;
        let files = self.coder_files(&[])?;
        let mut summaries = evidence::summaries(self.index(), &model, &links, &files);
        if let Some(p) = pathway {
            let known: Vec<String> = model.pathways.iter().map(|w| w.name.clone()).collect();
            if !known.is_empty() && !known.iter().any(|k| k.eq_ignore_ascii_case(p)) {
                return Err(Error::UnknownPathway {
                    pathway: p.to_string(),
                    suggestions: crate::suggest::nearest(p, known.iter().map(String::as_str)),
                    known,
                });
            }
            summaries.retain(|s| s.pathway.eq_ignore_ascii_case(p));
        }
        Ok(summaries)
    }

    /// Returns configuration `cmo` of the logic model with the quotes
    /// linked to it.
    pub fn configuration(&self, cmo: &str) -> Result<(Configuration, Vec<Quote>)> {
        let model = self.logic_model()?;
        let c = model.configuration(cmo)?.clone();
        let links = self.links()?;
        let files = self.coder_files(&[])?;
        let quotes = evidence::quotes(self.index(), &links, &files, &c.id);
        Ok((c, quotes))
    }

    /// Returns the codings of `coders` (everyone's when empty) not yet
    /// linked to `cmo` whose code the configuration mentions, with the
    /// codes it mentions and where.
    pub fn candidates(&self, cmo: &str, coders: &[String]) -> Result<Candidates> {
        let model = self.logic_model()?;
        let c = model.configuration(cmo)?.clone();
        let links = self.links()?;
        let files = self.coder_files(coders)?;
        let book = self.codebook()?;
        let candidates = evidence::candidates(&c, &book, &links, &files);
        let mentioned = evidence::mentioned_codes(&c, &book)
            .into_iter()
            .map(|(code, places)| {
                (
                    code.to_string(),
                    places.into_iter().map(str::to_string).collect(),
                )
            })
            .collect();
        Ok(Candidates {
            configuration: c,
            candidates,
            mentioned,
        })
    }

    /// Links codings to a configuration as evidence, appending to the
    /// trail; every id is checked before anything is written.
    pub fn link(&self, new: &NewLinks) -> Result<Linked> {
        let model = self.logic_model()?;
        let files = self.coder_files(&[])?;
        links::link(
            self.project(),
            &model,
            &files,
            &Request {
                cmo: &new.cmo,
                codings: &new.codings,
                stance: new.stance,
                part: new.part,
                note: new.note.as_deref(),
                by: &new.by,
                at: &now(),
            },
        )
    }

    /// Everything `realist logic-model check` reports: the model's own
    /// problems, then links to configurations or codings that no longer
    /// exist, linked codings whose anchors are stale, and configurations
    /// without evidence (notes). Returns the findings with the number of
    /// configurations and of links checked.
    pub fn check_logic_model(&self) -> Result<(Vec<Problem>, usize, usize)> {
        let Some((model, mut problems)) = self.logic_model_read()? else {
            return Err(Error::NoLogicModel);
        };
        let links = self.links()?;
        let files = self.coder_files(&[])?;
        let stale: HashMap<String, String> = self
            .stale(&files)?
            .into_iter()
            .map(|s| (s.id, s.reason))
            .collect();
        let found = evidence::check(&model, &links, &files, &stale);
        if problems.is_empty() {
            problems.extend(found);
        } else {
            // Links to configurations the parse left out would be reported
            // as missing: report only the codings' problems until the model
            // parses.
            problems.extend(
                found
                    .into_iter()
                    .filter(|p| p.kind != Kind::MissingConfiguration && p.kind != Kind::NoEvidence),
            );
        }
        problems.extend(crate::logic_model::example_note(&model));
        Ok((problems, model.configurations.len(), links.current().len()))
    }
}
