//! `hdkde regime`: measured participation ratio against the Gaussian-model prediction.

use hdkde::bandwidth::{ReferenceModel, Variant};
use hdkde::estimator::{Bandwidth, Diagnostics, KdeParams, Kernel};
use serde_json::json;

use crate::cli::{Global, RegimeArgs};
use crate::error::CliError;
use crate::io::write_matrix;
use crate::progress::{with_spinner, Progress};

use super::select::{describe, dmatrix, isotropic_scale, resolve, BandwidthSpec};
use super::{fmt, json_number, json_option, print_json, print_text};

/// Quantile levels of the participation ratio that are reported.
const LEVELS: [(&str, f64); 5] = [
    ("q05", 0.05),
    ("q25", 0.25),
    ("q50", 0.5),
    ("q75", 0.75),
    ("q95", 0.95),
];

/// What the Gaussian model of the data predicts at the chosen bandwidth.
#[derive(Debug)]
struct Prediction {
    model: &'static str,
    h_g: f64,
    h_clt: f64,
    h_kl: f64,
    h_kl_d: Option<f64>,
    mu: f64,
    regime: &'static str,
    y2: f64,
    ell: Option<f64>,
}

pub(crate) fn run(args: &RegimeArgs, global: &Global) -> Result<(), CliError> {
    let (data, query) = super::read_data_and_queries(
        &args.data,
        args.query.as_deref(),
        args.out.as_deref(),
        global,
    )?;
    let (n, d) = (data.n, data.d);
    let source = data.source.display().to_string();
    let bandwidth = resolve(args.bandwidth, &data, args.kernel, global.quiet)?;
    let prediction = if args.kernel == Kernel::Gaussian {
        let dm = dmatrix(&data);
        with_spinner(global.quiet, "predicting", || predict(&dm, &bandwidth))
    } else {
        Err("the theory's predictions are for the Gaussian kernel".to_string())
    };
    let kde = KdeParams::new(bandwidth.clone())
        .kernel(args.kernel)
        .fit_rows(data.rows, d)
        .map_err(|e| CliError::library(&source, e))?;
    let diagnostics: Vec<Diagnostics> = match &query {
        Some(q) => {
            let mut progress = Progress::new(q.n as u64, "diagnosing", global.quiet);
            let mut all = Vec::with_capacity(q.n);
            for chunk in q.rows.chunks(super::chunk_rows(q) * q.d) {
                let part = kde
                    .diagnose_rows(chunk, 1)
                    .map_err(|e| CliError::library(q.source.display().to_string(), e))?;
                progress.inc(part.len() as u64);
                all.extend(part);
            }
            progress.finish();
            all
        }
        None => with_spinner(global.quiet, "diagnosing (leave-one-out)", || {
            kde.diagnose_loo(1)
        })
        .map_err(|e| CliError::library(&source, e))?,
    };
    let y2: Vec<f64> = diagnostics.iter().map(|g| g.y2).collect();
    let n_eff: Vec<f64> = diagnostics.iter().map(|g| g.n_eff).collect();
    let y2_mean = mean(&y2);
    let n_eff_median = quantile(&n_eff, 0.5);
    let ell_mean = mean(&diagnostics.iter().map(|g| g.ln_density).collect::<Vec<_>>()) / d as f64;
    let alpha = (n as f64).ln() / d as f64;
    let h = isotropic_scale(&bandwidth);

    if let Some(out) = &args.out {
        let rows: Vec<f64> = diagnostics
            .iter()
            .flat_map(|g| [g.ln_density, g.ln_z, g.y2, g.n_eff, g.max_weight])
            .collect();
        let header = ["ln_density", "ln_z", "y2", "n_eff", "max_weight"];
        write_matrix(out, &rows, header.len(), Some(&header), global.force)?;
    }

    let p = prediction.as_ref().ok();
    if global.json {
        let quantiles: serde_json::Map<String, serde_json::Value> = LEVELS
            .iter()
            .map(|(k, q)| (k.to_string(), json_number(quantile(&y2, *q))))
            .collect();
        let bandwidth_name = match args.bandwidth {
            BandwidthSpec::Value(_) => "value".to_string(),
            BandwidthSpec::Select(m) => super::select::method_name(m).to_string(),
        };
        let v = json!({
            "n": n,
            "d": d,
            "alpha": json_number(alpha),
            "h": json_number(h),
            "bandwidth": bandwidth_name,
            "kernel": format!("{:?}", args.kernel).to_lowercase(),
            "queries": diagnostics.len(),
            "loo": query.is_none(),
            "model": p.map(|p| p.model),
            "h_g": json_option(p.map(|p| p.h_g)),
            "h_clt": json_option(p.map(|p| p.h_clt)),
            "h_kl": json_option(p.map(|p| p.h_kl)),
            "h_kl_d": json_option(p.and_then(|p| p.h_kl_d)),
            "mu": json_option(p.map(|p| p.mu)),
            "regime": p.map(|p| p.regime),
            "y2_mean": json_number(y2_mean),
            "y2_predicted": json_option(p.map(|p| p.y2)),
            "y2_quantiles": quantiles,
            "n_eff_median": json_number(n_eff_median),
            "ell_mean": json_number(ell_mean),
            "ell_predicted": json_option(p.and_then(|p| p.ell)),
            "prediction_error": prediction.as_ref().err(),
        });
        return print_json(&v);
    }

    let at = match &query {
        Some(q) => format!("{} query points of {}", q.n, q.source.display()),
        None => format!("the {n} data points, each left out of its own estimate"),
    };
    let mut t = String::new();
    t.push_str(&format!(
        "data        {source}: n = {n}, d = {d}, alpha = ln(n)/d = {}\n",
        fmt(alpha)
    ));
    t.push_str(&format!(
        "bandwidth   {} ({:?} kernel), at {at}\n",
        describe(&bandwidth),
        args.kernel
    ));
    let qs: Vec<String> = LEVELS
        .iter()
        .map(|(_, q)| format!("{:.4}", quantile(&y2, *q)))
        .collect();
    t.push_str(&format!(
        "measured    participation ratio Y2: mean {:.4}, quantiles 5/25/50/75/95%: {}\n",
        y2_mean,
        qs.join(" ")
    ));
    t.push_str(&format!(
        "            median n_eff = 1/Y2: {:.1}; mean (1/d) ln rho_hat: {}\n",
        n_eff_median,
        fmt(ell_mean)
    ));
    match p {
        Some(p) => {
            t.push_str(&format!(
                "predicted   Gaussian model ({} covariance): h_G = {:.4}, h_CLT = {:.4}, h_KL = {:.4}{}\n",
                p.model,
                p.h_g,
                p.h_clt,
                p.h_kl,
                p.h_kl_d.map_or(String::new(), |v| format!(" ({v:.4} at d = {d})")),
            ));
            t.push_str(&format!(
                "            mu = {:.4}, E[Y2] = {:.4}{}\n",
                p.mu,
                p.y2,
                p.ell.map_or(String::new(), |v| format!(
                    ", E[(1/d) ln rho_hat] = {}",
                    fmt(v)
                ))
            ));
            t.push_str(&format!("regime      {}\n", p.regime));
            t.push_str(&meaning(p.regime, h, n_eff_median));
        }
        None => {
            let why = prediction.as_ref().err().map_or("", |e| e.as_str());
            t.push_str(&format!("predicted   none: {why}\n"));
        }
    }
    print_text(&t)
}

