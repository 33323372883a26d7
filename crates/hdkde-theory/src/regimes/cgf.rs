//! Cumulant generating function of the scaled squared distance `r = |x - y|^2 / d`.
//!
//! Conditional on the test point `x` (squared coordinates `s_j = x_j^2` in the eigenbasis),
//! `(x_j - y_j)^2` is a non-central chi-square variable of scale `lam_j`, so per coordinate
//! `Lambda_j(t) = -1/2 ln(1 - 2 t lam_j) + t s_j / (1 - 2 t lam_j)`, and `Lambda` is the
//! average over the coordinates. The typical test point has `s_j = lam_j`.

use super::root::{bracket_increasing, solve_increasing};
use super::Error;

/// A fraction `weight` of the coordinates with eigenvalue `lam` and squared test-point
/// coordinate `s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Class {
    pub(crate) weight: f64,
    pub(crate) lam: f64,
    pub(crate) s: f64,
}

/// Coordinates of a (conditioned) problem: classes whose weights sum to one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Coords {
    classes: Vec<Class>,
    lam_max: f64,
}

/// `g(y) = 1/2 ln(1 + y) - y / (2 (1 + y))` for `y > -1`, accurate near 0 (series).
fn g_term(y: f64) -> f64 {
    if y.abs() < 0.1 {
        // sum_{k>=2} (-1)^k y^k (k - 1) / (2 k); |y| < 0.1 so 24 terms reach 1e-24 relative.
        let mut sum = 0.0;
        let mut power = y * y;
        for k in 2..26 {
            let kf = k as f64;
            let term = power * (kf - 1.0) / (2.0 * kf);
            sum += if k % 2 == 0 { term } else { -term };
            power *= y;
        }
        sum
    } else {
        0.5 * y.ln_1p() - 0.5 * y / (1.0 + y)
    }
}

impl Coords {
    /// Builds from classes (weights are renormalised to sum to one). Callers validate
    /// `lam > 0`, `s >= 0`, weights `> 0`, and a non-empty list.
    pub(crate) fn new(mut classes: Vec<Class>) -> Self {
        let total: f64 = classes.iter().map(|c| c.weight).sum();
        for c in &mut classes {
            c.weight /= total;
        }
        let lam_max = classes.iter().map(|c| c.lam).fold(0.0, f64::max);
        Coords { classes, lam_max }
    }

    /// The typical test point of a spectrum: equal eigenvalues grouped, `s = lam`.
    pub(crate) fn typical(eigenvalues: &[f64]) -> Self {
        let mut sorted = eigenvalues.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let mut classes: Vec<Class> = Vec::new();
        for lam in sorted {
            match classes.last_mut() {
                Some(c) if c.lam == lam => c.weight += 1.0,
                _ => classes.push(Class {
                    weight: 1.0,
                    lam,
                    s: lam,
                }),
            }
        }
        Coords::new(classes)
    }

    /// The same classes with `s = kappa * lam` (a test point of squared Mahalanobis norm
    /// `kappa` times the typical one, spread like the typical point).
    pub(crate) fn with_scaled_point(&self, kappa: f64) -> Self {
        let classes = self
            .classes
            .iter()
            .map(|c| Class {
                s: kappa * c.lam,
                ..*c
            })
            .collect();
        Coords {
            classes,
            lam_max: self.lam_max,
        }
    }

    pub(crate) fn classes(&self) -> &[Class] {
        &self.classes
    }

    /// Pole of `Lambda`: `1 / (2 max lam)`.
    pub(crate) fn pole(&self) -> f64 {
        0.5 / self.lam_max
    }

    /// `(Lambda(t), Lambda'(t), Lambda''(t))` for `t < pole`.
    pub(crate) fn cgf_all(&self, t: f64) -> (f64, f64, f64) {
        let (mut l0, mut l1, mut l2) = (0.0, 0.0, 0.0);
        for c in &self.classes {
            let y = -2.0 * t * c.lam;
            let v = 1.0 + y;
            l0 += c.weight * (-0.5 * y.ln_1p() + t * c.s / v);
            l1 += c.weight * (c.lam / v + c.s / (v * v));
            l2 += c.weight * (2.0 * c.lam * c.lam / (v * v) + 4.0 * c.lam * c.s / (v * v * v));
        }
        (l0, l1, l2)
    }

    /// `(Lambda'''(t), Lambda''''(t))`.
    pub(crate) fn higher(&self, t: f64) -> (f64, f64) {
        let (mut l3, mut l4) = (0.0, 0.0);
        for c in &self.classes {
            let v = 1.0 - 2.0 * t * c.lam;
            let (v2, lam2) = (v * v, c.lam * c.lam);
            l3 += c.weight * (8.0 * lam2 * c.lam / (v2 * v) + 24.0 * lam2 * c.s / (v2 * v2));
            l4 += c.weight
                * (48.0 * lam2 * lam2 / (v2 * v2) + 192.0 * lam2 * c.lam * c.s / (v2 * v2 * v));
        }
        (l3, l4)
    }

