//! A trained model (and its fitted preparation) as a short Python script that rebuilds it and
//! predicts the same numbers in float64: scikit-learn's `LinearRegression` / `LogisticRegression`
//! with the learned coefficients set, `KNeighborsClassifier` / `KNeighborsRegressor` fitted on the
//! stored training rows (`algorithm="kd_tree"`: exact distances, so a row on a training point is
//! at distance 0 as in `predict`), `GaussianNB` with `theta_`, `var_` and `class_prior_` set;
//! numpy for the network's layers (an ensemble's members each, averaged; quantised hidden outputs
//! rounded as `predict` rounds them), the trees' node arrays
//! (gradient boosting: the starting prediction plus `learning_rate ×` each stage's leaf values),
//! the SVM (kernel, each pair's decision value, Platt's sigmoid and libsvm's coupling) and k-means'
//! nearest centroid.
//! The script defines `prepare(X)` (imputer, clipped outliers, rescaling), `predict(X)` (raw
//! features in, the prediction or class probabilities out) and, run as a program, prints the
//! predictions for the learner's points, which it carries.

mod svm;

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
        AnyModel::Knn(m) if m.task() == Some(Task::Regression) => {
            s.push_str("from sklearn.neighbors import KNeighborsRegressor\n")
        }
        AnyModel::Knn(_) => s.push_str("from sklearn.neighbors import KNeighborsClassifier\n"),
        AnyModel::NaiveBayes(_) => s.push_str("from sklearn.naive_bayes import GaussianNB\n"),
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
        AnyModel::Mlp(m) => write_mlp(&mut s, m, "")?,
        AnyModel::Ensemble(m) => {
            if m.members().is_empty() {
                return Err(untrained());
            }
            for (i, member) in m.members().iter().enumerate() {
                let _ = writeln!(s, "# member {}\n", i + 1);
                write_mlp(&mut s, member, &format!("_{i}"))?;
                s.push('\n');
            }
            let calls: Vec<String> = (0..m.members().len()).map(|i| format!("predict_{i}(X)")).collect();
            let _ = writeln!(
                s,
                "def predict(X):\n    \"\"\"The members' predictions, averaged.\"\"\"\n    return ({}) / {}",
                calls.join(" + "),
                calls.len()
            );
        }
        AnyModel::Boosting(m) => write_boosting(&mut s, m)?,
        AnyModel::Knn(m) => write_knn(&mut s, m)?,
        AnyModel::NaiveBayes(m) => write_naive_bayes(&mut s, m)?,
        AnyModel::Svm(m) => svm::write_svm(&mut s, m)?,
        AnyModel::KMeans(m) => write_kmeans(&mut s, m)?,
        AnyModel::Tree(m) => write_trees(&mut s, &[(m, None)], m.task())?,
        AnyModel::Forest(m) => {
            let trees: Vec<_> = m.trees().iter().map(|t| (&t.tree, Some(&t.features[..]))).collect();
            write_trees(&mut s, &trees, m.trees().first().and_then(|t| t.tree.task()))?
        }
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

