//! Per-query diagnostics of which data points carry the estimate.

use crate::engine::Accumulator;
use crate::fastexp::exp_with;

/// What one query's estimate is made of.
///
/// With normalised kernel terms `w_i = omega_i k(|z_x - z_i|)` (`omega_i = n p_i`, so `1` for
/// unweighted data) and `Z = sum_i w_i`:
///
/// * `ln_density`: `ln rho_hat(x)`;
/// * `ln_z`: `ln Z` (the partition function of the regime theory; for the Gaussian kernel with
///   scalar `h`, `w_i = exp(-|x - y_i|^2 / (2 h^2))`);
/// * `y2`: the participation ratio `Y2 = sum_i w_i^2 / Z^2`, between `1/n` (all points
///   contribute equally) and `1` (a single point carries the estimate);
/// * `n_eff = 1 / Y2`, the effective number of contributing points;
/// * `max_weight`: the largest normalised weight `max_i w_i / Z`;
/// * `top`: the indices of the largest contributors with their normalised weights, largest
///   first.
///
/// Where every term vanishes (a compact kernel whose support no data point reaches),
/// `ln_density = ln_z = -inf` and `y2`, `n_eff`, `max_weight` are NaN-free zeros
/// (`y2 = 0`, `n_eff = 0`, `max_weight = 0`), with `top` empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostics {
    /// `ln rho_hat(x)`.
    pub ln_density: f64,
    /// `ln Z`.
    pub ln_z: f64,
    /// Participation ratio `Y2`.
    pub y2: f64,
    /// Effective number of points `1 / Y2`.
    pub n_eff: f64,
    /// Largest normalised weight.
    pub max_weight: f64,
    /// `(index, normalised weight)` of the largest contributors, largest first.
    pub top: Vec<(usize, f64)>,
}

/// Streaming accumulator of the first two power sums and the top-k terms.
#[derive(Debug, Clone)]
pub(crate) struct DiagAcc {
    max: f64,
    s1: f64,
    s2: f64,
    k: usize,
    /// `(term, index)`, sorted by decreasing term.
    top: Vec<(f64, usize)>,
}

impl DiagAcc {
    pub(crate) fn new(k: usize) -> Self {
        DiagAcc {
            max: f64::NEG_INFINITY,
            s1: 0.0,
            s2: 0.0,
            k,
            top: Vec::with_capacity(k + 1),
        }
    }

    fn rescale_to(&mut self, m: f64) {
        if m > self.max {
            let f = (self.max - m).exp();
            self.s1 *= f;
            self.s2 *= f * f;
            self.max = m;
        }
    }

    fn offer(&mut self, t: f64, i: usize) {
        if self.top.len() == self.k {
            // proven: k >= 1 is checked by the caller, so a full list is non-empty.
            if t <= self.top[self.k - 1].0 {
                return;
            }
            self.top.pop();
        }
        let pos = self
            .top
            .partition_point(|&(u, j)| u > t || (u == t && j < i));
        self.top.insert(pos, (t, i));
    }

    /// `ln_sum` is `ln sum_i p_i k_i` (the log-sum-exp of the terms), `ln_shift` what turns it
    /// into `ln rho_hat`, `ln_n` what turns it into `ln Z`.
    pub(crate) fn finish(self, ln_shift: f64, ln_n: f64) -> Diagnostics {
        if self.max == f64::NEG_INFINITY {
            return Diagnostics {
                ln_density: f64::NEG_INFINITY,
                ln_z: f64::NEG_INFINITY,
                y2: 0.0,
                n_eff: 0.0,
                max_weight: 0.0,
                top: Vec::new(),
            };
        }
        let ln_sum = self.max + self.s1.ln();
        let y2 = self.s2 / (self.s1 * self.s1);
        Diagnostics {
            ln_density: (self.max + ln_shift) + self.s1.ln(),
            ln_z: ln_sum + ln_n,
            y2,
            n_eff: 1.0 / y2,
            max_weight: (self.top[0].0 - ln_sum).exp(),
            top: self
                .top
                .iter()
                .map(|&(t, i)| (i, (t - ln_sum).exp()))
                .collect(),
        }
    }
}

impl Accumulator for DiagAcc {
    fn max(&self) -> f64 {
        self.max
    }

    fn push(&mut self, terms: &[f64], first: usize) {
        let tile_max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if tile_max == f64::NEG_INFINITY {
            return;
        }
        self.rescale_to(tile_max);
        let m = self.max;
        for (j, &t) in terms.iter().enumerate() {
            if t == f64::NEG_INFINITY {
                continue;
            }
            let e = exp_with::<false>(t - m);
            self.s1 += e;
            self.s2 += e * e;
            self.offer(t, first + j);
        }
    }

    fn merge(&mut self, later: Self) {
        if later.max == f64::NEG_INFINITY {
            return;
        }
        self.rescale_to(later.max);
        let f = (later.max - self.max).exp();
        self.s1 += later.s1 * f;
        self.s2 += later.s2 * f * f;
        for (t, i) in later.top {
            self.offer(t, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participation_ratio_of_known_weights() {
        // Weights 1, 1, 2 (terms ln 1, ln 1, ln 2): Z = 4, Y2 = (1 + 1 + 4)/16 = 3/8.
        let mut a = DiagAcc::new(2);
        a.push(&[0.0, 0.0], 0);
        let mut b = DiagAcc::new(2);
        b.push(&[2f64.ln()], 2);
        a.merge(b);
        let d = a.finish(0.0, 0.0);
        assert!((d.y2 - 0.375).abs() < 1e-15);
        assert!((d.n_eff - 8.0 / 3.0).abs() < 1e-14);
        assert!((d.max_weight - 0.5).abs() < 1e-15);
        assert_eq!(d.top.len(), 2);
        assert_eq!(d.top[0].0, 2);
        assert_eq!(d.top[1].0, 0, "ties broken by the smaller index");
        assert!((d.ln_z - 4f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn empty_support_is_zero_not_nan() {
        let mut a = DiagAcc::new(3);
        a.push(&[f64::NEG_INFINITY; 4], 0);
        let d = a.finish(1.0, 2.0);
        assert_eq!(d.ln_density, f64::NEG_INFINITY);
        assert_eq!((d.y2, d.n_eff, d.max_weight), (0.0, 0.0, 0.0));
    }
}
