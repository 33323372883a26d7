//! Double-double arithmetic (about 32 significant digits) for the independent test
//! reference of the stable law: error-free transformations (Knuth's two-sum, Dekker's
//! product), `exp` by argument reduction and a Taylor series, `ln` by Newton's method on
//! `exp`, `sin`/`cos` by reduction modulo `pi/2` and Taylor series, `atan2` by Newton's
//! method on `sin`/`cos`.

use std::ops::{Add, Div, Mul, Neg, Sub};

#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub(crate) struct Dd {
    pub(crate) hi: f64,
    pub(crate) lo: f64,
}

pub(crate) const PI: Dd = Dd {
    hi: std::f64::consts::PI,
    lo: 1.224_646_799_147_353_2e-16,
};
pub(crate) const FRAC_PI_2: Dd = Dd {
    hi: std::f64::consts::FRAC_PI_2,
    lo: 6.123_233_995_736_766e-17,
};
const LN2: Dd = Dd {
    hi: std::f64::consts::LN_2,
    lo: 2.319_046_813_846_299_6e-17,
};

#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

#[inline]
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

#[inline]
fn split(a: f64) -> (f64, f64) {
    const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
    if a.abs() > 6.7e292 && a.is_finite() {
        // Avoid overflow of SPLITTER * a: split a scaled copy.
        let (h, l) = split(a * 3.725_290_298_461_914e-9); // 2^-28
        return (h * 268_435_456.0, l * 268_435_456.0);
    }
    let t = SPLITTER * a;
    let hi = t - (t - a);
    (hi, a - hi)
}

#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

impl Dd {
    pub(crate) const ZERO: Dd = Dd { hi: 0.0, lo: 0.0 };
    pub(crate) const ONE: Dd = Dd { hi: 1.0, lo: 0.0 };

    pub(crate) fn new(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }

    pub(crate) fn to_f64(self) -> f64 {
        self.hi + self.lo
    }

    pub(crate) fn scale(self, s: f64) -> Dd {
        // Exact for powers of two.
        Dd {
            hi: self.hi * s,
            lo: self.lo * s,
        }
    }

    pub(crate) fn sqrt(self) -> Dd {
        if self.hi <= 0.0 {
            return Dd::ZERO;
        }
        let y = Dd::new(self.hi.sqrt());
        y + (self - y * y) / y.scale(2.0)
    }

    pub(crate) fn exp(self) -> Dd {
        if self.hi < -745.0 {
            return Dd::ZERO;
        }
        if self.hi > 709.0 {
            return Dd::new(f64::INFINITY);
        }
        let k = (self.hi / LN2.hi).round();
        let r = (self - LN2 * k).scale(1.0 / 1024.0);
        // expm1(r) by Taylor series, |r| < 3.4e-4.
        let mut term = r;
        let mut s = r;
        for n in 2..=12 {
            term = term * r / (n as f64);
            s = s + term;
        }
        // expm1(2x) = 2 expm1(x) + expm1(x)^2, ten times.
        for _ in 0..10 {
            s = s.scale(2.0) + s * s;
        }
        let e = s + Dd::ONE;
        let p = 2f64.powi(k as i32);
        e.scale(p)
    }

    pub(crate) fn ln(self) -> Dd {
        if self.hi <= 0.0 {
            return Dd::new(f64::NEG_INFINITY);
        }
        let mut y = Dd::new(self.hi.ln());
        for _ in 0..2 {
            y = y + self * (-y).exp() - Dd::ONE;
        }
        y
    }

    /// `(sin, cos)`.
    pub(crate) fn sin_cos(self) -> (Dd, Dd) {
        let k = (self.hi / FRAC_PI_2.hi).round();
        let r = self - FRAC_PI_2 * k;
        let r2 = r * r;
        // sin r = r - r^3/3! + ..., cos r = 1 - r^2/2! + ...
        let mut ts = r;
        let mut s = r;
        let mut tc = Dd::ONE;
        let mut c = Dd::ONE;
        let mut n = 1.0;
        loop {
            tc = -(tc * r2) / (n * (n + 1.0));
            c = c + tc;
            ts = -(ts * r2) / ((n + 1.0) * (n + 2.0));
            s = s + ts;
            n += 2.0;
            if ts.hi.abs() < 1e-36 * s.hi.abs().max(1e-300) && tc.hi.abs() < 1e-36 || n > 60.0 {
                break;
            }
        }
        match (k as i64).rem_euclid(4) {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        }
    }

    pub(crate) fn sin(self) -> Dd {
        self.sin_cos().0
    }

