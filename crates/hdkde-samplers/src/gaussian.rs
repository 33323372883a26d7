//! The multivariate normal law `N(mu, Sigma)`.

use nalgebra::DMatrix;
use rand::distr::Distribution;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::factor::{check_vector, fill_standard_normal, Factor};
use crate::{SampleMatrix, SamplerError};

/// The multivariate normal law `N(mu, Sigma)` in `R^d`.
///
/// A draw is `mu + A z`, `z ~ N(0, I_d)` (ziggurat normals of `rand_distr::StandardNormal`),
/// with `A A^T = Sigma` stored in the cheapest exact form for the constructor used:
///
/// | constructor | `Sigma` | `A` | cost per draw |
/// |---|---|---|---|
/// | [`standard`](Gaussian::standard) | `I` | `I` | `d` normals |
/// | [`isotropic`](Gaussian::isotropic) | `sigma^2 I` | `sigma I` | `d` normals |
/// | [`diagonal`](Gaussian::diagonal) | `diag(v)` | `diag(sqrt(v))` | `d` normals |
/// | [`full`](Gaussian::full) | given | Cholesky factor `L` | `+ d^2/2` flops |
/// | [`spectrum`](Gaussian::spectrum) | `Q diag(lambda) Q^T` | `Q diag(sqrt(lambda))` | `+ d^2` flops (`Q = I`: `d` normals) |
///
/// ```
/// use hdkde_samplers::{Gaussian, SampleMatrix};
/// use nalgebra::DMatrix;
/// use rand::SeedableRng;
/// use rand_distr::Distribution;
///
/// let cov = DMatrix::from_row_slice(2, 2, &[2.0, 0.6, 0.6, 1.0]);
/// let g = Gaussian::full(vec![0.0, 1.0], &cov).unwrap();
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let x: Vec<f64> = g.sample(&mut rng);
/// assert_eq!(x.len(), 2);
/// let data = g.sample_matrix(500, 1); // 500 x 2
/// assert!(data.iter().all(|v| v.is_finite()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Gaussian {
    mean: Vec<f64>,
    centred: bool,
    factor: Factor,
}

impl Gaussian {
    fn build(mean: Vec<f64>, factor: Factor) -> Result<Self, SamplerError> {
        check_vector(&mean)?;
        if let Some(d) = factor.dim() {
            if d != mean.len() {
                return Err(SamplerError::LengthMismatch {
                    expected: mean.len(),
                    found: d,
                });
            }
        }
        let centred = mean.iter().all(|&m| m == 0.0);
        Ok(Gaussian {
            mean,
            centred,
            factor,
        })
    }

    /// The standard normal `N(0, I_d)`.
    ///
    /// # Errors
    /// [`SamplerError::ZeroDimension`] if `d = 0`.
    pub fn standard(d: usize) -> Result<Self, SamplerError> {
        Self::build(vec![0.0; d], Factor::Scalar(1.0))
    }

    /// The isotropic normal `N(mean, sigma^2 I)`; `sigma` is the standard deviation of each
    /// coordinate.
    ///
    /// # Errors
    /// Empty or non-finite `mean`; `sigma` not finite and `> 0`.
    pub fn isotropic(mean: Vec<f64>, sigma: f64) -> Result<Self, SamplerError> {
        check_vector(&mean)?;
        Self::build(mean, Factor::scalar(sigma)?)
    }

    /// `N(mean, diag(variances))`.
    ///
    /// # Errors
    /// Empty or non-finite `mean`; a variance not finite and `> 0`; lengths that differ.
    pub fn diagonal(mean: Vec<f64>, variances: &[f64]) -> Result<Self, SamplerError> {
        check_vector(&mean)?;
        if variances.len() != mean.len() {
            return Err(SamplerError::LengthMismatch {
                expected: mean.len(),
                found: variances.len(),
            });
        }
        let factor = Factor::spectrum(variances, None)?;
        Self::build(mean, factor)
    }

