//! "Copy as Python" (issue 15): the script a trained session writes rebuilds the model with
//! scikit-learn and numpy, runs in python3 (numpy and scikit-learn, installed by
//! `scripts/setup.sh --test`) and predicts the learner's own points (which it carries) as the
//! session does: ≤ 1e-9 in float64, for every exportable family, with and without preparation.
use ml_playground::session::Session;
use ml_playground::state::State;
use serde_json::{json, Value};
use std::process::Command;

fn session(data: Value, model: Value) -> Session {
    let state: State = serde_json::from_value(json!({ "data": data, "model": model })).unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(150);
    assert!(s.report().trained, "{model}");
    s
}

#[test]
fn the_python_script_predicts_the_learners_points_as_the_session_does() {
    let classify = |kind: &str| json!({ "kind": kind, "n": 200, "noise": 0.2, "seed": 2 });
    let mlp = |act: &str, residual: bool| {
        json!({ "kind": "mlp", "residual": residual, "train": { "learning_rate": 0.03 },
                "hidden_layers": [{ "neurons": 5, "activation": act }, { "neurons": 5, "activation": act }] })
    };
    let cases: Vec<(&str, Session)> = vec![
        ("linear", session(json!({ "kind": "linear" }), json!({ "kind": "linear" }))),
        (
            "linear degree 5, standardised",
            session(json!({ "kind": "sine", "scaling": "standardize" }), json!({ "kind": "linear", "degree": 5 })),
        ),
        (
            "logistic, x1·x2",
            session(classify("xor"), json!({ "kind": "logistic", "features": { "x1_x2": true, "sin_x2": true } })),
        ),
        (
            "logistic softmax, mean imputer",
            session(
                json!({ "kind": "blobs", "classes": 3, "n": 200, "missing": 0.1, "impute": { "kind": "mean" } }),
                json!({ "kind": "logistic" }),
            ),
        ),
        (
            "logistic, clipped outliers, shifted log",
            session(
                json!({ "kind": "circle", "n": 200, "outliers": 0.05, "outlier_rule": { "kind": "z_score", "threshold": 2.5 },
                        "outlier_action": "clip", "scaling": "log_shifted" }),
                json!({ "kind": "logistic", "features": { "x1_squared": true, "x2_squared": true } }),
            ),
        ),
        (
            "logistic, polynomial degree 4",
            session(classify("moons"), json!({ "kind": "logistic", "features": { "x1_x2": true, "degree": 4 } })),
        ),
        ("network tanh", session(classify("circle"), mlp("tanh", false))),
        ("network leaky relu, residual", session(classify("spiral"), mlp("leaky_relu", true))),
        ("network sigmoid, min-max", session(json!({ "kind": "moons", "scaling": "min_max" }), mlp("sigmoid", false))),
        ("network softmax relu", session(json!({ "kind": "blobs", "classes": 4 }), mlp("relu", false))),
        ("network regression", session(json!({ "kind": "sine" }), mlp("tanh", false))),
        ("network without hidden layers", session(classify("moons"), json!({ "kind": "mlp", "hidden_layers": [] }))),
        ("tree", session(json!({ "kind": "blobs", "classes": 3 }), json!({ "kind": "tree" }))),
        ("tree regression", session(json!({ "kind": "sine" }), json!({ "kind": "tree", "max_depth": 5 }))),
        ("forest", session(classify("moons"), json!({ "kind": "forest", "n_estimators": 6, "max_features": "sqrt" }))),
    ];
    let dir = std::env::temp_dir().join(format!("ml-playground-python-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (k, (name, s)) in cases.iter().enumerate() {
        let script = s.to_python().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(script.lines().count() < 400 || name.contains("tree") || name.contains("forest"), "{name}: short");
        let file = dir.join(format!("m{k}.py"));
        std::fs::write(&file, script).unwrap();
        files.push(file);
    }
    // Each script's predict on its own X, as JSON (NaN written as null).
    let runner = "import json, runpy, sys\nimport numpy as np\nout = []\nfor f in sys.argv[1:]:\n    ns = runpy.run_path(f)\n    out.append(np.asarray(ns['predict'](ns['X']), dtype=float).tolist())\nprint(json.dumps(out))\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(runner)
        .args(&files)
        .output()
        .expect("python3 runs (scripts/setup.sh --test installs numpy and scikit-learn)");
    assert!(out.status.success(), "the scripts did not run:\n{}", String::from_utf8_lossy(&out.stderr));
    let results: Vec<Vec<Vec<f64>>> = serde_json::from_slice(&out.stdout).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    for ((name, s), got) in cases.iter().zip(results) {
        let expected = s.predict_raw(&s.raw().x).unwrap();
        assert_eq!((got.len(), got[0].len()), expected.shape(), "{name}");
        let diff = got
            .iter()
            .enumerate()
            .flat_map(|(i, row)| row.iter().enumerate().map(move |(j, v)| (i, j, *v)))
            .map(|(i, j, v)| (v - expected[(i, j)]).abs())
            .fold(0.0, f64::max);
        println!("{name}: max |python − predict| = {diff:.2e}");
        assert!(diff <= 1e-9, "{name}: {diff:e}");
    }
}

#[test]
fn families_without_a_python_export_are_refused_by_name() {
    let state: State =
        serde_json::from_value(json!({ "data": { "kind": "moons" }, "model": { "kind": "knn" } })).unwrap();
    let err = Session::new(state).unwrap().to_python().unwrap_err().to_string();
    assert!(err.contains("Python export of knn is not available yet"), "{err}");
}
