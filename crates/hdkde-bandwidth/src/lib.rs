//! Bandwidth selection for kernel density estimates, with the statistical regime of each
//! answer.
//!
//! * Rules of thumb ([`RuleOfThumb`]): Scott and Silverman factors ([`Rule`]) with scipy's
//!   exact conventions (unbiased or weighted covariance, `neff = 1/sum p_i^2`), as scipy's
//!   full matrix `H = f^2 Cov`, per dimension, or isotropic ([`Variant`]).
//! * Likelihood cross-validation ([`Lcv`]): the maximiser of the exact mean leave-one-out
//!   log-likelihood, over an isotropic `h` or the scale of `h^2 Cov` ([`CvShape`]), on all
//!   points or a seeded held-out subset.
//! * Least-squares cross-validation ([`Lscv`]) for the Gaussian kernel, in log space.
//! * Theory ([`ReferenceModel`], [`theory_bandwidths`]): the Gaussian model fitted to the
//!   data at `alpha_eff = ln(n)/d` gives `h_G`, `h_CLT`, the leading-order and finite-`d`
//!   `h_KL`, and the regime (clt, stable, extreme) of any bandwidth.
//! * A report ([`ReportParams`]): every selector's bandwidth with its regime, tail index,
//!   predicted and measured participation ratio ([`participation_ratio`]).
//!
//! ```
//! use hdkde_bandwidth::{Lcv, ReferenceModel, Rule, RuleOfThumb, Variant};
//! use hdkde_estimator::Bandwidth;
//! use nalgebra::DMatrix;
//!
//! let data = DMatrix::from_fn(200, 4, |i, j| (i as f64 * (0.618_034 + 0.113 * j as f64)).fract());
//! let scott = RuleOfThumb::new(Rule::Scott, Variant::Isotropic).select(&data)?;
//! let lcv = Lcv::new().select(&data)?;
//! let model = ReferenceModel::auto(&data)?;
//! let regime = model.assess(&Bandwidth::Scalar(lcv.h))?.regime;
//! println!("scott {:?}, lcv h = {:.3} ({regime})", scott.bandwidth, lcv.h);
//! # Ok::<(), hdkde_bandwidth::SelectError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod cv;
mod error;
mod lcv;
mod lscv;
mod measure;
mod optimize;
mod report;
mod rules;
mod sample;
mod theory;

pub use cv::{CvShape, HeldOut};
pub use error::SelectError;
pub use hdkde_estimator::Bandwidth;
pub use hdkde_theory::regimes::Regime;
pub use lcv::{CvFit, Lcv};
pub use lscv::{Lscv, LscvValue};
pub use measure::participation_ratio;
pub use report::{Method, Report, ReportParams, Selection};
pub use rules::{Rule, RuleFit, RuleOfThumb, Variant};
pub use theory::{theory_bandwidths, Assessment, ReferenceModel, TheoryBandwidths};
#[cfg(test)]
mod degenerate;
#[cfg(test)]
mod lcv_regime;
