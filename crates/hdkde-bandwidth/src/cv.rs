//! What the cross-validations share: the searched family, the held-out split, the exact
//! leave-one-out values and the search settings.

use hdkde_estimator::{Bandwidth, KdeParams};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::rules::Rule;
use crate::sample::{check_data, Moments};
use crate::SelectError;

/// The family of bandwidths a cross-validation searches, indexed by a scale `h > 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum CvShape {
    /// `H = h^2 I` on the data as given (the default, and the setting of the regime theory).
    #[default]
    Isotropic,
    /// `H = h^2 Cov` with the unbiased sample covariance `Cov` (needs more points than
    /// dimensions); `h` is then the factor of a rule of thumb.
    Covariance,
}

/// A seeded random subset of held-out points on which a cross-validation is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeldOut {
    /// Number of held-out points (at least 2; the whole data set if at least `n`).
    pub size: usize,
    /// Seed of the `ChaCha8Rng` that draws them.
    pub seed: u64,
}

/// The data prepared for repeated evaluation of a cross-validation objective.
#[derive(Debug, Clone)]
pub(crate) struct CvData {
    /// `Cov` for [`CvShape::Covariance`].
    cov: Option<DMatrix<f64>>,
    /// Reference scale: the Silverman isotropic bandwidth, or the Silverman factor.
    pub(crate) h0: f64,
    pub(crate) split: Split,
}

/// All points, or held-out points `held` and the rest `rest`.
#[derive(Debug, Clone)]
pub(crate) enum Split {
    All(DMatrix<f64>),
    HeldOut {
        held: DMatrix<f64>,
        rest: DMatrix<f64>,
    },
}

impl CvData {
    pub(crate) fn new(
        data: &DMatrix<f64>,
        shape: CvShape,
        held_out: Option<HeldOut>,
    ) -> Result<Self, SelectError> {
        let (n, d) = check_data(data)?;
        let m = Moments::new(data, None)?;
        m.require_spread()?;
        let factor = Rule::Silverman.factor(n as f64, d);
        let (cov, h0) = match shape {
            CvShape::Isotropic => (None, factor * m.mean_variance().sqrt()),
            CvShape::Covariance => {
                m.cholesky()?;
                (Some(m.cov), factor)
            }
        };
        let split = split(data, held_out)?;
        Ok(CvData { cov, h0, split })
    }

    /// The bandwidth of scale `h`.
    pub(crate) fn bandwidth(&self, h: f64) -> Bandwidth {
        match &self.cov {
            None => Bandwidth::Scalar(h),
            Some(c) => Bandwidth::Matrix(c * (h * h)),
        }
    }

    /// Number of points scored.
    pub(crate) fn scored(&self) -> usize {
        match &self.split {
            Split::All(x) => x.nrows(),
            Split::HeldOut { held, .. } => held.nrows(),
        }
    }

    /// Leave-one-out `ln rho_hat_(-i)(y_i)` at the scored points, exactly.
    ///
    /// With held-out points `S` (`m` of them) and the rest `T`, for `i` in `S`:
    /// `rho_hat_(-i)(y_i) = [(n - m) rho_T(y_i) + (m - 1) rho_(S, -i)(y_i)] / (n - 1)`, where
    /// `rho_T` is the estimate on `T` and `rho_(S,-i)` the leave-one-out estimate on `S`; the
    /// two logs are combined by a log-sum-exp.
    pub(crate) fn loo_log_densities(&self, params: &KdeParams) -> Result<Vec<f64>, SelectError> {
        match &self.split {
            Split::All(x) => Ok(params.fit(x)?.log_density_loo()?),
            Split::HeldOut { held, rest } => {
                let (m, t) = (held.nrows() as f64, rest.nrows() as f64);
                let ln_rest = params.fit(rest)?.log_density(held)?;
                let ln_held = params.fit(held)?.log_density_loo()?;
                let ln_total = (m + t - 1.0).ln();
                Ok(ln_rest
                    .iter()
                    .zip(&ln_held)
                    .map(|(&a, &b)| log_add(a + t.ln(), b + (m - 1.0).ln()) - ln_total)
                    .collect())
            }
        }
    }
}

/// All of `data`, or `held_out.size` rows drawn with `held_out.seed` (sorted) and the rest.
pub(crate) fn split(data: &DMatrix<f64>, held_out: Option<HeldOut>) -> Result<Split, SelectError> {
    let n = data.nrows();
    Ok(match held_out {
        Some(HeldOut { size, .. }) if size < 2 => return Err(SelectError::SubsetTooSmall { size }),
        Some(HeldOut { size, seed }) if size < n => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut idx = rand::seq::index::sample(&mut rng, n, size).into_vec();
            idx.sort_unstable();
            let mut is_held = vec![false; n];
            idx.iter().for_each(|&i| is_held[i] = true);
            let rest: Vec<usize> = (0..n).filter(|&i| !is_held[i]).collect();
            Split::HeldOut {
                held: data.select_rows(&idx),
                rest: data.select_rows(&rest),
            }
        }
        _ => Split::All(data.clone()),
    })
}

/// `ln(e^a + e^b)`, exact for infinite arguments.
pub(crate) fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    hi + (lo - hi).exp().ln_1p()
}

pub(crate) fn check_range(range: Option<(f64, f64)>) -> Result<(), SelectError> {
    match range {
        Some((lo, hi)) if !(lo > 0.0 && lo < hi && hi.is_finite()) => {
            Err(SelectError::BadSearchRange)
        }
        _ => Ok(()),
    }
}

pub(crate) fn check_tolerance(tol: f64) -> Result<(), SelectError> {
    if tol.is_finite() && tol > 0.0 {
        Ok(())
    } else {
        Err(SelectError::BadTolerance)
    }
}

/// Search interval in `ln h`: the user's range, else six decades either side of `h0`.
pub(crate) fn ln_range(range: Option<(f64, f64)>, h0: f64) -> (f64, f64) {
    match range {
        Some((lo, hi)) => (lo.ln(), hi.ln()),
        None => (
            h0.ln() - 6.0 * std::f64::consts::LN_10,
            h0.ln() + 6.0 * std::f64::consts::LN_10,
        ),
    }
}
