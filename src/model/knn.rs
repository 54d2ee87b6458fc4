//! k nearest neighbours for classification and regression, as scikit-learn's
//! `KNeighborsClassifier` / `KNeighborsRegressor` with the Minkowski metric: the same neighbours,
//! class probabilities (`predict_proba`) and regression values on the same data.
//!
//! - Training keeps the points and builds a k-d tree over them ([`kd_tree`]); `fit` and `step` do
//!   the same one thing, and the page refits on every change (`fits_instantly`).
//! - A prediction looks up the `n_neighbors` nearest training points by the distance
//!   `(Σ |xⱼ − qⱼ|^p)^(1/p)` (p = 1 Manhattan, p = 2 Euclidean, other p ≥ 1 Minkowski) and either
//!   counts each neighbour once (`uniform`) or weighs it by 1 / distance (`distance`). With distance
//!   weights a neighbour at distance 0 takes all the weight (shared among such neighbours), as
//!   scikit-learn does.
//! - Classification returns the (weighted) share of each class among the neighbours; regression the
//!   (weighted) mean of their targets.
//!
//! Ties between neighbours at equal distance: the lower training index is taken (scikit-learn's
//! `brute` algorithm gives the same order in practice; its `kd_tree` keeps whichever it met
//! first). Only exactly equal distances at the k-th place are affected; parity tests use data
//! without them.

mod grid;
mod kd_tree;

use super::{Hyperparams, Model, Summary};
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_count, check_range, Error, Result};
use kd_tree::{KdTree, Neighbour};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use std::collections::BinaryHeap;

/// How the neighbours' votes are weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Weights {
    /// Every neighbour counts once.
    #[default]
    Uniform,
    /// A neighbour counts 1 / its distance.
    Distance,
}

/// Hyper-parameters of [`KNearestNeighbors`] (scikit-learn's names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnnParams {
    /// How many neighbours vote, 1 to [`MAX_NEIGHBORS`] (and at most the number of training points).
    pub n_neighbors: usize,
    pub weights: Weights,
    /// The order of the Minkowski distance, 1 to 100: 1 Manhattan, 2 Euclidean.
    pub p: f64,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams { n_neighbors: 5, weights: Weights::Uniform, p: 2.0 }
    }
}

/// The largest `n_neighbors`.
pub const MAX_NEIGHBORS: usize = 1000;
/// The most training points a model (or model file) holds.
pub const MAX_POINTS: usize = 1_000_000;
/// The most features a model file may have.
pub const MAX_FEATURES: usize = 10_000;
/// The most classes a model file may have.
pub const MAX_CLASSES: usize = 10_000;

impl Hyperparams for KnnParams {
    type Model = KNearestNeighbors;

    fn check(&self) -> Result<()> {
        if self.n_neighbors == 0 {
            return Err(err!(InvalidParameter, "neighbors_at_least_one"));
        }
        check_count("n_neighbors", self.n_neighbors, 1, MAX_NEIGHBORS)?;
        check_range("p", self.p, 1.0, 100.0)
    }

    fn build(&self, _seed: u64) -> Result<KNearestNeighbors> {
        self.check()?;
        Ok(KNearestNeighbors {
            params: self.clone(),
            task: None,
            n_features: 0,
            x: Vec::new(),
            y: Vec::new(),
            index: KdTree::default(),
        })
    }

    fn fits_instantly(&self) -> bool {
        true
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind};
        Family {
            kind: "knn",
            tasks: vec![TaskKind::Regression, TaskKind::Classification],
            class_weight: false,
            gradient: Show::Never,
            animation: Animation::Epochs,
            controls: vec![
                Control::select("n_neighbors", numbers(&[1.0, 3.0, 5.0, 7.0, 9.0, 15.0, 25.0, 50.0])),
                Control::select("weights", vec!["uniform".into(), "distance".into()]),
                Control::select("p", numbers(&[1.0, 2.0, 3.0])),
            ],
            ..Family::default()
        }
    }
}

/// A k-nearest-neighbours model: the training points and a k-d tree over them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "KnnFile")]
pub struct KNearestNeighbors {
    params: KnnParams,
    /// The task of the training data; `None` until trained.
    task: Option<Task>,
    n_features: usize,
    /// Training points, row-major (`n × n_features`).
    x: Vec<f64>,
    /// Training targets (class indices for classification).
    y: Vec<f64>,
    #[serde(skip)]
    index: KdTree,
}

/// What a saved model file holds; checked by [`KNearestNeighbors::validate`] before use.
#[derive(Deserialize)]
struct KnnFile {
    params: KnnParams,
    task: Option<Task>,
    n_features: usize,
    x: Vec<f64>,
    y: Vec<f64>,
}

impl TryFrom<KnnFile> for KNearestNeighbors {
    type Error = Error;

