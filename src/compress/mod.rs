//! Compressing a trained model and measuring what it costs: magnitude and neuron pruning
//! ([`prune`]), quantisation to a few bits per weight ([`quantize`]), knowledge distillation into
//! a smaller network ([`distill`]), ensembles of small networks ([`ensemble`]), and the size of a
//! model as stored ([`size`]). Freezing layers
//! is a field of the network's params (`MlpParams::frozen`), honoured by its training.
//!
//! Every operation takes a model and returns a new one; the original is kept. This module sits
//! above `model` (it reads and rebuilds networks) and below `session` and `web`.

pub mod compare;
pub mod distill;
pub mod prune;
pub mod quantize;
pub mod setup;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::model::ensemble::EnsembleParams;
use crate::model::mlp::Mlp;
use crate::model::{AnyModel, Hyperparams, Model, ModelParams};
use serde::{Deserialize, Serialize};

/// How big a model is: its parameters, how many of them are not zero, and the bytes of its
/// compact binary form (see [`size`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Size {
    pub parameters: usize,
    pub nonzero: usize,
    pub bytes: usize,
}

/// The size of a network (or an ensemble of them, or a logistic model) as stored: every parameter counted (weights and biases), the non-zero
/// ones, and the bytes of the compact binary form of what its model file holds:
/// - a float network: 8 bytes per parameter (the `f64` it computes with);
/// - a pruned one: a bit per weight saying whether it is kept, 8 bytes per kept weight and per bias
///   (when that is smaller than dense);
/// - a quantised one: its integers packed at their bits, 4 bytes per scale, 1 per zero point, and
///   8 bytes per bias.
pub fn size(model: &AnyModel) -> Result<Size> {
    match model {
        // An ensemble stores every member.
        AnyModel::Ensemble(e) if e.is_trained() => {
            e.members().iter().try_fold(Size { parameters: 0, nonzero: 0, bytes: 0 }, |total, m| {
                let s = network_size(m)?;
                Ok(Size {
                    parameters: total.parameters + s.parameters,
                    nonzero: total.nonzero + s.nonzero,
                    bytes: total.bytes + s.bytes,
                })
            })
        }
        // A logistic model (a distilled student) stores its weights and intercepts, and the mean
        // and spread of each feature, 8 bytes each.
        AnyModel::Logistic(m) if m.is_trained() => {
            let c = m.standardized_coefficients();
            let values: Vec<f64> = c.weights.iter().flatten().chain(&c.intercepts).copied().collect();
            let features = c.feature_names.len();
            Ok(Size {
                parameters: values.len(),
                nonzero: values.iter().filter(|v| **v != 0.0).count(),
                bytes: 8 * (values.len() + 2 * features),
            })
        }
        _ => network_size(trained_network(model, "size")?),
    }
}

/// The bytes of a decision tree's compact binary form: the node arrays `predict` reads (scikit-learn's
/// `tree_` layout, without the impurities and sample counts), for every node two child indices and
/// a feature (4 bytes each), a threshold and the node's `n_outputs` values (8 bytes each).
pub fn tree_size(tree: &crate::model::tree::DecisionTree) -> usize {
    let a = tree.arrays();
    a.node_count() * (3 * 4 + 8 + 8 * a.n_outputs)
}

fn network_size(mlp: &Mlp) -> Result<Size> {
    let Some(network) = mlp.network() else {
        return Err(not_trained("measuring its size"));
    };
    let params = network.params();
    let sizes = network.sizes();
    let n_weights: usize = sizes.windows(2).map(|w| w[0] * w[1]).sum();
    let n_biases = params.len() - n_weights;
    let nonzero = params.iter().filter(|w| **w != 0.0).count();
    let bytes = match network.quantized() {
        Some(q) => q.bytes() + 8 * n_biases,
        None => {
            let dense = 8 * params.len();
            match mlp.pruned() {
                Some(pruned) => {
                    let kept = pruned.iter().filter(|p| !**p).count() - n_biases;
                    dense.min(n_weights.div_ceil(8) + 8 * (kept + n_biases))
                }
                None => dense,
            }
        }
    };
    Ok(Size { parameters: params.len(), nonzero, bytes })
}

/// How to build an ensemble ([`ensemble`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnsembleOptions {
    pub members: usize,
    pub bootstrap: bool,
    pub seed: u64,
}

impl Default for EnsembleOptions {
    fn default() -> Self {
        EnsembleOptions { members: 5, bootstrap: true, seed: 1 }
    }
}

/// Trains `options.members` networks with the settings `params` (each from its own seed, on its
/// own bootstrap sample when `bootstrap`) and returns their average
/// ([`crate::model::ensemble`]).
pub fn ensemble(params: &ModelParams, data: &Dataset, options: &EnsembleOptions) -> Result<AnyModel> {
    let ModelParams::Mlp(network) = params else {
        return Err(err!(InvalidParameter, "ensemble_needs_network", model = params.kind()));
    };
    let params = EnsembleParams {
        members: options.members,
        bootstrap: options.bootstrap,
        hidden_layers: network.hidden_layers.clone(),
        l2: network.l2,
        train: network.train,
        max_epochs: network.max_epochs,
    };
    let mut model = params.build(options.seed)?;
    model.fit(data)?;
    Ok(AnyModel::Ensemble(model))
}

/// The network inside `model`, which must be a trained neural network (`doing` names the
/// operation as a key the page words, `err.doing.<doing>`: prune, quantize, size).
pub(crate) fn trained_network<'a>(model: &'a AnyModel, doing: &str) -> Result<&'a Mlp> {
    match model {
        AnyModel::Mlp(mlp) if mlp.is_trained() && mlp.network().is_some() => Ok(mlp),
        AnyModel::Mlp(_) => Err(not_trained(doing)),
        _ => Err(err!(InvalidParameter, "compress_needs_network", doing = doing)),
    }
}

fn not_trained(doing: &str) -> Error {
    err!(InvalidInput, "compress_untrained", doing = doing)
}
