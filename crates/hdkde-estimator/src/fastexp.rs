//! A branch-free exponential for the log-sum-exp, written so that the compiler vectorises it.
//!
//! The log-sum-exp exponentiates `t - shift` with the shift at or near the largest term:
//! `x <= 0` when the shift is the maximum, and at most `600` in the fused Gaussian path
//! (whose shift may lag the maximum; see `fused`). For `x` in `[-708, 709]`:
//! `x = (n / 64) ln 2 + r` with `n = round(64 x / ln 2)` and `|r| <= ln(2)/128`, `ln(2)/64`
//! split in a high part with trailing zero bits (so `n * LN2_64_HI` is exact) and a low part
//! (Cody-Waite); `e^r` by its Taylor polynomial of degree 5 (truncation
//! `0.00542^6 / 6! < 4e-17`, a sixth of an ulp) in Horner form; `2^(n/64) = 2^k 2^(j/64)`
//! (`n = 64 k + j`) from a table of the 64 correctly rounded values `2^(j/64)`, with `k` added
//! directly to the table value's exponent bits. Below `-708` (including `-inf`) the result is
//! `0`: such a term is less than `1e-307` of the largest one and cannot change a sum of at
//! most `10^12` terms. The error is within 2 ulp of `f64::exp` over the whole range (tested).

/// `64 / ln 2`.
const LOG2_E_64: f64 = 92.332_482_616_893_66;
/// `ln(2) / 64` rounded to 36 significant bits, so that `n * LN2_64_HI` is exact for
/// `|n| < 2^17` (here `-65,372 <= n <= 65,465`).
const LN2_64_HI: f64 = f64::from_bits(0x3F86_2E42_FEFA_0000);
/// `ln(2) / 64 - LN2_64_HI`.
const LN2_64_LO: f64 = f64::from_bits(0x3D1C_F79A_BC9E_3B3A);
/// `2^(j/64)` for `j = 0..64`, correctly rounded (computed in 70-digit decimal arithmetic).
const EXP2_64THS: [f64; 64] = [
    f64::from_bits(0x3FF0000000000000),
    f64::from_bits(0x3FF02C9A3E778061),
    f64::from_bits(0x3FF059B0D3158574),
    f64::from_bits(0x3FF0874518759BC8),
    f64::from_bits(0x3FF0B5586CF9890F),
    f64::from_bits(0x3FF0E3EC32D3D1A2),
    f64::from_bits(0x3FF11301D0125B51),
    f64::from_bits(0x3FF1429AAEA92DE0),
    f64::from_bits(0x3FF172B83C7D517B),
    f64::from_bits(0x3FF1A35BEB6FCB75),
    f64::from_bits(0x3FF1D4873168B9AA),
    f64::from_bits(0x3FF2063B88628CD6),
    f64::from_bits(0x3FF2387A6E756238),
    f64::from_bits(0x3FF26B4565E27CDD),
    f64::from_bits(0x3FF29E9DF51FDEE1),
    f64::from_bits(0x3FF2D285A6E4030B),
    f64::from_bits(0x3FF306FE0A31B715),
    f64::from_bits(0x3FF33C08B26416FF),
    f64::from_bits(0x3FF371A7373AA9CB),
    f64::from_bits(0x3FF3A7DB34E59FF7),
    f64::from_bits(0x3FF3DEA64C123422),
    f64::from_bits(0x3FF4160A21F72E2A),
    f64::from_bits(0x3FF44E086061892D),
    f64::from_bits(0x3FF486A2B5C13CD0),
    f64::from_bits(0x3FF4BFDAD5362A27),
    f64::from_bits(0x3FF4F9B2769D2CA7),
    f64::from_bits(0x3FF5342B569D4F82),
    f64::from_bits(0x3FF56F4736B527DA),
    f64::from_bits(0x3FF5AB07DD485429),
    f64::from_bits(0x3FF5E76F15AD2148),
    f64::from_bits(0x3FF6247EB03A5585),
    f64::from_bits(0x3FF6623882552225),
    f64::from_bits(0x3FF6A09E667F3BCD),
    f64::from_bits(0x3FF6DFB23C651A2F),
    f64::from_bits(0x3FF71F75E8EC5F74),
    f64::from_bits(0x3FF75FEB564267C9),
    f64::from_bits(0x3FF7A11473EB0187),
    f64::from_bits(0x3FF7E2F336CF4E62),
    f64::from_bits(0x3FF82589994CCE13),
    f64::from_bits(0x3FF868D99B4492ED),
    f64::from_bits(0x3FF8ACE5422AA0DB),
    f64::from_bits(0x3FF8F1AE99157736),
    f64::from_bits(0x3FF93737B0CDC5E5),
    f64::from_bits(0x3FF97D829FDE4E50),
    f64::from_bits(0x3FF9C49182A3F090),
    f64::from_bits(0x3FFA0C667B5DE565),
    f64::from_bits(0x3FFA5503B23E255D),
    f64::from_bits(0x3FFA9E6B5579FDBF),
    f64::from_bits(0x3FFAE89F995AD3AD),
    f64::from_bits(0x3FFB33A2B84F15FB),
    f64::from_bits(0x3FFB7F76F2FB5E47),
    f64::from_bits(0x3FFBCC1E904BC1D2),
    f64::from_bits(0x3FFC199BDD85529C),
    f64::from_bits(0x3FFC67F12E57D14B),
    f64::from_bits(0x3FFCB720DCEF9069),
    f64::from_bits(0x3FFD072D4A07897C),
    f64::from_bits(0x3FFD5818DCFBA487),
    f64::from_bits(0x3FFDA9E603DB3285),
    f64::from_bits(0x3FFDFC97337B9B5F),
    f64::from_bits(0x3FFE502EE78B3FF6),
    f64::from_bits(0x3FFEA4AFA2A490DA),
    f64::from_bits(0x3FFEFA1BEE615A27),
    f64::from_bits(0x3FFF50765B6E4540),
    f64::from_bits(0x3FFFA7C1819E90D8),
];
/// `1.5 * 2^52`: adding it rounds to the nearest integer in the low mantissa bits.
const ROUND: f64 = 6_755_399_441_055_744.0;
const CUTOFF: f64 = -708.0;

