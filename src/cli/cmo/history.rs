//! `realist cmo history`: the audit trail of a configuration's evidence.

use realist::logic_model::LogicModel;
use realist::logic_model::links::{Event, Links};
use realist::record::Record;

use super::super::Global;
use super::super::output::{DIM, Out};
use realist::text::preview;

/// Show who linked and unlinked which quotes to a configuration, when and why.
///
/// Every event of links.jsonl that concerns the configuration, oldest
/// first: links (with stance, part, the quote as it was, and the note) and
/// removals. This is the record of how the programme theory was refined.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  realist cmo history CMO-2\n  realist cmo history 6 --json")]
pub struct HistoryArgs {
    /// The configuration (CMO-3, or 3); it may be one removed from the logic model.
    #[arg(value_name = "CMO-ID")]
    cmo: String,

    /// Print JSON Lines: one "type":"link_event" object per event, as stored.
    #[arg(long)]
    json: bool,
}

/// Runs `realist cmo history`.
pub fn run(args: &HistoryArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let project = global.project()?;
    let model = LogicModel::load_lenient(&project)?;
    let links = Links::load(&project)?;
    let (id, events) = links.history_of(&model, &args.cmo)?;
    if args.json {
        for e in &events {
            out.line(&Record::LinkEvent(e).to_json())?;
        }
        return out.flush();
    }
    if events.is_empty() {
        out.line(&format!("{id} has no evidence links yet"))?;
        return out.flush();
    }
    for e in events {
        match e {
            Event::Link(l) => {
                let part = l
                    .part
                    .map(|p| format!(" (the {})", p.name()))
                    .unwrap_or_default();
                out.line(&format!(
                    "{}  {}  linked {} ({}, {} in {}) as {}{part}",
                    out.paint(DIM, &l.at),
                    l.by,
                    l.coding,
                    l.coder,
                    l.code,
                    l.doc,
                    match l.stance.name() {
                        "supports" => "supporting",
                        "refutes" => "refuting",
                        _ => "refining",
                    }
                ))?;
                out.line(&format!("    “{}”", preview(&l.quote, 120)))?;
                if let Some(n) = &l.note {
                    out.line(&format!("    {}", out.paint(DIM, &format!("note: {n}"))))?;
                }
            }
            Event::Unlink(u) => {
                out.line(&format!(
                    "{}  {}  unlinked {}",
                    out.paint(DIM, &u.at),
                    u.by,
                    u.coding
                ))?;
                if let Some(n) = &u.note {
                    out.line(&format!("    {}", out.paint(DIM, &format!("note: {n}"))))?;
                }
            }
        }
    }
    out.flush()
}
