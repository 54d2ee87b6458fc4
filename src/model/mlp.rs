//! Multi-layer perceptrons (feed-forward neural networks) for classification and regression.
//!
//! The network has 0 to 8 hidden layers of 1 to 32 neurons, each layer with its own activation
//! (sigmoid, tanh, ReLU, leaky ReLU, linear). The output is one logistic unit for two classes,
//! a softmax over k ≥ 3 classes, or one linear unit for regression. Inputs are standardised
//! (zero mean, unit variance, fixed at the first fit or step), so the default learning rates work
//! whatever the range of the data. The objective minimised is
//!
//! `J = (1/n) Σ_i loss_i + l1·Σ|w| + l2·Σw²`
//!
//! over the weights (not the biases), with the loss chosen explicitly: cross-entropy or mean
//! squared error for classification, mean squared error for regression (see [`Loss`]). In
//! scikit-learn terms, `l2` is `alpha / (2 n)` of `MLPClassifier` (whose L2 term is
//! `alpha/(2n)·‖W‖²`), and its `MLPRegressor` minimises *half* our mean squared error.
//!
//! With `class_weight` (classification only; a regression ignores it, as the tree does) each
//! example's loss is multiplied by its class's weight `w_i` and the mean becomes the weighted mean
//! `Σ w_i·loss_i / Σ w_i`, as logistic regression does: only the ratios of the weights matter, an
//! integer weight counts like that many copies of the row, and "balanced" weights sum to `n` (this
//! is also how scikit-learn's `MLPClassifier.fit(sample_weight=w)` normalises, with its L2 term
//! `alpha/(2·Σw)·‖W‖²`). A mini-batch of `m` rows divides its weighted sum by `m·w̄`, `w̄` the mean
//! weight of all training rows, so its gradient is an unbiased estimate of the full one.
//!
//! Training is mini-batch back-propagation ([`network`]) with the shared optimisers of
//! [`crate::optim`]: `step` is one epoch over shuffled mini-batches, `fit` runs epochs until the
//! epoch's objective stops improving by `tolerance` for `patience` epochs (as scikit-learn does),
//! or `max_epochs`. A `residual` toggle adds skip connections between hidden layers of equal width,
//! and the network can grow a neuron or a layer while computing exactly the same function
//! ([`grow`]), by hand or when training plateaus.

pub(crate) mod fast_math32;
mod grid;
pub mod grow;
pub mod network;
pub mod quantized;
#[cfg(test)]
mod tests;
pub mod view;

pub use grid::GRID_TOLERANCE;
pub use network::{Activation, Loss, Network, Output, MAX_HIDDEN_LAYERS, MAX_NEURONS};

use super::weights::{self, ClassWeight};
use super::{Formula, Hyperparams, Layer, Model, Summary};
use crate::data::features::Standardizer;
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_count, check_range, Error, Result};
use crate::optim::{Optimizer, OptimizerKind, TrainParams};
use nalgebra::{DMatrix, DVector};
use network::Workspace;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// One hidden layer: how many neurons and their activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HiddenLayer {
    pub neurons: usize,
    pub activation: Activation,
}

impl Default for HiddenLayer {
    fn default() -> Self {
        HiddenLayer { neurons: 8, activation: Activation::Tanh }
    }
}

/// Grow the network by one neuron whenever the training objective has not improved for
/// `patience` epochs, until the hidden layers hold `max_neurons` neurons in total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GrowOnPlateau {
    pub patience: usize,
    pub max_neurons: usize,
}

impl Default for GrowOnPlateau {
    fn default() -> Self {
        GrowOnPlateau { patience: 5, max_neurons: 32 }
    }
}

/// Hyper-parameters of [`Mlp`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlpParams {
    /// The hidden layers, input side first (0 to 8 of them).
    pub hidden_layers: Vec<HiddenLayer>,
    /// The loss; `None` (the default) means cross-entropy for classes and mean squared error for
    /// numbers. Cross-entropy on a regression dataset is refused.
    pub loss: Option<Loss>,
    /// L1 strength on the weights, 0 to 10.
    pub l1: f64,
    /// L2 strength on the weights, 0 to 10.
    pub l2: f64,
    /// Skip connections `h_{l+1} = f(W h_l + b) + h_l` between consecutive hidden layers of equal
    /// width.
    pub residual: bool,
    /// Optimiser, learning rate, batch size (0 = full batch) and schedule.
    pub train: TrainParams,
    /// The most epochs `fit` runs.
    pub max_epochs: usize,
    /// `fit` counts an epoch as an improvement when it lowers the best objective by more than this.
    pub tolerance: f64,
    /// `fit` stops after this many epochs without improvement.
    pub patience: usize,
    /// Optional automatic growth when training stalls.
    pub grow_on_plateau: Option<GrowOnPlateau>,
    /// Class weights in the loss (`None`: every example weighs 1); ignored for regression.
    pub class_weight: Option<ClassWeight>,
    /// Layers whose weights and biases training leaves exactly as they are (no optimiser update,
    /// no L1/L2 pull, no change to Adam's moments): 0 is the layer into the first hidden layer,
    /// the number of hidden layers is the output layer (the order of [`Mlp::layer_weights`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frozen: Vec<usize>,
}

impl Default for MlpParams {
    fn default() -> Self {
        MlpParams {
            hidden_layers: vec![HiddenLayer::default(); 2],
            loss: None,
            l1: 0.0,
            l2: 0.0,
            residual: false,
            train: TrainParams {
                learning_rate: 0.01,
                batch_size: 32,
                optimizer: OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
                ..TrainParams::default()
            },
            max_epochs: 200,
            tolerance: 1e-4,
            patience: 10,
            grow_on_plateau: None,
            class_weight: None,
            frozen: Vec::new(),
        }
    }
}

/// A deep, narrow sigmoid network (8 hidden layers of 4 neurons, plain SGD): without residual
/// connections its gradients vanish and training stalls; with them it trains.
pub fn deep_sigmoid_preset(residual: bool) -> MlpParams {
    MlpParams {
        hidden_layers: vec![HiddenLayer { neurons: 4, activation: Activation::Sigmoid }; 8],
        residual,
        train: TrainParams { learning_rate: 0.1, batch_size: 16, ..TrainParams::default() },
        ..MlpParams::default()
    }
}

