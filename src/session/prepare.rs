//! Preparing the data: the state's description becomes points (generated, or the learner's
//! imported table), features are left out, the rows are split into train and test, and the one
//! [`Pipeline`] (impute → outliers → rescale, fitted on the training rows; resampling of the
//! training rows) prepares them for the hold-out view. Cross-validation folds start from the raw
//! points kept here and run the same pipeline inside each fold.

use super::{Message, Session};
use crate::data::cleaning::{inject_missing, inject_outliers};
use crate::data::generate::{generate, DatasetKind};
use crate::data::resample::Resampling;
use crate::data::split::train_test_split;
use crate::data::transforms::Scaling;
use crate::data::{rng, Dataset, Task};
use crate::error::check_count;
use crate::error::Result;
use crate::evaluate::cross_validation::{score_fold, FoldRun};
use crate::evaluate::folds::folds;
use crate::evaluate::scoring::ScoreMetric;
use crate::pipeline::Pipeline;
use crate::render::scene::{ROLE_IMPUTED, ROLE_OUTLIER};
use crate::render::View;
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// A cross-validation the page runs fold by fold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CvSpec {
    pub k: usize,
    pub stratified: bool,
    pub metric: ScoreMetric,
}

impl Session {
    /// Fold `fold` (0-based) of a `k`-fold cross-validation of the current model settings on all
    /// the current points: the folds cut the raw points (before any preparation, edits included)
    /// and the whole preparation pipeline is fitted on each fold's training rows only, so no
    /// statistic of a test fold shapes what the model trains on. The page calls it fold by fold,
    /// so it can show progress and cancel.
    pub fn cv_fold(&self, spec: &CvSpec, fold: usize) -> Result<f64> {
        check_count("folds", spec.k, 2, 10)?;
        spec.metric.check_for(self.raw.task, self.state.model.is_clustering())?;
        let folds = folds(&self.raw, spec.k, spec.stratified, Some(self.state.seed as u64))?;
        let fold_rows =
            folds.get(fold).ok_or_else(|| err!(InvalidParameter, "no_fold", fold = fold + 1, k = spec.k))?;
        score_fold(&self.state.model, &self.raw, fold_rows, fold, &self.pipeline(), spec.metric, self.state.seed as u64)
            .map(|(s, _)| s)
    }

    /// Fold `fold` of a cross-validation as [`Session::cv_fold`] scores it, in parts: each call
    /// fits on about `max_rows` more rows and returns the score once the fold's fit has ended, so
    /// the worker can read a cancel in between (a network with many epochs can fit for minutes).
    /// The fold under way is kept until it ends, another fold is asked for, or
    /// [`Session::cv_forget`].
    pub fn cv_fold_part(&mut self, spec: &CvSpec, fold: usize, max_rows: usize) -> Result<Option<f64>> {
        let key = (*spec, fold);
        if self.cv_run.as_ref().is_none_or(|(k, _)| *k != key) {
            self.cv_run = None;
            check_count("folds", spec.k, 2, 10)?;
            spec.metric.check_for(self.raw.task, self.state.model.is_clustering())?;
            let folds = folds(&self.raw, spec.k, spec.stratified, Some(self.state.seed as u64))?;
            let fold_rows =
                folds.get(fold).ok_or_else(|| err!(InvalidParameter, "no_fold", fold = fold + 1, k = spec.k))?;
            let run = FoldRun::new(
                &self.state.model,
                &self.raw,
                fold_rows,
                fold,
                &self.pipeline(),
                spec.metric,
                self.state.seed as u64,
            )?;
            self.cv_run = Some((key, Box::new(run)));
        }
        let Some((_, run)) = self.cv_run.as_mut() else {
            return Ok(None);
        };
        let outcome = run.advance(max_rows);
        if !matches!(outcome, Ok(None)) {
            self.cv_run = None;
        }
        outcome
    }

    /// How far the fold under way has come (0 to 1), 0 when none is.
    pub fn cv_fold_progress(&self) -> f64 {
        self.cv_run.as_ref().map_or(0.0, |(_, run)| run.progress())
    }

    /// Drops the fold under way (a cancelled or restarted cross-validation).
    pub fn cv_forget(&mut self) {
        self.cv_run = None;
    }

