//! The Compress panel's "stages" operation (issue 16: a boosted model pruned by stages, a forest
//! kept to fewer trees) and a forest distilled into one tree.
//!
//! - A gradient-boosted model cut to its first k stages predicts what scikit-learn's
//!   `GradientBoostingRegressor` / `Classifier` (fitted by this test, python3) predicts at stage k
//!   of `staged_predict` / `staged_predict_proba` (regression, two and three classes; ≤ 1e-9), and
//!   is an ordinary model of k stages (its model file reads back and predicts the same).
//! - A forest cut to its first k trees predicts the mean of those trees' own predictions; without
//!   bootstrap it equals scikit-learn's `RandomForestClassifier(n_estimators=k, bootstrap=False,
//!   max_features=None)`.
//! - Refusals are codes: another family, k = 0, k above what the model grew, an untrained model.
//! - Through the session: the compare view's sizes (trees, nodes, leaves, bytes), the curve over
//!   the stages kept, and the compressed model exported to ONNX (onnxruntime) and Python (numpy)
//!   predicting as it does.
//! - A forest teacher distilled into a tree student on its soft targets is scikit-learn's
//!   `DecisionTreeRegressor` on the forest's probabilities.

use crate::boosting::{Q, X, Y_BINARY, Y_REG, Y_THREE};
use crate::support::{compressed_case, python, ONNX_AND_PYTHON};
use ml_playground::compress::setup::{apply, keep_stages, Operation};
use ml_playground::data::{Dataset, Task};
use ml_playground::model::file::ModelFile;
use ml_playground::model::{AnyModel, Model, ModelParams};
use ml_playground::session::{CurveKind, Session};
use ml_playground::state::State;
use nalgebra::{DMatrix, DVector};
use serde_json::{json, Value};

fn data(y: &[f64], task: Task) -> Dataset {
    Dataset::new(DMatrix::from_row_slice(40, 2, &X), DVector::from_row_slice(y), task).unwrap()
}

fn trained(params: Value, data: &Dataset) -> AnyModel {
    let params: ModelParams = serde_json::from_value(params).unwrap();
    let mut model = params.build(3).unwrap();
    model.fit(data).unwrap();
    model
}

fn stages(keep: usize) -> Operation {
    serde_json::from_value(json!({ "kind": "stages", "keep": keep })).unwrap()
}

/// A model written to a model file and read back.
fn reread(model: &AnyModel) -> AnyModel {
    let text = serde_json::to_string(&ModelFile::new(model.clone(), None)).unwrap();
    let file: ModelFile = serde_json::from_str(&text).unwrap();
    file.check().unwrap();
    file.model
}

#[test]
fn boosting_cut_to_k_stages_predicts_sklearns_staged_predictions_at_stage_k() {
    let q = DMatrix::from_row_slice(6, 2, &Q);
    let cases = [
        ("regression", &Y_REG[..], Task::Regression, "regressor"),
        ("two classes", &Y_BINARY[..], Task::Classification { n_classes: 2 }, "classifier"),
        ("three classes", &Y_THREE[..], Task::Classification { n_classes: 3 }, "classifier"),
    ];
    for (name, y, task, kind) in cases {
        let d = data(y, task);
        let model = trained(json!({ "kind": "boosting", "n_estimators": 6, "learning_rate": 0.3, "max_depth": 2 }), &d);
        let reference = python(
            "import json, sys, numpy as np\n\
             from sklearn.ensemble import GradientBoostingRegressor, GradientBoostingClassifier\n\
             d = json.load(sys.stdin)\n\
             x, y, q = np.array(d['x']).reshape(-1, 2), np.array(d['y']), np.array(d['q']).reshape(-1, 2)\n\
             args = dict(n_estimators=6, learning_rate=0.3, max_depth=2, random_state=0)\n\
             if d['kind'] == 'regressor':\n\
             \x20   m = GradientBoostingRegressor(**args).fit(x, y)\n\
             \x20   staged = [p.reshape(len(q), 1).tolist() for p in m.staged_predict(q)]\n\
             else:\n\
             \x20   m = GradientBoostingClassifier(**args).fit(x, y.astype(int))\n\
             \x20   staged = [p.tolist() for p in m.staged_predict_proba(q)]\n\
             print(json.dumps(staged))",
            &json!({ "x": X.to_vec(), "y": y, "q": Q.to_vec(), "kind": kind }),
        );
        let staged = reference.as_array().unwrap();
        assert_eq!(staged.len(), 6);
        let mut worst: f64 = 0.0;
        for k in 1..=6 {
            let cut = apply(&stages(k), &model, &ModelParams::Tree(Default::default()), &d, 1).unwrap();
            let AnyModel::Boosting(b) = &cut else { panic!("{name}: a boosted model") };
            assert_eq!(b.stages().len(), k, "{name}");
            assert_eq!(b.params().n_estimators, k, "{name}: an ordinary model of k stages");
            assert!(cut.is_complete());
            let p = cut.predict(&q).unwrap();
            let expected = &staged[k - 1];
            for i in 0..6 {
                for c in 0..p.ncols() {
                    let e = expected[i][c].as_f64().unwrap();
                    worst = worst.max((p[(i, c)] - e).abs());
                    assert!((p[(i, c)] - e).abs() <= 1e-9, "{name} stage {k} row {i} class {c}: {} vs {e}", p[(i, c)]);
                }
            }
            // read back from its model file, it predicts the same
            assert_eq!(reread(&cut).predict(&q).unwrap(), p, "{name} stage {k}");
        }
        println!("{name}: largest |cut − sklearn staged| over 6 stages = {worst:.1e}");
        // all stages kept: the model itself
        assert_eq!(keep_stages(&model, 6).unwrap().predict(&q).unwrap(), model.predict(&q).unwrap());
    }
}

