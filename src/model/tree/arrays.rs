//! The tree itself as flat arrays, one entry per node (a struct of arrays, laid out like
//! scikit-learn's `tree_`), and everything that only reads it: prediction without per-row
//! allocation, validation of imported trees, renumbering, node lists, regions and importances.
//!
//! Conventions (the same as scikit-learn's, so an export can be compared with `clf.tree_`):
//! a leaf has `children_left = children_right = -1`, `feature = -2`, `threshold = -2.0`;
//! a sample goes left when `x[feature] <= threshold`; `value` holds `n_outputs` numbers per node
//! (weighted class fractions for classification, the mean target for regression), node-major.
//! Every child id is larger than its parent's id, which is what makes traversal terminate.

use crate::error::Result;
use serde::{Deserialize, Serialize};

/// `children_left` / `children_right` of a leaf.
pub const LEAF: i32 = -1;
/// `feature` of a leaf (its `threshold` is `-2.0`).
pub const UNDEFINED: i32 = -2;
/// Rows walked side by side in [`TreeArrays::walk_rows`].
const LANES: usize = 8;
/// Trees up to this depth are walked a fixed number of levels (no early-exit test).
const FIXED_LEVELS: usize = 16;

pub use crate::model::view::NodeInfo;

/// A tree as flat arrays; see the module documentation for the conventions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TreeArrays {
    pub n_features: usize,
    /// Numbers per node in `value`: the number of classes, or 1 for regression.
    pub n_outputs: usize,
    pub children_left: Vec<i32>,
    pub children_right: Vec<i32>,
    pub feature: Vec<i32>,
    pub threshold: Vec<f64>,
    pub impurity: Vec<f64>,
    pub n_node_samples: Vec<usize>,
    pub weighted_n_node_samples: Vec<f64>,
    pub value: Vec<f64>,
}

impl TreeArrays {
    /// An empty tree (no nodes yet) for `n_features` inputs and `n_outputs` values per node.
    pub fn new(n_features: usize, n_outputs: usize) -> Self {
        TreeArrays { n_features, n_outputs, ..Default::default() }
    }

    pub fn node_count(&self) -> usize {
        self.children_left.len()
    }

    pub fn is_leaf(&self, node: usize) -> bool {
        self.children_left.get(node).is_none_or(|&c| c < 0)
    }

    /// Appends a leaf and returns its id.
    pub fn push_leaf(&mut self, impurity: f64, n_samples: usize, weighted_n_samples: f64, value: &[f64]) -> usize {
        let id = self.node_count();
        self.children_left.push(LEAF);
        self.children_right.push(LEAF);
        self.feature.push(UNDEFINED);
        self.threshold.push(UNDEFINED as f64);
        self.impurity.push(impurity);
        self.n_node_samples.push(n_samples);
        self.weighted_n_node_samples.push(weighted_n_samples);
        self.value.extend_from_slice(value);
        id
    }

    /// Turns leaf `node` into a split on `feature` at `threshold` with the given children.
    pub fn set_split(&mut self, node: usize, feature: usize, threshold: f64, left: usize, right: usize) {
        self.children_left[node] = left as i32;
        self.children_right[node] = right as i32;
        self.feature[node] = feature as i32;
        self.threshold[node] = threshold;
    }

    pub fn value_of(&self, node: usize) -> &[f64] {
        let k = self.n_outputs;
        self.value.get(node * k..(node + 1) * k).unwrap_or(&[])
    }

    /// The leaf reached by a row whose feature `f` is `row(f)`.
    ///
    /// Meaningful once [`TreeArrays::validate`] has passed (true for every tree this crate builds
    /// or imports); on a damaged tree it stops early instead of panicking or looping.
    #[inline]
    pub fn leaf_of(&self, row: impl Fn(usize) -> f64) -> usize {
        let mut node = 0usize;
        while let Some(&left) = self.children_left.get(node) {
            if left < 0 {
                break;
            }
            let (Some(&f), Some(&t), Some(&right)) =
                (self.feature.get(node), self.threshold.get(node), self.children_right.get(node))
            else {
                break;
            };
            let next = if row(f as usize) <= t { left as usize } else { right as usize };
            if next <= node {
                break; // only a damaged tree points backwards; stopping keeps the walk finite
            }
            node = next;
        }
        node
    }

