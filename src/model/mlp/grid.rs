//! Drawing-only evaluation of a network over a pixel grid: the class probabilities behind a
//! decision surface ([`Mlp::grid_probabilities`]) and every hidden neuron's output behind the
//! neuron thumbnails ([`Mlp::grid_neuron_outputs`]).
//!
//! `predict` on a grid of 160 000 pixels builds an n × 2 matrix of grid points, standardises a
//! copy, allocates every layer's n × width activations and calls libm's `tanh` for each hidden
//! value (millions of calls, a software routine in WebAssembly). Here the grid is walked in blocks
//! of [`BLOCK`] pixels through buffers allocated once, each neuron's values contiguous, so every
//! layer is a few vectorised multiply-adds per weight and the activations are the branch-free
//! functions of [`super::fast_math`] (absolute error ≤ 1e-15 against the standard ones).
//! Probabilities agree with `predict` on the same points to about 1e-13 (tested to 1e-12).
//! Training and `predict` are untouched.

use super::fast_math;
use super::network::{Activation, Network, Output, LEAKY_SLOPE};
use super::Mlp;
use nalgebra::DMatrix;

/// Pixels evaluated together: enough for long vectorised loops, few enough that a block's
/// values (at most 32 neurons a layer) stay in the cache.
const BLOCK: usize = 128;
/// Pixels whose sums are accumulated together in registers.
const LANES: usize = 8;

/// The network's layers over one block of pixels.
struct Evaluator<'a> {
    network: &'a Network,
    offsets: Vec<usize>,
    /// Per layer (the standardised inputs, each hidden layer, the output units), `width × BLOCK`
    /// values: neuron `j`'s at `j·BLOCK ..`, after its activation and skip connection; the output
    /// layer holds logits until [`Evaluator::probabilities`].
    layers: Vec<Vec<f64>>,
}

