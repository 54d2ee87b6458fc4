//! Quantising a trained network's weights to a few bits (post-training quantisation).
//!
//! With `b` bits the integers lie in `[−2^(b−1), 2^(b−1) − 1]` (int8: −128 to 127). Per tensor
//! (one scale per layer) or per channel (one per output neuron):
//! - **symmetric**: `s = max|w| / (2^(b−1) − 1)`, `z = 0`, `q = clamp(round(w / s), −(2^(b−1) − 1),
//!   2^(b−1) − 1)` (the range kept symmetric, so −w ↦ −q);
//! - **asymmetric**: the range `[min(w, 0), max(w, 0)]` is mapped onto the integers:
//!   `s = (max − min) / (2^b − 1)`, `z = clamp(round(q_min − min / s))`, `q = clamp(round(w / s) + z)`;
//! - **binary** (1 bit, always symmetric): `q = sign(w)` (0 counts as +), `s = mean |w|`
//!   (XNOR-Net's scale, the least-squares one for signs).
//!
//! `round` rounds halves to even, as numpy does; a tensor of zeros gets `s = 1`. The network then
//! computes with `w = (q − z) · s` in f32 ([`crate::model::mlp::quantized`]); its biases stay
//! floating point.
//!
//! **Activations** (optional): each hidden layer's outputs (after its activation function) are
//! quantised to the same bits with one scale per layer (per tensor), chosen from their range on
//! the training data as the weight-quantised network computes them: symmetric
//! `s = max|a| / (2^(b−1) − 1)`; asymmetric over `[min(a, 0), max(a, 0)]` as for weights; binary
//! `s = mean |a|`. The network then rounds them at every prediction (`Quantized::activation`,
//! in f32). The output layer's scores are left as they are (the probabilities need them).

use super::trained_network;
use crate::data::Dataset;
use crate::error::Result;
use crate::model::mlp::quantized::{ActivationScale, Quantized, QuantizedLayer};
use crate::model::AnyModel;
use serde::{Deserialize, Serialize};

/// How to quantise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuantizeOptions {
    /// Bits per weight: 1 (binary) or 2 to 8.
    pub bits: u8,
    /// One scale per output neuron rather than per layer.
    pub per_channel: bool,
    /// Zero maps to the integer 0 (no zero point).
    pub symmetric: bool,
    /// Quantise the hidden layers' outputs too (needs the training data for their range).
    pub activations: bool,
}

impl Default for QuantizeOptions {
    fn default() -> Self {
        QuantizeOptions { bits: 8, per_channel: false, symmetric: true, activations: false }
    }
}

impl QuantizeOptions {
    pub fn check(&self) -> Result<()> {
        if !(1..=8).contains(&self.bits) {
            return Err(err!(InvalidParameter, "bits_range", got = self.bits));
        }
        Ok(())
    }
}

/// A copy of the trained network `model` with its weights quantised as `options` say (activations
/// too need [`quantize_calibrated`]).
pub fn quantize(model: &AnyModel, options: &QuantizeOptions) -> Result<AnyModel> {
    quantize_calibrated(model, options, None)
}

/// [`quantize`], with the activations' ranges read from `data` (the training rows) when
/// `options.activations`.
pub fn quantize_calibrated(model: &AnyModel, options: &QuantizeOptions, data: Option<&Dataset>) -> Result<AnyModel> {
    options.check()?;
    if options.activations && data.is_none_or(|d| d.is_empty()) {
        return Err(err!(InvalidInput, "quantize_activations_need_data"));
    }
    let mlp = trained_network(model, "quantize")?;
    let Some(network) = mlp.network() else {
        return Err(err!(InvalidInput, "not_fitted"));
    };
    let sizes = network.sizes();
    let layers = (0..sizes.len() - 1)
        .map(|l| {
            let w = network.weights(l).ok_or_else(|| {
                crate::model::file::damaged("mlp", "network.params", crate::compress::prune::damage(network))
            })?;
            Ok(quantize_matrix(w.as_slice(), w.nrows(), options))
        })
        .collect::<Result<Vec<_>>>()?;
    let symmetric = options.symmetric || options.bits == 1;
    let quantized =
        Quantized { bits: options.bits, per_channel: options.per_channel, symmetric, layers, activations: Vec::new() };
    let mut new_network = network.clone();
    new_network.set_quantized(quantized.clone())?;
    if let (true, Some(data)) = (options.activations, data) {
        // The ranges of the hidden outputs of the weight-quantised network on the training rows.
        let z = mlp.scaler().ok_or_else(|| err!(InvalidInput, "not_fitted"))?.transform(&data.x);
        let (_, hidden) = new_network.forward_all(&z)?;
        let activations = hidden.iter().map(|h| activation_scale(h.as_slice(), options.bits, symmetric)).collect();
        new_network.set_quantized(Quantized { activations, ..quantized })?;
    }
    let mut out = mlp.clone();
    // A pruned weight quantises to 0 in a symmetric scheme; asymmetric it may not, so the mask
    // stays only where the weights are still zero.
    let mask =
        mlp.pruned().map(|m| m.iter().zip(new_network.params()).map(|(&p, &w)| p && w == 0.0).collect::<Vec<bool>>());
    out.replace_network(new_network, mask)?;
    Ok(AnyModel::Mlp(out))
}

