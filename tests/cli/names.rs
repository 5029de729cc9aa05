//! Names that deceive (issue 19): document ids and coder names made of, or
//! hiding, bidirectional controls and other invisible characters are
//! refused; a coder file that starts with a byte order mark is read.

use crate::workdir::Workdir;

/// A transcript whose front matter sets its id to `id`.
fn with_id(id: &str) -> String {
    format!("---\nid: \"{id}\"\n---\nInterviewer: Hello?\n\nP1 (parent): Hello.\n")
}

#[test]
fn r19_ids_with_bidi_controls_or_invisible_characters_are_refused() {
    let wd = Workdir::new("basic");
    // Only a right-to-left override.
    wd.write("corpus/rlo.md", with_id("\u{202e}"));
    wd.fails_with(
        &["docs"],
        &[
            "corpus/rlo.md:2: document id",
            "U+202E",
            "invisible or reorders the text",
        ],
    );
    std::fs::remove_file(wd.path("corpus/rlo.md")).unwrap();
    // An override that makes `fg-owt` display as `fg-two`, a zero-width
    // space inside an id, and a Hangul filler (a letter that shows nothing).
    for (id, code) in [
        ("fg-\u{202e}owt", "U+202E"),
        ("fg\u{200b}one", "U+200B"),
        ("int\u{3164}", "U+3164"),
    ] {
        wd.write("corpus/bad.md", with_id(id));
        wd.fails_with(&["docs"], &["corpus/bad.md:2: document id", code]);
    }
    std::fs::remove_file(wd.path("corpus/bad.md")).unwrap();
    // The file name is the id when the front matter has none.
    wd.write(
        "corpus/\u{2067}evil.md",
        "Interviewer: Hello?\n\nP1 (parent): Hello.\n",
    );
    wd.fails_with(&["docs"], &["document id", "U+2067"]);
}

#[test]
fn r19_coder_names_with_invisible_characters_are_refused() {
    let wd = Workdir::new("basic");
    for (name, code) in [("\u{3164}", "U+3164"), ("ana\u{115f}", "U+115F")] {
        wd.fails_with(
            &[
                "code", "add", "--coder", name, "--code", "Speed", "fg-one:2",
            ],
            &["coder name", code, "invisible"],
        );
    }
    // A bidi control was refused before; it still is.
    wd.fails_with(
        &[
            "code",
            "add",
            "--coder",
            "ana\u{202e}",
            "--code",
            "Speed",
            "fg-one:2",
        ],
        &["coder name", "U+202E"],
    );
    assert!(!wd.path("codings").exists());
}

#[test]
fn r19_a_coder_file_with_a_byte_order_mark_is_read() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2"]);
    let text = wd.read("codings/ana.jsonl");
    wd.write("codings/ana.jsonl", format!("\u{feff}{text}"));
    let out = wd.run(&["codings", "--coder", "ana", "--json"]);
    let listed = out.json_lines();
    assert_eq!(listed.len(), 1, "{}", out.stderr);
    assert_eq!(listed[0]["code"], "Speed");
    // A file to import may start with one too.
    let c: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let line = serde_json::json!({"doc": c["doc"], "start": c["start"], "end": c["end"], "code": c["code"]});
    wd.write("theirs.jsonl", format!("\u{feff}{line}\n"));
    wd.run(&["code", "import", "theirs.jsonl", "--coder", "ben"])
        .ok();
    assert_eq!(
        wd.run(&["codings", "--coder", "ben", "--json"])
            .json_lines()
            .len(),
        1
    );
}