/// The script for a model trained outside a session (the JS API's `Model.toPython`): no
/// preparation, carrying `data`'s points, which must have the model's number of features.
pub fn standalone(model: &AnyModel, data: &Dataset) -> Result<String> {
    let width = super::onnx::input_width(model).ok_or_else(untrained)?;
    if data.n_features() != width {
        return Err(err!(InvalidData, "feature_count", expected = width, got = data.n_features()));
    }
    to_python(model, &Preparation::default(), data)
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

/// A network's constants and `predict{suffix}(X)` (an ensemble writes one per member).
fn write_mlp(s: &mut String, m: &crate::model::mlp::Mlp, suffix: &str) -> Result<()> {
    let (Some(network), Some(scaler)) = (m.network(), m.scaler()) else { return Err(untrained()) };
    let rounded = network.quantized().filter(|q| !q.activations.is_empty());
    let sizes = network.sizes();
    let _ = writeln!(s, "mean{suffix} = {}\nscale{suffix} = {}", array(&scaler.mean), array(&scaler.scale));
    let n_layers = sizes.len() - 1;
    let _ = writeln!(s, "weights{suffix} = [");
    for i in 0..n_layers {
        let w = network.weights(i).ok_or_else(untrained)?;
        let flat: Vec<f64> =
            (0..sizes[i]).flat_map(|r| (0..sizes[i + 1]).map(move |c| (r, c))).map(|(r, c)| w[(r, c)]).collect();
        let _ = writeln!(s, "    {},", matrix(&flat, sizes[i + 1]).replace('\n', "\n    "));
    }
    let _ = writeln!(s, "]\nbiases{suffix} = [");
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
        "# per hidden layer: (neuron, input it adds) of the residual form\nskips{suffix} = [{}]\n",
        skips.join(", ")
    );
    let _ = writeln!(s, "def activation{suffix}(layer, z):");
    for (i, a) in acts.iter().enumerate() {
        let _ = writeln!(s, "    if layer == {i}:\n        return {a}");
    }
    s.push_str("    return z\n\n");
    if let Some(q) = rounded {
        write_quantize(s, q, suffix);
    }
    let _ = writeln!(s, "def predict{suffix}(X):\n    h = (prepare(X) - mean{suffix}) / scale{suffix}");
    let _ =
        writeln!(s, "    for layer, (w, b) in enumerate(zip(weights{suffix}, biases{suffix})):\n        z = h @ w + b");
    let _ = writeln!(
        s,
        "        if layer == len(weights{suffix}) - 1:\n            break\n        a = {}",
        match rounded {
            Some(_) => format!("quantize{suffix}(layer, activation{suffix}(layer, z))"),
            None => format!("activation{suffix}(layer, z)"),
        }
    );
    let _ = writeln!(
        s,
        "        for neuron, source in skips{suffix}[layer]:\n            a[:, neuron] += h[:, source]\n        h = a"
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

/// `quantize{suffix}(layer, a)`: a hidden layer's outputs rounded as `Quantized::activation`
/// does (`np.round` rounds halves to even, as `predict`; the product in float32, as `predict`).
fn write_quantize(s: &mut String, q: &crate::model::mlp::quantized::Quantized, suffix: &str) {
    let scales: Vec<f64> = q.activations.iter().map(|a| a.scale as f64).collect();
    let zeros: Vec<f64> = q.activations.iter().map(|a| a.zero_point as f64).collect();
    let _ = writeln!(
        s,
        "# the hidden layers' outputs quantised to {} bits: per layer a scale and a zero point\nactivation_scales{suffix} = {}\nactivation_zeros{suffix} = {}\n",
        q.bits,
        list(&scales),
        list(&zeros)
    );
    let _ = writeln!(
        s,
        "def quantize{suffix}(layer, a):\n    s, z = activation_scales{suffix}[layer], activation_zeros{suffix}[layer]"
    );
    if q.bits <= 1 {
        s.push_str("    return np.where(a < 0, -s, s)\n\n");
        return;
    }
    let (low, high) = crate::model::mlp::quantized::Quantized::range(q.bits);
    let low = if q.symmetric { -high } else { low };
    let _ = writeln!(s, "    q = np.clip(np.round(a / s) + z, {low}, {high})");
    s.push_str("    return ((q - z) * s).astype(np.float32).astype(np.float64)\n\n");
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
    s.push_str("]\n\n");
    s.push_str(WALKER);
    s.push_str("def predict(X):\n    X = prepare(X)\n    return sum(leaf_values(t, X) for t in trees) / len(trees)\n");
    Ok(())
}

/// `leaf_values(t, X)`: each row's leaf value in the tree `t` (scikit-learn's node arrays).
const WALKER: &str = "def leaf_values(t, X):
    node = np.zeros(len(X), dtype=int)
    while True:
        inner = t[\"left\"][node] >= 0
        if not inner.any():
            return t[\"value\"][node]
        x = X[np.arange(len(X)), np.maximum(t[\"feature\"][node], 0)]
        go_right = x > t[\"threshold\"][node]
        node = np.where(inner, np.where(go_right, t[\"right\"][node], t[\"left\"][node]), node)

";

/// Gradient boosting: per stage one tree per raw output (its leaf values, the Newton steps for
/// log-loss), added with the learning rate onto the starting prediction; then the link.
fn write_boosting(s: &mut String, m: &crate::model::boosting::GradientBoosting) -> Result<()> {
    let task = m.task().ok_or_else(untrained)?;
    let _ = writeln!(s, "learning_rate = {}\ninit = {}", num(m.params().learning_rate), array(m.init()));
    s.push_str(
        "# per stage, one regression tree per output (scikit-learn's tree_ layout, a NaN goes left)\nstages = [\n",
    );
    for stage in m.stages() {
        s.push_str("    [\n");
        for t in stage {
            let a = t.tree.arrays();
            let _ = writeln!(
                s,
                "        dict(left={}, right={}, feature={}, threshold={}, value={}),",
                ints(a.children_left.iter().map(|&v| v as i64)),
                ints(a.children_right.iter().map(|&v| v as i64)),
                ints(a.feature.iter().map(|&f| f as i64)),
                array(&a.threshold),
                array(&t.leaf_values),
            );
        }
        s.push_str("    ],\n");
    }
    s.push_str("]\n\n");
    s.push_str(WALKER);
    s.push_str("def predict(X):\n    X = prepare(X)\n    raw = np.tile(init, (len(X), 1))\n");
    s.push_str("    for stage in stages:\n        for k, t in enumerate(stage):\n");
    s.push_str("            raw[:, k] += learning_rate * leaf_values(t, X)\n");
    s.push_str(match task {
        Task::Regression => "    return raw\n",
        Task::Classification { n_classes: 2 } => {
            "    p = 1 / (1 + np.exp(-raw[:, 0]))\n    return np.column_stack([1 - p, p])\n"
        }
        Task::Classification { .. } => {
            "    e = np.exp(raw - raw.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)\n"
        }
    });
    Ok(())
}

/// k nearest neighbours: scikit-learn's estimator fitted on the stored (prepared) training rows.
fn write_knn(s: &mut String, m: &crate::model::knn::KNearestNeighbors) -> Result<()> {
    use crate::model::knn::Weights;
    let task = m.task().ok_or_else(untrained)?;
    let d = m.n_features();
    let weights = match m.params().weights {
        Weights::Uniform => "uniform",
        Weights::Distance => "distance",
    };
    let _ = writeln!(s, "# the training rows as the model stores them (after the preparation)");
    let _ = writeln!(s, "train_X = {}", matrix(m.points(), d));
    let _ = writeln!(s, "train_y = {}\n", array(m.targets()));
    let (class, output) = match task {
        Task::Regression => ("KNeighborsRegressor", "model.predict(prepare(X)).reshape(-1, 1)".to_string()),
        Task::Classification { n_classes } => {
            ("KNeighborsClassifier", format!("proba(model, prepare(X), {n_classes})"))
        }
    };
    let _ = writeln!(
        s,
        "model = {class}(n_neighbors={}, weights=\"{weights}\", p={}, algorithm=\"kd_tree\")\nmodel.fit(train_X, train_y)\n",
        m.params().n_neighbors,
        num(m.params().p),
    );
    if matches!(task, Task::Classification { .. }) {
        s.push_str("def proba(model, X, n_classes):\n    \"\"\"predict_proba with a column for every class, also those absent from training.\"\"\"\n");
        s.push_str("    p = np.zeros((len(X), n_classes))\n    p[:, model.classes_.astype(int)] = model.predict_proba(X)\n    return p\n\n");
    }
    let _ = writeln!(s, "def predict(X):\n    return {output}");
    Ok(())
}

/// Gaussian naive Bayes: scikit-learn's `GaussianNB` with the learned means, variances (ε
/// included, as its `var_`) and priors set.
fn write_naive_bayes(s: &mut String, m: &crate::model::naive_bayes::GaussianNaiveBayes) -> Result<()> {
    let (k, d) = (m.n_classes(), m.n_features());
    if k == 0 {
        return Err(untrained());
    }
    let _ = writeln!(s, "model = GaussianNB(var_smoothing={})", num(m.params().var_smoothing));
    let _ = writeln!(s, "model.classes_ = np.arange({k})\nmodel.n_features_in_ = {d}");
    let _ = writeln!(s, "model.theta_ = {}", matrix(m.theta(), d));
    let _ = writeln!(s, "model.var_ = {}", matrix(m.var(), d));
    let _ = writeln!(s, "model.class_prior_ = {}", array(m.class_prior()));
    let _ = writeln!(s, "model.class_count_ = {}", array(m.class_count()));
    let _ = writeln!(s, "model.epsilon_ = {}\n", num(m.epsilon()));
    s.push_str("def predict(X):\n    return model.predict_proba(prepare(X))\n");
    Ok(())
}

/// k-means: the nearest centroid (the lower index on ties), one-hot as `predict`.
fn write_kmeans(s: &mut String, m: &crate::model::kmeans::KMeans) -> Result<()> {
    use crate::model::Model;
    if !m.is_trained() {
        return Err(untrained());
    }
    let d = m.n_features();
    let _ = writeln!(s, "centroids = {}\n", matrix(&m.centroids().concat(), d));
    s.push_str(
        "def clusters(X):\n    \"\"\"Each row's nearest centroid and the squared distances to all of them.\"\"\"\n",
    );
    s.push_str("    squared = ((prepare(X)[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)\n");
    s.push_str("    return squared.argmin(axis=1), squared\n\n");
    s.push_str("def predict(X):\n    labels, _ = clusters(X)\n    return np.eye(len(centroids))[labels]\n");
    Ok(())
}
