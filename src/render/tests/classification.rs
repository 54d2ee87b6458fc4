//! Pixel-level tests of the classification pictures: class-coloured points and decision surfaces,
//! boundaries, the sigmoid view, the ROC chart and the bar chart, rendered with `BitMapBackend`.

use super::testing::{
    render_bars, render_classification, render_precision_recall, render_roc, render_sigmoid, Picture,
};
use crate::render::curves::{precision_recall_points, roc_points, ROC_VIEW};
use crate::render::raster::{self, Raster};
use crate::render::sigmoid::{jitter, sigmoid, z_range_for, SigmoidScene, JITTER};
use crate::render::surface::{boundary_contours, grid_points, grid_to_data, marching_squares};
use crate::render::*;

fn small() -> Layout {
    Layout::new(400, 300, 1.0)
}

fn large() -> Layout {
    Layout::new(800, 600, 2.0)
}

const VIEW: View = View { x: (-4.0, 4.0), y: (-3.0, 3.0) };

/// Class probabilities of `field` (data point → k probabilities) at every pixel of the plot, in
/// the order `raster::surface` reads them.
fn field_probabilities(layout: &Layout, view: &View, field: impl Fn(f64, f64) -> Vec<f64>) -> Vec<f64> {
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
    let probabilities = field_probabilities(layout, &VIEW, field);
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
    let classes = z.iter().enumerate().map(|(i, &z)| u8::from((z > 0.0) != (i % 7 == 0 && z.abs() < 3.0))).collect();
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
        render_classification(&layout, &scene, &probabilities)
            .write_ppm(&format!("/tmp/render-binary{suffix}.ppm"))
            .unwrap();
        let (scene, probabilities) = classification(&layout, 3, wedges);
        render_classification(&layout, &scene, &probabilities)
            .write_ppm(&format!("/tmp/render-three{suffix}.ppm"))
            .unwrap();
        render_sigmoid(&layout, &sigmoid_scene()).write_ppm(&format!("/tmp/render-sigmoid{suffix}.ppm")).unwrap();
        let (y, s) = roc_fixture();
        let curve = crate::metrics::roc_curve(&y, &s, 1).unwrap();
        let auc = crate::metrics::roc_auc(&y, &s, 1);
        render_roc(&layout, &roc_points(&curve), auc).write_ppm(&format!("/tmp/render-roc{suffix}.ppm")).unwrap();
        let pr = crate::metrics::precision_recall_curve(&y, &s, 1).unwrap();
        let ap = crate::metrics::average_precision(&y, &s, 1);
        render_precision_recall(&layout, &precision_recall_points(&pr), ap, 7.0 / 12.0)
            .write_ppm(&format!("/tmp/render-pr{suffix}.ppm"))
            .unwrap();
        let labels: Vec<String> =
            ["x₁", "x₂", "x₁²", "x₁·x₂", "x₂²", "a rather long feature name"].map(String::from).into();
        let values = [0.31, 0.22, 0.18, 0.05, 0.0, 0.24];
        render_bars(&layout, &labels, &values, "feature importance")
            .write_ppm(&format!("/tmp/render-bars{suffix}.ppm"))
            .unwrap();
    }
}

// ---- class-coloured points -------------------------------------------------------------------

/// Colours seen walking right from `centre`, one per pixel, `steps` of them.
fn walk(picture: &Picture, centre: (i32, i32), (dx, dy): (i32, i32), steps: i32) -> Vec<[u8; 3]> {
    (0..steps).map(|k| picture.at(centre.0 + k * dx, centre.1 + k * dy)).collect()
}

#[test]
fn class_points_take_their_class_colour_with_a_white_outline_over_the_surface() {
    for layout in [small(), large()] {
        // A surface that is deep orange (class 1) everywhere, and points of classes 0, 2, 4, 1, 7.
        let (width, height) = layout.plot_size();
        let surely_one: Vec<f64> = (0..width * height).flat_map(|_| [0.0, 1.0]).collect();
        let scene = Scene {
            view: VIEW,
            xs: vec![-2.5, 0.5, 2.5, -1.5, 1.5],
            ys: vec![1.5, 1.5, 1.5, -1.5, -1.5],
            classes: vec![0, 2, 4, 1, 7],
            n_classes: 2,
            show_test: true,
            ..Scene::default()
        };
        let picture = render_classification(&layout, &scene, &surely_one);
        let surface = raster::diverging(1.0);
        let surface = [surface[0], surface[1], surface[2]];
        let radius = (4.5 * layout.dpr).round() as i32;
        let outline = layout.dpr.round() as i32;
        for i in 0..5 {
            let (px, py) = layout.to_pixel(&VIEW, scene.xs[i], scene.ys[i]);
            let centre = (px.round() as i32, py.round() as i32);
            let hue = class_hue(scene.classes[i] as usize);
            assert_eq!(picture.at(centre.0, centre.1), hue, "centre of point {i}");
            for direction in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let colours = walk(&picture, centre, direction, radius + outline + 4);
                // Class colour, then white, then the surface: never straight from hue to surface.
                let first_white = colours.iter().position(|&c| c == [255, 255, 255]);
                let first_surface = colours.iter().position(|&c| c == surface);
                assert!(
                    matches!((first_white, first_surface), (Some(w), Some(s)) if w < s && w + 1 >= radius as usize),
                    "point {i} towards {direction:?}: {colours:?}"
                );
                assert!(colours[..radius as usize - 1].iter().all(|&c| c == hue), "body of point {i}: {colours:?}");
            }
        }
        // Class 7 cycles to the hue of class 2.
        assert_eq!(class_hue(7), CLASS_COLOURS[2]);
    }
}

#[test]
fn class_test_points_are_rings_and_hand_placed_ones_outlined() {
    let layout = large();
    let scene = Scene {
        view: VIEW,
        xs: vec![-2.0, 2.0],
        ys: vec![0.5, 0.5],
        classes: vec![2, 3],
        roles: vec![ROLE_TEST, ROLE_HAND_PLACED],
        n_classes: 4,
        show_test: true,
        ..Scene::default()
    };
    let picture = render_classification(&layout, &scene, &[]);
    let radius = (4.5 * layout.dpr).round();
    let (cx, cy) = layout.to_pixel(&VIEW, -2.0, 0.5);
    for (dx, dy) in [(radius, 0.0), (-radius, 0.0), (0.0, radius), (0.0, -radius)] {
        assert_eq!(picture.at_f((cx + dx, cy + dy)), CLASS_COLOURS[2], "ring of the test point");
    }
    assert_ne!(picture.at_f((cx, cy)), CLASS_COLOURS[2], "the test point is hollow");
    let (cx, cy) = layout.to_pixel(&VIEW, 2.0, 0.5);
    assert_eq!(picture.at_f((cx, cy)), CLASS_COLOURS[3]);
    let dark = walk(&picture, (cx.round() as i32, cy.round() as i32), (1, 0), 20);
    assert!(dark.contains(&HAND_OUTLINE_COLOUR), "hand-placed outline: {dark:?}");
}

