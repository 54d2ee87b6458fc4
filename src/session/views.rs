//! The model-specific pictures beside the main one: the sigmoid view, ROC and precision-recall
//! curves, importances (impurity and permutation), the pruning path, tree and network diagrams,
//! the learning-rate schedule, and neuron thumbnails.

use super::{Scores, Session};
use crate::data::{Dataset, Task};
use crate::evaluate::importance::permutation_importance;
use crate::evaluate::scoring::ScoreMetric;
use crate::model::{AnyModel, Model, ModelParams};
use crate::render::curves::{precision_recall_points, roc_points};
use crate::render::network::{activation_range, neuron_thumbnail, NetworkDiagram};
use crate::render::sigmoid::{z_range_for, SigmoidScene};
use crate::render::surface::grid_axes;
use crate::render::tree_diagram::TreeDiagram;
use serde::{Deserialize, Serialize};

/// The model-specific pictures beside the main one; each is present when it applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Views {
    /// Binary logistic regression: every point at its score z on the sigmoid.
    pub sigmoid: Option<SigmoidScene>,
    /// Binary classification: the ROC curve of the test set (the train set when there is none).
    pub roc: Option<Roc>,
    /// Binary classification: the precision-recall curve of the same subset as the ROC curve.
    pub precision_recall: Option<PrecisionRecall>,
    /// Trees: feature importances (impurity decrease).
    pub importances: Option<Bars>,
    /// Every model: permutation importance of each feature on the test set (the train set when
    /// there is none): how much the score drops when that feature's values are shuffled.
    pub permutation: Option<Bars>,
    /// Trees: the pruning path.
    pub pruning: Option<PruningPath>,
    /// Trees: the diagram, each point's leaf, and each node's region of the plane.
    pub tree: Option<TreeView>,
    /// Neural networks: the diagram.
    pub network: Option<NetworkDiagram>,
    /// Gradient models: the learning rate per epoch and the current epoch.
    pub schedule: Option<ScheduleView>,
}

/// A tree as the page draws and links it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeView {
    pub diagram: TreeDiagram,
    /// The leaf each point falls into (as `scene.xs`); the page walks `parent` links for the path.
    pub leaves: Vec<usize>,
    /// Per node, its rectangle `[(x_min, x_max), (y_min, y_max)]` clipped to the view; empty for
    /// trees on other than two features.
    pub regions: Vec<Vec<(f64, f64)>>,
}

/// A learning-rate schedule drawn over the steps so far and ahead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub rates: Vec<f64>,
    pub current: usize,
}

/// A ROC curve's points and its area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roc {
    pub points: Vec<(f64, f64)>,
    pub auc: Option<f64>,
    pub subset: String,
}

/// A precision-recall curve's step corners, its average precision, and the share of positives
/// (the precision of guessing, drawn as the chance level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrecisionRecall {
    pub points: Vec<(f64, f64)>,
    pub average_precision: Option<f64>,
    pub positive_share: f64,
    pub subset: String,
}

/// Labelled values for a bar chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bars {
    pub labels: Vec<String>,
    pub values: Vec<f64>,
    pub title: String,
}

/// A tree's cost-complexity pruning path: at each effective α, the scores (accuracy or R²) of
/// the tree pruned there, on the train and test sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PruningPath {
    pub alphas: Vec<f64>,
    pub train: Vec<f64>,
    pub test: Vec<f64>,
    pub chosen: f64,
}

/// Most neuron thumbnails a snapshot carries.
pub const MAX_THUMBNAILS: usize = 64;

/// Most α values a pruning path reports (long paths are thinned evenly).
const MAX_PRUNING_POINTS: usize = 60;

