//! How a quantised network stores its weights: small integers and a scale (and, when
//! asymmetric, a zero point) per layer or per output neuron, so a model file holds the integers
//! and the size shown is the real size. Biases stay floating-point numbers.
//!
//! A weight is `w = (q − z) · s`, computed in single precision (`f32`) as a quantised kernel
//! would, then widened to the `f64` the network computes with: prediction is simulated in f32
//! weights, and the weights the network holds are exactly these values. How `q`, `s` and `z` are
//! chosen from float weights is `crate::compress::quantize`; this is only the stored form.

use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The integer weights of every layer of a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantized {
    /// Bits per weight: 1 (binary, `q = ±1`) or 2 to 8 (`q` in `[−2^(b−1), 2^(b−1) − 1]`).
    pub bits: u8,
    /// One scale per output neuron (column of the layer's weight matrix) rather than per layer.
    pub per_channel: bool,
    /// `z = 0` (no zero points stored) rather than a zero point per scale.
    pub symmetric: bool,
    /// One entry per layer, in the network's order.
    pub layers: Vec<QuantizedLayer>,
    /// When the activations are quantised too: one scale (and zero point) per hidden layer, for
    /// its outputs after the activation function (see [`Quantized::activation`]); empty when
    /// they are not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activations: Vec<ActivationScale>,
}

/// How one hidden layer's outputs are quantised: `a ↦ (clamp(round(a / s) + z) − z) · s` at the
/// network's bits (binary: `±s`), computed in f32.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationScale {
    pub scale: f32,
    /// 0 when symmetric.
    pub zero_point: i8,
}

/// One layer's integer weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantizedLayer {
    /// The fan-in × fan-out integers, column-major (the layout of the float weights).
    pub values: Vec<i8>,
    /// One scale for the layer, or one per output neuron.
    pub scales: Vec<f32>,
    /// One zero point per scale (asymmetric), or none (symmetric).
    pub zero_points: Vec<i8>,
}

impl Quantized {
    /// The range of the integers: `[−1, 1]` for binary, else `[−2^(b−1), 2^(b−1) − 1]`.
    pub fn range(bits: u8) -> (i32, i32) {
        if bits <= 1 {
            (-1, 1)
        } else {
            (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
        }
    }

    /// The weight of entry `i` (column-major) of layer `layer` with `fan_in` rows, in f32 widened to
    /// f64 (`None` past the end).
    pub fn weight(&self, layer: usize, fan_in: usize, i: usize) -> Option<f64> {
        let l = self.layers.get(layer)?;
        let q = *l.values.get(i)? as i32;
        let channel = if self.per_channel { i / fan_in.max(1) } else { 0 };
        let scale = *l.scales.get(channel)?;
        let zero = if self.symmetric { 0 } else { *l.zero_points.get(channel)? as i32 };
        Some(((q - zero) as f32 * scale) as f64)
    }

    /// Hidden layer `layer`'s output `a` quantised as [`ActivationScale`] says (unchanged when the
    /// activations are not quantised). Symmetric integers lie in `[−(2^(b−1) − 1), 2^(b−1) − 1]`,
    /// asymmetric in `[−2^(b−1), 2^(b−1) − 1]`; halves round to even.
    pub fn activation(&self, layer: usize, a: f64) -> f64 {
        let Some(&ActivationScale { scale, zero_point }) = self.activations.get(layer) else {
            return a;
        };
        if self.bits <= 1 {
            return if a < 0.0 { -(scale as f64) } else { scale as f64 };
        }
        let (low, high) = Self::range(self.bits);
        let low = if self.symmetric { -high } else { low };
        let q = ((a / scale as f64).round_ties_even() + zero_point as f64).clamp(low as f64, high as f64);
        ((q as f32 - zero_point as f32) * scale) as f64
    }

    /// Checks the stored form fits a network of widths `sizes` (every integer in range, every
    /// scale finite and positive), so a damaged file cannot index out of bounds.
    pub fn validate(&self, sizes: &[usize]) -> Result<()> {
        use crate::model::file::{out_of_range, refuse, Damage};
        const AT: &str = "network.quantized";
        if !(1..=8).contains(&self.bits) {
            return refuse("mlp", format!("{AT}.bits"), out_of_range(self.bits as usize, 1, 8));
        }
        if self.bits == 1 && !self.symmetric {
            return refuse("mlp", format!("{AT}.symmetric"), Damage::Mismatch(format!("{AT}.bits")));
        }
        if self.layers.len() + 1 != sizes.len() {
            let length = Damage::Length { got: self.layers.len(), expected: sizes.len().saturating_sub(1) };
            return refuse("mlp", format!("{AT}.layers"), length);
        }
        if !self.activations.is_empty() && self.activations.len() + 2 != sizes.len() {
            let length = Damage::Length { got: self.activations.len(), expected: sizes.len().saturating_sub(2) };
            return refuse("mlp", format!("{AT}.activations"), length);
        }
        let (low, high) = Self::range(self.bits);
        for (h, a) in self.activations.iter().enumerate() {
            let zero_ok =
                if self.symmetric { a.zero_point == 0 } else { (low..=high).contains(&(a.zero_point as i32)) };
            if !(a.scale.is_finite() && a.scale > 0.0) {
                return refuse("mlp", format!("{AT}.activations[{h}].scale"), Damage::NotPositive);
            }
            if !zero_ok {
                let range = Damage::Range { got: a.zero_point as f64, min: low as f64, max: high as f64 };
                return refuse("mlp", format!("{AT}.activations[{h}].zero_point"), range);
            }
        }
        let (low, high) = Self::range(self.bits);
        for (l, layer) in self.layers.iter().enumerate() {
            let (fan_in, fan_out) = (sizes[l], sizes[l + 1]);
            let channels = if self.per_channel { fan_out } else { 1 };
            let field = |name: &str| format!("{AT}.layers[{l}].{name}");
            if layer.values.len() != fan_in * fan_out {
                let length = Damage::Length { got: layer.values.len(), expected: fan_in * fan_out };
                return refuse("mlp", field("values"), length);
            }
            if layer.scales.len() != channels {
                return refuse("mlp", field("scales"), Damage::Length { got: layer.scales.len(), expected: channels });
            }
            let zero_points = if self.symmetric { 0 } else { channels };
            if layer.zero_points.len() != zero_points {
                let length = Damage::Length { got: layer.zero_points.len(), expected: zero_points };
                return refuse("mlp", field("zero_points"), length);
            }
            let in_range = |q: i8| (low..=high).contains(&(q as i32)) && (self.bits > 1 || q != 0);
            for (name, values) in [("values", &layer.values), ("zero_points", &layer.zero_points)] {
                if let Some(&q) = values.iter().find(|&&q| !in_range(q)) {
                    let range = Damage::Range { got: q as f64, min: low as f64, max: high as f64 };
                    return refuse("mlp", field(name), range);
                }
            }
            if !layer.scales.iter().all(|s| s.is_finite() && *s > 0.0) {
                return refuse("mlp", field("scales"), Damage::NotPositive);
            }
        }
        Ok(())
    }

    /// Bytes of the compact binary form: the integers packed at `bits` each, 4 bytes per scale and
    /// 1 per zero point (an activation scale: 4, and 1 for its zero point when asymmetric).
    pub fn bytes(&self) -> usize {
        let activations = self.activations.len() * if self.symmetric { 4 } else { 5 };
        self.layers
            .iter()
            .map(|l| (l.values.len() * self.bits as usize).div_ceil(8) + 4 * l.scales.len() + l.zero_points.len())
            .sum::<usize>()
            + activations
    }
}
