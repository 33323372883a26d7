//! The subcommands.

mod bandwidth;
mod eval;
mod regime;
mod sample;
pub(crate) mod select;
mod stable;
mod theory;

use std::io::Write;
use std::path::Path;

use crate::cli::{Cli, Command, Global};
use crate::error::CliError;
use crate::io::Matrix;

/// Run a parsed command line.
pub(crate) fn run(cli: Cli) -> Result<(), CliError> {
    if let Some(n) = cli.global.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| CliError::flag("--threads", e.to_string()))?;
    }
    let global = &cli.global;
    match &cli.command {
        Command::Eval(args) => eval::run(args, global),
        Command::Regime(args) => regime::run(args, global),
        Command::Bandwidth(args) => bandwidth::run(args, global),
        Command::Theory(args) => theory::run(args, global),
        Command::Stable(args) => stable::run(args, global),
        Command::Sample(args) => sample::run(args, global),
    }
}

/// The inputs of a command that evaluates an estimate: the data, the optional queries (of the
/// data's dimension), after checking that the optional output file may be written.
pub(crate) fn read_data_and_queries(
    data: &Path,
    query: Option<&Path>,
    out: Option<&Path>,
    global: &Global,
) -> Result<(Matrix, Option<Matrix>), CliError> {
    if let Some(out) = out {
        crate::io::check_writable(out, global.force)?;
    }
    // Both files at once (each read is partly system time that other threads can overlap),
    // unless one is standard input: then one after the other, the data first.
    let read_query = || query.map(crate::io::read_matrix).transpose();
    let stdin = Path::new("-");
    let (data, query) = if data == stdin && query == Some(stdin) {
        return Err(CliError::format(
            stdin,
            "--data and --query cannot both be standard input",
        ));
    } else if data == stdin || query == Some(stdin) {
        let data = crate::io::read_matrix(data)?;
        (data, read_query()?)
    } else {
        let (data, query) = rayon::join(|| crate::io::read_matrix(data), read_query);
        (data?, query?)
    };
    if let Some(q) = &query {
        check_same_dimension(&data, q)?;
    }
    Ok((data, query))
}

/// Refuse queries whose dimension differs from the data's.
fn check_same_dimension(data: &Matrix, query: &Matrix) -> Result<(), CliError> {
    if query.d != data.d {
        return Err(CliError::format(
            &query.source,
            format!(
                "has {} columns but the data ({}) has {}: queries and data must have the \
                 same dimension",
                query.d,
                data.source.display(),
                data.d
            ),
        ));
    }
    Ok(())
}

/// Rows per evaluation call: about twenty progress steps, each large enough to keep every
/// thread busy.
pub(crate) fn chunk_rows(query: &Matrix) -> usize {
    query.n.div_ceil(20).max(4096)
}

/// Print `values` to standard output as one value per line, or as JSON under `key`.
pub(crate) fn print_column(global: &Global, key: &str, values: &[f64]) -> Result<(), CliError> {
    if global.json {
        let v =
            serde_json::json!({ key: values.iter().map(|x| json_number(*x)).collect::<Vec<_>>() });
        print_json(&v)
    } else {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        crate::io::write_csv(&mut lock, values, 1)
            .and_then(|()| lock.flush())
            .map_err(CliError::stdout)
    }
}

/// A zeroed buffer of `len` values, or an error naming `flag` if it cannot be allocated
/// (instead of aborting the process).
pub(crate) fn zeroed(len: usize, flag: &'static str) -> Result<Vec<f64>, CliError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| CliError::flag(flag, format!("{len} values do not fit in memory")))?;
    v.resize(len, 0.0);
    Ok(v)
}

/// Print a JSON value on one line.
pub(crate) fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    writeln!(lock, "{value}")
        .and_then(|()| lock.flush())
        .map_err(CliError::stdout)
}

/// Print text as is.
pub(crate) fn print_text(text: &str) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(text.as_bytes())
        .and_then(|()| lock.flush())
        .map_err(CliError::stdout)
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

/// A JSON value for an optional number (`null` when absent).
pub(crate) fn json_option(x: Option<f64>) -> serde_json::Value {
    x.map_or(serde_json::Value::Null, json_number)
}

/// `name value  comment` lines, aligned.
pub(crate) fn table(rows: &[(&str, String, &str)]) -> String {
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, value, comment) in rows {
        let line = if comment.is_empty() {
            format!("{name:<w0$}  {value}")
        } else {
            format!("{name:<w0$}  {value:<w1$}  {comment}")
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A number for text output: 10 significant digits.
pub(crate) fn fmt(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else if x.is_finite() && x != 0.0 && (x.abs() >= 1e6 || x.abs() < 1e-4) {
        format!("{x:.9e}")
    } else if x.is_finite() {
        let digits = 9 - (x.abs().max(1e-300).log10().floor() as i32).clamp(-4, 9);
        format!("{x:.*}", digits.max(0) as usize)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people_and_machines() {
        assert_eq!(fmt(0.9468470398), "0.9468470398");
        assert_eq!(fmt(12.5), "12.50000000");
        assert_eq!(fmt(1.5e-7), "1.500000000e-7");
        assert_eq!(fmt(f64::NEG_INFINITY), "-inf");
        assert_eq!(json_number(f64::NEG_INFINITY), serde_json::json!("-inf"));
        assert_eq!(json_number(f64::NAN), serde_json::Value::Null);
        assert_eq!(json_option(None), serde_json::Value::Null);
        let t = table(&[
            ("h_g", "1".into(), "threshold"),
            ("alpha", "0.25".into(), ""),
        ]);
        assert_eq!(t, "h_g    1     threshold\nalpha  0.25\n");
    }
}
