//! Statistical tests of [`KdeSampler`]: projections against the KDE's exact marginal CDF
//! (computed here by quadrature, independently of the radial laws), moments, weights, support.

use super::*;
use crate::testutil::{
    check_moments, integrate, ks_critical_001, ks_statistic, project, random_unit,
};
use hdkde_kernels::DimKernel;
use nalgebra::DVector;
use rand::SeedableRng;
use statrs::distribution::{Beta, ContinuousCDF, Normal, StudentsT};

/// Every family, with Student-t at 1 and 5 degrees of freedom.
fn all_kernels() -> impl Iterator<Item = Kernel> {
    Kernel::FIXED
        .into_iter()
        .chain([Kernel::StudentT { dof: 1.0 }, Kernel::StudentT { dof: 5.0 }])
}

/// The dimension of the marginal tests: in `d = 5` the first coordinate `V_1` of a uniform
/// unit vector has density `(3/4)(1 - v^2)`, so its CDF is the polynomial below.
const D: usize = 5;

fn direction_cdf(v: f64) -> f64 {
    let v = v.clamp(-1.0, 1.0);
    (2.0 + 3.0 * v - v * v * v) / 4.0
}

/// CDF of the first coordinate of `U ~ K` in dimension 5, tabulated.
///
/// `U_1 = R V_1` with `R` of density proportional to `f(r) = r^4 k(r)` (the kernel profile
/// from `DimKernel::ln_profile`, normalised here by quadrature, so neither the kernel's
/// `ln c_d` nor its radial sampler enters). For `t >= 0`:
/// `G(t) = [int_0^t f + int_t^inf f(r) F_V(t / r) dr] / int_0^inf f`, and `G(-t) = 1 - G(t)`.
/// Tabulated at 4,001 points of `tau = t / (1 + t)` in `[0, 1]` and interpolated linearly:
/// the interpolation error is below `1e-7` (step `2.5e-4`, bounded second derivative),
/// far below the KS critical values used.
struct MarginalCdf {
    table: Vec<f64>,
}

impl MarginalCdf {
    const STEPS: usize = 4000;

    fn new(kernel: Kernel) -> Self {
        let dk: DimKernel = kernel.in_dim(D).unwrap();
        let f = move |r: f64| {
            if r <= 0.0 {
                0.0
            } else {
                (4.0 * r.ln() + dk.ln_profile(r * r)).exp()
            }
        };
        // int_a^inf g(r) dr with r = a + s / (1 - s).
        let tail = |g: &dyn Fn(f64) -> f64, a: f64| {
            integrate(
                |s| {
                    let r = a + s / (1.0 - s);
                    g(r) / ((1.0 - s) * (1.0 - s))
                },
                0.0,
                1.0,
            )
        };
        let compact = kernel.is_compact();
        let upper_part = |t: f64| -> f64 {
            let g = |r: f64| f(r) * direction_cdf(t / r);
            if compact {
                if t >= 1.0 {
                    0.0
                } else {
                    integrate(g, t, 1.0)
                }
            } else {
                tail(&g, t)
            }
        };
        let mass = if compact {
            integrate(f, 0.0, 1.0)
        } else {
            tail(&f, 0.0)
        };
        let table = (0..=Self::STEPS)
            .map(|k| {
                let tau = k as f64 / Self::STEPS as f64;
                if k == Self::STEPS {
                    return 1.0;
                }
                let t = tau / (1.0 - tau);
                let lower = integrate(f, 0.0, if compact { t.min(1.0) } else { t });
                ((lower + upper_part(t)) / mass).min(1.0)
            })
            .collect();
        MarginalCdf { table }
    }

    fn cdf(&self, t: f64) -> f64 {
        let a = t.abs();
        let x = a / (1.0 + a) * Self::STEPS as f64;
        let k = (x.floor() as usize).min(Self::STEPS - 1);
        let frac = x - k as f64;
        let g = self.table[k] * (1.0 - frac) + self.table[k + 1] * frac;
        if t >= 0.0 {
            g
        } else {
            1.0 - g
        }
    }
}

