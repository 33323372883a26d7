//! Command-line interface definitions (clap derive).
//!
//! Flag values are checked while parsing (a positive bandwidth, a known kernel, ...), so that
//! an invalid command line is a usage error (exit status 2) before any file is read.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use hdkde::bandwidth::Method;
use hdkde::estimator::Kernel;

use crate::commands::select::{method_from_name, BandwidthSpec, SELECTOR_NAMES};

/// Kernel density estimation in high dimensions: exact log-densities, regime diagnosis,
/// bandwidth selection, sampling, stable laws and the regime theory.
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
    #[arg(long, allow_hyphen_values = true, global = true, value_name = "N", value_parser = count)]
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
    #[command(after_help = "Examples:\n  \
        hdkde eval --data train.npy --query test.npy --bandwidth 0.8 --out logpdf.npy\n  \
        hdkde eval --data x.csv --bandwidth scott          # = scipy gaussian_kde(x.T).logpdf(x.T)\n  \
        hdkde eval --data x.csv --bandwidth lcv --loo")]
    Eval(EvalArgs),
    /// Diagnose the statistical regime of an estimate: measured participation ratio against
    /// the Gaussian-model prediction (clt, stable or extreme).
    #[command(after_help = "Examples:\n  \
        hdkde regime --data train.npy --bandwidth 1.1\n  \
        hdkde regime --data train.npy --query test.npy --bandwidth scott --json")]
    Regime(RegimeArgs),
    /// Select a bandwidth (rules of thumb, cross-validation, theory) and label its regime.
    #[command(after_help = "Examples:\n  \
        hdkde bandwidth --data train.npy --method lcv\n  \
        hdkde bandwidth --data train.npy --method all --json")]
    Bandwidth(BandwidthArgs),
    /// The regime theory of the Gaussian model at n = exp(alpha d): thresholds h_G, h_CLT,
    /// the KL-optimal h_KL, and the regime of a bandwidth.
    #[command(after_help = "Examples:\n  \
        hdkde theory --alpha 0.25\n  \
        hdkde theory --alpha 0.25 --bandwidth 1.15 --dim 40 --json\n  \
        hdkde theory --alpha 0.5 --spectrum eigenvalues.txt --bandwidth 0.7")]
    Theory(TheoryArgs),
    /// Alpha-stable laws S(alpha, beta, scale, loc): density, distribution, quantiles and
    /// samples, in Nolan's parameterisation S1 by default (S0 with --param S0).
    #[command(after_help = "Examples:\n  \
        hdkde stable pdf --alpha 1.5 --beta 1 --x=-5,0.5,20\n  \
        hdkde stable quantile --alpha 1.2 --beta 0 --x 0.01,0.5,0.99 --param S0\n  \
        hdkde stable sample --alpha 1.5 --beta 1 --n 1000 --seed 7 --out draws.npy")]
    Stable(StableArgs),
    /// Draw reproducible samples: Gaussian data, or points from a kernel density estimate.
    #[command(after_help = "Examples:\n  \
        hdkde sample gaussian --n 22026 --dim 40 --seed 1 --out train.npy\n  \
        hdkde sample kde --data train.npy --bandwidth 0.8 --n 1000 --seed 2 --out new.csv")]
    Sample(SampleArgs),
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
    /// Bandwidth: a positive number h (H = h^2 I), or a selector: scott, silverman (scipy's
    /// full matrix H = factor^2 Cov), lcv, lscv (cross-validated h), kl (finite-d h_KL of the
    /// Gaussian model of the data).
    #[arg(long, value_name = "H", allow_hyphen_values = true, value_parser = bandwidth_spec)]
    pub(crate) bandwidth: BandwidthSpec,
    /// Kernel: gaussian, epanechnikov, uniform, biweight, triweight, triangular, cosine,
    /// exponential, cauchy, student-t:DOF.
    #[arg(long, allow_hyphen_values = true, default_value = "gaussian", value_name = "NAME", value_parser = kernel)]
    pub(crate) kernel: Kernel,
    /// At the data points, leave each point out of its own estimate.
    #[arg(long, conflicts_with = "query")]
    pub(crate) loo: bool,
    /// Output file (.npy or .csv); default: CSV on standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// `hdkde regime`.
