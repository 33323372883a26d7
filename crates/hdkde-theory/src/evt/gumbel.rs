//! Gumbel law.

use super::open01;

/// Invalid parameters of a [`Gumbel`] law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GumbelError {
    /// The scale is not positive and finite.
    #[error("Gumbel scale must be positive and finite")]
    ScaleNotPositive,
    /// The location is not finite.
    #[error("Gumbel location must be finite")]
    LocationNotFinite,
    /// A probability outside `[0, 1]` was given to the quantile function.
    #[error("probability must lie in [0, 1]")]
    ProbabilityOutOfRange,
}

/// Gumbel (maximum) law: `F(x) = exp(-exp(-(x - mu)/sigma))`, the GEV with `xi = 0`.
///
/// Sampled by inverting `F` at an open-interval uniform (statrs' Gumbel sampler returns
/// NaN, see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gumbel {
    loc: f64,
    scale: f64,
}

impl Gumbel {
    /// Checked constructor.
    pub fn new(loc: f64, scale: f64) -> Result<Gumbel, GumbelError> {
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(GumbelError::ScaleNotPositive);
        }
        if !loc.is_finite() {
            return Err(GumbelError::LocationNotFinite);
        }
        Ok(Gumbel { loc, scale })
    }

    /// Location `mu` (the mode).
    pub fn loc(&self) -> f64 {
        self.loc
    }

    /// Scale `sigma`.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Mean `mu + sigma * gamma_E`.
    pub fn mean(&self) -> f64 {
        self.loc + self.scale * 0.577_215_664_901_532_9
    }

    /// Density `exp(-z - exp(-z)) / sigma`.
    pub fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }

    /// Log-density.
    pub fn ln_pdf(&self, x: f64) -> f64 {
        let z = (x - self.loc) / self.scale;
        -z - (-z).exp() - self.scale.ln()
    }

    /// Distribution function.
    pub fn cdf(&self, x: f64) -> f64 {
        let z = (x - self.loc) / self.scale;
        (-(-z).exp()).exp()
    }

    /// Survival function `-expm1(-exp(-z))`, accurate in the upper tail.
    pub fn sf(&self, x: f64) -> f64 {
        let z = (x - self.loc) / self.scale;
        -(-(-z).exp()).exp_m1()
    }

    /// Quantile `mu - sigma ln(-ln p)`.
    pub fn quantile(&self, p: f64) -> Result<f64, GumbelError> {
        if !(0.0..=1.0).contains(&p) {
            return Err(GumbelError::ProbabilityOutOfRange);
        }
        Ok(self.loc - self.scale * (-p.ln()).ln())
    }
}

impl rand::distr::Distribution<f64> for Gumbel {
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.loc - self.scale * (-open01(rng).ln()).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evt::test_util::{ks_critical_001, ks_statistic};
    use rand::distr::Distribution;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn errors_and_closed_forms() {
        assert_eq!(Gumbel::new(0.0, 0.0), Err(GumbelError::ScaleNotPositive));
        assert_eq!(
            Gumbel::new(f64::NAN, 1.0),
            Err(GumbelError::LocationNotFinite)
        );
        let g = Gumbel::new(1.0, 2.0).unwrap();
        assert_eq!(g.quantile(-0.1), Err(GumbelError::ProbabilityOutOfRange));
        // z = 1: F = exp(-1/e), f = exp(-1 - 1/e)/2.
        let e1 = (-1.0f64).exp();
        assert!((g.cdf(3.0) - (-e1).exp()).abs() < 1e-15);
        assert!((g.pdf(3.0) - (-1.0 - e1).exp() / 2.0).abs() < 1e-15);
        // Far upper tail: sf ~ exp(-z).
        assert!((g.sf(1.0 + 2.0 * 50.0) / (-50.0f64).exp() - 1.0).abs() < 1e-15);
        assert!((g.quantile(g.cdf(0.3)).unwrap() - 0.3).abs() < 1e-14);
    }

    #[test]
    fn sampler_is_finite_and_passes_ks_and_value_stability() {
        let g = Gumbel::new(-2.0, 0.5).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut s: Vec<f64> = (0..20_000).map(|_| g.sample(&mut rng)).collect();
        assert!(s.iter().all(|v| v.is_finite()));
        // Sample mean vs mu + sigma gamma_E: sd = sigma pi/sqrt(6)/sqrt(n) = 0.0045; 5 sd.
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        assert!((mean - g.mean()).abs() < 0.023);
        let d = ks_statistic(&mut s, |x| g.cdf(x));
        assert!(d < ks_critical_001(s.len()), "D = {d}");
        // Pinned draw: the transformation and the stream are stable.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let u: f64 = rand::distr::Open01.sample(&mut rng);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(g.sample(&mut rng), -2.0 - 0.5 * (-u.ln()).ln());
    }
}
