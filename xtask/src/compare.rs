//! `cargo xtask compare`: hdkde against the peers a user would pick instead.
//!
//! If `python3` is available, a virtual environment is made under `target/compare/venv` with
//! numpy, scipy and scikit-learn, and the same workload runs in each tool on the same files:
//! `n = 20,000` standard normal points, `m = 2,000` queries, `d = 64`, isotropic Gaussian
//! kernel at Scott's factor. hdkde is timed as a whole `hdkde eval` process (reading and
//! writing `.npy`); scipy's `gaussian_kde.logpdf` (its covariance set to `h^2 I`) and
//! scikit-learn's `KernelDensity(rtol=0, atol=0).score_samples` inside Python. Every result
//! is compared with an exact reference (direct differences, `logsumexp`, on a subset of
//! queries). The stable-law densities are compared with `scipy.stats.levy_stable.pdf` too
//! (see `compare_stable`). Without `python3` the command says so and succeeds.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use hdkde_samplers::{Gaussian, SampleMatrix};

/// Arguments of `cargo xtask compare`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Number of timed repetitions per tool (the median is reported).
    #[arg(long, default_value_t = 3)]
    reps: usize,
    /// Skip scikit-learn (the slowest peer).
    #[arg(long)]
    no_sklearn: bool,
}

const N: usize = 20_000;
const M: usize = 2_000;
const D: usize = 64;

