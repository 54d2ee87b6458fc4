//! Gradient boosting of regression trees, as scikit-learn's `GradientBoostingRegressor`
//! (squared error) and `GradientBoostingClassifier` (log-loss, binary and multiclass) with
//! `subsample = 1.0`: the same staged predictions on the same data. The trees are this crate's
//! CART regression trees ([`super::tree`], used through its public API only).
//!
//! - Start: the raw prediction is the mean target (regression), the log-odds of the positive
//!   class's share (two classes), or each class's log share minus their mean (more classes); shares
//!   clipped to [ε, 1 − ε].
//! - Each stage (one `step`) fits, per output, a regression tree of depth `max_depth` to the
//!   negative gradient of the loss at the current raw prediction: the residual `y − F` (squared
//!   error) or `[y = k] − p_k` (log-loss). For log-loss each leaf's value is then replaced by one
//!   Newton step, `Σ r / Σ p(1 − p)` over its points (times (K − 1)/K for K > 2 classes; 0 when the
//!   denominator is below 1e-150), as scikit-learn's `_update_terminal_regions`.
//! - The raw prediction grows by `learning_rate × leaf value`; probabilities are the sigmoid (two
//!   classes) or the softmax of the raw predictions.
//!
//! scikit-learn grows these trees with the squared-error criterion (its `friedman_mse` picks the
//! same splits: the two improvements differ by a constant factor), so the trees agree; where
//! several splits are equally good scikit-learn picks at random and this crate the lowest feature
//! index (see [`super::tree`]), so parity holds on data without such ties. `subsample` is fixed at
//! 1.0 (no stochastic boosting).

use super::tree::{BoxSums, DecisionTree, TreeParams};
use super::{Hyperparams, Model, Summary};
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_count, check_range, Error, Result};
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// Hyper-parameters of [`GradientBoosting`] (scikit-learn's names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoostingParams {
    /// The number of stages, 1 to [`MAX_STAGES`].
    pub n_estimators: usize,
    /// The shrinkage of each stage, above 0 and at most 10.
    pub learning_rate: f64,
    /// The depth of each tree, 0 to 100, or `None` for unlimited.
    pub max_depth: Option<usize>,
    /// Every leaf keeps at least this many points.
    pub min_samples_leaf: usize,
}

impl Default for BoostingParams {
    fn default() -> Self {
        BoostingParams { n_estimators: 100, learning_rate: 0.1, max_depth: Some(3), min_samples_leaf: 1 }
    }
}

/// The most stages.
pub const MAX_STAGES: usize = 1000;
/// The most features and classes a model file may have.
pub const MAX_FEATURES: usize = 10_000;
pub const MAX_CLASSES: usize = 1000;

impl BoostingParams {
    fn tree_params(&self) -> TreeParams {
        TreeParams { max_depth: self.max_depth, min_samples_leaf: self.min_samples_leaf, ..TreeParams::default() }
    }
}

impl Hyperparams for BoostingParams {
    type Model = GradientBoosting;

    fn check(&self) -> Result<()> {
        if self.n_estimators == 0 {
            return Err(err!(InvalidParameter, "stages_at_least_one"));
        }
        check_count("n_estimators", self.n_estimators, 1, MAX_STAGES)?;
        if !(self.learning_rate > 0.0) {
            return Err(err!(InvalidParameter, "boosting_lr_positive", learning_rate = self.learning_rate));
        }
        check_range("learning_rate", self.learning_rate, 0.0, 10.0)?;
        self.tree_params().check()
    }

    fn build(&self, _seed: u64) -> Result<GradientBoosting> {
        self.check()?;
        Ok(GradientBoosting {
            params: self.clone(),
            task: None,
            n_features: 0,
            init: Vec::new(),
            stages: Vec::new(),
            data_fingerprint: 0,
            train_raw: None,
        })
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind, Value};
        Family {
            kind: "boosting",
            tasks: vec![TaskKind::Regression, TaskKind::Classification],
            class_weight: false,
            gradient: Show::Never,
            // one stage per step
            animation: Animation::Epochs,
            controls: vec![
                Control::select("n_estimators", numbers(&[10.0, 25.0, 50.0, 100.0, 200.0, 500.0])),
                Control::select("learning_rate", numbers(&[0.01, 0.05, 0.1, 0.2, 0.5, 1.0])),
                Control::select(
                    "max_depth",
                    std::iter::once(Value::Null).chain(numbers(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])).collect(),
                ),
                Control::select("min_samples_leaf", numbers(&[1.0, 2.0, 5.0, 10.0, 20.0])),
            ],
            ..Family::default()
        }
    }
}

