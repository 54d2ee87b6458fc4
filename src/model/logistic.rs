//! Logistic regression: a linear score of chosen features, turned into class probabilities by
//! the sigmoid (two classes) or the softmax (three or more).
//!
//! The features `φ(x)` come from a [`FeatureMap`] of the two inputs (`x1, x2, x1², x1·x2, …`) and
//! are **standardised internally** (zero mean, unit variance on the training data) so that one
//! learning rate suits every feature and the penalty treats them alike. With `z = W·φ̃(x) + b`
//! (`φ̃` the standardised features), two classes use one score, `P(class 1) = σ(z)`; `k ≥ 3`
//! classes use one score per class, `P(class c) = softmax(z)_c`. The objective, for both `fit`
//! and `step`, is the **mean** cross-entropy plus `λ` times the penalty on the weights (never the
//! intercepts):
//!
//! - `l2`: `½‖W‖²`; `l1`: `‖W‖₁`; `elastic_net`: `r‖W‖₁ + (1 − r)·½‖W‖²` (`r` = `l1_ratio`);
//!   `none`: 0.
//!
//! With `class_weight` every example's cross-entropy is multiplied by its class's weight `w_i`
//! and the mean becomes the weighted mean `Σ w_i·CE_i / Σ w_i` (so only the ratios of the weights
//! matter, and a weight of 3 counts like three copies of the row; see [`crate::model::weights`]).
//!
//! In scikit-learn terms this is
//! `make_pipeline(FunctionTransformer(φ), StandardScaler(), LogisticRegression(C=1/(n·λ), l1_ratio=r))`
//! (`C=np.inf` for no penalty; solver `lbfgs` for L2, `saga` for L1 / elastic net): scikit-learn
//! minimises `C·Σ CE + penalty`, which is `n·C` times ours. With class weights scikit-learn
//! minimises `C·Σ w_i·CE_i + penalty`, so the same model is `LogisticRegression(C=1/(λ·Σ w_i),
//! class_weight=…)`; for `"balanced"` the weights sum to `n`, so `C = 1/(n·λ)` as without. [`LogisticRegression::standardized_coefficients`]
//! are that pipeline's `coef_` and `intercept_`; [`LogisticRegression::coefficients`] are the
//! same scores in the units of `φ(x)`. With three or more classes the softmax is unchanged by
//! adding one number to every class's score, so the intercepts (and, without penalty, each
//! feature's weights) are reported centred to sum to zero across classes, as scikit-learn's are.
//!
//! `fit` runs Newton's method (proximal Newton with an L1 term; see `logistic/newton.rs`) to
//! `tolerance`; `step` runs one epoch of mini-batch gradient descent with the shared optimisers.
//! With plain SGD an L1 term is applied as a soft-threshold after each update (proximal gradient
//! descent, which reaches exact zeros); with momentum or Adam it enters the gradient as the
//! subgradient `λ·sign(w)`.
//!
//! Until trained, `predict` gives even odds (n × 2 of 0.5), `logits` zeros (n × 1), and
//! `objective` is `ln k` (all weights zero).

mod grid;
mod newton;
mod objective;
pub mod view;

use super::fast_math;
use super::weights::{self, ClassWeight};
use super::{Formula, Hyperparams, Model, Score, Summary, Term};
use crate::data::features::{FeatureMap, Standardizer};
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_count, check_range, Result};
use crate::optim::{Optimizer, OptimizerKind, TrainParams};
use crate::tagged::tagged_enum;
use nalgebra::{DMatrix, DMatrixView};
use objective::{Objective, Work};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// The most classes logistic regression accepts (the Newton system grows with their square).
pub const MAX_CLASSES: usize = 20;
/// The largest weight (on standardised features) a model file may hold (see
/// [`crate::data::features::MAX_WEIGHT`]).
pub const MAX_WEIGHT: f64 = crate::data::features::MAX_WEIGHT;
/// The most input columns logistic regression accepts (as many as a network; a model file with
/// more is refused before anything is sized by it).
pub const MAX_INPUTS: usize = crate::model::mlp::network::MAX_INPUTS;

tagged_enum! {
    /// What the penalty on the weights is.
    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    pub enum Penalty("kind") {
        /// No penalty (the strength is ignored). On separable data the weights then grow without
        /// bound; `fit` stops at `tolerance` or `max_iter`.
        None = "none",
        /// Lasso: `‖W‖₁`, which sets weights exactly to zero.
        L1 = "l1",
        /// Ridge: `½‖W‖²`.
        #[default]
        L2 = "l2",
        /// `l1_ratio·‖W‖₁ + (1 − l1_ratio)·½‖W‖²`.
        ElasticNet = "elastic_net" { l1_ratio: f64 },
    }
}

impl Penalty {
    /// The coefficients `(l2, l1)` of `l2/2·‖W‖² + l1·‖W‖₁` for strength `strength`.
    fn terms(&self, strength: f64) -> (f64, f64) {
        match *self {
            Penalty::None => (0.0, 0.0),
            Penalty::L1 => (0.0, strength),
            Penalty::L2 => (strength, 0.0),
            Penalty::ElasticNet { l1_ratio } => (strength * (1.0 - l1_ratio), strength * l1_ratio),
        }
    }
}

