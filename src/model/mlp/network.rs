//! The network behind [`super::Mlp`]: its layout in one flat parameter vector, the batched forward
//! and backward passes, and the penalty terms.
//!
//! A batch is a matrix with one row per example, so every layer is one matrix product
//! `Z = H_prev · W + 1 bᵀ` (`H_prev` batch × fan-in, `W` fan-in × fan-out). Layer `i` (0-based,
//! the last one is the output layer) stores its weights as a column-major fan-in × fan-out matrix
//! followed by its fan-out biases, all layers back to back in `params`, so the shared optimiser
//! updates the whole network in one call.
//!
//! A hidden neuron may have a *skip connection*: the value of one neuron of the previous layer is
//! added to its output, `h = f(z) + h_prev[source]`. With the residual toggle every neuron of a
//! hidden layer that has the width of the hidden layer before it gets the neuron at the same
//! position as source (`h_{l+1} = f(W h_l + b) + h_l`); growth keeps these maps consistent as widths
//! change (see [`super::grow`]).
//!
//! Every buffer a training step needs lives in a [`Workspace`] sized to the batch, so the hot loop
//! allocates nothing.

use super::quantized::Quantized;
use crate::data::gaussian;
use crate::data::Rng;
use crate::error::{Error, Result};
use crate::model::fast_math;
use nalgebra::DMatrix;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// At most this many hidden layers.
pub const MAX_HIDDEN_LAYERS: usize = 8;
/// At most this many neurons in a hidden layer.
pub const MAX_NEURONS: usize = 32;
/// At most this many input features (a feature map may widen the inputs).
pub const MAX_INPUTS: usize = 10_000;
/// At most this many classes.
pub const MAX_CLASSES: usize = 1_000;
/// The slope of leaky ReLU for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.01;

/// The nonlinearity of a hidden layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `1 / (1 + e^{−z})`, in (0, 1).
    Sigmoid,
    /// `tanh z`, in (−1, 1).
    #[default]
    Tanh,
    /// `max(0, z)`.
    Relu,
    /// `z` for z > 0, `0.01·z` otherwise.
    LeakyRelu,
    /// `z` (no nonlinearity).
    Linear,
}

impl Activation {
    /// All activations, in display order.
    pub const ALL: [Activation; 5] =
        [Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::LeakyRelu, Activation::Linear];

    /// The short name shown on the page.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky relu",
            Activation::Linear => "linear",
        }
    }

    /// `f(z)` (sigmoid and tanh through [`fast_math`]: vectorised, within 1·10⁻¹⁵ of libm's).
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Sigmoid => fast_math::sigmoid(z),
            Activation::Tanh => fast_math::tanh(z),
            Activation::Relu => {
                if z > 0.0 {
                    z
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE * z
                }
            }
            Activation::Linear => z,
        }
    }

    /// `f'(z)` written in terms of the output `a = f(z)`.
    pub fn derivative_at_output(self, a: f64) -> f64 {
        match self {
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu => {
                if a > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
            Activation::Linear => 1.0,
        }
    }

    /// True for the ReLU family, which gets He initialisation (the others get Xavier).
    pub fn is_relu_family(self) -> bool {
        matches!(self, Activation::Relu | Activation::LeakyRelu)
    }

    /// `f` applied in place (the match is outside the loop so the loop vectorises).
    fn apply_in_place(self, values: &mut [f64]) {
        match self {
            Activation::Sigmoid => fast_math::sigmoid_in_place(values),
            Activation::Tanh => fast_math::tanh_in_place(values),
            Activation::Relu => values.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { 0.0 }),
            Activation::LeakyRelu => values.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { LEAKY_SLOPE * *v }),
            Activation::Linear => {}
        }
    }

    /// `delta = grad ⊙ f'(z)`, with `f'` computed from the outputs `a`.
    fn backprop(self, grad: &[f64], a: &[f64], delta: &mut [f64]) {
        let it = delta.iter_mut().zip(grad.iter().zip(a));
        match self {
            Activation::Sigmoid => it.for_each(|(d, (g, a))| *d = g * a * (1.0 - a)),
            Activation::Tanh => it.for_each(|(d, (g, a))| *d = g * (1.0 - a * a)),
            Activation::Relu => it.for_each(|(d, (g, a))| *d = if *a > 0.0 { *g } else { 0.0 }),
            Activation::LeakyRelu => it.for_each(|(d, (g, a))| *d = if *a > 0.0 { *g } else { LEAKY_SLOPE * g }),
            Activation::Linear => delta.copy_from_slice(grad),
        }
    }
}

/// The logistic function, `1 / (1 + e^{−z})` (no overflow: `e^{709+}` is ∞ and gives 0).
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// `ln(1 + e^z)` without overflow.
fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// The output unit(s), fixed by the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// One logistic unit: the probability of class 1 (binary classification).
    Sigmoid,
    /// One unit per class, normalised by softmax (three or more classes).
    Softmax,
    /// One unit, the predicted number (regression).
    Linear,
}

/// The data term of the objective, averaged over the examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// `−Σ_k t_k ln p_k` (for one logistic unit `−t ln p − (1−t) ln(1−p)`); classification only.
    CrossEntropy,
    /// `Σ_units (output − target)²`: the squared error for regression; for classification the
    /// squared distance between the probabilities and the one-hot target over the output units
    /// (one unit for binary classification, k for softmax).
    Mse,
}

