//! Tests of the network core: gradients against finite differences, one forward pass and one
//! SGD step against scikit-learn, and function-preserving growth.

use crate::data::{gaussian, rng, Rng};
use crate::model::mlp::network::{self, Activation, Loss, Network, Output};
use crate::optim::{Optimizer, TrainParams};
use nalgebra::DMatrix;
use rand::RngExt;

fn random_matrix(rows: usize, cols: usize, r: &mut Rng) -> DMatrix<f64> {
    DMatrix::from_fn(rows, cols, |_, _| gaussian(r))
}

/// Targets for `rows` examples: 0/1 for a logistic output, one-hot for softmax, numbers otherwise.
fn random_targets(output: Output, rows: usize, k: usize, r: &mut Rng) -> DMatrix<f64> {
    match output {
        Output::Sigmoid => DMatrix::from_fn(rows, 1, |_, _| if r.random_bool(0.5) { 1.0 } else { 0.0 }),
        Output::Softmax => {
            let mut t = DMatrix::zeros(rows, k);
            for i in 0..rows {
                t[(i, r.random_range(0..k))] = 1.0;
            }
            t
        }
        Output::Linear => random_matrix(rows, 1, r),
    }
}

/// Asserts the analytic gradient of `objective_and_gradient` matches central differences.
fn assert_gradient_matches(
    network: &Network,
    x: &DMatrix<f64>,
    t: &DMatrix<f64>,
    loss: Loss,
    l1: f64,
    l2: f64,
    what: &str,
) {
    let (_, grad) = network.objective_and_gradient(x, t, loss, l1, l2).unwrap();
    let h = 1e-6;
    for (p, &analytic) in grad.iter().enumerate() {
        let mut plus = network.clone();
        plus.params_mut()[p] += h;
        let mut minus = network.clone();
        minus.params_mut()[p] -= h;
        let numeric = (plus.objective_and_gradient(x, t, loss, l1, l2).unwrap().0
            - minus.objective_and_gradient(x, t, loss, l1, l2).unwrap().0)
            / (2.0 * h);
        assert!(
            (numeric - analytic).abs() <= 1e-7 * analytic.abs().max(1.0),
            "{what}: parameter {p}: analytic {analytic} vs numeric {numeric}"
        );
    }
}

const OUTPUTS_AND_LOSSES: [(Output, Loss, usize); 5] = [
    (Output::Sigmoid, Loss::CrossEntropy, 1),
    (Output::Softmax, Loss::CrossEntropy, 3),
    (Output::Sigmoid, Loss::Mse, 1),
    (Output::Softmax, Loss::Mse, 4),
    (Output::Linear, Loss::Mse, 1),
];

#[test]
fn gradients_match_finite_differences_for_every_activation_loss_and_penalty() {
    let mut r = rng(11);
    for activation in Activation::ALL {
        for (output, loss, k) in OUTPUTS_AND_LOSSES {
            for residual in [false, true] {
                for (l1, l2) in [(0.0, 0.0), (0.03, 0.0), (0.0, 0.05), (0.02, 0.04)] {
                    // 3 → 4 → 4 → 3 → k: with `residual`, the second hidden layer gets skips.
                    let sizes = vec![3, 4, 4, 3, k];
                    let mut network = Network::new(sizes, vec![activation; 3], output, residual, &mut r).unwrap();
                    // Nonzero biases, so no ReLU sits exactly on its kink (z = 0 when a whole
                    // layer before it is silent).
                    network.params_mut().iter_mut().for_each(|p| *p += 0.2 * gaussian(&mut r));
                    assert_eq!(network.skips()[1].iter().any(Option::is_some), residual);
                    let x = random_matrix(7, 3, &mut r);
                    let t = random_targets(output, 7, k, &mut r);
                    let what = format!("{activation:?} {output:?} {loss:?} residual={residual} l1={l1} l2={l2}");
                    assert_gradient_matches(&network, &x, &t, loss, l1, l2, &what);
                }
            }
        }
    }
}

