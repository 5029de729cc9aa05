//! What the tables and their headers share: durations, sizes and verdicts
//! as the tables show them, percentiles and medians of timed runs, and the
//! machine, source revision and load average that head each report.

use std::process::Command;
use std::time::Duration;

use crate::Args;

pub struct Latency {
    pub p50: Duration,
    pub p99: Duration,
}

/// The 50th and 99th percentiles of `samples` (nearest rank).
pub fn latency(mut samples: Vec<Duration>) -> Latency {
    samples.sort();
    let at = |p: f64| {
        let i = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[i]
    };
    Latency {
        p50: at(0.50),
        p99: at(0.99),
    }
}

/// The median of `samples`, in seconds.
pub fn median(samples: Vec<Duration>) -> f64 {
    latency(samples).p50.as_secs_f64()
}

/// A duration as the tables show it: ms with two decimals under 10 ms,
/// whole ms under a second, else seconds.
pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// A number of seconds as the tables show it.
pub fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.1} s")
    }
}

/// Memory in kB as the tables show it.
pub fn mb_kb(kb: f64) -> String {
    format!("{:.0} MB", kb / 1024.0)
}

/// Whether a target was met, as the tables show it.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

/// [`ms`] of a number of seconds (as the `RESULT` lines carry them).
pub fn ms_of(secs: f64) -> String {
    ms(Duration::from_secs_f64(secs))
}

/// Sizes in bytes as the tables show them.
pub fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

/// The head of a report: the corpus size, the machine, the source measured
/// and the load average at start.
pub fn header(args: &Args) -> String {
    headed(&format!("Corpus: {}", args.size_label))
}

/// The head of a report titled `title`: the machine, the source measured
/// and the load average at start.
pub fn headed(title: &str) -> String {
    format!(
        "\n## {title}\n\nMachine: {}  \nSource: {}  \nLoad average at start: {}\n",
        machine(),
        revision(),
        load_average()
    )
}

/// Describes the machine: CPU model, cores and memory.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, m)| m.trim())
        })
        .unwrap_or("unknown CPU");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = status_kb(&meminfo, "MemTotal:") as f64 / 1024.0 / 1024.0;
    format!("{model}, {cores} cores, {mem_gib:.0} GiB RAM")
}

/// Returns the 1, 5 and 15 minute load averages: other work on the machine
/// during a run shows here.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Returns the git revision of the crate being measured, marked when `src/`
/// has uncommitted changes.
fn revision() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(rev) => {
            let dirty = git(&["status", "--porcelain", "--", "src", "Cargo.toml"])
                .is_some_and(|s| !s.is_empty());
            format!(
                "commit {rev}{}",
                if dirty {
                    " with uncommitted changes to src/"
                } else {
                    ""
                }
            )
        }
        None => "unknown revision".into(),
    }
}

/// The number of kB in the `key` line of a `/proc` status or meminfo
/// file (0 when missing).
pub fn status_kb(status: &str, key: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