impl<'a> Evaluator<'a> {
    fn new(network: &'a Network) -> Evaluator<'a> {
        Evaluator {
            network,
            offsets: network.offsets(),
            layers: network
                .sizes()
                .iter()
                .map(|&width| vec![0.0; width * BLOCK])
                .collect(),
        }
    }

    /// Runs a block (inputs already in `layers[0]`) through every layer. Always the whole block:
    /// past the pixels in use the buffers hold finite leftovers, and fixed trip counts vectorise
    /// without tails.
    fn run(&mut self) {
        let network = self.network;
        let (sizes, params, n_hidden) = (network.sizes(), network.params(), network.n_hidden());
        for layer in 0..=n_hidden {
            let (fan_in, fan_out) = (sizes[layer], sizes[layer + 1]);
            let offset = self.offsets[layer];
            let (before, after) = self.layers.split_at_mut(layer + 1);
            let (previous, current) = (&before[layer], &mut after[0]);
            for j in 0..fan_out {
                let weights = &params[offset + j * fan_in..offset + (j + 1) * fan_in];
                let bias = params[offset + fan_in * fan_out + j];
                let out = &mut current[j * BLOCK..(j + 1) * BLOCK];
                // z_j = Σ_i h_i w_ij + b_j, summed in the order of the matrix product, LANES
                // pixels at a time in registers.
                for (chunk, out) in out.chunks_exact_mut(LANES).enumerate() {
                    let mut sum = [0.0; LANES];
                    for (i, &w) in weights.iter().enumerate() {
                        let input =
                            &previous[i * BLOCK + chunk * LANES..i * BLOCK + (chunk + 1) * LANES];
                        sum.iter_mut().zip(input).for_each(|(z, &h)| *z += h * w);
                    }
                    out.iter_mut().zip(&sum).for_each(|(z, &s)| *z = s + bias);
                }
                if layer == n_hidden {
                    continue;
                }
                activate(network.activations()[layer], out);
                if let Some(source) = network.skips()[layer][j] {
                    let input = &previous[source * BLOCK..(source + 1) * BLOCK];
                    out.iter_mut().zip(input).for_each(|(h, &s)| *h += s);
                }
            }
        }
    }

    /// Turns the output layer's logits into probabilities (one unit for a logistic output, k for
    /// softmax); linear outputs are left as they are.
    fn probabilities(&mut self) {
        let output = self.network.output();
        let Some(units) = self.layers.last_mut() else {
            return;
        };
        match output {
            Output::Linear => {}
            Output::Sigmoid => fast_math::sigmoid_in_place(&mut units[..BLOCK]),
            Output::Softmax => {
                let k = units.len() / BLOCK;
                let mut max = [f64::NEG_INFINITY; BLOCK];
                for class in 0..k {
                    let z = &units[class * BLOCK..(class + 1) * BLOCK];
                    max.iter_mut().zip(z).for_each(|(m, &z)| *m = m.max(z));
                }
                let mut sum = [0.0; BLOCK];
                for class in 0..k {
                    let z = &mut units[class * BLOCK..(class + 1) * BLOCK];
                    z.iter_mut().zip(&max).for_each(|(z, &m)| *z -= m);
                    fast_math::exp_in_place(z);
                    sum.iter_mut().zip(z.iter()).for_each(|(s, &e)| *s += e);
                }
                for class in 0..k {
                    let p = &mut units[class * BLOCK..(class + 1) * BLOCK];
                    p.iter_mut().zip(&sum).for_each(|(p, &s)| *p /= s);
                }
            }
        }
    }
}

/// A hidden layer's activation on a block of values, in place.
fn activate(activation: Activation, values: &mut [f64]) {
    match activation {
        Activation::Sigmoid => fast_math::sigmoid_in_place(values),
        Activation::Tanh => fast_math::tanh_in_place(values),
        Activation::Relu => values
            .iter_mut()
            .for_each(|v| *v = if *v > 0.0 { *v } else { 0.0 }),
        Activation::LeakyRelu => values
            .iter_mut()
            .for_each(|v| *v = if *v > 0.0 { *v } else { LEAKY_SLOPE * *v }),
        Activation::Linear => {}
    }
}

impl Mlp {
    /// The network and its evaluator over the grid `xs × ys` (row-major: `ys` outer, `xs`
    /// inner), with `visit(first pixel, pixels, layers)` called once per block after the forward
    /// pass (logits in the last layer). `None` before set-up, for a damaged model, a network not
    /// on two inputs, or non-finite coordinates.
    fn walk_grid(
        &self,
        xs: &[f64],
        ys: &[f64],
        mut visit: impl FnMut(&mut Evaluator, usize, usize),
    ) -> Option<()> {
        self.validate().ok()?;
        let (network, scaler) = (self.network()?, self.scaler()?);
        if network.sizes()[0] != 2 || xs.iter().chain(ys).any(|v| !v.is_finite()) {
            return None;
        }
        // Standardised as `Standardizer::transform` does, so the inputs are bit for bit predict's.
        let (mean, scale) = (&scaler.mean, &scaler.scale);
        let xs: Vec<f64> = xs.iter().map(|&x| (x - mean[0]) / scale[0]).collect();
        let ys: Vec<f64> = ys.iter().map(|&y| (y - mean[1]) / scale[1]).collect();
        let n = xs.len() * ys.len();
        let mut evaluator = Evaluator::new(network);
        let mut first = 0;
        while first < n {
            let len = BLOCK.min(n - first);
            let (inputs_x, inputs_y) = evaluator.layers[0].split_at_mut(BLOCK);
            for p in 0..len {
                let pixel = first + p;
                inputs_x[p] = xs[pixel % xs.len()];
                inputs_y[p] = ys[pixel / xs.len()];
            }
            evaluator.run();
            visit(&mut evaluator, first, len);
            first += len;
        }
        Some(())
    }

    /// Class probabilities over the grid `xs × ys` for drawing: pixel `(c, r)` (`x = xs[c]`,
    /// `y = ys[r]`) has its `k` probabilities at `(r·xs.len() + c)·k ..` (k = 2 for a logistic
    /// output: `1 − p, p`), as `predict` gives them for that point to within 1e-12. `None` before
    /// the network is set up, for regression, for a network not on two features, for a damaged
    /// model, or for non-finite coordinates.
    pub fn grid_probabilities(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        self.validate().ok()?;
        let output = self.network()?.output();
        let k = match output {
            Output::Linear => return None,
            Output::Sigmoid => 2,
            Output::Softmax => *self.network()?.sizes().last()?,
        };
        let mut out = vec![0.0; xs.len() * ys.len() * k];
        self.walk_grid(xs, ys, |evaluator, first, len| {
            evaluator.probabilities();
            let Some(units) = evaluator.layers.last() else {
                return;
            };
            let pixels = out[first * k..(first + len) * k].chunks_exact_mut(k);
            match output {
                Output::Sigmoid => {
                    for (pixel, &p) in pixels.zip(units) {
                        pixel.copy_from_slice(&[1.0 - p, p]);
                    }
                }
                _ => {
                    for (p, pixel) in pixels.enumerate() {
                        for (class, value) in pixel.iter_mut().enumerate() {
                            *value = units[class * BLOCK + p];
                        }
                    }
                }
            }
        })?;
        Some(out)
    }

