//! Uniform laws on a ball, a sphere and an axis-aligned box.

use rand::distr::Distribution;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::factor::{check_scale, check_vector, fill_unit_direction};
use crate::{SampleMatrix, SamplerError};

/// The uniform law in the ball `{x : |x - c| <= r}` of `R^d`.
///
/// A draw is `c + r U^(1/d) V` with `V` uniform on the unit sphere (normalised standard
/// normals) and `U` uniform in `[0, 1)`: exact, no rejection, fine in any dimension.
///
/// ```
/// use hdkde_samplers::{SampleMatrix, UniformBall};
///
/// let b = UniformBall::new(vec![1.0, 1.0, 1.0], 2.0).unwrap();
/// let x = b.sample_row_major(100, 5);
/// for p in x.chunks_exact(3) {
///     let r2: f64 = p.iter().map(|v| (v - 1.0).powi(2)).sum();
///     assert!(r2 <= 4.0 + 1e-12);
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UniformBall {
    center: Vec<f64>,
    radius: f64,
    inv_d: f64,
}

impl UniformBall {
    /// The ball of `center` and `radius`.
    ///
    /// # Errors
    /// Empty or non-finite `center`; `radius` not finite and `> 0`.
    pub fn new(center: Vec<f64>, radius: f64) -> Result<Self, SamplerError> {
        check_vector(&center)?;
        check_scale(radius)?;
        let inv_d = 1.0 / center.len() as f64;
        Ok(UniformBall {
            center,
            radius,
            inv_d,
        })
    }

    /// The unit ball centred at the origin of `R^d`.
    ///
    /// # Errors
    /// [`SamplerError::ZeroDimension`] if `d = 0`.
    pub fn unit(d: usize) -> Result<Self, SamplerError> {
        Self::new(vec![0.0; d], 1.0)
    }

    /// The centre.
    pub fn center(&self) -> &[f64] {
        &self.center
    }

    /// The radius.
    pub fn radius(&self) -> f64 {
        self.radius
    }

    #[inline]
    fn fill_one<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        fill_unit_direction(rng, out);
        let u: f64 = rng.random();
        let r = self.radius * u.powf(self.inv_d);
        out.iter_mut()
            .zip(&self.center)
            .for_each(|(v, c)| *v = c + r * *v);
    }
}

/// The uniform law on the sphere `{x : |x - c| = r}` of `R^d` (for `d = 1`, the two points
/// `c - r` and `c + r`).
///
/// A draw is `c + r V`, `V` normalised standard normals (Muller, "A note on a method for
/// generating points uniformly on n-dimensional spheres", CACM 2, 1959).
///
/// ```
/// use hdkde_samplers::{SampleMatrix, UniformSphere};
///
/// let s = UniformSphere::unit(4).unwrap();
/// let x = s.sample_row_major(10, 1);
/// let r2: f64 = x[..4].iter().map(|v| v * v).sum();
/// assert!((r2 - 1.0).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UniformSphere {
    center: Vec<f64>,
    radius: f64,
}

impl UniformSphere {
    /// The sphere of `center` and `radius`.
    ///
    /// # Errors
    /// Empty or non-finite `center`; `radius` not finite and `> 0`.
    pub fn new(center: Vec<f64>, radius: f64) -> Result<Self, SamplerError> {
        check_vector(&center)?;
        check_scale(radius)?;
        Ok(UniformSphere { center, radius })
    }

    /// The unit sphere centred at the origin of `R^d`.
    ///
    /// # Errors
    /// [`SamplerError::ZeroDimension`] if `d = 0`.
    pub fn unit(d: usize) -> Result<Self, SamplerError> {
        Self::new(vec![0.0; d], 1.0)
    }

    /// The centre.
    pub fn center(&self) -> &[f64] {
        &self.center
    }

    /// The radius.
    pub fn radius(&self) -> f64 {
        self.radius
    }

    #[inline]
    fn fill_one<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        fill_unit_direction(rng, out);
        out.iter_mut()
            .zip(&self.center)
            .for_each(|(v, c)| *v = c + self.radius * *v);
    }
}

/// The uniform law in the box `[lower_1, upper_1] x ... x [lower_d, upper_d]`.
///
/// A draw is `lower + (upper - lower) U`, `U` uniform in `[0, 1)^d` (53-bit floats); rounding
/// can produce `upper` itself, so the box is closed.
///
/// ```
/// use hdkde_samplers::{SampleMatrix, UniformCube};
///
/// let c = UniformCube::new(3, -1.0, 1.0).unwrap();
/// assert!(c.sample_row_major(100, 2).iter().all(|v| (-1.0..=1.0).contains(v)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UniformCube {
    lower: Vec<f64>,
    width: Vec<f64>,
}

