//! Optimisers and learning-rate schedules shared by every gradient-trained model.
//!
//! Parameters and gradients are flat `f64` slices, so a model with several weight matrices keeps
//! them in one buffer (or concatenates them) and hands the whole vector to [`Optimizer::update`].

use crate::error::{check_count, check_range, Result};
use crate::tagged::tagged_enum;
use serde::{Deserialize, Serialize};

tagged_enum! {
    /// Which update rule to use, with its own constants. Missing constants take their defaults
    /// (β = 0.9, not Nesterov; β1 = 0.9, β2 = 0.999, ε = 1e-8).
    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    pub enum OptimizerKind("kind") {
        /// Plain (stochastic) gradient descent: `w -= lr · g`.
        #[default]
        Sgd = "sgd",
        /// Heavy-ball momentum, optionally Nesterov's look-ahead form.
        Momentum = "momentum" { beta: f64 = 0.9, nesterov: bool = false },
        /// Adam (Kingma & Ba, 2015) with bias correction.
        Adam = "adam" { beta1: f64 = 0.9, beta2: f64 = 0.999, epsilon: f64 = 1e-8 },
    }
}

impl OptimizerKind {
    pub fn check(&self) -> Result<()> {
        match *self {
            OptimizerKind::Sgd => Ok(()),
            OptimizerKind::Momentum { beta, .. } => check_range("momentum β", beta, 0.0, 0.999),
            OptimizerKind::Adam { beta1, beta2, epsilon } => {
                check_range("Adam β1", beta1, 0.0, 0.999)?;
                check_range("Adam β2", beta2, 0.0, 0.99999)?;
                check_range("Adam ε", epsilon, 1e-12, 1.0)
            }
        }
    }
}

tagged_enum! {
    /// A learning-rate schedule: the rate used at optimisation step `t` (counted from 0).
    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    pub enum Schedule("kind") {
        /// The base rate throughout.
        #[default]
        Constant = "constant",
        /// Multiply by `gamma` every `every` steps.
        Step = "step" { every: usize, gamma: f64 },
        /// Multiply by `gamma` each step.
        Exponential = "exponential" { gamma: f64 },
        /// Cosine from the base rate down to `min_fraction` of it over `period` steps, then hold.
        Cosine = "cosine" { period: usize, min_fraction: f64 },
        /// Linear ramp from 0 to the base rate over `steps` steps, then constant.
        Warmup = "warmup" { steps: usize },
    }
}

impl Schedule {
    pub fn check(&self) -> Result<()> {
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::Step { every, gamma } => {
                check_count("step-decay interval", every, 1, 1_000_000)?;
                check_range("step-decay factor", gamma, 1e-6, 1.0)
            }
            Schedule::Exponential { gamma } => check_range("exponential decay factor", gamma, 0.5, 1.0),
            Schedule::Cosine { period, min_fraction } => {
                check_count("cosine period", period, 1, 10_000_000)?;
                check_range("cosine floor", min_fraction, 0.0, 1.0)
            }
            Schedule::Warmup { steps } => check_count("warm-up steps", steps, 1, 10_000_000),
        }
    }

    /// The learning rate at step `t` for base rate `base`.
    pub fn rate(&self, base: f64, t: u64) -> f64 {
        match *self {
            Schedule::Constant => base,
            Schedule::Step { every, gamma } => base * gamma.powf((t / every.max(1) as u64) as f64),
            Schedule::Exponential { gamma } => base * gamma.powf(t as f64),
            Schedule::Cosine { period, min_fraction } => {
                let p = (t as f64 / period.max(1) as f64).min(1.0);
                let floor = base * min_fraction;
                floor + (base - floor) * 0.5 * (1.0 + (std::f64::consts::PI * p).cos())
            }
            Schedule::Warmup { steps } => base * ((t + 1) as f64 / steps.max(1) as f64).min(1.0),
        }
    }
}

