//! The Compress panel's curves ([`draw_compress_curve`]): a score against a compression setting
//! (sparsity, bits, temperature, student size), one line with dots per series (fine-tuned and
//! one-shot pruning, distilled and label-only students, the original or teacher as a reference
//! line), and a legend. The page sends the series already worded in its language.

use super::axes::{self, AxisSpec, Frame};
use super::charts::draw_legend;
use super::clip::{draw_polyline, ClipRect};
use super::geometry::{Layout, View};
use super::palette::{rgb, GUIDE_COLOUR, TEST_COLOUR, TRAIN_COLOUR};
use super::render_error;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend};
use serde::Deserialize;

/// The colours of the series in order; a reference line (`reference: true`) is grey and dashed.
pub const SERIES_COLOURS: [[u8; 3]; 3] = [TRAIN_COLOUR, TEST_COLOUR, [44, 160, 44]];

/// One line: its name (already worded), its points (setting, score), and whether it is a
/// reference (the uncompressed model) rather than a measured series.
#[derive(Debug, Clone, Deserialize)]
pub struct CurveSeries {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    #[serde(default)]
    pub reference: bool,
}

/// A curve as the page sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct CompressCurve {
    pub series: Vec<CurveSeries>,
    pub x_title: String,
    pub y_title: String,
    /// A log axis for the setting (temperature, student size).
    #[serde(default)]
    pub log_x: bool,
}

/// Sizes in CSS pixels.
mod size {
    pub const LINE: f64 = 2.0;
    pub const DOT: f64 = 3.5;
    pub const DASH: f64 = 5.0;
    pub const DASH_GAP: f64 = 4.0;
}

/// The span of finite values, padded by 8% (±0.05 around a single value; 0…1 with none).
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if high > low {
        (low - 0.08 * (high - low), high + 0.08 * (high - low))
    } else if high == low {
        (low - 0.05, high + 0.05)
    } else {
        (0.0, 1.0)
    }
}

/// Draws the curve on `root` (background included). Points with a non-finite value (or a
/// non-positive setting on a log axis) are skipped.
pub fn draw_compress_curve<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    curve: &CompressCurve,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let x_of = |x: f64| {
        if curve.log_x {
            if x > 0.0 {
                x.log10()
            } else {
                f64::NAN
            }
        } else {
            x
        }
    };
    let points = || curve.series.iter().flat_map(|s| s.points.iter().copied());
    let xs = points().map(|(x, _)| x_of(x)).filter(|x| x.is_finite());
    let (x_low, x_high) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let x = if x_high > x_low {
        let pad = 0.04 * (x_high - x_low);
        (x_low - pad, x_high + pad)
    } else if x_high == x_low {
        (x_low - 0.5, x_high + 0.5)
    } else {
        (0.0, 1.0)
    };
    let view = View { x, y: padded(points().map(|(_, y)| y)) }.sanitized();
    let (plot_width, plot_height) = layout.plot_size();
    let x_ticks = axes::tick_count(&layout, plot_width, 50.0);
    let x_axis = if curve.log_x {
        AxisSpec::log10(view.x.0, view.x.1, x_ticks)
    } else {
        AxisSpec::linear(view.x.0, view.x.1, x_ticks)
    };
    let y_axis = AxisSpec::linear(view.y.0, view.y.1, axes::tick_count(&layout, plot_height, 36.0));
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &curve.x_title, y_title: &curve.y_title };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;
    let clip = ClipRect::plot(&layout);
    let css = |length: f64| length * layout.dpr;
    let stroke = css(size::LINE).round().max(1.0) as u32;
    let radius = css(size::DOT).round().max(1.0) as u32;
    let mut legend = Vec::new();
    let mut drawn = Vec::new();
    let mut measured = 0;
    for series in &curve.series {
        let colour = if series.reference {
            GUIDE_COLOUR
        } else {
            measured += 1;
            SERIES_COLOURS[(measured - 1) % SERIES_COLOURS.len()]
        };
        let pixels: Vec<(f64, f64)> = series
            .points
            .iter()
            .filter(|(x, y)| x_of(*x).is_finite() && y.is_finite())
            .map(|&(x, y)| layout.to_pixel(&view, x_of(x), y))
            .collect();
        if pixels.is_empty() {
            continue;
        }
        let style = rgb(colour).stroke_width(stroke);
        if series.reference {
            for dash in super::shapes::dashes(&pixels, css(size::DASH), css(size::DASH_GAP)) {
                draw_polyline(root, &clip, dash, style)?;
            }
        } else {
            draw_polyline(root, &clip, pixels.clone(), style)?;
            for &(px, py) in &pixels {
                if layout.contains(px, py) {
                    let centre = (px.round() as i32, py.round() as i32);
                    root.draw(&Circle::new(centre, radius, rgb(colour).filled())).map_err(render_error)?;
                }
            }
        }
        legend.push((series.name.as_str(), colour));
        drawn.push(pixels);
    }
    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    draw_legend(root, &layout, &legend, &drawn)?;
    root.present().map_err(render_error)
}

#[cfg(test)]
mod tests {
    use super::super::tests::diagram_testing::render;
    use super::*;

    /// How many pixels of an RGB image are (nearly) `colour`.
    fn count(rgb_pixels: &[u8], colour: [u8; 3]) -> usize {
        rgb_pixels.chunks(3).filter(|p| p.iter().zip(colour).all(|(a, b)| (*a as i32 - b as i32).abs() <= 8)).count()
    }

    #[test]
    fn a_curve_draws_each_series_in_its_colour_and_the_reference_in_grey() {
        let layout = Layout::new(360, 220, 1.0);
        let series = |name: &str, points: &[(f64, f64)], reference: bool| CurveSeries {
            name: name.into(),
            points: points.to_vec(),
            reference,
        };
        let curve = CompressCurve {
            series: vec![
                series("fine-tuned", &[(0.0, 0.95), (0.5, 0.94), (0.9, 0.9)], false),
                series("one shot", &[(0.0, 0.95), (0.5, 0.8), (0.9, 0.5)], false),
                series("original", &[(0.0, 0.95), (0.9, 0.95)], true),
            ],
            x_title: "sparsity".into(),
            y_title: "accuracy".into(),
            log_x: false,
        };
        let picture = render(360, 220, |root| draw_compress_curve(root, &layout, &curve));
        assert!(count(&picture.picture.rgb, SERIES_COLOURS[0]) > 30, "the first series is drawn");
        assert!(count(&picture.picture.rgb, SERIES_COLOURS[1]) > 30, "the second series is drawn");
        // a log axis leaves out settings that are not positive, and nothing at all draws the axes
        let log = CompressCurve { log_x: true, ..curve };
        let picture = render(360, 220, |root| draw_compress_curve(root, &layout, &log));
        assert!(count(&picture.picture.rgb, SERIES_COLOURS[0]) > 10);
        let empty =
            CompressCurve { series: Vec::new(), x_title: "bits".into(), y_title: "accuracy".into(), log_x: false };
        let picture = render(360, 220, |root| draw_compress_curve(root, &layout, &empty));
        assert_eq!(count(&picture.picture.rgb, SERIES_COLOURS[0]), 0);
    }
}
