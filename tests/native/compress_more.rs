//! Compression, issue 14's remainder: quantised activations predict as a numpy reference run on
//! the exported model file (integers, scales, biases, activation scales) to 1e-6; a network grown
//! with Net2Net (and frozen part-way) then compressed replays from its link to the same
//! compressed model.

use ml_playground::compress::quantize::{quantize_calibrated, QuantizeOptions};
use ml_playground::compress::size;
use ml_playground::data::generate::{generate, DataSpec, DatasetKind};
use ml_playground::model::mlp::{Activation, HiddenLayer, MlpParams};
use ml_playground::model::{AnyModel, Model, ModelParams};
use ml_playground::session::{CurveKind, Growth, Session};
use ml_playground::state::State;
use serde_json::{json, Value};

use crate::support::python;

/// The network forward in numpy from the model file's JSON: weights `(q − z)·s` in float32,
/// tanh hidden layers, each hidden output quantised `(clip(round(a/s) + z) − z)·s` in float32
/// (binary: ±s), a sigmoid output.
const NUMPY_FORWARD: &str = r#"
import json, sys, numpy as np
d = json.load(sys.stdin)
net, x = d['network'], np.array(d['x'])
sizes, q = net['sizes'], net['quantized']
bits, sym, per_channel = q['bits'], q['symmetric'], q['per_channel']
qmax = 2 ** (bits - 1) - 1
qmin = -qmax if sym else -(2 ** (bits - 1))
biases, at = np.array(net['biases']), 0
h = x
for l, layer in enumerate(q['layers']):
    fi, fo = sizes[l], sizes[l + 1]
    v = np.array(layer['values'], dtype=np.float32).reshape(fo, fi).T   # column-major fan_in x fan_out
    s = np.array(layer['scales'], dtype=np.float32)
    z = np.array(layer['zero_points'], dtype=np.float32) if layer['zero_points'] else np.zeros_like(s)
    w = ((v - z) * s).astype(np.float64)   # per channel: one (s, z) per column, broadcast
    b = biases[at:at + fo]; at += fo
    h = h @ w + b
    if l < len(q['layers']) - 1:
        h = np.tanh(h)
        a = q['activations'][l]
        sa, za = np.float32(a['scale']), a['zero_point']
        if bits == 1:
            h = np.where(h < 0, -np.float64(sa), np.float64(sa))
        else:
            qa = np.clip(np.round(h / np.float64(sa)) + za, qmin, qmax)
            h = ((qa - za).astype(np.float32) * sa).astype(np.float64)
p = 1 / (1 + np.exp(-h[:, 0]))
print(json.dumps({'p': p.tolist()}))
"#;

#[test]
fn quantised_activations_predict_as_numpy_on_the_exported_model() {
    let data =
        generate(&DataSpec { kind: DatasetKind::Moons, n: 300, noise: 0.2, seed: 4, ..DataSpec::default() }).unwrap();
    let params = MlpParams {
        hidden_layers: vec![HiddenLayer { neurons: 12, activation: Activation::Tanh }; 2],
        max_epochs: 40,
        ..MlpParams::default()
    };
    let mut model = ModelParams::Mlp(params).build(3).unwrap();
    model.fit(&data).unwrap();
    for (bits, per_channel, symmetric) in
        [(8, false, true), (8, true, false), (4, false, true), (3, true, false), (1, false, true)]
    {
        let options = QuantizeOptions { bits, per_channel, symmetric, activations: true };
        let q = quantize_calibrated(&model, &options, Some(&data)).unwrap();
        let weights_only =
            quantize_calibrated(&model, &QuantizeOptions { activations: false, ..options.clone() }, None).unwrap();
        let AnyModel::Mlp(mlp) = &q else { panic!("a network") };
        let z = mlp.scaler().unwrap().transform(&data.x);
        let file: Value = serde_json::to_value(&q).unwrap();
        assert_eq!(file["network"]["quantized"]["activations"].as_array().unwrap().len(), 2);
        let rows: Vec<Vec<f64>> = (0..data.len()).map(|i| vec![z[(i, 0)], z[(i, 1)]]).collect();
        let reference = python(NUMPY_FORWARD, &json!({ "network": file["network"], "x": rows }));
        let ours = q.predict(&data.x).unwrap();
        let expected = reference["p"].as_array().unwrap();
        let worst = (0..data.len()).map(|i| (ours[(i, 1)] - expected[i].as_f64().unwrap()).abs()).fold(0.0, f64::max);
        assert!(worst < 1e-6, "{bits} bits, per channel {per_channel}, symmetric {symmetric}: {worst}");
        // The activations change the predictions (they are rounded), and the file reads back.
        let moved = (&ours - weights_only.predict(&data.x).unwrap()).amax();
        assert!(moved > 0.0, "{bits} bits: the activations are not rounded");
        let back: AnyModel = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
        assert_eq!(back.predict(&data.x).unwrap(), ours);
        // Their scales are counted in the size: 4 bytes each (and a zero point when asymmetric).
        let extra = size(&q).unwrap().bytes - size(&weights_only).unwrap().bytes;
        assert_eq!(extra, 2 * if symmetric || bits == 1 { 4 } else { 5 });
    }
    // Activations need the training data for their range.
    let e = quantize_calibrated(&model, &QuantizeOptions { activations: true, ..QuantizeOptions::default() }, None)
        .unwrap_err();
    assert_eq!(e.code(), "quantize_activations_need_data");
}

