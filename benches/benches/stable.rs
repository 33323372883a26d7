//! Speed of the stable-law density: `pdf` over 1,000 points, for a few representative
//! parameter sets (target: median at most 5 us per point).

use criterion::{criterion_group, criterion_main, Criterion};
use hdkde_theory::stable::{Parameterization, Stable};
use std::hint::black_box;

/// 1,000 points spread over the bulk and the tails: `sinh` of a uniform grid.
fn points() -> Vec<f64> {
    (0..1000)
        .map(|i| {
            let t = -6.0 + 12.0 * (i as f64 + 0.5) / 1000.0;
            t.sinh()
        })
        .collect()
}

fn bench_pdf(c: &mut Criterion) {
    let xs = points();
    let cases = [
        ("alpha1.5_beta0.5_S0", 1.5, 0.5, Parameterization::S0),
        ("alpha0.7_beta-0.3_S1", 0.7, -0.3, Parameterization::S1),
        ("alpha1.9_beta1_S0", 1.9, 1.0, Parameterization::S0),
    ];
    let mut group = c.benchmark_group("stable_pdf_1000_points");
    for (name, alpha, beta, param) in cases {
        let law = Stable::new(alpha, beta, 1.0, 0.0, param).expect("valid parameters");
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut s = 0.0;
                for &x in &xs {
                    s += law.pdf(black_box(x));
                }
                black_box(s)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_pdf);
criterion_main!(benches);
