//! Hostile and extreme input (issue 10 items 18–21): data at the edge of f64, model files that are
//! damaged or hand-made, unknown keys. Each is refused with a message, or works; none breaks a
//! later call.
use ml_playground::data::{rng, Dataset, Task};
use ml_playground::model::{AnyModel, Model, ModelParams};
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

fn refusal<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    serde_json::from_str::<T>(json).unwrap_err().to_string()
}

#[test]
fn unknown_keys_are_refused_with_the_field_meant() {
    // Issue 10 item 20: `max_leaves: 3` silently grew 37 leaves; scikit-learn's `C` was ignored.
    use ml_playground::state::State;
    for (json, said) in [
        (r#"{"kind":"tree","max_leaves":3}"#, "unknown field `max_leaves` (did you mean `max_leaf_nodes`?)"),
        (r#"{"kind":"tree","max_depht":3}"#, "unknown field `max_depht` (did you mean `max_depth`?)"),
        (r#"{"kind":"logistic","C":10}"#, "unknown field `C` (did you mean `strength`?)"),
        (r#"{"kind":"linear","alpha":0.1}"#, "unknown field `alpha` (did you mean `ridge`?)"),
        (
            r#"{"kind":"mlp","hidden_layer_sizes":[4]}"#,
            "unknown field `hidden_layer_sizes` (did you mean `hidden_layers`?)",
        ),
        (r#"{"kind":"mlp","hidden_layers":[{"neurons":4,"activaton":"relu"}]}"#, "did you mean `activation`?"),
        (r#"{"kind":"linear","train":{"learning_rate":0.1,"momentum":0.9}}"#, "unknown field `momentum`"),
        (
            r#"{"kind":"linear","train":{"optimizer":{"kind":"adam","beta":0.9}}}"#,
            "unknown field `beta` (did you mean `beta1`?)",
        ),
        (r#"{"kind":"linear","train":{"schedule":{"kind":"constant","gamma":0.5}}}"#, "unknown field `gamma`"),
        (r#"{"kind":"logistic","penalty":{"kind":"l1","l1_ratio":0.5}}"#, "unknown field `l1_ratio`"),
        (r#"{"kind":"tree","zzz":1}"#, "unknown field `zzz`, expected one of `criterion`"),
    ] {
        let err = refusal::<ModelParams>(json);
        assert!(err.contains(said), "{json}: {err}");
    }
    // The page's state, at every depth.
    for (json, said) in [
        (r#"{"modle":{"kind":"tree"}}"#, "unknown field `modle` (did you mean `model`?)"),
        (r#"{"data":{"kind":"sine","points":50}}"#, "unknown field `points`"),
        (r#"{"data":{"kind":"moons","resample":{"kind":"smote","n_neighbors":3}}}"#, "did you mean `neighbours`?"),
        (r#"{"edits":[{"op":"add","x":1,"y":2,"lable":1}]}"#, "unknown field `lable` (did you mean `label`?)"),
        (r#"{"view":{"residual":true}}"#, "did you mean `residuals`?"),
        (r#"{"model":{"kind":"tree","max_leaves":3}}"#, "did you mean `max_leaf_nodes`?"),
    ] {
        let err = refusal::<State>(json);
        assert!(err.contains(said), "{json}: {err}");
    }
    // A model file with a key its model does not have.
    let mut tree = params(r#"{"kind":"tree","max_depth":2}"#).build(1).unwrap();
    tree.fit(&two_classes(1.0)).unwrap();
    let file = serde_json::to_string(&tree).unwrap();
    let edited = file.replacen('{', r#"{"leaves":5,"#, 1);
    assert!(refusal::<AnyModel>(&edited).contains("unknown field `leaves`"), "{}", refusal::<AnyModel>(&edited));
    // Every known key is still read, with defaults for what is left out (`#[serde(default)]`).
    let state: State =
        serde_json::from_str(r#"{"model":{"kind":"tree","max_leaf_nodes":3},"view":{"band":false}}"#).unwrap();
    assert!(!state.view.band && state.view.show_test);
    assert_eq!(serde_json::from_str::<State>(&serde_json::to_string(&state).unwrap()).unwrap(), state);
}
