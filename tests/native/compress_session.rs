//! The Compress panel's session side (issue 14): a compression recorded in the state is replayed
//! by a fresh session to the same model; freezing applies to the network as it is; every layer
//! frozen stops training with a message; the compare view's maps, numbers and curves; a tree's
//! cost-complexity pruning in the same view.
use ml_playground::compress::setup::{CompressSetup, Operation};
use ml_playground::model::{AnyModel, Model, ModelParams};
use ml_playground::session::{CurveKind, Session};
use ml_playground::state::State;

/// Two moons and a (16, 16) tanh network (304 weights, 33 biases).
fn network_state() -> State {
    serde_json::from_str(
        r#"{"data":{"kind":"moons","n":300,"noise":0.2,"seed":3},"seed":1,
            "model":{"kind":"mlp","hidden_layers":[{"neurons":16,"activation":"tanh"},{"neurons":16,"activation":"tanh"}]}}"#,
    )
    .unwrap()
}

fn prune80() -> Operation {
    serde_json::from_str(r#"{"kind":"prune","sparsity":0.8}"#).unwrap()
}

/// The compressed model's predictions on the session's points.
fn compressed_predictions(s: &Session) -> Vec<f64> {
    s.compressed().unwrap().model.predict(&s.data().x).unwrap().iter().copied().collect()
}

#[test]
fn a_compression_in_the_state_is_replayed_to_the_same_model() {
    let mut s = Session::new(network_state()).unwrap();
    s.step(40);
    s.compress(prune80()).unwrap();
    let report = s.compare_report().unwrap().unwrap();
    let size = report.compressed.size.unwrap();
    assert_eq!((size.parameters, size.nonzero), (337, 337 - 243));
    assert_eq!(report.original.size.unwrap().nonzero, 337);
    assert_eq!(s.state().compress, Some(CompressSetup { operation: prune80(), epochs: 40, grown: None }));
    // training on does not change the compressed model or its original
    s.step(5);
    assert_eq!(s.compare_report().unwrap().unwrap(), report);

    // a link: the state as JSON, read by a fresh session
    let json = serde_json::to_string(s.state()).unwrap();
    let replayed = Session::new(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(replayed.report().epoch, 40);
    assert_eq!(replayed.compare_report().unwrap().unwrap(), report);
    assert_eq!(compressed_predictions(&replayed), compressed_predictions(&s));
    // the same maps, and maps that show something
    let (a, b) = (s.compare_surfaces(40, 30).unwrap(), replayed.compare_surfaces(40, 30).unwrap());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.rgba, y.rgba);
        assert_eq!(x.rgba.len(), 40 * 30 * 4);
    }
    assert_ne!(a[0].rgba, a[1].rgba, "80 % pruning moves the surface");

    // a change of data drops the compression (it was made on other points)
    let mut other = s.state().clone();
    other.data.n = 200;
    s.set_state(other).unwrap();
    assert!(s.compressed().is_none() && s.state().compress.is_none());
}

