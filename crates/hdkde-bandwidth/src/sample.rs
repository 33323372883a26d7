//! Checked data and its weighted moments (numpy's `cov(aweights=w)` conventions).

use nalgebra::DMatrix;

use crate::SelectError;

/// Check that `data` has at least two rows, at least one column and only finite values;
/// returns `(n, d)`.
pub(crate) fn check_data(data: &DMatrix<f64>) -> Result<(usize, usize), SelectError> {
    let (n, d) = data.shape();
    if d == 0 {
        return Err(SelectError::ZeroDimension);
    }
    if n < 2 {
        return Err(SelectError::TooFewPoints { n });
    }
    for row in 0..n {
        for col in 0..d {
            if !data[(row, col)].is_finite() {
                return Err(SelectError::NonFiniteData { row, col });
            }
        }
    }
    Ok((n, d))
}

/// Normalise weights to sum one (scaling by the largest first, so that no total overflows).
/// Needs two positive weights.
pub(crate) fn normalised_weights(w: &[f64], n: usize) -> Result<Vec<f64>, SelectError> {
    if w.len() != n {
        return Err(SelectError::WeightsLength {
            expected: n,
            found: w.len(),
        });
    }
    if let Some(index) = w.iter().position(|&v| !(v.is_finite() && v >= 0.0)) {
        return Err(SelectError::BadWeight { index });
    }
    let max = w.iter().copied().fold(0.0, f64::max);
    if max == 0.0 {
        return Err(SelectError::ZeroTotalWeight);
    }
    let positive = w.iter().filter(|&&v| v > 0.0).count();
    if positive < 2 {
        return Err(SelectError::TooFewPoints { n: positive });
    }
    let scaled: Vec<f64> = w.iter().map(|v| v / max).collect();
    let total: f64 = scaled.iter().sum();
    Ok(scaled.into_iter().map(|v| v / total).collect())
}

/// Mean, covariance and effective sample size of a (weighted) data set.
///
/// With normalised weights `p_i` (all `1/n` without weights), exactly as numpy and scipy:
///
/// * `mean = sum_i p_i y_i`;
/// * `cov = sum_i p_i (y_i - mean)(y_i - mean)^T / (1 - sum_i p_i^2)` (numpy's
///   `cov(ddof=1, aweights=p)`; without weights this is the unbiased `1/(n-1)` covariance);
/// * `neff = 1 / sum_i p_i^2` (scipy's `gaussian_kde.neff`; `n` without weights).
#[derive(Debug, Clone)]
pub(crate) struct Moments {
    pub(crate) cov: DMatrix<f64>,
    pub(crate) neff: f64,
    /// Number of points with positive weight (`n` without weights).
    pub(crate) support: usize,
    /// Whether column `j` is constant over the points with positive weight.
    pub(crate) constant: Vec<bool>,
}

impl Moments {
    pub(crate) fn new(data: &DMatrix<f64>, weights: Option<&[f64]>) -> Result<Self, SelectError> {
        let (n, d) = check_data(data)?;
        let p = match weights {
            Some(w) => Some(normalised_weights(w, n)?),
            None => None,
        };
        let weight = |i: usize| p.as_ref().map_or(1.0 / n as f64, |p| p[i]);
        let support = p
            .as_ref()
            .map_or(n, |p| p.iter().filter(|&&v| v > 0.0).count());
        let mut mean = vec![0.0; d];
        for i in 0..n {
            let wi = weight(i);
            for (j, m) in mean.iter_mut().enumerate() {
                *m += wi * data[(i, j)];
            }
        }
        // Exact test for a constant coordinate (rounding in the mean must not hide it).
        let first = (0..n).find(|&i| weight(i) > 0.0).unwrap_or(0);
        let constant: Vec<bool> = (0..d)
            .map(|j| (0..n).all(|i| weight(i) == 0.0 || data[(i, j)] == data[(first, j)]))
            .collect();
        let mut centred = DMatrix::zeros(n, d);
        for i in 0..n {
            let s = weight(i).sqrt();
            for j in 0..d {
                centred[(i, j)] = s * (data[(i, j)] - mean[j]);
            }
        }
        let (denominator, neff) = match &p {
            // 1 - n (1/n)^2 = (n - 1)/n, written exactly.
            None => ((n as f64 - 1.0) / n as f64, n as f64),
            Some(p) => {
                let s2: f64 = p.iter().map(|v| v * v).sum();
                (1.0 - s2, 1.0 / s2)
            }
        };
        let mut cov = centred.tr_mul(&centred) / denominator;
        // Exact symmetry (the product is symmetric up to rounding only).
        for i in 0..d {
            for j in 0..i {
                let v = 0.5 * (cov[(i, j)] + cov[(j, i)]);
                cov[(i, j)] = v;
                cov[(j, i)] = v;
            }
        }
        Ok(Moments {
            cov,
            neff,
            support,
            constant,
        })
    }

