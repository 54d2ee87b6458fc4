//! Random forests for classification and regression, built on this crate's CART trees
//! ([`super::tree`], used through its public API only): each tree learns from a bootstrap sample of
//! the training points (or all of them) and a subset of the features; the forest averages the
//! trees' predictions (class probabilities, as scikit-learn's `RandomForestClassifier` does, or
//! values).
//!
//! - `step` adds one tree, so the page animates the forest growing; `fit` grows all
//!   `n_estimators`. Tree t draws its sample and features from its own generator seeded by the
//!   forest's seed and t, so stepping to the end gives the same forest as `fit`.
//! - Bootstrap: n draws with replacement, passed to the tree as repeated rows. For CART this is the
//!   same as scikit-learn's sample weights (counts): the same weighted impurities, splits and leaf
//!   fractions. It differs only in what `min_samples_leaf` counts (repeated rows here, distinct
//!   points in scikit-learn) when `min_samples_leaf > 1`.
//! - The out-of-bag score: every training point is predicted by the trees whose bootstrap sample
//!   missed it; accuracy (classification) or R² (regression) over the points that some tree
//!   missed.
//! - Feature importances: the mean of the trees' impurity-decrease importances (trees that are a
//!   single leaf left out), normalised to sum to 1, as scikit-learn's `feature_importances_`.
//!
//! **`max_features` is drawn per split**, as Breiman and scikit-learn do: every node searches
//! `max_features` features drawn afresh at that node (the tree's grower, `tree/grow.rs`, takes
//! the option; plain trees leave it off). Features constant in the node are passed over and do
//! not count, where scikit-learn counts them unless every feature it drew was constant, so deep
//! small nodes may search a few more features here; its random draws are its own, so only the
//! forest's scores are comparable (tests/native/forest.rs: accuracy and OOB score against
//! `RandomForestClassifier`, median over seeds). With `max_features = "all"` (the default here)
//! and `bootstrap = false` every tree is exactly scikit-learn's `DecisionTree*` and the forest
//! equals scikit-learn's forest. (Forests read from older files may hold trees grown on a subset
//! of the features, `ForestTree::features`; they predict as before.)

use super::tree::{BoxSums, Criterion, DecisionTree, TreeParams};
use super::{Hyperparams, Model, Summary};
use crate::data::{rng, Dataset, Rng, Task};
use crate::error::{check_count, Error, Result};
use nalgebra::DMatrix;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// How many features each tree sees, by rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureRule {
    /// Every feature.
    All,
    /// ⌊√d⌋ (at least 1).
    Sqrt,
    /// ⌊log₂ d⌋ (at least 1).
    Log2,
}

/// `max_features`: a rule (`"all"`, `"sqrt"`, `"log2"`) or a count (at most the number of features:
/// a larger count takes them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaxFeatures {
    Rule(FeatureRule),
    Count(usize),
}

impl MaxFeatures {
    /// How many of `d` features a tree sees.
    pub fn count(self, d: usize) -> usize {
        let m = match self {
            MaxFeatures::Rule(FeatureRule::All) => d,
            MaxFeatures::Rule(FeatureRule::Sqrt) => (d as f64).sqrt().floor() as usize,
            MaxFeatures::Rule(FeatureRule::Log2) => (d as f64).log2().floor() as usize,
            MaxFeatures::Count(m) => m,
        };
        m.clamp(1, d.max(1))
    }
}

/// Hyper-parameters of [`RandomForest`] (scikit-learn's names; `max_features` defaults to all,
/// see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForestParams {
    /// The number of trees, 1 to [`MAX_TREES`].
    pub n_estimators: usize,
    /// Each tree learns from a bootstrap sample (else from every point).
    pub bootstrap: bool,
    pub max_features: MaxFeatures,
    /// The trees' impurity for classification (regression uses squared error).
    pub criterion: Criterion,
    /// As the tree's: `None` unlimited, else 0 to 100.
    pub max_depth: Option<usize>,
    /// As the tree's: at least 1.
    pub min_samples_leaf: usize,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams {
            n_estimators: 100,
            bootstrap: true,
            max_features: MaxFeatures::Rule(FeatureRule::All),
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_leaf: 1,
        }
    }
}

