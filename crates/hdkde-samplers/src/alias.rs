//! Walker's alias method: `O(1)` draws of an index from a discrete law.

use rand::distr::Distribution;
use rand::Rng;

use crate::SamplerError;

/// A discrete law on `{0, .., n-1}` with probabilities proportional to given weights, drawn
/// in constant time by Walker's alias method (Vose's `O(n)` construction).
///
/// Reference: M. D. Vose, "A linear algorithm for generating random numbers with a given
/// distribution", IEEE Trans. Software Eng. 17 (1991). A draw takes a uniform index `i` and a
/// uniform `u` in `[0, 1)`, and returns `i` if `u < prob[i]`, `alias[i]` otherwise. An index
/// of weight zero is never returned.
///
/// ```
/// use hdkde_samplers::AliasTable;
/// use rand::SeedableRng;
/// use rand_distr::Distribution;
///
/// let t = AliasTable::new(&[1.0, 0.0, 3.0]).unwrap();
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let i = t.sample(&mut rng);
/// assert!(i == 0 || i == 2);
/// assert!((t.probability(2) - 0.75).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AliasTable {
    /// Acceptance probability of each slot.
    prob: Vec<f64>,
    /// Where a rejected slot sends the draw.
    alias: Vec<usize>,
    /// The normalised weights (kept for [`AliasTable::probability`]).
    weights: Vec<f64>,
}

impl AliasTable {
    /// Build the table for non-negative `weights` (not all zero; any finite scale).
    ///
    /// # Errors
    /// [`SamplerError::Empty`] for no weights, [`SamplerError::BadWeight`] for a negative,
    /// NaN or infinite weight, [`SamplerError::ZeroTotalWeight`] if all are zero.
    pub fn new(weights: &[f64]) -> Result<Self, SamplerError> {
        let n = weights.len();
        if n == 0 {
            return Err(SamplerError::Empty);
        }
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return Err(SamplerError::BadWeight);
        }
        // Divide by the largest weight first so that the sum cannot overflow.
        let max = weights.iter().copied().fold(0.0f64, f64::max);
        if max == 0.0 {
            return Err(SamplerError::ZeroTotalWeight);
        }
        let total: f64 = weights.iter().map(|w| w / max).sum();
        let normalised: Vec<f64> = weights.iter().map(|w| w / max / total).collect();
        let nf = n as f64;
        let mut prob: Vec<f64> = normalised.iter().map(|p| p * nf).collect();
        let mut alias: Vec<usize> = (0..n).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| prob[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            alias[s] = l;
            prob[l] -= 1.0 - prob[s];
            if prob[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // What is left has probability 1 in exact arithmetic. The rounding error of the
        // running differences above is about n * 1e-16, so a slot of weight 0 (prob 0) can
        // never be among the leftovers for any n that fits in memory.
        for i in small.into_iter().chain(large) {
            prob[i] = 1.0;
        }
        Ok(AliasTable {
            prob,
            alias,
            weights: normalised,
        })
    }

    /// Number of indices `n`.
    pub fn len(&self) -> usize {
        self.prob.len()
    }

    /// Always `false`: a table has at least one index.
    pub fn is_empty(&self) -> bool {
        self.prob.is_empty()
    }

    /// The probability of index `i` (its normalised weight); `0` for `i >= n`.
    pub fn probability(&self, i: usize) -> f64 {
        self.weights.get(i).copied().unwrap_or(0.0)
    }
}

impl Distribution<usize> for AliasTable {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let i = rng.random_range(0..self.prob.len());
        let u: f64 = rng.random();
        if u < self.prob[i] {
            i
        } else {
            self.alias[i]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn table_reproduces_the_weights_exactly() {
        // The law of a draw is sum over slots of (1/n) [prob_i at i, 1 - prob_i at alias_i];
        // it must equal the normalised weights up to rounding (1e-14).
        let w = [0.5, 0.0, 3.0, 1.0, 1e-9, 7.25, 0.0, 2.0];
        let t = AliasTable::new(&w).unwrap();
        let n = w.len();
        let mut law = vec![0.0; n];
        for i in 0..n {
            law[i] += t.prob[i] / n as f64;
            law[t.alias[i]] += (1.0 - t.prob[i]) / n as f64;
        }
        let total: f64 = w.iter().sum();
        for i in 0..n {
            assert!((law[i] - w[i] / total).abs() < 1e-14, "{i}");
        }
        // Zero weights are unreachable: accepted with probability 0, never an alias.
        assert_eq!(t.prob[1], 0.0);
        assert!(!t
            .alias
            .iter()
            .enumerate()
            .any(|(i, &a)| a == 1 && t.prob[i] < 1.0));
    }

    #[test]
    fn frequencies_pass_pearson_chi_square() {
        // 200,000 draws from 6 cells; Pearson's statistic has 5 degrees of freedom under
        // the null, with 0.1% critical value 20.52.
        let w = [1.0, 2.0, 0.5, 4.0, 0.0, 2.5];
        let t = AliasTable::new(&w).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let n = 200_000;
        let mut counts = [0usize; 6];
        for _ in 0..n {
            counts[t.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[4], 0);
        let total: f64 = w.iter().sum();
        let chi2: f64 = (0..6)
            .filter(|&i| w[i] > 0.0)
            .map(|i| {
                let e = n as f64 * w[i] / total;
                (counts[i] as f64 - e).powi(2) / e
            })
            .sum();
        assert!(chi2 < 20.52, "chi2 = {chi2}");
    }

    #[test]
    fn huge_and_tiny_weights() {
        let t = AliasTable::new(&[f64::MAX, f64::MAX, 0.0]).unwrap();
        assert!((t.probability(0) - 0.5).abs() < 1e-15);
        let t = AliasTable::new(&[5e-324, 0.0]).unwrap();
        assert_eq!(t.probability(0), 1.0);
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn errors() {
        assert_eq!(AliasTable::new(&[]), Err(SamplerError::Empty));
        assert_eq!(AliasTable::new(&[1.0, -0.1]), Err(SamplerError::BadWeight));
        assert_eq!(AliasTable::new(&[f64::NAN]), Err(SamplerError::BadWeight));
        assert_eq!(
            AliasTable::new(&[f64::INFINITY]),
            Err(SamplerError::BadWeight)
        );
        assert_eq!(
            AliasTable::new(&[0.0, 0.0]),
            Err(SamplerError::ZeroTotalWeight)
        );
    }
}
