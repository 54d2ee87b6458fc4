//! Growing a network without changing what it computes (Net2Net-style, Chen et al. 2016).
//!
//! - [`Network::add_neuron`] splits a neuron in two: the copy gets the same incoming weights, bias
//!   and skip connection, so both compute the same value `h`; the outgoing weights `v` are shared
//!   out as `α·v` (original) and `(1−α)·v` (copy), so the next layer still receives
//!   `α·v·h + (1−α)·v·h = v·h`. The split fraction `α` is drawn in [0.25, 0.75] rather than fixed
//!   at ½: with equal halves both copies receive identical gradients forever and the new neuron
//!   would never learn anything of its own, while unequal shares break the symmetry *without*
//!   noise, so the function stays exactly the same.
//! - [`Network::add_layer`] inserts a layer that passes its input through unchanged:
//!   - in a residual network, a residual layer with zero weights and biases, so it adds
//!     `f(0) = 0` to its skip input. Its activation is that of the layer it follows when that is
//!     tanh, linear or leaky ReLU; otherwise tanh (sigmoid has f(0) = ½, and ReLU has
//!     f'(0) = 0 so a zero-weight ReLU layer could never start learning);
//!   - otherwise, a layer with identity weights and zero biases and no skip connections. Its
//!     activation is ReLU when its inputs can never be negative (the previous layer is ReLU or
//!     sigmoid without skip connections, so ReLU is the identity on them) and linear otherwise
//!     (tanh and sigmoid are not the identity anywhere). The new layer has the width of the layer
//!     it follows.
//!
//! Both return, for every parameter of the new layout, the index of the same parameter in the old
//! layout (or `None` for a new one), so the optimiser state can follow the parameters.

use super::network::{layer_offsets_of, parameter_count, Activation, Network, MAX_HIDDEN_LAYERS, MAX_NEURONS};
use crate::data::Rng;
use crate::error::Result;
use rand::RngExt;

/// Where a parameter of the grown network comes from.
#[derive(Clone, Copy)]
enum Source {
    /// The same parameter, at this old index, scaled (1 for an untouched one).
    Same(usize, f64),
    /// A copy of this old parameter (a new parameter with a copied value), scaled.
    Copy(usize, f64),
    /// A new parameter with this value.
    Value(f64),
}

impl Network {
    /// Splits a randomly chosen neuron of hidden layer `layer` (counted as in
    /// [`Network::sizes`]: 1 is the first hidden layer) into two that together compute exactly
    /// what it did. Returns the old index of every new parameter (see the module notes).
    pub fn add_neuron(&mut self, layer: usize, rng: &mut Rng) -> Result<Vec<Option<usize>>> {
        self.validate()?;
        let n_hidden = self.n_hidden();
        if layer == 0 || layer > n_hidden {
            return Err(if n_hidden == 0 {
                err!(InvalidParameter, "no_hidden_layer")
            } else {
                err!(InvalidParameter, "not_hidden_layer", layer = layer, n_hidden = n_hidden)
            });
        }
        let width = self.sizes()[layer];
        if width >= MAX_NEURONS {
            return Err(err!(InvalidParameter, "layer_full", layer = layer, MAX_NEURONS = MAX_NEURONS));
        }
        let split = rng.random_range(0..width);
        let alpha = rng.random_range(0.25..0.75);
        let incoming = layer - 1; // the block whose fan-out grows
        let mut sizes = self.sizes().to_vec();
        sizes[layer] += 1;
        let source = |block: usize, r: usize, c: usize, old_rows: usize, old_offset: usize| -> Source {
            let at = |r: usize, c: usize| old_offset + r + c * old_rows;
            if block == incoming && c == width {
                Source::Copy(at(r, split), 1.0)
            } else if block == layer && r == width {
                Source::Copy(at(split, c), 1.0 - alpha)
            } else if block == layer && r == split {
                Source::Same(at(r, c), alpha)
            } else {
                Source::Same(at(r, c), 1.0)
            }
        };
        let bias_source = |block: usize, c: usize, old_bias_offset: usize| -> Source {
            if block == incoming && c == width {
                Source::Copy(old_bias_offset + split, 1.0)
            } else {
                Source::Same(old_bias_offset + c, 1.0)
            }
        };
        let mapping: Vec<Option<usize>> = (0..=n_hidden).map(Some).collect();
        let (params, moved) = self.relayout(&sizes, &mapping, source, bias_source);
        let mut skips = self.skips().to_vec();
        let copied = skips[incoming][split];
        skips[incoming].push(copied);
        let activations = self.activations().to_vec();
        self.set_layout(sizes, activations, skips, params);
        Ok(moved)
    }

