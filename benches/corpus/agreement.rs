//! Agreement, in a child process: two coders with 50,000 codings each in
//! the same 1,000 transcripts, compared by every unit, their disagreements
//! listed and a reconcile dry run, against reading what every comparison
//! must read (both coder files, the stale check and the transcripts).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

use realist::agreement::compare::{Options, Unit, compare};
use realist::agreement::disagreements;
use realist::coding::store;
use realist::{CoderFile, Coding, Index, Project, Silent};

use crate::child::run_phase;
use crate::coders::{
    CREATED, SENTENCE_CODES, TURN_CODES, candidates, coded_docs, remove_coder, save_codings,
};
use crate::coding::LOAD_CODINGS;
use crate::generate::{Rng, shuffle};
use crate::report::{median, secs, verdict};
use crate::{Args, BoxResult};

/// The two coders of the agreement benchmark.
const AGREE_CODERS: [&str; 2] = ["bench-a", "bench-b"];

/// Two coders' files to make: who, how many codings each, with which codes,
/// and how often the second coder codes what the first did.
pub struct CoderPair<'c> {
    pub coders: [&'c str; 2],
    pub per_coder: usize,
    pub turn_codes: &'c [&'c str],
    pub sentence_codes: &'c [&'c str],
    /// Probability that the second coder codes the first's (span, code).
    pub same: f64,
    /// Probability that it codes the same code on the next span instead.
    pub near: f64,
}

/// The agreement benchmark's pair: [`LOAD_CODINGS`] codings in all, 0.7
/// the same, 0.15 near.
const AGREE_PAIR: CoderPair<'static> = CoderPair {
    coders: AGREE_CODERS,
    per_coder: LOAD_CODINGS / 2,
    turn_codes: TURN_CODES,
    sentence_codes: SENTENCE_CODES,
    same: 0.7,
    near: 0.15,
};

/// Makes two coders' files: the first codes `per_coder` random (span, code)
/// pairs over at most [`LOAD_DOCS`](crate::coders::LOAD_DOCS) transcripts
/// (evenly spaced in id order); the second codes the same pair with
/// probability `same`, a neighbouring span with the same code with `near`,
/// and drops the rest, then adds random pairs of its own up to the same
/// count. Returns the transcripts coded.
pub fn agreement_files(
    index: &Index,
    project: &Project,
    seed: u64,
    pair: &CoderPair,
) -> BoxResult<usize> {
    let docs = coded_docs(index, pair.per_coder);
    let mut rng = Rng::new(seed ^ 0xA9BE_E000);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (id, quota) in &docs {
        let quota = *quota;
        let t = index.transcript(id)?;
        let rev = index.revision(id);
        let candidates = candidates(&t, pair.turn_codes, pair.sentence_codes);
        if candidates.len() < 2 * quota {
            return Err(format!("{id}: only {} spans to code", candidates.len()).into());
        }
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        shuffle(&mut order, &mut rng);
        let (mine, rest) = order.split_at(quota);
        // Candidates of one kind are laid out span by span, code by code:
        // the next span with the same code is this many further on.
        let step = |i: usize| {
            if i < t.turns.len() * pair.turn_codes.len() {
                pair.turn_codes.len()
            } else {
                pair.sentence_codes.len()
            }
        };
        let theirs = second_coder(pair, mine, rest, candidates.len(), step, &mut rng);
        for (coder, picked, out) in [
            (pair.coders[0], mine, &mut a),
            (pair.coders[1], &theirs[..], &mut b),
        ] {
            out.extend(picked.iter().map(|&i| {
                let (span, code) = candidates[i];
                Coding::new(coder, &t, span, code, None, CREATED, rev)
            }));
        }
    }
    for (coder, codings) in pair.coders.iter().zip([a, b]) {
        remove_coder(project, coder)?;
        let n = codings.len();
        let (added, _) = save_codings(project, coder, codings)?;
        assert_eq!(added, n, "{coder}: codings skipped");
    }
    Ok(docs.len())
}

