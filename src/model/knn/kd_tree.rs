//! A k-d tree over the training points of [`super::KNearestNeighbors`], for exact k-nearest-neighbour
//! queries under a Minkowski distance (p ≥ 1).
//!
//! Built once per fit: each node owns a contiguous range of the reordered points and their bounding
//! box; a node of more than [`LEAF_SIZE`] points splits at the median of its widest dimension.
//! Queries keep the k best `(distance, index)` pairs in a max-heap and skip a node whose box is
//! farther than the current k-th distance. Distances are compared in their reduced, rank-preserving
//! form `Σ |xⱼ − qⱼ|^p` (no root taken), as scikit-learn's `KDTree` does.
//!
//! Ties: pairs compare by distance, then by training index, so among points at equal distance the
//! lower index is kept. The search never skips a node whose box is exactly at the k-th distance,
//! so this holds however the points are laid out in the tree.

use crate::data::order::order_by_value;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Most points in a leaf.
const LEAF_SIZE: usize = 16;

/// A neighbour found: its reduced distance and its index in the training set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    pub reduced: f64,
    pub index: usize,
}

impl Eq for Neighbour {}
impl PartialOrd for Neighbour {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Neighbour {
    fn cmp(&self, other: &Self) -> Ordering {
        self.reduced.total_cmp(&other.reduced).then(self.index.cmp(&other.index))
    }
}

#[derive(Debug, Clone, Default)]
struct Node {
    start: usize,
    end: usize,
    /// Children, or `usize::MAX` for a leaf.
    left: usize,
    right: usize,
}

/// A build's working lists: dimension `j`'s point indices are `order[j*n .. (j+1)*n]`.
struct Work {
    n: usize,
    order: Vec<u32>,
    goes_left: Vec<bool>,
    spare: Vec<u32>,
}

/// The tree: points reordered so every node's points are contiguous.
#[derive(Debug, Clone, Default)]
pub struct KdTree {
    d: usize,
    p: f64,
    /// Row-major points in tree order.
    points: Vec<f64>,
    /// The training index of each point in tree order.
    index: Vec<usize>,
    nodes: Vec<Node>,
    /// Per node: `d` lows then `d` highs.
    bounds: Vec<f64>,
}

impl KdTree {
    /// Builds the tree over `n = rows.len() / d` row-major points, for the distance of order `p`.
    pub fn build(rows: &[f64], d: usize, p: f64) -> KdTree {
        let n = rows.len().checked_div(d).unwrap_or(0);
        let nodes = 2 * n.div_ceil(LEAF_SIZE);
        let mut tree = KdTree {
            d,
            p,
            points: Vec::with_capacity(n * d),
            index: Vec::with_capacity(n),
            nodes: Vec::with_capacity(nodes),
            bounds: Vec::with_capacity(nodes * 2 * d),
        };
        if n > 0 {
            // every dimension's points sorted once, by value then training index
            let mut order = Vec::with_capacity(n * d);
            let mut column = vec![0.0; n];
            for j in 0..d {
                column.iter_mut().zip(rows.chunks_exact(d)).for_each(|(c, row)| *c = row[j]);
                order.extend(order_by_value(&column));
            }
            let mut work = Work { n, order, goes_left: vec![false; n], spare: vec![0; n] };
            tree.split(rows, &mut work, 0, n);
            for &i in &work.order[..n] {
                tree.index.push(i as usize);
                tree.points.extend_from_slice(&rows[i as usize * d..(i as usize + 1) * d]);
            }
        }
        tree
    }

    /// Adds the node over positions `[start, end)` and its subtree; returns its id. Every
    /// dimension's list holds the node's points in that range, sorted on that dimension, so the
    /// node's box is read from the ends of the lists, its lower half (by value, then training
    /// index) is the first half of the widest dimension's list, and the other lists are stably
    /// partitioned to match: no comparison sort or selection per node.
    fn split(&mut self, rows: &[f64], work: &mut Work, start: usize, end: usize) -> usize {
        let (d, n) = (self.d, work.n);
        let id = self.nodes.len();
        self.nodes.push(Node { start, end, left: usize::MAX, right: usize::MAX });
        let at = self.bounds.len();
        for j in 0..d {
            let first = work.order[j * n + start] as usize;
            self.bounds.push(rows[first * d + j]);
        }
        for j in 0..d {
            let last = work.order[j * n + end - 1] as usize;
            self.bounds.push(rows[last * d + j]);
        }
        let (lo, hi) = self.bounds[at..].split_at(d);
        let widest = (0..d).max_by(|&a, &b| (hi[a] - lo[a]).total_cmp(&(hi[b] - lo[b])).then(b.cmp(&a))).unwrap_or(0);
        let spread = hi.get(widest).copied().unwrap_or(0.0) - lo.get(widest).copied().unwrap_or(0.0);
        if end - start <= LEAF_SIZE || spread <= 0.0 {
            return id;
        }
        let mid = start + (end - start) / 2;
        for (q, &i) in work.order[widest * n + start..widest * n + end].iter().enumerate() {
            work.goes_left[i as usize] = q < mid - start;
        }
        for j in (0..d).filter(|&j| j != widest) {
            let list = &mut work.order[j * n + start..j * n + end];
            let (mut l, mut r) = (0, 0);
            for q in 0..list.len() {
                let i = list[q];
                if work.goes_left[i as usize] {
                    list[l] = i;
                    l += 1;
                } else {
                    work.spare[r] = i;
                    r += 1;
                }
            }
            list[l..].copy_from_slice(&work.spare[..r]);
        }
        let left = self.split(rows, work, start, mid);
        let right = self.split(rows, work, mid, end);
        self.nodes[id].left = left;
        self.nodes[id].right = right;
        id
    }

