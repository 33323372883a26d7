//! Safe wrappers around `matrixmultiply`'s general matrix products for the one shape the
//! engine needs: `C = A^T B` with `A` and `B` stored coordinate-major.

macro_rules! gemm_tn {
    ($name:ident, $t:ty, $kernel:path) => {
        /// `c[i * n + j] = sum_l a[l * lda + i] * b[l * ldb + j]` for `i < m`, `j < n`: both
        /// operands are stored coordinate-major (`k` runs of points, `lda` and `ldb` apart),
        /// the layout in which `matrixmultiply` packs its panels by contiguous copies.
        ///
        /// `matrixmultiply` packs the operands into cache-sized panels and runs an FMA
        /// micro-kernel chosen at run time for the CPU (AVX-512, AVX2/FMA where available).
        #[allow(unsafe_code, clippy::too_many_arguments)]
        pub(crate) fn $name(
            a: &[$t],
            lda: usize,
            b: &[$t],
            ldb: usize,
            c: &mut [$t],
            m: usize,
            n: usize,
            k: usize,
        ) {
            if m == 0 || n == 0 {
                return;
            }
            if k == 0 {
                c[..m * n].iter_mut().for_each(|v| *v = 0.0);
                return;
            }
            // proven: the engine passes blocks of exactly these extents; checking here keeps
            // the unsafe call below sound even if that ever changed (it would panic, not
            // corrupt memory).
            // (Checked arithmetic: a wrapped product could pass the comparison.)
            let extent = |ld: usize, len: usize| (k - 1).checked_mul(ld)?.checked_add(len);
            let fits = |need: Option<usize>, have: usize| need.is_some_and(|v| v <= have);
            assert!(
                m <= lda
                    && n <= ldb
                    && fits(extent(lda, m), a.len())
                    && fits(extent(ldb, n), b.len())
                    && fits(m.checked_mul(n), c.len()),
                "gemm_tn: buffer too small"
            );
            // SAFETY: matrixmultiply reads A (m x k) at a[i * rsa + l * csa] with rsa = 1,
            // csa = lda: for i < m, l < k the largest offset is m - 1 + (k - 1) lda <
            // a.len(). It reads B (k x n) at b[l * rsb + j * csb] with rsb = ldb, csb = 1: the
            // largest offset is (k - 1) ldb + n - 1 < b.len(). It writes C at c[i * rsc + j *
            // csc] with rsc = n, csc = 1: largest offset m n - 1 < c.len(). With beta = 0, C
            // is not read. The slices are distinct borrows (c is &mut), so there is no
            // aliasing, and all pointers are valid for the call.
            unsafe {
                $kernel(
                    m,
                    k,
                    n,
                    1.0,
                    a.as_ptr(),
                    1,
                    lda as isize,
                    b.as_ptr(),
                    ldb as isize,
                    1,
                    0.0,
                    c.as_mut_ptr(),
                    n as isize,
                    1,
                );
            }
        }
    };
}

gemm_tn!(dgemm_tn, f64, matrixmultiply::dgemm);
gemm_tn!(sgemm_tn, f32, matrixmultiply::sgemm);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_product_for_all_small_shapes() {
        // Leading dimensions larger than the extents (a tile inside a block) and equal.
        for m in 0..7 {
            for n in 0..7 {
                for k in 0..7 {
                    for pad in [0, 3] {
                        let (lda, ldb) = (m + pad, n + 2 * pad);
                        let a: Vec<f64> = (0..k * lda).map(|i| (i as f64 * 0.37).sin()).collect();
                        let b: Vec<f64> = (0..k * ldb).map(|i| (i as f64 * 0.91).cos()).collect();
                        let mut c = vec![f64::NAN; m * n];
                        dgemm_tn(&a, lda, &b, ldb, &mut c, m, n, k);
                        let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
                        let b32: Vec<f32> = b.iter().map(|&v| v as f32).collect();
                        let mut c32 = vec![f32::NAN; m * n];
                        sgemm_tn(&a32, lda, &b32, ldb, &mut c32, m, n, k);
                        for i in 0..m {
                            for j in 0..n {
                                let want: f64 =
                                    (0..k).map(|l| a[l * lda + i] * b[l * ldb + j]).sum();
                                assert!((c[i * n + j] - want).abs() < 1e-14, "{m} {n} {k}");
                                assert!((f64::from(c32[i * n + j]) - want).abs() < 1e-5);
                            }
                        }
                    }
                }
            }
        }
    }
}
