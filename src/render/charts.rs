//! Small charts beside the models: the learning-rate schedule ([`draw_schedule`]) with the current
//! step marked, and a decision tree's cost-complexity pruning path ([`draw_pruning_path`]) with the
//! train and test scores against α and the chosen α marked.
//!
//! [`schedule_view`] and [`pruning_view`] give each chart's window, so the page can map a hovered
//! pixel back to a step or an α with `Layout::to_data`.

use super::axes::{self, AxisSpec, Frame, TickFormat};
use super::clip::{draw_polyline, ClipRect};
use super::geometry::{Layout, View};
use super::palette::{
    rgb, AXIS_COLOUR, BACKGROUND_COLOUR, CURVE_COLOUR, RESIDUAL_COLOUR, TEST_COLOUR, TEXT_COLOUR, TRAIN_COLOUR,
};
use super::render_error;
use super::shapes::{self, draw_text, TextLook};
use super::words::{word, word_with};
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

/// The learning-rate line, and the marker of the current step.
pub const SCHEDULE_COLOUR: [u8; 3] = TRAIN_COLOUR;
pub const CURRENT_STEP_COLOUR: [u8; 3] = RESIDUAL_COLOUR;
/// The vertical line at the chosen α.
pub const CHOSEN_ALPHA_COLOUR: [u8; 3] = CURVE_COLOUR;

/// Sizes in CSS pixels.
mod size {
    pub const LINE: f64 = 2.0;
    pub const MARKER_LINE: f64 = 1.25;
    pub const DOT: f64 = 4.5;
    pub const DOT_OUTLINE: f64 = 1.5;
    pub const STEP_DOT: f64 = 3.0;
    pub const DASH: f64 = 5.0;
    pub const DASH_GAP: f64 = 4.0;
    pub const FONT: f64 = 11.0;
    pub const LEGEND_LINE: f64 = 18.0;
}

/// The window of the schedule chart: steps 0 to the last (or the current step, if beyond), rates
/// from 0 (or the lowest, if negative) to the highest finite rate plus 8%. With no finite rate,
/// rates 0…1.
pub fn schedule_view(rates: &[f64], current_step: usize) -> View {
    let last = rates.len().saturating_sub(1).max(current_step.min(u32::MAX as usize)).max(1);
    let finite = rates.iter().copied().filter(|r| r.is_finite());
    let (low, high) = finite.fold((0.0_f64, f64::NEG_INFINITY), |(lo, hi), r| (lo.min(r), hi.max(r)));
    let y = if high > low {
        (low - 0.08 * (high - low) * f64::from(low < 0.0), high + 0.08 * (high - low))
    } else {
        (0.0, 1.0)
    };
    View { x: (0.0, last as f64), y }.sanitized()
}

