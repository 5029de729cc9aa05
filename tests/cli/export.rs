//! Exports and the report: `realist export quotes`, `realist report` and
//! `realist privacy check`, with hostile text and a pseudonym key.

use crate::workdir::Workdir;

const HOSTILE: &str = "---\nid: kayleigh-home\nsite: Northbrook\nmethod: interview\nspeakers:\n  P1: parent\n  Interviewer: researcher\n---\n\nInterviewer: What happened next?\n\nP1: <script>alert('x')</script> Kayleigh's worker | came round, KAYLEIGH said “yes”.\n\nAnd kayleigh Smith laughed & left.\n\nP1: =HYPERLINK(\"http://evil.example\",\"click\") was on the form Kayleigh filled in.\n\nP1: -5 pounds, @Kayleigh, +1.\n";

const MODEL: &str = "# Logic model\n\n## Pathways\n- **Dedicated resources**: money for needs.\n\n## Configurations\n\n### CMO-1: Quick spending clears barriers\n- Pathway: Dedicated resources\n- Status: initial\n- Context: A practical barrier.\n- Mechanism: The budget removes it.\n- Outcome: Children go home.\n";

/// The basic fixture plus a transcript full of hostile text naming
/// Kayleigh (turns 2–4 coded Speed by ana, turn 2 also by ben, turn 2
/// linked to CMO-1), and a key pseudonymising her.
fn hostile_project() -> Workdir {
    let wd = Workdir::new("basic");
    wd.write("corpus/hostile.txt", HOSTILE);
    wd.write("logic-model.md", MODEL);
    wd.write(
        "pseudonyms.csv",
        "name,pseudonym\nKayleigh Smith,Jade Ray\nKayleigh,Jade\n",
    );
    wd.run(&[
        "code",
        "add",
        "--coder",
        "ana",
        "--code",
        "Speed",
        "--memo",
        "Kayleigh's worker acted fast",
        "kayleigh-home:2",
        "kayleigh-home:3",
        "kayleigh-home:4",
    ])
    .ok();
    wd.code_add("ben", "Speed", &["kayleigh-home:2"]);
    let id = wd
        .run(&[
            "codings",
            "--coder",
            "ana",
            "--doc",
            "kayleigh-home",
            "--json",
        ])
        .json_lines()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    wd.run(&[
        "link",
        "CMO-1",
        &id,
        "--supports",
        "--by",
        "ana",
        "--note",
        "Kayleigh again",
    ])
    .ok();
    wd
}

/// Asserts that no form of the real name survives in `text`.
#[track_caller]
fn no_real_name(text: &str) {
    assert!(
        !text.to_lowercase().contains("kayleigh"),
        "the real name survived:\n{text}"
    );
}

#[test]
fn csv_is_rfc_4180_with_formulas_neutralised_and_names_replaced() {
    let wd = hostile_project();
    let out = wd.run(&["export", "quotes", "--out", "q.csv", "--excel"]);
    out.ok();
    assert!(
        out.stderr
            .contains("wrote 3 quotes from 1 document to q.csv. Names pseudonymised with pseudonyms.csv (2 names)."),
        "{}",
        out.stderr
    );
    let bytes = std::fs::read(wd.path("q.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "--excel starts with a BOM"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    no_real_name(&text);
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..4], ["group", "quote", "attribution", "doc"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = &rows[0];
    assert_eq!(
        &first[col("quote")],
        "<script>alert('x')</script> Jade's worker | came round, JADE said “yes”.\n\nAnd Jade Ray laughed & left."
    );
    assert_eq!(&first[col("attribution")], "Parent, interview, Northbrook");
    assert_eq!(&first[col("turn")], "2");
    assert_eq!(&first[col("coders")], "ana, ben");
    assert_eq!(&first[col("evidence")], "CMO-1 supports");
    assert_eq!(&first[col("memo")], "Jade's worker acted fast");
    assert_eq!(&first[col("pseudonymised")], "yes");
    // Cells a spreadsheet would run as formulas start with an apostrophe.
    assert!(
        rows[1][col("quote")].starts_with("'=HYPERLINK("),
        "{:?}",
        &rows[1]
    );
    assert!(
        rows[2][col("quote")].starts_with("'-5 pounds, @Jade, +1."),
        "{:?}",
        &rows[2]
    );
}

#[test]
fn html_is_one_escaped_page_and_markdown_keeps_one_row_per_quote() {
    let wd = hostile_project();
    wd.run(&["export", "quotes", "--by", "code", "--out", "q.html"])
        .ok();
    let html = wd.read("q.html");
    no_real_name(&html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("<script"),
        "transcript markup escaped:\n{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("<td>“=HYPERLINK(\"http://evil.example\""),
        "{html}"
    );
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "self-contained: {html}"
    );
    assert_eq!(
        html.matches("<tr>").count(),
        4,
        "a header and three rows: {html}"
    );
    assert!(html.contains("Names pseudonymised with pseudonyms.csv (2 names)."));

    let md = wd
        .run(&["export", "quotes", "--format", "md"])
        .ok()
        .to_string();
    no_real_name(&md);
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 5, "header, rule and one line per quote:\n{md}");
    assert!(
        table
            .iter()
            .all(|l| l.replace("\\|", "").matches('|').count() == 8),
        "seven cells each:\n{md}"
    );
    assert!(md.contains("worker \\| came round"), "pipes escaped:\n{md}");
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(
        md.contains("<br><br>And Jade Ray laughed"),
        "line breaks kept in the cell:\n{md}"
    );
}

