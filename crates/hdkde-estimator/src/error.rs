//! The estimator's error type.

use hdkde_kernels::KernelError;

/// Errors from fitting or evaluating a [`Kde`](crate::Kde).
///
/// Rows and columns are zero-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KdeError {
    /// The data set has no rows.
    #[error("the data set is empty (no rows)")]
    EmptyData,
    /// The data set has no columns.
    #[error("the data set has zero columns (dimension 0)")]
    ZeroDimension,
    /// A row-major buffer's length is not a multiple of the dimension.
    #[error("buffer length {len} is not a multiple of the dimension {dim}")]
    RaggedBuffer {
        /// Buffer length.
        len: usize,
        /// Dimension.
        dim: usize,
    },
    /// A value in the data is NaN or infinite.
    #[error("non-finite value in the data at row {row}, column {col}")]
    NonFiniteData {
        /// Row of the offending value.
        row: usize,
        /// Column of the offending value.
        col: usize,
    },
    /// A value in the queries is NaN or infinite.
    #[error("non-finite value in the queries at row {row}, column {col}")]
    NonFiniteQuery {
        /// Row of the offending value.
        row: usize,
        /// Column of the offending value.
        col: usize,
    },
    /// Queries and data have different dimensions.
    #[error("dimension mismatch: the data has {expected} columns, the queries have {found}")]
    DimensionMismatch {
        /// The data's dimension.
        expected: usize,
        /// The queries' dimension.
        found: usize,
    },
    /// A scalar or diagonal bandwidth entry is zero, negative, NaN or infinite.
    #[error("bandwidth must be finite and > 0 (entry {index} is not)")]
    BadBandwidth {
        /// Index of the offending entry (0 for a scalar).
        index: usize,
    },
    /// A bandwidth vector or matrix has the wrong size for the data.
    #[error("bandwidth has shape {found} but the data dimension is {dim}")]
    BandwidthShape {
        /// Data dimension.
        dim: usize,
        /// The size found (length of a diagonal, or rows of a matrix).
        found: usize,
    },
    /// A bandwidth matrix is not square.
    #[error("bandwidth matrix is not square ({rows} x {cols})")]
    BandwidthNotSquare {
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
    },
    /// A bandwidth matrix is not symmetric.
    #[error(
        "bandwidth matrix is not symmetric (entries ({row}, {col}) and ({col}, {row}) differ)"
    )]
    BandwidthNotSymmetric {
        /// Row of the first offending entry.
        row: usize,
        /// Column of the first offending entry.
        col: usize,
    },
    /// A bandwidth matrix is not positive definite (its Cholesky factorisation failed).
    #[error("bandwidth matrix is not positive definite")]
    BandwidthNotPositiveDefinite,
    /// A weight is negative, NaN or infinite.
    #[error("weight {index} is negative or not finite")]
    BadWeight {
        /// Index of the offending weight.
        index: usize,
    },
    /// The weights vector has the wrong length.
    #[error("{found} weights given for {expected} data points")]
    WeightsLength {
        /// Number of data points.
        expected: usize,
        /// Number of weights.
        found: usize,
    },
    /// All weights are zero.
    #[error("all weights are zero")]
    ZeroTotalWeight,
    /// Leave-one-out evaluation needs at least two points with positive weight, and no point
    /// may carry all the weight.
    #[error("leave-one-out evaluation needs at least two points with positive weight")]
    TooFewPointsForLoo,
    /// `top_k` must be at least 1 for diagnostics.
    #[error("top_k must be at least 1")]
    ZeroTopK,
    /// The kernel could not be bound to the data's dimension.
    #[error(transparent)]
    Kernel(#[from] KernelError),
}
