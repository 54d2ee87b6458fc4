//! Cross-validation: [`cross_validate`] fits the whole [`Pipeline`] (imputer, outlier rule,
//! scaler, resampler) and a fresh model on each fold's training rows only, then scores the fold's
//! test rows prepared by that fitted pipeline, so no statistic of a test fold leaks into training.

use super::folds::{folds, Fold};
use super::scoring::ScoreMetric;
use crate::data::Dataset;
use crate::error::Result;
use crate::model::{AnyModel, Model, ModelParams};
use crate::pipeline::{FittedPipeline, Pipeline};
use serde::{Deserialize, Serialize};

/// Cross-validation scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvResult {
    /// The metric on each fold's test rows.
    pub per_fold: Vec<f64>,
    pub mean: f64,
    /// Standard deviation over the folds (population, as numpy's default).
    pub std: f64,
}

/// k-fold cross-validation of the model `params` on `data`: for each of `k` folds (2–10,
/// stratified by class when asked, rows shuffled with `seed`), fits `pipeline` and a fresh model
/// on the training rows only, then scores `metric` on the prepared test rows. `progress(done,
/// total)` is called before each fold and at the end; returning false cancels with an error.
#[allow(clippy::too_many_arguments)]
pub fn cross_validate(
    params: &ModelParams,
    data: &Dataset,
    k: usize,
    stratified: bool,
    pipeline: &Pipeline,
    metric: ScoreMetric,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<CvResult> {
    cross_validate_detailed(params, data, k, stratified, pipeline, metric, seed, progress).map(|(result, _, _)| result)
}

/// Fold `f` of a cross-validation: the pipeline fitted on the fold's training rows only, a model
/// fitted on them, and `metric` on the prepared test rows. The page runs folds one at a time so
/// a long run can show progress and be cancelled between folds, and each fold's fit in parts
/// ([`FoldRun`]) so a cancel also gets in during one long fit.
#[allow(clippy::too_many_arguments)]
pub fn score_fold(
    params: &ModelParams,
    data: &Dataset,
    fold: &Fold,
    f: usize,
    pipeline: &Pipeline,
    metric: ScoreMetric,
    seed: u64,
) -> Result<(f64, FittedPipeline)> {
    let mut run = FoldRun::new(params, data, fold, f, pipeline, metric, seed)?;
    loop {
        if let Some(score) = run.advance(usize::MAX)? {
            return Ok((score, run.steps));
        }
    }
}

/// One fold of a cross-validation under way: the prepared rows, the model being fitted on the
/// training rows ([`Model::fit_part`]), the metric that scores it on the test rows.
#[derive(Debug)]
pub struct FoldRun {
    model: AnyModel,
    train: Dataset,
    test: Dataset,
    metric: ScoreMetric,
    steps: FittedPipeline,
}

impl FoldRun {
    /// Prepares fold `f`: the pipeline fitted on its training rows, its test rows transformed,
    /// a fresh model from `params` (nothing is fitted yet).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        params: &ModelParams,
        data: &Dataset,
        fold: &Fold,
        f: usize,
        pipeline: &Pipeline,
        metric: ScoreMetric,
        seed: u64,
    ) -> Result<FoldRun> {
        let (steps, train) = pipeline.fit(&data.select(&fold.train), seed.wrapping_add(f as u64))?;
        train.require_len(2)?;
        train.require_two_classes()?;
        let test = steps.transform(&data.select(&fold.test))?;
        if test.is_empty() {
            return Err(err!(InvalidData, "fold_no_test_row", f = f + 1));
        }
        Ok(FoldRun { model: params.build(seed)?, train, test, metric, steps })
    }

    /// Fits on about `max_rows` more training rows (see [`Model::fit_part`]); the fold's score
    /// once the fit has ended.
    pub fn advance(&mut self, max_rows: usize) -> Result<Option<f64>> {
        if self.model.fit_part(&self.train, max_rows)? {
            return self.metric.score(&self.model, &self.test).map(Some);
        }
        Ok(None)
    }

    /// Fits to the end of epoch `epoch` of the fit, or to its end (see [`Model::fit_until_epoch`]):
    /// true when the fit ended; `None` for a family whose fit does not run by epochs.
    pub fn advance_to_epoch(&mut self, epoch: usize) -> Option<Result<bool>> {
        self.model.fit_until_epoch(&self.train, epoch)
    }

    /// The fold's score of the model as it stands (part-way through its fit, at an epoch's end).
    pub fn score_now(&self) -> Result<f64> {
        self.metric.score(&self.model, &self.test)
    }

    /// How far the fit has come, 0 to 1 ([`Model::fit_progress`]).
    pub fn progress(&self) -> f64 {
        self.model.fit_progress()
    }
}

/// As [`cross_validate`], also returning the folds and each fold's fitted pipeline (so the page,
/// and the tests, can show which statistics each fold learned).
#[allow(clippy::too_many_arguments)]
pub fn cross_validate_detailed(
    params: &ModelParams,
    data: &Dataset,
    k: usize,
    stratified: bool,
    pipeline: &Pipeline,
    metric: ScoreMetric,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<(CvResult, Vec<Fold>, Vec<FittedPipeline>)> {
    params.check()?;
    metric.check_for(data.task, params.is_clustering())?;
    let folds = folds(data, k, stratified, Some(seed))?;
    let mut per_fold = Vec::with_capacity(k);
    let mut fitted = Vec::with_capacity(k);
    for (f, fold) in folds.iter().enumerate() {
        if !progress(f, k) {
            return Err(err!(InvalidInput, "cancelled"));
        }
        let (score, steps) = score_fold(params, data, fold, f, pipeline, metric, seed)?;
        per_fold.push(score);
        fitted.push(steps);
    }
    if !progress(k, k) {
        return Err(err!(InvalidInput, "cancelled"));
    }
    let mean = per_fold.iter().sum::<f64>() / k as f64;
    let std = (per_fold.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / k as f64).sqrt();
    Ok((CvResult { per_fold, mean, std }, folds, fitted))
}