/// The settings of gradient training shared by every gradient model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainParams {
    pub learning_rate: f64,
    /// Examples per mini-batch; 0 means the whole training set (full-batch gradient descent).
    pub batch_size: usize,
    pub optimizer: OptimizerKind,
    pub schedule: Schedule,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams { learning_rate: 0.05, batch_size: 0, optimizer: OptimizerKind::Sgd, schedule: Schedule::Constant }
    }
}

impl TrainParams {
    pub fn check(&self) -> Result<()> {
        check_range("learning rate", self.learning_rate, 1e-9, 100.0)?;
        check_count("batch size", self.batch_size, 0, 1_000_000)?;
        self.optimizer.check()?;
        self.schedule.check()
    }
}

/// How far above the best objective seen a gradient step may take the objective before it counts
/// as divergence: 1000 ×. A learning rate that is too high multiplies the loss by far more than
/// that within a few epochs (linear regression at rate 100: ×1e5 per epoch), while the noise of
/// mini-batches, momentum's overshoot and a schedule's warm-up stay well below it.
pub const DIVERGENCE_FACTOR: f64 = 1e3;

/// What the divergence guard ([`crate::model::AnyModel::guarded_step`]) remembers of a model's
/// training: the lowest objective seen, and a fingerprint of the data it was seen on (an edit
/// or a new dataset starts the memory afresh, so a harder dataset is not mistaken for divergence).
///
/// It is training memory, not part of the model's value: it is not saved in model files, and two
/// models that differ only in it compare equal.
#[derive(Debug, Clone, Default)]
pub struct LossMemory {
    best: Option<f64>,
    data: Option<[f64; 5]>,
}

impl PartialEq for LossMemory {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl LossMemory {
    /// Checks `objective` (after a step on `data`) against the best seen on the same data: `Err`
    /// with a learner's message when it is non-finite or more than [`DIVERGENCE_FACTOR`] × the best
    /// (the caller then restores the model of before the step); otherwise remembers it.
    pub fn check(&mut self, objective: f64, data: &crate::data::Dataset) -> Result<()> {
        let fingerprint = Self::fingerprint(data);
        if self.data != Some(fingerprint) {
            *self = LossMemory { best: None, data: Some(fingerprint) };
        }
        if !objective.is_finite() {
            return Err(err!(Diverged, "diverged_loss"));
        }
        if let Some(best) = self.best {
            // A floor keeps a near-perfect fit (best ≈ 0) from flagging rounding noise: the
            // objective must also exceed 1e-9 × the targets' mean square (the loss of predicting 0).
            let floor = 1e-9 * (1.0 + fingerprint[4]);
            if objective > DIVERGENCE_FACTOR * best.max(floor) {
                return Err(err!(
                    Diverged,
                    "diverged_jump",
                    objective = objective,
                    divergence_factor = DIVERGENCE_FACTOR,
                    best = best
                ));
            }
        }
        self.best = Some(self.best.map_or(objective, |b| b.min(objective)));
        Ok(())
    }

    /// True when nothing has been seen on `data` yet.
    pub fn is_fresh(&self, data: &crate::data::Dataset) -> bool {
        self.best.is_none() || self.data != Some(Self::fingerprint(data))
    }

    /// The lowest objective seen on the current data, if any.
    pub fn best(&self) -> Option<f64> {
        self.best
    }

    /// Rows, columns, Σx, Σy and the mean of y² (cheap next to an epoch).
    pub(crate) fn fingerprint(data: &crate::data::Dataset) -> [f64; 5] {
        let n = data.y.len().max(1) as f64;
        [
            data.x.nrows() as f64,
            data.x.ncols() as f64,
            data.x.iter().sum(),
            data.y.iter().sum(),
            data.y.iter().map(|y| y * y).sum::<f64>() / n,
        ]
    }
}

/// An optimiser with its per-parameter state (velocity, moments), created for a fixed number of
/// parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Optimizer {
    kind: OptimizerKind,
    schedule: Schedule,
    base_rate: f64,
    /// Number of updates made so far.
    t: u64,
    first: Vec<f64>,
    second: Vec<f64>,
    /// The last update of the watched parameter with the largest gradient (the page's maths).
    #[serde(skip)]
    watch: Watch,
}

