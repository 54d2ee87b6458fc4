//! Tuning a model's settings by cross-validation: each trial's settings are scored by k-fold
//! cross-validation through the one preparation pipeline (every step fitted on the training folds
//! only, `evaluate::cross_validation`), and the search minimises the score, negated where a
//! larger score is better. The trials come back with the metric as the learner knows it (accuracy
//! up, error down), its spread over the folds, and the time each took.

use super::space::Space;
use super::value::Value;
use super::{minimize_timed, Options};
use crate::data::Dataset;
use crate::error::Result;
use crate::evaluate::cross_validation::cross_validate;
use crate::evaluate::scoring::ScoreMetric;
use crate::model::ModelParams;
use crate::pipeline::Pipeline;
use serde::Serialize;

/// How each trial is scored.
#[derive(Debug, Clone, PartialEq)]
pub struct CvSpec {
    /// Folds, 2 to 10.
    pub k: usize,
    /// Stratified by class (classification only).
    pub stratified: bool,
    pub metric: ScoreMetric,
    /// Fitted inside each fold.
    pub pipeline: Pipeline,
    /// Seeds the folds (the same folds for every trial) and the models.
    pub seed: u64,
}

/// One trial of a tuning run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TunedTrial {
    /// The settings tried, an object of path → value.
    pub params: Value,
    /// Mean of the metric over the folds; `None` when the trial failed.
    pub score: Option<f64>,
    /// Its standard deviation over the folds.
    pub std: Option<f64>,
    pub error: Option<String>,
    pub ms: Option<f64>,
}

/// A tuning run: every trial in order, the index of the best, and whether a larger score is better.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tuning {
    pub trials: Vec<TunedTrial>,
    pub best: Option<usize>,
    pub greater_is_better: bool,
}

/// Searches `space` around the settings `base` (a model's params as a value tree, every field
/// filled in as `ModelParams` serialises them) for the best
/// cross-validated score on `data`. `to_params` reads a value tree as model params (the web layer
/// goes through JS values, tests through JSON). `clock` (milliseconds) times the trials.
pub fn tune(
    base: &Value,
    space: &Space,
    data: &Dataset,
    cv: &CvSpec,
    options: &Options,
    to_params: &dyn Fn(&Value) -> Result<ModelParams>,
    clock: Option<&mut dyn FnMut() -> f64>,
) -> Result<Tuning> {
    space.check_paths(base)?;
    // the base settings themselves must be readable, so a bad base fails once, not every trial
    to_params(base)?.check()?;
    let sign = if cv.metric.greater_is_better() { -1.0 } else { 1.0 };
    let mut stds = Vec::with_capacity(options.trials);
    let outcome = minimize_timed(
        |point| {
            let result = to_params(&space.apply(point, base)?).and_then(|params| {
                cross_validate(&params, data, cv.k, cv.stratified, &cv.pipeline, cv.metric, cv.seed, &mut |_, _| true)
            });
            stds.push(result.as_ref().ok().map(|r| r.std));
            result.map(|r| sign * r.mean)
        },
        space,
        options,
        clock,
    )?;
    let trials = outcome
        .trials
        .into_iter()
        .zip(stds)
        .map(|(t, std)| TunedTrial {
            params: t.params,
            score: t.score.map(|s| sign * s),
            std,
            error: t.error,
            ms: t.ms,
        })
        .collect();
    Ok(Tuning { trials, best: outcome.best, greater_is_better: cv.metric.greater_is_better() })
}
