//! The Gaussian log-sum-exp fused with its matrix product (the fast path, both precisions).
//!
//! For the Gaussian kernel, query `q` and data point `i` contribute the log-term
//! `t = ln p_i - |z_q - z_i|^2 / 2 = z_q . z_i - |z_q|^2 / 2 + (ln p_i - |z_i|^2 / 2)`.
//! Instead of writing a tile of dot products to memory and reading it back twice (once for
//! the maximum, once for the exponentials), each product is finished where it is formed: a
//! register micro-kernel computes `MR` queries by `NR` points, and the same code turns the
//! block into terms and adds `e^(t - s_q)` to per-query running sums (in `f64`).
//!
//! **The shift.** `s_q` is the largest term of the query's first micro-tile with a finite
//! term (points of weight zero have none), and is raised only when a later term exceeds it by
//! more than `LIMIT` (600 nats in `f64`, 60 in `f32`; then the running sum is rescaled). So
//! every exponent is at most `LIMIT` (a sum of `n < e^100` such terms stays finite), and since
//! `s_q` is one of the terms, the sum is at least about 1 (up to the rounding of that term's
//! exponent) and the terms flushed to 0 (more than 708 nats below `s_q` in `f64`, 87 in `f32`)
//! are below `10^-307` (`2 10^-38`) of it. The result is the pair `(s_q, sum)`, folded into the
//! query's log-sum-exp.
//!
//! **Accuracy.** The term is formed as `dot + (h_i + (g_q - s_q))` with `h_i = ln p_i -
//! |z_i|^2 / 2` and `g_q = -|z_q|^2 / 2`: besides the product's own rounding, three roundings
//! of magnitude at most `|z_q|^2 + |z_i|^2 + |ln p_i|` (`|s_q|` is at most that, by
//! Cauchy-Schwarz). Without weights that is within the engine's error estimate
//! `4 sqrt(d) eps (|z_q|^2 + max |z_i|^2)`; `3 eps |ln p_i|` adds less than `1e-12` for any
//! weight ratio an `f64` can hold. The engine uses the `f64` path only for queries whose
//! estimate is at most its refinement tolerance.
//! In `f32` the products, terms and exponentials are single precision (as on the general
//! single-precision path), each lane's partial sums of `NR / 2` exponentials widened to `f64`.
//!
//! **Determinism.** Lane `l` of every vector belongs to one query throughout, the product
//! for each pair is one chain of fused multiply-adds in coordinate order, and the shift and
//! sums of a query depend on its own terms only: a query's result does not depend on the
//! other queries of its tile, nor on the thread that computed it.
//!
//! **Layout.** Queries are packed into panels of `MR` (coordinate-major, `[j][l]`) once per
//! query tile and worker; data points into one panel of `NR` at a time (`[j][b]`), each reused by every
//! query panel of the tile while it sits in the L1 cache. The micro-kernel is plain Rust
//! over fixed-size arrays, written so that the compiler keeps the `NR` accumulators of `MR`
//! lanes in vector registers (`MR = 16` lanes: two AVX-512 vectors in `f64`, one in `f32`)
//! and compiled for AVX-512 with run-time dispatch; [`available`] tells whether the CPU has it
//! (elsewhere the engine uses the general matrix product, which is faster there).

use std::ops::{Add, Mul, Sub};

use crate::fastexp::{exp_f32_with, exp_with};
use crate::real::Real;

/// Data points per micro-tile: `NR` accumulators of `MR` lanes (24 of the 32 vector registers
/// in `f64`, 12 in `f32`; the rest hold the epilogue's exponentials).
pub(crate) const NR: usize = 12;
/// Queries per micro-tile in `f64`: two AVX-512 vectors. (A step of the micro-kernel loads 2
/// query vectors and broadcasts 12 point coordinates for 24 multiply-adds; one vector by
/// sixteen points would take 17 loads for 16, and is 5% slower here.)
pub(crate) const MR_F64: usize = 16;
/// Queries per micro-tile in `f32`: one AVX-512 vector.
pub(crate) const MR_F32: usize = 16;