/// Which solver the page uses: `newton` refits instantly (it calls `fit`), `gradient` animates
/// training epoch by epoch (it calls `step`). `fit` itself always runs Newton's method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Solver {
    #[default]
    Newton,
    Gradient,
}

/// Hyper-parameters of [`LogisticRegression`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogisticParams {
    /// Which features of `(x1, x2)` the linear score uses.
    pub features: FeatureMap,
    pub penalty: Penalty,
    /// Penalty strength λ, 0 to 100.
    pub strength: f64,
    pub solver: Solver,
    /// `fit` stops when every entry of the (sub)gradient is below this, 1e-12 to 1.
    pub tolerance: f64,
    /// Most Newton iterations of `fit`, 1 to 10 000.
    pub max_iter: usize,
    /// Gradient-descent settings used by `step`.
    pub train: TrainParams,
    /// Class weights in the loss (`None`: every example weighs 1).
    pub class_weight: Option<ClassWeight>,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams {
            features: FeatureMap::default(),
            penalty: Penalty::L2,
            strength: 0.01,
            solver: Solver::Newton,
            tolerance: 1e-6,
            max_iter: 100,
            train: TrainParams { learning_rate: 0.5, ..TrainParams::default() },
            class_weight: None,
        }
    }
}

impl Hyperparams for LogisticParams {
    type Model = LogisticRegression;

    fn check(&self) -> Result<()> {
        self.features.check()?;
        check_range("penalty strength λ", self.strength, 0.0, 100.0)?;
        if let Penalty::ElasticNet { l1_ratio } = self.penalty {
            check_range("elastic-net L1 ratio", l1_ratio, 0.0, 1.0)?;
        }
        check_range("tolerance", self.tolerance, 1e-12, 1.0)?;
        check_count("maximum number of iterations", self.max_iter, 1, 10_000)?;
        weights::check(self.class_weight.as_ref())?;
        self.train.check()
    }

    fn fits_instantly(&self) -> bool {
        self.solver == Solver::Newton
    }

    fn build(&self, _seed: u64) -> Result<LogisticRegression> {
        self.check()?;
        Ok(LogisticRegression {
            params: self.clone(),
            scaler: None,
            n_classes: 0,
            n_inputs: 2,
            weights: Vec::new(),
            optimizer: None,
            loss_memory: Default::default(),
            trained: false,
            iterations: 0,
            converged: false,
        })
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, tagged, Animation, Control, Family, Show, TaskKind, Value, Widget};
        use super::view::ViewKind;
        let features = vec!["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"];
        Family {
            kind: "logistic",
            tasks: vec![TaskKind::Classification],
            class_weight: true,
            gradient: Show::Equals("solver", "gradient".into()),
            animation: Animation::Epochs,
            views: vec![ViewKind::Sigmoid],
            controls: vec![
                Control::select("solver", vec!["newton".into(), "gradient".into()]),
                Control::select(
                    "penalty",
                    vec![
                        tagged("none", &[]),
                        tagged("l1", &[]),
                        tagged("l2", &[]),
                        tagged("elastic_net", &[("l1_ratio", Value::Number(0.5))]),
                    ],
                ),
                Control::select("strength", numbers(&[0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]))
                    .when(Show::Differs("penalty", "none".into())),
                Control::new("features", Widget::Toggles { options: features }),
            ],
            ..Family::default()
        }
    }
    fn train_params(&self) -> Option<&TrainParams> {
        Some(&self.train)
    }
    fn class_weight(&self) -> Option<&ClassWeight> {
        self.class_weight.as_ref()
    }
}

/// Coefficients of the linear scores `z = Σ_j weights[r][j] · feature_j + intercepts[r]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coefficients {
    /// Names of the features, in column order (`x1`, `x1·x2`, …).
    pub feature_names: Vec<String>,
    /// One row per score: a single row (the score of class 1) for two classes, one row per class
    /// for more.
    pub weights: Vec<Vec<f64>>,
    pub intercepts: Vec<f64>,
}

/// A trained (or untrained) logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegression {
    params: LogisticParams,
    /// Standardisation of the features, fixed at the first fit or step.
    scaler: Option<Standardizer>,
    /// Number of classes the model was trained on; 0 until trained.
    n_classes: usize,
    /// Number of input columns the model was trained on (two for the plane; files written before
    /// other widths were possible read as two).
    #[serde(default = "two_inputs")]
    n_inputs: usize,
    /// The `(p + 1) × s` parameters column by column (each score's `p` weights on the
    /// standardised features, then its intercept); empty until trained.
    weights: Vec<f64>,
    #[serde(skip)]
    optimizer: Option<Optimizer>,
    /// The divergence guard's memory (see [`crate::optim::LossMemory`]).
    #[serde(skip)]
    pub(crate) loss_memory: crate::optim::LossMemory,
    trained: bool,
    /// Newton iterations of the last `fit` (0 after `step`).
    iterations: usize,
    /// Whether the last `fit` reached `tolerance`.
    converged: bool,
}

fn two_inputs() -> usize {
    2
}

/// Number of linear scores for `k` classes.
fn score_count(k: usize) -> usize {
    if k == 2 {
        1
    } else {
        k
    }
}

