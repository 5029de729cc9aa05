//! The workspace as a front end uses it: one object, many operations, files
//! changed on disk between them.

use std::path::{Path, PathBuf};

use super::*;
use crate::agreement::compare::Unit;
use crate::autocode::Spread;
use crate::coding::Target;
use crate::consensus::Keep;
use crate::export::Format;
use crate::logic_model::links::Stance;
use crate::progress::Silent;
use crate::search::SearchOptions;
use crate::text::Span;

/// A copy of the `basic` test fixture (two transcripts, a codebook).
fn fixture() -> (tempfile::TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &root,
    );
    (dir, root)
}

fn open(root: &Path) -> Workspace {
    Workspace::open(&Project::open(root).unwrap(), &Silent)
        .unwrap()
        .0
}

fn code(ws: &Workspace, coder: &str, code: &str, target: &str) -> Saved {
    ws.add_codings(&NewCodings {
        coder: coder.into(),
        code: code.into(),
        targets: vec![Target::parse(target).unwrap()],
        memo: None,
    })
    .unwrap()
}

#[test]
fn a_workspace_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Workspace>();
}

#[test]
fn coding_by_hand_from_hits_and_from_a_file_then_removing() {
    let (_dir, root) = fixture();
    let ws = open(&root);
    // A code named by its leaf name, a turn by its number.
    let saved = code(&ws, "ana", "trust", "fg-one:2");
    assert_eq!(saved.coded.added, 1);
    assert_eq!(saved.added[0].code, "Trust");
    assert!(saved.stale.is_empty());
    // The same span again adds nothing.
    assert_eq!(code(&ws, "ana", "Trust", "fg-one:2").coded.already, 1);
    // An unknown code suggests the nearest.
    let e = ws
        .add_codings(&NewCodings {
            coder: "ana".into(),
            code: "Trsut".into(),
            targets: vec![Target::parse("fg-one:2").unwrap()],
            memo: None,
        })
        .unwrap_err();
    assert!(
        matches!(&e, Error::UnknownCode { suggestions, .. } if suggestions == &["Trust"]),
        "{e}"
    );

    // From hits: a dry run writes nothing; the keywords are the query.
    let hits = CodeHits {
        coder: "ben".into(),
        code: "Speed".into(),
        query: None,
        search: SearchOptions::default(),
        spread: Spread::Sentence,
        memo: None,
        dry_run: true,
    };
    let dry = ws.code_hits(&hits).unwrap();
    assert!(dry.coded.added > 0 && dry.coded.dry_run);
    assert!(!root.join("codings/ben.jsonl").exists());
    let real = ws
        .code_hits(&CodeHits {
            dry_run: false,
            ..hits
        })
        .unwrap();
    assert_eq!(real.coded.added, dry.coded.added);
    assert_eq!(
        ws.coder_file("ben").unwrap().codings.len(),
        real.coded.added
    );

    // From a file: every line checked first, nothing added when one is bad.
    let source = Path::new("lines.jsonl");
    let good = r#"{"doc":"fg-one","start":0,"end":12,"code":"Administration"}"#;
    let bad = r#"{"doc":"fg-one","start":5,"end":3,"code":"Speed"}"#;
    let e = ws
        .import_codings("chloe", source, &format!("{good}\n{bad}\n"), false, false)
        .unwrap_err();
    assert!(
        matches!(&e, Error::Lines { problems, .. } if problems.len() == 1 && problems[0].line == Some(2)),
        "{e}"
    );
    assert!(!root.join("codings/chloe.jsonl").exists());
    let imported = ws
        .import_codings("chloe", source, good, false, false)
        .unwrap();
    assert_eq!(imported.added[0].quote, "Facilitator:");

    // Removing by id prefix, from every coder's file.
    let id = saved.added[0].id[..6].to_string();
    let files = ws.coder_files(&[]).unwrap();
    let removed = ws.remove_codings(&[id], &files).unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].0, "ana");
    assert!(ws.coder_file("ana").unwrap().codings.is_empty());
}

