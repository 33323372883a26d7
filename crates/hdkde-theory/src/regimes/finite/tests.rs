//! Tests of the finite-dimension predictions, against direct Monte Carlo.

use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// Mean and standard error of a sample.
fn mean_se(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// Direct simulation: `sets` data sets of `n` points of `N(0, diag(scale^2))`, `points` test
/// points each. Per data set, the means over its test points of
/// `(min r, (1/d) ln rho_hat(x) at h, Y2 at h)`.
fn simulate(
    scale: &[f64],
    n: usize,
    h: f64,
    sets: usize,
    points: usize,
    seed: u64,
) -> [Vec<f64>; 3] {
    let d = scale.len();
    let df = d as f64;
    let b = 0.5 / (h * h);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = [Vec::new(), Vec::new(), Vec::new()];
    let mut data = vec![0.0; n * d];
    let mut r = vec![0.0; n];
    for _ in 0..sets {
        for (k, v) in data.iter_mut().enumerate() {
            *v = scale[k % d] * rng.sample::<f64, _>(StandardNormal);
        }
        let mut acc = [0.0; 3];
        for _ in 0..points {
            let x: Vec<f64> = scale
                .iter()
                .map(|s| s * rng.sample::<f64, _>(StandardNormal))
                .collect();
            for (i, ri) in r.iter_mut().enumerate() {
                let y = &data[i * d..(i + 1) * d];
                *ri = x.iter().zip(y).map(|(a, c)| (a - c) * (a - c)).sum::<f64>() / df;
            }
            let min = r.iter().copied().fold(f64::INFINITY, f64::min);
            let (mut z, mut z2) = (0.0, 0.0);
            for &ri in &r {
                let w = (-df * b * (ri - min)).exp();
                z += w;
                z2 += w * w;
            }
            let ln_z = z.ln() - df * b * min;
            let ln_density = -(n as f64).ln() / df
                - 0.5 * (2.0 * core::f64::consts::PI * h * h).ln()
                + ln_z / df;
            acc[0] += min;
            acc[1] += ln_density;
            acc[2] += z2 / (z * z);
        }
        for k in 0..3 {
            out[k].push(acc[k] / points as f64);
        }
    }
    out
}

#[test]
fn spec_quoted_minimum_distance() {
    // Spec: 0.765 at d = 40, alpha = 0.25 for the typical point (three digits shown).
    let m = GaussianModel::isotropic(1.0).unwrap();
    let typical = m.expected_min_r_typical(0.25, 40).unwrap();
    assert!((typical - 0.765).abs() < 5e-4, "{typical}");
    // Averaging over |x|^2 raises it. The spec quotes 0.767 for its simulation and 0.4%
    // agreement; allow 1% (0.4% plus that simulation's own uncertainty).
    let averaged = m.expected_min_r(0.25, 40).unwrap();
    assert!(
        averaged > typical && (averaged / 0.767 - 1.0).abs() < 0.01,
        "{averaged}"
    );
    // Our own simulation (120 data sets of n = 22026 x 20 test points, seed 77, the
    // `simulate` helper below) gives 0.7790 +- 0.0025: the Bahadur-Rao + Gumbel value is
    // 1.4% low, the saddle-point integral agrees within 3 standard errors + 0.3%.
    let sp = m.expected_min_r_saddlepoint(0.25, 40).unwrap();
    assert!((sp - 0.7790).abs() < 3.0 * 0.0025 + 0.003 * 0.779, "{sp}");
}

#[test]
fn quadrature_over_the_test_point_is_converged() {
    // 12 and 24 nodes agree: the integrand is smooth in |x|^2 on the scale of its spread.
    let m = GaussianModel::isotropic(1.0).unwrap();
    let b_g = m.b_g(0.3).unwrap();
    let f = |c: &Coords| Ok([min_r_of(c, 0.3, 20.0)?]);
    let [a] = average_over_point(m.typical(), 20.0, b_g, 12, f).unwrap();
    let [b] = average_over_point(m.typical(), 20.0, b_g, 24, f).unwrap();
    assert!((a - b).abs() < 1e-10, "{a} vs {b}");
}

#[test]
fn minimum_distance_tends_to_r_min() {
    // Isotropic: the correction is [ln(b sqrt(2 pi d Lambda'')) - gamma] / (d b) = O(ln d / d).
    let m = GaussianModel::isotropic(1.3).unwrap();
    let r_min = m.r_min(0.4).unwrap();
    let mut last = f64::INFINITY;
    for d in [100usize, 1_000, 10_000, 100_000] {
        let gap = (m.expected_min_r(0.4, d).unwrap() - r_min).abs();
        assert!(gap < last, "d = {d}");
        assert!(gap < 2.0 * (d as f64).ln() / d as f64, "d = {d}: gap {gap}");
        last = gap;
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    #[test]
    fn spectral_minimum_distance_tends_to_r_min(
        spectrum in proptest::collection::vec(0.1f64..10.0, 1..6),
        alpha in 0.05f64..1.0,
    ) {
        // Replicating the spectrum k times keeps every leading-order quantity and raises d.
        let r_min = GaussianModel::from_spectrum(spectrum.clone()).unwrap().r_min(alpha).unwrap();
        let mut last = f64::INFINITY;
        for k in [200usize, 2_000, 20_000] {
            let big: Vec<f64> = spectrum.iter().copied().cycle().take(k * spectrum.len()).collect();
            let m = GaussianModel::from_spectrum(big).unwrap();
            let d = k * spectrum.len();
            let gap = (m.expected_min_r(alpha, d).unwrap() - r_min).abs();
            proptest::prop_assert!(gap < last);
            last = gap;
        }
        proptest::prop_assert!(last < 0.01 * r_min.max(0.1));
    }
}

#[test]
fn minimum_distance_and_kde_against_monte_carlo() {
    // Isotropic sigma = 1, n = e^9 or e^10 at d = 20, 30, 40; 20 data sets x 20 test points.
    // Standard errors come from the 20 per-data-set means (test points of one data set are
    // correlated through it). Tolerances: 4 standard errors plus the neglected terms:
    // * saddle-point integral: relative error O(1/d^2) of the density, < 0.3% of min r;
    // * Bahadur-Rao + Gumbel: its O((ln d / d)^2) terms, measured at the typical point
    //   (against the integral, which matches simulation) at 2.4% for d = 20, 1% for d = 40;
    // * ln rho_hat and Y2: exact for i.i.d. data up to the saddle-point density.
    let m = GaussianModel::isotropic(1.0).unwrap();
    for (d, n, seed) in [(20usize, 8103usize, 1u64), (30, 8103, 2), (40, 22026, 3)] {
        let alpha = (n as f64).ln() / d as f64;
        let h = 0.9 * m.h_g(alpha).unwrap();
        let [mins, lns, y2s] = simulate(&vec![1.0; d], n, h, 20, 20, seed);
        let (mc_min, se_min) = mean_se(&mins);
        let sp = m.expected_min_r_saddlepoint(alpha, d).unwrap();
        assert!(
            (sp - mc_min).abs() < 4.0 * se_min + 0.003 * mc_min,
            "d {d}: {sp} vs {mc_min} +- {se_min}"
        );
        let br = m.expected_min_r(alpha, d).unwrap();
        assert!(
            (br - mc_min).abs() < 4.0 * se_min + 0.03 * mc_min,
            "d {d}: {br} vs {mc_min}"
        );
        let p = m.finite(h, alpha, d).unwrap();
        let (mc_ln, se_ln) = mean_se(&lns);
        assert!(
            (p.ln_density - mc_ln).abs() < 4.0 * se_ln + 1e-3,
            "d {d}: {} vs {mc_ln} +- {se_ln}",
            p.ln_density
        );
        let (mc_y2, se_y2) = mean_se(&y2s);
        assert!(
            (p.y2 - mc_y2).abs() < 4.0 * se_y2 + 0.01,
            "d {d}: {} vs {mc_y2} +- {se_y2}",
            p.y2
        );
    }
}

#[test]
fn effective_dimension_average_matches_sampled_test_points() {
    // Two-level spectrum (d = 40): the deterministic average over the test point (the
    // effective-dimension family) against the mean of the exact per-point predictions over
    // 400 sampled test points. The difference is the approximation (second-order terms
    // orthogonal to the family); the sampling error is the standard error of the mean.
    let mut spectrum = vec![2.0; 20];
    spectrum.extend(vec![0.5; 20]);
    let m = GaussianModel::from_spectrum(spectrum.clone()).unwrap();
    let alpha = 0.25;
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut per_point = Vec::new();
    for _ in 0..400 {
        let sq: Vec<f64> = spectrum
            .iter()
            .map(|l| l * rng.sample::<f64, _>(StandardNormal).powi(2))
            .collect();
        per_point.push(
            m.query_squared_coordinates(&sq)
                .unwrap()
                .expected_min_r(alpha)
                .unwrap(),
        );
    }
    let (mean, se) = mean_se(&per_point);
    let model = m.expected_min_r(alpha, 40).unwrap();
    assert!(
        (model - mean).abs() < 4.0 * se + 1e-3,
        "{model} vs {mean} +- {se}"
    );
}

#[test]
fn finite_predictions_tend_to_leading_order() {
    // ell_finite - ell = O(ln d / d); at d = 400 the gap is a few 1e-3.
    let m = GaussianModel::isotropic(1.0).unwrap();
    let alpha = 0.25;
    for factor in [0.8, 1.3] {
        let h = factor * m.h_g(alpha).unwrap();
        let gap_100 = (m.ell_finite(h, alpha, 100).unwrap() - m.ell(h, alpha).unwrap()).abs();
        let gap_400 = (m.ell_finite(h, alpha, 400).unwrap() - m.ell(h, alpha).unwrap()).abs();
        assert!(
            gap_400 < gap_100 && gap_400 < 2.0 * 400f64.ln() / 400.0,
            "{gap_100} {gap_400}"
        );
    }
}

#[test]
fn finite_kl_optimum() {
    // At d = 40 the finite-d optimum is a maximum of ell_finite (hence a minimum of the KL
    // curve), and it lies above the leading-order h_KL (finite-d minimum distances are larger).
    let m = GaussianModel::isotropic(1.0).unwrap();
    let (alpha, d) = (0.25, 40);
    let h = m.h_kl_finite(alpha, d).unwrap();
    let best = m.kl_finite(h, alpha, d).unwrap();
    for f in [0.97, 1.03] {
        assert!(m.kl_finite(f * h, alpha, d).unwrap() > best);
    }
    assert!(h > m.h_kl(alpha).unwrap());
}

#[test]
fn finite_errors() {
    let spec = GaussianModel::from_spectrum(vec![1.0; 10]).unwrap();
    assert_eq!(
        spec.expected_min_r(0.2, 11),
        Err(Error::DimensionMismatch {
            expected: 10,
            found: 11
        })
    );
    let iso = GaussianModel::isotropic(1.0).unwrap();
    assert_eq!(iso.expected_min_r(0.2, 0), Err(Error::ZeroDimension));
    assert_eq!(iso.finite(1.0, 10.0, 100), Err(Error::OutOfRange));
    assert_eq!(iso.finite(0.0, 0.2, 10), Err(Error::InvalidBandwidth));
}
