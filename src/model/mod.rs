//! The one trait set every model implements, and the registry that names them.
//!
//! A model family is a file in this folder with a checked hyper-parameter struct (implementing
//! [`Hyperparams`]) and a trained-model struct (implementing [`Model`]), both serde-serialisable.
//! Registering it is one line in the `registry!` call below: that adds it to [`ModelParams`]
//! (what the page's state and the JS API name) and [`AnyModel`] (what the session trains).

pub mod boosting;
pub mod describe;
pub mod ensemble;
pub(crate) mod fast_math;
pub mod file;
pub mod forest;
pub mod kmeans;
pub mod knn;
pub mod linear;
pub mod logistic;
pub mod mlp;
pub mod naive_bayes;
pub mod summary;
pub mod svm;
pub mod tree;
pub mod view;
pub mod weights;

use crate::data::{Dataset, Rng};
use crate::error::Result;
use crate::tagged;
use nalgebra::DMatrix;
use serde::{Deserialize, Deserializer, Serialize};
pub use summary::{Formula, Layer, Score, Summary, Term};

/// One block of a model's numbers ([`Model::blocks`]): its kind (`layer`: a network's layer,
/// numbered from 1, the output layer last; `weights`; `intercept`), and its norm (of the gradient
/// for a layer, of the values otherwise).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: &'static str,
    pub index: usize,
    pub norm: f64,
}

impl Block {
    /// The divergence `cause` placed in this block (`diverged_in_layer`, `diverged_in_weights`,
    /// `diverged_in_intercept`: the page words them, with what to try).
    fn locate(&self, cause: crate::error::Msg) -> crate::error::Error {
        match self.kind {
            "layer" => crate::err!(Diverged, "diverged_in_layer", cause = cause, layer = self.index, norm = self.norm),
            "weights" => crate::err!(Diverged, "diverged_in_weights", cause = cause, norm = self.norm),
            _ => crate::err!(Diverged, "diverged_in_intercept", cause = cause, norm = self.norm),
        }
    }
}

/// The block that exploded between `good` (before the epoch) and `failed` (after it): the one
/// whose norm grew the most (a non-finite norm counts as infinite growth; the earliest block
/// among equals: a gradient explodes from the output back towards the inputs and is largest
/// there). `None` when the family names no blocks.
pub(crate) fn divergence_site(failed: &[Block], good: &[Block]) -> Option<Block> {
    let growth = |b: &Block| {
        let before = good.iter().find(|g| g.kind == b.kind && g.index == b.index).map_or(0.0, |g| g.norm);
        match b.norm.is_finite() {
            false => f64::INFINITY,
            true if before > 0.0 && before.is_finite() => b.norm / before,
            true => b.norm,
        }
    };
    let mut best: Option<(f64, &Block)> = None;
    for b in failed {
        let g = growth(b);
        if best.is_none_or(|(top, _)| g > top) {
            best = Some((g, b));
        }
    }
    best.map(|(_, b)| b.clone())
}

/// A linear model's two blocks: its weights' norm and its intercepts'.
pub(crate) fn linear_blocks(weights: f64, intercepts: f64) -> Vec<Block> {
    vec![Block { kind: "weights", index: 0, norm: weights }, Block { kind: "intercept", index: 0, norm: intercepts }]
}