#[test]
fn marginal_reference_matches_known_closed_forms() {
    // Validates the quadrature reference itself: the Gaussian kernel's marginal is N(0, 1),
    // the Student-t kernel's is the univariate t with the same dof, and the uniform kernel's
    // (U_1 + 1)/2 is Beta(3, 3) in d = 5. Agreement to 1e-6 (quadrature ~1e-10,
    // interpolation ~1e-7).
    let normal = Normal::new(0.0, 1.0).unwrap();
    let g = MarginalCdf::new(Kernel::Gaussian);
    let c = MarginalCdf::new(Kernel::StudentT { dof: 1.0 });
    let t5 = MarginalCdf::new(Kernel::StudentT { dof: 5.0 });
    let u = MarginalCdf::new(Kernel::Uniform);
    let cauchy = StudentsT::new(0.0, 1.0, 1.0).unwrap();
    let student5 = StudentsT::new(0.0, 1.0, 5.0).unwrap();
    let beta = Beta::new(3.0, 3.0).unwrap();
    for t in [-30.0, -3.1, -1.0, -0.3, 0.0, 0.2, 0.77, 1.5, 4.0, 100.0] {
        assert!((g.cdf(t) - normal.cdf(t)).abs() < 1e-6, "gaussian {t}");
        assert!((c.cdf(t) - cauchy.cdf(t)).abs() < 1e-6, "cauchy {t}");
        assert!((t5.cdf(t) - student5.cdf(t)).abs() < 1e-6, "t5 {t}");
        let want = beta.cdf(((t + 1.0) / 2.0).clamp(0.0, 1.0));
        assert!((u.cdf(t) - want).abs() < 1e-6, "uniform {t}");
    }
}

fn data() -> Vec<f64> {
    vec![
        0.0, 0.0, 0.0, 0.0, 0.0, //
        1.0, -2.0, 0.5, 3.0, 0.0, //
        -1.5, 1.0, 1.0, -1.0, 2.0, //
        0.3, 0.3, -2.0, 0.5, -1.0,
    ]
}

fn bandwidths() -> Vec<(&'static str, Bandwidth, Option<Vec<f64>>)> {
    let l = DMatrix::from_row_slice(
        D,
        D,
        &[
            0.9, 0.0, 0.0, 0.0, 0.0, //
            0.3, 0.5, 0.0, 0.0, 0.0, //
            -0.4, 0.2, 0.7, 0.0, 0.0, //
            0.1, 0.0, -0.3, 0.4, 0.0, //
            0.5, -0.2, 0.1, 0.3, 1.1,
        ],
    );
    vec![
        (
            "scalar",
            Bandwidth::scalar(0.8).unwrap(),
            Some(vec![1.0, 0.0, 2.0, 0.5]),
        ),
        (
            "diagonal",
            Bandwidth::diagonal(vec![0.3, 0.6, 0.9, 1.2, 0.5]).unwrap(),
            None,
        ),
        (
            "cholesky",
            Bandwidth::cholesky(&l).unwrap(),
            Some(vec![3.0, 1.0, 0.0, 1.0]),
        ),
    ]
}

#[test]
fn projections_follow_the_kde_marginal_for_every_kernel_and_bandwidth() {
    // By rotation invariance of K, a^T L U has the law of |L^T a| U_1, so
    // P(a^T x <= t) = sum_i w_i G((t - a^T y_i) / |L^T a|) with G from MarginalCdf.
    // 20,000 draws per (kernel, bandwidth): KS 0.1% critical value 1.95 / sqrt(n) = 0.0138.
    // A wrong radius law, a wrong direction law, L^T in place of L, or a wrong weight
    // moves the CDF by several times that.
    let y = data();
    for (ki, kernel) in all_kernels().enumerate() {
        let g = MarginalCdf::new(kernel);
        for (bi, (name, bw, w)) in bandwidths().into_iter().enumerate() {
            let kde = KdeSampler::new(&y, D, w.as_deref(), kernel, bw).unwrap();
            // The cosine radius is an 80-step inverse CDF (~0.1 ms per draw): fewer draws,
            // with the critical value of that sample size (1.95 / sqrt(6000) = 0.0252).
            let n = if kernel == Kernel::Cosine {
                6_000
            } else {
                20_000
            };
            let x = kde.sample_row_major(n, (10 * ki + bi) as u64);
            let l = kde.bandwidth_factor();
            let a = random_unit(D, (100 + 10 * ki + bi) as u64);
            let scale = (l.transpose() * DVector::from_column_slice(&a)).norm();
            let centres: Vec<(f64, f64)> = (0..kde.len())
                .map(|i| {
                    let c: f64 = kde
                        .point(i)
                        .unwrap()
                        .iter()
                        .zip(&a)
                        .map(|(u, v)| u * v)
                        .sum();
                    (kde.weight(i), c)
                })
                .collect();
            let mut p = project(&x, &a);
            let ks = ks_statistic(&mut p, |t| {
                centres
                    .iter()
                    .map(|(w, c)| w * g.cdf((t - c) / scale))
                    .sum::<f64>()
            });
            assert!(
                ks < ks_critical_001(p.len()),
                "{kernel}, {name} bandwidth: ks = {ks}"
            );
        }
    }
}

