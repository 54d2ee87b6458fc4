//! Checks the decision tree against scikit-learn 1.9.1 on fixed data: the same node arrays
//! (children, features, thresholds, impurities, sample counts, values), leaves, predictions,
//! feature importances and cost-complexity pruning paths; plus the tie rules, step-by-step
//! growth, degenerate input and damaged imports.
//!
//! Every configuration below gives the same tree in scikit-learn for 40 different
//! `random_state`s, so no random tie-break is involved. Iris thresholds agree to float32
//! precision (scikit-learn casts features to float32); the regression features are exactly
//! representable in float32, so there thresholds agree bit for bit.

use super::*;
use crate::data::{rng, Dataset, Task};
use crate::model::{AnyModel, Hyperparams, Model, ModelParams};

struct Reference {
    children_left: &'static [i32],
    children_right: &'static [i32],
    feature: &'static [i32],
    threshold: &'static [f64],
    impurity: &'static [f64],
    n_node_samples: &'static [usize],
    weighted_n_node_samples: &'static [f64],
    value: &'static [f64],
    /// leaf id of every training row (`est.apply(X)`)
    apply: &'static [usize],
    importances: &'static [f64],
    /// `est.cost_complexity_pruning_path(X, y)` (of the unpruned tree)
    path_alphas: &'static [f64],
    path_impurities: &'static [f64],
    /// `predict_proba` (row-major) or `predict` on the grid points
    grid_predictions: &'static [f64],
}

fn iris() -> Dataset {
    Dataset::from_rows(IRIS_X, 2, IRIS_Y, Task::Classification { n_classes: 3 }).unwrap()
}

fn regression() -> Dataset {
    Dataset::from_rows(REG_X, 2, REG_Y, Task::Regression).unwrap()
}

fn fitted(params: TreeParams, data: &Dataset) -> DecisionTree {
    let mut model = params.build(0).unwrap();
    model.fit(data).unwrap();
    model
}

fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths differ");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() <= tol * (1.0 + y.abs()), "{what}[{k}]: {x} vs scikit-learn {y}");
    }
}

/// Node arrays, leaves of the training rows, predictions and importances all match.
fn assert_matches(model: &DecisionTree, r: &Reference, data: &Dataset, grid: &[f64], threshold_tol: f64) {
    let t = model.arrays();
    assert_eq!(t.children_left, r.children_left, "children_left");
    assert_eq!(t.children_right, r.children_right, "children_right");
    assert_eq!(t.feature, r.feature, "feature");
    close(&t.threshold, r.threshold, threshold_tol, "threshold");
    close(&t.impurity, r.impurity, 1e-12, "impurity");
    assert_eq!(t.n_node_samples, r.n_node_samples, "n_node_samples");
    close(&t.weighted_n_node_samples, r.weighted_n_node_samples, 1e-12, "weighted_n_node_samples");
    close(&t.value, r.value, 1e-12, "value");
    assert_eq!(model.apply(&data.x).unwrap(), r.apply, "leaf of each training row");
    close(&model.feature_importances(), r.importances, 1e-12, "feature_importances_");
    let k = t.n_outputs;
    let g = DMatrix::from_row_slice(grid.len() / 2, 2, grid);
    let pred = model.predict(&g).unwrap();
    let rows: Vec<f64> =
        (0..pred.nrows()).flat_map(|i| (0..k).map(move |c| (i, c))).map(|(i, c)| pred[(i, c)]).collect();
    close(&rows, r.grid_predictions, 1e-12, "grid predictions");
    let train = model.predict(&data.x).unwrap();
    for (i, &leaf) in r.apply.iter().enumerate() {
        for c in 0..k {
            assert_eq!(train[(i, c)], t.value[leaf * k + c], "prediction of row {i}");
        }
    }
}

fn assert_path(model: &DecisionTree, r: &Reference) {
    let (alphas, impurities) = model.pruning_path();
    close(&alphas, r.path_alphas, 1e-12, "ccp_alphas");
    close(&impurities, r.path_impurities, 1e-12, "impurities");
}

#[test]
fn iris_gini_depth_4() {
    let params = TreeParams { max_depth: Some(4), ..Default::default() };
    let model = fitted(params, &iris());
    assert_matches(&model, &IRIS_GINI_DEPTH4, &iris(), GRID, 1e-6);
    assert_path(&model, &IRIS_GINI_DEPTH4);
}

#[test]
fn iris_entropy_best_first_8_leaves() {
    let params = TreeParams { criterion: Criterion::Entropy, max_leaf_nodes: Some(8), ..Default::default() };
    let model = fitted(params, &iris());
    assert_eq!(model.n_leaves(), 8);
    assert_matches(&model, &IRIS_ENTROPY_LEAVES8, &iris(), GRID, 1e-6);
    assert_path(&model, &IRIS_ENTROPY_LEAVES8);
}

#[test]
fn iris_gini_best_first_20_leaves() {
    let params = TreeParams { max_leaf_nodes: Some(20), ..Default::default() };
    let model = fitted(params, &iris());
    assert_matches(&model, &IRIS_GINI_LEAVES20, &iris(), GRID, 1e-6);
    assert_path(&model, &IRIS_GINI_LEAVES20);
}

#[test]
fn iris_gini_min_samples_leaf_8() {
    let params = TreeParams { min_samples_leaf: 8, ..Default::default() };
    let model = fitted(params, &iris());
    assert_matches(&model, &IRIS_GINI_LEAF8, &iris(), GRID, 1e-6);
    assert_path(&model, &IRIS_GINI_LEAF8);
}

#[test]
fn iris_ccp_alpha_prunes_like_sklearn() {
    for (params, base, pruned, alpha) in [
        (TreeParams { min_samples_leaf: 8, ..Default::default() }, &IRIS_GINI_LEAF8, &IRIS_GINI_LEAF8_CCP, 0.012),
        (
            TreeParams { max_leaf_nodes: Some(20), ..Default::default() },
            &IRIS_GINI_LEAVES20,
            &IRIS_GINI_LEAVES20_CCP,
            0.005,
        ),
    ] {
        let full = fitted(params.clone(), &iris());
        let by_fit = fitted(TreeParams { ccp_alpha: alpha, ..params }, &iris());
        assert_matches(&by_fit, pruned, &iris(), GRID, 1e-6);
        assert_matches(&full.pruned(alpha).unwrap(), pruned, &iris(), GRID, 1e-6);
        // scikit-learn's path is that of the unpruned tree
        close(pruned.path_alphas, base.path_alphas, 0.0, "reference paths agree");
        assert_path(&full, pruned);
    }
}

#[test]
fn iris_class_weights() {
    let data = iris().select(IRIS_SUBSET);
    let balanced = TreeParams { max_depth: Some(3), class_weight: Some(ClassWeight::Balanced), ..Default::default() };
    let model = fitted(balanced, &data);
    assert_matches(&model, &IRIS_BALANCED, &data, GRID, 1e-6);
    assert_path(&model, &IRIS_BALANCED);
    let weighted = TreeParams {
        criterion: Criterion::Entropy,
        max_depth: Some(3),
        class_weight: Some(ClassWeight::Weights(vec![1.0, 2.0, 0.5])),
        ..Default::default()
    };
    let model = fitted(weighted, &data);
    assert_matches(&model, &IRIS_WEIGHTED, &data, GRID, 1e-6);
    assert_path(&model, &IRIS_WEIGHTED);
}

#[test]
fn regression_trees() {
    let data = regression();
    for (params, r) in [
        (TreeParams { min_samples_leaf: 3, ..Default::default() }, &REG_LEAF3),
        (TreeParams { max_leaf_nodes: Some(10), ..Default::default() }, &REG_LEAVES10),
        (TreeParams { max_depth: Some(3), ..Default::default() }, &REG_DEPTH3),
    ] {
        let model = fitted(params, &data);
        assert_matches(&model, r, &data, REG_GRID, 0.0);
        assert_path(&model, r);
    }
    let by_fit = fitted(TreeParams { min_samples_leaf: 3, ccp_alpha: 0.02, ..Default::default() }, &data);
    assert_matches(&by_fit, &REG_LEAF3_CCP, &data, REG_GRID, 0.0);
    let full = fitted(TreeParams { min_samples_leaf: 3, ..Default::default() }, &data);
    assert_matches(&full.pruned(0.02).unwrap(), &REG_LEAF3_CCP, &data, REG_GRID, 0.0);
}

#[test]
fn tie_between_features_goes_to_the_lowest_index() {
    // two identical columns: every split is as good on x1 as on x0
    let x: Vec<f64> = (0..12).flat_map(|i| [i as f64, i as f64]).collect();
    let y: Vec<f64> = (0..12).map(|i| ((i * 7) % 3) as f64).collect();
    let data = Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: 3 }).unwrap();
    let model = fitted(TreeParams::default(), &data);
    assert!(model.node_count() > 3);
    assert!(model.nodes().iter().filter(|n| !n.is_leaf).all(|n| n.feature == Some(0)));
}

#[test]
fn tie_within_a_feature_goes_to_the_lowest_threshold() {
    // y = 0 1 1 0: cutting off the first or the last point are equally good (proxy −4/3)
    let data =
        Dataset::from_rows(&[1.0, 2.0, 3.0, 4.0], 1, &[0.0, 1.0, 1.0, 0.0], Task::Classification { n_classes: 2 })
            .unwrap();
    let model = fitted(TreeParams { max_depth: Some(1), ..Default::default() }, &data);
    assert_eq!(model.arrays().threshold[0], 1.5);
}

#[test]
fn tie_in_the_frontier_goes_to_the_lowest_node_id() {
    // two far-apart clusters with the same inner structure: after the root split both children
    // have the same best improvement, so with 3 leaves only the left child (id 1) is split
    let x = [0.0, 1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 13.0];
    let y = [0.0, 0.0, 2.0, 2.0, 100.0, 100.0, 102.0, 102.0];
    let data = Dataset::from_rows(&x, 1, &y, Task::Regression).unwrap();
    let mut model = TreeParams { max_leaf_nodes: Some(3), ..Default::default() }.build(0).unwrap();
    let mut r = rng(0);
    model.step(&data, &mut r).unwrap();
    let next = model.next_split().unwrap();
    assert_eq!(next.node, 1);
    assert_eq!(next.improvement, 0.5);
    model.step(&data, &mut r).unwrap();
    assert!(model.is_complete());
    let t = model.arrays();
    assert_eq!(t.children_left, vec![1, 3, -1, -1, -1]);
    assert_eq!(t.threshold[1], 1.5);
}

/// Grows by `step` until complete; returns the model and the number of steps that split.
fn stepped(params: TreeParams, data: &Dataset) -> (DecisionTree, usize) {
    let mut model = params.build(0).unwrap();
    let mut r = rng(1);
    let mut splits = 0;
    while !model.is_complete() {
        let before = model.node_count();
        let expected = model.next_split();
        model.step(data, &mut r).unwrap();
        if model.node_count() > before {
            splits += 1;
            assert_eq!(model.node_count(), before.max(1) + 2, "one split per step");
            if let Some(c) = expected {
                let t = model.arrays();
                assert_eq!((t.feature[c.node] as usize, t.threshold[c.node]), (c.feature, c.threshold));
            }
        }
        assert!(splits < 10_000);
    }
    (model, splits)
}

#[test]
fn stepping_to_the_end_grows_the_fitted_tree() {
    for (params, data) in [
        (TreeParams { max_depth: Some(4), ..Default::default() }, iris()),
        (TreeParams { criterion: Criterion::Entropy, min_samples_leaf: 3, ..Default::default() }, iris()),
        (TreeParams { min_samples_leaf: 3, ..Default::default() }, regression()),
    ] {
        let (model, splits) = stepped(params.clone(), &data);
        let fit = fitted(params, &data);
        assert_eq!(splits, fit.n_leaves() - 1);
        // step keeps creation order; fit numbers depth-first like scikit-learn
        assert_eq!(&model.arrays().rebuild_preorder(|_| false), fit.arrays());
        assert_eq!(model.pruning_path(), fit.pruning_path());
    }
    // with max_leaf_nodes both use scikit-learn's best-first numbering
    let params = TreeParams { max_leaf_nodes: Some(20), ..Default::default() };
    let (model, splits) = stepped(params.clone(), &iris());
    assert_eq!(splits, 19);
    assert_eq!(model.arrays(), fitted(params, &iris()).arrays());
    // ccp_alpha applies in fit; a stepped tree is pruned on request
    let params = TreeParams { min_samples_leaf: 8, ccp_alpha: 0.012, ..Default::default() };
    let (model, _) = stepped(params.clone(), &iris());
    assert_matches(&model.pruned(0.012).unwrap(), &IRIS_GINI_LEAF8_CCP, &iris(), GRID, 1e-6);
}

#[test]
fn first_step_splits_the_root_and_finished_trees_stay_put() {
    let data = iris();
    let mut model = TreeParams::default().build(0).unwrap();
    assert!(!model.is_trained() && !model.is_complete());
    let mut r = rng(0);
    model.step(&data, &mut r).unwrap();
    assert!(model.is_trained());
    assert_eq!(model.node_count(), 3);
    assert_eq!(model.arrays().feature[0], 0);
    assert!((model.arrays().threshold[0] - 5.45).abs() < 1e-9);
    let mut fit = fitted(TreeParams { max_depth: Some(2), ..Default::default() }, &data);
    let before = fit.arrays().clone();
    fit.step(&data, &mut r).unwrap();
    assert_eq!(fit.arrays(), &before, "a complete tree does not change");
    // different data: growth restarts from the root
    fit.step(&regression(), &mut r).unwrap();
    assert_eq!(fit.task(), Some(Task::Regression));
    assert_eq!(fit.node_count(), 3);
    assert!(!fit.is_complete());
}

