//! `cargo xtask`: workspace automation (the cargo-xtask convention).
//!
//! One binary with subcommands, run through the alias of `.cargo/config.toml`
//! (`xtask = "run --package xtask --bin xtask --"`):
//!
//! * `cargo xtask reproduce [--out DIR] [--full] [--seed S]`: the phase diagram of the
//!   Gaussian-kernel density estimator in large dimensions and its Monte Carlo check, as SVG
//!   figures and a `report.md` (see [`reproduce`]);
//! * `cargo xtask bench [--no-run] [--only NAMES] [--scaling]`: the criterion benchmarks,
//!   summarised as ratios to the machine's measured matrix-product peak (see [`mod@bench`]);
//! * `cargo xtask compare [--reps N] [--no-sklearn]`: hdkde against scipy and scikit-learn on
//!   the same files, if `python3` is available (see [`compare`]);
//! * `cargo xtask sweep [--stable]`: the long `#[ignore]`d checks (see [`sweep`]).
//!
//! A new subcommand is a new module with an `Args` struct and a `run` function, plus one
//! variant of [`Command`].
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod compare;
mod compare_stable;
mod reproduce;
mod scaling;
mod sweep;

/// Workspace automation for hdkde.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Reproduce the phase diagram and its Monte Carlo check: SVG figures and report.md.
    Reproduce(reproduce::Args),
    /// Run the criterion benchmarks and summarise them as ratios.
    Bench(bench::Args),
    /// Compare speed and accuracy with scipy (KDE and stable densities) and scikit-learn
    /// (needs python3; else skipped).
    Compare(compare::Args),
    /// Run the long checks the default test suite skips (release profile).
    Sweep(sweep::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Reproduce(args) => reproduce::main(&args).map_err(|e| e.to_string()),
        Command::Bench(args) => bench::main(&args),
        Command::Compare(args) => compare::main(&args),
        Command::Sweep(args) => sweep::main(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
