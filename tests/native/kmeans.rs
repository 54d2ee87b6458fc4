//! k-means clustering (`src/model/kmeans.rs`): parity with scikit-learn's
//! `KMeans(init=…, n_init=1, algorithm="lloyd")` computed by this test in python3 (assignments,
//! centroids, inertia and iterations from the same initial centroids), the silhouette score and the
//! adjusted Rand index against `sklearn.metrics`, stepping as fitting, bad settings, and the
//! clustering task through the session (scores, pictures, cross-validation, model file, export).

use ml_playground::data::{gaussian, rng, Dataset, Task};
use ml_playground::evaluate::scoring::ScoreMetric;
use ml_playground::metrics::{adjusted_rand, silhouette};
use ml_playground::model::kmeans::KMeansParams;
use ml_playground::model::{AnyModel, Hyperparams, Model, ModelParams};
use ml_playground::session::{CvSpec, Scores, Session};
use ml_playground::state::State;
use nalgebra::DMatrix;
use serde_json::{json, Value};

use crate::support::python;

/// `n` points around `centres` (row-major, `d` wide), spread `spread`, with their centre's index
/// as class; seeded.
fn blobs(centres: &[f64], d: usize, n: usize, spread: f64, seed: u64) -> Dataset {
    let k = centres.len() / d;
    let mut r = rng(seed);
    let mut x = Vec::with_capacity(n * d);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let c = i % k;
        for j in 0..d {
            x.push(centres[c * d + j] + spread * gaussian(&mut r));
        }
        y.push(c as f64);
    }
    Dataset::from_rows(&x, d, &y, Task::Classification { n_classes: k.max(2) }).unwrap()
}

fn rows(data: &Dataset) -> Vec<Vec<f64>> {
    (0..data.len()).map(|i| data.x.row(i).iter().copied().collect()).collect()
}

const KMEANS_PY: &str = r#"
import json, sys
import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score, adjusted_rand_score
out = []
for case in json.load(sys.stdin):
    X = np.array(case['x'], dtype=float)
    init = np.array(case['init'], dtype=float)
    km = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm='lloyd', max_iter=case['max_iter'], tol=case['tol']).fit(X)
    labels = km.labels_
    sil = float(silhouette_score(X, labels)) if 2 <= len(set(labels)) < len(X) else None
    out.append({'centres': km.cluster_centers_.tolist(), 'labels': labels.tolist(), 'inertia': float(km.inertia_),
                'n_iter': int(km.n_iter_), 'silhouette': sil, 'ari': float(adjusted_rand_score(case['y'], labels))})
print(json.dumps(out))
"#;

