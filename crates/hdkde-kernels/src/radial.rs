//! The radial law of a kernel: the distribution of `|U|` when `U` has density `K`.
//!
//! A point of density `K(u) = c_d k(|u|)` is `R * V`, with `V` uniform on the unit sphere and
//! `R` independent with density proportional to `r^(d-1) k(r)`. This module draws `R` exactly
//! for every kernel (closed-form transformations of gamma and beta variables, or a monotone
//! inverse CDF with a fixed number of steps for the cosine kernel): no rejection loops.

use rand::Rng;
use rand_distr::{Beta, Distribution, Gamma, Open01};

use crate::kernel::{DimKernel, Kernel};

/// Distribution of the radius `|U|` of a draw `U` from a kernel in dimension `d`.
///
/// | kernel | law of `R` |
/// |---|---|
/// | Gaussian | `R^2 ~ chi^2_d` |
/// | `(1 - s)^p` (uniform, Epanechnikov, biweight, triweight) | `R^2 ~ Beta(d/2, p+1)` |
/// | triangular | `R ~ Beta(d, 2)` |
/// | exponential | `R ~ Gamma(d, 1)` |
/// | Student-t, `nu` dof | `R^2 = nu G_d / G_nu`, `G_k ~ Gamma(k/2, 1)` independent |
/// | cosine | inverse CDF, solved by safeguarded Newton steps in `ln(R^d)` |
///
/// ```
/// use hdkde_kernels::{Kernel, RadialLaw};
/// use rand::SeedableRng;
/// use rand_distr::Distribution;
///
/// let law = RadialLaw::new(Kernel::Epanechnikov.in_dim(3).unwrap());
/// let mut rng = rand::rngs::StdRng::seed_from_u64(7);
/// let r: f64 = law.sample(&mut rng);
/// assert!(r > 0.0 && r < 1.0);
/// ```
#[derive(Debug, Clone)]
pub struct RadialLaw {
    repr: Repr,
}

#[derive(Debug, Clone)]
enum Repr {
    /// `R = sqrt(scale * G)`, `G ~ Gamma(shape, 1)`.
    SqrtGamma { gamma: Gamma<f64>, scale: f64 },
    /// `R = G`, `G ~ Gamma(d, 1)`.
    Gamma(Gamma<f64>),
    /// `R = sqrt(B)`, `B ~ Beta(a, b)`.
    SqrtBeta(Beta<f64>),
    /// `R = B`, `B ~ Beta(d, 2)`.
    Beta(Beta<f64>),
    /// `R = U^(1/d)`, exact for the uniform kernel (Beta(d/2, 1) has this closed form).
    Power { inv_d: f64 },
    /// `R^2 = nu G_d / G_nu`.
    StudentT {
        num: Gamma<f64>,
        den: Gamma<f64>,
        dof: f64,
    },
    /// Inverse CDF of the cosine kernel's radius.
    Cosine(CosineRadius),
}

impl RadialLaw {
    /// The radial law of `kernel` (already bound to its dimension).
    pub fn new(kernel: DimKernel) -> Self {
        let d = kernel.dim() as f64;
        // proven: every shape below is finite and > 0 because d >= 1 (DimKernel invariant)
        // and dof > 0 (Kernel::student_t invariant), so the constructors cannot fail.
        let gamma = |shape: f64| Gamma::new(shape, 1.0).expect("proven: shape > 0");
        let beta = |a: f64, b: f64| Beta::new(a, b).expect("proven: a, b > 0");
        let repr = match kernel.kernel() {
            Kernel::Gaussian => Repr::SqrtGamma {
                gamma: gamma(d / 2.0),
                scale: 2.0,
            },
            Kernel::Uniform => Repr::Power { inv_d: 1.0 / d },
            Kernel::Epanechnikov => Repr::SqrtBeta(beta(d / 2.0, 2.0)),
            Kernel::Biweight => Repr::SqrtBeta(beta(d / 2.0, 3.0)),
            Kernel::Triweight => Repr::SqrtBeta(beta(d / 2.0, 4.0)),
            Kernel::Triangular => Repr::Beta(beta(d, 2.0)),
            Kernel::Exponential => Repr::Gamma(gamma(d)),
            Kernel::StudentT { dof } => Repr::StudentT {
                num: gamma(d / 2.0),
                den: gamma(dof / 2.0),
                dof,
            },
            Kernel::Cosine => Repr::Cosine(CosineRadius::new(kernel.dim())),
        };
        RadialLaw { repr }
    }
}

