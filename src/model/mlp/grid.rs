//! Drawing-only evaluation of a network over a pixel grid: the class probabilities behind a
//! decision surface ([`Mlp::grid_probabilities`]) and every hidden neuron's output behind the
//! neuron thumbnails ([`Mlp::grid_neuron_outputs`]).
//!
//! `predict` on a grid of 160 000 pixels builds an n × 2 matrix of grid points, standardises a
//! copy, allocates every layer's n × width activations and calls libm's `tanh` for each hidden
//! value (millions of calls, a software routine in WebAssembly). Here the grid is walked a row at
//! a time in blocks of at most [`BLOCK`] pixels through buffers allocated once, each neuron's
//! values contiguous, in single precision: the weights are converted to `f32` once per call,
//! every layer is a few vectorised multiply-adds per weight (four pixels per WebAssembly SIMD
//! instruction), and the activations are the branch-free functions of [`super::fast_math32`]
//! (absolute error ≤ 1e-6). The first layer is affine in the two coordinates, so its sums are a
//! column part (`w₁·x`, once per column) plus a row part (`w₂·y + b`, once per row): one addition
//! per neuron and pixel.
//!
//! The values only become 8-bit colours (steps of 1/255 ≈ 4·10⁻³) and the contours at p = ½, so
//! they need not match `predict` to double precision: probabilities agree with `predict`'s on
//! the same points to [`GRID_TOLERANCE`] = 1e-5 absolute, 400 times finer than a colour step
//! (tested for every activation, 2 to 5 classes, skip connections, random weights larger than
//! trained ones; typical errors are ~1e-7), so a boundary pixel can only flip side where the
//! probability is within 1e-5 of ½. Hidden values are within 1e-5 relative to the largest hidden
//! value before them (single precision is relative: unbounded activations can reach hundreds),
//! which is also the scale an unbounded neuron's thumbnail is coloured on. Only deliberately
//! chaotic networks (weights of spread 3 over eight layers of 32) amplify the rounding further,
//! to ~4e-4. Weights or coordinates beyond `f32`'s range (~3·10³⁸) overflow to ±∞ and give NaN or
//! saturated values, never a panic. Training and `predict` are untouched.

use super::fast_math32 as math;
use super::network::{Activation, Network, Output, LEAKY_SLOPE};
use super::Mlp;
use nalgebra::DMatrix;

/// Pixels evaluated together (at most; a row's last block is shorter): enough for long
/// vectorised loops, few enough that a block's values (at most 32 neurons a layer) stay in the
/// cache.
const BLOCK: usize = 128;
/// Pixels whose sums are accumulated together in registers; blocks are run to a multiple of it.
const LANES: usize = 16;
/// How far the grid's probabilities and neuron outputs may be from `predict`'s (absolute): see
/// the module comment.
pub const GRID_TOLERANCE: f64 = 1e-5;

/// One layer of weights in single precision.
struct Layer {
    fan_in: usize,
    /// `fan_out × fan_in`, neuron `j`'s weights at `j·fan_in ..` (the order of `Network::params`).
    weights: Vec<f32>,
    biases: Vec<f32>,
}

/// The network's layers over one block of pixels.
struct Evaluator<'a> {
    network: &'a Network,
    layers: Vec<Layer>,
    /// Per layer (the standardised inputs, each hidden layer, the output units), `width × BLOCK`
    /// values: neuron `j`'s at `j·BLOCK ..`, after its activation and skip connection; the output
    /// layer holds logits until [`Evaluator::probabilities`].
    values: Vec<Vec<f32>>,
    /// The first layer's column parts `w_j1·x_c`: neuron `j`'s at `j·padded_width ..`, zero past
    /// the grid's width.
    column_parts: Vec<f32>,
    padded_width: usize,
    /// The first layer's `(w_j2, b_j)`, for the row parts `w_j2·y + b_j`.
    row_weights: Vec<(f64, f64)>,
    /// The standardised x of each column (zero-padded like `column_parts`).
    xs: Vec<f32>,
}

