//! "Copy as Python" (issue 15): the script a trained session writes rebuilds the model with
//! scikit-learn and numpy, runs in python3 (numpy and scikit-learn, installed by
//! `scripts/setup.sh --test`) and predicts the learner's own points (which it carries) as the
//! session does: ≤ 1e-9 in float64, for every family, with and without preparation (the SVM's
//! `decision_function` too, against the model's).
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
        ("boosting regression", session(json!({ "kind": "sine" }), json!({ "kind": "boosting", "n_estimators": 30 }))),
        (
            "boosting two classes, standardised",
            session(
                json!({ "kind": "moons", "scaling": "standardize" }),
                json!({ "kind": "boosting", "n_estimators": 30 }),
            ),
        ),
        (
            "boosting three classes, median imputer",
            session(
                json!({ "kind": "blobs", "classes": 3, "missing": 0.1, "impute": { "kind": "median" } }),
                json!({ "kind": "boosting", "n_estimators": 20 }),
            ),
        ),
        ("naive Bayes", session(classify("moons"), json!({ "kind": "naive_bayes" }))),
        (
            "naive Bayes four classes, min-max",
            session(json!({ "kind": "blobs", "classes": 4, "scaling": "min_max" }), json!({ "kind": "naive_bayes" })),
        ),
        ("k-NN", session(classify("moons"), json!({ "kind": "knn" }))),
        (
            "k-NN distance weights, p = 1, standardised",
            session(
                json!({ "kind": "circle", "scaling": "standardize" }),
                json!({ "kind": "knn", "n_neighbors": 7, "weights": "distance", "p": 1 }),
            ),
        ),
        (
            "k-NN regression, p = 3, distance weights",
            session(
                json!({ "kind": "sine" }),
                json!({ "kind": "knn", "n_neighbors": 9, "weights": "distance", "p": 3 }),
            ),
        ),
        ("ensemble of networks", session(classify("moons"), json!({ "kind": "ensemble", "members": 3 }))),
        (
            "ensemble regression",
            session(
                json!({ "kind": "sine" }),
                json!({ "kind": "ensemble", "members": 2, "hidden_layers": [{ "neurons": 4, "activation": "relu" }] }),
            ),
        ),
        ("SVM rbf", session(classify("moons"), json!({ "kind": "svm" }))),
        ("SVR rbf", session(json!({ "kind": "sine" }), json!({ "kind": "svm", "epsilon": 0.1 }))),
        (
            "SVR linear, standardised",
            session(json!({ "kind": "sine", "scaling": "standardize" }), json!({ "kind": "svm", "kernel": "linear" })),
        ),
        (
            "SVM linear, standardised",
            session(json!({ "kind": "moons", "scaling": "standardize" }), json!({ "kind": "svm", "kernel": "linear" })),
        ),
        ("SVM poly", session(classify("circle"), json!({ "kind": "svm", "kernel": "poly", "degree": 2, "coef0": 1 }))),
        ("SVM sigmoid", session(classify("moons"), json!({ "kind": "svm", "kernel": "sigmoid", "gamma": 0.2 }))),
        (
            "SVM three classes",
            session(json!({ "kind": "blobs", "classes": 3, "noise": 0.6 }), json!({ "kind": "svm" })),
        ),
        (
            "SVM four classes, mean imputer",
            session(
                json!({ "kind": "blobs", "classes": 4, "noise": 0.6, "missing": 0.1, "impute": { "kind": "mean" } }),
                json!({ "kind": "svm", "kernel": "poly", "degree": 3, "gamma": 0.5 }),
            ),
        ),
        (
            "k-means",
            session(
                json!({ "kind": "blobs", "classes": 3, "noise": 0.5 }),
                json!({ "kind": "kmeans", "n_clusters": 4 }),
            ),
        ),
        (
            "k-means, standardised",
            session(json!({ "kind": "moons", "scaling": "standardize" }), json!({ "kind": "kmeans", "n_clusters": 3 })),
        ),
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
    // (decision_function too, where the script has it: the SVM's, against the model's own)
    let runner = "import json, runpy, sys\nimport numpy as np\nout = []\nfor f in sys.argv[1:]:\n    ns = runpy.run_path(f)\n    d = ns['decision_function'](ns['X']).tolist() if 'decision_function' in ns else None\n    out.append([np.asarray(ns['predict'](ns['X']), dtype=float).tolist(), d])\nprint(json.dumps(out))\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(runner)
        .args(&files)
        .output()
        .expect("python3 runs (scripts/setup.sh --test installs numpy and scikit-learn)");
    assert!(out.status.success(), "the scripts did not run:\n{}", String::from_utf8_lossy(&out.stderr));
    let results: Vec<(Vec<Vec<f64>>, Option<Value>)> = serde_json::from_slice(&out.stdout).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    for ((name, s), (got, decision)) in cases.iter().zip(results) {
        if let (Some(decision), ml_playground::model::AnyModel::Svm(m)) = (decision, s.model()) {
            let want = m.decision_function(&s.prepare_raw(&s.raw().x).unwrap()).unwrap();
            let got: Vec<f64> = match decision {
                Value::Array(rows) if rows.first().is_some_and(Value::is_array) => {
                    rows.iter().flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap())).collect()
                }
                Value::Array(values) => values.iter().map(|v| v.as_f64().unwrap()).collect(),
                other => panic!("{name}: decision_function gave {other}"),
            };
            let want: Vec<f64> = want.transpose().as_slice().to_vec();
            assert_eq!(got.len(), want.len(), "{name}: decision values");
            let diff = got.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
            println!("{name}: max |python decision_function − decision_function| = {diff:.2e}");
            assert!(diff <= 1e-9, "{name}: decision {diff:e}");
        }
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
fn untrained_models_are_refused() {
    for kind in ["mlp", "boosting", "svm", "kmeans", "ensemble"] {
        let state: State =
            serde_json::from_value(json!({ "data": { "kind": "moons" }, "model": { "kind": kind } })).unwrap();
        let err = Session::new(state).unwrap().to_python().unwrap_err().to_string();
        assert!(err.contains("not trained yet"), "{kind}: {err}");
    }
}
