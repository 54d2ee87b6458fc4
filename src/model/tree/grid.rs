//! Drawing-only evaluation of a tree over a pixel grid: [`DecisionTree::grid_values`] (row-major,
//! as decision surfaces want them) and [`DecisionTree::predict_grid`] (the same as a matrix).
//!
//! A tree on two features cuts the plane into axis-aligned boxes, one per leaf, and so it cuts
//! the grid into boxes of pixels: the tree is walked once carrying a range of columns and a range
//! of rows, a split on the first feature cutting the columns at its threshold (a binary search in
//! the ascending `xs`), a split on the second cutting the rows (`ys` ascending or descending), and
//! each leaf fills its box (its first row's run, then copies of it). The cost is one visit per
//! node whose box holds a pixel plus one pass over the output, whatever the depth.

use super::{DecisionTree, MAX_GRID_VALUES};
use crate::error::Result;
use crate::model::Model;
use nalgebra::DMatrix;

impl DecisionTree {
    /// Predictions at every grid point `(xs[c], ys[r])` of a tree grown on two features, pixel
    /// by pixel in row-major order (`xs` varies fastest): pixel `r · xs.len() + c` has its
    /// `n_outputs` values (class probabilities, or the one regression value) at
    /// `(r · xs.len() + c) · n_outputs ..`, exactly as `predict` gives them for that point. Needs
    /// `xs` ascending for the fast path; other orders go through `predict`.
    pub fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Result<Vec<f64>> {
        self.require_trained()?;
        let t = &self.tree;
        if t.n_features != 2 {
            return Err(err!(
                InvalidData,
                "internal",
                detail = format!(
                    "a grid needs a tree grown on 2 features, but this one has {n_features}",
                    n_features = t.n_features
                )
            ));
        }
        if xs.iter().chain(ys).any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "internal", detail = "the grid coordinates must be finite numbers"));
        }
        let (width, height, k) = (xs.len(), ys.len(), t.n_outputs);
        let too_big = width.checked_mul(height).and_then(|n| n.checked_mul(k.max(2)));
        if too_big.is_none_or(|values| values > MAX_GRID_VALUES) {
            return Err(err!(
                InvalidParameter,
                "grid_too_large",
                width = width,
                height = height,
                MAX_GRID_VALUES = MAX_GRID_VALUES
            ));
        }
        let ascending = |v: &[f64]| v.windows(2).all(|w| w[0] <= w[1]);
        let descending = |v: &[f64]| v.windows(2).all(|w| w[0] >= w[1]);
        if !ascending(xs) || !(ascending(ys) || descending(ys)) {
            let points: Vec<f64> = ys.iter().flat_map(|&y| xs.iter().flat_map(move |&x| [x, y])).collect();
            let p = self.predict(&DMatrix::from_row_slice(width * height, 2, &points))?;
            return Ok(p.transpose().as_slice().to_vec());
        }
        let mut out = vec![0.0; width * height * k];
        if width == 0 || k == 0 {
            return Ok(out);
        }
        let n_nodes = t.node_count();
        // A node is a split, as `predict` walks it, when both children come after it (so a
        // damaged file cannot loop) and it splits on one of the two features.
        let split = |node: usize| -> Option<(usize, usize, i32)> {
            let (l, r) = (*t.children_left.get(node)?, *t.children_right.get(node)?);
            let feature = *t.feature.get(node)?;
            let valid = |c: i32| c > node as i32 && (c as usize) < n_nodes;
            (valid(l) && valid(r) && (feature == 0 || feature == 1)).then_some((l as usize, r as usize, feature))
        };
        let descending = descending(ys);
        let row_len = width * k;
        // (node, first column, end column, first row, end row): the box of grid points that
        // reach `node`.
        let mut stack: Vec<(usize, usize, usize, usize, usize)> = vec![(0, 0, width, 0, height)];
        while let Some((node, c_lo, c_hi, r_lo, r_hi)) = stack.pop() {
            if c_lo == c_hi || r_lo == r_hi {
                continue; // no grid point gets here
            }
            let Some((l, rt, feature)) = split(node) else {
                // A leaf: fill its first row's run, then copy it down the box.
                let value = t.value_of(node);
                if value.len() != k {
                    continue;
                }
                let first = r_lo * row_len;
                let run = &mut out[first + c_lo * k..first + c_hi * k];
                if let [p0, p1] = *value {
                    // Two classes, the common case: fixed-size stores, not a copy per pixel.
                    for pixel in run.chunks_exact_mut(2) {
                        pixel[0] = p0;
                        pixel[1] = p1;
                    }
                } else {
                    for pixel in run.chunks_exact_mut(k) {
                        pixel.copy_from_slice(value);
                    }
                }
                for r in r_lo + 1..r_hi {
                    out.copy_within(first + c_lo * k..first + c_hi * k, r * row_len + c_lo * k);
                }
                continue;
            };
            let threshold = t.threshold.get(node).copied().unwrap_or(f64::NAN);
            // Points above the threshold go right, the others left (all of them for a NaN).
            if feature == 0 {
                let mid = c_lo + xs[c_lo..c_hi].partition_point(|&x| !(x > threshold));
                stack.push((l, c_lo, mid, r_lo, r_hi));
                stack.push((rt, mid, c_hi, r_lo, r_hi));
            } else if descending {
                let mid = r_lo + ys[r_lo..r_hi].partition_point(|&y| y > threshold);
                stack.push((l, c_lo, c_hi, mid, r_hi));
                stack.push((rt, c_lo, c_hi, r_lo, mid));
            } else {
                let mid = r_lo + ys[r_lo..r_hi].partition_point(|&y| !(y > threshold));
                stack.push((l, c_lo, c_hi, r_lo, mid));
                stack.push((rt, c_lo, c_hi, mid, r_hi));
            }
        }
        Ok(out)
    }

    /// The grid's boxes of pixels per leaf, for ensembles that weigh leaves their own way (gradient
    /// boosting's leaf values): `visit(leaf, columns, rows)` for every leaf whose box holds a grid
    /// point, the boxes covering the grid once. The same walk as [`DecisionTree::grid_values`];
    /// false (nothing visited) unless the tree is grown on two features, `xs` ascends and `ys` is
    /// monotone and every coordinate finite.
    pub fn grid_boxes(
        &self,
        xs: &[f64],
        ys: &[f64],
        mut visit: impl FnMut(usize, std::ops::Range<usize>, std::ops::Range<usize>),
    ) -> bool {
        let t = &self.tree;
        let ascending = |v: &[f64]| v.windows(2).all(|w| w[0] <= w[1]);
        let descending = |v: &[f64]| v.windows(2).all(|w| w[0] >= w[1]);
        if t.n_features != 2
            || t.node_count() == 0
            || xs.iter().chain(ys).any(|v| !v.is_finite())
            || !ascending(xs)
            || !(ascending(ys) || descending(ys))
        {
            return false;
        }
        let n_nodes = t.node_count();
        let split = |node: usize| -> Option<(usize, usize, i32)> {
            let (l, r) = (*t.children_left.get(node)?, *t.children_right.get(node)?);
            let feature = *t.feature.get(node)?;
            let valid = |c: i32| c > node as i32 && (c as usize) < n_nodes;
            (valid(l) && valid(r) && (feature == 0 || feature == 1)).then_some((l as usize, r as usize, feature))
        };
        let descending = descending(ys);
        let mut stack: Vec<(usize, usize, usize, usize, usize)> = vec![(0, 0, xs.len(), 0, ys.len())];
        while let Some((node, c_lo, c_hi, r_lo, r_hi)) = stack.pop() {
            if c_lo == c_hi || r_lo == r_hi {
                continue;
            }
            let Some((l, rt, feature)) = split(node) else {
                visit(node, c_lo..c_hi, r_lo..r_hi);
                continue;
            };
            let threshold = t.threshold.get(node).copied().unwrap_or(f64::NAN);
            if feature == 0 {
                let mid = c_lo + xs[c_lo..c_hi].partition_point(|&x| !(x > threshold));
                stack.push((l, c_lo, mid, r_lo, r_hi));
                stack.push((rt, mid, c_hi, r_lo, r_hi));
            } else if descending {
                let mid = r_lo + ys[r_lo..r_hi].partition_point(|&y| y > threshold);
                stack.push((l, c_lo, c_hi, mid, r_hi));
                stack.push((rt, c_lo, c_hi, r_lo, mid));
            } else {
                let mid = r_lo + ys[r_lo..r_hi].partition_point(|&y| !(y > threshold));
                stack.push((l, c_lo, c_hi, r_lo, mid));
                stack.push((rt, c_lo, c_hi, mid, r_hi));
            }
        }
        true
    }

    /// Adds every leaf's `value(leaf)` (one value per output of `sums`) to its box of pixels in
    /// `sums`: the tree's predictions added to a running sum over trees at a cost per leaf, not
    /// per pixel (see [`BoxSums`]). False (nothing added) when [`DecisionTree::grid_boxes`] gives
    /// no boxes or a value has not `sums`' number of outputs.
    pub fn add_grid_boxes<'a>(
        &'a self,
        xs: &[f64],
        ys: &[f64],
        sums: &mut BoxSums,
        mut value: impl FnMut(usize) -> &'a [f64],
    ) -> bool {
        if xs.len() != sums.width || ys.len() != sums.height {
            return false;
        }
        let mut whole = true;
        let boxed = self.grid_boxes(xs, ys, |leaf, columns, rows| {
            let v = value(leaf);
            if v.len() == sums.outputs {
                sums.add(columns, rows, v);
            } else {
                whole = false;
            }
        });
        boxed && whole
    }

    /// [`DecisionTree::grid_values`] as an `(xs.len() · ys.len()) × n_outputs` matrix, as
    /// `predict` gives it on the grid points in that order.
    pub fn predict_grid(&self, xs: &[f64], ys: &[f64]) -> Result<DMatrix<f64>> {
        let values = self.grid_values(xs, ys)?;
        let n = xs.len() * ys.len();
        Ok(DMatrix::from_row_slice(n, self.tree.n_outputs, &values))
    }
}

