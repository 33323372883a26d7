//! The kernel families, their profiles and their dimension-bound form.

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use crate::norm::{
    ln_ball_volume, ln_cosine_radial_integral, ln_gamma, ln_gamma_ratio, ln_sphere_area,
};

/// Errors from constructing or binding a kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KernelError {
    /// The dimension must be at least 1.
    #[error("kernel dimension must be at least 1")]
    ZeroDimension,
    /// The Student-t degrees of freedom must be finite and positive.
    #[error("student-t degrees of freedom must be finite and > 0")]
    BadDegreesOfFreedom,
    /// The kernel name is not one of [`Kernel::NAMES`].
    #[error("unknown kernel name (expected one of: gaussian, epanechnikov, uniform, biweight, triweight, triangular, cosine, exponential, cauchy, student-t:DOF)")]
    UnknownName,
}

/// A radial kernel family `K(u) = c_d k(|u|)`, defined in every dimension `d >= 1`.
///
/// Profiles `k(r)` (with `s = r^2`); the compact ones vanish for `r >= 1` (the uniform one for
/// `r > 1`):
///
/// | kernel | `k(r)` | support |
/// |---|---|---|
/// | `Gaussian` | `exp(-s/2)` | all of `R^d` |
/// | `Epanechnikov` | `1 - s` | `r < 1` |
/// | `Uniform` (tophat) | `1` | `r <= 1` |
/// | `Biweight` | `(1 - s)^2` | `r < 1` |
/// | `Triweight` | `(1 - s)^3` | `r < 1` |
/// | `Triangular` (linear) | `1 - r` | `r < 1` |
/// | `Cosine` | `cos(pi r / 2)` | `r < 1` |
/// | `Exponential` (Laplace) | `exp(-r)` | all of `R^d` |
/// | `StudentT { dof }` | `(1 + s/dof)^(-(dof + d)/2)` | all of `R^d` |
///
/// The Student-t kernel is the multivariate t law with `dof` degrees of freedom; its profile
/// depends on `d`, which is why profiles are evaluated through a [`DimKernel`]. `dof = 1` is the
/// multivariate Cauchy kernel. With a compact kernel, a KDE is `-inf` exactly at the points that
/// no data point's support reaches.
///
/// The Gaussian kernel has unit covariance; the compact kernels have support radius 1 (the
/// convention of scikit-learn's `KernelDensity`), so a bandwidth `h` is their support radius.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Kernel {
    /// `exp(-|u|^2 / 2)`.
    Gaussian,
    /// `1 - |u|^2` on the unit ball.
    Epanechnikov,
    /// `1` on the closed unit ball (tophat).
    Uniform,
    /// `(1 - |u|^2)^2` on the unit ball.
    Biweight,
    /// `(1 - |u|^2)^3` on the unit ball.
    Triweight,
    /// `1 - |u|` on the unit ball (linear).
    Triangular,
    /// `cos(pi |u| / 2)` on the unit ball.
    Cosine,
    /// `exp(-|u|)` (Laplace).
    Exponential,
    /// Multivariate Student-t with `dof` degrees of freedom; build it with [`Kernel::student_t`].
    StudentT {
        /// Degrees of freedom, finite and positive.
        dof: f64,
    },
}

impl Kernel {
    /// The eight families without a parameter (every kernel but Student-t), in the order of
    /// [`Kernel::NAMES`].
    ///
    /// ```
    /// # use hdkde_kernels::Kernel;
    /// assert_eq!(Kernel::FIXED.len(), 8);
    /// assert!(Kernel::FIXED.iter().all(|k| k.name() != "cauchy"));
    /// ```
    pub const FIXED: [Kernel; 8] = [
        Kernel::Gaussian,
        Kernel::Epanechnikov,
        Kernel::Uniform,
        Kernel::Biweight,
        Kernel::Triweight,
        Kernel::Triangular,
        Kernel::Cosine,
        Kernel::Exponential,
    ];

    /// The names accepted by [`Kernel::from_str`] (`student-t:DOF` takes a number).
    pub const NAMES: [&'static str; 10] = [
        "gaussian",
        "epanechnikov",
        "uniform",
        "biweight",
        "triweight",
        "triangular",
        "cosine",
        "exponential",
        "cauchy",
        "student-t:DOF",
    ];

    /// The Student-t kernel with `dof` degrees of freedom (checked).
    ///
    /// ```
    /// # use hdkde_kernels::{Kernel, KernelError};
    /// assert!(Kernel::student_t(3.0).is_ok());
    /// assert_eq!(Kernel::student_t(0.0), Err(KernelError::BadDegreesOfFreedom));
    /// ```
    pub fn student_t(dof: f64) -> Result<Self, KernelError> {
        if dof.is_finite() && dof > 0.0 {
            Ok(Kernel::StudentT { dof })
        } else {
            Err(KernelError::BadDegreesOfFreedom)
        }
    }

