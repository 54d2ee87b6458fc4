//! The pictures of a tuning run: the optimisation history ([`draw_tune_history`]: each trial's
//! score against its number, with the best score so far as a step line) and the score over the
//! searched settings ([`draw_tune_scatter`]: for one setting, the score against it; for two, the
//! trials as points in the plane coloured from worst to best), the best trial ringed.

use super::axes::{self, AxisSpec, Frame, TickFormat};
use super::charts::draw_legend;
use super::clip::{draw_polyline, ClipRect};
use super::geometry::{Layout, View};
use super::palette::{rgb, TRAIN_COLOUR};
use super::render_error;
use super::words::word;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend};
use serde::Deserialize;

/// The best score so far: the step line of the history.
pub const BEST_COLOUR: [u8; 3] = [214, 39, 40];
/// The colour ramp of the two-setting picture, from the worst score to the best.
pub const WORST_COLOUR: [u8; 3] = [253, 231, 37];
pub const BEST_POINT_COLOUR: [u8; 3] = [68, 1, 84];

/// Sizes in CSS pixels.
mod size {
    pub const LINE: f64 = 2.0;
    pub const DOT: f64 = 3.5;
    pub const RING: f64 = 7.0;
}

/// A tuning run as the page sends it: each trial's score in order (`null` for a failed trial) and
/// whether a larger score is better; `title` names the metric (the y-axis).
#[derive(Debug, Clone, Deserialize)]
pub struct TuneHistory {
    pub scores: Vec<Option<f64>>,
    pub greater_is_better: bool,
    pub title: String,
}

/// The trials over one or two settings: `x` (and `y`) their values, `log_x` (`log_y`) whether the
/// setting is searched on a log scale, the titles the settings' names.
#[derive(Debug, Clone, Deserialize)]
pub struct TuneScatter {
    pub x: Vec<f64>,
    pub y: Option<Vec<f64>>,
    pub scores: Vec<Option<f64>>,
    pub greater_is_better: bool,
    #[serde(default)]
    pub log_x: bool,
    #[serde(default)]
    pub log_y: bool,
    pub x_title: String,
    pub y_title: String,
}

/// The best score so far after each trial (`None` until one succeeds).
pub fn best_so_far(scores: &[Option<f64>], greater_is_better: bool) -> Vec<Option<f64>> {
    let mut best: Option<f64> = None;
    scores
        .iter()
        .map(|s| {
            if let Some(s) = s.filter(|s| s.is_finite()) {
                let better = best.is_none_or(|b| if greater_is_better { s > b } else { s < b });
                if better {
                    best = Some(s);
                }
            }
            best
        })
        .collect()
}

/// The index of the best trial.
pub fn best_index(scores: &[Option<f64>], greater_is_better: bool) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, s) in scores.iter().enumerate() {
        if let Some(s) = s.filter(|s| s.is_finite()) {
            if best.is_none_or(|(_, b)| if greater_is_better { s > b } else { s < b }) {
                best = Some((i, s));
            }
        }
    }
    best.map(|(i, _)| i)
}

/// The span of finite values, padded by 8% (±0.1 around a single value; 0…1 when there is none).
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if high > low {
        (low - 0.08 * (high - low), high + 0.08 * (high - low))
    } else if high == low {
        (low - 0.1, high + 0.1)
    } else {
        (0.0, 1.0)
    }
}

/// A linear axis whose ticks are whole numbers when at least two fit.
fn whole_number_axis((low, high): (f64, f64), max_ticks: usize) -> AxisSpec {
    let mut axis = AxisSpec::linear(low, high, max_ticks);
    if axis.ticks.iter().filter(|t| t.fract() == 0.0).count() >= 2 {
        axis.ticks.retain(|t| t.fract() == 0.0);
        axis.format = TickFormat::Fixed(0);
    }
    axis
}

