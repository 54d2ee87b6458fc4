//! Clipping polylines to the plotting rectangle, in device pixels.
//!
//! plotters does not clip: a point outside a drawing area is clamped onto its border, which would
//! smear a curve that leaves the view along the edge. So lines are cut here (Liang–Barsky) into
//! the pieces that lie inside, before they reach the backend.

use super::geometry::Layout;
use super::render_error;
use crate::error::Result;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, ShapeStyle};

/// An axis-aligned rectangle `[x_min, x_max] × [y_min, y_max]` in device pixels (inclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ClipRect {
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
}

impl ClipRect {
    /// The layout's plotting rectangle (its last row and column included).
    pub(crate) fn plot(layout: &Layout) -> ClipRect {
        let (x0, y0, x1, y1) = layout.plot;
        ClipRect { x_min: x0 as f64, y_min: y0 as f64, x_max: (x1 - 1) as f64, y_max: (y1 - 1) as f64 }
    }
}

/// Draws a polyline given in device pixels on `root`, cut to `rect`.
pub(crate) fn draw_polyline<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rect: &ClipRect,
    points: impl IntoIterator<Item = (f64, f64)>,
    style: ShapeStyle,
) -> Result<()> {
    for run in clip_polyline(rect, points) {
        if run.len() >= 2 {
            root.draw(&PathElement::new(run, style)).map_err(render_error)?;
        }
    }
    Ok(())
}

/// Draws the straight line `a → b` (device pixels) cut to `rect`, dashed: `dash` pixels on and
/// `gap` off from where it enters the rectangle. Non-finite ends or a dash shorter than a pixel
/// draw nothing.
pub(crate) fn draw_dashed_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rect: &ClipRect,
    a: (f64, f64),
    b: (f64, f64),
    (dash, gap): (f64, f64),
    style: ShapeStyle,
) -> Result<()> {
    let Some((a, b)) = clip_segment(rect, a, b) else { return Ok(()) };
    if !(dash >= 1.0 && gap >= 0.0) {
        return Ok(());
    }
    let length = (b.0 - a.0).hypot(b.1 - a.1);
    let at = |t: f64| {
        let t = if length > 0.0 { t / length } else { 0.0 };
        ((a.0 + (b.0 - a.0) * t).round() as i32, (a.1 + (b.1 - a.1) * t).round() as i32)
    };
    let mut start = 0.0;
    while start < length {
        let ends = [at(start), at((start + dash).min(length))];
        root.draw(&PathElement::new(ends, style)).map_err(render_error)?;
        start += dash + gap;
    }
    Ok(())
}