    /// The multivariate Cauchy kernel, `student_t(1)`.
    pub fn cauchy() -> Self {
        Kernel::StudentT { dof: 1.0 }
    }

    /// Radius of the support in whitened units: `1` for compact kernels, `+inf` otherwise.
    pub fn support_radius(&self) -> f64 {
        if self.is_compact() {
            1.0
        } else {
            f64::INFINITY
        }
    }

    /// Whether the kernel vanishes outside the unit ball.
    pub fn is_compact(&self) -> bool {
        !matches!(
            self,
            Kernel::Gaussian | Kernel::Exponential | Kernel::StudentT { .. }
        )
    }

    /// `ln c_d`, the log of the normalising constant in dimension `d`.
    ///
    /// Closed forms (`B`: beta function, `S_(d-1) = 2 pi^(d/2) / Gamma(d/2)`):
    /// Gaussian `-(d/2) ln(2 pi)`; `(1 - s)^p` kernels (uniform `p = 0`, Epanechnikov 1,
    /// biweight 2, triweight 3) `1/c_d = pi^(d/2) Gamma(p+1) / Gamma(d/2 + p + 1)`;
    /// triangular `1/c_d = S_(d-1) / (d (d+1))`; exponential `1/c_d = S_(d-1) Gamma(d)`;
    /// Student-t `c_d = Gamma((nu+d)/2) / (Gamma(nu/2) (nu pi)^(d/2))`; cosine
    /// `1/c_d = S_(d-1) J_d` with `J_d = int_0^1 r^(d-1) cos(pi r/2) dr` by a cancellation-free
    /// series.
    ///
    /// ```
    /// # use hdkde_kernels::Kernel;
    /// let ln_c = Kernel::Gaussian.ln_norm(2).unwrap();
    /// assert!((ln_c + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
    /// ```
    pub fn ln_norm(&self, d: usize) -> Result<f64, KernelError> {
        if d == 0 {
            return Err(KernelError::ZeroDimension);
        }
        let df = d as f64;
        let h = df / 2.0;
        let power = |p: f64| -(h * PI.ln()) - ln_gamma(p + 1.0) + ln_gamma(h + p + 1.0);
        Ok(match *self {
            Kernel::Gaussian => -h * (2.0 * PI).ln(),
            Kernel::Uniform => -ln_ball_volume(d),
            Kernel::Epanechnikov => power(1.0),
            Kernel::Biweight => power(2.0),
            Kernel::Triweight => power(3.0),
            Kernel::Triangular => -ln_sphere_area(d) + df.ln() + (df + 1.0).ln(),
            Kernel::Cosine => -ln_sphere_area(d) - ln_cosine_radial_integral(d),
            Kernel::Exponential => -ln_sphere_area(d) - ln_gamma(df),
            Kernel::StudentT { dof } => ln_gamma_ratio(dof / 2.0, h) - h * (dof * PI).ln(),
        })
    }

    /// Bind the kernel to dimension `d`, precomputing `ln c_d`.
    pub fn in_dim(&self, d: usize) -> Result<DimKernel, KernelError> {
        let ln_norm = self.ln_norm(d)?;
        Ok(DimKernel {
            kernel: *self,
            d,
            ln_norm,
        })
    }

    /// The canonical name (`student-t:DOF` for Student-t, `cauchy` for one degree of freedom).
    pub fn name(&self) -> String {
        match *self {
            Kernel::Gaussian => "gaussian".into(),
            Kernel::Epanechnikov => "epanechnikov".into(),
            Kernel::Uniform => "uniform".into(),
            Kernel::Biweight => "biweight".into(),
            Kernel::Triweight => "triweight".into(),
            Kernel::Triangular => "triangular".into(),
            Kernel::Cosine => "cosine".into(),
            Kernel::Exponential => "exponential".into(),
            Kernel::StudentT { dof: 1.0 } => "cauchy".into(),
            Kernel::StudentT { dof } => format!("student-t:{dof}"),
        }
    }
}

impl fmt::Display for Kernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl FromStr for Kernel {
    type Err = KernelError;

