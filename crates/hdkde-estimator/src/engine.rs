//! The evaluation engine: tiled matrix products, exact refinement, streaming reductions.
//!
//! Squared distances between whitened queries `z_q` and whitened data `z_i` are formed as
//! `|z_q|^2 + |z_i|^2 - 2 z_q . z_i` with the dot products from a matrix product on tiles of
//! `QUERY_TILE` queries by `DATA_TILE` points. Each query's log-terms are reduced across tiles
//! by a streaming accumulator (log-sum-exp, or the diagnostics), so extra memory is
//! `O(QUERY_TILE * DATA_TILE)` per task, never `O(n m)`.
//!
//! **The Gaussian log-sum-exp** (the density itself, not the diagnostics) skips the product
//! tile on CPUs with AVX-512: [`fused`] forms each block of products in registers and
//! exponentiates it there. That path and this one agree to rounding (tested).
//!
//! **Exactness.** The product form loses absolute accuracy `~ sqrt(d) eps (|z_q|^2 + |z_i|^2)`
//! in `r^2`. When that bound exceeds `REFINE_TOL` (small bandwidths in high dimension), every
//! term that can matter to the sum (within `REFINE_WINDOW` nats of the running maximum, judged
//! optimistically with the error bound) is recomputed directly as `sum_j (z_qj - z_ij)^2`.
//! Terms more than `REFINE_WINDOW` = 46 nats below the maximum contribute less than
//! `n e^-46 < 1e-14` relative for `n <= 10^6`.
//!
//! **Single precision.** With `f32` storage, the Gaussian log-terms of the log-sum-exp are
//! formed, shifted and exponentiated in `f32` (sixteen lanes per vector); partial sums of at
//! most 32 exponentials per lane (6 on the fused path) are widened and accumulated in `f64`.
//!
//! **Determinism.** Work items are (query tile, data chunk) pairs, the chunks fixed by the
//! number of data points alone; each item reduces its data tiles in order, and items are
//! merged in chunk order. The result does not depend on the number of threads, on the
//! schedule, or on the other queries of the call.

use rayon::prelude::*;

use crate::fastexp::{sum_exp_shifted, sum_exp_shifted_f32, sum_exp_shifted_single};
use crate::fused;
use crate::real::Real;

/// Queries per tile.
pub(crate) const QUERY_TILE: usize = 512;
/// Data points per tile.
pub(crate) const DATA_TILE: usize = 512;
/// Largest number of data points per independent work item (a multiple of `DATA_TILE`).
pub(crate) const DATA_CHUNK: usize = 16 * 1024;
/// Fewest data chunks when the data have that many tiles: even a single query tile is then
/// split into enough work items for the threads of a workstation to share evenly.
const MIN_CHUNKS: usize = 16;
/// Estimated absolute error in `r^2` (whitened units) above which terms are recomputed
/// exactly. For the Gaussian kernel the log-term error is half of it: `1e-11`, an order of
/// magnitude inside the `1e-10` accuracy target.
const REFINE_TOL: f64 = 2e-11;
/// Terms this many nats below the running maximum are never refined.
const REFINE_WINDOW: f64 = 46.0;

/// A reduction of one query's log-terms, fed tile by tile.
pub(crate) trait Accumulator: Send + Sized {
    /// The running maximum of the terms seen so far (`-inf` if none).
    fn max(&self) -> f64;
    /// Add a tile of log-terms whose first term belongs to data point `first`.
    fn push(&mut self, terms: &[f64], first: usize);
    /// Fold in the accumulator of a later chunk.
    fn merge(&mut self, later: Self);
    /// [`Accumulator::push`] of terms whose maximum `max` the caller already knows.
    fn push_with_max(&mut self, terms: &[f64], first: usize, max: f64) {
        let _ = max;
        self.push(terms, first);
    }
    /// Whether [`Accumulator::push_single`] is this accumulator's fast path (the engine then
    /// forms the Gaussian log-terms of single-precision data in single precision).
    fn wants_single(&self) -> bool {
        false
    }
    /// This accumulator as a log-sum-exp, if it is one: the engine then feeds it whole blocks
    /// of Gaussian terms at once, as `(shift, sum)` pairs from the fused path.
    fn as_log_sum_exp(&mut self) -> Option<&mut LogSumExp> {
        None
    }
    /// Add a tile of single-precision log-terms whose maximum is `max`. By default they are
    /// widened (in pieces, on the stack) and passed to [`Accumulator::push`].
    fn push_single(&mut self, terms: &[f32], first: usize, max: f32) {
        let _ = max;
        const PIECE: usize = 64;
        let mut wide = [0.0f64; PIECE];
        for (k, piece) in terms.chunks(PIECE).enumerate() {
            for (w, &t) in wide.iter_mut().zip(piece) {
                *w = f64::from(t);
            }
            self.push(&wide[..piece.len()], first + k * PIECE);
        }
    }
}

