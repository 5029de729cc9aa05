//! `realist docs`.

use crate::workdir::Workdir;

#[test]
fn lists_documents_with_counts_and_attributes() {
    let wd = Workdir::new("basic");
    let docs = wd.run(&["docs", "--json"]).json_lines();
    assert_eq!(docs.len(), 2);
    let d = &docs[0];
    assert_eq!(d["type"], "doc");
    assert_eq!(d["id"], "fg-one");
    assert_eq!(d["path"], "corpus/fg-one.md");
    assert_eq!(d["turns"], 5);
    assert_eq!(d["attributes"]["site"], "Northbrook");
    assert_eq!(
        d["attributes"]["roles"],
        serde_json::json!(["social worker", "team manager"])
    );
    assert_eq!(docs[1]["id"], "int-two");
    assert_eq!(docs[1]["path"], "corpus/sub/int-two.txt");
    assert_eq!(docs[1]["attributes"]["case"], "C07");
    assert!(d["words"].as_u64().unwrap() > 50);
}

#[test]
fn human_table_and_where_filter() {
    let wd = Workdir::new("basic");
    let out = wd.run(&["docs", "--where", "method=interview"]);
    let stdout = out.ok();
    assert!(stdout.starts_with("ID"), "{stdout}");
    assert!(
        stdout.contains("int-two") && !stdout.contains("fg-one"),
        "{stdout}"
    );
    assert!(stdout.contains("1 document, 4 turns"), "{stdout}");
}
