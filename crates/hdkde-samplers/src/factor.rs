//! Linear maps `z -> A z` shared by the samplers: the square root of a covariance matrix, or
//! the Cholesky factor of a bandwidth matrix.
//!
//! A draw of `N(mu, Sigma)` is `mu + A z` with `z ~ N(0, I)` for any `A` with `A A^T = Sigma`;
//! a KDE draw is `y_i + L u`. This module validates the matrices once, stores the factor in the
//! cheapest exact form, and applies it in place.

use nalgebra::{Cholesky, DMatrix};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use crate::SamplerError;

/// Relative tolerance of the symmetry check, per entry: `|a_ij - a_ji| <= TOL sqrt(a_ii a_jj)`.
/// Loose enough for matrices assembled in floating point (`Q diag(l) Q^T` is symmetric only to
/// a few ulp), tight enough to reject a matrix that is not meant to be symmetric.
const SYMMETRY_TOL: f64 = 1e-10;

/// A linear map `A` of `R^d`, stored in the cheapest form that represents it exactly.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Factor {
    /// `A = s I`.
    Scalar(f64),
    /// `A = diag(s)`.
    Diagonal(Vec<f64>),
    /// Lower-triangular `A`, packed by rows: row `i` is `packed[i(i+1)/2 ..= i(i+1)/2 + i]`.
    Lower { d: usize, packed: Vec<f64> },
    /// Dense `A`, row-major.
    Dense { d: usize, a: Vec<f64> },
}

impl Factor {
    /// Whether [`Factor::apply`] needs a scratch buffer of length `d`.
    pub(crate) fn needs_scratch(&self) -> bool {
        matches!(self, Factor::Dense { .. })
    }

    /// The dimension the factor is bound to (`None` for a scalar, which fits every dimension).
    pub(crate) fn dim(&self) -> Option<usize> {
        match self {
            Factor::Scalar(_) => None,
            Factor::Diagonal(s) => Some(s.len()),
            Factor::Lower { d, .. } | Factor::Dense { d, .. } => Some(*d),
        }
    }

    /// `z <- A z` in place. `z` has length `d`; `scratch` has length `d` when
    /// [`Factor::needs_scratch`] (it may be empty otherwise).
    #[inline]
    pub(crate) fn apply(&self, z: &mut [f64], scratch: &mut [f64]) {
        match self {
            Factor::Scalar(s) => {
                if *s != 1.0 {
                    z.iter_mut().for_each(|v| *v *= s);
                }
            }
            Factor::Diagonal(s) => z.iter_mut().zip(s).for_each(|(v, s)| *v *= s),
            Factor::Lower { d, packed } => {
                // Row i of L z only reads z_0..z_i: going from the last row up, every entry
                // read is still the input one.
                for i in (0..*d).rev() {
                    let start = i * (i + 1) / 2;
                    z[i] = dot(&packed[start..=start + i], &z[..=i]);
                }
            }
            Factor::Dense { d, a } => {
                for (s, row) in scratch.iter_mut().zip(a.chunks_exact(*d)) {
                    *s = dot(row, z);
                }
                z.copy_from_slice(&scratch[..*d]);
            }
        }
    }

    /// The matrix `A` in dimension `d` (`d` matters only for a scalar factor).
    pub(crate) fn matrix(&self, d: usize) -> DMatrix<f64> {
        match self {
            Factor::Scalar(s) => DMatrix::from_diagonal_element(d, d, *s),
            Factor::Diagonal(s) => DMatrix::from_diagonal(&nalgebra::DVector::from_column_slice(s)),
            Factor::Lower { d, packed } => DMatrix::from_fn(*d, *d, |i, j| {
                if j <= i {
                    packed[i * (i + 1) / 2 + j]
                } else {
                    0.0
                }
            }),
            Factor::Dense { d, a } => DMatrix::from_row_slice(*d, *d, a),
        }
    }

    /// `A A^T` in dimension `d`.
    pub(crate) fn gram(&self, d: usize) -> DMatrix<f64> {
        match self {
            Factor::Scalar(s) => DMatrix::from_diagonal_element(d, d, s * s),
            Factor::Diagonal(s) => DMatrix::from_diagonal(&nalgebra::DVector::from_iterator(
                s.len(),
                s.iter().map(|v| v * v),
            )),
            _ => {
                let a = self.matrix(d);
                &a * a.transpose()
            }
        }
    }