/// Whitened points (stored as `T`) and their squared norms (in `f64`, of the stored values).
///
/// **Layout.** Consecutive points are grouped in blocks of `DATA_TILE`; each block is stored
/// dimension-major (`d` runs of up to `DATA_TILE` values, one per coordinate). A data tile is
/// then one block and a query tile part of one, and both enter the matrix product with unit
/// stride along the points, where `matrixmultiply` packs its panels by contiguous copies
/// instead of element by element (measured: the element-wise packing of row-major points
/// took 16% of the evaluation time).
#[derive(Debug, Clone)]
pub(crate) struct Whitened<T> {
    z: Vec<T>,
    pub(crate) norm2: Vec<f64>,
    pub(crate) d: usize,
}

// Query tiles lie inside one block, data tiles are whole blocks, chunks whole tiles.
const _: () = assert!(DATA_TILE % QUERY_TILE == 0 && DATA_CHUNK % DATA_TILE == 0);

impl<T: Real> Whitened<T> {
    pub(crate) fn len(&self) -> usize {
        self.norm2.len()
    }

    /// From `n * d` row-major values, rearranged block by block in place (extra memory: one
    /// block per worker).
    pub(crate) fn from_rows(z: Vec<T>, d: usize) -> Self {
        Self::from_rows_prepared(z, d, |_| {})
    }

    /// [`Whitened::from_rows`] after `prepare` (the whitening) is applied to every row, in the
    /// same pass: each block is prepared, measured and rearranged while it is in cache (three
    /// passes over the data cost a millisecond each per 10 MB).
    pub(crate) fn from_rows_prepared(
        mut z: Vec<T>,
        d: usize,
        prepare: impl Fn(&mut [T]) + Sync,
    ) -> Self {
        if d == 0 {
            return Whitened {
                z,
                norm2: Vec::new(),
                d,
            };
        }
        // One copy buffer per worker (a fresh 256 KiB buffer per block cost a page fault per
        // 4 KiB: as many faults as the data's own).
        let scratch = || Vec::with_capacity(DATA_TILE * d);
        let norms: Vec<Vec<f64>> = z
            .par_chunks_mut(DATA_TILE * d)
            .map_init(scratch, |rows, block| {
                block.chunks_exact_mut(d).for_each(&prepare);
                let norms = block
                    .chunks_exact(d)
                    .map(|r| r.iter().map(|v| v.widen() * v.widen()).sum())
                    .collect();
                rows.clear();
                rows.extend_from_slice(block);
                let len = block.len() / d;
                // Eight points at a time, so that both the reads (eight rows) and the writes
                // (eight consecutive values per coordinate) stay within a few cache lines.
                for i0 in (0..len).step_by(8) {
                    let i1 = (i0 + 8).min(len);
                    for j in 0..d {
                        let out = &mut block[j * len + i0..j * len + i1];
                        for (k, o) in out.iter_mut().enumerate() {
                            *o = rows[(i0 + k) * d + j];
                        }
                    }
                }
                norms
            })
            .collect();
        Whitened {
            z,
            norm2: norms.concat(),
            d,
        }
    }

    /// The block holding points `first..first + len` (`first` a multiple of `DATA_TILE`):
    /// coordinate `j` of point `first + i` is at `[j * len + i]`.
    pub(crate) fn block(&self, first: usize) -> (&[T], usize) {
        let len = DATA_TILE.min(self.len() - first);
        (&self.z[first * self.d..(first + len) * self.d], len)
    }

    /// Copy the coordinates of point `i` into `out` (length `d`).
    pub(crate) fn copy_row(&self, i: usize, out: &mut [T]) {
        let first = i - i % DATA_TILE;
        let (block, len) = self.block(first);
        for (j, o) in out.iter_mut().enumerate() {
            *o = block[j * len + (i - first)];
        }
    }

