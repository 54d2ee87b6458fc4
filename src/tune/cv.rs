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
//! as many folds is stopped and recorded as pruned. With `halving` (a network: the only family
//! whose fit runs epochs inside cross-validation; linear and logistic models solve in closed form
//! or by Newton there), successive halving over the epochs instead ([`Halving`]). [`nested`] runs the whole search inside each
//! fold of an outer cross-validation and scores the settings it picks on the outer test rows: the
//! honest estimate of the tuned model, next to the optimistic best inner score.

use super::space::Space;
use super::value::Value;
use super::{minimize_timed, Options};
use crate::data::Dataset;
use crate::error::{check_count, Result};
use crate::evaluate::cross_validation::{score_fold, FoldRun};
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
    /// Stop hopeless trials early (successive halving over the epochs of a network's fit).
    pub halving: Option<Halving>,
}

impl CvSpec {
    /// k shuffled folds seeded by `seed`, scored by `metric` with no preparation, no repeats and no
    /// pruning.
    pub fn new(k: usize, stratified: bool, metric: ScoreMetric, seed: u64) -> CvSpec {
        CvSpec {
            k,
            stratified,
            metric,
            pipeline: Pipeline::default(),
            seed,
            shuffle: true,
            repeats: 1,
            prune: None,
            halving: None,
        }
    }

    /// Checks the early-stopping rules against the model `params`: one rule at most, and
    /// successive halving only for a family whose fit runs epochs.
    pub fn check_pruning(&self, params: &ModelParams) -> Result<()> {
        let Some(halving) = &self.halving else { return Ok(()) };
        if self.prune.is_some() {
            return Err(err!(InvalidParameter, "prune_one_rule"));
        }
        halving.check()?;
        if !params.fits_by_epochs() {
            return Err(err!(InvalidParameter, "halving_needs_epochs", model = params.kind()));
        }
        Ok(())
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

/// Successive halving over the epochs of a network's fit (asynchronous, as Optuna's
/// `SuccessiveHalvingPruner`): rungs at `min_epochs`·η^k epochs (η the `reduction_factor`). At
/// each rung a trial's score is the mean over the folds of each fold's model after that many
/// epochs; it goes on only if it is among the best 1/η of the trials that reached the rung so far
/// (itself included; while fewer than η have, only if it is the best of them). A trial whose fits
/// all end before a rung (`max_epochs`, or `patience`) is complete there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Halving {
    #[serde(default = "Halving::default_min_epochs")]
    pub min_epochs: usize,
    #[serde(default = "Halving::default_reduction_factor")]
    pub reduction_factor: usize,
}

impl Default for Halving {
    fn default() -> Self {
        Halving { min_epochs: Halving::default_min_epochs(), reduction_factor: Halving::default_reduction_factor() }
    }
}

impl Halving {
    fn default_min_epochs() -> usize {
        10
    }
    fn default_reduction_factor() -> usize {
        3
    }

    /// `min_epochs` 1 to 10,000, η 2 to 10.
    pub fn check(&self) -> Result<()> {
        check_count("minimum epochs", self.min_epochs, 1, 10_000)?;
        check_count("reduction factor", self.reduction_factor, 2, 10)
    }

    /// The epoch of rung `k`: `min_epochs`·η^k (saturating).
    pub fn rung(&self, k: usize) -> usize {
        let mut e = self.min_epochs;
        for _ in 0..k {
            e = e.saturating_mul(self.reduction_factor);
        }
        e
    }

    /// Optuna's rule: a trial with `value` at a rung goes on when, among `competing` (the values
    /// of every trial that reached the rung, its own included), it is within the best
    /// ⌊n/η⌋ (the best one while n < η).
    pub fn promotes(&self, value: f64, competing: &[f64], greater: bool) -> bool {
        if !value.is_finite() {
            return false;
        }
        let mut sorted: Vec<f64> = competing.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return true;
        }
        // best first
        sorted.sort_by(|a, b| if greater { b.total_cmp(a) } else { a.total_cmp(b) });
        let index = (sorted.len() / self.reduction_factor).max(1) - 1;
        let bar = sorted[index.min(sorted.len() - 1)];
        if greater {
            value >= bar
        } else {
            value <= bar
        }
    }

