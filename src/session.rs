//! The training loop the page drives: a [`State`] becomes a dataset (generated, then the learner's
//! edits replayed), a train/test split, a model, and a loss history; `step` trains, `scene` says what
//! to draw, `report` what to print. Divergence restores the last good model and says so.

use crate::data::cleaning::{inject_missing, inject_outliers};
use crate::data::generate::{generate, DatasetKind};
use crate::data::resample::Resampling;
use crate::data::split::train_test_split;
use crate::data::transforms::Scaling;
use crate::data::{rng, Dataset, Rng, Task};
use crate::error::check_count;
use crate::error::{Error, Result};
use crate::evaluate::cross_validation::score_fold;
use crate::evaluate::folds::folds;
use crate::evaluate::grid::{slice_inputs, slice_probabilities};
use crate::evaluate::importance::permutation_importance;
use crate::evaluate::scoring::ScoreMetric;
use crate::metrics::{ClassificationScores, RegressionScores};
use crate::model::tree::TreeParams;
use crate::model::weights::ClassWeight;
use crate::model::{AnyModel, Model, ModelParams, Summary};
use crate::pipeline::{FittedPipeline, Pipeline};
use crate::render::curves::{precision_recall_points, roc_points};
use crate::render::network::{activation_range, neuron_thumbnail, NetworkDiagram};
use crate::render::raster::{self, Raster};
use crate::render::scene::{ROLE_IMPUTED, ROLE_OUTLIER, ROLE_SYNTHETIC};
use crate::render::sigmoid::{z_range_for, SigmoidScene};
use crate::render::surface::grid_axes;
use crate::render::tree_diagram::TreeDiagram;
use crate::render::{LossHistory, Scene, View};
use crate::state::{Edit, State, MAX_EDITS};
use crate::tagged::required;
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Deserializer, Serialize};

/// Most loss-history points kept; older ones are thinned (every other dropped) past this.
const MAX_HISTORY: usize = 2000;

/// A message for the learner, with the error kind it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub kind: String,
    pub text: String,
}

impl From<&Error> for Message {
    fn from(e: &Error) -> Self {
        Message { kind: e.kind().into(), text: e.to_string() }
    }
}

/// The scores of one subset, by task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Scores {
    Regression(RegressionScores),
    Classification(ClassificationScores),
}

/// A live change to a neural network's architecture that keeps its predictions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Growth {
    /// Split a neuron of hidden layer `layer` (1 = the first hidden layer).
    Neuron { layer: usize },
    /// Insert a hidden layer after layer `after` (0 = the input).
    Layer { after: usize },
}

/// The JSON of a [`Growth`] read as one flat object (see [`crate::tagged`]).
#[derive(Deserialize)]
struct GrowthFields {
    op: GrowthOp,
    layer: Option<usize>,
    after: Option<usize>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum GrowthOp {
    Neuron,
    Layer,
}

impl<'de> Deserialize<'de> for Growth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let f = GrowthFields::deserialize(deserializer)?;
        Ok(match f.op {
            GrowthOp::Neuron => Growth::Neuron { layer: required(f.layer, "layer")? },
            GrowthOp::Layer => Growth::Layer { after: required(f.after, "after")? },
        })
    }
}

/// The model-specific pictures beside the main one; each is present when it applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Views {
    /// Binary logistic regression: every point at its score z on the sigmoid.
    pub sigmoid: Option<SigmoidScene>,
    /// Binary classification: the ROC curve of the test set (the train set when there is none).
    pub roc: Option<Roc>,
    /// Binary classification: the precision-recall curve of the same subset as the ROC curve.
    pub precision_recall: Option<PrecisionRecall>,
    /// Trees: feature importances (impurity decrease).
    pub importances: Option<Bars>,
    /// Every model: permutation importance of each feature on the test set (the train set when
    /// there is none): how much the score drops when that feature's values are shuffled.
    pub permutation: Option<Bars>,
    /// Trees: the pruning path.
    pub pruning: Option<PruningPath>,
    /// Trees: the diagram, each point's leaf, and each node's region of the plane.
    pub tree: Option<TreeView>,
    /// Neural networks: the diagram.
    pub network: Option<NetworkDiagram>,
    /// Gradient models: the learning rate per epoch and the current epoch.
    pub schedule: Option<ScheduleView>,
}

/// A tree as the page draws and links it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeView {
    pub diagram: TreeDiagram,
    /// The leaf each point falls into (as `scene.xs`); the page walks `parent` links for the path.
    pub leaves: Vec<usize>,
    /// Per node, its rectangle `[(x_min, x_max), (y_min, y_max)]` clipped to the view; empty for
    /// trees on other than two features.
    pub regions: Vec<Vec<(f64, f64)>>,
}

/// A learning-rate schedule drawn over the steps so far and ahead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub rates: Vec<f64>,
    pub current: usize,
}

/// A ROC curve's points and its area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roc {
    pub points: Vec<(f64, f64)>,
    pub auc: Option<f64>,
    pub subset: String,
}

/// A precision-recall curve's step corners, its average precision, and the share of positives
/// (the precision of guessing, drawn as the chance level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrecisionRecall {
    pub points: Vec<(f64, f64)>,
    pub average_precision: Option<f64>,
    pub positive_share: f64,
    pub subset: String,
}