#[test]
fn moments_with_a_full_bandwidth() {
    // Mean sum_i w_i y_i; covariance sum_i w_i (y_i - m)(y_i - m)^T + s2 H with s2 the
    // per-coordinate variance of the unit kernel: 1 (Gaussian), E[R^2]/d = 1/11 (biweight,
    // R^2 ~ Beta(5/2, 3) in d = 5). 40,000 draws, every entry within 5 SE.
    let y = data();
    for (kernel, s2) in [(Kernel::Gaussian, 1.0), (Kernel::Biweight, 1.0 / 11.0)] {
        let (_, bw, w) = bandwidths().pop().unwrap();
        let kde = KdeSampler::new(&y, D, w.as_deref(), kernel, bw).unwrap();
        let mut mean = DVector::zeros(D);
        for i in 0..kde.len() {
            mean += DVector::from_column_slice(kde.point(i).unwrap()) * kde.weight(i);
        }
        let mut cov = kde.bandwidth().matrix(D).unwrap() * s2;
        for i in 0..kde.len() {
            let dy = DVector::from_column_slice(kde.point(i).unwrap()) - &mean;
            cov += &dy * dy.transpose() * kde.weight(i);
        }
        let x = kde.sample_row_major(40_000, 77);
        check_moments(&kernel.name(), &x, mean.as_slice(), &cov, 5.0);
    }
}

#[test]
fn points_are_picked_by_weight() {
    // Points 1000 apart, Epanechnikov kernel of radius 1: the nearest point identifies the
    // pick. 100,000 draws over 4 points of positive weight: Pearson's statistic (3 degrees
    // of freedom) below its 0.1% critical value 16.27; the zero-weight point is never hit.
    let d = 3;
    let y: Vec<f64> = (0..5).flat_map(|i| [1000.0 * i as f64, 0.0, 0.0]).collect();
    let w = [1.0, 4.0, 0.0, 2.5, 0.5];
    let kde = KdeSampler::new(
        &y,
        d,
        Some(&w),
        Kernel::Epanechnikov,
        Bandwidth::scalar(1.0).unwrap(),
    )
    .unwrap();
    let n = 100_000;
    let x = kde.sample_row_major(n, 5);
    let mut counts = [0usize; 5];
    for p in x.chunks_exact(d) {
        counts[(p[0] / 1000.0).round() as usize] += 1;
    }
    assert_eq!(counts[2], 0);
    let total: f64 = w.iter().sum();
    let chi2: f64 = (0..5)
        .filter(|&i| w[i] > 0.0)
        .map(|i| {
            let e = n as f64 * w[i] / total;
            (counts[i] as f64 - e).powi(2) / e
        })
        .sum();
    assert!(chi2 < 16.27, "chi2 = {chi2}, counts {counts:?}");
}

