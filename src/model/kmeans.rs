//! k-means clustering, as scikit-learn's `KMeans(algorithm="lloyd")`: the first model that learns
//! without targets. The data's labels are never read for training (they are shown beside the
//! clusters, and scored against them by the adjusted Rand index, by the session).
//!
//! - **Initialisation**: greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's
//!   `2 + ⌊ln k⌋` candidate draws per centre, the candidate that most lowers the potential kept),
//!   seeded; or `random` (k distinct rows); or given centroids (`centroids`, scikit-learn's
//!   `init=array`, which then runs once).
//! - **Lloyd's iteration** (one per `step`, so the page animates): every row goes to its nearest
//!   centroid, then every centroid moves to the mean of its rows. A cluster left empty takes the
//!   row farthest from its centroid (as scikit-learn relocates). A run stops when no row changes
//!   cluster, when the centroids' total squared shift is at most `tol ×` the mean feature
//!   variance (scikit-learn's relative tolerance), or after `max_iter` iterations; the rows are
//!   then assigned once more to the final centroids, and the inertia (the sum of squared
//!   distances to them) is the run's.
//! - **`n_init` runs**: after a run ends the next step starts another from a fresh k-means++
//!   draw; the run with the lowest inertia is kept. `fit` runs them all at once.
//! - **Prediction**: the nearest centroid (lowest index on ties), returned as a one-hot row per
//!   point (n × k), so the surface is coloured by cluster; [`Model::clusters`] gives the clusters
//!   and squared distances the clustering metrics need.
//! - **Pictures**: the centroids with their trails over the run on the plot (`centroids`), the
//!   elbow chart (inertia for k = 1 … 10, each the best of `min(n_init, 3)` k-means++ runs) and the
//!   silhouette score for k = 2 … 10, computed on at most [`ELBOW_ROWS`] evenly spaced training
//!   rows when stepping starts (not by `fit`, which cross-validation calls per fold).

use super::describe::{numbers, Animation, Control, Family, TaskKind, Value};
use super::view::{Centroids, FamilyView, KCurve, ViewContext, ViewKind};
use super::{Hyperparams, Model, Summary};
use crate::data::{rng, Dataset, Rng};
use crate::error::{check_count, Result};
use nalgebra::DMatrix;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// How the first centroids are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Init {
    /// Greedy k-means++.
    #[default]
    #[serde(rename = "k-means++")]
    KMeansPlusPlus,
    /// k distinct rows drawn at random.
    #[serde(rename = "random")]
    Random,
}

/// Hyper-parameters of [`KMeans`] (scikit-learn's names; `n_init` defaults to 1 as its
/// `"auto"` does with k-means++).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KMeansParams {
    /// The number of clusters k, 1 to [`MAX_CLUSTERS`] (and at most the distinct training rows);
    /// signed, so a k of 0 or below is refused by [`Hyperparams::check`] with its own message.
    pub n_clusters: i64,
    pub init: Init,
    /// Given first centroids (k rows of the data's width): scikit-learn's `init=array`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub centroids: Option<Vec<Vec<f64>>>,
    /// Runs from different initialisations, 1 to 50; the lowest inertia is kept.
    pub n_init: usize,
    /// Lloyd iterations per run, 1 to 10,000.
    pub max_iter: usize,
    /// Relative tolerance on the centroids' squared shift, 0 to 1.
    pub tol: f64,
}

impl Default for KMeansParams {
    fn default() -> Self {
        KMeansParams { n_clusters: 3, init: Init::KMeansPlusPlus, centroids: None, n_init: 1, max_iter: 300, tol: 1e-4 }
    }
}

/// The largest k.
pub const MAX_CLUSTERS: usize = 100;
/// The elbow chart's k: 1 to this.
pub const ELBOW_MAX_K: usize = 10;
/// The elbow chart and its silhouettes use at most this many training rows (evenly spaced).
pub const ELBOW_ROWS: usize = 1000;
/// The most features and centroid numbers a model file may have.
const MAX_FEATURES: usize = 10_000;
const MAX_VALUES: usize = 1 << 22;