/// A feed-forward network: sizes, activations, skip connections and the flat parameter vector.
/// A quantised network's file holds its integer weights and the biases in place of `params`
/// ([`NetworkFile`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "NetworkFile", try_from = "NetworkFile")]
pub struct Network {
    /// Widths from input to output: `[d, h_1, …, h_L, k]`.
    sizes: Vec<usize>,
    /// The activation of each hidden layer (L entries).
    activations: Vec<Activation>,
    /// For each hidden layer, for each of its neurons, the neuron of the previous layer (the input
    /// for the first hidden layer) whose value is added to its output, if any.
    skips: Vec<Vec<Option<usize>>>,
    output: Output,
    /// Per layer: the fan-in × fan-out weights (column-major), then the fan-out biases.
    params: Vec<f64>,
    /// The integer form of the weights when the network is quantised (the weights in `params`
    /// are then exactly their dequantised values).
    quantized: Option<Quantized>,
}

/// A [`Network`] as a model file holds it: `params` for a float network; for a quantised one the
/// integer weights (`quantized`) and the biases of every layer one after another (`biases`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NetworkFile {
    sizes: Vec<usize>,
    activations: Vec<Activation>,
    skips: Vec<Vec<Option<usize>>>,
    output: Output,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    params: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    biases: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quantized: Option<Quantized>,
}

impl From<Network> for NetworkFile {
    fn from(n: Network) -> NetworkFile {
        let (params, biases) = match &n.quantized {
            Some(_) => {
                let biases = (0..=n.n_hidden()).filter_map(|l| n.biases(l)).flatten().collect();
                (None, Some(biases))
            }
            None => (Some(n.params), None),
        };
        NetworkFile {
            sizes: n.sizes,
            activations: n.activations,
            skips: n.skips,
            output: n.output,
            params,
            biases,
            quantized: n.quantized,
        }
    }
}

impl TryFrom<NetworkFile> for Network {
    type Error = Error;
    fn try_from(f: NetworkFile) -> Result<Network> {
        use crate::model::file::{damaged, out_of_range, Damage};
        let mut network = Network {
            sizes: f.sizes,
            activations: f.activations,
            skips: f.skips,
            output: f.output,
            params: Vec::new(),
            quantized: None,
        };
        match (f.params, f.biases, f.quantized) {
            (Some(params), None, None) => network.params = params,
            (None, Some(biases), Some(quantized)) => {
                if network.sizes.len() < 2 {
                    return Err(damaged(
                        "mlp",
                        "network.sizes",
                        out_of_range(network.sizes.len(), 2, MAX_HIDDEN_LAYERS + 2),
                    ));
                }
                // Bounded before anything is allocated from them (`validate` checks them again).
                let n = network.sizes.len();
                let fits = n <= MAX_HIDDEN_LAYERS + 2
                    && network.sizes[0] <= MAX_INPUTS
                    && network.sizes[1..n - 1].iter().all(|&w| w <= MAX_NEURONS)
                    && network.sizes[n - 1] <= MAX_CLASSES;
                let bias_count: usize = network.sizes[1..].iter().sum();
                if !fits {
                    // (`validate` names the layer that is too wide)
                    return Err(damaged("mlp", "network.biases", Damage::Mismatch("network.sizes".into())));
                }
                if biases.len() != bias_count {
                    let length = Damage::Length { got: biases.len(), expected: bias_count };
                    return Err(damaged("mlp", "network.biases", length));
                }
                quantized.validate(&network.sizes)?;
                network.params = vec![0.0; parameter_count(&network.sizes)];
                let mut b = biases.into_iter();
                for (l, offset) in layer_offsets_of(&network.sizes).into_iter().enumerate() {
                    let (fan_in, fan_out) = (network.sizes[l], network.sizes[l + 1]);
                    for i in 0..fan_in * fan_out {
                        network.params[offset + i] = quantized.weight(l, fan_in, i).unwrap_or(0.0);
                    }
                    for j in 0..fan_out {
                        network.params[offset + fan_in * fan_out + j] = b.next().unwrap_or(0.0);
                    }
                }
                network.quantized = Some(quantized);
            }
            _ => return Err(damaged("mlp", "network", Damage::Invalid("needs_weights"))),
        }
        Ok(network)
    }
}

/// Number of parameters of a network with these widths.
pub fn parameter_count(sizes: &[usize]) -> usize {
    sizes.windows(2).map(|w| (w[0] + 1) * w[1]).sum()
}

/// Start of each layer's block in the flat parameter vector.
pub(crate) fn layer_offsets_of(sizes: &[usize]) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(sizes.len().saturating_sub(1));
    let mut at = 0;
    for w in sizes.windows(2) {
        offsets.push(at);
        at += (w[0] + 1) * w[1];
    }
    offsets
}

