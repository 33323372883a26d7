//! The fitted kernel density estimate and its settings.

use hdkde_kernels::{DimKernel, Kernel};
use nalgebra::DMatrix;
use rayon::prelude::*;

use crate::bandwidth::{Bandwidth, Whitening};
use crate::diagnostics::{DiagAcc, Diagnostics};
use crate::engine::{self, LogSumExp, Problem, Whitened};
use crate::real::Real;
use crate::KdeError;

/// The precision the data are stored and multiplied in.
///
/// `F64` (the default) is exact to about `1e-10` in `ln rho_hat`. `F32` stores the whitened
/// data in single precision and forms the dot products with a single-precision matrix
/// product (twice the arithmetic rate and half the memory); for the Gaussian kernel the
/// log-terms and their exponentials are single precision too (sixteen per vector), while
/// the log-sum-exp is accumulated in `f64` (partial sums of at most 32 terms per lane in
/// `f32`, about `1e-7` relative; on CPUs with AVX-512 the products and exponentials are
/// fused in one kernel, in the same precision). Its error in `ln rho_hat` is dominated by the dot products:
/// about `f32::EPSILON * sqrt(d) * (|z_x|^2 + |z_i|^2) / 2` for the dominant terms (`z`: whitened
/// coordinates), e.g. `~1e-5` at `d = 64` with `h` near the data's scale; no exact refinement
/// is made on this path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Precision {
    /// Double precision throughout (exact path).
    #[default]
    F64,
    /// Single-precision storage and matrix products, double-precision reductions.
    F32,
}

#[derive(Debug, Clone)]
enum Storage {
    F64(Whitened<f64>),
    F32(Whitened<f32>),
}

impl Storage {
    fn len(&self) -> usize {
        match self {
            Storage::F64(w) => w.len(),
            Storage::F32(w) => w.len(),
        }
    }

    fn dim(&self) -> usize {
        match self {
            Storage::F64(w) => w.d,
            Storage::F32(w) => w.d,
        }
    }

    fn row_f64(&self, i: usize) -> Vec<f64> {
        match self {
            Storage::F64(w) => {
                let mut r = vec![0.0; w.d];
                w.copy_row(i, &mut r);
                r
            }
            Storage::F32(w) => {
                let mut r = vec![0.0f32; w.d];
                w.copy_row(i, &mut r);
                r.iter().map(|v| f64::from(*v)).collect()
            }
        }
    }
}

