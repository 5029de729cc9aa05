//! Collecting the turns a query matches, straight from the index's fast
//! fields: each turn's document id, turn number and address, unscored.
//! [`crate::search`] sorts them into document order and reads their text.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentReader};

/// Collects `(document id, turn, address)` of every matching turn from the
/// fast fields, without scoring.
pub(super) struct TurnCollector;

pub(super) struct TurnSegmentCollector {
    segment: u32,
    ids: Option<tantivy::columnar::StrColumn>,
    turns: tantivy::columnar::Column<u64>,
    out: Vec<(u64, u64, DocAddress)>,
}

impl Collector for TurnCollector {
    type Fruit = Vec<(Arc<str>, u64, DocAddress)>;
    type Child = TurnSegmentCollector;

    fn for_segment(
        &self,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<TurnSegmentCollector> {
        Ok(TurnSegmentCollector {
            segment,
            ids: reader.fast_fields().str("doc")?,
            turns: reader.fast_fields().u64("turn")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for TurnSegmentCollector {
    type Fruit = Vec<(Arc<str>, u64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(ids) = &self.ids else { return };
        let Some(ord) = ids.term_ords(doc).next() else {
            return;
        };
        let turn = self.turns.first(doc).unwrap_or(0);
        self.out
            .push((ord, turn, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        let Some(ids) = &self.ids else {
            return Vec::new();
        };
        // Resolve each distinct ordinal once, in order, so that each block of
        // the dictionary is opened (and zstd-decompressed) once, not once per
        // document.
        let mut ords: Vec<u64> = self.out.iter().map(|(o, _, _)| *o).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut names: Vec<Arc<str>> = Vec::with_capacity(ords.len());
        let _ = ids.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            names.push(Arc::from(String::from_utf8_lossy(bytes).as_ref()));
        });
        if names.len() != ords.len() {
            return Vec::new();
        }
        self.out
            .into_iter()
            .map(|(ord, turn, addr)| {
                let i = ords.binary_search(&ord).unwrap_or(0);
                (names[i].clone(), turn, addr)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{IndexWriter, TantivyDocument, Term};

    use super::*;
    use crate::index::schema;

    /// Returns `(document id, turn)` of every collected turn, sorted.
    fn collect(index: &tantivy::Index, query: &dyn tantivy::query::Query) -> Vec<(String, u64)> {
        let searcher = index.reader().unwrap().searcher();
        let mut turns: Vec<(String, u64)> = searcher
            .search(query, &TurnCollector)
            .unwrap()
            .into_iter()
            .map(|(doc, turn, _)| (doc.to_string(), turn))
            .collect();
        turns.sort();
        turns
    }

    #[test]
    fn every_matching_turn_with_its_document_id_across_segments() {
        let (schema, fields) = schema();
        let index = tantivy::Index::create_in_ram(schema);
        crate::analysis::register(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Two commits, so two segments, each with its own dictionary.
        for batch in [&[("b", 1), ("a", 2), ("b", 2)][..], &[("c", 1), ("a", 1)]] {
            for &(doc, turn) in batch {
                let mut d = TantivyDocument::default();
                d.add_text(fields.doc, doc);
                d.add_u64(fields.turn, turn);
                writer.add_document(d).unwrap();
            }
            writer.commit().unwrap();
        }
        let all = collect(&index, &AllQuery);
        assert_eq!(
            all,
            [("a", 1), ("a", 2), ("b", 1), ("b", 2), ("c", 1)].map(|(d, t)| (d.to_string(), t))
        );
        let only_b = TermQuery::new(
            Term::from_field_text(fields.doc, "b"),
            IndexRecordOption::Basic,
        );
        assert_eq!(
            collect(&index, &only_b),
            [("b".to_string(), 1), ("b".to_string(), 2)]
        );
    }
}
