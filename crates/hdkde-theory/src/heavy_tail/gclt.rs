//! Generalized central limit theorem for positive heavy-tailed terms.

use crate::stable::{Parameterization, Stable};
use statrs::function::gamma::gamma;

/// Invalid arguments of the GCLT norming functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GcltError {
    /// The tail index is not in `(0, 2)`.
    #[error("tail index mu must lie in (0, 2)")]
    MuOutOfRange,
    /// The tail constant `C` is not positive and finite.
    #[error("tail constant C must be positive and finite")]
    TailConstantNotPositive,
    /// The number of terms is not finite and at least 1.
    #[error("number of terms must be finite and at least 1")]
    CountOutOfRange,
    /// The centring does not match the tail index (see [`Centring`]).
    #[error("centring does not match the tail index: Zero for mu < 1, Mean for 1 < mu < 2, TruncatedMean for mu = 1")]
    CentringMismatch,
    /// The mean given for the centring is not finite.
    #[error("centring mean must be finite")]
    MeanNotFinite,
}

/// How the sum is centred, which depends on the tail index.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Centring {
    /// `mu < 1`: no centring, `a_n = 0`.
    Zero,
    /// `1 < mu < 2`: `a_n = n E[w]`, with the given mean `E[w]`.
    Mean(f64),
    /// `mu = 1`: `a_n = n E[w 1{w <= b_n}]`, with the given truncated mean (compute
    /// `b_n` first with [`gclt_scale`]).
    TruncatedMean(f64),
}

/// `C_mu = (1 - mu) / (Gamma(2 - mu) cos(pi mu / 2))` (`2/pi` at `mu = 1`), the constant
/// with `P(X > x) ~ C_mu x^(-mu)` for `X ~ S(mu, 1, 1, 0; 1)` (Samorodnitsky & Taqqu,
/// Property 1.2.15). Equal to `2 Gamma(mu) sin(pi mu / 2) / pi`.
pub fn stable_tail_constant(mu: f64) -> Result<f64, GcltError> {
    if !(mu > 0.0 && mu < 2.0) {
        return Err(GcltError::MuOutOfRange);
    }
    Ok(2.0 * gamma(mu) * (std::f64::consts::FRAC_PI_2 * mu).sin() / std::f64::consts::PI)
}

/// Scale `b_n = (n C / C_mu)^(1/mu)` of the GCLT for `n` terms with `P(w > t) ~ C t^(-mu)`.
pub fn gclt_scale(mu: f64, c: f64, n: f64) -> Result<f64, GcltError> {
    let c_mu = stable_tail_constant(mu)?;
    if !(c > 0.0 && c.is_finite()) {
        return Err(GcltError::TailConstantNotPositive);
    }
    if !(n >= 1.0 && n.is_finite()) {
        return Err(GcltError::CountOutOfRange);
    }
    // In logs: n can be astronomically large (n = exp(alpha d)).
    Ok(((n.ln() + c.ln() - c_mu.ln()) / mu).exp())
}

/// Centring and scale `(a_n, b_n)` such that `(S_n - a_n) / b_n` converges in law to
/// `S(mu, 1, 1, 0; 1)` (Nolan's S1, see [`gclt_limit`]) for the sum `S_n` of `n` i.i.d.
/// positive terms with `P(w > t) ~ C t^(-mu)`, `0 < mu < 2`:
///
/// * `b_n = (n C / C_mu)^(1/mu)` with `C_mu` from [`stable_tail_constant`];
/// * `a_n = 0` (`mu < 1`), `n E[w]` (`1 < mu < 2`), `n E[w 1{w <= b_n}]` (`mu = 1`).
///
/// (Feller II, XVII.5; Samorodnitsky & Taqqu, Section 1.8.)
///
/// ```
/// use hdkde_theory::heavy_tail::{gclt_norming, Centring};
/// // Pareto terms P(w > t) = t^-1.5 (t >= 1), mean 3: n = 1e6.
/// let (a, b) = gclt_norming(1.5, 1.0, 1e6, Centring::Mean(3.0)).unwrap();
/// assert_eq!(a, 3e6);
/// assert!(b > 1e4 && b < 1e5);
/// ```
pub fn gclt_norming(mu: f64, c: f64, n: f64, centring: Centring) -> Result<(f64, f64), GcltError> {
    let b = gclt_scale(mu, c, n)?;
    let a = match centring {
        Centring::Zero if mu < 1.0 => 0.0,
        Centring::Mean(m) if mu > 1.0 => {
            if !m.is_finite() {
                return Err(GcltError::MeanNotFinite);
            }
            n * m
        }
        Centring::TruncatedMean(m) if mu == 1.0 => {
            if !m.is_finite() {
                return Err(GcltError::MeanNotFinite);
            }
            n * m
        }
        _ => return Err(GcltError::CentringMismatch),
    };
    Ok((a, b))
}

