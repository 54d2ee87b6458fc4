//! The data picture: data points with, for regression, the model's curve, residuals and the error
//! band, and for classification, class-coloured points and the decision boundaries.
//!
//! [`Scene`] is plain data (serde), so a Web Worker can build it and post it to the page;
//! [`draw_scene`] draws its vector layer on any plotters backend. The band or the decision surface
//! is a raster (see `raster::error_band`, `raster::surface`) that goes under it.

use super::axes::{self, AxisSpec, Frame};
use super::clip::{draw_polyline, ClipRect};
use super::geometry::{Layout, View};
use super::marks::{draw_point, size, Marks, PointStyle};
use super::palette::{
    class_hue, rgb, BACKGROUND_COLOUR, BOUNDARY_COLOUR, BOUNDARY_HALO_COLOUR, CURVE_COLOUR, RESIDUAL_COLOUR,
    TEST_COLOUR, TRAIN_COLOUR,
};
use super::point_layer::{self, cached_layer, PointLayer, PointsKey, LAYER_FROM_POINTS};
use super::render_error;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend, TriangleMarker};
use serde::{Deserialize, Serialize};

/// Role bits of a point: bit 0 = test (else train), bit 1 = placed by hand.
pub const ROLE_TEST: u8 = 1;
pub const ROLE_HAND_PLACED: u8 = 2;
/// A training point made by SMOTE (class rebalancing), not one of the data's own.
pub const ROLE_SYNTHETIC: u8 = 4;
/// A point whose missing feature value was filled in by an imputer.
pub const ROLE_IMPUTED: u8 = 8;
/// A point an outlier rule flagged.
pub const ROLE_OUTLIER: u8 = 16;
/// A training point an outlier rule left out (action remove): not trained on, drawn hollow with
/// the outlier ring so it does not vanish from the picture.
pub const ROLE_REMOVED: u8 = 32;

/// Everything the data picture shows. A regression scene leaves `classes` empty; a classification
/// scene fills it (and usually leaves `curve`, `fitted` and `band` empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Scene {
    pub view: View,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    /// Per point: 0 = train, 1 = test; plus 2 (bit 1) when the learner placed it by hand. A
    /// missing entry counts as a train point.
    pub roles: Vec<u8>,
    /// The model's prediction at each point (same length as `xs`), or empty when there is no
    /// model. NaN entries are skipped.
    pub fitted: Vec<f64>,
    /// The model's curve as a polyline in data coordinates (one sample per plot pixel column).
    /// A NaN value breaks the line.
    pub curve: Vec<(f64, f64)>,
    /// Half-width in y of the shaded error band around the curve (the train RMSE); None = no band.
    pub band: Option<f64>,
    /// Half-width in y of a model's tube around the curve (ε-SVR's ε), drawn as two dashed curves
    /// `f ± tube`; None = no tube.
    pub tube: Option<f64>,
    /// Draw vertical segments from each point to its fitted value.
    pub show_residuals: bool,
    /// When false, test points (and their residuals) are not drawn.
    pub show_test: bool,
    /// A hovered / dragged point, drawn larger with a ring.
    pub highlight: Option<usize>,
    pub x_label: String,
    pub y_label: String,
    /// Classification: the class index of each point (a missing entry counts as class 0). Empty
    /// for regression, which colours points by role instead.
    pub classes: Vec<u8>,
    /// Classification: how many classes there are (for legends and the decision surface).
    pub n_classes: usize,
    /// Classification: the decision boundaries as polylines in data coordinates (see
    /// `surface::boundary_contours`). A NaN vertex breaks a line.
    pub contours: Vec<Vec<(f64, f64)>>,
    /// Set when the model's picture is a slice because the data has more features than the
    /// canvas shows (or one fewer): what the hidden features are held at, e.g. "the other 3
    /// features (a, b, c) held at their training means", for the page to word (a code with values,
    /// `err.slice_*` in the catalogs) and print by the canvas.
    /// (Not read back from JS: drawing does not use it, and reading it would cost wasm size.)
    #[serde(skip_deserializing, default)]
    pub slice_note: Option<crate::error::Msg>,
    /// Points the model marks on the plot (its `rings` view, e.g. a support vector machine's
    /// support vectors), in data coordinates: each drawn as a dark ring around where it lies.
    pub rings: Vec<(f64, f64)>,
    /// Centres the model marks on the plot (its `centroids` view: k-means' centroids), in data
    /// coordinates, each drawn as a cross on a white halo in its cluster's colour.
    pub centroids: Vec<(f64, f64)>,
    /// The trail of each centre (its earlier positions in order), drawn as a dark line with a dot
    /// per position under the centre.
    pub trails: Vec<Vec<(f64, f64)>>,
    /// Set by the page when it draws: the same number as a scene drawn before on this thread
    /// promises the same points (`xs`, `ys`, `roles`, `classes`), so [`draw_scene_layered`]
    /// reuses that scene's point layer (when the view, layout, highlight and test points shown
    /// are the same too) without going over the points again. `None`: the points are looked at.
    #[serde(skip_serializing)]
    pub points_key: Option<u64>,
}

