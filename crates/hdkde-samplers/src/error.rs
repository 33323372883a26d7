//! The error type shared by every sampler of the crate.

use hdkde_kernels::KernelError;

/// Why a sampler could not be built (or a buffer could not be filled).
///
/// Every constructor of the crate validates its input and returns one of these instead of
/// panicking; a sampler that exists draws finite points.
///
/// ```
/// use hdkde_samplers::{Gaussian, SamplerError};
///
/// assert_eq!(Gaussian::standard(0).unwrap_err(), SamplerError::ZeroDimension);
/// assert_eq!(
///     Gaussian::isotropic(vec![0.0, f64::NAN], 1.0).unwrap_err(),
///     SamplerError::NonFinite
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SamplerError {
    /// The dimension must be at least 1.
    #[error("dimension must be at least 1")]
    ZeroDimension,
    /// Two parameters disagree on the dimension (or on a count).
    #[error("length mismatch: expected {expected}, found {found}")]
    LengthMismatch {
        /// The length implied by the other parameters.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A parameter is NaN or infinite.
    #[error("a parameter is NaN or infinite")]
    NonFinite,
    /// A scale (standard deviation, variance, eigenvalue, radius, bandwidth) is not `> 0`.
    #[error("scale parameters (standard deviations, variances, eigenvalues, radii, bandwidths) must be > 0")]
    NonPositiveScale,
    /// A matrix that must be square is not.
    #[error("matrix is {rows} x {cols}, expected a square matrix")]
    NotSquare {
        /// Number of rows.
        rows: usize,
        /// Number of columns.
        cols: usize,
    },
    /// A covariance (or bandwidth) matrix is not symmetric, beyond a relative tolerance of
    /// `1e-10` per entry.
    #[error("matrix is not symmetric")]
    NotSymmetric,
    /// A symmetric matrix is not positive definite (its Cholesky factorisation fails).
    #[error("matrix is not positive definite")]
    NotPositiveDefinite,
    /// A Cholesky factor has a non-zero entry above the diagonal.
    #[error("a Cholesky factor must be lower triangular")]
    NotLowerTriangular,
    /// Degrees of freedom must be finite and `> 0`.
    #[error("degrees of freedom must be finite and > 0")]
    BadDegreesOfFreedom,
    /// A weight is negative (or NaN, or infinite).
    #[error("weights must be finite and >= 0")]
    BadWeight,
    /// All weights are zero.
    #[error("weights must not all be zero")]
    ZeroTotalWeight,
    /// There is nothing to draw from: no mixture components, no data points.
    #[error("at least one component or data point is required")]
    Empty,
    /// A box has a side with `lower >= upper`.
    #[error("box bounds must satisfy lower < upper in every coordinate")]
    EmptyBox,
    /// A buffer's length is not a whole number of rows.
    #[error("buffer of length {len} is not a whole number of rows of length {dim}")]
    RaggedBuffer {
        /// Length of the buffer.
        len: usize,
        /// Row length (the dimension).
        dim: usize,
    },
    /// The kernel cannot be bound to the dimension.
    #[error(transparent)]
    Kernel(#[from] KernelError),
}
