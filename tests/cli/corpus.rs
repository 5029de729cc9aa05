//! What the corpus folder may hold besides transcripts (issue 19): links,
//! files and settings that lead out of the project, links that lead
//! nowhere or round in circles, and file names that are not UTF-8.
//!
//! Files "outside the project" are made in a sibling folder of the project
//! inside the test's own temporary folder, never in a system folder.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::PathBuf;

use crate::workdir::Workdir;

/// A word only the outside file holds.
const SECRET: &str = "Zebrafinch";

/// Returns a folder beside the project (outside it) holding `secret.md`
/// and `cases.csv`.
fn outside(wd: &Workdir) -> PathBuf {
    let dir = wd.root.parent().unwrap().join("outside");
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    let text = format!("Interviewer: What happened?\n\nP1 (parent): {SECRET} came round.\n");
    std::fs::write(dir.join("secret.md"), &text).unwrap();
    std::fs::write(dir.join("folder/also-secret.md"), &text).unwrap();
    std::fs::write(
        dir.join("cases.csv"),
        format!("root:x:0:0:{SECRET}:/root:/bin/bash\n"),
    )
    .unwrap();
    dir
}

/// Returns the ids `realist docs` lists, and its stderr.
fn docs(wd: &Workdir) -> (Vec<String>, String) {
    let out = wd.run(&["docs", "--json"]);
    let ids = out
        .json_lines()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    (ids, out.stderr)
}

