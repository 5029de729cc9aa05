//! `realist search`: every occurrence, offsets, filters and output formats.

use serde_json::Value;

use crate::workdir::{Workdir, cp_slice};

/// Runs a search with `--json` and returns (hits, summary).
fn search(wd: &Workdir, args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let mut lines = wd.run(&all).json_lines();
    let summary = lines.pop().expect("a summary line");
    assert_eq!(summary["type"], "summary");
    for h in &lines {
        assert_eq!(h["type"], "hit");
    }
    (lines, summary)
}

fn matches(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["match"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn r2_the_readme_search_finds_every_occurrence_in_order() {
    let wd = Workdir::new("basic");
    let (hits, summary) = search(
        &wd,
        &["\"straight away\" OR quickly", "--where", "site=Northbrook"],
    );
    assert_eq!(
        matches(&hits),
        vec!["straight away", "quickly", "Straight-away"]
    );
    assert_eq!(summary["hits"], 3);
    assert_eq!(summary["turns"], 2);
    assert_eq!(summary["documents"], 1);
    assert_eq!(summary["truncated"], false);
    // Without the filter the Ashcombe interview joins, after fg-one (id order).
    let (hits, summary) = search(&wd, &["\"straight away\" OR quickly"]);
    assert_eq!(summary["documents"], 2);
    let docs: Vec<&str> = hits.iter().map(|h| h["doc"].as_str().unwrap()).collect();
    assert_eq!(
        docs,
        vec![
            "fg-one", "fg-one", "fg-one", "int-two", "int-two", "int-two"
        ]
    );
    // Stemmed: "quickly" also finds "quick".
    assert_eq!(
        matches(&hits[3..]),
        vec!["quick", "straight away", "quickly"]
    );
    let mut last = (String::new(), 0);
    for h in &hits {
        let key = (
            h["doc"].as_str().unwrap().to_string(),
            h["start"].as_u64().unwrap(),
        );
        assert!(key > last, "hits out of order: {key:?} after {last:?}");
        last = key;
    }
}

#[test]
fn offsets_are_code_points_into_the_canonical_text() {
    let wd = Workdir::new("basic");
    let plain = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    let (hits, _) = search(&wd, &["trust OR budget OR worries"]);
    assert!(hits.len() >= 4);
    for h in &hits {
        let (start, end) = (
            h["start"].as_u64().unwrap() as usize,
            h["end"].as_u64().unwrap() as usize,
        );
        if h["doc"] == "fg-one" {
            assert_eq!(
                cp_slice(&plain, start, end),
                h["match"].as_str().unwrap(),
                "{h}"
            );
        }
    }
    // "trust" comes after an emoji (one code point, four bytes) in fg-one.
    let trust = hits.iter().find(|h| h["match"] == "trust").unwrap();
    let start = trust["start"].as_u64().unwrap() as usize;
    assert_eq!(
        plain.chars().position(|c| c == '👍').map(|p| p < start),
        Some(true)
    );
    let plain2 = wd.run(&["show", "int-two", "--plain"]).ok().to_string();
    for h in hits.iter().filter(|h| h["doc"] == "int-two") {
        let (start, end) = (
            h["start"].as_u64().unwrap() as usize,
            h["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(cp_slice(&plain2, start, end), h["match"].as_str().unwrap());
    }
}

#[test]
fn stemming_and_exact() {
    let wd = Workdir::new("basic");
    let (hits, _) = search(&wd, &["budget", "--where", "doc=fg-one"]);
    assert_eq!(matches(&hits), vec!["budget", "budgeting", "Budgets"]);
    let (hits, _) = search(&wd, &["budget", "--exact", "--where", "doc=fg-one"]);
    assert_eq!(matches(&hits), vec!["budget"]);
    let (hits, _) = search(&wd, &["exact:budgets"]);
    assert_eq!(matches(&hits), vec!["Budgets"]);
}

#[test]
fn prefix_fuzzy_not_and_fields() {
    let wd = Workdir::new("basic");
    let (hits, _) = search(&wd, &["budg*", "--where", "doc=fg-one"]);
    assert_eq!(matches(&hits), vec!["budget", "budgeting", "Budgets"]);
    let (hits, _) = search(&wd, &["budgit~"]);
    assert_eq!(matches(&hits), vec!["budget", "budget", "Budget", "budget"]);
    let (hits, _) = search(&wd, &["trust NOT police"]);
    assert_eq!(hits.len(), 2, "the turn mentioning police is excluded");
    let (hits, _) = search(&wd, &["trust -police"]);
    assert_eq!(hits.len(), 2);
    let (hits, _) = search(&wd, &["trust speaker:YP"]);
    assert_eq!(hits.len(), 1);
    let (hits, _) = search(&wd, &["trust role:\"young person\""]);
    assert_eq!(hits.len(), 1);
    let (hits, _) = search(&wd, &["budget site:Ashcombe"]);
    assert!(hits.iter().all(|h| h["doc"] == "int-two") && hits.len() == 3);
    let (hits, _) = search(&wd, &["budget doc:int-*"]);
    assert_eq!(hits.len(), 3);
    let (hits, _) = search(&wd, &["(speed OR trust) AND family"]);
    assert_eq!(matches(&hits), vec!["Speed", "family", "trust"]);
    let (hits, _) = search(&wd, &["\"straight away\"~1", "--where", "doc=fg-one"]);
    assert_eq!(
        matches(&hits),
        vec!["straight away", "Straight-away", "straight then away"]
    );
}

#[test]
fn speaker_filter_takes_labels_and_roles_with_wildcards() {
    let wd = Workdir::new("basic");
    let (hits, _) = search(&wd, &["budget OR quickly", "--speaker", "sw*"]);
    assert!(hits.iter().all(|h| h["speaker"] == "SW2"));
    assert_eq!(matches(&hits), vec!["budgeting", "Budgets"]);
    let (hits, _) = search(&wd, &["quickly", "--speaker", "team manager"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["speaker"], "TM");
    assert_eq!(hits[0]["role"], "team manager");
}

#[test]
fn where_filters_combine_and_accept_alternatives() {
    let wd = Workdir::new("basic");
    let (hits, _) = search(
        &wd,
        &[
            "trust",
            "--where",
            "site=northbrook,ashcombe",
            "--where",
            "method=interview",
        ],
    );
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["doc"] == "int-two"));
    let (hits, _) = search(&wd, &["trust", "--where", "roles=team manager"]);
    assert_eq!(hits.len(), 1);
    wd.fails_with(
        &["search", "trust", "--where", "sight=Northbrook"],
        &["no document has the attribute 'sight'", "site"],
    );
    let out = wd.run(&["search", "trust", "--where", "Northbrook"]);
    assert_eq!(out.code, 2, "a malformed flag is a usage error");
    assert!(
        out.stderr
            .contains("'Northbrook' is not KEY=VALUE (for example site=Northbrook"),
        "{}",
        out.stderr
    );
}

#[test]
fn context_and_limit() {
    let wd = Workdir::new("basic");
    let (hits, _) = search(&wd, &["cooker", "--context", "2"]);
    assert_eq!(hits[0]["left"], "needed a");
    assert_eq!(hits[0]["right"], "and we");
    let (hits, _) = search(&wd, &["cooker", "--context", "0"]);
    assert_eq!(hits[0]["left"], "");
    let (hits, summary) = search(&wd, &["budget", "--limit", "2"]);
    assert_eq!(hits.len(), 2);
    assert_eq!(summary["truncated"], true);
    let out = wd.run(&["search", "budget", "--limit", "2"]);
    assert!(out.ok().contains("(stopped at --limit 2)"));
    // The totals count what was printed: each hit in a turn of its own,
    // the turns and documents are the hits' own, not one more.
    let (all, _) = search(&wd, &["budget*"]);
    let turns_of = |hits: &[serde_json::Value]| {
        let mut t: Vec<(String, u64)> = hits
            .iter()
            .map(|h| {
                (
                    h["doc"].as_str().unwrap().to_string(),
                    h["turn"].as_u64().unwrap(),
                )
            })
            .collect();
        t.dedup();
        t.len()
    };
    assert!(
        turns_of(&all) > 2,
        "the fixture has budget* in several turns"
    );
    for limit in 1..all.len() {
        let (hits, summary) = search(&wd, &["budget*", "--limit", &limit.to_string()]);
        assert_eq!(hits.len(), limit);
        assert_eq!(
            summary["turns"].as_u64(),
            Some(turns_of(&hits) as u64),
            "limit {limit}"
        );
    }
}

#[test]
fn human_output_is_keyword_in_context_without_colour_when_piped() {
    let wd = Workdir::new("basic");
    let out = wd.run(&["search", "cooker", "--context", "3"]);
    let stdout = out.ok();
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with("fg-one:2"), "{first}");
    assert!(first.contains("SW1"), "{first}");
    assert!(
        first.contains("mum needed a  cooker  and we bought"),
        "{first}"
    );
    assert!(!stdout.contains('\x1b'), "no colour when piped");
    assert!(stdout.contains("1 hit in 1 turn across 1 document"));
    let coloured = wd.run(&["--color", "always", "search", "cooker"]);
    assert!(coloured.ok().contains("\x1b[1;31mcooker\x1b[0m"));
}

#[test]
fn queries_that_do_not_parse_show_where() {
    let wd = Workdir::new("basic");
    for (args, expected) in [
        // An unclosed phrase: the column, and the query with a caret under it.
        (
            &["search", "speed \"straight away"][..],
            &[
                "query does not parse at column 7: this `\"` is never closed",
                "    speed \"straight away\n          ^",
            ][..],
        ),
        // An operator with nothing after it.
        (
            &["search", "(speed OR"],
            &["column 10: `OR` needs a term after it"],
        ),
        // A field no document has.
        (
            &["search", "sight:Northbrook trust"],
            &["unknown field 'sight'"],
        ),
        // Queries that leave nothing to search for.
        (
            &["search", "NOT trust"],
            &["NOT needs something to exclude from"],
        ),
        (&["search", "site:Northbrook"], &["no words to search for"]),
        (&["search", "—"], &["has no letters or digits"]),
    ] {
        wd.fails_with(args, expected);
    }
}

#[test]
fn no_hits_is_success_with_a_zero_summary() {
    let wd = Workdir::new("basic");
    let (hits, summary) = search(&wd, &["xylophone"]);
    assert!(hits.is_empty());
    assert_eq!(summary["hits"], 0);
}

#[test]
fn color_never_and_no_color_mean_plain_text() {
    let wd = Workdir::new("basic");
    let out = wd.run(&["--color", "never", "search", "cooker"]);
    assert!(!out.ok().contains('\x1b'));
    let mut cmd = wd.command(&["search", "cooker"]);
    cmd.env("NO_COLOR", "1");
    assert!(!crate::workdir::run(cmd).ok().contains('\x1b'));
}
