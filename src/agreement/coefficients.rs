//! Agreement coefficients for coded units: percent agreement, Cohen's and
//! Fleiss' kappa, Krippendorff's alpha (nominal).
//!
//! Every coefficient is computed exactly ([`Ratio`]) and is either a value
//! or the reason it is undefined; never NaN.

use std::collections::BTreeMap;

use super::ratio::{Overflow, Ratio};

/// A coefficient: its exact value, or why it is undefined.
pub type Coefficient = Result<Ratio, String>;

fn int(n: u64) -> Ratio {
    Ratio::int(n as i128)
}

/// Turns an overflow into an undefined coefficient.
fn exact(f: impl FnOnce() -> Result<Coefficient, Overflow>) -> Coefficient {
    f().unwrap_or_else(|_| Err("the numbers are too large to compute exactly".into()))
}

/// Returns `1 − num/den`, or `reason` when `den` is zero.
fn one_minus(num: Ratio, den: Ratio, reason: &str) -> Result<Coefficient, Overflow> {
    Ok(match num.over(den)? {
        Some(q) => Ok(Ratio::ONE.minus(q)?),
        None => Err(reason.to_string()),
    })
}

/// Share of units on which every coder agrees: `agreeing / units`.
pub fn percent_agreement(agreeing: u64, units: u64) -> Coefficient {
    Ratio::new(agreeing as i128, units as i128).ok_or_else(|| "there are no units".to_string())
}

/// Cohen's kappa from a k×k contingency table (rows: coder A, columns:
/// coder B): (p_o − p_e) / (1 − p_e), with p_e from the two coders' own
/// marginals (Cohen 1960).
pub fn cohen_kappa(table: &[Vec<u64>]) -> Coefficient {
    exact(|| {
        let n: u64 = table.iter().flatten().sum();
        if n == 0 {
            return Ok(Err("there are no units".into()));
        }
        let k = table.len();
        let diag: u64 = (0..k).map(|i| table[i].get(i).copied().unwrap_or(0)).sum();
        let mut chance = Ratio::ZERO;
        for i in 0..k {
            let row: u64 = table[i].iter().sum();
            let col: u64 = table.iter().map(|r| r.get(i).copied().unwrap_or(0)).sum();
            chance = chance.plus(int(row).times(int(col))?)?;
        }
        // κ = (N·diag − Σ r·c) / (N² − Σ r·c)
        let nn = int(n).times(int(n))?;
        let num = int(n).times(int(diag))?.minus(chance)?;
        let den = nn.minus(chance)?;
        Ok(match num.over(den)? {
            Some(k) => Ok(k),
            None => Err("both coders gave every unit the same single value, so agreement by chance is certain".into()),
        })
    })
}

/// Fleiss' kappa from per-subject category counts (`counts[i][j]`: how
/// many coders put subject i in category j; every subject rated by the same
/// number of coders, at least two) (Fleiss 1971).
pub fn fleiss_kappa(counts: &[Vec<u64>]) -> Coefficient {
    exact(|| {
        let subjects = counts.len() as u64;
        let Some(raters) = counts.first().map(|r| r.iter().sum::<u64>()) else {
            return Ok(Err("there are no units".into()));
        };
        if raters < 2 {
            return Ok(Err("fewer than two coders".into()));
        }
        if counts.iter().any(|r| r.iter().sum::<u64>() != raters) {
            return Ok(Err("not every unit was rated by every coder".into()));
        }
        let cats = counts.iter().map(Vec::len).max().unwrap_or(0);
        let total = int(subjects).times(int(raters))?;
        let mut squares = Ratio::ZERO;
        for row in counts {
            for &c in row {
                squares = squares.plus(int(c).times(int(c))?)?;
            }
        }
        // P̄ = (Σ n_ij² − N n) / (N n (n − 1))
        let p_bar = match squares.minus(total)?.over(total.times(int(raters - 1))?)? {
            Some(p) => p,
            None => return Ok(Err("there are no units".into())),
        };
        // P̄e = Σ_j p_j², p_j = Σ_i n_ij / (N n)
        let mut p_e = Ratio::ZERO;
        for j in 0..cats {
            let col: u64 = counts.iter().map(|r| r.get(j).copied().unwrap_or(0)).sum();
            let p = int(col).over(total)?.unwrap_or(Ratio::ZERO);
            p_e = p_e.plus(p.times(p)?)?;
        }
        Ok(match p_bar.minus(p_e)?.over(Ratio::ONE.minus(p_e)?)? {
            Some(k) => Ok(k),
            None => Err("every coder put every unit in the same category, so agreement by chance is certain".into()),
        })
    })
}