impl Hyperparams for MlpParams {
    type Model = Mlp;

    fn check(&self) -> Result<()> {
        check_count("number of hidden layers", self.hidden_layers.len(), 0, MAX_HIDDEN_LAYERS)?;
        for (i, layer) in self.hidden_layers.iter().enumerate() {
            check_count(&format!("neurons in hidden layer {}", i + 1), layer.neurons, 1, MAX_NEURONS)?;
        }
        check_range("L1 strength", self.l1, 0.0, 10.0)?;
        check_range("L2 strength", self.l2, 0.0, 10.0)?;
        self.train.check()?;
        check_count("maximum epochs", self.max_epochs, 1, 100_000)?;
        check_range("tolerance", self.tolerance, 0.0, 1.0)?;
        check_count("patience", self.patience, 1, 10_000)?;
        if let Some(grow) = &self.grow_on_plateau {
            check_count("growth patience", grow.patience, 1, 10_000)?;
            check_count("most hidden neurons when growing", grow.max_neurons, 1, MAX_HIDDEN_LAYERS * MAX_NEURONS)?;
        }
        check_count("number of frozen layers", self.frozen.len(), 0, MAX_HIDDEN_LAYERS + 1)?;
        for (i, &layer) in self.frozen.iter().enumerate() {
            check_count("frozen layer", layer, 0, MAX_HIDDEN_LAYERS)?;
            if self.frozen[..i].contains(&layer) {
                return Err(err!(InvalidParameter, "frozen_twice", layer = layer));
            }
        }
        weights::check(self.class_weight.as_ref())
    }

    fn build(&self, seed: u64) -> Result<Mlp> {
        self.check()?;
        Ok(Mlp {
            params: self.clone(),
            seed,
            task: None,
            loss: None,
            scaler: None,
            network: None,
            pruned: None,
            optimizer: None,
            loss_memory: Default::default(),
            gradient_norms: Default::default(),
            epochs: 0,
            last_loss: None,
            best_loss: None,
            stale_epochs: 0,
            progress: Progress::default(),
        })
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind, Value, Widget};
        use super::view::ViewKind;
        let activations = vec!["tanh", "relu", "leaky_relu", "sigmoid", "linear"];
        let on_plateau =
            Value::Object(vec![("patience", Value::Number(20.0)), ("max_neurons", Value::Number(MAX_NEURONS as f64))]);
        Family {
            kind: "mlp",
            tasks: vec![TaskKind::Regression, TaskKind::Classification],
            class_weight: true,
            gradient: Show::Always,
            animation: Animation::Epochs,
            views: vec![ViewKind::Network, ViewKind::Thumbnails],
            growth: Some("hidden_layers"),
            controls: vec![
                Control::new(
                    "hidden_layers",
                    Widget::Layers { max_layers: MAX_HIDDEN_LAYERS, max_neurons: MAX_NEURONS, activations },
                ),
                Control::new("residual", Widget::Checkbox),
                Control::select("loss", vec![Value::Null, "cross_entropy".into(), "mse".into()])
                    .when(Show::Task(TaskKind::Classification)),
                Control::select("l2", numbers(&[0.0, 0.0001, 0.001, 0.01, 0.1])),
                Control::select("l1", numbers(&[0.0, 0.0001, 0.001, 0.01])),
                Control::select("grow_on_plateau", vec![Value::Null, on_plateau]),
            ],
        }
    }
    fn train_params(&self) -> Option<&TrainParams> {
        Some(&self.train)
    }
    fn fits_by_epochs(&self) -> bool {
        true
    }
    fn class_weight(&self) -> Option<&ClassWeight> {
        self.class_weight.as_ref()
    }
    /// A network can grow: its params name its architecture now.
    fn grown_into(model: &Mlp) -> Option<MlpParams> {
        Some(model.params().clone())
    }
}

/// A trained (or untrained) multi-layer perceptron.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mlp {
    params: MlpParams,
    /// Seeds the initial weights (and `fit`'s shuffling).
    seed: u64,
    /// The task, taken from the dataset at the first fit or step.
    task: Option<Task>,
    /// The loss in use (resolved from `params.loss` and the task).
    loss: Option<Loss>,
    /// Input standardisation, fixed at the first fit or step.
    scaler: Option<Standardizer>,
    /// The network; `None` until the first fit or step (its input width and output come from the
    /// data).
    network: Option<Network>,
    /// Weights removed by pruning, one flag per parameter (true: removed): they stay exactly zero
    /// while training goes on. `None`: nothing was pruned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pruned: Option<Vec<bool>>,
    #[serde(skip)]
    optimizer: Option<Optimizer>,
    /// The divergence guard's memory (see [`crate::optim::LossMemory`]).
    #[serde(skip)]
    pub(crate) loss_memory: crate::optim::LossMemory,
    /// The largest gradient norm of each layer over the epoch under way (or the last one): what
    /// the time machine names when a run diverges.
    #[serde(skip)]
    gradient_norms: GradientNorms,
    /// Epochs trained so far.
    epochs: u64,
    /// The objective over the last epoch (mean mini-batch loss + penalty).
    last_loss: Option<f64>,
    best_loss: Option<f64>,
    /// Epochs since the objective last improved by more than the tolerance.
    stale_epochs: usize,
    /// An epoch or a fit part-way through (see [`Progress`]).
    #[serde(skip)]
    progress: Progress,
}

/// Per layer (in order, the output layer last), the largest gradient norm over one epoch's
/// mini-batches (non-finite once a batch's gradient was). Training memory: not saved, and two
/// models that differ only in it compare equal.
#[derive(Debug, Clone, Default)]
pub(crate) struct GradientNorms(pub Vec<f64>);