impl KMeansParams {
    /// k, as a count (0 for a k the check refuses).
    pub fn k(&self) -> usize {
        self.n_clusters.max(0) as usize
    }
}

impl Hyperparams for KMeansParams {
    type Model = KMeans;

    fn check(&self) -> Result<()> {
        if self.n_clusters <= 0 {
            return Err(err!(InvalidParameter, "kmeans_k_at_least_one", got = self.n_clusters));
        }
        check_count("n_clusters", self.k(), 1, MAX_CLUSTERS)?;
        check_count("n_init", self.n_init, 1, 50)?;
        check_count("max_iter", self.max_iter, 1, 10_000)?;
        if !(self.tol.is_finite() && (0.0..=1.0).contains(&self.tol)) {
            return Err(err!(InvalidParameter, "param_range", param = "tol", min = 0.0, max = 1.0, got = self.tol));
        }
        if let Some(c) = &self.centroids {
            let d = c.first().map_or(0, Vec::len);
            if c.len() != self.k() || d == 0 || d > MAX_FEATURES || c.iter().any(|r| r.len() != d) {
                return Err(err!(InvalidParameter, "kmeans_centroids_shape", k = self.k(), got = c.len()));
            }
            if c.iter().flatten().any(|v| !v.is_finite()) {
                return Err(err!(InvalidParameter, "kmeans_centroids_shape", k = self.k(), got = c.len()));
            }
        }
        Ok(())
    }

    fn build(&self, seed: u64) -> Result<KMeans> {
        self.check()?;
        Ok(KMeans { params: self.clone(), seed, ..KMeans::default() })
    }

    fn describe() -> Family {
        Family {
            kind: "kmeans",
            tasks: vec![TaskKind::Clustering],
            animation: Animation::Epochs,
            views: vec![ViewKind::Centroids, ViewKind::Elbow, ViewKind::Silhouette],
            controls: vec![
                Control::select("n_clusters", numbers(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])),
                Control::select("init", vec![Value::Text("k-means++"), Value::Text("random")]),
                Control::select("n_init", numbers(&[1.0, 3.0, 10.0])),
                Control::select("max_iter", numbers(&[5.0, 20.0, 100.0, 300.0])),
                Control::select("tol", numbers(&[0.0, 1e-6, 1e-4, 1e-2])),
            ],
            ..Family::default()
        }
    }
}

/// The elbow chart's data: inertia per k, and the silhouette per k (k ≥ 2).
#[derive(Debug, Clone, Default, PartialEq)]
struct Elbow {
    inertia: KCurve,
    silhouette: KCurve,
}

/// A run under way.
#[derive(Debug, Clone, Default, PartialEq)]
struct Run {
    centroids: Vec<f64>,
    labels: Vec<usize>,
    iterations: usize,
    /// The centroids after each iteration (the first entry the initial ones), for the trails.
    trail: Vec<Vec<f64>>,
}

/// A trained (or untrained) k-means model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KMeans {
    params: KMeansParams,
    seed: u64,
    n_features: usize,
    /// The centroids, row-major (k × d): the best finished run's, or the run under way's while
    /// the first one animates.
    centroids: Vec<f64>,
    /// The training inertia of these centroids (sum of squared distances of the rows to them).
    inertia: f64,
    /// Lloyd iterations of the run kept.
    n_iter: usize,
    /// Runs finished.
    runs: usize,
    #[serde(skip)]
    run: Option<Run>,
    /// The best finished run: centroids, inertia, iterations, trail.
    #[serde(skip)]
    best: Option<(Vec<f64>, f64, usize, Vec<Vec<f64>>)>,
    #[serde(skip)]
    data_fingerprint: u64,
    #[serde(skip)]
    elbow: Option<Elbow>,
}

impl PartialEq for KMeans {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
            && self.n_features == other.n_features
            && self.centroids == other.centroids
            && self.inertia == other.inertia
            && self.n_iter == other.n_iter
            && self.runs == other.runs
    }
}

/// The rows of `x` row-major.
fn rows_of(x: &DMatrix<f64>) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    for i in 0..x.nrows() {
        out.extend(x.row(i).iter());
    }
    out
}

