//! Data-point marks shared by the pictures that show points (the scene, the sigmoid view): their
//! sizes in CSS pixels, scaled to device pixels by [`Marks`], and [`draw_point`].

use super::geometry::Layout;
use super::palette::{rgb, HAND_OUTLINE_COLOUR, POINT_OUTLINE_COLOUR};
use super::render_error;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend};

/// Sizes of the marks in CSS pixels.
pub(crate) mod size {
    pub const CURVE: f64 = 2.5;
    pub const RESIDUAL: f64 = 1.5;
    pub const POINT_RADIUS: f64 = 4.5;
    pub const RING: f64 = 2.0;
    pub const HAND_OUTLINE: f64 = 1.5;
    /// The white outline around class-coloured points.
    pub const POINT_OUTLINE: f64 = 1.0;
    pub const HIGHLIGHT_SCALE: f64 = 1.5;
    pub const HALO_GAP: f64 = 4.0;
    /// Decision boundaries, and the halo on each side of them.
    pub const BOUNDARY: f64 = 2.0;
    pub const BOUNDARY_HALO: f64 = 1.0;
    /// Dashed guide lines: width, dash and gap lengths.
    pub const GUIDE: f64 = 1.0;
    pub const DASH: f64 = 5.0;
    pub const DASH_GAP: f64 = 4.0;
}

/// Point radius and line widths in device pixels for a layout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Marks {
    pub curve_width: u32,
    pub residual_width: u32,
    pub radius: u32,
    pub ring_width: u32,
    pub hand_width: u32,
    pub outline_width: u32,
    pub boundary_width: u32,
    pub boundary_halo: u32,
    pub guide_width: u32,
}

impl Marks {
    pub(crate) fn new(layout: &Layout) -> Marks {
        Marks {
            curve_width: ((size::CURVE * layout.dpr).ceil() as u32).max(2),
            residual_width: layout.px(size::RESIDUAL),
            radius: layout.px(size::POINT_RADIUS).max(2),
            ring_width: layout.px(size::RING),
            hand_width: layout.px(size::HAND_OUTLINE),
            outline_width: layout.px(size::POINT_OUTLINE),
            boundary_width: layout.px(size::BOUNDARY).max(2),
            boundary_halo: layout.px(size::BOUNDARY_HALO),
            guide_width: layout.px(size::GUIDE),
        }
    }

    /// The radius of a highlighted point.
    pub(crate) fn highlight_radius(&self) -> u32 {
        (self.radius as f64 * size::HIGHLIGHT_SCALE).round() as u32
    }
}

/// How one point looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PointStyle {
    pub colour: [u8; 3],
    /// A hollow ring (test point) rather than a filled disc (train point).
    pub ring: bool,
    /// A dark outline around it (placed by hand).
    pub hand_placed: bool,
    /// A thin white outline, so it stands out over a coloured surface.
    pub outlined: bool,
}

/// One data point at `at` of `radius`: a filled disc or a hollow ring in its colour, a thin white
/// outline on both sides of the mark if asked, and a dark outline around it if it was placed by
/// hand.
pub(crate) fn draw_point<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    marks: &Marks,
    at: (i32, i32),
    radius: u32,
    point: PointStyle,
) -> Result<()> {
    let draw = |circle: Circle<(i32, i32), u32>| root.draw(&circle).map_err(render_error);
    let outline = if point.outlined { marks.outline_width } else { 0 };
    if point.outlined {
        let white = rgb(POINT_OUTLINE_COLOUR);
        if point.ring {
            draw(Circle::new(at, radius, white.stroke_width(marks.ring_width + 2 * outline)))?;
        } else {
            draw(Circle::new(at, radius + outline, white.filled()))?;
        }
    }
    let style = if point.ring { rgb(point.colour).stroke_width(marks.ring_width) } else { rgb(point.colour).filled() };
    draw(Circle::new(at, radius, style))?;
    if point.hand_placed {
        let outside =
            radius + if point.ring { marks.ring_width / 2 } else { 0 } + outline + marks.hand_width.div_ceil(2);
        draw(Circle::new(at, outside, rgb(HAND_OUTLINE_COLOUR).stroke_width(marks.hand_width)))?;
    }
    Ok(())
}
