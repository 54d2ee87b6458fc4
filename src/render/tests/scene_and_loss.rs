//! Pixel-level tests of the scene and loss charts, rendered natively with `BitMapBackend`.

use super::testing::{render_loss, render_scene, Picture};
use crate::render::axes::{build_chart, AxisSpec};
use crate::render::*;

/// The model of the test scene: y = 0.5 x + 1.
fn model(x: f64) -> f64 {
    0.5 * x + 1.0
}

/// Three train points (the middle one placed by hand) and two test points around the line, in the
/// view [-5, 5] × [-3, 7], with the curve sampled at every plot pixel column.
fn scene(layout: &Layout) -> Scene {
    let view = View { x: (-5.0, 5.0), y: (-3.0, 7.0) };
    let xs = vec![-3.0, 0.0, 2.0, 3.0, -1.0];
    let ys = vec![2.0, 4.0, -1.0, 4.5, -1.5];
    let (x0, _, x1, _) = layout.plot;
    let curve = (x0..x1)
        .map(|px| {
            let (x, _) = layout.to_data(&view, px as f64, 0.0);
            (x, model(x))
        })
        .collect();
    Scene {
        view,
        fitted: xs.iter().map(|&x| model(x)).collect(),
        xs,
        ys,
        roles: vec![0, 2, 0, 1, 1],
        curve,
        band: None,
        show_residuals: false,
        show_test: true,
        highlight: None,
        x_label: "x".into(),
        y_label: "y".into(),
        ..Scene::default()
    }
}

fn small() -> Layout {
    Layout::new(400, 300, 1.0)
}

fn large() -> Layout {
    Layout::new(800, 600, 2.0)
}

/// Distance in pixels from `p` to the model's line as drawn on `layout`.
fn distance_to_curve(layout: &Layout, view: &View, p: (i32, i32)) -> f64 {
    let a = layout.to_pixel(view, -5.0, model(-5.0));
    let b = layout.to_pixel(view, 5.0, model(5.0));
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    ((p.0 as f64 - a.0) * dy - (p.1 as f64 - a.1) * dx).abs() / dx.hypot(dy)
}