#[inline]
fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(u, v)| (u - v) * (u - v)).sum()
}

/// The centre of `centroids` (`row.len()` numbers each) nearest to `row`, and its squared
/// distance: the lowest index on ties. On the plane unrolled, with the same sums as
/// `squared_distance` (0 + a + b = a + b), so both paths give the same labels.
#[inline(always)]
fn nearest(row: &[f64], centroids: &[f64]) -> (usize, f64) {
    let (mut at, mut best) = (0, f64::INFINITY);
    if let [u, v] = *row {
        for (c, centre) in centroids.chunks_exact(2).enumerate() {
            let s = (u - centre[0]) * (u - centre[0]) + (v - centre[1]) * (v - centre[1]);
            if s < best {
                best = s;
                at = c;
            }
        }
    } else {
        for (c, centre) in centroids.chunks_exact(row.len().max(1)).enumerate() {
            let s = squared_distance(row, centre);
            if s < best {
                best = s;
                at = c;
            }
        }
    }
    (at, best)
}

/// Each row's nearest centroid (the lowest index on ties) and its squared distance.
pub fn assign(x: &[f64], d: usize, centroids: &[f64]) -> (Vec<usize>, Vec<f64>) {
    x.chunks_exact(d.max(1)).map(|row| nearest(row, centroids)).unzip()
}

/// The number of distinct rows (up to `stop`: counting ends there).
fn distinct_rows(x: &[f64], d: usize, stop: usize) -> usize {
    let mut rows: Vec<&[f64]> = x.chunks_exact(d).collect();
    rows.sort_by(|a, b| {
        a.iter().zip(*b).map(|(u, v)| u.total_cmp(v)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
    });
    rows.dedup_by(|a, b| a == b);
    rows.len().min(stop)
}

/// True when `x` has at least `k` rows different from each other (`==`), found by scanning the rows
/// until `k` are: on most data the first `k` rows, where counting them all sorts every row (a
/// comparison sort, slow in the wasm). When it finds fewer, the caller counts them with
/// [`distinct_rows`] as before (which never counts fewer than this scan finds).
fn has_distinct_rows(x: &[f64], d: usize, k: usize) -> bool {
    let mut seen: Vec<&[f64]> = Vec::with_capacity(k);
    for row in x.chunks_exact(d.max(1)) {
        if seen.len() >= k {
            break;
        }
        if !seen.contains(&row) {
            seen.push(row);
        }
    }
    seen.len() >= k
}

/// scikit-learn's tolerance: `tol` times the mean of the features' variances.
fn absolute_tolerance(x: &[f64], d: usize, tol: f64) -> f64 {
    let n = (x.len() / d) as f64;
    if n == 0.0 {
        return 0.0;
    }
    let mut total = 0.0;
    for j in 0..d {
        let mean = x.iter().skip(j).step_by(d).sum::<f64>() / n;
        total += x.iter().skip(j).step_by(d).map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    }
    total / d as f64 * tol
}

/// Greedy k-means++ on the rows `x`: the first centre a uniform draw, each next one the best of
/// `2 + ⌊ln k⌋` candidates drawn in proportion to the squared distance to the nearest centre.
pub fn kmeans_plus_plus(x: &[f64], d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let n = x.len() / d;
    let trials = 2 + (k as f64).ln().floor() as usize;
    let first = rng.random_range(0..n);
    let mut centres = x[first * d..(first + 1) * d].to_vec();
    let mut closest: Vec<f64> = x.chunks_exact(d).map(|r| squared_distance(r, &centres[..d])).collect();
    let mut potential: f64 = closest.iter().sum();
    for _ in 1..k {
        let mut cumulative = Vec::with_capacity(n);
        let mut sum = 0.0;
        for &c in &closest {
            sum += c;
            cumulative.push(sum);
        }
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
            let r = rng.random::<f64>() * potential;
            let id = cumulative.partition_point(|&c| c < r).min(n - 1);
            let candidate = &x[id * d..(id + 1) * d];
            let dist: Vec<f64> =
                x.chunks_exact(d).zip(&closest).map(|(row, &c)| c.min(squared_distance(row, candidate))).collect();
            let pot: f64 = dist.iter().sum();
            if best.as_ref().is_none_or(|b| pot < b.0) {
                best = Some((pot, id, dist));
            }
        }
        let Some((pot, id, dist)) = best else { break };
        potential = pot;
        closest = dist;
        centres.extend_from_slice(&x[id * d..(id + 1) * d]);
    }
    centres
}