    /// Every hidden layer's outputs over the grid `xs × ys` for drawing, in the shape of
    /// [`Mlp::neuron_outputs`] on those points (one `n × width` matrix per hidden layer, rows in
    /// the pixel order of [`Mlp::grid_probabilities`]), to within 1e-12. Empty when
    /// `grid_probabilities` would give `None` (regression networks included: they have neurons
    /// too, so only the output differs).
    pub fn grid_neuron_outputs(&self, xs: &[f64], ys: &[f64]) -> Vec<DMatrix<f64>> {
        let (Ok(()), Some(network)) = (self.validate(), self.network()) else {
            return Vec::new();
        };
        let n = xs.len() * ys.len();
        let sizes = network.sizes();
        let hidden = sizes.get(1..sizes.len().saturating_sub(1)).unwrap_or(&[]);
        let mut outputs: Vec<DMatrix<f64>> = hidden
            .iter()
            .map(|&width| DMatrix::zeros(n, width))
            .collect();
        let walked = self.walk_grid(xs, ys, |evaluator, first, len| {
            for (matrix, values) in outputs.iter_mut().zip(&evaluator.layers[1..]) {
                for (j, mut column) in matrix.column_iter_mut().enumerate() {
                    column
                        .rows_mut(first, len)
                        .copy_from_slice(&values[j * BLOCK..j * BLOCK + len]);
                }
            }
        });
        if walked.is_none() {
            return Vec::new();
        }
        outputs
    }
}

#[cfg(test)]
mod tests {
    use super::super::{HiddenLayer, MlpParams};
    use super::*;
    use crate::data::generate::gaussian;
    use crate::data::{rng, Dataset, Task};
    use crate::model::{Hyperparams, Model};
    use rand::RngExt;

    /// `n` points in [-3, 3] × [-1, 5] with `d` features (the third and on are noise), labelled
    /// with `k` classes (k = 0: regression).
    fn data(n: usize, d: usize, k: usize) -> Dataset {
        let mut r = rng(3);
        let x: Vec<f64> = (0..n * d)
            .map(|i| {
                if i % d == 1 {
                    r.random_range(-1.0..5.0)
                } else {
                    r.random_range(-3.0..3.0)
                }
            })
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| if k == 0 { x[i * d] } else { (i % k) as f64 })
            .collect();
        let task = if k == 0 {
            Task::Regression
        } else {
            Task::Classification { n_classes: k }
        };
        Dataset::from_rows(&x, d, &y, task).unwrap()
    }

    /// A network of the given hidden layers set up on `data`, with random weights of standard
    /// deviation `spread` (larger than trained ones usually are, so activations saturate and
    /// errors would show) and random biases.
    fn network(
        data: &Dataset,
        hidden: &[(usize, Activation)],
        residual: bool,
        spread: f64,
        seed: u64,
    ) -> Mlp {
        let params = MlpParams {
            hidden_layers: hidden
                .iter()
                .map(|&(neurons, activation)| HiddenLayer {
                    neurons,
                    activation,
                })
                .collect(),
            residual,
            ..MlpParams::default()
        };
        let mut model = params.build(seed).unwrap();
        model.initialize(data).unwrap();
        let mut r = rng(seed);
        if let Some(network) = model.network.as_mut() {
            network
                .params_mut()
                .iter_mut()
                .for_each(|p| *p = spread * gaussian(&mut r));
        }
        model
    }

    /// The grid of a `w × h` picture of [-4, 4] × [-2, 6], rows from the top, and the same
    /// points as a matrix for `predict`, in the same order.
    fn grid(w: usize, h: usize) -> (Vec<f64>, Vec<f64>, DMatrix<f64>) {
        let xs: Vec<f64> = (0..w)
            .map(|c| -4.0 + 8.0 * c as f64 / (w - 1) as f64)
            .collect();
        let ys: Vec<f64> = (0..h)
            .map(|r| 6.0 - 8.0 * r as f64 / (h - 1) as f64)
            .collect();
        let points = DMatrix::from_fn(w * h, 2, |p, j| if j == 0 { xs[p % w] } else { ys[p / w] });
        (xs, ys, points)
    }

    fn assert_close(fast: &[f64], exact: &[f64], tolerance: f64, what: &str) -> f64 {
        assert_eq!(fast.len(), exact.len(), "{what}");
        let mut worst: f64 = 0.0;
        for (i, (a, b)) in fast.iter().zip(exact).enumerate() {
            let error = (a - b).abs();
            assert!(error <= tolerance, "{what}: value {i}: {a} vs {b}");
            worst = worst.max(error);
        }
        worst
    }

