//! The Gaussian reference model of a data set: regime labels and theory-based bandwidths.

use hdkde_estimator::Bandwidth;
use hdkde_theory::regimes::{GaussianModel, Regime};
use nalgebra::{DMatrix, SymmetricEigen};

use crate::rules::Variant;
use crate::sample::Moments;
use crate::SelectError;

/// The Gaussian model `N(ybar, Sigma)` fitted to a data set, with `alpha_eff = ln(n) / d`.
///
/// `Sigma` is, by [`Variant`]: the unbiased sample covariance (`Full`, needs `n > d` and a
/// non-singular covariance), its diagonal (`PerDimension`, ignores correlations), or
/// `tr(Cov)/d` times the identity (`Isotropic`). [`ReferenceModel::auto`] takes the first
/// of the three that the data allow.
///
/// It labels any bandwidth with its regime: in the coordinates `z = H^(-1/2) y` the kernel is
/// isotropic with `h = 1` and the data covariance is `H^(-1/2) Sigma H^(-1/2)`, whose spectrum
/// feeds [`GaussianModel`] (for `H = h^2 I` this is `Sigma / h^2` at `h = 1`, the same as the
/// model of `Sigma` at `h`). Costs one symmetric eigendecomposition (`O(d^3)`) per
/// non-scalar bandwidth.
///
/// ```
/// use hdkde_bandwidth::{ReferenceModel, Variant};
/// use hdkde_estimator::Bandwidth;
/// use hdkde_theory::regimes::Regime;
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_fn(400, 8, |i, j| ((i * 31 + j * 17 + i * j) % 29) as f64 / 8.0);
/// let model = ReferenceModel::new(&data, Variant::Full)?;
/// let h_g = model.h_g()?;
/// let tiny = model.assess(&Bandwidth::Scalar(0.5 * h_g))?;
/// assert_eq!(tiny.regime, Regime::Extreme);
/// let wide = model.assess(&Bandwidth::Scalar(2.0 * h_g))?;
/// assert_eq!(wide.regime, Regime::Clt);
/// # Ok::<(), hdkde_bandwidth::SelectError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReferenceModel {
    variant: Variant,
    sigma: DMatrix<f64>,
    model: GaussianModel,
    alpha: f64,
    d: usize,
}

/// The regime of a bandwidth under a [`ReferenceModel`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Assessment {
    /// The regime label (clt, stable or extreme).
    pub regime: Regime,
    /// The tail index `mu = (h / h_G)^2` (in whitened coordinates).
    pub mu: f64,
    /// The finite-`n`, finite-`d` prediction of the mean participation ratio `E[Y2]`.
    pub y2: f64,
}

impl ReferenceModel {
    /// Fit the model of shape `variant` to `data` (`n x d`, one point per row).
    ///
    /// Errors: fewer than two points, non-finite data, all points equal; a constant
    /// coordinate (`Full`, `PerDimension`); `n <= d` or a singular covariance (`Full`).
    pub fn new(data: &DMatrix<f64>, variant: Variant) -> Result<Self, SelectError> {
        let m = Moments::new(data, None)?;
        let (n, d) = data.shape();
        let sigma = match variant {
            Variant::Full => {
                m.cholesky()?;
                m.cov
            }
            Variant::PerDimension => {
                m.require_all_coordinates()?;
                DMatrix::from_diagonal(&m.cov.diagonal())
            }
            Variant::Isotropic => {
                m.require_spread()?;
                DMatrix::from_diagonal_element(d, d, m.mean_variance())
            }
        };
        let spectrum = eigenvalues(&sigma);
        let model = GaussianModel::from_spectrum(spectrum)?;
        let alpha = hdkde_theory::regimes::alpha(n, d)?;
        Ok(ReferenceModel {
            variant,
            sigma,
            model,
            alpha,
            d,
        })
    }

    /// The most detailed model the data allow: `Full`, else `PerDimension`, else `Isotropic`.
    pub fn auto(data: &DMatrix<f64>) -> Result<Self, SelectError> {
        Self::new(data, Variant::Full)
            .or_else(|_| Self::new(data, Variant::PerDimension))
            .or_else(|_| Self::new(data, Variant::Isotropic))
    }

    /// The shape of the model's covariance.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// `alpha_eff = ln(n) / d`.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// The model's covariance `Sigma`.
    pub fn covariance(&self) -> &DMatrix<f64> {
        &self.sigma
    }

    /// The Gaussian model of the spectrum of `Sigma` (eigenvalues in decreasing order).
    pub fn model(&self) -> &GaussianModel {
        &self.model
    }

    /// The condensation threshold `h_G(alpha_eff)` for an isotropic bandwidth `h`.
    pub fn h_g(&self) -> Result<f64, SelectError> {
        Ok(self.model.h_g(self.alpha)?)
    }

