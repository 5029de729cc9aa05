//! `realist code add|hits|import|rm` and `realist codings`.

use crate::workdir::{Workdir, cp_slice, run};

/// Returns the coder file's codings as JSON values.
fn codings(wd: &Workdir, coder: &str) -> Vec<serde_json::Value> {
    let path = wd.path(&format!("codings/{coder}.jsonl"));
    if !path.exists() {
        return Vec::new();
    }
    wd.read(&format!("codings/{coder}.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Returns the code point offsets of the first `needle` in `text`.
fn cp_find(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).unwrap();
    let start = text[..b].chars().count();
    (start, start + needle.chars().count())
}

fn plain(wd: &Workdir, doc: &str) -> String {
    wd.run(&["show", doc, "--plain"]).ok().to_string()
}

#[test]
fn add_codes_turns_offsets_and_quotes() {
    let wd = Workdir::new("basic");
    let text = plain(&wd, "fg-one");
    let out = wd.run(&[
        "code", "add", "--coder", "ana", "--code", "speed", "fg-one:2",
    ]);
    assert!(
        out.ok().contains("added 1 coding for ana"),
        "{}",
        out.stdout
    );
    let (s, e) = cp_find(&text, "Zoë’s mum");
    let target = format!("fg-one@{s}-{e}");
    wd.run(&[
        "code",
        "add",
        "--coder",
        "ana",
        "--code",
        "Trust",
        &target,
        "fg-one:3-4",
        "--memo",
        "two at once",
    ])
    .ok();
    wd.run(&[
        "code",
        "add",
        "--coder",
        "ana",
        "--code",
        "Dependency/Reliance on the worker",
        "--doc",
        "fg-one",
        "--quote",
        "we bought it straight away",
    ])
    .ok();

    let all = codings(&wd, "ana");
    assert_eq!(all.len(), 4);
    // Sorted by document, start, code; every quote is the text at its offsets.
    let starts: Vec<u64> = all.iter().map(|c| c["start"].as_u64().unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    for c in &all {
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(c["quote"].as_str().unwrap(), cp_slice(&text, s, e));
        assert_eq!(
            c["before"].as_str().unwrap(),
            cp_slice(&text, s.saturating_sub(40), s)
        );
        let id = c["id"].as_str().unwrap();
        assert!(
            id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
        let created = c["created"].as_str().unwrap();
        assert!(
            created.len() == 20 && created.ends_with('Z') && created.as_bytes()[10] == b'T',
            "{created}"
        );
        assert_eq!(c["doc"], "fg-one");
    }
    let turn2 = all.iter().find(|c| c["code"] == "Speed").unwrap();
    assert!(
        turn2["quote"]
            .as_str()
            .unwrap()
            .starts_with("Honestly? Speed."),
        "label excluded"
    );
    assert!(
        turn2["quote"]
            .as_str()
            .unwrap()
            .ends_with("that was trust, starting."),
        "continuation included"
    );
    let zoe = all.iter().find(|c| c["quote"] == "Zoë’s mum").unwrap();
    assert_eq!(zoe["code"], "Trust");
    let range = all
        .iter()
        .find(|c| c["memo"] == "two at once" && c["quote"].as_str().unwrap().starts_with("For me"))
        .unwrap();
    assert!(
        range["quote"]
            .as_str()
            .unwrap()
            .contains("TM (team manager): We sign off quickly.")
    );
    let dep = all
        .iter()
        .find(|c| c["code"] == "Dependency/Reliance on the worker")
        .unwrap();
    assert_eq!(dep["quote"], "we bought it straight away");

    // The same span and code again adds nothing and leaves the file as it was.
    let before = wd.read("codings/ana.jsonl");
    let out = wd.run(&[
        "code", "add", "--coder", "ana", "--code", "Speed", "fg-one:2",
    ]);
    assert!(
        out.ok()
            .contains("added 0 codings for ana; 1 span was already coded"),
        "{}",
        out.stdout
    );
    assert_eq!(wd.read("codings/ana.jsonl"), before);
}

#[test]
fn add_rejects_bad_input_and_writes_nothing() {
    let wd = Workdir::new("basic");
    let add = |args: &[&str]| {
        let mut all = vec!["code", "add", "--coder", "ana", "--code", "Speed"];
        all.extend_from_slice(args);
        wd.run(&all)
    };
    let cases: &[(&[&str], &str)] = &[
        (&["fg-one:9"], "'fg-one' has no turn 9 (it has 5 turns"),
        (
            &["fg-one@10-99999"],
            "offsets 10-99999 run past the end of 'fg-one', whose canonical text has",
        ),
        (
            &["fg-one@20-10"],
            "the start offset must be less than the end offset",
        ),
        (
            &["fg-onr:2"],
            "no document with id 'fg-onr' (did you mean 'fg-one'?)",
        ),
        (&["fg-one"], "target 'fg-one' names no turn or offsets"),
        // A repeated quote lists every place it occurs, with its context.
        (
            &["--doc", "fg-one", "--quote", "straight"],
            "the quote occurs 2 times in 'fg-one'; quote more of the text, or name one with DOC@START-END:\n    turn 2 @132-140 “…cooker and we bought it [straight] away",
        ),
        (
            &["--doc", "fg-one", "--quote", "not in the text"],
            "the quote does not occur in 'fg-one', not even with other spacing, quote marks or case",
        ),
        (&["fg-one:2", "fg-one:77"], "'fg-one' has no turn 77"),
    ];
    for (args, expected) in cases {
        add(args).fails_with(&[expected]);
    }
    wd.fails_with(
        &[
            "code", "add", "--coder", "ana", "--code", "Sped", "fg-one:2",
        ],
        &["unknown code 'Sped' (did you mean 'Speed'?)"],
    );
    for bad in ["../ana", "ana smith", ".hidden", "con"] {
        wd.fails_with(
            &["code", "add", "--coder", bad, "--code", "Speed", "fg-one:2"],
            &[&format!("coder name '{bad}'")],
        );
    }
    assert!(
        !wd.path("codings").exists() || std::fs::read_dir(wd.path("codings")).unwrap().count() == 0
    );
}

#[test]
fn hits_spread_to_match_sentence_or_turn_and_run_twice_add_nothing() {
    let wd = Workdir::new("basic");
    let text = plain(&wd, "fg-one");
    let hits = |spread: &str, extra: &[&str]| {
        let mut args = vec![
            "code",
            "hits",
            "\"straight away\"",
            "--code",
            "Speed",
            "--coder",
            spread,
            "--spread",
            spread,
        ];
        args.extend_from_slice(extra);
        wd.run(&args)
    };
    // Dry run: says what it would add, writes nothing.
    let out = hits("sentence", &["--dry-run"]);
    assert!(
        out.ok()
            .contains("would add 3 codings for sentence (dry run: nothing written)"),
        "{}",
        out.stdout
    );
    assert!(codings(&wd, "sentence").is_empty());

    assert!(hits("sentence", &[]).ok().contains("added 3 codings"));
    let quotes: Vec<String> = codings(&wd, "sentence")
        .iter()
        .map(|c| c["quote"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        quotes,
        vec![
            "Zoë’s mum needed a cooker and we bought it straight away — same afternoon.",
            "Straight-away decisions, within the hour.",
            "Siân got me in quick, like straight away, no forms.",
        ]
    );
    let again = hits("sentence", &[]);
    assert!(
        again
            .ok()
            .contains("added 0 codings for sentence; 3 spans were already coded"),
        "{}",
        again.stdout
    );
    assert_eq!(codings(&wd, "sentence").len(), 3);

    hits("match", &[]).ok();
    let m = codings(&wd, "match");
    assert_eq!(m.len(), 3);
    assert!(
        m.iter().all(|c| c["quote"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("straight away")
            || c["quote"] == "Straight-away"),
        "{m:?}"
    );
    hits("turn", &["--where", "site=Northbrook"]).ok();
    let t = codings(&wd, "turn");
    assert_eq!(t.len(), 2, "two turns of the Northbrook document");
    let (s, e) = cp_find(
        &text,
        "We sign off quickly. Straight-away decisions, within the hour.",
    );
    assert!(t.iter().any(|c| c["start"] == s && c["end"] == e));

    // Without a query the code's Keywords are the query.
    let out = wd.run(&[
        "code",
        "hits",
        "--code",
        "Administration",
        "--coder",
        "kw",
        "--spread",
        "match",
        "--json",
    ]);
    let lines = out.json_lines();
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "coded");
    assert_eq!(last["added"], 2);
    assert!(
        lines[..2]
            .iter()
            .all(|l| l["type"] == "coding" && l["coder"] == "kw")
    );
    wd.fails_with(
        &["code", "hits", "--code", "Dependency", "--coder", "kw"],
        &["code 'Dependency' has no Keywords in the codebook (codebooks/themes.md:"],
    );
}

#[test]
fn import_checks_every_line_before_writing_anything() {
    let wd = Workdir::new("basic");
    let text = plain(&wd, "fg-one");
    let (s, e) = cp_find(&text, "same afternoon");
    let good = format!(r#"{{"doc":"fg-one","start":{s},"end":{e},"code":"Speed","memo":"fast"}}"#);
    let file = [
        good.clone(),
        "{not json".to_string(),
        r#"{"doc":"fg-one","start":0,"end":5,"code":"Sped"}"#.to_string(),
        r#"{"doc":"nope","start":0,"end":5,"code":"Speed"}"#.to_string(),
        r#"{"doc":"fg-one","start":5,"end":999999,"code":"Speed"}"#.to_string(),
        format!(
            r#"{{"doc":"fg-one","start":{s},"end":{e},"code":"Speed","quote":"same evening"}}"#
        ),
        r#"{"doc":"fg-one","start":0,"end":5,"code":"Speed","colour":"red"}"#.to_string(),
        String::new(),
        r#"{"doc":"fg-one","start":9,"end":9,"code":"Speed"}"#.to_string(),
    ]
    .join("\n");
    wd.write("import.jsonl", &file);
    let err = wd.fails_with(
        &["code", "import", "import.jsonl", "--coder", "ben"],
        &[
            "import.jsonl: 7 invalid lines; nothing was changed",
            // Every bad line is named; the blank line 8 is skipped.
            "import.jsonl:2: key must be a string",
            "import.jsonl:3: unknown code 'Sped' (did you mean 'Speed'?)",
            "import.jsonl:4: no document with id 'nope'",
            "import.jsonl:5: offsets 5-999999 run past the end of 'fg-one'",
            "import.jsonl:6: the quote does not match the text at",
            "import.jsonl:7: unknown field `colour`",
            "import.jsonl:9: start 9 must be less than end 9",
        ],
    );
    assert!(
        !err.contains("import.jsonl:1:"),
        "the good line is fine: {err}"
    );
    assert!(codings(&wd, "ben").is_empty(), "nothing written");

    wd.write("import.jsonl", format!("{good}\n{good}\n"));
    let out = wd.run(&["code", "import", "import.jsonl", "--coder", "ben"]);
    assert!(
        out.ok()
            .contains("added 1 coding for ben; 1 span was already coded"),
        "{}",
        out.stdout
    );
    let ben = codings(&wd, "ben");
    assert_eq!(ben[0]["quote"], "same afternoon");
    assert_eq!(ben[0]["memo"], "fast");

    // Another coder's codings, piped in as JSON Lines.
    let listed = wd
        .run(&["codings", "--coder", "ben", "--json"])
        .ok()
        .to_string();
    let mut cmd = wd.command(&["code", "import", "-", "--coder", "chloé"]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(listed.as_bytes())
        .unwrap();
    let status = child.wait_with_output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let copied = codings(&wd, "chloé");
    assert_eq!(copied.len(), 1);
    assert_eq!(copied[0]["quote"], "same afternoon");
    assert_ne!(copied[0]["id"], ben[0]["id"], "ids differ per coder");
}

#[test]
fn rm_removes_by_id_or_prefix_and_all_or_nothing() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2", "fg-one:4"]);
    wd.code_add("ben", "Trust", &["int-two:4"]);
    let ana = codings(&wd, "ana");
    let ben = codings(&wd, "ben");
    let a0 = ana[0]["id"].as_str().unwrap();
    let b0 = ben[0]["id"].as_str().unwrap();

    wd.fails_with(
        &["code", "rm", a0, "ffffffffffff"],
        &["no coding with id 'ffffffffffff'"],
    );
    wd.fails_with(
        &["code", "rm", &a0[..2]],
        &["is too short: give the whole id or at least its first 4 characters"],
    );
    assert_eq!(codings(&wd, "ana").len(), 2, "nothing removed");

    let out = wd.run(&["code", "rm", a0, &b0[..6]]);
    let stdout = out.ok();
    assert!(
        stdout.contains(a0) && stdout.contains(b0) && stdout.contains("removed 2 codings"),
        "{stdout}"
    );
    assert_eq!(codings(&wd, "ana").len(), 1);
    assert!(codings(&wd, "ben").is_empty());
    assert!(
        wd.read("codings/ben.jsonl").is_empty(),
        "the file stays, empty"
    );
}

#[test]
fn codings_lists_and_filters_with_json_records() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2"]);
    wd.code_add("ana", "Reliance on the worker", &["int-two:2"]);
    wd.code_add("ben", "Trust", &["int-two:4"]);

    let out = wd.run(&["codings"]);
    let lines: Vec<&str> = out.ok().lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[0].contains("ana  fg-one:2 @") && lines[0].contains("Speed"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].contains("ben  int-two:4 @")
            && lines[2].contains("“I trust her now. Not the police though.”"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], "3 codings by 2 coders in 2 documents");

    let json = wd
        .run(&["codings", "--code", "Dependency", "--json"])
        .json_lines();
    assert_eq!(json.len(), 1, "a parent code includes its children");
    let c = &json[0];
    assert_eq!(c["type"], "coding");
    assert_eq!(c["coder"], "ana");
    assert_eq!(c["code"], "Dependency/Reliance on the worker");
    for field in [
        "id", "doc", "start", "end", "quote", "before", "after", "created",
    ] {
        assert!(!c[field].is_null(), "{field}");
    }
    assert_eq!(
        wd.run(&["codings", "--coder", "ben", "--json"])
            .json_lines()
            .len(),
        1
    );
    assert_eq!(
        wd.run(&["codings", "--doc", "fg-one", "--json"])
            .json_lines()
            .len(),
        1
    );
    assert_eq!(
        wd.run(&["codings", "--where", "site=Ashcombe", "--json"])
            .json_lines()
            .len(),
        2
    );
    wd.fails_with(
        &["codings", "--coder", "bem"],
        &["no codings by coder 'bem' (did you mean 'ben'?): no file codings/bem.jsonl"],
    );
    wd.fails_with(
        &["codings", "--code", "Trusst"],
        &["unknown code 'Trusst' (did you mean 'Trust'?)"],
    );
}

#[test]
fn a_malformed_coder_file_is_reported_by_file_and_line_and_left_alone() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2"]);
    let good = wd.read("codings/ana.jsonl");
    let broken = format!("{good}{{\"id\":\"x\",\"doc\":\"fg-one\"\n");
    wd.write("codings/ana.jsonl", &broken);
    for args in [
        &["codings"][..],
        &[
            "code", "add", "--coder", "ana", "--code", "Trust", "fg-one:3",
        ][..],
        &["codebook"][..],
    ] {
        wd.fails_with(
            args,
            &[
                "codings/ana.jsonl: 1 invalid line; nothing was changed",
                "codings/ana.jsonl:2: EOF while parsing an object",
            ],
        );
    }
    assert_eq!(
        wd.read("codings/ana.jsonl"),
        broken,
        "the file is left as it was"
    );
}

#[test]
fn two_writers_at_once_both_keep_their_work() {
    let wd = Workdir::new("basic");
    // Eight processes code different spans as the same coder at the same time.
    let targets = [
        "fg-one:1",
        "fg-one:2",
        "fg-one:3",
        "fg-one:4",
        "fg-one:5",
        "int-two:1",
        "int-two:3",
        "int-two:4",
    ];
    wd.run(&["index"]).ok();
    let children: Vec<_> = targets
        .iter()
        .map(|t| {
            let mut cmd = wd.command(&["code", "add", "--coder", "ana", "--code", "Speed", t]);
            cmd.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let all = codings(&wd, "ana");
    assert_eq!(all.len(), targets.len(), "no coding lost: {all:?}");
    // And the file is still in stable order.
    let keys: Vec<(String, u64)> = all
        .iter()
        .map(|c| {
            (
                c["doc"].as_str().unwrap().to_string(),
                c["start"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn the_coder_can_come_from_the_environment() {
    let wd = Workdir::new("basic");
    let mut cmd = wd.command(&["code", "add", "--code", "Speed", "fg-one:2"]);
    cmd.env("REALIST_CODER", "zoë");
    run(cmd).ok();
    assert_eq!(codings(&wd, "zoë").len(), 1);
}

#[test]
fn codings_are_imported_by_their_text() {
    let wd = Workdir::new("basic");
    // Another tool's export: a document and a quote, its line breaks,
    // spacing and quote marks its own.
    let lines = [
        // Exact.
        r#"{"doc":"fg-one","code":"Speed","quote":"we bought it straight away"}"#,
        // Spacing, a line break and straight quote marks: found loosely.
        r#"{"doc":"fg-one","code":"Trust","quote":"They said \"you actually  did\nit\""}"#,
        // Repeated ("straight" occurs twice): its offset, not quite right
        // (another tool counted differently), chooses.
        r#"{"doc":"fg-one","code":"Administration","quote":"straight","start":480,"end":488}"#,
        // Repeated: its context chooses.
        r#"{"doc":"fg-one","code":"Dependency","quote":"straight","before":"bought it "}"#,
    ];
    let file = wd.path("tool.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = wd.run(&[
        "code",
        "import",
        "tool.jsonl",
        "--coder",
        "ana",
        "--place-by-quote",
        "--json",
    ]);
    let records = out.json_lines();
    let placed: Vec<&serde_json::Value> =
        records.iter().filter(|r| r["type"] == "placed").collect();
    assert_eq!(placed.len(), 4, "{}", out.stdout);
    assert_eq!(placed[0]["matched"], "exactly");
    assert_eq!(placed[1]["matched"], "loosely");
    assert_eq!(placed[1]["line"], 2);
    let text = wd.run(&["show", "fg-one", "--plain"]).ok().to_string();
    let quote_of = |r: &serde_json::Value| {
        cp_slice(
            &text,
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        )
    };
    assert_eq!(quote_of(placed[1]), "They said “you actually did it”");
    assert_eq!(placed[2]["start"], 486, "the one nearer its offset");
    assert_eq!(placed[3]["start"], 132, "the one after “bought it ”");
    assert_eq!(placed[2]["replaced_offsets"], true);
    let human = wd
        .run(&[
            "code",
            "import",
            "tool.jsonl",
            "--coder",
            "ben",
            "--place-by-quote",
        ])
        .ok()
        .to_string();
    assert!(
        human.contains(
            "line 2: the quote matched loosely (other spacing, quote marks or case): fg-one@"
        ),
        "{human}"
    );
    assert!(
        human.contains("4 codings placed by their quote (1 loosely)"),
        "{human}"
    );

    // A repeated quote with nothing to choose by is refused, naming every
    // place with its context; nothing is imported.
    std::fs::write(
        &file,
        r#"{"doc":"fg-one","code":"Speed","quote":"straight"}"#,
    )
    .unwrap();
    wd.fails_with(
        &["code", "import", "tool.jsonl", "--coder", "chloe"],
        &[
            "tool.jsonl:1: the quote occurs 2 times in 'fg-one'",
            "turn 2 @132-140",
            "turn 5 @486-494",
        ],
    );
    assert!(!wd.path("codings/chloe.jsonl").exists());

    // Offsets that do not fit the quote: refused, unless placed by the
    // quote, which the offsets then only help to find.
    std::fs::write(
        &file,
        r#"{"doc":"fg-one","code":"Speed","quote":"same afternoon","start":10,"end":24}"#,
    )
    .unwrap();
    wd.fails_with(
        &["code", "import", "tool.jsonl", "--coder", "chloe"],
        &[
            "the quote does not match the text at 10-24",
            "add --place-by-quote",
        ],
    );
    let out = wd
        .run(&[
            "code",
            "import",
            "tool.jsonl",
            "--coder",
            "chloe",
            "--place-by-quote",
        ])
        .ok()
        .to_string();
    assert!(
        out.contains("its offsets did not fit; placed by its quote"),
        "{out}"
    );

    // code add --quote finds a quote loosely too, and says so.
    let out = wd
        .run(&[
            "code",
            "add",
            "--coder",
            "dev",
            "--code",
            "Trust",
            "--doc",
            "fg-one",
            "--quote",
            "zoë's  MUM",
        ])
        .ok()
        .to_string();
    assert!(out.contains("the quote matched loosely"), "{out}");
}

#[test]
fn an_imported_coding_nested_in_another_of_its_code_is_kept() {
    let wd = Workdir::new("basic");
    let lines = [
        r#"{"doc":"fg-one","code":"Speed","start":80,"end":160,"memo":"the whole answer"}"#,
        r#"{"doc":"fg-one","code":"Speed","start":100,"end":120,"memo":"the key phrase"}"#,
        r#"{"doc":"fg-one","code":"Speed","start":80,"end":160}"#,
    ];
    std::fs::write(wd.path("nested.jsonl"), lines.join("\n")).unwrap();
    let out = wd
        .run(&["code", "import", "nested.jsonl", "--coder", "ana"])
        .ok()
        .to_string();
    assert!(
        out.contains("added 2 codings for ana; 1 span was already coded"),
        "{out}"
    );
    let memos: Vec<String> = wd
        .read("codings/ana.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["memo"].to_string())
        .collect();
    assert_eq!(memos, ["\"the whole answer\"", "\"the key phrase\""]);
}
