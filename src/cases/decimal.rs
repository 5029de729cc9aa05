//! Exact decimal numbers for case data: parsed as researchers write them
//! in a spreadsheet (`£1,250`, `412.50`), added and halved without
//! rounding, so that totals of money add up to the penny.

use std::cmp::Ordering;

use serde::Serialize;

/// An exact decimal number: `units` × 10^−`scale`.
#[derive(Debug, Clone, Copy)]
pub struct Decimal {
    units: i128,
    scale: u32,
}

/// Most decimal places a case value may have.
const MAX_SCALE: u32 = 9;
/// Values must be below this many units (10^18, all digits counted without
/// the decimal point), so that sums of millions of them cannot overflow.
const MAX_UNITS: i128 = 1_000_000_000_000_000_000;

impl Decimal {
    /// Parses a number as researchers write it in a spreadsheet: an
    /// optional sign, an optional currency sign (£, $, €), digits with
    /// optional thousands separators (`1,250`) and decimals (`412.50`).
    pub fn parse(text: &str) -> Option<Decimal> {
        let mut s = text.trim();
        let negative = match s.as_bytes().first() {
            Some(b'-') => {
                s = &s[1..];
                true
            }
            Some(b'+') => {
                s = &s[1..];
                false
            }
            _ => false,
        };
        for sign in ['£', '$', '€'] {
            if let Some(rest) = s.strip_prefix(sign) {
                s = rest;
                break;
            }
        }
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        if whole.is_empty() && fraction.is_none_or(str::is_empty) {
            return None;
        }
        let groups: Vec<&str> = whole.split(',').collect();
        if groups.len() > 1
            && (groups[0].is_empty()
                || groups[0].len() > 3
                || groups[1..].iter().any(|g| g.len() != 3))
        {
            return None;
        }
        let mut units: i128 = 0;
        let mut scale = 0u32;
        let mut push = |c: char| -> Option<()> {
            let d = c.to_digit(10)?;
            units = units.checked_mul(10)?.checked_add(i128::from(d))?;
            Some(())
        };
        for c in groups.concat().chars() {
            push(c)?;
        }
        if let Some(f) = fraction {
            if f.is_empty() && whole.is_empty() {
                return None;
            }
            for c in f.chars() {
                push(c)?;
                scale += 1;
            }
            if scale > MAX_SCALE {
                return None;
            }
        }
        if units >= MAX_UNITS {
            return None;
        }
        Some(Decimal {
            units: if negative { -units } else { units },
            scale,
        })
    }

    /// Returns the value with `scale` decimal places (never fewer than it has).
    fn rescaled(self, scale: u32) -> i128 {
        self.units * 10i128.pow(scale.saturating_sub(self.scale))
    }

    /// Returns the value written without trailing decimal zeros (`1000`
    /// for `1,000.00`), so equal numbers compare equal as text.
    pub fn normalised(self) -> String {
        let mut d = self;
        while d.scale > 0 && d.units % 10 == 0 {
            d.units /= 10;
            d.scale -= 1;
        }
        d.to_string()
    }

    /// Returns the value as a float, for JSON.
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// Returns the number of decimal places it is written with.
    pub(super) fn scale(self) -> u32 {
        self.scale
    }

    /// Returns the sum of `values`, exactly, with `scale` decimal places
    /// (at least as many as any of them has).
    pub(super) fn sum(values: &[Decimal], scale: u32) -> Decimal {
        Decimal {
            units: values.iter().map(|d| d.rescaled(scale)).sum(),
            scale,
        }
    }

    /// Returns the mean of `a` and `b`, exactly: with `scale` decimal places
    /// (at least as many as either has), or one more when their sum is odd
    /// at that scale.
    pub(super) fn mean(a: Decimal, b: Decimal, scale: u32) -> Decimal {
        let sum = a.rescaled(scale) + b.rescaled(scale);
        if sum % 2 == 0 {
            Decimal {
                units: sum / 2,
                scale,
            }
        } else {
            Decimal {
                units: sum * 5,
                scale: scale + 1,
            }
        }
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.rescaled(scale).cmp(&other.rescaled(scale))
    }
}

impl std::fmt::Display for Decimal {
    /// Writes the number with its decimals (`412.50`), no thousands separators.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let digits = self.units.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

impl Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn numbers_parse_as_spreadsheets_write_them() {
        assert_eq!(d("412.50").to_string(), "412.50");
        assert_eq!(d("£1,250").to_string(), "1250");
        assert_eq!(d("-3").to_string(), "-3");
        assert_eq!(d(".5").to_string(), "0.5");
        assert_eq!(d("1,250.5"), d("1250.50"));
        for bad in [
            "",
            "-",
            "£",
            "12a",
            "1,25",
            ",125",
            "1.2.3",
            "about 300",
            "1 250",
            "99999999999999999999999999999999999",
            "1000000000000000000",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(d("1,000.00").normalised(), "1000");
        assert_eq!(d("0.50").normalised(), "0.5");
        assert!(Decimal::parse("1e3").is_none());
    }

    #[test]
    fn sums_and_means_are_exact_at_the_scale_asked() {
        assert_eq!(Decimal::sum(&[d("0.1"), d("0.2")], 1).to_string(), "0.3");
        assert_eq!(Decimal::sum(&[d("1"), d("2.5")], 2).to_string(), "3.50");
        assert_eq!(Decimal::sum(&[], 0).to_string(), "0");
        assert_eq!(Decimal::mean(d("2"), d("3"), 2).to_string(), "2.50");
        assert_eq!(Decimal::mean(d("1"), d("2"), 0).to_string(), "1.5");
        assert_eq!(Decimal::mean(d("-1"), d("-2"), 0).to_string(), "-1.5");
        assert_eq!(d("412.50").scale(), 2);
    }
}
