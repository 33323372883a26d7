//! Data generation: `1,000,000 x 100` standard normals (the workload the samplers are tuned
//! for; target at least 150 million normals per second on 2 cores), plus the other paths at
//! smaller sizes. Elements are values (`n d`), so criterion reports values per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hdkde_samplers::{Bandwidth, Gaussian, KdeSampler, Kernel, SampleMatrix};
use nalgebra::DMatrix;

fn standard_normals(c: &mut Criterion) {
    let (n, d) = (1_000_000usize, 100usize);
    let g = Gaussian::standard(d).expect("d > 0");
    let mut group = c.benchmark_group("samplers/standard normal 1e6 x 100");
    group.sample_size(10);
    group.throughput(Throughput::Elements((n * d) as u64));
    // Generation alone, into a buffer that is reused (the caller owns the memory).
    let mut buf = vec![0.0; n * d];
    group.bench_function("fill_row_major", |b| {
        b.iter(|| g.fill_row_major(&mut buf, 1).expect("whole rows"))
    });
    drop(buf);
    // Including the allocation (and the first touch) of 800 MB.
    group.bench_function("sample_row_major", |b| b.iter(|| g.sample_row_major(n, 1)));
    // Including the transpose into nalgebra's column-major storage.
    group.bench_function("sample_matrix", |b| b.iter(|| g.sample_matrix(n, 1)));
    group.finish();
}

fn other_laws(c: &mut Criterion) {
    let (n, d) = (100_000usize, 100usize);
    let mut group = c.benchmark_group("samplers/1e5 x 100");
    group.sample_size(10);
    group.throughput(Throughput::Elements((n * d) as u64));
    let mut buf = vec![0.0; n * d];
    let cov = DMatrix::from_fn(d, d, |i, j| 0.5f64.powi((i as i32 - j as i32).abs()));
    let full = Gaussian::full(vec![0.0; d], &cov).expect("SPD");
    group.bench_function("gaussian full covariance", |b| {
        b.iter(|| full.fill_row_major(&mut buf, 2).expect("whole rows"))
    });
    let eig: Vec<f64> = (1..=d).map(|i| 1.0 / i as f64).collect();
    let rotated = Gaussian::spectrum(vec![0.0; d], &eig, Some(3)).expect("positive spectrum");
    group.bench_function("gaussian rotated spectrum", |b| {
        b.iter(|| rotated.fill_row_major(&mut buf, 2).expect("whole rows"))
    });
    let data = Gaussian::standard(d)
        .expect("d > 0")
        .sample_row_major(10_000, 4);
    for kernel in [
        Kernel::Gaussian,
        Kernel::Epanechnikov,
        Kernel::StudentT { dof: 3.0 },
    ] {
        let kde = KdeSampler::new(
            &data,
            d,
            None,
            kernel,
            Bandwidth::scalar(0.5).expect("h > 0"),
        )
        .expect("valid KDE");
        group.bench_function(format!("kde {kernel} scalar h"), |b| {
            b.iter(|| kde.fill_row_major(&mut buf, 5).expect("whole rows"))
        });
    }
    let l = Bandwidth::from_matrix(&(cov * 0.25)).expect("SPD");
    let kde = KdeSampler::new(&data, d, None, Kernel::Epanechnikov, l).expect("valid KDE");
    group.bench_function("kde epanechnikov full bandwidth", |b| {
        b.iter(|| kde.fill_row_major(&mut buf, 6).expect("whole rows"))
    });
    group.finish();
}

criterion_group!(benches, standard_normals, other_laws);
criterion_main!(benches);
