//! Knowledge distillation (Hinton, Vinyals & Dean 2015): a small model (the student: a network, a
//! logistic model on a feature map, or a shallow tree) learns from a trained model (the teacher)
//! by matching its softened probabilities.
//!
//! On a transfer set — the training points, plus `unlabeled` points drawn uniformly over the box
//! the training points span (widened by 10 % on each side), which only the teacher labels — the
//! student minimises, per mini-batch of `m` rows,
//!
//! `(1/m) Σ_r [ α · hard_r · [r is labelled] + (1 − α) · T² · soft_r ]`
//!
//! with `hard_r` the usual cross-entropy against the true label and `soft_r` the cross-entropy
//! between the teacher's and the student's probabilities both at temperature `T`
//! (`softmax(z / T)`; for one logistic unit `σ(z / T)`). The teacher's tempered probabilities are
//! computed from its probabilities `p` as `p^(1/T)` normalised, so any classifier can teach. The
//! `T²` keeps the soft term's gradient, `T · (σ(z/T) − q)` per logit, on the scale of the hard
//! one's as `T` changes. With `α = 1` (and no unlabelled points) this is exactly the network's own
//! loss, and the student trains exactly as the network would on its own. A logistic student
//! minimises the same loss (`model::logistic`'s `Soft` term) by `epochs` epochs of its gradient
//! descent (its own optimiser settings, the solver set to `gradient`); with `α = 1` it is the
//! logistic model trained by `step` as many epochs from the same seed, bit for bit. A tree
//! student is grown, not trained by gradient: see [`distill_tree`]. For regression both
//! terms are squared errors, against the target and against the teacher's prediction (`T` plays
//! no part).

use super::size;
use crate::data::{Dataset, Task};
use crate::error::{check_count, check_range, Result};
use crate::model::logistic::{DistillTargets, Solver};
use crate::model::mlp::network::{parameter_count, OutputTerm, Workspace};
use crate::model::mlp::{Network, Output};
use crate::model::tree::TreeParams;
use crate::model::{AnyModel, Hyperparams, Model, ModelParams};
use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// How to distil.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DistillOptions {
    /// The temperature `T` (≥ 1 softens the teacher's probabilities), 0.1 to 100.
    pub temperature: f64,
    /// The weight `α` of the true labels; `1 − α` goes to the teacher's soft targets.
    pub alpha: f64,
    /// Unlabelled points added to the transfer set, 0 to 100,000.
    pub unlabeled: usize,
    /// The student's most epochs (`None`: its own `max_epochs`).
    pub epochs: Option<usize>,
    /// Seeds the unlabelled points (the student's own seed is in its build).
    pub seed: u64,
    /// What a tree student learns: the teacher's probabilities (`soft`) or its most probable
    /// class (`hard`); other students always learn the soft targets.
    pub targets: Targets,
}

/// What a tree student learns from the teacher (see [`DistillOptions::targets`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Targets {
    #[default]
    Soft,
    Hard,
}

impl Default for DistillOptions {
    fn default() -> Self {
        DistillOptions { temperature: 2.0, alpha: 0.5, unlabeled: 0, epochs: None, seed: 1, targets: Targets::Soft }
    }
}

/// At most this many unlabelled points.
pub const MAX_UNLABELED: usize = 100_000;

impl DistillOptions {
    pub fn check(&self) -> Result<()> {
        check_range("temperature", self.temperature, 0.1, 100.0)?;
        check_range("α (the weight of the true labels)", self.alpha, 0.0, 1.0)?;
        check_count("unlabelled points", self.unlabeled, 0, MAX_UNLABELED)?;
        if let Some(epochs) = self.epochs {
            check_count("epochs", epochs, 1, 100_000)?;
        }
        Ok(())
    }
}

