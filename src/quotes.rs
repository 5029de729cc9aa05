//! Quote tables: coded passages as attributed quotes, for reports.
//!
//! [`rows`] turns the selected codings into [`Row`]s: the quote as said
//! (the coded span widened to whole words, without the speaker label, each
//! further speaker's label kept where the quote runs into their turn), the
//! attribution evaluation reports use — "Social worker, focus group,
//! Northbrook" — the document and turn, the code, the configurations the
//! coding is linked to and how, and the memo. Codings of the same span with
//! the same code by several coders make one row naming every coder. Every
//! text taken from the project passes through the pseudonym key.
//! [`group`] arranges rows by code, configuration, document or attribute.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use serde::Serialize;

use crate::codebook::Codebook;
use crate::coding::{CoderFile, Coding};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::index::Index;
use crate::logic_model::LogicModel;
use crate::logic_model::links::{Links, Part, Stance};
use crate::pseudonyms::Pseudonyms;
use crate::text::Span;
use crate::transcript::Transcript;

/// How a quote bears on a configuration.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    /// The configuration (`CMO-<n>`).
    pub cmo: String,
    /// Supports, refutes or refines.
    pub stance: Stance,
    /// The part it bears on, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.cmo, self.stance.name())?;
        if let Some(p) = self.part {
            write!(f, " ({})", p.name())?;
        }
        Ok(())
    }
}

/// One quote of a table (`"type":"quote"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The group the row is listed under, when grouped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// What was said.
    pub quote: String,
    /// "Social worker, focus group, Northbrook".
    pub attribution: String,
    /// The document, pseudonymised like any text (a file may be named
    /// after a participant).
    pub doc: String,
    /// The document's real id, for looking it up; never exported.
    #[serde(skip)]
    pub real_doc: String,
    /// The turn of the (first) speaker the quote is attributed to.
    pub turn: Option<usize>,
    /// The turns the quote covers, first to last, when it covers more
    /// than one (a question and its answer, say).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<usize>,
    /// The label of the (first) speaker it is attributed to.
    pub speaker: Option<String>,
    /// That speaker's role.
    pub role: Option<String>,
    /// The speaker labels written into the quote (a dialogue), never
    /// exported on their own.
    #[serde(skip)]
    pub labels: Vec<String>,
    /// True when the coding's quote sits at its offsets in the current
    /// transcript (false: its text was exported as stored, unverified).
    #[serde(skip)]
    pub verified: bool,
    /// The code path.
    pub code: String,
    /// Configurations the coding is linked to, in id order.
    pub evidence: Vec<Evidence>,
    /// The coders' memos, one per line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    /// The coders who made this coding.
    pub coders: Vec<String>,
    /// Their codings' ids.
    pub codings: Vec<String>,
    /// First code point of the coding, for ordering.
    #[serde(skip)]
    pub start: usize,
}

/// Which codings a table holds.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only codings with one of these codes or their children (all when empty).
    pub codes: Vec<String>,
    /// Only documents passing every filter.
    pub filters: Vec<Filter>,
}

/// How rows are grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum By {
    /// By code, in codebook order.
    Code,
    /// By configuration, in logic-model order; only linked quotes.
    Cmo,
    /// By document, in id order.
    Doc,
    /// By a document attribute's value (or `role`, the speaker's role).
    Attribute(String),
}

impl FromStr for By {
    type Err = Error;

    fn from_str(s: &str) -> Result<By> {
        match s.trim() {
            "code" => Ok(By::Code),
            "cmo" => Ok(By::Cmo),
            "doc" => Ok(By::Doc),
            other => match other.strip_prefix("attribute:") {
                Some(key) if !key.trim().is_empty() => Ok(By::Attribute(key.trim().to_string())),
                _ => Err(Error::BadGrouping {
                    given: s.to_string(),
                }),
            },
        }
    }
}

impl By {
    /// Returns the grouping as it is written: `code`, `cmo`, `doc` or
    /// `attribute:KEY`.
    pub fn name(&self) -> String {
        match self {
            By::Code => "code".into(),
            By::Cmo => "cmo".into(),
            By::Doc => "doc".into(),
            By::Attribute(key) => format!("attribute:{key}"),
        }
    }
}

/// A group of rows under a title (`""` when the table is not grouped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The heading.
    pub title: String,
    /// The rows, by document and position.
    pub rows: Vec<Row>,
}

