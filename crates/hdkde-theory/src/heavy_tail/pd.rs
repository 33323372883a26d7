//! Poisson-Dirichlet `PD(mu, 0)` law of normalised heavy-tailed weights.

use crate::stable::quad::integrate_interval;
use rand::Rng;
use rand_distr::{Beta, Distribution};
use statrs::function::gamma::{gamma, gamma_lr};

/// Invalid parameters of a [`PoissonDirichlet`] law or of its sampler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PdError {
    /// `mu` is not in `(0, 1)`.
    #[error("Poisson-Dirichlet index mu must lie in (0, 1)")]
    MuOutOfRange,
    /// The sampler was asked for no atoms.
    #[error("at least one atom is needed")]
    NoAtoms,
}

/// The Poisson-Dirichlet law `PD(mu, 0)`, `0 < mu < 1`: the law of the ranked
/// normalised weights `w_(1)/S >= w_(2)/S >= ...` of `n -> inf` i.i.d. positive terms
/// with `P(w > t) ~ C t^(-mu)` (equivalently, of the ranked jumps of a `mu`-stable
/// subordinator over their sum). Pitman & Yor, Ann. Probab. 25 (1997).
///
/// ```
/// use hdkde_theory::heavy_tail::PoissonDirichlet;
/// let pd = PoissonDirichlet::new(0.5).unwrap();
/// assert_eq!(pd.expected_y2(), 0.5);
/// assert!(pd.expected_max_weight() > 0.5 && pd.expected_max_weight() < 0.8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoissonDirichlet {
    mu: f64,
}

/// One draw of the `PD(mu, 0)` weights, truncated to a number of atoms.
#[derive(Clone, Debug, PartialEq)]
pub struct PdSample {
    /// The drawn weights in decreasing order (the first `atoms` sticks, sorted).
    pub weights: Vec<f64>,
    /// Total mass of the neglected atoms (`1 - sum(weights)`, computed as a product,
    /// without cancellation). Every neglected atom is at most this large.
    pub remainder: f64,
    /// Index `mu` of the law it was drawn from.
    pub mu: f64,
}

impl PdSample {
    /// The participation ratio `Y2 = sum_i V_i^2`: the sum over the drawn weights plus the
    /// conditional expectation `remainder^2 (1 - mu)/(1 + K mu)` of the neglected part (the
    /// neglected atoms, rescaled, are `PD(mu, K mu)`, whose `E[Y2]` is `(1-mu)/(1+K mu)`).
    /// The neglected part itself lies in `[0, remainder^2]`.
    pub fn y2(&self) -> f64 {
        let k = self.weights.len() as f64;
        let s: f64 = self.weights.iter().map(|w| w * w).sum();
        s + self.remainder * self.remainder * (1.0 - self.mu) / (1.0 + k * self.mu)
    }

    /// The largest weight (exact unless a neglected atom is larger, which requires
    /// `remainder` to exceed it).
    pub fn max_weight(&self) -> f64 {
        self.weights.first().copied().unwrap_or(0.0)
    }
}

impl PoissonDirichlet {
    /// Checked constructor, `0 < mu < 1`.
    pub fn new(mu: f64) -> Result<PoissonDirichlet, PdError> {
        if !(mu > 0.0 && mu < 1.0) {
            return Err(PdError::MuOutOfRange);
        }
        Ok(PoissonDirichlet { mu })
    }

    /// Index `mu`.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// `E[Y2] = E[sum_i V_i^2] = 1 - mu`.
    pub fn expected_y2(&self) -> f64 {
        1.0 - self.mu
    }

    /// Mean of the largest weight,
    ///
    /// ```text
    /// E[V_1] = int_0^inf dt / (1 + e^t t^mu gamma(1 - mu, t))
    /// ```
    ///
    /// with `gamma` the lower incomplete gamma function. Derivation: with `m` the largest
    /// jump of the subordinator (`P(m <= x) = exp(-x^-mu)` in suitable units) and `T_m`
    /// the sum of the other jumps, `E[m/(m + T_m)] = int_0^inf E[m e^(-s(m + T_m))] ds`;
    /// the Laplace transform of `T_m` given `m` is `exp(-m^-mu phi(s m))` with
    /// `phi(t) = e^(-t) - 1 + t^mu gamma(1 - mu, t)`, and integrating over `m` first
    /// leaves `int_0^inf e^(-t) / (1 + phi(t)) dt` (cf. Pitman & Yor 1997, Section 3).
    /// The integrand decays like `e^(-t)`: adaptive Gauss-Kronrod on `[0, 60]`.
    pub fn expected_max_weight(&self) -> f64 {
        let mu = self.mu;
        let g = gamma(1.0 - mu);
        integrate_interval(
            |t: f64| {
                if t == 0.0 {
                    return 1.0;
                }
                let low = g * gamma_lr(1.0 - mu, t) * t.powf(mu);
                1.0 / (1.0 + t.exp() * low)
            },
            0.0,
            60.0,
            1e-12,
            0.0,
        )
    }

