//! Accuracy of the estimator against a direct pairwise reference.
//!
//! The reference forms every squared distance as `sum_j ((x_j - y_j) / h_j)^2` (or the
//! quadratic form with an explicitly inverted `H`) with Neumaier-compensated sums, and the
//! log-sum-exp with a compensated sum too: no matrix-product trick, no whitening, no tiles.
//! Its own rounding error is a few ulp of the largest log-term (`4e5` at `d = 4096`,
//! `h = 0.1`, i.e. `~1e-10` worst case, far less in practice since rounding errors of
//! positive terms do not all align). The tolerance is `1e-10`, or two ulp of the value where
//! that is larger (`|ln rho_hat| > 2.5e5`, as at `d = 4096`, `h = 0.1`): a result of that
//! magnitude cannot be represented, let alone computed twice independently, closer than that.

// Index loops mirror the formulas of the reference; iterator chains would obscure them.
#![allow(clippy::needless_range_loop)]

use hdkde_estimator::{Bandwidth, Kde, KdeError, KdeParams, Kernel, Precision};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Neumaier-compensated sum.
fn csum(v: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for x in v {
        let t = s + x;
        if s.abs() >= x.abs() {
            c += (s - t) + x;
        } else {
            c += (x - t) + s;
        }
        s = t;
    }
    s + c
}

fn gaussian(n: usize, d: usize, offset: f64, seed: u64) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    DMatrix::from_fn(n, d, |_, _| {
        let z: f64 = StandardNormal.sample(&mut rng);
        z + offset
    })
}

/// Reference `ln rho_hat(x)` (optionally leaving out data point `skip`).
fn reference(
    data: &DMatrix<f64>,
    x: &[f64],
    kernel: Kernel,
    h_inv_sq: &dyn Fn(&[f64]) -> f64,
    ln_det_l: f64,
    weights: Option<&[f64]>,
    skip: Option<usize>,
) -> f64 {
    let (n, d) = data.shape();
    let dk = kernel.in_dim(d).unwrap();
    let w: Vec<f64> = (0..n)
        .map(|i| {
            if Some(i) == skip {
                0.0
            } else {
                weights.map_or(1.0, |w| w[i])
            }
        })
        .collect();
    let total = csum(w.iter().copied());
    let terms: Vec<f64> = (0..n)
        .filter(|&i| w[i] > 0.0)
        .map(|i| {
            let diff: Vec<f64> = (0..d).map(|j| x[j] - data[(i, j)]).collect();
            let r2 = h_inv_sq(&diff);
            (w[i] / total).ln() + dk.ln_profile(r2)
        })
        .collect();
    let m = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    (m + (dk.ln_norm() - ln_det_l)) + csum(terms.iter().map(|t| (t - m).exp())).ln()
}

/// `|got - want| <= max(1e-10, 2 ulp(want))` (see the module docs); `-inf` must match exactly.
fn close(got: f64, want: f64) -> bool {
    if want == f64::NEG_INFINITY {
        return got == want;
    }
    let ulp = f64::EPSILON * want.abs();
    (got - want).abs() <= 1e-10f64.max(2.0 * ulp)
}

fn scalar_quad(h: f64) -> impl Fn(&[f64]) -> f64 {
    move |diff: &[f64]| csum(diff.iter().map(|v| (v / h) * (v / h)))
}

fn rows(m: &DMatrix<f64>, i: usize) -> Vec<f64> {
    m.row(i).iter().copied().collect()
}

#[test]
fn gaussian_scalar_matches_reference_across_dimensions_and_bandwidths() {
    for (d, n, m) in [
        (1usize, 400usize, 30usize),
        (3, 400, 30),
        (64, 300, 20),
        (512, 200, 10),
        (4096, 120, 6),
    ] {
        for h in [0.1, 1.0, 5.0] {
            for offset in [0.0, 1e3] {
                let data = gaussian(n, d, offset, 1 + d as u64);
                let queries = gaussian(m, d, offset, 1000 + d as u64);
                let kde = Kde::new(&data, h).unwrap();
                let got = kde.log_density(&queries).unwrap();
                let q = scalar_quad(h);
                for (i, g) in got.iter().enumerate() {
                    let want = reference(
                        &data,
                        &rows(&queries, i),
                        Kernel::Gaussian,
                        &q,
                        d as f64 * h.ln(),
                        None,
                        None,
                    );
                    assert!(
                        close(*g, want),
                        "d={d} h={h} offset={offset} q={i}: {g} vs {want}"
                    );
                }
            }
        }
    }
}

