//! Tuning a model's settings by cross-validation: each trial's settings are scored by k-fold
//! cross-validation through the one preparation pipeline (every step fitted on the training folds
//! only, `evaluate::cross_validation::score_fold`), and the search minimises the score, negated
//! where a larger score is better. The trials come back with the metric as the learner knows it
//! (accuracy up, error down), its spread over the folds, and the time each took.
//!
//! The folds are shuffled with the seed, or taken in row order (`shuffle: false`, scikit-learn's
//! `KFold` / `StratifiedKFold` without shuffling, so a grid search scores as `GridSearchCV` with
//! those folds); `repeats` > 1 is repeated k-fold (each repeat shuffled with its own seed, the score
//! the mean over every fold). With `prune`, a trial stops early (median rule, as Optuna's
//! `MedianPruner`): after each fold from `min_folds` on, once `startup` trials have finished, a
//! trial whose running mean is worse than the median of the finished trials' running means after
//! as many folds is stopped and recorded as pruned. [`nested`] runs the whole search inside each
//! fold of an outer cross-validation and scores the settings it picks on the outer test rows: the
//! honest estimate of the tuned model, next to the optimistic best inner score.

use super::space::Space;
use super::value::Value;
use super::{minimize_timed, Options};
use crate::data::Dataset;
use crate::error::{check_count, Result};
use crate::evaluate::cross_validation::score_fold;
use crate::evaluate::folds::{folds, Fold};
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
    /// Shuffle the rows before cutting the folds (false: in row order).
    pub shuffle: bool,
    /// Repeated k-fold: this many rounds of k folds, each shuffled with its own seed (1 to 10).
    pub repeats: usize,
    /// Stop hopeless trials early (median rule over the folds).
    pub prune: Option<MedianPruning>,
}

impl CvSpec {
    /// k shuffled folds seeded by `seed`, scored by `metric` with no preparation, no repeats and no
    /// pruning.
    pub fn new(k: usize, stratified: bool, metric: ScoreMetric, seed: u64) -> CvSpec {
        CvSpec { k, stratified, metric, pipeline: Pipeline::default(), seed, shuffle: true, repeats: 1, prune: None }
    }

    /// Every fold of every repeat of this scheme on `data`.
    pub fn folds(&self, data: &Dataset) -> Result<Vec<Fold>> {
        check_count("repeats of the cross-validation", self.repeats, 1, 10)?;
        if self.repeats > 1 && !self.shuffle {
            return Err(err!(InvalidParameter, "repeated_needs_shuffle"));
        }
        let mut all = Vec::with_capacity(self.k * self.repeats);
        for r in 0..self.repeats {
            let seed = self.shuffle.then(|| self.seed.wrapping_add(r as u64));
            all.extend(folds(data, self.k, self.stratified, seed)?);
        }
        Ok(all)
    }
}

/// The median rule: from fold `min_folds` on, once `startup` trials have finished, a trial worse
/// than the median of the finished trials after as many folds is stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MedianPruning {
    pub startup: usize,
    pub min_folds: usize,
}

impl Default for MedianPruning {
    /// Optuna's `MedianPruner` defaults: 5 trials before pruning; here from the first fold.
    fn default() -> Self {
        MedianPruning { startup: 5, min_folds: 1 }
    }
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
    /// Stopped early by the median rule (its `error` says after how many folds).
    pub pruned: bool,
    /// How many folds were scored (fewer than all when pruned).
    pub folds: usize,
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
    let base_params = to_params(base)?;
    base_params.check()?;
    cv.metric.check_for(data.task, base_params.is_clustering())?;
    let all_folds = cv.folds(data)?;
    let sign = if cv.metric.greater_is_better() { -1.0 } else { 1.0 };
    // per trial: its spread, whether it was pruned, and how many folds it scored
    let mut extras: Vec<(Option<f64>, bool, usize)> = Vec::with_capacity(options.trials);
    // the running means (in the minimised sign) of every finished, unpruned trial, fold by fold
    let mut finished: Vec<Vec<f64>> = Vec::new();
    // scores one trial fold by fold; with its spread, whether it was pruned, and its folds scored
    let mut score_trial = |point: &super::space::Point| -> (Result<f64>, (Option<f64>, bool, usize)) {
        let params = match to_params_checked(&space.apply(point, base), to_params) {
            Ok(p) => p,
            Err(e) => return (Err(e), (None, false, 0)),
        };
        let mut scores = Vec::with_capacity(all_folds.len());
        let mut running = Vec::with_capacity(all_folds.len());
        for (f, fold) in all_folds.iter().enumerate() {
            match score_fold(&params, data, fold, f, &cv.pipeline, cv.metric, cv.seed) {
                Ok((s, _)) => scores.push(s),
                Err(e) => return (Err(e), (None, false, f)),
            }
            running.push(sign * scores.iter().sum::<f64>() / scores.len() as f64);
            let last = f + 1 == all_folds.len();
            let rule_applies = cv.prune.is_some_and(|r| !last && f + 1 >= r.min_folds && finished.len() >= r.startup);
            if rule_applies {
                let median = median(finished.iter().filter_map(|h| h.get(f).copied()).collect());
                if median.is_some_and(|m| running[f] > m) {
                    let why = err!(InvalidInput, "stopped_early", done = f + 1, total = all_folds.len());
                    return (Err(why), (None, true, f + 1));
                }
            }
        }
        let n = scores.len() as f64;
        let mean = scores.iter().sum::<f64>() / n;
        let std = (scores.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / n).sqrt();
        finished.push(running);
        (Ok(sign * mean), (Some(std), false, scores.len()))
    };
    let outcome = minimize_timed(
        |point| {
            let (result, extra) = score_trial(point);
            extras.push(extra);
            result
        },
        space,
        options,
        clock,
    )?;
    let trials = outcome
        .trials
        .into_iter()
        .zip(extras)
        .map(|(t, (std, pruned, folds))| TunedTrial {
            params: t.params,
            score: t.score.map(|s| sign * s),
            std: t.score.and(std),
            error: t.error,
            ms: t.ms,
            pruned,
            folds,
        })
        .collect();
    Ok(Tuning { trials, best: outcome.best, greater_is_better: cv.metric.greater_is_better() })
}