impl PartialEq for GradientNorms {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl GradientNorms {
    /// Records one mini-batch's gradient `grad` (the flat parameter vector's layout: each layer's
    /// weights and biases from `offsets[l]`; skip weights, after the last layer, count with it).
    fn record(&mut self, grad: &[f64], offsets: &[usize]) {
        if self.0.len() != offsets.len() {
            self.0 = vec![0.0; offsets.len()];
        }
        for (l, &start) in offsets.iter().enumerate() {
            let end = offsets.get(l + 1).copied().unwrap_or(grad.len()).min(grad.len());
            let norm = grad.get(start..end).map_or(0.0, |g| g.iter().map(|v| v * v).sum::<f64>().sqrt());
            let slot = &mut self.0[l];
            // NaN stays once seen: `max` would drop it
            if (!norm.is_finite() || norm > *slot) && slot.is_finite() {
                *slot = norm;
            }
        }
    }
}

/// Training in progress between calls: an epoch part-way through its mini-batches, and a fit
/// part-way through its epochs, so the page's worker can stop within its time budget even in
/// the middle of one long epoch or of a cross-validation fold's fit (issue 10 item 16). It is
/// training memory, not the model's value: not saved, and two models that differ only in it
/// compare equal. A copy goes on with the epoch under way but not with a fit under way (the
/// generator is not copied): a copy's next `fit_part` starts its fit afresh.
#[derive(Debug, Default)]
struct Progress {
    epoch: Option<EpochRun>,
    fit: Option<FitRun>,
}

impl Clone for Progress {
    fn clone(&self) -> Self {
        Progress { epoch: self.epoch.clone(), fit: None }
    }
}

impl PartialEq for Progress {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

/// An epoch under way: the data it runs on (its fingerprint: other data starts a new epoch), its
/// shuffled row order, and how far it got.
#[derive(Debug, Clone)]
struct EpochRun {
    data: [f64; 5],
    /// The standardised inputs.
    xs: DMatrix<f64>,
    sample_weights: Option<Vec<f64>>,
    total_weight: f64,
    /// The parameters training leaves alone (frozen layers, pruned weights), if any.
    fixed: Option<Vec<bool>>,
    order: Vec<usize>,
    batch: usize,
    /// Rows of `order` done.
    next: usize,
    /// Σ batch loss × batch rows so far.
    total: f64,
}

/// A fit under way: its own random stream (shuffles, growth) and the epochs it has run.
#[derive(Debug)]
struct FitRun {
    rng: Rng,
    epochs: usize,
}

impl Mlp {
    pub fn params(&self) -> &MlpParams {
        &self.params
    }

    /// The network, once the first fit, step or [`Mlp::initialize`] has set it up.
    pub fn network(&self) -> Option<&Network> {
        self.network.as_ref()
    }

    /// The task the network was built for.
    pub fn task(&self) -> Option<Task> {
        self.task
    }

    /// The loss in use.
    pub fn loss(&self) -> Option<Loss> {
        self.loss
    }

    /// Epochs trained so far.
    pub fn epochs(&self) -> u64 {
        self.epochs
    }

    /// The pruning mask, one flag per parameter (true: pruned, held at zero), if any.
    pub fn pruned(&self) -> Option<&[bool]> {
        self.pruned.as_deref()
    }

    /// The optimiser and its state, once training has started.
    pub fn optimizer(&self) -> Option<&Optimizer> {
        self.optimizer.as_ref()
    }

    /// Replaces the network and the pruning mask (compression: pruned, quantised or slimmer
    /// weights). The optimiser starts afresh (its state belonged to the old weights); the mask
    /// must have one flag per parameter, and the network the old one's inputs and outputs.
    pub fn replace_network(&mut self, network: Network, pruned: Option<Vec<bool>>) -> Result<()> {
        network.validate()?;
        let old = self.network.as_ref().ok_or_else(not_set_up)?;
        if old.sizes().first() != network.sizes().first() || old.sizes().last() != network.sizes().last() {
            return Err(err!(InvalidParameter, "compressed_shape"));
        }
        if pruned.as_ref().is_some_and(|m| m.len() != network.params().len()) {
            return Err(err!(InvalidParameter, "prune_mask_mismatch"));
        }
        self.network = Some(network);
        self.pruned = pruned;
        self.optimizer = None;
        // A new model as far as the divergence guard goes: its loss may start higher.
        self.loss_memory = Default::default();
        self.progress = Progress::default();
        self.sync_hidden_layers();
        self.params.frozen.retain(|&l| l <= self.params.hidden_layers.len());
        Ok(())
    }

    /// Freezes the layers `frozen` (and unfreezes the others) in place: training goes on from the
    /// current weights, the epoch under way starting its bookkeeping afresh with the new mask.
    pub fn set_frozen(&mut self, frozen: Vec<usize>) {
        self.params.frozen = frozen;
        self.progress = Progress::default();
    }

    /// The parameters training must leave alone: the frozen layers' weights and biases and the
    /// pruned weights (`None` when there are none). An error when every layer is frozen, so
    /// pressing Play says so instead of doing nothing.
    fn fixed_parameters(&self, network: &Network) -> Result<Option<Vec<bool>>> {
        let n_layers = network.n_hidden() + 1;
        if let Some(&layer) = self.params.frozen.iter().find(|&&l| l >= n_layers) {
            return Err(err!(InvalidParameter, "frozen_missing", layer = layer, last = n_layers - 1));
        }
        if (0..n_layers).all(|l| self.params.frozen.contains(&l)) {
            return Err(err!(InvalidParameter, "all_frozen"));
        }
        if self.params.frozen.is_empty() && self.pruned.is_none() {
            return Ok(None);
        }
        let mut fixed = self.pruned.clone().unwrap_or_else(|| vec![false; network.params().len()]);
        fixed.resize(network.params().len(), false);
        let sizes = network.sizes();
        for (l, offset) in network.offsets().into_iter().enumerate() {
            if self.params.frozen.contains(&l) {
                let end = offset + (sizes[l] + 1) * sizes[l + 1];
                fixed[offset..end].iter_mut().for_each(|f| *f = true);
            }
        }
        Ok(Some(fixed))
    }

