//! The chart frame shared by every picture: plotters' `ChartBuilder` with the [`Layout`]'s margins,
//! our own axis type with hand-picked ticks ([`AxisSpec`], linear or log10), readable tick labels,
//! the light grid, the axes with their titles, and the mask that clips marks at the plot's edge.

use super::geometry::{css, Layout};
use super::palette::{rgb, AXIS_COLOUR, BACKGROUND_COLOUR, GRID_COLOUR, TEXT_COLOUR};
use super::render_error;
use crate::error::Result;
use plotters::chart::{ChartBuilder, ChartContext};
use plotters::coord::ranged1d::{BoldPoints, DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::{Cartesian2d, Color, DrawingArea, DrawingBackend, IntoFont, Rectangle, TextStyle, TRANSPARENT};
use std::ops::Range;

/// Tick-label font size and axis-title font size, in CSS pixels.
pub(crate) const TICK_FONT: f64 = 12.0;
const TITLE_FONT: f64 = 13.0;
/// Tick-mark length in CSS pixels (labels sit twice this far from the axis).
const TICK_LENGTH: f64 = 4.0;

/// A chart whose both axes are [`AxisSpec`]s.
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<AxisSpec, AxisSpec>>;

/// How tick values are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TickFormat {
    /// Fixed-point with this many decimals.
    Fixed(usize),
    /// Mantissa-exponent (`2.5e6`), for very large or very small numbers.
    Scientific,
    /// The axis is in log10 units: tick `t` is labelled with the value `10^t`.
    Log10,
}

impl TickFormat {
    pub(crate) fn label(self, value: f64) -> String {
        match self {
            TickFormat::Fixed(decimals) => without_negative_zero(format!("{value:.decimals$}")),
            TickFormat::Scientific => scientific(value),
            TickFormat::Log10 => general(10f64.powf(value)),
        }
    }
}

fn without_negative_zero(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// `value` in mantissa-exponent form with at most 3 significant digits and no trailing zeros.
fn scientific(value: f64) -> String {
    let text = format!("{value:.2e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => {
            format!("{}e{exponent}", mantissa.trim_end_matches('0').trim_end_matches('.'))
        }
        _ => text,
    }
}

/// A compact label for a positive value of any size (used on log axes).
fn general(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    if !(1e-3..1e5).contains(&value.abs()) {
        return scientific(value);
    }
    let decimals = (3 - value.abs().log10().floor() as i32).max(0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// One axis: its range in chart units and the ticks (grid lines and labels) to show.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AxisSpec {
    pub low: f64,
    pub high: f64,
    pub ticks: Vec<f64>,
    pub format: TickFormat,
}

impl AxisSpec {
    /// A linear axis over `[low, high]` with at most `max_ticks` "nice" ticks (1, 2, 5 × 10^k steps).
    pub(crate) fn linear(low: f64, high: f64, max_ticks: usize) -> AxisSpec {
        let ticks = RangedCoordf64::from(low..high).key_points(BoldPoints(max_ticks.max(2)));
        let format = fixed_or_scientific(low, high, &ticks);
        AxisSpec { low, high, ticks, format }
    }

    /// A log axis: `low`, `high` and the ticks are log10 of the values. Ticks are the 1…9 or 1-2-5
    /// multiples of powers of ten if they fit, else whole decades (every other one, … if needed),
    /// else (less than a decade) nice linear values.
    pub(crate) fn log10(low: f64, high: f64, max_ticks: usize) -> AxisSpec {
        let max_ticks = max_ticks.max(2);
        let inside = |t: &f64| *t >= low - 1e-9 && *t <= high + 1e-9;
        let (first, last) = (low.ceil() as i64, high.floor() as i64);
        let decades: Vec<f64> = (first..=last).map(|k| k as f64).collect();
        let with_mantissas = |mantissas: &[f64]| -> Vec<f64> {
            (low.floor() as i64..=high.ceil() as i64)
                .flat_map(|k| mantissas.iter().map(move |m| (m * 10f64.powi(k as i32)).log10()))
                .filter(inside)
                .collect()
        };
        // The densest of 1…9, 1-2-5 and decade ticks that fits, with at least three ticks.
        let candidates =
            [with_mantissas(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]), with_mantissas(&[1.0, 2.0, 5.0])];
        let ticks = if let Some(fitting) = candidates.into_iter().find(|t| t.len() >= 3 && t.len() <= max_ticks) {
            fitting
        } else if decades.len() >= 2 {
            let stride = decades.len().div_ceil(max_ticks);
            decades.into_iter().step_by(stride).collect()
        } else {
            let (low_value, high_value) = (10f64.powf(low), 10f64.powf(high));
            RangedCoordf64::from(low_value..high_value)
                .key_points(BoldPoints(max_ticks))
                .into_iter()
                .filter(|v| *v > 0.0)
                .map(f64::log10)
                .filter(inside)
                .collect()
        };
        AxisSpec { low, high, ticks, format: TickFormat::Log10 }
    }

    pub(crate) fn label(&self, value: f64) -> String {
        self.format.label(value)
    }
}

