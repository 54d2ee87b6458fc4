//! The point layer: many points drawn as one raster (`draw_scene_layered`) look as they do drawn
//! one by one (`draw_scene`), rendered natively with `BitMapBackend`. The layer is composited
//! pixel by pixel with alpha, as the page's `drawImage` does.

use super::testing::{render_scene, Picture};
use crate::render::point_layer::{PointLayer, LAYER_FROM_POINTS};
use crate::render::scene::point_layer;
use crate::render::*;
use plotters::prelude::RGBAColor;

/// The scene as the page composes it with the point layer; also how many layers were composited.
fn render_layered(layout: &Layout, scene: &Scene) -> (Picture, usize) {
    let mut picture = Picture::white(layout.width, layout.height);
    if let Some(band) = raster::error_band(layout, scene) {
        band.blit_over_rgb(&mut picture.rgb, layout.width, layout.height, layout.plot.0, layout.plot.1);
    }
    let mut layers = 0;
    picture
        .draw(|root| {
            let mut composite = |layer: &PointLayer| {
                let (raster, x, y) = (&layer.raster, layer.x, layer.y);
                layers += 1;
                for (i, pixel) in raster.rgba.chunks_exact(4).enumerate() {
                    if pixel[3] > 0 {
                        let at = (x + (i % raster.width as usize) as i32, y + (i / raster.width as usize) as i32);
                        let colour = RGBAColor(pixel[0], pixel[1], pixel[2], pixel[3] as f64 / 255.0);
                        root.draw_pixel(at, &colour).map_err(render_error)?;
                    }
                }
                Ok(())
            };
            draw_scene_layered(root, layout, scene, false, &mut composite)
        })
        .unwrap();
    (picture, layers)
}

/// `columns × rows` points on a lattice over the view [0, columns] × [0, rows] (one per cell,
/// at its centre), cycling through train, test, hand-placed train and hand-placed test; for
/// classification, classes cycle through three.
fn lattice(columns: usize, rows: usize, classification: bool) -> Scene {
    let n = columns * rows;
    let xs = (0..n).map(|i| (i % columns) as f64 + 0.5).collect();
    let ys = (0..n).map(|i| (i / columns) as f64 + 0.5).collect();
    let roles = (0..n).map(|i| [0, ROLE_TEST, ROLE_HAND_PLACED, ROLE_TEST | ROLE_HAND_PLACED][i % 4]).collect();
    let classes = if classification { (0..n).map(|i| ((i / 4) % 3) as u8).collect() } else { Vec::new() };
    Scene {
        view: View { x: (0.0, columns as f64), y: (0.0, rows as f64) },
        xs,
        ys,
        roles,
        classes,
        n_classes: if classification { 3 } else { 0 },
        show_test: true,
        ..Scene::default()
    }
}

/// The radii where point `i`'s marker changes colour (edges of its discs and rings), in device
/// pixels, as `marks::draw_point` draws it.
fn edges(layout: &Layout, scene: &Scene, i: usize) -> Vec<f64> {
    let dpr = layout.dpr;
    let px = |css: f64| layout.px(css) as f64;
    let radius = ((4.5 * dpr).round()).max(2.0);
    let (ring, outline) = (px(2.0), if scene.is_classification() { px(1.0) } else { 0.0 });
    let hand = px(1.5);
    let mut edges = if scene.is_test(i) {
        vec![radius - ring / 2.0 - outline, radius - ring / 2.0, radius + ring / 2.0, radius + ring / 2.0 + outline]
    } else {
        vec![radius, radius + outline]
    };
    if scene.is_hand_placed(i) {
        let outside =
            radius + if scene.is_test(i) { (ring / 2.0).floor() } else { 0.0 } + outline + (hand / 2.0).ceil();
        edges.extend([outside - hand / 2.0, outside + hand / 2.0]);
    }
    edges
}

