//! One synthetic transcript: front matter, speakers in one of four label
//! styles, and turns of Zipfian text, written with its turns to the side
//! file.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use super::DOC_BYTES;
use super::rng::{Rng, pick_weighted};
use super::side::{Record, encode};
use super::vocab::{P_INLINE_NOTE, P_MONEY, P_RARE, P_STRAIGHT_AWAY, Vocab};
use crate::BoxResult;

pub const SITES: &[(&str, &str, f64)] = &[
    ("Northbrook", "nb", 0.35),
    ("Ashcombe", "ac", 0.25),
    ("Eastleigh Vale", "ev", 0.20),
    ("Harrowgate", "hg", 0.12),
    ("Millbrook", "mb", 0.08),
];
const STRANDS: &[&str] = &["reunification", "edge of care", "leaving care"];

/// Participant roles with their label prefixes.
const ROLES: &[(&str, &str)] = &[
    ("social worker", "SW"),
    ("parent", "P"),
    ("young person", "YP"),
    ("team manager", "TM"),
    ("senior practitioner", "SP"),
    ("grandparent", "GP"),
];
const PERSON_NAMES: &[&str] = &[
    "Mrs O’Connor",
    "Mr Hughes",
    "Jo",
    "Łukasz",
    "Zoë",
    "Aunty Pat",
    "Mrs Begum",
    "Dad",
];

#[derive(Clone, Copy, PartialEq)]
enum LabelStyle {
    /// `**SW2 (social worker):**`, then `**SW2:**`.
    Bold,
    /// `P1 (parent):`, then `P1:`.
    Plain,
    /// `[P3]`, roles from the front matter.
    Bracket,
    /// `**Mrs O’Connor (parent):**`, then `**Mrs O’Connor:**`.
    Names,
}

struct Speaker {
    label: String,
    role: String,
    /// Role given in the front matter `speakers:` map.
    in_map: bool,
    introduced: bool,
}

struct DocWriter<'a> {
    rng: Rng,
    vocab: &'a Vocab,
    words: u64,
}

impl DocWriter<'_> {
    /// Appends one sentence to `out`.
    fn sentence(&mut self, out: &mut String, min: usize, max: usize, question: bool) {
        let n = self.rng.range(min, max);
        let mut first = true;
        for k in 0..n {
            if !first {
                out.push(' ');
            }
            let r = self.rng.unit();
            let word: String = if r < P_RARE {
                self.vocab.rare(&mut self.rng).to_string()
            } else if r < P_RARE + P_STRAIGHT_AWAY {
                "straight away".to_string()
            } else if r < P_RARE + P_STRAIGHT_AWAY + P_INLINE_NOTE && !first {
                let note = if self.rng.chance(0.7) {
                    "[inaudible]"
                } else {
                    "[crosstalk]"
                };
                out.push_str(note);
                out.push(' ');
                self.vocab.zipf(&mut self.rng).to_string()
            } else if r < P_RARE + P_STRAIGHT_AWAY + P_INLINE_NOTE + P_MONEY && !first {
                format!("£{}", self.rng.range(5, 999))
            } else {
                self.vocab.zipf(&mut self.rng).to_string()
            };
            self.words += word.split(' ').count() as u64;
            let capital = first || word == "i" || word.starts_with("i’");
            if capital {
                let mut cs = word.chars();
                if let Some(c) = cs.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(cs.as_str());
                }
            } else {
                out.push_str(&word);
            }
            first = false;
            if k + 1 < n {
                let p = self.rng.unit();
                if p < 0.06 {
                    out.push(',');
                } else if p < 0.075 {
                    out.push_str(" —");
                }
            }
        }
        let end = if question {
            "?"
        } else {
            match self.rng.below(100) {
                0..=79 => ".",
                80..=91 => "?",
                _ => "…",
            }
        };
        out.push_str(end);
    }

    fn paragraph(&mut self, sentences: usize, question_last: bool) -> String {
        let mut p = String::new();
        for i in 0..sentences {
            if i > 0 {
                p.push(' ');
            }
            let q = question_last && i + 1 == sentences;
            self.sentence(&mut p, 4, 18, q);
        }
        p
    }

    /// Returns the paragraphs of one turn.
    fn turn(&mut self, facilitator: bool) -> Vec<String> {
        if facilitator {
            let n = self.rng.range(1, 3);
            return vec![self.paragraph(n, true)];
        }
        let kind = self.rng.below(100);
        if kind < 25 {
            let mut p = String::new();
            self.sentence(&mut p, 1, 5, false);
            return vec![p];
        }
        if kind < 80 {
            let n = self.rng.range(2, 7);
            return vec![self.paragraph(n, false)];
        }
        let paragraphs = self.rng.range(2, 4);
        let mut out = Vec::new();
        for i in 0..paragraphs {
            if i > 0 && self.rng.chance(0.1) {
                out.push(
                    ["[crosstalk]", "[inaudible]", "[laughter]"][self.rng.below(3)].to_string(),
                );
            }
            let n = self.rng.range(3, 8);
            out.push(self.paragraph(n, false));
        }
        out
    }
}