/// Returns "Social worker and parent, focus group, Northbrook": who spoke
/// (roles, or labels without one; each once), the method and the sites.
pub fn attribution_of(who: &[String], method: Option<&str>, sites: &[String]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for w in who {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(w)) {
            names.push(w);
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if !names.is_empty() {
        let joined = match names.as_slice() {
            [one] => one.to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => String::new(),
        };
        let mut c = joined.chars();
        if let Some(first) = c.next() {
            parts.push(first.to_uppercase().chain(c).collect());
        }
    }
    parts.extend(method.map(|m| m.replace(['-', '_'], " ")));
    parts.extend(sites.iter().cloned());
    parts.join(", ")
}

/// What a coding says and who said it, as a quote table shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quoted {
    /// The quote (a dialogue, labelled, when several speakers speak).
    pub text: String,
    /// The turns it covers, first to last.
    pub turns: Vec<usize>,
    /// The turn of the first speaker it is attributed to.
    pub turn: Option<usize>,
    /// Who it is attributed to: each speaker who is not a researcher (all
    /// speakers when only researchers speak), as (label, role).
    pub speakers: Vec<(Option<String>, Option<String>)>,
    /// The speaker labels written into the text.
    pub labels: Vec<String>,
}

/// Returns what `span` of `t` says as a quote, attributed to the speakers
/// `is_researcher` does not call researchers; `None` when the span covers
/// no words.
pub fn quoted(
    t: &Transcript,
    span: Span,
    is_researcher: &dyn Fn(Option<&str>, Option<&str>) -> bool,
) -> Option<Quoted> {
    let said = t.said(span);
    let (first, last) = said.turns()?;
    let who = said.attributed(|p| is_researcher(p.speaker.as_deref(), p.role.as_deref()));
    let mut speakers: Vec<(Option<String>, Option<String>)> = Vec::new();
    for p in &who {
        let s = (p.speaker.clone(), p.role.clone());
        if !speakers.contains(&s) {
            speakers.push(s);
        }
    }
    let labels = if said.is_dialogue() {
        let mut l: Vec<String> = said
            .parts
            .iter()
            .filter_map(|p| p.speaker.clone())
            .collect();
        l.dedup();
        l
    } else {
        Vec::new()
    };
    Some(Quoted {
        text: said.text(),
        turns: (first..=last).collect(),
        turn: who.first().map(|p| p.turn),
        speakers,
        labels,
    })
}

/// Returns a sort key that puts CMO-2 before CMO-10.
fn cmo_order(id: &str) -> (usize, String) {
    let id = crate::logic_model::normalise_id(id);
    (id.len(), id)
}

/// A coded passage: document, start, end and code.
type SpanKey<'a> = (&'a str, usize, usize, &'a str);

/// Returns the rows of the codings of `files` that `selection` admits, by
/// document and position, with every text pseudonymised by `key`. Each
/// document with codings is read once.
pub fn rows(
    index: &Index,
    files: &[CoderFile],
    links: &Links,
    selection: &Selection,
    key: &Pseudonyms,
) -> Vec<Row> {
    let wanted_docs: Option<HashSet<&str>> = (!selection.filters.is_empty()).then(|| {
        index
            .documents()
            .filter(|d| selection.filters.iter().all(|f| f.matches(d)))
            .map(|d| d.id.as_str())
            .collect()
    });
    let mut evidence: HashMap<&str, Vec<Evidence>> = HashMap::new();
    for l in links.current() {
        evidence
            .entry(l.coding.as_str())
            .or_default()
            .push(Evidence {
                cmo: l.cmo.clone(),
                stance: l.stance,
                part: l.part,
            });
    }
    // One row per (document, span, code): coders who agree share it.
    let mut merged: BTreeMap<SpanKey, Vec<(&str, &Coding)>> = BTreeMap::new();
    for f in files {
        for c in &f.codings {
            let admitted = (selection.codes.is_empty()
                || selection.codes.iter().any(|code| c.has_code(code)))
                && wanted_docs
                    .as_ref()
                    .is_none_or(|w| w.contains(c.doc.as_str()));
            if admitted {
                merged
                    .entry((c.doc.as_str(), c.start, c.end, c.code.as_str()))
                    .or_default()
                    .push((f.coder.as_str(), c));
            }
        }
    }
    let mut out = Vec::with_capacity(merged.len());
    // Rows come in document order: each transcript is read once, and only
    // one is held at a time.
    let mut current: Option<(&str, Option<Transcript>)> = None;
    for ((doc, _, _, code), codings) in merged {
        let (_, first) = codings[0];
        if current.as_ref().is_none_or(|(d, _)| *d != doc) {
            current = Some((doc, index.transcript(doc).ok()));
        }
        let transcript = current.as_ref().and_then(|(_, t)| t.as_ref());
        let method = index.attribute_values(doc, "method");
        let sites = index.attribute_values(doc, "site");
        let is_researcher =
            |s: Option<&str>, r: Option<&str>| index.project().config.is_researcher(s, r);
        let fits = transcript.is_some_and(|t| first.unplaced.is_none() && first.fits(t));
        let q = match transcript {
            Some(t) if fits => quoted(t, first.span(), &is_researcher),
            _ => None,
        }
        .unwrap_or_else(|| Quoted {
            text: first.quote.trim().to_string(),
            ..Quoted::default()
        });
        let (speaker, role) = q.speakers.first().cloned().unwrap_or_default();
        let mut memos: Vec<String> = Vec::new();
        for (_, c) in &codings {
            if let Some(m) = c.memo.as_deref().map(str::trim).filter(|m| !m.is_empty())
                && !memos.iter().any(|x| x == m)
            {
                memos.push(m.to_string());
            }
        }
        let mut linked: Vec<Evidence> = codings
            .iter()
            .flat_map(|(_, c)| evidence.get(c.id.as_str()).into_iter().flatten().cloned())
            .collect();
        linked.sort_by(|a, b| (cmo_order(&a.cmo), a).cmp(&(cmo_order(&b.cmo), b)));
        linked.dedup();
        let who: Vec<String> = q
            .speakers
            .iter()
            .filter_map(|(s, r)| r.clone().or_else(|| s.clone()))
            .collect();
        let attribution = attribution_of(&who, method.first().map(String::as_str), &sites);
        out.push(Row {
            group: None,
            quote: key.apply(&q.text),
            attribution: key.apply(&attribution),
            doc: key.apply(doc),
            real_doc: doc.to_string(),
            turn: q.turn,
            turns: if q.turns.len() > 1 {
                q.turns.clone()
            } else {
                Vec::new()
            },
            labels: q.labels.iter().map(|l| key.apply(l)).collect(),
            verified: fits,
            speaker: key.apply_opt(speaker.as_deref()),
            role: key.apply_opt(role.as_deref()),
            code: code.to_string(),
            evidence: linked,
            memo: (!memos.is_empty()).then(|| key.apply(&memos.join("\n"))),
            coders: codings.iter().map(|(coder, _)| coder.to_string()).collect(),
            codings: codings.iter().map(|(_, c)| c.id.clone()).collect(),
            start: first.start,
        });
    }
    out
}

