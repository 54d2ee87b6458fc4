//! Tests of the [`Mlp`] model: learning, input scaling, residual connections, growth through the
//! model, robustness against bad data, parameters and model files.

use crate::data::rng;
use crate::model::mlp::*;
use crate::model::{AnyModel, ModelParams};
use rand::RngExt;

/// `n` points uniform in [-5, 5]² labelled by `label`.
fn points(n: usize, seed: u64, task: Task, label: impl Fn(f64, f64) -> f64) -> Dataset {
    let mut r = rng(seed);
    let xs: Vec<f64> = (0..2 * n).map(|_| r.random_range(-5.0..5.0)).collect();
    let ys: Vec<f64> = (0..n).map(|i| label(xs[2 * i], xs[2 * i + 1])).collect();
    Dataset::from_rows(&xs, 2, &ys, task).unwrap()
}

fn xor(n: usize, seed: u64) -> Dataset {
    points(n, seed, Task::Classification { n_classes: 2 }, |a, b| if a * b > 0.0 { 1.0 } else { 0.0 })
}

fn accuracy(model: &Mlp, data: &Dataset) -> f64 {
    let p = model.predict(&data.x).unwrap();
    let hits = (0..data.len()).filter(|&i| p.row(i).transpose().imax() as f64 == data.y[i]).count();
    hits as f64 / data.len() as f64
}

#[test]
fn learns_xor_three_classes_and_a_sine() {
    let data = xor(400, 1);
    let mut model = MlpParams::default().build(7).unwrap();
    model.fit(&data).unwrap();
    assert!(accuracy(&model, &data) > 0.95, "xor accuracy {}", accuracy(&model, &data));
    let p = model.predict(&data.x).unwrap();
    assert_eq!(p.ncols(), 2);
    assert!(p.row_iter().all(|row| (row.sum() - 1.0).abs() < 1e-12 && row.min() >= 0.0));

    // Three angular sectors.
    let sectors = points(450, 2, Task::Classification { n_classes: 3 }, |a, b| {
        ((b.atan2(a) + std::f64::consts::PI) / (2.0 * std::f64::consts::PI / 3.0)).floor().min(2.0)
    });
    let mut model = MlpParams::default().build(3).unwrap();
    model.fit(&sectors).unwrap();
    assert!(accuracy(&model, &sectors) > 0.95, "sector accuracy {}", accuracy(&model, &sectors));
    let p = model.predict(&sectors.x).unwrap();
    assert_eq!(p.ncols(), 3);
    assert!(p.row_iter().all(|row| (row.sum() - 1.0).abs() < 1e-12));

    let sine = points(300, 3, Task::Regression, |a, _| 3.0 * a.sin());
    let mut model = MlpParams { max_epochs: 400, ..MlpParams::default() }.build(1).unwrap();
    model.fit(&sine).unwrap();
    let p = model.predict(&sine.x).unwrap();
    assert_eq!(p.ncols(), 1);
    let mse = crate::metrics::mse(sine.y.as_slice(), p.as_slice());
    assert!(mse < 0.1, "sine mse {mse}");
    assert!((model.objective(&sine).unwrap() - mse).abs() < 1e-12);
}

#[test]
fn fit_stops_when_the_objective_stops_improving() {
    let data = points(200, 4, Task::Classification { n_classes: 2 }, |a, _| if a > 0.0 { 1.0 } else { 0.0 });
    let mut model = MlpParams { max_epochs: 5000, ..MlpParams::default() }.build(1).unwrap();
    model.fit(&data).unwrap();
    assert!(model.epochs() > 10 && model.epochs() < 5000, "{} epochs", model.epochs());
    assert!(model.is_trained());
    // max_epochs caps it.
    let mut capped = MlpParams { max_epochs: 3, ..MlpParams::default() }.build(1).unwrap();
    capped.fit(&data).unwrap();
    assert_eq!(capped.epochs(), 3);
    // A second fit continues from the trained network and waits its own `patience` epochs.
    let before = model.epochs();
    model.fit(&data).unwrap();
    assert!(model.epochs() >= before + 10);
}