/// Whether this CPU runs the fused kernel at full speed: it has every feature of the kernel's
/// AVX-512 build (see `reduce_panels`).
pub(crate) fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        has!("avx512f")
            && has!("avx512bw")
            && has!("avx512dq")
            && has!("avx512vl")
            && has!("avx2")
            && has!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The arithmetic of one precision: products, terms and exponentials are taken in it, the
/// running sums in `f64`.
pub(crate) trait Lane:
    Real + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self>
{
    /// `-inf`.
    const NEG_INFINITY: Self;
    /// Largest exponent taken before the shift is raised: the exponential is exact to a few
    /// ulp up to it, and sums of `NR / 2` terms of `e^LIMIT` stay finite in `Self`.
    const LIMIT: Self;
    /// `self * a + b`, fused when `FMA`.
    fn fma<const FMA: bool>(self, a: Self, b: Self) -> Self;
    /// `e^self` for `self <= LIMIT` (0 far below 0).
    fn exp<const FMA: bool>(self) -> Self;
}

/// The two `Lane` implementations differ only in their constants and exponential.
macro_rules! lane {
    ($t:ty, $limit:expr, $exp:ident) => {
        impl Lane for $t {
            const NEG_INFINITY: Self = <$t>::NEG_INFINITY;
            const LIMIT: Self = $limit;
            #[inline(always)]
            fn fma<const FMA: bool>(self, a: Self, b: Self) -> Self {
                if FMA {
                    self.mul_add(a, b)
                } else {
                    self * a + b
                }
            }
            #[inline(always)]
            fn exp<const FMA: bool>(self) -> Self {
                $exp::<FMA>(self)
            }
        }
    };
}

lane!(f64, 600.0, exp_with);
lane!(f32, 60.0, exp_f32_with);

/// A tile of queries: coordinate `j` of query `r < len` at `z[j * stride + r]`.
pub(crate) struct QueryTile<'a, F> {
    /// Names the tile among those of one evaluation (its first query's index): a worker's
    /// [`Scratch`] keeps the packed queries of the last tile it saw, and reuses them when the
    /// next work item has the same tile.
    pub(crate) id: usize,
    pub(crate) z: &'a [F],
    pub(crate) stride: usize,
    pub(crate) norm2: &'a [f64],
}

/// A block of data points: coordinate `j` of point `i < norm2.len()` at `z[j * stride + i]`,
/// with their log-weights (`None`: equal weights, the caller adds `-ln n`).
pub(crate) struct DataBlock<'a, F> {
    pub(crate) z: &'a [F],
    pub(crate) stride: usize,
    pub(crate) norm2: &'a [f64],
    pub(crate) ln_p: Option<&'a [f64]>,
}

/// Buffers of one worker for [`gaussian_sums`], reused across the work items of one
/// evaluation.
#[derive(Debug, Default)]
pub(crate) struct Scratch<F> {
    /// The `(id, length)` of the query tile packed in `queries` and `g`.
    packed: Option<(usize, usize)>,
    queries: Vec<F>,
    g: Vec<F>,
    points: Vec<F>,
    shift: Vec<F>,
    sum: Vec<f64>,
}

/// Reduce a tile of queries against data blocks: for each query `r`, `(shift, sum)` with
/// `sum_i e^(t_ri) = e^shift * sum` over all points of all blocks. `out` has one entry per
/// query; `blocks` must hold at least one point. `MR` is the number of queries per
/// micro-tile (a whole number of vectors of `F`), `LANES` twice that.
pub(crate) fn gaussian_sums<'a, F: Lane, const MR: usize, const LANES: usize>(
    queries: &QueryTile<'_, F>,
    blocks: impl Iterator<Item = DataBlock<'a, F>>,
    d: usize,
    scratch: &mut Scratch<F>,
    out: &mut [(f64, f64)],
) {
    const { assert!(LANES == 2 * MR && MR > 0 && NR % 2 == 0) };
    let qlen = queries.norm2.len();
    let panels = qlen.div_ceil(MR);
    let Scratch {
        packed,
        queries: qpack,
        g,
        points,
        shift,
        sum,
    } = scratch;
    if *packed != Some((queries.id, qlen)) {
        pack_queries::<F, MR>(queries, d, panels, qpack, g);
        *packed = Some((queries.id, qlen));
    }
    shift.clear();
    shift.resize(panels * MR, F::NEG_INFINITY);
    sum.clear();
    sum.resize(panels * MR, 0.0);
    points.clear();
    points.resize(NR * d, F::default());
    let mut h = [F::default(); NR];
    for block in blocks {
        let len = block.norm2.len();
        for i0 in (0..len).step_by(NR) {
            let count = NR.min(len - i0);
            pack_points(&block, d, i0, count, points, &mut h);
            reduce_panels::<F, MR, LANES>(qpack, g, points, &h, d, shift, sum);
        }
    }
    for (r, o) in out.iter_mut().enumerate().take(qlen) {
        *o = (shift[r].widen(), sum[r]);
    }
}