    /// Calls `visit(row, leaf)` with the leaf of every row of a column-major
    /// `n × n_features` matrix `xs` (finite values).
    ///
    /// Walking one row is a chain of dependent loads, so rows are walked `LANES` (8) at a time
    /// (independent chains the CPU overlaps) over a packed copy of the tree: one 16-byte record
    /// per node (threshold, column offset `feature · n`, first child) with siblings adjacent
    /// (breadth-first order), so a level is `next = first_child + (x > threshold)`, without
    /// branches. Leaves point to themselves with an infinite threshold, so a lane that reaches
    /// its leaf stays there while the others finish; shallow trees take a fixed number of levels,
    /// deep ones stop when no lane moved. Every index in the copy is checked once when it is
    /// built, so the walk cannot go out of bounds even on a damaged tree.
    pub fn walk_rows(&self, xs: &[f64], n: usize, visit: impl FnMut(usize, usize)) {
        self.walk_strided(xs, n, n, 1, visit)
    }

    /// [`TreeArrays::walk_rows`] on a row-major `n × n_features` matrix `xs` (a caller's rows,
    /// walked where they are: no column-major copy).
    pub fn walk_rows_row_major(&self, xs: &[f64], n: usize, visit: impl FnMut(usize, usize)) {
        self.walk_strided(xs, n, 1, self.n_features, visit)
    }

    /// The walk of [`TreeArrays::walk_rows`] with value `(row, feature)` at
    /// `xs[feature · column_stride + row · row_stride]` (column-major: `n`, 1; row-major: 1,
    /// `n_features`).
    fn walk_strided(
        &self,
        xs: &[f64],
        n: usize,
        column_stride: usize,
        row_stride: usize,
        mut visit: impl FnMut(usize, usize),
    ) {
        #[derive(Clone, Copy)]
        struct Packed {
            threshold: f64,
            offset: u32,
            first_child: u32,
        }
        let n_nodes = self.node_count();
        if n_nodes == 0 || n == 0 || xs.len() < n * self.n_features || xs.len() > u32::MAX as usize {
            return;
        }
        let mut packed: Vec<Packed> = Vec::with_capacity(n_nodes);
        let mut original: Vec<u32> = Vec::with_capacity(n_nodes);
        let mut queue = std::collections::VecDeque::from([(0usize, 0usize)]);
        let mut levels = 0;
        while let Some((node, depth)) = queue.pop_front() {
            if packed.len() >= n_nodes {
                return; // only a damaged tree (shared children) has more paths than nodes
            }
            let id = packed.len() as u32;
            let (l, r, f) = (self.children_left[node], self.children_right[node], self.feature[node]);
            let valid = |c: i32| c > node as i32 && (c as usize) < n_nodes;
            if valid(l) && valid(r) && f >= 0 && (f as usize) < self.n_features {
                let first_child = (packed.len() + queue.len() + 1) as u32;
                packed.push(Packed {
                    threshold: self.threshold[node],
                    offset: (f as usize * column_stride) as u32,
                    first_child,
                });
                queue.push_back((l as usize, depth + 1));
                queue.push_back((r as usize, depth + 1));
                levels = levels.max(depth + 1);
            } else {
                packed.push(Packed { threshold: f64::INFINITY, offset: 0, first_child: id });
            }
            original.push(node as u32);
        }
        // first_child + 1 < packed.len() for every split, and offset + row · row_stride < n_features · n
        let mut i = 0;
        while i + LANES <= n {
            let mut node = [0u32; LANES];
            if levels <= FIXED_LEVELS {
                for _ in 0..levels {
                    for (lane, nd) in node.iter_mut().enumerate() {
                        let p = packed[*nd as usize];
                        *nd = p.first_child + (xs[p.offset as usize + (i + lane) * row_stride] > p.threshold) as u32;
                    }
                }
            } else {
                loop {
                    let mut moved = false;
                    for (lane, nd) in node.iter_mut().enumerate() {
                        let p = packed[*nd as usize];
                        let next =
                            p.first_child + (xs[p.offset as usize + (i + lane) * row_stride] > p.threshold) as u32;
                        moved |= next != *nd;
                        *nd = next;
                    }
                    if !moved {
                        break;
                    }
                }
            }
            for (lane, &nd) in node.iter().enumerate() {
                visit(i + lane, original[nd as usize] as usize);
            }
            i += LANES;
        }
        for row in i..n {
            let mut k = 0u32;
            loop {
                let p = packed[k as usize];
                let next = p.first_child + (xs[p.offset as usize + row * row_stride] > p.threshold) as u32;
                if next == k {
                    break;
                }
                k = next;
            }
            visit(row, original[k as usize] as usize);
        }
    }

