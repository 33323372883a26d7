//! `hdkde`: kernel density estimation in high dimensions, from the command line.
//!
//! Every subcommand reads `.npy` (float64/float32, C or Fortran order; 1-D means one column)
//! or `.csv`/`.tsv` files (a non-numeric first line is a header; `-` reads CSV from standard
//! input), prints results to standard output (CSV or text, or JSON with `--json`) or writes
//! them to `--out FILE` (`.npy` or `.csv`; an existing file is only replaced with `--force`).
//! Errors are one line on standard error starting with `error:`; the exit status is 1 for
//! errors, 2 for usage errors (an unknown flag, a missing or invalid flag value).

mod cli;
mod commands;
mod error;
mod io;
mod progress;

use std::process::ExitCode;

use clap::error::ErrorKind;
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
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return usage_error(e),
    };
    let outcome = std::panic::catch_unwind(|| commands::run(args));
    match outcome {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(error::CliError::Io { path, source }))
            if source.kind() == std::io::ErrorKind::BrokenPipe
                && path.as_os_str() == "<stdout>" =>
        {
            // The reader of our output went away (`hdkde ... | head`): not an error.
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            // Messages from the libraries are one line; make sure of it.
            let message = e.to_string();
            let line: Vec<&str> = message.split_whitespace().collect();
            eprintln!("error: {}", line.join(" "));
            ExitCode::from(e.exit_code())
        }
        Err(_) => ExitCode::from(1),
    }
}

/// Report a command-line parsing error on one line (help and version go through unchanged).
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Printing help can only fail on a closed stream, where there is no one to tell.
            let _ = e.print();
            ExitCode::from(if e.use_stderr() { 2 } else { 0 })
        }
        _ => {
            let text = e.render().to_string();
            let first = text.split("\n\n").next().unwrap_or_default();
            let line = first.split_whitespace().collect::<Vec<_>>().join(" ");
            let line = line.strip_prefix("error:").unwrap_or(&line).trim();
            eprintln!("error: {line} (see --help)");
            ExitCode::from(2)
        }
    }
}
