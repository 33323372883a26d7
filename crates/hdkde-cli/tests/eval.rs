//! `hdkde eval` and `hdkde bandwidth` print the library's numbers (bit for bit where the same
//! computation runs) and scipy's where the conventions are scipy's.

mod common;

use common::*;
use hdkde::estimator::{Bandwidth, KdeParams, Kernel};
use hdkde::samplers::{Gaussian, SampleMatrix};

/// scipy 1.17.1, `gaussian_kde(x.T, bw).logpdf(q.T)` with `x = lattice_data(40)` and
/// `q = lattice_queries(4)` (see `common`), and the first three values at the data points.
const SCIPY_SCOTT: [f64; 4] = [
    -3.744978510990202,
    -3.703987255409864,
    -4.874517120865538,
    -4.445368386270493,
];
const SCIPY_SCOTT_AT_DATA: [f64; 3] =
    [-3.9458426441401966, -3.6584083858539183, -3.714336816706482];
const SCIPY_SILVERMAN: [f64; 4] = [
    -3.7037266749557567,
    -3.674838767843638,
    -4.86805417356357,
    -4.422742725254467,
];

#[test]
fn eval_scott_and_silverman_equal_scipy() {
    let dir = tempdir();
    let d = dir.path();
    let data = write_text(
        d,
        "x.csv",
        &format!("a,b,c\n{}", csv_text(&lattice_data(40), 3)),
    );
    let query = write_npy(d, "q.npy", &lattice_queries(4), 3);
    // Tolerance 1e-10 absolute in the log: both sides are double-precision evaluations of the
    // same closed form (Cholesky of a 3 x 3 matrix, 40 terms), a few ulps apart.
    let check = |got: &[f64], want: &[f64]| {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-10, "{g} vs scipy {w}");
        }
    };
    let out = ok(&[
        "eval",
        "--data",
        &data,
        "--query",
        &query,
        "--bandwidth",
        "scott",
        "--json",
    ]);
    check(&numbers(&json(&out)["log_density"]), &SCIPY_SCOTT);
    let out = ok(&[
        "eval",
        "--data",
        &data,
        "--query",
        &query,
        "--bandwidth",
        "silverman",
    ]);
    let col: Vec<f64> = parse_csv(&out).into_iter().map(|r| r[0]).collect();
    check(&col, &SCIPY_SILVERMAN);
    // Without --query: at the data points, each point included (scipy's logpdf(x.T)).
    let out = ok(&["eval", "--data", &data, "--bandwidth", "scott", "--json"]);
    check(
        &numbers(&json(&out)["log_density"])[..3],
        &SCIPY_SCOTT_AT_DATA,
    );
    // The factor reported by `hdkde bandwidth` is scipy's.
    let b = json(&ok(&[
        "bandwidth",
        "--data",
        &data,
        "--method",
        "scott",
        "--json",
    ]));
    assert!((b["factor"].as_f64().unwrap() - SCIPY_SCOTT_FACTOR).abs() < 1e-15);
    assert_eq!(b["method"], "scott");
    assert_eq!(b["shape"], "full");
    assert!(["clt", "stable", "extreme"].contains(&b["regime"].as_str().unwrap()));
}

