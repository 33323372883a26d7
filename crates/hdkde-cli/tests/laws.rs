//! `hdkde theory`, `hdkde stable` and `hdkde sample` print the library's numbers, bit for bit,
//! and reproduce the reference values of the theory and of scipy.

mod common;

use common::*;
use hdkde::estimator::Kernel;
use hdkde::samplers::{Gaussian, KdeSampler, SampleMatrix};
use hdkde::theory::regimes::GaussianModel;
use hdkde::theory::stable::{Parameterization, Stable};

/// A function of a stable law, as `hdkde stable <name>` computes it.
type Function = fn(&Stable, f64) -> f64;

#[test]
fn theory_reproduces_the_reference_table() {
    // The spec's reference values (isotropic, sigma = 1) to the 10 digits printed there.
    let table = [
        (0.1, 1.3707847002, 1.9385823141, 1.0786326570, 1.0385724),
        (0.25, 0.9468470398, 1.3390439252, 0.6961808188, 0.8343745),
        (0.5, 0.6521453312, 0.9222727720, 0.3874268113, 0.6224362),
        (1.0, 0.3721062817, 0.5262377502, 0.1364149238, 0.3693439),
    ];
    for (alpha, h_g, h_clt, r_min, h_kl) in table {
        let a = alpha.to_string();
        let v = json(&ok(&["theory", "--alpha", &a, "--json"]));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 5, "{keys:?}");
        assert!((v["h_g"].as_f64().unwrap() - h_g).abs() < 1e-9);
        assert!((v["h_clt"].as_f64().unwrap() - h_clt).abs() < 1e-9);
        assert!((v["r_min"].as_f64().unwrap() - r_min).abs() < 1e-9);
        assert!((v["h_kl"].as_f64().unwrap() - h_kl).abs() < 1e-7);
        assert_eq!(v["alpha"].as_f64().unwrap(), alpha);
    }
    // sigma scales every length.
    let v = json(&ok(&[
        "theory", "--alpha", "0.25", "--sigma", "2", "--json",
    ]));
    assert!((v["h_g"].as_f64().unwrap() - 2.0 * 0.9468470398).abs() < 2e-9);
}

#[test]
fn theory_with_bandwidth_and_dimension_is_the_library() {
    let v = json(&ok(&[
        "theory",
        "--alpha",
        "0.25",
        "--bandwidth",
        "1.15",
        "--dim",
        "40",
        "--json",
    ]));
    let m = GaussianModel::isotropic(1.0).unwrap();
    let (h, a, d) = (1.15, 0.25, 40);
    let f = m.finite(h, a, d).unwrap();
    let expect = [
        ("mu", m.mu(h, a).unwrap()),
        ("ell", m.ell(h, a).unwrap()),
        ("kl", m.kl(h, a).unwrap()),
        ("y2", m.y2(h, a).unwrap()),
        ("r_min_d", m.expected_min_r(a, d).unwrap()),
        ("h_kl_d", m.h_kl_finite(a, d).unwrap()),
        ("ell_d", f.ln_density),
        ("y2_d", f.y2),
    ];
    for (k, want) in expect {
        assert_eq!(v[k].as_f64(), Some(want), "{k}");
    }
    assert_eq!(v["regime"], "stable");
    assert_eq!(v["n"], 22026);

    // An anisotropic spectrum from a text file and from a 1-D .npy: the spec's check values.
    let dir = tempdir();
    let mut spectrum = vec![2.0; 50];
    spectrum.extend([0.5; 50]);
    let txt = write_text(dir.path(), "s.txt", &csv_text(&spectrum, 1));
    let npy = dir.path().join("s.npy");
    let bytes: Vec<u8> = spectrum.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(&npy, npy_bytes("<f8", false, &[100], &bytes)).unwrap();
    for file in [txt, npy.to_string_lossy().into_owned()] {
        let v = json(&ok(&[
            "theory",
            "--alpha",
            "0.25",
            "--spectrum",
            &file,
            "--json",
        ]));
        assert!(
            (v["h_g"].as_f64().unwrap() - 1.0308283570).abs() < 1e-9,
            "{file}"
        );
        assert!(
            (v["r_min"].as_f64().unwrap() - 0.7529569154).abs() < 1e-9,
            "{file}"
        );
    }
    // The text form names the regime.
    let text = ok(&["theory", "--alpha", "0.5", "--bandwidth", "0.3"]);
    assert!(
        text.contains("regime") && text.contains("extreme"),
        "{text}"
    );
}

