//! The single-precision path against the exact one.
//!
//! Its error is that of `f32` dot products: per term about
//! `f32::EPSILON * sqrt(d) * (|z_x|^2 + |z_i|^2) / 2` (random rounding, `sqrt(d)` growth),
//! plus the `f32` rounding of the stored whitened coordinates, `~f32::EPSILON * |z|^2`. With
//! standard normal data, `d = 64` and `h = 0.8`, `|z|^2 ~ 100`, so about `1.2e-7 * (8 + 1) * 100
//! ~ 1e-4` in the log; the test allows `4e-4` and also checks that the error is not tiny-by-
//! accident (the path really is single precision: above `1e-9` somewhere).

use hdkde_estimator::{Kde, KdeParams, Kernel, Precision};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

fn gaussian(n: usize, d: usize, seed: u64) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    DMatrix::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng))
}

/// Largest absolute difference between two equally long sequences.
fn worst(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// The same settings fitted in double and in single precision.
fn both(params: KdeParams, data: &DMatrix<f64>) -> (Kde, Kde) {
    let exact = params.fit(data).unwrap();
    let single = params.precision(Precision::F32).fit(data).unwrap();
    (exact, single)
}

#[test]
fn f32_path_agrees_with_f64_within_its_documented_accuracy() {
    let (n, d) = (3000, 64);
    let data = gaussian(n, d, 1);
    let queries = gaussian(200, d, 2);
    for kernel in [Kernel::Gaussian, Kernel::cauchy()] {
        let (exact, single) = both(KdeParams::new(0.8).kernel(kernel), &data);
        let a = exact.log_density(&queries).unwrap();
        let b = single.log_density(&queries).unwrap();
        let worst = worst(&a, &b);
        assert!(worst < 4e-4, "{kernel}: {worst:e}");
        assert!(worst > 1e-9, "{kernel}: suspiciously exact ({worst:e})");
        // Leave-one-out and diagnostics go through the same path.
        let la = exact.log_density_loo().unwrap();
        let lb = single.log_density_loo().unwrap();
        assert!(la.iter().zip(&lb).all(|(x, y)| (x - y).abs() < 4e-4));
        let da = exact.diagnose(&queries, 3).unwrap();
        let db = single.diagnose(&queries, 3).unwrap();
        for (x, y) in da.iter().zip(&db) {
            assert!((x.y2 - y.y2).abs() < 1e-3 * x.y2.max(1e-12) + 1e-12);
        }
    }
}

#[test]
fn owned_f32_buffer_fits_like_the_precision_setting() {
    let (n, d) = (500, 16);
    let data = gaussian(n, d, 3);
    let queries = gaussian(20, d, 4);
    let rows: Vec<f32> = (0..n)
        .flat_map(|i| data.row(i).iter().map(|&v| v as f32).collect::<Vec<_>>())
        .collect();
    let owned = KdeParams::new(0.6).fit_rows_f32(rows, d).unwrap();
    let via = KdeParams::new(0.6)
        .precision(Precision::F32)
        .fit(&data)
        .unwrap();
    let exact = KdeParams::new(0.6).fit(&data).unwrap();
    let a = owned.log_density(&queries).unwrap();
    let b = via.log_density(&queries).unwrap();
    let c = exact.log_density(&queries).unwrap();
    for i in 0..20 {
        // Both are single-precision paths (data rounded before or after whitening).
        assert!((a[i] - c[i]).abs() < 4e-4 && (b[i] - c[i]).abs() < 4e-4);
    }
    let pool = |t| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
    };
    let one = pool(1).install(|| owned.log_density(&queries).unwrap());
    let two = pool(2).install(|| owned.log_density(&queries).unwrap());
    assert!(one
        .iter()
        .zip(&two)
        .all(|(x, y)| x.to_bits() == y.to_bits()));
}

#[test]
fn weighted_single_precision_terms_agree_across_tile_edges() {
    // n = 1300 and m = 700 leave partial tiles of data and queries; weights go through the
    // single-precision log-weights. Same documented accuracy as above (d = 32, h = 0.7:
    // |z|^2 ~ 65, error ~ 1.2e-7 * (6 + 1) * 65 ~ 5e-5; the test allows 4e-4).
    let (n, d) = (1300, 32);
    let data = gaussian(n, d, 5);
    let queries = gaussian(700, d, 6);
    let weights: Vec<f64> = (0..n).map(|i| 0.2 + ((i * 7919) % 13) as f64).collect();
    let (exact, single) = both(KdeParams::new(0.7).weights(weights), &data);
    let e = worst(
        &exact.log_density(&queries).unwrap(),
        &single.log_density(&queries).unwrap(),
    );
    assert!(e < 4e-4 && e > 1e-9, "{e:e}");
    let e = worst(
        &exact.log_density_loo().unwrap(),
        &single.log_density_loo().unwrap(),
    );
    assert!(e < 4e-4, "loo: {e:e}");
}
