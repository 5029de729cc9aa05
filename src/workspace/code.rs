//! Coding: adding codings by hand, from search hits or from a file,
//! removing them, listing them, and re-anchoring them after edits.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Workspace, now};
use crate::anchor::{self, Checked, Report, Stale};
use crate::autocode::{self, AutoCode, Spread};
use crate::coding::{self, CoderFile, Coding, Target, store};
use crate::error::{Error, Kind, Problem, Result};
use crate::filter::Filter;
use crate::record::{CodeOrPath, CodeUse, Coded};
use crate::search::SearchOptions;
use crate::text::Span;

/// Codings to add by hand (`realist code add`).
#[derive(Debug, Clone)]
pub struct NewCodings {
    /// The coder.
    pub coder: String,
    /// The code, by path or unique name.
    pub code: String,
    /// What to code; all of them or, on any error, none.
    pub targets: Vec<Target>,
    /// A note kept with each coding.
    pub memo: Option<String>,
}

/// Codings to make from every occurrence of a query (`realist code hits`).
#[derive(Debug, Clone)]
pub struct CodeHits {
    /// The coder.
    pub coder: String,
    /// The code, by path or unique name.
    pub code: String,
    /// The query; `None` means the code's keywords.
    pub query: Option<String>,
    /// How to search (filters, speakers, exact words); its query is
    /// replaced by `query`.
    pub search: SearchOptions,
    /// How far each coding reaches.
    pub spread: Spread,
    /// A note kept with each coding.
    pub memo: Option<String>,
    /// Work out what would be added, and write nothing.
    pub dry_run: bool,
}

/// What a coding operation added (or, in a dry run, would add).
#[derive(Debug, Clone)]
pub struct Saved {
    /// The totals (`"type":"coded"`).
    pub coded: Coded,
    /// The codings added, with their final ids.
    pub added: Vec<Coding>,
    /// The coder's codings whose anchors are stale after the change.
    pub stale: Vec<Stale>,
}

/// Codings as `realist codings` lists them.
#[derive(Debug, Clone)]
pub struct Listing {
    /// Coder and coding, by document, start, code, end and coder.
    pub rows: Vec<(String, Coding)>,
    /// The stale anchors among the listed coders' codings, by (coder, id).
    pub stale: HashMap<(String, String), String>,
    /// The same, in document order, for a warning.
    pub stale_list: Vec<Stale>,
}

/// One line of a file of codings to import.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    doc: String,
    start: usize,
    end: usize,
    code: String,
    #[serde(default)]
    memo: Option<String>,
    #[serde(default)]
    quote: Option<String>,
    // Fields of realist's own coding records, accepted and not used.
    #[serde(default, rename = "type")]
    _type: IgnoredAny,
    #[serde(default, rename = "id")]
    _id: IgnoredAny,
    #[serde(default, rename = "coder")]
    _coder: IgnoredAny,
    #[serde(default, rename = "before")]
    _before: IgnoredAny,
    #[serde(default, rename = "after")]
    _after: IgnoredAny,
    #[serde(default, rename = "created")]
    _created: IgnoredAny,
    #[serde(default, rename = "rev")]
    _rev: IgnoredAny,
    #[serde(default, rename = "unplaced")]
    _unplaced: IgnoredAny,
    #[serde(default, rename = "stale")]
    _stale: IgnoredAny,
}

impl Workspace {
    /// Returns the codings of `files` whose anchors are stale: their
    /// document is gone, their quote no longer sits at their offsets, or
    /// `realist check` could not place them.
    pub fn stale(&self, files: &[CoderFile]) -> Result<Vec<Stale>> {
        anchor::stale(self.index(), files)
    }