#[test]
fn eval_matches_the_library_in_every_input_and_output_format() {
    let dir = tempdir();
    let d = dir.path();
    let rows = lattice_data(40);
    let q = lattice_queries(6);
    let kde = KdeParams::new(Bandwidth::Scalar(0.7))
        .kernel(Kernel::Epanechnikov)
        .fit_rows(rows.clone(), 3)
        .unwrap();
    // The queries go through a float32 file: round them the same way.
    let q: Vec<f64> = q.iter().map(|&v| f64::from(v as f32)).collect();
    let want = kde.log_density_rows(&q).unwrap();
    let want_loo = kde.log_density_loo().unwrap();

    // Data as TSV with a header, queries as float32 Fortran-order .npy (exact in f32).
    let tsv = format!("x\ty\tz\n{}", csv_text(&rows, 3).replace(',', "\t"));
    let data = write_text(d, "x.tsv", &tsv);
    let mut f32_fortran = Vec::new();
    for j in 0..3 {
        for i in 0..6 {
            f32_fortran.extend((q[i * 3 + j] as f32).to_le_bytes());
        }
    }
    let qpath = d.join("q.npy");
    std::fs::write(&qpath, npy_bytes("<f4", true, &[6, 3], &f32_fortran)).unwrap();
    let qpath = qpath.to_string_lossy().into_owned();
    let base = [
        "eval",
        "--data",
        &data,
        "--bandwidth",
        "0.7",
        "--kernel",
        "epanechnikov",
    ];

    // Text output: full round-trip precision, so the values are bit-identical.
    let mut args = base.to_vec();
    args.extend(["--query", &qpath]);
    let got: Vec<f64> = parse_csv(&ok(&args)).into_iter().map(|r| r[0]).collect();
    assert_eq!(got, want);

    // .npy output: a 1-D float64 array.
    let out = path(d, "out.npy");
    args.extend(["--out", &out]);
    ok(&args);
    assert_eq!(read_npy(&out), (vec![6], want.clone()));

    // Leave-one-out at the data points, CSV output with a header.
    let out = path(d, "loo.csv");
    let mut args = base.to_vec();
    args.extend(["--loo", "--out", &out]);
    ok(&args);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("log_density\n"));
    let got: Vec<f64> = parse_csv(&text[12..]).into_iter().map(|r| r[0]).collect();
    assert_eq!(got, want_loo);

    // CSV on standard input, queries from the same .npy: same numbers.
    let run = hdkde_stdin(
        &[
            "eval",
            "--data",
            "-",
            "--query",
            &qpath,
            "--bandwidth",
            "0.7",
            "--kernel",
            "epanechnikov",
            "--json",
        ],
        Some(&csv_text(&rows, 3)),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(numbers(&json(&run.stdout)["log_density"]), want);

    // Queries as big-endian float64 and float32 .npy files (C order), and as little-endian
    // float64 in Fortran order (read at its offset, then transposed): same numbers.
    let column_major: Vec<u8> = (0..3)
        .flat_map(|j| (0..6).map(move |i| (i, j)))
        .flat_map(|(i, j)| q[i * 3 + j].to_le_bytes())
        .collect();
    for (descr, fortran, bytes) in [
        (
            ">f8",
            false,
            q.iter().flat_map(|v| v.to_be_bytes()).collect::<Vec<u8>>(),
        ),
        (
            ">f4",
            false,
            q.iter()
                .flat_map(|v| (*v as f32).to_be_bytes())
                .collect::<Vec<u8>>(),
        ),
        ("<f8", true, column_major),
    ] {
        let qnpy = d.join("q_other.npy");
        std::fs::write(&qnpy, npy_bytes(descr, fortran, &[6, 3], &bytes)).unwrap();
        let qnpy = qnpy.to_string_lossy().into_owned();
        let mut args = base.to_vec();
        args.extend(["--query", &qnpy]);
        let got: Vec<f64> = parse_csv(&ok(&args)).into_iter().map(|r| r[0]).collect();
        assert_eq!(got, want, "{descr}");
    }
}

#[test]
fn eval_reports_minus_infinity_outside_a_compact_support() {
    let dir = tempdir();
    let d = dir.path();
    let data = write_text(d, "x.csv", "0,0\n1,0\n");
    let query = write_text(d, "q.csv", "10,10\n0.5,0\n");
    let out = ok(&[
        "eval",
        "--data",
        &data,
        "--query",
        &query,
        "--bandwidth",
        "1",
        "--kernel",
        "uniform",
        "--json",
    ]);
    let v = json(&out);
    assert_eq!(v["log_density"][0], "-inf");
    assert!(v["log_density"][1].as_f64().unwrap().is_finite());
}

#[test]
fn bandwidth_all_lists_every_selector_with_its_regime() {
    let dir = tempdir();
    let rows = Gaussian::standard(4).unwrap().sample_row_major(300, 9);
    let data = write_npy(dir.path(), "g.npy", &rows, 4);
    let v = json(&ok(&[
        "bandwidth",
        "--data",
        &data,
        "--method",
        "all",
        "--json",
    ]));
    let list = v["selections"].as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|s| s["method"].as_str().unwrap()).collect();
    assert_eq!(names, ["scott", "silverman", "lcv", "lscv", "kl"]);
    for s in list {
        assert!(s["bandwidth"].as_f64().unwrap() > 0.0);
        assert!(["clt", "stable", "extreme"].contains(&s["regime"].as_str().unwrap()));
        let rule = s["method"] == "scott" || s["method"] == "silverman";
        assert_eq!(s.get("factor").is_some(), rule, "{s}");
    }
    // The LCV answer is the library's.
    let dm = nalgebra::DMatrix::from_row_slice(300, 4, &rows);
    let lcv = hdkde::bandwidth::Lcv::new().select(&dm).unwrap();
    assert_eq!(list[2]["bandwidth"].as_f64(), Some(lcv.h));
    assert_eq!(v["n"], 300);
    // Text form: one line per selector.
    let text = ok(&["bandwidth", "--data", &data, "--method", "lcv"]);
    assert!(text.lines().any(|l| l.starts_with("lcv ")), "{text}");
}

#[test]
fn help_shows_an_example_for_every_subcommand() {
    for sub in ["eval", "regime", "bandwidth", "theory", "stable", "sample"] {
        let help = ok(&[sub, "--help"]);
        assert!(help.contains(&format!("hdkde {sub} ")), "{sub}: {help}");
    }
    assert!(ok(&["stable", "--help"]).contains("S1"));
    assert!(ok(&["stable", "pdf", "--help"]).contains("S1 (default"));
}