/// The scale (and zero point) of one layer's outputs `values` (see the module notes).
pub fn activation_scale(values: &[f64], bits: u8, symmetric: bool) -> ActivationScale {
    if bits <= 1 {
        let mean = values.iter().map(|v| v.abs()).sum::<f64>() / values.len().max(1) as f64;
        return ActivationScale { scale: positive(mean as f32), zero_point: 0 };
    }
    let (q_min, q_max) = Quantized::range(bits);
    if symmetric {
        let max = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        ActivationScale { scale: positive((max / q_max as f64) as f32), zero_point: 0 }
    } else {
        let low = values.iter().fold(0.0f64, |m, &v| m.min(v));
        let high = values.iter().fold(0.0f64, |m, &v| m.max(v));
        let scale = positive(((high - low) / (q_max - q_min) as f64) as f32);
        let zero = clamp((q_min as f64 - low / scale as f64).round_ties_even(), q_min, q_max);
        ActivationScale { scale, zero_point: zero }
    }
}

/// Quantises a column-major `rows × columns` matrix (`values.len() = rows · columns`).
pub fn quantize_matrix(values: &[f64], rows: usize, options: &QuantizeOptions) -> QuantizedLayer {
    let columns = values.len().checked_div(rows).unwrap_or(0);
    let groups: Vec<&[f64]> =
        if options.per_channel { values.chunks(rows.max(1)).take(columns).collect() } else { vec![values] };
    let (mut out, mut scales, mut zeros) = (Vec::with_capacity(values.len()), Vec::new(), Vec::new());
    for group in groups {
        let (q, s, z) = quantize_group(group, options);
        out.extend(q);
        scales.push(s);
        if let Some(z) = z {
            zeros.push(z);
        }
    }
    QuantizedLayer { values: out, scales, zero_points: zeros }
}

/// One group's integers, scale and (asymmetric) zero point.
fn quantize_group(w: &[f64], options: &QuantizeOptions) -> (Vec<i8>, f32, Option<i8>) {
    let bits = options.bits;
    if bits == 1 {
        let mean = w.iter().map(|v| v.abs()).sum::<f64>() / w.len().max(1) as f64;
        let scale = if mean > 0.0 { mean as f32 } else { 1.0 };
        return (w.iter().map(|&v| if v < 0.0 { -1 } else { 1 }).collect(), positive(scale), None);
    }
    let (q_min, q_max) = Quantized::range(bits);
    if options.symmetric {
        let max = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let scale = positive((max / q_max as f64) as f32);
        let q = w.iter().map(|&v| clamp((v / scale as f64).round_ties_even(), -q_max, q_max)).collect();
        (q, scale, None)
    } else {
        let low = w.iter().fold(0.0f64, |m, &v| m.min(v));
        let high = w.iter().fold(0.0f64, |m, &v| m.max(v));
        let scale = positive(((high - low) / (q_max - q_min) as f64) as f32);
        let zero = clamp((q_min as f64 - low / scale as f64).round_ties_even(), q_min, q_max);
        let q = w.iter().map(|&v| clamp((v / scale as f64).round_ties_even() + zero as f64, q_min, q_max)).collect();
        (q, scale, Some(zero))
    }
}

/// A scale that can divide: 1 for an all-zero group (or a scale that underflowed).
fn positive(scale: f32) -> f32 {
    if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    }
}

fn clamp(v: f64, low: i32, high: i32) -> i8 {
    v.clamp(low as f64, high as f64) as i8
}