    pub(crate) fn cos(self) -> Dd {
        self.sin_cos().1
    }

    pub(crate) fn tan(self) -> Dd {
        let (s, c) = self.sin_cos();
        s / c
    }

    /// `atan2(self, x)`.
    pub(crate) fn atan2(self, x: Dd) -> Dd {
        let y = self;
        let mut t = Dd::new(y.hi.atan2(x.hi));
        for _ in 0..2 {
            let (s, c) = t.sin_cos();
            t = t + (y * c - x * s) / (x * c + y * s);
        }
        t
    }

    pub(crate) fn atan(self) -> Dd {
        self.atan2(Dd::ONE)
    }
}

impl From<f64> for Dd {
    fn from(x: f64) -> Dd {
        Dd::new(x)
    }
}

impl Neg for Dd {
    type Output = Dd;
    fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
}

impl Add for Dd {
    type Output = Dd;
    fn add(self, b: Dd) -> Dd {
        let (s, e) = two_sum(self.hi, b.hi);
        let (t, f) = two_sum(self.lo, b.lo);
        let (s, e) = quick_two_sum(s, e + t);
        let (hi, lo) = quick_two_sum(s, e + f);
        Dd { hi, lo }
    }
}

impl Sub for Dd {
    type Output = Dd;
    fn sub(self, b: Dd) -> Dd {
        self + (-b)
    }
}

impl Mul for Dd {
    type Output = Dd;
    fn mul(self, b: Dd) -> Dd {
        let (p, e) = two_prod(self.hi, b.hi);
        let (hi, lo) = quick_two_sum(p, e + (self.hi * b.lo + self.lo * b.hi));
        Dd { hi, lo }
    }
}

impl Mul<f64> for Dd {
    type Output = Dd;
    fn mul(self, b: f64) -> Dd {
        self * Dd::new(b)
    }
}

impl Div for Dd {
    type Output = Dd;
    fn div(self, b: Dd) -> Dd {
        let q1 = self.hi / b.hi;
        let r = self - b * q1;
        let q2 = r.hi / b.hi;
        let r = r - b * q2;
        let q3 = r.hi / b.hi;
        let (hi, lo) = quick_two_sum(q1, q2);
        Dd { hi, lo } + Dd::new(q3)
    }
}

impl Div<f64> for Dd {
    type Output = Dd;
    fn div(self, b: f64) -> Dd {
        self / Dd::new(b)
    }
}

impl Add<f64> for Dd {
    type Output = Dd;
    fn add(self, b: f64) -> Dd {
        self + Dd::new(b)
    }
}

impl Sub<f64> for Dd {
    type Output = Dd;
    fn sub(self, b: f64) -> Dd {
        self - Dd::new(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Dd, b: Dd, tol: f64) -> bool {
        ((a - b).to_f64()).abs() <= tol * b.to_f64().abs().max(1e-300)
    }

    #[test]
    fn identities_hold_to_about_1e_30() {
        // Checks that rely on no f64 value: each identity fails if a function is off.
        for &x in &[0.1, 0.7, 1.3, 2.9, -4.2, 0.001, 1e-8] {
            let d = Dd::new(x) + Dd::new(x * 1e-17);
            let (s, c) = d.sin_cos();
            assert!(close(s * s + c * c, Dd::ONE, 1e-30), "{x}");
            // ln near 1 has an absolute (not relative) accuracy of ~1e-32.
            assert!(
                ((d.exp().ln() - d).to_f64()).abs() < 1e-30 * x.abs().max(1.0),
                "{x}"
            );
            assert!(close(d.exp() * (-d).exp(), Dd::ONE, 1e-30), "{x}");
            assert!(close(s.atan2(c), d, 1e-29) || x.abs() > 3.1, "{x}");
            assert!(close(d.sqrt() * d.sqrt(), d, 1e-30) || x < 0.0, "{x}");
        }
        // Double angle: sin 2x = 2 sin x cos x, with a known constant: sin(pi/6) = 1/2.
        let (s6, _) = (PI / 6.0).sin_cos();
        assert!(close(s6, Dd::new(0.5), 1e-31));
        assert!(close(Dd::new(2.0).ln(), LN2, 1e-31));
        assert!(close(Dd::ONE.atan().scale(4.0), PI, 1e-31));
        // e = exp(1): 2.718281828459045 + 1.4456468917292502e-16.
        assert!(close(
            Dd::ONE.exp(),
            Dd {
                hi: std::f64::consts::E,
                lo: 1.445_646_891_729_250_2e-16
            },
            1e-31
        ));
    }
}
