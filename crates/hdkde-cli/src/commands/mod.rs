//! The subcommands.

mod eval;

use crate::cli::{Cli, Command, Global};
use crate::error::CliError;

/// Run a parsed command line.
pub(crate) fn run(cli: Cli) -> Result<(), CliError> {
    if let Some(n) = cli.global.threads {
        if n == 0 {
            return Err(CliError::flag("--threads", "must be at least 1"));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| CliError::flag("--threads", e.to_string()))?;
    }
    match cli.command {
        Command::Eval(args) => eval::run(&args, &cli.global),
    }
}

/// Parse a positive finite number given to `flag`.
pub(crate) fn positive(flag: &'static str, text: &str) -> Result<f64, CliError> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(v) => Err(CliError::flag(flag, format!("must be a finite number > 0, got {v}"))),
        Err(_) => Err(CliError::flag(flag, format!("not a number: {text:?}"))),
    }
}

/// Print `values` to standard output as one value per line, or as JSON under `key`.
pub(crate) fn print_column(global: &Global, key: &str, values: &[f64]) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let res = if global.json {
        use std::io::Write;
        let v = serde_json::json!({ key: values.iter().map(|x| json_number(*x)).collect::<Vec<_>>() });
        writeln!(lock, "{v}")
    } else {
        crate::io::write_csv(&mut lock, values, 1)
    };
    res.map_err(|source| CliError::Io {
        path: "<stdout>".into(),
        source,
    })
}

/// A JSON value for `x`: a number, or the string `"-inf"`/`"inf"` (JSON has no infinities).
pub(crate) fn json_number(x: f64) -> serde_json::Value {
    if x.is_finite() {
        serde_json::json!(x)
    } else if x == f64::NEG_INFINITY {
        serde_json::json!("-inf")
    } else if x == f64::INFINITY {
        serde_json::json!("inf")
    } else {
        serde_json::Value::Null
    }
}
