//! Comparing coders: agreement, disagreements, reconciling into a
//! consensus and deciding what the coders disagreed on.

use super::{Workspace, now};
use crate::agreement::compare::{self, Agreement, Options, Unit};
use crate::agreement::disagreements::{self, Disagreements};
use crate::coding::{CoderFile, is_within};
use crate::consensus::{self, Decided, Decision, Keep, Reconciled, Trail};
use crate::error::{Error, Result};
use crate::filter::Filter;

/// Which coders to compare, on what, where (`agree`, `disagreements`).
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The coders (at least two).
    pub coders: Vec<String>,
    /// The unit of comparison.
    pub unit: Unit,
    /// Only these codes (paths or unique names); empty: every code the
    /// coders used.
    pub codes: Vec<String>,
    /// Only documents passing every filter.
    pub filters: Vec<Filter>,
}

/// The coders' files and the codes a [`Comparison`] compares.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The coders' files, in the order named.
    pub files: Vec<CoderFile>,
    /// The code paths, in codebook order (or as named).
    pub codes: Vec<String>,
}

impl Workspace {
    /// Loads what `c` compares, after checking that it names two coders and
    /// attributes the corpus has: the coders' files and the codes (`names`
    /// resolved, or every code the coders used, in codebook order then codes
    /// missing from the codebook).
    pub fn compared(&self, c: &Comparison) -> Result<Compared> {
        if c.coders.len() < 2 {
            return Err(Error::TooFewCoders { task: "comparing" });
        }
        let files = self.coder_files(&c.coders)?;
        self.check_filters(&c.filters)?;
        let codes = if c.codes.is_empty() {
            let usage = crate::codebook::Usage::of(crate::coding::store::code_uses(&files));
            self.codebook()?.used_in_order(&usage)
        } else {
            self.resolve_codes(&files, &c.codes)?
        };
        Ok(Compared { files, codes })
    }

    /// Compares the coders of `c`, per code and overall (`realist agree`).
    pub fn agree(&self, c: &Comparison, coded_only: bool) -> Result<Agreement> {
        let Compared { files, codes } = self.compared(c)?;
        compare::compare(
            self.index(),
            &files,
            &Options {
                unit: c.unit,
                codes,
                filters: c.filters.clone(),
                coded_only,
            },
        )
    }

    /// Lists every unit where the coders of `c` differ, for the codes of
    /// `c` that are `within` one of these codes (or their children), when
    /// `within` names any.
    pub fn disagreements(&self, c: &Comparison, within: &[String]) -> Result<Disagreements> {
        let Compared { files, mut codes } = self.compared(c)?;
        if !within.is_empty() {
            let under = self.resolve_codes(&files, within)?;
            codes.retain(|c| under.iter().any(|u| is_within(c, u)));
        }
        disagreements::disagreements(
            self.index(),
            &files,
            &disagreements::Options {
                unit: c.unit,
                codes,
                filters: c.filters.clone(),
            },
        )
    }

    /// Reconciles `coders` (the consensus's own when it has them and none
    /// are given) into the consensus coder `into`: agreed passages are
    /// carried over, the rest become open decisions; nothing is written in
    /// a dry run.
    pub fn reconcile(
        &self,
        coders: &[String],
        into: &str,
        unit: Option<Unit>,
        dry_run: bool,
    ) -> Result<Reconciled> {
        let coders = consensus::coders_for(self.project(), into, coders)?;
        let files = self.coder_files(&coders)?;
        if files.len() < 2 {
            return Err(Error::TooFewCoders {
                task: "reconciling",
            });
        }
        consensus::reconcile(self.index(), &files, into, unit, &now(), dry_run)
    }

    /// Returns the decisions of the consensus `name` (the project's only
    /// one when `None`), replayed from its audit trail, with its name.
    pub fn decisions(&self, name: Option<&str>) -> Result<(String, Vec<Decision>)> {
        let name = self.consensus(name)?;
        let trail = Trail::load(self.project(), &name)?;
        Ok((name, trail.decisions()))
    }

    /// Settles decision `id` of the consensus `name` (the project's only
    /// one when `None`): keeps the versions of `keep`, recording who and why.
    pub fn decide(
        &self,
        name: Option<&str>,
        id: &str,
        keep: &Keep,
        by: &str,
        note: Option<&str>,
    ) -> Result<(String, Decided)> {
        let name = self.consensus(name)?;
        let decided = consensus::decide(self.index(), &name, id, keep, by, note, &now())?;
        Ok((name, decided))
    }
}
