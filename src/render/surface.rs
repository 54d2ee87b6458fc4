//! Decision-surface helpers, pure functions with no drawing: the grid of points a classifier is
//! evaluated on, and marching squares to trace where a field crosses a level (the decision
//! boundary is the 0.5 contour of P(class 1)), and [`boundary_contours`], which traces the
//! decision boundaries of a grid of class probabilities in data coordinates.
//!
//! Grid coordinates: a field of `width × height` values is stored row by row,
//! `values[row * width + col]`, and the value at `(col, row)` sits at grid point `(x, y) =
//! (col, row)`. Row 0 is the top of the picture (the largest data `x2`), as in pixel coordinates.

use super::geometry::View;
use nalgebra::DMatrix;

/// The `width × height` grid points spanning `[x_min, x_max] × [y_min, y_max]`, as an
/// `(width·height) × 2` matrix in the row-by-row order of the values [`marching_squares`] reads:
/// row 0 is at `y_max`, the last row at `y_min`. Evaluate a model on it, then contour the result.
pub fn grid_points(x_min: f64, x_max: f64, y_min: f64, y_max: f64, width: usize, height: usize) -> DMatrix<f64> {
    let mut points = DMatrix::zeros(width * height, 2);
    for row in 0..height {
        for col in 0..width {
            let (x, y) = grid_to_data((col as f64, row as f64), x_min, x_max, y_min, y_max, width, height);
            points[(row * width + col, 0)] = x;
            points[(row * width + col, 1)] = y;
        }
    }
    points
}

/// The x of each column and the y of each row of a `width × height` grid over `view`: the same
/// points as `grid_points` (columns from x_min to x_max, rows from y_max down), as two axes.
pub fn grid_axes(view: &View, width: usize, height: usize) -> (Vec<f64>, Vec<f64>) {
    let step = |n: usize| (n.max(2) - 1) as f64;
    let xs = (0..width).map(|c| view.x.0 + (view.x.1 - view.x.0) * c as f64 / step(width)).collect();
    let ys = (0..height).map(|r| view.y.1 - (view.y.1 - view.y.0) * r as f64 / step(height)).collect();
    (xs, ys)
}

/// Maps a point in grid coordinates (as [`marching_squares`] returns) to data coordinates for the
/// grid of [`grid_points`]. A grid one point wide or high maps to the lower end of that axis.
pub fn grid_to_data(
    point: (f64, f64),
    x_min: f64,
    x_max: f64,
    y_min: f64,
    y_max: f64,
    width: usize,
    height: usize,
) -> (f64, f64) {
    let fraction = |v: f64, count: usize| {
        if count > 1 {
            v / (count - 1) as f64
        } else {
            0.0
        }
    };
    let x = x_min + (x_max - x_min) * fraction(point.0, width);
    let y = if height > 1 { y_max - (y_max - y_min) * fraction(point.1, height) } else { y_min };
    (x, y)
}

/// The decision boundaries of a `width × height` grid of class probabilities, as polylines in
/// data coordinates. `probabilities` is laid out as for `raster::surface`: row-major per grid
/// point, `k = n_classes` values each, row 0 at the top; grid point `(col, row)` is the data point
/// `grid_points(view.x.0, view.x.1, view.y.0, view.y.1, width, height)` puts there (the centre
/// of raster pixel `(col, row)` when the raster covers the plot).
///
/// - Two classes: where P(class 1) crosses 0.5.
/// - More classes: for each class `c`, where `p_c − max_{d≠c} p_d` crosses 0, i.e. the border of
///   the region `c` wins. A border between two classes is traced once for each of them.
///
/// This runs every frame, so it makes one pass to find each grid point's winning class and then
/// traces only the cells whose corners disagree (a cell won by one class throughout has every
/// field on one side of its level). Grid points with a NaN probability break the lines. Fewer
/// than two classes, a grid smaller than 2 × 2 or too few probabilities give no boundary.
pub fn boundary_contours(
    probabilities: &[f64],
    n_classes: usize,
    width: u32,
    height: u32,
    view: &View,
) -> Vec<Vec<(f64, f64)>> {
    let (width, height, k) = (width as usize, height as usize, n_classes);
    let Some(values) = width.checked_mul(height).and_then(|size| size.checked_mul(k)) else {
        return Vec::new();
    };
    if k < 2 || k >= NO_WINNER as usize || width < 2 || height < 2 || probabilities.len() < values {
        return Vec::new();
    }
    let probabilities = &probabilities[..values];
    let winners: Vec<u16> = probabilities.chunks_exact(k).map(winner).collect();
    boundaries_of_winners(probabilities, k, width, height, &winners, view)
}