#[test]
fn huge_dimension_is_finite_and_right() {
    // d = 10,000, h = 0.1: the density is ~exp(-10^6); it must be finite and exact.
    let (d, n) = (10_000usize, 40usize);
    let data = gaussian(n, d, 0.0, 3);
    let queries = gaussian(3, d, 0.0, 4);
    let h = 0.1;
    let kde = Kde::new(&data, h).unwrap();
    let got = kde.log_density(&queries).unwrap();
    let q = scalar_quad(h);
    for (i, g) in got.iter().enumerate() {
        assert!(g.is_finite());
        assert!(*g < -1e5, "{g}");
        let want = reference(
            &data,
            &rows(&queries, i),
            Kernel::Gaussian,
            &q,
            d as f64 * h.ln(),
            None,
            None,
        );
        assert!(close(*g, want), "{g} vs {want}");
    }
}

#[test]
fn every_kernel_matches_reference() {
    let kernels: Vec<Kernel> = Kernel::FIXED
        .into_iter()
        .chain([Kernel::cauchy(), Kernel::student_t(3.5).unwrap()])
        .collect();
    for d in [2usize, 16] {
        let data = gaussian(500, d, 0.0, 7);
        let queries = gaussian(25, d, 0.0, 8);
        // Support radius ~ typical distance so some points fall inside, some outside.
        let h = (2.0 * d as f64).sqrt();
        for &k in &kernels {
            let kde = KdeParams::new(h).kernel(k).fit(&data).unwrap();
            let got = kde.log_density(&queries).unwrap();
            let q = scalar_quad(h);
            for (i, g) in got.iter().enumerate() {
                let want = reference(
                    &data,
                    &rows(&queries, i),
                    k,
                    &q,
                    d as f64 * h.ln(),
                    None,
                    None,
                );
                if want == f64::NEG_INFINITY {
                    assert_eq!(*g, want, "{k} d={d}");
                } else {
                    assert!((g - want).abs() <= 1e-10, "{k} d={d} q={i}: {g} vs {want}");
                }
            }
        }
    }
}

#[test]
fn compact_kernel_is_minus_infinity_only_outside_all_supports() {
    let data = DMatrix::from_row_slice(2, 2, &[0.0, 0.0, 3.0, 0.0]);
    let kde = KdeParams::new(1.0)
        .kernel(Kernel::Epanechnikov)
        .fit(&data)
        .unwrap();
    let q = DMatrix::from_row_slice(3, 2, &[0.5, 0.0, 1.5, 0.0, 3.0, 0.9]);
    let v = kde.log_density(&q).unwrap();
    assert!(v[0].is_finite());
    assert_eq!(
        v[1],
        f64::NEG_INFINITY,
        "1.5 is at distance 1.5 from both points"
    );
    assert!(v[2].is_finite());
}