impl Distribution<f64> for RadialLaw {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.repr {
            Repr::SqrtGamma { gamma, scale } => (scale * gamma.sample(rng)).sqrt(),
            Repr::Gamma(g) => g.sample(rng),
            Repr::SqrtBeta(b) => b.sample(rng).sqrt(),
            Repr::Beta(b) => b.sample(rng),
            Repr::Power { inv_d } => {
                let u: f64 = rng.sample(Open01);
                u.powf(*inv_d)
            }
            Repr::StudentT { num, den, dof } => {
                let g = num.sample(rng);
                // A Gamma(dof/2) draw can underflow to 0 for tiny dof; keep the ratio finite.
                let h = den.sample(rng).max(f64::MIN_POSITIVE);
                (dof * g / h).sqrt()
            }
            Repr::Cosine(c) => {
                let u: f64 = rng.sample(Open01);
                c.quantile(u)
            }
        }
    }
}

/// Radius of the cosine kernel by inverse CDF.
///
/// With `y = r^d` the radial law becomes the density `cos(pi y^(1/d) / 2) / Z` on `[0, 1]`, and
/// `int_0^y cos(pi z^(1/d)/2) dz = y E[g(-ln y + V)]`, `V ~ Exp(1)`, `g(w) = cos(pi e^(-w/d)/2)`.
/// `g` is smooth and bounded, so a 64-point Gauss-Laguerre rule evaluates the expectation to
/// about `1e-12` relative (checked against the series for `J_d`); the CDF is then inverted by safeguarded Newton steps in `ln y`.
#[derive(Debug, Clone)]
struct CosineRadius {
    inv_d: f64,
    nodes: Vec<(f64, f64)>,
    ln_total: f64,
}

impl CosineRadius {
    fn new(d: usize) -> Self {
        let nodes = gauss_laguerre(64);
        let mut c = CosineRadius {
            inv_d: 1.0 / d as f64,
            nodes,
            ln_total: 0.0,
        };
        c.ln_total = c.ln_partial(0.0);
        c
    }

    /// `ln int_0^y cos(pi z^(1/d)/2) dz` at `ln y = t <= 0`.
    fn ln_partial(&self, t: f64) -> f64 {
        let half_pi = std::f64::consts::FRAC_PI_2;
        let e: f64 = self
            .nodes
            .iter()
            .map(|&(x, w)| {
                // cos(pi/2 * e^(-(x - t)/d)) = sin(pi/2 * (1 - e^(-(x - t)/d))), accurate near 0.
                let a = -((-(x - t) * self.inv_d).exp_m1());
                w * (half_pi * a).sin()
            })
            .sum();
        t + e.ln()
    }

    fn quantile(&self, u: f64) -> f64 {
        let target = u.ln() + self.ln_total;
        let half_pi = std::f64::consts::FRAC_PI_2;
        // Bracket in t = ln y: F(y) >= y h(1) ... the CDF is at least y * cos(pi/2 * y^(1/d))/Z
        // and at most y / Z, so ln y lies in [ln u - 60 (d + 1), 0] for any u in (0, 1).
        let (mut lo, mut hi) = (u.ln() * (1.0 / self.inv_d + 1.0) - 60.0, 0.0f64);
        // Start from the uniform-kernel guess y = u (ln F ~ ln y near the centre).
        let mut t = u.ln().clamp(lo, hi);
        // Safeguarded Newton in t: each step either stays inside the bracket and shrinks the
        // residual, or is replaced by bisection. 100 steps bound the loop; convergence to
        // machine precision typically takes 4-8.
        for _ in 0..100 {
            let f = self.ln_partial(t) - target;
            if f < 0.0 {
                lo = t;
            } else {
                hi = t;
            }
            // d/dt ln int_0^(e^t) h = e^t h(e^t) / int_0^(e^t) h, h(y) = cos(pi y^(1/d) / 2).
            let ln_h = (-half_pi * (t * self.inv_d).exp_m1()).sin().ln();
            let slope = (t + ln_h - self.ln_partial(t)).exp();
            let newton = t - f / slope;
            let next = if newton.is_finite() && newton > lo && newton < hi {
                newton
            } else {
                0.5 * (lo + hi)
            };
            if (next - t).abs() <= 1e-15 * (1.0 + t.abs()) || hi - lo <= 1e-15 * (1.0 + lo.abs()) {
                t = next;
                break;
            }
            t = next;
        }
        (t * self.inv_d).exp()
    }
}

