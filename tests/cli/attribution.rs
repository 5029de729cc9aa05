//! Quotes exactly as coded, attributed to who spoke: a question and its
//! answer coded together are the participant's quote, a dialogue keeps
//! every speaker's label, and a span is never widened past what was coded.

use crate::workdir::Workdir;

const TALK: &str = "---\nid: int-talk\nsite: Northbrook\nmethod: interview\nspeakers:\n  P1: parent\n---\n\n\
**Interviewer:** How long did it take, the cooker?\n\n\
**P1:** It took three days and the money came. After that, things settled.\n\n\
**Interviewer:** And the worker?\n";

/// Returns the code point offsets of `s` in the transcript's canonical text.
fn at(wd: &Workdir, s: &str) -> (usize, usize) {
    let plain = wd.run(&["show", "int-talk", "--plain"]).ok().to_string();
    let b = plain
        .find(s)
        .unwrap_or_else(|| panic!("{s:?} not in {plain:?}"));
    let start = plain[..b].chars().count();
    (start, start + s.chars().count())
}

fn export(wd: &Workdir) -> Vec<serde_json::Value> {
    wd.run(&["export", "quotes", "--format", "json"])
        .json_lines()
        .into_iter()
        .filter(|r| r["type"] == "quote")
        .collect()
}

#[test]
fn a_question_coded_with_its_answer_is_the_participants_quote() {
    let wd = Workdir::new("basic");
    wd.write("corpus/int-talk.md", TALK);
    // Turns 1 and 2: the interviewer's question and the parent's answer.
    wd.code_add("ana", "Speed", &["int-talk:1-2"]);
    let rows = export(&wd);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        r["quote"],
        "Interviewer: How long did it take, the cooker?\nP1: It took three days and the money came. After that, things settled."
    );
    assert_eq!(r["attribution"], "Parent, interview, Northbrook");
    assert_eq!(
        (r["turn"].clone(), r["role"].clone()),
        (2.into(), "parent".into())
    );
    assert_eq!(r["turns"], serde_json::json!([1, 2]));
    let md = wd.run(&["export", "quotes"]).ok().to_string();
    assert!(md.contains("| int-talk, turns 1–2 |"), "{md}");

    // The interviewer's words alone stay the interviewer's.
    wd.code_add("ben", "Trust", &["int-talk:3"]);
    let rows = export(&wd);
    let theirs = rows.iter().find(|r| r["code"] == "Trust").unwrap();
    assert_eq!(theirs["attribution"], "Interviewer, interview, Northbrook");

    // Researcher roles are the project's to say: with only moderators
    // as researchers, the interviewer is quoted like anyone else.
    wd.write(
        "realist.toml",
        "[project]\nname = \"test fixture\"\n\n[corpus]\nfolder = \"corpus\"\nresearcher_roles = [\"moderator\"]\n",
    );
    let rows = export(&wd);
    let both = rows.iter().find(|r| r["code"] == "Speed").unwrap();
    assert_eq!(
        both["attribution"],
        "Interviewer and parent, interview, Northbrook"
    );
}

#[test]
fn a_span_is_quoted_as_coded_never_widened() {
    let wd = Workdir::new("basic");
    wd.write("corpus/int-talk.md", TALK);
    // " three days " with its spaces, and "the money came. " up to the
    // next word: offsets as another tool or a browser selection gives them.
    let (s, e) = at(&wd, " three days ");
    let (s2, e2) = at(&wd, "the money came. ");
    // A span that cuts words: "ree days an".
    let (s3, e3) = at(&wd, "ree days an");
    // From the end of an answer over the next label.
    let (s4, _) = at(&wd, "things settled.");
    let (_, e4) = at(&wd, "Interviewer: And");
    for (coder, (a, b)) in [
        ("ana", (s, e)),
        ("ben", (s2, e2)),
        ("chloe", (s3, e3)),
        ("dev", (s4, e4)),
    ] {
        wd.run(&[
            "code",
            "add",
            "--coder",
            coder,
            "--code",
            "Speed",
            &format!("int-talk@{a}-{b}"),
        ])
        .ok();
    }
    let rows = export(&wd);
    let quote = |coder: &str| {
        rows.iter()
            .find(|r| r["coders"][0] == coder)
            .map(|r| r["quote"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(quote("ana"), "three days");
    assert_eq!(quote("ben"), "the money came.");
    assert_eq!(quote("chloe"), "…days…");
    assert_eq!(quote("dev"), "P1: things settled.\nInterviewer: And");
}

#[test]
fn the_privacy_check_takes_a_dialogues_labels_for_labels_not_speech() {
    let wd = Workdir::new("basic");
    // Turns that end without a full stop, as spoken turns often do, so
    // each label stands where a word mid-sentence would.
    wd.write(
        "corpus/dlg.md",
        "---\nid: dlg\nmethod: interview\n---\n\n\
         **Interviewer:** and the money\n\n\
         **Keyworker:** it came quick\n\n\
         **Interviewer:** right so\n\n\
         **Keyworker:** and then Bethany got her bed\n\n\
         **Interviewer:** and after\n\n\
         **Keyworker:** it all went quiet\n",
    );
    for (coder, turns) in [("ana", "dlg:1-2"), ("ana", "dlg:3-4"), ("ben", "dlg:5-6")] {
        wd.code_add(coder, "Speed", &[turns]);
    }
    let out = wd.run(&["privacy", "check", "--json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found: Vec<(String, String)> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["type"] == "name" && r["doc"] == "dlg")
        .map(|r| {
            (
                r["word"].as_str().unwrap().to_string(),
                r["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The label is checked once, as a label; the name in speech is found.
    assert_eq!(
        found,
        [
            ("Keyworker".to_string(), "speaker".to_string()),
            ("Bethany".to_string(), "quote".to_string()),
        ],
        "{}",
        out.stdout
    );
}
