//! The sigmoid view of a binary classifier: every point placed at its score `z = w·φ(x) + b` (x
//! axis) and its class 0 or 1 (y axis, with a little jitter), under the curve `σ(z)` that turns
//! the score into P(class 1). It shows why logistic regression is a linear model in disguise: the
//! boundary is `z = 0`, where the curve crosses 0.5.
//!
//! Binary classification only: points of any class other than 0 and 1 are not drawn.

use super::axes::{self, AxisSpec, Frame, TickFormat};
use super::clip::{draw_dashed_line, draw_polyline, ClipRect};
use super::geometry::{Layout, View};
use super::marks::{draw_point, size, Marks, PointStyle};
use super::palette::{class_hue, rgb, CURVE_COLOUR, GUIDE_COLOUR, POINT_OUTLINE_COLOUR};
use super::point_layer::{PointLayer, LAYER_FROM_POINTS};
use super::render_error;
use super::scene::{Compositor, ROLE_HAND_PLACED, ROLE_TEST};
use super::words::word;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend, Rectangle};

pub use crate::model::logistic::view::z_range_for;
pub use crate::model::view::SigmoidScene;

/// The most points drawn (see [`SigmoidScene::is_drawn`]).
pub const MAX_DRAWN: usize = 3000;

/// The probability axis: a little room below 0 and above 1 for the jittered points.
const P_RANGE: (f64, f64) = (-0.12, 1.12);
/// Half the height of the band the points of one class are spread over.
pub const JITTER: f64 = 0.04;
/// The logistic function `1 / (1 + e^−z)`, without overflow for large `|z|`.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// The vertical offset of point `i` from its class's row, in [−[`JITTER`], [`JITTER`]]: a hash of
/// the index, so a point keeps its place from frame to frame and neighbours do not overlap.
pub fn jitter(i: usize) -> f64 {
    // splitmix64's finaliser: every input bit affects every output bit.
    let mut x = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
    JITTER * (2.0 * unit - 1.0)
}

impl SigmoidScene {
    /// The data window of the chart: `x` = the score range, `y` = the probability axis.
    pub fn view(&self) -> View {
        View { x: self.z_range, y: P_RANGE }.sanitized()
    }

    fn is_test(&self, i: usize) -> bool {
        self.roles.get(i).is_some_and(|r| r & ROLE_TEST != 0)
    }

    fn is_hand_placed(&self, i: usize) -> bool {
        self.roles.get(i).is_some_and(|r| r & ROLE_HAND_PLACED != 0)
    }

    /// Whether point `i` is among those drawn: all of them up to [`MAX_DRAWN`] points; beyond, a
    /// random-looking sample of about that many chosen by a hash of the index (the same from frame
    /// to frame, and unlike every k-th point it cannot alias with data ordered by class), plus
    /// every hand-placed and the hovered point, so a 100k-point dataset draws in milliseconds and
    /// still shows the spread.
    pub fn is_drawn(&self, i: usize) -> bool {
        let n = self.z.len();
        n <= MAX_DRAWN
            || self.is_hand_placed(i)
            || self.highlight == Some(i)
            || (jitter(i) / JITTER + 1.0) * 0.5 < MAX_DRAWN as f64 / n as f64
    }

    /// Where point `i` is drawn, `(z, class + jitter)` in chart units, or `None` if it is not drawn
    /// (no finite score, no class 0 or 1, or left out of a large dataset's sample).
    pub fn position(&self, i: usize) -> Option<(f64, f64)> {
        if !self.is_drawn(i) {
            return None;
        }
        let z = self.z.get(i).copied().filter(|z| z.is_finite())?;
        let class = self.classes.get(i).copied().filter(|&c| c <= 1)?;
        Some((z, class as f64 + jitter(i)))
    }

    /// The index of the drawn point nearest to device pixel `(px, py)` within `max_distance`
    /// device pixels (for hovering).
    pub fn point_near(&self, layout: &Layout, px: f64, py: f64, max_distance: f64) -> Option<usize> {
        let view = self.view();
        (0..self.z.len())
            .filter_map(|i| {
                let (z, y) = self.position(i)?;
                let (qx, qy) = layout.to_pixel(&view, z, y);
                Some((i, (qx - px).hypot(qy - py)))
            })
            .filter(|(_, distance)| *distance <= max_distance)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }
}

/// Draws the sigmoid view on `root` (background included): the score `z` on x over
/// `scene.z_range`, P(class 1) on y; faint class tints on the two sides of `z = 0` (the class
/// each side predicts), dashed guides at `p = 0.5` and `z = 0`, the curve `σ(z)`, the points at
/// `(z, class ± jitter)` in their class colours (train filled, test rings, hand-placed outlined),
/// and the highlighted point larger with a guide to the curve at its `σ(z)`.
///
/// The chart's size is that of `root`; `layout` supplies the device-pixel ratio.
pub fn draw_sigmoid<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    scene: &SigmoidScene,
) -> Result<()> {
    draw(root, layout, scene, None)
}