impl UniformCube {
    /// The cube `[low, high]^d`.
    ///
    /// # Errors
    /// [`SamplerError::ZeroDimension`]; see [`UniformCube::from_bounds`].
    pub fn new(d: usize, low: f64, high: f64) -> Result<Self, SamplerError> {
        Self::from_bounds(vec![low; d], vec![high; d])
    }

    /// The box with per-coordinate bounds.
    ///
    /// # Errors
    /// [`SamplerError::ZeroDimension`] for empty bounds, [`SamplerError::LengthMismatch`],
    /// [`SamplerError::NonFinite`] for a non-finite bound or a width `upper - lower` that
    /// overflows, [`SamplerError::EmptyBox`] unless `lower < upper` everywhere.
    pub fn from_bounds(lower: Vec<f64>, upper: Vec<f64>) -> Result<Self, SamplerError> {
        check_vector(&lower)?;
        if upper.len() != lower.len() {
            return Err(SamplerError::LengthMismatch {
                expected: lower.len(),
                found: upper.len(),
            });
        }
        check_vector(&upper)?;
        let mut width = Vec::with_capacity(lower.len());
        for (lo, hi) in lower.iter().zip(&upper) {
            let w = hi - lo;
            if !w.is_finite() {
                return Err(SamplerError::NonFinite);
            }
            if w <= 0.0 {
                return Err(SamplerError::EmptyBox);
            }
            width.push(w);
        }
        Ok(UniformCube { lower, width })
    }

    /// The lower corner.
    pub fn lower(&self) -> &[f64] {
        &self.lower
    }

    /// The side lengths `upper - lower`.
    pub fn widths(&self) -> &[f64] {
        &self.width
    }

    #[inline]
    fn fill_one<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        for ((v, lo), w) in out.iter_mut().zip(&self.lower).zip(&self.width) {
            let u: f64 = rng.random();
            *v = lo + w * u;
        }
    }
}

macro_rules! impl_sampling {
    ($t:ty, $dim:ident) => {
        impl Distribution<Vec<f64>> for $t {
            fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
                let mut out = vec![0.0; self.$dim.len()];
                self.fill_one(rng, &mut out);
                out
            }
        }

        impl SampleMatrix for $t {
            fn dim(&self) -> usize {
                self.$dim.len()
            }

            fn fill_rows(&self, rng: &mut ChaCha8Rng, rows: &mut [f64]) {
                for row in rows.chunks_exact_mut(self.$dim.len()) {
                    self.fill_one(rng, row);
                }
            }
        }
    };
}

