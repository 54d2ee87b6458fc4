//! Validation: hold-out splits and k-fold cross-validation (plain or stratified by class, in
//! scikit-learn's fold order or seeded-shuffled), and [`cross_validate`], which fits a whole
//! [`Pipeline`] — imputer, outlier rule, scaler, resampler — on each training fold only, so no
//! statistic of a test fold leaks into training.

use super::cleaning::{ImputeStrategy, Imputer, OutlierAction, OutlierBounds, OutlierRule};
use super::resample::{resample, Resampling};
use super::scoring::ScoreMetric;
use super::transforms::{Scaler, Scaling};
use super::{rng, Dataset, Task};
use crate::error::{check_count, check_range, Error, Result};
use crate::model::{Model, ModelParams};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// The rows used to train and to test, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

fn fold_from_test(n: usize, mut test: Vec<usize>) -> Fold {
    test.sort_unstable();
    let train = (0..n).filter(|i| test.binary_search(i).is_err()).collect();
    Fold { train, test }
}

fn check_folds(k: usize, n: usize) -> Result<()> {
    check_count("number of folds", k, 2, 10)?;
    if n < k {
        return Err(Error::InvalidData(format!(
            "{k} folds need at least {k} rows but there are {n}; use fewer folds or add rows"
        )));
    }
    Ok(())
}

/// scikit-learn's `KFold(k)`: the rows (shuffled by `shuffle_seed`, or in order when `None`) cut
/// into k consecutive test blocks, the first `n % k` of them one row longer.
pub fn k_fold(n: usize, k: usize, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    check_folds(k, n)?;
    let mut order: Vec<usize> = (0..n).collect();
    if let Some(seed) = shuffle_seed {
        order.shuffle(&mut rng(seed));
    }
    let mut folds = Vec::with_capacity(k);
    let mut start = 0;
    for f in 0..k {
        let size = n / k + usize::from(f < n % k);
        folds.push(fold_from_test(n, order[start..start + size].to_vec()));
        start += size;
    }
    Ok(folds)
}

/// scikit-learn's `StratifiedKFold(k)` (version ≥ 0.24): the classes, numbered in order of first
/// appearance, are dealt round-robin over the folds from the sorted labels to decide how many
/// rows of each class each fold tests; then each class's rows, in order, fill the folds in
/// blocks. With `shuffle_seed`, each class's fold assignments are shuffled (seeded). Fails when
/// every class has fewer rows than `k`.
pub fn stratified_k_fold(y: &[f64], k: usize, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    let n = y.len();
    check_folds(k, n)?;
    // Classes in order of first appearance.
    let mut first_seen: Vec<f64> = Vec::new();
    let encoded: Vec<usize> = y
        .iter()
        .map(|&v| match first_seen.iter().position(|&c| c == v) {
            Some(c) => c,
            None => {
                first_seen.push(v);
                first_seen.len() - 1
            }
        })
        .collect();
    let n_classes = first_seen.len();
    let mut counts = vec![0usize; n_classes];
    for &c in &encoded {
        counts[c] += 1;
    }
    if counts.iter().all(|&c| c < k) {
        return Err(Error::InvalidData(format!(
            "every class has fewer than {k} rows, so {k} stratified folds cannot each hold a row of a class; \
             use fewer folds"
        )));
    }
    let mut sorted = encoded.clone();
    sorted.sort_unstable();
    // allocation[f][c]: rows of class c tested in fold f.
    let mut allocation = vec![vec![0usize; n_classes]; k];
    for (position, &c) in sorted.iter().enumerate() {
        allocation[position % k][c] += 1;
    }
    let mut r = shuffle_seed.map(rng);
    let mut test_fold = vec![0usize; n];
    for c in 0..n_classes {
        let mut folds_for_class: Vec<usize> =
            allocation.iter().enumerate().flat_map(|(f, per_class)| std::iter::repeat_n(f, per_class[c])).collect();
        if let Some(r) = r.as_mut() {
            folds_for_class.shuffle(r);
        }
        let rows = (0..n).filter(|&i| encoded[i] == c);
        for (i, f) in rows.zip(folds_for_class) {
            test_fold[i] = f;
        }
    }
    Ok((0..k).map(|f| fold_from_test(n, (0..n).filter(|&i| test_fold[i] == f).collect())).collect())
}

/// The folds of `data`: stratified by class when asked (classification only), shuffled by
/// `shuffle_seed` unless it is `None`.
pub fn folds(data: &Dataset, k: usize, stratified: bool, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    if stratified {
        if !matches!(data.task, Task::Classification { .. }) {
            return Err(Error::InvalidParameter(
                "stratified folds keep class proportions, so they need a classification task".into(),
            ));
        }
        stratified_k_fold(data.y.as_slice(), k, shuffle_seed)
    } else {
        k_fold(data.len(), k, shuffle_seed)
    }
}

/// A seeded hold-out split putting `round(n · test_ratio)` rows in the test set (0.05 to 0.9);
/// when `stratified`, each class contributes `round(count · test_ratio)` of its rows.
pub fn hold_out(data: &Dataset, test_ratio: f64, stratified: bool, seed: u64) -> Result<Fold> {
    check_range("test share", test_ratio, 0.05, 0.9)?;
    let n = data.len();
    let mut r = rng(seed);
    let groups: Vec<Vec<usize>> = match (stratified, data.task) {
        (true, Task::Classification { n_classes }) => {
            let mut groups = vec![Vec::new(); n_classes];
            for (i, &c) in data.y.iter().enumerate() {
                if let Some(g) = groups.get_mut(c as usize) {
                    g.push(i);
                }
            }
            groups
        }
        (true, Task::Regression) => {
            return Err(Error::InvalidParameter(
                "a stratified split keeps class proportions, so it needs a classification task".into(),
            ))
        }
        (false, _) => vec![(0..n).collect()],
    };
    let mut test = Vec::new();
    for mut rows in groups {
        rows.shuffle(&mut r);
        let take = ((rows.len() as f64 * test_ratio).round() as usize).min(rows.len().saturating_sub(1));
        test.extend_from_slice(&rows[..take]);
    }
    Ok(fold_from_test(n, test))
}

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
/// a long run can show progress and be cancelled between folds.
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
    let (steps, train) = pipeline.fit(&data.select(&fold.train), seed.wrapping_add(f as u64))?;
    train.require_len(2)?;
    train.require_two_classes()?;
    let test = steps.transform(&data.select(&fold.test))?;
    if test.is_empty() {
        return Err(Error::InvalidData(format!(
            "fold {} has no test row left after dropping rows with missing values; impute instead",
            f + 1
        )));
    }
    let mut model = params.build(seed)?;
    model.fit(&train)?;
    Ok((metric.score(&model, &test)?, steps))
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
    metric.check(data.task)?;
    let folds = folds(data, k, stratified, Some(seed))?;
    let mut per_fold = Vec::with_capacity(k);
    let mut fitted = Vec::with_capacity(k);
    for (f, fold) in folds.iter().enumerate() {
        if !progress(f, k) {
            return Err(Error::InvalidInput("cross-validation was cancelled".into()));
        }
        let (score, steps) = score_fold(params, data, fold, f, pipeline, metric, seed)?;
        per_fold.push(score);
        fitted.push(steps);
    }
    if !progress(k, k) {
        return Err(Error::InvalidInput("cross-validation was cancelled".into()));
    }
    let mean = per_fold.iter().sum::<f64>() / k as f64;
    let std = (per_fold.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / k as f64).sqrt();
    Ok((CvResult { per_fold, mean, std }, folds, fitted))
}
