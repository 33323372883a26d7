//! Figure 4: the KL divergence per dimension against `h`, with `h_KL`, `h_G` and the
//! bandwidths selected by likelihood cross-validation (LCV).
//!
//! `KL(h) = (1/d) E[ln rho(x) - ln rho_hat(x)]`, estimated with the exact true density at
//! each test point (which removes the spread of `ln rho(x)` between test points from the
//! error bars). LCV maximises the mean leave-one-out log-likelihood, an estimate of
//! `-KL + const` for an estimate on `n - 1` points: its optimum should fall at the finite-`d`
//! KL-optimal bandwidth of `n - 1` points.

use std::path::Path;

use hdkde_bandwidth::Lcv;
use hdkde_theory::regimes::{self, GaussianModel};
use indicatif::ProgressBar;
use nalgebra::DMatrix;
use plotters::prelude::*;
use rayon::prelude::*;

use super::data::{size_for, standard_normal_rows, stream_seed, Stage};
use super::log_density::ell_allowance;
use super::plot::{self, err};
use super::report::Section;
use super::stats::{Estimate, Row};
use super::sweep::DimResult;
use super::theory::Curves;
use super::{Config, Error};

/// File name of the figure.
const FILE: &str = "fig4_kl_divergence.svg";

/// Held-out points scoring the LCV objective (exact leave-one-out on the `n - 1` others).
const HELD_OUT: usize = 400;

/// Absolute allowance on the LCV bandwidth. Near its maximum `ell(h) ~ ell* - (h - h*)^2 / h*^2`
/// (curvature of the condensed branch, `-2 / h^2`); an error `delta` in the finite-`d` `ell`
/// moves the maximiser by up to `h* sqrt(delta)`. With `delta ~ 1e-4` (see figure 3) and
/// `h* ~ 0.8`, that is `0.008`; we allow 0.01.
const H_ALLOWANCE: f64 = 0.01;

/// LCV bandwidths at one dimension.
#[derive(Debug, Clone)]
pub(crate) struct LcvResult {
    /// Dimension.
    pub(crate) d: usize,
    /// Data-set size.
    pub(crate) n: usize,
    /// Selected bandwidths, one per data set.
    pub(crate) h: Vec<f64>,
    /// Finite-`d` KL-optimal bandwidth for an estimate on `n - 1` points (differs from the
    /// `n`-point value by `O(1/(n d))` in `alpha`).
    pub(crate) h_kl_finite: f64,
}

/// Select the LCV bandwidth on `cfg.lcv_datasets` fresh data sets at each dimension of the
/// sweep, and compute the finite-`d` KL-optimal bandwidth of an estimate on `n - 1` points
/// (the size each leave-one-out estimate has).
pub(crate) fn cross_validate(cfg: &Config, bar: &ProgressBar) -> Result<Vec<LcvResult>, Error> {
    let model = GaussianModel::isotropic(1.0)?;
    let selected = select_bandwidths(cfg, bar)?;
    bar.inc_length(cfg.dims.len() as u64);
    let theory: Vec<f64> = cfg
        .dims
        .par_iter()
        .map(|&d| {
            let n = size_for(cfg.alpha, d);
            let h = model.h_kl_finite(regimes::alpha(n - 1, d)?, d);
            bar.inc(1);
            Ok::<_, Error>(h?)
        })
        .collect::<Result<_, _>>()?;
    Ok(cfg
        .dims
        .iter()
        .zip(theory)
        .zip(selected)
        .map(|((&d, h_kl_finite), h)| LcvResult {
            d,
            n: size_for(cfg.alpha, d),
            h,
            h_kl_finite,
        })
        .collect())
}

