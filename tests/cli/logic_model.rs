//! The logic model: `realist link`, `unlink`, `cmo list|show|history|suggest`
//! and `logic-model check`.

use crate::workdir::Workdir;

const MODEL: &str = "# Logic model: test\n\n## Pathways\n- **Dedicated resources**: money for needs.\n- **Working relationships**: trust.\n\n## Configurations\n\n### CMO-1: Quick spending builds trust\n- Pathway: Working relationships\n- Status: initial\n- Context: Families let down before.\n- Mechanism (resource): The worker buys things straight away.\n- Mechanism (reasoning): Families come to trust the worker.\n- Outcome: Families call early.\n- Keywords: speed\n\n### CMO-2: Money for needs\n- Pathway: Dedicated resources\n- Status: emerging\n- Context: A practical barrier.\n- Mechanism: The budget removes it.\n- Outcome: Children go home.\n";

/// The basic fixture with a logic model, ana's Speed on fg-one:2 and
/// int-two:2 and ben's Trust on fg-one:4; returns the coding ids in that order.
fn linked_project() -> (Workdir, Vec<String>) {
    let wd = Workdir::new("basic");
    wd.write("logic-model.md", MODEL);
    wd.code_add("ana", "Speed", &["fg-one:2", "int-two:2"]);
    wd.code_add("ben", "Trust", &["fg-one:4"]);
    let mut ids = Vec::new();
    for coder in ["ana", "ben"] {
        for c in wd
            .run(&["codings", "--coder", coder, "--json"])
            .json_lines()
        {
            ids.push(c["id"].as_str().unwrap().to_string());
        }
    }
    (wd, ids)
}

