//! Predictions for one given test point.

use super::cgf::{Class, Coords};
use super::finite::{finite_of, min_r_of};
use super::leading::{b_g_of, ell_of};
use super::rem::{expected_min, FinitePrediction, MAX_LN_N};
use super::{check_alpha, inverse_temperature, Error, GaussianModel, Regime};

/// A query point seen by the Gaussian model: its squared coordinates in the eigenbasis of
/// the covariance (or, for the isotropic model, its squared norm) and the dimension.
///
/// Conditional on `x`, the cumulant generating function of `r = |x - y|^2 / d` is
/// `Lambda_x(t) = (1/d) sum_j [-1/2 ln(1 - 2 t lam_j) + t x_j^2 / (1 - 2 t lam_j)]`, and every
/// threshold becomes a property of this point: `I_x(r*_x(b_G(x))) = alpha` etc. The
/// typical point has `x_j^2 = lam_j`. Built by [`GaussianModel::query`],
/// [`GaussianModel::query_squared_norm`] or [`GaussianModel::query_squared_coordinates`].
///
/// ```
/// use hdkde_theory::regimes::GaussianModel;
///
/// let model = GaussianModel::isotropic(1.0)?;
/// // A test point closer to the centre than typical (|x|^2 / d = 0.8) has closer neighbours.
/// let near = model.query_squared_norm(0.8 * 40.0, 40)?;
/// let typical = model.query_squared_norm(40.0, 40)?;
/// assert!(near.expected_min_r(0.25)? < typical.expected_min_r(0.25)?);
/// # Ok::<(), hdkde_theory::regimes::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPoint {
    coords: Coords,
    d: usize,
}

impl GaussianModel {
    /// The query point `x` (original coordinates; centred and rotated into the eigenbasis
    /// for a model fitted by [`GaussianModel::from_data`]). For the isotropic model any
    /// length `d >= 1` is accepted.
    pub fn query(&self, x: &[f64]) -> Result<QueryPoint, Error> {
        if x.is_empty() {
            return Err(Error::ZeroDimension);
        }
        if self.is_isotropic() {
            if x.iter().any(|v| !v.is_finite()) {
                return Err(Error::InvalidQuery);
            }
            let sq: f64 = x.iter().map(|v| v * v).sum();
            return self.query_squared_norm(sq, x.len());
        }
        let z = self.project(x)?;
        let sq: Vec<f64> = z.iter().map(|v| v * v).collect();
        self.query_squared_coordinates(&sq)
    }

    /// Isotropic model only: the query point of squared norm `|x|^2` in dimension `d`.
    pub fn query_squared_norm(&self, squared_norm: f64, d: usize) -> Result<QueryPoint, Error> {
        if !self.is_isotropic() {
            return Err(Error::NotIsotropic);
        }
        if d == 0 {
            return Err(Error::ZeroDimension);
        }
        if !(squared_norm.is_finite() && squared_norm >= 0.0) {
            return Err(Error::InvalidQuery);
        }
        let lam = self.eigenvalues()[0];
        Ok(QueryPoint {
            coords: Coords::new(vec![Class {
                weight: 1.0,
                lam,
                s: squared_norm / d as f64,
            }]),
            d,
        })
    }

    /// Spectral models only: the query point with squared coordinates `x_j^2` in the
    /// eigenbasis, in the order of [`GaussianModel::eigenvalues`] (and centred).
    pub fn query_squared_coordinates(&self, squared: &[f64]) -> Result<QueryPoint, Error> {
        let d = self.dimension().ok_or(Error::NotSpectral)?;
        if squared.len() != d {
            return Err(Error::DimensionMismatch {
                expected: d,
                found: squared.len(),
            });
        }
        if squared.iter().any(|s| !(s.is_finite() && *s >= 0.0)) {
            return Err(Error::InvalidQuery);
        }
        let classes = self
            .eigenvalues()
            .iter()
            .zip(squared)
            .map(|(&lam, &s)| Class {
                weight: 1.0,
                lam,
                s,
            })
            .collect();
        Ok(QueryPoint {
            coords: Coords::new(classes),
            d,
        })
    }
}

impl QueryPoint {
    /// The dimension `d`.
    pub fn dimension(&self) -> usize {
        self.d
    }

    /// Squared Mahalanobis norm per dimension `(1/d) sum_j x_j^2 / lam_j` (1 on average).
    pub fn mahalanobis(&self) -> f64 {
        self.coords
            .classes()
            .iter()
            .map(|k| k.weight * k.s / k.lam)
            .sum()
    }

    /// `b_G` of this point: `I_x(r*_x(b)) = alpha`.
    pub fn b_g(&self, alpha: f64) -> Result<f64, Error> {
        b_g_of(&self.coords, alpha)
    }

    /// Condensation threshold of this point, `1 / sqrt(2 b_G(x))`.
    pub fn h_g(&self, alpha: f64) -> Result<f64, Error> {
        Ok((0.5 / self.b_g(alpha)?).sqrt())
    }

    /// Leading-order smallest distance from this point, `Lambda_x'(-b_G(x))`.
    pub fn r_min(&self, alpha: f64) -> Result<f64, Error> {
        Ok(self.coords.r_star(self.b_g(alpha)?))
    }

