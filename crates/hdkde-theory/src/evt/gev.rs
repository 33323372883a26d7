//! Generalized extreme value law.

use super::{expm1_over, ln1p_over, open01};

/// Invalid parameters of a [`Gev`] law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GevError {
    /// The shape `xi` is not finite.
    #[error("GEV shape must be finite")]
    ShapeNotFinite,
    /// The scale is not positive and finite.
    #[error("GEV scale must be positive and finite")]
    ScaleNotPositive,
    /// The location is not finite.
    #[error("GEV location must be finite")]
    LocationNotFinite,
    /// A probability outside `[0, 1]` was given to the quantile function.
    #[error("probability must lie in [0, 1]")]
    ProbabilityOutOfRange,
}

/// Generalized extreme value law `GEV(xi, mu, sigma)`:
/// `F(x) = exp(-(1 + xi z)^(-1/xi))`, `z = (x - mu)/sigma`, on `1 + xi z > 0`
/// (`F(x) = exp(-exp(-z))` at `xi = 0`). scipy's `genextreme(c)` has `c = -xi`.
///
/// ```
/// use hdkde_theory::evt::{Gev, Gumbel};
/// // xi -> 0 is continuous: no switch of formula, no loss of digits.
/// let g = Gev::new(1e-12, 0.0, 1.0).unwrap();
/// let h = Gumbel::new(0.0, 1.0).unwrap();
/// assert!((g.cdf(2.0) - h.cdf(2.0)).abs() < 1e-11);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gev {
    xi: f64,
    loc: f64,
    scale: f64,
}

