//! Draws from a fitted estimate have its mean and covariance.
//!
//! For a KDE with weights `p_i`, points `y_i` and bandwidth matrix `H`, the Gaussian-kernel
//! mixture has mean `sum p_i y_i` and covariance `sum p_i (y_i - m)(y_i - m)^T + H`. With 40,000
//! draws the standard error of each mean entry is `sqrt(Var / 40,000)` and of each covariance
//! entry about `sqrt((Var_ii Var_jj + Var_ij^2) / 40,000)` (Gaussian fourth moments, a fair
//! approximation for this mixture); we allow 5 standard errors.

use hdkde_estimator::{Bandwidth, KdeParams};
use nalgebra::DMatrix;

#[test]
fn sample_mean_and_covariance_match_the_mixture() {
    let data = DMatrix::from_row_slice(3, 2, &[0.0, 0.0, 2.0, 1.0, -1.0, 3.0]);
    let w = vec![1.0, 2.0, 1.0];
    let h = DMatrix::from_row_slice(2, 2, &[0.5, 0.2, 0.2, 0.3]);
    let kde = KdeParams::new(Bandwidth::Matrix(h.clone()))
        .weights(w.clone())
        .fit(&data)
        .unwrap();
    let n = 40_000;
    let x = kde.sample(n, 7).unwrap();
    let p: Vec<f64> = w.iter().map(|v| v / 4.0).collect();
    let mean: Vec<f64> = (0..2)
        .map(|j| (0..3).map(|i| p[i] * data[(i, j)]).sum())
        .collect();
    let mut cov = h.clone();
    for i in 0..3 {
        for a in 0..2 {
            for b in 0..2 {
                cov[(a, b)] += p[i] * (data[(i, a)] - mean[a]) * (data[(i, b)] - mean[b]);
            }
        }
    }
    let xm: Vec<f64> = (0..2).map(|j| x.column(j).mean()).collect();
    for j in 0..2 {
        let se = (cov[(j, j)] / n as f64).sqrt();
        assert!(
            (xm[j] - mean[j]).abs() < 5.0 * se,
            "mean {j}: {} vs {}",
            xm[j],
            mean[j]
        );
    }
    for a in 0..2 {
        for b in 0..2 {
            let c: f64 = (0..n)
                .map(|i| (x[(i, a)] - xm[a]) * (x[(i, b)] - xm[b]))
                .sum::<f64>()
                / (n - 1) as f64;
            let se = ((cov[(a, a)] * cov[(b, b)] + cov[(a, b)].powi(2)) / n as f64).sqrt();
            assert!(
                (c - cov[(a, b)]).abs() < 5.0 * se,
                "cov {a}{b}: {c} vs {}",
                cov[(a, b)]
            );
        }
    }
    // Same seed, same draws.
    assert_eq!(kde.sample(10, 7).unwrap(), x.rows(0, 10).into_owned());
}