pub(crate) fn main(args: &Args) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = root.join("target/compare");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let Some(python) = find_python() else {
        println!("python3 not found: the comparison with scipy and scikit-learn is skipped.");
        return Ok(());
    };
    let venv = dir.join("venv");
    let py = venv.join("bin/python");
    if !py.exists() {
        println!("creating {} ...", venv.display());
        run(Command::new(&python).args(["-m", "venv"]).arg(&venv))?;
    }
    let mut pkgs = vec!["numpy", "scipy"];
    if !args.no_sklearn {
        pkgs.push("scikit-learn");
    }
    let have = Command::new(&py)
        .args(["-c", "import numpy, scipy, sklearn"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        println!("installing {} ...", pkgs.join(", "));
        run(Command::new(&py)
            .args(["-m", "pip", "install", "--quiet"])
            .args(&pkgs))?;
    }

    // The workload, written as .npy by hdkde's own sampler.
    let g = Gaussian::standard(D).map_err(|e| e.to_string())?;
    let data = g.sample_row_major(N, 1);
    let query = g.sample_row_major(M, 2);
    let (data_path, query_path) = (dir.join("data.npy"), dir.join("query.npy"));
    write_npy(&data_path, &data, N, D)?;
    write_npy(&query_path, &query, M, D)?;
    let h = (N as f64).powf(-1.0 / (D as f64 + 4.0));

    // hdkde: the whole process, release build.
    println!("building hdkde (release) ...");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&root)
            .args(["build", "--release", "-p", "hdkde-cli"]),
    )?;
    let exe = root.join("target/release/hdkde");
    let out = dir.join("hdkde.npy");
    // One untimed warm-up run first: the timed runs then all start from the same state (the
    // freshly built binary and the input files in the page cache).
    let mut times = Vec::new();
    for rep in 0..=args.reps.max(1) {
        let t = Instant::now();
        run(Command::new(&exe)
            .args(["eval", "--quiet", "--force", "--bandwidth"])
            .arg(h.to_string())
            .arg("--data")
            .arg(&data_path)
            .arg("--query")
            .arg(&query_path)
            .arg("--out")
            .arg(&out))?;
        if rep > 0 {
            times.push(t.elapsed().as_secs_f64());
        }
    }
    times.sort_by(f64::total_cmp);
    let hdkde_time = times[times.len() / 2];

    let script = dir.join("peers.py");
    std::fs::write(&script, PEERS_PY).map_err(|e| format!("{}: {e}", script.display()))?;
    let output = Command::new(&py)
        .arg(&script)
        .arg(&data_path)
        .arg(&query_path)
        .arg(&out)
        .arg(h.to_string())
        .arg(args.reps.max(1).to_string())
        .arg(if args.no_sklearn { "0" } else { "1" })
        .output()
        .map_err(|e| format!("could not run {}: {e}", py.display()))?;
    if !output.status.success() {
        return Err(format!(
            "peers.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("peers.py output: {e}"))?;
    let mut s = format!(
        "# hdkde against its peers\n\nWorkload: n = {N}, m = {M}, d = {D}, isotropic Gaussian \
         kernel, h = {h:.6} (Scott's factor). Median of {} runs. Errors: largest |ln rho_hat - \
         exact| over {} queries (exact: direct differences and logsumexp in numpy).\n\n\
         | tool | time / hdkde's | largest error (nats) |\n|---|---|---|\n",
        args.reps.max(1),
        report["reference_queries"]
    );
    s += &format!(
        "| hdkde eval (whole process, .npy in and out) | 1 | {:.2e} |\n",
        report["hdkde_err"].as_f64().unwrap_or(f64::NAN)
    );
    for (key, name) in [
        ("scipy", "scipy gaussian_kde.logpdf"),
        ("sklearn", "scikit-learn KernelDensity (rtol = atol = 0)"),
    ] {
        if let Some(t) = report[format!("{key}_time")].as_f64() {
            s += &format!(
                "| {name} | {:.1} | {:.2e} |\n",
                t / hdkde_time,
                report[format!("{key}_err")].as_f64().unwrap_or(f64::NAN)
            );
        }
    }
    s += &format!(
        "\nscipy {} / numpy {}; hdkde and scipy agree to {:.2e} nats on all {M} queries.\n\
         Machine: {} cores.\n",
        report["scipy_version"].as_str().unwrap_or("?"),
        report["numpy_version"].as_str().unwrap_or("?"),
        report["hdkde_vs_scipy"].as_f64().unwrap_or(f64::NAN),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    s += &crate::compare_stable::section(&exe, &py, &dir, args.reps.max(1))?;
    print!("{s}");
    let summary = dir.join("summary.md");
    std::fs::write(&summary, &s).map_err(|e| format!("{}: {e}", summary.display()))?;
    println!("\nwritten: {}", summary.display());
    Ok(())
}

fn find_python() -> Option<String> {
    ["python3", "python"]
        .into_iter()
        .map(String::from)
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

/// Write a C-order float64 `.npy` file (format version 1.0).
fn write_npy(path: &Path, rows: &[f64], n: usize, d: usize) -> Result<(), String> {
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': ({n}, {d}), }}");
    // Pad so that the data starts at a multiple of 64 bytes (10-byte preamble, newline).
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = Vec::with_capacity(10 + header.len() + rows.len() * 8);
    bytes.extend_from_slice(b"\x93NUMPY\x01\x00");
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for v in rows {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    let mut f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // Flushed to disk now, so that the system's write-back of the fresh file does not run
    // during the timed runs.
    f.write_all(&bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The peers' side, run in the venv: prints one JSON object.
const PEERS_PY: &str = r#"
import json, sys, time
import numpy as np
import scipy
from scipy.special import logsumexp
from scipy.stats import gaussian_kde

data_path, query_path, hd_path, h, reps, want_sklearn = sys.argv[1:7]
h = float(h); reps = int(reps)
Y = np.load(data_path); X = np.load(query_path); hd = np.load(hd_path)
n, d = Y.shape

class IsotropicKDE(gaussian_kde):
    """gaussian_kde with covariance h^2 I instead of a multiple of the data covariance."""
    def __init__(self, dataset, h):
        self._h = h
        super().__init__(dataset)
    def _compute_covariance(self):
        self.factor = 1.0
        self.covariance = np.eye(self.d) * self._h ** 2
        self.cho_cov = np.eye(self.d) * self._h
        self.log_det = 2 * self.d * np.log(self._h * np.sqrt(2 * np.pi))

def timed(f):
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); v = f(); ts.append(time.perf_counter() - t)
    return float(np.median(ts)), v

k = 200
ref = np.empty(k)
for i in range(k):
    r2 = (((X[i] - Y) / h) ** 2).sum(axis=1)
    ref[i] = logsumexp(-0.5 * r2) - np.log(n) - 0.5 * d * np.log(2 * np.pi) - d * np.log(h)

out = {"reference_queries": k, "scipy_version": scipy.__version__, "numpy_version": np.__version__}
out["hdkde_err"] = float(np.abs(hd[:k] - ref).max())
kde = IsotropicKDE(Y.T, h)
t, v = timed(lambda: kde.logpdf(X.T))
out["scipy_time"] = t
out["scipy_err"] = float(np.abs(v[:k] - ref).max())
out["hdkde_vs_scipy"] = float(np.abs(v - hd).max())
if want_sklearn == "1":
    from sklearn.neighbors import KernelDensity
    skl = KernelDensity(kernel="gaussian", bandwidth=h, rtol=0, atol=0).fit(Y)
    t, v = timed(lambda: skl.score_samples(X))
    out["sklearn_time"] = t
    out["sklearn_err"] = float(np.abs(v[:k] - ref).max())
print(json.dumps(out))
"#;