    /// All points, row-major (`n * d` values).
    pub(crate) fn to_rows(&self) -> Vec<T> {
        let mut rows = vec![T::default(); self.len() * self.d];
        rows.chunks_exact_mut(self.d.max(1))
            .enumerate()
            .for_each(|(i, r)| self.copy_row(i, r));
        rows
    }
}

/// What the engine needs to know about the fitted estimate.
pub(crate) struct Problem<'a, T, P: Fn(f64) -> f64 + Sync> {
    pub(crate) data: &'a Whitened<T>,
    /// Normalised log-weights `ln p_i`, or `None` for equal weights (the caller adds `-ln n`).
    pub(crate) ln_p: Option<&'a [f64]>,
    /// `ln k(r)` as a function of `r^2`.
    pub(crate) profile: P,
    /// Leave-one-out: query `q` is data point `q` and is excluded from its own sum.
    pub(crate) loo: bool,
    /// The profile is Gaussian (`-r^2/2`): use the vectorised fast path.
    pub(crate) gaussian: bool,
    /// Recompute the terms that matter exactly when the product form may be off by more than
    /// `REFINE_TOL` (the `f64` path); the `f32` path trades that for speed.
    pub(crate) refine: bool,
}

/// Reduce all queries against all data; one accumulator per query, in query order.
pub(crate) fn run<T, A, P, F>(problem: &Problem<'_, T, P>, queries: &Whitened<T>, make: F) -> Vec<A>
where
    T: Real,
    A: Accumulator,
    P: Fn(f64) -> f64 + Sync,
    F: Fn() -> A + Sync,
{
    let m = queries.len();
    let n = problem.data.len();
    let q_tiles = m.div_ceil(QUERY_TILE);
    // Data chunks of equal whole numbers of tiles: at most DATA_CHUNK points, and at least
    // MIN_CHUNKS of them when there are that many tiles. The split depends on n alone (not
    // on the threads, nor on the other queries of the call: a query's value is the same
    // bits whichever batch it is evaluated in).
    let data_tiles = n.div_ceil(DATA_TILE).max(1);
    let wanted = n.div_ceil(DATA_CHUNK).max(MIN_CHUNKS).min(data_tiles);
    // Rounded down: at least `wanted` chunks, none above DATA_CHUNK points.
    let chunk = (data_tiles / wanted).max(1) * DATA_TILE;
    let chunks = n.div_ceil(chunk).max(1);
    let items: Vec<Vec<A>> = (0..q_tiles * chunks)
        .into_par_iter()
        .map_init(
            || Scratch::new(queries.d),
            |scratch, item| {
                let (qt, c) = (item / chunks, item % chunks);
                let q0 = qt * QUERY_TILE;
                let q1 = (q0 + QUERY_TILE).min(m);
                let d0 = c * chunk;
                let d1 = (d0 + chunk).min(n);
                reduce_block(problem, queries, q0..q1, d0..d1, &make, scratch)
            },
        )
        .collect();
    let mut out = Vec::with_capacity(m);
    let mut items = items.into_iter();
    for _ in 0..q_tiles {
        // proven: items has exactly q_tiles * chunks entries, taken `chunks` at a time.
        let mut first = items.next().expect("proven: one item per chunk");
        for _ in 1..chunks {
            let later = items.next().expect("proven: one item per chunk");
            for (a, b) in first.iter_mut().zip(later) {
                a.merge(b);
            }
        }
        out.extend(first);
    }
    out
}

/// Buffers of one worker, reused across its work items (the product tile alone is 2 MiB:
/// allocating and zeroing it per item cost several percent; it is allocated on first use,
/// which the fused path makes only for the queries it leaves to the general path).
struct Scratch<T> {
    dots: Vec<T>,
    fused64: fused::Scratch<f64>,
    fused32: fused::Scratch<f32>,
    terms: Vec<f64>,
    optimistic: Vec<f64>,
    zq: Vec<T>,
    zi: Vec<T>,
    /// Single-precision log-terms, squared norms and log-weights of a tile.
    terms32: Vec<f32>,
    ynorm32: Vec<f32>,
    ln_p32: Vec<f32>,
}

impl<T: Real> Scratch<T> {
    fn new(d: usize) -> Self {
        Scratch {
            dots: Vec::new(),
            fused64: fused::Scratch::default(),
            fused32: fused::Scratch::default(),
            terms: vec![0.0; DATA_TILE],
            optimistic: vec![0.0; DATA_TILE],
            zq: vec![T::default(); d],
            zi: vec![T::default(); d],
            terms32: vec![0.0; DATA_TILE],
            ynorm32: vec![0.0; DATA_TILE],
            ln_p32: vec![0.0; DATA_TILE],
        }
    }
}

/// One work item: a tile of queries against a chunk of data. The fused Gaussian path takes
/// every query whose product-form error estimate is within `REFINE_TOL` (all of them, at
/// ordinary bandwidths); the general path the rest, in runs of consecutive queries. A
/// query's path depends on itself and the chunk only, and on either path its result does not
/// depend on the other queries it is computed with (each row of a matrix product is computed
/// the same way whatever the number of rows).
fn reduce_block<T, A, P, F>(
    problem: &Problem<'_, T, P>,
    queries: &Whitened<T>,
    qs: std::ops::Range<usize>,
    ds: std::ops::Range<usize>,
    make: &F,
    scratch: &mut Scratch<T>,
) -> Vec<A>
where
    T: Real,
    A: Accumulator,
    P: Fn(f64) -> f64 + Sync,
    F: Fn() -> A,
{
    let mut accs: Vec<A> = (0..qs.len()).map(|_| make()).collect();
    let fusable = problem.gaussian
        && !problem.loo
        && !ds.is_empty()
        && fused::available()
        && accs
            .first_mut()
            .is_some_and(|a| a.as_log_sum_exp().is_some());
    if !fusable {
        return reduce_generic(problem, queries, qs, ds, scratch, accs);
    }
    let eps_d = 4.0 * (queries.d as f64).sqrt() * T::EPS;
    let ymax = problem.data.norm2[ds.clone()]
        .iter()
        .copied()
        .fold(0.0, f64::max);
    let exact = |q: usize| !problem.refine || eps_d * (queries.norm2[q] + ymax) <= REFINE_TOL;
    if !qs.clone().any(exact) {
        return reduce_generic(problem, queries, qs, ds, scratch, accs);
    }
    let sums = if T::as_f64(&queries.z).is_some() {
        fused_sums::<T, f64, P, { fused::MR_F64 }, { 2 * fused::MR_F64 }>(
            problem,
            queries,
            qs.clone(),
            ds.clone(),
            &mut scratch.fused64,
            T::as_f64,
        )
    } else if T::as_f32(&queries.z).is_some() {
        fused_sums::<T, f32, P, { fused::MR_F32 }, { 2 * fused::MR_F32 }>(
            problem,
            queries,
            qs.clone(),
            ds.clone(),
            &mut scratch.fused32,
            T::as_f32,
        )
    } else {
        return reduce_generic(problem, queries, qs, ds, scratch, accs);
    };
    for ((q, acc), (shift, sum)) in qs.clone().zip(accs.iter_mut()).zip(sums) {
        if exact(q) {
            if let Some(lse) = acc.as_log_sum_exp() {
                lse.merge(LogSumExp::from_sum(shift, sum));
            }
        }
    }
    // The others by the general path, in runs of consecutive queries.
    let mut q = qs.start;
    while q < qs.end {
        if exact(q) {
            q += 1;
            continue;
        }
        let run_end = (q..qs.end).find(|&r| exact(r)).unwrap_or(qs.end);
        let fresh = (q..run_end).map(|_| make()).collect();
        let done = reduce_generic(problem, queries, q..run_end, ds.clone(), scratch, fresh);
        for (slot, a) in accs[q - qs.start..run_end - qs.start].iter_mut().zip(done) {
            *slot = a;
        }
        q = run_end;
    }
    accs
}

/// The fused Gaussian log-sum-exp of a tile of queries against a chunk of data, in the
/// storage precision `F` (`MR` lanes per vector, `LANES` twice that): `(shift, sum)` per
/// query (see [`fused`]).
fn fused_sums<T, F, P, const MR: usize, const LANES: usize>(
    problem: &Problem<'_, T, P>,
    queries: &Whitened<T>,
    qs: std::ops::Range<usize>,
    ds: std::ops::Range<usize>,
    scratch: &mut fused::Scratch<F>,
    cast: fn(&[T]) -> Option<&[F]>,
) -> Vec<(f64, f64)>
where
    T: Real,
    F: fused::Lane,
    P: Fn(f64) -> f64 + Sync,
{
    let data = problem.data;
    let q_first = qs.start - qs.start % DATA_TILE;
    let (q_block, q_stride) = queries.block(q_first);
    let tile = fused::QueryTile {
        id: qs.start,
        z: cast(&q_block[qs.start - q_first..]).expect("proven: the caller checked the type"),
        stride: q_stride,
        norm2: &queries.norm2[qs.clone()],
    };
    let blocks = (ds.start..ds.end).step_by(DATA_TILE).map(|t0| {
        let t1 = (t0 + DATA_TILE).min(ds.end);
        let (z, stride) = data.block(t0);
        fused::DataBlock {
            z: cast(z).expect("proven: data and queries share the storage type"),
            stride,
            norm2: &data.norm2[t0..t1],
            ln_p: problem.ln_p.map(|p| &p[t0..t1]),
        }
    });
    let mut out = vec![(f64::NEG_INFINITY, 0.0); qs.len()];
    fused::gaussian_sums::<F, MR, LANES>(&tile, blocks, queries.d, scratch, &mut out);
    out
}

/// The general path: matrix products of whole tiles, then the accumulators' own reductions
/// (any kernel, any accumulator, refinement and leave-one-out).
fn reduce_generic<T, A, P>(
    problem: &Problem<'_, T, P>,
    queries: &Whitened<T>,
    qs: std::ops::Range<usize>,
    ds: std::ops::Range<usize>,
    scratch: &mut Scratch<T>,
    mut accs: Vec<A>,
) -> Vec<A>
where
    T: Real,
    A: Accumulator,
    P: Fn(f64) -> f64 + Sync,
{
    let d = queries.d;
    let qlen = qs.len();
    let data = problem.data;
    let Scratch {
        dots,
        terms,
        optimistic,
        zq,
        zi,
        terms32,
        ynorm32,
        ln_p32,
        ..
    } = scratch;
    if dots.len() < QUERY_TILE * DATA_TILE {
        dots.resize(QUERY_TILE * DATA_TILE, T::default());
    }
    // Single-precision storage feeding an accumulator with a single-precision fast path:
    // Gaussian log-terms in f32 (16 lanes per vector instead of 8).
    let single = problem.gaussian
        && !problem.refine
        && accs.first().is_some_and(A::wants_single)
        && T::as_f32(dots).is_some();
    let eps_d = 4.0 * (d as f64).sqrt() * T::EPS;
    // The query tile: rows `offset..offset + qlen` of its block.
    let q_first = qs.start - qs.start % DATA_TILE;
    let (q_block, q_block_len) = queries.block(q_first);
    let qz = &q_block[qs.start - q_first..];
    let mut t0 = ds.start;
    while t0 < ds.end {
        let t1 = (t0 + DATA_TILE).min(ds.end);
        let tlen = t1 - t0;
        let (data_block, _) = data.block(t0);
        (T::GEMM_TN)(qz, q_block_len, data_block, tlen, dots, qlen, tlen, d);
        let ynorm = &data.norm2[t0..t1];
        let ymax = ynorm.iter().copied().fold(0.0, f64::max);
        let ln_p = problem.ln_p.map(|p| &p[t0..t1]);
        if single {
            for (o, &v) in ynorm32.iter_mut().zip(ynorm) {
                *o = v as f32;
            }
            if let Some(lp) = ln_p {
                for (o, &v) in ln_p32.iter_mut().zip(lp) {
                    *o = v as f32;
                }
            }
            let dots32 = T::as_f32(dots).expect("proven: checked by `single`");
            for (row, acc) in accs.iter_mut().enumerate() {
                let q = qs.start + row;
                let out = &mut terms32[..tlen];
                let mut max = gaussian_terms_f32(
                    out,
                    &dots32[row * tlen..(row + 1) * tlen],
                    &ynorm32[..tlen],
                    queries.norm2[q] as f32,
                    ln_p.map(|_| &ln_p32[..tlen]),
                );
                if problem.loo && (t0..t1).contains(&q) {
                    out[q - t0] = f32::NEG_INFINITY;
                    max = slice_max_f32(out);
                }
                acc.push_single(out, t0, max);
            }
            t0 = t1;
            continue;
        }
        for (row, acc) in accs.iter_mut().enumerate() {
            let q = qs.start + row;
            let qn = queries.norm2[q];
            let dot_row = &dots[row * tlen..(row + 1) * tlen];
            let out = &mut terms[..tlen];
            // The tile's maximum when the term pass found it and nothing below changes it.
            let mut known_max = None;
            if problem.gaussian {
                known_max = Some(gaussian_terms(out, dot_row, ynorm, qn, ln_p));
            } else {
                match ln_p {
                    None => {
                        for ((t, &dot), &yn) in out.iter_mut().zip(dot_row).zip(ynorm) {
                            *t = (problem.profile)(qn + yn - 2.0 * dot.widen());
                        }
                    }
                    Some(lp) => {
                        for (((t, &dot), &yn), &l) in out.iter_mut().zip(dot_row).zip(ynorm).zip(lp)
                        {
                            *t = l + (problem.profile)(qn + yn - 2.0 * dot.widen());
                        }
                    }
                }
            }
            let bound = eps_d * (qn + ymax);
            if problem.refine && bound > REFINE_TOL {
                known_max = None;
                queries.copy_row(q, zq);
                refine(
                    problem,
                    zq,
                    zi,
                    t0,
                    dot_row,
                    qn,
                    bound,
                    acc.max(),
                    out,
                    optimistic,
                );
            }
            if problem.loo && (t0..t1).contains(&q) {
                out[q - t0] = f64::NEG_INFINITY;
                known_max = None;
            }
            match known_max {
                Some(max) => acc.push_with_max(out, t0, max),
                None => acc.push(out, t0),
            }
        }
        t0 = t1;
    }
    accs
}

/// Gaussian log-terms `ln p_i - r^2 / 2` of one query row, with `r^2` clamped at 0 (it can
/// only be negative through rounding); returns their maximum (`-inf` if none). Compiled for AVX-512, AVX2+FMA and AVX with run-time dispatch.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn gaussian_terms<T: Real>(
    out: &mut [f64],
    dots: &[T],
    ynorm: &[f64],
    qn: f64,
    ln_p: Option<&[f64]>,
) -> f64 {
    let term = |dot: T, yn: f64, l: f64| l - 0.5 * (qn + yn - 2.0 * dot.widen()).max(0.0);
    terms_with_max::<f64, T, 8>(out, dots, ynorm, ln_p, f64::NEG_INFINITY, term)
}

