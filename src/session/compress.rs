//! The Compress panel's side of the session: the trained model compressed as the state's
//! [`CompressSetup`] says, kept beside the original as it was then; the compare view's numbers
//! (size, scores, how far the predictions moved), its three maps (both decision surfaces and
//! their difference), the compressed network's diagram, and the curves (accuracy against
//! sparsity, bits, temperature and student size). A link's setup is replayed: the original is
//! trained for the setup's epochs from its seed, then compressed.

use super::Session;
use crate::compress::compare::{scores, Scores};
use crate::compress::prune::{prune, PruneOptions};
use crate::compress::quantize::quantize;
use crate::compress::setup::{apply, student_params, CompressSetup, Operation};
use crate::compress::{distill::distill, size, Size};
use crate::data::{Dataset, Task};
use crate::error::Result;
use crate::evaluate::grid::{slice_inputs, slice_probabilities};
use crate::model::view::NetworkDiagram;
use crate::model::{AnyModel, Model, ModelParams};
use crate::render::raster::{self, Raster};
use crate::render::surface::grid_axes;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// At most this many unlabelled transfer points are drawn.
const MAX_TRANSFER_DRAWN: usize = 3000;

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

/// A tree's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TreeSize {
    pub nodes: usize,
    pub leaves: usize,
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
        CompressSetup { operation: operation.clone(), epochs: 0 }.check()?;
        self.unscrub();
        // An epoch the worker left part-way (its time slice ran out) is finished first, so the
        // original is the model of whole epochs a link replays.
        let mut guard = 0;
        while self.model.mid_epoch(&self.train) && !self.halted && guard < 1_000_000 {
            self.advance(usize::MAX);
            guard += 1;
        }
        let setup = CompressSetup { operation, epochs: self.epoch };
        setup.check()?;
        let model = apply(&setup.operation, &self.model, &self.state.model, &self.train, self.state.seed as u64)?;
        self.compressed = Some(Compressed { setup: setup.clone(), original: self.model.clone(), model });
        self.state.compress = Some(setup);
        Ok(())
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
        if self.epoch != setup.epochs {
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
            let tree = match m {
                AnyModel::Tree(t) => Some(TreeSize { nodes: t.node_count(), leaves: t.n_leaves() }),
                _ => None,
            };
            Ok(Side { size: size(m).ok(), tree, train: scores(m, &self.train)?, test: scores(m, &self.test)? })
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
        let transfer = match c.setup.operation {
            Operation::Distill { unlabeled, .. } if unlabeled > 0 => {
                let options = c.setup.operation.distill_options(self.state.seed as u64);
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
            }
            _ => Vec::new(),
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
        let c = self.compressed.as_ref()?;
        let Task::Classification { n_classes } = self.data.task else { return None };
        if width < 2 || height < 2 || width as u64 * height as u64 > super::MAX_SURFACE_PIXELS {
            return None;
        }
        let (xs, ys) = grid_axes(&self.view, width as usize, height as usize);
        let held = self.training_means();
        let a = slice_probabilities(&c.original, &xs, &ys, n_classes, &held)?;
        let b = slice_probabilities(&c.model, &xs, &ys, n_classes, &held)?;
        Some([
            raster::surface(&a, n_classes, width, height),
            raster::surface(&b, n_classes, width, height),
            raster::difference_map(&a, &b, n_classes, width, height),
        ])
    }

    /// Predicts one model over a `side × side` grid of the plot's view (the page times it).
    pub fn predict_plane(&self, which: Which, side: u32) -> Result<()> {
        let Some(c) = &self.compressed else { return Ok(()) };
        let model = match which {
            Which::Original => &c.original,
            Which::Compressed => &c.model,
        };
        let side = side.clamp(2, 2048) as usize;
        let (xs, ys) = grid_axes(&self.view, side, side);
        let held = self.training_means();
        let plane = DMatrix::from_fn(side * side, 2, |i, j| if j == 0 { xs[i % side] } else { ys[i / side] });
        model.predict(&slice_inputs(&plane, &held))?;
        Ok(())
    }

    /// One of the compare view's curves, from the original (as compressed, else the current
    /// model) with the panel's settings where they apply. Scores are accuracy (R² for
    /// regression) on the test rows (the training rows when there are none).
    pub fn compress_curve(&self, kind: CurveKind) -> Result<Curve> {
        let (model, operation) = match &self.compressed {
            Some(c) => (&c.original, Some(&c.setup.operation)),
            None => (&self.model, self.state.compress.as_ref().map(|s| &s.operation)),
        };
        let (rows, subset) = self.scored_rows();
        let regression = rows.task == Task::Regression;
        let score = |m: &AnyModel| -> Result<f64> {
            let s = scores(m, rows)?;
            Ok(if regression { s.r2 } else { s.accuracy }.unwrap_or(f64::NAN))
        };
        let seed = self.state.seed as u64;
        let of_kind = |k: &str| operation.filter(|o| o.kind() == k).cloned();
        let base = score(model)?;
        let mut series = Vec::new();
        match kind {
            CurveKind::Sparsity => {
                let op = of_kind("prune").unwrap_or(Operation::Prune {
                    sparsity: 0.9,
                    scope: Default::default(),
                    structured: false,
                    steps: 10,
                    fine_tune_epochs: 5,
                });
                let mut options = op.prune_options(seed);
                options.structured = false;
                let top = if options.sparsity > 0.0 { options.sparsity } else { 0.9 };
                let steps = options.steps.clamp(5, 20);
                let epochs = if options.fine_tune_epochs > 0 { options.fine_tune_epochs } else { 5 };
                for (key, fine_tune) in [("fine_tuned", epochs), ("one_shot", 0)] {
                    let mut points = vec![(0.0, base)];
                    let mut current = model.clone();
                    for t in 1..=steps {
                        let s = top * t as f64 / steps as f64;
                        let step =
                            PruneOptions { sparsity: s, steps: 1, fine_tune_epochs: fine_tune, ..options.clone() };
                        current = prune(&current, &step, (fine_tune > 0).then_some(&self.train))?;
                        points.push((s, score(&current)?));
                    }
                    series.push(Series { key: key.into(), points });
                }
            }
            CurveKind::Bits => {
                let op =
                    of_kind("quantize").unwrap_or(Operation::Quantize { bits: 8, per_channel: false, symmetric: true });
                let options = op.quantize_options();
                let mut points = Vec::new();
                for bits in 1..=8u8 {
                    let q = quantize(model, &crate::compress::quantize::QuantizeOptions { bits, ..options.clone() })?;
                    points.push((bits as f64, score(&q)?));
                }
                series.push(Series { key: "quantized".into(), points });
                series.push(Series { key: "original".into(), points: vec![(1.0, base), (8.0, base)] });
            }
            CurveKind::Temperature | CurveKind::StudentSize => {
                let op = of_kind("distill").unwrap_or(Operation::Distill {
                    neurons: 4,
                    temperature: 4.0,
                    alpha: 0.5,
                    unlabeled: 1000,
                    epochs: 200,
                });
                let Operation::Distill { neurons, .. } = op else { return Err(err!(InvalidInput, "not_fitted")) };
                let options = op.distill_options(seed);
                let student = |n: usize| ModelParams::Mlp(student_params(&self.state.model, n));
                let labels_only = |n: usize| -> Result<f64> {
                    let plain =
                        crate::compress::distill::DistillOptions { alpha: 1.0, unlabeled: 0, ..options.clone() };
                    score(&distill(model, &student(n), seed, &self.train, &plain)?)
                };
                if kind == CurveKind::Temperature {
                    let mut points = Vec::new();
                    for t in [1.0, 2.0, 4.0, 8.0, 16.0] {
                        let o = crate::compress::distill::DistillOptions { temperature: t, ..options.clone() };
                        points.push((t, score(&distill(model, &student(neurons), seed, &self.train, &o)?)?));
                    }
                    let plain = labels_only(neurons)?;
                    series.push(Series { key: "distilled".into(), points });
                    series.push(Series { key: "labels_only".into(), points: vec![(1.0, plain), (16.0, plain)] });
                } else {
                    let (mut distilled, mut plain) = (Vec::new(), Vec::new());
                    for n in [1, 2, 4, 8, 16] {
                        match distill(model, &student(n), seed, &self.train, &options) {
                            Ok(s) => distilled.push((n as f64, score(&s)?)),
                            // a student larger than its teacher ends the line
                            Err(e) if e.code() == "distill_student_larger" => break,
                            Err(e) => return Err(e),
                        }
                        plain.push((n as f64, labels_only(n)?));
                    }
                    series.push(Series { key: "distilled".into(), points: distilled });
                    series.push(Series { key: "labels_only".into(), points: plain });
                }
                let last = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max);
                series.push(Series { key: "teacher".into(), points: vec![(1.0, base), (last, base)] });
            }
        }
        let metric = if regression { "r2" } else { "accuracy" };
        Ok(Curve { kind, metric: metric.into(), subset: subset.into(), series })
    }
}

/// The most probable class of each row.
fn winners(p: &DMatrix<f64>) -> Vec<usize> {
    p.row_iter()
        .map(|row| row.iter().enumerate().fold((0, f64::NEG_INFINITY), |b, (c, &v)| if v > b.1 { (c, v) } else { b }).0)
        .collect()
}