/// Sums of values added to boxes of a `width × height` grid (`outputs` values per pixel), as a
/// 2-D difference array: adding `v` to the box of columns `c₀..c₁` and rows `r₀..r₁` is four
/// updates at its corners (`+v` at `(r₀, c₀)` and `(r₁, c₁)`, `−v` at `(r₀, c₁)` and `(r₁, c₀)`),
/// and [`BoxSums::sums`] makes every pixel's sum in one pass of running sums, along each row and
/// then down each column. A forest's trees each cut the grid into leaf boxes
/// ([`DecisionTree::grid_boxes`]), so the sum of `n` trees over `P` pixels costs `O(leaves)` per
/// tree plus `O(P)` once, instead of `O(P)` per tree.
///
/// The sums are those of adding the values pixel by pixel up to rounding: the running sums along
/// a row are differences of neighbouring rows' sums (bounded by the sums' size, not by how many
/// boxes were added), so for values of order one the difference is a few units in the last
/// place of the largest sum per row or column crossed (tested to 1e-12 on 100-tree forests).
#[derive(Debug, Clone)]
pub struct BoxSums {
    width: usize,
    height: usize,
    outputs: usize,
    /// `(height + 1) × (width + 1) × outputs`, row-major.
    diff: Vec<f64>,
}

