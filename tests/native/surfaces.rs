//! Decision surfaces: the fast per-model grid paths give what `predict` gives on the same grid
//! points (to 1e-12; networks are drawn in single precision, to `mlp::GRID_TOLERANCE`).
use ml_playground::data::generate::{generate, DataSpec, DatasetKind};
use ml_playground::model::mlp::GRID_TOLERANCE;
use ml_playground::model::{AnyModel, Model, ModelParams};
use ml_playground::render::surface::grid_axes;
use ml_playground::render::surface::grid_points;
use ml_playground::render::View;

/// The model's probabilities over a `w × h` grid covering `view` (axes laid by `grid_axes`).
fn grid_probabilities(model: &AnyModel, view: &View, w: u32, h: u32, k: usize) -> Option<Vec<f64>> {
    let (xs, ys) = grid_axes(view, w as usize, h as usize);
    ml_playground::evaluate::grid::grid_probabilities(model, &xs, &ys, k)
}

fn check(kind: DatasetKind, classes: usize, params: &str) {
    let data = generate(&DataSpec { kind, n: 300, noise: 0.3, seed: 5, classes, ..DataSpec::default() }).unwrap();
    let params: ModelParams = serde_json::from_str(params).unwrap();
    let mut model = params.build(1).unwrap();
    model.fit(&data).unwrap();
    let view = View { x: (-6.0, 6.0), y: (-5.5, 6.5) };
    let (w, h) = (37, 23);
    let fast = grid_probabilities(&model, &view, w, h, classes).expect("a surface");
    let slow = model.predict(&grid_points(view.x.0, view.x.1, view.y.0, view.y.1, w as usize, h as usize)).unwrap();
    assert_eq!(fast.len(), slow.len());
    let slow = slow.transpose();
    let tolerance = if matches!(params, ModelParams::Mlp(_)) { GRID_TOLERANCE } else { 1e-12 };
    for (i, (a, b)) in fast.iter().zip(slow.as_slice()).enumerate() {
        assert!((a - b).abs() < tolerance, "{params:?}: value {i}: {a} vs {b}");
    }
}

#[test]
fn logistic_binary_with_every_feature() {
    check(
        DatasetKind::Circle,
        2,
        r#"{"kind":"logistic","features":{"x1":true,"x2":true,"x1_squared":true,"x2_squared":true,"x1_x2":true,"sin_x1":true,"sin_x2":true}}"#,
    );
}

#[test]
fn logistic_softmax() {
    check(DatasetKind::Blobs, 3, r#"{"kind":"logistic","features":{"x1":true,"x2":true,"x1_x2":true}}"#);
}

#[test]
fn tree_and_network() {
    check(DatasetKind::Moons, 2, r#"{"kind":"tree","max_depth":6}"#);
    check(DatasetKind::Spiral, 3, r#"{"kind":"mlp","max_epochs":20}"#);
}

#[test]
fn an_untrained_model_or_a_wrong_class_count_gives_none() {
    let model = serde_json::from_str::<ModelParams>(r#"{"kind":"logistic"}"#).unwrap().build(1).unwrap();
    assert!(grid_probabilities(&model, &View { x: (0.0, 1.0), y: (0.0, 1.0) }, 8, 8, 2).is_none());
}
