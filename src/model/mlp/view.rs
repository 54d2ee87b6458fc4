//! A network's pictures as plain data: its diagram (weights, biases, skip connections, names) and
//! one thumbnail per hidden neuron over the plane; and its growth (Net2Net) as the trait's `grow`.
//! `render::network` draws the diagram and colours the thumbnails.

use super::{Activation, Mlp, Output};
use crate::data::{Dataset, Rng};
use crate::error::Result;
use crate::model::view::{
    FamilyView, Growth, NetworkDiagram, NeuronSum, QuantizedWeights, Thumbnail, ViewContext, ViewKind,
};
use crate::model::Model;

/// Most neuron thumbnails a network shows.
pub const MAX_THUMBNAILS: usize = 64;

impl NetworkDiagram {
    /// The diagram of `mlp`'s network (empty before the network is set up). Missing input names
    /// are `x1`, `x2`, …; the outputs are named from `class_names` (`P(class 1)` for a single
    /// logistic unit, each class for softmax, `ŷ` for regression; a missing class name is
    /// `class n`, which the page words in its language).
    pub fn new(mlp: &Mlp, input_names: &[String], class_names: &[String]) -> NetworkDiagram {
        let Some(network) = mlp.network() else { return NetworkDiagram::default() };
        let layer_sizes = mlp.layer_sizes();
        let weights = mlp
            .layer_weights()
            .iter()
            .map(|w| (0..w.nrows()).map(|i| w.row(i).iter().copied().collect()).collect())
            .collect();
        let biases = mlp.layer_biases().iter().map(|b| b.iter().copied().collect()).collect();
        let inputs = layer_sizes.first().copied().unwrap_or(0);
        let outputs = layer_sizes.last().copied().unwrap_or(0);
        let class = |c: usize| class_names.get(c).cloned().unwrap_or_else(|| format!("class {c}"));
        let (output_activation, output_names) = match network.output() {
            Output::Sigmoid => ("sigmoid", vec![format!("P({})", class(1))]),
            Output::Softmax => ("softmax", (0..outputs).map(class).collect()),
            Output::Linear => ("linear", vec!["ŷ".to_string(); outputs.min(1)]),
        };
        NetworkDiagram {
            weights,
            biases,
            skip_connections: mlp.skip_connections(),
            activations: mlp.hidden_activations().iter().map(|a| a.name().to_string()).collect(),
            output_activation: output_activation.into(),
            input_names: (0..inputs)
                .map(|f| input_names.get(f).cloned().unwrap_or_else(|| format!("x{}", f + 1)))
                .collect(),
            output_names,
            pruned: pruned_weights(mlp, network),
            frozen: mlp.params().frozen.clone(),
            quantized: network.quantized().map(|q| quantized_weights(q, network.sizes())),
            input_mean: mlp.scaler().map(|s| s.mean.clone()).unwrap_or_default(),
            input_scale: mlp.scaler().map(|s| s.scale.clone()).unwrap_or_default(),
            layer_sizes,
        }
    }

    /// Neuron `neuron` of layer `layer` (1 = first hidden, the last = output) at the input `point`
    /// (the plot's coordinates, scaled as the network scales its inputs), or at the training
    /// data's mean when there is none: its inputs, weights, bias, weighted sum and activation.
    /// `None` for a neuron the diagram does not have or a point of the wrong width.
    pub fn neuron_sum(&self, layer: usize, neuron: usize, point: Option<&[f64]>) -> Option<NeuronSum> {
        let sizes = &self.layer_sizes;
        let d = *sizes.first()?;
        if layer == 0 || layer >= sizes.len() || neuron >= sizes[layer] || point.is_some_and(|p| p.len() != d) {
            return None;
        }
        let mut values: Vec<f64> = match point {
            Some(p) => (0..d)
                .map(|j| (p[j] - self.input_mean.get(j).unwrap_or(&0.0)) / self.input_scale.get(j).unwrap_or(&1.0))
                .collect(),
            None => vec![0.0; d], // the mean, scaled
        };
        let last = sizes.len() - 1;
        for l in 1..=layer {
            let (w, b) = (self.weights.get(l - 1)?, self.biases.get(l - 1)?);
            let z: Vec<f64> =
                (0..sizes[l]).map(|j| (0..sizes[l - 1]).map(|i| w[i][j] * values[i]).sum::<f64>() + b[j]).collect();
            let skip = |j: usize| -> Option<f64> {
                let source = (*self.skip_connections.get(l - 1)?.get(j)?)?;
                values.get(source).copied()
            };
            let out: Vec<f64> = if l == last {
                match self.output_activation.as_str() {
                    "sigmoid" => z.iter().map(|&v| super::network::sigmoid(v)).collect(),
                    "softmax" => {
                        let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        let e: Vec<f64> = z.iter().map(|v| (v - top).exp()).collect();
                        let sum: f64 = e.iter().sum();
                        e.iter().map(|v| v / sum).collect()
                    }
                    _ => z.clone(),
                }
            } else {
                let name = self.activations.get(l - 1)?;
                let f = Activation::ALL.into_iter().find(|a| a.name() == name)?;
                (0..z.len()).map(|j| f.apply(z[j]) + skip(j).unwrap_or(0.0)).collect()
            };
            if l == layer {
                let skipped = if l == last { None } else { skip(neuron) };
                let activation =
                    if l == last { self.output_activation.clone() } else { self.activations.get(l - 1)?.clone() };
                return Some(NeuronSum {
                    layer,
                    neuron,
                    at_mean: point.is_none(),
                    weights: (0..sizes[l - 1]).map(|i| w[i][neuron]).collect(),
                    inputs: values,
                    bias: b[neuron],
                    z: z[neuron],
                    activation,
                    skip: skipped,
                    a: out[neuron],
                });
            }
            values = out;
        }
        None
    }
}

