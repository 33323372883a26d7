//! Likelihood cross-validation: maximise the mean leave-one-out log-likelihood.

use hdkde_estimator::{Bandwidth, KdeParams, Kernel};
use nalgebra::DMatrix;

use crate::cv::{check_range, check_tolerance, ln_range, CvData, CvShape, HeldOut};
use crate::optimize::maximise;
use crate::SelectError;

/// Likelihood cross-validation (LCV).
///
/// Maximises over the scale `h` the mean leave-one-out log-likelihood
/// `LCV(h) = (1/m) sum_i ln rho_hat_(-i)(y_i)`, where `rho_hat_(-i)` is the estimate built on
/// all points but `y_i` (Habbema, Hermans and van den Broek 1974; Duin 1976). The objective
/// is exact: it is the estimator's own leave-one-out evaluation ([`hdkde_estimator::Kde::log_density_loo`]),
/// over all points, or over a seeded random subset of `m` held-out points (each still left
/// out of an estimate on the `n - 1` others; see [`Lcv::held_out`]).
///
/// The search is on `ln h`: golden-ratio bracketing from the Silverman bandwidth, then
/// Brent's method to an accuracy [`Lcv::tolerance`] in `ln h`. LCV estimates the
/// Kullback-Leibler divergence up to a constant; on Gaussian data in high dimension its
/// optimum lies in the extreme-value regime, near the finite-`d` `h_KL` (see
/// [`crate::theory_bandwidths`]). With a compact kernel the objective is `-inf` while some
/// point has no neighbour within `h`; the search treats that as a very bad value.
///
/// ```
/// use hdkde_bandwidth::Lcv;
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_fn(60, 2, |i, j| (i as f64 * (0.618_034 + 0.113 * j as f64)).fract());
/// let fit = Lcv::new().select(&data)?;
/// // The optimum beats its neighbours.
/// let lcv = Lcv::new();
/// assert!(fit.score >= lcv.score(&data, 0.9 * fit.h)?);
/// assert!(fit.score >= lcv.score(&data, 1.1 * fit.h)?);
/// # Ok::<(), hdkde_bandwidth::SelectError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lcv {
    kernel: Kernel,
    shape: CvShape,
    held_out: Option<HeldOut>,
    range: Option<(f64, f64)>,
    tol: f64,
}

impl Default for Lcv {
    fn default() -> Self {
        Self::new()
    }
}

/// The result of a cross-validation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CvFit {
    /// The selected scale `h`.
    pub h: f64,
    /// The selected bandwidth (`h` as a [`Bandwidth`] of the searched [`CvShape`]).
    pub bandwidth: Bandwidth,
    /// The objective at `h` (for LCV the mean leave-one-out log-likelihood; for LSCV
    /// `ln(-LSCV(h))`).
    pub score: f64,
    /// Number of points scored (`n`, or the held-out size).
    pub scored: usize,
    /// Number of objective evaluations.
    pub evaluations: usize,
}

impl Lcv {
    /// Gaussian kernel, isotropic `h`, all points scored, tolerance `1e-6` in `ln h`
    /// (relative `1e-6` in `h`), search within six decades of the Silverman bandwidth.
    pub fn new() -> Self {
        Lcv {
            kernel: Kernel::Gaussian,
            shape: CvShape::Isotropic,
            held_out: None,
            range: None,
            tol: 1e-6,
        }
    }

    /// Use `kernel`.
    pub fn kernel(mut self, kernel: Kernel) -> Self {
        self.kernel = kernel;
        self
    }

    /// Search the family `shape` (isotropic `h`, or the scale of `h^2 Cov`).
    pub fn shape(mut self, shape: CvShape) -> Self {
        self.shape = shape;
        self
    }

    /// Score on `size` held-out points drawn with `seed` instead of all `n` (cost
    /// `O(size n d)` per evaluation instead of `O(n^2 d)`). Each held-out point is still
    /// scored by the exact leave-one-out estimate on the `n - 1` other points.
    pub fn held_out(mut self, size: usize, seed: u64) -> Self {
        self.held_out = Some(HeldOut { size, seed });
        self
    }

    /// Restrict the search to `low <= h <= high`.
    pub fn search_range(mut self, low: f64, high: f64) -> Self {
        self.range = Some((low, high));
        self
    }

    /// Absolute accuracy of the optimum in `ln h` (relative in `h`).
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    fn prepare(&self, data: &DMatrix<f64>) -> Result<CvData, SelectError> {
        check_range(self.range)?;
        check_tolerance(self.tol)?;
        CvData::new(data, self.shape, self.held_out)
    }