/// [`gaussian_terms`] for single-precision products, in single precision: `ln p_i - r^2 / 2`
/// with `r^2 = |z_q|^2 + |z_i|^2 - 2 z_q . z_i` rounded to `f32` (absolute error a few
/// `f32` ulp of the norms, the size of the product's own rounding); returns their maximum.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn gaussian_terms_f32(
    out: &mut [f32],
    dots: &[f32],
    ynorm: &[f32],
    qn: f32,
    ln_p: Option<&[f32]>,
) -> f32 {
    let term = |dot: f32, yn: f32, l: f32| l - 0.5 * (qn + yn - 2.0 * dot).max(0.0);
    terms_with_max::<f32, f32, 16>(out, dots, ynorm, ln_p, f32::NEG_INFINITY, term)
}

/// `out[i] = term(dots[i], ynorm[i], ln_p[i] or 0)` and the largest of them (`neg_inf` if
/// none), in `L` lanes: inlined into the vectorised callers above.
#[inline(always)]
fn terms_with_max<F, D, const L: usize>(
    out: &mut [F],
    dots: &[D],
    ynorm: &[F],
    ln_p: Option<&[F]>,
    neg_inf: F,
    term: impl Fn(D, F, F) -> F,
) -> F
where
    F: Copy + PartialOrd + Default,
    D: Copy,
{
    let bigger = |a: F, b: F| if a > b { a } else { b };
    let mut lanes = [neg_inf; L];
    let mut tail = neg_inf;
    let full = out.len() - out.len() % L;
    match ln_p {
        None => {
            for ((o, d), y) in out[..full]
                .chunks_exact_mut(L)
                .zip(dots.chunks_exact(L))
                .zip(ynorm.chunks_exact(L))
            {
                for l in 0..L {
                    o[l] = term(d[l], y[l], F::default());
                    lanes[l] = bigger(o[l], lanes[l]);
                }
            }
            for i in full..out.len() {
                out[i] = term(dots[i], ynorm[i], F::default());
                tail = bigger(out[i], tail);
            }
        }
        Some(lp) => {
            for (((o, d), y), p) in out[..full]
                .chunks_exact_mut(L)
                .zip(dots.chunks_exact(L))
                .zip(ynorm.chunks_exact(L))
                .zip(lp.chunks_exact(L))
            {
                for l in 0..L {
                    o[l] = term(d[l], y[l], p[l]);
                    lanes[l] = bigger(o[l], lanes[l]);
                }
            }
            for i in full..out.len() {
                out[i] = term(dots[i], ynorm[i], lp[i]);
                tail = bigger(out[i], tail);
            }
        }
    }
    lanes.iter().fold(tail, |m, &v| bigger(v, m))
}

