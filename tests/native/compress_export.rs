//! A compressed network exported (issue 14): networks whose hidden outputs are quantised (every
//! activation; int8, int4, int2 and binary; per tensor and per channel; symmetric and asymmetric;
//! residual; two classes, three and regression; with and without rescaling) are exported from the
//! session's Compress panel as ONNX and as Python, run in onnxruntime and in numpy (python3,
//! `scripts/setup.sh --test` installs both) on 1,000 rows of raw features, and compared with the
//! compressed model's own predictions on the same rows. ONNX computes such a network in float64
//! and writes float32, so its bound is float32's (≤ 1e-6 on probabilities and values near 1);
//! numpy computes in float64 (≤ 1e-9). Each case's activations quantised move its predictions by
//! far more than the bound (checked against the same network with only its weights quantised), so
//! a file that left the rounding out would fail.
use crate::support::{compressed_case, python, ONNX_AND_PYTHON};
use ml_playground::compress::setup::Operation;
use ml_playground::data::rng;
use ml_playground::session::Session;
use ml_playground::state::State;
use nalgebra::DMatrix;
use rand::RngExt;
use serde_json::{json, Value};

/// A trained session on `data` with a network of two hidden layers of `activation`.
fn session(data: Value, activation: &str, residual: bool) -> Session {
    let model = json!({ "kind": "mlp", "residual": residual, "train": { "learning_rate": 0.03 },
        "hidden_layers": [{ "neurons": 6, "activation": activation }, { "neurons": 6, "activation": activation }] });
    let state: State = serde_json::from_value(json!({ "data": data, "model": model, "seed": 4 })).unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(150);
    assert!(s.report().trained, "{model}");
    s
}

fn quantize(bits: u8, per_channel: bool, symmetric: bool, activations: bool) -> Operation {
    serde_json::from_value(json!({ "kind": "quantize", "bits": bits, "per_channel": per_channel,
        "symmetric": symmetric, "activations": activations }))
    .unwrap()
}

/// 1,000 rows over the raw data's range of each column widened by a quarter on each side, each
/// value float32 (what the ONNX file takes).
fn rows(s: &Session) -> DMatrix<f64> {
    let raw = s.raw();
    let mut r = rng(7);
    DMatrix::from_fn(1000, raw.n_features(), |_, j| {
        let column = raw.x.column(j);
        let lo = column.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = (hi - lo) * 0.25;
        (lo - pad + r.random::<f64>() * (hi - lo + 2.0 * pad)) as f32 as f64
    })
}

#[test]
fn networks_with_quantised_activations_export_to_onnx_and_python_as_they_predict() {
    let moons = |scaling: &str| json!({ "kind": "moons", "n": 300, "noise": 0.2, "seed": 2, "scaling": scaling });
    let three = json!({ "kind": "blobs", "classes": 3, "n": 300, "seed": 2 });
    let sine = json!({ "kind": "sine", "n": 200, "seed": 2, "scaling": "standardize" });
    // (name, session, bits, per channel, symmetric)
    let cases: Vec<(&str, Session, u8, bool, bool)> = vec![
        ("tanh int8 per tensor symmetric", session(moons("none"), "tanh", false), 8, false, true),
        (
            "relu int8 per channel asymmetric, standardised",
            session(moons("standardize"), "relu", false),
            8,
            true,
            false,
        ),
        ("leaky relu int4 per tensor asymmetric", session(moons("none"), "leaky_relu", false), 4, false, false),
        ("sigmoid int4 per channel symmetric, min-max", session(moons("min_max"), "sigmoid", false), 4, true, true),
        ("tanh binary per tensor", session(moons("none"), "tanh", false), 1, false, true),
        ("sigmoid binary per channel", session(moons("none"), "sigmoid", false), 1, true, true),
        ("relu residual int8 asymmetric", session(moons("none"), "relu", true), 8, false, false),
        (
            "leaky relu three classes int4 per channel symmetric",
            session(three.clone(), "leaky_relu", false),
            4,
            true,
            true,
        ),
        ("tanh three classes int2 per channel asymmetric", session(three, "tanh", false), 2, true, false),
        ("tanh regression int8 asymmetric", session(sine.clone(), "tanh", false), 8, false, false),
        ("relu regression int4 per channel symmetric", session(sine, "relu", false), 4, true, true),
    ];
    let dir = std::env::temp_dir().join(format!("ml-playground-compress-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = Vec::new();
    let mut moved = Vec::new();
    for (k, (name, mut s, bits, per_channel, symmetric)) in cases.into_iter().enumerate() {
        let x = rows(&s);
        // only the weights quantised: what the predictions would be without the rounding
        s.compress(quantize(bits, per_channel, symmetric, false)).unwrap();
        let weights_only = s.compressed_predict_raw(&x).unwrap();
        s.compress(quantize(bits, per_channel, symmetric, true)).unwrap();
        let expected = s.compressed_predict_raw(&x).unwrap();
        assert!(expected.iter().all(|v| v.is_finite()), "{name}: predictions are finite");
        let shift = (&expected - &weights_only).amax();
        moved.push((name, shift));
        manifest.push(compressed_case(&s, name, &dir.join(format!("{k}.onnx")), &x, &expected));
    }
    let diffs = python(ONNX_AND_PYTHON, &Value::Array(manifest));
    std::fs::remove_dir_all(&dir).ok();
    let mut failures = Vec::new();
    for (name, shift) in moved {
        let (onnx, py) = (diffs[name]["onnx"].as_f64().unwrap(), diffs[name]["python"].as_f64().unwrap());
        println!("{name}: max |onnxruntime − predict| = {onnx:.2e}, |numpy − predict| = {py:.2e}, rounding moves predictions by {shift:.2e}");
        if !(onnx <= 1e-6) {
            failures.push(format!("{name}: onnxruntime {onnx:e} > 1e-6"));
        }
        if !(py <= 1e-9) {
            failures.push(format!("{name}: numpy {py:e} > 1e-9"));
        }
        if !(shift > 1e-4) {
            failures.push(format!("{name}: quantising the activations moved the predictions by only {shift:e}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn exporting_the_compressed_model_before_compressing_says_so() {
    let s = session(json!({ "kind": "moons", "n": 100, "seed": 2 }), "tanh", false);
    assert_eq!(s.compressed_to_onnx().unwrap_err().code(), "compress_nothing");
    assert_eq!(s.compressed_to_python().unwrap_err().code(), "compress_nothing");
}