    /// `N(mean, covariance)` for a symmetric positive-definite `covariance`, factorised once
    /// by Cholesky.
    ///
    /// Symmetry is checked to a relative `1e-10` per entry (`|S_ij - S_ji| <= 1e-10
    /// sqrt(S_ii S_jj)`); the lower triangle is what is used.
    ///
    /// # Errors
    /// [`SamplerError::NotSquare`], [`SamplerError::LengthMismatch`] (with the mean),
    /// [`SamplerError::NonFinite`], [`SamplerError::NotSymmetric`],
    /// [`SamplerError::NotPositiveDefinite`] (including a non-positive diagonal entry).
    pub fn full(mean: Vec<f64>, covariance: &DMatrix<f64>) -> Result<Self, SamplerError> {
        check_vector(&mean)?;
        let factor = Factor::cholesky_of(covariance, mean.len())?;
        Self::build(mean, factor)
    }

    /// `N(mean, Q diag(eigenvalues) Q^T)`: a normal law with a given spectrum.
    ///
    /// With `rotation_seed = None`, `Q = I` (the covariance is diagonal, as in
    /// [`diagonal`](Gaussian::diagonal)). With `Some(seed)`, `Q` is a Haar-distributed random
    /// orthogonal matrix determined by `seed` alone: the QR factorisation of a `d x d` matrix
    /// of standard normals drawn column by column from `ChaCha8Rng::seed_from_u64(seed)`,
    /// with the signs of `Q`'s columns fixed so that `R` has a positive diagonal (Mezzadri,
    /// Notices AMS 54, 2007). It costs `O(d^3)` once and `d^2` values of storage.
    ///
    /// ```
    /// use hdkde_samplers::Gaussian;
    ///
    /// let g = Gaussian::spectrum(vec![0.0; 3], &[4.0, 1.0, 0.25], Some(17)).unwrap();
    /// let eig = g.covariance().symmetric_eigenvalues();
    /// let mut eig: Vec<f64> = eig.iter().copied().collect();
    /// eig.sort_by(f64::total_cmp);
    /// assert!((eig[0] - 0.25).abs() < 1e-12 && (eig[2] - 4.0).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// Empty or non-finite `mean`; an eigenvalue not finite and `> 0`; lengths that differ.
    pub fn spectrum(
        mean: Vec<f64>,
        eigenvalues: &[f64],
        rotation_seed: Option<u64>,
    ) -> Result<Self, SamplerError> {
        check_vector(&mean)?;
        if eigenvalues.len() != mean.len() {
            return Err(SamplerError::LengthMismatch {
                expected: mean.len(),
                found: eigenvalues.len(),
            });
        }
        let factor = Factor::spectrum(eigenvalues, rotation_seed)?;
        Self::build(mean, factor)
    }

    /// The mean `mu`.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The covariance matrix `Sigma = A A^T` (computed on each call).
    pub fn covariance(&self) -> DMatrix<f64> {
        self.factor.gram(self.mean.len())
    }

    /// The factor `A` with `A A^T = Sigma` that the sampler applies to standard normals
    /// (see the table above; computed on each call).
    pub fn factor(&self) -> DMatrix<f64> {
        self.factor.matrix(self.mean.len())
    }

    /// Whether a draw needs a scratch buffer of length `d`.
    pub(crate) fn needs_scratch(&self) -> bool {
        self.factor.needs_scratch()
    }

    /// `out <- A z` for fresh standard normals `z` (the centred draw, without the mean).
    #[inline]
    pub(crate) fn fill_centred<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        out: &mut [f64],
        scratch: &mut [f64],
    ) {
        fill_standard_normal(rng, out);
        self.factor.apply(out, scratch);
    }

    /// `out <- out + mu`.
    #[inline]
    pub(crate) fn add_mean(&self, out: &mut [f64]) {
        if !self.centred {
            out.iter_mut().zip(&self.mean).for_each(|(v, m)| *v += m);
        }
    }

    /// One draw into `out` (length `d`).
    #[inline]
    pub(crate) fn fill_one<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        out: &mut [f64],
        scratch: &mut [f64],
    ) {
        self.fill_centred(rng, out, scratch);
        self.add_mean(out);
    }

    pub(crate) fn scratch(&self) -> Vec<f64> {
        if self.needs_scratch() {
            vec![0.0; self.mean.len()]
        } else {
            Vec::new()
        }
    }
}

