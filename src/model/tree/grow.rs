//! Growing a CART tree best-first, one split at a time (scikit-learn's `BestFirstTreeBuilder`
//! with its `BestSplitter`, made deterministic).
//!
//! Every feature's sample indices are sorted once, at the root; each node owns the same range
//! `[start, end)` in every feature's sorted list, and splitting a node stably partitions those
//! ranges, so a node's samples are always sorted on every feature without sorting again.
//! Thresholds are scanned with running class-weight sums (classification) or running target sums
//! (regression) and placed half-way between consecutive distinct values.
//!
//! When a node is created its best split is searched at once and, if it has one, the node joins
//! the frontier ranked by its weighted impurity decrease
//! `N_t/N · (i(t) − N_r/N_t·i(r) − N_l/N_t·i(l))`; [`Grower::split_next`] splits the best
//! frontier node. Ties are broken deterministically where scikit-learn draws at random:
//! between features, the lowest feature index wins; within a feature, the lowest threshold; in
//! the frontier, the lowest node id. Values closer than `1e-7` count as equal (scikit-learn's
//! `FEATURE_THRESHOLD`). The proxy scores compared while scanning are scikit-learn's; for
//! regression the targets are centred on the node mean first, which changes the proxy by a
//! constant only but keeps it accurate for targets far from zero.

use super::arrays::TreeArrays;
use crate::data::order::order_by_value;
use crate::data::{Dataset, Task};
use crate::error::Result;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::f64::consts::LN_2;

/// Per-split feature sampling (a random forest's `max_features`, as Breiman and scikit-learn):
/// each node's split is searched over `k` features drawn afresh at that node.
#[derive(Debug, Clone)]
struct Sampling {
    k: usize,
    /// splitmix64's state (a small copyable generator: the grower is cloned with the tree).
    state: u64,
    /// Every search's drawn features and the feature it split on, when recording (a test hook).
    record: Option<Vec<(Vec<usize>, Option<usize>)>>,
}

/// Feature values closer than this are treated as equal (never separated by a threshold).
pub const FEATURE_THRESHOLD: f64 = 1e-7;
/// A node with impurity at most this is pure and is not split.
const EPSILON: f64 = f64::EPSILON;

/// The impurity measure a grower minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impurity {
    /// `1 − Σ p_c²`
    Gini,
    /// `−Σ p_c log₂ p_c` (bits)
    Entropy,
    /// mean squared deviation from the node mean
    SquaredError,
}

/// The limits a grower respects; `usize::MAX` stands for "no limit".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_depth: usize,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    pub max_leaf_nodes: usize,
}

/// The best split found for a leaf, waiting in the frontier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitCandidate {
    /// The leaf it would split.
    pub node: usize,
    pub feature: usize,
    pub threshold: f64,
    /// Weighted impurity decrease `N_t/N · (i(t) − N_r/N_t·i(r) − N_l/N_t·i(l))`.
    pub improvement: f64,
    /// Samples going left (they are the first `pos` of the node's range sorted on `feature`).
    pos: usize,
    impurity_left: f64,
    impurity_right: f64,
}

/// Frontier order: larger improvement first, then lower node id.
#[derive(Debug, Clone, Copy)]
struct Ranked(SplitCandidate);

impl Sampling {
    /// A uniform draw from `0..m` (splitmix64, then Lemire's multiply-shift; `m ≥ 1`).
    fn below(&mut self, m: usize) -> usize {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        ((u128::from(z) * m as u128) >> 64) as usize
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.improvement.total_cmp(&other.0.improvement).then(other.0.node.cmp(&self.0.node))
    }
}

/// What a node's samples are scored against.
#[derive(Debug, Clone)]
enum Targets {
    Classes(Vec<u32>),
    Values(Vec<f64>),
}