/// The LCV bandwidths alone: one vector per dimension of the sweep, one value per data set.
pub(crate) fn select_bandwidths(cfg: &Config, bar: &ProgressBar) -> Result<Vec<Vec<f64>>, Error> {
    let model = GaussianModel::isotropic(1.0)?;
    let tasks: Vec<(usize, usize)> = cfg
        .dims
        .iter()
        .flat_map(|&d| (0..cfg.lcv_datasets).map(move |k| (d, k)))
        .collect();
    bar.set_length(tasks.len() as u64);
    let selected: Vec<f64> = tasks
        .par_iter()
        .map(|&(d, k)| {
            let n = size_for(cfg.alpha, d);
            let h_g = model.h_g(regimes::alpha(n, d)?)?;
            let seed = stream_seed(cfg.seed, Stage::LcvData, d as u64, k as u64);
            let rows = standard_normal_rows(n, d, seed)?;
            let data = DMatrix::from_row_slice(n, d, &rows);
            // The held-out subset is drawn from its own seed, derived from the data set's.
            let fit = Lcv::new()
                .held_out(HELD_OUT, seed ^ 0x5eed)
                .search_range(0.4 * h_g, 2.0 * h_g)
                .tolerance(1e-4)
                .select(&data)?;
            bar.inc(1);
            Ok(fit.h)
        })
        .collect::<Result<_, Error>>()?;
    Ok(selected
        .chunks(cfg.lcv_datasets.max(1))
        .map(<[f64]>::to_vec)
        .collect())
}

