//! Folds against scikit-learn's KFold / StratifiedKFold, hold-out splits, and cross-validation
//! that fits its pipeline on training folds only (proved on the fitted statistics).

use ml_playground::data::cleaning::{ImputeStrategy, OutlierAction, OutlierRule};
use ml_playground::data::resample::Resampling;
use ml_playground::data::transforms::Scaling;
use ml_playground::data::{Dataset, Task};
use ml_playground::evaluate::cross_validation::*;
use ml_playground::evaluate::folds::*;
use ml_playground::evaluate::scoring::ScoreMetric;
use ml_playground::model::linear::LinearParams;
use ml_playground::model::logistic::LogisticParams;
use ml_playground::model::{Model, ModelParams};
use ml_playground::pipeline::Pipeline;

fn tests_of(folds: &[Fold]) -> Vec<Vec<usize>> {
    folds.iter().map(|f| f.test.clone()).collect()
}

// from sklearn.model_selection import KFold, StratifiedKFold
// [t.tolist() for _, t in KFold(3).split(np.zeros(10))]
// [t.tolist() for _, t in KFold(4).split(np.zeros(11))]
// y = [1,0,2,0,1,1,0,2,0,0,1,0,2,1,0,0]
// [t.tolist() for _, t in StratifiedKFold(3).split(np.zeros(16), y)]  (and 4)
#[test]
fn folds_match_scikit_learn() {
    assert_eq!(tests_of(&k_fold(10, 3, None).unwrap()), vec![vec![0, 1, 2, 3], vec![4, 5, 6], vec![7, 8, 9]]);
    assert_eq!(tests_of(&k_fold(11, 4, None).unwrap()), vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8], vec![9, 10]]);
    let y = [1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 0.0, 2.0, 0.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 0.0];
    assert_eq!(
        tests_of(&stratified_k_fold(&y, 3, None).unwrap()),
        vec![vec![0, 1, 2, 3, 4, 6], vec![5, 7, 8, 9, 10], vec![11, 12, 13, 14, 15]]
    );
    assert_eq!(
        tests_of(&stratified_k_fold(&y, 4, None).unwrap()),
        vec![vec![0, 1, 3, 4], vec![2, 5, 6, 8], vec![7, 9, 10, 11], vec![12, 13, 14, 15]]
    );
    // Every fold's train is the complement of its test.
    for fold in k_fold(11, 4, None).unwrap() {
        let mut all: Vec<usize> = fold.train.iter().chain(&fold.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..11).collect::<Vec<_>>());
    }
}

#[test]
fn shuffled_folds_are_seeded_partitions_and_stratified() {
    let y: Vec<f64> = (0..40).map(|i| if i < 30 { 0.0 } else { 1.0 }).collect();
    let a = stratified_k_fold(&y, 5, Some(3)).unwrap();
    assert_eq!(a, stratified_k_fold(&y, 5, Some(3)).unwrap());
    assert_ne!(a, stratified_k_fold(&y, 5, Some(4)).unwrap());
    let mut seen: Vec<usize> = a.iter().flat_map(|f| f.test.clone()).collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..40).collect::<Vec<_>>());
    for fold in &a {
        let ones = fold.test.iter().filter(|&&i| y[i] == 1.0).count();
        assert_eq!((fold.test.len(), ones), (8, 2));
    }
    let plain = k_fold(40, 5, Some(3)).unwrap();
    assert_ne!(tests_of(&plain)[0], (0..8).collect::<Vec<_>>());
    assert!(k_fold(5, 1, None).is_err() && k_fold(50, 11, None).is_err() && k_fold(3, 4, None).is_err());
    assert!(stratified_k_fold(&[0.0, 1.0, 0.0, 1.0], 3, None).unwrap_err().to_string().contains("fewer than 3"));
}

#[test]
fn hold_out_splits() {
    let y: Vec<f64> = (0..50).map(|i| if i % 5 == 0 { 1.0 } else { 0.0 }).collect();
    let d =
        Dataset::from_rows(&(0..50).map(f64::from).collect::<Vec<_>>(), 1, &y, Task::Classification { n_classes: 2 })
            .unwrap();
    let split = hold_out(&d, 0.2, true, 9).unwrap();
    assert_eq!(split.test.len(), 10);
    assert_eq!(split.test.iter().filter(|&&i| y[i] == 1.0).count(), 2);
    assert_eq!(split, hold_out(&d, 0.2, true, 9).unwrap());
    assert_eq!(hold_out(&d, 0.3, false, 9).unwrap().test.len(), 15);
    assert!(hold_out(&d, 0.0, false, 9).is_err());
}

