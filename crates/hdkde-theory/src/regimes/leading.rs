//! Leading-order thresholds, log-density and KL curve (`n, d -> inf`, `alpha = ln n / d`).

use super::cgf::Coords;
use super::{check_alpha, inverse_temperature, Error, GaussianModel, Regime};

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// `b_G` of a set of coordinates: `I(r*(b_G)) = alpha`.
pub(crate) fn b_g_of(c: &Coords, alpha: f64) -> Result<f64, Error> {
    check_alpha(alpha)?;
    c.solve_tilt(alpha)
}

/// Leading-order `(1/d) ln rho_hat(x)` for coordinates `c` (test point given by `c`).
pub(crate) fn ell_of(c: &Coords, h: f64, alpha: f64) -> Result<f64, Error> {
    let b = inverse_temperature(h)?;
    let b_g = b_g_of(c, alpha)?;
    let h2 = h * h;
    if b <= b_g {
        // Annealed: the log of N(x; 0, Sigma + h^2 I) per dimension.
        Ok(c.classes()
            .iter()
            .map(|k| k.weight * (-0.5 * (LN_2PI + (h2 + k.lam).ln()) - k.s / (2.0 * (h2 + k.lam))))
            .sum())
    } else {
        let r_min = c.r_star(b_g);
        Ok(-alpha - 0.5 * (LN_2PI + h2.ln()) - b * r_min)
    }
}

impl GaussianModel {
    /// `b_G(alpha)`: the inverse temperature at which the typical tilted distance `r*(b)`
    /// becomes as rare as `1/n`, `I(r*(b_G)) = alpha`.
    ///
    /// `I(r*(b)) = (1/d) sum_j [1/2 ln(1 + 2 b lam_j) - b lam_j / (1 + 2 b lam_j)^2]` increases
    /// from 0 to infinity with derivative `b Lambda''(-b)`; it is inverted by a safeguarded
    /// Newton-bisection iteration in `ln b`, to full double precision.
    pub fn b_g(&self, alpha: f64) -> Result<f64, Error> {
        b_g_of(self.typical(), alpha)
    }

    /// Condensation threshold `h_G(alpha) = 1 / sqrt(2 b_G)`.
    ///
    /// ```
    /// let model = hdkde_theory::regimes::GaussianModel::isotropic(1.0)?;
    /// assert!((model.h_g(0.25)? - 0.9468470398).abs() < 1e-9);
    /// # Ok::<(), hdkde_theory::regimes::Error>(())
    /// ```
    pub fn h_g(&self, alpha: f64) -> Result<f64, Error> {
        Ok((0.5 / self.b_g(alpha)?).sqrt())
    }

    /// CLT threshold `h_CLT(alpha) = sqrt(2) h_G(alpha)`: `E[w^2]` is dominated by the
    /// distances `r*(2b)`, present in a typical data set while `I(r*(2b)) < alpha`.
    pub fn h_clt(&self, alpha: f64) -> Result<f64, Error> {
        Ok(core::f64::consts::SQRT_2 * self.h_g(alpha)?)
    }

    /// Leading-order smallest scaled distance `r_min(alpha) = r*(b_G) = Lambda'(-b_G)`.
    pub fn r_min(&self, alpha: f64) -> Result<f64, Error> {
        let b = self.b_g(alpha)?;
        Ok(self.typical().r_star(b))
    }

    /// `r*(b) = Lambda'(-b)`, the typical distance of the points that dominate `E[w]`,
    /// `w = exp(-d b r)`, for `b >= 0`.
    pub fn r_star(&self, b: f64) -> Result<f64, Error> {
        check_b(b)?;
        Ok(self.typical().r_star(b))
    }

    /// `I(r*(b))`, the rate of the tilted distance, for `b >= 0`.
    pub fn rate_at_tilt(&self, b: f64) -> Result<f64, Error> {
        check_b(b)?;
        Ok(self.typical().rate_at_tilt(b))
    }

    /// Tail index `mu(h, alpha) = 2 h^2 |I'(r_min)| = (h / h_G(alpha))^2` of the kernel
    /// weights near the edge of the distance distribution: `P(w > t) ~ t^(-mu)`.
    pub fn mu(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        let b = inverse_temperature(h)?;
        Ok(self.b_g(alpha)? / b)
    }

    /// The regime of `rho_hat(x)` at bandwidth `h` ([`Regime::from_mu`] of [`Self::mu`]).
    pub fn regime(&self, h: f64, alpha: f64) -> Result<Regime, Error> {
        Ok(Regime::from_mu(self.mu(h, alpha)?))
    }

    /// Leading-order log-density per dimension `ell(h, alpha) = lim (1/d) ln rho_hat(x)`,
    /// typical `x`:
    ///
    /// * `h >= h_G` (annealed): `(1/d) sum_j [-1/2 ln(2 pi (h^2 + lam_j)) - lam_j / (2 (h^2 + lam_j))]`;
    /// * `h < h_G` (condensed): `-alpha - 1/2 ln(2 pi h^2) - r_min(alpha) / (2 h^2)`.
    ///
    /// The branches meet continuously at `h_G`.
    pub fn ell(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        ell_of(self.typical(), h, alpha)
    }