    pub(crate) fn dim(&self) -> usize {
        self.cov.nrows()
    }

    /// Error if every coordinate is constant.
    pub(crate) fn require_spread(&self) -> Result<(), SelectError> {
        if self.constant.iter().all(|&c| c) {
            Err(SelectError::AllPointsEqual)
        } else {
            Ok(())
        }
    }

    /// Error if any coordinate is constant.
    pub(crate) fn require_all_coordinates(&self) -> Result<(), SelectError> {
        self.require_spread()?;
        match self.constant.iter().position(|&c| c) {
            Some(col) => Err(SelectError::ZeroVariance { col }),
            None => Ok(()),
        }
    }

    /// Mean per-coordinate variance `tr(cov) / d`.
    pub(crate) fn mean_variance(&self) -> f64 {
        self.cov.trace() / self.dim() as f64
    }

    /// The Cholesky factor of the covariance, or why a full matrix cannot be used.
    ///
    /// Needs more supporting points than dimensions, no constant coordinate, and Cholesky
    /// pivots above `1e-12` times the largest variance (else the data are collinear).
    pub(crate) fn cholesky(&self) -> Result<DMatrix<f64>, SelectError> {
        let d = self.dim();
        if self.support <= d {
            return Err(SelectError::TooFewPointsForMatrix { n: self.support, d });
        }
        self.require_all_coordinates()?;
        let largest = (0..d).map(|j| self.cov[(j, j)]).fold(0.0, f64::max);
        let l = nalgebra::Cholesky::new(self.cov.clone())
            .ok_or(SelectError::SingularCovariance)?
            .unpack();
        if (0..d).any(|j| l[(j, j)] * l[(j, j)] <= 1e-12 * largest || !l[(j, j)].is_finite()) {
            return Err(SelectError::SingularCovariance);
        }
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbiased_and_weighted_covariance() {
        // Points 0, 1, 2, 5 in one column: mean 2, sum of squares 4 + 1 + 0 + 9 = 14,
        // unbiased variance 14 / 3.
        let data = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 5.0]);
        let m = Moments::new(&data, None).unwrap();
        assert!((m.cov[(0, 0)] - 14.0 / 3.0).abs() < 1e-15);
        assert_eq!(m.neff, 4.0);
        // Integer weights 1, 2, 1, 0 act like the points 0, 1, 1, 2 (mean 1, squares
        // 1 + 0 + 0 + 1 = 2) but numpy's aweights divide by 1 - sum p^2 = 1 - 6/16 = 5/8,
        // not by 3/4: variance (2/4) / (5/8) = 0.8, neff = 16/6.
        let m = Moments::new(&data, Some(&[1.0, 2.0, 1.0, 0.0])).unwrap();
        assert!((m.cov[(0, 0)] - 0.8).abs() < 1e-15);
        assert!((m.neff - 16.0 / 6.0).abs() < 1e-14);
        assert_eq!(m.support, 3);
    }

    #[test]
    fn degenerate_inputs_are_errors() {
        let one = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
        assert_eq!(check_data(&one), Err(SelectError::TooFewPoints { n: 1 }));
        let nan = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, f64::NAN, 0.0]);
        assert_eq!(
            check_data(&nan),
            Err(SelectError::NonFiniteData { row: 1, col: 0 })
        );
        let data = DMatrix::from_row_slice(3, 2, &[1.0, 0.1, 1.0, 0.2, 1.0, 0.7]);
        let m = Moments::new(&data, None).unwrap();
        assert_eq!(
            m.require_all_coordinates(),
            Err(SelectError::ZeroVariance { col: 0 })
        );
        assert_eq!(m.require_spread(), Ok(()));
        assert_eq!(
            Moments::new(&data, Some(&[1.0, 0.0, 0.0])).map(|_| ()),
            Err(SelectError::TooFewPoints { n: 1 })
        );
        assert_eq!(
            Moments::new(&data, Some(&[1.0, -1.0, 0.0])).map(|_| ()),
            Err(SelectError::BadWeight { index: 1 })
        );
        assert_eq!(
            Moments::new(&data, Some(&[0.0; 3])).map(|_| ()),
            Err(SelectError::ZeroTotalWeight)
        );
        // Collinear points in the plane, n > d: singular covariance.
        let line = DMatrix::from_row_slice(4, 2, &[0.0, 0.0, 1.0, 2.0, 2.0, 4.0, 3.0, 6.0]);
        let m = Moments::new(&line, None).unwrap();
        assert_eq!(
            m.cholesky().map(|_| ()),
            Err(SelectError::SingularCovariance)
        );
        let few = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0]);
        let m = Moments::new(&few, None).unwrap();
        assert_eq!(
            m.cholesky().map(|_| ()),
            Err(SelectError::TooFewPointsForMatrix { n: 2, d: 2 })
        );
    }
}
