//! Anchors surviving edits: stale detection and `realist check`.

use crate::workdir::{Workdir, cp_slice};

fn codings(wd: &Workdir, coder: &str) -> Vec<serde_json::Value> {
    wd.read(&format!("codings/{coder}.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn by_code<'a>(all: &'a [serde_json::Value], code: &str) -> &'a serde_json::Value {
    all.iter().find(|c| c["code"] == code).unwrap()
}

#[test]
fn an_edited_transcript_is_detected_and_reanchored_without_losing_codings() {
    let wd = Workdir::new("basic");
    let add = |code: &str, quote: &str| {
        wd.run(&[
            "code", "add", "--coder", "ana", "--code", code, "--doc", "fg-one", "--quote", quote,
        ])
        .ok();
    };
    add("Speed", "We sign off quickly.");
    add(
        "Trust",
        "They said “you actually did it” 👍 and that was trust, starting.",
    );
    add(
        "Administration",
        "Budgets run out [inaudible] and then what?",
    );
    add("Dependency", "For me it’s budgeting");
    let before = codings(&wd, "ana");

    // The transcript is corrected: a name pseudonymised earlier in the text
    // (everything after it moves), a misheard word fixed inside a coded
    // quote, and a coded sentence rewritten beyond recognition.
    let original = wd.read("corpus/fg-one.md");
    let edited = original
        .replace("Zoë’s mum", "Jade’s mum (pseudonym)")
        .replace(
            "that was trust, starting",
            "that was trust starting, I think",
        )
        .replace(
            "For me it’s budgeting that worries me. Budgets run out [inaudible] and then what?",
            "I was not sure about any of it at first.",
        );
    wd.write("corpus/fg-one.md", &edited);

    // Every command that reads codings says so.
    let out = wd.run(&["codings"]);
    assert!(
        out.stderr
            .contains("warning: 4 codings in 1 document no longer match their text"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("run `realist check` to re-anchor them"));
    assert!(out.ok().contains("[stale]"));
    let out = wd.run(&["codebook"]);
    assert!(
        out.stderr.contains("no longer match their text"),
        "{}",
        out.stderr
    );

    // A dry run reports and writes nothing.
    let file = wd.read("codings/ana.jsonl");
    let dry = wd.run(&["check", "--dry-run"]);
    assert!(
        dry.ok().contains("(dry run: nothing written)"),
        "{}",
        dry.stdout
    );
    assert_eq!(wd.read("codings/ana.jsonl"), file);

    let out = wd.run(&["check", "--json"]);
    let records = out.json_lines();
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "checked");
    assert_eq!(
        (
            summary["codings"].as_u64(),
            summary["moved"].as_u64(),
            summary["unplaced"].as_u64()
        ),
        (Some(4), Some(2), Some(2))
    );
    let moved: Vec<&serde_json::Value> =
        records.iter().filter(|r| r["outcome"] == "moved").collect();
    let how = |code: &str| {
        moved
            .iter()
            .find(|r| r["code"] == code)
            .map(|r| r["how"]["how"].clone())
    };
    assert_eq!(how("Speed"), Some("nearby".into()));
    assert_eq!(how("Trust"), Some("fuzzy".into()));

    let after = codings(&wd, "ana");
    assert_eq!(after.len(), before.len(), "nothing deleted");
    let text = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    let speed = by_code(&after, "Speed");
    let (s, e) = (
        speed["start"].as_u64().unwrap() as usize,
        speed["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(cp_slice(&text, s, e), "We sign off quickly.");
    assert_ne!(
        speed["start"],
        by_code(&before, "Speed")["start"],
        "it moved"
    );
    let trust = by_code(&after, "Trust");
    // Words added at the very end are not taken into the quote.
    assert_eq!(
        trust["quote"],
        "They said “you actually did it” 👍 and that was trust starting"
    );
    for code in ["Administration", "Dependency"] {
        let lost = by_code(&after, code);
        assert!(
            lost["unplaced"].as_str().unwrap().contains("not found"),
            "{lost}"
        );
        assert_eq!(
            lost["quote"],
            by_code(&before, code)["quote"],
            "kept as it was"
        );
    }

    // Unplaced codings keep being reported until they are dealt with.
    let out = wd.run(&["codings"]);
    assert!(
        out.stderr
            .contains("warning: 2 codings in 1 document no longer match their text"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("unplaced: its text was not found"),
        "{}",
        out.stderr
    );
    let out = wd.run(&["check"]);
    assert!(
        out.ok()
            .contains("checked 4 codings (2 in changed documents): 0 moved, 2 could not be placed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("2 codings could not be placed"),
        "{}",
        out.stderr
    );

    // Restoring the text places them again and clears the flag.
    wd.write("corpus/fg-one.md", &original);
    wd.run(&["check"]).ok();
    let restored = codings(&wd, "ana");
    assert!(
        restored.iter().all(|c| c.get("unplaced").is_none()),
        "{restored:?}"
    );
    let out = wd.run(&["codings"]);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    let text = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    for c in &restored {
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(cp_slice(&text, s, e), c["quote"].as_str().unwrap());
    }
}

#[test]
fn a_removed_document_leaves_its_codings_flagged() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Trust", &["int-two:4"]);
    std::fs::remove_file(wd.path("corpus/sub/int-two.txt")).unwrap();
    let out = wd.run(&["codings"]);
    assert!(
        out.stderr
            .contains("document 'int-two' is no longer in the corpus"),
        "{}",
        out.stderr
    );
    let out = wd.run(&["check"]);
    assert!(out.ok().contains("unplaced"), "{}", out.stdout);
    let c = &codings(&wd, "ana")[0];
    assert_eq!(
        c["unplaced"],
        "document 'int-two' is no longer in the corpus"
    );
}
