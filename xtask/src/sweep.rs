//! `cargo xtask sweep`: the long, `#[ignore]`d checks that the default test suite skips.
//!
//! * the empirical-versus-analytic sweeps of the regime theory over a wider grid of `d`, `n`
//!   and `h` (`hdkde-theory`, test target `empirical`), about a minute on 2 cores;
//! * with `--stable`, the dense accuracy sweep of the stable laws against their
//!   double-double reference: 15,444 points (39 values of alpha from 0.1 to 2, 9 of beta,
//!   44 of x from -1e4 to 1e4 and next to zeta, S0 and S1), about 3 minutes on 2 cores,
//!   with progress and the worst relative error printed.
//!
//! Both run in the release profile; the command fails if any check fails.

use std::path::Path;
use std::process::Command;

/// Arguments of `cargo xtask sweep`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Also run the dense accuracy sweep of the stable laws (about 3 minutes on 2 cores).
    #[arg(long)]
    stable: bool,
}

pub(crate) fn main(args: &Args) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut runs: Vec<Vec<&str>> = vec![vec![
        "test",
        "--release",
        "-p",
        "hdkde-theory",
        "--test",
        "empirical",
        "--",
        "--ignored",
    ]];
    if args.stable {
        runs.push(vec![
            "test",
            "--release",
            "-p",
            "hdkde-theory",
            "--lib",
            "dense_sweep",
            "--",
            "--ignored",
            // Progress every 500 points and the worst error at the end.
            "--nocapture",
        ]);
    }
    for run in runs {
        println!("cargo {}", run.join(" "));
        let status = Command::new(&cargo)
            .current_dir(root)
            .args(&run)
            .status()
            .map_err(|e| format!("could not run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("`cargo {}` failed ({status})", run.join(" ")));
        }
    }
    Ok(())
}
