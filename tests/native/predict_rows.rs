//! `Model::predict_rows` (the batch path of the JS API's `predict`: row-major rows in, row-major
//! answers out) gives, for every registered family and every task it serves, what `predict`
//! gives for each row on its own: over several blocks of rows (more than `ROW_BLOCK`), on three
//! features and three classes (so a swapped row and column would show), including rows far
//! outside the training data. Ragged input and a wrong feature count are refused as `predict`
//! refuses them; no rows give no answers.

use ml_playground::data::{Dataset, Task};
use ml_playground::model::{describe::TaskKind, families, Model, ModelParams, ROW_BLOCK};
use nalgebra::DMatrix;
use serde_json::Value;

const D: usize = 3;

/// `n` rows of three features in about [-4, 4] (a fixed scramble, no RNG), row-major.
fn features(n: usize, salt: usize) -> Vec<f64> {
    (0..n * D).map(|i| (((i + salt) * 7919 % 1009) as f64 / 1009.0 - 0.5) * 8.0).collect()
}

fn data(task: TaskKind) -> Dataset {
    let n = 240;
    let x = features(n, 0);
    let score = |i: usize| x[D * i].sin() + 0.4 * x[D * i + 1] - 0.2 * x[D * i + 2];
    match task {
        TaskKind::Regression => {
            let y: Vec<f64> = (0..n).map(score).collect();
            Dataset::from_rows(&x, D, &y, Task::Regression).unwrap()
        }
        _ => {
            let y: Vec<f64> =
                (0..n).map(|i| (score(i) > -0.5) as usize as f64 + (score(i) > 0.8) as usize as f64).collect();
            Dataset::from_rows(&x, D, &y, Task::Classification { n_classes: 3 }).unwrap()
        }
    }
}

/// The family's default params, made quicker to train where they have these fields.
fn quick_params(kind: &str) -> ModelParams {
    let mut v = serde_json::to_value(ModelParams::default_of(kind).unwrap()).unwrap();
    if let Value::Object(o) = &mut v {
        for (key, value) in [("n_estimators", 12), ("max_epochs", 25), ("members", 2), ("n_clusters", 4)] {
            if o.contains_key(key) {
                o.insert(key.into(), value.into());
            }
        }
    }
    serde_json::from_value(v).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn predict_rows_equals_predict_row_by_row_for_every_family() {
    let n = ROW_BLOCK * 2 + 37;
    let mut rows = features(n, 17);
    // a few rows far outside the data
    rows[..D].copy_from_slice(&[1e6, -1e6, 0.0]);
    rows[D..2 * D].copy_from_slice(&[-50.0, 75.0, 1e-300]);
    let mut checked = Vec::new();
    for family in families() {
        for task in family.tasks.iter().copied() {
            let data = data(task);
            let mut model = quick_params(family.kind).build(5).unwrap();
            model.fit(&data).unwrap_or_else(|e| panic!("{} on {task:?}: {e}", family.kind));
            let got = model.predict_rows(&rows, D).unwrap();
            let whole = model.predict(&DMatrix::from_row_slice(n, D, &rows)).unwrap();
            let k = whole.ncols();
            assert_eq!(got.len(), n * k, "{} on {task:?}", family.kind);
            for i in 0..n {
                let one = model.predict(&DMatrix::from_row_slice(1, D, &rows[i * D..(i + 1) * D])).unwrap();
                assert_eq!(one.ncols(), k);
                for c in 0..k {
                    assert!(
                        close(got[i * k + c], one[(0, c)]),
                        "{} on {task:?}: row {i} output {c}: {} ≠ {}",
                        family.kind,
                        got[i * k + c],
                        one[(0, c)]
                    );
                    assert!(
                        close(got[i * k + c], whole[(i, c)]),
                        "{} on {task:?}: row {i} output {c} (batch)",
                        family.kind
                    );
                }
            }
            // no rows: no answers; a wrong width or ragged rows: refused like `predict`
            assert_eq!(model.predict_rows(&[], D).unwrap(), Vec::<f64>::new(), "{}", family.kind);
            assert!(model.predict_rows(&rows[..4 * 2], 2).is_err(), "{}: 2 features accepted", family.kind);
            assert!(
                model.predict(&DMatrix::from_row_slice(4, 2, &rows[..8])).is_err(),
                "{}: predict on 2 features",
                family.kind
            );
            assert!(model.predict_rows(&rows[..D + 1], D).is_err(), "{}: ragged rows accepted", family.kind);
            assert!(model.predict_rows(&rows[..D], 0).is_err(), "{}: 0 features accepted", family.kind);
            checked.push(format!("{}/{task:?}", family.kind));
        }
    }
    // every family was checked (the registry has eleven), with both tasks where it serves both
    assert!(checked.len() >= 11, "{checked:?}");
    for kind in ["linear", "logistic", "tree", "mlp", "knn", "naive_bayes", "forest", "boosting", "svm", "kmeans"] {
        assert!(checked.iter().any(|c| c.starts_with(&format!("{kind}/"))), "{kind} not checked: {checked:?}");
    }
}

#[test]
fn an_untrained_model_answers_predict_rows_as_predict() {
    let rows = features(10, 3);
    for family in families() {
        let model = quick_params(family.kind).build(1).unwrap();
        let batch = model.predict(&DMatrix::from_row_slice(10, D, &rows));
        let got = model.predict_rows(&rows, D);
        match (batch, got) {
            (Ok(want), Ok(got)) => {
                let k = want.ncols();
                assert_eq!(got.len(), 10 * k, "{}", family.kind);
                for i in 0..10 {
                    for c in 0..k {
                        assert!(close(got[i * k + c], want[(i, c)]), "{}: row {i}", family.kind);
                    }
                }
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", family.kind),
            (a, b) => panic!("{}: predict {:?}, predict_rows {:?}", family.kind, a.is_ok(), b.is_ok()),
        }
    }
}

/// A missing value in a later block: `predict_rows` answers as `predict` on all the rows at once,
/// the row it names counted from the first row (the blocks once named it from their own start).
#[test]
fn a_missing_value_past_the_first_block_is_named_by_its_row_as_predict_names_it() {
    let n = ROW_BLOCK * 2 + 10;
    let bad = ROW_BLOCK + 5;
    let mut rows = features(n, 29);
    rows[bad * D + 1] = f64::NAN;
    for family in families() {
        let task = family.tasks[0];
        let mut model = quick_params(family.kind).build(5).unwrap();
        model.fit(&data(task)).unwrap();
        let whole = model.predict(&DMatrix::from_row_slice(n, D, &rows));
        let got = model.predict_rows(&rows, D);
        match (whole, got) {
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string(), "{}", family.kind);
                assert!(a.to_string().contains(&(bad + 1).to_string()), "{}: {a}", family.kind);
            }
            (Ok(want), Ok(got)) => {
                let k = want.ncols();
                assert!((0..n * k).all(|j| close(got[j], want[(j / k, j % k)]) || got[j].is_nan()), "{}", family.kind);
            }
            (a, b) => panic!("{}: predict {:?}, predict_rows {:?}", family.kind, a.err(), b.err()),
        }
    }
}

