//! The phase diagram of the Gaussian-kernel density estimator when `n = exp(alpha d)`.
//!
//! Data `y_1..y_n` are i.i.d. `N(0, Sigma)` in dimension `d`, the test point `x` is an
//! independent draw of the same law, and the estimator is
//! `rho_hat(x) = (1/n) sum_i (2 pi h^2)^(-d/2) exp(-|x - y_i|^2 / (2 h^2))`.
//! With `r_i = |x - y_i|^2 / d` and `b = 1/(2 h^2)`, the sum `Z = sum_i exp(-d b r_i)` is the
//! partition function of a Random Energy Model with `n = e^(alpha d)` levels. Its large
//! deviations give three regimes (Biroli and Mezard, "Kernel density estimators in large
//! dimensions", arXiv:2408.05807, extended here to anisotropic spectra):
//!
//! | bandwidth | tail index `mu = (h/h_G)^2` | [`Regime`] |
//! |---|---|---|
//! | `h >= h_CLT = sqrt(2) h_G` | `mu >= 2` | [`Regime::Clt`] |
//! | `h_G <= h < h_CLT` | `1 <= mu < 2` | [`Regime::Stable`] |
//! | `h < h_G` | `mu < 1` | [`Regime::Extreme`] |
//!
//! [`GaussianModel`] holds the covariance spectrum and gives the leading-order thresholds
//! (`h_G`, `h_CLT`, `r_min`, `h_KL`), the log-density per dimension `ell`, the KL curve and the
//! participation ratio, and finite-dimension corrections: the expected minimum distance
//! (Bahadur-Rao prefactor and Gumbel mean) and the exact finite-`n` expectations of `ln Z`
//! and of the participation ratio `Y2` for a Random Energy Model whose level density is the
//! saddle-point density of the distances. [`QueryPoint`] gives the same predictions for one
//! given test point. The derivations are in `docs/theory.md`.
//!
//! ```
//! use hdkde_theory::regimes::{GaussianModel, Regime};
//!
//! let model = GaussianModel::isotropic(1.0)?;
//! let h_g = model.h_g(0.5)?;
//! assert!((h_g - 0.6521453312).abs() < 1e-9);
//! assert_eq!(model.regime(0.5 * h_g, 0.5)?, Regime::Extreme);
//! // The KL-optimal bandwidth lies just below the condensation threshold.
//! assert!(model.h_kl(0.5)? < h_g);
//! # Ok::<(), hdkde_theory::regimes::Error>(())
//! ```

mod cgf;
mod finite;
mod leading;
mod model;
mod quadrature;
mod query;
mod rem;
mod root;

pub use model::GaussianModel;
pub use query::QueryPoint;
pub use rem::FinitePrediction;

/// Euler-Mascheroni constant, the mean of the standard (maximum) Gumbel law.
pub(crate) const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// Errors of the regime theory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The covariance spectrum has no eigenvalue (dimension 0).
    #[error("the covariance spectrum is empty")]
    EmptySpectrum,
    /// An eigenvalue is not strictly positive and finite.
    #[error("eigenvalue {index} is not strictly positive and finite")]
    InvalidEigenvalue {
        /// Position of the offending eigenvalue.
        index: usize,
    },
    /// The isotropic standard deviation `sigma` is not strictly positive and finite.
    #[error("sigma must be strictly positive and finite")]
    InvalidSigma,
    /// Fewer than two data points: no sample covariance.
    #[error("at least 2 data points are needed, got {n}")]
    TooFewPoints {
        /// Number of rows given.
        n: usize,
    },
    /// A data entry is not finite.
    #[error("data entry ({row}, {col}) is not finite")]
    NonFiniteData {
        /// Row (data point) index.
        row: usize,
        /// Column (coordinate) index.
        col: usize,
    },
    /// The sample covariance is singular (e.g. fewer points than dimensions, or a constant
    /// coordinate): its smallest eigenvalue is below `1e-12` times the largest.
    #[error("the sample covariance is singular")]
    SingularCovariance,
    /// `alpha` is not strictly positive and finite.
    #[error("alpha must be strictly positive and finite")]
    InvalidAlpha,
    /// The bandwidth `h` is not strictly positive and finite.
    #[error("the bandwidth h must be strictly positive and finite")]
    InvalidBandwidth,
    /// The inverse temperature `b` is not non-negative and finite.
    #[error("the inverse temperature b must be non-negative and finite")]
    InvalidInverseTemperature,
    /// The tilt `t` is not finite or not below the pole `1 / (2 max lam)` of the cumulant
    /// generating function.
    #[error("the tilt t must be finite and below 1 / (2 max lam)")]
    InvalidTilt,
    /// A distance `r` is not strictly positive and finite.
    #[error("the scaled distance r must be strictly positive and finite")]
    InvalidDistance,
    /// The dimension `d` is zero.
    #[error("the dimension d must be at least 1")]
    ZeroDimension,
    /// A dimension does not match the model's spectrum length.
    #[error("dimension mismatch: expected {expected}, found {found}")]
    DimensionMismatch {
        /// Dimension of the model.
        expected: usize,
        /// Dimension given.
        found: usize,
    },
    /// A query coordinate or squared norm is not finite (or a squared value is negative).
    #[error("the query point is not finite (or a squared value is negative)")]
    InvalidQuery,
    /// The operation needs an isotropic model.
    #[error("this operation needs an isotropic model")]
    NotIsotropic,
    /// The operation needs a model with an explicit spectrum.
    #[error("this operation needs a model with an explicit spectrum")]
    NotSpectral,
    /// The requested value lies outside the range representable in double precision
    /// (e.g. `alpha` so large that `b_G` overflows).
    #[error("the result is outside the representable range")]
    OutOfRange,
}