    /// Parse a kernel name, case-insensitively. Aliases: `tophat` (uniform), `linear`
    /// (triangular), `laplace` (exponential), `t:DOF` (student-t).
    ///
    /// ```
    /// # use hdkde_kernels::Kernel;
    /// assert_eq!("tophat".parse::<Kernel>().unwrap(), Kernel::Uniform);
    /// assert_eq!("student-t:3".parse::<Kernel>().unwrap(), Kernel::StudentT { dof: 3.0 });
    /// assert!("box".parse::<Kernel>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Ok(match s.as_str() {
            "gaussian" | "normal" => Kernel::Gaussian,
            "epanechnikov" => Kernel::Epanechnikov,
            "uniform" | "tophat" => Kernel::Uniform,
            "biweight" | "quartic" => Kernel::Biweight,
            "triweight" => Kernel::Triweight,
            "triangular" | "linear" => Kernel::Triangular,
            "cosine" => Kernel::Cosine,
            "exponential" | "laplace" => Kernel::Exponential,
            "cauchy" => Kernel::cauchy(),
            other => {
                let dof = other
                    .strip_prefix("student-t:")
                    .or_else(|| other.strip_prefix("t:"))
                    .ok_or(KernelError::UnknownName)?;
                let dof: f64 = dof.parse().map_err(|_| KernelError::BadDegreesOfFreedom)?;
                Kernel::student_t(dof)?
            }
        })
    }
}

/// A kernel bound to a dimension `d`, with `ln c_d` precomputed.
///
/// ```
/// # use hdkde_kernels::Kernel;
/// let k = Kernel::Gaussian.in_dim(3).unwrap();
/// // ln K(0) = ln c_3 = -(3/2) ln(2 pi)
/// assert!((k.ln_kernel(0.0) + 1.5 * (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DimKernel {
    kernel: Kernel,
    d: usize,
    ln_norm: f64,
}

impl DimKernel {
    /// The kernel family.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// The dimension.
    pub fn dim(&self) -> usize {
        self.d
    }

    /// `ln c_d`.
    pub fn ln_norm(&self) -> f64 {
        self.ln_norm
    }

    /// `ln k(r)` as a function of `r2 = r^2 >= 0`; `-inf` outside a compact support.
    ///
    /// A negative `r2` (possible only from rounding in a caller's distance computation) is
    /// treated as `0`; NaN propagates.
    #[inline]
    pub fn ln_profile(&self, r2: f64) -> f64 {
        let s = r2.max(0.0);
        match self.kernel {
            Kernel::Gaussian => -0.5 * s,
            Kernel::Uniform => {
                if s <= 1.0 {
                    0.0
                } else {
                    f64::NEG_INFINITY
                }
            }
            Kernel::Epanechnikov => ln_one_minus(s),
            Kernel::Biweight => 2.0 * ln_one_minus(s),
            Kernel::Triweight => 3.0 * ln_one_minus(s),
            Kernel::Triangular => ln_one_minus(s.sqrt()),
            Kernel::Cosine => {
                let r = s.sqrt();
                if r < 1.0 {
                    // cos(pi r/2) = sin(pi (1-r)/2): accurate near the edge.
                    (0.5 * PI * (1.0 - r)).sin().ln()
                } else {
                    f64::NEG_INFINITY
                }
            }
            Kernel::Exponential => -s.sqrt(),
            Kernel::StudentT { dof } => -0.5 * (dof + self.d as f64) * (s / dof).ln_1p(),
        }
    }

    /// `ln K(u) = ln c_d + ln k(|u|)` as a function of `r2 = |u|^2`.
    #[inline]
    pub fn ln_kernel(&self, r2: f64) -> f64 {
        self.ln_norm + self.ln_profile(r2)
    }
}