    fn try_from(f: KnnFile) -> Result<Self> {
        let mut model = KNearestNeighbors {
            params: f.params,
            task: f.task,
            n_features: f.n_features,
            x: f.x,
            y: f.y,
            index: KdTree::default(),
        };
        model.validate()?;
        model.index = KdTree::build(&model.x, model.n_features, model.params.p);
        Ok(model)
    }
}

impl KNearestNeighbors {
    pub fn params(&self) -> &KnnParams {
        &self.params
    }

    /// The task of the training data (`None` untrained).
    pub fn task(&self) -> Option<Task> {
        self.task
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The training points kept, row-major (`n_points × n_features`).
    pub fn points(&self) -> &[f64] {
        &self.x
    }

    /// The training targets (class indices for classification).
    pub fn targets(&self) -> &[f64] {
        &self.y
    }

    /// The number of training points kept.
    pub fn n_points(&self) -> usize {
        self.y.len()
    }

    /// The `n_neighbors` nearest training points of each row of `x`: `(indices, distances)` per
    /// row, nearest first (scikit-learn's `kneighbors`).
    pub fn kneighbors(&self, x: &DMatrix<f64>) -> Result<Vec<(Vec<usize>, Vec<f64>)>> {
        self.check_inputs(x)?;
        let k = self.params.n_neighbors;
        let (mut heap, mut found, mut q) =
            (BinaryHeap::with_capacity(k + 1), Vec::with_capacity(k), vec![0.0; x.ncols()]);
        Ok((0..x.nrows())
            .map(|i| {
                q.iter_mut().enumerate().for_each(|(j, v)| *v = x[(i, j)]);
                self.index.nearest(&q, k, &mut heap, &mut found);
                (
                    found.iter().map(|n| n.index).collect(),
                    found.iter().map(|n| self.index.distance(n.reduced)).collect(),
                )
            })
            .collect())
    }

    /// Checks the model's consistency: parameters in range, sizes within the documented limits
    /// ([`MAX_POINTS`], [`MAX_FEATURES`], [`MAX_CLASSES`]), at least `n_neighbors` points, finite
    /// values and class labels that fit the task. A model file that fails is refused.
    pub fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{out_of_range, refuse, Damage};
        let n = self.y.len();
        match self.task {
            None if n == 0 && self.x.is_empty() => return Ok(()),
            None => return refuse("knn", "y", Damage::Without("task".into())),
            Some(_) => {}
        }
        if self.n_features == 0 || self.n_features > MAX_FEATURES {
            return refuse("knn", "n_features", out_of_range(self.n_features, 1, MAX_FEATURES));
        }
        if n > MAX_POINTS {
            return refuse("knn", "y", Damage::Length { got: n, expected: MAX_POINTS });
        }
        if n.checked_mul(self.n_features) != Some(self.x.len()) {
            return refuse("knn", "x", Damage::Length { got: self.x.len(), expected: n * self.n_features });
        }
        if n < self.params.n_neighbors {
            return refuse("knn", "y", Damage::Length { got: n, expected: self.params.n_neighbors });
        }
        if self.x.iter().any(|v| !v.is_finite()) {
            return refuse("knn", "x", Damage::NotFinite);
        }
        if self.y.iter().any(|v| !v.is_finite()) {
            return refuse("knn", "y", Damage::NotFinite);
        }
        if let Some(Task::Classification { n_classes }) = self.task {
            if !(2..=MAX_CLASSES).contains(&n_classes) {
                return refuse("knn", "task.n_classes", out_of_range(n_classes, 2, MAX_CLASSES));
            }
            if let Some(i) = self.y.iter().position(|&c| c < 0.0 || c.fract() != 0.0 || c >= n_classes as f64) {
                return refuse("knn", format!("y[{i}]"), Damage::Invalid("class_outside"));
            }
        }
        Ok(())
    }

    fn check_inputs(&self, x: &DMatrix<f64>) -> Result<()> {
        if self.task.is_none() {
            return Err(err!(InvalidData, "not_fitted"));
        }
        if x.ncols() != self.n_features {
            return Err(err!(InvalidData, "feature_count", expected = self.n_features, got = x.ncols()));
        }
        if let Some(row) = (0..x.nrows()).find(|&i| x.row(i).iter().any(|v| !v.is_finite())) {
            return Err(err!(InvalidData, "row_not_finite", row = row + 1));
        }
        Ok(())
    }

    /// The weight of each neighbour (scikit-learn's `_get_weights`): 1 each (`uniform`), or
    /// 1 / distance, where a neighbour at distance 0 takes weight 1 and the others 0.
    fn neighbour_weights(&self, found: &[Neighbour], weights: &mut Vec<f64>) {
        weights.clear();
        match self.params.weights {
            Weights::Uniform => weights.extend(found.iter().map(|_| 1.0)),
            Weights::Distance if found.iter().any(|n| n.reduced == 0.0) => {
                weights.extend(found.iter().map(|n| if n.reduced == 0.0 { 1.0 } else { 0.0 }))
            }
            Weights::Distance => weights.extend(found.iter().map(|n| 1.0 / self.index.distance(n.reduced))),
        }
    }
}

