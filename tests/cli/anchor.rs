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
    let add = |code: &str, quote: &str| wd.code_quote("ana", code, "fg-one", quote);
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

#[test]
fn a_repeated_phrase_keeps_each_coding_on_its_own_occurrence() {
    let wd = Workdir::new("basic");
    // The same answer five times (a chorus of "yes"): around the middle
    // three, 40 characters either side read the same.
    wd.write(
        "corpus/rep.md",
        format!(
            "---\nid: rep\n---\n\n{}",
            "**SW1:** Yes, straight away, yes.\n\n".repeat(5)
        ),
    );
    let starts = |wd: &Workdir| -> Vec<usize> {
        let plain = wd.run(&["show", "rep", "--plain"]).ok().to_string();
        plain
            .match_indices("straight away")
            .map(|(b, _)| plain[..b].chars().count())
            .collect()
    };
    let old = starts(&wd);
    for s in &old[1..4] {
        let target = format!("rep@{s}-{}", s + 13);
        wd.run(&["code", "add", "--coder", "ana", "--code", "Speed", &target])
            .ok();
    }
    // Text inserted before them shifts every occurrence further than half
    // the distance between two: the nearest occurrence to each old place
    // is now the one before its own.
    let edited = wd.read("corpus/rep.md").replacen(
        "**SW1:** Yes, straight away, yes.",
        "**SW1:** Yes, and I remember it well, straight away, yes.",
        1,
    );
    wd.write("corpus/rep.md", &edited);
    let out = wd.run(&["check", "--json"]);
    let summary = out.json_lines().pop().unwrap();
    assert_eq!(
        (summary["moved"].as_u64(), summary["unplaced"].as_u64()),
        (Some(3), Some(0)),
        "{}",
        out.stdout
    );
    let now = starts(&wd);
    let mut placed: Vec<usize> = codings(&wd, "ana")
        .iter()
        .map(|c| c["start"].as_u64().unwrap() as usize)
        .collect();
    placed.sort();
    assert_eq!(
        placed,
        now[1..4],
        "each coding on its own occurrence, none shared"
    );
}