    /// Checks that the arrays form a tree prediction can walk: consistent lengths, children that
    /// exist and come after their parent, exactly one parent per non-root node, features in
    /// range, finite numbers.
    pub fn validate(&self) -> Result<()> {
        self.validate_in("tree", "tree")
    }

    /// [`TreeArrays::validate`] for a tree at `at` in a `model` (a family key) file: a refusal
    /// names the field, e.g. `trees[2].tree.threshold[5]`.
    pub fn validate_in(&self, model: &str, at: &str) -> Result<()> {
        use crate::model::file::{out_of_range, refuse, Damage};
        let field = |name: &str| format!("{at}.{name}");
        let node_field = |name: &str, node: usize| format!("{at}.{name}[{node}]");
        let n = self.node_count();
        if self.n_features == 0 {
            return refuse(model, field("n_features"), out_of_range(0, 1, 10_000));
        }
        if self.n_outputs == 0 {
            return refuse(model, field("n_outputs"), out_of_range(0, 1, 10_000));
        }
        let lengths = [
            ("children_right", self.children_right.len(), n),
            ("feature", self.feature.len(), n),
            ("threshold", self.threshold.len(), n),
            ("impurity", self.impurity.len(), n),
            ("n_node_samples", self.n_node_samples.len(), n),
            ("weighted_n_node_samples", self.weighted_n_node_samples.len(), n),
            ("value", self.value.len(), n.saturating_mul(self.n_outputs)),
        ];
        if let Some(&(name, got, expected)) = lengths.iter().find(|(_, got, expected)| got != expected) {
            return refuse(model, field(name), Damage::Length { got, expected });
        }
        if n > i32::MAX as usize {
            return refuse(model, field("children_left"), out_of_range(n, 0, i32::MAX as usize));
        }
        let mut parents = vec![0u8; n];
        for node in 0..n {
            let (l, r) = (self.children_left[node], self.children_right[node]);
            if l < 0 || r < 0 {
                if l != LEAF || r != LEAF {
                    return refuse(model, node_field("children_left", node), Damage::Invalid("one_child"));
                }
                continue;
            }
            for (name, child) in [("children_left", l as usize), ("children_right", r as usize)] {
                if child <= node || child >= n {
                    return refuse(model, node_field(name, node), Damage::Invalid("child_not_later"));
                }
                parents[child] = parents[child].saturating_add(1);
            }
            if l == r {
                return refuse(model, node_field("children_right", node), Damage::Invalid("same_children"));
            }
            let f = self.feature[node];
            if f < 0 || f as usize >= self.n_features {
                let range = Damage::Range { got: f as f64, min: 0.0, max: self.n_features as f64 - 1.0 };
                return refuse(model, node_field("feature", node), range);
            }
            if self.threshold[node].is_nan() {
                return refuse(model, node_field("threshold", node), Damage::NotFinite);
            }
        }
        if let Some(node) = (1..n).find(|&i| parents[i] != 1) {
            return refuse(model, node_field("children_left", node), Damage::Invalid("parents"));
        }
        if n > 0 && parents[0] != 0 {
            return refuse(model, field("children_left"), Damage::Invalid("root_child"));
        }
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        for (name, values) in [
            ("impurity", &self.impurity),
            ("weighted_n_node_samples", &self.weighted_n_node_samples),
            ("value", &self.value),
        ] {
            if !finite(values) {
                return refuse(model, field(name), Damage::NotFinite);
            }
        }
        Ok(())
    }

