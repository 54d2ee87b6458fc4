//! The pictures beside the main one: the shared ones (ROC and precision-recall curves,
//! importances by impurity and by permutation, the learning-rate schedule) and the family's own,
//! which each family builds itself ([`Model::view`], [`Model::thumbnails`]) for the kinds its
//! descriptor lists; this file only hands it a [`ViewContext`].

use super::{Scores, Session};
use crate::data::Task;
use crate::evaluate::importance::permutation_importance;
use crate::evaluate::scoring::ScoreMetric;
use crate::model::view::{FamilyView, FamilyViews, ViewContext, ViewKind};
use crate::model::Model;
use crate::render::curves::{precision_recall_points, roc_points, thin, CURVE_TOLERANCE};
use crate::render::network::neuron_thumbnail;
use crate::render::surface::grid_axes;
use serde::{Deserialize, Serialize};

pub use crate::model::mlp::view::MAX_THUMBNAILS;
pub use crate::model::view::{PruningPath, TreeView};

/// The model-specific pictures beside the main one; each is present when it applies.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Views {
    /// Binary classification: the ROC curve of the test set (the train set when there is none).
    pub roc: Option<Roc>,
    /// Binary classification: the precision-recall curve of the same subset as the ROC curve.
    pub precision_recall: Option<PrecisionRecall>,
    /// Families that measure them (trees, forests): feature importances (impurity decrease).
    pub importances: Option<Bars>,
    /// Every model: permutation importance of each feature on the test set (the train set when
    /// there is none): how much the score drops when that feature's values are shuffled.
    pub permutation: Option<Bars>,
    /// Gradient models: the learning rate per epoch and the current epoch.
    pub schedule: Option<ScheduleView>,
    /// The family's own pictures (`Family::views`), each under its kind's key (`tree`,
    /// `pruning`, `network`, `sigmoid`, `rings`, …).
    #[serde(flatten)]
    pub family: FamilyViews,
}

impl Views {
    /// The family's picture of `kind`, if it made one.
    pub fn family_view(&self, kind: ViewKind) -> Option<&FamilyView> {
        self.family.get(kind)
    }
    /// The tree's pruning path, if the family drew one.
    pub fn pruning(&self) -> Option<&PruningPath> {
        match self.family.get(ViewKind::Pruning) {
            Some(FamilyView::Pruning(p)) => Some(p),
            _ => None,
        }
    }
}

/// A learning-rate schedule drawn over the steps so far and ahead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub rates: Vec<f64>,
    pub current: usize,
}

/// A ROC curve's points (thinned to what a chart shows, [`thin`]) and its area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roc {
    pub points: Vec<(f64, f64)>,
    pub auc: Option<f64>,
    pub subset: String,
}

/// A precision-recall curve's step corners (thinned as the ROC's), its average precision (of the
/// whole curve), and the share of positives
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

impl Session {
    /// The pictures beside the plot: the family's own (its descriptor's `views`, built by
    /// [`Model::view`]) and the shared ones (ROC, precision-recall, importances, schedule).
    pub fn views(&self) -> Views {
        let mut views = Views { family: self.family_views(|kind| !kind.on_plot()), ..Views::default() };
        if !self.model.is_trained() {
            return views;
        }
        let (subset, name) = if self.test.is_empty() { (&self.train, "train") } else { (&self.test, "test") };
        if let Scores::Classification(scores) = self.score(subset) {
            if let Some(curve) = &scores.roc {
                views.roc = Some(Roc {
                    points: thin(&roc_points(curve), CURVE_TOLERANCE),
                    auc: scores.roc_auc,
                    subset: name.into(),
                });
            }
            if let Some(curve) = &scores.precision_recall {
                let positives = subset.y.iter().filter(|&&c| c == 1.0).count();
                views.precision_recall = Some(PrecisionRecall {
                    points: thin(&precision_recall_points(curve), CURVE_TOLERANCE),
                    average_precision: scores.average_precision,
                    positive_share: positives as f64 / subset.len().max(1) as f64,
                    subset: name.into(),
                });
            }
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
        // (a clustering has no score of the targets to lose)
        if subset.len() >= 2 && subset.len() <= 5000 && !self.clustering() {
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

    /// The family's pictures of the kinds its descriptor lists that `wanted` accepts.
    pub(super) fn family_views(&self, wanted: impl Fn(ViewKind) -> bool) -> FamilyViews {
        let kinds: Vec<ViewKind> = self.state.model.family().views.into_iter().filter(|&k| wanted(k)).collect();
        if kinds.is_empty() {
            return FamilyViews::default();
        }
        let roles: Vec<u8> = (0..self.data.len()).map(|i| self.role(i)).collect();
        let class_names = self.class_names();
        // Features named as the plot's axes and the importance charts name them (x₁, x₂).
        let feature_names: Vec<String> = self.data.feature_names.iter().map(|n| self.display_name(n)).collect();
        let ctx = ViewContext {
            data: &self.data,
            train: &self.train,
            test: &self.test,
            roles: &roles,
            feature_names: &feature_names,
            class_names: &class_names,
            plane: [self.view.x, self.view.y],
            epoch: self.epoch,
        };
        FamilyViews(kinds.into_iter().filter_map(|kind| self.model.view(kind, &ctx)).collect())
    }

    /// The family's thumbnails over the view (a network's hidden neurons) as `size × size` RGBA
    /// pictures, concatenated (at most `MAX_THUMBNAILS`); empty for families without them or on
    /// data other than two features.
    pub fn thumbnails(&self, size: u32) -> Vec<u8> {
        let size = size.clamp(4, 128);
        if self.data.n_features() != 2 || !self.state.model.family().views.contains(&ViewKind::Thumbnails) {
            return Vec::new();
        }
        let (xs, ys) = grid_axes(&self.view, size as usize, size as usize);
        let mut out = Vec::new();
        for t in self.model.thumbnails(&xs, &ys).into_iter().take(MAX_THUMBNAILS) {
            out.extend_from_slice(&neuron_thumbnail(&t.values, size, size, t.range).rgba);
        }
        out
    }
}
