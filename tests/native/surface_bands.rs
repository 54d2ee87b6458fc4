//! The session computes the decision surface a band of rows at a time and hands each band's
//! colours out (so a wasm instance's memory, which only grows, never holds the probabilities, the
//! colours or the winners of a whole full-resolution plot; issue 15's embeds). The picture must
//! not change: for every family, on two and three classes, the session's raster equals the one
//! painted from the probabilities of the whole grid at once (`grid_probabilities` +
//! `decision_surface`), and its boundary lines equal those traced from the bands' probabilities
//! put together, for sizes that split into several bands, with a last band of two rows or more.
//! (The bands' probabilities equal the whole grid's to 1e-15: boosting sums its boxes in another
//! order within a band, and where two of three classes tie a last-bit difference can add or
//! split a line along the tie, so the lines are compared with the bands' own probabilities.)

use ml_playground::evaluate::grid::grid_probabilities;
use ml_playground::render::raster::{decision_surface, Raster};
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
                let (expected, _) = decision_surface(&whole, k, w, h, &scene.view);
                // the session's bands: 65,536 pixels, a last row alone joined to the band before
                let rows = (65_536 / w as usize).max(2);
                let mut banded = Vec::new();
                let mut start = 0;
                while start < ys.len() {
                    let mut end = (start + rows).min(ys.len());
                    if ys.len() - end == 1 {
                        end = ys.len();
                    }
                    banded.extend(grid_probabilities(s.model(), &xs, &ys[start..end], k).unwrap());
                    start = end;
                }
                assert_eq!(banded.len(), whole.len());
                let gap = banded.iter().zip(&whole).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
                assert!(gap <= 1e-15, "{model} on {data} at {w}×{h}: probabilities of a band differ by {gap:e}");
                assert!(raster.rgba == expected.rgba, "{model} on {data} at {w}×{h}: the raster differs");
                let (_, contours) = decision_surface(&banded, k, w, h, &scene.view);
                assert!(scene.contours == contours, "{model} on {data} at {w}×{h}: the boundaries differ");
                assert!(!contours.is_empty(), "{model} on {data}: a boundary is drawn");
            }
        }
    }
}

/// The compare view's maps (the Compress panel's; the time machine's pin shares the painting) are
/// painted a band of rows at a time too: the same pixels as the whole grid's probabilities painted at once, on
/// two and three classes, at sizes of several bands (one with a last row joined to the band
/// before).
#[test]
fn the_compare_maps_in_bands_are_the_whole_grids_pictures() {
    use ml_playground::compress::setup::Operation;
    use ml_playground::model::AnyModel;
    use ml_playground::render::geometry::View;
    use ml_playground::render::raster::{difference_map, surface};
    let prune: Operation = serde_json::from_str(r#"{"kind":"prune","sparsity":0.8}"#).unwrap();
    fn whole(a: &AnyModel, b: &AnyModel, k: usize, view: &View, w: u32, h: u32) -> [Raster; 3] {
        let (xs, ys) = grid_axes(view, w as usize, h as usize);
        let pa = grid_probabilities(a, &xs, &ys, k).unwrap();
        let pb = grid_probabilities(b, &xs, &ys, k).unwrap();
        [surface(&pa, k, w, h), surface(&pb, k, w, h), difference_map(&pa, &pb, k, w, h)]
    }
    for data in DATA {
        let state: State = serde_json::from_str(&format!(
            r#"{{"data":{data},"seed":1,"model":{{"kind":"mlp","hidden_layers":[{{"neurons":16,"activation":"tanh"}}]}}}}"#
        ))
        .unwrap();
        let mut s = Session::new(state).unwrap();
        s.step(30);
        s.compress(prune.clone()).unwrap();
        let k = s.scene(10, None).0.n_classes;
        let view = s.scene(10, None).0.view;
        for &(w, h) in &[(700u32, 187u32), (700, 200), (64, 48)] {
            let c = s.compressed().unwrap();
            let expected = whole(&c.original, &c.model, k, &view, w, h);
            let maps = s.compare_surfaces(w, h).unwrap();
            for (i, (got, want)) in maps.iter().zip(&expected).enumerate() {
                assert!(got.rgba == want.rgba, "{data} at {w}×{h}: compare map {i} differs");
            }
            assert_ne!(maps[2].rgba, Raster::new(w, h).rgba, "{data}: the difference map shows something");
        }
        // a size past the limit is refused before anything is made (a 40 GB raster would abort)
        assert!(s.compare_surfaces(100_000, 100_000).is_none());
        assert!(s.scene(10, Some((100_000, 100_000))).1.is_none());
    }
}