    pub(crate) fn d1(&self, t: f64) -> f64 {
        self.cgf_all(t).1
    }

    pub(crate) fn d2(&self, t: f64) -> f64 {
        self.cgf_all(t).2
    }

    /// `J(t) = t Lambda'(t) - Lambda(t)`, the rate `I(Lambda'(t))`, without cancellation.
    ///
    /// Per class, with `y = -2 t lam`: `g(y) + (s / lam) y^2 / (2 (1 + y)^2)`.
    pub(crate) fn legendre(&self, t: f64) -> f64 {
        self.classes
            .iter()
            .map(|c| {
                let y = -2.0 * t * c.lam;
                let v = 1.0 + y;
                c.weight * (g_term(y) + (c.s / c.lam) * y * y / (2.0 * v * v))
            })
            .sum()
    }

    /// `I(r*(b))` for `b >= 0`: the rate at the tilt `t = -b`.
    pub(crate) fn rate_at_tilt(&self, b: f64) -> f64 {
        self.legendre(-b)
    }

    /// `r*(b) = Lambda'(-b)`.
    pub(crate) fn r_star(&self, b: f64) -> f64 {
        self.d1(-b)
    }

    /// The inverse temperature `b > 0` with `I(r*(b)) = level`, to full double precision.
    ///
    /// Solved in `v = ln b` (where `I` grows like `e^(2v)` for small `b` and like `v / 2`
    /// for large `b`), with `dI/dv = b^2 Lambda''(-b)`.
    pub(crate) fn solve_tilt(&self, level: f64) -> Result<f64, Error> {
        let l2_0 = self.d2(0.0);
        let start = 0.5 * (2.0 * level / l2_0).ln();
        let f = |v: f64| self.rate_at_tilt(v.exp()) - level;
        let (lo, hi) = bracket_increasing(f, start, -700.0, 700.0).ok_or(Error::OutOfRange)?;
        let v = solve_increasing(
            |v: f64| {
                let b = v.exp();
                (self.rate_at_tilt(b) - level, b * b * self.d2(-b))
            },
            lo,
            hi,
        )
        .ok_or(Error::OutOfRange)?;
        let b = v.exp();
        if b.is_finite() && b > 0.0 {
            Ok(b)
        } else {
            Err(Error::OutOfRange)
        }
    }

    /// The tilt `t` with `Lambda'(t) = r`, for `r > 0`.
    ///
    /// `Lambda'` increases from 0 (at `t -> -inf`) to `+inf` (at the pole). For `t < 0` the
    /// unknown is `v = ln(-t)` (the decreasing `Lambda'(-e^v)` is solved as an increasing
    /// function of `-v`); for `t > 0` it is `t` itself on `(0, pole)`.
    pub(crate) fn solve_r(&self, r: f64) -> Result<f64, Error> {
        let mean = self.d1(0.0);
        if r == mean {
            return Ok(0.0);
        }
        if r < mean {
            // u = -v = -ln b; Lambda'(-e^(-u)) increases with u.
            let f = |u: f64| self.d1(-(-u).exp()) - r;
            let (lo, hi) = bracket_increasing(f, 0.0, -700.0, 700.0).ok_or(Error::OutOfRange)?;
            let u = solve_increasing(
                |u: f64| {
                    let b = (-u).exp();
                    (self.d1(-b) - r, b * self.d2(-b))
                },
                lo,
                hi,
            )
            .ok_or(Error::OutOfRange)?;
            Ok(-(-u).exp())
        } else {
            let pole = self.pole();
            let mut hi = 0.5 * pole;
            while self.d1(hi) < r {
                hi = 0.5 * (hi + pole);
                if pole - hi <= 4.0 * f64::EPSILON * pole {
                    return Err(Error::OutOfRange);
                }
            }
            solve_increasing(|t: f64| (self.d1(t) - r, self.d2(t)), 0.0, hi)
                .ok_or(Error::OutOfRange)
        }
    }

