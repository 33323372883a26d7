//! `hdkde eval`: ln rho_hat at query points.

use hdkde::estimator::KdeParams;

use crate::cli::{EvalArgs, Global};
use crate::error::CliError;
use crate::io::write_matrix;
use crate::progress::{with_spinner, Progress};

use super::select::resolve;

pub(crate) fn run(args: &EvalArgs, global: &Global) -> Result<(), CliError> {
    let (data, query) = super::read_data_and_queries(
        &args.data,
        args.query.as_deref(),
        args.out.as_deref(),
        global,
    )?;
    let bandwidth = resolve(args.bandwidth, &data, args.kernel, global.quiet)?;
    let source = data.source.display().to_string();
    let kde = KdeParams::new(bandwidth)
        .kernel(args.kernel)
        .fit_rows(data.rows, data.d)
        .map_err(|e| CliError::library(&source, e))?;
    let values = match &query {
        Some(q) => {
            let mut progress = Progress::new(q.n as u64, "evaluating", global.quiet);
            let mut values = Vec::with_capacity(q.n);
            for chunk in q.rows.chunks(super::chunk_rows(q) * q.d) {
                let part = kde
                    .log_density_rows(chunk)
                    .map_err(|e| CliError::library(q.source.display().to_string(), e))?;
                progress.inc(part.len() as u64);
                values.extend(part);
            }
            progress.finish();
            values
        }
        None if args.loo => with_spinner(global.quiet, "evaluating (leave-one-out)", || {
            kde.log_density_loo()
        })
        .map_err(|e| CliError::library(&source, e))?,
        None => with_spinner(global.quiet, "evaluating", || kde.log_density_at_data()),
    };
    match &args.out {
        Some(out) => write_matrix(out, &values, 1, Some(&["log_density"]), global.force),
        None => super::print_column(global, "log_density", &values),
    }
}
