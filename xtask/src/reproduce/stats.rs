//! Monte Carlo estimates with standard errors, and the theory-versus-simulation rows.

/// Sample mean of `v` (0 for an empty slice).
pub(crate) fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.iter().sum::<f64>() / v.len() as f64
}

/// Unbiased sample standard deviation of `v` (0 with fewer than two values).
pub(crate) fn std_dev(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return 0.0;
    }
    let m = mean(v);
    let ss: f64 = v.iter().map(|x| (x - m) * (x - m)).sum();
    (ss / (v.len() - 1) as f64).sqrt()
}

/// A Monte Carlo estimate: a mean and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Estimate {
    /// The estimate.
    pub(crate) value: f64,
    /// Its Monte Carlo standard error.
    pub(crate) se: f64,
}

impl Estimate {
    /// Mean of i.i.d. values, `SE = s / sqrt(K)`.
    pub(crate) fn iid(v: &[f64]) -> Self {
        Estimate {
            value: mean(v),
            se: std_dev(v) / (v.len().max(1) as f64).sqrt(),
        }
    }

    /// Grand mean of equally sized groups given by their group means (one group per
    /// independent data set with its own test points): the groups are i.i.d., so
    /// `SE = sd(group means) / sqrt(K)` holds whatever the correlation inside a group.
    pub(crate) fn clustered(group_means: &[f64]) -> Self {
        Self::iid(group_means)
    }
}

/// One line of a theory-versus-simulation table.
///
/// `agrees` is `|simulation - theory| <= 3 SE + allowance`, where `allowance` bounds the
/// terms the theory neglects at this `(n, d)` (stated in the row's `criterion`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// What is compared (e.g. `E[Y2], d = 20, h/h_G = 0.80`).
    pub(crate) quantity: String,
    /// The theoretical value.
    pub(crate) theory: f64,
    /// The simulation estimate.
    pub(crate) sim: Estimate,
    /// Absolute allowance for neglected finite-size terms.
    pub(crate) allowance: f64,
    /// Short statement of the criterion.
    pub(crate) criterion: String,
}

impl Row {
    /// A row with the criterion `|dev| <= 3 SE + allowance`, `allowance` explained by `why`.
    pub(crate) fn new(
        quantity: String,
        theory: f64,
        sim: Estimate,
        allowance: f64,
        why: &str,
    ) -> Self {
        let criterion = if allowance > 0.0 {
            format!("3 SE + {} ({why})", fmt_g(allowance))
        } else {
            "3 SE".to_string()
        };
        Row {
            quantity,
            theory,
            sim,
            allowance,
            criterion,
        }
    }

    /// `simulation - theory`.
    pub(crate) fn deviation(&self) -> f64 {
        self.sim.value - self.theory
    }

    /// Deviation in standard errors (infinite sign-preserving if SE = 0 and dev != 0).
    pub(crate) fn deviation_in_se(&self) -> f64 {
        let dev = self.deviation();
        if self.sim.se > 0.0 {
            dev / self.sim.se
        } else if dev == 0.0 {
            0.0
        } else {
            dev.signum() * f64::INFINITY
        }
    }

    /// Whether `|dev| <= 3 SE + allowance` (false for any non-finite input).
    pub(crate) fn agrees(&self) -> bool {
        let dev = self.deviation();
        dev.is_finite() && dev.abs() <= 3.0 * self.sim.se + self.allowance
    }
}

/// A number in a compact, fixed format (4 significant digits, no exponent for ordinary
/// magnitudes), so that reports are byte-stable and readable.
pub(crate) fn fmt_g(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let a = x.abs();
    if !(1e-4..1e5).contains(&a) {
        return format!("{x:.3e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 8) as usize;
    format!("{x:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_standard_error() {
        // 1..=5: mean 3, s = sqrt(2.5), SE = sqrt(2.5 / 5) = sqrt(0.5).
        let e = Estimate::iid(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.value, 3.0);
        assert!((e.se - 0.5f64.sqrt()).abs() < 1e-15);
        assert_eq!(std_dev(&[1.0]), 0.0);
    }

    #[test]
    fn agreement_criterion() {
        let sim = Estimate {
            value: 1.0,
            se: 0.1,
        };
        assert!(Row::new("a".into(), 1.29, sim, 0.0, "").agrees());
        assert!(!Row::new("b".into(), 1.31, sim, 0.0, "").agrees());
        assert!(Row::new("c".into(), 1.4, sim, 0.11, "finite d").agrees());
        let r = Row::new("d".into(), 0.5, sim, 0.0, "");
        assert!((r.deviation_in_se() - 5.0).abs() < 1e-12);
        let nan = Row::new("e".into(), f64::NAN, sim, 1.0, "");
        assert!(!nan.agrees());
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(fmt_g(0.946847), "0.9468");
        assert_eq!(fmt_g(-12.3456), "-12.35");
        assert_eq!(fmt_g(1.5e-6), "1.500e-6");
        assert_eq!(fmt_g(0.0), "0");
    }
}
