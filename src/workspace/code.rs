//! Coding: adding codings by hand, from search hits or from a file,
//! removing them, listing them, and re-anchoring them after edits.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Workspace, now};
use crate::anchor::{self, Checked, Report, Stale};
use crate::autocode::{self, AutoCode, Spread};
use crate::coding::finished::Marked;
use crate::coding::target::{Hint, Placed, find_quote};
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
    /// How each coding given by its text was placed (by its quote, or
    /// loosely), in the order given; those given by offsets or turns are
    /// not listed.
    pub placed: Vec<Placed>,
}

/// A coder's progress through the corpus.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoderProgress {
    /// The coder.
    pub coder: String,
    /// Documents with at least one of their codings.
    pub coded: usize,
    /// Documents they marked finished; `None` when they mark none.
    pub finished: Option<usize>,
    /// Documents in the corpus.
    pub documents: usize,
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
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    code: String,
    #[serde(default)]
    memo: Option<String>,
    #[serde(default)]
    quote: Option<String>,
    // Fields of realist's own coding records, accepted and not used
    // (their context is used to place them).
    #[serde(default, rename = "type")]
    _type: IgnoredAny,
    #[serde(default, rename = "id")]
    _id: IgnoredAny,
    #[serde(default, rename = "coder")]
    _coder: IgnoredAny,
    /// Text before the quote, to choose among its repeats.
    #[serde(default)]
    before: Option<String>,
    /// Text after the quote.
    #[serde(default)]
    after: Option<String>,
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
        self.save_keeping(coder, code, codings, false, dry_run)
    }

    /// [`Workspace::save`], keeping codings nested inside others of the
    /// same code when `nested` (imports).
    fn save_keeping(
        &self,
        coder: &str,
        code: Option<&str>,
        codings: Vec<Coding>,
        nested: bool,
        dry_run: bool,
    ) -> Result<Saved> {
        let done = store::add(self.project(), coder, codings, nested, dry_run)?;
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
            placed: Vec::new(),
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
        let mut placed = Vec::new();
        for target in &new.targets {
            self.index().document(target.doc())?;
            let t = transcripts.get(target.doc())?;
            let span = match target {
                Target::Quote { quote, .. } => {
                    let found = find_quote(t, quote, Hint::default())?;
                    placed.push(Placed {
                        line: None,
                        doc: t.id.clone(),
                        start: found.span.start,
                        end: found.span.end,
                        matched: found.matched,
                        replaced_offsets: false,
                    });
                    found.span
                }
                _ => target.resolve(t)?,
            };
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
        let mut saved = self.save(&new.coder, Some(&code), codings, false)?;
        saved.placed = placed;
        Ok(saved)
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
    /// named in messages) to `coder`'s file. A line gives its place by
    /// offsets (`start`, `end`) or by its `quote` (placed loosely, with
    /// its offsets or `before`/`after` context choosing among repeats);
    /// with `by_quote`, a line whose offsets do not fit its quote is placed
    /// by the quote. Every line is checked first: if any is invalid, each
    /// bad line is reported and nothing is added.
    pub fn import_codings(
        &self,
        coder: &str,
        source: &Path,
        text: &str,
        by_quote: bool,
        dry_run: bool,
    ) -> Result<Saved> {
        let book = self.codebook()?;
        let mut transcripts = self.transcripts();
        let created = now();
        let mut codings = Vec::new();
        let mut placed = Vec::new();
        let mut problems = Vec::new();
        // A byte order mark at the start (as some editors write) is no line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, raw) in text.lines().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            // What is wrong with the line, as its problem says it.
            let mismatch = std::cell::Cell::new(false);
            let checked = (|| -> std::result::Result<(Coding, Option<Placed>), String> {
                let line: ImportLine =
                    serde_json::from_str(raw).map_err(|e| store::json_problem(&e))?;
                let code = book
                    .code(&line.code)
                    .map_err(|e| e.to_string())?
                    .path
                    .clone();
                self.index()
                    .document(&line.doc)
                    .map_err(|e| e.to_string())?;
                let t = transcripts.get(&line.doc).map_err(|e| e.to_string())?;
                let offsets = match (line.start, line.end) {
                    (Some(start), Some(end)) if start >= end => {
                        return Err(format!(
                            "start {start} must be less than end {end} (the end is exclusive)"
                        ));
                    }
                    (Some(start), Some(end)) => Some(Span::new(start, end)),
                    (None, None) => None,
                    _ => return Err("give both start and end, or neither and a quote".into()),
                };
                // The offsets, when they fit the text (and its quote).
                let fitting = match offsets {
                    Some(span) => {
                        let fits = Target::Offsets {
                            doc: line.doc.clone(),
                            span,
                        }
                        .resolve(t);
                        match (&line.quote, fits) {
                            (Some(q), Ok(_)) if q != t.slice(span) && !by_quote => {
                                mismatch.set(true);
                                return Err(format!(
                                    "the quote does not match the text at {}-{} of '{}', which is \"{}\"",
                                    span.start,
                                    span.end,
                                    line.doc,
                                    crate::text::preview(t.slice(span), 60)
                                ));
                            }
                            (Some(q), Ok(_)) if q != t.slice(span) => None,
                            (_, Ok(_)) => Some(span),
                            (Some(_), Err(_)) if by_quote => None,
                            (_, Err(e)) => return Err(e.to_string()),
                        }
                    }
                    None => None,
                };
                let (span, placed) = match (fitting, &line.quote) {
                    (Some(span), _) => (span, None),
                    (None, None) => return Err("give start and end, or a quote".into()),
                    (None, Some(q)) => {
                        let hint = Hint {
                            near: offsets.map(|s| s.start),
                            before: line.before.as_deref().unwrap_or(""),
                            after: line.after.as_deref().unwrap_or(""),
                        };
                        let found = find_quote(t, q, hint).map_err(|e| e.to_string())?;
                        let placed = Placed {
                            line: Some(i + 1),
                            doc: t.id.clone(),
                            start: found.span.start,
                            end: found.span.end,
                            matched: found.matched,
                            replaced_offsets: offsets.is_some(),
                        };
                        (found.span, Some(placed))
                    }
                };
                let coding = Coding::new(
                    coder,
                    t,
                    span,
                    &code,
                    line.memo,
                    &created,
                    self.index().revision(&line.doc),
                );
                Ok((coding, placed))
            })();
            match checked {
                Ok((c, p)) => {
                    codings.push(c);
                    placed.extend(p);
                }
                Err(message) => {
                    let kind = if mismatch.get() {
                        Kind::QuoteMismatch
                    } else {
                        Kind::Line
                    };
                    problems.push(Problem::error(kind, source, Some(i + 1), message))
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
        // Another tool's coding of a passage inside one of the same code is
        // its own coding (with its own memo): kept, not skipped.
        let mut saved = self.save_keeping(coder, None, codings, true, dry_run)?;
        saved.placed = placed;
        Ok(saved)
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
        let mut stale = self.stale(&files)?;
        // A coding of this document whose quote is not the text at its
        // offsets (a hand-edited or imported coder file whose revision
        // matches) is stale too: it would mark other text.
        for f in &files {
            for c in f.codings.iter().filter(|c| c.doc == t.id) {
                let known = stale.iter().any(|s| s.coder == f.coder && s.id == c.id);
                if !known && !c.fits(t) {
                    stale.push(Stale {
                        coder: f.coder.clone(),
                        id: c.id.clone(),
                        doc: c.doc.clone(),
                        reason: "its quote is not the text at its offsets".into(),
                    });
                }
            }
        }
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

    /// Marks `docs` finished for `coder` (or, with `finished` false, no
    /// longer finished): a finished document with no codings means "read,
    /// nothing to code", and comparisons count it. Every document must be
    /// in the corpus (a mark can be undone for one that is gone).
    pub fn mark_finished(&self, coder: &str, docs: &[String], finished: bool) -> Result<Marked> {
        coding::check_coder(coder)?;
        if finished {
            for d in docs {
                self.index().document(d)?;
            }
        }
        coding::finished::mark(self.project(), coder, docs, finished)
    }

    /// Returns each coder's progress: documents coded and finished, out of
    /// the corpus's.
    pub fn progress(&self, files: &[CoderFile]) -> Vec<CoderProgress> {
        let corpus: HashSet<&str> = self.index().documents().map(|d| d.id.as_str()).collect();
        files
            .iter()
            .map(|f| {
                let coded: HashSet<&str> = f
                    .codings
                    .iter()
                    .map(|c| c.doc.as_str())
                    .filter(|d| corpus.contains(d))
                    .collect();
                CoderProgress {
                    coder: f.coder.clone(),
                    coded: coded.len(),
                    finished: f
                        .finished
                        .as_ref()
                        .map(|s| s.iter().filter(|d| corpus.contains(d.as_str())).count()),
                    documents: corpus.len(),
                }
            })
            .collect()
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