/// Settings of a kernel density estimate, before it sees data: bandwidth, kernel, weights.
///
/// ```
/// use hdkde_estimator::{Bandwidth, KdeParams};
/// use hdkde_kernels::Kernel;
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_row_slice(3, 2, &[0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
/// let kde = KdeParams::new(Bandwidth::Scalar(0.5))
///     .kernel(Kernel::Epanechnikov)
///     .weights(vec![1.0, 2.0, 1.0])
///     .fit(&data)
///     .unwrap();
/// assert_eq!(kde.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct KdeParams {
    bandwidth: Bandwidth,
    kernel: Kernel,
    weights: Option<Vec<f64>>,
    precision: Precision,
}

impl KdeParams {
    /// Gaussian kernel, equal weights, the given bandwidth.
    pub fn new(bandwidth: impl Into<Bandwidth>) -> Self {
        KdeParams {
            bandwidth: bandwidth.into(),
            kernel: Kernel::Gaussian,
            weights: None,
            precision: Precision::F64,
        }
    }

    /// Store and multiply the data in `precision` (see [`Precision`]).
    pub fn precision(mut self, precision: Precision) -> Self {
        self.precision = precision;
        self
    }

    /// Use `kernel`.
    pub fn kernel(mut self, kernel: Kernel) -> Self {
        self.kernel = kernel;
        self
    }

    /// Weight the data points (non-negative, finite, not all zero; normalised internally).
    pub fn weights(mut self, weights: Vec<f64>) -> Self {
        self.weights = Some(weights);
        self
    }

    /// Fit on `data`, one point per row (`n x d`).
    pub fn fit(&self, data: &DMatrix<f64>) -> Result<Kde, KdeError> {
        let (n, d) = data.shape();
        if n == 0 {
            return Err(KdeError::EmptyData);
        }
        if d == 0 {
            return Err(KdeError::ZeroDimension);
        }
        let mut rows = Vec::with_capacity(n * d);
        for i in 0..n {
            rows.extend(data.row(i).iter());
        }
        self.fit_rows(rows, d)
    }

    /// Fit on a row-major buffer of `n * d` values, taking ownership: the buffer is centred and
    /// whitened in place, so fitting needs no second copy of the data.
    pub fn fit_rows(&self, mut rows: Vec<f64>, d: usize) -> Result<Kde, KdeError> {
        let fit = self.check(&rows, d)?;
        let centre = column_means(&rows, d);
        let whiten = |r: &mut [f64]| fit.whitening.apply(r, &centre);
        let data = match self.precision {
            Precision::F64 => Storage::F64(Whitened::from_rows_prepared(rows, d, whiten)),
            Precision::F32 => {
                rows.par_chunks_mut(d).for_each(whiten);
                let narrow: Vec<f32> = rows.iter().map(|&v| v as f32).collect();
                drop(rows);
                Storage::F32(Whitened::from_rows(narrow, d))
            }
        };
        Ok(fit.into_kde(self.bandwidth.clone(), centre, data))
    }

    /// Fit on a row-major buffer of single-precision values, taking ownership and whitening
    /// in place: the `f32` path with no `f64` copy of the data (peak memory: the buffer
    /// itself plus `O(n)`). The precision setting is ignored: this is always [`Precision::F32`].
    pub fn fit_rows_f32(&self, mut rows: Vec<f32>, d: usize) -> Result<Kde, KdeError> {
        let fit = self.check(&rows, d)?;
        let centre = column_means(&rows, d);
        rows.par_chunks_mut(d).for_each(|r| {
            let mut wide: Vec<f64> = r.iter().map(|v| f64::from(*v)).collect();
            fit.whitening.apply(&mut wide, &centre);
            r.iter_mut().zip(&wide).for_each(|(o, v)| *o = *v as f32);
        });
        let data = Storage::F32(Whitened::from_rows(rows, d));
        Ok(fit.into_kde(self.bandwidth.clone(), centre, data))
    }

    /// Validate a row-major buffer and the settings against it.
    fn check<T: Real>(&self, rows: &[T], d: usize) -> Result<Checked, KdeError> {
        if d == 0 {
            return Err(KdeError::ZeroDimension);
        }
        if rows.is_empty() {
            return Err(KdeError::EmptyData);
        }
        if rows.len() % d != 0 {
            return Err(KdeError::RaggedBuffer {
                len: rows.len(),
                dim: d,
            });
        }
        let n = rows.len() / d;
        if let Some(pos) = non_finite_in(rows) {
            return Err(KdeError::NonFiniteData {
                row: pos / d,
                col: pos % d,
            });
        }
        let kernel = self.kernel.in_dim(d)?;
        let (whitening, ln_det) = Whitening::new(&self.bandwidth, d)?;
        let ln_p = match &self.weights {
            None => None,
            Some(w) => Some(normalised_log_weights(w, n)?),
        };
        let ln_shift =
            kernel.ln_norm() - ln_det - if ln_p.is_none() { (n as f64).ln() } else { 0.0 };
        Ok(Checked {
            kernel,
            whitening,
            ln_shift,
            ln_p,
        })
    }
}

/// Settings checked against a data set, before the data are whitened.
struct Checked {
    kernel: DimKernel,
    whitening: Whitening,
    ln_shift: f64,
    ln_p: Option<Vec<f64>>,
}

impl Checked {
    fn into_kde(self, bandwidth: Bandwidth, centre: Vec<f64>, data: Storage) -> Kde {
        Kde {
            kernel: self.kernel,
            bandwidth,
            whitening: self.whitening,
            ln_shift: self.ln_shift,
            centre,
            data,
            ln_p: self.ln_p,
        }
    }
}

fn normalised_log_weights(w: &[f64], n: usize) -> Result<Vec<f64>, KdeError> {
    if w.len() != n {
        return Err(KdeError::WeightsLength {
            expected: n,
            found: w.len(),
        });
    }
    if let Some(index) = w.iter().position(|&v| !(v.is_finite() && v >= 0.0)) {
        return Err(KdeError::BadWeight { index });
    }
    let max = w.iter().copied().fold(0.0, f64::max);
    if max == 0.0 {
        return Err(KdeError::ZeroTotalWeight);
    }
    // Scale by the maximum first so that huge or tiny weights cannot overflow the total.
    let total: f64 = w.iter().map(|v| v / max).sum();
    let ln_total = total.ln() + max.ln();
    Ok(w.iter().map(|&v| v.ln() - ln_total).collect())
}

/// The index of the first value of `values` that is infinite or NaN, if any. Checked in
/// pieces on all threads, each piece in one vectorised pass (no early exit inside a piece),
/// so a clean buffer costs a fraction of a read of it.
///
/// ```
/// use hdkde_estimator::first_non_finite;
///
/// assert_eq!(first_non_finite(&[1.0, 2.0, f64::NAN, f64::INFINITY]), Some(2));
/// assert_eq!(first_non_finite(&[0.5; 100_000]), None);
/// ```
pub fn first_non_finite(values: &[f64]) -> Option<usize> {
    non_finite_in(values)
}

/// [`first_non_finite`] for either storage precision.
fn non_finite_in<T: Real>(values: &[T]) -> Option<usize> {
    const PIECE: usize = 1 << 14;
    let piece = values
        .par_chunks(PIECE)
        .position_first(|c| !all_finite(c))?;
    let start = piece * PIECE;
    values[start..]
        .iter()
        .position(|v| !v.widen().is_finite())
        .map(|i| start + i)
}

/// Whether every value is finite: the exponent bits of eight values at a time, or-ed into
/// eight lanes (no branch in the loop, so it vectorises).
fn all_finite<T: Real>(values: &[T]) -> bool {
    const EXPONENT: u64 = 0x7ff0_0000_0000_0000;
    let flag = |v: &T| u64::from(v.widen().to_bits() & EXPONENT == EXPONENT);
    let mut lanes = [0u64; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..8 {
            lanes[l] |= flag(&c[l]);
        }
    }
    lanes.iter().all(|&f| f == 0) && rest.iter().all(|v| flag(v) == 0)
}

/// Column means of `n * d` row-major values: sums over pieces of 1,024 rows on all threads,
/// the pieces' sums added in order (the same result whatever the number of threads).
fn column_means<T: Real>(rows: &[T], d: usize) -> Vec<f64> {
    const PIECE: usize = 1024;
    let n = rows.len() / d.max(1);
    let pieces: Vec<Vec<f64>> = rows
        .par_chunks(PIECE * d.max(1))
        .map(|piece| {
            let mut sum = vec![0.0; d];
            for r in piece.chunks_exact(d.max(1)) {
                for (s, v) in sum.iter_mut().zip(r) {
                    *s += v.widen();
                }
            }
            sum
        })
        .collect();
    let mut sum = vec![0.0; d];
    for piece in pieces {
        sum.iter_mut().zip(piece).for_each(|(s, p)| *s += p);
    }
    sum.iter_mut().for_each(|s| *s /= n.max(1) as f64);
    sum
}

/// A fitted kernel density estimate, evaluated exactly in log space.
///
/// `ln rho_hat(x) = ln sum_i p_i K_H(x - y_i)` over **all** data points (no truncation, no
/// tree): the squared distances come from blocked matrix products with exact recomputation of
/// the terms that matter when rounding could, and the sum is a streaming log-sum-exp. The
/// result is finite wherever the true value is, at any dimension.
///
/// With a compact kernel, `ln rho_hat(x) = -inf` exactly at the points `x` that lie outside
/// the support of every data point's kernel.
///
/// ```
/// use hdkde_estimator::Kde;
/// use nalgebra::DMatrix;
///
/// // Two points in d = 10,000; the density is ~exp(-10^6) but its log is exact.
/// let d = 10_000;
/// let data = DMatrix::from_fn(2, d, |i, _| i as f64);
/// let kde = Kde::new(&data, 0.1).unwrap();
/// let q = DMatrix::from_element(1, d, 0.5);
/// let ln_rho = kde.log_density(&q).unwrap()[0];
/// assert!(ln_rho.is_finite());
/// ```
#[derive(Debug, Clone)]
pub struct Kde {
    kernel: DimKernel,
    bandwidth: Bandwidth,
    whitening: Whitening,
    /// `ln c_d - ln det L` (minus `ln n` when unweighted).
    ln_shift: f64,
    centre: Vec<f64>,
    data: Storage,
    ln_p: Option<Vec<f64>>,
}

impl Kde {
    /// Gaussian-kernel estimate with equal weights (shorthand for
    /// `KdeParams::new(bandwidth).fit(data)`).
    pub fn new(data: &DMatrix<f64>, bandwidth: impl Into<Bandwidth>) -> Result<Self, KdeError> {
        KdeParams::new(bandwidth).fit(data)
    }

    /// Number of data points `n`.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Always false: a fitted estimate has at least one point.
    pub fn is_empty(&self) -> bool {
        self.data.len() == 0
    }

    /// Dimension `d`.
    pub fn dim(&self) -> usize {
        self.data.dim()
    }

    /// The kernel, bound to the dimension.
    pub fn kernel(&self) -> DimKernel {
        self.kernel
    }

    /// The bandwidth.
    pub fn bandwidth(&self) -> &Bandwidth {
        &self.bandwidth
    }

    /// The normalised weights `p_i` (summing to one).
    pub fn weights(&self) -> Vec<f64> {
        match &self.ln_p {
            Some(lp) => lp.iter().map(|v| v.exp()).collect(),
            None => vec![1.0 / self.len() as f64; self.len()],
        }
    }

    /// The data point `i`, reconstructed from its whitened form (`None` if out of range).
    pub fn point(&self, i: usize) -> Option<Vec<f64>> {
        if i >= self.len() {
            return None;
        }
        Some(self.whitening.unapply(&self.data.row_f64(i), &self.centre))
    }

    /// `n` draws from the estimate, one per row of the returned `n x d` matrix, determined by
    /// `seed` alone (bit-identical for any number of threads).
    ///
    /// A draw picks a data point by weight and adds kernel noise shaped by the bandwidth:
    /// `y_i + L U`, `U` from the unit kernel (see [`hdkde_samplers::KdeSampler`]). Sampling runs
    /// in the whitened coordinates the estimate already stores, `x = centre + L (z_i + U)`, so
    /// it needs no copy of the data.
    ///
    /// ```
    /// use hdkde_estimator::Kde;
    /// use nalgebra::DMatrix;
    ///
    /// let data = DMatrix::from_row_slice(2, 1, &[-5.0, 5.0]);
    /// let kde = Kde::new(&data, 0.1).unwrap();
    /// let x = kde.sample(1000, 42).unwrap();
    /// assert!(x.iter().all(|v| (v.abs() - 5.0).abs() < 1.0));
    /// ```
    pub fn sample(&self, n: usize, seed: u64) -> Result<DMatrix<f64>, KdeError> {
        let d = self.dim();
        let rows = self.sample_rows(n, seed)?;
        Ok(DMatrix::from_row_slice(n, d, &rows))
    }

    /// Like [`Kde::sample`], as a row-major buffer of `n * d` values.
    pub fn sample_rows(&self, n: usize, seed: u64) -> Result<Vec<f64>, KdeError> {
        use hdkde_samplers::{Bandwidth as NoiseShape, KdeSampler, SampleMatrix};
        let d = self.dim();
        let weights = self.ln_p.as_ref().map(|_| self.weights());
        let unit = NoiseShape::scalar(1.0).map_err(|_| KdeError::BadBandwidth { index: 0 })?;
        // The sampler reads row-major f64 points: the stored blocks are copied out once.
        let points: Vec<f64> = match &self.data {
            Storage::F64(w) => w.to_rows(),
            Storage::F32(w) => w.to_rows().iter().map(|v| f64::from(*v)).collect(),
        };
        let sampler = KdeSampler::new(&points, d, weights.as_deref(), self.kernel.kernel(), unit)
            .map_err(|_| KdeError::ZeroTotalWeight)?;
        let mut rows = sampler.sample_row_major(n, seed);
        rows.par_chunks_mut(d).for_each(|r| {
            let x = self.whitening.unapply(r, &self.centre);
            r.copy_from_slice(&x);
        });
        Ok(rows)
    }

    /// `ln rho_hat` at each row of `queries` (`m x d`).
    pub fn log_density(&self, queries: &DMatrix<f64>) -> Result<Vec<f64>, KdeError> {
        let q = self.whiten_queries(queries)?;
        Ok(self.lse(Some(q), false))
    }

    /// `ln rho_hat` at each row of a row-major buffer of queries (`m * d` values).
    pub fn log_density_rows(&self, queries: &[f64]) -> Result<Vec<f64>, KdeError> {
        let q = self.whiten_rows(queries.to_vec())?;
        Ok(self.lse(Some(q), false))
    }

    /// `ln rho_hat(y_i)` at every data point `i` (the point included in its own estimate).
    pub fn log_density_at_data(&self) -> Vec<f64> {
        self.lse(None, false)
    }

    /// Leave-one-out `ln rho_hat_(-i)(y_i)` at every data point `i`: the estimate built from the
    /// other points (weights renormalised), evaluated at `y_i`. Needs two points with positive
    /// weight.
    pub fn log_density_loo(&self) -> Result<Vec<f64>, KdeError> {
        let loo_shift = self.loo_shifts()?;
        let accs = self.reduce(None, true, || self.new_lse());
        Ok(accs
            .iter()
            .zip(loo_shift)
            .map(|(a, c)| a.value_shifted(self.ln_shift + c))
            .collect())
    }

    /// Per-query diagnostics (see [`Diagnostics`]) with the `top_k` largest contributors.
    pub fn diagnose(
        &self,
        queries: &DMatrix<f64>,
        top_k: usize,
    ) -> Result<Vec<Diagnostics>, KdeError> {
        let q = self.whiten_queries(queries)?;
        self.diag(Some(q), false, top_k)
    }

    /// Per-query diagnostics for a row-major buffer of queries.
    pub fn diagnose_rows(
        &self,
        queries: &[f64],
        top_k: usize,
    ) -> Result<Vec<Diagnostics>, KdeError> {
        let q = self.whiten_rows(queries.to_vec())?;
        self.diag(Some(q), false, top_k)
    }

    /// Leave-one-out diagnostics at every data point.
    pub fn diagnose_loo(&self, top_k: usize) -> Result<Vec<Diagnostics>, KdeError> {
        self.diag(None, true, top_k)
    }

    /// `q`: whitened query rows, or `None` for the data points themselves.
    fn diag(
        &self,
        q: Option<Vec<f64>>,
        loo: bool,
        top_k: usize,
    ) -> Result<Vec<Diagnostics>, KdeError> {
        if top_k == 0 {
            return Err(KdeError::ZeroTopK);
        }
        let shifts = if loo { Some(self.loo_shifts()?) } else { None };
        let accs = self.reduce(q, loo, || DiagAcc::new(top_k));
        let ln_n = self.ln_n_offset();
        Ok(accs
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let shift = self.ln_shift + shifts.as_ref().map_or(0.0, |s| s[i]);
                a.finish(shift, ln_n)
            })
            .collect())
    }

    fn new_lse(&self) -> LogSumExp {
        match self.data {
            Storage::F64(_) => LogSumExp::new(),
            Storage::F32(_) => LogSumExp::single(),
        }
    }

    /// `ln Z` minus the log-sum-exp of the engine's terms: `ln n` when the terms carry the
    /// normalised weights `ln p_i` (weights `omega_i = n p_i`), `0` for equal weights (the
    /// terms are then `ln k_i` alone).
    fn ln_n_offset(&self) -> f64 {
        if self.ln_p.is_some() {
            (self.len() as f64).ln()
        } else {
            0.0
        }
    }

    /// Per-point leave-one-out renormalisation `-ln(1 - p_i)` (weighted) or
    /// `ln n - ln(n - 1)` (equal weights), added to the full-sample shift.
    fn loo_shifts(&self) -> Result<Vec<f64>, KdeError> {
        let n = self.len();
        match &self.ln_p {
            None => {
                if n < 2 {
                    return Err(KdeError::TooFewPointsForLoo);
                }
                let c = (n as f64).ln() - ((n - 1) as f64).ln();
                Ok(vec![c; n])
            }
            Some(lp) => {
                let positive = lp.iter().filter(|v| **v > f64::NEG_INFINITY).count();
                if positive < 2 {
                    return Err(KdeError::TooFewPointsForLoo);
                }
                Ok(lp.iter().map(|l| -(-l.exp()).ln_1p()).collect())
            }
        }
    }

    fn lse(&self, q: Option<Vec<f64>>, loo: bool) -> Vec<f64> {
        self.reduce(q, loo, || self.new_lse())
            .iter()
            .map(|a| a.value_shifted(self.ln_shift))
            .collect()
    }

    /// Run the engine in the storage precision; `q` is whitened query rows in `f64` (narrowed
    /// here for the `f32` path), or `None` to evaluate at the data points.
    fn reduce<A: engine::Accumulator, F: Fn() -> A + Sync>(
        &self,
        q: Option<Vec<f64>>,
        loo: bool,
        make: F,
    ) -> Vec<A> {
        match &self.data {
            Storage::F64(data) => {
                let q = q.map(|rows| Whitened::from_rows(rows, data.d));
                self.reduce_in(data, q.as_ref(), loo, make, true)
            }
            Storage::F32(data) => {
                let q = q.map(|rows| {
                    Whitened::from_rows(rows.iter().map(|&v| f32::narrow(v)).collect(), data.d)
                });
                self.reduce_in(data, q.as_ref(), loo, make, false)
            }
        }
    }

    fn reduce_in<T: Real, A: engine::Accumulator, F: Fn() -> A + Sync>(
        &self,
        data: &Whitened<T>,
        q: Option<&Whitened<T>>,
        loo: bool,
        make: F,
        refine: bool,
    ) -> Vec<A> {
        let ln_p = self.ln_p.as_deref();
        let q = q.unwrap_or(data);
        if self.kernel.kernel() == Kernel::Gaussian {
            let problem = Problem {
                data,
                ln_p,
                profile: |r2: f64| -0.5 * r2.max(0.0),
                loo,
                gaussian: true,
                refine,
            };
            engine::run(&problem, q, make)
        } else {
            let k = self.kernel;
            let problem = Problem {
                data,
                ln_p,
                profile: move |r2: f64| k.ln_profile(r2),
                loo,
                gaussian: false,
                refine,
            };
            engine::run(&problem, q, make)
        }
    }

    fn whiten_queries(&self, queries: &DMatrix<f64>) -> Result<Vec<f64>, KdeError> {
        let (m, d) = queries.shape();
        if d != self.dim() {
            return Err(KdeError::DimensionMismatch {
                expected: self.dim(),
                found: d,
            });
        }
        let mut rows = Vec::with_capacity(m * d);
        for i in 0..m {
            rows.extend(queries.row(i).iter());
        }
        self.whiten_rows(rows)
    }

    fn whiten_rows(&self, mut rows: Vec<f64>) -> Result<Vec<f64>, KdeError> {
        let d = self.dim();
        if rows.len() % d != 0 {
            return Err(KdeError::RaggedBuffer {
                len: rows.len(),
                dim: d,
            });
        }
        if let Some(pos) = first_non_finite(&rows) {
            return Err(KdeError::NonFiniteQuery {
                row: pos / d,
                col: pos % d,
            });
        }
        rows.par_chunks_mut(d)
            .for_each(|r| self.whitening.apply(r, &self.centre));
        Ok(rows)
    }
}
