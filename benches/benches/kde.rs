//! Exact KDE evaluation against the machine's matrix-product peak.
//!
//! * `peak/dgemm 1024`: a 1024^3 double-precision matrix product (nalgebra, which calls
//!   `matrixmultiply`, the kernel the estimator uses): the machine's measured peak, in
//!   multiply-adds per second, single-threaded;
//! * `kde/f64` and `kde/f32`: `ln rho_hat` for `n = 20,000` data points, `m = 2,000` queries,
//!   `d = 64`, isotropic Gaussian kernel at Scott's factor — `n m d = 2.56e9` multiply-adds
//!   for the distances plus `n m = 4e7` exponentials, on all cores;
//! * `kde/f64 1 thread`: the same on one core, to compare with the single-core peak.
//!
//! `cargo xtask bench` runs these and prints the ratios (see `benches/README.md`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hdkde_benches::normal_matrix;
use hdkde_estimator::{Kde, KdeParams, Precision};

fn peak(c: &mut Criterion) {
    let n = 1024;
    let a = normal_matrix(n, n, 3);
    let b = normal_matrix(n, n, 4);
    let mut group = c.benchmark_group("peak");
    group.sample_size(10);
    group.throughput(Throughput::Elements((n * n * n) as u64));
    group.bench_function("dgemm 1024", |bench| bench.iter(|| &a * &b));
    group.finish();
}

fn kde_eval(c: &mut Criterion) {
    let data = normal_matrix(20_000, 64, 1);
    let queries = normal_matrix(2_000, 64, 2);
    // Scott's factor for this n and d: n^(-1/(d+4)).
    let h = 20_000f64.powf(-1.0 / 68.0);
    let kde = Kde::new(&data, h).expect("valid data and bandwidth");
    let kde32 = KdeParams::new(h)
        .precision(Precision::F32)
        .fit(&data)
        .expect("valid data and bandwidth");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let mut group = c.benchmark_group("kde");
    group.sample_size(10);
    group.throughput(Throughput::Elements(20_000 * 2_000 * 64));
    group.bench_function("f64", |b| {
        b.iter(|| kde.log_density(&queries).expect("valid"))
    });
    group.bench_function("f32", |b| {
        b.iter(|| kde32.log_density(&queries).expect("valid"))
    });
    group.bench_function("f64 1 thread", |b| {
        b.iter(|| one.install(|| kde.log_density(&queries).expect("valid")))
    });
    group.finish();
}

criterion_group!(benches, peak, kde_eval);
criterion_main!(benches);