/// A model that learns from a [`Dataset`].
///
/// - `fit` solves to the end in one call (a closed form, or a solver run to convergence);
/// - `step` runs one epoch of gradient optimisation so the page can animate training;
/// - `predict` maps a batch (an n × d matrix) to n × 1 values for regression or n × k class
///   probabilities for classification;
/// - `objective` is the quantity `step` minimises (loss plus regularisation) on `data`.
pub trait Model {
    fn fit(&mut self, data: &Dataset) -> Result<()>;
    fn step(&mut self, data: &Dataset, rng: &mut Rng) -> Result<()>;
    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>>;
    /// `predict` for a caller that holds rows: `x` row-major (`x.len() / d` rows of `d`
    /// features), the answer row-major (one value per row, or the class probabilities of each
    /// row in turn), in one allocation. By default `predict` on blocks of [`ROW_BLOCK`] rows,
    /// each written straight into the answer (no copy of the whole input into a column-major
    /// matrix, no transpose of the whole output: the blocks stay in cache); families with a
    /// faster way to predict a row in place override it, and must give what `predict` gives.
    fn predict_rows(&self, x: &[f64], d: usize) -> Result<Vec<f64>> {
        predict_rows_in_blocks(self, x, d, ROW_BLOCK)
    }
    /// The class (or cluster) of each row, as scikit-learn's `predict` of a classifier or a
    /// clusterer gives it: the index of the largest of the row's [`Model::predict_rows`] values
    /// (ties to the first). `None` for a regression (one value per row). Families that can name a
    /// row's label without its probabilities override it, and must give these labels.
    fn label_rows(&self, x: &[f64], d: usize) -> Result<Option<Vec<u32>>> {
        let n = row_count(x, d)?;
        Ok(labels_of(&self.predict_rows(x, d)?, n))
    }
    fn objective(&self, data: &Dataset) -> Result<f64>;
    /// Part of a `step`: for families whose epochs can take long (a network's mini-batches), the
    /// next mini-batches of the epoch under way, about `max_rows` rows of them (a batch at least),
    /// so the page's worker can stop within its time budget in the middle of an epoch. True when
    /// the epoch ended: the steps so made are one `step`, to the bit. By default a whole `step`.
    fn step_part(&mut self, data: &Dataset, rng: &mut Rng, _max_rows: usize) -> Result<bool> {
        self.step(data, rng).map(|()| true)
    }
    /// True when an epoch on `data` is part-way through ([`Model::step_part`]).
    fn mid_epoch(&self, _data: &Dataset) -> bool {
        false
    }
    /// Part of a `fit`, as [`Model::step_part`] is of a step: true when the fit ended (the next
    /// call starts a new one). A cross-validation fold's fit runs this way, so a cancel gets in
    /// during a fit of many epochs. By default a whole `fit`.
    fn fit_part(&mut self, data: &Dataset, _max_rows: usize) -> Result<bool> {
        self.fit(data).map(|()| true)
    }
    /// How far a fit run by [`Model::fit_part`] has come, from 0 to 1 (an upper bound on the work
    /// left: it may end early); 0 when none is under way or the family cannot tell.
    fn fit_progress(&self) -> f64 {
        0.0
    }
    /// For families whose `fit` runs epochs (a network): the fit under way (or a new one) continued
    /// to the end of its epoch `epoch`, counted from the fit's start, or to its end if that comes
    /// first; true when the fit ended. The epochs so made are those of `fit`, to the bit (the
    /// rungs of successive halving score a trial between them). `None` for families whose fit
    /// does not run by epochs (closed forms, Newton, trees).
    fn fit_until_epoch(&mut self, _data: &Dataset, _epoch: usize) -> Option<Result<bool>> {
        None
    }
    /// True once `fit` or `step` has run at least once.
    fn is_trained(&self) -> bool;
    /// A learner-facing description: the formula with its live values and named parameters.
    fn summary(&self) -> Summary;
    /// True when every learned number is finite (used to detect divergence).
    fn is_finite(&self) -> bool;
    /// Checks the model's internal consistency (shapes, finite values, parameters in range), so a
    /// damaged or hand-edited model file is refused with a message instead of breaking `predict`.
    fn validate(&self) -> Result<()>;
    /// True when `step` can change nothing more (a tree grown to its limits).
    fn is_complete(&self) -> bool {
        false
    }
    /// The predictions at every point of a grid on two features, `xs` the x of each column and
    /// `ys` the y of each row, row-major per point with one value per output (class
    /// probabilities, or the regression value): what decision surfaces and curves are drawn
    /// from. By default `predict` on the grid's points ([`predict_grid`]); families with a faster
    /// way (a score split into row and column parts, a tree filling its leaves' boxes) override
    /// it, and must give what `predict` gives. `None` when the model cannot predict there.
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>>
    where
        Self: Sized,
    {
        predict_grid(self, xs, ys)
    }
    /// The losses seen while stepping, for the divergence guard of gradient families
    /// ([`AnyModel::guarded_step`]); `None` for families whose steps cannot diverge (a tree's
    /// split, a forest's tree).
    fn loss_memory(&mut self) -> Option<&mut crate::optim::LossMemory> {
        None
    }
    /// Where the family's numbers stand, block by block, for naming the block that exploded when a
    /// run diverges (the time machine): a network's largest gradient norm per layer over the
    /// last epoch, a linear model's weight and intercept norms; empty for the others.
    fn blocks(&self) -> Vec<Block> {
        Vec::new()
    }
    /// Each feature's importance as the family measures it (a tree's impurity decrease, summing
    /// to 1), for the importance chart; `None` for families that have no such measure.
    fn feature_importances(&self) -> Option<Vec<f64>> {
        None
    }
    /// The family's picture of `kind` (one its descriptor lists in `views`), as plain data for
    /// `render`; `None` when it has none now (untrained, or not on this data).
    fn view(&self, _kind: view::ViewKind, _ctx: &view::ViewContext) -> Option<view::FamilyView> {
        None
    }
    /// Small pictures over the plane, one per unit (a network's hidden neurons), at every point
    /// of the grid with axes `xs` and `ys` (row-major, as [`Model::grid_values`]); empty when the
    /// family has none.
    fn thumbnails(&self, _xs: &[f64], _ys: &[f64]) -> Vec<view::Thumbnail> {
        Vec::new()
    }
    /// Changes the trained model's structure without changing its predictions (a network's new
    /// neuron or layer); `data` sets up an untrained model first. Refused by families that cannot.
    fn grow(&mut self, _growth: view::Growth, _data: &Dataset, _rng: &mut Rng) -> Result<()> {
        Err(crate::err!(InvalidParameter, "grow_needs_network"))
    }
    /// For families that cluster (their descriptor's task is `clustering`): each row's cluster
    /// and its squared distance to the cluster's centre, what the clustering metrics (inertia,
    /// silhouette, adjusted Rand index) are computed from; `None` for other families.
    fn clusters(&self, _x: &DMatrix<f64>) -> Option<Result<(Vec<usize>, Vec<f64>)>> {
        None
    }
}

