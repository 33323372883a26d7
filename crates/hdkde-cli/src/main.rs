//! `hdkde`: kernel density estimation in high dimensions, from the command line.
//!
//! Every subcommand reads `.npy` (float64/float32, C or Fortran order; 1-D means one column)
//! or `.csv`/`.tsv` files (a non-numeric first line is a header; `-` reads CSV from standard
//! input), prints results to standard output (CSV, or JSON with `--json`) or writes them to
//! `--out FILE` (`.npy` or `.csv`; an existing file is only replaced with `--force`).
//! Errors are one line on standard error starting with `error:`; the exit status is 1 for
//! errors, 2 for usage errors.

mod cli;
mod commands;
mod error;
mod io;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic would be a bug in hdkde; show one line, not a panic message or backtrace hint.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: internal error, please report it: {msg}");
    }));
    let args = cli::Cli::parse();
    let outcome = std::panic::catch_unwind(|| commands::run(args));
    match outcome {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(1),
    }
}