#[test]
fn regression_points_get_no_white_outline() {
    // Over a grey canvas, a regression scene leaves no pure white inside the plot: the outline is
    // for classification only.
    let layout = small();
    let scene = Scene {
        view: VIEW,
        xs: vec![-1.0, 1.0],
        ys: vec![0.5, 0.5],
        roles: vec![0, ROLE_TEST],
        show_test: true,
        ..Scene::default()
    };
    let mut picture = Picture { width: 400, height: 300, rgb: vec![90; 400 * 300 * 3] };
    picture.draw(|root| draw_scene(root, &layout, &scene, false)).unwrap();
    let (cx, cy) = layout.to_pixel(&VIEW, -1.0, 0.5);
    assert_eq!(picture.at_f((cx, cy)), TRAIN_COLOUR);
    let white_inside =
        picture.find([255, 255, 255]).into_iter().filter(|&(x, y)| layout.contains(x as f64, y as f64)).count();
    assert_eq!(white_inside, 0);
    // The same points as classes 0 and 1 are outlined in white.
    let classified = Scene { classes: vec![0, 1], n_classes: 2, ..scene };
    picture.draw(|root| draw_scene(root, &layout, &classified, false)).unwrap();
    let white_inside =
        picture.find([255, 255, 255]).into_iter().filter(|&(x, y)| layout.contains(x as f64, y as f64)).count();
    assert!(white_inside > 20, "{white_inside} white pixels");
}

// ---- the decision-surface raster -------------------------------------------------------------

fn rgb_of(pixel: [u8; 4]) -> [u8; 3] {
    [pixel[0], pixel[1], pixel[2]]
}

/// Whether `colour` is a mix of white and `hue` (every channel the same fraction of the way),
/// and how far along (0 = white).
fn tint_of(colour: [u8; 3], hue: [u8; 3]) -> Option<f64> {
    let fractions: Vec<f64> =
        (0..3).filter(|&c| hue[c] < 200).map(|c| (255.0 - colour[c] as f64) / (255.0 - hue[c] as f64)).collect();
    let (low, high) = fractions.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &f| (l.min(f), h.max(f)));
    (high - low < 0.03).then_some(0.5 * (low + high))
}

#[test]
fn binary_surface_is_tinted_by_the_likelier_class() {
    // One row of pixels with P(class 1) = 0.1, 0.5, 0.9, 0, 1.
    let p1 = [0.1, 0.5, 0.9, 0.0, 1.0];
    let probabilities: Vec<f64> = p1.iter().flat_map(|&p| [1.0 - p, p]).collect();
    let surface = raster::surface(&probabilities, 2, 5, 1);
    assert_eq!((surface.width, surface.height, surface.rgba.len()), (5, 1, 20));
    let pixel = |x: u32| surface.pixel(x, 0).unwrap();
    assert!((0..5).all(|x| pixel(x)[3] == 255), "opaque");
    // p = 0.1: the class-0 hue (the colour of class-0 points), fairly strong; p = 0.9: class 1's.
    let blue = tint_of(rgb_of(pixel(0)), CLASS_COLOURS[0]).expect("p = 0.1 is a tint of class 0's hue");
    let orange = tint_of(rgb_of(pixel(2)), CLASS_COLOURS[1]).expect("p = 0.9 is a tint of class 1's hue");
    assert!((blue - 0.55 * 0.8).abs() < 0.02 && (orange - 0.55 * 0.8).abs() < 0.02, "{blue} {orange}");
    // p = 0.5 is (nearly) white; certainty is the strongest tint, but light enough for points.
    assert!(pixel(1)[..3].iter().all(|&c| c >= 252), "{:?}", pixel(1));
    let sure = tint_of(rgb_of(pixel(4)), CLASS_COLOURS[1]).unwrap();
    assert!(sure > orange && sure < 0.6, "{sure}");
    assert!(tint_of(rgb_of(pixel(3)), CLASS_COLOURS[0]).unwrap() > blue);
    // The table matches the colour map within a unit per channel.
    for (x, &p) in p1.iter().enumerate() {
        let (exact, fast) = (raster::diverging(p), pixel(x as u32));
        assert!((0..4).all(|c| exact[c].abs_diff(fast[c]) <= 1), "p = {p}: {exact:?} vs {fast:?}");
    }
    // The two class hues are the train / test colours of the regression picture.
    assert_eq!((CLASS_COLOURS[0], CLASS_COLOURS[1]), (TRAIN_COLOUR, TEST_COLOUR));
}

#[test]
fn multiclass_surface_shows_the_winner_paler_near_a_tie() {
    let pixels = [
        [0.1, 0.1, 0.8],    // class 2, sure
        [0.6, 0.3, 0.1],    // class 0, lead 0.3
        [0.45, 0.44, 0.11], // near tie between 0 and 1
        [0.0, 1.0, 0.0],    // class 1, certain
    ];
    let probabilities: Vec<f64> = pixels.iter().flatten().copied().collect();
    let surface = raster::surface(&probabilities, 3, 2, 2);
    let at = |x: u32, y: u32| surface.pixel(x, y).unwrap();
    let sure = tint_of(rgb_of(at(0, 0)), CLASS_COLOURS[2]).expect("class 2's hue");
    let lead = tint_of(rgb_of(at(1, 0)), CLASS_COLOURS[0]).expect("class 0's hue");
    assert!((sure - 0.55 * 0.7).abs() < 0.02, "{sure}");
    assert!((lead - 0.55 * 0.3).abs() < 0.02, "{lead}");
    assert!(at(0, 1)[..3].iter().all(|&c| c >= 250), "a near tie is pale: {:?}", at(0, 1));
    assert!((tint_of(rgb_of(at(1, 1)), CLASS_COLOURS[1]).unwrap() - 0.55).abs() < 0.02);
    for (i, p) in pixels.iter().enumerate() {
        let winner = argmax(p);
        let mut others = p.to_vec();
        others.remove(winner);
        let exact = raster::class_colour(winner, p[winner] - others.iter().fold(0.0_f64, |a, &b| a.max(b)));
        let fast = at(i as u32 % 2, i as u32 / 2);
        assert!((0..4).all(|c| exact[c].abs_diff(fast[c]) <= 1), "pixel {i}: {exact:?} vs {fast:?}");
    }
    // Classes beyond five reuse the palette.
    let mut six = vec![0.0; 6];
    six[5] = 1.0;
    assert_eq!(raster::surface(&six, 6, 1, 1).pixel(0, 0), Some(raster::class_colour(0, 1.0)));
}

