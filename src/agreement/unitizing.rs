//! Krippendorff's unitizing alphas for continuous text (Krippendorff,
//! Mathet, Bouvry & Widlöcher 2016, "On the reliability of unitizing textual
//! continua: Further developments", Quality & Quantity 50:2347–2364; restated
//! in Krippendorff 2019, Content Analysis, 4th ed., section 12.6).
//!
//! Each coder's work is a partition of one continuum `[0, L)` into segments
//! that carry a value (a code) or none (a gap, φ). For every ordered pair of
//! different coders, the lengths of intersection of their segments, by the
//! two segments' values, make the observed coincidence matrix ℓ (divided by
//! m − 1). Expected coincidences come from its margins, excluding a valued
//! segment's pairings with itself (|S|² of them) and a gap position's pairing
//! with itself (|S|):
//!
//! ```text
//! uα  = 1 − (ℓ·· − Σ ℓ_cc)(ℓ··² − F) / (ℓ·· (ℓ··² − Σ ℓ_c·²))      F = Σ f(S)
//! cuα = the same over valued-against-valued intersections only, with
//!       G = Σ over valued segments of (its own valued-pairable length)²
//! ```
//!
//! (algebraically the same as 1 − D_o/D_e with ε_ck = ℓ··(ℓ_c·ℓ_·k − [c=k]F_c)
//! / (ℓ··² − F)). The binary u-alpha of one code (ATLAS.ti's "alpha binary")
//! is uα with every other segment relabelled as gap.

use std::collections::BTreeMap;

use super::coefficients::Coefficient;
use super::ratio::{Overflow, Ratio};

/// A segment `[start, end)` of the continuum with a value, or a gap (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First position.
    pub start: u64,
    /// One past the last position.
    pub end: u64,
    /// The value (a code's index), or `None` for a gap.
    pub value: Option<u32>,
}

impl Segment {
    fn len(&self) -> u64 {
        self.end - self.start
    }
}

/// Returns the coder's valued `segments` (sorted, not overlapping) with the
/// gaps between them filled in, covering `[0, len)`.
pub fn partition(valued: &[Segment], len: u64) -> Vec<Segment> {
    let mut out = Vec::with_capacity(valued.len() * 2 + 1);
    let mut at = 0;
    for s in valued {
        if s.start > at {
            out.push(Segment {
                start: at,
                end: s.start,
                value: None,
            });
        }
        out.push(*s);
        at = s.end;
    }
    if at < len {
        out.push(Segment {
            start: at,
            end: len,
            value: None,
        });
    }
    out
}

/// Calls `f(i, g, j, h, overlap)` for every intersection of a segment g of
/// coder i with a segment h of coder j, over ordered pairs i ≠ j.
fn intersections(coders: &[Vec<Segment>], mut f: impl FnMut(usize, usize, usize, usize, u64)) {
    for (i, a) in coders.iter().enumerate() {
        for (j, b) in coders.iter().enumerate() {
            if i == j {
                continue;
            }
            let (mut g, mut h) = (0, 0);
            while g < a.len() && h < b.len() {
                let lo = a[g].start.max(b[h].start);
                let hi = a[g].end.min(b[h].end);
                if hi > lo {
                    f(i, g, j, h, hi - lo);
                }
                if a[g].end <= b[h].end {
                    g += 1;
                } else {
                    h += 1;
                }
            }
        }
    }
}

fn int(n: u64) -> Ratio {
    Ratio::int(n as i128)
}

/// α = 1 − (ℓ·· − Σ ℓ_cc)(ℓ··² − self_pairs) / (ℓ·· (ℓ··² − Σ ℓ_c·²)), from
/// the coincidence `matrix` of intersection lengths summed over ordered
/// coder pairs (so ℓ = matrix / `scale`, with `scale` = m − 1).
fn alpha<K: Ord + Copy>(
    matrix: &BTreeMap<(K, K), u64>,
    scale: u64,
    self_pairs: Ratio,
    undefined: &str,
) -> Result<Coefficient, Overflow> {
    let mut margins: BTreeMap<K, u64> = BTreeMap::new();
    let mut agree = 0u64;
    for (&(c, k), &len) in matrix {
        *margins.entry(c).or_default() += len;
        if c == k {
            agree += len;
        }
    }
    let scaled = |x: u64| Ratio::new(x as i128, scale as i128).ok_or(Overflow);
    let total = scaled(matrix.values().sum())?;
    let mut sq = Ratio::ZERO;
    for &m in margins.values() {
        let m = scaled(m)?;
        sq = sq.plus(m.times(m)?)?;
    }
    let tt = total.times(total)?;
    let num = total.minus(scaled(agree)?)?.times(tt.minus(self_pairs)?)?;
    let den = total.times(tt.minus(sq)?)?;
    Ok(match num.over(den)? {
        Some(q) => Ok(Ratio::ONE.minus(q)?),
        None => Err(undefined.to_string()),
    })
}