    /// Tail index `(h / h_G(x))^2` at this point.
    pub fn mu(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        Ok(self.b_g(alpha)? / inverse_temperature(h)?)
    }

    /// The regime at this point.
    pub fn regime(&self, h: f64, alpha: f64) -> Result<Regime, Error> {
        Ok(Regime::from_mu(self.mu(h, alpha)?))
    }

    /// Leading-order `(1/d) ln rho_hat(x)` at this point: `(1/d) ln N(x; 0, Sigma + h^2 I)`
    /// for `h >= h_G(x)`, `-alpha - 1/2 ln(2 pi h^2) - r_min(x) / (2 h^2)` below.
    pub fn ell(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        ell_of(&self.coords, h, alpha)
    }

    /// Bahadur-Rao plus Gumbel expected minimum distance from this point,
    /// `n = e^(alpha d)`.
    pub fn expected_min_r(&self, alpha: f64) -> Result<f64, Error> {
        check_alpha(alpha)?;
        min_r_of(&self.coords, alpha, self.d as f64)
    }

    /// Saddle-point integral for the expected minimum distance from this point (see
    /// [`GaussianModel::expected_min_r_saddlepoint`]).
    pub fn expected_min_r_saddlepoint(&self, alpha: f64) -> Result<f64, Error> {
        check_alpha(alpha)?;
        if alpha * self.d as f64 > MAX_LN_N {
            return Err(Error::OutOfRange);
        }
        expected_min(&self.coords, self.d as f64, alpha)
    }

    /// Finite-`n`, finite-`d` expectations over the data set for this point.
    pub fn finite(&self, h: f64, alpha: f64) -> Result<FinitePrediction, Error> {
        check_alpha(alpha)?;
        if alpha * self.d as f64 > MAX_LN_N {
            return Err(Error::OutOfRange);
        }
        finite_of(&self.coords, h, alpha, self.d as f64)
    }

    /// `E[(1/d) ln rho_hat(x)]` over the data set for this point.
    pub fn ell_finite(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        Ok(self.finite(h, alpha)?.ln_density)
    }

    /// `E[Y2]` over the data set for this point.
    pub fn y2_finite(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        Ok(self.finite(h, alpha)?.y2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_query_reproduces_model() {
        let model = GaussianModel::from_spectrum(vec![2.0, 2.0, 0.5, 0.5]).unwrap();
        let q = model
            .query_squared_coordinates(&[2.0, 2.0, 0.5, 0.5])
            .unwrap();
        assert!((q.mahalanobis() - 1.0).abs() < 1e-15);
        assert!((q.h_g(0.3).unwrap() - model.h_g(0.3).unwrap()).abs() < 1e-14);
        assert!((q.ell(0.7, 0.3).unwrap() - model.ell(0.7, 0.3).unwrap()).abs() < 1e-14);
        let x = [2f64.sqrt(), -(2f64.sqrt()), 0.5f64.sqrt(), 0.5f64.sqrt()];
        let from_x = model.query(&x).unwrap();
        assert!((from_x.r_min(0.3).unwrap() - model.r_min(0.3).unwrap()).abs() < 1e-14);
        let iso = GaussianModel::isotropic(1.5).unwrap();
        let qi = iso.query(&[1.5; 7]).unwrap();
        assert_eq!(qi.dimension(), 7);
        assert!((qi.h_g(0.4).unwrap() - iso.h_g(0.4).unwrap()).abs() < 1e-14);
    }

    #[test]
    fn query_errors() {
        let iso = GaussianModel::isotropic(1.0).unwrap();
        let spec = GaussianModel::from_spectrum(vec![1.0, 2.0]).unwrap();
        assert_eq!(iso.query(&[]), Err(Error::ZeroDimension));
        assert_eq!(iso.query(&[f64::NAN]), Err(Error::InvalidQuery));
        assert_eq!(iso.query_squared_norm(-1.0, 3), Err(Error::InvalidQuery));
        assert_eq!(spec.query_squared_norm(1.0, 2), Err(Error::NotIsotropic));
        assert_eq!(
            iso.query_squared_coordinates(&[1.0]),
            Err(Error::NotSpectral)
        );
        assert_eq!(
            spec.query(&[1.0]),
            Err(Error::DimensionMismatch {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            spec.query_squared_coordinates(&[1.0, -1.0]),
            Err(Error::InvalidQuery)
        );
        let q = iso.query_squared_norm(40.0, 40).unwrap();
        assert_eq!(q.finite(0.5, 16.0), Err(Error::OutOfRange));
    }

    #[test]
    fn closer_points_condense_earlier() {
        // A point with small |x| has nearer neighbours: smaller r_min, larger b_G.
        let iso = GaussianModel::isotropic(1.0).unwrap();
        let near = iso.query_squared_norm(20.0, 40).unwrap();
        let far = iso.query_squared_norm(60.0, 40).unwrap();
        assert!(near.r_min(0.5).unwrap() < far.r_min(0.5).unwrap());
        assert!(near.h_g(0.5).unwrap() < far.h_g(0.5).unwrap());
    }
}