#[test]
fn lloyd_from_the_same_centroids_matches_scikit_learn() {
    // (name, data, initial centroids as row indices or explicit points, max_iter, tol)
    let three = blobs(&[-3.0, 0.0, 3.0, 1.0, 0.0, -3.0], 2, 300, 1.2, 1);
    let four_d =
        blobs(&[0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 0.0, 1.0, -2.0, 1.0, 2.0, -1.0, 1.0, -2.0, -2.0, 2.0], 4, 200, 1.0, 2);
    let overlapping = blobs(&[0.0, 0.0, 1.0, 1.0], 2, 150, 1.5, 3);
    let x3 = rows(&three);
    let cases: Vec<(&str, &Dataset, Vec<Vec<f64>>, usize, f64)> = vec![
        ("3 blobs, first rows", &three, vec![x3[0].clone(), x3[1].clone(), x3[2].clone()], 300, 1e-4),
        ("3 blobs, tol 0", &three, vec![x3[10].clone(), x3[13].clone(), x3[16].clone()], 300, 0.0),
        ("3 blobs, 2 iterations", &three, vec![x3[0].clone(), x3[3].clone(), x3[6].clone()], 2, 0.0),
        ("4-D, k = 5", &four_d, rows(&four_d)[..5].to_vec(), 300, 1e-4),
        ("overlapping, k = 6", &overlapping, rows(&overlapping)[20..26].to_vec(), 300, 1e-6),
        // a centroid far from every point: its cluster is empty at once and takes the farthest row
        ("an empty cluster relocated", &three, vec![x3[0].clone(), x3[1].clone(), vec![40.0, 40.0]], 300, 1e-4),
    ];
    let input: Vec<Value> = cases
        .iter()
        .map(|(_, d, init, max_iter, tol)| {
            json!({ "x": rows(d), "y": d.y.as_slice(), "init": init, "max_iter": max_iter, "tol": tol })
        })
        .collect();
    let expected = python(KMEANS_PY, &Value::Array(input));
    for ((name, data, init, max_iter, tol), want) in cases.iter().zip(expected.as_array().unwrap()) {
        let params = KMeansParams {
            n_clusters: init.len() as i64,
            centroids: Some(init.clone()),
            max_iter: *max_iter,
            tol: *tol,
            ..KMeansParams::default()
        };
        let mut model = params.build(1).unwrap();
        model.fit(data).unwrap();
        let (labels, distances) = model.clusters(&data.x).unwrap().unwrap();
        let want_labels: Vec<usize> = serde_json::from_value(want["labels"].clone()).unwrap();
        assert_eq!(labels, want_labels, "{name}: labels");
        let want_centres: Vec<Vec<f64>> = serde_json::from_value(want["centres"].clone()).unwrap();
        let diff = model
            .centroids()
            .iter()
            .flatten()
            .zip(want_centres.iter().flatten())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(diff <= 1e-9, "{name}: centroids differ by {diff:e}");
        let inertia = want["inertia"].as_f64().unwrap();
        assert!(
            (model.inertia() - inertia).abs() <= 1e-9 * inertia.max(1.0),
            "{name}: inertia {} vs {inertia}",
            model.inertia()
        );
        assert!((distances.iter().sum::<f64>() - inertia).abs() <= 1e-9 * inertia.max(1.0), "{name}: objective");
        assert_eq!(model.n_iter() as u64, want["n_iter"].as_u64().unwrap(), "{name}: iterations");
        // the metrics of the same clustering, against sklearn.metrics
        let x: Vec<f64> = rows(data).concat();
        let s = silhouette(&x, data.n_features(), &labels).unwrap();
        assert!((s - want["silhouette"].as_f64().unwrap()).abs() <= 1e-12, "{name}: silhouette {s}");
        let truth: Vec<usize> = data.y.iter().map(|&c| c as usize).collect();
        let ari = adjusted_rand(&truth, &labels);
        assert!((ari - want["ari"].as_f64().unwrap()).abs() <= 1e-12, "{name}: ARI {ari}");
        println!(
            "{name}: {} iterations, centroids within {diff:.1e}, inertia {inertia:.6}, silhouette {s:.6}, ARI {ari:.6}",
            model.n_iter()
        );
    }
}

#[test]
fn silhouette_and_adjusted_rand_match_sklearn_metrics_on_awkward_labellings() {
    let data = blobs(&[0.0, 0.0, 2.0, 0.0, 0.0, 2.0], 2, 60, 1.0, 9);
    let x: Vec<f64> = rows(&data).concat();
    let mut r = rng(4);
    use rand::RngExt;
    // random labels; one with a cluster of a single row; labels with a gap (cluster 2 unused);
    // two clusters only; the classes themselves (ARI 1)
    let mut single: Vec<usize> = (0..60).map(|i| i % 3).collect();
    single[7] = 3;
    let cases: Vec<(Vec<usize>, Vec<usize>)> = vec![
        ((0..60).map(|_| r.random_range(0..4)).collect(), (0..60).map(|i| i % 3).collect()),
        (single, (0..60).map(|i| (i / 7) % 2).collect()),
        ((0..60).map(|i| if i % 3 == 0 { 0 } else { 3 }).collect(), (0..60).map(|i| i % 5).collect()),
        ((0..60).map(|i| i % 2).collect(), (0..60).map(|i| i % 2).collect()),
        ((0..60).map(|i| i % 3).collect(), (0..60).map(|i| (i % 3 + 1) % 3).collect()),
    ];
    let input: Vec<Value> = cases.iter().map(|(a, b)| json!({ "x": rows(&data), "a": a, "b": b })).collect();
    let script = "import json, sys\nimport numpy as np\nfrom sklearn.metrics import silhouette_score, adjusted_rand_score\nprint(json.dumps([[float(silhouette_score(np.array(c['x']), c['a'])), float(adjusted_rand_score(c['a'], c['b']))] for c in json.load(sys.stdin)]))\n";
    let want = python(script, &Value::Array(input));
    for ((a, b), w) in cases.iter().zip(want.as_array().unwrap()) {
        let s = silhouette(&x, 2, a).unwrap();
        let ari = adjusted_rand(a, b);
        assert!((s - w[0].as_f64().unwrap()).abs() <= 1e-12, "silhouette {s} vs {}", w[0]);
        assert!((ari - w[1].as_f64().unwrap()).abs() <= 1e-12, "ARI {ari} vs {}", w[1]);
    }
    // one cluster has no silhouette (scikit-learn raises)
    assert_eq!(silhouette(&x, 2, &[0; 60]), None);
}