/// The class index of every example, checked against the task.
fn class_labels(data: &Dataset) -> Result<(usize, Vec<usize>)> {
    let Task::Classification { n_classes } = data.task else {
        return Err(err!(InvalidData, "logistic_needs_classes"));
    };
    if !(2..=MAX_CLASSES).contains(&n_classes) {
        return Err(err!(InvalidData, "logistic_classes", MAX_CLASSES = MAX_CLASSES, n_classes = n_classes));
    }
    let mut labels = Vec::with_capacity(data.len());
    for (row, &y) in data.y.iter().enumerate() {
        if !(y >= 0.0 && y.fract() == 0.0 && y < n_classes as f64) {
            return Err(err!(InvalidData, "row_class_range", row = row + 1, class = y, max = n_classes - 1));
        }
        labels.push(y as usize);
    }
    Ok((n_classes, labels))
}

/// [`LogisticRegression::score_rows`] as a function pointer.
type ScoreRows = fn(
    &LogisticRegression,
    &[f64],
    usize,
    &crate::data::features::RowMap,
    &Standardizer,
    &mut Vec<f64>,
    &mut Vec<f64>,
    &mut Vec<f64>,
    &mut [f64],
) -> bool;

/// The class probabilities of rows whose scores are `z` (`s` per row, row-major; overwritten),
/// written into `out` (row-major, `max(s, 2)` per row): σ of each score for one score per row
/// (two classes: `1 − σ(z)`, `σ(z)`), softmax shifted by the row's largest score for more.
/// Through `fast_math`'s `exp`, across the whole block at once so it vectorises; each value is
/// what `fast_math::sigmoid` / `fast_math::exp` give for it alone, so `predict` computes the same.
fn write_probabilities(z: &mut [f64], s: usize, out: &mut [f64]) {
    if s == 1 {
        fast_math::sigmoid_in_place(z);
        for (pair, &q) in out.chunks_exact_mut(2).zip(z.iter()) {
            pair[0] = 1.0 - q;
            pair[1] = q;
        }
        return;
    }
    for row in z.chunks_exact_mut(s) {
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        row.iter_mut().for_each(|v| *v -= max);
    }
    fast_math::exp_in_place(z);
    for (row, target) in z.chunks_exact(s).zip(out.chunks_exact_mut(s)) {
        let sum: f64 = row.iter().sum();
        for (t, &v) in target.iter_mut().zip(row) {
            *t = v / sum;
        }
    }
}

/// Fails, naming the first row, unless every value is finite.
fn check_finite(values: &DMatrix<f64>) -> Result<()> {
    let Some(index) = values.iter().position(|v| !v.is_finite()) else {
        return Ok(());
    };
    Err(err!(InvalidData, "row_not_finite_features", max = index % values.nrows().max(1) + 1))
}

/// Distillation's targets for [`LogisticRegression::step_with`]: the teacher's probabilities at
/// temperature `T` per row (n × scores), which rows carry a true label, the weight `α` of the
/// true labels and `T` (the loss is in `compress::distill`).
#[derive(Debug, Clone)]
pub struct DistillTargets {
    pub targets: DMatrix<f64>,
    pub labelled: Vec<bool>,
    pub alpha: f64,
    pub temperature: f64,
}

/// Distillation's loss for a logistic model with parameters `theta` (`(q) × scores` column by
/// column, the last row the intercepts) on the design `design` (n × q, last column ones),
/// `labels` per row and `soft`'s targets, without penalty, and its gradient over `theta`: for
/// checking the gradient against finite differences.
pub fn distillation_objective_and_gradient(
    design: &DMatrix<f64>,
    labels: &[usize],
    theta: &[f64],
    soft: &DistillTargets,
) -> Result<(f64, Vec<f64>)> {
    let (n, q) = design.shape();
    let scores = soft.targets.ncols();
    if q == 0 || theta.len() != q * scores || labels.len() != n || soft.targets.nrows() != n || soft.labelled.len() != n
    {
        return Err(err!(InvalidData, "distill_mismatch"));
    }
    let objective = Objective::new(design, labels, scores, 0.0, 0.0).distilled(objective::Soft {
        targets: &soft.targets,
        labelled: &soft.labelled,
        alpha: soft.alpha,
        temperature: soft.temperature,
    });
    let mut work = Work::new(n, scores);
    let value = objective.value(theta, &mut work);
    Ok((value, objective.gradient(theta, &work)))
}

