//! The decision surface of k nearest neighbours block by block ([`KNearestNeighbors::grid_predictions`]),
//! exactly what `predict` gives at every pixel (the same neighbours in the same order, voted the
//! same way), without a k-d tree search per pixel.
//!
//! A block of pixels has a centre `c` and a circumradius `R` (the farthest pixel from `c`, in the
//! model's Minkowski distance; the triangle inequality holds for every p ≥ 1). With `d_k` and
//! `d_{k+1}` the distances from `c` to its k-th and (k+1)-th nearest training points:
//!
//! - if `d_{k+1} − d_k > 2R`, every pixel `q` of the block has the same k nearest points as `c`
//!   (each of them is within `d_k + R` of `q`, every other point beyond `d_{k+1} − R`): the block
//!   shares them. With uniform weights a classification's vote does not depend on their order (each
//!   class adds `1/k` per neighbour), so the block takes one vote; otherwise each pixel orders those
//!   k by its own distances (ties: the lower training index first) and votes;
//! - otherwise a block larger than [`SMALL`] pixels a side is cut in four and each quarter tried
//!   again; a small block gathers its candidates, every point within `d_k + 2R` of `c` (a pixel's
//!   k nearest, and any point tied with its k-th, are within `d_k(q) ≤ d_k + R` of `q`, so within
//!   `d_k + 2R` of `c`), and each pixel takes its k nearest among them by the same distance
//!   arithmetic as the k-d tree.
//!
//! Far from the data the neighbours change rarely and big blocks share them; near it each small
//! block's candidates are few. Bounds are widened by a relative 1e-9, which costs at most a few
//! more candidates or cuts and keeps rounding from losing a neighbour.
//!
//! **Euclidean distance**: a block as soon as `2R ≤ d_k / 2` (or small) gathers its candidates
//! the same way, then works by corners. The pixels whose k nearest are a given set `S` (ties by
//! the lower index) form a convex region: `S` is picked at `q` when, for every `s ∈ S` and `t ∉ S`,
//! `|q − s|² < |q − t|²` (`≤` when `s < t`), and `|q − t|² − |q − s|²` is affine in `q`. So a
//! rectangle whose four corner pixels pick the same `S` has every pixel pick it: it is filled
//! without a search (one vote with uniform weights; otherwise each pixel orders `S` by its own
//! distances and votes). To keep that exact in floating point, a corner counts only when its
//! (k+1)-th reduced distance (or a bound below it for the points not gathered) passes its k-th by
//! a relative 1e-9 of the block's largest k-th: the affine gap is then above the rounding of any
//! pixel's distances. A rectangle whose corners differ is cut in two or four (the halves share
//! their middle line, so a corner is searched once) down to single pixels. Each corner pixel
//! searches only the candidates within its bound `d_{k+1}(c) + |q − c|`, or within the farthest
//! of the last searched pixel's k + 1 nearest (those k + 1 are within it, by the same arithmetic).
//! And with uniform votes, a block whose candidates are all of one class is that class's
//! everywhere.

use super::kd_tree::{sort_short, Neighbour};
use super::{KNearestNeighbors, Weights};
use crate::data::Task;
use crate::model::tree::MAX_GRID_VALUES;
use std::collections::BinaryHeap;

/// Blocks at most this many pixels on each side search their candidates pixel by pixel.
const SMALL: usize = 4;
/// The side of the first blocks the grid is cut into.
const FIRST: usize = 64;
/// Up to this many neighbours a pixel keeps its nearest in a sorted list while scanning.
const SHORT_LIST: usize = 24;
/// The relative widening of every bound.
const SLACK: f64 = 1e-9;
/// With the Euclidean distance, a block gathers its candidates once `2R` is at most this share of
/// its centre's k-th distance (measured on the bench's blobs: 0.3 to 0.8 within noise).
const GATHER: f64 = 0.5;

