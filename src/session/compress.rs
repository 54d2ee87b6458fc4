//! The Compress panel's side of the session: the trained model compressed as the state's
//! [`CompressSetup`] says, kept beside the original as it was then; the compare view's numbers
//! (size, scores, how far the predictions moved), its three maps (both decision surfaces and
//! their difference), the compressed network's diagram, and the curves (accuracy against
//! sparsity, bits, temperature and student size). A link's setup is replayed: the original is
//! trained for the setup's epochs from its seed, then compressed.

use super::history::{maps_from_bands, BandSink};
use super::Session;
use crate::compress::compare::{scores, Scores};
use crate::compress::distill::Targets;
use crate::compress::prune::{prune, PruneOptions};
use crate::compress::quantize::quantize_calibrated;
use crate::compress::setup::{apply, keep_stages, stage_count, student_of, CompressSetup, Grown, Operation, Student};
use crate::compress::{distill::distill, size, Size};
use crate::data::{Dataset, Task};
use crate::error::Result;
use crate::evaluate::grid::slice_inputs;
use crate::model::view::NetworkDiagram;
use crate::model::{AnyModel, Model};
use crate::render::raster::Raster;
use crate::render::surface::grid_axes;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// At most this many unlabelled transfer points are drawn.
const MAX_TRANSFER_DRAWN: usize = 3000;

/// Points of the timed plane predicted at once ([`Session::predict_plane`]).
const PLANE_BLOCK_POINTS: usize = 4096;

/// A compressed model with the setup that made it and the original as it was then.
#[derive(Debug, Clone)]
pub struct Compressed {
    pub setup: CompressSetup,
    pub original: AnyModel,
    pub model: AnyModel,
}

/// One side of the compare table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Parameters, non-zero ones and bytes as stored (networks and ensembles).
    pub size: Option<Size>,
    /// A decision tree's nodes and leaves.
    pub tree: Option<TreeSize>,
    pub train: Scores,
    pub test: Scores,
}

/// A tree's size, or a forest's or a boosted model's summed over its trees: the trees, their
/// nodes, leaves and bytes as stored ([`crate::compress::tree_size`]; a boosted model's trees
/// hold one value per node, and its start one per output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TreeSize {
    pub trees: usize,
    pub nodes: usize,
    pub leaves: usize,
    pub bytes: usize,
}

impl TreeSize {
    /// The size of a tree, a forest or a boosted model; `None` for other families.
    pub fn of(model: &AnyModel) -> Option<TreeSize> {
        let sum = |trees: &mut dyn Iterator<Item = &crate::model::tree::DecisionTree>| {
            trees.fold(TreeSize { trees: 0, nodes: 0, leaves: 0, bytes: 0 }, |s, t| TreeSize {
                trees: s.trees + 1,
                nodes: s.nodes + t.node_count(),
                leaves: s.leaves + t.n_leaves(),
                bytes: s.bytes + crate::compress::tree_size(t),
            })
        };
        match model {
            AnyModel::Tree(t) => Some(sum(&mut std::iter::once(t))),
            AnyModel::Forest(f) => Some(sum(&mut f.trees().iter().map(|t| &t.tree))),
            AnyModel::Boosting(b) => {
                let s = sum(&mut b.stages().iter().flatten().map(|t| &t.tree));
                Some(TreeSize { bytes: s.bytes + 8 * b.init().len(), ..s })
            }
            _ => None,
        }
    }
}

/// What the compare view prints and marks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareReport {
    pub setup: CompressSetup,
    pub original: Side,
    pub compressed: Side,
    /// Share of test rows (train rows when there is no test set) whose predicted class changed.
    pub changed_share: Option<f64>,
    /// Mean |Δ| of the predicted probabilities (or values) on the same rows.
    pub mean_abs_difference: Option<f64>,
    /// Distillation's unlabelled transfer points, in the plot's coordinates.
    pub transfer: Vec<(f64, f64)>,
    /// The compressed network's diagram (pruned weights, frozen layers, integers) when it is one.
    pub network: Option<NetworkDiagram>,
}