#[test]
fn stepping_runs_lloyd_one_iteration_at_a_time_and_ends_where_fit_ends() {
    let data = blobs(&[-3.0, 0.0, 3.0, 1.0, 0.0, -3.0], 2, 300, 1.2, 5);
    for n_init in [1, 3] {
        let params = KMeansParams { n_init, ..KMeansParams::default() };
        let mut fitted = params.build(7).unwrap();
        fitted.fit(&data).unwrap();
        let mut stepped = params.build(7).unwrap();
        let mut r = rng(0);
        stepped.step(&data, &mut r).unwrap();
        // the first step places k-means++ centroids on data points
        let x = rows(&data);
        assert!(stepped.centroids().iter().all(|c| x.contains(c)), "initial centroids are data points");
        let mut inertia = vec![stepped.inertia()];
        let mut steps = 1;
        while !stepped.is_complete() {
            stepped.step(&data, &mut r).unwrap();
            inertia.push(stepped.inertia());
            steps += 1;
            assert!(steps < 1000);
        }
        assert_eq!(stepped.centroids(), fitted.centroids(), "n_init {n_init}");
        assert_eq!(stepped.inertia(), fitted.inertia());
        if n_init == 1 {
            // Lloyd's iterations never raise the inertia
            assert!(inertia.windows(2).all(|w| w[1] <= w[0] + 1e-9), "{inertia:?}");
        }
        // the same seed, the same clustering; another seed may start elsewhere
        let mut again = params.build(7).unwrap();
        again.fit(&data).unwrap();
        assert_eq!(again.centroids(), fitted.centroids());
    }
}

#[test]
fn bad_settings_and_too_few_distinct_points_are_refused_with_a_message() {
    let err = |json: Value| {
        serde_json::from_value::<ModelParams>(json)
            .map_err(|e| e.to_string())
            .and_then(|p| p.check().map_err(|e| e.to_string()))
    };
    let zero = err(json!({ "kind": "kmeans", "n_clusters": 0 })).unwrap_err();
    assert!(zero.contains("n_clusters must be at least 1"), "{zero}");
    let negative = err(json!({ "kind": "kmeans", "n_clusters": -2 })).unwrap_err();
    assert!(negative.contains("n_clusters must be at least 1 (got -2)"), "{negative}");
    let many = err(json!({ "kind": "kmeans", "n_clusters": 1000 })).unwrap_err();
    assert!(many.contains("n_clusters"), "{many}");
    let init = err(json!({ "kind": "kmeans", "n_clusters": 2, "centroids": [[0.0, 1.0]] })).unwrap_err();
    assert!(init.contains("2 rows"), "{init}");
    // five points at three places: k = 4 is refused at fit, k = 3 works
    let data = Dataset::from_rows(&[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 2.0, 2.0, 1.0, 1.0], 2, &[0.0; 5], Task::Regression)
        .unwrap();
    let mut four = KMeansParams { n_clusters: 4, ..KMeansParams::default() }.build(1).unwrap();
    let e = four.fit(&data).unwrap_err();
    assert_eq!(e.code(), "kmeans_k_distinct");
    assert!(e.to_string().contains("only 3 distinct"), "{e}");
    assert!(four.step(&data, &mut rng(1)).is_err());
    let mut three = KMeansParams { n_clusters: 3, ..KMeansParams::default() }.build(1).unwrap();
    three.fit(&data).unwrap();
    assert_eq!(three.inertia(), 0.0);
    // the given centroids must have the data's width
    let mut wide =
        KMeansParams { n_clusters: 1, centroids: Some(vec![vec![0.0, 0.0, 0.0]]), ..KMeansParams::default() }
            .build(1)
            .unwrap();
    assert_eq!(wide.fit(&data).unwrap_err().code(), "kmeans_centroids_width");
}