/// [`draw_sigmoid`], but with [`LAYER_FROM_POINTS`] or more points drawn, the points (all but the
/// highlighted one) are rendered into one raster layer that `composite` draws over the chart, as
/// [`super::scene::draw_scene_layered`] does on the plot: one image instead of up to
/// [`MAX_DRAWN`] antialiased circles for the canvas to rasterise. The points move at every
/// training step, so the layer is rendered afresh each time (version 0).
pub fn draw_sigmoid_layered<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    scene: &SigmoidScene,
    composite: Compositor<'_>,
) -> Result<()> {
    draw(root, layout, scene, Some(composite))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    scene: &SigmoidScene,
    point_layer: Option<Compositor<'_>>,
) -> Result<()> {
    let Some(layout) = super::begin_chart(root, layout.dpr)? else {
        return Ok(());
    };
    let view = scene.view();
    let (plot_width, _) = layout.plot_size();
    let x_axis = AxisSpec::linear(view.x.0, view.x.1, axes::tick_count(&layout, plot_width, 60.0));
    let y_axis = AxisSpec { low: view.y.0, high: view.y.1, ticks: vec![0.0, 0.5, 1.0], format: TickFormat::Fixed(1) };
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let (x_title, y_title) = (word("axis.sigmoid_x"), word("axis.sigmoid_y"));
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &x_title, y_title: &y_title };

    // The halves of the score axis, tinted with the class each one predicts.
    let (x0, y0, x1, y1) = layout.plot;
    let zero = layout.to_pixel(&view, 0.0, 0.0).0.round().clamp(x0 as f64, x1 as f64) as i32;
    for (class, left, right) in [(0, x0, zero), (1, zero, x1)] {
        if right > left {
            let tint = rgb(class_hue(class)).mix(0.07).filled();
            root.draw(&Rectangle::new([(left, y0), (right, y1)], tint)).map_err(render_error)?;
        }
    }
    axes::draw_frame(&mut chart, &layout, &frame(true))?;

    let marks = Marks::new(&layout);
    let clip = ClipRect::plot(&layout);
    let pixel = |z: f64, p: f64| layout.to_pixel(&view, z, p);
    let guide = rgb(GUIDE_COLOUR).stroke_width(marks.guide_width);
    let dashes = (layout.px(size::DASH) as f64, layout.px(size::DASH_GAP) as f64);
    draw_dashed_line(root, &clip, pixel(view.x.0, 0.5), pixel(view.x.1, 0.5), dashes, guide)?;
    draw_dashed_line(root, &clip, pixel(0.0, view.y.1), pixel(0.0, view.y.0), dashes, guide)?;

    let columns = (x0..x1).map(|column| {
        let (z, _) = layout.to_data(&view, column as f64, 0.0);
        pixel(z, sigmoid(z))
    });
    draw_polyline(root, &clip, columns, rgb(CURVE_COLOUR).stroke_width(marks.curve_width))?;

    let centre = |i: usize| {
        let (z, y) = scene.position(i)?;
        let (px, py) = pixel(z, y);
        layout.contains(px, py).then(|| (px.round() as i32, py.round() as i32))
    };
    let style = |i: usize| PointStyle {
        colour: class_hue(scene.classes.get(i).copied().unwrap_or(0) as usize),
        ring: scene.is_test(i),
        hand_placed: scene.is_hand_placed(i),
        outlined: true,
    };
    // Train points first, test rings over them; many as one raster layer when the caller can
    // composite it.
    let mut markers = Vec::new();
    for test in [false, true] {
        for i in
            (0..scene.z.len()).filter(|&i| scene.is_test(i) == test && scene.highlight != Some(i) && scene.is_drawn(i))
        {
            if let Some(at) = centre(i) {
                markers.push((at, style(i)));
            }
        }
    }
    match point_layer {
        Some(composite) if markers.len() >= LAYER_FROM_POINTS => {
            if let Some((raster, x, y)) = super::point_layer::render(&layout, &markers) {
                composite(&PointLayer { raster, x, y, version: 0 })?;
            }
        }
        _ => {
            for (at, style) in markers {
                draw_point(root, &marks, at, marks.radius, style)?;
            }
        }
    }
    if let Some((i, (z, y))) = scene.highlight.and_then(|i| Some((i, scene.position(i)?))) {
        let colour = rgb(style(i).colour);
        let on_curve = pixel(z, sigmoid(z));
        draw_polyline(root, &clip, [pixel(z, y), on_curve], colour.stroke_width(marks.residual_width))?;
        if layout.contains(on_curve.0, on_curve.1) {
            let at = (on_curve.0.round() as i32, on_curve.1.round() as i32);
            let dot = marks.radius.div_ceil(2) + 1;
            root.draw(&Circle::new(at, dot + marks.outline_width, rgb(POINT_OUTLINE_COLOUR).filled()))
                .map_err(render_error)?;
            root.draw(&Circle::new(at, dot, rgb(CURVE_COLOUR).filled())).map_err(render_error)?;
        }
        if let Some(at) = centre(i) {
            let radius = marks.highlight_radius();
            let halo = radius + layout.px(size::HALO_GAP);
            root.draw(&Circle::new(at, halo, colour.mix(0.45).stroke_width(marks.ring_width))).map_err(render_error)?;
            draw_point(root, &marks, at, radius, style(i))?;
        }
    }

    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    root.present().map_err(render_error)
}
