//! Invalid command lines (flag values out of range, unknown names, existing outputs) fail with
//! one `error:` line naming the flag, exit status 2 (1 for an existing output file), no panic
//! and no output file.

mod common;

use common::*;

#[test]
fn bad_bandwidths_and_kernels_are_usage_errors() {
    let dir = tempdir();
    let d = dir.path();
    fixtures(d);
    let (data, out) = (path(d, "data.csv"), path(d, "out.npy"));
    for h in ["0", "-1", "NaN", "inf", "-0.5"] {
        fails(
            &["eval", "--data", &data, "--bandwidth", h, "--out", &out],
            2,
            &["--bandwidth", "must be a finite number > 0"],
        );
        fails(
            &["regime", "--data", &data, "--bandwidth", h],
            2,
            &["--bandwidth"],
        );
        fails(
            &[
                "sample",
                "kde",
                "--data",
                &data,
                "--bandwidth",
                h,
                "--n",
                "3",
                "--out",
                &out,
            ],
            2,
            &["--bandwidth"],
        );
    }
    for h in ["wide", "scot", ""] {
        fails(
            &["eval", "--data", &data, "--bandwidth", h],
            2,
            &["--bandwidth", "known:", "silverman"],
        );
    }
    fails(
        &[
            "eval",
            "--data",
            &data,
            "--bandwidth",
            "1",
            "--kernel",
            "box",
            "--out",
            &out,
        ],
        2,
        &["--kernel", "unknown kernel", "epanechnikov"],
    );
    fails(
        &[
            "regime",
            "--data",
            &data,
            "--bandwidth",
            "1",
            "--kernel",
            "student-t:-2",
        ],
        2,
        &["--kernel"],
    );
    // LSCV and the theory's h_KL exist for the Gaussian kernel only.
    fails(
        &[
            "eval",
            "--data",
            &data,
            "--bandwidth",
            "lscv",
            "--kernel",
            "epanechnikov",
        ],
        2,
        &["--bandwidth", "lscv", "Gaussian kernel only"],
    );
    fails(&["eval", "--data", &data], 2, &["--bandwidth"]);
    fails(
        &[
            "eval",
            "--data",
            &data,
            "--bandwidth",
            "1",
            "--loo",
            "--query",
            &data,
        ],
        2,
        &["--loo"],
    );
    fails(
        &["eval", "--data", &data, "--bandwidth", "1", "--frobnicate"],
        2,
        &["--frobnicate"],
    );
    fails(
        &[
            "--threads",
            "0",
            "eval",
            "--data",
            &data,
            "--bandwidth",
            "1",
        ],
        2,
        &["--threads"],
    );
    assert!(only_files(d, &INPUTS));
}

#[test]
fn selectors_report_data_they_cannot_handle() {
    let dir = tempdir();
    let d = dir.path();
    // 3 points in dimension 5: no full covariance matrix (scipy fails too).
    let few = write_text(d, "few.csv", &csv_text(&lattice_data(5)[..15], 5));
    fails(
        &["eval", "--data", &few, "--bandwidth", "scott"],
        1,
        &[
            "few.csv",
            "--bandwidth scott",
            "more points than dimensions",
        ],
    );
    fails(
        &["bandwidth", "--data", &few, "--method", "silverman"],
        1,
        &[
            "few.csv",
            "--method silverman",
            "more points than dimensions",
        ],
    );
    // Identical points: no spread at all.
    let same = write_text(d, "same.csv", "1,2\n1,2\n1,2\n");
    fails(
        &["bandwidth", "--data", &same, "--method", "lcv"],
        1,
        &["same.csv"],
    );
    fails(
        &["bandwidth", "--data", &few, "--method", "median"],
        2,
        &["--method", "known:"],
    );
}

#[test]
fn existing_output_files_are_kept_without_force() {
    let dir = tempdir();
    let d = dir.path();
    fixtures(d);
    let data = path(d, "data.csv");
    let out = write_text(d, "keep.csv", "precious\n");
    let runs: [&[&str]; 6] = [
        &["eval", "--data", &data, "--bandwidth", "1", "--out", &out],
        &["regime", "--data", &data, "--bandwidth", "1", "--out", &out],
        &[
            "stable", "pdf", "--alpha", "1.5", "--beta", "0", "--x", "1", "--out", &out,
        ],
        &[
            "stable", "sample", "--alpha", "1.5", "--beta", "0", "--n", "3", "--out", &out,
        ],
        &[
            "sample", "gaussian", "--n", "3", "--dim", "2", "--out", &out,
        ],
        &[
            "sample",
            "kde",
            "--data",
            &data,
            "--bandwidth",
            "1",
            "--n",
            "3",
            "--out",
            &out,
        ],
    ];
    for args in runs {
        fails(args, 1, &["keep.csv", "file exists", "--force"]);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious\n");
        let mut forced = args.to_vec();
        forced.push("--force");
        ok(&forced);
        assert_ne!(std::fs::read_to_string(&out).unwrap(), "precious\n");
        std::fs::write(&out, "precious\n").unwrap();
    }
}

