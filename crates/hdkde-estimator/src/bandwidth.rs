//! Bandwidths: scalar, per-dimension, or a full symmetric positive-definite matrix.

use nalgebra::DMatrix;

use crate::KdeError;

/// The bandwidth of a kernel density estimate.
///
/// The estimate is `rho_hat(x) = sum_i p_i |H|^(-1/2) K(H^(-1/2) (x - y_i))` with the
/// bandwidth matrix `H`:
///
/// * `Scalar(h)`: `H = h^2 I` (for the Gaussian kernel, `h` is the per-coordinate standard
///   deviation; for compact kernels, the support radius);
/// * `Diagonal(h)`: `H = diag(h_1^2, ..., h_d^2)`;
/// * `Matrix(H)`: a full symmetric positive-definite `H` (scipy's `gaussian_kde` convention:
///   its `covariance` attribute is this `H`). It is factorised once, `H = L L^T`, and the data
///   are whitened by `L^(-1)` at fit time.
#[derive(Debug, Clone, PartialEq)]
pub enum Bandwidth {
    /// `H = h^2 I`.
    Scalar(f64),
    /// `H = diag(h_j^2)`.
    Diagonal(Vec<f64>),
    /// A full SPD bandwidth matrix `H` (not its square root).
    Matrix(DMatrix<f64>),
}

impl From<f64> for Bandwidth {
    fn from(h: f64) -> Self {
        Bandwidth::Scalar(h)
    }
}

/// The whitening map `z = L^(-1) (x - centre)` of a checked bandwidth.
#[derive(Debug, Clone)]
pub(crate) enum Whitening {
    // Whitening divides by h (rather than multiplying by a rounded 1/h): a systematic
    // relative error of eps in 1/h would shift ln rho_hat by eps |r^2| / h^2, which is ~1e-10
    // at d = 10,000.
    Scalar {
        h: f64,
    },
    Diagonal {
        h: Vec<f64>,
    },
    /// Lower-triangular Cholesky factor `L` of `H`.
    Cholesky {
        l: DMatrix<f64>,
    },
}

