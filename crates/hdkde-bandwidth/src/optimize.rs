//! Robust one-dimensional maximisation: golden bracketing, then Brent's method.
//!
//! The objective may be `-inf` (a compact kernel that leaves a point uncovered): such values
//! are ordinary "very bad" values. They keep every bracket valid (a bracket only needs the
//! middle value to be the largest) and switch Brent's method to golden-section steps, since
//! a parabola through an infinite value is undefined. A NaN is treated as `-inf`.

use crate::SelectError;

/// Golden ratio, the expansion factor of the bracketing phase.
const GOLD: f64 = 1.618_033_988_749_895;
/// `(3 - sqrt 5) / 2`, the golden-section fraction.
const CGOLD: f64 = 0.381_966_011_250_105_1;
/// Iteration cap of Brent's method: enough to shrink any bracket met in practice (say
/// 40 nats of `ln h`) to `1e-15` by golden steps alone (`40 * 0.618^k < 1e-15` at `k = 80`).
const MAX_BRENT: usize = 200;

/// The maximiser found, its value and the number of objective evaluations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Maximum {
    pub(crate) x: f64,
    pub(crate) f: f64,
    pub(crate) evaluations: usize,
}

/// Maximise `f` over `[lo, hi]`, starting from `x0` with first step `step > 0`, to an absolute
/// accuracy `tol` in `x`.
///
/// Bracketing walks uphill from `x0` by golden-ratio steps (towards larger `x` when the
/// first two values are equal, which is where a compact kernel's `-inf` region ends) until
/// the value drops; a maximum at `lo` or `hi` is [`SelectError::NoOptimum`], and an
/// objective that is `-inf` up to `hi` is [`SelectError::NoFiniteObjective`].
pub(crate) fn maximise<F>(
    mut f: F,
    x0: f64,
    step: f64,
    lo: f64,
    hi: f64,
    tol: f64,
) -> Result<Maximum, SelectError>
where
    F: FnMut(f64) -> Result<f64, SelectError>,
{
    let mut evaluations = 0;
    let mut eval = |x: f64| -> Result<f64, SelectError> {
        evaluations += 1;
        let v = f(x)?;
        Ok(if v.is_nan() { f64::NEG_INFINITY } else { v })
    };
    let x0 = x0.clamp(lo, hi);
    let (mut a, mut fa) = (x0, eval(x0)?);
    let mut b = if x0 + step <= hi {
        x0 + step
    } else {
        x0 - step
    };
    let mut fb = eval(b)?;
    if fb < fa {
        std::mem::swap(&mut a, &mut b);
        std::mem::swap(&mut fa, &mut fb);
    } else if fb == fa && b < a {
        // Equal values: search towards larger x.
        std::mem::swap(&mut a, &mut b);
    }
    // Invariant: f(b) >= f(a); walk from a through b.
    let c = loop {
        let c = (b + GOLD * (b - a)).clamp(lo, hi);
        if c == b {
            if fb == f64::NEG_INFINITY {
                return Err(SelectError::NoFiniteObjective);
            }
            let edge = if b >= hi { "large" } else { "small" };
            return Err(SelectError::NoOptimum { edge });
        }
        let fc = eval(c)?;
        if fc < fb {
            break c;
        }
        a = b;
        b = c;
        fb = fc;
    };
    let (x, fx) = brent(&mut eval, a.min(c), a.max(c), b, fb, tol)?;
    Ok(Maximum {
        x,
        f: fx,
        evaluations,
    })
}

