//! The multivariate Student-t law.

use nalgebra::DMatrix;
use rand::distr::Distribution;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::Gamma;

use crate::{Gaussian, SampleMatrix, SamplerError};

/// The multivariate Student-t law `t_nu(mu, Sigma)` in `R^d`: location `mu`, scale matrix
/// `Sigma`, `nu > 0` degrees of freedom.
///
/// Density `Gamma((nu + d)/2) / (Gamma(nu/2) (nu pi)^(d/2) |Sigma|^(1/2)) (1 + q/nu)^(-(nu+d)/2)`
/// with `q = (x - mu)^T Sigma^-1 (x - mu)`. A draw is `mu + A z sqrt(nu / W)` with
/// `A A^T = Sigma`, `z ~ N(0, I_d)` and `W ~ chi^2_nu` independent (one `W` per point, so the
/// coordinates are dependent even when `Sigma` is diagonal). Then `q / d ~ F(d, nu)`, and
/// every projection `a^T x` is a univariate `t_nu` with location `a^T mu` and scale
/// `sqrt(a^T Sigma a)`. The mean exists for `nu > 1`, the covariance `nu / (nu - 2) Sigma` for
/// `nu > 2`.
///
/// The location and scale are given as a [`Gaussian`] `N(mu, Sigma)`, so every covariance
/// shape of [`Gaussian`] is available. For tiny `nu`, `W` can underflow; it is clamped to the
/// smallest positive normal `f64`, which keeps draws finite.
///
/// ```
/// use hdkde_samplers::{Gaussian, SampleMatrix, StudentT};
///
/// let t = StudentT::new(Gaussian::standard(3).unwrap(), 4.0).unwrap();
/// assert_eq!(t.dof(), 4.0);
/// let x = t.sample_row_major(10, 1);
/// assert!(x.iter().all(|v| v.is_finite()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StudentT {
    shape: Gaussian,
    dof: f64,
    chi2: Gamma<f64>,
}

impl StudentT {
    /// The Student-t law with the location and scale matrix of `shape` and `dof` degrees of
    /// freedom.
    ///
    /// # Errors
    /// [`SamplerError::BadDegreesOfFreedom`] unless `dof` is finite and `> 0`.
    pub fn new(shape: Gaussian, dof: f64) -> Result<Self, SamplerError> {
        if !(dof.is_finite() && dof > 0.0) {
            return Err(SamplerError::BadDegreesOfFreedom);
        }
        // chi^2_nu = Gamma(shape nu/2, scale 2).
        let chi2 = Gamma::new(0.5 * dof, 2.0).map_err(|_| SamplerError::BadDegreesOfFreedom)?;
        Ok(StudentT { shape, dof, chi2 })
    }

    /// The standard multivariate t: `mu = 0`, `Sigma = I_d`.
    ///
    /// # Errors
    /// [`SamplerError::ZeroDimension`], [`SamplerError::BadDegreesOfFreedom`].
    pub fn standard(d: usize, dof: f64) -> Result<Self, SamplerError> {
        Self::new(Gaussian::standard(d)?, dof)
    }

    /// Degrees of freedom `nu`.
    pub fn dof(&self) -> f64 {
        self.dof
    }

    /// The location `mu` (the mean when `nu > 1`).
    pub fn location(&self) -> &[f64] {
        self.shape.mean()
    }

    /// The scale matrix `Sigma`.
    pub fn scale(&self) -> DMatrix<f64> {
        self.shape.covariance()
    }

    /// The covariance `nu / (nu - 2) Sigma`, or `None` when `nu <= 2` (infinite).
    pub fn covariance(&self) -> Option<DMatrix<f64>> {
        (self.dof > 2.0).then(|| self.scale() * (self.dof / (self.dof - 2.0)))
    }

    #[inline]
    fn fill_one<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64], scratch: &mut [f64]) {
        self.shape.fill_centred(rng, out, scratch);
        let w = self.chi2.sample(rng).max(f64::MIN_POSITIVE);
        let s = (self.dof / w).sqrt();
        out.iter_mut().for_each(|v| *v *= s);
        self.shape.add_mean(out);
    }
}