#[test]
fn what_it_keeps_is_read_again_when_the_file_changes() {
    let (_dir, root) = fixture();
    let ws = open(&root);
    code(&ws, "ana", "Trust", "fg-one:2");
    assert_eq!(ws.coder_file("ana").unwrap().codings.len(), 1);
    // Another process (another browser, the command line) removes the
    // coding: the workspace sees it without being reopened.
    std::fs::write(root.join("codings/ana.jsonl"), "").unwrap();
    assert!(ws.coder_file("ana").unwrap().codings.is_empty());
    // A code added to the codebook is known at once.
    let book = root.join("codebooks/themes.md");
    let text = std::fs::read_to_string(&book).unwrap();
    assert!(ws.code("Hope").is_err());
    std::fs::write(&book, format!("{text}\n## Hope\nLooking forward.\n")).unwrap();
    assert_eq!(ws.code("Hope").unwrap().path, "Hope");
}

#[test]
fn refresh_sees_a_changed_transcript() {
    let (_dir, root) = fixture();
    let mut ws = open(&root);
    let found = |ws: &Workspace, q: &str| {
        let opts = SearchOptions {
            query: q.into(),
            ..SearchOptions::default()
        };
        ws.index().search(&opts, &mut |_| true).unwrap().hits
    };
    assert_eq!(found(&ws, "marmalade"), 0);
    let path = root.join("corpus/fg-one.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\n**SW1 (social worker):** Marmalade.\n"),
    )
    .unwrap();
    let refresh = ws.refresh(&Silent).unwrap();
    assert_eq!(refresh.changed, ["fg-one"]);
    assert_eq!(found(&ws, "marmalade"), 1);
}

#[test]
fn coders_compared_reconciled_and_decided() {
    let (_dir, root) = fixture();
    let ws = open(&root);
    code(&ws, "ana", "Trust", "fg-one:2");
    code(&ws, "ben", "Trust", "fg-one:2");
    code(&ws, "ana", "Speed", "fg-one:3");
    code(&ws, "ben", "Trust", "int-two:4");
    code(&ws, "ana", "Trust", "int-two:2");
    let c = Comparison {
        coders: vec!["ana".into(), "ben".into()],
        unit: Unit::Turn,
        codes: Vec::new(),
        filters: Vec::new(),
    };
    let compared = ws.compared(&c).unwrap();
    assert_eq!(compared.codes, ["Speed", "Trust"], "codebook order");
    let a = ws.agree(&c, false).unwrap();
    assert_eq!(a.documents, ["fg-one", "int-two"]);
    assert_eq!(a.codes["Trust"].by_all, 1);
    let d = ws.disagreements(&c, &["Trust".to_string()]).unwrap();
    assert_eq!(d.tally().differences, 2, "int-two turns 2 and 4");

    // Too few coders and an unknown coder are typed errors.
    let one = Comparison {
        coders: vec!["ana".into()],
        ..c.clone()
    };
    assert!(matches!(
        ws.agree(&one, false),
        Err(Error::TooFewCoders { task: "comparing" })
    ));
    let typo = Comparison {
        coders: vec!["ana".into(), "bem".into()],
        ..c.clone()
    };
    assert!(matches!(
        ws.agree(&typo, false),
        Err(Error::UnknownCoder { suggestions, .. }) if suggestions == ["ben"]
    ));

    let r = ws.reconcile(&c.coders, "agreed", None, false).unwrap();
    assert_eq!(r.carried, 1);
    assert!(matches!(ws.consensus(None), Ok(name) if name == "agreed"));
    let (_, decisions) = ws.decisions(None).unwrap();
    assert_eq!(decisions.len(), r.opened.len());
    let first = decisions[0].id.clone();
    let (name, decided) = ws
        .decide(None, &first, &Keep::All, "ana and ben", Some("both fit"))
        .unwrap();
    assert_eq!(name, "agreed");
    assert!(!decided.added.is_empty());
    assert!(matches!(
        ws.consensus(Some("agred")),
        Err(Error::UnknownConsensus { suggestions, .. }) if suggestions == ["agreed"]
    ));
}

