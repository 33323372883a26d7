//! Fluctuations of `rho_hat(x)` across data sets at fixed test points: heavy right skew in
//! the stable regime, approximately Gaussian in the CLT regime.
//!
//! For a fixed `x` the terms `w_i` are i.i.d. with exact moments
//! `E[w^k] = exp(d Lambda_q(-k b))`, so `E Z = n E w`, `Var Z = n Var w` and the skewness
//! `gamma = kappa_3(w) / (sqrt(n) kappa_2(w)^(3/2))` of `Z = n rho_hat(x) (2 pi h^2)^(d/2)` are
//! known exactly at finite `n`; `u = (Z - E Z) / sd(Z)` has mean 0, variance 1 and third
//! moment `gamma`, whatever the regime.

use hdkde_estimator::Kde;
use hdkde_theory::regimes::GaussianModel;
use hdkde_theory::stable::{Parameterization, Stable};

use crate::support::{gaussian, ln_moment, scaled_norms, seed_of, size, stream, Observations};

const SQRT_2PI: f64 = 2.506_628_274_631_000_7;
/// The 95% point of the standard normal law.
const Z95: f64 = 1.644_853_626_951_472_7;

/// `(q95 - q50) / (q50 - q05)`: 1 for a symmetric law, above 1 for a right-skewed one.
fn tail_ratio(q05: f64, q50: f64, q95: f64) -> f64 {
    (q95 - q50) / (q50 - q05)
}

/// The tail ratio of the totally skewed stable law of index `mu` (scale- and
/// location-free), and its probability of falling below its mean (S1 location).
fn stable_law(mu: f64) -> (f64, f64) {
    let law = Stable::new(mu, 1.0, 1.0, 0.0, Parameterization::S1).expect("1 < mu < 2");
    let q = |p: f64| law.quantile(p).expect("p in (0, 1)");
    (tail_ratio(q(0.05), q(0.5), q(0.95)), law.cdf(0.0))
}

/// Exact `(ln E Z, sd(Z) / E Z, gamma)` for the test point `q = |x|^2/d`.
fn exact_moments(n: usize, d: usize, b: f64, q: f64) -> (f64, f64, f64) {
    let m: Vec<f64> = (1..=3)
        .map(|k| ln_moment(k as f64, b, q, d).exp())
        .collect();
    let nf = n as f64;
    let var_w = m[1] - m[0] * m[0];
    let k3_w = m[2] - 3.0 * m[1] * m[0] + 2.0 * m[0] * m[0] * m[0];
    let cv = (nf * var_w).sqrt() / (nf * m[0]);
    (
        nf.ln() + ln_moment(1.0, b, q, d),
        cv,
        k3_w / (nf.sqrt() * var_w.powf(1.5)),
    )
}

/// Quantile of a sorted slice (linear interpolation).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let f = pos - i as f64;
    if i + 1 < sorted.len() {
        sorted[i] * (1.0 - f) + sorted[i + 1] * f
    } else {
        sorted[i]
    }
}

/// One bandwidth's measurements over the data sets.
struct Fluctuations {
    /// Fraction of data sets with `Z < E Z`.
    below: crate::support::Estimate,
    /// Means of `u`, `u^2`, `u^3`.
    moments: [crate::support::Estimate; 3],
    /// Mean over test points of the exact skewness `gamma`.
    gamma: f64,
    /// `ln` of the tail ratio of `Z` across data sets (mean and SE over test points).
    ln_tail_ratio: crate::support::Estimate,
    /// Test points' index `mu(x)`.
    mu: Vec<f64>,
}