fn state(data: Value, model: Value) -> State {
    serde_json::from_value(json!({ "data": data, "model": model })).unwrap()
}

#[test]
fn the_clustering_task_through_the_session_scores_draws_cross_validates_and_saves() {
    let blobs3 = json!({ "kind": "blobs", "n": 300, "noise": 0.3, "seed": 3, "classes": 3 });
    let mut s = Session::new(state(blobs3.clone(), json!({ "kind": "kmeans", "n_clusters": 3 }))).unwrap();
    assert!(!s.model().is_trained());
    s.step(1);
    let (scene, raster) = s.scene(10, Some((60, 40)));
    assert_eq!(scene.centroids.len(), 3, "the initial centroids are drawn");
    let first = scene.centroids.clone();
    assert!(raster.is_some(), "the plane is coloured by cluster");
    s.step(1);
    let (scene, _) = s.scene(10, Some((60, 40)));
    assert_ne!(scene.centroids, first, "a Lloyd step moves the centroids");
    assert!(scene.trails.iter().all(|t| t.len() == 2), "each centroid's trail has its two positions");
    s.step(200);
    assert!(s.model().is_complete());
    // each cluster is drawn in the colour of the class it found: centroid j (drawn in class j's
    // colour) lies nearest class j's mean
    let (scene, _) = s.scene(10, Some((60, 40)));
    let data = s.data();
    let mean = |class: usize| {
        let rows: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] as usize == class).collect();
        let m = |j: usize| rows.iter().map(|&i| data.x[(i, j)]).sum::<f64>() / rows.len() as f64;
        (m(0), m(1))
    };
    for (j, &(x, y)) in scene.centroids.iter().enumerate() {
        let nearest = (0..3)
            .min_by(|&a, &b| {
                let d = |c: usize| (mean(c).0 - x).powi(2) + (mean(c).1 - y).powi(2);
                d(a).total_cmp(&d(b))
            })
            .unwrap();
        assert_eq!(nearest, j, "centroid {j} at ({x}, {y}) is drawn in class {j}'s colour");
    }
    let report = s.report();
    assert_eq!(report.loss_name, "inertia");
    let Scores::Clustering(train) = &report.train else { panic!("clustering scores: {:?}", report.train) };
    let objective = s.model().objective(s.train_set()).unwrap();
    assert!((train.inertia - objective).abs() <= 1e-9 * objective);
    let (silhouette, ari) = (train.silhouette.unwrap(), train.adjusted_rand.unwrap());
    assert!(silhouette > 0.5 && ari > 0.9, "well-separated blobs: silhouette {silhouette}, ARI {ari}");
    // the inertia curve: the history falls step by step
    let history = s.history();
    assert!(history.train.windows(2).all(|w| w[1] <= w[0] + 1e-9), "{:?}", history.train);
    let views = serde_json::to_value(s.views()).unwrap();
    assert_eq!(views["elbow"]["ks"], json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    assert_eq!(views["silhouette"]["ks"], json!([2, 3, 4, 5, 6, 7, 8, 9, 10]));
    assert_eq!(views["elbow"]["chosen"], 3);
    let elbow: Vec<f64> = serde_json::from_value(views["elbow"]["values"].clone()).unwrap();
    assert!(elbow[0] > 5.0 * elbow[2], "the elbow at k = 3: {elbow:?}");
    assert!(views["permutation"].is_null() && views["roc"].is_null());

    // cross-validation: the silhouette and inertia of held-out rows, the ARI against their classes
    for metric in [ScoreMetric::Silhouette, ScoreMetric::Inertia, ScoreMetric::AdjustedRand] {
        let spec = CvSpec { k: 3, stratified: true, metric };
        let score = s.cv_fold(&spec, 0).unwrap();
        assert!(score.is_finite(), "{metric:?}");
    }
    let refused = s.cv_fold(&CvSpec { k: 3, stratified: true, metric: ScoreMetric::Accuracy }, 0).unwrap_err();
    assert_eq!(refused.code(), "metric_clustering");

    // the model file comes back with the same clusters; the ONNX export (tests/native/onnx.rs runs it)
    let file = serde_json::to_string(&s.save_model()).unwrap();
    let mut fresh = Session::new(state(blobs3.clone(), json!({ "kind": "kmeans", "n_clusters": 3 }))).unwrap();
    fresh.open_model(serde_json::from_str(&file).unwrap()).unwrap();
    let x = &s.data().x;
    assert_eq!(fresh.model().predict(x).unwrap(), s.model().predict(x).unwrap());
    assert!(s.to_onnx().is_ok());

    // regression data: a clustering of the feature, with no ARI and the ARI metric refused
    let mut r = Session::new(state(
        json!({ "kind": "sine", "n": 100, "seed": 1 }),
        json!({ "kind": "kmeans", "n_clusters": 4 }),
    ))
    .unwrap();
    r.step(100);
    let Scores::Clustering(train) = r.report().train else { panic!("clustering scores on regression data") };
    assert!(train.inertia > 0.0 && train.silhouette.is_some() && train.adjusted_rand.is_none());
    assert!(r.scene(10, Some((40, 30))).1.is_some(), "the plane coloured by the cluster of x");
    let e = r.cv_fold(&CvSpec { k: 3, stratified: false, metric: ScoreMetric::AdjustedRand }, 0).unwrap_err();
    assert_eq!(e.code(), "metric_ari_needs_classes");
    // other families are refused the clustering metrics
    let logistic = Session::new(state(blobs3, json!({ "kind": "logistic" }))).unwrap();
    let e = logistic.cv_fold(&CvSpec { k: 3, stratified: true, metric: ScoreMetric::Silhouette }, 0).unwrap_err();
    assert_eq!(e.code(), "metric_not_clustering");
}