/// One tree of a stage with its leaf values (indexed by node id; the tree's own leaf means for
/// squared error, the Newton steps for log-loss).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BoostTree {
    pub tree: DecisionTree,
    pub leaf_values: Vec<f64>,
}

/// A gradient-boosted ensemble (untrained until the first `fit` or `step`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "BoostingFile")]
pub struct GradientBoosting {
    params: BoostingParams,
    task: Option<Task>,
    n_features: usize,
    /// The starting raw prediction, one per output.
    init: Vec<f64>,
    /// Per stage, one tree per output.
    stages: Vec<Vec<BoostTree>>,
    data_fingerprint: u64,
    /// The raw predictions on the training data (row-major, n × outputs), kept between steps.
    #[serde(skip)]
    train_raw: Option<Vec<f64>>,
}

/// What a saved model file holds; checked by [`GradientBoosting::validate`] before use.
#[derive(Deserialize)]
struct BoostingFile {
    params: BoostingParams,
    task: Option<Task>,
    n_features: usize,
    init: Vec<f64>,
    stages: Vec<Vec<BoostTree>>,
    data_fingerprint: u64,
}

impl TryFrom<BoostingFile> for GradientBoosting {
    type Error = Error;

    fn try_from(f: BoostingFile) -> Result<Self> {
        let model = GradientBoosting {
            params: f.params,
            task: f.task,
            n_features: f.n_features,
            init: f.init,
            stages: f.stages,
            data_fingerprint: f.data_fingerprint,
            train_raw: None,
        };
        model.validate()?;
        Ok(model)
    }
}

/// Raw outputs per task: 1 for regression and two classes, K for K > 2 classes.
fn outputs_for(task: Task) -> usize {
    match task {
        Task::Classification { n_classes } if n_classes > 2 => n_classes,
        _ => 1,
    }
}

impl GradientBoosting {
    pub fn params(&self) -> &BoostingParams {
        &self.params
    }