#[test]
fn diagonal_and_full_bandwidth_match_reference() {
    let d = 6;
    let data = gaussian(300, d, 2.0, 11);
    let queries = gaussian(10, d, 2.0, 12);
    // Diagonal
    let hd: Vec<f64> = (0..d).map(|j| 0.3 + 0.2 * j as f64).collect();
    let kde = Kde::new(&data, Bandwidth::Diagonal(hd.clone())).unwrap();
    let got = kde.log_density(&queries).unwrap();
    let hq = hd.clone();
    let quad = move |diff: &[f64]| csum(diff.iter().zip(&hq).map(|(v, h)| (v / h) * (v / h)));
    let ln_det: f64 = hd.iter().map(|h| h.ln()).sum();
    for (i, g) in got.iter().enumerate() {
        let want = reference(
            &data,
            &rows(&queries, i),
            Kernel::Gaussian,
            &quad,
            ln_det,
            None,
            None,
        );
        assert!((g - want).abs() <= 1e-10, "diag q={i}: {g} vs {want}");
    }
    // Full SPD matrix H = A A^T + 0.1 I, reference through an explicit inverse and LU det.
    let a = gaussian(d, d, 0.0, 13);
    let h = &a * a.transpose() * 0.05 + DMatrix::identity(d, d) * 0.1;
    let hinv = h.clone().try_inverse().unwrap();
    let ln_det_l = 0.5 * h.clone().lu().determinant().ln();
    for k in [Kernel::Gaussian, Kernel::Biweight] {
        let kde = KdeParams::new(Bandwidth::Matrix(h.clone()))
            .kernel(k)
            .fit(&data)
            .unwrap();
        let got = kde.log_density(&queries).unwrap();
        let quad = |diff: &[f64]| {
            csum(
                (0..d)
                    .flat_map(|r| (0..d).map(move |c| (r, c)))
                    .map(|(r, c)| diff[r] * hinv[(r, c)] * diff[c]),
            )
        };
        for (i, g) in got.iter().enumerate() {
            let want = reference(&data, &rows(&queries, i), k, &quad, ln_det_l, None, None);
            if want == f64::NEG_INFINITY {
                assert_eq!(*g, want);
            } else {
                // The explicit inverse carries cond(H) eps relative error: 1e-10 still holds.
                assert!((g - want).abs() <= 1e-10, "{k} full q={i}: {g} vs {want}");
            }
        }
    }
}

#[test]
fn weights_and_leave_one_out_match_reference() {
    let d = 4;
    let data = gaussian(200, d, 0.0, 21);
    let w: Vec<f64> = (0..200).map(|i| ((i % 7) as f64) * 0.5).collect();
    let h = 0.7;
    let q = scalar_quad(h);
    let ln_det = d as f64 * h.ln();
    for weights in [None, Some(w.clone())] {
        let mut params = KdeParams::new(h);
        if let Some(w) = &weights {
            params = params.weights(w.clone());
        }
        let kde = params.fit(&data).unwrap();
        let loo = kde.log_density_loo().unwrap();
        let diag = kde.diagnose_loo(3).unwrap();
        for i in 0..200 {
            let want = reference(
                &data,
                &rows(&data, i),
                Kernel::Gaussian,
                &q,
                ln_det,
                weights.as_deref(),
                Some(i),
            );
            assert!(
                (loo[i] - want).abs() <= 1e-10,
                "loo i={i}: {} vs {want}",
                loo[i]
            );
            assert!((diag[i].ln_density - want).abs() <= 1e-10);
            assert!(
                diag[i].top.iter().all(|&(j, _)| j != i),
                "a point never contributes to its own LOO estimate"
            );
        }
        let full = kde.log_density(&data).unwrap();
        for i in 0..5 {
            let want = reference(
                &data,
                &rows(&data, i),
                Kernel::Gaussian,
                &q,
                ln_det,
                weights.as_deref(),
                None,
            );
            assert!((full[i] - want).abs() <= 1e-10);
        }
    }
}

