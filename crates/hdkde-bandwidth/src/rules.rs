//! Normal-reference rules of thumb (Scott, Silverman) with scipy's exact conventions.

use hdkde_estimator::Bandwidth;
use nalgebra::DMatrix;

use crate::sample::Moments;
use crate::SelectError;

/// A normal-reference bandwidth factor, as in scipy's `gaussian_kde`.
///
/// With the effective sample size `neff` (`n` for unweighted data, `1 / sum_i p_i^2` for
/// normalised weights `p_i`) in dimension `d`:
///
/// * Scott: `neff^(-1/(d+4))`;
/// * Silverman: `(neff (d + 2) / 4)^(-1/(d+4))`.
///
/// References: D. W. Scott, *Multivariate Density Estimation* (1992); B. W. Silverman,
/// *Density Estimation for Statistics and Data Analysis* (1986); scipy
/// `gaussian_kde.scotts_factor` and `silverman_factor`.
///
/// ```
/// use hdkde_bandwidth::Rule;
///
/// // d = 1: Scott's factor is n^(-1/5).
/// assert!((Rule::Scott.factor(32.0, 1) - 0.5).abs() < 1e-15);
/// assert!(Rule::Silverman.factor(100.0, 3) < Rule::Scott.factor(100.0, 3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// Scott's rule, `neff^(-1/(d+4))`.
    Scott,
    /// Silverman's rule, `(neff (d + 2) / 4)^(-1/(d+4))`.
    Silverman,
}

impl Rule {
    /// The bandwidth factor for effective sample size `neff` in dimension `d`.
    pub fn factor(self, neff: f64, d: usize) -> f64 {
        let d = d as f64;
        let exponent = -1.0 / (d + 4.0);
        match self {
            Rule::Scott => neff.powf(exponent),
            Rule::Silverman => (neff * (d + 2.0) / 4.0).powf(exponent),
        }
    }
}

/// The shape of a rule-of-thumb bandwidth built from the sample covariance `Cov` and a
/// factor `f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Variant {
    /// scipy's full matrix `H = f^2 Cov` (needs more points than dimensions and a
    /// non-singular covariance).
    Full,
    /// Per-dimension normal reference `h_j = f sqrt(Cov_jj)` (needs every coordinate to vary).
    PerDimension,
    /// Isotropic normal reference `h = f sqrt(tr(Cov) / d)`, the root mean variance (needs
    /// only some spread).
    Isotropic,
}

/// A rule-of-thumb selector: a [`Rule`], a [`Variant`] and optional weights.
///
/// ```
/// use hdkde_bandwidth::{Rule, RuleOfThumb, Variant};
/// use hdkde_estimator::Bandwidth;
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_fn(40, 2, |i, j| ((i * 7 + j * 3) % 11) as f64);
/// let fit = RuleOfThumb::new(Rule::Scott, Variant::Full).select(&data)?;
/// assert_eq!(fit.neff, 40.0);
/// assert!((fit.factor - 40f64.powf(-1.0 / 6.0)).abs() < 1e-15);
/// assert!(matches!(fit.bandwidth, Bandwidth::Matrix(_)));
/// # Ok::<(), hdkde_bandwidth::SelectError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOfThumb {
    rule: Rule,
    variant: Variant,
    weights: Option<Vec<f64>>,
}

/// The result of a [`RuleOfThumb`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleFit {
    /// The factor `f` of [`Rule::factor`].
    pub factor: f64,
    /// The effective sample size used.
    pub neff: f64,
    /// The sample covariance `Cov` (numpy's `cov(ddof=1, aweights=p)`).
    pub covariance: DMatrix<f64>,
    /// The bandwidth: `f^2 Cov`, `f sqrt(Cov_jj)` or `f sqrt(tr(Cov)/d)` by [`Variant`].
    pub bandwidth: Bandwidth,
}

impl RuleOfThumb {
    /// The rule `rule` in the shape `variant`, unweighted.
    pub fn new(rule: Rule, variant: Variant) -> Self {
        RuleOfThumb {
            rule,
            variant,
            weights: None,
        }
    }

