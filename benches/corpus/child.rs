//! Child processes. Each measurement phase runs as a child of this binary
//! (`--phase NAME`), so that its peak memory is its own, and prints one
//! `RESULT key=value …` line that [`run_phase`] reads back; the release
//! `realist` binary runs as a user would run it, timed over interleaved
//! rounds ([`realist_rounds`]) or sampled for its peak memory
//! ([`Timed::peak_kb`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::report::median;
use crate::{Args, BoxResult};

/// Samples a process's resident memory until stopped: this process's, or a
/// child's (through its `/proc/PID/status`).
pub struct MemSampler {
    stop: Arc<AtomicBool>,
    status: PathBuf,
    handle: std::thread::JoinHandle<(u64, u64, u64)>,
}

impl MemSampler {
    /// Samples this process every 20 ms.
    pub fn start() -> MemSampler {
        MemSampler::watch(
            PathBuf::from("/proc/self/status"),
            Duration::from_millis(20),
        )
    }

    /// Samples the process whose status file is `status` every `every`.
    fn watch(status: PathBuf, every: Duration) -> MemSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let path = status.clone();
        let handle = std::thread::spawn(move || {
            let (mut hwm, mut anon, mut file) = (0, 0, 0);
            loop {
                if let Ok(s) = std::fs::read_to_string(&path) {
                    hwm = hwm.max(crate::report::status_kb(&s, "VmHWM:"));
                    anon = anon.max(crate::report::status_kb(&s, "RssAnon:"));
                    file = file.max(crate::report::status_kb(&s, "RssFile:"));
                }
                if flag.load(Ordering::Relaxed) {
                    return (hwm, anon, file);
                }
                std::thread::sleep(every);
            }
        });
        MemSampler {
            stop,
            status,
            handle,
        }
    }

    /// Returns (peak RSS, peak anonymous RSS, peak file-backed RSS) in kB:
    /// `VmHWM` read now, or for a process that has ended, the last sampled.
    pub fn finish(self) -> (u64, u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        let (hwm, anon, file) = self.handle.join().unwrap_or((0, 0, 0));
        let status = std::fs::read_to_string(&self.status).unwrap_or_default();
        (
            hwm.max(crate::report::status_kb(&status, "VmHWM:")),
            anon,
            file,
        )
    }
}

/// A child phase's `RESULT` fields.
pub type Results = HashMap<String, f64>;

/// Runs this binary with `--phase PHASE` on the same `--dir`, passing on
/// `--seed`, `--coding-runs` and `--runs` (when given), each phase reading
/// those it needs; returns the fields of the `RESULT` line it prints. Its
/// stderr (progress) goes to ours.
pub fn run_phase(args: &Args, phase: &str) -> BoxResult<Results> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .args(["--phase", phase, "--dir"])
        .arg(&args.dir)
        .args(["--seed", &args.seed.to_string()])
        .args(["--coding-runs", &args.coding_runs.to_string()]);
    if let Some(runs) = args.runs {
        command.args(["--runs", &runs.to_string()]);
    }
    let out = command.stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(format!("phase {phase} failed ({})", out.status).into());
    }
    let stdout = String::from_utf8(out.stdout)?;
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .ok_or(format!("phase {phase} printed no result"))?;
    Ok(line
        .split_whitespace()
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect())
}

/// The release binary `cargo bench` builds along with this benchmark.
const REALIST_EXE: &str = env!("CARGO_BIN_EXE_realist");

/// A command of the release binary, timed or sampled.
pub struct Timed {
    pub argv: Vec<String>,
    /// Run with the file of the rounds in place (else moved aside).
    pub with_file: bool,
    /// Exit code 1 is not an error (`privacy check` exits 1 when it finds
    /// names).
    pub may_fail: bool,
    /// The file it writes, whose size is its output.
    pub writes: Option<PathBuf>,
}

