//! YAML front matter: the `---` block at the top of a transcript.
//!
//! Quarto and R Markdown users already describe documents this way. Keys
//! become the document's attributes; two keys are reserved: `id` (the
//! document id) and `speakers` (a mapping from speaker label to role).
//! Attribute values are text or lists of text; YAML numbers, dates and
//! booleans are kept as they were written.
//!
//! Front matter is small, and a transcript is user data: it is refused,
//! naming its line, when it is longer than [`MAX_BYTES`], nests lists and
//! mappings deeper than [`MAX_DEPTH`] (yaml-rust2's loader recurses once
//! per level, so a deep one would overflow the stack), or has aliases
//! (`*name`) that repeat more than [`MAX_ALIASED`] bytes (the loader copies
//! an alias's value each time, so nine levels of nine aliases, a "billion
//! laughs", would take all the memory). The limits are checked on the
//! parser's events, which are read one by one without recursion, before
//! anything is built.

use std::collections::HashMap;
use std::path::Path;

use indexmap::IndexMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::ScanError;
use yaml_rust2::{Yaml, YamlLoader};

use super::AttrValue;
use super::layout::{Labels, Layout};
use crate::error::{Error, Result};

/// The most bytes front matter may have, between its `---` lines (64 KiB).
pub const MAX_BYTES: usize = 64 * 1024;

/// The deepest lists and mappings of front matter may nest (the front
/// matter itself is the first level; `speakers:` the second).
pub const MAX_DEPTH: usize = 16;

/// The most bytes the aliases of front matter may repeat in all: each
/// alias counts the values it repeats, each value its length plus one.
pub const MAX_ALIASED: usize = 64 * 1024;

/// What the front matter declared.
#[derive(Debug, Default)]
pub struct FrontMatter {
    /// The `id:` key, if given.
    pub id: Option<String>,
    /// The `speakers:` mapping of label to role.
    pub speakers: IndexMap<String, String>,
    /// `layout:`, how the body is cut into paragraphs.
    pub layout: Option<Layout>,
    /// `unlabelled:`, who says text without a label.
    pub unlabelled: Option<String>,
    /// `labels:`, which labels open a turn.
    pub labels: Option<Labels>,
    /// Every other key, in the order written.
    pub attributes: IndexMap<String, AttrValue>,
}

/// Splits `text` into front matter and body.
///
/// Returns the parsed front matter, the body, and the 1-based line on which
/// the body starts. A text that does not start with a `---` line has no front
/// matter.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<(FrontMatter, &'a str, usize)> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok((FrontMatter::default(), text, 1)),
    }
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let yaml_start = offset;
    let mut line = 1;
    for l in lines {
        line += 1;
        let trimmed = l.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &text[yaml_start..offset];
            let front = parse(path, yaml)?;
            return Ok((front, &text[offset + l.len()..], line + 1));
        }
        offset += l.len();
        if offset - yaml_start > MAX_BYTES {
            return Err(Error::FrontMatterTooLong {
                path: path.to_path_buf(),
                line,
                limit: MAX_BYTES,
            });
        }
    }
    Err(Error::Transcript {
        path: path.to_path_buf(),
        line: 1,
        message:
            "front matter opened with `---` is never closed: add a line `---` after the last key"
                .into(),
    })
}