impl BoxSums {
    /// Zero sums on a `width × height` grid with `outputs` values per pixel; `None` when the grid
    /// would hold more than [`MAX_GRID_VALUES`] values.
    pub fn new(width: usize, height: usize, outputs: usize) -> Option<BoxSums> {
        let len = (width + 1).checked_mul(height + 1)?.checked_mul(outputs.max(1))?;
        (len <= MAX_GRID_VALUES).then(|| BoxSums { width, height, outputs, diff: vec![0.0; len] })
    }

    /// Adds `values` (one per output) to every pixel of columns `columns` and rows `rows`
    /// (clipped to the grid).
    pub fn add(&mut self, columns: std::ops::Range<usize>, rows: std::ops::Range<usize>, values: &[f64]) {
        let (c0, c1) = (columns.start.min(self.width), columns.end.min(self.width));
        let (r0, r1) = (rows.start.min(self.height), rows.end.min(self.height));
        if c0 >= c1 || r0 >= r1 || values.len() != self.outputs {
            return;
        }
        let (k, stride) = (self.outputs, (self.width + 1) * self.outputs);
        for (o, &v) in values.iter().enumerate() {
            self.diff[r0 * stride + c0 * k + o] += v;
            self.diff[r0 * stride + c1 * k + o] -= v;
            self.diff[r1 * stride + c0 * k + o] -= v;
            self.diff[r1 * stride + c1 * k + o] += v;
        }
    }

