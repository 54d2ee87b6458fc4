//! ONNX export (issue 15) checked in onnxruntime: every exportable family, every activation, with
//! and without preparation steps (imputer, clipped outliers, each rescaling), is exported from a
//! trained session, run by onnxruntime (Python wheel, `tests/onnx/check.py`; `scripts/setup.sh
//! --test` installs it) on 1,000 rows of raw features, and compared with the session's own
//! predictions on the same rows (`Session::predict_raw`: the fitted preparation, then `predict`).
//! float32 in the file (linear regression's polynomial, k-NN, naive Bayes, the SVM and k-means in
//! float64 inside), so the bound is float32's: ≤ 1e-5. The second test covers boosting, naive
//! Bayes, k-NN (ties on a grid: the lower training index in both), ensembles, the SVM (with its
//! `decision` output) and k-means (`label`, `distance`).
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
    run_in_onnxruntime("models", cases.into_iter().map(|(n, s, p, m, t)| Case::new(n, s, p, m, t)).collect());
}

/// One exported model, the rows it is run on, what the session predicts on them and, for extra
/// outputs, what each should hold.
struct Case {
    name: String,
    session: Session,
    positive: bool,
    missing: bool,
    tolerance: f64,
    /// Rows to use instead of [`rows`]'.
    x: Option<DMatrix<f64>>,
    /// Extra outputs: (name, what they should be from the prepared rows, tolerance relative to
    /// max(1, |value|)).
    extra: Vec<(&'static str, fn(&Session, &DMatrix<f64>) -> DMatrix<f64>, f64)>,
}

impl Case {
    fn new(name: &str, session: Session, positive: bool, missing: bool, tolerance: f64) -> Case {
        Case { name: name.into(), session, positive, missing, tolerance, x: None, extra: vec![] }
    }
}

/// Writes each case's file and rows, runs them all in onnxruntime (`tests/onnx/check.py`) and
/// fails on any difference above the case's tolerance.
fn run_in_onnxruntime(label: &str, cases: Vec<Case>) {
    let dir = std::env::temp_dir().join(format!("ml-playground-onnx-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = Vec::new();
    let flat = |m: &DMatrix<f64>| m.transpose().as_slice().to_vec();
    for (k, c) in cases.iter().enumerate() {
        let (name, s) = (&c.name, &c.session);
        let bytes = s.to_onnx().unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = dir.join(format!("{k}.onnx"));
        std::fs::write(&file, &bytes).unwrap();
        // The file takes float32: both sides predict the same float32 rows.
        let x = c.x.clone().unwrap_or_else(|| rows(s, c.positive, c.missing)).map(|v| v as f32 as f64);
        let expected = s.predict_raw(&x).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(expected.iter().all(|v| v.is_finite()), "{name}: predictions are finite");
        let prepared = s.prepare_raw(&x).unwrap();
        let extra: serde_json::Map<String, Value> =
            c.extra.iter().map(|(output, f, _)| (output.to_string(), json!(flat(&f(s, &prepared))))).collect();
        manifest.push(json!({
            "name": name, "file": file, "d": x.ncols(),
            "x": x.transpose().as_slice().iter().map(|v| if v.is_nan() { Value::Null } else { json!(v) }).collect::<Vec<_>>(),
            "expected": flat(&expected),
            "extra": extra,
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
    for c in &cases {
        let checks = std::iter::once((c.name.clone(), c.tolerance))
            .chain(c.extra.iter().map(|(output, _, tolerance)| (format!("{} · {output}", c.name), *tolerance)));
        for (name, tolerance) in checks {
            let diff = diffs[&name].as_f64().unwrap();
            println!("{name}: max |onnxruntime − predict| = {diff:.2e}");
            if !(diff <= tolerance) {
                failures.push(format!("{name}: {diff:e} > {tolerance:e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A session on data whose features are small integers (exact in float32), so rows can sit
/// exactly on training points and at exactly equal distances from several of them.
fn on_a_grid(model: Value, regression: bool) -> (Session, DMatrix<f64>) {
    let mut r = rng(4);
    let n = 150;
    let x: Vec<f64> = (0..n * 2).map(|_| (r.random::<f64>() * 9.0).floor() - 4.0).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| {
            let s = x[2 * i] + x[2 * i + 1];
            if regression {
                s * 0.5 + r.random::<f64>()
            } else {
                ((s + 8.0) / 6.0).floor().min(2.0)
            }
        })
        .collect();
    let task = if regression { Task::Regression } else { Task::Classification { n_classes: 3 } };
    let data = Dataset::from_rows(&x, 2, &y, task).unwrap();
    let kind = if regression { "sine" } else { "blobs" };
    let mut s = session(json!({ "kind": kind }), json!({ "kind": "knn" }));
    s.import(CustomData { data, target_name: "y".into(), class_names: vec![] }).unwrap();
    let mut state = s.state().clone();
    state.model = serde_json::from_value(model).unwrap();
    s.set_state(state).unwrap();
    s.step(10);
    // every grid point from −5 to 5, each twice, and some halfway between
    let rows: Vec<f64> = (0..1000)
        .flat_map(|i| [((i % 11) as f64 - 5.0) + (i / 121 % 2) as f64 * 0.5, ((i / 11 % 11) as f64 - 5.0)])
        .collect();
    (s, DMatrix::from_row_slice(1000, 2, &rows))
}

#[test]
fn every_other_family_predicts_in_onnxruntime_as_it_does_here() {
    use ml_playground::model::AnyModel;
    let classify = |kind: &str| json!({ "kind": kind, "n": 300, "noise": 0.2, "seed": 2 });
    let decision: fn(&Session, &DMatrix<f64>) -> DMatrix<f64> = |s, x| match s.model() {
        AnyModel::Svm(m) => m.decision_function(x).unwrap(),
        _ => unreachable!(),
    };
    let label: fn(&Session, &DMatrix<f64>) -> DMatrix<f64> = |s, x| {
        let p = ml_playground::model::Model::predict(s.model(), x).unwrap();
        DMatrix::from_fn(p.nrows(), 1, |i, _| p.row(i).iter().position(|&v| v == 1.0).unwrap() as f64)
    };
    let distance: fn(&Session, &DMatrix<f64>) -> DMatrix<f64> = |s, x| match s.model() {
        AnyModel::KMeans(m) => {
            let c = m.centroids();
            DMatrix::from_fn(x.nrows(), c.len(), |i, k| {
                c[k].iter().enumerate().map(|(j, v)| (x[(i, j)] - v).powi(2)).sum::<f64>().sqrt()
            })
        }
        _ => unreachable!(),
    };
    let mut cases = vec![
        Case::new(
            "boosting regression",
            session(json!({ "kind": "sine" }), json!({ "kind": "boosting", "n_estimators": 60 })),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "boosting two classes, standardised",
            session(
                json!({ "kind": "moons", "n": 300, "noise": 0.2, "scaling": "standardize" }),
                json!({ "kind": "boosting", "n_estimators": 50 }),
            ),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "boosting three classes, median imputer",
            session(
                json!({ "kind": "blobs", "classes": 3, "n": 300, "missing": 0.1, "impute": { "kind": "median" } }),
                json!({ "kind": "boosting", "n_estimators": 40 }),
            ),
            false,
            true,
            1e-5,
        ),
        Case::new("naive Bayes", session(classify("moons"), json!({ "kind": "naive_bayes" })), false, false, 1e-5),
        Case::new(
            "naive Bayes four classes, min-max, mean imputer",
            session(
                json!({ "kind": "blobs", "classes": 4, "n": 300, "missing": 0.1, "impute": { "kind": "mean" }, "scaling": "min_max" }),
                json!({ "kind": "naive_bayes" }),
            ),
            false,
            true,
            1e-5,
        ),
        Case::new(
            "naive Bayes on four features",
            wide(json!({ "kind": "naive_bayes", "var_smoothing": 0.01 })),
            false,
            false,
            1e-5,
        ),
        Case::new("k-NN", session(classify("moons"), json!({ "kind": "knn" })), false, false, 1e-5),
        Case::new(
            "k-NN distance weights, p = 1, standardised",
            session(
                json!({ "kind": "circle", "n": 300, "scaling": "standardize" }),
                json!({ "kind": "knn", "n_neighbors": 7, "weights": "distance", "p": 1 }),
            ),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "k-NN regression, p = 3, distance weights",
            session(
                json!({ "kind": "sine" }),
                json!({ "kind": "knn", "n_neighbors": 9, "weights": "distance", "p": 3 }),
            ),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "k-NN, clipped outliers, log-shifted",
            session(
                json!({ "kind": "circle", "n": 300, "outliers": 0.05, "outlier_rule": { "kind": "z_score", "threshold": 2.5 },
                        "outlier_action": "clip", "scaling": "log_shifted" }),
                json!({ "kind": "knn", "n_neighbors": 3 }),
            ),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "k-NN on four features",
            wide(json!({ "kind": "knn", "n_neighbors": 4, "p": 1.5 })),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "ensemble of networks",
            session(classify("moons"), json!({ "kind": "ensemble", "members": 3 })),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "ensemble regression, standardised",
            session(
                json!({ "kind": "sine", "scaling": "standardize" }),
                json!({ "kind": "ensemble", "members": 2, "hidden_layers": [{ "neurons": 5, "activation": "relu" }] }),
            ),
            false,
            false,
            1e-5,
        ),
        Case::new(
            "ensemble softmax",
            session(json!({ "kind": "blobs", "classes": 3, "n": 300 }), json!({ "kind": "ensemble", "members": 2 })),
            false,
            false,
            1e-5,
        ),
    ];
    for (name, data, kernel) in [
        ("SVM rbf", classify("moons"), json!({ "kind": "svm" })),
        (
            "SVM linear, standardised",
            json!({ "kind": "moons", "n": 300, "noise": 0.2, "scaling": "standardize" }),
            json!({ "kind": "svm", "kernel": "linear" }),
        ),
        ("SVM poly", classify("circle"), json!({ "kind": "svm", "kernel": "poly", "degree": 2, "coef0": 1 })),
        ("SVM sigmoid", classify("moons"), json!({ "kind": "svm", "kernel": "sigmoid", "gamma": 0.2 })),
        (
            "SVM three classes",
            json!({ "kind": "blobs", "classes": 3, "n": 300, "noise": 0.6 }),
            json!({ "kind": "svm" }),
        ),
        (
            "SVM four classes, mean imputer",
            json!({ "kind": "blobs", "classes": 4, "n": 300, "noise": 0.6, "missing": 0.1, "impute": { "kind": "mean" } }),
            json!({ "kind": "svm", "kernel": "poly", "degree": 3, "gamma": 0.5 }),
        ),
    ] {
        let mut c = Case::new(name, session(data, kernel), false, name.contains("imputer"), 1e-5);
        c.extra.push(("decision", decision, 1e-5));
        cases.push(c);
    }
    cases.push(Case::new("SVM on four features", wide(json!({ "kind": "svm", "kernel": "rbf" })), false, false, 1e-5));
    // ε-SVR (the svm kind on regression data): the one machine's value is the prediction
    cases.push(Case::new(
        "SVR rbf, standardised",
        session(json!({ "kind": "sine", "scaling": "standardize" }), json!({ "kind": "svm", "epsilon": 0.1 })),
        false,
        false,
        1e-5,
    ));
    cases.push(Case::new(
        "SVR poly",
        session(
            json!({ "kind": "sine" }),
            json!({ "kind": "svm", "kernel": "poly", "degree": 3, "gamma": 0.1, "coef0": 1 }),
        ),
        false,
        false,
        1e-5,
    ));
    for (name, data) in [
        ("k-means", json!({ "kind": "blobs", "classes": 3, "n": 300, "noise": 0.5 })),
        ("k-means, standardised", json!({ "kind": "moons", "n": 300, "scaling": "standardize" })),
    ] {
        let mut c = Case::new(name, session(data, json!({ "kind": "kmeans", "n_clusters": 4 })), false, false, 1e-5);
        c.extra.push(("label", label, 0.0));
        c.extra.push(("distance", distance, 1e-5));
        cases.push(c);
    }
    // rows on the training points and at equal distances: ties broken the same way (lower index)
    for (name, model, regression) in [
        ("k-NN on a grid, ties", json!({ "kind": "knn", "n_neighbors": 5 }), false),
        ("k-NN on a grid, distance weights", json!({ "kind": "knn", "n_neighbors": 5, "weights": "distance" }), false),
        (
            "k-NN regression on a grid, distance weights, p = 1",
            json!({ "kind": "knn", "n_neighbors": 4, "weights": "distance", "p": 1 }),
            true,
        ),
    ] {
        let (s, x) = on_a_grid(model, regression);
        let mut c = Case::new(name, s, false, false, 1e-5);
        c.x = Some(x);
        cases.push(c);
    }
    run_in_onnxruntime("families", cases);
}

#[test]
fn untrained_models_are_refused_with_a_message() {
    for kind in ["mlp", "boosting", "svm", "kmeans", "ensemble", "forest"] {
        let state: State =
            serde_json::from_value(json!({ "data": { "kind": "moons" }, "model": { "kind": kind } })).unwrap();
        let err = Session::new(state).unwrap().to_onnx().unwrap_err().to_string();
        assert!(err.contains("not trained yet"), "{kind}: {err}");
    }
}