#[test]
fn gradients_with_mixed_activations_and_uneven_skips() {
    // Skip maps of the kind growth creates: widths differ, a source feeds several neurons, and
    // the first hidden layer takes a skip from the input.
    let mut r = rng(5);
    let sizes = vec![2, 3, 5, 4, 3];
    let skips = vec![
        vec![Some(1), None, Some(0)],
        vec![Some(2), None, Some(0), Some(0), None],
        vec![Some(4), Some(3), Some(3), None],
    ];
    let activations = vec![Activation::Tanh, Activation::LeakyRelu, Activation::Sigmoid];
    let params = (0..network::parameter_count(&sizes)).map(|_| 0.7 * gaussian(&mut r)).collect();
    let network = Network::from_parts(sizes, activations, skips, Output::Softmax, params).unwrap();
    let x = random_matrix(6, 2, &mut r);
    let t = random_targets(Output::Softmax, 6, 3, &mut r);
    assert_gradient_matches(&network, &x, &t, Loss::CrossEntropy, 0.01, 0.02, "mixed");
    // The skip really is added: the outputs differ from the same network without it.
    let (with, _) = network.forward_all(&x).unwrap();
    let mut plain = network.clone();
    plain.set_layout(
        plain.sizes().to_vec(),
        plain.activations().to_vec(),
        vec![vec![None; 3], vec![None; 5], vec![None; 4]],
        plain.params().to_vec(),
    );
    assert!((with - plain.forward_all(&x).unwrap().0).amax() > 1e-3);
}

#[test]
fn hidden_outputs_include_the_skip() {
    // 1 → 1 (linear, w = 2, b = 1) → 1 (tanh, w = 0, b = 0, skip) → output.
    let params = vec![2.0, 1.0, 0.0, 0.0, 1.0, 0.0];
    let network = Network::from_parts(
        vec![1, 1, 1, 1],
        vec![Activation::Linear, Activation::Tanh],
        vec![vec![None], vec![Some(0)]],
        Output::Linear,
        params,
    )
    .unwrap();
    let x = DMatrix::from_column_slice(2, 1, &[0.5, -1.0]);
    let (y, hidden) = network.forward_all(&x).unwrap();
    assert_eq!(hidden[0].as_slice(), &[2.0, -1.0]);
    assert_eq!(hidden[1].as_slice(), &[2.0, -1.0]);
    assert_eq!(y.as_slice(), &[2.0, -1.0]);
}

/// The six 2-D points the scikit-learn references use.
fn reference_inputs() -> DMatrix<f64> {
    DMatrix::from_row_slice(6, 2, &[0.5, -1.2, -0.3, 0.8, 1.5, 0.2, -1.1, -0.7, 0.9, 1.4, -0.2, -0.1])
}

/// Runs one full-batch SGD step from `params` and compares outputs, objective and new parameters.
#[allow(clippy::too_many_arguments)]
fn compare_with_reference(
    network: Network,
    target: &DMatrix<f64>,
    loss: Loss,
    l2: f64,
    learning_rate: f64,
    outputs: &[f64],
    objective: f64,
    after: &[f64],
) {
    let x = reference_inputs();
    let (y, _) = network.forward_all(&x).unwrap();
    assert_eq!(y.len(), outputs.len());
    for (a, b) in y.iter().zip(outputs) {
        assert!((a - b).abs() < 1e-12, "output {a} vs scikit-learn {b}");
    }
    let (ours, grad) = network.objective_and_gradient(&x, target, loss, 0.0, l2).unwrap();
    assert!((ours - objective).abs() < 1e-12, "objective {ours} vs {objective}");
    let mut stepped = network.clone();
    let mut optimizer = Optimizer::new(&TrainParams { learning_rate, ..TrainParams::default() }, grad.len());
    optimizer.update(stepped.params_mut(), &grad);
    for (i, (a, b)) in stepped.params().iter().zip(after).enumerate() {
        assert!((a - b).abs() < 1e-12, "parameter {i}: {a} vs scikit-learn {b}");
    }
}

