//! A trained model (and its fitted preparation) as a short Python script that rebuilds it and
//! predicts the same numbers in float64: scikit-learn's `LinearRegression` / `LogisticRegression`
//! with the learned coefficients set, numpy for the network's layers and the trees' node arrays.
//! The script defines `prepare(X)` (imputer, clipped outliers, rescaling), `predict(X)` (raw
//! features in, the prediction or class probabilities out) and, run as a program, prints the
//! predictions for the learner's points, which it carries.

use super::onnx::Preparation;
use crate::data::cleaning::ImputeStrategy;
use crate::data::transforms::Scaling;
use crate::data::{Dataset, Task};
use crate::error::{Error, Result};
use crate::model::mlp::network::{Activation, Output, LEAKY_SLOPE};
use crate::model::tree::DecisionTree;
use crate::model::AnyModel;
use std::fmt::Write;

/// A number as Python reads it back exactly (the shortest form that round-trips).
fn num(v: f64) -> String {
    if v.is_nan() {
        return "np.nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "np.inf".into() } else { "-np.inf".into() };
    }
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e16).contains(&a) {
        format!("{v:e}")
    } else {
        let s = format!("{v}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// `[a, b, …]`.
fn list(values: &[f64]) -> String {
    format!("[{}]", values.iter().map(|&v| num(v)).collect::<Vec<_>>().join(", "))
}

/// `np.array([...])`, one-dimensional.
fn array(values: &[f64]) -> String {
    format!("np.array({})", list(values))
}

/// `np.array([[...], ...])` of a row-major matrix with `cols` columns, a row per line.
fn matrix(values: &[f64], cols: usize) -> String {
    let lines: Vec<String> = values.chunks(cols.max(1)).map(list).collect();
    format!("np.array([\n    {},\n])", lines.join(",\n    "))
}

fn ints(values: impl IntoIterator<Item = i64>) -> String {
    format!("np.array([{}])", values.into_iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", "))
}

fn untrained() -> Error {
    err!(InvalidInput, "export_untrained")
}

/// The script for `model` after `preparation`, carrying `data` (the raw points).
pub fn to_python(model: &AnyModel, preparation: &Preparation, data: &Dataset) -> Result<String> {
    let mut s = String::new();
    let kind = model.params().kind();
    let _ = writeln!(s, "# ml-playground: a trained {kind} model, rebuilt in Python (numpy, scikit-learn).");
    let _ = writeln!(s, "# predict(X) takes raw features, one row per point: {}.", data.feature_names.join(", "));
    s.push_str("import numpy as np\n");
    match model {
        AnyModel::Linear(_) => s.push_str("from sklearn.linear_model import LinearRegression\n"),
        AnyModel::Logistic(_) => s.push_str("from sklearn.linear_model import LogisticRegression\n"),
        _ => {}
    }
    s.push('\n');
    write_prepare(&mut s, preparation)?;
    match model {
        AnyModel::Linear(m) => {
            let (scaler, w) = m.standardized().ok_or_else(untrained)?;
            let degree = m.params().degree.max(1);
            let p = scaler.mean.len();
            let _ = writeln!(s, "def features(X):\n    \"\"\"Each feature's powers 1 to {degree}, standardised.\"\"\"");
            let _ = writeln!(
                s,
                "    powers = np.column_stack([X[:, j] ** k for j in range(X.shape[1]) for k in range(1, {})])",
                degree + 1
            );
            let _ = writeln!(s, "    return (powers - {}) / {}\n", array(&scaler.mean), array(&scaler.scale));
            let _ = writeln!(
                s,
                "model = LinearRegression()\nmodel.coef_ = {}\nmodel.intercept_ = {}\n",
                array(&w[..p]),
                num(w[p])
            );
            s.push_str("def predict(X):\n    return model.predict(features(prepare(X))).reshape(-1, 1)\n");
        }
        AnyModel::Logistic(m) => {
            let (scaler, n_inputs) = m.feature_scaler().ok_or_else(untrained)?;
            let c = m.standardized_coefficients();
            let f = &m.params().features;
            let mut columns = Vec::new();
            let x2 = n_inputs > 1;
            for (on, needs_x2, expr) in [
                (f.x1, false, "x1"),
                (f.x2, true, "x2"),
                (f.x1_squared, false, "x1 * x1"),
                (f.x2_squared, true, "x2 * x2"),
                (f.x1_x2, true, "x1 * x2"),
                (f.sin_x1, false, "np.sin(x1)"),
                (f.sin_x2, true, "np.sin(x2)"),
            ] {
                if on && (x2 || !needs_x2) {
                    columns.push(expr.to_string());
                }
            }
            for (a, b) in f.monomials(n_inputs) {
                let power = |name: &str, p: u32| match p {
                    0 => None,
                    1 => Some(name.to_string()),
                    p => Some(format!("{name}**{p}")),
                };
                columns.push([power("x1", a), power("x2", b)].into_iter().flatten().collect::<Vec<_>>().join(" * "));
            }
            let p = scaler.mean.len();
            let _ = writeln!(
                s,
                "def features(X):\n    \"\"\"The feature map {}, then the other inputs; standardised.\"\"\"",
                c.feature_names.join(", ")
            );
            let _ = writeln!(s, "    x1 = X[:, 0]{}", if x2 { "\n    x2 = X[:, 1]" } else { "" });
            let _ = writeln!(s, "    phi = np.column_stack([{}, *X[:, 2:].T])", columns.join(", "));
            let _ = writeln!(s, "    return (phi - {}) / {}\n", array(&scaler.mean), array(&scaler.scale));
            let k = m.n_classes().ok_or_else(untrained)?;
            let flat: Vec<f64> = c.weights.iter().flatten().copied().collect();
            let _ = writeln!(s, "model = LogisticRegression()\nmodel.classes_ = np.arange({k})");
            let _ = writeln!(s, "model.coef_ = {}", matrix(&flat, p));
            let _ = writeln!(s, "model.intercept_ = {}\n", array(&c.intercepts));
            s.push_str("def predict(X):\n    return model.predict_proba(features(prepare(X)))\n");
        }
        AnyModel::Mlp(m) => write_mlp(&mut s, m)?,
        AnyModel::Tree(m) => write_trees(&mut s, &[(m, None)], m.task())?,
        AnyModel::Forest(m) => {
            let trees: Vec<_> = m.trees().iter().map(|t| (&t.tree, Some(&t.features[..]))).collect();
            write_trees(&mut s, &trees, m.trees().first().and_then(|t| t.tree.task()))?
        }
        _ => return Err(err!(InvalidInput, "export_not_available", format = "Python", model = kind)),
    }
    // The learner's points.
    let (n, d) = (data.len(), data.n_features());
    let x: Vec<f64> = (0..n).flat_map(|i| (0..d).map(move |j| (i, j))).map(|(i, j)| data.x[(i, j)]).collect();
    let _ = writeln!(s, "\n# The points the model was trained and tested on (raw features, then the targets).");
    let _ = writeln!(s, "X = {}", matrix(&x, d));
    let _ = writeln!(s, "y = {}", array(data.y.as_slice()));
    s.push_str("\nif __name__ == \"__main__\":\n    print(predict(X))\n");
    Ok(s)
}

fn write_prepare(s: &mut String, p: &Preparation) -> Result<()> {
    s.push_str("def prepare(X):\n    \"\"\"The preparation fitted on the training rows.\"\"\"\n    X = np.array(X, dtype=float)\n");
    if let Some(imputer) = p.imputer {
        match imputer.strategy {
            ImputeStrategy::DropRows => {}
            ImputeStrategy::Knn { .. } => return Err(err!(InvalidInput, "export_knn_imputer", format = "Python")),
            _ => {
                let _ =
                    writeln!(s, "    X = np.where(np.isnan(X), {}, X)  # missing values filled", array(&imputer.fill));
            }
        }
    }
    if let Some(b) = p.clip {
        let _ = writeln!(s, "    X = np.clip(X, {}, {})  # outliers clipped", array(&b.lower), array(&b.upper));
    }
    if let Some(scaler) = p.scaler {
        let (o, k) = (array(&scaler.offset), array(&scaler.scale));
        let _ = match scaler.scaling {
            Scaling::None => Ok(()),
            Scaling::Standardize => writeln!(s, "    X = (X - {o}) / {k}  # standardised"),
            Scaling::MinMax => writeln!(s, "    X = (X - {o}) / {k}  # min-max"),
            Scaling::Log => writeln!(s, "    X = np.log(X)"),
            Scaling::LogShifted => writeln!(s, "    X = np.log1p(np.maximum(X - {o}, 0))  # shifted log"),
        };
    }
    s.push_str("    return X\n\n");
    Ok(())
}

fn write_mlp(s: &mut String, m: &crate::model::mlp::Mlp) -> Result<()> {
    let (Some(network), Some(scaler)) = (m.network(), m.scaler()) else { return Err(untrained()) };
    if network.quantized().is_some_and(|q| !q.activations.is_empty()) {
        return Err(err!(InvalidParameter, "export_quantized_activations"));
    }
    let sizes = network.sizes();
    let _ = writeln!(s, "mean = {}\nscale = {}", array(&scaler.mean), array(&scaler.scale));
    let n_layers = sizes.len() - 1;
    s.push_str("weights = [\n");
    for i in 0..n_layers {
        let w = network.weights(i).ok_or_else(untrained)?;
        let flat: Vec<f64> =
            (0..sizes[i]).flat_map(|r| (0..sizes[i + 1]).map(move |c| (r, c))).map(|(r, c)| w[(r, c)]).collect();
        let _ = writeln!(s, "    {},", matrix(&flat, sizes[i + 1]).replace('\n', "\n    "));
    }
    s.push_str("]\nbiases = [\n");
    for i in 0..n_layers {
        let b = network.biases(i).ok_or_else(untrained)?;
        let _ = writeln!(s, "    {},", array(&b));
    }
    s.push_str("]\n");
    let acts: Vec<&str> = network
        .activations()
        .iter()
        .map(|a| match a {
            Activation::Tanh => "np.tanh(z)",
            Activation::Relu => "np.maximum(z, 0)",
            Activation::LeakyRelu => "np.where(z > 0, z, LEAKY * z)",
            Activation::Sigmoid => "1 / (1 + np.exp(-z))",
            Activation::Linear => "z",
        })
        .collect();
    let _ = writeln!(s, "LEAKY = {}", num(LEAKY_SLOPE));
    let skips: Vec<String> = network
        .skips()
        .iter()
        .map(|layer| {
            let pairs: Vec<String> =
                layer.iter().enumerate().filter_map(|(c, src)| src.map(|src| format!("({c}, {src})"))).collect();
            format!("[{}]", pairs.join(", "))
        })
        .collect();
    let _ = writeln!(
        s,
        "# per hidden layer: (neuron, input it adds) of the residual form\nskips = [{}]\n",
        skips.join(", ")
    );
    s.push_str("def activation(layer, z):\n");
    for (i, a) in acts.iter().enumerate() {
        let _ = writeln!(s, "    if layer == {i}:\n        return {a}");
    }
    s.push_str("    return z\n\ndef predict(X):\n    h = (prepare(X) - mean) / scale\n");
    s.push_str("    for layer, (w, b) in enumerate(zip(weights, biases)):\n        z = h @ w + b\n");
    s.push_str("        if layer == len(weights) - 1:\n            break\n        a = activation(layer, z)\n");
    s.push_str(
        "        for neuron, source in skips[layer]:\n            a[:, neuron] += h[:, source]\n        h = a\n",
    );
    match network.output() {
        Output::Linear => s.push_str("    return z\n"),
        Output::Sigmoid => s.push_str("    p = 1 / (1 + np.exp(-z[:, 0]))\n    return np.column_stack([1 - p, p])\n"),
        Output::Softmax => s.push_str(
            "    e = np.exp(z - z.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)\n",
        ),
    }
    Ok(())
}

fn write_trees(s: &mut String, trees: &[(&DecisionTree, Option<&[usize]>)], task: Option<Task>) -> Result<()> {
    task.ok_or_else(untrained)?;
    if trees.is_empty() {
        return Err(untrained());
    }
    s.push_str(
        "# scikit-learn's tree_ layout: a row goes left when X[feature] <= threshold (a NaN goes left)\ntrees = [\n",
    );
    for (tree, columns) in trees {
        let a = tree.arrays();
        let feature =
            a.feature.iter().map(|&f| if f < 0 { -1 } else { columns.map_or(f as i64, |c| c[f as usize] as i64) });
        let _ = writeln!(
            s,
            "    dict(left={}, right={}, feature={}, threshold={}, value={}),",
            ints(a.children_left.iter().map(|&v| v as i64)),
            ints(a.children_right.iter().map(|&v| v as i64)),
            ints(feature),
            array(&a.threshold),
            matrix(&a.value, a.n_outputs),
        );
    }
    s.push_str("]\n\ndef leaf_values(t, X):\n    node = np.zeros(len(X), dtype=int)\n");
    s.push_str("    while True:\n        inner = t[\"left\"][node] >= 0\n        if not inner.any():\n            return t[\"value\"][node]\n");
    s.push_str("        x = X[np.arange(len(X)), np.maximum(t[\"feature\"][node], 0)]\n");
    s.push_str("        go_right = x > t[\"threshold\"][node]\n");
    s.push_str("        node = np.where(inner, np.where(go_right, t[\"right\"][node], t[\"left\"][node]), node)\n\n");
    s.push_str("def predict(X):\n    X = prepare(X)\n    return sum(leaf_values(t, X) for t in trees) / len(trees)\n");
    Ok(())
}
