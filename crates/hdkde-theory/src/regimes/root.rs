//! Safeguarded Newton-bisection root finder for increasing functions.

/// Root of an increasing function on a bracket `[lo, hi]` with `f(lo) <= 0 <= f(hi)`.
///
/// `f` returns the value and the derivative. A Newton step is taken from the current
/// iterate when it stays strictly inside the bracket and at least halves the previous
/// step; otherwise the bracket is bisected. Every evaluation shrinks the bracket, so the
/// iteration converges to full double precision (bracket width a few ulps) or to an exact
/// zero. Returns `None` only if the bracket is invalid or a value is not finite.
pub(crate) fn solve_increasing<F>(f: F, mut lo: f64, mut hi: f64) -> Option<f64>
where
    F: Fn(f64) -> (f64, f64),
{
    if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
        return None;
    }
    let (f_lo, _) = f(lo);
    let (f_hi, _) = f(hi);
    if f_lo.is_nan() || f_hi.is_nan() || f_lo > 0.0 || f_hi < 0.0 {
        return None;
    }
    if f_lo == 0.0 {
        return Some(lo);
    }
    if f_hi == 0.0 {
        return Some(hi);
    }
    let mut x = 0.5 * (lo + hi);
    let mut last_step = hi - lo;
    for _ in 0..400 {
        let (fx, dfx) = f(x);
        if fx.is_nan() {
            return None;
        }
        if fx == 0.0 {
            return Some(x);
        }
        if fx < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let width = hi - lo;
        if width <= 4.0 * f64::EPSILON * lo.abs().max(hi.abs()) || width <= f64::MIN_POSITIVE {
            return Some(0.5 * (lo + hi));
        }
        let newton = x - fx / dfx;
        let step = (newton - x).abs();
        let next = if dfx > 0.0 && newton > lo && newton < hi && step <= 0.5 * last_step {
            last_step = step;
            newton
        } else {
            last_step = width;
            0.5 * (lo + hi)
        };
        if next == x {
            // The Newton correction is below one ulp: converged.
            return Some(x);
        }
        x = next;
    }
    Some(x)
}

/// Bracket for an increasing function: walks from `start` with doubling steps until the
/// sign changes, staying inside `[min, max]`. Returns `(lo, hi)` with `f(lo) <= 0 <= f(hi)`.
pub(crate) fn bracket_increasing<F>(f: F, start: f64, min: f64, max: f64) -> Option<(f64, f64)>
where
    F: Fn(f64) -> f64,
{
    let start = start.clamp(min, max);
    let f0 = f(start);
    if f0.is_nan() {
        return None;
    }
    let mut step = 1.0;
    if f0 <= 0.0 {
        let mut lo = start;
        loop {
            let hi = (lo + step).min(max);
            let fh = f(hi);
            if fh.is_nan() {
                return None;
            }
            if fh >= 0.0 {
                return Some((lo, hi));
            }
            if hi >= max {
                return None;
            }
            lo = hi;
            step *= 2.0;
        }
    } else {
        let mut hi = start;
        loop {
            let lo = (hi - step).max(min);
            let fl = f(lo);
            if fl.is_nan() {
                return None;
            }
            if fl <= 0.0 {
                return Some((lo, hi));
            }
            if lo <= min {
                return None;
            }
            hi = lo;
            step *= 2.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cube_root_to_full_precision() {
        let root = solve_increasing(|x| (x * x * x - 2.0, 3.0 * x * x), 0.0, 2.0).unwrap();
        assert!((root - 2f64.cbrt()).abs() <= 2.0 * f64::EPSILON * root);
    }

    #[test]
    fn bad_derivative_falls_back_to_bisection() {
        // A wrong (zero) derivative must not break convergence.
        let root = solve_increasing(|x| (x.tanh() - 0.5, 0.0), -10.0, 10.0).unwrap();
        assert!((root - 0.5f64.atanh()).abs() < 1e-14);
    }

    #[test]
    fn invalid_brackets() {
        assert!(solve_increasing(|x| (x, 1.0), 1.0, 2.0).is_none());
        assert!(solve_increasing(|x| (x, 1.0), 2.0, 1.0).is_none());
        assert!(bracket_increasing(|x| x - 1e9, 0.0, -10.0, 10.0).is_none());
        let (lo, hi) = bracket_increasing(|x| x - 37.5, 0.0, -100.0, 100.0).unwrap();
        assert!(lo <= 37.5 && 37.5 <= hi);
        let (lo, hi) = bracket_increasing(|x| x + 37.5, 0.0, -100.0, 100.0).unwrap();
        assert!(lo <= -37.5 && -37.5 <= hi);
    }
}