/// Queries into panels of `MR` (`[panel][j][l]`, zero-padded) and `g = -|z|^2 / 2`.
fn pack_queries<F: Lane, const MR: usize>(
    q: &QueryTile<'_, F>,
    d: usize,
    panels: usize,
    pack: &mut Vec<F>,
    g: &mut Vec<F>,
) {
    let qlen = q.norm2.len();
    pack.clear();
    pack.resize(panels * MR * d, F::default());
    for (p, panel) in pack.chunks_exact_mut(MR * d).enumerate() {
        let r0 = p * MR;
        let lanes = MR.min(qlen - r0);
        for (j, row) in panel.chunks_exact_mut(MR).enumerate() {
            row[..lanes].copy_from_slice(&q.z[j * q.stride + r0..j * q.stride + r0 + lanes]);
        }
    }
    g.clear();
    g.extend(q.norm2.iter().map(|&n| F::narrow(-0.5 * n)));
    g.resize(panels * MR, F::default());
}

/// Points `i0..i0 + count` of a block into one panel (`[j][b]`, zero-padded) and
/// `h = ln p - |z|^2 / 2` (`-inf` for the padding, whose terms are then exactly 0).
fn pack_points<F: Lane>(
    block: &DataBlock<'_, F>,
    d: usize,
    i0: usize,
    count: usize,
    panel: &mut [F],
    h: &mut [F; NR],
) {
    for (j, row) in panel.chunks_exact_mut(NR).enumerate().take(d) {
        let src = &block.z[j * block.stride + i0..j * block.stride + i0 + count];
        row[..count].copy_from_slice(src);
        row[count..].iter_mut().for_each(|v| *v = F::default());
    }
    for (b, hb) in h.iter_mut().enumerate() {
        *hb = if b < count {
            let lp = block.ln_p.map_or(0.0, |p| p[i0 + b]);
            F::narrow(lp - 0.5 * block.norm2[i0 + b])
        } else {
            F::NEG_INFINITY
        };
    }
}

/// One data panel against every query panel: products, terms, shifts and sums.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
#[allow(clippy::too_many_arguments)]
fn reduce_panels<F: Lane, const MR: usize, const LANES: usize>(
    qpack: &[F],
    g: &[F],
    points: &[F],
    h: &[F; NR],
    d: usize,
    shift: &mut [F],
    sum: &mut [f64],
) {
    let fma = multiversion::target::target_cfg_f!(target_feature = "fma");
    for (((panel, g), s), acc_sum) in qpack
        .chunks_exact(MR * d)
        .zip(g.chunks_exact(MR))
        .zip(shift.chunks_exact_mut(MR))
        .zip(sum.chunks_exact_mut(MR))
    {
        let dots = if fma {
            micro::<F, MR, true>(panel, points, d)
        } else {
            micro::<F, MR, false>(panel, points, d)
        };
        let g: &[F; MR] = g.try_into().expect("proven: chunks of MR");
        let s: &mut [F; MR] = s.try_into().expect("proven: chunks of MR");
        let acc_sum: &mut [f64; MR] = acc_sum.try_into().expect("proven: chunks of MR");
        // A query's shift is set by its first micro-tile with a finite term.
        if s.contains(&F::NEG_INFINITY) {
            let max = tile_max(&dots, h, g);
            for l in 0..MR {
                if s[l] == F::NEG_INFINITY {
                    s[l] = max[l];
                }
            }
        }
        if fma {
            epilogue::<F, MR, LANES, true>(&dots, h, g, s, acc_sum);
        } else {
            epilogue::<F, MR, LANES, false>(&dots, h, g, s, acc_sum);
        }
    }
}