/// `e^x` for `x <= 709` (`0` below `-708`); see the module docs.
#[cfg(test)]
#[inline(always)]
pub(crate) fn exp_fast(x: f64) -> f64 {
    exp_with::<false>(x)
}

/// `e^x` for `x <= 709` (`0` below `-708`), with the polynomial in fused multiply-adds when
/// `FMA` (only instantiated where the CPU has them: elsewhere `mul_add` would be a slow
/// library call). Above `709` the result is not `e^x` (the exponent field overflows): callers
/// keep their arguments at most `600`.
#[inline(always)]
pub(crate) fn exp_with<const FMA: bool>(x: f64) -> f64 {
    let step = |p: f64, r: f64, c: f64| if FMA { p.mul_add(r, c) } else { p * r + c };
    let xc = if x < CUTOFF { CUTOFF } else { x };
    // `big = ROUND + n` exactly (the sum's ulp is 1), so `nf = big - ROUND` is exact; with
    // FMA the product is not rounded first. `nf * LN2_64_HI` is exact either way.
    let big = if FMA {
        xc.mul_add(LOG2_E_64, ROUND)
    } else {
        xc * LOG2_E_64 + ROUND
    };
    let nf = big - ROUND;
    let r = if FMA {
        (-nf).mul_add(LN2_64_LO, (-nf).mul_add(LN2_64_HI, xc))
    } else {
        (xc - nf * LN2_64_HI) - nf * LN2_64_LO
    };
    let mut p = 1.0 / 120.0;
    for c in [1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
        p = step(p, r, c);
    }
    // nf is an integer in [-65372, 65465], read from the bits of big = nf + ROUND (two's
    // complement in the low mantissa bits) with 64-bit integer operations that vectorise.
    // With n = 64 k + j, -1022 <= k <= 1022 and 2^(j/64) in [1, 2): adding k to the table
    // value's biased exponent (1023) leaves it in [1, 2045], a normal number.
    let n = big.to_bits().wrapping_sub(ROUND.to_bits());
    let j = (n & 63) as usize;
    let k = (n as i64) >> 6;
    let scale = f64::from_bits(EXP2_64THS[j].to_bits().wrapping_add((k << 52) as u64));
    if x < CUTOFF {
        0.0
    } else {
        p * scale
    }
}