/// 30 rows, y = 2·x1 − x2 + 1; x1 = i², so any test row seen while fitting would move the
/// training-fold statistics. Row 4 has x2 missing.
fn regression_data() -> Dataset {
    let mut rows = Vec::new();
    let mut y = Vec::new();
    for i in 0..30 {
        let (a, b) = ((i * i) as f64, ((i * 7) % 11) as f64);
        rows.extend([a, b]);
        y.push(2.0 * a - b + 1.0);
    }
    let mut d = Dataset::from_rows(&rows, 2, &y, Task::Regression).unwrap();
    d.x[(4, 1)] = f64::NAN;
    d
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn cross_validation_fits_the_pipeline_on_training_folds_only() {
    let data = regression_data();
    let pipeline = Pipeline { imputer: ImputeStrategy::Mean, scaling: Scaling::Standardize, ..Pipeline::default() };
    let params = ModelParams::Linear(LinearParams::default());
    let mut calls = Vec::new();
    let (result, folds, fitted) =
        cross_validate_detailed(&params, &data, 5, false, &pipeline, ScoreMetric::R2, 42, &mut |done, total| {
            calls.push((done, total));
            true
        })
        .unwrap();
    assert_eq!(calls, vec![(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]);
    assert_eq!(result.per_fold.len(), 5);
    let all_mean_x1 = mean((0..30).map(|i| data.x[(i, 0)]));
    let all_mean_x2 = mean((0..30).map(|i| data.x[(i, 1)]).filter(|v| !v.is_nan()));
    for (fold, steps) in folds.iter().zip(&fitted) {
        // The imputer's fill value is the mean of x2 over the training fold's present values...
        let train_x2 = mean(fold.train.iter().map(|&i| data.x[(i, 1)]).filter(|v| !v.is_nan()));
        assert!((steps.imputer.fill[1] - train_x2).abs() < 1e-9);
        assert!((steps.imputer.fill[1] - all_mean_x2).abs() > 1e-6, "fill equals the all-rows mean: test rows leaked");
        // ...and the scaler's mean is the training fold's mean of x1 (x1 = i², so it differs
        // from the mean over all rows whatever the fold).
        let train_x1 = mean(fold.train.iter().map(|&i| data.x[(i, 0)]));
        assert!((steps.scaler.offset[0] - train_x1).abs() < 1e-9);
        assert!(
            (steps.scaler.offset[0] - all_mean_x1).abs() > 1e-6,
            "scaler mean equals the all-rows mean: test rows leaked"
        );
        // For x2, the scaler sees the imputed training rows: the filled value equals the mean, so
        // the mean is unchanged.
        assert!((steps.scaler.offset[1] - train_x2).abs() < 1e-9);
    }
    // Fold 0 by hand: the same steps and model give the same score.
    let fold = &folds[0];
    let (steps, train) = pipeline.fit(&data.select(&fold.train), 42).unwrap();
    let mut model = params.build(42).unwrap();
    model.fit(&train).unwrap();
    let test = steps.transform(&data.select(&fold.test)).unwrap();
    assert!((ScoreMetric::R2.score(&model, &test).unwrap() - result.per_fold[0]).abs() < 1e-12);
    // y depends on x1 and x2 linearly; the imputed row is the only error.
    assert!(result.mean > 0.99, "{result:?}");
    let m = mean(result.per_fold.iter().copied());
    assert!((result.mean - m).abs() < 1e-12);
    // Seeded.
    let again = cross_validate(&params, &data, 5, false, &pipeline, ScoreMetric::R2, 42, &mut |_, _| true).unwrap();
    assert_eq!(again, result);
}

#[test]
fn cross_validation_cancels_and_checks() {
    let data = regression_data();
    let pipeline = Pipeline { imputer: ImputeStrategy::Median, ..Pipeline::default() };
    let params = ModelParams::Linear(LinearParams::default());
    let mut seen = 0;
    let err = cross_validate(&params, &data, 5, false, &pipeline, ScoreMetric::Mse, 1, &mut |done, _| {
        seen = done;
        done < 2
    })
    .unwrap_err();
    assert!(err.to_string().contains("cancelled") && seen == 2);
    assert!(cross_validate(&params, &data, 11, false, &pipeline, ScoreMetric::Mse, 1, &mut |_, _| true).is_err());
    assert!(cross_validate(&params, &data, 5, true, &pipeline, ScoreMetric::Mse, 1, &mut |_, _| true).is_err());
    assert!(cross_validate(&params, &data, 5, false, &pipeline, ScoreMetric::Accuracy, 1, &mut |_, _| true).is_err());
}

#[test]
fn stratified_cross_validation_with_resampling_and_outliers() {
    // Two classes, 40 against 10, separated along x1; one wild x2 value.
    let mut rows = Vec::new();
    let mut y = Vec::new();
    for i in 0..50 {
        let class = if i % 5 == 0 { 1.0 } else { 0.0 };
        rows.extend([class * 4.0 + (i % 7) as f64 * 0.3, (i % 3) as f64]);
        y.push(class);
    }
    rows[3] = 500.0;
    let data = Dataset::from_rows(&rows, 2, &y, Task::Classification { n_classes: 2 }).unwrap();
    let pipeline = Pipeline {
        outliers: Some(OutlierRule::Iqr { factor: 1.5 }),
        outlier_action: OutlierAction::Clip,
        scaling: Scaling::MinMax,
        resampling: Resampling::Smote { neighbours: 3 },
        ..Pipeline::default()
    };
    let params = ModelParams::Logistic(LogisticParams::default());
    let (result, folds, fitted) =
        cross_validate_detailed(&params, &data, 5, true, &pipeline, ScoreMetric::BalancedAccuracy, 3, &mut |_, _| true)
            .unwrap();
    assert!(result.mean > 0.95, "{result:?}");
    for (fold, steps) in folds.iter().zip(&fitted) {
        assert_eq!(fold.test.iter().filter(|&&i| y[i] == 1.0).count(), 2);
        // SMOTE grew the 8 training rows of class 1 to the 32 of class 0.
        assert_eq!(steps.synthetic_rows, 24);
        // Min-max fitted after clipping: the clipped training maximum of x2 is the upper fence.
        let bounds = steps.outliers.as_ref().unwrap();
        assert!(steps.scaler.offset[1] + steps.scaler.scale[1] <= bounds.upper[1] + 1e-12);
    }
    // The prepared training rows of a pipeline carry no NaN and are balanced.
    let (_, prepared) = pipeline.fit(&data.select(&folds[0].train), 3).unwrap();
    assert_eq!(prepared.y.iter().filter(|&&c| c == 1.0).count(), 32);
    assert!(prepared.x.iter().all(|v| v.is_finite()));
}