    /// True log-density per dimension averaged over `x`:
    /// `(1/d) E ln rho(x) = (1/d) sum_j [-1/2 ln(2 pi lam_j)] - 1/2` (exact at every `d`).
    pub fn mean_log_density(&self) -> f64 {
        self.typical()
            .classes()
            .iter()
            .map(|k| k.weight * (-0.5 * (LN_2PI + k.lam.ln())))
            .sum::<f64>()
            - 0.5
    }

    /// Kullback-Leibler divergence per dimension `KL(h) = (1/d) E ln rho(x) - ell(h, alpha)`.
    pub fn kl(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        Ok(self.mean_log_density() - self.ell(h, alpha)?)
    }

    /// KL-optimal bandwidth `h_KL(alpha) = sqrt(r_min(alpha))`.
    ///
    /// On the annealed branch `d ell / d(h^2) = -(1/d) sum_j h^2 / (2 (h^2 + lam_j)^2) < 0`, so
    /// the optimum is on the condensed branch, whose maximum is at `h^2 = r_min` provided
    /// `r_min < h_G^2`. This holds for every spectrum and every `alpha`:
    /// `2 b_G r_min = (1/d) sum_j [1 - (1 + 2 b_G lam_j)^(-2)] < 1`. Hence `h_KL < h_G`
    /// always: the KL-optimal bandwidth is in the extreme-value regime, with
    /// `mu(h_KL) = 1 - (1/d) sum_j (1 + 2 b_G lam_j)^(-2)`.
    pub fn h_kl(&self, alpha: f64) -> Result<f64, Error> {
        Ok(self.r_min(alpha)?.sqrt())
    }

    /// Leading-order participation ratio `E[Y2]`, `Y2 = sum_i w_i^2 / Z^2`: `1 - mu` in the
    /// extreme-value regime (Poisson-Dirichlet `PD(mu, 0)`), 0 for `mu >= 1`.
    pub fn y2(&self, h: f64, alpha: f64) -> Result<f64, Error> {
        Ok((1.0 - self.mu(h, alpha)?).max(0.0))
    }
}

