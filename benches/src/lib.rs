//! Shared workloads of the criterion benchmarks (the benchmarks themselves are in `benches/`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// An `n x d` matrix of standard normals from a fixed seed.
pub fn normal_matrix(n: usize, d: usize, seed: u64) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
}
