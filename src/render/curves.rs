//! Evaluation charts for classifiers: the ROC curve ([`draw_roc`]), the precision-recall curve
//! ([`draw_precision_recall`]) and horizontal bars
//! ([`draw_bars`], for feature importance or per-class recall).

use super::axes::{self, AxisSpec, Frame, TickFormat};
use super::clip::{draw_dashed_line, draw_polyline, ClipRect};
use super::geometry::{css, Layout, View};
use super::marks::{size, Marks};
use super::palette::{rgb, AXIS_COLOUR, BACKGROUND_COLOUR, BAR_COLOUR, GUIDE_COLOUR, ROC_COLOUR};
use super::render_error;
use super::words::{word, word_with};
use crate::error::Result;
use crate::metrics::{PrecisionRecallCurve, RocCurve};
use plotters::coord::Shift;
use plotters::prelude::{Color, DrawingArea, DrawingBackend, Polygon, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The ROC chart's window: the unit square with a little room so the curve clears the axes.
pub const ROC_VIEW: View = View { x: (-0.02, 1.02), y: (-0.02, 1.02) };
/// Opacity of the fill under the ROC curve (the area the AUC measures).
const ROC_FILL_ALPHA: f64 = 0.12;

/// The `(false positive rate, true positive rate)` points of a ROC curve, as [`draw_roc`] takes
/// them.
pub fn roc_points(curve: &RocCurve) -> Vec<(f64, f64)> {
    curve.fpr.iter().zip(&curve.tpr).map(|(&x, &y)| (x, y)).collect()
}

/// How far (in the unit square's units) a point may be from the one kept before it and still be
/// left out by [`thin`]: a thousandth, under half a pixel on any chart the page draws.
pub const CURVE_TOLERANCE: f64 = 1e-3;

/// A curve over the unit square with the points that the eye cannot tell apart left out: each
/// point within `tolerance` (in both coordinates) of the last point kept is dropped, and the first
/// and last points are always kept. Every dropped point lies within `tolerance` of a kept one,
/// so the polyline moves by at most that much; a monotone curve (ROC) keeps at most
/// `2 / tolerance + 2` points. A ROC or precision-recall curve of 25,000 test rows has up to
/// 50,000 corners, which cost more to pass to the page and draw than the chart needs.
pub fn thin(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    let Some((&first, rest)) = points.split_first() else { return Vec::new() };
    let mut kept = vec![first];
    let mut last = first;
    for (i, &point) in rest.iter().enumerate() {
        let final_point = i + 1 == rest.len();
        if final_point || (point.0 - last.0).abs() > tolerance || (point.1 - last.1).abs() > tolerance {
            kept.push(point);
            last = point;
        }
    }
    kept
}

/// The `(recall, precision)` corners of a precision-recall curve drawn as steps, in order of
/// increasing recall: precision `P_i` holds over the recall interval `(R_{i+1}, R_i]`, as
/// scikit-learn's `PrecisionRecallDisplay` draws it and as average precision sums it.
pub fn precision_recall_points(curve: &PrecisionRecallCurve) -> Vec<(f64, f64)> {
    // scikit-learn's order is recall decreasing, ending at (recall 0, precision 1).
    let n = curve.recall.len().min(curve.precision.len());
    let mut steps = Vec::with_capacity(2 * n);
    for i in (1..n).rev() {
        let (r_low, r_high, p) = (curve.recall[i], curve.recall[i - 1], curve.precision[i - 1]);
        if r_high <= r_low {
            // A threshold that only adds negatives widens no interval: it holds no precision.
            continue;
        }
        steps.push((r_low, p));
        steps.push((r_high, p));
    }
    steps.dedup();
    steps
}

/// The line a rate chart compares against: chance.
#[derive(Debug, Clone, Copy)]
enum Baseline {
    /// ROC: the diagonal, a classifier that guesses.
    Diagonal,
    /// Precision-recall: the positive share, the precision of guessing.
    Level(f64),
}

/// Draws a ROC chart on `root` (background included): the false positive rate on x and the true
/// positive rate on y over [0, 1], the chance diagonal dashed, the curve through `points` (in
/// order; non-finite points are skipped, the rest clamped to [0, 1]) with a soft fill under it,
/// and `AUC = …` in the lower-right corner when `auc` is given. No points draw just the frame
/// and the diagonal.
///
/// The chart's size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_roc<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    points: &[(f64, f64)],
    auc: Option<f64>,
) -> Result<()> {
    let label = auc.filter(|a| a.is_finite()).map(|a| word_with("chart.auc", &[("value", &format!("{a:.3}"))]));
    let titles = (word("axis.fpr"), word("axis.tpr"));
    draw_rate_chart(root, layout, points, (&titles.0, &titles.1), Baseline::Diagonal, label)
}

