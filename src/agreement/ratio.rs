//! Exact rational arithmetic for agreement coefficients.
//!
//! Coincidence matrices hold fractions such as 1/(m−1), and coefficients are
//! ratios of large sums: computing them in floating point would make the
//! result depend on the order of summation. Every coefficient is computed
//! exactly with [`Ratio`] and converted to `f64` once, at the end.

use std::cmp::Ordering;

/// A fraction of two `i128`, kept reduced with a positive denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    n: i128,
    d: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The arithmetic overflowed `i128` (a corpus of impossible size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl Ratio {
    /// Zero.
    pub const ZERO: Ratio = Ratio { n: 0, d: 1 };
    /// One.
    pub const ONE: Ratio = Ratio { n: 1, d: 1 };

    /// Returns `n / d`; `None` when `d` is zero.
    pub fn new(n: i128, d: i128) -> Option<Ratio> {
        if d == 0 {
            return None;
        }
        let g = gcd(n, d).max(1);
        let s = if d < 0 { -1 } else { 1 };
        Some(Ratio {
            n: s * n / g,
            d: s * d / g,
        })
    }

    /// Returns the integer `n`.
    pub fn int(n: i128) -> Ratio {
        Ratio { n, d: 1 }
    }

    /// Returns true when zero.
    pub fn is_zero(&self) -> bool {
        self.n == 0
    }

    /// Returns the nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        self.n as f64 / self.d as f64
    }

    /// Returns `self + other`.
    pub fn plus(self, other: Ratio) -> Result<Ratio, Overflow> {
        let g = gcd(self.d, other.d);
        let (a, b) = (self.d / g, other.d / g);
        let n = self
            .n
            .checked_mul(b)
            .and_then(|x| other.n.checked_mul(a).and_then(|y| x.checked_add(y)))
            .ok_or(Overflow)?;
        let d = self.d.checked_mul(b).ok_or(Overflow)?;
        Ratio::new(n, d).ok_or(Overflow)
    }

    /// Returns `self - other`.
    pub fn minus(self, other: Ratio) -> Result<Ratio, Overflow> {
        self.plus(Ratio {
            n: -other.n,
            d: other.d,
        })
    }

    /// Returns `self * other`.
    pub fn times(self, other: Ratio) -> Result<Ratio, Overflow> {
        // Cross-reduce first to keep the numbers small.
        let g1 = gcd(self.n, other.d).max(1);
        let g2 = gcd(other.n, self.d).max(1);
        let n = (self.n / g1).checked_mul(other.n / g2).ok_or(Overflow)?;
        let d = (self.d / g2).checked_mul(other.d / g1).ok_or(Overflow)?;
        Ratio::new(n, d).ok_or(Overflow)
    }

    /// Returns `self / other`; `None` inside when `other` is zero.
    pub fn over(self, other: Ratio) -> Result<Option<Ratio>, Overflow> {
        if other.n == 0 {
            return Ok(None);
        }
        self.times(Ratio {
            n: other.d * other.n.signum(),
            d: other.n.abs(),
        })
        .map(Some)
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        // Denominators are positive; compare n1·d2 with n2·d1 (widening is
        // not available, so fall back to f64 only on overflow).
        match (self.n.checked_mul(other.d), other.n.checked_mul(self.d)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn arithmetic_is_exact_and_reduced() {
        assert_eq!(r(2, 4), r(1, 2));
        assert_eq!(r(1, -2), r(-1, 2));
        assert_eq!(r(1, 3).plus(r(1, 6)).unwrap(), r(1, 2));
        assert_eq!(r(1, 3).minus(r(1, 2)).unwrap(), r(-1, 6));
        assert_eq!(r(2, 3).times(r(9, 4)).unwrap(), r(3, 2));
        assert_eq!(r(2, 3).over(r(4, 9)).unwrap(), Some(r(3, 2)));
        assert_eq!(r(2, 3).over(Ratio::ZERO).unwrap(), None);
        assert!(r(1, 3) < r(1, 2));
        // Summing thirds in any order gives exactly one.
        let third = r(1, 3);
        assert_eq!(third.plus(third).unwrap().plus(third).unwrap(), Ratio::ONE);
        assert_eq!(Ratio::int(i128::MAX).plus(Ratio::ONE), Err(Overflow));
    }
}