// The reference numbers below come from scikit-learn 1.9.1:
//
// import numpy as np
// from sklearn.neural_network import MLPClassifier, MLPRegressor
// X = np.array([[0.5, -1.2], [-0.3, 0.8], [1.5, 0.2], [-1.1, -0.7], [0.9, 1.4], [-0.2, -0.1]])
// def fmt(a): return "[" + ", ".join(repr(float(v)) for v in np.ravel(a, order="F")) + "]"
// def case(name, est, y, sizes, lr, alpha, classes=None):
//     est.set_params(solver="sgd", momentum=0.0, batch_size=len(X), learning_rate_init=lr, alpha=alpha, shuffle=False)
//     est.partial_fit(X, y, classes=classes) if classes is not None else est.partial_fit(X, y)
//     rng = np.random.default_rng(len(name))
//     coefs = [np.round(rng.uniform(-1, 1, (a, b)), 2) for a, b in zip(sizes[:-1], sizes[1:])]
//     inter = [np.round(rng.uniform(-0.5, 0.5, b), 2) for b in sizes[1:]]
//     est.coefs_, est.intercepts_ = [c.copy() for c in coefs], [b.copy() for b in inter]
//     before = est.predict_proba(X) if classes is not None else est.predict(X)
//     params = np.concatenate([np.concatenate([np.ravel(c, order="F"), b]) for c, b in zip(coefs, inter)])
//     est.partial_fit(X, y)   # one full-batch SGD step from the weights set by hand
//     after = np.concatenate([np.concatenate([np.ravel(c, order="F"), b]) for c, b in zip(est.coefs_, est.intercepts_)])
//     print(fmt(params), fmt(before), repr(est.loss_), fmt(after))
// case("binary", MLPClassifier((3, 2), activation="logistic"), np.array([0, 1, 1, 0, 1, 0]), [2, 3, 2, 1], 0.5, 0.6, classes=[0, 1])
// case("three", MLPClassifier((4, 3), activation="tanh"), np.array([0, 1, 2, 0, 2, 1]), [2, 4, 3, 3], 0.3, 0.6, classes=[0, 1, 2])
// case("regression", MLPRegressor(hidden_layer_sizes=(4,), activation="relu"), np.array([0.3, -1.0, 2.2, 0.1, 1.7, -0.4]), [2, 4, 1], 0.2, 0.3)
//
// Conventions: scikit-learn's objective is `mean loss + alpha/(2n)·‖W‖²`, ours `mean loss +
// l2·‖W‖²`, so l2 = alpha/(2n) = 0.6/12 = 0.05 for the classifiers. Its regression loss is half
// the squared error, so our objective is twice its `loss_` when l2 = alpha/n = 0.05, and our
// learning rate is half its `learning_rate_init`.

#[test]
fn binary_classifier_matches_scikit_learn() {
    let params = vec![
        0.08, -0.25, -0.31, 0.97, -0.26, 0.27, 0.33, 0.29, -0.45, 0.35, 0.36, -0.9, -0.34, -0.75, 0.7, -0.29, 0.35,
        -0.98, 0.96, -0.07,
    ];
    // predict_proba, column-major: P(class 0) for the six points, then P(class 1).
    let outputs = [
        0.4986388847243356,
        0.5095894869958384,
        0.5097543673052038,
        0.49920373764226045,
        0.5149931600108224,
        0.5051180338667514,
        0.5013611152756644,
        0.4904105130041616,
        0.4902456326947962,
        0.5007962623577396,
        0.4850068399891776,
        0.4948819661332487,
    ];
    let loss = 0.9716851181198766;
    let after = [
        0.07099503139173409,
        -0.2449275288006426,
        -0.3023248765609414,
        0.911890971292242,
        -0.23589853249279802,
        0.2731744414112414,
        0.3296336352185569,
        0.29089583638663885,
        -0.4493505240321683,
        0.33413986718250216,
        0.33386544517862105,
        -0.856376328467639,
        -0.32469107396500546,
        -0.7045167114707819,
        0.6663152447852622,
        -0.2908699605657392,
        0.35074342958284377,
        -0.9285389575018239,
        0.9091374840476731,
        -0.06689186078789901,
    ];
    let network = Network::from_parts(
        vec![2, 3, 2, 1],
        vec![Activation::Sigmoid; 2],
        vec![vec![None; 3], vec![None; 2]],
        Output::Sigmoid,
        params,
    )
    .unwrap();
    let target = DMatrix::from_column_slice(6, 1, &[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]);
    compare_with_reference(network, &target, Loss::CrossEntropy, 0.05, 0.5, &outputs[6..], loss, &after);
}