impl Network {
    /// A freshly initialised network: Xavier-uniform weights (`U(±√(6/(fan_in+fan_out)))`) for
    /// sigmoid, tanh, linear and the output layer, He-normal (`N(0, 2/fan_in)`) for the ReLU family;
    /// zero biases. With `residual`, every hidden layer as wide as the hidden layer before it gets
    /// identity skip connections.
    pub fn new(
        sizes: Vec<usize>,
        activations: Vec<Activation>,
        output: Output,
        residual: bool,
        rng: &mut Rng,
    ) -> Result<Network> {
        let n_hidden = sizes.len().saturating_sub(2);
        let skips = (0..n_hidden)
            .map(|i| {
                let width = sizes[i + 1];
                if residual && i > 0 && sizes[i] == width {
                    (0..width).map(Some).collect()
                } else {
                    vec![None; width]
                }
            })
            .collect();
        let mut network = Network { params: Vec::new(), sizes, activations, skips, output, quantized: None };
        network.params = vec![0.0; parameter_count(&network.sizes)];
        network.validate()?;
        let offsets = layer_offsets_of(&network.sizes);
        for (i, &offset) in offsets.iter().enumerate() {
            let (fan_in, fan_out) = (network.sizes[i], network.sizes[i + 1]);
            let weights = &mut network.params[offset..offset + fan_in * fan_out];
            let he = network.activations.get(i).is_some_and(|a| a.is_relu_family());
            if he {
                let std = (2.0 / fan_in as f64).sqrt();
                weights.iter_mut().for_each(|w| *w = std * gaussian(rng));
            } else {
                let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
                weights.iter_mut().for_each(|w| *w = rng.random_range(-limit..limit));
            }
        }
        Ok(network)
    }

    /// Builds a network from given parts (for tests and imports), checking it.
    pub fn from_parts(
        sizes: Vec<usize>,
        activations: Vec<Activation>,
        skips: Vec<Vec<Option<usize>>>,
        output: Output,
        params: Vec<f64>,
    ) -> Result<Network> {
        let network = Network { sizes, activations, skips, output, params, quantized: None };
        network.validate()?;
        Ok(network)
    }

    /// The integer form of the weights, when the network is quantised.
    pub fn quantized(&self) -> Option<&Quantized> {
        self.quantized.as_ref()
    }

    /// Makes the network quantised: every weight becomes the value of its integer (the biases
    /// stay as they are).
    pub(crate) fn set_quantized(&mut self, quantized: Quantized) -> Result<()> {
        quantized.validate(&self.sizes)?;
        for (l, offset) in self.offsets().into_iter().enumerate() {
            let fan_in = self.sizes[l];
            for i in 0..fan_in * self.sizes[l + 1] {
                self.params[offset + i] = quantized.weight(l, fan_in, i).unwrap_or(0.0);
            }
        }
        self.quantized = Some(quantized);
        Ok(())
    }

    /// Forgets the integer form (training moves the weights off it); the weights keep their values.
    pub(crate) fn dequantize(&mut self) {
        self.quantized = None;
    }

    /// Checks every shape is consistent, so nothing below can index out of bounds.
    pub fn validate(&self) -> Result<()> {
        use crate::model::file::{out_of_range, refuse, Damage};
        let sizes = &self.sizes;
        if sizes.len() < 2 || sizes.len() > MAX_HIDDEN_LAYERS + 2 {
            return refuse("mlp", "network.sizes", out_of_range(sizes.len(), 2, MAX_HIDDEN_LAYERS + 2));
        }
        let n_hidden = sizes.len() - 2;
        if sizes[0] == 0 || sizes[0] > MAX_INPUTS {
            return refuse("mlp", "network.sizes[0]", out_of_range(sizes[0], 1, MAX_INPUTS));
        }
        if let Some(l) = (1..=n_hidden).find(|&l| sizes[l] == 0 || sizes[l] > MAX_NEURONS) {
            return refuse("mlp", format!("network.sizes[{l}]"), out_of_range(sizes[l], 1, MAX_NEURONS));
        }
        let k = sizes[n_hidden + 1];
        let outputs_ok = match self.output {
            Output::Sigmoid | Output::Linear => k == 1,
            Output::Softmax => (3..=MAX_CLASSES).contains(&k),
        };
        if !outputs_ok {
            return refuse(
                "mlp",
                format!("network.sizes[{}]", n_hidden + 1),
                Damage::Mismatch("network.output".into()),
            );
        }
        if self.activations.len() != n_hidden {
            let length = Damage::Length { got: self.activations.len(), expected: n_hidden };
            return refuse("mlp", "network.activations", length);
        }
        if self.skips.len() != n_hidden {
            return refuse("mlp", "network.skips", Damage::Length { got: self.skips.len(), expected: n_hidden });
        }
        for (i, skips) in self.skips.iter().enumerate() {
            if skips.len() != sizes[i + 1] {
                let length = Damage::Length { got: skips.len(), expected: sizes[i + 1] };
                return refuse("mlp", format!("network.skips[{i}]"), length);
            }
            if let Some(s) = skips.iter().flatten().find(|&&s| s >= sizes[i]) {
                let range = out_of_range(*s, 0, sizes[i].saturating_sub(1));
                return refuse("mlp", format!("network.skips[{i}]"), range);
            }
        }
        if self.params.len() != parameter_count(sizes) {
            let length = Damage::Length { got: self.params.len(), expected: parameter_count(sizes) };
            return refuse("mlp", "network.params", length);
        }
        Ok(())
    }

    /// Widths from input to output, `[d, h_1, …, h_L, k]`.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Number of hidden layers.
    pub fn n_hidden(&self) -> usize {
        self.sizes.len().saturating_sub(2)
    }

