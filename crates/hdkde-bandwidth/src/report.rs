//! Every selector on one data set, with the regime of each answer.

use hdkde_estimator::{Bandwidth, Kernel};
use hdkde_theory::regimes::Regime;
use nalgebra::DMatrix;

use crate::cv::{CvShape, HeldOut};
use crate::measure::participation_ratio;
use crate::rules::{Rule, RuleOfThumb, Variant};
use crate::sample::check_data;
use crate::theory::ReferenceModel;
use crate::{Lcv, Lscv, SelectError};

/// A bandwidth selector, as listed in a [`Report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// A normal-reference rule of thumb ([`RuleOfThumb`]).
    RuleOfThumb {
        /// Scott or Silverman.
        rule: Rule,
        /// Full matrix, per-dimension or isotropic.
        variant: Variant,
    },
    /// Likelihood cross-validation ([`Lcv`]).
    Lcv {
        /// Isotropic `h`, or the scale of `h^2 Cov`.
        shape: CvShape,
    },
    /// Least-squares cross-validation ([`Lscv`]).
    Lscv {
        /// Isotropic `h`, or the scale of `h^2 Cov`.
        shape: CvShape,
    },
    /// Leading-order `h_KL` of the reference model ([`ReferenceModel::h_kl`]).
    KlLeading,
    /// Finite-`d` `h_KL` of the reference model ([`ReferenceModel::h_kl_finite`]).
    KlFinite,
}

impl Method {
    /// Every selector: Scott and Silverman in the three variants, LCV and LSCV in both
    /// shapes, and the two theory-based `h_KL`.
    pub fn all() -> Vec<Method> {
        let mut v = Vec::new();
        for rule in [Rule::Scott, Rule::Silverman] {
            for variant in [Variant::Full, Variant::PerDimension, Variant::Isotropic] {
                v.push(Method::RuleOfThumb { rule, variant });
            }
        }
        for shape in [CvShape::Isotropic, CvShape::Covariance] {
            v.push(Method::Lcv { shape });
            v.push(Method::Lscv { shape });
        }
        v.push(Method::KlLeading);
        v.push(Method::KlFinite);
        v
    }

    /// Short name: `scott`, `scott-diag`, `scott-iso`, `silverman...`, `lcv`, `lcv-cov`,
    /// `lscv`, `lscv-cov`, `h-kl`, `h-kl-finite`.
    pub fn name(self) -> &'static str {
        match self {
            Method::RuleOfThumb { rule, variant } => match (rule, variant) {
                (Rule::Scott, Variant::Full) => "scott",
                (Rule::Scott, Variant::PerDimension) => "scott-diag",
                (Rule::Scott, Variant::Isotropic) => "scott-iso",
                (Rule::Silverman, Variant::Full) => "silverman",
                (Rule::Silverman, Variant::PerDimension) => "silverman-diag",
                (Rule::Silverman, Variant::Isotropic) => "silverman-iso",
            },
            Method::Lcv { shape } => match shape {
                CvShape::Isotropic => "lcv",
                CvShape::Covariance => "lcv-cov",
            },
            Method::Lscv { shape } => match shape {
                CvShape::Isotropic => "lscv",
                CvShape::Covariance => "lscv-cov",
            },
            Method::KlLeading => "h-kl",
            Method::KlFinite => "h-kl-finite",
        }
    }
}

impl Method {
    /// The method of a short name ([`Method::name`]), `None` if unknown.
    ///
    /// ```
    /// use hdkde_bandwidth::{CvShape, Method};
    ///
    /// assert_eq!(Method::from_name("lcv-cov"), Some(Method::Lcv { shape: CvShape::Covariance }));
    /// assert_eq!(Method::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Method> {
        Method::all().into_iter().find(|m| m.name() == name)
    }
}

impl core::fmt::Display for Method {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(self.name())
    }
}

/// One selector's answer with its regime.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Selection {
    /// The selector.
    pub method: Method,
    /// The bandwidth it selected.
    pub bandwidth: Bandwidth,
    /// Its isotropic-equivalent scale `det(H)^(1/(2d))` (the `h` of a scalar bandwidth, the
    /// geometric mean of the `h_j` of a diagonal one): the `h` with the same kernel volume.
    pub scale: f64,
    /// The factor `f` of a bandwidth `f^2 Cov` (or `f sqrt(Cov_jj)`, `f sqrt(tr Cov / d)`):
    /// the rules' factor, the cross-validated scale for [`CvShape::Covariance`]; `None` for
    /// bandwidths chosen directly in data units.
    pub factor: Option<f64>,
    /// The regime label under the report's reference model (`None` if the theory failed).
    pub regime: Option<Regime>,
    /// The tail index `mu = (h / h_G)^2` in whitened coordinates.
    pub mu: Option<f64>,
    /// The predicted mean participation ratio `E[Y2]` (finite `n` and `d`).
    pub y2_predicted: Option<f64>,
    /// The measured mean leave-one-out participation ratio at the data points (or the
    /// held-out subset).
    pub y2_mean: f64,
}

