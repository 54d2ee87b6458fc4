//! The loss chart: the objective per epoch on the training and the test set, with a legend.
//!
//! [`loss_view`] says which window (and whether a log10 y-axis) the chart uses, so the page can map
//! a hovered pixel back to an epoch with `Layout::to_data`.

use super::axes::{self, AxisSpec, Frame, TickFormat};
use super::clip::{draw_polyline, ClipRect};
use super::geometry::{Layout, View};
use super::palette::{rgb, TEST_COLOUR, TRAIN_COLOUR};
use super::render_error;
use super::words::word;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend};
use serde::{Deserialize, Serialize};

/// The losses recorded during training: `train[i]` and `test[i]` after epoch `epochs[i]`. The
/// vectors may differ in length (e.g. no test set): each series uses the epochs it has values for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LossHistory {
    pub epochs: Vec<u64>,
    /// True when each value follows a refit of a model that solves at once (a closed form, a
    /// tree grown whole) rather than an epoch of training: the x axis counts refits then.
    pub refits: bool,
    pub train: Vec<f64>,
    pub test: Vec<f64>,
    /// The epoch the time machine shows (while scrubbing): drawn as a vertical line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<u64>,
}

/// The window of the loss chart: `view.x` in epochs, `view.y` in loss units, or in log10 of the
/// loss when `log_scale` (then the tick labels show `10^y`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LossView {
    pub view: View,
    pub log_scale: bool,
}

impl LossView {
    /// A loss value in the chart's y units (log10 of it on a log axis).
    pub fn y_of(&self, loss: f64) -> f64 {
        if self.log_scale {
            loss.log10()
        } else {
            loss
        }
    }
}

/// The finite `(epoch, value)` pairs of one series.
fn series<'a>(epochs: &'a [u64], values: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
    epochs.iter().zip(values).map(|(&e, &v)| (e as f64, v))
}

/// The window of the chart for `history`: epochs from the first to the last, losses from the
/// smallest to the largest finite value with 5% padding. The y-axis is log10 only if asked and
/// every finite loss is positive. An empty history shows epochs 0…10 and losses 0…1.
pub fn loss_view(history: &LossHistory, log_scale: bool) -> LossView {
    let points: Vec<(f64, f64)> = series(&history.epochs, &history.train)
        .chain(series(&history.epochs, &history.test))
        .filter(|(_, v)| v.is_finite())
        .collect();
    if points.is_empty() {
        return LossView { view: View { x: (0.0, 10.0), y: (0.0, 1.0) }, log_scale: false };
    }
    let log_scale = log_scale && points.iter().all(|(_, v)| *v > 0.0);
    let min_max = |values: &mut dyn Iterator<Item = f64>| {
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let (first, last) = min_max(&mut points.iter().map(|p| p.0));
    let x = if last > first { (first, last) } else { (first - 1.0, first + 1.0) };
    let to_axis = |v: f64| if log_scale { v.log10() } else { v };
    let (low, high) = min_max(&mut points.iter().map(|p| to_axis(p.1)));
    let span = high - low;
    let y = if span > 0.0 {
        (low - 0.05 * span, high + 0.05 * span)
    } else if log_scale {
        (low - 0.5, high + 0.5)
    } else {
        let pad = (0.1 * low.abs()).max(1e-3);
        (low - pad, high + pad)
    };
    LossView { view: View { x, y }.sanitized(), log_scale }
}

/// Draws the loss chart on `root` (background included): epochs on x, loss on y (log scale when
/// `log_scale` and all values are positive), the train loss in the train colour and the test loss
/// in the test colour, and a legend. An empty history draws just the axes; non-finite values are
/// skipped (the line breaks there).
///
/// The chart's size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_loss<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    history: &LossHistory,
    log_scale: bool,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let loss_view = loss_view(history, log_scale);
    let view = loss_view.view;
    let (plot_width, plot_height) = layout.plot_size();
    let mut x_axis = AxisSpec::linear(view.x.0, view.x.1, axes::tick_count(&layout, plot_width, 60.0));
    // Epochs are whole numbers: no tick at epoch 2.5.
    if x_axis.ticks.iter().filter(|t| t.fract() == 0.0).count() >= 2 {
        x_axis.ticks.retain(|t| t.fract() == 0.0);
        x_axis.format = TickFormat::Fixed(0);
    }
    let y_ticks = axes::tick_count(&layout, plot_height, 40.0);
    let y_axis = if loss_view.log_scale {
        AxisSpec::log10(view.y.0, view.y.1, y_ticks)
    } else {
        AxisSpec::linear(view.y.0, view.y.1, y_ticks)
    };
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let y_title = word(if loss_view.log_scale { "axis.loss_log" } else { "axis.loss" });
    let x_title = word(if history.refits { "axis.refit" } else { "axis.epoch" });
    axes::draw_frame(&mut chart, &layout, &Frame { grid: true, axes: true, x_title: &x_title, y_title: &y_title })?;

    // The lines are drawn by hand (clipped, at Layout::to_pixel), and so is the legend (plotters'
    // series labels measure their text with a styled <span>, which a strict CSP refuses).
    let line_width = ((2.0 * layout.dpr).ceil() as u32).max(2);
    let clip = ClipRect::plot(&layout);
    let mut legend = Vec::new();
    let mut curves = Vec::new();
    let (train, test) = (word("legend.train"), word("legend.test"));
    for (name, values, colour) in [(&train, &history.train, TRAIN_COLOUR), (&test, &history.test, TEST_COLOUR)] {
        let style = rgb(colour).stroke_width(line_width);
        let runs = finite_runs(series(&history.epochs, values), &loss_view);
        for run in &runs {
            let pixels = run.iter().map(|&(epoch, y)| layout.to_pixel(&view, epoch, y));
            curves.push(pixels.clone().collect::<Vec<_>>());
            if let [(epoch, y)] = run[..] {
                // A lone value has no line to show; a dot marks it.
                let (px, py) = layout.to_pixel(&view, epoch, y);
                let dot = Circle::new((px.round() as i32, py.round() as i32), line_width + 1, rgb(colour).filled());
                root.draw(&dot).map_err(render_error)?;
            } else {
                draw_polyline(root, &clip, pixels, style)?;
            }
        }
        if !runs.is_empty() {
            legend.push((name.as_str(), colour));
        }
    }
    if let Some(epoch) = history.mark.map(|e| e as f64).filter(|e| (view.x.0..=view.x.1).contains(e)) {
        // the scrubbed epoch: a line across the plot
        let (top, bottom) = (layout.to_pixel(&view, epoch, view.y.1), layout.to_pixel(&view, epoch, view.y.0));
        let style = rgb(MARK_COLOUR).stroke_width(line_width);
        draw_polyline(root, &clip, [top, bottom], style)?;
    }
    super::charts::draw_legend(root, &layout, &legend, &curves)?;
    root.present().map_err(render_error)
}

/// The scrubbed epoch's line: a dark grey both loss colours stand out from.
const MARK_COLOUR: [u8; 3] = [68, 68, 68];

/// The runs of consecutive points with a finite (and, on a log axis, positive) loss, in chart units.
fn finite_runs(points: impl Iterator<Item = (f64, f64)>, view: &LossView) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (epoch, loss) in points {
        let y = view.y_of(loss);
        match runs.last_mut() {
            Some(run) if y.is_finite() => run.push((epoch, y)),
            Some(run) if !run.is_empty() => runs.push(Vec::new()),
            _ => {}
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}