impl LogisticRegression {
    /// One epoch of mini-batch gradient descent (`Model::step`), with distillation's soft term
    /// mixed into the loss when `soft` is given (see [`DistillTargets`]).
    pub(crate) fn step_with(&mut self, data: &Dataset, rng: &mut Rng, soft: Option<&DistillTargets>) -> Result<()> {
        let (n_classes, labels) = class_labels(data)?;
        data.require_len(1)?;
        data.require_two_classes()?;
        if self.layout().ok().flatten().is_none() || self.n_classes != n_classes || self.n_inputs != data.n_features() {
            self.init_for(data, n_classes)?;
        }
        let Some((scaler, s, p)) = self.layout()? else {
            return Err(err!(InvalidData, "nothing_to_train"));
        };
        let design = self.design(&data.x, scaler)?;
        let n = design.nrows();
        let (l2, l1) = self.penalty_terms();
        // A mini-batch of m rows divides its weighted loss by m times the mean weight of all the
        // rows, so its gradient estimates the full weighted mean's without bias.
        let sample_weights = weights::sample_weights(self.params.class_weight.as_ref(), data)?;
        let total_weight: f64 = sample_weights.as_ref().map_or(0.0, |w| w.iter().sum());
        let mean_weight = total_weight / n.max(1) as f64;
        let mut batch_weights = Vec::new();
        let batch = match self.params.train.batch_size {
            0 => n,
            b => b.min(n),
        };
        let mut order: Vec<usize> = (0..n).collect();
        if batch < n {
            order.shuffle(rng);
        }
        let len = (p + 1) * s;
        let train = self.params.train;
        let optimizer = self.optimizer.get_or_insert_with(|| Optimizer::new(&train, len));
        let mut work = Work::new(batch, s);
        // Plain SGD takes the L1 term as a proximal step (soft-thresholding by rate · l1, which
        // lands weights exactly on zero); momentum and Adam rescale their steps, so for them the
        // L1 term joins the gradient as the subgradient l1 · sign(w).
        let proximal = matches!(train.optimizer, OptimizerKind::Sgd);
        for chunk in order.chunks(batch) {
            let (batch_design, batch_labels);
            let (batch_targets, batch_labelled);
            let mut objective = if chunk.len() == n {
                Objective::new(&design, &labels, s, l2, 0.0)
            } else {
                batch_design = design.select_rows(chunk.iter());
                batch_labels = chunk.iter().map(|&i| labels[i]).collect::<Vec<_>>();
                Objective::new(&batch_design, &batch_labels, s, l2, 0.0)
            };
            if let Some(d) = soft {
                if d.targets.shape() != (n, s) || d.labelled.len() != n {
                    return Err(err!(InvalidData, "distill_mismatch"));
                }
                let (targets, labelled) = if chunk.len() == n {
                    (&d.targets, &d.labelled[..])
                } else {
                    batch_targets = d.targets.select_rows(chunk.iter());
                    batch_labelled = chunk.iter().map(|&i| d.labelled[i]).collect::<Vec<_>>();
                    (&batch_targets, &batch_labelled[..])
                };
                objective = objective.distilled(objective::Soft {
                    targets,
                    labelled,
                    alpha: d.alpha,
                    temperature: d.temperature,
                });
            }
            if let Some(w) = &sample_weights {
                if chunk.len() == n {
                    objective = objective.weighted(w, total_weight);
                } else {
                    batch_weights.clear();
                    batch_weights.extend(chunk.iter().map(|&i| w[i]));
                    objective = objective.weighted(&batch_weights, chunk.len() as f64 * mean_weight);
                }
            }
            if chunk.len() != batch {
                work = Work::new(chunk.len(), s);
            }
            objective.value(&self.weights, &mut work);
            let mut grad = objective.gradient(&self.weights, &work);
            let rate = optimizer.current_rate();
            if l1 > 0.0 && !proximal {
                for (i, g) in grad.iter_mut().enumerate() {
                    if objective.is_penalised(i) && self.weights[i] != 0.0 {
                        *g += l1 * self.weights[i].signum();
                    }
                }
            }
            optimizer.update(&mut self.weights, &grad);
            if l1 > 0.0 && proximal {
                for (i, w) in self.weights.iter_mut().enumerate() {
                    if objective.is_penalised(i) {
                        *w = newton::soft_threshold(*w, rate * l1);
                    }
                }
            }
        }
        self.trained = true;
        self.iterations = 0;
        self.converged = false;
        if !self.is_finite() {
            return Err(err!(Diverged, "diverged_weights"));
        }
        Ok(())
    }

    pub fn params(&self) -> &LogisticParams {
        &self.params
    }

    /// Number of classes the model was trained on (`None` until trained).
    pub fn n_classes(&self) -> Option<usize> {
        (self.n_classes >= 2 && !self.weights.is_empty()).then_some(self.n_classes)
    }

