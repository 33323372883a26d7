//! Figure 1: the phase diagram in the `(alpha, h)` plane.
//!
//! Curves `h_G(alpha)` (condensation), `h_CLT(alpha) = sqrt(2) h_G(alpha)` and
//! `h_KL(alpha) = sqrt(r_min(alpha))` of the isotropic model (`sigma = 1`), the three regions,
//! and the bandwidths simulated by the other figures. The simulation side of the figure is the
//! location of the condensation edge: the mean nearest-neighbour distance `E[min r]`, whose
//! leading order `r_min(alpha) = r*(b_G)` defines `h_G`, against its finite-`d` prediction.

use std::path::Path;

use hdkde_theory::regimes::GaussianModel;
use plotters::prelude::*;

use super::plot::{self, err};
use super::report::Section;
use super::stats::{Estimate, Row};
use super::sweep::DimResult;
use super::theory::Curves;
use super::{Config, Error};

/// File name of the figure.
const FILE: &str = "fig1_phase_diagram.svg";

/// Reference values of the specification (isotropic, sigma = 1, alpha = 0.25), with the
/// number of digits given there: (name, value, absolute tolerance of the last digit).
const REFERENCE: [(&str, f64, f64); 4] = [
    ("h_G(0.25)", 0.946_847_039_8, 1e-9),
    ("h_CLT(0.25)", 1.339_043_925_2, 1e-9),
    ("r_min(0.25)", 0.696_180_818_8, 1e-9),
    ("h_KL(0.25)", 0.834_374_5, 1e-6),
];

/// Relative allowance on `E[min r]` from the specification's measurements of the Bahadur-Rao
/// plus Gumbel prediction: within 1.5% of simulation for `n >= 8,000` and 2.6% at `n = 403`
/// (the Gumbel limit of the minimum of a few hundred draws is itself poor). We allow 2% for
/// `n >= 8,000` and 4% below.
fn min_r_allowance(n: usize, value: f64) -> f64 {
    if n >= 8000 {
        0.02 * value
    } else {
        0.04 * value
    }
}