impl KNearestNeighbors {
    /// The predictions at every grid point `(xs[c], ys[r])`, row-major (`xs` fastest), one value
    /// per class or the one regression value per pixel: `predict`'s values exactly. `None` for a
    /// model not trained on two features, axes that are not monotone or not finite, or a grid
    /// too large.
    pub fn grid_predictions(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        let task = self.task?;
        let monotone = |v: &[f64]| v.windows(2).all(|w| w[0] <= w[1]) || v.windows(2).all(|w| w[0] >= w[1]);
        if self.n_features != 2 || xs.iter().chain(ys).any(|v| !v.is_finite()) || !monotone(xs) || !monotone(ys) {
            return None;
        }
        let k = self.params.n_neighbors;
        if k == 0 || self.n_points() < k {
            return None;
        }
        let outputs = match task {
            Task::Classification { n_classes } => n_classes,
            Task::Regression => 1,
        };
        let len = xs.len().checked_mul(ys.len())?.checked_mul(outputs)?;
        if len > MAX_GRID_VALUES {
            return None;
        }
        let mut grid = Grid {
            model: self,
            xs,
            ys,
            k,
            outputs,
            out: vec![0.0; len],
            heap: BinaryHeap::with_capacity(k + 2),
            found: Vec::with_capacity(k + 1),
            near: Vec::with_capacity(k),
            weights: Vec::with_capacity(k),
            candidates: Vec::new(),
            scored: Vec::with_capacity(k),
            points: Vec::new(),
            indices: Vec::new(),
            counted: (self.params.weights == Weights::Uniform && outputs > 1).then(|| {
                // `vote`'s total: k weights of 1 summed
                let total: f64 = (0..k).map(|_| 1.0).sum();
                let mut sums = vec![0.0; k + 1];
                for j in 1..=k {
                    sums[j] = sums[j - 1] + 1.0 / total;
                }
                sums
            }),
            vote: vec![0.0; outputs],
            px: Vec::new(),
            py: Vec::new(),
            slots: Vec::new(),
            sets: Vec::new(),
            gaps: Vec::new(),
            quads: Vec::new(),
            centre: [0.0; 2],
            next: 0.0,
            seed: Vec::new(),
            seeded: false,
            list: [Neighbour { reduced: 0.0, index: 0 }; SHORT_LIST],
            passed: Vec::new(),
        };
        let mut blocks = Vec::new();
        for r in (0..ys.len()).step_by(FIRST) {
            for c in (0..xs.len()).step_by(FIRST) {
                blocks.push((c, (c + FIRST).min(xs.len()), r, (r + FIRST).min(ys.len())));
            }
        }
        while let Some(block) = blocks.pop() {
            grid.block(block, &mut blocks);
        }
        Some(grid.out)
    }
}

/// The surface being made, and scratch space reused from block to block.
struct Grid<'a> {
    model: &'a KNearestNeighbors,
    xs: &'a [f64],
    ys: &'a [f64],
    k: usize,
    outputs: usize,
    out: Vec<f64>,
    heap: BinaryHeap<Neighbour>,
    found: Vec<Neighbour>,
    /// A pixel's k nearest, nearest first.
    near: Vec<Neighbour>,
    weights: Vec<f64>,
    /// Tree positions of a small block's candidates.
    candidates: Vec<usize>,
    scored: Vec<Neighbour>,
    /// The candidates' coordinates (row-major) and training indices.
    points: Vec<f64>,
    indices: Vec<usize>,
    /// With uniform weights and classes: `sums[j]`, what a class's share is after `j` votes of
    /// `1/k` added one by one as `vote` adds them (so `predict`'s value to the bit).
    counted: Option<Vec<f64>>,
    vote: Vec<f64>,
    /// Euclidean corners: the candidates' coordinates apart (the scan over them vectorises).
    px: Vec<f64>,
    py: Vec<f64>,
    /// Per pixel of the block being gathered: its entry in `sets` / `gaps` + 1, 0 before its search.
    slots: Vec<u32>,
    /// Each searched pixel's k nearest training indices, in increasing index (k per pixel).
    sets: Vec<usize>,
    /// Each searched pixel's reduced k-th distance and a bound below its (k+1)-th.
    gaps: Vec<(f64, f64)>,
    /// Rectangles of pixels (inclusive column and row ranges) still to be tried.
    quads: Vec<(usize, usize, usize, usize)>,
    /// The gathered block's centre and the distance of its (k+1)-th nearest point.
    centre: [f64; 2],
    next: f64,
    /// The training indices of the last pixel searched in the block's k + 1 nearest, if `seeded`.
    seed: Vec<usize>,
    seeded: bool,
    /// A searched pixel's nearest so far.
    list: [Neighbour; SHORT_LIST],
    /// The positions of the candidates within a searched pixel's reach.
    passed: Vec<u32>,
}