/// Fixed-point with just enough decimals to tell the ticks apart, or scientific for extremes.
fn fixed_or_scientific(low: f64, high: f64, ticks: &[f64]) -> TickFormat {
    let step =
        ticks.windows(2).map(|pair| (pair[1] - pair[0]).abs()).filter(|step| *step > 0.0).fold(f64::INFINITY, f64::min);
    let step = if step.is_finite() { step } else { (high - low).abs().max(f64::MIN_POSITIVE) };
    let magnitude = low.abs().max(high.abs());
    if magnitude >= 1e5 || step < 1e-4 {
        return TickFormat::Scientific;
    }
    let base = (-step.log10() - 1e-9).ceil().max(0.0) as usize;
    // The fewest decimals that write every tick to within 1 % of a step. (Rounding by arithmetic,
    // not by parsing the label back: that would link the float parser and its tables.)
    (base..base + 4)
        .find(|&decimals| {
            let scale = 10f64.powi(decimals as i32);
            ticks.iter().all(|&t| ((t * scale).round() / scale - t).abs() < step * 0.01)
        })
        .map_or(TickFormat::Fixed(base), TickFormat::Fixed)
}

impl Ranged for AxisSpec {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        RangedCoordf64::from(self.low..self.high).map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only the bold (labelled) lines; no light sub-grid.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.low..self.high
    }
}

/// How many ticks fit along an axis of `pixels` device pixels, one per `spacing` CSS pixels.
pub(crate) fn tick_count(layout: &Layout, pixels: u32, spacing: f64) -> usize {
    ((pixels as f64 / layout.dpr / spacing) as usize).clamp(2, 10)
}

/// The chart frame on `root` with the layout's margins and label areas. The y-axis label area
/// reaches from the left margin to the plot's left edge `layout.plot.0`, so a chart with wider
/// labels (the bar chart's) moves that edge right.
pub(crate) fn build_chart<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    x: AxisSpec,
    y: AxisSpec,
) -> Result<Chart<'a, DB>> {
    let px = |length: f64| (length * layout.dpr).round() as i32;
    ChartBuilder::on(root)
        .margin_top(px(css::MARGIN_TOP))
        .margin_right(px(css::MARGIN_RIGHT))
        .margin_bottom(px(css::MARGIN_BOTTOM))
        .margin_left(px(css::MARGIN_LEFT))
        .x_label_area_size(px(css::X_LABEL_AREA))
        .y_label_area_size((layout.plot.0 - px(css::MARGIN_LEFT)).max(0))
        .build_cartesian_2d(x, y)
        .map_err(render_error)
}

/// Text styles scaled for the layout's device-pixel ratio.
pub(crate) fn tick_font(layout: &Layout) -> TextStyle<'static> {
    (super::FONT_FAMILY, TICK_FONT * layout.dpr).into_font().color(&rgb(TEXT_COLOUR))
}

pub(crate) fn title_font(layout: &Layout) -> TextStyle<'static> {
    (super::FONT_FAMILY, TITLE_FONT * layout.dpr).into_font().color(&rgb(TEXT_COLOUR))
}

/// What [`draw_frame`] draws.
pub(crate) struct Frame<'t> {
    pub grid: bool,
    pub axes: bool,
    pub x_title: &'t str,
    pub y_title: &'t str,
}

