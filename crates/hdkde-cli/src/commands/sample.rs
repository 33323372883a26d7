//! `hdkde sample`: reproducible Gaussian data and draws from a kernel density estimate.

use hdkde::estimator::Bandwidth;
use hdkde::samplers::{self, block_rng, rows_per_block, Gaussian, KdeSampler, SampleMatrix};
use rayon::prelude::*;

use crate::cli::{Global, SampleArgs, SampleCommand, SampleGaussian, SampleKde};
use crate::error::CliError;
use crate::io::{check_writable, read_matrix, read_spectrum, write_matrix};
use crate::progress::Progress;

use super::select::resolve;

/// Mixed into `--seed` for the rotation of `--rotate`, so that the rotation and the points
/// come from unrelated streams.
const ROTATION_SEED_MIX: u64 = 0x9E37_79B9_7F4A_7C15;

pub(crate) fn run(args: &SampleArgs, global: &Global) -> Result<(), CliError> {
    match &args.law {
        SampleCommand::Gaussian(a) => gaussian(a, global),
        SampleCommand::Kde(a) => kde(a, global),
    }
}

fn gaussian(a: &SampleGaussian, global: &Global) -> Result<(), CliError> {
    check_writable(&a.out, global.force)?;
    let law = match &a.spectrum {
        Some(path) => {
            let spectrum = read_spectrum(path)?;
            if let Some(d) = a.dim {
                if d != spectrum.len() {
                    return Err(CliError::flag(
                        "--dim",
                        format!(
                            "is {d} but the spectrum {} has {} eigenvalues",
                            path.display(),
                            spectrum.len()
                        ),
                    ));
                }
            }
            let rotation = a.rotate.then_some(a.seed ^ ROTATION_SEED_MIX);
            Gaussian::spectrum(vec![0.0; spectrum.len()], &spectrum, rotation)
                .map_err(|e| CliError::format(path, e.to_string()))?
        }
        None => {
            // proven: clap requires --dim unless --spectrum is given.
            let d = a.dim.unwrap_or(1);
            Gaussian::isotropic(vec![0.0; d], a.sigma)
                .map_err(|e| CliError::flag("--sigma", e.to_string()))?
        }
    };
    let rows = draw(&law, a.n, a.seed, global.quiet)?;
    write_matrix(&a.out, &rows, law.dim(), None, global.force)
}

fn kde(a: &SampleKde, global: &Global) -> Result<(), CliError> {
    check_writable(&a.out, global.force)?;
    let data = read_matrix(&a.data)?;
    let source = data.source.display().to_string();
    let bandwidth = match resolve(a.bandwidth, &data, a.kernel, global.quiet)? {
        Bandwidth::Scalar(h) => samplers::Bandwidth::scalar(h),
        Bandwidth::Diagonal(h) => samplers::Bandwidth::diagonal(h),
        Bandwidth::Matrix(m) => samplers::Bandwidth::from_matrix(&m),
    }
    .map_err(|e| CliError::library(format!("{source} (--bandwidth)"), e))?;
    let sampler = KdeSampler::new(&data.rows, data.d, None, a.kernel, bandwidth)
        .map_err(|e| CliError::library(&source, e))?;
    let rows = draw(&sampler, a.n, a.seed, global.quiet)?;
    write_matrix(&a.out, &rows, data.d, None, global.force)
}

/// `n` draws of `seed`, row-major: exactly [`SampleMatrix::sample_row_major`] (block `b` of
/// [`rows_per_block`] rows from [`block_rng`]`(seed, b)`), filled in groups of blocks so that
/// progress can be shown.
fn draw(law: &impl SampleMatrix, n: usize, seed: u64, quiet: bool) -> Result<Vec<f64>, CliError> {
    let d = law.dim();
    let len = n.checked_mul(d).ok_or_else(|| {
        CliError::flag(
            "--n",
            format!("{n} points of dimension {d} are too many values"),
        )
    })?;
    let mut out = super::zeroed(len, "--n")?;
    let block = rows_per_block(d) * d;
    let blocks_per_group = 64;
    let mut progress = Progress::new(n as u64, "sampling", quiet);
    for (g, group) in out.chunks_mut(block * blocks_per_group).enumerate() {
        group
            .par_chunks_mut(block)
            .enumerate()
            .for_each(|(b, rows)| {
                let mut rng = block_rng(seed, (g * blocks_per_group + b) as u64);
                law.fill_rows(&mut rng, rows);
            });
        progress.inc((group.len() / d) as u64);
    }
    progress.finish();
    if out.iter().any(|v| !v.is_finite()) {
        return Err(CliError::library(
            "sampling",
            "a draw is not finite (internal error); nothing written",
        ));
    }
    Ok(out)
}