/// One parameter's part in the last update: its gradient, value before and after, and the
/// optimiser's state for it (momentum's velocity; Adam's moments and their bias-corrected m̂, v̂),
/// so the page shows the update rule with this step's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateTrace {
    /// The parameter's index in the model's flat parameter vector.
    pub index: usize,
    /// The update's number (1 for the first).
    pub t: u64,
    /// The learning rate it used (from the schedule).
    pub rate: f64,
    pub grad: f64,
    pub before: f64,
    pub after: f64,
    /// Momentum's velocity, Adam's m (after the update).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<f64>,
    /// Adam's v (after the update).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second: Option<f64>,
    /// Adam's bias-corrected m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_hat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_hat: Option<f64>,
}

/// Which parameters to watch and the last trace: training memory, not part of the optimiser's
/// value (two optimisers that differ only in it compare equal; it is not saved).
#[derive(Debug, Clone, Default)]
struct Watch {
    range: Option<std::ops::Range<usize>>,
    last: Option<UpdateTrace>,
}

impl PartialEq for Watch {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Optimizer {
    pub fn new(params: &TrainParams, n_params: usize) -> Self {
        let (first, second) = match params.optimizer {
            OptimizerKind::Sgd => (Vec::new(), Vec::new()),
            OptimizerKind::Momentum { .. } => (vec![0.0; n_params], Vec::new()),
            OptimizerKind::Adam { .. } => (vec![0.0; n_params], vec![0.0; n_params]),
        };
        Optimizer {
            kind: params.optimizer,
            schedule: params.schedule,
            base_rate: params.learning_rate,
            t: 0,
            first,
            second,
            watch: Watch::default(),
        }
    }

    /// Watches the parameters `range` (a network's first layer of weights): each update then
    /// records the one with the largest gradient ([`Optimizer::last_update`]).
    pub fn watch(&mut self, range: std::ops::Range<usize>) {
        self.watch.range = Some(range);
    }

    /// The last update of the watched parameter with the largest gradient, if any.
    pub fn last_update(&self) -> Option<&UpdateTrace> {
        self.watch.last.as_ref()
    }

    /// Updates so far.
    pub fn steps(&self) -> u64 {
        self.t
    }

    /// The rate the next update will use.
    pub fn current_rate(&self) -> f64 {
        self.schedule.rate(self.base_rate, self.t)
    }

    /// Grows the state to `n_params` (new entries start at zero); used when a network grows.
    pub fn resize(&mut self, n_params: usize) {
        if !self.first.is_empty() || matches!(self.kind, OptimizerKind::Momentum { .. } | OptimizerKind::Adam { .. }) {
            self.first.resize(n_params, 0.0);
        }
        if matches!(self.kind, OptimizerKind::Adam { .. }) {
            self.second.resize(n_params, 0.0);
        }
    }

    /// Rearranges the per-parameter state after the parameter vector was laid out anew (a
    /// network grew a neuron or a layer): entry `i` of the new state is old entry `source[i]`,
    /// or zero for `None` (a new parameter) or an index past the old state.
    pub fn remap(&mut self, source: &[Option<usize>]) {
        let pick = |old: &[f64]| -> Vec<f64> {
            source.iter().map(|s| s.and_then(|k| old.get(k).copied()).unwrap_or(0.0)).collect()
        };
        if !self.first.is_empty() {
            self.first = pick(&self.first);
        }
        if !self.second.is_empty() {
            self.second = pick(&self.second);
        }
    }

    /// One update of `params` against `grad` (same length as at construction).
    pub fn update(&mut self, params: &mut [f64], grad: &[f64]) {
        self.update_masked(params, grad, None);
    }

