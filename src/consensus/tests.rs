//! Reconciling two coders and deciding on a small temporary project: the
//! consensus coder's codings and the audit trail's events, exactly.
//!
//! The project has a focus group `fg` (turns: Facilitator, SW1, TM, SW1)
//! and an interview `int` (Interviewer, YP, Interviewer, YP). ana codes
//! Speed on fg:2, fg:3 and int:2 and Trust on int:4; ben codes Speed on
//! fg:2, fg:4 and int:2 and Trust on int:4 (with a memo). By turn, three
//! passages are agreed (Speed fg:2, Speed int:2, Trust int:4) and two are
//! not: ana's Speed on fg:3 (D1) and ben's Speed on fg:4 (D2).

use std::path::Path;

use super::passage::key;
use super::{Event, Keep, Status, Trail, decide, reconcile};
use crate::agreement::units::Unit;
use crate::coding::store::{self, CoderFile};
use crate::coding::{Coding, Target};
use crate::index::Index;
use crate::progress::Silent;
use crate::project::Project;

const FOCUS_GROUP: &str = "---
id: fg
speakers:
  Facilitator: researcher
---

**Facilitator:** What changed?

**SW1 (social worker):** Speed. We bought it the same day.

**TM (team manager):** We sign off quickly.

**SW1:** But the paperwork is slow.
";

const INTERVIEW: &str = "---
id: int
speakers:
  Interviewer: researcher
  YP: young person
---

Interviewer: Did it help?

YP: Yeah, quick. No forms.

Interviewer: And trust?

YP: I trust her now.
";

const CODEBOOK: &str =
    "# Codes\n\n## Speed\nHow quickly a need is met.\n\n## Trust\nConfidence in the worker.\n";

/// When the first reconcile runs.
const AT: &str = "2025-06-01T10:00:00Z";

struct Fixture {
    _dir: tempfile::TempDir,
    index: Index,
}

impl Fixture {
    fn project(&self) -> &Project {
        self.index.project()
    }

    /// Returns the coding of `target` (`DOC:TURN`) as `coder` would make it.
    fn coding(&self, coder: &str, code: &str, target: &str, memo: Option<&str>) -> Coding {
        let target = Target::parse(target).unwrap();
        let t = self.index.transcript(target.doc()).unwrap();
        let span = target.resolve(&t).unwrap();
        let memo = memo.map(str::to_string);
        let rev = self.index.revision(&t.id);
        Coding::new(coder, &t, span, code, memo, "2025-05-01T09:00:00Z", rev)
    }

    /// Adds codings of `code` on `targets` to `coder`'s file.
    fn code(&self, coder: &str, code: &str, targets: &[&str], memo: Option<&str>) {
        let new = targets
            .iter()
            .map(|t| self.coding(coder, code, t, memo))
            .collect();
        store::update(self.project(), coder, |f| {
            let (added, _) = f.add_all(new);
            assert!(!added.is_empty());
            Ok(((), true))
        })
        .unwrap();
    }

    /// Removes `coder`'s coding of `code` on `target`.
    fn uncode(&self, coder: &str, code: &str, target: &str) {
        let gone = self.coding(coder, code, target, None);
        store::update(self.project(), coder, |f| {
            let before = f.codings.len();
            f.codings.retain(|c| {
                (&c.doc, c.start, c.end, &c.code) != (&gone.doc, gone.start, gone.end, &gone.code)
            });
            assert_eq!(f.codings.len(), before - 1);
            Ok(((), true))
        })
        .unwrap();
    }

    fn files(&self) -> Vec<CoderFile> {
        ["ana", "ben"]
            .iter()
            .map(|c| store::load(self.project(), c).unwrap())
            .collect()
    }

    fn reconcile(&self, at: &str) -> super::Reconciled {
        reconcile(&self.index, &self.files(), "final", None, at, false).unwrap()
    }

    fn events(&self) -> Vec<Event> {
        Trail::load(self.project(), "final").unwrap().events
    }

    fn consensus(&self) -> Vec<Coding> {
        store::load(self.project(), "final").unwrap().codings
    }

    /// Returns the consensus coding of `target` (with the consensus coder's
    /// id for it), created at `at`.
    fn consensus_coding(&self, code: &str, target: &str, memo: Option<&str>, at: &str) -> Coding {
        let mut c = self.coding("final", code, target, memo);
        c.created = at.to_string();
        c
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "realist.toml", "[corpus]\nfolder = \"corpus\"\n");
    write(root, "corpus/fg.md", FOCUS_GROUP);
    write(root, "corpus/int.md", INTERVIEW);
    write(root, "codebooks/codes.md", CODEBOOK);
    let project = Project::open(root).unwrap();
    let (index, _) = Index::open(&project, &Silent).unwrap();
    let f = Fixture { _dir: dir, index };
    f.code("ana", "Speed", &["fg:2", "fg:3", "int:2"], None);
    f.code("ana", "Trust", &["int:4"], None);
    f.code("ben", "Speed", &["fg:2", "fg:4", "int:2"], None);
    f.code("ben", "Trust", &["int:4"], Some("warm"));
    f
}