/// Trains the student `student` (`seed` its initial weights and batch order) on `teacher`'s
/// soft targets and `data`'s labels as the module notes say; returns the trained student.
/// A network or a logistic model learns from the loss above; a tree as [`distill_tree`] says.
pub fn distill(
    teacher: &AnyModel,
    student: &ModelParams,
    seed: u64,
    data: &Dataset,
    options: &DistillOptions,
) -> Result<AnyModel> {
    options.check()?;
    if !matches!(student, ModelParams::Mlp(_) | ModelParams::Logistic(_) | ModelParams::Tree(_)) {
        return Err(err!(InvalidParameter, "distill_student_kind", model = student.kind()));
    }
    if !teacher.is_trained() {
        return Err(err!(InvalidInput, "teacher_untrained"));
    }
    data.require_len(1)?;
    let units = match data.task {
        Task::Classification { n_classes: 2 } | Task::Regression => 1,
        Task::Classification { n_classes } => n_classes,
    };
    let student_size = match student {
        ModelParams::Mlp(params) => {
            if params.class_weight.is_some() {
                return Err(err!(InvalidParameter, "student_class_weight"));
            }
            let mut sizes = vec![data.n_features()];
            sizes.extend(params.hidden_layers.iter().map(|l| l.neurons));
            sizes.push(units);
            Some(parameter_count(&sizes))
        }
        ModelParams::Logistic(params) => {
            if params.class_weight.is_some() {
                return Err(err!(InvalidParameter, "student_class_weight"));
            }
            if data.task == Task::Regression {
                return Err(err!(InvalidData, "logistic_needs_classes"));
            }
            params.check()?;
            Some((params.features.output_len(data.n_features()) + 1) * units)
        }
        _ => None,
    };
    if let (Some(student_size), Ok(teacher_size)) = (student_size, size(teacher)) {
        if student_size > teacher_size.parameters {
            return Err(err!(
                InvalidParameter,
                "distill_student_larger",
                student = student_size,
                teacher = teacher_size.parameters
            ));
        }
    }
    let transfer = transfer_set(data, options.unlabeled, options.seed)?;
    let teacher_p = teacher.predict(&transfer.x)?;
    let labelled = data.len();
    match student {
        ModelParams::Tree(params) => return distill_tree(params, &transfer, labelled, &teacher_p, options),
        ModelParams::Logistic(params) => {
            let soft = soft_targets(&teacher_p, data.task, options.temperature)?;
            let targets = DistillTargets {
                targets: soft,
                labelled: (0..transfer.len()).map(|i| i < labelled).collect(),
                alpha: options.alpha,
                temperature: options.temperature,
            };
            let mut params = params.clone();
            params.solver = Solver::Gradient;
            let mut model = params.build(seed)?;
            let mut rng = crate::data::rng(seed);
            for _ in 0..options.epochs.unwrap_or(DEFAULT_LOGISTIC_EPOCHS) {
                model.step_with(&transfer, &mut rng, Some(&targets))?;
            }
            return Ok(AnyModel::Logistic(model));
        }
        _ => {}
    }
    let ModelParams::Mlp(params) = student else {
        return Err(err!(InvalidParameter, "distill_student_kind", model = student.kind()));
    };
    let soft = soft_targets(&teacher_p, data.task, options.temperature)?;
    let mut params = params.clone();
    if let Some(epochs) = options.epochs {
        params.max_epochs = epochs;
    }
    let mut model = params.build(seed)?;
    let output = match data.task {
        Task::Regression => Output::Linear,
        Task::Classification { n_classes: 2 } => Output::Sigmoid,
        Task::Classification { .. } => Output::Softmax,
    };
    let (alpha, temperature) = (options.alpha, options.temperature);
    let term = |rows: &[usize], z: &DMatrix<f64>, p: &DMatrix<f64>, t: &DMatrix<f64>, d: &mut DMatrix<f64>| {
        let batch_soft = DMatrix::from_fn(rows.len(), soft.ncols(), |r, c| soft[(rows[r], c)]);
        let is_labelled: Vec<bool> = rows.iter().map(|&i| i < labelled).collect();
        distillation_term(output, alpha, temperature, &batch_soft, &is_labelled, z, p, t, d)
    };
    model.fit_with(&transfer, Some(&term))?;
    Ok(AnyModel::Mlp(model))
}