    /// The CLT threshold `h_CLT(alpha_eff) = sqrt(2) h_G` for an isotropic bandwidth `h`.
    pub fn h_clt(&self) -> Result<f64, SelectError> {
        Ok(self.model.h_clt(self.alpha)?)
    }

    /// Leading-order KL-optimal isotropic bandwidth `h_KL = sqrt(r_min(alpha_eff))`.
    pub fn h_kl(&self) -> Result<f64, SelectError> {
        Ok(self.model.h_kl(self.alpha)?)
    }

    /// Finite-`d` KL-optimal isotropic bandwidth (maximiser of the finite-`n`, finite-`d`
    /// expected log-density, [`GaussianModel::h_kl_finite`]).
    pub fn h_kl_finite(&self) -> Result<f64, SelectError> {
        Ok(self.model.h_kl_finite(self.alpha, self.d)?)
    }

    /// Regime, tail index and predicted participation ratio of `bandwidth`.
    pub fn assess(&self, bandwidth: &Bandwidth) -> Result<Assessment, SelectError> {
        let spectrum = match bandwidth {
            Bandwidth::Scalar(h) => {
                check_positive(*h, 0)?;
                return self.assess_model(&self.model, *h);
            }
            Bandwidth::Diagonal(h) => {
                check_len(h.len(), self.d)?;
                for (index, &v) in h.iter().enumerate() {
                    check_positive(v, index)?;
                }
                let w = DMatrix::from_fn(self.d, self.d, |i, j| self.sigma[(i, j)] / (h[i] * h[j]));
                eigenvalues(&w)
            }
            Bandwidth::Matrix(hm) => {
                check_len(hm.nrows(), self.d)?;
                // Validates H exactly as the estimator does (square, symmetric, SPD).
                hdkde_estimator::KdeParams::new(bandwidth.clone())
                    .fit(&DMatrix::zeros(1, self.d))?;
                let l = nalgebra::Cholesky::new(hm.clone())
                    .ok_or(hdkde_estimator::KdeError::BandwidthNotPositiveDefinite)?
                    .l();
                // W = L^-1 Sigma L^-T by two triangular solves.
                let a = l
                    .solve_lower_triangular(&self.sigma)
                    .ok_or(hdkde_estimator::KdeError::BandwidthNotPositiveDefinite)?;
                let w = l
                    .solve_lower_triangular(&a.transpose())
                    .ok_or(hdkde_estimator::KdeError::BandwidthNotPositiveDefinite)?;
                eigenvalues(&(0.5 * (&w + w.transpose())))
            }
        };
        let model = GaussianModel::from_spectrum(spectrum)?;
        self.assess_model(&model, 1.0)
    }

    fn assess_model(&self, model: &GaussianModel, h: f64) -> Result<Assessment, SelectError> {
        Ok(Assessment {
            regime: model.regime(h, self.alpha)?,
            mu: model.mu(h, self.alpha)?,
            y2: model.y2_finite(h, self.alpha, self.d)?,
        })
    }
}

fn check_positive(h: f64, index: usize) -> Result<(), SelectError> {
    if h.is_finite() && h > 0.0 {
        Ok(())
    } else {
        Err(hdkde_estimator::KdeError::BadBandwidth { index }.into())
    }
}

fn check_len(found: usize, dim: usize) -> Result<(), SelectError> {
    if found == dim {
        Ok(())
    } else {
        Err(hdkde_estimator::KdeError::BandwidthShape { dim, found }.into())
    }
}

/// Eigenvalues of a symmetric matrix in decreasing order (diagonal matrices read directly).
fn eigenvalues(a: &DMatrix<f64>) -> Vec<f64> {
    let d = a.nrows();
    let diagonal = (0..d).all(|i| (0..d).all(|j| i == j || a[(i, j)] == 0.0));
    let mut v: Vec<f64> = if diagonal {
        a.diagonal().iter().copied().collect()
    } else {
        SymmetricEigen::new(a.clone())
            .eigenvalues
            .iter()
            .copied()
            .collect()
    };
    v.sort_by(|x, y| y.total_cmp(x));
    v
}

/// Theory-based bandwidths of the Gaussian model fitted to the data.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct TheoryBandwidths {
    /// `alpha_eff = ln(n) / d`.
    pub alpha: f64,
    /// Condensation threshold `h_G`.
    pub h_g: f64,
    /// CLT threshold `h_CLT = sqrt(2) h_G`.
    pub h_clt: f64,
    /// Leading-order KL-optimal bandwidth `h_KL = sqrt(r_min)`, below `h_G`.
    pub h_kl: f64,
    /// Finite-`d` KL-optimal bandwidth.
    pub h_kl_finite: f64,
}