/// Krippendorff's alpha for nominal data, any number of coders, missing
/// data allowed: `units[u]` holds the values the coders who coded unit u
/// gave it. Units with fewer than two values are not pairable and are left
/// out (Krippendorff 2011, section C).
pub fn krippendorff_nominal<V: Ord>(units: &[Vec<V>]) -> Coefficient {
    let weighted: Vec<(&[V], u64)> = units.iter().map(|u| (u.as_slice(), 1)).collect();
    krippendorff_nominal_weighted(&weighted)
}

/// [`krippendorff_nominal`] where each entry stands for `weight` identical
/// units (a stretch of text with the same values, for example).
pub fn krippendorff_nominal_weighted<V: Ord>(units: &[(&[V], u64)]) -> Coefficient {
    exact(|| {
        let mut n: u64 = 0;
        // Σ_u same_u·w_u per number of values m, divided by m − 1 at the end
        // (exact, and one division per m rather than per unit).
        let mut same_by_m: BTreeMap<u64, u128> = BTreeMap::new();
        let mut totals: BTreeMap<&V, u64> = BTreeMap::new(); // n_c
        let mut counts: BTreeMap<&V, u64> = BTreeMap::new();
        for (unit, weight) in units {
            let m = unit.len() as u64;
            if m < 2 || *weight == 0 {
                continue;
            }
            counts.clear();
            for v in unit.iter() {
                *counts.entry(v).or_default() += 1;
            }
            let mut same = 0u64;
            for (v, c) in &counts {
                same += c * (c - 1);
                *totals.entry(v).or_default() += c * weight;
            }
            *same_by_m.entry(m).or_default() += same as u128 * *weight as u128;
            n += m * weight;
        }
        let mut agree = Ratio::ZERO; // Σ_c o_cc
        for (m, same) in same_by_m {
            let same = i128::try_from(same).map_err(|_| Overflow)?;
            agree = agree.plus(Ratio::new(same, (m - 1) as i128).ok_or(Overflow)?)?;
        }
        binary_like_alpha(n, agree, totals.values().copied())
    })
}

/// α = 1 − (n − 1)(n − Σ o_cc) / (n² − Σ n_c²), the nominal form.
fn binary_like_alpha(
    n: u64,
    agree: Ratio,
    totals: impl Iterator<Item = u64>,
) -> Result<Coefficient, Overflow> {
    if n < 2 {
        return Ok(Err("no unit was coded by two or more coders".into()));
    }
    let mut sq = Ratio::ZERO;
    for t in totals {
        sq = sq.plus(int(t).times(int(t))?)?;
    }
    let num = int(n - 1).times(int(n).minus(agree)?)?;
    let den = int(n).times(int(n))?.minus(sq)?;
    one_minus(
        num,
        den,
        "every coder gave every unit the same value, so there is no variation to measure agreement against",
    )
}

/// The coefficients of one binary decision (coded with the code or not)
/// made by `m` coders on every unit, from how many units show each pattern
/// (bit i set: coder i coded the unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    /// Number of coders.
    pub coders: usize,
    /// Units per pattern.
    pub patterns: BTreeMap<u64, u64>,
}

impl Binary {
    /// Returns the number of units.
    pub fn units(&self) -> u64 {
        self.patterns.values().sum()
    }

    /// Returns how many units coder `i` coded.
    pub fn coded_by(&self, i: usize) -> u64 {
        self.patterns
            .iter()
            .filter(|(p, _)| *p >> i & 1 == 1)
            .map(|(_, n)| n)
            .sum()
    }