/// A regression's compare view: each model's curve and their difference, in data coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareCurves {
    pub original: Vec<(f64, f64)>,
    pub compressed: Vec<(f64, f64)>,
    pub difference: Vec<(f64, f64)>,
}

/// Which model's predictions over the plane [`Session::predict_plane`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    Original,
    Compressed,
}

/// The curves the panel draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveKind {
    Sparsity,
    Bits,
    Temperature,
    StudentSize,
    /// Score and size against the stages (boosting) or trees (forest) kept.
    Stages,
}

/// One line of a curve: its key (`fine_tuned`, `one_shot`, `quantized`, `original`, `distilled`,
/// `labels_only`; the page words it) and its points (setting, score).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub key: String,
    pub points: Vec<(f64, f64)>,
}

/// A curve: its lines and what the score is (`accuracy` or `r2`, on `test` or `train`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    pub kind: CurveKind,
    pub metric: String,
    pub subset: String,
    pub series: Vec<Series>,
}

impl Session {
    /// The compressed model and what it was made from, if any.
    pub fn compressed(&self) -> Option<&Compressed> {
        self.compressed.as_ref()
    }

    /// Compresses the current model as `operation` says (the original is kept, and the state
    /// records the setup with the epochs trained so far). On failure nothing changes.
    pub fn compress(&mut self, operation: Operation) -> Result<()> {
        CompressSetup { operation: operation.clone(), epochs: 0, grown: None }.check()?;
        self.unscrub();
        // An epoch the worker left part-way (its time slice ran out) is finished first, so the
        // original is the model of whole epochs a link replays.
        self.finish_epoch();
        // A model that grew (or was frozen part-way) since it was built: the link replays that.
        let grown = (!self.changes.is_empty() || self.built_from != self.state.model)
            .then(|| Grown { from: self.built_from.clone(), changes: self.changes.clone() });
        let setup = CompressSetup { operation, epochs: self.epoch, grown };
        setup.check()?;
        let model = apply(&setup.operation, &self.model, &self.state.model, &self.train, self.state.seed as u64)?;
        self.compressed = Some(Compressed { setup: setup.clone(), original: self.model.clone(), model });
        self.state.compress = Some(setup);
        Ok(())
    }

    /// The compressed model as an ONNX file that takes the raw features, with the preparation
    /// fitted on the training rows in front, as [`Session::to_onnx`] (`compress_nothing` when
    /// nothing is compressed).
    pub fn compressed_to_onnx(&self) -> Result<Vec<u8>> {
        let c = self.compressed.as_ref().ok_or_else(|| err!(InvalidInput, "compress_nothing"))?;
        crate::export::onnx::to_onnx(&c.model, &self.preparation(), self.data.n_features())
    }

    /// The compressed model as a Python script, as [`Session::to_python`] (`compress_nothing`
    /// when nothing is compressed).
    pub fn compressed_to_python(&self) -> Result<String> {
        let c = self.compressed.as_ref().ok_or_else(|| err!(InvalidInput, "compress_nothing"))?;
        crate::export::python::to_python(&c.model, &self.preparation(), &self.raw)
    }

    /// The compressed model's predictions for rows of raw features (the fitted preparation, then
    /// its `predict`: what its exported files compute).
    pub fn compressed_predict_raw(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let c = self.compressed.as_ref().ok_or_else(|| err!(InvalidInput, "compress_nothing"))?;
        c.model.predict(&self.prepare_raw(x)?)
    }

    /// Drops the compressed model (and its setup from the state).
    pub fn clear_compressed(&mut self) {
        self.compressed = None;
        self.state.compress = None;
    }