impl Distribution<Vec<f64>> for StudentT {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        let mut out = vec![0.0; self.shape.dim()];
        self.fill_one(rng, &mut out, &mut self.shape.scratch());
        out
    }
}

impl SampleMatrix for StudentT {
    fn dim(&self) -> usize {
        self.shape.dim()
    }

    fn fill_rows(&self, rng: &mut ChaCha8Rng, rows: &mut [f64]) {
        let mut scratch = self.shape.scratch();
        for row in rows.chunks_exact_mut(self.shape.dim()) {
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
    use statrs::distribution::{ContinuousCDF, FisherSnedecor, StudentsT};

    fn shapes() -> Vec<Gaussian> {
        let d = 5;
        let cov = DMatrix::from_fn(d, d, |i, j| if i == j { 2.0 } else { 0.4 });
        vec![
            Gaussian::standard(d).unwrap(),
            Gaussian::full(vec![1.0, -1.0, 0.0, 2.0, 0.5], &cov).unwrap(),
            Gaussian::spectrum(vec![0.0; d], &[5.0, 2.0, 1.0, 0.3, 0.1], Some(8)).unwrap(),
        ]
    }

    #[test]
    fn mahalanobis_over_d_is_fisher_f() {
        // q / d ~ F(d, nu) exactly. 20,000 draws per case; KS 0.1% critical value 0.0138.
        for (s, g) in shapes().into_iter().enumerate() {
            for dof in [0.5, 1.0, 3.0, 30.0] {
                let t = StudentT::new(g.clone(), dof).unwrap();
                let d = t.dim() as f64;
                let x = t.sample_row_major(20_000, 10 + s as u64);
                let mut q: Vec<f64> = mahalanobis_sq(&x, t.location(), &t.scale())
                    .into_iter()
                    .map(|q| q / d)
                    .collect();
                let f = FisherSnedecor::new(d, dof).unwrap();
                let ks = ks_statistic(&mut q, |v| f.cdf(v));
                assert!(
                    ks < ks_critical_001(q.len()),
                    "shape {s}, dof {dof}: ks = {ks}"
                );
            }
        }
    }

    #[test]
    fn projections_are_univariate_t() {
        // a^T x ~ t_nu(a^T mu, sqrt(a^T Sigma a)). 20,000 draws, KS critical value 0.0138.
        for (s, g) in shapes().into_iter().enumerate() {
            let t = StudentT::new(g, 2.5).unwrap();
            let x = t.sample_row_major(20_000, 20 + s as u64);
            let a = random_unit(5, 300 + s as u64);
            let av = nalgebra::DVector::from_column_slice(&a);
            let loc: f64 = a.iter().zip(t.location()).map(|(a, m)| a * m).sum();
            let scale = (av.transpose() * t.scale() * &av)[(0, 0)].sqrt();
            let law = StudentsT::new(loc, scale, 2.5).unwrap();
            let mut p = project(&x, &a);
            let ks = ks_statistic(&mut p, |v| law.cdf(v));
            assert!(ks < ks_critical_001(p.len()), "shape {s}: ks = {ks}");
        }
    }

    #[test]
    fn moments_for_large_dof() {
        // nu = 12 has finite fourth moments (needed by the covariance SE); mean and
        // covariance nu/(nu-2) Sigma within 5 SE over 40,000 draws.
        let t = StudentT::new(shapes()[1].clone(), 12.0).unwrap();
        let x = t.sample_row_major(40_000, 30);
        check_moments("t12", &x, t.location(), &t.covariance().unwrap(), 5.0);
        assert!(StudentT::standard(2, 2.0).unwrap().covariance().is_none());
    }

    #[test]
    fn extreme_dof_stay_finite() {
        for dof in [1e-3, 1e12] {
            let t = StudentT::standard(4, dof).unwrap();
            assert!(t.sample_row_major(2_000, 1).iter().all(|v| v.is_finite()));
        }
    }

    #[test]
    fn errors() {
        let g = Gaussian::standard(2).unwrap();
        for dof in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(
                StudentT::new(g.clone(), dof),
                Err(SamplerError::BadDegreesOfFreedom)
            );
        }
        assert_eq!(StudentT::standard(0, 1.0), Err(SamplerError::ZeroDimension));
    }
}