fn check_b(b: f64) -> Result<(), Error> {
    if b.is_finite() && b >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidInverseTemperature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    /// Spec reference table, isotropic sigma = 1: (alpha, h_G, h_CLT, r_min, h_KL).
    const ISOTROPIC: [(f64, f64, f64, f64, f64); 4] = [
        (0.1, 1.3707847002, 1.9385823141, 1.0786326570, 1.0385724),
        (0.25, 0.9468470398, 1.3390439252, 0.6961808188, 0.8343745),
        (0.5, 0.6521453312, 0.9222727720, 0.3874268113, 0.6224362),
        (1.0, 0.3721062817, 0.5262377502, 0.1364149238, 0.3693439),
    ];

    #[test]
    fn isotropic_reference_values() {
        let m = GaussianModel::isotropic(1.0).unwrap();
        for (alpha, h_g, h_clt, r_min, h_kl) in ISOTROPIC {
            // The table has 10 decimals: 1e-9 relative covers its rounding.
            assert!(rel(m.h_g(alpha).unwrap(), h_g) < 1e-9, "h_G at {alpha}");
            assert!(
                rel(m.h_clt(alpha).unwrap(), h_clt) < 1e-9,
                "h_CLT at {alpha}"
            );
            assert!(
                rel(m.r_min(alpha).unwrap(), r_min) < 1e-9,
                "r_min at {alpha}"
            );
            // h_KL is given to 7 decimals: half a unit in the last place.
            assert!(
                (m.h_kl(alpha).unwrap() - h_kl).abs() <= 5e-8,
                "h_KL at {alpha}"
            );
        }
    }

    #[test]
    fn two_level_reference_values() {
        let mut spectrum = vec![2.0; 50];
        spectrum.extend(vec![0.5; 50]);
        let m = GaussianModel::from_spectrum(spectrum).unwrap();
        for (alpha, h_g, r_min) in [
            (0.25, 1.0308283570, 0.7529569154),
            (0.5, 0.6807868129, 0.4016441908),
        ] {
            assert!(rel(m.h_g(alpha).unwrap(), h_g) < 1e-9, "h_G at {alpha}");
            assert!(
                rel(m.r_min(alpha).unwrap(), r_min) < 1e-9,
                "r_min at {alpha}"
            );
        }
    }

    #[test]
    fn typed_errors() {
        let m = GaussianModel::isotropic(1.0).unwrap();
        assert_eq!(m.h_g(0.0), Err(Error::InvalidAlpha));
        assert_eq!(m.h_g(f64::INFINITY), Err(Error::InvalidAlpha));
        assert_eq!(m.mu(0.0, 0.5), Err(Error::InvalidBandwidth));
        assert_eq!(m.ell(f64::NAN, 0.5), Err(Error::InvalidBandwidth));
        assert_eq!(m.r_star(-1.0), Err(Error::InvalidInverseTemperature));
        assert_eq!(m.h_g(1e5), Err(Error::OutOfRange));
    }

    #[test]
    fn regimes_along_h() {
        let m = GaussianModel::isotropic(1.0).unwrap();
        let h_g = m.h_g(0.5).unwrap();
        assert_eq!(m.regime(0.9 * h_g, 0.5).unwrap(), Regime::Extreme);
        assert_eq!(m.regime(1.2 * h_g, 0.5).unwrap(), Regime::Stable);
        assert_eq!(m.regime(1.5 * h_g, 0.5).unwrap(), Regime::Clt);
        assert!((m.y2(0.5 * h_g, 0.5).unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(m.y2(1.1 * h_g, 0.5).unwrap(), 0.0);
    }

    fn spectrum_strategy() -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec(0.05f64..20.0, 1..12)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn threshold_identities(spectrum in spectrum_strategy(), alpha in 0.01f64..3.0) {
            let m = GaussianModel::from_spectrum(spectrum).unwrap();
            let b_g = m.b_g(alpha).unwrap();
            let h_g = m.h_g(alpha).unwrap();
            let h_clt = m.h_clt(alpha).unwrap();
            // Root solved to full precision: a few ulps of alpha.
            prop_assert!((m.rate_at_tilt(b_g).unwrap() - alpha).abs() <= 1e-14 * alpha);
            prop_assert!(rel(h_clt, core::f64::consts::SQRT_2 * h_g) < 1e-15);
            prop_assert!((m.mu(h_g, alpha).unwrap() - 1.0).abs() < 1e-14);
            prop_assert!((m.mu(h_clt, alpha).unwrap() - 2.0).abs() < 1e-14);
            // The theorem behind h_KL: r_min < h_G^2 for every spectrum.
            prop_assert!(m.r_min(alpha).unwrap() < h_g * h_g);
        }

        #[test]
        fn ell_is_continuous_at_h_g(spectrum in spectrum_strategy(), alpha in 0.01f64..3.0) {
            let m = GaussianModel::from_spectrum(spectrum).unwrap();
            let h_g = m.h_g(alpha).unwrap();
            let below = m.ell(h_g * (1.0 - 1e-9), alpha).unwrap();
            let above = m.ell(h_g * (1.0 + 1e-9), alpha).unwrap();
            // Slope of ell in h is O(1/h): a jump would be O(1), the smooth change ~1e-9.
            prop_assert!((below - above).abs() < 1e-7 * (1.0 + below.abs()));
        }

        #[test]
        fn kl_is_minimal_at_h_kl(
            spectrum in spectrum_strategy(),
            alpha in 0.01f64..3.0,
            factor in 0.2f64..5.0,
        ) {
            let m = GaussianModel::from_spectrum(spectrum).unwrap();
            let h_kl = m.h_kl(alpha).unwrap();
            let best = m.kl(h_kl, alpha).unwrap();
            prop_assert!(best >= -1e-12);
            for f in [factor, 1.0 + 1e-4, 1.0 - 1e-4] {
                // At 1e-4 away the excess is ~1e-8 (quadratic): rounding is ~1e-15.
                prop_assert!(m.kl(h_kl * f, alpha).unwrap() >= best - 1e-14);
            }
        }

        #[test]
        fn lengths_scale_with_sigma(sigma in 0.01f64..100.0, alpha in 0.01f64..3.0) {
            let unit = GaussianModel::isotropic(1.0).unwrap();
            let m = GaussianModel::isotropic(sigma).unwrap();
            prop_assert!(rel(m.h_g(alpha).unwrap(), sigma * unit.h_g(alpha).unwrap()) < 1e-13);
            prop_assert!(rel(m.r_min(alpha).unwrap(), sigma * sigma * unit.r_min(alpha).unwrap()) < 1e-13);
            prop_assert!(rel(m.h_kl(alpha).unwrap(), sigma * unit.h_kl(alpha).unwrap()) < 1e-13);
        }

        #[test]
        fn spectrum_scaling_and_replication(spectrum in spectrum_strategy(), c in 0.1f64..10.0, alpha in 0.01f64..3.0) {
            let m = GaussianModel::from_spectrum(spectrum.clone()).unwrap();
            let scaled = GaussianModel::from_spectrum(spectrum.iter().map(|l| c * c * l).collect()).unwrap();
            prop_assert!(rel(scaled.h_g(alpha).unwrap(), c * m.h_g(alpha).unwrap()) < 1e-13);
            // Leading order depends only on the spectral distribution.
            let doubled = GaussianModel::from_spectrum([spectrum.clone(), spectrum].concat()).unwrap();
            prop_assert!(rel(doubled.h_g(alpha).unwrap(), m.h_g(alpha).unwrap()) < 1e-13);
        }
    }
}
