//! The one preparation pipeline: impute → outliers → rescale → resample. Each step is fitted on
//! training rows only and applied to any rows, so nothing a model is scored on has shaped the
//! data it trained on. The session's hold-out view, every cross-validation fold (and later tuning
//! and export) prepare their rows here, with the same semantics:
//!
//! - **impute**: fill values are learned from the training rows; with
//!   [`ImputeStrategy::DropRows`] every row with a missing value is left out (a model cannot
//!   predict it).
//! - **outliers**: classification data is judged feature by feature against bounds fitted on the
//!   training rows; regression data on each target's residual from a local fit of its training
//!   neighbours (see [`RegressionOutliers`]), so a point far off the curve counts and the curve's
//!   own peaks do not. Clipping moves values (regression: targets) to the bounds; removal leaves
//!   out training rows only, so a test row is never hidden from the score.
//! - **rescale**: fitted on the training rows after the two steps above.
//! - **resample**: classification only, on the training rows only ([`Pipeline::resample`]); the
//!   page adds its own points between preparing and resampling, so this step is separate.
//!
//! [`Pipeline::prepare`] does the first three steps on a whole table whose test rows are marked
//! (one pass, row flags for the picture); [`Pipeline::fit`] and [`FittedPipeline::transform`]
//! are the same steps split in two, for callers that hold the training rows apart.

use crate::data::cleaning::{has_missing, ImputeStrategy, Imputer, OutlierAction, OutlierBounds, OutlierRule};
use crate::data::local_fit::RegressionOutliers;
use crate::data::resample::{resample, Resampled, Resampling};
use crate::data::transforms::{Scaler, Scaling};
use crate::data::{Dataset, Task};
use crate::error::Result;
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// The preparation steps fitted on training rows before a model trains, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Pipeline {
    /// How missing values are handled (rows with one are dropped by default).
    pub imputer: ImputeStrategy,
    /// Which values are outliers, if any rule is on.
    pub outliers: Option<OutlierRule>,
    /// What happens to outliers (removal touches training rows only).
    pub outlier_action: OutlierAction,
    pub scaling: Scaling,
    /// Class rebalancing of the training rows (classification only).
    pub resampling: Resampling,
}

/// A [`Pipeline`] fitted on one set of training rows: its statistics come from those rows only.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedPipeline {
    pub imputer: Imputer,
    /// The outlier bounds: per feature (classification), or on the residuals from the local fit
    /// (regression: one column).
    pub outliers: Option<OutlierBounds>,
    pub outlier_action: OutlierAction,
    pub scaler: Scaler,
    /// Training rows removed as outliers.
    pub removed_outliers: usize,
    /// Synthetic rows the resampler added to the training rows (by [`Pipeline::fit`]).
    pub synthetic_rows: usize,
    /// Regression outliers: the imputed training rows, the neighbours other rows are judged by.
    neighbours: Option<Dataset>,
}

/// A table prepared by [`Pipeline::prepare`]: its kept rows, imputed, cleaned and rescaled, with
/// where each came from and what happened to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub data: Dataset,
    /// For each row of `data`, its row in the input.
    pub rows: Vec<usize>,
    /// For each row of `data`: a test row (never fitted on, never removed).
    pub is_test: Vec<bool>,
    /// For each row of `data`: it had a missing value that was filled.
    pub imputed: Vec<bool>,
    /// For each row of `data`: the outlier rule flags it (clipped, or kept as it is).
    pub outlier: Vec<bool>,
    /// The training rows the outlier rule left out (action remove), prepared as the rest (imputed,
    /// rescaled): not trained on, but the picture still shows them, marked.
    pub removed: Dataset,
    pub fitted: FittedPipeline,
}

/// The rows of a mask that are training rows (not marked test).
fn training_rows(is_test: &[bool]) -> Vec<usize> {
    (0..is_test.len()).filter(|&i| !is_test[i]).collect()
}