/// k distinct rows drawn at random (a partial Fisher–Yates shuffle of the distinct rows' order).
fn random_rows(x: &[f64], d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let n = x.len() / d;
    let mut order: Vec<usize> = (0..n).collect();
    let mut chosen: Vec<f64> = Vec::with_capacity(k * d);
    let mut taken = 0;
    for i in 0..n {
        if taken == k {
            break;
        }
        let j = rng.random_range(i..n);
        order.swap(i, j);
        let row = &x[order[i] * d..(order[i] + 1) * d];
        if !chosen.chunks_exact(d).any(|c| c == row) {
            chosen.extend_from_slice(row);
            taken += 1;
        }
    }
    chosen
}

/// One Lloyd iteration from `centroids`: the rows' clusters under them, then the new centroids
/// (means; an empty cluster takes the row farthest from its centroid, as scikit-learn). Returns
/// the labels, the new centroids and their total squared shift.
pub fn lloyd_iteration(x: &[f64], d: usize, centroids: &[f64]) -> (Vec<usize>, Vec<f64>, f64) {
    let k = centroids.len() / d;
    let (labels, dist) = assign(x, d, centroids);
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0.0; k];
    for (row, &c) in x.chunks_exact(d).zip(&labels) {
        counts[c] += 1.0;
        sums[c * d..(c + 1) * d].iter_mut().zip(row).for_each(|(s, v)| *s += v);
    }
    let empty: Vec<usize> = (0..k).filter(|&c| counts[c] == 0.0).collect();
    if !empty.is_empty() {
        let mut far: Vec<usize> = (0..labels.len()).collect();
        far.sort_by(|&a, &b| dist[b].total_cmp(&dist[a]).then(a.cmp(&b)));
        for (&c, &i) in empty.iter().zip(&far) {
            let old = labels[i];
            let row = &x[i * d..(i + 1) * d];
            sums[old * d..(old + 1) * d].iter_mut().zip(row).for_each(|(s, v)| *s -= v);
            counts[old] -= 1.0;
            sums[c * d..(c + 1) * d].copy_from_slice(row);
            counts[c] = 1.0;
        }
    }
    let mut next = centroids.to_vec();
    for c in 0..k {
        if counts[c] > 0.0 {
            for j in 0..d {
                next[c * d + j] = sums[c * d + j] / counts[c];
            }
        }
    }
    let shift = squared_distance(&next, centroids);
    (labels, next, shift)
}

/// A whole Lloyd run from `init` (see the module's docs): the final centroids, the inertia and
/// the iterations, with the trail of the centroids.
pub fn lloyd(x: &[f64], d: usize, init: Vec<f64>, max_iter: usize, tol: f64) -> (Vec<f64>, f64, usize) {
    let mut run = Run { centroids: init, ..Run::default() };
    let tol = absolute_tolerance(x, d, tol);
    while !lloyd_step(&mut run, x, d, max_iter, tol) {}
    let (_, dist) = assign(x, d, &run.centroids);
    (run.centroids, dist.iter().sum(), run.iterations)
}

/// One iteration of `run`; true when the run has ended.
fn lloyd_step(run: &mut Run, x: &[f64], d: usize, max_iter: usize, tol: f64) -> bool {
    let (labels, next, shift) = lloyd_iteration(x, d, &run.centroids);
    run.centroids = next;
    run.iterations += 1;
    run.trail.push(run.centroids.clone());
    let unchanged = run.labels == labels;
    run.labels = labels;
    unchanged || shift <= tol || run.iterations >= max_iter
}