    /// Parent id and depth of every node (children come after parents, so one forward pass).
    pub fn parents_and_depths(&self) -> (Vec<Option<usize>>, Vec<usize>) {
        let n = self.node_count();
        let mut parent = vec![None; n];
        let mut depth = vec![0usize; n];
        for node in 0..n {
            if self.is_leaf(node) {
                continue;
            }
            for child in [self.children_left[node], self.children_right[node]] {
                if let Some(c) = usize::try_from(child).ok().filter(|&c| c < n) {
                    parent[c] = Some(node);
                    depth[c] = depth[node] + 1;
                }
            }
        }
        (parent, depth)
    }

    /// The depth of the deepest leaf (0 for a single leaf or an empty tree).
    pub fn max_depth(&self) -> usize {
        self.parents_and_depths().1.into_iter().max().unwrap_or(0)
    }

    pub fn n_leaves(&self) -> usize {
        (0..self.node_count()).filter(|&i| self.is_leaf(i)).count()
    }

    /// A copy numbered in depth-first preorder (root, left subtree, right subtree), keeping only
    /// nodes reachable from the root without passing through a node for which `is_leaf` holds;
    /// those become leaves. This is scikit-learn's numbering for depth-first growth and pruning.
    pub fn rebuild_preorder(&self, is_leaf: impl Fn(usize) -> bool) -> TreeArrays {
        let mut out = TreeArrays::new(self.n_features, self.n_outputs);
        if self.node_count() == 0 {
            return out;
        }
        // (old id, new parent id, is left child)
        let mut stack: Vec<(usize, Option<usize>, bool)> = vec![(0, None, false)];
        while let Some((old, parent, is_left)) = stack.pop() {
            let new = out.push_leaf(
                self.impurity[old],
                self.n_node_samples[old],
                self.weighted_n_node_samples[old],
                self.value_of(old),
            );
            if let Some(p) = parent {
                if is_left {
                    out.children_left[p] = new as i32;
                } else {
                    out.children_right[p] = new as i32;
                }
            }
            if !self.is_leaf(old) && !is_leaf(old) {
                out.feature[new] = self.feature[old];
                out.threshold[new] = self.threshold[old];
                stack.push((self.children_right[old] as usize, Some(new), false));
                stack.push((self.children_left[old] as usize, Some(new), true));
            }
        }
        out
    }

    /// Every node with its drawing information.
    pub fn nodes(&self) -> Vec<NodeInfo> {
        let (parent, depth) = self.parents_and_depths();
        (0..self.node_count())
            .map(|id| {
                let leaf = self.is_leaf(id);
                let child = |c: i32| if leaf { None } else { usize::try_from(c).ok() };
                NodeInfo {
                    id,
                    depth: depth[id],
                    parent: parent[id],
                    left: child(self.children_left[id]),
                    right: child(self.children_right[id]),
                    feature: if leaf { None } else { usize::try_from(self.feature[id]).ok() },
                    threshold: if leaf { None } else { Some(self.threshold[id]) },
                    impurity: self.impurity[id],
                    n_samples: self.n_node_samples[id],
                    weighted_n_samples: self.weighted_n_node_samples[id],
                    value: self.value_of(id).to_vec(),
                    is_leaf: leaf,
                }
            })
            .collect()
    }

    /// The axis-aligned box of every node inside `bounds` (one `(low, high)` per feature),
    /// indexed by node id. A threshold outside the bounds gives a child a zero-width box.
    pub fn regions(&self, bounds: &[(f64, f64)]) -> Result<Vec<Vec<(f64, f64)>>> {
        if bounds.len() != self.n_features {
            return Err(err!(
                InvalidParameter,
                "internal",
                detail = format!(
                    "the tree has {n_features} feature(s) but {bounds} bound(s) were given",
                    n_features = self.n_features,
                    bounds = bounds.len()
                )
            ));
        }
        if let Some((f, _)) =
            bounds.iter().enumerate().find(|(_, (lo, hi))| !lo.is_finite() || !hi.is_finite() || lo > hi)
        {
            return Err(err!(
                InvalidParameter,
                "internal",
                detail = format!("the bounds of feature {f} must be finite with low ≤ high", f = f + 1)
            ));
        }
        let n = self.node_count();
        let mut regions = vec![bounds.to_vec(); n];
        for node in 0..n {
            if self.is_leaf(node) {
                continue;
            }
            let f = self.feature[node] as usize;
            let t = self.threshold[node];
            let (Ok(l), Ok(r)) =
                (usize::try_from(self.children_left[node]), usize::try_from(self.children_right[node]))
            else {
                continue;
            };
            let Some(&(lo, hi)) = regions.get(node).and_then(|b| b.get(f)) else {
                continue;
            };
            let mut left = regions[node].clone();
            let mut right = left.clone();
            left[f] = (lo, t.min(hi).max(lo));
            right[f] = (t.max(lo).min(hi), hi);
            if let (true, true) = (l < n, r < n) {
                regions[l] = left;
                regions[r] = right;
            }
        }
        Ok(regions)
    }