#[test]
fn surface_leaves_missing_values_transparent() {
    let probabilities = [0.2, 0.8, f64::NAN, f64::NAN, 0.5, f64::NAN, 0.9, 0.1];
    let surface = raster::surface(&probabilities, 2, 3, 2);
    let alpha: Vec<u8> = (0..6).map(|i| surface.pixel(i % 3, i / 3).unwrap()[3]).collect();
    // Pixel 2 has P(class 1) = NaN; 3 has no P(class 1)… it has (0.9, 0.1); 4 and 5 are missing.
    assert_eq!(alpha, [255, 0, 0, 255, 0, 0]);
    let three = raster::surface(&[0.2, f64::NAN, 0.8, 0.5, 0.3, 0.2], 3, 2, 1);
    assert_eq!((three.pixel(0, 0).unwrap()[3], three.pixel(1, 0).unwrap()[3]), (0, 255));
    // Too few classes, or no pixels, give a transparent (or empty) raster without panicking.
    assert!(raster::surface(&[1.0; 8], 1, 2, 2).rgba.iter().all(|&b| b == 0));
    assert!(raster::surface(&[1.0; 8], 0, 2, 2).rgba.iter().all(|&b| b == 0));
    assert!(raster::surface(&[], 2, 0, 0).rgba.is_empty());
    // Out-of-range probabilities are clamped.
    assert_eq!(
        raster::surface(&[-1.0, 2.0], 2, 1, 1),
        Raster { width: 1, height: 1, rgba: raster::diverging(1.0).into() }
    );
}

#[test]
fn surface_under_the_scene_follows_the_probability_field() {
    // The parabola field at x = 0.5: P(class 1) = 0.9 where 3 (y − 0.075 + 1) = ln 9, 0.1 where it
    // is −ln 9, 0.5 where it is 0. No points or boundaries, so the surface shows through.
    let layout = large();
    let (scene, probabilities) = classification(&layout, 2, parabola);
    let scene = Scene { xs: vec![], ys: vec![], classes: vec![0], contours: vec![], ..scene };
    let picture = render_classification(&layout, &scene, &probabilities);
    let y_at = |p: f64| (p / (1.0 - p)).ln() / 3.0 + 0.075 - 1.0;
    let colour = |p: f64| picture.at_f(layout.to_pixel(&VIEW, 0.5, y_at(p)));
    assert!(tint_of(colour(0.9), CLASS_COLOURS[1]).is_some_and(|t| t > 0.35), "{:?}", colour(0.9));
    assert!(tint_of(colour(0.1), CLASS_COLOURS[0]).is_some_and(|t| t > 0.35), "{:?}", colour(0.1));
    assert!(colour(0.5).iter().all(|&c| c >= 245), "{:?}", colour(0.5));
}

// ---- decision boundaries ---------------------------------------------------------------------

#[test]
fn circular_field_gives_a_boundary_on_the_circle() {
    // P(class 1) = σ(4 (r − 1.5)) about (0.5, −0.25), on a 301 × 201 grid over [−3, 3] × [−2, 2]:
    // pixels are 0.02 data units apart both ways.
    let view = View { x: (-3.0, 3.0), y: (-2.0, 2.0) };
    let (width, height) = (301, 201);
    let grid = grid_points(view.x.0, view.x.1, view.y.0, view.y.1, width, height);
    let radius = |x: f64, y: f64| (x - 0.5).hypot(y + 0.25);
    let probabilities: Vec<f64> = (0..grid.nrows())
        .flat_map(|i| {
            let p = sigmoid(4.0 * (radius(grid[(i, 0)], grid[(i, 1)]) - 1.5));
            [1.0 - p, p]
        })
        .collect();
    let lines = boundary_contours(&probabilities, 2, width as u32, height as u32, &view);
    assert_eq!(lines.len(), 1, "one closed boundary");
    let line = &lines[0];
    assert!(line.len() > 100);
    let half_pixel = 0.5 * 0.02;
    for &(x, y) in line {
        assert!((radius(x, y) - 1.5).abs() < half_pixel, "({x}, {y}) at radius {}", radius(x, y));
    }
    // All the way round: points in every quadrant about the centre.
    for (sx, sy) in [(1.0, 1.0), (-1.0, 1.0), (-1.0, -1.0), (1.0, -1.0)] {
        assert!(line.iter().any(|&(x, y)| (x - 0.5) * sx > 0.5 && (y + 0.25) * sy > 0.5));
    }
}

#[test]
fn boundary_rows_run_from_the_top_of_the_view() {
    // Class 1 above y = 1 (not below it: row 0 is the top of the picture).
    let view = View { x: (0.0, 4.0), y: (-2.0, 2.0) };
    let (width, height) = (41, 81);
    let probabilities: Vec<f64> = (0..height)
        .flat_map(|row| (0..width).map(move |_| row))
        .flat_map(|row| {
            let y = 2.0 - 4.0 * row as f64 / (height - 1) as f64;
            let p = sigmoid(5.0 * (y - 1.0));
            [1.0 - p, p]
        })
        .collect();
    let lines = boundary_contours(&probabilities, 2, width as u32, height as u32, &view);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].iter().all(|&(_, y)| (y - 1.0).abs() < 0.5 * 0.05), "{:?}", lines[0]);
    let (left, right) =
        (lines[0].iter().map(|p| p.0).fold(9.0, f64::min), lines[0].iter().map(|p| p.0).fold(-9.0, f64::max));
    assert_eq!((left, right), (0.0, 4.0), "across the whole view");
}