/// Draw figure 1 and compute its rows.
pub(crate) fn figure(
    cfg: &Config,
    sweep: &[DimResult],
    curves: &[Curves],
    out: &Path,
) -> Result<Section, Error> {
    let model = GaussianModel::isotropic(1.0)?;
    let alphas = plot::linspace(0.1, 1.5, 141);
    let mut g = Vec::new();
    let mut clt = Vec::new();
    let mut kl = Vec::new();
    for &a in &alphas {
        g.push((a, model.h_g(a)?));
        clt.push((a, model.h_clt(a)?));
        kl.push((a, model.h_kl(a)?));
    }
    // Logarithmic h axis: h_CLT / h_G = sqrt(2) is then a band of constant width.
    let (a_lo, a_hi, h_lo, h_hi) = (0.1, 1.5, 0.15, 2.6);
    let path = out.join(FILE);
    {
        let root = SVGBackend::new(&path, plot::SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Phase diagram of the Gaussian KDE, n = exp(alpha d), sigma = 1",
                ("sans-serif", 22),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(
                a_lo..a_hi,
                (h_lo..h_hi)
                    .log_scale()
                    .with_key_points(vec![0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5, 2.0, 2.5]),
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("alpha = ln(n) / d")
            .y_desc("bandwidth h (log scale)")
            .y_label_formatter(&|v| format!("{v:.2}"))
            .label_style(("sans-serif", 15))
            .draw()
            .map_err(err)?;
        // Regions: filled polygons between the curves (clipped to the plot).
        let clip = |v: &[(f64, f64)]| -> Vec<(f64, f64)> {
            v.iter().map(|&(a, h)| (a, h.clamp(h_lo, h_hi))).collect()
        };
        let mut clt_region = clip(&clt);
        clt_region.push((a_hi, h_hi));
        clt_region.push((a_lo, h_hi));
        let mut stable_region = clip(&clt);
        stable_region.extend(clip(&g).into_iter().rev());
        let mut extreme_region = clip(&g);
        extreme_region.push((a_hi, h_lo));
        extreme_region.push((a_lo, h_lo));
        let fills = [
            (clt_region, RGBColor(0, 158, 115)),
            (stable_region, RGBColor(230, 159, 0)),
            (extreme_region, RGBColor(0, 114, 178)),
        ];
        for (poly, col) in fills {
            chart
                .draw_series(std::iter::once(Polygon::new(poly, col.mix(0.15).filled())))
                .map_err(err)?;
        }
        // Region names; the stable one sits inside the band where it is flattest: its text
        // box (anchored at its top-left corner) spans [a0, a0 + 0.27] in alpha.
        let a0 = 1.08;
        let band_top = model.h_clt(a0 + 0.27)?;
        let band_bottom = model.h_g(a0)?;
        let stable_top = (band_top * band_bottom).sqrt() * 1.05;
        let labels = [
            ("CLT: Gaussian fluctuations (mu > 2)", 0.45, 2.2),
            ("stable (1 < mu < 2)", a0, stable_top),
            ("extreme value: condensation (mu < 1)", 0.78, 0.2),
        ];
        for (text, a, h) in labels {
            chart
                .draw_series(std::iter::once(Text::new(
                    text.to_string(),
                    (a, h),
                    ("sans-serif", 18).into_font(),
                )))
                .map_err(err)?;
        }
        let series = [
            (clt, RGBColor(0, 110, 80), "h_CLT(alpha) = sqrt(2) h_G"),
            (g, RGBColor(0, 70, 140), "h_G(alpha): condensation"),
        ];
        for (pts, col, label) in series {
            let style = ShapeStyle::from(&col).stroke_width(3);
            chart
                .draw_series(LineSeries::new(pts, style))
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        let red = ShapeStyle::from(&RGBColor(200, 0, 0)).stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(kl, 8, 5, red))
            .map_err(err)?
            .label("h_KL(alpha) = sqrt(r_min): KL-optimal")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], red));
        // Simulated bandwidths (figures 2-4) and those of the fluctuation study (figure 5).
        let sim: Vec<(f64, f64)> = sweep
            .iter()
            .flat_map(|s| s.h.iter().map(move |&h| (s.alpha, h)))
            .collect();
        chart
            .draw_series(sim.iter().map(|&p| Cross::new(p, 5, BLACK.stroke_width(2))))
            .map_err(err)?
            .label("simulated (alpha_eff, h): figures 2-4")
            .legend(|(x, y)| Cross::new((x + 10, y), 5, BLACK.stroke_width(2)));
        let fd = cfg.fluct_dim;
        let a5 = hdkde_theory::regimes::alpha(super::data::size_for(cfg.alpha, fd), fd)?;
        let h5 = model.h_g(a5)?;
        let magenta = RGBColor(204, 121, 167);
        chart
            .draw_series(
                cfg.fluct_ratios
                    .iter()
                    .map(|r| TriangleMarker::new((a5 + 0.02, r * h5), 7, magenta.filled())),
            )
            .map_err(err)?
            .label("fluctuation study: figure 5")
            .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 6, magenta.filled()));
        plot::legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
        root.present().map_err(err)?;
    }
    let mut rows = Vec::new();
    let computed = [
        model.h_g(0.25)?,
        model.h_clt(0.25)?,
        model.r_min(0.25)?,
        model.h_kl(0.25)?,
    ];
    for ((name, reference, tol), value) in REFERENCE.iter().zip(computed) {
        rows.push(Row::new(
            format!("{name}: computed vs specification table"),
            *reference,
            Estimate { value, se: 0.0 },
            *tol,
            "digits of the table",
        ));
    }
    for (s, c) in sweep.iter().zip(curves) {
        rows.push(Row::new(
            format!("E[min r], d = {}, n = {}", s.d, s.n),
            c.min_r,
            s.min_r,
            min_r_allowance(s.n, c.min_r),
            if s.n >= 8000 {
                "2% (spec: 1.5% for n >= 8000)"
            } else {
                "4% (spec: 2.6% at n = 403)"
            },
        ));
    }
    Ok(Section {
        title: "Figure 1: phase diagram".to_string(),
        file: FILE.to_string(),
        method: "Curves from `GaussianModel::{h_g, h_clt, h_kl}`. Rows: the computed thresholds \
                 against the reference table of the specification, and the mean scaled \
                 nearest-neighbour distance `min_i |x - y_i|^2 / d` of the sweep (which places \
                 the condensation edge: `h_G = 1/sqrt(2 b_G)` with `r_min = r*(b_G)`) against the \
                 Bahadur-Rao plus Gumbel prediction `GaussianModel::expected_min_r(alpha_eff, d)`."
            .to_string(),
        rows,
        reading: format!(
            "The two thresholds split the plane into three regimes for the statistics of \
             rho_hat(x) at a fixed typical x: above h_CLT the estimate is a sum of many \
             comparable terms with Gaussian fluctuations; between h_G and h_CLT the mean still \
             dominates but the fluctuations follow a totally skewed stable law of index \
             mu = (h/h_G)^2; below h_G the sum condenses on the few nearest data points. The \
             KL-optimal bandwidth h_KL lies just below h_G at every alpha, inside the \
             extreme-value regime. The measured nearest-neighbour distances, which fix where \
             condensation starts, sit well above the leading-order r_min = {:.4} and within \
             {} of the Bahadur-Rao plus Gumbel prediction; the remaining difference, largest at \
             the smallest n, is the known bias of the Gumbel limit for the minimum of a few \
             hundred draws.",
            model.r_min(cfg.alpha)?,
            sweep
                .iter()
                .zip(curves)
                .map(|(s, c)| format!(
                    "{:.1}% at d = {}",
                    100.0 * (s.min_r.value / c.min_r - 1.0),
                    s.d
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}