    /// The task of the training data (`None` untrained).
    pub fn task(&self) -> Option<Task> {
        self.task
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The stages grown so far, each with one tree per output.
    pub fn stages(&self) -> &[Vec<BoostTree>] {
        &self.stages
    }

    /// The starting raw prediction per output.
    pub fn init(&self) -> &[f64] {
        &self.init
    }

    fn outputs(&self) -> usize {
        self.task.map_or(1, outputs_for)
    }

    /// A copy keeping the first `keep` stages (every output's tree of each, the same start and
    /// learning rate), as an ordinary model of `keep` stages: its predictions are scikit-learn's
    /// `staged_predict(_proba)` at stage `keep`. Refused (`stages_keep_range`) for 0 or more
    /// stages than grown, and (`compress_untrained_stages`) before the first stage.
    pub fn truncated(&self, keep: usize) -> Result<GradientBoosting> {
        if self.task.is_none() || self.stages.is_empty() {
            return Err(err!(InvalidInput, "compress_untrained_stages"));
        }
        if keep == 0 || keep > self.stages.len() {
            return Err(err!(InvalidParameter, "stages_keep_range", got = keep, max = self.stages.len()));
        }
        Ok(GradientBoosting {
            params: BoostingParams { n_estimators: keep, ..self.params.clone() },
            task: self.task,
            n_features: self.n_features,
            init: self.init.clone(),
            stages: self.stages[..keep].to_vec(),
            data_fingerprint: self.data_fingerprint,
            train_raw: None,
        })
    }

    /// Checks the model's consistency: parameters in range, at most `n_estimators` stages of one
    /// sound regression tree per output on `n_features` features (at most [`MAX_FEATURES`]), leaf
    /// values for every node and finite numbers. A model file that fails is refused.
    pub fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{out_of_range, refuse, Damage};
        if self.stages.len() > self.params.n_estimators {
            let length = Damage::Length { got: self.stages.len(), expected: self.params.n_estimators };
            return refuse("boosting", "stages", length);
        }
        let Some(task) = self.task else {
            return if self.stages.is_empty() && self.init.is_empty() {
                Ok(())
            } else {
                refuse("boosting", "stages", Damage::Without("task".into()))
            };
        };
        if let Task::Classification { n_classes } = task {
            if !(2..=MAX_CLASSES).contains(&n_classes) {
                return refuse("boosting", "task.n_classes", out_of_range(n_classes, 2, MAX_CLASSES));
            }
        }
        if !(1..=MAX_FEATURES).contains(&self.n_features) {
            return refuse("boosting", "n_features", out_of_range(self.n_features, 1, MAX_FEATURES));
        }
        let outputs = self.outputs();
        if self.init.len() != outputs {
            return refuse("boosting", "init", Damage::Length { got: self.init.len(), expected: outputs });
        }
        if self.init.iter().any(|v| !v.is_finite()) {
            return refuse("boosting", "init", Damage::NotFinite);
        }
        for (s, stage) in self.stages.iter().enumerate() {
            if stage.len() != outputs {
                return refuse(
                    "boosting",
                    format!("stages[{s}]"),
                    Damage::Length { got: stage.len(), expected: outputs },
                );
            }
            for (k, t) in stage.iter().enumerate() {
                let at = format!("stages[{s}][{k}].");
                t.tree.validate_in("boosting", &at)?;
                if t.tree.task() != Some(Task::Regression) {
                    return refuse("boosting", format!("{at}tree.task"), Damage::Invalid("not_regression"));
                }
                if t.tree.arrays().n_features != self.n_features {
                    return refuse(
                        "boosting",
                        format!("{at}tree.tree.n_features"),
                        Damage::Mismatch("n_features".into()),
                    );
                }
                if t.leaf_values.len() != t.tree.node_count() {
                    let length = Damage::Length { got: t.leaf_values.len(), expected: t.tree.node_count() };
                    return refuse("boosting", format!("{at}leaf_values"), length);
                }
                if t.leaf_values.iter().any(|v| !v.is_finite()) {
                    return refuse("boosting", format!("{at}leaf_values"), Damage::NotFinite);
                }
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
        Ok(())
    }

    /// Adds `learning_rate ×` each tree's leaf values to `raw` (row-major n × outputs).
    fn add_stage(&self, stage: &[BoostTree], x: &DMatrix<f64>, raw: &mut [f64]) -> Result<()> {
        let outputs = self.outputs();
        for (k, t) in stage.iter().enumerate() {
            for (i, leaf) in t.tree.apply(x)?.into_iter().enumerate() {
                raw[i * outputs + k] += self.params.learning_rate * t.leaf_values.get(leaf).copied().unwrap_or(0.0);
            }
        }
        Ok(())
    }

    /// The raw predictions (scikit-learn's `decision_function`, or `predict` for regression),
    /// `n × outputs`.
    pub fn decision_function(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        self.check_inputs(x)?;
        let outputs = self.outputs();
        let mut raw: Vec<f64> = (0..x.nrows()).flat_map(|_| self.init.iter().copied()).collect();
        for stage in &self.stages {
            self.add_stage(stage, x, &mut raw)?;
        }
        Ok(DMatrix::from_row_slice(x.nrows(), outputs, &raw))
    }

    /// `predict` after each stage (scikit-learn's `staged_predict` for regression,
    /// `staged_predict_proba` for classification).
    pub fn staged_predict(&self, x: &DMatrix<f64>) -> Result<Vec<DMatrix<f64>>> {
        self.check_inputs(x)?;
        let outputs = self.outputs();
        let mut raw: Vec<f64> = (0..x.nrows()).flat_map(|_| self.init.iter().copied()).collect();
        let mut staged = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            self.add_stage(stage, x, &mut raw)?;
            staged.push(self.link(&DMatrix::from_row_slice(x.nrows(), outputs, &raw)));
        }
        Ok(staged)
    }

    /// Raw predictions to what `predict` returns: values, or probabilities (sigmoid, softmax).
    fn link(&self, raw: &DMatrix<f64>) -> DMatrix<f64> {
        match self.task {
            Some(Task::Classification { n_classes: 2 }) => {
                let mut p = DMatrix::zeros(raw.nrows(), 2);
                for i in 0..raw.nrows() {
                    let p1 = 1.0 / (1.0 + (-raw[(i, 0)]).exp());
                    p[(i, 1)] = p1;
                    p[(i, 0)] = 1.0 - p1;
                }
                p
            }
            Some(Task::Classification { .. }) => {
                let mut p = raw.clone();
                for mut row in p.row_iter_mut() {
                    let top = row.max();
                    row.iter_mut().for_each(|v| *v = (*v - top).exp());
                    let total = row.sum();
                    row.iter_mut().for_each(|v| *v /= total);
                }
                p
            }
            _ => raw.clone(),
        }
    }

    /// The starting raw predictions from the training targets.
    fn initial(data: &Dataset) -> Vec<f64> {
        let n = data.len() as f64;
        let eps = f64::EPSILON;
        match data.task {
            Task::Regression => vec![data.y.sum() / n],
            Task::Classification { n_classes: 2 } => {
                let p = (data.y.iter().filter(|&&c| c == 1.0).count() as f64 / n).clamp(eps, 1.0 - eps);
                vec![(p / (1.0 - p)).ln()]
            }
            Task::Classification { n_classes } => {
                let logs: Vec<f64> = (0..n_classes)
                    .map(|k| (data.y.iter().filter(|&&c| c == k as f64).count() as f64 / n).clamp(eps, 1.0 - eps).ln())
                    .collect();
                let mean = logs.iter().sum::<f64>() / n_classes as f64;
                logs.iter().map(|l| l - mean).collect()
            }
        }
    }

    /// Starts afresh on `data`: the initial raw predictions, no stages.
    fn restart(&mut self, data: &Dataset) -> Result<()> {
        data.require_len(1)?;
        if data.n_features() > MAX_FEATURES {
            return Err(err!(InvalidData, "too_many_features", model = "boosting", max = MAX_FEATURES));
        }
        if let Task::Classification { n_classes } = data.task {
            if n_classes > MAX_CLASSES {
                return Err(err!(InvalidData, "too_many_classes", model = "boosting", max = MAX_CLASSES));
            }
        }
        self.task = Some(data.task);
        self.n_features = data.n_features();
        self.init = Self::initial(data);
        self.stages.clear();
        self.data_fingerprint = data.fingerprint();
        self.train_raw = Some((0..data.len()).flat_map(|_| self.init.iter().copied()).collect());
        Ok(())
    }

    /// Fits the next stage on `data` (whose raw predictions are `self.train_raw`).
    fn grow_stage(&mut self, data: &Dataset) -> Result<()> {
        let raw = match self.train_raw.take() {
            Some(raw) => raw,
            None => self.decision_function(&data.x)?.transpose().as_slice().to_vec(),
        };
        let (n, outputs) = (data.len(), self.outputs());
        let probabilities = self.link(&DMatrix::from_row_slice(n, outputs, &raw));
        let mut stage = Vec::with_capacity(outputs);
        for k in 0..outputs {
            // the negative gradient, and for log-loss the probability it came from
            let (residual, p): (Vec<f64>, Vec<f64>) = (0..n)
                .map(|i| match data.task {
                    Task::Regression => (data.y[i] - raw[i], 0.0),
                    Task::Classification { n_classes: 2 } => {
                        let p = probabilities[(i, 1)];
                        (data.y[i] - p, p)
                    }
                    Task::Classification { .. } => {
                        let p = probabilities[(i, k)];
                        (f64::from(u8::from(data.y[i] == k as f64)) - p, p)
                    }
                })
                .unzip();
            let target = Dataset::new(data.x.clone(), DVector::from_vec(residual.clone()), Task::Regression)?;
            let mut tree = self.params.tree_params().build(0)?;
            tree.fit(&target)?;
            let mut leaf_values: Vec<f64> = tree.arrays().value.clone();
            leaf_values.resize(tree.node_count(), 0.0);
            if let Task::Classification { n_classes } = data.task {
                let leaves = tree.apply(&data.x)?;
                let mut numerator = vec![0.0; tree.node_count()];
                let mut denominator = vec![0.0; tree.node_count()];
                for (i, &leaf) in leaves.iter().enumerate() {
                    numerator[leaf] += residual[i];
                    denominator[leaf] += p[i] * (1.0 - p[i]);
                }
                let factor = if n_classes > 2 { (n_classes - 1) as f64 / n_classes as f64 } else { 1.0 };
                for (node, value) in leaf_values.iter_mut().enumerate() {
                    if tree.arrays().is_leaf(node) {
                        let d = denominator[node];
                        *value = if d.abs() < 1e-150 { 0.0 } else { factor * numerator[node] / d };
                    }
                }
            }
            stage.push(BoostTree { tree, leaf_values });
        }
        let mut raw = raw;
        self.add_stage(&stage, &data.x, &mut raw)?;
        self.stages.push(stage);
        self.train_raw = Some(raw);
        Ok(())
    }
}

impl Model for GradientBoosting {
    /// Grows all `n_estimators` stages from the start.
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        let mut grown = self.clone();
        grown.restart(data)?;
        while grown.stages.len() < grown.params.n_estimators {
            grown.grow_stage(data)?;
        }
        *self = grown;
        Ok(())
    }

