//! Whole `n x d` matrices of draws, generated in parallel and reproducibly: the
//! [`SampleMatrix`] trait and its stream layout ([`rows_per_block`], [`block_rng`]).

use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::SamplerError;

/// Target number of values per block: large enough that a block costs far more than a
/// task of rayon (tens of microseconds at least), small enough to balance two or more cores
/// on a few hundred thousand values.
const BLOCK_VALUES: usize = 16_384;

/// Number of consecutive rows drawn from one stream: `max(1, 16384 / dim)`.
///
/// This is part of the definition of the output of [`SampleMatrix`] for a given seed: it
/// depends on the dimension only.
///
/// ```
/// use hdkde_samplers::rows_per_block;
/// assert_eq!(rows_per_block(100), 163);
/// assert_eq!(rows_per_block(1_000_000), 1);
/// ```
pub fn rows_per_block(dim: usize) -> usize {
    (BLOCK_VALUES / dim.max(1)).max(1)
}

/// The generator of block `block` for `seed`: `ChaCha8Rng::seed_from_u64(seed)` on stream
/// `block`. Streams of one seed are independent (2^64 of them, each of period 2^68 bytes).
///
/// ```
/// use hdkde_samplers::{block_rng, Gaussian, SampleMatrix};
///
/// // Row 0 of a matrix is the first draw of block 0.
/// let g = Gaussian::standard(3).unwrap();
/// let mut rng = block_rng(42, 0);
/// let mut row = [0.0; 3];
/// g.fill_rows(&mut rng, &mut row);
/// assert_eq!(&g.sample_row_major(5, 42)[..3], &row);
/// ```
pub fn block_rng(seed: u64, block: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(block);
    rng
}

/// A distribution over `R^d` that fills whole matrices of independent draws, in parallel and
/// reproducibly.
///
/// The rows are cut into blocks of [`rows_per_block`]`(d)` consecutive rows; block `b` is
/// filled row after row from its own generator [`block_rng`]`(seed, b)` (ChaCha8 seeded with
/// `seed`, on stream `b`). The stream depends on the block index only, never on the thread
/// that fills it, so the output is bit-identical for any number of threads and any schedule,
/// and the first `m` rows of an `n`-row sample are the `m`-row sample of the same seed.
///
/// Implementors provide [`dim`](SampleMatrix::dim) and [`fill_rows`](SampleMatrix::fill_rows);
/// the matrix methods are provided. The trait is object safe (`Box<dyn SampleMatrix>`), so a
/// program can pick the law at run time.
///
/// ```
/// use hdkde_samplers::{Gaussian, SampleMatrix};
///
/// let g = Gaussian::isotropic(vec![1.0, -1.0], 0.5).unwrap();
/// let m = g.sample_matrix(1000, 7); // 1000 x 2, one point per row
/// assert_eq!(m.shape(), (1000, 2));
/// // The row-major form holds the same numbers.
/// let v = g.sample_row_major(1000, 7);
/// assert_eq!(v[2 * 10 + 1], m[(10, 1)]);
/// ```
pub trait SampleMatrix: Sync {
    /// The dimension `d` of a point.
    fn dim(&self) -> usize;

    /// Fill `rows` (row-major, `rows.len() / d` rows of length `d`) with consecutive
    /// independent draws from `rng`. A trailing partial row, if any, is left untouched.
    fn fill_rows(&self, rng: &mut ChaCha8Rng, rows: &mut [f64]);

    /// Fill a row-major buffer of `n x d` values (`n = out.len() / d`) with the draws of
    /// `seed`, in parallel on the current rayon pool.
    ///
    /// # Errors
    /// [`SamplerError::RaggedBuffer`] if `out.len()` is not a multiple of `d`,
    /// [`SamplerError::ZeroDimension`] if `d = 0`.
    fn fill_row_major(&self, out: &mut [f64], seed: u64) -> Result<(), SamplerError> {
        let d = self.dim();
        if d == 0 {
            return Err(SamplerError::ZeroDimension);
        }
        if out.len() % d != 0 {
            return Err(SamplerError::RaggedBuffer {
                len: out.len(),
                dim: d,
            });
        }
        out.par_chunks_mut(rows_per_block(d) * d)
            .enumerate()
            .for_each(|(b, block)| {
                let mut rng = block_rng(seed, b as u64);
                self.fill_rows(&mut rng, block);
            });
        Ok(())
    }