/// The limit law `S(mu, 1, 1, 0; 1)` of [`gclt_norming`].
pub fn gclt_limit(mu: f64) -> Result<Stable, GcltError> {
    if !(mu > 0.0 && mu < 2.0) {
        return Err(GcltError::MuOutOfRange);
    }
    Stable::new(mu, 1.0, 1.0, 0.0, Parameterization::S1).map_err(|_| GcltError::MuOutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evt::test_util::{ks_critical_001, ks_statistic};
    use rand::distr::{Distribution, Open01};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn errors_and_constants() {
        assert_eq!(stable_tail_constant(2.0), Err(GcltError::MuOutOfRange));
        assert_eq!(
            gclt_scale(1.5, 0.0, 10.0),
            Err(GcltError::TailConstantNotPositive)
        );
        assert_eq!(gclt_scale(1.5, 1.0, 0.5), Err(GcltError::CountOutOfRange));
        assert_eq!(
            gclt_norming(0.5, 1.0, 10.0, Centring::Mean(1.0)),
            Err(GcltError::CentringMismatch)
        );
        assert_eq!(
            gclt_norming(1.5, 1.0, 10.0, Centring::Zero),
            Err(GcltError::CentringMismatch)
        );
        assert_eq!(
            gclt_norming(1.5, 1.0, 10.0, Centring::Mean(f64::NAN)),
            Err(GcltError::MeanNotFinite)
        );
        // Two forms of C_mu agree; C_1 = 2/pi.
        for &mu in &[0.3, 0.9, 1.2, 1.7] {
            let a = stable_tail_constant(mu).unwrap();
            let b = (1.0 - mu) / (gamma(2.0 - mu) * (std::f64::consts::FRAC_PI_2 * mu).cos());
            assert!((a / b - 1.0).abs() < 1e-13);
        }
        assert!((stable_tail_constant(1.0).unwrap() - 2.0 / std::f64::consts::PI).abs() < 1e-15);
        // The tail of the limit law has exactly this constant.
        let s = gclt_limit(0.7).unwrap();
        let x = 1e8;
        let c = stable_tail_constant(0.7).unwrap();
        assert!((s.sf(x) * x.powf(0.7) / c - 1.0).abs() < 1e-3);
    }

    /// Normalised sums of Pareto terms against the limit law (KS on `reps` sums).
    fn ks_of_sums(mu: f64, n: usize, reps: usize, seed: u64) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let centring = if mu < 1.0 {
            Centring::Zero
        } else {
            Centring::Mean(mu / (mu - 1.0))
        };
        let (a, b) = gclt_norming(mu, 1.0, n as f64, centring).unwrap();
        let mut z: Vec<f64> = (0..reps)
            .map(|_| {
                let s: f64 = (0..n)
                    .map(|_| {
                        let u: f64 = Open01.sample(&mut rng);
                        u.powf(-1.0 / mu)
                    })
                    .sum();
                (s - a) / b
            })
            .collect();
        let limit = gclt_limit(mu).unwrap();
        ks_statistic(&mut z, |x| limit.cdf(x))
    }

    #[test]
    fn pareto_sums_converge_to_the_stable_limit() {
        // Pareto terms P(w > t) = t^-mu on t >= 1 (C = 1). The finite-n distance to the
        // limit is O(n^(1 - 2/mu)) for mu > 1 (about 0.01 here, n = 4000) and O(1/n) for
        // mu < 1; the KS critical value at level 0.001 for 1500 sums is 0.050.
        let reps = 1500;
        for &(mu, seed) in &[(0.6, 1u64), (1.5, 2u64)] {
            let d = ks_of_sums(mu, 4000, reps, seed);
            assert!(d < ks_critical_001(reps), "mu = {mu}: D = {d}");
        }
    }
}
