//! `hdkde eval`: ln rho_hat at query points.

use hdkde::estimator::{Bandwidth, KdeParams, Kernel};

use crate::cli::{EvalArgs, Global};
use crate::error::CliError;
use crate::io::{check_writable, read_matrix, write_matrix};

pub(crate) fn run(args: &EvalArgs, global: &Global) -> Result<(), CliError> {
    if let Some(out) = &args.out {
        check_writable(out, global.force)?;
    }
    let kernel: Kernel = args
        .kernel
        .parse()
        .map_err(|e| CliError::flag("--kernel", format!("{e}")))?;
    let h = super::positive("--bandwidth", &args.bandwidth)?;
    let data = read_matrix(&args.data)?;
    let query = match &args.query {
        Some(q) => Some(read_matrix(q)?),
        None => None,
    };
    if let Some(q) = &query {
        if q.d != data.d {
            return Err(CliError::format(
                &q.source,
                format!("has {} columns but the data ({}) has {}", q.d, data.source.display(), data.d),
            ));
        }
        if args.loo {
            return Err(CliError::flag("--loo", "applies only without --query (at the data points)"));
        }
    }
    let source = data.source.display().to_string();
    let kde = KdeParams::new(Bandwidth::Scalar(h))
        .kernel(kernel)
        .fit_rows(data.rows, data.d)
        .map_err(|e| CliError::library(&source, e))?;
    let values = match &query {
        Some(q) => kde.log_density_rows(&q.rows),
        None if args.loo => kde.log_density_loo(),
        None => Ok(kde.log_density_at_data()),
    }
    .map_err(|e| CliError::library(&source, e))?;
    match &args.out {
        Some(out) => write_matrix(out, &values, 1, global.force),
        None => super::print_column(global, "log_density", &values),
    }
}