/// The second coder's picks among `candidates` (indexes) in one transcript,
/// given the first's (`mine`, the rest of the shuffled order in `rest`):
/// each of the first's the same with probability `pair.same`, else the
/// same code `step(i)` candidates on with `pair.near`; then from `rest` up
/// to as many as the first coded.
fn second_coder(
    pair: &CoderPair,
    mine: &[usize],
    rest: &[usize],
    candidates: usize,
    step: impl Fn(usize) -> usize,
    rng: &mut Rng,
) -> Vec<usize> {
    let mut taken: BTreeSet<usize> = mine.iter().copied().collect();
    let mut theirs = Vec::new();
    for &i in mine {
        let roll = rng.unit();
        if roll < pair.same {
            theirs.push(i);
        } else if roll < pair.same + pair.near {
            let j = i + step(i);
            if j < candidates && !taken.contains(&j) {
                taken.insert(j);
                theirs.push(j);
            }
        }
    }
    for &j in rest {
        if theirs.len() >= mine.len() {
            break;
        }
        if taken.insert(j) {
            theirs.push(j);
        }
    }
    theirs
}

/// Runs `run` `runs` times (at least once), each run timed, then `check`ed
/// untimed; returns the median seconds and the last run's result. What a
/// run returns is dropped outside the timing: a run returns the coder files
/// it loaded along with its result.
fn time_runs<T>(
    runs: usize,
    mut run: impl FnMut() -> BoxResult<T>,
    check: impl Fn(&T),
) -> BoxResult<(f64, T)> {
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let result = run()?;
        samples.push(started.elapsed());
        check(&result);
        last = Some(result);
    }
    let last = last.ok_or("no runs")?;
    Ok((median(samples), last))
}

/// Times agreement, disagreements and reconcile over the two coders' files
/// against reading what every comparison reads; prints the `RESULT` line.
pub fn agreement_phase(args: &Args) -> BoxResult<()> {
    let runs = args.coding_runs.max(1);
    let project = Project::open(&args.dir.join("project"))?;
    let (index, _) = Index::open(&project, &Silent)?;
    eprintln!("  making two coders' files …");
    let n_docs = agreement_files(&index, &project, args.seed, &AGREE_PAIR)?;
    let coders: Vec<String> = AGREE_CODERS.iter().map(|c| c.to_string()).collect();
    let load = || load_pair(&project);
    let files = load()?;
    let codings: usize = files.iter().map(|f| f.codings.len()).sum();
    let mut codes: Vec<String> = TURN_CODES
        .iter()
        .chain(SENTENCE_CODES)
        .map(|c| c.to_string())
        .collect();
    codes.sort();

    let base = time_baseline(&index, &project, runs)?;
    let mut result = format!("RESULT codings={codings} docs={n_docs} base_secs={base}");
    for unit in [Unit::Turn, Unit::Paragraph, Unit::Sentence, Unit::Char] {
        eprintln!("  agreement by {} ({runs} runs) …", unit.name());
        let opts = Options {
            unit,
            codes: codes.clone(),
            filters: Vec::new(),
            coded_only: false,
        };
        let (secs, (_, a)) = time_runs(
            runs,
            || {
                let files = load()?;
                let a = compare(&index, &files, &opts)?;
                Ok((files, a))
            },
            |(_, a)| assert_eq!(a.documents.len(), n_docs),
        )?;
        let kappa = a.overall.pooled.cohen_kappa.unwrap_or(f64::NAN);
        let _ = write!(result, " {0}_secs={secs} {0}_kappa={kappa}", unit.name());
    }
    eprintln!("  disagreements by turn ({runs} runs) …");
    let opts = disagreements::Options {
        unit: Unit::Turn,
        codes: codes.clone(),
        filters: Vec::new(),
    };
    let (secs, (_, d)) = time_runs(
        runs,
        || {
            let files = load()?;
            let d = disagreements::disagreements(&index, &files, &opts)?;
            Ok((files, d))
        },
        |_| {},
    )?;
    let _ = write!(
        result,
        " disagreements_secs={secs} disagreements={}",
        d.units.len()
    );
    eprintln!("  reconcile dry run by turn ({runs} runs) …");
    let (secs, (_, r)) = time_runs(
        runs,
        || {
            let files = load()?;
            let r = realist::consensus::reconcile(
                &index,
                &files,
                "bench-consensus",
                Some(Unit::Turn),
                CREATED,
                true,
            )?;
            Ok((files, r))
        },
        |(_, r)| assert_eq!(r.coders, coders),
    )?;
    let _ = write!(result, " reconcile_secs={secs} opened={}", r.opened.len());
    for coder in AGREE_CODERS {
        remove_coder(&project, coder)?;
    }
    println!("{result}");
    Ok(())
}