#[test]
fn step_is_one_epoch_and_lowers_the_objective() {
    let data = xor(200, 5);
    let params =
        MlpParams { train: TrainParams { learning_rate: 0.5, ..TrainParams::default() }, ..MlpParams::default() };
    let mut model = params.build(2).unwrap();
    assert!(!model.is_trained());
    let mut r = rng(0);
    model.step(&data, &mut r).unwrap();
    let first = model.objective(&data).unwrap();
    for _ in 0..300 {
        model.step(&data, &mut r).unwrap();
    }
    assert_eq!(model.epochs(), 301);
    let last = model.objective(&data).unwrap();
    assert!(last < 0.5 * first, "{first} → {last}");
    // Full batch (batch_size 0) with SGD: the epoch's objective is the objective before the update.
    let before = model.objective(&data).unwrap();
    model.step(&data, &mut r).unwrap();
    assert!((model.last_epoch_objective().unwrap() - before).abs() < 1e-12);
}

#[test]
fn inputs_are_standardised_internally() {
    // The same points in other units train to the same function of the points.
    let data = xor(200, 6);
    let scaled = Dataset::new(data.x.map(|v| 1000.0 * v + 40.0), data.y.clone(), data.task).unwrap();
    let (mut a, mut b) = (MlpParams::default().build(4).unwrap(), MlpParams::default().build(4).unwrap());
    let (mut ra, mut rb) = (rng(9), rng(9));
    for _ in 0..20 {
        a.step(&data, &mut ra).unwrap();
        b.step(&scaled, &mut rb).unwrap();
    }
    let gap = (a.predict(&data.x).unwrap() - b.predict(&scaled.x).unwrap()).amax();
    assert!(gap < 1e-9, "{gap}");
    let s = b.scaler().unwrap();
    assert!((s.mean[0] - 1000.0 * a.scaler().unwrap().mean[0] - 40.0).abs() < 1e-6);
}

#[test]
fn residual_connections_rescue_a_deep_sigmoid_network() {
    // x1 + x2/2 > 0, 200 points, 20 epochs of SGD through 8 sigmoid layers of 4 neurons.
    let data = points(200, 1, Task::Classification { n_classes: 2 }, |a, b| if a + 0.5 * b > 0.0 { 1.0 } else { 0.0 });
    let train = |residual: bool, seed: u64| {
        let mut model = deep_sigmoid_preset(residual).build(seed).unwrap();
        let mut r = rng(100 + seed);
        for _ in 0..20 {
            model.step(&data, &mut r).unwrap();
        }
        model.objective(&data).unwrap()
    };
    for seed in 0..3 {
        let (plain, residual) = (train(false, seed), train(true, seed));
        // ln 2 ≈ 0.693 is the loss of predicting ½ everywhere: the plain network has not moved.
        assert!(plain > 0.65, "plain network loss {plain}");
        assert!(residual < 0.25, "residual network loss {residual}");
        assert!(plain - residual > 0.4);
    }
    let model = deep_sigmoid_preset(true).build(0).unwrap();
    assert_eq!(model.params().hidden_layers.len(), 8);
    assert!(model.params().residual);
}

#[test]
fn growth_through_the_model_keeps_predictions_and_training_goes_on() {
    for residual in [false, true] {
        let data = xor(150, 7);
        let params = MlpParams {
            hidden_layers: vec![HiddenLayer { neurons: 3, activation: Activation::Relu }; 2],
            residual,
            ..MlpParams::default()
        };
        let mut model = params.build(1).unwrap();
        let mut r = rng(2);
        for _ in 0..5 {
            model.step(&data, &mut r).unwrap();
        }
        let grid = DMatrix::from_fn(100, 2, |_, _| r.random_range(-6.0..6.0));
        let before = model.predict(&grid).unwrap();
        model.add_neuron(1, &mut r).unwrap();
        model.add_layer(2).unwrap();
        model.add_neuron(3, &mut r).unwrap();
        model.add_layer(0).unwrap();
        assert_eq!(model.layer_sizes(), vec![2, 2, 4, 3, 4, 1]);
        let after = model.predict(&grid).unwrap();
        assert!((before - after).amax() <= 1e-12);
        // Adam's state followed the parameters; training continues and still learns.
        let grown = model.objective(&data).unwrap();
        for _ in 0..100 {
            model.step(&data, &mut r).unwrap();
        }
        let later = model.objective(&data).unwrap();
        assert!(later < 0.8 * grown, "objective {grown} → {later}");
        assert!(model.add_neuron(9, &mut r).is_err());
    }
    let mut untrained = MlpParams::default().build(0).unwrap();
    assert!(untrained.add_layer(0).is_err());
}