/// Draws the learning rate against the step on `root` (background included), the current step
/// marked with a vertical line and a dot on the curve, and its rate written beside the line.
/// Non-finite rates break the line; no rates draw just the axes.
///
/// The size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_schedule<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    rates: &[f64],
    current_step: usize,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let view = schedule_view(rates, current_step);
    let (plot_width, plot_height) = layout.plot_size();
    let x_axis = whole_number_axis(view.x, axes::tick_count(&layout, plot_width, 60.0));
    let y_axis = AxisSpec::linear(view.y.0, view.y.1, axes::tick_count(&layout, plot_height, 36.0));
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let (x_title, y_title) = (word("axis.step"), word("axis.learning_rate"));
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &x_title, y_title: &y_title };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;

    let css = |length: f64| length * layout.dpr;
    let stroke = |length: f64| css(length).round().max(1.0) as u32;
    let clip = ClipRect::plot(&layout);
    let pixel = |x: f64, y: f64| layout.to_pixel(&view, x, y);
    let points = rates
        .iter()
        .enumerate()
        .map(|(step, &rate)| pixel(step as f64, if rate.is_finite() { rate } else { f64::NAN }));
    draw_polyline(root, &clip, points, rgb(SCHEDULE_COLOUR).stroke_width(stroke(size::LINE)))?;
    // A rate with no finite neighbour has no line to show: a dot marks it.
    let finite = |step: Option<usize>| step.and_then(|s| rates.get(s)).is_some_and(|r| r.is_finite());
    for (step, &rate) in rates.iter().enumerate() {
        if rate.is_finite() && !finite(step.checked_sub(1)) && !finite(step.checked_add(1)) {
            let at = pixel(step as f64, rate);
            if layout.contains(at.0, at.1) {
                let centre = (at.0.round() as i32, at.1.round() as i32);
                root.draw(&Circle::new(centre, stroke(size::STEP_DOT), rgb(SCHEDULE_COLOUR).filled()))
                    .map_err(render_error)?;
            }
        }
    }

    // The current step: a vertical line over the plot, a dot on the curve, the rate beside it.
    let (x, _) = pixel(current_step as f64, 0.0);
    if layout.contains(x, layout.plot.1 as f64) {
        let (top, bottom) = (layout.plot.1 as f64, (layout.plot.3 - 1) as f64);
        let marker = rgb(CURRENT_STEP_COLOUR).mix(0.7).stroke_width(stroke(size::MARKER_LINE));
        draw_polyline(root, &clip, [(x, top), (x, bottom)], marker)?;
        if let Some(&rate) = rates.get(current_step).filter(|r| r.is_finite()) {
            let at = pixel(current_step as f64, rate);
            if layout.contains(at.0, at.1) {
                dot(root, at, css(size::DOT), CURRENT_STEP_COLOUR, css(size::DOT_OUTLINE))?;
            }
            let look = TextLook { size: css(size::FONT), colour: TEXT_COLOUR, bold: false };
            let label =
                word_with("chart.rate_at", &[("step", &current_step.to_string()), ("rate", &shapes::number(rate))]);
            // Right of the line, or left of it near the right edge.
            let (anchor, dx) = if x + css(6.0) + look.width(&label) <= layout.plot.2 as f64 {
                (HPos::Left, css(6.0))
            } else {
                (HPos::Right, -css(6.0))
            };
            draw_text(root, &label, (x + dx, top + css(4.0)), look, anchor, VPos::Top)?;
        }
    }
    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    root.present().map_err(render_error)
}

/// The window of the pruning-path chart, and whether its x-axis is log10(α).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PruningView {
    /// `view.x` in α (or log10 α when `log_scale`), `view.y` in score units.
    pub view: View,
    pub log_scale: bool,
}

impl PruningView {
    /// An α in the chart's x units: log10 α on a log axis, where α = 0 (the unpruned tree) sits at
    /// the left edge.
    pub fn x_of(&self, alpha: f64) -> f64 {
        if !self.log_scale {
            alpha
        } else if alpha > 0.0 {
            alpha.log10()
        } else {
            self.view.x.0
        }
    }
}

/// The positive α span, in decades, from which the α axis is logarithmic.
const LOG_DECADES: f64 = 2.0;

/// The window of the pruning-path chart: α on a log10 axis when the positive α span at least two
/// decades (α = 0 then sits at the left edge, a quarter decade left of the smallest positive α),
/// else linear from 0; scores from the lowest to the highest finite one, padded by 8%.
pub fn pruning_view(alphas: &[f64], train_scores: &[f64], test_scores: &[f64]) -> PruningView {
    let positive = alphas.iter().copied().filter(|a| a.is_finite() && *a > 0.0);
    let (smallest, largest) = positive.fold((f64::INFINITY, 0.0_f64), |(lo, hi), a| (lo.min(a), hi.max(a)));
    let log_scale = largest > 0.0 && (largest / smallest).log10() >= LOG_DECADES;
    let x = if log_scale {
        (smallest.log10() - 0.25, largest.log10() + 0.1)
    } else if largest > 0.0 {
        (0.0, 1.05 * largest)
    } else {
        (0.0, 1.0)
    };
    let scores = train_scores.iter().chain(test_scores).copied().filter(|s| s.is_finite());
    let (low, high) = scores.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| (lo.min(s), hi.max(s)));
    let y = if high > low {
        (low - 0.08 * (high - low), high + 0.08 * (high - low))
    } else if high == low {
        (low - 0.1, high + 0.1)
    } else {
        (0.0, 1.0)
    };
    PruningView { view: View { x, y }.sanitized(), log_scale }
}

