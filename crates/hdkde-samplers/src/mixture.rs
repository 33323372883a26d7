//! Finite mixtures of multivariate normal laws.

use nalgebra::DMatrix;
use rand::distr::Distribution;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::{AliasTable, Gaussian, SampleMatrix, SamplerError};

/// The mixture `sum_k w_k N(mu_k, Sigma_k)` of normal laws of one dimension.
///
/// A draw picks component `k` with probability `w_k / sum w` (alias method, `O(1)`), then
/// draws from it. The components are [`Gaussian`]s, so each can have its own covariance
/// shape (isotropic, diagonal, full or given spectrum).
///
/// ```
/// use hdkde_samplers::{Gaussian, GaussianMixture, SampleMatrix};
///
/// let mix = GaussianMixture::new(
///     &[0.3, 0.7],
///     vec![
///         Gaussian::isotropic(vec![-2.0, 0.0], 0.5).unwrap(),
///         Gaussian::isotropic(vec![2.0, 0.0], 1.0).unwrap(),
///     ],
/// )
/// .unwrap();
/// assert!((mix.mean()[0] - 0.8).abs() < 1e-15);
/// let x = mix.sample_row_major(100, 3);
/// assert_eq!(x.len(), 200);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixture {
    components: Vec<Gaussian>,
    pick: AliasTable,
    d: usize,
    scratch: bool,
}

impl GaussianMixture {
    /// The mixture of `components` with weights proportional to `weights`.
    ///
    /// # Errors
    /// [`SamplerError::Empty`] for no component, [`SamplerError::LengthMismatch`] if the
    /// numbers of weights and components differ or two components differ in dimension, the
    /// weight errors of [`AliasTable::new`].
    pub fn new(weights: &[f64], components: Vec<Gaussian>) -> Result<Self, SamplerError> {
        let first = components.first().ok_or(SamplerError::Empty)?;
        let d = first.dim();
        if weights.len() != components.len() {
            return Err(SamplerError::LengthMismatch {
                expected: components.len(),
                found: weights.len(),
            });
        }
        if let Some(c) = components.iter().find(|c| c.dim() != d) {
            return Err(SamplerError::LengthMismatch {
                expected: d,
                found: c.dim(),
            });
        }
        let pick = AliasTable::new(weights)?;
        let scratch = components.iter().any(Gaussian::needs_scratch);
        Ok(GaussianMixture {
            components,
            pick,
            d,
            scratch,
        })
    }

    /// The components.
    pub fn components(&self) -> &[Gaussian] {
        &self.components
    }

    /// The normalised weight of component `k` (`0` if there is no such component).
    pub fn weight(&self, k: usize) -> f64 {
        self.pick.probability(k)
    }

    /// The mixture mean `sum_k w_k mu_k`.
    pub fn mean(&self) -> Vec<f64> {
        let mut m = vec![0.0; self.d];
        for (k, c) in self.components.iter().enumerate() {
            let w = self.weight(k);
            m.iter_mut().zip(c.mean()).for_each(|(m, v)| *m += w * v);
        }
        m
    }

    /// The mixture covariance `sum_k w_k (Sigma_k + mu_k mu_k^T) - mu mu^T`, accumulated
    /// around the mixture mean (`sum_k w_k (Sigma_k + (mu_k - mu)(mu_k - mu)^T)`) to avoid
    /// cancellation.
    pub fn covariance(&self) -> DMatrix<f64> {
        let m = self.mean();
        let mut c = DMatrix::zeros(self.d, self.d);
        for (k, comp) in self.components.iter().enumerate() {
            let w = self.weight(k);
            let dm = nalgebra::DVector::from_iterator(
                self.d,
                comp.mean().iter().zip(&m).map(|(a, b)| a - b),
            );
            c += (comp.covariance() + &dm * dm.transpose()) * w;
        }
        c
    }

    #[inline]
    fn fill_one<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64], scratch: &mut [f64]) {
        let k = self.pick.sample(rng);
        self.components[k].fill_one(rng, out, scratch);
    }

    fn scratch(&self) -> Vec<f64> {
        if self.scratch {
            vec![0.0; self.d]
        } else {
            Vec::new()
        }
    }
}