#[test]
fn grows_on_plateau_up_to_the_neuron_budget() {
    let data = xor(200, 8);
    let params = MlpParams {
        hidden_layers: vec![HiddenLayer { neurons: 2, activation: Activation::Tanh }],
        grow_on_plateau: Some(GrowOnPlateau { patience: 2, max_neurons: 6 }),
        tolerance: 0.5, // every epoch counts as a plateau
        patience: 50,
        ..MlpParams::default()
    };
    let mut model = params.build(3).unwrap();
    let mut r = rng(1);
    model.step(&data, &mut r).unwrap();
    assert_eq!(model.layer_sizes(), vec![2, 2, 1]);
    for _ in 0..4 {
        model.step(&data, &mut r).unwrap();
    }
    assert_eq!(model.layer_sizes(), vec![2, 4, 1]);
    model.fit(&data).unwrap();
    assert_eq!(model.layer_sizes(), vec![2, 6, 1]);
}

#[test]
fn drawing_accessors() {
    let data = xor(50, 9);
    let mut model = MlpParams::default().build(1).unwrap();
    assert!(model.layer_sizes().is_empty() && model.neuron_outputs(&data.x).is_empty());
    model.initialize(&data).unwrap();
    assert_eq!(model.layer_sizes(), vec![2, 8, 8, 1]);
    assert!(!model.is_trained());
    let weights = model.layer_weights();
    assert_eq!(weights.iter().map(|w| w.shape()).collect::<Vec<_>>(), vec![(2, 8), (8, 8), (8, 1)]);
    assert_eq!(model.layer_biases().iter().map(|b| b.len()).collect::<Vec<_>>(), vec![8, 8, 1]);
    assert_eq!(model.hidden_activations(), vec![Activation::Tanh; 2]);
    assert_eq!(model.skip_connections(), vec![vec![None; 8]; 2]);
    let grid = DMatrix::from_fn(30, 2, |r, c| (r as f64 - 15.0) * 0.3 + c as f64);
    let outputs = model.neuron_outputs(&grid);
    assert_eq!(outputs.iter().map(|o| o.shape()).collect::<Vec<_>>(), vec![(30, 8), (30, 8)]);
    // Neuron j of the first layer is tanh(w_j · standardised x + b_j).
    let s = model.scaler().unwrap();
    let z0 = (grid[(4, 0)] - s.mean[0]) / s.scale[0];
    let z1 = (grid[(4, 1)] - s.mean[1]) / s.scale[1];
    let expected = (weights[0][(0, 3)] * z0 + weights[0][(1, 3)] * z1 + model.layer_biases()[0][3]).tanh();
    assert!((outputs[0][(4, 3)] - expected).abs() < 1e-12);
    assert!(model.neuron_outputs(&DMatrix::zeros(3, 5)).is_empty());
    let summary = model.summary();
    assert_eq!(summary.code, "network");
    let crate::model::Formula::Network { layers, skips: false } = summary.formula else {
        panic!("{:?}", summary.formula)
    };
    let shape: Vec<(usize, usize, &str)> = layers.iter().map(|l| (l.inputs, l.units, l.activation.as_str())).collect();
    assert_eq!(shape, vec![(2, 8, "tanh"), (8, 8, "tanh"), (8, 1, "sigmoid")]);
    let residual = MlpParams { residual: true, ..MlpParams::default() }.build(1).unwrap();
    let mut residual = residual;
    residual.initialize(&data).unwrap();
    assert_eq!(residual.skip_connections()[1], (0..8).map(Some).collect::<Vec<_>>());
    assert_eq!(residual.summary().code, "network.skips");
}