impl Whitening {
    /// Check `bw` for dimension `d`; also returns `ln det L = (1/2) ln det H`.
    pub(crate) fn new(bw: &Bandwidth, d: usize) -> Result<(Self, f64), KdeError> {
        let ok = |h: f64| h.is_finite() && h > 0.0;
        match bw {
            Bandwidth::Scalar(h) => {
                if !ok(*h) {
                    return Err(KdeError::BadBandwidth { index: 0 });
                }
                Ok((Whitening::Scalar { h: *h }, d as f64 * h.ln()))
            }
            Bandwidth::Diagonal(h) => {
                if h.len() != d {
                    return Err(KdeError::BandwidthShape {
                        dim: d,
                        found: h.len(),
                    });
                }
                if let Some(index) = h.iter().position(|&v| !ok(v)) {
                    return Err(KdeError::BadBandwidth { index });
                }
                let ln_det = h.iter().map(|v| v.ln()).sum();
                Ok((Whitening::Diagonal { h: h.clone() }, ln_det))
            }
            Bandwidth::Matrix(m) => {
                if m.nrows() != m.ncols() {
                    return Err(KdeError::BandwidthNotSquare {
                        rows: m.nrows(),
                        cols: m.ncols(),
                    });
                }
                if m.nrows() != d {
                    return Err(KdeError::BandwidthShape {
                        dim: d,
                        found: m.nrows(),
                    });
                }
                for i in 0..d {
                    for j in 0..=i {
                        let (a, b) = (m[(i, j)], m[(j, i)]);
                        if !a.is_finite() {
                            return Err(KdeError::BadBandwidth { index: i * d + j });
                        }
                        if (a - b).abs() > 1e-12 * a.abs().max(b.abs()).max(f64::MIN_POSITIVE) {
                            return Err(KdeError::BandwidthNotSymmetric { row: i, col: j });
                        }
                    }
                }
                let chol = nalgebra::Cholesky::new(m.clone())
                    .ok_or(KdeError::BandwidthNotPositiveDefinite)?;
                let l = chol.unpack();
                let ln_det: f64 = (0..d).map(|i| l[(i, i)].ln()).sum();
                if !ln_det.is_finite()
                    || (0..d)
                        .any(|i| l[(i, i)].partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
                {
                    return Err(KdeError::BandwidthNotPositiveDefinite);
                }
                Ok((Whitening::Cholesky { l }, ln_det))
            }
        }
    }

    /// Whiten one row in place: `row <- L^(-1) (row - centre)`.
    #[inline]
    pub(crate) fn apply(&self, row: &mut [f64], centre: &[f64]) {
        for (v, c) in row.iter_mut().zip(centre) {
            *v -= c;
        }
        match self {
            Whitening::Scalar { h } => row.iter_mut().for_each(|v| *v /= h),
            Whitening::Diagonal { h } => row.iter_mut().zip(h).for_each(|(v, s)| *v /= s),
            Whitening::Cholesky { l } => {
                // Forward substitution L z = row.
                let d = row.len();
                for i in 0..d {
                    let mut s = row[i];
                    for j in 0..i {
                        s -= l[(i, j)] * row[j];
                    }
                    row[i] = s / l[(i, i)];
                }
            }
        }
    }

    /// Invert [`Whitening::apply`]: `centre + L z`.
    pub(crate) fn unapply(&self, z: &[f64], centre: &[f64]) -> Vec<f64> {
        let mut x: Vec<f64> = match self {
            Whitening::Scalar { h } => z.iter().map(|v| v * h).collect(),
            Whitening::Diagonal { h } => z.iter().zip(h).map(|(v, s)| v * s).collect(),
            Whitening::Cholesky { l } => (0..z.len())
                .map(|i| (0..=i).map(|j| l[(i, j)] * z[j]).sum())
                .collect(),
        };
        x.iter_mut().zip(centre).for_each(|(v, c)| *v += c);
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_bandwidths() {
        let e = |bw: Bandwidth| Whitening::new(&bw, 2).unwrap_err();
        assert_eq!(
            e(Bandwidth::Scalar(0.0)),
            KdeError::BadBandwidth { index: 0 }
        );
        assert_eq!(
            e(Bandwidth::Scalar(-1.0)),
            KdeError::BadBandwidth { index: 0 }
        );
        assert_eq!(
            e(Bandwidth::Scalar(f64::NAN)),
            KdeError::BadBandwidth { index: 0 }
        );
        assert_eq!(
            e(Bandwidth::Diagonal(vec![1.0])),
            KdeError::BandwidthShape { dim: 2, found: 1 }
        );
        assert_eq!(
            e(Bandwidth::Diagonal(vec![1.0, f64::INFINITY])),
            KdeError::BadBandwidth { index: 1 }
        );
        let not_spd = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
        assert_eq!(
            e(Bandwidth::Matrix(not_spd)),
            KdeError::BandwidthNotPositiveDefinite
        );
        let asym = DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 0.4, 1.0]);
        assert_eq!(
            e(Bandwidth::Matrix(asym)),
            KdeError::BandwidthNotSymmetric { row: 1, col: 0 }
        );
        let rect = DMatrix::from_row_slice(1, 2, &[1.0, 0.5]);
        assert_eq!(
            e(Bandwidth::Matrix(rect)),
            KdeError::BandwidthNotSquare { rows: 1, cols: 2 }
        );
    }

    #[test]
    fn cholesky_whitening_matches_matrix() {
        let h = DMatrix::from_row_slice(2, 2, &[4.0, 1.0, 1.0, 2.0]);
        let (w, ln_det) = Whitening::new(&Bandwidth::Matrix(h.clone()), 2).unwrap();
        assert!((2.0 * ln_det - h.determinant().ln()).abs() < 1e-14);
        // z^T z must equal x^T H^-1 x.
        let mut x = [1.0, -2.0];
        let hinv = h.try_inverse().unwrap();
        let xv = nalgebra::DVector::from_column_slice(&x);
        let quad = (xv.transpose() * &hinv * &xv)[(0, 0)];
        w.apply(&mut x, &[0.0, 0.0]);
        assert!((x[0] * x[0] + x[1] * x[1] - quad).abs() < 1e-14);
    }
}
