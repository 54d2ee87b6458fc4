//! Many data points as one raster layer. Drawn one by one, each point is a few canvas calls
//! (style, path, arc, fill) and an antialiased circle for the browser to rasterise: thousands of
//! them cost tens of milliseconds a frame. Here each distinct marker (colour, disc or ring,
//! outlines) is rendered once into a small antialiased sprite, and the sprites are composited
//! into an RGBA layer in the points' drawing order, which the page then draws with a single
//! `drawImage` (see [`super::scene::draw_scene_layered`]; the scene hands this module the
//! markers to draw, so it knows nothing of scenes).
//!
//! The markers have the geometry of `marks::draw_point` on a canvas: a circle of radius
//! `r` around the integer device position `(cx, cy)` (a pixel corner: pixel `(i, j)` covers
//! `[i, i + 1] × [j, j + 1]`), a stroke of width `w` covering radii `r ± w/2`. A pixel's coverage
//! of a disc of radius `R` is `clamp(R − d + ½, 0, 1)` with `d` the distance from the centre to
//! the pixel's centre: a one-pixel antialiasing ramp, like the canvas's.

use super::geometry::{Layout, View};
use super::marks::{Marks, PointStyle};
use super::palette::{HAND_OUTLINE_COLOUR, POINT_OUTLINE_COLOUR};
use super::raster::Raster;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// From this many points to draw on, [`super::scene::draw_scene_layered`] draws them as a layer.
pub const LAYER_FROM_POINTS: usize = 300;

/// One shape of a marker, in device pixels.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Disc { radius: f64 },
    Ring { radius: f64, width: f64 },
}

impl Shape {
    /// How much of the pixel whose centre is `distance` from the marker's centre the shape covers.
    fn coverage(self, distance: f64) -> f64 {
        let disc = |radius: f64| (radius - distance + 0.5).clamp(0.0, 1.0);
        match self {
            Shape::Disc { radius } => disc(radius),
            Shape::Ring { radius, width } => (disc(radius + width / 2.0) - disc(radius - width / 2.0)).max(0.0),
        }
    }

    /// The largest distance from the centre the shape reaches.
    fn reach(self) -> f64 {
        match self {
            Shape::Disc { radius } => radius,
            Shape::Ring { radius, width } => radius + width / 2.0,
        }
    }
}

/// The shapes of one point, bottom first, as `marks::draw_point` draws them.
fn shapes(marks: &Marks, radius: u32, point: PointStyle) -> Vec<(Shape, [u8; 3])> {
    let mut shapes = Vec::with_capacity(3);
    let outline = if point.outlined { marks.outline_width } else { 0 };
    let ring = |radius: u32, width: u32| Shape::Ring { radius: radius as f64, width: width as f64 };
    if point.outlined {
        let white = if point.ring {
            ring(radius, marks.ring_width + 2 * outline)
        } else {
            Shape::Disc { radius: (radius + outline) as f64 }
        };
        shapes.push((white, POINT_OUTLINE_COLOUR));
    }
    let mark = if point.ring { ring(radius, marks.ring_width) } else { Shape::Disc { radius: radius as f64 } };
    shapes.push((mark, point.colour));
    if point.hand_placed {
        let outside =
            radius + if point.ring { marks.ring_width / 2 } else { 0 } + outline + marks.hand_width.div_ceil(2);
        shapes.push((ring(outside, marks.hand_width), HAND_OUTLINE_COLOUR));
    }
    shapes
}

/// One marker rendered: `side × side` straight-alpha RGBA pixels, pixel `(0, 0)` at offset
/// `(−half, −half)` from the marker's centre; per row, its runs of opaque and of translucent
/// pixels (transparent ones are left out), so stamping copies the opaque runs whole and blends
/// only the antialiased edges.
#[derive(Debug, Clone, PartialEq)]
struct Sprite {
    side: usize,
    half: i32,
    rgba: Vec<[u8; 4]>,
    rows: Vec<Vec<Run>>,
}

/// Columns `from..to` of a sprite row, all opaque or all translucent.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Run {
    from: usize,
    to: usize,
    opaque: bool,
}
impl Sprite {
    fn new(shapes: &[(Shape, [u8; 3])]) -> Sprite {
        let reach = shapes.iter().map(|(s, _)| s.reach()).fold(0.0, f64::max);
        let half = (reach + 1.0).ceil() as i32;
        let side = 2 * half as usize;
        let mut rgba = Vec::with_capacity(side * side);
        for row in 0..side {
            for column in 0..side {
                let (dx, dy) = (column as f64 - half as f64 + 0.5, row as f64 - half as f64 + 0.5);
                let distance = dx.hypot(dy);
                // Source-over of each shape, premultiplied.
                let (mut colour, mut alpha) = ([0.0_f64; 3], 0.0_f64);
                for &(shape, rgb) in shapes {
                    let c = shape.coverage(distance);
                    for k in 0..3 {
                        colour[k] = rgb[k] as f64 * c + colour[k] * (1.0 - c);
                    }
                    alpha = c + alpha * (1.0 - c);
                }
                rgba.push(if alpha > 0.0 {
                    let straight = |k: usize| (colour[k] / alpha).round().clamp(0.0, 255.0) as u8;
                    [straight(0), straight(1), straight(2), (alpha * 255.0).round() as u8]
                } else {
                    [0; 4]
                });
            }
        }
        let rows = rgba
            .chunks_exact(side.max(1))
            .map(|row| {
                let mut runs: Vec<Run> = Vec::new();
                for (column, pixel) in row.iter().enumerate() {
                    if pixel[3] == 0 {
                        continue;
                    }
                    let opaque = pixel[3] == 255;
                    match runs.last_mut() {
                        Some(run) if run.to == column && run.opaque == opaque => run.to += 1,
                        _ => runs.push(Run { from: column, to: column + 1, opaque }),
                    }
                }
                runs
            })
            .collect();
        Sprite { side, half, rgba, rows }
    }
}

