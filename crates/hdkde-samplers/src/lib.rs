//! Reproducible high-dimensional data, and exact sampling from kernel density estimates.
//!
//! Every sampler is immutable, validated at construction (typed [`SamplerError`]s, never a
//! panic on user input), and draws points of `R^d` in two ways:
//!
//! - one point at a time through [`rand::distr::Distribution`]`<Vec<f64>>`, with any
//!   generator;
//! - whole `n x d` matrices through [`SampleMatrix`], in parallel on rayon, determined by a
//!   single `u64` seed and bit-identical for any number of threads (each block of rows has
//!   its own ChaCha8 stream, derived from the block index: see [`block_rng`]).
//!
//! | sampler | law |
//! |---|---|
//! | [`Gaussian`] | `N(mu, Sigma)`: isotropic, diagonal, full (Cholesky), or given spectrum with an optional reproducible Haar rotation |
//! | [`GaussianMixture`] | `sum_k w_k N(mu_k, Sigma_k)` |
//! | [`StudentT`] | multivariate Student-t, `nu > 0` |
//! | [`UniformBall`], [`UniformSphere`], [`UniformCube`] | uniform laws |
//! | [`KdeSampler`] | a kernel density estimate with any kernel of [`hdkde_kernels`] and a scalar, diagonal or full [`Bandwidth`] |
//! | [`AliasTable`] | an index with given weights, `O(1)` per draw |
//!
//! ```
//! use hdkde_samplers::{Gaussian, SampleMatrix};
//!
//! // 1,000 points of N(0, I_50), row-major, reproducible from the seed 2024.
//! let g = Gaussian::standard(50).unwrap();
//! let x: Vec<f64> = g.sample_row_major(1_000, 2024);
//! assert_eq!(x.len(), 50_000);
//! assert_eq!(x, g.sample_row_major(1_000, 2024));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod alias;
mod bandwidth;
mod error;
mod factor;
mod gaussian;
mod kde;
mod matrix;
mod mixture;
mod student;
mod uniform;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod testutil;
#[cfg(test)]
mod value_stability;

pub use alias::AliasTable;
pub use bandwidth::Bandwidth;
pub use error::SamplerError;
pub use gaussian::Gaussian;
pub use hdkde_kernels::Kernel;
pub use kde::KdeSampler;
pub use matrix::{block_rng, rows_per_block, SampleMatrix};
pub use mixture::GaussianMixture;
pub use nalgebra::DMatrix;
pub use rand::distr::Distribution;
pub use rand_chacha::ChaCha8Rng;
pub use student::StudentT;
pub use uniform::{UniformBall, UniformCube, UniformSphere};
