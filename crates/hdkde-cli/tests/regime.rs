//! `hdkde regime` on Gaussian data at `d = 40`, `alpha = ln(n)/d = 0.25` (`n = 22,026`): the
//! three regimes are labelled as the theory says, and the measured participation ratio is
//! the library's.

mod common;

use common::*;
use hdkde::estimator::{Bandwidth, KdeParams};
use serde_json::Value;

/// `h_G = 0.947` and `h_CLT = 1.339` at `alpha = 0.25` (isotropic, sigma = 1): 0.6 is well
/// inside the extreme-value regime, 1.15 in the middle of the stable one, 1.7 in the CLT one
/// (the sample covariance of 22,026 points moves the thresholds by about 0.1%).
#[test]
fn labels_the_three_regimes_at_d_40() {
    let dir = tempdir();
    let d = dir.path();
    let (train, test) = (path(d, "train.npy"), path(d, "test.npy"));
    ok(&[
        "sample", "gaussian", "--n", "22026", "--dim", "40", "--seed", "1", "--out", &train,
    ]);
    // Fresh test points (1,000 of them, to keep the test short): the regime is a statement
    // about a typical point independent of the data.
    ok(&[
        "sample", "gaussian", "--n", "1000", "--dim", "40", "--seed", "2", "--out", &test,
    ]);
    let (_, rows) = read_npy(&train);
    let (_, queries) = read_npy(&test);

    for (h, label) in [(0.6, "extreme"), (1.15, "stable"), (1.7, "clt")] {
        let hs = h.to_string();
        let v = json(&ok(&[
            "regime",
            "--data",
            &train,
            "--query",
            &test,
            "--bandwidth",
            &hs,
            "--json",
        ]));
        assert_eq!(v["regime"], label, "h = {h}: {v}");
        assert_eq!(v["n"], 22026);
        assert_eq!(v["d"], 40);
        assert!((v["alpha"].as_f64().unwrap() - 0.25).abs() < 1e-5);
        for key in [
            "h",
            "h_g",
            "h_clt",
            "h_kl",
            "mu",
            "y2_mean",
            "y2_predicted",
            "n_eff_median",
            "ell_mean",
        ] {
            assert!(v[key].as_f64().is_some_and(f64::is_finite), "{key}: {v}");
        }
        // The thresholds of the fitted model are the isotropic ones to sampling accuracy
        // (the sample covariance of 22,026 points in d = 40 has eigenvalues within ~10% of
        // 1, and h_G depends on their average to first order): 1% tolerance.
        assert!(
            (v["h_g"].as_f64().unwrap() / 0.9468470398 - 1.0).abs() < 0.01,
            "{v}"
        );
        assert!(
            (v["h_clt"].as_f64().unwrap() / 1.3390439252 - 1.0).abs() < 0.01,
            "{v}"
        );

        // y2_mean is the mean participation ratio computed directly with the library. The
        // per-query values do not depend on how queries are batched; only the order of the
        // final sum could, hence a relative tolerance of 1e-12.
        let kde = KdeParams::new(Bandwidth::Scalar(h))
            .fit_rows(rows.clone(), 40)
            .unwrap();
        let diag = kde.diagnose_rows(&queries, 1).unwrap();
        let direct = diag.iter().map(|g| g.y2).sum::<f64>() / diag.len() as f64;
        let measured = v["y2_mean"].as_f64().unwrap();
        assert!(
            (measured - direct).abs() <= 1e-12 * direct,
            "h = {h}: {measured} vs {direct}"
        );
        let ell = diag.iter().map(|g| g.ln_density).sum::<f64>() / (40.0 * diag.len() as f64);
        assert!((v["ell_mean"].as_f64().unwrap() - ell).abs() <= 1e-12 * ell.abs());

        // And it agrees with the finite-d prediction: per-query Y2 has a standard deviation
        // below 0.3, so the mean of 1,000 has a standard error below 0.0095; 0.04 is four
        // of them plus the prediction's own finite-size error (about 0.005 at d = 40).
        let predicted = v["y2_predicted"].as_f64().unwrap();
        assert!(
            (measured - predicted).abs() < 0.04,
            "h = {h}: {measured} vs {predicted}"
        );
    }
}

/// Without `--query` every data point is diagnosed with itself left out, as
/// `Kde::diagnose_loo` does; the text output names the regime and says what it means.
#[test]
fn leave_one_out_at_the_data_points() {
    let dir = tempdir();
    let d = dir.path();
    let data = path(d, "x.npy");
    ok(&[
        "sample", "gaussian", "--n", "1500", "--dim", "12", "--seed", "4", "--out", &data,
    ]);
    let (_, rows) = read_npy(&data);
    let diag_out = path(d, "diag.npy");
    let v = json(&ok(&[
        "regime",
        "--data",
        &data,
        "--bandwidth",
        "0.5",
        "--json",
        "--out",
        &diag_out,
    ]));
    let kde = KdeParams::new(Bandwidth::Scalar(0.5))
        .fit_rows(rows, 12)
        .unwrap();
    let diag = kde.diagnose_loo(1).unwrap();
    let direct = diag.iter().map(|g| g.y2).sum::<f64>() / diag.len() as f64;
    assert_eq!(v["loo"], true);
    assert_eq!(v["queries"], 1500);
    assert!((v["y2_mean"].as_f64().unwrap() - direct).abs() <= 1e-12 * direct);
    // The per-query diagnostics file: ln_density, ln_z, y2, n_eff, max_weight.
    let (shape, values) = read_npy(&diag_out);
    assert_eq!(shape, vec![1500, 5]);
    for (row, g) in values.chunks(5).zip(&diag) {
        assert_eq!(row, [g.ln_density, g.ln_z, g.y2, g.n_eff, g.max_weight]);
    }
    // alpha = ln(1500)/12 = 0.609, h_G ~ 0.59: h = 0.5 is extreme, h = 3 is clt.
    assert_eq!(v["regime"], "extreme", "{v}");
    let text = ok(&["regime", "--data", &data, "--bandwidth", "3"]);
    assert!(text.contains("regime      clt"), "{text}");
    assert!(
        text.contains("meaning") && text.contains("Gaussian fluctuations"),
        "{text}"
    );
    // A selector is resolved first and its regime predicted (scipy's Scott matrix here).
    let v = json(&ok(&[
        "regime",
        "--data",
        &data,
        "--bandwidth",
        "scott",
        "--json",
    ]));
    assert_eq!(v["bandwidth"], "scott");
    assert!(["clt", "stable", "extreme"].contains(&v["regime"].as_str().unwrap()));
    // With another kernel the measurements stay, the Gaussian theory's predictions do not.
    let v = json(&ok(&[
        "regime",
        "--data",
        &data,
        "--bandwidth",
        "3",
        "--kernel",
        "epanechnikov",
        "--json",
    ]));
    assert!(v["y2_mean"].as_f64().unwrap() > 0.0);
    assert_eq!(v["regime"], Value::Null);
}
