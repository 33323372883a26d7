//! Shared helpers of the statistical tests: Kolmogorov-Smirnov statistics, sample moments,
//! Mahalanobis norms, projections, quadrature.

use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// The Kolmogorov-Smirnov statistic `sup |F_n - F|` of a sample against a continuous CDF
/// (sorts `x`).
pub(crate) fn ks_statistic(x: &mut [f64], cdf: impl Fn(f64) -> f64) -> f64 {
    x.sort_by(f64::total_cmp);
    let n = x.len() as f64;
    x.iter().enumerate().fold(0.0f64, |ks, (i, &t)| {
        let f = cdf(t);
        ks.max(f - i as f64 / n).max((i + 1) as f64 / n - f)
    })
}

/// The asymptotic 0.1% critical value of the KS statistic for `n` draws: `1.95 / sqrt(n)`
/// (Kolmogorov's limit law: `P(sqrt(n) D_n > 1.9495) = 0.001`; for `n >= 1000` the finite-n
/// correction is below 1%).
pub(crate) fn ks_critical_001(n: usize) -> f64 {
    1.95 / (n as f64).sqrt()
}

/// Sample mean and covariance (divisor `n - 1`) of a row-major sample of dimension `d`.
pub(crate) fn mean_cov(x: &[f64], d: usize) -> (Vec<f64>, DMatrix<f64>) {
    let n = x.len() / d;
    let mut mean = vec![0.0; d];
    for row in x.chunks_exact(d) {
        mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let mut cov = DMatrix::zeros(d, d);
    for row in x.chunks_exact(d) {
        for i in 0..d {
            for j in 0..d {
                cov[(i, j)] += (row[i] - mean[i]) * (row[j] - mean[j]);
            }
        }
    }
    cov /= (n - 1) as f64;
    (mean, cov)
}

/// Assert that the sample mean and covariance of `x` are within `k` standard errors of the
/// exact `mean` and `cov`. The mean's SE is `sqrt(Sigma_ii / n)`; the covariance SE is the
/// sample standard deviation of `(x_i - m_i)(x_j - m_j)` over `sqrt(n)`, valid for any law
/// with finite fourth moments.
pub(crate) fn check_moments(name: &str, x: &[f64], mean: &[f64], cov: &DMatrix<f64>, k: f64) {
    let d = mean.len();
    let n = (x.len() / d) as f64;
    let (m, c) = mean_cov(x, d);
    for i in 0..d {
        let se = (cov[(i, i)] / n).sqrt();
        assert!(
            (m[i] - mean[i]).abs() < k * se,
            "{name}: mean[{i}] = {} vs {} (se {se})",
            m[i],
            mean[i]
        );
    }
    for i in 0..d {
        for j in 0..=i {
            let (mut s1, mut s2) = (0.0, 0.0);
            for row in x.chunks_exact(d) {
                let p = (row[i] - m[i]) * (row[j] - m[j]);
                s1 += p;
                s2 += p * p;
            }
            let var = (s2 / n - (s1 / n).powi(2)).max(0.0);
            let se = (var / n).sqrt();
            assert!(
                (c[(i, j)] - cov[(i, j)]).abs() < k * se,
                "{name}: cov[{i},{j}] = {} vs {} (se {se})",
                c[(i, j)],
                cov[(i, j)]
            );
        }
    }
}

/// `(x - mu)^T Sigma^-1 (x - mu)` for every row of `x`, by a Cholesky solve.
pub(crate) fn mahalanobis_sq(x: &[f64], mean: &[f64], cov: &DMatrix<f64>) -> Vec<f64> {
    let d = mean.len();
    let chol = cov.clone().cholesky().unwrap();
    x.chunks_exact(d)
        .map(|row| {
            let v = DVector::from_iterator(d, row.iter().zip(mean).map(|(a, b)| a - b));
            let w = chol.solve(&v);
            v.dot(&w)
        })
        .collect()
}

/// A unit vector drawn from `seed` (normalised standard normals).
pub(crate) fn random_unit(d: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let v: Vec<f64> = (0..d).map(|_| rng.sample(StandardNormal)).collect();
    let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    v.iter().map(|x| x / n).collect()
}

/// `a^T x` for every row of `x`.
pub(crate) fn project(x: &[f64], a: &[f64]) -> Vec<f64> {
    x.chunks_exact(a.len())
        .map(|row| row.iter().zip(a).map(|(u, v)| u * v).sum())
        .collect()
}

/// `int_a^b f` by tanh-sinh quadrature (step 1/32 on `t` in `[-4, 4]`): error far below
/// `1e-8` for the bounded integrands of the tests, including algebraic endpoint behaviour.
pub(crate) fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let half_pi = std::f64::consts::FRAC_PI_2;
    let step = 1.0 / 32.0;
    let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
    let mut sum = 0.0;
    for i in -128i32..=128 {
        let t = i as f64 * step;
        let u = half_pi * t.sinh();
        let x = u.tanh();
        let w = half_pi * t.cosh() / u.cosh().powi(2);
        let p = c + h * x;
        if p > a && p < b {
            sum += w * f(p);
        }
    }
    sum * h * step
}
