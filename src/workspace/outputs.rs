//! What leaves the project: quote tables, the evidence report and the
//! check for names before they do.

use std::collections::BTreeSet;

use super::{Workspace, now};
use crate::coding::CoderFile;
use crate::error::{Error, Problem, Result};
use crate::export::{self, Format};
use crate::filter::Filter;
use crate::privacy::{self, Finding};
use crate::progress::Progress;
use crate::quotes::{self, By, Meta, Row, Selection};
use crate::report::{self, Inputs};
use crate::text::plural;

/// Which coded quotes an export holds (`export quotes`, `privacy check`).
#[derive(Debug, Clone, Default)]
pub struct QuoteSelection {
    /// Only these coders' codings; empty: every coder's.
    pub coders: Vec<String>,
    /// Only codings with these codes or their children (paths or unique
    /// names); empty: every code.
    pub codes: Vec<String>,
    /// Only documents passing every filter.
    pub filters: Vec<Filter>,
}

/// A quote table made ready to write.
#[derive(Debug, Clone)]
pub struct QuotesExport {
    /// What it holds (its header, or first JSON record).
    pub meta: Meta,
    /// The file's text.
    pub text: String,
    /// Codings exported with the quote they stored, unverified: their
    /// text is not at their offsets in the transcript (`realist check`
    /// places them again), as (document, coding ids).
    pub unverified: Vec<(String, Vec<String>)>,
}

/// What `privacy check` found.
#[derive(Debug, Clone)]
pub struct PrivacyCheck {
    /// Words that look like names, with where they are.
    pub findings: Vec<Finding>,
    /// Quotes scanned.
    pub quotes: usize,
    /// Documents they come from.
    pub documents: usize,
}

impl PrivacyCheck {
    /// Returns an error that sums up the findings, when there are any.
    pub fn verdict(&self) -> Result<()> {
        if self.findings.is_empty() {
            return Ok(());
        }
        let documents: BTreeSet<&str> = self.findings.iter().map(|f| f.doc.as_str()).collect();
        Err(Error::NamesFound {
            found: self.findings.len(),
            words: privacy::distinct(&self.findings)
                .into_iter()
                .map(str::to_string)
                .collect(),
            documents: documents.len(),
            scanned: self.scanned(),
        })
    }

    /// Returns what was scanned: "12 quotes from 3 documents".
    pub fn scanned(&self) -> String {
        format!(
            "{} from {}",
            plural(self.quotes, "quote", "quotes"),
            plural(self.documents, "document", "documents")
        )
    }
}

impl Workspace {
    /// Returns the coder files and the selection of quotes `sel` chooses,
    /// after checking its coders, codes and filters.
    pub fn quote_selection(&self, sel: &QuoteSelection) -> Result<(Vec<CoderFile>, Selection)> {
        let files = self.coder_files(&sel.coders)?;
        self.check_filters(&sel.filters)?;
        let codes = self.resolve_codes(&files, &sel.codes)?;
        Ok((
            files,
            Selection {
                codes,
                filters: sel.filters.clone(),
            },
        ))
    }

    /// Returns the quotes of `files` that `selection` chooses, as table
    /// rows: attributed, pseudonymised, merged across coders.
    pub fn quote_rows(&self, files: &[CoderFile], selection: &Selection) -> Result<Vec<Row>> {
        let key = self.pseudonyms()?;
        let links = self.links()?;
        Ok(quotes::rows(self.index(), files, &links, selection, &key))
    }

    /// Makes the quote table of `files` and `selection` in `format`,
    /// grouped `by` code, configuration, document or attribute.
    pub fn export_quotes(
        &self,
        files: &[CoderFile],
        selection: &Selection,
        by: Option<&By>,
        format: Format,
        excel: bool,
    ) -> Result<QuotesExport> {
        let key = self.pseudonyms()?;
        let book = self.codebook()?;
        let model = match by {
            Some(By::Cmo) => Some(self.logic_model_lenient()?),
            _ => None,
        };
        let rows = self.quote_rows(files, selection)?;
        // Stale codings are reported as such; the others that do not fit
        // their text are the ones a matching revision vouched for.
        let stale: std::collections::HashSet<String> =
            self.stale(files)?.into_iter().map(|s| s.id).collect();
        let unverified = rows
            .iter()
            .filter(|r| !r.verified && !r.codings.iter().any(|id| stale.contains(id)))
            .map(|r| (r.real_doc.clone(), r.codings.clone()))
            .collect();
        let total = rows.len();
        let linked = rows.iter().filter(|r| !r.evidence.is_empty()).count();
        let groups = quotes::group(rows, by, self.index(), &book, model.as_ref(), &key)?;
        let exported: Vec<&Row> = groups.iter().flat_map(|g| &g.rows).collect();
        let documents: BTreeSet<&str> = exported.iter().map(|r| r.doc.as_str()).collect();
        let meta = Meta {
            title: "Quotes".into(),
            project: key.apply(&self.name()),
            realist: env!("CARGO_PKG_VERSION").into(),
            generated: now().chars().take(10).collect(),
            by: by.map(By::name),
            quotes: exported.len(),
            documents: documents.len(),
            left_out: if by == Some(&By::Cmo) {
                total - linked
            } else {
                0
            },
            pseudonymised: key.applies(),
            names: key.pairs.len(),
            statement: key.statement(),
        };
        let text = match format {
            Format::Markdown => export::quotes_markdown(&groups, &meta),
            Format::Csv => export::quotes_csv(&groups, &meta, excel),
            Format::Json => export::quotes_json(&groups, &meta),
            Format::Html => export::html_page(
                &format!("Quotes: {}", meta.project),
                &export::quotes_markdown(&groups, &meta),
            ),
        };
        Ok(QuotesExport {
            meta,
            text,
            unverified,
        })
    }

