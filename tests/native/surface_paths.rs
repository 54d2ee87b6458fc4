//! The grid paths of decision surfaces (issue 16) give what `predict` gives at every pixel: the
//! forest (its trees' leaf boxes averaged), k-means (per-column and per-row distance parts) and
//! naive Bayes (per-axis log-likelihood parts) and gradient boosting (each stage's leaf boxes).
//! The support vector machine's path is tested in `src/model/svm/grid.rs`. Forests and boosting
//! sum their trees' leaf boxes in a difference array (`BoxSums`): tested at the bench's sizes,
//! three classes and regression too, with pixels exactly on the thresholds.

use ml_playground::data::generate::{generate, DataSpec, DatasetKind};
use ml_playground::data::{Dataset, Task};
use ml_playground::model::tree::TreeArrays;
use ml_playground::model::{AnyModel, Model, ModelParams};
use ml_playground::render::surface::grid_axes;
use ml_playground::render::View;
use nalgebra::{DMatrix, DVector};
use serde_json::json;

fn data() -> Dataset {
    let n = 300;
    let x: Vec<f64> = (0..2 * n).map(|i| ((i * 7919 % 1009) as f64 / 1009.0 - 0.5) * 8.0).collect();
    let y: Vec<f64> = (0..n).map(|i| ((x[2 * i].sin() + 0.3 * x[2 * i + 1] > 0.0) as usize) as f64).collect();
    Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: 2 }).unwrap()
}

#[test]
fn forest_and_kmeans_surfaces_equal_predict_at_every_pixel() {
    let xs: Vec<f64> = (0..61).map(|i| -4.5 + 9.0 * i as f64 / 60.0).collect();
    let ys: Vec<f64> = (0..47).map(|i| 4.2 - 8.4 * i as f64 / 46.0).collect();
    let points = DMatrix::from_fn(xs.len() * ys.len(), 2, |i, j| if j == 0 { xs[i % 61] } else { ys[i / 61] });
    for params in [
        json!({"kind": "forest", "n_estimators": 12, "max_features": "sqrt"}),
        json!({"kind": "forest", "n_estimators": 5, "max_depth": 3, "bootstrap": false}),
        json!({"kind": "kmeans", "n_clusters": 4}),
        json!({"kind": "naive_bayes"}),
        json!({"kind": "boosting", "n_estimators": 30}),
        json!({"kind": "boosting", "n_estimators": 10, "max_depth": 5}),
    ] {
        let mut m = serde_json::from_value::<ModelParams>(params.clone()).unwrap().build(3).unwrap();
        m.fit(&data()).unwrap();
        let grid = m.grid_values(&xs, &ys).unwrap();
        let want = m.predict(&points).unwrap();
        let k = want.ncols();
        assert_eq!(grid.len(), points.nrows() * k);
        for i in 0..points.nrows() {
            for c in 0..k {
                assert!((grid[i * k + c] - want[(i, c)]).abs() < 1e-12, "{params}: pixel {i}");
            }
        }
    }
}

/// Every split threshold of the model's trees on `feature` (a forest's trees or boosting's stages).
fn thresholds(model: &AnyModel, feature: i32) -> Vec<f64> {
    let trees: Vec<&TreeArrays> = match model {
        AnyModel::Forest(f) => f.trees().iter().map(|t| t.tree.arrays()).collect(),
        AnyModel::Boosting(b) => b.stages().iter().flatten().map(|t| t.tree.arrays()).collect(),
        _ => Vec::new(),
    };
    let mut v: Vec<f64> = trees
        .iter()
        .flat_map(|t| (0..t.node_count()).filter(|&i| !t.is_leaf(i) && t.feature[i] == feature).map(|i| t.threshold[i]))
        .collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// The surface against `predict` at every pixel, to 1e-12.
fn assert_surface_is_predict(label: &str, model: &AnyModel, xs: &[f64], ys: &[f64]) {
    let w = xs.len();
    let points = DMatrix::from_fn(w * ys.len(), 2, |i, j| if j == 0 { xs[i % w] } else { ys[i / w] });
    let grid = model.grid_values(xs, ys).unwrap();
    let want = model.predict(&points).unwrap();
    let k = want.ncols();
    assert_eq!(grid.len(), points.nrows() * k, "{label}");
    let mut worst = 0.0f64;
    for i in 0..points.nrows() {
        for c in 0..k {
            worst = worst.max((grid[i * k + c] - want[(i, c)]).abs());
        }
    }
    assert!(worst < 1e-12, "{label}: {worst:e} off");
}

/// 100-tree forests and 100-stage boosting (the bench's sizes: the surfaces sum leaf boxes in a
/// difference array) on two and three classes and regression, over a view laid as the page lays
/// it (`grid_axes`, rows descending) and over axes made of the trees' own thresholds, so pixels
/// sit exactly on splits (they go left, as in `predict`).
#[test]
fn forest_and_boosting_box_sums_equal_predict_at_every_pixel_and_on_thresholds() {
    let noisy = |kind: DatasetKind, classes: usize| {
        generate(&DataSpec { kind, n: 400, noise: 0.4, seed: 5, classes, ..DataSpec::default() }).unwrap()
    };
    let base = noisy(DatasetKind::Xor, 2);
    let three = noisy(DatasetKind::Spiral, 3);
    let regression = Dataset::new(
        base.x.clone(),
        DVector::from_fn(base.len(), |i, _| (base.x[(i, 0)] * 2.0).sin() * 3.0 + base.x[(i, 1)]),
        Task::Regression,
    )
    .unwrap();
    let (xs, ys) = grid_axes(&View { x: (-5.0, 5.5), y: (-4.5, 4.0) }, 97, 83);
    for params in [
        json!({"kind": "forest", "n_estimators": 100}),
        json!({"kind": "forest", "n_estimators": 100, "max_depth": 8, "max_features": "sqrt"}),
        json!({"kind": "boosting", "n_estimators": 100}),
        json!({"kind": "boosting", "n_estimators": 100, "max_depth": 5, "learning_rate": 0.5}),
    ] {
        for data in [&base, &three, &regression] {
            let mut m = serde_json::from_value::<ModelParams>(params.clone()).unwrap().build(3).unwrap();
            m.fit(data).unwrap();
            let label = format!("{params} on {:?}", data.task);
            assert_surface_is_predict(&label, &m, &xs, &ys);
            // axes through (a spread of) the thresholds, merged with the view's
            let on = |feature: i32, axis: &[f64]| -> Vec<f64> {
                let t = thresholds(&m, feature);
                assert!(t.len() >= 5, "{label}: {} thresholds on x{feature}", t.len());
                let step = t.len().div_ceil(120);
                let mut v: Vec<f64> = t.iter().step_by(step).copied().chain(axis.iter().step_by(3).copied()).collect();
                v.sort_by(f64::total_cmp);
                v
            };
            let tx = on(0, &xs);
            let ty: Vec<f64> = on(1, &ys).into_iter().rev().collect();
            assert_surface_is_predict(&format!("{label}, on thresholds"), &m, &tx, &ty);
        }
    }
}