    /// The objective over the last epoch (mean of the mini-batch losses + penalty), as
    /// scikit-learn's `loss_curve_` reports it.
    pub fn last_epoch_objective(&self) -> Option<f64> {
        self.last_loss
    }

    /// The input standardisation (mean and scale per feature).
    pub fn scaler(&self) -> Option<&Standardizer> {
        self.scaler.as_ref()
    }

    /// Widths from input to output, `[d, h_1, …, h_L, k]` (k = 1 for two classes and for
    /// regression); empty before the network is set up.
    pub fn layer_sizes(&self) -> Vec<usize> {
        self.network.as_ref().map(|n| n.sizes().to_vec()).unwrap_or_default()
    }

    /// The activation of each hidden layer (it may differ from the parameters once the network
    /// grew).
    pub fn hidden_activations(&self) -> Vec<Activation> {
        self.network.as_ref().map(|n| n.activations().to_vec()).unwrap_or_default()
    }

    /// Each layer's fan-in × fan-out weight matrix, first hidden layer first, output layer last:
    /// entry (i, j) of matrix l connects neuron i of layer l to neuron j of layer l + 1 (in
    /// [`Mlp::layer_sizes`] numbering). The first matrix acts on the standardised inputs.
    pub fn layer_weights(&self) -> Vec<DMatrix<f64>> {
        let Some(network) = &self.network else {
            return Vec::new();
        };
        (0..=network.n_hidden()).filter_map(|l| network.weights(l)).collect()
    }

    /// Each layer's biases, in the order of [`Mlp::layer_weights`].
    pub fn layer_biases(&self) -> Vec<DVector<f64>> {
        let Some(network) = &self.network else {
            return Vec::new();
        };
        (0..=network.n_hidden()).filter_map(|l| network.biases(l)).map(DVector::from_vec).collect()
    }

    /// Per hidden layer, per neuron: the neuron of the layer before whose value a skip connection
    /// adds to it (`None`: no skip connection).
    pub fn skip_connections(&self) -> Vec<Vec<Option<usize>>> {
        self.network.as_ref().map(|n| n.skips().to_vec()).unwrap_or_default()
    }