/// Both coders' files, loaded as every measure loads them (as `agree` and
/// the others do).
fn load_pair(project: &Project) -> BoxResult<Vec<CoderFile>> {
    Ok(vec![
        store::load(project, AGREE_CODERS[0])?,
        store::load(project, AGREE_CODERS[1])?,
    ])
}

/// The baseline, `runs` times: what every comparison reads (both files, the
/// stale check and the coded transcripts); returns the median seconds.
fn time_baseline(index: &Index, project: &Project, runs: usize) -> BoxResult<f64> {
    eprintln!("  baseline: loading, stale check, reading the transcripts ({runs} runs) …");
    let (base, _) = time_runs(
        runs,
        || {
            let files = load_pair(project)?;
            let stale = realist::anchor::stale(index, &files)?;
            assert!(stale.is_empty());
            let mut docs: Vec<&str> = files[0].codings.iter().map(|c| c.doc.as_str()).collect();
            docs.dedup();
            let mut chars = 0;
            for d in &docs {
                chars += index.transcript(d)?.char_len();
            }
            std::hint::black_box(chars);
            Ok(files)
        },
        |_| {},
    )?;
    Ok(base)
}

/// Runs the agreement child and appends its table to `report`.
pub fn agreement_report(args: &Args, report: &mut String) -> BoxResult<()> {
    eprintln!("agreement between two coders …");
    let r = run_phase(args, "agreement")?;
    let _ = writeln!(
        report,
        "\n### Agreement: two coders, {:.0} codings in {:.0} transcripts (medians of {} runs, each loading both coder files)\n",
        r["codings"],
        r["docs"],
        args.coding_runs.max(1)
    );
    let _ = writeln!(report, "| measure | time | / baseline | target |");
    let _ = writeln!(report, "|---|---:|---:|---|");
    let base = r["base_secs"];
    let _ = writeln!(
        report,
        "| baseline: load both files, stale check, read the {:.0} transcripts | {} | 1.00 | |",
        r["docs"],
        secs(base)
    );
    for unit in ["turn", "paragraph", "sentence", "char"] {
        let t = r[&format!("{unit}_secs")];
        let _ = writeln!(
            report,
            "| `agree` by {unit} (pooled κ {:.3}) | {} | {:.2} | {} |",
            r[&format!("{unit}_kappa")],
            secs(t),
            t / base,
            verdict(t < 2.0)
        );
    }
    let _ = writeln!(
        report,
        "| `disagreements` by turn ({:.0} units listed) | {} | {:.2} | |",
        r["disagreements"],
        secs(r["disagreements_secs"]),
        r["disagreements_secs"] / base
    );
    let _ = writeln!(
        report,
        "| `reconcile --dry-run` by turn ({:.0} decisions) | {} | {:.2} | |",
        r["opened"],
        secs(r["reconcile_secs"]),
        r["reconcile_secs"] / base
    );
    Ok(())
}