/// [`boundary_contours`] given the [`winner`] of every grid point (one per point, as
/// `raster::decision_surface` finds them while colouring). Wrong sizes give no boundary.
pub(crate) fn boundaries_of_winners(
    probabilities: &[f64],
    k: usize,
    width: usize,
    height: usize,
    winners: &[u16],
    view: &View,
) -> Vec<Vec<(f64, f64)>> {
    let size = width.saturating_mul(height);
    if k < 2 || width < 2 || height < 2 || winners.len() != size || probabilities.len() < size.saturating_mul(k) {
        return Vec::new();
    }
    let corners = |cell: usize| [cell, cell + 1, cell + width + 1, cell + width];
    let mixed = mixed_cells(width, height, winners);
    let to_data = |line: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        line.into_iter().map(|p| grid_to_data(p, view.x.0, view.x.1, view.y.0, view.y.1, width, height)).collect()
    };
    let point = |i: usize| &probabilities[i * k..(i + 1) * k];
    if k == 2 {
        let field = |i: usize| probabilities[i * 2 + 1];
        return trace_cells(&field, width, 0.5, mixed).into_iter().map(to_data).collect();
    }
    let mut lines = Vec::new();
    for class in 0..k {
        // Only cells that class `class` wins somewhere can hold its border.
        let cells = mixed.iter().copied().filter(|&cell| corners(cell).iter().any(|&i| winners[i] as usize == class));
        let field = |i: usize| lead(point(i), class);
        lines.extend(trace_cells(&field, width, 0.0, cells).into_iter().map(to_data));
    }
    lines
}

/// [`boundaries_of_winners`] given every class's probabilities at the corners of the `mixed`
/// cells alone (`point(i)`, `k` values, of grid point `i`; [`mixed_in_row`] of every row in turn):
/// the same lines, as a grid point's winner is [`winner`] of its probabilities.
pub(crate) fn boundaries_of_corners<'a>(
    point: &impl Fn(usize) -> &'a [f64],
    k: usize,
    width: usize,
    height: usize,
    mixed: Vec<usize>,
    view: &View,
) -> Vec<Vec<(f64, f64)>> {
    if k < 2 || width < 2 || height < 2 {
        return Vec::new();
    }
    let to_data = |line: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        line.into_iter().map(|p| grid_to_data(p, view.x.0, view.x.1, view.y.0, view.y.1, width, height)).collect()
    };
    let value = |i: usize, class: usize| point(i).get(class).copied().unwrap_or(f64::NAN);
    if k == 2 {
        return trace_cells(&|i: usize| value(i, 1), width, 0.5, mixed).into_iter().map(to_data).collect();
    }
    let corners = |cell: usize| [cell, cell + 1, cell + width + 1, cell + width];
    let mut lines = Vec::new();
    for class in 0..k {
        // Only cells that class `class` wins somewhere can hold its border.
        let cells =
            mixed.iter().copied().filter(|&cell| corners(cell).iter().any(|&i| winner(point(i)) as usize == class));
        let field = |i: usize| if point(i).len() == k { lead(point(i), class) } else { f64::NAN };
        lines.extend(trace_cells(&field, width, 0.0, cells).into_iter().map(to_data));
    }
    lines
}

/// The cells (by their top-left grid point) whose four corners have not all the same winner,
/// none of them NaN: where a boundary can pass.
fn mixed_cells(width: usize, height: usize, winners: &[u16]) -> Vec<usize> {
    let mut mixed = Vec::new();
    for row in 0..height - 1 {
        mixed_in_row(width, row, &winners[row * width..(row + 2) * width], &mut mixed);
    }
    mixed
}

/// Adds to `mixed` the mixed cells (see [`mixed_cells`]) between grid rows `row` and `row + 1`,
/// left to right, given the winners of those two rows (`2 · width`).
pub(crate) fn mixed_in_row(width: usize, row: usize, winners: &[u16], mixed: &mut Vec<usize>) {
    let (top, bottom) = winners.split_at(width);
    for (col, (upper, lower)) in top.windows(2).zip(bottom.windows(2)).enumerate() {
        let first = upper[0];
        let same = upper[1] == first && lower[0] == first && lower[1] == first;
        let nan = [upper[0], upper[1], lower[0], lower[1]].contains(&NO_WINNER);
        if !same && !nan {
            mixed.push(row * width + col);
        }
    }
}