    fn full(&self) -> u64 {
        (1u64 << self.coders) - 1
    }

    /// Returns how many units every coder coded.
    pub fn by_all(&self) -> u64 {
        self.patterns.get(&self.full()).copied().unwrap_or(0)
    }

    /// Returns how many units no coder coded.
    pub fn by_none(&self) -> u64 {
        self.patterns.get(&0).copied().unwrap_or(0)
    }

    /// Share of units on which all coders agree (all coded it, or none did).
    pub fn percent_agreement(&self) -> Coefficient {
        percent_agreement(self.by_all() + self.by_none(), self.units())
    }

    /// Cohen's kappa (two coders only).
    pub fn cohen_kappa(&self) -> Coefficient {
        if self.coders != 2 {
            return Err(format!(
                "Cohen's kappa is for two coders, not {}",
                self.coders
            ));
        }
        let get = |p: u64| self.patterns.get(&p).copied().unwrap_or(0);
        // Rows: coder 0 (not coded, coded); columns: coder 1.
        cohen_kappa(&[vec![get(0b00), get(0b10)], vec![get(0b01), get(0b11)]])
    }

    /// Fleiss' kappa.
    pub fn fleiss_kappa(&self) -> Coefficient {
        let m = self.coders as u64;
        // Fleiss' formulas are sums over units: each pattern counts once
        // per unit that shows it.
        let mut squares = 0u128;
        let mut coded = 0u128;
        let units = self.units() as u128;
        for (&p, &n) in &self.patterns {
            let yes = u64::from(p.count_ones()) as u128;
            let no = m as u128 - yes;
            squares += (yes * yes + no * no) * n as u128;
            coded += yes * n as u128;
        }
        exact(|| {
            if self.coders < 2 {
                return Ok(Err("fewer than two coders".into()));
            }
            if units == 0 {
                return Ok(Err("there are no units".into()));
            }
            let total = Ratio::int((units * m as u128) as i128);
            let p_bar = Ratio::int(squares as i128)
                .minus(total)?
                .over(total.times(Ratio::int(m as i128 - 1))?)?
                .unwrap_or(Ratio::ZERO);
            let p1 = Ratio::int(coded as i128)
                .over(total)?
                .unwrap_or(Ratio::ZERO);
            let p0 = Ratio::ONE.minus(p1)?;
            let p_e = p1.times(p1)?.plus(p0.times(p0)?)?;
            Ok(match p_bar.minus(p_e)?.over(Ratio::ONE.minus(p_e)?)? {
                Some(k) => Ok(k),
                None => Err("every coder made the same decision on every unit, so agreement by chance is certain".into()),
            })
        })
    }