fn dot<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    at: (f64, f64),
    radius: f64,
    colour: [u8; 3],
) -> Result<()> {
    if !layout.contains(at.0, at.1) {
        return Ok(());
    }
    let centre = (at.0.round() as i32, at.1.round() as i32);
    let r = (radius * layout.dpr).round().max(1.0) as u32;
    root.draw(&Circle::new(centre, r, rgb(colour).filled())).map_err(render_error)
}

fn ring<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, layout: &Layout, at: (f64, f64)) -> Result<()> {
    if !layout.contains(at.0, at.1) {
        return Ok(());
    }
    let centre = (at.0.round() as i32, at.1.round() as i32);
    let r = (size::RING * layout.dpr).round().max(2.0) as u32;
    let width = (size::LINE * layout.dpr).round().max(1.0) as u32;
    root.draw(&Circle::new(centre, r, rgb(BEST_COLOUR).stroke_width(width))).map_err(render_error)
}

/// Draws the optimisation history on `root` (background included): trial 1…n on x, each trial's
/// score as a dot, the best score so far as a step line, the best trial ringed, and a legend.
pub fn draw_tune_history<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    run: &TuneHistory,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let n = run.scores.len();
    let view = View { x: (0.5, n.max(1) as f64 + 0.5), y: padded(run.scores.iter().flatten().copied()) }.sanitized();
    let (plot_width, plot_height) = layout.plot_size();
    let x_axis = whole_number_axis(view.x, axes::tick_count(&layout, plot_width, 50.0));
    let y_axis = AxisSpec::linear(view.y.0, view.y.1, axes::tick_count(&layout, plot_height, 36.0));
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let x_title = word("axis.trial");
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &x_title, y_title: &run.title };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;
    let clip = ClipRect::plot(&layout);
    let pixel = |x: f64, y: f64| layout.to_pixel(&view, x, y);
    let best = best_so_far(&run.scores, run.greater_is_better);
    let mut steps = Vec::with_capacity(2 * n);
    for (i, b) in best.iter().enumerate() {
        match b {
            Some(b) => {
                steps.push(pixel(i as f64 + 1.0, *b));
                steps.push(pixel(i as f64 + 2.0 - f64::from(i + 1 == n) * 0.5, *b));
            }
            None => steps.push((f64::NAN, f64::NAN)),
        }
    }
    let stroke = (size::LINE * layout.dpr).round().max(1.0) as u32;
    // What the legend should not cover: the step line and every dot.
    let mut drawn = vec![steps.clone()];
    draw_polyline(root, &clip, steps, rgb(BEST_COLOUR).stroke_width(stroke))?;
    for (i, s) in run.scores.iter().enumerate() {
        if let Some(s) = s.filter(|s| s.is_finite()) {
            dot(root, &layout, pixel(i as f64 + 1.0, s), size::DOT, TRAIN_COLOUR)?;
            drawn.push(vec![pixel(i as f64 + 1.0, s)]);
        }
    }
    if let Some(i) = best_index(&run.scores, run.greater_is_better) {
        if let Some(s) = run.scores[i] {
            ring(root, &layout, pixel(i as f64 + 1.0, s))?;
        }
    }
    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    let (trial, best_word) = (word("legend.trial"), word("legend.best_so_far"));
    if best.iter().any(Option::is_some) {
        draw_legend(root, &layout, &[(trial.as_str(), TRAIN_COLOUR), (best_word.as_str(), BEST_COLOUR)], &drawn)?;
    }
    root.present().map_err(render_error)
}

/// The colour of a score on the ramp from the worst (`t = 0`) to the best (`t = 1`).
pub fn ramp(t: f64) -> [u8; 3] {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    [
        mix(WORST_COLOUR[0], BEST_POINT_COLOUR[0]),
        mix(WORST_COLOUR[1], BEST_POINT_COLOUR[1]),
        mix(WORST_COLOUR[2], BEST_POINT_COLOUR[2]),
    ]
}

