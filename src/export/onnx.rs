//! A trained model (and the preparation steps fitted before it) as an ONNX graph, so the file
//! takes raw features and predicts what `predict` predicts, in float32:
//!
//! - input `X`: float32 `[N, d]`, the raw features; output `Y`: float32 `[N, 1]` (regression) or
//!   `[N, k]` class probabilities;
//! - preparation: the imputer's fill values (`ai.onnx.ml` `Imputer`, NaN replaced), clipped
//!   outliers (`Max`/`Min` by the fitted bounds), then the rescaling (`Sub`/`Div`, `Log`, or `Max`/`Sub`/`Add`/`Log` for the shifted log);
//! - linear regression: the polynomial features (`Gather` per column, `Mul` for each power,
//!   `Concat`), standardised, `Gemm`, computed in float64 from the rescaling on (between two
//!   `Cast`s: powers of x lose float32's digits);
//! - logistic regression: the feature map (`Mul`, `Sin`, `Concat`), standardised, `MatMul` + `Add`,
//!   then `Sigmoid` (two classes, written as `[1 − p, p]`) or `Softmax`;
//! - the network: standardised inputs, a `Gemm` and the activation per layer (`Tanh`, `Relu`,
//!   `LeakyRelu`, `Sigmoid`), the residual form's skips as a `MatMul` by a 0/1 matrix added on;
//!   a network whose hidden outputs are quantised is computed in float64 from the rescaling on
//!   (as linear regression), each hidden output rounded as `predict` rounds it (`Div` by the
//!   scale, `Round` — halves to even in both —, `Add` the zero point, `Clip`, `Sub`, `Mul`, the
//!   product through float32 as `predict` computes it; binary: `Where(a < 0, −s, s)`), with
//!   `LeakyRelu` as `Max(z, αz)`;
//! - trees and random forests: `ai.onnx.ml` `TreeEnsembleRegressor` / `TreeEnsembleClassifier`
//!   (a NaN goes left, as in `predict`; a forest averages its trees);
//! - gradient boosting: the same operators summing `learning_rate ×` each stage's leaf values onto
//!   `base_values` (the starting prediction), with `post_transform` `LOGISTIC` (two classes) or
//!   `SOFTMAX` (more);
//! - an ensemble of networks: each member's layers as above, their outputs averaged;
//! - in float64 from the rescaling on (between two `Cast`s, as linear regression), with standard
//!   operators only (`distance.rs`): k nearest neighbours (each row's difference to every stored
//!   training point, `|t|^p` summed, `TopK` smallest, the neighbours' targets or one-hot classes
//!   `Gather`ed and weighed), Gaussian naive Bayes (`(x − μ)² / σ²` per class summed, plus the
//!   log prior and normaliser, `Softmax`), k-means (squared distances to the centroids, `ArgMin`,
//!   `OneHot`); and the support vector machine (`svm.rs`: the kernel against the support vectors,
//!   each pair's decision value, Platt's sigmoid and, for more than two classes, libsvm's coupling
//!   iterated in a `Loop`).
//!
//! Extra outputs: k-means' `label` (int64 `[N]`) and `distance` (float32 `[N, k]`, Euclidean, as
//! scikit-learn's `transform`); the support vector machine's `decision` (scikit-learn's
//! `decision_function`, one column per pair).
//!
//! Ties: a k-nearest-neighbours row with two training points at exactly the same distance in the
//! k-th place takes the lower training index, in `predict` (its k-d tree) and in `TopK` (ONNX
//! breaks ties by the lower index); k-means' `ArgMin` takes the lower centroid index, as `predict`.

mod distance;
mod svm;

use super::proto::*;
use crate::data::cleaning::{ImputeStrategy, Imputer, OutlierBounds};
use crate::data::features::Standardizer;
use crate::data::transforms::{Scaler, Scaling};
use crate::data::Task;
use crate::error::{Error, Result};
use crate::model::mlp::network::{Activation, Output, LEAKY_SLOPE};
use crate::model::mlp::quantized::{ActivationScale, Quantized};
use crate::model::tree::DecisionTree;
use crate::model::AnyModel;
use prost::Message;

/// The preparation steps fitted before the model, to put in front of it.
#[derive(Debug, Clone, Default)]
pub struct Preparation<'a> {
    pub imputer: Option<&'a Imputer>,
    /// Feature bounds values are clipped to (outliers clipped, classification).
    pub clip: Option<&'a OutlierBounds>,
    pub scaler: Option<&'a Scaler>,
}