    /// Brings the compressed model in line with `state.compress` (a link's setup): the original
    /// is trained from its seed for the setup's epochs, then compressed. A setup that cannot be
    /// applied is dropped from the state and the error returned.
    pub(super) fn sync_compress(&mut self) -> Result<()> {
        let Some(setup) = self.state.compress.clone() else {
            self.compressed = None;
            return Ok(());
        };
        if self.compressed.as_ref().is_some_and(|c| c.setup == setup) {
            return Ok(());
        }
        if let Some(grown) = &setup.grown {
            // Built from what it grew from, trained, and changed at the recorded epochs.
            let model = grown.from.build(self.state.seed as u64)?;
            self.model = model;
            self.reset_training();
            self.built_from = grown.from.clone();
            self.message = None;
            self.halted = false;
            self.after_data_change();
            let mut changes = grown.changes.iter().peekable();
            let mut guard = 0;
            loop {
                while let Some(change) = changes.next_if(|c| c.epoch <= self.epoch) {
                    if let Some(growth) = change.grow {
                        self.model.grow(growth, &self.train, &mut self.rng)?;
                    }
                    if let (Some(frozen), AnyModel::Mlp(mlp)) = (&change.frozen, &mut self.model) {
                        mlp.set_frozen(frozen.clone());
                    }
                    self.epoch_start = None;
                    self.changes.push(change.clone());
                }
                if self.epoch >= setup.epochs || self.halted || guard > setup.epochs {
                    break;
                }
                self.step(1);
                guard += 1;
            }
            self.sync_state_model();
        } else if self.epoch != setup.epochs {
            if self.epoch > setup.epochs {
                self.reset_model();
            }
            let mut guard = 0;
            while self.epoch < setup.epochs && !self.halted && guard <= setup.epochs {
                self.step(1);
                guard += 1;
            }
        }
        let result = self.compress(setup.operation.clone());
        if result.is_err() {
            self.state.compress = None;
            self.compressed = None;
        }
        result
    }

    /// Finishes an epoch the worker left part-way (its time slice ran out).
    pub(super) fn finish_epoch(&mut self) {
        let mut guard = 0;
        while self.model.mid_epoch(&self.train) && !self.halted && guard < 1_000_000 {
            self.advance(usize::MAX);
            guard += 1;
        }
    }

    /// A fresh model from the state's params and seed, its training forgotten.
    fn reset_model(&mut self) {
        if let Ok(model) = self.state.model.build(self.state.seed as u64) {
            self.model = model;
            self.reset_training();
            self.message = None;
            self.halted = false;
            self.after_data_change();
        }
    }

    /// The rows the compare view scores on: the test set, or the training set when there is none.
    fn scored_rows(&self) -> (&Dataset, &'static str) {
        if self.test.is_empty() {
            (&self.train, "train")
        } else {
            (&self.test, "test")
        }
    }

    /// The compare view's numbers, or `None` when nothing is compressed.
    pub fn compare_report(&self) -> Result<Option<CompareReport>> {
        let Some(c) = &self.compressed else { return Ok(None) };
        let side = |m: &AnyModel| -> Result<Side> {
            Ok(Side {
                size: size(m).ok(),
                tree: TreeSize::of(m),
                train: scores(m, &self.train)?,
                test: scores(m, &self.test)?,
            })
        };
        let (rows, _) = self.scored_rows();
        let (mut changed_share, mut mean_abs_difference) = (None, None);
        if !rows.is_empty() {
            let (a, b) = (c.original.predict(&rows.x)?, c.model.predict(&rows.x)?);
            if a.shape() == b.shape() {
                mean_abs_difference = Some((&a - &b).abs().sum() / a.len().max(1) as f64);
                if rows.task != Task::Regression {
                    let (ca, cb) = (winners(&a), winners(&b));
                    changed_share =
                        Some(ca.iter().zip(&cb).filter(|(x, y)| x != y).count() as f64 / ca.len().max(1) as f64);
                }
            }
        }
        let options = c.setup.operation.distill_options(self.state.seed as u64);
        // distillation's unlabelled points (also an ensemble's distilled into one student)
        let transfer = if c.setup.operation.distils() && options.unlabeled > 0 {
            let set = crate::compress::distill::transfer_set(&self.train, options.unlabeled, options.seed)?;
            let drawn = self.train.n_features().min(2);
            (self.train.len()..set.len())
                .take(MAX_TRANSFER_DRAWN)
                .map(|i| {
                    let x = set.x[(i, 0)];
                    let y = if drawn == 2 { set.x[(i, 1)] } else { 0.0 };
                    (x, y)
                })
                .collect()
        } else {
            Vec::new()
        };
        let network = match &c.model {
            AnyModel::Mlp(mlp) => {
                let names: Vec<String> = self.data.feature_names.iter().map(|n| self.display_name(n)).collect();
                Some(NetworkDiagram::new(mlp, &names, &self.class_names()))
            }
            _ => None,
        };
        Ok(Some(CompareReport {
            setup: c.setup.clone(),
            original: side(&c.original)?,
            compressed: side(&c.model)?,
            changed_share,
            mean_abs_difference,
            transfer,
            network,
        }))
    }

