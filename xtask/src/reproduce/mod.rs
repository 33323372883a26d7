//! `cargo xtask reproduce [--out DIR] [--full] [--seed S]`: the phase diagram of the
//! Gaussian-kernel density estimator in large dimensions and its Monte Carlo check.
//!
//! Stages (each with a progress bar):
//!
//! 1. [`sweep`]: data sets at several `d` with `n = e^(alpha d)`, diagnostics of the
//!    estimator over a bandwidth grid around `h_G`;
//! 2. [`theory`]: the finite-`d` predictions at the same `(n, d, h)`;
//! 3. [`kl`]'s likelihood cross-validation on fresh data sets;
//! 4. [`fluctuations`]: many data sets for one fixed test point, in each regime;
//! 5. the figures ([`phase`], [`participation`], [`log_density`], [`kl`],
//!    [`fluctuations`]) and [`report`].
//!
//! Output: five SVG figures and `report.md` in the output folder, plus `timing.txt` (the wall
//! time, kept out of the report so that the report is byte-identical for a fixed seed).

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

mod data;
mod fluctuations;
mod kl;
mod log_density;
mod participation;
mod phase;
mod plot;
mod report;
mod stable_fit;
mod stats;
mod sweep;
mod theory;

/// Command-line arguments of `cargo xtask reproduce`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Output folder (created if needed).
    #[arg(long, default_value = "target/reproduce")]
    out: PathBuf,
    /// The larger-`d`, more-seeds version for the record (several times slower).
    #[arg(long)]
    full: bool,
    /// Run seed: every random stream derives from it.
    #[arg(long, default_value_t = 20240811)]
    seed: u64,
}

/// Everything that can stop a reproduction.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum Error {
    /// Reading or writing a file.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The estimator refused its input.
    #[error("estimator: {0}")]
    Kde(#[from] hdkde_estimator::KdeError),
    /// The regime theory refused its input.
    #[error("theory: {0}")]
    Theory(#[from] hdkde_theory::regimes::Error),
    /// The stable law refused its parameters.
    #[error("stable law: {0}")]
    Stable(#[from] hdkde_theory::stable::StableError),
    /// A data generator refused its parameters.
    #[error("sampler: {0}")]
    Sampler(#[from] hdkde_samplers::SamplerError),
    /// Bandwidth selection failed.
    #[error("bandwidth selection: {0}")]
    Bandwidth(#[from] hdkde_bandwidth::SelectError),
    /// Drawing a figure failed.
    #[error("plot: {0}")]
    Plot(String),
    /// A computation had nothing to work on.
    #[error("no {0} found")]
    Empty(&'static str),
}

/// Which parameter set a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Preset {
    /// Seconds: for the test of the reproduction itself.
    #[cfg_attr(not(test), allow(dead_code))]
    Tiny,
    /// The default run (under 3 minutes on 2 cores).
    Default,
    /// `--full`: larger `d`, more data sets.
    Full,
}

impl std::fmt::Display for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Preset::Tiny => "tiny",
            Preset::Default => "default",
            Preset::Full => "full",
        })
    }
}

/// The parameters of a run.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) preset: Preset,
    pub(crate) seed: u64,
    /// Nominal `alpha`; each `d` uses `n = round(e^(alpha d))` and `alpha_eff = ln(n)/d`.
    pub(crate) alpha: f64,
    /// Dimensions of the sweep.
    pub(crate) dims: Vec<usize>,
    /// Bandwidths of the sweep, in units of `h_G(alpha_eff)`.
    pub(crate) h_ratios: Vec<f64>,
    /// Independent data sets per dimension.
    pub(crate) datasets: usize,
    /// Test points per data set.
    pub(crate) queries: usize,
    /// Points of the dense theory curves.
    pub(crate) curve_points: usize,
    /// LCV data sets per dimension of the sweep.
    pub(crate) lcv_datasets: usize,
    /// Dimension of the fluctuation study.
    pub(crate) fluct_dim: usize,
    /// Independent data sets of the fluctuation study.
    pub(crate) fluct_datasets: usize,
    /// Bandwidths of the fluctuation study (extreme, stable, CLT), in units of `h_G`.
    pub(crate) fluct_ratios: [f64; 3],
    /// Draw progress bars.
    pub(crate) progress: bool,
}

impl Config {
    /// The parameters of `preset` with run seed `seed`.
    pub(crate) fn new(preset: Preset, seed: u64) -> Self {
        let ratios = vec![0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8];
        match preset {
            Preset::Tiny => Config {
                preset,
                seed,
                alpha: 0.25,
                dims: vec![12],
                h_ratios: vec![0.7, 1.0, 1.5],
                datasets: 4,
                queries: 8,
                curve_points: 6,
                lcv_datasets: 2,
                fluct_dim: 12,
                fluct_datasets: 60,
                fluct_ratios: [0.7, 1.2, 2.0],
                progress: false,
            },
            Preset::Default => Config {
                preset,
                seed,
                alpha: 0.25,
                dims: vec![20, 30, 40],
                h_ratios: ratios,
                datasets: 24,
                queries: 50,
                curve_points: 36,
                lcv_datasets: 8,
                fluct_dim: 30,
                fluct_datasets: 1000,
                fluct_ratios: [0.7, 1.2, 2.0],
                progress: true,
            },
            Preset::Full => Config {
                preset,
                seed,
                alpha: 0.25,
                dims: vec![20, 30, 40, 50],
                h_ratios: ratios,
                datasets: 32,
                queries: 50,
                curve_points: 48,
                lcv_datasets: 8,
                fluct_dim: 40,
                fluct_datasets: 2000,
                fluct_ratios: [0.7, 1.2, 2.0],
                progress: true,
            },
        }
    }

