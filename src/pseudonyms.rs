//! The pseudonym key: every real name replaced in one pass.
//!
//! Transcripts describe children at risk, so no real name may leave the
//! project in an export or a report. The key, `pseudonyms.csv` at the
//! project root (header `name,pseudonym`, one real name per row), is the
//! re-identification key: `realist init` git-ignores it. [`Pseudonyms`]
//! replaces every name of the key in a text in one pass: whole words, any
//! case (a name written in capitals gets its pseudonym in capitals),
//! possessives (`Kayleigh's` → `Jade's`) and names of several words, the
//! longest name first, so `Mary Ellen` wins over `Mary`.
//! `privacy` looks for the names a key misses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::error::{Error, Kind, Problem, Result};

/// The pseudonym key's file name, at the project root.
pub const KEY_FILE: &str = crate::project::KEY_FILE;

/// A loaded pseudonym key.
#[derive(Debug, Clone)]
pub struct Pseudonyms {
    /// The key file, when there is one.
    pub path: Option<PathBuf>,
    /// Real name → pseudonym, in file order.
    pub pairs: Vec<(String, String)>,
    /// Normalised real name → index into `pairs`.
    by_name: HashMap<String, usize>,
    /// Matches any real name, longest first; `None` when the key is empty.
    pattern: Option<Regex>,
}