    /// The compare view's three maps over the plot's view, each `width × height` RGBA: the
    /// original's decision surface, the compressed model's, and where they differ (see
    /// [`raster::difference_map`]). `None` for regression or when nothing is compressed.
    pub fn compare_surfaces(&self, width: u32, height: u32) -> Option<[Raster; 3]> {
        maps_from_bands(width, height, |sink| self.compare_surfaces_in_bands(width, height, sink))
    }

    /// [`compare_surfaces`](Session::compare_surfaces) handing each band of rows of each map to
    /// `sink(map, rows, rgba)` instead of holding the maps (the page keeps them outside the
    /// wasm's memory, which only grows). False when there are no maps.
    pub fn compare_surfaces_in_bands(&self, width: u32, height: u32, sink: &mut BandSink) -> bool {
        let Some(c) = self.compressed.as_ref() else { return false };
        self.compare_maps_in_bands(&c.original, &c.model, width, height, sink)
    }

    /// The compare view of a regression: both models' curves over the plot's x range (`samples`
    /// points, the other features held at their training means) and their difference
    /// (compressed − original). `None` for classification or when nothing is compressed.
    pub fn compare_curves(&self, samples: u32) -> Option<CompareCurves> {
        let c = self.compressed.as_ref()?;
        if self.data.task != Task::Regression {
            return None;
        }
        let samples = samples.clamp(2, 8192) as usize;
        let (x0, x1) = self.view.x;
        let grid: Vec<f64> = (0..samples).map(|k| x0 + (x1 - x0) * k as f64 / (samples - 1) as f64).collect();
        let plane = slice_inputs(&DMatrix::from_column_slice(samples, 1, &grid), &self.training_means());
        let (a, b) = (c.original.predict(&plane).ok()?, c.model.predict(&plane).ok()?);
        let curve = |p: &DMatrix<f64>| grid.iter().zip(p.column(0).iter()).map(|(&x, &y)| (x, y)).collect::<Vec<_>>();
        let difference = grid.iter().enumerate().map(|(i, &x)| (x, b[(i, 0)] - a[(i, 0)])).collect();
        Some(CompareCurves { original: curve(&a), compressed: curve(&b), difference })
    }

    /// Predicts one model over a `side × side` grid of the plot's view (the page times it), a
    /// block of [`PLANE_BLOCK_POINTS`] at a time.
    pub fn predict_plane(&self, which: Which, side: u32) -> Result<()> {
        let Some(c) = &self.compressed else { return Ok(()) };
        let model = match which {
            Which::Original => &c.original,
            Which::Compressed => &c.model,
        };
        let side = side.clamp(2, 2048) as usize;
        let (xs, ys) = grid_axes(&self.view, side, side);
        let held = self.training_means();
        // in blocks of rows, as the surface is drawn: a network's activations for the whole plane
        // (65,536 points × its widest layer in f64) stayed in the worker's memory, which never shrinks
        let rows = (PLANE_BLOCK_POINTS / side).max(1);
        for band in ys.chunks(rows) {
            let plane =
                DMatrix::from_fn(side * band.len(), 2, |i, j| if j == 0 { xs[i % side] } else { band[i / side] });
            model.predict(&slice_inputs(&plane, &held))?;
        }
        Ok(())
    }