    /// Markdown list of the parameters.
    pub(crate) fn describe(&self) -> String {
        let sizes: Vec<String> = self
            .dims
            .iter()
            .map(|&d| format!("d = {d}: n = {}", data::size_for(self.alpha, d)))
            .collect();
        let ratios: Vec<String> = self.h_ratios.iter().map(|r| format!("{r}")).collect();
        format!(
            "- data: isotropic Gaussian `N(0, I_d)` (sigma = 1), test points `x ~ N(0, I_d)` \
             independent of the data\n\
             - alpha = {} (nominal); {}; each `d` uses `alpha_eff = ln(n)/d`\n\
             - bandwidth sweep: h/h_G in {{{}}}; {} data sets per `d`, {} test points per data \
             set (standard errors from the spread of the {} data-set means)\n\
             - likelihood cross-validation: {} fresh data sets per `d`\n\
             - fluctuations: d = {}, n = {}, one fixed typical test point (random direction, \
             `|x|^2 = d`), {} independent data sets, \
             h/h_G in {{{}, {}, {}}}\n",
            self.alpha,
            sizes.join(", "),
            ratios.join(", "),
            self.datasets,
            self.queries,
            self.datasets,
            self.lcv_datasets,
            self.fluct_dim,
            data::size_for(self.alpha, self.fluct_dim),
            self.fluct_datasets,
            self.fluct_ratios[0],
            self.fluct_ratios[1],
            self.fluct_ratios[2],
        )
    }
}

/// What a run produced.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    /// Every file written, in order.
    pub(crate) files: Vec<PathBuf>,
    /// Rows that agree, and all rows.
    pub(crate) agree: (usize, usize),
    /// Wall time of each stage, in seconds.
    pub(crate) times: Vec<(&'static str, f64)>,
}

fn bar(cfg: &Config, name: &str) -> ProgressBar {
    if !cfg.progress {
        return ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    }
    let b = ProgressBar::new(0);
    let style =
        ProgressStyle::with_template("{prefix:>14} [{bar:40}] {pos}/{len} {elapsed_precise}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    b.set_style(style);
    b.set_prefix(name.to_string());
    b
}

/// Run the reproduction with `cfg`, writing into `out`.
pub(crate) fn run(cfg: &Config, out: &Path) -> Result<Summary, Error> {
    std::fs::create_dir_all(out).map_err(|e| Error::Io(out.to_path_buf(), e))?;
    let mut times = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        times.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let b = bar(cfg, "sweep");
    let sweep = sweep::run(cfg, &b)?;
    b.finish();
    lap("sweep");
    let b = bar(cfg, "theory");
    let curves = theory::run(cfg, &sweep, &b)?;
    b.finish();
    lap("theory");
    let b = bar(cfg, "LCV");
    let lcv = kl::cross_validate(cfg, &b)?;
    b.finish();
    lap("LCV");
    let b = bar(cfg, "fluctuations");
    let fluct = fluctuations::simulate(cfg, &b)?;
    b.finish();
    lap("fluctuations");
    let b = bar(cfg, "figures");
    b.set_length(5);
    let mut sections = Vec::new();
    sections.push(phase::figure(cfg, &sweep, &curves, out)?);
    b.inc(1);
    sections.push(participation::figure(&sweep, &curves, out)?);
    b.inc(1);
    sections.push(log_density::figure(cfg, &sweep, &curves, out)?);
    b.inc(1);
    sections.push(kl::figure(cfg, &sweep, &curves, &lcv, out)?);
    b.inc(1);
    sections.push(fluctuations::figure(cfg, &fluct, out)?);
    b.inc(1);
    b.finish();
    let mut files: Vec<PathBuf> = sections.iter().map(|s| out.join(&s.file)).collect();
    files.push(report::write(cfg, &sections, out)?);
    lap("figures and report");
    let total = sections.iter().map(|s| s.rows.len()).sum();
    let agree = sections.iter().map(report::Section::agreeing).sum();
    Ok(Summary {
        files,
        agree: (agree, total),
        times,
    })
}

/// Entry point of the subcommand: run, time, write `timing.txt`, print the summary.
pub(crate) fn main(args: &Args) -> Result<(), Error> {
    let preset = if args.full {
        Preset::Full
    } else {
        Preset::Default
    };
    let cfg = Config::new(preset, args.seed);
    let start = Instant::now();
    let mut summary = run(&cfg, &args.out)?;
    let wall = start.elapsed().as_secs_f64();
    let timing = args.out.join("timing.txt");
    let threads = rayon::current_num_threads();
    let mut text = format!(
        "preset {preset}, seed {}: wall time {wall:.1} s on {threads} threads\n",
        cfg.seed
    );
    for (stage, t) in &summary.times {
        text.push_str(&format!("  {stage}: {t:.1} s\n"));
    }
    std::fs::write(&timing, &text).map_err(|e| Error::Io(timing.clone(), e))?;
    summary.files.push(timing);
    println!(
        "\nreproduce ({preset} preset, seed {}) finished in {wall:.1} s",
        cfg.seed
    );
    print!(
        "{}",
        text.lines()
            .skip(1)
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
    println!(
        "theory vs simulation: {} of {} rows agree (see report.md)",
        summary.agree.0, summary.agree.1
    );
    println!("files written:");
    for f in &summary.files {
        println!("  {}", f.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
