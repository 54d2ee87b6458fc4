//! The training loop the page drives: a [`State`] becomes a dataset (generated, then the learner's
//! edits replayed), a train/test split, a model, and a loss history; `step` trains, `scene` says what
//! to draw, `report` what to print. Divergence restores the last good model and says so.
//!
//! One file per concern: `prepare.rs` (state → points → split → pipeline; cross-validation
//! folds), `edits.rs` (the learner's points), `training.rs` (steps, fits, divergence, growth),
//! `scene.rs` (what the canvas draws), `views.rs` (the pictures beside it), `report.rs` (what is
//! printed).
//! This file holds the session itself and the changes of state that touch several of them.

mod compress;
mod edits;
mod history;
pub mod pictures;
mod prepare;
mod report;
mod scene;
mod training;
mod views;

pub use crate::model::view::Growth;
pub use crate::state::Pin;
pub use compress::{CompareCurves, CompareReport, Compressed, Curve, CurveKind, Series, Side, Which};
pub use history::{snapshot_bytes, PinReport, Snapshot, Snapshots, TimeMachine, MAX_SNAPSHOTS, SNAPSHOT_BUDGET};
pub use prepare::CvSpec;
pub use report::{FeatureInfo, Message, Report, Scores};
pub use scene::MAX_SURFACE_PIXELS;
pub use views::{Bars, PrecisionRecall, PruningPath, Roc, ScheduleView, TreeView, Views, MAX_THUMBNAILS};