    pub fn activations(&self) -> &[Activation] {
        &self.activations
    }

    /// Per hidden layer, per neuron: the previous-layer neuron added by a skip connection.
    pub fn skips(&self) -> &[Vec<Option<usize>>] {
        &self.skips
    }

    pub fn output(&self) -> Output {
        self.output
    }

    /// All parameters, layer after layer (weights column-major, then biases).
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    pub(crate) fn params_mut(&mut self) -> &mut [f64] {
        &mut self.params
    }

    /// Where each layer's block starts in [`Network::params`].
    pub(crate) fn offsets(&self) -> Vec<usize> {
        layer_offsets_of(&self.sizes)
    }

    /// The fan-in × fan-out weight matrix of layer `layer` (0 = first hidden layer, the last is
    /// the output layer), or `None` past the end.
    pub fn weights(&self, layer: usize) -> Option<DMatrix<f64>> {
        self.validate().ok()?;
        let (fan_in, fan_out) = (*self.sizes.get(layer)?, *self.sizes.get(layer + 1)?);
        let offset = *self.offsets().get(layer)?;
        let block = self.params.get(offset..offset + fan_in * fan_out)?;
        Some(DMatrix::from_column_slice(fan_in, fan_out, block))
    }

    /// The biases of layer `layer`, or `None` past the end.
    pub fn biases(&self, layer: usize) -> Option<Vec<f64>> {
        self.validate().ok()?;
        let (fan_in, fan_out) = (*self.sizes.get(layer)?, *self.sizes.get(layer + 1)?);
        let offset = *self.offsets().get(layer)? + fan_in * fan_out;
        self.params.get(offset..offset + fan_out).map(|b| b.to_vec())
    }

    /// True when every parameter is finite.
    pub fn is_finite(&self) -> bool {
        self.params.iter().all(|p| p.is_finite())
    }

    /// Runs the network on `x` (n × d, already standardised): the output units (n × k, one column
    /// for a logistic or linear output) and every hidden layer's outputs. Fails on a damaged
    /// network or the wrong number of columns.
    pub fn forward_all(&self, x: &DMatrix<f64>) -> Result<(DMatrix<f64>, Vec<DMatrix<f64>>)> {
        self.check_inputs(x)?;
        let mut ws = Workspace::new(self, x.nrows(), false);
        ws.input.copy_from(x);
        self.forward(&mut ws);
        let Workspace { mut act, mut out, has_skip, .. } = ws;
        let y = act.pop().unwrap_or_else(|| DMatrix::zeros(x.nrows(), 0));
        let hidden = act
            .into_iter()
            .zip(out.iter_mut())
            .zip(&has_skip)
            .map(|((a, h), &skip)| if skip { std::mem::take(h) } else { a })
            .collect();
        Ok((y, hidden))
    }

    /// Checks the network is consistent and `x` has one column per input.
    fn check_inputs(&self, x: &DMatrix<f64>) -> Result<()> {
        self.validate()?;
        if x.ncols() != self.sizes[0] {
            return Err(err!(InvalidData, "feature_count", expected = self.sizes[0], got = x.ncols()));
        }
        Ok(())
    }

    /// The forward pass on `ws.input`, filling every activation of `ws`.
    pub(crate) fn forward(&self, ws: &mut Workspace) {
        let n_hidden = self.n_hidden();
        let Workspace { input, act, out, logits, offsets, has_skip, .. } = ws;
        for i in 0..=n_hidden {
            let (fan_in, fan_out) = (self.sizes[i], self.sizes[i + 1]);
            let offset = offsets[i];
            let (w, b) = self.params[offset..offset + (fan_in + 1) * fan_out].split_at(fan_in * fan_out);
            let (done, rest) = act.split_at_mut(i);
            let z = if i == n_hidden { &mut *logits } else { &mut rest[0] };
            {
                let prev: &DMatrix<f64> = if i == 0 {
                    input
                } else if has_skip[i - 1] {
                    &out[i - 1]
                } else {
                    &done[i - 1]
                };
                affine(prev.as_slice(), w, b, prev.nrows(), z.as_mut_slice());
            }
            if i == n_hidden {
                break;
            }
            self.activations[i].apply_in_place(z.as_mut_slice());
            if let Some(q) = self.quantized.as_ref().filter(|q| !q.activations.is_empty()) {
                z.iter_mut().for_each(|a| *a = q.activation(i, *a));
            }
            if has_skip[i] {
                let (out_done, out_rest) = out.split_at_mut(i);
                let prev: &DMatrix<f64> = if i == 0 {
                    input
                } else if has_skip[i - 1] {
                    &out_done[i - 1]
                } else {
                    &done[i - 1]
                };
                let h = &mut out_rest[0];
                h.copy_from(z);
                for (c, source) in self.skips[i].iter().enumerate() {
                    if let Some(s) = *source {
                        let mut column = h.column_mut(c);
                        column += prev.column(s);
                    }
                }
            }
        }
        let y = &mut act[n_hidden];
        match self.output {
            Output::Linear => y.copy_from(logits),
            Output::Sigmoid => y.zip_apply(logits, |p, z| *p = sigmoid(z)),
            Output::Softmax => {
                let (m, k) = logits.shape();
                let (zs, ps) = (logits.as_slice(), y.as_mut_slice());
                for r in 0..m {
                    let max = (0..k).map(|c| zs[r + c * m]).fold(f64::NEG_INFINITY, f64::max);
                    let mut sum = 0.0;
                    for c in 0..k {
                        let e = (zs[r + c * m] - max).exp();
                        ps[r + c * m] = e;
                        sum += e;
                    }
                    for c in 0..k {
                        ps[r + c * m] /= sum;
                    }
                }
            }
        }
    }

