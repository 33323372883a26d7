//! A tiny reproduction end to end (files exist, figures are real SVG, the report has its
//! tables), and the reproducibility of the simulation stages for a fixed seed.

use indicatif::{ProgressBar, ProgressDrawTarget};

use super::{fluctuations, kl, run, sweep, Config, Preset};

fn svg_ok(path: &std::path::Path) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("<svg"), "{} is not an SVG", path.display());
    assert!(
        text.trim_end().ends_with("</svg>"),
        "{} is truncated",
        path.display()
    );
    // Axes, labels, legend and data: a real plot has many elements and some text.
    assert!(
        text.len() > 5_000,
        "{} has only {} bytes",
        path.display(),
        text.len()
    );
    assert!(
        text.matches("<text").count() >= 10,
        "{} has too little text",
        path.display()
    );
    assert!(
        text.contains("<polyline") || text.contains("<path"),
        "{} draws no line",
        path.display()
    );
}

#[test]
fn tiny_reproduction_writes_figures_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config::new(Preset::Tiny, 7);
    let summary = run(&cfg, dir.path()).unwrap();
    let svgs: Vec<_> = summary
        .files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert_eq!(svgs.len(), 5);
    for p in &svgs {
        svg_ok(p);
    }
    let report = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    for k in 1..=5 {
        assert!(
            report.contains(&format!("## Figure {k}:")),
            "section {k} missing"
        );
    }
    let header =
        "| quantity | theory | simulation | MC SE | deviation | dev / SE | criterion | agrees? |";
    assert_eq!(report.matches(header).count(), 5, "one table per figure");
    for part in ["## Parameters", "## Seeds", "## Versions", "## Summary"] {
        assert!(report.contains(part), "{part} missing");
    }
    assert!(!report.contains("NaN"), "a NaN reached the report");
    assert!(summary.agree.1 >= 20, "only {} rows", summary.agree.1);
}

#[test]
fn simulation_is_reproducible_for_a_fixed_seed() {
    // The random stages, twice with one seed and once with another: the numbers that feed
    // the report must repeat exactly, and must change with the seed.
    let hidden = || ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let numbers = |seed: u64| {
        let cfg = Config::new(Preset::Tiny, seed);
        let s = sweep::run(&cfg, &hidden()).unwrap();
        let f = fluctuations::simulate(&cfg, &hidden()).unwrap();
        let l = kl::select_bandwidths(&cfg, &hidden()).unwrap();
        format!("{s:?}{f:?}{l:?}")
    };
    let a = numbers(11);
    assert_eq!(a, numbers(11));
    assert_ne!(a, numbers(12));
}