/// `source` over `target`, both straight-alpha RGBA.
fn over(target: &mut [u8], source: [u8; 4]) {
    let a = source[3] as u32;
    if a == 255 || target[3] == 0 {
        target.copy_from_slice(&source);
        return;
    }
    let b = target[3] as u32;
    if b == 255 {
        for k in 0..3 {
            target[k] = ((source[k] as u32 * a + target[k] as u32 * (255 - a) + 127) / 255) as u8;
        }
        return;
    }
    // Both translucent: out = a + b(1 − a), colours weighted by their share of it.
    let below = b * (255 - a);
    let total = a * 255 + below;
    for k in 0..3 {
        target[k] = ((source[k] as u32 * a * 255 + target[k] as u32 * below + total / 2) / total) as u8;
    }
    target[3] = ((total + 127) / 255) as u8;
}

/// Markers (device centre and look), in drawing order, as a raster layer: the raster and the
/// device position of its top-left corner. The layer covers the markers' extent within the plot
/// rectangle (markers are clipped to the plot, as `draw_scene` clips them), and is transparent
/// between them. `None` when no marker reaches the plot.
pub(crate) fn render(layout: &Layout, markers: &[((i32, i32), PointStyle)]) -> Option<(Raster, i32, i32)> {
    if markers.is_empty() || !layout.has_plot() {
        return None;
    }
    let marks = Marks::new(layout);
    let mut sprites: Vec<(PointStyle, Sprite)> = Vec::new();
    let mut placed = Vec::with_capacity(markers.len());
    for &(at, style) in markers {
        let index = match sprites.iter().position(|(s, _)| *s == style) {
            Some(index) => index,
            None => {
                sprites.push((style, Sprite::new(&shapes(&marks, marks.radius, style))));
                sprites.len() - 1
            }
        };
        placed.push((index, at));
    }
    // The markers' extent, clipped to the plot.
    let (x0, y0, x1, y1) = layout.plot;
    let (mut left, mut top, mut right, mut bottom) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for &(index, (cx, cy)) in &placed {
        let half = sprites[index].1.half;
        left = left.min(cx - half);
        top = top.min(cy - half);
        right = right.max(cx + half);
        bottom = bottom.max(cy + half);
    }
    let (left, top, right, bottom) = (left.max(x0), top.max(y0), right.min(x1), bottom.min(y1));
    if right <= left || bottom <= top {
        return None;
    }
    let (width, height) = ((right - left) as usize, (bottom - top) as usize);
    let mut raster = Raster::new(width as u32, height as u32);
    for &(index, (cx, cy)) in &placed {
        let sprite = &sprites[index].1;
        // The sprite's top-left pixel in layer coordinates.
        let (sx, sy) = (cx - sprite.half - left, cy - sprite.half - top);
        for (row, runs) in sprite.rows.iter().enumerate() {
            let y = sy + row as i32;
            if y < 0 || y >= height as i32 {
                continue;
            }
            for run in runs {
                // The run clipped to the layer's columns.
                let from = run.from.max((-sx).max(0) as usize);
                let to = run.to.min((width as i32 - sx).max(0) as usize);
                if from >= to {
                    continue;
                }
                let source = &sprite.rgba[row * sprite.side + from..row * sprite.side + to];
                let at = (y as usize * width + (sx + from as i32) as usize) * 4;
                let target = &mut raster.rgba[at..at + 4 * (to - from)];
                if run.opaque {
                    target.copy_from_slice(source.as_flattened());
                } else {
                    for (pixel, &colour) in target.chunks_exact_mut(4).zip(source) {
                        over(pixel, colour);
                    }
                }
            }
        }
    }
    Some((raster, left, top))
}

/// A point layer as [`super::scene::draw_scene_layered`] hands it to its compositor.
#[derive(Debug, Clone, PartialEq)]
pub struct PointLayer {
    pub raster: Raster,
    /// The device position of the raster's top-left corner.
    pub x: i32,
    pub y: i32,
    /// A number that changes whenever the layer does: a layer with the same version as one
    /// composited before on this thread has the same pixels, so a compositor may reuse what it
    /// made of it (the page skips uploading them again). Version 0 is a layer made afresh,
    /// which is never reused.
    pub version: u64,
}