    /// Impurity-based feature importances, as scikit-learn's `feature_importances_`: each split
    /// adds `N_t·i(t) − N_l·i(l) − N_r·i(r)` (weighted sample counts) to its feature; the totals
    /// are divided by the root's weight and then normalised to sum to 1 (all zeros for a single
    /// leaf).
    pub fn feature_importances(&self) -> Vec<f64> {
        let mut importances = vec![0.0; self.n_features];
        let n = self.node_count();
        if n == 0 {
            return importances;
        }
        let w = &self.weighted_n_node_samples;
        for node in 0..n {
            if self.is_leaf(node) {
                continue;
            }
            let (l, r) = (self.children_left[node] as usize, self.children_right[node] as usize);
            if let (Some(slot), true, true) = (importances.get_mut(self.feature[node] as usize), l < n, r < n) {
                *slot += w[node] * self.impurity[node] - w[l] * self.impurity[l] - w[r] * self.impurity[r];
            }
        }
        for v in importances.iter_mut() {
            *v /= w[0];
        }
        let total: f64 = importances.iter().sum();
        if total > 0.0 {
            for v in importances.iter_mut() {
                *v /= total;
            }
        }
        importances
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// root splits x0 at 0.5; its right child splits x1 at 2.0.
    fn small() -> TreeArrays {
        let mut t = TreeArrays::new(2, 1);
        t.push_leaf(4.0, 4, 4.0, &[1.0]);
        t.push_leaf(0.0, 1, 1.0, &[-1.0]);
        t.push_leaf(1.0, 3, 3.0, &[2.0]);
        t.set_split(0, 0, 0.5, 1, 2);
        t.push_leaf(0.0, 2, 2.0, &[3.0]);
        t.push_leaf(0.0, 1, 1.0, &[0.0]);
        t.set_split(2, 1, 2.0, 3, 4);
        t
    }

    #[test]
    fn traversal_regions_and_depths() {
        let t = small();
        t.validate().unwrap();
        assert_eq!(t.leaf_of(|f| [0.0, 9.0][f]), 1);
        assert_eq!(t.leaf_of(|f| [0.5, 9.0][f]), 1, "equal to the threshold goes left");
        assert_eq!(t.leaf_of(|f| [1.0, 2.0][f]), 3);
        assert_eq!(t.leaf_of(|f| [1.0, 2.5][f]), 4);
        let regions = t.regions(&[(0.0, 1.0), (0.0, 4.0)]).unwrap();
        assert_eq!(regions[1], vec![(0.0, 0.5), (0.0, 4.0)]);
        assert_eq!(regions[3], vec![(0.5, 1.0), (0.0, 2.0)]);
        assert_eq!(regions[4], vec![(0.5, 1.0), (2.0, 4.0)]);
        // a threshold outside the box gives an empty (zero-width) region, not an inverted one
        let regions = t.regions(&[(0.0, 1.0), (3.0, 4.0)]).unwrap();
        assert_eq!(regions[3][1], (3.0, 3.0));
        assert!(t.regions(&[(0.0, 1.0)]).is_err());
        assert!(t.regions(&[(1.0, 0.0), (0.0, 1.0)]).is_err());
        assert_eq!(t.max_depth(), 2);
        assert_eq!(t.n_leaves(), 3);
        let nodes = t.nodes();
        assert_eq!(nodes[3].parent, Some(2));
        assert_eq!(nodes[3].depth, 2);
        assert_eq!(nodes[2].left, Some(3));
        assert!(nodes[4].is_leaf && nodes[4].feature.is_none());
    }

    #[test]
    fn walking_rows_in_blocks_matches_one_at_a_time() {
        let t = small();
        // 21 rows (two blocks of 8 and a remainder), column-major
        let rows: Vec<[f64; 2]> = (0..21).map(|i| [(i % 3) as f64 * 0.4, (i % 5) as f64]).collect();
        let xs: Vec<f64> = rows.iter().map(|r| r[0]).chain(rows.iter().map(|r| r[1])).collect();
        let mut leaves = [usize::MAX; 21];
        t.walk_rows(&xs, 21, |row, leaf| leaves[row] = leaf);
        for (row, r) in rows.iter().enumerate() {
            assert_eq!(leaves[row], t.leaf_of(|f| r[f]), "row {row}");
        }
        assert!(leaves.contains(&1) && leaves.contains(&3) && leaves.contains(&4));
    }

    #[test]
    fn importances_follow_impurity_decrease() {
        // root: 4·4 − 1·0 − 3·1 = 13 for x0; node 2: 3·1 − 0 − 0 = 3 for x1.
        let imp = small().feature_importances();
        assert!((imp[0] - 13.0 / 16.0).abs() < 1e-15 && (imp[1] - 3.0 / 16.0).abs() < 1e-15);
        let mut single = TreeArrays::new(2, 1);
        single.push_leaf(1.0, 3, 3.0, &[0.0]);
        assert_eq!(single.feature_importances(), vec![0.0, 0.0]);
    }

    #[test]
    fn preorder_renumbering_and_cutting() {
        let mut t = TreeArrays::new(1, 1);
        // best-first order: 0 → (1, 2); 1 → (3, 4)
        t.push_leaf(0.5, 4, 4.0, &[0.0]);
        t.push_leaf(0.4, 2, 2.0, &[1.0]);
        t.push_leaf(0.0, 2, 2.0, &[2.0]);
        t.set_split(0, 0, 5.0, 1, 2);
        t.push_leaf(0.0, 1, 1.0, &[3.0]);
        t.push_leaf(0.0, 1, 1.0, &[4.0]);
        t.set_split(1, 0, 2.0, 3, 4);
        let p = t.rebuild_preorder(|_| false);
        p.validate().unwrap();
        assert_eq!(p.children_left, vec![1, 2, -1, -1, -1]);
        assert_eq!(p.children_right, vec![4, 3, -1, -1, -1]);
        assert_eq!(p.value, vec![0.0, 1.0, 3.0, 4.0, 2.0]);
        let cut = t.rebuild_preorder(|i| i == 1);
        assert_eq!(cut.node_count(), 3);
        assert_eq!(cut.value, vec![0.0, 1.0, 2.0]);
        assert!(cut.is_leaf(1) && cut.feature[1] == UNDEFINED);
    }

    #[test]
    fn validation_rejects_damaged_trees() {
        let good = small();
        let mut t = good.clone();
        t.children_left[0] = 0; // a cycle
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.children_right[2] = 99; // out of range
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.children_left[2] = 1; // node 1 gets two parents (and points backwards)
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.children_left[1] = 3;
        t.children_right[1] = 4; // 3 and 4 get two parents
        t.feature[1] = 0;
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.feature[0] = 2;
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.threshold[0] = f64::NAN;
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.value.pop();
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.children_right[0] = -1; // only one child
        assert!(t.validate().is_err());
        let mut t = good;
        t.impurity[3] = f64::INFINITY;
        assert!(t.validate().is_err());
        // a damaged tree never makes traversal panic or loop
        let xs = [0.0, 1.0, 0.0, 3.0]; // two rows, column-major
        for damage in 0..4 {
            let mut t = small();
            match damage {
                0 => t.children_left[0] = 0,                             // cycle
                1 => t.feature[0] = 7,                                   // no such feature
                2 => t.children_right[0] = 1,                            // shared child
                _ => (t.children_left[2], t.children_right[2]) = (1, 9), // backwards, out of range
            }
            assert!(t.validate().is_err());
            let _ = t.leaf_of(|f| xs.get(f).copied().unwrap_or(0.0));
            let mut visited = 0;
            t.walk_rows(&xs, 2, |_, leaf| {
                assert!(leaf < t.node_count());
                visited += 1;
            });
            assert!(visited <= 2);
        }
    }
}