/// The statistical regime of `rho_hat(x)` for a typical test point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Regime {
    /// `mu >= 2` (`h >= h_CLT`): Gaussian fluctuations around `E rho_hat(x)`.
    Clt,
    /// `1 <= mu < 2` (`h_G <= h < h_CLT`): totally skewed stable fluctuations of index `mu`.
    Stable,
    /// `mu < 1` (`h < h_G`): the sum is carried by the few nearest points (condensation).
    Extreme,
}

impl Regime {
    /// The regime of tail index `mu`: `Extreme` below 1, `Stable` on `[1, 2)`, `Clt` from 2.
    ///
    /// At the boundaries the weaker anomaly is reported: at `mu = 1` the mean still
    /// dominates (stable, with a logarithmic correction) and at `mu = 2` the fluctuations are
    /// Gaussian with a logarithmically enhanced variance.
    pub fn from_mu(mu: f64) -> Self {
        if mu >= 2.0 {
            Regime::Clt
        } else if mu >= 1.0 {
            Regime::Stable
        } else {
            Regime::Extreme
        }
    }

    /// Short lowercase name: `"clt"`, `"stable"` or `"extreme"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Clt => "clt",
            Regime::Stable => "stable",
            Regime::Extreme => "extreme",
        }
    }
}

impl core::fmt::Display for Regime {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks `alpha > 0` finite.
pub(crate) fn check_alpha(alpha: f64) -> Result<(), Error> {
    if alpha.is_finite() && alpha > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidAlpha)
    }
}

/// Checks `h > 0` finite and returns `b = 1/(2 h^2)`.
pub(crate) fn inverse_temperature(h: f64) -> Result<f64, Error> {
    if h.is_finite() && h > 0.0 {
        let b = 0.5 / (h * h);
        if b.is_finite() {
            Ok(b)
        } else {
            Err(Error::OutOfRange)
        }
    } else {
        Err(Error::InvalidBandwidth)
    }
}

/// `alpha = ln(n) / d`, the scaling parameter of a data set of `n` points in dimension `d`.
///
/// ```
/// let alpha = hdkde_theory::regimes::alpha(22026, 40)?;
/// assert!((alpha - 0.25).abs() < 1e-5);
/// # Ok::<(), hdkde_theory::regimes::Error>(())
/// ```
pub fn alpha(n: usize, d: usize) -> Result<f64, Error> {
    if n < 2 {
        return Err(Error::TooFewPoints { n });
    }
    if d == 0 {
        return Err(Error::ZeroDimension);
    }
    Ok((n as f64).ln() / d as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regime_from_mu_and_names() {
        assert_eq!(Regime::from_mu(0.3), Regime::Extreme);
        assert_eq!(Regime::from_mu(1.0), Regime::Stable);
        assert_eq!(Regime::from_mu(1.99), Regime::Stable);
        assert_eq!(Regime::from_mu(2.0), Regime::Clt);
        assert_eq!(Regime::Clt.as_str(), "clt");
        assert_eq!(Regime::Stable.to_string(), "stable");
        assert_eq!(Regime::Extreme.as_str(), "extreme");
    }

    #[test]
    fn argument_checks() {
        assert_eq!(check_alpha(0.0), Err(Error::InvalidAlpha));
        assert_eq!(check_alpha(f64::NAN), Err(Error::InvalidAlpha));
        assert_eq!(inverse_temperature(-1.0), Err(Error::InvalidBandwidth));
        assert_eq!(
            inverse_temperature(f64::INFINITY),
            Err(Error::InvalidBandwidth)
        );
        assert_eq!(inverse_temperature(1e-300), Err(Error::OutOfRange));
        assert_eq!(inverse_temperature(0.5), Ok(2.0));
        assert_eq!(alpha(1, 3), Err(Error::TooFewPoints { n: 1 }));
        assert_eq!(alpha(10, 0), Err(Error::ZeroDimension));
    }
}