    /// Adds `codings` to `coder`'s file (the one save path,
    /// [`store::add`]: under its lock, skipping spans the same code already
    /// covers; only reading it in a dry run), then finds the file's stale
    /// anchors. Every coding operation of the workspace ends here.
    pub fn save(
        &self,
        coder: &str,
        code: Option<&str>,
        codings: Vec<Coding>,
        dry_run: bool,
    ) -> Result<Saved> {
        let done = store::add(self.project(), coder, codings, dry_run)?;
        let stale = self.stale(std::slice::from_ref(&done.file))?;
        Ok(Saved {
            coded: Coded {
                coder: coder.to_string(),
                code: code.map(str::to_string),
                added: done.added.len(),
                already: done.skipped,
                dry_run,
            },
            added: done.added,
            stale,
        })
    }

    /// Codes the targets of `new` (turns, offsets or a quote): all of them,
    /// or on any error none.
    pub fn add_codings(&self, new: &NewCodings) -> Result<Saved> {
        coding::check_coder(&new.coder)?;
        let code = self.code(&new.code)?.path;
        let mut transcripts = self.transcripts();
        let created = now();
        let mut codings = Vec::new();
        for target in &new.targets {
            self.index().document(target.doc())?;
            let t = transcripts.get(target.doc())?;
            let span = target.resolve(t)?;
            codings.push(Coding::new(
                &new.coder,
                t,
                span,
                &code,
                new.memo.clone(),
                &created,
                self.index().revision(&t.id),
            ));
        }
        self.save(&new.coder, Some(&code), codings, false)
    }

    /// Codes every occurrence of a query, spread to the match, its
    /// sentence or its turn; without a query, the code's keywords are the
    /// query.
    pub fn code_hits(&self, req: &CodeHits) -> Result<Saved> {
        coding::check_coder(&req.coder)?;
        let code = self.code(&req.code)?;
        let query = match (&req.query, &code.keywords) {
            (Some(q), _) => q.clone(),
            (None, Some(k)) => k.clone(),
            (None, None) => {
                return Err(Error::NoKeywords {
                    code: code.path.clone(),
                    file: code.file.clone(),
                    line: code.line,
                });
            }
        };
        let created = now();
        let auto = AutoCode {
            search: SearchOptions {
                query,
                ..req.search.clone()
            },
            coder: &req.coder,
            code: &code.path,
            spread: req.spread,
            memo: req.memo.clone(),
            created: &created,
        };
        let (codings, _hits) = autocode::codings_from_hits(self.index(), &auto)?;
        self.save(&req.coder, Some(&code.path), codings, req.dry_run)
    }

    /// Adds the codings of a JSON Lines file's `text` (read from `source`,
    /// named in messages) to `coder`'s file. Every line is checked first:
    /// if any is invalid, each bad line is reported and nothing is added.
    pub fn import_codings(
        &self,
        coder: &str,
        source: &Path,
        text: &str,
        dry_run: bool,
    ) -> Result<Saved> {
        let book = self.codebook()?;
        let mut transcripts = self.transcripts();
        let created = now();
        let mut codings = Vec::new();
        let mut problems = Vec::new();
        // A byte order mark at the start (as some editors write) is no line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, raw) in text.lines().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            // What is wrong with the line, as its problem says it.
            let checked = (|| -> std::result::Result<Coding, String> {
                let line: ImportLine =
                    serde_json::from_str(raw).map_err(|e| store::json_problem(&e))?;
                if line.start >= line.end {
                    return Err(format!(
                        "start {} must be less than end {} (the end is exclusive)",
                        line.start, line.end
                    ));
                }
                let code = book
                    .code(&line.code)
                    .map_err(|e| e.to_string())?
                    .path
                    .clone();
                self.index()
                    .document(&line.doc)
                    .map_err(|e| e.to_string())?;
                let t = transcripts.get(&line.doc).map_err(|e| e.to_string())?;
                let span = Span::new(line.start, line.end);
                Target::Offsets {
                    doc: line.doc.clone(),
                    span,
                }
                .resolve(t)
                .map_err(|e| e.to_string())?;
                if let Some(q) = &line.quote
                    && q != t.slice(span)
                {
                    return Err(format!(
                        "the quote does not match the text at {}-{} of '{}', which is \"{}\"",
                        line.start,
                        line.end,
                        line.doc,
                        crate::text::preview(t.slice(span), 60)
                    ));
                }
                Ok(Coding::new(
                    coder,
                    t,
                    span,
                    &code,
                    line.memo,
                    &created,
                    self.index().revision(&line.doc),
                ))
            })();
            match checked {
                Ok(c) => codings.push(c),
                Err(message) => {
                    problems.push(Problem::error(Kind::Line, source, Some(i + 1), message))
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Lines {
                path: source.to_path_buf(),
                problems,
                hint: "nothing was imported; fix these lines and run the import again".into(),
            });
        }
        self.save(coder, None, codings, dry_run)
    }

