//! Layouts and speakers (issue 14): transcripts with one utterance per
//! line, text without labels said by a named participant, and labels
//! accepted only when the front matter lists them.

use crate::workdir::Workdir;

/// A think-aloud session as a usability lab writes it: one utterance per
/// line, no blank lines, the participant's words without a label, and
/// chart names that look like labels. Over 1,000 words.
fn think_aloud(front: &str) -> String {
    let mut body = String::new();
    for i in 1..=60 {
        body.push_str(&format!(
            "Moderator: What would you do on screen {i}?\n\
             Polar plot: that is what the heading says, I think.\n\
             I would look for the budget line first and then the dates, number {i}.\n"
        ));
    }
    format!(
        "---\nid: ta-04\nmethod: think-aloud\n{front}speakers:\n  Moderator: researcher\n  P4: participant\n---\n{body}"
    )
}

#[test]
fn a_think_aloud_read_as_paragraphs_is_one_turn_and_docs_says_so() {
    let wd = Workdir::new("basic");
    wd.write("corpus/ta-04.md", think_aloud(""));
    let out = wd.run(&["docs"]);
    out.ok();
    assert!(
        out.stderr.contains(
            "corpus/ta-04.md: 1919 words in 1 turn: if each line is an utterance, add `layout: lines` to its front matter"
        ),
        "{}",
        out.stderr
    );
    // The documents of ordinary length are not named.
    assert!(!out.stderr.contains("fg-one"), "{}", out.stderr);
}

#[test]
fn lines_unlabelled_and_listed_labels_give_each_speaker_their_words() {
    let wd = Workdir::new("basic");
    wd.write(
        "corpus/ta-04.md",
        think_aloud("layout: lines\nunlabelled: P4\nlabels: listed\n"),
    );
    let out = wd.run(&["docs", "--json", "--where", "method=think-aloud"]);
    let doc = &out.json_lines()[0];
    assert_eq!(doc["turns"], 180, "{doc}");
    assert!(!out.stderr.contains("words in"), "{}", out.stderr);
    // The front matter settings are not attributes.
    assert_eq!(
        doc["attributes"],
        serde_json::json!({"method": "think-aloud"})
    );

    // The participant's unlabelled line is hers, not the moderator's; a
    // chart name is not a speaker.
    let hits = wd
        .run(&["search", "\"budget line\"", "--json"])
        .json_lines();
    assert_eq!(hits.last().unwrap()["hits"], 60);
    assert_eq!(hits[0]["speaker"], "P4");
    assert_eq!(hits[0]["role"], "participant");
    let hits = wd.run(&["search", "heading", "--json"]).json_lines();
    assert_eq!(hits[0]["speaker"], "P4", "{}", hits[0]);
    let out = wd.run(&["search", "heading speaker:\"Polar plot\"", "--json"]);
    assert_eq!(out.json_lines().last().unwrap()["hits"], 0);

    // A quote over a question and the answer lines is attributed to the
    // participant, the dialogue under each speaker's label.
    wd.code_quote(
        "ana",
        "Speed",
        "ta-04",
        "What would you do on screen 7?\nPolar plot: that is what the heading says, I think.\nI would look for the budget line first",
    );
    let rows = wd
        .run(&["export", "quotes", "--format", "json"])
        .json_lines();
    let row = rows
        .iter()
        .find(|r| r["doc"] == "ta-04")
        .expect("the quote is exported");
    assert_eq!(row["speaker"], "P4", "{row}");
    let quote = row["quote"].as_str().unwrap();
    assert!(
        quote.starts_with("Moderator: What would you do on screen 7?\nP4: Polar plot: that is"),
        "{quote}"
    );
}

#[test]
fn a_corpus_wide_layout_is_read_from_the_config_and_checked() {
    let wd = Workdir::new("basic");
    wd.write(
        "corpus/captions.txt",
        "Interviewer: First line.\nSecond line.\nThird line.\n",
    );
    let turns = |wd: &Workdir| {
        wd.run(&["docs", "--json"])
            .json_lines()
            .into_iter()
            .find(|d| d["id"] == "captions")
            .unwrap()["turns"]
            .as_u64()
    };
    assert_eq!(turns(&wd), Some(1));
    wd.code_add("ana", "Speed", &["captions@38-49"]);
    let config = wd.read("realist.toml");
    wd.write(
        "realist.toml",
        format!("{config}layout = \"lines\"\nunlabelled = \"Participant\"\n"),
    );
    assert_eq!(turns(&wd), Some(3));
    // The text changed under the coding: it is called stale and put back
    // on its words.
    wd.stale_then_moved(1);

    // A word realist does not know is refused with its line.
    wd.write("realist.toml", format!("{config}layout = \"rows\"\n"));
    wd.fails_with(
        &["docs"],
        &["realist.toml:6: `layout` is \"paragraphs\" (blank lines between paragraphs, the default) or \"lines\" (every line its own paragraph)"],
    );
}