/// The state of a tree being grown on one dataset.
#[derive(Debug, Clone)]
pub struct Grower {
    /// [`fingerprint`] of the dataset being grown on.
    pub fingerprint: u64,
    n: usize,
    d: usize,
    /// Feature `f`'s sorted sample indices are `order[f*n .. (f+1)*n]`, with values alongside.
    order: Vec<u32>,
    values: Vec<f64>,
    targets: Targets,
    weight: Vec<f64>,
    total_weight: f64,
    impurity: Impurity,
    limits: Limits,
    /// Sample range and depth of every node, by id.
    ranges: Vec<(usize, usize)>,
    depths: Vec<usize>,
    frontier: BinaryHeap<Ranked>,
    n_splits: usize,
    goes_left: Vec<bool>,
    scratch_order: Vec<u32>,
    scratch_values: Vec<f64>,
    left_sums: Vec<f64>,
    node_sums: Vec<f64>,
    right_sums: Vec<f64>,
    /// `None`: every split searches every feature (a plain tree).
    sampling: Option<Sampling>,
}

fn gini(counts: &[f64], weight: f64) -> f64 {
    let mut sq = 0.0;
    for &c in counts {
        sq += c * c;
    }
    1.0 - sq / (weight * weight)
}

fn entropy(counts: &[f64], weight: f64) -> f64 {
    let mut e = 0.0;
    for &c in counts {
        if c > 0.0 {
            let p = c / weight;
            e -= p * (p.ln() / LN_2);
        }
    }
    e
}

/// The best position found so far in a node's scan.
#[derive(Debug, Clone, Copy)]
struct Best {
    proxy: f64,
    feature: usize,
    pos: usize,
    threshold: f64,
}

/// Calls `visit(p)` for every split position `p` of a sorted range (the first `p` samples go
/// left), following scikit-learn's `next_p`: only between values more than `FEATURE_THRESHOLD`
/// apart, and only where both sides keep `min_leaf` samples.
#[inline]
fn for_each_position(vals: &[f64], min_leaf: usize, mut visit: impl FnMut(usize)) {
    let m = vals.len();
    let mut p = 0;
    loop {
        p += 1;
        while p < m && vals[p] <= vals[p - 1] + FEATURE_THRESHOLD {
            p += 1;
        }
        if p >= m || m - p < min_leaf {
            break;
        }
        if p >= min_leaf {
            visit(p);
        }
    }
}

fn midpoint(vals: &[f64], p: usize) -> f64 {
    let t = vals[p - 1] / 2.0 + vals[p] / 2.0;
    // Between two adjacent huge floats the midpoint can round up to the right value; keep the
    // left value so training and prediction agree on which side each sample is.
    if t == vals[p] {
        vals[p - 1]
    } else {
        t
    }
}

