//! Command-line interface definitions (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Kernel density estimation in high dimensions: exact log-densities, regime diagnosis,
/// sampling, stable laws and the regime theory.
#[derive(Debug, Parser)]
#[command(name = "hdkde", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options shared by every subcommand.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Print machine-readable JSON instead of text/CSV.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Number of worker threads (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    pub(crate) threads: Option<usize>,
    /// Hide progress bars and informational messages.
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,
    /// Overwrite the --out file if it exists.
    #[arg(long, global = true)]
    pub(crate) force: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Evaluate ln rho_hat at query points (or at the data points).
    #[command(after_help = "Example:\n  hdkde eval --data train.npy --query test.npy --bandwidth 0.8 --out logpdf.npy\n  hdkde eval --data x.csv --bandwidth 0.5 --loo")]
    Eval(EvalArgs),
}

/// `hdkde eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Data file (n x d): .npy, .csv, .tsv, or - for CSV on standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) data: PathBuf,
    /// Query file (m x d); default: the data points themselves.
    #[arg(long, value_name = "FILE")]
    pub(crate) query: Option<PathBuf>,
    /// Bandwidth: a positive number h (H = h^2 I).
    #[arg(long, value_name = "H", allow_hyphen_values = true)]
    pub(crate) bandwidth: String,
    /// Kernel: gaussian, epanechnikov, uniform, biweight, triweight, triangular, cosine,
    /// exponential, cauchy, student-t:DOF.
    #[arg(long, default_value = "gaussian", value_name = "NAME")]
    pub(crate) kernel: String,
    /// At the data points, leave each point out of its own estimate.
    #[arg(long)]
    pub(crate) loo: bool,
    /// Output file (.npy or .csv); default: CSV on standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}
