//! Adaptive Gauss-Kronrod (G7/K15) quadrature on segments whose points are
//! carried as exact distances to both ends of the integration range.
//!
//! Nolan's integrands concentrate next to either end of `(-theta0, pi/2)`, where the
//! angle itself has no relative accuracy left. Every node is therefore given to the
//! integrand as the pair `(u, v)`: its distance to the left end and to the right end,
//! each computed from small offsets so that the smaller of the two is accurate to a
//! few ulps. A segment touching an end where the integrand behaves like a fractional
//! power of the distance is integrated after the substitution `d = len * t^m`, which
//! makes the integrand `m - 1 + m p` times differentiable at the end.

/// Kronrod abscissae (the odd-indexed ones are the 7-point Gauss abscissae).
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights.
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_8,
];
/// Gauss weights of the abscissae `XGK[1], XGK[3], XGK[5], XGK[7]`.
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// How the unit parameter `t` of a segment maps to positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Map {
    /// `offset = len * t`.
    Linear,
    /// `u = ua + len * t^m`: a power singularity at the left end of the segment.
    PowerLeft(u32),
    /// `v = vb + len * (1 - t)^m`: a power singularity at the right end of the segment.
    PowerRight(u32),
}

/// A segment `[ua, lam - vb]` of the range, `len = lam - ua - vb`, given by the distance
/// `ua` of its left end to the left end of the range, the distance `vb` of its right end
/// to the right end of the range, and its length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Segment {
    pub(crate) ua: f64,
    pub(crate) vb: f64,
    pub(crate) len: f64,
    pub(crate) map: Map,
}

#[derive(Clone, Copy, Debug)]
struct Piece {
    seg: usize,
    a: f64,
    b: f64,
    val: f64,
    err: f64,
}

/// `sum_{j < m} t^j`, so that `1 - t^m = (1 - t) * geom(t, m)` without cancellation.
fn geom(t: f64, m: u32) -> f64 {
    let mut s = 0.0;
    let mut p = 1.0;
    for _ in 0..m {
        s += p;
        p *= t;
    }
    s
}

/// Position `(u, v)` and Jacobian of the point at `x in [-1, 1]` of the sub-interval
/// `[a, b]` of the unit parameter of `seg`.
fn node(seg: &Segment, a: f64, b: f64, x: f64) -> (f64, f64, f64) {
    let half = 0.5 * (b - a);
    let tl = a + half * (1.0 + x);
    let tr = (1.0 - b) + half * (1.0 - x);
    match seg.map {
        Map::Linear => (seg.ua + seg.len * tl, seg.vb + seg.len * tr, seg.len * half),
        Map::PowerLeft(m) => {
            let tm1 = tl.powi(m as i32 - 1);
            (
                seg.ua + seg.len * tm1 * tl,
                seg.vb + seg.len * tr * geom(tl, m),
                seg.len * f64::from(m) * tm1 * half,
            )
        }
        Map::PowerRight(m) => {
            let tm1 = tr.powi(m as i32 - 1);
            (
                seg.ua + seg.len * tl * geom(tr, m),
                seg.vb + seg.len * tm1 * tr,
                seg.len * f64::from(m) * tm1 * half,
            )
        }
    }
}

/// Kronrod estimate and QUADPACK error estimate on one piece.
fn gk15<F: FnMut(f64, f64) -> f64>(seg: &Segment, a: f64, b: f64, f: &mut F) -> (f64, f64) {
    let mut fv = [0.0f64; 15];
    let mut jac = [0.0f64; 15];
    for (i, &x) in XGK.iter().enumerate() {
        let (u, v, j) = node(seg, a, b, -x);
        fv[i] = f(u, v);
        jac[i] = j;
        if i < 7 {
            let (u, v, j) = node(seg, a, b, x);
            fv[14 - i] = f(u, v);
            jac[14 - i] = j;
        }
    }
    let mut rk = 0.0;
    let mut rg = 0.0;
    for i in 0..15 {
        let k = if i < 8 { i } else { 14 - i };
        let g = fv[i] * jac[i];
        rk += WGK[k] * g;
        if k % 2 == 1 {
            rg += WG[k / 2] * g;
        } else if k == 7 {
            rg += WG[3] * g;
        }
    }
    // QUADPACK's error estimate: `resasc` measures the variation of the integrand and
    // the Kronrod-Gauss difference is scaled as (200 |K - G| / resasc)^1.5, because the
    // 15-point Kronrod rule is far more accurate than the 7-point Gauss rule.
    let mean = 0.5 * rk;
    let mut resasc = 0.0;
    for i in 0..15 {
        let k = if i < 8 { i } else { 14 - i };
        resasc += WGK[k] * (fv[i] * jac[i] - mean).abs();
    }
    let diff = (rk - rg).abs();
    let err = if resasc > 0.0 && diff > 0.0 {
        let r = (200.0 * diff / resasc).min(1.0);
        resasc * r * r.sqrt()
    } else {
        diff
    };
    (rk, err)
}