/// An axis over values (log10 of them on a log scale), and the map from a value to the axis.
fn value_axis(values: &[f64], log: bool, max_ticks: usize) -> (AxisSpec, (f64, f64), bool) {
    let log = log && values.iter().all(|v| *v > 0.0 || !v.is_finite());
    let at = |v: f64| if log { v.log10() } else { v };
    let span = padded(values.iter().map(|&v| at(v)));
    let axis =
        if log { AxisSpec::log10(span.0, span.1, max_ticks) } else { AxisSpec::linear(span.0, span.1, max_ticks) };
    (axis, span, log)
}

/// Draws the trials over the searched settings on `root` (background included): with one setting
/// the score against it, with two the trials in the plane of the settings coloured by score (pale
/// yellow the worst, dark purple the best). The best trial is ringed; failed trials are left out.
pub fn draw_tune_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    run: &TuneScatter,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let (plot_width, plot_height) = layout.plot_size();
    let (x_axis, x_span, log_x) = value_axis(&run.x, run.log_x, axes::tick_count(&layout, plot_width, 64.0));
    let at_x = |v: f64| if log_x { v.log10() } else { v };
    let n = run.x.len().min(run.scores.len());
    let scores: Vec<Option<f64>> = run.scores[..n].iter().map(|s| s.filter(|s| s.is_finite())).collect();
    let best = best_index(&scores, run.greater_is_better);
    let y_ticks = axes::tick_count(&layout, plot_height, 36.0);
    match run.y.as_deref() {
        None => {
            let y_span = padded(scores.iter().flatten().copied());
            let view = View { x: x_span, y: y_span }.sanitized();
            let y_axis = AxisSpec::linear(view.y.0, view.y.1, y_ticks);
            let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
            let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &run.x_title, y_title: &run.y_title };
            axes::draw_frame(&mut chart, &layout, &frame(true))?;
            for (i, s) in scores.iter().enumerate() {
                if let Some(s) = s {
                    dot(root, &layout, layout.to_pixel(&view, at_x(run.x[i]), *s), size::DOT, TRAIN_COLOUR)?;
                }
            }
            if let Some(i) = best {
                ring(root, &layout, layout.to_pixel(&view, at_x(run.x[i]), scores[i].unwrap_or(f64::NAN)))?;
            }
            axes::mask_outside_plot(root, &layout)?;
            axes::draw_frame(&mut chart, &layout, &frame(false))?;
        }
        Some(ys) => {
            let n = n.min(ys.len());
            let (y_axis, y_span, log_y) = value_axis(&ys[..n], run.log_y, y_ticks);
            let at_y = |v: f64| if log_y { v.log10() } else { v };
            let view = View { x: x_span, y: y_span }.sanitized();
            let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
            let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &run.x_title, y_title: &run.y_title };
            axes::draw_frame(&mut chart, &layout, &frame(true))?;
            let (low, high) = scores[..n]
                .iter()
                .flatten()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| (lo.min(s), hi.max(s)));
            // 0 the worst, 1 the best
            let rank = |s: f64| {
                let t = if high > low { (s - low) / (high - low) } else { 1.0 };
                if run.greater_is_better {
                    t
                } else {
                    1.0 - t
                }
            };
            // the worst first, so the good trials are drawn on top
            let mut order: Vec<usize> = (0..n).filter(|&i| scores[i].is_some()).collect();
            order.sort_by(|&a, &b| rank(scores[a].unwrap_or(0.0)).total_cmp(&rank(scores[b].unwrap_or(0.0))));
            for i in order {
                let s = scores[i].unwrap_or(f64::NAN);
                let at = layout.to_pixel(&view, at_x(run.x[i]), at_y(ys[i]));
                dot(root, &layout, at, size::DOT + 1.0, ramp(rank(s)))?;
            }
            if let Some(i) = best.filter(|&i| i < n) {
                ring(root, &layout, layout.to_pixel(&view, at_x(run.x[i]), at_y(ys[i])))?;
            }
            axes::mask_outside_plot(root, &layout)?;
            axes::draw_frame(&mut chart, &layout, &frame(false))?;
        }
    }
    root.present().map_err(render_error)
}

