//! Pruning a trained network.
//!
//! - **Magnitude pruning** (unstructured) sets the weights of smallest |w| to zero and marks them
//!   pruned, so training afterwards (fine-tuning) leaves them exactly zero. `Global` ranks every
//!   weight of every layer together; `Layer` ranks each layer's weights on their own. Biases are
//!   never pruned. Exactly `round(sparsity · n)` weights are pruned (per layer for `Layer`), so
//!   the sparsity is exact; weights already zero count as the smallest. Ties in |w| are broken by
//!   position: the weight earlier in the parameter vector (layer by layer, each fan-in × fan-out
//!   matrix column by column) goes first — numpy's `argsort(abs(w), kind="stable")`.
//! - **Neuron pruning** (structured) removes whole hidden neurons, those whose
//!   `‖incoming weights‖₂ · ‖outgoing weights‖₂` is smallest (a neuron that receives or sends
//!   almost nothing matters little): `round(sparsity · width)` from each hidden layer for
//!   `Layer`, `round(sparsity · all hidden neurons)` ranked together for `Global`; every layer
//!   keeps at least one neuron. The network gets narrower, so its parameter count falls.
//!
//! With a dataset and `fine_tune_epochs`, the pruned network then trains that many epochs (its
//! own optimiser settings, the pruned weights held at zero). With `steps` > 1 pruning is
//! iterative: step `t` of `N` prunes to `s · (1 − (1 − t/N)³)` (Zhu & Gupta's 2017 schedule: fast
//! at first, gently near the end) and fine-tunes, so the weights left can take over the work of
//! those removed. One-shot pruning of a (16, 16) network on two moons to 80 % leaves a few of the
//! 32 input weights and the fine-tuning cannot recover; ten steps keep its accuracy (bench).

use super::trained_network;
use crate::data::Dataset;
use crate::error::{check_count, Result};
use crate::model::mlp::Network;
use crate::model::AnyModel;
use serde::{Deserialize, Serialize};

/// Which weights compete with which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// All layers together.
    #[default]
    Global,
    /// Each layer on its own.
    Layer,
}

/// What to prune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PruneOptions {
    /// The share of weights (or of hidden neurons, when structured) to remove, in [0, 1).
    pub sparsity: f64,
    pub scope: Scope,
    /// Remove whole neurons rather than single weights.
    pub structured: bool,
    /// Epochs of training after each pruning step (needs data).
    pub fine_tune_epochs: usize,
    /// Prune → fine-tune cycles, 1 (one shot) to 100, the sparsity rising on a cubic schedule.
    pub steps: usize,
    /// Seeds the fine-tuning's mini-batch order.
    pub seed: u64,
}

impl Default for PruneOptions {
    fn default() -> Self {
        PruneOptions { sparsity: 0.5, scope: Scope::Global, structured: false, fine_tune_epochs: 0, steps: 1, seed: 1 }
    }
}

/// At most this many fine-tuning epochs.
pub const MAX_FINE_TUNE_EPOCHS: usize = 10_000;

impl PruneOptions {
    pub fn check(&self) -> Result<()> {
        if !(self.sparsity.is_finite() && (0.0..1.0).contains(&self.sparsity)) {
            return Err(err!(InvalidParameter, "sparsity_range", got = self.sparsity));
        }
        check_count("fine-tuning epochs", self.fine_tune_epochs, 0, MAX_FINE_TUNE_EPOCHS)?;
        check_count("pruning steps", self.steps, 1, 100)?;
        if self.structured && self.steps > 1 {
            return Err(err!(InvalidParameter, "prune_steps_structured"));
        }
        Ok(())
    }

    /// The sparsity after step `t` of [`PruneOptions::steps`] (1-based).
    pub fn sparsity_at(&self, t: usize) -> f64 {
        let n = self.steps.max(1) as f64;
        self.sparsity * (1.0 - (1.0 - (t as f64 / n).min(1.0)).powi(3))
    }
}

/// Prunes a copy of the trained network `model` as `options` say, then fine-tunes it on `data`
/// when given; `model` is not changed.
pub fn prune(model: &AnyModel, options: &PruneOptions, data: Option<&Dataset>) -> Result<AnyModel> {
    options.check()?;
    trained_network(model, "prune")?;
    if options.fine_tune_epochs > 0 && data.is_none() {
        return Err(err!(InvalidParameter, "fine_tune_needs_data"));
    }
    let mut current = model.clone();
    for t in 1..=options.steps {
        let step = PruneOptions { sparsity: options.sparsity_at(t), ..options.clone() };
        current = prune_once(&current, &step)?;
        if let (Some(data), true) = (data, options.fine_tune_epochs > 0) {
            let mut rng = crate::data::rng(options.seed.wrapping_add(t as u64));
            for _ in 0..options.fine_tune_epochs {
                current.guarded_step(data, &mut rng)?;
            }
        }
    }
    Ok(current)
}

/// One pruning step to `options.sparsity`, without fine-tuning.
fn prune_once(model: &AnyModel, options: &PruneOptions) -> Result<AnyModel> {
    let mlp = trained_network(model, "prune")?;
    let network = mlp.network().ok_or_else(|| err!(InvalidInput, "not_fitted"))?;
    let mut pruned = mlp.clone();
    if options.structured {
        let slim = prune_neurons(network, options.sparsity, options.scope)?;
        pruned.replace_network(slim, None)?;
    } else {
        let mask = magnitude_mask(network, options.sparsity, options.scope);
        let mut params = network.params().to_vec();
        // Weights pruned before stay pruned.
        let mask: Vec<bool> = match mlp.pruned() {
            Some(old) => mask.iter().zip(old).map(|(a, b)| *a || *b).collect(),
            None => mask,
        };
        for (w, &p) in params.iter_mut().zip(&mask) {
            if p {
                *w = 0.0;
            }
        }
        let zeroed = Network::from_parts(
            network.sizes().to_vec(),
            network.activations().to_vec(),
            network.skips().to_vec(),
            network.output(),
            params,
        )?;
        pruned.replace_network(zeroed, Some(mask))?;
    }
    Ok(AnyModel::Mlp(pruned))
}