fn measure(d: usize, ln_n: f64, ratios: &[f64], points: usize, sets: u64) -> Vec<Fluctuations> {
    let model = GaussianModel::isotropic(1.0).expect("sigma = 1 is valid");
    let (n, alpha) = size(ln_n, d);
    let h_g = model.h_g(alpha).expect("valid alpha");
    let seed = seed_of(5, &[d as f64, ln_n]);
    // Typical test points: random directions at the typical norm |x|^2 = d, so that every
    // point has the regime of the typical point (at d = 20, |x|^2/d fluctuates by +-0.32
    // and a far point would condense already at h = 1.2 h_G).
    let mut queries = gaussian(points, d, &mut stream(seed, 0));
    for mut row in queries.row_iter_mut() {
        let norm = row.norm();
        row *= (d as f64).sqrt() / norm;
    }
    let q = scaled_norms(&queries);
    // ln Z per ratio, per test point, per data set.
    let mut ln_z = vec![vec![Vec::with_capacity(sets as usize); points]; ratios.len()];
    for set in 1..=sets {
        let data = gaussian(n, d, &mut stream(seed, set));
        for (j, ratio) in ratios.iter().enumerate() {
            let kde = Kde::new(&data, ratio * h_g).expect("finite data, h > 0");
            for (k, dg) in kde
                .diagnose(&queries, 1)
                .expect("matching dimension")
                .iter()
                .enumerate()
            {
                ln_z[j][k].push(dg.ln_z);
            }
        }
    }
    ratios
        .iter()
        .zip(&ln_z)
        .map(|(ratio, per_point)| {
            let h = ratio * h_g;
            let b = 0.5 / (h * h);
            let mut below = Observations::default();
            let mut moments = [
                Observations::default(),
                Observations::default(),
                Observations::default(),
            ];
            let (mut gamma, mut ln_ratio, mut mus) = (0.0, Observations::default(), Vec::new());
            for (k, values) in per_point.iter().enumerate() {
                let (ln_mean, cv, g) = exact_moments(n, d, b, q[k]);
                gamma += g;
                let point = model
                    .query_squared_norm(q[k] * d as f64, d)
                    .expect("finite query");
                mus.push(point.mu(h, alpha).expect("valid h"));
                let mut relative: Vec<f64> = values.iter().map(|l| (l - ln_mean).exp()).collect();
                for (set, z) in relative.iter().enumerate() {
                    let u = (z - 1.0) / cv;
                    below.push(set, if *z < 1.0 { 1.0 } else { 0.0 }, 0.0);
                    for (p, obs) in moments.iter_mut().enumerate() {
                        obs.push(set, u.powi(p as i32 + 1), 0.0);
                    }
                }
                relative.sort_by(f64::total_cmp);
                let r = tail_ratio(
                    quantile(&relative, 0.05),
                    quantile(&relative, 0.5),
                    quantile(&relative, 0.95),
                );
                ln_ratio.push(0, r.ln(), 0.0);
            }
            let count = per_point.len() as f64;
            Fluctuations {
                below: below.mean(),
                moments: [moments[0].mean(), moments[1].mean(), moments[2].mean()],
                gamma: gamma / count,
                ln_tail_ratio: ln_ratio.mean(),
                mu: mus,
            }
        })
        .collect()
}