/// Parses the YAML between the `---` lines; YAML line 1 is file line 2.
fn parse(path: &Path, yaml: &str) -> Result<FrontMatter> {
    let err = |line: usize, message: String| Error::Transcript {
        path: path.to_path_buf(),
        line,
        message,
    };
    check_limits(path, yaml)?;
    let docs = YamlLoader::load_from_str(yaml).map_err(|e| malformed(path, &e))?;
    let mut front = FrontMatter::default();
    let map = match docs.into_iter().next() {
        None | Some(Yaml::Null) => return Ok(front),
        Some(Yaml::Hash(map)) => map,
        Some(_) => {
            return Err(err(
                2,
                "front matter must be `key: value` lines (a YAML mapping)".into(),
            ));
        }
    };
    for (key, value) in map {
        let Some(key) = scalar(&key) else {
            return Err(err(2, "front matter keys must be plain words".into()));
        };
        // Looked for only when there is something to report.
        let line = || key_line(yaml, &key);
        match key.as_str() {
            "id" => match scalar(&value) {
                Some(id) => front.id = Some(id),
                None => {
                    return Err(err(
                        line(),
                        "`id` must be a single word such as `fg-north-01`".into(),
                    ));
                }
            },
            "speakers" => match value {
                Yaml::Hash(roles) => {
                    for (label, role) in roles {
                        match (scalar(&label), scalar(&role)) {
                            (Some(label), Some(role)) => {
                                front.speakers.insert(label, role);
                            }
                            _ => {
                                return Err(err(
                                    line(),
                                    "`speakers` maps each speaker label to a role, e.g. `SW1: social worker`"
                                        .into(),
                                ));
                            }
                        }
                    }
                }
                Yaml::Null => {}
                _ => {
                    return Err(err(
                        line(),
                        "`speakers` maps each speaker label to a role, e.g. `SW1: social worker`"
                            .into(),
                    ));
                }
            },
            "layout" => match scalar(&value).as_deref().and_then(Layout::named) {
                Some(layout) => front.layout = Some(layout),
                None => {
                    return Err(err(
                        line(),
                        "`layout` is `paragraphs` (blank lines between paragraphs, the default) or `lines` (every line its own paragraph)".into(),
                    ));
                }
            },
            "unlabelled" => match scalar(&value) {
                Some(name) if !name.trim().is_empty() && !name.contains('\n') => {
                    front.unlabelled = Some(name.trim().to_string());
                }
                _ => {
                    return Err(err(
                        line(),
                        "`unlabelled` names the speaker of text without a label, e.g. `unlabelled: P4`".into(),
                    ));
                }
            },
            "labels" => match scalar(&value).as_deref().and_then(Labels::named) {
                Some(labels) => front.labels = Some(labels),
                None => {
                    return Err(err(
                        line(),
                        "`labels` is `any` (every label the pattern finds, the default) or `listed` (only the labels under `speakers:`)".into(),
                    ));
                }
            },
            _ => {
                let value = match value {
                    Yaml::Array(items) => {
                        let mut list = Vec::with_capacity(items.len());
                        for item in &items {
                            match scalar(item) {
                                Some(s) => list.push(s),
                                None => {
                                    return Err(err(
                                        line(),
                                        format!(
                                            "`{key}`: list items must be plain values, not lists or mappings"
                                        ),
                                    ));
                                }
                            }
                        }
                        AttrValue::List(list)
                    }
                    Yaml::Hash(_) => {
                        return Err(err(
                            line(),
                            format!(
                                "`{key}` is a nested mapping; attributes must be a value or a list of values"
                            ),
                        ));
                    }
                    other => AttrValue::Text(scalar(&other).unwrap_or_default()),
                };
                front.attributes.insert(key, value);
            }
        }
    }
    Ok(front)
}

/// Returns the error for YAML that does not parse; YAML line 1 is file line 2.
fn malformed(path: &Path, e: &ScanError) -> Error {
    let m = e.marker();
    Error::Transcript {
        path: path.to_path_buf(),
        line: m.line() + 1,
        message: format!(
            "malformed front matter (column {}): {}",
            m.col() + 1,
            e.info()
        ),
    }
}

/// Refuses front matter nested deeper than [`MAX_DEPTH`] or whose aliases
/// repeat more than [`MAX_ALIASED`] bytes, reading the parser's events one
/// by one (nothing is built, and nothing recurses).
fn check_limits(path: &Path, yaml: &str) -> Result<()> {
    let mut parser = Parser::new_from_str(yaml);
    // The size so far of each open list or mapping, with its anchor.
    let mut open: Vec<(usize, usize)> = Vec::new();
    // The size of each anchored value.
    let mut anchored: HashMap<usize, usize> = HashMap::new();
    let mut repeated = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| malformed(path, &e))?;
        let (line, column) = (mark.line() + 1, mark.col() + 1);
        let size = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(Error::FrontMatterTooDeep {
                        path: path.to_path_buf(),
                        line,
                        column,
                        limit: MAX_DEPTH,
                    });
                }
                open.push((1, anchor));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((size, anchor)) = open.pop() else {
                    continue;
                };
                if anchor > 0 {
                    anchored.insert(anchor, size);
                }
                size
            }
            Event::Scalar(value, _, anchor, _) => {
                let size = value.len() + 1;
                if anchor > 0 {
                    anchored.insert(anchor, size);
                }
                size
            }
            Event::Alias(anchor) => {
                // An alias of a value still open (`&a [*a]`) is loaded as
                // nothing; count it as one.
                let size = anchored.get(&anchor).copied().unwrap_or(1);
                repeated = repeated.saturating_add(size);
                if repeated > MAX_ALIASED {
                    return Err(Error::FrontMatterAliases {
                        path: path.to_path_buf(),
                        line,
                        column,
                        limit: MAX_ALIASED,
                    });
                }
                size
            }
            _ => continue,
        };
        if let Some((total, _)) = open.last_mut() {
            *total = total.saturating_add(size);
        }
    }
}