#[test]
fn multiclass_boundaries_are_where_the_leaders_tie() {
    let layout = small();
    let (width, height) = layout.plot_size();
    let probabilities = field_probabilities(&layout, &VIEW, wedges);
    let lines = boundary_contours(&probabilities, 3, width, height, &VIEW);
    // Each of the three rays is the border of two wedges: traced once for each.
    assert!(lines.len() >= 3, "{} lines", lines.len());
    let pixel = ((VIEW.x.1 - VIEW.x.0) / (width - 1) as f64).max((VIEW.y.1 - VIEW.y.0) / (height - 1) as f64);
    let rays = [30.0_f64, 150.0, 270.0].map(|t| (t.to_radians().cos(), t.to_radians().sin()));
    let mut seen = [0; 3];
    for &(x, y) in lines.iter().flatten() {
        // Distance to the nearest ray (as a half-line from the origin).
        let (distance, ray) = rays
            .iter()
            .enumerate()
            .map(|(k, &(cx, cy))| {
                let along = (x * cx + y * cy).max(0.0);
                ((x - along * cx).hypot(y - along * cy), k)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        assert!(distance < 0.5 * pixel, "({x}, {y}) is {distance} from the nearest boundary");
        seen[ray] += 1;
    }
    assert!(seen.iter().all(|&n| n > 20), "every boundary traced: {seen:?}");
}

#[test]
fn boundaries_survive_bad_input() {
    let view = VIEW;
    assert!(boundary_contours(&[], 2, 10, 10, &view).is_empty());
    assert!(boundary_contours(&[0.5; 8], 2, 2, 3, &view).is_empty(), "too few values");
    assert!(boundary_contours(&[0.5; 40], 1, 4, 10, &view).is_empty(), "one class");
    assert!(boundary_contours(&[0.5; 40], 2, u32::MAX, u32::MAX, &view).is_empty());
    // A NaN hole in a 3-class field: lines stop around it, no panic, no NaN coordinates.
    let layout = small();
    let (width, height) = layout.plot_size();
    let mut probabilities = field_probabilities(&layout, &VIEW, wedges);
    let centre = (height as usize / 2 * width as usize + width as usize / 2) * 3;
    for value in &mut probabilities[centre - 30..centre + 30] {
        *value = f64::NAN;
    }
    let lines = boundary_contours(&probabilities, 3, width, height, &VIEW);
    assert!(!lines.is_empty());
    assert!(lines.iter().flatten().all(|p| p.0.is_finite() && p.1.is_finite()));
}

/// Whether `colour` is at `p` or one of its 8 neighbours.
fn near(picture: &Picture, p: (f64, f64), colour: [u8; 3]) -> bool {
    let (x, y) = (p.0.round() as i32, p.1.round() as i32);
    (-1..=1).any(|dx| (-1..=1).any(|dy| picture.at(x + dx, y + dy) == colour))
}

#[test]
fn boundaries_are_drawn_where_the_classes_meet() {
    for layout in [small(), large()] {
        let (scene, probabilities) = classification(&layout, 2, parabola);
        let scene = Scene { xs: vec![], ys: vec![], ..scene };
        let picture = render_classification(&layout, &scene, &probabilities);
        // The boundary y = 0.3 x² − 1, at a few x (off the grid lines).
        for x in [-2.5, -1.3, 0.4, 1.7] {
            let (px, py) = layout.to_pixel(&VIEW, x, 0.3 * x * x - 1.0);
            assert_eq!(picture.at_f((px, py)), BOUNDARY_COLOUR, "boundary at x = {x}");
            for d in [-6.0, 6.0] {
                assert_ne!(picture.at_f((px, py + d * layout.dpr)), BOUNDARY_COLOUR, "too thick at x = {x}");
            }
        }
        // About 2 css px thick where it is flat, and only inside the plot.
        let (px, py) = layout.to_pixel(&VIEW, 0.0, -1.0);
        let thickness = (-10..=10).filter(|&d| picture.at_f((px, py + d as f64)) == BOUNDARY_COLOUR).count() as f64;
        assert!(thickness >= 2.0 * layout.dpr - 1.0 && thickness <= 2.0 * layout.dpr + 1.0, "{thickness}");
        for (x, y) in picture.find(BOUNDARY_COLOUR) {
            assert!(layout.contains(x as f64, y as f64), "boundary pixel ({x}, {y}) outside the plot");
        }
    }
}

#[test]
fn boundaries_have_a_light_halo_over_a_strong_surface() {
    // A boundary across a surface that is deep orange everywhere: the column through it reads
    // orange, white, dark, white, orange.
    for layout in [small(), large()] {
        let (width, height) = layout.plot_size();
        let surely_one: Vec<f64> = (0..width * height).flat_map(|_| [0.0, 1.0]).collect();
        let scene = Scene {
            view: VIEW,
            classes: vec![0],
            n_classes: 2,
            contours: vec![vec![(-3.5, 0.5), (3.5, 0.5)]],
            ..Scene::default()
        };
        let picture = render_classification(&layout, &scene, &surely_one);
        let (px, py) = layout.to_pixel(&VIEW, 0.3, 0.5);
        let column: Vec<[u8; 3]> = (-8..=8).map(|d| picture.at(px.round() as i32, py.round() as i32 + d)).collect();
        let orange = raster::diverging(1.0);
        let orange = [orange[0], orange[1], orange[2]];
        let dark = column.iter().position(|&c| c == BOUNDARY_COLOUR).expect("the line");
        let last_dark = column.iter().rposition(|&c| c == BOUNDARY_COLOUR).unwrap();
        assert!(column[..dark].contains(&BOUNDARY_HALO_COLOUR), "halo above: {column:?}");
        assert!(column[last_dark..].contains(&BOUNDARY_HALO_COLOUR), "halo below: {column:?}");
        assert_eq!((column[0], column[16]), (orange, orange));
        // The contour's ends outside the view are clipped.
        assert!(picture.find(BOUNDARY_COLOUR).iter().all(|&(x, y)| layout.contains(x as f64, y as f64)));
    }
}

#[test]
fn tracing_only_mixed_cells_finds_what_tracing_every_cell_does() {
    // The straightforward way: marching squares over the whole field of each class.
    let layout = small();
    let (width, height) = layout.plot_size();
    let (w, h) = (width as usize, height as usize);
    let to_data = |lines: Vec<Vec<(f64, f64)>>| -> Vec<Vec<(f64, f64)>> {
        lines
            .into_iter()
            .map(|l| l.into_iter().map(|p| grid_to_data(p, VIEW.x.0, VIEW.x.1, VIEW.y.0, VIEW.y.1, w, h)).collect())
            .collect()
    };
    let probabilities = field_probabilities(&layout, &VIEW, parabola);
    let p1: Vec<f64> = probabilities.chunks(2).map(|p| p[1]).collect();
    let dense = to_data(marching_squares(&p1, w, h, 0.5));
    assert_eq!(boundary_contours(&probabilities, 2, width, height, &VIEW), dense);
    let probabilities = field_probabilities(&layout, &VIEW, wedges);
    let mut dense = Vec::new();
    for class in 0..3 {
        let lead: Vec<f64> = probabilities
            .chunks(3)
            .map(|p| p[class] - (0..3).filter(|&d| d != class).map(|d| p[d]).fold(f64::NEG_INFINITY, f64::max))
            .collect();
        dense.extend(to_data(marching_squares(&lead, w, h, 0.0)));
    }
    assert_eq!(boundary_contours(&probabilities, 3, width, height, &VIEW), dense);
}

#[test]
fn decision_surface_is_surface_and_boundaries_in_one_pass() {
    let layout = small();
    let (width, height) = layout.plot_size();
    for (k, field) in [(2, parabola as fn(f64, f64) -> Vec<f64>), (3, wedges)] {
        let mut probabilities = field_probabilities(&layout, &VIEW, field);
        // A NaN hole on both boundaries at (0, −1), and a last row with no probabilities at all.
        let (px, py) = layout.to_pixel(&VIEW, 0.0, -1.0);
        let (col, row) = ((px - layout.plot.0 as f64).round() as usize, (py - layout.plot.1 as f64).round() as usize);
        for row in row - 1..=row + 1 {
            let start = (row * width as usize + col - 20) * k;
            probabilities[start..start + 40 * k].fill(f64::NAN);
        }
        probabilities.truncate(probabilities.len() - width as usize * k);
        let (raster, contours) = raster::decision_surface(&probabilities, k, width, height, &VIEW);
        assert_eq!(raster, raster::surface(&probabilities, k, width, height));
        assert!(contours.is_empty(), "too few probabilities: no boundary");
        let (raster, contours) = raster::decision_surface(&probabilities, k, width, height - 1, &VIEW);
        assert_eq!(raster, raster::surface(&probabilities, k, width, height - 1));
        assert_eq!(contours, boundary_contours(&probabilities, k, width, height - 1, &VIEW));
        assert!(contours.len() >= 2, "the hole breaks the boundaries: {}", contours.len());
    }
    assert_eq!(raster::decision_surface(&[0.5; 8], 1, 2, 2, &VIEW).1, Vec::<Vec<(f64, f64)>>::new());
}

// ---- the sigmoid view ------------------------------------------------------------------------

#[test]
fn sigmoid_is_stable_and_symmetric() {
    assert_eq!(sigmoid(0.0), 0.5);
    assert!((sigmoid(2.0) - 0.8807970779778823).abs() < 1e-15); // 1 / (1 + e^−2)
    assert!((sigmoid(-2.0) + sigmoid(2.0) - 1.0).abs() < 1e-15);
    assert_eq!((sigmoid(-1000.0), sigmoid(1000.0)), (0.0, 1.0));
    assert!(sigmoid(f64::NAN).is_nan());
}

#[test]
fn sigmoid_curve_passes_through_one_half_at_zero_and_nears_one_at_six() {
    for layout in [small(), large()] {
        let scene = SigmoidScene { z_range: (-8.0, 8.0), ..SigmoidScene::default() };
        let view = scene.view();
        let picture = render_sigmoid(&layout, &scene);
        assert_eq!(picture.at_f(layout.to_pixel(&view, 0.0, 0.5)), CURVE_COLOUR, "σ(0) = 0.5");
        // σ(6) = 0.9975: on the p = 1 line within a pixel.
        let (px, py) = layout.to_pixel(&view, 6.0, 1.0);
        let near_one = (-1..=1).any(|d| picture.at(px.round() as i32, py.round() as i32 + d) == CURVE_COLOUR);
        assert!(near_one, "σ(6) ≈ 1");
        assert_ne!(picture.at_f(layout.to_pixel(&view, 6.0, 0.9)), CURVE_COLOUR);
        for z in [-3.0, -1.0, 1.5, 4.0] {
            assert_eq!(picture.at_f(layout.to_pixel(&view, z, sigmoid(z))), CURVE_COLOUR, "σ({z})");
        }
        // Dashed guides at p = 0.5 and z = 0: some pixels along them, not all.
        let along = |points: Vec<(f64, f64)>| {
            points.iter().filter(|&&(z, p)| picture.at_f(layout.to_pixel(&view, z, p)) == GUIDE_COLOUR).count()
        };
        let horizontal = along((0..100).map(|k| (-7.5 + 0.05 * k as f64, 0.5)).collect());
        let vertical = along((0..100).map(|k| (0.0, 0.02 + 0.003 * k as f64)).collect());
        assert!((30..90).contains(&horizontal) && (30..90).contains(&vertical), "{horizontal} {vertical}");
    }
}

#[test]
fn jitter_is_deterministic_small_and_spread() {
    let values: Vec<f64> = (0..1000).map(jitter).collect();
    assert_eq!(values, (0..1000).map(jitter).collect::<Vec<_>>());
    assert!(values.iter().all(|v| v.abs() <= JITTER));
    let (low, high) = values.iter().fold((1.0_f64, -1.0_f64), |(l, h), &v| (l.min(v), h.max(v)));
    assert!(low < -0.9 * JITTER && high > 0.9 * JITTER, "{low} {high}");
    assert!((values.iter().sum::<f64>() / 1000.0).abs() < 0.005);
    // Neighbouring indices land in different places.
    assert!(values.windows(2).filter(|w| (w[0] - w[1]).abs() < 0.0005).count() < 40);
}

#[test]
fn sigmoid_points_sit_at_their_score_and_class() {
    let layout = large();
    let scene = SigmoidScene {
        z: vec![-3.0, 2.0, 4.0, f64::NAN, 1.0, -1.0],
        classes: vec![0, 1, 0, 1, 2],
        roles: vec![0, 0, ROLE_TEST],
        highlight: None,
        z_range: (-6.0, 6.0),
    };
    let view = scene.view();
    let picture = render_sigmoid(&layout, &scene);
    for i in [0, 1] {
        let (z, y) = scene.position(i).unwrap();
        assert_eq!(y, scene.classes[i] as f64 + jitter(i));
        assert_eq!(picture.at_f(layout.to_pixel(&view, z, y)), CLASS_COLOURS[scene.classes[i] as usize], "point {i}");
    }
    // Point 2 is a test point: a ring of class 0's colour around a hollow centre.
    let (z, y) = scene.position(2).unwrap();
    let (cx, cy) = layout.to_pixel(&view, z, y);
    assert_eq!(picture.at_f((cx + (4.5 * layout.dpr).round(), cy)), CLASS_COLOURS[0]);
    assert_ne!(picture.at_f((cx, cy)), CLASS_COLOURS[0]);
    // NaN score, class 2 and a missing class are not drawn.
    assert_eq!((scene.position(3), scene.position(4), scene.position(5)), (None, None, None));
    assert!(picture.find(CLASS_COLOURS[2]).is_empty());
    // Hovering finds a drawn point.
    let (px, py) = layout.to_pixel(&view, 2.0, 1.0 + jitter(1));
    assert_eq!(scene.point_near(&layout, px + 3.0, py, 10.0), Some(1));
    assert_eq!(scene.point_near(&layout, px + 40.0, py, 10.0), None);
}

#[test]
fn a_large_sigmoid_view_draws_an_even_sample_plus_the_hand_placed_and_hovered_points() {
    use crate::render::sigmoid::MAX_DRAWN;
    let n = 100_000;
    let mut scene = SigmoidScene {
        z: (0..n).map(|i| -5.0 + 10.0 * i as f64 / n as f64).collect(),
        classes: (0..n).map(|i| (i % 2) as u8).collect(),
        roles: vec![0; n],
        ..SigmoidScene::default()
    };
    scene.roles[12_345] = ROLE_HAND_PLACED;
    scene.highlight = Some(777);
    let drawn: Vec<usize> = (0..n).filter(|&i| scene.position(i).is_some()).collect();
    assert!(drawn.len().abs_diff(MAX_DRAWN) < MAX_DRAWN / 10, "{} drawn", drawn.len());
    assert!(drawn.contains(&12_345) && drawn.contains(&777));
    // Both classes (which alternate here, so every k-th point would miss one) and the whole score
    // range are in the sample.
    let odd = drawn.iter().filter(|&&i| i % 2 == 1).count();
    assert!(odd.abs_diff(drawn.len() / 2) < drawn.len() / 10, "{odd} of {} in class 1", drawn.len());
    let (lowest, highest) = (drawn.iter().min().copied().unwrap_or(n), drawn.iter().max().copied().unwrap_or(0));
    assert!(lowest < 100 && highest > n - 100, "{lowest} {highest}");
    // Hovering only finds drawn points.
    let layout = large();
    let view = scene.view();
    for k in 0..50 {
        let z = -4.5 + 9.0 * k as f64 / 50.0;
        let (px, py) = layout.to_pixel(&view, z, 0.0);
        if let Some(i) = scene.point_near(&layout, px, py, 30.0) {
            assert!(scene.is_drawn(i), "point {i} is not drawn");
        }
    }
    // Small sets draw every point.
    let small_set = SigmoidScene { z: vec![0.0; 50], classes: vec![1; 50], ..SigmoidScene::default() };
    assert!((0..50).all(|i| small_set.is_drawn(i)));
}

#[test]
fn highlighted_sigmoid_point_is_bigger_with_a_guide_to_the_curve() {
    let layout = large();
    let mut scene = SigmoidScene { z: vec![-2.0, 3.0], classes: vec![1, 0], ..SigmoidScene::default() };
    let view = scene.view();
    // Point 0 is class 1 at z = −2: a mistake, far below the curve's 0.12.
    let guide_at = |picture: &Picture| picture.at_f(layout.to_pixel(&view, -2.0, 0.5 * (1.0 + sigmoid(-2.0))));
    let count = |picture: &Picture| picture.find(CLASS_COLOURS[1]).len();
    let plain = render_sigmoid(&layout, &scene);
    assert_ne!(guide_at(&plain), CLASS_COLOURS[1]);
    scene.highlight = Some(0);
    let highlighted = render_sigmoid(&layout, &scene);
    assert_eq!(guide_at(&highlighted), CLASS_COLOURS[1], "the guide from the point down to the curve");
    assert!(count(&highlighted) as f64 > 1.8 * count(&plain) as f64);
    // A dot on the curve where the guide meets it.
    assert_eq!(highlighted.at_f(layout.to_pixel(&view, -2.0, sigmoid(-2.0))), CURVE_COLOUR);
    // A highlight past the end is ignored.
    scene.highlight = Some(9);
    render_sigmoid(&layout, &scene);
}

#[test]
fn z_range_is_symmetric_at_least_six_and_ignores_outliers() {
    assert_eq!(z_range_for(&[]), (-6.0, 6.0));
    assert_eq!(z_range_for(&[0.5, -2.0, f64::NAN, f64::INFINITY]), (-6.0, 6.0));
    // 99 scores within ±20 and one wild outlier: the outlier does not set the range.
    let mut z: Vec<f64> = (0..99).map(|i| -20.0 + 40.0 * i as f64 / 98.0).collect();
    z.push(1e6);
    let (low, high) = z_range_for(&z);
    assert_eq!(low, -high);
    assert!((20.0..=23.0).contains(&high), "{high}");
    // A one-sided set still gets a symmetric window.
    assert_eq!(z_range_for(&[-10.0, -9.0, -8.0]), (-11.0, 11.0));
}

#[test]
fn sigmoid_view_draws_empty_and_degenerate_scenes() {
    for scene in [
        SigmoidScene::default(),
        SigmoidScene {
            z: vec![1.0, 2.0],
            classes: vec![],
            roles: vec![9],
            highlight: Some(1),
            z_range: (f64::NAN, 3.0),
        },
        SigmoidScene { z: vec![1e300, -1e300], classes: vec![0, 1], z_range: (5.0, 5.0), ..SigmoidScene::default() },
    ] {
        let picture = render_sigmoid(&small(), &scene);
        assert!(!picture.find(AXIS_COLOUR).is_empty());
        render_sigmoid(&Layout::new(40, 30, 1.0), &scene);
    }
}

// ---- the ROC chart ---------------------------------------------------------------------------

#[test]
fn roc_points_follow_scikit_learn() {
    let (y, s) = roc_fixture();
    let curve = crate::metrics::roc_curve(&y, &s, 1).unwrap();
    let points = roc_points(&curve);
    let fpr = [0.0, 0.0, 0.0, 0.2, 0.2, 0.4, 0.4, 1.0];
    let tpr = [
        0.0,
        0.14285714285714285,
        0.5714285714285714,
        0.5714285714285714,
        0.8571428571428571,
        0.8571428571428571,
        1.0,
        1.0,
    ];
    assert_eq!(points.len(), fpr.len());
    for (k, &(x, y)) in points.iter().enumerate() {
        assert!((x - fpr[k]).abs() < 1e-12 && (y - tpr[k]).abs() < 1e-12, "point {k}");
    }
    assert!((crate::metrics::roc_auc(&y, &s, 1).unwrap() - 0.8857142857142857).abs() < 1e-12);
}

#[test]
fn roc_chart_draws_the_curve_the_diagonal_and_the_fill() {
    for layout in [small(), large()] {
        let (y, s) = roc_fixture();
        let points = roc_points(&crate::metrics::roc_curve(&y, &s, 1).unwrap());
        let picture = render_roc(&layout, &points, Some(0.886));
        let at = |x: f64, y: f64| picture.at_f(layout.to_pixel(&ROC_VIEW, x, y));
        // On the curve's segments: the vertical one at fpr = 0.2, the horizontal ones at tpr = 0.857 and 1.
        for (x, y) in [(0.2, 0.7), (0.3, 0.8571428571428571), (0.7, 1.0), (0.0, 0.3)] {
            assert_eq!(at(x, y), ROC_COLOUR, "curve at ({x}, {y})");
        }
        // Under the curve the fill tints the background; above it stays white.
        let under = at(0.75, 0.3);
        assert!(under != BACKGROUND_COLOUR && under[2] > under[0], "{under:?}");
        assert_eq!(at(0.1, 0.8), BACKGROUND_COLOUR);
        // The dashed diagonal: many pixels along y = x, not all of them.
        let dashes = (1..100)
            .filter(|&k| near(&picture, layout.to_pixel(&ROC_VIEW, k as f64 / 100.0, k as f64 / 100.0), GUIDE_COLOUR))
            .count();
        assert!((30..95).contains(&dashes), "{dashes} of 99 on the diagonal");
        assert_ne!(at(0.6, 0.45), GUIDE_COLOUR);
        // The AUC box sits in the lower-right corner (its text goes to the canvas).
        let without = render_roc(&layout, &points, None);
        let corner = |p: &Picture| {
            let (px, py) = layout.to_pixel(&ROC_VIEW, 0.93, 0.04);
            p.at_f((px, py))
        };
        assert_ne!(corner(&picture), corner(&without));
    }
}

#[test]
fn roc_chart_handles_empty_and_non_finite_points() {
    let layout = small();
    let empty = render_roc(&layout, &[], None);
    assert!(empty.find(ROC_COLOUR).is_empty());
    assert!(!empty.find(GUIDE_COLOUR).is_empty(), "the diagonal is still there");
    // NaN points are skipped; out-of-range ones clamped; a NaN AUC writes nothing.
    let points = [(0.0, 0.0), (f64::NAN, 0.5), (0.0, 0.6), (0.5, 1.7), (1.0, 1.0)];
    let picture = render_roc(&layout, &points, Some(f64::NAN));
    assert_eq!(picture.at_f(layout.to_pixel(&ROC_VIEW, 0.0, 0.3)), ROC_COLOUR);
    assert_eq!(picture.at_f(layout.to_pixel(&ROC_VIEW, 0.25, 0.8)), ROC_COLOUR);
    assert_eq!(picture.at_f(layout.to_pixel(&ROC_VIEW, 0.75, 1.0)), ROC_COLOUR);
    render_roc(&Layout::new(30, 30, 1.0), &points, Some(0.5));
}

// ---- the precision-recall chart --------------------------------------------------------------

/// The step corners hold each precision over the recall interval that average precision sums:
/// the area under them is scikit-learn's `average_precision_score` on the same data.
/// (`precision_recall_curve(y, s)` and `average_precision_score(y, s)` on `roc_fixture`.)
#[test]
fn precision_recall_steps_enclose_the_average_precision() {
    let (y, s) = roc_fixture();
    let points = precision_recall_points(&crate::metrics::precision_recall_curve(&y, &s, 1).unwrap());
    assert!(points.windows(2).all(|w| w[1].0 >= w[0].0), "recall never decreases along the path");
    assert_eq!(points.first().map(|p| p.0), Some(0.0));
    assert_eq!(points.last().map(|p| p.0), Some(1.0));
    let area: f64 = points.windows(2).map(|w| (w[1].0 - w[0].0) * w[1].1).sum();
    assert!((area - 0.9240362811791383).abs() < 1e-12, "area {area}");
    // Horizontal runs only at the precisions scikit-learn lists.
    let listed = [
        0.5833333333333334,
        0.6363636363636364,
        0.7,
        0.7777777777777778,
        0.75,
        0.8571428571428571,
        0.8333333333333334,
        0.8,
        1.0,
    ];
    assert!(points.iter().all(|p| listed.iter().any(|q| (p.1 - q).abs() < 1e-12)), "{points:?}");
}

#[test]
fn precision_recall_chart_draws_the_steps_and_the_chance_level() {
    for layout in [small(), large()] {
        let (y, s) = roc_fixture();
        let points = precision_recall_points(&crate::metrics::precision_recall_curve(&y, &s, 1).unwrap());
        let picture = render_precision_recall(&layout, &points, Some(0.924), 7.0 / 12.0);
        let at = |x: f64, y: f64| picture.at_f(layout.to_pixel(&ROC_VIEW, x, y));
        // Precision 1 up to recall 4/7, then 5/6 up to 5/7; the step down at recall 4/7.
        for (x, y) in [(0.5, 1.0), (0.65, 0.8333333333333334)] {
            assert_eq!(at(x, y), ROC_COLOUR, "curve at ({x}, {y})");
        }
        assert!(near(&picture, layout.to_pixel(&ROC_VIEW, 4.0 / 7.0, 0.9), ROC_COLOUR), "the step down at recall 4/7");
        assert_ne!(at(0.65, 0.95), ROC_COLOUR);
        // The chance level, dashed, at the positive share 7/12.
        let level = 7.0 / 12.0;
        let dashes = (1..100)
            .filter(|&k| near(&picture, layout.to_pixel(&ROC_VIEW, k as f64 / 100.0, level), GUIDE_COLOUR))
            .count();
        assert!((30..95).contains(&dashes), "{dashes} of 99 on the chance level");
        // Empty input draws the frame and the level, no curve.
        let empty = render_precision_recall(&layout, &[], None, f64::NAN);
        assert!(empty.find(ROC_COLOUR).is_empty());
    }
}

// ---- bars ------------------------------------------------------------------------------------

/// The lengths of the bars, measured along each slot's middle row.
fn bar_lengths(layout: &Layout, picture: &Picture, count: usize) -> Vec<usize> {
    let (x0, y0, x1, y1) = layout.plot;
    let _ = x0;
    (0..count)
        .map(|i| {
            let row = y0 + ((i as f64 + 0.5) * (y1 - y0) as f64 / count as f64) as i32;
            (0..x1).filter(|&x| picture.at(x, row) == BAR_COLOUR).count()
        })
        .collect()
}

fn names(labels: &[&str]) -> Vec<String> {
    labels.iter().map(|l| l.to_string()).collect()
}

#[test]
fn bars_are_proportional_to_their_values() {
    for layout in [small(), large()] {
        let values = [1.0, 2.0, 4.0, 0.0, 3.0];
        let picture = render_bars(&layout, &names(&["a", "b", "c", "d", "e"]), &values, "importance");
        let lengths = bar_lengths(&layout, &picture, values.len());
        let unit = lengths[0] as f64;
        assert!(unit > 10.0, "{lengths:?}");
        for (length, value) in lengths.iter().zip(values) {
            assert!((*length as f64 - value * unit).abs() <= 2.0, "{lengths:?}");
        }
        // Bars grow from the value axis: the first bar pixel of a row is just right of it.
        let bars = picture.find(BAR_COLOUR);
        let left = bars.iter().map(|p| p.0).min().unwrap();
        assert!(bars.iter().all(|&(x, y)| x < layout.width as i32 && y < layout.height as i32));
        assert!(picture.at(left - 1, bars[0].1) != BACKGROUND_COLOUR, "the axis line is next to the bars");
    }
}

#[test]
fn bar_labels_make_room_for_themselves() {
    let layout = small();
    let values = [1.0, 2.0];
    let start = |labels: &[&str]| {
        let picture = render_bars(&layout, &names(labels), &values, "recall");
        picture.find(BAR_COLOUR).iter().map(|p| p.0).min().unwrap()
    };
    let (short, long, huge) =
        (start(&["a", "b"]), start(&["a much longer label", "b"]), start(&[&"x".repeat(500), "b"]));
    assert!(long > short + 50, "{short} {long}");
    assert!(huge <= (0.4 * layout.width as f64) as i32 + 20, "a huge label is cut: {huge}");
}

#[test]
fn bars_handle_empty_zero_negative_and_nan() {
    let layout = small();
    for (labels, values) in [
        (names(&[]), vec![]),
        (names(&["a", "b"]), vec![0.0, 0.0]),
        (names(&["a"]), vec![-1.0]),
        (names(&[]), vec![f64::NAN, f64::INFINITY]),
    ] {
        let picture = render_bars(&layout, &labels, &values, "importance");
        assert!(picture.find(BAR_COLOUR).is_empty(), "{values:?}");
        assert!(!picture.find(AXIS_COLOUR).is_empty());
    }
    // A NaN bar is skipped, the others are drawn; labels may be missing.
    let values = [2.0, f64::NAN, 1.0];
    let picture = render_bars(&layout, &names(&["a"]), &values, "");
    let lengths = bar_lengths(&layout, &picture, 3);
    assert_eq!(lengths[1], 0);
    assert!(lengths[0] > 0 && (lengths[0] as f64 - 2.0 * lengths[2] as f64).abs() <= 2.0, "{lengths:?}");
    // Many bars, and canvases too small for a plot.
    render_bars(&layout, &[], &vec![0.5; 300], "many");
    render_bars(&Layout::new(20, 20, 1.0), &names(&["a"]), &[1.0], "tiny");
}

// ---- plain data ------------------------------------------------------------------------------

#[test]
fn classification_scenes_round_trip_and_old_json_still_reads() {
    let layout = small();
    let (mut scene, _) = classification(&layout, 3, wedges);
    scene.contours.truncate(2);
    let json = serde_json::to_string(&scene).unwrap();
    assert_eq!(serde_json::from_str::<Scene>(&json).unwrap(), scene);
    let old: Scene = serde_json::from_str(r#"{"xs": [1.0], "ys": [2.0], "roles": [1], "show_test": true}"#).unwrap();
    assert!(!old.is_classification() && old.contours.is_empty() && old.n_classes == 0);
    assert_eq!(old.point_colour(0), TEST_COLOUR);
    let sigmoid = sigmoid_scene();
    let json = serde_json::to_string(&sigmoid).unwrap();
    assert_eq!(serde_json::from_str::<SigmoidScene>(&json).unwrap(), sigmoid);
    let partial: SigmoidScene = serde_json::from_str(r#"{"z": [1.0]}"#).unwrap();
    assert_eq!((partial.z_range, partial.highlight), ((-6.0, 6.0), None));
}

/// Times the surface pipeline on a 512 × 512 plot (colours and boundaries, two and four classes):
/// `cargo test --release -- --ignored --nocapture surface_speed`.
#[test]
#[ignore]
fn surface_speed() {
    let (width, height) = (512u32, 512u32);
    let view = VIEW;
    let grid = grid_points(view.x.0, view.x.1, view.y.0, view.y.1, width as usize, height as usize);
    for (k, field) in [(2, parabola as fn(f64, f64) -> Vec<f64>), (3, wedges)] {
        let probabilities: Vec<f64> = (0..grid.nrows()).flat_map(|i| field(grid[(i, 0)], grid[(i, 1)])).collect();
        let runs = 20;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(raster::surface(&probabilities, k, width, height));
        }
        let colours = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(boundary_contours(&probabilities, k, width, height, &view));
        }
        let contours = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(raster::decision_surface(&probabilities, k, width, height, &view));
        }
        let both = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
        println!(
            "{k} classes, 512×512: surface {colours:.2} ms, boundaries {contours:.2} ms, both in one pass {both:.2} ms"
        );
    }
}

/// The distance from `p` to the segment `a`–`b`.
fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx * dx + dy * dy;
    let t = if length > 0.0 { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length).clamp(0.0, 1.0) } else { 0.0 };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