    /// `n` draws of `seed` as a row-major `Vec` of length `n d` (point `i` at
    /// `[i d, (i + 1) d)`): the form to use for large data, with no copy.
    ///
    /// # Panics
    /// Only if `n d` overflows `usize` or the allocation fails, as for `vec![0.0; n * d]`.
    fn sample_row_major(&self, n: usize, seed: u64) -> Vec<f64> {
        let d = self.dim();
        let len = n
            .checked_mul(d)
            .unwrap_or_else(|| panic!("{n} x {d} values overflow usize"));
        let mut out = vec![0.0; len];
        // The buffer is a whole number of rows, and d = 0 leaves it empty: nothing to report.
        let _ = self.fill_row_major(&mut out, seed);
        out
    }

    /// `n` draws of `seed` as an `n x d` matrix, one point per row: the same numbers as
    /// [`sample_row_major`](SampleMatrix::sample_row_major), in nalgebra's column-major
    /// storage. Each block is drawn into a small row-major buffer and scattered into the
    /// columns, so no second `n x d` buffer is needed.
    ///
    /// # Panics
    /// Only if `n d` overflows `usize` or an allocation fails.
    fn sample_matrix(&self, n: usize, seed: u64) -> DMatrix<f64> {
        let d = self.dim();
        let len = n
            .checked_mul(d)
            .unwrap_or_else(|| panic!("{n} x {d} values overflow usize"));
        let rows_per_block = rows_per_block(d);
        if rows_per_block < MIN_SCATTER_ROWS {
            // Very long rows: a block is a handful of rows, and one slice per (block,
            // column) would cost more memory than the data. Transpose a row-major buffer.
            let rows = self.sample_row_major(n, seed);
            return DMatrix::from_vec(n, d, row_major_to_column_major(&rows, n, d));
        }
        let mut out = vec![0.0; len];
        if len > 0 {
            // Block b owns rows [b B, (b + 1) B) of every column: d disjoint slices.
            let blocks = n.div_ceil(rows_per_block);
            let mut pieces: Vec<Vec<&mut [f64]>> =
                (0..blocks).map(|_| Vec::with_capacity(d)).collect();
            for column in out.chunks_mut(n) {
                for (b, piece) in column.chunks_mut(rows_per_block).enumerate() {
                    pieces[b].push(piece);
                }
            }
            pieces.into_par_iter().enumerate().for_each_init(
                Vec::new,
                |buf: &mut Vec<f64>, (b, columns)| {
                    let rows = columns.first().map_or(0, |c| c.len());
                    buf.clear();
                    buf.resize(rows * d, 0.0);
                    let mut rng = block_rng(seed, b as u64);
                    self.fill_rows(&mut rng, buf);
                    for (j, column) in columns.into_iter().enumerate() {
                        for (v, row) in column.iter_mut().zip(buf.chunks_exact(d)) {
                            *v = row[j];
                        }
                    }
                },
            );
        }
        DMatrix::from_vec(n, d, out)
    }
}

/// Below this many rows per block, [`SampleMatrix::sample_matrix`] transposes a row-major
/// buffer instead of scattering blocks (at 16 rows, the slice bookkeeping is 1 byte per value).
const MIN_SCATTER_ROWS: usize = 16;

