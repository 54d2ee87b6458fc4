//! Imputers and outlier rules against scikit-learn / numpy on fixed data, and the injectors.

use ml_playground::data::cleaning::*;
use ml_playground::data::{Dataset, Task};
use nalgebra::DMatrix;

const NAN: f64 = f64::NAN;

// Regenerate with:
// import numpy as np; from sklearn.impute import SimpleImputer, KNNImputer; nan = np.nan
// train = np.array([[1,2,nan],[3,nan,1],[nan,6,2],[8,8,2],[2,1,5],[4.5,3,nan],[7,2,9],[5.5,nan,4]])
// test = np.array([[nan,2.4,3.2],[6,nan,nan],[nan,nan,nan],[0,7,1.5]])
// (chosen so that no two candidate donors are at the same distance: argpartition breaks ties arbitrarily)
// SimpleImputer(strategy=s).fit(train).statistics_ / .transform(test)
// KNNImputer(n_neighbors=k).fit(train).transform(test) / .transform(train)
fn train() -> Dataset {
    let rows = [
        1.0, 2.0, NAN, 3.0, NAN, 1.0, NAN, 6.0, 2.0, 8.0, 8.0, 2.0, 2.0, 1.0, 5.0, 4.5, 3.0, NAN, 7.0, 2.0, 9.0, 5.5,
        NAN, 4.0,
    ];
    dataset(&rows, 8)
}

fn test_rows() -> Dataset {
    dataset(&[NAN, 2.4, 3.2, 6.0, NAN, NAN, NAN, NAN, NAN, 0.0, 7.0, 1.5], 4)
}

/// A regression dataset that may hold NaN features (built directly: `Dataset::new` refuses NaN).
fn dataset(rows: &[f64], n: usize) -> Dataset {
    let d = rows.len() / n;
    Dataset {
        x: DMatrix::from_row_slice(n, d, rows),
        y: (0..n).map(|i| i as f64).collect::<Vec<_>>().into(),
        feature_names: (1..=d).map(|j| format!("x{j}")).collect(),
        task: Task::Regression,
    }
}

fn assert_rows(x: &DMatrix<f64>, expected: &[&[f64]]) {
    assert_eq!(x.nrows(), expected.len());
    for (i, row) in expected.iter().enumerate() {
        for (j, &e) in row.iter().enumerate() {
            assert!((x[(i, j)] - e).abs() < 1e-12, "row {i} column {j}: {} vs {e}", x[(i, j)]);
        }
    }
}

#[test]
fn simple_imputers_match_scikit_learn() {
    let cases: [(ImputeStrategy, [f64; 3]); 3] = [
        (ImputeStrategy::Mean, [4.428571428571429, 3.6666666666666665, 3.8333333333333335]),
        (ImputeStrategy::Median, [4.5, 2.5, 3.0]),
        (ImputeStrategy::MostFrequent, [1.0, 2.0, 2.0]),
    ];
    for (strategy, statistics) in cases {
        let imputer = Imputer::fit(strategy, &train()).unwrap();
        for (a, b) in imputer.fill.iter().zip(statistics) {
            assert!((a - b).abs() < 1e-12, "{strategy:?}: {:?}", imputer.fill);
        }
        let filled = imputer.apply(&test_rows()).unwrap();
        assert_eq!(filled.x[(3, 1)], 7.0);
        assert_eq!(filled.x[(2, 2)], statistics[2]);
        assert_eq!(filled.x[(0, 0)], statistics[0]);
    }
}

#[test]
fn knn_imputer_matches_scikit_learn() {
    let mean = [4.428571428571429, 3.6666666666666665, 3.8333333333333335];
    let expected_test: [&[&[f64]]; 3] = [
        &[&[1.0, 2.4, 3.2], &[6.0, 2.0, 4.0], &mean, &[0.0, 7.0, 1.5]],
        &[&[2.75, 2.4, 3.2], &[6.0, 2.5, 6.5], &mean, &[0.0, 7.0, 1.5]],
        &[&[3.6666666666666665, 2.4, 3.2], &[6.0, 4.333333333333333, 5.0], &mean, &[0.0, 7.0, 1.5]],
    ];
    let expected_train: [&[&[f64]]; 3] = [
        &[
            &[1.0, 2.0, 5.0],
            &[3.0, 6.0, 1.0],
            &[3.0, 6.0, 2.0],
            &[8.0, 8.0, 2.0],
            &[2.0, 1.0, 5.0],
            &[4.5, 3.0, 4.0],
            &[7.0, 2.0, 9.0],
            &[5.5, 3.0, 4.0],
        ],
        &[
            &[1.0, 2.0, 3.0],
            &[3.0, 4.5, 1.0],
            &[5.5, 6.0, 2.0],
            &[8.0, 8.0, 2.0],
            &[2.0, 1.0, 5.0],
            &[4.5, 3.0, 2.5],
            &[7.0, 2.0, 9.0],
            &[5.5, 4.5, 4.0],
        ],
        &[
            &[1.0, 2.0, 2.6666666666666665],
            &[3.0, 3.6666666666666665, 1.0],
            &[5.5, 6.0, 2.0],
            &[8.0, 8.0, 2.0],
            &[2.0, 1.0, 5.0],
            &[4.5, 3.0, 4.666666666666667],
            &[7.0, 2.0, 9.0],
            &[5.5, 5.666666666666667, 4.0],
        ],
    ];
    for k in 1..=3 {
        let imputer = Imputer::fit(ImputeStrategy::Knn { neighbours: k }, &train()).unwrap();
        assert_rows(&imputer.apply(&test_rows()).unwrap().x, expected_test[k - 1]);
        assert_rows(&imputer.apply(&train()).unwrap().x, expected_train[k - 1]);
    }
    assert!(Imputer::fit(ImputeStrategy::Knn { neighbours: 0 }, &train()).is_err());
}

