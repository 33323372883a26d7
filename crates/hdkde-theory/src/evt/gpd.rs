//! Generalized Pareto law.

use super::{expm1_over, ln1p_over, open01};

/// Invalid parameters of a [`GenPareto`] law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenParetoError {
    /// The shape `xi` is not finite.
    #[error("generalized Pareto shape must be finite")]
    ShapeNotFinite,
    /// The scale is not positive and finite.
    #[error("generalized Pareto scale must be positive and finite")]
    ScaleNotPositive,
    /// The location is not finite.
    #[error("generalized Pareto location must be finite")]
    LocationNotFinite,
    /// A probability outside `[0, 1]` was given to the quantile function.
    #[error("probability must lie in [0, 1]")]
    ProbabilityOutOfRange,
}

/// Generalized Pareto law `GPD(xi, mu, sigma)`: `P(X > x) = (1 + xi z)^(-1/xi)`,
/// `z = (x - mu)/sigma >= 0` (and `z <= -1/xi` when `xi < 0`); exponential at `xi = 0`.
/// scipy's `genpareto(c)` has `c = xi`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GenPareto {
    xi: f64,
    loc: f64,
    scale: f64,
}

impl GenPareto {
    /// Checked constructor.
    pub fn new(xi: f64, loc: f64, scale: f64) -> Result<GenPareto, GenParetoError> {
        if !xi.is_finite() {
            return Err(GenParetoError::ShapeNotFinite);
        }
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(GenParetoError::ScaleNotPositive);
        }
        if !loc.is_finite() {
            return Err(GenParetoError::LocationNotFinite);
        }
        Ok(GenPareto { xi, loc, scale })
    }

    /// Shape `xi`.
    pub fn shape(&self) -> f64 {
        self.xi
    }

    /// `ln sf(x) = -ln(1 + xi z)/xi`: `Err(true)` below the support, `Err(false)` above.
    fn ln_sf_inner(&self, x: f64) -> Result<f64, bool> {
        let z = (x - self.loc) / self.scale;
        if z < 0.0 {
            return Err(true);
        }
        if 1.0 + self.xi * z <= 0.0 {
            return Err(false);
        }
        Ok(-ln1p_over(self.xi, z))
    }

    /// Density `(1 + xi z)^(-1/xi - 1) / sigma`.
    pub fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }

    /// Log-density.
    pub fn ln_pdf(&self, x: f64) -> f64 {
        match self.ln_sf_inner(x) {
            Ok(ls) => (1.0 + self.xi) * ls - self.scale.ln(),
            Err(_) => f64::NEG_INFINITY,
        }
    }

    /// Distribution function `-expm1(ln sf)`.
    pub fn cdf(&self, x: f64) -> f64 {
        match self.ln_sf_inner(x) {
            Ok(ls) => -ls.exp_m1(),
            Err(below) => {
                if below {
                    0.0
                } else {
                    1.0
                }
            }
        }
    }

    /// Survival function.
    pub fn sf(&self, x: f64) -> f64 {
        match self.ln_sf_inner(x) {
            Ok(ls) => ls.exp(),
            Err(below) => {
                if below {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// Quantile `mu + sigma ((1 - p)^(-xi) - 1)/xi`.
    pub fn quantile(&self, p: f64) -> Result<f64, GenParetoError> {
        if !(0.0..=1.0).contains(&p) {
            return Err(GenParetoError::ProbabilityOutOfRange);
        }
        Ok(self.at_ln_sf((-p).ln_1p()))
    }

    fn at_ln_sf(&self, ls: f64) -> f64 {
        self.loc - self.scale * expm1_over(-self.xi, ls)
    }
}

impl rand::distr::Distribution<f64> for GenPareto {
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        // 1 - U is again uniform on (0, 1): use U as the survival probability.
        self.at_ln_sf(open01(rng).ln())
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
        assert_eq!(
            GenPareto::new(f64::INFINITY, 0.0, 1.0),
            Err(GenParetoError::ShapeNotFinite)
        );
        assert_eq!(
            GenPareto::new(0.1, 0.0, 0.0),
            Err(GenParetoError::ScaleNotPositive)
        );
        let g = GenPareto::new(0.5, 1.0, 2.0).unwrap();
        assert_eq!(g.quantile(1.5), Err(GenParetoError::ProbabilityOutOfRange));
        // x = 5: z = 2, 1 + xi z = 2: sf = 1/4, pdf = 2^-3 / 2.
        assert!((g.sf(5.0) - 0.25).abs() < 1e-15);
        assert!((g.cdf(5.0) - 0.75).abs() < 1e-15);
        assert!((g.pdf(5.0) - 0.0625).abs() < 1e-15);
        assert_eq!(g.cdf(0.5), 0.0);
        // xi < 0: bounded support, uniform at xi = -1.
        let u = GenPareto::new(-1.0, 0.0, 2.0).unwrap();
        assert!((u.pdf(1.3) - 0.5).abs() < 1e-15);
        assert_eq!(u.sf(2.5), 0.0);
        // xi -> 0 is the exponential, continuously.
        let e = GenPareto::new(1e-12, 0.0, 1.0).unwrap();
        assert!((e.sf(3.0) / (-3.0f64).exp() - 1.0).abs() < 1e-10);
        let e0 = GenPareto::new(0.0, 0.0, 1.0).unwrap();
        assert!((e0.cdf(1e-10) / 1e-10 - 1.0).abs() < 1e-9);
        for &p in &[1e-12, 0.5, 1.0 - 1e-12] {
            let x = g.quantile(p).unwrap();
            assert!((g.cdf(x) - p).abs() < 1e-13 * p.max(1e-3), "{p}");
        }
    }

    #[test]
    fn sampler_passes_ks() {
        for &xi in &[-0.3, 0.0, 0.8] {
            let g = GenPareto::new(xi, 0.5, 1.5).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(9);
            let mut s: Vec<f64> = (0..20_000).map(|_| g.sample(&mut rng)).collect();
            assert!(s.iter().all(|v| v.is_finite() && *v >= 0.5));
            let d = ks_statistic(&mut s, |x| g.cdf(x));
            assert!(d < ks_critical_001(s.len()), "{xi}: D = {d}");
        }
    }
}