    /// `s I` with `s` finite and `> 0`.
    pub(crate) fn scalar(s: f64) -> Result<Self, SamplerError> {
        check_scale(s)?;
        Ok(Factor::Scalar(s))
    }

    /// `diag(s)` with every `s_j` finite and `> 0`; `s` must not be empty.
    pub(crate) fn diagonal(s: Vec<f64>) -> Result<Self, SamplerError> {
        if s.is_empty() {
            return Err(SamplerError::ZeroDimension);
        }
        s.iter().try_for_each(|&v| check_scale(v))?;
        Ok(Factor::Diagonal(s))
    }

    /// The Cholesky factor of a symmetric positive-definite `d x d` matrix.
    pub(crate) fn cholesky_of(m: &DMatrix<f64>, d: usize) -> Result<Self, SamplerError> {
        check_square(m, d)?;
        for i in 0..d {
            if m[(i, i)] <= 0.0 {
                return Err(SamplerError::NotPositiveDefinite);
            }
        }
        for j in 0..d {
            for i in j + 1..d {
                let tol = SYMMETRY_TOL * (m[(i, i)] * m[(j, j)]).sqrt();
                if (m[(i, j)] - m[(j, i)]).abs() > tol {
                    return Err(SamplerError::NotSymmetric);
                }
            }
        }
        // Cholesky::new reads the lower triangle only.
        let l = Cholesky::new(m.clone())
            .ok_or(SamplerError::NotPositiveDefinite)?
            .unpack();
        if l.iter().any(|v| !v.is_finite()) {
            return Err(SamplerError::NotPositiveDefinite);
        }
        Ok(pack_lower(&l, d))
    }

    /// A given lower-triangular factor with a positive diagonal.
    pub(crate) fn lower(l: &DMatrix<f64>, d: usize) -> Result<Self, SamplerError> {
        check_square(l, d)?;
        for j in 0..d {
            for i in 0..j {
                if l[(i, j)] != 0.0 {
                    return Err(SamplerError::NotLowerTriangular);
                }
            }
            check_scale(l[(j, j)])?;
        }
        Ok(pack_lower(l, d))
    }

    /// `A = Q diag(sqrt(lambda))`, so that `A A^T = Q diag(lambda) Q^T`; `Q` is the identity
    /// (`rotation_seed = None`) or [`haar_orthogonal`]`(d, seed)`.
    pub(crate) fn spectrum(
        eigenvalues: &[f64],
        rotation_seed: Option<u64>,
    ) -> Result<Self, SamplerError> {
        let d = eigenvalues.len();
        if d == 0 {
            return Err(SamplerError::ZeroDimension);
        }
        eigenvalues.iter().try_for_each(|&v| check_scale(v))?;
        let sd: Vec<f64> = eigenvalues.iter().map(|v| v.sqrt()).collect();
        match rotation_seed {
            None => Ok(Factor::Diagonal(sd)),
            Some(seed) => {
                let q = haar_orthogonal(d, seed);
                let mut a = Vec::with_capacity(d * d);
                for i in 0..d {
                    a.extend((0..d).map(|j| q[(i, j)] * sd[j]));
                }
                Ok(Factor::Dense { d, a })
            }
        }
    }
}

/// A uniformly distributed (Haar) random orthogonal `d x d` matrix, determined by `seed`.
///
/// `Q R` factorisation of a matrix `G` of independent standard normals (drawn column by column
/// from `ChaCha8Rng::seed_from_u64(seed)`), with the columns of `Q` multiplied by the signs of
/// `diag(R)` so that the law is exactly Haar (Mezzadri, "How to generate random matrices from
/// the classical compact groups", Notices AMS 54, 2007).
pub(crate) fn haar_orthogonal(d: usize, seed: u64) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let g = DMatrix::from_fn(d, d, |_, _| rng.sample::<f64, _>(StandardNormal));
    let qr = g.qr();
    let r = qr.r();
    let mut q = qr.q();
    for j in 0..d {
        if r[(j, j)] < 0.0 {
            q.column_mut(j).neg_mut();
        }
    }
    q
}

