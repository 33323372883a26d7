//! Radial smoothing kernels with exact log-normalising constants in any dimension.
//!
//! A radial kernel in `d` dimensions is `K(u) = c_d k(|u|)`, where `k` is the *profile* and
//! `c_d` the constant that makes `K` integrate to one over `R^d`. In high dimension `c_d`
//! over- or underflows any floating-point type (the uniform kernel's `c_d` is `1 / V_d`, and
//! the volume of the unit ball `V_d` is about `1e-1_000_000` at `d = 100,000`), so this crate
//! works only with `ln c_d` and `ln k`, computed from log-gamma functions, never from
//! `pi^(d/2)`.
//!
//! ```
//! use hdkde_kernels::Kernel;
//!
//! let k = Kernel::Epanechnikov.in_dim(10_000).unwrap();
//! // ln K(u) for |u|^2 = 0.25, finite even though c_d itself is astronomically large.
//! let ln_k = k.ln_kernel(0.25);
//! assert!(ln_k.is_finite());
//! // Outside the support the log-kernel is -inf.
//! assert_eq!(k.ln_kernel(1.5), f64::NEG_INFINITY);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod kernel;
mod norm;
#[cfg(test)]
mod quadrature;
mod radial;

pub use kernel::{DimKernel, Kernel, KernelError};
pub use norm::ln_gamma;
pub use radial::RadialLaw;
