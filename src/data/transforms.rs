//! Feature transforms fitted on the training rows only: standardising, min-max scaling and
//! logarithms.

use super::Dataset;
use crate::error::Result;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// How feature columns are rescaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// Unchanged.
    #[default]
    None,
    /// `(x − mean) / standard deviation` (population, like scikit-learn's StandardScaler).
    Standardize,
    /// `(x − min) / (max − min)`, so training values fall in [0, 1] (scikit-learn's MinMaxScaler).
    MinMax,
    /// `ln(x)`; refuses values ≤ 0 with a message.
    Log,
    /// `ln(1 + x − min)` with the training minimum, so any values work; values below the training
    /// minimum are treated as the minimum.
    LogShifted,
}

/// A [`Scaling`] fitted on training rows: column `j` maps through `offset[j]` and `scale[j]`.
/// Missing values (NaN) are ignored when fitting and stay NaN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub scaling: Scaling,
    /// The mean (standardise), minimum (min-max, shifted log) or 0.
    pub offset: Vec<f64>,
    /// The standard deviation (standardise), range (min-max) or 1; 1 for a constant column.
    pub scale: Vec<f64>,
    /// Feature names, for messages.
    names: Vec<String>,
}

impl Scaler {
    /// Fits `scaling` on the training rows.
    pub fn fit(scaling: Scaling, train: &Dataset) -> Result<Scaler> {
        let mut offset = Vec::with_capacity(train.n_features());
        let mut scale = Vec::with_capacity(train.n_features());
        let names: Vec<String> = (0..train.n_features())
            .map(|j| train.feature_names.get(j).cloned().unwrap_or_else(|| format!("x{}", j + 1)))
            .collect();
        for column in train.x.column_iter() {
            let values: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
            let n = values.len().max(1) as f64;
            let (o, s) = match scaling {
                Scaling::None | Scaling::Log => (0.0, 1.0),
                Scaling::Standardize => {
                    let m = values.iter().sum::<f64>() / n;
                    let sd = (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n).sqrt();
                    (if values.is_empty() { 0.0 } else { m }, sd)
                }
                Scaling::MinMax | Scaling::LogShifted => {
                    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    if values.is_empty() {
                        (0.0, 1.0)
                    } else {
                        (lo, hi - lo)
                    }
                }
            };
            // A constant column carries no information: scale 1 maps it to zeros, not NaN.
            offset.push(o);
            scale.push(if s.is_finite() && s > 1e-12 * o.abs().max(1e-300) { s } else { 1.0 });
        }
        let scaler = Scaler { scaling, offset, scale, names };
        if scaling == Scaling::Log {
            scaler.transform(&train.x)?;
        }
        Ok(scaler)
    }

    /// The transformed features. Fails for [`Scaling::Log`] on a value ≤ 0, naming the feature
    /// and row, and when `x` has another number of columns than the training rows.
    pub fn transform(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if x.ncols() != self.offset.len() {
            return Err(err!(InvalidData, "feature_count", expected = self.offset.len(), got = x.ncols()));
        }
        let mut out = x.clone();
        for (j, mut column) in out.column_iter_mut().enumerate() {
            let (o, s) = (self.offset[j], self.scale[j]);
            for (i, v) in column.iter_mut().enumerate() {
                if v.is_nan() {
                    continue;
                }
                *v = match self.scaling {
                    Scaling::None => *v,
                    Scaling::Standardize | Scaling::MinMax => (*v - o) / s,
                    Scaling::LogShifted => (*v - o).max(0.0).ln_1p(),
                    Scaling::Log => {
                        if *v <= 0.0 {
                            return Err(err!(
                                InvalidData,
                                "log_nonpositive",
                                j = self.names.get(j).map_or("?", String::as_str),
                                v = *v,
                                i = i + 1
                            ));
                        }
                        v.ln()
                    }
                };
            }
        }
        Ok(out)
    }

    /// The value of feature `j` before scaling, for a value `v` after it (what a point placed on
    /// the rescaled picture stands for); `v` itself for a feature the scaler does not know.
    pub fn invert(&self, j: usize, v: f64) -> f64 {
        let (Some(&o), Some(&s)) = (self.offset.get(j), self.scale.get(j)) else { return v };
        match self.scaling {
            Scaling::None => v,
            Scaling::Standardize | Scaling::MinMax => v * s + o,
            Scaling::Log => v.exp(),
            Scaling::LogShifted => v.exp_m1() + o,
        }
    }

    /// `data` with its features transformed.
    pub fn apply(&self, data: &Dataset) -> Result<Dataset> {
        Ok(Dataset { x: self.transform(&data.x)?, ..data.clone() })
    }
}