#[test]
fn participation_ratio_matches_direct_computation() {
    let d = 20;
    let data = gaussian(3000, d, 0.0, 31);
    let queries = gaussian(8, d, 0.0, 32);
    for h in [0.4, 1.0, 3.0] {
        let kde = Kde::new(&data, h).unwrap();
        let diag = kde.diagnose(&queries, 4).unwrap();
        for (qi, dg) in diag.iter().enumerate() {
            let x = rows(&queries, qi);
            let ln_w: Vec<f64> = (0..3000)
                .map(|i| -csum((0..d).map(|j| ((x[j] - data[(i, j)]) / h).powi(2))) / 2.0)
                .collect();
            let m = ln_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let s1 = csum(ln_w.iter().map(|t| (t - m).exp()));
            let s2 = csum(ln_w.iter().map(|t| (2.0 * (t - m)).exp()));
            let y2 = s2 / (s1 * s1);
            assert!((dg.y2 - y2).abs() <= 1e-12 * y2, "h={h}: {} vs {y2}", dg.y2);
            assert!((dg.ln_z - (m + s1.ln())).abs() <= 1e-10);
            let (imax, _) = ln_w
                .iter()
                .enumerate()
                .fold(
                    (0, f64::NEG_INFINITY),
                    |a, (i, &t)| if t > a.1 { (i, t) } else { a },
                );
            assert_eq!(dg.top[0].0, imax);
            assert!((dg.max_weight - (ln_w[imax] - m).exp() / s1).abs() < 1e-12);
            assert!(dg.top.windows(2).all(|p| p[0].1 >= p[1].1));
        }
    }
}

#[test]
fn bit_identical_with_one_and_two_threads() {
    // n above the work-item chunk size so that partial sums are merged.
    let data = gaussian(40_000, 8, 0.0, 41);
    let queries = gaussian(130, 8, 0.0, 42);
    let kde = Kde::new(&data, 0.5).unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            (
                kde.log_density(&queries).unwrap(),
                kde.diagnose(&queries, 3).unwrap(),
            )
        })
    };
    let (a, da) = run(1);
    let (b, db) = run(2);
    assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
    assert_eq!(da, db);
}

/// The density's fused path (products and exponentials in registers, on AVX-512 machines)
/// against the general path the diagnostics always take (a product tile, then the terms):
/// both are exact, so they agree to rounding, 1e-11 here (log-terms of magnitude up to
/// ~2e3, whose product form rounds at ~1e-12). The data have a partial last panel and a far
/// cluster first, so the fused path's running shift starts 900 to 1,900 nats below the
/// maximum and must be raised (the cluster is near enough that the product form stays within
/// the refinement tolerance, which keeps these queries on the fused path); weights included.
/// A query's value is the same bits alone or in a batch.
#[test]
fn fused_and_general_paths_agree() {
    let d = 13;
    let mut data = gaussian(1_517, d, 0.0, 51);
    for i in 0..600 {
        for j in 0..d {
            data[(i, j)] += 12.0;
        }
    }
    let queries = gaussian(37, d, 0.0, 52);
    let weights: Vec<f64> = (0..data.nrows()).map(|i| 1.0 + (i % 7) as f64).collect();
    for kde in [
        Kde::new(&data, 1.0).unwrap(),
        KdeParams::new(0.7).weights(weights).fit(&data).unwrap(),
    ] {
        let fast = kde.log_density(&queries).unwrap();
        let general = kde.diagnose(&queries, 1).unwrap();
        for (f, g) in fast.iter().zip(&general) {
            assert!((f - g.ln_density).abs() < 1e-11, "{f} vs {}", g.ln_density);
        }
        let alone = kde.log_density(&queries.rows(5, 1).into_owned()).unwrap();
        assert_eq!(alone[0].to_bits(), fast[5].to_bits());
    }
}