/// `ln(1 - x)` for `x < 1`, `-inf` for `x >= 1`.
#[inline]
fn ln_one_minus(x: f64) -> f64 {
    if x < 1.0 {
        (-x).ln_1p()
    } else {
        f64::NEG_INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every family, with Student-t at 1 and 4.5 degrees of freedom.
    fn all() -> impl Iterator<Item = Kernel> {
        Kernel::FIXED
            .into_iter()
            .chain([Kernel::StudentT { dof: 1.0 }, Kernel::StudentT { dof: 4.5 }])
    }

    /// Log of the radial integral `S_(d-1) int_0^R r^(d-1) c_d k(r) dr`, which must be 0.
    fn ln_total_mass(k: Kernel, d: usize) -> f64 {
        let dk = k.in_dim(d).unwrap();
        let f = |r: f64| {
            if r <= 0.0 {
                return f64::NEG_INFINITY;
            }
            ln_sphere_area(d) + (d as f64 - 1.0) * r.ln() + dk.ln_kernel(r * r)
        };
        if k.is_compact() {
            crate::quadrature::ln_integral_unit_interval(f)
        } else {
            crate::quadrature::ln_integral_half_line(f)
        }
    }

    #[test]
    fn normalisation_by_radial_quadrature() {
        // Quadrature error: tanh-sinh / exp-substituted trapezoid converge geometrically in
        // the step; at the step used the error is below 1e-12 for these smooth integrands.
        for k in all() {
            for d in [1usize, 2, 3, 10, 50] {
                let m = ln_total_mass(k, d);
                assert!(m.abs() < 1e-10, "{k} d = {d}: ln mass = {m:e}");
            }
        }
    }

    #[test]
    fn large_dimension_closed_form_ratios() {
        // Integrals of (1-s)^p and (1-r) over the ball relative to its volume are
        // 2^p p! / ((d+2)(d+4)...(d+2p)) and 1/(d+1): exact identities independent of the
        // log-gamma function, checked here where c_d itself is far outside f64 range.
        for d in [1_000usize, 10_000, 100_000, 1_000_000] {
            let df = d as f64;
            let u = Kernel::Uniform.ln_norm(d).unwrap();
            let tol = 1e-13 * u.abs();
            let epa = (df + 2.0).ln() - 2f64.ln();
            let bi = epa + (df + 4.0).ln() - 4f64.ln();
            let tri = bi + (df + 6.0).ln() - 6f64.ln();
            assert!((Kernel::Epanechnikov.ln_norm(d).unwrap() - u - epa).abs() < tol);
            assert!((Kernel::Biweight.ln_norm(d).unwrap() - u - bi).abs() < tol);
            assert!((Kernel::Triweight.ln_norm(d).unwrap() - u - tri).abs() < tol);
            let lin = (df + 1.0).ln();
            assert!((Kernel::Triangular.ln_norm(d).unwrap() - u - lin).abs() < tol);
            // Uniform: V_d for even d is pi^(d/2) / (d/2)!, by summing logs.
            let half = d / 2;
            let ln_fact: f64 = (1..=half).map(|i| (i as f64).ln()).sum();
            let v = half as f64 * PI.ln() - ln_fact;
            assert!((u + v).abs() < tol, "d = {d}");
            // Cosine: J_d -> (pi/2) / (d (d+1)) as d grows (next term relative 2.5/d^2).
            let cos = Kernel::Cosine.ln_norm(d).unwrap();
            let exp_minus_lin = cos - Kernel::Triangular.ln_norm(d).unwrap();
            assert!((exp_minus_lin + (PI / 2.0).ln()).abs() < 3.0 / (df * df) + tol);
            // Student-t tends to the Gaussian as dof -> inf at fixed d (checked loosely).
            for k in all() {
                assert!(k.ln_norm(d).unwrap().is_finite());
            }
        }
    }

    #[test]
    fn student_t_approaches_gaussian() {
        // At fixed d, ln c_d(t_nu) - ln c_d(gauss) = O(d^2 / nu).
        let d = 5;
        let g = Kernel::Gaussian.in_dim(d).unwrap();
        let t = Kernel::student_t(1e9).unwrap().in_dim(d).unwrap();
        assert!((g.ln_norm() - t.ln_norm()).abs() < 1e-7);
        assert!((g.ln_kernel(2.0) - t.ln_kernel(2.0)).abs() < 1e-7);
    }

    #[test]
    fn profiles_at_edges() {
        for k in all() {
            let dk = k.in_dim(4).unwrap();
            assert_eq!(dk.ln_profile(0.0), 0.0, "{k}");
            assert!(dk.ln_profile(-1e-17) == 0.0);
            if k.is_compact() {
                assert_eq!(dk.ln_profile(1.0 + 1e-12), f64::NEG_INFINITY, "{k}");
                assert!(dk.ln_profile(0.999_999).is_finite(), "{k}");
            } else {
                assert!(dk.ln_profile(1e6).is_finite(), "{k}");
            }
        }
        assert!(Kernel::Uniform.in_dim(2).unwrap().ln_profile(1.0) == 0.0);
    }

    #[test]
    fn names_round_trip_and_errors() {
        for k in all() {
            let parsed: Kernel = k.name().parse().unwrap();
            assert_eq!(parsed, k);
        }
        assert_eq!("".parse::<Kernel>(), Err(KernelError::UnknownName));
        assert_eq!(
            "student-t:-1".parse::<Kernel>(),
            Err(KernelError::BadDegreesOfFreedom)
        );
        assert_eq!(
            "student-t:x".parse::<Kernel>(),
            Err(KernelError::BadDegreesOfFreedom)
        );
        assert_eq!(Kernel::Gaussian.ln_norm(0), Err(KernelError::ZeroDimension));
    }
}