    /// The tilt `t in (0, pole)` with `J(t) = level` (right tail at rate `level`).
    pub(crate) fn solve_right_tilt(&self, level: f64) -> Result<f64, Error> {
        let pole = self.pole();
        let mut hi = 0.5 * pole;
        while self.legendre(hi) < level {
            hi = 0.5 * (hi + pole);
            if pole - hi <= 4.0 * f64::EPSILON * pole {
                return Err(Error::OutOfRange);
            }
        }
        solve_increasing(
            |t: f64| {
                let l2 = self.d2(t);
                (self.legendre(t) - level, t * l2)
            },
            0.0,
            hi,
        )
        .ok_or(Error::OutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_level() -> Coords {
        let mut e = vec![2.0; 3];
        e.extend(vec![0.5; 5]);
        Coords::typical(&e)
    }

    #[test]
    fn series_matches_direct_formula_at_switch() {
        // At |y| = 0.1 both forms are accurate: the direct one loses ~1/y^2 = 100 ulps
        // to cancellation, hence the 1e-13 relative tolerance.
        for y in [0.1f64, -0.1, 0.0999999, -0.0999999] {
            let direct = 0.5 * y.ln_1p() - 0.5 * y / (1.0 + y);
            assert!(
                (g_term(y) - direct).abs() <= 1e-13 * direct.abs(),
                "y = {y}"
            );
        }
        // Leading term 3/4 y^2 ... here g(y) ~ y^2 / 4 (the s-part carries the rest).
        let y = 1e-6;
        assert!((g_term(y) / (y * y) - 0.25).abs() < 1e-6);
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let c = two_level().with_scaled_point(1.3);
        let eps = 1e-5;
        for t in [-3.0, -0.4, 0.0, 0.1] {
            let (l0, l1, l2) = c.cgf_all(t);
            let fd1 = (c.cgf_all(t + eps).0 - c.cgf_all(t - eps).0) / (2.0 * eps);
            let fd2 = (c.cgf_all(t + eps).1 - c.cgf_all(t - eps).1) / (2.0 * eps);
            // Central differences: error ~ eps^2 * (third derivative) ~ 1e-10.
            assert!((fd1 - l1).abs() < 1e-8 * l1.abs().max(1.0), "t = {t}");
            assert!((fd2 - l2).abs() < 1e-8 * l2.abs().max(1.0), "t = {t}");
            assert!((c.legendre(t) - (t * l1 - l0)).abs() < 1e-12, "t = {t}");
            // dJ/dt = t Lambda''(t).
            let fdj = (c.legendre(t + eps) - c.legendre(t - eps)) / (2.0 * eps);
            assert!((fdj - t * l2).abs() < 1e-8 * l2.max(1.0), "t = {t}");
            let (l3, l4) = c.higher(t);
            let fd3 = (c.d2(t + eps) - c.d2(t - eps)) / (2.0 * eps);
            let fd4 = (c.higher(t + eps).0 - c.higher(t - eps).0) / (2.0 * eps);
            assert!((fd3 - l3).abs() < 1e-7 * l3.abs().max(1.0), "t = {t}");
            assert!((fd4 - l4).abs() < 1e-7 * l4.abs().max(1.0), "t = {t}");
        }
    }

    #[test]
    fn isotropic_rate_closed_form() {
        // Spec: I(r*) = 1/2 ln(1 + 1/h^2) - h^2 / (2 (1 + h^2)^2) for sigma = 1.
        let c = Coords::typical(&[1.0]);
        for h in [0.2f64, 0.9, 3.0] {
            let b = 0.5 / (h * h);
            let h2 = h * h;
            let expected = 0.5 * (1.0 / h2).ln_1p() - h2 / (2.0 * (1.0 + h2).powi(2));
            assert!((c.rate_at_tilt(b) - expected).abs() < 1e-14 * expected.max(1.0));
        }
    }

    #[test]
    fn solvers_invert_to_full_precision() {
        let c = two_level().with_scaled_point(0.7);
        for level in [1e-6, 0.03, 0.5, 4.0, 60.0] {
            let b = c.solve_tilt(level).unwrap();
            // The root is resolved to a few ulps of v = ln b (|v| < 64) and I ~ b^2 for small
            // b, so |dI / I| <= 2 |v| eps-ish: 256 eps relative.
            assert!((c.rate_at_tilt(b) - level).abs() <= 256.0 * f64::EPSILON * level);
        }
        for r in [1e-3, 0.5, c.d1(0.0), 5.0, 400.0] {
            let t = c.solve_r(r).unwrap();
            // Near the pole |d ln Lambda' / d ln t| ~ 2 / (1 - 2 t lam) ~ 40 at r = 400, so a
            // root exact to a few ulps of t gives ~1e-13 relative in r.
            assert!((c.d1(t) - r).abs() <= 1e-12 * r, "r = {r}");
        }
        let t = c.solve_right_tilt(2.0).unwrap();
        assert!(t > 0.0 && t < c.pole());
        assert!((c.legendre(t) - 2.0).abs() < 1e-13);
        assert_eq!(c.solve_tilt(1e6), Err(Error::OutOfRange));
    }
}