#[test]
fn a_forest_cut_to_k_trees_is_the_mean_of_its_first_k_trees_and_without_bootstrap_sklearns() {
    let d = data(&Y_THREE, Task::Classification { n_classes: 3 });
    let q = DMatrix::from_row_slice(6, 2, &Q);
    // with bootstrap the trees differ: the cut forest averages exactly the first k
    let forest = trained(json!({ "kind": "forest", "n_estimators": 9, "max_depth": 3 }), &d);
    let AnyModel::Forest(f) = &forest else { panic!() };
    for k in [1usize, 4, 9] {
        let cut = keep_stages(&forest, k).unwrap();
        let AnyModel::Forest(c) = &cut else { panic!("a forest") };
        assert_eq!((c.trees().len(), c.params().n_estimators), (k, k));
        assert_eq!(c.oob_score(), None, "the out-of-bag score of fewer trees is not known");
        let mut mean = DMatrix::zeros(6, 3);
        for t in &f.trees()[..k] {
            mean += t.tree.predict(&q).unwrap();
        }
        mean /= k as f64;
        let p = cut.predict(&q).unwrap();
        assert!((&p - &mean).amax() <= 1e-12, "k = {k}: {p} vs {mean}");
        assert_eq!(reread(&cut).predict(&q).unwrap(), p);
    }
    let (four, nine) = (keep_stages(&forest, 4).unwrap().predict(&d.x).unwrap(), forest.predict(&d.x).unwrap());
    assert!((&four - &nine).amax() > 0.05, "four bootstrapped trees are not the nine");

    // without bootstrap and with every feature: scikit-learn's forest of k trees
    let forest = trained(json!({ "kind": "forest", "n_estimators": 8, "bootstrap": false, "max_depth": 3 }), &d);
    for k in [2usize, 5] {
        let p = keep_stages(&forest, k).unwrap().predict(&q).unwrap();
        let reference = python(
            "import json, sys, numpy as np\n\
             from sklearn.ensemble import RandomForestClassifier\n\
             d = json.load(sys.stdin)\n\
             x, y, q = np.array(d['x']).reshape(-1, 2), np.array(d['y']).astype(int), np.array(d['q']).reshape(-1, 2)\n\
             m = RandomForestClassifier(n_estimators=d['k'], bootstrap=False, max_features=None, max_depth=3, random_state=0).fit(x, y)\n\
             print(json.dumps(m.predict_proba(q).tolist()))",
            &json!({ "x": X.to_vec(), "y": Y_THREE.to_vec(), "q": Q.to_vec(), "k": k }),
        );
        for i in 0..6 {
            for c in 0..3 {
                let e = reference[i][c].as_f64().unwrap();
                assert!((p[(i, c)] - e).abs() <= 1e-9, "k = {k} row {i} class {c}: {} vs {e}", p[(i, c)]);
            }
        }
    }
}

