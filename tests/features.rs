//! Choosing features: leaving feature columns out (`drop_features`), drawing models on more
//! features than the canvas shows (slices at the training means), SMOTE rows in the CSV export,
//! and regression outliers judged on residuals from a local fit.
use ml_playground::data::{Dataset, Task};
use ml_playground::session::{CustomData, FeatureInfo, Session};
use ml_playground::state::{Edit, State};
use nalgebra::{DMatrix, DVector};

fn state(json: &str) -> State {
    serde_json::from_str(json).unwrap()
}

/// Imported data with the given features and targets (classes named "a", "b", … when classifying).
fn custom(x: DMatrix<f64>, y: Vec<f64>, task: Task, names: &[&str]) -> CustomData {
    let mut data = Dataset::new(x, DVector::from_vec(y), task).unwrap();
    data.feature_names = names.iter().map(|n| n.to_string()).collect();
    let class_names = match task {
        Task::Classification { n_classes } => (0..n_classes).map(|c| ((b'a' + c as u8) as char).to_string()).collect(),
        Task::Regression => Vec::new(),
    };
    CustomData { data, target_name: "target".into(), class_names }
}

#[test]
fn a_left_out_feature_is_gone_from_the_data_and_reported_as_not_kept() {
    let both = Session::new(state(r#"{"data":{"kind":"moons","n":200,"seed":4},"model":{"kind":"logistic"}}"#)).unwrap();
    assert_eq!(
        both.report().features,
        vec![FeatureInfo { name: "x₁".into(), kept: true }, FeatureInfo { name: "x₂".into(), kept: true }]
    );
    let mut s = Session::new(state(r#"{"data":{"kind":"moons","n":200,"seed":4,"drop_features":[0]},"model":{"kind":"tree"}}"#)).unwrap();
    assert_eq!(s.data().n_features(), 1);
    assert_eq!(s.data().x.column(0), both.data().x.column(1), "x₂ is what remains");
    assert_eq!(s.base_feature_names(), &["x1".to_string(), "x2".into()]);
    s.fit_now();
    let report = s.report();
    assert!(report.trained, "{:?}", report.message);
    assert_eq!(report.features.iter().map(|f| f.kept).collect::<Vec<_>>(), vec![false, true]);
    // The JSON the page reads.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["features"], serde_json::json!([{ "name": "x₁", "kept": false }, { "name": "x₂", "kept": true }]));
    // One feature on the canvas: points at height 0, the axis named after the kept feature.
    let (scene, _) = s.scene(10, Some((40, 30)));
    assert!(scene.ys.iter().all(|&y| y == 0.0));
    assert_eq!((scene.x_label.as_str(), scene.y_label.as_str()), ("x₂", ""));
    // Placing a 2-D point is refused with advice; dragging moves the one feature.
    let err = s.edit(Edit::Add { x: 1.0, y: 1.0, label: Some(1) }).unwrap_err();
    assert!(err.to_string().contains("two features"), "{err}");
    s.edit(Edit::Move { i: 3, x: 2.5, y: 7.0 }).unwrap();
    assert_eq!(s.data().x[(3, 0)], 2.5);
    assert_eq!(s.data().n_features(), 1);
}

#[test]
fn bad_feature_choices_are_refused_and_the_session_is_unchanged() {
    let mut s = Session::new(state(r#"{"data":{"kind":"moons","n":100,"seed":4},"model":{"kind":"logistic"}}"#)).unwrap();
    let before = s.data().clone();
    let mut bad = s.state().clone();
    bad.data.drop_features = vec![2];
    let err = s.set_state(bad.clone()).unwrap_err();
    assert!(err.to_string().contains("feature 3"), "{err}");
    assert_eq!(err.kind(), "invalid_parameter");
    bad.data.drop_features = vec![1, 0];
    assert!(s.set_state(bad.clone()).unwrap_err().to_string().contains("keep at least one feature"));
    bad.data.drop_features = vec![1, 1];
    assert!(s.set_state(bad).unwrap_err().to_string().contains("twice"));
    assert_eq!(s.data(), &before);
    assert!(Session::new(state(r#"{"data":{"kind":"sine","drop_features":[0]}}"#)).is_err());

    // Hand-placed 2-D points cannot be replayed on one feature: the change is refused, with why.
    s.edit(Edit::Add { x: 1.0, y: 1.0, label: Some(1) }).unwrap();
    let mut one = s.state().clone();
    one.data.drop_features = vec![1];
    let err = s.set_state(one).unwrap_err();
    assert!(err.to_string().contains("two features"), "{err}");
    assert_eq!(s.data().n_features(), 2);
    assert_eq!(s.data().len(), before.len() + 1);
}

#[test]
fn imported_columns_can_be_left_out_and_a_new_import_includes_every_column() {
    // y depends on a and c; b is noise.
    let n = 120;
    let x = DMatrix::from_fn(n, 3, |i, j| ((i * (j + 3) * 7919) % 101) as f64 / 10.0 - 5.0);
    let y: Vec<f64> = (0..n).map(|i| 2.0 * x[(i, 0)] - x[(i, 2)] + 1.0).collect();
    let mut s = Session::new(State::default()).unwrap();
    s.import(custom(x.clone(), y.clone(), Task::Regression, &["a", "b", "c"])).unwrap();
    let mut st = s.state().clone();
    st.data.drop_features = vec![1];
    s.set_state(st).unwrap();
    assert_eq!(s.data().feature_names, vec!["a".to_string(), "c".into()]);
    let r = s.report();
    assert_eq!(r.features.iter().map(|f| (f.name.as_str(), f.kept)).collect::<Vec<_>>(), vec![("a", true), ("b", false), ("c", true)]);
    let ml_playground::session::Scores::Regression(train) = r.train else { panic!("regression") };
    assert!(train.r2.unwrap() > 0.999, "a and c explain y: R² {:?}", train.r2);
    // Adding a regression point needs one feature.
    assert!(s.edit(Edit::Add { x: 0.0, y: 0.0, label: None }).unwrap_err().to_string().contains("one feature"));
    // A new table starts with every column included.
    s.import(custom(x.columns(0, 2).into_owned(), y, Task::Regression, &["p", "q"])).unwrap();
    assert!(s.state().data.drop_features.is_empty());
    assert_eq!(s.data().n_features(), 2);
}
