//! `realist cmo list`: every configuration with the spread of its evidence.

use realist::record::Record;

use super::super::Global;
use super::super::output::{BOLD, DIM, Out, plural};

/// List the configurations with how much evidence each rests on.
///
/// For each configuration: its status and pathway, the quotes linked as
/// supporting, refuting and refining it, and how widely they are spread:
/// from how many documents and sites, and which kinds of speaker. A
/// configuration resting on one interview is flagged.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist cmo list\n  realist cmo list --pathway 'Working relationships'\n  realist cmo list --json | jq 'select(.documents < 2) | .id'"
)]
pub struct ListArgs {
    /// Only configurations of this pathway.
    #[arg(long, value_name = "NAME")]
    pathway: Option<String>,

    /// Print JSON Lines: one "type":"cmo" object per configuration (id, title, pathway, status, supports, refutes, refines, documents, sites, site_names, roles, missing).
    #[arg(long)]
    json: bool,
}

/// Runs `realist cmo list`.
pub fn run(args: &ListArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let summaries = ws.configurations(args.pathway.as_deref())?;
    if args.json {
        for s in &summaries {
            out.line(&Record::Cmo(s).to_json())?;
        }
        return out.flush();
    }
    let id_w = summaries.iter().map(|s| s.id.len()).max().unwrap_or(3);
    let st_w = summaries
        .iter()
        .map(|s| s.status.name().len())
        .max()
        .unwrap_or(6);
    for s in &summaries {
        out.line(&format!(
            "{}  {:<st_w$}  {}",
            out.paint(BOLD, &format!("{:<id_w$}", s.id)),
            s.status.name(),
            s.title
        ))?;
        let total = s.supports + s.refutes + s.refines;
        let spread = if total == 0 {
            "no evidence yet".to_string()
        } else {
            let mut t = format!(
                "{} supporting, {} refuting, {} refining, from {}",
                s.supports,
                s.refutes,
                s.refines,
                plural(s.documents, "document", "documents"),
            );
            if s.sites > 0 {
                t.push_str(&format!(
                    " at {} ({})",
                    plural(s.sites, "site", "sites"),
                    s.site_names.join(", ")
                ));
            }
            if !s.roles.is_empty() {
                t.push_str(&format!("; speakers: {}", s.roles.join(", ")));
            }
            if s.documents == 1 {
                t.push_str(" — rests on one document");
            }
            t
        };
        let missing = if s.missing > 0 {
            format!(
                "; {} to codings that no longer exist",
                plural(s.missing, "link", "links")
            )
        } else {
            String::new()
        };
        out.line(&format!(
            "{:id_w$}  {}",
            "",
            out.paint(DIM, &format!("{}: {spread}{missing}", s.pathway))
        ))?;
    }
    out.flush()
}