impl Scene {
    /// Whether this is a classification scene (points coloured by class).
    pub fn is_classification(&self) -> bool {
        !self.classes.is_empty()
    }

    /// The colour of point `i`: its class's hue (from `CLASS_COLOURS`) in a classification scene,
    /// else the train or test colour.
    pub fn point_colour(&self, i: usize) -> [u8; 3] {
        if self.is_classification() {
            class_hue(self.classes.get(i).copied().unwrap_or(0) as usize)
        } else if self.is_test(i) {
            TEST_COLOUR
        } else {
            TRAIN_COLOUR
        }
    }

    /// Whether point `i` is a test point.
    pub fn is_test(&self, i: usize) -> bool {
        self.roles.get(i).is_some_and(|r| r & ROLE_TEST != 0)
    }

    /// True when point `i` was made by SMOTE rather than taken from the data.
    pub fn is_synthetic(&self, i: usize) -> bool {
        self.roles.get(i).is_some_and(|r| r & ROLE_SYNTHETIC != 0)
    }

    /// True when point `i` is a training point an outlier rule left out.
    pub fn is_removed(&self, i: usize) -> bool {
        self.roles.get(i).is_some_and(|r| r & ROLE_REMOVED != 0)
    }

    /// Whether point `i` was placed by hand.
    pub fn is_hand_placed(&self, i: usize) -> bool {
        self.roles.get(i).is_some_and(|r| r & ROLE_HAND_PLACED != 0)
    }

    /// Whether point `i` is drawn (exists, has finite coordinates, and is not a hidden test point).
    pub fn is_shown(&self, i: usize) -> bool {
        let finite = matches!((self.xs.get(i), self.ys.get(i)), (Some(x), Some(y)) if x.is_finite() && y.is_finite());
        finite && (self.show_test || !self.is_test(i))
    }

    /// How point `i` looks (at the normal size).
    pub(crate) fn point_style(&self, i: usize) -> PointStyle {
        PointStyle {
            colour: self.point_colour(i),
            ring: self.is_test(i),
            hand_placed: self.is_hand_placed(i),
            outlined: self.is_classification(),
        }
    }

    /// Point `i`'s marker centre in device pixels (rounded), if it lies in the plot.
    fn centre(&self, layout: &Layout, view: &View, i: usize) -> Option<(i32, i32)> {
        let (px, py) = layout.to_pixel(view, *self.xs.get(i)?, *self.ys.get(i)?);
        layout.contains(px, py).then(|| (px.round() as i32, py.round() as i32))
    }

    /// The points drawn at the normal size, in drawing order (train points, then test points,
    /// each in index order), with their marker centres: every shown point in the plot but the
    /// highlighted one.
    pub(crate) fn points_to_draw(&self, layout: &Layout) -> Vec<(usize, (i32, i32))> {
        let view = self.view.sanitized();
        let count = self.xs.len().min(self.ys.len());
        let mut points = Vec::new();
        for test in [false, true] {
            for i in (0..count).filter(|&i| {
                self.is_shown(i)
                    && self.is_test(i) == test
                    && self.highlight != Some(i)
                    && !self.is_synthetic(i)
                    && !self.is_removed(i)
            }) {
                if let Some(at) = self.centre(layout, &view, i) {
                    points.push((i, at));
                }
            }
        }
        points
    }

    /// The index of the shown point nearest to device pixel `(px, py)` within `max_distance`
    /// device pixels (for hovering and dragging).
    pub fn point_near(&self, layout: &Layout, px: f64, py: f64, max_distance: f64) -> Option<usize> {
        let view = self.view.sanitized();
        (0..self.xs.len().min(self.ys.len()))
            .filter(|&i| self.is_shown(i))
            .map(|i| {
                let (qx, qy) = layout.to_pixel(&view, self.xs[i], self.ys[i]);
                (i, (qx - px).hypot(qy - py))
            })
            .filter(|(_, distance)| *distance <= max_distance)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }
}