/// Returns a scalar as text, as it was written; `None` for lists and maps.
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        Yaml::Null => Some(String::new()),
        _ => None,
    }
}

/// Returns the file line on which `key:` is written (the YAML starts on line 2).
fn key_line(yaml: &str, key: &str) -> usize {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(2, |i| i + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_ok(text: &str) -> (FrontMatter, String, usize) {
        let (f, body, line) = split(Path::new("t.md"), text).unwrap();
        (f, body.to_string(), line)
    }

    fn split_err(text: &str) -> String {
        split(Path::new("t.md"), text).unwrap_err().to_string()
    }

    #[test]
    fn reads_attributes_id_and_speakers() {
        let (f, body, line) = split_ok(
            "---\nid: fg-1\nsite: Northbrook\ndate: 2025-03-12\nn: 4\nroles: [social worker, parent]\nspeakers:\n  SW1: social worker\n---\nbody\n",
        );
        assert_eq!(f.id.as_deref(), Some("fg-1"));
        assert_eq!(f.speakers["SW1"], "social worker");
        assert_eq!(f.attributes["site"], AttrValue::Text("Northbrook".into()));
        assert_eq!(f.attributes["date"], AttrValue::Text("2025-03-12".into()));
        assert_eq!(f.attributes["n"], AttrValue::Text("4".into()));
        assert_eq!(
            f.attributes["roles"],
            AttrValue::List(vec!["social worker".into(), "parent".into()])
        );
        assert_eq!(body, "body\n");
        assert_eq!(line, 10);
    }

    #[test]
    fn no_front_matter_means_whole_text_is_body() {
        let (f, body, line) = split_ok("Interviewer: hi\n");
        assert!(f.attributes.is_empty() && f.id.is_none());
        assert_eq!((body.as_str(), line), ("Interviewer: hi\n", 1));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            split_err("---\nsite: [unclosed\n---\n"),
            "t.md:3: malformed front matter (column 1): while parsing a flow sequence, expected ',' or ']'"
        );
        assert!(split_err("---\nsite: x\n").starts_with("t.md:1: front matter opened"));
        assert!(
            split_err("---\nsite: x\nnested:\n  a: b\n---\n")
                .starts_with("t.md:3: `nested` is a nested mapping")
        );
        assert!(split_err("---\n- a\n- b\n---\n").starts_with("t.md:2: front matter must be"));
    }

    #[test]
    fn limits_name_the_line_and_column() {
        // Sixteen levels is the most: the front matter's mapping and fifteen
        // lists are loaded (and then refused as an attribute).
        let nested = |n: usize| format!("---\nk: {}x{}\n---\n", "[".repeat(n), "]".repeat(n));
        assert!(split_err(&nested(15)).starts_with("t.md:2: `k`: list items must be plain"));
        assert!(split_err(&nested(16)).starts_with(
            "t.md:2: the front matter nests lists and mappings more than 16 deep (column 19)"
        ));
        // Aliases of values still open, and undefined ones, do not crash.
        assert!(split_err("---\na: &a [*a]\n---\n").contains("list items must be plain"));
        assert!(split_err("---\na: *nowhere\n---\n").starts_with("t.md:2: malformed"));
        // Exactly the limit of repeated bytes is fine, one more is not: a
        // value of 99 bytes counts 100.
        let value = "v".repeat(99);
        let aliases = |n: usize| {
            format!(
                "---\nv: &v {value}\nk: [{}]\n---\n",
                vec!["*v"; n].join(",")
            )
        };
        let (f, _, _) = split_ok(&aliases(MAX_ALIASED / 100));
        assert_eq!(
            f.attributes["k"],
            AttrValue::List(vec![value.clone(); MAX_ALIASED / 100])
        );
        let e = split_err(&aliases(MAX_ALIASED / 100 + 1));
        assert!(e.starts_with("t.md:3: the front matter's aliases"), "{e}");
        // The size counts the lines between the `---` lines: 64 lines of
        // 1,024 bytes are the most.
        let lines = |n: usize| -> String {
            (0..n)
                .map(|i| format!("k{i:03}: {}\n", "x".repeat(1017)))
                .collect()
        };
        assert_eq!(lines(64).len(), MAX_BYTES);
        let (f, body, _) = split_ok(&format!("---\n{}---\nbody\n", lines(64)));
        assert_eq!((f.attributes.len(), body.as_str()), (64, "body\n"));
        assert!(
            split_err(&format!("---\n{}---\n", lines(65)))
                .starts_with("t.md:66: the front matter is longer than 65536 bytes")
        );
    }
}