/// The result of [`ReportParams::run`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Report {
    /// Number of points.
    pub n: usize,
    /// Dimension.
    pub d: usize,
    /// `alpha_eff = ln(n) / d`.
    pub alpha: f64,
    /// The shape of the reference Gaussian model used for the regime labels (the most
    /// detailed that the data allow, see [`ReferenceModel::auto`]); `None` if none fits.
    pub model: Option<Variant>,
    /// The condensation threshold `h_G` of the reference model (isotropic `h`).
    pub h_g: Option<f64>,
    /// The CLT threshold `h_CLT` of the reference model (isotropic `h`).
    pub h_clt: Option<f64>,
    /// The answers of the selectors that succeeded, in the order asked.
    pub selections: Vec<Selection>,
    /// The selectors that failed, with why (e.g. a full matrix with `n <= d`).
    pub failures: Vec<(Method, SelectError)>,
}

/// Settings of a selection report: which selectors, and whether to score and measure on a
/// held-out subset (for large `n`).
///
/// ```
/// use hdkde_bandwidth::{Method, ReportParams};
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_fn(120, 3, |i, j| (i as f64 * (0.618_034 + 0.113 * j as f64)).fract());
/// let report = ReportParams::new().run(&data)?;
/// assert!(report.failures.is_empty());
/// for s in &report.selections {
///     let regime = s.regime.map_or("-".to_string(), |r| r.to_string());
///     let factor = s.factor.map_or("-".to_string(), |f| format!("{f:.4}"));
///     println!("{:<15} {:>8.4} {:>8} {:>8} {:.3}", s.method, s.scale, regime, factor, s.y2_mean);
/// }
/// # Ok::<(), hdkde_bandwidth::SelectError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReportParams {
    methods: Vec<Method>,
    held_out: Option<HeldOut>,
}

impl Default for ReportParams {
    fn default() -> Self {
        Self::new()
    }
}

impl ReportParams {
    /// All selectors ([`Method::all`]), all points scored.
    pub fn new() -> Self {
        ReportParams {
            methods: Method::all(),
            held_out: None,
        }
    }

    /// Run only `methods`, in this order.
    pub fn methods(mut self, methods: Vec<Method>) -> Self {
        self.methods = methods;
        self
    }

    /// Score the cross-validations and measure the participation ratios on `size` held-out
    /// points drawn with `seed` (LSCV always uses all points).
    pub fn held_out(mut self, size: usize, seed: u64) -> Self {
        self.held_out = Some(HeldOut { size, seed });
        self
    }

    /// Run every selector on `data` (`n x d`, one point per row, unweighted, Gaussian
    /// kernel).
    ///
    /// Fails only on data no selector accepts (fewer than two points, non-finite values,
    /// no column, all points equal) or an invalid held-out size; a selector that rejects
    /// the data is listed in [`Report::failures`].
    pub fn run(&self, data: &DMatrix<f64>) -> Result<Report, SelectError> {
        let (n, d) = check_data(data)?;
        let reference = ReferenceModel::auto(data)?;
        if let Some(HeldOut { size, .. }) = self.held_out {
            if size < 2 {
                return Err(SelectError::SubsetTooSmall { size });
            }
        }
        let mut report = Report {
            n,
            d,
            alpha: reference.alpha(),
            model: Some(reference.variant()),
            h_g: reference.h_g().ok(),
            h_clt: reference.h_clt().ok(),
            selections: Vec::new(),
            failures: Vec::new(),
        };
        for &method in &self.methods {
            match self.select(method, data, &reference) {
                Ok(s) => report.selections.push(s),
                Err(e) => report.failures.push((method, e)),
            }
        }
        Ok(report)
    }