use crate::data::generate::DatasetKind;
use crate::data::{rng, Dataset, Rng, Task};
use crate::error::Result;
use crate::evaluate::cross_validation::FoldRun;
use crate::model::file::{DataRequirements, ModelFile};
use crate::model::{AnyModel, Model as _};
use crate::pipeline::FittedPipeline;
use crate::render::{LossHistory, View};
use crate::state::State;
use nalgebra::{DMatrix, DVector};

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
    /// Training rows the outlier rule left out (drawn marked; not part of `data`).
    removed: Option<Dataset>,
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
    /// The model as it was when the epoch under way began (see [`Session::advance`]).
    epoch_start: Option<Box<AnyModel>>,
    /// A cross-validation fold under way, with the settings and fold it is for.
    cv_run: Option<((CvSpec, usize), Box<FoldRun>)>,
    /// The Compress panel's model beside the original (`state.compress` says how it was made).
    compressed: Option<Compressed>,
    /// A compression curve being computed in parts (`compress_curve_begin`).
    curve: Option<Box<compress::CurveRun>>,
    /// The params the model was built from, and the learner's structural changes since (growth,
    /// freezing), so a compression's link can replay them.
    built_from: crate::model::ModelParams,
    changes: Vec<crate::compress::setup::Change>,
    /// The time machine: snapshots of this run, the live model while scrubbing, the pinned one.
    snapshots: Snapshots,
    scrubbed: Option<history::Scrubbed>,
    pinned: Option<Snapshot>,
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
        let state_model = state.model.clone();
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
            removed: None,
            marks: Vec::new(),
            base_features: Vec::new(),
            raw: empty.clone(),
            raw_rows: Vec::new(),
            fitted: None,
            epoch_start: None,
            cv_run: None,
            compressed: None,
            curve: None,
            built_from: state_model,
            changes: Vec::new(),
            snapshots: Snapshots::default(),
            scrubbed: None,
            pinned: None,
        };
        s.rebuild_data()?;
        s.after_data_change();
        // A link's compression is replayed; one that cannot be is dropped with a message.
        if let Err(e) = s.sync_compress() {
            s.message = Some(Message::from(&e));
        }
        // So is its pinned epoch: the seeded training replayed to the link's epochs.
        if let Err(e) = s.sync_pin() {
            s.message = Some(Message::from(&e));
        }
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
        self.unscrub();
        let data_changed = state.data != self.state.data
            || state.test_ratio != self.state.test_ratio
            || state.edits != self.state.edits;
        // Freezing layers of a network applies to the network as it is: training goes on.
        let frozen_only = !data_changed
            && state.seed == self.state.seed
            && only_frozen_differs(&self.state.model, &state.model)
            && matches!(self.model, AnyModel::Mlp(_));
        let model_changed = !frozen_only && (state.model != self.state.model || state.seed != self.state.seed);
        let compress_changed = state.compress != self.state.compress;
        // A pin of another epoch (a link's); a stale `now` is the page's copy lagging behind.
        let pin_changed = state.pin.map(|p| p.epoch) != self.state.pin.map(|p| p.epoch);
        let wanted_pin = state.pin;
        // Moving a tree's pruning α re-prunes a fully grown tree at once, so the learner sees the
        // tree shrink and grow as α moves.
        let prune_only = self.state.model.refits_in_place(&state.model) && state.seed == self.state.seed;
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
        if frozen_only {
            // (the epoch under way is finished first, so a link can replay the change)
            self.finish_epoch();
            if let (AnyModel::Mlp(mlp), crate::model::ModelParams::Mlp(params)) = (&mut self.model, &self.state.model) {
                mlp.set_frozen(params.frozen.clone());
                self.changes.push(crate::compress::setup::Change {
                    epoch: self.epoch,
                    grow: None,
                    frozen: Some(params.frozen.clone()),
                });
            }
            self.epoch_start = None;
            self.message = None;
            self.halted = false;
        }
        if data_changed || model_changed {
            self.message = None;
            self.halted = false;
            self.after_data_change();
        }
        if compress_changed {
            if let Err(e) = self.sync_compress() {
                self.message = Some(Message::from(&e));
            }
        } else if data_changed || model_changed {
            // The compressed model was made from a model and data the page has left.
            self.clear_compressed();
        }
        if pin_changed || self.pinned.is_none() {
            // (a new run forgot the pin: a link's is replayed on it)
            self.state.pin = if pin_changed { wanted_pin } else { self.state.pin };
            if let Err(e) = self.sync_pin() {
                self.message = Some(Message::from(&e));
            }
        } else if data_changed || model_changed {
            // The pinned model was trained on what the page has left.
            self.unpin();
        } else {
            self.sync_pin_now();
        }
        Ok(())
    }

    /// Makes imported data the session's data (`state.data.kind` becomes `custom`; the learner's
    /// edits start afresh). A model that cannot learn the data's task is swapped for the task's
    /// default one. Nothing changes when the data cannot be used.
    pub fn import(&mut self, custom: CustomData) -> Result<()> {
        custom.data.require_len(1)?;
        self.unscrub();
        let mut state = self.state.clone();
        state.data.kind = DatasetKind::Custom;
        state.edits.clear();
        // The new table has its own columns: every one starts included.
        state.data.drop_features.clear();
        state.model = state.model.for_task(custom.data.task.into());
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

    /// The trained model as a file, with what it needs of the data (task, features, rescaling).
    pub fn save_model(&self) -> ModelFile {
        let data = DataRequirements {
            task: self.data.task,
            features: self.data.feature_names.clone(),
            scaling: self.state.data.scaling,
        };
        ModelFile::new(self.model.clone(), Some(data))
    }

    /// Makes a model file's model the session's model, its hyper-parameters the state's, with the
    /// training history started afresh (training goes on from the opened model). The file is
    /// checked first ([`ModelFile::check`], [`ModelFile::check_against`] the current data); a file
    /// that fails changes nothing.
    pub fn open_model(&mut self, file: ModelFile) -> Result<()> {
        self.unscrub();
        file.check()?;
        file.check_against(&self.data, self.state.data.scaling)?;
        let mut state = self.state.clone();
        state.model = file.model.params();
        state.check()?;
        self.state = state;
        self.model = file.model;
        self.clear_compressed();
        self.reset_training();
        self.message = None;
        self.halted = false;
        if self.model.is_trained() {
            self.record_history();
        }
        Ok(())
    }

    /// The points before any preparation step (the kept features, missing cells NaN, unscaled).
    pub fn raw(&self) -> &Dataset {
        &self.raw
    }

    /// The model's predictions for rows of raw features (as [`Session::raw`] holds them): the
    /// fitted preparation, then `predict` (what an exported model computes).
    pub fn predict_raw(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        crate::model::Model::predict(&self.model, &self.prepare_raw(x)?)
    }

    /// Rows of raw features (as [`Session::raw`] holds them) through the fitted preparation: what
    /// the model takes.
    pub fn prepare_raw(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if x.ncols() != self.raw.n_features() {
            return Err(crate::err!(InvalidData, "model_width", n = self.raw.n_features(), got = x.ncols()));
        }
        // Missing cells (NaN) are the imputer's to fill.
        let rows = Dataset {
            x: x.clone(),
            y: DVector::zeros(x.nrows()),
            feature_names: self.raw.feature_names.clone(),
            task: self.data.task,
        };
        Ok(match &self.fitted {
            Some(f) => f.transform(&rows)?.x,
            None => rows.x,
        })
    }

    /// The trained model as an ONNX file that takes the raw features (the kept ones): the
    /// preparation fitted on the training rows (imputer, clipped outliers, rescaling) is in the
    /// graph before the model (see [`crate::export::onnx`]).
    pub fn to_onnx(&self) -> Result<Vec<u8>> {
        crate::export::onnx::to_onnx(&self.model, &self.preparation(), self.data.n_features())
    }

    /// The trained model as a Python script (scikit-learn, numpy) that rebuilds it, with the
    /// preparation, and carries the learner's raw points (see [`crate::export::python`]).
    pub fn to_python(&self) -> Result<String> {
        crate::export::python::to_python(&self.model, &self.preparation(), &self.raw)
    }

    /// The fitted preparation steps that act on the features of new rows.
    fn preparation(&self) -> crate::export::onnx::Preparation<'_> {
        use crate::data::cleaning::OutlierAction;
        let mut preparation = crate::export::onnx::Preparation::default();
        if let Some(f) = &self.fitted {
            preparation.imputer = Some(&f.imputer);
            preparation.scaler = Some(&f.scaler);
            if f.outlier_action == OutlierAction::Clip && self.data.task != Task::Regression {
                preparation.clip = f.outliers.as_ref();
            }
        }
        preparation
    }

    /// Forgets the training: a fresh model from the same hyper-parameters and seed.
    pub fn reset(&mut self) -> Result<()> {
        self.unscrub();
        self.model = self.state.model.build(self.state.seed as u64)?;
        self.reset_training();
        self.message = None;
        self.halted = false;
        self.after_data_change();
        Ok(())
    }

    pub(super) fn reset_training(&mut self) {
        self.built_from = self.state.model.clone();
        self.changes.clear();
        self.rng = rng(self.state.seed as u64);
        self.epoch = 0;
        self.history = LossHistory::default();
        self.epoch_start = None;
        // a new run: its snapshots start afresh (the live model was replaced by the caller)
        self.snapshots = Snapshots { budget: self.snapshots.budget, ..Snapshots::default() };
        self.scrubbed = None;
        self.pinned = None;
        self.state.pin = None;
    }
}

/// Whether `next` differs from `current` only in a network's frozen layers.
fn only_frozen_differs(current: &crate::model::ModelParams, next: &crate::model::ModelParams) -> bool {
    use crate::model::ModelParams;
    match (current, next) {
        (ModelParams::Mlp(a), ModelParams::Mlp(b)) => {
            a.frozen != b.frozen && crate::model::mlp::MlpParams { frozen: b.frozen.clone(), ..a.clone() } == *b
        }
        _ => false,
    }
}