#[test]
fn growth_resumes_after_saving_and_loading() {
    let data = regression();
    let params = TreeParams { min_samples_leaf: 2, ..Default::default() };
    let (whole, _) = stepped(params.clone(), &data);
    let mut model = params.build(0).unwrap();
    let mut r = rng(0);
    for _ in 0..5 {
        model.step(&data, &mut r).unwrap();
    }
    // dropping the growing state (as loading does) and rebuilding it changes nothing
    let mut resumed = model.clone();
    resumed.grower = None;
    assert!(resumed.next_split().is_none(), "no growing state until the next step");
    while !resumed.is_complete() {
        resumed.step(&data, &mut r).unwrap();
    }
    assert_eq!(resumed.arrays(), whole.arrays());
    // through JSON (serde_json without `float_roundtrip` may parse a float 1 ulp off)
    let json = serde_json::to_string(&model).unwrap();
    let mut loaded: DecisionTree = serde_json::from_str(&json).unwrap();
    while !loaded.is_complete() {
        loaded.step(&data, &mut r).unwrap();
    }
    let (a, b) = (loaded.arrays(), whole.arrays());
    assert_eq!((&a.children_left, &a.feature, &a.n_node_samples), (&b.children_left, &b.feature, &b.n_node_samples));
    close(&a.threshold, &b.threshold, 1e-15, "threshold");
    close(&a.impurity, &b.impurity, 1e-15, "impurity");
    // grown on other data, a loaded tree restarts instead of resuming
    let mut other = serde_json::from_str::<DecisionTree>(&json).unwrap();
    other.step(&iris(), &mut r).unwrap();
    assert_eq!(other.node_count(), 3);
}