/// Checks the input: at least two coders, each a sorted partition of the
/// same continuum.
fn check(coders: &[Vec<Segment>]) -> Result<(), String> {
    if coders.len() < 2 {
        return Err("fewer than two coders".into());
    }
    let end = coders[0].last().map_or(0, |s| s.end);
    if end == 0 {
        return Err("the continuum is empty".into());
    }
    for c in coders {
        let mut at = 0;
        for s in c {
            if s.start != at || s.end <= s.start {
                return Err(
                    "a coder's segments must cover the continuum in order, without overlaps".into(),
                );
            }
            at = s.end;
        }
        if at != end {
            return Err("the coders' continua differ in length".into());
        }
    }
    Ok(())
}

/// uα: agreement on both where the units are and what value they have
/// (2016 eq. 5a), over partitions of one continuum.
pub fn u_alpha(coders: &[Vec<Segment>]) -> Coefficient {
    check(coders)?;
    let scale = (coders.len() - 1) as u64;
    let mut matrix: BTreeMap<(Option<u32>, Option<u32>), u64> = BTreeMap::new();
    intersections(coders, |i, g, j, h, len| {
        *matrix
            .entry((coders[i][g].value, coders[j][h].value))
            .or_default() += len;
    });
    let result = (|| {
        // Self-pairs: a valued unit's |S|² ordered pairs, a gap's |S| positions.
        let mut self_pairs = Ratio::ZERO;
        for s in coders.iter().flatten() {
            let f = match s.value {
                Some(_) => int(s.len()).times(int(s.len()))?,
                None => int(s.len()),
            };
            self_pairs = self_pairs.plus(f)?;
        }
        alpha(
            &matrix,
            scale,
            self_pairs,
            "every coder's whole continuum is one value, so there is nothing to tell apart",
        )
    })();
    result.unwrap_or_else(|_| Err("the numbers are too large to compute exactly".into()))
}

/// The binary u-alpha of one value: uα with every segment of another value
/// taken as gap (ATLAS.ti's "alpha binary" for one code).
pub fn binary_u_alpha(coders: &[Vec<Segment>], value: u32) -> Coefficient {
    let relabelled: Vec<Vec<Segment>> = coders
        .iter()
        .map(|c| {
            c.iter()
                .map(|s| Segment {
                    value: s.value.filter(|v| *v == value),
                    ..*s
                })
                .collect()
        })
        .collect();
    if !relabelled.iter().flatten().any(|s| s.value.is_some()) {
        return Err("no coder applied this code".into());
    }
    u_alpha(&relabelled)
}