    /// The mean data loss of the last forward pass of `ws` against `ws.target` (weighted by
    /// `ws.row_weights` when it is set).
    pub(crate) fn batch_loss(&self, ws: &Workspace, loss: Loss) -> f64 {
        output_loss(self.output, loss, &ws.logits, &ws.act[self.n_hidden()], &ws.target, RowWeights::of(ws), None)
    }

    /// The backward pass after [`Network::forward`]: writes the gradient of the mean data loss
    /// over the batch (weighted by `ws.row_weights` when set) into `grad` (same layout as the
    /// parameters) and returns that mean loss.
    pub(crate) fn backward(&self, ws: &mut Workspace, loss: Loss, grad: &mut [f64]) -> f64 {
        self.backward_with(ws, Some(loss), None, grad)
    }

    /// [`Network::backward`] with the output term given by `term` in place of the loss: it gets the
    /// batch's logits, output units and targets, writes `∂(its value)/∂logits` into the delta and
    /// returns its value (distillation's mixed soft and hard loss).
    pub(crate) fn backward_custom(&self, ws: &mut Workspace, term: &OutputTerm, grad: &mut [f64]) -> f64 {
        self.backward_with(ws, None, Some(term), grad)
    }

    fn backward_with(
        &self,
        ws: &mut Workspace,
        loss: Option<Loss>,
        term: Option<&OutputTerm>,
        grad: &mut [f64],
    ) -> f64 {
        let n_hidden = self.n_hidden();
        let Workspace {
            row_weights,
            weight_normaliser,
            input,
            act,
            out,
            logits,
            target,
            grad_h,
            delta,
            offsets,
            has_skip,
            ..
        } = ws;
        let weights = match row_weights {
            Some(w) => RowWeights::Some(w, *weight_normaliser),
            None => RowWeights::None,
        };
        let mean_loss = match (term, loss) {
            (Some(term), _) => term(logits, &act[n_hidden], target, &mut delta[n_hidden]),
            (None, loss) => output_loss(
                self.output,
                loss.unwrap_or(Loss::Mse),
                logits,
                &act[n_hidden],
                target,
                weights,
                Some(&mut delta[n_hidden]),
            ),
        };
        for i in (0..=n_hidden).rev() {
            let (fan_in, fan_out) = (self.sizes[i], self.sizes[i + 1]);
            let offset = offsets[i];
            let (delta_before, delta_rest) = delta.split_at_mut(i);
            let d = &delta_rest[0];
            {
                let prev: &DMatrix<f64> = if i == 0 {
                    input
                } else if has_skip[i - 1] {
                    &out[i - 1]
                } else {
                    &act[i - 1]
                };
                let (gw, gb) = grad[offset..offset + (fan_in + 1) * fan_out].split_at_mut(fan_in * fan_out);
                // dW = H_prevᵀ · Δ, db = Δᵀ · 1.
                weight_gradient(prev.as_slice(), d.as_slice(), d.nrows(), gw, gb);
            }
            if i == 0 {
                break;
            }
            // dL/dH_prev = Δ · Wᵀ (plus what skip connections of layer i carry back).
            let (grad_before, grad_rest) = grad_h.split_at_mut(i);
            let g = &mut grad_before[i - 1];
            input_gradient(d.as_slice(), &self.params[offset..offset + fan_in * fan_out], d.nrows(), g.as_mut_slice());
            if i < n_hidden && has_skip[i] {
                let g_next = &grad_rest[0];
                for (c, source) in self.skips[i].iter().enumerate() {
                    if let Some(s) = *source {
                        let mut column = g.column_mut(s);
                        column += g_next.column(c);
                    }
                }
            }
            self.activations[i - 1].backprop(g.as_slice(), act[i - 1].as_slice(), delta_before[i - 1].as_mut_slice());
        }
        mean_loss
    }

    /// `l1·Σ|w| + l2·Σw²` over every weight (biases are not penalised).
    pub(crate) fn penalty(&self, l1: f64, l2: f64) -> f64 {
        if l1 == 0.0 && l2 == 0.0 {
            return 0.0;
        }
        self.weight_blocks().map(|ws| ws.iter().map(|w| l1 * w.abs() + l2 * w * w).sum::<f64>()).sum()
    }

    /// Adds the gradient of [`Network::penalty`] to `grad` (the L1 subgradient is 0 at w = 0).
    pub(crate) fn add_penalty_gradient(&self, l1: f64, l2: f64, grad: &mut [f64]) {
        if l1 == 0.0 && l2 == 0.0 {
            return;
        }
        for (i, offset) in self.offsets().into_iter().enumerate() {
            let n = self.sizes[i] * self.sizes[i + 1];
            for (g, &w) in grad[offset..offset + n].iter_mut().zip(&self.params[offset..offset + n]) {
                let sign = if w > 0.0 {
                    1.0
                } else if w < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                *g += l1 * sign + 2.0 * l2 * w;
            }
        }
    }

