//! Least-squares cross-validation for the Gaussian kernel, in log space.

use hdkde_estimator::{Bandwidth, Kde};
use nalgebra::DMatrix;

use crate::cv::{check_range, check_tolerance, ln_range, CvData, CvShape, Split};
use crate::lcv::CvFit;
use crate::optimize::maximise;
use crate::SelectError;

/// The two terms of `LSCV(h)`, as logarithms.
///
/// `LSCV(h) = int rho_hat^2 - (2/n) sum_i rho_hat_(-i)(y_i) = A - 2 B` with
/// `ln A = ln_integral` and `ln B = ln_loo`. Both are kept as logs because in high dimension
/// `A` and `B` are far below the smallest double.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct LscvValue {
    /// `ln int rho_hat^2`.
    pub ln_integral: f64,
    /// `ln((1/n) sum_i rho_hat_(-i)(y_i))`.
    pub ln_loo: f64,
}

impl LscvValue {
    /// `LSCV(h) = A - 2 B` in linear space (may underflow to `0` in high dimension).
    pub fn value(&self) -> f64 {
        self.ln_integral.exp() - 2.0 * self.ln_loo.exp()
    }

    /// `ln(-LSCV(h)) = ln B + ln(2 - A/B)` where `LSCV < 0`, else `-inf`: the objective that
    /// [`Lscv`] maximises (an increasing function of `-LSCV`, and the minimum of `LSCV` is
    /// negative since `LSCV -> 0-` as `h -> inf`).
    pub fn ln_neg(&self) -> f64 {
        let t = self.ln_integral - self.ln_loo - std::f64::consts::LN_2;
        if t < 0.0 {
            self.ln_loo + std::f64::consts::LN_2 + (-t.exp_m1()).ln()
        } else {
            f64::NEG_INFINITY
        }
    }
}

/// Least-squares cross-validation (LSCV, Rudemo 1982; Bowman 1984) for the Gaussian kernel.
///
/// Minimises `LSCV(h) = int rho_hat^2 - (2/n) sum_i rho_hat_(-i)(y_i)`, an unbiased
/// estimate of the integrated squared error minus `int rho^2`. For the Gaussian kernel the
/// first term has a closed form: the convolution of two kernels of bandwidth matrix `H` is a
/// kernel of bandwidth matrix `2 H`, so
/// `int rho_hat^2 = (1/n^2) sum_(i,j) N(y_i - y_j; 0, 2 H) = (1/n) sum_i rho_hat_(sqrt 2 h)(y_i)`,
/// the estimate at bandwidth `sqrt(2) h` evaluated at the data points (self-terms included).
/// Both terms are computed by the estimator in log space and combined by log-sum-exp; the
/// search maximises `ln(-LSCV)` ([`LscvValue::ln_neg`]) over `ln h` like [`crate::Lcv`].
///
/// ```
/// use hdkde_bandwidth::Lscv;
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_fn(60, 2, |i, j| (i as f64 * (0.618_034 + 0.113 * j as f64)).fract());
/// let fit = Lscv::new().select(&data)?;
/// let at = |h: f64| Lscv::new().value(&data, h).map(|v| v.value());
/// assert!(at(fit.h)? <= at(0.9 * fit.h)?);
/// assert!(at(fit.h)? <= at(1.1 * fit.h)?);
/// # Ok::<(), hdkde_bandwidth::SelectError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lscv {
    shape: CvShape,
    range: Option<(f64, f64)>,
    tol: f64,
}

impl Default for Lscv {
    fn default() -> Self {
        Self::new()
    }
}

impl Lscv {
    /// Isotropic `h`, tolerance `1e-6` in `ln h`, search within six decades of the
    /// Silverman bandwidth.
    pub fn new() -> Self {
        Lscv {
            shape: CvShape::Isotropic,
            range: None,
            tol: 1e-6,
        }
    }

    /// Search the family `shape` (isotropic `h`, or the scale of `h^2 Cov`).
    pub fn shape(mut self, shape: CvShape) -> Self {
        self.shape = shape;
        self
    }

    /// Restrict the search to `low <= h <= high`.
    pub fn search_range(mut self, low: f64, high: f64) -> Self {
        self.range = Some((low, high));
        self
    }