/// Logistic regression's batch path has its own ways for two classes (σ of one score) and for
/// more (softmax), and for features that are the inputs themselves (read in place) or a feature
/// map (squares, products, sines, monomials): each gives `predict`'s numbers, to the bit, over
/// several blocks.
#[test]
fn logistic_predict_rows_equals_predict_for_two_and_three_classes_with_and_without_a_feature_map() {
    use ml_playground::data::features::FeatureMap;
    use ml_playground::model::logistic::LogisticParams;
    use ml_playground::model::Hyperparams;
    let n = ROW_BLOCK + 300;
    let rows = features(n, 41);
    let map = FeatureMap { degree: 4, ..FeatureMap::all() };
    let mut seen = 0;
    for classes in [2, 3] {
        let x = features(240, 0);
        let y: Vec<f64> =
            (0..240).map(|i| ((x[D * i] + 0.5 * x[D * i + 1]).abs() * 0.6) as usize as f64 % classes as f64).collect();
        let data = Dataset::from_rows(&x, D, &y, Task::Classification { n_classes: classes }).unwrap();
        for features_used in [FeatureMap::default(), map] {
            let mut model = LogisticParams { features: features_used, ..LogisticParams::default() }.build(1).unwrap();
            model.fit(&data).unwrap();
            let got = model.predict_rows(&rows, D).unwrap();
            let want = model.predict(&DMatrix::from_row_slice(n, D, &rows)).unwrap();
            let k = want.ncols();
            assert_eq!(k, classes.max(2));
            assert_eq!(got.len(), n * k);
            for i in 0..n {
                for c in 0..k {
                    assert_eq!(
                        got[i * k + c].to_bits(),
                        want[(i, c)].to_bits(),
                        "{classes} classes, row {i}, class {c}"
                    );
                }
                let sum: f64 = got[i * k..(i + 1) * k].iter().sum();
                assert!((sum - 1.0).abs() < 1e-12, "row {i} sums to {sum}");
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 4);
}

/// Linear regression's batch path on two inputs (the plane's case, with a loop of its own for
/// degree 1) gives `predict`'s numbers to the bit, for degree 1 and 3, over several blocks.
#[test]
fn linear_predict_rows_on_two_features_equals_predict() {
    let n = ROW_BLOCK + 300;
    let rows: Vec<f64> = (0..n * 2).map(|i| ((i * 7919 % 1013) as f64 / 1013.0 - 0.5) * 12.0).collect();
    let x: Vec<f64> = (0..200 * 2).map(|i| ((i * 613 % 997) as f64 / 997.0 - 0.5) * 8.0).collect();
    let y: Vec<f64> = (0..200).map(|i| 0.7 * x[2 * i] - 0.4 * x[2 * i + 1] + 0.3 * x[2 * i].sin() + 0.5).collect();
    let data = Dataset::from_rows(&x, 2, &y, Task::Regression).unwrap();
    for degree in [1, 3] {
        let params: ModelParams =
            serde_json::from_value(serde_json::json!({ "kind": "linear", "degree": degree })).unwrap();
        let mut model = params.build(1).unwrap();
        model.fit(&data).unwrap();
        let got = model.predict_rows(&rows, 2).unwrap();
        let want = model.predict(&DMatrix::from_row_slice(n, 2, &rows)).unwrap();
        assert_eq!(got.len(), n);
        for i in 0..n {
            assert_eq!(
                got[i].to_bits(),
                want[(i, 0)].to_bits(),
                "degree {degree}, row {i}: {} ≠ {}",
                got[i],
                want[(i, 0)]
            );
        }
    }
}

/// `label_rows` (the JS API's `predictLabels`): for every classifier and for k-means, the index of
/// each row's largest `predict_rows` value (ties to the first); a regression has none. k-means' labels are also scikit-learn's `KMeans.predict` with
/// the same centres, computed by python3 here.
#[test]
fn label_rows_are_the_largest_output_of_predict_rows_and_k_means_labels_are_sklearns() {
    let n = ROW_BLOCK + 61;
    let rows = features(n, 29);
    let mut checked = Vec::new();
    for family in families() {
        for task in family.tasks.iter().copied() {
            let mut model = quick_params(family.kind).build(3).unwrap();
            model.fit(&data(task)).unwrap();
            let labels = model.label_rows(&rows, D).unwrap();
            let values = model.predict_rows(&rows, D).unwrap();
            let k = values.len() / n;
            if k < 2 {
                assert_eq!(labels, None, "{} on {task:?}: a regression has no labels", family.kind);
                continue;
            }
            let labels = labels.unwrap_or_else(|| panic!("{} on {task:?}: no labels", family.kind));
            assert_eq!(labels.len(), n);
            for (i, &label) in labels.iter().enumerate() {
                let row = &values[i * k..(i + 1) * k];
                let best = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let first = row.iter().position(|&v| v == best).unwrap();
                assert_eq!(label as usize, first, "{} on {task:?}: row {i} {row:?}", family.kind);
            }
            assert_eq!(model.label_rows(&[], D).unwrap(), Some(vec![]), "{}", family.kind);
            assert!(model.label_rows(&rows[..D + 1], D).is_err(), "{}: ragged rows accepted", family.kind);
            checked.push(family.kind);
        }
    }
    for kind in ["logistic", "tree", "mlp", "knn", "naive_bayes", "forest", "boosting", "svm", "kmeans"] {
        assert!(checked.contains(&kind), "{kind} not checked: {checked:?}");
    }

    // on the plane (its own loop): the labels `assign` gives (training's sums)
    let plane: Vec<f64> = features(n, 3).chunks(D).flat_map(|r| [r[0], r[1]]).collect();
    let y = vec![0.0; n];
    let mut flat = quick_params("kmeans").build(3).unwrap();
    flat.fit(&Dataset::from_rows(&plane, 2, &y, Task::Regression).unwrap()).unwrap();
    let centres: Vec<f64> = match &flat {
        ml_playground::model::AnyModel::KMeans(m) => m.centroids().concat(),
        _ => unreachable!("k-means was built"),
    };
    let (want, _) = ml_playground::model::kmeans::assign(&plane, 2, &centres);
    let got = flat.label_rows(&plane, 2).unwrap().unwrap();
    assert_eq!(got.iter().map(|&l| l as usize).collect::<Vec<_>>(), want);
    assert!(want.iter().any(|&l| l != want[0]), "one cluster only");

    // k-means against scikit-learn
    let mut model = quick_params("kmeans").build(3).unwrap();
    let train = data(TaskKind::Classification);
    model.fit(&train).unwrap();
    let centres = match &model {
        ml_playground::model::AnyModel::KMeans(m) => m.centroids(),
        _ => unreachable!("k-means was built"),
    };
    // (not on rows equidistant from two centres: scikit-learn sums ‖x‖² − 2x·c + ‖c‖², which
    // breaks such ties by rounding; ours sum (x − c)² and take the first centre)
    let probe = rows;
    let got = model.label_rows(&probe, D).unwrap().unwrap();
    let want = crate::support::python(
        "import json,sys,numpy as np\nfrom sklearn.cluster import KMeans\nv=json.load(sys.stdin)\nc=np.array(v['centres'])\n\
         m=KMeans(n_clusters=len(c),init=c,n_init=1,max_iter=1).fit(c)\nm.cluster_centers_=c\n\
         print(json.dumps(m.predict(np.array(v['rows']).reshape(-1,len(c[0]))).tolist()))",
        &serde_json::json!({ "centres": centres, "rows": probe }),
    );
    let want: Vec<u32> = serde_json::from_value(want).unwrap();
    assert_eq!(got, want);
}