/// Overwrite `out` with a uniform draw on the unit sphere: normalised standard normals.
///
/// If all the normals are exactly zero (probability below `2^-50` for `d = 1`, astronomically
/// smaller beyond) the direction `e_1` is returned instead of dividing by zero: no loop.
#[inline]
pub(crate) fn fill_unit_direction<R: Rng + ?Sized>(rng: &mut R, out: &mut [f64]) {
    let mut norm2 = 0.0;
    for v in out.iter_mut() {
        let z: f64 = rng.sample(StandardNormal);
        norm2 += z * z;
        *v = z;
    }
    if norm2 > 0.0 {
        let inv = 1.0 / norm2.sqrt();
        out.iter_mut().for_each(|v| *v *= inv);
    } else if let Some(first) = out.first_mut() {
        *first = 1.0;
    }
}

/// Overwrite `out` with standard normals.
#[inline]
pub(crate) fn fill_standard_normal<R: Rng + ?Sized>(rng: &mut R, out: &mut [f64]) {
    out.iter_mut().for_each(|v| *v = rng.sample(StandardNormal));
}

/// A mean vector: not empty, finite.
pub(crate) fn check_vector(v: &[f64]) -> Result<(), SamplerError> {
    if v.is_empty() {
        return Err(SamplerError::ZeroDimension);
    }
    if v.iter().any(|x| !x.is_finite()) {
        return Err(SamplerError::NonFinite);
    }
    Ok(())
}

/// A scale: finite and `> 0`.
pub(crate) fn check_scale(s: f64) -> Result<(), SamplerError> {
    if !s.is_finite() {
        Err(SamplerError::NonFinite)
    } else if s <= 0.0 {
        Err(SamplerError::NonPositiveScale)
    } else {
        Ok(())
    }
}

/// `d x d`, all entries finite.
fn check_square(m: &DMatrix<f64>, d: usize) -> Result<(), SamplerError> {
    if m.nrows() != m.ncols() {
        return Err(SamplerError::NotSquare {
            rows: m.nrows(),
            cols: m.ncols(),
        });
    }
    if m.nrows() != d {
        return Err(SamplerError::LengthMismatch {
            expected: d,
            found: m.nrows(),
        });
    }
    if m.iter().any(|v| !v.is_finite()) {
        return Err(SamplerError::NonFinite);
    }
    Ok(())
}

fn pack_lower(l: &DMatrix<f64>, d: usize) -> Factor {
    let mut packed = Vec::with_capacity(d * (d + 1) / 2);
    for i in 0..d {
        packed.extend((0..=i).map(|j| l[(i, j)]));
    }
    Factor::Lower { d, packed }
}