#[test]
fn a_coding_whose_quote_does_not_sit_at_its_offsets_is_not_trusted() {
    let wd = Workdir::new("basic");
    wd.code_quote("ana", "Trust", "fg-one", "that was trust, starting");
    // The coder file is edited by hand (or imported from another tool):
    // the quote no longer matches the text at its offsets, its revision
    // still matches the document's.
    let file = wd.read("codings/ana.jsonl");
    let c: serde_json::Value = serde_json::from_str(file.lines().next().unwrap()).unwrap();
    let start = c["start"].as_u64().unwrap();
    let shifted = file
        .replace(
            &format!("\"start\":{start}"),
            &format!("\"start\":{}", start - 9),
        )
        .replace(
            &format!("\"end\":{}", c["end"].as_u64().unwrap()),
            &format!("\"end\":{}", c["end"].as_u64().unwrap() - 9),
        );
    wd.write("codings/ana.jsonl", &shifted);
    // Reading the transcript with the coding does not mark other text,
    // and an export says its quote is unverified.
    let out = wd.run(&["show", "fg-one", "--coder", "ana"]);
    assert!(
        out.ok().contains("1 coding is not shown (stale"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("its quote is not the text at its offsets"),
        "{}",
        out.stderr
    );
    let out = wd.run(&["export", "quotes"]);
    out.ok();
    assert!(
        out.stderr
            .contains("1 quote was exported as stored, unverified"),
        "{}",
        out.stderr
    );
    // check compares every coding with its text, whatever its revision.
    let out = wd.run(&["check", "--json"]);
    let records = out.json_lines();
    let moved = records.iter().find(|r| r["outcome"] == "moved").unwrap();
    assert_eq!(moved["to"]["start"].as_u64(), Some(start), "{moved}");
    let text = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    let c: serde_json::Value =
        serde_json::from_str(wd.read("codings/ana.jsonl").lines().next().unwrap()).unwrap();
    assert_eq!(
        cp_slice(
            &text,
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize
        ),
        "that was trust, starting"
    );
}

#[test]
fn renaming_a_transcript_to_another_kind_makes_its_codings_stale() {
    let wd = Workdir::new("basic");
    wd.code_quote("ana", "Trust", "fg-one", "that was trust, starting");
    // Same bytes, another kind: as plain text the `**` around labels stay
    // and the whole file is one passage, so every offset means other text.
    std::fs::rename(wd.path("corpus/fg-one.md"), wd.path("corpus/fg-one.txt")).unwrap();
    assert!(
        wd.run(&["codings"])
            .stderr
            .contains("warning: 1 coding in 1 document no longer matches its text")
    );
    wd.stale_then_moved(1);
    let text = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    assert!(text.contains("**SW1 (social worker):**"), "{text}");
    let c = &codings(&wd, "ana")[0];
    let (start, end) = (c["start"].as_u64().unwrap(), c["end"].as_u64().unwrap());
    assert_eq!(
        cp_slice(&text, start as usize, end as usize),
        "that was trust, starting"
    );
}

#[test]
fn a_same_size_edit_with_its_old_modification_time_is_still_seen() {
    let wd = Workdir::new("basic");
    wd.run(&["index"]).ok();
    wd.code_quote("ana", "Trust", "fg-one", "that was trust, starting");
    // A correction of the same size that moves the coded text (ten
    // characters out before it, ten in after it), and the modification
    // time put back the way `touch -r` or `rsync -t` do.
    let path = wd.path("corpus/fg-one.md");
    let old = std::fs::metadata(&path).unwrap().modified().unwrap();
    let original = wd.read("corpus/fg-one.md");
    let edited = original
        .replace("Honestly? Speed.", "Speed.")
        .replace("and then what?", "and then what? And then?");
    assert_eq!(
        edited.len(),
        original.len(),
        "the test needs a same-size edit"
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    wd.write("corpus/fg-one.md", &edited);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old);

    // The index sees the new text and not the old.
    let hits = wd.run(&["search", "Honestly", "--json"]).json_lines();
    assert_eq!(hits.last().unwrap()["hits"], 0, "{hits:?}");
    // The coding is called stale and put back on its words.
    wd.stale_then_moved(1);
    let text = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    let c = &codings(&wd, "ana")[0];
    let (start, end) = (c["start"].as_u64().unwrap(), c["end"].as_u64().unwrap());
    assert_eq!(
        cp_slice(&text, start as usize, end as usize),
        "that was trust, starting"
    );
}

#[test]
fn a_corrected_short_quote_or_echoed_sentence_does_not_move_to_another_speaker() {
    let wd = Workdir::new("basic");
    wd.write(
        "corpus/echo.md",
        "---\nid: echo\n---\n\n\
         **Interviewer:** Did the money help?\n\n\
         **SW1:** Yeah. We got the boiler fixed in three days.\n\n\
         **Interviewer:** And the family, did they notice?\n\n\
         **Mum:** Yeah. We were warm for the first time that winter.\n\n\
         **Interviewer:** So you got the boiler fixed in three days. And after that?\n",
    );
    let add = |code: &str, target: &str| {
        wd.run(&["code", "add", "--coder", "ana", "--code", code, target])
            .ok();
    };
    let plain = wd.run(&["show", "echo", "--plain"]).ok().to_string();
    let at = |text: &str, needle: &str, nth: usize| -> usize {
        let (b, _) = text.match_indices(needle).nth(nth).unwrap();
        text[..b].chars().count()
    };
    // The mother's "Yeah." (the second one) and the worker's sentence.
    let yeah = at(&plain, "Yeah.", 1);
    add("Trust", &format!("echo@{yeah}-{}", yeah + 5));
    let fixed = at(&plain, "We got the boiler fixed in three days.", 0);
    add("Speed", &format!("echo@{fixed}-{}", fixed + 38));

    // The transcriber corrects both: the mother said "Yes.", the worker
    // "mended within three days". The old words are still found elsewhere,
    // in another speaker's turn: the worker's "Yeah." and the
    // interviewer's echo.
    let edited = wd
        .read("corpus/echo.md")
        .replace("**Mum:** Yeah.", "**Mum:** Yes.")
        .replace(
            "**SW1:** Yeah. We got the boiler fixed in three days.",
            "**SW1:** Yeah. We got the boiler mended within three days.",
        );
    wd.write("corpus/echo.md", &edited);
    let out = wd.run(&["check", "--json"]);
    out.json_lines();
    let plain = wd.run(&["show", "echo", "--plain"]).ok().to_string();
    let other_yeah = at(&plain, "Yeah.", 0);
    let echo = at(&plain, "got the boiler fixed in three days", 0);
    for c in codings(&wd, "ana") {
        let start = c["start"].as_u64().unwrap() as usize;
        let end = c["end"].as_u64().unwrap() as usize;
        let text = cp_slice(&plain, start, end);
        assert!(
            start != other_yeah && !(start <= echo && echo < end),
            "moved onto another speaker's words: {c} ({text})"
        );
        // Either flagged for a person to place, or on its own corrected
        // words.
        if c.get("unplaced").is_none() {
            assert!(
                text == "Yes." || text.contains("mended within three days"),
                "{c} ({text})"
            );
        }
    }
}
