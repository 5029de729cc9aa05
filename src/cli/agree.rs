//! `realist agree`: agreement between coders, per code and overall.

use realist::agreement::compare::{Agreement, Figures};

use super::Global;
use super::flags::CompareFlags;
use super::output::{BOLD, DIM, Out};
use super::print;

/// Agreement between coders, per code and overall.
///
/// Compares the coders on the documents every one of them coded (the others
/// are listed) and reports, per code and for the chosen unit: the units, how
/// many each coder coded, how many all and none coded, percent agreement
/// (units on which all coders agree), Cohen's kappa (two coders), Fleiss'
/// kappa, Krippendorff's alpha (nominal), and Krippendorff's binary u-alpha
/// on the character continuum of all compared documents laid end to end in
/// id order (ATLAS.ti's "alpha binary"); over all codes, the cu-alpha.
///
/// A unit counts as coded with code X by coder A when any of A's X codings
/// overlaps it by at least one code point. Units: turn = a speaker turn (one
/// or more paragraphs); paragraph = each block of the canonical text between
/// blank lines; sentence = sentences within paragraphs; char = every code
/// point of the canonical text, separators included.
///
/// Overall: "pooled" treats every (unit, code) pair as one decision; "mean"
/// averages the per-code coefficients that are defined; "sets" is
/// Krippendorff's alpha with each unit's set of codes as one value. Uncoded
/// text makes agreement look high: --coded-only counts only units at least
/// one coder coded with at least one of the compared codes (the same units
/// for every code, so each code keeps units neither coder gave it and its
/// kappa stays meaningful). A coefficient that cannot be computed is shown as "-"
/// (null in JSON) with the reason. Codings whose anchors are stale must be
/// re-anchored with `realist check` first.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist agree --coders ana,ben\n  realist agree --coders ana,ben,chloe --unit sentence --coded-only\n  realist agree --coders ana,ben --codes Speed,Trust --where site=Northbrook --json"
)]
pub struct AgreeArgs {
    #[command(flatten)]
    compare: CompareFlags,

    /// Count only units at least one coder coded with any compared code, so uncoded text cannot inflate agreement.
    #[arg(long)]
    coded_only: bool,

    /// Print one JSON object with unit, coders, documents, left_out, codes (code → figures), cu_alpha and overall.
    #[arg(long)]
    json: bool,
}

/// Runs `realist agree`.
pub fn run(args: &AgreeArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let a = ws.agree(&args.compare.comparison(), args.coded_only)?;
    print::warn_left_out(out, &a.left_out);
    if args.json {
        // Plain structs of numbers and strings always serialize.
        out.line(&serde_json::to_string(&a).unwrap_or_default())?;
        return out.flush();
    }
    print_table(out, &a)
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.3}"))
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn print_table(out: &Out, a: &Agreement) -> realist::Result<()> {
    let unit = a.unit.name();
    out.line(&out.paint(
        BOLD,
        &format!(
            "Agreement between {} by {unit}{}, on {} document{}",
            a.coders.join(", "),
            if a.coded_only {
                " (coded units only)"
            } else {
                ""
            },
            a.documents.len(),
            if a.documents.len() == 1 { "" } else { "s" }
        ),
    ))?;
    let labels = labels(a.codes.keys().map(String::as_str));
    let name_w = labels
        .iter()
        .map(|k| k.chars().count())
        .chain([18])
        .max()
        .unwrap_or(18)
        .min(60);
    let mut header = format!("{:name_w$}  {:>7}", "code", "units");
    for c in &a.coders {
        header.push_str(&format!("  {:>6}", short(c, 6)));
    }
    header.push_str(&format!(
        "  {:>6}  {:>7}  {:>7}  {:>7}  {:>8}  {:>8}  {:>8}",
        "all", "none", "agree", "cohen κ", "fleiss κ", "kripp α", "α-binary"
    ));
    out.line(&out.paint(DIM, &header))?;
    let row = |name: &str, f: &Figures| {
        let mut line = format!("{:name_w$}  {:>7}", short(name, name_w), f.units);
        for c in &a.coders {
            line.push_str(&format!("  {:>6}", f.coded_by.get(c).copied().unwrap_or(0)));
        }
        line.push_str(&format!(
            "  {:>6}  {:>7}  {:>7}  {:>7}  {:>8}  {:>8}  {:>8}",
            f.by_all,
            f.by_none,
            pct(f.percent_agreement),
            fmt(f.cohen_kappa),
            fmt(f.fleiss_kappa),
            fmt(f.krippendorff_alpha),
            fmt(f.alpha_binary)
        ));
        line
    };
    for (label, f) in labels.iter().zip(a.codes.values()) {
        out.line(&row(label, f))?;
    }
    out.line(&row("all codes, pooled", &a.overall.pooled))?;
    let mean = |k: &str| a.overall.mean.get(k).copied().flatten();
    out.line(&format!(
        "{:name_w$}  {:>7}{}  {:>6}  {:>7}  {:>7}  {:>7}  {:>8}  {:>8}  {:>8}",
        "mean of codes",
        "",
        "        ".repeat(a.coders.len()),
        "",
        "",
        pct(mean("percent_agreement")),
        fmt(mean("cohen_kappa")),
        fmt(mean("fleiss_kappa")),
        fmt(mean("krippendorff_alpha")),
        fmt(mean("alpha_binary"))
    ))?;
    out.line("")?;
    out.line(&format!(
        "Krippendorff's alpha, each {unit}'s set of codes as one value: {}",
        fmt(a.overall.sets_alpha)
    ))?;
    let coverage = a
        .cu_alpha_coverage
        .map_or(String::new(), |c| format!(" (coverage {:.1}%)", c * 100.0));
    out.line(&format!(
        "cu-alpha, all codes, on the character continuum: {}{coverage}",
        fmt(a.cu_alpha)
    ))?;
    // Why some figures are missing.
    let mut notes = Vec::new();
    for (code, f) in a
        .codes
        .iter()
        .chain([(&"all codes, pooled".to_string(), &a.overall.pooled)])
    {
        for (coef, reason) in &f.undefined {
            notes.push(format!("{code}: {coef} undefined: {reason}"));
        }
    }
    if let Some(r) = &a.overall.sets_alpha_undefined {
        notes.push(format!("sets alpha undefined: {r}"));
    }
    if let Some(r) = &a.cu_alpha_undefined {
        notes.push(format!("cu-alpha undefined: {r}"));
    }
    if !notes.is_empty() {
        out.line("")?;
        for n in notes {
            out.line(&out.paint(DIM, &n))?;
        }
    }
    out.flush()
}

/// Returns each code's label in the table: a child listed after its parent
/// is shown by its name, indented under it; any other code by its path.
fn labels<'a>(codes: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for code in codes {
        let label = match code.rsplit_once('/') {
            Some((parent, name)) if seen.contains(&parent) => {
                format!("{}{name}", "  ".repeat(code.matches('/').count()))
            }
            _ => code.to_string(),
        };
        seen.push(code);
        out.push(label);
    }
    out
}

/// Returns `s` cut to `w` characters with an ellipsis.
fn short(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let cut: String = s.chars().take(w.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
