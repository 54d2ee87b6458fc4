//! The pictures of a tuning run: the optimisation history ([`draw_tune_history`]: each trial's
//! score against its number, with the best score so far as a step line) and the score over the
//! searched settings ([`draw_tune_scatter`]: for one setting, the score against it; for two, the
//! trials as points in the plane coloured from worst to best), the best trial ringed. For
//! Bayesian search the two-setting picture has the surrogate's mean (or its uncertainty) as a
//! per-pixel surface beneath the trials, with the point expected improvement picks next marked.
//! [`draw_tune_parallel`] draws every trial as a line across one axis per setting and one for the
//! score (parallel coordinates), [`draw_tune_generations`] a genetic search's populations.

use super::axes::{self, AxisSpec, Frame, TickFormat};
use super::charts::draw_legend;
use super::clip::{draw_polyline, ClipRect};
use super::geometry::{css, Layout, View};
use super::palette::{rgb, AXIS_COLOUR, TEXT_COLOUR, TRAIN_COLOUR};
use super::raster::Raster;
use super::render_error;
use super::shapes::{draw_line, draw_text, TextLook};
use super::words::word;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend, PathElement};
use plotters::style::text_anchor::{HPos, VPos};
use serde::Deserialize;

/// The best score so far: the step line of the history.
pub const BEST_COLOUR: [u8; 3] = [214, 39, 40];
/// The colour ramp of the two-setting picture, from the worst score to the best.
pub const WORST_COLOUR: [u8; 3] = [253, 231, 37];
pub const BEST_POINT_COLOUR: [u8; 3] = [68, 1, 84];
/// The mark of the point expected improvement picks next.
pub const NEXT_COLOUR: [u8; 3] = [255, 127, 14];
/// The uncertainty surface, from none (white) to the largest on the picture.
pub const CERTAIN_COLOUR: [u8; 3] = [255, 255, 255];
pub const UNCERTAIN_COLOUR: [u8; 3] = [33, 102, 172];
/// A failed trial's line in parallel coordinates.
pub const FAILED_COLOUR: [u8; 3] = [190, 190, 190];

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
    /// Bayesian search's surrogate over the two settings, drawn beneath the trials.
    #[serde(default)]
    pub surface: Option<ScatterSurface>,
    /// The point expected improvement picks next (axis coordinates: log10 on a log axis).
    #[serde(default)]
    pub next: Option<(f64, f64)>,
}

/// A surface over the plane of two settings: `values` at the centres of an `nx` × `ny` grid over
/// `x_range` × `y_range` (axis coordinates), row by row from the bottom; the surrogate's mean
/// (coloured as the scores are) or, with `uncertainty`, its standard deviation (white to blue).
#[derive(Debug, Clone, Deserialize)]
pub struct ScatterSurface {
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f64>,
    #[serde(default)]
    pub uncertainty: bool,
}

impl ScatterSurface {
    /// The surface at axis coordinates `(x, y)`, interpolated bilinearly between cell centres.
    pub fn at(&self, x: f64, y: f64) -> f64 {
        let (nx, ny) = (self.nx, self.ny);
        if nx == 0 || ny == 0 || self.values.len() < nx * ny {
            return f64::NAN;
        }
        let cell = |v: f64, (lo, hi): (f64, f64), n: usize| {
            let t = if hi > lo { (v - lo) / (hi - lo) * n as f64 - 0.5 } else { 0.0 };
            let t = t.clamp(0.0, (n - 1) as f64);
            let i = (t.floor() as usize).min(n.saturating_sub(2));
            (i, if n > 1 { t - i as f64 } else { 0.0 })
        };
        let ((i, fx), (j, fy)) = (cell(x, self.x_range, nx), cell(y, self.y_range, ny));
        let v = |i: usize, j: usize| self.values[j.min(ny - 1) * nx + i.min(nx - 1)];
        let bottom = v(i, j) * (1.0 - fx) + v(i + 1, j) * fx;
        let top = v(i, j + 1) * (1.0 - fx) + v(i + 1, j + 1) * fx;
        bottom * (1.0 - fy) + top * fy
    }
}