#[test]
fn stable_functions_are_the_library_bit_for_bit() {
    let law = |p| Stable::new(1.5, 1.0, 2.0, -1.0, p).unwrap();
    let xs = [-5.0, 0.5, 20.0];
    for (flag, p) in [("S1", Parameterization::S1), ("s0", Parameterization::S0)] {
        let s = law(p);
        let cases: [(&str, Function); 4] = [
            ("pdf", |s, x| s.pdf(x)),
            ("logpdf", |s, x| s.ln_pdf(x)),
            ("cdf", |s, x| s.cdf(x)),
            ("sf", |s, x| s.sf(x)),
        ];
        for (name, f) in cases {
            let out = ok(&[
                "stable",
                name,
                "--alpha",
                "1.5",
                "--beta",
                "1",
                "--scale",
                "2",
                "--loc=-1",
                "--param",
                flag,
                "--x=-5,0.5,20",
                "--json",
            ]);
            let v = json(&out);
            assert_eq!(numbers(&v["x"]), xs);
            let want: Vec<f64> = xs.iter().map(|&x| f(&s, x)).collect();
            assert_eq!(numbers(&v["value"]), want, "{name} {flag}");
        }
        let out = ok(&[
            "stable",
            "quantile",
            "--alpha",
            "1.5",
            "--beta",
            "1",
            "--scale",
            "2",
            "--loc",
            "-1",
            "--param",
            flag,
            "--x",
            "0.01,0.5,0.99",
        ]);
        let rows = parse_csv(out.split_once('\n').unwrap().1);
        for (r, p) in rows.iter().zip([0.01, 0.5, 0.99]) {
            assert_eq!(r[0], p);
            assert_eq!(r[1], s.quantile(p).unwrap());
        }
    }
    // scipy 1.17.1 levy_stable.pdf([-5, 0.5, 20], 1.5, 1.0) (S1): agreement to 1e-8 relative,
    // the accuracy scipy documents for its quadrature.
    let scipy = [5.67935874e-05, 1.47702392e-01, 3.33976275e-04];
    let v = json(&ok(&[
        "stable",
        "pdf",
        "--alpha",
        "1.5",
        "--beta",
        "1",
        "--x=-5,0.5,20",
        "--json",
    ]));
    for (g, w) in numbers(&v["value"]).iter().zip(scipy) {
        assert!((g / w - 1.0).abs() < 1e-8, "{g} vs {w}");
    }
}

#[test]
fn stable_samples_are_reproducible_and_written_whole() {
    let dir = tempdir();
    let out = path(dir.path(), "draws.npy");
    let args = [
        "stable", "sample", "--alpha", "1.2", "--beta", "0.5", "--n", "20000", "--seed", "7",
    ];
    let mut with_out = args.to_vec();
    with_out.extend(["--out", &out]);
    ok(&with_out);
    let (shape, draws) = read_npy(&out);
    assert_eq!(shape, vec![20000]);
    assert!(draws.iter().all(|v| v.is_finite()));
    // The same seed gives the same draws on one thread; another seed does not.
    let one = json(&ok(&[
        "--threads",
        "1",
        "stable",
        "sample",
        "--alpha",
        "1.2",
        "--beta",
        "0.5",
        "--n",
        "20000",
        "--seed",
        "7",
        "--json",
    ]));
    assert_eq!(numbers(&one["value"]), draws);
    let other = json(&ok(&[
        "stable", "sample", "--alpha", "1.2", "--beta", "0.5", "--n", "5", "--seed", "8", "--json",
    ]));
    assert_ne!(numbers(&other["value"]), draws[..5]);
    // The draws follow the law: the empirical cdf at the quartiles of the law is within 5
    // standard errors (sqrt(p (1 - p) / n) = 0.0031) of p.
    let s = Stable::new(1.2, 0.5, 1.0, 0.0, Parameterization::S1).unwrap();
    for p in [0.25, 0.5, 0.75] {
        let q = s.quantile(p).unwrap();
        let frac = draws.iter().filter(|&&x| x <= q).count() as f64 / draws.len() as f64;
        assert!(
            (frac - p).abs() < 5.0 * (p * (1.0 - p) / 20000.0_f64).sqrt(),
            "{p}: {frac}"
        );
    }
}

