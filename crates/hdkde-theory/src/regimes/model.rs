//! The Gaussian data model: a covariance spectrum.

use nalgebra::{DMatrix, DVector, SymmetricEigen};

use super::cgf::Coords;
use super::Error;

/// Gaussian data `N(mu, Sigma)` described by the spectrum of `Sigma`.
///
/// The isotropic model (`Sigma = sigma^2 I`) is dimension-free: every leading-order quantity
/// depends only on `sigma`, and the finite-dimension functions take `d`. A model built from
/// an explicit spectrum or from data has dimension `d` = number of eigenvalues, and its
/// finite-dimension functions check that the `d` they are given matches.
///
/// Leading-order quantities are in [`GaussianModel::h_g`] and the following methods,
/// finite-dimension ones in [`GaussianModel::expected_min_r`] and the following, and
/// per-query predictions through [`GaussianModel::query`].
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianModel {
    eigenvalues: Vec<f64>,
    isotropic: bool,
    typical: Coords,
    frame: Option<Frame>,
}

/// Sample mean and eigenvectors (columns, in the order of the eigenvalues) of a model
/// fitted to data, used to express query points in the eigenbasis.
#[derive(Debug, Clone, PartialEq)]
struct Frame {
    mean: DVector<f64>,
    basis: DMatrix<f64>,
}

impl GaussianModel {
    /// Isotropic model `Sigma = sigma^2 I` (dimension-free).
    ///
    /// ```
    /// let model = hdkde_theory::regimes::GaussianModel::isotropic(2.0)?;
    /// assert_eq!(model.eigenvalues(), &[4.0]);
    /// # Ok::<(), hdkde_theory::regimes::Error>(())
    /// ```
    pub fn isotropic(sigma: f64) -> Result<Self, Error> {
        let var = sigma * sigma;
        if !(sigma.is_finite() && sigma > 0.0 && var.is_finite() && var > 0.0) {
            return Err(Error::InvalidSigma);
        }
        Ok(GaussianModel {
            eigenvalues: vec![var],
            isotropic: true,
            typical: Coords::typical(&[var]),
            frame: None,
        })
    }

    /// Model with covariance `diag(eigenvalues)` (any covariance with this spectrum, in its
    /// eigenbasis); the dimension is `eigenvalues.len()`.
    ///
    /// ```
    /// let mut spectrum = vec![2.0; 50];
    /// spectrum.extend(vec![0.5; 50]);
    /// let model = hdkde_theory::regimes::GaussianModel::from_spectrum(spectrum)?;
    /// assert_eq!(model.dimension(), Some(100));
    /// # Ok::<(), hdkde_theory::regimes::Error>(())
    /// ```
    pub fn from_spectrum(eigenvalues: Vec<f64>) -> Result<Self, Error> {
        if eigenvalues.is_empty() {
            return Err(Error::EmptySpectrum);
        }
        if let Some(index) = eigenvalues
            .iter()
            .position(|&l| !(l.is_finite() && l > 0.0))
        {
            return Err(Error::InvalidEigenvalue { index });
        }
        let typical = Coords::typical(&eigenvalues);
        Ok(GaussianModel {
            eigenvalues,
            isotropic: false,
            typical,
            frame: None,
        })
    }

    /// Model fitted to a data matrix with one point per row (`n x d`): the spectrum of the
    /// unbiased sample covariance `(1/(n-1)) sum_i (y_i - ybar)(y_i - ybar)^T`, computed by a
    /// symmetric eigendecomposition. Eigenvalues are stored in decreasing order; the sample
    /// mean and eigenvectors are kept so that [`GaussianModel::query`] can project points.
    ///
    /// Errors: fewer than 2 rows, no column, a non-finite entry, or a singular covariance
    /// (smallest eigenvalue below `1e-12` times the largest, e.g. when `n <= d`).
    pub fn from_data(data: &DMatrix<f64>) -> Result<Self, Error> {
        let (n, d) = data.shape();
        if n < 2 {
            return Err(Error::TooFewPoints { n });
        }
        if d == 0 {
            return Err(Error::EmptySpectrum);
        }
        for col in 0..d {
            for row in 0..n {
                if !data[(row, col)].is_finite() {
                    return Err(Error::NonFiniteData { row, col });
                }
            }
        }
        let mean = DVector::from_iterator(d, data.column_iter().map(|c| c.mean()));
        let mut centred = data.clone();
        for (j, mut col) in centred.column_iter_mut().enumerate() {
            col.add_scalar_mut(-mean[j]);
        }
        let cov = centred.tr_mul(&centred) / (n as f64 - 1.0);
        let eig = SymmetricEigen::new(cov);
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
        let eigenvalues: Vec<f64> = order.iter().map(|&k| eig.eigenvalues[k]).collect();
        let largest = eigenvalues[0];
        let smallest = eigenvalues[d - 1];
        if !(largest.is_finite() && largest > 0.0 && smallest > 1e-12 * largest) {
            return Err(Error::SingularCovariance);
        }
        let basis = DMatrix::from_fn(d, d, |i, k| eig.eigenvectors[(i, order[k])]);
        let typical = Coords::typical(&eigenvalues);
        Ok(GaussianModel {
            eigenvalues,
            isotropic: false,
            typical,
            frame: Some(Frame { mean, basis }),
        })
    }