/// The largest value of a single-precision slice (`-inf` if empty), vectorisable.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
pub(crate) fn slice_max_f32(v: &[f32]) -> f32 {
    lanes_max::<f32, 16>(v, f32::NEG_INFINITY)
}

/// The largest value of a slice (`-inf` if empty), vectorisable.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
pub(crate) fn slice_max(v: &[f64]) -> f64 {
    lanes_max::<f64, 8>(v, f64::NEG_INFINITY)
}

/// The largest value of `v` (`neg_inf` if empty), in `L` running lanes: inlined into the
/// vectorised callers above.
#[inline(always)]
fn lanes_max<F: Copy + PartialOrd, const L: usize>(v: &[F], neg_inf: F) -> F {
    let bigger = |a: F, b: F| if a > b { a } else { b };
    let mut lanes = [neg_inf; L];
    let chunks = v.chunks_exact(L);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..L {
            lanes[l] = bigger(c[l], lanes[l]);
        }
    }
    lanes.iter().chain(rest).fold(neg_inf, |m, &x| bigger(x, m))
}

/// Recompute exactly the terms that may matter (see the module docs).
#[allow(clippy::too_many_arguments)]
fn refine<T: Real, P: Fn(f64) -> f64 + Sync>(
    problem: &Problem<'_, T, P>,
    zq: &[T],
    zi: &mut [T],
    t0: usize,
    dot_row: &[T],
    qn: f64,
    bound: f64,
    running_max: f64,
    terms: &mut [f64],
    optimistic: &mut [f64],
) {
    let data = problem.data;
    let lp = |i: usize| problem.ln_p.map_or(0.0, |p| p[t0 + i]);
    let mut best = running_max;
    for (i, o) in optimistic[..terms.len()].iter_mut().enumerate() {
        let r2 = qn + data.norm2[t0 + i] - 2.0 * dot_row[i].widen();
        *o = lp(i) + (problem.profile)((r2 - bound).max(0.0));
        best = best.max(*o);
    }
    if best == f64::NEG_INFINITY {
        return;
    }
    let threshold = best - REFINE_WINDOW;
    for (i, t) in terms.iter_mut().enumerate() {
        if optimistic[i] >= threshold {
            data.copy_row(t0 + i, zi);
            let r2 = exact_sq_dist(zq, zi);
            *t = lp(i) + (problem.profile)(r2);
        }
    }
}

