//! Gaussian quadrature rules by the Golub-Welsch method.
//!
//! The nodes of the `m`-point rule of a measure are the eigenvalues of its symmetric
//! tridiagonal Jacobi matrix (the three-term recurrence of its orthogonal polynomials) and
//! the weights are the squared first components of the normalised eigenvectors times the
//! total mass (Golub and Welsch, Math. Comp. 23, 1969).

use nalgebra::{DMatrix, SymmetricEigen};

/// Nodes and weights (ascending nodes) of a Jacobi matrix with diagonal `diag`, off-diagonal
/// `off` (length `m - 1`) and total mass `mass`.
fn golub_welsch(diag: &[f64], off: &[f64], mass: f64) -> Vec<(f64, f64)> {
    let m = diag.len();
    let mut jacobi = DMatrix::<f64>::zeros(m, m);
    for i in 0..m {
        jacobi[(i, i)] = diag[i];
    }
    for (i, &o) in off.iter().enumerate() {
        jacobi[(i, i + 1)] = o;
        jacobi[(i + 1, i)] = o;
    }
    let eig = SymmetricEigen::new(jacobi);
    let mut rule: Vec<(f64, f64)> = (0..m)
        .map(|k| {
            let v0 = eig.eigenvectors[(0, k)];
            (eig.eigenvalues[k], mass * v0 * v0)
        })
        .collect();
    rule.sort_by(|a, b| a.0.total_cmp(&b.0));
    rule
}

/// `m`-point Gauss-Legendre rule on `[-1, 1]` (weights sum to 2).
pub(crate) fn gauss_legendre(m: usize) -> Vec<(f64, f64)> {
    let diag = vec![0.0; m];
    let off: Vec<f64> = (1..m)
        .map(|k| {
            let k = k as f64;
            k / (4.0 * k * k - 1.0).sqrt()
        })
        .collect();
    golub_welsch(&diag, &off, 2.0)
}

/// `m`-point rule for the Gamma(`shape`, 1) probability law (generalized Gauss-Laguerre with
/// weight `z^(shape - 1) e^(-z)`, normalised to total mass 1). Needs `shape > 0`.
///
/// A chi-square variable with `k` degrees of freedom is `2 z` with `shape = k / 2`.
pub(crate) fn gamma_rule(m: usize, shape: f64) -> Vec<(f64, f64)> {
    let a = shape - 1.0;
    let diag: Vec<f64> = (0..m).map(|k| 2.0 * k as f64 + a + 1.0).collect();
    let off: Vec<f64> = (1..m)
        .map(|k| {
            let k = k as f64;
            (k * (k + a)).sqrt()
        })
        .collect();
    golub_welsch(&diag, &off, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legendre_integrates_polynomials_exactly() {
        let rule = gauss_legendre(8);
        // Exact for degree <= 15: int_{-1}^{1} x^14 dx = 2/15.
        let s: f64 = rule.iter().map(|&(x, w)| w * x.powi(14)).sum();
        assert!((s - 2.0 / 15.0).abs() < 1e-14);
        let total: f64 = rule.iter().map(|&(_, w)| w).sum();
        assert!((total - 2.0).abs() < 1e-14);
    }

    #[test]
    fn gamma_rule_reproduces_moments() {
        // Gamma(k) moments: E z^j = k (k+1) ... (k+j-1); exact for j <= 2m - 1.
        for shape in [0.5, 10.0, 250.0] {
            let rule = gamma_rule(12, shape);
            for j in 0..=6 {
                let exact: f64 = (0..j).map(|i| shape + i as f64).product();
                let s: f64 = rule.iter().map(|&(z, w)| w * z.powi(j)).sum();
                // Rounding in the eigenvectors: ~1e-13 relative at these sizes.
                assert!((s - exact).abs() < 1e-12 * exact, "shape {shape} j {j}");
            }
        }
    }
}