/// Draws a cost-complexity pruning path on `root` (background included): α on x (log scale when
/// the α span two decades or more, see [`pruning_view`]), the train and test scores of the tree
/// pruned at each α as step lines (a pruned tree holds from its α up to the next) with a dot at
/// each α, a legend, and `chosen_alpha` marked by a dashed vertical line with its value. `alphas`
/// should increase; pairs with a non-finite or negative α or score are skipped, and each score
/// series uses the α it has values for.
///
/// The size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_pruning_path<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    alphas: &[f64],
    train_scores: &[f64],
    test_scores: &[f64],
    chosen_alpha: Option<f64>,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let pruning = pruning_view(alphas, train_scores, test_scores);
    let view = pruning.view;
    let (plot_width, plot_height) = layout.plot_size();
    let x_ticks = axes::tick_count(&layout, plot_width, 64.0);
    let x_axis = if pruning.log_scale {
        AxisSpec::log10(view.x.0, view.x.1, x_ticks)
    } else {
        AxisSpec::linear(view.x.0, view.x.1, x_ticks)
    };
    let y_axis = AxisSpec::linear(view.y.0, view.y.1, axes::tick_count(&layout, plot_height, 36.0));
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let x_title = word(if pruning.log_scale { "axis.ccp_alpha_log" } else { "axis.ccp_alpha" });
    let y_title = word("axis.score");
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &x_title, y_title: &y_title };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;

    let css = |length: f64| length * layout.dpr;
    let stroke = |length: f64| css(length).round().max(1.0) as u32;
    let clip = ClipRect::plot(&layout);
    let pixel = |alpha: f64, score: f64| layout.to_pixel(&view, pruning.x_of(alpha), score);
    let right_edge = if pruning.log_scale { 10f64.powf(view.x.1) } else { view.x.1 };

    // The chosen α under the lines.
    if let Some(alpha) = chosen_alpha.filter(|a| a.is_finite() && *a >= 0.0) {
        let (x, _) = pixel(alpha, 0.0);
        if layout.contains(x, layout.plot.1 as f64) {
            let (top, bottom) = (layout.plot.1 as f64, (layout.plot.3 - 1) as f64);
            let style = rgb(CHOSEN_ALPHA_COLOUR).stroke_width(stroke(size::MARKER_LINE));
            for dash in shapes::dashes(&[(x, bottom), (x, top)], css(size::DASH), css(size::DASH_GAP)) {
                draw_polyline(root, &clip, dash, style)?;
            }
            let look = TextLook { size: css(size::FONT), colour: TEXT_COLOUR, bold: false };
            let label = format!("α = {}", shapes::number(alpha));
            let (anchor, dx) = if x + css(6.0) + look.width(&label) <= layout.plot.2 as f64 {
                (HPos::Left, css(5.0))
            } else {
                (HPos::Right, -css(5.0))
            };
            draw_text(root, &label, (x + dx, bottom - css(4.0)), look, anchor, VPos::Bottom)?;
        }
    }

    let mut legend = Vec::new();
    let mut curves = Vec::new();
    let (train, test) = (word("legend.train"), word("legend.test"));
    for (name, scores, colour) in
        [(train.as_str(), train_scores, TRAIN_COLOUR), (test.as_str(), test_scores, TEST_COLOUR)]
    {
        let points: Vec<(f64, f64)> = alphas
            .iter()
            .zip(scores)
            .filter(|(a, s)| a.is_finite() && **a >= 0.0 && s.is_finite())
            .map(|(&a, &s)| (a, s))
            .collect();
        if points.is_empty() {
            continue;
        }
        // Steps: each score holds until the next α, the last one to the right edge.
        let mut steps = Vec::with_capacity(2 * points.len() + 1);
        for (i, &(alpha, score)) in points.iter().enumerate() {
            steps.push(pixel(alpha, score));
            let next = points.get(i + 1).map_or(right_edge, |p| p.0);
            steps.push(pixel(next, score));
        }
        curves.push(steps.clone());
        draw_polyline(root, &clip, steps, rgb(colour).stroke_width(stroke(size::LINE)))?;
        for &(alpha, score) in &points {
            let at = pixel(alpha, score);
            if layout.contains(at.0, at.1) {
                let at = (at.0.round() as i32, at.1.round() as i32);
                root.draw(&Circle::new(at, stroke(size::STEP_DOT), rgb(colour).filled())).map_err(render_error)?;
            }
        }
        legend.push((name, colour));
    }

    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    draw_legend(root, &layout, &legend, &curves)?;
    root.present().map_err(render_error)
}

