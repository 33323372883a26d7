//! Log-normalising constants `ln c_d` and the log-gamma function they are built from.

use std::f64::consts::{LN_2, PI};

/// `ln Gamma(x)` for `x > 0`, accurate to a few ulp of the result over the whole range the
/// kernels use (`x` from `1/2` to beyond `10^6`).
///
/// For `x >= 15` the Stirling series with six correction terms is used (truncation error
/// below `1e-18` there); smaller arguments are shifted up by the recurrence
/// `ln Gamma(x) = ln Gamma(x + k) - ln(x (x+1) ... (x+k-1))`.
/// Returns NaN for `x <= 0` or NaN (the kernels never call it there).
///
/// ```
/// use hdkde_kernels::ln_gamma;
/// assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-14);
/// assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14);
/// ```
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    const SHIFT_TO: f64 = 15.0;
    let mut shift = 1.0;
    let mut y = x;
    while y < SHIFT_TO {
        shift *= y;
        y += 1.0;
    }
    // Stirling: ln G(y) = (y - 1/2) ln y - y + ln(2 pi)/2 + sum B_2k / (2k (2k-1) y^(2k-1)).
    let half_ln_2pi = 0.5 * (LN_2 + PI.ln());
    (y - 0.5) * y.ln() - y + half_ln_2pi + stirling_tail(y) - shift.ln()
}

/// `ln Gamma(x + a) - ln Gamma(x)` for `x > 0`, `a >= 0`, without the cancellation of the
/// direct difference when `x` is large (e.g. a Student-t kernel with `10^9` degrees of
/// freedom).
pub(crate) fn ln_gamma_ratio(x: f64, a: f64) -> f64 {
    if x >= 15.0 {
        (x - 0.5) * (a / x).ln_1p() + a * (x + a).ln() - a + stirling_tail(x + a) - stirling_tail(x)
    } else {
        ln_gamma(x + a) - ln_gamma(x)
    }
}

/// The Stirling series `sum_k B_2k / (2k (2k-1) y^(2k-1))` (six terms), for `y >= 15`.
fn stirling_tail(y: f64) -> f64 {
    let inv = 1.0 / y;
    let inv2 = inv * inv;
    inv * (1.0 / 12.0
        + inv2
            * (-1.0 / 360.0
                + inv2
                    * (1.0 / 1260.0
                        + inv2
                            * (-1.0 / 1680.0
                                + inv2 * (1.0 / 1188.0 + inv2 * (-691.0 / 360360.0))))))
}

/// `ln S_(d-1)`, the log of the surface area of the unit sphere in `R^d`:
/// `S_(d-1) = 2 pi^(d/2) / Gamma(d/2)`.
pub(crate) fn ln_sphere_area(d: usize) -> f64 {
    let h = d as f64 / 2.0;
    LN_2 + h * PI.ln() - ln_gamma(h)
}

/// `ln V_d`, the log-volume of the unit ball in `R^d`: `V_d = pi^(d/2) / Gamma(d/2 + 1)`.
pub(crate) fn ln_ball_volume(d: usize) -> f64 {
    let h = d as f64 / 2.0;
    h * PI.ln() - ln_gamma(h + 1.0)
}

/// `ln J_d` with `J_d = int_0^1 r^(d-1) cos(pi r / 2) dr`, the radial integral of the cosine
/// profile.
///
/// Substituting `s = 1 - r` and expanding `sin(pi s / 2)` gives the series
/// `J_d = sum_k (-1)^k (pi/2)^(2k+1) / (d (d+1) ... (d+2k+1))`, whose terms fall by a factor
/// of at least `(pi/2)^2 / ((d+2k+2)(d+2k+3))`: no cancellation for large `d`, mild for `d = 1`.
pub(crate) fn ln_cosine_radial_integral(d: usize) -> f64 {
    let d = d as f64;
    let half_pi = PI / 2.0;
    // term_k = (-1)^k (pi/2)^(2k+1) / prod_{j=0}^{2k+1} (d + j); sum scaled by 1/(d(d+1)).
    let mut term = half_pi; // times 1/(d(d+1)), factored out
    let mut sum = 0.0;
    let mut k = 0.0;
    for _ in 0..60 {
        sum += term;
        let next = -term * half_pi * half_pi / ((d + 2.0 * k + 2.0) * (d + 2.0 * k + 3.0));
        if next.abs() <= 1e-18 * sum.abs() {
            break;
        }
        term = next;
        k += 1.0;
    }
    sum.ln() - d.ln() - (d + 1.0).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        // Exact values: ln((n-1)!) by summing logs (independent of the series).
        let mut ln_fact = 0.0f64;
        for n in 1..200u32 {
            let got = ln_gamma(n as f64);
            // The shift recurrence costs an absolute error of a few ulp of ln Gamma(15) ~ 25.
            let tol = 1e-14 + 4.0 * f64::EPSILON * ln_fact.abs();
            assert!((got - ln_fact).abs() <= tol, "n = {n}: {got} vs {ln_fact}");
            ln_fact += (n as f64).ln();
        }
        // Gamma(k + 1/2) = (2k)! sqrt(pi) / (4^k k!).
        let mut exact = PI.sqrt().ln();
        for k in 0..100u32 {
            let x = k as f64 + 0.5;
            let got = ln_gamma(x);
            assert!(
                (got - exact).abs() <= 1e-14 + 8.0 * f64::EPSILON * exact.abs(),
                "x = {x}"
            );
            exact += x.ln();
        }
    }

    #[test]
    fn ball_volume_small_dimensions() {
        // V_1 = 2, V_2 = pi, V_3 = 4 pi / 3.
        assert!((ln_ball_volume(1) - 2f64.ln()).abs() < 1e-14);
        assert!((ln_ball_volume(2) - PI.ln()).abs() < 1e-14);
        assert!((ln_ball_volume(3) - (4.0 * PI / 3.0).ln()).abs() < 1e-14);
        // S_(d-1) = d V_d.
        for d in [1usize, 2, 7, 100, 100_000] {
            let lhs = ln_sphere_area(d);
            let rhs = (d as f64).ln() + ln_ball_volume(d);
            assert!((lhs - rhs).abs() <= 1e-13 * lhs.abs().max(1.0), "d = {d}");
        }
    }

    #[test]
    fn ln_gamma_ratio_matches_difference_and_asymptotics() {
        for (x, a) in [(0.5, 3.0), (20.0, 2.5), (1e3, 0.5), (7.0, 100.0)] {
            let direct = ln_gamma(x + a) - ln_gamma(x);
            assert!((ln_gamma_ratio(x, a) - direct).abs() < 1e-12 * direct.abs().max(1.0));
        }
        // Gamma(x + 1/2) / Gamma(x) = sqrt(x) (1 - 1/(8x) + 1/(128 x^2) + ...)
        let x = 5e8_f64;
        let want = 0.5 * x.ln() + (-1.0 / (8.0 * x)).ln_1p();
        assert!((ln_gamma_ratio(x, 0.5) - want).abs() < 1e-15 * want.abs());
    }

    #[test]
    fn cosine_integral_closed_forms() {
        // d = 1: int_0^1 cos(pi r/2) dr = 2/pi. d = 2: int r cos(pi r/2) dr = 2/pi - 4/pi^2.
        assert!((ln_cosine_radial_integral(1) - (2.0 / PI).ln()).abs() < 1e-14);
        let j2 = 2.0 / PI - 4.0 / (PI * PI);
        assert!((ln_cosine_radial_integral(2) - j2.ln()).abs() < 1e-14);
    }
}