/// How many input columns a trained model takes (`None` untrained or not exportable).
pub fn input_width(model: &AnyModel) -> Option<usize> {
    match model {
        AnyModel::Linear(m) => m.standardized().map(|(s, _)| s.mean.len() / m.params().degree.max(1)),
        AnyModel::Logistic(m) => m.feature_scaler().map(|(_, n)| n),
        AnyModel::Mlp(m) => m.network().map(|n| n.sizes()[0]),
        AnyModel::Tree(m) => m.task().map(|_| m.arrays().n_features),
        AnyModel::Forest(m) => (!m.trees().is_empty()).then(|| m.n_features()),
        AnyModel::Boosting(m) => m.task().map(|_| m.n_features()),
        AnyModel::Ensemble(m) => m.members().first().and_then(|n| n.network()).map(|n| n.sizes()[0]),
        AnyModel::Knn(m) => m.task().map(|_| m.n_features()),
        AnyModel::NaiveBayes(m) => (m.n_classes() > 0).then(|| m.n_features()),
        AnyModel::Svm(m) => crate::model::Model::is_trained(m).then(|| m.n_features()),
        AnyModel::KMeans(m) => crate::model::Model::is_trained(m).then(|| m.n_features()),
    }
}

/// The ONNX file (protobuf bytes) of `model` after `preparation`, for `n_features` raw inputs.
pub fn to_onnx(model: &AnyModel, preparation: &Preparation, n_features: usize) -> Result<Vec<u8>> {
    let mut g = Graph::default();
    let mut x = "X".to_string();
    if let Some(imputer) = preparation.imputer {
        x = g.imputer(&x, imputer)?;
    }
    // Linear regression's powers of x lose float32's digits before they are standardised
    // (x⁵ − its mean), and distances to stored points decide which is nearest: from the imputed
    // inputs to the prediction these are computed in float64.
    // A network whose hidden outputs are quantised rounds them at boundaries float32 would move:
    // it too is computed in float64, as `predict` computes it.
    let rounds = match model {
        AnyModel::Mlp(m) => quantized_activations(m),
        AnyModel::Ensemble(m) => m.members().iter().any(quantized_activations),
        _ => false,
    };
    if rounds
        || matches!(
            model,
            AnyModel::Linear(_) | AnyModel::Knn(_) | AnyModel::NaiveBayes(_) | AnyModel::Svm(_) | AnyModel::KMeans(_)
        )
    {
        x = g.op("Cast", &[&x], vec![attr_int("to", DOUBLE as i64)]);
        g.double = true;
    }
    if let Some(bounds) = preparation.clip {
        let lower = g.constant("lower", &[bounds.lower.len()], &bounds.lower);
        let upper = g.constant("upper", &[bounds.upper.len()], &bounds.upper);
        let raised = g.op("Max", &[&x, &lower], vec![]);
        x = g.op("Min", &[&raised, &upper], vec![]);
    }
    if let Some(scaler) = preparation.scaler {
        x = g.scaler(&x, scaler)?;
    }
    let mut extra = Vec::new();
    let (y, outputs) = match model {
        AnyModel::Linear(m) => g.linear(&x, m, n_features)?,
        AnyModel::Logistic(m) => g.logistic(&x, m)?,
        AnyModel::Mlp(m) => g.mlp(&x, m)?,
        AnyModel::Tree(m) => g.tree_ensemble(&x, &[(m, None)], m.task())?,
        AnyModel::Forest(m) => {
            let trees: Vec<_> = m.trees().iter().map(|t| (&t.tree, Some(&t.features[..]))).collect();
            let task = m.trees().first().and_then(|t| t.tree.task());
            g.tree_ensemble(&x, &trees, task)?
        }
        AnyModel::Boosting(m) => g.boosting(&x, m)?,
        AnyModel::Ensemble(m) => g.ensemble(&x, m)?,
        AnyModel::Knn(m) => g.knn(&x, m)?,
        AnyModel::NaiveBayes(m) => g.naive_bayes(&x, m)?,
        AnyModel::KMeans(m) => g.kmeans(&x, m, &mut extra)?,
        AnyModel::Svm(m) => g.svm(&x, m, &mut extra)?,
    };
    // (the families computed in float64 cast back themselves; a network does here)
    let y = if g.double { g.back_to_float(&y) } else { y };
    g.finish(&y, n_features, outputs, extra)
}

/// An output beside `Y`: the graph's value `value` named `name`, float32 `[N, width]`, or int64
/// `[N]` when `width` is `None`.
struct Extra {
    value: String,
    name: &'static str,
    width: Option<usize>,
}

