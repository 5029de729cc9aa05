//! Terminal output: colour, stdout that pipes cleanly, stderr messages and
//! the progress bar.
//!
//! Results go to stdout; warnings, status and progress go to stderr. Colour
//! is used only when the stream is a terminal and `NO_COLOR` is unset (or
//! when `--color always` asks for it). A closed pipe (`realist … | head`)
//! ends the program quietly with success.

use std::cell::{Cell, RefCell};
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

fn wants_color(choice: ColorChoice, terminal: bool) -> bool {
    decide_color(
        choice,
        terminal,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        std::env::var("TERM").is_ok_and(|t| t == "dumb"),
    )
}

/// Returns whether to colour: `always`, `never`, or (auto) only on a
/// terminal that is not dumb and when NO_COLOR is not set (no-color.org).
fn decide_color(choice: ColorChoice, terminal: bool, no_color: bool, dumb: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color && !dumb,
    }
}

/// Where and how to print.
pub struct Out {
    /// Colour stdout.
    pub color: bool,
    err_color: bool,
    quiet: bool,
    stdout: RefCell<std::io::BufWriter<std::io::Stdout>>,
}

/// ANSI styles used on stdout.
pub const BOLD: &str = "\x1b[1m";
/// Highlight for matches.
pub const MATCH: &str = "\x1b[1;31m";
/// Dim text for labels.
pub const DIM: &str = "\x1b[2m";
/// Reset.
pub const RESET: &str = "\x1b[0m";

impl Out {
    /// Returns the printer for this process.
    pub fn new(choice: ColorChoice, quiet: bool) -> Out {
        Out {
            color: wants_color(choice, std::io::stdout().is_terminal()),
            err_color: wants_color(choice, std::io::stderr().is_terminal()),
            quiet,
            stdout: RefCell::new(std::io::BufWriter::new(std::io::stdout())),
        }
    }

    /// Returns `text` wrapped in `style` when colouring stdout.
    pub fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// Writes `s` to stdout as it is.
    pub fn write(&self, s: &str) -> realist::Result<()> {
        self.stdout
            .borrow_mut()
            .write_all(s.as_bytes())
            .map_err(|e| realist::Error::io("<stdout>", e))
    }

    /// Writes a line to stdout.
    pub fn line(&self, s: &str) -> realist::Result<()> {
        self.write(s)?;
        self.write("\n")
    }

    /// Flushes stdout.
    pub fn flush(&self) -> realist::Result<()> {
        self.stdout
            .borrow_mut()
            .flush()
            .map_err(|e| realist::Error::io("<stdout>", e))
    }

    /// Prints a warning on stderr (even when quiet: warnings are about the data).
    pub fn warn(&self, message: &str) {
        let label = if self.err_color {
            "\x1b[1;33mwarning\x1b[0m"
        } else {
            "warning"
        };
        eprintln!("realist: {label}: {message}");
    }

    /// Prints a status message on stderr unless quiet.
    pub fn status(&self, message: &str) {
        if !self.quiet {
            eprintln!("realist: {message}");
        }
    }

    /// Prints an error and its hint on stderr.
    pub fn error(&self, e: &realist::Error) {
        let _ = self.flush();
        let label = if self.err_color {
            "\x1b[1;31merror\x1b[0m"
        } else {
            "error"
        };
        eprintln!("realist: {label}: {}", super::errors::message(e));
        if let Some(hint) = super::errors::hint(e) {
            let label = if self.err_color {
                "\x1b[1;36mhint\x1b[0m"
            } else {
                "hint"
            };
            eprintln!("{label}: {hint}");
        }
    }
}

/// Returns true when the error is a write to a closed pipe.
pub fn is_broken_pipe(e: &realist::Error) -> bool {
    matches!(e, realist::Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// A progress bar on stderr that appears only after 250 ms of work, only on
/// a terminal, and never when disabled (`--quiet`, `--json`).
pub struct Bar {
    enabled: bool,
    started: Cell<Option<Instant>>,
    total: Cell<u64>,
    done: Cell<u64>,
    bar: RefCell<Option<ProgressBar>>,
    /// The indicatif template.
    template: &'static str,
}

impl Bar {
    /// Returns the indexing bar (in bytes); `enabled` false makes it silent.
    pub fn new(enabled: bool) -> Bar {
        Bar::with_template(
            enabled,
            "indexing {bar:30} {binary_bytes}/{binary_total_bytes} ({eta} left)",
        )
    }

    /// Returns a bar counting documents read for a report.
    pub fn documents(enabled: bool) -> Bar {
        Bar::with_template(
            enabled,
            "reading transcripts {bar:30} {pos}/{len} ({eta} left)",
        )
    }

    fn with_template(enabled: bool, template: &'static str) -> Bar {
        Bar {
            template,
            enabled: enabled && std::io::stderr().is_terminal(),
            started: Cell::new(None),
            total: Cell::new(0),
            done: Cell::new(0),
            bar: RefCell::new(None),
        }
    }
}

impl realist::Progress for Bar {
    fn start(&self, total: u64) {
        self.started.set(Some(Instant::now()));
        self.total.set(total);
        self.done.set(0);
    }

    fn advance(&self, done: u64) {
        self.done.set(self.done.get() + done);
        if !self.enabled {
            return;
        }
        let mut bar = self.bar.borrow_mut();
        if bar.is_none()
            && self
                .started
                .get()
                .is_some_and(|t| t.elapsed() > Duration::from_millis(250))
        {
            let b =
                ProgressBar::with_draw_target(Some(self.total.get()), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(self.template) {
                b.set_style(style);
            }
            *bar = Some(b);
        }
        if let Some(b) = bar.as_ref() {
            b.set_position(self.done.get());
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.borrow_mut().take() {
            b.finish_and_clear();
        }
    }
}

pub use realist::text::{plural, thousands};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(decide_color(ColorChoice::Auto, true, false, false));
        assert!(!decide_color(ColorChoice::Auto, false, false, false));
        assert!(!decide_color(ColorChoice::Auto, true, true, false));
        assert!(!decide_color(ColorChoice::Auto, true, false, true));
        assert!(decide_color(ColorChoice::Always, false, true, false));
        assert!(!decide_color(ColorChoice::Never, true, false, false));
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(plural(1, "hit", "hits"), "1 hit");
        assert_eq!(plural(1000, "hit", "hits"), "1,000 hits");
    }
}
