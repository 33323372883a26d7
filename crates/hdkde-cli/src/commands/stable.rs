//! `hdkde stable`: density, distribution, quantiles and samples of alpha-stable laws.

use hdkde::samplers::block_rng;
use hdkde::samplers::Distribution;
use hdkde::theory::stable::{Parameterization, Stable, StableError};
use rayon::prelude::*;

use crate::cli::{Global, ParamArg, StableArgs, StableCommand, StableLaw, StablePoints};
use crate::error::CliError;
use crate::io::{check_writable, read_vector, write_matrix};
use crate::progress::Progress;

use super::{json_number, print_json};

/// Draws per random stream: block `b` of the output comes from `block_rng(seed, b)`, so the
/// draws do not depend on the number of threads.
const BLOCK: usize = 1 << 14;

pub(crate) fn run(args: &StableArgs, global: &Global) -> Result<(), CliError> {
    match &args.function {
        StableCommand::Pdf(p) => evaluate(p, global, "pdf", |s, x| Ok(s.pdf(x))),
        StableCommand::Logpdf(p) => evaluate(p, global, "logpdf", |s, x| Ok(s.ln_pdf(x))),
        StableCommand::Cdf(p) => evaluate(p, global, "cdf", |s, x| Ok(s.cdf(x))),
        StableCommand::Sf(p) => evaluate(p, global, "sf", |s, x| Ok(s.sf(x))),
        StableCommand::Quantile(p) => evaluate(p, global, "quantile", |s, x| s.quantile(x)),
        StableCommand::Sample(a) => {
            if let Some(out) = &a.out {
                check_writable(out, global.force)?;
            }
            let law = law(&a.law)?;
            let mut draws = super::zeroed(a.n, "--n")?;
            let mut progress = Progress::new(a.n as u64, "sampling", global.quiet);
            // Groups of blocks between progress updates, each filled in parallel.
            let group = BLOCK * 64;
            for (g, part) in draws.chunks_mut(group).enumerate() {
                part.par_chunks_mut(BLOCK)
                    .enumerate()
                    .for_each(|(b, block)| {
                        let mut rng = block_rng(a.seed, (g * 64 + b) as u64);
                        for v in block.iter_mut() {
                            *v = law.sample(&mut rng);
                        }
                    });
                progress.inc(part.len() as u64);
            }
            progress.finish();
            match &a.out {
                Some(out) => write_matrix(out, &draws, 1, Some(&["x"]), global.force),
                None => super::print_column(global, "value", &draws),
            }
        }
    }
}

/// The law of the flags, with out-of-range parameters named.
fn law(l: &StableLaw) -> Result<Stable, CliError> {
    let param = match l.param {
        ParamArg::S0 => Parameterization::S0,
        ParamArg::S1 => Parameterization::S1,
    };
    Stable::new(l.alpha, l.beta, l.scale, l.loc, param).map_err(|e| {
        let flag = match e {
            StableError::AlphaOutOfRange => "--alpha",
            StableError::BetaOutOfRange => "--beta",
            StableError::ScaleNotPositive => "--scale",
            _ => "--loc",
        };
        CliError::flag(flag, e.to_string())
    })
}

fn evaluate(
    p: &StablePoints,
    global: &Global,
    name: &str,
    f: impl Fn(&Stable, f64) -> Result<f64, StableError> + Sync,
) -> Result<(), CliError> {
    if let Some(out) = &p.out {
        check_writable(out, global.force)?;
    }
    let law = law(&p.law)?;
    let (xs, origin): (Vec<f64>, String) = match &p.x_file {
        Some(path) => (read_vector(path)?, path.display().to_string()),
        None => (p.x.clone(), "--x".to_string()),
    };
    if let Some(i) = xs.iter().position(|x| x.is_nan()) {
        return Err(point_error(&origin, i, "is NaN"));
    }
    let values: Vec<f64> = xs
        .par_iter()
        .enumerate()
        .map(|(i, &x)| f(&law, x).map_err(|e| point_error(&origin, i, &format!("({x}): {e}"))))
        .collect::<Result<_, _>>()?;
    if let Some(i) = values.iter().position(|v| v.is_nan()) {
        return Err(CliError::library(
            format!("{name} at x = {}", xs[i]),
            "the result is NaN (internal error)",
        ));
    }
    match &p.out {
        Some(out) => {
            let rows: Vec<f64> = xs.iter().zip(&values).flat_map(|(x, v)| [*x, *v]).collect();
            write_matrix(out, &rows, 2, Some(&["x", name]), global.force)
        }
        None if global.json => {
            let v = serde_json::json!({
                "x": xs.iter().map(|x| json_number(*x)).collect::<Vec<_>>(),
                "value": values.iter().map(|x| json_number(*x)).collect::<Vec<_>>(),
            });
            print_json(&v)
        }
        None => {
            let rows: Vec<f64> = xs.iter().zip(&values).flat_map(|(x, v)| [*x, *v]).collect();
            let mut text = format!("x,{name}\n");
            let mut buf = Vec::new();
            crate::io::write_csv(&mut buf, &rows, 2).map_err(CliError::stdout)?;
            text.push_str(&String::from_utf8_lossy(&buf));
            super::print_text(&text)
        }
    }
}

/// A bad point: the flag or file it came from and its position (1-based).
fn point_error(origin: &str, i: usize, what: &str) -> CliError {
    if origin == "--x" {
        CliError::flag("--x", format!("value {} {what}", i + 1))
    } else {
        CliError::format(origin, format!("value {} {what}", i + 1))
    }
}
