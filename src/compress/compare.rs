//! The numbers of the compare view: a model and its compressed copy side by side on the same
//! training and test rows — size as stored, accuracy and log-loss (or R² and MSE), and how often
//! and how far their predictions differ.

use super::{size, Size};
use crate::data::{Dataset, Task};
use crate::error::Result;
use crate::metrics;
use crate::model::{AnyModel, Model};
use nalgebra::DMatrix;
use serde::Serialize;

/// One model's scores on one set of rows: accuracy and log-loss for classes, R² and MSE for
/// numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    pub accuracy: Option<f64>,
    pub log_loss: Option<f64>,
    pub r2: Option<f64>,
    pub mse: Option<f64>,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    pub size: Size,
    pub train: Scores,
    pub test: Scores,
}

/// Both sides, and how the compressed model's predictions differ from the original's on the test
/// rows: the share of rows whose predicted class changed (classes) and the mean |Δ| of the
/// predicted probabilities (or values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub original: Side,
    pub compressed: Side,
    pub changed_share: Option<f64>,
    pub mean_abs_difference: f64,
}

/// Scores of `model` on `data`.
pub fn scores(model: &AnyModel, data: &Dataset) -> Result<Scores> {
    if data.is_empty() {
        return Ok(Scores { accuracy: None, log_loss: None, r2: None, mse: None });
    }
    let p = model.predict(&data.x)?;
    let y = data.y.as_slice();
    Ok(match data.task {
        Task::Regression => {
            let values = p.column(0).iter().copied().collect::<Vec<_>>();
            Scores { accuracy: None, log_loss: None, r2: metrics::r2(y, &values), mse: Some(metrics::mse(y, &values)) }
        }
        Task::Classification { .. } => Scores {
            accuracy: Some(metrics::accuracy(y, &classes(&p))),
            log_loss: Some(metrics::log_loss(y, &p)),
            r2: None,
            mse: None,
        },
    })
}

/// The most probable class of each row.
fn classes(p: &DMatrix<f64>) -> Vec<f64> {
    p.row_iter()
        .map(|row| {
            row.iter().enumerate().fold((0, f64::NEG_INFINITY), |b, (c, &v)| if v > b.1 { (c, v) } else { b }).0 as f64
        })
        .collect()
}

/// Compares `original` with `compressed` on `train` and `test` (both models trained networks or
/// ensembles, on the same task).
pub fn compare(original: &AnyModel, compressed: &AnyModel, train: &Dataset, test: &Dataset) -> Result<Comparison> {
    let side = |m: &AnyModel| -> Result<Side> {
        Ok(Side { size: size(m)?, train: scores(m, train)?, test: scores(m, test)? })
    };
    let (a, b) = (original.predict(&test.x)?, compressed.predict(&test.x)?);
    if a.shape() != b.shape() {
        return Err(err!(InvalidData, "compare_outputs_differ"));
    }
    let n = a.len().max(1) as f64;
    let mean_abs_difference = (&a - &b).abs().sum() / n;
    let changed_share = match test.task {
        Task::Classification { .. } if !test.is_empty() => {
            let (ca, cb) = (classes(&a), classes(&b));
            Some(ca.iter().zip(&cb).filter(|(x, y)| x != y).count() as f64 / ca.len() as f64)
        }
        _ => None,
    };
    Ok(Comparison { original: side(original)?, compressed: side(compressed)?, changed_share, mean_abs_difference })
}