    /// One of the compare view's curves, from the original (as compressed, else the current
    /// model) with the panel's settings where they apply. Scores are accuracy (R² for
    /// regression) on the test rows (the training rows when there are none). All at once; the
    /// worker runs it in parts ([`Session::compress_curve_begin`]).
    pub fn compress_curve(&self, kind: CurveKind) -> Result<Curve> {
        let mut run = self.curve_run(kind)?;
        loop {
            if let Some(curve) = self.curve_part(&mut run)? {
                return Ok(curve);
            }
        }
    }

    /// Starts computing a curve in parts: each [`Session::compress_curve_part`] computes one of
    /// its points (one pruning step, one quantisation, one student), so the worker can answer
    /// other requests between them. Returns the number of parts.
    pub fn compress_curve_begin(&mut self, kind: CurveKind) -> Result<usize> {
        let run = self.curve_run(kind)?;
        let parts = run.jobs.len();
        self.curve = Some(Box::new(run));
        Ok(parts)
    }

    /// Computes the next point of the curve begun; the curve once its last point is done (the
    /// run then ends). An error ends the run too.
    pub fn compress_curve_part(&mut self) -> Result<Option<Curve>> {
        let Some(mut run) = self.curve.take() else { return Err(err!(InvalidInput, "compress_curve_none")) };
        match self.curve_part(&mut run) {
            Ok(None) => {
                self.curve = Some(run);
                Ok(None)
            }
            done => done,
        }
    }

    /// The parts of a curve of `kind`.
    fn curve_run(&self, kind: CurveKind) -> Result<CurveRun> {
        let (model, operation) = match &self.compressed {
            Some(c) => (&c.original, Some(&c.setup.operation)),
            None => (&self.model, self.state.compress.as_ref().map(|s| &s.operation)),
        };
        let of_kind = |k: &str| operation.filter(|o| o.kind() == k).cloned();
        let mut jobs = Vec::new();
        let op = match kind {
            CurveKind::Stages => {
                let n = stage_count(model).ok_or_else(|| err!(InvalidParameter, "compress_needs_stages"))?;
                if n == 0 {
                    return Err(err!(InvalidInput, "compress_untrained_stages"));
                }
                jobs.extend(stages_tried(n).into_iter().map(Job::Stages));
                of_kind("stages").unwrap_or(Operation::Stages { keep: n })
            }
            CurveKind::Sparsity => {
                let op = of_kind("prune").unwrap_or(Operation::Prune {
                    sparsity: 0.9,
                    scope: Default::default(),
                    structured: false,
                    steps: 10,
                    fine_tune_epochs: 5,
                });
                let steps = op.prune_options(1).steps.clamp(5, 20);
                for series in 0..2 {
                    jobs.extend((1..=steps).map(|t| Job::Prune { series, t, steps }));
                }
                op
            }
            CurveKind::Bits => {
                jobs.extend((1..=8u8).map(Job::Bits));
                of_kind("quantize").unwrap_or(Operation::Quantize {
                    bits: 8,
                    per_channel: false,
                    symmetric: true,
                    activations: false,
                })
            }
            CurveKind::Temperature | CurveKind::StudentSize => {
                let op = of_kind("distill").unwrap_or(Operation::Distill {
                    neurons: 4,
                    temperature: 4.0,
                    alpha: 0.5,
                    unlabeled: 1000,
                    epochs: 200,
                    student: Student::Network,
                    degree: 3,
                    depth: 3,
                    targets: Targets::Soft,
                });
                let Operation::Distill { student, .. } = op else { return Err(err!(InvalidInput, "not_fitted")) };
                if kind == CurveKind::Temperature {
                    jobs.extend([1.0, 2.0, 4.0, 8.0, 16.0].map(Job::Temperature));
                    jobs.push(Job::LabelsOnly(None));
                } else {
                    for &n in student_sizes(student) {
                        jobs.push(Job::Student(n));
                        jobs.push(Job::LabelsOnly(Some(n)));
                    }
                }
                op
            }
        };
        Ok(CurveRun {
            kind,
            op,
            model: model.clone(),
            jobs: jobs.into(),
            base: None,
            current: [None, None],
            series: Vec::new(),
            ended: false,
        })
    }