/// Returns the events with each passage's key blanked, and the keys.
fn without_keys(events: Vec<Event>) -> (Vec<Event>, Vec<String>) {
    let mut keys = Vec::new();
    let events = events
        .into_iter()
        .map(|mut e| {
            if let Event::Agreed { key, .. } | Event::Open { key, .. } = &mut e {
                keys.push(std::mem::take(key));
            }
            e
        })
        .collect();
    (events, keys)
}

/// The version of `coder`'s coding of `target` in a decision.
fn version(f: &Fixture, coder: &str, target: &str) -> super::Version {
    let c = f.coding(coder, "Speed", target, None);
    super::Version {
        id: c.id,
        start: c.start,
        end: c.end,
        quote: c.quote,
        memo: None,
    }
}

fn ids(codings: &[Coding]) -> Vec<String> {
    codings.iter().map(|c| c.id.clone()).collect()
}

#[test]
fn reconcile_carries_agreed_passages_and_opens_decisions_for_the_rest() {
    let f = fixture();
    let ana_before = std::fs::read(f.project().root.join("codings/ana.jsonl")).unwrap();

    // A dry run says what it would do and writes nothing.
    let dry = reconcile(&f.index, &f.files(), "final", None, AT, true).unwrap();
    assert_eq!(
        (dry.carried, dry.codings_added, dry.opened.clone()),
        (3, 0, vec!["D1".to_string(), "D2".to_string()])
    );
    assert!(!f.project().root.join("consensus").exists());
    assert!(!f.project().root.join("codings/final.jsonl").exists());

    let r = f.reconcile(AT);
    assert_eq!(r.into, "final");
    assert_eq!(r.coders, ["ana", "ben"]);
    assert_eq!(r.unit, Unit::Turn);
    assert_eq!(r.documents, ["fg", "int"]);
    assert!(r.left_out.is_empty());
    assert_eq!((r.carried, r.codings_added), (3, 3));
    assert_eq!(r.opened, ["D1", "D2"]);
    assert!(r.withdrawn.is_empty() && r.outdated.is_empty());
    assert_eq!(
        (r.kept, r.still_open, r.left_aside, r.missing),
        (0, 0, 0, 0)
    );
    assert!(!r.dry_run);

    // The agreed passages, carried into the consensus coder's file (the
    // memo says whose it is).
    let carried = vec![
        f.consensus_coding("Speed", "fg:2", None, AT),
        f.consensus_coding("Speed", "int:2", None, AT),
        f.consensus_coding("Trust", "int:4", Some("ben: warm"), AT),
    ];
    assert_eq!(f.consensus(), carried);

    let (events, keys) = without_keys(f.events());
    let agreed = |doc: &str, code: &str, c: &Coding| Event::Agreed {
        key: String::new(),
        doc: doc.into(),
        code: code.into(),
        added: vec![c.id.clone()],
        at: AT.into(),
    };
    let open = |decision: u32, ana: Vec<super::Version>, ben: Vec<super::Version>| Event::Open {
        decision,
        key: String::new(),
        doc: "fg".into(),
        code: "Speed".into(),
        versions: [("ana".to_string(), ana), ("ben".to_string(), ben)]
            .into_iter()
            .collect(),
        at: AT.into(),
    };
    let done = |at: &str| Event::Done {
        at: at.into(),
        recovered: false,
    };
    assert_eq!(
        events,
        [
            // What the consensus coder's file is to gain, before it does.
            Event::Intent {
                add: carried.clone(),
                remove: vec![],
                at: AT.into(),
            },
            agreed("fg", "Speed", &carried[0]),
            agreed("int", "Speed", &carried[1]),
            agreed("int", "Trust", &carried[2]),
            open(1, vec![version(&f, "ana", "fg:3")], vec![]),
            open(2, vec![], vec![version(&f, "ben", "fg:4")]),
            Event::Reconcile {
                at: AT.into(),
                coders: vec!["ana".into(), "ben".into()],
                unit: Unit::Turn,
                documents: 2,
                carried: 3,
                opened: 2,
                withdrawn: 0,
            },
            done(AT),
        ]
    );
    // A passage's key: its document, code, unit and each coder's codings.
    let coders = ["ana".to_string(), "ben".to_string()];
    let ana_fg3 = f.coding("ana", "Speed", "fg:3", None);
    assert_eq!(
        keys[3],
        key(
            "fg",
            "Speed",
            Unit::Turn,
            &coders,
            &[vec![&ana_fg3], vec![]]
        )
    );
    assert_eq!(keys.len(), 5);
    assert!(keys.iter().all(|k| k.len() == 16));
    // The coders' files are never changed.
    assert_eq!(
        std::fs::read(f.project().root.join("codings/ana.jsonl")).unwrap(),
        ana_before
    );
}