    /// Each hidden layer's outputs over a batch of raw inputs `x` (n × d): one n × width matrix
    /// per hidden layer, column j holding neuron j's value (after its skip connection, if any) for
    /// every row. Empty before the network is set up or when `x` has the wrong number of columns.
    pub fn neuron_outputs(&self, x: &DMatrix<f64>) -> Vec<DMatrix<f64>> {
        match self.standardized(x) {
            Ok(Some((network, z))) => network.forward_all(&z).map(|(_, h)| h).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Checks the model is internally consistent (parameters in range, every shape matching), so
    /// that a tampered model file cannot make prediction or training panic.
    pub fn check_consistency(&self) -> Result<()> {
        self.params.check()?;
        let Some(network) = &self.network else {
            return Ok(());
        };
        network.validate()?;
        use super::file::{refuse, Damage};
        if let Some(pruned) = &self.pruned {
            let params = network.params();
            if pruned.len() != params.len() {
                return refuse("mlp", "pruned", Damage::Length { got: pruned.len(), expected: params.len() });
            }
            if let Some(i) = pruned.iter().zip(params).position(|(&p, &w)| p && w != 0.0) {
                return refuse("mlp", format!("pruned[{i}]"), Damage::Invalid("pruned_weight"));
            }
        }
        let sizes = network.sizes();
        let layers_agree = sizes.len() == self.params.hidden_layers.len() + 2
            && self.params.hidden_layers.iter().zip(&sizes[1..]).all(|(layer, &width)| layer.neurons == width)
            && self.params.hidden_layers.iter().zip(network.activations()).all(|(layer, &a)| layer.activation == a);
        if !layers_agree {
            return refuse("mlp", "params.hidden_layers", Damage::Mismatch("network.sizes".into()));
        }
        let d = sizes[0];
        match &self.scaler {
            Some(s) if s.mean.len() == d && s.scale.len() == d => {
                if s.mean.iter().any(|m| !m.is_finite()) {
                    return refuse("mlp", "scaler.mean", Damage::NotFinite);
                }
                if s.scale.iter().any(|v| !v.is_finite() || *v <= 0.0) {
                    return refuse("mlp", "scaler.scale", Damage::NotPositive);
                }
            }
            Some(s) if s.mean.len() != d => {
                return refuse("mlp", "scaler.mean", Damage::Length { got: s.mean.len(), expected: d })
            }
            Some(s) => return refuse("mlp", "scaler.scale", Damage::Length { got: s.scale.len(), expected: d }),
            None => return refuse("mlp", "network", Damage::Without("scaler".into())),
        }
        let k = network.sizes().last().copied().unwrap_or(0);
        let consistent = match (self.task, network.output()) {
            (Some(Task::Regression), Output::Linear) => true,
            (Some(Task::Classification { n_classes: 2 }), Output::Sigmoid) => true,
            (Some(Task::Classification { n_classes }), Output::Softmax) => n_classes == k,
            _ => false,
        };
        if !consistent {
            return refuse("mlp", "network.output", Damage::Mismatch("task".into()));
        }
        match (self.loss, network.output()) {
            (Some(Loss::CrossEntropy), Output::Linear) | (None, _) => {
                refuse("mlp", "loss", Damage::Mismatch("task".into()))
            }
            _ => Ok(()),
        }
    }

    /// Sets up the network for `data` (input width, task, input scaling, initial weights) without
    /// training, so the page can draw it. Does nothing when it is already set up for such data.
    pub fn initialize(&mut self, data: &Dataset) -> Result<()> {
        self.prepare(data).map(|_| ())
    }

    /// Splits a neuron of hidden layer `layer` (1 = first hidden layer, as in
    /// [`Mlp::layer_sizes`]) in two without changing the predictions (see [`grow`]); the
    /// optimiser state follows.
    pub fn add_neuron(&mut self, layer: usize, rng: &mut Rng) -> Result<()> {
        self.check_consistency()?;
        let network = self.network.as_mut().ok_or_else(not_set_up)?;
        let moved = network.add_neuron(layer, rng)?;
        if let Some(optimizer) = &mut self.optimizer {
            optimizer.remap(&moved);
        }
        self.progress.epoch = None;
        // A pruned weight stays pruned where it went; a new one (or a copy of a kept one) is live.
        if let Some(pruned) = &mut self.pruned {
            let old = std::mem::take(pruned);
            *pruned = moved.iter().map(|s| s.and_then(|k| old.get(k).copied()).unwrap_or(false)).collect();
        }
        self.sync_hidden_layers();
        Ok(())
    }

    /// Inserts a hidden layer after layer `after` (0 = the input, 1 = the first hidden layer) that
    /// leaves the predictions unchanged (see [`grow`] for its activation and form); the optimiser
    /// state follows.
    pub fn add_layer(&mut self, after: usize) -> Result<()> {
        self.check_consistency()?;
        let residual = self.params.residual;
        let network = self.network.as_mut().ok_or_else(not_set_up)?;
        let moved = network.add_layer(after, residual)?;
        if let Some(optimizer) = &mut self.optimizer {
            optimizer.remap(&moved);
        }
        self.progress.epoch = None;
        // A pruned weight stays pruned where it went; a new one (or a copy of a kept one) is live.
        if let Some(pruned) = &mut self.pruned {
            let old = std::mem::take(pruned);
            *pruned = moved.iter().map(|s| s.and_then(|k| old.get(k).copied()).unwrap_or(false)).collect();
        }
        self.sync_hidden_layers();
        Ok(())
    }

    /// Makes `params.hidden_layers` describe the network as it now is (after growth), so the
    /// page's state names the grown architecture.
    fn sync_hidden_layers(&mut self) {
        if let Some(network) = &self.network {
            let sizes = network.sizes();
            let hidden = sizes.get(1..sizes.len().saturating_sub(1)).unwrap_or(&[]);
            self.params.hidden_layers = hidden
                .iter()
                .zip(network.activations())
                .map(|(&neurons, &activation)| HiddenLayer { neurons, activation })
                .collect();
        }
    }

    /// The network and the standardised `x`, or `None` before set-up; an error when `x` has the
    /// wrong width or the model is damaged.
    fn standardized(&self, x: &DMatrix<f64>) -> Result<Option<(&Network, DMatrix<f64>)>> {
        self.check_consistency()?;
        let (Some(network), Some(scaler)) = (&self.network, &self.scaler) else {
            return Ok(None);
        };
        let d = network.sizes()[0];
        if x.ncols() != d {
            return Err(err!(InvalidData, "feature_count", expected = d, got = x.ncols()));
        }
        Ok(Some((network, scaler.transform(x))))
    }

    /// Checks `data` suits this model, sets the network up on first use, and returns the
    /// standardised inputs.
    fn prepare(&mut self, data: &Dataset) -> Result<DMatrix<f64>> {
        self.check_consistency()?;
        check_shapes(data)?;
        data.require_len(1)?;
        data.require_two_classes()?;
        let loss = match (data.task, self.params.loss) {
            (Task::Regression, Some(Loss::CrossEntropy)) => {
                return Err(err!(InvalidParameter, "cross_entropy_needs_classes"))
            }
            (_, Some(loss)) => loss,
            (Task::Regression, None) => Loss::Mse,
            (Task::Classification { .. }, None) => Loss::CrossEntropy,
        };
        if let Task::Classification { n_classes } = data.task {
            if n_classes > network::MAX_CLASSES {
                return Err(err!(InvalidData, "too_many_classes", model = "mlp", max = network::MAX_CLASSES));
            }
            if data.y.iter().any(|&c| c < 0.0 || c.fract() != 0.0 || c >= n_classes as f64) {
                return Err(err!(InvalidData, "class_labels_whole", n_classes = n_classes - 1));
            }
        }
        if data.x.iter().any(|v| !v.is_finite()) || data.y.iter().any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "data_not_finite"));
        }
        match (&self.network, self.task) {
            (Some(network), Some(task)) => {
                if task != data.task {
                    return Err(err!(InvalidData, "network_task_changed"));
                }
                let d = network.sizes()[0];
                if data.n_features() != d {
                    return Err(err!(InvalidData, "network_features_changed", d = d, n_features = data.n_features()));
                }
                if self.loss != Some(loss) {
                    return Err(err!(InvalidParameter, "loss_changed"));
                }
            }
            _ => {
                if data.n_features() > network::MAX_INPUTS {
                    return Err(err!(InvalidData, "too_many_features", model = "mlp", max = network::MAX_INPUTS));
                }
                let (output, k) = match data.task {
                    Task::Regression => (Output::Linear, 1),
                    Task::Classification { n_classes: 2 } => (Output::Sigmoid, 1),
                    Task::Classification { n_classes } => (Output::Softmax, n_classes),
                };
                let mut sizes = vec![data.n_features()];
                sizes.extend(self.params.hidden_layers.iter().map(|l| l.neurons));
                sizes.push(k);
                let activations = self.params.hidden_layers.iter().map(|l| l.activation).collect();
                let network =
                    Network::new(sizes, activations, output, self.params.residual, &mut crate::data::rng(self.seed))?;
                self.optimizer = Some(Optimizer::new(&self.params.train, network.params().len()));
                self.scaler = Some(Standardizer::fit_checked(&data.x)?);
                self.network = Some(network);
                self.task = Some(data.task);
                self.loss = Some(loss);
                self.epochs = 0;
                self.last_loss = None;
                self.best_loss = None;
                self.stale_epochs = 0;
            }
        }
        match &self.scaler {
            Some(s) => Ok(s.transform(&data.x)),
            None => Err(not_set_up()),
        }
    }

