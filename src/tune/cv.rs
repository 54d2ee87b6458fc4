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
    let greater = cv.metric.greater_is_better();
    let sign = if greater { -1.0 } else { 1.0 };
    // per trial: its spread, whether it was pruned, and how many folds it scored
    let mut extras: Vec<(Option<f64>, bool, usize)> = Vec::with_capacity(options.trials);
    // the running means of every finished, unpruned trial, fold by fold
    let mut finished: Vec<Vec<f64>> = Vec::new();
    let mut score_point = |point: &super::space::Point| -> (Result<f64>, (Option<f64>, bool, usize)) {
        let params = match to_params_checked(&space.apply(point, base), to_params) {
            Ok(p) => p,
            Err(e) => return (Err(e), (None, false, 0)),
        };
        let medians =
            cv.prune.filter(|r| finished.len() >= r.startup).map(|_| running_medians(&finished, all_folds.len()));
        let (result, scores) = score_trial(&params, data, &all_folds, cv, medians.as_deref());
        if result.is_ok() {
            finished.push(scores.running.clone());
        }
        (result.map(|s| sign * s), (scores.std, scores.pruned, scores.folds))
    };
    let outcome = minimize_timed(
        |point| {
            let (result, extra) = score_point(point);
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
    Ok(Tuning { trials, best: outcome.best, greater_is_better: greater })
}

/// How one trial scored: the mean of the metric over the folds and its spread (`None` when it
/// failed or was stopped), the running mean after each fold scored, whether the median rule
/// stopped it, and how many folds it scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrialScores {
    pub score: Option<f64>,
    pub std: Option<f64>,
    pub running: Vec<f64>,
    pub pruned: bool,
    pub folds: usize,
}

/// The median after each fold of the running means of finished trials (`f64::NAN` where none
/// has that many folds): what [`score_trial`] compares a trial against.
pub fn running_medians(finished: &[Vec<f64>], folds: usize) -> Vec<f64> {
    (0..folds)
        .map(|f| median(finished.iter().filter_map(|h| h.get(f).copied()).collect()).unwrap_or(f64::NAN))
        .collect()
}

/// Scores the settings `params` fold by fold on `all_folds` (the scheme's folds, see
/// [`CvSpec::folds`]). With `medians` (the running medians of the finished trials, in the metric's
/// own direction) and `cv.prune` set, the trial stops after a fold from `min_folds` on (not the
/// last) where its running mean is worse than the median: the median rule. The result is the mean
/// score in the metric's own direction, or why the trial failed or stopped. The page's pool of
/// workers scores its trials with this, so a trial scores there as in [`tune`].
pub fn score_trial(
    params: &ModelParams,
    data: &Dataset,
    all_folds: &[Fold],
    cv: &CvSpec,
    medians: Option<&[f64]>,
) -> (Result<f64>, TrialScores) {
    let greater = cv.metric.greater_is_better();
    let mut out =
        TrialScores { score: None, std: None, running: Vec::with_capacity(all_folds.len()), pruned: false, folds: 0 };
    let mut scores = Vec::with_capacity(all_folds.len());
    for (f, fold) in all_folds.iter().enumerate() {
        match score_fold(params, data, fold, f, &cv.pipeline, cv.metric, cv.seed) {
            Ok((s, _)) => scores.push(s),
            Err(e) => return (Err(e), out),
        }
        out.folds = f + 1;
        let running = scores.iter().sum::<f64>() / scores.len() as f64;
        out.running.push(running);
        let last = f + 1 == all_folds.len();
        let rule = cv.prune.filter(|r| !last && f + 1 >= r.min_folds);
        if let (Some(_), Some(m)) = (rule, medians.and_then(|m| m.get(f)).filter(|m| m.is_finite())) {
            let worse = if greater { running < *m } else { running > *m };
            if worse {
                out.pruned = true;
                return (Err(err!(InvalidInput, "stopped_early", done = f + 1, total = all_folds.len())), out);
            }
        }
    }
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n;
    let std = (scores.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / n).sqrt();
    out.score = Some(mean);
    out.std = Some(std);
    (Ok(mean), out)
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
    let mut folds = Vec::with_capacity(outer_k);
    for f in 0..outer_k {
        folds.push(nested_fold(base, space, data, cv, options, outer_k, f, to_params)?);
    }
    Ok(Nested::from_folds(folds))
}

/// One outer fold of a nested cross-validation: the settings the search picked on its training
/// rows, the best inner score (optimistic) and the picked settings' score on its test rows (honest).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NestedFold {
    pub picked: Value,
    pub inner_best: f64,
    pub outer: f64,
}

impl Nested {
    /// The summary of the outer folds (run one by one, or in parallel by the page's workers).
    pub fn from_folds(folds: Vec<NestedFold>) -> Nested {
        let k = folds.len().max(1) as f64;
        let mut out = Nested {
            picked: vec![],
            inner_best: vec![],
            outer: vec![],
            inner_mean: 0.0,
            outer_mean: 0.0,
            outer_std: 0.0,
        };
        for f in folds {
            out.picked.push(f.picked);
            out.inner_best.push(f.inner_best);
            out.outer.push(f.outer);
        }
        out.inner_mean = out.inner_best.iter().sum::<f64>() / k;
        out.outer_mean = out.outer.iter().sum::<f64>() / k;
        out.outer_std = (out.outer.iter().map(|s| (s - out.outer_mean).powi(2)).sum::<f64>() / k).sqrt();
        out
    }
}

/// Outer fold `f` of `outer_k` of [`nested`]: the whole search on its training rows, the best
/// settings scored on its test rows.
#[allow(clippy::too_many_arguments)]
pub fn nested_fold(
    base: &Value,
    space: &Space,
    data: &Dataset,
    cv: &CvSpec,
    options: &Options,
    outer_k: usize,
    f: usize,
    to_params: &dyn Fn(&Value) -> Result<ModelParams>,
) -> Result<NestedFold> {
    let outer_seed = cv.seed.wrapping_add(0x5eed);
    let outer_folds = folds(data, outer_k, cv.stratified, Some(outer_seed))?;
    let fold = outer_folds.get(f).ok_or_else(|| err!(InvalidParameter, "no_fold", fold = f + 1, k = outer_k))?;
    let inner_data = data.select(&fold.train);
    let run = tune(base, space, &inner_data, cv, options, to_params, None)?;
    let best = run
        .best
        .and_then(|i| run.trials.get(i))
        .ok_or_else(|| err!(InvalidParameter, "nested_fold_failed", fold = f + 1))?;
    let params = to_params(&space_params(best, base, space)?)?;
    let (score, _) = score_fold(&params, data, fold, f, &cv.pipeline, cv.metric, cv.seed)?;
    Ok(NestedFold { picked: best.params.clone(), inner_best: best.score.unwrap_or(f64::NAN), outer: score })
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