    fn objective(&self, cv: &CvData, h: f64) -> Result<f64, SelectError> {
        let params = KdeParams::new(cv.bandwidth(h)).kernel(self.kernel);
        let values = cv.loo_log_densities(&params)?;
        Ok(values.iter().sum::<f64>() / values.len() as f64)
    }

    /// The exact objective `LCV(h)`, the mean leave-one-out log-likelihood at scale `h`
    /// (`-inf` if some scored point is outside every other point's kernel support).
    pub fn score(&self, data: &DMatrix<f64>, h: f64) -> Result<f64, SelectError> {
        let cv = self.prepare(data)?;
        self.objective(&cv, h)
    }

    /// Select the bandwidth for `data` (`n x d`, one point per row).
    ///
    /// Errors: invalid data or settings; all points equal; for [`CvShape::Covariance`], no
    /// more points than dimensions or a singular covariance; [`SelectError::NoOptimum`] when
    /// the likelihood increases without bound as `h -> 0` (repeated points);
    /// [`SelectError::NoFiniteObjective`] when it is `-inf` over the whole range.
    pub fn select(&self, data: &DMatrix<f64>) -> Result<CvFit, SelectError> {
        let cv = self.prepare(data)?;
        let (lo, hi) = ln_range(self.range, cv.h0);
        let best = maximise(
            |u| self.objective(&cv, u.exp()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cv::Split;
    use hdkde_estimator::Kde;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn mean_loo(kde: &Kde) -> f64 {
        let v = kde.log_density_loo().unwrap();
        v.iter().sum::<f64>() / v.len() as f64
    }

    fn gaussian(n: usize, d: usize, seed: u64) -> DMatrix<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
    }

    /// Direct double loop: `(1/n) sum_i ln[(1/(n-1)) sum_{j != i} N(y_i - y_j; 0, h^2 I)]`.
    fn naive_lcv(x: &DMatrix<f64>, h: f64) -> f64 {
        let (n, d) = x.shape();
        let mut total = 0.0;
        for i in 0..n {
            let mut s = 0.0;
            for j in (0..n).filter(|&j| j != i) {
                let r2 = (x.row(i) - x.row(j)).norm_squared();
                s += (-r2 / (2.0 * h * h)).exp();
            }
            let norm = (2.0 * std::f64::consts::PI * h * h).powf(-(d as f64) / 2.0);
            total += (s * norm / (n - 1) as f64).ln();
        }
        total / n as f64
    }

    #[test]
    fn objective_is_the_exact_leave_one_out_likelihood() {
        // Low dimension and moderate h: the direct sum has no underflow, so both agree to
        // rounding (1e-12 relative on values of order 1).
        let x = gaussian(80, 3, 1);
        for h in [0.2, 0.5, 1.3] {
            let got = Lcv::new().score(&x, h).unwrap();
            let want = naive_lcv(&x, h);
            assert!(
                (got - want).abs() < 1e-12 * want.abs().max(1.0),
                "h {h}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn held_out_scores_are_the_full_leave_one_out_values() {
        // The split formula is exact: the mean over the held-out points equals the mean of
        // the full leave-one-out values at those points, to rounding (1e-11 absolute on
        // values ~ -5). The held-out points are identified by matching rows.
        let x = gaussian(120, 4, 2);
        let h = 0.7;
        let cv = CvData::new(&x, CvShape::Isotropic, Some(HeldOut { size: 17, seed: 9 })).unwrap();
        let Split::HeldOut { held, .. } = &cv.split else {
            panic!("expected a split");
        };
        let full = Kde::new(&x, h).unwrap().log_density_loo().unwrap();
        let want: f64 = (0..held.nrows())
            .map(|k| {
                let i = (0..x.nrows()).find(|&i| x.row(i) == held.row(k)).unwrap();
                full[i]
            })
            .sum::<f64>()
            / held.nrows() as f64;
        let got = Lcv::new().held_out(17, 9).score(&x, h).unwrap();
        assert!((got - want).abs() < 1e-11, "{got} vs {want}");
        // A held-out size of at least n is the full objective.
        let all = Lcv::new().held_out(500, 9).score(&x, h).unwrap();
        assert!((all - mean_loo(&Kde::new(&x, h).unwrap())).abs() < 1e-12);
    }

    #[test]
    fn optimum_agrees_with_a_brute_force_grid() {
        // Grid search on the same exact objective: 161 log-spaced h over [0.05, 5], then two
        // zooms (+-1 grid step, 201 points each), the last spacing 2.3e-6 relative, far
        // below the 1e-4 asked; Brent's tolerance is 1e-6 in ln h.
        for (shape, seed) in [(CvShape::Isotropic, 3), (CvShape::Covariance, 4)] {
            let mut x = gaussian(150, 3, seed);
            // Anisotropic data, so the two families differ.
            x.column_mut(0).scale_mut(3.0);
            let lcv = Lcv::new().shape(shape);
            let fit = lcv.select(&x).unwrap();
            let (mut lo, mut hi, mut k) = (0.05f64.ln(), 5f64.ln(), 161);
            let mut best = (f64::NAN, f64::NEG_INFINITY);
            for _ in 0..3 {
                let step = (hi - lo) / (k - 1) as f64;
                for t in 0..k {
                    let u = lo + t as f64 * step;
                    let v = lcv.score(&x, u.exp()).unwrap();
                    if v > best.1 {
                        best = (u, v);
                    }
                }
                (lo, hi, k) = (best.0 - step, best.0 + step, 201);
            }
            let h_grid = best.0.exp();
            let rel = (fit.h - h_grid).abs() / h_grid;
            assert!(
                rel < 1e-4,
                "{shape:?}: Brent {} vs grid {h_grid} ({rel:e})",
                fit.h
            );
            assert!(
                fit.score >= best.1 - 1e-12,
                "Brent's value is at least the grid's"
            );
        }
    }

    #[test]
    fn compact_kernels_and_degenerate_data() {
        // Epanechnikov: -inf at small h is part of the search, not a failure; the optimum
        // covers every point (finite score) and lies above the -inf region.
        let x = gaussian(100, 2, 5);
        let fit = Lcv::new().kernel(Kernel::Epanechnikov).select(&x).unwrap();
        assert!(fit.score.is_finite());
        let below = Lcv::new()
            .kernel(Kernel::Epanechnikov)
            .score(&x, 0.01)
            .unwrap();
        assert_eq!(below, f64::NEG_INFINITY);
        // Starting inside the -inf region (range forces h0 into it) still works.
        let fit2 = Lcv::new()
            .kernel(Kernel::Epanechnikov)
            .search_range(1e-4, 1e3)
            .select(&x)
            .unwrap();
        assert!((fit2.h - fit.h).abs() < 1e-5 * fit.h);
        // Every point duplicated: the likelihood grows without bound as h -> 0.
        let twice = DMatrix::from_fn(40, 2, |i, j| {
            ((i / 2) * 3 + j) as f64 % 7.0 + (i / 2) as f64
        });
        assert_eq!(
            Lcv::new().select(&twice).unwrap_err(),
            SelectError::NoOptimum { edge: "small" }
        );
        let same = DMatrix::from_element(10, 3, 2.0);
        assert_eq!(
            Lcv::new().select(&same).unwrap_err(),
            SelectError::AllPointsEqual
        );
        let one = DMatrix::from_element(1, 3, 2.0);
        assert_eq!(
            Lcv::new().select(&one).unwrap_err(),
            SelectError::TooFewPoints { n: 1 }
        );
        let wide = gaussian(4, 6, 6);
        let err = Lcv::new()
            .shape(CvShape::Covariance)
            .select(&wide)
            .unwrap_err();
        assert_eq!(err, SelectError::TooFewPointsForMatrix { n: 4, d: 6 });
        assert!(Lcv::new().select(&wide).is_ok());
        assert_eq!(
            Lcv::new().held_out(1, 0).select(&x).unwrap_err(),
            SelectError::SubsetTooSmall { size: 1 }
        );
        assert_eq!(
            Lcv::new().search_range(2.0, 1.0).select(&x).unwrap_err(),
            SelectError::BadSearchRange
        );
        assert_eq!(
            Lcv::new().tolerance(f64::NAN).select(&x).unwrap_err(),
            SelectError::BadTolerance
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

        /// LCV is scale-equivariant: `h(c x) = c h(x)`. Each search stops within ~1e-6 of
        /// the optimum in `ln h` (its tolerance), so 1e-5 relative bounds the difference.
        #[test]
        fn lcv_is_scale_equivariant(seed in 0u64..1_000_000, c in 0.001f64..1000.0) {
            let x = gaussian(60, 2, seed);
            let y = &x * c;
            let (hx, hy) = (Lcv::new().select(&x).unwrap().h, Lcv::new().select(&y).unwrap().h);
            proptest::prop_assert!((hy / (c * hx) - 1.0).abs() < 1e-5, "{} vs {}", hy, c * hx);
        }
    }
}