impl_sampling!(UniformBall, center);
impl_sampling!(UniformSphere, center);
impl_sampling!(UniformCube, lower);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{check_moments, ks_critical_001, ks_statistic, project, random_unit};
    use nalgebra::DMatrix;
    use statrs::distribution::{Beta, ContinuousCDF};

    fn radii(x: &[f64], c: &[f64]) -> Vec<f64> {
        x.chunks_exact(c.len())
            .map(|p| {
                p.iter()
                    .zip(c)
                    .map(|(a, b)| (a - b).powi(2))
                    .sum::<f64>()
                    .sqrt()
            })
            .collect()
    }

    #[test]
    fn ball_radius_and_projection_laws() {
        // |x - c| / r has CDF t^d. A coordinate (or any projection) u of the unit ball has
        // (u + 1)/2 ~ Beta((d+1)/2, (d+1)/2). 20,000 draws: KS 0.1% critical value 0.0138.
        for d in [1usize, 2, 5, 50] {
            let c: Vec<f64> = (0..d).map(|i| i as f64 * 0.1).collect();
            let ball = UniformBall::new(c.clone(), 3.0).unwrap();
            let x = ball.sample_row_major(20_000, d as u64);
            let mut r: Vec<f64> = radii(&x, &c).into_iter().map(|v| v / 3.0).collect();
            assert!(r.iter().all(|&v| v <= 1.0 + 1e-12));
            let ks = ks_statistic(&mut r, |t| t.clamp(0.0, 1.0).powi(d as i32));
            assert!(ks < ks_critical_001(r.len()), "d = {d}: radius ks = {ks}");
            let a = random_unit(d, 7);
            let ac: f64 = a.iter().zip(&c).map(|(a, c)| a * c).sum();
            let beta = Beta::new((d as f64 + 1.0) / 2.0, (d as f64 + 1.0) / 2.0).unwrap();
            let mut p: Vec<f64> = project(&x, &a).iter().map(|v| (v - ac) / 3.0).collect();
            let ks = ks_statistic(&mut p, |t| beta.cdf(((t + 1.0) / 2.0).clamp(0.0, 1.0)));
            assert!(
                ks < ks_critical_001(p.len()),
                "d = {d}: projection ks = {ks}"
            );
        }
    }

    #[test]
    fn sphere_radius_and_projection_laws() {
        // |x - c| = r to rounding (1e-13 relative); a projection u of the unit sphere has
        // (u + 1)/2 ~ Beta((d-1)/2, (d-1)/2) for d >= 2. KS critical value 0.0138.
        for d in [2usize, 3, 10] {
            let c = vec![-1.0; d];
            let s = UniformSphere::new(c.clone(), 0.5).unwrap();
            let x = s.sample_row_major(20_000, 40 + d as u64);
            assert!(radii(&x, &c).iter().all(|r| (r - 0.5).abs() < 1e-13));
            let a = random_unit(d, 8);
            let ac: f64 = a.iter().zip(&c).map(|(a, c)| a * c).sum();
            let beta = Beta::new((d as f64 - 1.0) / 2.0, (d as f64 - 1.0) / 2.0).unwrap();
            let mut p: Vec<f64> = project(&x, &a).iter().map(|v| (v - ac) / 0.5).collect();
            let ks = ks_statistic(&mut p, |t| beta.cdf(((t + 1.0) / 2.0).clamp(0.0, 1.0)));
            assert!(ks < ks_critical_001(p.len()), "d = {d}: ks = {ks}");
        }
        // d = 1: the two points, each with probability 1/2; 10,000 draws, |count - 5000|
        // below 4.5 binomial standard deviations (50).
        let s = UniformSphere::new(vec![2.0], 1.0).unwrap();
        let x = s.sample_row_major(10_000, 1);
        assert!(x.iter().all(|&v| v == 1.0 || v == 3.0));
        let up = x.iter().filter(|&&v| v == 3.0).count() as f64;
        assert!((up - 5000.0).abs() < 4.5 * 50.0, "{up}");
    }

    #[test]
    fn cube_coordinates_are_uniform() {
        // Each coordinate uniform on its side (KS, 0.0138 at 20,000 draws), coordinates
        // uncorrelated with variance w^2/12 (moments within 5 SE).
        let cube = UniformCube::from_bounds(vec![-1.0, 0.0, 10.0], vec![1.0, 1e-3, 20.0]).unwrap();
        let x = cube.sample_row_major(20_000, 9);
        for j in 0..3 {
            let (lo, w) = (cube.lower()[j], cube.widths()[j]);
            let mut col: Vec<f64> = x.chunks_exact(3).map(|p| p[j]).collect();
            assert!(col.iter().all(|&v| v >= lo && v <= lo + w));
            let ks = ks_statistic(&mut col, |t| ((t - lo) / w).clamp(0.0, 1.0));
            assert!(ks < ks_critical_001(col.len()), "coordinate {j}: ks = {ks}");
        }
        let mean: Vec<f64> = (0..3)
            .map(|j| cube.lower()[j] + cube.widths()[j] / 2.0)
            .collect();
        let cov = DMatrix::from_fn(3, 3, |i, j| {
            if i == j {
                cube.widths()[i].powi(2) / 12.0
            } else {
                0.0
            }
        });
        check_moments("cube", &x, &mean, &cov, 5.0);
    }

    #[test]
    fn errors() {
        use SamplerError as E;
        assert_eq!(UniformBall::unit(0), Err(E::ZeroDimension));
        assert_eq!(UniformBall::new(vec![0.0], 0.0), Err(E::NonPositiveScale));
        assert_eq!(UniformSphere::new(vec![f64::NAN], 1.0), Err(E::NonFinite));
        assert_eq!(
            UniformSphere::new(vec![0.0], f64::INFINITY),
            Err(E::NonFinite)
        );
        assert_eq!(UniformCube::new(2, 1.0, 1.0), Err(E::EmptyBox));
        assert_eq!(UniformCube::new(2, 1.0, 0.0), Err(E::EmptyBox));
        assert_eq!(UniformCube::new(0, 0.0, 1.0), Err(E::ZeroDimension));
        assert_eq!(UniformCube::new(1, -f64::MAX, f64::MAX), Err(E::NonFinite));
        assert_eq!(
            UniformCube::from_bounds(vec![0.0], vec![1.0, 2.0]),
            Err(E::LengthMismatch {
                expected: 1,
                found: 2
            })
        );
    }
}