/// A legend (a line sample and a name per entry, on a pale box) in the corner of the plot that the
/// drawn `curves` (polylines in device pixels) cross least: top right when it is free, else top
/// left, bottom right or bottom left, so the legend does not hide the lines it names.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    entries: &[(&str, [u8; 3])],
    curves: &[Vec<(f64, f64)>],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let css = |length: f64| length * layout.dpr;
    let look = TextLook { size: css(size::FONT), colour: TEXT_COLOUR, bold: false };
    let widest = entries.iter().map(|(name, _)| look.width(name)).fold(0.0, f64::max);
    let (pad, row) = (css(8.0), css(18.0));
    let box_width = pad + css(size::LEGEND_LINE) + css(6.0) + widest + pad;
    let box_height = 2.0 * pad + row * entries.len() as f64 - css(4.0);
    let (left, top) = legend_corner(layout, (box_width, box_height), css(8.0), curves);
    if left < layout.plot.0 as f64 {
        return Ok(());
    }
    let centre = (left + 0.5 * box_width, top + 0.5 * box_height);
    let fill = rgb(BACKGROUND_COLOUR).mix(0.9);
    let border = rgb(AXIS_COLOUR).mix(0.4).stroke_width(1);
    shapes::draw_rounded_box(root, centre, (0.5 * box_width, 0.5 * box_height), css(4.0), Some(fill), Some(border))?;
    for (i, (name, colour)) in entries.iter().enumerate() {
        let y = top + pad + (i as f64 + 0.5) * row - css(2.0);
        let start = left + pad;
        let style = rgb(*colour).stroke_width(css(size::LINE).round().max(1.0) as u32);
        shapes::draw_line(root, &[(start, y), (start + css(size::LEGEND_LINE), y)], style)?;
        draw_text(root, name, (start + css(size::LEGEND_LINE) + css(6.0), y), look, HPos::Left, VPos::Center)?;
    }
    Ok(())
}

/// The top-left pixel of a legend box of `size`, `inset` from the plot's edges, in the corner the
/// `curves` cross least (sampled every 2 px along each segment); ties go to top right, top left,
/// bottom right, bottom left, in that order.
pub(crate) fn legend_corner(layout: &Layout, size: (f64, f64), inset: f64, curves: &[Vec<(f64, f64)>]) -> (f64, f64) {
    let (l, t, r, b) = (layout.plot.0 as f64, layout.plot.1 as f64, layout.plot.2 as f64, layout.plot.3 as f64);
    let corners = [
        (r - inset - size.0, t + inset),
        (l + inset, t + inset),
        (r - inset - size.0, b - inset - size.1),
        (l + inset, b - inset - size.1),
    ];
    let crossings = |(x0, y0): (f64, f64)| {
        let inside =
            |(x, y): (f64, f64)| x >= x0 - 2.0 && x <= x0 + size.0 + 2.0 && y >= y0 - 2.0 && y <= y0 + size.1 + 2.0;
        let mut count = 0usize;
        for line in curves {
            if let [only] = line[..] {
                count += usize::from(inside(only));
            }
            for pair in line.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                let steps = (((bx - ax).hypot(by - ay) / 2.0).ceil() as usize).clamp(1, 4000);
                count += (0..=steps)
                    .map(|k| k as f64 / steps as f64)
                    .filter(|f| inside((ax + f * (bx - ax), ay + f * (by - ay))))
                    .count();
            }
        }
        count
    };
    let mut best = corners[0];
    let mut fewest = usize::MAX;
    for corner in corners {
        let n = crossings(corner);
        if n < fewest {
            (best, fewest) = (corner, n);
        }
    }
    best
}