/// The most trees in a forest (and in a forest file).
pub const MAX_TREES: usize = 1000;
/// The most features a forest file may have.
pub const MAX_FEATURES: usize = 10_000;

impl ForestParams {
    fn tree_params(&self) -> TreeParams {
        TreeParams {
            criterion: self.criterion,
            max_depth: self.max_depth,
            min_samples_leaf: self.min_samples_leaf,
            ..TreeParams::default()
        }
    }
}

impl Hyperparams for ForestParams {
    type Model = RandomForest;

    fn check(&self) -> Result<()> {
        if self.n_estimators == 0 {
            return Err(err!(InvalidParameter, "trees_at_least_one"));
        }
        check_count("n_estimators", self.n_estimators, 1, MAX_TREES)?;
        if let MaxFeatures::Count(m) = self.max_features {
            check_count("max_features", m, 1, MAX_FEATURES)?;
        }
        self.tree_params().check()
    }

    fn build(&self, seed: u64) -> Result<RandomForest> {
        self.check()?;
        Ok(RandomForest {
            params: self.clone(),
            seed,
            task: None,
            n_features: 0,
            trees: Vec::new(),
            oob_score: None,
            data_fingerprint: 0,
            oob: None,
        })
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind, Value};
        let optional = |list: &[f64]| std::iter::once(Value::Null).chain(numbers(list)).collect();
        Family {
            kind: "forest",
            tasks: vec![TaskKind::Regression, TaskKind::Classification],
            class_weight: false,
            gradient: Show::Never,
            // one tree per step
            animation: Animation::Epochs,
            controls: vec![
                Control::select("n_estimators", numbers(&[1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 200.0])),
                Control::new("bootstrap", super::describe::Widget::Checkbox),
                Control::select("max_features", vec!["all".into(), "sqrt".into(), "log2".into(), 1.0.into()]),
                Control::select("criterion", vec!["gini".into(), "entropy".into()])
                    .when(Show::Task(TaskKind::Classification)),
                Control::select("max_depth", optional(&[1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0])),
                Control::select("min_samples_leaf", numbers(&[1.0, 2.0, 5.0, 10.0, 20.0])),
            ],
            ..Family::default()
        }
    }
}

/// One tree of the forest and the features it was grown on (indices into the data's columns).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForestTree {
    pub features: Vec<usize>,
    pub tree: DecisionTree,
}

/// Out-of-bag sums while growing: per point, the summed predictions of the trees that missed it.
#[derive(Debug, Clone)]
struct OutOfBag {
    sums: Vec<f64>,
    counts: Vec<u32>,
}

/// A random forest (untrained until the first `fit` or `step`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "ForestFile")]
pub struct RandomForest {
    params: ForestParams,
    seed: u64,
    task: Option<Task>,
    n_features: usize,
    trees: Vec<ForestTree>,
    oob_score: Option<f64>,
    /// Which data the trees were grown on.
    data_fingerprint: u64,
    #[serde(skip)]
    oob: Option<OutOfBag>,
}

/// What a saved forest file holds; checked by [`RandomForest::validate`] before use.
#[derive(Deserialize)]
struct ForestFile {
    params: ForestParams,
    seed: u64,
    task: Option<Task>,
    n_features: usize,
    trees: Vec<ForestTree>,
    oob_score: Option<f64>,
    data_fingerprint: u64,
}

impl TryFrom<ForestFile> for RandomForest {
    type Error = Error;

    fn try_from(f: ForestFile) -> Result<Self> {
        let model = RandomForest {
            params: f.params,
            seed: f.seed,
            task: f.task,
            n_features: f.n_features,
            trees: f.trees,
            oob_score: f.oob_score,
            data_fingerprint: f.data_fingerprint,
            oob: None,
        };
        model.validate()?;
        Ok(model)
    }
}

impl RandomForest {
    pub fn params(&self) -> &ForestParams {
        &self.params
    }

    /// The trees grown so far, with the features each saw.
    /// How many input columns the forest takes (its trees' `features` index into them).
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    pub fn trees(&self) -> &[ForestTree] {
        &self.trees
    }

