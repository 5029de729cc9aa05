//! `realist agree`.

use crate::workdir::Workdir;

/// ana and ben code Speed on nine turns: both on two, one each on one more,
/// neither on five. By hand: p_o = 7/9, p_e = 5/9, Cohen κ = Fleiss κ =
/// 0.5; Krippendorff α = 1 − 17·4/144.
fn two_coders() -> Workdir {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2", "fg-one:4", "int-two:2"]);
    wd.code_add("ben", "Speed", &["fg-one:2", "int-two:2", "int-two:4"]);
    wd
}

#[test]
fn agree_reports_counts_and_coefficients_per_code() {
    let wd = two_coders();
    let out = wd.run(&["agree", "--coders", "ana,ben", "--json"]);
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(a["unit"], "turn");
    assert_eq!(a["coders"], serde_json::json!(["ana", "ben"]));
    assert_eq!(a["documents"], serde_json::json!(["fg-one", "int-two"]));
    let s = &a["codes"]["Speed"];
    assert_eq!(
        (
            s["units"].as_u64(),
            s["by_all"].as_u64(),
            s["by_none"].as_u64()
        ),
        (Some(9), Some(2), Some(5))
    );
    assert_eq!(s["coded_by"]["ana"], 3);
    let close = |v: &serde_json::Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    assert!(close(&s["percent_agreement"], 7.0 / 9.0));
    assert!(close(&s["cohen_kappa"], 0.5));
    assert!(close(&s["fleiss_kappa"], 0.5));
    assert!(close(&s["krippendorff_alpha"], 1.0 - 68.0 / 144.0));
    assert!(s["alpha_binary"].is_number());
    assert!(a["overall"]["pooled"]["cohen_kappa"].is_number());

    // Only units someone coded: 4 units, p_o = 1/2, p_e = 5/8, κ = −1/3.
    let out = wd.run(&["agree", "--coders", "ana,ben", "--coded-only", "--json"]);
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert!(close(&a["codes"]["Speed"]["cohen_kappa"], -1.0 / 3.0));
    assert_eq!(a["codes"]["Speed"]["by_none"], 0);

    // With a second code, --coded-only keeps the units coded with any code:
    // ana's Trust on int-two:3 adds a unit where neither applied Speed.
    // Speed on 5 units: p_o = 3/5, p_e = 0.6² + 0.4² = 0.52, κ = 1/6.
    wd.code_add("ana", "Trust", &["int-two:3"]);
    let out = wd.run(&["agree", "--coders", "ana,ben", "--coded-only", "--json"]);
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    let s = &a["codes"]["Speed"];
    assert_eq!(
        (s["units"].as_u64(), s["by_none"].as_u64()),
        (Some(5), Some(1))
    );
    assert!(close(&s["cohen_kappa"], 1.0 / 6.0));
    assert_eq!(a["codes"]["Trust"]["units"], 5);
    assert_eq!(a["overall"]["pooled"]["units"], 10);

    let table = wd.run(&["agree", "--coders", "ana,ben"]).ok().to_string();
    assert!(
        table.starts_with("Agreement between ana, ben by turn, on 2 documents"),
        "{table}"
    );
    assert!(
        table.contains("Speed") && table.contains("77.8%") && table.contains("0.500"),
        "{table}"
    );
}

#[test]
fn undefined_coefficients_are_null_with_a_reason() {
    let wd = two_coders();
    wd.code_add("chloe", "Speed", &["fg-one:2", "int-two:2"]);
    // Three coders: no Cohen's kappa, with the reason.
    let out = wd.run(&["agree", "--coders", "ana,ben,chloe", "--json"]);
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    let s = &a["codes"]["Speed"];
    assert!(s["cohen_kappa"].is_null());
    assert_eq!(
        s["undefined"]["cohen_kappa"],
        "Cohen's kappa is for two coders, not 3"
    );
    assert!(s["fleiss_kappa"].is_number());
    // A code only one coder used in the compared documents.
    wd.code_add("ana", "Trust", &["int-two:4"]);
    let a: serde_json::Value = serde_json::from_str(
        wd.run(&[
            "agree",
            "--coders",
            "ana,ben",
            "--codes",
            "Trust,Administration",
            "--json",
        ])
        .ok(),
    )
    .unwrap();
    assert!(a["codes"]["Trust"]["cohen_kappa"].is_number());
    let admin = &a["codes"]["Administration"];
    assert!(admin["krippendorff_alpha"].is_null());
    assert!(
        admin["undefined"]["krippendorff_alpha"]
            .as_str()
            .unwrap()
            .contains("no variation")
    );
    assert!(
        admin["undefined"]["alpha_binary"]
            .as_str()
            .unwrap()
            .contains("no coder applied this code")
    );
}

