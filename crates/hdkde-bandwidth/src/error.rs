//! The error type of the bandwidth selectors.

use hdkde_estimator::KdeError;
use hdkde_theory::regimes::Error as TheoryError;

/// Errors of the bandwidth selectors.
///
/// Every selector checks its input and returns one of these rather than panicking; rows and
/// columns are zero-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SelectError {
    /// Fewer than two data points (or, with weights, fewer than two with positive weight):
    /// no spread, no leave-one-out estimate.
    #[error("at least 2 data points are needed, got {n}")]
    TooFewPoints {
        /// Number of points (with positive weight).
        n: usize,
    },
    /// The data set has zero columns.
    #[error("the data set has zero columns (dimension 0)")]
    ZeroDimension,
    /// A data value is NaN or infinite.
    #[error("non-finite value in the data at row {row}, column {col}")]
    NonFiniteData {
        /// Row of the offending value.
        row: usize,
        /// Column of the offending value.
        col: usize,
    },
    /// A coordinate is constant over the data: a per-dimension or full bandwidth would be zero
    /// in that direction.
    #[error(
        "coordinate {col} has zero variance; drop it, or use an isotropic selector \
         (the total variance is positive)"
    )]
    ZeroVariance {
        /// The constant column.
        col: usize,
    },
    /// Every coordinate is constant: all the points coincide and no bandwidth fits them.
    #[error("all data points coincide (zero total variance): no bandwidth can be selected")]
    AllPointsEqual,
    /// A full bandwidth matrix needs a non-singular sample covariance, hence more points
    /// than dimensions.
    #[error(
        "a full bandwidth matrix needs more points than dimensions (n = {n}, d = {d}): \
         use the isotropic or per-dimension variant"
    )]
    TooFewPointsForMatrix {
        /// Number of points (the effective sample size, rounded down, with weights).
        n: usize,
        /// Dimension.
        d: usize,
    },
    /// The sample covariance is singular (collinear data), though `n > d`.
    #[error(
        "the sample covariance is singular (the data lie in a lower-dimensional subspace): \
         use the isotropic or per-dimension variant, or project the data first"
    )]
    SingularCovariance,
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
    /// A search range is empty or not made of finite positive bandwidths.
    #[error("the bandwidth search range must satisfy 0 < low < high < inf")]
    BadSearchRange,
    /// A held-out subset must have at least two points.
    #[error("the held-out subset must have at least 2 points, got {size}")]
    SubsetTooSmall {
        /// The requested size.
        size: usize,
    },
    /// The requested tolerance is not finite and positive.
    #[error("the tolerance must be finite and > 0")]
    BadTolerance,
    /// The cross-validation objective has no maximum inside the search range: it keeps
    /// improving towards the given edge. Towards small bandwidths this happens with
    /// repeated points (the leave-one-out likelihood of a duplicate grows without bound).
    #[error(
        "the cross-validation objective keeps improving towards the {edge} end of the \
         search range (duplicated points or a discrete sample?): no bandwidth selected"
    )]
    NoOptimum {
        /// Which end of the range: `"small"` or `"large"`.
        edge: &'static str,
    },
    /// The objective is `-inf` (or undefined) over the whole search range.
    #[error("the cross-validation objective is not finite anywhere in the search range")]
    NoFiniteObjective,
    /// The kernel density estimator rejected the problem.
    #[error(transparent)]
    Estimator(#[from] KdeError),
    /// The regime theory rejected the problem.
    #[error(transparent)]
    Theory(#[from] TheoryError),
}