    /// Adds one stage. On other data than the stages were grown on, starts afresh; once there are
    /// `n_estimators` stages it changes nothing.
    fn step(&mut self, data: &Dataset, _rng: &mut Rng) -> Result<()> {
        let same = self.task == Some(data.task) && self.data_fingerprint == data.fingerprint() && !self.init.is_empty();
        if same && self.stages.len() >= self.params.n_estimators {
            return Ok(());
        }
        let mut next = self.clone();
        if !same {
            next.restart(data)?;
        }
        next.grow_stage(data)?;
        *self = next;
        Ok(())
    }

    /// `n × 1` values (regression) or `n × k` class probabilities.
    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        Ok(self.link(&self.decision_function(x)?))
    }

    /// The surface from the stages' boxes of pixels (`DecisionTree::grid_boxes`): each leaf's
    /// `rate · value` added to its box in a difference array (`BoxSums`: a cost per leaf, then one
    /// pass over the pixels), the initial values, then the link (the logistic function through
    /// `fast_math`, which vectorises; within 1e-15 of the standard one); `predict` per pixel when
    /// a tree cannot give boxes.
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        if !self.is_trained() || self.check_inputs(&DMatrix::zeros(1, 2)).is_err() {
            return super::predict_grid(self, xs, ys);
        }
        let outputs = self.outputs();
        if self.init.len() != outputs {
            return super::predict_grid(self, xs, ys);
        }
        let mut sums = BoxSums::new(xs.len(), ys.len(), outputs)?;
        let rate = self.params.learning_rate;
        let mut value = vec![0.0; outputs];
        for stage in &self.stages {
            for (k, t) in stage.iter().enumerate() {
                let boxed = t.tree.grid_boxes(xs, ys, |leaf, columns, rows| {
                    value[k] = rate * t.leaf_values.get(leaf).copied().unwrap_or(0.0);
                    sums.add(columns, rows, &value);
                    value[k] = 0.0;
                });
                if !boxed {
                    return super::predict_grid(self, xs, ys);
                }
            }
        }
        let mut raw = sums.sums();
        for pixel in raw.chunks_exact_mut(outputs) {
            pixel.iter_mut().zip(&self.init).for_each(|(v, init)| *v += init);
        }
        match self.task {
            Some(Task::Classification { n_classes: 2 }) => {
                super::fast_math::sigmoid_in_place(&mut raw);
                Some(raw.iter().flat_map(|&p1| [1.0 - p1, p1]).collect())
            }
            Some(Task::Classification { .. }) => {
                for pixel in raw.chunks_exact_mut(outputs) {
                    let top = pixel.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    pixel.iter_mut().for_each(|v| *v = (*v - top).exp());
                    let total: f64 = pixel.iter().sum();
                    pixel.iter_mut().for_each(|v| *v /= total);
                }
                Some(raw)
            }
            _ => Some(raw),
        }
    }

    /// Mean squared error (regression) or mean log-loss (classification) on `data`: what each
    /// stage lowers on the training data.
    fn objective(&self, data: &Dataset) -> Result<f64> {
        super::prediction_loss(self, data)
    }

    fn is_trained(&self) -> bool {
        self.task.is_some()
    }

    fn is_complete(&self) -> bool {
        self.stages.len() >= self.params.n_estimators
    }

    fn summary(&self) -> Summary {
        if !self.is_trained() {
            return Summary::new("boosting.untrained");
        }
        let m = self.stages.len();
        let mut parameters =
            vec![("stages".to_string(), m as f64), ("learning rate".to_string(), self.params.learning_rate)];
        for (k, v) in self.init.iter().enumerate().take(32) {
            parameters.push((if self.init.len() == 1 { "F₀".into() } else { format!("F₀ class {}", k + 1) }, *v));
        }
        let code = match self.task {
            Some(Task::Regression) => "boosting.regression",
            Some(Task::Classification { n_classes: 2 }) => "boosting.binary",
            _ => "boosting.softmax",
        };
        Summary::new(code)
            .with("init", self.init.first().copied().unwrap_or(0.0))
            .with("learning_rate", self.params.learning_rate)
            .with("stages", m)
            .with("n", m)
            .parameters(parameters)
    }

    fn is_finite(&self) -> bool {
        self.init.iter().all(|v| v.is_finite())
            && self.stages.iter().flatten().all(|t| t.leaf_values.iter().all(|v| v.is_finite()))
    }

    fn validate(&self) -> Result<()> {
        GradientBoosting::validate(self)
    }
}