    /// `|t|^p` summed: the reduced distance.
    pub fn reduced(&self, a: &[f64], b: &[f64]) -> f64 {
        let p = self.p;
        if let ([x0, x1], [y0, y1], true) = (a, b, p == 2.0) {
            // the plane (the surface's every query): the sum below, written out
            let (u, v) = (x0 - y0, x1 - y1);
            return u * u + v * v;
        }
        if p == 2.0 {
            a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
        } else if p == 1.0 {
            a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
        } else {
            a.iter().zip(b).map(|(x, y)| (x - y).abs().powf(p)).sum()
        }
    }

    /// The reduced distance from `q` to the box of `node` (0 inside it).
    fn box_distance(&self, node: usize, q: &[f64]) -> f64 {
        let d = self.d;
        if let ([x, y], true) = (q, d == 2 && self.p == 2.0) {
            // the plane, written out (the same sum)
            let b = &self.bounds[node * 4..node * 4 + 4];
            let gx = (b[0] - x).max(x - b[2]).max(0.0);
            let gy = (b[1] - y).max(y - b[3]).max(0.0);
            return gx * gx + gy * gy;
        }
        let (lo, hi) = self.bounds[node * 2 * d..(node + 1) * 2 * d].split_at(d);
        let gaps = lo.iter().zip(hi).zip(q).map(|((&lo, &hi), &x)| (lo - x).max(x - hi).max(0.0));
        // the order's test once per box, not per dimension
        let mut total = 0.0;
        if self.p == 2.0 {
            gaps.for_each(|gap| total += gap * gap);
        } else if self.p == 1.0 {
            gaps.for_each(|gap| total += gap);
        } else {
            gaps.for_each(|gap| total += gap.powf(self.p));
        }
        total
    }

    /// The true distance from a reduced one.
    pub fn distance(&self, reduced: f64) -> f64 {
        if self.p == 2.0 {
            reduced.sqrt()
        } else if self.p == 1.0 {
            reduced
        } else {
            reduced.powf(1.0 / self.p)
        }
    }

    /// The order of the distance.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// The reduced form of a distance (`distance^p`), as [`KdTree::reduced`] gives it.
    pub fn reduce(&self, distance: f64) -> f64 {
        if self.p == 2.0 {
            distance * distance
        } else if self.p == 1.0 {
            distance
        } else {
            distance.powf(self.p)
        }
    }

    /// The point at position `at` of the tree's order and its training index.
    pub fn point(&self, at: usize) -> (&[f64], usize) {
        (&self.points[at * self.d..(at + 1) * self.d], self.index[at])
    }

    /// The positions (for [`KdTree::point`]) of every training point whose reduced distance to
    /// `q` is at most `limit`, in no particular order.
    pub fn within(&self, q: &[f64], limit: f64, out: &mut Vec<usize>) {
        out.clear();
        if self.nodes.is_empty() || q.len() != self.d {
            return;
        }
        // depth first without an allocation: a median split halves a node, so the stack holds at
        // most one node per level plus one (under 66 for any `usize` count of points)
        let mut stack = [0usize; 128];
        let mut len = 1;
        while len > 0 {
            len -= 1;
            let node = stack[len];
            if self.box_distance(node, q) > limit {
                continue;
            }
            let n = &self.nodes[node];
            if n.left == usize::MAX {
                let d = self.d;
                out.extend((n.start..n.end).filter(|&at| self.reduced(&self.points[at * d..(at + 1) * d], q) <= limit));
            } else if len + 2 <= stack.len() {
                stack[len] = n.left;
                stack[len + 1] = n.right;
                len += 2;
            }
        }
    }

    /// The `k` nearest training points to `q`, nearest first (ties: lower index first).
    pub fn nearest(&self, q: &[f64], k: usize, heap: &mut BinaryHeap<Neighbour>, out: &mut Vec<Neighbour>) {
        heap.clear();
        out.clear();
        if k == 0 || self.nodes.is_empty() || q.len() != self.d {
            return;
        }
        self.search(0, q, k, heap);
        out.extend(heap.drain());
        sort_short(out);
    }

    fn search(&self, node: usize, q: &[f64], k: usize, heap: &mut BinaryHeap<Neighbour>) {
        let n = &self.nodes[node];
        if n.left == usize::MAX {
            let d = self.d;
            for at in n.start..n.end {
                let candidate =
                    Neighbour { reduced: self.reduced(&self.points[at * d..(at + 1) * d], q), index: self.index[at] };
                if heap.len() < k {
                    heap.push(candidate);
                } else if heap.peek().is_some_and(|worst| candidate < *worst) {
                    heap.pop();
                    heap.push(candidate);
                }
            }
            return;
        }
        let (a, b) = (n.left, n.right);
        let (da, db) = (self.box_distance(a, q), self.box_distance(b, q));
        let (first, d_first, second, d_second) = if da <= db { (a, da, b, db) } else { (b, db, a, da) };
        for (child, gap) in [(first, d_first), (second, d_second)] {
            // skip only boxes strictly farther than the k-th best: an equal distance could still
            // bring a lower index
            if heap.len() == k && heap.peek().is_some_and(|worst| gap > worst.reduced) {
                continue;
            }
            self.search(child, q, k, heap);
        }
    }
}

/// Sorts a slice in place: by insertion when short (a few neighbours: quicker than the library's
/// sort, which the wasm build compiles for size).
pub fn sort_short<T: Ord + Copy>(v: &mut [T]) {
    if v.len() > 32 {
        v.sort_unstable();
        return;
    }
    for i in 1..v.len() {
        let item = v[i];
        let mut at = i;
        while at > 0 && item < v[at - 1] {
            v[at] = v[at - 1];
            at -= 1;
        }
        v[at] = item;
    }
}