/// The loss of `model`'s predictions on `data`: mean squared error for numbers, mean log-loss for
/// classes; 0 on no rows. The objective of families that do not descend a loss of their own
/// (neighbours, ensembles of trees), so the loss chart shows them too.
pub fn prediction_loss(model: &impl Model, data: &Dataset) -> Result<f64> {
    if data.is_empty() {
        return Ok(0.0);
    }
    let p = model.predict(&data.x)?;
    Ok(match data.task {
        crate::data::Task::Regression => crate::metrics::mse(data.y.as_slice(), p.as_slice()),
        crate::data::Task::Classification { .. } => crate::metrics::log_loss(data.y.as_slice(), &p),
    })
}

/// The rows of a block of [`Model::predict_rows`]'s default: its input (2 features) and its
/// answer (2 probabilities) take 64 KB, well within a core's cache, and the per-block overhead
/// (a family's set-up per `predict` call) is paid 128 times for 512 × 512 rows.
pub const ROW_BLOCK: usize = 2048;

/// `f` (a function pointer) hidden from the optimisers, for the loop of a batch path called once
/// per block of rows, so that the loop stays a function of its own in the wasm. A wasm engine
/// starts on baseline code and swaps in optimised code per function, at its next call: a small
/// loop function is recompiled in a millisecond and runs optimised from the next block of even a
/// caller's first batch. `#[inline(never)]` is not enough, because `wasm-opt -O3` inlines every
/// function that has one caller: inlined into the exported `predict` (≈ 23 KB with every
/// family's batch path), linear regression's loop ran baseline code for the first ten calls of
/// 512 × 512 rows in Node 20 (7 ms a call against 2 ms), the entry point taking ≈ 100 ms to
/// recompile.
#[inline(always)]
pub fn opaque<F: Copy>(f: F) -> F {
    std::hint::black_box(f)
}

/// The number of rows in `x` of `d` features each; an error when `x` does not split into them.
pub fn row_count(x: &[f64], d: usize) -> Result<usize> {
    if d == 0 || !x.len().is_multiple_of(d) {
        return Err(crate::err!(
            InvalidData,
            "internal",
            detail = format!("{len} numbers cannot be split into rows of {d} features", len = x.len(), d = d)
        ));
    }
    Ok(x.len() / d)
}

/// Each of `n` rows' largest value's index in `values` (row-major, `values.len() / n` per row;
/// ties to the first), or `None` when a row has fewer than two values (a regression).
pub fn labels_of(values: &[f64], n: usize) -> Option<Vec<u32>> {
    if n == 0 {
        return Some(Vec::new());
    }
    let width = values.len() / n;
    if width < 2 {
        return None;
    }
    Some(
        values
            .chunks_exact(width)
            .map(|row| {
                let mut best = 0;
                for (j, &v) in row.iter().enumerate().skip(1) {
                    if v > row[best] {
                        best = j;
                    }
                }
                best as u32
            })
            .collect(),
    )
}