    /// Krippendorff's alpha (nominal = binary here; no missing data).
    pub fn krippendorff_alpha(&self) -> Coefficient {
        exact(|| {
            let m = self.coders as u64;
            if m < 2 {
                return Ok(Err("fewer than two coders".into()));
            }
            let mut same = 0u64;
            let mut ones = 0u64;
            for (&p, &n) in &self.patterns {
                let yes = u64::from(p.count_ones());
                let no = m - yes;
                same += (yes * yes.saturating_sub(1) + no * no.saturating_sub(1)) * n;
                ones += yes * n;
            }
            let n = self.units() * m;
            let agree = Ratio::new(same as i128, (m - 1) as i128).ok_or(Overflow)?;
            binary_like_alpha(n, agree, [ones, n - ones].into_iter())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approx(c: &Coefficient, expected: f64, tolerance: f64) {
        let v = c.as_ref().expect("defined").to_f64();
        assert!((v - expected).abs() <= tolerance, "{v} vs {expected}");
    }

    /// Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    /// Annenberg School for Communication, Departmental Papers 43, section A
    /// (binary data, two observers, no missing data): α = 0.095, exactly
    /// 1 − 19·4/(14·6).
    #[test]
    fn krippendorff_2011_binary_two_observers() {
        let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
        let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
        let units: Vec<Vec<u8>> = a.iter().zip(b).map(|(x, y)| vec![*x, y]).collect();
        let alpha = krippendorff_nominal(&units).unwrap();
        assert_eq!(alpha, Ratio::new(84 - 76, 84).unwrap());
        approx(&Ok(alpha), 0.095, 5e-4);
        // The same data as a pattern count.
        let mut patterns = BTreeMap::new();
        for (x, y) in a.iter().zip(b) {
            *patterns
                .entry(u64::from(*x) | u64::from(y) << 1)
                .or_default() += 1;
        }
        let binary = Binary {
            coders: 2,
            patterns,
        };
        assert_eq!(binary.krippendorff_alpha().unwrap(), alpha);
        approx(&binary.percent_agreement(), 0.6, 0.0);
    }

    /// Krippendorff (2011), section B (nominal data, two observers, no
    /// missing data, values a–e): α = 0.692.
    #[test]
    fn krippendorff_2011_nominal_two_observers() {
        let a = "aabbdcccedda";
        let b = "babbbcccedd d".replace(' ', "");
        let units: Vec<Vec<char>> = a.chars().zip(b.chars()).map(|(x, y)| vec![x, y]).collect();
        let alpha = krippendorff_nominal(&units);
        assert_eq!(alpha, Ok(Ratio::new(448 - 138, 448).unwrap()));
        approx(&alpha, 0.692, 5e-4);
    }

    /// Krippendorff (2011), section C (nominal data, four observers,
    /// twelve units, missing data): α = 0.743.
    #[test]
    fn krippendorff_2011_nominal_missing_data() {
        let rows: [[Option<u8>; 12]; 4] = {
            const N: Option<u8> = None;
            [
                [
                    Some(1),
                    Some(2),
                    Some(3),
                    Some(3),
                    Some(2),
                    Some(1),
                    Some(4),
                    Some(1),
                    Some(2),
                    N,
                    N,
                    N,
                ],
                [
                    Some(1),
                    Some(2),
                    Some(3),
                    Some(3),
                    Some(2),
                    Some(2),
                    Some(4),
                    Some(1),
                    Some(2),
                    Some(5),
                    N,
                    Some(3),
                ],
                [
                    N,
                    Some(3),
                    Some(3),
                    Some(3),
                    Some(2),
                    Some(3),
                    Some(4),
                    Some(2),
                    Some(2),
                    Some(5),
                    Some(1),
                    N,
                ],
                [
                    Some(1),
                    Some(2),
                    Some(3),
                    Some(3),
                    Some(2),
                    Some(4),
                    Some(4),
                    Some(1),
                    Some(2),
                    Some(5),
                    Some(1),
                    N,
                ],
            ]
        };
        let units: Vec<Vec<u8>> = (0..12)
            .map(|u| rows.iter().filter_map(|r| r[u]).collect())
            .collect();
        let alpha = krippendorff_nominal(&units);
        assert_eq!(alpha, Ok(Ratio::new(904, 1216).unwrap()));
        approx(&alpha, 0.743, 5e-4);
    }

    /// Fleiss, J. L. (1971). Measuring nominal scale agreement among many
    /// raters. Psychological Bulletin 76(5), 378–382, Table 1 (p. 379): 30
    /// patients, 6 psychiatrists, 5 diagnoses; κ = .430 (P̄ = .5556).
    #[test]
    fn fleiss_1971_diagnoses() {
        let counts: Vec<Vec<u64>> = [
            [0, 0, 0, 6, 0],
            [0, 3, 0, 0, 3],
            [0, 1, 4, 0, 1],
            [0, 0, 0, 0, 6],
            [0, 3, 0, 3, 0],
            [2, 0, 4, 0, 0],
            [0, 0, 4, 0, 2],
            [2, 0, 3, 1, 0],
            [2, 0, 0, 4, 0],
            [0, 0, 0, 0, 6],
            [1, 0, 0, 5, 0],
            [1, 1, 0, 4, 0],
            [0, 3, 3, 0, 0],
            [1, 0, 0, 5, 0],
            [0, 2, 0, 3, 1],
            [0, 0, 5, 0, 1],
            [3, 0, 0, 1, 2],
            [5, 1, 0, 0, 0],
            [0, 2, 0, 4, 0],
            [1, 0, 2, 0, 3],
            [0, 0, 0, 0, 6],
            [0, 1, 0, 5, 0],
            [0, 2, 0, 1, 3],
            [2, 0, 0, 4, 0],
            [1, 0, 0, 4, 1],
            [0, 5, 0, 1, 0],
            [4, 0, 0, 0, 2],
            [0, 2, 0, 4, 0],
            [1, 0, 5, 0, 0],
            [0, 0, 0, 0, 6],
        ]
        .iter()
        .map(|r| r.to_vec())
        .collect();
        let kappa = fleiss_kappa(&counts);
        approx(&kappa, 0.430, 5e-4);
        approx(&kappa, 0.4302445, 1e-7); // R irr::kappam.fleiss(diagnoses)
    }

    /// Cohen, J. (1960). A coefficient of agreement for nominal scales.
    /// Educational and Psychological Measurement 20(1), 37–46: the 200-case
    /// example (p. 45), p_o = .70, p_e = .41, κ = .492; and the example on
    /// p. 37, where agreement is below chance (p_o = .29, p_e = .35).
    #[test]
    fn cohen_1960_examples() {
        let t = vec![vec![88, 14, 18], vec![10, 40, 10], vec![2, 6, 12]];
        let kappa = cohen_kappa(&t);
        assert_eq!(kappa, Ok(Ratio::new(29, 59).unwrap()));
        approx(&kappa, 0.492, 5e-4);
        let t = vec![vec![25, 12, 3], vec![13, 2, 15], vec![12, 16, 2]];
        assert_eq!(cohen_kappa(&t), Ok(Ratio::new(-6, 65).unwrap()));
    }

    #[test]
    fn undefined_coefficients_say_why() {
        // Nobody used the code: every unit uncoded by both coders.
        let b = Binary {
            coders: 2,
            patterns: BTreeMap::from([(0, 10)]),
        };
        assert_eq!(b.percent_agreement(), Ok(Ratio::ONE));
        assert!(b.cohen_kappa().unwrap_err().contains("same single value"));
        assert!(b.fleiss_kappa().unwrap_err().contains("same decision"));
        assert!(b.krippendorff_alpha().unwrap_err().contains("no variation"));
        let three = Binary {
            coders: 3,
            patterns: BTreeMap::from([(0b111, 2), (0, 3), (0b001, 1)]),
        };
        assert!(
            three
                .cohen_kappa()
                .unwrap_err()
                .contains("two coders, not 3")
        );
        assert!(three.fleiss_kappa().is_ok());
        assert_eq!(
            krippendorff_nominal::<u8>(&[vec![1], vec![2]]).unwrap_err(),
            "no unit was coded by two or more coders"
        );
        assert!(percent_agreement(0, 0).is_err());
    }

    #[test]
    fn binary_patterns_agree_with_the_general_formulas() {
        // Three coders; compare pattern-based Fleiss and alpha with the
        // general functions on expanded data.
        let patterns = BTreeMap::from([(0b000, 4), (0b111, 3), (0b011, 2), (0b100, 1)]);
        let b = Binary {
            coders: 3,
            patterns: patterns.clone(),
        };
        let mut counts = Vec::new();
        let mut units = Vec::new();
        for (p, n) in patterns {
            for _ in 0..n {
                let yes = u64::from(p.count_ones());
                counts.push(vec![3 - yes, yes]);
                units.push((0..3).map(|i| (p >> i) & 1).collect::<Vec<u64>>());
            }
        }
        assert_eq!(b.fleiss_kappa(), fleiss_kappa(&counts));
        assert_eq!(b.krippendorff_alpha(), krippendorff_nominal(&units));
        assert_eq!(
            (
                b.units(),
                b.coded_by(0),
                b.coded_by(2),
                b.by_all(),
                b.by_none()
            ),
            (10, 5, 4, 3, 4)
        );
    }
}
