//! The two storage precisions of the estimator.

/// A floating-point type the data can be stored and multiplied in. Distances, log-terms and
/// sums are always carried in `f64`; only the stored coordinates and the matrix product use
/// `Self`.
pub(crate) trait Real: Copy + Send + Sync + Default + PartialOrd + 'static {
    /// Machine epsilon of the storage type, as `f64`.
    const EPS: f64;
    /// Widen to `f64`.
    fn widen(self) -> f64;
    /// Round an `f64` to the storage type.
    fn narrow(v: f64) -> Self;
    /// `c = a b^T`, `a` (`m x k`) and `b` (`n x k`) row-major, `c` (`m x n`) row-major.
    fn gemm_abt(a: &[Self], b: &[Self], c: &mut [Self], m: usize, n: usize, k: usize);
}

impl Real for f64 {
    const EPS: f64 = f64::EPSILON;
    #[inline(always)]
    fn widen(self) -> f64 {
        self
    }
    #[inline(always)]
    fn narrow(v: f64) -> Self {
        v
    }
    fn gemm_abt(a: &[Self], b: &[Self], c: &mut [Self], m: usize, n: usize, k: usize) {
        crate::gemm::dgemm_abt(a, b, c, m, n, k)
    }
}

impl Real for f32 {
    const EPS: f64 = f32::EPSILON as f64;
    #[inline(always)]
    fn widen(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn narrow(v: f64) -> Self {
        v as f32
    }
    fn gemm_abt(a: &[Self], b: &[Self], c: &mut [Self], m: usize, n: usize, k: usize) {
        crate::gemm::sgemm_abt(a, b, c, m, n, k)
    }
}