/// `sum_i e^(t_i - m)` over a slice (all `t_i <= m`), compiled for AVX-512, AVX2+FMA and AVX with
/// run-time dispatch, and for the baseline.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
pub(crate) fn sum_exp_shifted(terms: &[f64], m: f64) -> f64 {
    // Sixteen running sums, one per lane of two vectors: the loop body is a straight map
    // and add over fixed-size arrays, which the compiler turns into two independent vector
    // chains (no scratch buffer, no horizontal adds inside the loop).
    const LANES: usize = 16;
    let mut acc = [0.0f64; LANES];
    let chunks = terms.chunks_exact(LANES);
    let rest = chunks.remainder();
    if multiversion::target::target_cfg_f!(target_feature = "fma") {
        for c in chunks {
            for l in 0..LANES {
                acc[l] += exp_with::<true>(c[l] - m);
            }
        }
    } else {
        for c in chunks {
            for l in 0..LANES {
                acc[l] += exp_with::<false>(c[l] - m);
            }
        }
    }
    let tail: f64 = rest.iter().map(|&t| (t - m).exp()).sum();
    pairwise_lanes(acc) + tail
}

/// Sum of the lanes, pairwise in a fixed order (the result does not depend on the CPU).
#[inline(always)]
fn pairwise_lanes<const N: usize>(mut acc: [f64; N]) -> f64 {
    const { assert!(N.is_power_of_two()) };
    let mut width = N;
    while width > 1 {
        width /= 2;
        for l in 0..width {
            acc[l] += acc[l + width];
        }
    }
    acc[0]
}

/// `e^x` in single precision for `x <= 88` (`0` below `-87`, where `f32` underflows):
/// Cody-Waite reduction by `ln 2` and the degree-5 minimax polynomial of Cephes' `expf` on
/// `|r| <= ln(2)/2`, within 2 ulp of `f32` (tested). Used by the single-precision paths only
/// (the fused one takes arguments up to 60; the others at most 0).
#[inline(always)]
pub(crate) fn exp_f32(x: f32) -> f32 {
    exp_f32_with::<false>(x)
}

/// [`exp_f32`], with the polynomial in fused multiply-adds when `FMA`.
#[inline(always)]
pub(crate) fn exp_f32_with<const FMA: bool>(x: f32) -> f32 {
    const LOG2_E_F: f32 = std::f32::consts::LOG2_E;
    const LN2_HI_F: f32 = 0.693_359_4;
    const LN2_LO_F: f32 = -2.121_944_4e-4;
    const ROUND_F: f32 = 12_582_912.0; // 1.5 * 2^23
    const CUTOFF_F: f32 = -87.0;
    let step = |p: f32, r: f32, c: f32| if FMA { p.mul_add(r, c) } else { p * r + c };
    let xc = if x < CUTOFF_F { CUTOFF_F } else { x };
    let kf = (xc * LOG2_E_F + ROUND_F) - ROUND_F;
    let r = (xc - kf * LN2_HI_F) - kf * LN2_LO_F;
    let mut p = 1.987_569_2e-4_f32;
    for c in [
        1.398_199_9e-3,
        8.333_452e-3,
        4.166_579_6e-2,
        1.666_666_5e-1,
        0.5,
    ] {
        p = step(p, r, c);
    }
    let e = step(p * r, r, r) + 1.0;
    let k_bits = (kf + ROUND_F).to_bits().wrapping_sub(ROUND_F.to_bits());
    let scale = f32::from_bits(k_bits.wrapping_add(127) << 23);
    if x < CUTOFF_F {
        0.0
    } else {
        e * scale
    }
}