/// A filled dot with a white outline (so it stands out on the line it marks).
fn dot<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (f64, f64),
    radius: f64,
    colour: [u8; 3],
    outline: f64,
) -> Result<()> {
    let centre = (at.0.round() as i32, at.1.round() as i32);
    let outer = (radius + outline).round().max(1.0) as u32;
    root.draw(&Circle::new(centre, outer, rgb(BACKGROUND_COLOUR).filled())).map_err(render_error)?;
    root.draw(&Circle::new(centre, radius.round().max(1.0) as u32, rgb(colour).filled())).map_err(render_error)
}

/// A linear axis whose ticks are whole numbers when at least two fit (steps are counted).
fn whole_number_axis((low, high): (f64, f64), max_ticks: usize) -> AxisSpec {
    let mut axis = AxisSpec::linear(low, high, max_ticks);
    if axis.ticks.iter().filter(|t| t.fract() == 0.0).count() >= 2 {
        axis.ticks.retain(|t| t.fract() == 0.0);
        axis.format = TickFormat::Fixed(0);
    }
    axis
}

/// A score per number of clusters k (k-means' elbow chart: the inertia; or the silhouette), the
/// points joined by a line, the chosen k marked by a dashed line and a larger dot. `y_title` is
/// the words key of the score's axis.
pub fn draw_k_curve<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    ks: &[usize],
    values: &[f64],
    chosen: usize,
    y_title: &str,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let points: Vec<(f64, f64)> =
        ks.iter().zip(values).filter(|(_, v)| v.is_finite()).map(|(&k, &v)| (k as f64, v)).collect();
    let k_high = points.iter().map(|p| p.0).fold(2.0, f64::max);
    let (low, high) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| (l.min(p.1), h.max(p.1)));
    let (low, high) = if low.is_finite() { (low.min(0.0), high.max(0.0)) } else { (0.0, 1.0) };
    let pad = 0.08 * (high - low).max(1e-12);
    let view = View { x: (0.5, k_high + 0.5), y: (if low < 0.0 { low - pad } else { 0.0 }, high + pad) };
    let (plot_width, plot_height) = layout.plot_size();
    let x_axis = whole_number_axis(view.x, axes::tick_count(&layout, plot_width, 40.0));
    let y_axis = AxisSpec::linear(view.y.0, view.y.1, axes::tick_count(&layout, plot_height, 36.0));
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let (x_title, y_title) = (word("axis.clusters"), word(y_title));
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &x_title, y_title: &y_title };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;

    let css = |length: f64| length * layout.dpr;
    let stroke = |length: f64| css(length).round().max(1.0) as u32;
    let clip = ClipRect::plot(&layout);
    let pixel = |k: f64, v: f64| layout.to_pixel(&view, k, v);
    let (x, _) = pixel(chosen as f64, 0.0);
    if layout.contains(x, layout.plot.1 as f64) {
        let (top, bottom) = (layout.plot.1 as f64, (layout.plot.3 - 1) as f64);
        let style = rgb(CHOSEN_ALPHA_COLOUR).stroke_width(stroke(size::MARKER_LINE));
        for dash in shapes::dashes(&[(x, bottom), (x, top)], css(size::DASH), css(size::DASH_GAP)) {
            draw_polyline(root, &clip, dash, style)?;
        }
    }
    let line: Vec<(f64, f64)> = points.iter().map(|&(k, v)| pixel(k, v)).collect();
    draw_polyline(root, &clip, line.clone(), rgb(TRAIN_COLOUR).stroke_width(stroke(size::LINE)))?;
    for (&(k, _), &at) in points.iter().zip(&line) {
        if layout.contains(at.0, at.1) {
            let (radius, colour) = if k as usize == chosen {
                (css(size::DOT), CHOSEN_ALPHA_COLOUR)
            } else {
                (css(size::STEP_DOT), TRAIN_COLOUR)
            };
            dot(root, at, radius, colour, css(size::DOT_OUTLINE))?;
        }
    }
    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    root.present().map_err(render_error)
}