/// Draws the scene's vector layer on `root`: the background (if `fill_background`; leave it off
/// when the raster layer is already on the canvas), the light grid, residual segments, the curve,
/// the decision boundaries (dark lines on a light halo), train points as filled discs, test points
/// as hollow rings, a dark outline on hand-placed points, the highlighted point, then the axes with
/// tick labels and titles. Points are in the train / test colours for regression, and in their
/// class's colour with a thin white outline for classification. Marks are clipped to
/// the plot: before the axes, everything outside the plot rectangle is painted with the
/// background, so the margins are always repainted and only the plot rectangle is left as it was
/// when `fill_background` is false.
///
/// The chart's size is that of `root`; `layout` supplies the device-pixel ratio (it should be
/// `Layout::new(root width, root height, dpr)`, the one the page uses for [`Layout::to_data`]).
pub fn draw_scene<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    scene: &Scene,
    fill_background: bool,
) -> Result<()> {
    draw(root, layout, scene, fill_background, None)
}

/// A point layer's compositor: draws `layer.raster` with its top-left corner at device pixel
/// `(layer.x, layer.y)`, alpha over what is already there (on a canvas, `drawImage` of a canvas
/// holding it; `layer.version` says when that canvas can be reused).
pub type Compositor<'a> = &'a mut dyn FnMut(&PointLayer) -> Result<()>;