#[test]
fn thinned_curves_keep_their_ends_and_stay_within_the_tolerance() {
    use crate::metrics::{precision_recall_curve, roc_curve};
    use crate::render::curves::{thin, CURVE_TOLERANCE};
    // 25,000 rows with overlapping scores (a weak classifier), as the test set of 100k imported
    // points: tens of thousands of corners.
    let n = 25_000;
    let y: Vec<f64> = (0..n).map(|i| ((i * 7919) % 2) as f64).collect();
    let s: Vec<f64> = (0..n).map(|i| ((i * 104_729) % 9973) as f64 / 9973.0 * 0.8 + 0.2 * y[i]).collect();
    let roc = roc_points(&roc_curve(&y, &s, 1).unwrap());
    let pr = precision_recall_points(&precision_recall_curve(&y, &s, 1).unwrap());
    assert!(roc.len() > 5000 && pr.len() > 5000, "{} {}", roc.len(), pr.len());
    for (full, bound) in [(&roc, Some(2.0 / CURVE_TOLERANCE + 2.0)), (&pr, None)] {
        let thinned = thin(full, CURVE_TOLERANCE);
        assert_eq!((thinned.first(), thinned.last()), (full.first(), full.last()));
        assert!(thinned.len() * 4 < full.len(), "{} of {} points kept", thinned.len(), full.len());
        if let Some(bound) = bound {
            assert!(thinned.len() as f64 <= bound, "{} points", thinned.len());
        }
        // Every point of the full curve lies within the tolerance of the thinned polyline (a kept
        // point is a subsequence of the full one, so checking the segments is enough); every
        // fifth point, to keep the test quick.
        let worst = full
            .iter()
            .step_by(5)
            .map(|&p| thinned.windows(2).map(|w| distance_to_segment(p, w[0], w[1])).fold(f64::INFINITY, f64::min))
            .fold(0.0, f64::max);
        assert!(worst <= CURVE_TOLERANCE * std::f64::consts::SQRT_2, "{worst}");
    }
    // A short curve, or one whose points are all far apart, is kept whole.
    let (y, s) = roc_fixture();
    let small = roc_points(&roc_curve(&y, &s, 1).unwrap());
    assert_eq!(thin(&small, CURVE_TOLERANCE), small);
    assert_eq!(thin(&[], CURVE_TOLERANCE), Vec::<(f64, f64)>::new());
    assert_eq!(thin(&[(0.5, 0.5)], CURVE_TOLERANCE), vec![(0.5, 0.5)]);
}