impl Grid<'_> {
    /// Fills the block of columns `c0..c1` and rows `r0..r1`, or pushes its quarters on `blocks`.
    fn block(
        &mut self,
        (c0, c1, r0, r1): (usize, usize, usize, usize),
        blocks: &mut Vec<(usize, usize, usize, usize)>,
    ) {
        if c0 >= c1 || r0 >= r1 {
            return;
        }
        let model = self.model;
        let index = &model.index;
        let (x_lo, x_hi) = (self.xs[c0].min(self.xs[c1 - 1]), self.xs[c0].max(self.xs[c1 - 1]));
        let (y_lo, y_hi) = (self.ys[r0].min(self.ys[r1 - 1]), self.ys[r0].max(self.ys[r1 - 1]));
        let centre = [x_lo + (x_hi - x_lo) / 2.0, y_lo + (y_hi - y_lo) / 2.0];
        // the farthest pixel from the centre is a corner of the box
        let half = [(x_hi - centre[0]).max(centre[0] - x_lo), (y_hi - centre[1]).max(centre[1] - y_lo)];
        let radius = index.distance(index.reduced(&half, &[0.0, 0.0])) * (1.0 + SLACK);
        let small = c1 - c0 <= SMALL && r1 - r0 <= SMALL;
        let euclidean = index.p() == 2.0;
        let wanted = if small && !euclidean { self.k } else { self.k + 1 };
        index.nearest(&centre, wanted, &mut self.heap, &mut self.found);
        if self.found.len() < self.k {
            return;
        }
        let d_k = index.distance(self.found[self.k - 1].reduced);
        if !small || euclidean {
            let shared = match self.found.get(self.k) {
                None => true, // exactly k points: every pixel's neighbours are all of them
                Some(next) => index.distance(next.reduced) - d_k > 2.0 * radius + SLACK * (d_k + radius),
            };
            if shared {
                self.share(c0, c1, r0, r1);
                return;
            }
            if euclidean && (small || 2.0 * radius <= GATHER * d_k) {
                self.next = index.distance(self.found[self.k].reduced);
                self.centre = centre;
                self.corners((c0, c1, r0, r1), d_k, radius);
                return;
            }
            let (cm, rm) = (c0 + (c1 - c0).div_ceil(2), r0 + (r1 - r0).div_ceil(2));
            blocks.extend([(c0, cm, r0, rm), (cm, c1, r0, rm), (c0, cm, rm, r1), (cm, c1, rm, r1)]);
            return;
        }
        let limit = index.reduce((d_k + 2.0 * radius) * (1.0 + SLACK));
        index.within(&centre, limit, &mut self.candidates);
        // the candidates' coordinates together, and their training indices
        self.points.clear();
        self.indices.clear();
        for &at in &self.candidates {
            let (point, i) = index.point(at);
            self.points.extend_from_slice(point);
            self.indices.push(i);
        }
        let (k, outputs, w) = (self.k, self.outputs, self.xs.len());
        let euclidean = index.p() == 2.0;
        for r in r0..r1 {
            for c in c0..c1 {
                let q = [self.xs[c], self.ys[r]];
                // the k nearest candidates by (distance, index), as the k-d tree orders them
                let scores = self.points.chunks_exact(2).zip(&self.indices).map(|(point, &i)| {
                    // the same arithmetic as `KdTree::reduced`
                    let reduced = if euclidean {
                        let (a, b) = (point[0] - q[0], point[1] - q[1]);
                        a * a + b * b
                    } else {
                        index.reduced(point, &q)
                    };
                    Neighbour { reduced, index: i }
                });
                keep_nearest(scores, k, &mut self.list, &mut self.scored);
                let at = (r * w + c) * outputs;
                let pixel = &mut self.out[at..at + outputs];
                match &self.counted {
                    Some(sums) => count_votes(model, &self.scored, sums, pixel),
                    None => model.vote(&self.scored, &mut self.weights, pixel),
                }
            }
        }
    }

    /// Euclidean: the block's candidates (every point within `d_k + 2R` of its centre), then its
    /// pixels by corners (see the module's notes).
    fn corners(&mut self, (c0, c1, r0, r1): (usize, usize, usize, usize), d_k: f64, radius: f64) {
        let model = self.model;
        let index = &model.index;
        let limit = (d_k + 2.0 * radius) * (1.0 + SLACK);
        index.within(&self.centre, index.reduce(limit), &mut self.candidates);
        self.px.clear();
        self.py.clear();
        self.indices.clear();
        for &at in &self.candidates {
            let (point, i) = index.point(at);
            self.px.push(point[0]);
            self.py.push(point[1]);
            self.indices.push(i);
        }
        // a point not gathered is farther than this from every pixel of the block (reduced)
        let outside = (limit * (1.0 - SLACK) - radius).max(0.0);
        let outside = outside * outside * (1.0 - SLACK);
        let (k, outputs, w) = (self.k, self.outputs, self.xs.len());
        // uniform votes and one class among all candidates: every pixel's k nearest are of it
        if let (Some(sums), Some(&first)) = (&self.counted, self.indices.first()) {
            let class = model.y[first];
            if self.indices.iter().all(|&i| model.y[i] == class) && (class as usize) < outputs {
                self.vote.fill(0.0);
                self.vote[class as usize] = sums[k];
                for r in r0..r1 {
                    for c in c0..c1 {
                        let at = (r * w + c) * outputs;
                        self.out[at..at + outputs].copy_from_slice(&self.vote);
                    }
                }
                return;
            }
        }
        let bw = c1 - c0;
        self.slots.clear();
        self.slots.resize(bw * (r1 - r0), 0);
        self.sets.clear();
        self.gaps.clear();
        self.seeded = false;
        self.quads.clear();
        self.quads.push((c0, c1 - 1, r0, r1 - 1));
        while let Some((ca, cb, ra, rb)) = self.quads.pop() {
            let mut ids = [0; 4];
            for (id, (c, r)) in ids.iter_mut().zip([(ca, ra), (cb, ra), (ca, rb), (cb, rb)]) {
                let local = (r - r0) * bw + (c - c0);
                *id = match self.slots[local] {
                    0 => {
                        let id = self.search(c, r, outside);
                        self.slots[local] = id as u32 + 1;
                        id
                    }
                    slot => slot as usize - 1,
                };
            }
            if cb - ca <= 1 && rb - ra <= 1 {
                continue; // every pixel is a corner
            }
            let set = |id: usize| &self.sets[id * k..(id + 1) * k];
            if ids[1..].iter().all(|&id| set(id) == set(ids[0])) {
                let largest = ids.iter().map(|&id| self.gaps[id].0).fold(0.0, f64::max);
                let margin = ids
                    .iter()
                    .map(|&id| self.gaps[id].1 * (1.0 - SLACK) - self.gaps[id].0 * (1.0 + SLACK))
                    .fold(f64::INFINITY, f64::min);
                if margin > SLACK * largest {
                    self.fill((ca, cb, ra, rb), ids[0]);
                    continue;
                }
            }
            let (cm, rm) = ((ca + cb) / 2, (ra + rb) / 2);
            let columns = if cb - ca >= 2 { [(ca, cm), (cm, cb)] } else { [(ca, cb); 2] };
            let rows = if rb - ra >= 2 { [(ra, rm), (rm, rb)] } else { [(ra, rb); 2] };
            for (i, &(a, b)) in columns.iter().enumerate() {
                for (j, &(c, d)) in rows.iter().enumerate() {
                    // a side that cannot be cut is not pushed twice
                    if (i == 0 || columns[0] != columns[1]) && (j == 0 || rows[0] != rows[1]) {
                        self.quads.push((a, b, c, d));
                    }
                }
            }
        }
    }

    /// Pixel `(c, r)`'s k + 1 nearest among the gathered candidates; writes its value and keeps
    /// its set and gap. Returns the entry's number.
    fn search(&mut self, c: usize, r: usize, outside: f64) -> usize {
        let (k, outputs, w, model) = (self.k, self.outputs, self.xs.len(), self.model);
        let want = k + 1;
        let q = [self.xs[c], self.ys[r]];
        // its k + 1 nearest are within d_{k+1}(c') + |q − c'| for the centre c'
        let (a, b) = (q[0] - self.centre[0], q[1] - self.centre[1]);
        let reach = (self.next + (a * a + b * b).sqrt()) * (1.0 + SLACK);
        let mut reach = reach * reach * (1.0 + SLACK);
        if self.seeded {
            // and within the farthest of the last searched pixel's k + 1 nearest (reduced, by the
            // same arithmetic as the scan: those k + 1 pass it, so no widening)
            let x = &model.x;
            let seed = self.seed.iter().fold(0.0, |far: f64, &i| {
                let (a, b) = (x[2 * i] - q[0], x[2 * i + 1] - q[1]);
                far.max(a * a + b * b)
            });
            reach = reach.min(seed);
        }
        // the candidates within reach, without a branch per candidate (about a third pass,
        // unpredictably); the same arithmetic as `KdTree::reduced`
        self.passed.resize(self.px.len(), 0);
        let mut kept = 0;
        for (j, (&x, &y)) in self.px.iter().zip(&self.py).enumerate() {
            let (a, b) = (x - q[0], y - q[1]);
            self.passed[kept] = j as u32;
            kept += usize::from(a * a + b * b <= reach);
        }
        // then the k + 1 nearest of those
        let (px, py, indices) = (&self.px, &self.py, &self.indices);
        let within = self.passed[..kept].iter().map(|&j| {
            let j = j as usize;
            let (a, b) = (px[j] - q[0], py[j] - q[1]);
            Neighbour { reduced: a * a + b * b, index: indices[j] }
        });
        keep_nearest(within, want, &mut self.list, &mut self.scored);
        if self.scored.len() < want {
            // fewer than k + 1 candidates within reach (the block has few): all of them
            let all = px.iter().zip(py).zip(indices).map(|((&x, &y), &i)| {
                let (a, b) = (x - q[0], y - q[1]);
                Neighbour { reduced: a * a + b * b, index: i }
            });
            keep_nearest(all, want, &mut self.list, &mut self.scored);
        }
        let at = (r * w + c) * outputs;
        let pixel = &mut self.out[at..at + outputs];
        pixel.fill(0.0); // a pixel filled from a neighbouring rectangle is searched again as a corner
        let near = &self.scored[..k.min(self.scored.len())];
        match &self.counted {
            Some(sums) => count_votes(model, near, sums, pixel),
            None => model.vote(near, &mut self.weights, pixel),
        }
        let d_k = near.last().map_or(0.0, |n| n.reduced);
        // the (k+1)-th: the next candidate or, nearer than any candidate left, a point not gathered
        let next = self.scored.get(k).map_or(outside, |n| n.reduced.min(outside));
        self.seeded = self.scored.len() == want;
        if self.seeded {
            self.seed.clear();
            self.seed.extend(self.scored.iter().map(|n| n.index));
        }
        let id = self.gaps.len();
        self.gaps.push((d_k, if near.len() < k { 0.0 } else { next }));
        let start = self.sets.len();
        self.sets.extend(near.iter().map(|n| n.index));
        self.sets.resize(start + k, usize::MAX);
        sort_short(&mut self.sets[start..]);
        id
    }

    /// Every pixel of the inclusive rectangle picks the set of entry `id`.
    fn fill(&mut self, (ca, cb, ra, rb): (usize, usize, usize, usize), id: usize) {
        let (k, outputs, w, model) = (self.k, self.outputs, self.xs.len(), self.model);
        let set = &self.sets[id * k..(id + 1) * k];
        if let Some(sums) = &self.counted {
            // a count of classes: the order does not matter
            self.near.clear();
            self.near.extend(set.iter().map(|&index| Neighbour { reduced: 0.0, index }));
            self.vote.fill(0.0);
            count_votes(model, &self.near, sums, &mut self.vote);
            for r in ra..=rb {
                for c in ca..=cb {
                    let at = (r * w + c) * outputs;
                    self.out[at..at + outputs].copy_from_slice(&self.vote);
                }
            }
            return;
        }
        for r in ra..=rb {
            for c in ca..=cb {
                let (x, y) = (self.xs[c], self.ys[r]);
                self.near.clear();
                self.near.extend(set.iter().map(|&index| {
                    let (a, b) = (model.x[2 * index] - x, model.x[2 * index + 1] - y);
                    Neighbour { reduced: a * a + b * b, index }
                }));
                sort_short(&mut self.near);
                let at = (r * w + c) * outputs;
                let pixel = &mut self.out[at..at + outputs];
                pixel.fill(0.0);
                model.vote(&self.near, &mut self.weights, pixel);
            }
        }
    }

    /// Every pixel of the block has the k nearest points of its centre (`self.found[..k]`).
    fn share(&mut self, c0: usize, c1: usize, r0: usize, r1: usize) {
        let (k, outputs, w, model) = (self.k, self.outputs, self.xs.len(), self.model);
        let index = &model.index;
        let one_vote = model.params.weights == Weights::Uniform && outputs > 1;
        if one_vote {
            self.vote.fill(0.0);
            model.vote(&self.found[..k], &mut self.weights, &mut self.vote);
        }
        for r in r0..r1 {
            for c in c0..c1 {
                let at = (r * w + c) * outputs;
                let pixel = &mut self.out[at..at + outputs];
                if one_vote {
                    pixel.copy_from_slice(&self.vote);
                    continue;
                }
                let q = [self.xs[c], self.ys[r]];
                self.near.clear();
                self.near.extend(self.found[..k].iter().map(|n| {
                    let point = &model.x[n.index * 2..n.index * 2 + 2];
                    Neighbour { reduced: index.reduced(point, &q), index: n.index }
                }));
                sort_short(&mut self.near);
                model.vote(&self.near, &mut self.weights, pixel);
            }
        }
    }
}

