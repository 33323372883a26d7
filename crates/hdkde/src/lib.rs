//! Kernel density estimation in high dimensions.
//!
//! This facade re-exports the layers of the workspace, one module each, and a [`prelude`]:
//!
//! * [`kernels`]: radial kernels with exact log-normalising constants in any dimension;
//! * [`estimator`]: the exact log-space estimator and its per-query diagnostics;
//! * [`samplers`]: reproducible Gaussian and other data, exact sampling from an estimate;
//! * [`theory`]: stable laws, extreme values and the regime theory (`h_G`, `h_CLT`, `h_KL`);
//! * [`bandwidth`]: rules of thumb, cross-validation and theory-based bandwidths.
//!
//! ```
//! use hdkde::prelude::*;
//! use nalgebra::DMatrix;
//!
//! let data = DMatrix::from_fn(500, 50, |i, j| ((i * 31 + j * 17) % 97) as f64 / 97.0);
//! let kde = Kde::new(&data, 0.5).unwrap();
//! let ln_rho = kde.log_density(&data.rows(0, 3).into_owned()).unwrap();
//! assert!(ln_rho.iter().all(|v| v.is_finite()));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use hdkde_bandwidth as bandwidth;
pub use hdkde_estimator as estimator;
pub use hdkde_kernels as kernels;
pub use hdkde_samplers as samplers;
pub use hdkde_theory as theory;

/// The types most programs need.
pub mod prelude {
    pub use hdkde_bandwidth::{Lcv, Lscv, ReferenceModel, Rule, RuleOfThumb, Variant};
    pub use hdkde_estimator::{Bandwidth, Diagnostics, Kde, KdeError, KdeParams};
    pub use hdkde_kernels::Kernel;
    pub use hdkde_samplers::{Gaussian, KdeSampler, SampleMatrix};
    pub use hdkde_theory::regimes::{GaussianModel, Regime};
    pub use hdkde_theory::stable::{Parameterization, Stable};
}

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