/// [`draw_scene`], but with [`LAYER_FROM_POINTS`] or more points to draw, the points (all but the
/// highlighted one) are rendered into one raster layer (`point_layer`) that `composite` draws
/// where the points go, over the curve and boundaries and under the highlight and the axes. It
/// looks the same (within antialiasing) and costs one image instead of thousands of antialiased
/// circles for the canvas to rasterise. The last layer is kept (per thread) and handed out again,
/// same version, while the points stay as they are (a model training moves no point).
pub fn draw_scene_layered<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    scene: &Scene,
    fill_background: bool,
    composite: Compositor<'_>,
) -> Result<()> {
    draw(root, layout, scene, fill_background, Some(composite))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    scene: &Scene,
    fill_background: bool,
    point_layer: Option<Compositor<'_>>,
) -> Result<()> {
    let (width, height) = root.dim_in_pixel();
    let layout = Layout::new(width, height, layout.dpr);
    if fill_background {
        root.fill(&rgb(BACKGROUND_COLOUR)).map_err(render_error)?;
    }
    if !layout.has_plot() {
        return root.present().map_err(render_error);
    }
    let view = scene.view.sanitized();
    let (plot_width, plot_height) = layout.plot_size();
    let x_axis = AxisSpec::linear(view.x.0, view.x.1, axes::tick_count(&layout, plot_width, 60.0));
    let y_axis = AxisSpec::linear(view.y.0, view.y.1, axes::tick_count(&layout, plot_height, 45.0));
    let mut chart = axes::build_chart(root, &layout, x_axis, y_axis)?;
    let frame = |grid: bool| Frame { grid, axes: !grid, x_title: &scene.x_label, y_title: &scene.y_label };
    axes::draw_frame(&mut chart, &layout, &frame(true))?;

    let marks = Marks::new(&layout);
    let clip = ClipRect::plot(&layout);
    let pixel = |x: f64, y: f64| layout.to_pixel(&view, x, y);
    let count = scene.xs.len().min(scene.ys.len());

    if scene.show_residuals {
        let style = rgb(RESIDUAL_COLOUR).stroke_width(marks.residual_width);
        for i in (0..count).filter(|&i| scene.is_shown(i)) {
            let Some(&fitted) = scene.fitted.get(i).filter(|f| f.is_finite()) else { continue };
            // From the marker's edge (so rings stay hollow) to the fitted value.
            let (point, prediction) = (pixel(scene.xs[i], scene.ys[i]), pixel(scene.xs[i], fitted));
            let (length, gap) = ((prediction.1 - point.1).abs(), marks.radius as f64);
            if length > gap {
                let start = (point.0, point.1 + gap * (prediction.1 - point.1).signum());
                draw_polyline(root, &clip, [start, prediction], style)?;
            }
        }
    }

    draw_polyline(
        root,
        &clip,
        scene.curve.iter().map(|&(x, y)| pixel(x, y)),
        rgb(CURVE_COLOUR).stroke_width(marks.curve_width),
    )?;

    // A model's tube (ε-SVR): the curve shifted by ±tube, dashed, in the curve's colour.
    if let Some(tube) = scene.tube.filter(|t| t.is_finite() && *t >= 0.0) {
        let style = rgb(CURVE_COLOUR).stroke_width((marks.curve_width / 2).max(1));
        let (dash, gap) = (layout.px(size::DASH) as f64, layout.px(size::DASH_GAP) as f64);
        for shift in [tube, -tube] {
            let shifted: Vec<(f64, f64)> = scene.curve.iter().map(|&(x, y)| pixel(x, y + shift)).collect();
            for run in shifted.split(|p| !(p.0.is_finite() && p.1.is_finite())) {
                for piece in super::shapes::dashes(run, dash, gap) {
                    draw_polyline(root, &clip, piece, style)?;
                }
            }
        }
    }

    if !scene.contours.is_empty() {
        let halo = rgb(BOUNDARY_HALO_COLOUR).stroke_width(marks.boundary_width + 2 * marks.boundary_halo);
        let line = rgb(BOUNDARY_COLOUR).stroke_width(marks.boundary_width);
        for style in [halo, line] {
            for contour in &scene.contours {
                draw_polyline(root, &clip, contour.iter().map(|&(x, y)| pixel(x, y)), style)?;
            }
        }
    }

    // Train points first, test rings over them, the highlighted point last; many points as one
    // raster layer when the caller can composite it (the last one again, unlooked-at, when the
    // page promises the same points in the same picture).
    let key = scene.points_key.map(|arrays| PointsKey {
        arrays,
        view,
        show_test: scene.show_test,
        highlight: scene.highlight,
        classification: scene.is_classification(),
    });
    let reused = match (&point_layer, &key) {
        (Some(_), Some(key)) => point_layer::reuse(&layout, key),
        _ => None,
    };
    let (points, layer) = match (point_layer, reused) {
        (Some(blit), Some(layer)) => (Vec::new(), Some((blit, layer))),
        (Some(blit), None) => {
            let points = scene.points_to_draw(&layout);
            if points.len() >= LAYER_FROM_POINTS {
                (Vec::new(), Some((blit, cached_layer(&layout, markers(scene, &points), key))))
            } else {
                (points, None)
            }
        }
        (None, _) => (scene.points_to_draw(&layout), None),
    };
    match layer {
        Some((blit, Some(layer))) => blit(&layer)?,
        Some((_, None)) => {} // no marker reaches the plot
        None => {
            for (i, at) in points {
                draw_point(root, &marks, at, marks.radius, scene.point_style(i))?;
            }
        }
    }
    // SMOTE's synthetic training points as class-coloured triangles; rows left out as outliers as
    // hollow discs; rings around imputed points (violet) and flagged outliers (red). Few, so
    // always vector marks.
    for i in (0..count).filter(|&i| {
        scene.is_shown(i)
            && scene
                .roles
                .get(i)
                .is_some_and(|r| r & (ROLE_SYNTHETIC | ROLE_IMPUTED | ROLE_OUTLIER | ROLE_REMOVED) != 0)
    }) {
        let Some(at) = scene.centre(&layout, &view, i) else { continue };
        let extra = scene.roles.get(i).copied().unwrap_or(0);
        if extra & ROLE_REMOVED != 0 {
            let width = (2 * marks.ring_width).max(2);
            root.draw(&Circle::new(at, marks.radius, rgb(scene.point_colour(i)).stroke_width(width)))
                .map_err(render_error)?;
        }
        if extra & ROLE_SYNTHETIC != 0 {
            let side = marks.radius + marks.radius / 2;
            root.draw(&TriangleMarker::new(
                at,
                side + 2 * marks.outline_width.max(1),
                rgb(super::POINT_OUTLINE_COLOUR).filled(),
            ))
            .map_err(render_error)?;
            root.draw(&TriangleMarker::new(at, side, rgb(scene.point_colour(i)).filled())).map_err(render_error)?;
        }
        let ring = marks.radius + 3 * marks.ring_width;
        if extra & ROLE_IMPUTED != 0 {
            root.draw(&Circle::new(at, ring, rgb(super::IMPUTED_COLOUR).stroke_width(marks.ring_width)))
                .map_err(render_error)?;
        }
        if extra & ROLE_OUTLIER != 0 {
            root.draw(&Circle::new(
                at,
                ring + marks.ring_width,
                rgb(super::OUTLIER_COLOUR).stroke_width(marks.ring_width),
            ))
            .map_err(render_error)?;
        }
    }
    // The model's rings (support vectors), over the points they mark.
    let ring = marks.radius + 2 * marks.ring_width + marks.outline_width;
    for &(x, y) in &scene.rings {
        let (px, py) = layout.to_pixel(&view, x, y);
        if x.is_finite() && y.is_finite() && layout.contains(px, py) {
            let at = (px.round() as i32, py.round() as i32);
            root.draw(&Circle::new(at, ring, rgb(super::palette::MODEL_RING_COLOUR).stroke_width(marks.ring_width)))
                .map_err(render_error)?;
        }
    }
    draw_centroids(root, &layout, &view, scene, &marks)?;
    if let Some(i) = scene.highlight.filter(|&i| i < count && scene.is_shown(i)) {
        if let Some(at) = scene.centre(&layout, &view, i) {
            let radius = marks.highlight_radius();
            let halo = radius + layout.px(size::HALO_GAP);
            root.draw(&Circle::new(at, halo, rgb(scene.point_colour(i)).mix(0.45).stroke_width(marks.ring_width)))
                .map_err(render_error)?;
            draw_point(root, &marks, at, radius, scene.point_style(i))?;
        }
    }

    axes::mask_outside_plot(root, &layout)?;
    axes::draw_frame(&mut chart, &layout, &frame(false))?;
    root.present().map_err(render_error)
}