/// `sum_i e^(t_i - m)` with single-precision exponentials (relative error `~1e-7` per term,
/// below the single-precision path's documented accuracy), summed in `f64`.
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
pub(crate) fn sum_exp_shifted_f32(terms: &[f64], m: f64) -> f64 {
    // As `sum_exp_shifted`: sixteen lanes (one single-precision vector of exponentials),
    // each widened and added to its own `f64` running sum.
    const LANES: usize = 16;
    let mut acc = [0.0f64; LANES];
    let chunks = terms.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..LANES {
            acc[l] += f64::from(exp_f32((c[l] - m) as f32));
        }
    }
    let tail: f64 = rest
        .iter()
        .map(|&t| f64::from(exp_f32((t - m) as f32)))
        .sum();
    pairwise_lanes(acc) + tail
}

/// `sum_i e^(t_i - m)` over single-precision terms (all `t_i <= m`): sixteen exponentials
/// per single-precision vector (in fused multiply-adds where the CPU has them), summed per
/// lane in `f32` over blocks of 512 terms (at most 32 additions per lane: relative error
/// below `32 * 2^-24 ~ 2e-6`, typically `1e-7`, far inside the single-precision path's
/// `1e-4`), and the block sums in `f64`, so the error does not grow with the number of terms.
/// (Widening every vector to `f64` instead costs a third of the evaluation: the compiler
/// splits the conversion into scalar shuffles.)
#[multiversion::multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
pub(crate) fn sum_exp_shifted_single(terms: &[f32], m: f32) -> f64 {
    const LANES: usize = 16;
    const BLOCK: usize = 512;
    let mut total = 0.0f64;
    for block in terms.chunks(BLOCK) {
        let mut acc = [0.0f32; LANES];
        let chunks = block.chunks_exact(LANES);
        let rest = chunks.remainder();
        if multiversion::target::target_cfg_f!(target_feature = "fma") {
            for c in chunks {
                for l in 0..LANES {
                    acc[l] += exp_f32_with::<true>(c[l] - m);
                }
            }
        } else {
            for c in chunks {
                for l in 0..LANES {
                    acc[l] += exp_f32_with::<false>(c[l] - m);
                }
            }
        }
        let lanes: f64 = pairwise_lanes(acc.map(f64::from));
        let tail: f64 = rest.iter().map(|&t| f64::from(exp_f32(t - m))).sum();
        total += lanes + tail;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative error against `f64::exp` on a dense grid of `[-708, 0]` plus the special
    /// points; the bound is 2 ulp (`f64::exp` itself is within 1 ulp of the true value).
    #[test]
    fn matches_std_exp_over_the_whole_range() {
        let mut worst = 0.0f64;
        let n = 2_000_000;
        for i in 0..=n {
            let x = -708.0 * (i as f64 / n as f64);
            for x in [x, x - 1e-9, x + 0.5 * f64::EPSILON] {
                if !(-708.0..=0.0).contains(&x) {
                    continue;
                }
                let (got, want) = (exp_fast(x), x.exp());
                let rel = ((got - want) / want).abs();
                worst = worst.max(rel);
            }
        }
        assert!(
            worst <= 2.0 * f64::EPSILON,
            "worst relative error {worst:e}"
        );
        assert_eq!(exp_fast(0.0), 1.0);
        assert_eq!(exp_fast(-0.0), 1.0);
        assert_eq!(exp_fast(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp_fast(-800.0), 0.0);
        assert!(exp_fast(f64::NAN).is_nan());
    }

    #[test]
    fn single_precision_exp_is_within_two_ulp() {
        let n = 1_000_000;
        let mut worst = 0.0f64;
        for i in 0..=n {
            let x = -87.0f32 * (i as f32 / n as f32);
            let got = f64::from(exp_f32(x));
            let want = f64::from(x).exp();
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(worst <= 2.0 * f64::from(f32::EPSILON), "worst {worst:e}");
        // The fused variant (exact-rounded mul_add everywhere) to the same bound.
        let mut worst = 0.0f64;
        for i in 0..=n {
            let x = -87.0f32 * (i as f32 / n as f32);
            let got = f64::from(exp_f32_with::<true>(x));
            let want = f64::from(x).exp();
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(
            worst <= 2.0 * f64::from(f32::EPSILON),
            "fused: worst {worst:e}"
        );
        // The single-precision shifted sum over f32 terms, against f64 exponentials.
        let t32: Vec<f32> = (0..1003).map(|i| -((i * 37 % 101) as f32) * 0.7).collect();
        let naive: f64 = t32.iter().map(|&t| f64::from(t).exp()).sum();
        assert!((sum_exp_shifted_single(&t32, 0.0) / naive - 1.0).abs() < 1e-6);
        assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp_f32(0.0), 1.0);
        let terms: Vec<f64> = (0..1003).map(|i| -((i * 37 % 101) as f64) * 0.7).collect();
        let naive: f64 = terms.iter().map(|t| t.exp()).sum();
        assert!((sum_exp_shifted_f32(&terms, 0.0) / naive - 1.0).abs() < 1e-6);
    }

    /// The single-precision fused path exponentiates up to `60`: the same 2 ulp there, up to
    /// the documented `88` (where `k + 127 = 254` is still a normal exponent).
    #[test]
    fn single_precision_positive_arguments_up_to_88() {
        let n = 200_000;
        let mut worst = 0.0f64;
        for i in 0..=n {
            let x = 88.0f32 * (i as f32 / n as f32);
            let want = f64::from(x).exp();
            for got in [exp_f32_with::<false>(x), exp_f32_with::<true>(x)] {
                worst = worst.max((f64::from(got) - want).abs() / want);
            }
        }
        assert!(worst <= 2.0 * f64::from(f32::EPSILON), "worst {worst:e}");
    }

    /// The fused Gaussian path exponentiates up to `600` (its shift may lag the maximum):
    /// the same 2 ulp above 0, both variants, up to the documented `709`.
    #[test]
    fn positive_arguments_up_to_709() {
        let n = 400_000;
        let mut worst = 0.0f64;
        for i in 0..=n {
            let x = 709.0 * (i as f64 / n as f64);
            let want = x.exp();
            for got in [exp_with::<false>(x), exp_with::<true>(x)] {
                worst = worst.max(((got - want) / want).abs());
            }
        }
        assert!(
            worst <= 2.0 * f64::EPSILON,
            "worst relative error {worst:e}"
        );
        assert!(exp_fast(709.0).is_finite() && exp_fast(709.0) > 8.2e307);
    }

    #[test]
    fn fused_variant_matches_too() {
        // The FMA variant is only exercised at run time on CPUs with FMA; check its accuracy
        // directly wherever the test runs (mul_add is exact-rounded everywhere).
        let n = 200_000;
        let mut worst = 0.0f64;
        for i in 0..=n {
            let x = -708.0 * (i as f64 / n as f64);
            let (got, want) = (exp_with::<true>(x), x.exp());
            worst = worst.max(((got - want) / want).abs());
        }
        assert!(
            worst <= 2.0 * f64::EPSILON,
            "worst relative error {worst:e}"
        );
    }

    #[test]
    fn shifted_sum_matches_naive() {
        let terms: Vec<f64> = (0..1003).map(|i| -((i * 37 % 101) as f64) * 0.7).collect();
        let naive: f64 = terms.iter().map(|t| t.exp()).sum();
        assert!((sum_exp_shifted(&terms, 0.0) / naive - 1.0).abs() < 1e-14);
    }
}