#[test]
fn bad_data_gives_errors_not_panics() {
    let one_class = points(20, 1, Task::Classification { n_classes: 2 }, |_, _| 1.0);
    let mut model = MlpParams::default().build(0).unwrap();
    assert!(model.fit(&one_class).unwrap_err().to_string().contains("one class"));
    let empty = xor(10, 1).select(&[]);
    assert!(model.step(&empty, &mut rng(0)).is_err());
    let regression = points(20, 1, Task::Regression, |a, b| a + b);
    let cross_entropy = MlpParams { loss: Some(Loss::CrossEntropy), ..MlpParams::default() };
    let err = cross_entropy.build(0).unwrap().fit(&regression).unwrap_err();
    assert!(matches!(&err, Error::InvalidParameter(m) if m.to_string().contains("mean squared error")), "{err}");
    // A model set up for classes refuses numbers, and other widths.
    let data = xor(30, 2);
    model.fit(&data).unwrap();
    assert!(model.step(&regression, &mut rng(0)).unwrap_err().to_string().contains("reset"));
    assert!(model.predict(&DMatrix::zeros(2, 3)).is_err());
    let three =
        Dataset::from_rows(&[0.0, 1.0, 2.0, 0.0, 1.0, 2.0], 3, &[0.0, 1.0], Task::Classification { n_classes: 2 })
            .unwrap();
    assert!(model.step(&three, &mut rng(0)).is_err());
    // Labels outside the classes (a dataset built by hand, bypassing `Dataset::new`).
    let mut bad = xor(10, 3);
    bad.task = Task::Classification { n_classes: 3 };
    bad.y[0] = 7.0;
    assert!(MlpParams::default().build(0).unwrap().fit(&bad).is_err());
    // Features and targets of different lengths (again bypassing `Dataset::new`).
    let mut short = xor(10, 3);
    short.y = short.y.rows(0, 5).into_owned();
    assert!(MlpParams::default().build(0).unwrap().fit(&short).is_err());
    assert!(model.objective(&short).is_err());
    // Untrained: prediction is zeros, the objective an error.
    let untrained = MlpParams::default().build(0).unwrap();
    assert_eq!(untrained.predict(&data.x).unwrap(), DMatrix::zeros(30, 1));
    assert!(untrained.objective(&data).is_err());
}

#[test]
fn divergence_is_reported() {
    let data = points(100, 1, Task::Regression, |a, b| 1e6 * (a + b));
    let params = MlpParams {
        train: TrainParams { learning_rate: 10.0, optimizer: OptimizerKind::Sgd, ..TrainParams::default() },
        ..MlpParams::default()
    };
    let mut model = params.build(0).unwrap();
    let mut r = rng(0);
    // The objective grows about 10⁴-fold per epoch until it overflows.
    let err = (0..200).find_map(|_| model.step(&data, &mut r).err()).expect("should diverge");
    assert!(matches!(err, Error::Diverged(_)), "{err}");
}

#[test]
fn parameters_are_checked() {
    let ok = MlpParams::default();
    assert!(ok.check().is_ok());
    let cases: Vec<(MlpParams, &str)> = vec![
        (MlpParams { hidden_layers: vec![HiddenLayer::default(); 9], ..ok.clone() }, "hidden layers"),
        (
            MlpParams { hidden_layers: vec![HiddenLayer { neurons: 33, activation: Activation::Relu }], ..ok.clone() },
            "hidden layer 1",
        ),
        (
            MlpParams { hidden_layers: vec![HiddenLayer { neurons: 0, activation: Activation::Relu }], ..ok.clone() },
            "hidden layer 1",
        ),
        (MlpParams { l1: -1.0, ..ok.clone() }, "L1"),
        (MlpParams { l2: f64::NAN, ..ok.clone() }, "L2"),
        (MlpParams { train: TrainParams { learning_rate: 1e6, ..ok.train }, ..ok.clone() }, "learning rate"),
        (MlpParams { max_epochs: 0, ..ok.clone() }, "epochs"),
        (MlpParams { patience: 0, ..ok.clone() }, "patience"),
        (
            MlpParams { grow_on_plateau: Some(GrowOnPlateau { patience: 1, max_neurons: 10_000 }), ..ok.clone() },
            "growing",
        ),
    ];
    for (params, name) in cases {
        let err = params.build(0).unwrap_err();
        assert!(matches!(&err, Error::InvalidParameter(m) if m.to_string().contains(name)), "{name}: {err}");
    }
    // Zero hidden layers is logistic / softmax / linear regression; it trains.
    let mut flat = MlpParams { hidden_layers: vec![], ..ok }.build(0).unwrap();
    flat.fit(&points(100, 1, Task::Classification { n_classes: 2 }, |a, _| if a > 1.0 { 1.0 } else { 0.0 })).unwrap();
    assert_eq!(flat.layer_sizes(), vec![2, 1]);
}

