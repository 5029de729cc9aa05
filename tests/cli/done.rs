//! Document status: `realist done` marks documents finished; comparisons
//! count a finished document, codings or not, and say why any other is
//! left out.

use crate::workdir::Workdir;

#[test]
fn finished_documents_are_compared_codings_or_not() {
    let wd = Workdir::new("basic");
    // Both coders coded fg-one; nobody coded int-two.
    wd.code_add("ana", "Trust", &["fg-one:2"]);
    wd.code_add("ben", "Trust", &["fg-one:2"]);
    let out = wd.run(&["agree", "--coders", "ana,ben", "--json"]);
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    assert_eq!(a["documents"], serde_json::json!(["fg-one"]));
    // A document nobody coded is not silently left out.
    assert_eq!(a["left_out"][0]["doc"], "int-two");
    assert_eq!(a["left_out"][0]["reason"], "nobody coded it");
    assert!(
        out.stderr
            .contains("1 document left out of the comparison: int-two (nobody coded it)"),
        "{}",
        out.stderr
    );

    // Both read int-two and found nothing to code: it is compared, as
    // turns neither of them coded.
    let marked = wd
        .run(&["done", "int-two", "fg-one", "--coder", "ana", "--json"])
        .json_lines();
    assert_eq!(marked[0]["type"], "finished");
    assert_eq!(
        marked[0]["changed"],
        serde_json::json!(["int-two", "fg-one"])
    );
    assert_eq!(marked[0]["total"], 2);
    let out = wd.run(&["agree", "--coders", "ana,ben", "--json"]);
    let a: serde_json::Value = serde_json::from_str(out.ok()).unwrap();
    // ben marks nothing: his documents are the ones he coded.
    assert_eq!(a["documents"], serde_json::json!(["fg-one"]));
    assert_eq!(a["left_out"][0]["reason"], "not coded by ben");
    wd.run(&["done", "int-two", "fg-one", "--coder", "ben"])
        .ok();
    let a: serde_json::Value =
        serde_json::from_str(wd.run(&["agree", "--coders", "ana,ben", "--json"]).ok()).unwrap();
    assert_eq!(a["documents"], serde_json::json!(["fg-one", "int-two"]));
    assert_eq!(a["left_out"], serde_json::json!([]));
    assert_eq!(
        wd.read("codings/ben.done")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        ["fg-one", "int-two"]
    );

    // Undone: ben has not finished int-two after all.
    let out = wd
        .run(&["done", "int-two", "--coder", "ben", "--undo"])
        .ok()
        .to_string();
    assert!(
        out.contains("marked 1 document not finished for ben"),
        "{out}"
    );
    let a: serde_json::Value =
        serde_json::from_str(wd.run(&["agree", "--coders", "ana,ben", "--json"]).ok()).unwrap();
    assert_eq!(a["left_out"][0]["reason"], "not finished by ben");

    // docs and codebook show each coder's progress.
    let docs = wd.run(&["docs"]).ok().to_string();
    assert!(docs.contains("finished by ana"), "{docs}");
    assert!(
        docs.contains("ana: 2 of 2 documents finished (1 coded)"),
        "{docs}"
    );
    assert!(
        docs.contains("ben: 1 of 2 documents finished (1 coded)"),
        "{docs}"
    );
    let listed = wd.run(&["docs", "--json"]).json_lines();
    assert_eq!(listed[0]["finished_by"], serde_json::json!(["ana", "ben"]));
    let book = wd.run(&["codebook"]).ok().to_string();
    assert!(book.contains("ben: 1 of 2 documents finished"), "{book}");
}

#[test]
fn a_coder_who_only_reads_is_a_coder_and_bad_marks_are_refused() {
    let wd = Workdir::new("basic");
    // chloe read int-two and coded nothing: she is a coder all the same.
    wd.run(&["done", "int-two", "--coder", "chloe"]).ok();
    assert!(
        wd.run(&["codings", "--coder", "chloe"])
            .ok()
            .contains("0 codings")
    );
    wd.fails_with(
        &["done", "int-tow", "--coder", "chloe"],
        &["no document with id 'int-tow' (did you mean 'int-two'?)"],
    );
    wd.fails_with(
        &["done", "fg-one", "--coder", "../x"],
        &["coder name '../x'"],
    );
}