    /// Inserts a hidden layer right after layer `after` (counted as in [`Network::sizes`]: 0 is
    /// the input, 1 the first hidden layer) that passes its input through unchanged, with the
    /// width of that layer. `residual` picks the residual form (see the module notes). Returns the
    /// old index of every new parameter.
    pub fn add_layer(&mut self, after: usize, residual: bool) -> Result<Vec<Option<usize>>> {
        self.validate()?;
        let n_hidden = self.n_hidden();
        if n_hidden >= MAX_HIDDEN_LAYERS {
            return Err(err!(InvalidParameter, "layers_full", MAX_HIDDEN_LAYERS = MAX_HIDDEN_LAYERS));
        }
        if after > n_hidden {
            return Err(err!(InvalidParameter, "layer_position", n_hidden = n_hidden, after = after));
        }
        let width = self.sizes()[after];
        if width > MAX_NEURONS {
            return Err(err!(InvalidParameter, "layer_too_wide", width = width, MAX_NEURONS = MAX_NEURONS));
        }
        let previous =
            after.checked_sub(1).map(|h| (self.activations()[h], self.skips()[h].iter().any(Option::is_some)));
        let (activation, skip, weight) = if residual {
            let activation = match previous {
                Some((a @ (Activation::Tanh | Activation::Linear | Activation::LeakyRelu), _)) => a,
                _ => Activation::Tanh,
            };
            (activation, true, 0.0)
        } else {
            let non_negative = matches!(previous, Some((Activation::Relu | Activation::Sigmoid, false)));
            (if non_negative { Activation::Relu } else { Activation::Linear }, false, 1.0)
        };
        let mut sizes = self.sizes().to_vec();
        sizes.insert(after + 1, width);
        // Block `after` is new; later blocks are the old ones shifted by one.
        let mapping: Vec<Option<usize>> = (0..=n_hidden + 1)
            .map(|b| {
                if b < after {
                    Some(b)
                } else if b == after {
                    None
                } else {
                    Some(b - 1)
                }
            })
            .collect();
        let source = |_block: usize, r: usize, c: usize, old_rows: usize, old_offset: usize| -> Source {
            Source::Same(old_offset + r + c * old_rows, 1.0)
        };
        let bias_source = |_block: usize, c: usize, old_bias_offset: usize| Source::Same(old_bias_offset + c, 1.0);
        let (mut params, moved) = self.relayout(&sizes, &mapping, source, bias_source);
        // Fill the new block: weight × identity (or zeros), zero biases.
        let offset = layer_offsets_of(&sizes)[after];
        for c in 0..width {
            params[offset + c + c * width] = weight;
        }
        let mut activations = self.activations().to_vec();
        activations.insert(after, activation);
        let mut skips = self.skips().to_vec();
        skips.insert(after, (0..width).map(|c| skip.then_some(c)).collect());
        self.set_layout(sizes, activations, skips, params);
        Ok(moved)
    }

    /// Builds the parameter vector for `sizes`: new block `b` comes from old block `mapping[b]`
    /// (zeros when `None`), element by element through `source` (block, row, column, old rows,
    /// old offset) and `bias_source` (block, column, old bias offset).
    fn relayout(
        &self,
        sizes: &[usize],
        mapping: &[Option<usize>],
        source: impl Fn(usize, usize, usize, usize, usize) -> Source,
        bias_source: impl Fn(usize, usize, usize) -> Source,
    ) -> (Vec<f64>, Vec<Option<usize>>) {
        let n = parameter_count(sizes);
        let mut params = vec![0.0; n];
        let mut moved = vec![None; n];
        let old_offsets = self.offsets();
        let old_sizes = self.sizes();
        let mut put = |at: usize, s: Source| match s {
            Source::Same(i, f) => {
                params[at] = f * self.params()[i];
                moved[at] = Some(i);
            }
            Source::Copy(i, f) => params[at] = f * self.params()[i],
            Source::Value(v) => params[at] = v,
        };
        for (block, (&offset, old_block)) in layer_offsets_of(sizes).iter().zip(mapping).enumerate() {
            let (rows, cols) = (sizes[block], sizes[block + 1]);
            let Some(old) = *old_block else {
                (0..(rows + 1) * cols).for_each(|k| put(offset + k, Source::Value(0.0)));
                continue;
            };
            let (old_rows, old_cols, old_offset) = (old_sizes[old], old_sizes[old + 1], old_offsets[old]);
            for c in 0..cols {
                for r in 0..rows {
                    put(offset + r + c * rows, source(block, r, c, old_rows, old_offset));
                }
                put(offset + rows * cols + c, bias_source(block, c, old_offset + old_rows * old_cols));
            }
        }
        (params, moved)
    }
}