#[cfg(test)]
mod tests {
    use super::super::tests::diagram_testing::{render, Rendered};
    use super::super::tests::testing::Picture;
    use super::*;

    /// Cosine decay from 0.1 to 0.001 over 100 steps.
    fn cosine() -> Vec<f64> {
        (0..100).map(|t| 0.001 + 0.0495 * (1.0 + (std::f64::consts::PI * t as f64 / 99.0).cos())).collect()
    }

    fn schedule(layout: &Layout, rates: &[f64], step: usize) -> Rendered {
        render(layout.width, layout.height, |root| draw_schedule(root, layout, rates, step))
    }

    /// α from scikit-learn-like pruning: 0, then 1e-3 … 0.14 (over two decades).
    const ALPHAS: [f64; 9] = [0.0, 0.0011, 0.0023, 0.004, 0.0081, 0.015, 0.029, 0.061, 0.14];
    const TRAIN: [f64; 9] = [1.0, 0.99, 0.975, 0.96, 0.93, 0.9, 0.86, 0.78, 0.6];
    const TEST: [f64; 9] = [0.8, 0.81, 0.83, 0.85, 0.87, 0.86, 0.84, 0.77, 0.58];

    fn pruning(layout: &Layout, alphas: &[f64], train: &[f64], test: &[f64], chosen: Option<f64>) -> Rendered {
        render(layout.width, layout.height, |root| draw_pruning_path(root, layout, alphas, train, test, chosen))
    }

    fn near(picture: &Picture, at: (f64, f64), colour: [u8; 3]) -> bool {
        let (x, y) = (at.0.round() as i32, at.1.round() as i32);
        (-1..=1).any(|dx| (-1..=1).any(|dy| picture.at(x + dx, y + dy) == colour))
    }

    /// The pixels of `colour` in column `x` of the plot.
    fn column_count(picture: &Picture, layout: &Layout, x: f64, colour: [u8; 3]) -> usize {
        let x = x.round() as i32;
        (layout.plot.1..layout.plot.3).filter(|&y| picture.at(x, y) == colour).count()
    }

    #[test]
    fn schedule_marks_the_current_step() {
        for layout in [Layout::new(500, 300, 1.0), Layout::new(1000, 600, 2.0)] {
            let rates = cosine();
            let view = schedule_view(&rates, 40);
            assert_eq!(view.x, (0.0, 99.0));
            assert_eq!(view.y.0, 0.0);
            assert!((view.y.1 - 0.1 * 1.08).abs() < 1e-3);
            let rendered = schedule(&layout, &rates, 40);
            let picture = &rendered.picture;
            // The dot on the curve at step 40, in the marker colour.
            let at = layout.to_pixel(&view, 40.0, rates[40]);
            assert_eq!(picture.at_f(at), CURRENT_STEP_COLOUR);
            // The vertical line through it, over the whole plot height.
            let marker = |y: f64| picture.at_f((at.0, y));
            for y in [layout.plot.1 as f64 + 30.0 * layout.dpr, (layout.plot.3 - 3) as f64] {
                let [r, g, b] = marker(y);
                assert!(r > 200 && g < 140 && b < 140, "marker line at row {y}: {:?}", [r, g, b]);
            }
            // The curve is drawn where the rates are, and the marker nowhere else.
            for step in [5.0, 20.0, 70.0, 95.0] {
                let p = layout.to_pixel(&view, step, rates[step as usize]);
                assert!(near(picture, p, SCHEDULE_COLOUR), "curve at step {step}");
                assert!(!near(picture, (p.0, p.1 + 20.0), CURRENT_STEP_COLOUR));
            }
            let label = rendered.texts.iter().find(|t| t.text.starts_with("step 40: ")).expect("rate label");
            assert_eq!(label.text, format!("step 40: {}", shapes::number(rates[40])));
            assert!(label.bounds().0 > at.0, "right of the line");
        }
    }

