//! k nearest neighbours (`src/model/knn.rs`): parity with scikit-learn's `KNeighborsClassifier` /
//! `KNeighborsRegressor`, the k-d tree against brute force, tie-breaking, bad parameters and
//! damaged model files.

use ml_playground::data::{gaussian, rng, Dataset, Task};
use ml_playground::model::knn::{KnnParams, Weights};
use ml_playground::model::{AnyModel, Hyperparams, Model, ModelParams};
use nalgebra::DMatrix;
use serde_json::json;

// Reference data and numbers from scikit-learn 1.9.1 (`python3 tests/parity/knn.py`, which
// prints this block): 12 training points in 2-D, 3 classes and regression targets, 6 queries (the
// last one is training point 3 itself, so distance weights meet a zero distance), n_neighbors = 4,
// algorithm = 'kd_tree'. Each case: weights, p, neighbour indices, distances, predict_proba and
// the regressor's predict.
const X: [f64; 24] = [
    1.7641, 0.4002, 0.9787, 2.2409, 1.8676, -0.9773, 0.9501, -0.1514, -0.1032, 0.4106, 0.144, 1.4543, 0.761, 0.1217,
    0.4439, 0.3337, 1.4941, -0.2052, 0.3131, -0.8541, -2.553, 0.6536, 0.8644, -0.7422,
];
const Y_CLASS: [f64; 12] = [0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 1.0, 1.0, 0.0];
const Y_REG: [f64; 12] =
    [2.2698, -1.4544, 0.0458, -0.1872, 1.5328, 1.4694, 0.1549, 0.3782, -0.8878, -1.9808, -0.3479, 0.1563];
const Q: [f64; 12] =
    [1.2303, 1.2024, -0.3873, -0.3023, -1.0486, -1.42, -1.7063, 1.9508, -0.5097, -0.4381, 0.9501, -0.1514];

