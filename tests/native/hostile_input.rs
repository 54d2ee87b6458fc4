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
        assert_ne!(model.summary().code, "damaged", "{json}");
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
        assert!(matches!(&err, Error::InvalidData(m) if m.to_string().contains("too large")), "{json}: {err}");
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

/// What `Model.fromJSON` does with a file: read it, then validate it.
fn import(json: &str) -> Result<AnyModel, String> {
    let model: AnyModel = serde_json::from_str(json).map_err(|e| e.to_string())?;
    model.validate().map_err(|e| e.to_string())?;
    Ok(model)
}

/// The JS object a page would hand over: the JSON with every `MARK` number replaced by `with`
/// (NaN or ∞, which JSON cannot hold but a JS object can), read as serde-wasm-bindgen would.
fn import_js_object(json: &str, with: f64) -> Result<AnyModel, String> {
    use ml_playground::tagged::{Value, ValueDeserializer};
    fn convert(v: &serde_json::Value, with: f64) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) if n.as_f64() == Some(MARK) => Value::F64(with),
            serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Value::U64(u),
                (_, Some(i)) => Value::I64(i),
                _ => Value::F64(n.as_f64().unwrap()),
            },
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::Seq(a.iter().map(|v| convert(v, with)).collect()),
            serde_json::Value::Object(o) => Value::Map(o.iter().map(|(k, v)| (k.clone(), convert(v, with))).collect()),
        }
    }
    let value = convert(&serde_json::from_str(json).unwrap(), with);
    let model = <AnyModel as serde::Deserialize>::deserialize(ValueDeserializer::<serde_json::Error>::new(value))
        .map_err(|e| e.to_string())?;
    model.validate().map_err(|e| e.to_string())?;
    Ok(model)
}

const MARK: f64 = 123456.5;

fn trained(json: &str, data: &Dataset) -> String {
    let mut model = params(json).build(3).unwrap();
    model.fit(data).unwrap();
    serde_json::to_string(&model).unwrap()
}

/// `file` with the first number after `"key":[` (or `"key":`) replaced by `with`.
fn with_first(file: &str, key: &str, with: &str) -> String {
    let at = file
        .find(&format!("\"{key}\":["))
        .or_else(|| file.find(&format!("\"{key}\":")))
        .unwrap_or_else(|| panic!("no {key} in {file}"))
        + key.len()
        + 3;
    let start = at + file[at..].find(|c: char| c == '-' || c.is_ascii_digit()).unwrap();
    let end = start + file[start..].find([',', ']', '}']).unwrap();
    format!("{}{with}{}", &file[..start], &file[end..])
}