pub fn slug(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

fn char_len(s: &str) -> u64 {
    s.chars().count() as u64
}

/// Writes transcript number `n` and its turns to `side`; returns the file's
/// bytes, turns and words.
pub fn write_transcript(
    vocab: &Vocab,
    seed: u64,
    n: u64,
    corpus: &Path,
    side: &mut impl Write,
    buf: &mut Vec<u8>,
) -> BoxResult<(u64, u64, u64)> {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let site = pick_weighted(&mut rng, SITES);
    let strand = *rng.pick(STRANDS);
    let focus_group = rng.chance(0.4);
    let (method, method_code) = if focus_group {
        ("focus group", "fg")
    } else {
        ("interview", "int")
    };
    let id = format!("{}-{method_code}-{n:05}", site.1);
    let date = format!(
        "{}-{:02}-{:02}",
        2024 + rng.below(2),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    let style = match rng.below(4) {
        0 => LabelStyle::Bold,
        1 => LabelStyle::Plain,
        2 => LabelStyle::Bracket,
        _ => LabelStyle::Names,
    };
    let mut speakers = speakers(&mut rng, style, focus_group);

    let mut md = String::with_capacity(DOC_BYTES as usize + 4096);
    md.push_str("---\n");
    let _ = writeln!(md, "id: {id}");
    let _ = writeln!(md, "site: {}", site.0);
    let _ = writeln!(md, "strand: {strand}");
    let _ = writeln!(md, "method: {method}");
    let _ = writeln!(md, "date: {date}");
    md.push_str("speakers:\n");
    for s in speakers.iter().filter(|s| s.in_map) {
        let _ = writeln!(md, "  {}: {}", s.label, s.role);
    }
    md.push_str("---\n\n");

    let attrs = vec![
        format!("site={}", site.0).to_lowercase(),
        format!("strand={strand}"),
        format!("method={method}"),
        format!("date={date}"),
    ];
    let path = format!("corpus/{}/{id}.md", slug(site.0));
    buf.clear();
    encode(
        &Record::Doc {
            path: path.clone(),
            id: id.clone(),
            attrs,
        },
        buf,
    );

    let mut w = DocWriter {
        rng,
        vocab,
        words: 0,
    };
    let mut body = Body {
        md,
        offset: 0,
        paragraphs: 0,
    };
    let turns = write_turns(&mut w, &mut body, &mut speakers, style, focus_group, buf);
    let md = body.md;
    let full = corpus.join(slug(site.0)).join(format!("{id}.md"));
    std::fs::write(&full, md.trim_end().as_bytes())?;
    side.write_all(buf)?;
    Ok((md.trim_end().len() as u64, turns, w.words))
}

/// A transcript's speakers: the researcher first, then one or two
/// participants (four to seven in a focus group), labelled in `style`.
fn speakers(rng: &mut Rng, style: LabelStyle, focus_group: bool) -> Vec<Speaker> {
    let mut speakers = Vec::new();
    let lead = match style {
        LabelStyle::Bracket => "INT",
        _ if focus_group => "Facilitator",
        _ => "Interviewer",
    };
    speakers.push(Speaker {
        label: lead.into(),
        role: "researcher".into(),
        in_map: true,
        introduced: true,
    });
    let participants = if focus_group {
        rng.range(4, 7)
    } else {
        rng.range(1, 2)
    };
    let mut counters: HashMap<&str, usize> = HashMap::new();
    let mut used_names = BTreeSet::new();
    for _ in 0..participants {
        let (role, prefix) = *rng.pick(ROLES);
        let family_member = matches!(role, "parent" | "grandparent" | "young person");
        let label = if style == LabelStyle::Names && family_member {
            let name = *rng.pick(PERSON_NAMES);
            if used_names.insert(name) {
                name.to_string()
            } else {
                let c = counters.entry(prefix).or_insert(0);
                *c += 1;
                format!("{prefix}{c}")
            }
        } else {
            let c = counters.entry(prefix).or_insert(0);
            *c += 1;
            format!("{prefix}{c}")
        };
        speakers.push(Speaker {
            label,
            role: role.into(),
            in_map: style == LabelStyle::Bracket,
            introduced: false,
        });
    }
    speakers
}

/// The Markdown of a transcript being written, and the code point offset
/// of its next paragraph in the canonical text (where labels read as
/// rendered, not as written).
struct Body {
    md: String,
    offset: u64,
    paragraphs: u64,
}

impl Body {
    /// Appends a paragraph as `written`; returns its offset in the
    /// canonical text, where it reads `rendered`.
    fn push(&mut self, rendered: &str, written: &str) -> u64 {
        if self.paragraphs > 0 {
            self.offset += 2;
        }
        self.paragraphs += 1;
        self.md.push_str(written);
        self.md.push_str("\n\n");
        let start = self.offset;
        self.offset += char_len(rendered);
        start
    }
}

/// Writes turns into `body` (and their records into `buf`) until the
/// transcript reaches its target size (80 to 120 % of [`DOC_BYTES`]): the
/// researcher and the participants in turn (in a focus group, whoever
/// speaks), each introduced with their role the first time unless the
/// front matter maps it. Returns the number of turns.
fn write_turns(
    w: &mut DocWriter,
    body: &mut Body,
    speakers: &mut [Speaker],
    style: LabelStyle,
    focus_group: bool,
    buf: &mut Vec<u8>,
) -> u64 {
    let target = DOC_BYTES * w.rng.range(80, 120) as u64 / 100;
    let mut turn_no: u64 = 0;
    if w.rng.chance(0.1) {
        // Text before the first label: an unlabelled turn.
        let mut p = String::from("Recording starts. ");
        w.sentence(&mut p, 4, 10, false);
        let start = body.push(&p, &p);
        turn_no += 1;
        encode(
            &Record::Turn {
                turn: turn_no,
                speaker: None,
                role: None,
                body: p,
                start,
            },
            buf,
        );
    }
    let mut previous = usize::MAX;
    while (body.md.len() as u64) < target {
        let who = if focus_group {
            if w.rng.chance(0.25) || previous == usize::MAX {
                0
            } else {
                w.rng.range(1, speakers.len() - 1)
            }
        } else if previous == 0 {
            w.rng.range(1, speakers.len() - 1)
        } else {
            0
        };
        previous = who;
        let paras = w.turn(who == 0);
        let s = &mut speakers[who];
        let show_role = !s.in_map && !s.introduced;
        s.introduced = true;
        let rendered_label = match style {
            LabelStyle::Bracket => format!("[{}]", s.label),
            _ if show_role => format!("{} ({}):", s.label, s.role),
            _ => format!("{}:", s.label),
        };
        let written_label = match style {
            LabelStyle::Bold | LabelStyle::Names => format!("**{rendered_label}**"),
            _ => rendered_label.clone(),
        };
        let (speaker, role) = (s.label.clone(), s.role.clone());
        let rendered = format!("{rendered_label} {}", paras[0]);
        let written = format!("{written_label} {}", paras[0]);
        let para_start = body.push(&rendered, &written);
        let start = para_start + char_len(&rendered_label) + 1;
        for p in &paras[1..] {
            body.push(p, p);
        }
        turn_no += 1;
        encode(
            &Record::Turn {
                turn: turn_no,
                speaker: Some(speaker),
                role: Some(role),
                body: paras.join("\n\n"),
                start,
            },
            buf,
        );
    }
    turn_no
}