/// Asserts the two pictures agree around every drawn point: the same colour at the centre (unless
/// another marker's edge passes there), and
/// within 3 per channel wherever the pixel is more than 1.75 px from an edge of any marker (the
/// canvas-like layer and plotters' bitmap circles antialias differently and put the centre half
/// a pixel apart). Returns the number of pixels compared.
fn assert_same_marks(layout: &Layout, scene: &Scene, vector: &Picture, layered: &Picture) -> usize {
    let points = scene.points_to_draw(layout);
    let marks: Vec<((i32, i32), Vec<f64>)> = points.iter().map(|&(i, at)| (at, edges(layout, scene, i))).collect();
    let near_an_edge = |x: i32, y: i32| {
        marks.iter().any(|&((cx, cy), ref edges)| {
            if (x - cx).abs() > 40 || (y - cy).abs() > 40 {
                return false;
            }
            let distance = ((x - cx) as f64).hypot((y - cy) as f64);
            edges.iter().any(|e| (distance - e).abs() <= 1.75)
        })
    };
    let mut compared = 0;
    for (&(i, (cx, cy)), (_, edges)) in points.iter().zip(&marks) {
        if !near_an_edge(cx, cy) {
            assert_eq!(vector.at(cx, cy), layered.at(cx, cy), "centre of point {i}");
        }
        let reach = edges.iter().fold(0.0_f64, |a, &b| a.max(b)) as i32 + 3;
        for dy in -reach..=reach {
            for dx in -reach..=reach {
                let (x, y) = (cx + dx, cy + dy);
                if !layout.contains(x as f64, y as f64) || near_an_edge(x, y) {
                    continue;
                }
                let (a, b) = (vector.at(x, y), layered.at(x, y));
                let close = a.iter().zip(&b).all(|(p, q)| (*p as i32 - *q as i32).abs() <= 3);
                assert!(close, "point {i} at offset ({dx}, {dy}): {a:?} drawn one by one, {b:?} in the layer");
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn many_points_look_the_same_in_the_layer_for_every_style() {
    for layout in [Layout::new(1200, 900, 1.0), Layout::new(1600, 1200, 2.0)] {
        for classification in [false, true] {
            let scene = lattice(24, 16, classification);
            assert!(scene.points_to_draw(&layout).len() >= LAYER_FROM_POINTS);
            let vector = render_scene(&layout, &scene);
            let (layered, layers) = render_layered(&layout, &scene);
            assert_eq!(layers, 1, "one layer for {} points", scene.xs.len());
            let compared = assert_same_marks(&layout, &scene, &vector, &layered);
            assert!(compared > 100 * scene.xs.len(), "{compared} pixels compared");
            // The marks' own colours are there, not just the background.
            let colours = if classification {
                vec![CLASS_COLOURS[0], CLASS_COLOURS[1], CLASS_COLOURS[2], HAND_OUTLINE_COLOUR, POINT_OUTLINE_COLOUR]
            } else {
                vec![TRAIN_COLOUR, TEST_COLOUR, HAND_OUTLINE_COLOUR]
            };
            for colour in colours {
                assert!(!layered.find(colour).is_empty(), "{colour:?}");
            }
        }
    }
}

#[test]
fn few_points_are_drawn_one_by_one_exactly_as_before() {
    let layout = Layout::new(800, 600, 2.0);
    let scene = lattice(10, 8, true);
    assert!(scene.points_to_draw(&layout).len() < LAYER_FROM_POINTS);
    let (layered, layers) = render_layered(&layout, &scene);
    assert_eq!(layers, 0);
    assert_eq!(layered.rgb, render_scene(&layout, &scene).rgb);
}

#[test]
fn later_points_cover_earlier_ones_in_the_layer_too() {
    // Each train point has a test point 1.2 radii to its right, so the test ring runs over the
    // train disc; with outlines, the test ring's white outline cuts into the disc.
    let layout = Layout::new(1600, 1200, 2.0);
    for classification in [false, true] {
        let mut scene = lattice(20, 16, classification);
        let radius = (4.5 * layout.dpr).round();
        let shift = 1.2 * radius * (scene.view.x.1 - scene.view.x.0) / layout.plot_size().0 as f64;
        let n = scene.xs.len();
        for i in 0..n {
            scene.roles[i] = 0;
            scene.xs.push(scene.xs[i] + shift);
            scene.ys.push(scene.ys[i]);
            scene.roles.push(ROLE_TEST);
            if classification {
                scene.classes.push((scene.classes[i] + 1) % 3);
            }
        }
        let vector = render_scene(&layout, &scene);
        let (layered, layers) = render_layered(&layout, &scene);
        assert_eq!(layers, 1);
        for i in 0..n {
            let (cx, cy) = layout.to_pixel(&scene.view.sanitized(), scene.xs[i], scene.ys[i]);
            // On the test ring's left side, inside the train disc: the ring's colour on top.
            let on_ring = (cx.round() + 0.2 * radius, cy.round());
            let ring_colour = scene.point_colour(n + i);
            assert_eq!(vector.at_f(on_ring), ring_colour, "one by one, pair {i}");
            assert_eq!(layered.at_f(on_ring), ring_colour, "in the layer, pair {i}");
        }
        assert_same_marks(&layout, &scene, &vector, &layered);
    }
}

#[test]
fn the_highlight_stays_on_top_and_hidden_points_stay_hidden() {
    let layout = Layout::new(1200, 900, 1.0);
    let mut scene = lattice(24, 28, false);
    // Point 5 (a test point) highlighted; its neighbour 4 pulled under its enlarged ring.
    scene.highlight = Some(5);
    scene.xs[4] = scene.xs[5] - 0.15;
    scene.ys[4] = scene.ys[5];
    let vector = render_scene(&layout, &scene);
    let (layered, layers) = render_layered(&layout, &scene);
    assert_eq!(layers, 1);
    let (cx, cy) = layout.to_pixel(&scene.view, scene.xs[5], scene.ys[5]);
    let big = 4.5 * 1.5;
    for dx in [-big, big] {
        assert_eq!(layered.at_f((cx + dx, cy)), TEST_COLOUR, "the highlighted ring at {dx}");
        assert_eq!(layered.at_f((cx + dx, cy)), vector.at_f((cx + dx, cy)));
    }
    // Hidden test points: neither in the layer nor one by one.
    scene.show_test = false;
    scene.highlight = None;
    let (layered, layers) = render_layered(&layout, &scene);
    assert_eq!(layers, 1);
    assert!(layered.find(TEST_COLOUR).is_empty());
    assert_eq!(
        point_layer(&layout, &scene).map(|l| l.raster.rgba.chunks(4).any(|p| p[..3] == TEST_COLOUR)),
        Some(false)
    );
}

#[test]
fn an_unchanged_layer_is_handed_out_again_and_a_changed_one_is_new() {
    let layout = Layout::new(1200, 900, 1.0);
    let mut scene = lattice(24, 16, false);
    let draw = |scene: &Scene| {
        let mut picture = Picture::white(layout.width, layout.height);
        let mut versions = Vec::new();
        picture
            .draw(|root| {
                draw_scene_layered(root, &layout, scene, false, &mut |layer: &PointLayer| {
                    versions.push(layer.version);
                    Ok(())
                })
            })
            .unwrap();
        versions
    };
    let first = draw(&scene);
    assert_eq!(first.len(), 1);
    // The model's curve changes each frame; the points do not.
    scene.curve = vec![(0.0, 0.0), (24.0, 16.0)];
    assert_eq!(draw(&scene), first);
    // A moved point, a hovered point, hidden test points, another canvas size: a new layer.
    let mut seen = first.clone();
    let mut changed = |scene: &Scene, what: &str| {
        let version = draw(scene)[0];
        assert!(!seen.contains(&version), "{what}: version {version} reused");
        seen.push(version);
    };
    scene.xs[7] += 0.3;
    changed(&scene, "a moved point");
    scene.highlight = Some(3);
    changed(&scene, "a highlight");
    scene.roles[8] |= ROLE_HAND_PLACED;
    changed(&scene, "a hand-placed point");
    // The new layer's pixels follow: the moved point is drawn where it now is.
    let (moved, _) = render_layered(&layout, &scene);
    let (cx, cy) = layout.to_pixel(&scene.view, scene.xs[7], scene.ys[7]);
    assert_eq!(moved.at_f((cx, cy)), render_scene(&layout, &scene).at_f((cx, cy)));
    let (cx, cy) = layout.to_pixel(&scene.view, scene.xs[7] - 0.3, scene.ys[7]);
    assert_eq!(moved.at_f((cx, cy)), BACKGROUND_COLOUR, "nothing left where it was");
}

#[test]
fn a_scene_the_page_keys_as_unchanged_reuses_the_layer_without_its_points() {
    let layout = Layout::new(1200, 900, 1.0);
    let mut scene = lattice(40, 20, true);
    scene.points_key = Some(7);
    let draw = |scene: &Scene| {
        let mut picture = Picture::white(layout.width, layout.height);
        let mut versions = Vec::new();
        picture
            .draw(|root| {
                draw_scene_layered(root, &layout, scene, false, &mut |layer: &PointLayer| {
                    versions.push(layer.version);
                    Ok(())
                })
            })
            .unwrap();
        versions
    };
    let first = draw(&scene);
    assert_eq!(first.len(), 1);
    // The same key: the layer is handed out again without a look at the points (here moved,
    // which the page would have given a new key: the promise is the page's).
    let mut same = scene.clone();
    same.xs.iter_mut().for_each(|x| *x += 0.5);
    same.curve = vec![(0.0, 0.0), (40.0, 20.0)];
    assert_eq!(draw(&same), first);
    // A new key, a highlight, hidden test points or another view: the points are looked at.
    let mut seen = first.clone();
    let mut changed = |scene: &Scene, what: &str| {
        let version = draw(scene)[0];
        assert!(!seen.contains(&version), "{what}: version {version} reused");
        seen.push(version);
    };
    same.points_key = Some(8);
    changed(&same, "a new key");
    same.highlight = Some(3);
    changed(&same, "a highlight");
    same.show_test = false;
    changed(&same, "test points hidden");
    same.view.x.1 += 1.0;
    changed(&same, "another view");
    // Back to a drawn key and picture: the layer now held is for it, so it is reused.
    let again = draw(&same);
    assert_eq!(draw(&same), again);
    // Without a key the points are compared, as before: the same points give the same layer.
    same.points_key = None;
    assert_eq!(draw(&same), again);
    // And the pixels are those of the points: drawing with the key gives the picture without it.
    scene.points_key = Some(9);
    let (keyed, _) = render_layered(&layout, &scene);
    let (keyed_again, _) = render_layered(&layout, &scene);
    assert_eq!(keyed.rgb, keyed_again.rgb);
    scene.points_key = None;
    assert_eq!(render_layered(&layout, &scene).0.rgb, keyed.rgb);
}

#[test]
fn the_layer_is_clipped_to_the_plot() {
    let layout = Layout::new(1200, 900, 1.0);
    let mut scene = lattice(24, 16, false);
    // Shift every point by half a cell: the last column and row sit on the plot's edges.
    scene.xs.iter_mut().for_each(|x| *x += 0.5);
    scene.ys.iter_mut().for_each(|y| *y -= 0.5);
    let PointLayer { raster, x, y, .. } = point_layer(&layout, &scene).unwrap();
    let (x0, y0, x1, y1) = layout.plot;
    assert!(x >= x0 && y >= y0 && x + raster.width as i32 <= x1 && y + raster.height as i32 <= y1);
    let (layered, _) = render_layered(&layout, &scene);
    for colour in [TRAIN_COLOUR, TEST_COLOUR, HAND_OUTLINE_COLOUR] {
        let pixels = layered.find(colour);
        assert!(!pixels.is_empty());
        assert!(pixels.iter().all(|&(x, y)| layout.contains(x as f64, y as f64)), "{colour:?} outside the plot");
    }
    // No point in the plot: no layer.
    scene.xs.iter_mut().for_each(|x| *x += 100.0);
    assert!(point_layer(&layout, &scene).is_none());
    assert!(point_layer(&Layout::new(20, 20, 1.0), &lattice(3, 3, false)).is_none());
}

#[test]
fn dense_clouds_over_a_band_look_the_same() {
    // 3000 overlapping points over the error band: the layer keeps the drawing order, so only
    // antialiased edges differ.
    let layout = Layout::new(1000, 700, 2.0);
    let n = 3000;
    let xs: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1000) as f64 / 100.0 - 5.0).collect();
    let ys: Vec<f64> =
        xs.iter().enumerate().map(|(i, x)| 0.5 * x + ((i * 104_729) % 1000) as f64 / 250.0 - 2.0).collect();
    let scene = Scene {
        view: View { x: (-5.0, 5.0), y: (-6.0, 6.0) },
        roles: (0..n).map(|i| if i % 5 == 0 { ROLE_TEST } else { 0 }).collect(),
        curve: (-50..=50).map(|i| (i as f64 * 0.1, 0.05 * i as f64)).collect(),
        band: Some(1.0),
        xs,
        ys,
        show_test: true,
        ..Scene::default()
    };
    let vector = render_scene(&layout, &scene);
    let (layered, layers) = render_layered(&layout, &scene);
    assert_eq!(layers, 1);
    let (x0, y0, x1, y1) = layout.plot;
    let (mut total, mut different) = (0, 0);
    for y in y0..y1 {
        for x in x0..x1 {
            let (a, b) = (vector.at(x, y), layered.at(x, y));
            total += 1;
            if a.iter().zip(&b).any(|(p, q)| (*p as i32 - *q as i32).abs() > 24) {
                different += 1;
            }
        }
    }
    // About 2% differ (edges); drawing the test rings before the discs would make it over 5%.
    assert!(different * 25 < total, "{different} of {total} pixels differ");
    // The last points drawn lie on top: their centres agree.
    for (i, (cx, cy)) in scene.points_to_draw(&layout).into_iter().rev().take(200) {
        assert_eq!(vector.at(cx, cy), layered.at(cx, cy), "centre of point {i}");
    }
}

/// The sigmoid view as the page draws it with its point layer; also how many layers were composited.
fn render_sigmoid_layered(layout: &Layout, scene: &SigmoidScene) -> (Picture, usize) {
    let mut picture = Picture::white(layout.width, layout.height);
    let mut layers = 0;
    picture
        .draw(|root| {
            let mut composite = |layer: &PointLayer| {
                layers += 1;
                assert_eq!(layer.version, 0, "the sigmoid's layer is made afresh");
                let (raster, x, y) = (&layer.raster, layer.x, layer.y);
                for (i, pixel) in raster.rgba.chunks_exact(4).enumerate() {
                    if pixel[3] > 0 {
                        let at = (x + (i % raster.width as usize) as i32, y + (i / raster.width as usize) as i32);
                        let colour = RGBAColor(pixel[0], pixel[1], pixel[2], pixel[3] as f64 / 255.0);
                        root.draw_pixel(at, &colour).map_err(render_error)?;
                    }
                }
                Ok(())
            };
            draw_sigmoid_layered(root, layout, scene, &mut composite)
        })
        .unwrap();
    (picture, layers)
}

#[test]
fn the_sigmoid_views_many_points_look_the_same_in_a_layer() {
    use crate::render::sigmoid::{z_range_for, MAX_DRAWN};
    let layout = Layout::new(600, 360, 2.0);
    // 100,000 scores (at most MAX_DRAWN drawn), a fifth of them test rings, a few hand-placed.
    let n = 100_000;
    let z: Vec<f64> = (0..n).map(|i| ((i * 7919) % 10_007) as f64 / 10_007.0 * 12.0 - 6.0).collect();
    let classes: Vec<u8> = z.iter().enumerate().map(|(i, &z)| u8::from((z > 0.0) != (i % 9 == 0))).collect();
    let roles = (0..n)
        .map(|i| {
            if i % 5 == 0 {
                ROLE_TEST
            } else if i % 997 == 0 {
                ROLE_HAND_PLACED
            } else {
                0
            }
        })
        .collect();
    let scene = SigmoidScene { z_range: z_range_for(&z), z, classes, roles, highlight: Some(12) };
    let vector = super::testing::render_sigmoid(&layout, &scene);
    let (layered, layers) = render_sigmoid_layered(&layout, &scene);
    assert_eq!(layers, 1);
    let (x0, y0, x1, y1) = layout.plot;
    let (mut total, mut different, mut coloured) = (0, 0, 0);
    for y in y0..y1 {
        for x in x0..x1 {
            let (a, b) = (vector.at(x, y), layered.at(x, y));
            total += 1;
            coloured += usize::from(a.iter().any(|&c| c < 200));
            if a.iter().zip(&b).any(|(p, q)| (*p as i32 - *q as i32).abs() > 24) {
                different += 1;
            }
        }
    }
    // The points cover much of the chart, and only antialiased edges differ (more than on the
    // plot: these are dense rows of outlined rings, nearly all edge).
    assert!(coloured * 10 > total, "{coloured} of {total} pixels coloured");
    assert!(different * 8 < total, "{different} of {total} pixels differ");
    // The last test rings drawn lie on top in both: the middle of the ring is its class's colour.
    let view = scene.view();
    let radius = (4.5 * layout.dpr).round().max(2.0) as i32;
    let tops: Vec<(i32, i32)> = (0..scene.z.len())
        .rev()
        .filter(|&i| i % 5 == 0 && scene.highlight != Some(i))
        .filter_map(|i| scene.position(i))
        .map(|(z, y)| layout.to_pixel(&view, z, y))
        .filter(|&(px, py)| layout.contains(px, py))
        .map(|(px, py)| (px.round() as i32, py.round() as i32))
        .take(100)
        .collect();
    assert_eq!(tops.len(), 100);
    let mut checked = 0;
    for (k, &(cx, cy)) in tops.iter().enumerate() {
        // (where no ring drawn later reaches: their outlines antialias differently)
        if tops[..k].iter().any(|&(x, y)| (x - cx).abs() < 3 * radius && (y - cy).abs() < 3 * radius) {
            continue;
        }
        assert_eq!(vector.at(cx + radius, cy), layered.at(cx + radius, cy), "ring at ({cx}, {cy})");
        checked += 1;
    }
    assert!(checked >= 10, "{checked} rings checked");
    assert!((0..scene.z.len()).filter(|&i| scene.is_drawn(i)).count() <= MAX_DRAWN + MAX_DRAWN / 10);
    // Fewer points than a layer is worth are drawn one by one, exactly as before.
    let few = SigmoidScene {
        z: scene.z[..200].to_vec(),
        classes: scene.classes[..200].to_vec(),
        roles: Vec::new(),
        highlight: None,
        z_range: scene.z_range,
    };
    let (layered, layers) = render_sigmoid_layered(&layout, &few);
    assert_eq!(layers, 0);
    assert_eq!(layered.rgb, super::testing::render_sigmoid(&layout, &few).rgb);
}

/// Times the layer of the page benchmark's 5000 points (`cargo test --release --lib
/// point_layer_timing -- --ignored --nocapture`), against drawing them one by one with plotters
/// on a bitmap (which is not what the canvas costs, but the same work in kind).
#[test]
#[ignore]
fn point_layer_timing() {
    let state: crate::state::State = serde_json::from_str(
        r#"{"data":{"kind":"sine","n":5000,"noise":0.2,"seed":1},
            "model":{"kind":"linear","degree":5,"solver":"gradient_descent","train":{"learning_rate":0.05,"batch_size":0}}}"#,
    )
    .unwrap();
    let mut session = crate::session::Session::new(state).unwrap();
    session.step(1);
    let (scene, _) = session.scene(1600, None);
    let layout = Layout::new(1600, 1000, 2.0);
    let best = |f: &mut dyn FnMut()| {
        (0..9)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    };
    let layer = best(&mut || {
        point_layer(&layout, &scene);
    });
    let raster = point_layer(&layout, &scene).unwrap().raster;
    // A frame whose points did not move: the cached layer, found by comparing the markers.
    let points = scene.points_to_draw(&layout);
    crate::render::point_layer::cached_layer(&layout, crate::render::scene::markers(&scene, &points), None);
    let cached = best(&mut || {
        crate::render::point_layer::cached_layer(
            &layout,
            crate::render::scene::markers(&scene, &scene.points_to_draw(&layout)),
            None,
        );
    });
    let one_by_one = best(&mut || {
        render_scene(&layout, &scene);
    });
    let mut no_points = scene.clone();
    no_points.xs.clear();
    let without = best(&mut || {
        render_scene(&layout, &no_points);
    });
    println!(
        "{} points: layer {layer:.2} ms ({}×{}), again unchanged {cached:.2} ms; bitmap scene one by one \
         {one_by_one:.2} ms, without points {without:.2} ms",
        scene.xs.len(),
        raster.width,
        raster.height
    );
}
