//! Control characters in project text (ESC, BEL, C1 controls) never reach
//! the researcher's terminal raw, nor an export (issue 19).

use crate::workdir::Workdir;

/// A transcript whose front matter, speech and label carry terminal
/// control sequences: a window title (OSC), clearing the screen, a bell,
/// an 8-bit CSI, DEL, and a carriage return that would overwrite the line.
const HOSTILE: &str = "---\nid: ctl\ntitle: \"Visit \\e]0;pwned\\a notes\\rHIDDEN\"\nsite: \"North\\e[31mbrook\"\n---\nP1: The budget \u{1b}[2J cleared it \u{7} all.\n\nP1: Then \u{9b}31m the budget again and a\u{7f} tab\there.\n";

/// Returns the control characters in `s` other than line feed and tab.
fn controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        .collect()
}

fn hostile_project() -> Workdir {
    let wd = Workdir::new("basic");
    wd.write("corpus/ctl.txt", HOSTILE);
    wd
}

#[test]
fn r19_project_text_is_printed_with_control_characters_escaped() {
    let wd = hostile_project();
    let added = wd
        .run(&[
            "code",
            "add",
            "--coder",
            "ana",
            "--code",
            "Speed",
            "--memo",
            "bell \u{7} and \u{1b}]0;title\u{7}",
            "ctl:1",
            "ctl:2",
        ])
        .ok()
        .to_string();
    for args in [
        &["docs"][..],
        &["show", "ctl"],
        &["show", "ctl", "--coder", "ana"],
        &["search", "budget"],
        &["codings"],
    ] {
        let out = wd.run(args).ok().to_string();
        assert_eq!(controls(&out), [], "realist {args:?}:\n{out:?}");
        assert!(out.contains("\\u001b"), "realist {args:?}:\n{out}");
    }
    assert_eq!(controls(&added), [], "code add:\n{added:?}");
    assert!(
        added.contains("budget \\u001b[2J cleared it \\u0007 all"),
        "{added}"
    );
    let show = wd.run(&["show", "ctl"]).ok().to_string();
    assert!(
        show.contains("title: Visit \\u001b]0;pwned\\u0007 notes\\u000dHIDDEN"),
        "{show}"
    );
    assert!(
        show.contains("Then \\u009b31m the budget again and a\\u007f tab\there."),
        "{show}"
    );
    let codings = wd.run(&["codings"]).ok().to_string();
    assert!(
        codings.contains("“The budget \\u001b[2J cleared it \\u0007 all.”"),
        "{codings}"
    );

    // JSON stays JSON: the characters escaped as JSON escapes them, and
    // read back as they were.
    let search = wd.run(&["search", "budget", "--json"]);
    assert_eq!(controls(&search.stdout), [], "{:?}", search.stdout);
    let hits = search.json_lines();
    assert!(
        hits.iter()
            .any(|h| h["right"].as_str().is_some_and(|r| r.contains("\u{1b}[2J"))),
        "{hits:?}"
    );
    assert!(
        hits.iter()
            .any(|h| h["left"].as_str().is_some_and(|r| r.contains('\u{9b}'))),
        "{hits:?}"
    );
    let docs = wd.run(&["docs", "--json"]);
    assert_eq!(controls(&docs.stdout), [], "{:?}", docs.stdout);
    assert!(docs.stdout.contains("\\u001b"), "{}", docs.stdout);

    // The canonical text is printed byte for byte when it is not going to
    // a terminal (offsets count every character).
    assert_eq!(
        wd.run(&["show", "ctl", "--plain"]).ok(),
        "P1: The budget \u{1b}[2J cleared it \u{7} all.\n\nP1: Then \u{9b}31m the budget again and a\u{7f} tab\there."
    );
}

#[test]
fn r19_exports_and_the_report_carry_no_raw_control_characters() {
    let wd = hostile_project();
    wd.run(&[
        "code",
        "add",
        "--coder",
        "ana",
        "--code",
        "Speed",
        "--memo",
        "bell \u{7} here",
        "ctl:1",
        "ctl:2",
    ])
    .ok();
    for format in ["md", "html", "json", "csv"] {
        let out = wd
            .run(&[
                "export",
                "quotes",
                "--format",
                format,
                "--by",
                "attribute:title",
            ])
            .ok()
            .to_string();
        let raw: Vec<char> = controls(&out.replace("\r\n", "\n"));
        assert_eq!(raw, [], "{format}:\n{out:?}");
        assert!(
            out.contains("\\u001b") || out.contains("\\\\u001b"),
            "{format}:\n{out}"
        );
    }
    let md = wd.run(&["export", "quotes"]).ok().to_string();
    assert!(
        md.contains("The budget \\\\u001b\\[2J cleared it \\\\u0007 all."),
        "{md}"
    );
    let json = wd
        .run(&["export", "quotes", "--format", "json"])
        .json_lines();
    assert!(
        json.iter().any(|q| q["quote"]
            .as_str()
            .is_some_and(|s| s.contains('\u{9b}') && s.contains('\u{7f}'))),
        "{json:?}"
    );
    let report = wd.run(&["report"]).ok().to_string();
    assert_eq!(controls(&report), [], "{report:?}");
    let html = wd.run(&["report", "--format", "html"]).ok().to_string();
    assert_eq!(controls(&html), [], "{html:?}");
    assert!(html.contains("\\u001b"), "{html}");
}
