//! Shared plotting helpers: colours, error bars, error conversion.

use std::fmt::Display;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::CoordTranslate;
use plotters::prelude::*;

use super::stats::Estimate;
use super::Error;

/// Figure size in pixels.
pub(crate) const SIZE: (u32, u32) = (960, 640);

/// One colour per dimension (colour-blind-safe qualitative palette, Okabe and Ito 2008).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];

/// The colour of series `i`.
pub(crate) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Converts any plotting error into ours.
pub(crate) fn err<E: Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}

/// A 2-D chart with `f64` axes, as built by every figure.
pub(crate) type Chart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draw `y +- se` error bars (vertical segment with caps) and a marker at each point.
pub(crate) fn error_bars(
    chart: &mut Chart<'_, '_>,
    points: &[(f64, Estimate)],
    cap: f64,
    color: RGBColor,
    label: &str,
) -> Result<(), Error> {
    let style = ShapeStyle::from(&color).stroke_width(2);
    for &(x, e) in points {
        let (lo, hi) = (e.value - e.se, e.value + e.se);
        chart
            .draw_series([
                PathElement::new(vec![(x, lo), (x, hi)], style),
                PathElement::new(vec![(x - cap, lo), (x + cap, lo)], style),
                PathElement::new(vec![(x - cap, hi), (x + cap, hi)], style),
            ])
            .map_err(err)?;
    }
    chart
        .draw_series(
            points
                .iter()
                .map(|&(x, e)| Circle::new((x, e.value), 4, color.filled())),
        )
        .map_err(err)?
        .label(label)
        .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
    Ok(())
}

/// Draw a solid curve with a legend entry.
pub(crate) fn curve(
    chart: &mut Chart<'_, '_>,
    points: Vec<(f64, f64)>,
    color: RGBColor,
    width: u32,
    label: &str,
) -> Result<(), Error> {
    let style = ShapeStyle::from(&color).stroke_width(width);
    chart
        .draw_series(LineSeries::new(points, style))
        .map_err(err)?
        .label(label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    Ok(())
}

/// Draw a dashed curve with a legend entry.
pub(crate) fn dashed(
    chart: &mut Chart<'_, '_>,
    points: Vec<(f64, f64)>,
    color: RGBColor,
    label: &str,
) -> Result<(), Error> {
    let style = ShapeStyle::from(&color).stroke_width(2);
    chart
        .draw_series(DashedLineSeries::new(points, 8, 5, style))
        .map_err(err)?
        .label(label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], style));
    Ok(())
}

/// Draw a vertical marker line at `x` over `[y0, y1]` with a text label at height `y_text`.
pub(crate) fn vline(
    chart: &mut Chart<'_, '_>,
    x: f64,
    (y0, y1): (f64, f64),
    y_text: f64,
    color: RGBColor,
    text: &str,
) -> Result<(), Error> {
    let style = ShapeStyle::from(&color).stroke_width(1);
    chart
        .draw_series(DashedLineSeries::new(vec![(x, y0), (x, y1)], 4, 4, style))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!(" {text}"),
            (x, y_text),
            ("sans-serif", 15).into_font().color(&color),
        )))
        .map_err(err)?;
    Ok(())
}

/// Standard legend box in the given corner (any coordinate system).
pub(crate) fn legend<'a, 'b: 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    pos: SeriesLabelPosition,
) -> Result<(), Error> {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 15))
        .draw()
        .map_err(err)
}

/// Evenly spaced grid of `k >= 2` points on `[a, b]`.
pub(crate) fn linspace(a: f64, b: f64, k: usize) -> Vec<f64> {
    let k = k.max(2);
    (0..k)
        .map(|i| a + (b - a) * i as f64 / (k - 1) as f64)
        .collect()
}
