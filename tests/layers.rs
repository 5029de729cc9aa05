//! The library's modules are layered one way: a module may use modules of
//! its own layer or the layers below, never one above, and no two modules
//! use each other (directly or round a longer circle). ARCHITECTURE.md draws
//! the same layers; this test reads every `crate::` path in `src/` (outside
//! the command line and unit tests) and fails on a module that breaks them.
//!
//! It also holds two other rules of the library that no compiler checks:
//! the library never prints and never reads the environment, and no file of
//! it is too long to hold in one's head.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first, and the top-level modules in each.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &[
            "error",
            "text",
            "normalize",
            "files",
            "suggest",
            "table",
            "analysis",
            "progress",
        ],
    ),
    (
        "documents",
        &["transcript", "project", "corpus", "query", "filter"],
    ),
    (
        "project data",
        &[
            "cases",
            "codebook",
            "coding",
            "logic_model",
            "pseudonyms",
            "index",
            "search",
        ],
    ),
    (
        "analyses",
        &[
            "anchor",
            "autocode",
            "marks",
            "agreement",
            "consensus",
            "evidence",
            "quotes",
            "privacy",
        ],
    ),
    ("outputs", &["record", "report", "export"]),
    ("the library's front door", &["workspace"]),
];

/// The longest a library file may be before its unit tests, in lines.
const MAX_LINES: usize = 720;

struct Source {
    /// The file, relative to `src/`.
    rel: PathBuf,
    /// Its top-level module (`coding` for `coding/store.rs`).
    module: String,
    /// The code before its unit tests, comments removed, by line.
    lines: Vec<String>,
}

fn library_sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|full| {
            let rel = full.strip_prefix(&src).unwrap().to_path_buf();
            let first = rel.components().next()?.as_os_str().to_str()?.to_string();
            let module = first.trim_end_matches(".rs").to_string();
            // The command line, the crate root, and unit tests kept in a
            // file of their own (`#[cfg(test)] mod tests;`) are not layered.
            if matches!(module.as_str(), "cli" | "main" | "lib")
                || rel.file_name().is_some_and(|n| n == "tests.rs")
            {
                return None;
            }
            let text = std::fs::read_to_string(&full).unwrap();
            let code = before_tests(&text);
            let lines = code.lines().map(strip_comment).collect();
            Some(Source { rel, module, lines })
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Returns the text before a trailing `#[cfg(test)] mod tests`.
fn before_tests(text: &str) -> &str {
    let mut at = 0;
    while let Some(i) = text[at..].find("#[cfg(test)]") {
        let i = at + i;
        let rest = text[i + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod ") {
            return &text[..i];
        }
        at = i + 1;
    }
    text
}

/// Removes a `//` comment (outside a string literal) from a line.
fn strip_comment(line: &str) -> String {
    let mut in_str = false;
    let mut prev = '\0';
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '"' && prev != '\\' {
            in_str = !in_str;
        }
        if !in_str && c == '/' && chars.get(i + 1) == Some(&'/') {
            return chars[..i].iter().collect();
        }
        prev = if prev == '\\' && c == '\\' { '\0' } else { c };
    }
    line.to_string()
}

/// Returns the top-level modules a line names through `crate::`.
fn crate_paths(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first segment of each item.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            out.push(first_segment(&item));
        } else {
            out.push(first_segment(after));
        }
        rest = after;
    }
    out.retain(|m| !m.is_empty());
    out
}

fn first_segment(s: &str) -> String {
    s.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn layer_of() -> BTreeMap<&'static str, usize> {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, (_, modules))| modules.iter().map(move |m| (*m, i)))
        .collect()
}

/// The edges `from → to` between top-level modules, with where each is seen.
fn edges(sources: &[Source]) -> BTreeMap<(String, String), Vec<String>> {
    let mut edges: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for s in sources {
        for (n, line) in s.lines.iter().enumerate() {
            for target in crate_paths(line) {
                if target != s.module {
                    edges
                        .entry((s.module.clone(), target))
                        .or_default()
                        .push(format!("src/{}:{}", s.rel.display(), n + 1));
                }
            }
        }
    }
    edges
}

