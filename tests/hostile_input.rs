//! Hostile and extreme input (issue 10 items 18–21): data at the edge of f64, model files that are
//! damaged or hand-made, unknown keys. Each is refused with a message, or works; none breaks a
//! later call.
use ml_playground::data::{rng, Dataset, Task};
use ml_playground::model::{Model, ModelParams};
use ml_playground::Error;
use nalgebra::DMatrix;

fn params(json: &str) -> ModelParams {
    serde_json::from_str(json).unwrap()
}

/// Two classes on one feature, x = ±(1..=20) × `scale`.
fn two_classes(scale: f64) -> Dataset {
    let x: Vec<f64> = (1..=20).flat_map(|i| [-(i as f64) * scale, i as f64 * scale]).collect();
    let y: Vec<f64> = (1..=20).flat_map(|_| [0.0, 1.0]).collect();
    Dataset::from_rows(&x, 1, &y, Task::Classification { n_classes: 2 }).unwrap()
}

#[test]
fn huge_feature_values_are_standardised_safely_or_refused() {
    // Issue 10 item 18: at |x| ≈ 1e200 the scaler's variance overflowed to ∞: the network then
    // said "this model file is damaged" on predict, logistic regression predicted 0.5 everywhere.
    let data = two_classes(1e200);
    let probe = DMatrix::from_column_slice(2, 1, &[-5e200, 5e200]);
    for json in [r#"{"kind":"logistic"}"#, r#"{"kind":"mlp","hidden_layers":[{"neurons":4}]}"#, r#"{"kind":"tree"}"#] {
        let mut model = params(json).build(1).unwrap();
        model.fit(&data).unwrap();
        let p = model.predict(&probe).unwrap();
        let (left, right) = (p[(0, p.ncols() - 1)], p[(1, p.ncols() - 1)]);
        assert!(left < 0.2 && right > 0.8, "{json}: P(class 1) {left} and {right}");
        assert!(!model.summary().formula.contains("damaged"), "{json}");
    }
    // Linear regression on 1e200: degree 1 works, degree 2 (1e400) is refused with a message.
    let x: Vec<f64> = (0..10).map(|i| i as f64 * 1e200).collect();
    let y: Vec<f64> = (0..10).map(|i| 2.0 * i as f64).collect();
    let data = Dataset::from_rows(&x, 1, &y, Task::Regression).unwrap();
    let mut line = params(r#"{"kind":"linear"}"#).build(1).unwrap();
    line.fit(&data).unwrap();
    let p = line.predict(&DMatrix::from_column_slice(1, 1, &[5e200])).unwrap()[0];
    assert!((p - 10.0).abs() < 1e-6, "{p}");
    for json in [r#"{"kind":"linear","degree":2}"#, r#"{"kind":"linear","degree":2,"solver":"gradient_descent"}"#] {
        let mut square = params(json).build(1).unwrap();
        let err =
            if json.contains("gradient") { square.step(&data, &mut rng(1)) } else { square.fit(&data) }.unwrap_err();
        assert!(matches!(&err, Error::InvalidData(m) if m.contains("too large")), "{json}: {err}");
        assert!(!square.is_trained() || square.is_finite(), "{json}");
    }
}