/// Draw figure 4 and compute its rows.
pub(crate) fn figure(
    cfg: &Config,
    sweep: &[DimResult],
    curves: &[Curves],
    lcv: &[LcvResult],
    out: &Path,
) -> Result<Section, Error> {
    let model = GaussianModel::isotropic(1.0)?;
    let path = out.join(FILE);
    let (lo, hi) = super::sweep::h_span(sweep);
    let (h_lo, h_hi) = (lo * 0.9, hi * 1.05);
    let leading: Vec<(f64, f64)> = plot::linspace(h_lo, h_hi, 200)
        .into_iter()
        .map(|h| Ok((h, model.kl(h, cfg.alpha)?)))
        .collect::<Result<_, Error>>()?;
    // Zoom on the minimum: from just below the leading-order minimum to just above the
    // simulated values at h >= h_G (the steep small-h branch is cut off).
    let y_lo = 0.8 * leading.iter().fold(f64::INFINITY, |a, p| a.min(p.1));
    let y_hi = 1.12
        * sweep
            .iter()
            .flat_map(|s| {
                s.h.iter()
                    .zip(&s.kl)
                    .filter(|(h, _)| **h >= s.h_g)
                    .map(|(_, e)| e.value)
            })
            .fold(0.0f64, f64::max);
    let truth = model.mean_log_density();
    {
        let root = SVGBackend::new(&path, plot::SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("KL divergence per dimension, alpha = {}", cfg.alpha),
                ("sans-serif", 22),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(h_lo..h_hi, y_lo..y_hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("bandwidth h")
            .y_desc("KL / d = (1/d) E[ln rho(x) - ln rho_hat(x)]")
            .label_style(("sans-serif", 15))
            .draw()
            .map_err(err)?;
        // Only what lies inside the zoomed window is drawn (the steep small-h branch leaves it).
        let inside = |p: &(f64, f64)| p.1 <= y_hi;
        let leading: Vec<(f64, f64)> = leading.into_iter().filter(inside).collect();
        plot::curve(&mut chart, leading, BLACK, 2, "leading order KL(h, alpha)")?;
        for (i, (s, c)) in sweep.iter().zip(curves).enumerate() {
            let col = plot::color(i);
            let pts =
                c.h.iter()
                    .zip(&c.dense)
                    .map(|(h, p)| (*h, truth - p.ln_density))
                    .filter(inside)
                    .collect();
            plot::dashed(
                &mut chart,
                pts,
                col,
                &format!("finite-d theory, d = {}", s.d),
            )?;
            let sim: Vec<_> =
                s.h.iter()
                    .copied()
                    .zip(s.kl.iter().copied())
                    .filter(|(_, e)| e.value + e.se <= y_hi)
                    .collect();
            plot::error_bars(
                &mut chart,
                &sim,
                0.008,
                col,
                &format!("simulation, d = {}, n = {}", s.d, s.n),
            )?;
        }
        let top = y_hi * 0.97;
        plot::vline(
            &mut chart,
            model.h_g(cfg.alpha)?,
            (y_lo, top),
            y_lo + 0.55 * (y_hi - y_lo),
            BLACK,
            "h_G",
        )?;
        plot::vline(
            &mut chart,
            model.h_kl(cfg.alpha)?,
            (y_lo, top),
            y_lo + 0.6 * (y_hi - y_lo),
            RGBColor(200, 0, 0),
            "h_KL",
        )?;
        // Per dimension, on its finite-d curve: the finite-d optimum h_KL (open circle) and the
        // mean LCV bandwidth +- 1 SE (filled triangle and horizontal bar).
        for (i, s) in sweep.iter().enumerate() {
            let col = plot::color(i);
            let on_curve = |h: f64| -> Result<f64, Error> {
                Ok(truth - model.finite(h, s.alpha, s.d)?.ln_density)
            };
            let Some(r) = lcv.iter().find(|r| r.d == s.d) else {
                continue;
            };
            let y = on_curve(r.h_kl_finite)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (r.h_kl_finite, y),
                    8,
                    col.stroke_width(2),
                )))
                .map_err(err)?
                .label(format!("finite-d h_KL (n - 1 points), d = {}", s.d))
                .legend(move |(x, y)| Circle::new((x + 10, y), 6, col.stroke_width(2)));
            let e = Estimate::iid(&r.h);
            let y = on_curve(e.value)? - 0.012 * (y_hi - y_lo);
            let style = ShapeStyle::from(&col).stroke_width(3);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(e.value - e.se, y), (e.value + e.se, y)],
                    style,
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    (e.value, y),
                    8,
                    col.filled(),
                )))
                .map_err(err)?
                .label(format!(
                    "LCV bandwidth +- SE, d = {} ({} data sets)",
                    r.d,
                    r.h.len()
                ))
                .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 6, col.filled()));
        }
        plot::legend(&mut chart, SeriesLabelPosition::UpperMiddle)?;
        root.present().map_err(err)?;
    }
    let mut rows = Vec::new();
    for (s, c) in sweep.iter().zip(curves) {
        for ((h, e), p) in s.h.iter().zip(&s.kl).zip(&c.at_sweep) {
            rows.push(Row::new(
                format!("KL/d, d = {}, h = {:.3}", s.d, h),
                truth - p.ln_density,
                *e,
                ell_allowance(s.d),
                "finite-d REM, 0.04/d^2 + 2e-4",
            ));
        }
    }
    for r in lcv {
        rows.push(Row::new(
            format!(
                "LCV bandwidth, d = {}, n = {} vs finite-d h_KL(n - 1)",
                r.d, r.n
            ),
            r.h_kl_finite,
            Estimate::iid(&r.h),
            H_ALLOWANCE,
            "curvature of ell at its maximum",
        ));
    }
    Ok(Section {
        title: "Figure 4: KL divergence and bandwidth selection".to_string(),
        file: FILE.to_string(),
        method: format!(
            "Mean over test points and data sets of `(1/d) [ln rho(x) - ln rho_hat(x)]` with the \
             exact `ln rho(x)`, against the leading-order `GaussianModel::kl` and the finite-`d` \
             `mean_log_density - finite(..).ln_density`. LCV: `hdkde_bandwidth::Lcv` on fresh data \
             sets, scored on {HELD_OUT} held-out points (exact leave-one-out on the other \
             `n - 1`), searched in `[0.4 h_G, 2 h_G]`; compared with \
             `GaussianModel::h_kl_finite(ln(n - 1)/d, d)`."
        ),
        rows,
        reading: "The KL divergence per dimension is minimal just below h_G: the leading-order \
                  optimum h_KL = sqrt(r_min) lies in the extreme-value regime, where the \
                  estimate at a typical point is carried by a few nearest neighbours. At \
                  finite d the minimum is shallower and moves with d as the nearest distances \
                  do, and the finite-d theory follows the simulated curve on both branches. \
                  Likelihood cross-validation, which only sees the data, lands on the finite-d \
                  optimum: the bandwidth it selects on Gaussian data is in the condensed \
                  regime, not in the CLT regime where classical asymptotics place it."
            .to_string(),
    })
}