#[test]
fn sample_gaussian_is_the_library_stream_on_any_thread_count() {
    let dir = tempdir();
    let d = dir.path();
    let out1 = path(d, "g1.npy");
    let out2 = path(d, "g2.csv");
    ok(&[
        "--threads",
        "1",
        "sample",
        "gaussian",
        "--n",
        "1000",
        "--dim",
        "7",
        "--sigma",
        "2",
        "--seed",
        "11",
        "--out",
        &out1,
    ]);
    ok(&[
        "--threads",
        "2",
        "sample",
        "gaussian",
        "--n",
        "1000",
        "--dim",
        "7",
        "--sigma",
        "2",
        "--seed",
        "11",
        "--out",
        &out2,
    ]);
    let want = Gaussian::isotropic(vec![0.0; 7], 2.0)
        .unwrap()
        .sample_row_major(1000, 11);
    assert_eq!(read_npy(&out1), (vec![1000, 7], want.clone()));
    let csv: Vec<f64> = parse_csv(&std::fs::read_to_string(&out2).unwrap()).concat();
    assert_eq!(csv, want);

    // A spectrum: Sigma = diag(spectrum), or rotated with --rotate.
    let spec = write_text(d, "spec.txt", "4\n1\n0.25\n");
    let out = path(d, "s.npy");
    ok(&[
        "sample",
        "gaussian",
        "--n",
        "500",
        "--spectrum",
        &spec,
        "--seed",
        "3",
        "--out",
        &out,
    ]);
    let want = Gaussian::spectrum(vec![0.0; 3], &[4.0, 1.0, 0.25], None)
        .unwrap()
        .sample_row_major(500, 3);
    assert_eq!(read_npy(&out).1, want);
    let out = path(d, "r.npy");
    ok(&[
        "sample",
        "gaussian",
        "--n",
        "20000",
        "--spectrum",
        &spec,
        "--rotate",
        "--seed",
        "3",
        "--out",
        &out,
    ]);
    let (shape, x) = read_npy(&out);
    assert_eq!(shape, vec![20000, 3]);
    // The total variance is the trace 5.25 whatever the rotation; its estimate from 20,000
    // points has a relative standard error below 1% (sum of variances of chi-square terms).
    let total: f64 = x.iter().map(|v| v * v).sum::<f64>() / 20000.0;
    assert!((total / 5.25 - 1.0).abs() < 0.04, "{total}");
    // ... and the rotation mixes the coordinates: the first variance is no longer 4.
    let v0: f64 = x.chunks(3).map(|r| r[0] * r[0]).sum::<f64>() / 20000.0;
    assert!((v0 - 4.0).abs() > 0.2, "{v0}");
}

#[test]
fn sample_kde_is_the_library_sampler() {
    let dir = tempdir();
    let d = dir.path();
    let rows = lattice_data(40);
    let data = write_npy(d, "x.npy", &rows, 3);
    let out = path(d, "k.npy");
    ok(&[
        "sample",
        "kde",
        "--data",
        &data,
        "--bandwidth",
        "0.3",
        "--kernel",
        "biweight",
        "--n",
        "300",
        "--seed",
        "5",
        "--out",
        &out,
    ]);
    let bw = hdkde::samplers::Bandwidth::scalar(0.3).unwrap();
    let sampler = KdeSampler::new(&rows, 3, None, Kernel::Biweight, bw).unwrap();
    assert_eq!(
        read_npy(&out),
        (vec![300, 3], sampler.sample_row_major(300, 5))
    );
    // Every draw lies within the compact kernel's radius of a data point.
    for p in read_npy(&out).1.chunks(3) {
        let near = rows
            .chunks(3)
            .any(|y| p.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() <= 0.09 + 1e-12);
        assert!(near);
    }
    // With a selected bandwidth (scipy's full matrix), the draws' covariance is the data's
    // plus H = f^2 Cov, i.e. (1 + f^2) Cov: checked on the total variance, whose estimate
    // from 20,000 draws has a relative standard error of about 1%.
    let out = path(d, "s.npy");
    ok(&[
        "sample",
        "kde",
        "--data",
        &data,
        "--bandwidth",
        "scott",
        "--n",
        "20000",
        "--out",
        &out,
    ]);
    let x = read_npy(&out).1;
    let mean: Vec<f64> = (0..3)
        .map(|j| x.chunks(3).map(|r| r[j]).sum::<f64>() / 20000.0)
        .collect();
    let total: f64 = x
        .chunks(3)
        .map(|r| (0..3).map(|j| (r[j] - mean[j]).powi(2)).sum::<f64>())
        .sum::<f64>()
        / 20000.0;
    let dmean: Vec<f64> = (0..3)
        .map(|j| rows.chunks(3).map(|r| r[j]).sum::<f64>() / 40.0)
        .collect();
    let data_total: f64 = rows
        .chunks(3)
        .map(|r| (0..3).map(|j| (r[j] - dmean[j]).powi(2)).sum::<f64>())
        .sum::<f64>()
        / 39.0;
    // The mixture's covariance uses the 1/n (not 1/(n-1)) covariance of the points.
    let want = data_total * 39.0 / 40.0 + SCIPY_SCOTT_FACTOR.powi(2) * data_total;
    assert!((total / want - 1.0).abs() < 0.05, "{total} vs {want}");
}