#[derive(Debug, Args)]
pub(crate) struct RegimeArgs {
    /// Data file (n x d): .npy, .csv, .tsv, or - for CSV on standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) data: PathBuf,
    /// Query file (m x d); default: every data point, left out of its own estimate (this
    /// costs O(n^2 d): for large n, a thousand held-out queries are much faster).
    #[arg(long, value_name = "FILE")]
    pub(crate) query: Option<PathBuf>,
    /// Bandwidth: a positive number h, or scott, silverman, lcv, lscv, kl (as for eval).
    #[arg(long, value_name = "H", allow_hyphen_values = true, value_parser = bandwidth_spec)]
    pub(crate) bandwidth: BandwidthSpec,
    /// Kernel (the predictions of the theory are for the Gaussian kernel only).
    #[arg(long, allow_hyphen_values = true, default_value = "gaussian", value_name = "NAME", value_parser = kernel)]
    pub(crate) kernel: Kernel,
    /// Also write the per-query diagnostics (ln_density, ln_z, y2, n_eff, max_weight) to
    /// this file (.npy or .csv).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// `hdkde bandwidth`.
#[derive(Debug, Args)]
pub(crate) struct BandwidthArgs {
    /// Data file (n x d): .npy, .csv, .tsv, or - for CSV on standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) data: PathBuf,
    /// Selector: scott, silverman (scipy's full matrix factor^2 Cov), lcv, lscv (cross-
    /// validation of an isotropic h), kl (finite-d KL-optimal h of the Gaussian model), all
    /// (these five); also scott-diag, scott-iso, silverman-diag, silverman-iso, lcv-cov,
    /// lscv-cov, h-kl (leading-order h_KL). LSCV scores all pairs of points: slow for
    /// large n.
    #[arg(long, allow_hyphen_values = true, value_name = "METHOD", value_parser = method_choice)]
    pub(crate) method: MethodChoice,
    /// Score likelihood cross-validation and measure the participation ratio on this many
    /// held-out points instead of all n (for large n).
    #[arg(long, allow_hyphen_values = true, value_name = "M", value_parser = count)]
    pub(crate) held_out: Option<usize>,
    /// Seed of the held-out subset.
    #[arg(
        long,
        allow_hyphen_values = true,
        value_name = "S",
        default_value_t = 0,
        requires = "held_out"
    )]
    pub(crate) seed: u64,
}

/// The value of `hdkde bandwidth --method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MethodChoice {
    /// One selector.
    One(Method),
    /// scott, silverman, lcv, lscv and kl.
    All,
}

/// `hdkde theory`.
#[derive(Debug, Args)]
pub(crate) struct TheoryArgs {
    /// alpha = ln(n) / d (natural log), > 0.
    #[arg(long, value_name = "A", allow_hyphen_values = true, value_parser = positive)]
    pub(crate) alpha: f64,
    /// Isotropic data standard deviation (Sigma = sigma^2 I).
    #[arg(long, allow_hyphen_values = true, value_name = "S", default_value_t = 1.0, value_parser = positive,
          conflicts_with = "spectrum")]
    pub(crate) sigma: f64,
    /// Covariance spectrum: a text file with one eigenvalue per line, or a 1-D .npy.
    #[arg(long, value_name = "FILE")]
    pub(crate) spectrum: Option<PathBuf>,
    /// A bandwidth h to place in the phase diagram (adds mu, regime, ell, kl, y2).
    #[arg(long, value_name = "H", allow_hyphen_values = true, value_parser = positive)]
    pub(crate) bandwidth: Option<f64>,
    /// Dimension d for the finite-d corrections (adds r_min_d, h_kl_d; ell_d, kl_d, y2_d with
    /// --bandwidth).
    #[arg(long, allow_hyphen_values = true, value_name = "D", value_parser = count)]
    pub(crate) dim: Option<usize>,
}

/// `hdkde stable`.
#[derive(Debug, Args)]
pub(crate) struct StableArgs {
    #[command(subcommand)]
    pub(crate) function: StableCommand,
}

