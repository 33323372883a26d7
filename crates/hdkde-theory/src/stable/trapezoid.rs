//! Density integral of Nolan's representation by the trapezoidal rule after a
//! double-exponential change of variable.
//!
//! In the logistic coordinate `s = ln(u / v)` (`u`, `v` the distances to the two ends of
//! the angular range, `u = lam / (1 + exp(-s))`), a power-law behaviour of `g` at either
//! end becomes an exponential one, and the peak of `g exp(-g)` keeps a width of order
//! `1 / |d ln g / ds|` wherever it sits. The density integral
//!
//! ```text
//! int g exp(-g) dtheta = int g exp(-g) (u v / lam) ds
//! ```
//!
//! then has an integrand that decays double-exponentially on the side of growing `g` and
//! at least exponentially on the other side. The substitution
//!
//! ```text
//! s = s_peak + dir w (tau + exp(tau) - 1)
//! ```
//!
//! (`w` the width of the peak, `dir` pointing to the slowly decaying side) is linear on
//! the fast side and exponential on the slow one, so that both tails decay
//! double-exponentially in `tau`, where the trapezoidal rule converges geometrically in
//! the number of nodes (Takahasi & Mori, Publ. RIMS 9 (1974); Mori & Sugihara, J. Comput.
//! Appl. Math. 127 (2001)). The nodes run outward from the peak until the terms are
//! negligible; the step is then halved, reusing the previous nodes, until two successive
//! sums agree. Each halving roughly squares the relative error once the rule resolves
//! the integrand (measured: from `1e-8` to below `1e-13` between steps `1/8` and `1/16`),
//! so the finer sum is accepted when it agrees with the coarser one to [`AGREE`].

use super::peak::{End, Peak};

/// Relative agreement of two successive trapezoidal sums at which the finer one is
/// accepted (its own error is then far smaller: about the square of this).
const AGREE: f64 = 1e-8;
/// Initial step in `tau`.
const H0: f64 = 0.5;
/// Width in `s` of the peak when `ln g` is flat there (the Jacobian `u v / lam` alone).
const WS: f64 = 1.0;
/// Largest step whose sum may be accepted (coarser sums can agree by coincidence).
const H_ACCEPT: f64 = 0.125;
/// Number of step halvings allowed after the first sum.
const MAX_HALVINGS: u32 = 6;
/// Largest `|tau|` (`exp(40)` peak widths: never reached in practice).
const TAU_MAX: f64 = 40.0;
/// Relative size below which the terms are negligible.
const NEGLIGIBLE: f64 = 1e-14;

/// `exp(-shift) int g exp(-g) dtheta`, given `ln g` as `y(u, v)`, the range length `lam`,
/// whether `g` increases from the left end to the right end, the located `peak` and
/// `shift`, the largest value of `ln g - g` (at the peak).
pub(super) fn pdf_integral<F: Fn(f64, f64) -> f64>(
    y: &F,
    lam: f64,
    increasing: bool,
    peak: &Peak,
    shift: f64,
) -> f64 {
    let (sc, w) = if let Some(end) = peak.at_end {
        end_peak(&ln_g_of_s(y, lam), end, peak.y)
    } else {
        (peak.s, WS / (peak.slope_s * peak.slope_s + 1.0).sqrt())
    };
    // The exponentially growing side of the map points to the slowly decaying side of
    // the integrand: towards g -> 0, or towards the end where an end peak sits.
    let dir = match peak.at_end {
        Some(End::Right) => 1.0,
        Some(End::Left) => -1.0,
        None if increasing => -1.0,
        None => 1.0,
    };
    // Integrand in tau divided by w, with the Jacobian (1 + exp(tau)); `et = exp(tau)` is
    // given by the caller, who steps it by multiplication along the grid. Its rounding
    // grows by about an ulp per step (below 1e-12 relative after the few thousand steps
    // of the finest grid): it perturbs the node's position in s and its weight by that
    // relative amount, far below the rule's 1e-8 acceptance.
    let f = |tau: f64, et: f64| -> f64 {
        let s = sc + dir * w * (tau + et - 1.0);
        let e = (-s.abs()).exp();
        let d = 1.0 + e;
        let (u, v) = if s >= 0.0 {
            (lam / d, lam * e / d)
        } else {
            (lam * e / d, lam / d)
        };
        let t = y(u, v);
        let l = t - t.exp() - shift;
        if l.is_nan() {
            // Within rounding of an end, where g or its logarithm is lost: the weight
            // of such a node is negligible.
            return 0.0;
        }
        // Clamped at the peak value: where g is astronomically large, rounding of ln g
        // could otherwise exceed it.
        l.min(0.0).exp() * (lam * e / (d * d)) * (1.0 + et)
    };
    // First sum: march from the peak outward until the terms are negligible.
    let mut total = f(0.0, 1.0);
    let mut ends = [0.0f64; 2];
    for (side, end) in [1.0f64, -1.0].iter().zip(ends.iter_mut()) {
        let ratio = (side * H0).exp();
        let mut et = 1.0;
        let mut k = 1.0;
        loop {
            let tau = side * k * H0;
            et *= ratio;
            let t = f(tau, et);
            total += t;
            *end = tau;
            if t <= NEGLIGIBLE * total || k * H0 >= TAU_MAX {
                break;
            }
            k += 1.0;
        }
    }
    let (lo, hi) = (ends[1], ends[0]);
    let mut h = H0;
    let mut prev = h * total;
    for _ in 0..MAX_HALVINGS {
        // Midpoints of the previous grid.
        let n = ((hi - lo) / h).round() as usize;
        let ratio = h.exp();
        let mut et = (lo + 0.5 * h).exp();
        for i in 0..n {
            total += f(lo + (i as f64 + 0.5) * h, et);
            et *= ratio;
        }
        h *= 0.5;
        let cur = h * total;
        if h <= H_ACCEPT && (cur - prev).abs() <= AGREE * cur {
            return w * cur;
        }
        prev = cur;
    }
    w * prev
}

