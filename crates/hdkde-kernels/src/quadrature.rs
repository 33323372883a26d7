//! Log-space quadrature used by the normalisation tests (test-only).

/// `ln sum exp(v)` over a slice, stable.
pub(crate) fn ln_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

/// `ln int_0^1 exp(f(x)) dx` by tanh-sinh quadrature (step 1/64 on t in [-6, 6]), which
/// handles the algebraic endpoint behaviour of compact profiles.
pub(crate) fn ln_integral_unit_interval(f: impl Fn(f64) -> f64) -> f64 {
    let step = 1.0 / 64.0;
    let half_pi = std::f64::consts::FRAC_PI_2;
    let mut terms = Vec::new();
    let n = (6.0 / step) as i64;
    for i in -n..=n {
        let t = i as f64 * step;
        let u = half_pi * t.sinh();
        // x = (1 + tanh u) / 2, dx/dt = (pi/2) cosh t / (2 cosh^2 u)
        let x = 0.5 * (1.0 + u.tanh());
        if x <= 0.0 || x >= 1.0 {
            continue;
        }
        let ln_w = (half_pi * t.cosh()).ln() - 2.0 * u.cosh().ln() - std::f64::consts::LN_2;
        terms.push(f(x) + ln_w + step.ln());
    }
    ln_sum_exp(&terms)
}

/// `ln int_0^inf exp(f(r)) dr` by the trapezoid rule in `s = ln r` on [-40, 40], step 1/256.
pub(crate) fn ln_integral_half_line(f: impl Fn(f64) -> f64) -> f64 {
    let step = 1.0 / 256.0;
    let terms: Vec<f64> = (-40 * 256..=40 * 256)
        .map(|i| {
            let s = i as f64 * step;
            f(s.exp()) + s + step.ln()
        })
        .collect();
    ln_sum_exp(&terms)
}