    /// Removes the codings with `ids` (whole ids, or unique prefixes of at
    /// least 4 characters) from the files of `coders` (every coder's when
    /// empty): every id must be found, otherwise nothing is removed.
    /// Returns the codings removed with their coders, by coder.
    pub fn remove_codings(
        &self,
        ids: &[String],
        files: &[CoderFile],
    ) -> Result<Vec<(String, Coding)>> {
        // coder → ids to remove from that coder's file.
        let mut plan: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for wanted in ids {
            let (coder, c) = store::find(files, wanted)?;
            plan.entry(coder.to_string())
                .or_default()
                .push(c.id.clone());
        }
        let mut removed = Vec::new();
        for (coder, ids) in &plan {
            let gone = store::update(self.project(), coder, |file| {
                let (gone, kept) = std::mem::take(&mut file.codings)
                    .into_iter()
                    .partition(|c| ids.contains(&c.id));
                file.codings = kept;
                let changed = !gone.is_empty();
                Ok::<_, Error>((gone, changed))
            })?
            .0;
            removed.extend(gone.into_iter().map(|c: Coding| (coder.clone(), c)));
        }
        Ok(removed)
    }

    /// Lists the codings of `files`, only those with `code` (or its
    /// children), in document `doc`, in documents passing `filters`; each
    /// with why its anchor is stale, if it is.
    pub fn codings(
        &self,
        files: &[CoderFile],
        code: Option<&str>,
        doc: Option<&str>,
        filters: &[Filter],
    ) -> Result<Listing> {
        let used =
            |f: &dyn Fn(&Coding) -> bool| files.iter().any(|file| file.codings.iter().any(f));
        let code = code.map(|c| self.resolve_code(files, c)).transpose()?;
        if let Some(d) = doc
            && !used(&|x| x.doc == d)
        {
            self.index().document(d)?;
        }
        self.check_filters(filters)?;
        let wanted_docs: Option<HashSet<&str>> = (!filters.is_empty()).then(|| {
            self.index()
                .documents()
                .filter(|d| filters.iter().all(|f| f.matches(d)))
                .map(|d| d.id.as_str())
                .collect()
        });
        let stale_list = self.stale(files)?;
        let stale = stale_list
            .iter()
            .map(|s| ((s.coder.clone(), s.id.clone()), s.reason.clone()))
            .collect();
        let mut rows: Vec<(&str, &Coding)> = files
            .iter()
            .flat_map(|f| f.codings.iter().map(move |c| (f.coder.as_str(), c)))
            .filter(|(_, c)| code.as_ref().is_none_or(|code| c.has_code(code)))
            .filter(|(_, c)| doc.is_none_or(|d| c.doc == d))
            .filter(|(_, c)| {
                wanted_docs
                    .as_ref()
                    .is_none_or(|w| w.contains(c.doc.as_str()))
            })
            .collect();
        rows.sort_by(|a, b| {
            (&a.1.doc, a.1.start, &a.1.code, a.1.end, a.0)
                .cmp(&(&b.1.doc, b.1.start, &b.1.code, b.1.end, b.0))
        });
        Ok(Listing {
            rows: rows
                .into_iter()
                .map(|(coder, c)| (coder.to_string(), c.clone()))
                .collect(),
            stale,
            stale_list,
        })
    }