/// `sum_j (a_j - b_j)^2`, accurate to a few ulp whatever `d`: blocks of 32 squares are summed
/// in four lanes (8 terms each), and the block sums are added with Neumaier compensation, so
/// the error does not grow like `sqrt(d) eps` as plain recursive summation's would (that
/// would be `~3e-10` absolute at `d = 4096`, `h = 0.1`).
#[inline]
pub(crate) fn exact_sq_dist<T: Real>(a: &[T], b: &[T]) -> f64 {
    const BLOCK: usize = 32;
    let (mut total, mut comp) = (0.0f64, 0.0f64);
    for (ab, bb) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
        let mut lanes = [0.0f64; 4];
        let mut k = 0;
        while k + 4 <= ab.len() {
            for l in 0..4 {
                let t = ab[k + l].widen() - bb[k + l].widen();
                lanes[l] += t * t;
            }
            k += 4;
        }
        let mut block = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        for (x, y) in ab[k..].iter().zip(&bb[k..]) {
            block += (x.widen() - y.widen()) * (x.widen() - y.widen());
        }
        let t = total + block;
        comp += if total >= block {
            (total - t) + block
        } else {
            (block - t) + total
        };
        total = t;
    }
    total + comp
}

/// Streaming log-sum-exp.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogSumExp {
    max: f64,
    /// `sum exp(t - max)`.
    sum: f64,
    /// Exponentiate in single precision (the `f32` path).
    single: bool,
}

