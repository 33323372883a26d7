//! Likelihood cross-validation on Gaussian data in high dimension lands in the
//! extreme-value regime, at the finite-`d` KL-optimal bandwidth of the regime theory.

use hdkde_estimator::{Bandwidth, Kernel};
use hdkde_theory::regimes::{GaussianModel, Regime};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::{participation_ratio, Lcv, ReferenceModel, Variant};

/// `d = 40`, `n = round(e^8) = 2981`: `alpha = ln(n)/d = 0.2`.
///
/// Population values (isotropic, `sigma = 1`): `h_G = 1.0457`, leading-order
/// `h_KL = 0.8917`, finite-`d` `h_KL = 0.9673`.
///
/// Measured once over seeds 1..=8 (this test uses seed 3): the LCV bandwidth was
/// 0.9667..0.9706 (mean 0.9681, spread +-0.2%), within 0.4% of the finite-`d` `h_KL` for
/// every seed. "Near" is therefore set at 1.5% relative: five times the observed seed-to-seed
/// spread plus the theory's own error at `d = 40` (the expected minimum distance is predicted
/// to 0.4%, i.e. ~0.2% in `h`). It still separates the two predictions: the leading-order
/// `h_KL` is 8% lower and `h_G` 7.5% higher, both far outside the band.
#[test]
fn lcv_is_below_h_g_and_near_the_finite_d_h_kl() {
    let (n, d) = (2981usize, 40usize);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let x = DMatrix::<f64>::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng));
    let alpha = (n as f64).ln() / d as f64;
    let lcv = Lcv::new().select(&x).unwrap();
    let truth = GaussianModel::isotropic(1.0).unwrap();
    let h_g = truth.h_g(alpha).unwrap();
    let h_kl = truth.h_kl(alpha).unwrap();
    let h_kl_finite = truth.h_kl_finite(alpha, d).unwrap();
    assert!(lcv.h < h_g, "LCV h = {} must be below h_G = {h_g}", lcv.h);
    let rel = (lcv.h / h_kl_finite - 1.0).abs();
    assert!(
        rel < 0.015,
        "LCV h = {} vs finite-d h_KL = {h_kl_finite} ({rel:.4})",
        lcv.h
    );
    assert!(
        (lcv.h / h_kl - 1.0).abs() > 3.0 * rel,
        "the finite-d correction is what brings the theory to LCV (leading h_KL = {h_kl})"
    );
    // What a user sees without knowing the truth: the model fitted to the sample spectrum
    // labels the LCV bandwidth extreme-value.
    let reference = ReferenceModel::new(&x, Variant::Full).unwrap();
    let a = reference.assess(&Bandwidth::Scalar(lcv.h)).unwrap();
    assert_eq!(a.regime, Regime::Extreme);
    assert!(a.mu < 1.0);
    let y2 = participation_ratio(&x, &lcv.bandwidth, Kernel::Gaussian, None).unwrap();
    // The measured mean participation ratio matches the finite-n, finite-d prediction
    // (0.370; measured 0.376), not the leading-order 1 - mu = 0.146. Tolerance 0.025: the
    // per-point Y2 has standard deviation 0.24 here, so the mean over 2981 points has a
    // standard error of 0.0044 (points share one data set, so this is indicative); 0.025 is
    // ~5.7 such errors and leaves room for the model's own finite-d approximations.
    assert!(
        (y2 - a.y2).abs() < 0.025,
        "Y2 measured {y2} vs predicted {}",
        a.y2
    );
    assert!((y2 - (1.0 - a.mu)).abs() > 0.2);
}