#[test]
fn theory_checks_its_parameters() {
    let dir = tempdir();
    let d = dir.path();
    for a in ["0", "-0.25", "nan", "abc"] {
        fails(&["theory", "--alpha", a], 2, &["--alpha"]);
    }
    fails(
        &["theory", "--alpha", "0.25", "--sigma", "0"],
        2,
        &["--sigma"],
    );
    fails(
        &["theory", "--alpha", "0.25", "--bandwidth", "-1"],
        2,
        &["--bandwidth"],
    );
    fails(&["theory", "--alpha", "0.25", "--dim", "0"], 2, &["--dim"]);
    fails(&["theory"], 2, &["--alpha"]);
    let bad = write_text(d, "bad.txt", "1.0\n-2.0\n3.0\n");
    fails(
        &["theory", "--alpha", "0.25", "--spectrum", &bad],
        1,
        &["bad.txt", "eigenvalue 2", "> 0"],
    );
    let two = write_text(d, "two.txt", "1,2\n3,4\n");
    fails(
        &["theory", "--alpha", "0.25", "--spectrum", &two],
        1,
        &["two.txt", "one value per line"],
    );
    let good = write_text(d, "good.txt", "2.0\n0.5\n");
    fails(
        &[
            "theory",
            "--alpha",
            "0.25",
            "--spectrum",
            &good,
            "--dim",
            "3",
        ],
        2,
        &["--dim", "2 eigenvalues"],
    );
    fails(
        &[
            "theory",
            "--alpha",
            "0.25",
            "--spectrum",
            &good,
            "--sigma",
            "2",
        ],
        2,
        &["--sigma", "--spectrum"],
    );
}

#[test]
fn stable_checks_its_parameters() {
    let dir = tempdir();
    let d = dir.path();
    let out = path(d, "out.csv");
    let cases: [(&[&str], &str); 8] = [
        (&["--alpha", "2.5", "--beta", "0"], "--alpha"),
        (&["--alpha", "0", "--beta", "0"], "--alpha"),
        (&["--alpha", "-1", "--beta", "0"], "--alpha"),
        (&["--alpha", "1.5", "--beta", "1.5"], "--beta"),
        (&["--alpha", "1.5", "--beta", "-2"], "--beta"),
        (
            &["--alpha", "1.5", "--beta", "0", "--scale", "0"],
            "--scale",
        ),
        (
            &["--alpha", "1.5", "--beta", "0", "--scale", "-1"],
            "--scale",
        ),
        (&["--alpha", "nan", "--beta", "0"], "--alpha"),
    ];
    for (law, flag) in cases {
        for f in ["pdf", "cdf", "quantile"] {
            let mut args = vec!["stable", f];
            args.extend(law);
            args.extend(["--x", "0.5", "--out", &out]);
            fails(&args, 2, &[flag]);
        }
        let mut args = vec!["stable", "sample"];
        args.extend(law);
        args.extend(["--n", "10", "--out", &out]);
        fails(&args, 2, &[flag]);
    }
    fn with<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut v = vec!["stable"];
        v.extend(extra);
        v.extend(["--alpha", "1.5", "--beta", "0"]);
        v
    }
    fails(
        &with(&["quantile", "--x", "0.5,1.5"]),
        2,
        &["--x", "value 2", "probability"],
    );
    fails(
        &with(&["pdf", "--x", "1,nan"]),
        2,
        &["--x", "value 2", "NaN"],
    );
    fails(&with(&["pdf", "--x", "1,one"]), 2, &["--x", "not a number"]);
    fails(&with(&["pdf"]), 2, &["--x"]);
    fails(
        &with(&["pdf", "--x", "1", "--param", "S2"]),
        2,
        &["--param"],
    );
    fails(&with(&["sample", "--n", "0"]), 2, &["--n"]);
    let xs = write_text(d, "xs.txt", "0.5\nnan\n");
    fails(
        &with(&["pdf", "--x-file", &xs]),
        1,
        &["xs.txt", "non-finite", "row 2"],
    );
    assert!(only_files(d, &["xs.txt"]));
}

#[test]
fn sample_checks_its_parameters() {
    let dir = tempdir();
    let d = dir.path();
    let out = path(d, "out.npy");
    fails(
        &[
            "sample", "gaussian", "--n", "0", "--dim", "2", "--out", &out,
        ],
        2,
        &["--n"],
    );
    fails(
        &["sample", "gaussian", "--n", "5", "--out", &out],
        2,
        &["--dim"],
    );
    fails(
        &[
            "sample", "gaussian", "--n", "5", "--dim", "2", "--sigma", "-1", "--out", &out,
        ],
        2,
        &["--sigma"],
    );
    fails(
        &["sample", "gaussian", "--n", "5", "--dim", "2"],
        2,
        &["--out"],
    );
    let spectrum = write_text(d, "spec.txt", "1\n0\n");
    fails(
        &[
            "sample",
            "gaussian",
            "--n",
            "5",
            "--spectrum",
            &spectrum,
            "--out",
            &out,
        ],
        1,
        &["spec.txt", "eigenvalue 2"],
    );
    let spectrum = write_text(d, "spec2.txt", "1\n2\n");
    fails(
        &[
            "sample",
            "gaussian",
            "--n",
            "5",
            "--dim",
            "3",
            "--spectrum",
            &spectrum,
            "--out",
            &out,
        ],
        2,
        &["--dim", "2 eigenvalues"],
    );
    assert!(only_files(d, &["spec.txt", "spec2.txt"]));
}
