//! The pipeline's two entry points agree, and each step is fitted on training rows only.

use super::*;

/// 40 rows on two features, class by the sign of x1, every tenth x2 wild, a few cells missing.
fn table(task: Task) -> Dataset {
    let n = 40;
    let x = DMatrix::from_fn(n, 2, |i, j| match (i, j) {
        (i, 1) if i % 10 == 3 => 80.0 + i as f64,
        (i, 1) if i % 13 == 5 => f64::NAN,
        (i, 0) => i as f64 * 0.5 - 10.0,
        (i, _) => ((i * 7) % 11) as f64 * 0.3,
    });
    let y = DVector::from_fn(n, |i, _| match task {
        Task::Regression if i == 17 => 60.0,
        Task::Regression => i as f64 * 0.25,
        Task::Classification { .. } => f64::from(i >= 20),
    });
    Dataset { x, y, feature_names: vec!["x1".into(), "x2".into()], task }
}

fn close(a: &Dataset, b: &Dataset) -> bool {
    a.x.shape() == b.x.shape()
        && a.x.iter().zip(b.x.iter()).all(|(p, q)| (p - q).abs() < 1e-12)
        && a.y.iter().zip(b.y.iter()).all(|(p, q)| (p - q).abs() < 1e-12)
}

#[test]
fn prepare_with_test_rows_equals_fit_on_the_training_rows_then_transform() {
    for task in [Task::Classification { n_classes: 2 }, Task::Regression] {
        let data = table(task);
        let is_test: Vec<bool> = (0..data.len()).map(|i| i % 4 == 1).collect();
        let train: Vec<usize> = (0..data.len()).filter(|&i| !is_test[i]).collect();
        let test: Vec<usize> = (0..data.len()).filter(|&i| is_test[i]).collect();
        let pipeline = Pipeline {
            imputer: ImputeStrategy::Mean,
            outliers: Some(OutlierRule::Iqr { factor: 1.5 }),
            outlier_action: OutlierAction::Clip,
            scaling: Scaling::Standardize,
            resampling: Resampling::None,
        };
        let prepared = pipeline.prepare(&data, &is_test).unwrap();
        let (fitted, train_rows) = pipeline.fit(&data.select(&train), 1).unwrap();
        assert_eq!(fitted.scaler, prepared.fitted.scaler, "{task:?}");
        assert_eq!(fitted.imputer, prepared.fitted.imputer);
        let as_prepared = |rows: &[usize]| prepared.data.select(rows);
        assert!(close(&train_rows, &as_prepared(&train)), "{task:?}: training rows");
        assert!(close(&fitted.transform(&data.select(&test)).unwrap(), &as_prepared(&test)), "{task:?}: test rows");
        assert!(prepared.outlier.iter().any(|&o| o), "{task:?}: the wild values are flagged");
        assert_eq!(prepared.imputed.iter().filter(|&&m| m).count(), 3);
        // The scaler learned from training rows only: their mean is 0, the test rows' is not.
        let mean = |rows: &[usize]| rows.iter().map(|&i| prepared.data.x[(i, 0)]).sum::<f64>() / rows.len() as f64;
        assert!(mean(&train).abs() < 1e-9 && mean(&test).abs() > 1e-3);
    }
}

#[test]
fn removal_and_dropped_rows_leave_test_rows_and_say_where_each_row_came_from() {
    let data = table(Task::Classification { n_classes: 2 });
    let is_test: Vec<bool> = (0..data.len()).map(|i| i == 3 || i == 4).collect();
    let pipeline = Pipeline {
        outliers: Some(OutlierRule::Iqr { factor: 1.5 }),
        outlier_action: OutlierAction::Remove,
        ..Pipeline::default()
    };
    let prepared = pipeline.prepare(&data, &is_test).unwrap();
    // Rows 5, 18 and 31 had a missing cell (dropped); 13, 23 and 33 were wild training rows
    // (removed); row 3 is wild too but a test row, so it stays, flagged.
    let gone: Vec<usize> = (0..data.len()).filter(|i| !prepared.rows.contains(i)).collect();
    assert_eq!(gone, vec![5, 13, 18, 23, 31, 33]);
    assert_eq!(prepared.fitted.removed_outliers, 3);
    let k = prepared.rows.iter().position(|&r| r == 3).unwrap();
    assert!(prepared.is_test[k] && prepared.outlier[k]);
    assert_eq!(prepared.is_test.iter().filter(|&&t| t).count(), 2);
}

#[test]
fn resampling_touches_classification_only() {
    let data = table(Task::Classification { n_classes: 2 }).select(&(0..25).collect::<Vec<_>>());
    let pipeline = Pipeline { resampling: Resampling::Over, ..Pipeline::default() };
    assert_eq!(pipeline.resample(&data, 1).unwrap().data.len(), 40);
    let regression = table(Task::Regression).select(&[0, 1, 2]);
    assert_eq!(pipeline.resample(&regression, 1).unwrap().data, regression);
}