fn predict(data: &nalgebra::DMatrix<f64>, bandwidth: &Bandwidth) -> Result<Prediction, String> {
    let reference = ReferenceModel::auto(data).map_err(|e| e.to_string())?;
    let assessment = reference.assess(bandwidth).map_err(|e| e.to_string())?;
    let model = reference.model();
    let (alpha, d) = (reference.alpha(), data.ncols());
    let ell = match bandwidth {
        Bandwidth::Scalar(h) => model.ell_finite(*h, alpha, d).ok(),
        _ => None,
    };
    Ok(Prediction {
        model: match reference.variant() {
            Variant::Full => "full",
            Variant::PerDimension => "diagonal",
            _ => "isotropic",
        },
        h_g: reference.h_g().map_err(|e| e.to_string())?,
        h_clt: reference.h_clt().map_err(|e| e.to_string())?,
        h_kl: reference.h_kl().map_err(|e| e.to_string())?,
        h_kl_d: reference.h_kl_finite().ok(),
        mu: assessment.mu,
        regime: assessment.regime.as_str(),
        y2: assessment.y2,
        ell,
    })
}

/// One sentence on what the regime means for this estimate.
fn meaning(regime: &str, h: f64, n_eff: f64) -> String {
    let h = format!("{h:.4}");
    match regime {
        "extreme" => format!(
            "meaning     At h = {h} the estimate at a typical point is carried by its few nearest \
             data points (median n_eff {n_eff:.1}): it is an extreme-value statistic that \
             fluctuates from sample to sample and underestimates the density; a larger h averages \
             more points.\n"
        ),
        "stable" => format!(
            "meaning     At h = {h} many points contribute but rare close ones dominate the \
             fluctuations: the estimate concentrates, yet its errors are heavy-tailed (stable \
             law), so Gaussian error bars are too optimistic.\n"
        ),
        _ => format!(
            "meaning     At h = {h} every estimate averages many points (median n_eff \
             {n_eff:.0}): it has Gaussian fluctuations around the data density smoothed by the \
             kernel, N(0, Sigma + h^2 I) for Gaussian data.\n"
        ),
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.iter().sum::<f64>() / v.len() as f64
}

/// The `q`-quantile with linear interpolation between order statistics (numpy's default).
fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let pos = q * (s.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    s[lo] + (pos - lo as f64) * (s[hi] - s[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([3, 1, 2, 4], [0, 0.25, 0.5, 1]) = [1, 1.75, 2.5, 4].
        let v = [3.0, 1.0, 2.0, 4.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 0.25), 1.75);
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert_eq!(mean(&v), 2.5);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn every_regime_has_a_sentence() {
        for r in ["extreme", "stable", "clt"] {
            let s = meaning(r, 1.0, 10.0);
            assert!(s.starts_with("meaning") && s.ends_with(".\n"), "{s}");
        }
    }
}
