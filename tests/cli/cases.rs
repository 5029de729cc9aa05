//! `realist cases`, `realist cases stats`, and case attributes in `--where`.

use crate::workdir::Workdir;

/// Four cases: an even number of spends (one missing) in each of two sites.
const CASES: &str = "case,site,legal_status,spend_gbp,children\n\
C07,Ashcombe,child in need,250.50,2\n\
C08,Ashcombe,section 20,100,1\n\
C09,Ashcombe,child in need,,3\n\
C10,Ashcombe,child in need,1000,1\n\
C11,Northbrook,care order,\"1,300.00\",2\n\
C12,Northbrook,care order,300,4\n";

fn with_cases() -> Workdir {
    let wd = Workdir::new("basic");
    wd.write("corpus/cases.csv", CASES);
    wd
}

#[test]
fn cases_are_listed_with_the_documents_that_name_them() {
    let wd = with_cases();
    let out = wd.run(&["cases"]);
    let text = out.ok();
    assert!(text.starts_with("CASE  SITE"), "{text}");
    let c07 = text.lines().find(|l| l.starts_with("C07")).unwrap();
    assert!(c07.ends_with("int-two"), "{c07}");
    assert!(text.contains("6 cases in corpus/cases.csv (2 numeric); 1 named by transcripts"));

    let lines = wd.run(&["cases", "--json"]).json_lines();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["type"], "case");
    assert_eq!(lines[0]["case"], "C07");
    assert_eq!(lines[0]["values"]["spend_gbp"], 250.5);
    assert_eq!(lines[0]["values"]["legal_status"], "child in need");
    assert_eq!(lines[0]["documents"], serde_json::json!(["int-two"]));
    assert_eq!(lines[2]["values"]["spend_gbp"], serde_json::Value::Null);
    assert_eq!(lines[4]["values"]["spend_gbp"], 1300.0);
}

