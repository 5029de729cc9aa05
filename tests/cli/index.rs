//! `realist index`: incremental refresh and recovery from a broken index.

use crate::workdir::Workdir;

fn index_json(wd: &Workdir) -> serde_json::Value {
    let lines = wd.run(&["index", "--json"]).json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["type"], "index");
    lines[0].clone()
}

#[test]
fn first_run_adds_everything_second_run_nothing() {
    let wd = Workdir::new("basic");
    let first = index_json(&wd);
    assert_eq!(first["added"], serde_json::json!(["fg-one", "int-two"]));
    assert_eq!(first["documents"], 2);
    assert_eq!(first["turns"], 9);
    let second = index_json(&wd);
    assert_eq!(second["added"], serde_json::json!([]));
    assert_eq!(second["unchanged"], 2);
    let human = wd.run(&["index"]);
    assert!(
        human.ok().contains(
            "2 documents and 9 turns indexed: 0 added, 0 changed, 0 removed, 2 unchanged"
        )
    );
}

#[test]
fn only_changed_added_and_removed_files_are_touched() {
    let wd = Workdir::new("basic");
    index_json(&wd);
    let text = wd
        .read("corpus/fg-one.md")
        .replace("Honestly? Speed.", "Honestly? Velocity.");
    wd.write("corpus/fg-one.md", text);
    wd.write("corpus/new.md", "Interviewer: A new one about velocity.\n");
    std::fs::remove_file(wd.path("corpus/sub/int-two.txt")).unwrap();
    let r = index_json(&wd);
    assert_eq!(r["changed"], serde_json::json!(["fg-one"]));
    assert_eq!(r["added"], serde_json::json!(["new"]));
    assert_eq!(r["removed"], serde_json::json!(["int-two"]));
    assert_eq!(r["unchanged"], 0);
    // The search sees exactly the new state.
    let hits = wd.run(&["search", "velocity", "--json"]).json_lines();
    assert_eq!(hits.len(), 3);
    assert_eq!(
        wd.run(&["search", "Siân", "--json"]).json_lines().len(),
        1,
        "removed doc still found"
    );
}

#[test]
fn touching_a_file_without_changing_it_reindexes_nothing() {
    let wd = Workdir::new("basic");
    index_json(&wd);
    let text = wd.read("corpus/fg-one.md");
    std::thread::sleep(std::time::Duration::from_millis(20));
    wd.write("corpus/fg-one.md", text);
    let r = index_json(&wd);
    assert_eq!(r["changed"], serde_json::json!([]));
    assert_eq!(r["unchanged"], 2);
}

#[test]
fn searching_refreshes_a_stale_index_first() {
    let wd = Workdir::new("basic");
    assert_eq!(
        wd.run(&["search", "velocity", "--json"]).json_lines().len(),
        1
    );
    wd.write("corpus/later.md", "Interviewer: velocity velocity\n");
    let lines = wd.run(&["search", "velocity", "--json"]).json_lines();
    assert_eq!(lines.last().unwrap()["hits"], 2);
}

#[test]
fn a_broken_index_is_rebuilt_not_trusted() {
    let wd = Workdir::new("basic");
    index_json(&wd);
    std::fs::write(wd.path(".realist/index/meta.json"), "this is not an index").unwrap();
    let r = index_json(&wd);
    assert!(
        r["rebuilt"]
            .as_str()
            .unwrap()
            .contains("could not be opened"),
        "{r}"
    );
    assert_eq!(r["turns"], 9);
    let hits = wd.run(&["search", "trust", "--json"]).json_lines();
    assert_eq!(hits.last().unwrap()["hits"], 3);
}

#[test]
fn a_foreign_or_mismatched_index_is_rebuilt() {
    let wd = Workdir::new("basic");
    index_json(&wd);
    // The manifest no longer describes the index.
    let manifest = wd
        .read(".realist/manifest.json")
        .replace("\"turns\":5", "\"turns\":6");
    wd.write(".realist/manifest.json", manifest);
    let r = index_json(&wd);
    assert!(
        r["rebuilt"].as_str().unwrap().contains("did not match"),
        "{r}"
    );
    // A missing manifest beside an index.
    std::fs::remove_file(wd.path(".realist/manifest.json")).unwrap();
    let r = index_json(&wd);
    assert!(
        r["rebuilt"]
            .as_str()
            .unwrap()
            .contains("manifest was missing"),
        "{r}"
    );
    assert_eq!(r["turns"], 9);
    // Junk in the index folder.
    std::fs::remove_dir_all(wd.path(".realist/index")).unwrap();
    wd.write(".realist/index/junk.bin", [0u8, 1, 2]);
    let r = index_json(&wd);
    assert!(r["rebuilt"].is_string(), "{r}");
    assert_eq!(r["turns"], 9);
}