#[cfg(test)]
mod tests {
    use super::super::tests::diagram_testing::render;
    use super::*;

    #[test]
    fn best_so_far_follows_the_direction_of_the_metric() {
        let scores = [Some(0.5), None, Some(0.7), Some(0.6), Some(f64::NAN), Some(0.9)];
        assert_eq!(best_so_far(&scores, true), vec![Some(0.5), Some(0.5), Some(0.7), Some(0.7), Some(0.7), Some(0.9)]);
        assert_eq!(best_so_far(&scores, false), vec![Some(0.5); 6]);
        assert_eq!(best_index(&scores, true), Some(5));
        assert_eq!(best_index(&scores, false), Some(0));
        assert_eq!(best_index(&[None, None], true), None);
        assert_eq!(best_so_far(&[None, Some(1.0)], false), vec![None, Some(1.0)]);
    }

    #[test]
    fn the_ramp_runs_from_the_worst_colour_to_the_best() {
        assert_eq!(ramp(0.0), WORST_COLOUR);
        assert_eq!(ramp(1.0), BEST_POINT_COLOUR);
        assert_eq!(ramp(f64::NAN), WORST_COLOUR);
    }

    /// Whether a pixel of an RGB image is (nearly) `colour`.
    fn has(rgb_pixels: &[u8], colour: [u8; 3]) -> bool {
        rgb_pixels.chunks(3).any(|p| p.iter().zip(colour).all(|(a, b)| (*a as i32 - b as i32).abs() <= 8))
    }

    #[test]
    fn the_history_draws_the_best_so_far_line_and_the_trials() {
        let layout = Layout::new(400, 240, 1.0);
        let run = TuneHistory {
            scores: vec![Some(0.6), None, Some(0.8), Some(0.7)],
            greater_is_better: true,
            title: "accuracy".into(),
        };
        let picture = render(400, 240, |root| draw_tune_history(root, &layout, &run));
        assert!(has(&picture.picture.rgb, BEST_COLOUR), "no best-so-far line");
        assert!(has(&picture.picture.rgb, TRAIN_COLOUR), "no trial dots");
        // nothing to draw but the axes: no dot, no line, and no panic
        let empty = TuneHistory { scores: vec![], greater_is_better: false, title: "mse".into() };
        let picture = render(400, 240, |root| draw_tune_history(root, &layout, &empty));
        assert!(!has(&picture.picture.rgb, BEST_COLOUR));
    }

    #[test]
    fn two_settings_colour_the_trials_from_worst_to_best() {
        let layout = Layout::new(400, 300, 1.0);
        let run = TuneScatter {
            x: vec![0.001, 0.01, 0.1, 1.0],
            y: Some(vec![1.0, 2.0, 3.0, 4.0]),
            scores: vec![Some(0.5), Some(0.9), None, Some(0.7)],
            greater_is_better: true,
            log_x: true,
            log_y: false,
            x_title: "learning rate".into(),
            y_title: "depth".into(),
        };
        let picture = render(400, 300, |root| draw_tune_scatter(root, &layout, &run));
        assert!(has(&picture.picture.rgb, WORST_COLOUR), "the worst trial is not pale");
        assert!(has(&picture.picture.rgb, BEST_POINT_COLOUR), "the best trial is not dark");
        assert!(has(&picture.picture.rgb, BEST_COLOUR), "the best trial is not ringed");
        let one = TuneScatter { y: None, ..run };
        let picture = render(400, 300, |root| draw_tune_scatter(root, &layout, &one));
        assert!(has(&picture.picture.rgb, TRAIN_COLOUR));
    }
}
