//! `cargo xtask bench --scaling`: how the estimator's time grows with `n`, `m` and `d`.
//!
//! Each panel varies one of `n` (data points), `m` (queries) and `d` (dimension) around the
//! base workload `n = 20,000, m = 2,000, d = 64` and plots the time relative to the base point
//! against the parameter relative to its base value, on log-log axes, with the line of
//! proportional growth (the `n m d` cost of the distances) for reference. Ratios only: the
//! figure is comparable across machines. Written as SVG to `docs/figures/`.

use std::path::Path;
use std::time::Instant;

use hdkde_estimator::Kde;
use hdkde_samplers::{Gaussian, SampleMatrix};
use plotters::prelude::*;

const BASE: (usize, usize, usize) = (20_000, 2_000, 64);

/// Median wall time (s) of `log_density` over `reps` runs.
fn time_eval(n: usize, m: usize, d: usize, reps: usize) -> Result<f64, String> {
    let g = Gaussian::standard(d).map_err(|e| e.to_string())?;
    let data = g.sample_matrix(n, 1);
    let queries = g.sample_matrix(m, 2);
    let h = (n as f64).powf(-1.0 / (d as f64 + 4.0));
    let kde = Kde::new(&data, h).map_err(|e| e.to_string())?;
    let mut t: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let s = Instant::now();
            let v = kde.log_density(&queries);
            std::hint::black_box(v.ok());
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    Ok(t[t.len() / 2])
}

/// Measure the three sweeps and draw `scaling.svg` in `dir`; returns the markdown table.
pub(crate) fn run(dir: &Path, reps: usize) -> Result<String, String> {
    let base = time_eval(BASE.0, BASE.1, BASE.2, reps)?;
    let factors = [0.25, 0.5, 1.0, 2.0, 4.0];
    let mut series: Vec<(&str, Vec<(f64, f64)>)> = Vec::new();
    let mut table = String::from(
        "| varied | x / base | time / base time | (n m d) / base |\n|---|---|---|---|\n",
    );
    for (name, which) in [("n", 0), ("m", 1), ("d", 2)] {
        let mut pts = Vec::new();
        for &f in &factors {
            let (mut n, mut m, mut d) = BASE;
            match which {
                0 => n = (n as f64 * f) as usize,
                1 => m = (m as f64 * f) as usize,
                _ => d = (d as f64 * f) as usize,
            }
            let t = if f == 1.0 {
                base
            } else {
                time_eval(n, m, d, reps)?
            };
            pts.push((f, t / base));
            table += &format!("| {name} | {f} | {:.3} | {f} |\n", t / base);
        }
        series.push((name, pts));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("scaling.svg");
    draw(&path, &series).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(table)
}

fn draw(path: &Path, series: &[(&str, Vec<(f64, f64)>)]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (800, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Exact KDE: time relative to n=20000, m=2000, d=64",
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d((0.2f64..5.0).log_scale(), (0.03f64..8.0).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("parameter / base value")
        .y_desc("time / base time")
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            [(0.2, 0.2), (5.0, 5.0)],
            ShapeStyle::from(&BLACK.mix(0.5)).stroke_width(1),
        ))?
        .label("proportional (n m d)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.5)));
    let colours = [
        RGBColor(0, 114, 178),
        RGBColor(213, 94, 0),
        RGBColor(0, 158, 115),
    ];
    for ((name, pts), c) in series.iter().zip(colours) {
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), c.stroke_width(2)))?
            .label(format!("vary {name}"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, c.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    root.present()?;
    Ok(())
}