#[test]
fn cross_validated_inertia_is_the_held_out_rows_mean_squared_distance_to_the_training_centroids() {
    use ml_playground::evaluate::cross_validation::cross_validate;
    use ml_playground::evaluate::folds::folds;
    use ml_playground::pipeline::Pipeline;
    let data = blobs(&[-3.0, 0.0, 3.0, 1.0], 2, 120, 1.0, 11);
    let params: ModelParams = serde_json::from_value(json!({ "kind": "kmeans", "n_clusters": 2 })).unwrap();
    let result =
        cross_validate(&params, &data, 4, false, &Pipeline::default(), ScoreMetric::Inertia, 5, &mut |_, _| true)
            .unwrap();
    let folds = folds(&data, 4, false, Some(5)).unwrap();
    for (fold, score) in folds.iter().zip(&result.per_fold) {
        let mut model = params.build(5).unwrap();
        model.fit(&data.select(&fold.train)).unwrap();
        let AnyModel::KMeans(km) = &model else { unreachable!() };
        let test = data.select(&fold.test);
        let by_hand = rows(&test)
            .iter()
            .map(|r| {
                km.centroids()
                    .iter()
                    .map(|c| (r[0] - c[0]).powi(2) + (r[1] - c[1]).powi(2))
                    .fold(f64::INFINITY, f64::min)
            })
            .sum::<f64>()
            / test.len() as f64;
        assert!((score - by_hand).abs() <= 1e-12, "{score} vs {by_hand}");
    }
}