impl<'a> Evaluator<'a> {
    /// The evaluator for the standardised column coordinates `xs` (the network has two inputs
    /// and a consistent layout: `Mlp::check_consistency` has passed).
    fn new(network: &'a Network, xs: &[f64]) -> Evaluator<'a> {
        let (sizes, params) = (network.sizes(), network.params());
        let offsets = network.offsets();
        let layers: Vec<Layer> = (0..sizes.len() - 1)
            .map(|layer| {
                let (fan_in, fan_out) = (sizes[layer], sizes[layer + 1]);
                let at = offsets[layer];
                let weights = &params[at..at + fan_in * fan_out];
                let biases = &params[at + fan_in * fan_out..at + (fan_in + 1) * fan_out];
                Layer {
                    fan_in,
                    weights: weights.iter().map(|&w| w as f32).collect(),
                    biases: biases.iter().map(|&b| b as f32).collect(),
                }
            })
            .collect();
        let padded_width = xs.len().div_ceil(LANES) * LANES;
        let first_width = sizes[1];
        let mut column_parts = vec![0.0; first_width * padded_width];
        for j in 0..first_width {
            let w = params[offsets[0] + j * 2];
            let parts = &mut column_parts[j * padded_width..(j + 1) * padded_width];
            parts.iter_mut().zip(xs).for_each(|(part, &x)| *part = (w * x) as f32);
        }
        let row_weights = (0..first_width)
            .map(|j| {
                let bias = params[offsets[0] + 2 * first_width + j];
                (params[offsets[0] + j * 2 + 1], bias)
            })
            .collect();
        let mut padded_xs: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
        padded_xs.resize(padded_width, 0.0);
        Evaluator {
            network,
            layers,
            values: sizes.iter().map(|&width| vec![0.0; width * BLOCK]).collect(),
            column_parts,
            padded_width,
            row_weights,
            xs: padded_xs,
        }
    }

    /// Runs the pixels `first_column .. first_column + len` of the row at standardised height
    /// `y` through every layer (`len ≤ BLOCK`), to `len` rounded up to [`LANES`]: past the pixels
    /// in use the buffers hold finite leftovers.
    fn run(&mut self, y: f64, first_column: usize, len: usize) {
        let n = len.div_ceil(LANES) * LANES;
        let network = self.network;
        let n_hidden = network.n_hidden();
        // The inputs, for skip connections from them.
        {
            let (inputs_x, inputs_y) = self.values[0].split_at_mut(BLOCK);
            inputs_x[..n].copy_from_slice(&self.xs[first_column..first_column + n]);
            inputs_y[..n].fill(y as f32);
        }
        for layer in 0..=n_hidden {
            let (before, after) = self.values.split_at_mut(layer + 1);
            let (previous, current) = (&before[layer], &mut after[0]);
            let Layer { fan_in, weights, biases } = &self.layers[layer];
            for (j, &bias) in biases.iter().enumerate() {
                let out = &mut current[j * BLOCK..j * BLOCK + n];
                if layer == 0 {
                    // z_j = w_j1·x + (w_j2·y + b_j): the column part plus the row's.
                    let (w, b) = self.row_weights[j];
                    let row_part = (w * y + b) as f32;
                    let columns = &self.column_parts[j * self.padded_width + first_column..];
                    out.iter_mut().zip(columns).for_each(|(z, &c)| *z = c + row_part);
                } else {
                    let weights = &weights[j * fan_in..(j + 1) * fan_in];
                    // z_j = b_j + Σ_i h_i w_ij, LANES pixels at a time in registers.
                    for (chunk, out) in out.chunks_exact_mut(LANES).enumerate() {
                        let mut sum = [bias; LANES];
                        for (i, &w) in weights.iter().enumerate() {
                            let at = i * BLOCK + chunk * LANES;
                            let input = &previous[at..at + LANES];
                            sum.iter_mut().zip(input).for_each(|(z, &h)| *z += h * w);
                        }
                        out.copy_from_slice(&sum);
                    }
                }
                if layer == n_hidden {
                    continue;
                }
                activate(network.activations()[layer], out);
                if let Some(source) = network.skips()[layer][j] {
                    let input = &previous[source * BLOCK..source * BLOCK + n];
                    out.iter_mut().zip(input).for_each(|(h, &s)| *h += s);
                }
            }
        }
    }

    /// Turns the first `n` pixels of the output layer's logits into probabilities (one unit for
    /// a logistic output, k for softmax); linear outputs are left as they are.
    fn probabilities(&mut self, n: usize) {
        let output = self.network.output();
        let Some(units) = self.values.last_mut() else {
            return;
        };
        match output {
            Output::Linear => {}
            Output::Sigmoid => math::sigmoid_in_place(&mut units[..n]),
            Output::Softmax => {
                let k = units.len() / BLOCK;
                let mut max = [f32::NEG_INFINITY; BLOCK];
                for class in 0..k {
                    let z = &units[class * BLOCK..class * BLOCK + n];
                    max.iter_mut().zip(z).for_each(|(m, &z)| *m = m.max(z));
                }
                let mut sum = [0.0; BLOCK];
                for class in 0..k {
                    let z = &mut units[class * BLOCK..class * BLOCK + n];
                    z.iter_mut().zip(&max).for_each(|(z, &m)| *z -= m);
                    math::exp_in_place(z);
                    sum.iter_mut().zip(z.iter()).for_each(|(s, &e)| *s += e);
                }
                let mut inverse = [0.0; BLOCK];
                inverse.iter_mut().zip(&sum).for_each(|(i, &s)| *i = 1.0 / s);
                for class in 0..k {
                    let p = &mut units[class * BLOCK..class * BLOCK + n];
                    p.iter_mut().zip(&inverse).for_each(|(p, &i)| *p *= i);
                }
            }
        }
    }
}

/// A hidden layer's activation on a block of values, in place.
fn activate(activation: Activation, values: &mut [f32]) {
    match activation {
        Activation::Sigmoid => math::sigmoid_in_place(values),
        Activation::Tanh => math::tanh_in_place(values),
        Activation::Relu => values.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { 0.0 }),
        Activation::LeakyRelu => {
            values.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { LEAKY_SLOPE as f32 * *v })
        }
        Activation::Linear => {}
    }
}