    /// Newton iterations the last `fit` took (0 after `step`).
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Whether the last `fit` reached its tolerance (false after `step`, or when `max_iter` ran
    /// out first, as on separable data without penalty).
    pub fn converged(&self) -> bool {
        self.converged
    }

    /// The scaler of the feature map's columns, once trained, and the number of input columns.
    pub fn feature_scaler(&self) -> Option<(&Standardizer, usize)> {
        self.layout().ok().flatten().map(|(s, _, _)| (s, self.n_inputs))
    }

    /// The class probabilities of some rows written into `out` (`max(s, 2)` per row, for
    /// [`Model::predict_rows`]); false, at once, on a value that is not finite. The rows'
    /// features (`design`, row-major; the rows themselves when the map is the identity) are
    /// standardised and each score summed into `z` in the order of the blocked path (so the same
    /// numbers): in one pass for one score, through `scaled` for more; then the probabilities of
    /// all the rows at once.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn score_rows(
        &self,
        x: &[f64],
        d: usize,
        map: &crate::data::features::RowMap,
        scaler: &Standardizer,
        design: &mut Vec<f64>,
        scaled: &mut Vec<f64>,
        z: &mut Vec<f64>,
        out: &mut [f64],
    ) -> bool {
        let p = scaler.mean.len();
        let s = self.weights.len() / (p + 1);
        let rows = x.len() / d;
        let features: &[f64] = if map.is_identity() && p == d {
            x
        } else {
            design.clear();
            design.resize(rows * p, 0.0);
            for (row, f) in x.chunks_exact(d).zip(design.chunks_exact_mut(p)) {
                map.apply(row, f);
            }
            design
        };
        let (mean, scale) = (&scaler.mean[..p], &scaler.scale[..p]);
        let mut finite = true;
        z.clear();
        if s == 1 {
            let w = &self.weights[..p + 1];
            // (-0.0 + a is a: a sum's first step)
            z.extend(features.chunks_exact(p).map(|row| {
                let mut acc = -0.0;
                for j in 0..p {
                    let v = (row[j] - mean[j]) / scale[j];
                    finite &= row[j].is_finite() & v.is_finite();
                    acc += v * w[j];
                }
                acc + w[p]
            }));
        } else {
            scaled.clear();
            for row in features.chunks_exact(p) {
                for j in 0..p {
                    let v = (row[j] - mean[j]) / scale[j];
                    finite &= row[j].is_finite() & v.is_finite();
                    scaled.push(v);
                }
            }
            for row in scaled.chunks_exact(p) {
                for w in self.weights.chunks_exact(p + 1) {
                    let mut acc = -0.0;
                    for (v, wj) in row.iter().zip(w) {
                        acc += v * wj;
                    }
                    z.push(acc + w[p]);
                }
            }
        }
        if !finite {
            return false;
        }
        write_probabilities(z, s, out);
        true
    }

    /// [`Model::predict_rows`] block by block, each row's scores taken straight from the block's
    /// design matrix into the answer (no n × scores product, no n × classes matrix, no
    /// transpose): the path for rows with a missing or overflowing value, named as `predict`
    /// names them.
    fn predict_rows_blocked(&self, x: &[f64], d: usize) -> Result<Vec<f64>> {
        let n = super::row_count(x, d)?;
        let Some((scaler, s, p)) = self.layout()? else {
            return super::predict_rows_in_blocks(self, x, d, super::ROW_BLOCK);
        };
        if d != self.n_inputs {
            return Err(err!(InvalidData, "feature_count", expected = self.n_inputs, got = d));
        }
        let k = if s == 1 { 2 } else { s };
        let mut out = vec![0.0; n * k];
        let mut z = Vec::with_capacity(super::ROW_BLOCK * s);
        let mut start = 0;
        while start < n {
            let rows = super::ROW_BLOCK.min(n - start);
            let design = self
                .design(&DMatrix::from_row_slice(rows, d, &x[start * d..(start + rows) * d]), scaler)
                .map_err(|e| e.rows_from(start))?;
            let ds = design.as_slice();
            z.clear();
            for i in 0..rows {
                for w in self.weights.chunks_exact(p + 1) {
                    z.push(w.iter().enumerate().map(|(j, wj)| ds[j * rows + i] * wj).sum());
                }
            }
            write_probabilities(&mut z, s, &mut out[start * k..(start + rows) * k]);
            start += rows;
        }
        Ok(out)
    }

    /// The scaler, score count and feature count of a trained model, checking that a model read
    /// from a file is consistent; `None` when untrained.
    fn layout(&self) -> Result<Option<(&Standardizer, usize, usize)>> {
        let (Some(scaler), false) = (&self.scaler, self.weights.is_empty()) else {
            return Ok(None);
        };
        let p = self.params.features.output_len(self.n_inputs);
        let s = score_count(self.n_classes);
        let consistent = (2..=MAX_CLASSES).contains(&self.n_classes)
            && scaler.mean.len() == p
            && scaler.scale.len() == p
            && self.weights.len() == (p + 1) * s;
        if !consistent {
            return Err(err!(InvalidInput, "model_inconsistent"));
        }
        Ok(Some((scaler, s, p)))
    }

    /// The design matrix `[standardised φ(x), 1]` (n × (p + 1)); fails on non-finite values.
    fn design(&self, x: &DMatrix<f64>, scaler: &Standardizer) -> Result<DMatrix<f64>> {
        if x.ncols() != self.n_inputs {
            return Err(err!(InvalidData, "feature_count", expected = self.n_inputs, got = x.ncols()));
        }
        let phi = self.params.features.apply(x)?;
        let (n, p) = phi.shape();
        check_finite(&phi)?;
        if scaler.mean.len() != p || scaler.scale.len() != p {
            return Err(err!(InvalidInput, "model_inconsistent"));
        }
        let mut design = DMatrix::from_element(n, p + 1, 1.0);
        for j in 0..p {
            let (mean, scale) = (scaler.mean[j], scaler.scale[j]);
            for (target, &v) in design.column_mut(j).iter_mut().zip(phi.column(j).iter()) {
                *target = (v - mean) / scale;
            }
        }
        check_finite(&design)?;
        Ok(design)
    }