#[test]
fn reconciling_again_keeps_decisions_and_opens_only_new_ones() {
    let f = fixture();
    f.reconcile(AT);
    let first = f.events();

    // Nothing new: nothing carried or opened, the two decisions still open.
    let at = "2025-06-02T10:00:00Z";
    let r = f.reconcile(at);
    assert_eq!((r.carried, r.codings_added), (0, 0));
    assert!(r.opened.is_empty() && r.withdrawn.is_empty());
    assert_eq!((r.kept, r.still_open), (0, 2));
    let events = f.events();
    assert_eq!(events[..first.len()], first[..]);
    assert_eq!(
        events[first.len()..],
        [Event::Reconcile {
            at: at.into(),
            coders: vec!["ana".into(), "ben".into()],
            unit: Unit::Turn,
            documents: 2,
            carried: 0,
            opened: 0,
            withdrawn: 0,
        }]
    );

    // D1 decided; then ben codes Speed on int:3 alone (a new passage, D3),
    // and both code Trust on fg:3 (agreed, carried).
    decide(&f.index, "final", "D1", &Keep::All, "carol", None, at).unwrap();
    f.code("ben", "Speed", &["int:3"], None);
    f.code("ana", "Trust", &["fg:3"], None);
    f.code("ben", "Trust", &["fg:3"], None);
    let before = f.events().len();
    let later = "2025-06-03T10:00:00Z";
    let r = f.reconcile(later);
    assert_eq!((r.carried, r.codings_added), (1, 1));
    assert_eq!(r.opened, ["D3"]);
    assert!(r.withdrawn.is_empty() && r.outdated.is_empty());
    assert_eq!((r.kept, r.still_open), (1, 1));
    let (events, _) = without_keys(f.events().split_off(before));
    let trust = f.consensus_coding("Trust", "fg:3", None, later);
    assert_eq!(
        events,
        [
            Event::Intent {
                add: vec![trust.clone()],
                remove: vec![],
                at: later.into(),
            },
            Event::Agreed {
                key: String::new(),
                doc: "fg".into(),
                code: "Trust".into(),
                added: vec![trust.id.clone()],
                at: later.into(),
            },
            Event::Open {
                decision: 3,
                key: String::new(),
                doc: "int".into(),
                code: "Speed".into(),
                versions: [
                    ("ana".to_string(), vec![]),
                    ("ben".to_string(), vec![version(&f, "ben", "int:3")]),
                ]
                .into_iter()
                .collect(),
                at: later.into(),
            },
            Event::Reconcile {
                at: later.into(),
                coders: vec!["ana".into(), "ben".into()],
                unit: Unit::Turn,
                documents: 2,
                carried: 1,
                opened: 1,
                withdrawn: 0,
            },
            Event::Done {
                at: later.into(),
                recovered: false,
            },
        ]
    );
    assert!(f.consensus().contains(&trust));
}