/// Arranges `rows` in groups (one untitled group when `by` is `None`). By
/// configuration, a row appears under each configuration it is linked to
/// and rows linked to none are left out; by attribute, under each value of
/// the document (rows without one last, under "(no KEY)").
pub fn group(
    rows: Vec<Row>,
    by: Option<&By>,
    index: &Index,
    book: &Codebook,
    model: Option<&LogicModel>,
    key: &Pseudonyms,
) -> Result<Vec<Group>> {
    let Some(by) = by else {
        return Ok(vec![Group {
            title: String::new(),
            rows,
        }]);
    };
    // Group key → (sort key, title).
    let mut groups: BTreeMap<(usize, String), Vec<Row>> = BTreeMap::new();
    let mut add = |rank: usize, title: String, row: &Row| {
        let mut r = row.clone();
        r.group = Some(title.clone());
        groups.entry((rank, title)).or_default().push(r);
    };
    match by {
        By::Code => {
            for r in &rows {
                let rank = book.codes.get_index_of(&r.code).unwrap_or(book.codes.len());
                add(rank, r.code.clone(), r);
            }
        }
        By::Cmo => {
            for r in &rows {
                // Once under each configuration, whatever the stances.
                let mut cmos: Vec<&str> = r.evidence.iter().map(|e| e.cmo.as_str()).collect();
                cmos.dedup();
                for cmo in cmos {
                    let found = model.and_then(|m| {
                        m.configurations
                            .iter()
                            .position(|c| c.id == cmo)
                            .map(|i| (i, &m.configurations[i]))
                    });
                    match found {
                        Some((i, c)) => add(i, format!("{}: {}", c.id, key.apply(&c.title)), r),
                        None => add(usize::MAX, cmo.to_string(), r),
                    }
                }
            }
        }
        By::Doc => {
            for r in &rows {
                let title = match index.document(&r.real_doc).ok().and_then(|d| {
                    d.attributes
                        .get("title")
                        .and_then(|v| v.values().first().cloned())
                }) {
                    Some(t) => format!("{}: {}", r.doc, key.apply(&t)),
                    None => r.doc.clone(),
                };
                add(0, title, r);
            }
        }
        By::Attribute(name) => {
            let is_role = name.eq_ignore_ascii_case("role");
            if !is_role {
                let known = index.attribute_keys();
                if !known.iter().any(|k| k.eq_ignore_ascii_case(name)) {
                    return Err(Error::UnknownAttribute {
                        key: name.clone(),
                        suggestions: crate::suggest::nearest(name, known.iter().copied()),
                        known: std::iter::once("role")
                            .chain(known.iter().copied())
                            .map(str::to_string)
                            .collect(),
                    });
                }
            }
            for r in &rows {
                let values: Vec<String> = if is_role {
                    r.role.iter().cloned().collect()
                } else {
                    index.attribute_values(&r.real_doc, name)
                };
                if values.is_empty() {
                    add(1, format!("(no {name})"), r);
                }
                for v in values {
                    add(0, key.apply(&v), r);
                }
            }
        }
    }
    Ok(groups
        .into_iter()
        .map(|((_, title), rows)| Group { title, rows })
        .collect())
}