#[test]
fn agree_checks_its_input() {
    let wd = two_coders();
    wd.fails_with(
        &["agree", "--coders", "ana"],
        &["comparing needs at least two coders: --coders A,B"],
    );
    wd.fails_with(
        &["agree", "--coders", "ana,bem"],
        &["no codings by coder 'bem'"],
    );
    // A document only one coder coded is left out, and said so.
    wd.code_add("ana", "Trust", &["int-two:4"]);
    wd.code_add("chloe", "Speed", &["fg-one:2"]);
    let out = wd.run(&["agree", "--coders", "ana,chloe", "--json"]);
    assert!(
        out.stderr
            .contains("1 document left out of the comparison: int-two (not coded by chloe)"),
        "{}",
        out.stderr
    );
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(a["documents"], serde_json::json!(["fg-one"]));
    // Stale anchors: refuse until `realist check`.
    let text = wd
        .read("corpus/fg-one.md")
        .replace("What difference", "So what difference");
    wd.write("corpus/fg-one.md", text);
    wd.fails_with(
        &["agree", "--coders", "ana,ben"],
        &[
            "codings in the compared documents are stale",
            "run `realist check`",
        ],
    );
    wd.run(&["check"]).ok();
    wd.run(&["agree", "--coders", "ana,ben"]).ok();
    // A removed document: check cannot help, so say what can; comparing
    // other documents still works.
    std::fs::remove_file(wd.path("corpus/sub/int-two.txt")).unwrap();
    wd.fails_with(
        &["agree", "--coders", "ana,ben"],
        &["is no longer in the corpus", "realist code rm ID"],
    );
    wd.run(&["agree", "--coders", "ana,ben", "--where", "site=Northbrook"])
        .ok();
}

#[test]
fn disagreements_list_each_unit_where_coders_differ() {
    let wd = two_coders();
    wd.code_add("ben", "Trust", &["fg-one:4"]);
    // Markdown: one section per unit, a table of codes.
    let md = wd
        .run(&["disagreements", "--coders", "ana,ben"])
        .ok()
        .to_string();
    assert!(
        md.starts_with("# Disagreements between ana and ben, by turn\n\n2 units with 3 differences on 2 documents compared."),
        "{md}"
    );
    assert!(
        md.contains("## fg-one, turn 4, TM (team manager), @371-452\n\n> TM (team manager): We sign off quickly."),
        "{md}"
    );
    assert!(md.contains("| Speed | ana | ben | ana `"), "{md}");
    assert!(md.contains("| Trust | ben | ana | ben `"), "{md}");
    assert!(md.contains("## int-two, turn 4, YP (young person)"), "{md}");
    // Turns both coded (fg-one:2, int-two:2) are not listed.
    assert!(!md.contains("turn 2,"), "{md}");

    // CSV: one row per unit and code, parsed back field by field.
    let csv = wd
        .run(&[
            "disagreements",
            "--coders",
            "ana,ben",
            "--format",
            "csv",
            "--codes",
            "Speed",
        ])
        .ok()
        .to_string();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "doc,turn,speaker,role,start,end,code,applied_by,not_by,codings,text"
    );
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(
        rows[1].starts_with("fg-one,4,TM,team manager,371,452,Speed,ana,ben,ana:"),
        "{csv}"
    );
    assert!(
        rows[1].ends_with(
            ",\"TM (team manager): We sign off quickly. Straight-away decisions, within the hour.\""
        ),
        "{csv}"
    );

    // JSON Lines by sentence, then the totals.
    let lines = wd
        .run(&[
            "disagreements",
            "--coders",
            "ana,ben",
            "--unit",
            "sentence",
            "--json",
        ])
        .json_lines();
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "disagreements");
    assert_eq!(last["unit"], "sentence");
    assert_eq!(last["units"].as_u64().unwrap() as usize, lines.len() - 1);
    let first = &lines[0];
    assert_eq!(first["type"], "disagreement");
    assert_eq!(first["doc"], "fg-one");
    assert_eq!(first["text"], "We sign off quickly.");
    assert_eq!(first["differences"][0]["codings"][0]["coder"], "ana");

    // Character stretches: the text where the same coders differ on the same codes.
    let lines = wd
        .run(&[
            "disagreements",
            "--coders",
            "ana,ben",
            "--unit",
            "char",
            "--json",
        ])
        .json_lines();
    assert_eq!(lines[0]["start"], 390);
    assert_eq!(
        lines[0]["text"],
        "We sign off quickly. Straight-away decisions, within the hour."
    );

    // Same input checks as agree.
    wd.fails_with(
        &["disagreements", "--coders", "ana"],
        &["needs at least two"],
    );
    let err = wd
        .run(&["disagreements", "--coders", "ana,ben", "--format", "xml"])
        .stderr
        .clone();
    assert!(err.contains("possible values: md, csv, json"), "{err}");
}