impl KMeans {
    pub fn params(&self) -> &KMeansParams {
        &self.params
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The centroids (k rows of the data's width); empty until trained.
    pub fn centroids(&self) -> Vec<Vec<f64>> {
        self.centroids.chunks(self.n_features.max(1)).map(<[f64]>::to_vec).collect()
    }

    /// The training inertia of the centroids.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }

    /// Lloyd iterations of the run kept.
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Checks `data` can be clustered into k, and returns its rows row-major.
    fn rows_for(&self, data: &Dataset) -> Result<Vec<f64>> {
        self.params.check()?;
        let k = self.params.k();
        data.require_len(1)?;
        let d = data.n_features();
        if let Some(c) = &self.params.centroids {
            if c[0].len() != d {
                return Err(err!(InvalidParameter, "kmeans_centroids_width", d = d, got = c[0].len()));
            }
        }
        let x = rows_of(&data.x);
        if !has_distinct_rows(&x, d, k) {
            let distinct = distinct_rows(&x, d, usize::MAX);
            if k > distinct {
                return Err(err!(InvalidParameter, "kmeans_k_distinct", k = k, distinct = distinct));
            }
        }
        Ok(x)
    }

    /// The first centroids of run `r`.
    fn initial(&self, x: &[f64], d: usize, r: usize) -> Vec<f64> {
        if let Some(c) = &self.params.centroids {
            return c.concat();
        }
        let mut rng = rng(self.seed ^ 0x6b6d_6561_6e73_u64.wrapping_mul(r as u64 + 1));
        match self.params.init {
            Init::KMeansPlusPlus => kmeans_plus_plus(x, d, self.params.k(), &mut rng),
            Init::Random => random_rows(x, d, self.params.k(), &mut rng),
        }
    }

    /// Runs: `n_init`, but one with given centroids.
    fn total_runs(&self) -> usize {
        if self.params.centroids.is_some() {
            1
        } else {
            self.params.n_init
        }
    }

    /// Starts afresh on `data` (new data, or a first step); the elbow chart is kept when the
    /// data is the same (it depends on the data and settings, not on the run).
    fn start(&mut self, data: &Dataset) {
        let fingerprint = data.fingerprint();
        let elbow = self.elbow.take().filter(|_| self.data_fingerprint == fingerprint);
        *self = KMeans { params: self.params.clone(), seed: self.seed, elbow, ..KMeans::default() };
        self.n_features = data.n_features();
        self.data_fingerprint = fingerprint;
    }

    /// The elbow chart and silhouettes on at most [`ELBOW_ROWS`] evenly spaced rows.
    fn elbow_of(&self, x: &[f64], d: usize) -> Elbow {
        let n = x.len() / d;
        let rows: Vec<f64> = if n <= ELBOW_ROWS {
            x.to_vec()
        } else {
            (0..ELBOW_ROWS)
                .flat_map(|i| x[i * n / ELBOW_ROWS * d..(i * n / ELBOW_ROWS + 1) * d].iter().copied())
                .collect()
        };
        let n = rows.len() / d;
        let distinct = distinct_rows(&rows, d, ELBOW_MAX_K);
        let mut elbow = Elbow::default();
        let chosen = self.params.k();
        elbow.inertia.chosen = chosen;
        elbow.silhouette.chosen = chosen;
        for k in 1..=distinct {
            let mut best: Option<(f64, Vec<f64>)> = None;
            for r in 0..self.params.n_init.min(3) {
                let mut rng = rng(self.seed ^ 0x0e1b_0000 ^ (k * 64 + r) as u64);
                let init = kmeans_plus_plus(&rows, d, k, &mut rng);
                let (centroids, inertia, _) = lloyd(&rows, d, init, self.params.max_iter, self.params.tol);
                if best.as_ref().is_none_or(|b| inertia < b.0) {
                    best = Some((inertia, centroids));
                }
            }
            let Some((inertia, centroids)) = best else { continue };
            elbow.inertia.ks.push(k);
            elbow.inertia.values.push(inertia);
            if k >= 2 && n > k {
                let (labels, _) = assign(&rows, d, &centroids);
                if let Some(s) = crate::metrics::silhouette(&rows, d, &labels) {
                    elbow.silhouette.ks.push(k);
                    elbow.silhouette.values.push(s);
                }
            }
        }
        elbow
    }

    /// Ends the run under way: keeps it when it is the best so far, and when it was the last run
    /// the model becomes the best one.
    fn end_run(&mut self, x: &[f64], d: usize) {
        let Some(run) = self.run.take() else { return };
        let (_, dist) = assign(x, d, &run.centroids);
        let inertia: f64 = dist.iter().sum();
        self.runs += 1;
        if self.best.as_ref().is_none_or(|b| inertia < b.1) {
            self.best = Some((run.centroids.clone(), inertia, run.iterations, run.trail.clone()));
        }
        // the picture keeps this run's centroids until the next run starts
        self.centroids = run.centroids;
        self.inertia = inertia;
        self.n_iter = run.iterations;
        if self.runs >= self.total_runs() {
            if let Some((c, i, it, trail)) = self.best.clone() {
                self.centroids = c;
                self.inertia = i;
                self.n_iter = it;
                self.run = None;
                self.best = Some((self.centroids.clone(), i, it, trail));
            }
        }
    }

    /// The trail of the run shown: the one under way, else the best one.
    fn trail(&self) -> Option<&Vec<Vec<f64>>> {
        self.run.as_ref().map(|r| &r.trail).or(self.best.as_ref().map(|b| &b.3))
    }

    fn check_inputs(&self, x: &DMatrix<f64>) -> Result<()> {
        if !self.is_trained() {
            return Err(err!(InvalidData, "not_fitted"));
        }
        if x.ncols() != self.n_features {
            return Err(err!(InvalidData, "feature_count", expected = self.n_features, got = x.ncols()));
        }
        Ok(())
    }
}

impl Model for KMeans {
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        let x = self.rows_for(data)?;
        let d = data.n_features();
        self.start(data);
        let tol = absolute_tolerance(&x, d, self.params.tol);
        for r in 0..self.total_runs() {
            let mut run = Run { centroids: self.initial(&x, d, r), ..Run::default() };
            run.trail.push(run.centroids.clone());
            while !lloyd_step(&mut run, &x, d, self.params.max_iter, tol) {}
            self.run = Some(run);
            self.end_run(&x, d);
        }
        Ok(())
    }

    /// One Lloyd iteration; the first step of each run places its initial centroids.
    fn step(&mut self, data: &Dataset, _rng: &mut Rng) -> Result<()> {
        let x = self.rows_for(data)?;
        let d = data.n_features();
        if self.data_fingerprint != data.fingerprint() || self.n_features != d || !self.is_trained() {
            self.start(data);
        }
        // The elbow chart is made when stepping starts (the page's training), not by `fit` (which
        // cross-validation and tuning call once per fold).
        if self.elbow.is_none() {
            self.elbow = Some(self.elbow_of(&x, d));
        }
        if self.is_complete() {
            return Ok(());
        }
        match &mut self.run {
            None => {
                let centroids = self.initial(&x, d, self.runs);
                let (_, dist) = assign(&x, d, &centroids);
                self.inertia = dist.iter().sum();
                self.centroids = centroids.clone();
                self.run = Some(Run { trail: vec![centroids.clone()], centroids, ..Run::default() });
            }
            Some(run) => {
                let tol = absolute_tolerance(&x, d, self.params.tol);
                let ended = lloyd_step(run, &x, d, self.params.max_iter, tol);
                self.centroids = run.centroids.clone();
                let (_, dist) = assign(&x, d, &self.centroids);
                self.inertia = dist.iter().sum();
                self.n_iter = run.iterations;
                if ended {
                    self.end_run(&x, d);
                }
            }
        }
        Ok(())
    }

    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let (labels, _) = self.clusters(x).ok_or_else(|| err!(InvalidData, "not_fitted"))??;
        let k = self.params.k();
        let mut out = DMatrix::zeros(labels.len(), k);
        for (i, &c) in labels.iter().enumerate() {
            out[(i, c)] = 1.0;
        }
        Ok(out)
    }