/// Random k-means settings, data, edits and hostile model files through the whole session: only a
/// panic fails (as `tests/native/state_robustness.rs` does for the other families), and an accepted file
/// predicts finite numbers and writes itself back unchanged.
#[test]
fn random_clustering_sessions_and_damaged_files_never_panic() {
    use ml_playground::state::Edit;
    use rand::RngExt;
    let mut r = rng(2026);
    let kinds = ["blobs", "moons", "sine", "circle", "line", "spiral"];
    let metrics = ["silhouette", "inertia", "adjusted_rand", "accuracy"];
    let hostile = ["-1e308", "1e308", "0", "-1", "1e9", "1e-320", "7"];
    for round in 0..60 {
        let k: i64 = [1, 2, 3, 8, 0, -1, 500][r.random_range(0..7)];
        let n = [0, 1, 3, 40, 200][r.random_range(0..5)];
        let test_ratio = [0.0, 0.2, 0.5][r.random_range(0..3)];
        let (n_init, max_iter) = ([1, 3][r.random_range(0..2)], [1, 300][r.random_range(0..2)]);
        let scaling = ["none", "standardize"][r.random_range(0..2)];
        let init = ["k-means++", "random"][r.random_range(0..2)];
        let kind = kinds[r.random_range(0..kinds.len())];
        let seed = r.random_range(0..100);
        let value = json!({
            "data": { "kind": kind, "n": n,
                      "seed": seed, "classes": 3,
                      "scaling": scaling },
            "test_ratio": test_ratio,
            "model": { "kind": "kmeans", "n_clusters": k, "init": init,
                       "n_init": n_init, "max_iter": max_iter },
        });
        let Ok(state) = serde_json::from_value::<State>(value.clone()) else { continue };
        let Ok(mut s) = Session::new(state) else { continue };
        for _ in 0..3 {
            let edit = match r.random_range(0..3) {
                0 => Edit::Add {
                    x: r.random_range(-8.0..8.0),
                    y: r.random_range(-8.0..8.0),
                    label: Some(r.random_range(0..3)),
                },
                1 => Edit::Remove { i: r.random_range(0..50) },
                _ => Edit::Move { i: r.random_range(0..50), x: 0.0, y: 0.0 },
            };
            let _ = s.edit(edit);
        }
        s.step(r.random_range(1..30));
        let _ = (s.scene(32, Some((20, 16))), s.views(), s.report(), s.to_onnx(), s.to_python());
        let metric = metrics[r.random_range(0..metrics.len())];
        if let Ok(spec) = serde_json::from_value::<CvSpec>(json!({ "k": 3, "stratified": false, "metric": metric })) {
            let _ = s.cv_fold(&spec, 0);
        }
        let file = serde_json::to_string(s.model()).unwrap();
        let mut files = vec![file.clone()];
        for with in hostile {
            let at: Vec<usize> = file.match_indices(|c: char| c.is_ascii_digit()).map(|(i, _)| i).collect();
            let Some(&start) = at.get(r.random_range(0..at.len().max(1))) else { break };
            if start > 0 && matches!(file.as_bytes()[start - 1], b'0'..=b'9' | b'a'..=b'z' | b'.' | b'-' | b'_' | b'+')
            {
                continue;
            }
            let end = start + file[start..].find([',', ']', '}']).unwrap_or(0);
            files.push(format!("{}{with}{}", &file[..start], &file[end..]));
        }
        for (n, text) in files.iter().enumerate() {
            let Ok(model) = serde_json::from_str::<AnyModel>(text) else { continue };
            if model.validate().is_err() {
                assert!(n > 0, "round {round}: the session's own file is refused: {text}");
                continue;
            }
            if model.is_trained() {
                let width = s.data().n_features().max(1);
                if let Ok(p) = model.predict(&DMatrix::from_fn(3, width, |i, j| (i + j) as f64 - 1.5)) {
                    assert!(p.iter().all(|v| v.is_finite()), "round {round}: {text}");
                }
            }
            let written = serde_json::to_string(&model).unwrap();
            let again: AnyModel = serde_json::from_str(&written).unwrap();
            assert_eq!(serde_json::to_string(&again).unwrap(), written, "round {round}");
        }
    }
}