/// Integrates `f(u, v)` over the union of `segments` to relative accuracy `rtol`
/// (absolute floor `atol`), bisecting the piece with the largest error estimate.
pub(crate) fn integrate<F: FnMut(f64, f64) -> f64>(
    segments: &[Segment],
    f: &mut F,
    rtol: f64,
    atol: f64,
    max_pieces: usize,
) -> f64 {
    let mut pieces: Vec<Piece> = Vec::with_capacity(segments.len() + 16);
    for (i, seg) in segments.iter().enumerate() {
        if seg.len > 0.0 {
            let (val, err) = gk15(seg, 0.0, 1.0, f);
            pieces.push(Piece {
                seg: i,
                a: 0.0,
                b: 1.0,
                val,
                err,
            });
        }
    }
    loop {
        let total: f64 = pieces.iter().map(|p| p.val).sum();
        let toterr: f64 = pieces.iter().map(|p| p.err).sum();
        if toterr <= (rtol * total.abs()).max(atol) || pieces.len() >= max_pieces {
            return total;
        }
        // The piece with the largest error (a NaN error counts as the largest); pieces
        // that cannot be split any further have their error set to 0 and drop out.
        let mut imax = usize::MAX;
        let mut emax = 0.0f64;
        for (i, p) in pieces.iter().enumerate() {
            let e = if p.err.is_nan() { f64::INFINITY } else { p.err };
            if e > emax {
                emax = e;
                imax = i;
            }
        }
        if imax == usize::MAX {
            return total;
        }
        let p = pieces[imax];
        let mid = 0.5 * (p.a + p.b);
        if !(mid > p.a && mid < p.b) {
            pieces[imax].err = 0.0;
            continue;
        }
        let seg = &segments[p.seg];
        let (v1, e1) = gk15(seg, p.a, mid, f);
        let (v2, e2) = gk15(seg, mid, p.b, f);
        pieces[imax] = Piece {
            seg: p.seg,
            a: p.a,
            b: mid,
            val: v1,
            err: e1,
        };
        pieces.push(Piece {
            seg: p.seg,
            a: mid,
            b: p.b,
            val: v2,
            err: e2,
        });
    }
}

/// Adaptive integral of `f` over the finite interval `[a, b]`, optionally with a power
/// substitution towards `a` (`m > 1`) for an integrable algebraic end point.
pub(crate) fn integrate_interval<F: FnMut(f64) -> f64>(
    mut f: F,
    a: f64,
    b: f64,
    rtol: f64,
    atol: f64,
) -> f64 {
    let seg = Segment {
        ua: 0.0,
        vb: 0.0,
        len: b - a,
        map: Map::Linear,
    };
    integrate(&[seg], &mut |u: f64, _v: f64| f(a + u), rtol, atol, 400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_map_integrates_algebraic_end_point() {
        // int_0^1 u^0.1 du = 1/1.1; the substitution u = t^5 makes it smooth.
        let seg = Segment {
            ua: 0.0,
            vb: 0.0,
            len: 1.0,
            map: Map::PowerLeft(5),
        };
        let got = integrate(&[seg], &mut |u: f64, _v: f64| u.powf(0.1), 1e-14, 0.0, 100);
        assert!((got - 1.0 / 1.1).abs() < 1e-14, "{got}");
        // Same at the right end, through v.
        let seg = Segment {
            ua: 0.0,
            vb: 0.0,
            len: 1.0,
            map: Map::PowerRight(5),
        };
        let got = integrate(&[seg], &mut |_u: f64, v: f64| v.powf(0.1), 1e-14, 0.0, 100);
        assert!((got - 1.0 / 1.1).abs() < 1e-14, "{got}");
    }

    #[test]
    fn positions_are_consistent_and_accurate_near_both_ends() {
        // u + v must equal the range length; tiny offsets keep their relative accuracy.
        let seg = Segment {
            ua: 1e-12,
            vb: 1e-13,
            len: 1.0,
            map: Map::Linear,
        };
        for &x in &[-1.0, -0.3, 0.0, 0.7, 1.0] {
            let (u, v, _) = node(&seg, 0.0, 1.0, x);
            assert!((u + v - (1.0 + 1.1e-12)).abs() < 4e-16, "{u} {v}");
        }
        let (_, v, _) = node(&seg, 0.0, 1.0, 1.0);
        assert_eq!(v, 1e-13);
    }

    #[test]
    fn smooth_peaked_integrand() {
        // int_0^pi exp(-(x-1)^2/(2 s^2)) dx for s = 1e-3, split at the peak and at a few
        // widths from it (as the stable-law code does: an open rule cannot see a peak
        // narrower than its node spacing).
        let s = 1e-3;
        let pi = std::f64::consts::PI;
        let cuts = [0.0, 1.0 - 8.0 * s, 1.0 - s, 1.0, 1.0 + s, 1.0 + 8.0 * s, pi];
        let segs: Vec<Segment> = cuts
            .windows(2)
            .map(|w| Segment {
                ua: w[0],
                vb: pi - w[1],
                len: w[1] - w[0],
                map: Map::Linear,
            })
            .collect();
        let got = integrate(
            &segs,
            &mut |u: f64, _v: f64| (-(u - 1.0).powi(2) / (2.0 * s * s)).exp(),
            1e-13,
            0.0,
            400,
        );
        let want = s * (2.0 * pi).sqrt();
        assert!((got / want - 1.0).abs() < 1e-12, "{got} {want}");
    }
}