#[test]
fn rebuild_flag_starts_over() {
    let wd = Workdir::new("basic");
    index_json(&wd);
    let lines = wd.run(&["index", "--rebuild", "--json"]).json_lines();
    assert_eq!(lines[0]["added"], serde_json::json!(["fg-one", "int-two"]));
}

#[test]
fn bad_transcripts_fail_with_file_and_line_and_change_nothing() {
    let wd = Workdir::new("basic");
    index_json(&wd);
    let before = wd.read(".realist/manifest.json");

    wd.write(
        "corpus/bad.md",
        "---\nsite: [Northbrook\n---\nInterviewer: hi\n",
    );
    wd.fails_with(
        &["search", "trust"],
        &["corpus/bad.md:3: malformed front matter"],
    );
    assert_eq!(wd.read(".realist/manifest.json"), before);

    wd.write("corpus/bad.md", "---\nsite: x\nInterviewer: hi\n");
    wd.fails_with(
        &["index"],
        &["corpus/bad.md:1: front matter opened with `---` is never closed"],
    );

    wd.write("corpus/bad.md", b"Interviewer: caf\xe9\n");
    wd.fails_with(
        &["index"],
        &[
            "corpus/bad.md:1: invalid UTF-8 at byte offset 16",
            "hint: re-save the file as UTF-8",
        ],
    );

    wd.write("corpus/bad.md", "---\nid: fg-one\n---\nInterviewer: hi\n");
    wd.fails_with(
        &["index"],
        &["document id 'fg-one' is used by both corpus/bad.md and corpus/fg-one.md"],
    );
    assert_eq!(wd.read(".realist/manifest.json"), before);

    std::fs::remove_file(wd.path("corpus/bad.md")).unwrap();
    let r = index_json(&wd);
    assert_eq!(r["unchanged"], 2);
}

#[test]
fn an_empty_transcript_is_a_warning_not_a_failure() {
    let wd = Workdir::new("basic");
    wd.write("corpus/empty.md", "---\nsite: Northbrook\n---\n\n");
    let out = wd.run(&["index"]);
    out.ok();
    assert!(
        out.stderr
            .contains("realist: warning: corpus/empty.md: transcript is empty"),
        "{}",
        out.stderr
    );
    // The warning is repeated by `index` while the file stays empty.
    assert!(wd.run(&["index"]).stderr.contains("transcript is empty"));
    let docs = wd.run(&["docs", "--json"]).json_lines();
    assert_eq!(docs.len(), 3);
}

#[test]
fn json_and_quiet_keep_stderr_clean() {
    let wd = Workdir::new("basic");
    let out = wd.run(&["index", "--json"]);
    out.ok();
    assert_eq!(out.stderr, "", "nothing but JSON under --json");
    std::fs::remove_file(wd.path(".realist/manifest.json")).unwrap();
    let out = wd.run(&["--quiet", "search", "trust"]);
    out.ok();
    assert_eq!(out.stderr, "", "--quiet hides the rebuild notice");
    std::fs::remove_file(wd.path(".realist/manifest.json")).unwrap();
    let out = wd.run(&["search", "trust"]);
    assert!(
        out.stderr.contains("rebuilt the search index"),
        "{}",
        out.stderr
    );
}

#[test]
fn concurrent_commands_wait_for_each_other() {
    let wd = Workdir::new("basic");
    // Four processes start on a fresh project at once: all must succeed and
    // the index must end up whole (they wait on .realist/lock).
    let children: Vec<_> = (0..4)
        .map(|_| {
            wd.command(&["search", "trust", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let c = c.wait_with_output().unwrap();
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
        let last = String::from_utf8(c.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap()
            .to_string();
        assert!(last.contains("\"hits\":3"), "{last}");
    }
    let r = index_json(&wd);
    assert_eq!(r["turns"], 9);
}
