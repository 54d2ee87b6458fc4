//! The session computes the decision surface a band of rows at a time (so a wasm instance's
//! memory, which only grows, never holds k probabilities per pixel of a whole full-resolution
//! plot; issue 15's embeds). The picture must not change: for every family, on two and three
//! classes, the session's raster and boundary lines equal those painted from the probabilities of
//! the whole grid at once (`grid_probabilities` + `decision_surface`), for sizes that split into
//! several bands, with a last band of two rows or more. (Three classes keep one band: their
//! boundaries need every class's probability; the test checks they are unchanged too.)

use ml_playground::evaluate::grid::grid_probabilities;
use ml_playground::render::raster::decision_surface;
use ml_playground::render::surface::grid_axes;
use ml_playground::session::Session;
use ml_playground::state::State;

const MODELS: &[&str] = &[
    r#"{"kind":"logistic"}"#,
    r#"{"kind":"tree"}"#,
    r#"{"kind":"mlp"}"#,
    r#"{"kind":"knn","n_neighbors":5}"#,
    r#"{"kind":"naive_bayes"}"#,
    r#"{"kind":"forest"}"#,
    r#"{"kind":"boosting"}"#,
    r#"{"kind":"svm","kernel":"rbf","c":1}"#,
    r#"{"kind":"svm","kernel":"poly","degree":3,"c":1}"#,
    r#"{"kind":"ensemble"}"#,
];

const DATA: &[&str] =
    &[r#"{"kind":"moons","n":200,"noise":0.2,"seed":2}"#, r#"{"kind":"blobs","n":150,"classes":3,"seed":1}"#];

#[test]
fn the_surface_computed_in_bands_of_rows_is_the_whole_grids_picture() {
    // 65,536 pixels a band: 700 wide is 93 rows a band; 187 rows leave one row over (joined to
    // the last band), 200 rows a last band of 14
    for &(w, h) in &[(700u32, 187u32), (700, 200), (64, 48)] {
        for data in DATA {
            for model in MODELS {
                let state: State = serde_json::from_str(&format!(r#"{{"data":{data},"model":{model}}}"#)).unwrap();
                let mut s = Session::new(state).unwrap();
                s.step(50);
                let (scene, raster) = s.scene(10, Some((w, h)));
                let raster = raster.unwrap_or_else(|| panic!("{model} on {data}: no surface"));
                let k = scene.n_classes;
                let (xs, ys) = grid_axes(&scene.view, w as usize, h as usize);
                let whole = grid_probabilities(s.model(), &xs, &ys, k).expect("the whole grid's probabilities");
                let (expected, contours) = decision_surface(&whole, k, w, h, &scene.view);
                let rows = (65_536 / w as usize).max(2);
                let mut banded = Vec::new();
                for r in ys.chunks(rows) {
                    if r.len() >= 2 {
                        banded.extend(grid_probabilities(s.model(), &xs, r, k).unwrap());
                    }
                }
                let gap = banded.iter().zip(&whole).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
                assert!(gap <= 1e-15, "{model} on {data} at {w}×{h}: probabilities of a band differ by {gap:e}");
                assert!(raster.rgba == expected.rgba, "{model} on {data} at {w}×{h}: the raster differs");
                // the same lines; boosting's box sums add in another order within a band, so its
                // probabilities can differ in the last bit (≤ 1e-15) and a vertex by as little
                let shape = |c: &[Vec<(f64, f64)>]| c.iter().map(Vec::len).collect::<Vec<_>>();
                assert_eq!(
                    shape(&scene.contours),
                    shape(&contours),
                    "{model} on {data} at {w}×{h}: the boundaries differ"
                );
                let moved = scene
                    .contours
                    .iter()
                    .flatten()
                    .zip(contours.iter().flatten())
                    .map(|(a, b)| (a.0 - b.0).abs().max((a.1 - b.1).abs()))
                    .fold(0.0, f64::max);
                assert!(moved <= 1e-12, "{model} on {data} at {w}×{h}: a boundary moved by {moved:e}");
                assert!(!contours.is_empty(), "{model} on {data}: a boundary is drawn");
            }
        }
    }
}