impl LogSumExp {
    pub(crate) fn new() -> Self {
        LogSumExp {
            max: f64::NEG_INFINITY,
            sum: 0.0,
            single: false,
        }
    }

    /// A log-sum-exp whose exponentials are taken in single precision.
    pub(crate) fn single() -> Self {
        LogSumExp {
            single: true,
            ..LogSumExp::new()
        }
    }

    /// `ln sum exp(t)` (`-inf` for an empty sum).
    #[cfg(test)]
    pub(crate) fn value(&self) -> f64 {
        self.value_shifted(0.0)
    }

    /// `shift + ln sum exp(t)`, adding the two large parts first (`max + shift`) so that
    /// the result carries one rounding of its magnitude, not two.
    pub(crate) fn value_shifted(&self, shift: f64) -> f64 {
        if self.max == f64::NEG_INFINITY {
            f64::NEG_INFINITY
        } else {
            (self.max + shift) + self.sum.ln()
        }
    }

    /// `ln(e^shift * sum)`, kept as the pair (`sum > 0`; `sum = 0` is the empty sum; a NaN
    /// sum, which only non-finite arithmetic can give, stays NaN in the result).
    pub(crate) fn from_sum(shift: f64, sum: f64) -> Self {
        if sum.is_nan() {
            LogSumExp {
                max: 0.0,
                sum,
                single: false,
            }
        } else if sum > 0.0 {
            LogSumExp {
                max: shift,
                sum,
                single: false,
            }
        } else {
            LogSumExp::new()
        }
    }