    /// What scoring other settings by cross-validation as [`Session::cv_fold`] does needs: the raw
    /// points (edits included, dropped features left out), the preparation pipeline and the seed
    /// of the folds and models. The page's tuning workers score trials with these.
    pub fn tune_data(&self) -> (&Dataset, Pipeline, u64) {
        (&self.raw, self.pipeline(), self.state.seed as u64)
    }

    /// The preparation steps the state asks for.
    pub(super) fn pipeline(&self) -> Pipeline {
        let spec = &self.state.data;
        Pipeline {
            imputer: spec.impute,
            outliers: spec.outlier_rule,
            outlier_action: spec.outlier_action,
            scaling: spec.scaling,
            resampling: spec.resample,
        }
    }

    /// Generates the base data, replays the edits and splits.
    pub(super) fn rebuild_data(&mut self) -> Result<()> {
        let custom = match (&self.custom, self.state.data.kind) {
            (Some(c), DatasetKind::Custom) => Some(c),
            _ => None,
        };
        let spec = &self.state.data;
        let base = match custom {
            Some(c) => c.data.clone(),
            None => {
                // Practice data: outliers thrown in, then cells made missing, all seeded.
                let mut base = generate(spec)?;
                if spec.outliers > 0.0 && !base.is_empty() {
                    base = inject_target_or_feature_outliers(&base, spec.outliers, spec.seed as u64 ^ 0x07)?;
                }
                if spec.missing > 0.0 && !base.is_empty() {
                    base = inject_missing(&base, spec.missing, spec.seed as u64 ^ 0x315)?;
                }
                base
            }
        };
        // Features the learner left out go before any cleaning, so nothing is fitted on them.
        self.base_features = base.feature_names.clone();
        let base = base.without_features(&spec.drop_features)?;
        let (_, test_idx) =
            train_test_split(base.len(), self.state.test_ratio, &mut rng(self.state.data.seed as u64 ^ 0x5eed));
        let mut is_test = vec![false; base.len()];
        for i in test_idx {
            is_test[i] = true;
        }
        // Impute, outliers, rescale: each fitted on the training rows only; filled and flagged
        // rows are marked for the picture.
        let prepared = self.pipeline().prepare(&base, &is_test)?;
        self.marks = (0..prepared.data.len())
            .map(|k| {
                (if prepared.imputed[k] { ROLE_IMPUTED } else { 0 })
                    | if prepared.outlier[k] { ROLE_OUTLIER } else { 0 }
            })
            .collect();
        let is_test = prepared.is_test;
        self.removed = (!prepared.removed.is_empty()).then_some(prepared.removed);
        self.raw = base;
        self.raw_rows = prepared.rows;
        self.fitted = Some(prepared.fitted);
        let base = prepared.data;
        self.view = if custom.is_some() || self.state.data.scaling != Scaling::None {
            data_view(&base)
        } else {
            fixed_view(&base)
        };
        self.by_hand = vec![false; base.len()];
        self.is_test = is_test;
        self.data = base;
        let edits = std::mem::take(&mut self.state.edits);
        let mut result = Ok(());
        for (k, e) in edits.iter().enumerate() {
            if let Err(err) = self.apply_edit(e) {
                result = Err(err!(InvalidInput, "edit_not_applied", edit = k + 1, cause = err));
                break;
            }
        }
        self.state.edits = edits;
        self.split();
        result
    }

    pub(super) fn split(&mut self) {
        let (mut tr, mut te) = (Vec::new(), Vec::new());
        for (i, &t) in self.is_test.iter().enumerate() {
            if t {
                te.push(i)
            } else {
                tr.push(i)
            }
        }
        self.train = self.data.select(&tr);
        self.test = self.data.select(&te);
        self.synthetic = None;
        // Rebalancing touches the training rows only; SMOTE's new rows are kept to be drawn.
        if self.state.data.resample != Resampling::None
            && matches!(self.data.task, Task::Classification { .. })
            && !self.train.is_empty()
        {
            match self.pipeline().resample(&self.train, self.state.data.seed as u64 ^ 0x5a3d) {
                Ok(r) => {
                    let synthetic: Vec<usize> = (0..r.data.len()).filter(|&i| r.synthetic[i]).collect();
                    if !synthetic.is_empty() {
                        self.synthetic = Some(r.data.select(&synthetic));
                    }
                    self.train = r.data;
                }
                Err(e) => self.message = Some(Message::from(&e)),
            }
        }
    }

