//! Hostile input (issue 19): transcripts and queries made to take all the
//! memory or overflow the stack are refused with an error naming the file,
//! line and column, never a crash; so is a code heading with no name.
//! (Hostile *sizes*, which must take time in proportion to them, are
//! measured by the benchmark's `--only-hostile`; see BENCHMARKS.md.)

use crate::workdir::Workdir;

/// Returns a transcript whose front matter is a "billion laughs": a list of
/// nine values, then `levels - 1` lists of nine aliases of the one before.
fn laughs(levels: usize) -> String {
    let names: Vec<char> = ('a'..='z').take(levels).collect();
    let mut text = format!(
        "---\n{0}: &{0} [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n",
        names[0]
    );
    for pair in names.windows(2) {
        let aliases = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("{0}: &{0} [{aliases}]\n", pair[1]));
    }
    text + "---\n\nInterviewer: hello\n"
}

#[test]
fn r19_front_matter_aliases_that_repeat_too_much_are_refused_with_their_line() {
    let wd = Workdir::new("basic");
    // The report's file: 9^9 copies of "lol" took 11.4 GB in 60 s. Every
    // command reads the corpus, so every command refuses it, at once.
    wd.write("corpus/laughs.md", laughs(9));
    for args in [&["docs"][..], &["search", "budget"], &["codebook"]] {
        wd.fails_with(
            args,
            &[
                "corpus/laughs.md:6: the front matter's aliases (`*name`) repeat more than 65536 bytes of values by column 11",
                "write the values out",
            ],
        );
    }
    // Aliases of one long value in a list of plain values: the shape of an
    // attribute, and still too much repeated.
    let long = "x".repeat(1000);
    let copies = vec!["*long"; 70].join(", ");
    wd.write(
        "corpus/laughs.md",
        format!("---\nnote: &long {long}\ncopies: [{copies}]\n---\n\nInterviewer: hi\n"),
    );
    wd.fails_with(
        &["docs"],
        &[
            "corpus/laughs.md:3: the front matter's aliases",
            "by column 465",
        ],
    );
    // A few aliases are fine.
    wd.write(
        "corpus/laughs.md",
        "---\nsite: &s Northbrook\nsites: [*s, *s]\n---\n\nInterviewer: hi\n",
    );
    assert!(wd.run(&["docs"]).ok().contains("3 documents"));
}

#[test]
fn r19_front_matter_nested_too_deep_is_refused_with_its_line_and_column() {
    let wd = Workdir::new("basic");
    // 30,000 nested block lists overflowed the YAML loader's stack (exit 134).
    wd.write(
        "corpus/deep.md",
        format!("---\n{}x\n---\n\nInterviewer: hi\n", "- ".repeat(30_000)),
    );
    wd.fails_with(
        &["docs"],
        &["corpus/deep.md:2: the front matter nests lists and mappings more than 16 deep (column 33): an attribute is a value or a list of values"],
    );
    // In brackets, on the line of a key.
    wd.write(
        "corpus/deep.md",
        format!(
            "---\nsite: Northbrook\nnested: {}x{}\n---\n\nInterviewer: hi\n",
            "[".repeat(20),
            "]".repeat(20)
        ),
    );
    wd.fails_with(&["search", "budget"], &["corpus/deep.md:3:", "(column 24)"]);
    // Removing the file is all it takes: nothing was left half done.
    std::fs::remove_file(wd.path("corpus/deep.md")).unwrap();
    assert!(wd.run(&["docs"]).ok().contains("2 documents"));
}

#[test]
fn r19_front_matter_longer_than_64_kib_is_refused_with_its_line() {
    let wd = Workdir::new("basic");
    let keys: String = (0..6000).map(|i| format!("key{i}: value {i}\n")).collect();
    wd.write(
        "corpus/long.md",
        format!("---\n{keys}---\n\nInterviewer: hi\n"),
    );
    wd.fails_with(
        &["docs"],
        &["corpus/long.md:3389: the front matter is longer than 65536 bytes by this line: keep it to the document's id, speakers and attributes, and end it with a line `---`"],
    );
    // One long line, in a file whose front matter never ends: refused at
    // that line, without reading on.
    wd.write(
        "corpus/long.md",
        format!("---\nnote: {}\n", "word ".repeat(20_000)),
    );
    wd.fails_with(&["docs"], &["corpus/long.md:2: the front matter is longer"]);
}

#[test]
fn r19_queries_nested_too_deep_are_refused_at_their_column() {
    let wd = Workdir::new("basic");
    // 8,000 brackets or 30,000 NOTs overflowed the stack (exit 134).
    let brackets = format!("{}speed{}", "(".repeat(8000), ")".repeat(8000));
    wd.fails_with(
        &["search", &brackets],
        &[
            "query does not parse at column 65: brackets and NOT are nested more than 64 deep here: write the query flatter",
            "hint: in the query\n    …((((((",
        ],
    );
    let nots = format!("{}speed", "NOT ".repeat(30_000));
    wd.fails_with(
        &["search", &nots],
        &["column 257: brackets and NOT are nested"],
    );
    // As deep as allowed works.
    let deepest = format!("{}speed{}", "(".repeat(64), ")".repeat(64));
    assert!(wd.run(&["search", &deepest]).ok().contains("Speed"));
}

#[test]
fn r19_keywords_nested_too_deep_are_a_codebook_problem_not_a_crash() {
    let wd = Workdir::new("basic");
    let brackets = format!("{}speed{}", "(".repeat(8000), ")".repeat(8000));
    wd.write(
        "codebooks/zz-deep.md",
        format!("## Deep\nKeywords too deep.\n\nKeywords: `{brackets}`\n"),
    );
    let out = wd.run(&["codebook", "check"]);
    out.fails_with(&["the codebook check found 1 problem"]);
    assert!(
        out.stdout.contains("error: codebooks/zz-deep.md:1: keywords of 'Deep' do not work as a search: query does not parse at column 65: brackets and NOT are nested more than 64 deep here"),
        "{}",
        out.stdout
    );
    wd.fails_with(
        &[
            "code",
            "hits",
            "--code",
            "Deep",
            "--coder",
            "ana",
            "--dry-run",
        ],
        &["query does not parse at column 65: brackets and NOT are nested"],
    );
}

#[test]
fn r19_a_code_heading_with_no_name_is_refused_with_its_line() {
    let wd = Workdir::new("basic");
    wd.write(
        "codebooks/zz-unnamed.md",
        "## \nA code with no name.\n\n### Child\nUnder it.\n",
    );
    let out = wd.run(&["codebook", "check"]);
    out.fails_with(&["the codebook check found 2 problems"]);
    for expected in [
        "error: codebooks/zz-unnamed.md:1: this code heading has no name: write the code's name after the `#` marks, or remove the heading",
        "error: codebooks/zz-unnamed.md:4: code 'Child' is under the heading with no name on line 1, so it is no code either: name that heading",
    ] {
        assert!(
            out.stdout.contains(expected),
            "missing {expected:?} in\n{}",
            out.stdout
        );
    }
    let json = wd.run(&["codebook", "check", "--json"]);
    assert_eq!(json.code, 1);
    assert!(
        json.stdout.contains("\"kind\":\"empty_name\""),
        "{}",
        json.stdout
    );
    // Neither is a code: the fixture's five codes are all there are.
    assert_eq!(wd.run(&["codebook", "--json"]).json_lines().len(), 5);
    wd.fails_with(
        &["code", "add", "--coder", "ana", "--code", "", "fg-one:2"],
        &["unknown code ''"],
    );
}