    /// Each layer's weights as a slice.
    fn weight_blocks(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.offsets()
            .into_iter()
            .enumerate()
            .map(move |(i, offset)| &self.params[offset..offset + self.sizes[i] * self.sizes[i + 1]])
    }

    /// The objective `mean loss + penalty` on (`x`, `target`) and its gradient, allocating its own
    /// workspace: for tests and one-off evaluations, not the training loop.
    pub fn objective_and_gradient(
        &self,
        x: &DMatrix<f64>,
        target: &DMatrix<f64>,
        loss: Loss,
        l1: f64,
        l2: f64,
    ) -> Result<(f64, Vec<f64>)> {
        self.weighted_objective_and_gradient(x, target, None, loss, l1, l2)
    }

    /// [`Network::objective_and_gradient`] with row `i`'s loss multiplied by `row_weights[i]`
    /// (positive and finite, one per row) and the weighted mean `Σ w_i·loss_i / Σ w_i` in place of
    /// the mean.
    pub fn weighted_objective_and_gradient(
        &self,
        x: &DMatrix<f64>,
        target: &DMatrix<f64>,
        row_weights: Option<&[f64]>,
        loss: Loss,
        l1: f64,
        l2: f64,
    ) -> Result<(f64, Vec<f64>)> {
        self.check_inputs(x)?;
        if let Some(w) = row_weights {
            if w.len() != x.nrows() || w.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
                return Err(err!(
                    InvalidData,
                    "internal",
                    detail = format!("expected {nrows} positive finite row weights", nrows = x.nrows())
                ));
            }
        }
        let k = self.sizes[self.sizes.len() - 1];
        if target.shape() != (x.nrows(), k) {
            return Err(err!(
                InvalidData,
                "internal",
                detail = format!(
                    "expected {nrows} × {k} targets but got {target} × {target2}",
                    nrows = x.nrows(),
                    k = k,
                    target = target.nrows(),
                    target2 = target.ncols()
                )
            ));
        }
        let mut ws = Workspace::new(self, x.nrows(), true);
        ws.input.copy_from(x);
        ws.target.copy_from(target);
        if let Some(w) = row_weights {
            ws.row_weights = Some(w.to_vec());
            ws.weight_normaliser = w.iter().sum();
        }
        self.forward(&mut ws);
        let mut grad = vec![0.0; self.params.len()];
        let data_loss = self.backward(&mut ws, loss, &mut grad);
        self.add_penalty_gradient(l1, l2, &mut grad);
        Ok((data_loss + self.penalty(l1, l2), grad))
    }

    /// Replaces the parameter vector (used by growth); the caller keeps shapes consistent.
    pub(crate) fn set_layout(
        &mut self,
        sizes: Vec<usize>,
        activations: Vec<Activation>,
        skips: Vec<Vec<Option<usize>>>,
        params: Vec<f64>,
    ) {
        self.sizes = sizes;
        self.activations = activations;
        self.skips = skips;
        self.params = params;
        self.quantized = None;
    }
}

// The three products of a layer, as plain loops over the column-major batch matrices (rows ×
// units): for the small widths of this playground (≤ 32 neurons, mini-batches of tens of rows) a
// general matrix product spends more on its set-up and packing than on the arithmetic. Rows go
// in blocks that stay in the L1 cache, the inner loops run down contiguous columns (so they
// vectorise with wasm SIMD), and every sum is taken in a fixed order, so results do not depend
// on how the work is cut.

/// Rows per block of [`affine`] and [`input_gradient`]: a block of the widest layer stays in L1.
const ROW_BLOCK: usize = 128;

/// `z = prev · W + 1 bᵀ`: `prev` m × fan-in, `W` fan-in × fan-out (column-major), `b` fan-out,
/// `z` m × fan-out, all column-major. `z[r, j] = b_j + Σ_i prev[r, i]·W[i, j]`, summed over `i`
/// in order.
fn affine(prev: &[f64], w: &[f64], b: &[f64], m: usize, z: &mut [f64]) {
    let fan_out = b.len();
    if m == 0 || fan_out == 0 {
        return;
    }
    let fan_in = w.len() / fan_out;
    for start in (0..m).step_by(ROW_BLOCK) {
        let end = (start + ROW_BLOCK).min(m);
        for (j, (wj, &bj)) in w.chunks_exact(fan_in.max(1)).zip(b).enumerate() {
            let zc = &mut z[j * m + start..j * m + end];
            zc.fill(bj);
            for (i, &wij) in wj.iter().enumerate().take(fan_in) {
                let pc = &prev[i * m + start..i * m + end];
                for (zr, &p) in zc.iter_mut().zip(pc) {
                    *zr += p * wij;
                }
            }
        }
    }
}

/// `Σ_r a_r·b_r` with four running sums (so it vectorises), combined as `(s0 + s1) + (s2 + s3)`
/// and the remainder added in order.
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (a4.remainder(), b4.remainder());
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            s[k] += x[k] * y[k];
        }
    }
    let mut total = (s[0] + s[1]) + (s[2] + s[3]);
    for (x, y) in ra.iter().zip(rb) {
        total += x * y;
    }
    total
}