#[test]
fn model_files_round_trip_and_tampering_is_caught() {
    let data = xor(100, 4);
    let params = ModelParams::Mlp(MlpParams { residual: true, ..MlpParams::default() });
    let json = serde_json::to_string(&params).unwrap();
    assert!(json.contains(r#""kind":"mlp""#));
    let back: ModelParams = serde_json::from_str(&json).unwrap();
    assert_eq!(back, params);
    let partial: ModelParams =
        serde_json::from_str(r#"{"kind":"mlp","hidden_layers":[{"neurons":5}],"loss":"mse"}"#).unwrap();
    let ModelParams::Mlp(partial) = partial else { panic!("not an mlp") };
    assert_eq!(partial.hidden_layers, vec![HiddenLayer { neurons: 5, activation: Activation::Tanh }]);
    assert_eq!(partial.loss, Some(Loss::Mse));

    let mut model = params.build(3).unwrap();
    model.fit(&data).unwrap();
    let file = serde_json::to_string(&model).unwrap();
    let mut loaded: AnyModel = serde_json::from_str(&file).unwrap();
    // (serde_json reads floats back to within an ulp or so, not always bit for bit.)
    assert!((loaded.predict(&data.x).unwrap() - model.predict(&data.x).unwrap()).amax() < 1e-12);
    loaded.step(&data, &mut rng(1)).unwrap(); // a fresh optimiser is made on import

    let AnyModel::Mlp(good) = &model else { panic!("not an mlp") };
    let value: serde_json::Value = serde_json::to_value(good).unwrap();
    let tamper = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = value.clone();
        edit(&mut v);
        let m: Mlp = serde_json::from_value(v).unwrap();
        assert!(m.validate().is_err());
        assert!(m.predict(&data.x).is_err());
        assert!(m.objective(&data).is_err());
        assert!(m.neuron_outputs(&data.x).is_empty());
        assert!(m.summary().parameters.is_empty());
        let _ = (m.layer_weights(), m.layer_biases(), m.layer_sizes(), m.is_finite());
        let mut m = m;
        assert!(m.step(&data, &mut rng(0)).is_err());
        assert!(m.add_neuron(1, &mut rng(0)).is_err());
    };
    tamper(&|v| {
        v["network"]["params"].as_array_mut().unwrap().pop();
    });
    tamper(&|v| v["network"]["sizes"][1] = serde_json::json!(9));
    tamper(&|v| v["network"]["sizes"][1] = serde_json::json!(usize::MAX));
    tamper(&|v| v["network"]["skips"][1][0] = serde_json::json!(99));
    tamper(&|v| {
        v["network"]["activations"].as_array_mut().unwrap().pop();
    });
    tamper(&|v| {
        v["scaler"]["mean"].as_array_mut().unwrap().pop();
    });
    tamper(&|v| v["scaler"]["scale"][0] = serde_json::json!(0.0));
    tamper(&|v| v["task"] = serde_json::json!({"kind": "classification", "n_classes": 3}));
    tamper(&|v| v["task"] = serde_json::json!({"kind": "regression"}));
    tamper(&|v| v["loss"] = serde_json::json!(null));
    tamper(&|v| v["params"]["l2"] = serde_json::json!(-1.0));
    tamper(&|v| v["network"]["output"] = serde_json::json!("softmax"));
}

/// Trains a copy of `params` with `class_weight` on `data`: `fit`, then three mini-batch steps.
fn trained_with(params: &MlpParams, class_weight: Option<ClassWeight>, data: &Dataset) -> Mlp {
    let mut model = MlpParams { class_weight, max_epochs: 20, ..params.clone() }.build(5).unwrap();
    model.fit(data).unwrap();
    let mut r = rng(2);
    for _ in 0..3 {
        model.step(data, &mut r).unwrap();
    }
    model
}

#[test]
fn class_weights_of_one_change_no_bit() {
    let three = points(90, 4, Task::Classification { n_classes: 3 }, |a, b| {
        if a > 1.0 {
            2.0
        } else if b > 0.0 {
            1.0
        } else {
            0.0
        }
    });
    for (data, ones) in [(xor(80, 3), vec![1.0; 2]), (three, vec![1.0; 3])] {
        for loss in [None, Some(Loss::Mse)] {
            // batch 32 leaves a shorter last batch: both the full and the tail workspace are used.
            let params = MlpParams { loss, ..MlpParams::default() };
            let plain = trained_with(&params, None, &data);
            let weighted = trained_with(&params, Some(ClassWeight::Weights(ones.clone())), &data);
            let bits = |m: &Mlp| m.network().unwrap().params().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&plain), bits(&weighted), "{loss:?}");
            assert_eq!(plain.objective(&data).unwrap().to_bits(), weighted.objective(&data).unwrap().to_bits());
            assert_eq!(
                plain.last_epoch_objective().map(f64::to_bits),
                weighted.last_epoch_objective().map(f64::to_bits)
            );
        }
    }
}