    /// Every pixel's sum, row-major with `outputs` values per pixel (as
    /// [`DecisionTree::grid_values`]).
    pub fn sums(&self) -> Vec<f64> {
        let (w, h, k) = (self.width, self.height, self.outputs);
        let mut out = vec![0.0; w * h * k];
        if w == 0 || k == 0 {
            return out;
        }
        let stride = (w + 1) * k;
        let mut run = vec![0.0; w * k];
        for r in 0..h {
            // `run`: this row's sums minus the last row's, as running sums of the differences
            let diff = &self.diff[r * stride..r * stride + w * k];
            let mut acc = [0.0; 8];
            if k <= 8 {
                for (pixel, d) in run.chunks_exact_mut(k).zip(diff.chunks_exact(k)) {
                    for ((a, p), d) in acc.iter_mut().zip(pixel).zip(d) {
                        *a += d;
                        *p = *a;
                    }
                }
            } else {
                for o in 0..k {
                    let mut a = 0.0;
                    for c in 0..w {
                        a += diff[c * k + o];
                        run[c * k + o] = a;
                    }
                }
            }
            let (above, row) = out.split_at_mut(r * w * k);
            let row = &mut row[..w * k];
            if r == 0 {
                row.copy_from_slice(&run);
            } else {
                let above = &above[(r - 1) * w * k..];
                for ((v, a), d) in row.iter_mut().zip(above).zip(&run) {
                    *v = a + d;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::TreeParams;
    use super::*;
    use crate::data::generate::{generate, DataSpec, DatasetKind};
    use crate::data::Dataset;
    use crate::model::Hyperparams;

    fn fitted(params: TreeParams, data: &Dataset) -> DecisionTree {
        let mut model = params.build(0).unwrap();
        model.fit(data).unwrap();
        model
    }

    fn noisy(kind: DatasetKind, classes: usize) -> Dataset {
        generate(&DataSpec { kind, n: 400, noise: 0.6, seed: 7, classes, ..DataSpec::default() }).unwrap()
    }

    /// The grid path against `predict` on the same points, exactly.
    fn assert_matches_predict(model: &DecisionTree, xs: &[f64], ys: &[f64]) {
        let points: Vec<f64> = ys.iter().flat_map(|&y| xs.iter().flat_map(move |&x| [x, y])).collect();
        let slow = model.predict(&DMatrix::from_row_slice(xs.len() * ys.len(), 2, &points)).unwrap();
        let fast = model.grid_values(xs, ys).unwrap();
        assert_eq!(fast, slow.transpose().as_slice(), "{xs:?} × {ys:?}");
    }

    #[test]
    fn boxes_equal_pointwise_predictions_in_every_row_order() {
        let axis = |n: usize, lo: f64, hi: f64| -> Vec<f64> {
            (0..n).map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64).collect()
        };
        let xs = axis(61, -5.0, 5.0);
        let up = axis(47, -5.0, 5.0);
        let down: Vec<f64> = up.iter().rev().copied().collect();
        let shuffled: Vec<f64> = (0..47).map(|i| up[(i * 19) % 47]).collect();
        let models = [
            fitted(TreeParams::default(), &noisy(DatasetKind::Spiral, 3)),
            fitted(TreeParams { max_depth: Some(4), ..Default::default() }, &noisy(DatasetKind::Blobs, 4)),
            fitted(TreeParams::default(), &noisy(DatasetKind::Xor, 2)),
            fitted(TreeParams { max_leaf_nodes: Some(9), ..Default::default() }, &noisy(DatasetKind::Moons, 2)),
        ];
        for model in &models {
            assert!(model.n_leaves() > 4);
            for ys in [&up, &down, &shuffled] {
                assert_matches_predict(model, &xs, ys);
            }
            // Grid points exactly on thresholds go left, as in `predict`.
            let t = &model.tree;
            let on = |feature: i32| -> Vec<f64> {
                let mut v: Vec<f64> = (0..t.node_count())
                    .filter(|&i| !t.is_leaf(i) && t.feature[i] == feature)
                    .map(|i| t.threshold[i])
                    .collect();
                v.sort_by(f64::total_cmp);
                v
            };
            let (tx, ty) = (on(0), on(1));
            assert_matches_predict(model, &tx, &ty);
            assert_matches_predict(model, &tx, &ty.iter().rev().copied().collect::<Vec<_>>());
            // One pixel, one row, one column, none.
            assert_matches_predict(model, &[0.3], &[-0.2]);
            assert_matches_predict(model, &xs, &[1.0]);
            assert_matches_predict(model, &[1.0], &down);
            assert!(model.grid_values(&[], &down).unwrap().is_empty());
            assert!(model.grid_values(&xs, &[]).unwrap().is_empty());
            // A descending x axis is the slow path, still equal.
            let reversed: Vec<f64> = xs.iter().rev().copied().collect();
            assert_matches_predict(model, &reversed, &down);
        }
    }

    #[test]
    fn damaged_trees_do_not_panic() {
        let mut model = fitted(TreeParams { max_depth: Some(3), ..Default::default() }, &noisy(DatasetKind::Xor, 2));
        let xs = [-1.0, 0.0, 1.0];
        // A child pointing back up (a loop) is a leaf; a short value array leaves zeros.
        model.tree.children_left[0] = 0;
        assert_eq!(model.grid_values(&xs, &xs).unwrap().len(), 18);
        model.tree.value.truncate(1);
        assert_eq!(model.grid_values(&xs, &xs).unwrap(), vec![0.0; 18]);
        // NaN thresholds send every point left, as in `predict`.
        let mut nan = fitted(TreeParams { max_depth: Some(3), ..Default::default() }, &noisy(DatasetKind::Xor, 2));
        nan.tree.threshold.iter_mut().for_each(|t| *t = f64::NAN);
        assert_matches_predict(&nan, &xs, &[1.0, 0.0, -1.0]);
        assert!(nan.grid_values(&[f64::NAN], &xs).is_err());
    }
}
