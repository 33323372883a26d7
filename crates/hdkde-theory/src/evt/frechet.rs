//! Frechet law.

use super::open01;

/// Invalid parameters of a [`Frechet`] law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrechetError {
    /// The shape is not positive and finite.
    #[error("Frechet shape must be positive and finite")]
    ShapeNotPositive,
    /// The scale is not positive and finite.
    #[error("Frechet scale must be positive and finite")]
    ScaleNotPositive,
    /// The location is not finite.
    #[error("Frechet location must be finite")]
    LocationNotFinite,
    /// A probability outside `[0, 1]` was given to the quantile function.
    #[error("probability must lie in [0, 1]")]
    ProbabilityOutOfRange,
}

/// Frechet law with shape `a > 0`, scale `s` and location `m`:
/// `F(x) = exp(-((x - m)/s)^(-a))` for `x > m` (the GEV with `xi = 1/a`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frechet {
    shape: f64,
    scale: f64,
    loc: f64,
}

impl Frechet {
    /// Checked constructor.
    pub fn new(shape: f64, scale: f64, loc: f64) -> Result<Frechet, FrechetError> {
        if !(shape > 0.0 && shape.is_finite()) {
            return Err(FrechetError::ShapeNotPositive);
        }
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(FrechetError::ScaleNotPositive);
        }
        if !loc.is_finite() {
            return Err(FrechetError::LocationNotFinite);
        }
        Ok(Frechet { shape, scale, loc })
    }

    /// Shape `a`.
    pub fn shape(&self) -> f64 {
        self.shape
    }

    /// `ln t` with `t = ((x - m)/s)^(-a)`, or `None` at or below `m`.
    fn ln_t(&self, x: f64) -> Option<f64> {
        let y = (x - self.loc) / self.scale;
        (y > 0.0).then(|| -self.shape * y.ln())
    }

    /// Density `(a/s) t^(1 + 1/a) exp(-t)`.
    pub fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }

    /// Log-density.
    pub fn ln_pdf(&self, x: f64) -> f64 {
        match self.ln_t(x) {
            Some(lt) => (self.shape / self.scale).ln() + (1.0 + 1.0 / self.shape) * lt - lt.exp(),
            None => f64::NEG_INFINITY,
        }
    }

    /// Distribution function `exp(-t)`.
    pub fn cdf(&self, x: f64) -> f64 {
        self.ln_t(x).map_or(0.0, |lt| (-lt.exp()).exp())
    }

    /// Survival function `-expm1(-t)`.
    pub fn sf(&self, x: f64) -> f64 {
        self.ln_t(x).map_or(1.0, |lt| -(-lt.exp()).exp_m1())
    }

    /// Quantile `m + s (-ln p)^(-1/a)`.
    pub fn quantile(&self, p: f64) -> Result<f64, FrechetError> {
        if !(0.0..=1.0).contains(&p) {
            return Err(FrechetError::ProbabilityOutOfRange);
        }
        Ok(self.loc + self.scale * (-p.ln()).powf(-1.0 / self.shape))
    }
}

impl rand::distr::Distribution<f64> for Frechet {
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.loc + self.scale * (-open01(rng).ln()).powf(-1.0 / self.shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evt::test_util::{ks_critical_001, ks_statistic};
    use crate::evt::Gev;
    use rand::distr::Distribution;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn errors_and_closed_forms() {
        assert_eq!(
            Frechet::new(0.0, 1.0, 0.0),
            Err(FrechetError::ShapeNotPositive)
        );
        assert_eq!(
            Frechet::new(1.0, -1.0, 0.0),
            Err(FrechetError::ScaleNotPositive)
        );
        assert_eq!(
            Frechet::new(1.0, 1.0, f64::NAN),
            Err(FrechetError::LocationNotFinite)
        );
        let f = Frechet::new(2.0, 3.0, 1.0).unwrap();
        assert_eq!(f.quantile(2.0), Err(FrechetError::ProbabilityOutOfRange));
        // x = 7: y = 2, t = 1/4.
        assert!((f.cdf(7.0) - (-0.25f64).exp()).abs() < 1e-15);
        assert!((f.pdf(7.0) - 2.0 / 3.0 * 0.25f64.powf(1.5) * (-0.25f64).exp()).abs() < 1e-15);
        assert_eq!(f.cdf(1.0), 0.0);
        assert_eq!(f.sf(0.5), 1.0);
        // Same law as the GEV with xi = 1/a, mu = m + s, sigma = s/a.
        let g = Gev::new(0.5, 4.0, 1.5).unwrap();
        for &x in &[1.5, 3.0, 10.0, 1e4] {
            assert!((f.cdf(x) - g.cdf(x)).abs() < 1e-14);
            assert!((f.sf(x) / g.sf(x) - 1.0).abs() < 1e-12);
            assert!((f.ln_pdf(x) - g.ln_pdf(x)).abs() < 1e-12);
        }
    }

    #[test]
    fn sampler_passes_ks() {
        let f = Frechet::new(0.7, 2.0, -1.0).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut s: Vec<f64> = (0..20_000).map(|_| f.sample(&mut rng)).collect();
        assert!(s.iter().all(|v| v.is_finite() && *v > -1.0));
        let d = ks_statistic(&mut s, |x| f.cdf(x));
        assert!(d < ks_critical_001(s.len()), "D = {d}");
        for &p in &[1e-8, 0.3, 0.999_999] {
            let x = f.quantile(p).unwrap();
            assert!((f.cdf(x) / p - 1.0).abs() < 1e-13);
        }
    }
}