    #[test]
    fn probabilities_and_neuron_outputs_match_predict_for_every_activation_and_output() {
        // 37 × 23 = 851 pixels: six whole blocks and a partial one.
        let (xs, ys, points) = grid(37, 23);
        let mut worst: f64 = 0.0;
        for k in [2, 3, 5] {
            let data = data(60, 2, k);
            for activation in Activation::ALL {
                for residual in [false, true] {
                    let hidden = [(6, activation), (6, activation), (4, Activation::Tanh)];
                    let model = network(&data, &hidden, residual, 1.5, k as u64);
                    let what = format!("{k} classes, {activation:?}, residual {residual}");
                    let exact = model.predict(&points).unwrap();
                    let fast = model.grid_probabilities(&xs, &ys).expect("a surface");
                    // `predict` is column-major n × k; the grid is row-major per pixel.
                    worst = worst.max(assert_close(
                        &fast,
                        exact.transpose().as_slice(),
                        1e-12,
                        &what,
                    ));
                    let exact = model.neuron_outputs(&points);
                    let fast = model.grid_neuron_outputs(&xs, &ys);
                    assert_eq!(fast.len(), 3, "{what}");
                    for (layer, (a, b)) in fast.iter().zip(&exact).enumerate() {
                        assert_eq!(a.shape(), b.shape(), "{what}, layer {layer}");
                        assert_close(
                            a.as_slice(),
                            b.as_slice(),
                            1e-12,
                            &format!("{what}, layer {layer}"),
                        );
                    }
                }
            }
        }
        // The fast path is not `predict` itself.
        assert!(worst > 0.0);
    }

    #[test]
    fn saturated_deep_networks_stay_within_the_bound() {
        // Eight layers of 32 with large weights: sums in the hundreds, every error amplified.
        let data = data(40, 2, 2);
        let (xs, ys, points) = grid(41, 40);
        for (activation, spread) in [
            (Activation::Tanh, 3.0),
            (Activation::Sigmoid, 3.0),
            (Activation::Tanh, 0.4),
        ] {
            let model = network(&data, &[(32, activation); 8], true, spread, 9);
            let exact = model.predict(&points).unwrap();
            let fast = model.grid_probabilities(&xs, &ys).unwrap();
            assert_close(
                &fast,
                exact.transpose().as_slice(),
                1e-12,
                &format!("{activation:?} × {spread}"),
            );
        }
    }

    #[test]
    fn only_two_input_classifiers_on_finite_grids_get_a_surface() {
        let (xs, ys, _) = grid(5, 4);
        // Not set up yet.
        let params = MlpParams::default();
        assert!(params
            .build(1)
            .unwrap()
            .grid_probabilities(&xs, &ys)
            .is_none());
        assert!(params
            .build(1)
            .unwrap()
            .grid_neuron_outputs(&xs, &ys)
            .is_empty());
        // Three features: no picture over two.
        let model = network(&data(30, 3, 2), &[(4, Activation::Tanh)], false, 1.0, 1);
        assert!(model.grid_probabilities(&xs, &ys).is_none());
        assert!(model.grid_neuron_outputs(&xs, &ys).is_empty());
        // Regression: no probabilities, but neurons to show.
        let model = network(&data(30, 2, 0), &[(4, Activation::Tanh)], false, 1.0, 1);
        assert!(model.grid_probabilities(&xs, &ys).is_none());
        assert_eq!(model.grid_neuron_outputs(&xs, &ys)[0].shape(), (20, 4));
        // Non-finite coordinates, and empty grids.
        let model = network(&data(30, 2, 2), &[(4, Activation::Tanh)], false, 1.0, 1);
        assert!(model.grid_probabilities(&[0.0, f64::NAN], &ys).is_none());
        assert!(model.grid_probabilities(&xs, &[f64::INFINITY]).is_none());
        assert_eq!(model.grid_probabilities(&[], &ys), Some(Vec::new()));
        // A damaged model (weights cut short) gives nothing rather than a panic.
        let mut damaged = model.clone();
        if let Some(network) = damaged.network.as_mut() {
            let (sizes, activations, skips) = (
                network.sizes().to_vec(),
                network.activations().to_vec(),
                network.skips().to_vec(),
            );
            network.set_layout(sizes, activations, skips, vec![0.5; 3]);
        }
        assert!(damaged.grid_probabilities(&xs, &ys).is_none());
        assert!(damaged.grid_neuron_outputs(&xs, &ys).is_empty());
    }

    #[test]
    fn non_finite_weights_give_nan_like_predict() {
        let data = data(30, 2, 3);
        let mut model = network(&data, &[(4, Activation::Tanh)], false, 1.0, 2);
        if let Some(network) = model.network.as_mut() {
            network.params_mut()[0] = f64::NAN;
        }
        let (xs, ys, points) = grid(6, 5);
        let exact = model.predict(&points).unwrap();
        let fast = model.grid_probabilities(&xs, &ys).unwrap();
        for (a, b) in fast.iter().zip(exact.transpose().as_slice()) {
            assert_eq!(a.is_nan(), b.is_nan());
        }
        assert!(fast.iter().any(|v| v.is_nan()));
    }
}