#[test]
fn keeping_stages_is_refused_with_codes_for_other_families_zero_too_many_and_untrained() {
    let d = data(&Y_BINARY, Task::Classification { n_classes: 2 });
    let boosted = trained(json!({ "kind": "boosting", "n_estimators": 5 }), &d);
    let forest = trained(json!({ "kind": "forest", "n_estimators": 4 }), &d);
    let tree = trained(json!({ "kind": "tree" }), &d);
    let params = ModelParams::Tree(Default::default());
    let code = |op: Operation, m: &AnyModel| apply(&op, m, &params, &d, 1).unwrap_err().code().to_string();
    assert_eq!(code(stages(2), &tree), "compress_needs_stages");
    assert_eq!(code(stages(0), &boosted), "stages_keep_zero");
    assert_eq!(code(stages(6), &boosted), "stages_keep_range");
    assert_eq!(code(stages(5), &forest), "stages_keep_range");
    assert_eq!(code(stages(5000), &forest), "param_range");
    let untrained = ModelParams::Boosting(Default::default()).build(1).unwrap();
    assert_eq!(code(stages(1), &untrained), "compress_untrained_stages");
    let untrained = serde_json::from_value::<ModelParams>(json!({ "kind": "forest" })).unwrap().build(1).unwrap();
    assert_eq!(code(stages(1), &untrained), "compress_untrained_stages");
    // the values the page words the range with
    let e = apply(&stages(6), &boosted, &params, &d, 1).unwrap_err();
    let message = e.to_string();
    assert!(message.contains("the 5 stages") && message.contains("got 6"), "{message}");
    assert!(apply(&stages(5), &boosted, &params, &d, 1).is_ok());
}

fn session(data: Value, model: Value, steps: u32) -> Session {
    let state: State = serde_json::from_value(json!({ "data": data, "model": model, "seed": 2 })).unwrap();
    let mut s = Session::new(state).unwrap();
    s.step(steps);
    assert!(s.report().trained, "{model}");
    s
}

#[test]
fn the_compare_view_and_the_curve_of_a_boosted_model_cut_by_stages() {
    let mut s = session(
        json!({ "kind": "blobs", "classes": 3, "n": 300, "seed": 4 }),
        json!({ "kind": "boosting", "n_estimators": 40, "max_depth": 2 }),
        40,
    );
    s.compress(stages(10)).unwrap();
    let report = s.compare_report().unwrap().unwrap();
    let (original, cut) = (report.original.tree.unwrap(), report.compressed.tree.unwrap());
    // three classes: one tree per class and stage
    assert_eq!((original.trees, cut.trees), (120, 30));
    assert!(cut.nodes < original.nodes && cut.leaves < original.leaves);
    // bytes as stored: per node two children and a feature (i32), a threshold and a value (f64); the start per class
    assert_eq!(cut.bytes, cut.nodes * (3 * 4 + 8 + 8) + 3 * 8);
    assert!(report.changed_share.is_some());
    assert_eq!(s.state().compress.as_ref().unwrap().operation, stages(10));

    let curve = s.compress_curve(CurveKind::Stages).unwrap();
    let kept = curve.series.iter().find(|l| l.key == "kept").unwrap();
    let xs: Vec<f64> = kept.points.iter().map(|p| p.0).collect();
    assert_eq!(
        xs,
        [
            1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0, 28.0, 30.0, 32.0, 34.0,
            36.0, 38.0, 40.0
        ]
    );
    let original_score = curve.series.iter().find(|l| l.key == "original").unwrap().points[0].1;
    assert_eq!(kept.points.last().unwrap().1, original_score, "all 40 stages: the original's score");
    let at10 = kept.points.iter().find(|p| p.0 == 10.0).unwrap().1;
    assert_eq!(Some(at10), report.compressed.test.accuracy, "the curve at 10 is the compressed model's score");
    let size = curve.series.iter().find(|l| l.key == "size_share").unwrap();
    assert_eq!(size.points.last().unwrap().1, 1.0);
    assert!(size.points.windows(2).all(|w| w[0].1 < w[1].1), "every stage adds nodes");
    assert!(curve.series.iter().any(|l| l.key == "kept_train"));

    // the curve is offered only for boosting and forests
    let s = session(json!({ "kind": "moons", "n": 100 }), json!({ "kind": "tree" }), 5);
    assert_eq!(s.compress_curve(CurveKind::Stages).unwrap_err().code(), "compress_needs_stages");
}