#[test]
fn r19_links_out_of_the_project_are_skipped_with_a_warning() {
    let wd = Workdir::new("basic");
    let out = outside(&wd);
    symlink(out.join("secret.md"), wd.path("corpus/leak.md")).unwrap();
    symlink(out.join("folder"), wd.path("corpus/sub/leaks")).unwrap();

    let (ids, stderr) = docs(&wd);
    assert_eq!(ids, ["fg-one", "int-two"], "{stderr}");
    for link in ["corpus/leak.md", "corpus/sub/leaks"] {
        let warning = stderr
            .lines()
            .find(|l| l.contains(link))
            .unwrap_or_else(|| panic!("no warning naming {link}:\n{stderr}"));
        assert!(
            warning.starts_with("realist: warning: ")
                && warning.contains("outside the project")
                && warning.contains("allow_outside"),
            "{warning}"
        );
    }
    assert!(!stderr.contains(SECRET), "{stderr}");
    let out_search = wd.run(&["search", SECRET, "--json"]);
    assert!(!out_search.ok().contains(SECRET), "{}", out_search.stdout);
    wd.fails_with(&["show", "leak"], &["no document with id 'leak'"]);
    // One warning per link, not one per command phase.
    let out_search = wd.run(&["search", "budget"]);
    assert_eq!(out_search.stderr.matches("corpus/leak.md").count(), 1);

    // With the project's explicit consent they are read.
    wd.write(
        "realist.toml",
        "[project]\nname = \"test fixture\"\nallow_outside = true\n\n[corpus]\nfolder = \"corpus\"\n",
    );
    let (ids, stderr) = docs(&wd);
    assert_eq!(
        ids,
        ["also-secret", "fg-one", "int-two", "leak"],
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn r19_links_inside_the_project_are_followed() {
    let wd = Workdir::new("basic");
    wd.write(
        "notes/extra.md",
        "Interviewer: And then?\n\nP2 (parent): The kettle arrived.\n",
    );
    wd.write(
        "archive/old/older.md",
        "Interviewer: Before?\n\nP3 (parent): Nothing changed.\n",
    );
    symlink("../notes/extra.md", wd.path("corpus/extra.md")).unwrap();
    symlink(wd.path("archive/old"), wd.path("corpus/old")).unwrap();
    // A link to a transcript already in the corpus does not list it twice.
    symlink("fg-one.md", wd.path("corpus/fg-alias.md")).unwrap();

    let (ids, stderr) = docs(&wd);
    assert_eq!(ids, ["extra", "fg-one", "int-two", "older"], "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let shown = wd.run(&["show", "extra", "--plain"]).ok().to_string();
    assert!(shown.contains("The kettle arrived."), "{shown}");
}

#[test]
fn r19_broken_links_and_loops_are_skipped_and_break_nothing() {
    let wd = Workdir::new("basic");
    symlink("nowhere.md", wd.path("corpus/dangling.md")).unwrap();
    symlink("self.md", wd.path("corpus/self.md")).unwrap();
    // Folders that lead back up, and two that lead into each other.
    symlink("..", wd.path("corpus/sub/up")).unwrap();
    std::fs::create_dir_all(wd.path("corpus/x")).unwrap();
    std::fs::create_dir_all(wd.path("corpus/y")).unwrap();
    symlink("../y", wd.path("corpus/x/to-y")).unwrap();
    symlink("../x", wd.path("corpus/y/to-x")).unwrap();

    let (ids, stderr) = docs(&wd);
    assert_eq!(ids, ["fg-one", "int-two"], "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(
        warnings[0].contains("corpus/dangling.md") && warnings[0].contains("leads nowhere"),
        "{stderr}"
    );
    assert!(
        warnings[1].contains("corpus/self.md") && warnings[1].contains("cannot be followed"),
        "{stderr}"
    );
    assert!(stderr.lines().all(|l| l.len() < 300), "{stderr}");
    // Every other command works as usual.
    wd.run(&["show", "fg-one"]).ok();
    let hits = wd.run(&["search", "budget", "--json"]).json_lines();
    assert!(hits.iter().any(|h| h["type"] == "hit"));
    wd.code_add("ana", "Speed", &["fg-one:2"]);
}

#[test]
fn r19_a_corpus_or_case_file_outside_the_project_needs_explicit_consent() {
    let wd = Workdir::new("basic");
    let out = outside(&wd);
    let config = |extra: &str, corpus: &str| {
        format!("[project]\nname = \"test fixture\"\n{extra}\n[corpus]\nfolder = \"{corpus}\"\n")
    };
    let folder = out.join("folder");
    wd.write("realist.toml", config("", folder.to_str().unwrap()));
    wd.fails_with(
        &["docs"],
        &[
            "the corpus folder",
            "outside/folder",
            "is outside the project",
            "allow_outside = true",
        ],
    );
    // A corpus folder that is itself a link out of the project, too.
    wd.write("realist.toml", config("", "linked"));
    symlink(&folder, wd.path("linked")).unwrap();
    wd.fails_with(&["docs"], &["the corpus folder", "is outside the project"]);

    // The case file named in realist.toml.
    let cases = out.join("cases.csv");
    wd.write(
        "realist.toml",
        format!(
            "{}\n[cases]\nfile = \"{}\"\n",
            config("", "corpus"),
            cases.display()
        ),
    );
    let err = wd.fails_with(
        &["docs"],
        &[
            "the case file",
            "outside/cases.csv",
            "is outside the project",
        ],
    );
    assert!(!err.contains(SECRET), "{err}");
    // The default case file, as a link out of the project.
    wd.write("realist.toml", config("", "corpus"));
    symlink(&cases, wd.path("corpus/cases.csv")).unwrap();
    let err = wd.fails_with(&["docs"], &["the case file", "is outside the project"]);
    assert!(!err.contains(SECRET), "{err}");

    // Allowed explicitly, it is read; its parse error names the file and
    // line but shows nothing of its content.
    wd.write("realist.toml", config("allow_outside = true\n", "corpus"));
    let err = wd.fails_with(&["docs"], &["cases.csv:1:", "outside the project"]);
    assert!(!err.contains(SECRET) && !err.contains("root:x"), "{err}");
    std::fs::write(&cases, "case,site\nC07,Ashcombe\n").unwrap();
    let (ids, _) = docs(&wd);
    assert_eq!(ids, ["fg-one", "int-two"]);
    wd.write(
        "realist.toml",
        config("allow_outside = true\n", folder.to_str().unwrap()),
    );
    let (ids, _) = docs(&wd);
    assert_eq!(ids, ["also-secret"]);
}

#[test]
fn r19_file_names_that_are_not_utf8_are_refused_naming_the_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new("basic");
    let name = std::ffi::OsStr::from_bytes(b"bad\xff\xfe.md");
    std::fs::write(
        wd.path("corpus/sub").join(name),
        "Interviewer: Hello?\n\nP1 (parent): Hello.\n",
    )
    .unwrap();
    let err = wd.fails_with(
        &["docs"],
        &[
            "corpus/sub/bad\\xFF\\xFE.md",
            "not valid UTF-8",
            "hint: rename",
        ],
    );
    assert!(!err.contains('\u{fffd}'), "{err}");
    // A file that is no transcript may have any name.
    std::fs::remove_file(wd.path("corpus/sub").join(name)).unwrap();
    std::fs::write(
        wd.path("corpus")
            .join(std::ffi::OsStr::from_bytes(b"scan\xff.pdf")),
        "x",
    )
    .unwrap();
    let (ids, _) = docs(&wd);
    assert_eq!(ids, ["fg-one", "int-two"]);
}
