//! ONNX export (issue 15) checked in onnxruntime: every exportable family, every activation, with
//! and without preparation steps (imputer, clipped outliers, each rescaling), is exported from a
//! trained session, run by onnxruntime (Python wheel, `tests/onnx/check.py`; `scripts/setup.sh
//! --test` installs it) on 1,000 rows of raw features, and compared with the session's own
//! predictions on the same rows (`Session::predict_raw`: the fitted preparation, then `predict`).
//! float32 in the file (linear regression's polynomial in float64), so the bound is float32's: ≤ 1e-5.
use ml_playground::data::{rng, Dataset, Task};
use ml_playground::session::{CustomData, Session};
use ml_playground::state::State;
use nalgebra::DMatrix;
use rand::RngExt;
use serde_json::{json, Value};
use std::process::Command;

fn session(data: Value, model: Value) -> Session {
    let state: State = serde_json::from_value(json!({ "data": data, "model": model })).unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(200);
    assert!(s.report().trained, "{model}");
    s
}

/// Four features, three classes: the map's columns past the second, the network's wider input.
fn wide(model: Value) -> Session {
    let mut r = rng(9);
    let n = 240;
    let y: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
    let x: Vec<f64> = (0..n * 4).map(|k| y[k / 4] * 1.5 + r.random::<f64>() * 2.0 - 1.0 + (k % 4) as f64).collect();
    let data = Dataset::from_rows(&x, 4, &y, Task::Classification { n_classes: 3 }).unwrap();
    let mut s = session(json!({ "kind": "blobs", "scaling": "standardize" }), json!({ "kind": "logistic" }));
    s.import(CustomData { data, target_name: "class".into(), class_names: vec![] }).unwrap();
    let mut state = s.state().clone();
    state.model = serde_json::from_value(model).unwrap();
    s.set_state(state).unwrap();
    s.step(100);
    s
}

/// 1,000 rows of raw features: uniform over the raw data's range of each column, widened by a
/// quarter on each side (kept above the minimum for log rescaling), with a share of missing cells
/// where the data has some.
fn rows(s: &Session, positive: bool, missing: bool) -> DMatrix<f64> {
    let raw = s.raw();
    let mut r = rng(5);
    DMatrix::from_fn(1000, raw.n_features(), |i, j| {
        let column: Vec<f64> = raw.x.column(j).iter().copied().filter(|v| v.is_finite()).collect();
        let lo = column.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = if positive { 0.0 } else { (hi - lo) * 0.25 };
        if missing && i % 10 == j {
            return f64::NAN;
        }
        lo - pad + r.random::<f64>() * (hi - lo + 2.0 * pad)
    })
}

