//! Accented letters written composed (`é`, one code point) and decomposed
//! (`e` and a combining accent) are the same letters everywhere realist
//! matches text: search, the pseudonym key, `privacy check` and quotes
//! given to `code add`. The transcript's own text is never changed.

use crate::workdir::Workdir;

/// A transcript that writes every accent decomposed.
const DECOMPOSED: &str = "---\nid: int-accents\nsite: Northbrook\nmethod: interview\n---\n\n\
**Interviewer:** Who helped?\n\n\
**P1 (parent):** Rene\u{301}e from the cafe\u{301} helped me, and Rene\u{301}e came back.\n";

#[test]
fn composed_words_find_decomposed_text() {
    let wd = Workdir::new("basic");
    wd.write("corpus/int-accents.md", DECOMPOSED);
    // Search: the query typed composed finds the decomposed words, and the
    // offsets are the transcript's own.
    let out = wd.run(&["search", "caf\u{e9}", "--json"]);
    let hits: Vec<serde_json::Value> = out
        .json_lines()
        .into_iter()
        .filter(|r| r["type"] == "hit")
        .collect();
    assert_eq!(hits.len(), 1, "{}", out.stdout);
    assert_eq!(hits[0]["match"], "cafe\u{301}");
    let plain = wd.run(&["show", "int-accents", "--plain"]).ok().to_string();
    let start = hits[0]["start"].as_u64().unwrap() as usize;
    let end = hits[0]["end"].as_u64().unwrap() as usize;
    assert_eq!(crate::workdir::cp_slice(&plain, start, end), "cafe\u{301}");
    assert!(
        plain.contains("Rene\u{301}e"),
        "the text is left as written"
    );

    // code add --quote: a composed quote codes the decomposed text.
    let out = wd.run(&[
        "code",
        "add",
        "--coder",
        "ana",
        "--code",
        "Trust",
        "--doc",
        "int-accents",
        "--quote",
        "Ren\u{e9}e from the caf\u{e9}",
        "--json",
    ]);
    let added: Vec<serde_json::Value> = out.json_lines();
    assert_eq!(added[0]["quote"], "Rene\u{301}e from the cafe\u{301}");

    // The key, written composed, replaces the name written decomposed, and
    // privacy check then finds nothing left of it.
    wd.write("pseudonyms.csv", "name,pseudonym\nRen\u{e9}e,Tara\n");
    let quotes = wd
        .run(&["export", "quotes", "--format", "csv"])
        .ok()
        .to_string();
    assert!(quotes.contains("Tara from the cafe\u{301}"), "{quotes}");
    assert!(!quotes.contains("Rene\u{301}e") && !quotes.contains("Ren\u{e9}e"));
    wd.run(&["privacy", "check", "--coder", "ana"]).ok();

    // Without the key, privacy check finds the name in either form once.
    std::fs::remove_file(wd.path("pseudonyms.csv")).unwrap();
    let out = wd.run(&["privacy", "check", "--coder", "ana", "--json"]);
    let names: Vec<String> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["type"] == "name")
        .map(|r| r["word"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Ren\u{e9}e"], "{}", out.stderr);
}