fn grow_state() -> State {
    serde_json::from_str(
        r#"{"data":{"kind":"moons","n":300,"noise":0.2,"seed":3},"seed":2,
            "model":{"kind":"mlp","hidden_layers":[{"neurons":4,"activation":"tanh"}]}}"#,
    )
    .unwrap()
}

fn predictions(s: &Session) -> Vec<u64> {
    s.compressed().unwrap().model.predict(&s.data().x).unwrap().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn a_grown_then_compressed_network_replays_from_its_link() {
    let mut s = Session::new(grow_state()).unwrap();
    s.step(15);
    s.grow(Growth::Neuron { layer: 1 }).unwrap();
    s.step(10);
    s.grow(Growth::Layer { after: 1 }).unwrap();
    // the classic use: the old layers frozen, only the new one trains
    let mut frozen = s.state().clone();
    if let ModelParams::Mlp(p) = &mut frozen.model {
        p.frozen = vec![0];
    }
    s.set_state(frozen).unwrap();
    s.step(10);
    s.compress(serde_json::from_str(r#"{"kind":"prune","sparsity":0.5}"#).unwrap()).unwrap();
    let setup = s.state().compress.clone().unwrap();
    assert_eq!(setup.epochs, 35);
    let grown = setup.grown.as_ref().expect("the growth is recorded");
    assert_eq!(grown.changes.len(), 3);
    let report = s.compare_report().unwrap().unwrap();
    assert_eq!(report.original.size.unwrap().parameters, 2 * 5 + 5 + 5 * 5 + 5 + 5 + 1);

    let json = serde_json::to_string(s.state()).unwrap();
    let replayed = Session::new(serde_json::from_str(&json).unwrap()).unwrap();
    assert!(replayed.report().message.is_none(), "{:?}", replayed.report().message);
    assert_eq!(replayed.state().compress, s.state().compress);
    assert_eq!(replayed.compare_report().unwrap().unwrap(), report);
    assert_eq!(predictions(&replayed), predictions(&s));
    // and its state names the grown network, as the original's does
    assert_eq!(replayed.state().model, s.state().model);
}

#[test]
fn a_regression_compares_its_two_curves_and_their_difference_with_r2_in_the_table() {
    let state: State = serde_json::from_str(
        r#"{"data":{"kind":"sine","n":200,"noise":0.1,"seed":3},"seed":1,
            "model":{"kind":"mlp","hidden_layers":[{"neurons":16,"activation":"tanh"},{"neurons":16,"activation":"tanh"}]}}"#,
    )
    .unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(60);
    assert!(s.compare_curves(50).is_none(), "nothing compressed yet");
    s.compress(serde_json::from_str(r#"{"kind":"quantize","bits":2}"#).unwrap()).unwrap();
    assert!(s.compare_surfaces(40, 30).is_none(), "no decision surface for a regression");
    let curves = s.compare_curves(50).unwrap();
    let c = s.compressed().unwrap();
    assert_eq!(curves.original.len(), 50);
    for i in 0..50 {
        let x = curves.original[i].0;
        let at = |m: &AnyModel| m.predict(&nalgebra::DMatrix::from_element(1, 1, x)).unwrap()[(0, 0)];
        // (one row at a time: the same to rounding of the batched product)
        assert!((curves.original[i].1 - at(&c.original)).abs() < 1e-12);
        assert!((curves.compressed[i].1 - at(&c.model)).abs() < 1e-12);
        assert_eq!(curves.difference[i], (x, curves.compressed[i].1 - curves.original[i].1));
    }
    assert!(curves.difference.iter().any(|d| d.1 != 0.0), "2 bits move the curve");
    let report = s.compare_report().unwrap().unwrap();
    assert!(report.original.test.r2.is_some() && report.compressed.test.r2.is_some());
    assert!(report.original.test.accuracy.is_none());
}

#[test]
fn a_curve_computed_in_parts_is_the_curve_computed_at_once() {
    let state: State = serde_json::from_str(
        r#"{"data":{"kind":"moons","n":200,"noise":0.2,"seed":3},"seed":1,
            "model":{"kind":"mlp","hidden_layers":[{"neurons":8,"activation":"tanh"}]}}"#,
    )
    .unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(20);
    for kind in [CurveKind::Bits, CurveKind::Sparsity, CurveKind::StudentSize] {
        let whole = s.compress_curve(kind).unwrap();
        let parts = s.compress_curve_begin(kind).unwrap();
        assert!(parts >= 8, "{kind:?}: {parts} parts");
        let mut done = None;
        for _ in 0..parts {
            assert!(done.is_none(), "{kind:?}: finished early");
            done = s.compress_curve_part().unwrap();
        }
        assert_eq!(done.unwrap(), whole, "{kind:?}");
        assert_eq!(s.compress_curve_part().unwrap_err().code(), "compress_curve_none");
    }
}