#[test]
fn layout_plot_is_plotters_plotting_area() {
    for (width, height, dpr) in [(400, 300, 1.0), (800, 600, 2.0), (1000, 450, 1.5), (333, 257, 1.25), (640, 480, 3.0)]
    {
        let layout = Layout::new(width, height, dpr);
        let mut picture = Picture::white(width, height);
        picture
            .draw(|root| {
                let view = View { x: (-2.0, 7.0), y: (0.5, 1.5) };
                let chart = build_chart(root, &layout, AxisSpec::linear(-2.0, 7.0, 5), AxisSpec::linear(0.5, 1.5, 5))?;
                let (xs, ys) = chart.plotting_area().get_pixel_range();
                let (x0, y0, x1, y1) = layout.plot;
                assert_eq!((xs, ys), (x0..x1, y0..y1), "{width}×{height} at dpr {dpr}");
                // plotters maps data to the same pixels as Layout::to_pixel (it floors; we don't).
                for &(x, y) in &[(-2.0, 0.5), (7.0, 1.5), (0.3, 0.77), (5.5, 1.2)] {
                    let (px, py) = chart.backend_coord(&(x, y));
                    let (qx, qy) = layout.to_pixel(&view, x, y);
                    assert!((px as f64 - qx).abs() <= 1.0 && (py as f64 - qy).abs() <= 1.0, "({x}, {y})");
                }
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn grid_lines_sit_where_to_pixel_puts_their_values() {
    let layout = small();
    let scene = Scene { curve: vec![], xs: vec![], ys: vec![], ..scene(&layout) };
    let picture = render_scene(&layout, &scene);
    // plotters floors x and ceils y where to_pixel is exact (half a pixel at most apart).
    let plotters_pixel = |x: f64, y: f64| {
        let (px, py) = layout.to_pixel(&scene.view, x, y);
        picture.at((px + 1e-3).floor() as i32, (py - 1e-3).ceil() as i32)
    };
    // Ticks on x are -4, -2, …, 4 and on y -2, 0, …, 6: the x = 2 and y = 4 grid lines.
    assert_eq!(plotters_pixel(2.0, 5.3), GRID_COLOUR);
    assert_eq!(plotters_pixel(2.7, 4.0), GRID_COLOUR);
    assert_eq!(plotters_pixel(2.7, 5.3), BACKGROUND_COLOUR);
    assert_eq!(plotters_pixel(1.0, 5.3), BACKGROUND_COLOUR);
}

#[test]
fn curve_is_drawn_at_to_pixel_and_nowhere_else() {
    for layout in [small(), large()] {
        let scene = scene(&layout);
        let picture = render_scene(&layout, &scene);
        for x in [-4.5, -2.0, 0.5, 2.5, 4.0, 4.9] {
            let (px, py) = layout.to_pixel(&scene.view, x, model(x));
            assert_eq!(picture.at_f((px, py)), CURVE_COLOUR, "curve at x = {x}, dpr {}", layout.dpr);
            assert_ne!(picture.at_f((px, py - 8.0 * layout.dpr)), CURVE_COLOUR, "curve too thick at x = {x}");
        }
        let curve_pixels = picture.find(CURVE_COLOUR);
        assert!(curve_pixels.len() > 300);
        for &p in &curve_pixels {
            assert!(distance_to_curve(&layout, &scene.view, p) <= 2.0 * layout.dpr, "stray curve pixel {p:?}");
            assert!(layout.contains(p.0 as f64, p.1 as f64), "curve pixel {p:?} outside the plot");
        }
    }
}

#[test]
fn curve_line_width_scales_with_dpr() {
    // A flat curve y = 1: the vertical run of curve pixels in a column is the line width.
    let width = |layout: &Layout| {
        let scene = Scene { curve: vec![(-5.0, 1.0), (5.0, 1.0)], ..scene(layout) };
        let picture = render_scene(layout, &scene);
        let (px, py) = layout.to_pixel(&scene.view, -2.3, 1.0);
        let (px, py) = (px.round() as i32, py.round() as i32);
        (py - 20..py + 20).filter(|&y| picture.at(px, y) == CURVE_COLOUR).count()
    };
    let (thin, thick) = (width(&small()), width(&large()));
    assert!((3..=4).contains(&thin), "at least 2.5 css px wide: {thin}");
    assert!((5..=7).contains(&thick), "dpr 2 draws it about twice as thick: {thin} vs {thick}");
}

#[test]
fn train_points_are_filled_discs_and_hand_placed_ones_outlined() {
    for layout in [small(), large()] {
        let scene = scene(&layout);
        let picture = render_scene(&layout, &scene);
        let radius = 4.5 * layout.dpr;
        for i in [0, 1, 2] {
            let (cx, cy) = layout.to_pixel(&scene.view, scene.xs[i], scene.ys[i]);
            assert_eq!(picture.at_f((cx, cy)), TRAIN_COLOUR, "centre of train point {i}");
            assert_eq!(picture.at_f((cx + radius * 0.6, cy)), TRAIN_COLOUR, "body of train point {i}");
            assert_ne!(picture.at_f((cx + radius * 3.0, cy)), TRAIN_COLOUR, "train point {i} too big");
            // Just outside the disc: the dark outline only on the hand-placed point 1.
            let ring = (cx + radius + 1.0 * layout.dpr, cy);
            assert_eq!(picture.at_f(ring) == HAND_OUTLINE_COLOUR, i == 1, "outline of point {i}");
        }
    }
}

#[test]
fn test_points_are_hollow_rings() {
    for layout in [small(), large()] {
        let scene = scene(&layout);
        let picture = render_scene(&layout, &scene);
        let radius = (4.5 * layout.dpr).round();
        for i in [3, 4] {
            let (cx, cy) = layout.to_pixel(&scene.view, scene.xs[i], scene.ys[i]);
            for (dx, dy) in [(radius, 0.0), (-radius, 0.0), (0.0, radius), (0.0, -radius)] {
                assert_eq!(picture.at_f((cx + dx, cy + dy)), TEST_COLOUR, "ring of test point {i}");
            }
            assert_ne!(picture.at_f((cx, cy)), TEST_COLOUR, "test point {i} is not hollow");
            assert_ne!(picture.at_f((cx + 1.0, cy - 1.0)), TEST_COLOUR, "test point {i} is not hollow");
        }
    }
}

#[test]
fn hidden_test_points_leave_no_trace() {
    let layout = small();
    let mut scene = scene(&layout);
    scene.show_residuals = true;
    assert!(!render_scene(&layout, &scene).find(TEST_COLOUR).is_empty());
    let with_tests = render_scene(&layout, &scene).find(RESIDUAL_COLOUR).len();
    scene.show_test = false;
    let picture = render_scene(&layout, &scene);
    assert!(picture.find(TEST_COLOUR).is_empty());
    // Their residuals go too; the train points stay.
    assert!(picture.find(RESIDUAL_COLOUR).len() < with_tests);
    let (cx, cy) = layout.to_pixel(&scene.view, scene.xs[0], scene.ys[0]);
    assert_eq!(picture.at_f((cx, cy)), TRAIN_COLOUR);
}

#[test]
fn residuals_join_each_point_to_its_fitted_value() {
    let layout = small();
    let mut scene = scene(&layout);
    // Point 2 is at (2, -1), the model says 2: the segment spans y from -1 to 2.
    let (x, y, fitted) = (scene.xs[2], scene.ys[2], scene.fitted[2]);
    let inside = |picture: &Picture, t: f64| picture.at_f(layout.to_pixel(&scene.view, x, y + t * (fitted - y)));
    assert_ne!(inside(&render_scene(&layout, &scene), 0.5), RESIDUAL_COLOUR);
    scene.show_residuals = true;
    let picture = render_scene(&layout, &scene);
    for t in [0.3, 0.5, 0.7] {
        assert_eq!(inside(&picture, t), RESIDUAL_COLOUR, "residual at t = {t}");
    }
    // Not beyond the fitted value, and not beside the segment.
    assert_ne!(inside(&picture, 1.3), RESIDUAL_COLOUR);
    let (px, py) = layout.to_pixel(&scene.view, x, y + 0.5 * (fitted - y));
    assert_ne!(picture.at_f((px + 6.0, py)), RESIDUAL_COLOUR);
}

#[test]
fn band_tints_within_its_width_and_nothing_outside() {
    let layout = small();
    let mut scene = scene(&layout);
    let plain = render_scene(&layout, &scene);
    scene.band = Some(1.5);
    let banded = render_scene(&layout, &scene);
    let x = -2.3;
    let at = |picture: &Picture, dy: f64| picture.at_f(layout.to_pixel(&scene.view, x, model(x) + dy));
    for dy in [-1.2, -0.6, 0.6, 1.2] {
        let pixel = at(&banded, dy);
        assert_eq!(at(&plain, dy), BACKGROUND_COLOUR);
        assert!(pixel[2] > pixel[0] + 20 && pixel[0] < 240, "inside the band at {dy}: {pixel:?}");
    }
    // Stronger near the curve.
    assert!(at(&banded, 0.4)[0] < at(&banded, 1.3)[0]);
    for dy in [-2.5, -1.8, 1.8, 2.5] {
        assert_eq!(at(&banded, dy), BACKGROUND_COLOUR, "outside the band at {dy}");
    }
}

#[test]
fn marks_are_clipped_to_the_plot() {
    let layout = small();
    let mut scene = scene(&layout);
    // A steep curve leaving through the top and bottom, and points on and beyond the edges.
    scene.curve = (-50..=50).map(|i| (i as f64 * 0.1, 3.0 * i as f64 * 0.1)).collect();
    scene.xs = vec![5.0, -5.0, 0.0, 9.0, 1.0];
    scene.ys = vec![2.0, 7.0, -3.0, 1.0, 40.0];
    scene.roles = vec![0, 2, 1, 0, 0];
    scene.fitted = vec![];
    let picture = render_scene(&layout, &scene);
    for colour in [CURVE_COLOUR, TRAIN_COLOUR, TEST_COLOUR, HAND_OUTLINE_COLOUR] {
        let pixels = picture.find(colour);
        assert!(!pixels.is_empty(), "{colour:?} drawn");
        for (x, y) in pixels {
            assert!(layout.contains(x as f64, y as f64), "{colour:?} at ({x}, {y}) outside the plot");
        }
    }
}

#[test]
fn highlighted_point_is_bigger_with_a_ring() {
    let layout = small();
    let mut scene = scene(&layout);
    let (cx, cy) = layout.to_pixel(&scene.view, scene.xs[2], scene.ys[2]);
    let train_near = |picture: &Picture| {
        picture.find(TRAIN_COLOUR).iter().filter(|p| (p.0 as f64 - cx).hypot(p.1 as f64 - cy) < 20.0).count()
    };
    let normal = render_scene(&layout, &scene);
    scene.highlight = Some(2);
    let highlighted = render_scene(&layout, &scene);
    assert!(train_near(&highlighted) as f64 > 1.8 * train_near(&normal) as f64);
    // The halo ring, a few pixels outside the enlarged disc, is a tint of the point's colour.
    let halo = highlighted.at_f((cx + 4.5 * 1.5 + 4.0, cy));
    assert_ne!(halo, BACKGROUND_COLOUR);
    assert!(halo[2] > halo[0], "{halo:?}");
    assert_eq!(normal.at_f((cx + 4.5 * 1.5 + 4.0, cy)), BACKGROUND_COLOUR);
}

#[test]
fn nan_in_the_curve_breaks_the_line_without_panicking() {
    let layout = small();
    let mut scene = scene(&layout);
    for point in scene.curve.iter_mut().filter(|(x, _)| (-1.5..=1.5).contains(x)) {
        point.1 = f64::NAN;
    }
    scene.curve.push((f64::NAN, 1.0));
    scene.xs.push(f64::NAN);
    scene.ys.push(1.0);
    scene.fitted.push(f64::INFINITY);
    scene.show_residuals = true;
    scene.highlight = Some(99);
    let picture = render_scene(&layout, &scene);
    assert_ne!(picture.at_f(layout.to_pixel(&scene.view, 0.5, model(0.5))), CURVE_COLOUR);
    assert_eq!(picture.at_f(layout.to_pixel(&scene.view, -3.5, model(-3.5))), CURVE_COLOUR);
    assert_eq!(picture.at_f(layout.to_pixel(&scene.view, 3.5, model(3.5))), CURVE_COLOUR);
}

#[test]
fn empty_and_degenerate_scenes_draw_without_error() {
    let layout = small();
    let picture = render_scene(&layout, &Scene::default());
    assert!(picture.find(CURVE_COLOUR).is_empty() && picture.find(TRAIN_COLOUR).is_empty());
    assert!(!picture.find(GRID_COLOUR).is_empty(), "the grid is still drawn");
    assert!(!picture.find(AXIS_COLOUR).is_empty(), "the axes are still drawn");
    // A view that is NaN, or a point, and mismatched lengths.
    let scene = Scene {
        view: View { x: (f64::NAN, 3.0), y: (2.0, 2.0) },
        xs: vec![1.0, 2.0, 3.0],
        ys: vec![1.0],
        roles: vec![],
        fitted: vec![1.0, 2.0],
        curve: vec![(0.0, 2.0)],
        band: Some(1.0),
        show_residuals: true,
        highlight: Some(0),
        ..Scene::default()
    };
    render_scene(&layout, &scene);
    // Canvases too small for a plot just get their background.
    for (width, height) in [(30, 20), (1, 1), (90, 70)] {
        render_scene(&Layout::new(width, height, 1.0), &scene);
        render_loss(&Layout::new(width, height, 2.0), &LossHistory::default(), true);
    }
}

#[test]
fn drawing_follows_the_root_size_not_a_stale_layout() {
    // The page passes the layout it computed; if the canvas has another size the canvas wins.
    let actual = small();
    let scene = scene(&actual);
    let mut picture = Picture::white(400, 300);
    picture.draw(|root| draw_scene(root, &Layout::new(640, 480, 1.0), &scene, true)).unwrap();
    let (cx, cy) = actual.to_pixel(&scene.view, scene.xs[0], scene.ys[0]);
    assert_eq!(picture.at_f((cx, cy)), TRAIN_COLOUR);
}

#[test]
fn without_background_the_plot_keeps_the_raster_and_the_margins_are_repainted() {
    // What was on the canvas before (a grey raster, say) stays inside the plot; margins are cleared.
    let layout = small();
    let scene = Scene { xs: vec![], ys: vec![], curve: vec![], ..scene(&layout) };
    let mut picture = Picture { width: 400, height: 300, rgb: vec![90; 400 * 300 * 3] };
    picture.draw(|root| draw_scene(root, &layout, &scene, false)).unwrap();
    let (x0, y0, x1, y1) = layout.plot;
    assert_eq!(picture.at(x0 + 40, y0 + 30), [90, 90, 90]);
    assert_eq!(picture.at(x1 - 3, y1 - 3), [90, 90, 90]);
    for (x, y) in [(5, 5), (x1 + 5, y0 + 20), (x0 + 20, y1 + 30), (20, y0 + 20)] {
        assert_eq!(picture.at(x, y), BACKGROUND_COLOUR, "margin at ({x}, {y})");
    }
    // With the background asked for, the plot is cleared too.
    picture.draw(|root| draw_scene(root, &layout, &scene, true)).unwrap();
    assert_eq!(picture.at(x0 + 40, y0 + 30), BACKGROUND_COLOUR);
}

fn decreasing_history() -> LossHistory {
    let epochs: Vec<u64> = (1..=60).collect();
    let train: Vec<f64> = epochs.iter().map(|&e| 2.0 * (-0.08 * e as f64).exp() + 0.05).collect();
    let test = train.iter().map(|t| 1.3 * t + 0.02).collect();
    LossHistory { epochs, train, test, ..Default::default() }
}

/// Whether `colour` is at `p` or one of its 8 neighbours.
fn near(picture: &Picture, p: (f64, f64), colour: [u8; 3]) -> bool {
    let (x, y) = (p.0.round() as i32, p.1.round() as i32);
    (-1..=1).any(|dx| (-1..=1).any(|dy| picture.at(x + dx, y + dy) == colour))
}

/// Pixel of `(epoch, loss)` on the loss chart.
fn loss_pixel(layout: &Layout, history: &LossHistory, log_scale: bool, epoch: u64, loss: f64) -> (f64, f64) {
    let view = loss_view(history, log_scale);
    layout.to_pixel(&view.view, epoch as f64, view.y_of(loss))
}

#[test]
fn loss_lines_fall_for_a_decreasing_history() {
    for log_scale in [false, true] {
        for layout in [small(), large()] {
            let history = decreasing_history();
            let picture = render_loss(&layout, &history, log_scale);
            let first = loss_pixel(&layout, &history, log_scale, 1, history.train[0]);
            let last = loss_pixel(&layout, &history, log_scale, 60, history.train[59]);
            assert_eq!(picture.at_f(first), TRAIN_COLOUR, "first train loss, log {log_scale}");
            // The line ends on the plot's last column, which fills stop short of by a pixel.
            assert!(near(&picture, last, TRAIN_COLOUR), "last train loss, log {log_scale}");
            assert!(first.1 < last.1 - 50.0, "leftmost point higher than the rightmost");
            let middle = loss_pixel(&layout, &history, log_scale, 30, history.test[29]);
            assert_eq!(picture.at_f(middle), TEST_COLOUR, "test loss, log {log_scale}");
            // Well below the train line at its start there is no train colour.
            assert_ne!(picture.at_f((first.0 + 3.0, first.1 + 30.0)), TRAIN_COLOUR);
        }
    }
}

#[test]
fn the_legend_goes_where_the_lines_are_not() {
    // Issue 10 item 11: the legend sat top right over a loss that rises (a test loss that
    // overfits ends there). It now takes the corner the lines cross least.
    for layout in [small(), large()] {
        let epochs: Vec<u64> = (1..=60).collect();
        let train: Vec<f64> = epochs.iter().map(|&e| 0.2 + 0.03 * e as f64).collect();
        let history = LossHistory { epochs, train, ..Default::default() };
        let picture = render_loss(&layout, &history, false);
        for epoch in [50, 55, 58] {
            let p = loss_pixel(&layout, &history, false, epoch, history.train[epoch as usize - 1]);
            assert!(near(&picture, p, TRAIN_COLOUR), "epoch {epoch} of a rising line is not covered");
        }
        // A falling line leaves the top right free: the legend stays there.
        let falling = decreasing_history();
        let view = loss_view(&falling, false).view;
        let line: Vec<(f64, f64)> =
            falling.epochs.iter().zip(&falling.train).map(|(&e, &l)| layout.to_pixel(&view, e as f64, l)).collect();
        let (x, y) = charts::legend_corner(&layout, (80.0, 40.0), 8.0, std::slice::from_ref(&line));
        assert!(x > layout.plot.2 as f64 - 100.0 && y < layout.plot.1 as f64 + 20.0, "top right: {x}, {y}");
        // A line across the top right moves it.
        let rising: Vec<(f64, f64)> =
            line.iter().map(|&(px, py)| (px, layout.plot.1 as f64 + layout.plot.3 as f64 - py)).collect();
        let (x, y) = charts::legend_corner(&layout, (80.0, 40.0), 8.0, &[rising]);
        let (x2, _) = charts::legend_corner(&layout, (80.0, 40.0), 8.0, &[]);
        assert!(x2 > layout.plot.2 as f64 - 100.0, "no lines: top right");
        assert!(
            y > layout.plot.1 as f64 + 20.0 || x < layout.plot.0 as f64 + 20.0,
            "moved off the rising line: {x}, {y}, plot {:?}",
            layout.plot
        );
    }
}

#[test]
fn log_scale_spreads_small_losses() {
    // On a log axis the drop from 0.1 to 0.01 takes as much height as from 1 to 0.1.
    let history = LossHistory { epochs: vec![0, 1, 2], train: vec![1.0, 0.1, 0.01], ..Default::default() };
    let layout = small();
    let y = |log_scale: bool, loss: f64| loss_pixel(&layout, &history, log_scale, 0, loss).1;
    assert!(((y(true, 0.01) - y(true, 0.1)) - (y(true, 0.1) - y(true, 1.0))).abs() < 1e-9);
    assert!((y(false, 0.01) - y(false, 0.1)) < 0.2 * (y(false, 0.1) - y(false, 1.0)));
    let picture = render_loss(&layout, &history, true);
    assert_eq!(picture.at_f(loss_pixel(&layout, &history, true, 1, 0.1)), TRAIN_COLOUR);
    // A zero loss cannot go on a log axis: the chart falls back to linear.
    let with_zero = LossHistory { train: vec![1.0, 0.1, 0.0], ..history };
    assert!(!loss_view(&with_zero, true).log_scale);
}

#[test]
fn loss_chart_handles_empty_short_and_non_finite_histories() {
    let layout = small();
    let empty = render_loss(&layout, &LossHistory::default(), false);
    assert!(empty.find(TRAIN_COLOUR).is_empty() && empty.find(TEST_COLOUR).is_empty());
    assert!(!empty.find(AXIS_COLOUR).is_empty(), "empty history still has axes");
    // One epoch: a dot, no panic.
    let one = LossHistory { epochs: vec![3], train: vec![0.5], ..Default::default() };
    assert_eq!(render_loss(&layout, &one, true).at_f(loss_pixel(&layout, &one, true, 3, 0.5)), TRAIN_COLOUR);
    // NaN and infinity are skipped: the line breaks around them, the rest is drawn.
    let mut history = decreasing_history();
    history.train[20] = f64::NAN;
    history.train[40] = f64::INFINITY;
    history.test.truncate(10);
    let view = loss_view(&history, false);
    assert!(view.view.y.1 < 3.0, "infinity does not stretch the axis");
    let picture = render_loss(&layout, &history, false);
    assert!(near(&picture, loss_pixel(&layout, &history, false, 60, history.train[59]), TRAIN_COLOUR));
    let gap = loss_pixel(&layout, &history, false, 21, 0.5 * (history.train[19] + history.train[21]));
    assert_ne!(picture.at_f(gap), TRAIN_COLOUR);
}

#[test]
fn scene_round_trips_through_json_and_fills_in_defaults() {
    let layout = small();
    let scene = Scene { band: Some(0.4), highlight: Some(1), curve: vec![(-5.0, -1.5), (5.0, 3.5)], ..scene(&layout) };
    let json = serde_json::to_string(&scene).unwrap();
    assert_eq!(serde_json::from_str::<Scene>(&json).unwrap(), scene);
    let partial: Scene = serde_json::from_str(r#"{"xs": [1.0], "ys": [2.0]}"#).unwrap();
    assert_eq!((partial.xs.len(), partial.view), (1, View::default()));
    let layout_json = serde_json::to_string(&layout).unwrap();
    assert_eq!(serde_json::from_str::<Layout>(&layout_json).unwrap(), layout);
}

#[test]
fn point_near_finds_the_closest_shown_point() {
    let layout = small();
    let mut scene = scene(&layout);
    let (px, py) = layout.to_pixel(&scene.view, scene.xs[3], scene.ys[3]);
    assert_eq!(scene.point_near(&layout, px + 2.0, py - 1.0, 8.0), Some(3));
    assert_eq!(scene.point_near(&layout, px + 30.0, py, 8.0), None);
    scene.show_test = false;
    assert_eq!(scene.point_near(&layout, px, py, 8.0), None);
}

/// Writes the test scene (with band and residuals) to /tmp/render-scene.ppm and the loss chart to
/// /tmp/render-loss.ppm for a person to look at: `cargo test -- --ignored dump_pictures`.
#[test]
#[ignore]
fn dump_pictures() {
    let layout = large();
    let picture = Scene { band: Some(1.2), show_residuals: true, highlight: Some(2), ..scene(&layout) };
    render_scene(&layout, &picture).write_ppm("/tmp/render-scene.ppm").unwrap();
    render_loss(&layout, &decreasing_history(), true).write_ppm("/tmp/render-loss.ppm").unwrap();
    let layout = small();
    let picture = Scene { band: Some(1.2), show_residuals: true, highlight: Some(2), ..scene(&layout) };
    render_scene(&layout, &picture).write_ppm("/tmp/render-scene-small.ppm").unwrap();
    render_loss(&layout, &decreasing_history(), false).write_ppm("/tmp/render-loss-small.ppm").unwrap();
}

#[test]
fn a_row_left_out_as_an_outlier_is_drawn_hollow_with_the_outlier_ring() {
    // Issue 10 item 11: rows the outlier rule removed vanished from the plot.
    use crate::render::palette::{CLASS_COLOURS, OUTLIER_COLOUR};
    use crate::render::scene::{ROLE_OUTLIER, ROLE_REMOVED};
    for layout in [small(), large()] {
        let view = View { x: (-5.0, 5.0), y: (-5.0, 5.0) };
        let s = Scene {
            view,
            xs: vec![-2.3, 2.3],
            ys: vec![0.3, 0.3],
            roles: vec![0, ROLE_REMOVED | ROLE_OUTLIER],
            classes: vec![0, 1],
            n_classes: 2,
            show_test: true,
            ..Scene::default()
        };
        let picture = render_scene(&layout, &s);
        let kept = layout.to_pixel(&view, -2.3, 0.3);
        let left_out = layout.to_pixel(&view, 2.3, 0.3);
        assert_eq!(picture.at_f(kept), CLASS_COLOURS[0], "a kept point is a filled disc");
        assert_eq!(picture.at_f(left_out), BACKGROUND_COLOUR, "a left-out point is hollow");
        let r = 12.0 * layout.dpr;
        let around = |colour: [u8; 3]| {
            let (cx, cy) = (left_out.0.round() as i32, left_out.1.round() as i32);
            let r = r as i32;
            (-r..=r)
                .flat_map(|dx| (-r..=r).map(move |dy| (dx, dy)))
                .any(|(dx, dy)| picture.at(cx + dx, cy + dy) == colour)
        };
        assert!(around(CLASS_COLOURS[1]), "its outline has its class colour");
        assert!(around(OUTLIER_COLOUR), "and the outlier ring");
    }
}

#[test]
fn a_tube_is_drawn_dashed_at_the_curve_plus_and_minus_its_half_width() {
    let layout = small();
    let bare = Scene { xs: vec![], ys: vec![], fitted: vec![], ..scene(&layout) };
    let without = render_scene(&layout, &bare);
    let picture = render_scene(&layout, &Scene { tube: Some(1.5), ..bare.clone() });
    let dark = |p: [u8; 3]| p.iter().map(|&c| c as u32).sum::<u32>() < 3 * 160;
    // along each edge f(x) ± 1.5, columns where a dash darkens the picture: many but not all
    for shift in [1.5, -1.5] {
        let (mut on, mut total) = (0, 0);
        for k in 0..200 {
            let x = -4.5 + 9.0 * k as f64 / 199.0;
            let (px, py) = layout.to_pixel(&bare.view, x, model(x) + shift);
            total += 1;
            let hit = (-1..=1).any(|dy| {
                let (px, py) = (px.round() as i32, py.round() as i32 + dy);
                dark(picture.at(px, py)) && !dark(without.at(px, py))
            });
            on += usize::from(hit);
        }
        assert!(on > total / 3 && on < total * 9 / 10, "{on} of {total} columns on the {shift} edge");
    }
    // nothing else changed: every pixel the tube darkened is near an edge
    let (width, height) = (layout.width as i32, layout.height as i32);
    for py in 0..height {
        for px in 0..width {
            if !dark(picture.at(px, py)) || dark(without.at(px, py)) {
                continue;
            }
            let (x, y) = layout.to_data(&bare.view, px as f64, py as f64);
            let (_, edge) = layout.to_pixel(&bare.view, x, model(x) + 1.5 * (y - model(x)).signum());
            assert!((edge - py as f64).abs() <= 3.0, "stray tube pixel ({px}, {py})");
        }
    }
}