impl Pipeline {
    /// Fits impute, outliers and rescale on the rows of `data` not marked in `is_test` (one flag
    /// per row) and applies them to every row. Resampling is left to [`Pipeline::resample`].
    pub fn prepare(&self, data: &Dataset, is_test: &[bool]) -> Result<Prepared> {
        let n = data.len();
        let is_test: Vec<bool> = (0..n).map(|i| is_test.get(i).copied().unwrap_or(false)).collect();
        // Impute: fitted on the training rows; rows left out or filled are remembered.
        let train = data.select(&training_rows(&is_test));
        let missing = has_missing(data);
        let imputer = match Imputer::fit(self.imputer, &train) {
            Ok(imputer) => imputer,
            // Nothing to fill: no training row is needed to learn from.
            Err(_) if !missing => Imputer::fit(ImputeStrategy::DropRows, &train)?,
            Err(e) => return Err(e),
        };
        let had_missing: Vec<bool> = (0..n).map(|i| data.x.row(i).iter().any(|v| v.is_nan())).collect();
        let (mut prepared, mut rows, mut imputed) = if !missing {
            (data.clone(), (0..n).collect::<Vec<_>>(), vec![false; n])
        } else if self.imputer == ImputeStrategy::DropRows {
            let keep: Vec<usize> = (0..n).filter(|&i| !had_missing[i]).collect();
            let k = keep.len();
            (data.select(&keep), keep, vec![false; k])
        } else {
            (imputer.apply(data)?, (0..n).collect(), had_missing.clone())
        };
        let mut is_test: Vec<bool> = rows.iter().map(|&i| is_test[i]).collect();
        let mut outlier = vec![false; prepared.len()];
        // Outliers: bounds from the training rows; only training rows are ever removed.
        let (mut bounds, mut neighbours, mut removed_outliers) = (None, None, 0);
        let mut removed = prepared.select(&[]);
        if let Some(rule) = self.outliers.filter(|_| !prepared.is_empty()) {
            let train = training_rows(&is_test);
            let flagged = if prepared.task == Task::Regression {
                let judged = RegressionOutliers::fit(&prepared, &train, rule)?;
                neighbours = Some(prepared.select(&train));
                if self.outlier_action == OutlierAction::Clip {
                    prepared = judged.clipped(&prepared);
                }
                bounds = Some(judged.residual_bounds);
                judged.flagged
            } else {
                let fitted = OutlierBounds::fit(rule, &prepared.x.select_rows(train.iter()))?;
                let flagged = fitted.outlier_rows(&prepared.x);
                if self.outlier_action == OutlierAction::Clip {
                    prepared = fitted.apply(&prepared, OutlierAction::Clip).0;
                }
                bounds = Some(fitted);
                flagged
            };
            for &i in &flagged {
                outlier[i] = true;
            }
            if self.outlier_action == OutlierAction::Remove {
                let keep: Vec<usize> = (0..prepared.len()).filter(|&i| is_test[i] || !outlier[i]).collect();
                let left_out: Vec<usize> = (0..prepared.len()).filter(|&i| !is_test[i] && outlier[i]).collect();
                removed = prepared.select(&left_out);
                removed_outliers = prepared.len() - keep.len();
                prepared = prepared.select(&keep);
                rows = keep.iter().map(|&i| rows[i]).collect();
                imputed = keep.iter().map(|&i| imputed[i]).collect();
                is_test = keep.iter().map(|&i| is_test[i]).collect();
                outlier = keep.iter().map(|&i| outlier[i]).collect();
            }
        }
        // Rescale: fitted on the training rows as they are now (no copy when nothing rescales).
        let (scaler, data) = if self.scaling == Scaling::None {
            (Scaler::fit(Scaling::None, &prepared.select(&[]))?, prepared)
        } else {
            let scaler = Scaler::fit(self.scaling, &prepared.select(&training_rows(&is_test)))?;
            let data = scaler.apply(&prepared)?;
            if !removed.is_empty() {
                removed = scaler.apply(&removed)?;
            }
            (scaler, data)
        };
        let fitted = FittedPipeline {
            imputer,
            outliers: bounds,
            outlier_action: self.outlier_action,
            scaler,
            removed_outliers,
            synthetic_rows: 0,
            neighbours,
        };
        Ok(Prepared { data, rows, is_test, imputed, outlier, removed, fitted })
    }

    /// The training rows rebalanced with `seed` (classification only; other data, or no
    /// resampling, comes back as it is).
    pub fn resample(&self, train: &Dataset, seed: u64) -> Result<Resampled> {
        let resampling =
            if matches!(train.task, Task::Classification { .. }) { self.resampling } else { Resampling::None };
        resample(train, resampling, seed)
    }

    /// Fits every step on `train` and returns the fitted steps with the prepared training rows
    /// (imputed, cleaned, scaled and resampled with `seed`).
    pub fn fit(&self, train: &Dataset, seed: u64) -> Result<(FittedPipeline, Dataset)> {
        let Prepared { data, mut fitted, .. } = self.prepare(train, &vec![false; train.len()])?;
        let resampled = self.resample(&data, seed)?;
        fitted.synthetic_rows = resampled.synthetic.iter().filter(|&&s| s).count();
        Ok((fitted, resampled.data))
    }
}

impl FittedPipeline {
    /// Prepares rows that were not used to fit (test rows) as [`Pipeline::prepare`] prepares its
    /// test rows: imputes them (with [`ImputeStrategy::DropRows`], rows with a missing value are
    /// left out), clips outliers when the action is clip (no test row is ever removed as an
    /// outlier), and rescales. Never resamples.
    pub fn transform(&self, data: &Dataset) -> Result<Dataset> {
        let mut out = self.imputer.apply(data)?;
        match (&self.outliers, &self.neighbours, self.outlier_action) {
            (Some(bounds), None, OutlierAction::Clip) => out = bounds.apply(&out, OutlierAction::Clip).0,
            (Some(bounds), Some(neighbours), OutlierAction::Clip) if !out.is_empty() => {
                // Judge the rows among the training rows, as `prepare` judges its test rows.
                let m = neighbours.len();
                let both = stack(neighbours, &out);
                let judged = RegressionOutliers::fit(&both, &(0..m).collect::<Vec<_>>(), bounds.rule)?;
                out = judged.clipped(&both).select(&(m..both.len()).collect::<Vec<_>>());
            }
            _ => {}
        }
        self.scaler.apply(&out)
    }
}

/// The rows of `a` followed by the rows of `b` (same features).
fn stack(a: &Dataset, b: &Dataset) -> Dataset {
    let (m, d) = (a.len(), a.n_features());
    let x = DMatrix::from_fn(m + b.len(), d, |i, j| if i < m { a.x[(i, j)] } else { b.x[(i - m, j)] });
    let y = DVector::from_iterator(m + b.len(), a.y.iter().chain(b.y.iter()).copied());
    Dataset { x, y, ..a.clone() }
}

#[cfg(test)]
mod tests;
