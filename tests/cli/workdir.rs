//! `Workdir`: a fixture project copied into a temporary folder, and a way to
//! run the binary in it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary copy of a fixture project.
pub struct Workdir {
    _dir: tempfile::TempDir,
    /// The project root.
    pub root: PathBuf,
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Output {
    /// The arguments the binary ran with (for messages).
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The folder the binary ran in (to write paths in golden files as `<tmp>`).
    pub dir: Option<PathBuf>,
}

impl Output {
    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts exit code 1 (a data or user error) with nothing on stdout, and returns stderr.
    #[track_caller]
    pub fn fails(&self) -> &str {
        assert_eq!(
            self.code, 1,
            "expected failure\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        crate::golden::error_message(&self.stderr, self.dir.as_deref());
        &self.stderr
    }

    /// Asserts failure as [`Output::fails`] does (which checks the golden
    /// error file too) and that stderr contains every part of `expected`;
    /// returns stderr.
    #[track_caller]
    pub fn fails_with(&self, expected: &[&str]) -> &str {
        let stderr = self.fails();
        for part in expected {
            assert!(
                stderr.contains(part),
                "realist {:?}
stderr does not contain {part:?}
stderr:
{stderr}",
                self.args
            );
        }
        stderr
    }

    /// Parses stdout as JSON Lines.
    #[track_caller]
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.ok()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
            .collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Workdir {
    /// Copies `tests/fixtures/<fixture>` into a new temporary folder.
    pub fn new(fixture: &str) -> Workdir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture),
            &root,
        );
        Workdir { _dir: dir, root }
    }

    /// Copies the sample project (the repository root's `realist.toml`,
    /// `corpus/`, `codebooks/`, `codings/`, logic model, evidence links,
    /// pseudonym key and privacy allow list)
    /// into a new temporary folder.
    pub fn sample() -> Workdir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("sample");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo.join("realist.toml"), root.join("realist.toml")).unwrap();
        for folder in ["corpus", "codebooks", "codings"] {
            copy_dir(&repo.join(folder), &root.join(folder));
        }
        for file in ["logic-model.md", "links.jsonl"] {
            std::fs::copy(repo.join(file), root.join(file)).unwrap();
        }
        for file in ["pseudonyms.csv", "privacy-allow.txt"] {
            if repo.join(file).exists() {
                std::fs::copy(repo.join(file), root.join(file)).unwrap();
            }
        }
        Workdir { _dir: dir, root }
    }

    /// Returns an empty temporary folder (no project).
    pub fn empty() -> Workdir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("empty");
        std::fs::create_dir_all(&root).unwrap();
        Workdir { _dir: dir, root }
    }

    /// Returns a path inside the project.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file inside the project, creating folders.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    /// Reads a file inside the project.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Returns a command for the binary, run in the project root with a
    /// cleared environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_realist"));
        cmd.args(args).current_dir(&self.root).env_clear();
        cmd
    }

    /// Runs the binary with `args` in the project root.
    pub fn run(&self, args: &[&str]) -> Output {
        run(self.command(args))
    }

    /// Runs the binary with `args` in the project root and asserts it fails
    /// with every part of `expected` in its stderr (see
    /// [`Output::fails_with`]); returns stderr.
    #[track_caller]
    pub fn fails_with(&self, args: &[&str], expected: &[&str]) -> String {
        self.run(args).fails_with(expected).to_string()
    }

    /// Runs `realist code add --coder CODER --code CODE TARGET…`, asserting success.
    pub fn code_add(&self, coder: &str, code: &str, targets: &[&str]) {
        let mut args = vec!["code", "add", "--coder", coder, "--code", code];
        args.extend_from_slice(targets);
        self.run(&args).ok();
    }

    /// Runs `realist code add --coder CODER --code CODE --doc DOC --quote
    /// QUOTE`, asserting success.
    pub fn code_quote(&self, coder: &str, code: &str, doc: &str, quote: &str) {
        self.run(&[
            "code", "add", "--coder", coder, "--code", code, "--doc", doc, "--quote", quote,
        ])
        .ok();
    }

    /// Asserts that `realist codings` warns of codings that no longer match
    /// their text, and that `realist check` then moves `moved` of them.
    #[track_caller]
    pub fn stale_then_moved(&self, moved: u64) {
        let out = self.run(&["codings"]);
        assert!(
            out.stderr.contains("no longer match"),
            "no stale warning: {}",
            out.stderr
        );
        let out = self.run(&["check", "--json"]);
        let summary = out.json_lines().pop().unwrap();
        assert_eq!(summary["moved"].as_u64(), Some(moved), "{}", out.stdout);
    }

    /// Runs the binary with `args` in `dir` (relative to the project root).
    pub fn run_in(&self, dir: &str, args: &[&str]) -> Output {
        let mut cmd = self.command(args);
        cmd.current_dir(self.path(dir));
        run(cmd)
    }
}

/// Runs a prepared command.
pub fn run(mut cmd: Command) -> Output {
    let dir = cmd.get_current_dir().map(Path::to_path_buf);
    let args = cmd
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let out = cmd.output().expect("run realist");
    Output {
        args,
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        dir,
    }
}

/// Returns the code points `[start, end)` of `text` (Python-style slicing).
pub fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}