    /// Part of an epoch of shuffled mini-batches on `data`: whole mini-batches until at least
    /// `max_rows` rows were seen (one batch at least), each row's loss weighted by the family's
    /// class weights. An epoch starts (inputs standardised, rows shuffled with `rng`) when none is
    /// under way on this data. Returns the rows seen and, when the epoch ended, its objective
    /// (mean mini-batch loss + penalty). Run in parts or whole, the same batches are taken in
    /// the same order, so the model is the same to the bit.
    fn epoch_part(
        &mut self,
        data: &Dataset,
        rng: &mut Rng,
        max_rows: usize,
        term: Option<&BatchTerm>,
    ) -> Result<(usize, Option<f64>)> {
        let fingerprint = crate::optim::LossMemory::fingerprint(data);
        if self.progress.epoch.as_ref().is_none_or(|run| run.data != fingerprint) {
            self.progress.epoch = None;
            let xs = self.prepare(data)?;
            let sample_weights = weights::sample_weights(self.params.class_weight.as_ref(), data)?;
            let fixed = match &self.network {
                Some(network) => self.fixed_parameters(network)?,
                None => return Err(not_set_up()),
            };
            // Training moves the weights off the integer grid: the model is a float model again.
            if let Some(network) = self.network.as_mut() {
                network.dequantize();
            }
            let n = xs.nrows();
            let batch = match self.params.train.batch_size {
                0 => n,
                b => b.min(n),
            };
            let mut order: Vec<usize> = (0..n).collect();
            if batch < n {
                order.shuffle(rng);
            }
            let total_weight: f64 = sample_weights.as_ref().map_or(0.0, |w| w.iter().sum());
            self.gradient_norms.0.clear();
            self.progress.epoch = Some(EpochRun {
                data: fingerprint,
                xs,
                sample_weights,
                total_weight,
                fixed,
                order,
                batch,
                next: 0,
                total: 0.0,
            });
        }
        let outcome = self.run_batches(&data.y, max_rows, term);
        if !matches!(outcome, Ok((_, None))) {
            self.progress.epoch = None;
        }
        outcome
    }

    /// The mini-batches of [`Mlp::epoch_part`] from where the epoch under way stands.
    fn run_batches(
        &mut self,
        y: &DVector<f64>,
        max_rows: usize,
        term: Option<&BatchTerm>,
    ) -> Result<(usize, Option<f64>)> {
        let (l1, l2) = (self.params.l1, self.params.l2);
        let train = self.params.train;
        let (Some(network), Some(loss), Some(run)) = (self.network.as_mut(), self.loss, self.progress.epoch.as_mut())
        else {
            return Err(not_set_up());
        };
        let norms = &mut self.gradient_norms;
        let offsets = network.offsets();
        let n = run.order.len();
        let optimizer = self.optimizer.get_or_insert_with(|| Optimizer::new(&train, network.params().len()));
        let mut full: Option<Workspace> = None;
        let mut tail: Option<Workspace> = None;
        let mut grad = vec![0.0; network.params().len()];
        let mut seen = 0;
        while run.next < n && (seen == 0 || seen < max_rows) {
            let rows = &run.order[run.next..(run.next + run.batch).min(n)];
            let ws = if rows.len() == run.batch {
                full.get_or_insert_with(|| Workspace::new(network, rows.len(), true))
            } else {
                tail.get_or_insert_with(|| Workspace::new(network, rows.len(), true))
            };
            fill_batch(ws, &run.xs, y, rows, network.output());
            if let Some(w) = &run.sample_weights {
                fill_weights(ws, w, run.total_weight, rows);
            }
            network.forward(ws);
            let batch_loss = match term {
                Some(term) => network.backward_custom(ws, &|z, p, t, d| term(rows, z, p, t, d), &mut grad),
                None => network.backward(ws, loss, &mut grad),
            };
            norms.record(&grad, &offsets);
            if !batch_loss.is_finite() {
                return Err(diverged());
            }
            network.add_penalty_gradient(l1, l2, &mut grad);
            // the page's maths shows the update of the first layer's weight with the largest gradient
            optimizer.watch(0..network.sizes()[0] * network.sizes().get(1).copied().unwrap_or(0));
            optimizer.update_masked(network.params_mut(), &grad, run.fixed.as_deref());
            run.total += batch_loss * rows.len() as f64;
            run.next += rows.len();
            seen += rows.len();
        }
        if run.next < n {
            return Ok((seen, None));
        }
        let objective = run.total / n as f64 + network.penalty(l1, l2);
        if !objective.is_finite() || !network.is_finite() {
            return Err(diverged());
        }
        Ok((seen, Some(objective)))
    }

    /// The epochs of a fit from where it stands, until it ends (`patience` epochs without
    /// improvement, or `max_epochs`) or `max_rows` rows were seen; true when it ended.
    fn fit_epochs(
        &mut self,
        data: &Dataset,
        run: &mut FitRun,
        max_rows: usize,
        until: usize,
        term: Option<&BatchTerm>,
    ) -> Result<bool> {
        let mut seen = 0usize;
        while run.epochs < self.params.max_epochs.min(until) {
            let (rows, objective) = self.epoch_part(data, &mut run.rng, max_rows.saturating_sub(seen), term)?;
            seen = seen.saturating_add(rows);
            if let Some(objective) = objective {
                self.after_epoch(objective, &mut run.rng)?;
                run.epochs += 1;
                if self.stale_epochs >= self.params.patience {
                    return Ok(true);
                }
            }
            if seen >= max_rows {
                return Ok(run.epochs >= self.params.max_epochs);
            }
        }
        Ok(run.epochs >= self.params.max_epochs)
    }

    /// Book-keeping after an epoch: counts epochs without improvement, and grows the network when
    /// the plateau rule says so.
    fn after_epoch(&mut self, objective: f64, rng: &mut Rng) -> Result<()> {
        self.epochs += 1;
        self.last_loss = Some(objective);
        let best = self.best_loss.unwrap_or(f64::INFINITY);
        if objective > best - self.params.tolerance {
            self.stale_epochs += 1;
        } else {
            self.stale_epochs = 0;
        }
        if objective < best {
            self.best_loss = Some(objective);
        }
        if let Some(grow) = self.params.grow_on_plateau {
            if self.stale_epochs >= grow.patience && self.grow_one(grow.max_neurons, rng)? {
                self.stale_epochs = 0;
            }
        }
        Ok(())
    }