    /// The linear scores `z` of each row of `x`: n × 1 (the score of class 1, `P = σ(z)`) for two
    /// classes, n × k (`P = softmax(z)`) for more. All zeros (n × 1) until trained.
    pub fn logits(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let Some((scaler, s, p)) = self.layout()? else {
            return Ok(DMatrix::zeros(x.nrows(), 1));
        };
        let design = self.design(x, scaler)?;
        let parameters = DMatrixView::from_slice(&self.weights, p + 1, s);
        Ok(&design * parameters)
    }

    /// The coefficients on the standardised features, i.e. scikit-learn's `coef_` and
    /// `intercept_` for the pipeline in the module comment. Empty until trained.
    pub fn standardized_coefficients(&self) -> Coefficients {
        let feature_names = self.params.features.names_for(self.n_inputs);
        let Ok(Some((_, s, p))) = self.layout() else {
            return Coefficients { feature_names, weights: Vec::new(), intercepts: Vec::new() };
        };
        let weights = (0..s).map(|c| self.weights[c * (p + 1)..c * (p + 1) + p].to_vec()).collect();
        let intercepts = (0..s).map(|c| self.weights[c * (p + 1) + p]).collect();
        Coefficients { feature_names, weights, intercepts }
    }

    /// The coefficients in the units of the features `φ(x)` themselves, so that
    /// `z = Σ_j weights[r][j] · φ_j(x) + intercepts[r]` (what the page prints and draws). Empty
    /// until trained.
    pub fn coefficients(&self) -> Coefficients {
        let mut coefficients = self.standardized_coefficients();
        let Some(scaler) = &self.scaler else {
            return coefficients;
        };
        for (row, intercept) in coefficients.weights.iter_mut().zip(coefficients.intercepts.iter_mut()) {
            for (j, w) in row.iter_mut().enumerate() {
                if let (Some(&mean), Some(&scale)) = (scaler.mean.get(j), scaler.scale.get(j)) {
                    *w /= scale;
                    *intercept -= *w * mean;
                }
            }
        }
        coefficients
    }

    /// `(l2, l1)` coefficients of the penalty.
    fn penalty_terms(&self) -> (f64, f64) {
        self.params.penalty.terms(self.params.strength)
    }

    /// Starts training afresh on `data`: scaler from its features, zero weights, a new optimiser.
    fn init_for(&mut self, data: &Dataset, n_classes: usize) -> Result<()> {
        if data.n_features() > MAX_INPUTS {
            return Err(err!(InvalidData, "too_many_features", model = "logistic", max = MAX_INPUTS));
        }
        let phi = self.params.features.apply(&data.x)?;
        check_finite(&phi)?;
        self.n_inputs = data.n_features();
        let len = (phi.ncols() + 1) * score_count(n_classes);
        self.scaler = Some(Standardizer::fit_checked(&phi)?);
        self.n_classes = n_classes;
        self.weights = vec![0.0; len];
        self.optimizer = Some(Optimizer::new(&self.params.train, len));
        Ok(())
    }

    /// With three or more classes, adds to every class the same amount (which leaves the softmax
    /// unchanged) so the intercepts, and without a penalty each feature's weights, sum to zero.
    fn centre_scores(&mut self, p: usize) {
        let s = score_count(self.n_classes);
        if s == 1 {
            return;
        }
        let (l2, l1) = self.penalty_terms();
        let rows = if l2 == 0.0 && l1 == 0.0 { 0..p + 1 } else { p..p + 1 };
        for j in rows {
            let mean = (0..s).map(|c| self.weights[c * (p + 1) + j]).sum::<f64>() / s as f64;
            for c in 0..s {
                self.weights[c * (p + 1) + j] -= mean;
            }
        }
    }

    fn check_classes(&self, n_classes: usize) -> Result<()> {
        if self.n_classes != 0 && !self.weights.is_empty() && self.n_classes != n_classes {
            return Err(err!(InvalidData, "classes_changed", n_classes = self.n_classes, n_classes2 = n_classes));
        }
        Ok(())
    }
}

/// The most unknowns ((features + 1) × scores) Newton's method solves for at once: its Hessian
/// is that squared, 2048² numbers = 32 MiB. Wider problems use the row space (L2) or are refused
/// with a message pointing to gradient descent (L1, elastic net).
pub const MAX_NEWTON_UNKNOWNS: usize = 2048;

/// For a design `[Z, 1]` (n × (p + 1)) with p > n: the reduced design `[Z V S⁻¹·S, 1]` = `[U S, 1]`
/// (n × (r + 1)) of Z's thin SVD `Z = U S Vᵀ` (r the rank), and `V = Zᵀ U S⁻¹` (p × r) that maps
/// reduced weights back (`w = V c`). With an L2 penalty the optimal weights lie in Z's row space
/// (the representer theorem), and `‖V c‖ = ‖c‖`, `Z V c = U S c`, so minimising over c with the
/// same penalty is the same problem. U and S come from the eigendecomposition of the n × n Gram
/// matrix Z Zᵀ = U S² Uᵀ: 5 rows × 10,000 features is a 5 × 5 eigenproblem, where the full Newton
/// system was 10,001² numbers (800 MB).
fn row_space(design: &DMatrix<f64>) -> (DMatrix<f64>, DMatrix<f64>) {
    let (n, q) = design.shape();
    let z = design.columns(0, q - 1);
    let gram = z * z.transpose();
    let eigen = nalgebra::SymmetricEigen::new(gram);
    let largest = eigen.eigenvalues.iter().fold(0.0f64, |a, &v| a.max(v));
    let kept: Vec<usize> = (0..n).filter(|&i| eigen.eigenvalues[i] > 1e-12 * largest.max(1e-300)).collect();
    let r = kept.len();
    let mut reduced = DMatrix::from_element(n, r + 1, 1.0);
    let mut back = DMatrix::zeros(q - 1, r);
    for (k, &i) in kept.iter().enumerate() {
        let sigma = eigen.eigenvalues[i].sqrt();
        let u = eigen.eigenvectors.column(i);
        reduced.column_mut(k).copy_from(&(u * sigma));
        back.column_mut(k).copy_from(&(z.transpose() * u / sigma));
    }
    (reduced, back)
}