    /// Weight the data (non-negative, finite, at least two positive; normalised internally).
    /// The factor then uses scipy's `neff = 1 / sum_i p_i^2` and the covariance numpy's
    /// `aweights`.
    pub fn weights(mut self, weights: Vec<f64>) -> Self {
        self.weights = Some(weights);
        self
    }

    /// The rule.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The variant.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Compute the bandwidth for `data` (`n x d`, one point per row).
    ///
    /// Errors: fewer than two points, non-finite data, bad weights; all points equal; a
    /// constant coordinate for [`Variant::PerDimension`] and [`Variant::Full`]; for
    /// [`Variant::Full`], no more points (with positive weight) than dimensions, or a
    /// singular covariance.
    pub fn select(&self, data: &DMatrix<f64>) -> Result<RuleFit, SelectError> {
        let m = Moments::new(data, self.weights.as_deref())?;
        let factor = self.rule.factor(m.neff, m.dim());
        let bandwidth = match self.variant {
            Variant::Full => {
                m.cholesky()?;
                Bandwidth::Matrix(&m.cov * (factor * factor))
            }
            Variant::PerDimension => {
                m.require_all_coordinates()?;
                Bandwidth::Diagonal(
                    (0..m.dim())
                        .map(|j| factor * m.cov[(j, j)].sqrt())
                        .collect(),
                )
            }
            Variant::Isotropic => {
                m.require_spread()?;
                Bandwidth::Scalar(factor * m.mean_variance().sqrt())
            }
        };
        Ok(RuleFit {
            factor,
            neff: m.neff,
            covariance: m.cov,
            bandwidth,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test set shared with the pinned scipy values: integers / 10, exactly
    /// representable in both languages.
    fn pinned_data() -> DMatrix<f64> {
        DMatrix::from_fn(50, 3, |i, j| {
            ((i * i * 7 + i * j * 13 + j * 5 + 3) % 101) as f64 / 10.0
        })
    }

    fn pinned_weights() -> Vec<f64> {
        (0..50).map(|i| (i % 7 + 1) as f64).collect()
    }

    /// Relative agreement to 1e-12 of the largest entry (scipy's own matrix is symmetric
    /// only to rounding, ~1e-17 relative here).
    fn assert_matrix_close(found: &Bandwidth, expected: &[[f64; 3]; 3]) {
        let Bandwidth::Matrix(h) = found else {
            panic!("expected a full matrix, got {found:?}");
        };
        let scale = expected
            .iter()
            .flatten()
            .fold(0.0f64, |a, v| a.max(v.abs()));
        for i in 0..3 {
            for j in 0..3 {
                let err = (h[(i, j)] - expected[i][j]).abs() / scale;
                assert!(
                    err < 1e-12,
                    "H[{i},{j}] = {} vs scipy {}",
                    h[(i, j)],
                    expected[i][j]
                );
            }
        }
    }

    // Pinned values computed once with scipy 1.17.1 / numpy (Python 3), script:
    //   X[i, j] = ((i*i*7 + i*j*13 + j*5 + 3) % 101) / 10,  n = 50, d = 3,
    //   w[i] = i % 7 + 1;
    //   k = scipy.stats.gaussian_kde(X.T, bw_method=rule, weights=w or None)
    //   print(repr(k.neff), repr(k.factor), repr(k.covariance))
    // `k.covariance` is scipy's bandwidth matrix H = factor^2 cov.
    const SCOTT_FACTOR: f64 = 0.5718603679678214;
    const SCOTT_H: [[f64; 3]; 3] = [
        [
            2.6551488419886207,
            0.17531704935398312,
            -0.0018900668617160797,
        ],
        [0.1753170493539831, 2.433499793455946, -0.2620612408386894],
        [
            -0.0018900668617160864,
            -0.2620612408386894,
            2.5859064560765286,
        ],
    ];
    const SILVERMAN_FACTOR: f64 = 0.5539182980610753;
    const SILVERMAN_H: [[f64; 3]; 3] = [
        [
            2.491152397763475,
            0.16448851415044863,
            -0.0017733260448671588,
        ],
        [0.1644885141504486, 2.283193600884647, -0.24587491222797914],
        [
            -0.0017733260448671653,
            -0.24587491222797914,
            2.42618679848559,
        ],
    ];
    const WEIGHTED_NEFF: f64 = 39.56065239551478;
    const WEIGHTED_SCOTT_FACTOR: f64 = 0.5913158331291302;
    const WEIGHTED_SCOTT_H: [[f64; 3]; 3] = [
        [
            2.9884843015322935,
            -0.031247520991259263,
            0.1338956048015349,
        ],
        [
            -0.031247520991259242,
            2.6417882879934838,
            -0.4053289400509262,
        ],
        [0.1338956048015349, -0.4053289400509261, 2.7396135108579407],
    ];
    const WEIGHTED_SILVERMAN_FACTOR: f64 = 0.5727633496746978;
    const WEIGHTED_SILVERMAN_H: [[f64; 3]; 3] = [
        [
            2.8038992450098528,
            -0.02931750401730347,
            0.12562548346687522,
        ],
        [-0.02931750401730345, 2.47861706430341, -0.3802936185432576],
        [0.12562548346687522, -0.38029361854325755, 2.570400068949589],
    ];

    #[test]
    fn full_matrices_match_scipy() {
        let data = pinned_data();
        let cases = [
            (Rule::Scott, None, 50.0, SCOTT_FACTOR, &SCOTT_H),
            (Rule::Silverman, None, 50.0, SILVERMAN_FACTOR, &SILVERMAN_H),
            (
                Rule::Scott,
                Some(pinned_weights()),
                WEIGHTED_NEFF,
                WEIGHTED_SCOTT_FACTOR,
                &WEIGHTED_SCOTT_H,
            ),
            (
                Rule::Silverman,
                Some(pinned_weights()),
                WEIGHTED_NEFF,
                WEIGHTED_SILVERMAN_FACTOR,
                &WEIGHTED_SILVERMAN_H,
            ),
        ];
        for (rule, weights, neff, factor, h) in cases {
            let mut sel = RuleOfThumb::new(rule, Variant::Full);
            if let Some(w) = weights {
                sel = sel.weights(w);
            }
            let fit = sel.select(&data).unwrap();
            // scipy's unweighted neff is 1/sum((1/n)^2) = 49.99999999999999: 1e-12 relative.
            assert!(
                (fit.neff - neff).abs() < 1e-12 * neff,
                "{rule:?}: neff {}",
                fit.neff
            );
            assert!(
                (fit.factor - factor).abs() < 1e-12 * factor,
                "{rule:?}: {}",
                fit.factor
            );
            assert_matrix_close(&fit.bandwidth, h);
        }
    }

    #[test]
    fn isotropic_and_per_dimension_variants_follow_the_diagonal() {
        // The per-dimension bandwidths are the square roots of scipy's diagonal, the isotropic
        // one the root of its mean: same factor, same variances.
        let data = pinned_data();
        let w = pinned_weights();
        for (sel, h) in [
            (
                RuleOfThumb::new(Rule::Scott, Variant::PerDimension),
                &SCOTT_H,
            ),
            (
                RuleOfThumb::new(Rule::Silverman, Variant::PerDimension).weights(w.clone()),
                &WEIGHTED_SILVERMAN_H,
            ),
        ] {
            let Bandwidth::Diagonal(found) = sel.select(&data).unwrap().bandwidth else {
                panic!("expected a diagonal bandwidth");
            };
            for j in 0..3 {
                let want = h[j][j].sqrt();
                assert!(
                    (found[j] - want).abs() < 1e-12 * want,
                    "h_{j}: {} vs {want}",
                    found[j]
                );
            }
        }
        let fit = RuleOfThumb::new(Rule::Scott, Variant::Isotropic)
            .weights(w)
            .select(&data)
            .unwrap();
        let want = ((0..3).map(|j| WEIGHTED_SCOTT_H[j][j]).sum::<f64>() / 3.0).sqrt();
        let Bandwidth::Scalar(h) = fit.bandwidth else {
            panic!("expected a scalar bandwidth");
        };
        assert!((h - want).abs() < 1e-12 * want);
    }

    #[test]
    fn degenerate_data_are_typed_errors() {
        let sel = |v| RuleOfThumb::new(Rule::Silverman, v);
        // n <= d: only the full matrix fails, and says what to use instead.
        let wide = DMatrix::from_fn(3, 5, |i, j| (i * 5 + j * j) as f64);
        let err = sel(Variant::Full).select(&wide).unwrap_err();
        assert_eq!(err, SelectError::TooFewPointsForMatrix { n: 3, d: 5 });
        assert!(err.to_string().contains("isotropic or per-dimension"));
        assert!(sel(Variant::PerDimension).select(&wide).is_ok());
        assert!(sel(Variant::Isotropic).select(&wide).is_ok());
        // A constant coordinate: fine for the isotropic variant only.
        let flat = DMatrix::from_fn(10, 2, |i, j| if j == 1 { 3.0 } else { i as f64 });
        assert_eq!(
            sel(Variant::Full).select(&flat).unwrap_err(),
            SelectError::ZeroVariance { col: 1 }
        );
        assert_eq!(
            sel(Variant::PerDimension).select(&flat).unwrap_err(),
            SelectError::ZeroVariance { col: 1 }
        );
        assert!(sel(Variant::Isotropic).select(&flat).is_ok());
        // All points equal, or a single point: every variant fails.
        let same = DMatrix::from_element(10, 2, 1.5);
        let single = DMatrix::from_element(1, 2, 1.5);
        for v in [Variant::Full, Variant::PerDimension, Variant::Isotropic] {
            assert_eq!(
                sel(v).select(&same).unwrap_err(),
                SelectError::AllPointsEqual
            );
            assert_eq!(
                sel(v).select(&single).unwrap_err(),
                SelectError::TooFewPoints { n: 1 }
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// `y = c x + t` gives `H(y) = c^2 H(x)` in every variant. Tolerance 1e-10 relative:
        /// shifts up to 1e3 on data of order 1 lose ~1e-13 relative in the centred values.
        #[test]
        fn rules_are_affine_equivariant(
            seed in 0u64..1_000_000,
            c in 0.01f64..100.0,
            t in -1e3f64..1e3,
        ) {
            use rand::SeedableRng;
            use rand_distr::Distribution;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let x = DMatrix::from_fn(30, 3, |_, _| rand_distr::StandardNormal.sample(&mut rng));
            let y = x.map(|v: f64| c * v + t);
            for variant in [Variant::Full, Variant::PerDimension, Variant::Isotropic] {
                let sel = RuleOfThumb::new(Rule::Silverman, variant);
                let (bx, by) = (sel.select(&x).unwrap().bandwidth, sel.select(&y).unwrap().bandwidth);
                let (vx, vy, power): (Vec<f64>, Vec<f64>, i32) = match (bx, by) {
                    (Bandwidth::Matrix(a), Bandwidth::Matrix(b)) => {
                        (a.iter().copied().collect(), b.iter().copied().collect(), 2)
                    }
                    (Bandwidth::Diagonal(a), Bandwidth::Diagonal(b)) => (a, b, 1),
                    (Bandwidth::Scalar(a), Bandwidth::Scalar(b)) => (vec![a], vec![b], 1),
                    other => panic!("variant changed: {other:?}"),
                };
                let scale = vx.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                for (a, b) in vx.iter().zip(&vy) {
                    proptest::prop_assert!((b - c.powi(power) * a).abs() < 1e-10 * c.powi(power) * scale);
                }
            }
        }
    }
}
