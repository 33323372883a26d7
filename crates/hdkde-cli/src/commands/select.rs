//! `--bandwidth H`: a number, or the name of a selector run on the data first.

use std::str::FromStr;

use hdkde::bandwidth::{Lcv, Lscv, Method, ReferenceModel, RuleOfThumb, SelectError};
use hdkde::estimator::{Bandwidth, Kernel};
use nalgebra::DMatrix;

use crate::error::CliError;
use crate::io::Matrix;
use crate::progress::with_spinner;

/// The selector names accepted by `--bandwidth` and `--method`, for messages.
pub(crate) const SELECTOR_NAMES: &str = "scott, silverman (scipy's full matrix factor^2 Cov), \
    scott-diag, silverman-diag, scott-iso, silverman-iso, lcv, lcv-cov, lscv, lscv-cov, \
    kl (finite-d h_KL), h-kl (leading-order h_KL)";

/// A bandwidth given on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum BandwidthSpec {
    /// `H = h^2 I`.
    Value(f64),
    /// Run this selector on the data.
    Select(Method),
}

/// The selector of a name: [`Method::name`], with `kl` for the finite-`d` `h_KL`.
pub(crate) fn method_from_name(name: &str) -> Option<Method> {
    let name = name.trim().to_ascii_lowercase();
    match name.as_str() {
        "kl" => Method::from_name("h-kl-finite"),
        other => Method::from_name(other),
    }
}

/// The name under which a selector is shown (`kl` for the finite-`d` `h_KL`).
pub(crate) fn method_name(method: Method) -> &'static str {
    match method {
        Method::KlFinite => "kl",
        other => other.name(),
    }
}

impl FromStr for BandwidthSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().parse::<f64>() {
            Ok(h) if h.is_finite() && h > 0.0 => Ok(BandwidthSpec::Value(h)),
            Ok(h) => Err(format!("must be a finite number > 0, got {h}")),
            Err(_) => method_from_name(text)
                .map(BandwidthSpec::Select)
                .ok_or_else(|| {
                    format!("not a positive number nor a known selector (known: {SELECTOR_NAMES})")
                }),
        }
    }
}

/// Copy a row-major matrix into nalgebra's storage.
pub(crate) fn dmatrix(m: &Matrix) -> DMatrix<f64> {
    DMatrix::from_row_slice(m.n, m.d, &m.rows)
}

/// The bandwidth to use on `data` with `kernel`: the number given, or the selector's answer.
pub(crate) fn resolve(
    spec: BandwidthSpec,
    data: &Matrix,
    kernel: Kernel,
    quiet: bool,
) -> Result<Bandwidth, CliError> {
    match spec {
        BandwidthSpec::Value(h) => Ok(Bandwidth::Scalar(h)),
        BandwidthSpec::Select(method) => {
            let context = format!(
                "{} (--bandwidth {})",
                data.source.display(),
                method_name(method)
            );
            let gaussian_only = matches!(
                method,
                Method::Lscv { .. } | Method::KlLeading | Method::KlFinite
            );
            if gaussian_only && kernel != Kernel::Gaussian {
                return Err(CliError::flag(
                    "--bandwidth",
                    format!(
                        "{} is defined for the Gaussian kernel only (got --kernel {kernel:?})",
                        method_name(method)
                    ),
                ));
            }
            let dm = dmatrix(data);
            let message = format!("selecting the bandwidth ({})", method_name(method));
            with_spinner(quiet, &message, || select(method, &dm, kernel))
                .map_err(|e| CliError::library(context, e))
        }
    }
}