#[test]
fn three_class_classifier_matches_scikit_learn() {
    let params = vec![
        0.61, -0.89, 0.62, -0.23, 0.03, -0.18, -0.43, -0.91, -0.48, 0.21, -0.5, 0.0, -0.9, -0.53, 0.8, -0.01, 1.0,
        -0.13, 0.69, 0.35, 0.3, 0.95, -0.22, -0.88, -0.06, -0.3, -0.18, 0.11, -0.87, -0.55, -0.46, 0.36, 0.79, 0.76,
        0.74, 0.74, 0.31, -0.18, -0.35,
    ];
    let outputs = [
        0.2925262980071637,
        0.768089485988419,
        0.35347151176644853,
        0.8659779073509527,
        0.560379460044599,
        0.7865450667295365,
        0.5274004934932538,
        0.12197416619383027,
        0.5192406182511501,
        0.07043159123681557,
        0.2839433852627639,
        0.1338951140893389,
        0.1800732084995826,
        0.10993634781775063,
        0.12728786998240146,
        0.06359050141223176,
        0.155677154692637,
        0.07955981918112462,
    ];
    let loss = 2.1441293530129717;
    let after = [
        0.5802862366687552,
        -0.831184277730756,
        0.5556251517888683,
        -0.15712048523204888,
        0.08318412382412685,
        -0.1401690755231372,
        -0.39262539593720336,
        -0.9222680649620013,
        -0.45504890893782207,
        0.2986813772951279,
        -0.5122590811003122,
        -0.05252117437421559,
        -0.8614730628076747,
        -0.48348166278188937,
        0.7726440330261061,
        -0.04339969060319825,
        0.9333909786283667,
        -0.12887311876584515,
        0.6572187718083874,
        0.2866365127494571,
        0.17788115157985346,
        0.8996399696841867,
        -0.2647547426087319,
        -0.9264734004198006,
        -0.05804035277230693,
        -0.294127311497047,
        -0.10644005031344116,
        0.08144212102659587,
        -0.7305970330768741,
        -0.561137069150326,
        -0.3908233055541014,
        0.2959852127057,
        0.7222164857053978,
        0.7070811845275055,
        0.657711820371174,
        0.7895205834449283,
        0.22865051350564403,
        -0.16284426842635763,
        -0.2858062450792864,
    ];
    let network = Network::from_parts(
        vec![2, 4, 3, 3],
        vec![Activation::Tanh; 2],
        vec![vec![None; 4], vec![None; 3]],
        Output::Softmax,
        params,
    )
    .unwrap();
    let labels = [0, 1, 2, 0, 2, 1];
    let target = DMatrix::from_fn(6, 3, |r, c| if labels[r] == c { 1.0 } else { 0.0 });
    compare_with_reference(network, &target, Loss::CrossEntropy, 0.05, 0.3, &outputs, loss, &after);
}

#[test]
fn regressor_matches_scikit_learn() {
    let params =
        vec![0.91, 0.03, -0.58, -0.73, 0.66, 0.38, -0.7, 0.68, 0.08, 0.25, 0.33, 0.43, -0.15, 0.91, 0.65, -0.32, -0.36];
    let outputs = [0.4585100000000001, -0.45548, 0.3297500000000001, 0.68141, 0.20461000000000018, -0.01715];
    let sklearn_loss = 0.660177122975;
    let after = [
        0.880540145,
        0.01641096,
        -0.5548817313333333,
        -0.703423652,
        0.7468244350000001,
        0.42517700166666667,
        -0.7167368319999999,
        0.6507658453333334,
        0.06396435,
        0.21594264333333332,
        0.37939480000000003,
        0.43014282666666664,
        -0.013773391666666662,
        0.8637673966666667,
        0.7920718026666667,
        -0.3212436646666667,
        -0.3033883333333333,
    ];
    let network =
        Network::from_parts(vec![2, 4, 1], vec![Activation::Relu], vec![vec![None; 4]], Output::Linear, params)
            .unwrap();
    let target = DMatrix::from_column_slice(6, 1, &[0.3, -1.0, 2.2, 0.1, 1.7, -0.4]);
    compare_with_reference(network, &target, Loss::Mse, 0.05, 0.1, &outputs, 2.0 * sklearn_loss, &after);
}

