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
//! - trees and random forests: `ai.onnx.ml` `TreeEnsembleRegressor` / `TreeEnsembleClassifier`
//!   (a NaN goes left, as in `predict`; a forest averages its trees).
//!
//! The other families (k nearest neighbours, naive Bayes, gradient boosting, ensembles of networks,
//! support vector machines) are not exported yet: a message says so.

use super::proto::*;
use crate::data::cleaning::{ImputeStrategy, Imputer, OutlierBounds};
use crate::data::features::Standardizer;
use crate::data::transforms::{Scaler, Scaling};
use crate::data::Task;
use crate::error::{Error, Result};
use crate::model::mlp::network::{Activation, Output, LEAKY_SLOPE};
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
        _ => None,
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
    // (x⁵ − its mean): from the imputed inputs to the prediction it is computed in float64.
    if matches!(model, AnyModel::Linear(_)) {
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
        // (every other family, those registered later too)
        _ => return Err(err!(InvalidInput, "export_not_available", format = "ONNX", model = model.params().kind())),
    };
    g.finish(&y, n_features, outputs)
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
        let out = self.fresh(&op.to_lowercase());
        self.nodes.push(NodeProto {
            input: inputs.iter().map(|s| s.to_string()).collect(),
            output: vec![out.clone()],
            name: out.clone(),
            op_type: op.into(),
            attribute,
            domain: String::new(),
        });
        out
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
        if network.quantized().is_some_and(|q| !q.activations.is_empty()) {
            return Err(err!(InvalidParameter, "export_quantized_activations"));
        }
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
                Activation::LeakyRelu => self.op("LeakyRelu", &[&z], vec![attr_float("alpha", LEAKY_SLOPE as f32)]),
                Activation::Linear => z,
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
        let (mut tree_ids, mut node_ids, mut features, mut thresholds, mut modes, mut lefts, mut rights) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        let (mut leaf_trees, mut leaf_nodes, mut leaf_ids, mut leaf_weights) = (vec![], vec![], vec![], vec![]);
        let outputs = match task {
            Task::Regression => 1,
            Task::Classification { n_classes } => n_classes,
        };
        for (t, (tree, columns)) in trees.iter().enumerate() {
            let a = tree.arrays();
            if a.n_outputs != outputs {
                return Err(err!(InvalidInput, "export_tree_outputs"));
            }
            for node in 0..a.node_count() {
                tree_ids.push(t as i64);
                node_ids.push(node as i64);
                if a.is_leaf(node) {
                    features.push(0);
                    thresholds.push(0.0);
                    modes.push("LEAF");
                    lefts.push(0);
                    rights.push(0);
                    for o in 0..outputs {
                        leaf_trees.push(t as i64);
                        leaf_nodes.push(node as i64);
                        leaf_ids.push(o as i64);
                        leaf_weights.push((a.value[node * outputs + o] * share) as f32);
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
        let mut attrs = vec![
            attr_ints("nodes_treeids", tree_ids),
            attr_ints("nodes_nodeids", node_ids),
            attr_ints("nodes_featureids", features),
            attr_floats("nodes_values", thresholds),
            attr_strings("nodes_modes", modes),
            attr_ints("nodes_truenodeids", lefts),
            attr_ints("nodes_falsenodeids", rights),
            // a NaN goes left (the "true" branch), as in predict
            attr_ints("nodes_missing_value_tracks_true", vec![1; n]),
            attr_string("post_transform", "NONE"),
        ];
        Ok(match task {
            Task::Regression => {
                attrs.extend([
                    attr_ints("target_treeids", leaf_trees),
                    attr_ints("target_nodeids", leaf_nodes),
                    attr_ints("target_ids", leaf_ids),
                    attr_floats("target_weights", leaf_weights),
                    attr_int("n_targets", 1),
                    attr_string("aggregate_function", "SUM"),
                ]);
                (self.ml_op("TreeEnsembleRegressor", x, 1, attrs).remove(0), 1)
            }
            Task::Classification { n_classes } => {
                attrs.extend([
                    attr_ints("class_treeids", leaf_trees),
                    attr_ints("class_nodeids", leaf_nodes),
                    attr_ints("class_ids", leaf_ids),
                    attr_floats("class_weights", leaf_weights),
                    attr_ints("classlabels_int64s", (0..n_classes as i64).collect()),
                ]);
                let out = self.ml_op("TreeEnsembleClassifier", x, 2, attrs);
                (out[1].clone(), n_classes)
            }
        })
    }

    fn finish(mut self, y: &str, n_features: usize, outputs: usize) -> Result<Vec<u8>> {
        // The output is called Y: an Identity names it.
        self.nodes.push(NodeProto {
            input: vec![y.into()],
            output: vec!["Y".into()],
            name: "Y".into(),
            op_type: "Identity".into(),
            ..Default::default()
        });
        let value = |name: &str, width: usize| ValueInfoProto {
            name: name.into(),
            r#type: Some(TypeProto {
                tensor_type: Some(TensorTypeProto {
                    elem_type: FLOAT,
                    shape: Some(TensorShapeProto {
                        dim: vec![
                            Dimension { dim_value: None, dim_param: Some("N".into()) },
                            Dimension { dim_value: Some(width as i64), dim_param: None },
                        ],
                    }),
                }),
            }),
        };
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
                output: vec![value("Y", outputs)],
            }),
            opset_import,
        };
        Ok(model.encode_to_vec())
    }
}
