//! Gaussian naive Bayes (`src/model/naive_bayes.rs`): parity with scikit-learn's `GaussianNB`
//! (theta, var, epsilon, class priors, predict_proba), zero-variance features, priors, bad
//! parameters and damaged model files.

use ml_playground::data::{Dataset, Task};
use ml_playground::model::naive_bayes::NaiveBayesParams;
use ml_playground::model::{AnyModel, Hyperparams, Model, ModelParams};
use nalgebra::DMatrix;
use serde_json::json;

struct Reference {
    epsilon: f64,
    theta: [f64; 9],
    var: [f64; 9],
    prior: [f64; 3],
    proba: [f64; 12],
}

// Reference data and numbers from scikit-learn 1.9.1 (`python3 tests/parity/naive_bayes.py`,
// which prints this block): 15 points, 3 features, 3 classes; feature 3 is constant (0.25)
// within class 0, so its variance there is ε alone; 4 queries.
const X: [f64; 45] = [
    1.6243, -0.2235, 0.25, -1.073, 2.7308, -2.1508, 1.7448, -0.5224, -0.8405, -0.2494, 3.9242, 0.25, -0.3224, 0.2319,
    -0.4331, -1.0999, 0.6551, -1.4389, 0.0422, 2.1656, 0.25, 1.1447, 2.8032, -0.7488, 0.9009, -0.3675, -1.0614,
    -0.9358, 0.4642, 0.25, -0.6917, 0.2065, -1.3436, -0.8452, -0.3425, -1.0063, -1.1173, 1.4688, 0.25, 0.742, 0.6163,
    -1.4438, -0.7472, 4.3849, -0.9746,
];
const Y: [f64; 15] = [0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0, 2.0];
const Q: [f64; 12] =
    [-0.9555, 0.2864, 3.1504, 0.1802, 0.9258, 0.4503, -0.5284, -1.7138, -0.524, -0.3133, 0.8799, 1.2585];
// default: {}
const DEFAULT: Reference = Reference {
    epsilon: 2.4275465610666663e-09,
    theta: [
        -0.12719999999999998,
        1.55986,
        0.25,
        -0.040079999999999984,
        1.3177400000000001,
        -1.2240199999999999,
        -0.009320000000000018,
        0.76152,
        -1.0643399999999998,
    ],
    var: [
        0.9491026864275468,
        2.069232048827547,
        2.4275465610666663e-09,
        0.7173179440275466,
        1.4218501808275468,
        0.35458246002754645,
        1.2675928880275464,
        3.4564409480275464,
        0.04036602082754656,
    ],
    prior: [0.3333333333333333, 0.3333333333333333, 0.3333333333333333],
    proba: [
        0.0,
        1.0,
        3.64526571375084e-84,
        0.0,
        0.9999999999635909,
        3.6409309469500454e-11,
        0.0,
        0.5405295263851941,
        0.45947047361480636,
        0.0,
        1.0,
        8.696756855210445e-26,
    ],
};
// priors_and_smoothing: {'priors': [0.2, 0.3, 0.5], 'var_smoothing': 0.001}
const PRIORS_AND_SMOOTHING: Reference = Reference {
    epsilon: 0.0024275465610666663,
    theta: [
        -0.12719999999999998,
        1.55986,
        0.25,
        -0.040079999999999984,
        1.3177400000000001,
        -1.2240199999999999,
        -0.009320000000000018,
        0.76152,
        -1.0643399999999998,
    ],
    var: [
        0.9515302305610669,
        2.071659592961067,
        0.0024275465610666663,
        0.7197454881610666,
        1.4242777249610667,
        0.35701000416106654,
        1.2700204321610664,
        3.4588684921610664,
        0.04279356496106667,
    ],
    prior: [0.2, 0.3, 0.5],
    proba: [
        0.0,
        1.0,
        1.2979785954329762e-78,
        0.06702198492252093,
        0.9329780148079555,
        2.6952316636721116e-10,
        2.293242762647664e-53,
        0.3730842959187735,
        0.6269157040812263,
        3.3972501303122057e-87,
        1.0,
        5.906074905472628e-24,
    ],
};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

