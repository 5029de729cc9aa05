//! The pseudonym key: every real name replaced in one pass.
//!
//! Transcripts describe children at risk, so no real name may leave the
//! project in an export or a report. The key, `pseudonyms.csv` at the
//! project root (header `name,pseudonym`, one real name per row), is the
//! re-identification key: `realist init` git-ignores it. [`Pseudonyms`]
//! replaces every name of the key in a text in one pass, the longest name
//! first (so `Mary Ellen` wins over `Mary`), in any case (a name written in
//! capitals gets its pseudonym in capitals), composed or decomposed.
//!
//! Names are matched in a *folded* text ([`fold`]): composed, lower-cased,
//! curly apostrophes made straight, and every run of white space, hyphens
//! and underscores made one space, so `Mill Lane` matches `Mill  Lane`,
//! `Mill-Lane` and `mill_lane`. One Aho-Corasick automaton finds every
//! name in time linear in the text, however many names the key has; word
//! boundaries are checked by hand. The rule: a name is replaced where it
//! is a word part a reader sees as the name, that is where no letter comes
//! before it and after it comes no letter, or only `s` or `es` and then no
//! letter: `Kayleigh's`, `Kayleighs`, `Kayleighs'`, `KAYLEIGHS`,
//! `Kayleigh2`, `Kayleigh_x`, `Kayleigh-style`, `2Kayleigh` all become
//! Jade's forms, the suffix kept as written. A name inside a longer word
//! (`Millbrook` for `Mill`, `Annual` for `Ann`, `KayleighAnn`) is a
//! different word and is left; [`Pseudonyms::left_in`] finds it, and those
//! written with a capital, for `privacy check`.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::char::canonical_combining_class;

use crate::error::{Error, Kind, Problem, Result};
use crate::normalize::{extends_word, nfc};

/// The pseudonym key's file name, at the project root.
pub const KEY_FILE: &str = crate::project::KEY_FILE;

/// A loaded pseudonym key.
#[derive(Debug, Clone)]
pub struct Pseudonyms {
    /// The key file, when there is one.
    pub path: Option<PathBuf>,
    /// Real name → pseudonym, in file order.
    pub pairs: Vec<(String, String)>,
    /// Every real name, folded; pattern `i` is `pairs[i]`. `None` when the
    /// key is empty.
    names: Option<AhoCorasick>,
    /// The names of several words written joined (`milllane`), which only
    /// [`Pseudonyms::left_in`] looks for: made when first asked for.
    joined: OnceLock<std::result::Result<Option<AhoCorasick>, String>>,
}

/// A text folded for matching names, with the way back to its offsets.
struct Folded {
    /// Composed, lower-cased, apostrophes straight, every run of white
    /// space, hyphens and underscores one space.
    text: String,
    /// The pieces (a character with the combining marks after it, or a run
    /// of separators) that folding changed in length or, beyond ASCII, in
    /// bytes, in order. Between them, folded and original bytes are alike
    /// in length and in character boundaries, so a folded offset is the
    /// original one shifted by what the last change before it added.
    changed: Vec<Changed>,
}

/// A piece of a text that folding changed: where it starts in the folded
/// text and in the original, and its lengths in both, in bytes.
struct Changed {
    folded: usize,
    original: usize,
    folded_len: usize,
    original_len: usize,
}

/// Returns true for what separates the words of a name: white space,
/// hyphens (and their typographic variants) and underscores.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '_')
}

/// Returns true for a letter, or a combining mark (part of the letter
/// before it): what makes a name part of a longer word.
fn is_letter(c: char) -> bool {
    c.is_alphabetic() || extends_word(c)
}

/// Folds `original` for matching (see [`Folded`]).
fn fold(original: &str) -> Folded {
    let mut text = String::with_capacity(original.len());
    let mut changed = Vec::new();
    let mut chars = original.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let from = text.len();
        let mut end = at + c.len_utf8();
        if is_separator(c) {
            while let Some(&(i, m)) = chars.peek() {
                if !is_separator(m) {
                    break;
                }
                end = i + m.len_utf8();
                chars.next();
            }
            text.push(' ');
        } else {
            while let Some(&(i, m)) = chars.peek() {
                if canonical_combining_class(m) == 0 {
                    break;
                }
                end = i + m.len_utf8();
                chars.next();
            }
            for c in nfc(&original[at..end]).chars() {
                match c {
                    '’' | '‘' | 'ʼ' => text.push('\''),
                    c => text.extend(c.to_lowercase()),
                }
            }
        }
        let piece = &original[at..end];
        let folded = &text[from..];
        if folded.len() != piece.len() || (!piece.is_ascii() && folded != piece) {
            changed.push(Changed {
                folded: from,
                original: at,
                folded_len: folded.len(),
                original_len: piece.len(),
            });
        }
    }
    Folded { text, changed }
}

