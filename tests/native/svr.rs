//! ε-SVR (`src/model/svm.rs` on regression data) against scikit-learn's `SVR` (libsvm), computed by
//! this test in python3: support-vector indices, dual coefficients, intercept and predictions on
//! the linear, RBF (given γ and "scale"), polynomial and sigmoid kernels, several C and ε (0
//! included), one and two features. With `tol=1e-12` both solvers stop at the optimum; with
//! libsvm's default `tol=1e-3` the same working-set selection and shrinking take the same path,
//! so the early-stopped machines agree too. Also: stepping reaches the fit, bad settings are
//! refused with a code, the model file round-trips, and the plot gets the ε-tube and the rings.

use ml_playground::data::{rng, Dataset, Task};
use ml_playground::model::svm::Svm;
use ml_playground::model::{AnyModel, Model, ModelParams};
use nalgebra::DMatrix;
use rand::RngExt as _;
use serde_json::{json, Value};

use crate::support::python;

/// For each case: scikit-learn's `SVR(**params)` fitted on `x`, `y`; its `support_`, `dual_coef_`,
/// `intercept_` and `predict(q)`.
const SKLEARN: &str = r#"
import json, sys
import numpy as np
from sklearn.svm import SVR
inp = json.load(sys.stdin)
out = []
for case in inp["cases"]:
    x = np.array(case["x"], dtype=float).reshape(-1, case["d"])
    q = np.array(case["q"], dtype=float).reshape(-1, case["d"])
    m = SVR(**case["params"]).fit(x, np.array(case["y"], dtype=float))
    out.append({"support": m.support_.tolist(), "dual": m.dual_coef_.ravel().tolist(),
                "intercept": m.intercept_.tolist(), "predict": m.predict(q).tolist()})
print(json.dumps(out))
"#;

/// `n` seeded points: `d` features uniform in [−3, 3], the target a noisy curve of them.
fn points(n: usize, d: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut r = rng(seed);
    let x: Vec<f64> = (0..n * d).map(|_| ((r.random::<f64>() * 6.0 - 3.0) * 1000.0).round() / 1000.0).collect();
    let y = (0..n)
        .map(|i| {
            let row = &x[i * d..(i + 1) * d];
            let v = row[0].sin() * 1.5 + 0.3 * row.iter().skip(1).sum::<f64>() + 0.3 * (r.random::<f64>() - 0.5);
            (v * 1000.0).round() / 1000.0
        })
        .collect();
    (x, y)
}

fn svr(params: &Value, data: &Dataset) -> Svm {
    let mut ours = params.clone();
    ours["kind"] = json!("svm");
    let params: ModelParams = serde_json::from_value(ours).unwrap();
    let mut model = params.build(1).unwrap();
    model.fit(data).unwrap();
    match model {
        AnyModel::Svm(m) => m,
        _ => unreachable!(),
    }
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
}

