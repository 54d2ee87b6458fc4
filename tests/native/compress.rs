//! Compression (src/compress, and freezing in the network's training): masked updates keep
//! pruned weights at zero and frozen layers bit for bit under every optimiser; magnitude pruning
//! selects what numpy selects; int8 matches numpy's round trip to the last integer; the
//! distillation gradient matches finite differences at several temperatures and α = 1 trains
//! exactly as plain training does; bad settings are refused with a message.
//!
//! numpy references (numpy 2.4.6), computed once with:
//! ```python
//! p = ((np.arange(31) * 37) % 23 - 11) / 10          # the parameters of the [2, 4, 3, 1] network
//! blocks = [(0, 8), (12, 12), (27, 3)]                  # (offset, count) of each weight matrix
//! idx = np.concatenate([np.arange(o, o + n) for o, n in blocks]); w = p[idx]
//! global: idx[np.argsort(np.abs(w), kind="stable")[:round(s * len(w))]]
//! layer:  per block, o + np.argsort(np.abs(p[o:o+n]), kind="stable")[:round(s * n)]
//! w = np.sin(np.arange(12) * 0.7) * 0.8                # a 4 × 3 weight matrix, column-major
//! symmetric per tensor: s = np.float32(np.abs(w).max() / 127); q = np.clip(np.round(w / np.float64(s)), -127, 127)
//! asymmetric per column: lo, hi = min(col.min(), 0), max(col.max(), 0); s = np.float32((hi - lo) / 255)
//!     z = np.clip(np.round(-128 - lo / np.float64(s)), -128, 127); q = np.clip(np.round(col / np.float64(s)) + z, -128, 127)
//! ```

use ml_playground::compress::distill::{self, DistillOptions};
use ml_playground::compress::prune::{self, PruneOptions, Scope};
use ml_playground::compress::quantize::{self, QuantizeOptions};
use ml_playground::compress::size;
use ml_playground::data::generate::{generate, DataSpec, DatasetKind};
use ml_playground::data::{rng, Dataset};
use ml_playground::model::mlp::{Activation, HiddenLayer, MlpParams, Network, Output};
use ml_playground::model::{AnyModel, Model, ModelParams};
use ml_playground::optim::{OptimizerKind, TrainParams};
use nalgebra::DMatrix;

fn moons(n: usize, seed: u32) -> Dataset {
    generate(&DataSpec { kind: DatasetKind::Moons, n, noise: 0.2, seed, ..DataSpec::default() }).unwrap()
}

fn params(hidden: &[usize], optimizer: OptimizerKind) -> MlpParams {
    MlpParams {
        hidden_layers: hidden.iter().map(|&neurons| HiddenLayer { neurons, activation: Activation::Tanh }).collect(),
        train: TrainParams { learning_rate: 0.02, batch_size: 32, optimizer, ..TrainParams::default() },
        max_epochs: 60,
        ..MlpParams::default()
    }
}

