//! The stable-law part of `cargo xtask compare`: `hdkde stable pdf` against
//! `scipy.stats.levy_stable.pdf` on the points and parameters of the `stable` bench.
//!
//! hdkde is timed as a whole `hdkde stable pdf` process (1,000 points from a file, JSON out);
//! scipy's `levy_stable.pdf` inside Python, with its `parameterization` attribute set to the
//! same S0 or S1. hdkde's densities are the reference for the disagreement column: they agree
//! with a double-double evaluation of the same integral to `1e-10` relative (the tests of
//! `hdkde-theory`), so the column measures scipy's error.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The bench's parameter sets: `(alpha, beta, parameterisation)`.
const CASES: [(f64, f64, &str); 3] = [(1.5, 0.5, "S0"), (0.7, -0.3, "S1"), (1.9, 1.0, "S0")];

/// The bench's 1,000 points: `sinh` of a uniform grid on `[-6, 6]` (bulk and tails).
fn points() -> Vec<f64> {
    (0..1000)
        .map(|i| (-6.0 + 12.0 * (i as f64 + 0.5) / 1000.0).sinh())
        .collect()
}

/// Markdown section comparing hdkde's and scipy's stable densities; `exe` is the release
/// `hdkde` binary, `py` the venv's Python, `dir` a scratch directory.
pub(crate) fn section(exe: &Path, py: &Path, dir: &Path, reps: usize) -> Result<String, String> {
    let xs = points();
    let x_path = dir.join("stable_x.txt");
    let text: String = xs.iter().map(|x| format!("{x:e}\n")).collect();
    std::fs::write(&x_path, text).map_err(|e| format!("{}: {e}", x_path.display()))?;
    let script = dir.join("stable_peer.py");
    std::fs::write(&script, STABLE_PY).map_err(|e| format!("{}: {e}", script.display()))?;
    let mut s = format!(
        "\n## Stable densities\n\n{} points (`sinh` of a uniform grid on [-6, 6], as in the \
         `stable` bench), median of {reps} runs. Disagreement: largest |scipy / hdkde - 1| \
         where hdkde's density is at least 1e-300, over all points and over |x| <= 10.\n\n\
         | parameters | hdkde us/point (whole process) | scipy us/point | scipy / hdkde time | \
         disagreement, all x | disagreement, abs(x) <= 10 |\n|---|---|---|---|---|---|\n",
        xs.len()
    );
    for (alpha, beta, param) in CASES {
        let mut times = Vec::new();
        let mut values = Vec::new();
        for _ in 0..reps {
            let t = Instant::now();
            let out = Command::new(exe)
                .args(["stable", "pdf", "--json", "--param", param])
                .arg(format!("--alpha={alpha}"))
                .arg(format!("--beta={beta}"))
                .arg("--x-file")
                .arg(&x_path)
                .output()
                .map_err(|e| format!("{}: {e}", exe.display()))?;
            times.push(t.elapsed().as_secs_f64());
            if !out.status.success() {
                return Err(format!(
                    "hdkde stable pdf failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            let v: serde_json::Value = serde_json::from_slice(&out.stdout)
                .map_err(|e| format!("hdkde stable pdf output: {e}"))?;
            values = v["value"]
                .as_array()
                .ok_or("hdkde stable pdf output: no values")?
                .iter()
                .map(|x| x.as_f64().unwrap_or(f64::NAN))
                .collect();
        }
        times.sort_by(f64::total_cmp);
        let ours = times[times.len() / 2];
        let out = Command::new(py)
            .arg(&script)
            .arg(&x_path)
            .arg(alpha.to_string())
            .arg(beta.to_string())
            .arg(param)
            .arg(reps.to_string())
            .output()
            .map_err(|e| format!("could not run {}: {e}", py.display()))?;
        if !out.status.success() {
            return Err(format!(
                "stable_peer.py failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let r: serde_json::Value =
            serde_json::from_slice(&out.stdout).map_err(|e| format!("stable_peer.py: {e}"))?;
        let theirs_time = r["time"].as_f64().unwrap_or(f64::NAN);
        let theirs: Vec<f64> = r["pdf"]
            .as_array()
            .ok_or("stable_peer.py output: no values")?
            .iter()
            .map(|x| x.as_f64().unwrap_or(f64::NAN))
            .collect();
        if values.len() != xs.len() || theirs.len() != xs.len() {
            return Err(format!(
                "stable comparison: {} points, hdkde returned {} values, scipy {}",
                xs.len(),
                values.len(),
                theirs.len()
            ));
        }
        if let Some(i) = values.iter().position(|v| v.is_nan() || *v < 0.0) {
            return Err(format!(
                "hdkde stable pdf returned {} at x = {}",
                values[i], xs[i]
            ));
        }
        let worst = |bulk: bool| {
            xs.iter()
                .zip(values.iter().zip(&theirs))
                .filter(|(x, (v, _))| **v >= 1e-300 && (!bulk || x.abs() <= 10.0))
                // A missing or non-finite scipy value counts as an infinite disagreement.
                .map(|(_, (v, t))| {
                    let e = (t / v - 1.0).abs();
                    if e.is_nan() {
                        f64::INFINITY
                    } else {
                        e
                    }
                })
                .fold(0.0, f64::max)
        };
        let n = xs.len() as f64;
        s += &format!(
            "| alpha = {alpha}, beta = {beta}, {param} | {:.1} | {:.0} | {:.0} | {:.1e} | {:.1e} |\n",
            ours / n * 1e6,
            theirs_time / n * 1e6,
            theirs_time / ours,
            worst(false),
            worst(true)
        );
    }
    Ok(s)
}

const STABLE_PY: &str = r#"
import json, sys, time, warnings
import numpy as np
from scipy.stats import levy_stable

x_path, alpha, beta, param, reps = sys.argv[1:6]
alpha, beta, reps = float(alpha), float(beta), int(reps)
x = np.loadtxt(x_path)
levy_stable.parameterization = param
times = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for _ in range(reps):
        t = time.perf_counter()
        pdf = levy_stable.pdf(x, alpha, beta)
        times.append(time.perf_counter() - t)
times.sort()
pdf = [float(v) if np.isfinite(v) else None for v in pdf]
print(json.dumps({"time": times[len(times) // 2], "pdf": pdf}))
"#;