fn cmo(wd: &Workdir, id: &str) -> serde_json::Value {
    wd.run(&["cmo", "list", "--json"])
        .json_lines()
        .into_iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn links_and_unlinks_are_appended_and_replayed() {
    let (wd, ids) = linked_project();
    let out = wd.run(&[
        "link",
        "CMO-1",
        &ids[0],
        &ids[1],
        "--supports",
        "--part",
        "mechanism",
        "--by",
        "ana",
        "--note",
        "quick",
    ]);
    assert_eq!(
        out.ok(),
        "linked 2 codings to CMO-1 as evidence that supports it\n"
    );
    let after_first = wd.read("links.jsonl");
    assert_eq!(after_first.lines().count(), 2);

    // Linking the same again changes nothing; another stance replaces the link.
    let out = wd.run(&[
        "link",
        "cmo-1",
        &ids[0],
        "--supports",
        "--part",
        "mechanism",
        "--by",
        "ana",
    ]);
    assert_eq!(
        out.ok(),
        "1 coding already linked so to CMO-1 (unchanged)\n"
    );
    assert_eq!(wd.read("links.jsonl"), after_first);
    let mut cmd = wd.command(&["link", "1", &ids[2][..6], "--refutes", "--json"]);
    cmd.env("REALIST_CODER", "ben");
    let out = crate::workdir::run(cmd);
    let linked: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(linked["type"], "linked");
    assert_eq!(linked["changed"], serde_json::json!([ids[2]]));
    wd.run(&[
        "link",
        "CMO-1",
        &ids[1],
        "--refines",
        "--by",
        "ben",
        "--note",
        "about the card",
    ])
    .ok();
    let out = wd.run(&[
        "unlink",
        "CMO-1",
        &ids[0],
        "--by",
        "ben",
        "--note",
        "not about trust",
    ]);
    assert_eq!(out.ok(), "unlinked 1 coding from CMO-1\n");

    // The file only grew: the earlier lines are untouched.
    let trail = wd.read("links.jsonl");
    assert!(trail.starts_with(&after_first));
    assert_eq!(trail.lines().count(), 5);

    // Replayed: ids[0] unlinked, ids[1] now refines, ids[2] refutes.
    let c = cmo(&wd, "CMO-1");
    assert_eq!(c["type"], "cmo");
    assert_eq!(c["status"], "initial");
    assert_eq!(
        (
            c["supports"].as_u64(),
            c["refutes"].as_u64(),
            c["refines"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    assert_eq!(
        (c["documents"].as_u64(), c["sites"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        c["site_names"],
        serde_json::json!(["Ashcombe", "Northbrook"])
    );

    let history = wd.run(&["cmo", "history", "CMO-1", "--json"]).json_lines();
    let events: Vec<(&str, &str)> = history
        .iter()
        .map(|e| (e["event"].as_str().unwrap(), e["by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        events,
        [
            ("link", "ana"),
            ("link", "ana"),
            ("link", "ben"),
            ("link", "ben"),
            ("unlink", "ben")
        ]
    );
    assert_eq!(history[0]["type"], "link_event");
    let text = wd.run(&["cmo", "history", "CMO-1"]);
    assert!(text.ok().contains("ben  unlinked"), "{}", text.stdout);
    assert!(text.stdout.contains("note: not about trust"));

    // Unlinking what is not linked is refused, and nothing is written.
    wd.fails_with(
        &["unlink", "CMO-1", &ids[0], "--by", "ben"],
        &[&format!("coding '{}' is not linked to CMO-1", ids[0])],
    );
    assert_eq!(wd.read("links.jsonl"), trail);
}

#[test]
fn show_prints_statements_and_attributed_quotes() {
    let (wd, ids) = linked_project();
    wd.run(&[
        "link",
        "CMO-1",
        &ids[0],
        "--supports",
        "--by",
        "ana",
        "--note",
        "same afternoon",
    ])
    .ok();
    let out = wd.run(&["cmo", "show", "CMO-1"]);
    let text = out.ok();
    assert!(
        text.starts_with("CMO-1: Quick spending builds trust\n"),
        "{text}"
    );
    assert!(text.contains("Mechanism (reasoning): Families come to trust the worker."));
    assert!(text.contains("Supporting (1)"));
    assert!(
        text.contains("(Social worker, focus group, Northbrook)"),
        "{text}"
    );
    assert!(text.contains("fg-one turn 2"));
    assert!(text.contains("note: same afternoon"));
    let lines = wd.run(&["cmo", "show", "CMO-1", "--json"]).json_lines();
    assert_eq!(lines[0]["type"], "configuration");
    assert_eq!(
        lines[0]["resource"],
        "The worker buys things straight away."
    );
    assert_eq!(lines[1]["type"], "evidence");
    assert_eq!(lines[1]["role"], "social worker");
    assert_eq!(lines[1]["turn"], 2);
    assert_eq!(lines[1]["stance"], "supports");
}

#[test]
fn suggest_lists_unlinked_codings_of_codes_the_configuration_names() {
    let (wd, ids) = linked_project();
    // CMO-1 names Speed (keywords) and Trust (mechanism): all three codings.
    let c = wd.run(&["cmo", "suggest", "CMO-1", "--json"]).json_lines();
    assert_eq!(c.len(), 3);
    assert_eq!(c[0]["type"], "candidate");
    assert_eq!(c[0]["matched"], "Trust");
    assert_eq!(
        c[0]["mentioned_in"],
        serde_json::json!(["title", "mechanism"])
    );
    // Linked ones are no longer candidates; nothing is linked by suggesting.
    wd.run(&["link", "CMO-1", &ids[2], "--supports", "--by", "ana"])
        .ok();
    let c = wd.run(&["cmo", "suggest", "CMO-1", "--json"]).json_lines();
    assert_eq!(c.len(), 2);
    assert!(c.iter().all(|x| x["matched"] == "Speed"));
    assert_eq!(wd.read("links.jsonl").lines().count(), 1);
    // CMO-2 names no code.
    let out = wd.run(&["cmo", "suggest", "CMO-2"]);
    assert!(
        out.ok().contains("names no code of the codebook"),
        "{}",
        out.stdout
    );
}

#[test]
fn unknown_configurations_and_codings_are_refused_and_nothing_is_written() {
    let (wd, ids) = linked_project();
    for (args, expected) in [
        // Linking to a configuration the model does not have.
        (
            &["link", "CMO-3", &ids[0], "--supports", "--by", "ana"][..],
            "no configuration CMO-3 in logic-model.md (did you mean 'CMO-1', 'CMO-2'?)",
        ),
        // One unknown coding among known ones.
        (
            &[
                "link",
                "CMO-1",
                &ids[0],
                "0000ffff0000",
                "--supports",
                "--by",
                "ana",
            ],
            "no coding with id '0000ffff0000'",
        ),
        // Showing a configuration the model does not have.
        (&["cmo", "show", "CMO-12"], "no configuration CMO-12"),
    ] {
        wd.fails_with(args, &[expected]);
    }
    // A stance is required, and only one.
    assert_eq!(wd.run(&["link", "CMO-1", &ids[0], "--by", "ana"]).code, 2);
    assert_eq!(
        wd.run(&[
            "link",
            "CMO-1",
            &ids[0],
            "--supports",
            "--refutes",
            "--by",
            "ana"
        ])
        .code,
        2
    );
    let e = wd.run(&["link", "CMO-1", &ids[0], "--supports"]).stderr;
    assert!(e.contains("--by"), "{e}");
    assert!(!wd.path("links.jsonl").exists());
}

#[test]
fn a_malformed_logic_model_is_reported_by_file_and_line() {
    let (wd, ids) = linked_project();
    let bad = MODEL
        .replace("- Status: emerging\n", "- Status: hopeful\n")
        .replace("### CMO-2: Money for needs", "### CMO-1: Money for needs");
    wd.write("logic-model.md", &bad);
    wd.fails_with(
        &["link", "CMO-1", &ids[0], "--supports", "--by", "ana"],
        &[
            "logic-model.md: 2 invalid lines; nothing was changed",
            "logic-model.md:20: CMO-1: unknown status 'hopeful'",
            "logic-model.md:18: CMO-1 is defined twice (first on line 9)",
        ],
    );
    assert!(!wd.path("links.jsonl").exists());
    let out = wd.run(&["logic-model", "check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("error: logic-model.md:20: CMO-1: unknown status 'hopeful'"),
        "{}",
        out.stdout
    );

    wd.write(
        "logic-model.md",
        MODEL.replace("- Outcome: Families call early.\n", ""),
    );
    wd.fails_with(
        &["cmo", "list"],
        &["logic-model.md:9: CMO-1 has no Outcome:"],
    );

    std::fs::remove_file(wd.path("logic-model.md")).unwrap();
    wd.fails_with(
        &["cmo", "list"],
        &["this project has no logic model: write logic-model.md"],
    );
}

#[test]
fn check_finds_links_to_missing_codings_and_configurations_and_stale_anchors() {
    let (wd, ids) = linked_project();
    wd.run(&[
        "link",
        "CMO-1",
        &ids[0],
        &ids[1],
        "--supports",
        "--by",
        "ana",
    ])
    .ok();
    wd.run(&["link", "CMO-2", &ids[2], "--supports", "--by", "ana"])
        .ok();
    let out = wd.run(&["logic-model", "check"]);
    assert!(
        out.ok()
            .contains("2 configurations and 3 links checked: 0 problems, 0 notes"),
        "{}",
        out.stdout
    );

    // A coding removed, a configuration renumbered, a transcript edited.
    wd.run(&["code", "rm", &ids[0]]).ok();
    wd.write("logic-model.md", MODEL.replace("### CMO-2:", "### CMO-3:"));
    let t = wd.read("corpus/sub/int-two.txt");
    let edited = t.replacen("budget", "money", 1);
    assert_ne!(t, edited);
    wd.write("corpus/sub/int-two.txt", edited);

    let out = wd.run(&["logic-model", "check", "--json"]);
    assert_eq!(out.code, 1);
    let problems: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = problems
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"missing_coding"), "{kinds:?}");
    assert!(kinds.contains(&"missing_configuration"), "{kinds:?}");
    assert!(kinds.contains(&"no_evidence"), "{kinds:?}");
    let text = wd.run(&["logic-model", "check"]).stdout;
    assert!(
        text.contains(&format!(
            "which no coder file holds any more; `realist unlink CMO-1 {}`",
            ids[0]
        )),
        "{text}"
    );
    assert!(text.contains("CMO-2 is linked to coding"), "{text}");

    // The stale anchor, when int-two changed under ids[1].
    if !kinds.contains(&"stale") {
        panic!("no stale anchor reported: {kinds:?}\n{text}");
    }
    // Unlinking cleans up links to what is gone.
    wd.run(&["unlink", "CMO-2", &ids[2], "--by", "ana"]).ok();
    wd.run(&["unlink", "CMO-1", &ids[0], "--by", "ana"]).ok();
    wd.run(&["check"]).ok();
    let out = wd.run(&["logic-model", "check"]);
    assert!(out.ok().contains("0 problems"), "{}", out.stdout);
}

#[test]
fn the_sample_logic_model_has_evidence_and_init_writes_an_example() {
    let wd = Workdir::sample();
    let list = wd.run(&["cmo", "list", "--json"]).json_lines();
    assert!(list.len() >= 6);
    let pathways: std::collections::BTreeSet<&str> = list
        .iter()
        .map(|c| c["pathway"].as_str().unwrap())
        .collect();
    assert_eq!(pathways.len(), 2);
    assert!(
        list.iter()
            .any(|c| c["supports"].as_u64() > Some(2) && c["sites"] == 2)
    );
    let out = wd.run(&["logic-model", "check"]);
    assert!(out.ok().contains("0 problems"), "{}", out.stdout);

    let empty = Workdir::empty();
    empty.run(&["init", "."]).ok();
    let out = empty.run(&["cmo", "list"]);
    assert!(
        out.ok()
            .starts_with("CMO-1  initial  Quick spending builds trust"),
        "{}",
        out.stdout
    );
}

#[test]
fn relinking_keeps_part_and_note_and_unlinking_works_on_a_broken_model() {
    let (wd, ids) = linked_project();
    wd.run(&[
        "link",
        "CMO-1",
        &ids[0],
        "--supports",
        "--part",
        "outcome",
        "--by",
        "ana",
        "--note",
        "why",
    ])
    .ok();
    wd.run(&["link", "CMO-1", &ids[0], "--refines", "--by", "ben"])
        .ok();
    let history = wd.run(&["cmo", "history", "CMO-1", "--json"]).json_lines();
    assert_eq!(history[1]["stance"], "refines");
    assert_eq!(
        (history[1]["part"].as_str(), history[1]["note"].as_str()),
        (Some("outcome"), Some("why"))
    );

    // A problem anywhere in the model does not stop links being cleaned up.
    wd.write(
        "logic-model.md",
        MODEL.replace("- Status: emerging\n", "- Status: hopeful\n"),
    );
    wd.run(&["cmo", "list"]).fails();
    wd.run(&["unlink", "CMO-1", &ids[0], "--by", "ana"]).ok();
    assert_eq!(
        wd.run(&["cmo", "history", "CMO-1", "--json"])
            .json_lines()
            .len(),
        3
    );
}
