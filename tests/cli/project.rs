//! Finding the project, and project-level errors.

use crate::workdir::Workdir;

#[test]
fn found_from_a_subfolder() {
    let wd = Workdir::new("basic");
    let out = wd.run_in("corpus/sub", &["docs", "--json"]);
    assert_eq!(out.json_lines().len(), 2);
}

#[test]
fn project_flag_and_environment_variable() {
    let wd = Workdir::new("basic");
    let elsewhere = Workdir::empty();
    let root = wd.root.to_str().unwrap();
    let out = elsewhere.run(&["--project", root, "docs", "--json"]);
    assert_eq!(out.json_lines().len(), 2);
    let mut cmd = elsewhere.command(&["docs", "--json"]);
    cmd.env("REALIST_PROJECT", root);
    assert_eq!(crate::workdir::run(cmd).json_lines().len(), 2);
}

#[test]
fn no_project_is_an_error_with_a_hint() {
    let wd = Workdir::empty();
    wd.fails_with(
        &["docs"],
        &[
            "realist: error: no realist project found in",
            "hint: run `realist init`",
        ],
    );
    wd.fails_with(
        &["--project", "nowhere", "docs"],
        &["nowhere is not a realist project"],
    );
}

#[test]
fn missing_corpus_folder() {
    let wd = Workdir::new("basic");
    std::fs::remove_dir_all(wd.path("corpus")).unwrap();
    wd.fails_with(&["docs"], &["corpus folder", "does not exist"]);
}

#[test]
fn malformed_config_names_the_line() {
    let wd = Workdir::new("basic");
    wd.write(
        "realist.toml",
        "[corpus]\nfolder = \"corpus\"\nfolders = 2\n",
    );
    wd.fails_with(&["docs"], &["realist.toml:3: unknown field `folders`"]);
}

#[test]
fn custom_speaker_pattern_from_the_config() {
    let wd = Workdir::new("basic");
    wd.write(
        "realist.toml",
        "[corpus]\nfolder = \"corpus\"\nspeaker_pattern = '(?P<label>[A-Z]+)>\\s'\n",
    );
    std::fs::remove_dir_all(wd.path("corpus")).unwrap();
    wd.write(
        "corpus/a.md",
        "INT> Hello there.\n\nRESP> Hi. Budget talk.\n\nmore from RESP\n",
    );
    let docs = wd.run(&["docs", "--json"]).json_lines();
    assert_eq!(docs[0]["turns"], 2);
    let hits = wd.run(&["search", "budget", "--json"]).json_lines();
    assert_eq!(hits[0]["speaker"], "RESP");
}

#[test]
fn usage_errors_exit_2() {
    let wd = Workdir::new("basic");
    let out = wd.run(&["search"]);
    assert_eq!(out.code, 2);
    let out = wd.run(&["frobnicate"]);
    assert_eq!(out.code, 2);
}