#[test]
fn registry_round_trip_and_damaged_imports() {
    let params = ModelParams::Tree(TreeParams { max_depth: Some(3), ..Default::default() });
    let mut model = params.build(0).unwrap();
    model.fit(&iris()).unwrap();
    let json = serde_json::to_string(&model).unwrap();
    assert!(json.contains(r#""kind":"tree""#));
    let back: AnyModel = serde_json::from_str(&json).unwrap();
    let (p, q) = (back.predict(&iris().x).unwrap(), model.predict(&iris().x).unwrap());
    close(p.as_slice(), q.as_slice(), 1e-15, "predictions after loading");
    let AnyModel::Tree(tree) = &back else { panic!("not a tree") };
    tree.validate().unwrap();
    assert!(tree.data_fingerprint < 1 << 53, "a safe integer for JavaScript");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let damage = |path: &[&str], index: usize, new: serde_json::Value| {
        let mut v = value.clone();
        let mut slot = &mut v;
        for key in path {
            slot = &mut slot[*key];
        }
        slot[index] = new;
        serde_json::from_value::<AnyModel>(v)
    };
    assert!(damage(&["tree", "children_left"], 0, 0.into()).is_err(), "a cycle");
    assert!(damage(&["tree", "children_left"], 0, 500.into()).is_err(), "out of range");
    assert!(damage(&["tree", "children_right"], 0, (-1).into()).is_err(), "one child");
    assert!(damage(&["tree", "feature"], 0, 5.into()).is_err(), "no such feature");
    assert!(damage(&["tree", "value"], 0, serde_json::Value::Null).is_err(), "missing value");
    let mut v = value.clone();
    v["tree"]["n_outputs"] = 2.into();
    assert!(serde_json::from_value::<AnyModel>(v).is_err(), "outputs do not fit the task");
    let mut v = value.clone();
    v["params"]["max_depth"] = 1000.into();
    assert!(serde_json::from_value::<AnyModel>(v).is_err(), "absurd parameter");
    let err = serde_json::from_value::<AnyModel>({
        let mut v = value.clone();
        v["tree"]["children_left"][0] = 0.into();
        v
    })
    .unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
}

#[test]
fn degenerate_data() {
    let class2 = Task::Classification { n_classes: 2 };
    let mut r = rng(0);
    // no points: a clear error from fit and step
    let empty = Dataset::from_rows(&[], 2, &[], class2).unwrap();
    let mut model = TreeParams::default().build(0).unwrap();
    assert!(matches!(model.fit(&empty), Err(Error::InvalidData(m)) if m.to_string().contains("no points")));
    assert!(model.step(&empty, &mut r).is_err());
    assert!(!model.is_trained());
    assert!(model.predict(&DMatrix::zeros(1, 2)).is_err(), "untrained");
    assert!(model.nodes().is_empty() && model.pruning_path().0.is_empty());
    // identical points of both classes, one point, one class: a single leaf
    for (x, y) in [
        (vec![1.0, 2.0, 1.0, 2.0, 1.0, 2.0], vec![0.0, 1.0, 1.0]),
        (vec![3.0, 4.0], vec![1.0]),
        (vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], vec![1.0, 1.0, 1.0]),
    ] {
        let data = Dataset::from_rows(&x, 2, &y, class2).unwrap();
        let model = fitted(TreeParams::default(), &data);
        assert_eq!(model.node_count(), 1);
        let ones = y.iter().filter(|&&c| c == 1.0).count() as f64 / y.len() as f64;
        close(&model.arrays().value, &[1.0 - ones, ones], 1e-15, "value");
        assert_eq!(model.feature_importances(), vec![0.0, 0.0]);
        assert_eq!(model.pruning_path(), (vec![0.0], vec![model.arrays().impurity[0]]));
        let mut stepped = TreeParams::default().build(0).unwrap();
        stepped.step(&data, &mut r).unwrap();
        assert!(stepped.is_complete() && stepped.node_count() == 1);
    }
    // a class of the task that no point has: a zero column, and "balanced" counts present classes
    let two_of_three = Dataset::from_rows(
        &[0.0, 1.0, 2.0, 3.0, 4.0],
        1,
        &[0.0, 0.0, 1.0, 1.0, 1.0],
        Task::Classification { n_classes: 3 },
    )
    .unwrap();
    let balanced =
        TreeParams { min_samples_split: 100, class_weight: Some(ClassWeight::Balanced), ..Default::default() };
    let model = fitted(balanced, &two_of_three);
    assert_eq!(model.sample_weights(&two_of_three).unwrap(), vec![1.25, 1.25, 5.0 / 6.0, 5.0 / 6.0, 5.0 / 6.0]);
    close(&model.arrays().value, &[0.5, 0.5, 0.0], 1e-15, "balanced root value");
    assert_eq!(model.predict(&DMatrix::from_element(1, 1, 9.0)).unwrap().ncols(), 3);
    // constant targets in regression
    let data = Dataset::from_rows(&[1.0, 2.0, 3.0], 1, &[5.0, 5.0, 5.0], Task::Regression).unwrap();
    assert_eq!(fitted(TreeParams::default(), &data).node_count(), 1);
    // hand-built datasets that skipped Dataset::new's checks: errors, not panics
    let mut bad = iris();
    bad.x[(3, 1)] = f64::NAN;
    assert!(TreeParams::default().build(0).unwrap().fit(&bad).is_err());
    let mut bad = iris();
    bad.y[7] = 3.0;
    assert!(TreeParams::default().build(0).unwrap().fit(&bad).is_err());
    let mut bad = iris();
    bad.y[7] = 0.5;
    let balanced = TreeParams { class_weight: Some(ClassWeight::Balanced), ..Default::default() };
    assert!(balanced.build(0).unwrap().fit(&bad).is_err());
}

#[test]
fn depth_limits() {
    let data = iris();
    // max_depth 0 is refused, as scikit-learn does; a root alone comes from min_samples_split.
    let err = TreeParams { max_depth: Some(0), ..Default::default() }.build(0).unwrap_err();
    assert!(err.to_string().contains("max_depth must be between 1 and 100 (got 0)"), "{err}");
    let stump = fitted(TreeParams { min_samples_split: 1000, ..Default::default() }, &data);
    assert_eq!(stump.node_count(), 1);
    assert_eq!(stump.arrays().value, vec![1.0 / 3.0; 3]);
    let one = fitted(TreeParams { max_depth: Some(1), ..Default::default() }, &data);
    assert_eq!((one.node_count(), one.depth()), (3, 1));
    let deep = fitted(TreeParams { max_depth: Some(100), ..Default::default() }, &data);
    let unlimited = fitted(TreeParams::default(), &data);
    assert_eq!(deep.arrays(), unlimited.arrays());
    assert!(unlimited.depth() > 4);
    // a path 100 splits deep: each point differs from the rest only at the end of a chain
    let x: Vec<f64> = (0..102).map(|i| i as f64).collect();
    let y: Vec<f64> = (0..102).map(|i| if i % 2 == 0 { 0.0 } else { (i * i) as f64 }).collect();
    let chain = Dataset::from_rows(&x, 1, &y, Task::Regression).unwrap();
    let model = fitted(TreeParams { max_depth: Some(100), ..Default::default() }, &chain);
    assert!(model.depth() <= 100);
    let path = model.decision_path(&[50.0]).unwrap();
    assert_eq!(path.len(), model.nodes()[*path.last().unwrap()].depth + 1);
}

#[test]
fn parameter_checks() {
    let bad = [
        TreeParams { max_depth: Some(101), ..Default::default() },
        TreeParams { min_samples_split: 1, ..Default::default() },
        TreeParams { min_samples_leaf: 0, ..Default::default() },
        TreeParams { max_leaf_nodes: Some(1), ..Default::default() },
        TreeParams { ccp_alpha: -0.1, ..Default::default() },
        TreeParams { ccp_alpha: f64::NAN, ..Default::default() },
        TreeParams { class_weight: Some(ClassWeight::Weights(vec![1.0, 0.0])), ..Default::default() },
        TreeParams { class_weight: Some(ClassWeight::Weights(vec![])), ..Default::default() },
    ];
    for p in bad {
        let err = p.check().unwrap_err();
        assert!(matches!(err, Error::InvalidParameter(_)), "{p:?}");
        assert!(p.build(0).is_err());
    }
    assert!(TreeParams::default().check().is_ok());
    let err = TreeParams { max_depth: Some(101), ..Default::default() }.check().unwrap_err();
    assert!(err.to_string().contains("max_depth"));
    // class weights must match the number of classes, and are ignored for regression
    let wrong = TreeParams { class_weight: Some(ClassWeight::Weights(vec![1.0, 2.0])), ..Default::default() };
    let err = wrong.build(0).unwrap().fit(&iris()).unwrap_err();
    assert!(err.to_string().contains("one weight per class"), "{err}");
    let reg = fitted(wrong, &regression());
    assert_eq!(reg.arrays(), fitted(TreeParams::default(), &regression()).arrays());
    // defaults from JSON, with null for "unlimited"
    let p: TreeParams =
        serde_json::from_str(r#"{"max_depth": null, "class_weight": "balanced", "criterion": "entropy"}"#).unwrap();
    assert_eq!(p.class_weight, Some(ClassWeight::Balanced));
    assert_eq!((p.min_samples_split, p.max_depth), (2, None));
    let p: TreeParams = serde_json::from_str(r#"{"class_weight": {"weights": [1, 2.5]}}"#).unwrap();
    assert_eq!(p.class_weight, Some(ClassWeight::Weights(vec![1.0, 2.5])));
}

#[test]
fn prediction_input_checks() {
    let model = fitted(TreeParams { max_depth: Some(3), ..Default::default() }, &iris());
    let nan = DMatrix::from_row_slice(2, 2, &[5.0, 3.0, f64::NAN, 3.0]);
    let err = model.predict(&nan).unwrap_err();
    assert!(err.to_string().contains("row 2"), "{err}");
    assert!(model.predict(&DMatrix::zeros(2, 3)).is_err());
    assert!(model.apply(&nan).is_err());
    assert!(model.decision_path(&[f64::NAN, 1.0]).is_err());
    assert!(model.decision_path(&[1.0]).is_err());
    assert_eq!(model.predict(&DMatrix::zeros(0, 2)).unwrap().shape(), (0, 3));
    assert!(model.pruned(-1.0).is_err());
}

#[test]
fn regions_paths_and_nodes_agree() {
    let data = iris();
    let model = fitted(TreeParams { min_samples_leaf: 3, ..Default::default() }, &data);
    let bounds = [(4.0, 8.0), (2.0, 4.5)];
    let regions = model.regions(&bounds).unwrap();
    let nodes = model.nodes();
    let leaves = model.apply(&data.x).unwrap();
    // leaf boxes tile the bounding box
    let area = |b: &Vec<(f64, f64)>| (b[0].1 - b[0].0) * (b[1].1 - b[1].0);
    let leaf_area: f64 = nodes.iter().filter(|n| n.is_leaf).map(|n| area(&regions[n.id])).sum();
    assert!((leaf_area - 4.0 * 2.5).abs() < 1e-9);
    for (i, &leaf) in leaves.iter().enumerate() {
        let x = [data.x[(i, 0)], data.x[(i, 1)]];
        let b = &regions[leaf];
        assert!(b[0].0 <= x[0] && x[0] <= b[0].1 && b[1].0 <= x[1] && x[1] <= b[1].1);
        let path = model.decision_path(&x).unwrap();
        assert_eq!(path[0], 0);
        assert_eq!(*path.last().unwrap(), leaf);
        for w in path.windows(2) {
            assert_eq!(nodes[w[1]].parent, Some(w[0]));
            assert_eq!(nodes[w[1]].depth, nodes[w[0]].depth + 1);
        }
    }
    for n in &nodes {
        assert!((n.value.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(n.is_leaf, n.left.is_none() && n.feature.is_none());
        if let (Some(l), Some(r)) = (n.left, n.right) {
            assert_eq!(nodes[l].n_samples + nodes[r].n_samples, n.n_samples);
        }
    }
    assert_eq!(nodes[0].n_samples, 150);
}

#[test]
fn objective_is_the_weighted_leaf_impurity_on_training_data() {
    let subset = iris().select(IRIS_SUBSET);
    for (params, data) in [
        (TreeParams { max_depth: Some(4), ..Default::default() }, iris()),
        (TreeParams { criterion: Criterion::Entropy, max_depth: Some(4), ..Default::default() }, iris()),
        (
            TreeParams { max_depth: Some(3), class_weight: Some(ClassWeight::Balanced), ..Default::default() },
            subset.clone(),
        ),
        (
            TreeParams {
                criterion: Criterion::Entropy,
                class_weight: Some(ClassWeight::Weights(vec![1.0, 2.0, 0.5])),
                ..Default::default()
            },
            subset,
        ),
        (TreeParams { min_samples_leaf: 3, ..Default::default() }, regression()),
    ] {
        let model = fitted(params, &data);
        let objective = model.objective(&data).unwrap();
        assert!((objective - model.training_impurity()).abs() < 1e-12, "{objective}");
        assert!((objective - model.pruning_path().1[0]).abs() < 1e-12);
        assert!(objective > 0.0);
        let s = model.summary();
        assert_eq!(s.code, "tree");
        assert_eq!(s.number("leaves"), Some(model.n_leaves() as f64));
        let crate::model::Formula::Tree { leaves, depth, impurity, .. } = s.formula else { panic!("{:?}", s.formula) };
        assert_eq!((leaves, depth, impurity), (model.n_leaves(), model.depth(), model.training_impurity()));
    }
    // a tree that separates everything has zero objective; log-loss stays finite off-sample
    let data =
        Dataset::from_rows(&[0.0, 1.0, 2.0, 3.0], 1, &[0.0, 0.0, 1.0, 1.0], Task::Classification { n_classes: 2 })
            .unwrap();
    let model = fitted(TreeParams { criterion: Criterion::Entropy, ..Default::default() }, &data);
    assert_eq!(model.objective(&data).unwrap(), 0.0);
    let flipped = Dataset::from_rows(&[0.0, 3.0], 1, &[1.0, 0.0], Task::Classification { n_classes: 2 }).unwrap();
    let loss = model.objective(&flipped).unwrap();
    assert!(loss.is_finite() && loss > 40.0);
    assert!(model.objective(&regression()).is_err(), "another task");
}

#[test]
fn grid_predictions_equal_pointwise_predictions() {
    let xs: Vec<f64> = (0..37).map(|i| 4.0 + i as f64 * 0.1).collect(); // hits data values and midpoints
    let ys: Vec<f64> = (0..23).map(|i| 2.0 + i as f64 * 0.1).collect();
    let points: Vec<f64> = ys.iter().flat_map(|&y| xs.iter().flat_map(move |&x| [x, y])).collect();
    let matrix = DMatrix::from_row_slice(xs.len() * ys.len(), 2, &points);
    for (params, data) in [
        (TreeParams::default(), iris()),
        (TreeParams { criterion: Criterion::Entropy, max_leaf_nodes: Some(8), ..Default::default() }, iris()),
        (TreeParams { min_samples_leaf: 3, ..Default::default() }, regression()),
    ] {
        let model = fitted(params, &data);
        assert_eq!(model.predict_grid(&xs, &ys).unwrap(), model.predict(&matrix).unwrap());
        let reversed: Vec<f64> = xs.iter().rev().copied().collect();
        let points: Vec<f64> = ys.iter().flat_map(|&y| reversed.iter().flat_map(move |&x| [x, y])).collect();
        let matrix_rev = DMatrix::from_row_slice(xs.len() * ys.len(), 2, &points);
        assert_eq!(model.predict_grid(&reversed, &ys).unwrap(), model.predict(&matrix_rev).unwrap(), "fallback");
        assert_eq!(model.predict_grid(&[], &ys).unwrap().nrows(), 0);
        assert!(model.predict_grid(&[f64::NAN], &ys).is_err());
    }
    let huge = vec![0.0; 1 << 14];
    assert!(fitted(TreeParams::default(), &iris()).predict_grid(&huge, &huge).is_err(), "2^28 points");
    let one_feature = Dataset::from_rows(&[1.0, 2.0, 3.0], 1, &[1.0, 2.0, 3.0], Task::Regression).unwrap();
    assert!(fitted(TreeParams::default(), &one_feature).predict_grid(&xs, &ys).is_err());
    assert!(TreeParams::default().build(0).unwrap().predict_grid(&xs, &ys).is_err());
}

/// Deterministic 2-feature data on [0, 10]² (the same formulas as the Python timing script
/// below): classes from a wavy boundary with 10 % label noise, or a wavy regression target.
fn bench_data(n: usize, task: Task) -> Dataset {
    let frac = |v: f64| v - v.floor();
    let mut x = Vec::with_capacity(2 * n);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let i = i as f64;
        let (a, b) = (frac(i * 0.618_033_988_7) * 10.0, frac(i * 0.754_877_666_2) * 10.0);
        let noise = frac(i * 0.569_840_291) - 0.5;
        x.extend([a, b]);
        y.push(match task {
            Task::Regression => a.sin() + (b / 2.0).cos() + noise,
            Task::Classification { .. } => {
                let flip = frac(i * 0.438_283_197) < 0.1;
                (((a.sin() + (b / 2.0).cos()) > 0.0) != flip) as u8 as f64
            }
        });
    }
    Dataset::from_rows(&x, 2, &y, task).unwrap()
}

/// Timing, not a check: `cargo test --release bench_ -- --ignored --nocapture`.
/// scikit-learn on the same data:
/// ```python
/// import numpy as np, time
/// from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
/// n = 100_000; i = np.arange(n, dtype=float); frac = lambda v: v - np.floor(v)
/// a, b = frac(i * 0.6180339887) * 10, frac(i * 0.7548776662) * 10
/// noise = frac(i * 0.569840291) - 0.5; flip = frac(i * 0.438283197) < 0.1
/// X = np.c_[a, b]; yc = ((np.sin(a) + np.cos(b / 2)) > 0) != flip; yr = np.sin(a) + np.cos(b / 2) + noise
/// for est, y in [(DecisionTreeClassifier(), yc), (DecisionTreeRegressor(), yr)]:
///     t = time.perf_counter(); est.fit(X, y); print(type(est).__name__, time.perf_counter() - t, est.tree_.node_count)
/// ```
#[test]
#[ignore]
fn bench_fit_and_predict() {
    use std::time::Instant;
    let best = |runs: usize, mut f: Box<dyn FnMut() -> f64 + '_>| (0..runs).map(|_| f()).fold(f64::INFINITY, f64::min);
    for task in [Task::Classification { n_classes: 2 }, Task::Regression] {
        let data = bench_data(100_000, task);
        let mut nodes = 0;
        let secs = best(
            3,
            Box::new(|| {
                let mut m = TreeParams::default().build(0).unwrap();
                let t = Instant::now();
                m.fit(&data).unwrap();
                let s = t.elapsed().as_secs_f64();
                nodes = m.node_count();
                s
            }),
        );
        println!("fit 100k {task:?}: {:.1} ms, {nodes} nodes", secs * 1e3);
        let model = fitted(TreeParams::default(), &data);
        let t = Instant::now();
        let path = model.pruning_path();
        println!("  pruning path: {:.1} ms ({} alphas)", t.elapsed().as_secs_f64() * 1e3, path.0.len());
        let side = 512;
        let grid: Vec<f64> =
            (0..side * side).flat_map(|k| [(k % side) as f64 / 51.2, (k / side) as f64 / 51.2]).collect();
        let g = DMatrix::from_row_slice(side * side, 2, &grid);
        for depth in [Some(6), Some(12), None] {
            let m = fitted(TreeParams { max_depth: depth, ..Default::default() }, &data);
            let secs = best(
                10,
                Box::new(|| {
                    let t = Instant::now();
                    let p = m.predict(&g).unwrap();
                    assert_eq!(p.nrows(), side * side);
                    t.elapsed().as_secs_f64()
                }),
            );
            println!("  predict 512×512, depth {:?} ({} leaves): {:.2} ms", m.depth(), m.n_leaves(), secs * 1e3);
        }
    }
    let data = bench_data(100_000, Task::Classification { n_classes: 2 });
    let mut m = TreeParams::default().build(0).unwrap();
    let mut r = rng(0);
    let t = Instant::now();
    for _ in 0..100 {
        m.step(&data, &mut r).unwrap();
    }
    println!("first 100 steps on 100k points: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
}

// ---- scikit-learn reference data, generated by this script (python3, scikit-learn 1.9.1, numpy 2.4):
// import numpy as np
// from sklearn.datasets import load_iris
// from sklearn.tree import DecisionTreeClassifier as C, DecisionTreeRegressor as R
//
// def f(a): return "&[" + ", ".join(repr(float(v)) for v in np.ravel(a)) + "]"
// def i(a): return "&[" + ", ".join(str(int(v)) for v in np.ravel(a)) + "]"
//
// X, y = load_iris(return_X_y=True); X = X[:, :2]
// # an imbalanced subset for class weights: 30 of class 0, 50 of class 1, 20 of class 2
// sub = np.r_[0:30, 50:100, 100:120]
// rng = np.random.default_rng(7)
// n = 60
// XR = rng.uniform(0, 10, size=(n, 2)).astype(np.float32).astype(np.float64)
// yR = np.round(np.sin(XR[:, 0]) + 0.3 * XR[:, 1] + rng.normal(0, 0.3, n), 6)
// # points off the training set for predictions
// G = np.array([[4.43, 2.12], [5.02, 3.03], [5.51, 2.47], [5.87, 3.11], [6.13, 2.82], [6.71, 3.33], [7.22, 2.61], [7.9, 4.4]])
// GR = np.array([[0.5, 0.5], [2.0, 8.0], [4.7, 3.3], [6.2, 9.1], [8.8, 1.2], [9.9, 9.9]])
//
// def emit(name, est, X, y, grid):
//     est.fit(X, y); t = est.tree_
//     path = est.cost_complexity_pruning_path(X, y)
//     pred = est.predict_proba(grid) if hasattr(est, "predict_proba") else est.predict(grid)
//     print(f"const {name}: Reference = Reference {{")
//     print(f"    children_left: {i(t.children_left)},")
//     print(f"    children_right: {i(t.children_right)},")
//     print(f"    feature: {i(t.feature)},")
//     print(f"    threshold: {f(t.threshold)},")
//     print(f"    impurity: {f(t.impurity)},")
//     print(f"    n_node_samples: {i(t.n_node_samples)},")
//     print(f"    weighted_n_node_samples: {f(t.weighted_n_node_samples)},")
//     print(f"    value: {f(t.value)},")
//     print(f"    apply: {i(est.apply(X))},")
//     print(f"    importances: {f(est.feature_importances_)},")
//     print(f"    path_alphas: {f(path.ccp_alphas)},")
//     print(f"    path_impurities: {f(path.impurities)},")
//     print(f"    grid_predictions: {f(pred)},")
//     print("};")
//
// print(f"const IRIS_X: &[f64] = {f(X)};")
// print(f"const IRIS_Y: &[f64] = {f(y)};")
// print(f"const IRIS_SUBSET: &[usize] = {i(sub)};")
// print(f"const GRID: &[f64] = {f(G)};")
// print(f"const REG_X: &[f64] = {f(XR)};")
// print(f"const REG_Y: &[f64] = {f(yR)};")
// print(f"const REG_GRID: &[f64] = {f(GR)};")
// emit("IRIS_GINI_DEPTH4", C(criterion="gini", max_depth=4, random_state=0), X, y, G)
// emit("IRIS_ENTROPY_LEAVES8", C(criterion="entropy", max_leaf_nodes=8, random_state=0), X, y, G)
// emit("IRIS_GINI_LEAVES20", C(criterion="gini", max_leaf_nodes=20, random_state=0), X, y, G)
// emit("IRIS_GINI_LEAF8", C(criterion="gini", min_samples_leaf=8, random_state=0), X, y, G)
// emit("IRIS_GINI_LEAF8_CCP", C(criterion="gini", min_samples_leaf=8, ccp_alpha=0.012, random_state=0), X, y, G)
// emit("IRIS_GINI_LEAVES20_CCP", C(criterion="gini", max_leaf_nodes=20, ccp_alpha=0.005, random_state=0), X, y, G)
// emit("IRIS_BALANCED", C(criterion="gini", max_depth=3, class_weight="balanced", random_state=0), X[sub], y[sub], G)
// emit("IRIS_WEIGHTED", C(criterion="entropy", max_depth=3, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, random_state=0), X[sub], y[sub], G)
// emit("REG_LEAF3", R(min_samples_leaf=3, random_state=0), XR, yR, GR)
// emit("REG_LEAF3_CCP", R(min_samples_leaf=3, ccp_alpha=0.02, random_state=0), XR, yR, GR)
// emit("REG_LEAVES10", R(max_leaf_nodes=10, random_state=0), XR, yR, GR)
// emit("REG_DEPTH3", R(max_depth=3, random_state=0), XR, yR, GR)

const IRIS_X: &[f64] = &[
    5.1, 3.5, 4.9, 3.0, 4.7, 3.2, 4.6, 3.1, 5.0, 3.6, 5.4, 3.9, 4.6, 3.4, 5.0, 3.4, 4.4, 2.9, 4.9, 3.1, 5.4, 3.7, 4.8,
    3.4, 4.8, 3.0, 4.3, 3.0, 5.8, 4.0, 5.7, 4.4, 5.4, 3.9, 5.1, 3.5, 5.7, 3.8, 5.1, 3.8, 5.4, 3.4, 5.1, 3.7, 4.6, 3.6,
    5.1, 3.3, 4.8, 3.4, 5.0, 3.0, 5.0, 3.4, 5.2, 3.5, 5.2, 3.4, 4.7, 3.2, 4.8, 3.1, 5.4, 3.4, 5.2, 4.1, 5.5, 4.2, 4.9,
    3.1, 5.0, 3.2, 5.5, 3.5, 4.9, 3.6, 4.4, 3.0, 5.1, 3.4, 5.0, 3.5, 4.5, 2.3, 4.4, 3.2, 5.0, 3.5, 5.1, 3.8, 4.8, 3.0,
    5.1, 3.8, 4.6, 3.2, 5.3, 3.7, 5.0, 3.3, 7.0, 3.2, 6.4, 3.2, 6.9, 3.1, 5.5, 2.3, 6.5, 2.8, 5.7, 2.8, 6.3, 3.3, 4.9,
    2.4, 6.6, 2.9, 5.2, 2.7, 5.0, 2.0, 5.9, 3.0, 6.0, 2.2, 6.1, 2.9, 5.6, 2.9, 6.7, 3.1, 5.6, 3.0, 5.8, 2.7, 6.2, 2.2,
    5.6, 2.5, 5.9, 3.2, 6.1, 2.8, 6.3, 2.5, 6.1, 2.8, 6.4, 2.9, 6.6, 3.0, 6.8, 2.8, 6.7, 3.0, 6.0, 2.9, 5.7, 2.6, 5.5,
    2.4, 5.5, 2.4, 5.8, 2.7, 6.0, 2.7, 5.4, 3.0, 6.0, 3.4, 6.7, 3.1, 6.3, 2.3, 5.6, 3.0, 5.5, 2.5, 5.5, 2.6, 6.1, 3.0,
    5.8, 2.6, 5.0, 2.3, 5.6, 2.7, 5.7, 3.0, 5.7, 2.9, 6.2, 2.9, 5.1, 2.5, 5.7, 2.8, 6.3, 3.3, 5.8, 2.7, 7.1, 3.0, 6.3,
    2.9, 6.5, 3.0, 7.6, 3.0, 4.9, 2.5, 7.3, 2.9, 6.7, 2.5, 7.2, 3.6, 6.5, 3.2, 6.4, 2.7, 6.8, 3.0, 5.7, 2.5, 5.8, 2.8,
    6.4, 3.2, 6.5, 3.0, 7.7, 3.8, 7.7, 2.6, 6.0, 2.2, 6.9, 3.2, 5.6, 2.8, 7.7, 2.8, 6.3, 2.7, 6.7, 3.3, 7.2, 3.2, 6.2,
    2.8, 6.1, 3.0, 6.4, 2.8, 7.2, 3.0, 7.4, 2.8, 7.9, 3.8, 6.4, 2.8, 6.3, 2.8, 6.1, 2.6, 7.7, 3.0, 6.3, 3.4, 6.4, 3.1,
    6.0, 3.0, 6.9, 3.1, 6.7, 3.1, 6.9, 3.1, 5.8, 2.7, 6.8, 3.2, 6.7, 3.3, 6.7, 3.0, 6.3, 2.5, 6.5, 3.0, 6.2, 3.4, 5.9,
    3.0,
];
const IRIS_Y: &[f64] = &[
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
    1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
    1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0,
    2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0,
    2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0,
];
const IRIS_SUBSET: &[usize] = &[
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 50,
    51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79,
    80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106,
    107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
];
const GRID: &[f64] = &[4.43, 2.12, 5.02, 3.03, 5.51, 2.47, 5.87, 3.11, 6.13, 2.82, 6.71, 3.33, 7.22, 2.61, 7.9, 4.4];
const REG_X: &[f64] = &[
    6.250954627990723,
    8.972138404846191,
    7.756856918334961,
    2.2520718574523926,
    3.0016627311706543,
    8.73553466796875,
    0.05265304446220398,
    8.212284088134766,
    7.970694065093994,
    4.679349422454834,
    3.0303242206573486,
    2.7842562198638916,
    2.5486958026885986,
    4.45076322555542,
    5.045482635498047,
    5.534973621368408,
    9.955002784729004,
    7.926619052886963,
    6.221792221069336,
    9.889601707458496,
    2.1530869007110596,
    1.602120280265808,
    6.125396251678467,
    0.43942007422447205,
    0.3568027913570404,
    5.148888111114502,
    4.662060260772705,
    9.171677589416504,
    6.292262554168701,
    5.141176700592041,
    4.968734264373779,
    2.475149154663086,
    0.117940254509449,
    1.9240214824676514,
    6.920320987701416,
    2.0060672760009766,
    3.6953630447387695,
    0.03734242171049118,
    8.300477027893066,
    1.544610857963562,
    2.675992965698242,
    8.803321838378906,
    5.097908020019531,
    8.471502304077148,
    6.397171497344971,
    7.4177093505859375,
    0.9149560332298279,
    5.41143798828125,
    5.077722549438477,
    8.713394165039062,
    3.612640619277954,
    5.98184061050415,
    0.5925164222717285,
    3.8763179779052734,
    3.230363368988037,
    1.5019972324371338,
    8.16338062286377,
    3.794461727142334,
    9.78747844696045,
    5.899917125701904,
    6.050562381744385,
    6.379965782165527,
    6.76450252532959,
    1.5078802108764648,
    4.403134822845459,
    2.395639657974243,
    4.024982929229736,
    0.9670409560203552,
    9.6782808303833,
    2.1500403881073,
    6.717651844024658,
    3.0042006969451904,
    8.74077033996582,
    6.622147560119629,
    1.3161581754684448,
    8.450743675231934,
    9.449481964111328,
    9.039168357849121,
    5.6971917152404785,
    1.4545994997024536,
    1.9246349334716797,
    9.279056549072266,
    5.5232648849487305,
    1.8055249452590942,
    8.840568542480469,
    6.415717124938965,
    5.6969428062438965,
    3.76287841796875,
    4.10955286026001,
    2.3948922157287598,
    0.3805728554725647,
    8.762187957763672,
    4.677302360534668,
    5.476352214813232,
    3.221633195877075,
    7.513249397277832,
    0.25196871161460876,
    3.7218527793884277,
    0.3035029470920563,
    1.2289210557937622,
    9.67148208618164,
    6.577607154846191,
    4.282202243804932,
    5.237401008605957,
    8.728092193603516,
    3.4421067237854004,
    5.902909755706787,
    6.836843967437744,
    3.554137706756592,
    5.190984725952148,
    7.6524739265441895,
    9.091793060302734,
    1.5106227397918701,
    9.33419418334961,
    0.051788657903671265,
    7.529775142669678,
    8.105268478393555,
    1.367640495300293,
    4.1890363693237305,
    8.152563095092773,
];
const REG_Y: &[f64] = &[
    2.71724, 1.697701, 2.582826, 2.480731, 1.797678, 0.606894, 2.002847, 0.076887, 2.126241, 2.381697, 1.542863,
    -0.278958, 2.127644, 1.792055, 1.09038, 0.149966, 1.127386, 1.176974, -0.59687, 1.317389, 2.79741, 1.944423,
    2.176185, 2.40061, 1.442025, 1.15291, 1.338028, 0.739066, 2.044629, 1.704951, 1.687457, 0.70699, -0.331875,
    -0.650852, 0.396603, 1.209607, 2.528572, 3.089405, 2.444995, 0.37957, 3.520397, -0.463434, 2.577453, 0.99781,
    -0.541471, 2.937552, 0.453905, 1.645714, 1.586345, 0.660508, 1.750505, 0.436639, 1.810747, 1.518088, 1.113482,
    3.374826, 3.433618, 2.711358, 1.226754, 1.667125,
];
const REG_GRID: &[f64] = &[0.5, 0.5, 2.0, 8.0, 4.7, 3.3, 6.2, 9.1, 8.8, 1.2, 9.9, 9.9];
const IRIS_GINI_DEPTH4: Reference = Reference {
    children_left: &[1, 2, 3, -1, 5, -1, -1, 8, -1, 10, -1, -1, 13, 14, 15, -1, -1, -1, 19, 20, -1, -1, -1],
    children_right: &[12, 7, 4, -1, 6, -1, -1, 9, -1, 11, -1, -1, 18, 17, 16, -1, -1, -1, 22, 21, -1, -1, -1],
    feature: &[0, 1, 0, -2, 0, -2, -2, 0, -2, 1, -2, -2, 0, 1, 0, -2, -2, -2, 0, 1, -2, -2, -2],
    threshold: &[
        5.450000047683716,
        2.8000000715255737,
        4.700000047683716,
        -2.0,
        4.950000047683716,
        -2.0,
        -2.0,
        5.3500001430511475,
        -2.0,
        3.200000047683716,
        -2.0,
        -2.0,
        6.1499998569488525,
        3.450000047683716,
        5.75,
        -2.0,
        -2.0,
        -2.0,
        7.049999952316284,
        2.399999976158142,
        -2.0,
        -2.0,
        -2.0,
    ],
    impurity: &[
        0.6666666666666667,
        0.2374260355029586,
        0.44897959183673475,
        0.0,
        0.2777777777777778,
        0.5,
        0.0,
        0.04345679012345682,
        0.0,
        0.2777777777777778,
        0.0,
        0.0,
        0.5458142440649729,
        0.5083829096809086,
        0.38781163434903043,
        0.2076124567474048,
        0.47165532879818595,
        0.0,
        0.4125619834710744,
        0.4672796106003245,
        0.0,
        0.44973230220107074,
        0.0,
    ],
    n_node_samples: &[150, 52, 7, 1, 6, 2, 4, 45, 39, 6, 1, 5, 98, 43, 38, 17, 21, 5, 55, 43, 2, 41, 12],
    weighted_n_node_samples: &[
        150.0, 52.0, 7.0, 1.0, 6.0, 2.0, 4.0, 45.0, 39.0, 6.0, 1.0, 5.0, 98.0, 43.0, 38.0, 17.0, 21.0, 5.0, 55.0, 43.0,
        2.0, 41.0, 12.0,
    ],
    value: &[
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.8653846153846154,
        0.11538461538461539,
        0.019230769230769232,
        0.14285714285714285,
        0.7142857142857143,
        0.14285714285714285,
        1.0,
        0.0,
        0.0,
        0.0,
        0.8333333333333334,
        0.16666666666666666,
        0.0,
        0.5,
        0.5,
        0.0,
        1.0,
        0.0,
        0.9777777777777777,
        0.022222222222222223,
        0.0,
        1.0,
        0.0,
        0.0,
        0.8333333333333334,
        0.16666666666666666,
        0.0,
        0.0,
        1.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.05102040816326531,
        0.4489795918367347,
        0.5,
        0.11627906976744186,
        0.6511627906976745,
        0.23255813953488372,
        0.0,
        0.7368421052631579,
        0.2631578947368421,
        0.0,
        0.8823529411764706,
        0.11764705882352941,
        0.0,
        0.6190476190476191,
        0.38095238095238093,
        1.0,
        0.0,
        0.0,
        0.0,
        0.2909090909090909,
        0.7090909090909091,
        0.0,
        0.37209302325581395,
        0.627906976744186,
        0.0,
        1.0,
        0.0,
        0.0,
        0.34146341463414637,
        0.6585365853658537,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        8, 8, 8, 8, 8, 11, 8, 8, 8, 8, 11, 8, 8, 8, 17, 17, 11, 8, 17, 8, 11, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 11, 8, 17,
        8, 8, 17, 8, 8, 8, 8, 3, 8, 8, 8, 8, 8, 8, 8, 8, 21, 21, 21, 15, 21, 15, 21, 5, 21, 6, 6, 16, 16, 16, 15, 21,
        15, 16, 20, 15, 16, 16, 21, 16, 21, 21, 21, 21, 16, 15, 15, 15, 16, 16, 10, 16, 21, 20, 15, 15, 15, 16, 16, 6,
        15, 15, 15, 21, 6, 15, 21, 16, 22, 21, 21, 22, 5, 22, 21, 22, 21, 21, 21, 15, 16, 21, 21, 22, 22, 16, 21, 15,
        22, 21, 21, 22, 21, 16, 21, 22, 22, 22, 21, 21, 16, 22, 21, 21, 16, 21, 21, 21, 16, 21, 21, 21, 21, 21, 21, 16,
    ],
    importances: &[0.7364386626562149, 0.2635613373437851],
    path_alphas: &[
        0.0,
        0.0044444444444444444,
        0.006518518518518523,
        0.008684456238635785,
        0.009841269841269843,
        0.011026659103800365,
        0.017319238900634276,
        0.047490820073439424,
        0.04831827431827432,
        0.05958947807452791,
        0.2277603349031922,
    ],
    path_impurities: &[
        0.21915465373141124,
        0.2235990981758557,
        0.23663613521289273,
        0.2453205914515285,
        0.25516186129279833,
        0.2661885203965987,
        0.28350775929723293,
        0.33099857937067234,
        0.37931685368894663,
        0.43890633176347454,
        0.6666666666666667,
    ],
    grid_predictions: &[
        1.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        0.8823529411764706,
        0.11764705882352941,
        0.0,
        0.6190476190476191,
        0.38095238095238093,
        0.0,
        0.6190476190476191,
        0.38095238095238093,
        0.0,
        0.34146341463414637,
        0.6585365853658537,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const IRIS_ENTROPY_LEAVES8: Reference = Reference {
    children_left: &[1, 3, 5, 11, -1, 7, 13, -1, 9, -1, -1, -1, -1, -1, -1],
    children_right: &[2, 4, 6, 12, -1, 8, 14, -1, 10, -1, -1, -1, -1, -1, -1],
    feature: &[0, 1, 1, 0, -2, 0, 0, -2, 0, -2, -2, -2, -2, -2, -2],
    threshold: &[
        5.549999952316284,
        2.8000000715255737,
        3.6999999284744263,
        4.950000047683716,
        -2.0,
        6.25,
        6.75,
        -2.0,
        7.049999952316284,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
    ],
    impurity: &[
        1.584962500721156,
        0.8128223064150747,
        1.167065448996099,
        0.8166890883150209,
        0.14854949043034824,
        0.9937489109291138,
        0.9709505944546686,
        0.9090221560878149,
        0.863120568566631,
        0.9418285354475157,
        0.0,
        1.584962500721156,
        0.0,
        0.0,
        0.0,
    ],
    n_node_samples: &[150, 59, 91, 12, 47, 86, 5, 37, 49, 39, 10, 3, 9, 3, 2],
    weighted_n_node_samples: &[150.0, 59.0, 91.0, 12.0, 47.0, 86.0, 5.0, 37.0, 49.0, 39.0, 10.0, 3.0, 9.0, 3.0, 2.0],
    value: &[
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.7966101694915254,
        0.1864406779661017,
        0.01694915254237288,
        0.03296703296703297,
        0.42857142857142855,
        0.5384615384615384,
        0.08333333333333333,
        0.8333333333333334,
        0.08333333333333333,
        0.9787234042553191,
        0.02127659574468085,
        0.0,
        0.0,
        0.45348837209302323,
        0.5465116279069767,
        0.6,
        0.0,
        0.4,
        0.0,
        0.6756756756756757,
        0.32432432432432434,
        0.0,
        0.2857142857142857,
        0.7142857142857143,
        0.0,
        0.358974358974359,
        0.6410256410256411,
        0.0,
        0.0,
        1.0,
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.0,
        1.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 13, 13, 4, 4, 13, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
        4, 4, 4, 4, 4, 11, 4, 4, 4, 4, 4, 4, 4, 4, 9, 9, 9, 12, 9, 7, 9, 11, 9, 12, 12, 7, 7, 7, 7, 9, 7, 7, 7, 7, 7,
        7, 9, 7, 9, 9, 9, 9, 7, 7, 12, 12, 7, 7, 4, 7, 9, 9, 7, 12, 12, 7, 7, 12, 7, 7, 7, 7, 12, 7, 9, 7, 10, 9, 9,
        10, 11, 10, 9, 10, 9, 9, 9, 7, 7, 9, 9, 14, 10, 7, 9, 7, 10, 9, 9, 10, 7, 7, 9, 10, 10, 14, 9, 9, 7, 10, 9, 9,
        7, 9, 9, 9, 7, 9, 9, 9, 9, 9, 7, 7,
    ],
    importances: &[0.6976390845861485, 0.3023609154138514],
    path_alphas: &[
        0.0,
        0.03236501981515562,
        0.03363587705077855,
        0.03707729984874539,
        0.06357119136593148,
        0.10590531030978578,
        0.2078294731232186,
        0.5572326878069267,
    ],
    path_impurities: &[
        0.5473456414006139,
        0.5797106612157695,
        0.6133465382665481,
        0.6504238381152935,
        0.713995029481225,
        0.8199003397910107,
        1.0277298129142294,
        1.584962500721156,
    ],
    grid_predictions: &[
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.9787234042553191,
        0.02127659574468085,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.6756756756756757,
        0.32432432432432434,
        0.0,
        0.6756756756756757,
        0.32432432432432434,
        0.0,
        0.358974358974359,
        0.6410256410256411,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const IRIS_GINI_LEAVES20: Reference = Reference {
    children_left: &[
        1, 5, 3, 7, 9, 13, -1, 15, -1, 11, -1, -1, 17, -1, 19, -1, 23, 25, -1, 21, -1, -1, -1, -1, -1, 27, -1, 31, 29,
        -1, -1, 33, -1, 35, -1, 37, -1, -1, -1,
    ],
    children_right: &[
        2, 6, 4, 8, 10, 14, -1, 16, -1, 12, -1, -1, 18, -1, 20, -1, 24, 26, -1, 22, -1, -1, -1, -1, -1, 28, -1, 32, 30,
        -1, -1, 34, -1, 36, -1, 38, -1, -1, -1,
    ],
    feature: &[
        0, 1, 0, 1, 0, 0, -2, 0, -2, 1, -2, -2, 0, -2, 0, -2, 1, 1, -2, 1, -2, -2, -2, -2, -2, 0, -2, 1, 0, -2, -2, 0,
        -2, 1, -2, 1, -2, -2, -2,
    ],
    threshold: &[
        5.450000047683716,
        2.8000000715255737,
        6.1499998569488525,
        3.450000047683716,
        7.049999952316284,
        4.700000047683716,
        -2.0,
        5.75,
        -2.0,
        2.399999976158142,
        -2.0,
        -2.0,
        6.950000047683716,
        -2.0,
        4.950000047683716,
        -2.0,
        3.100000023841858,
        3.149999976158142,
        -2.0,
        2.450000047683716,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        6.549999952316284,
        -2.0,
        2.950000047683716,
        6.6499998569488525,
        -2.0,
        -2.0,
        6.450000047683716,
        -2.0,
        2.850000023841858,
        -2.0,
        2.600000023841858,
        -2.0,
        -2.0,
        -2.0,
    ],
    impurity: &[
        0.6666666666666667,
        0.2374260355029586,
        0.5458142440649729,
        0.5083829096809086,
        0.4125619834710744,
        0.44897959183673475,
        0.04345679012345682,
        0.38781163434903043,
        0.0,
        0.4672796106003245,
        0.0,
        0.0,
        0.44973230220107074,
        0.0,
        0.2777777777777778,
        0.2076124567474048,
        0.47165532879818595,
        0.43875,
        0.0,
        0.5,
        0.0,
        0.0,
        0.0,
        0.48753462603878117,
        0.0,
        0.4708680142687277,
        0.2975206611570248,
        0.375,
        0.4970414201183432,
        0.0,
        0.49586776859504134,
        0.4444444444444444,
        0.0,
        0.39669421487603307,
        0.0,
        0.21875,
        0.4444444444444444,
        0.5,
        0.0,
    ],
    n_node_samples: &[
        150, 52, 98, 43, 55, 7, 45, 38, 5, 43, 12, 2, 41, 1, 6, 17, 21, 40, 1, 2, 4, 1, 1, 19, 2, 29, 11, 16, 13, 2,
        11, 12, 4, 11, 1, 8, 3, 2, 6,
    ],
    weighted_n_node_samples: &[
        150.0, 52.0, 98.0, 43.0, 55.0, 7.0, 45.0, 38.0, 5.0, 43.0, 12.0, 2.0, 41.0, 1.0, 6.0, 17.0, 21.0, 40.0, 1.0,
        2.0, 4.0, 1.0, 1.0, 19.0, 2.0, 29.0, 11.0, 16.0, 13.0, 2.0, 11.0, 12.0, 4.0, 11.0, 1.0, 8.0, 3.0, 2.0, 6.0,
    ],
    value: &[
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.8653846153846154,
        0.11538461538461539,
        0.019230769230769232,
        0.05102040816326531,
        0.4489795918367347,
        0.5,
        0.11627906976744186,
        0.6511627906976745,
        0.23255813953488372,
        0.0,
        0.2909090909090909,
        0.7090909090909091,
        0.14285714285714285,
        0.7142857142857143,
        0.14285714285714285,
        0.9777777777777777,
        0.022222222222222223,
        0.0,
        0.0,
        0.7368421052631579,
        0.2631578947368421,
        1.0,
        0.0,
        0.0,
        0.0,
        0.37209302325581395,
        0.627906976744186,
        0.0,
        0.0,
        1.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.34146341463414637,
        0.6585365853658537,
        1.0,
        0.0,
        0.0,
        0.0,
        0.8333333333333334,
        0.16666666666666666,
        0.0,
        0.8823529411764706,
        0.11764705882352941,
        0.0,
        0.6190476190476191,
        0.38095238095238093,
        0.0,
        0.325,
        0.675,
        0.0,
        1.0,
        0.0,
        0.0,
        0.5,
        0.5,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.5789473684210527,
        0.42105263157894735,
        0.0,
        1.0,
        0.0,
        0.0,
        0.3793103448275862,
        0.6206896551724138,
        0.0,
        0.18181818181818182,
        0.8181818181818182,
        0.0,
        0.25,
        0.75,
        0.0,
        0.5384615384615384,
        0.46153846153846156,
        0.0,
        1.0,
        0.0,
        0.0,
        0.45454545454545453,
        0.5454545454545454,
        0.0,
        0.3333333333333333,
        0.6666666666666666,
        0.0,
        0.0,
        1.0,
        0.0,
        0.2727272727272727,
        0.7272727272727273,
        0.0,
        1.0,
        0.0,
        0.0,
        0.125,
        0.875,
        0.0,
        0.6666666666666666,
        0.3333333333333333,
        0.0,
        0.5,
        0.5,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 8, 8, 6, 6, 8, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 8, 6, 6, 8,
        6, 6, 6, 6, 13, 6, 6, 6, 6, 6, 6, 6, 6, 18, 26, 30, 15, 34, 15, 26, 21, 29, 20, 20, 23, 23, 23, 15, 30, 15, 23,
        11, 15, 24, 23, 37, 23, 36, 29, 30, 30, 23, 15, 15, 15, 23, 23, 6, 24, 30, 11, 15, 15, 15, 23, 23, 20, 15, 15,
        15, 36, 20, 15, 26, 23, 10, 36, 32, 10, 22, 10, 30, 10, 26, 38, 30, 15, 23, 26, 32, 10, 10, 23, 26, 15, 10, 38,
        26, 10, 38, 23, 38, 10, 10, 10, 38, 38, 23, 10, 26, 32, 23, 30, 30, 30, 23, 26, 26, 30, 37, 32, 26, 23,
    ],
    importances: &[0.7171360268448834, 0.2828639731551166],
    path_alphas: &[
        0.0,
        0.004277360066833755,
        0.005,
        0.005555555555555556,
        0.006312779361559846,
        0.008684456238635785,
        0.009841269841269843,
        0.011026659103800365,
        0.017319238900634276,
        0.047490820073439424,
        0.04831827431827432,
        0.05958947807452791,
        0.2277603349031922,
    ],
    path_impurities: &[
        0.17205820850402895,
        0.1763355685708627,
        0.1813355685708627,
        0.1924466796819738,
        0.23663613521289273,
        0.2453205914515285,
        0.25516186129279833,
        0.2661885203965987,
        0.28350775929723293,
        0.33099857937067234,
        0.37931685368894663,
        0.43890633176347454,
        0.6666666666666667,
    ],
    grid_predictions: &[
        1.0,
        0.0,
        0.0,
        0.9777777777777777,
        0.022222222222222223,
        0.0,
        0.0,
        0.8823529411764706,
        0.11764705882352941,
        0.0,
        1.0,
        0.0,
        0.0,
        0.5789473684210527,
        0.42105263157894735,
        0.0,
        0.18181818181818182,
        0.8181818181818182,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const IRIS_GINI_LEAF8: Reference = Reference {
    children_left: &[1, 2, -1, 4, -1, -1, 7, 8, 9, -1, -1, -1, 13, 14, 15, -1, -1, 18, -1, -1, -1],
    children_right: &[6, 3, -1, 5, -1, -1, 12, 11, 10, -1, -1, -1, 20, 17, 16, -1, -1, 19, -1, -1, -1],
    feature: &[0, 1, -2, 0, -2, -2, 0, 1, 0, -2, -2, -2, 0, 1, 0, -2, -2, 0, -2, -2, -2],
    threshold: &[
        5.450000047683716,
        2.950000047683716,
        -2.0,
        5.1499998569488525,
        -2.0,
        -2.0,
        6.1499998569488525,
        2.950000047683716,
        5.75,
        -2.0,
        -2.0,
        -2.0,
        7.049999952316284,
        2.950000047683716,
        6.3500001430511475,
        -2.0,
        -2.0,
        6.549999952316284,
        -2.0,
        -2.0,
        -2.0,
    ],
    impurity: &[
        0.6666666666666667,
        0.2374260355029586,
        0.53125,
        0.044421487603305776,
        0.0,
        0.18000000000000005,
        0.5458142440649729,
        0.5083829096809086,
        0.375,
        0.24489795918367352,
        0.4591836734693877,
        0.6311111111111112,
        0.4125619834710744,
        0.4672796106003245,
        0.4982698961937716,
        0.49382716049382713,
        0.5,
        0.42603550295857984,
        0.2975206611570248,
        0.48,
        0.0,
    ],
    n_node_samples: &[150, 52, 8, 44, 34, 10, 98, 43, 28, 14, 14, 15, 55, 43, 17, 9, 8, 26, 11, 15, 12],
    weighted_n_node_samples: &[
        150.0, 52.0, 8.0, 44.0, 34.0, 10.0, 98.0, 43.0, 28.0, 14.0, 14.0, 15.0, 55.0, 43.0, 17.0, 9.0, 8.0, 26.0, 11.0,
        15.0, 12.0,
    ],
    value: &[
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.8653846153846154,
        0.11538461538461539,
        0.019230769230769232,
        0.25,
        0.625,
        0.125,
        0.9772727272727273,
        0.022727272727272728,
        0.0,
        1.0,
        0.0,
        0.0,
        0.9,
        0.1,
        0.0,
        0.05102040816326531,
        0.4489795918367347,
        0.5,
        0.11627906976744186,
        0.6511627906976745,
        0.23255813953488372,
        0.0,
        0.75,
        0.25,
        0.0,
        0.8571428571428571,
        0.14285714285714285,
        0.0,
        0.6428571428571429,
        0.35714285714285715,
        0.3333333333333333,
        0.4666666666666667,
        0.2,
        0.0,
        0.2909090909090909,
        0.7090909090909091,
        0.0,
        0.37209302325581395,
        0.627906976744186,
        0.0,
        0.47058823529411764,
        0.5294117647058824,
        0.0,
        0.4444444444444444,
        0.5555555555555556,
        0.0,
        0.5,
        0.5,
        0.0,
        0.3076923076923077,
        0.6923076923076923,
        0.0,
        0.18181818181818182,
        0.8181818181818182,
        0.0,
        0.4,
        0.6,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        4, 4, 4, 4, 4, 5, 4, 4, 2, 4, 5, 4, 4, 4, 11, 11, 5, 4, 11, 4, 5, 4, 4, 4, 4, 4, 4, 5, 5, 4, 4, 5, 5, 11, 4, 4,
        11, 4, 4, 4, 4, 2, 4, 4, 4, 4, 4, 4, 5, 4, 19, 18, 19, 9, 16, 9, 18, 2, 16, 2, 2, 11, 10, 10, 9, 19, 11, 10,
        15, 9, 11, 10, 15, 10, 16, 19, 16, 19, 10, 9, 9, 9, 10, 10, 5, 11, 19, 15, 11, 9, 9, 11, 10, 2, 9, 11, 9, 15,
        2, 9, 18, 10, 20, 15, 18, 20, 2, 20, 16, 20, 18, 16, 19, 9, 10, 18, 18, 20, 20, 10, 19, 9, 20, 15, 19, 20, 15,
        11, 16, 20, 20, 20, 16, 15, 10, 20, 18, 18, 11, 19, 19, 19, 10, 19, 19, 19, 15, 18, 18, 11,
    ],
    importances: &[0.8459689476503589, 0.154031052349641],
    path_alphas: &[
        0.0,
        0.00017429193899781703,
        0.0010303030303030238,
        0.003832359159308546,
        0.0042857142857142955,
        0.012625322997416005,
        0.017319238900634276,
        0.040944055944055965,
        0.05958947807452791,
        0.22776033490319203,
    ],
    path_impurities: &[
        0.2952732082732083,
        0.2954475002122061,
        0.29647780324250916,
        0.30414252156112626,
        0.30842823584684054,
        0.32105355884425657,
        0.3383727977448908,
        0.3793168536889468,
        0.4389063317634747,
        0.6666666666666667,
    ],
    grid_predictions: &[
        0.25,
        0.625,
        0.125,
        1.0,
        0.0,
        0.0,
        0.0,
        0.8571428571428571,
        0.14285714285714285,
        0.3333333333333333,
        0.4666666666666667,
        0.2,
        0.0,
        0.6428571428571429,
        0.35714285714285715,
        0.0,
        0.4,
        0.6,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const IRIS_GINI_LEAF8_CCP: Reference = Reference {
    children_left: &[1, 2, -1, -1, 5, 6, -1, -1, 9, -1, -1],
    children_right: &[4, 3, -1, -1, 8, 7, -1, -1, 10, -1, -1],
    feature: &[0, 1, -2, -2, 0, 1, -2, -2, 0, -2, -2],
    threshold: &[
        5.450000047683716,
        2.950000047683716,
        -2.0,
        -2.0,
        6.1499998569488525,
        2.950000047683716,
        -2.0,
        -2.0,
        7.049999952316284,
        -2.0,
        -2.0,
    ],
    impurity: &[
        0.6666666666666667,
        0.2374260355029586,
        0.53125,
        0.044421487603305776,
        0.5458142440649729,
        0.5083829096809086,
        0.375,
        0.6311111111111112,
        0.4125619834710744,
        0.4672796106003245,
        0.0,
    ],
    n_node_samples: &[150, 52, 8, 44, 98, 43, 28, 15, 55, 43, 12],
    weighted_n_node_samples: &[150.0, 52.0, 8.0, 44.0, 98.0, 43.0, 28.0, 15.0, 55.0, 43.0, 12.0],
    value: &[
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.8653846153846154,
        0.11538461538461539,
        0.019230769230769232,
        0.25,
        0.625,
        0.125,
        0.9772727272727273,
        0.022727272727272728,
        0.0,
        0.05102040816326531,
        0.4489795918367347,
        0.5,
        0.11627906976744186,
        0.6511627906976745,
        0.23255813953488372,
        0.0,
        0.75,
        0.25,
        0.3333333333333333,
        0.4666666666666667,
        0.2,
        0.0,
        0.2909090909090909,
        0.7090909090909091,
        0.0,
        0.37209302325581395,
        0.627906976744186,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        3, 3, 3, 3, 3, 3, 3, 3, 2, 3, 3, 3, 3, 3, 7, 7, 3, 3, 7, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 7, 3, 3, 7,
        3, 3, 3, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 9, 9, 9, 6, 9, 6, 9, 2, 9, 2, 2, 7, 6, 6, 6, 9, 7, 6, 9, 6, 7, 6, 9, 6,
        9, 9, 9, 9, 6, 6, 6, 6, 6, 6, 3, 7, 9, 9, 7, 6, 6, 7, 6, 2, 6, 7, 6, 9, 2, 6, 9, 6, 10, 9, 9, 10, 2, 10, 9, 10,
        9, 9, 9, 6, 6, 9, 9, 10, 10, 6, 9, 6, 10, 9, 9, 10, 9, 7, 9, 10, 10, 10, 9, 9, 6, 10, 9, 9, 7, 9, 9, 9, 6, 9,
        9, 9, 9, 9, 9, 7,
    ],
    importances: &[0.8504644551426859, 0.14953554485731418],
    path_alphas: &[
        0.0,
        0.00017429193899781703,
        0.0010303030303030238,
        0.003832359159308546,
        0.0042857142857142955,
        0.012625322997416005,
        0.017319238900634276,
        0.040944055944055965,
        0.05958947807452791,
        0.22776033490319203,
    ],
    path_impurities: &[
        0.2952732082732083,
        0.2954475002122061,
        0.29647780324250916,
        0.30414252156112626,
        0.30842823584684054,
        0.32105355884425657,
        0.3383727977448908,
        0.3793168536889468,
        0.4389063317634747,
        0.6666666666666667,
    ],
    grid_predictions: &[
        0.25,
        0.625,
        0.125,
        0.9772727272727273,
        0.022727272727272728,
        0.0,
        0.0,
        0.75,
        0.25,
        0.3333333333333333,
        0.4666666666666667,
        0.2,
        0.0,
        0.75,
        0.25,
        0.0,
        0.37209302325581395,
        0.627906976744186,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const IRIS_GINI_LEAVES20_CCP: Reference = Reference {
    children_left: &[
        1, 2, 3, -1, 5, 6, -1, -1, -1, -1, 11, 12, 13, -1, -1, -1, 17, 18, -1, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1,
        30, -1, -1, -1, -1, -1,
    ],
    children_right: &[
        10, 9, 4, -1, 8, 7, -1, -1, -1, -1, 16, 15, 14, -1, -1, -1, 34, 19, -1, 33, 32, 29, 28, 27, 26, -1, -1, -1, -1,
        31, -1, -1, -1, -1, -1,
    ],
    feature: &[
        0, 1, 0, -2, 0, 1, -2, -2, -2, -2, 0, 1, 0, -2, -2, -2, 0, 1, -2, 0, 1, 0, 1, 0, 1, -2, -2, -2, -2, 0, -2, -2,
        -2, -2, -2,
    ],
    threshold: &[
        5.450000047683716,
        2.8000000715255737,
        4.700000047683716,
        -2.0,
        4.950000047683716,
        2.450000047683716,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        6.1499998569488525,
        3.450000047683716,
        5.75,
        -2.0,
        -2.0,
        -2.0,
        7.049999952316284,
        2.399999976158142,
        -2.0,
        6.950000047683716,
        3.149999976158142,
        6.549999952316284,
        2.950000047683716,
        6.450000047683716,
        2.850000023841858,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        6.6499998569488525,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
    ],
    impurity: &[
        0.6666666666666667,
        0.2374260355029586,
        0.44897959183673475,
        0.0,
        0.2777777777777778,
        0.5,
        0.0,
        0.0,
        0.0,
        0.04345679012345682,
        0.5458142440649729,
        0.5083829096809086,
        0.38781163434903043,
        0.2076124567474048,
        0.47165532879818595,
        0.0,
        0.4125619834710744,
        0.4672796106003245,
        0.0,
        0.44973230220107074,
        0.43875,
        0.4708680142687277,
        0.375,
        0.4444444444444444,
        0.39669421487603307,
        0.21875,
        0.4444444444444444,
        0.0,
        0.0,
        0.4970414201183432,
        0.0,
        0.49586776859504134,
        0.2975206611570248,
        0.0,
        0.0,
    ],
    n_node_samples: &[
        150, 52, 7, 1, 6, 2, 1, 1, 4, 45, 98, 43, 38, 17, 21, 5, 55, 43, 2, 41, 40, 29, 16, 12, 11, 8, 3, 1, 4, 13, 2,
        11, 11, 1, 12,
    ],
    weighted_n_node_samples: &[
        150.0, 52.0, 7.0, 1.0, 6.0, 2.0, 1.0, 1.0, 4.0, 45.0, 98.0, 43.0, 38.0, 17.0, 21.0, 5.0, 55.0, 43.0, 2.0, 41.0,
        40.0, 29.0, 16.0, 12.0, 11.0, 8.0, 3.0, 1.0, 4.0, 13.0, 2.0, 11.0, 11.0, 1.0, 12.0,
    ],
    value: &[
        0.3333333333333333,
        0.3333333333333333,
        0.3333333333333333,
        0.8653846153846154,
        0.11538461538461539,
        0.019230769230769232,
        0.14285714285714285,
        0.7142857142857143,
        0.14285714285714285,
        1.0,
        0.0,
        0.0,
        0.0,
        0.8333333333333334,
        0.16666666666666666,
        0.0,
        0.5,
        0.5,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        1.0,
        0.0,
        0.9777777777777777,
        0.022222222222222223,
        0.0,
        0.05102040816326531,
        0.4489795918367347,
        0.5,
        0.11627906976744186,
        0.6511627906976745,
        0.23255813953488372,
        0.0,
        0.7368421052631579,
        0.2631578947368421,
        0.0,
        0.8823529411764706,
        0.11764705882352941,
        0.0,
        0.6190476190476191,
        0.38095238095238093,
        1.0,
        0.0,
        0.0,
        0.0,
        0.2909090909090909,
        0.7090909090909091,
        0.0,
        0.37209302325581395,
        0.627906976744186,
        0.0,
        1.0,
        0.0,
        0.0,
        0.34146341463414637,
        0.6585365853658537,
        0.0,
        0.325,
        0.675,
        0.0,
        0.3793103448275862,
        0.6206896551724138,
        0.0,
        0.25,
        0.75,
        0.0,
        0.3333333333333333,
        0.6666666666666666,
        0.0,
        0.2727272727272727,
        0.7272727272727273,
        0.0,
        0.125,
        0.875,
        0.0,
        0.6666666666666666,
        0.3333333333333333,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        0.5384615384615384,
        0.46153846153846156,
        0.0,
        1.0,
        0.0,
        0.0,
        0.45454545454545453,
        0.5454545454545454,
        0.0,
        0.18181818181818182,
        0.8181818181818182,
        0.0,
        1.0,
        0.0,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 15, 15, 9, 9, 15, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 15, 9, 9,
        15, 9, 9, 9, 9, 3, 9, 9, 9, 9, 9, 9, 9, 9, 33, 32, 31, 13, 27, 13, 32, 6, 30, 8, 8, 14, 14, 14, 13, 31, 13, 14,
        18, 13, 14, 14, 25, 14, 26, 30, 31, 31, 14, 13, 13, 13, 14, 14, 9, 14, 31, 18, 13, 13, 13, 14, 14, 8, 13, 13,
        13, 26, 8, 13, 32, 14, 34, 26, 28, 34, 7, 34, 31, 34, 32, 25, 31, 13, 14, 32, 28, 34, 34, 14, 32, 13, 34, 25,
        32, 34, 25, 14, 25, 34, 34, 34, 25, 25, 14, 34, 32, 28, 14, 31, 31, 31, 14, 32, 32, 31, 25, 28, 32, 14,
    ],
    importances: &[0.7308444604565809, 0.2691555395434192],
    path_alphas: &[
        0.0,
        0.004277360066833755,
        0.005,
        0.005555555555555556,
        0.006312779361559846,
        0.008684456238635785,
        0.009841269841269843,
        0.011026659103800365,
        0.017319238900634276,
        0.047490820073439424,
        0.04831827431827432,
        0.05958947807452791,
        0.2277603349031922,
    ],
    path_impurities: &[
        0.17205820850402895,
        0.1763355685708627,
        0.1813355685708627,
        0.1924466796819738,
        0.23663613521289273,
        0.2453205914515285,
        0.25516186129279833,
        0.2661885203965987,
        0.28350775929723293,
        0.33099857937067234,
        0.37931685368894663,
        0.43890633176347454,
        0.6666666666666667,
    ],
    grid_predictions: &[
        1.0,
        0.0,
        0.0,
        0.9777777777777777,
        0.022222222222222223,
        0.0,
        0.0,
        0.8823529411764706,
        0.11764705882352941,
        0.0,
        0.6190476190476191,
        0.38095238095238093,
        0.0,
        0.6190476190476191,
        0.38095238095238093,
        0.0,
        0.18181818181818182,
        0.8181818181818182,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const IRIS_BALANCED: Reference = Reference {
    children_left: &[1, 2, 3, -1, -1, 6, -1, -1, 9, 10, -1, -1, 13, -1, -1],
    children_right: &[8, 5, 4, -1, -1, 7, -1, -1, 12, 11, -1, -1, 14, -1, -1],
    feature: &[0, 1, 0, -2, -2, 0, -2, -2, 0, 1, -2, -2, 0, -2, -2],
    threshold: &[
        5.450000047683716,
        2.8000000715255737,
        4.950000047683716,
        -2.0,
        -2.0,
        5.299999952316284,
        -2.0,
        -2.0,
        6.25,
        3.600000023841858,
        -2.0,
        -2.0,
        7.049999952316284,
        -2.0,
        -2.0,
    ],
    impurity: &[
        0.6666666666666665,
        0.27775351559088146,
        0.44444444444444453,
        0.40816326530612257,
        0.0,
        0.04253308128544464,
        -4.440892098500626e-16,
        0.22684310018903642,
        0.5471287819807241,
        0.4938271604938277,
        0.37500000000000067,
        -8.881784197001252e-16,
        0.39589028183617414,
        0.4728842184274724,
        -4.440892098500626e-16,
    ],
    n_node_samples: &[100, 34, 6, 2, 4, 28, 23, 5, 66, 37, 34, 3, 29, 23, 6],
    weighted_n_node_samples: &[
        100.0,
        35.666666666666664,
        5.0,
        2.3333333333333335,
        2.6666666666666665,
        30.666666666666657,
        25.55555555555555,
        5.111111111111112,
        64.33333333333329,
        30.000000000000014,
        26.66666666666668,
        3.3333333333333335,
        34.333333333333336,
        24.33333333333334,
        10.0,
    ],
    value: &[
        0.33333333333333326,
        0.3333333333333335,
        0.3333333333333334,
        0.8411214953271027,
        0.11214953271028037,
        0.04672897196261683,
        0.0,
        0.6666666666666666,
        0.33333333333333337,
        0.0,
        0.2857142857142857,
        0.7142857142857143,
        0.0,
        1.0,
        0.0,
        0.9782608695652175,
        0.021739130434782615,
        0.0,
        1.0,
        0.0,
        0.0,
        0.8695652173913043,
        0.13043478260869562,
        0.0,
        0.05181347150259071,
        0.45595854922279855,
        0.49222797927461187,
        0.11111111111111106,
        0.6666666666666663,
        0.22222222222222213,
        0.0,
        0.7499999999999997,
        0.2499999999999999,
        1.0,
        0.0,
        0.0,
        0.0,
        0.2718446601941747,
        0.7281553398058253,
        0.0,
        0.3835616438356163,
        0.6164383561643834,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        6, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 6, 6, 6, 11, 11, 7, 6, 11, 6, 7, 6, 6, 6, 6, 6, 6, 6, 6, 6, 13, 13, 13, 10,
        13, 10, 13, 3, 13, 4, 4, 10, 10, 10, 10, 13, 10, 10, 10, 10, 10, 10, 13, 10, 13, 13, 13, 13, 10, 10, 10, 10,
        10, 10, 7, 10, 13, 13, 10, 10, 10, 10, 10, 4, 10, 10, 10, 10, 4, 10, 13, 10, 14, 13, 13, 14, 3, 14, 13, 14, 13,
        13, 13, 10, 10, 13, 13, 14, 14, 10,
    ],
    importances: &[0.7399465100983889, 0.26005348990161115],
    path_alphas: &[
        0.0,
        0.0014492753623190462,
        0.012698412698412698,
        0.020853836946401513,
        0.04814814814814819,
        0.0637997200776558,
        0.06791570482903075,
        0.21561506303165323,
    ],
    path_impurities: &[
        0.2361865055730453,
        0.23763578093536433,
        0.250334193633777,
        0.27118803058017854,
        0.31933617872832676,
        0.38313589880598253,
        0.4510516036350133,
        0.6666666666666665,
    ],
    grid_predictions: &[
        0.0,
        0.2857142857142857,
        0.7142857142857143,
        1.0,
        0.0,
        0.0,
        0.0,
        0.7499999999999997,
        0.2499999999999999,
        0.0,
        0.7499999999999997,
        0.2499999999999999,
        0.0,
        0.7499999999999997,
        0.2499999999999999,
        0.0,
        0.3835616438356163,
        0.6164383561643834,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const IRIS_WEIGHTED: Reference = Reference {
    children_left: &[1, 2, 3, -1, -1, 6, -1, -1, 9, 10, -1, -1, 13, -1, -1],
    children_right: &[8, 5, 4, -1, -1, 7, -1, -1, 12, 11, -1, -1, 14, -1, -1],
    feature: &[0, 1, 0, -2, -2, 0, -2, -2, 1, 0, -2, -2, 0, -2, -2],
    threshold: &[
        5.450000047683716,
        2.8000000715255737,
        4.950000047683716,
        -2.0,
        -2.0,
        5.299999952316284,
        -2.0,
        -2.0,
        3.5,
        7.049999952316284,
        -2.0,
        -2.0,
        6.5,
        -2.0,
        -2.0,
    ],
    impurity: &[
        1.0949143184120975,
        0.9771601768589377,
        0.2761954276479391,
        0.7219280948873623,
        0.0,
        0.362051251733998,
        0.0,
        0.9182958340544896,
        0.6407016282937577,
        0.4300382124938831,
        0.3613658040306044,
        0.0,
        0.8112781244591328,
        0.0,
        0.0,
    ],
    n_node_samples: &[100, 34, 6, 2, 4, 28, 23, 5, 66, 61, 57, 4, 5, 3, 2],
    weighted_n_node_samples: &[140.0, 39.5, 10.5, 2.5, 8.0, 29.0, 23.0, 6.0, 100.5, 96.5, 94.5, 2.0, 4.0, 3.0, 1.0],
    value: &[
        0.21428571428571427,
        0.7142857142857143,
        0.07142857142857142,
        0.6835443037974683,
        0.3037974683544304,
        0.012658227848101266,
        0.0,
        0.9523809523809523,
        0.047619047619047616,
        0.0,
        0.8,
        0.2,
        0.0,
        1.0,
        0.0,
        0.9310344827586207,
        0.06896551724137931,
        0.0,
        1.0,
        0.0,
        0.0,
        0.6666666666666666,
        0.3333333333333333,
        0.0,
        0.029850746268656716,
        0.8756218905472637,
        0.0945273631840796,
        0.0,
        0.9119170984455959,
        0.08808290155440414,
        0.0,
        0.9312169312169312,
        0.06878306878306878,
        0.0,
        0.0,
        1.0,
        0.75,
        0.0,
        0.25,
        1.0,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
    ],
    apply: &[
        6, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 6, 6, 6, 13, 13, 7, 6, 13, 6, 7, 6, 6, 6, 6, 6, 6, 6, 6, 6, 10, 10, 10, 10,
        10, 10, 10, 3, 10, 4, 4, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
        10, 10, 7, 10, 10, 10, 10, 10, 10, 10, 10, 4, 10, 10, 10, 10, 4, 10, 10, 10, 11, 10, 10, 11, 3, 11, 10, 14, 10,
        10, 10, 10, 10, 10, 10, 14, 11, 10,
    ],
    importances: &[0.59896922268997, 0.4010307773100299],
    path_alphas: &[
        0.0,
        0.00782308395060682,
        0.02317937498454665,
        0.03564079497113574,
        0.05249727874834001,
        0.14033366885733134,
        0.1799877763952767,
        0.3592833139160212,
    ],
    path_impurities: &[
        0.29616902658883903,
        0.30399211053944586,
        0.3271714855239925,
        0.36281228049512826,
        0.41530955924346824,
        0.5556432281007996,
        0.7356310044960763,
        1.0949143184120975,
    ],
    grid_predictions: &[
        0.0,
        0.8,
        0.2,
        1.0,
        0.0,
        0.0,
        0.0,
        0.9312169312169312,
        0.06878306878306878,
        0.0,
        0.9312169312169312,
        0.06878306878306878,
        0.0,
        0.9312169312169312,
        0.06878306878306878,
        0.0,
        0.9312169312169312,
        0.06878306878306878,
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
        1.0,
    ],
};
const REG_LEAF3: Reference = Reference {
    children_left: &[
        1, 2, 3, -1, 5, 6, 7, -1, -1, -1, -1, 12, -1, 14, 15, -1, -1, -1, 19, 20, -1, -1, 23, 24, -1, -1, 27, -1, -1,
    ],
    children_right: &[
        18, 11, 4, -1, 10, 9, 8, -1, -1, -1, -1, 13, -1, 17, 16, -1, -1, -1, 22, 21, -1, -1, 26, 25, -1, -1, 28, -1, -1,
    ],
    feature: &[1, 1, 1, -2, 1, 0, 0, -2, -2, -2, -2, 0, -2, 0, 1, -2, -2, -2, 0, 1, -2, -2, 0, 1, -2, -2, 1, -2, -2],
    threshold: &[
        6.180903196334839,
        2.894228458404541,
        1.0979810059070587,
        -2.0,
        2.323482036590576,
        6.842411756515503,
        4.376814126968384,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        3.051416754722595,
        -2.0,
        7.344172954559326,
        5.214192867279053,
        -2.0,
        -2.0,
        -2.0,
        3.1116479635238647,
        8.782754898071289,
        -2.0,
        -2.0,
        6.13617730140686,
        8.312032699584961,
        -2.0,
        -2.0,
        8.449378728866577,
        -2.0,
        -2.0,
    ],
    impurity: &[
        1.0977971344780602,
        0.6893116899103418,
        0.5617469807720052,
        0.026920804811555565,
        0.4501545227550625,
        0.32963586291574976,
        0.33519160216706106,
        0.12326249683818724,
        0.2430835489102224,
        0.18027305881495947,
        0.19768743520225035,
        0.398041800407986,
        0.14536102862375877,
        0.34502922554202153,
        0.16082294567975008,
        0.005674748828187415,
        0.15195873878618732,
        0.015689288682187996,
        0.37142600733707365,
        0.1267273776108624,
        0.05035590213064012,
        0.10388904625267337,
        0.26234037773137153,
        0.023735901252693647,
        0.004362536287500163,
        0.044237862080887425,
        0.18031455364333393,
        0.09068604474735942,
        0.15462645801725028,
    ],
    n_node_samples: &[60, 36, 19, 3, 16, 12, 7, 4, 3, 5, 4, 17, 5, 12, 8, 4, 4, 4, 24, 8, 5, 3, 16, 7, 4, 3, 9, 5, 4],
    weighted_n_node_samples: &[
        60.0, 36.0, 19.0, 3.0, 16.0, 12.0, 7.0, 4.0, 3.0, 5.0, 4.0, 17.0, 5.0, 12.0, 8.0, 4.0, 4.0, 4.0, 24.0, 8.0,
        5.0, 3.0, 16.0, 7.0, 4.0, 3.0, 9.0, 5.0, 4.0,
    ],
    value: &[
        1.49230335,
        0.8947306388888889,
        0.4665896842105262,
        -0.5088933333333333,
        0.6494927500000001,
        0.8756975000000001,
        0.6704212857142858,
        1.01745575,
        0.20770866666666665,
        1.1630841999999997,
        -0.029121499999999995,
        1.3732411176470587,
        1.8910948,
        1.1574687499999998,
        0.8164525,
        1.10281975,
        0.5300852500000001,
        1.83950125,
        2.388662416666666,
        2.9441621249999996,
        2.7603744,
        3.2504750000000002,
        2.1109125625,
        1.6709838571428572,
        1.6295959999999998,
        1.7261676666666663,
        2.453079333333333,
        2.2317912000000004,
        2.7296895,
    ],
    apply: &[
        28, 9, 20, 20, 17, 10, 12, 16, 27, 28, 7, 3, 12, 25, 15, 10, 7, 9, 3, 9, 21, 25, 27, 12, 25, 16, 12, 7, 17, 17,
        24, 8, 10, 3, 9, 15, 27, 20, 28, 8, 21, 8, 27, 15, 10, 20, 16, 24, 12, 7, 27, 16, 17, 24, 15, 28, 21, 20, 9,
        24,
    ],
    importances: &[0.21174100404474783, 0.7882589959552523],
    path_alphas: &[
        0.0,
        0.00026645962293654363,
        0.007506206191261307,
        0.009181582116403453,
        0.010934160249675029,
        0.015266370223589863,
        0.039088039530418464,
        0.04014106253571806,
        0.04093487113805004,
        0.05649929760254052,
        0.06171598519168206,
        0.12292195991947402,
        0.5356397175970256,
    ],
    path_impurities: &[
        0.1033470128052768,
        0.10361347242821335,
        0.11111967861947467,
        0.12030126073587812,
        0.13123542098555313,
        0.16176816143273287,
        0.2399442404935698,
        0.28008530302928786,
        0.3210201741673379,
        0.37751947176987843,
        0.4392354569615605,
        0.5621574168810346,
        1.0977971344780602,
    ],
    grid_predictions: &[-0.5088933333333333, 2.7603744, 1.10281975, 2.7296895, 1.1630841999999997, 2.7296895],
};
const REG_LEAF3_CCP: Reference = Reference {
    children_left: &[1, 2, 3, -1, 5, -1, -1, 8, -1, 10, -1, -1, 13, -1, 15, -1, -1],
    children_right: &[12, 7, 4, -1, 6, -1, -1, 9, -1, 11, -1, -1, 14, -1, 16, -1, -1],
    feature: &[1, 1, 1, -2, 1, -2, -2, 0, -2, 0, -2, -2, 0, -2, 0, -2, -2],
    threshold: &[
        6.180903196334839,
        2.894228458404541,
        1.0979810059070587,
        -2.0,
        2.323482036590576,
        -2.0,
        -2.0,
        3.051416754722595,
        -2.0,
        7.344172954559326,
        -2.0,
        -2.0,
        3.1116479635238647,
        -2.0,
        6.13617730140686,
        -2.0,
        -2.0,
    ],
    impurity: &[
        1.0977971344780602,
        0.6893116899103418,
        0.5617469807720052,
        0.026920804811555565,
        0.4501545227550625,
        0.32963586291574976,
        0.19768743520225035,
        0.398041800407986,
        0.14536102862375877,
        0.34502922554202153,
        0.16082294567975008,
        0.015689288682187996,
        0.37142600733707365,
        0.1267273776108624,
        0.26234037773137153,
        0.023735901252693647,
        0.18031455364333393,
    ],
    n_node_samples: &[60, 36, 19, 3, 16, 12, 4, 17, 5, 12, 8, 4, 24, 8, 16, 7, 9],
    weighted_n_node_samples: &[
        60.0, 36.0, 19.0, 3.0, 16.0, 12.0, 4.0, 17.0, 5.0, 12.0, 8.0, 4.0, 24.0, 8.0, 16.0, 7.0, 9.0,
    ],
    value: &[
        1.49230335,
        0.8947306388888889,
        0.4665896842105262,
        -0.5088933333333333,
        0.6494927500000001,
        0.8756975000000001,
        -0.029121499999999995,
        1.3732411176470587,
        1.8910948,
        1.1574687499999998,
        0.8164525,
        1.83950125,
        2.388662416666666,
        2.9441621249999996,
        2.1109125625,
        1.6709838571428572,
        2.453079333333333,
    ],
    apply: &[
        16, 5, 13, 13, 11, 6, 8, 10, 16, 16, 5, 3, 8, 15, 10, 6, 5, 5, 3, 5, 13, 15, 16, 8, 15, 10, 8, 5, 11, 11, 15,
        5, 6, 3, 5, 10, 16, 13, 16, 5, 13, 5, 16, 10, 6, 13, 10, 15, 8, 5, 16, 10, 11, 15, 10, 16, 13, 13, 5, 15,
    ],
    importances: &[0.1923371305511063, 0.8076628694488938],
    path_alphas: &[
        0.0,
        0.00026645962293654363,
        0.007506206191261307,
        0.009181582116403453,
        0.010934160249675029,
        0.015266370223589863,
        0.039088039530418464,
        0.04014106253571806,
        0.04093487113805004,
        0.05649929760254052,
        0.06171598519168206,
        0.12292195991947402,
        0.5356397175970256,
    ],
    path_impurities: &[
        0.1033470128052768,
        0.10361347242821335,
        0.11111967861947467,
        0.12030126073587812,
        0.13123542098555313,
        0.16176816143273287,
        0.2399442404935698,
        0.28008530302928786,
        0.3210201741673379,
        0.37751947176987843,
        0.4392354569615605,
        0.5621574168810346,
        1.0977971344780602,
    ],
    grid_predictions: &[
        -0.5088933333333333,
        2.9441621249999996,
        0.8164525,
        2.453079333333333,
        0.8756975000000001,
        2.453079333333333,
    ],
};
const REG_LEAVES10: Reference = Reference {
    children_left: &[1, 3, 5, 7, 13, 17, 11, -1, 9, -1, -1, -1, -1, -1, 15, -1, -1, -1, -1],
    children_right: &[2, 4, 6, 8, 14, 18, 12, -1, 10, -1, -1, -1, -1, -1, 16, -1, -1, -1, -1],
    feature: &[1, 1, 0, 1, 0, 1, 0, -2, 1, -2, -2, -2, -2, -2, 0, -2, -2, -2, -2],
    threshold: &[
        6.180903196334839,
        2.894228458404541,
        3.1116479635238647,
        1.0979810059070587,
        3.051416754722595,
        9.041189193725586,
        6.13617730140686,
        -2.0,
        2.323482036590576,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
        7.344172954559326,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
    ],
    impurity: &[
        1.0977971344780602,
        0.6893116899103418,
        0.37142600733707365,
        0.5617469807720052,
        0.398041800407986,
        0.12672737761085884,
        0.2623403777313733,
        0.026920804811555565,
        0.4501545227550625,
        0.32963586291574976,
        0.19768743520225035,
        0.023735901252693647,
        0.18031455364333215,
        0.14536102862375877,
        0.34502922554202153,
        0.16082294567975008,
        0.015689288682187996,
        0.04215375672932975,
        0.0018826487102572287,
    ],
    n_node_samples: &[60, 36, 24, 19, 17, 8, 16, 3, 16, 12, 4, 7, 9, 5, 12, 8, 4, 6, 2],
    weighted_n_node_samples: &[
        60.0, 36.0, 24.0, 19.0, 17.0, 8.0, 16.0, 3.0, 16.0, 12.0, 4.0, 7.0, 9.0, 5.0, 12.0, 8.0, 4.0, 6.0, 2.0,
    ],
    value: &[
        1.49230335,
        0.8947306388888889,
        2.388662416666666,
        0.4665896842105262,
        1.3732411176470587,
        2.944162125,
        2.1109125625000003,
        -0.5088933333333333,
        0.6494927500000001,
        0.8756975000000001,
        -0.029121499999999995,
        1.6709838571428572,
        2.453079333333333,
        1.8910948,
        1.1574687499999998,
        0.8164525,
        1.83950125,
        2.7665469999999996,
        3.4770075,
    ],
    apply: &[
        12, 9, 17, 17, 16, 10, 13, 15, 12, 12, 9, 7, 13, 11, 15, 10, 9, 9, 7, 9, 17, 11, 12, 13, 11, 15, 13, 9, 16, 16,
        11, 9, 10, 7, 9, 15, 12, 17, 12, 9, 18, 9, 12, 15, 10, 17, 15, 11, 13, 9, 12, 15, 16, 11, 15, 12, 18, 17, 9,
        11,
    ],
    importances: &[0.18977867427259643, 0.8102213257274036],
    path_alphas: &[
        0.0,
        0.012618853051506295,
        0.039088039530418464,
        0.040141062535718794,
        0.04093487113805003,
        0.056499297602540535,
        0.06171598519168206,
        0.12292195991947402,
        0.5356397175970258,
    ],
    path_impurities: &[
        0.14914930838122584,
        0.16176816143273212,
        0.23994424049356905,
        0.28008530302928786,
        0.32102017416733786,
        0.3775194717698784,
        0.4392354569615604,
        0.5621574168810344,
        1.0977971344780602,
    ],
    grid_predictions: &[
        -0.5088933333333333,
        2.7665469999999996,
        0.8164525,
        2.453079333333333,
        0.8756975000000001,
        2.453079333333333,
    ],
};
const REG_DEPTH3: Reference = Reference {
    children_left: &[1, 2, 3, -1, -1, 6, -1, -1, 9, 10, -1, -1, 13, -1, -1],
    children_right: &[8, 5, 4, -1, -1, 7, -1, -1, 12, 11, -1, -1, 14, -1, -1],
    feature: &[1, 1, 1, -2, -2, 0, -2, -2, 0, 1, -2, -2, 0, -2, -2],
    threshold: &[
        6.180903196334839,
        2.894228458404541,
        1.0979810059070587,
        -2.0,
        -2.0,
        3.051416754722595,
        -2.0,
        -2.0,
        3.1116479635238647,
        9.041189193725586,
        -2.0,
        -2.0,
        6.13617730140686,
        -2.0,
        -2.0,
    ],
    impurity: &[
        1.0977971344780602,
        0.6893116899103418,
        0.5617469807720052,
        0.026920804811555565,
        0.4501545227550625,
        0.398041800407986,
        0.14536102862375877,
        0.34502922554202153,
        0.37142600733707365,
        0.12672737761085884,
        0.04215375672932975,
        0.0018826487102572287,
        0.2623403777313733,
        0.023735901252693647,
        0.18031455364333215,
    ],
    n_node_samples: &[60, 36, 19, 3, 16, 17, 5, 12, 24, 8, 6, 2, 16, 7, 9],
    weighted_n_node_samples: &[60.0, 36.0, 19.0, 3.0, 16.0, 17.0, 5.0, 12.0, 24.0, 8.0, 6.0, 2.0, 16.0, 7.0, 9.0],
    value: &[
        1.49230335,
        0.8947306388888889,
        0.4665896842105262,
        -0.5088933333333333,
        0.6494927500000001,
        1.3732411176470587,
        1.8910948,
        1.1574687499999998,
        2.388662416666666,
        2.944162125,
        2.7665469999999996,
        3.4770075,
        2.1109125625000003,
        1.6709838571428572,
        2.453079333333333,
    ],
    apply: &[
        14, 4, 10, 10, 7, 4, 6, 7, 14, 14, 4, 3, 6, 13, 7, 4, 4, 4, 3, 4, 10, 13, 14, 6, 13, 7, 6, 4, 7, 7, 13, 4, 4,
        3, 4, 7, 14, 10, 14, 4, 11, 4, 14, 7, 4, 10, 7, 13, 6, 4, 14, 7, 7, 13, 7, 14, 11, 10, 4, 13,
    ],
    importances: &[0.15503587428529816, 0.8449641257147018],
    path_alphas: &[
        0.0,
        0.012618853051506295,
        0.03165924595521183,
        0.040141062535718794,
        0.056499297602540535,
        0.06171598519168206,
        0.12292195991947402,
        0.5356397175970256,
    ],
    path_impurities: &[
        0.236601012624901,
        0.24921986567640728,
        0.2808791116316191,
        0.3210201741673379,
        0.37751947176987843,
        0.4392354569615605,
        0.5621574168810346,
        1.0977971344780602,
    ],
    grid_predictions: &[
        -0.5088933333333333,
        2.7665469999999996,
        1.1574687499999998,
        2.453079333333333,
        0.6494927500000001,
        2.453079333333333,
    ],
};

#[test]
#[ignore]
fn bench_predict_parts() {
    use std::time::Instant;
    let data = bench_data(100_000, Task::Classification { n_classes: 2 });
    let side = 512;
    let grid: Vec<f64> = (0..side * side).flat_map(|k| [(k % side) as f64 / 51.2, (k / side) as f64 / 51.2]).collect();
    let g = DMatrix::from_row_slice(side * side, 2, &grid);
    for depth in [Some(6), Some(12), Some(30), None] {
        let m = fitted(TreeParams { max_depth: depth, ..Default::default() }, &data);
        let mut times = [f64::INFINITY; 4];
        for _ in 0..20 {
            let t = Instant::now();
            m.check_inputs(&g).unwrap();
            times[0] = times[0].min(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let mut sum = 0;
            m.tree.walk_rows(g.as_slice(), g.nrows(), |_, leaf| sum += leaf);
            times[1] = times[1].min(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let out = m.predict(&g).unwrap();
            times[2] = times[2].min(t.elapsed().as_secs_f64() * 1e3);
            assert!(sum > 0 && out.nrows() == side * side);
            let axis: Vec<f64> = (0..side).map(|k| k as f64 / 51.2).collect();
            let t = Instant::now();
            let grid = m.predict_grid(&axis, &axis).unwrap();
            times[3] = times[3].min(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(grid, out);
        }
        println!(
            "depth {depth:?} ({} leaves): check {:.2} ms, walk {:.2} ms, whole predict {:.2} ms, predict_grid {:.2} ms",
            m.n_leaves(),
            times[0],
            times[1],
            times[2],
            times[3]
        );
    }
}