/// Asserts two networks' outputs agree within 1e-12 on random inputs.
fn assert_same_function(before: &Network, after: &Network, r: &mut Rng) {
    let d = before.sizes()[0];
    let x = random_matrix(50, d, r) * 3.0;
    let (a, _) = before.forward_all(&x).unwrap();
    let (b, _) = after.forward_all(&x).unwrap();
    let gap = (a - b).amax();
    assert!(gap <= 1e-12, "growth changed the outputs by {gap}");
}

#[test]
fn adding_neurons_preserves_the_function() {
    let mut r = rng(3);
    for activation in Activation::ALL {
        for (output, k) in [(Output::Sigmoid, 1), (Output::Softmax, 3), (Output::Linear, 1)] {
            for residual in [false, true] {
                let mut network =
                    Network::new(vec![2, 4, 4, 4, k], vec![activation; 3], output, residual, &mut r).unwrap();
                // Move away from the initialisation so biases matter.
                network.params_mut().iter_mut().for_each(|p| *p += 0.3 * gaussian(&mut r));
                for layer in [1, 2, 3, 2, 2, 1] {
                    let before = network.clone();
                    let moved = network.add_neuron(layer, &mut r).unwrap();
                    assert_eq!(network.sizes()[layer], before.sizes()[layer] + 1);
                    assert_eq!(moved.len(), network.params().len());
                    network.validate().unwrap();
                    assert_same_function(&before, &network, &mut r);
                    // Every surviving parameter is reported at its old index with its old value
                    // (except the split neuron's outgoing weights, which are scaled).
                    let same = moved.iter().enumerate().filter_map(|(i, m)| m.map(|m| (i, m)));
                    let unchanged = same.filter(|&(i, m)| network.params()[i] == before.params()[m]).count();
                    assert!(unchanged + before.sizes()[layer + 1] >= before.params().len());
                }
            }
        }
    }
}

#[test]
fn split_neurons_learn_different_things() {
    // With unequal shares of the outgoing weights, the two copies get different gradients.
    let mut r = rng(8);
    let mut network = Network::new(vec![2, 3, 1], vec![Activation::Tanh], Output::Linear, false, &mut r).unwrap();
    network.add_neuron(1, &mut r).unwrap();
    let x = random_matrix(20, 2, &mut r);
    let t = random_targets(Output::Linear, 20, 1, &mut r);
    let (_, grad) = network.objective_and_gradient(&x, &t, Loss::Mse, 0.0, 0.0).unwrap();
    let w = network.weights(0).unwrap();
    // Find the copy (the new column 3) and the original it duplicates.
    let original = (0..3).find(|&j| w.column(j) == w.column(3)).unwrap();
    let (g_orig, g_copy) = (grad[2 * original], grad[2 * 3]);
    assert!((g_orig - g_copy).abs() > 1e-6 * g_orig.abs().max(1e-12), "{g_orig} vs {g_copy}");
}

#[test]
fn adding_layers_preserves_the_function() {
    let mut r = rng(4);
    for activation in Activation::ALL {
        for residual in [false, true] {
            for after in [0, 1, 2] {
                let mut network =
                    Network::new(vec![2, 3, 3, 3], vec![activation; 2], Output::Softmax, residual, &mut r).unwrap();
                network.params_mut().iter_mut().for_each(|p| *p += 0.3 * gaussian(&mut r));
                let before = network.clone();
                let moved = network.add_layer(after, residual).unwrap();
                network.validate().unwrap();
                assert_eq!(network.n_hidden(), 3);
                assert_eq!(network.sizes()[after + 1], before.sizes()[after]);
                assert_same_function(&before, &network, &mut r);
                // The old parameters keep their values and are all accounted for.
                let kept: Vec<usize> = moved.iter().flatten().copied().collect();
                assert_eq!(kept.len(), before.params().len());
                for (i, m) in moved.iter().enumerate() {
                    if let Some(m) = m {
                        assert_eq!(network.params()[i], before.params()[*m]);
                    }
                }
                // The new layer's activation follows the documented rule.
                let new = network.activations()[after];
                if residual {
                    assert!(matches!(new, Activation::Tanh | Activation::Linear | Activation::LeakyRelu));
                } else if after > 0 && matches!(activation, Activation::Relu | Activation::Sigmoid) {
                    assert_eq!(new, Activation::Relu);
                } else {
                    assert_eq!(new, Activation::Linear);
                }
                // Growing again keeps it exact.
                let before = network.clone();
                network.add_neuron(after + 1, &mut r).unwrap();
                assert_same_function(&before, &network, &mut r);
            }
        }
    }
}

