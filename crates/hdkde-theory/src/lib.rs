//! Theory of kernel density estimation in large dimensions.
//!
//! * [`stable`]: alpha-stable laws (Nolan's S0 and S1 parameterisations).
//! * [`evt`]: extreme-value laws (GEV, Gumbel, Frechet, reversed Weibull, generalized Pareto).
//! * [`heavy_tail`]: sums and maxima of heavy-tailed positive variables, Poisson-Dirichlet
//!   predictions and the Hill estimator.
//! * [`regimes`]: the phase diagram of the Gaussian-kernel KDE when `n = exp(alpha d)`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod evt;
pub mod heavy_tail;
pub mod regimes;
pub mod stable;

pub use evt::{Frechet, GenPareto, Gev, Gumbel, ReversedWeibull};
pub use heavy_tail::{hill, HillEstimate, PoissonDirichlet};
pub use regimes::{Error as RegimeError, FinitePrediction, GaussianModel, QueryPoint, Regime};
pub use stable::{Parameterization, Stable, StableError};