#[test]
fn svr_matches_scikit_learn_on_every_kernel() {
    // (ours, scikit-learn's) settings: the names are the same but C
    let settings: Vec<Value> = vec![
        json!({"kernel": "rbf", "gamma": 0.5, "C": 10.0, "epsilon": 0.1}),
        json!({"kernel": "rbf", "C": 1.0, "epsilon": 0.2}),
        json!({"kernel": "rbf", "gamma": 2.0, "C": 100.0, "epsilon": 0.0}),
        json!({"kernel": "linear", "C": 1.0, "epsilon": 0.1}),
        json!({"kernel": "linear", "C": 0.05, "epsilon": 0.5}),
        json!({"kernel": "poly", "degree": 3, "gamma": 0.3, "coef0": 1.0, "C": 0.5, "epsilon": 0.05}),
        json!({"kernel": "sigmoid", "gamma": 0.1, "coef0": 0.5, "C": 2.0, "epsilon": 0.1}),
    ];
    let mut cases = Vec::new();
    for (k, s) in settings.iter().enumerate() {
        for (d, n, tol) in [(1usize, 40usize, 1e-12), (2, 60, 1e-12), (2, 300, 1e-3)] {
            let (x, y) = points(n, d, 7 + k as u64);
            let q = points(9, d, 99).0;
            let mut params = s.clone();
            params["tol"] = json!(tol);
            cases.push(json!({"x": x, "y": y, "q": q, "d": d, "params": params}));
        }
    }
    let reference = python(SKLEARN, &json!({ "cases": cases }));
    let mut worst = [0.0f64; 3];
    for (case, want) in cases.iter().zip(reference.as_array().unwrap()) {
        let d = case["d"].as_u64().unwrap() as usize;
        let data = Dataset::from_rows(&floats(&case["x"]), d, &floats(&case["y"]), Task::Regression).unwrap();
        let mut ours = case["params"].clone();
        ours["c"] = ours["C"].take();
        ours.as_object_mut().unwrap().remove("C");
        let m = svr(&ours, &data);
        let what = format!("{} (n = {}, d = {d})", case["params"], data.len());
        let support: Vec<usize> =
            want["support"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        assert_eq!(m.support_indices(), support, "{what}: support_");
        let q = floats(&case["q"]);
        let predicted = m.predict(&DMatrix::from_row_slice(q.len() / d, d, &q)).unwrap();
        let diffs = [
            max_diff(&m.dual_coef().concat(), &floats(&want["dual"])),
            max_diff(&m.intercepts(), &floats(&want["intercept"])),
            max_diff(predicted.as_slice(), &floats(&want["predict"])),
        ];
        for (w, d) in worst.iter_mut().zip(diffs) {
            *w = w.max(d);
        }
        assert!(diffs.iter().all(|&d| d < 1e-6), "{what}: dual, intercept, predict differ by {diffs:?}");
    }
    println!(
        "max abs diffs over {} cases: dual_coef {:.1e}, intercept {:.1e}, predict {:.1e}",
        cases.len(),
        worst[0],
        worst[1],
        worst[2]
    );
}

fn sine(n: usize) -> Dataset {
    let (x, y) = points(n, 1, 3);
    Dataset::from_rows(&x, 1, &y, Task::Regression).unwrap()
}

#[test]
fn steps_reach_the_fit_and_the_plot_gets_the_tube_and_rings() {
    use ml_playground::model::view::{FamilyView, ViewContext, ViewKind};
    let data = sine(50);
    let params = json!({"kernel": "rbf", "gamma": 1.0, "c": 5.0, "epsilon": 0.2});
    let fitted = svr(&params, &data);
    let mut p = params.clone();
    p["kind"] = json!("svm");
    let mut stepped = serde_json::from_value::<ModelParams>(p).unwrap().build(1).unwrap();
    let mut r = rng(1);
    let mut steps = 0;
    while !stepped.is_complete() {
        stepped.step(&data, &mut r).unwrap();
        assert!(stepped.is_trained());
        steps += 1;
        assert!(steps < 1000);
    }
    assert!(steps > 1, "the animation takes more than one step");
    let AnyModel::Svm(stepped) = stepped else { unreachable!() };
    assert_eq!(stepped.support_indices(), fitted.support_indices());
    assert!(max_diff(&stepped.dual_coef()[0], &fitted.dual_coef()[0]) < 1e-6);
    // every support vector lies on or outside the tube, every other point inside it
    let f = fitted.predict(&data.x).unwrap();
    for i in 0..data.len() {
        let outside = (data.y[i] - f[(i, 0)]).abs() - 0.2;
        if fitted.support_indices().contains(&i) {
            assert!(outside > -1e-3, "support vector {i} is inside the tube by {outside}");
        } else {
            assert!(outside < 1e-3, "point {i} outside the tube by {outside} is no support vector");
        }
    }
    let names = ["x".to_string()];
    let ctx = ViewContext {
        data: &data,
        train: &data,
        test: &data,
        roles: &[],
        feature_names: &names,
        class_names: &[],
        plane: [(-3.0, 3.0), (-3.0, 3.0)],
        epoch: 0,
    };
    assert_eq!(fitted.view(ViewKind::Tube, &ctx), Some(FamilyView::Tube(0.2)));
    let Some(FamilyView::Rings(rings)) = fitted.view(ViewKind::Rings, &ctx) else { panic!("no rings") };
    for (&(x, y), &i) in rings.points.iter().zip(fitted.support_indices()) {
        assert_eq!((x, y), (data.x[(i, 0)], data.y[i]));
    }
    assert_eq!(rings.weights, fitted.dual_coef()[0].iter().map(|c| c.abs()).collect::<Vec<_>>());
    assert!(rings.weights.iter().all(|&w| w > 0.0 && w <= 5.0 + 1e-12));
}

#[test]
fn bad_settings_are_refused_with_a_code() {
    for (json, code) in [
        (r#"{"kind":"svm","c":0}"#, "param_above_zero"),
        (r#"{"kind":"svm","c":-2}"#, "param_above_zero"),
        (r#"{"kind":"svm","epsilon":-0.1}"#, "svm_epsilon_range"),
        (r#"{"kind":"svm","gamma":-1}"#, "svm_gamma_range"),
    ] {
        let params: ModelParams = serde_json::from_str(json).unwrap();
        let err = params.check().unwrap_err();
        assert_eq!(err.kind(), "invalid_parameter", "{json}");
        assert_eq!(err.code(), code, "{json}: {err}");
    }
    let data = sine(10);
    let mut m = ModelParams::default_of("svm").unwrap().build(1).unwrap();
    m.fit(&data).unwrap();
    assert!(m.is_trained());
}

#[test]
fn a_regression_model_file_round_trips_and_a_damaged_one_is_refused() {
    let (x, y) = points(40, 2, 5);
    let data = Dataset::from_rows(&x, 2, &y, Task::Regression).unwrap();
    let params: ModelParams =
        serde_json::from_str(r#"{"kind":"svm","kernel":"poly","gamma":0.5,"coef0":1.0,"epsilon":0.05}"#).unwrap();
    let mut m = params.build(1).unwrap();
    m.fit(&data).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    let back: AnyModel = serde_json::from_str(&json).unwrap();
    back.validate().unwrap();
    assert_eq!(back.predict(&data.x).unwrap(), m.predict(&data.x).unwrap());
    for (from, to) in [
        (r#""rho":"#, r#""rho":1e999,"x":"#),
        (r#""sv":["#, r#""sv":[99999,"#),
        (r#""support_target":["#, r#""support_target":[1,"#),
        (r#""n_classes":0"#, r#""n_classes":2"#),
    ] {
        assert!(json.contains(from), "{from}");
        let damaged = json.replacen(from, to, 1);
        let refused = match serde_json::from_str::<AnyModel>(&damaged) {
            Ok(model) => model.validate().is_err(),
            Err(_) => true,
        };
        assert!(refused, "{to}");
    }
}
