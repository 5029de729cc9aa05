//! The codebook: themes to code transcripts with, written in Markdown.
//!
//! Every `codebooks/*.md` file is read with pulldown-cmark. A level-1
//! heading at the top is the codebook's title; each level-2 heading is a
//! code, and deeper headings are its children (the path is `parent/child`).
//! Under a heading: the definition (the paragraphs before any label), then
//! optional labelled parts, each a label paragraph followed by a list or
//! with its text on the same line:
//!
//! ```markdown
//! ## Speed
//! How quickly a need is met once it is known.
//!
//! Include:
//! - same-day purchases
//!
//! Exclude:
//! - speed of the referral process (use Administration and workload)
//!
//! Example:
//! - "I rang the landlord straight away" (nb-fg-sw-01, turn 46)
//!
//! Keywords: `"straight away" OR quick* OR "same day"`
//! ```
//!
//! Loading never fails on a questionable codebook: problems (duplicate
//! names, missing definitions, which are notes) are collected for
//! `realist codebook check`; only unreadable files are errors. A code's
//! path is its name under its parents' names, joined by `/`; a name may
//! have a `/` in it (`PDP/ICE`) unless its path then reads as a child of
//! a code it is not under, which `check` reports. A heading
//! with no name is no code (nor are the headings under it): it is such a
//! problem. Loading takes time in proportion to the codebook's size, however
//! many codes it has.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::error::{Error, Kind, Problem, Result};
use crate::text::LineIndex;

/// One code of the codebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The full path, `Parent/Child`.
    pub path: String,
    /// The heading text.
    pub name: String,
    /// The parent's path, for child codes.
    pub parent: Option<String>,
    /// The definition paragraphs, joined by a blank line.
    pub definition: String,
    /// Inclusion criteria.
    pub include: Vec<String>,
    /// Exclusion criteria.
    pub exclude: Vec<String>,
    /// Example quotes.
    pub examples: Vec<String>,
    /// A search query that finds candidate passages.
    pub keywords: Option<String>,
    /// The codebook file.
    pub file: PathBuf,
    /// The heading's line in that file.
    pub line: usize,
}

/// All codes of a project, in the order written (files in name order).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Codebook {
    /// Titles of the codebook files.
    pub titles: Vec<String>,
    /// Codes by path; the first of duplicate paths wins.
    pub codes: IndexMap<String, Code>,
    /// Problems found while reading (also reported by `codebook check`).
    pub problems: Vec<Problem>,
    /// The path of the first code with each name, lower-cased.
    #[serde(skip)]
    names: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Definition,
    Include,
    Exclude,
    Example,
    Keywords,
}

impl Part {
    fn from_label(text: &str) -> Option<(Part, &str)> {
        let (label, rest) = text.split_once(':')?;
        let part = match label.trim().to_lowercase().as_str() {
            "include" | "includes" | "inclusion" => Part::Include,
            "exclude" | "excludes" | "exclusion" => Part::Exclude,
            "example" | "examples" => Part::Example,
            "keywords" | "keyword" => Part::Keywords,
            _ => return None,
        };
        Some((part, rest.trim()))
    }
}

/// Which codes coders applied, how often and by whom: what the codebook
/// needs to know of the coder files to check itself and to order codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// Code path → its use, in code path order.
    pub codes: BTreeMap<String, Used>,
}

/// The use of one code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Used {
    /// The coders who applied it, in the order first met.
    pub coders: Vec<String>,
    /// How many codings apply it.
    pub codings: usize,
}

impl Usage {
    /// Counts `(coder, code)` pairs, one per coding.
    pub fn of<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Usage {
        let mut usage = Usage::default();
        for (coder, code) in pairs {
            let used = usage.codes.entry(code.to_string()).or_default();
            used.codings += 1;
            if !used.coders.iter().any(|c| c == coder) {
                used.coders.push(coder.to_string());
            }
        }
        usage
    }
}

impl Codebook {
    /// Returns the codebook made of every `*.md` file in `dir` (name order);
    /// an empty codebook when the folder does not exist.
    pub fn load(dir: &Path) -> Result<Codebook> {
        let mut book = Codebook::default();
        if !dir.is_dir() {
            return Ok(book);
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?;
            // Name files as the researcher sees them: codebooks/NAME.md.
            let shown = match (dir.file_name(), file.file_name()) {
                (Some(d), Some(f)) => Path::new(d).join(f),
                _ => file.clone(),
            };
            book.add_file(&shown, &text);
        }
        Ok(book)
    }

