//! `realist codebook`: the code tree with definitions and use; `codebook check`.

use realist::record::{CodeOrPath, CodeUse, Record};

use super::Global;
use super::output::{BOLD, DIM, Out, plural};
use super::print;

/// Show the codebook: codes, definitions and how often each coder applied them.
///
/// The codebook is every codebooks/*.md file: a heading per code (deeper
/// headings are child codes, Parent/Child), its definition paragraph, and
/// optional lists labelled Include:, Exclude:, Example: and Keywords: (a
/// search query that finds candidate passages; `realist code hits --code
/// CODE` uses it). Counts are codings with exactly that code. Codes used in
/// codings but missing from the codebook are listed at the end.
///
/// `realist codebook check` reports duplicate names, codes without a
/// definition, Keywords that are not a valid query, codes used in codings
/// but missing from the codebook (these fail the check), and codes nobody has
/// used yet (a note).
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  realist codebook\n  realist codebook --full --coder ana,ben\n  realist codebook --json | jq -r 'select(.total == 0) | .path'\n  realist codebook check"
)]
pub struct CodebookArgs {
    #[command(subcommand)]
    action: Option<Action>,

    /// Also show each code's Include, Exclude, Example and Keywords.
    #[arg(long)]
    full: bool,

    /// Count only these coders (NAME[,NAME…]); default: every coder.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    coder: Vec<String>,

    /// Print JSON Lines: one "type":"code" object per code, with "applied" (coder → count) and "total".
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Check the codebook and its use (exits 1 if it finds a problem).
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Print JSON Lines: one "type":"problem" object per finding ("error": false for notes).
    #[arg(long)]
    json: bool,
}

/// Runs `realist codebook`.
pub fn run(args: &CodebookArgs, global: &Global, out: &Out) -> realist::Result<()> {
    if let Some(Action::Check(check)) = &args.action {
        return run_check(check, global, out);
    }
    let ws = global.workspace(out, args.json)?;
    let book = ws.codebook()?;
    let files = ws.coder_files(&args.coder)?;
    print::warn_stale(out, &ws.stale(&files)?);
    let rows = ws.code_table(&files)?;
    if args.json {
        for r in &rows {
            out.line(&Record::Code(r).to_json())?;
        }
        return out.flush();
    }
    let coders: Vec<&str> = files.iter().map(|f| f.coder.as_str()).collect();
    print_tree(out, &book, &rows, &coders, args.full)?;
    print::progress(out, &ws.progress(&files))?;
    out.flush()
}

fn print_tree(
    out: &Out,
    book: &realist::Codebook,
    rows: &[CodeUse],
    coders: &[&str],
    full: bool,
) -> realist::Result<()> {
    for t in &book.titles {
        out.line(&out.paint(BOLD, t))?;
    }
    if book.codes.is_empty() {
        out.line(
            "no codes yet: write them as headings in codebooks/*.md (see `realist help codebook`)",
        )?;
    }
    let name_w = rows
        .iter()
        .map(|r| r.depth * 2 + name(r).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(20, 50);
    let col_w = |c: &str| c.chars().count().max(5);
    let mut header = format!("{:name_w$}", "");
    for c in coders.iter().copied().chain(["total"]) {
        header.push_str(&format!("  {:>w$}", c, w = col_w(c)));
    }
    out.line(&out.paint(DIM, header.trim_end()))?;
    let mut missing_heading = false;
    for r in rows {
        if matches!(r.code, CodeOrPath::Missing { .. }) && !missing_heading {
            missing_heading = true;
            out.line("")?;
            out.line(&out.paint(
                BOLD,
                "Used in codings but not in the codebook (see `realist codebook check`):",
            ))?;
        }
        let indent = "  ".repeat(r.depth);
        let label = format!("{indent}{}", name(r));
        let mut line = format!("{:name_w$}", label);
        for c in coders {
            let n = r.applied.get(*c).copied().unwrap_or(0);
            line.push_str(&format!("  {:>w$}", n, w = col_w(c)));
        }
        line.push_str(&format!("  {:>5}", r.total));
        out.line(&line)?;
        let CodeOrPath::Defined(code) = &r.code else {
            continue;
        };
        let pad = format!("{indent}    ");
        for l in wrap(&code.definition, 76usize.saturating_sub(pad.len()).max(30)) {
            out.line(&out.paint(DIM, &format!("{pad}{l}")))?;
        }
        if full {
            let parts: [(&str, &[String]); 3] = [
                ("Include", &code.include),
                ("Exclude", &code.exclude),
                ("Example", &code.examples),
            ];
            for (label, items) in parts {
                for item in items {
                    out.line(&format!("{pad}{label}: {item}"))?;
                }
            }
            if let Some(k) = &code.keywords {
                out.line(&format!("{pad}Keywords: {k}"))?;
            }
        }
    }
    out.flush()
}

fn name(r: &CodeUse) -> &str {
    match &r.code {
        CodeOrPath::Defined(c) => &c.name,
        CodeOrPath::Missing { path, .. } => path,
    }
}

/// Wraps `text` at word boundaries into lines of at most `width` characters
/// (a longer word gets a line of its own); blank lines between paragraphs stay.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, para) in text.split("\n\n").enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

fn run_check(args: &CheckArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let files = ws.coder_files(&[])?;
    print::warn_stale(out, &ws.stale(&files)?);
    let problems = ws.check_codebook(&files)?;
    let checked = plural(ws.codebook()?.codes.len(), "code", "codes");
    print::problems(out, &problems, args.json, &checked, "codebook")
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_words_and_paragraphs() {
        assert_eq!(
            wrap("one two three four\n\nfive", 9),
            vec!["one two", "three", "four", "", "five"]
        );
        assert_eq!(wrap("unbreakableword x", 5), vec!["unbreakableword", "x"]);
    }
}
