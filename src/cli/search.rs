//! `realist search`: every occurrence of a query, keyword in context.

use super::Global;
use super::output::{DIM, MATCH, Out, plural, safe};

/// Search the transcripts and show every occurrence in context.
///
/// Prints one line per occurrence, in document then text order: document and
/// turn, speaker, the words before, the match (highlighted on a terminal) and
/// the words after; then a summary. Words match in any form (budgets,
/// budgeting → budget) unless --exact.
///
/// Query syntax:
///   speed trust            both words, anywhere in the same turn (AND is implied)
///   speed OR quick*        either; quick* is any word starting with quick
///   "straight away"        a phrase; "spend money"~2 allows two words between
///   budgit~  budgit~2      fuzzy: within one (or two) letters' difference
///   trust NOT police       -police means the same; group with ( )
///   site:Northbrook speaker:SW2 role:"social worker" doc:nb-*   field filters
///   exact:budgets          this word exactly, unstemmed
/// AND, OR and NOT are written in capitals.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  realist search '\"straight away\" OR quickly' --where site=Northbrook\n  realist search 'trust NOT police' --speaker 'SW*' --context 10\n  realist search budget --where method=interview --json | jq -r .match\n  realist search 'depend* OR reliant' --where strand=reunification --limit 20"
)]
pub struct SearchArgs {
    /// What to search for (see the syntax above).
    query: String,

    #[command(flatten)]
    scope: Scope,

    /// Words of context to show on each side of a match.
    #[arg(long, short = 'C', value_name = "N", default_value_t = 8)]
    context: usize,

    /// Stop after N occurrences.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,

    /// Print JSON Lines: one "type":"hit" object per occurrence, then a "type":"summary" object.
    #[arg(long)]
    json: bool,
}

/// Which words match and where: shared by every command that runs a query.
#[derive(Debug, Clone, clap::Args)]
pub struct Scope {
    /// Match words exactly as written (lower-cased, not stemmed).
    #[arg(long)]
    pub exact: bool,

    /// Only documents whose attribute KEY has VALUE (any of VALUE,VALUE…); repeat to require several.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<realist::Filter>,

    /// Only turns whose speaker label or role matches PATTERN (* and ? wildcards, any case): SW*, parent.
    #[arg(long, value_name = "PATTERN")]
    pub speaker: Option<String>,
}

impl Scope {
    /// Returns search options for `query` within this scope.
    pub fn options(&self, query: String) -> realist::SearchOptions {
        realist::SearchOptions {
            query,
            exact: self.exact,
            filters: self.filters.clone(),
            speaker: self.speaker.clone(),
            ..realist::SearchOptions::default()
        }
    }
}

/// Runs `realist search`.
pub fn run(args: &SearchArgs, global: &Global, out: &Out) -> realist::Result<()> {
    let ws = global.workspace(out, args.json)?;
    let index = ws.index();
    let opts = realist::SearchOptions {
        context: args.context,
        limit: args.limit,
        ..args.scope.options(args.query.clone())
    };
    let id_w = index
        .documents()
        .map(|d| safe(&d.id).chars().count())
        .max()
        .unwrap_or(0);
    let left_w = (args.context * 6).clamp(12, 50);
    let mut write_error = None;
    let summary = index.search(&opts, &mut |hit| {
        let line = if args.json {
            realist::Record::Hit(hit).to_json()
        } else {
            kwic(out, hit, id_w, left_w)
        };
        match out.line(&line) {
            Ok(()) => true,
            Err(e) => {
                write_error = Some(e);
                false
            }
        }
    })?;
    if let Some(e) = write_error {
        return Err(e);
    }
    if args.json {
        out.line(&realist::Record::Summary(&summary).to_json())?;
    } else {
        let mut s = format!(
            "{} in {} across {}",
            plural(summary.hits, "hit", "hits"),
            plural(summary.turns, "turn", "turns"),
            plural(summary.documents, "document", "documents")
        );
        if summary.truncated {
            s.push_str(&format!(" (stopped at --limit {})", summary.hits));
        }
        out.line(&out.paint(DIM, &s))?;
    }
    out.flush()
}

/// Formats one keyword-in-context line with the match in a fixed column.
fn kwic(out: &Out, hit: &realist::Hit, id_w: usize, left_w: usize) -> String {
    let place = format!("{}:{}", hit.doc, hit.turn);
    let speaker = safe(hit.speaker.as_deref().unwrap_or("-"));
    let left = fit_left(&safe(&hit.left), left_w);
    format!(
        "{}  {:<12}  {:>left_w$}  {}  {}",
        out.paint(DIM, &format!("{place:<w$}", w = id_w + 5)),
        speaker,
        left,
        out.paint(MATCH, &hit.matched),
        safe(&hit.right)
    )
}

/// Returns the end of `left` that fits in `width` characters, cut at a word
/// boundary and marked with `…` when something was cut.
fn fit_left(left: &str, width: usize) -> String {
    if left.chars().count() <= width {
        return left.to_string();
    }
    let mut kept = Vec::new();
    let mut len = 1; // the ellipsis
    for word in left.split(' ').rev() {
        let add = word.chars().count() + usize::from(!kept.is_empty());
        if len + add > width {
            break;
        }
        len += add;
        kept.push(word);
    }
    kept.reverse();
    format!("…{}", kept.join(" "))
}

#[cfg(test)]
mod tests {
    use super::fit_left;

    #[test]
    fn left_context_is_cut_at_word_boundaries() {
        assert_eq!(fit_left("short", 12), "short");
        assert_eq!(fit_left("one two three four", 12), "…three four");
        assert_eq!(fit_left("unbreakablewordthatislong", 12), "…");
    }
}
