//! The exact law of one scaled distance for isotropic Gaussian data, and the exact
//! expectation of the Hill statistic of the nearest data points.
//!
//! This is independent of the library's saddle-point machinery: it uses only the
//! regularised incomplete gamma function of `statrs`.

use statrs::function::gamma::{gamma_lr, ln_gamma};

/// `P(U_(k+1) <= p)` for the `(k+1)`-th smallest of `n` i.i.d. uniforms, i.e.
/// `P(Binomial(n, p) >= k + 1) = 1 - sum_{j <= k} C(n, j) p^j (1 - p)^(n - j)`.
///
/// Each term is summed in logs as `sum_{i < j} ln((n - i) p) - ln j! + (n - j) ln(1 - p)`,
/// which stays exact for any `n` representable as a double (the tests use `n` up to
/// `e^173`; the regularised incomplete beta function loses its accuracy there).
pub(crate) fn order_statistic_cdf(n: f64, k: usize, p: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let tail = (-p).ln_1p();
    let mut ln_falling = 0.0;
    let mut below = 0.0;
    for j in 0..=k {
        let jf = j as f64;
        if j > 0 {
            ln_falling += ((n - jf + 1.0) * p).ln();
        }
        below += (ln_falling - ln_gamma(jf + 1.0) + (n - jf) * tail).exp();
    }
    (1.0 - below).max(0.0)
}

/// Law of `r = |x - y|^2 / d` for `y ~ N(0, I_d)` and a fixed test point with `|x|^2 = lam`.
///
/// `d r` is non-central chi-square with `d` degrees of freedom and non-centrality `lam`, a
/// Poisson(`lam/2`) mixture of central chi-squares with `d + 2j` degrees of freedom:
///
/// ```text
/// F(u)          = sum_j pi_j P(d/2 + j, d u/2)
/// E[r; r <= u]  = (1/d) sum_j pi_j (d + 2j) P(d/2 + j + 1, d u/2)
/// ```
///
/// (`P` the regularised lower incomplete gamma function; the second line uses
/// `E[X; X <= s] = nu P(nu/2 + 1, s/2)` for `X ~ chi^2_nu`).
#[derive(Debug, Clone)]
pub(crate) struct DistanceLaw {
    d: f64,
    /// `(j, pi_j)`.
    weights: Vec<(f64, f64)>,
}

impl DistanceLaw {
    pub(crate) fn new(d: usize, lam: f64) -> Self {
        let half = 0.5 * lam;
        let mut weights = Vec::new();
        if half == 0.0 {
            weights.push((0.0, 1.0));
        } else {
            // Every j below the mode is kept (in the left tail of r they carry most of F);
            // above the mode the weights fall faster than any power and the terms are cut
            // once pi_j < 1e-18: the neglected mass is below 1e-17, far below the
            // F ~ 1e-5 .. 1e-3 of the nearest points.
            let mut j = 0usize;
            loop {
                let jf = j as f64;
                let pi = (-half + jf * half.ln() - ln_gamma(jf + 1.0)).exp();
                if jf > half && pi < 1e-18 {
                    break;
                }
                weights.push((jf, pi));
                j += 1;
            }
        }
        DistanceLaw {
            d: d as f64,
            weights,
        }
    }

    /// `(F(u), E[r; r <= u])`.
    pub(crate) fn cdf_and_partial_mean(&self, u: f64) -> (f64, f64) {
        let s = 0.5 * self.d * u;
        let mut cdf = 0.0;
        let mut partial = 0.0;
        for &(j, pi) in &self.weights {
            let a = 0.5 * self.d + j;
            cdf += pi * gamma_lr(a, s);
            partial += pi * (self.d + 2.0 * j) / self.d * gamma_lr(a + 1.0, s);
        }
        (cdf, partial)
    }