impl Distribution<Vec<f64>> for GaussianMixture {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        let mut out = vec![0.0; self.d];
        self.fill_one(rng, &mut out, &mut self.scratch());
        out
    }
}

impl SampleMatrix for GaussianMixture {
    fn dim(&self) -> usize {
        self.d
    }

    fn fill_rows(&self, rng: &mut ChaCha8Rng, rows: &mut [f64]) {
        let mut scratch = self.scratch();
        for row in rows.chunks_exact_mut(self.d) {
            self.fill_one(rng, row, &mut scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{check_moments, ks_critical_001, ks_statistic, project, random_unit};
    use statrs::distribution::{ContinuousCDF, Normal};

    fn mixture() -> GaussianMixture {
        let d = 5;
        let cov = DMatrix::from_fn(d, d, |i, j| 0.6f64.powi((i as i32 - j as i32).abs()));
        GaussianMixture::new(
            &[2.0, 1.0, 0.5],
            vec![
                Gaussian::isotropic(vec![-3.0, 0.0, 1.0, 0.0, 0.0], 0.7).unwrap(),
                Gaussian::full(vec![2.0, 2.0, 0.0, -1.0, 0.5], &cov).unwrap(),
                Gaussian::spectrum(
                    vec![0.0, -4.0, 0.0, 0.0, 3.0],
                    &[3.0, 2.0, 1.0, 0.5, 0.1],
                    Some(3),
                )
                .unwrap(),
            ],
        )
        .unwrap()
    }

    #[test]
    fn moments_match_the_mixture() {
        // 40,000 draws; mean and covariance entries within 5 standard errors (SE from the
        // sample's fourth moments, which for a mixture exceed the Gaussian ones).
        let mix = mixture();
        let x = mix.sample_row_major(40_000, 5);
        check_moments("mixture", &x, &mix.mean(), &mix.covariance(), 5.0);
    }

    #[test]
    fn projections_follow_the_mixture_cdf() {
        // a^T x has CDF sum_k w_k Phi((t - a^T mu_k) / sqrt(a^T Sigma_k a)).
        // 20,000 draws per direction, KS at the 0.1% critical value 0.0138.
        let mix = mixture();
        let x = mix.sample_row_major(20_000, 6);
        for k in 0..4 {
            let a = random_unit(5, 200 + k);
            let av = nalgebra::DVector::from_column_slice(&a);
            let parts: Vec<(f64, Normal)> = mix
                .components()
                .iter()
                .enumerate()
                .map(|(c, g)| {
                    let m: f64 = a.iter().zip(g.mean()).map(|(a, m)| a * m).sum();
                    let s = (av.transpose() * g.covariance() * &av)[(0, 0)].sqrt();
                    (mix.weight(c), Normal::new(m, s).unwrap())
                })
                .collect();
            let mut p = project(&x, &a);
            let ks = ks_statistic(&mut p, |t| parts.iter().map(|(w, n)| w * n.cdf(t)).sum());
            assert!(ks < ks_critical_001(p.len()), "direction {k}: ks = {ks}");
        }
    }

    #[test]
    fn errors() {
        let g2 = Gaussian::standard(2).unwrap();
        let g3 = Gaussian::standard(3).unwrap();
        assert_eq!(GaussianMixture::new(&[], vec![]), Err(SamplerError::Empty));
        assert_eq!(
            GaussianMixture::new(&[1.0], vec![g2.clone(), g2.clone()]),
            Err(SamplerError::LengthMismatch {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            GaussianMixture::new(&[1.0, 1.0], vec![g2.clone(), g3]),
            Err(SamplerError::LengthMismatch {
                expected: 2,
                found: 3
            })
        );
        assert_eq!(
            GaussianMixture::new(&[1.0, -1.0], vec![g2.clone(), g2.clone()]),
            Err(SamplerError::BadWeight)
        );
        assert_eq!(
            GaussianMixture::new(&[0.0, 0.0], vec![g2.clone(), g2]),
            Err(SamplerError::ZeroTotalWeight)
        );
    }
}