impl Mlp {
    /// The network and its evaluator over the grid `xs × ys` (row-major: `ys` outer, `xs`
    /// inner), with `visit(evaluator, first pixel, pixels)` called once per block after the
    /// forward pass (logits in the last layer). `None` before set-up, for a damaged model, a
    /// network not on two inputs, or non-finite coordinates.
    fn walk_grid(&self, xs: &[f64], ys: &[f64], mut visit: impl FnMut(&mut Evaluator, usize, usize)) -> Option<()> {
        self.check_consistency().ok()?;
        let (network, scaler) = (self.network()?, self.scaler()?);
        if network.sizes()[0] != 2 || xs.iter().chain(ys).any(|v| !v.is_finite()) {
            return None;
        }
        // Standardised as `Standardizer::transform` does.
        let (mean, scale) = (&scaler.mean, &scaler.scale);
        let xs: Vec<f64> = xs.iter().map(|&x| (x - mean[0]) / scale[0]).collect();
        let mut evaluator = Evaluator::new(network, &xs);
        for (row, &y) in ys.iter().enumerate() {
            let y = (y - mean[1]) / scale[1];
            let mut column = 0;
            while column < xs.len() {
                let len = BLOCK.min(xs.len() - column);
                evaluator.run(y, column, len);
                visit(&mut evaluator, row * xs.len() + column, len);
                column += len;
            }
        }
        Some(())
    }

    /// Class probabilities over the grid `xs × ys` for drawing: pixel `(c, r)` (`x = xs[c]`,
    /// `y = ys[r]`) has its `k` probabilities at `(r·xs.len() + c)·k ..` (k = 2 for a logistic
    /// output: `1 − p, p`), as `predict` gives them for that point to within [`GRID_TOLERANCE`]. `None` before
    /// the network is set up, for regression, for a network not on two features, for a damaged
    /// model, or for non-finite coordinates.
    pub fn grid_probabilities(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        self.check_consistency().ok()?;
        // Quantised activations: `predict`'s path (this one does not round them).
        if self.network()?.quantized().is_some_and(|q| !q.activations.is_empty()) {
            return None;
        }
        let output = self.network()?.output();
        let k = match output {
            Output::Linear => return None,
            Output::Sigmoid => 2,
            Output::Softmax => *self.network()?.sizes().last()?,
        };
        let mut out = vec![0.0; xs.len() * ys.len() * k];
        self.walk_grid(xs, ys, |evaluator, first, len| {
            evaluator.probabilities(len);
            let Some(units) = evaluator.values.last() else {
                return;
            };
            let pixels = out[first * k..(first + len) * k].chunks_exact_mut(k);
            match output {
                Output::Sigmoid => {
                    for (pixel, &p) in pixels.zip(units) {
                        let p = p as f64;
                        pixel.copy_from_slice(&[1.0 - p, p]);
                    }
                }
                _ => {
                    for (p, pixel) in pixels.enumerate() {
                        for (class, value) in pixel.iter_mut().enumerate() {
                            *value = units[class * BLOCK + p] as f64;
                        }
                    }
                }
            }
        })?;
        Some(out)
    }

