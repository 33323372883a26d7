//! `hdkde theory`: the phase diagram of the Gaussian model at `n = exp(alpha d)`.

use hdkde::theory::regimes::{Error as TheoryError, GaussianModel};
use serde_json::{json, Map, Value};

use crate::cli::{Global, TheoryArgs};
use crate::error::CliError;
use crate::io::read_spectrum;

use super::{fmt, json_number, print_json, print_text, table};

/// The theory's answer, in output order: `(key, value, comment)`.
type Rows = Vec<(&'static str, Value, &'static str)>;

pub(crate) fn run(args: &TheoryArgs, global: &Global) -> Result<(), CliError> {
    let (model, source) = match &args.spectrum {
        Some(path) => {
            let spectrum = read_spectrum(path)?;
            let model = GaussianModel::from_spectrum(spectrum)
                .map_err(|e| CliError::format(path, e.to_string()))?;
            (model, format!("spectrum {}", path.display()))
        }
        None => (
            GaussianModel::isotropic(args.sigma)
                .map_err(|e| CliError::flag("--sigma", e.to_string()))?,
            format!("isotropic, sigma = {}", args.sigma),
        ),
    };
    if let (Some(d), Some(dim)) = (args.dim, model.dimension()) {
        if d != dim {
            return Err(CliError::flag(
                "--dim",
                format!("is {d} but the spectrum has {dim} eigenvalues"),
            ));
        }
    }
    let rows = compute(&model, args).map_err(|e| match e {
        TheoryError::InvalidAlpha => CliError::flag("--alpha", e.to_string()),
        TheoryError::InvalidBandwidth => CliError::flag("--bandwidth", e.to_string()),
        other => CliError::library(
            format!("theory at alpha = {} ({source})", args.alpha),
            other,
        ),
    })?;
    if global.json {
        let map: Map<String, Value> = rows
            .into_iter()
            .map(|(k, v, _)| (k.to_string(), v))
            .collect();
        print_json(&Value::Object(map))
    } else {
        let lines: Vec<(&str, String, &str)> = rows
            .iter()
            .map(|(k, v, c)| {
                let text = match v {
                    Value::Number(n) if n.is_u64() => n.to_string(),
                    Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (*k, text, *c)
            })
            .collect();
        let mut text = format!("Gaussian model: {source}; n = exp(alpha d)\n");
        text.push_str(&table(&lines));
        print_text(&text)
    }
}

fn compute(model: &GaussianModel, args: &TheoryArgs) -> Result<Rows, TheoryError> {
    let a = args.alpha;
    let num = json_number;
    let mut rows: Rows = vec![
        ("alpha", num(a), "ln(n) / d"),
        (
            "h_g",
            num(model.h_g(a)?),
            "condensation threshold: extreme-value regime below",
        ),
        (
            "h_clt",
            num(model.h_clt(a)?),
            "CLT threshold sqrt(2) h_G: Gaussian fluctuations above",
        ),
        (
            "r_min",
            num(model.r_min(a)?),
            "smallest scaled distance |x - y|^2 / d (leading order)",
        ),
        (
            "h_kl",
            num(model.h_kl(a)?),
            "KL-optimal bandwidth sqrt(r_min) (leading order)",
        ),
    ];
    if let Some(h) = args.bandwidth {
        let regime = model.regime(h, a)?;
        rows.extend([
            ("h", num(h), "bandwidth"),
            ("mu", num(model.mu(h, a)?), "tail index (h / h_G)^2"),
            (
                "regime",
                json!(regime.as_str()),
                regime_comment(regime.as_str()),
            ),
            (
                "ell",
                num(model.ell(h, a)?),
                "(1/d) ln rho_hat(x), typical x (leading order)",
            ),
            (
                "kl",
                num(model.kl(h, a)?),
                "KL divergence per dimension (leading order)",
            ),
            (
                "y2",
                num(model.y2(h, a)?),
                "participation ratio E[Y2] (leading order)",
            ),
        ]);
    }
    if let Some(d) = args.dim {
        rows.extend([
            ("d", json!(d), "dimension"),
            (
                "n",
                count((a * d as f64).exp().round()),
                "number of points exp(alpha d)",
            ),
            (
                "r_min_d",
                num(model.expected_min_r(a, d)?),
                "expected smallest distance at this d",
            ),
            (
                "h_kl_d",
                num(model.h_kl_finite(a, d)?),
                "KL-optimal bandwidth at this d",
            ),
        ]);
        if let Some(h) = args.bandwidth {
            let p = model.finite(h, a, d)?;
            rows.extend([
                (
                    "ell_d",
                    num(p.ln_density),
                    "E[(1/d) ln rho_hat(x)] at this d",
                ),
                (
                    "kl_d",
                    num(model.mean_log_density() - p.ln_density),
                    "KL divergence per dimension at this d",
                ),
                ("y2_d", num(p.y2), "expected participation ratio at this d"),
            ]);
        }
    }
    Ok(rows)
}

/// A count as a JSON integer when it is one exactly (below 2^53), else as a number.
fn count(x: f64) -> Value {
    if (0.0..9_007_199_254_740_992.0).contains(&x) {
        json!(x as u64)
    } else {
        json_number(x)
    }
}

/// What a regime means, in a few words.
pub(crate) fn regime_comment(regime: &str) -> &'static str {
    match regime {
        "clt" => "many points contribute: Gaussian fluctuations",
        "stable" => "heavy-tailed (stable) fluctuations, still concentrated",
        "extreme" => "a few nearest points carry the estimate",
        _ => "",
    }
}