/// Where a chart's raster layers go: a sink that draws `raster` with its top-left corner at
/// device pixel `(x, y)` (the canvas's `putImageData`), or, without one, pixel by pixel.
pub type RasterSink<'a> = Option<&'a mut dyn FnMut(&Raster, i32, i32) -> Result<()>>;

fn put_raster<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    raster: &Raster,
    (x, y): (i32, i32),
    sink: RasterSink<'_>,
) -> Result<()> {
    if let Some(sink) = sink {
        return sink(raster, x, y);
    }
    for j in 0..raster.height {
        for i in 0..raster.width {
            if let Some([r, g, b, _]) = raster.pixel(i, j) {
                root.draw_pixel((x + i as i32, y + j as i32), &plotters::style::RGBColor(r, g, b))
                    .map_err(render_error)?;
            }
        }
    }
    Ok(())
}

/// A colour between two, `t` from 0 to 1.
fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
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

/// A cross (×) with a white halo: the point expected improvement picks next.
fn cross<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, layout: &Layout, at: (f64, f64)) -> Result<()> {
    if !layout.contains(at.0, at.1) {
        return Ok(());
    }
    let r = (size::RING * layout.dpr).round().max(3.0) as i32;
    let (x, y) = (at.0.round() as i32, at.1.round() as i32);
    for (colour, width) in [([255, 255, 255], size::LINE + 2.0), (NEXT_COLOUR, size::LINE)] {
        let style = rgb(colour).stroke_width((width * layout.dpr).round().max(1.0) as u32);
        root.draw(&PathElement::new(vec![(x - r, y - r), (x + r, y + r)], style)).map_err(render_error)?;
        root.draw(&PathElement::new(vec![(x - r, y + r), (x + r, y - r)], style)).map_err(render_error)?;
    }
    Ok(())
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
    mix(WORST_COLOUR, BEST_POINT_COLOUR, t)
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
/// With a surface (two settings), the surface fills the plot beneath the trials (through `sink`)
/// and the axes span its ranges; `next` is marked with a cross.
pub fn draw_tune_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    run: &TuneScatter,
    sink: RasterSink<'_>,
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
            let surface = run.surface.as_ref().filter(|f| f.nx >= 1 && f.ny >= 1 && f.values.len() >= f.nx * f.ny);
            let (mut x_axis, mut x_span) = (x_axis, x_span);
            let (y_axis, y_span, log_y) = match surface {
                Some(f) => {
                    // the surface's ranges, on the same kind of axes as the trials'
                    let make = |(lo, hi): (f64, f64), log: bool, ticks: usize| {
                        if log {
                            AxisSpec::log10(lo, hi, ticks)
                        } else {
                            AxisSpec::linear(lo, hi, ticks)
                        }
                    };
                    x_axis = make(f.x_range, log_x, axes::tick_count(&layout, plot_width, 64.0));
                    x_span = f.x_range;
                    let log_y = run.log_y && ys[..n].iter().all(|v| *v > 0.0 || !v.is_finite());
                    (make(f.y_range, log_y, y_ticks), f.y_range, log_y)
                }
                None => value_axis(&ys[..n], run.log_y, y_ticks),
            };
            let at_y = |v: f64| if log_y { v.log10() } else { v };
            let view = View { x: x_span, y: y_span }.sanitized();
            let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
            let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &run.x_title, y_title: &run.y_title };
            let (mut low, mut high) = scores[..n]
                .iter()
                .flatten()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| (lo.min(s), hi.max(s)));
            if let Some(f) = surface.filter(|f| !f.uncertainty) {
                for v in f.values.iter().filter(|v| v.is_finite()) {
                    (low, high) = (low.min(*v), high.max(*v));
                }
            }
            // 0 the worst, 1 the best
            let rank = |s: f64| {
                let t = if high > low { (s - low) / (high - low) } else { 1.0 };
                if run.greater_is_better {
                    t
                } else {
                    1.0 - t
                }
            };
            match surface {
                Some(f) => {
                    let (x0, y0, x1, y1) = layout.plot;
                    let largest = f.values.iter().filter(|v| v.is_finite()).fold(0.0_f64, |a, &b| a.max(b));
                    let raster = Raster::from_fn((x1 - x0).max(0) as u32, (y1 - y0).max(0) as u32, |i, j| {
                        let (x, y) = layout.to_data(&view, (x0 + i as i32) as f64, (y0 + j as i32) as f64);
                        let v = f.at(x, y);
                        let [r, g, b] = if f.uncertainty {
                            mix(CERTAIN_COLOUR, UNCERTAIN_COLOUR, if largest > 0.0 { v / largest } else { 0.0 })
                        } else {
                            ramp(rank(v))
                        };
                        [r, g, b, 255]
                    });
                    put_raster(root, &raster, (x0, y0), sink)?;
                }
                None => axes::draw_frame(&mut chart, &layout, &frame(true))?,
            }
            // the worst first, so the good trials are drawn on top
            let mut order: Vec<usize> = (0..n).filter(|&i| scores[i].is_some()).collect();
            order.sort_by(|&a, &b| rank(scores[a].unwrap_or(0.0)).total_cmp(&rank(scores[b].unwrap_or(0.0))));
            for i in order {
                let s = scores[i].unwrap_or(f64::NAN);
                let at = layout.to_pixel(&view, at_x(run.x[i]), at_y(ys[i]));
                if surface.is_some() {
                    // an outline, so a trial stands out on a surface of its own colours
                    dot(root, &layout, at, size::DOT + 2.0, TEXT_COLOUR)?;
                }
                dot(root, &layout, at, size::DOT + 1.0, ramp(rank(s)))?;
            }
            if let Some(i) = best.filter(|&i| i < n) {
                ring(root, &layout, layout.to_pixel(&view, at_x(run.x[i]), at_y(ys[i])))?;
            }
            let next = run.next.filter(|(a, b)| a.is_finite() && b.is_finite());
            if let Some((nx, ny)) = next {
                cross(root, &layout, layout.to_pixel(&view, nx, ny))?;
            }
            axes::mask_outside_plot(root, &layout)?;
            axes::draw_frame(&mut chart, &layout, &frame(false))?;
        }
    }
    root.present().map_err(render_error)
}