#[test]
fn a_network_without_hidden_layers_can_grow_one() {
    let mut r = rng(12);
    for residual in [false, true] {
        for (output, k) in [(Output::Sigmoid, 1), (Output::Softmax, 4), (Output::Linear, 1)] {
            let mut network = Network::new(vec![3, k], vec![], output, residual, &mut r).unwrap();
            network.params_mut().iter_mut().for_each(|p| *p += 0.3 * gaussian(&mut r));
            let before = network.clone();
            network.add_layer(0, residual).unwrap();
            assert_eq!(network.sizes(), &[3, 3, k]);
            assert_eq!(network.skips()[0].iter().all(Option::is_some), residual);
            assert_same_function(&before, &network, &mut r);
            let before = network.clone();
            network.add_neuron(1, &mut r).unwrap();
            assert_same_function(&before, &network, &mut r);
        }
    }
}

#[test]
fn growth_refuses_impossible_requests() {
    let mut r = rng(1);
    let mut network = Network::new(vec![2, 32, 1], vec![Activation::Relu], Output::Linear, false, &mut r).unwrap();
    assert!(network.add_neuron(0, &mut r).is_err());
    assert!(network.add_neuron(2, &mut r).is_err());
    assert!(network.add_neuron(1, &mut r).unwrap_err().to_string().contains("32"));
    assert!(network.add_layer(2, false).is_err());
    let mut wide = Network::new(vec![40, 1], vec![], Output::Linear, false, &mut r).unwrap();
    assert!(wide.add_layer(0, false).is_err());
    assert!(wide.add_neuron(1, &mut r).unwrap_err().to_string().contains("no hidden layer"));
    let mut deep =
        Network::new(vec![2, 2, 2, 2, 2, 2, 2, 2, 2, 1], vec![Activation::Tanh; 8], Output::Linear, false, &mut r)
            .unwrap();
    assert!(deep.add_layer(3, false).unwrap_err().to_string().contains("8 hidden layers"));
}

#[test]
fn validate_catches_damaged_networks() {
    let ok =
        Network::from_parts(vec![2, 3, 1], vec![Activation::Tanh], vec![vec![None; 3]], Output::Linear, vec![0.0; 13]);
    assert!(ok.is_ok());
    let cases = [
        (vec![2, 3, 1], vec![Activation::Tanh], vec![vec![None; 3]], Output::Linear, 12),
        (vec![2, 3, 1], vec![], vec![vec![None; 3]], Output::Linear, 13),
        (vec![2, 3, 1], vec![Activation::Tanh], vec![vec![None; 2]], Output::Linear, 13),
        (vec![2, 3, 1], vec![Activation::Tanh], vec![vec![Some(2), None, None]], Output::Linear, 13),
        (vec![2, 3, 2], vec![Activation::Tanh], vec![vec![None; 3]], Output::Sigmoid, 14),
        (vec![2, 3, 2], vec![Activation::Tanh], vec![vec![None; 3]], Output::Softmax, 14),
        (vec![2, 0, 1], vec![Activation::Tanh], vec![vec![]], Output::Linear, 3),
        (vec![2, 99, 1], vec![Activation::Tanh], vec![vec![None; 99]], Output::Linear, 397),
        (vec![2], vec![], vec![], Output::Linear, 0),
        (vec![usize::MAX, 3, 1], vec![Activation::Tanh], vec![vec![None; 3]], Output::Linear, 13),
    ];
    for (sizes, activations, skips, output, n) in cases {
        let what = format!("{sizes:?}");
        let err = Network::from_parts(sizes, activations, skips, output, vec![0.0; n]).unwrap_err();
        assert!(err.to_string().contains("damaged"), "{what}: {err}");
    }
}

