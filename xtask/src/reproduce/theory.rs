//! Finite-`d` theory curves for each simulated dimension (`hdkde_theory::regimes`).
//!
//! For each dimension `d` of the sweep, at `alpha_eff = ln(n)/d`: the finite-`n`, finite-`d`
//! predictions `E[(1/d) ln rho_hat]`, `E[ln Z]`, `E[Y2]` (averaged over the test point) on a
//! dense bandwidth grid and at the simulated bandwidths, and the expected nearest-neighbour
//! distance. (The finite-`d` KL-optimal bandwidth is computed with the cross-validation, see
//! `kl.rs`.)

use hdkde_theory::regimes::{FinitePrediction, GaussianModel};
use indicatif::ProgressBar;
use rayon::prelude::*;

use super::plot::linspace;
use super::sweep::DimResult;
use super::{Config, Error};

/// Theory at one dimension.
#[derive(Debug, Clone)]
pub(crate) struct Curves {
    /// Dense bandwidth grid (from `0.5 h_G` to `1.9 h_G`).
    pub(crate) h: Vec<f64>,
    /// Finite-`d` predictions on the dense grid.
    pub(crate) dense: Vec<FinitePrediction>,
    /// Finite-`d` predictions at the simulated bandwidths.
    pub(crate) at_sweep: Vec<FinitePrediction>,
    /// Bahadur-Rao plus Gumbel `E[min_i |x - y_i|^2 / d]`, averaged over `x`.
    pub(crate) min_r: f64,
}

/// Lower end of the dense grid, in units of `h_G`.
pub(crate) const DENSE_LO: f64 = 0.5;
/// Upper end of the dense grid, in units of `h_G`.
pub(crate) const DENSE_HI: f64 = 1.9;

/// Compute the curves for every dimension of the sweep.
pub(crate) fn run(
    cfg: &Config,
    sweep: &[DimResult],
    bar: &ProgressBar,
) -> Result<Vec<Curves>, Error> {
    let model = GaussianModel::isotropic(1.0)?;
    // One job per (dimension, bandwidth); the index picks the grid.
    let mut jobs = Vec::new();
    for (di, s) in sweep.iter().enumerate() {
        for r in linspace(DENSE_LO, DENSE_HI, cfg.curve_points) {
            jobs.push((di, r * s.h_g));
        }
        for &h in &s.h {
            jobs.push((di, h));
        }
    }
    bar.set_length((jobs.len() + sweep.len()) as u64);
    let values: Vec<FinitePrediction> = jobs
        .par_iter()
        .map(|&(di, h)| {
            let s = &sweep[di];
            let p = model.finite(h, s.alpha, s.d);
            bar.inc(1);
            p
        })
        .collect::<Result<_, _>>()?;
    let min_rs: Vec<f64> = sweep
        .par_iter()
        .map(|s| {
            let min_r = model.expected_min_r(s.alpha, s.d);
            bar.inc(1);
            min_r
        })
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    let mut it = values.into_iter();
    for (s, min_r) in sweep.iter().zip(min_rs) {
        let h = linspace(DENSE_LO, DENSE_HI, cfg.curve_points)
            .into_iter()
            .map(|r| r * s.h_g)
            .collect();
        let dense = it.by_ref().take(cfg.curve_points.max(2)).collect();
        let at_sweep = it.by_ref().take(s.h.len()).collect();
        out.push(Curves {
            h,
            dense,
            at_sweep,
            min_r,
        });
    }
    Ok(out)
}