/// Draws a precision-recall chart on `root` (background included): recall on x, precision on y
/// over [0, 1], the chance level (`positive_share`, the precision of guessing) dashed, the curve
/// through `points` (from [`precision_recall_points`]) filled under, and `AP = …` (average
/// precision) in the lower-left corner when given.
pub fn draw_precision_recall<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    points: &[(f64, f64)],
    average_precision: Option<f64>,
    positive_share: f64,
) -> Result<()> {
    let label =
        average_precision.filter(|a| a.is_finite()).map(|a| word_with("chart.ap", &[("value", &format!("{a:.3}"))]));
    let level = if positive_share.is_finite() { positive_share.clamp(0.0, 1.0) } else { 0.5 };
    let titles = (word("axis.recall"), word("axis.precision"));
    draw_rate_chart(root, layout, points, (&titles.0, &titles.1), Baseline::Level(level), label)
}

/// The shared body of the ROC and precision-recall charts: two rates over the unit square.
fn draw_rate_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    points: &[(f64, f64)],
    (x_title, y_title): (&str, &str),
    baseline: Baseline,
    label: Option<String>,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let view = ROC_VIEW;
    let (plot_width, plot_height) = layout.plot_size();
    let axis = |pixels: u32, spacing: f64| {
        // Rates read best in fifths, or quarters / halves where space is short.
        let (step, format): (f64, _) = match axes::tick_count(&layout, pixels, spacing) {
            6.. => (0.2, TickFormat::Fixed(1)),
            5 => (0.25, TickFormat::Fixed(2)),
            _ => (0.5, TickFormat::Fixed(1)),
        };
        let ticks = (0..=(1.0 / step).round() as usize).map(|i| i as f64 * step).collect();
        AxisSpec { low: view.x.0, high: view.x.1, ticks, format }
    };
    let mut chart = axes::build_chart(root, &layout, axis(plot_width, 60.0), axis(plot_height, 45.0))?;
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title, y_title };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;

    let marks = Marks::new(&layout);
    let clip = ClipRect::plot(&layout);
    let pixel = |x: f64, y: f64| layout.to_pixel(&view, x, y);
    let rounded = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    let curve: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|&(x, y)| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0)))
        .collect();
    if let (Some(first), Some(last)) = (curve.first(), curve.last()) {
        let outline = std::iter::once((first.0, 0.0)).chain(curve.iter().copied()).chain([(last.0, 0.0)]);
        let fill = rgb(ROC_COLOUR).mix(ROC_FILL_ALPHA).filled();
        root.draw(&Polygon::new(outline.map(|(x, y)| rounded(pixel(x, y))).collect::<Vec<_>>(), fill))
            .map_err(render_error)?;
    }
    let guide = rgb(GUIDE_COLOUR).stroke_width(marks.guide_width);
    let dashes = (layout.px(size::DASH) as f64, layout.px(size::DASH_GAP) as f64);
    let (from, to) = match baseline {
        Baseline::Diagonal => ((0.0, 0.0), (1.0, 1.0)),
        Baseline::Level(y) => ((0.0, y), (1.0, y)),
    };
    draw_dashed_line(root, &clip, pixel(from.0, from.1), pixel(to.0, to.1), dashes, guide)?;
    let style = rgb(ROC_COLOUR).stroke_width(marks.curve_width);
    draw_polyline(root, &clip, curve.iter().map(|&(x, y)| pixel(x, y)), style)?;

    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    if let Some(text) = label {
        let (x0, _, x1, y1) = layout.plot;
        let inset = layout.px(10.0) as i32;
        // The ROC curve leaves the lower right empty; a precision-recall curve the lower left.
        let corner = match baseline {
            Baseline::Diagonal => (x1 - inset, y1 - inset),
            Baseline::Level(_) => {
                let font = axes::title_font(&layout);
                let (text_width, _) = root.estimate_text_size(&text, &font).map_err(render_error)?;
                (x0 + inset + text_width as i32 + 2 * layout.px(6.0) as i32, y1 - inset)
            }
        };
        draw_label_box(root, &layout, &text, corner)?;
    }
    root.present().map_err(render_error)
}

