//! The public API never panics, whatever the shapes and values it is fed.

use hdkde_estimator::{Bandwidth, KdeParams, Kernel};
use nalgebra::DMatrix;
use proptest::prelude::*;

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -10.0..10.0f64,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(-1e300),
        1 => Just(0.0),
    ]
}

fn bandwidth(d: usize) -> impl Strategy<Value = Bandwidth> {
    prop_oneof![
        value().prop_map(Bandwidth::Scalar),
        prop::collection::vec(value(), 0..4).prop_map(Bandwidth::Diagonal),
        (0..4usize, prop::collection::vec(value(), 16)).prop_map(move |(k, v)| {
            let k = if k == 0 { d } else { k };
            Bandwidth::Matrix(DMatrix::from_fn(k, k, |i, j| v[(i * 4 + j) % 16]))
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn arbitrary_inputs_give_results_or_typed_errors(
        n in 0..6usize,
        d in 0..4usize,
        qd in 0..4usize,
        vals in prop::collection::vec(value(), 24),
        bw in (0..4usize).prop_flat_map(bandwidth),
        kernel in prop::sample::select(vec![Kernel::Gaussian, Kernel::Uniform, Kernel::Cosine, Kernel::cauchy()]),
        weights in prop::option::of(prop::collection::vec(value(), 0..6)),
        top_k in 0..3usize,
    ) {
        let data = DMatrix::from_fn(n, d, |i, j| vals[(i * 4 + j) % 24]);
        let mut params = KdeParams::new(bw).kernel(kernel);
        if let Some(w) = weights {
            params = params.weights(w);
        }
        if let Ok(kde) = params.fit(&data) {
            let q = DMatrix::from_fn(2, qd, |i, j| vals[(i * 3 + j + 5) % 24]);
            if let Ok(v) = kde.log_density(&q) {
                prop_assert!(v.iter().all(|x| !x.is_nan()));
            }
            if let Ok(v) = kde.log_density_loo() {
                prop_assert!(v.iter().all(|x| !x.is_nan()));
            }
            if let Ok(v) = kde.diagnose(&q, top_k) {
                prop_assert!(v.iter().all(|x| !x.y2.is_nan() && !x.ln_density.is_nan()));
            }
        }
    }
}
