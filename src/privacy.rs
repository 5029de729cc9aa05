//! `privacy check`: names the pseudonym key misses.
//!
//! [`scan`] looks for names the key misses: capitalised words that are not
//! at the start of a sentence somewhere in the documents scanned, whose
//! lower-case form never appears in them (so `Well` or `Council` do not
//! count when `well` or `council` appear), and that are not allowed: the
//! speakers' roles, the codebook's words, the documents' and cases'
//! attribute values (place names), the pseudonyms themselves, a short
//! built-in list (days, months, common labels such as Interviewer) and the
//! project's own list, `privacy-allow.txt` (one word or phrase per line,
//! `#` for comments). Speaker labels are exported too, so they are checked
//! as labels, once per document: the quote's speaker and each label of a
//! dialogue quote; the words after a dialogue's labels are speech.
//! Besides, wherever it stands (a sentence's first word too), it flags
//! every word that still holds a name of the key as a reader would see it
//! ([`Pseudonyms::left_in`]): `Millbrook` for `Mill`, `Annual` for `Ann`,
//! `KayleighAnn`; such a word is passed only when the project allows it.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::index::Index;
use crate::normalize::nfc;
use crate::pseudonyms::Pseudonyms;
use crate::quotes::Row;

/// The project's list of capitalised words that are not names.
pub const ALLOW_FILE: &str = crate::project::ALLOW_FILE;

/// Capitalised words that are not personal names in any project.
const BUILT_IN_ALLOWED: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Christmas",
    "Easter",
    "Eid",
    "Diwali",
    "Ramadan",
    "Hanukkah",
    "English",
    "British",
    "Britain",
    "England",
    "Scotland",
    "Wales",
    "Ireland",
    "Welsh",
    "Scottish",
    "Irish",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Mum",
    "Dad",
    "Mummy",
    "Daddy",
    "Nan",
    "Nana",
    "Nanna",
    "Gran",
    "Grandad",
    "Grandma",
    "Grandpa",
    "God",
    "Okay",
    "Ok",
    // Speaker labels that are not names.
    "Interviewer",
    "Facilitator",
    "Researcher",
    "Moderator",
    "Participant",
    "Respondent",
    "Speaker",
    "Parent",
    "Mother",
    "Father",
    "Carer",
    "Worker",
    "Manager",
    "Unknown",
    "All",
    "Several",
    "Group",
];

/// Words that may be capitalised without being names.
#[derive(Debug, Clone, Default)]
pub struct Allowed {
    /// Lower-cased single words.
    words: HashSet<String>,
    /// Lower-cased phrases of several words, allowed only together
    /// (`Allen key` does not allow a person called Allen).
    phrases: Vec<Vec<String>>,
}

impl Allowed {
    /// The built-in list.
    pub fn built_in() -> Allowed {
        let mut a = Allowed::default();
        for w in BUILT_IN_ALLOWED {
            a.add(w);
        }
        a
    }

    /// Allows every word of `phrase`.
    pub fn add(&mut self, phrase: &str) {
        for w in crate::normalize::nfc(phrase)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            self.words.insert(w.to_lowercase());
        }
    }

    /// Adds the project's list (`privacy-allow.txt` at `root`), if any.
    pub fn add_file(&mut self, root: &Path) -> Result<()> {
        let path = root.join(ALLOW_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let words: Vec<String> = words(line).map(|(_, w)| w.to_lowercase()).collect();
            match words.len() {
                0 => {}
                1 => self.add(line),
                _ => self.phrases.push(words),
            }
        }
        Ok(())
    }

    /// Returns, for each of `words` (lower-cased), whether it is part of
    /// an allowed phrase.
    fn in_phrases(&self, words: &[String]) -> Vec<bool> {
        let mut covered = vec![false; words.len()];
        for phrase in &self.phrases {
            for start in 0..words.len().saturating_sub(phrase.len() - 1) {
                if words[start..start + phrase.len()] == phrase[..] {
                    covered[start..start + phrase.len()].fill(true);
                }
            }
        }
        covered
    }

    /// Returns true when `text` is allowed: a word that [`Allowed::contains`],
    /// or words that are all allowed, or an allowed phrase.
    pub fn allows(&self, text: &str) -> bool {
        let words: Vec<String> = words(text).map(|(_, w)| w.to_lowercase()).collect();
        !words.is_empty()
            && (words.iter().all(|w| self.contains(w)) || self.phrases.contains(&words))
    }

    /// Returns true when `word` is allowed (ignoring case), or is the
    /// plural of an allowed word (`Mondays`).
    pub fn contains(&self, word: &str) -> bool {
        let w = crate::normalize::nfc(word).to_lowercase();
        self.words.contains(&w) || w.strip_suffix('s').is_some_and(|s| self.words.contains(s))
    }
}