/// `c[l] += a * x[l]`, one vector operation.
#[inline(always)]
fn axpy<F: Lane, const MR: usize, const FMA: bool>(a: F, x: &[F; MR], c: &mut [F; MR]) {
    for l in 0..MR {
        c[l] = a.fma::<FMA>(x[l], c[l]);
    }
}

/// `dots[b][l] = sum_j q[j][l] * x[j][b]`: the `NR` accumulators are named one by one (a loop
/// over them would be vectorised across accumulators, with gathers, instead of kept in
/// registers), and four coordinates are taken per loop iteration (with one, the loop's own
/// instructions take issue slots from the multiply-adds: 11% slower). Each
/// accumulator is one chain of multiply-adds in coordinate order either way.
#[inline(always)]
fn micro<F: Lane, const MR: usize, const FMA: bool>(q: &[F], x: &[F], d: usize) -> [[F; MR]; NR] {
    const UNROLL: usize = 4;
    let mut acc = [[F::default(); MR]; NR];
    let groups = d / UNROLL;
    for (qg, xg) in q
        .chunks_exact(UNROLL * MR)
        .zip(x.chunks_exact(UNROLL * NR))
        .take(groups)
    {
        for u in 0..UNROLL {
            rank_one::<F, MR, FMA>(
                &mut acc,
                &qg[u * MR..(u + 1) * MR],
                &xg[u * NR..(u + 1) * NR],
            );
        }
    }
    for (qj, xj) in q
        .chunks_exact(MR)
        .zip(x.chunks_exact(NR))
        .take(d)
        .skip(groups * UNROLL)
    {
        rank_one::<F, MR, FMA>(&mut acc, qj, xj);
    }
    acc
}

/// One coordinate's contribution to the micro-tile: `acc[b] += x[b] * q`.
#[inline(always)]
fn rank_one<F: Lane, const MR: usize, const FMA: bool>(acc: &mut [[F; MR]; NR], q: &[F], x: &[F]) {
    let q: &[F; MR] = q.try_into().expect("proven: chunks of MR");
    macro_rules! column {
        ($($b:literal)*) => { $( axpy::<F, MR, FMA>(x[$b], q, &mut acc[$b]); )* };
    }
    column!(0 1 2 3 4 5 6 7 8 9 10 11);
}

/// The largest term of each lane (query) in a micro-tile.
#[inline(always)]
fn tile_max<F: Lane, const MR: usize>(dots: &[[F; MR]; NR], h: &[F; NR], g: &[F; MR]) -> [F; MR] {
    let mut m = [F::NEG_INFINITY; MR];
    for (row, &hb) in dots.iter().zip(h) {
        for l in 0..MR {
            let t = row[l] + (hb + g[l]);
            m[l] = if t > m[l] { t } else { m[l] };
        }
    }
    m
}

/// Terms minus the shift, the shift raised where they exceed `LIMIT`, and the exponentials
/// added to the running sums.
#[inline(always)]
fn epilogue<F: Lane, const MR: usize, const LANES: usize, const FMA: bool>(
    dots: &[[F; MR]; NR],
    h: &[F; NR],
    g: &[F; MR],
    s: &mut [F; MR],
    sum: &mut [f64; MR],
) {
    let mut x = [[F::default(); MR]; NR];
    let mut top = [F::NEG_INFINITY; MR];
    // Until a query has a finite term its shift is `-inf` and so are all its terms: they
    // are kept at `-inf` (exponential 0), not `-inf + inf`.
    let mut c = [F::default(); MR];
    for l in 0..MR {
        c[l] = if s[l] == F::NEG_INFINITY {
            F::NEG_INFINITY
        } else {
            g[l] - s[l]
        };
    }
    for ((xb, row), &hb) in x.iter_mut().zip(dots).zip(h) {
        for l in 0..MR {
            xb[l] = row[l] + (hb + c[l]);
            top[l] = if xb[l] > top[l] { xb[l] } else { top[l] };
        }
    }
    if top.iter().any(|&v| v > F::LIMIT) {
        raise_shift(dots, h, g, &top, s, sum, &mut x);
    }
    // `LANES = 2 MR` running lanes over the flattened block (each lane adds NR / 2 terms in
    // `F`, then widened): the pattern the compiler vectorises with the exponential's table
    // lookup as a gather.
    let mut lanes = [F::default(); LANES];
    for chunk in x.as_flattened().chunks_exact(LANES) {
        for l in 0..LANES {
            lanes[l] = lanes[l] + chunk[l].exp::<FMA>();
        }
    }
    for l in 0..MR {
        sum[l] += lanes[l].widen() + lanes[l + MR].widen();
    }
}