/// A score as data, with its named parameters appended to `parameters` (`x1`, `intercept`;
/// with ` (class c)` after them when there is one score per class).
fn score_of(
    names: &[String],
    weights: &[f64],
    intercept: f64,
    label: &str,
    parameters: &mut Vec<(String, f64)>,
) -> Score {
    let mut terms = Vec::new();
    for (name, &w) in names.iter().zip(weights) {
        terms.push(Term { coefficient: w, feature: name.clone() });
        parameters.push((format!("{name}{label}"), w));
    }
    parameters.push((format!("intercept{label}"), intercept));
    Score { terms, intercept }
}

impl Model for LogisticRegression {
    fn view(&self, kind: super::view::ViewKind, ctx: &super::view::ViewContext) -> Option<super::view::FamilyView> {
        self.family_view(kind, ctx)
    }
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        let (n_classes, labels) = class_labels(data)?;
        data.require_len(2)?;
        data.require_two_classes()?;
        self.init_for(data, n_classes)?;
        let Some((scaler, s, p)) = self.layout()? else {
            return Err(err!(InvalidData, "nothing_to_train"));
        };
        let design = self.design(&data.x, scaler)?;
        let (l2, l1) = self.penalty_terms();
        let n = design.nrows();
        // More features than rows without L1: Newton in the row space of the features (see
        // `row_space`), exact for an L2 penalty, with an (r + 1)·s system instead of (p + 1)·s.
        let reduced = if p > n && l1 == 0.0 { Some(row_space(&design)) } else { None };
        let solved_design = reduced.as_ref().map_or(&design, |(reduced, _)| reduced);
        let unknowns = solved_design.ncols() * s;
        if unknowns > MAX_NEWTON_UNKNOWNS {
            return Err(err!(
                InvalidData,
                "newton_too_large",
                unknowns = unknowns,
                solved_design = solved_design.ncols() - 1,
                s = s,
                MAX_NEWTON_UNKNOWNS = MAX_NEWTON_UNKNOWNS
            ));
        }
        let sample_weights = weights::sample_weights(self.params.class_weight.as_ref(), data)?;
        let mut objective = Objective::new(solved_design, &labels, s, l2, l1);
        if let Some(w) = &sample_weights {
            objective = objective.weighted(w, w.iter().sum());
        }
        let outcome =
            newton::minimise(&objective, vec![0.0; objective.len()], self.params.tolerance, self.params.max_iter);
        if outcome.theta.iter().any(|v| !v.is_finite()) {
            return Err(err!(Diverged, "newton_diverged"));
        }
        self.weights = match &reduced {
            None => outcome.theta,
            Some((_, back)) => {
                // Each score's reduced weights c (then its intercept) become W = back · c.
                let r = back.ncols();
                let mut weights = Vec::with_capacity((p + 1) * s);
                for c in outcome.theta.chunks(r + 1) {
                    let w = back * nalgebra::DVector::from_column_slice(&c[..r]);
                    weights.extend(w.iter());
                    weights.push(c[r]);
                }
                weights
            }
        };
        self.centre_scores(p);
        self.iterations = outcome.iterations;
        self.converged = outcome.converged;
        self.trained = true;
        Ok(())
    }

    fn step(&mut self, data: &Dataset, rng: &mut Rng) -> Result<()> {
        self.step_with(data, rng, None)
    }

    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let n = x.nrows();
        if self.layout()?.is_none() {
            return Ok(DMatrix::from_element(n, 2, 0.5));
        }
        // (through fast_math, as the batch path `write_probabilities` does)
        let mut z = self.logits(x)?;
        if z.ncols() == 1 {
            return Ok(DMatrix::from_fn(n, 2, |i, c| {
                let p = fast_math::sigmoid(z[(i, 0)]);
                if c == 1 {
                    p
                } else {
                    1.0 - p
                }
            }));
        }
        for mut row in z.row_iter_mut() {
            let max = row.max();
            row.apply(|v| *v = fast_math::exp(*v - max));
            let sum = row.sum();
            row /= sum;
        }
        Ok(z)
    }

    /// `predict` row by row, straight from the caller's rows: each row's features mapped,
    /// standardised and weighted in a few numbers of scratch (no design matrix, no per-block
    /// copies); rows with a value that is not finite go the blocked way.
    fn predict_rows(&self, x: &[f64], d: usize) -> Result<Vec<f64>> {
        let n = super::row_count(x, d)?;
        let Some((scaler, s, p)) = self.layout()? else {
            return self.predict_rows_blocked(x, d);
        };
        if d != self.n_inputs {
            return Err(err!(InvalidData, "feature_count", expected = self.n_inputs, got = d));
        }
        let map = self.params.features.row_map(d)?;
        if map.width() != p {
            return Err(err!(InvalidInput, "model_inconsistent"));
        }
        // row by row: the features of a row, standardised, and each class's score summed in the
        // order of the blocked path (so the same numbers); a value that is not finite sends the
        // whole call to the blocked path, which names the row as `predict` does
        let k = if s == 1 { 2 } else { s };
        let mut out = vec![0.0; n * k];
        let (mut design, mut scaled, mut z) = (Vec::new(), Vec::new(), Vec::new());
        // block by block through a function of its own (see `opaque`), so a wasm engine's
        // optimised code takes over between blocks of even a caller's first batch
        let score_rows: ScoreRows = super::opaque(Self::score_rows);
        for (rows, answers) in x.chunks(super::ROW_BLOCK * d).zip(out.chunks_mut(super::ROW_BLOCK * k)) {
            if !score_rows(self, rows, d, &map, scaler, &mut design, &mut scaled, &mut z, answers) {
                return self.predict_rows_blocked(x, d);
            }
        }
        Ok(out)
    }

    fn objective(&self, data: &Dataset) -> Result<f64> {
        let (n_classes, labels) = class_labels(data)?;
        let Some((scaler, s, _)) = self.layout()? else {
            // Untrained: every weight 0, every class equally likely.
            return Ok((n_classes as f64).ln());
        };
        self.check_classes(n_classes)?;
        let design = self.design(&data.x, scaler)?;
        let (l2, l1) = self.penalty_terms();
        let sample_weights = weights::sample_weights(self.params.class_weight.as_ref(), data)?;
        let mut objective = Objective::new(&design, &labels, s, l2, l1);
        if let Some(w) = &sample_weights {
            objective = objective.weighted(w, w.iter().sum());
        }
        Ok(objective.value(&self.weights, &mut Work::new(design.nrows(), s)))
    }

    fn is_trained(&self) -> bool {
        self.trained
    }

    fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{out_of_range, refuse, Damage};
        if self.n_inputs > MAX_INPUTS {
            return refuse("logistic", "n_inputs", out_of_range(self.n_inputs, 0, MAX_INPUTS));
        }
        if !self.is_finite() {
            return refuse("logistic", "weights", Damage::NotFinite);
        }
        if self.weights.iter().any(|w| w.abs() > MAX_WEIGHT) {
            return refuse("logistic", "weights", Damage::Beyond(MAX_WEIGHT));
        }
        if let Some((scaler, _, _)) = self.layout()? {
            if scaler.mean.iter().any(|v| !v.is_finite()) {
                return refuse("logistic", "scaler.mean", Damage::NotFinite);
            }
            if scaler.scale.iter().any(|&v| !(v.is_finite() && v > 0.0)) {
                return refuse("logistic", "scaler.scale", Damage::NotPositive);
            }
            // The scaling is of the mapped features; the probe is in input units around 0.
            let probe = crate::data::features::probe_rows(&vec![0.0; self.n_inputs], &[]);
            crate::data::features::check_probe(&self.predict(&probe)?, "logistic")?;
        }
        Ok(())
    }

    fn is_finite(&self) -> bool {
        self.weights.iter().all(|w| w.is_finite())
    }

    fn blocks(&self) -> Vec<super::Block> {
        // each score's p weights, then its intercept
        let column = self.n_inputs + 1;
        let (mut weights, mut intercepts) = (0.0, 0.0);
        for (i, w) in self.weights.iter().enumerate() {
            if i % column == self.n_inputs {
                intercepts += w * w;
            } else {
                weights += w * w;
            }
        }
        super::linear_blocks(weights.sqrt(), intercepts.sqrt())
    }

    fn summary(&self) -> Summary {
        let coefficients = self.coefficients();
        let mut parameters = Vec::new();
        let names = &coefficients.feature_names;
        let scores: Vec<Score> = match coefficients.weights.len() {
            0 => return Summary::new("logistic.untrained"),
            1 => vec![score_of(names, &coefficients.weights[0], coefficients.intercepts[0], "", &mut parameters)],
            _ => coefficients
                .weights
                .iter()
                .zip(&coefficients.intercepts)
                .enumerate()
                .map(|(c, (w, &b))| score_of(names, w, b, &format!(" (class {c})"), &mut parameters))
                .collect(),
        };
        let code = if scores.len() == 1 { "logistic" } else { "logistic.softmax" };
        Summary::new(code)
            .with("classes", scores.len().max(2))
            .formula(Formula::Logistic { scores })
            .parameters(parameters)
    }
    /// Scores each grid point as a column part plus a row part (see `logistic/grid.rs`).
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        LogisticRegression::grid_probabilities(self, xs, ys).or_else(|| super::predict_grid(self, xs, ys))
    }
    fn loss_memory(&mut self) -> Option<&mut crate::optim::LossMemory> {
        Some(&mut self.loss_memory)
    }
}

#[cfg(test)]
mod tests;
