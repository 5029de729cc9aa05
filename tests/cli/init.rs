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
    assert!(wd.read("study/.gitignore").contains("\n/pseudonyms.csv\n"));
    // An existing .gitignore keeps its lines and gains the key's.
    wd.write("old/.gitignore", "*.docx");
    wd.run(&["init", "old"]).ok();
    assert_eq!(
        wd.read("old/.gitignore"),
        "*.docx\n# The pseudonym key re-identifies participants: never commit or share it.\n/pseudonyms.csv\n"
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