/// Lower-cases `s` in its composed form and makes every run of white
/// space one space. Curly apostrophes and the hyphen variants become `'`
/// and `-`, so `O’Brien` matches a key's `O'Brien` and `Ellie‑Mae` its
/// `Ellie-Mae`.
fn normalise(s: &str) -> String {
    crate::normalize::nfc(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace(['’', '‘', 'ʼ'], "'")
        .replace(['‐', '‑', '‒', '–'], "-")
}

/// Returns the pattern of one name: its words separated by any white
/// space, apostrophes and hyphens matching their typographic variants.
fn name_pattern(name: &str) -> String {
    name.split_whitespace()
        .map(|w| {
            w.chars()
                .map(|c| match c {
                    '\'' | '’' | '‘' | 'ʼ' => "['’‘ʼ]".to_string(),
                    '-' | '‐' | '‑' | '‒' | '–' => "[-‐‑‒–]".to_string(),
                    c => regex::escape(&c.to_string()),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(r"\s+")
}

impl Pseudonyms {
    /// An empty key: nothing is replaced.
    pub fn none() -> Pseudonyms {
        Pseudonyms {
            path: None,
            pairs: Vec::new(),
            by_name: HashMap::new(),
            pattern: None,
        }
    }

    /// Reads `pseudonyms.csv` from `root`: an empty key when there is no
    /// such file.
    pub fn load(root: &Path) -> Result<Pseudonyms> {
        let path = root.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Pseudonyms::parse(&path, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Pseudonyms::none()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Parses a key file's bytes. Every bad row (wrong number of cells, an
    /// empty name or pseudonym, a name given twice, a pseudonym that is
    /// itself a real name of the key) is reported with its line.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Pseudonyms> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let problem =
            |line: usize, message: String| Problem::error(Kind::Line, path, Some(line), message);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut problems = Vec::new();
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut lines: Vec<usize> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut header_seen = false;
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    let message = match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => {
                            "is not valid UTF-8; re-save the file as UTF-8".to_string()
                        }
                        _ => format!("cannot be read as CSV: {e}"),
                    };
                    problems.push(problem(line, message));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line() as usize);
            let cells: Vec<&str> = record.iter().map(str::trim).collect();
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            if !header_seen {
                header_seen = true;
                let header: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
                if header != ["name", "pseudonym"] {
                    problems.push(problem(
                        line,
                        format!(
                            "the header must be `name,pseudonym`, not `{}`",
                            cells.join(",")
                        ),
                    ));
                }
                continue;
            }
            if cells.len() != 2 {
                problems.push(problem(
                    line,
                    format!(
                        "has {} {}; write the real name, a comma, then the pseudonym (put a cell that holds a comma in double quotes, and close every quote)",
                        cells.len(),
                        if cells.len() == 1 { "cell" } else { "cells" }
                    ),
                ));
                continue;
            }
            let (name, pseudonym) = (cells[0], cells[1]);
            if name.is_empty() || pseudonym.is_empty() {
                let which = if name.is_empty() {
                    "the name"
                } else {
                    "the pseudonym"
                };
                problems.push(problem(
                    line,
                    format!("{which} is empty; fill it in or delete the row"),
                ));
                continue;
            }
            let key = normalise(name);
            if let Some(&first) = by_name.get(&key) {
                problems.push(problem(
                    line,
                    format!(
                        "'{name}' is already in the key on line {}; keep one row per name, so every document gets the same pseudonym",
                        lines[first]
                    ),
                ));
                continue;
            }
            by_name.insert(key, pairs.len());
            pairs.push((name.to_string(), pseudonym.to_string()));
            lines.push(line);
        }
        for (i, (_, pseudonym)) in pairs.iter().enumerate() {
            if let Some(&j) = by_name.get(&normalise(pseudonym))
                && j != i
            {
                problems.push(problem(
                    lines[i],
                    format!(
                        "the pseudonym '{pseudonym}' is also a real name in the key (line {}); choose a pseudonym that is not a real name",
                        lines[j]
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(Error::Lines {
                path: path.to_path_buf(),
                problems,
                hint: "fix the key and run the command again; nothing was exported".into(),
            });
        }
        let mut names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        // Longest first: the regex takes the first alternative that matches.
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        let pattern = if names.is_empty() {
            None
        } else {
            // A name matches written composed (`é`) or decomposed (`e` and
            // a combining accent), whichever way the key has it.
            let mut alternatives: Vec<String> = Vec::new();
            for n in &names {
                let composed = crate::normalize::nfc(n);
                let decomposed = crate::normalize::nfd(n);
                alternatives.push(name_pattern(&composed));
                if decomposed != composed {
                    alternatives.push(name_pattern(&decomposed));
                }
            }
            let source = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
            Some(Regex::new(&source).map_err(|e| Error::KeyUnusable {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?)
        };
        Ok(Pseudonyms {
            path: Some(path.to_path_buf()),
            pairs,
            by_name,
            pattern,
        })
    }

    /// Returns true when the key has at least one name.
    pub fn applies(&self) -> bool {
        !self.pairs.is_empty()
    }

    /// Returns `text` with every real name replaced by its pseudonym.
    pub fn apply(&self, text: &str) -> String {
        let Some(pattern) = &self.pattern else {
            return text.to_string();
        };
        pattern
            .replace_all(text, |caps: &regex::Captures| {
                let found = &caps[0];
                // Every match is a name of the key; should the lookup ever
                // miss, the text is withheld rather than the name kept.
                let pseudonym = self
                    .by_name
                    .get(&normalise(found))
                    .map_or("[name]", |&i| self.pairs[i].1.as_str());
                let shouting = found.chars().filter(|c| c.is_alphabetic()).count() > 1
                    && !found.chars().any(char::is_lowercase);
                if shouting {
                    pseudonym.to_uppercase()
                } else {
                    pseudonym.to_string()
                }
            })
            .into_owned()
    }

    /// Applies the key to an optional text.
    pub fn apply_opt(&self, text: Option<&str>) -> Option<String> {
        text.map(|t| self.apply(t))
    }

    /// Returns what an export says about pseudonymisation, for its header or
    /// footer.
    pub fn statement(&self) -> String {
        if self.applies() {
            format!(
                "Names pseudonymised with {} ({} {}).",
                KEY_FILE,
                self.pairs.len(),
                if self.pairs.len() == 1 {
                    "name"
                } else {
                    "names"
                }
            )
        } else if self.path.is_some() {
            format!("Names NOT pseudonymised: {KEY_FILE} lists no names.")
        } else {
            format!("Names NOT pseudonymised: the project has no {KEY_FILE}.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Result<Pseudonyms> {
        Pseudonyms::parse(Path::new("pseudonyms.csv"), text.as_bytes())
    }

    #[test]
    fn names_are_replaced_as_whole_words_in_any_case_with_possessives() {
        let k =
            key("name,pseudonym\nKayleigh,Jade\nMary Ellen,Rose\nMary,Ruth\nZoë,Amy\n").unwrap();
        assert_eq!(
            k.apply("Kayleigh's mum and KAYLEIGH and kayleigh; Kayleighs is not her."),
            "Jade's mum and JADE and Jade; Kayleighs is not her."
        );
        assert_eq!(
            k.apply("Mary  Ellen met Mary\nEllen and Mary."),
            "Rose met Rose and Ruth."
        );
        assert_eq!(k.apply("zoë’s bag, ZOË"), "Amy’s bag, AMY");
        // The same name written decomposed (e + combining diaeresis), and a
        // key written decomposed matching text written composed.
        assert_eq!(k.apply("Zoe\u{308} said"), "Amy said");
        let k = key("name,pseudonym\nZoe\u{308},Amy\n").unwrap();
        assert_eq!(k.apply("Zo\u{eb} and Zoe\u{308}"), "Amy and Amy");
        assert_eq!(k.apply("Rosemary"), "Rosemary");
    }

    #[test]
    fn a_bad_key_names_every_bad_line() {
        let e = key("name,pseudonym\nTyler,Sam\n,Kai\ntyler,Jo\nMason,\nA,B,C\nLeo,Tyler\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("pseudonyms.csv: 5 invalid lines"), "{e}");
        assert!(e.contains(":3: the name is empty"), "{e}");
        assert!(
            e.contains(":4: 'tyler' is already in the key on line 2"),
            "{e}"
        );
        assert!(e.contains(":5: the pseudonym is empty"), "{e}");
        assert!(e.contains(":6: has 3 cells"), "{e}");
        assert!(
            e.contains(":7: the pseudonym 'Tyler' is also a real name"),
            "{e}"
        );
        let e = key("real,fake\nA,B\n").unwrap_err().to_string();
        assert!(e.contains(":1: the header must be `name,pseudonym`"), "{e}");
    }

    #[test]
    fn an_empty_or_missing_key_changes_nothing() {
        let k = key("\u{feff}name,pseudonym\n").unwrap();
        assert!(!k.applies());
        assert_eq!(k.apply("Tyler"), "Tyler");
        assert!(k.statement().contains("NOT pseudonymised"));
    }
}