/// The functions of a stable law.
#[derive(Debug, Subcommand)]
pub(crate) enum StableCommand {
    /// Probability density at x.
    Pdf(StablePoints),
    /// Natural log of the density at x (finite far into the tails).
    Logpdf(StablePoints),
    /// Distribution function P(X <= x).
    Cdf(StablePoints),
    /// Survival function P(X > x), computed in its own right (not as 1 - cdf).
    Sf(StablePoints),
    /// Quantile function: the x with P(X <= x) = p, for each p given with --x.
    Quantile(StablePoints),
    /// Independent draws (Chambers-Mallows-Stuck), reproducible from --seed.
    Sample(StableSample),
}

/// The law `S(alpha, beta, scale, loc; param)`.
#[derive(Debug, Args)]
pub(crate) struct StableLaw {
    /// Stability index alpha in (0, 2].
    #[arg(long, value_name = "A", allow_hyphen_values = true, value_parser = finite)]
    pub(crate) alpha: f64,
    /// Skewness beta in [-1, 1].
    #[arg(long, value_name = "B", allow_hyphen_values = true, value_parser = finite)]
    pub(crate) beta: f64,
    /// Scale gamma > 0.
    #[arg(long, value_name = "C", default_value_t = 1.0, allow_hyphen_values = true,
          value_parser = finite)]
    pub(crate) scale: f64,
    /// Location delta (in the parameterisation of --param).
    #[arg(long, value_name = "M", default_value_t = 0.0, allow_hyphen_values = true,
          value_parser = finite)]
    pub(crate) loc: f64,
    /// Nolan's parameterisation of the location: S1 (default; scipy's levy_stable default,
    /// the mean for alpha > 1) or S0 (continuous in alpha, location near the mode).
    #[arg(
        long,
        value_enum,
        value_name = "S0|S1",
        default_value = "s1",
        ignore_case = true
    )]
    pub(crate) param: ParamArg,
}

/// Nolan's parameterisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ParamArg {
    /// S0: continuous in all parameters.
    S0,
    /// S1: Samorodnitsky-Taqqu.
    S1,
}

/// Where to evaluate a stable law's function.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("points").required(true).args(["x", "x_file"])))]
pub(crate) struct StablePoints {
    #[command(flatten)]
    pub(crate) law: StableLaw,
    /// Comma-separated points (probabilities for quantile); negative values as --x=-5,0.5.
    #[arg(long, value_name = "X1,X2,...", value_delimiter = ',', allow_hyphen_values = true,
          value_parser = number)]
    pub(crate) x: Vec<f64>,
    /// A file of points: one per line (text/CSV, one column) or a 1-D .npy.
    #[arg(long, value_name = "FILE")]
    pub(crate) x_file: Option<PathBuf>,
    /// Output file (.npy or .csv, two columns x and value); default: standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// `hdkde stable sample`.
#[derive(Debug, Args)]
pub(crate) struct StableSample {
    #[command(flatten)]
    pub(crate) law: StableLaw,
    /// Number of draws.
    #[arg(long, allow_hyphen_values = true, value_name = "N", value_parser = count)]
    pub(crate) n: usize,
    /// Seed of the random stream (the same seed gives the same draws).
    #[arg(
        long,
        allow_hyphen_values = true,
        value_name = "S",
        default_value_t = 0
    )]
    pub(crate) seed: u64,
    /// Output file (.npy or .csv); default: standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// `hdkde sample`.
#[derive(Debug, Args)]
pub(crate) struct SampleArgs {
    #[command(subcommand)]
    pub(crate) law: SampleCommand,
}

/// The laws `hdkde sample` draws from.
#[derive(Debug, Subcommand)]
pub(crate) enum SampleCommand {
    /// Centred Gaussian data N(0, Sigma): isotropic, or with a given covariance spectrum.
    Gaussian(SampleGaussian),
    /// Points from the kernel density estimate of a data file.
    Kde(SampleKde),
}