/// The weights magnitude pruning removes at `sparsity` (one flag per parameter; biases never):
/// see the module notes for the count and the tie-break.
pub fn magnitude_mask(network: &Network, sparsity: f64, scope: Scope) -> Vec<bool> {
    let params = network.params();
    let sizes = network.sizes();
    let blocks: Vec<(usize, usize)> =
        network_offsets(sizes).into_iter().enumerate().map(|(l, o)| (o, sizes[l] * sizes[l + 1])).collect();
    let mut mask = vec![false; params.len()];
    let mut prune_smallest = |indices: Vec<usize>| {
        let k = ((sparsity * indices.len() as f64).round() as usize).min(indices.len());
        let mut ranked = indices;
        // A stable sort by |w|: equal magnitudes keep their order in the parameter vector.
        ranked.sort_by(|&a, &b| params[a].abs().total_cmp(&params[b].abs()));
        for &i in &ranked[..k] {
            mask[i] = true;
        }
    };
    match scope {
        Scope::Global => prune_smallest(blocks.iter().flat_map(|&(o, n)| o..o + n).collect()),
        Scope::Layer => {
            for &(o, n) in &blocks {
                prune_smallest((o..o + n).collect());
            }
        }
    }
    mask
}

/// Why a network's weights cannot be read by layer: its parameters do not fill its layer sizes.
pub(crate) fn damage(network: &Network) -> crate::model::file::Damage {
    let expected = crate::model::mlp::network::parameter_count(network.sizes());
    crate::model::file::Damage::Length { got: network.params().len(), expected }
}

fn network_offsets(sizes: &[usize]) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut at = 0;
    for w in sizes.windows(2) {
        offsets.push(at);
        at += (w[0] + 1) * w[1];
    }
    offsets
}

/// Each hidden neuron's score `‖incoming‖₂ · ‖outgoing‖₂`, per hidden layer.
pub fn neuron_scores(network: &Network) -> Vec<Vec<f64>> {
    (1..=network.n_hidden())
        .map(|layer| {
            let (Some(incoming), Some(outgoing)) = (network.weights(layer - 1), network.weights(layer)) else {
                return Vec::new();
            };
            (0..incoming.ncols()).map(|j| incoming.column(j).norm() * outgoing.row(j).norm()).collect()
        })
        .collect()
}

/// A copy of `network` without the hidden neurons of smallest score (see the module notes).
pub fn prune_neurons(network: &Network, sparsity: f64, scope: Scope) -> Result<Network> {
    if network.skips().iter().flatten().any(Option::is_some) {
        return Err(err!(InvalidParameter, "prune_neurons_residual"));
    }
    if network.n_hidden() == 0 {
        return Err(err!(InvalidParameter, "prune_no_hidden"));
    }
    let scores = neuron_scores(network);
    // (layer, neuron) pairs to drop.
    let mut drop: Vec<Vec<bool>> = scores.iter().map(|s| vec![false; s.len()]).collect();
    let rank = |mut items: Vec<(usize, usize)>| {
        items.sort_by(|a, b| scores[a.0][a.1].total_cmp(&scores[b.0][b.1]));
        items
    };
    match scope {
        Scope::Layer => {
            for (l, s) in scores.iter().enumerate() {
                let k = ((sparsity * s.len() as f64).round() as usize).min(s.len() - 1);
                for (_, j) in rank((0..s.len()).map(|j| (l, j)).collect()).into_iter().take(k) {
                    drop[l][j] = true;
                }
            }
        }
        Scope::Global => {
            let all: Vec<(usize, usize)> =
                scores.iter().enumerate().flat_map(|(l, s)| (0..s.len()).map(move |j| (l, j))).collect();
            let mut k = (sparsity * all.len() as f64).round() as usize;
            for (l, j) in rank(all) {
                if k == 0 {
                    break;
                }
                // Every layer keeps one neuron.
                if drop[l].iter().filter(|d| !**d).count() > 1 {
                    drop[l][j] = true;
                    k -= 1;
                }
            }
        }
    }
    let sizes = network.sizes();
    let keep: Vec<Vec<usize>> = (0..sizes.len())
        .map(|i| match i.checked_sub(1).and_then(|h| drop.get(h)) {
            Some(d) => (0..d.len()).filter(|&j| !d[j]).collect(),
            None => (0..sizes[i]).collect(),
        })
        .collect();
    let new_sizes: Vec<usize> = keep.iter().map(Vec::len).collect();
    let mut params = Vec::new();
    for l in 0..sizes.len() - 1 {
        let (Some(w), Some(b)) = (network.weights(l), network.biases(l)) else {
            return Err(crate::model::file::damaged("mlp", "network.params", damage(network)));
        };
        for &j in &keep[l + 1] {
            params.extend(keep[l].iter().map(|&i| w[(i, j)]));
        }
        params.extend(keep[l + 1].iter().map(|&j| b[j]));
    }
    let skips = new_sizes[1..new_sizes.len() - 1].iter().map(|&w| vec![None; w]).collect();
    Network::from_parts(new_sizes, network.activations().to_vec(), skips, network.output(), params)
}
