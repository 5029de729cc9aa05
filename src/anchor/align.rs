//! Aligning a pattern of words with the best-matching stretch of a text.

/// The best alignment of a pattern within a text.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Alignment {
    /// Edits in all.
    pub(super) cost: usize,
    /// Edits within the quote rows.
    pub(super) quote_edits: usize,
    /// Text word aligned with the first quote word that has a partner.
    pub(super) first: usize,
    /// Text word aligned with the last such quote word.
    pub(super) last: usize,
}

const DIAG: u8 = 0;
const UP: u8 = 1; // a pattern word with no text word
const LEFT: u8 = 2; // a text word with no pattern word

/// Aligns `pattern` with the best-matching stretch of `text` (Sellers'
/// semi-global edit distance over words) and traces which text words the
/// pattern rows `quote` (1-based) map to. `None` if no quote word maps to a
/// text word.
pub(super) fn align(
    pattern: &[&str],
    text: &[&str],
    quote: std::ops::RangeInclusive<usize>,
) -> Option<Alignment> {
    let (m, n) = (pattern.len(), text.len());
    if m == 0 || n == 0 {
        return None;
    }
    let width = n + 1;
    let mut dir = vec![LEFT; (m + 1) * width];
    let mut prev: Vec<usize> = vec![0; width];
    let mut cur: Vec<usize> = vec![0; width];
    for i in 1..=m {
        cur[0] = i;
        dir[i * width] = UP;
        for j in 1..=n {
            let sub = prev[j - 1] + usize::from(pattern[i - 1] != text[j - 1]);
            let up = prev[j] + 1;
            let left = cur[j - 1] + 1;
            let (v, d) = if sub <= up && sub <= left {
                (sub, DIAG)
            } else if up <= left {
                (up, UP)
            } else {
                (left, LEFT)
            };
            cur[j] = v;
            dir[i * width + j] = d;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    // `prev` is now the last row; the best end is its minimum (first wins).
    let (mut j, cost) = prev
        .iter()
        .enumerate()
        .skip(1)
        .min_by_key(|(_, v)| **v)
        .map(|(j, v)| (j, *v))?;
    let mut i = m;
    let (mut first, mut last, mut quote_edits) = (None, None, 0);
    while i > 0 {
        let d = if j == 0 { UP } else { dir[i * width + j] };
        let in_quote = quote.contains(&i);
        match d {
            DIAG => {
                if in_quote {
                    last.get_or_insert(j - 1);
                    first = Some(j - 1);
                    quote_edits += usize::from(pattern[i - 1] != text[j - 1]);
                }
                i -= 1;
                j -= 1;
            }
            UP => {
                quote_edits += usize::from(in_quote);
                i -= 1;
            }
            _ => {
                // A text word inserted after pattern word i: inside the
                // quote when another quote word follows.
                quote_edits += usize::from(in_quote && i != *quote.end());
                j -= 1;
            }
        }
    }
    Some(Alignment {
        cost,
        quote_edits,
        first: first?,
        last: last?,
    })
}
