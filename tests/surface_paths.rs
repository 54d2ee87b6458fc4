//! The grid paths of decision surfaces (issue 16) give what `predict` gives at every pixel: the
//! forest (its trees' leaf boxes averaged), k-means (per-column and per-row distance parts) and
//! naive Bayes (per-axis log-likelihood parts) and gradient boosting (each stage's leaf boxes).
//! The support vector machine's path is tested in `src/model/svm/grid.rs`.

use ml_playground::data::{Dataset, Task};
use ml_playground::model::{Model, ModelParams};
use nalgebra::DMatrix;
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