    fn select(
        &self,
        method: Method,
        data: &DMatrix<f64>,
        reference: &ReferenceModel,
    ) -> Result<Selection, SelectError> {
        let held = |lcv: Lcv| match self.held_out {
            Some(HeldOut { size, seed }) => lcv.held_out(size, seed),
            None => lcv,
        };
        let (bandwidth, factor) = match method {
            Method::RuleOfThumb { rule, variant } => {
                let fit = RuleOfThumb::new(rule, variant).select(data)?;
                (fit.bandwidth, Some(fit.factor))
            }
            Method::Lcv { shape } => {
                let fit = held(Lcv::new().shape(shape)).select(data)?;
                (fit.bandwidth, cov_factor(shape, fit.h))
            }
            Method::Lscv { shape } => {
                let fit = Lscv::new().shape(shape).select(data)?;
                (fit.bandwidth, cov_factor(shape, fit.h))
            }
            Method::KlLeading => (Bandwidth::Scalar(reference.h_kl()?), None),
            Method::KlFinite => (Bandwidth::Scalar(reference.h_kl_finite()?), None),
        };
        let assessment = reference.assess(&bandwidth).ok();
        let y2_mean = participation_ratio(data, &bandwidth, Kernel::Gaussian, self.held_out)?;
        Ok(Selection {
            method,
            scale: isotropic_scale(&bandwidth)?,
            bandwidth,
            factor,
            regime: assessment.map(|a| a.regime),
            mu: assessment.map(|a| a.mu),
            y2_predicted: assessment.map(|a| a.y2),
            y2_mean,
        })
    }
}

fn cov_factor(shape: CvShape, h: f64) -> Option<f64> {
    match shape {
        CvShape::Covariance => Some(h),
        CvShape::Isotropic => None,
    }
}

/// `det(H)^(1/(2d))`, from the Cholesky factor for a matrix.
fn isotropic_scale(bw: &Bandwidth) -> Result<f64, SelectError> {
    Ok(match bw {
        Bandwidth::Scalar(h) => *h,
        Bandwidth::Diagonal(h) => (h.iter().map(|v| v.ln()).sum::<f64>() / h.len() as f64).exp(),
        Bandwidth::Matrix(m) => {
            let l = nalgebra::Cholesky::new(m.clone())
                .ok_or(hdkde_estimator::KdeError::BandwidthNotPositiveDefinite)?
                .l();
            let d = m.nrows();
            ((0..d).map(|i| l[(i, i)].ln()).sum::<f64>() / d as f64).exp()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn report_lists_every_selector_or_why_it_failed() {
        let mut rng = ChaCha8Rng::seed_from_u64(31);
        let x = DMatrix::from_fn(200, 4, |_, _| StandardNormal.sample(&mut rng));
        let report = ReportParams::new().run(&x).unwrap();
        assert_eq!(report.failures, vec![]);
        assert_eq!(report.selections.len(), Method::all().len());
        assert_eq!(report.model, Some(Variant::Full));
        for s in &report.selections {
            assert!(s.scale.is_finite() && s.scale > 0.0, "{}", s.method);
            assert!((0.0..=1.0).contains(&s.y2_mean), "{}", s.method);
            assert!(s.regime.is_some(), "{}", s.method);
        }
        // The theory-based h_KL is in the extreme-value regime by construction.
        let kl = report
            .selections
            .iter()
            .find(|s| s.method == Method::KlLeading)
            .unwrap();
        assert_eq!(kl.regime, Some(Regime::Extreme));
        // n <= d: the full-matrix selectors fail with advice; the others still answer.
        let wide = DMatrix::from_fn(6, 10, |_, _| StandardNormal.sample(&mut rng));
        let report = ReportParams::new().held_out(4, 1).run(&wide).unwrap();
        let failed: Vec<&str> = report.failures.iter().map(|(m, _)| m.name()).collect();
        assert_eq!(failed, ["scott", "silverman", "lcv-cov", "lscv-cov"]);
        assert!(report
            .failures
            .iter()
            .all(|(_, e)| *e == SelectError::TooFewPointsForMatrix { n: 6, d: 10 }));
        assert_eq!(report.model, Some(Variant::PerDimension));
        // Data no selector accepts is an error of the whole report.
        let same = DMatrix::from_element(5, 2, 1.0);
        assert_eq!(
            ReportParams::new().run(&same).unwrap_err(),
            SelectError::AllPointsEqual
        );
    }

    #[test]
    fn names_are_distinct() {
        let all = Method::all();
        let mut names: Vec<&str> = all.iter().map(|m| m.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
        for m in all {
            assert_eq!(Method::from_name(m.name()), Some(m));
            assert_eq!(format!("{m:>16}").len(), 16, "Display honours the width");
        }
    }
}