    /// Does the next job of `run`; the curve once none is left.
    fn curve_part(&self, run: &mut CurveRun) -> Result<Option<Curve>> {
        let (rows, subset) = self.scored_rows();
        let regression = rows.task == Task::Regression;
        let score = |m: &AnyModel| -> Result<f64> {
            let s = scores(m, rows)?;
            Ok(if regression { s.r2 } else { s.accuracy }.unwrap_or(f64::NAN))
        };
        let seed = self.state.seed as u64;
        let base = match run.base {
            Some(b) => b,
            None => {
                let b = score(&run.model)?;
                run.base = Some(b);
                b
            }
        };
        let point = |run: &mut CurveRun, key: &str, p: (f64, f64)| match run.series.iter_mut().find(|s| s.key == key) {
            Some(s) => s.points.push(p),
            None => run.series.push(Series { key: key.into(), points: vec![p] }),
        };
        let distill_options = run.op.distill_options(seed);
        let student = |op: &Operation, n: Option<usize>| {
            student_of(&n.map_or(op.clone(), |n| with_student_size(op, n)), &self.state.model)
        };
        if let Some(job) = run.jobs.pop_front() {
            match job {
                Job::Prune { series, t, steps } => {
                    let mut options = run.op.prune_options(seed);
                    options.structured = false;
                    let top = if options.sparsity > 0.0 { options.sparsity } else { 0.9 };
                    let epochs = if options.fine_tune_epochs > 0 { options.fine_tune_epochs } else { 5 };
                    let (key, fine_tune) = if series == 0 { ("fine_tuned", epochs) } else { ("one_shot", 0) };
                    if t == 1 {
                        point(run, key, (0.0, base));
                    }
                    let s = top * t as f64 / steps as f64;
                    let step = PruneOptions { sparsity: s, steps: 1, fine_tune_epochs: fine_tune, ..options };
                    let from = run.current[series].take().unwrap_or_else(|| run.model.clone());
                    let next = prune(&from, &step, (fine_tune > 0).then_some(&self.train))?;
                    point(run, key, (s, score(&next)?));
                    run.current[series] = Some(next);
                }
                Job::Stages(keep) => {
                    let kept = keep_stages(&run.model, keep)?;
                    point(run, "kept", (keep as f64, score(&kept)?));
                    if subset == "test" {
                        let s = scores(&kept, &self.train)?;
                        point(
                            run,
                            "kept_train",
                            (keep as f64, if regression { s.r2 } else { s.accuracy }.unwrap_or(f64::NAN)),
                        );
                    }
                    // the size as a share of the whole model's nodes
                    let share = match (TreeSize::of(&kept), TreeSize::of(&run.model)) {
                        (Some(a), Some(b)) if b.nodes > 0 => a.nodes as f64 / b.nodes as f64,
                        _ => f64::NAN,
                    };
                    point(run, "size_share", (keep as f64, share));
                }
                Job::Bits(bits) => {
                    let options = crate::compress::quantize::QuantizeOptions { bits, ..run.op.quantize_options() };
                    let q = quantize_calibrated(&run.model, &options, Some(&self.train))?;
                    point(run, "quantized", (bits as f64, score(&q)?));
                }
                Job::Temperature(t) => {
                    let o = crate::compress::distill::DistillOptions { temperature: t, ..distill_options };
                    let s = distill(&run.model, &student(&run.op, None), seed, &self.train, &o)?;
                    point(run, "distilled", (t, score(&s)?));
                }
                Job::Student(n) => {
                    if !run.ended {
                        match distill(&run.model, &student(&run.op, Some(n)), seed, &self.train, &distill_options) {
                            Ok(s) => point(run, "distilled", (n as f64, score(&s)?)),
                            // a student larger than its teacher ends the line
                            Err(e) if e.code() == "distill_student_larger" => run.ended = true,
                            Err(e) => return Err(e),
                        }
                    }
                }
                Job::LabelsOnly(n) => {
                    if !run.ended {
                        let plain =
                            crate::compress::distill::DistillOptions { alpha: 1.0, unlabeled: 0, ..distill_options };
                        let v = score(&distill(&run.model, &student(&run.op, n), seed, &self.train, &plain)?)?;
                        match n {
                            Some(n) => point(run, "labels_only", (n as f64, v)),
                            None => {
                                point(run, "labels_only", (1.0, v));
                                point(run, "labels_only", (16.0, v));
                            }
                        }
                    }
                }
            }
            if !run.jobs.is_empty() {
                return Ok(None);
            }
        }
        let mut series = std::mem::take(&mut run.series);
        match run.kind {
            CurveKind::Bits => series.push(Series { key: "original".into(), points: vec![(1.0, base), (8.0, base)] }),
            CurveKind::Temperature | CurveKind::StudentSize => {
                if run.kind == CurveKind::StudentSize && !series.iter().any(|s| s.key == "distilled") {
                    series.insert(0, Series { key: "distilled".into(), points: Vec::new() });
                }
                let last = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max);
                series.push(Series { key: "teacher".into(), points: vec![(1.0, base), (last, base)] });
            }
            CurveKind::Stages => {
                let last = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max);
                series.push(Series { key: "original".into(), points: vec![(1.0, base), (last, base)] });
            }
            CurveKind::Sparsity => {}
        }
        let metric = if regression { "r2" } else { "accuracy" };
        Ok(Some(Curve { kind: run.kind, metric: metric.into(), subset: subset.into(), series }))
    }
}