#[test]
fn every_module_has_a_layer_and_uses_none_above_it() {
    let sources = library_sources();
    let layers = layer_of();
    let mut problems = Vec::new();
    let modules: BTreeSet<&str> = sources.iter().map(|s| s.module.as_str()).collect();
    for m in &modules {
        if !layers.contains_key(m) {
            problems.push(format!(
                "module `{m}` has no layer: add it to LAYERS in tests/layers.rs and to the layer drawing in ARCHITECTURE.md"
            ));
        }
    }
    for ((from, to), places) in edges(&sources) {
        let Some(&to_layer) = layers.get(to.as_str()) else {
            problems.push(format!(
                "{}: `crate::{to}` names no module of a layer (items re-exported at the crate root are for users of the library; inside it, name the module)",
                places[0]
            ));
            continue;
        };
        let Some(&from_layer) = layers.get(from.as_str()) else {
            continue;
        };
        if to_layer > from_layer {
            problems.push(format!(
                "`{from}` ({}) uses `{to}` ({}), a layer above it, at {}",
                LAYERS[from_layer].0,
                LAYERS[to_layer].0,
                places.join(", ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_two_modules_use_each_other() {
    let sources = library_sources();
    let edges = edges(&sources);
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        graph.entry(from).or_default().insert(to);
    }
    // Tarjan's strongly connected components.
    struct State<'a> {
        graph: &'a BTreeMap<&'a str, BTreeSet<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        circles: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let graph = s.graph;
        for &w in graph.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut circle = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                circle.push(w);
                if w == v {
                    break;
                }
            }
            if circle.len() > 1 {
                circle.sort();
                s.circles.push(circle);
            }
        }
    }
    let mut state = State {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        circles: Vec::new(),
    };
    let nodes: Vec<&str> = graph.keys().copied().collect();
    for v in nodes {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    let described: Vec<String> = state
        .circles
        .iter()
        .map(|c| {
            let inside: Vec<String> = edges
                .iter()
                .filter(|((f, t), _)| c.contains(&f.as_str()) && c.contains(&t.as_str()))
                .map(|((f, t), places)| format!("  {f} → {t} ({})", places[0]))
                .collect();
            format!(
                "modules {} use each other:\n{}",
                c.join(", "),
                inside.join("\n")
            )
        })
        .collect();
    assert!(described.is_empty(), "{}", described.join("\n"));
}

#[test]
fn the_library_never_prints_nor_reads_the_environment() {
    let forbidden = [
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
        "dbg!(",
        "std::env::var",
        "env::var(",
        "std::io::stdout",
        "std::io::stderr",
        "clap::",
    ];
    let mut problems = Vec::new();
    for s in library_sources() {
        for (n, line) in s.lines.iter().enumerate() {
            for f in forbidden {
                if line.contains(f) {
                    problems.push(format!("src/{}:{}: {f}", s.rel.display(), n + 1));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the library must not print or read the environment (the CLI does):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_library_s_errors_are_typed() {
    let mut problems = Vec::new();
    for s in library_sources() {
        for (n, line) in s.lines.iter().enumerate() {
            if line.contains("Error::Invalid(") {
                problems.push(format!("src/{}:{}", s.rel.display(), n + 1));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the library returns typed errors a front end can word and act on; add a variant to error::Error instead of Error::Invalid:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_library_file_is_too_long() {
    let long: Vec<String> = library_sources()
        .iter()
        .filter(|s| s.lines.len() > MAX_LINES)
        .map(|s| {
            format!(
                "src/{}: {} lines before its tests",
                s.rel.display(),
                s.lines.len()
            )
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines: split them along their seams\n{}",
        long.join("\n")
    );
}

#[test]
fn crate_paths_are_read_from_use_groups() {
    assert_eq!(
        crate_paths("use crate::{error::Error, text::{Span, line_of}, index};"),
        ["error", "text", "index"]
    );
    assert_eq!(
        crate_paths("let x = crate::suggest::nearest(a, crate::text::plural(1));"),
        ["suggest", "text"]
    );
    assert_eq!(
        strip_comment("let a = \"//\"; // crate::x"),
        "let a = \"//\"; "
    );
}