/// Splits RFC 4180 CSV (CRLF records, quoted fields with doubled quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a record ends in LF, not CRLF"),
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "last record not terminated"
    );
    rows
}

#[test]
fn disagreement_exports_are_safe_with_hostile_text() {
    let wd = two_coders();
    wd.write(
        "corpus/hostile.md",
        "---\nsite: Northbrook\n---\n\n**SW1:** =HYPERLINK(\"http://example.invalid\",\"click\") said, \"no\"\n\n**SW2:** <script>alert(1)</script> | *not bold* and a_b\n",
    );
    wd.code_add("ana", "Speed", &["hostile:1", "hostile:2"]);
    wd.code_add("ben", "Speed", &["hostile:2"]);
    wd.code_add("ana", "Reliance on the worker", &["fg-one:3"]);

    let csv = wd
        .run(&[
            "disagreements",
            "--coders",
            "ana,ben",
            "--format",
            "csv",
            "--where",
            "site=Northbrook",
        ])
        .ok()
        .to_string();
    let rows = parse_csv(&csv);
    let text = rows[0].iter().position(|h| h == "text").unwrap();
    let hostile: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "hostile").collect();
    assert_eq!(hostile.len(), 1, "{csv}");
    // The turn starts with its label, so no formula; the label-less CSV
    // cell of a quote starting with '=' is neutralised by the table module.
    assert_eq!(
        hostile[0][text],
        "SW1: =HYPERLINK(\"http://example.invalid\",\"click\") said, \"no\""
    );
    let by_char = wd
        .run(&[
            "disagreements",
            "--coders",
            "ana,ben",
            "--unit",
            "char",
            "--format",
            "csv",
            "--codes",
            "Speed",
        ])
        .ok()
        .to_string();
    let rows = parse_csv(&by_char);
    let formula = rows.iter().find(|r| r[0] == "hostile").unwrap();
    assert!(formula[text].starts_with("'=HYPERLINK("), "{by_char}");

    // Markdown: transcript text cannot become HTML, emphasis or a table cell.
    let md = wd
        .run(&["disagreements", "--coders", "ana,ben", "--unit", "sentence"])
        .ok()
        .to_string();
    assert!(!md.contains("<script>"), "{md}");

    // --code takes in the code's children, as in `codings`.
    let lines = wd
        .run(&[
            "disagreements",
            "--coders",
            "ana,ben",
            "--code",
            "Dependency",
            "--json",
        ])
        .json_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0]["differences"][0]["code"],
        "Dependency/Reliance on the worker"
    );
}

#[test]
fn a_code_whose_name_has_a_comma_can_be_chosen() {
    let wd = Workdir::new("basic");
    let book = wd.read("codebooks/themes.md");
    wd.write(
        "codebooks/themes.md",
        format!("{book}\n## Money, time and trust\nWhen all three come together.\n"),
    );
    for coder in ["ana", "ben"] {
        wd.code_add(coder, "Money, time and trust", &["fg-one:2"]);
        wd.code_add(coder, "Speed", &["fg-one:3"]);
    }
    let agree = |codes: &[&str]| {
        let mut args = vec!["agree", "--coders", "ana,ben", "--json"];
        for c in codes {
            args.extend(["--codes", c]);
        }
        let a: serde_json::Value = serde_json::from_str(wd.run(&args).ok()).unwrap();
        a["codes"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    // Named whole, it is one code; a list of codes still splits at commas;
    // the flag can be repeated.
    assert_eq!(agree(&["Money, time and trust"]), ["Money, time and trust"]);
    assert_eq!(agree(&["Speed,Trust"]), ["Speed", "Trust"]);
    assert_eq!(
        agree(&["Money, time and trust", "Speed"]),
        ["Money, time and trust", "Speed"]
    );
    let out = wd
        .run(&[
            "export",
            "quotes",
            "--codes",
            "Money, time and trust",
            "--format",
            "json",
        ])
        .json_lines();
    assert_eq!(out.len(), 2, "the export record and the coders' one quote");
    assert_eq!(out[1]["coders"], serde_json::json!(["ana", "ben"]));
}