#[test]
fn initialisation_is_seeded_and_scaled() {
    let a =
        Network::new(vec![2, 30, 30, 1], vec![Activation::Relu, Activation::Tanh], Output::Linear, false, &mut rng(9))
            .unwrap();
    let b =
        Network::new(vec![2, 30, 30, 1], vec![Activation::Relu, Activation::Tanh], Output::Linear, false, &mut rng(9))
            .unwrap();
    assert_eq!(a, b);
    // He for the ReLU layer: std √(2/2) = 1; Xavier-uniform for tanh: limit √(6/60) ≈ 0.316.
    let w0 = a.weights(0).unwrap();
    let std0 = (w0.iter().map(|w| w * w).sum::<f64>() / w0.len() as f64).sqrt();
    assert!((0.8..1.2).contains(&std0), "{std0}");
    let w1 = a.weights(1).unwrap();
    assert!(w1.amax() <= (6.0f64 / 60.0).sqrt());
    assert!(w1.amax() > 0.25);
    assert!(a.biases(0).unwrap().iter().all(|&b| b == 0.0));
}

/// Weights 1, 2 or 3 for `rows` rows.
fn integer_row_weights(rows: usize) -> Vec<f64> {
    (0..rows).map(|i| (1 + (i * 5) % 3) as f64).collect()
}

#[test]
fn weighted_gradients_match_finite_differences() {
    let mut r = rng(21);
    for (output, loss, k) in OUTPUTS_AND_LOSSES {
        for (l1, l2) in [(0.0, 0.0), (0.02, 0.04)] {
            let mut network = Network::new(vec![3, 4, 3, k], vec![Activation::Tanh; 2], output, false, &mut r).unwrap();
            network.params_mut().iter_mut().for_each(|p| *p += 0.2 * gaussian(&mut r));
            let x = random_matrix(9, 3, &mut r);
            let t = random_targets(output, 9, k, &mut r);
            let w: Vec<f64> = (0..9).map(|i| 0.2 + 0.7 * i as f64).collect();
            let objective = |n: &Network| n.weighted_objective_and_gradient(&x, &t, Some(&w), loss, l1, l2).unwrap();
            let (_, grad) = objective(&network);
            let h = 1e-6;
            for (p, &analytic) in grad.iter().enumerate() {
                let (mut plus, mut minus) = (network.clone(), network.clone());
                plus.params_mut()[p] += h;
                minus.params_mut()[p] -= h;
                let numeric = (objective(&plus).0 - objective(&minus).0) / (2.0 * h);
                assert!(
                    (numeric - analytic).abs() <= 1e-7 * analytic.abs().max(1.0),
                    "{output:?} {loss:?} l1={l1}: parameter {p}: analytic {analytic} vs numeric {numeric}"
                );
            }
            // The weights matter: the unweighted gradient is a different one.
            let (_, plain) = network.objective_and_gradient(&x, &t, loss, l1, l2).unwrap();
            assert!(plain.iter().zip(&grad).any(|(a, b)| (a - b).abs() > 1e-4), "{output:?} {loss:?}");
        }
    }
}