    /// Absolute accuracy of the optimum in `ln h`.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    fn prepare(&self, data: &DMatrix<f64>) -> Result<CvData, SelectError> {
        check_range(self.range)?;
        check_tolerance(self.tol)?;
        CvData::new(data, self.shape, None)
    }

    fn terms(cv: &CvData, h: f64) -> Result<LscvValue, SelectError> {
        let Split::All(x) = &cv.split else {
            // proven: `prepare` builds the data with `held_out = None`, hence `Split::All`.
            unreachable!("proven: prepared without a held-out subset");
        };
        let n = x.nrows() as f64;
        let wide = match cv.bandwidth(h) {
            Bandwidth::Scalar(h) => Bandwidth::Scalar(std::f64::consts::SQRT_2 * h),
            Bandwidth::Matrix(m) => Bandwidth::Matrix(m * 2.0),
            Bandwidth::Diagonal(v) => {
                Bandwidth::Diagonal(v.iter().map(|h| std::f64::consts::SQRT_2 * h).collect())
            }
        };
        let ln_self = Kde::new(x, wide)?.log_density(x)?;
        let ln_loo = Kde::new(x, cv.bandwidth(h))?.log_density_loo()?;
        Ok(LscvValue {
            ln_integral: log_sum_exp(&ln_self) - n.ln(),
            ln_loo: log_sum_exp(&ln_loo) - n.ln(),
        })
    }

    /// The two terms of `LSCV(h)` at scale `h`.
    pub fn value(&self, data: &DMatrix<f64>, h: f64) -> Result<LscvValue, SelectError> {
        let cv = self.prepare(data)?;
        Self::terms(&cv, h)
    }

    /// Select the bandwidth for `data` (`n x d`, one point per row); the score of the
    /// returned fit is `ln(-LSCV(h))`.
    ///
    /// Errors: as [`crate::Lcv::select`].
    pub fn select(&self, data: &DMatrix<f64>) -> Result<CvFit, SelectError> {
        let cv = self.prepare(data)?;
        let (lo, hi) = ln_range(self.range, cv.h0);
        let best = maximise(
            |u| Ok(Self::terms(&cv, u.exp())?.ln_neg()),
            cv.h0.ln(),
            0.25,
            lo,
            hi,
            self.tol,
        )?;
        let h = best.x.exp();
        Ok(CvFit {
            h,
            bandwidth: cv.bandwidth(h),
            score: best.f,
            scored: cv.scored(),
            evaluations: best.evaluations,
        })
    }
}

/// `ln sum_i e^(v_i)`, `-inf` for an empty or all `-inf` input.
pub(crate) fn log_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn gaussian(n: usize, d: usize, seed: u64) -> DMatrix<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
    }

    /// Direct double sums in linear space.
    fn naive_lscv(x: &DMatrix<f64>, h: f64) -> f64 {
        let (n, d) = x.shape();
        let norm = |s2: f64| (2.0 * std::f64::consts::PI * s2).powf(-(d as f64) / 2.0);
        let (mut a, mut b) = (0.0, 0.0);
        for i in 0..n {
            for j in 0..n {
                let r2 = (x.row(i) - x.row(j)).norm_squared();
                a += norm(2.0 * h * h) * (-r2 / (4.0 * h * h)).exp();
                if i != j {
                    b += norm(h * h) * (-r2 / (2.0 * h * h)).exp();
                }
            }
        }
        let n = n as f64;
        a / (n * n) - 2.0 * b / (n * (n - 1.0))
    }

    #[test]
    fn lscv_matches_direct_double_sums() {
        // d = 2: no underflow in the direct sums; rounding only (1e-12 relative).
        let x = gaussian(70, 2, 11);
        for h in [0.1, 0.4, 1.5] {
            let got = Lscv::new().value(&x, h).unwrap().value();
            let want = naive_lscv(&x, h);
            assert!(
                (got - want).abs() < 1e-12 * want.abs(),
                "h {h}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn minimiser_agrees_with_a_grid_and_stays_finite_in_high_dimension() {
        // Grid of 401 log-spaced h over [0.1, 3] then one zoom of 201 points: spacing 4e-5
        // relative, so agreement to 1e-4.
        let x = gaussian(120, 2, 12);
        let fit = Lscv::new().select(&x).unwrap();
        let f = |u: f64| Lscv::new().value(&x, u.exp()).unwrap().ln_neg();
        let (mut lo, mut hi, mut k) = (0.1f64.ln(), 3f64.ln(), 401);
        let mut best = (f64::NAN, f64::NEG_INFINITY);
        for _ in 0..2 {
            let step = (hi - lo) / (k - 1) as f64;
            for t in 0..k {
                let u = lo + t as f64 * step;
                if f(u) > best.1 {
                    best = (u, f(u));
                }
            }
            (lo, hi, k) = (best.0 - step, best.0 + step, 201);
        }
        assert!(
            (fit.h / best.0.exp() - 1.0).abs() < 1e-4,
            "{} vs {}",
            fit.h,
            best.0.exp()
        );
        // d = 300, h = 0.5: B ~ exp(-d/2 ln(2 pi h^2) - d / h^2) ~ e^-1270 is below the
        // smallest double, yet its log and the selection are finite.
        let x = gaussian(60, 300, 13);
        let v = Lscv::new().value(&x, 0.5).unwrap();
        assert!(v.ln_loo < -1000.0 && v.ln_loo.is_finite(), "{v:?}");
        let fit = Lscv::new().select(&x).unwrap();
        assert!(fit.h.is_finite() && fit.score.is_finite());
    }

    #[test]
    fn sign_convention_of_the_log_objective() {
        let v = LscvValue {
            ln_integral: 0.0,
            ln_loo: 0.0,
        };
        // A = B = 1: LSCV = -1, ln(-LSCV) = 0.
        assert!(v.ln_neg().abs() < 1e-15);
        let pos = LscvValue {
            ln_integral: 1.0,
            ln_loo: 0.0,
        };
        // A = e > 2 B: LSCV > 0 is "worse than any negative value".
        assert_eq!(pos.ln_neg(), f64::NEG_INFINITY);
        assert!(pos.value() > 0.0);
        let same = DMatrix::from_element(5, 2, 1.0);
        assert_eq!(
            Lscv::new().select(&same).unwrap_err(),
            SelectError::AllPointsEqual
        );
    }
}