/// Brent's method (R. P. Brent, *Algorithms for Minimization without Derivatives*, 1973,
/// ch. 5) for the maximum of `f` on `[a, b]`, from an interior point `x` with value `fx` at
/// least as large as the values at both ends. Works on `g = -f`.
fn brent<F>(
    f: &mut F,
    mut a: f64,
    mut b: f64,
    x0: f64,
    f0: f64,
    tol: f64,
) -> Result<(f64, f64), SelectError>
where
    F: FnMut(f64) -> Result<f64, SelectError>,
{
    let (mut x, mut w, mut v) = (x0, x0, x0);
    let (mut gx, mut gw, mut gv) = (-f0, -f0, -f0);
    let (mut d, mut e) = (0.0f64, 0.0f64);
    for _ in 0..MAX_BRENT {
        let m = 0.5 * (a + b);
        let tol1 = tol;
        let tol2 = 2.0 * tol1;
        if (x - m).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut golden = true;
        if e.abs() > tol1 && gx.is_finite() && gw.is_finite() && gv.is_finite() {
            // Parabola through (v, gv), (w, gw), (x, gx).
            let r = (x - w) * (gx - gv);
            let q = (x - v) * (gx - gw);
            let mut p = (x - v) * q - (x - w) * r;
            let mut q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            } else {
                q = -q;
            }
            let e_prev = e;
            e = d;
            if p.abs() < (0.5 * q * e_prev).abs() && p > q * (a - x) && p < q * (b - x) {
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = tol1.copysign(m - x);
                }
                golden = false;
            }
        }
        if golden {
            e = if x >= m { a - x } else { b - x };
            d = CGOLD * e;
        }
        let u = if d.abs() >= tol1 {
            x + d
        } else {
            x + tol1.copysign(d)
        };
        let gu = -f(u)?;
        if gu <= gx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            (v, gv) = (w, gw);
            (w, gw) = (x, gx);
            (x, gx) = (u, gu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if gu <= gw || w == x {
                (v, gv) = (w, gw);
                (w, gw) = (u, gu);
            } else if gu <= gv || v == x || v == w {
                (v, gv) = (u, gu);
            }
        }
    }
    Ok((x, -gx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_smooth_maxima_to_tolerance() {
        // -(x - 1.3)^2 and a skewed x e^-x (maximum at 1): both to the requested 1e-8
        // (a smooth maximum is located to ~sqrt(eps) ~ 1e-8 at best).
        let m = maximise(|x| Ok(-(x - 1.3) * (x - 1.3)), 0.0, 0.25, -50.0, 50.0, 1e-8).unwrap();
        assert!((m.x - 1.3).abs() < 3e-8, "{m:?}");
        let m = maximise(|x| Ok(x * (-x).exp()), 5.0, 0.25, 0.0, 50.0, 1e-8).unwrap();
        assert!((m.x - 1.0).abs() < 3e-8, "{m:?}");
        assert!(m.evaluations < 60);
    }

    #[test]
    fn minus_infinity_is_a_bad_value_not_a_failure() {
        // -inf below x = 2 (an uncovered point), a maximum at 3 above it.
        let f = |x: f64| {
            Ok(if x < 2.0 {
                f64::NEG_INFINITY
            } else {
                -(x - 3.0).powi(2)
            })
        };
        let m = maximise(f, 0.0, 0.25, -50.0, 50.0, 1e-8).unwrap();
        assert!((m.x - 3.0).abs() < 3e-8, "{m:?}");
        // Maximum right at the edge of the -inf region: golden steps still converge.
        let g = |x: f64| Ok(if x < 2.0 { f64::NEG_INFINITY } else { -x });
        let m = maximise(g, 0.0, 0.25, -50.0, 50.0, 1e-8).unwrap();
        assert!((m.x - 2.0).abs() < 1e-7, "{m:?}");
        // NaN is treated as -inf.
        let h = |x: f64| {
            Ok(if x < 1.0 {
                f64::NAN
            } else {
                -(x - 1.5).powi(2)
            })
        };
        let m = maximise(h, 0.0, 0.25, -50.0, 50.0, 1e-8).unwrap();
        assert!((m.x - 1.5).abs() < 3e-8, "{m:?}");
    }

    #[test]
    fn monotone_or_infinite_objectives_are_errors() {
        let up = maximise(Ok, 0.0, 0.25, -5.0, 5.0, 1e-8);
        assert_eq!(up, Err(SelectError::NoOptimum { edge: "large" }));
        let down = maximise(|x| Ok(-x), 0.0, 0.25, -5.0, 5.0, 1e-8);
        assert_eq!(down, Err(SelectError::NoOptimum { edge: "small" }));
        let none = maximise(|_| Ok(f64::NEG_INFINITY), 0.0, 0.25, -5.0, 5.0, 1e-8);
        assert_eq!(none, Err(SelectError::NoFiniteObjective));
        // Errors of the objective propagate.
        let failing = maximise(
            |_| Err(SelectError::BadTolerance),
            0.0,
            0.25,
            -5.0,
            5.0,
            1e-8,
        );
        assert_eq!(failing, Err(SelectError::BadTolerance));
    }
}