/// What an export is and where it comes from (`"type":"export"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// The export's title.
    pub title: String,
    /// The project's name.
    pub project: String,
    /// realist's version.
    pub realist: String,
    /// The date it was made (YYYY-MM-DD).
    pub generated: String,
    /// How rows are grouped, when they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Rows exported (a row listed under two groups counts twice).
    pub quotes: usize,
    /// Documents they come from.
    pub documents: usize,
    /// Quotes left out because they have no group (not linked, with `--by cmo`).
    pub left_out: usize,
    /// True when a pseudonym key with at least one name was applied.
    pub pseudonymised: bool,
    /// The names in the key.
    pub names: usize,
    /// The sentence saying so.
    pub statement: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Reading;
    use std::path::Path;

    fn transcript(body: &str) -> Transcript {
        Transcript::parse(Path::new("t.md"), body.as_bytes(), &Reading::default())
            .unwrap()
            .0
    }

    #[test]
    fn quotes_are_what_was_coded_and_dialogues_name_every_speaker() {
        let t = transcript(
            "Interviewer: Did the bike help?\n\nSW1 (social worker): We bought the bike that day.\n\nSW1: It changed things.\n\nSW2 (social worker): Not for us.\n",
        );
        let researcher = |s: Option<&str>, r: Option<&str>| {
            r.or(s)
                .is_some_and(|x| x.eq_ignore_ascii_case("interviewer"))
        };
        let all = Span::new(0, t.char_len());
        let q = quoted(&t, all, &researcher).unwrap();
        assert_eq!(
            q.text,
            "Interviewer: Did the bike help?\nSW1: We bought the bike that day.\nSW1: It changed things.\nSW2: Not for us."
        );
        assert_eq!(q.turns, [1, 2, 3, 4]);
        assert_eq!(q.turn, Some(2), "the first speaker who is not a researcher");
        assert_eq!(
            q.speakers,
            [
                (Some("SW1".into()), Some("social worker".into())),
                (Some("SW2".into()), Some("social worker".into()))
            ]
        );
        let who: Vec<String> = q.speakers.iter().filter_map(|(_, r)| r.clone()).collect();
        assert_eq!(
            attribution_of(&who, Some("focus-group"), &["Ashcombe".into()]),
            "Social worker, focus group, Ashcombe"
        );
        // A span cutting words leaves them out and says so; nothing is
        // widened past the span.
        let text = t.text.clone();
        let at = text.find("ought").unwrap();
        let span = Span::new(
            text[..at].chars().count(),
            text[..at + "ought the bi".len()].chars().count(),
        );
        assert_eq!(quoted(&t, span, &researcher).unwrap().text, "…the…");
        // The interviewer's words alone are the interviewer's.
        let q = quoted(&t, t.turns[0].body, &researcher).unwrap();
        assert_eq!(q.speakers, [(Some("Interviewer".into()), None)]);
    }

    #[test]
    fn grouping_names_are_checked() {
        assert_eq!(
            "attribute:site".parse::<By>().unwrap(),
            By::Attribute("site".into())
        );
        assert_eq!("cmo".parse::<By>().unwrap(), By::Cmo);
        let e = "coder".parse::<By>().unwrap_err().to_string();
        assert!(e.contains("use code, cmo, doc or attribute:KEY"), "{e}");
        assert!("attribute:".parse::<By>().is_err());
    }

    #[test]
    fn attributions_read_like_a_report() {
        assert_eq!(
            attribution_of(
                &["social worker".into()],
                Some("focus-group"),
                &["Northbrook".into()]
            ),
            "Social worker, focus group, Northbrook"
        );
        assert_eq!(attribution_of(&["Parent".into()], None, &[]), "Parent");
        let three = [
            "parent".into(),
            "grandparent".into(),
            "Parent".into(),
            "aunt".into(),
        ];
        assert_eq!(
            attribution_of(&three, Some("interview"), &[]),
            "Parent, grandparent and aunt, interview"
        );
    }
}