    /// Returns the codings of `coders` in transcript `t` laid out as
    /// numbered marks (stale ones left out), with the stale anchors of the
    /// coders' files.
    pub fn marks(
        &self,
        t: &crate::transcript::Transcript,
        coders: &[String],
    ) -> Result<(crate::marks::Marks, Vec<Stale>)> {
        let files = self.coder_files(coders)?;
        let stale = self.stale(&files)?;
        let hidden: HashSet<(String, String)> = stale
            .iter()
            .map(|s| (s.coder.clone(), s.id.clone()))
            .collect();
        Ok((crate::marks::Marks::of(t, &files, &hidden), stale))
    }

    /// Returns every code of the codebook in its order, with its depth in
    /// the tree and how often each coder of `files` applied it, then the
    /// codes the coders used that the codebook lacks (`realist codebook`).
    pub fn code_table(&self, files: &[CoderFile]) -> Result<Vec<CodeUse>> {
        let book = self.codebook()?;
        let freq = coding::frequencies(files);
        let counts = |path: &str| -> BTreeMap<String, usize> {
            files
                .iter()
                .map(|f| {
                    let n = freq
                        .get(path)
                        .and_then(|m| m.get(&f.coder))
                        .copied()
                        .unwrap_or(0);
                    (f.coder.clone(), n)
                })
                .collect()
        };
        let mut rows: Vec<CodeUse> = Vec::new();
        for code in book.codes.values() {
            let mut depth = 0;
            let mut parent = code.parent.as_deref();
            while let Some(p) = parent {
                depth += 1;
                parent = book.codes.get(p).and_then(|c| c.parent.as_deref());
            }
            let applied = counts(&code.path);
            rows.push(CodeUse {
                code: CodeOrPath::Defined(code.clone()),
                depth,
                total: applied.values().sum(),
                applied,
            });
        }
        let mut missing: Vec<&String> = freq
            .keys()
            .filter(|k| !book.codes.contains_key(*k))
            .collect();
        missing.sort();
        for path in missing {
            let applied = counts(path);
            rows.push(CodeUse {
                code: CodeOrPath::Missing {
                    path: path.clone(),
                    missing: true,
                },
                depth: 0,
                total: applied.values().sum(),
                applied,
            });
        }
        Ok(rows)
    }

    /// Everything `realist codebook check` reports: the codebook's own
    /// problems, keywords that do not parse as queries, codes used but not
    /// defined, and codes nobody has used yet (notes).
    pub fn check_codebook(&self, files: &[CoderFile]) -> Result<Vec<Problem>> {
        let book = self.codebook()?;
        Ok(
            book.check(&crate::codebook::Usage::of(store::code_uses(files)), &|q| {
                self.index().check_query(q)
            }),
        )
    }

    /// Re-anchors every coding whose document changed since it was anchored
    /// (`realist check`); writes nothing in a dry run.
    pub fn check_anchors(&self, dry_run: bool) -> Result<(Checked, Vec<Report>)> {
        anchor::check(self.index(), dry_run)
    }

    /// Returns the documents passing every filter, in id order, after
    /// checking that each names an attribute the corpus has.
    pub fn documents(&self, filters: &[Filter]) -> Result<Vec<&crate::corpus::DocSummary>> {
        self.check_filters(filters)?;
        Ok(self
            .index()
            .documents()
            .filter(|d| filters.iter().all(|f| f.matches(d)))
            .collect())
    }

    /// Checks that every filter names an attribute the corpus has.
    pub fn check_filters(&self, filters: &[Filter]) -> Result<()> {
        for f in filters {
            f.check_key(self.index().attribute_keys())?;
        }
        Ok(())
    }
}