/// Draws the light grid and/or the axes with tick marks, tick labels and titles.
pub(crate) fn draw_frame<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    layout: &Layout,
    frame: &Frame<'_>,
) -> Result<()> {
    let (x_spec, y_spec) = (chart.as_coord_spec().x_spec().clone(), chart.as_coord_spec().y_spec().clone());
    let format_x = move |v: &f64| x_spec.label(*v);
    let format_y = move |v: &f64| y_spec.label(*v);
    let line_width = layout.px(1.0);
    let (tick_font, title_font) = (tick_font(layout), title_font(layout));
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(rgb(GRID_COLOUR).stroke_width(line_width))
        .light_line_style(TRANSPARENT)
        .axis_style(rgb(AXIS_COLOUR).stroke_width(line_width))
        .set_all_tick_mark_size(layout.px(TICK_LENGTH) as i32)
        .label_style(tick_font)
        .axis_desc_style(title_font)
        .x_label_formatter(&format_x)
        .y_label_formatter(&format_y);
    if !frame.grid {
        mesh.disable_mesh();
    }
    if frame.axes {
        if !frame.x_title.is_empty() {
            mesh.x_desc(frame.x_title);
        }
        if !frame.y_title.is_empty() {
            mesh.y_desc(frame.y_title);
        }
    } else {
        mesh.disable_axes();
    }
    mesh.draw().map_err(render_error)
}

/// Paints the background over everything outside the plotting rectangle: it hides the parts of
/// marks (point discs, thick lines) that stick out of the plot, which is the clipping plotters
/// lacks, and clears the margins of an earlier frame. Draw the axes after it.
pub(crate) fn mask_outside_plot<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, layout: &Layout) -> Result<()> {
    let (x0, y0, x1, y1) = layout.plot;
    let (width, height) = (layout.width as i32, layout.height as i32);
    let style = rgb(BACKGROUND_COLOUR).filled();
    let margins = [[(0, 0), (width, y0)], [(0, y1), (width, height)], [(0, y0), (x0, y1)], [(x1, y0), (width, y1)]];
    for margin in margins {
        root.draw(&Rectangle::new(margin, style)).map_err(render_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_labels_use_just_enough_decimals() {
        let axis = AxisSpec::linear(-1.3, 2.7, 8);
        assert_eq!(axis.ticks, vec![-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5]);
        let labels: Vec<String> = axis.ticks.iter().map(|t| axis.label(*t)).collect();
        assert_eq!(labels, ["-1.0", "-0.5", "0.0", "0.5", "1.0", "1.5", "2.0", "2.5"]);
        let axis = AxisSpec::linear(-6.0, 6.0, 5);
        let labels: Vec<String> = axis.ticks.iter().map(|t| axis.label(*t)).collect();
        assert_eq!(labels, ["-5", "0", "5"]);
        assert_eq!(TickFormat::Fixed(1).label(-0.01), "0.0");
        assert_eq!(TickFormat::Fixed(2).label(0.125), "0.12");
    }

    #[test]
    fn extreme_ranges_switch_to_scientific_labels() {
        let axis = AxisSpec::linear(0.0, 3e6, 4);
        assert_eq!(axis.format, TickFormat::Scientific);
        assert_eq!(axis.label(2e6), "2e6");
        assert_eq!(axis.label(2.5e6), "2.5e6");
        assert_eq!(AxisSpec::linear(0.0, 3e-5, 4).format, TickFormat::Scientific);
    }

    #[test]
    fn log_ticks_are_decades_or_nice_multiples() {
        // 0.001 … 10: decades.
        let axis = AxisSpec::log10(-3.0, 1.0, 6);
        assert_eq!(axis.ticks, vec![-3.0, -2.0, -1.0, 0.0, 1.0]);
        let labels: Vec<String> = axis.ticks.iter().map(|t| axis.label(*t)).collect();
        assert_eq!(labels, ["0.001", "0.01", "0.1", "1", "10"]);
        // Too many decades for the space: every other one.
        assert_eq!(AxisSpec::log10(-8.0, 0.0, 5).ticks, vec![-8.0, -6.0, -4.0, -2.0, 0.0]);
        // 0.15 … 0.9 (under a decade): 0.2 and 0.5, not enough, so 0.2, 0.3, …, 0.9.
        let axis = AxisSpec::log10(0.15f64.log10(), 0.9f64.log10(), 10);
        let labels: Vec<String> = axis.ticks.iter().map(|t| axis.label(*t)).collect();
        assert_eq!(labels, ["0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]);
        // 0.06 … 2: 1-2-5 multiples.
        let axis = AxisSpec::log10(0.06f64.log10(), 2.05f64.log10(), 5);
        let labels: Vec<String> = axis.ticks.iter().map(|t| axis.label(*t)).collect();
        assert_eq!(labels, ["0.1", "0.2", "0.5", "1", "2"]);
        assert_eq!(general(1e-5), "1e-5");
        assert_eq!(general(123456.0), "1.23e5");
    }
}
