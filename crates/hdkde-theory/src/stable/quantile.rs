//! Inversion of the standard S0 distribution functions.
//!
//! We solve `ln cdf(x) = ln p` (or `ln sf(x) = ln q`) by safeguarded Newton iterations
//! in `z = asinh(x - x_c)`, a variable in which heavy (power-law) tails become linear and
//! the whole real line fits in `|z| < 710`; a step that leaves the current bracket is
//! replaced by bisection. The derivative is `pdf / cdf * cosh(z)`.

use super::nolan::{Core, Quantity};

/// `z` bound: `sinh(710) ~ 1.1e308`.
const ZMAX: f64 = 710.0;

/// Standard S0 `x` with `cdf(x) = p` (`upper = false`) or `sf(x) = p` (`upper = true`),
/// for `p in [0, 1/2]`.
pub(crate) fn solve(core: &Core, zeta: f64, p: f64, upper: bool) -> f64 {
    let (lo_end, hi_end) = support(core, zeta);
    if p == 0.0 {
        return if upper { hi_end } else { lo_end };
    }
    let ln_p = p.ln();
    // Centre of the asinh map: a finite end of the support, or 0.
    let xc = if lo_end.is_finite() {
        lo_end
    } else if hi_end.is_finite() {
        hi_end
    } else {
        0.0
    };
    // F(z) increasing in z, zero at the solution.
    let f = |z: f64| -> (f64, f64) {
        let x = xc + z.sinh();
        let dz = x - zeta;
        if upper {
            let ls = core.ln_eval(Quantity::Sf, x, dz);
            let lp = core.ln_eval(Quantity::Pdf, x, dz);
            (ln_p - ls, (lp - ls).exp() * z.cosh())
        } else {
            let lc = core.ln_eval(Quantity::Cdf, x, dz);
            let lp = core.ln_eval(Quantity::Pdf, x, dz);
            (lc - ln_p, (lp - lc).exp() * z.cosh())
        }
    };
    let (mut lo, mut hi) = (-ZMAX, ZMAX);
    if lo_end.is_finite() {
        lo = 0.0;
    }
    if hi_end.is_finite() {
        hi = 0.0;
    }
    let mut z = if lo_end.is_finite() {
        1.0
    } else if hi_end.is_finite() {
        -1.0
    } else {
        0.0
    };
    for _ in 0..200 {
        let (fz, dfz) = f(z);
        if fz == 0.0 {
            break;
        }
        if fz < 0.0 || fz.is_nan() && !upper {
            lo = z;
        } else {
            hi = z;
        }
        let newton = z - fz / dfz;
        let znew = if newton.is_finite() && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        let x_old = xc + z.sinh();
        let x_new = xc + znew.sinh();
        z = znew;
        if (x_new - x_old).abs() <= 1e-14 * x_new.abs().max(1e-300)
            || hi - lo <= 1e-15 * z.abs().max(1e-300)
        {
            break;
        }
    }
    if z >= ZMAX {
        return f64::INFINITY;
    }
    if z <= -ZMAX {
        return f64::NEG_INFINITY;
    }
    xc + z.sinh()
}

/// Ends of the support of the standard law.
fn support(core: &Core, zeta: f64) -> (f64, f64) {
    match *core {
        Core::Levy { s } => {
            if s > 0.0 {
                (zeta, f64::INFINITY)
            } else {
                (f64::NEG_INFINITY, zeta)
            }
        }
        Core::General { alpha, beta, .. } | Core::NearOne { alpha, beta } if alpha < 1.0 => {
            if beta == 1.0 {
                (zeta, f64::INFINITY)
            } else if beta == -1.0 {
                (f64::NEG_INFINITY, zeta)
            } else {
                (f64::NEG_INFINITY, f64::INFINITY)
            }
        }
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    }
}
