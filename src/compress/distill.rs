//! Knowledge distillation (Hinton, Vinyals & Dean 2015): a small network (the student) learns from
//! a trained model (the teacher) by matching its softened probabilities.
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
//! loss, and the student trains exactly as the network would on its own. For regression both
//! terms are squared errors, against the target and against the teacher's prediction (`T` plays
//! no part).

use super::size;
use crate::data::{Dataset, Task};
use crate::error::{check_count, check_range, Result};
use crate::model::mlp::network::{parameter_count, OutputTerm, Workspace};
use crate::model::mlp::{Network, Output};
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
}

impl Default for DistillOptions {
    fn default() -> Self {
        DistillOptions { temperature: 2.0, alpha: 0.5, unlabeled: 0, epochs: None, seed: 1 }
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

/// Trains the student `student` (network settings; `seed` its initial weights) on `teacher`'s
/// soft targets and `data`'s labels as the module notes say; returns the trained student.
pub fn distill(
    teacher: &AnyModel,
    student: &ModelParams,
    seed: u64,
    data: &Dataset,
    options: &DistillOptions,
) -> Result<AnyModel> {
    options.check()?;
    let ModelParams::Mlp(params) = student else {
        return Err(err!(InvalidParameter, "distill_student_kind", model = student.kind()));
    };
    if !teacher.is_trained() {
        return Err(err!(InvalidInput, "teacher_untrained"));
    }
    if params.class_weight.is_some() {
        return Err(err!(InvalidParameter, "student_class_weight"));
    }
    data.require_len(1)?;
    let units = match data.task {
        Task::Classification { n_classes: 2 } | Task::Regression => 1,
        Task::Classification { n_classes } => n_classes,
    };
    let mut sizes = vec![data.n_features()];
    sizes.extend(params.hidden_layers.iter().map(|l| l.neurons));
    sizes.push(units);
    let student_size = parameter_count(&sizes);
    if let Ok(teacher_size) = size(teacher) {
        if student_size > teacher_size.parameters {
            return Err(err!(
                InvalidParameter,
                "distill_student_larger",
                student = student_size,
                teacher = teacher_size.parameters
            ));
        }
    }
    let mut params = params.clone();
    if let Some(epochs) = options.epochs {
        params.max_epochs = epochs;
    }
    let transfer = transfer_set(data, options.unlabeled, options.seed)?;
    let teacher_p = teacher.predict(&transfer.x)?;
    let soft = soft_targets(&teacher_p, data.task, options.temperature)?;
    let labelled = data.len();
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