/// A text that an export would contain, and where it comes from.
#[derive(Debug, Clone)]
pub struct Passage<'a> {
    /// The document.
    pub doc: &'a str,
    /// The turn, when known.
    pub turn: Option<usize>,
    /// What it is: `quote`, `memo`, `speaker`, `attribute`.
    pub field: &'static str,
    /// The text, after pseudonymisation.
    pub text: String,
}

impl Passage<'_> {
    /// True for transcript speech, where a capitalised word counts only if
    /// it is seen mid-sentence somewhere in the documents; in labels, memos
    /// and attribute values any capitalised word never seen in lower case
    /// counts, except at the start of a sentence of several words.
    fn is_speech(&self) -> bool {
        self.field == "quote"
    }
}

/// A capitalised word that looks like a personal name (`"type":"name"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The word as written.
    pub word: String,
    /// The document.
    pub doc: String,
    /// The turn, when known.
    pub turn: Option<usize>,
    /// Where in the export: `quote`, `memo`, `speaker`, `attribute`.
    pub field: &'static str,
    /// The words around it.
    pub context: String,
}

/// What the scan learns from whole documents: which capitalised words
/// appear in lower case, and which appear capitalised mid-sentence.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    lower: HashSet<String>,
    mid_sentence: HashSet<String>,
}

/// Returns true when `w` is capitalised: an upper-case letter, then at
/// least one letter, none of them upper-case.
fn capitalised(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.clone().next().is_some()
        && chars.all(|c| c.is_alphabetic() && !c.is_uppercase())
}

/// Returns the words of `text`, in their composed forms, with their byte
/// offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, Cow<'_, str>)> {
    crate::analysis::words(text).map(move |w| (w.from, nfc(&text[w.from..w.to])))
}

/// Returns true when the word at byte `at` of `text` starts a sentence:
/// nothing but spaces and opening punctuation since the start of the text
/// or since a full stop, question or exclamation mark, colon, ellipsis or
/// bracketed note. A dash does not end a sentence: in transcripts it marks
/// a pause or a self-correction (`I've got a mum — Chantelle, she's…`),
/// and it joins double names (`Ellie-Mae`).
fn starts_sentence(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        if c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '*') {
            continue;
        }
        // A bracketed note (`[laughter]`) ends what came before it.
        return matches!(c, '.' | '?' | '!' | ':' | '…' | ']');
    }
    true
}

impl Vocabulary {
    /// Learns from one document's whole text.
    pub fn learn(&mut self, text: &str) {
        for (at, w) in words(text) {
            if capitalised(&w) {
                if !starts_sentence(text, at) {
                    self.mid_sentence.insert(w.to_string());
                }
            } else if w.chars().all(char::is_lowercase) {
                self.lower.insert(w.to_string());
            }
        }
    }

    /// Learns only which words appear in lower case (from memos).
    pub fn learn_lower(&mut self, text: &str) {
        for (_, w) in words(text) {
            if w.chars().all(char::is_lowercase) {
                self.lower.insert(w.to_string());
            }
        }
    }

    /// Returns true when `w` (capitalised) looks like a personal name: never
    /// in lower case, and (in `speech`) seen mid-sentence.
    fn looks_like_name(&self, w: &str, speech: bool) -> bool {
        (!speech || self.mid_sentence.contains(w)) && !self.lower.contains(&w.to_lowercase())
    }
}