/// The winner of a grid point with a NaN probability.
pub(crate) const NO_WINNER: u16 = u16::MAX;

/// The class with the highest probability, the first of equals (for two classes, class 1 from
/// P(class 1) = 0.5 on, as the 0.5 contour counts it), or [`NO_WINNER`] if any is NaN.
pub(crate) fn winner(p: &[f64]) -> u16 {
    if p.iter().any(|v| v.is_nan()) {
        return NO_WINNER;
    }
    if let [_, p1] = *p {
        return u16::from(p1 >= 0.5);
    }
    (0..p.len()).fold(0, |best, c| if p[c] > p[best] { c } else { best }) as u16
}

/// How far class `class` is ahead of the best other class in `p` (negative when behind); NaN if
/// any probability is NaN.
fn lead(p: &[f64], class: usize) -> f64 {
    let mut others = f64::NEG_INFINITY;
    for (d, &value) in p.iter().enumerate() {
        if value.is_nan() {
            return f64::NAN;
        }
        if d != class {
            others = others.max(value);
        }
    }
    p.get(class).map_or(f64::NAN, |&own| own - others)
}

/// An edge of the grid between two neighbouring grid points, identified by its first point and
/// direction. A crossing on it is shared by the (at most two) cells on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Edge {
    /// Index of the top or left end point.
    start: usize,
    /// True for an edge to the right neighbour, false for one to the neighbour below.
    horizontal: bool,
}

/// One piece of contour inside one cell, from a crossing on one edge to a crossing on another.
struct Segment {
    ends: [(Edge, (f64, f64)); 2],
}

/// Traces the contour `field == level` through a `width × height` field of values stored row by
/// row (see the module comment), and returns it as polylines in grid coordinates.
///
/// Crossings are placed on cell edges by linear interpolation; a value equal to `level` counts as
/// above it. An ambiguous (saddle) cell, whose diagonal corners lie on the same side, is resolved
/// by the mean of its four corners: when the centre is on the side of the top-left corner, the
/// two top-left/bottom-right corners are joined through the cell. Closed contours come back with
/// their first point repeated at the end. Cells touching a NaN are skipped, so the contour stops
/// there. A field shorter than `width × height` or smaller than 2 × 2 gives no contour.
pub fn marching_squares(values: &[f64], width: usize, height: usize, level: f64) -> Vec<Vec<(f64, f64)>> {
    let Some(size) = width.checked_mul(height) else {
        return Vec::new();
    };
    if width < 2 || height < 2 || values.len() < size || level.is_nan() {
        return Vec::new();
    }
    let cells = (0..height - 1).flat_map(|row| (0..width - 1).map(move |col| row * width + col));
    trace_cells(&|i: usize| values[i], width, level, cells)
}

/// Marching squares over the given cells only, each named by the index of its top-left grid
/// point (in row-major order; the caller checks that they lie inside the field and that `value`
/// is defined at their corners), joined into lines.
fn trace_cells(
    value: &impl Fn(usize) -> f64,
    width: usize,
    level: f64,
    cells: impl IntoIterator<Item = usize>,
) -> Vec<Vec<(f64, f64)>> {
    let mut segments = Vec::new();
    for top_left in cells {
        cell_segments(value, width, top_left / width, top_left % width, level, &mut segments);
    }
    join(&segments)
}

/// The crossing point on `edge`, by linear interpolation between its two end values.
fn crossing(value: &impl Fn(usize) -> f64, width: usize, edge: Edge, level: f64) -> (f64, f64) {
    let a = edge.start;
    let b = if edge.horizontal { a + 1 } else { a + width };
    let (va, vb) = (value(a), value(b));
    // va and vb lie on different sides of the level, so they differ.
    let t = ((level - va) / (vb - va)).clamp(0.0, 1.0);
    let (col, row) = ((a % width) as f64, (a / width) as f64);
    if edge.horizontal {
        (col + t, row)
    } else {
        (col, row + t)
    }
}