#[test]
fn class_weights_count_like_repeated_rows_in_the_objective() {
    let data = xor(60, 8);
    let model = trained_with(&MlpParams::default(), Some(ClassWeight::Weights(vec![1.0, 3.0])), &data);
    // Class-1 rows three times over.
    let rows: Vec<usize> = (0..60).flat_map(|i| std::iter::repeat_n(i, if data.y[i] == 1.0 { 3 } else { 1 })).collect();
    let y: Vec<f64> = rows.iter().map(|&i| data.y[i]).collect();
    let repeated = Dataset::new(data.x.select_rows(rows.iter()), nalgebra::DVector::from_vec(y), data.task).unwrap();
    let mut unweighted = model.clone();
    unweighted.params.class_weight = None;
    let (weighted, plain) = (model.objective(&data).unwrap(), unweighted.objective(&repeated).unwrap());
    assert!((weighted - plain).abs() < 1e-13, "{weighted} vs {plain}");
    assert!((unweighted.objective(&data).unwrap() - weighted).abs() > 1e-4);
    // "balanced" weights sum to n, so the objective stays a mean per row.
    let mut balanced = model.clone();
    balanced.params.class_weight = Some(ClassWeight::Balanced);
    let counts = [0.0, 1.0].map(|c| data.y.iter().filter(|&&y| y == c).count() as f64);
    let w = counts.map(|n_c| 60.0 / (2.0 * n_c));
    // The unweighted mean loss of each class's rows (no penalty: l1 = l2 = 0 by default).
    let mut by_class = [0.0; 2];
    for (c, mean) in by_class.iter_mut().enumerate() {
        let rows: Vec<usize> = (0..60).filter(|&i| data.y[i] == c as f64).collect();
        let subset = Dataset::new(data.x.select_rows(rows.iter()), data.y.select_rows(rows.iter()), data.task).unwrap();
        *mean = unweighted.objective(&subset).unwrap();
    }
    let expected = (w[0] * counts[0] * by_class[0] + w[1] * counts[1] * by_class[1]) / 60.0;
    let got = balanced.objective(&data).unwrap();
    assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
}

#[test]
fn balanced_weights_raise_the_minority_recall_of_a_network() {
    use crate::data::generate::{generate, DataSpec, DatasetKind};
    let spec =
        |seed| DataSpec { kind: DatasetKind::Imbalanced, n: 400, ratio: 0.1, noise: 0.5, seed, ..DataSpec::default() };
    let (train, test) = (generate(&spec(1)).unwrap(), generate(&spec(2)).unwrap());
    let recall = |class_weight| {
        let mut model = MlpParams { class_weight, ..MlpParams::default() }.build(3).unwrap();
        model.fit(&train).unwrap();
        let predicted = crate::metrics::predicted_classes(&model.predict(&test.x).unwrap());
        crate::metrics::recall(test.y.as_slice(), &predicted, 1)
    };
    let (plain, balanced) = (recall(None), recall(Some(ClassWeight::Balanced)));
    assert!(balanced > plain + 0.2, "minority recall {plain} → {balanced}");
}