fn check(params: NaiveBayesParams, r: &Reference) {
    let data = Dataset::from_rows(&X, 3, &Y, Task::Classification { n_classes: 3 }).unwrap();
    let mut m = params.build(0).unwrap();
    m.fit(&data).unwrap();
    assert!(close(m.epsilon(), r.epsilon, 1e-12), "epsilon {} vs {}", m.epsilon(), r.epsilon);
    for (name, got, want) in
        [("theta", m.theta(), &r.theta[..]), ("var", m.var(), &r.var[..]), ("prior", m.class_prior(), &r.prior[..])]
    {
        assert_eq!(got.len(), want.len());
        for (a, b) in got.iter().zip(want) {
            assert!(close(*a, *b, 1e-12), "{name}: {a} vs {b}");
        }
    }
    let p = m.predict(&DMatrix::from_row_slice(4, 3, &Q)).unwrap();
    for i in 0..4 {
        for c in 0..3 {
            assert!(
                (p[(i, c)] - r.proba[i * 3 + c]).abs() <= 1e-10,
                "proba[{i},{c}] {} vs {}",
                p[(i, c)],
                r.proba[i * 3 + c]
            );
        }
    }
}

#[test]
fn means_variances_priors_and_probabilities_match_scikit_learn() {
    check(NaiveBayesParams::default(), &DEFAULT);
    check(NaiveBayesParams { priors: Some(vec![0.2, 0.3, 0.5]), var_smoothing: 1e-3 }, &PRIORS_AND_SMOOTHING);
}

#[test]
fn zero_variance_features_are_smoothed_not_divided_by_zero() {
    // feature 2 constant everywhere, feature 1 constant within each class
    let x = [0.0, 5.0, 0.0, 5.0, 2.0, 5.0, 2.0, 5.0];
    let data = Dataset::from_rows(&x, 2, &[0.0, 0.0, 1.0, 1.0], Task::Classification { n_classes: 2 }).unwrap();
    let mut m = NaiveBayesParams::default().build(0).unwrap();
    m.fit(&data).unwrap();
    // the largest variance is feature 1's over all points: 1; so ε = 1e-9 and every σ² = ε
    assert_eq!(m.epsilon(), 1e-9);
    assert!(m.var().iter().all(|&v| v == 1e-9), "{:?}", m.var());
    let p = m.predict(&DMatrix::from_row_slice(3, 2, &[0.1, 5.0, 1.9, 5.0, 1.0, 7.0])).unwrap();
    assert!(p[(0, 0)] > 0.999_999 && p[(1, 1)] > 0.999_999);
    assert!(p.iter().all(|v| v.is_finite()) && (p[(2, 0)] - 0.5).abs() < 1e-12, "{p}");
    // every feature constant: scikit-learn's ε would be 0; here it is var_smoothing itself
    let flat =
        Dataset::from_rows(&[1.0, 1.0, 1.0], 1, &[0.0, 1.0, 1.0], Task::Classification { n_classes: 2 }).unwrap();
    m.fit(&flat).unwrap();
    assert_eq!(m.epsilon(), 1e-9);
    let p = m.predict(&DMatrix::from_row_slice(2, 1, &[1.0, 3.0])).unwrap();
    assert!((p[(0, 1)] - 2.0 / 3.0).abs() < 1e-12 && p.iter().all(|v| v.is_finite()), "{p}");
}

