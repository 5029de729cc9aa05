//! `realist init`.

use crate::workdir::Workdir;

#[test]
fn init_scaffolds_a_project_that_works() {
    let wd = Workdir::empty();
    let out = wd.run(&["init", "study"]);
    let stdout = out.ok();
    for f in [
        "realist.toml",
        "corpus",
        "codebooks",
        "codings",
        ".gitignore",
    ] {
        assert!(stdout.contains(f), "{f} not reported in {stdout}");
        assert!(wd.path("study").join(f).exists(), "{f} missing");
    }
    assert!(wd.read("study/.gitignore").contains("/.realist/"));
    assert!(wd.read("study/.gitignore").contains("\n.realist-tmp-*\n"));
    assert!(wd.read("study/.gitignore").contains("\n/pseudonyms.csv\n"));
    // An existing .gitignore keeps its lines and gains realist's.
    wd.write("old/.gitignore", "*.docx");
    wd.run(&["init", "old"]).ok();
    assert_eq!(
        wd.read("old/.gitignore"),
        "*.docx\n# Derived by realist, always rebuildable from the corpus.\n/.realist/\n# Temporary files of interrupted writes (realist removes them).\n.realist-tmp-*\n# The pseudonym key re-identifies participants: never commit or share it.\n/pseudonyms.csv\n"
    );
    let docs = wd.run_in("study", &["docs", "--json"]).json_lines();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "example-interview");
    // The example codebook is valid, and its codes can be applied at once.
    let check = wd.run_in("study", &["codebook", "check"]);
    assert!(
        check.ok().contains("3 codes checked: 0 problems"),
        "{}",
        check.stdout
    );
    wd.run_in(
        "study",
        &[
            "code",
            "add",
            "--coder",
            "me",
            "--code",
            "Receipts",
            "example-interview:2",
        ],
    )
    .ok();
}

#[test]
fn init_refuses_an_existing_project_and_overwrites_nothing() {
    let wd = Workdir::empty();
    wd.run(&["init"]).ok();
    std::fs::write(wd.path("realist.toml"), "[project]\nname = \"mine\"\n").unwrap();
    wd.fails_with(&["init"], &["already a realist project"]);
    assert_eq!(wd.read("realist.toml"), "[project]\nname = \"mine\"\n");
}

#[test]
fn r19_init_adds_to_an_existing_gitignore_each_line_it_lacks() {
    let wd = Workdir::empty();
    // The index holds the transcripts' text: an existing .gitignore must
    // ignore it too, and the leftovers of killed writes; lines already
    // there (in any of their usual spellings) are not added again.
    wd.write("a/.gitignore", "/pseudonyms.csv\n");
    let out = wd.run(&["init", "a"]);
    assert!(
        out.ok()
            .contains(".gitignore (/.realist/ and .realist-tmp-* added)"),
        "{}",
        out.stdout
    );
    assert_eq!(
        wd.read("a/.gitignore"),
        "/pseudonyms.csv\n# Derived by realist, always rebuildable from the corpus.\n/.realist/\n# Temporary files of interrupted writes (realist removes them).\n.realist-tmp-*\n"
    );
    wd.write("b/.gitignore", ".realist\n.realist-tmp-*\npseudonyms.csv");
    let out = wd.run(&["init", "b"]);
    assert!(!out.ok().contains(".gitignore"), "{}", out.stdout);
    assert_eq!(
        wd.read("b/.gitignore"),
        ".realist\n.realist-tmp-*\npseudonyms.csv"
    );
}

#[test]
fn the_example_logic_model_is_marked_and_left_out_of_a_report_until_made_your_own() {
    let wd = Workdir::empty();
    wd.run(&["init", "study"]).ok();
    let model = wd.read("study/logic-model.md");
    assert!(model.contains("<!-- realist:example\n"), "{model}");
    // The report of a new project has no configurations section, and
    // says why on stderr.
    let out = wd.run_in("study", &["report"]);
    assert!(!out.ok().contains("CMO-1"), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "logic-model.md: this is still the example logic model `realist init` wrote; once it holds your own theory, delete the comment that opens with `<!-- realist:example` (left out of the report)"
        ),
        "{}",
        out.stderr
    );
    // `logic-model check` says so, as a note: the example is not an error.
    let out = wd.run_in("study", &["logic-model", "check"]);
    assert!(
        out.ok().contains("this is still the example logic model"),
        "{}",
        out.stdout
    );
    // With the comment gone, the theory is the project's own.
    let start = model.find("<!-- realist:example").unwrap();
    let end = start + model[start..].find("-->").unwrap() + 3;
    let own = format!("{}{}", &model[..start], &model[end..]);
    wd.write("study/logic-model.md", own);
    let out = wd.run_in("study", &["report"]);
    let report = out.ok();
    assert!(
        report.contains("## Configurations and their evidence"),
        "{report}"
    );
    assert!(report.contains("CMO-1"), "{report}");
    assert!(!out.stderr.contains("example"), "{}", out.stderr);
}