/// [`Model::predict_rows`] by `predict` on blocks of `block` rows (at least 1), each block's
/// answer written row-major into the one output vector.
pub fn predict_rows_in_blocks<M: Model + ?Sized>(model: &M, x: &[f64], d: usize, block: usize) -> Result<Vec<f64>> {
    let n = row_count(x, d)?;
    let block = block.max(1);
    let mut out: Vec<f64> = Vec::new();
    let mut width = None;
    let mut start = 0;
    // (an empty input still goes through `predict`, which checks the feature count)
    while start < n || (n == 0 && width.is_none()) {
        let rows = block.min(n - start);
        let p = model
            .predict(&DMatrix::from_row_slice(rows, d, &x[start * d..(start + rows) * d]))
            .map_err(|e| e.rows_from(start))?;
        let k = p.ncols();
        if p.nrows() != rows || width.is_some_and(|w| w != k) {
            return Err(crate::err!(InvalidInput, "model_inconsistent"));
        }
        if width.is_none() {
            out.reserve_exact(n * k);
            width = Some(k);
        }
        // column-major p: row i's values are k apart by `rows`
        let ps = p.as_slice();
        for i in 0..rows {
            out.extend((0..k).map(|c| ps[c * rows + i]));
        }
        start += rows;
    }
    Ok(out)
}

/// `model.predict` at every point of the grid with axes `xs` (columns) and `ys` (rows), row-major
/// per point: the default of [`Model::grid_values`].
pub fn predict_grid(model: &impl Model, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
    let w = xs.len();
    let points = DMatrix::from_fn(w * ys.len(), 2, |i, j| if j == 0 { xs[i % w] } else { ys[i / w] });
    let p = model.predict(&points).ok()?;
    // nalgebra is column-major: the transpose's storage is the row-major layout.
    (p.nrows() == points.nrows()).then(|| p.transpose().as_slice().to_vec())
}

/// Checked hyper-parameters that build an untrained model.
pub trait Hyperparams {
    type Model: Model;
    /// Checks every value is in range, with a message naming the parameter.
    fn check(&self) -> Result<()>;
    /// Checks, then builds an untrained model; `seed` drives any random initialisation.
    fn build(&self, seed: u64) -> Result<Self::Model>;
    /// True when training is one instant solve (a closed form), so the page refits on every change
    /// instead of animating epochs.
    fn fits_instantly(&self) -> bool {
        false
    }
    /// The family as the page sees it: tasks, class weights, training, controls.
    fn describe() -> describe::Family
    where
        Self: Sized;
    /// The gradient-training settings, for families trained by gradient steps.
    fn train_params(&self) -> Option<&crate::optim::TrainParams> {
        None
    }
    /// True when `fit` trains by epochs ([`Model::fit_until_epoch`]): a network.
    fn fits_by_epochs(&self) -> bool {
        false
    }
    /// The class weights of the loss, for families that take them.
    fn class_weight(&self) -> Option<&weights::ClassWeight> {
        None
    }
    /// True when going from these params to `next` only re-derives a trained model, so the page
    /// refits it at once instead of starting over (a tree's pruning α re-prunes the grown tree).
    fn refits_in_place(&self, _next: &Self) -> bool
    where
        Self: Sized,
    {
        false
    }
    /// The params that describe `model` now, for families whose structure can change while they
    /// train (a network that grew), so the page's state names what it shows; `None` for families
    /// whose params never change.
    fn grown_into(_model: &Self::Model) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
}