#[test]
fn stable_regime_is_right_skewed_and_clt_regime_is_gaussian() {
    // d = 20, n = 2981 (alpha = 0.4), 16 fixed typical test points, 600 data sets; h = 1.2 h_G
    // (mu ~ 1.5, stable) and h = 2.5 h_G (mu ~ 6, CLT). The 16 points share each data set,
    // so the SE of every pooled mean is computed from the 600 per-data-set averages.
    let (d, ln_n) = (20usize, 8.0);
    let res = measure(d, ln_n, &[1.2, 2.5], 16, 600);
    let (stable, clt) = (&res[0], &res[1]);

    // Stable regime. The limit law of (Z - E Z) / c_n is totally skewed stable with index
    // mu; in S1 its location is the mean, and P(X < mean) = 1/2 - theta_0/pi with
    // theta_0 = arctan(tan(pi mu/2))/mu = 1/2 - 1/mu (Nolan), i.e. exactly 1/mu.
    let (mut p_stable, mut ln_r_stable) = (0.0, 0.0);
    for &mu in &stable.mu {
        let (r, p) = stable_law(mu);
        // The library's stable law agrees with the closed form (its cdf is accurate to
        // ~1e-12; allowed 1e-8).
        assert!(
            (p - 1.0 / mu).abs() < 1e-8,
            "P(X < mean) = {p} vs 1/mu = {}",
            1.0 / mu
        );
        p_stable += p;
        ln_r_stable += r.ln();
    }
    let count = stable.mu.len() as f64;
    let (p_stable, ln_r_stable) = (p_stable / count, ln_r_stable / count);
    eprintln!(
        "fluctuations stable: P(Z < EZ) = {:.4} +- {:.4} (stable law {p_stable:.4}, Gaussian \
         0.5); tail ratio (q95-q50)/(q50-q05) = {:.3} (stable law {:.3}, Gaussian 1)",
        stable.below.mean,
        stable.below.se,
        stable.ln_tail_ratio.mean.exp(),
        ln_r_stable.exp()
    );
    // At n = 3000 the law is the stable one truncated near the largest term, and the
    // finite-n corrections are not computed: the data must pick the stable law over the
    // Gaussian one, i.e. lie closer to the stable value than half-way from the Gaussian
    // value (plus the Monte Carlo error).
    stable.below.assert_near(
        p_stable,
        0.5 * (p_stable - 0.5),
        "P(Z < E Z) in the stable regime",
    );
    let ln_r = stable.ln_tail_ratio.mean;
    assert!(
        (ln_r - ln_r_stable).abs() < 0.5 * ln_r_stable,
        "tail ratio {:.3} not closer to the stable {:.3} than to the Gaussian 1",
        ln_r.exp(),
        ln_r_stable.exp()
    );

    // CLT regime: u = (Z - E Z)/sd(Z) with the exact finite-n moments.
    let edgeworth = 0.5 + clt.gamma / (6.0 * SQRT_2PI);
    let cornish_fisher = (1.0 + clt.gamma * Z95 / 6.0) / (1.0 - clt.gamma * Z95 / 6.0);
    eprintln!(
        "fluctuations clt: P(Z < EZ) = {:.4} +- {:.4} (Edgeworth {edgeworth:.4}); E u = {:.4} \
         +- {:.4}, E u^2 = {:.4} +- {:.4}, E u^3 = {:.4} +- {:.4} (exact {:.4}); tail ratio \
         {:.3} +- {:.3} (Cornish-Fisher {cornish_fisher:.3})",
        clt.below.mean,
        clt.below.se,
        clt.moments[0].mean,
        clt.moments[0].se,
        clt.moments[1].mean,
        clt.moments[1].se,
        clt.moments[2].mean,
        clt.moments[2].se,
        clt.gamma,
        clt.ln_tail_ratio.mean.exp(),
        clt.ln_tail_ratio.se * clt.ln_tail_ratio.mean.exp()
    );
    // The first three moments of u are exact (0, 1, gamma): Monte Carlo error only. With
    // mu ~ 6 the moments of w up to the sixth are carried by typical distances, so the
    // sample moments up to u^3 have honest standard errors.
    clt.moments[0].assert_near(0.0, 0.0, "E u (exact mean of rho_hat)");
    clt.moments[1].assert_near(1.0, 0.0, "E u^2 (exact variance)");
    clt.moments[2].assert_near(clt.gamma, 0.0, "E u^3 (exact skewness)");
    // Edgeworth: P(u < 0) = 1/2 + gamma/(6 sqrt(2 pi)); the order-1/n terms vanish at 0
    // (He_3(0) = He_5(0) = 0), the next ones are O(gamma^3, gamma kappa_4) < 0.005.
    clt.below
        .assert_near(edgeworth, 5e-3, "P(Z < E Z) in the CLT regime");
    // Cornish-Fisher: (q95 - q50)/(q50 - q05) = (1 + gamma z/6)/(1 - gamma z/6) to first
    // order; second-order terms (kappa_4, gamma^2) cancel in the ratio up to O(gamma^3).
    // The 16 per-point log ratios (600 data sets each) give the SE; allowed 0.02 more for
    // the O(1/N) bias of sample quantiles.
    clt.ln_tail_ratio
        .assert_near(cornish_fisher.ln(), 0.02, "tail ratio in the CLT regime");
    // And the two regimes are far apart.
    assert!(stable.ln_tail_ratio.mean > clt.ln_tail_ratio.mean + 0.5);
}