/// Returns a name's folded form, without separators at either end.
fn fold_name(name: &str) -> String {
    fold(name).text.trim_matches(' ').to_string()
}

impl Folded {
    /// Returns the original's bytes of the folded text's bytes `from..to`,
    /// widened to whole pieces.
    fn original(&self, from: usize, to: usize) -> Range<usize> {
        self.back(from, false)..self.back(to, true)
    }

    /// Returns the original's offset of folded byte `at`: inside a changed
    /// piece, the piece's start, or its end when `end`.
    fn back(&self, at: usize, end: bool) -> usize {
        let i = self.changed.partition_point(|c| c.folded <= at);
        let Some(c) = i.checked_sub(1).map(|i| &self.changed[i]) else {
            return at;
        };
        if at == c.folded {
            c.original
        } else if at < c.folded + c.folded_len {
            if end {
                c.original + c.original_len
            } else {
                c.original
            }
        } else {
            c.original + c.original_len + (at - c.folded - c.folded_len)
        }
    }

    /// Returns true when no letter comes before byte `at`: a name found
    /// there starts a word or a word part (after a digit, a hyphen, …).
    fn starts_part(&self, at: usize) -> bool {
        !self.text[..at].chars().next_back().is_some_and(is_letter)
    }

    /// Returns true when a name found ending at byte `at` ends a word part
    /// there: no letter follows, or only `s` or `es` and then no letter.
    fn ends_part(&self, at: usize) -> bool {
        let rest = &self.text[at..];
        ["", "s", "es"].iter().any(|suffix| {
            rest.strip_prefix(suffix)
                .is_some_and(|r| !r.chars().next().is_some_and(is_letter))
        })
    }
}

/// Builds the automaton of `patterns` (folded names), which finds every
/// occurrence, overlapping ones too (it is tried once here, so that
/// [`occurrences`] cannot fail later).
fn automaton(patterns: &[String]) -> std::result::Result<AhoCorasick, String> {
    let names = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .map_err(|e| e.to_string())?;
    names
        .try_find_overlapping_iter("")
        .map_err(|e| e.to_string())?;
    Ok(names)
}

/// Returns true when `written` is in capitals (at least two letters, none
/// lower-case).
fn shouting(written: &str) -> bool {
    written.chars().filter(|c| c.is_alphabetic()).count() > 1
        && !written.chars().any(char::is_lowercase)
}

/// Returns every occurrence of `names` in `folded`: (from, to, pattern).
fn occurrences<'a>(
    names: &'a AhoCorasick,
    folded: &'a str,
) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
    // `automaton` made sure the search is possible: this never fails.
    names
        .try_find_overlapping_iter(folded)
        .into_iter()
        .flatten()
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
}

/// Returns `span` of `text` widened to the whole words it stands in
/// (runs of letters, digits and combining marks).
fn whole_words(text: &str, span: Range<usize>) -> Range<usize> {
    let word = |c: &char| c.is_alphanumeric() || extends_word(*c);
    let start = span.start
        - text[..span.start]
            .chars()
            .rev()
            .take_while(word)
            .map(char::len_utf8)
            .sum::<usize>();
    let end = span.end
        + text[span.end..]
            .chars()
            .take_while(word)
            .map(char::len_utf8)
            .sum::<usize>();
    start..end
}