#[test]
fn exported_models_predict_in_onnxruntime_as_they_do_here() {
    let classify = |kind: &str| json!({ "kind": kind, "n": 300, "noise": 0.2, "seed": 2 });
    let mlp = |act: &str, residual: bool| {
        json!({ "kind": "mlp", "residual": residual, "train": { "learning_rate": 0.03 },
                "hidden_layers": [{ "neurons": 6, "activation": act }, { "neurons": 6, "activation": act }] })
    };
    // (name, session, rows positive only (log), rows with missing cells, tolerance)
    let cases: Vec<(&str, Session, bool, bool, f64)> = vec![
        ("linear", session(json!({ "kind": "linear" }), json!({ "kind": "linear" })), false, false, 1e-5),
        (
            "linear degree 5, standardised",
            session(json!({ "kind": "sine", "scaling": "standardize" }), json!({ "kind": "linear", "degree": 5 })),
            false,
            false,
            1e-5,
        ),
        (
            "linear gradient descent, min-max",
            session(
                json!({ "kind": "polynomial", "scaling": "min_max" }),
                json!({ "kind": "linear", "degree": 3, "solver": "gradient_descent" }),
            ),
            false,
            false,
            1e-5,
        ),
        ("logistic", session(classify("moons"), json!({ "kind": "logistic" })), false, false, 1e-5),
        (
            "logistic, polynomial degree 4",
            session(classify("moons"), json!({ "kind": "logistic", "features": { "x1_x2": true, "degree": 4 } })),
            false,
            false,
            1e-5,
        ),
        (
            "logistic, every feature map",
            session(
                classify("xor"),
                json!({ "kind": "logistic", "features": { "x1_squared": true, "x2_squared": true, "x1_x2": true, "sin_x1": true, "sin_x2": true } }),
            ),
            false,
            false,
            1e-5,
        ),
        (
            "logistic softmax, mean imputer",
            session(
                json!({ "kind": "blobs", "classes": 3, "n": 300, "missing": 0.1, "impute": { "kind": "mean" } }),
                json!({ "kind": "logistic" }),
            ),
            false,
            true,
            1e-5,
        ),
        (
            "logistic, clipped outliers, log-shifted",
            session(
                json!({ "kind": "circle", "n": 300, "outliers": 0.05, "outlier_rule": { "kind": "z_score", "threshold": 2.5 },
                        "outlier_action": "clip", "scaling": "log_shifted" }),
                json!({ "kind": "logistic", "features": { "x1_squared": true, "x2_squared": true } }),
            ),
            false,
            false,
            1e-5,
        ),
        ("network tanh", session(classify("circle"), mlp("tanh", false)), false, false, 1e-5),
        ("network relu", session(classify("spiral"), mlp("relu", false)), false, false, 1e-5),
        ("network leaky relu", session(classify("moons"), mlp("leaky_relu", false)), false, false, 1e-5),
        ("network sigmoid", session(classify("xor"), mlp("sigmoid", false)), false, false, 1e-5),
        ("network linear", session(classify("moons"), mlp("linear", false)), false, false, 1e-5),
        ("network residual", session(classify("spiral"), mlp("tanh", true)), false, false, 1e-5),
        (
            "network softmax, median imputer",
            session(
                json!({ "kind": "blobs", "classes": 4, "n": 300, "missing": 0.1, "impute": { "kind": "median" } }),
                mlp("relu", true),
            ),
            false,
            true,
            1e-5,
        ),
        (
            "network regression, standardised",
            session(json!({ "kind": "sine", "scaling": "standardize" }), mlp("tanh", false)),
            false,
            false,
            1e-5,
        ),
        (
            "logistic on four features",
            wide(json!({ "kind": "logistic", "features": { "x1_x2": true } })),
            false,
            false,
            1e-5,
        ),
        (
            "network on four features",
            wide(json!({ "kind": "mlp", "hidden_layers": [{ "neurons": 5, "activation": "relu" }] })),
            false,
            false,
            1e-5,
        ),
        (
            "tree",
            session(json!({ "kind": "blobs", "classes": 3, "n": 300 }), json!({ "kind": "tree" })),
            false,
            false,
            1e-5,
        ),
        (
            "tree regression, min-max",
            session(json!({ "kind": "sine", "scaling": "min_max" }), json!({ "kind": "tree", "max_depth": 6 })),
            false,
            false,
            1e-5,
        ),
        (
            "forest",
            session(classify("moons"), json!({ "kind": "forest", "n_estimators": 12, "max_features": "sqrt" })),
            false,
            false,
            1e-5,
        ),
        (
            "forest regression",
            session(json!({ "kind": "sine" }), json!({ "kind": "forest", "n_estimators": 8 })),
            false,
            false,
            1e-5,
        ),
    ];
    let dir = std::env::temp_dir().join(format!("ml-playground-onnx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = Vec::new();
    for (k, (name, s, positive, missing, _)) in cases.iter().enumerate() {
        let bytes = s.to_onnx().unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = dir.join(format!("{k}.onnx"));
        std::fs::write(&file, &bytes).unwrap();
        // The file takes float32: both sides predict the same float32 rows.
        let x = rows(s, *positive, *missing).map(|v| v as f32 as f64);
        let expected = s.predict_raw(&x).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(expected.iter().all(|v| v.is_finite()), "{name}: predictions are finite");
        manifest.push(json!({
            "name": name, "file": file, "d": x.ncols(),
            "x": x.transpose().as_slice().iter().map(|v| if v.is_nan() { Value::Null } else { json!(v) }).collect::<Vec<_>>(),
            "expected": expected.transpose().as_slice(),
        }));
    }
    let manifest_file = dir.join("cases.json");
    std::fs::write(&manifest_file, serde_json::to_string(&manifest).unwrap().replace("null", "NaN")).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/onnx/check.py");
    let out = Command::new("python3")
        .args([script, manifest_file.to_str().unwrap()])
        .output()
        .expect("python3 runs (scripts/setup.sh --test installs onnxruntime)");
    assert!(
        out.status.success(),
        "onnxruntime could not run the exported models (scripts/setup.sh --test installs it):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diffs: serde_json::Map<String, Value> = serde_json::from_slice(&out.stdout).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let mut failures = Vec::new();
    for (name, _, _, _, tolerance) in &cases {
        let diff = diffs[*name].as_f64().unwrap();
        println!("{name}: max |onnxruntime − predict| = {diff:.2e}");
        if !(diff <= *tolerance) {
            failures.push(format!("{name}: {diff:e} > {tolerance:e}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn families_without_an_export_and_untrained_models_are_refused_with_a_message() {
    let state: State =
        serde_json::from_value(json!({ "data": { "kind": "moons" }, "model": { "kind": "knn" } })).unwrap();
    let s = Session::new(state).unwrap();
    let err = s.to_onnx().unwrap_err().to_string();
    assert!(err.contains("ONNX export of knn is not available yet"), "{err}");
    let state: State =
        serde_json::from_value(json!({ "data": { "kind": "moons" }, "model": { "kind": "mlp" } })).unwrap();
    let err = Session::new(state).unwrap().to_onnx().unwrap_err().to_string();
    assert!(err.contains("not trained yet"), "{err}");
}
