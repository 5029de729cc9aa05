//! `realist codebook`, `realist codebook check` and `realist show --coder`.

use crate::workdir::Workdir;

#[test]
fn codebook_shows_the_tree_with_definitions_and_counts_per_coder() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2", "fg-one:4"]);
    wd.code_add("ben", "Speed", &["fg-one:2"]);
    wd.code_add("ben", "Reliance on the worker", &["int-two:2"]);
    let out = wd.run(&["codebook"]);
    let text = out.ok();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Test codebook");
    assert!(
        lines[1].trim_start().starts_with("ana    ben  total"),
        "{}",
        lines[1]
    );
    let row = |name: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(name))
            .unwrap()
            .split_whitespace()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("Speed"), vec!["3", "1", "2"]);
    assert_eq!(row("  Reliance on the worker"), vec!["1", "1", "0"]);
    assert!(text.contains("    How quickly a need is met once it is known."));
    assert!(!text.contains("Include:"));
    let full = wd.run(&["codebook", "--full"]).ok().to_string();
    assert!(
        full.contains("Include: same-day purchases")
            && full.contains("Keywords: \"straight away\" OR quick*"),
        "{full}"
    );

    let json = wd.run(&["codebook", "--json"]).json_lines();
    assert_eq!(json.len(), 5);
    let speed = &json[0];
    assert_eq!(speed["type"], "code");
    assert_eq!(speed["path"], "Speed");
    assert_eq!(speed["applied"]["ana"], 2);
    assert_eq!(speed["total"], 3);
    assert_eq!(speed["include"][0], "same-day purchases");
    let child = json
        .iter()
        .find(|c| c["path"] == "Dependency/Reliance on the worker")
        .unwrap();
    assert_eq!(
        (child["depth"].as_u64(), child["parent"].as_str()),
        (Some(1), Some("Dependency"))
    );
    let only_ben = wd
        .run(&["codebook", "--coder", "ben", "--json"])
        .json_lines();
    assert!(only_ben[0]["applied"].get("ana").is_none());
}

#[test]
fn codebook_check_reports_every_kind_of_problem() {
    let wd = Workdir::new("basic");
    let out = wd.run(&["codebook", "check"]);
    assert!(
        out.ok().contains("5 codes checked: 0 problems, 5 notes"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("note: codebooks/themes.md:3: code 'Speed' has not been used yet")
    );

    wd.code_add("ana", "Speed", &["fg-one:2"]);
    wd.write(
        "codebooks/zz-more.md",
        "## Speed\nDefined twice.\n\n## Quick wins\n\n## Sign-off\nAn approval.\n\nKeywords: `\"unclosed phrase`\n\n## Fairness\nWho gets what.\n\nKeywords: `colour:red`\n",
    );
    // A code used in codings that the codebook does not have.
    let file = wd
        .read("codings/ana.jsonl")
        .replace("\"code\":\"Speed\"", "\"code\":\"Sped\"");
    wd.write("codings/ana.jsonl", file);
    let out = wd.run(&["codebook", "check"]);
    // A missing definition is a note (code systems from other tools often
    // have none), not one of the problems.
    out.fails_with(&["the codebook check found 4 problems"]);
    let stdout = &out.stdout;
    for expected in [
        "error: codebooks/zz-more.md:1: code 'Speed' is defined twice (first at codebooks/themes.md:3)",
        "note: codebooks/zz-more.md:4: code 'Quick wins' has no definition",
        "error: codebooks/zz-more.md:6: keywords of 'Sign-off' do not work as a search: query does not parse at column",
        "error: codebooks/zz-more.md:11: keywords of 'Fairness' do not work as a search:",
        "error: code 'Sped' is used by ana (1 coding) but is not in the codebook; rename it in the codebook or the coder files (nearest code: 'Speed')",
        "note: codebooks/themes.md:3: code 'Speed' has not been used yet",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let json = wd.run(&["codebook", "check", "--json"]);
    assert_eq!(json.code, 1);
    let kinds: Vec<String> = json
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for k in [
        "duplicate",
        "definition",
        "keywords",
        "missing_code",
        "unused",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k}: {kinds:?}");
    }
    // The missing code is listed by `codebook` too.
    let tree = wd.run(&["codebook"]).ok().to_string();
    assert!(
        tree.contains("Used in codings but not in the codebook") && tree.contains("Sped"),
        "{tree}"
    );
}

#[test]
fn show_marks_coded_spans_with_their_codes_and_coders() {
    let wd = Workdir::new("basic");
    let quote = "we bought it straight away";
    wd.run(&[
        "code", "add", "--coder", "ana", "--code", "Speed", "--doc", "fg-one", "--quote", quote,
        "--memo", "fast",
    ])
    .ok();
    wd.run(&[
        "code", "add", "--coder", "ben", "--code", "Speed", "--doc", "fg-one", "--quote", quote,
    ])
    .ok();
    wd.code_add("ben", "Trust", &["fg-one:2"]);
    let out = wd.run(&["show", "fg-one", "--coder", "ana,ben"]);
    let text = out.ok();
    assert!(
        text.contains("3 codings by ana, ben marked ⟦n› … ‹n⟧"),
        "{text}"
    );
    assert!(text.contains("⟦1›Honestly? Speed. Zoë’s mum needed a cooker and ⟦2›we bought it straight away‹2⟧ — same afternoon."), "{text}");
    assert!(text.contains("that was trust, starting.‹1⟧"), "{text}");
    assert!(text.contains("      1 Trust (ben)"), "{text}");
    assert!(text.contains("      2 Speed (ana: fast; ben)"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when piped");
    wd.fails_with(
        &["show", "fg-one", "--coder", "nobody"],
        &["no codings by coder 'nobody'"],
    );
}

#[test]
fn a_slash_in_a_code_name_follows_one_rule_everywhere() {
    let wd = Workdir::new("basic");
    // Imported code systems name codes with slashes: such a name is a name.
    wd.write(
        "codebooks/zz-imported.md",
        "## PDP/ICE\nPersonal development plans and initial child protection conferences.\n\n### Reviews\n\n",
    );
    let out = wd.run(&["codebook", "check"]);
    let report = out.ok();
    assert!(!report.contains("error:"), "{report}");
    assert!(
        report
            .contains("note: codebooks/zz-imported.md:4: code 'PDP/ICE/Reviews' has no definition"),
        "{report}"
    );
    wd.code_add("ana", "PDP/ICE", &["fg-one:2"]);
    wd.code_add("ana", "Reviews", &["fg-one:3"]);
    let rows = wd
        .run(&["codings", "--code", "PDP/ICE", "--json"])
        .json_lines();
    let codes: Vec<&str> = rows
        .iter()
        .filter(|r| r["type"] == "coding")
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PDP/ICE", "PDP/ICE/Reviews"]);

    // Beside a code PDP, the name reads as a child of PDP, which it is not:
    // the check fails, naming both.
    wd.write("codebooks/zz-more.md", "## PDP\nPlans on their own.\n");
    let out = wd.run(&["codebook", "check"]);
    out.fails_with(&["the codebook check found 1 problem"]);
    assert!(
        out.stdout.contains(
            "error: codebooks/zz-imported.md:1: code 'PDP/ICE' reads as a child of 'PDP' (codebooks/zz-more.md:1), which it is not under"
        ),
        "{}",
        out.stdout
    );
}