#[test]
fn decide_keeps_one_coders_version_or_neither() {
    let f = fixture();
    f.reconcile(AT);
    let carried = f.consensus();

    // D1: ana's Speed on fg:3 kept.
    let at = "2025-06-02T10:00:00Z";
    let d = decide(
        &f.index,
        "final",
        "d1",
        &Keep::Coders(vec!["ana".into()]),
        "carol",
        Some("sign-off speed"),
        at,
    )
    .unwrap();
    let kept = f.consensus_coding("Speed", "fg:3", None, at);
    assert_eq!(d.added, std::slice::from_ref(&kept));
    assert!(d.removed.is_empty());
    assert_eq!(d.decision.id, "D1");
    assert_eq!(
        d.decision.status,
        Status::Decided {
            keep: vec!["ana".into()],
            by: "carol".into(),
            note: Some("sign-off speed".into()),
            at: at.into(),
            replaced: 0,
        }
    );
    let mut all = carried.clone();
    all.insert(1, kept.clone());
    assert_eq!(f.consensus(), all);

    // D2: ben's Speed on fg:4 kept by neither (a blank note is no note).
    let d = decide(
        &f.index,
        "final",
        "2",
        &Keep::Neither,
        "dan",
        Some("  "),
        at,
    )
    .unwrap();
    assert!(d.added.is_empty() && d.removed.is_empty());
    assert_eq!(f.consensus(), all);

    // D1 again, now neither: what the first decision added goes, what the
    // agreed passages carried stays.
    let later = "2025-06-03T10:00:00Z";
    let d = decide(&f.index, "final", "D1", &Keep::Neither, "dan", None, later).unwrap();
    assert!(d.added.is_empty());
    assert_eq!(d.removed, std::slice::from_ref(&kept));
    assert!(matches!(
        d.decision.status,
        Status::Decided { replaced: 1, .. }
    ));
    assert_eq!(f.consensus(), carried);

    // Each change of the consensus coder's file between its intent and
    // done; D2 changed nothing.
    let events = f.events();
    let done = |at: &str| Event::Done {
        at: at.into(),
        recovered: false,
    };
    assert_eq!(
        events[events.len() - 7..],
        [
            Event::Intent {
                add: vec![kept.clone()],
                remove: vec![],
                at: at.into(),
            },
            Event::Decide {
                decision: 1,
                keep: vec!["ana".into()],
                by: "carol".into(),
                note: Some("sign-off speed".into()),
                added: ids(std::slice::from_ref(&kept)),
                removed: vec![],
                at: at.into(),
            },
            done(at),
            Event::Decide {
                decision: 2,
                keep: vec![],
                by: "dan".into(),
                note: None,
                added: vec![],
                removed: vec![],
                at: at.into(),
            },
            Event::Intent {
                add: vec![],
                remove: ids(std::slice::from_ref(&kept)),
                at: later.into(),
            },
            Event::Decide {
                decision: 1,
                keep: vec![],
                by: "dan".into(),
                note: None,
                added: vec![],
                removed: ids(std::slice::from_ref(&kept)),
                at: later.into(),
            },
            done(later),
        ]
    );

    // What decide refuses, before writing anything.
    let n = f.events().len();
    let refuse = |id: &str, keep: &Keep, by: &str| {
        decide(&f.index, "final", id, keep, by, None, later)
            .unwrap_err()
            .to_string()
    };
    let err = refuse("D2", &Keep::Coders(vec!["carol".into()]), "dan");
    assert!(
        err.contains("'carol' is not one of the coders of D2 (ana, ben)"),
        "{err}"
    );
    assert_eq!(
        refuse("D2", &Keep::Coders(vec![]), "dan"),
        "say which version to keep: a coder's name, both or neither"
    );
    assert_eq!(
        refuse("D2", &Keep::All, " "),
        "say who is deciding, for the audit trail: the name is empty"
    );
    assert!(refuse("D9", &Keep::All, "dan").contains("no decision 'D9'"));
    assert_eq!(f.events().len(), n);
}

#[test]
fn an_open_decision_is_withdrawn_when_a_coder_changes_its_passage() {
    let f = fixture();
    f.reconcile(AT);
    decide(
        &f.index,
        "final",
        "D1",
        &Keep::Coders(vec!["ana".into()]),
        "carol",
        None,
        AT,
    )
    .unwrap();

    // ben drops Speed on fg:4 (open D2); ana drops Speed on fg:3 (decided D1).
    f.uncode("ben", "Speed", "fg:4");
    f.uncode("ana", "Speed", "fg:3");
    let at = "2025-06-02T10:00:00Z";
    let r = f.reconcile(at);
    assert_eq!(r.withdrawn, ["D2"]);
    assert_eq!(r.outdated, ["D1"]);
    assert!(r.opened.is_empty());
    assert_eq!((r.kept, r.still_open, r.carried), (1, 0, 0));
    let events = f.events();
    let reason = "the coders' codings of this passage changed (or its document is no longer coded by every coder)";
    assert_eq!(
        events[events.len() - 2..],
        [
            Event::Withdraw {
                decision: 2,
                reason: reason.into(),
                at: at.into(),
            },
            Event::Reconcile {
                at: at.into(),
                coders: vec!["ana".into(), "ben".into()],
                unit: Unit::Turn,
                documents: 2,
                carried: 0,
                opened: 0,
                withdrawn: 1,
            },
        ]
    );
    let trail = Trail::load(f.project(), "final").unwrap();
    assert_eq!(
        trail.decision("D2").unwrap().status,
        Status::Withdrawn {
            reason: reason.into(),
            at: at.into(),
        }
    );
    let err = decide(&f.index, "final", "D2", &Keep::All, "carol", None, at)
        .unwrap_err()
        .to_string();
    assert_eq!(err, format!("decision D2 was withdrawn on {at}: {reason}"));
    // Reconciling once more withdraws nothing again.
    let r = f.reconcile("2025-06-03T10:00:00Z");
    assert!(r.withdrawn.is_empty());
    assert_eq!(r.outdated, ["D1"]);
}