#[test]
fn compact_kernels_stay_in_the_support_in_high_dimension() {
    // One data point: |L^-1 (x - y)| <= 1 for a compact kernel (to rounding, 1e-10), and
    // every draw is finite for every kernel, up to d = 2,000.
    for d in [50usize, 2000] {
        let y: Vec<f64> = (0..d).map(|i| (i % 7) as f64).collect();
        let h: Vec<f64> = (0..d).map(|i| 0.5 + (i % 3) as f64 * 0.25).collect();
        for kernel in all_kernels() {
            let kde = KdeSampler::new(&y, d, None, kernel, Bandwidth::diagonal(h.clone()).unwrap())
                .unwrap();
            let x = kde.sample_row_major(200, 1);
            assert!(x.iter().all(|v| v.is_finite()), "{kernel}, d = {d}");
            if kernel.is_compact() {
                for p in x.chunks_exact(d) {
                    let r2: f64 = (0..d).map(|j| ((p[j] - y[j]) / h[j]).powi(2)).sum();
                    assert!(r2.sqrt() <= 1.0 + 1e-10, "{kernel}, d = {d}: {}", r2.sqrt());
                }
            }
        }
    }
}

#[test]
fn distribution_and_matrix_paths_agree() {
    // The Distribution impl draws exactly the rows of the matrix path from the same stream.
    let y = data();
    let (_, bw, w) = bandwidths().pop().unwrap();
    let kde = KdeSampler::new(&y, D, w.as_deref(), Kernel::Triangular, bw).unwrap();
    let m = kde.sample_row_major(3, 9);
    let mut rng = crate::block_rng(9, 0);
    for i in 0..3 {
        let x: Vec<f64> = kde.sample(&mut rng);
        assert_eq!(&m[i * D..(i + 1) * D], &x[..]);
    }
    // And any rng works through Distribution.
    let mut other = rand::rngs::StdRng::seed_from_u64(1);
    let x: Vec<f64> = kde.sample(&mut other);
    assert_eq!(x.len(), D);
}

#[test]
fn accessors() {
    let y = data();
    let kde =
        KdeSampler::new(&y, D, None, Kernel::Cosine, Bandwidth::scalar(0.5).unwrap()).unwrap();
    assert_eq!(kde.len(), 4);
    assert!(!kde.is_empty());
    assert_eq!(kde.point(1), Some(&y[5..10]));
    assert_eq!(kde.point(4), None);
    assert_eq!(kde.point(usize::MAX), None);
    assert_eq!(kde.weight(2), 0.25);
    assert_eq!(kde.weight(4), 0.0);
    assert_eq!(kde.kernel(), Kernel::Cosine);
    assert_eq!(kde.bandwidth().as_scalar(), Some(0.5));
    assert_eq!(kde.data().len(), 20);
    assert_eq!(kde.dim(), D);
}

#[test]
fn errors() {
    use SamplerError as E;
    let h = || Bandwidth::scalar(1.0).unwrap();
    let g = Kernel::Gaussian;
    let y = [0.0, 1.0, 2.0, 3.0];
    assert_eq!(
        KdeSampler::new(&y, 0, None, g, h()).unwrap_err(),
        E::ZeroDimension
    );
    assert_eq!(
        KdeSampler::new(&y, 3, None, g, h()).unwrap_err(),
        E::RaggedBuffer { len: 4, dim: 3 }
    );
    assert_eq!(KdeSampler::new(&[], 2, None, g, h()).unwrap_err(), E::Empty);
    assert_eq!(
        KdeSampler::new(&[0.0, f64::NAN], 2, None, g, h()).unwrap_err(),
        E::NonFinite
    );
    assert_eq!(
        KdeSampler::new(&y, 2, Some(&[1.0]), g, h()).unwrap_err(),
        E::LengthMismatch {
            expected: 2,
            found: 1
        }
    );
    assert_eq!(
        KdeSampler::new(&y, 2, Some(&[1.0, -1.0]), g, h()).unwrap_err(),
        E::BadWeight
    );
    assert_eq!(
        KdeSampler::new(&y, 2, Some(&[0.0, 0.0]), g, h()).unwrap_err(),
        E::ZeroTotalWeight
    );
    let diag3 = Bandwidth::diagonal(vec![1.0; 3]).unwrap();
    assert_eq!(
        KdeSampler::new(&y, 2, None, g, diag3).unwrap_err(),
        E::LengthMismatch {
            expected: 2,
            found: 3
        }
    );
}