/// The pruning mask laid out as the diagram's weights (`[l][i][j]`); empty when nothing is pruned.
fn pruned_weights(mlp: &Mlp, network: &super::Network) -> Vec<Vec<Vec<bool>>> {
    let Some(mask) = mlp.pruned() else { return Vec::new() };
    let sizes = network.sizes();
    network
        .offsets()
        .into_iter()
        .enumerate()
        .filter(|(l, _)| l + 1 < sizes.len())
        .map(|(l, offset)| {
            let (fan_in, fan_out) = (sizes[l], sizes[l + 1]);
            (0..fan_in)
                .map(|i| (0..fan_out).map(|j| mask.get(offset + j * fan_in + i).copied().unwrap_or(false)).collect())
                .collect()
        })
        .collect()
}

/// The stored integers laid out as the diagram's weights, with the scales and zero points.
fn quantized_weights(q: &super::quantized::Quantized, sizes: &[usize]) -> QuantizedWeights {
    let integers = q
        .layers
        .iter()
        .enumerate()
        .filter(|(l, _)| l + 1 < sizes.len())
        .map(|(l, layer)| {
            let (fan_in, fan_out) = (sizes[l], sizes[l + 1]);
            (0..fan_in)
                .map(|i| (0..fan_out).map(|j| layer.values.get(j * fan_in + i).map_or(0, |&v| v as i32)).collect())
                .collect()
        })
        .collect();
    QuantizedWeights {
        bits: q.bits,
        integers,
        scales: q.layers.iter().map(|l| l.scales.clone()).collect(),
        zero_points: q.layers.iter().map(|l| l.zero_points.iter().map(|&z| z as i32).collect()).collect(),
    }
}

/// The range to colour a neuron's outputs with in [`neuron_thumbnail`]: the activation's natural
/// range with its neutral value in the middle (sigmoid `(0, 1)`, tanh `(−1, 1)`), widened to
/// cover `values` (skip connections can leave it); for the unbounded activations, `±` the largest
/// |value| (so 0 is white). Non-finite values are ignored.
pub fn activation_range(activation: Activation, values: &[f64]) -> (f64, f64) {
    let largest = values.iter().filter(|v| v.is_finite()).fold(0.0_f64, |m, v| m.max(v.abs()));
    match activation {
        Activation::Sigmoid => {
            let reach = values.iter().filter(|v| v.is_finite()).fold(0.5_f64, |m, v| m.max((v - 0.5).abs()));
            (0.5 - reach, 0.5 + reach)
        }
        Activation::Tanh => (-largest.max(1.0), largest.max(1.0)),
        Activation::Relu | Activation::LeakyRelu | Activation::Linear => {
            let m = if largest > 0.0 { largest } else { 1.0 };
            (-m, m)
        }
    }
}

impl Mlp {
    /// The network's diagram (its thumbnails come through [`Mlp::neuron_thumbnails`]).
    pub(super) fn family_view(&self, kind: ViewKind, ctx: &ViewContext) -> Option<FamilyView> {
        (kind == ViewKind::Network && self.is_trained())
            .then(|| FamilyView::Network(NetworkDiagram::new(self, ctx.feature_names, ctx.class_names)))
    }

    /// Each hidden neuron's output over the grid `xs` × `ys`, in layer order (at most
    /// [`MAX_THUMBNAILS`]), each with the range of its activation; empty unless the network is
    /// trained on two features.
    pub(super) fn neuron_thumbnails(&self, xs: &[f64], ys: &[f64]) -> Vec<Thumbnail> {
        if !self.is_trained() || self.layer_sizes().first() != Some(&2) {
            return Vec::new();
        }
        let outputs = self.grid_neuron_outputs(xs, ys);
        let activations = self.hidden_activations();
        let mut out = Vec::new();
        for (layer, h) in outputs.iter().enumerate().take(activations.len()) {
            for neuron in 0..h.ncols() {
                if out.len() == MAX_THUMBNAILS {
                    return out;
                }
                let values: Vec<f64> = h.column(neuron).iter().copied().collect();
                let range = activation_range(activations[layer], &values);
                out.push(Thumbnail { values, range });
            }
        }
        out
    }

    /// Grows the network without changing its predictions (Net2Net), setting it up on `data`
    /// first when it is untrained; on failure it is left as it was.
    pub(super) fn grow_by(&mut self, growth: Growth, data: &Dataset, rng: &mut Rng) -> Result<()> {
        if !self.is_trained() {
            self.initialize(data)?;
        }
        let mut grown = self.clone();
        match growth {
            Growth::Neuron { layer } => grown.add_neuron(layer, rng)?,
            Growth::Layer { after } => grown.add_layer(after)?,
        }
        *self = grown;
        Ok(())
    }
}
