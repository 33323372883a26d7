//! Hill estimator of the tail index.

/// Invalid input of [`hill`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HillError {
    /// `k` is 0 or not smaller than the sample size.
    #[error("k must satisfy 1 <= k < sample size")]
    KOutOfRange,
    /// A value of the sample is not positive.
    #[error("the Hill estimator needs positive values")]
    NonPositiveValue,
    /// A value of the sample is not finite.
    #[error("the Hill estimator needs finite values")]
    NonFiniteValue,
    /// The `k + 1` largest values are all equal.
    #[error("the k + 1 largest values are equal: no tail to estimate")]
    DegenerateTail,
}

/// A Hill estimate of the tail index.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HillEstimate {
    /// Estimated tail index `mu` (`P(X > t) ~ C t^(-mu)`).
    pub mu: f64,
    /// Asymptotic standard error `mu / sqrt(k)`.
    pub std_err: f64,
    /// Number of upper order statistics used.
    pub k: usize,
}

/// Hill's estimator from the `k` largest values of `sample`:
/// `1/mu = (1/k) sum_{i=1..k} ln X_(i) - ln X_(k+1)` (order statistics in decreasing
/// order), with asymptotic standard error `mu / sqrt(k)` (Hill 1975; de Haan & Ferreira,
/// Theorem 3.2.5). Runs in linear time (selection, no full sort).
///
/// ```
/// use hdkde_theory::heavy_tail::hill;
/// // Exact Pareto quantiles with mu = 2: x_i = (i/n)^(-1/2).
/// let n = 10_000;
/// let xs: Vec<f64> = (1..=n).map(|i| (i as f64 / n as f64).powf(-0.5)).collect();
/// let h = hill(&xs, 500).unwrap();
/// assert!((h.mu - 2.0).abs() < 0.05);
/// ```
pub fn hill(sample: &[f64], k: usize) -> Result<HillEstimate, HillError> {
    if k == 0 || k >= sample.len() {
        return Err(HillError::KOutOfRange);
    }
    for &x in sample {
        if !x.is_finite() {
            return Err(HillError::NonFiniteValue);
        }
        if x <= 0.0 {
            return Err(HillError::NonPositiveValue);
        }
    }
    let mut v = sample.to_vec();
    // After this, v[..k] holds the k largest values and v[k] is X_(k+1).
    v.select_nth_unstable_by(k, |a, b| b.total_cmp(a));
    let threshold = v[k].ln();
    let h = v[..k].iter().map(|x| x.ln() - threshold).sum::<f64>() / k as f64;
    if h <= 0.0 {
        return Err(HillError::DegenerateTail);
    }
    let mu = 1.0 / h;
    Ok(HillEstimate {
        mu,
        std_err: mu / (k as f64).sqrt(),
        k,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::distr::{Distribution, Open01};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn errors() {
        assert_eq!(hill(&[1.0, 2.0], 0), Err(HillError::KOutOfRange));
        assert_eq!(hill(&[1.0, 2.0], 2), Err(HillError::KOutOfRange));
        assert_eq!(hill(&[1.0, -2.0, 3.0], 1), Err(HillError::NonPositiveValue));
        assert_eq!(
            hill(&[1.0, f64::NAN, 3.0], 1),
            Err(HillError::NonFiniteValue)
        );
        assert_eq!(hill(&[2.0, 2.0, 2.0], 2), Err(HillError::DegenerateTail));
    }

    #[test]
    fn recovers_pareto_index_within_its_standard_error() {
        // For exact Pareto data the Hill estimator is unbiased for 1/mu up to k/(k-1);
        // we ask for agreement within 4 standard errors, for several mu and seeds.
        for &(mu, seed) in &[(0.5, 1u64), (1.2, 2), (1.9, 3)] {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let xs: Vec<f64> = (0..50_000)
                .map(|_| {
                    let u: f64 = Open01.sample(&mut rng);
                    3.0 * u.powf(-1.0 / mu)
                })
                .collect();
            let h = hill(&xs, 2000).unwrap();
            assert!((h.mu - mu).abs() < 4.0 * h.std_err, "{mu}: {h:?}");
            assert!((h.std_err - mu / 2000f64.sqrt()).abs() < 0.1 * h.std_err);
        }
    }
}