    /// Adds one neuron to the narrowest hidden layer, unless the hidden layers already hold
    /// `max_neurons` neurons (or every layer is full, or there is none). True when it grew.
    fn grow_one(&mut self, max_neurons: usize, rng: &mut Rng) -> Result<bool> {
        let Some(network) = &self.network else {
            return Ok(false);
        };
        let sizes = network.sizes();
        let hidden = &sizes[1..sizes.len() - 1];
        if hidden.iter().sum::<usize>() >= max_neurons {
            return Ok(false);
        }
        let narrowest =
            hidden.iter().enumerate().filter(|(_, &w)| w < MAX_NEURONS).min_by_key(|(_, &w)| w).map(|(i, _)| i + 1);
        match narrowest {
            Some(layer) => self.add_neuron(layer, rng).map(|_| true),
            None => Ok(false),
        }
    }
}

/// Copies the rows `rows` of `xs` and their targets into the batch buffers of `ws`.
fn fill_batch(ws: &mut Workspace, xs: &DMatrix<f64>, y: &DVector<f64>, rows: &[usize], output: Output) {
    let (n, m) = (xs.nrows(), rows.len());
    let input = ws.input.as_mut_slice();
    for (j, column) in xs.as_slice().chunks_exact(n.max(1)).enumerate() {
        for (r, &i) in rows.iter().enumerate() {
            input[j * m + r] = column[i];
        }
    }
    let target = ws.target.as_mut_slice();
    match output {
        Output::Softmax => {
            target.fill(0.0);
            for (r, &i) in rows.iter().enumerate() {
                // Labels were checked to be whole numbers below the number of output columns.
                if let Some(t) = target.get_mut(r + y[i] as usize * m) {
                    *t = 1.0;
                }
            }
        }
        Output::Sigmoid | Output::Linear => {
            for (r, &i) in rows.iter().enumerate() {
                target[r] = y[i];
            }
        }
    }
}

/// Copies the weights of the rows `rows` into `ws` and sets the batch's normaliser: the sum of all
/// the weights (`total`) for the whole set, else the batch size times their mean, so that a
/// mini-batch's gradient estimates the full weighted mean's without bias.
fn fill_weights(ws: &mut Workspace, sample_weights: &[f64], total: f64, rows: &[usize]) {
    let n = sample_weights.len();
    ws.weight_normaliser = if rows.len() == n { total } else { rows.len() as f64 * (total / n.max(1) as f64) };
    let batch = ws.row_weights.get_or_insert_with(Vec::new);
    batch.clear();
    batch.extend(rows.iter().map(|&i| sample_weights.get(i).copied().unwrap_or(1.0)));
}

/// One target per row (the fields of a [`Dataset`] are public, so this is not a given).
fn check_shapes(data: &Dataset) -> Result<()> {
    if data.x.nrows() != data.y.len() {
        return Err(err!(
            InvalidData,
            "internal",
            detail = format!("{nrows} rows of features but {y} targets", nrows = data.x.nrows(), y = data.y.len())
        ));
    }
    Ok(())
}

fn not_set_up() -> Error {
    err!(InvalidInput, "not_fitted")
}

fn diverged() -> Error {
    err!(Diverged, "diverged_loss_adam")
}

/// A replacement for the loss over a mini-batch (distillation): `(rows, logits, outputs,
/// targets, delta) → value`, `rows` the batch's row indices into the training data; it writes
/// `∂value/∂logits` into `delta` (batch × output units).
pub(crate) type BatchTerm<'a> =
    dyn Fn(&[usize], &DMatrix<f64>, &DMatrix<f64>, &DMatrix<f64>, &mut DMatrix<f64>) -> f64 + 'a;

impl Mlp {
    /// `fit` with the loss at the output replaced by `term` (see [`BatchTerm`]): the same epochs,
    /// shuffles, optimiser, penalty and stopping rule, so a term equal to the loss trains exactly
    /// as `fit` does.
    pub(crate) fn fit_with(&mut self, data: &Dataset, term: Option<&BatchTerm>) -> Result<()> {
        self.progress = Progress::default();
        self.fit_part_with(data, usize::MAX, usize::MAX, term).map(|_| ())
    }