#[test]
fn json_lines_carry_the_export_record_then_the_quotes() {
    let wd = hostile_project();
    let lines = wd
        .run(&["export", "quotes", "--format", "json", "--by", "cmo"])
        .json_lines();
    no_real_name(&serde_json::to_string(&lines).unwrap());
    assert_eq!(lines[0]["type"], "export");
    assert_eq!(lines[0]["pseudonymised"], true);
    assert_eq!(lines[0]["quotes"], 1);
    assert_eq!(
        lines[0]["left_out"], 2,
        "unlinked quotes are counted: {}",
        lines[0]
    );
    assert_eq!(lines.len(), 2);
    let q = &lines[1];
    assert_eq!(q["type"], "quote");
    assert_eq!(q["group"], "CMO-1: Quick spending clears barriers");
    assert_eq!(q["doc"], "Jade-home", "document ids are pseudonymised too");
    assert_eq!(q["turn"], 2);
    assert_eq!(q["role"], "parent");
    assert_eq!(q["evidence"][0]["stance"], "supports");
    assert_eq!(q["coders"], serde_json::json!(["ana", "ben"]));
}

#[test]
fn quotes_are_grouped_by_code_document_or_attribute() {
    let wd = Workdir::new("basic");
    wd.code_add("ana", "Speed", &["fg-one:2", "int-two:2"]);
    wd.code_add("ana", "Trust", &["fg-one:3"]);
    let groups = |by: &str| -> Vec<String> {
        wd.run(&["export", "quotes", "--format", "json", "--by", by])
            .json_lines()
            .iter()
            .skip(1)
            .map(|q| q["group"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(groups("code"), ["Speed", "Speed", "Trust"]);
    assert_eq!(
        groups("attribute:site"),
        ["Ashcombe", "Northbrook", "Northbrook"]
    );
    assert_eq!(
        groups("attribute:role"),
        ["social worker", "social worker", "young person"]
    );
    assert_eq!(groups("doc")[0], "fg-one");
    // Without a key, every export says the names were not pseudonymised.
    let md = wd.run(&["export", "quotes"]).ok().to_string();
    assert!(
        md.contains("**Names NOT pseudonymised: the project has no pseudonyms.csv.**"),
        "{md}"
    );
    assert!(
        md.contains("| “Honestly? Speed. Zoë’s mum needed a cooker"),
        "the label is not repeated in the quote:\n{md}"
    );
    let csv = wd
        .run(&["export", "quotes", "--format", "csv"])
        .ok()
        .to_string();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert!(rows.iter().all(|r| &r[12] == "no"), "{csv}");
    // --codes includes children; --coder and --where narrow.
    let n = |args: &[&str]| {
        let mut all = vec!["export", "quotes", "--format", "json"];
        all.extend_from_slice(args);
        wd.run(&all).json_lines().len() - 1
    };
    assert_eq!(n(&["--codes", "Trust"]), 1);
    assert_eq!(n(&["--where", "site=Ashcombe"]), 1);
    assert_eq!(n(&["--coder", "ana", "--codes", "Speed,Trust"]), 3);
}

#[test]
fn bad_arguments_and_keys_fail_and_write_nothing() {
    let wd = hostile_project();
    wd.write("kept.md", "earlier export\n");
    for (args, message) in [
        (
            &["export", "quotes", "--by", "coder", "--out", "kept.md"][..],
            "cannot group by 'coder'; use code, cmo, doc or attribute:KEY",
        ),
        (
            &["export", "quotes", "--format", "docx", "--out", "kept.md"],
            "unknown format 'docx'; use md, csv, html or json",
        ),
        (
            &["export", "quotes", "--by", "attribute:sites"],
            "no document has the attribute 'sites' (did you mean 'site'?)",
        ),
    ] {
        wd.fails_with(args, &[message]);
    }
    wd.fails_with(
        &["export", "quotes", "--out", "missing/q.md"],
        &["missing", "does not exist"],
    );
    assert!(!wd.path("missing").exists());
    wd.fails_with(
        &["report", "--out", "corpus/report.md"],
        &["would replace the corpus folder"],
    );
    assert!(!wd.path("corpus/report.md").exists());
    wd.fails_with(
        &["report", "--format", "csv"],
        &["use `realist export quotes`"],
    );

    wd.write(
        "pseudonyms.csv",
        "name,pseudonym\nKayleigh,Jade\n,Amy\nkayleigh,Jo\nTyler,\n",
    );
    for args in [
        &["export", "quotes", "--out", "kept.md"][..],
        &["report", "--out", "kept.md"],
        &["privacy", "check"],
    ] {
        wd.fails_with(
            args,
            &[
                "pseudonyms.csv: 3 invalid lines",
                "pseudonyms.csv:3: the name is empty",
                "pseudonyms.csv:4: 'kayleigh' is already in the key on line 2",
                "pseudonyms.csv:5: the pseudonym is empty",
            ],
        );
    }
    assert_eq!(
        wd.read("kept.md"),
        "earlier export\n",
        "the earlier file is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(wd.path("."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".realist-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_report_covers_the_project_without_real_names() {
    let wd = hostile_project();
    wd.code_add("ben", "Trust", &["fg-one:3"]);
    let md = wd.run(&["report"]).ok().to_string();
    no_real_name(&md);
    for section in [
        "# Evidence report: ",
        "**Names pseudonymised with pseudonyms.csv (2 names).**",
        "## The corpus",
        "| parent | 1 | 1 | 3 |",
        "## The codebook",
        "| Speed | How quickly a need is met once it is known. |",
        "## Code frequencies",
        "| Speed | 3 | 1 | 1 |",
        "## Codes by attribute",
        "### By site",
        "### By role",
        "## Agreement between coders",
        "## Configurations and their evidence",
        "### CMO-1: Quick spending clears barriers",
        "1 quote: 1 supporting, 0 refuting, 0 refining; from 1 document at 1 site (Northbrook).",
        "| supports | Jade-home, turn 2 | Speed |",
    ] {
        assert!(md.contains(section), "missing {section:?} in:\n{md}");
    }
    wd.run(&["report", "--out", "report.html"]).ok();
    let html = wd.read("report.html");
    no_real_name(&html);
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("<h2>Configurations and their evidence</h2>"));
}

#[test]
fn the_sample_project_reports_and_passes_the_privacy_check() {
    let wd = Workdir::sample();
    let out = wd.run(&["report", "--out", "report.md"]);
    assert!(out.ok().is_empty(), "the report goes to the file");
    let report = wd.read("report.md");
    for section in [
        "**Names pseudonymised with pseudonyms.csv",
        "| Method | Ashcombe | Northbrook | Total |",
        "## Agreement between coders",
        "### CMO-2: ",
        "## Case data",
        "| spend\\_gbp | 10 | 2 | 264.80 | 1603.25 | 3420.75 | 16008.85 |",
        "By site:",
    ] {
        assert!(report.contains(section), "missing {section:?}");
    }
    let out = wd.run(&["privacy", "check"]);
    assert!(
        out.ok().starts_with("no words that look like names in "),
        "{}",
        out.stdout
    );
}

#[test]
fn the_privacy_check_finds_names_the_key_misses() {
    let wd = hostile_project();
    wd.write(
        "corpus/names.md",
        "---\nid: names\n---\n\nSW1: I rang Tyler on Monday. Tyler's nan answered. Well, the Council knew.\n\nSW1: The council paid.\n",
    );
    wd.code_add("ana", "Trust", &["names:1"]);
    let out = wd.run(&["privacy", "check"]);
    out.fails_with(&[
        "2 words that may be names (1 different word) in 1 document",
        "add real names to pseudonyms.csv",
    ]);
    assert!(
        out.stdout.contains(
            "Tyler  names:1  quote  I rang Tyler on Monday. Tyler's nan answered. Well,…"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.lines().all(|l| l.starts_with("Tyler ")),
        "{}",
        out.stdout
    );
    let json = wd.run(&["privacy", "check", "--json"]);
    let first: serde_json::Value =
        serde_json::from_str(json.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "name");
    assert_eq!(first["word"], "Tyler");
    assert_eq!(first["turn"], 1);

    // Once in the key, or allowed, the check passes.
    wd.write("privacy-allow.txt", "# not names\nTyler\n");
    assert!(
        wd.run(&["privacy", "check"])
            .ok()
            .contains("names pseudonymised with pseudonyms.csv")
    );
}

#[test]
fn evidence_is_counted_once_per_quote_and_speech_keeps_its_speakers() {
    let wd = hostile_project();
    // ben's coding of turn 2 (shared with ana) refutes what ana's supports.
    let ben = wd
        .run(&["codings", "--coder", "ben", "--json"])
        .json_lines()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    wd.run(&["link", "CMO-1", &ben, "--refutes", "--by", "ben"])
        .ok();
    let md = wd.run(&["report"]).ok().to_string();
    assert!(
        md.contains("1 quote: 1 supporting, 1 refuting, 0 refining; from 1 document"),
        "{md}"
    );
    assert!(
        md.contains("| supports; refutes | Jade-home, turn 2 |"),
        "{md}"
    );
    assert!(!md.contains("no longer exist"), "{md}");
    let lines = wd
        .run(&["export", "quotes", "--by", "cmo", "--format", "json"])
        .json_lines();
    assert_eq!(lines[0]["quotes"], 1, "{}", lines[0]);

    // A quote over three turns is a dialogue: every turn under its speaker.
    wd.write(
        "corpus/talk.txt",
        "---\nid: talk\nspeakers:\n  P1: parent\n---\nP1: We went to the shop.\n\nInterviewer: And then?\n\nP1: Then I went home.\n",
    );
    wd.code_add("ana", "Trust", &["talk:1-3"]);
    let q = wd
        .run(&["export", "quotes", "--codes", "Trust", "--format", "json"])
        .json_lines();
    assert_eq!(
        q[1]["quote"],
        "P1: We went to the shop.\nInterviewer: And then?\nP1: Then I went home."
    );
    // It is the parent's quote, not the interviewer's, and names its turns.
    assert_eq!(q[1]["attribution"], "Parent");
    assert_eq!(q[1]["turns"], serde_json::json!([1, 2, 3]));
}

#[test]
fn the_privacy_check_reads_labels_attributes_and_memos_and_the_key_knows_apostrophes() {
    let wd = hostile_project();
    wd.write(
        "corpus/darren.txt",
        "---\nid: darren\ninterviewer: Gwendolyn Pryce\n---\nDarren: We went to the shop.\n\nDarren: The shop was shut.\n",
    );
    wd.run(&[
        "code",
        "add",
        "--coder",
        "ana",
        "--code",
        "Trust",
        "--memo",
        "ask about Wendell",
        "darren:1",
    ])
    .ok();
    let out = wd.run(&["privacy", "check", "--json"]);
    let found: Vec<(String, String)> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|f| {
            (
                f["word"].as_str().unwrap().to_string(),
                f["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(out.code, 1);
    for (word, field) in [
        ("Darren", "speaker"),
        ("Pryce", "attribute"),
        ("Wendell", "memo"),
    ] {
        assert!(
            found.iter().any(|(w, f)| w == word && f == field),
            "{word} in {field} not found: {found:?}"
        );
    }
    // A key written with a straight apostrophe matches a curly one.
    wd.write("pseudonyms.csv", "name,pseudonym\nO'Brien,Kelly\n");
    wd.write("corpus/obrien.txt", "P1: Mrs O’Brien came.\n");
    wd.code_add("ana", "Trust", &["obrien:1"]);
    let md = wd
        .run(&["export", "quotes", "--codes", "Trust"])
        .ok()
        .to_string();
    assert!(md.contains("Mrs Kelly came."), "{md}");
}

#[test]
fn the_report_can_be_narrowed_to_coders_codes_and_documents() {
    let wd = Workdir::sample();
    let all = wd.run(&["report"]).ok().to_string();
    let some = wd
        .run(&[
            "report",
            "--coder",
            "ana",
            "--codes",
            "Trust",
            "--where",
            "site=Northbrook",
        ])
        .ok()
        .to_string();
    assert!(
        some.contains("Only the coding of ana; the codes Trust; documents where site=Northbrook."),
        "{}",
        &some[..600.min(some.len())]
    );
    // The corpus section counts only Northbrook's documents (7 of 14).
    assert!(all.contains("14 documents"), "{}", &all[..600]);
    assert!(some.contains("7 documents"), "{}", &some[..600]);
    assert!(!some.contains("| Ashcombe |"), "no Ashcombe column");
    // Only ana's Trust codings: ben does not appear among the coders.
    assert!(!some.contains("| ben |"), "ben is not in the report");
    wd.fails_with(
        &["report", "--codes", "Trusst"],
        &["unknown code 'Trusst' (did you mean 'Trust'?)"],
    );
}