    #[test]
    fn schedule_handles_odd_input() {
        let layout = Layout::new(400, 260, 1.0);
        // A step past the schedule widens the view; there is no dot, the line is at the step.
        let rates = cosine();
        let view = schedule_view(&rates, 150);
        assert_eq!(view.x, (0.0, 150.0));
        let picture = schedule(&layout, &rates, 150).picture;
        assert!(picture.find(CURRENT_STEP_COLOUR).is_empty());
        assert!(column_count(&picture, &layout, layout.to_pixel(&view, 150.0, 0.0).0, SCHEDULE_COLOUR) == 0);
        // Empty, constant, NaN and infinite rates.
        assert_eq!(schedule_view(&[], 0), View { x: (0.0, 1.0), y: (0.0, 1.0) });
        schedule(&layout, &[], 0);
        schedule(&layout, &[0.01; 5], 2);
        let broken = [0.1, f64::NAN, 0.05, f64::INFINITY, 0.02];
        let view = schedule_view(&broken, 1);
        assert!((view.y.1 - 0.108).abs() < 1e-9, "{view:?}");
        let rendered = schedule(&layout, &broken, 1);
        assert!(rendered.picture.find(CURRENT_STEP_COLOUR).is_empty(), "no dot at a NaN rate");
        // Lone finite rates are dots.
        let dot = layout.to_pixel(&view, 2.0, 0.05);
        assert_eq!(rendered.picture.at_f(dot), SCHEDULE_COLOUR);
        schedule(&Layout::new(10, 10, 1.0), &broken, usize::MAX);
    }

    #[test]
    fn pruning_path_uses_a_log_axis_for_wide_alphas() {
        let wide = pruning_view(&ALPHAS, &TRAIN, &TEST);
        assert!(wide.log_scale);
        assert!((wide.view.x.0 - (0.0011f64.log10() - 0.25)).abs() < 1e-12);
        assert_eq!(wide.x_of(0.0), wide.view.x.0, "α = 0 at the left edge");
        assert!(
            (wide.view.y.0 - (0.58 - 0.08 * 0.42)).abs() < 1e-12 && (wide.view.y.1 - (1.0 + 0.08 * 0.42)).abs() < 1e-12
        );
        let narrow = pruning_view(&[0.0, 0.01, 0.02, 0.05], &[1.0, 0.9, 0.8, 0.7], &[]);
        assert!(!narrow.log_scale);
        assert_eq!(narrow.view.x.0, 0.0);
        assert!((narrow.view.x.1 - 0.0525).abs() < 1e-12);
        assert_eq!(pruning_view(&[], &[], &[]).view, View { x: (0.0, 1.0), y: (0.0, 1.0) });
    }

