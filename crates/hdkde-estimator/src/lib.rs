//! Exact log-space kernel density estimation in high dimensions, with regime diagnostics.
//!
//! [`Kde`] evaluates `ln rho_hat(x) = ln (1/n) sum_i K_H(x - y_i)` over every data point, with
//! a scalar, diagonal or full bandwidth matrix and any kernel of [`hdkde_kernels`]. It stays
//! finite and accurate (to about `1e-10` absolute in the log) at any dimension: no
//! `exp` of a large negative number is ever taken before the log-sum-exp shift.
//!
//! Besides the density it reports, per query, the participation ratio and the leading
//! contributors ([`Diagnostics`]): the empirical side of the regime theory.
//!
//! ```
//! use hdkde_estimator::{Bandwidth, Kde};
//! use nalgebra::DMatrix;
//!
//! let data = DMatrix::from_fn(200, 3, |i, j| ((i * 7 + j * 3) % 11) as f64 / 11.0);
//! let kde = Kde::new(&data, Bandwidth::Scalar(0.3)).unwrap();
//! let q = DMatrix::from_row_slice(1, 3, &[0.5, 0.5, 0.5]);
//! let ln_rho = kde.log_density(&q).unwrap();
//! let diag = kde.diagnose(&q, 3).unwrap();
//! assert!((diag[0].ln_density - ln_rho[0]).abs() < 1e-12);
//! assert!(diag[0].y2 > 0.0 && diag[0].y2 <= 1.0);
//! ```
#![deny(missing_docs)]

mod bandwidth;
mod diagnostics;
mod engine;
mod error;
mod fastexp;
mod fused;
mod gemm;
mod kde;
mod real;

pub use bandwidth::Bandwidth;
pub use diagnostics::Diagnostics;
pub use error::KdeError;
pub use hdkde_kernels::Kernel;
pub use kde::{first_non_finite, Kde, KdeParams, Precision};