/// What a scene's points are, short of the points themselves: the page's number for its point
/// arrays (`Scene::points_key`) and everything else the markers depend on but the layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PointsKey {
    pub arrays: u64,
    pub view: View,
    pub show_test: bool,
    pub highlight: Option<usize>,
    pub classification: bool,
}

/// What the last layer on this thread was rendered from, and the layer.
struct Cached {
    layout: Layout,
    markers: Vec<((i32, i32), PointStyle)>,
    /// The key of the scene it was made for, when the page gave one.
    key: Option<PointsKey>,
    layer: Option<Rc<PointLayer>>,
}

thread_local! {
    /// The last layer: while a model trains the points stay put, so most frames reuse it.
    static LAST: RefCell<Option<Cached>> = const { RefCell::new(None) };
    static VERSION: Cell<u64> = const { Cell::new(0) };
}

/// The layer of `markers` (device centre and look of each point, in drawing order): the last
/// one rendered on this thread when it was made from the same markers on the same layout, else
/// a new one (with a new version).
/// `key` (when the page gave one) is kept with the layer, for [`reuse`].
pub(crate) fn cached_layer(
    layout: &Layout,
    markers: Vec<((i32, i32), PointStyle)>,
    key: Option<PointsKey>,
) -> Option<Rc<PointLayer>> {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some(cached) = last.as_mut().filter(|c| c.layout == *layout && c.markers == markers) {
            cached.key = key;
            return cached.layer.clone();
        }
        let layer = render(layout, &markers).map(|(raster, x, y)| {
            let version = VERSION.with(|v| {
                v.set(v.get() + 1);
                v.get()
            });
            Rc::new(PointLayer { raster, x, y, version })
        });
        *last = Some(Cached { layout: *layout, markers, key, layer: layer.clone() });
        layer
    })
}

/// The last layer rendered on this thread, when it was made for a scene with the same key on the
/// same layout (`Some(None)`: no marker reached the plot); `None` when the points must be looked
/// at. A training frame keeps its points, so it skips the markers of 100,000 points.
pub(crate) fn reuse(layout: &Layout, key: &PointsKey) -> Option<Option<Rc<PointLayer>>> {
    LAST.with(|last| {
        let last = last.borrow();
        let cached = last.as_ref().filter(|c| c.layout == *layout && c.key.as_ref() == Some(key))?;
        Some(cached.layer.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_ramps_over_one_pixel_at_the_edge() {
        let disc = Shape::Disc { radius: 5.0 };
        assert_eq!(disc.coverage(0.0), 1.0);
        assert_eq!(disc.coverage(4.5), 1.0);
        assert_eq!(disc.coverage(5.0), 0.5);
        assert_eq!(disc.coverage(5.5), 0.0);
        let ring = Shape::Ring { radius: 5.0, width: 2.0 };
        assert_eq!(ring.coverage(5.0), 1.0);
        assert_eq!(ring.coverage(0.0), 0.0);
        assert_eq!(ring.coverage(4.0), 0.5);
        assert_eq!(ring.coverage(6.0), 0.5);
        assert_eq!(ring.reach(), 6.0);
    }

    #[test]
    fn over_composites_straight_alpha() {
        let mut pixel = [0, 0, 0, 0];
        over(&mut pixel, [10, 20, 30, 128]);
        assert_eq!(pixel, [10, 20, 30, 128]);
        over(&mut pixel, [200, 200, 200, 255]);
        assert_eq!(pixel, [200, 200, 200, 255]);
        // Half red over opaque white.
        let mut pixel = [255, 255, 255, 255];
        over(&mut pixel, [255, 0, 0, 128]);
        assert_eq!(pixel, [255, 127, 127, 255]);
        // Half red over half blue: alpha 0.75, two thirds red.
        let mut pixel = [0, 0, 255, 128];
        over(&mut pixel, [255, 0, 0, 128]);
        assert_eq!(pixel[3], 192);
        assert!((pixel[0] as i32 - 170).abs() <= 1 && (pixel[2] as i32 - 85).abs() <= 1, "{pixel:?}");
    }

    #[test]
    fn sprites_are_symmetric_and_opaque_inside() {
        let marks = Marks::new(&Layout::new(800, 600, 2.0));
        let style = PointStyle { colour: [31, 119, 180], ring: false, hand_placed: true, outlined: true };
        let sprite = Sprite::new(&shapes(&marks, marks.radius, style));
        let at = |x: usize, y: usize| sprite.rgba[y * sprite.side + x];
        let h = sprite.half as usize;
        // The four pixels around the centre are the colour; the corners are empty.
        for (x, y) in [(h - 1, h - 1), (h, h - 1), (h - 1, h), (h, h)] {
            assert_eq!(at(x, y), [31, 119, 180, 255]);
        }
        assert_eq!(at(0, 0)[3], 0);
        for y in 0..sprite.side {
            for x in 0..sprite.side {
                let mirrored = at(sprite.side - 1 - x, y);
                assert_eq!(at(x, y), mirrored, "({x}, {y})");
                assert_eq!(at(y, x), at(x, y), "({x}, {y})");
            }
        }
    }
}