    fn rescale_to(&mut self, new_max: f64) {
        if new_max > self.max {
            self.sum *= (self.max - new_max).exp();
            self.max = new_max;
        }
    }
}

impl Accumulator for LogSumExp {
    fn max(&self) -> f64 {
        self.max
    }

    fn push(&mut self, terms: &[f64], first: usize) {
        self.push_with_max(terms, first, slice_max(terms));
    }

    fn push_with_max(&mut self, terms: &[f64], _first: usize, tile_max: f64) {
        if tile_max == f64::NEG_INFINITY {
            return;
        }
        self.rescale_to(tile_max);
        let m = self.max;
        self.sum += if self.single {
            sum_exp_shifted_f32(terms, m)
        } else {
            sum_exp_shifted(terms, m)
        };
    }

    fn merge(&mut self, later: Self) {
        if later.max == f64::NEG_INFINITY {
            return;
        }
        self.rescale_to(later.max);
        self.sum += later.sum * (later.max - self.max).exp();
    }

    fn wants_single(&self) -> bool {
        self.single
    }

    fn as_log_sum_exp(&mut self) -> Option<&mut LogSumExp> {
        Some(self)
    }

    fn push_single(&mut self, terms: &[f32], _first: usize, tile_max: f32) {
        if tile_max == f32::NEG_INFINITY {
            return;
        }
        self.rescale_to(f64::from(tile_max));
        // The running maximum is one of the terms seen, an f32 value: exact in f32.
        self.sum += sum_exp_shifted_single(terms, self.max as f32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sum_exp_streams_and_merges() {
        let terms = [-1000.0, -1001.0, -999.5, f64::NEG_INFINITY, -1000.2];
        let direct = {
            let m = -999.5f64;
            m + terms.iter().map(|t| (t - m).exp()).sum::<f64>().ln()
        };
        let mut a = LogSumExp::new();
        a.push(&terms[..2], 0);
        let mut b = LogSumExp::new();
        b.push(&terms[2..], 2);
        a.merge(b);
        assert!((a.value() - direct).abs() < 1e-13);
        let mut e = LogSumExp::new();
        e.push(&[f64::NEG_INFINITY], 0);
        assert_eq!(e.value(), f64::NEG_INFINITY);
        e.merge(LogSumExp::new());
        assert_eq!(e.value(), f64::NEG_INFINITY);
    }

    #[test]
    fn exact_distance() {
        let a: Vec<f64> = (0..7).map(|i| i as f64).collect();
        let b: Vec<f64> = (0..7).map(|i| 2.0 * i as f64).collect();
        assert_eq!(exact_sq_dist(&a, &b), 91.0);
    }
}