#[test]
fn a_model_cut_by_stages_exports_to_onnx_and_python_as_it_predicts() {
    let moons = json!({ "kind": "moons", "n": 300, "noise": 0.2, "seed": 2, "scaling": "standardize" });
    let cases = [
        ("boosting two classes", moons.clone(), json!({ "kind": "boosting", "n_estimators": 30 }), 7),
        (
            "boosting three classes",
            json!({ "kind": "blobs", "classes": 3, "n": 300, "seed": 2 }),
            json!({ "kind": "boosting", "n_estimators": 20, "max_depth": 2 }),
            5,
        ),
        (
            "boosting regression",
            json!({ "kind": "sine", "n": 200 }),
            json!({ "kind": "boosting", "n_estimators": 30 }),
            12,
        ),
        ("forest", moons, json!({ "kind": "forest", "n_estimators": 12, "max_depth": 5 }), 3),
        ("forest regression", json!({ "kind": "sine", "n": 200 }), json!({ "kind": "forest", "n_estimators": 10 }), 4),
    ];
    let dir = std::env::temp_dir().join(format!("ml-playground-compress-stages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = Vec::new();
    for (k, (name, data, model, keep)) in cases.iter().enumerate() {
        let mut s = session(data.clone(), model.clone(), 40);
        s.compress(stages(*keep)).unwrap();
        // rows over the raw data's range, float32 as the ONNX file takes them
        let raw = s.raw();
        let x = DMatrix::from_fn(400, raw.n_features(), |i, j| {
            let column = raw.x.column(j);
            let (lo, hi) = (column.min(), column.max());
            (lo - 0.2 + (hi - lo + 0.4) * ((i * 37 + j * 11) % 400) as f64 / 399.0) as f32 as f64
        });
        let expected = s.compressed_predict_raw(&x).unwrap();
        manifest.push(compressed_case(&s, name, &dir.join(format!("{k}.onnx")), &x, &expected));
    }
    let diffs = python(ONNX_AND_PYTHON, &Value::Array(manifest));
    std::fs::remove_dir_all(&dir).ok();
    for (name, ..) in cases {
        let (onnx, py) = (diffs[name]["onnx"].as_f64().unwrap(), diffs[name]["python"].as_f64().unwrap());
        println!("{name}: max |onnxruntime − predict| = {onnx:.2e}, |numpy − predict| = {py:.2e}");
        assert!(onnx <= 1e-5, "{name}: onnxruntime {onnx:e}");
        assert!(py <= 1e-9, "{name}: numpy {py:e}");
    }
}

#[test]
fn a_forest_teacher_distils_into_sklearns_regression_tree_on_its_probabilities() {
    let mut s = session(
        json!({ "kind": "moons", "n": 300, "noise": 0.2, "seed": 5 }),
        json!({ "kind": "forest", "n_estimators": 25, "max_depth": 6 }),
        25,
    );
    let op: Operation = serde_json::from_value(
        json!({ "kind": "distill", "student": "tree", "depth": 3, "alpha": 0.0, "unlabeled": 0, "targets": "soft" }),
    )
    .unwrap();
    s.compress(op).unwrap();
    let c = s.compressed().unwrap();
    let AnyModel::Tree(tree) = &c.model else { panic!("a tree student") };
    let train = s.train_set();
    let p = c.original.predict(&train.x).unwrap();
    let reference = python(
        "import json, sys, numpy as np\n\
         from sklearn.tree import DecisionTreeRegressor\n\
         d = json.load(sys.stdin)\n\
         x = np.array(d['x']).reshape(-1, 2)\n\
         m = DecisionTreeRegressor(max_depth=3, random_state=0).fit(x, np.array(d['p']))\n\
         print(json.dumps({'p': m.predict(x).tolist(), 'leaves': int(m.get_n_leaves())}))",
        &json!({ "x": train.x.transpose().as_slice(), "p": p.column(1).as_slice() }),
    );
    let ours = c.model.predict(&train.x).unwrap();
    for (i, e) in reference["p"].as_array().unwrap().iter().enumerate() {
        let e = e.as_f64().unwrap();
        assert!((ours[(i, 1)] - e).abs() <= 1e-9, "row {i}: {} vs {e}", ours[(i, 1)]);
    }
    assert_eq!(tree.n_leaves() as u64, reference["leaves"].as_u64().unwrap());
    let report = s.compare_report().unwrap().unwrap();
    let (forest, student) = (report.original.tree.unwrap(), report.compressed.tree.unwrap());
    assert_eq!(forest.trees, 25);
    assert_eq!(student.trees, 1);
    assert!(student.leaves <= 8 && student.bytes * 10 < forest.bytes, "{student:?} {forest:?}");
    let (a, b) = (report.original.test.accuracy.unwrap(), report.compressed.test.accuracy.unwrap());
    println!("forest {a:.3} → depth-3 tree student {b:.3} (test accuracy), {} → {} bytes", forest.bytes, student.bytes);
    assert!(b >= a - 0.1, "the student keeps most of the forest's accuracy: {a} → {b}");
}