#[test]
fn reconcile_checks_its_coders_and_unit() {
    let f = fixture();
    let files = f.files();
    let err = reconcile(&f.index, &files, "ana", None, AT, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the consensus coder 'ana' must not be one of the coders reconciled"
    );
    // A coder with codings of their own cannot become a consensus.
    let err = reconcile(&f.index, &files[..1], "ben", None, AT, false).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("coder 'ben' already has codings of their own ("),
        "{err}"
    );

    f.reconcile(AT);
    let n = f.events().len();
    let swapped = [files[1].clone(), files[0].clone()];
    let err = reconcile(&f.index, &swapped, "final", None, AT, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "consensus 'final' reconciles ana,ben, not ben,ana"
    );
    let err = reconcile(&f.index, &files, "final", Some(Unit::Sentence), AT, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "consensus 'final' was reconciled by turn; passages must keep their unit"
    );
    assert_eq!(f.events().len(), n);
    // The unit the trail fixed is kept when none is given.
    let r = reconcile(&f.index, &files, "final", Some(Unit::Turn), AT, true).unwrap();
    assert_eq!(r.unit, Unit::Turn);
}

/// Runs `run` as if the process were killed after `step`.
fn killed_after<T: std::fmt::Debug>(
    step: super::commit::Step,
    run: impl FnOnce() -> crate::error::Result<T>,
) {
    super::commit::CRASH_AFTER.with(|c| c.set(Some(step)));
    let result = run();
    super::commit::CRASH_AFTER.with(|c| c.set(None));
    let err = result.unwrap_err().to_string();
    assert!(err.contains("simulated crash"), "{err}");
}

#[test]
fn a_reconcile_killed_at_any_step_is_completed_by_the_next_run() {
    use super::commit::Step;
    for step in [Step::Trail, Step::File] {
        let f = fixture();
        killed_after(step, || {
            reconcile(&f.index, &f.files(), "final", None, AT, false)
        });
        let later = "2025-06-02T10:00:00Z";
        let r = f.reconcile(later);
        // The interrupted run's work is all there, once: the agreed
        // passages in the consensus, D1 and D2 open, nothing missing.
        assert_eq!(r.missing, 0, "{step:?}");
        assert_eq!(
            f.consensus(),
            [
                f.consensus_coding("Speed", "fg:2", None, AT),
                f.consensus_coding("Speed", "int:2", None, AT),
                f.consensus_coding("Trust", "int:4", Some("ben: warm"), AT),
            ],
            "{step:?}"
        );
        let trail = Trail::load(f.project(), "final").unwrap();
        let ds: Vec<(String, Status)> = trail
            .decisions()
            .into_iter()
            .map(|d| (d.id, d.status))
            .collect();
        assert_eq!(
            ds,
            [("D1".into(), Status::Open), ("D2".into(), Status::Open)],
            "{step:?}"
        );
        assert!(r.opened.is_empty() && r.carried == 0, "{step:?}");
    }
}

#[test]
fn a_decide_killed_at_any_step_is_completed_by_the_next_command() {
    use super::commit::Step;
    for step in [Step::Trail, Step::File] {
        let f = fixture();
        f.reconcile(AT);
        let carried = f.consensus();
        let at = "2025-06-02T10:00:00Z";
        let ana = Keep::Coders(vec!["ana".into()]);
        killed_after(step, || {
            decide(&f.index, "final", "D1", &ana, "carol", None, at)
        });
        // Deciding again, for neither, leaves no orphan of the first.
        let later = "2025-06-03T10:00:00Z";
        decide(&f.index, "final", "D1", &Keep::Neither, "dan", None, later).unwrap();
        assert_eq!(f.consensus(), carried, "{step:?}");
        // And the interrupted decision is on the trail, replaced.
        let d = Trail::load(f.project(), "final")
            .unwrap()
            .decision("D1")
            .unwrap();
        assert!(
            matches!(d.status, Status::Decided { replaced: 1, .. }),
            "{step:?}: {:?}",
            d.status
        );
        let r = f.reconcile(later);
        assert_eq!((r.missing, r.kept, r.still_open), (0, 1, 1), "{step:?}");
    }
}