    /// The out-of-bag score (accuracy or R²) of the trees grown so far, when bootstrapping and some
    /// point has been left out by some tree.
    pub fn oob_score(&self) -> Option<f64> {
        self.oob_score
    }

    /// The mean impurity-decrease importance of each feature over the trees that split, summing
    /// to 1 (all zeros before any tree splits).
    pub fn feature_importances(&self) -> Vec<f64> {
        let mut total = vec![0.0; self.n_features];
        let mut used = 0;
        for t in &self.trees {
            if t.tree.node_count() <= 1 {
                continue;
            }
            used += 1;
            for (&f, v) in t.features.iter().zip(t.tree.feature_importances()) {
                if let Some(slot) = total.get_mut(f) {
                    *slot += v;
                }
            }
        }
        let sum: f64 = total.iter().sum();
        if used > 0 && sum > 0.0 {
            total.iter_mut().for_each(|v| *v /= sum);
        }
        total
    }

    /// Checks the forest's consistency: parameters in range, at most `n_estimators` trees, every
    /// tree sound (the tree's own checks), of the forest's task and grown on distinct features
    /// within `n_features` (at most [`MAX_FEATURES`]). A forest file that fails is refused.
    pub fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{out_of_range, refuse, Damage};
        if self.trees.len() > self.params.n_estimators {
            return refuse(
                "forest",
                "trees",
                Damage::Length { got: self.trees.len(), expected: self.params.n_estimators },
            );
        }
        if self.task.is_none() {
            return if self.trees.is_empty() {
                Ok(())
            } else {
                refuse("forest", "trees", Damage::Without("task".into()))
            };
        }
        if !(1..=MAX_FEATURES).contains(&self.n_features) {
            return refuse("forest", "n_features", out_of_range(self.n_features, 1, MAX_FEATURES));
        }
        if self.oob_score.is_some_and(|s| !s.is_finite()) {
            return refuse("forest", "oob_score", Damage::NotFinite);
        }
        for (i, t) in self.trees.iter().enumerate() {
            t.tree.validate_in("forest", &format!("trees[{i}]."))?;
            if t.tree.task() != self.task {
                return refuse("forest", format!("trees[{i}].tree.task"), Damage::Mismatch("task".into()));
            }
            let field = format!("trees[{i}].features");
            if t.features.is_empty() {
                return refuse("forest", field, Damage::Length { got: 0, expected: t.tree.arrays().n_features });
            }
            if !t.features.windows(2).all(|w| w[0] < w[1]) {
                return refuse("forest", field, Damage::Invalid("not_increasing"));
            }
            if let Some(&f) = t.features.iter().find(|&&f| f >= self.n_features) {
                return refuse("forest", field, out_of_range(f, 0, self.n_features - 1));
            }
            if t.tree.arrays().n_features != t.features.len() {
                let length = Damage::Length { got: t.features.len(), expected: t.tree.arrays().n_features };
                return refuse("forest", field, length);
            }
        }
        Ok(())
    }

    /// A copy keeping the first `keep` trees, as an ordinary forest of `keep` trees: it predicts
    /// the mean of those trees. Its out-of-bag score is unknown (the sums of the trees left out
    /// are not kept), so it has none. Refused (`stages_keep_range`) for 0 or more trees than
    /// grown, and (`compress_untrained_stages`) before the first tree.
    pub fn truncated(&self, keep: usize) -> Result<RandomForest> {
        if self.task.is_none() || self.trees.is_empty() {
            return Err(err!(InvalidInput, "compress_untrained_stages"));
        }
        if keep == 0 || keep > self.trees.len() {
            return Err(err!(InvalidParameter, "stages_keep_range", got = keep, max = self.trees.len()));
        }
        Ok(RandomForest {
            params: ForestParams { n_estimators: keep, ..self.params.clone() },
            seed: self.seed,
            task: self.task,
            n_features: self.n_features,
            trees: self.trees[..keep].to_vec(),
            oob_score: None,
            data_fingerprint: self.data_fingerprint,
            oob: None,
        })
    }

    fn outputs(&self) -> usize {
        match self.task {
            Some(Task::Classification { n_classes }) => n_classes,
            _ => 1,
        }
    }

    /// Tree `t`'s input columns of `x` (no copy when it sees every feature).
    fn tree_predict(&self, t: &ForestTree, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if t.features.len() == x.ncols() {
            t.tree.predict(x)
        } else {
            t.tree.predict(&x.select_columns(t.features.iter()))
        }
    }

    /// Grows tree number `self.trees.len()` on `data` and adds it (updating the out-of-bag score).
    fn add_tree(&mut self, data: &Dataset) -> Result<()> {
        let (n, d) = (data.len(), data.n_features());
        let t = self.trees.len() as u64;
        let mut r = rng(self.seed ^ (t + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let m = self.params.max_features.count(d);
        let rows: Vec<usize> =
            if self.params.bootstrap { (0..n).map(|_| r.random_range(0..n)).collect() } else { (0..n).collect() };
        let sample = data.select(&rows);
        let mut tree = self.params.tree_params().build(0)?;
        if m < d {
            // every split searches m features drawn at its node (Breiman's, scikit-learn's)
            tree.fit_sampling_features(&sample, m, r.random::<u64>(), false)?;
        } else {
            tree.fit(&sample)?;
        }
        let grown = ForestTree { features: (0..d).collect(), tree };
        if self.params.bootstrap {
            let mut in_bag = vec![false; n];
            rows.iter().for_each(|&i| in_bag[i] = true);
            let missed: Vec<usize> = (0..n).filter(|&i| !in_bag[i]).collect();
            if !missed.is_empty() {
                let outputs = self.outputs();
                let p = self.tree_predict(&grown, &data.x.select_rows(missed.iter()))?;
                if let Some(oob) = self.oob.as_mut() {
                    for (row, &i) in missed.iter().enumerate() {
                        for c in 0..outputs {
                            oob.sums[i * outputs + c] += p[(row, c)];
                        }
                        oob.counts[i] += 1;
                    }
                }
            }
        }
        self.trees.push(grown);
        self.oob_score = self.score_out_of_bag(data);
        Ok(())
    }

    fn score_out_of_bag(&self, data: &Dataset) -> Option<f64> {
        let oob = self.oob.as_ref()?;
        let outputs = self.outputs();
        let seen: Vec<usize> = (0..data.len()).filter(|&i| oob.counts[i] > 0).collect();
        if seen.is_empty() {
            return None;
        }
        let y: Vec<f64> = seen.iter().map(|&i| data.y[i]).collect();
        match data.task {
            Task::Regression => {
                let pred: Vec<f64> = seen.iter().map(|&i| oob.sums[i] / f64::from(oob.counts[i])).collect();
                crate::metrics::r2(&y, &pred)
            }
            Task::Classification { .. } => {
                let hits = seen
                    .iter()
                    .zip(&y)
                    .filter(|(&i, &label)| {
                        let row = &oob.sums[i * outputs..(i + 1) * outputs];
                        // the first class with the largest sum, as numpy's argmax
                        let best = (0..outputs).fold(0, |b, c| if row[c] > row[b] { c } else { b });
                        best as f64 == label
                    })
                    .count();
                Some(hits as f64 / seen.len() as f64)
            }
        }
    }

    /// Forgets the trees and starts growing afresh on `data`.
    fn restart(&mut self, data: &Dataset) -> Result<()> {
        data.require_len(1)?;
        if data.n_features() > MAX_FEATURES {
            return Err(err!(InvalidData, "too_many_features", model = "forest", max = MAX_FEATURES));
        }
        self.trees.clear();
        self.task = Some(data.task);
        self.n_features = data.n_features();
        self.data_fingerprint = data.fingerprint();
        self.oob_score = None;
        let outputs = self.outputs();
        self.oob = self
            .params
            .bootstrap
            .then(|| OutOfBag { sums: vec![0.0; data.len() * outputs], counts: vec![0; data.len()] });
        Ok(())
    }
}

impl Model for RandomForest {
    /// Grows all `n_estimators` trees from scratch.
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        let mut grown = self.clone();
        grown.restart(data)?;
        while grown.trees.len() < grown.params.n_estimators {
            grown.add_tree(data)?;
        }
        *self = grown;
        Ok(())
    }

    /// Adds one tree. On other data than the trees were grown on, starts afresh; once the forest
    /// has `n_estimators` trees it changes nothing.
    fn step(&mut self, data: &Dataset, _rng: &mut Rng) -> Result<()> {
        let same =
            self.task == Some(data.task) && self.data_fingerprint == data.fingerprint() && !self.trees.is_empty();
        if same && self.trees.len() >= self.params.n_estimators {
            return Ok(());
        }
        let mut next = self.clone();
        // a forest read from a file has no out-of-bag sums: it starts afresh to keep its score honest
        if !same || (next.params.bootstrap && next.oob.is_none()) {
            next.restart(data)?;
        }
        next.add_tree(data)?;
        *self = next;
        Ok(())
    }

    /// The mean of the trees' predictions: `n × k` class probabilities or `n × 1` values.
    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if self.trees.is_empty() {
            return Err(err!(InvalidData, "not_fitted"));
        }
        if x.ncols() != self.n_features {
            return Err(err!(InvalidData, "feature_count", expected = self.n_features, got = x.ncols()));
        }
        let mut sum = DMatrix::zeros(x.nrows(), self.outputs());
        for t in &self.trees {
            sum += self.tree_predict(t, x)?;
        }
        Ok(sum / self.trees.len() as f64)
    }

    /// The trees' leaf boxes of pixels (`DecisionTree::grid_boxes`) summed in a difference array
    /// (`BoxSums`: a cost per leaf and one pass over the pixels, not a pass per tree), then
    /// averaged; `predict` per pixel for a forest not on two features or a grid the boxes do not
    /// cover (axes not monotone, non-finite).
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        if self.n_features != 2 || self.trees.is_empty() || self.trees.iter().any(|t| t.features != [0, 1]) {
            return super::predict_grid(self, xs, ys);
        }
        let mut sums = BoxSums::new(xs.len(), ys.len(), self.outputs())?;
        for t in &self.trees {
            if !t.tree.add_grid_boxes(xs, ys, &mut sums, |leaf| t.tree.arrays().value_of(leaf)) {
                return super::predict_grid(self, xs, ys);
            }
        }
        let n = self.trees.len() as f64;
        let mut mean = sums.sums();
        mean.iter_mut().for_each(|s| *s /= n);
        Some(mean)
    }

    /// Mean squared error (regression) or mean log-loss (classification) of the forest on `data`.
    fn objective(&self, data: &Dataset) -> Result<f64> {
        super::prediction_loss(self, data)
    }

    fn is_trained(&self) -> bool {
        !self.trees.is_empty()
    }

    fn is_complete(&self) -> bool {
        self.trees.len() >= self.params.n_estimators
    }

    fn summary(&self) -> Summary {
        if self.trees.is_empty() {
            return Summary::new("forest.untrained");
        }
        let n = self.trees.len();
        let leaves: usize = self.trees.iter().map(|t| t.tree.n_leaves()).sum();
        let mean_leaves = leaves as f64 / n as f64;
        let mut summary = Summary::new("forest").with("trees", n).with("n", n).with("leaves", mean_leaves);
        if let Some(s) = self.oob_score {
            let code = if self.task == Some(Task::Regression) { "forest.oob_r2" } else { "forest.oob_accuracy" };
            summary = Summary { code: code.into(), ..summary }.with("oob", s);
        }
        let mut parameters = vec![("trees".to_string(), n as f64), ("mean leaves".to_string(), mean_leaves)];
        if let Some(s) = self.oob_score {
            parameters.push(("out-of-bag score".into(), s));
        }
        for (f, v) in self.feature_importances().into_iter().enumerate().take(64) {
            parameters.push((format!("importance of x{}", f + 1), v));
        }
        summary.parameters(parameters)
    }

    fn is_finite(&self) -> bool {
        self.trees.iter().all(|t| t.tree.is_finite())
    }

    fn validate(&self) -> Result<()> {
        RandomForest::validate(self)
    }
    /// The the trees' impurity decrease, averaged.
    fn feature_importances(&self) -> Option<Vec<f64>> {
        self.is_trained().then(|| RandomForest::feature_importances(self))
    }
}