impl Pseudonyms {
    /// An empty key: nothing is replaced.
    pub fn none() -> Pseudonyms {
        Pseudonyms {
            path: None,
            pairs: Vec::new(),
            names: None,
            joined: OnceLock::new(),
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
    /// empty name or pseudonym, a name without a letter or digit, a name
    /// given twice, a pseudonym that is itself a real name of the key) is
    /// reported with its line. Two names are the same when they fold alike
    /// (`Ellie-Mae` and `ellie mae`), since they match the same text.
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
        let mut folded: Vec<String> = Vec::new();
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
            if !name.chars().any(char::is_alphanumeric) {
                problems.push(problem(
                    line,
                    format!("the name '{name}' has no letter or digit; write the name as it appears in the transcripts"),
                ));
                continue;
            }
            let key = fold_name(name);
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
            by_name.insert(key.clone(), pairs.len());
            folded.push(key);
            pairs.push((name.to_string(), pseudonym.to_string()));
            lines.push(line);
        }
        for (i, (_, pseudonym)) in pairs.iter().enumerate() {
            if let Some(&j) = by_name.get(&fold_name(pseudonym))
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
        drop(by_name);
        let names = if folded.is_empty() {
            None
        } else {
            Some(automaton(&folded).map_err(|message| Error::KeyUnusable {
                path: path.to_path_buf(),
                message,
            })?)
        };
        Ok(Pseudonyms {
            path: Some(path.to_path_buf()),
            pairs,
            names,
            joined: OnceLock::new(),
        })
    }

    /// Returns true when the key has at least one name.
    pub fn applies(&self) -> bool {
        !self.pairs.is_empty()
    }

    /// Returns `text` with every real name replaced by its pseudonym
    /// (see the module's rule), what follows it kept as written.
    pub fn apply(&self, text: &str) -> String {
        let Some(names) = &self.names else {
            return text.to_string();
        };
        let folded = fold(text);
        let mut found: Vec<(usize, usize, usize)> = occurrences(names, &folded.text)
            .filter(|&(from, to, _)| folded.starts_part(from) && folded.ends_part(to))
            .collect();
        // Leftmost first, then longest.
        found.sort_unstable_by_key(|&(from, to, _)| (from, Reverse(to)));
        let mut out = String::with_capacity(text.len());
        let (mut copied, mut reached) = (0, 0);
        for (from, to, i) in found {
            if from < reached {
                continue;
            }
            reached = to;
            let span = folded.original(from, to);
            out.push_str(&text[copied..span.start]);
            let pseudonym = &self.pairs[i].1;
            if shouting(&text[span.clone()]) {
                out.push_str(&pseudonym.to_uppercase());
            } else {
                out.push_str(pseudonym);
            }
            copied = span.end;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// Returns where a name of the key is still in `text` as a reader
    /// would see it, widened to the whole words it stands in, in text
    /// order: a name the key would replace (whatever its case; none is
    /// left in a text the key was applied to), and a name, or a name of
    /// several words written joined (`MillLane`), that starts a word or a
    /// word part (`KayleighAnn`, `2Kayleighann`) written with a capital,
    /// inside a longer word: `Millbrook`, `Annual`. In lower case such a
    /// word is far more often ordinary (`annual`, `job` for `Jo`) and is
    /// not reported.
    pub fn left_in(&self, text: &str) -> Result<Vec<Range<usize>>> {
        let Some(names) = &self.names else {
            return Ok(Vec::new());
        };
        let joined = self
            .joined
            .get_or_init(|| {
                let joined: Vec<String> = self
                    .pairs
                    .iter()
                    .map(|(name, _)| fold_name(name))
                    .filter(|n| n.contains(' '))
                    .map(|n| n.replace(' ', ""))
                    .collect();
                if joined.is_empty() {
                    Ok(None)
                } else {
                    automaton(&joined).map(Some)
                }
            })
            .as_ref()
            .map_err(|message| Error::KeyUnusable {
                path: self.path.clone().unwrap_or_default(),
                message: message.clone(),
            })?;
        let folded = fold(text);
        let mut found: Vec<Range<usize>> = Vec::new();
        for (from, to, _) in occurrences(names, &folded.text)
            .chain(joined.iter().flat_map(|j| occurrences(j, &folded.text)))
        {
            let span = folded.original(from, to);
            let first = text[span.start..].chars().next();
            let before = text[..span.start].chars().next_back();
            let capital = first.is_some_and(char::is_uppercase);
            let hump = capital && before.is_some_and(char::is_lowercase);
            let replaceable = folded.starts_part(from) && folded.ends_part(to);
            if replaceable || (capital && (folded.starts_part(from) || hump)) {
                found.push(whole_words(text, span));
            }
        }
        found.sort_unstable_by_key(|r| r.start);
        // Overlapping finds are one place.
        let mut left: Vec<Range<usize>> = Vec::new();
        for r in found {
            match left.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => left.push(r),
            }
        }
        Ok(left)
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
        // Plurals and possessives without an apostrophe are her too (this
        // test once said `Kayleighs` was not: issue 19).
        assert_eq!(
            k.apply("Kayleigh's mum and KAYLEIGH and kayleigh; Kayleighs is her too."),
            "Jade's mum and JADE and Jade; Jades is her too."
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
    fn every_form_a_reader_sees_as_the_name_is_replaced_keeping_its_suffix() {
        let k = key("name,pseudonym\nKayleigh,Jade\nMill Lane,Elm Road\nMill,Forge\nAnn,Rose\n")
            .unwrap();
        assert_eq!(
            k.apply("Kayleighs. KAYLEIGHS mum, the Kayleighs' coats, Kayleighes"),
            "Jades. JADES mum, the Jades' coats, Jadees"
        );
        assert_eq!(
            k.apply("Kayleigh2, 2Kayleigh, Kayleigh_x, x_Kayleigh, Kayleigh-style, Kayleigh’s"),
            "Jade2, 2Jade, Jade_x, x_Jade, Jade-style, Jade’s"
        );
        // Names of several words across any white space, hyphens and
        // underscores; the longest name first.
        assert_eq!(
            k.apply("Mill-Lane, mill_lane, Mill \n Lane, Mill‑Lanes and the Mill."),
            "Elm Road, Elm Road, Elm Road, Elm Roads and the Forge."
        );
        // A name inside a longer word is another word: left alone (but
        // `es` after a name is kept as a suffix, so `Annes` is Ann's).
        for other in [
            "Millbrook",
            "Annual",
            "annual",
            "planning",
            "KayleighAnn",
            "McKayleigh",
            "Millers",
            "Kayleighsx",
            "Annes",
        ] {
            let kept = if other == "Annes" { "Rosees" } else { other };
            assert_eq!(k.apply(other), kept, "{other}");
        }
        // Where a longer name does not end a word part, a shorter one may.
        let k = key("name,pseudonym\nKerry,Terri\nKerry-Ann,Lynn\n").unwrap();
        assert_eq!(k.apply("Kerry-Annual, Kerry-Ann's"), "Terri-Annual, Lynn's");
    }

    #[test]
    fn offsets_lead_back_through_every_change_folding_makes() {
        let k = key("name,pseudonym\nZoë,Amy\nMary Ellen,Rose\nO'Brien,Kelly\n").unwrap();
        // Decomposed accents, curly apostrophes, runs of separators,
        // letters whose lower case is longer (İ) or shorter (the Kelvin
        // sign), before, between and after the names.
        let text = "\u{130}K \u{212a}Zoe\u{308}’s  —  MARY \u{a0}\t-ELLEN, O’BRIEN\u{130}. zoë";
        assert_eq!(
            k.apply(text),
            "\u{130}K \u{212a}Zoe\u{308}’s  —  ROSE, O’BRIEN\u{130}. Amy"
        );
        assert_eq!(k.apply("Zoe\u{308}’s and O’Brien’s"), "Amy’s and Kelly’s");
        let left: Vec<&str> = k
            .left_in(text)
            .unwrap()
            .into_iter()
            .map(|r| &text[r])
            .collect();
        // `KZoë` is one word whose name does not start a part; O’Brien
        // runs on into a longer word.
        assert_eq!(left, ["MARY \u{a0}\t-ELLEN", "O’BRIEN\u{130}", "zoë"]);
    }

    #[test]
    fn names_left_in_a_text_are_found_inside_words_written_with_a_capital() {
        let k = key("name,pseudonym\nKayleigh,Jade\nMill Lane,Elm Road\nMill,Forge\nAnn,Rose\n")
            .unwrap();
        let left = |text: &str| -> Vec<String> {
            k.left_in(text)
                .unwrap()
                .into_iter()
                .map(|r| text[r].to_string())
                .collect()
        };
        assert_eq!(
            left("Annual. The Millbrook estate, KayleighAnn, 2Kayleighann and MillLane."),
            [
                "Annual",
                "Millbrook",
                "KayleighAnn",
                "2Kayleighann",
                "MillLane"
            ]
        );
        // In lower case, or not at the start of a word part, it is an
        // ordinary word.
        assert_eq!(
            left("annual planning, millions, Mckayleigh"),
            Vec::<String>::new()
        );
        // What the key replaces is found in any case, for a text the key
        // was not applied to; in a text it was applied to, nothing is left.
        assert_eq!(left("kayleighs and mill lane"), ["kayleighs", "mill lane"]);
        let text = "Kayleighs mum on Mill-Lane; ANN";
        assert_eq!(left(text), ["Kayleighs", "Mill-Lane", "ANN"]);
        assert_eq!(left(&k.apply(text)), Vec::<String>::new());
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
        let e = key("name,pseudonym\nEllie-Mae,Lily\nellie mae,Rose\n--,Sam\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(":3: 'ellie mae' is already in the key on line 2"),
            "{e}"
        );
        assert!(
            e.contains(":4: the name '--' has no letter or digit"),
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