#[test]
fn integer_weights_count_like_repeated_rows_and_ones_change_no_bit() {
    let mut r = rng(22);
    for (output, loss, k) in OUTPUTS_AND_LOSSES {
        let network = Network::new(vec![2, 5, k], vec![Activation::Relu], output, false, &mut r).unwrap();
        let x = random_matrix(11, 2, &mut r);
        let t = random_targets(output, 11, k, &mut r);
        let w = integer_row_weights(11);
        let rows: Vec<usize> = (0..11).flat_map(|i| std::iter::repeat_n(i, w[i] as usize)).collect();
        let (x_repeated, t_repeated) = (x.select_rows(rows.iter()), t.select_rows(rows.iter()));
        let (weighted, weighted_grad) =
            network.weighted_objective_and_gradient(&x, &t, Some(&w), loss, 0.01, 0.02).unwrap();
        let (repeated, repeated_grad) =
            network.objective_and_gradient(&x_repeated, &t_repeated, loss, 0.01, 0.02).unwrap();
        assert!((weighted - repeated).abs() < 1e-13, "{output:?} {loss:?}: {weighted} vs {repeated}");
        for (a, b) in weighted_grad.iter().zip(&repeated_grad) {
            assert!((a - b).abs() < 1e-13, "{output:?} {loss:?}: gradient {a} vs {b}");
        }
        // Weights of exactly 1 reproduce the unweighted numbers bit for bit.
        let ones = vec![1.0; 11];
        let (v1, g1) = network.weighted_objective_and_gradient(&x, &t, Some(&ones), loss, 0.01, 0.02).unwrap();
        let (v0, g0) = network.objective_and_gradient(&x, &t, loss, 0.01, 0.02).unwrap();
        assert_eq!((v1.to_bits(), g1), (v0.to_bits(), g0), "{output:?} {loss:?}");
    }
    // Weights that do not fit the rows are refused.
    let network = Network::new(vec![2, 3, 1], vec![Activation::Tanh], Output::Sigmoid, false, &mut r).unwrap();
    let x = random_matrix(4, 2, &mut r);
    let t = random_targets(Output::Sigmoid, 4, 1, &mut r);
    for w in [vec![1.0; 3], vec![1.0, 1.0, 0.0, 1.0], vec![1.0, f64::NAN, 1.0, 1.0]] {
        assert!(network.weighted_objective_and_gradient(&x, &t, Some(&w), Loss::CrossEntropy, 0.0, 0.0).is_err());
    }
}

/// The layer products run over rows in blocks (128 rows at a time): on 300 rows (three blocks, the
/// last one short) the forward pass equals a plain row-by-row evaluation from the weights and
/// biases, and the gradient of the mean loss equals the row-count-weighted mean of the gradients
/// over three slices of 100 rows, to rounding.
#[test]
fn blocked_products_agree_with_row_by_row_evaluation() {
    let mut r = rng(41);
    let sizes = vec![3, 7, 5, 1];
    let activations = vec![Activation::Tanh, Activation::Sigmoid];
    let network = Network::new(sizes.clone(), activations.clone(), Output::Linear, false, &mut r).unwrap();
    let x = random_matrix(300, 3, &mut r);
    let t = random_matrix(300, 1, &mut r);
    let (y, _) = network.forward_all(&x).unwrap();
    for row in 0..300 {
        let mut h: Vec<f64> = x.row(row).iter().copied().collect();
        for layer in 0..3 {
            let w = network.weights(layer).unwrap();
            let b = network.biases(layer).unwrap();
            h = (0..sizes[layer + 1])
                .map(|j| {
                    let z = b[j] + (0..sizes[layer]).map(|i| h[i] * w[(i, j)]).sum::<f64>();
                    activations.get(layer).map_or(z, |a| a.apply(z))
                })
                .collect();
        }
        assert!((y[(row, 0)] - h[0]).abs() <= 1e-13, "row {row}: {} vs {}", y[(row, 0)], h[0]);
    }
    let (_, whole) = network.objective_and_gradient(&x, &t, Loss::Mse, 0.0, 0.0).unwrap();
    let mut mean = vec![0.0; whole.len()];
    for part in 0..3 {
        let rows = part * 100..(part + 1) * 100;
        let xs = x.rows(rows.start, 100).into_owned();
        let ts = t.rows(rows.start, 100).into_owned();
        let (_, g) = network.objective_and_gradient(&xs, &ts, Loss::Mse, 0.0, 0.0).unwrap();
        mean.iter_mut().zip(&g).for_each(|(m, g)| *m += g / 3.0);
    }
    for (i, (a, b)) in whole.iter().zip(&mean).enumerate() {
        assert!((a - b).abs() <= 1e-13 * a.abs().max(1.0), "parameter {i}: {a} vs {b}");
    }
}
