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
}

impl ScoreMetric {
    /// True when a larger value is better (accuracy, R²), false for losses and errors.
    pub fn greater_is_better(self) -> bool {
        matches!(self, ScoreMetric::Accuracy | ScoreMetric::BalancedAccuracy | ScoreMetric::F1 | ScoreMetric::R2)
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
        }
    }

    /// Fails unless the metric suits `task`.
    pub fn check(self, task: Task) -> Result<()> {
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
        self.check(data.task)?;
        let predictions = model.predict(&data.x)?;
        self.score_predictions(data, &predictions)
    }

    /// The metric of predictions already made (n × 1 values or n × k probabilities) on `data`.
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
