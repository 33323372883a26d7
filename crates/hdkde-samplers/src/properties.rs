//! Property tests: arbitrary parameters (including NaN, infinities, zeros and negative
//! values) never make a constructor panic, and a sampler that was built draws finite points
//! in its support.

use nalgebra::DMatrix;
use proptest::prelude::*;
use rand::distr::Distribution;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::{
    AliasTable, Bandwidth, Gaussian, KdeSampler, Kernel, SampleMatrix, StudentT, UniformCube,
};

/// Mostly moderate numbers, sometimes a special value.
fn param() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -1e3..1e3f64,
        1 => prop::sample::select(vec![0.0, -0.0, f64::NAN, f64::INFINITY, -f64::INFINITY, 1e-300]),
    ]
}

fn kernel(k: usize, dof: f64) -> Kernel {
    match k {
        0 => Kernel::Gaussian,
        1 => Kernel::Epanechnikov,
        2 => Kernel::Uniform,
        3 => Kernel::Biweight,
        4 => Kernel::Triweight,
        5 => Kernel::Triangular,
        6 => Kernel::Cosine,
        7 => Kernel::Exponential,
        _ => Kernel::student_t(dof).unwrap_or(Kernel::cauchy()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn gaussian_constructors_never_panic(
        mean in prop::collection::vec(param(), 0..4),
        entries in prop::collection::vec(param(), 9),
        sigma in param(),
        seed in any::<u64>(),
    ) {
        let d = mean.len();
        let cov = DMatrix::from_fn(3, 3, |i, j| entries[3 * i.min(j) + i.max(j)]);
        let built = [
            Gaussian::isotropic(mean.clone(), sigma),
            Gaussian::diagonal(mean.clone(), &entries[..d]),
            Gaussian::full(mean.clone(), &cov),
            Gaussian::spectrum(mean.clone(), &entries[..d], Some(seed)),
        ];
        for g in built.into_iter().flatten() {
            let x = g.sample_row_major(20, seed);
            prop_assert!(x.iter().all(|v| v.is_finite()));
            if let Ok(t) = StudentT::new(g, sigma.abs()) {
                prop_assert!(t.sample_row_major(20, seed).iter().all(|v| v.is_finite()));
            }
        }
    }

    #[test]
    fn kde_draws_stay_near_the_data(
        (dim, data) in (0usize..4, 0usize..5).prop_flat_map(|(d, n)| {
            // Mostly whole rows; sometimes a ragged buffer.
            let len = prop_oneof![4 => Just(n * d), 1 => 0..13usize];
            (Just(d), len.prop_flat_map(|l| prop::collection::vec(param(), l)))
        }),
        weights in prop::collection::vec(prop_oneof![3 => 0.0..5.0f64, 1 => param()], 0..5),
        k in 0usize..10,
        dof in param(),
        h in prop_oneof![3 => 0.01..10.0f64, 1 => param()],
        seed in any::<u64>(),
    ) {
        let kernel = kernel(k, dof);
        let w = (k % 2 == 0).then_some(&weights[..]);
        let Ok(bw) = Bandwidth::scalar(h) else { return Ok(()); };
        let Ok(kde) = KdeSampler::new(&data, dim, w, kernel, bw) else { return Ok(()); };
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for _ in 0..20 {
            let x: Vec<f64> = kde.sample(&mut rng);
            prop_assert!(x.iter().all(|v| v.is_finite()));
            if kernel.is_compact() {
                // Within h of a data point of positive weight (rounding: 1e-9 relative to
                // the coordinates' size).
                let near = (0..kde.len()).filter(|&i| kde.weight(i) > 0.0).any(|i| {
                    let y = kde.point(i).unwrap();
                    let r: f64 = x.iter().zip(y).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
                    r <= h * (1.0 + 1e-9) + 1e-9 * y.iter().fold(1.0f64, |m, v| m.max(v.abs()))
                });
                prop_assert!(near);
            }
        }
    }

    #[test]
    fn cube_draws_stay_in_the_box(lo in param(), w in param(), d in 0usize..4, seed in any::<u64>()) {
        if let Ok(c) = UniformCube::new(d, lo, lo + w) {
            for x in c.sample_row_major(50, seed) {
                prop_assert!(x >= lo && x <= lo + w);
            }
        }
    }

    #[test]
    fn alias_never_draws_a_zero_weight(
        weights in prop::collection::vec(prop_oneof![param(), Just(0.0)], 0..8),
        seed in any::<u64>(),
    ) {
        if let Ok(t) = AliasTable::new(&weights) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            for _ in 0..200 {
                let i = t.sample(&mut rng);
                prop_assert!(i < weights.len() && weights[i] > 0.0);
            }
        }
    }
}