macro_rules! registry {
    ($($variant:ident = $name:literal ($params:ty, $model:ty)),* $(,)?) => {
        /// Hyper-parameters of any registered model, tagged by `kind` in JSON.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "kind")]
        pub enum ModelParams { $(#[serde(rename = $name)] $variant($params)),* }

        /// A trained (or untrained) model of any registered family, tagged by `kind` in JSON.
        #[derive(Debug, Clone, Serialize)]
        #[serde(tag = "kind")]
        pub enum AnyModel { $(#[serde(rename = $name)] $variant($model)),* }

        /// The `kind` of a registered model.
        #[derive(Deserialize)]
        enum Kind { $(#[serde(rename = $name)] $variant),* }

        // Both read `kind` from a buffered object, then the family's own fields (see `tagged`).
        impl<'de> Deserialize<'de> for ModelParams {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let (kind, rest) = tagged::split_tag(deserializer, "kind", "internally tagged enum ModelParams")?;
                match Kind::deserialize(kind)? {
                    $(Kind::$variant => <$params>::deserialize(rest).map(ModelParams::$variant)),*
                }
            }
        }

        impl<'de> Deserialize<'de> for AnyModel {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let (kind, rest) = tagged::split_tag(deserializer, "kind", "internally tagged enum AnyModel")?;
                match Kind::deserialize(kind)? {
                    $(Kind::$variant => <$model>::deserialize(rest).map(AnyModel::$variant)),*
                }
            }
        }

        impl AnyModel {
            /// The hyper-parameters this model was built from (a network's as it grew).
            pub fn params(&self) -> ModelParams {
                match self { $(AnyModel::$variant(m) => ModelParams::$variant(m.params().clone())),* }
            }
        }

        impl ModelParams {
            pub fn check(&self) -> Result<()> {
                match self { $(ModelParams::$variant(p) => p.check()),* }
            }
            pub fn build(&self, seed: u64) -> Result<AnyModel> {
                match self { $(ModelParams::$variant(p) => Ok(AnyModel::$variant(p.build(seed)?))),* }
            }
            pub fn fits_instantly(&self) -> bool {
                match self { $(ModelParams::$variant(p) => p.fits_instantly()),* }
            }
            /// The family's description (its views, controls, …).
            pub fn family(&self) -> describe::Family {
                match self { $(ModelParams::$variant(_) => <$params as Hyperparams>::describe()),* }
            }
            /// The registry name (`"linear"`, ...).
            pub fn kind(&self) -> &'static str {
                match self { $(ModelParams::$variant(_) => $name),* }
            }
            /// True for a family that clusters (its descriptor's task is `clustering`): trained on
            /// the features alone, scored by clustering metrics.
            pub fn is_clustering(&self) -> bool {
                match self { $(ModelParams::$variant(_) => <$params as Hyperparams>::describe().tasks.contains(&describe::TaskKind::Clustering)),* }
            }
            /// The gradient-training settings of models that have them.
            pub fn train_params(&self) -> Option<&crate::optim::TrainParams> {
                match self { $(ModelParams::$variant(p) => p.train_params()),* }
            }
            /// The class weights of the loss (classifiers that take them).
            pub fn class_weight(&self) -> Option<&weights::ClassWeight> {
                match self { $(ModelParams::$variant(p) => p.class_weight()),* }
            }
            /// See [`Hyperparams::fits_by_epochs`].
            pub fn fits_by_epochs(&self) -> bool {
                match self { $(ModelParams::$variant(p) => p.fits_by_epochs()),* }
            }
        }

        impl AnyModel {
            /// See [`Hyperparams::grown_into`].
            pub fn grown_into(&self) -> Option<ModelParams> {
                match self { $(AnyModel::$variant(m) => <$params>::grown_into(m).map(ModelParams::$variant)),* }
            }
        }

        impl ModelParams {
            /// See [`Hyperparams::refits_in_place`]; false between families.
            pub fn refits_in_place(&self, next: &ModelParams) -> bool {
                match (self, next) {
                    $((ModelParams::$variant(a), ModelParams::$variant(b)) => a.refits_in_place(b),)*
                    #[allow(unreachable_patterns)]
                    _ => false,
                }
            }
            /// The default params of the family registered as `kind`.
            pub fn default_of(kind: &str) -> Option<ModelParams> {
                match kind {
                    $($name => Some(ModelParams::$variant(Default::default())),)*
                    _ => None,
                }
            }
            /// These params when their family learns `task`, else the default params of the first
            /// family registered for it (what the page switches to when the data's task changes).
            pub fn for_task(&self, task: describe::TaskKind) -> ModelParams {
                let families = families();
                if families.iter().any(|f| f.kind == self.kind() && describe::TaskKind::serves(&f.tasks, task)) {
                    return self.clone();
                }
                families
                    .iter()
                    .find(|f| f.tasks.contains(&task))
                    .and_then(|f| ModelParams::default_of(f.kind))
                    .unwrap_or_else(|| self.clone())
            }
        }

        /// Every registered family, described for the page, in registry order.
        pub fn families() -> Vec<describe::Family> {
            vec![$(<$params as Hyperparams>::describe()),*]
        }

        impl Model for AnyModel {
            fn fit(&mut self, data: &Dataset) -> Result<()> {
                match self { $(AnyModel::$variant(m) => m.fit(data)),* }
            }
            fn step(&mut self, data: &Dataset, rng: &mut Rng) -> Result<()> {
                match self { $(AnyModel::$variant(m) => m.step(data, rng)),* }
            }
            fn step_part(&mut self, data: &Dataset, rng: &mut Rng, max_rows: usize) -> Result<bool> {
                match self { $(AnyModel::$variant(m) => m.step_part(data, rng, max_rows)),* }
            }
            fn mid_epoch(&self, data: &Dataset) -> bool {
                match self { $(AnyModel::$variant(m) => m.mid_epoch(data)),* }
            }
            fn fit_part(&mut self, data: &Dataset, max_rows: usize) -> Result<bool> {
                match self { $(AnyModel::$variant(m) => m.fit_part(data, max_rows)),* }
            }
            fn fit_progress(&self) -> f64 {
                match self { $(AnyModel::$variant(m) => m.fit_progress()),* }
            }
            fn fit_until_epoch(&mut self, data: &Dataset, epoch: usize) -> Option<Result<bool>> {
                match self { $(AnyModel::$variant(m) => m.fit_until_epoch(data, epoch)),* }
            }
            fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
                match self { $(AnyModel::$variant(m) => m.predict(x)),* }
            }
            fn predict_rows(&self, x: &[f64], d: usize) -> Result<Vec<f64>> {
                match self { $(AnyModel::$variant(m) => m.predict_rows(x, d)),* }
            }
            fn label_rows(&self, x: &[f64], d: usize) -> Result<Option<Vec<u32>>> {
                match self { $(AnyModel::$variant(m) => m.label_rows(x, d)),* }
            }
            fn objective(&self, data: &Dataset) -> Result<f64> {
                match self { $(AnyModel::$variant(m) => m.objective(data)),* }
            }
            fn is_trained(&self) -> bool {
                match self { $(AnyModel::$variant(m) => m.is_trained()),* }
            }
            fn summary(&self) -> Summary {
                match self { $(AnyModel::$variant(m) => m.summary()),* }
            }
            fn is_finite(&self) -> bool {
                match self { $(AnyModel::$variant(m) => m.is_finite()),* }
            }
            fn validate(&self) -> Result<()> {
                match self { $(AnyModel::$variant(m) => m.validate()),* }
            }
            fn is_complete(&self) -> bool {
                match self { $(AnyModel::$variant(m) => m.is_complete()),* }
            }
            fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
                match self { $(AnyModel::$variant(m) => Model::grid_values(m, xs, ys)),* }
            }
            fn loss_memory(&mut self) -> Option<&mut crate::optim::LossMemory> {
                match self { $(AnyModel::$variant(m) => m.loss_memory()),* }
            }
            fn blocks(&self) -> Vec<Block> {
                match self { $(AnyModel::$variant(m) => Model::blocks(m)),* }
            }
            fn feature_importances(&self) -> Option<Vec<f64>> {
                match self { $(AnyModel::$variant(m) => Model::feature_importances(m)),* }
            }
            fn view(&self, kind: view::ViewKind, ctx: &view::ViewContext) -> Option<view::FamilyView> {
                match self { $(AnyModel::$variant(m) => Model::view(m, kind, ctx)),* }
            }
            fn thumbnails(&self, xs: &[f64], ys: &[f64]) -> Vec<view::Thumbnail> {
                match self { $(AnyModel::$variant(m) => Model::thumbnails(m, xs, ys)),* }
            }
            fn grow(&mut self, growth: view::Growth, data: &Dataset, rng: &mut Rng) -> Result<()> {
                match self { $(AnyModel::$variant(m) => Model::grow(m, growth, data, rng)),* }
            }
            fn clusters(&self, x: &DMatrix<f64>) -> Option<Result<(Vec<usize>, Vec<f64>)>> {
                match self { $(AnyModel::$variant(m) => Model::clusters(m, x)),* }
            }
        }
    };
}

registry! {
    Linear = "linear" (linear::LinearParams, linear::LinearRegression),
    Logistic = "logistic" (logistic::LogisticParams, logistic::LogisticRegression),
    Tree = "tree" (tree::TreeParams, tree::DecisionTree),
    Mlp = "mlp" (mlp::MlpParams, mlp::Mlp),
    Knn = "knn" (knn::KnnParams, knn::KNearestNeighbors),
    NaiveBayes = "naive_bayes" (naive_bayes::NaiveBayesParams, naive_bayes::GaussianNaiveBayes),
    Forest = "forest" (forest::ForestParams, forest::RandomForest),
    Boosting = "boosting" (boosting::BoostingParams, boosting::GradientBoosting),
    Ensemble = "ensemble" (ensemble::EnsembleParams, ensemble::Ensemble),
    Svm = "svm" (svm::SvmParams, svm::Svm),
    KMeans = "kmeans" (kmeans::KMeansParams, kmeans::KMeans),
}

/// The descriptor of every registered family (what the wasm's `models()` returns).
pub fn descriptor() -> describe::Descriptor {
    use crate::model::mlp::{MAX_HIDDEN_LAYERS, MAX_NEURONS};
    describe::Descriptor {
        families: families(),
        train_controls: describe::train_controls(),
        limits: describe::Limits {
            max_hidden_layers: MAX_HIDDEN_LAYERS,
            max_neurons: MAX_NEURONS,
            max_points: crate::data::generate::MAX_POINTS,
            max_csv_rows: crate::data::csv_import::MAX_ROWS,
        },
    }
}

impl AnyModel {
    /// One epoch of `step`, checked: when it fails, leaves a non-finite loss or weight, or takes
    /// the loss above [`crate::optim::DIVERGENCE_FACTOR`] (1000) × the best seen on this data,
    /// the model is put back as it was before the epoch and the error is returned. So the model
    /// kept is the last one whose loss was finite and within that factor of the best. The one
    /// guard against divergence that the page's session and the JS API share.
    pub fn guarded_step(&mut self, data: &Dataset, rng: &mut Rng) -> Result<()> {
        let mut start = None;
        while !self.guarded_step_part(data, rng, usize::MAX, &mut start)? {}
        Ok(())
    }

    /// [`AnyModel::guarded_step`] in parts ([`Model::step_part`]): `start` keeps the model as it
    /// was when the epoch under way began (taken here when an epoch starts), and the checks run
    /// when the epoch ends; a failure puts that model back. True when the epoch ended.
    pub fn guarded_step_part(
        &mut self,
        data: &Dataset,
        rng: &mut Rng,
        max_rows: usize,
        start: &mut Option<Box<AnyModel>>,
    ) -> Result<bool> {
        // Families without gradient steps (trees, neighbours, Bayes, ensembles) keep no loss
        // memory: a tree's step adds a split, its training impurity only falls.
        fn memory(model: &mut AnyModel) -> Option<&mut crate::optim::LossMemory> {
            model.loss_memory()
        }
        if !self.mid_epoch(data) || start.is_none() {
            // The first step on this data also counts the loss before it (an untrained model's
            // is the loss of its initial guess), so a first epoch that explodes is caught too.
            if memory(self).is_some_and(|m| m.is_fresh(data)) {
                if let Ok(before) = self.objective(data) {
                    if let Some(m) = memory(self) {
                        m.check(before, data).ok();
                    }
                }
            }
            *start = Some(Box::new(self.clone()));
        }
        let outcome = self.step_part(data, rng, max_rows).and_then(|ended| {
            if !ended {
                return Ok(false);
            }
            let loss = self.objective(data)?;
            if !self.is_finite() {
                return Err(crate::err!(Diverged, "diverged_weights"));
            }
            match memory(self) {
                Some(memory) => memory.check(loss, data).map(|()| true),
                None if loss.is_finite() => Ok(true),
                None => Err(crate::err!(Diverged, "diverged_loss")),
            }
        });
        match outcome {
            Ok(false) => Ok(false),
            Ok(true) => {
                *start = None;
                Ok(true)
            }
            Err(e) => {
                let site = start.as_ref().and_then(|good| divergence_site(&self.blocks(), &good.blocks()));
                if let Some(good) = start.take() {
                    *self = *good;
                }
                Err(match (e, site) {
                    (crate::error::Error::Diverged(cause), Some(b)) => b.locate(cause),
                    (e, _) => e,
                })
            }
        }
    }
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams::Linear(linear::LinearParams::default())
    }
}