impl Distribution<Vec<f64>> for Gaussian {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        let mut out = vec![0.0; self.mean.len()];
        self.fill_one(rng, &mut out, &mut self.scratch());
        out
    }
}

impl SampleMatrix for Gaussian {
    fn dim(&self) -> usize {
        self.mean.len()
    }

    fn fill_rows(&self, rng: &mut ChaCha8Rng, rows: &mut [f64]) {
        let mut scratch = self.scratch();
        for row in rows.chunks_exact_mut(self.mean.len()) {
            self.fill_one(rng, row, &mut scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{
        check_moments, ks_critical_001, ks_statistic, mahalanobis_sq, project, random_unit,
    };
    use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

    fn laws() -> Vec<(&'static str, Gaussian)> {
        let d = 6;
        let mean: Vec<f64> = (0..d).map(|i| i as f64 - 2.0).collect();
        let b = DMatrix::from_fn(d, d, |i, j| ((i * 7 + j * 3) % 5) as f64 - 2.0);
        let cov = &b * b.transpose() + DMatrix::from_diagonal_element(d, d, 0.5);
        let eig = [9.0, 4.0, 1.0, 0.5, 0.25, 0.1];
        vec![
            ("standard", Gaussian::standard(d).unwrap()),
            ("isotropic", Gaussian::isotropic(mean.clone(), 1.7).unwrap()),
            (
                "diagonal",
                Gaussian::diagonal(mean.clone(), &[0.1, 1.0, 2.0, 3.0, 4.0, 5.0]).unwrap(),
            ),
            ("full", Gaussian::full(mean.clone(), &cov).unwrap()),
            (
                "spectrum",
                Gaussian::spectrum(mean.clone(), &eig, None).unwrap(),
            ),
            (
                "rotated",
                Gaussian::spectrum(mean.clone(), &eig, Some(99)).unwrap(),
            ),
        ]
    }

    #[test]
    fn sample_mean_and_covariance() {
        // 40,000 draws; every mean and covariance entry within 5 standard errors (the
        // covariance SE is estimated from the sample's fourth moments). For a correct sampler
        // the chance that one of the 6 x 27 entries fails is below 1e-4.
        for (name, g) in laws() {
            let x = g.sample_row_major(40_000, 1);
            check_moments(name, &x, g.mean(), &g.covariance(), 5.0);
        }
    }

    #[test]
    fn mahalanobis_norms_are_chi_square() {
        // (x - mu)^T Sigma^-1 (x - mu) ~ chi^2(d). Sigma^-1 is applied by a Cholesky solve of
        // the covariance (the user's matrix for `full`), not through the sampler's factor.
        // 20,000 draws: the 0.1% critical value of the KS statistic is 1.95 / sqrt(n) = 0.0138.
        for (name, g) in laws() {
            let d = g.dim();
            let x = g.sample_row_major(20_000, 2);
            let mut m = mahalanobis_sq(&x, g.mean(), &g.covariance());
            let chi = ChiSquared::new(d as f64).unwrap();
            let ks = ks_statistic(&mut m, |t| chi.cdf(t));
            assert!(ks < ks_critical_001(m.len()), "{name}: ks = {ks}");
        }
    }

    #[test]
    fn projections_are_normal() {
        // a^T x ~ N(a^T mu, a^T Sigma a) for any direction a; three random unit directions,
        // 20,000 draws each, KS at the 0.1% critical value 0.0138.
        for (name, g) in laws() {
            let d = g.dim();
            let x = g.sample_row_major(20_000, 3);
            let cov = g.covariance();
            for k in 0..3 {
                let a = random_unit(d, 100 + k);
                let av = nalgebra::DVector::from_column_slice(&a);
                let m: f64 = a.iter().zip(g.mean()).map(|(a, m)| a * m).sum();
                let s = (av.transpose() * &cov * &av)[(0, 0)].sqrt();
                let law = Normal::new(m, s).unwrap();
                let mut p = project(&x, &a);
                let ks = ks_statistic(&mut p, |t| law.cdf(t));
                assert!(
                    ks < ks_critical_001(p.len()),
                    "{name}, direction {k}: ks = {ks}"
                );
            }
        }
    }

    #[test]
    fn covariance_accessor_matches_inputs() {
        // Representation checks (exact up to rounding: 1e-12 relative).
        let d = 4;
        let cov = DMatrix::from_row_slice(
            d,
            d,
            &[
                4.0, 1.0, 0.5, 0.0, 1.0, 3.0, 0.2, 0.1, 0.5, 0.2, 2.0, 0.3, 0.0, 0.1, 0.3, 1.0,
            ],
        );
        let g = Gaussian::full(vec![0.0; d], &cov).unwrap();
        assert!((g.covariance() - &cov).amax() < 1e-12 * cov.amax());
        let l = g.factor();
        assert!((0..d).all(|i| (i + 1..d).all(|j| l[(i, j)] == 0.0)));
        let iso = Gaussian::isotropic(vec![0.0; 3], 2.0).unwrap();
        assert_eq!(iso.covariance(), DMatrix::from_diagonal_element(3, 3, 4.0));
        let diag = Gaussian::diagonal(vec![0.0; 2], &[2.0, 3.0]).unwrap();
        assert!((diag.covariance()[(1, 1)] - 3.0).abs() < 1e-15);
    }

    #[test]
    fn constructor_errors() {
        use SamplerError as E;
        assert_eq!(Gaussian::standard(0), Err(E::ZeroDimension));
        assert_eq!(Gaussian::isotropic(vec![], 1.0), Err(E::ZeroDimension));
        assert_eq!(
            Gaussian::isotropic(vec![0.0], 0.0),
            Err(E::NonPositiveScale)
        );
        assert_eq!(
            Gaussian::isotropic(vec![0.0], -1.0),
            Err(E::NonPositiveScale)
        );
        assert_eq!(Gaussian::isotropic(vec![0.0], f64::NAN), Err(E::NonFinite));
        assert_eq!(
            Gaussian::isotropic(vec![f64::INFINITY], 1.0),
            Err(E::NonFinite)
        );
        assert_eq!(
            Gaussian::diagonal(vec![0.0; 2], &[1.0]),
            Err(E::LengthMismatch {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            Gaussian::diagonal(vec![0.0; 2], &[1.0, -1.0]),
            Err(E::NonPositiveScale)
        );
        assert_eq!(
            Gaussian::spectrum(vec![0.0; 2], &[1.0, 2.0, 3.0], Some(1)),
            Err(E::LengthMismatch {
                expected: 2,
                found: 3
            })
        );
        let not_spd = DMatrix::from_row_slice(2, 2, &[1.0, 3.0, 3.0, 1.0]);
        assert_eq!(
            Gaussian::full(vec![0.0; 2], &not_spd),
            Err(E::NotPositiveDefinite)
        );
        let asym = DMatrix::from_row_slice(2, 2, &[1.0, 0.3, 0.0, 1.0]);
        assert_eq!(Gaussian::full(vec![0.0; 2], &asym), Err(E::NotSymmetric));
        assert_eq!(
            Gaussian::full(vec![0.0; 3], &DMatrix::identity(2, 2)),
            Err(E::LengthMismatch {
                expected: 3,
                found: 2
            })
        );
        // A covariance that is symmetric only to rounding is accepted.
        let q = crate::factor::haar_orthogonal(5, 1);
        let lam =
            DMatrix::from_diagonal(&nalgebra::DVector::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0]));
        let c = &q * lam * q.transpose();
        assert!(Gaussian::full(vec![0.0; 5], &c).is_ok());
    }
}
