//! Flag groups that several commands share.

use realist::Filter;
use realist::agreement::compare::Unit;
use realist::workspace::{Comparison, QuoteSelection};

/// The unit of comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnitArg {
    /// A speaker turn: its label and all its paragraphs.
    Turn,
    /// A block of the canonical text between blank lines.
    Paragraph,
    /// A sentence within a paragraph (speaker labels left out).
    Sentence,
    /// Every code point of the canonical text, separators included.
    Char,
}

impl From<UnitArg> for Unit {
    fn from(u: UnitArg) -> Unit {
        match u {
            UnitArg::Turn => Unit::Turn,
            UnitArg::Paragraph => Unit::Paragraph,
            UnitArg::Sentence => Unit::Sentence,
            UnitArg::Char => Unit::Char,
        }
    }
}

/// The flags every comparison of coders takes (`agree`, `disagreements`).
#[derive(Debug, clap::Args)]
pub struct CompareFlags {
    /// The coders to compare (NAME,NAME[,NAME…]).
    #[arg(long, value_name = "NAME", value_delimiter = ',', required = true)]
    pub coders: Vec<String>,

    /// The unit of comparison.
    #[arg(long, value_name = "UNIT", default_value = "turn")]
    pub unit: UnitArg,

    /// Only these codes (exact paths or unique names: repeat, or CODE,CODE…; a code whose name has a comma is found whole); default: every code the coders used.
    #[arg(long, value_name = "CODE")]
    pub codes: Vec<String>,

    /// Only documents whose attribute KEY has VALUE (any of VALUE,VALUE…); repeat to require several.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<Filter>,
}

impl CompareFlags {
    /// Returns the comparison the flags ask for.
    pub fn comparison(&self) -> Comparison {
        Comparison {
            coders: self.coders.clone(),
            unit: self.unit.into(),
            codes: self.codes.clone(),
            filters: self.filters.clone(),
        }
    }
}

/// Who did something and why, for an audit trail (`decide`, `link`, `unlink`).
#[derive(Debug, clap::Args)]
pub struct Audit {
    /// Who (one or more people, as you want it recorded in the audit trail).
    #[arg(long, env = "REALIST_CODER", value_name = "NAME", required = true)]
    pub by: String,

    /// Why: recorded in the audit trail.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// The flags that choose which coded quotes an export holds (`export
/// quotes`, `privacy check`).
#[derive(Debug, clap::Args)]
pub struct QuoteFlags {
    /// Only these coders' codings (NAME[,NAME…]); default: every coder.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub coder: Vec<String>,

    /// Only codings with these codes or their children (exact paths or unique names: repeat, or CODE,CODE…; a code whose name has a comma is found whole).
    #[arg(long, value_name = "CODE")]
    pub codes: Vec<String>,

    /// Only documents whose attribute KEY has VALUE (any of VALUE,VALUE…); repeat to require several.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<Filter>,
}

impl QuoteFlags {
    /// Returns the selection the flags ask for.
    pub fn selection(&self) -> QuoteSelection {
        QuoteSelection {
            coders: self.coder.clone(),
            codes: self.codes.clone(),
            filters: self.filters.clone(),
        }
    }
}
