//! Drawing from a kernel density estimate given as raw parts.

use hdkde_kernels::{Kernel, RadialLaw};
use nalgebra::DMatrix;
use rand::distr::Distribution;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::factor::{fill_standard_normal, fill_unit_direction};
use crate::{AliasTable, Bandwidth, SampleMatrix, SamplerError};

/// Exact sampler of the kernel density estimate
/// `rho_hat(x) = sum_i w_i |L|^-1 K(L^-1 (x - y_i))`, built from its raw parts: the data
/// points `y_i` (borrowed, row-major, no copy), optional weights `w_i`, a kernel `K` of
/// [`hdkde_kernels`] and a [`Bandwidth`] `H = L L^T`.
///
/// A draw picks `i` with probability `w_i / sum w` (uniformly without weights; alias method
/// with weights, `O(1)` either way), then returns `y_i + L U` with `U ~ K`:
/// `U = R V`, `R` from the kernel's [`RadialLaw`] and `V` uniform on the unit sphere; for the
/// Gaussian kernel `U` is drawn directly as `d` standard normals (the same law, cheaper).
/// Every step is exact with a bounded amount of work: no rejection.
///
/// Cost per draw: `d` normals, one radius, and `d` (scalar or diagonal `L`) or `d^2 / 2`
/// (full `L`) flops.
///
/// ```
/// use hdkde_kernels::Kernel;
/// use hdkde_samplers::{Bandwidth, KdeSampler, SampleMatrix};
///
/// // Three points of R^2, one per row.
/// let data = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0];
/// let kde = KdeSampler::new(
///     &data,
///     2,
///     Some(&[1.0, 1.0, 2.0]),
///     Kernel::Epanechnikov,
///     Bandwidth::scalar(0.1).unwrap(),
/// )
/// .unwrap();
/// let x = kde.sample_row_major(1000, 3);
/// // Every draw is within h = 0.1 of a data point (compact kernel).
/// for p in x.chunks_exact(2) {
///     let near = data
///         .chunks_exact(2)
///         .any(|y| (p[0] - y[0]).hypot(p[1] - y[1]) <= 0.1 + 1e-12);
///     assert!(near);
/// }
/// ```
#[derive(Debug, Clone)]
pub struct KdeSampler<'a> {
    data: &'a [f64],
    d: usize,
    pick: Pick,
    noise: Noise,
    kernel: Kernel,
    bandwidth: Bandwidth,
}

#[derive(Debug, Clone)]
enum Pick {
    Uniform(usize),
    Weighted(AliasTable),
}

#[derive(Debug, Clone)]
enum Noise {
    /// `U` = `d` standard normals.
    Normal,
    /// `U = R V`.
    Radial(RadialLaw),
}

impl<'a> KdeSampler<'a> {
    /// The KDE of the `n = data.len() / dim` points stored row-major in `data` (point `i` at
    /// `data[i dim .. (i + 1) dim]`).
    ///
    /// `weights`: `None` for equal weights, or `n` non-negative finite weights, not all zero
    /// (any scale; they are normalised).
    ///
    /// # Errors
    /// [`SamplerError::ZeroDimension`], [`SamplerError::RaggedBuffer`] if `data` is not a
    /// whole number of rows, [`SamplerError::Empty`] for no points,
    /// [`SamplerError::NonFinite`] for a NaN or infinite coordinate,
    /// [`SamplerError::LengthMismatch`] for `n` weights expected or a bandwidth of another
    /// dimension, the weight errors of [`AliasTable::new`].
    pub fn new(
        data: &'a [f64],
        dim: usize,
        weights: Option<&[f64]>,
        kernel: Kernel,
        bandwidth: Bandwidth,
    ) -> Result<Self, SamplerError> {
        if dim == 0 {
            return Err(SamplerError::ZeroDimension);
        }
        if data.len() % dim != 0 {
            return Err(SamplerError::RaggedBuffer {
                len: data.len(),
                dim,
            });
        }
        let n = data.len() / dim;
        if n == 0 {
            return Err(SamplerError::Empty);
        }
        if data.iter().any(|v| !v.is_finite()) {
            return Err(SamplerError::NonFinite);
        }
        if let Some(own) = bandwidth.dim() {
            if own != dim {
                return Err(SamplerError::LengthMismatch {
                    expected: dim,
                    found: own,
                });
            }
        }
        let pick = match weights {
            None => Pick::Uniform(n),
            Some(w) => {
                if w.len() != n {
                    return Err(SamplerError::LengthMismatch {
                        expected: n,
                        found: w.len(),
                    });
                }
                Pick::Weighted(AliasTable::new(w)?)
            }
        };
        let noise = match kernel {
            Kernel::Gaussian => Noise::Normal,
            _ => Noise::Radial(RadialLaw::new(kernel.in_dim(dim)?)),
        };
        Ok(KdeSampler {
            data,
            d: dim,
            pick,
            noise,
            kernel,
            bandwidth,
        })
    }

    /// Number of data points `n`.
    pub fn len(&self) -> usize {
        self.data.len() / self.d
    }

    /// Always `false`: a sampler has at least one point.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The data, row-major.
    pub fn data(&self) -> &'a [f64] {
        self.data
    }

    /// Data point `i` (`None` if `i >= n`).
    pub fn point(&self, i: usize) -> Option<&'a [f64]> {
        let start = i.checked_mul(self.d)?;
        self.data.get(start..start.checked_add(self.d)?)
    }

    /// The normalised weight of point `i` (`1/n` without weights; `0` if `i >= n`).
    pub fn weight(&self, i: usize) -> f64 {
        match &self.pick {
            Pick::Uniform(n) if i < *n => 1.0 / *n as f64,
            Pick::Uniform(_) => 0.0,
            Pick::Weighted(t) => t.probability(i),
        }
    }

    /// The kernel.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// The bandwidth.
    pub fn bandwidth(&self) -> &Bandwidth {
        &self.bandwidth
    }

    /// The bandwidth factor `L` (`d x d`, lower triangular).
    pub fn bandwidth_factor(&self) -> DMatrix<f64> {
        self.bandwidth.factor_ref().matrix(self.d)
    }

    #[inline]
    fn fill_one<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        let i = match &self.pick {
            Pick::Uniform(n) => rng.random_range(0..*n),
            Pick::Weighted(t) => t.sample(rng),
        };
        match &self.noise {
            Noise::Normal => fill_standard_normal(rng, out),
            Noise::Radial(law) => {
                fill_unit_direction(rng, out);
                let r = law.sample(rng);
                out.iter_mut().for_each(|v| *v *= r);
            }
        }
        // Bandwidth factors are scalar, diagonal or lower triangular: no scratch needed.
        self.bandwidth.factor_ref().apply(out, &mut []);
        let y = &self.data[i * self.d..(i + 1) * self.d];
        out.iter_mut().zip(y).for_each(|(v, y)| *v += y);
    }
}

impl Distribution<Vec<f64>> for KdeSampler<'_> {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        let mut out = vec![0.0; self.d];
        self.fill_one(rng, &mut out);
        out
    }
}

impl SampleMatrix for KdeSampler<'_> {
    fn dim(&self) -> usize {
        self.d
    }

    fn fill_rows(&self, rng: &mut ChaCha8Rng, rows: &mut [f64]) {
        for row in rows.chunks_exact_mut(self.d) {
            self.fill_one(rng, row);
        }
    }
}

#[cfg(test)]
mod tests;
