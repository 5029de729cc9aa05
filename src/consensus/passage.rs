//! Passages: one document's codings of one code grouped by the units they
//! touch, their keys, and the consensus codings made from them.

use crate::agreement::units::{Unit, clamp, merged};
use crate::coding::Coding;
use crate::text::Span;
use crate::transcript::Transcript;

/// Codings of one document and code that touch common units.
#[derive(Debug)]
pub(super) struct Passage<'a> {
    /// Per coder, its codings in the passage.
    pub(super) versions: Vec<Vec<&'a Coding>>,
    /// True when every coder coded it and covered the same units.
    pub(super) agreed: bool,
}

/// A coding with its reach (see [`passages`]) and its coder's index.
type Item<'a> = (Span, usize, &'a Coding);

/// Groups one document's codings of one code into passages. A coding's
/// reach is the range of indices of the units it touches (for `char`, its
/// span); codings whose reaches overlap are one passage, agreed when every
/// coder has a coding in it and their reaches cover the same units. Returns
/// the passages and how many codings touch no unit (a coding of a speaker
/// label alone, by sentence), which are left out as `agree` leaves them out.
pub(super) fn passages<'a>(
    len: usize,
    unit: Unit,
    units: &[Span],
    per_coder: &[Vec<&'a Coding>],
) -> (Vec<Passage<'a>>, usize) {
    let mut items: Vec<Item> = Vec::new();
    let mut untouched = 0;
    for (i, list) in per_coder.iter().enumerate() {
        for c in list {
            let raw = clamp(c, len);
            let reach = if unit == Unit::Char {
                raw
            } else {
                let first = units.partition_point(|u| u.end <= raw.start);
                let last = units.partition_point(|u| u.start < raw.end);
                Span::new(first, last.max(first))
            };
            if reach.is_empty() {
                untouched += 1;
                continue;
            }
            items.push((reach, i, c));
        }
    }
    items.sort_by_key(|(s, i, c)| (s.start, s.end, *i, c.start, c.end));
    // Each group with the end of its reach.
    let mut groups: Vec<(usize, Vec<Item>)> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some((end, group)) if item.0.start < *end => {
                *end = (*end).max(item.0.end);
                group.push(item);
            }
            _ => groups.push((item.0.end, vec![item])),
        }
    }
    let passages = groups
        .into_iter()
        .map(|(_, group)| {
            let m = per_coder.len();
            let mut versions: Vec<Vec<&Coding>> = vec![Vec::new(); m];
            let mut reach: Vec<Vec<Span>> = vec![Vec::new(); m];
            for (s, i, c) in group {
                versions[i].push(c);
                reach[i].push(s);
            }
            // Touching ranges merge: units 2 and 3 are the units 2–3.
            let reach: Vec<Vec<Span>> = reach.into_iter().map(merged).collect();
            let agreed = reach.iter().all(|r| !r.is_empty() && *r == reach[0]);
            Passage { versions, agreed }
        })
        .collect();
    (passages, untouched)
}