    /// [`Optimizer::update`] leaving out every parameter `i` with `fixed[i]` true (frozen layers,
    /// pruned weights): such a parameter keeps its value bit for bit, and its optimiser state
    /// (velocity, Adam's moments) is not touched either, so unfreezing it later resumes from where
    /// it was. `None` updates every parameter.
    pub fn update_masked(&mut self, params: &mut [f64], grad: &[f64], fixed: Option<&[bool]>) {
        debug_assert_eq!(params.len(), grad.len());
        match fixed {
            // `|_| false` folds away: the unmasked update is the plain loop.
            None => self.apply(params, grad, |_| false),
            Some(f) => self.apply(params, grad, |i| f.get(i).copied().unwrap_or(false)),
        }
    }

    #[inline(always)]
    fn apply(&mut self, params: &mut [f64], grad: &[f64], skip: impl Fn(usize) -> bool) {
        let lr = self.current_rate();
        // the watched parameter with the largest gradient, and its value before the update
        let watched = self.watch.range.clone().and_then(|r| {
            let end = r.end.min(params.len()).min(grad.len());
            (r.start..end)
                .filter(|&i| !skip(i) && grad[i].is_finite())
                .max_by(|&a, &b| grad[a].abs().total_cmp(&grad[b].abs()))
                .map(|i| (i, params[i]))
        });
        self.apply_rule(params, grad, lr, skip);
        if let Some((index, before)) = watched {
            let (first, second) = (self.first.get(index).copied(), self.second.get(index).copied());
            let (first_hat, second_hat) = match self.kind {
                OptimizerKind::Adam { beta1, beta2, .. } => {
                    let t = self.t as f64;
                    (first.map(|m| m / (1.0 - beta1.powf(t))), second.map(|v| v / (1.0 - beta2.powf(t))))
                }
                _ => (None, None),
            };
            self.watch.last = Some(UpdateTrace {
                index,
                t: self.t,
                rate: lr,
                grad: grad[index],
                before,
                after: params[index],
                first,
                second,
                first_hat,
                second_hat,
            });
        }
    }

    #[inline(always)]
    fn apply_rule(&mut self, params: &mut [f64], grad: &[f64], lr: f64, skip: impl Fn(usize) -> bool) {
        self.t += 1;
        match self.kind {
            OptimizerKind::Sgd => {
                for (i, (w, g)) in params.iter_mut().zip(grad).enumerate() {
                    if !skip(i) {
                        *w -= lr * g;
                    }
                }
            }
            OptimizerKind::Momentum { beta, nesterov } => {
                self.resize(params.len());
                for (i, ((w, g), v)) in params.iter_mut().zip(grad).zip(self.first.iter_mut()).enumerate() {
                    if skip(i) {
                        continue;
                    }
                    *v = beta * *v + g;
                    // Nesterov in the form used by PyTorch / Keras: step along g + β·v.
                    *w -= if nesterov { lr * (g + beta * *v) } else { lr * *v };
                }
            }
            OptimizerKind::Adam { beta1, beta2, epsilon } => {
                self.resize(params.len());
                let t = self.t as f64;
                let c1 = 1.0 - beta1.powf(t);
                let c2 = 1.0 - beta2.powf(t);
                for (i, (((w, g), m), v)) in
                    params.iter_mut().zip(grad).zip(self.first.iter_mut()).zip(self.second.iter_mut()).enumerate()
                {
                    if skip(i) {
                        continue;
                    }
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    *w -= lr * (*m / c1) / ((*v / c2).sqrt() + epsilon);
                }
            }
        }
    }

    /// The first-moment state (momentum's velocity, Adam's m), empty for SGD: for tests that check
    /// a masked parameter's state stays untouched.
    pub fn first_moments(&self) -> &[f64] {
        &self.first
    }