/// The model's centres (k-means' centroids) with their trails: a dark line through each trail's
/// positions with a small dot at each, then each centre as a cross in its cluster's colour on a
/// white halo with a dark edge, so it reads on any surface colour.
fn draw_centroids<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &View,
    scene: &Scene,
    marks: &Marks,
) -> Result<()> {
    use plotters::prelude::PathElement;
    let clip = ClipRect::plot(layout);
    let dark = rgb(super::palette::MODEL_RING_COLOUR);
    let width = marks.ring_width.max(1);
    for trail in &scene.trails {
        let pixels: Vec<(f64, f64)> = trail
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|&(x, y)| layout.to_pixel(view, x, y))
            .collect();
        draw_polyline(root, &clip, pixels.clone(), dark.mix(0.75).stroke_width(width))?;
        for &(px, py) in &pixels[..pixels.len().saturating_sub(1)] {
            if layout.contains(px, py) {
                root.draw(&Circle::new((px.round() as i32, py.round() as i32), width + 1, dark.mix(0.75).filled()))
                    .map_err(render_error)?;
            }
        }
    }
    let arm = (marks.radius + 2 * marks.ring_width) as i32 + 1;
    for (c, &(x, y)) in scene.centroids.iter().enumerate() {
        let (px, py) = layout.to_pixel(view, x, y);
        if !(x.is_finite() && y.is_finite() && layout.contains(px, py)) {
            continue;
        }
        let (cx, cy) = (px.round() as i32, py.round() as i32);
        let cross = |a: i32| [[(cx - a, cy - a), (cx + a, cy + a)], [(cx - a, cy + a), (cx + a, cy - a)]];
        for line in cross(arm) {
            root.draw(&PathElement::new(line.to_vec(), dark.stroke_width(width * 5 + 2))).map_err(render_error)?;
        }
        for line in cross(arm) {
            root.draw(&PathElement::new(line.to_vec(), rgb(BACKGROUND_COLOUR).stroke_width(width * 4)))
                .map_err(render_error)?;
        }
        for line in cross(arm - 1) {
            root.draw(&PathElement::new(line.to_vec(), rgb(class_hue(c)).stroke_width(width * 2)))
                .map_err(render_error)?;
        }
    }
    Ok(())
}

/// The markers of `points` (index and device centre, in drawing order) of `scene`: what the
/// point layer draws, so it needs nothing of the scene but these.
pub(crate) fn markers(scene: &Scene, points: &[(usize, (i32, i32))]) -> Vec<((i32, i32), PointStyle)> {
    points.iter().map(|&(i, at)| (at, scene.point_style(i))).collect()
}

/// The scene's points as a raster layer (what [`draw_scene_layered`] composites over the plot
/// when there are many): every shown point but the highlighted one, train points first, looking
/// as `draw_scene` draws them one by one, rendered afresh (version 0: not the cached one).
/// `None` when no point is drawn.
pub fn point_layer(layout: &Layout, scene: &Scene) -> Option<PointLayer> {
    let layout = Layout::new(layout.width, layout.height, layout.dpr);
    let (raster, x, y) = point_layer::render(&layout, &markers(scene, &scene.points_to_draw(&layout)))?;
    Some(PointLayer { raster, x, y, version: 0 })
}