    /// Each row's cluster as a one-hot row, straight from the row-major rows: the nearest centre
    /// by the sums `assign` makes (so the labels `predict` gives, ties to the first centre).
    fn predict_rows(&self, x: &[f64], d: usize) -> Result<Vec<f64>> {
        let n = super::row_count(x, d)?;
        self.check_inputs(&DMatrix::zeros(0, d))?;
        let k = self.params.k();
        let mut out = vec![0.0; n * k];
        // block by block through a function of its own (see `opaque`), so a wasm engine's
        // optimised code takes over between blocks of even a caller's first batch
        let one_hot_rows: OneHotRows = super::opaque(one_hot_rows);
        for (rows, one_hots) in x.chunks(super::ROW_BLOCK * d).zip(out.chunks_mut(super::ROW_BLOCK * k.max(1))) {
            one_hot_rows(rows, d, &self.centroids, one_hots);
        }
        Ok(out)
    }

    /// Each row's cluster straight from the rows (the labels `predict_rows`' one-hot rows mark).
    fn label_rows(&self, x: &[f64], d: usize) -> Result<Option<Vec<u32>>> {
        let n = super::row_count(x, d)?;
        self.check_inputs(&DMatrix::zeros(0, d))?;
        let mut out = vec![0; n];
        let nearest_rows: NearestRows = super::opaque(nearest_rows);
        for (rows, labels) in x.chunks(super::ROW_BLOCK * d).zip(out.chunks_mut(super::ROW_BLOCK)) {
            nearest_rows(rows, d, &self.centroids, labels);
        }
        Ok(Some(out))
    }