    /// The covariance eigenvalues (`[sigma^2]` for the isotropic model).
    pub fn eigenvalues(&self) -> &[f64] {
        &self.eigenvalues
    }

    /// `true` for the dimension-free isotropic model.
    pub fn is_isotropic(&self) -> bool {
        self.isotropic
    }

    /// The dimension of a spectral model, `None` for the isotropic model.
    pub fn dimension(&self) -> Option<usize> {
        if self.isotropic {
            None
        } else {
            Some(self.eigenvalues.len())
        }
    }

    /// The sample mean of a model fitted by [`GaussianModel::from_data`] (else zero).
    pub fn mean(&self) -> Option<&DVector<f64>> {
        self.frame.as_ref().map(|f| &f.mean)
    }

    /// The eigenvectors (columns, same order as [`GaussianModel::eigenvalues`]) of a model
    /// fitted by [`GaussianModel::from_data`].
    pub fn eigenvectors(&self) -> Option<&DMatrix<f64>> {
        self.frame.as_ref().map(|f| &f.basis)
    }

    pub(crate) fn typical(&self) -> &Coords {
        &self.typical
    }

    /// Checks a dimension argument against the model and returns it.
    pub(crate) fn check_dimension(&self, d: usize) -> Result<usize, Error> {
        if d == 0 {
            return Err(Error::ZeroDimension);
        }
        match self.dimension() {
            Some(expected) if expected != d => Err(Error::DimensionMismatch { expected, found: d }),
            _ => Ok(d),
        }
    }

