//! Safe wrappers around `matrixmultiply`'s general matrix products for the one shape the
//! engine needs: `C = A B^T` with `A` and `B` row-major.

macro_rules! gemm_abt {
    ($name:ident, $t:ty, $kernel:path) => {
        /// `c[i * n + j] = sum_l a[i * k + l] * b[j * k + l]` for `i < m`, `j < n`.
        ///
        /// `matrixmultiply` packs the operands into cache-sized panels and runs an FMA micro-kernel
        /// chosen at run time for the CPU (AVX2/FMA where available).
        #[allow(unsafe_code)]
        pub(crate) fn $name(a: &[$t], b: &[$t], c: &mut [$t], m: usize, n: usize, k: usize) {
            // proven: the engine passes buffers of exactly these sizes; checking here keeps the
            // unsafe call below sound even if that ever changed (it would panic, not corrupt memory).
            assert!(
                a.len() >= m * k && b.len() >= n * k && c.len() >= m * n,
                "gemm_abt: buffer too small"
            );
            if m == 0 || n == 0 {
                return;
            }
            if k == 0 {
                c[..m * n].iter_mut().for_each(|v| *v = 0.0);
                return;
            }
            // SAFETY: matrixmultiply reads A at a[i * rsa + l * csa] for i < m, l < k: with rsa = k,
            // csa = 1 the largest offset is (m-1) k + k - 1 = m k - 1 < a.len(). It reads B (k x n) at
            // b[l * rsb + j * csb] with rsb = 1, csb = k: largest offset k - 1 + (n-1) k = n k - 1 <
            // b.len(). It writes C at c[i * rsc + j * csc] with rsc = n, csc = 1: largest offset
            // m n - 1 < c.len(). With beta = 0, C is not read. The three slices are distinct borrows
            // (c is &mut), so there is no aliasing, and all pointers are valid for the call.
            unsafe {
                $kernel(
                    m,
                    k,
                    n,
                    1.0,
                    a.as_ptr(),
                    k as isize,
                    1,
                    b.as_ptr(),
                    1,
                    k as isize,
                    0.0,
                    c.as_mut_ptr(),
                    n as isize,
                    1,
                );
            }
        }
    };
}

gemm_abt!(dgemm_abt, f64, matrixmultiply::dgemm);
gemm_abt!(sgemm_abt, f32, matrixmultiply::sgemm);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_product_for_all_small_shapes() {
        for m in 0..7 {
            for n in 0..7 {
                for k in 0..7 {
                    let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin()).collect();
                    let b: Vec<f64> = (0..n * k).map(|i| (i as f64 * 0.91).cos()).collect();
                    let mut c = vec![f64::NAN; m * n];
                    dgemm_abt(&a, &b, &mut c, m, n, k);
                    let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
                    let b32: Vec<f32> = b.iter().map(|&v| v as f32).collect();
                    let mut c32 = vec![f32::NAN; m * n];
                    sgemm_abt(&a32, &b32, &mut c32, m, n, k);
                    for i in 0..m {
                        for j in 0..n {
                            let want: f64 = (0..k).map(|l| a[i * k + l] * b[j * k + l]).sum();
                            assert!((c[i * n + j] - want).abs() < 1e-14, "{m} {n} {k}");
                            assert!((f64::from(c32[i * n + j]) - want).abs() < 1e-5);
                        }
                    }
                }
            }
        }
    }
}