/// `hdkde sample gaussian`.
#[derive(Debug, Args)]
pub(crate) struct SampleGaussian {
    /// Number of points.
    #[arg(long, allow_hyphen_values = true, value_name = "N", value_parser = count)]
    pub(crate) n: usize,
    /// Dimension (optional with --spectrum, whose length it must match).
    #[arg(long, allow_hyphen_values = true, value_name = "D", value_parser = count, required_unless_present = "spectrum")]
    pub(crate) dim: Option<usize>,
    /// Standard deviation of every coordinate.
    #[arg(long, allow_hyphen_values = true, value_name = "S", default_value_t = 1.0, value_parser = positive,
          conflicts_with = "spectrum")]
    pub(crate) sigma: f64,
    /// Covariance spectrum: a text file with one eigenvalue per line, or a 1-D .npy
    /// (Sigma = diag(spectrum), or rotated with --rotate).
    #[arg(long, value_name = "FILE")]
    pub(crate) spectrum: Option<PathBuf>,
    /// Rotate the spectrum's eigenbasis by a Haar-random rotation drawn from --seed.
    #[arg(long, requires = "spectrum")]
    pub(crate) rotate: bool,
    /// Seed of the random stream (the same seed gives the same points on any thread count).
    #[arg(
        long,
        allow_hyphen_values = true,
        value_name = "S",
        default_value_t = 0
    )]
    pub(crate) seed: u64,
    /// Output file (.npy or .csv).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
}

/// `hdkde sample kde`.
#[derive(Debug, Args)]
pub(crate) struct SampleKde {
    /// Data file (n x d): .npy, .csv, .tsv, or - for CSV on standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) data: PathBuf,
    /// Bandwidth: a positive number h, or scott, silverman, lcv, lscv, kl (as for eval).
    #[arg(long, value_name = "H", allow_hyphen_values = true, value_parser = bandwidth_spec)]
    pub(crate) bandwidth: BandwidthSpec,
    /// Kernel (as for eval).
    #[arg(long, allow_hyphen_values = true, default_value = "gaussian", value_name = "NAME", value_parser = kernel)]
    pub(crate) kernel: Kernel,
    /// Number of points to draw.
    #[arg(long, allow_hyphen_values = true, value_name = "N", value_parser = count)]
    pub(crate) n: usize,
    /// Seed of the random stream (the same seed gives the same points on any thread count).
    #[arg(
        long,
        allow_hyphen_values = true,
        value_name = "S",
        default_value_t = 0
    )]
    pub(crate) seed: u64,
    /// Output file (.npy or .csv).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
}

/// A finite number.
fn finite(text: &str) -> Result<f64, String> {
    let v = number(text)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("must be a finite number, got {v}"))
    }
}

/// Any number (NaN and infinities are left to the caller).
fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("not a number: {text:?}"))
}

/// A finite number > 0.
pub(crate) fn positive(text: &str) -> Result<f64, String> {
    let v = number(text)?;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("must be a finite number > 0, got {v}"))
    }
}

/// An integer >= 1.
fn count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(v) => Ok(v),
        Err(_) => Err(format!("not a positive integer: {text:?}")),
    }
}

fn kernel(text: &str) -> Result<Kernel, String> {
    text.parse::<Kernel>().map_err(|e| e.to_string())
}

fn method_choice(text: &str) -> Result<MethodChoice, String> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(MethodChoice::All);
    }
    method_from_name(text)
        .map(MethodChoice::One)
        .ok_or_else(|| format!("unknown selector {text:?} (known: {SELECTOR_NAMES}, all)"))
}

fn bandwidth_spec(text: &str) -> Result<BandwidthSpec, String> {
    text.parse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn interface_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn value_parsers() {
        assert_eq!(positive("0.5"), Ok(0.5));
        assert!(positive("0").unwrap_err().contains("> 0"));
        assert!(positive("-1").is_err());
        assert!(positive("nan").is_err());
        assert!(positive("abc").unwrap_err().contains("not a number"));
        assert_eq!(finite("-3"), Ok(-3.0));
        assert!(finite("inf").is_err());
        assert_eq!(count("3"), Ok(3));
        assert!(count("0").is_err() && count("-2").is_err());
        assert!(kernel("box").unwrap_err().contains("epanechnikov"));
    }
}
