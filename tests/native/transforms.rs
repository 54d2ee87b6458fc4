//! Scalers fitted on training rows (against scikit-learn) and permutation importance.

use ml_playground::data::transforms::*;
use ml_playground::data::{rng, Dataset, Task};
use ml_playground::evaluate::importance::permutation_importance;
use ml_playground::evaluate::scoring::ScoreMetric;
use ml_playground::model::{linear::LinearParams, Model, ModelParams};
use nalgebra::DMatrix;
use rand::RngExt;

fn data(rows: &[f64], d: usize) -> Dataset {
    Dataset::from_rows(rows, d, &vec![0.0; rows.len() / d], Task::Regression).unwrap()
}

// from sklearn.preprocessing import StandardScaler, MinMaxScaler
// tr = np.array([[1,10],[2,10],[4,10],[9,10]]); te = np.array([[0,11],[5,10]])
// StandardScaler().fit(tr): mean_ [4, 10], scale_ [3.082207001484488, 1]; transform(te)
//   [[-1.2977713690461004, 1.0], [0.3244428422615251, 0.0]]
// MinMaxScaler().fit(tr): data_min_ [1, 10], data_range_ [8, 0]; transform(te) [[-0.125, 1.0], [0.5, 0.0]]
#[test]
fn scalers_match_scikit_learn_and_use_train_only() {
    let train = data(&[1.0, 10.0, 2.0, 10.0, 4.0, 10.0, 9.0, 10.0], 2);
    let test = DMatrix::from_row_slice(2, 2, &[0.0, 11.0, 5.0, 10.0]);
    let standard = Scaler::fit(Scaling::Standardize, &train).unwrap();
    assert_eq!(standard.offset, vec![4.0, 10.0]);
    assert!((standard.scale[0] - 3.082207001484488).abs() < 1e-15 && standard.scale[1] == 1.0);
    let z = standard.transform(&test).unwrap();
    for (a, b) in z.transpose().iter().zip([-1.2977713690461004, 1.0, 0.3244428422615251, 0.0]) {
        assert!((a - b).abs() < 1e-15, "{z}");
    }
    let min_max = Scaler::fit(Scaling::MinMax, &train).unwrap();
    assert_eq!((min_max.offset.clone(), min_max.scale.clone()), (vec![1.0, 10.0], vec![8.0, 1.0]));
    assert_eq!(min_max.transform(&test).unwrap().transpose().as_slice(), &[-0.125, 1.0, 0.5, 0.0]);
    // NaN stays NaN and is ignored when fitting.
    let with_nan = Dataset { x: DMatrix::from_row_slice(3, 1, &[1.0, f64::NAN, 3.0]), ..data(&[0.0, 0.0, 0.0], 1) };
    let s = Scaler::fit(Scaling::Standardize, &with_nan).unwrap();
    assert_eq!((s.offset[0], s.scale[0]), (2.0, 1.0));
    assert!(s.transform(&with_nan.x).unwrap()[(1, 0)].is_nan());
    assert!(standard.transform(&DMatrix::zeros(1, 3)).is_err());
}

#[test]
fn logarithms() {
    let train = data(&[1.0, 2.0, std::f64::consts::E, 0.5], 2);
    let log = Scaler::fit(Scaling::Log, &train).unwrap();
    let out = log.transform(&train.x).unwrap();
    assert!((out[(1, 0)] - 1.0).abs() < 1e-15 && out[(0, 0)] == 0.0);
    let bad = Dataset { x: DMatrix::from_row_slice(2, 1, &[3.0, -2.0]), ..data(&[0.0, 0.0], 1) };
    let m = Scaler::fit(Scaling::Log, &bad).unwrap_err().to_string();
    assert!(m.contains("\"x1\" has the value -2 in row 2") && m.to_string().contains("shifted"), "{m}");
    // Shifted: ln(1 + x − min_train); below the training minimum counts as the minimum.
    let shifted = Scaler::fit(Scaling::LogShifted, &bad).unwrap();
    let out = shifted.transform(&DMatrix::from_row_slice(3, 1, &[-2.0, 3.0, -10.0])).unwrap();
    assert_eq!(out[(0, 0)], 0.0);
    assert!((out[(1, 0)] - 6f64.ln()).abs() < 1e-15);
    assert_eq!(out[(2, 0)], 0.0);
}

#[test]
fn permutation_importance_of_a_noise_feature_is_near_zero() {
    // y = 3·x1 + 0.01·noise; x2 is pure noise. Shuffling x1 sends R² from ≈1 to ≈ −1 (the error
    // 3(x1' − x1) has twice the variance of y), so its importance is ≈ 2; x2's is ≈ 0.
    let mut r = rng(5);
    let n = 400;
    let mut rows = Vec::new();
    let mut y = Vec::new();
    for _ in 0..n {
        let (a, b): (f64, f64) = (r.random_range(-1.0..1.0), r.random_range(-1.0..1.0));
        rows.extend([a, b]);
        y.push(3.0 * a + 0.01 * r.random_range(-1.0..1.0));
    }
    let d = Dataset::from_rows(&rows, 2, &y, Task::Regression).unwrap();
    let mut model = ModelParams::Linear(LinearParams::default()).build(0).unwrap();
    model.fit(&d).unwrap();
    let importance = permutation_importance(&model, &d, ScoreMetric::R2, 10, 1).unwrap();
    assert_eq!(importance[0].feature, "x1");
    assert!((importance[0].mean - 2.0).abs() < 0.2, "{importance:?}");
    assert!(importance[1].mean.abs() < 1e-3, "{importance:?}");
    assert_eq!(importance[0].drops.len(), 10);
    // Errors count upward: the MSE importance of x1 is positive too, and seeded.
    let mse = permutation_importance(&model, &d, ScoreMetric::Mse, 3, 1).unwrap();
    assert!(mse[0].mean > 1.0 && mse[1].mean.abs() < 1e-3);
    assert_eq!(mse, permutation_importance(&model, &d, ScoreMetric::Mse, 3, 1).unwrap());
    // A classification metric on a regression task is refused.
    assert!(permutation_importance(&model, &d, ScoreMetric::Accuracy, 3, 1).is_err());
    assert!(permutation_importance(&model, &d, ScoreMetric::R2, 0, 1).is_err());
}

/// A point placed on a rescaled picture stands for the raw value `invert` gives back.
#[test]
fn invert_undoes_every_scaling() {
    let train = data(&[1.0, 10.0, 2.0, 10.0, 4.0, 10.0, 9.0, 10.0], 2);
    let values = DMatrix::from_row_slice(3, 2, &[1.5, 10.0, 7.0, 12.0, 9.0, 10.5]);
    for scaling in [Scaling::None, Scaling::Standardize, Scaling::MinMax, Scaling::Log, Scaling::LogShifted] {
        let scaler = Scaler::fit(scaling, &train).unwrap();
        let scaled = scaler.transform(&values).unwrap();
        for i in 0..3 {
            for j in 0..2 {
                let back = scaler.invert(j, scaled[(i, j)]);
                assert!((back - values[(i, j)]).abs() < 1e-12, "{scaling:?}: {back} for {}", values[(i, j)]);
            }
        }
        // A feature the scaler does not know is left as it is.
        assert_eq!(scaler.invert(5, 0.25), 0.25);
    }
}