impl Session {
    /// The model-specific pictures (sigmoid view, ROC curve, importances, pruning path).
    pub fn views(&self) -> Views {
        let mut views = Views { pruning: self.pruning_path(), ..Views::default() };
        if !self.model.is_trained() {
            return views;
        }
        if let (AnyModel::Logistic(m), Task::Classification { n_classes: 2 }) = (&self.model, self.data.task) {
            if let Ok(z) = m.logits(&self.data.x) {
                let z: Vec<f64> = z.column(0).iter().copied().collect();
                views.sigmoid = Some(SigmoidScene {
                    z_range: z_range_for(&z),
                    z,
                    classes: self.data.y.iter().map(|&c| c as u8).collect(),
                    roles: (0..self.data.len()).map(|i| self.role(i)).collect(),
                    highlight: None,
                });
            }
        }
        let (subset, name) = if self.test.is_empty() { (&self.train, "train") } else { (&self.test, "test") };
        if let Scores::Classification(scores) = self.score(subset) {
            if let Some(curve) = &scores.roc {
                views.roc = Some(Roc { points: roc_points(curve), auc: scores.roc_auc, subset: name.into() });
            }
            if let Some(curve) = &scores.precision_recall {
                let positives = subset.y.iter().filter(|&&c| c == 1.0).count();
                views.precision_recall = Some(PrecisionRecall {
                    points: precision_recall_points(curve),
                    average_precision: scores.average_precision,
                    positive_share: positives as f64 / subset.len().max(1) as f64,
                    subset: name.into(),
                });
            }
        }
        let class_names = self.class_names();
        // Features named as the plot's axes and the importance charts name them (x₁, x₂).
        let feature_names: Vec<String> = self.data.feature_names.iter().map(|n| self.display_name(n)).collect();
        if let AnyModel::Tree(tree) = &self.model {
            let regions = if self.data.n_features() == 2 {
                tree.regions(&[self.view.x, self.view.y]).unwrap_or_default()
            } else {
                Vec::new()
            };
            views.tree = Some(TreeView {
                diagram: TreeDiagram::new(tree, &feature_names, &class_names),
                leaves: tree.apply(&self.data.x).unwrap_or_default(),
                regions,
            });
        }
        if let AnyModel::Mlp(m) = &self.model {
            views.network = Some(NetworkDiagram::new(m, &feature_names, &class_names));
        }
        if let Some(train) = self.state.model.train_params() {
            if !self.state.model.fits_instantly() {
                let batches = match train.batch_size {
                    0 => 1,
                    b => self.train.len().div_ceil(b).max(1),
                };
                // One sample per epoch (the rate at its first update), so the chart's steps
                // match the epoch counter.
                let current = self.epoch as usize;
                let horizon = (current * 3 / 2).clamp(200, 100_000);
                let every = horizon.div_ceil(2000).max(1);
                let rates = (0..=horizon)
                    .step_by(every)
                    .map(|e| train.schedule.rate(train.learning_rate, (e * batches) as u64))
                    .collect();
                views.schedule = Some(ScheduleView { rates, current: current / every });
            }
        }
        let metric = if self.data.task == Task::Regression { ScoreMetric::R2 } else { ScoreMetric::Accuracy };
        if subset.len() >= 2 && subset.len() <= 5000 {
            if let Ok(importances) = permutation_importance(&self.model, subset, metric, 5, self.state.seed as u64) {
                views.permutation = Some(Bars {
                    labels: importances.iter().map(|i| self.display_name(&i.feature)).collect(),
                    values: importances.iter().map(|i| i.mean.max(0.0)).collect(),
                    title: format!("drop in {} when shuffled", metric.name()),
                });
            }
        }
        // any family that measures importances (a tree, a forest)
        if let Some(values) = self.model.feature_importances().filter(|v| v.len() == self.data.n_features()) {
            views.importances = Some(Bars {
                labels: self.data.feature_names.iter().map(|n| self.display_name(n)).collect(),
                values,
                title: "importance (impurity decrease)".into(),
            });
        }
        views
    }

    /// Each hidden neuron's output over the view as a `size × size` RGBA thumbnail, concatenated in
    /// layer order (at most `MAX_THUMBNAILS`); empty unless the model is a network on two features.
    pub fn neuron_thumbnails(&self, size: u32) -> Vec<u8> {
        let AnyModel::Mlp(m) = &self.model else { return Vec::new() };
        let size = size.clamp(4, 128);
        if self.data.n_features() != 2 || !m.is_trained() {
            return Vec::new();
        }
        let (xs, ys) = grid_axes(&self.view, size as usize, size as usize);
        let outputs = m.grid_neuron_outputs(&xs, &ys);
        let activations = m.hidden_activations();
        let mut out = Vec::new();
        let mut count = 0;
        for (layer, h) in outputs.iter().enumerate().take(activations.len()) {
            for neuron in 0..h.ncols() {
                if count == MAX_THUMBNAILS {
                    return out;
                }
                let values: Vec<f64> = h.column(neuron).iter().copied().collect();
                let range = activation_range(activations[layer], &values);
                out.extend_from_slice(&neuron_thumbnail(&values, size, size, range).rgba);
                count += 1;
            }
        }
        out
    }

    /// The pruning path of a tree once it has been fully grown (closed form or all steps done).
    pub(super) fn pruning_path(&self) -> Option<PruningPath> {
        let (AnyModel::Tree(tree), ModelParams::Tree(params)) = (&self.model, &self.state.model) else {
            return None;
        };
        if !tree.is_trained() || !(tree.is_complete() || self.epoch > 0 && params.ccp_alpha > 0.0) {
            return None;
        }
        let (alphas, _) = tree.pruning_path();
        let step = alphas.len().div_ceil(MAX_PRUNING_POINTS).max(1);
        let mut path =
            PruningPath { alphas: Vec::new(), train: Vec::new(), test: Vec::new(), chosen: params.ccp_alpha };
        let score = |m: &crate::model::tree::DecisionTree, d: &Dataset| -> f64 {
            if d.is_empty() {
                return f64::NAN;
            }
            match m.predict(&d.x) {
                Ok(p) if d.task == Task::Regression => {
                    crate::metrics::r2(d.y.as_slice(), p.as_slice()).unwrap_or(f64::NAN)
                }
                Ok(p) => crate::metrics::accuracy(d.y.as_slice(), &crate::metrics::predicted_classes(&p)),
                Err(_) => f64::NAN,
            }
        };
        for (k, &alpha) in alphas.iter().enumerate() {
            if k % step != 0 && k + 1 != alphas.len() {
                continue;
            }
            let Ok(pruned) = tree.pruned(alpha.max(0.0)) else { continue };
            path.alphas.push(alpha.max(0.0));
            path.train.push(score(&pruned, &self.train));
            path.test.push(score(&pruned, &self.test));
        }
        Some(path)
    }
}