/// Labelled values for a bar chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bars {
    pub labels: Vec<String>,
    pub values: Vec<f64>,
    pub title: String,
}

/// A tree's cost-complexity pruning path: at each effective α, the scores (accuracy or R²) of
/// the tree pruned there, on the train and test sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PruningPath {
    pub alphas: Vec<f64>,
    pub train: Vec<f64>,
    pub test: Vec<f64>,
    pub chosen: f64,
}

/// Most neuron thumbnails a snapshot carries.
pub const MAX_THUMBNAILS: usize = 64;

/// Most α values a pruning path reports (long paths are thinned evenly).
const MAX_PRUNING_POINTS: usize = 60;

/// Most pixels of a decision surface (larger requests are refused; the page scales down first).
pub const MAX_SURFACE_PIXELS: u64 = 4_000_000;

/// What the page prints after each step or change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub epoch: u64,
    pub trained: bool,
    /// True while `step` would train further (false after divergence until something changes).
    pub can_train: bool,
    pub fits_instantly: bool,
    pub summary: Summary,
    pub train: Scores,
    pub test: Scores,
    /// What the loss history measures ("mean squared error", "log-loss").
    pub loss_name: String,
    pub n_points: usize,
    pub message: Option<Message>,
    /// Every feature of the generated or imported data (before any is left out), in column
    /// order, and whether it is kept (`state.data.drop_features` lists the others by index).
    pub features: Vec<FeatureInfo>,
    /// The classes' names in class order (imported text labels, or `class 0`, …); empty for
    /// regression.
    pub class_names: Vec<String>,
}

/// One feature of the base data, for the page's include / leave-out toggles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    pub name: String,
    pub kept: bool,
}

/// The page's training session.
#[derive(Debug)]
pub struct Session {
    state: State,
    data: Dataset,
    by_hand: Vec<bool>,
    is_test: Vec<bool>,
    train: Dataset,
    test: Dataset,
    view: View,
    model: AnyModel,
    rng: Rng,
    epoch: u64,
    history: LossHistory,
    message: Option<Message>,
    halted: bool,
    /// The learner's imported data, used while `state.data.kind` is `custom`.
    custom: Option<CustomData>,
    /// Training rows SMOTE made (drawn distinctly; not part of `data`).
    synthetic: Option<Dataset>,
    /// Per point: `ROLE_IMPUTED` / `ROLE_OUTLIER` bits for the scene.
    marks: Vec<u8>,
    /// The names of the base data's features before `state.data.drop_features` is applied.
    base_features: Vec<String>,
    /// The points before any preparation step (features left out, missing cells still NaN, no
    /// outlier handled, not rescaled), with the learner's edits in these units: what a
    /// cross-validation prepares afresh in every fold.
    raw: Dataset,
    /// For each point of `data`, its row in `raw`.
    raw_rows: Vec<usize>,
    /// The preparation fitted on the hold-out training rows (its scaler places edits in `raw`).
    fitted: Option<FittedPipeline>,
}

/// A cross-validation the page runs fold by fold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CvSpec {
    pub k: usize,
    pub stratified: bool,
    pub metric: ScoreMetric,
}

/// Imported data with the names the page shows.
#[derive(Debug, Clone)]
pub struct CustomData {
    /// Features and targets; missing feature values are NaN until the session imputes them.
    pub data: Dataset,
    pub target_name: String,
    pub class_names: Vec<String>,
}

