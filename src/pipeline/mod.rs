//! The one preparation pipeline: impute → outliers → rescale → resample, each step fitted on
//! training rows and applied to any rows.

use crate::data::cleaning::{ImputeStrategy, Imputer, OutlierAction, OutlierBounds, OutlierRule};
use crate::data::resample::{resample, Resampling};
use crate::data::transforms::{Scaler, Scaling};
use crate::data::Dataset;
use crate::error::Result;
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
    pub outliers: Option<OutlierBounds>,
    pub outlier_action: OutlierAction,
    pub scaler: Scaler,
    /// Training rows removed as outliers.
    pub removed_outliers: usize,
    /// Synthetic rows the resampler added to the training rows.
    pub synthetic_rows: usize,
}

impl Pipeline {
    /// Fits every step on `train` and returns the fitted steps with the prepared training rows
    /// (imputed, cleaned, scaled and resampled with `seed`).
    pub fn fit(&self, train: &Dataset, seed: u64) -> Result<(FittedPipeline, Dataset)> {
        let imputer = Imputer::fit(self.imputer, train)?;
        let mut prepared = imputer.apply(train)?;
        let mut removed_outliers = 0;
        let outliers = match self.outliers {
            Some(rule) => {
                let bounds = OutlierBounds::fit(rule, &prepared.x)?;
                let (cleaned, rows) = bounds.apply(&prepared, self.outlier_action);
                if self.outlier_action == OutlierAction::Remove {
                    removed_outliers = rows.len();
                }
                prepared = cleaned;
                Some(bounds)
            }
            None => None,
        };
        let scaler = Scaler::fit(self.scaling, &prepared)?;
        prepared = scaler.apply(&prepared)?;
        let resampled = resample(&prepared, self.resampling, seed)?;
        let synthetic_rows = resampled.synthetic.iter().filter(|&&s| s).count();
        let fitted = FittedPipeline {
            imputer,
            outliers,
            outlier_action: self.outlier_action,
            scaler,
            removed_outliers,
            synthetic_rows,
        };
        Ok((fitted, resampled.data))
    }
}

impl FittedPipeline {
    /// Prepares rows that were not used to fit (test rows): imputes them (with
    /// [`ImputeStrategy::DropRows`], rows with a missing value are left out, as a model cannot
    /// predict them), clips outliers when the action is clip (no test row is ever removed as an
    /// outlier), and scales. Never resamples.
    pub fn transform(&self, data: &Dataset) -> Result<Dataset> {
        let mut out = self.imputer.apply(data)?;
        if let (Some(bounds), OutlierAction::Clip) = (&self.outliers, self.outlier_action) {
            out = bounds.apply(&out, OutlierAction::Clip).0;
        }
        self.scaler.apply(&out)
    }
}