#[test]
fn class_weights_are_checked_and_ignored_for_regression() {
    let wrong = MlpParams { class_weight: Some(ClassWeight::Weights(vec![1.0, 2.0, 3.0])), ..MlpParams::default() };
    let err = wrong.build(0).unwrap().fit(&xor(20, 1)).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter(_)) && err.to_string().contains("one weight per class"), "{err}");
    let err = wrong.build(0).unwrap().step(&xor(20, 1), &mut rng(0)).unwrap_err();
    assert!(err.to_string().contains("one weight per class"), "{err}");
    let negative = MlpParams { class_weight: Some(ClassWeight::Weights(vec![1.0, 0.0])), ..MlpParams::default() };
    assert!(matches!(negative.check().unwrap_err(), Error::InvalidParameter(_)));
    // Regression: the weights play no part.
    let sine = points(50, 2, Task::Regression, |a, _| a.sin());
    let plain = trained_with(&MlpParams::default(), None, &sine);
    let weighted = trained_with(&MlpParams::default(), wrong.class_weight.clone(), &sine);
    assert_eq!(plain.network().unwrap().params(), weighted.network().unwrap().params());
    assert_eq!(weighted.objective(&sine).unwrap(), plain.objective(&sine).unwrap());
    // JSON: absent means none; the forms are the tree's.
    assert_eq!(serde_json::from_str::<MlpParams>("{}").unwrap().class_weight, None);
    let p: MlpParams = serde_json::from_str(r#"{"class_weight":"balanced"}"#).unwrap();
    assert_eq!(p.class_weight, Some(ClassWeight::Balanced));
    let json = serde_json::to_string(&wrong).unwrap();
    assert!(json.contains(r#""class_weight":{"weights":[1.0,2.0,3.0]}"#), "{json}");
}

/// Issue 12: the page's maths shows the optimiser's update of one weight (the first layer's weight
/// with the largest gradient) with this step's numbers. Each is recomputed here from the update
/// rules' closed forms: Adam's m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ), w ← w − η m̂ / (√v̂ + ε);
/// momentum's v ← β v + g, w ← w − η v.
#[test]
fn the_summary_carries_this_steps_update_of_one_weight() {
    use crate::optim::{OptimizerKind, Schedule, TrainParams};
    let data = xor(60, 3);
    let hidden = vec![HiddenLayer { neurons: 3, activation: Activation::Tanh }];
    for optimizer in [
        OptimizerKind::Adam { beta1: 0.8, beta2: 0.99, epsilon: 1e-8 },
        OptimizerKind::Momentum { beta: 0.7, nesterov: false },
    ] {
        let train = TrainParams { learning_rate: 0.05, batch_size: 0, optimizer, schedule: Schedule::Constant };
        let mut model = MlpParams { hidden_layers: hidden.clone(), train, ..MlpParams::default() }.build(5).unwrap();
        let mut r = rng(1);
        for step in 0..4 {
            let before = model.optimizer().map(|o| o.first_moments().to_vec()).unwrap_or_default();
            model.step(&data, &mut r).unwrap();
            let u = model.summary().update.expect("an update after a step");
            assert_eq!(u.t, step + 1, "{optimizer:?}");
            assert!(u.index < 2 * 3, "a first-layer weight: {}", u.index);
            assert_eq!(u.rate, 0.05);
            let w = model.network().unwrap().params()[u.index];
            assert_eq!(u.after, w);
            let o = model.optimizer().unwrap();
            assert_eq!(u.first, Some(o.first_moments()[u.index]));
            match optimizer {
                OptimizerKind::Adam { beta1, beta2, epsilon } => {
                    let t = u.t as f64;
                    let (m, v) = (u.first.unwrap(), u.second.unwrap());
                    assert_eq!(u.second, Some(o.second_moments()[u.index]));
                    let (m_hat, v_hat) = (m / (1.0 - beta1.powf(t)), v / (1.0 - beta2.powf(t)));
                    assert!((u.first_hat.unwrap() - m_hat).abs() <= 1e-15 * m_hat.abs().max(1e-300));
                    assert!((u.second_hat.unwrap() - v_hat).abs() <= 1e-15 * v_hat.abs().max(1e-300));
                    let m_prev = if step == 0 { 0.0 } else { before[u.index] };
                    assert!((m - (beta1 * m_prev + (1.0 - beta1) * u.grad)).abs() < 1e-15, "{m}");
                    let expected = u.before - 0.05 * m_hat / (v_hat.sqrt() + epsilon);
                    assert!((u.after - expected).abs() < 1e-14, "{} vs {expected}", u.after);
                }
                OptimizerKind::Momentum { beta, .. } => {
                    let v_prev = if step == 0 { 0.0 } else { before[u.index] };
                    let v = u.first.unwrap();
                    assert!((v - (beta * v_prev + u.grad)).abs() < 1e-15, "{v}");
                    assert!((u.after - (u.before - 0.05 * v)).abs() < 1e-15);
                    assert!(u.first_hat.is_none());
                }
                OptimizerKind::Sgd => unreachable!(),
            }
            assert!(u.grad != 0.0);
        }
    }
}

/// Issue 12: a hovered neuron's weighted sum and activation, from the network's diagram, at a
/// point and at the data mean: recomputed from the weights and the input scaling, and the output
/// neuron's value is the model's prediction there.
#[test]
fn a_neurons_weighted_sum_is_worked_out_at_a_point_and_at_the_mean() {
    let data = xor(80, 4);
    let hidden = vec![HiddenLayer { neurons: 4, activation: Activation::Tanh }];
    let mut model = MlpParams { hidden_layers: hidden, ..MlpParams::default() }.build(2).unwrap();
    let mut r = rng(1);
    for _ in 0..20 {
        model.step(&data, &mut r).unwrap();
    }
    let diagram = crate::model::view::NetworkDiagram::new(&model, &[], &[]);
    let (w, b) = (model.layer_weights(), model.layer_biases());
    let scaler = model.scaler().unwrap();
    let point = [1.5, -2.0];
    let x: Vec<f64> = (0..2).map(|j| (point[j] - scaler.mean[j]) / scaler.scale[j]).collect();
    // hidden neuron 2 of layer 1: z = Σ W[i][j] x_i + b_j (the matrices are fan_in × fan_out)
    let s = diagram.neuron_sum(1, 2, Some(&point)).unwrap();
    let z = w[0][(0, 2)] * x[0] + w[0][(1, 2)] * x[1] + b[0][2];
    assert!((s.z - z).abs() < 1e-12, "{} vs {z}", s.z);
    assert!((s.a - z.tanh()).abs() < 1e-12);
    assert_eq!((s.weights.len(), s.inputs.len(), s.activation.as_str(), s.at_mean), (2, 2, "tanh", false));
    assert!((s.inputs[0] - x[0]).abs() < 1e-15);
    // at the mean the scaled inputs are 0: z is the bias
    let m = diagram.neuron_sum(1, 2, None).unwrap();
    assert!(m.at_mean && m.inputs == vec![0.0, 0.0] && (m.z - b[0][2]).abs() < 1e-15);
    // the output neuron is the model's P(class 1) at the point
    let out = diagram.neuron_sum(2, 0, Some(&point)).unwrap();
    let p = model.predict(&nalgebra::DMatrix::from_row_slice(1, 2, &point)).unwrap();
    assert!((out.a - p[(0, 1)]).abs() < 1e-9, "{} vs {}", out.a, p[(0, 1)]);
    assert_eq!(out.activation, "sigmoid");
    assert!(diagram.neuron_sum(3, 0, None).is_none() && diagram.neuron_sum(1, 9, None).is_none());
    assert!(diagram.neuron_sum(1, 0, Some(&[1.0])).is_none());
}