fn trained(hidden: &[usize], data: &Dataset, seed: u64) -> AnyModel {
    let p = params(hidden, OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    let mut model = ModelParams::Mlp(p).build(seed).unwrap();
    model.fit(data).unwrap();
    model
}

fn network(model: &AnyModel) -> &Network {
    match model {
        AnyModel::Mlp(m) => m.network().unwrap(),
        _ => panic!("not a network"),
    }
}

fn accuracy(model: &AnyModel, data: &Dataset) -> f64 {
    let p = model.predict(&data.x).unwrap();
    let hits = (0..data.len()).filter(|&i| (p[(i, 1)] > 0.5) == (data.y[i] == 1.0)).count();
    hits as f64 / data.len() as f64
}

const OPTIMIZERS: [OptimizerKind; 3] = [
    OptimizerKind::Sgd,
    OptimizerKind::Momentum { beta: 0.9, nesterov: true },
    OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
];

#[test]
fn pruned_weights_stay_exactly_zero_while_fine_tuning_under_every_optimiser() {
    let data = moons(200, 3);
    for optimizer in OPTIMIZERS {
        let mut p = params(&[8, 8], optimizer);
        p.l1 = 0.001;
        p.l2 = 0.001;
        let mut model = ModelParams::Mlp(p).build(2).unwrap();
        model.fit(&data).unwrap();
        let options = PruneOptions { sparsity: 0.6, fine_tune_epochs: 15, ..PruneOptions::default() };
        let pruned = prune::prune(&model, &options, Some(&data)).unwrap();
        let AnyModel::Mlp(mlp) = &pruned else { unreachable!() };
        let mask = mlp.pruned().unwrap();
        let before = prune::prune(&model, &PruneOptions { fine_tune_epochs: 0, ..options.clone() }, None).unwrap();
        let (after_w, before_w) = (network(&pruned).params(), network(&before).params());
        let n_weights = mask.iter().filter(|m| **m).count();
        assert_eq!(n_weights, (0.6f64 * (2 * 8 + 8 * 8 + 8) as f64).round() as usize, "{optimizer:?}");
        for (i, &m) in mask.iter().enumerate() {
            if m {
                assert_eq!(after_w[i].to_bits(), 0.0f64.to_bits(), "{optimizer:?}: pruned weight {i} moved");
            }
        }
        // The others did train.
        assert!(mask.iter().zip(after_w.iter().zip(before_w)).any(|(m, (a, b))| !m && a != b), "{optimizer:?}");
        // The original is untouched.
        assert!(network(&model).params().iter().filter(|w| **w == 0.0).count() < 3);
    }
}

#[test]
fn frozen_layers_get_no_update_from_any_optimiser_nor_from_l1_l2() {
    let data = moons(150, 4);
    for optimizer in OPTIMIZERS {
        let mut p = params(&[6, 5], optimizer);
        p.l1 = 0.01;
        p.l2 = 0.01;
        let mut model = ModelParams::Mlp(p.clone()).build(5).unwrap();
        let mut r = rng(9);
        model.step(&data, &mut r).unwrap();
        let AnyModel::Mlp(mut mlp) = model else { unreachable!() };
        let before = mlp.network().unwrap().clone();
        let mut frozen_params = p;
        frozen_params.frozen = vec![0, 2];
        // Same model, now with layers 0 (input → first hidden) and 2 (output) frozen.
        let json = serde_json::to_value(&mlp).unwrap();
        let mut json = json;
        json["params"] = serde_json::to_value(&frozen_params).unwrap();
        mlp = serde_json::from_value(json).unwrap();
        for _ in 0..5 {
            mlp.step(&data, &mut r).unwrap();
        }
        let after = mlp.network().unwrap();
        let offsets = [0, 3 * 6, 3 * 6 + 7 * 5, 3 * 6 + 7 * 5 + 6];
        let moments = mlp.optimizer().unwrap();
        for layer in 0..3 {
            let range = offsets[layer]..offsets[layer + 1];
            let same = before.params()[range.clone()]
                .iter()
                .zip(&after.params()[range.clone()])
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert_eq!(same, layer != 1, "{optimizer:?}: layer {layer}");
            if layer != 1 && !moments.first_moments().is_empty() {
                // The state was created fresh for the frozen model: a frozen entry never moved.
                assert!(moments.first_moments()[range.clone()].iter().all(|m| *m == 0.0), "{optimizer:?}");
                assert!(moments.second_moments().get(range).is_none_or(|s| s.iter().all(|v| *v == 0.0)));
            }
        }
    }
}

#[test]
fn freezing_every_layer_is_refused_when_training() {
    let data = moons(60, 1);
    let mut p = params(&[4], OptimizerKind::Sgd);
    p.frozen = vec![0, 1];
    let mut model = ModelParams::Mlp(p).build(1).unwrap();
    let e = model.step(&data, &mut rng(1)).unwrap_err().to_string();
    assert!(e.contains("every layer is frozen"), "{e}");
    let mut p = params(&[4], OptimizerKind::Sgd);
    p.frozen = vec![0, 0];
    assert!(ModelParams::Mlp(p).check().unwrap_err().to_string().contains("twice"));
}

#[test]
fn a_grown_layer_trains_alone_when_the_old_ones_are_frozen() {
    let data = moons(150, 6);
    let model = trained(&[6], &data, 3);
    let AnyModel::Mlp(mut mlp) = model else { unreachable!() };
    let probe = data.x.rows(0, 20).into_owned();
    let p_before = mlp.predict(&probe).unwrap();
    mlp.add_layer(1).unwrap(); // input → 6 → new 6 → output
    assert!((mlp.predict(&probe).unwrap() - &p_before).amax() < 1e-12, "Net2Net keeps the function");
    let old = mlp.network().unwrap().clone();
    let mut json = serde_json::to_value(&mlp).unwrap();
    json["params"]["frozen"] = serde_json::json!([0, 2]);
    let mut mlp: ml_playground::model::mlp::Mlp = serde_json::from_value(json).unwrap();
    let mut r = rng(2);
    for _ in 0..5 {
        mlp.step(&data, &mut r).unwrap();
    }
    let new = mlp.network().unwrap();
    for layer in [0, 2] {
        assert_eq!(old.weights(layer), new.weights(layer), "frozen layer {layer}");
        assert_eq!(old.biases(layer), new.biases(layer));
    }
    assert_ne!(old.weights(1), new.weights(1), "the new layer trains");
}

/// The [2, 4, 3, 1] network whose parameters are `((i · 37) mod 23 − 11) / 10`: many ties.
fn tied_network() -> Network {
    let params: Vec<f64> = (0..31).map(|i| ((i * 37 % 23) as f64 - 11.0) / 10.0).collect();
    let skips = vec![vec![None; 4], vec![None; 3]];
    Network::from_parts(vec![2, 4, 3, 1], vec![Activation::Tanh; 2], skips, Output::Sigmoid, params).unwrap()
}

fn flagged(mask: &[bool]) -> Vec<usize> {
    (0..mask.len()).filter(|&i| mask[i]).collect()
}

#[test]
fn magnitude_pruning_selects_what_numpy_selects_with_ties_broken_by_position() {
    let net = tied_network();
    let cases: [(f64, Scope, &[usize]); 4] = [
        (0.3, Scope::Global, &[1, 4, 14, 17, 19, 22, 27]),
        (0.3, Scope::Layer, &[1, 4, 14, 17, 19, 22, 27]),
        (0.5, Scope::Global, &[1, 2, 4, 6, 7, 12, 14, 17, 19, 22, 27, 29]),
        (0.5, Scope::Layer, &[1, 4, 6, 7, 12, 14, 16, 17, 19, 22, 27, 29]),
    ];
    for (sparsity, scope, expected) in cases {
        assert_eq!(flagged(&prune::magnitude_mask(&net, sparsity, scope)), expected, "{sparsity} {scope:?}");
    }
}

#[test]
fn sparsity_is_exact_and_neuron_pruning_narrows_the_network() {
    let data = moons(200, 2);
    let model = trained(&[16, 16], &data, 1);
    let n_weights = 2 * 16 + 16 * 16 + 16;
    for sparsity in [0.0, 0.25, 0.8, 0.9, 0.99] {
        let pruned = prune::prune(&model, &PruneOptions { sparsity, ..Default::default() }, None).unwrap();
        let zeros = network(&pruned).params().iter().filter(|w| **w == 0.0).count();
        // Biases of a trained network are not exactly zero; the pruned weights are.
        assert_eq!(zeros, (sparsity * n_weights as f64).round() as usize, "{sparsity}");
    }
    let slim = prune::prune(
        &model,
        &PruneOptions { sparsity: 0.5, structured: true, scope: Scope::Layer, ..Default::default() },
        None,
    )
    .unwrap();
    assert_eq!(network(&slim).sizes(), &[2, 8, 8, 1]);
    let s = size(&slim).unwrap();
    assert_eq!(s.parameters, 3 * 8 + 9 * 8 + 9);
    // Fine-tuned, the slim network classifies as well as before (to 0.05).
    let options = PruneOptions {
        sparsity: 0.5,
        structured: true,
        scope: Scope::Layer,
        fine_tune_epochs: 30,
        ..Default::default()
    };
    let tuned = prune::prune(&model, &options, Some(&data)).unwrap();
    assert!(accuracy(&tuned, &data) > accuracy(&model, &data) - 0.05, "{}", accuracy(&tuned, &data));
    let global =
        prune::prune(&model, &PruneOptions { sparsity: 0.9, structured: true, ..Default::default() }, None).unwrap();
    let sizes = network(&global).sizes();
    assert!(sizes[1] >= 1 && sizes[2] >= 1 && sizes[1] + sizes[2] == 32 - 29, "{sizes:?}");
}

#[test]
fn iterative_pruning_rises_on_a_cubic_schedule_to_the_exact_sparsity() {
    let options = PruneOptions { sparsity: 0.8, steps: 10, fine_tune_epochs: 2, ..Default::default() };
    assert!((options.sparsity_at(1) - 0.8 * 0.271).abs() < 1e-12);
    assert!((options.sparsity_at(5) - 0.8 * 0.875).abs() < 1e-12);
    assert_eq!(options.sparsity_at(10), 0.8);
    let data = moons(200, 3);
    let model = trained(&[16, 16], &data, 1);
    let pruned = prune::prune(&model, &options, Some(&data)).unwrap();
    let zeros = network(&pruned).params().iter().filter(|w| **w == 0.0).count();
    assert_eq!(zeros, (0.8f64 * (2 * 16 + 16 * 16 + 16) as f64).round() as usize);
    let e = prune::prune(&model, &PruneOptions { structured: true, steps: 3, ..Default::default() }, None).unwrap_err();
    assert!(e.to_string().contains("steps"), "{e}");
}

#[test]
fn int8_matches_numpy_to_the_last_integer() {
    let w: Vec<f64> = (0..12).map(|i| (i as f64 * 0.7).sin() * 0.8).collect();
    let sym = quantize::quantize_matrix(
        &w,
        4,
        &QuantizeOptions { bits: 8, per_channel: false, symmetric: true, activations: false },
    );
    assert_eq!(sym.values, [0, 83, 127, 111, 43, -45, -112, -126, -81, 2, 84, 127]);
    assert_eq!(sym.scales, [0.0062246816f32]);
    let asym = quantize::quantize_matrix(
        &w,
        4,
        &QuantizeOptions { bits: 8, per_channel: true, symmetric: false, activations: false },
    );
    assert_eq!(asym.values, [-128, 39, 127, 95, 127, -6, -107, -128, -128, -26, 74, 127]);
    assert_eq!(asym.scales, [0.003091607f32, 0.0041331477, 0.0050805798]);
    assert_eq!(asym.zero_points, [-128, 62, -29]);
}

#[test]
fn a_quantised_network_predicts_as_its_dequantised_weights_and_its_file_holds_integers() {
    let data = moons(200, 8);
    let model = trained(&[16, 16], &data, 4);
    for (bits, per_channel, symmetric) in [(8, false, true), (8, true, false), (4, true, true), (1, false, true)] {
        let q =
            quantize::quantize(&model, &QuantizeOptions { bits, per_channel, symmetric, activations: false }).unwrap();
        let net = network(&q);
        let stored = net.quantized().unwrap();
        // Dequantise in f64 from the stored integers, independently of the network's own weights.
        let mut params = net.params().to_vec();
        let mut at = 0;
        for (l, layer) in stored.layers.iter().enumerate() {
            let (fan_in, fan_out) = (net.sizes()[l], net.sizes()[l + 1]);
            for i in 0..fan_in * fan_out {
                let c = if per_channel { i / fan_in } else { 0 };
                let z = layer.zero_points.get(c).copied().unwrap_or(0) as f64;
                params[at + i] = (layer.values[i] as f64 - z) * layer.scales[c] as f64;
            }
            at += (fan_in + 1) * fan_out;
        }
        let float = Network::from_parts(
            net.sizes().to_vec(),
            net.activations().to_vec(),
            net.skips().to_vec(),
            net.output(),
            params,
        )
        .unwrap();
        let AnyModel::Mlp(mlp) = &q else { unreachable!() };
        let z = mlp.scaler().unwrap().transform(&data.x);
        let (a, _) = net.forward_all(&z).unwrap();
        let (b, _) = float.forward_all(&z).unwrap();
        assert!((a - b).amax() < 1e-6, "{bits} bits");
        // The file stores the integers and no float weights; it reads back to the same model.
        let text = serde_json::to_string(&q).unwrap();
        let file: serde_json::Value = serde_json::from_str(&text).unwrap();
        let stored_net = &file["network"];
        assert!(
            stored_net.get("params").is_none() && stored_net["quantized"]["layers"][1]["values"].is_array(),
            "{bits}"
        );
        assert!(stored_net["quantized"]["layers"][1]["values"].as_array().unwrap().iter().all(|v| v.is_i64()));
        let back: AnyModel = serde_json::from_str(&text).unwrap();
        back.validate().unwrap();
        assert_eq!(back.predict(&data.x).unwrap(), q.predict(&data.x).unwrap());
        let s = size(&q).unwrap();
        let biases = 16 + 16 + 1;
        let weights = 2 * 16 + 16 * 16 + 16;
        let scales = if per_channel { 16 + 16 + 1 } else { 3 };
        let zeros = if symmetric || bits == 1 { 0 } else { scales };
        let packed: usize = [2 * 16, 16 * 16, 16].iter().map(|n: &usize| (n * bits as usize).div_ceil(8)).sum();
        assert_eq!(s.bytes, packed + 4 * scales + zeros + 8 * biases, "{bits}");
        assert_eq!(s.parameters, weights + biases);
    }
    let int8 = quantize::quantize(&model, &QuantizeOptions::default()).unwrap();
    assert!((accuracy(&int8, &data) - accuracy(&model, &data)).abs() <= 0.01);
    assert_eq!(size(&model).unwrap().bytes, 8 * (3 * 16 + 17 * 16 + 17));
}

#[test]
fn the_distillation_gradient_matches_finite_differences_at_several_temperatures() {
    let mut r = rng(3);
    for (output, k) in [(Output::Sigmoid, 1), (Output::Softmax, 3), (Output::Linear, 1)] {
        let net = Network::new(vec![2, 5, k], vec![Activation::Tanh], output, false, &mut r).unwrap();
        let n = 7;
        let x = DMatrix::from_fn(n, 2, |i, j| ((i * 3 + j * 5) % 7) as f64 / 3.0 - 1.0);
        let t = DMatrix::from_fn(n, k, |i, c| match output {
            Output::Linear => i as f64 / 4.0,
            _ if k == 1 => (i % 2) as f64,
            _ => ((i % k) == c) as u8 as f64,
        });
        let soft = DMatrix::from_fn(n, k, |i, c| match output {
            Output::Softmax => [0.2, 0.5, 0.3][(c + i) % 3],
            _ => 0.1 + 0.1 * i as f64,
        });
        let labelled: Vec<bool> = (0..n).map(|i| i < 5).collect();
        for temperature in [0.5, 1.0, 2.0, 4.0, 10.0] {
            let alpha = 0.3;
            let (_, grad) =
                distill::objective_and_gradient(&net, &x, &t, &soft, &labelled, alpha, temperature).unwrap();
            for i in 0..net.params().len() {
                let h = 1e-6;
                let at = |delta: f64| {
                    let mut p = net.params().to_vec();
                    p[i] += delta;
                    let moved = Network::from_parts(
                        net.sizes().to_vec(),
                        net.activations().to_vec(),
                        net.skips().to_vec(),
                        output,
                        p,
                    )
                    .unwrap();
                    distill::objective_and_gradient(&moved, &x, &t, &soft, &labelled, alpha, temperature).unwrap().0
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                assert!(
                    (numeric - grad[i]).abs() < 1e-6 * (1.0 + numeric.abs()),
                    "{output:?} T={temperature} param {i}: {numeric} vs {}",
                    grad[i]
                );
            }
        }
    }
}

#[test]
fn with_alpha_one_the_student_trains_exactly_as_the_network_alone() {
    let data = moons(200, 5);
    let teacher = trained(&[8, 8], &data, 1);
    for optimizer in OPTIMIZERS {
        let student = params(&[4], optimizer);
        let options = DistillOptions {
            temperature: 3.0,
            alpha: 1.0,
            unlabeled: 0,
            epochs: Some(20),
            seed: 1,
            ..Default::default()
        };
        let distilled = distill::distill(&teacher, &ModelParams::Mlp(student.clone()), 7, &data, &options).unwrap();
        let mut plain = ModelParams::Mlp(MlpParams { max_epochs: 20, ..student }).build(7).unwrap();
        plain.fit(&data).unwrap();
        let (a, b) = (network(&distilled).params(), network(&plain).params());
        assert!(a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()), "{optimizer:?}");
    }
}

#[test]
fn a_student_as_large_as_its_teacher_approaches_its_probabilities() {
    let data = moons(300, 7);
    let teacher = trained(&[8], &data, 2);
    let mut student = params(&[8], OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    student.train.learning_rate = 0.02;
    student.patience = 1000;
    let options = DistillOptions {
        temperature: 1.0,
        alpha: 0.0,
        unlabeled: 500,
        epochs: Some(150),
        seed: 3,
        ..Default::default()
    };
    let s = distill::distill(&teacher, &ModelParams::Mlp(student), 11, &data, &options).unwrap();
    let (pt, ps) = (teacher.predict(&data.x).unwrap(), s.predict(&data.x).unwrap());
    let mean: f64 = (0..data.len()).map(|i| (pt[(i, 1)] - ps[(i, 1)]).abs()).sum::<f64>() / data.len() as f64;
    assert!(mean < 0.02, "mean |Δp| = {mean}");
}

#[test]
fn bad_settings_are_refused_with_a_message_naming_them() {
    let data = moons(100, 1);
    let model = trained(&[8], &data, 1);
    for sparsity in [1.0, -0.1, f64::NAN, 2.0] {
        let e = prune::prune(&model, &PruneOptions { sparsity, ..Default::default() }, None).unwrap_err();
        assert!(e.to_string().contains("sparsity"), "{e}");
    }
    for bits in [0, 9] {
        let e = quantize::quantize(&model, &QuantizeOptions { bits, ..Default::default() }).unwrap_err();
        assert!(e.to_string().contains("bits"), "{e}");
    }
    let big = ModelParams::Mlp(params(&[32, 32], OptimizerKind::Sgd));
    let e = distill::distill(&model, &big, 1, &data, &DistillOptions::default()).unwrap_err();
    assert!(e.to_string().contains("larger than its teacher"), "{e}");
    let untrained = ModelParams::Mlp(params(&[8], OptimizerKind::Sgd)).build(1).unwrap();
    let small = ModelParams::Mlp(params(&[2], OptimizerKind::Sgd));
    let e = distill::distill(&untrained, &small, 1, &data, &DistillOptions::default()).unwrap_err();
    assert!(e.to_string().contains("not trained"), "{e}");
    assert!(prune::prune(&untrained, &PruneOptions::default(), None).unwrap_err().to_string().contains("not trained"));
    let e = distill::distill(&model, &small, 1, &data, &DistillOptions { temperature: 0.0, ..Default::default() })
        .unwrap_err();
    assert!(e.to_string().contains("temperature"), "{e}");
    let e = prune::prune(&model, &PruneOptions { fine_tune_epochs: 3, ..Default::default() }, None).unwrap_err();
    assert!(e.to_string().contains("data"), "{e}");
}

#[test]
fn an_ensemble_averages_members_trained_on_their_own_samples_and_distils_into_one_network() {
    use ml_playground::compress::{ensemble, EnsembleOptions};
    let data = moons(300, 9);
    let test = moons(300, 10);
    let member = params(&[4], OptimizerKind::Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    let options = EnsembleOptions { members: 4, bootstrap: true, seed: 3 };
    let model = ensemble(&ModelParams::Mlp(member.clone()), &data, &options).unwrap();
    let AnyModel::Ensemble(e) = &model else { panic!("not an ensemble") };
    assert_eq!(e.members().len(), 4);
    let p = model.predict(&test.x).unwrap();
    let members: Vec<DMatrix<f64>> = e.members().iter().map(|m| m.predict(&test.x).unwrap()).collect();
    let mean = members.iter().fold(DMatrix::zeros(test.len(), 2), |s, m| s + m) / 4.0;
    assert!((&p - &mean).amax() < 1e-12);
    // Each member saw its own sample and started from its own weights: they differ.
    assert!((&members[0] - &members[1]).amax() > 1e-3);
    assert_eq!(size(&model).unwrap().parameters, 4 * (3 * 4 + 5));
    // Distilled into one network of the members' size, on the ensemble's soft targets.
    let student = distill::distill(
        &model,
        &ModelParams::Mlp(member),
        5,
        &data,
        &DistillOptions { temperature: 2.0, alpha: 0.5, unlabeled: 300, epochs: None, seed: 1, ..Default::default() },
    )
    .unwrap();
    assert!(
        accuracy(&student, &test) > accuracy(&model, &test) - 0.05,
        "{} vs {}",
        accuracy(&student, &test),
        accuracy(&model, &test)
    );
    // The ensemble's file reads back to the same predictions.
    let back: AnyModel = serde_json::from_str(&serde_json::to_string(&model).unwrap()).unwrap();
    back.validate().unwrap();
    assert_eq!(back.predict(&test.x).unwrap(), p);
}

#[test]
fn a_damaged_quantised_file_is_refused() {
    let data = moons(100, 1);
    let model = trained(&[4], &data, 1);
    let q = quantize::quantize(
        &model,
        &QuantizeOptions { bits: 4, per_channel: false, symmetric: true, activations: false },
    )
    .unwrap();
    let good = serde_json::to_value(&q).unwrap();
    let mut out_of_range = good.clone();
    out_of_range["network"]["quantized"]["layers"][0]["values"][0] = serde_json::json!(9);
    let mut short = good.clone();
    short["network"]["biases"].as_array_mut().unwrap().pop();
    let mut both = good.clone();
    both["network"]["params"] = serde_json::json!([0.0]);
    let mut zero_scale = good;
    zero_scale["network"]["quantized"]["layers"][1]["scales"][0] = serde_json::json!(0.0);
    for bad in [out_of_range, short, both, zero_scale] {
        let e = serde_json::from_value::<AnyModel>(bad).unwrap_err().to_string();
        assert!(e.contains("damaged"), "{e}");
    }
}

#[test]
fn the_compare_view_scores_both_models_and_measures_their_difference() {
    use ml_playground::compress::compare::compare;
    let data = moons(300, 12);
    let test = moons(200, 13);
    let model = trained(&[16, 16], &data, 3);
    let same = compare(&model, &model, &data, &test).unwrap();
    assert_eq!(same.changed_share, Some(0.0));
    assert_eq!(same.mean_abs_difference, 0.0);
    assert_eq!(same.original, same.compressed);
    let binary = quantize::quantize(&model, &QuantizeOptions { bits: 1, ..Default::default() }).unwrap();
    let c = compare(&model, &binary, &data, &test).unwrap();
    assert_eq!(c.original.test.accuracy, Some(accuracy(&model, &test)));
    assert_eq!(c.compressed.test.accuracy, Some(accuracy(&binary, &test)));
    let (a, b) = (model.predict(&test.x).unwrap(), binary.predict(&test.x).unwrap());
    let changed =
        (0..test.len()).filter(|&i| (a[(i, 1)] > 0.5) != (b[(i, 1)] > 0.5)).count() as f64 / test.len() as f64;
    assert!((c.changed_share.unwrap() - changed).abs() < 1e-12, "{c:?}");
    assert!(c.mean_abs_difference > 0.0);
    assert!(c.compressed.size.bytes < c.original.size.bytes / 4);
}