    /// The mean of each feature over the training points (the data's own, not SMOTE's; all
    /// points when none is a training point; zeros when there is none): where the features the
    /// canvas does not show are held when the model is drawn.
    pub fn training_means(&self) -> Vec<f64> {
        let d = self.data.n_features();
        let train: Vec<usize> =
            (0..self.data.len()).filter(|&i| !self.is_test.get(i).copied().unwrap_or(false)).collect();
        let rows: Vec<usize> = if train.is_empty() { (0..self.data.len()).collect() } else { train };
        if rows.is_empty() {
            return vec![0.0; d];
        }
        (0..d).map(|j| rows.iter().map(|&i| self.data.x[(i, j)]).sum::<f64>() / rows.len() as f64).collect()
    }

    /// The current points as CSV: the features, the target, and whether each point is a train or
    /// test point and placed by hand (`train`, `test`, `clicked`), then SMOTE's synthetic training
    /// rows, if any, marked `synthetic`. The mark column holds text, so re-importing the file
    /// offers only the feature and target columns as numbers.
    pub fn export_csv(&self) -> String {
        let class_names = self.class_names();
        let mut marks: Vec<&str> = (0..self.data.len())
            .map(|i| match (self.by_hand.get(i), self.is_test.get(i)) {
                (Some(true), _) => "clicked",
                (_, Some(true)) => "test",
                _ => "train",
            })
            .collect();
        let rows = match &self.synthetic {
            Some(extra) if !extra.is_empty() && extra.n_features() == self.data.n_features() => {
                let (n, d) = (self.data.len(), self.data.n_features());
                let x =
                    DMatrix::from_fn(
                        n + extra.len(),
                        d,
                        |i, j| if i < n { self.data.x[(i, j)] } else { extra.x[(i - n, j)] },
                    );
                let y = DVector::from_iterator(n + extra.len(), self.data.y.iter().chain(extra.y.iter()).copied());
                marks.extend(std::iter::repeat_n("synthetic", extra.len()));
                std::borrow::Cow::Owned(Dataset { x, y, ..self.data.clone() })
            }
            _ => std::borrow::Cow::Borrowed(&self.data),
        };
        crate::data::csv_import::to_csv_with_classes(&rows, &marks, &class_names)
    }
}

/// Outliers thrown into generated data: into the target for regression (the picture's y), into
/// the features for classification.
pub(super) fn inject_target_or_feature_outliers(data: &Dataset, share: f64, seed: u64) -> Result<Dataset> {
    if data.task != Task::Regression {
        return inject_outliers(data, share, 4.0, seed).map(|(d, _)| d);
    }
    // Inject into the target by treating it as a one-column feature table.
    let target = Dataset { x: DMatrix::from_column_slice(data.len(), 1, data.y.as_slice()), ..data.clone() };
    let (out, _) = inject_outliers(&target, share, 4.0, seed)?;
    Ok(Dataset { y: out.x.column(0).into_owned(), ..data.clone() })
}

/// The plane coordinates of a dataset's points: (x, y) for regression, (x1, x2) for 2-D data.
pub(super) fn plane(data: &Dataset) -> (Vec<f64>, Vec<f64>) {
    let xs: Vec<f64> = data.x.column(0).iter().copied().collect();
    let ys: Vec<f64> = match data.task {
        Task::Regression => data.y.iter().copied().collect(),
        Task::Classification { .. } if data.n_features() > 1 => data.x.column(1).iter().copied().collect(),
        Task::Classification { .. } => vec![0.0; xs.len()],
    };
    (xs, ys)
}

/// The view for imported data: its padded bounding box.
pub(super) fn data_view(data: &Dataset) -> View {
    let (xs, ys) = plane(data);
    View::around(&xs, &ys)
}

/// The view for a generated dataset: its bounding box (padded), never smaller than [-6, 6]², so
/// the picture does not jump while the learner edits points.
pub(super) fn fixed_view(base: &Dataset) -> View {
    let (xs, ys) = plane(base);
    let around = View::around(&xs, &ys);
    View { x: (around.x.0.min(-6.0), around.x.1.max(6.0)), y: (around.y.0.min(-6.0), around.y.1.max(6.0)) }
}
