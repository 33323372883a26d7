//! `hdkde bandwidth`: select a bandwidth and label its regime.

use hdkde::bandwidth::{Method, ReportParams, Selection};
use hdkde::estimator::Bandwidth;
use serde_json::{json, Value};

use crate::cli::{BandwidthArgs, Global, MethodChoice};
use crate::error::CliError;
use crate::io::read_matrix;
use crate::progress::with_spinner;

use super::select::{describe, dmatrix, method_from_name, method_name};
use super::{fmt, json_number, json_option, print_json, print_text};

/// The selectors of `--method all`.
const ALL: [&str; 5] = ["scott", "silverman", "lcv", "lscv", "kl"];

pub(crate) fn run(args: &BandwidthArgs, global: &Global) -> Result<(), CliError> {
    let methods: Vec<Method> = match args.method {
        MethodChoice::One(m) => vec![m],
        MethodChoice::All => ALL
            .iter()
            .filter_map(|name| method_from_name(name))
            .collect(),
    };
    let data = read_matrix(&args.data)?;
    let source = data.source.display().to_string();
    let dm = dmatrix(&data);
    drop(data);
    let mut params = ReportParams::new().methods(methods);
    if let Some(size) = args.held_out {
        params = params.held_out(size, args.seed);
    }
    let report = with_spinner(global.quiet, "selecting bandwidths", || params.run(&dm))
        .map_err(|e| CliError::library(&source, e))?;
    if let MethodChoice::One(m) = args.method {
        if let Some((_, e)) = report.failures.first() {
            return Err(CliError::library(
                format!("{source} (--method {})", method_name(m)),
                e,
            ));
        }
    }
    let entries: Vec<Value> = report
        .selections
        .iter()
        .map(selection_json)
        .chain(
            report
                .failures
                .iter()
                .map(|(m, e)| json!({ "method": method_name(*m), "error": e.to_string() })),
        )
        .collect();
    if global.json {
        let mut v = match (args.method, entries.len()) {
            (MethodChoice::One(_), 1) => entries.into_iter().next().unwrap_or(Value::Null),
            _ => json!({ "selections": entries }),
        };
        if let Value::Object(map) = &mut v {
            map.insert("n".into(), json!(report.n));
            map.insert("d".into(), json!(report.d));
            map.insert("alpha".into(), json_number(report.alpha));
            map.insert("h_g".into(), json_option(report.h_g));
            map.insert("h_clt".into(), json_option(report.h_clt));
        }
        return print_json(&v);
    }
    let mut t = format!(
        "data {source}: n = {}, d = {}, alpha = ln(n)/d = {}; Gaussian model: h_G = {}, h_CLT = {}\n",
        report.n,
        report.d,
        fmt(report.alpha),
        report.h_g.map_or("-".into(), |v| format!("{v:.4}")),
        report.h_clt.map_or("-".into(), |v| format!("{v:.4}")),
    );
    t.push_str(&format!(
        "{:<15} {:>10} {:>9} {:>8} {:>7} {:>9} {:>9}  bandwidth\n",
        "method", "h", "factor", "regime", "mu", "Y2 pred", "Y2 meas"
    ));
    for s in &report.selections {
        t.push_str(&format!(
            "{:<15} {:>10.6} {:>9} {:>8} {:>7} {:>9} {:>9.4}  {}\n",
            method_name(s.method),
            s.scale,
            s.factor.map_or("-".into(), |f| format!("{f:.6}")),
            s.regime.map_or("-", |r| r.as_str()),
            s.mu.map_or("-".into(), |m| format!("{m:.3}")),
            s.y2_predicted.map_or("-".into(), |y| format!("{y:.4}")),
            s.y2_mean,
            describe(&s.bandwidth),
        ));
    }
    for (m, e) in &report.failures {
        t.push_str(&format!("{:<15} failed: {e}\n", method_name(*m)));
    }
    print_text(&t)
}

fn selection_json(s: &Selection) -> Value {
    let shape = match &s.bandwidth {
        Bandwidth::Scalar(_) => "isotropic",
        Bandwidth::Diagonal(_) => "diagonal",
        Bandwidth::Matrix(_) => "full",
    };
    let mut v = json!({
        "method": method_name(s.method),
        "bandwidth": json_number(s.scale),
        "shape": shape,
        "regime": s.regime.map(|r| r.as_str()),
        "mu": json_option(s.mu),
        "y2_predicted": json_option(s.y2_predicted),
        "y2_mean": json_number(s.y2_mean),
    });
    if let (Some(f), Value::Object(map)) = (s.factor, &mut v) {
        map.insert("factor".into(), json_number(f));
    }
    v
}
