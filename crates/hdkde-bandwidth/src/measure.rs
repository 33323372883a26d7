//! Measured participation ratio at the data points.

use hdkde_estimator::{Bandwidth, Diagnostics, KdeParams, Kernel};
use nalgebra::DMatrix;

use crate::cv::{log_add, split, HeldOut, Split};
use crate::sample::check_data;
use crate::SelectError;

/// Mean leave-one-out participation ratio `(1/m) sum_i Y2_(-i)(y_i)` of the estimate with
/// `bandwidth` and `kernel`, over all data points or a seeded held-out subset.
///
/// `Y2_(-i)(y_i) = sum_(j != i) w_j^2 / (sum_(j != i) w_j)^2` with `w_j = K_H(y_i - y_j)`: the
/// empirical counterpart of `E[Y2]`, `1 - mu` in the extreme-value regime and near `0` in the
/// others. With held-out points `S` the sums over `S \ {i}` and over the rest are taken
/// separately by the estimator's diagnostics and combined exactly. A point that no kernel
/// reaches (compact kernel) counts as `Y2 = 0`.
///
/// ```
/// use hdkde_bandwidth::participation_ratio;
/// use hdkde_estimator::{Bandwidth, Kernel};
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_fn(50, 2, |i, j| ((i * 7 + j * 3) % 11) as f64);
/// let wide = participation_ratio(&data, &Bandwidth::Scalar(100.0), Kernel::Gaussian, None)?;
/// assert!((wide - 1.0 / 49.0).abs() < 1e-3, "all 49 other points contribute equally");
/// # Ok::<(), hdkde_bandwidth::SelectError>(())
/// ```
pub fn participation_ratio(
    data: &DMatrix<f64>,
    bandwidth: &Bandwidth,
    kernel: Kernel,
    held_out: Option<HeldOut>,
) -> Result<f64, SelectError> {
    check_data(data)?;
    let params = KdeParams::new(bandwidth.clone()).kernel(kernel);
    let y2: Vec<f64> = match split(data, held_out)? {
        Split::All(x) => params
            .fit(&x)?
            .diagnose_loo(1)?
            .iter()
            .map(|g| g.y2)
            .collect(),
        Split::HeldOut { held, rest } => {
            let a = params.fit(&rest)?.diagnose(&held, 1)?;
            let b = params.fit(&held)?.diagnose_loo(1)?;
            a.iter().zip(&b).map(|(a, b)| combine(a, b)).collect()
        }
    };
    Ok(y2.iter().sum::<f64>() / y2.len() as f64)
}

/// `Y2` of the union of two disjoint sets of terms from their `ln Z` and `Y2`:
/// `sum w^2 = Y2_a Z_a^2 + Y2_b Z_b^2` over `Z = Z_a + Z_b`.
fn combine(a: &Diagnostics, b: &Diagnostics) -> f64 {
    let ln_z = log_add(a.ln_z, b.ln_z);
    if ln_z == f64::NEG_INFINITY {
        return 0.0;
    }
    let part = |g: &Diagnostics| {
        if g.ln_z == f64::NEG_INFINITY {
            0.0
        } else {
            g.y2 * (2.0 * (g.ln_z - ln_z)).exp()
        }
    };
    part(a) + part(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hdkde_estimator::Kde;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn held_out_ratio_equals_the_full_leave_one_out_ratio_on_those_points() {
        // Exact recombination: equal to the full leave-one-out Y2 averaged over the held-out
        // points, to rounding (1e-12 absolute on values in [0, 1]).
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        let x = DMatrix::from_fn(150, 5, |_, _| StandardNormal.sample(&mut rng));
        let bw = Bandwidth::Scalar(0.6);
        let got = participation_ratio(
            &x,
            &bw,
            Kernel::Gaussian,
            Some(HeldOut { size: 23, seed: 4 }),
        )
        .unwrap();
        let Split::HeldOut { held, .. } = split(&x, Some(HeldOut { size: 23, seed: 4 })).unwrap()
        else {
            panic!("expected a split");
        };
        let full = Kde::new(&x, bw.clone()).unwrap().diagnose_loo(1).unwrap();
        let want: f64 = (0..held.nrows())
            .map(|k| {
                let i = (0..x.nrows()).find(|&i| x.row(i) == held.row(k)).unwrap();
                full[i].y2
            })
            .sum::<f64>()
            / held.nrows() as f64;
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        // Small bandwidth: each point's nearest neighbour dominates, Y2 -> 1.
        let tiny =
            participation_ratio(&x, &Bandwidth::Scalar(0.01), Kernel::Gaussian, None).unwrap();
        assert!(tiny > 0.99);
    }
}