#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    // Four accumulators: independent chains let the compiler vectorise the loop.
    let mut acc = [0.0f64; 4];
    let mut ca = a.chunks_exact(4);
    let mut cb = b.chunks_exact(4);
    for (x, y) in (&mut ca).zip(&mut cb) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DVector;

    fn spd(d: usize) -> DMatrix<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let b = DMatrix::from_fn(d, d, |_, _| rng.sample::<f64, _>(StandardNormal));
        &b * b.transpose() + DMatrix::identity(d, d)
    }

    #[test]
    fn apply_matches_matrix_product() {
        // Every representation must equal the explicit matrix-vector product (to rounding:
        // the sums have at most 9 terms of size O(10), so 1e-12 absolute is generous).
        let d = 9;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let factors = [
            Factor::scalar(2.5).unwrap(),
            Factor::diagonal((1..=d).map(|i| i as f64).collect()).unwrap(),
            Factor::cholesky_of(&spd(d), d).unwrap(),
            Factor::spectrum(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], Some(4)).unwrap(),
        ];
        for f in &factors {
            let z: Vec<f64> = (0..d).map(|_| rng.sample(StandardNormal)).collect();
            let want = f.matrix(d) * DVector::from_column_slice(&z);
            let mut got = z.clone();
            let mut scratch = vec![0.0; d];
            f.apply(&mut got, &mut scratch);
            for i in 0..d {
                assert!((got[i] - want[i]).abs() < 1e-12, "{f:?}: {i}");
            }
        }
    }

    #[test]
    fn cholesky_reproduces_the_matrix() {
        // L L^T against the input: relative 1e-12 (backward stability of Cholesky on a
        // well-conditioned 12 x 12 matrix).
        let d = 12;
        let m = spd(d);
        let g = Factor::cholesky_of(&m, d).unwrap().gram(d);
        assert!((&g - &m).amax() < 1e-12 * m.amax());
    }

    #[test]
    fn haar_is_orthogonal_reproducible_and_seed_dependent() {
        let q = haar_orthogonal(15, 9);
        let qtq = q.transpose() * &q;
        assert!((qtq - DMatrix::<f64>::identity(15, 15)).amax() < 1e-13);
        assert_eq!(q, haar_orthogonal(15, 9));
        assert!((q - haar_orthogonal(15, 10)).amax() > 0.1);
    }

    #[test]
    fn haar_first_column_is_uniform_on_the_sphere() {
        // For Haar Q, Q_11 has the law of the first coordinate of a uniform unit vector in
        // R^3, which is uniform on [-1, 1] (Archimedes). 2,000 independent seeds; the 0.1%
        // critical value of the Kolmogorov-Smirnov statistic is 1.95 / sqrt(2000) = 0.0436.
        // Without the sign correction, Q_11 would be negative far too often.
        let mut x: Vec<f64> = (0..2000).map(|s| haar_orthogonal(3, s)[(0, 0)]).collect();
        let ks = crate::testutil::ks_statistic(&mut x, |t| ((t + 1.0) / 2.0).clamp(0.0, 1.0));
        assert!(ks < 1.95 / 2000f64.sqrt(), "ks = {ks}");
    }

    #[test]
    fn validation_errors() {
        let d = 3;
        let mut m = spd(d);
        assert!(Factor::cholesky_of(&m, d).is_ok());
        assert_eq!(
            Factor::cholesky_of(&m, 4),
            Err(SamplerError::LengthMismatch {
                expected: 4,
                found: 3
            })
        );
        assert_eq!(
            Factor::cholesky_of(&DMatrix::zeros(2, 3), 2),
            Err(SamplerError::NotSquare { rows: 2, cols: 3 })
        );
        m[(0, 1)] += 0.5;
        assert_eq!(Factor::cholesky_of(&m, d), Err(SamplerError::NotSymmetric));
        m[(0, 1)] = f64::NAN;
        assert_eq!(Factor::cholesky_of(&m, d), Err(SamplerError::NonFinite));
        // Symmetric, positive diagonal, but indefinite (eigenvalues 3 and -1).
        let bad = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
        assert_eq!(
            Factor::cholesky_of(&bad, 2),
            Err(SamplerError::NotPositiveDefinite)
        );
        let upper = DMatrix::from_row_slice(2, 2, &[1.0, 0.1, 0.0, 1.0]);
        assert_eq!(
            Factor::lower(&upper, 2),
            Err(SamplerError::NotLowerTriangular)
        );
        let neg = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.3, -1.0]);
        assert_eq!(Factor::lower(&neg, 2), Err(SamplerError::NonPositiveScale));
        assert_eq!(
            Factor::spectrum(&[1.0, 0.0], None),
            Err(SamplerError::NonPositiveScale)
        );
        assert_eq!(
            Factor::spectrum(&[], None),
            Err(SamplerError::ZeroDimension)
        );
        assert_eq!(Factor::scalar(f64::INFINITY), Err(SamplerError::NonFinite));
        assert_eq!(Factor::diagonal(vec![]), Err(SamplerError::ZeroDimension));
    }

    #[test]
    fn direction_is_unit() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for d in [1usize, 2, 7, 1000] {
            let mut v = vec![0.0; d];
            fill_unit_direction(&mut rng, &mut v);
            let n: f64 = v.iter().map(|x| x * x).sum();
            assert!((n - 1.0).abs() < 1e-14, "d = {d}");
        }
    }
}
