//! Sums and maxima of i.i.d. heavy-tailed positive variables: the pieces of limit theory
//! that the regime analysis of the kernel density estimator needs.
//!
//! * [`gclt_norming`]: centring and scale of the generalized central limit theorem for
//!   terms with `P(w > t) ~ C t^(-mu)`, `0 < mu < 2`, whose normalised sums converge to
//!   the totally skewed stable law `S(mu, 1, 1, 0; 1)`.
//! * [`PoissonDirichlet`]: the `PD(mu, 0)` law of the ranked normalised weights
//!   `w_(i) / sum_j w_j` when `mu < 1`, with `E[Y2] = 1 - mu`, the mean of the largest
//!   weight, and a stick-breaking sampler.
//! * [`hill`]: the Hill estimator of the tail index with its standard error.

mod gclt;
mod hill;
mod pd;

pub use gclt::{gclt_limit, gclt_norming, gclt_scale, stable_tail_constant, Centring, GcltError};
pub use hill::{hill, HillError, HillEstimate};
pub use pd::{PdError, PdSample, PoissonDirichlet};