fn select(method: Method, data: &DMatrix<f64>, kernel: Kernel) -> Result<Bandwidth, SelectError> {
    Ok(match method {
        Method::RuleOfThumb { rule, variant } => {
            RuleOfThumb::new(rule, variant).select(data)?.bandwidth
        }
        Method::Lcv { shape } => {
            Lcv::new()
                .kernel(kernel)
                .shape(shape)
                .select(data)?
                .bandwidth
        }
        Method::Lscv { shape } => Lscv::new().shape(shape).select(data)?.bandwidth,
        Method::KlLeading => Bandwidth::Scalar(ReferenceModel::auto(data)?.h_kl()?),
        Method::KlFinite => Bandwidth::Scalar(ReferenceModel::auto(data)?.h_kl_finite()?),
        // Every selector named by `method_from_name` is handled above; a selector added to
        // the library later runs through its report.
        other => {
            let report = hdkde::bandwidth::ReportParams::new()
                .methods(vec![other])
                .run(data)?;
            match (
                report.selections.into_iter().next(),
                report.failures.first(),
            ) {
                (Some(s), _) => s.bandwidth,
                (None, Some((_, e))) => return Err(*e),
                (None, None) => return Err(SelectError::NoFiniteObjective),
            }
        }
    })
}

/// `det(H)^(1/(2d))`: the isotropic `h` with the same kernel volume as `bandwidth`.
pub(crate) fn isotropic_scale(bandwidth: &Bandwidth) -> f64 {
    match bandwidth {
        Bandwidth::Scalar(h) => *h,
        Bandwidth::Diagonal(h) => {
            (h.iter().map(|v| v.ln()).sum::<f64>() / h.len().max(1) as f64).exp()
        }
        Bandwidth::Matrix(m) => match nalgebra::Cholesky::new(m.clone()) {
            Some(c) => {
                let l = c.l();
                let d = m.nrows().max(1);
                ((0..m.nrows()).map(|i| l[(i, i)].ln()).sum::<f64>() / d as f64).exp()
            }
            None => f64::NAN,
        },
    }
}

/// A short description of a bandwidth for human-readable output.
pub(crate) fn describe(bandwidth: &Bandwidth) -> String {
    match bandwidth {
        Bandwidth::Scalar(h) => format!("h = {h:.6}"),
        Bandwidth::Diagonal(h) => format!(
            "diagonal, {} entries, geometric mean {:.6}",
            h.len(),
            isotropic_scale(bandwidth)
        ),
        Bandwidth::Matrix(m) => format!(
            "full {0} x {0} matrix, isotropic-equivalent h = {1:.6}",
            m.nrows(),
            isotropic_scale(bandwidth)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numbers_and_selectors() {
        assert_eq!("0.5".parse(), Ok(BandwidthSpec::Value(0.5)));
        assert!("0".parse::<BandwidthSpec>().unwrap_err().contains("> 0"));
        assert!("-1".parse::<BandwidthSpec>().is_err());
        assert!("NaN".parse::<BandwidthSpec>().is_err());
        assert!("inf".parse::<BandwidthSpec>().is_err());
        for name in [
            "scott",
            "silverman",
            "lcv",
            "lscv",
            "kl",
            "h-kl",
            "scott-iso",
            "LCV",
        ] {
            assert!(
                matches!(name.parse(), Ok(BandwidthSpec::Select(_))),
                "{name}"
            );
        }
        assert_eq!(method_name(method_from_name("kl").unwrap()), "kl");
        let e = "wide".parse::<BandwidthSpec>().unwrap_err();
        assert!(e.contains("known:") && e.contains("silverman"), "{e}");
    }

    #[test]
    fn isotropic_scale_is_the_volume_equivalent_h() {
        // det(diag(4, 1))^(1/4) = 4^(1/4) = sqrt(2).
        let m = Bandwidth::Matrix(DMatrix::from_row_slice(2, 2, &[4.0, 0.0, 0.0, 1.0]));
        assert!((isotropic_scale(&m) - 2f64.sqrt()).abs() < 1e-15);
        let d = Bandwidth::Diagonal(vec![2.0, 0.5]);
        assert!((isotropic_scale(&d) - 1.0).abs() < 1e-15);
        assert_eq!(isotropic_scale(&Bandwidth::Scalar(0.3)), 0.3);
    }
}
