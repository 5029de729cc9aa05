//! `realist cmo show`: a configuration and its quotes with attribution.

use realist::evidence::{self, Quote};
use realist::logic_model::links::Stance;
use realist::record::Record;

use super::super::Global;
use super::super::output::{BOLD, DIM, Out, plural};
use realist::text::preview;

/// Show a configuration's statements and the quotes linked to it.
///
/// The context, mechanism and outcome as logic-model.md states them, then
/// the quotes that support, refute and refine it, each with its
/// attribution (role, method, site), place (document and turn), coding id
/// and coder, and who linked it and why.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist cmo show CMO-2\n  realist cmo show 2 --json | jq -r 'select(.type == \"evidence\") | .text'"
)]
pub struct ShowArgs {
    /// The configuration (CMO-3, or 3).
    #[arg(value_name = "CMO-ID")]
    cmo: String,

    /// Print JSON Lines: one "type":"configuration" object, then one "type":"evidence" object per linked quote.
    #[arg(long)]
    json: bool,
}

/// Runs `realist cmo show`.
pub fn run(args: &ShowArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let (c, quotes) = ws.configuration(&args.cmo)?;
    let c = &c;
    if args.json {
        out.line(&Record::Configuration(c).to_json())?;
        for q in &quotes {
            out.line(&Record::Evidence(q).to_json())?;
        }
        return out.flush();
    }
    let title = if c.title.is_empty() {
        c.id.clone()
    } else {
        format!("{}: {}", c.id, c.title)
    };
    out.line(&out.paint(BOLD, &title))?;
    out.line(&out.paint(
        DIM,
        &format!("pathway: {} · status: {}", c.pathway, c.status.name()),
    ))?;
    for (label, text) in c.statements() {
        out.line(&format!("{label}: {text}"))?;
    }
    if !c.keywords.is_empty() {
        out.line(&out.paint(DIM, &format!("Keywords: {}", c.keywords.join(", "))))?;
    }
    for stance in Stance::ALL {
        let these: Vec<&Quote> = quotes.iter().filter(|q| q.stance == stance).collect();
        let heading = match stance {
            Stance::Supports => "Supporting",
            Stance::Refutes => "Refuting",
            Stance::Refines => "Refining",
        };
        out.line("")?;
        out.line(&out.paint(BOLD, &format!("{heading} ({})", these.len())))?;
        for q in these {
            quote(out, q)?;
        }
    }
    let summary = evidence::summary(c, &quotes);
    out.line("")?;
    out.line(&out.paint(
        DIM,
        &format!(
            "{} from {} and {}",
            plural(quotes.len() - summary.missing, "quote", "quotes"),
            plural(summary.documents, "document", "documents"),
            plural(summary.sites, "site", "sites")
        ),
    ))?;
    out.flush()
}

fn quote(out: &Out, q: &Quote) -> realist::Result<()> {
    let place = match q.turn {
        Some(t) => format!("{} turn {t}", q.doc),
        None => q.doc.clone(),
    };
    let attribution = realist::quotes::attribution_of(&q.who, q.method.as_deref(), &q.sites);
    let who = if attribution.is_empty() {
        String::new()
    } else {
        format!(" ({attribution})")
    };
    out.line(&format!("  “{}”{who}", preview(&q.text, 400)))?;
    let mut meta = format!("{place} · {} by {} · {}", q.coding, q.coder, q.code);
    if let Some(p) = q.part {
        meta.push_str(&format!(" · about the {}", p.name()));
    }
    meta.push_str(&format!(
        " · linked by {} {}",
        q.by,
        q.at.get(..10).unwrap_or(&q.at)
    ));
    if q.missing {
        meta.push_str(" · the coding no longer exists: this is the quote as linked");
    }
    out.line(&format!("    {}", out.paint(DIM, &meta)))?;
    if let Some(n) = &q.note {
        out.line(&format!("    {}", out.paint(DIM, &format!("note: {n}"))))?;
    }
    if let Some(m) = &q.memo {
        out.line(&format!("    {}", out.paint(DIM, &format!("memo: {m}"))))?;
    }
    Ok(())
}