impl Grower {
    /// Sorts every feature once and prepares an empty tree. `weight` holds one positive weight
    /// per sample (class weights); the dataset must have at least one row.
    pub fn new(data: &Dataset, impurity: Impurity, limits: Limits, weight: Vec<f64>) -> Result<Grower> {
        let (n, d) = data.x.shape();
        if n == 0 {
            return Err(err!(InvalidData, "too_few_points_tree"));
        }
        if n >= u32::MAX as usize {
            return Err(err!(InvalidData, "tree_too_many_points", n = n));
        }
        if d == 0 || data.y.len() != n || weight.len() != n {
            return Err(err!(
                InvalidData,
                "internal",
                detail = "the features, targets and weights have different lengths"
            ));
        }
        if let Some(i) = (0..n).find(|&i| data.x.row(i).iter().any(|v| !v.is_finite())) {
            return Err(err!(InvalidData, "row_not_finite", row = i + 1));
        }
        if let Some(i) = data.y.iter().position(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "row_target_not_finite", row = i + 1));
        }
        if let Some(i) = weight.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
            return Err(err!(InvalidData, "row_weight", i = i + 1));
        }
        let (targets, n_sums) = match (data.task, impurity) {
            (Task::Classification { n_classes }, Impurity::Gini | Impurity::Entropy) => {
                let mut class = Vec::with_capacity(n);
                for (i, &y) in data.y.iter().enumerate() {
                    if y < 0.0 || y.fract() != 0.0 || y >= n_classes as f64 {
                        return Err(err!(
                            InvalidData,
                            "row_class_range",
                            row = i + 1,
                            class = y,
                            max = n_classes.saturating_sub(1)
                        ));
                    }
                    class.push(y as u32);
                }
                (Targets::Classes(class), n_classes)
            }
            (Task::Regression, Impurity::SquaredError) => (Targets::Values(data.y.iter().copied().collect()), 1),
            _ => return Err(err!(InvalidParameter, "impurity_task")),
        };
        let xs = data.x.as_slice();
        let mut order = Vec::with_capacity(n * d);
        let mut values = Vec::with_capacity(n * d);
        for f in 0..d {
            let col = &xs[f * n..(f + 1) * n];
            let idx = order_by_value(col);
            order.extend_from_slice(&idx);
            values.extend(idx.iter().map(|&i| col[i as usize]));
        }
        let total_weight = weight.iter().sum();
        Ok(Grower {
            fingerprint: data.fingerprint(),
            n,
            d,
            order,
            values,
            targets,
            weight,
            total_weight,
            impurity,
            limits,
            ranges: Vec::new(),
            depths: Vec::new(),
            frontier: BinaryHeap::new(),
            n_splits: 0,
            goes_left: vec![false; n],
            scratch_order: vec![0; n],
            scratch_values: vec![0.0; n],
            left_sums: vec![0.0; n_sums],
            node_sums: vec![0.0; n_sums],
            right_sums: vec![0.0; n_sums],
            sampling: None,
        })
    }

    /// Makes every split search only `k` features drawn at random at its node (seeded by
    /// `seed`): features are drawn without replacement until `k` that are not constant in the
    /// node are found (or none is left), then searched in index order, so ties between them still
    /// go to the lowest index. `k ≥ d` searches every feature, as without sampling. With `record`,
    /// every search's features and chosen feature are kept ([`Grower::searches`]).
    pub fn sample_features(&mut self, k: usize, seed: u64, record: bool) {
        self.sampling = (k < self.d).then(|| Sampling { k: k.max(1), state: seed, record: record.then(Vec::new) });
    }

    /// The recorded searches: the features drawn at a node and the one its split uses (`None`
    /// when no split was found).
    pub fn searches(&self) -> &[(Vec<usize>, Option<usize>)] {
        self.sampling.as_ref().and_then(|s| s.record.as_deref()).unwrap_or(&[])
    }

    /// The features a split of `[start, end)` searches when sampling (`None`: every feature).
    fn draw_features(&mut self, start: usize, end: usize) -> Option<Vec<usize>> {
        let (n, d) = (self.n, self.d);
        let values = &self.values;
        let sampling = self.sampling.as_mut()?;
        let mut pool: Vec<usize> = (0..d).collect();
        let mut chosen = Vec::with_capacity(sampling.k);
        let mut left = d;
        while chosen.len() < sampling.k && left > 0 {
            let j = sampling.below(left);
            let f = pool.swap_remove(j);
            left -= 1;
            let vals = &values[f * n + start..f * n + end];
            if let (Some(&first), Some(&last)) = (vals.first(), vals.last()) {
                if last > first + FEATURE_THRESHOLD {
                    chosen.push(f);
                }
            }
        }
        chosen.sort_unstable();
        Some(chosen)
    }

    /// Number of values stored per node (classes, or 1).
    pub fn n_outputs(&self) -> usize {
        self.node_sums.len()
    }

    /// Adds the root (all samples) to an empty `tree`, with its best split in the frontier.
    pub fn add_root(&mut self, tree: &mut TreeArrays) {
        self.add_node(tree, 0, self.n, 0, None);
    }

    /// True when no leaf can be split any more (frontier empty, or `max_leaf_nodes` reached).
    pub fn is_done(&self) -> bool {
        self.frontier.is_empty() || self.n_splits + 1 >= self.limits.max_leaf_nodes
    }

    /// The split [`Grower::split_next`] would make, if any.
    pub fn next_split(&self) -> Option<SplitCandidate> {
        if self.is_done() {
            None
        } else {
            self.frontier.peek().map(|r| r.0)
        }
    }

    /// Splits the frontier leaf with the largest impurity decrease; false when none is left.
    pub fn split_next(&mut self, tree: &mut TreeArrays) -> bool {
        if self.is_done() {
            self.frontier.clear();
            return false;
        }
        let Some(Ranked(c)) = self.frontier.pop() else {
            return false;
        };
        let (Some(&(start, end)), Some(&depth)) = (self.ranges.get(c.node), self.depths.get(c.node)) else {
            return false;
        };
        self.partition(start, end, c.feature, c.pos);
        let mid = start + c.pos;
        let left = self.add_node(tree, start, mid, depth + 1, Some(c.impurity_left));
        let right = self.add_node(tree, mid, end, depth + 1, Some(c.impurity_right));
        tree.set_split(c.node, c.feature, c.threshold, left, right);
        self.n_splits += 1;
        true
    }

    /// Sample indices of `[start, end)` in the order sorted on `feature`.
    fn indices(&self, feature: usize, start: usize, end: usize) -> &[u32] {
        &self.order[feature * self.n + start..feature * self.n + end]
    }

    /// Fills `node_sums` for the samples in `idx` (class weights, or `Σ w·y`); returns their
    /// total weight.
    fn sums(&self, idx: &[u32], sums: &mut [f64]) -> f64 {
        sums.iter_mut().for_each(|s| *s = 0.0);
        let mut total = 0.0;
        match &self.targets {
            Targets::Classes(class) => {
                for &i in idx {
                    let w = self.weight[i as usize];
                    sums[class[i as usize] as usize] += w;
                    total += w;
                }
            }
            Targets::Values(y) => {
                for &i in idx {
                    let w = self.weight[i as usize];
                    sums[0] += w * y[i as usize];
                    total += w;
                }
            }
        }
        total
    }

    /// The impurity of the samples `idx`, whose sums (from [`Grower::sums`]) are `sums`.
    fn impurity_of(&self, idx: &[u32], sums: &[f64], weight: f64) -> f64 {
        match (&self.targets, self.impurity) {
            (Targets::Values(y), _) => {
                let mean = sums[0] / weight;
                let mut sq = 0.0;
                for &i in idx {
                    let r = y[i as usize] - mean;
                    sq += self.weight[i as usize] * r * r;
                }
                sq / weight
            }
            (_, Impurity::Entropy) => entropy(sums, weight),
            _ => gini(sums, weight),
        }
    }

    /// Appends a node for samples `[start, end)` to `tree` and puts its best split, if it may and
    /// can be split, into the frontier. `impurity` comes from the parent's split (`None` for the
    /// root, computed here).
    fn add_node(
        &mut self,
        tree: &mut TreeArrays,
        start: usize,
        end: usize,
        depth: usize,
        impurity: Option<f64>,
    ) -> usize {
        let mut sums = std::mem::take(&mut self.node_sums);
        let weight = self.sums(self.indices(0, start, end), &mut sums);
        let impurity = impurity.unwrap_or_else(|| self.impurity_of(self.indices(0, start, end), &sums, weight));
        let value: Vec<f64> = match self.targets {
            Targets::Classes(_) => sums.iter().map(|s| s / weight).collect(),
            Targets::Values(_) => vec![sums[0] / weight],
        };
        let id = tree.push_leaf(impurity, end - start, weight, &value);
        self.node_sums = sums;
        self.ranges.push((start, end));
        self.depths.push(depth);
        if self.may_split(end - start, depth, impurity) {
            if let Some(c) = self.best_split(id, start, end, impurity, weight) {
                self.frontier.push(Ranked(c));
            }
        }
        id
    }

    fn may_split(&self, n_samples: usize, depth: usize, impurity: f64) -> bool {
        let l = &self.limits;
        depth < l.max_depth
            && n_samples >= l.min_samples_split
            && n_samples >= l.min_samples_leaf.saturating_mul(2)
            && impurity > EPSILON
    }

    /// The best split of `[start, end)` over every feature; `node_sums` must hold the node's sums.
    fn best_split(
        &mut self,
        node: usize,
        start: usize,
        end: usize,
        impurity: f64,
        weight: f64,
    ) -> Option<SplitCandidate> {
        let mut best = Best { proxy: f64::NEG_INFINITY, feature: 0, pos: 0, threshold: 0.0 };
        let min_leaf = self.limits.min_samples_leaf.max(1);
        let n = self.n;
        let mut left = std::mem::take(&mut self.left_sums);
        // regression: targets centred on the node mean, and their (tiny) weighted total
        let (mean, centred_total) = match &self.targets {
            Targets::Values(y) => {
                let mean = self.node_sums[0] / weight;
                let total: f64 =
                    self.indices(0, start, end).iter().map(|&i| self.weight[i as usize] * (y[i as usize] - mean)).sum();
                (mean, total)
            }
            Targets::Classes(_) => (0.0, 0.0),
        };
        let drawn = self.draw_features(start, end);
        let searched = drawn.as_ref().map_or(self.d, Vec::len);
        for slot in 0..searched {
            let f = drawn.as_ref().map_or(slot, |fs| fs[slot]);
            let vals = &self.values[f * n + start..f * n + end];
            let idx = &self.order[f * n + start..f * n + end];
            let (Some(&first), Some(&last)) = (vals.first(), vals.last()) else {
                continue;
            };
            if last <= first + FEATURE_THRESHOLD {
                continue; // constant feature in this node
            }
            let w = &self.weight;
            let mut added = 0;
            let mut wl = 0.0;
            let consider = |proxy: f64, p: usize, best: &mut Best| {
                if proxy > best.proxy {
                    *best = Best { proxy, feature: f, pos: p, threshold: midpoint(vals, p) };
                }
            };
            match &self.targets {
                Targets::Classes(class) => {
                    left.iter_mut().for_each(|s| *s = 0.0);
                    let totals = &self.node_sums;
                    let use_entropy = self.impurity == Impurity::Entropy;
                    for_each_position(vals, min_leaf, |p| {
                        for &i in &idx[added..p] {
                            let wi = w[i as usize];
                            left[class[i as usize] as usize] += wi;
                            wl += wi;
                        }
                        added = p;
                        let wr = weight - wl;
                        let (il, ir) = if use_entropy {
                            let (mut el, mut er) = (0.0, 0.0);
                            for (&l, &t) in left.iter().zip(totals) {
                                if l > 0.0 {
                                    let q = l / wl;
                                    el -= q * (q.ln() / LN_2);
                                }
                                let r = t - l;
                                if r > 0.0 {
                                    let q = r / wr;
                                    er -= q * (q.ln() / LN_2);
                                }
                            }
                            (el, er)
                        } else {
                            let (mut sl, mut sr) = (0.0, 0.0);
                            for (&l, &t) in left.iter().zip(totals) {
                                let r = t - l;
                                sl += l * l;
                                sr += r * r;
                            }
                            (1.0 - sl / (wl * wl), 1.0 - sr / (wr * wr))
                        };
                        consider(-wr * ir - wl * il, p, &mut best);
                    });
                }
                Targets::Values(y) => {
                    let mut sl = 0.0;
                    for_each_position(vals, min_leaf, |p| {
                        for &i in &idx[added..p] {
                            let wi = w[i as usize];
                            sl += wi * (y[i as usize] - mean);
                            wl += wi;
                        }
                        added = p;
                        let sr = centred_total - sl;
                        consider(sl * sl / wl + sr * sr / (weight - wl), p, &mut best);
                    });
                }
            }
        }
        self.left_sums = left;
        if let (Some(drawn), Some(record)) = (drawn, self.sampling.as_mut().and_then(|s| s.record.as_mut())) {
            record.push((drawn, (best.proxy > f64::NEG_INFINITY).then_some(best.feature)));
        }
        if best.proxy == f64::NEG_INFINITY {
            return None;
        }
        // children impurities from fresh sums over each side
        let (mut ls, mut rs) = (std::mem::take(&mut self.left_sums), std::mem::take(&mut self.right_sums));
        let idx_left = self.indices(best.feature, start, start + best.pos);
        let idx_right = self.indices(best.feature, start + best.pos, end);
        let wl = self.sums(idx_left, &mut ls);
        let wr = self.sums(idx_right, &mut rs);
        let impurity_left = self.impurity_of(idx_left, &ls, wl);
        let impurity_right = self.impurity_of(idx_right, &rs, wr);
        self.left_sums = ls;
        self.right_sums = rs;
        let improvement =
            (weight / self.total_weight) * (impurity - (wr / weight * impurity_right) - (wl / weight * impurity_left));
        if improvement + EPSILON < 0.0 {
            return None;
        }
        Some(SplitCandidate {
            node,
            feature: best.feature,
            threshold: best.threshold,
            improvement,
            pos: best.pos,
            impurity_left,
            impurity_right,
        })
    }

    /// Stably partitions every feature's range `[start, end)` so the samples that are among the
    /// first `pos` on `feature` come first.
    fn partition(&mut self, start: usize, end: usize, feature: usize, pos: usize) {
        let n = self.n;
        for q in start..end {
            let i = self.order[feature * n + q] as usize;
            self.goes_left[i] = q < start + pos;
        }
        for g in (0..self.d).filter(|&g| g != feature) {
            let base = g * n;
            let mut l = base + start;
            let mut r = 0;
            for q in base + start..base + end {
                let i = self.order[q];
                let v = self.values[q];
                if self.goes_left[i as usize] {
                    self.order[l] = i;
                    self.values[l] = v;
                    l += 1;
                } else {
                    self.scratch_order[r] = i;
                    self.scratch_values[r] = v;
                    r += 1;
                }
            }
            self.order[l..l + r].copy_from_slice(&self.scratch_order[..r]);
            self.values[l..l + r].copy_from_slice(&self.scratch_values[..r]);
        }
    }

    /// Rebuilds the growing state for `tree`, previously grown (best-first, unpruned) on this
    /// `data`: every sample is routed to its leaf and every leaf's best split is searched again,
    /// so growth continues exactly as if it had never stopped.
    pub fn resume(
        data: &Dataset,
        impurity: Impurity,
        limits: Limits,
        weight: Vec<f64>,
        tree: &TreeArrays,
    ) -> Result<Grower> {
        let mut g = Grower::new(data, impurity, limits, weight)?;
        let n_nodes = tree.node_count();
        if n_nodes == 0 || tree.n_features != g.d || tree.n_outputs != g.n_outputs() {
            return Err(err!(InvalidInput, "tree_other_data"));
        }
        let n = g.n;
        let xs = data.x.as_slice();
        let leaf: Vec<usize> = (0..n).map(|i| tree.leaf_of(|f| xs.get(f * n + i).copied().unwrap_or(0.0))).collect();
        let mut count = vec![0usize; n_nodes];
        for &l in &leaf {
            if let Some(c) = count.get_mut(l) {
                *c += 1;
            }
        }
        if (0..n_nodes).any(|i| tree.is_leaf(i) && count[i] != tree.n_node_samples[i]) {
            return Err(err!(InvalidInput, "tree_other_data"));
        }
        // each leaf gets a block of positions, in id order
        let mut offset = vec![0usize; n_nodes];
        let mut next = 0;
        g.ranges = vec![(0, 0); n_nodes];
        for node in (0..n_nodes).filter(|&i| tree.is_leaf(i)) {
            offset[node] = next;
            g.ranges[node] = (next, next + count[node]);
            next += count[node];
        }
        for f in 0..g.d {
            let mut fill = offset.clone();
            let base = f * n;
            for q in 0..n {
                let i = g.order[base + q];
                let v = g.values[base + q];
                let slot = &mut fill[leaf[i as usize]];
                g.scratch_order[*slot] = i;
                g.scratch_values[*slot] = v;
                *slot += 1;
            }
            g.order[base..base + n].copy_from_slice(&g.scratch_order);
            g.values[base..base + n].copy_from_slice(&g.scratch_values);
        }
        g.depths = tree.parents_and_depths().1;
        g.n_splits = n_nodes - tree.n_leaves();
        for node in (0..n_nodes).filter(|&i| tree.is_leaf(i)) {
            let (start, end) = g.ranges[node];
            let impurity = tree.impurity[node];
            if !g.may_split(end - start, g.depths[node], impurity) {
                continue;
            }
            let mut sums = std::mem::take(&mut g.node_sums);
            let weight = g.sums(g.indices(0, start, end), &mut sums);
            g.node_sums = sums;
            if let Some(c) = g.best_split(node, start, end, impurity, weight) {
                g.frontier.push(Ranked(c));
            }
        }
        Ok(g)
    }
}
