//! Where things go on a chart: the data window ([`View`]) and the pixel geometry of the chart
//! ([`Layout`]), with the mapping between data coordinates and device pixels both ways.
//!
//! The mapping is the one plotters uses for a Cartesian chart built with the same margins, so
//! marks drawn by hand at [`Layout::to_pixel`] line up with plotters' own grid lines and ticks.

use serde::{Deserialize, Serialize};

/// The data window shown: `x = (left, right)`, `y = (bottom, top)` in data units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

/// The window used when there is nothing to fit one around.
const FALLBACK_RANGE: (f64, f64) = (-6.0, 6.0);
/// Coordinates beyond this magnitude are not drawable (pixels would overflow); views are clamped.
const MAX_COORDINATE: f64 = 1e12;

impl Default for View {
    fn default() -> Self {
        View { x: FALLBACK_RANGE, y: FALLBACK_RANGE }
    }
}

impl View {
    /// The bounding box of the finite points `(xs[i], ys[i])`, padded by 10% of its size on every
    /// side. An empty set falls back to [-6, 6]²; an axis where all values are equal gets a window
    /// of ±1 (or ±10% of the value, if larger) around them.
    pub fn around(xs: &[f64], ys: &[f64]) -> View {
        let finite = || xs.iter().zip(ys).filter(|(x, y)| x.is_finite() && y.is_finite());
        let x = padded_range(finite().map(|(x, _)| *x));
        let y = padded_range(finite().map(|(_, y)| *y));
        View { x, y }.sanitized()
    }

    /// This view made safe to draw: each axis is finite, increasing, not absurdly large and not
    /// so narrow that pixels cannot tell values apart. A bad axis is replaced by a sensible one.
    pub fn sanitized(&self) -> View {
        View { x: sanitize_range(self.x), y: sanitize_range(self.y) }
    }
}

/// `[min, max]` of `values` padded by 10%, or the fallback for no values.
fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if low > high {
        return FALLBACK_RANGE;
    }
    let span = high - low;
    if span > 0.0 {
        (low - 0.1 * span, high + 0.1 * span)
    } else {
        let pad = (0.1 * low.abs()).max(1.0);
        (low - pad, high + pad)
    }
}

fn sanitize_range((low, high): (f64, f64)) -> (f64, f64) {
    if !low.is_finite() || !high.is_finite() {
        return FALLBACK_RANGE;
    }
    let (low, high) = (low.min(high).max(-MAX_COORDINATE), high.max(low).min(MAX_COORDINATE));
    let magnitude = low.abs().max(high.abs()).max(1e-6);
    if high - low < magnitude * 1e-9 {
        let centre = 0.5 * (low + high);
        let pad = (0.1 * centre.abs()).max(1e-6);
        return (centre - pad, centre + pad);
    }
    (low, high)
}

/// Margins and label areas in CSS pixels; [`Layout`] multiplies them by the device-pixel ratio.
pub(crate) mod css {
    pub const MARGIN_TOP: f64 = 12.0;
    pub const MARGIN_RIGHT: f64 = 18.0;
    pub const MARGIN_BOTTOM: f64 = 6.0;
    pub const MARGIN_LEFT: f64 = 6.0;
    /// Below the plot: tick labels and the x-axis title.
    pub const X_LABEL_AREA: f64 = 44.0;
    /// Left of the plot: tick labels and the (rotated) y-axis title.
    pub const Y_LABEL_AREA: f64 = 62.0;
}

/// Pixel geometry of a chart of `width`×`height` device pixels at device-pixel ratio `dpr`:
/// margins and label areas scale with `dpr`; `plot` is the plotting rectangle `(x0, y0, x1, y1)`
/// in device pixels (`x1`, `y1` exclusive), exactly the area plotters' `ChartBuilder` gives with the
/// same margins.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub dpr: f64,
    pub plot: (i32, i32, i32, i32),
}

/// Canvas sizes beyond this (in device pixels) are treated as this.
const MAX_SIDE: u32 = 1 << 16;

impl Layout {
    /// The layout of a `width`×`height` device-pixel chart at device-pixel ratio `dpr` (a
    /// non-finite or non-positive ratio counts as 1; it is clamped to [0.25, 8]).
    pub fn new(width: u32, height: u32, dpr: f64) -> Layout {
        let dpr = if dpr.is_finite() && dpr > 0.0 { dpr.clamp(0.25, 8.0) } else { 1.0 };
        let (width, height) = (width.min(MAX_SIDE), height.min(MAX_SIDE));
        let px = |css: f64| (css * dpr).round() as i32;
        let x0 = px(css::MARGIN_LEFT) + px(css::Y_LABEL_AREA);
        let y0 = px(css::MARGIN_TOP);
        let x1 = (width as i32 - px(css::MARGIN_RIGHT)).max(x0);
        let y1 = (height as i32 - px(css::MARGIN_BOTTOM) - px(css::X_LABEL_AREA)).max(y0);
        Layout { width, height, dpr, plot: (x0, y0, x1, y1) }
    }

    /// A CSS length in device pixels (rounded, at least 1).
    pub fn px(&self, css: f64) -> u32 {
        (css * self.dpr).round().max(1.0) as u32
    }

    /// Width and height of the plotting rectangle in device pixels.
    pub fn plot_size(&self) -> (u32, u32) {
        let (x0, y0, x1, y1) = self.plot;
        ((x1 - x0).max(0) as u32, (y1 - y0).max(0) as u32)
    }

    /// Whether the plotting rectangle is big enough to draw in (the canvas may be tiny).
    pub fn has_plot(&self) -> bool {
        let (w, h) = self.plot_size();
        w >= 2 && h >= 2
    }

