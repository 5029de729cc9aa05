//! Read-only and full disks (issue 19): commands that only read work when
//! realist's state folder `.realist/` cannot be written, and no command
//! rewrites the index's manifest when nothing changed.
//!
//! The tests run as whoever runs the suite (often root, for whom
//! permission bits stop nothing), so "cannot be written" is made honestly
//! without privileges: `.realist` is a file, so no folder can be made
//! there; or `.realist/lock` is a folder, so the state lock cannot be
//! taken. A real read-only mount and a full disk were checked by hand (see
//! the commit message).

use crate::workdir::Workdir;

/// Returns the ids of the documents (each once) with a hit for `query`, and stderr.
fn search(wd: &Workdir, query: &str) -> (Vec<String>, String) {
    let out = wd.run(&["search", query, "--json"]);
    let mut docs: Vec<String> = out
        .json_lines()
        .iter()
        .filter(|r| r["type"] == "hit")
        .map(|r| r["doc"].as_str().unwrap().to_string())
        .collect();
    docs.dedup();
    (docs, out.stderr)
}

#[cfg(unix)]
#[test]
fn r19_commands_that_change_nothing_do_not_rewrite_the_manifest() {
    use std::os::unix::fs::MetadataExt;
    let wd = Workdir::new("basic");
    wd.run(&["docs"]).ok();
    let manifest = wd.path(".realist/manifest.json");
    let before = std::fs::metadata(&manifest).unwrap();
    for args in [
        &["docs"][..],
        &["show", "fg-one"],
        &["search", "budget"],
        &["index"],
    ] {
        wd.run(args).ok();
    }
    let after = std::fs::metadata(&manifest).unwrap();
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec()),
        "the manifest was rewritten"
    );
    // A change is still saved.
    wd.write(
        "corpus/new.md",
        "Interviewer: Anything else?\n\nP9 (parent): The fridge.\n",
    );
    wd.run(&["docs"]).ok();
    assert!(wd.read(".realist/manifest.json").contains("corpus/new.md"));
}

#[test]
fn r19_reading_works_when_the_state_folder_cannot_be_made() {
    let wd = Workdir::new("basic");
    // A file where the state folder would be: nothing can be written in it.
    wd.write(".realist", "not a folder");
    let (docs, stderr) = search(&wd, "budget");
    assert_eq!(docs, ["fg-one", "int-two"], "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].contains(".realist")
            && warnings[0].contains("could not be updated")
            && warnings[0].contains("nothing was saved"),
        "{stderr}"
    );
    let shown = wd.run(&["show", "int-two", "--plain"]).ok().to_string();
    assert!(!shown.is_empty());
    let docs = wd.run(&["docs", "--json"]).json_lines();
    assert_eq!(docs.len(), 2);
    wd.run(&["codebook"]).ok();
    assert_eq!(wd.read(".realist"), "not a folder");
}

#[test]
fn r19_reading_works_when_the_state_lock_cannot_be_taken() {
    let wd = Workdir::new("basic");
    wd.run(&["docs"]).ok();
    let manifest = wd.read(".realist/manifest.json");
    std::fs::remove_file(wd.path(".realist/lock")).unwrap();
    std::fs::create_dir(wd.path(".realist/lock")).unwrap();

    // The index matches the corpus: it is searched as it is, silently.
    let (docs, stderr) = search(&wd, "budget");
    assert_eq!(docs, ["fg-one", "int-two"], "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    wd.run(&["show", "fg-one"]).ok();

    // A transcript changed: the search is of the corpus as it is now, and
    // the warning says the saved index could not be updated.
    wd.write(
        "corpus/new.md",
        "Interviewer: Anything else?\n\nP9 (parent): The budget bought a fridge.\n",
    );
    let (docs, stderr) = search(&wd, "fridge");
    assert_eq!(docs, ["new"], "{stderr}");
    assert!(stderr.contains("could not be updated"), "{stderr}");
    wd.run(&["show", "new"]).ok();
    assert_eq!(wd.read(".realist/manifest.json"), manifest);

    // Once the lock can be taken again, the index catches up.
    std::fs::remove_dir(wd.path(".realist/lock")).unwrap();
    let (docs, stderr) = search(&wd, "fridge");
    assert_eq!(docs, ["new"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(wd.read(".realist/manifest.json").contains("corpus/new.md"));
}
