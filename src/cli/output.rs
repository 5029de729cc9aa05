//! Terminal output: colour, stdout that pipes cleanly, stderr messages and
//! the progress bar.
//!
//! Results go to stdout; warnings, status and progress go to stderr. Colour
//! is used only when the stream is a terminal and `NO_COLOR` is unset (or
//! when `--color always` asks for it). A closed pipe (`realist … | head`)
//! ends the program quietly with success.
//!
//! Project text never reaches the terminal raw: a transcript, its front
//! matter, a memo or a codebook could hold ESC or BEL sequences that move
//! the cursor, retitle the window or clear the screen. [`safe`] is the one
//! place that makes project text safe to print: every control character
//! but line feed and tab is written visibly, as JSON writes it (`\u001b`).
//! Commands pass project text through it (and [`Out::paint`] does, for what
//! it colours) before adding realist's own colours; [`Out::write`] then
//! lets through, as a last guard, no control character but line feed, tab,
//! a CRLF line end (CSV exports) and realist's own four colour sequences,
//! and warnings and errors on stderr are escaped whole. Human output is
//! escaped whether or not stdout is a terminal (a file or a pipe is read on
//! a terminal later); `--json` lines are JSON with the characters escaped
//! as JSON escapes them ([`realist::Record::to_json`]); exports are made
//! safe by the library. The one exception is `show --plain` into a file or
//! a pipe: the canonical text byte for byte, since offsets count every
//! character (on a terminal it is escaped too).

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

/// Returns `text` safe to print on a terminal: every control character but
/// line feed and tab (ESC, BEL, carriage return, DEL, the C1 controls)
/// written visibly as `\u001b`.
pub fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    realist::text::escape_controls(text, |c| matches!(c, '\n' | '\t'))
}

/// Where and how to print.
pub struct Out {
    /// Colour stdout.
    pub color: bool,
    /// stdout is a terminal.
    terminal: bool,
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
/// Every escape sequence realist writes on stdout itself.
const STYLES: [&str; 4] = [BOLD, MATCH, DIM, RESET];

impl Out {
    /// Returns the printer for this process.
    pub fn new(choice: ColorChoice, quiet: bool) -> Out {
        let terminal = std::io::stdout().is_terminal();
        Out {
            color: wants_color(choice, terminal),
            terminal,
            err_color: wants_color(choice, std::io::stderr().is_terminal()),
            quiet,
            stdout: RefCell::new(std::io::BufWriter::new(std::io::stdout())),
        }
    }

    /// Returns `text` ([`safe`]) wrapped in `style` when colouring stdout.
    pub fn paint(&self, style: &str, text: &str) -> String {
        let text = safe(text);
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.into_owned()
        }
    }

    /// Writes `s` to stdout with no control character but line feed, tab,
    /// a CRLF line end and, when colouring, realist's own styles: any other
    /// is written visibly ([`safe`]), should a command have printed project
    /// text without making it safe first.
    pub fn write(&self, s: &str) -> realist::Result<()> {
        self.write_raw(&self.guard(s))
    }

    /// Writes the canonical text of a document (`show --plain`): byte for
    /// byte into a file or a pipe, [`safe`] on a terminal.
    pub fn write_text(&self, s: &str) -> realist::Result<()> {
        if self.terminal {
            self.write_raw(&safe(s))
        } else {
            self.write_raw(s)
        }
    }

    /// Returns `s` with every control character written visibly but line
    /// feed, tab, CRLF and (when colouring) [`STYLES`].
    fn guard<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        let allowed = |c: char| matches!(c, '\n' | '\t' | '\r' | '\x1b');
        if !s.chars().any(|c| c.is_control() && !allowed(c)) && !s.contains(['\r', '\x1b']) {
            return std::borrow::Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len() + 8);
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let kept = match c {
                '\r' if rest.starts_with("\r\n") => Some("\r\n"),
                '\x1b' if self.color => STYLES.into_iter().find(|st| rest.starts_with(st)),
                _ => None,
            };
            if let Some(k) = kept {
                out.push_str(k);
                rest = &rest[k.len()..];
            } else {
                out.push_str(&safe(&rest[..c.len_utf8()]));
                rest = &rest[c.len_utf8()..];
            }
        }
        std::borrow::Cow::Owned(out)
    }

    fn write_raw(&self, s: &str) -> realist::Result<()> {
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
        eprintln!("realist: {label}: {}", safe(message));
    }

    /// Prints a status message on stderr unless quiet.
    pub fn status(&self, message: &str) {
        if !self.quiet {
            eprintln!("realist: {}", safe(message));
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
        eprintln!("realist: {label}: {}", safe(&super::errors::message(e)));
        if let Some(hint) = super::errors::hint(e) {
            let hint = safe(&hint);
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
