//! "Did you mean …?": near matches for mistyped names.

/// Returns the optimal string alignment distance between `a` and `b`, in
/// characters: insertions, deletions, substitutions and swaps of neighbours
/// each cost 1 (the distance tantivy's fuzzy queries use with
/// transpositions on).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// Returns up to three candidates near `target`, nearest first: those within
/// a third of the target's length in edits, or that contain it.
pub fn nearest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = target.to_lowercase();
    let limit = (target.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = edit_distance(&lower, &c.to_lowercase());
            (d <= limit || c.to_lowercase().contains(&lower)).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Returns " (did you mean 'a'?)", " (did you mean 'a', 'b'?)", or
/// nothing when there are no suggestions: the one way realist offers them.
pub fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean '{one}'?)"),
        many => format!(
            " (did you mean {}?)",
            many.iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("budget", "budegt"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Zoë", "Zoe"), 1);
    }

    #[test]
    fn suggestions() {
        let ids = ["nb-fg-sw-01", "nb-fg-sw-02", "ac-int-tm-01"];
        assert_eq!(
            nearest("nb-fg-sw-1", ids),
            vec!["nb-fg-sw-01", "nb-fg-sw-02"]
        );
        assert!(nearest("zzz", ids).is_empty());
    }
}