/// A logistic student trains this many epochs of gradient descent unless told.
pub const DEFAULT_LOGISTIC_EPOCHS: usize = 200;

/// A tree student (settings `params`) grown on the transfer set `transfer` (its first `labelled`
/// rows carry true labels), `teacher_p` the teacher's probabilities (or values) per row:
/// - `targets: hard` — a classification tree on the teacher's most probable class of every row
///   (α and T play no part);
/// - `targets: soft` — a **regression tree on the teacher's probabilities**: each row's target is
///   `m = α · onehot(y) + (1 − α) · p` (labelled rows, weight 1) or `p` (unlabelled rows, weight
///   `1 − α`), the minimiser of the mixed squared loss `α‖f − y‖² + (1 − α)‖f − p‖²` (T plays no
///   part: the tree predicts probabilities, so it learns `p` itself). It is grown as a
///   classification tree on every row split into one copy per class weighted `weight · m_c`:
///   the weighted Gini decrease of a split equals the decrease of the squared error of `m` summed
///   over the classes (for two classes twice that of `p`'s), so the splits are a regression tree's
///   on `p` and the leaves hold the weighted means of `m` as class fractions. With `α = 1` this is
///   the tree grown on the labels alone. For regression the tree is a regression tree on `m`.
fn distill_tree(
    params: &TreeParams,
    transfer: &Dataset,
    labelled: usize,
    teacher_p: &DMatrix<f64>,
    options: &DistillOptions,
) -> Result<AnyModel> {
    let mut params = params.clone();
    params.class_weight = None;
    let mut tree = params.build(0)?;
    let (n, d) = (transfer.len(), transfer.n_features());
    let alpha = options.alpha;
    let Task::Classification { n_classes } = transfer.task else {
        // Regression: the target mixed with the teacher's prediction.
        let mut rows = Vec::new();
        let mut values = Vec::new();
        let mut weights = Vec::new();
        for i in 0..n {
            let p = teacher_p[(i, 0)];
            let (m, w) = if i < labelled { (alpha * transfer.y[i] + (1.0 - alpha) * p, 1.0) } else { (p, 1.0 - alpha) };
            if w > 0.0 {
                rows.push(i);
                values.push(m);
                weights.push(w);
            }
        }
        let x = transfer.x.select_rows(rows.iter());
        let set = Dataset::new(x, DVector::from_vec(values), Task::Regression)?;
        tree.fit_weighted(&set, weights)?;
        return Ok(AnyModel::Tree(tree));
    };
    if teacher_p.ncols() != n_classes || teacher_p.nrows() != n {
        return Err(err!(InvalidData, "distill_teacher_classes", k = teacher_p.ncols(), classes = n_classes));
    }
    if options.targets == Targets::Hard {
        let y = DVector::from_fn(n, |i, _| {
            (0..n_classes)
                .fold((0, f64::NEG_INFINITY), |b, c| if teacher_p[(i, c)] > b.1 { (c, teacher_p[(i, c)]) } else { b })
                .0 as f64
        });
        let set = Dataset::new(transfer.x.clone(), y, transfer.task)?;
        tree.fit_weighted(&set, vec![1.0; n])?;
        return Ok(AnyModel::Tree(tree));
    }
    let (mut rows, mut classes, mut weights) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let row_weight = if i < labelled { 1.0 } else { 1.0 - alpha };
        for c in 0..n_classes {
            let p = teacher_p[(i, c)].clamp(0.0, 1.0);
            let m = if i < labelled {
                let hot = if transfer.y[i] == c as f64 { 1.0 } else { 0.0 };
                alpha * hot + (1.0 - alpha) * p
            } else {
                p
            };
            let w = row_weight * m;
            if w > 0.0 && w.is_finite() {
                rows.push(i);
                classes.push(c as f64);
                weights.push(w);
            }
        }
    }
    if rows.is_empty() {
        return Err(err!(InvalidData, "nothing_to_train"));
    }
    let x = DMatrix::from_fn(rows.len(), d, |r, j| transfer.x[(rows[r], j)]);
    let set = Dataset::new(x, DVector::from_vec(classes), transfer.task)?;
    tree.fit_weighted(&set, weights)?;
    Ok(AnyModel::Tree(tree))
}