    /// Coordinates of a query point in the model's eigenbasis, centred at the model mean.
    pub(crate) fn project(&self, x: &[f64]) -> Result<Vec<f64>, Error> {
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::InvalidQuery);
        }
        match &self.frame {
            Some(frame) => {
                let d = frame.mean.len();
                if x.len() != d {
                    return Err(Error::DimensionMismatch {
                        expected: d,
                        found: x.len(),
                    });
                }
                let centred =
                    DVector::from_iterator(d, x.iter().zip(frame.mean.iter()).map(|(a, m)| a - m));
                Ok(frame.basis.tr_mul(&centred).iter().copied().collect())
            }
            None => Ok(x.to_vec()),
        }
    }

    /// `Lambda(t)`: the scaled cumulant generating function of `|x - y|^2 / d` for a typical
    /// test point, `(1/d) sum_j [-1/2 ln(1 - 2 t lam_j) + t lam_j / (1 - 2 t lam_j)]`,
    /// defined for `t < 1 / (2 max lam)`.
    pub fn cgf(&self, t: f64) -> Result<f64, Error> {
        self.check_tilt(t)?;
        Ok(self.typical.cgf_all(t).0)
    }

    /// `Lambda'(t) = (1/d) sum_j [lam_j / (1 - 2 t lam_j) + lam_j / (1 - 2 t lam_j)^2]`.
    pub fn cgf_d1(&self, t: f64) -> Result<f64, Error> {
        self.check_tilt(t)?;
        Ok(self.typical.cgf_all(t).1)
    }

    /// `Lambda''(t) = (1/d) sum_j [2 lam_j^2 / (1 - 2 t lam_j)^2 + 4 lam_j^2 / (1 - 2 t lam_j)^3]`.
    pub fn cgf_d2(&self, t: f64) -> Result<f64, Error> {
        self.check_tilt(t)?;
        Ok(self.typical.cgf_all(t).2)
    }

    fn check_tilt(&self, t: f64) -> Result<(), Error> {
        if t.is_finite() && t < self.typical.pole() {
            Ok(())
        } else {
            Err(Error::InvalidTilt)
        }
    }

    /// The rate function `I(r) = sup_t [t r - Lambda(t)]` of the scaled distance, `r > 0`.
    ///
    /// ```
    /// let model = hdkde_theory::regimes::GaussianModel::isotropic(1.0)?;
    /// // The mean distance E r = 2 sigma^2 has rate 0.
    /// assert!(model.rate(2.0)?.abs() < 1e-15);
    /// # Ok::<(), hdkde_theory::regimes::Error>(())
    /// ```
    pub fn rate(&self, r: f64) -> Result<f64, Error> {
        if !(r.is_finite() && r > 0.0) {
            return Err(Error::InvalidDistance);
        }
        let t = self.typical.solve_r(r)?;
        Ok(self.typical.legendre(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::StandardNormal;

    #[test]
    fn constructor_errors() {
        assert_eq!(GaussianModel::isotropic(0.0), Err(Error::InvalidSigma));
        assert_eq!(GaussianModel::isotropic(f64::NAN), Err(Error::InvalidSigma));
        assert_eq!(GaussianModel::isotropic(1e200), Err(Error::InvalidSigma));
        assert_eq!(
            GaussianModel::from_spectrum(vec![]),
            Err(Error::EmptySpectrum)
        );
        assert_eq!(
            GaussianModel::from_spectrum(vec![1.0, -2.0]),
            Err(Error::InvalidEigenvalue { index: 1 })
        );
        assert_eq!(
            GaussianModel::from_spectrum(vec![f64::INFINITY]),
            Err(Error::InvalidEigenvalue { index: 0 })
        );
        let one_row = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
        assert_eq!(
            GaussianModel::from_data(&one_row),
            Err(Error::TooFewPoints { n: 1 })
        );
        let nan = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, f64::NAN]);
        assert_eq!(
            GaussianModel::from_data(&nan),
            Err(Error::NonFiniteData { row: 1, col: 1 })
        );
        // Three points in dimension 3: rank 2 at most.
        let flat = DMatrix::from_row_slice(3, 3, &[1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 3.0, 1.0, 0.5]);
        assert_eq!(
            GaussianModel::from_data(&flat),
            Err(Error::SingularCovariance)
        );
        let m = GaussianModel::isotropic(1.0).unwrap();
        assert_eq!(m.cgf(0.5), Err(Error::InvalidTilt));
        assert_eq!(m.rate(0.0), Err(Error::InvalidDistance));
    }

    #[test]
    fn from_data_exact_spectrum() {
        // Rows +-a e1, +-c e2 around the mean (5, -1): the covariance is diagonal with
        // a^2 / 2 (two nonzero rows of four, n - 1 = 3: 2 a^2 / 3) and 2 c^2 / 3.
        let (a, c) = (3.0, 1.0);
        let rows = [5.0 + a, -1.0, 5.0 - a, -1.0, 5.0, -1.0 + c, 5.0, -1.0 - c];
        let data = DMatrix::from_row_slice(4, 2, &rows);
        let m = GaussianModel::from_data(&data).unwrap();
        assert!((m.eigenvalues()[0] - 2.0 * a * a / 3.0).abs() < 1e-12);
        assert!((m.eigenvalues()[1] - 2.0 * c * c / 3.0).abs() < 1e-12);
        assert!((m.mean().unwrap()[0] - 5.0).abs() < 1e-15);
        // The mean projects to the origin; a point along e1 to (+-a, 0).
        let p = m.project(&[5.0 + a, -1.0]).unwrap();
        assert!((p[0].abs() - a).abs() < 1e-12 && p[1].abs() < 1e-12);
        assert_eq!(
            m.project(&[1.0]),
            Err(Error::DimensionMismatch {
                expected: 2,
                found: 1
            })
        );
    }

    #[test]
    fn from_data_recovers_gaussian_spectrum() {
        // n = 4000 points of N(0, diag(4, 1, 0.25)): each sample variance has relative
        // standard error sqrt(2 / n) = 2.2%; 10% is more than 4 standard errors.
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let scales = [2.0, 1.0, 0.5];
        let data = DMatrix::from_fn(4000, 3, |_, j| {
            scales[j] * rng.sample::<f64, _>(StandardNormal)
        });
        let m = GaussianModel::from_data(&data).unwrap();
        for (got, want) in m.eigenvalues().iter().zip([4.0, 1.0, 0.25]) {
            assert!((got / want - 1.0).abs() < 0.1, "{got} vs {want}");
        }
        assert_eq!(m.dimension(), Some(3));
        assert_eq!(
            m.check_dimension(4),
            Err(Error::DimensionMismatch {
                expected: 3,
                found: 4
            })
        );
    }
}