    #[test]
    fn pruning_path_draws_step_lines_and_the_chosen_alpha() {
        let layout = Layout::new(600, 360, 1.0);
        let rendered = pruning(&layout, &ALPHAS, &TRAIN, &TEST, Some(0.0081));
        let picture = &rendered.picture;
        let pv = pruning_view(&ALPHAS, &TRAIN, &TEST);
        let pixel = |alpha: f64, score: f64| layout.to_pixel(&pv.view, pv.x_of(alpha), score);
        // Between α₂ and α₃ the scores are those at α₂ (steps), in the series colours.
        let between = (ALPHAS[2] * ALPHAS[3]).sqrt();
        assert!(near(picture, pixel(between, TRAIN[2]), TRAIN_COLOUR));
        assert!(near(picture, pixel(between, TEST[2]), TEST_COLOUR));
        assert!(!near(picture, pixel(between, TRAIN[3]), TRAIN_COLOUR));
        // A dot at each α, α = 0 at the plot's left edge.
        assert_eq!(picture.at_f(pixel(ALPHAS[5], TRAIN[5])), TRAIN_COLOUR);
        assert!(near(picture, (layout.plot.0 as f64 + 2.0, pixel(0.0, TEST[0]).1), TEST_COLOUR));
        // The chosen α: a dashed vertical line over the plot, labelled.
        let x = pixel(0.0081, 0.0).0;
        let (_, plot_height) = layout.plot_size();
        let dashes = column_count(picture, &layout, x, CHOSEN_ALPHA_COLOUR);
        assert!(dashes as f64 > 0.35 * plot_height as f64 && (dashes as f64) < 0.8 * plot_height as f64, "{dashes}");
        assert_eq!(column_count(picture, &layout, x + 15.0, CHOSEN_ALPHA_COLOUR), 0);
        let label = rendered.texts_equal("α = 0.0081");
        assert_eq!(label.len(), 1);
        assert!(label[0].bounds().0 > x);
        // Without a chosen α there is no such line; the legend names both series.
        let plain = pruning(&layout, &ALPHAS, &TRAIN, &TEST, None);
        assert_eq!(column_count(&plain.picture, &layout, x, CHOSEN_ALPHA_COLOUR), 0);
        assert_eq!((plain.texts_equal("train").len(), plain.texts_equal("test").len()), (1, 1));
        assert_eq!(plain.texts_equal("ccp_alpha (log scale)").len(), 1, "the axis title says it is a log scale");
    }

    #[test]
    fn pruning_path_handles_odd_input() {
        let layout = Layout::new(500, 300, 1.0);
        pruning(&layout, &[], &[], &[], Some(0.1));
        pruning(&layout, &[0.0], &[1.0], &[0.5], Some(0.0));
        // NaN and negative α, NaN scores, series of other lengths, an absurd chosen α.
        let alphas = [0.0, f64::NAN, 0.01, -1.0, 0.03, 0.05];
        let train = [1.0, 0.9, f64::NAN, 0.8];
        let rendered = pruning(&layout, &alphas, &train, &[0.7, 0.75, 0.8, 0.7, 0.65, 0.6, 0.5], Some(f64::INFINITY));
        assert!(!rendered.picture.find(TRAIN_COLOUR).is_empty() && !rendered.picture.find(TEST_COLOUR).is_empty());
        assert!(rendered.texts.iter().all(|t| !t.text.starts_with("α =")));
        pruning(&Layout::new(12, 12, 1.0), &ALPHAS, &TRAIN, &TEST, Some(0.01));
        // The legend leaves out a series with nothing to draw.
        let only_train = pruning(&layout, &ALPHAS, &TRAIN, &[f64::NAN; 9], None);
        assert_eq!(only_train.texts_equal("test").len(), 0);
    }

    /// Pictures for a person to look at: `cargo test -- --ignored dump_chart_pictures`.
    #[test]
    #[ignore]
    fn dump_chart_pictures() {
        let layout = Layout::new(900, 360, 1.5);
        schedule(&layout, &cosine(), 40).dump("/tmp/diagram-schedule");
        let steps: Vec<f64> = (0..300).map(|t| 0.05 * 0.5f64.powi(t / 100)).collect();
        schedule(&Layout::new(600, 260, 1.0), &steps, 290).dump("/tmp/diagram-schedule-step");
        pruning(&layout, &ALPHAS, &TRAIN, &TEST, Some(0.0081)).dump("/tmp/diagram-pruning");
        let linear = [0.0, 0.01, 0.02, 0.035, 0.05];
        pruning(
            &Layout::new(600, 300, 1.0),
            &linear,
            &[1.0, 0.95, 0.9, 0.8, 0.6],
            &[0.8, 0.85, 0.86, 0.8, 0.6],
            Some(0.02),
        )
        .dump("/tmp/diagram-pruning-linear");
    }
}