/// The training points followed by `unlabeled` points drawn uniformly over their bounding box
/// widened by 10 % of its width on each side (targets 0, never read).
pub fn transfer_set(data: &Dataset, unlabeled: usize, seed: u64) -> Result<Dataset> {
    if unlabeled == 0 {
        return Ok(data.clone());
    }
    let d = data.n_features();
    let mut rng = crate::data::rng(seed);
    let bounds: Vec<(f64, f64)> = (0..d)
        .map(|j| {
            let column = data.x.column(j);
            let (low, high) = (column.min(), column.max());
            let pad = 0.1 * (high - low).max(1e-9);
            (low - pad, high + pad)
        })
        .collect();
    let n = data.len() + unlabeled;
    let mut x = DMatrix::zeros(n, d);
    x.rows_mut(0, data.len()).copy_from(&data.x);
    for i in data.len()..n {
        for (j, &(low, high)) in bounds.iter().enumerate() {
            x[(i, j)] = rng.random_range(low..=high);
        }
    }
    let mut y = DVector::zeros(n);
    y.rows_mut(0, data.len()).copy_from(&data.y);
    let mut out = Dataset::new(x, y, data.task)?;
    out.feature_names = data.feature_names.clone();
    Ok(out)
}

/// The teacher's targets per row and output unit: for classes, its probabilities `p` at
/// temperature `T` (`p^(1/T)` normalised; the class-1 probability for two classes); for
/// regression its prediction.
pub fn soft_targets(teacher_p: &DMatrix<f64>, task: Task, temperature: f64) -> Result<DMatrix<f64>> {
    let (n, k) = teacher_p.shape();
    let classes = match task {
        Task::Regression => return Ok(teacher_p.columns(0, 1.min(k)).into_owned()),
        Task::Classification { n_classes } => n_classes,
    };
    if k != classes {
        return Err(err!(InvalidData, "distill_teacher_classes", k = k, classes = classes));
    }
    let mut tempered = DMatrix::zeros(n, k);
    for r in 0..n {
        let logs: Vec<f64> = (0..k).map(|c| teacher_p[(r, c)].max(0.0).ln() / temperature).collect();
        let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = logs.iter().map(|l| (l - max).exp()).sum();
        for c in 0..k {
            tempered[(r, c)] = (logs[c] - max).exp() / sum;
        }
    }
    Ok(if k == 2 { tempered.columns(1, 1).into_owned() } else { tempered })
}

fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// The distillation loss of one batch (see the module notes) and its gradient with respect to the
/// logits, written into `delta`: `z` the logits, `p` the outputs, `t` the true targets (0/1,
/// one-hot or values), `soft` the teacher's targets, all batch × units.
#[allow(clippy::too_many_arguments)]
pub fn distillation_term(
    output: Output,
    alpha: f64,
    temperature: f64,
    soft: &DMatrix<f64>,
    labelled: &[bool],
    z: &DMatrix<f64>,
    p: &DMatrix<f64>,
    t: &DMatrix<f64>,
    delta: &mut DMatrix<f64>,
) -> f64 {
    let (m, k) = p.shape();
    if m == 0 {
        return 0.0;
    }
    let scale = 1.0 / m as f64;
    let tt = temperature;
    let lab = |r: usize| if labelled.get(r).copied().unwrap_or(false) { 1.0 } else { 0.0 };
    // Written in the same order as the network's own loss, so α = 1 reproduces it bit for bit.
    let total: f64 = match output {
        Output::Sigmoid => {
            let total = (0..m)
                .map(|r| {
                    let (zr, tr, q) = (z[(r, 0)], t[(r, 0)], soft[(r, 0)]);
                    let hard = softplus(zr) - tr * zr;
                    let soft_loss = tt * tt * (softplus(zr / tt) - q * zr / tt);
                    alpha * hard * lab(r) + (1.0 - alpha) * soft_loss
                })
                .sum();
            for r in 0..m {
                let (zr, pr, tr, q) = (z[(r, 0)], p[(r, 0)], t[(r, 0)], soft[(r, 0)]);
                let soft_grad = tt * (crate::model::mlp::network::sigmoid(zr / tt) - q);
                delta[(r, 0)] = (alpha * (pr - tr) * lab(r) + (1.0 - alpha) * soft_grad) * scale;
            }
            total
        }
        Output::Softmax => {
            let mut total = 0.0;
            let mut tempered = vec![0.0; k];
            for r in 0..m {
                let max = (0..k).map(|c| z[(r, c)]).fold(f64::NEG_INFINITY, f64::max);
                let log_sum = max + (0..k).map(|c| (z[(r, c)] - max).exp()).sum::<f64>().ln();
                let hard = (0..k).map(|c| t[(r, c)] * (log_sum - z[(r, c)])).sum::<f64>();
                let max_t = max / tt;
                let sum_t: f64 = (0..k).map(|c| (z[(r, c)] / tt - max_t).exp()).sum();
                let log_sum_t = max_t + sum_t.ln();
                let soft_loss = tt * tt * (0..k).map(|c| soft[(r, c)] * (log_sum_t - z[(r, c)] / tt)).sum::<f64>();
                total += alpha * hard * lab(r) + (1.0 - alpha) * soft_loss;
                for (c, v) in tempered.iter_mut().enumerate() {
                    *v = (z[(r, c)] / tt - max_t).exp() / sum_t;
                }
                for c in 0..k {
                    let soft_grad = tt * (tempered[c] - soft[(r, c)]);
                    delta[(r, c)] = (alpha * (p[(r, c)] - t[(r, c)]) * lab(r) + (1.0 - alpha) * soft_grad) * scale;
                }
            }
            total
        }
        Output::Linear => {
            let total = (0..m)
                .map(|r| {
                    let (pr, tr, q) = (p[(r, 0)], t[(r, 0)], soft[(r, 0)]);
                    alpha * ((pr - tr) * (pr - tr)) * lab(r) + (1.0 - alpha) * ((pr - q) * (pr - q))
                })
                .sum();
            for r in 0..m {
                let (pr, tr, q) = (p[(r, 0)], t[(r, 0)], soft[(r, 0)]);
                delta[(r, 0)] = (alpha * (2.0 * (pr - tr)) * lab(r) + (1.0 - alpha) * 2.0 * (pr - q)) * scale;
            }
            total
        }
    };
    total * scale
}

/// The distillation loss of `network` on standardised inputs `x` (targets `t`, teacher targets
/// `soft`, `labelled` per row) and its gradient over the parameters: for checking the gradient
/// against finite differences.
#[allow(clippy::too_many_arguments)]
pub fn objective_and_gradient(
    network: &Network,
    x: &DMatrix<f64>,
    t: &DMatrix<f64>,
    soft: &DMatrix<f64>,
    labelled: &[bool],
    alpha: f64,
    temperature: f64,
) -> Result<(f64, Vec<f64>)> {
    let k = *network.sizes().last().unwrap_or(&1);
    let ok = x.ncols() == network.sizes()[0] && t.shape() == (x.nrows(), k) && soft.shape() == (x.nrows(), k);
    if !ok || labelled.len() != x.nrows() {
        return Err(err!(InvalidData, "distill_mismatch"));
    }
    let mut ws = Workspace::new(network, x.nrows(), true);
    ws.input.copy_from(x);
    ws.target.copy_from(t);
    network.forward(&mut ws);
    let output = network.output();
    let term: &OutputTerm = &|z, p, t, d| distillation_term(output, alpha, temperature, soft, labelled, z, p, t, d);
    let mut grad = vec![0.0; network.params().len()];
    let value = network.backward_custom(&mut ws, term, &mut grad);
    Ok((value, grad))
}