    /// Writes the evidence report as Markdown (or, with `html`, one
    /// self-contained page) of what `sel` chooses (every coder, code and
    /// document by default), and returns it with the logic model's
    /// problems, whose configurations it leaves out.
    pub fn report(
        &self,
        sel: &QuoteSelection,
        html: bool,
        progress: &dyn Progress,
    ) -> Result<(String, Vec<Problem>)> {
        let project = self.project();
        let key = self.pseudonyms()?;
        let book = self.codebook()?;
        let (mut files, selection) = self.quote_selection(sel)?;
        let admitted: Option<std::collections::HashSet<String>> =
            (!sel.filters.is_empty()).then(|| {
                self.index()
                    .documents()
                    .filter(|d| sel.filters.iter().all(|f| f.matches(d)))
                    .map(|d| d.id.clone())
                    .collect()
            });
        for f in &mut files {
            f.codings.retain(|c| {
                (selection.codes.is_empty() || selection.codes.iter().any(|code| c.has_code(code)))
                    && admitted.as_ref().is_none_or(|a| a.contains(&c.doc))
            });
            if let (Some(finished), Some(a)) = (&mut f.finished, &admitted) {
                finished.retain(|d| a.contains(d));
            }
        }
        let mut chosen = Vec::new();
        if !sel.coders.is_empty() {
            chosen.push(format!("the coding of {}", sel.coders.join(", ")));
        }
        if !selection.codes.is_empty() {
            chosen.push(format!("the codes {}", selection.codes.join(", ")));
        }
        if !sel.filters.is_empty() {
            let where_: Vec<String> = sel
                .filters
                .iter()
                .map(|f| format!("{}={}", f.key, f.values.join(",")))
                .collect();
            chosen.push(format!("documents where {}", where_.join(" and ")));
        }
        let consensus = crate::consensus::names(project)?;
        let links = self.links()?;
        let (model, problems) = match self.logic_model_read()? {
            // The example `realist init` wrote is no theory of the project's.
            Some((model, _)) if model.example => (
                None,
                crate::logic_model::example_note(&model)
                    .into_iter()
                    .collect(),
            ),
            Some((model, problems)) => (Some(model), problems),
            None => (None, Vec::new()),
        };
        let name = self.name();
        let generated: String = now().chars().take(10).collect();
        let markdown = report::report(&Inputs {
            index: self.index(),
            book: &book,
            files: &files,
            consensus: &consensus,
            links: &links,
            model: model.as_ref(),
            key: &key,
            project: &name,
            generated: &generated,
            progress,
            filters: &sel.filters,
            selection: (!chosen.is_empty()).then(|| chosen.join("; ")),
        });
        let text = if html {
            export::html_page(&format!("Evidence report: {}", key.apply(&name)), &markdown)
        } else {
            markdown
        };
        Ok((text, problems))
    }

    /// Looks for words that look like names the pseudonym key misses, in
    /// what an export of `sel` would hold.
    pub fn privacy_check(&self, sel: &QuoteSelection) -> Result<PrivacyCheck> {
        let (files, selection) = self.quote_selection(sel)?;
        let rows = self.quote_rows(&files, &selection)?;
        let key = self.pseudonyms()?;
        let findings = privacy::check(self.index(), &*self.codebook()?, &rows, &key)?;
        let documents: BTreeSet<&str> = rows.iter().map(|r| r.doc.as_str()).collect();
        Ok(PrivacyCheck {
            findings,
            quotes: rows.len(),
            documents: documents.len(),
        })
    }
}
