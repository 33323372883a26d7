//! The bandwidth of a kernel density estimate: scalar, diagonal or full.

use nalgebra::DMatrix;

use crate::factor::Factor;
use crate::SamplerError;

/// The bandwidth of a KDE, given by a factor `L` of the bandwidth matrix `H = L L^T`.
///
/// The estimate is `rho_hat(x) = sum_i w_i |L|^-1 K(L^-1 (x - y_i))` for a unit kernel `K`,
/// and a draw from it is `y_i + L U`, `U ~ K`.
///
/// | constructor | `L` | `H` |
/// |---|---|---|
/// | [`scalar`](Bandwidth::scalar)`(h)` | `h I` | `h^2 I` |
/// | [`diagonal`](Bandwidth::diagonal)`(h)` | `diag(h_j)` | `diag(h_j^2)` |
/// | [`cholesky`](Bandwidth::cholesky)`(L)` | `L`, lower triangular | `L L^T` |
/// | [`from_matrix`](Bandwidth::from_matrix)`(H)` | Cholesky factor of `H` | `H` |
///
/// A scalar bandwidth fits every dimension; the others have their own.
///
/// ```
/// use hdkde_samplers::Bandwidth;
/// use nalgebra::DMatrix;
///
/// let h = DMatrix::from_row_slice(2, 2, &[0.5, 0.1, 0.1, 0.2]);
/// let b = Bandwidth::from_matrix(&h).unwrap();
/// assert_eq!(b.dim(), Some(2));
/// assert!((b.matrix(2).unwrap() - &h).amax() < 1e-15);
/// assert!((b.ln_det_factor(2).unwrap() - 0.5 * h.determinant().ln()).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Bandwidth {
    factor: Factor,
}

impl Bandwidth {
    /// `L = h I`.
    ///
    /// # Errors
    /// `h` not finite and `> 0`.
    pub fn scalar(h: f64) -> Result<Self, SamplerError> {
        Ok(Bandwidth {
            factor: Factor::scalar(h)?,
        })
    }

    /// `L = diag(h)`: one bandwidth per coordinate.
    ///
    /// # Errors
    /// Empty `h`; an `h_j` not finite and `> 0`.
    pub fn diagonal(h: Vec<f64>) -> Result<Self, SamplerError> {
        Ok(Bandwidth {
            factor: Factor::diagonal(h)?,
        })
    }

    /// A given lower-triangular factor `L` with a positive diagonal (`H = L L^T`).
    ///
    /// # Errors
    /// [`SamplerError::NotSquare`], [`SamplerError::NonFinite`],
    /// [`SamplerError::NotLowerTriangular`] for a non-zero entry above the diagonal,
    /// [`SamplerError::NonPositiveScale`] for a diagonal entry `<= 0`,
    /// [`SamplerError::ZeroDimension`] for a `0 x 0` matrix.
    pub fn cholesky(l: &DMatrix<f64>) -> Result<Self, SamplerError> {
        let d = l.nrows();
        if d == 0 && l.ncols() == 0 {
            return Err(SamplerError::ZeroDimension);
        }
        Ok(Bandwidth {
            factor: Factor::lower(l, d)?,
        })
    }

    /// The bandwidth matrix `H` itself (symmetric positive definite), factorised by
    /// Cholesky.
    ///
    /// # Errors
    /// As [`Gaussian::full`](crate::Gaussian::full) for its covariance, and
    /// [`SamplerError::ZeroDimension`] for a `0 x 0` matrix.
    pub fn from_matrix(h: &DMatrix<f64>) -> Result<Self, SamplerError> {
        let d = h.nrows();
        if d == 0 && h.ncols() == 0 {
            return Err(SamplerError::ZeroDimension);
        }
        Ok(Bandwidth {
            factor: Factor::cholesky_of(h, d)?,
        })
    }

    /// The dimension of a diagonal or full bandwidth; `None` for a scalar one.
    pub fn dim(&self) -> Option<usize> {
        self.factor.dim()
    }

    /// The scalar `h`, if the bandwidth is scalar.
    pub fn as_scalar(&self) -> Option<f64> {
        match self.factor {
            Factor::Scalar(h) => Some(h),
            _ => None,
        }
    }

    fn check_dim(&self, d: usize) -> Result<(), SamplerError> {
        if d == 0 {
            return Err(SamplerError::ZeroDimension);
        }
        match self.dim() {
            Some(own) if own != d => Err(SamplerError::LengthMismatch {
                expected: d,
                found: own,
            }),
            _ => Ok(()),
        }
    }