#[test]
fn drop_rows_and_fit_errors() {
    let imputer = Imputer::fit(ImputeStrategy::DropRows, &train()).unwrap();
    let kept = imputer.apply(&train()).unwrap();
    assert_eq!(kept.y.as_slice(), &[3.0, 4.0, 6.0]);
    assert!(!has_missing(&kept) && has_missing(&train()));
    assert_eq!(missing_per_column(&train().x), vec![1, 2, 2]);
    // A column with no training value cannot be filled.
    let empty = dataset(&[1.0, NAN, 2.0, NAN], 2);
    let m = Imputer::fit(ImputeStrategy::Mean, &empty).unwrap_err().to_string();
    assert!(m.contains("\"x2\" has no value in the training rows"), "{m}");
    // Wrong width.
    let imputer = Imputer::fit(ImputeStrategy::Mean, &train()).unwrap();
    assert!(imputer.fill_matrix(&DMatrix::zeros(2, 2)).is_err());
}

// x = np.array([1, 2, 2.5, 3, 4, 4.2, 5, 30, -12, 3.3])
// q1, q3 = np.percentile(x, [25, 75]) -> 2.125, 4.15; fences -0.9125000000000005, 7.187500000000001
// x.mean(), x.std() -> 4.3, 9.741047171634065; ±2σ -> -15.18209434326813, 23.78209434326813
#[test]
fn outlier_rules_match_numpy() {
    let values = [1.0, 2.0, 2.5, 3.0, 4.0, 4.2, 5.0, 30.0, -12.0, 3.3];
    let data = Dataset::from_rows(&values, 1, &[0.0; 10], Task::Regression).unwrap();
    let iqr = OutlierBounds::fit(OutlierRule::Iqr { factor: 1.5 }, &data.x).unwrap();
    assert!((iqr.lower[0] + 0.9125000000000005).abs() < 1e-12 && (iqr.upper[0] - 7.187500000000001).abs() < 1e-12);
    assert_eq!(iqr.outlier_rows(&data.x), vec![7, 8]);
    let z = OutlierBounds::fit(OutlierRule::ZScore { threshold: 2.0 }, &data.x).unwrap();
    assert!((z.lower[0] + 15.18209434326813).abs() < 1e-12 && (z.upper[0] - 23.78209434326813).abs() < 1e-12);
    assert_eq!(z.outlier_rows(&data.x), vec![7]);

    let (clipped, rows) = iqr.apply(&data, OutlierAction::Clip);
    assert_eq!(rows, vec![7, 8]);
    assert_eq!(clipped.x[(7, 0)], iqr.upper[0]);
    assert_eq!(clipped.x[(8, 0)], iqr.lower[0]);
    assert_eq!(clipped.x[(0, 0)], 1.0);
    let (removed, _) = iqr.apply(&data, OutlierAction::Remove);
    assert_eq!(removed.len(), 8);
    assert!(!removed.x.iter().any(|&v| v == 30.0 || v == -12.0));
    assert_eq!(iqr.apply(&data, OutlierAction::Keep).0, data);
    // Bounds fitted on training rows apply to other rows; NaN is never an outlier.
    let other = DMatrix::from_column_slice(3, 1, &[7.0, 7.2, NAN]);
    assert_eq!(iqr.outlier_rows(&other), vec![1]);
    assert!(OutlierBounds::fit(OutlierRule::ZScore { threshold: f64::NAN }, &data.x).is_err());
}

#[test]
fn injectors_are_seeded_and_counted() {
    let base =
        Dataset::from_rows(&(0..200).map(|v| v as f64).collect::<Vec<_>>(), 2, &[0.0; 100], Task::Regression).unwrap();
    let spoiled = inject_missing(&base, 0.1, 3).unwrap();
    assert_eq!(spoiled.x.iter().filter(|v| v.is_nan()).count(), 20);
    assert_eq!(
        inject_missing(&base, 0.1, 3).unwrap().x.as_slice().iter().map(|v| v.is_nan()).collect::<Vec<_>>(),
        spoiled.x.as_slice().iter().map(|v| v.is_nan()).collect::<Vec<_>>()
    );
    assert_ne!(
        inject_missing(&base, 0.1, 4).unwrap().x.as_slice().iter().map(|v| v.is_nan()).collect::<Vec<_>>(),
        spoiled.x.as_slice().iter().map(|v| v.is_nan()).collect::<Vec<_>>()
    );
    assert!(inject_missing(&base, 1.5, 3).is_err());

    let (with_outliers, rows) = inject_outliers(&base, 0.05, 6.0, 9).unwrap();
    assert_eq!(rows.len(), 5);
    let bounds = OutlierBounds::fit(OutlierRule::ZScore { threshold: 3.0 }, &base.x).unwrap();
    assert_eq!(bounds.outlier_rows(&with_outliers.x), rows);
    let changed: Vec<usize> = (0..100).filter(|&i| with_outliers.x.row(i) != base.x.row(i)).collect();
    assert_eq!(changed, rows);
}