/// Model params from a value tree, checked.
fn to_params_checked(value: &Result<Value>, to_params: &dyn Fn(&Value) -> Result<ModelParams>) -> Result<ModelParams> {
    let params = to_params(value.as_ref().map_err(Clone::clone)?)?;
    params.check()?;
    Ok(params)
}

/// The median of `values`, `None` when there is none.
fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[m] } else { 0.5 * (values[m - 1] + values[m]) })
}

/// Nested cross-validation of a tuning run: per outer fold, the settings the search picks on the
/// outer training rows (scored by the inner scheme `cv` on those rows only) and their score on
/// the outer test rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nested {
    /// The settings picked in each outer fold.
    pub picked: Vec<Value>,
    /// The best inner cross-validation score in each outer fold (optimistic: it was the best of many).
    pub inner_best: Vec<f64>,
    /// The picked settings' score on each outer test fold (honest: those rows took no part in picking).
    pub outer: Vec<f64>,
    /// Means of `inner_best` and `outer`.
    pub inner_mean: f64,
    pub outer_mean: f64,
    pub outer_std: f64,
}

/// Nested cross-validation: `outer_k` outer folds (shuffled with `cv.seed`, stratified as `cv`);
/// in each, [`tune`] on the outer training rows, then the best settings fitted on those rows
/// (through the pipeline) and scored on the outer test rows. Fails when a search finds no
/// working settings.
#[allow(clippy::too_many_arguments)]
pub fn nested(
    base: &Value,
    space: &Space,
    data: &Dataset,
    cv: &CvSpec,
    options: &Options,
    outer_k: usize,
    to_params: &dyn Fn(&Value) -> Result<ModelParams>,
) -> Result<Nested> {
    let outer_seed = cv.seed.wrapping_add(0x5eed);
    let outer_folds = folds(data, outer_k, cv.stratified, Some(outer_seed))?;
    let mut out =
        Nested { picked: vec![], inner_best: vec![], outer: vec![], inner_mean: 0.0, outer_mean: 0.0, outer_std: 0.0 };
    for (f, fold) in outer_folds.iter().enumerate() {
        let inner_data = data.select(&fold.train);
        let run = tune(base, space, &inner_data, cv, options, to_params, None)?;
        let best = run
            .best
            .and_then(|i| run.trials.get(i))
            .ok_or_else(|| err!(InvalidParameter, "nested_fold_failed", fold = f + 1))?;
        let params = to_params(&space_params(best, base, space)?)?;
        let (score, _) = score_fold(&params, data, fold, f, &cv.pipeline, cv.metric, cv.seed)?;
        out.picked.push(best.params.clone());
        out.inner_best.push(best.score.unwrap_or(f64::NAN));
        out.outer.push(score);
    }
    let k = out.outer.len() as f64;
    out.inner_mean = out.inner_best.iter().sum::<f64>() / k;
    out.outer_mean = out.outer.iter().sum::<f64>() / k;
    out.outer_std = (out.outer.iter().map(|s| (s - out.outer_mean).powi(2)).sum::<f64>() / k).sqrt();
    Ok(out)
}

/// `base` with a trial's settings (path → value) written in.
fn space_params(trial: &TunedTrial, base: &Value, space: &Space) -> Result<Value> {
    let mut params = base.clone();
    if let Value::Map(entries) = &trial.params {
        for (path, value) in entries {
            let conditional = space.params().iter().any(|p| &p.path == path && p.when.is_some());
            params.set(path, value.clone(), conditional)?;
        }
    }
    Ok(params)
}
