//! The bandwidth sweep shared by figures 1-4: for each dimension `d`, `K` independent data
//! sets of `n = e^(alpha d)` points of `N(0, I_d)`, each with its own `m` test points
//! `x ~ N(0, I_d)`, evaluated at every bandwidth `h = ratio * h_G(alpha_eff)`.
//!
//! Per data set and bandwidth it keeps the means over its test points of
//! `(1/d) ln rho_hat(x)`, of the KL integrand `(1/d) [ln rho(x) - ln rho_hat(x)]` (the true
//! `ln rho(x) = -d/2 ln(2 pi) - |x|^2 / 2` is known exactly) and of the participation ratio
//! `Y2`; and, once per data set, the mean scaled nearest-neighbour distance
//! `min_i |x - y_i|^2 / d`. Data sets are the independent units: standard errors are
//! computed from the spread of their means ([`Estimate::clustered`]).

use hdkde_estimator::KdeParams;
use hdkde_theory::regimes::{self, GaussianModel};
use indicatif::ProgressBar;
use rayon::prelude::*;

use super::data::{size_for, standard_normal_rows, stream_seed, Stage};
use super::stats::Estimate;
use super::{Config, Error};

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// Results at one dimension.
#[derive(Debug, Clone)]
pub(crate) struct DimResult {
    /// Dimension `d`.
    pub(crate) d: usize,
    /// Data-set size `n`.
    pub(crate) n: usize,
    /// `alpha_eff = ln(n) / d`.
    pub(crate) alpha: f64,
    /// `h_G(alpha_eff)`.
    pub(crate) h_g: f64,
    /// The bandwidths, `ratio * h_G`.
    pub(crate) h: Vec<f64>,
    /// `E[(1/d) ln rho_hat(x)]` per bandwidth.
    pub(crate) ell: Vec<Estimate>,
    /// `E[(1/d) (ln rho(x) - ln rho_hat(x))]` (KL per dimension) per bandwidth.
    pub(crate) kl: Vec<Estimate>,
    /// `E[Y2]` per bandwidth.
    pub(crate) y2: Vec<Estimate>,
    /// `E[min_i |x - y_i|^2 / d]`.
    pub(crate) min_r: Estimate,
}

/// Per data set: means over its test points.
struct DataSetMeans {
    ell: Vec<f64>,
    kl: Vec<f64>,
    y2: Vec<f64>,
    min_r: f64,
}

/// Smallest and largest bandwidth of the sweep over all dimensions (`(inf, 0)` if empty).
pub(crate) fn h_span(sweep: &[DimResult]) -> (f64, f64) {
    sweep.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), s| {
        let lo = s.h.first().map_or(lo, |&h| lo.min(h));
        let hi = s.h.last().map_or(hi, |&h| hi.max(h));
        (lo, hi)
    })
}

/// Run the sweep for every dimension of `cfg` (data sets in parallel).
pub(crate) fn run(cfg: &Config, bar: &ProgressBar) -> Result<Vec<DimResult>, Error> {
    let model = GaussianModel::isotropic(1.0)?;
    let mut tasks = Vec::new();
    for &d in &cfg.dims {
        for k in 0..cfg.datasets {
            tasks.push((d, k));
        }
    }
    bar.set_length(tasks.len() as u64);
    let per_task: Vec<DataSetMeans> = tasks
        .par_iter()
        .map(|&(d, k)| {
            let out = one_data_set(cfg, &model, d, k);
            bar.inc(1);
            out
        })
        .collect::<Result<_, _>>()?;
    let mut results = Vec::new();
    for (di, &d) in cfg.dims.iter().enumerate() {
        let group = &per_task[di * cfg.datasets..(di + 1) * cfg.datasets];
        let n = size_for(cfg.alpha, d);
        let alpha = regimes::alpha(n, d)?;
        let h_g = model.h_g(alpha)?;
        let nh = cfg.h_ratios.len();
        let column = |f: &dyn Fn(&DataSetMeans) -> f64| -> Estimate {
            let v: Vec<f64> = group.iter().map(f).collect();
            Estimate::clustered(&v)
        };
        results.push(DimResult {
            d,
            n,
            alpha,
            h_g,
            h: cfg.h_ratios.iter().map(|r| r * h_g).collect(),
            ell: (0..nh).map(|j| column(&|g| g.ell[j])).collect(),
            kl: (0..nh).map(|j| column(&|g| g.kl[j])).collect(),
            y2: (0..nh).map(|j| column(&|g| g.y2[j])).collect(),
            min_r: column(&|g| g.min_r),
        });
    }
    Ok(results)
}

fn one_data_set(
    cfg: &Config,
    model: &GaussianModel,
    d: usize,
    k: usize,
) -> Result<DataSetMeans, Error> {
    let n = size_for(cfg.alpha, d);
    let m = cfg.queries;
    let h_g = model.h_g(regimes::alpha(n, d)?)?;
    let data = standard_normal_rows(
        n,
        d,
        stream_seed(cfg.seed, Stage::SweepData, d as u64, k as u64),
    )?;
    let queries = standard_normal_rows(
        m,
        d,
        stream_seed(cfg.seed, Stage::SweepQueries, d as u64, k as u64),
    )?;
    let df = d as f64;
    // ln rho(x) / d for the true N(0, I_d).
    let ln_true: Vec<f64> = queries
        .chunks_exact(d)
        .map(|x| -0.5 * LN_2PI - 0.5 * x.iter().map(|v| v * v).sum::<f64>() / df)
        .collect();
    let mut out = DataSetMeans {
        ell: Vec::new(),
        kl: Vec::new(),
        y2: Vec::new(),
        min_r: 0.0,
    };
    for (j, ratio) in cfg.h_ratios.iter().enumerate() {
        let kde = KdeParams::new(ratio * h_g).fit_rows(data.clone(), d)?;
        let diag = kde.diagnose_rows(&queries, 1)?;
        let ell: Vec<f64> = diag.iter().map(|g| g.ln_density / df).collect();
        let kl: Vec<f64> = ell.iter().zip(&ln_true).map(|(e, t)| t - e).collect();
        let y2: Vec<f64> = diag.iter().map(|g| g.y2).collect();
        out.ell.push(super::stats::mean(&ell));
        out.kl.push(super::stats::mean(&kl));
        out.y2.push(super::stats::mean(&y2));
        if j == 0 {
            // The largest Gaussian-kernel term is the nearest data point whatever h is; its
            // distance is recomputed exactly from the coordinates.
            let mut r = Vec::with_capacity(m);
            for (x, g) in queries.chunks_exact(d).zip(&diag) {
                let i = g
                    .top
                    .first()
                    .map(|t| t.0)
                    .ok_or(Error::Empty("nearest neighbour"))?;
                let y = &data[i * d..(i + 1) * d];
                r.push(x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / df);
            }
            out.min_r = super::stats::mean(&r);
        }
    }
    Ok(out)
}