    /// Adds the codes of one codebook file (`path` is used in messages).
    pub fn add_file(&mut self, path: &Path, text: &str) {
        let lines = LineIndex::new(text.as_bytes());
        // (level, path, line) of the headings above the current one; no
        // path for a heading with no name.
        let mut stack: Vec<(HeadingLevel, Option<String>, usize)> = Vec::new();
        // The code being read, and its keyword queries so far.
        let mut current: Option<(Code, Vec<String>)> = None;
        let mut part = Part::Definition;
        let mut buf = String::new();
        let mut in_heading: Option<(HeadingLevel, usize)> = None;
        let mut in_item = 0usize;
        let mut seen_code = false;

        for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    buf.clear();
                    in_heading = Some((level, lines.line(range.start)));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let Some((level, line)) = in_heading.take() else {
                        continue;
                    };
                    let name = collapse(&buf);
                    buf.clear();
                    if level == HeadingLevel::H1 && !seen_code {
                        self.titles.push(name);
                        continue;
                    }
                    seen_code = true;
                    if let Some((code, keywords)) = current.take() {
                        self.push(code, keywords);
                    }
                    stack.retain(|(l, _, _)| *l < level);
                    let parent = match stack.last() {
                        Some((_, Some(p), _)) => Some(p.clone()),
                        Some((_, None, unnamed)) => {
                            let message = format!(
                                "code '{name}' is under the heading with no name on line {unnamed}, so it is no code either: name that heading"
                            );
                            self.problem(Kind::EmptyName, path, line, message);
                            stack.push((level, None, *unnamed));
                            continue;
                        }
                        None => None,
                    };
                    if name.is_empty() {
                        self.problem(
                            Kind::EmptyName,
                            path,
                            line,
                            "this code heading has no name: write the code's name after the `#` marks, or remove the heading".into(),
                        );
                        stack.push((level, None, line));
                        continue;
                    }
                    let code_path = match &parent {
                        Some(p) => format!("{p}/{name}"),
                        None => name.clone(),
                    };
                    stack.push((level, Some(code_path.clone()), line));
                    current = Some((
                        Code {
                            path: code_path,
                            name,
                            parent,
                            definition: String::new(),
                            include: Vec::new(),
                            exclude: Vec::new(),
                            examples: Vec::new(),
                            keywords: None,
                            file: path.to_path_buf(),
                            line,
                        },
                        Vec::new(),
                    ));
                    part = Part::Definition;
                }
                Event::Start(Tag::Paragraph) if in_item == 0 => buf.clear(),
                Event::End(TagEnd::Paragraph) if in_item == 0 => {
                    let para = collapse(&buf);
                    buf.clear();
                    let Some((code, keywords)) = current.as_mut() else {
                        continue;
                    };
                    match Part::from_label(&para) {
                        Some((p, rest)) => {
                            part = p;
                            if !rest.is_empty() {
                                add_to(code, keywords, part, rest.to_string());
                            }
                        }
                        None if part == Part::Definition => {
                            if !code.definition.is_empty() {
                                code.definition.push_str("\n\n");
                            }
                            code.definition.push_str(&para);
                        }
                        None => add_to(code, keywords, part, para),
                    }
                }
                Event::Start(Tag::Item) => {
                    in_item += 1;
                    buf.clear();
                }
                Event::End(TagEnd::Item) => {
                    in_item -= 1;
                    let item = collapse(&buf);
                    buf.clear();
                    if let (Some((code, keywords)), false) = (current.as_mut(), item.is_empty()) {
                        add_to(code, keywords, part, item);
                    }
                }
                Event::Text(t) | Event::Code(t) => buf.push_str(&t),
                Event::SoftBreak | Event::HardBreak => buf.push(' '),
                _ => {}
            }
        }
        if let Some((code, keywords)) = current.take() {
            self.push(code, keywords);
        }
    }

    fn problem(&mut self, kind: Kind, path: &Path, line: usize, message: String) {
        self.problems.push(Problem {
            kind,
            error: true,
            path: Some(path.to_path_buf()),
            line: Some(line),
            message,
        });
    }

    /// Adds a code read whole, with its keyword queries (OR-ed, each in
    /// brackets when there are several: a flat query however many).
    fn push(&mut self, mut code: Code, keywords: Vec<String>) {
        code.keywords = match keywords.len() {
            0 => None,
            1 => keywords.into_iter().next(),
            _ => Some(
                keywords
                    .iter()
                    .map(|k| format!("({k})"))
                    .collect::<Vec<_>>()
                    .join(" OR "),
            ),
        };
        if code.definition.is_empty() {
            // Code systems brought from other tools often have none: worth
            // a note, not a failed check that buries real problems.
            self.problems.push(Problem::warning(
                Kind::Definition,
                &code.file,
                Some(code.line),
                format!("code '{}' has no definition", code.path),
            ));
        }
        if let Some(first) = self.codes.get(&code.path) {
            let message = format!(
                "code '{}' is defined twice (first at {}:{})",
                code.path,
                first.file.display(),
                first.line
            );
            self.problem(Kind::Duplicate, &code.file.clone(), code.line, message);
            return;
        }
        let first_named = self
            .names
            .entry(code.name.to_lowercase())
            .or_insert_with(|| code.path.clone());
        if let Some(other) = self.codes.get(first_named.as_str()) {
            let message = format!(
                "code name '{}' is also used by '{}' ({}:{}); coders may confuse them",
                code.name,
                other.path,
                other.file.display(),
                other.line
            );
            self.problem(Kind::DuplicateName, &code.file.clone(), code.line, message);
        }
        self.codes.insert(code.path.clone(), code);
    }

    /// Returns everything `realist codebook check` reports, in this order:
    /// problems found while reading, keyword queries that do not parse
    /// (`check_query` says why), codes coders used but missing from the
    /// codebook (errors), and codes nobody has used yet (notes).
    pub fn check(&self, usage: &Usage, check_query: &dyn Fn(&str) -> Result<()>) -> Vec<Problem> {
        let mut out = self.problems.clone();
        out.extend(self.slashes());
        for code in self.codes.values() {
            let Some(q) = &code.keywords else { continue };
            if let Err(e) = check_query(q) {
                out.push(Problem::error(
                    Kind::Keywords,
                    &code.file,
                    Some(code.line),
                    format!(
                        "keywords of '{}' do not work as a search: {e}: {q}",
                        code.path
                    ),
                ));
            }
        }
        for (code, used) in &usage.codes {
            if !self.codes.contains_key(code) {
                let near = crate::suggest::nearest(code, self.codes.keys().map(String::as_str));
                let hint = match near.first() {
                    Some(near) => format!(
                        "; rename it in the codebook or the coder files (nearest code: '{near}')"
                    ),
                    None => "; add it to a codebook".to_string(),
                };
                out.push(Problem {
                    kind: Kind::MissingCode,
                    error: true,
                    path: None,
                    line: None,
                    message: format!(
                        "code '{code}' is used by {} ({} coding{}) but is not in the codebook{hint}",
                        used.coders.join(", "),
                        used.codings,
                        if used.codings == 1 { "" } else { "s" }
                    ),
                });
            }
        }
        // Every code used, and every code above one.
        let used_below: HashSet<&str> = usage
            .codes
            .keys()
            .flat_map(|u| {
                u.match_indices('/')
                    .map(|(i, _)| &u[..i])
                    .chain([u.as_str()])
            })
            .collect();
        for code in self.codes.values() {
            if !used_below.contains(code.path.as_str()) {
                out.push(Problem::warning(
                    Kind::Unused,
                    &code.file,
                    Some(code.line),
                    format!("code '{}' has not been used yet", code.path),
                ));
            }
        }
        out
    }

    /// Returns the codes whose path reads as another's: a name with `/` in
    /// it (`PDP/ICE`, common in code systems from other tools) is a name
    /// like any other, unless its path then lies under a code that is not
    /// its parent (a code `PDP` beside the code `PDP/ICE`), where choosing
    /// `PDP` would take in `PDP/ICE` too. Errors, naming both codes.
    fn slashes(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for code in self.codes.values().filter(|c| c.name.contains('/')) {
            let own = code.parent.as_deref().map_or(0, |p| p.len() + 1);
            let inside = code.path[own..].match_indices('/').map(|(i, _)| own + i);
            for at in inside {
                let Some(other) = self.codes.get(&code.path[..at]) else {
                    continue;
                };
                out.push(Problem::error(
                    Kind::Slash,
                    &code.file,
                    Some(code.line),
                    format!(
                        "code '{}' reads as a child of '{}' ({}:{}), which it is not under: the '/' in its name separates parent and child codes; rename one of them (for example '{}')",
                        code.path,
                        other.path,
                        other.file.display(),
                        other.line,
                        code.name.replace('/', "-")
                    ),
                ));
                break;
            }
        }
        out
    }

    /// Returns the codes in `usage`: in codebook order, then those missing
    /// from the codebook, sorted.
    pub fn used_in_order(&self, usage: &Usage) -> Vec<String> {
        let mut codes: Vec<String> = self
            .codes
            .keys()
            .filter(|k| usage.codes.contains_key(k.as_str()))
            .cloned()
            .collect();
        codes.extend(
            usage
                .codes
                .keys()
                .filter(|u| !self.codes.contains_key(u.as_str()))
                .cloned(),
        );
        codes
    }

    /// Returns the code with path `path`, or an error suggesting near codes.
    pub fn code(&self, path: &str) -> Result<&Code> {
        if let Some(c) = self.codes.get(path) {
            return Ok(c);
        }
        // Accept a unique match ignoring case, or a unique leaf name.
        let lower = path.to_lowercase();
        let found: Vec<&Code> = self
            .codes
            .values()
            .filter(|c| c.path.to_lowercase() == lower || c.name.to_lowercase() == lower)
            .collect();
        if let [one] = found.as_slice() {
            return Ok(one);
        }
        Err(Error::UnknownCode {
            code: path.to_string(),
            suggestions: crate::suggest::nearest(path, self.codes.keys().map(String::as_str)),
        })
    }
}