#[test]
fn bad_parameters_and_data_are_refused_with_a_message() {
    let read =
        |v: serde_json::Value| serde_json::from_value::<ModelParams>(v).unwrap().check().map_err(|e| e.to_string());
    assert!(read(json!({"kind": "naive_bayes", "priors": [0.5, 0.6]})).unwrap_err().contains("sum to 1"));
    assert!(read(json!({"kind": "naive_bayes", "priors": [1.5, -0.5]})).unwrap_err().contains("priors[0]"));
    assert!(read(json!({"kind": "naive_bayes", "var_smoothing": 0.0})).unwrap_err().contains("var_smoothing"));
    assert!(read(json!({"kind": "naive_bayes", "priors": [0.25, 0.75]})).is_ok());
    let data = Dataset::from_rows(&X, 3, &Y, Task::Classification { n_classes: 3 }).unwrap();
    let mut two = NaiveBayesParams { priors: Some(vec![0.5, 0.5]), var_smoothing: 1e-9 }.build(0).unwrap();
    assert!(two
        .fit(&data)
        .unwrap_err()
        .to_string()
        .contains("priors gives 2 probabilities but the data has 3 classes"));
    let regression = Dataset::from_rows(&X, 3, &Y, Task::Regression).unwrap();
    let mut m = NaiveBayesParams::default().build(0).unwrap();
    assert!(m.fit(&regression).unwrap_err().to_string().contains("classifier"));
    // a class without points: probability 0, or refused when the priors give it a share
    let missing =
        Dataset::from_rows(&[0.0, 1.0, 2.0], 1, &[0.0, 0.0, 2.0], Task::Classification { n_classes: 3 }).unwrap();
    m.fit(&missing).unwrap();
    let p = m.predict(&DMatrix::from_row_slice(1, 1, &[1.0])).unwrap();
    assert_eq!(p[(0, 1)], 0.0);
    let mut given = NaiveBayesParams { priors: Some(vec![0.4, 0.2, 0.4]), var_smoothing: 1e-9 }.build(0).unwrap();
    assert!(given
        .fit(&missing)
        .unwrap_err()
        .to_string()
        .contains("class 2 probability 0.2 but it has no training points"));
    assert!(m.predict(&DMatrix::from_row_slice(1, 1, &[f64::INFINITY])).is_err());
}

#[test]
fn a_model_file_round_trips_and_a_damaged_one_is_refused_naming_the_field() {
    let data = Dataset::from_rows(&X, 3, &Y, Task::Classification { n_classes: 3 }).unwrap();
    let mut any = ModelParams::NaiveBayes(NaiveBayesParams::default()).build(0).unwrap();
    any.fit(&data).unwrap();
    let file = serde_json::to_value(&any).unwrap();
    let back: AnyModel = serde_json::from_value(file.clone()).unwrap();
    let q = DMatrix::from_row_slice(4, 3, &Q);
    assert_eq!(back.predict(&q).unwrap(), any.predict(&q).unwrap());
    let damaged = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut f = file.clone();
        edit(&mut f);
        serde_json::from_value::<AnyModel>(f).unwrap_err().to_string()
    };
    assert!(damaged(&|f| f["var"][2] = json!(0.0)).contains("var"));
    assert!(damaged(&|f| f["theta"].as_array_mut().unwrap().pop().map(drop).unwrap_or(())).contains("theta"));
    assert!(damaged(&|f| f["class_prior"][0] = json!(0.9)).contains("class_prior"));
    assert!(damaged(&|f| f["n_features"] = json!(1_000_000)).contains("n_features"));
    assert!(damaged(&|f| f["epsilon"] = json!(-1.0)).contains("epsilon"));
}

#[test]
fn the_registry_names_it_and_it_fits_instantly() {
    let params: ModelParams = serde_json::from_value(json!({"kind": "naive_bayes"})).unwrap();
    assert_eq!(params.kind(), "naive_bayes");
    assert!(params.fits_instantly() && params.train_params().is_none());
    let mut m = params.build(0).unwrap();
    let data = Dataset::from_rows(&X, 3, &Y, Task::Classification { n_classes: 3 }).unwrap();
    m.step(&data, &mut ml_playground::data::rng(0)).unwrap();
    assert!(m.is_trained() && m.is_finite());
    assert_eq!(m.summary().code, "naive_bayes");
    assert_eq!((m.summary().number("classes"), m.summary().number("features")), (Some(3.0), Some(3.0)));
    assert!(m.objective(&data).unwrap() > 0.0);
}