impl Timed {
    /// Its command line on `project`.
    fn command(&self, project: &Path) -> Command {
        let mut c = Command::new(REALIST_EXE);
        c.arg("--project")
            .arg(project)
            .arg("--quiet")
            .args(&self.argv);
        c
    }

    /// Whether it exited as it may: 0, or 1 when `may_fail`.
    fn exited_well(&self, status: ExitStatus) -> bool {
        status.success() || (self.may_fail && status.code() == Some(1))
    }

    /// Runs it once on `project`; returns the wall time (process start
    /// included) and what it printed.
    fn run(&self, project: &Path) -> BoxResult<(Duration, Output)> {
        let started = Instant::now();
        let out = self.command(project).output()?;
        let elapsed = started.elapsed();
        if !self.exited_well(out.status) {
            return Err(format!(
                "realist {} failed: {}",
                self.argv.join(" "),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok((elapsed, out))
    }

    /// Runs it once on `project` with its output thrown away, sampling its
    /// `/proc/PID/status` every 5 ms; returns its peak resident memory
    /// (`VmHWM`) in kB.
    pub fn peak_kb(&self, project: &Path) -> BoxResult<u64> {
        let mut child = self
            .command(project)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let sampler = MemSampler::watch(
            PathBuf::from(format!("/proc/{}/status", child.id())),
            Duration::from_millis(5),
        );
        let status = child.wait()?;
        let (hwm, _, _) = sampler.finish();
        if !self.exited_well(status) {
            return Err(format!("realist {} failed ({status})", self.argv.join(" ")).into());
        }
        Ok(hwm)
    }
}

/// Counts the JSON Lines records of `stdout`, the summary left out.
fn records(stdout: &[u8]) -> BoxResult<usize> {
    Ok(std::str::from_utf8(stdout)?
        .lines()
        .filter(|l| !l.contains(r#""type":"summary""#))
        .count())
}

/// Runs `commands` with the release binary on `project`, each once per
/// round and in turn, `runs` timed rounds after an untimed one; those
/// without `file` run with it moved aside (put back at the end of each
/// round, and if a command fails). Returns each command's median wall time
/// in seconds and its output: the size of the file it writes, or the JSON
/// Lines records it printed.
pub fn realist_rounds(
    project: &Path,
    file: &Path,
    commands: &[Timed],
    runs: usize,
) -> BoxResult<Vec<(f64, usize)>> {
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); commands.len()];
    let mut outputs = vec![0usize; commands.len()];
    for round in 0..runs + 1 {
        let started = Instant::now();
        for with_file in [true, false] {
            let _aside = Aside::unless(with_file, file)?;
            for (i, c) in commands.iter().enumerate() {
                if c.with_file != with_file {
                    continue;
                }
                let (t, out) = c.run(project)?;
                if round > 0 {
                    samples[i].push(t);
                }
                outputs[i] = match &c.writes {
                    Some(f) => std::fs::metadata(f)?.len() as usize,
                    None => records(&out.stdout)?,
                };
            }
        }
        eprintln!(
            "    round {round} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(samples.into_iter().map(median).zip(outputs).collect())
}

/// Moves a CSV file (the case file, the pseudonym key) aside while alive and
/// puts it back when dropped (also when the child fails).
pub struct Aside {
    file: PathBuf,
    aside: PathBuf,
}

impl Aside {
    pub fn new(file: &Path) -> BoxResult<Aside> {
        let aside = file.with_extension("csv.aside");
        std::fs::rename(file, &aside)?;
        Ok(Aside {
            file: file.to_path_buf(),
            aside,
        })
    }

    /// Moves `file` aside unless `keep`.
    pub fn unless(keep: bool, file: &Path) -> BoxResult<Option<Aside>> {
        if keep {
            Ok(None)
        } else {
            Aside::new(file).map(Some)
        }
    }
}

impl Drop for Aside {
    fn drop(&mut self) {
        let _ = std::fs::rename(&self.aside, &self.file);
    }
}
