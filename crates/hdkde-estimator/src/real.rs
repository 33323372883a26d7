//! The two storage precisions of the estimator.

/// A floating-point type the data can be stored and multiplied in. Norms, refinements and
/// the accumulated sums are carried in `f64`; the stored coordinates and the matrix product
/// use `Self` (and, for `f32`, the Gaussian log-sum-exp's terms and exponentials: see the
/// engine).
pub(crate) trait Real: Copy + Send + Sync + Default + PartialOrd + 'static {
    /// Machine epsilon of the storage type, as `f64`.
    const EPS: f64;
    /// Widen to `f64`.
    fn widen(self) -> f64;
    /// Round an `f64` to the storage type.
    fn narrow(v: f64) -> Self;
    /// The slice itself if `Self` is `f32` (the engine's single-precision fast path).
    fn as_f32(s: &[Self]) -> Option<&[f32]>;
    /// The slice itself if `Self` is `f64` (the engine's fused Gaussian path).
    fn as_f64(s: &[Self]) -> Option<&[f64]>;
    /// `c[i * n + j] = sum_l a[l * lda + i] * b[l * ldb + j]`, as
    /// `(a, lda, b, ldb, c, m, n, k)` (see [`crate::gemm`]).
    #[allow(clippy::type_complexity)]
    const GEMM_TN: fn(&[Self], usize, &[Self], usize, &mut [Self], usize, usize, usize);
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
    fn as_f32(_: &[Self]) -> Option<&[f32]> {
        None
    }
    fn as_f64(s: &[Self]) -> Option<&[f64]> {
        Some(s)
    }
    const GEMM_TN: fn(&[Self], usize, &[Self], usize, &mut [Self], usize, usize, usize) =
        crate::gemm::dgemm_tn;
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
    fn as_f32(s: &[Self]) -> Option<&[f32]> {
        Some(s)
    }
    fn as_f64(_: &[Self]) -> Option<&[f64]> {
        None
    }
    const GEMM_TN: fn(&[Self], usize, &[Self], usize, &mut [Self], usize, usize, usize) =
        crate::gemm::sgemm_tn;
}
