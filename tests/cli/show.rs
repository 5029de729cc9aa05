//! `realist show`.

use crate::workdir::Workdir;

#[test]
fn plain_prints_the_canonical_text_exactly() {
    let wd = Workdir::new("basic");
    let plain = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    assert!(plain.starts_with(
        "Facilitator: What difference has the budget made?\n\nSW1 (social worker): Honestly?"
    ));
    assert!(
        plain.ends_with("straight then away to finance."),
        "nothing added at the end"
    );
    assert!(!plain.contains("**"), "markup rendered away");
    assert!(!plain.contains("\n\n\n"));
    assert!(plain.contains("“you actually did it” 👍 and"));
    // CRLF and a BOM give the same canonical text.
    let crlf = format!(
        "\u{feff}{}",
        wd.read("corpus/fg-one.md").replace('\n', "\r\n")
    );
    wd.write("corpus/fg-one.md", crlf);
    assert_eq!(wd.run(&["show", "fg-one", "--plain"]).ok(), plain);
}

#[test]
fn reading_view_numbers_turns_and_names_speakers() {
    let wd = Workdir::new("basic");
    let out = wd.run(&["show", "int-two"]);
    let s = out.ok();
    assert!(s.starts_with("int-two  (corpus/sub/int-two.txt)"), "{s}");
    assert!(s.contains("site: Ashcombe"));
    assert!(
        s.contains("[1] Interviewer (researcher)\nDid the budget help"),
        "{s}"
    );
    assert!(s.contains("[2] YP (young person)\nYeah. Boxing."), "{s}");
    assert!(
        s.contains("no forms.\n\nBefore that nobody"),
        "continuation stays in turn 2: {s}"
    );
    assert!(s.contains("[4] YP (young person)"), "{s}");
}

#[test]
fn unknown_document_suggests_near_ids() {
    let wd = Workdir::new("basic");
    wd.fails_with(
        &["show", "fg-on"],
        &["no document with id 'fg-on' (did you mean 'fg-one'?)"],
    );
}