    /// [`Model::fit_part`] with the loss replaced by `term` (see [`Mlp::fit_with`]).
    /// `until`: stop at the end of that epoch of the fit (see [`Model::fit_until_epoch`]).
    fn fit_part_with(
        &mut self,
        data: &Dataset,
        max_rows: usize,
        until: usize,
        term: Option<&BatchTerm>,
    ) -> Result<bool> {
        let mut run = match self.progress.fit.take() {
            Some(run) => run,
            None => {
                self.prepare(data)?;
                // Each fit waits `patience` epochs without improvement from where it starts.
                self.best_loss = None;
                self.stale_epochs = 0;
                self.progress.epoch = None;
                let rng = crate::data::rng(self.seed.wrapping_add(self.epochs.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
                FitRun { rng, epochs: 0 }
            }
        };
        let outcome = self.fit_epochs(data, &mut run, max_rows, until, term);
        match outcome {
            Ok(false) => self.progress.fit = Some(run),
            _ => self.progress = Progress::default(),
        }
        outcome
    }
}

/// A network's layers as the summary's formula gives them (hidden layers, then the output), and
/// whether any layer has skip connections.
pub(crate) fn network_layers(network: &Network) -> (Vec<Layer>, bool) {
    let sizes = network.sizes();
    let output = match network.output() {
        Output::Sigmoid => "sigmoid",
        Output::Softmax => "softmax",
        Output::Linear => "linear",
    };
    let activations = network.activations().iter().map(|a| match a {
        Activation::Sigmoid => "sigmoid",
        Activation::Tanh => "tanh",
        Activation::Relu => "relu",
        Activation::LeakyRelu => "leaky_relu",
        Activation::Linear => "linear",
    });
    let layers = sizes
        .windows(2)
        .zip(activations.chain(std::iter::once(output)))
        .map(|(w, activation)| Layer { inputs: w[0], units: w[1], activation: activation.into() })
        .collect();
    (layers, network.skips().iter().flatten().any(Option::is_some))
}

impl Model for Mlp {
    fn view(&self, kind: super::view::ViewKind, ctx: &super::view::ViewContext) -> Option<super::view::FamilyView> {
        self.family_view(kind, ctx)
    }
    fn thumbnails(&self, xs: &[f64], ys: &[f64]) -> Vec<super::view::Thumbnail> {
        self.neuron_thumbnails(xs, ys)
    }
    fn grow(&mut self, growth: super::view::Growth, data: &Dataset, rng: &mut Rng) -> Result<()> {
        self.grow_by(growth, data, rng)
    }
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        self.fit_with(data, None)
    }

    fn step(&mut self, data: &Dataset, rng: &mut Rng) -> Result<()> {
        while !self.step_part(data, rng, usize::MAX)? {}
        Ok(())
    }

    fn blocks(&self) -> Vec<super::Block> {
        let norms = self.gradient_norms.0.iter();
        norms.enumerate().map(|(l, &norm)| super::Block { kind: "layer", index: l + 1, norm }).collect()
    }

    fn step_part(&mut self, data: &Dataset, rng: &mut Rng, max_rows: usize) -> Result<bool> {
        match self.epoch_part(data, rng, max_rows, None)? {
            (_, Some(objective)) => self.after_epoch(objective, rng).map(|()| true),
            (_, None) => Ok(false),
        }
    }

    fn mid_epoch(&self, data: &Dataset) -> bool {
        self.progress.epoch.as_ref().is_some_and(|run| run.data == crate::optim::LossMemory::fingerprint(data))
    }

    fn fit_part(&mut self, data: &Dataset, max_rows: usize) -> Result<bool> {
        self.fit_part_with(data, max_rows, usize::MAX, None)
    }

    fn fit_until_epoch(&mut self, data: &Dataset, epoch: usize) -> Option<Result<bool>> {
        Some(self.fit_part_with(data, usize::MAX, epoch, None))
    }

    fn fit_progress(&self) -> f64 {
        let Some(run) = &self.progress.fit else { return 0.0 };
        let epoch = self.progress.epoch.as_ref().map_or(0.0, |e| e.next as f64 / e.order.len().max(1) as f64);
        ((run.epochs as f64 + epoch) / self.params.max_epochs.max(1) as f64).min(1.0)
    }

    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let Some((network, z)) = self.standardized(x)? else {
            return Ok(DMatrix::zeros(x.nrows(), 1));
        };
        let (y, _) = network.forward_all(&z)?;
        Ok(match network.output() {
            Output::Sigmoid => {
                let n = y.nrows();
                DMatrix::from_fn(n, 2, |r, c| if c == 1 { y[(r, 0)] } else { 1.0 - y[(r, 0)] })
            }
            Output::Softmax | Output::Linear => y,
        })
    }

    fn objective(&self, data: &Dataset) -> Result<f64> {
        let Some((network, z)) = self.standardized(&data.x)? else {
            return Err(not_set_up());
        };
        let loss = self.loss.ok_or_else(not_set_up)?;
        if Some(data.task) != self.task {
            return Err(err!(InvalidData, "network_task_changed"));
        }
        check_shapes(data)?;
        let mut ws = Workspace::new(network, data.len(), false);
        let all: Vec<usize> = (0..data.len()).collect();
        fill_batch(&mut ws, &z, &data.y, &all, network.output());
        if let Some(w) = weights::sample_weights(self.params.class_weight.as_ref(), data)? {
            fill_weights(&mut ws, &w, w.iter().sum(), &all);
        }
        network.forward(&mut ws);
        Ok(network.batch_loss(&ws, loss) + network.penalty(self.params.l1, self.params.l2))
    }

    fn is_trained(&self) -> bool {
        self.epochs > 0
    }

    fn is_finite(&self) -> bool {
        self.network.as_ref().is_none_or(|n| n.is_finite())
    }

    /// [`Mlp::check_consistency`], and finite predictions around the training data's scale (a file's
    /// check; prediction and training run the cheaper structural check only).
    fn validate(&self) -> Result<()> {
        self.check_consistency()?;
        let max = crate::data::features::MAX_WEIGHT;
        if let Some(w) = self.network.as_ref().and_then(|n| n.params().iter().find(|w| !(w.abs() <= max))) {
            use super::file::{refuse, Damage};
            return refuse(
                "mlp",
                "network.params",
                if w.is_finite() { Damage::Beyond(max) } else { Damage::NotFinite },
            );
        }
        match &self.scaler {
            Some(scaler) if self.network.is_some() => {
                crate::data::features::check_probe(&self.predict(&scaler.probe())?, "mlp")
            }
            _ => Ok(()),
        }
    }

    fn summary(&self) -> Summary {
        if let Err(e) = self.check_consistency() {
            return Summary::new("damaged").with("error", &e);
        }
        let Some(network) = &self.network else {
            return Summary::new("network.untrained");
        };
        let hidden: usize = network.sizes().iter().skip(1).rev().skip(1).sum();
        let mut parameters = vec![
            ("hidden neurons".to_string(), hidden as f64),
            ("weights and biases".to_string(), network.params().len() as f64),
            ("epochs".to_string(), self.epochs as f64),
        ];
        if let Some(loss) = self.last_loss {
            parameters.push(("training objective".to_string(), loss));
        }
        let (layers, skips) = network_layers(network);
        let sizes = network.sizes();
        Summary::new(if skips { "network.skips" } else { "network" })
            .with("inputs", sizes[0])
            .with("n", sizes[0])
            .with("outputs", sizes[sizes.len() - 1])
            .formula(Formula::Network { layers, skips })
            .parameters(parameters)
            .update(self.optimizer.as_ref().and_then(|o| o.last_update()).cloned())
    }
    /// Classifiers run the grid in blocks with single-precision activations (drawing only: within
    /// `GRID_TOLERANCE` = 1e-5 of `predict`); regression networks go through `predict`.
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        Mlp::grid_probabilities(self, xs, ys).or_else(|| super::predict_grid(self, xs, ys))
    }
    fn loss_memory(&mut self) -> Option<&mut crate::optim::LossMemory> {
        Some(&mut self.loss_memory)
    }
}