    /// The cluster surface from per-column and per-row parts: `(x − cₓ)²` once per grid column and
    /// `(y − c_y)²` once per grid row, so a pixel's nearest centroid costs `k` additions (the same
    /// sums `assign` makes, so the same labels, ties to the first centroid as there).
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        if !self.is_trained() || self.n_features != 2 {
            return super::predict_grid(self, xs, ys);
        }
        let k = self.params.k();
        let (w, h) = (xs.len(), ys.len());
        let part = |axis: &[f64], j: usize| -> Vec<f64> {
            axis.iter().flat_map(|&v| self.centroids.chunks_exact(2).map(move |c| (v - c[j]) * (v - c[j]))).collect()
        };
        let (dx, dy) = (part(xs, 0), part(ys, 1));
        let mut out = vec![0.0; w * h * k];
        for r in 0..h {
            let row = &dy[r * k..(r + 1) * k];
            for c in 0..w {
                let col = &dx[c * k..(c + 1) * k];
                let (mut best, mut label) = (f64::INFINITY, 0);
                for j in 0..k {
                    let s = col[j] + row[j];
                    if s < best {
                        best = s;
                        label = j;
                    }
                }
                out[(r * w + c) * k + label] = 1.0;
            }
        }
        Some(out)
    }

    fn clusters(&self, x: &DMatrix<f64>) -> Option<Result<(Vec<usize>, Vec<f64>)>> {
        Some(self.check_inputs(x).map(|()| assign(&rows_of(x), self.n_features, &self.centroids)))
    }

    /// The inertia on `data`.
    fn objective(&self, data: &Dataset) -> Result<f64> {
        let (_, dist) = self.clusters(&data.x).ok_or_else(|| err!(InvalidData, "not_fitted"))??;
        Ok(dist.iter().sum())
    }

    fn is_trained(&self) -> bool {
        self.n_features > 0 && self.centroids.len() == self.n_features * self.params.k()
    }

    fn is_complete(&self) -> bool {
        self.is_trained() && self.runs >= self.total_runs()
    }

    fn summary(&self) -> Summary {
        if !self.is_trained() {
            return Summary::new("kmeans.untrained");
        }
        let k = self.params.k();
        let d = self.n_features;
        let mut parameters =
            vec![("inertia".to_string(), self.inertia), ("iterations".to_string(), self.n_iter as f64)];
        for (c, centre) in self.centroids.chunks_exact(d).enumerate().take(20) {
            for (j, v) in centre.iter().enumerate().take(10) {
                parameters.push((format!("centroid {} x{}", c + 1, j + 1), *v));
            }
        }
        let total = self.total_runs();
        let code = match (self.is_complete(), total > 1) {
            (true, false) => "kmeans",
            (true, true) => "kmeans.best",
            (false, _) => "kmeans.running",
        };
        Summary::new(code)
            .with("k", k)
            .with("inertia", self.inertia)
            .with("iterations", self.n_iter)
            .with("run", self.runs + 1)
            .with("runs", total)
            .parameters(parameters)
    }

    fn is_finite(&self) -> bool {
        self.centroids.iter().all(|v| v.is_finite()) && (self.inertia.is_finite() || !self.is_trained())
    }

    fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{out_of_range, refuse, Damage};
        if self.centroids.is_empty() && self.n_features == 0 {
            return Ok(());
        }
        if self.n_features == 0 || self.n_features > MAX_FEATURES {
            return refuse("kmeans", "n_features", out_of_range(self.n_features, 1, MAX_FEATURES));
        }
        let expected = self.n_features.saturating_mul(self.params.k());
        if self.centroids.len() > MAX_VALUES || self.centroids.len() != expected {
            return refuse("kmeans", "centroids", Damage::Length { got: self.centroids.len(), expected });
        }
        if self.centroids.iter().any(|v| !v.is_finite()) {
            return refuse("kmeans", "centroids", Damage::NotFinite);
        }
        if !self.is_finite() || self.inertia < 0.0 {
            return refuse("kmeans", "inertia", Damage::Negative);
        }
        // (0 runs finished: saved while the first run was under way)
        if self.runs > self.total_runs() {
            return refuse("kmeans", "runs", out_of_range(self.runs, 0, self.total_runs()));
        }
        Ok(())
    }

    fn view(&self, kind: ViewKind, ctx: &ViewContext) -> Option<FamilyView> {
        match kind {
            ViewKind::Centroids if self.is_trained() && self.n_features >= 1 => {
                let d = self.n_features;
                // on one feature (the plot's height is the target) the centres sit half-way up
                let middle = 0.5 * (ctx.plane[1].0 + ctx.plane[1].1);
                let point = |c: &[f64]| (c[0], if d >= 2 { c[1] } else { middle });
                let points = self.centroids.chunks_exact(d).map(point).collect();
                let trails = self
                    .trail()
                    .map(|trail| {
                        (0..self.params.k())
                            .map(|c| {
                                trail
                                    .iter()
                                    .filter(|t| t.len() == self.centroids.len())
                                    .map(|t| point(&t[c * d..(c + 1) * d]))
                                    .collect()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Some(FamilyView::Centroids(Centroids { points, trails }))
            }
            ViewKind::Elbow => self.elbow.as_ref().map(|e| FamilyView::Elbow(e.inertia.clone())),
            ViewKind::Silhouette => self
                .elbow
                .as_ref()
                .filter(|e| !e.silhouette.ks.is_empty())
                .map(|e| FamilyView::Silhouette(e.silhouette.clone())),
            _ => None,
        }
    }
}

/// [`one_hot_rows`] as a function pointer.
type OneHotRows = fn(&[f64], usize, &[f64], &mut [f64]);
type NearestRows = fn(&[f64], usize, &[f64], &mut [u32]);

/// Each row's nearest centre of `centroids` into `labels` (one per row), by the sums `assign`
/// makes (ties to the first centre).
#[inline(never)]
fn nearest_rows(x: &[f64], d: usize, centroids: &[f64], labels: &mut [u32]) {
    for (row, label) in x.chunks_exact(d.max(1)).zip(labels.iter_mut()) {
        *label = nearest(row, centroids).0 as u32;
    }
}

/// Each row's cluster as a one-hot row of `out` (zeros on entry, `out.len() / rows` per row): a 1
/// at the centre [`nearest_rows`] names.
#[inline(never)]
fn one_hot_rows(x: &[f64], d: usize, centroids: &[f64], out: &mut [f64]) {
    let n = x.len() / d.max(1);
    let k = out.len() / n.max(1);
    if k == 0 {
        return;
    }
    let mut labels = vec![0; n];
    nearest_rows(x, d, centroids, &mut labels);
    for (one_hot, &label) in out.chunks_exact_mut(k).zip(&labels) {
        if let Some(slot) = one_hot.get_mut(label as usize) {
            *slot = 1.0;
        }
    }
}