fn cell_segments(
    value: &impl Fn(usize) -> f64,
    width: usize,
    row: usize,
    col: usize,
    level: f64,
    segments: &mut Vec<Segment>,
) {
    let top_left = row * width + col;
    // Corners clockwise from the top-left; edges clockwise from the top: edge i joins corner i to
    // corner i + 1.
    let corners = [top_left, top_left + 1, top_left + width + 1, top_left + width];
    let v = corners.map(value);
    if v.iter().any(|x| x.is_nan()) {
        return;
    }
    let above = v.map(|x| x >= level);
    let edges = [
        Edge { start: top_left, horizontal: true },
        Edge { start: top_left + 1, horizontal: false },
        Edge { start: top_left + width, horizontal: true },
        Edge { start: top_left, horizontal: false },
    ];
    let (mut crossed, mut n_crossed) = ([0usize; 4], 0);
    for e in 0..4 {
        if above[e] != above[(e + 1) % 4] {
            crossed[n_crossed] = e;
            n_crossed += 1;
        }
    }
    let mut add = |e1: usize, e2: usize| {
        let (a, b) = (edges[e1], edges[e2]);
        segments.push(Segment { ends: [(a, crossing(value, width, a, level)), (b, crossing(value, width, b, level))] });
    };
    match n_crossed {
        2 => add(crossed[0], crossed[1]),
        4 => {
            let centre_above = (v[0] + v[1] + v[2] + v[3]) / 4.0 >= level;
            if centre_above == above[0] {
                // Top-left and bottom-right joined: cut off the top-right and bottom-left corners.
                add(0, 1);
                add(2, 3);
            } else {
                // Top-right and bottom-left joined: cut off the top-left and bottom-right corners.
                add(3, 0);
                add(1, 2);
            }
        }
        _ => {}
    }
}

/// No partner (see [`partners`]).
const NO_PARTNER: usize = usize::MAX;

/// The number of a grid edge: `start · 2 + horizontal`.
fn edge_key(edge: Edge) -> usize {
    edge.start.saturating_mul(2).saturating_add(usize::from(edge.horizontal))
}

/// For each segment end (`segment · 2 + end`), the other segment whose end lies on the same
/// edge, or [`NO_PARTNER`]. When segments are many for the grid's size the ends are paired
/// through a table over every edge, else by sorting them by edge (the same result). Should an
/// edge carry more than two ends (not from marching squares), none of them is paired.
fn partners(segments: &[Segment]) -> Vec<usize> {
    let edges =
        segments.iter().flat_map(|s| s.ends.map(|(edge, _)| edge_key(edge))).max().map_or(0, |k| k.saturating_add(1));
    if edges <= segments.len().saturating_mul(16) && segments.len() < (u32::MAX / 4) as usize {
        partners_by_table(segments, edges)
    } else {
        partners_by_sorting(segments)
    }
}

/// [`partners`] through a table of `edges` entries (more than any edge number), each the first
/// end seen on that edge, then `PAIRED` once a second came, `CROWDED` after.
fn partners_by_table(segments: &[Segment], edges: usize) -> Vec<usize> {
    const EMPTY: u32 = u32::MAX;
    const PAIRED: u32 = u32::MAX - 1;
    const CROWDED: u32 = u32::MAX - 2;
    let mut partner = vec![NO_PARTNER; segments.len() * 2];
    let end_keys = || segments.iter().flat_map(|s| s.ends.map(|(edge, _)| edge_key(edge))).enumerate();
    let mut seen = vec![EMPTY; edges];
    for (end, k) in end_keys() {
        let Some(slot) = seen.get_mut(k) else {
            continue;
        };
        match *slot {
            // The caller keeps segment ends below `CROWDED`.
            EMPTY => *slot = end as u32,
            PAIRED | CROWDED => *slot = CROWDED,
            other => {
                partner[other as usize] = end / 2;
                partner[end] = other as usize / 2;
                *slot = PAIRED;
            }
        }
    }
    if seen.contains(&CROWDED) {
        for (end, k) in end_keys() {
            if seen.get(k) == Some(&CROWDED) {
                partner[end] = NO_PARTNER;
            }
        }
    }
    partner
}

/// [`partners`] by sorting the ends by edge: the ends of an edge are then side by side.
fn partners_by_sorting(segments: &[Segment]) -> Vec<usize> {
    let mut partner = vec![NO_PARTNER; segments.len() * 2];
    let mut ends: Vec<(usize, usize)> = segments
        .iter()
        .flat_map(|s| s.ends.map(|(edge, _)| edge_key(edge)))
        .enumerate()
        .map(|(end, k)| (k, end))
        .collect();
    ends.sort_unstable();
    for group in ends.chunk_by(|a, b| a.0 == b.0) {
        if let [(_, a), (_, b)] = *group {
            partner[a] = b / 2;
            partner[b] = a / 2;
        }
    }
    partner
}

