//! Auto-coding: codings made from every occurrence of a search query.

use std::collections::BTreeSet;

use crate::coding::Coding;
use crate::error::Result;
use crate::index::Index;
use crate::search::SearchOptions;
use crate::text::Span;

/// How far a coding made from a search hit reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Only the matched words.
    Match,
    /// The sentence(s) the match is in (see [`crate::text::sentences`]).
    Sentence,
    /// What was said in the whole speaker turn (its label excluded).
    Turn,
}

/// What to auto-code.
#[derive(Debug, Clone)]
pub struct AutoCode<'a> {
    /// The search (its `context` and `limit` are ignored).
    pub search: SearchOptions,
    /// The coder.
    pub coder: &'a str,
    /// The code path.
    pub code: &'a str,
    /// How far each coding reaches.
    pub spread: Spread,
    /// A memo for every coding.
    pub memo: Option<String>,
    /// The `created` time of every coding.
    pub created: &'a str,
}

/// Returns one coding per distinct span the hits of `auto.search` spread to,
/// in document and offset order (several hits in one sentence or turn make
/// one coding), and the number of hits.
pub fn codings_from_hits(index: &Index, auto: &AutoCode) -> Result<(Vec<Coding>, usize)> {
    let opts = SearchOptions {
        context: 0,
        limit: None,
        ..auto.search.clone()
    };
    let mut hits: Vec<(String, usize, Span)> = Vec::new();
    index.search(&opts, &mut |hit| {
        hits.push((hit.doc.clone(), hit.turn, Span::new(hit.start, hit.end)));
        true
    })?;
    let mut codings = Vec::new();
    // Hits come in document order: read each transcript once.
    for group in hits.chunk_by(|a, b| a.0 == b.0) {
        let doc = &group[0].0;
        let t = index.transcript(doc)?;
        let sentences = match auto.spread {
            Spread::Sentence => t.sentences(),
            _ => Vec::new(),
        };
        let mut spans: BTreeSet<Span> = BTreeSet::new();
        for (_, turn, hit) in group {
            spans.insert(match auto.spread {
                Spread::Match => *hit,
                Spread::Turn => t.turn(*turn).map_or(*hit, |turn| turn.body),
                Spread::Sentence => sentence_span(&sentences, *hit),
            });
        }
        let rev = index.revision(doc);
        for span in spans {
            codings.push(Coding::new(
                auto.coder,
                &t,
                span,
                auto.code,
                auto.memo.clone(),
                auto.created,
                rev,
            ));
        }
    }
    Ok((codings, hits.len()))
}

/// Returns the sentences (in order, disjoint) that `hit` overlaps, as one
/// span; the hit itself if it lies outside every sentence.
fn sentence_span(sentences: &[Span], hit: Span) -> Span {
    let first = sentences.partition_point(|s| s.end <= hit.start);
    let mut span: Option<Span> = None;
    for s in sentences[first..].iter().take_while(|s| s.start < hit.end) {
        span = Some(match span {
            None => *s,
            Some(a) => Span::new(a.start, s.end),
        });
    }
    span.unwrap_or(hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_spread_to_the_sentences_they_touch() {
        let s = [Span::new(0, 10), Span::new(11, 20), Span::new(22, 30)];
        assert_eq!(sentence_span(&s, Span::new(3, 5)), Span::new(0, 10));
        assert_eq!(sentence_span(&s, Span::new(8, 13)), Span::new(0, 20));
        assert_eq!(sentence_span(&s, Span::new(20, 21)), Span::new(20, 21));
        assert_eq!(sentence_span(&s, Span::new(29, 30)), Span::new(22, 30));
    }
}