/// `Σ_r a_r` as [`dot`] sums.
#[inline(always)]
fn sum(a: &[f64]) -> f64 {
    let mut s = [0.0; 4];
    let a4 = a.chunks_exact(4);
    let rest = a4.remainder();
    for x in a4 {
        for k in 0..4 {
            s[k] += x[k];
        }
    }
    let mut total = (s[0] + s[1]) + (s[2] + s[3]);
    for x in rest {
        total += x;
    }
    total
}

/// The weight and bias gradients of a layer: `gw = prevᵀ · Δ` (fan-in × fan-out, column-major)
/// and `gb = Δᵀ · 1`, from `prev` (m × fan-in) and `Δ` (m × fan-out).
fn weight_gradient(prev: &[f64], delta: &[f64], m: usize, gw: &mut [f64], gb: &mut [f64]) {
    let fan_out = gb.len();
    if fan_out == 0 {
        return;
    }
    if m == 0 {
        gw.fill(0.0);
        gb.fill(0.0);
        return;
    }
    let fan_in = gw.len() / fan_out;
    for (j, (dc, g)) in delta.chunks_exact(m).zip(gb.iter_mut()).enumerate() {
        *g = sum(dc);
        for (i, pc) in prev.chunks_exact(m).enumerate().take(fan_in) {
            gw[i + j * fan_in] = dot(pc, dc);
        }
    }
}

/// `g = Δ · Wᵀ` (m × fan-in): what the layer's inputs get back, from `Δ` (m × fan-out) and `W`
/// (fan-in × fan-out, column-major); `g[r, i] = Σ_j Δ[r, j]·W[i, j]`, summed over `j` in order.
fn input_gradient(delta: &[f64], w: &[f64], m: usize, g: &mut [f64]) {
    if m == 0 {
        return;
    }
    let fan_in = g.len() / m;
    let fan_out = delta.len() / m;
    for start in (0..m).step_by(ROW_BLOCK) {
        let end = (start + ROW_BLOCK).min(m);
        for i in 0..fan_in {
            let gc = &mut g[i * m + start..i * m + end];
            gc.fill(0.0);
            for j in 0..fan_out {
                let wij = w[i + j * fan_in];
                let dc = &delta[j * m + start..j * m + end];
                for (gr, &d) in gc.iter_mut().zip(dc) {
                    *gr += d * wij;
                }
            }
        }
    }
}

/// A replacement for the loss at the output: `(logits, outputs, targets, delta) → value`, all
/// batch × units; it writes `∂value/∂logits` into `delta`.
pub(crate) type OutputTerm<'a> = dyn Fn(&DMatrix<f64>, &DMatrix<f64>, &DMatrix<f64>, &mut DMatrix<f64>) -> f64 + 'a;

/// How the rows of a batch count in its mean loss.
#[derive(Clone, Copy)]
enum RowWeights<'a> {
    /// Every row weighs 1; the mean divides by the number of rows.
    None,
    /// Row `r` weighs `weights[r]`; the sum divides by the normaliser.
    Some(&'a [f64], f64),
}

impl<'a> RowWeights<'a> {
    fn of(ws: &'a Workspace) -> Self {
        match &ws.row_weights {
            Some(w) => RowWeights::Some(w, ws.weight_normaliser),
            None => RowWeights::None,
        }
    }
}

/// The mean loss over the rows, and (if asked) `delta = ∂(mean loss)/∂logits`; weighted rows give
/// `Σ_r w_r·loss_r / normaliser`. The unweighted and weighted versions are one generic body, so a
/// weight of exactly 1 reproduces the unweighted numbers bit for bit.
fn output_loss(
    output: Output,
    loss: Loss,
    logits: &DMatrix<f64>,
    y: &DMatrix<f64>,
    target: &DMatrix<f64>,
    weights: RowWeights,
    delta: Option<&mut DMatrix<f64>>,
) -> f64 {
    let m = y.nrows();
    if m == 0 {
        return 0.0;
    }
    match weights {
        // `|_| 1.0` folds away: the unweighted path is the plain mean.
        RowWeights::None => output_loss_with(output, loss, logits, y, target, delta, |_| 1.0, 1.0 / m as f64),
        RowWeights::Some(w, normaliser) => output_loss_with(
            output,
            loss,
            logits,
            y,
            target,
            delta,
            |r| w.get(r).copied().unwrap_or(1.0),
            1.0 / normaliser,
        ),
    }
}