/// `ln g` as a function of the logistic coordinate `s`.
fn ln_g_of_s<F: Fn(f64, f64) -> f64>(y: &F, lam: f64) -> impl Fn(f64) -> f64 + '_ {
    move |s: f64| {
        let e = (-s.abs()).exp();
        let d = 1.0 + e;
        if s >= 0.0 {
            y(lam / d, lam * e / d)
        } else {
            y(lam * e / d, lam / d)
        }
    }
}

/// Centre and width in `s` of the integrand when `g` is smallest at an `end` of the
/// range, with `ln g = ye` there. Near the end the integrand behaves like
/// `exp(-(g - g_end)) d`, `d` the distance to the end: with `g - g_end ~ d^k` it peaks
/// where `k (g - g_end) = 1`, with width `1 / sqrt(k)` in `s`. The point where
/// `g - g_end = 1` is found by the Illinois method on `ln(g - g_end)`, nearly linear in
/// `t = +-s` (the sign pointing to the end).
fn end_peak<G: Fn(f64) -> f64>(ln_g: &G, end: End, ye: f64) -> (f64, f64) {
    let sign = if end == End::Right { 1.0 } else { -1.0 };
    // ln(g - g_end), decreasing in t; -inf where rounding leaves nothing.
    let f = |t: f64| {
        let y = ln_g(sign * t);
        ye + (y - ye).exp_m1().ln()
    };
    let (mut a, mut fa) = (0.0, f(0.0));
    if !fa.is_finite() || fa <= 0.0 {
        // Already within the peak region (or beyond): keep the crude centre.
        return (0.0, WS);
    }
    let mut step = 2.0;
    let (mut b, mut fb) = loop {
        let t = a + step;
        let ft = f(t);
        if ft.is_nan() || ft <= 0.0 || t >= 700.0 {
            break (t, ft);
        }
        a = t;
        fa = ft;
        step *= 2.0;
    };
    if !(fb.is_finite() && fb < 0.0) {
        // Rounding leaves no increase of g within the step: bisect on the sign only.
        for _ in 0..40 {
            let m = 0.5 * (a + b);
            let fm = f(m);
            if fm.is_finite() && fm < 0.0 {
                b = m;
                fb = fm;
                break;
            }
            if fm > 0.0 {
                a = m;
                fa = fm;
            } else {
                b = m;
            }
        }
        if !fb.is_finite() {
            return (sign * a, WS);
        }
    }
    let mut side = 0i32;
    for _ in 0..12 {
        let t = (a * fb - b * fa) / (fb - fa);
        let ft = f(t);
        if !ft.is_finite() || (b - a).abs() < 1e-3 {
            break;
        }
        if ft > 0.0 {
            a = t;
            fa = ft;
            if side == 1 {
                fb *= 0.5;
            }
            side = 1;
        } else {
            b = t;
            fb = ft;
            if side == -1 {
                fa *= 0.5;
            }
            side = -1;
        }
        if ft.abs() < 0.1 {
            break;
        }
    }
    // Slope of ln(g - g_end) in t from the last bracket (unhalved values are not
    // needed: only the order of magnitude matters).
    let t1 = if fa.abs() < fb.abs() { a } else { b };
    let h = 1e-3;
    let k = ((f(t1) - f(t1 + h)) / h).abs();
    if !(k.is_finite() && k > 0.0) {
        return (sign * t1, WS);
    }
    let tc = t1 + k.ln() / k;
    (sign * tc, (1.0 / k.sqrt()).min(WS))
}

#[cfg(test)]
mod tests {
    use super::super::peak::find_peak;
    use super::*;

    /// `int_0^lam g exp(-g) du` for `ln g = y(u, v)` through the located peak.
    fn integral<F: Fn(f64, f64) -> f64>(y: &F, lam: f64, increasing: bool) -> f64 {
        let peak = find_peak(y, lam, increasing);
        let shift = if peak.at_end.is_some() {
            peak.y - peak.y.exp()
        } else {
            -1.0
        };
        shift.exp() * pdf_integral(y, lam, increasing, &peak, shift)
    }

    #[test]
    fn closed_form_integrals() {
        // Interior peak: g = u on [0, 3], int u exp(-u) = 1 - 4 exp(-3); the integrand
        // vanishes linearly at u = 0 and stays finite at u = 3 (exponential decay in s
        // from the Jacobian alone). End peak: g = 2 + u, smallest at u = 0, int =
        // 3 exp(-2) - 6 exp(-5). Tolerance 1e-12: the rule stops when two sums agree to
        // 1e-8, which leaves an error near 1e-14 for such smooth integrands.
        let lam = 3.0;
        let got = integral(&|u: f64, _v: f64| u.ln(), lam, true);
        let want = 1.0 - 4.0 * (-3.0f64).exp();
        assert!((got / want - 1.0).abs() < 1e-12, "{got} {want}");
        let got = integral(&|u: f64, _v: f64| (2.0 + u).ln(), lam, true);
        let want = 3.0 * (-2.0f64).exp() - 6.0 * (-5.0f64).exp();
        assert!((got / want - 1.0).abs() < 1e-12, "{got} {want}");
        // Mirror image, g decreasing: g = v.
        let got = integral(&|_u: f64, v: f64| v.ln(), lam, false);
        let want = 1.0 - 4.0 * (-3.0f64).exp();
        assert!((got / want - 1.0).abs() < 1e-12, "{got} {want}");
    }
}
