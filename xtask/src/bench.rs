//! `cargo xtask bench`: run the criterion benchmarks and summarise them as ratios.
//!
//! Every figure is a ratio: the estimator's multiply-add rate against the machine's measured
//! matrix-product peak (a 1024^3 `dgemm` with the same kernel library), the single-precision
//! path against the double-precision one, samplers in values per second against nothing but
//! themselves. The summary is printed and written to `target/bench-summary.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Arguments of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only summarise the results already in target/criterion (do not run the benchmarks).
    #[arg(long)]
    no_run: bool,
    /// Benchmarks to run (criterion bench targets); default: all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Also measure how the time scales with n, m and d, and draw docs/figures/scaling.svg
    /// (run this with `cargo run --release -p xtask -- bench --scaling` for release timings).
    #[arg(long)]
    scaling: bool,
}

/// One criterion result: median time per iteration (ns) and elements per iteration.
#[derive(Debug, Clone, Copy)]
struct Measured {
    median_ns: f64,
    elements: Option<f64>,
}

pub(crate) fn main(args: &Args) -> Result<(), String> {
    let root = workspace_root();
    if !args.no_run {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(&root)
            .args(["bench", "-p", "hdkde-benches"]);
        if args.only.is_empty() {
            cmd.arg("--benches");
        } else {
            for b in &args.only {
                cmd.args(["--bench", b]);
            }
        }
        cmd.args([
            "--",
            "--noplot",
            "--warm-up-time",
            "1",
            "--measurement-time",
            "5",
        ]);
        let status = cmd
            .status()
            .map_err(|e| format!("could not run cargo bench: {e}"))?;
        if !status.success() {
            return Err(format!("cargo bench failed ({status})"));
        }
    }
    let results = collect(&root.join("target/criterion"))?;
    if results.is_empty() {
        return Err("no criterion results in target/criterion: run without --no-run".into());
    }
    let mut summary = summarise(&results);
    summary += &f32_agreement()?;
    if args.scaling {
        let table = crate::scaling::run(&root.join("docs/figures"), 3)?;
        summary += "\n## Scaling (time relative to n = 20,000, m = 2,000, d = 64)\n\n";
        summary += &table;
    }
    print!("{summary}");
    let out = root.join("target/bench-summary.md");
    std::fs::write(&out, &summary).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("\nwritten: {}", out.display());
    Ok(())
}

/// Largest `|ln rho_hat|` difference between the `f32` and `f64` paths on the `kde` bench's
/// workload shape (`n = 20,000`, `m = 2,000`, `d = 64`, Gaussian kernel at Scott's factor).
fn f32_agreement() -> Result<String, String> {
    use hdkde_estimator::{KdeParams, Precision};
    use hdkde_samplers::{Gaussian, SampleMatrix};
    let (n, m, d) = (20_000, 2_000, 64);
    let normal = Gaussian::standard(d).map_err(|e| e.to_string())?;
    let data = normal.sample_row_major(n, 1);
    let queries = normal.sample_row_major(m, 2);
    let h = (n as f64).powf(-1.0 / (d as f64 + 4.0));
    let fit = |p: Precision| {
        KdeParams::new(h)
            .precision(p)
            .fit_rows(data.clone(), d)
            .and_then(|k| k.log_density_rows(&queries))
            .map_err(|e| e.to_string())
    };
    let (a, b) = (fit(Precision::F64)?, fit(Precision::F32)?);
    let worst = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    Ok(format!(
        "\nSingle-precision path against double on the same workload shape: largest \
         |ln rho_hat| difference {worst:.2e} nats over {m} queries.\n"
    ))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Read every `new/benchmark.json` + `new/estimates.json` pair under `dir`, keyed by full id.
fn collect(dir: &Path) -> Result<BTreeMap<String, Measured>, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "benchmark.json")
                && p.parent()
                    .and_then(|q| q.file_name())
                    .is_some_and(|n| n == "new")
            {
                let meta: serde_json::Value = read_json(&p)?;
                let est: serde_json::Value = read_json(&p.with_file_name("estimates.json"))?;
                let id = meta["full_id"].as_str().unwrap_or_default().to_string();
                let median_ns = est["median"]["point_estimate"].as_f64().unwrap_or(f64::NAN);
                let elements = meta["throughput"]["Elements"].as_f64();
                out.insert(
                    id,
                    Measured {
                        median_ns,
                        elements,
                    },
                );
            }
        }
    }
    Ok(out)
}

fn read_json(p: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
}

fn summarise(r: &BTreeMap<String, Measured>) -> String {
    let mut s = String::from("# Benchmark summary (ratios)\n\n");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    s += &format!("Machine: {cores} cores. Medians of criterion runs; rates are per second.\n\n");
    let rate = |id: &str| {
        r.get(id)
            .and_then(|m| m.elements.map(|e| e / (m.median_ns * 1e-9)))
    };
    if let Some(peak) = rate("peak/dgemm 1024") {
        s += &format!(
            "Measured matrix-product peak (1024^3 dgemm, one core): {:.1} G multiply-adds/s.\n\n",
            peak / 1e9
        );
        s += "| workload | multiply-add rate / one-core peak | / all-core peak |\n|---|---|---|\n";
        for id in ["kde/f64 1 thread", "kde/f64", "kde/f32"] {
            if let Some(v) = rate(id) {
                s += &format!(
                    "| {id} | {:.2} | {:.2} |\n",
                    v / peak,
                    v / (peak * cores as f64)
                );
            }
        }
        s += "\nThe whole evaluation (distances, exponentials, reduction) is counted at the \
              distance stage's n m d multiply-adds, so its ratio is a lower bound for the \
              distance stage's.\n\n";
    }
    if let (Some(a), Some(b)) = (r.get("kde/f64"), r.get("kde/f32")) {
        s += &format!(
            "Single-precision path speed-up over double: {:.2}x\n\n",
            a.median_ns / b.median_ns
        );
    }
    s += "| benchmark | median time | throughput |\n|---|---|---|\n";
    for (id, m) in r {
        let thr = m
            .elements
            .map(|e| format!("{:.3e} elements/s", e / (m.median_ns * 1e-9)))
            .unwrap_or_default();
        s += &format!("| {id} | {:.3} ms | {thr} |\n", m.median_ns / 1e6);
    }
    s
}