    /// Adam's second-moment state, empty for the other optimisers.
    pub fn second_moments(&self) -> &[f64] {
        &self.second
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimise(kind: OptimizerKind, lr: f64, iters: usize) -> f64 {
        // f(w) = (w0 - 3)^2 + 10 (w1 + 1)^2, minimum at (3, -1).
        let params = TrainParams { learning_rate: lr, optimizer: kind, ..TrainParams::default() };
        let mut opt = Optimizer::new(&params, 2);
        let mut w = [0.0, 0.0];
        for _ in 0..iters {
            let g = [2.0 * (w[0] - 3.0), 20.0 * (w[1] + 1.0)];
            opt.update(&mut w, &g);
        }
        ((w[0] - 3.0).powi(2) + (w[1] + 1.0).powi(2)).sqrt()
    }

    #[test]
    fn every_optimizer_reaches_the_minimum_of_a_quadratic() {
        assert!(minimise(OptimizerKind::Sgd, 0.04, 500) < 1e-6);
        assert!(minimise(OptimizerKind::Momentum { beta: 0.9, nesterov: false }, 0.01, 1000) < 1e-6);
        assert!(minimise(OptimizerKind::Momentum { beta: 0.9, nesterov: true }, 0.01, 1000) < 1e-6);
        assert!(minimise(OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, 0.05, 3000) < 1e-4);
    }

    #[test]
    fn adam_first_step_has_length_lr_per_coordinate() {
        // With bias correction, Adam's first update is lr · sign(g) (up to ε).
        let params = TrainParams {
            learning_rate: 0.1,
            optimizer: OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
            ..Default::default()
        };
        let mut opt = Optimizer::new(&params, 2);
        let mut w = [1.0, 1.0];
        opt.update(&mut w, &[5.0, -0.001]);
        assert!((w[0] - 0.9).abs() < 1e-6 && (w[1] - 1.1).abs() < 1e-4, "{w:?}");
    }

    #[test]
    fn remap_moves_state_with_its_parameters() {
        let params = TrainParams {
            learning_rate: 0.1,
            optimizer: OptimizerKind::Momentum { beta: 0.5, nesterov: false },
            ..Default::default()
        };
        let mut opt = Optimizer::new(&params, 2);
        let mut w = [0.0, 0.0];
        opt.update(&mut w, &[1.0, 2.0]); // velocities [1, 2]
                                         // New layout [old 1, new, old 0]: the next step with zero gradient moves by lr·β·v.
        opt.remap(&[Some(1), None, Some(0)]);
        let steps = opt.steps();
        let mut w3 = [0.0; 3];
        opt.update(&mut w3, &[0.0; 3]);
        assert_eq!(w3, [-0.1 * 0.5 * 2.0, 0.0, -0.1 * 0.5 * 1.0]);
        assert_eq!(opt.steps(), steps + 1);
        let mut sgd = Optimizer::new(&TrainParams::default(), 2);
        sgd.remap(&[None, Some(0), Some(1)]);
        let mut w = [1.0; 3];
        sgd.update(&mut w, &[1.0; 3]);
        assert_eq!(w, [0.95; 3]);
    }

    #[test]
    fn schedules() {
        assert_eq!(Schedule::Constant.rate(0.1, 99), 0.1);
        assert!((Schedule::Step { every: 10, gamma: 0.5 }.rate(1.0, 25) - 0.25).abs() < 1e-15);
        assert!((Schedule::Exponential { gamma: 0.9 }.rate(1.0, 2) - 0.81).abs() < 1e-15);
        let c = Schedule::Cosine { period: 100, min_fraction: 0.1 };
        assert!((c.rate(1.0, 0) - 1.0).abs() < 1e-15);
        assert!((c.rate(1.0, 50) - 0.55).abs() < 1e-12);
        assert!((c.rate(1.0, 100) - 0.1).abs() < 1e-12);
        assert!((c.rate(1.0, 1000) - 0.1).abs() < 1e-12);
        let w = Schedule::Warmup { steps: 4 };
        assert_eq!([w.rate(1.0, 0), w.rate(1.0, 1), w.rate(1.0, 3), w.rate(1.0, 10)], [0.25, 0.5, 1.0, 1.0]);
        assert!(Schedule::Step { every: 0, gamma: 0.5 }.check().is_err());
        assert!(TrainParams { learning_rate: f64::NAN, ..Default::default() }.check().is_err());
    }
}