/// The part of the segment `a → b` inside `rect`, or `None`. Non-finite ends give `None`.
pub(crate) fn clip_segment(rect: &ClipRect, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    // Each edge as p·t ≤ q.
    for (p, q) in [(-dx, a.0 - rect.x_min), (dx, rect.x_max - a.0), (-dy, a.1 - rect.y_min), (dy, rect.y_max - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((if t0 > 0.0 { at(t0) } else { a }, if t1 < 1.0 { at(t1) } else { b }))
}

/// Cuts a polyline (device pixels) into the runs that lie inside `rect`, simplifies each run
/// (dropping vertices within a fraction of a pixel of the line through their neighbours, which
/// keeps wide strokes clean and canvas paths short) and rounds it to whole pixels. A non-finite
/// vertex breaks the line: the segments on either side of it are not drawn.
pub(crate) fn clip_polyline(rect: &ClipRect, points: impl IntoIterator<Item = (f64, f64)>) -> Vec<Vec<(i32, i32)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut previous: Option<(f64, f64)> = None;
    for point in points {
        if let Some(last) = previous {
            match clip_segment(rect, last, point) {
                Some((start, end)) => {
                    if current.last() != Some(&start) {
                        flush(&mut runs, &mut current);
                        current.push(start);
                    }
                    current.push(end);
                    if end != point {
                        flush(&mut runs, &mut current);
                    }
                }
                None => flush(&mut runs, &mut current),
            }
        }
        previous = Some(point);
    }
    flush(&mut runs, &mut current);
    runs.iter()
        .map(|run| {
            let mut pixels: Vec<(i32, i32)> = simplify(run, SIMPLIFY_TOLERANCE)
                .into_iter()
                .map(|p| (p.0.round() as i32, p.1.round() as i32))
                .collect();
            pixels.dedup();
            pixels
        })
        .collect()
}

/// How far (in pixels) a dropped vertex may lie from the simplified line.
const SIMPLIFY_TOLERANCE: f64 = 0.3;

fn flush(runs: &mut Vec<Vec<(f64, f64)>>, current: &mut Vec<(f64, f64)>) {
    if !current.is_empty() {
        runs.push(std::mem::take(current));
    }
}

/// Ramer–Douglas–Peucker: the vertices of `points` needed to stay within `tolerance` of it.
pub(crate) fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    let n = points.len();
    if n <= 2 {
        return points.to_vec();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut pending = vec![(0, n - 1)];
    while let Some((first, last)) = pending.pop() {
        let (mut worst, mut worst_at) = (0.0, first);
        for (i, &p) in points.iter().enumerate().take(last).skip(first + 1) {
            let distance = distance_to_segment(p, points[first], points[last]);
            if distance > worst {
                (worst, worst_at) = (distance, i);
            }
        }
        if worst > tolerance {
            keep[worst_at] = true;
            pending.push((first, worst_at));
            pending.push((worst_at, last));
        }
    }
    points.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length_squared = dx * dx + dy * dy;
    let t = if length_squared > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length_squared).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECT: ClipRect = ClipRect { x_min: 0.0, y_min: 0.0, x_max: 100.0, y_max: 50.0 };

    #[test]
    fn segments_inside_are_kept_and_outside_dropped() {
        assert_eq!(clip_segment(&RECT, (10.0, 10.0), (20.0, 30.0)), Some(((10.0, 10.0), (20.0, 30.0))));
        assert_eq!(clip_segment(&RECT, (-10.0, -10.0), (-5.0, 60.0)), None);
        assert_eq!(clip_segment(&RECT, (10.0, 60.0), (90.0, 70.0)), None);
        assert_eq!(clip_segment(&RECT, (f64::NAN, 1.0), (2.0, 2.0)), None);
    }

    #[test]
    fn crossing_segments_are_cut_at_the_border() {
        let (a, b) = clip_segment(&RECT, (-50.0, 25.0), (150.0, 25.0)).unwrap();
        assert_eq!((a, b), ((0.0, 25.0), (100.0, 25.0)));
        // A diagonal from inside through the top edge: y = 40 − x, leaves at x = 40.
        let (a, b) = clip_segment(&RECT, (10.0, 30.0), (60.0, -20.0)).unwrap();
        assert_eq!(a, (10.0, 30.0));
        assert!((b.0 - 40.0).abs() < 1e-12 && b.1.abs() < 1e-12);
    }

    #[test]
    fn polylines_split_where_they_leave_the_rect_or_meet_nan() {
        let line = [
            (10.0, 10.0),
            (20.0, 10.0),
            (20.0, 80.0),
            (30.0, 80.0),
            (30.0, 20.0),
            (f64::NAN, 0.0),
            (50.0, 5.0),
            (60.0, 5.0),
        ];
        let runs = clip_polyline(&RECT, line);
        assert_eq!(runs, vec![vec![(10, 10), (20, 10), (20, 50)], vec![(30, 50), (30, 20)], vec![(50, 5), (60, 5)]]);
    }

    #[test]
    fn simplify_drops_collinear_vertices_and_keeps_corners() {
        let line: Vec<(f64, f64)> = (0..=100).map(|i| (i as f64, 0.5 * i as f64)).collect();
        assert_eq!(simplify(&line, 0.3), vec![(0.0, 0.0), (100.0, 50.0)]);
        let mut vee: Vec<(f64, f64)> = (0..=10).map(|i| (i as f64, i as f64)).collect();
        vee.extend((11..=20).map(|i| (i as f64, 20.0 - i as f64)));
        assert_eq!(simplify(&vee, 0.3), vec![(0.0, 0.0), (10.0, 10.0), (20.0, 0.0)]);
        // A wiggle bigger than the tolerance survives.
        let wiggle = [(0.0, 0.0), (5.0, 1.0), (10.0, 0.0)];
        assert_eq!(simplify(&wiggle, 0.3).len(), 3);
    }
}
