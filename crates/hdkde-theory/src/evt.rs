//! Extreme-value laws: generalized extreme value (GEV), Gumbel, Frechet, reversed Weibull
//! and generalized Pareto (GPD).
//!
//! # Shape convention
//!
//! The GEV and GPD shape is `xi` in the convention of Coles (2001): `xi > 0` heavy
//! (Frechet-type) tail, `xi = 0` Gumbel / exponential, `xi < 0` bounded support (reversed
//! Weibull-type). scipy's `genextreme` uses `c = -xi`; scipy's `genpareto` uses
//! `c = xi`.
//!
//! Every formula is written with `ln_1p` / `exp_m1` so that it is accurate as `xi -> 0`
//! (no switch between a `xi != 0` and a `xi = 0` formula, no loss of digits for tiny
//! `xi`). Samplers invert the distribution function at a uniform drawn from the open
//! interval `(0, 1)`, so that no logarithm ever sees 0 or 1 (statrs' Gumbel sampler
//! returns NaN; rand_distr's Gumbel/Frechet draw from `(0, 1]`).

mod frechet;
mod gev;
mod gpd;
mod gumbel;
mod weibull;

pub use frechet::{Frechet, FrechetError};
pub use gev::{Gev, GevError};
pub use gpd::{GenPareto, GenParetoError};
pub use gumbel::{Gumbel, GumbelError};
pub use weibull::{ReversedWeibull, ReversedWeibullError};

/// `ln(1 + xi z) / xi`, continuous (and accurate) as `xi -> 0`, where it tends to `z`.
pub(crate) fn ln1p_over(xi: f64, z: f64) -> f64 {
    let t = xi * z;
    if t == 0.0 {
        z
    } else {
        t.ln_1p() / xi
    }
}

/// `(exp(xi w) - 1) / xi`, tending to `w` as `xi -> 0`.
pub(crate) fn expm1_over(xi: f64, w: f64) -> f64 {
    let t = xi * w;
    if t == 0.0 {
        w
    } else {
        t.exp_m1() / xi
    }
}

/// A uniform draw from the open interval `(0, 1)`.
pub(crate) fn open01<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    rand::distr::Distribution::<f64>::sample(&rand::distr::Open01, rng)
}

#[cfg(test)]
pub(crate) mod test_util {
    /// Kolmogorov-Smirnov statistic of `sample` against `cdf`.
    pub(crate) fn ks_statistic<F: Fn(f64) -> f64>(sample: &mut [f64], cdf: F) -> f64 {
        sample.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let n = sample.len() as f64;
        let mut d = 0.0f64;
        for (i, &x) in sample.iter().enumerate() {
            let f = cdf(x);
            d = d
                .max((f - i as f64 / n).abs())
                .max(((i + 1) as f64 / n - f).abs());
        }
        d
    }

    /// Critical value of the KS statistic at level 0.001 (asymptotic:
    /// `sqrt(-ln(0.0005)/2) / sqrt(n) = 1.9495 / sqrt(n)`).
    pub(crate) fn ks_critical_001(n: usize) -> f64 {
        1.9495 / (n as f64).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_are_accurate_near_zero() {
        // ln(1 + xi z)/xi = z - xi z^2/2 + ...; (e^(xi w) - 1)/xi = w + xi w^2/2 + ...
        for &xi in &[1e-300, 1e-17, 1e-9, -1e-9] {
            let z: f64 = 2.5;
            assert!((ln1p_over(xi, z) - (z - xi * z * z / 2.0)).abs() < 1e-15);
            assert!((expm1_over(xi, z) - (z + xi * z * z / 2.0)).abs() < 1e-15);
        }
        assert_eq!(ln1p_over(0.0, 3.0), 3.0);
        assert_eq!(expm1_over(0.0, 3.0), 3.0);
        assert!((ln1p_over(0.5, 2.0) - 2.0 * 2f64.ln()).abs() < 1e-15);
    }
}