/// The rare case of a term more than `LIMIT` above its query's shift: that query's shift
/// becomes the micro-tile's maximum, its sum is rescaled and its exponents recomputed.
#[cold]
#[inline(never)]
fn raise_shift<F: Lane, const MR: usize>(
    dots: &[[F; MR]; NR],
    h: &[F; NR],
    g: &[F; MR],
    top: &[F; MR],
    s: &mut [F; MR],
    sum: &mut [f64; MR],
    x: &mut [[F; MR]; NR],
) {
    let max = tile_max(dots, h, g);
    for l in 0..MR {
        if top[l] > F::LIMIT {
            sum[l] *= (s[l].widen() - max[l].widen()).exp();
            s[l] = max[l];
            for ((xb, row), &hb) in x.iter_mut().zip(dots).zip(h) {
                xb[l] = row[l] + (hb + (g[l] - s[l]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ln sum_i e^(t_i)` directly, terms from explicit squared distances.
    fn reference(q: &[f64], pts: &[Vec<f64>], ln_p: &[f64]) -> f64 {
        let t: Vec<f64> = pts
            .iter()
            .zip(ln_p)
            .map(|(y, lp)| lp - 0.5 * q.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum::<f64>())
            .collect();
        let m = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        m + t.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
    }

    /// Coordinate-major storage (`[j][i]`) of points, with their squared norms.
    fn columns(pts: &[Vec<f64>], d: usize) -> (Vec<f64>, Vec<f64>) {
        let mut z = vec![0.0; pts.len() * d];
        for (i, p) in pts.iter().enumerate() {
            for j in 0..d {
                z[j * pts.len() + i] = p[j];
            }
        }
        let n2 = pts.iter().map(|p| p.iter().map(|v| v * v).sum()).collect();
        (z, n2)
    }

    fn points(n: usize, d: usize, seed: u64, scale: f64, offset: f64) -> Vec<Vec<f64>> {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * scale
        };
        (0..n)
            .map(|_| (0..d).map(|_| next() + offset).collect())
            .collect()
    }

    /// The fused `ln sum` of `qs` against `pts` (split in two blocks after `split`), in `F`.
    fn fused<F: Lane, const MR: usize, const LANES: usize>(
        qs: &[Vec<f64>],
        pts: &[Vec<f64>],
        split: usize,
        ln_p: &[f64],
        d: usize,
    ) -> Vec<f64> {
        pairs::<F, MR, LANES>(qs, pts, split, ln_p, d)
            .iter()
            .map(|&(s, sum)| {
                assert!(sum.is_finite() && sum > 0.5, "sum {sum}");
                s + sum.ln()
            })
            .collect()
    }

    /// The `(shift, sum)` pairs behind [`fused`].
    fn pairs<F: Lane, const MR: usize, const LANES: usize>(
        qs: &[Vec<f64>],
        pts: &[Vec<f64>],
        split: usize,
        ln_p: &[f64],
        d: usize,
    ) -> Vec<(f64, f64)> {
        let narrow = |v: Vec<f64>| v.into_iter().map(F::narrow).collect::<Vec<F>>();
        let (qz, qn) = columns(qs, d);
        let (a, b) = pts.split_at(split);
        let (za, na) = columns(a, d);
        let (zb, nb) = columns(b, d);
        let (qz, za, zb) = (narrow(qz), narrow(za), narrow(zb));
        let blocks = [
            DataBlock {
                z: &za,
                stride: a.len(),
                norm2: &na,
                ln_p: Some(&ln_p[..split]),
            },
            DataBlock {
                z: &zb,
                stride: b.len(),
                norm2: &nb,
                ln_p: Some(&ln_p[split..]),
            },
        ];
        let tile = QueryTile {
            id: 0,
            z: &qz,
            stride: qs.len(),
            norm2: &qn,
        };
        let mut out = vec![(0.0, 0.0); qs.len()];
        let mut scratch = Scratch::default();
        gaussian_sums::<F, MR, LANES>(&tile, blocks.into_iter(), d, &mut scratch, &mut out);
        out
    }

    /// Points of weight zero (log-weight `-inf`): a whole first block of them, then more than
    /// a micro-tile of them at the start of the second. The shifts must wait for the first
    /// finite term (not become NaN): the result equals the direct sum over the weighted
    /// points (1e-12 in `f64`, 1e-3 in `f32` as above); and with no weighted point at all the
    /// pair is exactly `(-inf, 0)`, the empty sum.
    #[test]
    fn weightless_points_leave_the_shift_alone() {
        let d = 4;
        let qs = points(21, d, 7, 2.0, 0.0);
        let pts = points(45, d, 8, 2.0, 0.0);
        let ln_p: Vec<f64> = (0..pts.len())
            .map(|i| {
                if i < 30 {
                    f64::NEG_INFINITY
                } else {
                    -((i % 3) as f64)
                }
            })
            .collect();
        let wide = fused::<f64, MR_F64, { 2 * MR_F64 }>(&qs, &pts, 13, &ln_p, d);
        let single = fused::<f32, MR_F32, { 2 * MR_F32 }>(&qs, &pts, 13, &ln_p, d);
        for ((q, got), got32) in qs.iter().zip(wide).zip(single) {
            let want = reference(q, &pts[30..], &ln_p[30..]);
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
            assert!((got32 - want).abs() < 1e-3, "f32: {got32} vs {want}");
        }
        let none = vec![f64::NEG_INFINITY; pts.len()];
        for pair in pairs::<f64, MR_F64, { 2 * MR_F64 }>(&qs, &pts, 13, &none, d)
            .into_iter()
            .chain(pairs::<f32, MR_F32, { 2 * MR_F32 }>(
                &qs, &pts, 13, &none, d,
            ))
        {
            assert_eq!(pair, (f64::NEG_INFINITY, 0.0));
        }
    }

    /// Partial panels on both sides, weights, two blocks, and a far-away first block that
    /// forces the shift to be raised by more than `LIMIT` (its terms are ~ -1000, the later
    /// ones ~ -10). In `f64` every result is within 1e-12 of the direct sum (the terms are
    /// ~1e3 in magnitude, so the product form's rounding is ~1e-13); in `f32`, whose
    /// coordinates are rounded to 6e-8 relative before anything else, within 1e-3 (that
    /// rounding moves a term of magnitude 1e3 by ~1e-4; the near terms dominate and move less).
    #[test]
    fn matches_direct_sums() {
        let d = 7;
        let qs = points(13, d, 1, 2.0, 0.0);
        let mut pts = points(19, d, 2, 2.0, 17.0);
        pts.extend(points(37, d, 3, 2.0, 0.0));
        let ln_p: Vec<f64> = (0..pts.len()).map(|i| -((i % 5) as f64) - 4.0).collect();
        let wide = fused::<f64, MR_F64, { 2 * MR_F64 }>(&qs, &pts, 19, &ln_p, d);
        let single = fused::<f32, MR_F32, { 2 * MR_F32 }>(&qs, &pts, 19, &ln_p, d);
        for ((q, got), got32) in qs.iter().zip(wide).zip(single) {
            let want = reference(q, &pts, &ln_p);
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
            assert!((got32 - want).abs() < 1e-3, "f32: {got32} vs {want}");
        }
    }
}