impl Gev {
    /// Checked constructor.
    pub fn new(xi: f64, loc: f64, scale: f64) -> Result<Gev, GevError> {
        if !xi.is_finite() {
            return Err(GevError::ShapeNotFinite);
        }
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(GevError::ScaleNotPositive);
        }
        if !loc.is_finite() {
            return Err(GevError::LocationNotFinite);
        }
        Ok(Gev { xi, loc, scale })
    }

    /// Shape `xi`.
    pub fn shape(&self) -> f64 {
        self.xi
    }

    /// Location `mu`.
    pub fn loc(&self) -> f64 {
        self.loc
    }

    /// Scale `sigma`.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// `ln t(x)` with `t = (1 + xi z)^(-1/xi)`; `None` outside the support
    /// (`Some(+inf)`-like cases are reported as `Err(below)`).
    fn ln_t(&self, x: f64) -> Result<f64, bool> {
        let z = (x - self.loc) / self.scale;
        if 1.0 + self.xi * z <= 0.0 {
            // Below the lower end (xi > 0) or above the upper end (xi < 0).
            return Err(self.xi > 0.0);
        }
        Ok(-ln1p_over(self.xi, z))
    }

    /// Density `t^(xi+1) exp(-t) / sigma`.
    pub fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }

    /// Log-density.
    pub fn ln_pdf(&self, x: f64) -> f64 {
        match self.ln_t(x) {
            Ok(lt) => (self.xi + 1.0) * lt - lt.exp() - self.scale.ln(),
            Err(_) => f64::NEG_INFINITY,
        }
    }

    /// Distribution function `exp(-t)`.
    pub fn cdf(&self, x: f64) -> f64 {
        match self.ln_t(x) {
            Ok(lt) => (-lt.exp()).exp(),
            Err(below) => {
                if below {
                    0.0
                } else {
                    1.0
                }
            }
        }
    }

    /// Survival function `-expm1(-t)`, accurate in the upper tail.
    pub fn sf(&self, x: f64) -> f64 {
        match self.ln_t(x) {
            Ok(lt) => -(-lt.exp()).exp_m1(),
            Err(below) => {
                if below {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// Quantile `mu + sigma ((-ln p)^(-xi) - 1)/xi`.
    pub fn quantile(&self, p: f64) -> Result<f64, GevError> {
        if !(0.0..=1.0).contains(&p) {
            return Err(GevError::ProbabilityOutOfRange);
        }
        Ok(self.quantile_unchecked(p))
    }

    fn quantile_unchecked(&self, p: f64) -> f64 {
        // ln t = ln(-ln p); z = -expm1(-xi ln t)/(-xi)... = -expm1_over(-xi, ln t).
        let lt = (-p.ln()).ln();
        self.loc - self.scale * expm1_over(-self.xi, lt)
    }
}

impl rand::distr::Distribution<f64> for Gev {
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.quantile_unchecked(open01(rng))
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
    fn errors() {
        assert_eq!(Gev::new(f64::NAN, 0.0, 1.0), Err(GevError::ShapeNotFinite));
        assert_eq!(Gev::new(0.1, 0.0, -1.0), Err(GevError::ScaleNotPositive));
        assert_eq!(
            Gev::new(0.1, f64::INFINITY, 1.0),
            Err(GevError::LocationNotFinite)
        );
        let g = Gev::new(0.1, 0.0, 1.0).unwrap();
        assert_eq!(g.quantile(1.1), Err(GevError::ProbabilityOutOfRange));
    }

    #[test]
    fn closed_forms() {
        // xi = 0.5, mu = 1, sigma = 2 at x = 3: z = 1, t = 1.5^-2 = 4/9.
        let g = Gev::new(0.5, 1.0, 2.0).unwrap();
        let t: f64 = 4.0 / 9.0;
        assert!((g.cdf(3.0) - (-t).exp()).abs() < 1e-15);
        assert!((g.sf(3.0) - (1.0 - (-t).exp())).abs() < 1e-15);
        assert!((g.pdf(3.0) - t.powf(1.5) * (-t).exp() / 2.0).abs() < 1e-15);
        // Support: xi > 0 bounded below at mu - sigma/xi = -3; xi < 0 bounded above.
        assert_eq!(g.cdf(-3.5), 0.0);
        assert_eq!(g.pdf(-3.5), 0.0);
        let w = Gev::new(-0.5, 0.0, 1.0).unwrap();
        assert_eq!(w.cdf(2.5), 1.0);
        assert_eq!(w.sf(2.5), 0.0);
        // Upper tail: sf computed directly, not 1 - cdf.
        let s = Gev::new(0.0, 0.0, 1.0).unwrap().sf(40.0);
        assert!((s / (-40.0f64).exp() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn continuous_at_xi_zero_and_pdf_is_derivative() {
        let g0 = Gev::new(0.0, 0.3, 1.7).unwrap();
        for &xi in &[1e-10, -1e-10] {
            let g = Gev::new(xi, 0.3, 1.7).unwrap();
            for &x in &[-2.0, 0.0, 1.0, 5.0] {
                assert!((g.cdf(x) - g0.cdf(x)).abs() < 1e-9);
                assert!((g.ln_pdf(x) - g0.ln_pdf(x)).abs() < 1e-8);
            }
        }
        // Central difference of the cdf, error O(h^2 f''') ~ 1e-10.
        for &xi in &[-0.3, 0.0, 0.4] {
            let g = Gev::new(xi, 0.0, 1.0).unwrap();
            for &x in &[-0.5, 0.2, 1.3] {
                let h = 1e-5;
                let d = (g.cdf(x + h) - g.cdf(x - h)) / (2.0 * h);
                assert!((d - g.pdf(x)).abs() < 1e-9, "{xi} {x}");
            }
        }
    }

    #[test]
    fn quantile_inverts_cdf_and_sampler_passes_ks() {
        for &xi in &[-0.4, 0.0, 1e-13, 0.7] {
            let g = Gev::new(xi, -1.0, 0.5).unwrap();
            for &p in &[1e-10, 0.01, 0.5, 0.99, 1.0 - 1e-9] {
                let x = g.quantile(p).unwrap();
                assert!((g.cdf(x) - p).abs() < 1e-13 * p.max(1e-3), "{xi} {p}");
            }
            let mut rng = ChaCha8Rng::seed_from_u64(11);
            let mut s: Vec<f64> = (0..20_000).map(|_| g.sample(&mut rng)).collect();
            assert!(s.iter().all(|v| v.is_finite()));
            let d = ks_statistic(&mut s, |x| g.cdf(x));
            assert!(d < ks_critical_001(s.len()), "{xi}: D = {d}");
        }
    }
}