impl KNearestNeighbors {
    /// What `found` (nearest first, as [`KdTree::nearest`] gives them) predict, added to `out`
    /// (zeros): one value per class (the weighted shares) or the one regression value (the
    /// weighted mean). Left as it is when the weights sum to nothing.
    fn vote(&self, found: &[Neighbour], weights: &mut Vec<f64>, out: &mut [f64]) {
        self.neighbour_weights(found, weights);
        let total: f64 = weights.iter().sum();
        if total <= 0.0 || !total.is_finite() {
            return;
        }
        if let [value] = out {
            *value = found.iter().zip(weights.iter()).map(|(f, w)| self.y[f.index] * w).sum::<f64>() / total;
        } else {
            for (f, w) in found.iter().zip(weights.iter()) {
                if let Some(slot) = out.get_mut(self.y[f.index] as usize) {
                    *slot += w / total;
                }
            }
        }
    }
}

impl Model for KNearestNeighbors {
    /// Keeps the training points and builds the k-d tree. Refused when there are fewer points
    /// than `n_neighbors`.
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        self.params.check()?;
        data.require_len(1)?;
        let k = self.params.n_neighbors;
        if data.len() < k {
            return Err(err!(InvalidParameter, "neighbors_too_many", k = k, len = data.len()));
        }
        if data.len() > MAX_POINTS {
            return Err(err!(InvalidData, "knn_too_many_points", MAX_POINTS = MAX_POINTS));
        }
        let d = data.n_features();
        let mut x = Vec::with_capacity(data.len() * d);
        for i in 0..data.len() {
            x.extend(data.x.row(i).iter());
        }
        self.index = KdTree::build(&x, d, self.params.p);
        self.x = x;
        self.y = data.y.iter().copied().collect();
        self.n_features = d;
        self.task = Some(data.task);
        Ok(())
    }

    /// The same as `fit`: storing the points is the whole of training.
    fn step(&mut self, data: &Dataset, _rng: &mut Rng) -> Result<()> {
        self.fit(data)
    }

    /// `n × k` neighbour class shares (classification) or `n × 1` neighbour means (regression).
    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        self.check_inputs(x)?;
        let k = self.params.n_neighbors;
        let n = x.nrows();
        let outputs = match self.task {
            Some(Task::Classification { n_classes }) => n_classes,
            _ => 1,
        };
        let mut out = DMatrix::zeros(n, outputs);
        let (mut heap, mut found, mut weights) = (BinaryHeap::with_capacity(k + 1), Vec::with_capacity(k), Vec::new());
        let mut q = vec![0.0; x.ncols()];
        let mut row = vec![0.0; outputs];
        for i in 0..n {
            q.iter_mut().enumerate().for_each(|(j, v)| *v = x[(i, j)]);
            self.index.nearest(&q, k, &mut heap, &mut found);
            row.fill(0.0);
            self.vote(&found, &mut weights, &mut row);
            row.iter().enumerate().for_each(|(c, &v)| out[(i, c)] = v);
        }
        Ok(out)
    }

    /// Mean squared error (regression) or mean log-loss (classification) on `data`; k-NN does not
    /// minimise it, it is what the page's loss chart shows.
    fn objective(&self, data: &Dataset) -> Result<f64> {
        super::prediction_loss(self, data)
    }

    fn is_trained(&self) -> bool {
        self.task.is_some()
    }

    fn is_complete(&self) -> bool {
        self.is_trained()
    }

    fn summary(&self) -> Summary {
        let p = self.params.p;
        let k = self.params.n_neighbors;
        let parameters =
            vec![("k".into(), k as f64), ("p".into(), p), ("training points".into(), self.n_points() as f64)];
        if !self.is_trained() {
            return Summary::new("knn.untrained").parameters(parameters);
        }
        let metric = if p == 1.0 {
            "manhattan"
        } else if p == 2.0 {
            "euclidean"
        } else {
            "minkowski"
        };
        let votes = match self.params.weights {
            Weights::Uniform => "uniform",
            Weights::Distance => "distance",
        };
        Summary::new("knn")
            .with("k", k)
            .with("points", self.n_points())
            .with("metric", metric)
            .with("p", p)
            .with("votes", votes)
            .parameters(parameters)
    }

    /// The surface block by block (`knn/grid.rs`: a block far from every change of its
    /// neighbours shares them, a small one searches its candidates), exactly `predict`'s values;
    /// `predict` per pixel off two features.
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        self.grid_predictions(xs, ys).or_else(|| super::predict_grid(self, xs, ys))
    }

    fn is_finite(&self) -> bool {
        self.x.iter().chain(&self.y).all(|v| v.is_finite())
    }

    fn validate(&self) -> Result<()> {
        KNearestNeighbors::validate(self)
    }
}
