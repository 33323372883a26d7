//! Empirical-versus-analytic property tests of the regime theory.
//!
//! Gaussian data (`N(0, I_d)`, `d = 20..80`, `n = e^(alpha d)` up to 50,000 points) are fed to
//! the exact estimator of `hdkde-estimator`; the per-query diagnostics are averaged over test
//! points and data sets and held against the finite-`d` predictions of
//! [`hdkde_theory::regimes`]:
//!
//! * [`min_distance`]: the mean minimum scaled distance against the saddle-point integral and
//!   the spec's Bahadur-Rao + Gumbel formula;
//! * [`log_density`]: `E[(1/d) ln rho_hat]` and `E[Y2]` against the finite-`n` REM prediction
//!   in all three regimes (property test over `d`, `n`, `h / h_G`);
//! * [`participation`]: `E[Y2]` against `1 - mu` deep in the extreme regime, near 0 in the
//!   CLT regime;
//! * [`tail_index`]: the Hill estimate of the tail index of the kernel terms near the edge
//!   in the stable regime, against its exact finite-`n` value and against `mu`;
//! * [`fluctuations`]: across data sets, heavy right skew of `rho_hat(x)` in the stable
//!   regime and Gaussian fluctuations in the CLT regime.
//!
//! Every comparison allows [`support::Z`] Monte Carlo standard errors, computed from the
//! simulation itself (the larger of the per-point and between-data-set estimates), plus the
//! size of the neglected finite-`d` terms, stated next to the assertion. Seeds are fixed.
//! The `#[ignore]`d sweeps repeat the checks on a wider grid:
//! `cargo test -p hdkde-theory --test empirical -- --ignored`.

#[path = "empirical/fluctuations.rs"]
mod fluctuations;
#[path = "empirical/log_density.rs"]
mod log_density;
#[path = "empirical/min_distance.rs"]
mod min_distance;
#[path = "empirical/noncentral.rs"]
mod noncentral;
#[path = "empirical/participation.rs"]
mod participation;
#[path = "empirical/support.rs"]
mod support;
#[path = "empirical/tail_index.rs"]
mod tail_index;