#[test]
fn stats_give_n_min_median_max_and_total_overall_and_by_group() {
    let wd = with_cases();
    let lines = wd
        .run(&["cases", "stats", "--by", "site", "--json"])
        .json_lines();
    let spend: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["column"] == "spend_gbp")
        .collect();
    assert_eq!(spend.len(), 3);
    // Overall: 100, 250.50, 300, 1000, 1300 (C09 missing): odd count.
    assert_eq!(spend[0]["group"], serde_json::Value::Null);
    assert_eq!(
        (spend[0]["n"].as_u64(), spend[0]["missing"].as_u64()),
        (Some(5), Some(1))
    );
    assert_eq!(spend[0]["median"], 300.0);
    assert_eq!(spend[0]["total"], 2950.5);
    // Ashcombe: 100, 250.50, 1000 and one missing; Northbrook: 300 and 1300,
    // an even count, whose median is the mean of the two: 800.
    assert_eq!(spend[1]["group"], "Ashcombe");
    assert_eq!(
        (spend[1]["n"].as_u64(), spend[1]["missing"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(spend[1]["median"], 250.5);
    assert_eq!(spend[2]["group"], "Northbrook");
    assert_eq!(spend[2]["median"], 800.0);
    assert_eq!(
        (spend[2]["min"].as_f64(), spend[2]["max"].as_f64()),
        (Some(300.0), Some(1300.0))
    );
    // Children over all six cases: 1 1 2 2 3 4, median (2 + 2) / 2.
    let children = lines.iter().find(|l| l["column"] == "children").unwrap();
    assert_eq!(
        (children["n"].as_u64(), children["median"].as_f64()),
        (Some(6), Some(2.0))
    );

    // --json before the subcommand means the same.
    let again = wd
        .run(&["cases", "--json", "stats", "--by", "site"])
        .json_lines();
    assert_eq!(again, lines);

    let out = wd.run(&["cases", "stats", "--by", "site"]);
    let text = out.ok();
    assert!(text.starts_with("COLUMN"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("spend_gbp") && l.contains("site=Northbrook"))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells[2..],
        ["2", "0", "300", "800.00", "1300.00", "1600.00"],
        "{row}"
    );

    wd.fails_with(
        &["cases", "stats", "--by", "sites"],
        &["has no column 'sites' (did you mean 'site'?)"],
    );
}

#[test]
fn case_attributes_filter_every_command() {
    let wd = with_cases();
    wd.code_add("ana", "Speed", &["int-two:2", "fg-one:2"]);
    // int-two names C07 (legal status "child in need"); fg-one names no case.
    let docs = wd
        .run(&["docs", "--where", "legal_status=Child in need", "--json"])
        .json_lines();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "int-two");
    assert_eq!(docs[0]["attributes"]["spend_gbp"], "250.50");

    let hit_docs = |args: &[&str]| -> Vec<String> {
        wd.run(args)
            .json_lines()
            .iter()
            .filter(|h| h["type"] == "hit")
            .map(|h| h["doc"].as_str().unwrap().to_string())
            .collect()
    };
    // Unfiltered, both documents have hits; the filter keeps int-two's.
    assert!(hit_docs(&["search", "budget", "--json"]).contains(&"fg-one".to_string()));
    let by_where = hit_docs(&[
        "search",
        "budget",
        "--where",
        "legal_status=child in need",
        "--json",
    ]);
    assert!(by_where.len() > 1);
    assert!(by_where.iter().all(|d| d == "int-two"));
    // The same in the query language.
    let by_field = hit_docs(&[
        "search",
        "budget AND legal_status:\"child in need\"",
        "--json",
    ]);
    assert_eq!(by_field, by_where);
    let none = hit_docs(&[
        "search",
        "budget",
        "--where",
        "legal_status=care order",
        "--json",
    ]);
    assert!(none.is_empty());

    let codings = wd
        .run(&["codings", "--where", "spend_gbp=250.50", "--json"])
        .json_lines();
    assert_eq!(codings.len(), 1);
    assert_eq!(codings[0]["doc"], "int-two");
}

#[test]
fn a_word_in_a_numeric_column_is_named_by_file_line_and_column() {
    let wd = Workdir::new("basic");
    wd.write(
        "corpus/cases.csv",
        "case,site,spend_gbp\nC07,Ashcombe,100\nC08,Ashcombe,about 300\nC09,Ashcombe,50\n",
    );
    for args in [&["cases"][..], &["cases", "stats"][..]] {
        wd.fails_with(
            args,
            &["corpus/cases.csv:3: column 3 ('spend_gbp') of case 'C08': 'about 300' is not a number, so 'spend_gbp' is treated as text"],
        );
    }
    // `realist index` warns about it and carries on.
    let out = wd.run(&["index"]);
    out.ok();
    assert!(
        out.stderr
            .contains("'about 300' is not a number, so 'spend_gbp' is treated as text"),
        "{}",
        out.stderr
    );
    // Elsewhere the column is text, and filters on it still work.
    let docs = wd
        .run(&["docs", "--where", "spend_gbp=100", "--json"])
        .json_lines();
    assert_eq!(docs.len(), 1);
}

#[test]
fn a_transcript_naming_an_unknown_case_is_refused_with_its_line() {
    let wd = Workdir::new("basic");
    wd.write("corpus/cases.csv", "case,site\nC08,Ashcombe\n");
    wd.fails_with(
        &["cases"],
        &["corpus/sub/int-two.txt:6: case 'C07' is not in corpus/cases.csv (did you mean 'C08'?)"],
    );
    // The same for any command that reads the corpus.
    wd.run(&["search", "budget"]).fails();
}

#[test]
fn malformed_case_files_and_missing_ones_get_clear_errors() {
    let wd = Workdir::new("basic");
    wd.fails_with(&["cases"], &["no case data: write corpus/cases.csv"]);

    wd.write("corpus/cases.csv", "case,site\nC07,Ashcombe,extra\n");
    wd.fails_with(
        &["cases"],
        &["corpus/cases.csv:2: this row has 3 cells but the header has 2 columns"],
    );

    wd.write(
        "corpus/cases.csv",
        "case,site\nC07,Ashcombe\nc07,Northbrook\n",
    );
    wd.fails_with(
        &["cases"],
        &["corpus/cases.csv:3: case 'c07' has two rows (the first on line 2)"],
    );

    // A case file named in realist.toml must exist; it may live anywhere.
    let toml = wd.read("realist.toml");
    wd.write(
        "realist.toml",
        format!("{toml}\n[cases]\nfile = \"data/admin.csv\"\n"),
    );
    wd.fails_with(&["cases"], &["data/admin.csv"]);
    wd.write("data/admin.csv", "case,strand\nC07,edging\n");
    let lines = wd.run(&["cases", "--json"]).json_lines();
    assert_eq!(lines[0]["values"]["strand"], "edging");
}

#[test]
fn the_sample_project_has_case_data() {
    let wd = Workdir::sample();
    let lines = wd
        .run(&["cases", "stats", "--by", "site", "--json"])
        .json_lines();
    let spend: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["column"] == "spend_gbp")
        .collect();
    assert_eq!(spend.len(), 3);
    assert!(spend.iter().all(|s| s["missing"] == 1 || s["missing"] == 2));
}