#[test]
fn model_files_are_refused_when_sizes_or_numbers_are_out_of_bounds() {
    // Issue 10 item 19. An untrained logistic model with n_inputs 1e9 was accepted and its
    // summary() trapped (capacity overflow).
    let untrained = serde_json::to_string(&params(r#"{"kind":"logistic"}"#).build(1).unwrap()).unwrap();
    let huge = with_first(&untrained, "n_inputs", "1000000000");
    assert!(
        import(&huge).unwrap_err().contains("n_inputs is 1000000000, where 0 to 10000 are allowed"),
        "{}",
        import(&huge).unwrap_err()
    );
    // A tree above the node limit (a 10⁷-node file grew the page's memory to 2.8 GiB).
    let nodes = ml_playground::model::tree::MAX_NODES + 2;
    let list = |v: &str| vec![v; nodes].join(",");
    let mut children_left: Vec<String> =
        (0..nodes).map(|i| if i < nodes / 2 { (2 * i + 1).to_string() } else { "-1".into() }).collect();
    let mut children_right: Vec<String> =
        (0..nodes).map(|i| if i < nodes / 2 { (2 * i + 2).to_string() } else { "-1".into() }).collect();
    children_left.truncate(nodes);
    children_right.truncate(nodes);
    let big_tree = format!(
        r#"{{"kind":"tree","params":{{}},"task":{{"kind":"regression"}},"complete":true,"data_fingerprint":0,"tree":{{"n_features":1,"n_outputs":1,"children_left":[{}],"children_right":[{}],"feature":[{}],"threshold":[{}],"impurity":[{}],"n_node_samples":[{}],"weighted_n_node_samples":[{}],"value":[{}]}}}}"#,
        children_left.join(","),
        children_right.join(","),
        list("0"),
        list("0.5"),
        list("0"),
        list("1"),
        list("1"),
        list("0")
    );
    let err = import(&big_tree).unwrap_err();
    assert!(
        err.contains("tree.children_left is 200001, where 1 to 199999 are allowed"),
        "{}",
        &err[..err.len().min(300)]
    );
    // A list longer than anything the playground writes is refused while it is read.
    let long = format!(r#"{{"kind":"linear","weights":[{}]}}"#, vec!["0"; (1 << 22) + 1].join(","));
    assert!(import(&long).unwrap_err().contains("longer than anything the playground writes"));
    // A tree's class values must be probabilities: [7, −5] was accepted and "predicted".
    let xor = two_classes(1.0);
    let tree = trained(r#"{"kind":"tree","max_depth":1}"#, &xor);
    let damaged = tree.replacen(r#""value":[0.5,0.5"#, r#""value":[7.0,-5.0"#, 1);
    assert_ne!(damaged, tree, "{tree}");
    assert!(
        import(&damaged).unwrap_err().contains("tree.value[0] holds class probabilities"),
        "{}",
        import(&damaged).unwrap_err()
    );
}

#[test]
fn model_files_whose_predictions_are_not_finite_are_refused() {
    // Issue 10 item 19: one weight of −1e308 in a residual network or a logistic model passed
    // every check and predicted NaN.
    let data = two_classes(1.0);
    for (json, key) in [
        (r#"{"kind":"logistic"}"#, "weights"),
        (r#"{"kind":"mlp","hidden_layers":[{"neurons":4},{"neurons":4}],"residual":true}"#, "params"),
        (r#"{"kind":"linear"}"#, "weights"),
    ] {
        let data = if json.contains("linear") {
            Dataset::from_rows(&[0.0, 1.0, 2.0, 3.0], 1, &[1.0, 3.0, 2.0, 5.0], Task::Regression).unwrap()
        } else {
            data.clone()
        };
        let file = trained(json, &data);
        let good = import(&file).unwrap_or_else(|e| panic!("{json}: {e}"));
        // A file that passes round-trips.
        assert_eq!(serde_json::to_string(&good).unwrap(), file);
        let damaged = with_first(&file, key, "-1e308");
        let err = import(&damaged).unwrap_err();
        assert!(err.contains("NaN or infinite") || err.contains("damaged"), "{json}: {err}");
        // NaN and ∞ (JSON.parse turns 1e999 into Infinity) in a JS object are refused too.
        let marked = with_first(&file, key, &MARK.to_string());
        for with in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = import_js_object(&marked, with).unwrap_err();
            assert!(err.contains("finite") || err.contains("NaN"), "{json} with {with}: {err}");
        }
        assert!(import_js_object(&marked, 0.25).is_ok(), "{json}");
    }
    // 1e999 in a JSON text is refused by the reader itself (it would be exported as null).
    assert!(import(r#"{"kind":"linear","params":{"ridge":1e999}}"#).unwrap_err().contains("number out of range"));
    // Hyper-parameters given as a JS object with NaN are refused by the check.
    for field in ["ridge", "learning_rate"] {
        let json = if field == "ridge" {
            format!(r#"{{"kind":"linear","params":{{"ridge":{MARK}}}}}"#)
        } else {
            format!(r#"{{"kind":"linear","params":{{"train":{{"learning_rate":{MARK}}}}}}}"#)
        };
        assert!(import_js_object(&json, f64::NAN).is_err(), "{field}");
    }
}