    /// Every hidden layer's outputs over the grid `xs × ys` for drawing, in the shape of
    /// [`Mlp::neuron_outputs`] on those points (one `n × width` matrix per hidden layer, rows in
    /// the pixel order of [`Mlp::grid_probabilities`]), to within [`GRID_TOLERANCE`]. Empty when
    /// `grid_probabilities` would give `None` (regression networks included: they have neurons
    /// too, so only the output differs).
    pub fn grid_neuron_outputs(&self, xs: &[f64], ys: &[f64]) -> Vec<DMatrix<f64>> {
        let (Ok(()), Some(network)) = (self.check_consistency(), self.network()) else {
            return Vec::new();
        };
        let n = xs.len() * ys.len();
        let sizes = network.sizes();
        let hidden = sizes.get(1..sizes.len().saturating_sub(1)).unwrap_or(&[]);
        let mut outputs: Vec<DMatrix<f64>> = hidden.iter().map(|&width| DMatrix::zeros(n, width)).collect();
        let walked = self.walk_grid(xs, ys, |evaluator, first, len| {
            for (matrix, values) in outputs.iter_mut().zip(&evaluator.values[1..]) {
                for (j, mut column) in matrix.column_iter_mut().enumerate() {
                    let values = &values[j * BLOCK..j * BLOCK + len];
                    column.rows_mut(first, len).iter_mut().zip(values).for_each(|(out, &v)| *out = v as f64);
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
    use crate::data::gaussian;
    use crate::data::{rng, Dataset, Task};
    use crate::model::{Hyperparams, Model};
    use rand::RngExt;

    /// `n` points in [-3, 3] × [-1, 5] with `d` features (the third and on are noise), labelled
    /// with `k` classes (k = 0: regression).
    fn data(n: usize, d: usize, k: usize) -> Dataset {
        let mut r = rng(3);
        let x: Vec<f64> = (0..n * d)
            .map(|i| if i % d == 1 { r.random_range(-1.0..5.0) } else { r.random_range(-3.0..3.0) })
            .collect();
        let y: Vec<f64> = (0..n).map(|i| if k == 0 { x[i * d] } else { (i % k) as f64 }).collect();
        let task = if k == 0 { Task::Regression } else { Task::Classification { n_classes: k } };
        Dataset::from_rows(&x, d, &y, task).unwrap()
    }

    /// A network of the given hidden layers set up on `data`, with random weights of standard
    /// deviation `spread` (larger than trained ones usually are, so activations saturate and
    /// errors would show) and random biases.
    fn network(data: &Dataset, hidden: &[(usize, Activation)], residual: bool, spread: f64, seed: u64) -> Mlp {
        let params = MlpParams {
            hidden_layers: hidden.iter().map(|&(neurons, activation)| HiddenLayer { neurons, activation }).collect(),
            residual,
            ..MlpParams::default()
        };
        let mut model = params.build(seed).unwrap();
        model.initialize(data).unwrap();
        let mut r = rng(seed);
        if let Some(network) = model.network.as_mut() {
            network.params_mut().iter_mut().for_each(|p| *p = spread * gaussian(&mut r));
        }
        model
    }

    /// The grid of a `w × h` picture of [-4, 4] × [-2, 6], rows from the top, and the same
    /// points as a matrix for `predict`, in the same order.
    fn grid(w: usize, h: usize) -> (Vec<f64>, Vec<f64>, DMatrix<f64>) {
        let xs: Vec<f64> = (0..w).map(|c| -4.0 + 8.0 * c as f64 / (w - 1) as f64).collect();
        let ys: Vec<f64> = (0..h).map(|r| 6.0 - 8.0 * r as f64 / (h - 1) as f64).collect();
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
                    worst = worst.max(assert_close(&fast, exact.transpose().as_slice(), GRID_TOLERANCE, &what));
                    let exact = model.neuron_outputs(&points);
                    let fast = model.grid_neuron_outputs(&xs, &ys);
                    assert_eq!(fast.len(), 3, "{what}");
                    // Unbounded activations reach the hundreds with these weights; single
                    // precision is relative, so hidden values are within the tolerance relative
                    // to the largest hidden value so far (the scale of the sums they come from,
                    // and for unbounded activations the scale their thumbnails are coloured on).
                    let mut scale: f64 = 1.0;
                    for (layer, (a, b)) in fast.iter().zip(&exact).enumerate() {
                        assert_eq!(a.shape(), b.shape(), "{what}, layer {layer}");
                        scale = b.iter().fold(scale, |m, v| m.max(v.abs()));
                        assert_close(
                            a.as_slice(),
                            b.as_slice(),
                            GRID_TOLERANCE * scale,
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
        // Weights of spread 3 make a chaotic network (each layer multiplies a perturbation by
        // ~3·√32 where tanh is not saturated), which no training produces: single precision's
        // rounding grows to ~4e-4 there, still ten times finer than a colour step.
        let data = data(40, 2, 2);
        let (xs, ys, points) = grid(41, 40);
        for (activation, spread, tolerance) in [
            (Activation::Tanh, 3.0, 1e-3),
            (Activation::Sigmoid, 3.0, 1e-3),
            (Activation::Tanh, 0.4, GRID_TOLERANCE),
            (Activation::Relu, 0.3, GRID_TOLERANCE),
        ] {
            let model = network(&data, &[(32, activation); 8], true, spread, 9);
            let exact = model.predict(&points).unwrap();
            let fast = model.grid_probabilities(&xs, &ys).unwrap();
            assert_close(&fast, exact.transpose().as_slice(), tolerance, &format!("{activation:?} × {spread}"));
        }
    }

    #[test]
    fn wide_narrow_and_single_pixel_grids_match_predict() {
        // Rows of 300 pixels (blocks of 128, 128 and 44), a single column, a single pixel.
        for k in [2, 4] {
            let data = data(50, 2, k);
            let hidden = [(8, Activation::Tanh), (8, Activation::Relu)];
            let model = network(&data, &hidden, true, 1.0, 4);
            for (xs, ys) in [
                (grid(300, 3).0, grid(300, 3).1),
                (vec![0.25], grid(2, 7).1),
                (vec![-1.0], vec![2.5]),
                (vec![3.0, -3.0, 0.0], vec![-1.0]),
            ] {
                let points =
                    DMatrix::from_fn(
                        xs.len() * ys.len(),
                        2,
                        |p, j| {
                            if j == 0 {
                                xs[p % xs.len()]
                            } else {
                                ys[p / xs.len()]
                            }
                        },
                    );
                let what = format!("{k} classes, {} × {}", xs.len(), ys.len());
                let exact = model.predict(&points).unwrap();
                let fast = model.grid_probabilities(&xs, &ys).unwrap();
                assert_close(&fast, exact.transpose().as_slice(), GRID_TOLERANCE, &what);
                let exact = model.neuron_outputs(&points);
                let fast = model.grid_neuron_outputs(&xs, &ys);
                for (a, b) in fast.iter().zip(&exact) {
                    let scale = b.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
                    assert_close(a.as_slice(), b.as_slice(), GRID_TOLERANCE * scale, &what);
                }
            }
        }
    }

    #[test]
    fn only_two_input_classifiers_on_finite_grids_get_a_surface() {
        let (xs, ys, _) = grid(5, 4);
        // Not set up yet.
        let params = MlpParams::default();
        assert!(params.build(1).unwrap().grid_probabilities(&xs, &ys).is_none());
        assert!(params.build(1).unwrap().grid_neuron_outputs(&xs, &ys).is_empty());
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
        assert_eq!(model.grid_probabilities(&xs, &[]), Some(Vec::new()));
        assert_eq!(model.grid_neuron_outputs(&[], &[])[0].shape(), (0, 4));
        // A damaged model (weights cut short) gives nothing rather than a panic.
        let mut damaged = model.clone();
        if let Some(network) = damaged.network.as_mut() {
            let (sizes, activations, skips) =
                (network.sizes().to_vec(), network.activations().to_vec(), network.skips().to_vec());
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