/// cuα: agreement on the values of units where valued units of different
/// coders intersect (2016 eq. 11); its coverage is the share of all
/// coincidences that are valued-against-valued.
pub fn cu_alpha(coders: &[Vec<Segment>]) -> (Coefficient, Option<Ratio>) {
    if let Err(e) = check(coders) {
        return (Err(e), None);
    }
    let scale = (coders.len() - 1) as u64;
    let mut matrix: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    // Each valued segment's own pairable length (× scale).
    let mut own: Vec<Vec<u64>> = coders.iter().map(|c| vec![0; c.len()]).collect();
    let mut all = 0u64;
    intersections(coders, |i, g, j, h, len| {
        all += len;
        if let (Some(c), Some(k)) = (coders[i][g].value, coders[j][h].value) {
            *matrix.entry((c, k)).or_default() += len;
            own[i][g] += len;
        }
    });
    let result = (|| {
        let total: u64 = matrix.values().sum();
        let coverage = Ratio::new(total as i128, all as i128);
        if total == 0 {
            return Ok((Err("no two coders' units intersect".to_string()), coverage));
        }
        // Self-pairs: each valued unit's own pairable length, squared.
        let mut g = Ratio::ZERO;
        for x in own.iter().flatten() {
            let v = Ratio::new(*x as i128, scale as i128).ok_or(Overflow)?;
            g = g.plus(v.times(v)?)?;
        }
        let a = alpha(
            &matrix,
            scale,
            g,
            "every intersecting unit has the same value, so there is nothing to tell apart",
        )?;
        Ok((a, coverage))
    })();
    result.unwrap_or_else(|_: Overflow| {
        (
            Err("the numbers are too large to compute exactly".into()),
            None,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Segments from 1-based inclusive `(first, last, value)` triples, gaps
    /// filled in up to `len`.
    fn coder(len: u64, units: &[(u64, u64, u32)]) -> Vec<Segment> {
        let valued: Vec<Segment> = units
            .iter()
            .map(|&(a, b, v)| Segment {
                start: a - 1,
                end: b,
                value: Some(v),
            })
            .collect();
        partition(&valued, len)
    }

    /// Krippendorff (2019), Content Analysis, 4th ed., Figure 12.11
    /// (p. 340): three observers on a continuum of 60, the worked example of
    /// the 2016 family; uα = .510, |uα = .413 (via the `quallmer` R package's
    /// transcription in tests/testthat/test-alpha_u.R). Adjacent units of the
    /// same value stay separate units.
    fn book() -> Vec<Vec<Segment>> {
        vec![
            coder(
                60,
                &[
                    (1, 7, 1),
                    (8, 13, 2),
                    (31, 32, 5),
                    (33, 37, 6),
                    (38, 44, 6),
                    (45, 60, 7),
                ],
            ),
            coder(60, &[(1, 7, 1), (8, 13, 3), (14, 21, 5), (33, 44, 6)]),
            coder(
                60,
                &[
                    (1, 7, 1),
                    (8, 13, 4),
                    (14, 21, 5),
                    (33, 37, 6),
                    (38, 41, 6),
                    (42, 44, 6),
                ],
            ),
        ]
    }

    #[test]
    fn krippendorff_2019_figure_12_11_u_alpha() {
        let u = u_alpha(&book()).unwrap();
        assert_eq!(u, Ratio::new(16349, 32058).unwrap());
        assert!((u.to_f64() - 0.510).abs() < 5e-4);
    }

    #[test]
    fn krippendorff_2019_figure_12_11_cu_alpha() {
        // cuα = .724 (coverage 83/180) with each valued segment's own
        // pairable length squared as its self-pairing term.
        let (cu, coverage) = cu_alpha(&book());
        let cu = cu.unwrap().to_f64();
        assert!((cu - 0.724).abs() < 1e-3, "{cu}");
        assert_eq!(coverage, Ratio::new(83, 180));
    }

    #[test]
    fn two_coders_need_no_choice_of_reading() {
        // Alex and Paul only: all published readings agree (uα = .3540,
        // cuα = .6939).
        let two = book()[..2].to_vec();
        assert!((u_alpha(&two).unwrap().to_f64() - 0.3540).abs() < 5e-5);
        assert!((cu_alpha(&two).0.unwrap().to_f64() - 0.6939).abs() < 5e-5);
    }

    #[test]
    fn binary_alpha_of_one_code_and_edge_cases() {
        let same = vec![coder(20, &[(3, 8, 1)]), coder(20, &[(3, 8, 1)])];
        assert_eq!(binary_u_alpha(&same, 1), Ok(Ratio::ONE));
        assert_eq!(
            binary_u_alpha(&same, 2).unwrap_err(),
            "no coder applied this code"
        );
        let apart = vec![coder(20, &[(1, 5, 1)]), coder(20, &[(11, 15, 1)])];
        assert!(binary_u_alpha(&apart, 1).unwrap().to_f64() < 0.0);
        assert!(u_alpha(&[coder(20, &[])]).is_err());
        let gaps = vec![coder(20, &[]), coder(20, &[])];
        assert!(cu_alpha(&gaps).0.unwrap_err().contains("intersect"));
    }
}