#[test]
fn a_setup_that_cannot_be_replayed_is_dropped_with_a_message() {
    // quantising an untrained network (0 epochs)
    let mut state = network_state();
    state.compress = Some(CompressSetup {
        operation: serde_json::from_str(r#"{"kind":"quantize"}"#).unwrap(),
        epochs: 0,
        grown: None,
    });
    let s = Session::new(state).unwrap();
    assert!(s.compressed().is_none() && s.state().compress.is_none());
    assert_eq!(s.report().message.unwrap().code, "compress_untrained");
    // a sparsity of 1.5 is refused by the state check itself
    let mut state = network_state();
    state.compress = Some(CompressSetup {
        operation: serde_json::from_str(r#"{"kind":"prune","sparsity":1.5}"#).unwrap(),
        epochs: 3,
        grown: None,
    });
    assert_eq!(Session::new(state).unwrap_err().code(), "sparsity_range");
}

#[test]
fn freezing_applies_in_place_and_every_layer_frozen_says_so() {
    let mut s = Session::new(network_state()).unwrap();
    s.step(5);
    let weights = |s: &Session| match s.model() {
        AnyModel::Mlp(m) => m.network().unwrap().weights(0).unwrap(),
        _ => unreachable!(),
    };
    let before = weights(&s);
    let mut state = s.state().clone();
    let ModelParams::Mlp(params) = &mut state.model else { unreachable!() };
    params.frozen = vec![0];
    s.set_state(state.clone()).unwrap();
    // the same network, still at epoch 5
    assert_eq!(s.report().epoch, 5);
    assert_eq!(weights(&s), before);
    s.step(3);
    assert_eq!(s.report().epoch, 8);
    assert_eq!(weights(&s), before, "a frozen layer does not move, to the bit");
    let ModelParams::Mlp(params) = &mut state.model else { unreachable!() };
    params.frozen = vec![0, 1, 2];
    s.set_state(state).unwrap();
    s.step(1);
    let report = s.report();
    assert_eq!(report.epoch, 8);
    assert_eq!(report.message.unwrap().code, "all_frozen");
    assert!(!report.can_train);
}

#[test]
fn quantised_weights_are_close_and_the_curves_have_a_point_per_setting() {
    let mut s = Session::new(network_state()).unwrap();
    s.step(40);
    s.compress(serde_json::from_str(r#"{"kind":"quantize","bits":8}"#).unwrap()).unwrap();
    let report = s.compare_report().unwrap().unwrap();
    assert!(report.mean_abs_difference.unwrap() < 0.01, "{report:?}");
    assert!(report.compressed.size.unwrap().bytes < report.original.size.unwrap().bytes / 4);
    let q = report.network.as_ref().unwrap().quantized.as_ref().unwrap();
    assert_eq!(q.bits, 8);
    assert_eq!(q.integers.len(), 3);
    assert!(q.integers.iter().flatten().flatten().all(|&v| (-127..=127).contains(&v)));

    let bits = s.compress_curve(CurveKind::Bits).unwrap();
    assert_eq!(bits.series[0].key, "quantized");
    assert_eq!(
        bits.series[0].points.iter().map(|p| p.0).collect::<Vec<_>>(),
        (1..=8).map(f64::from).collect::<Vec<_>>()
    );
    let (original, at8) = (bits.series[1].points[0].1, bits.series[0].points[7].1);
    assert!((original - at8).abs() <= 0.01, "{original} {at8}");
    let sparsity = s.compress_curve(CurveKind::Sparsity).unwrap();
    assert_eq!(sparsity.series.len(), 2);
    assert_eq!(sparsity.series[0].points[0], (0.0, original));
    assert!(sparsity.series.iter().all(|l| l.points.len() == 11));
}

#[test]
fn distillation_draws_its_transfer_points_and_a_tree_prunes_in_the_same_view() {
    let mut s = Session::new(network_state()).unwrap();
    s.step(20);
    s.compress(serde_json::from_str(r#"{"kind":"distill","neurons":4,"unlabeled":700,"epochs":30}"#).unwrap()).unwrap();
    let report = s.compare_report().unwrap().unwrap();
    assert_eq!(report.transfer.len(), 700);
    assert_eq!(report.compressed.size.unwrap().parameters, 2 * 4 + 4 + 4 + 1);

    let mut state = network_state();
    state.model = serde_json::from_str(r#"{"kind":"tree"}"#).unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(100);
    s.compress(serde_json::from_str(r#"{"kind":"tree_prune","alpha":1000}"#).unwrap()).unwrap();
    let report = s.compare_report().unwrap().unwrap();
    let (original, pruned) = (report.original.tree.unwrap(), report.compressed.tree.unwrap());
    assert!(original.leaves > 1);
    assert_eq!(pruned.leaves, 1, "a huge α leaves the root");
    // bytes as stored: per node two children and a feature (i32), a threshold and two class values (f64)
    assert_eq!(original.bytes, original.nodes * (3 * 4 + 8 + 2 * 8));
    assert_eq!(pruned.bytes, 3 * 4 + 8 + 2 * 8, "the root alone");
    // pruning a network as a tree is refused
    let mut s = Session::new(network_state()).unwrap();
    s.step(2);
    let e = s.compress(serde_json::from_str(r#"{"kind":"tree_prune"}"#).unwrap()).unwrap_err();
    assert_eq!(e.code(), "compress_needs_tree");
}

#[test]
fn an_ensemble_distilled_into_one_student_is_that_student_bit_for_bit() {
    use ml_playground::compress::distill::{distill, DistillOptions, Targets};
    use ml_playground::compress::setup::student_params;
    let mut s = Session::new(network_state()).unwrap();
    s.step(20);
    let ensemble = |student: usize| -> Operation {
        serde_json::from_value(
            serde_json::json!({ "kind": "ensemble", "members": 3, "neurons": 4, "student_neurons": student }),
        )
        .unwrap()
    };
    s.compress(ensemble(0)).unwrap();
    let teacher = s.compressed().unwrap().model.clone();
    assert!(matches!(teacher, AnyModel::Ensemble(_)));
    s.compress(ensemble(3)).unwrap();
    let report = s.compare_report().unwrap().unwrap();
    // one network of 3 hidden neurons on two inputs: 2·3 + 3 + 3 + 1 parameters
    assert_eq!(report.compressed.size.unwrap().parameters, 13);
    // the same student as distilling the panel's ensemble by hand (T = 4, α = 0.5, 1,000 points, 200 epochs)
    let state = s.state().clone();
    let seed = state.seed as u64;
    let options = DistillOptions {
        temperature: 4.0,
        alpha: 0.5,
        unlabeled: 1000,
        epochs: Some(200),
        seed,
        targets: Targets::Soft,
    };
    let student = ModelParams::Mlp(student_params(&state.model, 3));
    let by_hand = distill(&teacher, &student, seed, s.train_set(), &options).unwrap();
    let x = &s.data().x;
    assert_eq!(s.compressed().unwrap().model.predict(x).unwrap(), by_hand.predict(x).unwrap());
    // a student larger than allowed is refused, naming the setting
    let e = s.compress(ensemble(99)).unwrap_err();
    assert!(e.to_string().contains("student neurons"), "{e}");
}