/// Writes `text` in a light box whose lower-right corner is at `corner`.
fn draw_label_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    text: &str,
    corner: (i32, i32),
) -> Result<()> {
    let font = axes::title_font(layout);
    let (text_width, text_height) = root.estimate_text_size(text, &font).map_err(render_error)?;
    let padding = layout.px(6.0) as i32;
    let top_left = (corner.0 - text_width as i32 - 2 * padding, corner.1 - text_height as i32 - 2 * padding);
    root.draw(&Rectangle::new([top_left, corner], rgb(BACKGROUND_COLOUR).mix(0.9).filled())).map_err(render_error)?;
    root.draw(&Rectangle::new([top_left, corner], rgb(AXIS_COLOUR).mix(0.5).stroke_width(layout.px(1.0))))
        .map_err(render_error)?;
    root.draw(&Text::new(text.to_string(), (top_left.0 + padding, top_left.1 + padding), font)).map_err(render_error)
}

/// Widest label area, as a fraction of the chart's width.
const MAX_LABEL_SHARE: f64 = 0.4;
/// The fraction of its slot a bar fills, and its thickest in CSS pixels.
const BAR_FILL: f64 = 0.7;
const MAX_BAR: f64 = 26.0;

/// Draws horizontal bars on `root` (background included): one bar per value, top to bottom in
/// order, its length proportional to the value on an axis from 0, labelled on the left with
/// `labels[i]` (shortened with `…` if too long; missing labels are blank) and on the right with
/// its value. `title` names the value axis. Negative values draw as 0; non-finite values draw no
/// bar. Empty input, or all values zero, draws the frame over 0…1.
///
/// The chart's size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    labels: &[String],
    values: &[f64],
    title: &str,
) -> Result<()> {
    let (width, height) = root.dim_in_pixel();
    let mut layout = Layout::new(width, height, layout.dpr);
    root.fill(&rgb(BACKGROUND_COLOUR)).map_err(render_error)?;
    let font = axes::tick_font(&layout);
    let text_width = |text: &str| root.estimate_text_size(text, &font).map(|(w, _)| w as f64).unwrap_or(0.0);

    // The label area fits the longest label, up to a share of the chart.
    let gap = layout.px(2.0 * 4.0) as f64;
    let max_label = (MAX_LABEL_SHARE * width as f64 - gap).max(0.0);
    let shown: Vec<String> =
        (0..values.len()).map(|i| fit_text(labels.get(i).map_or("", String::as_str), max_label, &text_width)).collect();
    let label_area = shown.iter().map(|l| text_width(l)).fold(layout.px(24.0) as f64, f64::max) + gap;
    layout.plot.0 = ((css::MARGIN_LEFT * layout.dpr).round() + label_area).round() as i32;
    layout.plot.0 = layout.plot.0.min(layout.plot.2);
    if !layout.has_plot() {
        return root.present().map_err(render_error);
    }

    let count = values.len();
    let largest = values.iter().filter(|v| v.is_finite()).fold(0.0_f64, |a, &b| a.max(b));
    let (plot_width, plot_height) = layout.plot_size();
    let pad = layout.px(4.0) as f64;
    // Room past the longest bar for its value, up to the plot's width.
    let room = (text_width(&format_value(largest)) + 2.0 * pad).min(0.5 * plot_width as f64);
    let high = if largest > 0.0 { largest * plot_width as f64 / (plot_width as f64 - room) } else { 1.0 };
    let view = View { x: (0.0, high), y: (0.0, count.max(1) as f64) }.sanitized();
    let x_axis = AxisSpec::linear(view.x.0, view.x.1, axes::tick_count(&layout, plot_width, 60.0));
    let y_axis = AxisSpec { low: view.y.0, high: view.y.1, ticks: Vec::new(), format: TickFormat::Fixed(0) };
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: title, y_title: "" };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;

    let slot = plot_height as f64 / count.max(1) as f64;
    let half_bar = (0.5 * BAR_FILL * slot).min(0.5 * MAX_BAR * layout.dpr).max(0.5);
    let font_height = axes::TICK_FONT * layout.dpr;
    let label_every = (font_height / slot).ceil().max(1.0) as usize;
    let (x0, _, x1, _) = layout.plot;
    let left_text = font.pos(Pos::new(HPos::Right, VPos::Center));
    let white = rgb(BACKGROUND_COLOUR);
    let inside_text = font.color(&white).pos(Pos::new(HPos::Right, VPos::Center));
    let right_text = font.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, &value) in values.iter().enumerate() {
        let (_, centre) = layout.to_pixel(&view, 0.0, (count - i) as f64 - 0.5);
        let row = centre.round() as i32;
        if !value.is_finite() {
            continue;
        }
        let value = value.max(0.0);
        let (end, _) = layout.to_pixel(&view, value, 0.0);
        let end = end.round() as i32;
        let (top, bottom) = ((centre - half_bar).round() as i32, (centre + half_bar).round() as i32);
        if end > x0 {
            root.draw(&Rectangle::new([(x0, top), (end, bottom.max(top + 1))], rgb(BAR_COLOUR).filled()))
                .map_err(render_error)?;
        }
        if 2.0 * half_bar >= 0.8 * font_height {
            let text = format_value(value);
            let fits_right = end as f64 + pad + text_width(&text) < x1 as f64;
            let fits_inside = (end - x0) as f64 > text_width(&text) + 2.0 * pad;
            if fits_right {
                root.draw(&Text::new(text, (end + pad as i32, row), right_text.clone())).map_err(render_error)?;
            } else if fits_inside {
                root.draw(&Text::new(text, (end - pad as i32, row), inside_text.clone())).map_err(render_error)?;
            }
        }
    }

    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    // The bar labels sit in the label area, which the mask clears: they go last.
    for (i, label) in shown.iter().enumerate().filter(|(i, _)| i % label_every == 0) {
        let (_, centre) = layout.to_pixel(&view, 0.0, (count - i) as f64 - 0.5);
        let at = (x0 - gap.round() as i32, centre.round() as i32);
        root.draw(&Text::new(label.clone(), at, left_text.clone())).map_err(render_error)?;
    }
    root.present().map_err(render_error)
}

/// `text`, shortened with a trailing `…` until `width_of` it is at most `max_width`.
fn fit_text(text: &str, max_width: f64, width_of: &impl Fn(&str) -> f64) -> String {
    let mut chars: Vec<char> = text.chars().take(60).collect();
    let mut fitted: String = chars.iter().collect();
    if chars.len() < text.chars().count() {
        fitted.push('…');
    }
    while width_of(&fitted) > max_width && !chars.is_empty() {
        chars.pop();
        fitted = chars.iter().collect::<String>() + "…";
    }
    fitted
}

/// A bar's value, short: two decimals below 10, fewer above, scientific when tiny or huge.
fn format_value(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    match value.abs() {
        v if !(0.01..1e5).contains(&v) => format!("{value:.1e}"),
        v if v >= 100.0 => format!("{value:.0}"),
        v if v >= 10.0 => format!("{value:.1}"),
        _ => format!("{value:.2}"),
    }
}