/// A curve being computed in parts (see [`Session::compress_curve_begin`]).
#[derive(Debug, Clone)]
pub struct CurveRun {
    kind: CurveKind,
    /// The operation whose settings the curve uses.
    op: Operation,
    /// The model the curve starts from.
    model: AnyModel,
    jobs: std::collections::VecDeque<Job>,
    /// The model's own score.
    base: Option<f64>,
    /// Each pruning series' model so far (with, without fine-tuning).
    current: [Option<AnyModel>; 2],
    series: Vec<Series>,
    /// A student grew larger than its teacher: the size curve stops there.
    ended: bool,
}

/// One point of a curve.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// Pruning step `t` of `steps` of series 0 (fine-tuned) or 1 (one shot).
    Prune {
        series: usize,
        t: usize,
        steps: usize,
    },
    Bits(u8),
    /// The first this many stages (or trees) kept.
    Stages(usize),
    Temperature(f64),
    /// The student of this size (neurons, degree or depth).
    Student(usize),
    /// The student (of this size, or the panel's) on the labels alone.
    LabelsOnly(Option<usize>),
}

/// The stages (or trees) the stages curve keeps, of `n` grown: every count up to 20, else 20
/// counts spread evenly (1 and `n` among them).
pub fn stages_tried(n: usize) -> Vec<usize> {
    if n <= 20 {
        return (1..=n).collect();
    }
    let mut tried: Vec<usize> = std::iter::once(1).chain((1..=20).map(|i| (i * n + 10) / 20)).collect();
    tried.dedup();
    tried
}

/// The sizes the student-size curve tries: hidden neurons, polynomial degrees or tree depths.
pub fn student_sizes(kind: Student) -> &'static [usize] {
    match kind {
        Student::Network => &[1, 2, 4, 8, 16],
        Student::Logistic => &[1, 2, 3, 4, 5],
        Student::Tree => &[1, 2, 3, 4, 6, 8],
    }
}

/// The distillation `op` with its student's size setting (neurons, degree or depth) set to `n`.
fn with_student_size(op: &Operation, n: usize) -> Operation {
    let mut op = op.clone();
    if let Operation::Distill { student, neurons, degree, depth, .. } = &mut op {
        match student {
            Student::Network => *neurons = n,
            Student::Logistic => *degree = n,
            Student::Tree => *depth = n,
        }
    }
    op
}

/// The most probable class of each row.
fn winners(p: &DMatrix<f64>) -> Vec<usize> {
    p.row_iter()
        .map(|row| row.iter().enumerate().fold((0, f64::NEG_INFINITY), |b, (c, &v)| if v > b.1 { (c, v) } else { b }).0)
        .collect()
}