    /// Expected mass `E[R_K] = prod_{k=1..K} k mu / (1 - mu + k mu)` left after `K`
    /// sticks: the truncation bias of [`PoissonDirichlet::sample_weights`]. It decays like
    /// `K^(-(1 - mu)/mu)`, slowly for `mu` near 1, which is why the sampler also reports
    /// each draw's exact remainder.
    pub fn expected_remainder(&self, atoms: usize) -> f64 {
        let mu = self.mu;
        (1..=atoms)
            .map(|k| {
                let km = k as f64 * mu;
                (km / (1.0 - mu + km)).ln()
            })
            .sum::<f64>()
            .exp()
    }

    /// Draws the weights by stick-breaking (the GEM(mu, 0) representation: the `k`-th
    /// stick takes a `Beta(1 - mu, k mu)` fraction of what is left), keeping the first
    /// `atoms` sticks, sorted in decreasing order. The mass left over is returned exactly
    /// as [`PdSample::remainder`].
    pub fn sample_weights<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        atoms: usize,
    ) -> Result<PdSample, PdError> {
        if atoms == 0 {
            return Err(PdError::NoAtoms);
        }
        let mu = self.mu;
        let mut left = 1.0f64;
        let mut weights = Vec::with_capacity(atoms);
        for k in 1..=atoms {
            let beta = Beta::new(1.0 - mu, k as f64 * mu)
                // proven: both shapes are positive and finite since 0 < mu < 1 and k >= 1.
                .expect("valid Beta shapes");
            let w: f64 = beta.sample(rng);
            weights.push(left * w);
            left *= 1.0 - w;
        }
        weights.sort_by(|a, b| b.total_cmp(a));
        Ok(PdSample {
            weights,
            remainder: left,
            mu,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn errors_and_limits() {
        assert_eq!(PoissonDirichlet::new(0.0), Err(PdError::MuOutOfRange));
        assert_eq!(PoissonDirichlet::new(1.0), Err(PdError::MuOutOfRange));
        let pd = PoissonDirichlet::new(0.3).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        assert_eq!(pd.sample_weights(&mut rng, 0), Err(PdError::NoAtoms));
        // mu -> 0: one atom takes everything; mu -> 1: dust.
        assert!((PoissonDirichlet::new(1e-6).unwrap().expected_max_weight() - 1.0).abs() < 1e-4);
        assert!(PoissonDirichlet::new(0.999).unwrap().expected_max_weight() < 0.01);
        // Remainder product: one stick leaves mu/(1 - mu + mu) = mu on average.
        assert!((pd.expected_remainder(1) - 0.3).abs() < 1e-15);
    }

    #[test]
    fn simulated_y2_and_max_weight_match_the_predictions() {
        // M = 3000 draws of K = 400 sticks. Tolerance: 4 standard errors of the sample mean
        // (estimated from the draws) plus the truncation bias, which for Y2 is at most
        // E[R_K^2] (1-mu)/(1+K mu) <= E[R_K] mu/(1+K mu) after the correction in y2(), and
        // for the largest weight at most E[R_K] (only a neglected atom, of size at most
        // R_K, can beat the K sticks).
        for &(mu, seed) in &[(0.2, 11u64), (0.5, 12), (0.8, 13)] {
            let pd = PoissonDirichlet::new(mu).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let m = 3000;
            let k = 400;
            let (mut s2, mut ss2, mut s1, mut ss1) = (0.0, 0.0, 0.0, 0.0);
            for _ in 0..m {
                let d = pd.sample_weights(&mut rng, k).unwrap();
                let sum: f64 = d.weights.iter().sum();
                assert!((sum + d.remainder - 1.0).abs() < 1e-12);
                let y2 = d.y2();
                s2 += y2;
                ss2 += y2 * y2;
                let v1 = d.max_weight();
                s1 += v1;
                ss1 += v1 * v1;
            }
            let mf = m as f64;
            let (my2, mv1) = (s2 / mf, s1 / mf);
            let se2 = ((ss2 / mf - my2 * my2) / mf).sqrt();
            let se1 = ((ss1 / mf - mv1 * mv1) / mf).sqrt();
            let bias = pd.expected_remainder(k) * mu / (1.0 + k as f64 * mu);
            assert!(
                (my2 - pd.expected_y2()).abs() < 4.0 * se2 + bias,
                "{mu}: {my2} vs {}",
                pd.expected_y2()
            );
            let bias1 = pd.expected_remainder(k);
            assert!(
                (mv1 - pd.expected_max_weight()).abs() < 4.0 * se1 + bias1,
                "{mu}: {mv1} vs {}",
                pd.expected_max_weight()
            );
        }
    }
}
