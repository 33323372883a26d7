//! The mean minimum scaled distance `E[min_i |x - y_i|^2 / d]` against its finite-`d`
//! predictions.
//!
//! The minimum is read from the estimator: its top contributor is the nearest point, and in
//! whitened units the top term is `ln w_top = ln Z + ln(max weight) = -d r_1 / (2 h^2)`, `r_1`
//! the smallest scaled distance.
//! Both routes (recomputing the distance to `top[0]`, and `-2 h^2 (ln Z + ln max_weight)/d`)
//! are checked against each other, and for a few test points against a brute-force minimum.

use hdkde_estimator::Kde;
use hdkde_theory::regimes::GaussianModel;

use crate::support::{gaussian, scaled_norms, seed_of, size, stream, Observations};

/// Measured mean minimum distance (with the control variate `q = |x|^2/d`) for `sets` data
/// sets of `n = round(e^ln_n)` points in dimension `d`, `per_set` test points each; returns
/// the measurement and `alpha`.
fn measure(d: usize, ln_n: f64, sets: u64, per_set: usize) -> (crate::support::Estimate, f64) {
    let model = GaussianModel::isotropic(1.0).expect("sigma = 1 is valid");
    let (n, alpha) = size(ln_n, d);
    // Any bandwidth ranks the points by distance; h_G keeps ln Z moderate.
    let h = model.h_g(alpha).expect("valid alpha");
    let seed = seed_of(1, &[d as f64, ln_n]);
    let mut obs = Observations::default();
    for set in 0..sets {
        let mut rng = stream(seed, set);
        let data = gaussian(n, d, &mut rng);
        let queries = gaussian(per_set, d, &mut rng);
        let kde = Kde::new(&data, h).expect("finite data, h > 0");
        let diag = kde.diagnose(&queries, 1).expect("matching dimension");
        for (k, (dg, q)) in diag.iter().zip(scaled_norms(&queries)).enumerate() {
            let x = queries.row(k);
            let dist = |i: usize| (data.row(i) - x).norm_squared() / d as f64;
            let direct = dist(dg.top[0].0);
            // ln Z and the largest normalised weight are accurate to ~1e-10 absolute in
            // the log, i.e. ~1e-10 h^2 / d relative to r ~ 0.5..1.
            let from_terms = -2.0 * h * h * (dg.ln_z + dg.max_weight.ln()) / d as f64;
            assert!(
                (direct - from_terms).abs() <= 1e-8 * direct,
                "{direct} vs {from_terms}"
            );
            if k < 3 {
                let brute = (0..n).map(dist).fold(f64::INFINITY, f64::min);
                assert_eq!(brute, direct, "top[0] is not the nearest point");
            }
            obs.push(set as usize, direct, q);
        }
    }
    (obs.mean_with_control(1.0), alpha)
}

/// Checks one `(d, ln n)` point; `spec_formula_tol` is the allowed relative error of the
/// Bahadur-Rao plus Gumbel formula.
fn check(d: usize, ln_n: f64, sets: u64, per_set: usize, spec_formula_tol: f64) {
    let model = GaussianModel::isotropic(1.0).expect("sigma = 1 is valid");
    let (sim, alpha) = measure(d, ln_n, sets, per_set);
    let saddle = model
        .expected_min_r_saddlepoint(alpha, d)
        .expect("alpha d <= 600");
    let gumbel = model.expected_min_r(alpha, d).expect("valid alpha, d");
    let leading = model.r_min(alpha).expect("valid alpha");
    eprintln!(
        "min r d={d} n={:.0} alpha={alpha:.4}: measured {:.5} +- {:.5}; saddle-point {saddle:.5} \
         ({:+.2}%), Bahadur-Rao+Gumbel {gumbel:.5} ({:+.2}%), leading order {leading:.5}",
        ln_n.exp(),
        sim.mean,
        sim.se,
        100.0 * (sim.mean / saddle - 1.0),
        100.0 * (sim.mean / gumbel - 1.0)
    );
    // Saddle-point integral E[min r] = int (1 - F(r))^n dr: its only approximation is the
    // second-order (Daniels) density of r, relative error O(d^-2), which moves the minimum
    // by far less than 0.1%; the average over the test point is an exact Gauss rule for the
    // chi-square law of |x|^2. Allowed: Monte Carlo error plus 0.2%.
    sim.assert_near(saddle, 2e-3 * saddle, "E min r vs saddle-point prediction");
    // Spec formula (Bahadur-Rao tail + Gumbel mean, averaged over x): it neglects the
    // curvature of I over the Gumbel window and the r-dependence of the prefactor, relative
    // size O(1/(d b_G)) -- the gap between the two predictions, 2.4% at d = 20, 1.1% at
    // d = 40, 0.6% at d = 60..80. The 2% holds from d = 40 on.
    let rel = (sim.mean / gumbel - 1.0).abs();
    assert!(
        rel <= spec_formula_tol,
        "E min r vs Bahadur-Rao + Gumbel: {:.2}% > {:.1}%",
        100.0 * rel,
        100.0 * spec_formula_tol
    );
    // The finite-d correction is real: the leading-order r_min is well below.
    assert!(sim.mean > leading * 1.05);
}

#[test]
fn mean_min_distance_matches_finite_d_prediction() {
    // 8 data sets x 100 test points per (d, n). With the control variate the per-point
    // spread of min r drops from ~0.13 to 0.05-0.07: SE 0.2-0.5%.
    // At d = 20 the spec formula is 2.4% low (the gap between the two predictions):
    // allowed 3.5% there.
    check(20, 9.0, 8, 100, 0.035);
    check(40, 10.0, 8, 100, 0.02);
    check(60, 10.8, 8, 100, 0.02);
    check(80, 10.0, 8, 100, 0.02);
}

#[test]
#[ignore = "long sweep (about a minute on 2 cores), run by xtask"]
fn mean_min_distance_sweep() {
    for d in [20usize, 30, 50, 70, 100] {
        for ln_n in [8.0, 9.5, 10.8] {
            let tol = if d < 40 { 0.035 } else { 0.02 };
            check(d, ln_n, 16, 100, tol);
        }
    }
}