impl Session {
    /// Builds the dataset and model `state` describes; fails with a clear message on a bad state.
    pub fn new(state: State) -> Result<Session> {
        state.check()?;
        let model = state.model.build(state.seed as u64)?;
        let empty = Dataset::new(DMatrix::zeros(0, 1), DVector::zeros(0), Task::Regression)?;
        let mut s = Session {
            rng: rng(state.seed as u64),
            state,
            data: empty.clone(),
            by_hand: Vec::new(),
            is_test: Vec::new(),
            train: empty.clone(),
            test: empty.clone(),
            view: View::default(),
            model,
            epoch: 0,
            history: LossHistory::default(),
            message: None,
            halted: false,
            custom: None,
            synthetic: None,
            marks: Vec::new(),
            base_features: Vec::new(),
            raw: empty.clone(),
            raw_rows: Vec::new(),
            fitted: None,
        };
        s.rebuild_data()?;
        s.after_data_change();
        Ok(s)
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn model(&self) -> &AnyModel {
        &self.model
    }

    pub fn data(&self) -> &Dataset {
        &self.data
    }

    pub fn train_set(&self) -> &Dataset {
        &self.train
    }

    pub fn test_set(&self) -> &Dataset {
        &self.test
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn history(&self) -> &LossHistory {
        &self.history
    }

    /// Adopts a new state: regenerates the data if its description changed, rebuilds the model if
    /// its hyper-parameters or seed changed, and keeps training otherwise. A bad state is refused
    /// whole and the session is left as it was.
    pub fn set_state(&mut self, state: State) -> Result<()> {
        state.check()?;
        let data_changed = state.data != self.state.data
            || state.test_ratio != self.state.test_ratio
            || state.edits != self.state.edits;
        let model_changed = state.model != self.state.model || state.seed != self.state.seed;
        // Moving a tree's pruning α re-prunes a fully grown tree at once, so the learner sees the
        // tree shrink and grow as α moves.
        let prune_only = match (&self.state.model, &state.model) {
            (ModelParams::Tree(a), ModelParams::Tree(b)) => {
                a.ccp_alpha != b.ccp_alpha && TreeParams { ccp_alpha: b.ccp_alpha, ..a.clone() } == *b
            }
            _ => false,
        } && state.seed == self.state.seed;
        // A model trained on other data (another dataset, sample, task or feature set) would be
        // drawn over points it never saw, and a complete tree would refuse to grow: every change
        // of data starts the model afresh (instant fits refit below).
        let model = if model_changed || data_changed { Some(state.model.build(state.seed as u64)?) } else { None };
        let old = std::mem::replace(&mut self.state, state);
        if data_changed {
            if let Err(e) = self.rebuild_data() {
                self.state = old;
                self.rebuild_data()?;
                return Err(e);
            }
        }
        if let Some(m) = model {
            self.model = m;
            self.reset_training();
            if prune_only && !data_changed {
                self.fit_now();
            }
        }
        if data_changed || model_changed {
            self.message = None;
            self.halted = false;
            self.after_data_change();
        }
        Ok(())
    }

    /// Makes imported data the session's data (`state.data.kind` becomes `custom`; the learner's
    /// edits start afresh). A model that cannot learn the data's task is swapped for the task's
    /// default one. Nothing changes when the data cannot be used.
    pub fn import(&mut self, custom: CustomData) -> Result<()> {
        custom.data.require_len(1)?;
        let mut state = self.state.clone();
        state.data.kind = DatasetKind::Custom;
        state.edits.clear();
        // The new table has its own columns: every one starts included.
        state.data.drop_features.clear();
        let classification = matches!(custom.data.task, Task::Classification { .. });
        state.model = match (&state.model, classification) {
            (ModelParams::Linear(_), true) => ModelParams::Logistic(Default::default()),
            (ModelParams::Logistic(_), false) => ModelParams::Linear(Default::default()),
            (m, _) => m.clone(),
        };
        let previous = self.custom.replace(custom);
        let old_state = self.state.clone();
        // Force a rebuild even when the state was already `custom`.
        self.state.data.kind = DatasetKind::Linear;
        if let Err(e) = self.set_state(state) {
            self.custom = previous;
            self.state = old_state;
            self.rebuild_data()?;
            return Err(e);
        }
        self.model = self.state.model.build(self.state.seed as u64)?;
        self.reset_training();
        self.after_data_change();
        Ok(())
    }

    /// Fold `fold` (0-based) of a `k`-fold cross-validation of the current model settings on all
    /// the current points: the folds cut the raw points (before any preparation, edits included)
    /// and the whole preparation pipeline is fitted on each fold's training rows only, so no
    /// statistic of a test fold shapes what the model trains on. The page calls it fold by fold,
    /// so it can show progress and cancel.
    pub fn cv_fold(&self, spec: &CvSpec, fold: usize) -> Result<f64> {
        check_count("folds", spec.k, 2, 10)?;
        spec.metric.check(self.raw.task)?;
        let folds = folds(&self.raw, spec.k, spec.stratified, Some(self.state.seed as u64))?;
        let fold_rows = folds
            .get(fold)
            .ok_or_else(|| Error::InvalidParameter(format!("there is no fold {} of {}", fold + 1, spec.k)))?;
        score_fold(&self.state.model, &self.raw, fold_rows, fold, &self.pipeline(), spec.metric, self.state.seed as u64)
            .map(|(s, _)| s)
    }

    /// The preparation steps the state asks for.
    fn pipeline(&self) -> Pipeline {
        let spec = &self.state.data;
        Pipeline {
            imputer: spec.impute,
            outliers: spec.outlier_rule,
            outlier_action: spec.outlier_action,
            scaling: spec.scaling,
            resampling: spec.resample,
        }
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

    /// True while the data is the learner's imported table.
    fn is_custom(&self) -> bool {
        self.custom.is_some() && self.state.data.kind == DatasetKind::Custom
    }

    /// A feature's name as the page shows it: the imported column's name, or x (regression) and
    /// x₁, x₂ (classification) for generated data.
    fn display_name(&self, name: &str) -> String {
        match (self.is_custom(), self.data.task) {
            (true, _) => name.to_string(),
            (false, Task::Regression) if name == "x1" => "x".into(),
            (false, _) => match name {
                "x1" => "x₁".into(),
                "x2" => "x₂".into(),
                other => other.to_string(),
            },
        }
    }

    /// The classes' names: an imported file's own (its text labels), or `class 0`, `class 1`, …;
    /// empty for regression.
    pub fn class_names(&self) -> Vec<String> {
        let Task::Classification { n_classes } = self.data.task else { return Vec::new() };
        let imported = match (&self.custom, self.state.data.kind) {
            (Some(c), DatasetKind::Custom) if c.class_names.len() == n_classes => Some(&c.class_names),
            _ => None,
        };
        (0..n_classes)
            .map(|c| imported.and_then(|names| names.get(c).cloned()).unwrap_or_else(|| format!("class {c}")))
            .collect()
    }

    /// Axis names: the drawn features' names (the first two kept ones; the first and the target
    /// for regression), or x / y and x₁ / x₂ for generated data. Empty for a missing second feature.
    fn axis_names(&self) -> (String, String) {
        let name = |j: usize| self.data.feature_names.get(j).map(|n| self.display_name(n)).unwrap_or_default();
        match (&self.custom, self.data.task) {
            (Some(c), Task::Regression) if self.is_custom() => (name(0), c.target_name.clone()),
            (_, Task::Regression) => (name(0), "y".into()),
            _ => (name(0), name(1)),
        }
    }

    /// Every feature of the generated or imported data (before any is left out), with whether it
    /// is kept: the page draws one include / leave-out toggle per feature.
    pub fn features(&self) -> Vec<FeatureInfo> {
        self.base_features
            .iter()
            .enumerate()
            .map(|(j, name)| FeatureInfo {
                name: self.display_name(name),
                kept: !self.state.data.drop_features.contains(&j),
            })
            .collect()
    }

    /// The names of the base data's features, before any is left out (the data's own names:
    /// x1, x2 for generated data).
    pub fn base_feature_names(&self) -> &[String] {
        &self.base_features
    }

    /// Forgets the training: a fresh model from the same hyper-parameters and seed.
    pub fn reset(&mut self) -> Result<()> {
        self.model = self.state.model.build(self.state.seed as u64)?;
        self.reset_training();
        self.message = None;
        self.halted = false;
        self.after_data_change();
        Ok(())
    }

    fn reset_training(&mut self) {
        self.rng = rng(self.state.seed as u64);
        self.epoch = 0;
        self.history = LossHistory::default();
    }

    /// Generates the base data, replays the edits and splits.
    fn rebuild_data(&mut self) -> Result<()> {
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
                result =
                    Err(Error::InvalidInput(format!("edit {} of the saved state cannot be applied: {err}", k + 1)));
                break;
            }
        }
        self.state.edits = edits;
        self.split();
        result
    }

    fn split(&mut self) {
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

    /// Feature `j`'s value `v` as drawn (rescaled, when a scaler is on) in the raw points' units.
    fn unscaled(&self, j: usize, v: f64) -> f64 {
        self.fitted.as_ref().map_or(v, |f| f.scaler.invert(j, v))
    }

    /// Applies one edit to the data (not to `state.edits`).
    fn apply_edit(&mut self, edit: &Edit) -> Result<()> {
        edit.check()?;
        let n = self.data.len();
        let d = self.data.n_features();
        let classification = matches!(self.data.task, Task::Classification { .. });
        match *edit {
            Edit::Add { .. } if classification && d != 2 => {
                return Err(Error::InvalidData(format!(
                    "points can be placed by hand only on data with two features (the two drawn); this data has {d}: \
                     include or leave out features until two remain"
                )));
            }
            Edit::Add { .. } if !classification && d != 1 => {
                return Err(Error::InvalidData(format!(
                    "points can be placed by hand only on regression data with one feature (the one drawn); this data \
                     has {d}: leave out features until one remains"
                )));
            }
            _ => {}
        }
        match *edit {
            Edit::Add { x, y, label } => {
                let (row, target) = if classification {
                    let n_classes = match self.data.task {
                        Task::Classification { n_classes } => n_classes,
                        Task::Regression => 1,
                    };
                    let c = label.unwrap_or(0);
                    if c >= n_classes {
                        return Err(Error::InvalidData(format!(
                            "class {c} does not exist (classes run from 0 to {})",
                            n_classes - 1
                        )));
                    }
                    (vec![x, y], c as f64)
                } else {
                    (vec![x], y)
                };
                if row.len() != self.data.n_features() {
                    return Err(Error::InvalidData("this dataset's points have another number of features".into()));
                }
                let mut xm = self.data.x.clone().insert_row(n, 0.0);
                for (j, v) in row.iter().enumerate() {
                    xm[(n, j)] = *v;
                }
                let y = self.data.y.clone().push(target);
                self.data = Dataset { x: xm, y, ..self.data.clone() };
                let raw_row: Vec<f64> = row.iter().enumerate().map(|(j, &v)| self.unscaled(j, v)).collect();
                let r = self.raw.len();
                let mut raw_x = self.raw.x.clone().insert_row(r, 0.0);
                for (j, v) in raw_row.iter().enumerate() {
                    raw_x[(r, j)] = *v;
                }
                self.raw = Dataset { x: raw_x, y: self.raw.y.clone().push(target), ..self.raw.clone() };
                self.raw_rows.push(r);
                self.by_hand.push(true);
                self.marks.push(0);
                self.is_test.push(false);
            }
            Edit::Remove { i } => {
                if i >= n {
                    return Err(Error::InvalidData(format!("there is no point {i} to remove ({n} points)")));
                }
                let x = self.data.x.clone().remove_row(i);
                let y = self.data.y.clone().remove_row(i);
                self.data = Dataset { x, y, ..self.data.clone() };
                let r = self.raw_rows.remove(i);
                let (x, y) = (self.raw.x.clone().remove_row(r), self.raw.y.clone().remove_row(r));
                self.raw = Dataset { x, y, ..self.raw.clone() };
                for k in self.raw_rows.iter_mut().filter(|k| **k > r) {
                    *k -= 1;
                }
                self.by_hand.remove(i);
                if i < self.marks.len() {
                    self.marks.remove(i);
                }
                self.is_test.remove(i);
            }
            Edit::Move { i, x, y } => {
                if i >= n {
                    return Err(Error::InvalidData(format!("there is no point {i} to move ({n} points)")));
                }
                let r = self.raw_rows[i];
                self.data.x[(i, 0)] = x;
                self.raw.x[(r, 0)] = self.unscaled(0, x);
                if classification {
                    // The drawn features move; with one feature the height means nothing.
                    if d > 1 {
                        self.data.x[(i, 1)] = y;
                        self.raw.x[(r, 1)] = self.unscaled(1, y);
                    }
                } else {
                    self.data.y[i] = y;
                    self.raw.y[r] = y;
                }
            }
        }
        Ok(())
    }

    /// Applies an edit the learner made, records it in the state (consecutive moves of one point
    /// are merged, so a drag is one edit), and lets the model follow.
    pub fn edit(&mut self, edit: Edit) -> Result<()> {
        if self.state.edits.len() >= MAX_EDITS {
            return Err(Error::InvalidInput(format!(
                "at most {MAX_EDITS} edits are kept; reset the data to edit further"
            )));
        }
        self.apply_edit(&edit)?;
        match (self.state.edits.last_mut(), &edit) {
            (Some(Edit::Move { i: last, x: lx, y: ly }), Edit::Move { i, x, y }) if last == i => {
                *lx = *x;
                *ly = *y;
            }
            _ => self.state.edits.push(edit),
        }
        self.split();
        self.message = None;
        self.halted = false;
        // A model that had finished (a tree grown to the end) cannot take in the change step by
        // step: it is refitted at once, so what is drawn was fitted on the points shown.
        if self.model.is_complete() && !self.state.model.fits_instantly() {
            self.fit_now();
        }
        self.after_data_change();
        Ok(())
    }

    /// The plane coordinates of every point as drawn: (x, y) for regression, (x1, x2) for 2-D data.
    fn point_coords(&self) -> (Vec<f64>, Vec<f64>) {
        plane(&self.data)
    }

    /// Models that solve instantly follow every change at once.
    fn after_data_change(&mut self) {
        if self.state.model.fits_instantly() {
            self.fit_now();
        }
    }

    /// Trains to the end in one call (closed form or solver); the old model stays on failure.
    pub fn fit_now(&mut self) {
        let mut candidate = self.model.clone();
        match candidate.fit(&self.train) {
            Ok(()) if candidate.is_finite() => {
                self.model = candidate;
                self.message = None;
                self.epoch += 1;
                self.record_history();
            }
            Ok(()) => {
                self.message = Some(Message::from(&Error::Diverged(
                    "the solver produced non-finite values; the last good model was kept".into(),
                )))
            }
            Err(e) => self.message = Some(Message::from(&e)),
        }
    }

    /// Runs up to `epochs` training epochs (or one instant fit). On divergence the last good model
    /// is restored, a message is set, and training halts until something changes.
    pub fn step(&mut self, epochs: u32) {
        if self.state.model.fits_instantly() {
            self.fit_now();
            return;
        }
        if self.halted {
            return;
        }
        for _ in 0..epochs.max(1) {
            if self.model.is_complete() {
                self.halted = true;
                break;
            }
            if let Err(e) = self.model.guarded_step(&self.train, &mut self.rng) {
                let e = match e {
                    Error::Diverged(m) => Error::Diverged(format!(
                        "{m}; training stopped at epoch {} and the last good model was kept",
                        self.epoch
                    )),
                    other => other,
                };
                self.message = Some(Message::from(&e));
                self.halted = true;
                return;
            }
            self.epoch += 1;
            self.record_history();
        }
        self.sync_state_model();
        if !self.halted {
            self.message = None;
        }
    }

    /// The scene's role bits of point `i`: test, placed by hand, imputed, flagged outlier.
    fn role(&self, i: usize) -> u8 {
        u8::from(self.is_test[i]) | (u8::from(self.by_hand[i]) << 1) | self.marks.get(i).copied().unwrap_or(0)
    }

    /// Keeps `state.model` naming the architecture a network grew into while training.
    fn sync_state_model(&mut self) {
        if let AnyModel::Mlp(m) = &self.model {
            if !matches!(&self.state.model, ModelParams::Mlp(p) if p == m.params()) {
                self.state.model = ModelParams::Mlp(m.params().clone());
            }
        }
    }

    /// Grows a neural network without changing its predictions (Net2Net); the state then names
    /// the new architecture. Training goes on from the grown network.
    pub fn grow(&mut self, growth: Growth) -> Result<()> {
        let AnyModel::Mlp(m) = &mut self.model else {
            return Err(Error::InvalidParameter("only a neural network can grow neurons or layers".into()));
        };
        if !m.is_trained() {
            m.initialize(&self.train)?;
        }
        let mut grown = m.clone();
        match growth {
            Growth::Neuron { layer } => grown.add_neuron(layer, &mut self.rng)?,
            Growth::Layer { after } => grown.add_layer(after)?,
        }
        *m = grown;
        self.sync_state_model();
        self.halted = false;
        self.message = None;
        Ok(())
    }

    fn record_history(&mut self) {
        let train = self.loss(&self.train);
        let test = if self.test.is_empty() { f64::NAN } else { self.loss(&self.test) };
        let h = &mut self.history;
        h.epochs.push(self.epoch);
        h.train.push(train);
        h.test.push(test);
        if h.epochs.len() > MAX_HISTORY {
            for v in [&mut h.train, &mut h.test] {
                let kept: Vec<f64> = v.iter().step_by(2).copied().collect();
                *v = kept;
            }
            h.epochs = h.epochs.iter().step_by(2).copied().collect();
        }
    }

    /// The loss the history records: MSE for regression, log-loss for classification.
    fn loss(&self, data: &Dataset) -> f64 {
        match self.model.predict(&data.x) {
            Ok(p) if data.task == Task::Regression => crate::metrics::mse(data.y.as_slice(), p.as_slice()),
            Ok(p) if p.ncols() >= 2 => crate::metrics::log_loss(data.y.as_slice(), &p),
            _ => f64::NAN,
        }
    }

    fn score(&self, data: &Dataset) -> Scores {
        let prediction = if data.is_empty() { None } else { self.model.predict(&data.x).ok() };
        match (data.task, prediction) {
            (Task::Regression, Some(p)) => {
                Scores::Regression(RegressionScores::compute(data.y.as_slice(), p.as_slice()))
            }
            (Task::Regression, None) => Scores::Regression(RegressionScores { n: data.len(), ..Default::default() }),
            (Task::Classification { n_classes }, Some(p)) if p.ncols() == n_classes => {
                Scores::Classification(ClassificationScores::compute(data.y.as_slice(), &p))
            }
            (Task::Classification { n_classes }, _) => {
                Scores::Classification(ClassificationScores { n: data.len(), n_classes, ..Default::default() })
            }
        }
    }

    /// The model-specific pictures (sigmoid view, ROC curve, importances, pruning path).
    pub fn views(&self) -> Views {
        let mut views = Views { pruning: self.pruning_path(), ..Views::default() };
        if !self.model.is_trained() {
            return views;
        }
        if let (AnyModel::Logistic(m), Task::Classification { n_classes: 2 }) = (&self.model, self.data.task) {
            if let Ok(z) = m.logits(&self.data.x) {
                let z: Vec<f64> = z.column(0).iter().copied().collect();
                views.sigmoid = Some(SigmoidScene {
                    z_range: z_range_for(&z),
                    z,
                    classes: self.data.y.iter().map(|&c| c as u8).collect(),
                    roles: (0..self.data.len()).map(|i| self.role(i)).collect(),
                    highlight: None,
                });
            }
        }
        let (subset, name) = if self.test.is_empty() { (&self.train, "train") } else { (&self.test, "test") };
        if let Scores::Classification(scores) = self.score(subset) {
            if let Some(curve) = &scores.roc {
                views.roc = Some(Roc { points: roc_points(curve), auc: scores.roc_auc, subset: name.into() });
            }
            if let Some(curve) = &scores.precision_recall {
                let positives = subset.y.iter().filter(|&&c| c == 1.0).count();
                views.precision_recall = Some(PrecisionRecall {
                    points: precision_recall_points(curve),
                    average_precision: scores.average_precision,
                    positive_share: positives as f64 / subset.len().max(1) as f64,
                    subset: name.into(),
                });
            }
        }
        let class_names = self.class_names();
        if let AnyModel::Tree(tree) = &self.model {
            let regions = if self.data.n_features() == 2 {
                tree.regions(&[self.view.x, self.view.y]).unwrap_or_default()
            } else {
                Vec::new()
            };
            views.tree = Some(TreeView {
                diagram: TreeDiagram::new(tree, &self.data.feature_names, &class_names),
                leaves: tree.apply(&self.data.x).unwrap_or_default(),
                regions,
            });
        }
        if let AnyModel::Mlp(m) = &self.model {
            views.network = Some(NetworkDiagram::new(m, &self.data.feature_names, &class_names));
        }
        if let Some(train) = self.state.model.train_params() {
            if !self.state.model.fits_instantly() {
                let batches = match train.batch_size {
                    0 => 1,
                    b => self.train.len().div_ceil(b).max(1),
                };
                // One sample per epoch (the rate at its first update), so the chart's steps
                // match the epoch counter.
                let current = self.epoch as usize;
                let horizon = (current * 3 / 2).clamp(200, 100_000);
                let every = horizon.div_ceil(2000).max(1);
                let rates = (0..=horizon)
                    .step_by(every)
                    .map(|e| train.schedule.rate(train.learning_rate, (e * batches) as u64))
                    .collect();
                views.schedule = Some(ScheduleView { rates, current: current / every });
            }
        }
        let metric = if self.data.task == Task::Regression { ScoreMetric::R2 } else { ScoreMetric::Accuracy };
        if subset.len() >= 2 && subset.len() <= 5000 {
            if let Ok(importances) = permutation_importance(&self.model, subset, metric, 5, self.state.seed as u64) {
                views.permutation = Some(Bars {
                    labels: importances.iter().map(|i| i.feature.clone()).collect(),
                    values: importances.iter().map(|i| i.mean.max(0.0)).collect(),
                    title: format!("drop in {} when shuffled", metric.name()),
                });
            }
        }
        if let AnyModel::Tree(tree) = &self.model {
            views.importances = Some(Bars {
                labels: self.data.feature_names.iter().map(|n| n.replace("x1", "x₁").replace("x2", "x₂")).collect(),
                values: tree.feature_importances(),
                title: "importance (impurity decrease)".into(),
            });
        }
        views
    }

    /// Each hidden neuron's output over the view as a `size × size` RGBA thumbnail, concatenated in
    /// layer order (at most `MAX_THUMBNAILS`); empty unless the model is a network on two features.
    pub fn neuron_thumbnails(&self, size: u32) -> Vec<u8> {
        let AnyModel::Mlp(m) = &self.model else { return Vec::new() };
        let size = size.clamp(4, 128);
        if self.data.n_features() != 2 || !m.is_trained() {
            return Vec::new();
        }
        let (xs, ys) = grid_axes(&self.view, size as usize, size as usize);
        let outputs = m.grid_neuron_outputs(&xs, &ys);
        let activations = m.hidden_activations();
        let mut out = Vec::new();
        let mut count = 0;
        for (layer, h) in outputs.iter().enumerate().take(activations.len()) {
            for neuron in 0..h.ncols() {
                if count == MAX_THUMBNAILS {
                    return out;
                }
                let values: Vec<f64> = h.column(neuron).iter().copied().collect();
                let range = activation_range(activations[layer], &values);
                out.extend_from_slice(&neuron_thumbnail(&values, size, size, range).rgba);
                count += 1;
            }
        }
        out
    }

    /// The pruning path of a tree once it has been fully grown (closed form or all steps done).
    fn pruning_path(&self) -> Option<PruningPath> {
        let (AnyModel::Tree(tree), ModelParams::Tree(params)) = (&self.model, &self.state.model) else {
            return None;
        };
        if !tree.is_trained() || !(tree.is_complete() || self.epoch > 0 && params.ccp_alpha > 0.0) {
            return None;
        }
        let (alphas, _) = tree.pruning_path();
        let step = alphas.len().div_ceil(MAX_PRUNING_POINTS).max(1);
        let mut path =
            PruningPath { alphas: Vec::new(), train: Vec::new(), test: Vec::new(), chosen: params.ccp_alpha };
        let score = |m: &crate::model::tree::DecisionTree, d: &Dataset| -> f64 {
            if d.is_empty() {
                return f64::NAN;
            }
            match m.predict(&d.x) {
                Ok(p) if d.task == Task::Regression => {
                    crate::metrics::r2(d.y.as_slice(), p.as_slice()).unwrap_or(f64::NAN)
                }
                Ok(p) => crate::metrics::accuracy(d.y.as_slice(), &crate::metrics::predicted_classes(&p)),
                Err(_) => f64::NAN,
            }
        };
        for (k, &alpha) in alphas.iter().enumerate() {
            if k % step != 0 && k + 1 != alphas.len() {
                continue;
            }
            let Ok(pruned) = tree.pruned(alpha.max(0.0)) else { continue };
            path.alphas.push(alpha.max(0.0));
            path.train.push(score(&pruned, &self.train));
            path.test.push(score(&pruned, &self.test));
        }
        Some(path)
    }

    fn train_rmse(&self) -> Option<f64> {
        match self.score(&self.train) {
            Scores::Regression(r) if r.n > 0 && r.rmse.is_finite() => Some(r.rmse),
            _ => None,
        }
    }

    pub fn report(&self) -> Report {
        // The curves go to the page through `views` (once, for one subset): the report carries
        // the numbers only, so a 100k-point dataset does not ship its thresholds every frame.
        let without_curves = |scores: Scores| match scores {
            Scores::Classification(c) => {
                Scores::Classification(ClassificationScores { roc: None, precision_recall: None, ..c })
            }
            other => other,
        };
        Report {
            epoch: self.epoch,
            trained: self.model.is_trained(),
            can_train: !self.halted,
            fits_instantly: self.state.model.fits_instantly(),
            summary: if self.model.is_trained() { self.model.summary() } else { Summary::default() },
            train: without_curves(self.score(&self.train)),
            test: without_curves(self.score(&self.test)),
            loss_name: match self.data.task {
                Task::Regression => "mean squared error".into(),
                Task::Classification { .. } => "log-loss".into(),
            },
            n_points: self.data.len(),
            message: self.message.clone().or_else(|| self.advice()),
            features: self.features(),
            class_names: self.class_names(),
        }
    }

    /// A hint about settings that work against each other, shown when nothing else is said.
    fn advice(&self) -> Option<Message> {
        let rebalanced =
            self.state.data.resample != Resampling::None && matches!(self.data.task, Task::Classification { .. });
        match self.state.model.class_weight() {
            Some(ClassWeight::Balanced) if rebalanced => Some(Message {
                kind: "advice".into(),
                text: "the training points are already rebalanced, so balanced class weights come out near 1 and change little: use one or the other".into(),
            }),
            _ => None,
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

    /// What the scene says about features the canvas does not show (see [`Scene::slice_note`]).
    fn slice_note(&self, held: &[f64]) -> Option<String> {
        let drawn = match self.data.task {
            Task::Regression => 1,
            Task::Classification { .. } => 2,
        };
        let d = self.data.n_features();
        if d < drawn {
            let name = self.data.feature_names.first().map(|n| self.display_name(n)).unwrap_or_default();
            return Some(format!("only one feature ({name}) is kept: the points' height means nothing"));
        }
        let hidden: Vec<String> = self.data.feature_names.iter().skip(drawn).map(|n| self.display_name(n)).collect();
        match hidden.len() {
            0 => None,
            1 => Some(format!(
                "the model is drawn with {} held at its training mean ({:.3})",
                hidden[0],
                held.get(drawn).copied().unwrap_or(0.0)
            )),
            k if k <= 3 => Some(format!(
                "the model is drawn with the other {k} features ({}) held at their training means",
                hidden.join(", ")
            )),
            k => Some(format!("the model is drawn with the other {k} features held at their training means")),
        }
    }

    /// What to draw: the points, and for regression the model's curve sampled at `samples` points
    /// across the view. For classification with `surface = Some((width, height))`, the decision
    /// surface as an RGBA raster of that size (covering the view) and its boundary contours.
    /// The canvas shows the first kept feature against the target (regression) or the first two
    /// kept features (classification); with more features the curve or surface is the slice
    /// where the others are at their [training means](Session::training_means), and
    /// `scene.slice_note` says so.
    pub fn scene(&self, samples: usize, surface: Option<(u32, u32)>) -> (Scene, Option<Raster>) {
        let (xs, ys) = self.point_coords();
        let roles = (0..xs.len()).map(|i| self.role(i)).collect();
        let mut scene = Scene {
            view: self.view,
            xs,
            ys,
            roles,
            show_residuals: self.state.view.residuals,
            show_test: self.state.view.show_test,
            ..Scene::default()
        };
        (scene.x_label, scene.y_label) = self.axis_names();
        if let Some(extra) = &self.synthetic {
            let (xs, ys) = plane(extra);
            scene.xs.extend(xs);
            scene.ys.extend(ys);
            scene.roles.extend(std::iter::repeat_n(ROLE_SYNTHETIC, extra.len()));
        }
        // Features the canvas does not show are held at their training means.
        let held = self.training_means();
        scene.slice_note = self.slice_note(&held);
        let mut raster = None;
        match self.data.task {
            Task::Regression => {
                let shows_model = self.model.is_trained() || !self.state.model.fits_instantly();
                if shows_model {
                    let samples = samples.clamp(2, 8192);
                    let (x0, x1) = self.view.x;
                    let grid: Vec<f64> =
                        (0..samples).map(|k| x0 + (x1 - x0) * k as f64 / (samples - 1) as f64).collect();
                    let plane = DMatrix::from_column_slice(samples, 1, &grid);
                    if let Ok(p) = self.model.predict(&slice_inputs(&plane, &held)) {
                        scene.curve = grid.iter().zip(p.iter()).map(|(&x, &y)| (x, y)).collect();
                    }
                    if let Ok(p) = self.model.predict(&self.data.x) {
                        scene.fitted = p.iter().copied().collect();
                    }
                    if self.state.view.band && self.model.is_trained() {
                        scene.band = self.train_rmse();
                    }
                }
            }
            Task::Classification { n_classes } => {
                scene.n_classes = n_classes;
                scene.classes = self.data.y.iter().map(|&c| c as u8).collect();
                if let Some(extra) = &self.synthetic {
                    scene.classes.extend(extra.y.iter().map(|&c| c as u8));
                }
                if let Some((w, h)) =
                    surface.filter(|&(w, h)| w >= 2 && h >= 2 && w as u64 * h as u64 <= MAX_SURFACE_PIXELS)
                {
                    let (xs, ys) = grid_axes(&self.view, w as usize, h as usize);
                    if let Some(probabilities) = slice_probabilities(&self.model, &xs, &ys, n_classes, &held) {
                        let (surface, contours) = raster::decision_surface(&probabilities, n_classes, w, h, &self.view);
                        scene.contours = contours;
                        raster = Some(surface);
                    }
                }
            }
        }
        (scene, raster)
    }
}

/// Outliers thrown into generated data: into the target for regression (the picture's y), into
/// the features for classification.
fn inject_target_or_feature_outliers(data: &Dataset, share: f64, seed: u64) -> Result<Dataset> {
    if data.task != Task::Regression {
        return inject_outliers(data, share, 4.0, seed).map(|(d, _)| d);
    }
    // Inject into the target by treating it as a one-column feature table.
    let target = Dataset { x: DMatrix::from_column_slice(data.len(), 1, data.y.as_slice()), ..data.clone() };
    let (out, _) = inject_outliers(&target, share, 4.0, seed)?;
    Ok(Dataset { y: out.x.column(0).into_owned(), ..data.clone() })
}

/// The plane coordinates of a dataset's points: (x, y) for regression, (x1, x2) for 2-D data.
fn plane(data: &Dataset) -> (Vec<f64>, Vec<f64>) {
    let xs: Vec<f64> = data.x.column(0).iter().copied().collect();
    let ys: Vec<f64> = match data.task {
        Task::Regression => data.y.iter().copied().collect(),
        Task::Classification { .. } if data.n_features() > 1 => data.x.column(1).iter().copied().collect(),
        Task::Classification { .. } => vec![0.0; xs.len()],
    };
    (xs, ys)
}

/// The view for imported data: its padded bounding box.
fn data_view(data: &Dataset) -> View {
    let (xs, ys) = plane(data);
    View::around(&xs, &ys)
}

/// The view for a generated dataset: its bounding box (padded), never smaller than [-6, 6]², so
/// the picture does not jump while the learner edits points.
fn fixed_view(base: &Dataset) -> View {
    let (xs, ys) = plane(base);
    let around = View::around(&xs, &ys);
    View { x: (around.x.0.min(-6.0), around.x.1.max(6.0)), y: (around.y.0.min(-6.0), around.y.1.max(6.0)) }
}