/// The `want` nearest of `items` by (distance, index), nearest first, into `out`: by insertion
/// into the sorted `list` while scanning when `want` is at most [`SHORT_LIST`], else by selection.
fn keep_nearest(
    items: impl Iterator<Item = Neighbour>,
    want: usize,
    list: &mut [Neighbour; SHORT_LIST],
    out: &mut Vec<Neighbour>,
) {
    out.clear();
    if want == 0 {
        return;
    }
    if want <= SHORT_LIST {
        let mut len = 0;
        for n in items {
            if len == want && !before(&n, &list[want - 1]) {
                continue;
            }
            let mut at = len.min(want - 1);
            while at > 0 && before(&n, &list[at - 1]) {
                list[at] = list[at - 1];
                at -= 1;
            }
            list[at] = n;
            len = (len + 1).min(want);
        }
        out.extend_from_slice(&list[..len]);
    } else {
        out.extend(items);
        if out.len() > want {
            out.select_nth_unstable(want - 1);
            out.truncate(want);
        }
        out.sort_unstable();
    }
}

/// `a` comes before `b` in `Neighbour`'s order (distance, then index), for the finite, non-negative
/// distances of the grid (without `total_cmp`'s bit tricks in the innermost loop).
#[inline]
fn before(a: &Neighbour, b: &Neighbour) -> bool {
    a.reduced < b.reduced || (a.reduced == b.reduced && a.index < b.index)
}

