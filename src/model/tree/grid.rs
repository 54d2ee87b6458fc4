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

    /// [`DecisionTree::grid_values`] as an `(xs.len() · ys.len()) × n_outputs` matrix, as
    /// `predict` gives it on the grid points in that order.
    pub fn predict_grid(&self, xs: &[f64], ys: &[f64]) -> Result<DMatrix<f64>> {
        let values = self.grid_values(xs, ys)?;
        let n = xs.len() * ys.len();
        Ok(DMatrix::from_row_slice(n, self.tree.n_outputs, &values))
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