/// Whether `m`'s hidden outputs are quantised (rounded at every prediction).
fn quantized_activations(m: &crate::model::mlp::Mlp) -> bool {
    m.network().and_then(|n| n.quantized()).is_some_and(|q| !q.activations.is_empty())
}

fn untrained() -> Error {
    err!(InvalidInput, "export_untrained")
}

fn f32s(values: &[f64]) -> Vec<f32> {
    values.iter().map(|&v| v as f32).collect()
}

fn attr_int(name: &str, i: i64) -> AttributeProto {
    AttributeProto { name: name.into(), i, r#type: ATTR_INT, ..Default::default() }
}
fn attr_float(name: &str, f: f32) -> AttributeProto {
    AttributeProto { name: name.into(), f, r#type: ATTR_FLOAT, ..Default::default() }
}
fn attr_floats(name: &str, floats: Vec<f32>) -> AttributeProto {
    AttributeProto { name: name.into(), floats, r#type: ATTR_FLOATS, ..Default::default() }
}
fn attr_ints(name: &str, ints: Vec<i64>) -> AttributeProto {
    AttributeProto { name: name.into(), ints, r#type: ATTR_INTS, ..Default::default() }
}
fn attr_string(name: &str, s: &str) -> AttributeProto {
    AttributeProto { name: name.into(), s: s.as_bytes().to_vec(), r#type: ATTR_STRING, ..Default::default() }
}
fn attr_strings(name: &str, strings: Vec<&str>) -> AttributeProto {
    let strings = strings.into_iter().map(|s| s.as_bytes().to_vec()).collect();
    AttributeProto { name: name.into(), strings, r#type: ATTR_STRINGS, ..Default::default() }
}

/// Nodes and initializers, each value named uniquely.
#[derive(Default)]
struct Graph {
    nodes: Vec<NodeProto>,
    initializers: Vec<TensorProto>,
    count: usize,
    ml: bool,
    /// Constants are written as float64 (a part of the graph computed in double precision).
    double: bool,
}

impl Graph {
    fn fresh(&mut self, base: &str) -> String {
        self.count += 1;
        format!("{base}_{}", self.count)
    }

    /// A float32 constant of shape `dims`.
    fn constant(&mut self, base: &str, dims: &[usize], values: &[f64]) -> String {
        let name = self.fresh(base);
        let dims = dims.iter().map(|&d| d as i64).collect();
        self.initializers.push(match self.double {
            true => TensorProto {
                dims,
                data_type: DOUBLE,
                double_data: values.to_vec(),
                name: name.clone(),
                ..Default::default()
            },
            false => TensorProto {
                dims,
                data_type: FLOAT,
                float_data: f32s(values),
                name: name.clone(),
                ..Default::default()
            },
        });
        name
    }

    /// An int64 vector constant.
    fn indices(&mut self, values: &[usize]) -> String {
        let name = self.fresh("indices");
        self.initializers.push(TensorProto {
            dims: vec![values.len() as i64],
            data_type: INT64,
            int64_data: values.iter().map(|&v| v as i64).collect(),
            name: name.clone(),
            ..Default::default()
        });
        name
    }

    /// A node of the default operator set with one output; returns the output's name.
    fn op(&mut self, op: &str, inputs: &[&str], attribute: Vec<AttributeProto>) -> String {
        self.op_n(op, inputs, attribute, 1).remove(0)
    }

    /// A node of the default operator set with `outputs` outputs; returns their names.
    fn op_n(&mut self, op: &str, inputs: &[&str], attribute: Vec<AttributeProto>, outputs: usize) -> Vec<String> {
        let out: Vec<String> = (0..outputs).map(|_| self.fresh(&op.to_lowercase())).collect();
        self.nodes.push(NodeProto {
            input: inputs.iter().map(|s| s.to_string()).collect(),
            output: out.clone(),
            name: out[0].clone(),
            op_type: op.into(),
            attribute,
            domain: String::new(),
        });
        out
    }

    /// `x` with axes of size 1 inserted at `axes`.
    fn unsqueeze(&mut self, x: &str, axes: &[usize]) -> String {
        let axes = self.indices(axes);
        self.op("Unsqueeze", &[x, &axes], vec![])
    }

    /// `ReduceSum` over `axes` (opset 13: the axes are an input).
    fn reduce_sum(&mut self, x: &str, axes: &[usize], keep: bool) -> String {
        let axes = self.indices(axes);
        self.op("ReduceSum", &[x, &axes], vec![attr_int("keepdims", keep as i64)])
    }

    /// Back to float32 at the end of a part computed in float64.
    fn back_to_float(&mut self, x: &str) -> String {
        self.double = false;
        self.op("Cast", &[x], vec![attr_int("to", FLOAT as i64)])
    }

    /// A node of `ai.onnx.ml` with `outputs` outputs; returns their names.
    fn ml_op(&mut self, op: &str, input: &str, outputs: usize, attribute: Vec<AttributeProto>) -> Vec<String> {
        self.ml = true;
        let out: Vec<String> = (0..outputs).map(|_| self.fresh(&op.to_lowercase())).collect();
        self.nodes.push(NodeProto {
            input: vec![input.into()],
            output: out.clone(),
            name: out[0].clone(),
            op_type: op.into(),
            attribute,
            domain: "ai.onnx.ml".into(),
        });
        out
    }

    /// Column `j` of `x` as `[N, 1]`.
    fn column(&mut self, x: &str, j: usize) -> String {
        let idx = self.indices(&[j]);
        self.op("Gather", &[x, &idx], vec![attr_int("axis", 1)])
    }

    fn concat(&mut self, parts: &[String]) -> String {
        if parts.len() == 1 {
            return parts[0].clone();
        }
        let refs: Vec<&str> = parts.iter().map(|s| s.as_str()).collect();
        self.op("Concat", &refs, vec![attr_int("axis", 1)])
    }

    /// `(x − mean) / scale` per column.
    fn standardize(&mut self, x: &str, s: &Standardizer) -> String {
        let mean = self.constant("mean", &[s.mean.len()], &s.mean);
        let scale = self.constant("scale", &[s.scale.len()], &s.scale);
        let centred = self.op("Sub", &[x, &mean], vec![]);
        self.op("Div", &[&centred, &scale], vec![])
    }

    /// `x · W + b` with `W` given row-major `[rows, cols]`.
    fn affine(&mut self, x: &str, w: &[f64], rows: usize, cols: usize, b: &[f64]) -> String {
        let w = self.constant("W", &[rows, cols], w);
        let b = self.constant("B", &[cols], b);
        self.op("Gemm", &[x, &w, &b], vec![])
    }

    /// `[1 − p, p]` from the `[N, 1]` probability of class 1.
    fn two_classes(&mut self, p: &str) -> String {
        let one = self.constant("one", &[1], &[1.0]);
        let q = self.op("Sub", &[&one, p], vec![]);
        self.concat(&[q, p.to_string()])
    }

    fn imputer(&mut self, x: &str, imputer: &Imputer) -> Result<String> {
        match imputer.strategy {
            ImputeStrategy::DropRows => Ok(x.to_string()),
            ImputeStrategy::Knn { .. } => Err(err!(InvalidInput, "export_knn_imputer", format = "ONNX")),
            _ => {
                let attrs = vec![
                    attr_floats("imputed_value_floats", f32s(&imputer.fill)),
                    attr_float("replaced_value_float", f32::NAN),
                ];
                Ok(self.ml_op("Imputer", x, 1, attrs).remove(0))
            }
        }
    }

    fn scaler(&mut self, x: &str, scaler: &Scaler) -> Result<String> {
        let (offset, scale) = (&scaler.offset, &scaler.scale);
        Ok(match scaler.scaling {
            Scaling::None => x.to_string(),
            Scaling::Standardize | Scaling::MinMax => {
                self.standardize(x, &Standardizer { mean: offset.clone(), scale: scale.clone() })
            }
            Scaling::Log => self.op("Log", &[x], vec![]),
            Scaling::LogShifted => {
                // ln(1 + max(x − min, 0))
                let lo = self.constant("min", &[offset.len()], offset);
                let zero = self.constant("zero", &[1], &[0.0]);
                let one = self.constant("one", &[1], &[1.0]);
                let shifted = self.op("Sub", &[x, &lo], vec![]);
                let clipped = self.op("Max", &[&shifted, &zero], vec![]);
                let plus = self.op("Add", &[&clipped, &one], vec![]);
                self.op("Log", &[&plus], vec![])
            }
        })
    }

    fn linear(&mut self, x: &str, m: &crate::model::linear::LinearRegression, d: usize) -> Result<(String, usize)> {
        let (scaler, weights) = m.standardized().ok_or_else(untrained)?;
        let degree = m.params().degree.max(1);
        let p = scaler.mean.len();
        if p != d * degree || weights.len() != p + 1 {
            return Err(err!(InvalidData, "model_width", n = p / degree, got = d));
        }
        let phi = if degree == 1 {
            x.to_string()
        } else {
            let mut columns = Vec::with_capacity(p);
            for j in 0..d {
                let xj = self.column(x, j);
                let mut power = xj.clone();
                columns.push(power.clone());
                for _ in 1..degree {
                    power = self.op("Mul", &[&power, &xj], vec![]);
                    columns.push(power.clone());
                }
            }
            self.concat(&columns)
        };
        let z = self.standardize(&phi, scaler);
        let y = self.affine(&z, &weights[..p], p, 1, &weights[p..]);
        self.double = false;
        Ok((self.op("Cast", &[&y], vec![attr_int("to", FLOAT as i64)]), 1))
    }

    fn logistic(&mut self, x: &str, m: &crate::model::logistic::LogisticRegression) -> Result<(String, usize)> {
        let (scaler, n_inputs) = m.feature_scaler().ok_or_else(untrained)?;
        let c = m.standardized_coefficients();
        let f = &m.params().features;
        let x1 = self.column(x, 0);
        let x2 = if n_inputs > 1 { Some(self.column(x, 1)) } else { None };
        let mut columns = Vec::new();
        let on = [f.x1, f.x2, f.x1_squared, f.x2_squared, f.x1_x2, f.sin_x1, f.sin_x2];
        for (k, &enabled) in on.iter().enumerate() {
            let needs_x2 = matches!(k, 1 | 3 | 4 | 6);
            if !enabled || (needs_x2 && x2.is_none()) {
                continue;
            }
            let b = x2.clone().unwrap_or_default();
            columns.push(match k {
                0 => x1.clone(),
                1 => b,
                2 => self.op("Mul", &[&x1, &x1], vec![]),
                3 => self.op("Mul", &[&b, &b], vec![]),
                4 => self.op("Mul", &[&x1, &b], vec![]),
                5 => self.op("Sin", &[&x1], vec![]),
                _ => self.op("Sin", &[&b], vec![]),
            });
        }
        // The degree's monomials x1^a · x2^b as products of the inputs.
        for (a, b) in f.monomials(n_inputs) {
            let factors: Vec<String> = std::iter::repeat_n(x1.clone(), a as usize)
                .chain(std::iter::repeat_n(x2.clone().unwrap_or_default(), b as usize))
                .collect();
            let mut product = factors[0].clone();
            for factor in &factors[1..] {
                product = self.op("Mul", &[&product, factor], vec![]);
            }
            columns.push(product);
        }
        if n_inputs > 2 {
            let rest: Vec<usize> = (2..n_inputs).collect();
            let idx = self.indices(&rest);
            columns.push(self.op("Gather", &[x, &idx], vec![attr_int("axis", 1)]));
        }
        let phi = self.concat(&columns);
        let z = self.standardize(&phi, scaler);
        let (s, p) = (c.intercepts.len(), scaler.mean.len());
        // row-major [p, s]: weight of feature j for score r
        let w: Vec<f64> = (0..p).flat_map(|j| c.weights.iter().map(move |row| row[j])).collect();
        let logits = self.affine(&z, &w, p, s, &c.intercepts);
        Ok(if s == 1 {
            let p1 = self.op("Sigmoid", &[&logits], vec![]);
            (self.two_classes(&p1), 2)
        } else {
            (self.op("Softmax", &[&logits], vec![attr_int("axis", 1)]), s)
        })
    }

    fn mlp(&mut self, x: &str, m: &crate::model::mlp::Mlp) -> Result<(String, usize)> {
        let (Some(network), Some(scaler)) = (m.network(), m.scaler()) else { return Err(untrained()) };
        let rounded = network.quantized().filter(|q| !q.activations.is_empty());
        let sizes = network.sizes();
        let n_hidden = network.n_hidden();
        let mut h = self.standardize(x, scaler);
        for i in 0..=n_hidden {
            let (fan_in, fan_out) = (sizes[i], sizes[i + 1]);
            let w = network.weights(i).ok_or_else(untrained)?;
            let b = network.biases(i).ok_or_else(untrained)?;
            let row_major: Vec<f64> =
                (0..fan_in).flat_map(|r| (0..fan_out).map(move |c| (r, c))).map(|(r, c)| w[(r, c)]).collect();
            let z = self.affine(&h, &row_major, fan_in, fan_out, &b);
            if i == n_hidden {
                h = z;
                break;
            }
            let a = match network.activations()[i] {
                Activation::Tanh => self.op("Tanh", &[&z], vec![]),
                Activation::Relu => self.op("Relu", &[&z], vec![]),
                Activation::Sigmoid => self.op("Sigmoid", &[&z], vec![]),
                // max(z, αz) in float64 (α < 1), with α as `predict` has it
                Activation::LeakyRelu if self.double => {
                    let slope = self.constant("alpha", &[1], &[LEAKY_SLOPE]);
                    let scaled = self.op("Mul", &[&z, &slope], vec![]);
                    self.op("Max", &[&z, &scaled], vec![])
                }
                Activation::LeakyRelu => self.op("LeakyRelu", &[&z], vec![attr_float("alpha", LEAKY_SLOPE as f32)]),
                Activation::Linear => z,
            };
            let a = match rounded {
                Some(q) => self.quantize_activation(&a, q, i),
                None => a,
            };
            let skips = &network.skips()[i];
            h = if skips.iter().any(Option::is_some) {
                let mut select = vec![0.0; fan_in * fan_out];
                for (c, source) in skips.iter().enumerate() {
                    if let Some(s) = *source {
                        select[s * fan_out + c] = 1.0;
                    }
                }
                let s = self.constant("skip", &[fan_in, fan_out], &select);
                let carried = self.op("MatMul", &[&h, &s], vec![]);
                self.op("Add", &[&a, &carried], vec![])
            } else {
                a
            };
        }
        let k = sizes[sizes.len() - 1];
        Ok(match network.output() {
            Output::Linear => (h, k),
            Output::Sigmoid => {
                let p1 = self.op("Sigmoid", &[&h], vec![]);
                (self.two_classes(&p1), 2)
            }
            Output::Softmax => (self.op("Softmax", &[&h], vec![attr_int("axis", 1)]), k),
        })
    }

    /// Hidden layer `layer`'s outputs `a` (float64) quantised as `Quantized::activation` does:
    /// `(clip(round(a / s) + z) − z) · s`, `Round` rounding halves to even as `predict`, the
    /// product rounded to float32 as `predict` computes it (`Cast` there and back); binary:
    /// `−s` below 0, else `s`.
    fn quantize_activation(&mut self, a: &str, q: &Quantized, layer: usize) -> String {
        let ActivationScale { scale, zero_point } = q.activations[layer];
        let scale = scale as f64;
        if q.bits <= 1 {
            let zero = self.constant("zero", &[1], &[0.0]);
            let below = self.op("Less", &[a, &zero], vec![]);
            let low = self.constant("minus_scale", &[1], &[-scale]);
            let high = self.constant("scale", &[1], &[scale]);
            return self.op("Where", &[&below, &low, &high], vec![]);
        }
        let (low, high) = Quantized::range(q.bits);
        let low = if q.symmetric { -high } else { low };
        let s = self.constant("activation_scale", &[1], &[scale]);
        let divided = self.op("Div", &[a, &s], vec![]);
        let mut v = self.op("Round", &[&divided], vec![]);
        let zero = (zero_point != 0).then(|| self.constant("zero_point", &[1], &[zero_point as f64]));
        if let Some(zero) = &zero {
            v = self.op("Add", &[&v, zero], vec![]);
        }
        let (low, high) = (self.constant("q_min", &[], &[low as f64]), self.constant("q_max", &[], &[high as f64]));
        v = self.op("Clip", &[&v, &low, &high], vec![]);
        if let Some(zero) = &zero {
            v = self.op("Sub", &[&v, zero], vec![]);
        }
        let product = self.op("Mul", &[&v, &s], vec![]);
        let single = self.op("Cast", &[&product], vec![attr_int("to", FLOAT as i64)]);
        self.op("Cast", &[&single], vec![attr_int("to", DOUBLE as i64)])
    }

    /// Trees (each with the input column of each of its features, for a forest's subsets) as one
    /// ensemble averaging them.
    fn tree_ensemble(
        &mut self,
        x: &str,
        trees: &[(&DecisionTree, Option<&[usize]>)],
        task: Option<Task>,
    ) -> Result<(String, usize)> {
        let task = task.ok_or_else(untrained)?;
        if trees.is_empty() {
            return Err(untrained());
        }
        let share = 1.0 / trees.len() as f64;
        let outputs = match task {
            Task::Regression => 1,
            Task::Classification { n_classes } => n_classes,
        };
        if trees.iter().any(|(tree, _)| tree.arrays().n_outputs != outputs) {
            return Err(err!(InvalidInput, "export_tree_outputs"));
        }
        let leaves = |t: usize, node: usize| {
            let a = trees[t].0.arrays();
            (0..outputs).map(|o| (o, a.value[node * outputs + o] * share)).collect()
        };
        let (attrs, leaves) = tree_nodes(trees, leaves);
        Ok(self.tree_operator(x, attrs, leaves, task, outputs, None, "NONE"))
    }

    /// Gradient boosting: each stage's trees (one per raw output) add `learning_rate ×` their
    /// leaf values onto the starting prediction; the link (sigmoid, softmax) as `post_transform`.
    fn boosting(&mut self, x: &str, m: &crate::model::boosting::GradientBoosting) -> Result<(String, usize)> {
        let task = m.task().ok_or_else(untrained)?;
        let outputs = m.init().len();
        let trees: Vec<(&DecisionTree, Option<&[usize]>)> =
            m.stages().iter().flat_map(|stage| stage.iter().map(|t| (&t.tree, None))).collect();
        let per_stage = outputs.max(1);
        let lr = m.params().learning_rate;
        let leaves = |t: usize, node: usize| {
            let tree = &m.stages()[t / per_stage][t % per_stage];
            vec![(t % per_stage, lr * tree.leaf_values.get(node).copied().unwrap_or(0.0))]
        };
        let (attrs, leaves) = tree_nodes(&trees, leaves);
        let (transform, width) = match task {
            Task::Regression => ("NONE", 1),
            Task::Classification { n_classes: 2 } => ("LOGISTIC", 2),
            Task::Classification { n_classes } => ("SOFTMAX", n_classes),
        };
        Ok(self.tree_operator(x, attrs, leaves, task, width, Some(m.init()), transform))
    }

    /// `TreeEnsembleRegressor` (regression) or `TreeEnsembleClassifier` (its probabilities) over
    /// the nodes and leaves of [`tree_nodes`].
    #[allow(clippy::too_many_arguments)]
    fn tree_operator(
        &mut self,
        x: &str,
        mut attrs: Vec<AttributeProto>,
        leaves: Leaves,
        task: Task,
        width: usize,
        base_values: Option<&[f64]>,
        post_transform: &str,
    ) -> (String, usize) {
        attrs.push(attr_string("post_transform", post_transform));
        if let Some(base) = base_values {
            attrs.push(attr_floats("base_values", f32s(base)));
        }
        match task {
            Task::Regression => {
                attrs.extend([
                    attr_ints("target_treeids", leaves.trees),
                    attr_ints("target_nodeids", leaves.nodes),
                    attr_ints("target_ids", leaves.ids),
                    attr_floats("target_weights", leaves.weights),
                    attr_int("n_targets", 1),
                    attr_string("aggregate_function", "SUM"),
                ]);
                (self.ml_op("TreeEnsembleRegressor", x, 1, attrs).remove(0), 1)
            }
            Task::Classification { n_classes } => {
                attrs.extend([
                    attr_ints("class_treeids", leaves.trees),
                    attr_ints("class_nodeids", leaves.nodes),
                    attr_ints("class_ids", leaves.ids),
                    attr_floats("class_weights", leaves.weights),
                    attr_ints("classlabels_int64s", (0..n_classes as i64).collect()),
                ]);
                let out = self.ml_op("TreeEnsembleClassifier", x, 2, attrs);
                (out[1].clone(), width)
            }
        }
    }

    /// An ensemble of networks: each member's probabilities (or values), averaged.
    fn ensemble(&mut self, x: &str, m: &crate::model::ensemble::Ensemble) -> Result<(String, usize)> {
        let members = m.members();
        if members.is_empty() {
            return Err(untrained());
        }
        let mut total: Option<(String, usize)> = None;
        for member in members {
            let (y, k) = self.mlp(x, member)?;
            total = Some(match total {
                None => (y, k),
                Some((sum, width)) if width == k => (self.op("Add", &[&sum, &y], vec![]), k),
                Some(_) => return Err(err!(InvalidInput, "export_tree_outputs")),
            });
        }
        let (sum, k) = total.ok_or_else(untrained)?;
        let count = self.constant("members", &[1], &[members.len() as f64]);
        Ok((self.op("Div", &[&sum, &count], vec![]), k))
    }

    fn finish(mut self, y: &str, n_features: usize, outputs: usize, extra: Vec<Extra>) -> Result<Vec<u8>> {
        // The output is called Y: an Identity names it (and each extra output its own).
        let mut named = vec![(y.to_string(), "Y", Some(outputs))];
        named.extend(extra.into_iter().map(|e| (e.value, e.name, e.width)));
        for (value, name, _) in &named {
            self.nodes.push(NodeProto {
                input: vec![value.clone()],
                output: vec![name.to_string()],
                name: name.to_string(),
                op_type: "Identity".into(),
                ..Default::default()
            });
        }
        let value = |name: &str, width: usize| value_info(name, FLOAT, &[None, Some(width)]);
        let mut opset_import = vec![OperatorSetIdProto { domain: String::new(), version: 13 }];
        if self.ml {
            opset_import.push(OperatorSetIdProto { domain: "ai.onnx.ml".into(), version: 3 });
        }
        let model = ModelProto {
            ir_version: 7,
            producer_name: "ml-playground".into(),
            producer_version: env!("CARGO_PKG_VERSION").into(),
            doc_string: "Exported by ml-playground: input X (raw features, float32 [N, d]), output Y (the prediction, or one probability per class)".into(),
            graph: Some(GraphProto {
                node: self.nodes,
                name: "ml_playground".into(),
                initializer: self.initializers,
                input: vec![value("X", n_features)],
                output: named
                    .iter()
                    .map(|(_, name, width)| match width {
                        Some(w) => value(name, *w),
                        None => value_info(name, INT64, &[None]),
                    })
                    .collect(),
            }),
            opset_import,
        };
        Ok(model.encode_to_vec())
    }
}

/// A tensor's name and type: `elem_type` of shape `dims` (`None`: the batch size, `N`).
fn value_info(name: &str, elem_type: i32, dims: &[Option<usize>]) -> ValueInfoProto {
    let dim = dims
        .iter()
        .map(|d| match d {
            Some(w) => Dimension { dim_value: Some(*w as i64), dim_param: None },
            None => Dimension { dim_value: None, dim_param: Some("N".into()) },
        })
        .collect();
    ValueInfoProto {
        name: name.into(),
        r#type: Some(TypeProto {
            tensor_type: Some(TensorTypeProto { elem_type, shape: Some(TensorShapeProto { dim }) }),
        }),
    }
}

/// The leaves of a tree ensemble: for each (tree, node, target) its weight.
#[derive(Default)]
struct Leaves {
    trees: Vec<i64>,
    nodes: Vec<i64>,
    ids: Vec<i64>,
    weights: Vec<f32>,
}

/// The node attributes of `trees` (scikit-learn's layout: a row goes left, the "true" branch,
/// when `x ≤ threshold`, a NaN too) and their leaves, `leaf(tree, node)` giving each leaf's
/// `(target, weight)` pairs.
fn tree_nodes(
    trees: &[(&DecisionTree, Option<&[usize]>)],
    leaf: impl Fn(usize, usize) -> Vec<(usize, f64)>,
) -> (Vec<AttributeProto>, Leaves) {
    let (mut tree_ids, mut node_ids, mut features, mut thresholds, mut modes, mut lefts, mut rights) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut leaves = Leaves::default();
    for (t, (tree, columns)) in trees.iter().enumerate() {
        let a = tree.arrays();
        for node in 0..a.node_count() {
            tree_ids.push(t as i64);
            node_ids.push(node as i64);
            if a.is_leaf(node) {
                features.push(0);
                thresholds.push(0.0);
                modes.push("LEAF");
                lefts.push(0);
                rights.push(0);
                for (target, weight) in leaf(t, node) {
                    leaves.trees.push(t as i64);
                    leaves.nodes.push(node as i64);
                    leaves.ids.push(target as i64);
                    leaves.weights.push(weight as f32);
                }
            } else {
                let f = a.feature[node] as usize;
                features.push(columns.map_or(f, |c| c[f]) as i64);
                thresholds.push(a.threshold[node] as f32);
                modes.push("BRANCH_LEQ");
                lefts.push(a.children_left[node] as i64);
                rights.push(a.children_right[node] as i64);
            }
        }
    }
    let n = tree_ids.len();
    let attrs = vec![
        attr_ints("nodes_treeids", tree_ids),
        attr_ints("nodes_nodeids", node_ids),
        attr_ints("nodes_featureids", features),
        attr_floats("nodes_values", thresholds),
        attr_strings("nodes_modes", modes),
        attr_ints("nodes_truenodeids", lefts),
        attr_ints("nodes_falsenodeids", rights),
        // a NaN goes left (the "true" branch), as in predict
        attr_ints("nodes_missing_value_tracks_true", vec![1; n]),
    ];
    (attrs, leaves)
}