/// `vote` for uniform weights and classes: each class's share after its count of votes, from
/// `sums` (see `Grid::counted`).
fn count_votes(model: &KNearestNeighbors, found: &[Neighbour], sums: &[f64], out: &mut [f64]) {
    let mut counts = [0usize; 16];
    if out.len() > counts.len() {
        let mut weights = Vec::new();
        model.vote(found, &mut weights, out);
        return;
    }
    for n in found {
        if let Some(count) = counts.get_mut(model.y[n.index] as usize) {
            *count += 1;
        }
    }
    for (slot, &count) in out.iter_mut().zip(&counts) {
        *slot = sums[count];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::model::knn::KnnParams;
    use crate::model::{Hyperparams, Model};
    use crate::render::surface::grid_axes;
    use crate::render::View;
    use nalgebra::DMatrix;

    fn model(params: KnnParams, x: &[f64], y: &[f64], task: Task) -> KNearestNeighbors {
        let mut m = params.build(0).unwrap();
        m.fit(&Dataset::from_rows(x, 2, y, task).unwrap()).unwrap();
        m
    }

    /// The grid path against `predict` at every pixel, bit for bit.
    fn assert_is_predict(m: &KNearestNeighbors, xs: &[f64], ys: &[f64], label: &str) {
        let w = xs.len();
        let points = DMatrix::from_fn(w * ys.len(), 2, |i, j| if j == 0 { xs[i % w] } else { ys[i / w] });
        let want = m.predict(&points).unwrap();
        let got = m.grid_predictions(xs, ys).unwrap();
        let k = want.ncols();
        assert_eq!(got.len(), points.nrows() * k);
        for i in 0..points.nrows() {
            for c in 0..k {
                assert_eq!(got[i * k + c].to_bits(), want[(i, c)].to_bits(), "{label}: pixel {i} output {c}");
            }
        }
    }

    /// Pseudo-random points: two offset clusters, `n` of them, coordinates optionally rounded to
    /// a lattice (so distances tie).
    fn points(n: usize, lattice: Option<f64>) -> (Vec<f64>, Vec<f64>) {
        let mut s = 0x2545_f491_4f6c_dd1du64;
        let mut u = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for i in 0..n {
            let class = (i % 3) as f64;
            let (mut a, mut b) = (class + 2.0 * (u() - 0.5) * 1.5, class * 0.5 + 3.0 * (u() - 0.5));
            if let Some(step) = lattice {
                a = (a / step).round() * step;
                b = (b / step).round() * step;
            }
            x.extend([a, b]);
            y.push(class);
        }
        (x, y)
    }

    #[test]
    fn blocks_give_predicts_values_exactly() {
        let (xs, ys) = grid_axes(&View { x: (-3.0, 5.0), y: (-3.0, 4.0) }, 71, 53);
        for (n, lattice) in [(40, None), (300, None), (300, Some(0.25)), (1500, None)] {
            let (x, y) = points(n, lattice);
            let regression: Vec<f64> = x.chunks(2).map(|p| p[0] * 2.0 - p[1]).collect();
            for k in [1, 5, 12] {
                for weights in [Weights::Uniform, Weights::Distance] {
                    for p in [2.0, 1.0, 3.0] {
                        let params = KnnParams { n_neighbors: k, weights, p };
                        let label = format!("n {n} lattice {lattice:?} k {k} {weights:?} p {p}");
                        let m = model(params.clone(), &x, &y, Task::Classification { n_classes: 3 });
                        assert_is_predict(&m, &xs, &ys, &label);
                        if p == 2.0 {
                            let m = model(params, &x, &regression, Task::Regression);
                            assert_is_predict(&m, &xs, &ys, &format!("{label}, regression"));
                        }
                    }
                }
            }
        }
    }

    /// Pixels exactly on training points (distance 0: all the weight with `distance`) and on a
    /// lattice where many distances tie at the k-th place (the lower training index is kept, as in
    /// `predict`); ascending rows; k equal to the number of points.
    #[test]
    fn ties_points_on_pixels_and_all_points_as_neighbours() {
        let step = 0.25;
        let axis: Vec<f64> = (0..41).map(|i| -5.0 + step * i as f64).collect();
        let (x, y) = points(300, Some(step));
        for k in [1, 4, 7] {
            for weights in [Weights::Uniform, Weights::Distance] {
                let m =
                    model(KnnParams { n_neighbors: k, weights, p: 2.0 }, &x, &y, Task::Classification { n_classes: 3 });
                assert_is_predict(&m, &axis, &axis, &format!("lattice k {k} {weights:?}"));
                let m =
                    model(KnnParams { n_neighbors: k, weights, p: 1.0 }, &x, &y, Task::Classification { n_classes: 3 });
                assert_is_predict(&m, &axis, &axis, &format!("lattice k {k} {weights:?} p 1"));
            }
        }
        let few = &x[..14];
        let m = model(
            KnnParams { n_neighbors: 7, ..Default::default() },
            few,
            &y[..7],
            Task::Classification { n_classes: 3 },
        );
        assert_is_predict(&m, &axis, &axis, "k = n");
        // one pixel, one row, one column
        assert_is_predict(&m, &[0.5], &[0.25], "one pixel");
        assert_is_predict(&m, &axis, &[1.0], "one row");
    }

    /// Euclidean corners on data like the bench's (two overlapping Gaussian blobs) and on a coarse
    /// lattice (many exact ties), k up to 30, both weightings, classification and regression:
    /// `predict`'s values bit for bit. Rectangles filled from their corners dominate here.
    #[test]
    fn corners_give_predicts_values_on_blobs_and_lattices() {
        let (xs, ys) = grid_axes(&View { x: (-7.0, 9.0), y: (-8.0, 16.0) }, 96, 80);
        let lattice: Vec<f64> = (0..49).map(|i| -6.0 + 0.25 * i as f64).collect();
        for (n, step) in [(1000, None), (400, Some(0.5))] {
            let (mut x, y) = points(n, step);
            // stretch to the blobs' scales (x ≈ 1.5, y ≈ 3)
            x.chunks_mut(2).for_each(|p| p[1] = 2.0 * p[1] + 1.0);
            let regression: Vec<f64> = x.chunks(2).map(|p| p[0] - 0.5 * p[1]).collect();
            for k in [2, 5, 30] {
                for weights in [Weights::Uniform, Weights::Distance] {
                    let params = KnnParams { n_neighbors: k, weights, p: 2.0 };
                    let label = format!("n {n} step {step:?} k {k} {weights:?}");
                    let m = model(params.clone(), &x, &y, Task::Classification { n_classes: 3 });
                    assert_is_predict(&m, &xs, &ys, &label);
                    assert_is_predict(&m, &lattice, &lattice, &format!("{label}, lattice grid"));
                    let m = model(params, &x, &regression, Task::Regression);
                    assert_is_predict(&m, &xs, &ys, &format!("{label}, regression"));
                }
            }
        }
    }

    #[test]
    fn off_the_fast_path() {
        let (x, y) = points(50, None);
        let m = model(KnnParams::default(), &x, &y, Task::Classification { n_classes: 3 });
        assert!(m.grid_predictions(&[0.0, f64::NAN], &[0.0]).is_none());
        assert!(m.grid_predictions(&[0.0, 1.0, 0.5], &[0.0]).is_none());
        assert!(KnnParams::default().build(0).unwrap().grid_predictions(&[0.0], &[0.0]).is_none());
        // not monotone: the model's grid_values still gives predict's values
        let xs = [0.0, 1.0, 0.5];
        let points = DMatrix::from_row_slice(3, 2, &[0.0, 2.0, 1.0, 2.0, 0.5, 2.0]);
        let want = m.predict(&points).unwrap();
        assert_eq!(m.grid_values(&xs, &[2.0]).unwrap(), want.transpose().as_slice());
    }
}
