//! Every bandwidth selector on Gaussian data, with the regime of each answer.
//!
//! `cargo run --release -p hdkde-bandwidth --example selection_report -- [d] [ln_n] [seed]`
//! (default `d = 40`, `ln n = 8`, i.e. `alpha = 0.2`).

use hdkde_bandwidth::ReportParams;
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<f64> = std::env::args()
        .skip(1)
        .map(|a| a.parse::<f64>())
        .collect::<Result<_, _>>()?;
    let d = args.first().map_or(40, |&v| v as usize);
    let n = args.get(1).map_or(8f64, |&v| v).exp().round() as usize;
    let seed = args.get(2).map_or(1, |&v| v as u64);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let data = DMatrix::<f64>::from_fn(n, d, |_, _| StandardNormal.sample(&mut rng));
    let start = std::time::Instant::now();
    let report = ReportParams::new().run(&data)?;
    println!(
        "n = {n}, d = {d}, alpha = {:.4}, model = {:?}, h_G = {:.4}, h_CLT = {:.4}",
        report.alpha,
        report.model,
        report.h_g.unwrap_or(f64::NAN),
        report.h_clt.unwrap_or(f64::NAN)
    );
    println!(
        "{:<15} {:>8} {:>8} {:>8} {:>6} {:>9} {:>9}",
        "method", "scale", "factor", "regime", "mu", "Y2 pred", "Y2 meas"
    );
    for s in &report.selections {
        println!(
            "{:<15} {:>8.4} {:>8} {:>8} {:>6.3} {:>9.4} {:>9.4}",
            s.method,
            s.scale,
            s.factor.map_or("-".into(), |f| format!("{f:.4}")),
            s.regime.map_or("-".into(), |r| r.to_string()),
            s.mu.unwrap_or(f64::NAN),
            s.y2_predicted.unwrap_or(f64::NAN),
            s.y2_mean
        );
    }
    for (m, e) in &report.failures {
        println!("{m:<15} failed: {e}");
    }
    println!("({:.1} s)", start.elapsed().as_secs_f64());
    Ok(())
}
