//! `realist reconcile`, `realist decide` and `realist decisions`.

use crate::workdir::Workdir;

/// ana and ben both code Speed on fg-one:2 and int-two:2; ana alone on
/// fg-one:4, ben alone on int-two:4, and ben codes Trust on fg-one:4.
fn two_coders() -> Workdir {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2", "fg-one:4", "int-two:2"]);
    wd.code_add("ben", "Speed", &["fg-one:2", "int-two:2", "int-two:4"]);
    wd.code_add("ben", "Trust", &["fg-one:4"]);
    wd
}

fn decisions(wd: &Workdir, open: bool) -> Vec<serde_json::Value> {
    let mut args = vec!["decisions", "--json"];
    if open {
        args.push("--open");
    }
    wd.run(&args).json_lines()
}

#[test]
fn reconcile_carries_agreement_and_opens_decisions_with_an_audit_trail() {
    let wd = two_coders();
    let ana = wd.read("codings/ana.jsonl");
    let ben = wd.read("codings/ben.jsonl");

    // A dry run writes nothing.
    let out = wd.run(&[
        "reconcile",
        "--coders",
        "ana,ben",
        "--into",
        "final",
        "--dry-run",
    ]);
    assert!(
        out.ok().contains("would open 3 decisions: D1, D2, D3"),
        "{}",
        out.stdout
    );
    assert!(!wd.path("consensus").exists() && !wd.path("codings/final.jsonl").exists());

    let out = wd.run(&[
        "reconcile",
        "--coders",
        "ana,ben",
        "--into",
        "final",
        "--json",
    ]);
    let r: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(r["type"], "reconciled");
    assert_eq!(
        (r["carried"].as_u64(), r["codings_added"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(r["opened"], serde_json::json!(["D1", "D2", "D3"]));
    // The consensus coder is an ordinary coder: the two agreed turns.
    let codings = wd
        .run(&["codings", "--coder", "final", "--json"])
        .json_lines();
    assert_eq!(codings.len(), 2);
    assert!(codings.iter().all(|c| c["code"] == "Speed"));

    let ds = decisions(&wd, true);
    assert_eq!(ds.len(), 3);
    assert_eq!(ds[0]["type"], "decision");
    assert_eq!(ds[0]["id"], "D1");
    assert_eq!(ds[0]["status"], "open");
    assert_eq!(
        (ds[0]["doc"].as_str(), ds[0]["code"].as_str()),
        (Some("fg-one"), Some("Speed"))
    );
    assert_eq!(
        ds[0]["versions"]["ana"][0]["quote"],
        "We sign off quickly. Straight-away decisions, within the hour."
    );
    assert_eq!(ds[0]["versions"]["ben"], serde_json::json!([]));
    let text = wd.run(&["decisions"]).ok().to_string();
    assert!(
        text.starts_with("Consensus 'final': 3 decisions, 3 open"),
        "{text}"
    );
    assert!(text.contains("D2  Trust  fg-one:4 TM (team manager)  open\n    ana: —\n    ben: “We sign off quickly."), "{text}");

    // Decide: keep ana's Speed; Trust on neither; Speed in int-two from both.
    let out = wd.run(&[
        "decide",
        "D1",
        "--keep",
        "ana",
        "--by",
        "ana and ben",
        "--note",
        "sign-off speed",
    ]);
    assert!(out.ok().starts_with("D1: kept ana's version of Speed in fg-one turn 4 for 'final'; 1 consensus coding added, 0 removed"), "{}", out.stdout);
    wd.run(&["decide", "2", "--keep", "neither", "--by", "ben"])
        .ok();
    let d: serde_json::Value = serde_json::from_str(
        wd.run(&["decide", "d3", "--keep", "both", "--by", "ana", "--json"])
            .ok(),
    )
    .unwrap();
    assert_eq!(d["type"], "decided");
    assert_eq!(d["decision"]["keep"], serde_json::json!(["ana", "ben"]));
    assert_eq!(
        d["added"][0]["quote"],
        "I trust her now. Not the police though."
    );
    assert!(decisions(&wd, true).is_empty());
    assert_eq!(
        wd.run(&["codings", "--coder", "final", "--json"])
            .json_lines()
            .len(),
        4
    );

    // Deciding again replaces the decision: the coding it added goes.
    let out = wd.run(&[
        "decide",
        "D1",
        "--keep",
        "neither",
        "--by",
        "ben",
        "--note",
        "on reflection",
    ]);
    assert!(
        out.ok().contains("0 consensus codings added, 1 removed"),
        "{}",
        out.stdout
    );
    let ds = decisions(&wd, false);
    assert_eq!(ds[0]["status"], "decided");
    assert_eq!(ds[0]["keep"], serde_json::json!([]));
    assert_eq!(ds[0]["by"], "ben");
    assert_eq!(ds[0]["note"], "on reflection");
    assert_eq!(ds[0]["replaced"], 1);

    // The trail has every step; the coders' files are untouched.
    let trail = wd.read("consensus/final.jsonl");
    let events: Vec<serde_json::Value> = trail
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "intent",
            "agreed",
            "agreed",
            "open",
            "open",
            "open",
            "reconcile",
            "done",
            "intent",
            "decide",
            "done",
            "decide",
            "intent",
            "decide",
            "done",
            "intent",
            "decide",
            "done"
        ]
    );
    assert_eq!(events[9]["by"], "ana and ben");
    assert_eq!(events[9]["note"], "sign-off speed");
    assert_eq!(wd.read("codings/ana.jsonl"), ana);
    assert_eq!(wd.read("codings/ben.jsonl"), ben);

    // Reconciling again with no new work adds nothing and keeps the decisions.
    let r: serde_json::Value = serde_json::from_str(
        wd.run(&[
            "reconcile",
            "--coders",
            "ana,ben",
            "--into",
            "final",
            "--json",
        ])
        .ok(),
    )
    .unwrap();
    assert_eq!(
        (r["carried"].as_u64(), r["kept"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(r["opened"], serde_json::json!([]));
    assert!(wd.read("consensus/final.jsonl").starts_with(&trail));

    // New work: ben now codes fg-one:4 with Speed (the coders agree there:
    // carried over, and D1 flagged as decided on a passage since changed);
    // ana codes Trust on int-two:3 (a new decision, D4).
    wd.code_add("ben", "Speed", &["fg-one:4"]);
    wd.code_add("ana", "Trust", &["int-two:3"]);
    let out = wd.run(&["reconcile", "--coders", "ana,ben", "--into", "final"]);
    let text = out.ok();
    assert!(
        text.contains("carried over 1 agreed passage (1 consensus coding added)"),
        "{text}"
    );
    assert!(text.contains("opened 1 decision: D4"), "{text}");
    assert!(text.contains("since they were decided: D1"), "{text}");
    let open = decisions(&wd, true);
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["id"], "D4");

    // An open decision whose passage changes is withdrawn, and cannot be decided.
    wd.code_add("ben", "Trust", &["int-two:3"]);
    let out = wd.run(&["reconcile", "--coders", "ana,ben", "--into", "final"]);
    assert!(
        out.ok()
            .contains("withdrew 1 open decision whose passage changed: D4"),
        "{}",
        out.stdout
    );
    wd.fails_with(
        &["decide", "D4", "--keep", "ana", "--by", "ana"],
        &["decision D4 was withdrawn"],
    );

    // The consensus coder works with agree like any coder.
    let a: serde_json::Value =
        serde_json::from_str(wd.run(&["agree", "--coders", "ben,final", "--json"]).ok()).unwrap();
    assert!(a["codes"]["Speed"]["cohen_kappa"].is_number());
}

#[test]
fn reconcile_and_decide_check_their_input() {
    let wd = two_coders();
    for (args, expected) in [
        // One coder is nothing to reconcile.
        (
            &["reconcile", "--coders", "ana", "--into", "final"][..],
            &["at least two coders"][..],
        ),
        // A coder with no codings, with the nearest name.
        (
            &["reconcile", "--coders", "ana,bem", "--into", "final"][..],
            &["no codings by coder 'bem'", "did you mean 'ben'"][..],
        ),
        // The consensus cannot be written into one of the compared coders.
        (
            &["reconcile", "--coders", "ana,ben", "--into", "ana"][..],
            &["must not be one of the coders"][..],
        ),
    ] {
        wd.fails_with(args, expected);
    }
    wd.code_add("chloe", "Speed", &["fg-one:2"]);
    wd.fails_with(
        &["reconcile", "--coders", "ana,ben", "--into", "chloe"],
        &["coder 'chloe' already has codings of their own"],
    );
    wd.fails_with(&["decisions"], &["no consensus yet"]);

    // Documents not every coder coded are left out, and said so.
    let out = wd.run(&["reconcile", "--coders", "ana,chloe", "--into", "ac"]);
    out.ok();
    assert!(
        out.stderr
            .contains("left out of the comparison: int-two (not coded by chloe)"),
        "{}",
        out.stderr
    );
    wd.run(&["reconcile", "--coders", "ana,ben", "--into", "final"])
        .ok();
    for (args, expected) in [
        // Two consensus coders now: which one is meant must be said.
        (
            &["decisions"][..],
            &["several consensus coders (ac, final); name one with --consensus NAME"][..],
        ),
        (
            &["decisions", "--consensus", "fnal"][..],
            &["did you mean 'final'"][..],
        ),
        // An existing consensus keeps its coders and its unit.
        (
            &["reconcile", "--coders", "ana,chloe", "--into", "final"][..],
            &["consensus 'final' reconciles ana,ben, not ana,chloe"][..],
        ),
        (
            &[
                "reconcile",
                "--coders",
                "ana,ben",
                "--into",
                "final",
                "--unit",
                "char",
            ][..],
            &["was reconciled by turn"][..],
        ),
    ] {
        wd.fails_with(args, expected);
    }

    let d = |args: &[&str]| {
        let mut all = vec!["decide"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--consensus", "final"]);
        wd.run(&all)
    };
    d(&["D9", "--keep", "ana", "--by", "ana"]).fails_with(&["no decision 'D9'", "D1 to D3"]);
    d(&["D1", "--keep", "chloe", "--by", "ana"])
        .fails_with(&["'chloe' is not one of the coders of D1 (ana, ben)"]);
    let err = d(&["D1", "--keep", "ana"]).stderr.clone();
    assert!(err.contains("--by"), "{err}");

    // Stale anchors: refuse until `realist check`; a changed passage cannot be decided.
    let text = wd
        .read("corpus/fg-one.md")
        .replace("We sign off quickly.", "We sign off very quickly.");
    wd.write("corpus/fg-one.md", text);
    wd.fails_with(
        &["reconcile", "--coders", "ana,ben", "--into", "final"],
        &["run `realist check`"],
    );
    d(&["D1", "--keep", "ana", "--by", "ana"]).fails_with(&[
        "ana's coding",
        "is no longer where D1 found it",
        "realist check",
    ]);
    wd.run(&["check"]).ok();
    let out = wd.run(&["reconcile", "--coders", "ana,ben", "--into", "final"]);
    assert!(out.ok().contains("withdrew"), "{}", out.stdout);

    // A damaged trail is reported with its line, and nothing is written.
    let trail = wd.read("consensus/final.jsonl");
    wd.write(
        "consensus/final.jsonl",
        format!("{trail}{{\"event\":\"decide\"}}\n"),
    );
    let n = trail.lines().count() + 1;
    d(&["D5", "--keep", "ana", "--by", "ana"])
        .fails_with(&[&format!("consensus/final.jsonl:{n}: missing field")]);
}

#[test]
fn the_sample_project_has_two_coders_to_compare_and_reconcile() {
    let wd = Workdir::sample();
    let out = wd.run(&["agree", "--coders", "ana,ben", "--json"]);
    assert!(!out.stderr.contains("no longer match"), "{}", out.stderr);
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(a["documents"].as_array().unwrap().len(), 14);
    let kappa = a["overall"]["pooled"]["cohen_kappa"].as_f64().unwrap();
    assert!((0.3..0.95).contains(&kappa), "pooled κ {kappa}");
    // Child codes are listed under their parent by name.
    let table = wd.run(&["agree", "--coders", "ana,ben"]).ok().to_string();
    assert!(
        table.contains("\nDecision-making and responsibility ")
            && table.contains("\n  Approval and sign-off "),
        "{table}"
    );
    let lines = wd
        .run(&["disagreements", "--coders", "ana,ben", "--json"])
        .json_lines();
    let total = lines.last().unwrap();
    assert!(total["units"].as_u64().unwrap() > 10);
    let r: serde_json::Value = serde_json::from_str(
        wd.run(&[
            "reconcile",
            "--coders",
            "ana,ben",
            "--into",
            "consensus",
            "--json",
        ])
        .ok(),
    )
    .unwrap();
    assert!(r["carried"].as_u64().unwrap() > 10);
    let opened = r["opened"].as_array().unwrap().len();
    assert!(opened > 10);
    wd.run(&["decide", "D1", "--keep", "both", "--by", "ana and ben"])
        .ok();
    assert_eq!(decisions(&wd, true).len(), opened - 1);
    // Every code the coders used is in the codebook (check exits 1 otherwise).
    wd.run(&["codebook", "check"]).ok();
}

/// Changes of mind and edits, in the order a team would make them.
#[test]
fn reconcile_follows_changes_of_mind_and_transcript_edits() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2"]);
    wd.code_add("ben", "Speed", &["fg-one:2"]);
    // Both also agree on turn 5, so the document stays coded by both.
    wd.code_add("ana", "Administration", &["fg-one:5"]);
    wd.code_add("ben", "Administration", &["fg-one:5"]);
    wd.run(&["reconcile", "--coders", "ana,ben", "--into", "final"])
        .ok();
    let speed_in_final = |wd: &Workdir| {
        wd.run(&["codings", "--coder", "final", "--code", "Speed", "--json"])
            .json_lines()
            .len()
    };
    assert_eq!(speed_in_final(&wd), 1);

    // ben withdraws his coding: the passage becomes a decision, and
    // deciding "neither" removes the carried-over coding.
    let ben = wd
        .run(&["codings", "--coder", "ben", "--code", "Speed", "--json"])
        .json_lines();
    wd.run(&["code", "rm", ben[0]["id"].as_str().unwrap()]).ok();
    let out = wd.run(&["reconcile", "--into", "final"]);
    assert!(out.ok().contains("opened 1 decision: D1"), "{}", out.stdout);
    let out = wd.run(&["decide", "D1", "--keep", "neither", "--by", "ana and ben"]);
    assert!(
        out.ok().contains("0 consensus codings added, 1 removed"),
        "{}",
        out.stdout
    );
    assert_eq!(speed_in_final(&wd), 0);

    // A passage whose decision was withdrawn comes back when the coders
    // return to what they had.
    wd.code_add("ana", "Trust", &["fg-one:3"]);
    let out = wd.run(&["reconcile", "--into", "final"]);
    assert!(out.ok().contains("opened 1 decision: D2"), "{}", out.stdout);
    wd.code_add("ben", "Trust", &["fg-one:3-4"]);
    let out = wd.run(&["reconcile", "--into", "final"]);
    let text = out.ok();
    assert!(
        text.contains("withdrew 1 open decision whose passage changed: D2"),
        "{text}"
    );
    assert!(text.contains("opened 1 decision: D3"), "{text}");
    let trust = wd
        .run(&["codings", "--coder", "ben", "--code", "Trust", "--json"])
        .json_lines();
    wd.run(&["code", "rm", trust[0]["id"].as_str().unwrap()])
        .ok();
    let out = wd.run(&["reconcile", "--coders", "ben,ana", "--into", "final"]);
    let text = out.ok();
    assert!(
        text.contains("withdrew 1 open decision whose passage changed: D3"),
        "{text}"
    );
    assert!(text.contains("opened 1 decision: D4"), "{text}");
    wd.run(&["decide", "D4", "--keep", "ana", "--by", "ana"])
        .ok();

    // An edit elsewhere in the transcript moves every coding: after
    // `realist check`, the decisions stand and can still be made again.
    let text = wd
        .read("corpus/fg-one.md")
        .replace("What difference", "So, what difference");
    wd.write("corpus/fg-one.md", text);
    wd.run(&["check"]).ok();
    let r: serde_json::Value =
        serde_json::from_str(wd.run(&["reconcile", "--into", "final", "--json"]).ok()).unwrap();
    assert_eq!(r["opened"], serde_json::json!([]));
    assert_eq!(r["outdated"], serde_json::json!([]));
    assert_eq!(r["kept"], 2);
    let out = wd.run(&[
        "decide",
        "D4",
        "--keep",
        "ana",
        "--by",
        "ben",
        "--note",
        "checked again",
    ]);
    assert!(
        out.ok().contains("1 consensus coding added, 1 removed"),
        "{}",
        out.stdout
    );
    let trust = wd
        .run(&["codings", "--coder", "final", "--code", "Trust", "--json"])
        .json_lines();
    assert_eq!(trust.len(), 1);
    assert!(trust[0]["stale"].is_null());

    // --keep needs something to keep.
    wd.fails_with(
        &["decide", "D4", "--keep", ",", "--by", "ben"],
        &["--keep needs a coder's name, both or neither"],
    );
}