    /// `F^(-1)(p)` by bisection, for `0 < p < 1`.
    pub(crate) fn quantile(&self, p: f64) -> f64 {
        let (mut lo, mut hi) = (0.0, 1.0);
        while self.cdf_and_partial_mean(hi).0 < p {
            lo = hi;
            hi *= 2.0;
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.cdf_and_partial_mean(mid).0 < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// Exact expectation of the Hill statistic of the distances,
    /// `E[(1/k) sum_{i <= k} (r_(k+1) - r_(i))]`, over `n` i.i.d. draws (`r_(1) <= r_(2) ..`).
    ///
    /// Given `r_(k+1) = u`, the `k` smaller draws are i.i.d. from `F` restricted to `[0, u]`,
    /// so the conditional expectation is `A(u) = u - E[r; r <= u] / F(u)`; and
    /// `F(r_(k+1)) ~ Beta(k + 1, n - k)` ([`order_statistic_cdf`]). The outer expectation is a midpoint sum over `u` on
    /// a grid of `grid` points spanning the `Gamma(k + 1) / n` bulk of `F(r_(k+1))` (from
    /// `k + 1 - 9 sqrt(k+1)` to `k + 1 + 10 sqrt(k+1)` expected points: the Beta mass outside
    /// is below 1e-12).
    ///
    /// The Hill estimate of the tail index of the kernel terms `w = exp(-d b r)` is
    /// `1 / (d b * statistic)`.
    pub(crate) fn expected_hill(&self, n: f64, k: usize, grid: usize) -> f64 {
        let kk = (k + 1) as f64;
        let lo = self.quantile((kk - 9.0 * kk.sqrt()).max(0.05) / n);
        let hi = self.quantile((kk + 10.0 * kk.sqrt()) / n);
        let order_cdf = |u: f64| order_statistic_cdf(n, k, self.cdf_and_partial_mean(u).0);
        let mut previous = order_cdf(lo);
        let (mut sum, mut mass) = (0.0, 0.0);
        for i in 1..=grid {
            let a = lo + (hi - lo) * (i - 1) as f64 / grid as f64;
            let e = lo + (hi - lo) * i as f64 / grid as f64;
            let c = order_cdf(e);
            let mid = 0.5 * (a + e);
            let (f, partial) = self.cdf_and_partial_mean(mid);
            sum += (mid - partial / f) * (c - previous);
            mass += c - previous;
            previous = c;
        }
        sum / mass
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::{gaussian, mean_se, stream};
    use statrs::function::beta::beta_reg;

    #[test]
    fn order_statistic_law_matches_beta_and_poisson_limits() {
        // Moderate n: the regularised incomplete beta function I_p(k + 1, n - k) is exact
        // (statrs, ~1e-14); the binomial sum agrees to 1e-11.
        for (n, k, p) in [(2981.0, 20, 0.007), (49_021.0, 20, 3e-4), (200.0, 0, 0.01)] {
            let got = order_statistic_cdf(n, k, p);
            let want = beta_reg(k as f64 + 1.0, n - k as f64, p);
            assert!((got - want).abs() < 1e-11, "n = {n}: {got} vs {want}");
        }
        // Huge n: the Poisson limit P(Gamma(k + 1) <= n p) holds up to O(k^2 / n).
        let n = 1e75;
        for m in [5.0, 11.0, 20.0] {
            let got = order_statistic_cdf(n, 10, m / n);
            let want = gamma_lr(11.0, m);
            assert!((got - want).abs() < 1e-11, "m = {m}: {got} vs {want}");
        }
    }

    #[test]
    fn distance_law_matches_sampling() {
        // d = 10, |x|^2 = 7: F and E[r; r <= u] at u = 1.0 (left part of the law) against
        // 100,000 sampled distances; both are means of bounded variables, the SE is
        // computed and 4 of them allowed.
        let d = 10;
        let mut rng = stream(21, 0);
        let x: Vec<f64> = vec![7f64.sqrt(), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let y = gaussian(100_000, d, &mut rng);
        let u = 1.0;
        let (mut below, mut partial) = (Vec::new(), Vec::new());
        for row in y.row_iter() {
            let r: f64 = row
                .iter()
                .zip(&x)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                / d as f64;
            below.push(if r <= u { 1.0 } else { 0.0 });
            partial.push(if r <= u { r } else { 0.0 });
        }
        let law = DistanceLaw::new(d, 7.0);
        let (f, m) = law.cdf_and_partial_mean(u);
        let (fb, fse) = mean_se(&below);
        let (mb, mse) = mean_se(&partial);
        assert!((fb - f).abs() < 4.0 * fse, "F: {fb} +- {fse} vs {f}");
        assert!(
            (mb - m).abs() < 4.0 * mse,
            "E[r; r<=u]: {mb} +- {mse} vs {m}"
        );
        // The quantile inverts F to the bisection precision.
        let p = 1e-4;
        let q = law.quantile(p);
        assert!((law.cdf_and_partial_mean(q).0 / p - 1.0).abs() < 1e-9);
    }

    #[test]
    fn expected_hill_is_converged_and_exact_for_a_pareto_like_edge() {
        // Halving the grid step changes the expectation by less than 1e-4 relative (the
        // midpoint sum converges at second order).
        let law = DistanceLaw::new(40, 40.0);
        let n = 49_021.0;
        let coarse = law.expected_hill(n, 20, 100);
        let fine = law.expected_hill(n, 20, 200);
        assert!((coarse / fine - 1.0).abs() < 1e-4, "{coarse} vs {fine}");
        // In d = 2 with x = 0, r = |y|^2 / 2 is exponential with mean 1: F(u) = 1 - e^(-u),
        // so near 0 the draws are nearly uniform and the Hill statistic of the k nearest of
        // n is ~ (k + 1) / (2 n) (half the (k+1)-th spacing); the exponential curvature
        // corrects this by O(k / n) relative, below 1e-3 here.
        let flat = DistanceLaw::new(2, 0.0);
        let h = flat.expected_hill(1.0e5, 10, 200);
        let want = 11.0 / (2.0 * 1.0e5);
        assert!((h / want - 1.0).abs() < 1e-3, "{h} vs {want}");
    }
}
