//! Permutation importance: how much a trained model's score drops when one feature's values are
//! shuffled (scikit-learn's `permutation_importance`).

use super::scoring::ScoreMetric;
use crate::data::{rng, Dataset};
use crate::error::{check_count, Result};
use crate::model::AnyModel;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// How much the score drops when one feature is shuffled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    pub feature: String,
    /// Mean drop over the repeats (positive = the model relies on the feature; for errors and
    /// losses the increase, so positive still means important).
    pub mean: f64,
    /// Standard deviation of the drop over the repeats (population, like scikit-learn).
    pub std: f64,
    /// The drop of each repeat.
    pub drops: Vec<f64>,
}

/// Permutation importance of every feature of `data` for a trained `model` (scikit-learn's
/// `permutation_importance`): the baseline `metric` minus the metric with that feature's column
/// shuffled, `repeats` (1 to 100) times with seeded shuffles.
pub fn permutation_importance(
    model: &AnyModel,
    data: &Dataset,
    metric: ScoreMetric,
    repeats: usize,
    seed: u64,
) -> Result<Vec<Importance>> {
    check_count("number of repeats", repeats, 1, 100)?;
    data.require_len(2)?;
    let baseline = metric.score(model, data)?;
    let sign = if metric.greater_is_better() { 1.0 } else { -1.0 };
    let mut r = rng(seed);
    let mut shuffled = data.clone();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut result = Vec::with_capacity(data.n_features());
    for j in 0..data.n_features() {
        let mut drops = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            order.shuffle(&mut r);
            for (i, &source) in order.iter().enumerate() {
                shuffled.x[(i, j)] = data.x[(source, j)];
            }
            drops.push(sign * (baseline - metric.score(model, &shuffled)?));
        }
        shuffled.x.set_column(j, &data.x.column(j));
        let mean = drops.iter().sum::<f64>() / repeats as f64;
        let std = (drops.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / repeats as f64).sqrt();
        let feature = data.feature_names.get(j).cloned().unwrap_or_else(|| format!("x{}", j + 1));
        result.push(Importance { feature, mean, std, drops });
    }
    Ok(result)
}
