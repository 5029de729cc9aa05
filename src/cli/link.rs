//! `realist link`: link coded quotes to a configuration as evidence.

use realist::logic_model::links::{Linked, Part, Stance};
use realist::record::Record;
use realist::workspace::NewLinks;

use super::Global;
use super::flags::Audit;
use super::output::{Out, plural};

/// Link coded quotes to a configuration of the logic model as evidence.
///
/// Each CODING-ID (from `realist codings`, or its first 4+ characters) is
/// linked to CMO-ID as evidence that --supports, --refutes or --refines it,
/// optionally about one --part. The link, who made it (--by, default
/// $REALIST_CODER), why (--note), when, and a copy of the quote are appended
/// to links.jsonl, the audit trail of how the programme theory was refined:
/// nothing in it is ever rewritten. Linking again with another stance,
/// part or note replaces the link (a part or note not given again is kept);
/// `realist unlink` removes it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist link CMO-2 3f9a0c12d4e5 --supports --part mechanism --by ana --note 'trust follows quick action'\n  realist link CMO-6 8c1d 5e0a --refutes --by ben\n  realist codings --code Trust --json | jq -r .id | xargs realist link CMO-2 --supports --by ana"
)]
pub struct LinkArgs {
    /// The configuration (CMO-3, or 3), as in logic-model.md.
    #[arg(value_name = "CMO-ID")]
    cmo: String,

    /// The codings to link (ids from `realist codings`).
    #[arg(value_name = "CODING-ID", required = true)]
    codings: Vec<String>,

    /// The quotes bear the configuration out.
    #[arg(long, group = "stance", required = true)]
    supports: bool,

    /// The quotes contradict it.
    #[arg(long, group = "stance")]
    refutes: bool,

    /// The quotes suggest how to change it.
    #[arg(long, group = "stance")]
    refines: bool,

    /// The part of the configuration the quotes bear on.
    #[arg(long, value_enum, value_name = "PART")]
    part: Option<PartArg>,

    #[command(flatten)]
    audit: Audit,

    /// Print one "type":"linked" JSON object.
    #[arg(long)]
    json: bool,
}

/// A part of a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PartArg {
    /// The context.
    Context,
    /// The mechanism (resource or reasoning).
    Mechanism,
    /// The outcome.
    Outcome,
}

/// Runs `realist link`.
pub fn run(args: &LinkArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let stance = if args.refutes {
        Stance::Refutes
    } else if args.refines {
        Stance::Refines
    } else {
        Stance::Supports
    };
    let linked = ws.link(&NewLinks {
        cmo: args.cmo.clone(),
        codings: args.codings.clone(),
        stance,
        part: args.part.map(|p| match p {
            PartArg::Context => Part::Context,
            PartArg::Mechanism => Part::Mechanism,
            PartArg::Outcome => Part::Outcome,
        }),
        by: args.audit.by.clone(),
        note: args.audit.note.clone(),
    })?;
    let head = format!(
        "linked {} to {} as evidence that {} it",
        plural(linked.changed.len(), "coding", "codings"),
        linked.cmo,
        stance.name()
    );
    report(out, args.json, &linked, head)
}

pub fn report(out: &Out, json: bool, l: &Linked, head: String) -> realist::Result<()> {
    if json {
        out.line(&Record::Linked(l).to_json())?;
        return out.flush();
    }
    // "linked 0 codings" says nothing when every coding was already linked.
    let mut parts = Vec::new();
    if !l.changed.is_empty() || (l.replaced.is_empty() && l.already.is_empty()) {
        parts.push(head);
    }
    if !l.replaced.is_empty() {
        parts.push(format!(
            "{} relinked with the new stance, part or note",
            l.replaced.len()
        ));
    }
    if !l.already.is_empty() {
        parts.push(format!(
            "{} already linked so to {} (unchanged)",
            plural(l.already.len(), "coding", "codings"),
            l.cmo
        ));
    }
    out.line(&parts.join("; "))?;
    out.flush()
}