/// One axis of the parallel coordinates: a searched setting's `title`, each trial's value on it
/// (`None` where the setting was inactive; log10 of the value when `log`; a categorical's choice
/// index, with `labels` naming the choices).
#[derive(Debug, Clone, Deserialize)]
pub struct ParallelAxis {
    pub title: String,
    pub values: Vec<Option<f64>>,
    #[serde(default)]
    pub log: bool,
    #[serde(default)]
    pub labels: Vec<String>,
}

/// Every trial across the searched settings and its score.
#[derive(Debug, Clone, Deserialize)]
pub struct TuneParallel {
    pub axes: Vec<ParallelAxis>,
    pub scores: Vec<Option<f64>>,
    pub greater_is_better: bool,
    pub score_title: String,
}

/// A short label of an axis value: a whole number as one (an integer setting's 10, not 10.0),
/// anything else to 3 significant digits.
fn short(v: f64, log: bool) -> String {
    let v = if log { 10f64.powf(v) } else { v };
    if !log && v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{}", v as i64)
    } else {
        crate::format::significant(v, 3)
    }
}

/// Draws parallel coordinates on `root` (background included): one vertical axis per searched
/// setting and a last one for the score, each scaled to its trials' range (a categorical's
/// choices evenly, named), and every trial as a line across them coloured by its score from the
/// worst (pale yellow) to the best (dark purple), the best on top in red. A failed trial's line is
/// grey and stops before the score axis.
pub fn draw_tune_parallel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    run: &TuneParallel,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let dp = |v: f64| v * layout.dpr;
    let n = run.scores.len();
    let count = run.axes.len() + 1;
    let (_, y0, _, y1) = layout.plot;
    // the plot box less room for the end labels above and below each axis
    let look = TextLook { size: dp(axes::TICK_FONT), colour: TEXT_COLOUR, bold: false };
    let title_look = TextLook { size: dp(axes::TICK_FONT), colour: TEXT_COLOUR, bold: true };
    // each axis in the middle of its own slot, its title fitted to the slot
    let (left, right) = (dp(css::MARGIN_LEFT), layout.width as f64 - dp(css::MARGIN_LEFT));
    let (top, bottom) = (y0 as f64 + dp(8.0), y1 as f64);
    if right <= left || bottom <= top {
        return root.present().map_err(render_error);
    }
    let slot = (right - left) / count as f64;
    let axis_x = |k: usize| left + (k as f64 + 0.5) * slot;
    // each axis's span: its values' (a categorical's choices) padded a little
    let spans: Vec<(f64, f64)> = run
        .axes
        .iter()
        .map(|a| {
            if !a.labels.is_empty() {
                (-0.25, a.labels.len() as f64 - 0.75)
            } else {
                padded(a.values.iter().flatten().copied())
            }
        })
        .chain(std::iter::once(padded(run.scores.iter().flatten().copied())))
        .collect();
    let y_of = |k: usize, v: f64| {
        let (lo, hi) = spans[k];
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        bottom - t.clamp(0.0, 1.0) * (bottom - top)
    };
    let scores: Vec<Option<f64>> = run.scores.iter().map(|s| s.filter(|v| v.is_finite())).collect();
    let (low, high) =
        scores.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| (lo.min(s), hi.max(s)));
    let rank = |s: f64| {
        let t = if high > low { (s - low) / (high - low) } else { 1.0 };
        if run.greater_is_better {
            t
        } else {
            1.0 - t
        }
    };
    let best = best_index(&scores, run.greater_is_better);
    // failed trials first, then from the worst to the best, the best last
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| if Some(i) == best { 2.0 } else { scores[i].map_or(-1.0, rank) };
        key(a).total_cmp(&key(b))
    });
    let width = dp(1.5);
    for i in order {
        let mut line: Vec<(f64, f64)> = Vec::with_capacity(count);
        for (k, a) in run.axes.iter().enumerate() {
            if let Some(v) = a.values.get(i).copied().flatten().filter(|v| v.is_finite()) {
                line.push((axis_x(k), y_of(k, v)));
            }
        }
        if let Some(s) = scores[i] {
            line.push((axis_x(count - 1), y_of(count - 1, s)));
        }
        let (colour, w) = match scores[i] {
            None => (FAILED_COLOUR, width),
            Some(_) if Some(i) == best => (BEST_COLOUR, dp(size::LINE + 1.0)),
            Some(s) => (ramp(rank(s)), width),
        };
        if line.len() >= 2 {
            draw_line(root, &line, rgb(colour).stroke_width(w.round().max(1.0) as u32))?;
        } else if let Some(&(x, y)) = line.first() {
            let r = (size::DOT * layout.dpr).round().max(1.0) as u32;
            root.draw(&Circle::new((x.round() as i32, y.round() as i32), r, rgb(colour).filled()))
                .map_err(render_error)?;
        }
    }
    // the axes, their end values (or choices) and their titles
    let axis_style = rgb(AXIS_COLOUR).stroke_width(layout.px(1.0));
    let max_title = (slot - dp(6.0)).max(dp(20.0));
    for k in 0..count {
        let x = axis_x(k);
        draw_line(root, &[(x, top), (x, bottom)], axis_style)?;
        let (title, log, labels) = match run.axes.get(k) {
            Some(a) => (a.title.as_str(), a.log, a.labels.as_slice()),
            None => (run.score_title.as_str(), false, &[][..]),
        };
        let gap = dp(4.0);
        if labels.is_empty() {
            // the smallest and largest value on the axis, at their heights
            let values: Vec<f64> = if k + 1 == count {
                scores.iter().flatten().copied().collect()
            } else {
                run.axes[k].values.iter().flatten().copied().filter(|v| v.is_finite()).collect()
            };
            let (lo_v, hi_v) =
                values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            if lo_v.is_finite() {
                draw_text(
                    root,
                    &look.fit(&short(hi_v, log), max_title),
                    (x + gap, y_of(k, hi_v)),
                    look,
                    HPos::Left,
                    VPos::Center,
                )?;
                if hi_v > lo_v {
                    draw_text(
                        root,
                        &look.fit(&short(lo_v, log), max_title),
                        (x + gap, y_of(k, lo_v)),
                        look,
                        HPos::Left,
                        VPos::Center,
                    )?;
                }
            }
        } else {
            for (c, label) in labels.iter().enumerate() {
                draw_text(
                    root,
                    &look.fit(label, max_title - gap),
                    (x + gap, y_of(k, c as f64)),
                    look,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
        }
        let title = title_look.fit(title, max_title);
        draw_text(root, &title, (x, bottom + dp(8.0)), title_look, HPos::Center, VPos::Top)?;
    }
    root.present().map_err(render_error)
}

/// A genetic search's populations: each generation's members (their scores; `None` while pending
/// or failed) and which were carried over unchanged (the elite).
#[derive(Debug, Clone, Deserialize)]
pub struct TuneGenerations {
    pub generations: Vec<Vec<GenerationMember>>,
    pub greater_is_better: bool,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GenerationMember {
    pub score: Option<f64>,
    #[serde(default)]
    pub elite: bool,
}

/// Draws the populations of a genetic search on `root` (background included): generation 1…g on
/// x, each member's score as a dot spread a little sideways (an elite as a ring: carried over,
/// not scored again), and the best of each generation joined by a line.
pub fn draw_tune_generations<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    run: &TuneGenerations,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let g = run.generations.len();
    let all = run.generations.iter().flatten().filter_map(|m| m.score.filter(|s| s.is_finite()));
    let view = View { x: (0.4, g.max(1) as f64 + 0.6), y: padded(all) }.sanitized();
    let (plot_width, plot_height) = layout.plot_size();
    let x_axis = whole_number_axis(view.x, axes::tick_count(&layout, plot_width, 50.0));
    let y_axis = AxisSpec::linear(view.y.0, view.y.1, axes::tick_count(&layout, plot_height, 36.0));
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let x_title = word("axis.generation");
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &x_title, y_title: &run.title };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;
    let pixel = |x: f64, y: f64| layout.to_pixel(&view, x, y);
    let mut best_line = Vec::with_capacity(g);
    let mut drawn = Vec::new();
    let ring_width = (size::LINE * layout.dpr * 0.75).round().max(1.0) as u32;
    for (k, members) in run.generations.iter().enumerate() {
        let count = members.len().max(1) as f64;
        let mut best: Option<f64> = None;
        for (i, m) in members.iter().enumerate() {
            let Some(s) = m.score.filter(|s| s.is_finite()) else { continue };
            if best.is_none_or(|b| if run.greater_is_better { s > b } else { s < b }) {
                best = Some(s);
            }
            // spread sideways within ±0.3 of the generation, in the members' order
            let x = k as f64 + 1.0 + 0.6 * ((i as f64 + 0.5) / count - 0.5);
            let at = pixel(x, s);
            drawn.push(vec![at]);
            if m.elite {
                if layout.contains(at.0, at.1) {
                    let r = (size::DOT * 1.4 * layout.dpr).round().max(2.0) as u32;
                    root.draw(&Circle::new(
                        (at.0.round() as i32, at.1.round() as i32),
                        r,
                        rgb(TRAIN_COLOUR).stroke_width(ring_width),
                    ))
                    .map_err(render_error)?;
                }
            } else {
                dot(root, &layout, at, size::DOT, TRAIN_COLOUR)?;
            }
        }
        match best {
            Some(b) => best_line.push(pixel(k as f64 + 1.0, b)),
            None => best_line.push((f64::NAN, f64::NAN)),
        }
    }
    let clip = ClipRect::plot(&layout);
    let stroke = (size::LINE * layout.dpr).round().max(1.0) as u32;
    drawn.push(best_line.clone());
    draw_polyline(root, &clip, best_line, rgb(BEST_COLOUR).stroke_width(stroke))?;
    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    if g > 0 {
        let (member, elite, best) = (word("legend.member"), word("legend.elite"), word("legend.best_of_generation"));
        draw_legend(
            root,
            &layout,
            &[(member.as_str(), TRAIN_COLOUR), (elite.as_str(), TRAIN_COLOUR), (best.as_str(), BEST_COLOUR)][..],
            &drawn,
        )?;
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
            surface: None,
            next: None,
        };
        let picture = render(400, 300, |root| draw_tune_scatter(root, &layout, &run, None));
        assert!(has(&picture.picture.rgb, WORST_COLOUR), "the worst trial is not pale");
        assert!(has(&picture.picture.rgb, BEST_POINT_COLOUR), "the best trial is not dark");
        assert!(has(&picture.picture.rgb, BEST_COLOUR), "the best trial is not ringed");
        let one = TuneScatter { y: None, ..run };
        let picture = render(400, 300, |root| draw_tune_scatter(root, &layout, &one, None));
        assert!(has(&picture.picture.rgb, TRAIN_COLOUR));
    }

    /// The RGB pixel at `(x, y)`.
    fn pixel(p: &crate::render::tests::testing::Picture, x: u32, y: u32) -> [u8; 3] {
        let i = 3 * (y * p.width + x) as usize;
        [p.rgb[i], p.rgb[i + 1], p.rgb[i + 2]]
    }

    #[test]
    fn the_surrogate_surface_fills_the_plot_beneath_the_trials() {
        // a mean that grows to the right (x from 0 to 1) on a 3 × 2 grid, minimised: the left
        // edge is the best colour, the right the worst; the pick is marked
        let layout = Layout::new(400, 300, 1.0);
        let surface = ScatterSurface {
            x_range: (0.0, 1.0),
            y_range: (0.0, 1.0),
            nx: 3,
            ny: 2,
            values: vec![0.0, 0.5, 1.0, 0.0, 0.5, 1.0],
            uncertainty: false,
        };
        assert!((surface.at(0.5, 0.3) - 0.5).abs() < 1e-12);
        assert!((surface.at(1.0 / 3.0, 0.9) - 0.25).abs() < 1e-12, "{}", surface.at(1.0 / 3.0, 0.9));
        assert_eq!(surface.at(-5.0, 0.0), 0.0);
        let run = TuneScatter {
            x: vec![0.2, 0.8],
            y: Some(vec![0.5, 0.5]),
            scores: vec![Some(0.2), Some(0.8)],
            greater_is_better: false,
            log_x: false,
            log_y: false,
            x_title: "a".into(),
            y_title: "b".into(),
            surface: Some(surface.clone()),
            next: Some((0.05, 0.9)),
        };
        let picture = render(400, 300, |root| draw_tune_scatter(root, &layout, &run, None)).picture;
        let (x0, y0, x1, y1) = layout.plot;
        let middle = ((y0 + y1) / 2) as u32;
        assert_eq!(pixel(&picture, x0 as u32 + 2, middle), BEST_POINT_COLOUR, "the best edge");
        assert_eq!(pixel(&picture, x1 as u32 - 2, middle), WORST_COLOUR, "the worst edge");
        assert!(has(&picture.rgb, NEXT_COLOUR), "no mark of EI's pick");
        // through a sink, the raster is handed over whole, the size of the plot
        let mut got = None;
        let mut sink = |r: &Raster, x: i32, y: i32| {
            got = Some((r.width, r.height, x, y));
            Ok(())
        };
        render(400, 300, |root| draw_tune_scatter(root, &layout, &run, Some(&mut sink)));
        assert_eq!(got, Some(((x1 - x0) as u32, (y1 - y0) as u32, x0, y0)));
        // the uncertainty: white where it is none, blue where it is the largest
        let sd = TuneScatter {
            surface: Some(ScatterSurface { values: vec![0.0, 0.0, 0.0, 2.0, 2.0, 2.0], uncertainty: true, ..surface }),
            ..run
        };
        let picture = render(400, 300, |root| draw_tune_scatter(root, &layout, &sd, None)).picture;
        assert_eq!(pixel(&picture, (x0 + 3) as u32, (y1 - 2) as u32), CERTAIN_COLOUR);
        assert_eq!(pixel(&picture, (x0 + 3) as u32, (y0 + 2) as u32), UNCERTAIN_COLOUR);
    }

    #[test]
    fn an_axis_end_is_written_as_a_whole_number_when_it_is_one() {
        // an integer setting (depth 1 … 10) reads 1 and 10, not 1.00 and 10.0
        assert_eq!((short(10.0, false), short(1.0, false), short(-3.0, false)), ("10".into(), "1".into(), "-3".into()));
        assert_eq!((short(0.825, false), short(0.0625, false)), ("0.825".into(), "0.0625".into()));
        // a log axis holds log10 of the value: its ends are written to 3 digits
        assert_eq!(short(-2.0, true), crate::format::significant(0.01, 3));
    }

    #[test]
    fn parallel_coordinates_draw_a_line_per_trial_coloured_by_score() {
        let layout = Layout::new(500, 300, 1.0);
        let run = TuneParallel {
            axes: vec![
                ParallelAxis {
                    title: "rate".into(),
                    values: vec![Some(-3.0), Some(-1.0), Some(-2.0)],
                    log: true,
                    labels: vec![],
                },
                ParallelAxis {
                    title: "activation".into(),
                    values: vec![Some(0.0), Some(1.0), None],
                    log: false,
                    labels: vec!["tanh".into(), "relu".into()],
                },
            ],
            scores: vec![Some(0.6), Some(0.9), None],
            greater_is_better: true,
            score_title: "accuracy".into(),
        };
        let drawn = render(500, 300, |root| draw_tune_parallel(root, &layout, &run));
        assert!(has(&drawn.picture.rgb, BEST_COLOUR), "the best trial's line");
        assert!(has(&drawn.picture.rgb, WORST_COLOUR), "the worst trial's line");
        assert!(has(&drawn.picture.rgb, FAILED_COLOUR), "the failed trial's line");
        let texts: Vec<&str> = drawn.texts.iter().map(|t| t.text.as_str()).collect();
        for want in ["rate", "activation", "accuracy", "tanh", "relu"] {
            assert!(texts.contains(&want), "{want} not in {texts:?}");
        }
        // the rate axis is labelled in values, not logarithms
        assert!(texts.iter().any(|t| t.starts_with("0.0")), "{texts:?}");
        // nothing to draw: no panic
        let empty = TuneParallel { axes: vec![], scores: vec![], greater_is_better: false, score_title: "mse".into() };
        render(500, 300, |root| draw_tune_parallel(root, &layout, &empty));
    }

    #[test]
    fn generations_show_members_elites_and_the_best_line() {
        let layout = Layout::new(400, 260, 1.0);
        let m = |score: Option<f64>, elite: bool| GenerationMember { score, elite };
        let run = TuneGenerations {
            generations: vec![
                vec![m(Some(0.5), false), m(Some(0.7), false), m(None, false)],
                vec![m(Some(0.7), true), m(Some(0.8), false), m(Some(0.6), false)],
            ],
            greater_is_better: true,
            title: "accuracy".into(),
        };
        let drawn = render(400, 260, |root| draw_tune_generations(root, &layout, &run));
        assert!(has(&drawn.picture.rgb, BEST_COLOUR));
        assert!(has(&drawn.picture.rgb, TRAIN_COLOUR));
        let texts: Vec<&str> = drawn.texts.iter().map(|t| t.text.as_str()).collect();
        assert!(texts.contains(&"generation") && texts.contains(&"elite (carried over)"), "{texts:?}");
    }
}