    /// Data coordinates → device pixels (not rounded). The left edge of the view maps to the
    /// plot's first pixel column `x0`, the right edge to its last `x1 − 1`; the top of the view to
    /// row `y0`, the bottom to row `y1 − 1`.
    pub fn to_pixel(&self, view: &View, x: f64, y: f64) -> (f64, f64) {
        let (x0, y0, x1, y1) = self.plot;
        let (px0, px1) = (x0 as f64, (x1 - 1).max(x0) as f64);
        let (py_top, py_bottom) = (y0 as f64, (y1 - 1).max(y0) as f64);
        let tx = (x - view.x.0) / (view.x.1 - view.x.0);
        let ty = (y - view.y.0) / (view.y.1 - view.y.0);
        (px0 + tx * (px1 - px0), py_bottom - ty * (py_bottom - py_top))
    }

    /// Device pixels → data coordinates (the inverse of [`Layout::to_pixel`]; the page uses it for
    /// clicks). A degenerate plot maps everything to the view's centre.
    pub fn to_data(&self, view: &View, px: f64, py: f64) -> (f64, f64) {
        let (x0, y0, x1, y1) = self.plot;
        let (px0, px1) = (x0 as f64, (x1 - 1).max(x0) as f64);
        let (py_top, py_bottom) = (y0 as f64, (y1 - 1).max(y0) as f64);
        let tx = if px1 > px0 { (px - px0) / (px1 - px0) } else { 0.5 };
        let ty = if py_bottom > py_top { (py_bottom - py) / (py_bottom - py_top) } else { 0.5 };
        (view.x.0 + tx * (view.x.1 - view.x.0), view.y.0 + ty * (view.y.1 - view.y.0))
    }

    /// Whether the device pixel `(px, py)` lies inside the plotting rectangle.
    pub fn contains(&self, px: f64, py: f64) -> bool {
        let (x0, y0, x1, y1) = self.plot;
        px >= x0 as f64 && px <= (x1 - 1) as f64 && py >= y0 as f64 && py <= (y1 - 1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn around_pads_the_bounding_box_by_ten_percent() {
        let view = View::around(&[0.0, 10.0, 5.0], &[-1.0, 1.0, 0.0]);
        assert_eq!(view.x, (-1.0, 11.0));
        assert!((view.y.0 + 1.2).abs() < 1e-12 && (view.y.1 - 1.2).abs() < 1e-12);
    }

    #[test]
    fn around_ignores_non_finite_points_and_falls_back_when_empty() {
        assert_eq!(View::around(&[], &[]), View { x: (-6.0, 6.0), y: (-6.0, 6.0) });
        assert_eq!(View::around(&[f64::NAN], &[1.0]), View::default());
        let view = View::around(&[1.0, f64::INFINITY, 3.0], &[0.0, 5.0, 1.0]);
        assert!((view.x.0 - 0.8).abs() < 1e-12 && (view.x.1 - 3.2).abs() < 1e-12);
        // A single point gets a ±1 window.
        assert_eq!(View::around(&[2.0], &[3.0]), View { x: (1.0, 3.0), y: (2.0, 4.0) });
    }

    #[test]
    fn sanitized_repairs_bad_views() {
        let bad = View { x: (f64::NAN, 1.0), y: (5.0, 5.0) };
        let good = bad.sanitized();
        assert_eq!(good.x, (-6.0, 6.0));
        assert!(good.y.0 < 5.0 && good.y.1 > 5.0);
        let reversed = View { x: (3.0, 1.0), y: (-1e300, 1e300) }.sanitized();
        assert_eq!(reversed.x, (1.0, 3.0));
        assert_eq!(reversed.y, (-1e12, 1e12));
    }

    #[test]
    fn margins_scale_with_the_device_pixel_ratio() {
        let one = Layout::new(400, 300, 1.0);
        let two = Layout::new(800, 600, 2.0);
        assert_eq!(one.plot, (68, 12, 382, 250));
        assert_eq!(two.plot, (2 * 68, 2 * 12, 2 * 382, 2 * 250));
        // Absurd ratios are tamed; tiny canvases give an empty, not inverted, plot.
        assert_eq!(Layout::new(400, 300, f64::NAN).dpr, 1.0);
        let tiny = Layout::new(10, 10, 1.0);
        assert!(!tiny.has_plot());
        assert!(tiny.plot.2 >= tiny.plot.0 && tiny.plot.3 >= tiny.plot.1);
    }

    #[test]
    fn to_pixel_maps_view_corners_to_plot_corners_and_round_trips() {
        let layout = Layout::new(400, 300, 1.0);
        let view = View { x: (-2.0, 3.0), y: (10.0, 20.0) };
        let (x0, y0, x1, y1) = layout.plot;
        assert_eq!(layout.to_pixel(&view, -2.0, 10.0), (x0 as f64, (y1 - 1) as f64));
        assert_eq!(layout.to_pixel(&view, 3.0, 20.0), ((x1 - 1) as f64, y0 as f64));
        for &(x, y) in &[(0.0, 15.0), (-1.7, 19.2), (2.9, 10.1), (7.0, -3.0)] {
            let (px, py) = layout.to_pixel(&view, x, y);
            let (bx, by) = layout.to_data(&view, px, py);
            assert!((bx - x).abs() < 1e-9 && (by - y).abs() < 1e-9, "({x}, {y}) came back as ({bx}, {by})");
        }
        // Higher y is higher on screen (smaller row).
        assert!(layout.to_pixel(&view, 0.0, 18.0).1 < layout.to_pixel(&view, 0.0, 12.0).1);
    }
}
