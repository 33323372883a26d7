//! Reversed Weibull law.

use super::open01;

/// Invalid parameters of a [`ReversedWeibull`] law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReversedWeibullError {
    /// The shape is not positive and finite.
    #[error("reversed Weibull shape must be positive and finite")]
    ShapeNotPositive,
    /// The scale is not positive and finite.
    #[error("reversed Weibull scale must be positive and finite")]
    ScaleNotPositive,
    /// The location (upper end point) is not finite.
    #[error("reversed Weibull location must be finite")]
    LocationNotFinite,
    /// A probability outside `[0, 1]` was given to the quantile function.
    #[error("probability must lie in [0, 1]")]
    ProbabilityOutOfRange,
}

/// Reversed Weibull (maximum) law with shape `a > 0`, scale `s` and upper end point `m`:
/// `F(x) = exp(-((m - x)/s)^a)` for `x < m`, 1 above (the GEV with `xi = -1/a`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReversedWeibull {
    shape: f64,
    scale: f64,
    loc: f64,
}

impl ReversedWeibull {
    /// Checked constructor.
    pub fn new(shape: f64, scale: f64, loc: f64) -> Result<ReversedWeibull, ReversedWeibullError> {
        if !(shape > 0.0 && shape.is_finite()) {
            return Err(ReversedWeibullError::ShapeNotPositive);
        }
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(ReversedWeibullError::ScaleNotPositive);
        }
        if !loc.is_finite() {
            return Err(ReversedWeibullError::LocationNotFinite);
        }
        Ok(ReversedWeibull { shape, scale, loc })
    }

    /// Shape `a`.
    pub fn shape(&self) -> f64 {
        self.shape
    }

    /// `ln t` with `t = ((m - x)/s)^a`, or `None` at or above `m`.
    fn ln_t(&self, x: f64) -> Option<f64> {
        let y = (self.loc - x) / self.scale;
        (y > 0.0).then(|| self.shape * y.ln())
    }

    /// Density `(a/s) t^(1 - 1/a) exp(-t)`.
    pub fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }

    /// Log-density.
    pub fn ln_pdf(&self, x: f64) -> f64 {
        match self.ln_t(x) {
            Some(lt) => (self.shape / self.scale).ln() + (1.0 - 1.0 / self.shape) * lt - lt.exp(),
            None => f64::NEG_INFINITY,
        }
    }

    /// Distribution function `exp(-t)`.
    pub fn cdf(&self, x: f64) -> f64 {
        self.ln_t(x).map_or(1.0, |lt| (-lt.exp()).exp())
    }

    /// Survival function `-expm1(-t)`, accurate next to the end point.
    pub fn sf(&self, x: f64) -> f64 {
        self.ln_t(x).map_or(0.0, |lt| -(-lt.exp()).exp_m1())
    }

    /// Quantile `m - s (-ln p)^(1/a)`.
    pub fn quantile(&self, p: f64) -> Result<f64, ReversedWeibullError> {
        if !(0.0..=1.0).contains(&p) {
            return Err(ReversedWeibullError::ProbabilityOutOfRange);
        }
        Ok(self.loc - self.scale * (-p.ln()).powf(1.0 / self.shape))
    }
}

impl rand::distr::Distribution<f64> for ReversedWeibull {
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.loc - self.scale * (-open01(rng).ln()).powf(1.0 / self.shape)
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
            ReversedWeibull::new(-1.0, 1.0, 0.0),
            Err(ReversedWeibullError::ShapeNotPositive)
        );
        assert_eq!(
            ReversedWeibull::new(1.0, 0.0, 0.0),
            Err(ReversedWeibullError::ScaleNotPositive)
        );
        let w = ReversedWeibull::new(3.0, 2.0, 5.0).unwrap();
        assert_eq!(
            w.quantile(-1.0),
            Err(ReversedWeibullError::ProbabilityOutOfRange)
        );
        // x = 3: y = 1, t = 1.
        assert!((w.cdf(3.0) - (-1.0f64).exp()).abs() < 1e-15);
        assert!((w.pdf(3.0) - 1.5 * (-1.0f64).exp()).abs() < 1e-15);
        assert_eq!(w.cdf(5.0), 1.0);
        assert_eq!(w.pdf(6.0), 0.0);
        // Next to the end point sf = 1 - exp(-t) ~ t, computed without cancellation.
        let x = 5.0 - 2.0 * 1e-6;
        assert!((w.sf(x) / 1e-18 - 1.0).abs() < 1e-9);
        // The GEV with xi = -1/a, sigma = s/a, mu = m - s.
        let g = Gev::new(-1.0 / 3.0, 3.0, 2.0 / 3.0).unwrap();
        for &x in &[-4.0, 0.0, 3.0, 4.9] {
            assert!((w.cdf(x) - g.cdf(x)).abs() < 1e-14);
            assert!((w.ln_pdf(x) - g.ln_pdf(x)).abs() < 1e-12);
        }
    }

    #[test]
    fn sampler_passes_ks() {
        let w = ReversedWeibull::new(0.6, 1.0, 2.0).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut s: Vec<f64> = (0..20_000).map(|_| w.sample(&mut rng)).collect();
        assert!(s.iter().all(|v| v.is_finite() && *v < 2.0));
        let d = ks_statistic(&mut s, |x| w.cdf(x));
        assert!(d < ks_critical_001(s.len()), "D = {d}");
    }
}