    /// Runs one trial through the rungs: `at(epoch)` trains it to that epoch and gives its score
    /// there with whether its training has ended (`None`: it had ended before). `others[k]` holds
    /// the values the earlier trials reached at rung k. The trial's own value at each rung it
    /// reached comes back, and the rung where it was stopped, if it was.
    pub fn run(
        &self,
        others: &[Vec<f64>],
        greater: bool,
        mut at: impl FnMut(usize) -> Result<(f64, bool)>,
    ) -> Result<HalvingRun> {
        let mut out = HalvingRun { values: Vec::new(), stopped: None };
        for k in 0.. {
            let epoch = self.rung(k);
            let (value, ended) = at(epoch)?;
            if ended {
                return Ok(out);
            }
            out.values.push(value);
            let mut competing: Vec<f64> = others.get(k).cloned().unwrap_or_default();
            competing.push(value);
            if !self.promotes(value, &competing, greater) {
                out.stopped = Some(k);
                return Ok(out);
            }
            if epoch == usize::MAX {
                break;
            }
        }
        Ok(out)
    }
}

/// One trial's way through the rungs of successive halving: its value at each rung it reached
/// (before its training ended), and the rung it was stopped at.
#[derive(Debug, Clone, PartialEq)]
pub struct HalvingRun {
    pub values: Vec<f64>,
    pub stopped: Option<usize>,
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
    /// Successive halving: the trial's score at each rung it reached (the mean over the folds
    /// after that many epochs), and the epochs it was trained for when it was stopped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rungs: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<usize>,
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
    cv.check_pruning(&base_params)?;
    cv.metric.check_for(data.task, base_params.is_clustering())?;
    let all_folds = cv.folds(data)?;
    let greater = cv.metric.greater_is_better();
    let sign = if greater { -1.0 } else { 1.0 };
    // per trial: how it scored (its spread, whether it was pruned, how far it went)
    let mut extras: Vec<Option<TrialScores>> = Vec::with_capacity(options.trials);
    // the running means of every finished, unpruned trial, fold by fold
    let mut finished: Vec<Vec<f64>> = Vec::new();
    // successive halving: the values every trial reached at each rung
    let mut rungs: Vec<Vec<f64>> = Vec::new();
    let mut score_point = |point: &super::space::Point| -> (Result<f64>, Option<TrialScores>) {
        let params = match to_params_checked(&space.apply(point, base), to_params) {
            Ok(p) => p,
            Err(e) => return (Err(e), None),
        };
        let (result, scores) = if let Some(halving) = &cv.halving {
            let run = score_trial_halving(&params, data, &all_folds, cv, halving, &rungs);
            record_rungs(&mut rungs, &run.1.rungs);
            run
        } else {
            let medians =
                cv.prune.filter(|r| finished.len() >= r.startup).map(|_| running_medians(&finished, all_folds.len()));
            score_trial(&params, data, &all_folds, cv, medians.as_deref())
        };
        if result.is_ok() {
            finished.push(scores.running.clone());
        }
        (result.map(|s| sign * s), Some(scores))
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
        .map(|(t, scores)| {
            let scores = scores.unwrap_or_else(|| TrialScores::empty(0));
            TunedTrial {
                params: t.params,
                score: t.score.map(|s| sign * s),
                std: t.score.and(scores.std),
                error: t.error,
                ms: t.ms,
                pruned: scores.pruned,
                folds: scores.folds,
                rungs: scores.rungs,
                epochs: scores.epochs,
            }
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
    /// Successive halving: the score at each rung reached (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rungs: Vec<f64>,
    /// Successive halving: the epochs trained when the trial was stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<usize>,
}

impl TrialScores {
    fn empty(folds: usize) -> TrialScores {
        TrialScores {
            score: None,
            std: None,
            running: Vec::with_capacity(folds),
            pruned: false,
            folds: 0,
            rungs: Vec::new(),
            epochs: None,
        }
    }

    /// The mean and spread of the folds' `scores`, as the trial's result.
    fn finish(&mut self, scores: &[f64]) -> f64 {
        let n = scores.len() as f64;
        let mean = scores.iter().sum::<f64>() / n;
        let std = (scores.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / n).sqrt();
        self.score = Some(mean);
        self.std = Some(std);
        mean
    }
}

/// Adds a trial's rung values to the record of every trial's (rung k's values in `rungs[k]`).
pub fn record_rungs(rungs: &mut Vec<Vec<f64>>, values: &[f64]) {
    for (k, &v) in values.iter().enumerate() {
        if rungs.len() <= k {
            rungs.push(Vec::new());
        }
        rungs[k].push(v);
    }
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
    let mut out = TrialScores::empty(all_folds.len());
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
    let mean = out.finish(&scores);
    (Ok(mean), out)
}

/// Scores the settings `params` on `all_folds` with successive halving over the epochs of their
/// fit (`halving`; `others[k]` the values of the earlier trials at rung k): every fold's model is
/// trained to each rung's epoch in turn and scored on its test rows, the mean over the folds is
/// the trial's value at the rung, and a trial outside the best 1/η there is stopped. A trial
/// that passes every rung it reaches is trained to the end of its fits and scored as
/// [`score_trial`] scores it (the same epochs, to the bit). The page's workers call this too.
pub fn score_trial_halving(
    params: &ModelParams,
    data: &Dataset,
    all_folds: &[Fold],
    cv: &CvSpec,
    halving: &Halving,
    others: &[Vec<f64>],
) -> (Result<f64>, TrialScores) {
    let greater = cv.metric.greater_is_better();
    let mut out = TrialScores::empty(all_folds.len());
    let mut runs = Vec::with_capacity(all_folds.len());
    for (f, fold) in all_folds.iter().enumerate() {
        match FoldRun::new(params, data, fold, f, &cv.pipeline, cv.metric, cv.seed) {
            Ok(run) => runs.push((run, false)),
            Err(e) => return (Err(e), out),
        }
    }
    // every fold's model trained to `epoch` (or the end of its fit) and scored
    let mut advance = |epoch: usize| -> Result<(Vec<f64>, bool)> {
        let mut scores = Vec::with_capacity(runs.len());
        for (run, ended) in runs.iter_mut() {
            if !*ended {
                *ended = run
                    .advance_to_epoch(epoch)
                    .unwrap_or_else(|| Err(err!(InvalidParameter, "halving_needs_epochs", model = params.kind())))?;
            }
            scores.push(run.score_now()?);
        }
        Ok((scores, runs.iter().all(|(_, ended)| *ended)))
    };
    let walk = halving.run(others, greater, |epoch| {
        let (scores, ended) = advance(epoch)?;
        Ok((scores.iter().sum::<f64>() / scores.len().max(1) as f64, ended))
    });
    let walk = match walk {
        Ok(w) => w,
        Err(e) => return (Err(e), out),
    };
    out.rungs = walk.values;
    out.folds = all_folds.len();
    if let Some(k) = walk.stopped {
        out.pruned = true;
        let epochs = halving.rung(k);
        out.epochs = Some(epochs);
        return (Err(err!(InvalidInput, "stopped_halving", epochs = epochs, rung = k + 1)), out);
    }
    // every fit to its end (those that ended at a rung are only scored again)
    let scores = match advance(usize::MAX) {
        Ok((s, _)) => s,
        Err(e) => return (Err(e), out),
    };
    let mean = out.finish(&scores);
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
