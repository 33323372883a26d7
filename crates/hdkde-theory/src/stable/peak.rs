//! Location of the peak of Nolan's integrand and the break points of the quadrature.

use super::quad::{Map, Segment};

/// Which end of the angular range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    Left,
    Right,
}

/// Location of the peak of `g exp(-g)`: the point where `ln g = 0`, or the end nearest
/// to it when `ln g` keeps one sign.
#[derive(Clone, Copy, Debug)]
pub(super) struct Peak {
    pub(super) u: f64,
    pub(super) v: f64,
    pub(super) width: f64,
    pub(super) at_end: Option<End>,
    /// `ln g` at the peak (0 at an interior peak).
    pub(super) y: f64,
    /// Position of the peak in the logistic coordinate `s = ln(u / v)`.
    pub(super) s: f64,
    /// `|d ln g / ds|` at an interior peak (0 at an end).
    pub(super) slope_s: f64,
}

#[inline]
fn logistic(s: f64) -> f64 {
    if s >= 0.0 {
        1.0 / (1.0 + (-s).exp())
    } else {
        let e = s.exp();
        e / (1.0 + e)
    }
}

pub(super) fn find_peak<F: Fn(f64, f64) -> f64>(y: &F, lam: f64, increasing: bool) -> Peak {
    let at = |s: f64| (lam * logistic(s), lam * logistic(-s));
    let eval = |s: f64| {
        let (u, v) = at(s);
        y(u, v)
    };
    let y0 = eval(0.0);
    // Direction in s towards ln g = 0.
    let dir = if (y0 < 0.0) == increasing { 1.0 } else { -1.0 };
    let (mut sa, mut ya) = (0.0, y0);
    let mut bracket = None;
    if y0 == 0.0 {
        bracket = Some((0.0, 0.0, 0.0, 0.0));
    } else {
        let mut step: f64 = 2.0;
        loop {
            let s = dir * step;
            let ys = eval(s);
            if ys.is_nan() {
                break;
            }
            if (ys > 0.0) != (y0 > 0.0) || ys == 0.0 {
                bracket = Some((sa, ya, s, ys));
                break;
            }
            sa = s;
            ya = ys;
            if step >= 700.0 {
                break;
            }
            step = (step * 2.0).min(700.0);
        }
    }
    match bracket {
        Some((mut a, mut fa, mut b, mut fb)) => {
            let mut s = a;
            let mut fs = fa;
            if fb == 0.0 {
                s = b;
                fs = 0.0;
            }
            let mut last = 0i32;
            let mut it = 0;
            while fs.abs() > 0.05 && it < 80 {
                it += 1;
                let mut t = (a * fb - b * fa) / (fb - fa);
                if !(t.is_finite()) || (b - a).abs() > 8.0 {
                    t = 0.5 * (a + b);
                }
                let ft = eval(t);
                s = t;
                fs = ft;
                if (b - a).abs() <= 1e-13 * (1.0 + t.abs()) {
                    break;
                }
                if (ft > 0.0) == (fb > 0.0) {
                    b = t;
                    fb = ft;
                    if last == -1 {
                        fa *= 0.5;
                    }
                    last = -1;
                } else {
                    a = t;
                    fa = ft;
                    if last == 1 {
                        fb *= 0.5;
                    }
                    last = 1;
                }
            }
            let (u, v) = at(s);
            let h = 1e-6 * (1.0 + s.abs());
            let slope = (eval(s + h) - fs) / h;
            let dtheta_ds = u * v / lam;
            let mut width = dtheta_ds / slope.abs();
            if !(width.is_finite() && width > 0.0) {
                width = lam / 8.0;
            }
            Peak {
                u,
                v,
                width: width.min(lam),
                at_end: None,
                y: fs,
                s,
                slope_s: if slope.is_finite() { slope.abs() } else { 0.0 },
            }
        }
        None => {
            // ln g keeps one sign: the integrand is largest at the end towards which
            // ln g decreases to its smallest absolute value.
            let end = if dir > 0.0 { End::Right } else { End::Left };
            let d1 = 1e-9 * lam;
            let (ye, y1) = match end {
                End::Right => (y(lam, 1e-300), y(lam - d1, d1)),
                End::Left => (y(1e-300, lam), y(d1, lam - d1)),
            };
            let slope = ((y1 - ye) / d1).abs();
            let mut width = 1.0 / (slope * (1.0 + ye.exp()));
            if !(width.is_finite() && width > 0.0) {
                width = lam / 8.0;
            }
            let (u, v) = match end {
                End::Right => (lam, 0.0),
                End::Left => (0.0, lam),
            };
            let width = width.min(lam);
            // In the logistic coordinate the integrand lives where the distance to the
            // end is about one width.
            let s_end = (lam / width).ln();
            Peak {
                u,
                v,
                width,
                at_end: Some(end),
                y: ye,
                s: if end == End::Right { s_end } else { -s_end },
                slope_s: 0.0,
            }
        }
    }
}

/// Break points `(u, v)` from the left end to the right end: the peak and growing
/// distances from it, up to the ends. Each segment is then at most a few times longer
/// than its distance to the peak, so that no Gauss-Kronrod rule can step over the region
/// where the integrand lives.
pub(super) fn segments(
    peak: &Peak,
    lam: f64,
    power_end: Option<(End, u32)>,
    increasing: bool,
) -> Vec<Segment> {
    // Towards growing ln g the integrands fall (or rise) double-exponentially within a
    // few widths: fine steps there. Towards decreasing ln g they decay like g, i.e.
    // exponentially in the distance at first: steps doubling in length.
    let offsets = |room: f64, fast: bool| {
        let steps: &[f64] = if fast {
            &[1.0, 2.0, 3.5, 6.0]
        } else {
            &[2.0, 4.0, 8.0, 16.0, 32.0]
        };
        let mut v = Vec::new();
        let mut o = 0.0;
        for k in 0..40 {
            o = if k < steps.len() {
                steps[k] * peak.width
            } else {
                o * 4.0
            };
            if o >= 0.5 * room {
                break;
            }
            v.push(o);
        }
        v
    };
    let mut pts: Vec<(f64, f64)> = Vec::with_capacity(32);
    pts.push((0.0, lam));
    // Left of the peak (decreasing u).
    let mut left: Vec<(f64, f64)> = offsets(peak.u, !increasing)
        .into_iter()
        .map(|d| (peak.u - d, peak.v + d))
        .collect();
    left.reverse();
    pts.extend(left);
    if peak.u > 0.0 && peak.v > 0.0 {
        pts.push((peak.u, peak.v));
    }
    for d in offsets(peak.v, increasing) {
        pts.push((peak.u + d, peak.v - d));
    }
    pts.push((lam, 0.0));
    let n = pts.len();
    let mut segs = Vec::with_capacity(n);
    for i in 0..n - 1 {
        let (u0, v0) = pts[i];
        let (u1, v1) = pts[i + 1];
        let len = if u1 < v0 { u1 - u0 } else { v0 - v1 };
        let mut map = Map::Linear;
        if let Some((end, m)) = power_end {
            if m > 1 {
                if end == End::Left && i == 0 {
                    map = Map::PowerLeft(m);
                }
                if end == End::Right && i == n - 2 {
                    map = Map::PowerRight(m);
                }
            }
        }
        segs.push(Segment {
            ua: u0,
            vb: v1,
            len,
            map,
        });
    }
    segs
}
