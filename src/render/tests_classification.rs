//! Pixel-level tests of the classification pictures: class-coloured points and decision surfaces,
//! boundaries, the sigmoid view, the ROC chart and the bar chart, rendered with `BitMapBackend`.

use super::curves::{roc_points, ROC_VIEW};
use super::raster::{self, Raster};
use super::sigmoid::{jitter, sigmoid, z_range_for, SigmoidScene, JITTER};
use super::surface::{boundary_contours, grid_points};
use super::testing::{render_bars, render_classification, render_roc, render_sigmoid, Picture};
use super::*;

fn small() -> Layout {
    Layout::new(400, 300, 1.0)
}

fn large() -> Layout {
    Layout::new(800, 600, 2.0)
}

const VIEW: View = View { x: (-4.0, 4.0), y: (-3.0, 3.0) };

/// Class probabilities of `field` (data point → k probabilities) at every pixel of the plot, in
/// the order `raster::surface` reads them.
fn probabilities(layout: &Layout, view: &View, field: impl Fn(f64, f64) -> Vec<f64>) -> Vec<f64> {
    let (width, height) = layout.plot_size();
    let grid = grid_points(view.x.0, view.x.1, view.y.0, view.y.1, width as usize, height as usize);
    (0..grid.nrows()).flat_map(|i| field(grid[(i, 0)], grid[(i, 1)])).collect()
}

/// Binary: P(class 1) = σ(3 (y − 0.3 x² + 1)), class 1 above a parabola.
fn parabola(x: f64, y: f64) -> Vec<f64> {
    let p = sigmoid(3.0 * (y - 0.3 * x * x + 1.0));
    vec![1.0 - p, p]
}

/// Three classes: softmax of 3 (x cos θ_c + y sin θ_c) for θ = 90°, 210°, 330°, so class c wins in
/// the 120° wedge around θ_c and the boundaries are the rays at 30°, 150° and 270°.
fn wedges(x: f64, y: f64) -> Vec<f64> {
    let logits: Vec<f64> =
        [90.0_f64, 210.0, 330.0].iter().map(|t| 3.0 * (x * t.to_radians().cos() + y * t.to_radians().sin())).collect();
    let top = logits.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let exp: Vec<f64> = logits.iter().map(|l| (l - top).exp()).collect();
    let sum: f64 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

fn argmax(p: &[f64]) -> usize {
    (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap()
}

/// `n` points spread over the view by a fixed hash, labelled by `field`'s winner; every fourth is
/// a test point and point 5 was placed by hand.
fn points(n: usize, field: impl Fn(f64, f64) -> Vec<f64>) -> (Vec<f64>, Vec<f64>, Vec<u8>, Vec<u8>) {
    let unit = |i: usize, salt: usize| (jitter(7 * i + salt) / JITTER + 1.0) / 2.0;
    let xs: Vec<f64> = (0..n).map(|i| VIEW.x.0 + 0.9 * (VIEW.x.1 - VIEW.x.0) * unit(i, 1) + 0.4).collect();
    let ys: Vec<f64> = (0..n).map(|i| VIEW.y.0 + 0.9 * (VIEW.y.1 - VIEW.y.0) * unit(i, 2) + 0.3).collect();
    let classes = xs.iter().zip(&ys).map(|(&x, &y)| argmax(&field(x, y)) as u8).collect();
    let roles = (0..n).map(|i| u8::from(i % 4 == 3) | if i == 5 { ROLE_HAND_PLACED } else { 0 }).collect();
    (xs, ys, classes, roles)
}

/// A classification scene of `field` with its points and decision boundaries, and the surface's
/// probabilities.
fn classification(layout: &Layout, n_classes: usize, field: fn(f64, f64) -> Vec<f64>) -> (Scene, Vec<f64>) {
    let probabilities = probabilities(layout, &VIEW, field);
    let (width, height) = layout.plot_size();
    let (xs, ys, classes, roles) = points(60, field);
    let scene = Scene {
        view: VIEW,
        xs,
        ys,
        roles,
        classes,
        n_classes,
        contours: boundary_contours(&probabilities, n_classes, width, height, &VIEW),
        show_test: true,
        x_label: "x₁".into(),
        y_label: "x₂".into(),
        ..Scene::default()
    };
    (scene, probabilities)
}

fn sigmoid_scene() -> SigmoidScene {
    let z: Vec<f64> = (0..40).map(|i| -7.0 + 14.0 * (jitter(3 * i) / JITTER + 1.0) / 2.0).collect();
    // Mostly separable: class 1 for z > 0, with a few mistakes near the boundary.
    let classes = z.iter().enumerate().map(|(i, &z)| u8::from(z + if i % 7 == 0 { 2.0 } else { 0.0 } > 0.0)).collect();
    let roles = (0..40).map(|i| u8::from(i % 5 == 4)).collect();
    SigmoidScene { z_range: z_range_for(&z), z, classes, roles, highlight: Some(6) }
}

/// scikit-learn's ROC of a small fixed problem (regenerate with
/// `from sklearn.metrics import roc_curve, roc_auc_score;
///  y = [0,0,1,1,0,1,0,1,1,0,1,1]; s = [.1,.4,.35,.8,.2,.7,.6,.9,.55,.3,.45,.65];
///  print(roc_curve(y, s), roc_auc_score(y, s))`).
fn roc_fixture() -> (Vec<f64>, Vec<f64>) {
    let y = vec![0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let s = vec![0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.6, 0.9, 0.55, 0.3, 0.45, 0.65];
    (y, s)
}

/// Writes the classification pictures to /tmp/render-*.ppm for a person to look at:
/// `cargo test -- --ignored dump_classification_pictures`.
#[test]
#[ignore]
fn dump_classification_pictures() {
    super::testing::show_text_boxes(true);
    for (layout, suffix) in [(large(), ""), (small(), "-small")] {
        let (mut scene, probabilities) = classification(&layout, 2, parabola);
        scene.highlight = Some(2);
        render_classification(&layout, &scene, &probabilities).write_ppm(&format!("/tmp/render-binary{suffix}.ppm")).unwrap();
        let (scene, probabilities) = classification(&layout, 3, wedges);
        render_classification(&layout, &scene, &probabilities).write_ppm(&format!("/tmp/render-three{suffix}.ppm")).unwrap();
        render_sigmoid(&layout, &sigmoid_scene()).write_ppm(&format!("/tmp/render-sigmoid{suffix}.ppm")).unwrap();
        let (y, s) = roc_fixture();
        let curve = crate::metrics::roc_curve(&y, &s, 1).unwrap();
        let auc = crate::metrics::roc_auc(&y, &s, 1);
        render_roc(&layout, &roc_points(&curve), auc).write_ppm(&format!("/tmp/render-roc{suffix}.ppm")).unwrap();
        let labels: Vec<String> = ["x₁", "x₂", "x₁²", "x₁·x₂", "x₂²", "a rather long feature name"].map(String::from).into();
        let values = [0.31, 0.22, 0.18, 0.05, 0.0, 0.24];
        render_bars(&layout, &labels, &values, "feature importance").write_ppm(&format!("/tmp/render-bars{suffix}.ppm")).unwrap();
    }
}