/// Chains segments that share an edge crossing into polylines: open chains first from their
/// loose ends (at the border of the field or beside NaN), then the closed loops.
///
/// An edge is shared by at most two cells, each with at most one segment ending on it, so every
/// segment end has at most one partner, found by [`partners`] (no hash map, no list per edge).
fn join(segments: &[Segment]) -> Vec<Vec<(f64, f64)>> {
    let partner = partners(segments);
    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    let starts =
        (0..segments.len()).filter_map(|i| (0..2).find(|&end| partner[2 * i + end] == NO_PARTNER).map(|end| (i, end)));
    let loops = (0..segments.len()).map(|i| (i, 0));
    for (first, end) in starts.collect::<Vec<_>>().into_iter().chain(loops) {
        if used[first] {
            continue;
        }
        let mut line = vec![segments[first].ends[end].1];
        let (mut current, mut exit) = (first, 1 - end);
        loop {
            used[current] = true;
            let (edge, point) = segments[current].ends[exit];
            line.push(point);
            let next = partner[2 * current + exit];
            if next == NO_PARTNER || used[next] {
                // Back at the start of a loop: close it with the exact first point.
                if current != first && segments[first].ends[end].0 == edge {
                    if let Some(last) = line.last_mut() {
                        *last = segments[first].ends[end].1;
                    }
                }
                break;
            }
            exit = if segments[next].ends[0].0 == edge { 1 } else { 0 };
            current = next;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Samples `f` at every grid point.
    fn field(width: usize, height: usize, f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
        (0..height).flat_map(|row| (0..width).map(move |col| (col, row))).map(|(c, r)| f(c as f64, r as f64)).collect()
    }

    #[test]
    fn circle_contour_lies_on_the_circle() {
        // f = distance² from (20, 15); the level 10² is the circle of radius 10, inside the grid.
        let (w, h) = (41, 31);
        let values = field(w, h, |x, y| (x - 20.0).powi(2) + (y - 15.0).powi(2));
        let lines = marching_squares(&values, w, h, 100.0);
        assert_eq!(lines.len(), 1, "one closed curve");
        let line = &lines[0];
        assert_eq!(line.first(), line.last(), "closed");
        assert!(line.len() > 40, "{} points", line.len());
        for &(x, y) in line {
            let r = (x - 20.0).hypot(y - 15.0);
            // Linear interpolation of r² along a cell edge errs by well under a tenth of a cell.
            assert!((r - 10.0).abs() < 0.05, "point ({x}, {y}) at radius {r}");
        }
        // Consecutive points are neighbours (one cell apart at most), so the chain is in order.
        assert!(line.windows(2).all(|p| (p[0].0 - p[1].0).hypot(p[0].1 - p[1].1) <= 1.5));
        // Every cell the circle passes through contributes: the polygon's area is close to π r².
        let area: f64 = line.windows(2).map(|p| p[0].0 * p[1].1 - p[1].0 * p[0].1).sum::<f64>().abs() / 2.0;
        assert!((area - std::f64::consts::PI * 100.0).abs() < 2.0, "area {area}");
    }

    #[test]
    fn linear_field_gives_exact_straight_line() {
        // f = x + 2y: linear interpolation is exact, so every point satisfies x + 2y = 7.5.
        let (w, h) = (10, 8);
        let values = field(w, h, |x, y| x + 2.0 * y);
        let lines = marching_squares(&values, w, h, 7.5);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].len() >= 5);
        for &(x, y) in &lines[0] {
            assert!((x + 2.0 * y - 7.5).abs() < 1e-12, "({x}, {y})");
        }
        // Open line: runs from one border of the field to another.
        let on_border = |(x, y): (f64, f64)| x == 0.0 || y == 0.0 || x == (w - 1) as f64 || y == (h - 1) as f64;
        assert!(on_border(lines[0][0]) && on_border(*lines[0].last().unwrap()));
    }

    #[test]
    fn saddle_is_resolved_by_the_centre_value() {
        // Top-left and bottom-right above the level 0.5, the others below.
        let centre_high = [1.0, 0.0, 0.0, 1.5];
        let lines = marching_squares(&centre_high, 2, 2, 0.5);
        // Centre (0.625) above: the high corners connect, the two low corners are cut off.
        assert_eq!(lines.len(), 2);
        let expected_corners = [(1.0, 0.0), (0.0, 1.0)];
        for corner in expected_corners {
            assert!(
                lines.iter().any(|l| l.iter().all(|p| (p.0 - corner.0).abs() <= 0.5 && (p.1 - corner.1).abs() <= 0.5)),
                "no segment around the low corner {corner:?}: {lines:?}"
            );
        }
        let centre_low = [0.6, 0.0, 0.0, 0.6];
        let lines = marching_squares(&centre_low, 2, 2, 0.5);
        assert_eq!(lines.len(), 2);
        for corner in [(0.0, 0.0), (1.0, 1.0)] {
            assert!(
                lines.iter().any(|l| l.iter().all(|p| (p.0 - corner.0).abs() <= 0.5 && (p.1 - corner.1).abs() <= 0.5)),
                "no segment around the high corner {corner:?}: {lines:?}"
            );
        }
        // Interpolation: on the top edge from 0.6 (x = 0) to 0.0 (x = 1), 0.5 is at x = 1/6.
        assert!(lines.iter().flatten().any(|p| (p.0 - 1.0 / 6.0).abs() < 1e-12 && p.1 == 0.0));
    }

    #[test]
    fn degenerate_inputs_give_no_contour_and_no_panic() {
        assert!(marching_squares(&[], 0, 0, 0.5).is_empty());
        assert!(marching_squares(&[1.0, 2.0], 2, 2, 0.5).is_empty());
        assert!(marching_squares(&[1.0; 4], 2, 2, 0.5).is_empty());
        assert!(marching_squares(&[0.0, 1.0, 0.0, 1.0], 2, 2, f64::NAN).is_empty());
        assert!(marching_squares(&[0.0; 4], usize::MAX, 2, 0.5).is_empty());
        // NaN cells are skipped: a line across a field with a NaN hole breaks into two.
        let (w, h) = (9, 5);
        let mut values = field(w, h, |x, _| x);
        values[2 * w + 4] = f64::NAN;
        let lines = marching_squares(&values, w, h, 4.5);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().flatten().all(|p| (p.0 - 4.5).abs() < 1e-12));
    }

    #[test]
    fn grid_points_match_grid_coordinates() {
        let points = grid_points(-5.0, 5.0, -2.0, 2.0, 11, 5);
        assert_eq!(points.shape(), (55, 2));
        assert_eq!((points[(0, 0)], points[(0, 1)]), (-5.0, 2.0));
        assert_eq!((points[(54, 0)], points[(54, 1)]), (5.0, -2.0));
        assert_eq!((points[(12, 0)], points[(12, 1)]), (-4.0, 1.0));
        assert_eq!(grid_to_data((2.5, 1.0), -5.0, 5.0, -2.0, 2.0, 11, 5), (-2.5, 1.0));
        // The contour of the field x1 = 0.5 on this grid maps back to data x1 = 0.5.
        let values: Vec<f64> = points.column(0).iter().copied().collect();
        let lines = marching_squares(&values, 11, 5, 0.5);
        assert_eq!(lines.len(), 1);
        for &p in &lines[0] {
            assert!((grid_to_data(p, -5.0, 5.0, -2.0, 2.0, 11, 5).0 - 0.5).abs() < 1e-12);
        }
    }

    #[test]
    fn pairing_by_table_and_by_sorting_agree() {
        // The segments of a wavy field with many crossings, and a crowded edge added by hand.
        let (w, h) = (23, 17);
        let values = field(w, h, |x, y| (x * 0.9).sin() + (y * 1.3).cos());
        let mut segments = Vec::new();
        for row in 0..h - 1 {
            for col in 0..w - 1 {
                cell_segments(&|i: usize| values[i], w, row, col, 0.2, &mut segments);
            }
        }
        assert!(segments.len() > 50);
        let edges = 2 * w * h;
        let by_table = partners_by_table(&segments, edges);
        assert_eq!(by_table, partners_by_sorting(&segments));
        assert!(by_table.iter().filter(|&&p| p != NO_PARTNER).count() > segments.len());
        let edge = segments[0].ends[0].0;
        segments.push(Segment { ends: [(edge, (0.0, 0.0)), (Edge { start: 0, horizontal: true }, (0.0, 0.0))] });
        let crowded = partners_by_table(&segments, edges);
        assert_eq!(crowded, partners_by_sorting(&segments));
        assert_eq!(crowded[0], NO_PARTNER);
    }
}
