//! Random streams: every draw of the reproduction derives from `--seed` and a fixed task index.
//!
//! A stream seed is `mix(seed, stage, a, b)` (SplitMix64 finalisers chained over the
//! arguments), where `stage` names the part of the reproduction and `(a, b)` the work item
//! inside it (e.g. dimension and data-set number). Streams never depend on the thread that
//! consumes them, so a run is reproducible bit for bit whatever the schedule.

use hdkde_samplers::{Gaussian, SampleMatrix};

use super::Error;

/// The parts of the reproduction that draw random numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Data sets of the bandwidth sweep (figures 1-4).
    SweepData = 1,
    /// Test points of the bandwidth sweep.
    SweepQueries = 2,
    /// Data sets for likelihood cross-validation (figure 4).
    LcvData = 3,
    /// Data sets of the fluctuation study (figure 5).
    FluctuationData = 4,
    /// The fixed test point of the fluctuation study.
    FluctuationQuery = 5,
}

/// SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014): a bijection of `u64` with
/// good avalanche, used to decorrelate neighbouring seeds.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of work item `(a, b)` of `stage` under the run seed `seed`.
pub(crate) fn stream_seed(seed: u64, stage: Stage, a: u64, b: u64) -> u64 {
    splitmix(splitmix(splitmix(splitmix(seed) ^ stage as u64) ^ a) ^ b)
}

/// `n` independent draws of `N(0, I_d)`, row-major (`n * d` values), from the stream `seed`.
pub(crate) fn standard_normal_rows(n: usize, d: usize, seed: u64) -> Result<Vec<f64>, Error> {
    let law = Gaussian::standard(d)?;
    Ok(law.sample_row_major(n, seed))
}

/// `n = round(e^(alpha d))`, the data-set size of the scaling `alpha = ln(n) / d`.
pub(crate) fn size_for(alpha: f64, d: usize) -> usize {
    // alpha d <= ~13 in every preset, so the value is far inside usize.
    (alpha * d as f64).exp().round().max(2.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_and_repeat() {
        let a = stream_seed(7, Stage::SweepData, 20, 0);
        assert_eq!(a, stream_seed(7, Stage::SweepData, 20, 0));
        assert_ne!(a, stream_seed(7, Stage::SweepData, 20, 1));
        assert_ne!(a, stream_seed(7, Stage::SweepQueries, 20, 0));
        assert_ne!(a, stream_seed(8, Stage::SweepData, 20, 0));
    }

    #[test]
    fn sizes_follow_alpha() {
        assert_eq!(size_for(0.25, 40), 22026);
        assert_eq!(size_for(0.25, 20), 148);
        let x = standard_normal_rows(10, 3, 1).unwrap();
        assert_eq!(x.len(), 30);
        assert_eq!(x, standard_normal_rows(10, 3, 1).unwrap());
    }
}