/// Points of weight zero have log-terms of `-inf`: a whole chunk of them (the first 512
/// points), a run longer than a micro-tile at the start of the next chunk, and another run
/// inside it must leave the running shifts alone, not turn the sums into NaN. Against the reference (which drops
/// those points) to the module's tolerance in `f64`, to 1e-4 in `f32` (a margin over its
/// documented error, ~4e-6 at this `d` and `h`), and against the general path the
/// diagnostics take. (The layout assumes chunks of 512 points at this `n`; the unit tests of
/// `fused` pin the same cases independently of the chunking.)
#[test]
fn zero_weights_at_chunk_starts() {
    let d = 5;
    let data = gaussian(600, d, 0.0, 61);
    let queries = gaussian(19, d, 0.0, 62);
    let weights: Vec<f64> = (0..600)
        .map(|i| {
            if i < 530 || (560..575).contains(&i) {
                0.0
            } else {
                1.0 + (i % 3) as f64
            }
        })
        .collect();
    let h = 0.6;
    let params = KdeParams::new(h).weights(weights.clone());
    let kde = params.clone().fit(&data).unwrap();
    let kde32 = params.precision(Precision::F32).fit(&data).unwrap();
    let got = kde.log_density(&queries).unwrap();
    let got32 = kde32.log_density(&queries).unwrap();
    let general = kde.diagnose(&queries, 1).unwrap();
    let q = scalar_quad(h);
    for i in 0..queries.nrows() {
        let want = reference(
            &data,
            &rows(&queries, i),
            Kernel::Gaussian,
            &q,
            d as f64 * f64::ln(h),
            Some(&weights),
            None,
        );
        assert!(close(got[i], want), "q={i}: {} vs {want}", got[i]);
        assert!(
            (got32[i] - want).abs() < 1e-4,
            "f32 q={i}: {} vs {want}",
            got32[i]
        );
        let g = general[i].ln_density;
        assert!(
            (got[i] - g).abs() < 1e-11,
            "q={i}: {} vs general {g}",
            got[i]
        );
    }
}

#[test]
fn errors_are_typed() {
    let data = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, f64::NAN, 0.0]);
    assert_eq!(
        Kde::new(&data, 1.0).unwrap_err(),
        KdeError::NonFiniteData { row: 1, col: 0 }
    );
    let data = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 2.0, 0.0]);
    assert_eq!(
        Kde::new(&DMatrix::zeros(0, 2), 1.0).unwrap_err(),
        KdeError::EmptyData
    );
    assert_eq!(
        Kde::new(&DMatrix::zeros(2, 0), 1.0).unwrap_err(),
        KdeError::ZeroDimension
    );
    let kde = Kde::new(&data, 1.0).unwrap();
    assert_eq!(
        kde.log_density(&DMatrix::zeros(1, 3)).unwrap_err(),
        KdeError::DimensionMismatch {
            expected: 2,
            found: 3
        }
    );
    let q = DMatrix::from_row_slice(1, 2, &[0.0, f64::INFINITY]);
    assert_eq!(
        kde.log_density(&q).unwrap_err(),
        KdeError::NonFiniteQuery { row: 0, col: 1 }
    );
    assert_eq!(
        KdeParams::new(1.0)
            .weights(vec![1.0])
            .fit(&data)
            .unwrap_err(),
        KdeError::WeightsLength {
            expected: 2,
            found: 1
        }
    );
    assert_eq!(
        KdeParams::new(1.0)
            .weights(vec![1.0, -1.0])
            .fit(&data)
            .unwrap_err(),
        KdeError::BadWeight { index: 1 }
    );
    assert_eq!(
        KdeParams::new(1.0)
            .weights(vec![0.0, 0.0])
            .fit(&data)
            .unwrap_err(),
        KdeError::ZeroTotalWeight
    );
    let one = Kde::new(&DMatrix::zeros(1, 2), 1.0).unwrap();
    assert_eq!(
        one.log_density_loo().unwrap_err(),
        KdeError::TooFewPointsForLoo
    );
    assert_eq!(kde.diagnose_loo(0).unwrap_err(), KdeError::ZeroTopK);
    assert_eq!(
        KdeParams::new(1.0).fit_rows(vec![1.0; 5], 2).unwrap_err(),
        KdeError::RaggedBuffer { len: 5, dim: 2 }
    );
}

#[test]
fn points_round_trip_through_whitening() {
    let data = gaussian(10, 3, 5.0, 51);
    let h = DMatrix::from_row_slice(3, 3, &[2.0, 0.3, 0.1, 0.3, 1.0, 0.2, 0.1, 0.2, 0.5]);
    let kde = Kde::new(&data, Bandwidth::Matrix(h)).unwrap();
    for i in 0..10 {
        let p = kde.point(i).unwrap();
        for j in 0..3 {
            assert!((p[j] - data[(i, j)]).abs() < 1e-12);
        }
    }
    assert!(kde.point(10).is_none());
}
