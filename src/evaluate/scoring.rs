//! One score of a trained model on a dataset, by a metric the learner picks; shared by
//! permutation importance and cross-validation.

use crate::data::{Dataset, Task};
use crate::error::Result;
use crate::metrics;
use crate::model::{AnyModel, Model};
use serde::{Deserialize, Serialize};

/// A metric that turns a model's predictions on a dataset into one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMetric {
    // Classification.
    Accuracy,
    BalancedAccuracy,
    /// F1 of class 1 for two classes, macro-averaged F1 for more.
    F1,
    LogLoss,
    // Regression.
    R2,
    Mse,
    Rmse,
    Mae,
    // Clustering (families whose task is `clustering`; scored on held-out rows by the centres
    // learned on the training rows).
    /// The mean squared distance of a row to its cluster's centre (the inertia per row, so folds
    /// of different sizes compare).
    Inertia,
    /// The silhouette score of the rows in the clusters they are assigned to.
    Silhouette,
    /// The adjusted Rand index of the clusters against the data's classes.
    AdjustedRand,
}

impl ScoreMetric {
    /// True when a larger value is better (accuracy, R²), false for losses and errors.
    pub fn greater_is_better(self) -> bool {
        matches!(
            self,
            ScoreMetric::Accuracy
                | ScoreMetric::BalancedAccuracy
                | ScoreMetric::F1
                | ScoreMetric::R2
                | ScoreMetric::Silhouette
                | ScoreMetric::AdjustedRand
        )
    }

    /// The metric a score defaults to: accuracy for classes, R² for numbers, the silhouette for
    /// a model that clusters (on any data).
    pub fn default_for(task: Task, clustering: bool) -> ScoreMetric {
        match (clustering, task) {
            (true, _) => ScoreMetric::Silhouette,
            (false, Task::Classification { .. }) => ScoreMetric::Accuracy,
            (false, Task::Regression) => ScoreMetric::R2,
        }
    }

    /// True for the metrics of clustering.
    pub fn is_for_clustering(self) -> bool {
        matches!(self, ScoreMetric::Inertia | ScoreMetric::Silhouette | ScoreMetric::AdjustedRand)
    }

    /// True for the metrics of classification.
    pub fn is_for_classification(self) -> bool {
        matches!(self, ScoreMetric::Accuracy | ScoreMetric::BalancedAccuracy | ScoreMetric::F1 | ScoreMetric::LogLoss)
    }