    /// The factor `L` in dimension `d` (lower triangular).
    ///
    /// # Errors
    /// [`SamplerError::LengthMismatch`] if the bandwidth has another dimension,
    /// [`SamplerError::ZeroDimension`] for `d = 0`.
    pub fn factor(&self, d: usize) -> Result<DMatrix<f64>, SamplerError> {
        self.check_dim(d)?;
        Ok(self.factor.matrix(d))
    }

    /// The bandwidth matrix `H = L L^T` in dimension `d`.
    ///
    /// # Errors
    /// As [`Bandwidth::factor`].
    pub fn matrix(&self, d: usize) -> Result<DMatrix<f64>, SamplerError> {
        self.check_dim(d)?;
        Ok(self.factor.gram(d))
    }

    /// `ln |det L| = (1/2) ln det H` in dimension `d`: the log-Jacobian a density estimate
    /// subtracts (`d ln h` for a scalar bandwidth), computed as a sum of logs, so it neither
    /// overflows nor underflows in high dimension.
    ///
    /// # Errors
    /// As [`Bandwidth::factor`].
    pub fn ln_det_factor(&self, d: usize) -> Result<f64, SamplerError> {
        self.check_dim(d)?;
        Ok(match &self.factor {
            Factor::Scalar(h) => d as f64 * h.ln(),
            Factor::Diagonal(h) => h.iter().map(|v| v.ln()).sum(),
            Factor::Lower { packed, .. } => (0..d).map(|i| packed[i * (i + 3) / 2].ln()).sum(),
            // Not produced by any constructor of Bandwidth (no rotation here); computed from
            // the matrix for completeness.
            Factor::Dense { .. } => 0.5 * self.factor.gram(d).determinant().abs().ln(),
        })
    }

    pub(crate) fn factor_ref(&self) -> &Factor {
        &self.factor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_accessors() {
        let s = Bandwidth::scalar(0.5).unwrap();
        assert_eq!(s.dim(), None);
        assert_eq!(s.as_scalar(), Some(0.5));
        assert_eq!(
            s.matrix(3).unwrap(),
            DMatrix::from_diagonal_element(3, 3, 0.25)
        );
        assert!((s.ln_det_factor(1000).unwrap() - 1000.0 * 0.5f64.ln()).abs() < 1e-12);
        let d = Bandwidth::diagonal(vec![1.0, 2.0]).unwrap();
        assert_eq!(d.dim(), Some(2));
        assert_eq!(d.as_scalar(), None);
        assert!((d.ln_det_factor(2).unwrap() - 2f64.ln()).abs() < 1e-15);
        assert_eq!(
            d.factor(3),
            Err(SamplerError::LengthMismatch {
                expected: 3,
                found: 2
            })
        );
        let l = DMatrix::from_row_slice(3, 3, &[1.0, 0.0, 0.0, 0.5, 2.0, 0.0, -1.0, 0.3, 0.25]);
        let c = Bandwidth::cholesky(&l).unwrap();
        assert_eq!(c.factor(3).unwrap(), l);
        assert!((c.ln_det_factor(3).unwrap() - 0.5f64.ln()).abs() < 1e-15);
        let h = c.matrix(3).unwrap();
        assert!((Bandwidth::from_matrix(&h).unwrap().factor(3).unwrap() - l).amax() < 1e-14);
    }

    #[test]
    fn errors() {
        use SamplerError as E;
        assert_eq!(Bandwidth::scalar(0.0), Err(E::NonPositiveScale));
        assert_eq!(Bandwidth::scalar(f64::NAN), Err(E::NonFinite));
        assert_eq!(Bandwidth::diagonal(vec![]), Err(E::ZeroDimension));
        assert_eq!(
            Bandwidth::diagonal(vec![1.0, -2.0]),
            Err(E::NonPositiveScale)
        );
        assert_eq!(
            Bandwidth::cholesky(&DMatrix::zeros(0, 0)),
            Err(E::ZeroDimension)
        );
        assert_eq!(
            Bandwidth::from_matrix(&DMatrix::zeros(0, 0)),
            Err(E::ZeroDimension)
        );
        assert_eq!(
            Bandwidth::cholesky(&DMatrix::identity(2, 3)),
            Err(E::NotSquare { rows: 2, cols: 3 })
        );
        assert_eq!(
            Bandwidth::from_matrix(&DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0])),
            Err(E::NotPositiveDefinite)
        );
        assert_eq!(
            Bandwidth::scalar(1.0).unwrap().matrix(0),
            Err(E::ZeroDimension)
        );
    }
}