/// Returns a passage's key: a hash of the document, code, unit and each
/// coder's codings in it (id and quote). Ids survive re-anchoring, so an
/// edit elsewhere in the transcript that only moves codings keeps their
/// passages' keys; an edit inside a coding changes its quote, and so the key.
pub(super) fn key(
    doc: &str,
    code: &str,
    unit: Unit,
    coders: &[String],
    versions: &[Vec<&Coding>],
) -> String {
    let mut h = blake3::Hasher::new();
    for part in [doc, code, unit.name()] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    for (coder, list) in coders.iter().zip(versions) {
        h.update(coder.as_bytes());
        let mut ids: Vec<(&str, &str)> = list
            .iter()
            .map(|c| (c.id.as_str(), c.quote.as_str()))
            .collect();
        ids.sort();
        for (id, quote) in ids {
            h.update(b":");
            h.update(id.as_bytes());
            h.update(b"=");
            h.update(quote.as_bytes());
        }
        h.update(b"\0");
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Returns the consensus codings for the union of `spans` (with their memos).
pub(super) fn consensus_codings(
    name: &str,
    t: &Transcript,
    code: &str,
    parts: &[(String, Span, Option<String>)],
    at: &str,
    rev: Option<&str>,
) -> Vec<Coding> {
    let spans = merged(parts.iter().map(|(_, s, _)| *s).collect());
    spans
        .into_iter()
        .map(|span| {
            let memos: Vec<String> = parts
                .iter()
                .filter(|(_, s, m)| m.is_some() && s.start < span.end && span.start < s.end)
                .map(|(coder, _, m)| format!("{coder}: {}", m.as_deref().unwrap_or_default()))
                .collect();
            let memo = (!memos.is_empty()).then(|| memos.join("; "));
            Coding::new(name, t, span, code, memo, at, rev)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(id: &str, start: usize, end: usize) -> Coding {
        Coding {
            id: id.into(),
            doc: "d".into(),
            start,
            end,
            code: "Speed".into(),
            quote: String::new(),
            before: String::new(),
            after: String::new(),
            memo: None,
            created: String::new(),
            rev: None,
            unplaced: None,
        }
    }

    #[test]
    fn passages_join_codings_that_touch_a_common_unit() {
        let units = [Span::new(0, 10), Span::new(12, 20), Span::new(22, 30)];
        let (a1, a2) = (coding("a1", 2, 5), coding("a2", 23, 25));
        let (b1, b2) = (coding("b1", 0, 10), coding("b2", 14, 15));
        // By unit: a1 and b1 both cover unit 0 only (agreed); b2 alone in
        // unit 1; a2 alone in unit 2.
        let (ps, untouched) = passages(30, Unit::Turn, &units, &[vec![&a1, &a2], vec![&b1, &b2]]);
        let shape: Vec<(Vec<usize>, bool)> = ps
            .iter()
            .map(|p| (p.versions.iter().map(Vec::len).collect(), p.agreed))
            .collect();
        assert_eq!(
            shape,
            vec![(vec![1, 1], true), (vec![0, 1], false), (vec![1, 0], false)]
        );
        assert_eq!(untouched, 0);
        // By character the first passage differs (2-5 against 0-10).
        let (ps, _) = passages(30, Unit::Char, &units, &[vec![&a1], vec![&b1]]);
        assert_eq!(ps.len(), 1);
        assert!(!ps[0].agreed);
        // A coding spanning two units against one covering only the first.
        let a = coding("a", 5, 14);
        let b = coding("b", 1, 3);
        let (ps, _) = passages(30, Unit::Turn, &units, &[vec![&a], vec![&b]]);
        assert_eq!(ps.len(), 1);
        assert!(!ps[0].agreed);
        // Units 0 and 1 coded one by one against one coding over both: the
        // same units, so agreed (as `agree` counts it).
        let (u0, u1) = (coding("u0", 0, 10), coding("u1", 12, 20));
        let both = coding("both", 3, 15);
        let (ps, _) = passages(30, Unit::Turn, &units, &[vec![&u0, &u1], vec![&both]]);
        assert_eq!(ps.len(), 1);
        assert!(ps[0].agreed);
        // A coding in the gap between units touches none: left aside.
        let gap = coding("gap", 10, 12);
        let (ps, untouched) = passages(30, Unit::Turn, &units, &[vec![&gap], vec![]]);
        assert!(ps.is_empty());
        assert_eq!(untouched, 1);
    }

    #[test]
    fn keys_depend_on_every_coders_coding_ids_not_offsets() {
        let coders = ["ana".to_string(), "ben".to_string()];
        let a = coding("a", 2, 5);
        let b = coding("b", 2, 6);
        let k1 = key("d", "Speed", Unit::Turn, &coders, &[vec![&a], vec![]]);
        let k2 = key("d", "Speed", Unit::Turn, &coders, &[vec![&a], vec![&b]]);
        let k3 = key("d", "Speed", Unit::Turn, &coders, &[vec![], vec![&a]]);
        assert_ne!(k1, k2);
        assert_ne!(k1, k3);
        // Moved by `realist check` (same id, new offsets): the same passage.
        let moved = coding("a", 40, 43);
        assert_eq!(
            k1,
            key("d", "Speed", Unit::Turn, &coders, &[vec![&moved], vec![]])
        );
        // Its text edited: another passage.
        let mut edited = coding("a", 2, 5);
        edited.quote = "very".into();
        assert_ne!(
            k1,
            key("d", "Speed", Unit::Turn, &coders, &[vec![&edited], vec![]])
        );
    }
}