    /// The learner-facing name.
    pub fn name(self) -> &'static str {
        match self {
            ScoreMetric::Accuracy => "accuracy",
            ScoreMetric::BalancedAccuracy => "balanced accuracy",
            ScoreMetric::F1 => "F1",
            ScoreMetric::LogLoss => "log-loss",
            ScoreMetric::R2 => "R²",
            ScoreMetric::Mse => "mean squared error",
            ScoreMetric::Rmse => "root mean squared error",
            ScoreMetric::Mae => "mean absolute error",
            ScoreMetric::Inertia => "inertia per row",
            ScoreMetric::Silhouette => "silhouette",
            ScoreMetric::AdjustedRand => "adjusted Rand index",
        }
    }

    /// Fails unless the metric suits a model of a family that clusters (`clustering`) or not, on
    /// data of `task`: a clustering model is scored by the clustering metrics (the adjusted Rand
    /// index only where the data has classes), any other by its task's.
    pub fn check_for(self, task: Task, clustering: bool) -> Result<()> {
        let classification = matches!(task, Task::Classification { .. });
        if clustering != self.is_for_clustering() {
            return Err(if clustering {
                err!(InvalidParameter, "metric_clustering", metric = self.name())
            } else {
                err!(InvalidParameter, "metric_not_clustering", metric = self.name())
            });
        }
        if clustering {
            if self == ScoreMetric::AdjustedRand && !classification {
                return Err(err!(InvalidParameter, "metric_ari_needs_classes"));
            }
            return Ok(());
        }
        self.check(task)
    }

    /// Fails unless the metric suits `task` (for models that do not cluster).
    pub fn check(self, task: Task) -> Result<()> {
        if self.is_for_clustering() {
            return Err(err!(InvalidParameter, "metric_not_clustering", metric = self.name()));
        }
        let classification = matches!(task, Task::Classification { .. });
        if classification != self.is_for_classification() {
            return Err(err!(
                InvalidParameter,
                "metric_task",
                metric = self.name(),
                metric_task = if self.is_for_classification() { "classification" } else { "regression" },
                task = if classification { "classification" } else { "regression" }
            ));
        }
        Ok(())
    }

    /// The metric of `model`'s predictions on `data`.
    pub fn score(self, model: &AnyModel, data: &Dataset) -> Result<f64> {
        if let Some(clusters) = model.clusters(&data.x) {
            self.check_for(data.task, true)?;
            let (labels, distances) = clusters?;
            return self.score_clusters(data, &labels, &distances);
        }
        self.check(data.task)?;
        let predictions = model.predict(&data.x)?;
        self.score_predictions(data, &predictions)
    }

    /// A clustering metric of rows `data` in clusters `labels` at squared distances `distances`.
    fn score_clusters(self, data: &Dataset, labels: &[usize], distances: &[f64]) -> Result<f64> {
        let n = data.len();
        if n == 0 || labels.len() != n {
            return Err(err!(InvalidData, "internal", detail = format!("{} clusters for {n} rows", labels.len())));
        }
        let value = match self {
            ScoreMetric::Inertia => distances.iter().sum::<f64>() / n as f64,
            ScoreMetric::Silhouette => {
                let d = data.n_features();
                let mut x = Vec::with_capacity(n * d);
                for i in 0..n {
                    x.extend(data.x.row(i).iter());
                }
                metrics::silhouette(&x, d, labels).ok_or_else(|| err!(InvalidData, "silhouette_clusters", n = n))?
            }
            _ => {
                let truth: Vec<usize> = data.y.iter().map(|&v| v.max(0.0) as usize).collect();
                metrics::adjusted_rand(&truth, labels)
            }
        };
        if !value.is_finite() {
            return Err(err!(InvalidData, "metric_not_finite", name = self.name()));
        }
        Ok(value)
    }

    /// The metric of predictions already made (n × 1 values or n × k probabilities) on `data`.
    /// Not for the clustering metrics, which need the clusters ([`ScoreMetric::score`]).
    pub fn score_predictions(self, data: &Dataset, predictions: &nalgebra::DMatrix<f64>) -> Result<f64> {
        self.check(data.task)?;
        if predictions.nrows() != data.len() || predictions.ncols() == 0 {
            return Err(err!(
                InvalidData,
                "internal",
                detail = format!(
                    "{predictions} predictions for {len} rows",
                    predictions = predictions.nrows(),
                    len = data.len()
                )
            ));
        }
        let y = data.y.as_slice();
        let value = match self {
            ScoreMetric::R2 | ScoreMetric::Mse | ScoreMetric::Rmse | ScoreMetric::Mae => {
                let p: Vec<f64> = predictions.column(0).iter().copied().collect();
                match self {
                    ScoreMetric::R2 => metrics::r2(y, &p).ok_or_else(|| err!(InvalidData, "r2_two_rows"))?,
                    ScoreMetric::Mse => metrics::mse(y, &p),
                    ScoreMetric::Rmse => metrics::rmse(y, &p),
                    _ => metrics::mae(y, &p),
                }
            }
            ScoreMetric::LogLoss => metrics::log_loss(y, predictions),
            _ => {
                let k = predictions.ncols();
                let classes = metrics::predicted_classes(predictions);
                match self {
                    ScoreMetric::Accuracy => metrics::accuracy(y, &classes),
                    ScoreMetric::BalancedAccuracy => metrics::balanced_accuracy(y, &classes, k),
                    ScoreMetric::Inertia | ScoreMetric::Silhouette | ScoreMetric::AdjustedRand => f64::NAN,
                    _ if k == 2 => metrics::f1(y, &classes, 1),
                    _ => metrics::macro_f1(y, &classes, k),
                }
            }
        };
        if !value.is_finite() {
            return Err(err!(InvalidData, "metric_not_finite", name = self.name()));
        }
        Ok(value)
    }
}