/// Returns the words of `passages` that look like personal names and are
/// not allowed, in passage order and, within a passage, in text order:
/// capitalised words that look like names ([`Vocabulary`]), and wherever
/// it stands, every word in which a name of `key` is still left
/// ([`Pseudonyms::left_in`]: `Millbrook` for `Mill`, `Annual` for `Ann`),
/// unless the project allows that word.
pub fn scan(
    passages: &[Passage],
    vocabulary: &Vocabulary,
    allowed: &Allowed,
    key: &Pseudonyms,
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    for p in passages {
        let finding = |at: usize, word: &str| Finding {
            word: word.to_string(),
            doc: p.doc.to_string(),
            turn: p.turn,
            field: p.field,
            context: context(&p.text, at),
        };
        let mut here: Vec<(usize, Finding)> = Vec::new();
        let found: Vec<(usize, Cow<str>)> = words(&p.text).collect();
        let lower: Vec<String> = found.iter().map(|(_, w)| w.to_lowercase()).collect();
        let in_phrase = allowed.in_phrases(&lower);
        for (i, (at, w)) in found.iter().enumerate() {
            let (at, w) = (*at, &**w);
            // A label of one word is a name or not, wherever it stands;
            // in longer texts a capital may just start a sentence.
            let initial = found.len() > 1 && starts_sentence(&p.text, at);
            if capitalised(w)
                && (p.is_speech() || !initial)
                && vocabulary.looks_like_name(w, p.is_speech())
                && !in_phrase[i]
                && !allowed.contains(w)
            {
                here.push((at, finding(at, w)));
            }
        }
        for left in key.left_in(&p.text)? {
            let word = nfc(&p.text[left.clone()]);
            if !allowed.allows(&word) {
                here.push((left.start, finding(left.start, &word)));
            }
        }
        here.sort_by_key(|(at, _)| *at);
        for (_, f) in here {
            // Two codes on one passage would list it twice, and a word
            // can be found both ways.
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// Attributes whose values are place names and programme words, allowed
/// rather than scanned.
const PLACE_KEYS: &[&str] = &["site", "strand", "method", "roles", "case", "cases"];

/// Returns the words that an export of `rows` (or the report) would contain
/// that look like personal names: the quotes, speaker labels and memos of
/// the rows, and the attributes and titles of their documents (case data
/// included), after the key. Allowed: the built-in list, the project's
/// `privacy-allow.txt`, the pseudonyms, the codebook's words, speakers'
/// roles, and the values of the site, strand and method attributes.
pub fn check(
    index: &Index,
    book: &Codebook,
    rows: &[Row],
    key: &Pseudonyms,
) -> Result<Vec<Finding>> {
    let mut allowed = Allowed::built_in();
    allowed.add_file(&index.project().root)?;
    for (_, pseudonym) in &key.pairs {
        allowed.add(pseudonym);
    }
    for code in book.codes.values() {
        allowed.add(&code.path);
        allowed.add(&code.definition);
        for line in code.include.iter().chain(&code.exclude) {
            allowed.add(line);
        }
        if let Some(k) = &code.keywords {
            allowed.add(k);
        }
    }
    let docs: BTreeSet<&str> = rows.iter().map(|r| r.real_doc.as_str()).collect();
    let mut vocabulary = Vocabulary::default();
    let mut passages = Vec::new();
    for doc in &docs {
        if let Ok(t) = index.transcript(doc) {
            // What was said, turn by turn: a label is no word of speech
            // (after a turn that ends without a full stop it would seem
            // capitalised mid-sentence).
            for turn in &t.turns {
                vocabulary.learn(t.slice(turn.body));
            }
            for role in t.turns.iter().filter_map(|turn| turn.role.as_ref()) {
                allowed.add(role);
            }
        }
        let Ok(d) = index.document(doc) else { continue };
        for (k, v) in &d.attributes {
            let place = PLACE_KEYS.iter().any(|p| k.eq_ignore_ascii_case(p));
            for value in v.values() {
                if place {
                    allowed.add(value);
                } else {
                    passages.push(Passage {
                        doc,
                        turn: None,
                        field: "attribute",
                        text: key.apply(value),
                    });
                }
            }
        }
    }
    for r in rows {
        if let Some(m) = &r.memo {
            vocabulary.learn_lower(m);
        }
    }
    let mut labels_seen: HashSet<(&str, &str)> = HashSet::new();
    for r in rows {
        let passage = |field: &'static str, text: String| Passage {
            doc: &r.real_doc,
            turn: r.turn,
            field,
            text,
        };
        // A dialogue's labels are labels, checked once per document like
        // the speaker's; what follows each is speech.
        let mut labels: Vec<&str> = Vec::new();
        if r.labels.is_empty() {
            passages.push(passage("quote", r.quote.clone()));
        } else {
            for line in r.quote.split('\n') {
                let said = r.labels.iter().find_map(|l| {
                    let rest = line.strip_prefix(l.as_str())?.strip_prefix(": ")?;
                    labels.push(l);
                    Some(rest)
                });
                passages.push(passage("quote", said.unwrap_or(line).to_string()));
            }
        }
        for s in r.speaker.iter().map(String::as_str).chain(labels) {
            if labels_seen.insert((r.real_doc.as_str(), s)) {
                passages.push(passage("speaker", s.to_string()));
            }
        }
        if let Some(m) = &r.memo {
            passages.push(passage("memo", m.clone()));
        }
    }
    scan(&passages, &vocabulary, &allowed, key)
}

/// Returns the distinct words of `findings`, sorted.
pub fn distinct(findings: &[Finding]) -> BTreeSet<&str> {
    findings.iter().map(|f| f.word.as_str()).collect()
}

/// Returns the word at `text[from..]` with up to six words either side,
/// on one line.
fn context(text: &str, from: usize) -> String {
    let start = text[..from]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let before: Vec<&str> = text[..start].split_whitespace().collect();
    let after: Vec<&str> = text[start..].split_whitespace().collect();
    let b = &before[before.len().saturating_sub(6)..];
    let a = &after[..after.len().min(7)];
    let mut out = String::new();
    if before.len() > b.len() {
        out.push('…');
    }
    out.push_str(&b.iter().chain(a).copied().collect::<Vec<_>>().join(" "));
    if after.len() > a.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_flags_capitalised_words_seen_mid_sentence_and_never_in_lower_case() {
        let doc = "Well, I said to Tyler that Bev would sort it. Well is a word. \
                   The Council paid. The council knew. Honestly? Monday I rang Tyler.";
        let mut v = Vocabulary::default();
        v.learn(doc);
        let mut allowed = Allowed::built_in();
        allowed.add("Bev Smith");
        let passages = [Passage {
            doc: "d",
            turn: Some(3),
            field: "quote",
            text: "Tyler's dad. Honestly? Bev and Council on Monday.".into(),
        }];
        let found = scan(&passages, &v, &allowed, &Pseudonyms::none()).unwrap();
        let words: Vec<&str> = found.iter().map(|f| f.word.as_str()).collect();
        // "Honestly" only starts sentences; "Council" appears in lower case;
        // "Bev" is allowed; "Monday" is built in.
        assert_eq!(words, ["Tyler"]);
        assert_eq!(
            found[0].context,
            "Tyler's dad. Honestly? Bev and Council on…"
        );
        assert_eq!(found[0].turn, Some(3));
        // A name written decomposed is the same word as written composed:
        // allowed in either form, found in either form.
        let mut v = Vocabulary::default();
        v.learn("I said to Zo\u{eb} and Rene\u{301}e that we would.");
        let mut allowed = Allowed::built_in();
        allowed.add("Ren\u{e9}e");
        let passages = [Passage {
            doc: "d",
            turn: None,
            field: "quote",
            text: "Then Zoe\u{308} and Rene\u{301}e came.".into(),
        }];
        let found = scan(&passages, &v, &allowed, &Pseudonyms::none()).unwrap();
        let words: Vec<&str> = found.iter().map(|f| f.word.as_str()).collect();
        assert_eq!(words, ["Zo\u{eb}"]);
    }

    #[test]
    fn a_key_name_left_in_a_word_is_flagged_wherever_it_stands_unless_allowed() {
        let key = Pseudonyms::parse(
            Path::new("pseudonyms.csv"),
            b"name,pseudonym\nMill,Forge\nAnn,Rose\n",
        )
        .unwrap();
        let mut v = Vocabulary::default();
        v.learn("Annual reviews. Millbrook shut. We went to the annual fair.");
        let passages = [Passage {
            doc: "d",
            turn: Some(1),
            field: "quote",
            text: key.apply("Annual reviews. Millbrook shut. We went to the annual fair."),
        }];
        let mut allowed = Allowed::built_in();
        let found = scan(&passages, &v, &allowed, &key).unwrap();
        let words: Vec<&str> = found.iter().map(|f| f.word.as_str()).collect();
        assert_eq!(words, ["Annual", "Millbrook"]);
        allowed.add("Millbrook Annual");
        assert_eq!(scan(&passages, &v, &allowed, &key).unwrap(), []);
    }
}