#[test]
fn evidence_exports_and_the_report() {
    let (_dir, root) = fixture();
    std::fs::write(
        root.join("logic-model.md"),
        "# Logic model\n\n## Pathways\n- **Relationships**: help that follows through.\n\n\
         ## Configurations\n\n### CMO-1: Quick help builds trust\n\
         - Pathway: Relationships\n- Status: initial\n- Context: Families let down before.\n\
         - Mechanism: The worker buys what was agreed; the family trusts her.\n\
         - Outcome: Families engage.\n- Keywords: trust\n",
    )
    .unwrap();
    std::fs::write(root.join("pseudonyms.csv"), "name,pseudonym\nZoë,Amy\n").unwrap();
    let ws = open(&root);
    let saved = code(&ws, "ana", "Trust", "fg-one:2");
    let candidates = ws.candidates("cmo-1", &[]).unwrap();
    assert_eq!(candidates.candidates.len(), 1);
    assert_eq!(candidates.mentioned[0].0, "Trust");
    let linked = ws
        .link(&NewLinks {
            cmo: "1".into(),
            codings: vec![saved.added[0].id.clone()],
            stance: Stance::Supports,
            part: None,
            by: "ana".into(),
            note: None,
        })
        .unwrap();
    assert_eq!(linked.cmo, "CMO-1");
    let summaries = ws.configurations(None).unwrap();
    assert_eq!(summaries[0].supports, 1);
    let (c, quotes) = ws.configuration("CMO-1").unwrap();
    assert_eq!((c.id.as_str(), quotes.len()), ("CMO-1", 1));
    assert_eq!(ws.configurations(Some("relationships")).unwrap().len(), 1);
    assert!(matches!(
        ws.configurations(Some("Relationship")),
        Err(Error::UnknownPathway { suggestions, .. }) if suggestions == ["Relationships"]
    ));

    let (files, selection) = ws.quote_selection(&QuoteSelection::default()).unwrap();
    let export = ws
        .export_quotes(&files, &selection, None, Format::Json, false)
        .unwrap();
    assert!(export.meta.pseudonymised);
    assert_eq!(export.meta.quotes, 1);
    assert!(export.text.contains("Amy") && !export.text.contains("Zoë"));
    let (report, problems) = ws
        .report(&QuoteSelection::default(), false, &Silent)
        .unwrap();
    assert!(problems.is_empty());
    assert!(report.contains("CMO-1") && !report.contains("Zoë"));

    // An export never replaces the project's own files.
    let e = ws
        .write_export(&root.join("pseudonyms.csv"), b"x")
        .unwrap_err();
    assert!(matches!(
        e,
        Error::OutputGuarded {
            what: "the pseudonym key",
            ..
        }
    ));
    let e = ws.write_export(&root, b"x").unwrap_err();
    assert!(matches!(e, Error::OutputIsFolder { .. }));

    let check = ws.privacy_check(&QuoteSelection::default()).unwrap();
    assert!(check.verdict().is_ok(), "{:?}", check.findings);
}

#[test]
fn marks_leave_out_stale_codings() {
    let (_dir, root) = fixture();
    let ws = open(&root);
    code(&ws, "ana", "Trust", "fg-one:2");
    let files = ws.coder_files(&["ana".into()]).unwrap();
    let t = ws.index().transcript("fg-one").unwrap();
    let marks = crate::marks::Marks::of(&t, &files, &Default::default());
    assert_eq!(marks.shown, 1);
    assert_eq!(marks.marks[0].codes["Trust"][0].coder, "ana");
    let span = Span::new(marks.marks[0].start, marks.marks[0].end);
    assert_eq!(t.slice(span), files[0].codings[0].quote);
}