/// Transpose a row-major `n x d` buffer into column-major order, in parallel by groups of
/// eight columns (one cache line of each source row per step).
fn row_major_to_column_major(rows: &[f64], n: usize, d: usize) -> Vec<f64> {
    const GROUP: usize = 8;
    let mut out = vec![0.0; n * d];
    if n == 0 || d == 0 {
        return out;
    }
    out.par_chunks_mut(n * GROUP)
        .enumerate()
        .for_each(|(g, cols)| {
            let j0 = g * GROUP;
            let width = cols.len() / n;
            for (i, src) in rows.chunks_exact(d).enumerate() {
                for (k, &v) in src[j0..j0 + width].iter().enumerate() {
                    cols[k * n + i] = v;
                }
            }
        });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Bandwidth, Gaussian, GaussianMixture, KdeSampler, StudentT};
    use hdkde_kernels::Kernel;
    use rand::distr::Distribution;

    fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(f)
    }

    fn samplers(data: &[f64]) -> Vec<Box<dyn SampleMatrix + '_>> {
        let cov = DMatrix::from_fn(4, 4, |i, j| if i == j { 2.0 } else { 0.5 });
        let full = Gaussian::full(vec![1.0, 2.0, 3.0, 4.0], &cov).unwrap();
        let rot = Gaussian::spectrum(vec![0.0; 4], &[4.0, 3.0, 2.0, 1.0], Some(5)).unwrap();
        let mix = GaussianMixture::new(
            &[1.0, 3.0],
            vec![Gaussian::standard(4).unwrap(), full.clone()],
        )
        .unwrap();
        let t = StudentT::new(full.clone(), 3.0).unwrap();
        let kde = KdeSampler::new(
            data,
            4,
            Some(&[1.0, 0.0, 2.0]),
            Kernel::Triweight,
            Bandwidth::from_matrix(&cov).unwrap(),
        )
        .unwrap();
        vec![
            Box::new(full),
            Box::new(rot),
            Box::new(mix),
            Box::new(t),
            Box::new(kde),
        ]
    }

    #[test]
    fn one_and_two_threads_give_identical_bits() {
        // 3 x 4 data points for the KDE.
        let data: Vec<f64> = (0..12).map(|i| i as f64 * 0.3).collect();
        // 10,000 rows of dimension 4: 3 blocks of 4,096 rows, the last one partial.
        let n = 10_000;
        for s in samplers(&data) {
            let one = in_pool(1, || s.sample_row_major(n, 11));
            let two = in_pool(2, || s.sample_row_major(n, 11));
            assert!(one
                .iter()
                .zip(&two)
                .all(|(a, b)| a.to_bits() == b.to_bits()));
            let m1 = in_pool(1, || s.sample_matrix(n, 11));
            let m2 = in_pool(2, || s.sample_matrix(n, 11));
            assert!(m1
                .iter()
                .zip(m2.iter())
                .all(|(a, b)| a.to_bits() == b.to_bits()));
            assert!(one.iter().all(|v| v.is_finite()));
        }
    }

    #[test]
    fn matrix_is_the_row_major_buffer_and_prefixes_agree() {
        let data: Vec<f64> = (0..12).map(|i| i as f64).collect();
        for s in samplers(&data) {
            let d = s.dim();
            let long = s.sample_row_major(9_000, 3);
            let short = s.sample_row_major(5_000, 3);
            assert_eq!(&long[..short.len()], &short[..]);
            let m = s.sample_matrix(9_000, 3);
            for (i, row) in long.chunks_exact(d).enumerate() {
                for (j, v) in row.iter().enumerate() {
                    assert_eq!(m[(i, j)].to_bits(), v.to_bits());
                }
            }
            // Another seed gives other numbers.
            assert_ne!(s.sample_row_major(10, 4), s.sample_row_major(10, 3));
        }
    }

    #[test]
    fn rows_follow_the_documented_block_streams() {
        // Row i is draw (i mod B) of block_rng(seed, i / B), through Distribution::sample.
        let g = Gaussian::spectrum(vec![1.0; 3], &[1.0, 2.0, 3.0], Some(1)).unwrap();
        let b = rows_per_block(3);
        let m = g.sample_row_major(2 * b + 5, 8);
        let mut rng = block_rng(8, 2);
        for i in 2 * b..2 * b + 5 {
            let x: Vec<f64> = g.sample(&mut rng);
            assert_eq!(&m[3 * i..3 * i + 3], &x[..]);
        }
    }

    #[test]
    fn ragged_buffers_are_rejected() {
        let g = Gaussian::standard(3).unwrap();
        let mut buf = vec![0.0; 10];
        assert_eq!(
            g.fill_row_major(&mut buf, 1),
            Err(SamplerError::RaggedBuffer { len: 10, dim: 3 })
        );
        assert!(buf.iter().all(|&v| v == 0.0));
        assert_eq!(g.sample_row_major(0, 1).len(), 0);
        assert_eq!(g.sample_matrix(0, 1).shape(), (0, 3));
    }

    #[test]
    fn long_rows_take_the_transpose_path() {
        // d = 3000: 5 rows per block, below MIN_SCATTER_ROWS.
        let g = Gaussian::isotropic(vec![1.0; 3000], 2.0).unwrap();
        assert!(rows_per_block(3000) < MIN_SCATTER_ROWS);
        let rows = in_pool(2, || g.sample_row_major(23, 5));
        let m = in_pool(2, || g.sample_matrix(23, 5));
        assert_eq!(m, DMatrix::from_row_slice(23, 3000, &rows));
    }

    #[test]
    fn transpose_handles_partial_groups() {
        // d = 11: one full group of 8 columns and one of 3.
        let (n, d) = (5, 11);
        let rows: Vec<f64> = (0..n * d).map(|v| v as f64).collect();
        let cols = row_major_to_column_major(&rows, n, d);
        let m = DMatrix::from_vec(n, d, cols);
        assert_eq!(m, DMatrix::from_row_slice(n, d, &rows));
    }
}