/// [`output_loss`] with row `r` weighing `row_weight(r)` and the weighted sum multiplied by `scale`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn output_loss_with(
    output: Output,
    loss: Loss,
    logits: &DMatrix<f64>,
    y: &DMatrix<f64>,
    target: &DMatrix<f64>,
    delta: Option<&mut DMatrix<f64>>,
    row_weight: impl Fn(usize) -> f64,
    scale: f64,
) -> f64 {
    let (m, k) = y.shape();
    let (zs, ps, ts) = (logits.as_slice(), y.as_slice(), target.as_slice());
    let mut total = 0.0;
    // Writes `value(p, t) · row_weight(r) · scale` into every entry of delta, column by column.
    #[inline(always)]
    fn fill(
        d: &mut DMatrix<f64>,
        (ps, ts, m): (&[f64], &[f64], usize),
        row_weight: &impl Fn(usize) -> f64,
        scale: f64,
        value: impl Fn(f64, f64) -> f64,
    ) {
        for (dc, (pc, tc)) in d.as_mut_slice().chunks_exact_mut(m).zip(ps.chunks_exact(m).zip(ts.chunks_exact(m))) {
            for (r, (d, (&p, &t))) in dc.iter_mut().zip(pc.iter().zip(tc)).enumerate() {
                *d = value(p, t) * (row_weight(r) * scale);
            }
        }
    }
    let rows = (ps, ts, m);
    match (output, loss) {
        (Output::Sigmoid, Loss::CrossEntropy) => {
            // −t ln p − (1−t) ln(1−p) = softplus(z) − t·z, exact for any logit.
            total = zs.iter().zip(ts).enumerate().map(|(r, (&z, &t))| row_weight(r) * (softplus(z) - t * z)).sum();
            if let Some(d) = delta {
                fill(d, rows, &row_weight, scale, |p, t| p - t);
            }
        }
        (Output::Softmax, Loss::CrossEntropy) => {
            for r in 0..m {
                let max = (0..k).map(|c| zs[r + c * m]).fold(f64::NEG_INFINITY, f64::max);
                let log_sum = max + (0..k).map(|c| (zs[r + c * m] - max).exp()).sum::<f64>().ln();
                total += row_weight(r) * (0..k).map(|c| ts[r + c * m] * (log_sum - zs[r + c * m])).sum::<f64>();
            }
            if let Some(d) = delta {
                fill(d, rows, &row_weight, scale, |p, t| p - t);
            }
        }
        (_, Loss::Mse) | (Output::Linear, Loss::CrossEntropy) => {
            // Cross-entropy never reaches a linear output (the model refuses it); treat it as mse.
            total = ps.iter().zip(ts).enumerate().map(|(i, (p, t))| row_weight(i % m) * ((p - t) * (p - t))).sum();
            if let Some(d) = delta {
                match output {
                    Output::Linear => fill(d, rows, &row_weight, scale, |p, t| 2.0 * (p - t)),
                    Output::Sigmoid => fill(d, rows, &row_weight, scale, |p, t| 2.0 * (p - t) * p * (1.0 - p)),
                    Output::Softmax => {
                        // Through the softmax Jacobian: δ_c = p_c (g_c − Σ_j p_j g_j), g = 2(p − t).
                        let ds = d.as_mut_slice();
                        for r in 0..m {
                            let dot: f64 = (0..k).map(|c| ps[r + c * m] * 2.0 * (ps[r + c * m] - ts[r + c * m])).sum();
                            for c in 0..k {
                                let i = r + c * m;
                                ds[i] = ps[i] * (2.0 * (ps[i] - ts[i]) - dot) * (row_weight(r) * scale);
                            }
                        }
                    }
                }
            }
        }
    }
    total * scale
}

/// Every buffer one forward + backward pass over a batch of a fixed number of rows needs.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    /// The batch's (standardised) inputs, rows × d.
    pub(crate) input: DMatrix<f64>,
    /// The batch's targets, rows × k: 0/1 for a logistic output, one-hot for softmax, values for
    /// regression.
    pub(crate) target: DMatrix<f64>,
    /// `f(z)` of each layer; the last entry holds the output units (probabilities or values).
    act: Vec<DMatrix<f64>>,
    /// `f(z) + skip` of each hidden layer that has skip connections (0 × 0 otherwise).
    out: Vec<DMatrix<f64>>,
    /// The output layer's `z`.
    logits: DMatrix<f64>,
    /// `∂L/∂h` of each hidden layer (training only).
    grad_h: Vec<DMatrix<f64>>,
    /// `∂L/∂z` of each layer (training only).
    delta: Vec<DMatrix<f64>>,
    offsets: Vec<usize>,
    has_skip: Vec<bool>,
    /// Each row's weight in the mean loss (class weights); `None` for all 1.
    pub(crate) row_weights: Option<Vec<f64>>,
    /// What the weighted loss sum is divided by when `row_weights` is set.
    pub(crate) weight_normaliser: f64,
}

impl Workspace {
    /// Buffers for `rows` examples through `network`; `training` adds the backward-pass buffers.
    pub(crate) fn new(network: &Network, rows: usize, training: bool) -> Workspace {
        let sizes = &network.sizes;
        let n_hidden = network.n_hidden();
        let k = sizes.last().copied().unwrap_or(1);
        let has_skip: Vec<bool> = network.skips.iter().map(|s| s.iter().any(Option::is_some)).collect();
        let per_layer =
            |count: usize| -> Vec<DMatrix<f64>> { (0..count).map(|i| DMatrix::zeros(rows, sizes[i + 1])).collect() };
        Workspace {
            input: DMatrix::zeros(rows, sizes.first().copied().unwrap_or(0)),
            target: DMatrix::zeros(rows, k),
            act: per_layer(n_hidden + 1),
            out: (0..n_hidden)
                .map(|i| if has_skip[i] { DMatrix::zeros(rows, sizes[i + 1]) } else { DMatrix::zeros(0, 0) })
                .collect(),
            logits: DMatrix::zeros(rows, k),
            grad_h: if training { per_layer(n_hidden) } else { Vec::new() },
            delta: if training { per_layer(n_hidden + 1) } else { Vec::new() },
            offsets: layer_offsets_of(sizes),
            has_skip,
            row_weights: None,
            weight_normaliser: rows as f64,
        }
    }
}