/// The regime thresholds and KL-optimal isotropic bandwidths of the Gaussian model of shape
/// `variant` fitted to `data`, at `alpha_eff = ln(n)/d` (Biroli and Mezard,
/// arXiv:2408.05807, and the finite-`d` corrections of `hdkde_theory::regimes`).
///
/// ```
/// use hdkde_bandwidth::{theory_bandwidths, Variant};
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_fn(300, 6, |i, j| ((i * 31 + j * 17 + i * j) % 29) as f64 / 8.0);
/// let t = theory_bandwidths(&data, Variant::Full)?;
/// assert!(t.h_kl < t.h_g && t.h_g < t.h_clt);
/// # Ok::<(), hdkde_bandwidth::SelectError>(())
/// ```
pub fn theory_bandwidths(
    data: &DMatrix<f64>,
    variant: Variant,
) -> Result<TheoryBandwidths, SelectError> {
    let m = ReferenceModel::new(data, variant)?;
    Ok(TheoryBandwidths {
        alpha: m.alpha(),
        h_g: m.h_g()?,
        h_clt: m.h_clt()?,
        h_kl: m.h_kl()?,
        h_kl_finite: m.h_kl_finite()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn correlated(n: usize, d: usize, seed: u64) -> DMatrix<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let z = DMatrix::<f64>::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng));
        // y = z A with A upper-triangular: correlated, anisotropic.
        let a = DMatrix::from_fn(d, d, |i, j| match i.cmp(&j) {
            std::cmp::Ordering::Equal => 1.0 + i as f64 * 0.3,
            std::cmp::Ordering::Less => 0.4,
            std::cmp::Ordering::Greater => 0.0,
        });
        z * a
    }

    #[test]
    fn matrix_bandwidth_regime_is_the_whitened_isotropic_one() {
        // H = f^2 Cov whitens the data to covariance I / f^2: the regime and mu must be those
        // of the isotropic unit model at h = f (to the 1e-9 of the root solvers).
        let x = correlated(500, 5, 1);
        let m = ReferenceModel::new(&x, Variant::Full).unwrap();
        let iso = GaussianModel::isotropic(1.0).unwrap();
        for f in [0.3, 0.8, 1.5] {
            let a = m
                .assess(&Bandwidth::Matrix(m.covariance() * (f * f)))
                .unwrap();
            let want = iso.mu(f, m.alpha()).unwrap();
            assert!(
                (a.mu - want).abs() < 1e-9 * want,
                "f {f}: {} vs {want}",
                a.mu
            );
            assert_eq!(a.regime, iso.regime(f, m.alpha()).unwrap());
        }
        // A scalar bandwidth through the general path (as a multiple of I) agrees with the
        // direct one.
        let h = 0.9;
        let direct = m.assess(&Bandwidth::Scalar(h)).unwrap();
        let general = m
            .assess(&Bandwidth::Matrix(DMatrix::identity(5, 5) * (h * h)))
            .unwrap();
        assert!((direct.mu - general.mu).abs() < 1e-9 * direct.mu);
        assert!((direct.y2 - general.y2).abs() < 1e-7);
        let diag = m.assess(&Bandwidth::Diagonal(vec![h; 5])).unwrap();
        assert!((direct.mu - diag.mu).abs() < 1e-9 * direct.mu);
    }

    #[test]
    fn thresholds_are_ordered_and_variants_degrade_gracefully() {
        let x = correlated(300, 4, 2);
        let t = theory_bandwidths(&x, Variant::Full).unwrap();
        assert!(t.h_kl < t.h_g, "h_KL is in the extreme-value regime");
        assert!((t.h_clt / t.h_g - std::f64::consts::SQRT_2).abs() < 1e-12);
        // n <= d: the full model fails with advice; auto falls back to the diagonal one.
        let wide = correlated(5, 8, 3);
        let err = ReferenceModel::new(&wide, Variant::Full).unwrap_err();
        assert_eq!(err, SelectError::TooFewPointsForMatrix { n: 5, d: 8 });
        assert_eq!(
            ReferenceModel::auto(&wide).unwrap().variant(),
            Variant::PerDimension
        );
        // A constant coordinate: only the isotropic model remains.
        let mut flat = correlated(50, 3, 4);
        flat.column_mut(2).fill(1.0);
        assert_eq!(
            ReferenceModel::auto(&flat).unwrap().variant(),
            Variant::Isotropic
        );
        let same = DMatrix::from_element(6, 2, 0.5);
        assert_eq!(
            ReferenceModel::auto(&same).unwrap_err(),
            SelectError::AllPointsEqual
        );
        let m = ReferenceModel::auto(&flat).unwrap();
        assert!(m.assess(&Bandwidth::Scalar(-1.0)).is_err());
        assert!(m.assess(&Bandwidth::Diagonal(vec![1.0; 2])).is_err());
        let asym = DMatrix::from_row_slice(3, 3, &[1.0, 0.5, 0.0, 0.4, 1.0, 0.0, 0.0, 0.0, 1.0]);
        assert!(m.assess(&Bandwidth::Matrix(asym)).is_err());
    }
}
