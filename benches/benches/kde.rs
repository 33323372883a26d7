//! Exact Gaussian KDE evaluation: `n = 20,000` data points, `m = 2,000` queries, `d = 64`,
//! isotropic bandwidth (the workload of `benches/README.md`).

use criterion::{criterion_group, criterion_main, Criterion};
use hdkde_benches::normal_matrix;
use hdkde_estimator::Kde;

fn kde_eval(c: &mut Criterion) {
    let data = normal_matrix(20_000, 64, 1);
    let queries = normal_matrix(2_000, 64, 2);
    // Scott's factor for this n and d: n^(-1/(d+4)).
    let h = 20_000f64.powf(-1.0 / 68.0);
    let kde = Kde::new(&data, h).expect("valid data and bandwidth");
    let mut group = c.benchmark_group("kde");
    group.sample_size(10);
    group.bench_function("log_density n=20000 m=2000 d=64", |b| {
        b.iter(|| kde.log_density(&queries).expect("valid queries"))
    });
    group.bench_function("fit n=20000 d=64", |b| b.iter(|| Kde::new(&data, h).expect("valid")));
    group.finish();
}

criterion_group!(benches, kde_eval);
criterion_main!(benches);