type Case = (&'static str, f64, [f64; 24], [f64; 24], [f64; 18], [f64; 6]);
const CASES: [Case; 6] = [
    // p = 1, weights = uniform
    (
        "uniform",
        1.0,
        [
            1.0, 0.0, 5.0, 6.0, 4.0, 9.0, 7.0, 3.0, 9.0, 11.0, 4.0, 7.0, 10.0, 5.0, 1.0, 4.0, 9.0, 4.0, 11.0, 7.0, 3.0,
            6.0, 8.0, 11.0,
        ],
        [
            1.2900999999999998,
            1.3359999999999999,
            1.3382,
            1.5499999999999998,
            0.9970000000000001,
            1.2521999999999998,
            1.4672,
            1.4883,
            1.9276,
            2.5907999999999998,
            2.776,
            3.2462,
            2.1439000000000004,
            2.3468,
            2.9751,
            3.1433,
            1.2388,
            1.2552,
            1.6782,
            1.7254,
            0.0,
            0.46219999999999994,
            0.5978,
            0.6765,
        ],
        [0.5, 0.25, 0.25, 0.25, 0.75, 0.0, 0.25, 0.75, 0.0, 0.0, 0.75, 0.25, 0.25, 0.75, 0.0, 0.75, 0.0, 0.25],
        [0.609925, -0.06425, 0.021624999999999978, 0.29997500000000005, 0.021625000000000005, -0.19095],
    ),
    // p = 1, weights = distance
    (
        "distance",
        1.0,
        [
            1.0, 0.0, 5.0, 6.0, 4.0, 9.0, 7.0, 3.0, 9.0, 11.0, 4.0, 7.0, 10.0, 5.0, 1.0, 4.0, 9.0, 4.0, 11.0, 7.0, 3.0,
            6.0, 8.0, 11.0,
        ],
        [
            1.2900999999999998,
            1.3359999999999999,
            1.3382,
            1.5499999999999998,
            0.9970000000000001,
            1.2521999999999998,
            1.4672,
            1.4883,
            1.9276,
            2.5907999999999998,
            2.776,
            3.2462,
            2.1439000000000004,
            2.3468,
            2.9751,
            3.1433,
            1.2388,
            1.2552,
            1.6782,
            1.7254,
            0.0,
            0.46219999999999994,
            0.5978,
            0.6765,
        ],
        [
            0.4779254507125308,
            0.26581446633051453,
            0.2562600829569546,
            0.21296044813501527,
            0.7870395518649848,
            0.0,
            0.2453721293627607,
            0.7546278706372392,
            0.0,
            0.0,
            0.7245223319838977,
            0.2754776680161023,
            0.21439259477705122,
            0.7856074052229488,
            0.0,
            1.0,
            0.0,
            0.0,
        ],
        [
            0.6068355642556112,
            0.027747338917652367,
            -0.1898251980191172,
            0.2990911039576343,
            -0.0235577471284849,
            -0.1872,
        ],
    ),
    // p = 2, weights = uniform
    (
        "uniform",
        2.0,
        [
            0.0, 1.0, 5.0, 7.0, 4.0, 9.0, 7.0, 6.0, 9.0, 11.0, 4.0, 7.0, 10.0, 5.0, 4.0, 7.0, 9.0, 4.0, 7.0, 6.0, 3.0,
            6.0, 8.0, 11.0,
        ],
        [
            0.963570070103882,
            1.0685433121778452,
            1.1151238944619561,
            1.1717784133529683,
            0.7674237551705055,
            0.8916520621856935,
            1.0466085419104891,
            1.2240787923985939,
            1.4746083208771066,
            2.029527491806898,
            2.0603100543364827,
            2.3028286822948854,
            1.5490735069711832,
            1.9157563362807912,
            2.2230937114750695,
            2.6904223553189563,
            0.9219847287238547,
            0.941028129228877,
            1.2267959080466482,
            1.388544032431093,
            0.0,
            0.33217829549806527,
            0.5466538575735106,
            0.5969833582270112,
        ],
        [0.25, 0.5, 0.25, 0.25, 0.75, 0.0, 0.25, 0.75, 0.0, 0.0, 0.75, 0.25, 0.25, 0.75, 0.0, 0.75, 0.0, 0.25],
        [0.6657500000000001, 0.02127500000000001, 0.021624999999999978, 0.758125, 0.02127500000000001, -0.19095],
    ),
    // p = 2, weights = distance
    (
        "distance",
        2.0,
        [
            0.0, 1.0, 5.0, 7.0, 4.0, 9.0, 7.0, 6.0, 9.0, 11.0, 4.0, 7.0, 10.0, 5.0, 4.0, 7.0, 9.0, 4.0, 7.0, 6.0, 3.0,
            6.0, 8.0, 11.0,
        ],
        [
            0.963570070103882,
            1.0685433121778452,
            1.1151238944619561,
            1.1717784133529683,
            0.7674237551705055,
            0.8916520621856935,
            1.0466085419104891,
            1.2240787923985939,
            1.4746083208771066,
            2.029527491806898,
            2.0603100543364827,
            2.3028286822948854,
            1.5490735069711832,
            1.9157563362807912,
            2.2230937114750695,
            2.6904223553189563,
            0.9219847287238547,
            0.941028129228877,
            1.2267959080466482,
            1.388544032431093,
            0.0,
            0.33217829549806527,
            0.5466538575735106,
            0.5969833582270112,
        ],
        [
            0.27869382514986635,
            0.4804889616500292,
            0.24081721320010455,
            0.1946495698902112,
            0.8053504301097888,
            0.0,
            0.2356992469669101,
            0.76430075303309,
            0.0,
            0.0,
            0.7375692271667251,
            0.2624307728332749,
            0.1955628896540731,
            0.8044371103459269,
            0.0,
            1.0,
            0.0,
            0.0,
        ],
        [
            0.7075970002691575,
            0.06284024683071172,
            -0.17128112222960948,
            0.6900211415222135,
            -0.02707697598554934,
            -0.1872,
        ],
    ),
    // p = 3, weights = uniform
    (
        "uniform",
        3.0,
        [
            0.0, 1.0, 7.0, 5.0, 4.0, 9.0, 7.0, 6.0, 9.0, 4.0, 11.0, 7.0, 10.0, 5.0, 4.0, 7.0, 9.0, 4.0, 7.0, 6.0, 3.0,
            6.0, 8.0, 11.0,
        ],
        [
            0.8743098344866836,
            1.0433994838463945,
            1.0452193513261776,
            1.0907964243657229,
            0.72763298947502,
            0.7997927525110674,
            0.9403567694056721,
            1.167254682891142,
            1.3935290074025288,
            1.9110617622351644,
            1.9409526550056095,
            2.058132940573808,
            1.4077519863840877,
            1.8621406619131342,
            1.9809475197134896,
            2.419851852496532,
            0.8568202227172664,
            0.8787113248378028,
            1.0988696744169688,
            1.3059294943271949,
            0.0,
            0.30048357145076965,
            0.5441753427437489,
            0.5914004804907145,
        ],
        [0.25, 0.5, 0.25, 0.25, 0.75, 0.0, 0.25, 0.75, 0.0, 0.0, 0.75, 0.25, 0.25, 0.75, 0.0, 0.75, 0.0, 0.25],
        [0.6657500000000001, 0.02127500000000001, 0.021625000000000005, 0.758125, 0.02127500000000001, -0.19095],
    ),
    // p = 3, weights = distance
    (
        "distance",
        3.0,
        [
            0.0, 1.0, 7.0, 5.0, 4.0, 9.0, 7.0, 6.0, 9.0, 4.0, 11.0, 7.0, 10.0, 5.0, 4.0, 7.0, 9.0, 4.0, 7.0, 6.0, 3.0,
            6.0, 8.0, 11.0,
        ],
        [
            0.8743098344866836,
            1.0433994838463945,
            1.0452193513261776,
            1.0907964243657229,
            0.72763298947502,
            0.7997927525110674,
            0.9403567694056721,
            1.167254682891142,
            1.3935290074025288,
            1.9110617622351644,
            1.9409526550056095,
            2.058132940573808,
            1.4077519863840877,
            1.8621406619131342,
            1.9809475197134896,
            2.419851852496532,
            0.8568202227172664,
            0.8787113248378028,
            1.0988696744169688,
            1.3059294943271949,
            0.0,
            0.30048357145076965,
            0.5441753427437489,
            0.5914004804907145,
        ],
        [
            0.28769018080939646,
            0.4817165125493872,
            0.23059330664121636,
            0.18850439295442037,
            0.8114956070455795,
            0.0,
            0.22980378784094002,
            0.77019621215906,
            0.0,
            0.0,
            0.7520043039337702,
            0.24799569606623,
            0.1923530023551022,
            0.8076469976448979,
            0.0,
            1.0,
            0.0,
            0.0,
        ],
        [
            0.7322367213213318,
            0.03626296693504195,
            -0.15837646173647535,
            0.6797839509717966,
            -0.02628706563564705,
            -0.1872,
        ],
    ),
];

fn params(weights: &str, p: f64, k: usize) -> KnnParams {
    let weights = if weights == "distance" { Weights::Distance } else { Weights::Uniform };
    KnnParams { n_neighbors: k, weights, p }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

#[test]
fn neighbours_probabilities_and_values_match_scikit_learn() {
    let q = DMatrix::from_row_slice(6, 2, &Q);
    let classes = Dataset::from_rows(&X, 2, &Y_CLASS, Task::Classification { n_classes: 3 }).unwrap();
    let values = Dataset::from_rows(&X, 2, &Y_REG, Task::Regression).unwrap();
    for (weights, p, indices, distances, proba, predict) in CASES {
        let mut clf = params(weights, p, 4).build(0).unwrap();
        clf.fit(&classes).unwrap();
        for (row, (found, dist)) in clf.kneighbors(&q).unwrap().into_iter().enumerate() {
            let want: Vec<usize> = indices[row * 4..row * 4 + 4].iter().map(|&i| i as usize).collect();
            assert_eq!(found, want, "{weights} p={p} row {row}");
            for (a, b) in dist.iter().zip(&distances[row * 4..row * 4 + 4]) {
                assert!(close(*a, *b, 1e-14), "{weights} p={p} row {row}: distance {a} vs {b}");
            }
        }
        let got = clf.predict(&q).unwrap();
        assert_eq!(got.shape(), (6, 3));
        for i in 0..6 {
            for c in 0..3 {
                assert!(
                    close(got[(i, c)], proba[i * 3 + c], 1e-14),
                    "{weights} p={p} proba[{i},{c}] {} vs {}",
                    got[(i, c)],
                    proba[i * 3 + c]
                );
            }
        }
        let mut reg = params(weights, p, 4).build(0).unwrap();
        reg.fit(&values).unwrap();
        let got = reg.predict(&q).unwrap();
        assert_eq!(got.shape(), (6, 1));
        for i in 0..6 {
            assert!(
                close(got[(i, 0)], predict[i], 1e-14),
                "{weights} p={p} value[{i}] {} vs {}",
                got[(i, 0)],
                predict[i]
            );
        }
    }
}

/// Brute force: every training point by (distance, index).
fn brute(x: &[f64], d: usize, q: &[f64], k: usize, p: f64) -> Vec<usize> {
    let n = x.len() / d;
    let mut all: Vec<(f64, usize)> =
        (0..n).map(|i| ((0..d).map(|j| (x[i * d + j] - q[j]).abs().powf(p)).sum::<f64>(), i)).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.into_iter().take(k).map(|(_, i)| i).collect()
}

#[test]
fn the_kd_tree_finds_the_same_neighbours_as_brute_force() {
    let mut r = rng(7);
    for (n, d) in [(500, 2), (300, 3), (60, 1)] {
        // a coarse lattice, so many distances tie exactly: the lower index must win every tie
        let x: Vec<f64> = (0..n * d).map(|_| (gaussian(&mut r) * 2.0).round() * 0.5).collect();
        let y: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
        let data = Dataset::from_rows(&x, d, &y, Task::Classification { n_classes: 2 }).unwrap();
        for p in [1.0, 2.0, 3.0] {
            let mut m = params("uniform", p, 7).build(0).unwrap();
            m.fit(&data).unwrap();
            let qs: Vec<f64> = (0..50 * d).map(|_| gaussian(&mut r) * 2.0).collect();
            let lattice: Vec<f64> = x[..50 * d].to_vec();
            for queries in [&qs[..], &lattice[..]] {
                let qm = DMatrix::from_row_slice(50, d, queries);
                for (i, (found, _)) in m.kneighbors(&qm).unwrap().into_iter().enumerate() {
                    assert_eq!(found, brute(&x, d, &queries[i * d..(i + 1) * d], 7, p), "n={n} d={d} p={p} query {i}");
                }
            }
        }
    }
}

#[test]
fn equal_distances_keep_the_lower_training_index() {
    // four points at distance 1 from the origin, classes 1, 0, 0, 0: with k = 1 point 0 is taken
    let data = Dataset::from_rows(
        &[1.0, 0.0, 0.0, 1.0, -1.0, 0.0, 0.0, -1.0],
        2,
        &[1.0, 0.0, 0.0, 0.0],
        Task::Classification { n_classes: 2 },
    )
    .unwrap();
    let mut m = params("uniform", 2.0, 1).build(0).unwrap();
    m.fit(&data).unwrap();
    let p = m.predict(&DMatrix::from_row_slice(1, 2, &[0.0, 0.0])).unwrap();
    assert_eq!((p[(0, 0)], p[(0, 1)]), (0.0, 1.0));
}

#[test]
fn bad_parameters_are_refused_with_a_message() {
    let zero: ModelParams = serde_json::from_value(json!({"kind": "knn", "n_neighbors": 0})).unwrap();
    let e = zero.check().unwrap_err().to_string();
    assert!(e.contains("n_neighbors must be at least 1"), "{e}");
    let p: ModelParams = serde_json::from_value(json!({"kind": "knn", "p": 0.5})).unwrap();
    assert!(p.check().unwrap_err().to_string().contains("p must be between 1 and 100"));
    // more neighbours than training points: a message naming both, and the model stays unfitted
    let data = Dataset::from_rows(&X, 2, &Y_REG, Task::Regression).unwrap();
    let mut m = params("uniform", 2.0, 13).build(0).unwrap();
    let e = m.fit(&data).unwrap_err().to_string();
    assert!(e.contains("n_neighbors = 13") && e.contains("only 12 training point"), "{e}");
    assert!(!m.is_trained());
    assert!(m.predict(&DMatrix::zeros(1, 2)).is_err());
    // a query with NaN or the wrong width
    m = params("uniform", 2.0, 3).build(0).unwrap();
    m.fit(&data).unwrap();
    assert!(m.predict(&DMatrix::from_row_slice(1, 2, &[f64::NAN, 0.0])).unwrap_err().to_string().contains("row 1"));
    assert!(m.predict(&DMatrix::zeros(1, 3)).is_err());
}

#[test]
fn a_model_file_round_trips_and_a_damaged_one_is_refused_naming_the_field() {
    let data = Dataset::from_rows(&X, 2, &Y_CLASS, Task::Classification { n_classes: 3 }).unwrap();
    let mut any = ModelParams::Knn(params("distance", 1.0, 3)).build(0).unwrap();
    any.fit(&data).unwrap();
    let file = serde_json::to_value(&any).unwrap();
    let back: AnyModel = serde_json::from_value(file.clone()).unwrap();
    let q = DMatrix::from_row_slice(6, 2, &Q);
    assert_eq!(back.predict(&q).unwrap(), any.predict(&q).unwrap());
    let damaged = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = file.clone();
        edit(&mut f);
        serde_json::from_value::<AnyModel>(f).unwrap_err().to_string()
    };
    let says = |edit: &dyn Fn(&mut serde_json::Value), what: &str| {
        let e = damaged(edit);
        assert!(e.contains(what), "{e}");
    };
    says(&|f| f["x"].as_array_mut().unwrap().truncate(5), "x has 5 entries where");
    says(&|f| f["y"][0] = json!(7.0), "y[0] holds a class outside the model's classes");
    says(&|f| f["params"]["n_neighbors"] = json!(20), "entries where 20 are needed");
    says(&|f| f["n_features"] = json!(0), "n_features is 0");
    assert!(damaged(&|f| f["params"]["p"] = json!(0.0)).contains("p must be"));
}

#[test]
fn the_registry_names_it_and_it_fits_instantly_for_both_tasks() {
    let params: ModelParams = serde_json::from_value(json!({"kind": "knn"})).unwrap();
    assert_eq!(params.kind(), "knn");
    assert!(params.fits_instantly() && params.train_params().is_none() && params.class_weight().is_none());
    let mut m = params.build(0).unwrap();
    let data = Dataset::from_rows(&X, 2, &Y_REG, Task::Regression).unwrap();
    m.step(&data, &mut rng(0)).unwrap();
    assert!(m.is_trained() && m.is_finite() && m.validate().is_ok());
    let s = m.summary();
    assert_eq!(s.code, "knn");
    assert_eq!((s.number("k"), s.number("points")), (Some(5.0), Some(12.0)));
    assert_eq!(s.values.get("metric"), Some(&ml_playground::error::Value::Text("euclidean".into())));
    assert!(m.objective(&data).unwrap() >= 0.0);
}
