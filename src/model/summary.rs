//! What a model says about itself, as data: a code the page words from its catalog
//! (`summary.<code>`, filled with `values`), its equation as data (the page writes it as text and
//! typesets it with the current numbers), and its named learned values. Rust writes no sentence:
//! the page words it in the learner's language, as it does errors.

use crate::error::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the page shows about a model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The catalog key's tail: `summary.<code>` (e.g. `linear`, `tree`, `tree.not_grown`).
    pub code: String,
    /// The values its wording names (`{leaves}`, `{depth}`, `{measure}` …): numbers, or codes the
    /// page words in turn (a measure, a kernel), or a message (a damaged model's).
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
    /// The model's equation as data.
    #[serde(default)]
    pub formula: Formula,
    /// The names of the model's inputs as the learner knows them, in input order (`x`, or `x₁`,
    /// `x₂`, or an imported table's column names); filled by the session, empty from a bare
    /// model (the page then calls them `x₁` … `x_d`, or `x` alone).
    #[serde(default)]
    pub inputs: Vec<String>,
    /// Named learned values, in display order (`x1`, `intercept`, `leaves` …).
    #[serde(default)]
    pub parameters: Vec<(String, f64)>,
    /// The optimiser's last update of one weight (a network's first-layer weight with the largest
    /// gradient), with this step's numbers: the page fills the update rule with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<crate::optim::UpdateTrace>,
}

impl Summary {
    /// A summary worded by `summary.<code>`, with no values, no formula and no parameters yet.
    pub fn new(code: &str) -> Self {
        Summary { code: code.into(), ..Summary::default() }
    }

    /// Adds a value the wording names.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.values.insert(name.into(), value.into());
        self
    }

    pub fn formula(mut self, formula: Formula) -> Self {
        self.formula = formula;
        self
    }

    pub fn parameters(mut self, parameters: Vec<(String, f64)>) -> Self {
        self.parameters = parameters;
        self
    }

    /// The optimiser's last update of the weight the page's maths shows.
    pub fn update(mut self, update: Option<crate::optim::UpdateTrace>) -> Self {
        self.update = update;
        self
    }

    /// The value named `name` as a number, if it is one.
    pub fn number(&self, name: &str) -> Option<f64> {
        match self.values.get(name)? {
            Value::Int(v) => Some(*v as f64),
            Value::Num(v) => Some(*v),
            _ => None,
        }
    }
}

/// One term `coefficient · feature` of a linear score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub coefficient: f64,
    /// What the coefficient multiplies, named by the model's inputs `x1` … `xd`: `x1`, `x1²`,
    /// `x1·x2`, `sin(x1)` (the feature map's and the polynomial's names).
    pub feature: String,
}

/// A linear score `Σ coefficient · feature + intercept`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub terms: Vec<Term>,
    pub intercept: f64,
}

/// A hidden or output layer of a network: `units` neurons computing `activation(W·h + b)` from
/// the `inputs` values of the layer before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    pub inputs: usize,
    pub units: usize,
    /// `relu`, `tanh`, `sigmoid`, `leaky_relu`, … for hidden layers; `sigmoid`, `softmax` or
    /// `linear` for the output.
    pub activation: String,
}

/// A model's equation as data, by its shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Formula {
    /// Nothing to write (untrained; or the family's summary wording says it all).
    #[default]
    None,
    /// `ŷ = Σ wᵢ·φᵢ(x) + b`: linear regression.
    Linear { score: Score },
    /// Logistic regression: `P(class 1) = σ(z)` with one score, or `softmax(z)` over one score per
    /// class (`scores[c]` is class c's).
    Logistic { scores: Vec<Score> },
    /// A decision tree: its size, the impurity measure of its splits (`gini`, `entropy`,
    /// `squared_error`), the weighted impurity of its leaves, and at the root the training
    /// samples' (weighted) counts per class (classification) with the root's impurity.
    Tree {
        depth: usize,
        leaves: usize,
        nodes: usize,
        criterion: String,
        impurity: f64,
        root_counts: Vec<f64>,
        root_impurity: f64,
    },
    /// A network, one entry per hidden layer and the output; `skips` when layers also add the
    /// values of the layer before theirs (residual connections).
    Network { layers: Vec<Layer>, skips: bool },
}