/// Nodes and weights of the `n`-point Gauss-Laguerre rule (`int_0^inf f(x) e^(-x) dx`), by
/// Newton iteration on the Laguerre polynomial from the standard asymptotic starting guesses.
fn gauss_laguerre(n: usize) -> Vec<(f64, f64)> {
    let nf = n as f64;
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(n);
    let mut z = 0.0f64;
    for i in 0..n {
        z = match i {
            0 => 3.0 / (1.0 + 2.4 * nf),
            1 => z + 15.0 / (1.0 + 2.5 * nf),
            _ => {
                let ai = (i - 1) as f64;
                z + ((1.0 + 2.55 * ai) / (1.9 * ai)) * (z - out[i - 2].0)
            }
        };
        let mut pp = 0.0;
        for _ in 0..100 {
            let (mut p1, mut p2) = (1.0f64, 0.0f64);
            for j in 0..n {
                let jf = j as f64;
                let p3 = p2;
                p2 = p1;
                p1 = ((2.0 * jf + 1.0 - z) * p2 - jf * p3) / (jf + 1.0);
            }
            pp = nf * (p1 - p2) / z;
            let dz = p1 / pp;
            z -= dz;
            if dz.abs() <= 1e-15 * z.abs() {
                break;
            }
        }
        // With p_{n-1} recomputed at the converged node: w = z / (n^2 p_{n-1}^2)... use the
        // derivative form w = 1 / (z pp^2).
        out.push((z, 1.0 / (z * pp * pp)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norm::ln_cosine_radial_integral;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Every family, with Student-t at 1 and 5.0 degrees of freedom.
    fn all() -> impl Iterator<Item = Kernel> {
        Kernel::FIXED
            .into_iter()
            .chain([Kernel::StudentT { dof: 1.0 }, Kernel::StudentT { dof: 5.0 }])
    }

    #[test]
    fn gauss_laguerre_integrates_polynomials_and_cosine_total() {
        let nodes = gauss_laguerre(32);
        // int x^k e^-x = k!, exact for k <= 63.
        let mut fact = 1.0;
        for k in 0..20 {
            let got: f64 = nodes.iter().map(|&(x, w)| w * x.powi(k)).sum();
            assert!((got / fact - 1.0).abs() < 1e-12, "k = {k}");
            fact *= (k + 1) as f64;
        }
        // The cosine CDF total equals d J_d (y = r^d substitution).
        for d in [1usize, 2, 10, 1000] {
            let c = CosineRadius::new(d);
            let want = (d as f64).ln() + ln_cosine_radial_integral(d);
            assert!(
                (c.ln_total - want).abs() < 1e-12,
                "d = {d}: {} vs {want}",
                c.ln_total
            );
        }
    }

    /// The mean of `R^2` against its closed form `E|U|^2 = d * (per-coordinate variance)`:
    /// exact for each law, so 20,000 draws must land within 5 standard errors.
    #[test]
    fn radial_second_moment_matches_theory() {
        let d = 7usize;
        let df = d as f64;
        for k in all() {
            // E[R^2] and E[R^4] in closed form (R^2's moments).
            let (m2, m4): (f64, f64) = match k {
                Kernel::Gaussian => (df, df * (df + 2.0)),
                Kernel::Uniform => (df / (df + 2.0), df / (df + 4.0)),
                Kernel::Epanechnikov | Kernel::Biweight | Kernel::Triweight => {
                    let b = match k {
                        Kernel::Epanechnikov => 2.0,
                        Kernel::Biweight => 3.0,
                        _ => 4.0,
                    };
                    let a = df / 2.0;
                    let m1 = a / (a + b);
                    (m1, m1 * (a + 1.0) / (a + b + 1.0))
                }
                Kernel::Triangular => {
                    // Beta(d, 2): E[R^k] = prod_{j<k} (d + j) / (d + 2 + j)
                    let e = |k: i32| {
                        (0..k)
                            .map(|j| (df + j as f64) / (df + 2.0 + j as f64))
                            .product()
                    };
                    (e(2), e(4))
                }
                Kernel::Exponential => (df * (df + 1.0), df * (df + 1.0) * (df + 2.0) * (df + 3.0)),
                Kernel::StudentT { dof } if dof > 4.0 => {
                    // R^2 / d ~ F(d, dof)
                    let m = dof / (dof - 2.0);
                    let v = 2.0 * dof * dof * (df + dof - 2.0)
                        / (df * (dof - 2.0).powi(2) * (dof - 4.0));
                    (df * m, df * df * (v + m * m))
                }
                _ => continue, // Cauchy (no moments) and cosine: checked by the CDF test below
            };
            let law = RadialLaw::new(k.in_dim(d).unwrap());
            let mut rng = ChaCha8Rng::seed_from_u64(11);
            let n = 20_000;
            let mean: f64 = (0..n).map(|_| law.sample(&mut rng).powi(2)).sum::<f64>() / n as f64;
            let se = ((m4 - m2 * m2) / n as f64).sqrt();
            assert!(
                (mean - m2).abs() < 5.0 * se,
                "{k}: {mean} vs {m2} (se {se})"
            );
        }
    }

    /// Kolmogorov-Smirnov of R^d for the cosine kernel against its CDF by the independent
    /// series route: F(r) = int_0^r t^(d-1) cos(pi t/2) dt / J_d, by tanh-sinh quadrature.
    /// 5,000 draws: the 0.1% critical value of the KS statistic is 1.95 / sqrt(n) = 0.0276.
    #[test]
    fn cosine_radius_ks() {
        for d in [1usize, 3, 40] {
            let law = RadialLaw::new(Kernel::Cosine.in_dim(d).unwrap());
            let mut rng = ChaCha8Rng::seed_from_u64(5);
            let n = 5_000;
            let mut r: Vec<f64> = (0..n).map(|_| law.sample(&mut rng)).collect();
            r.sort_by(|a, b| a.total_cmp(b));
            let ln_j = ln_cosine_radial_integral(d);
            let cdf = |x: f64| {
                let f = |t: f64| {
                    let z = t * x;
                    if z <= 0.0 {
                        return f64::NEG_INFINITY;
                    }
                    (d as f64 - 1.0) * z.ln() + (0.5 * std::f64::consts::PI * z).cos().ln() + x.ln()
                };
                (crate::quadrature::ln_integral_unit_interval(f) - ln_j).exp()
            };
            let mut ks = 0.0f64;
            for (i, &x) in r.iter().enumerate().step_by(10) {
                let f = cdf(x);
                ks = ks
                    .max((f - i as f64 / n as f64).abs())
                    .max((f - (i + 1) as f64 / n as f64).abs());
            }
            assert!(ks < 1.95 / (n as f64).sqrt(), "d = {d}: ks = {ks}");
        }
    }

    #[test]
    fn cosine_quantile_inverts_the_cdf() {
        for d in [1usize, 7, 300] {
            let c = CosineRadius::new(d);
            for u in [1e-12, 1e-3, 0.3, 0.5, 0.999, 1.0 - 1e-12] {
                let r = c.quantile(u);
                let back = (c.ln_partial(d as f64 * r.ln()) - c.ln_total).exp();
                assert!(
                    (back - u).abs() <= 1e-11 * u.max(1e-3),
                    "d = {d}, u = {u}: {back}"
                );
            }
        }
    }

    #[test]
    fn draws_are_finite_in_huge_dimension() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for k in all() {
            let law = RadialLaw::new(k.in_dim(100_000).unwrap());
            for _ in 0..20 {
                let r = law.sample(&mut rng);
                assert!(r.is_finite() && r > 0.0, "{k}: {r}");
                if k.is_compact() {
                    assert!(r <= 1.0);
                }
            }
        }
    }
}