fn add_to(code: &mut Code, keywords: &mut Vec<String>, part: Part, text: String) {
    match part {
        Part::Definition => {}
        Part::Include => code.include.push(text),
        Part::Exclude => code.exclude.push(text),
        Part::Example => code.examples.push(text),
        Part::Keywords => keywords.push(text),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = "# Sample codebook

How to use it.

## Speed
How quickly a need is met
once known.

Include:
- same-day purchases
- fast sign-off

Exclude:
- referral delays (use Admin)

Example:
- \"I rang the landlord straight away\" (nb-fg-sw-01, turn 46)

Keywords: `\"straight away\" OR quick*`

### Sign-off
Managers approving spends.

Keywords:
- `approv*`
- `sign-off`

## Admin

## Trust
Confidence between family and worker.

### Sign-off
Duplicate name in another branch.
";

    fn book() -> Codebook {
        let mut b = Codebook::default();
        b.add_file(Path::new("codebooks/a.md"), BOOK);
        b
    }

    #[test]
    fn headings_make_a_tree_with_fields() {
        let b = book();
        assert_eq!(b.titles, vec!["Sample codebook"]);
        let paths: Vec<&str> = b.codes.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            vec![
                "Speed",
                "Speed/Sign-off",
                "Admin",
                "Trust",
                "Trust/Sign-off"
            ]
        );
        let speed = &b.codes["Speed"];
        assert_eq!(speed.definition, "How quickly a need is met once known.");
        assert_eq!(speed.include, vec!["same-day purchases", "fast sign-off"]);
        assert_eq!(speed.exclude, vec!["referral delays (use Admin)"]);
        assert_eq!(speed.examples.len(), 1);
        assert_eq!(
            speed.keywords.as_deref(),
            Some("\"straight away\" OR quick*")
        );
        assert_eq!(speed.line, 5);
        let child = &b.codes["Speed/Sign-off"];
        assert_eq!(child.parent.as_deref(), Some("Speed"));
        assert_eq!(child.keywords.as_deref(), Some("(approv*) OR (sign-off)"));
    }

    #[test]
    fn problems_are_collected_not_fatal() {
        let b = book();
        let msgs: Vec<String> = b.problems.iter().map(|w| w.to_string()).collect();
        // A missing definition is a note; the rest are errors.
        assert!(
            b.problems
                .iter()
                .all(|p| p.error == (p.kind != Kind::Definition))
        );
        assert!(
            msgs.iter()
                .any(|m| m == "codebooks/a.md:28: code 'Admin' has no definition"),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("code name 'Sign-off' is also used by 'Speed/Sign-off'")),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_slash_in_a_name_is_a_problem_only_where_the_path_reads_as_another_codes_child() {
        let check = |text: &str| {
            let mut b = Codebook::default();
            b.add_file(Path::new("codebooks/a.md"), text);
            let got: Vec<String> = b
                .check(&Usage::default(), &|_| Ok(()))
                .into_iter()
                .filter(|p| p.kind == Kind::Slash)
                .map(|p| p.to_string())
                .collect();
            (b, got)
        };
        let (b, got) = check("## PDP/ICE\nPlans.\n\n### Reviews\nHeld.\n\n## Trust\nT.\n");
        assert_eq!(got, Vec::<String>::new());
        assert_eq!(
            b.codes["PDP/ICE/Reviews"].parent.as_deref(),
            Some("PDP/ICE")
        );
        let (_, got) = check("## PDP\nP.\n\n## PDP/ICE\nPlans.\n");
        assert_eq!(
            got,
            [
                "codebooks/a.md:4: code 'PDP/ICE' reads as a child of 'PDP' (codebooks/a.md:1), which it is not under: the '/' in its name separates parent and child codes; rename one of them (for example 'PDP-ICE')"
            ]
        );
        // Under its own parent, only the part of the path below it counts.
        let (_, got) = check("## A\nA.\n\n### B/C\nx.\n\n## Z\nz.\n");
        assert_eq!(got, Vec::<String>::new());
        let (_, got) = check("## A\nA.\n\n### B\nb.\n\n### B/C\nx.\n");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn a_heading_with_no_name_is_no_code_nor_are_those_under_it() {
        let mut b = Codebook::default();
        let text = "## Speed\nFast.\n\n##  \nNo name.\n\n### Child\nUnder it.\n\n#### Grandchild\nDeeper.\n\n## <!-- none -->\nA comment only.\n\n## Trust\nConfidence.\n";
        b.add_file(Path::new("codebooks/a.md"), text);
        let paths: Vec<&str> = b.codes.keys().map(String::as_str).collect();
        assert_eq!(paths, ["Speed", "Trust"]);
        let got: Vec<String> = b.problems.iter().map(Problem::to_string).collect();
        assert_eq!(
            got,
            [
                "codebooks/a.md:4: this code heading has no name: write the code's name after the `#` marks, or remove the heading",
                "codebooks/a.md:7: code 'Child' is under the heading with no name on line 4, so it is no code either: name that heading",
                "codebooks/a.md:10: code 'Grandchild' is under the heading with no name on line 4, so it is no code either: name that heading",
                "codebooks/a.md:13: this code heading has no name: write the code's name after the `#` marks, or remove the heading",
            ]
        );
        assert!(
            b.problems
                .iter()
                .all(|p| p.kind == Kind::EmptyName && p.error)
        );
    }

    #[test]
    fn many_keywords_make_one_flat_query_and_many_codes_load_in_one_pass() {
        let items: String = (0..200).map(|i| format!("- `w{i}`\n")).collect();
        let mut b = Codebook::default();
        b.add_file(
            Path::new("codebooks/a.md"),
            &format!("## K\nMany.\n\nKeywords:\n{items}"),
        );
        let q = b.codes["K"].keywords.clone().unwrap();
        assert!(q.starts_with("(w0) OR (w1) OR (w2)") && q.ends_with("OR (w199)"));
        assert!(crate::query::parse(&q).is_ok(), "flat, not 200 deep");

        // Names repeated across branches are found without comparing every
        // pair, and the first code with the name is the one named.
        let text: String = (0..3000)
            .map(|i| format!("## Top {i}\nT.\n\n### Shared\nS.\n\n"))
            .collect();
        let mut b = Codebook::default();
        b.add_file(Path::new("codebooks/b.md"), &text);
        assert_eq!(b.codes.len(), 6000);
        assert_eq!(b.problems.len(), 2999);
        assert_eq!(
            b.problems[0].to_string(),
            "codebooks/b.md:10: code name 'Shared' is also used by 'Top 0/Shared' (codebooks/b.md:4); coders may confuse them"
        );
        let usage = Usage::of([("ana", "Top 7/Shared")]);
        let unused = b
            .check(&usage, &|_| Ok(()))
            .into_iter()
            .filter(|p| p.kind == Kind::Unused)
            .count();
        assert_eq!(unused, 6000 - 2, "the code used and its parent are used");
    }

    #[test]
    fn unknown_codes_suggest_near_ones() {
        let b = book();
        assert_eq!(b.code("speed").unwrap().path, "Speed");
        assert_eq!(b.code("Trust/Sign-off").unwrap().path, "Trust/Sign-off");
        let e = b.code("Sped").unwrap_err().to_string();
        assert_eq!(e, "unknown code 'Sped' (did you mean 'Speed'?)");
        assert!(b.code("Sign-off").is_err(), "ambiguous leaf name");
    }
}
