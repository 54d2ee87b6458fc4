//! Support vector machines for classification, as scikit-learn's `SVC` (libsvm's C-SVC): the same
//! support vectors, dual coefficients, intercepts and decision function on the same data.
//!
//! - Each pair of classes (one-vs-one, as `SVC`; one pair for two classes) solves the dual
//!   `min ½ αᵀQα − Σαᵢ` subject to `0 ≤ αᵢ ≤ Cᵢ`, `Σ yᵢαᵢ = 0`, with `Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ)`, by
//!   SMO with libsvm's second-order working-set selection (Fan, Chen & Lin 2005, "WSS 2"): `i`
//!   the most violating index, `j` the one that most decreases the objective with it; the pair
//!   is solved analytically and clipped to the box. It stops when the maximal violation
//!   `m(α) − M(α)` is below `tol` (libsvm's stopping rule). `Cᵢ` is `C` times the class weight
//!   of row `i`, as `class_weight`.
//! - `fit` shrinks as libsvm does (`shrinking=True`, scikit-learn's default): every
//!   `min(l, 1000)` iterations the variables at a bound that cannot move are set aside (swapped to
//!   the end of the arrays, kernel-row cache included), so selection, the gradient update and new
//!   kernel rows cover the active ones only; their gradients are rebuilt from `Ḡ` (the sum of
//!   `Cⱼ Qⱼ` over variables at the upper bound) before the optimality check that ends the run. It
//!   changes the path, not the optimum. `step` (the animation) does not shrink.
//! - The intercept is libsvm's: `−ρ`, the mean of `yᵢ∇ᵢ` over free vectors (`0 < αᵢ < Cᵢ`),
//!   else the middle of its feasible interval.
//! - Kernels: linear `u·v`, polynomial `(γ u·v + r)^degree`, RBF `exp(−γ‖u − v‖²)`, sigmoid
//!   `tanh(γ u·v + r)`; `gamma: null` is scikit-learn's `"scale"`, `1 / (d · Var(X))` on the
//!   training rows.
//! - `step` runs [`ITERATIONS_PER_STEP`] SMO iterations (one working pair each) and rebuilds the
//!   model from the current α, so the page animates the boundary settling; `fit` runs to the end.
//! - Kernel rows are computed on demand and kept in a cache of at most [`CACHE_VALUES`] numbers,
//!   in single precision as libsvm keeps them (its `Qfloat`): the optimum is that of the rounded
//!   problem, and matches libsvm's to 1e-9 where double-precision rows differ by up to 2e-5 (an RBF
//!   kernel matrix on 30 points has eigenvalues down to 4e-7, so rounding moves α).
//!
//! **Probabilities** (what `predict` returns, so the surface, log-loss and ROC have them): each
//! pair's decision value `f` becomes `P(first class | pair) = 1 / (1 + exp(A f + B))` with `A`, `B`
//! fitted by libsvm's Platt scaling (Lin, Lin & Weng 2007) **on the training decision values**,
//! and more than two classes are coupled as libsvm does (Wu, Lin & Weng 2004, method 2).
//! scikit-learn's `probability=True` fits `A`, `B` on 5-fold cross-validated decision values with
//! its own random folds, so its probabilities differ and are not claimed; the decision function
//! (and so the support vectors, coefficients and intercepts) is what matches. The predicted class
//! is the most probable one, which can differ from `SVC.predict`'s vote near the boundary.

mod grid;

use super::weights::{self, ClassWeight};
use super::{Hyperparams, Model, Summary};
use crate::data::{Dataset, Rng, Task};
use crate::error::{check_count, check_range, Result};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The kernel `K(u, v)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    Linear,
    Poly,
    #[default]
    Rbf,
    Sigmoid,
}

/// Hyper-parameters of [`Svm`] (scikit-learn's `SVC` names and defaults; `c` is its `C`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SvmParams {
    pub kernel: Kernel,
    /// The penalty of a margin violation, above 0 (up to 10⁶).
    pub c: f64,
    /// The kernel's γ (RBF, polynomial, sigmoid); `None` is `"scale"`: `1 / (d · Var(X))`.
    pub gamma: Option<f64>,
    /// The polynomial kernel's degree, 1 to 10.
    pub degree: usize,
    /// The polynomial and sigmoid kernels' constant `r`.
    pub coef0: f64,
    /// The stopping tolerance on the maximal KKT violation.
    pub tol: f64,
    pub class_weight: Option<ClassWeight>,
    /// Regression (ε-SVR): the half-width ε of the tube inside which errors cost nothing, 0 or more.
    pub epsilon: f64,
}

impl Default for SvmParams {
    fn default() -> Self {
        SvmParams {
            kernel: Kernel::Rbf,
            c: 1.0,
            gamma: None,
            degree: 3,
            coef0: 0.0,
            tol: 1e-3,
            class_weight: None,
            epsilon: 0.1,
        }
    }
}

/// SMO iterations per `step`.
pub const ITERATIONS_PER_STEP: usize = 10;
/// The kernel-row cache holds at most this many numbers (64 MB; scikit-learn's default is 200 MB).
pub const CACHE_VALUES: usize = 1 << 24;
/// The most training points an SVM trains on (kernel methods grow with n²).
pub const MAX_POINTS: usize = 20_000;
/// The most features, classes and support-vector numbers a model file may have.
const MAX_FEATURES: usize = 10_000;
const MAX_CLASSES: usize = 100;
const MAX_VALUES: usize = 1 << 22;
/// libsvm's τ: the smallest curvature a working pair is given.
const TAU: f64 = 1e-12;

impl Hyperparams for SvmParams {
    type Model = Svm;

    fn check(&self) -> Result<()> {
        if !(self.c.is_finite() && self.c > 0.0 && self.c <= 1e6) {
            return Err(err!(InvalidParameter, "param_above_zero", param = "c", max = 1e6, got = self.c));
        }
        if let Some(gamma) = self.gamma {
            if !(gamma.is_finite() && gamma > 0.0 && gamma <= 1e4) {
                return Err(err!(InvalidParameter, "svm_gamma_range", got = gamma));
            }
        }
        if !(self.epsilon.is_finite() && self.epsilon >= 0.0 && self.epsilon <= 1e6) {
            return Err(err!(InvalidParameter, "svm_epsilon_range", got = self.epsilon));
        }
        check_count("degree", self.degree, 1, 10)?;
        check_range("coef0", self.coef0, -1000.0, 1000.0)?;
        if !(self.tol.is_finite() && self.tol >= 1e-12 && self.tol <= 1.0) {
            return Err(err!(InvalidParameter, "param_range", param = "tol", min = 1e-12, max = 1.0, got = self.tol));
        }
        weights::check(self.class_weight.as_ref())
    }

    fn build(&self, _seed: u64) -> Result<Svm> {
        self.check()?;
        Ok(Svm { params: self.clone(), ..Svm::default() })
    }

    fn describe() -> super::describe::Family {
        use super::describe::{numbers, Animation, Control, Family, Show, TaskKind, Value};
        use super::view::ViewKind;
        let kernel_is = |k: &'static str| Show::Equals("kernel", Value::Text(k));
        Family {
            kind: "svm",
            tasks: vec![TaskKind::Classification, TaskKind::Regression],
            class_weight: true,
            animation: Animation::Epochs,
            views: vec![ViewKind::Rings, ViewKind::Tube],
            controls: vec![
                Control::select("kernel", vec!["rbf".into(), "linear".into(), "poly".into(), "sigmoid".into()]),
                Control::select("c", numbers(&[0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, 1000.0])),
                Control::select(
                    "gamma",
                    std::iter::once(Value::Null).chain(numbers(&[0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0])).collect(),
                )
                .when(Show::Differs("kernel", Value::Text("linear"))),
                Control::select("degree", numbers(&[2.0, 3.0, 4.0, 5.0])).when(kernel_is("poly")),
                Control::select("coef0", numbers(&[0.0, 0.5, 1.0, 2.0])).when(Show::All(vec![
                    Show::Differs("kernel", Value::Text("linear")),
                    Show::Differs("kernel", Value::Text("rbf")),
                ])),
                Control::select("epsilon", numbers(&[0.0, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0]))
                    .when(Show::Task(TaskKind::Regression)),
            ],
            ..Family::default()
        }
    }

    fn class_weight(&self) -> Option<&ClassWeight> {
        self.class_weight.as_ref()
    }
}

/// One pair of classes' binary machine: `f(x) = Σₜ coef[t]·K(sv[t], x) − ρ`, positive for the
/// first class. `coef[t] = yₜαₜ` with `y = +1` for the first class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub classes: (usize, usize),
    /// Indices into the model's support vectors.
    pub sv: Vec<usize>,
    pub coef: Vec<f64>,
    pub rho: f64,
    /// Platt scaling: `P(first class) = 1 / (1 + exp(A f + B))`.
    pub platt: (f64, f64),
}

/// A trained (or untrained) support vector classifier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Svm {
    params: SvmParams,
    n_features: usize,
    n_classes: usize,
    /// The γ in use (`params.gamma`, or "scale" resolved on the training rows).
    gamma: f64,
    /// Support vectors, row-major (`n_sv × n_features`), ordered by class then training row.
    support: Vec<f64>,
    /// The training row of each support vector.
    support_index: Vec<usize>,
    /// The class of each support vector (0 for regression).
    support_class: Vec<usize>,
    /// Regression (ε-SVR): one machine `f(x) = Σₜ (αₜ − αₜ*)·K(sv[t], x) − ρ`, no classes.
    #[serde(default)]
    regression: bool,
    /// Regression: the training target of each support vector (where the plot rings it).
    #[serde(default)]
    support_target: Vec<f64>,
    pairs: Vec<Pair>,
    /// SMO iterations run so far (over all pairs).
    iterations: u64,
    #[serde(skip)]
    solver: Option<Box<Solver>>,
}

impl PartialEq for Svm {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
            && self.n_features == other.n_features
            && self.n_classes == other.n_classes
            && self.gamma == other.gamma
            && self.support == other.support
            && self.support_index == other.support_index
            && self.pairs == other.pairs
            && self.regression == other.regression
            && self.support_target == other.support_target
    }
}

/// The kernel with its constants resolved.
#[derive(Debug, Clone, Copy)]
struct KernelFn {
    kind: Kernel,
    gamma: f64,
    coef0: f64,
    degree: i32,
}

impl KernelFn {
    /// `K(u, v)`; `uu` and `vv` are the squared norms (used by RBF).
    #[inline]
    fn eval(&self, u: &[f64], v: &[f64], uu: f64, vv: f64) -> f64 {
        let dot: f64 = u.iter().zip(v).map(|(a, b)| a * b).sum();
        match self.kind {
            Kernel::Linear => dot,
            Kernel::Poly => (self.gamma * dot + self.coef0).powi(self.degree),
            Kernel::Rbf => (-self.gamma * (uu + vv - 2.0 * dot).max(0.0)).exp(),
            Kernel::Sigmoid => (self.gamma * dot + self.coef0).tanh(),
        }
    }
}

/// SMO's state for one pair of classes.
#[derive(Debug, Clone)]
struct PairSolver {
    classes: (usize, usize),
    /// Training rows of the two classes, in row order.
    rows: Vec<usize>,
    y: Vec<f64>,
    c: Vec<f64>,
    /// The dual's linear term `pᵢ` (`min ½ αᵀQα + pᵀα`): −1 for classification; `ε − yᵢ` and
    /// `ε + yᵢ` for a regression's two copies of each row.
    p: Vec<f64>,
    /// Each variable's place before shrinking moved it (restored by `finish`).
    origin: Vec<usize>,
    alpha: Vec<f64>,
    grad: Vec<f64>,
    /// `Qᵢᵢ = K(xᵢ, xᵢ)`.
    qd: Vec<f64>,
    cache: RowCache,
    done: bool,
    /// Shrinking (libsvm's names): variables `active..` are set aside; `g_bar` is `Ḡ`, `Σ Cⱼ Qⱼ`
    /// over the variables at their upper bound; `counter` counts down to the next shrink;
    /// `unshrink` is set once the gradients were rebuilt near the end.
    active: usize,
    g_bar: Vec<f64>,
    counter: usize,
    unshrink: bool,
}

impl PairSolver {
    fn upper(&self, t: usize) -> bool {
        self.alpha[t] >= self.c[t]
    }

    fn lower(&self, t: usize) -> bool {
        self.alpha[t] <= 0.0
    }

    /// libsvm's `be_shrunk`: a variable at a bound whose gradient points out of the box by more than
    /// the current maximal violation.
    fn be_shrunk(&self, t: usize, gmax1: f64, gmax2: f64) -> bool {
        let (g, pos) = (self.grad[t], self.y[t] > 0.0);
        if self.upper(t) {
            -g > if pos { gmax1 } else { gmax2 }
        } else if self.lower(t) {
            g > if pos { gmax2 } else { gmax1 }
        } else {
            false
        }
    }

    /// Exchanges variables `i < j` everywhere (libsvm's `swap_index`).
    fn swap(&mut self, i: usize, j: usize) {
        self.rows.swap(i, j);
        self.y.swap(i, j);
        self.c.swap(i, j);
        self.p.swap(i, j);
        self.origin.swap(i, j);
        self.alpha.swap(i, j);
        self.grad.swap(i, j);
        self.qd.swap(i, j);
        self.g_bar.swap(i, j);
        self.cache.swap(i, j);
    }
}

/// Rows of `Q` computed on demand, the least recently used dropped first past the budget (as
/// libsvm's cache). A row may hold only its first entries (those of the active variables when it
/// was computed). `order` holds `(row, stamp)` per use; an entry whose stamp is no longer the
/// row's is stale and skipped. `live` lists the cached rows (`slot[r]` is row `r`'s place in it).
#[derive(Debug, Clone, Default)]
struct RowCache {
    rows: Vec<Option<Vec<f32>>>,
    stamp: Vec<u64>,
    order: VecDeque<(usize, u64)>,
    clock: u64,
    live: Vec<usize>,
    slot: Vec<usize>,
    capacity: usize,
}

impl RowCache {
    fn new(l: usize) -> RowCache {
        RowCache {
            rows: vec![None; l],
            stamp: vec![0; l],
            slot: vec![usize::MAX; l],
            capacity: (CACHE_VALUES / l.max(1)).max(2),
            ..RowCache::default()
        }
    }

    fn insert(&mut self, i: usize, row: Vec<f32>) {
        self.rows[i] = Some(row);
        self.slot[i] = self.live.len();
        self.live.push(i);
        self.touch(i);
    }

    fn evict(&mut self, r: usize) {
        self.rows[r] = None;
        let s = std::mem::replace(&mut self.slot[r], usize::MAX);
        self.live.swap_remove(s);
        if let Some(&moved) = self.live.get(s) {
            self.slot[moved] = s;
        }
    }

    /// Marks row `i` as just used.
    fn touch(&mut self, i: usize) {
        self.clock += 1;
        self.stamp[i] = self.clock;
        self.order.push_back((i, self.clock));
        // drop stale entries now and then, so `order` stays near the cache's size
        if self.order.len() > 4 * self.capacity + 64 {
            let (stamp, rows) = (&self.stamp, &self.rows);
            self.order.retain(|&(r, s)| stamp[r] == s && rows[r].is_some());
        }
    }

    /// Drops the least recently used rows other than `keep` until one more fits.
    fn make_room(&mut self, keep: usize) {
        while self.live.len() >= self.capacity {
            let Some((r, s)) = self.order.pop_front() else { break };
            if self.stamp[r] != s || self.rows[r].is_none() {
                continue;
            }
            if r == keep {
                self.order.push_back((r, s));
                if self.order.len() == 1 {
                    break;
                }
                continue;
            }
            self.evict(r);
        }
    }

    /// Exchanges variables `i < j` in the cache: the two rows change places, and in every cached
    /// row entries `i` and `j` change places; a row holding `i` but not `j` is dropped (libsvm's
    /// `Cache::swap_index`).
    fn swap(&mut self, i: usize, j: usize) {
        self.rows.swap(i, j);
        self.stamp.swap(i, j);
        self.slot.swap(i, j);
        // the two rows' entries in `order` went stale with the swap: give them fresh ones
        for t in [i, j] {
            if self.rows[t].is_some() {
                self.live[self.slot[t]] = t;
                self.touch(t);
            }
        }
        // backwards, so a row dropped (swapped out of `live`) is replaced by one already seen
        for k in (0..self.live.len()).rev() {
            let r = self.live[k];
            let Some(row) = self.rows[r].as_mut() else { continue };
            if row.len() > j {
                row.swap(i, j);
            } else if row.len() > i {
                self.evict(r);
            }
        }
    }

    /// Drops every row (when the solver is done).
    fn clear(&mut self) {
        *self = RowCache { capacity: self.capacity, ..RowCache::default() };
    }
}

/// Everything SMO needs between steps: the training rows and each pair's state.
#[derive(Debug, Clone)]
struct Solver {
    x: Vec<f64>,
    sq: Vec<f64>,
    d: usize,
    kernel: KernelFn,
    pairs: Vec<PairSolver>,
    max_iterations: u64,
    /// Shrink (in `fit`; not while animating, where the model is rebuilt from α every step).
    shrinking: bool,
    /// Rows and a checksum of the data it was set up on.
    fingerprint: (usize, u64),
    /// Regression: the training targets (empty for classification).
    target: Vec<f64>,
}

fn fingerprint(data: &Dataset) -> (usize, u64) {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for v in data.x.iter().chain(data.y.iter()) {
        h = (h ^ v.to_bits()).wrapping_mul(0x100_0000_01b3);
    }
    (data.len(), h)
}

impl Solver {
    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.d..(i + 1) * self.d]
    }

    fn k(&self, a: usize, b: usize) -> f64 {
        self.kernel.eval(self.row(a), self.row(b), self.sq[a], self.sq[b])
    }

    /// Makes sure at least the first `len` entries of row `i` of pair `p`'s `Q` are cached (never
    /// dropping row `keep`).
    fn load(&mut self, p: usize, i: usize, len: usize, keep: usize) {
        let have = self.pairs[p].cache.rows[i].as_ref().map_or(0, Vec::len);
        if have >= len {
            self.pairs[p].cache.touch(i);
            return;
        }
        let pair = &self.pairs[p];
        let gi = pair.rows[i];
        let yi = pair.y[i];
        let more: Vec<f32> = if self.kernel.kind == Kernel::Rbf {
            // RBF rows in two passes: the exponents (‖u‖² + ‖v‖² − 2u·v from the stored squared
            // norms), then the vectorised `fast_math::exp_in_place` over the whole row instead of
            // a libm call per entry (a software routine in WebAssembly, most of a fit's time);
            // within 1e-15 relative of the standard `exp`, far below the f32 the row is kept in
            let (u, uu, gamma) = (self.row(gi), self.sq[gi], self.kernel.gamma);
            let mut k: Vec<f64> = pair.rows[have..len]
                .iter()
                .map(|&gj| {
                    let dot: f64 = u.iter().zip(self.row(gj)).map(|(a, b)| a * b).sum();
                    -gamma * (uu + self.sq[gj] - 2.0 * dot).max(0.0)
                })
                .collect();
            super::fast_math::exp_in_place(&mut k);
            k.iter().zip(&pair.y[have..len]).map(|(&k, &yj)| (yi * yj * k) as f32).collect()
        } else {
            pair.rows[have..len]
                .iter()
                .zip(&pair.y[have..len])
                .map(|(&gj, &yj)| (yi * yj * self.k(gi, gj)) as f32)
                .collect()
        };
        let cache = &mut self.pairs[p].cache;
        match cache.rows[i].as_mut() {
            Some(row) => {
                row.extend(more);
                cache.touch(i);
            }
            None => {
                cache.make_room(keep);
                cache.insert(i, more);
            }
        }
    }

    /// libsvm's WSS 2: `Some((i, j))`, or `None` when the violation is below `tol`.
    fn select(&mut self, p: usize, tol: f64) -> Option<(usize, usize)> {
        let pair = &self.pairs[p];
        let active = pair.active;
        let (mut gmax, mut gmax_idx) = (f64::NEG_INFINITY, None);
        for t in 0..active {
            let v = if pair.y[t] > 0.0 {
                (pair.alpha[t] < pair.c[t]).then(|| -pair.grad[t])
            } else {
                (pair.alpha[t] > 0.0).then_some(pair.grad[t])
            };
            if let Some(v) = v.filter(|&v| v >= gmax) {
                gmax = v;
                gmax_idx = Some(t);
            }
        }
        let i = gmax_idx?;
        self.load(p, i, active, i);
        let pair = &self.pairs[p];
        let qi = pair.cache.rows[i].as_deref()?;
        let (mut gmax2, mut best, mut obj_min) = (f64::NEG_INFINITY, None, f64::INFINITY);
        for j in 0..active {
            let (grad_diff, quad) = if pair.y[j] > 0.0 {
                if pair.alpha[j] <= 0.0 {
                    continue;
                }
                gmax2 = gmax2.max(pair.grad[j]);
                (gmax + pair.grad[j], pair.qd[i] + pair.qd[j] - 2.0 * pair.y[i] * f64::from(qi[j]))
            } else {
                if pair.alpha[j] >= pair.c[j] {
                    continue;
                }
                gmax2 = gmax2.max(-pair.grad[j]);
                (gmax - pair.grad[j], pair.qd[i] + pair.qd[j] + 2.0 * pair.y[i] * f64::from(qi[j]))
            };
            if grad_diff > 0.0 {
                let obj = -(grad_diff * grad_diff) / if quad > 0.0 { quad } else { TAU };
                if obj <= obj_min {
                    obj_min = obj;
                    best = Some(j);
                }
            }
        }
        if gmax + gmax2 < tol {
            return None;
        }
        best.map(|j| (i, j))
    }

    /// One analytic update of `(αᵢ, αⱼ)` and the gradient (libsvm's `Solve` loop body).
    fn update(&mut self, p: usize, i: usize, j: usize) {
        let active = self.pairs[p].active;
        self.load(p, i, active, j);
        self.load(p, j, active, i);
        let pair = &mut self.pairs[p];
        let (upper_i, upper_j) = (pair.upper(i), pair.upper(j));
        let (Some(qi), Some(qj)) = (pair.cache.rows[i].as_ref(), pair.cache.rows[j].as_ref()) else { return };
        let (ci, cj) = (pair.c[i], pair.c[j]);
        let (old_i, old_j) = (pair.alpha[i], pair.alpha[j]);
        let (mut ai, mut aj) = (old_i, old_j);
        if pair.y[i] != pair.y[j] {
            let quad = pair.qd[i] + pair.qd[j] + 2.0 * f64::from(qi[j]);
            let quad = if quad <= 0.0 { TAU } else { quad };
            let delta = (-pair.grad[i] - pair.grad[j]) / quad;
            let diff = ai - aj;
            ai += delta;
            aj += delta;
            if diff > 0.0 {
                if aj < 0.0 {
                    aj = 0.0;
                    ai = diff;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = -diff;
            }
            if diff > ci - cj {
                if ai > ci {
                    ai = ci;
                    aj = ci - diff;
                }
            } else if aj > cj {
                aj = cj;
                ai = cj + diff;
            }
        } else {
            let quad = pair.qd[i] + pair.qd[j] - 2.0 * f64::from(qi[j]);
            let quad = if quad <= 0.0 { TAU } else { quad };
            let delta = (pair.grad[i] - pair.grad[j]) / quad;
            let sum = ai + aj;
            ai -= delta;
            aj += delta;
            if sum > ci {
                if ai > ci {
                    ai = ci;
                    aj = sum - ci;
                }
            } else if aj < 0.0 {
                aj = 0.0;
                ai = sum;
            }
            if sum > cj {
                if aj > cj {
                    aj = cj;
                    ai = sum - cj;
                }
            } else if ai < 0.0 {
                ai = 0.0;
                aj = sum;
            }
        }
        let (di, dj) = (ai - old_i, aj - old_j);
        for ((g, a), b) in pair.grad[..active].iter_mut().zip(qi).zip(qj) {
            *g += f64::from(*a) * di + f64::from(*b) * dj;
        }
        pair.alpha[i] = ai;
        pair.alpha[j] = aj;
        if self.shrinking {
            // keep Ḡ: a variable that reached or left its upper bound adds or removes Cₜ·Qₜ
            for (t, other, was_upper) in [(i, j, upper_i), (j, i, upper_j)] {
                if self.pairs[p].upper(t) != was_upper {
                    let l = self.pairs[p].rows.len();
                    self.load(p, t, l, other);
                    let pair = &mut self.pairs[p];
                    let Some(qt) = pair.cache.rows[t].as_ref() else { continue };
                    let ct = if was_upper { -pair.c[t] } else { pair.c[t] };
                    for (g, q) in pair.g_bar.iter_mut().zip(qt) {
                        *g += ct * f64::from(*q);
                    }
                }
            }
        }
    }

    /// libsvm's `reconstruct_gradient`: the gradients of the variables set aside, from `Ḡ` and the
    /// free variables.
    fn reconstruct(&mut self, p: usize) {
        let (active, l) = (self.pairs[p].active, self.pairs[p].rows.len());
        if active == l {
            return;
        }
        let pair = &mut self.pairs[p];
        for t in active..l {
            pair.grad[t] = pair.g_bar[t] + pair.p[t];
        }
        let free = |pair: &PairSolver, t: usize| !pair.upper(t) && !pair.lower(t);
        let n_free = (0..active).filter(|&t| free(pair, t)).count();
        if n_free * l > 2 * active * (l - active) {
            for i in active..l {
                self.load(p, i, active, i);
                let pair = &mut self.pairs[p];
                let Some(qi) = pair.cache.rows[i].as_ref() else { continue };
                // one term at a time into ∇ᵢ, as libsvm rounds
                let mut g = pair.grad[i];
                for t in (0..active).filter(|&t| free(pair, t)) {
                    g += pair.alpha[t] * f64::from(qi[t]);
                }
                pair.grad[i] = g;
            }
        } else {
            for i in 0..active {
                if !free(&self.pairs[p], i) {
                    continue;
                }
                self.load(p, i, l, i);
                let pair = &mut self.pairs[p];
                let Some(qi) = pair.cache.rows[i].as_ref() else { continue };
                let a = pair.alpha[i];
                for (g, q) in pair.grad[active..].iter_mut().zip(&qi[active..l]) {
                    *g += a * f64::from(*q);
                }
            }
        }
    }

    /// libsvm's `do_shrinking`.
    fn shrink(&mut self, p: usize, tol: f64) {
        let pair = &self.pairs[p];
        let (mut gmax1, mut gmax2) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for t in 0..pair.active {
            let g = pair.grad[t];
            let (up, down) = if pair.y[t] > 0.0 { (-g, g) } else { (g, -g) };
            if pair.y[t] > 0.0 {
                if !pair.upper(t) {
                    gmax1 = gmax1.max(up);
                }
                if !pair.lower(t) {
                    gmax2 = gmax2.max(down);
                }
            } else {
                if !pair.upper(t) {
                    gmax2 = gmax2.max(down);
                }
                if !pair.lower(t) {
                    gmax1 = gmax1.max(up);
                }
            }
        }
        if !pair.unshrink && gmax1 + gmax2 <= tol * 10.0 {
            self.pairs[p].unshrink = true;
            self.reconstruct(p);
            self.pairs[p].active = self.pairs[p].rows.len();
        }
        let pair = &mut self.pairs[p];
        let mut i = 0;
        while i < pair.active {
            if pair.be_shrunk(i, gmax1, gmax2) {
                pair.active -= 1;
                while pair.active > i {
                    if !pair.be_shrunk(pair.active, gmax1, gmax2) {
                        pair.swap(i, pair.active);
                        break;
                    }
                    pair.active -= 1;
                }
            }
            i += 1;
        }
    }

    /// The next working pair of pair `p`, shrinking on schedule and checking optimality over every
    /// variable before giving up (libsvm's main loop); `None` when `p` is solved.
    fn next(&mut self, p: usize, tol: f64) -> Option<(usize, usize)> {
        let l = self.pairs[p].rows.len();
        if self.shrinking {
            let pair = &mut self.pairs[p];
            pair.counter -= 1;
            if pair.counter == 0 {
                pair.counter = l.min(1000);
                self.shrink(p, tol);
            }
        }
        if let Some(ij) = self.select(p, tol) {
            return Some(ij);
        }
        if self.pairs[p].active == l {
            return None;
        }
        self.reconstruct(p);
        self.pairs[p].active = l;
        let ij = self.select(p, tol)?;
        self.pairs[p].counter = 1;
        Some(ij)
    }

    /// Marks pair `p` solved: every gradient rebuilt, the variables back in row order, the cache
    /// dropped.
    fn finish(&mut self, p: usize) {
        self.reconstruct(p);
        let pair = &mut self.pairs[p];
        pair.active = pair.rows.len();
        pair.done = true;
        let mut order: Vec<usize> = (0..pair.rows.len()).collect();
        order.sort_unstable_by_key(|&t| pair.origin[t]);
        if order.iter().enumerate().any(|(k, &t)| k != t) {
            let take = |v: &Vec<f64>| order.iter().map(|&t| v[t]).collect::<Vec<f64>>();
            (pair.y, pair.c, pair.p, pair.alpha, pair.grad, pair.qd, pair.g_bar) = (
                take(&pair.y),
                take(&pair.c),
                take(&pair.p),
                take(&pair.alpha),
                take(&pair.grad),
                take(&pair.qd),
                take(&pair.g_bar),
            );
            pair.rows = order.iter().map(|&t| pair.rows[t]).collect();
            pair.origin = (0..pair.rows.len()).collect();
        }
        pair.cache.clear();
    }

    /// libsvm's ρ.
    fn rho(pair: &PairSolver) -> f64 {
        let (mut ub, mut lb, mut free, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0usize, 0.0);
        for t in 0..pair.alpha.len() {
            let yg = pair.y[t] * pair.grad[t];
            if pair.alpha[t] >= pair.c[t] {
                if pair.y[t] < 0.0 {
                    ub = ub.min(yg);
                } else {
                    lb = lb.max(yg);
                }
            } else if pair.alpha[t] <= 0.0 {
                if pair.y[t] > 0.0 {
                    ub = ub.min(yg);
                } else {
                    lb = lb.max(yg);
                }
            } else {
                free += 1;
                sum += yg;
            }
        }
        if free > 0 {
            sum / free as f64
        } else {
            (ub + lb) / 2.0
        }
    }

    /// Runs up to `budget` SMO iterations over the pairs in order; returns those run.
    fn run(&mut self, tol: f64, budget: u64, done_so_far: u64) -> u64 {
        let mut used = 0;
        for p in 0..self.pairs.len() {
            while !self.pairs[p].done && used < budget {
                if done_so_far + used >= self.max_iterations {
                    self.finish(p);
                    break;
                }
                match self.next(p, tol) {
                    Some((i, j)) => {
                        self.update(p, i, j);
                        used += 1;
                    }
                    None => self.finish(p),
                }
            }
        }
        used
    }

    fn complete(&self) -> bool {
        self.pairs.iter().all(|p| p.done)
    }
}

/// libsvm's `sigmoid_train`: Platt's `A`, `B` for decision values `dec` with labels `positive`.
fn platt(dec: &[f64], positive: &[bool]) -> (f64, f64) {
    let prior1 = positive.iter().filter(|&&p| p).count() as f64;
    let prior0 = dec.len() as f64 - prior1;
    let (hi, lo) = ((prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0));
    let t: Vec<f64> = positive.iter().map(|&p| if p { hi } else { lo }).collect();
    let objective = |a: f64, b: f64| -> f64 {
        dec.iter()
            .zip(&t)
            .map(|(&f, &t)| {
                let z = f * a + b;
                if z >= 0.0 {
                    t * z + (-z).exp().ln_1p()
                } else {
                    (t - 1.0) * z + z.exp().ln_1p()
                }
            })
            .sum()
    };
    let (mut a, mut b) = (0.0, ((prior0 + 1.0) / (prior1 + 1.0)).ln());
    let mut fval = objective(a, b);
    for _ in 0..100 {
        let (mut h11, mut h22, mut h21, mut g1, mut g2) = (1e-12, 1e-12, 0.0, 0.0, 0.0);
        for (&f, &t) in dec.iter().zip(&t) {
            let z = f * a + b;
            let (p, q) = if z >= 0.0 {
                let e = (-z).exp();
                (e / (1.0 + e), 1.0 / (1.0 + e))
            } else {
                let e = z.exp();
                (1.0 / (1.0 + e), e / (1.0 + e))
            };
            let d2 = p * q;
            h11 += f * f * d2;
            h22 += d2;
            h21 += f * d2;
            let d1 = t - p;
            g1 += f * d1;
            g2 += d1;
        }
        if g1.abs() < 1e-5 && g2.abs() < 1e-5 {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        let (da, db) = (-(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det);
        let gd = g1 * da + g2 * db;
        let mut step = 1.0;
        while step >= 1e-10 {
            let (na, nb) = (a + step * da, b + step * db);
            let nf = objective(na, nb);
            if nf < fval + 1e-4 * step * gd {
                (a, b, fval) = (na, nb, nf);
                break;
            }
            step /= 2.0;
        }
        if step < 1e-10 {
            break;
        }
    }
    if a.is_finite() && b.is_finite() {
        (a, b)
    } else {
        (0.0, 0.0)
    }
}

/// `P(first class)` from a decision value (libsvm's `sigmoid_predict`), kept inside
/// `[1e-7, 1 − 1e-7]` as libsvm does before coupling.
fn platt_probability(f: f64, (a, b): (f64, f64)) -> f64 {
    let z = f * a + b;
    let p = if z >= 0.0 { (-z).exp() / (1.0 + (-z).exp()) } else { 1.0 / (1.0 + z.exp()) };
    p.clamp(1e-7, 1.0 - 1e-7)
}

/// libsvm's `multiclass_probability`: class probabilities from pairwise ones `r[i][j] = P(i | i
/// or j)` (Wu, Lin & Weng 2004, method 2).
fn couple(r: &[Vec<f64>]) -> Vec<f64> {
    let k = r.len();
    let mut q = vec![vec![0.0; k]; k];
    for t in 0..k {
        for j in 0..k {
            if j != t {
                q[t][t] += r[j][t] * r[j][t];
                q[t][j] = -r[j][t] * r[t][j];
            }
        }
    }
    let mut p = vec![1.0 / k as f64; k];
    let mut qp = vec![0.0; k];
    let mut pqp = 0.0;
    for t in 0..k {
        qp[t] = (0..k).map(|j| q[t][j] * p[j]).sum();
        pqp += p[t] * qp[t];
    }
    let eps = 0.005 / k as f64;
    for _ in 0..k.max(100) {
        if qp.iter().map(|v| (v - pqp).abs()).fold(0.0, f64::max) < eps {
            break;
        }
        for t in 0..k {
            let diff = (-qp[t] + pqp) / q[t][t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t][t] + 2.0 * qp[t])) / (1.0 + diff) / (1.0 + diff);
            for j in 0..k {
                qp[j] = (qp[j] + diff * q[t][j]) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
    p
}

impl Svm {
    pub fn params(&self) -> &SvmParams {
        &self.params
    }

    pub fn n_features(&self) -> usize {
        self.n_features
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The support vectors, row-major (`n_sv × n_features`), in [`Svm::support_indices`]' order.
    pub fn support_vectors(&self) -> &[f64] {
        &self.support
    }

    /// The γ in use (after resolving `"scale"`).
    pub fn gamma(&self) -> f64 {
        self.gamma
    }

    /// True for a regression machine (ε-SVR, scikit-learn's `SVR`).
    pub fn is_regression(&self) -> bool {
        self.regression
    }

    /// The kernel and its constants in use: kind, γ (resolved), `coef0`, degree.
    pub fn kernel_constants(&self) -> (Kernel, f64, f64, usize) {
        (self.params.kernel, self.gamma, self.params.coef0, self.params.degree)
    }

    /// The training rows of the support vectors, by class then row (scikit-learn's `support_`).
    pub fn support_indices(&self) -> &[usize] {
        &self.support_index
    }

    /// Support vectors per class (scikit-learn's `n_support_`).
    pub fn n_support(&self) -> Vec<usize> {
        (0..self.n_classes).map(|c| self.support_class.iter().filter(|&&k| k == c).count()).collect()
    }

    /// The one-vs-one machines, pairs `(i, j)` with `i < j` in scikit-learn's order.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// The dual coefficients in scikit-learn's layout (`dual_coef_`, `n_classes − 1` rows aligned
    /// with [`Svm::support_indices`]): a support vector of class `c` has, in row `r`, its
    /// coefficient in the machine of `c` against the `r`-th other class. For two classes the sign
    /// is scikit-learn's (positive decision values mean class 1).
    pub fn dual_coef(&self) -> Vec<Vec<f64>> {
        if self.regression {
            return self.pairs.iter().map(|p| p.coef.clone()).collect();
        }
        let k = self.n_classes;
        let mut rows = vec![vec![0.0; self.support_index.len()]; k.saturating_sub(1)];
        let sign = if k == 2 { -1.0 } else { 1.0 };
        for pair in &self.pairs {
            let (i, j) = pair.classes;
            for (&s, &c) in pair.sv.iter().zip(&pair.coef) {
                let row = if self.support_class[s] == i { j - 1 } else { i };
                if let Some(v) = rows.get_mut(row).and_then(|r| r.get_mut(s)) {
                    *v = sign * c;
                }
            }
        }
        rows
    }

    /// The intercepts in scikit-learn's orientation (`intercept_`, one per pair).
    pub fn intercepts(&self) -> Vec<f64> {
        let sign = if self.n_classes == 2 { 1.0 } else { -1.0 };
        if self.regression {
            return self.pairs.iter().map(|p| -p.rho).collect();
        }
        self.pairs.iter().map(|p| sign * p.rho).collect()
    }

    /// scikit-learn's `decision_function`: for two classes one column, positive for class 1; for
    /// more, one column per pair `(i, j)` in order, positive for class `i`
    /// (`decision_function_shape="ovo"`).
    pub fn decision_function(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let values = self.pair_values(x)?;
        let sign = if !self.regression && self.pairs.len() == 1 && self.n_classes == 2 { -1.0 } else { 1.0 };
        Ok(values * sign)
    }

    /// Class probabilities (n × classes) from each pair's decision values (n × pairs): Platt
    /// scaling, coupled for more than two classes.
    fn probabilities(&self, values: &DMatrix<f64>) -> DMatrix<f64> {
        let k = self.n_classes;
        let mut out = DMatrix::zeros(values.nrows(), k);
        // the classes that have machines (those present in training); the others get 0
        let mut present: Vec<usize> = self.pairs.iter().flat_map(|p| [p.classes.0, p.classes.1]).collect();
        present.sort_unstable();
        present.dedup();
        let m = present.len();
        let slot = |c: usize| present.binary_search(&c).unwrap_or(0);
        let mut r = vec![vec![0.0; m]; m];
        for i in 0..values.nrows() {
            if m == 2 {
                let p = platt_probability(values[(i, 0)], self.pairs[0].platt);
                out[(i, present[0])] = p;
                out[(i, present[1])] = 1.0 - p;
                continue;
            }
            for (p, pair) in self.pairs.iter().enumerate() {
                let (a, b) = (slot(pair.classes.0), slot(pair.classes.1));
                let q = platt_probability(values[(i, p)], pair.platt);
                r[a][b] = q;
                r[b][a] = 1.0 - q;
            }
            for (s, prob) in couple(&r).into_iter().enumerate() {
                out[(i, present[s])] = prob;
            }
        }
        out
    }

    fn kernel(&self) -> KernelFn {
        KernelFn {
            kind: self.params.kernel,
            gamma: self.gamma,
            coef0: self.params.coef0,
            degree: self.params.degree as i32,
        }
    }

    /// Each pair's `f(x)` (positive: its first class), n × pairs.
    fn pair_values(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if !self.is_trained() {
            return Err(err!(InvalidData, "not_fitted"));
        }
        let d = self.n_features;
        if x.ncols() != d {
            return Err(err!(InvalidData, "feature_count", expected = d, got = x.ncols()));
        }
        let kernel = self.kernel();
        let n_sv = self.support_index.len();
        let sv_sq: Vec<f64> = self.support.chunks_exact(d.max(1)).map(|r| r.iter().map(|v| v * v).sum()).collect();
        let mut out = DMatrix::zeros(x.nrows(), self.pairs.len());
        let mut k = vec![0.0; n_sv];
        let mut q = vec![0.0; d];
        for i in 0..x.nrows() {
            q.iter_mut().enumerate().for_each(|(j, v)| *v = x[(i, j)]);
            let qq: f64 = q.iter().map(|v| v * v).sum();
            for (s, ks) in k.iter_mut().enumerate() {
                *ks = kernel.eval(&self.support[s * d..(s + 1) * d], &q, sv_sq[s], qq);
            }
            for (p, pair) in self.pairs.iter().enumerate() {
                out[(i, p)] = pair.sv.iter().zip(&pair.coef).map(|(&s, &c)| c * k[s]).sum::<f64>() - pair.rho;
            }
        }
        Ok(out)
    }

    /// Sets up SMO on `data` (every α at 0).
    fn start(&mut self, data: &Dataset) -> Result<()> {
        self.params.check()?;
        let regression = data.task == Task::Regression;
        let n_classes = match data.task {
            Task::Classification { n_classes } => n_classes,
            Task::Regression => 0,
        };
        data.require_len(2)?;
        if data.len() > MAX_POINTS {
            return Err(err!(InvalidData, "svm_too_many_points", max = MAX_POINTS, got = data.len()));
        }
        let d = data.n_features();
        let mut x: Vec<f64> = Vec::with_capacity(data.len() * d);
        for i in 0..data.len() {
            x.extend(data.x.row(i).iter());
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "data_not_finite"));
        }
        let labels: Vec<usize> = if regression { Vec::new() } else { data.y.iter().map(|&y| y as usize).collect() };
        let present: Vec<usize> = (0..n_classes).filter(|c| labels.contains(c)).collect();
        if !regression && present.len() < 2 {
            return Err(err!(InvalidData, "one_class"));
        }
        if regression && data.y.iter().any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "data_not_finite"));
        }
        let gamma = match self.params.gamma {
            Some(g) => g,
            None => {
                let n = x.len() as f64;
                let mean = x.iter().sum::<f64>() / n;
                let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
                if var > 0.0 {
                    1.0 / (d as f64 * var)
                } else {
                    1.0
                }
            }
        };
        let kernel =
            KernelFn { kind: self.params.kernel, gamma, coef0: self.params.coef0, degree: self.params.degree as i32 };
        let sample_c: Vec<f64> = match (regression, weights::sample_weights(self.params.class_weight.as_ref(), data)) {
            (false, Ok(Some(w))) => w.iter().map(|w| w * self.params.c).collect(),
            (false, Err(e)) => return Err(e),
            _ => vec![self.params.c; data.len()],
        };
        let sq: Vec<f64> = x.chunks_exact(d.max(1)).map(|r| r.iter().map(|v| v * v).sum()).collect();
        let mut solver = Solver {
            x,
            sq,
            d,
            kernel,
            pairs: Vec::new(),
            max_iterations: 0,
            shrinking: false,
            fingerprint: fingerprint(data),
            target: if regression { data.y.iter().copied().collect() } else { Vec::new() },
        };
        if regression {
            // libsvm's ε-SVR: 2n variables, αᵢ (y = +1, p = ε − yᵢ) and αᵢ* (y = −1, p = ε + yᵢ),
            // both on row i, so Qₜₛ = yₜyₛK(xₜ, xₛ) and the same SMO solves it
            let n = data.len();
            let eps = self.params.epsilon;
            let rows: Vec<usize> = (0..n).chain(0..n).collect();
            let y: Vec<f64> = (0..2 * n).map(|t| if t < n { 1.0 } else { -1.0 }).collect();
            let p: Vec<f64> = (0..2 * n).map(|t| if t < n { eps - data.y[t] } else { eps + data.y[t - n] }).collect();
            let qd = rows.iter().map(|&r| solver.k(r, r)).collect();
            let l = 2 * n;
            solver.pairs.push(PairSolver {
                classes: (0, 0),
                c: vec![self.params.c; l],
                rows,
                y,
                grad: p.clone(),
                p,
                origin: (0..l).collect(),
                alpha: vec![0.0; l],
                qd,
                cache: RowCache::new(l),
                done: false,
                active: l,
                g_bar: vec![0.0; l],
                counter: l.min(1000) + 1,
                unshrink: false,
            });
        }
        for (a, &ca) in present.iter().enumerate() {
            for &cb in &present[a + 1..] {
                let rows: Vec<usize> = (0..labels.len()).filter(|&r| labels[r] == ca || labels[r] == cb).collect();
                let l = rows.len();
                let y: Vec<f64> = rows.iter().map(|&r| if labels[r] == ca { 1.0 } else { -1.0 }).collect();
                let qd = rows.iter().map(|&r| solver.k(r, r)).collect();
                solver.pairs.push(PairSolver {
                    classes: (ca, cb),
                    c: rows.iter().map(|&r| sample_c[r]).collect(),
                    rows,
                    y,
                    p: vec![-1.0; l],
                    origin: (0..l).collect(),
                    alpha: vec![0.0; l],
                    grad: vec![-1.0; l],
                    qd,
                    cache: RowCache::new(l),
                    done: false,
                    active: l,
                    g_bar: vec![0.0; l],
                    counter: l.min(1000) + 1,
                    unshrink: false,
                });
            }
        }
        // libsvm's cap, per pair
        let largest = solver.pairs.iter().map(|p| p.rows.len()).max().unwrap_or(0) as u64;
        solver.max_iterations = 10_000_000u64.max(100 * largest) * solver.pairs.len() as u64;
        self.n_features = d;
        self.n_classes = n_classes;
        self.regression = regression;
        self.gamma = gamma;
        self.iterations = 0;
        self.solver = Some(Box::new(solver));
        Ok(())
    }

    /// The model from the solver's current α: support vectors, coefficients, ρ and Platt's A, B.
    fn extract(&mut self) {
        let Some(solver) = &self.solver else { return };
        let d = solver.d;
        if self.regression {
            let Some(pair) = solver.pairs.first() else { return };
            // each row's coefficient αᵢ − αᵢ* (libsvm's), the support vectors those not 0, by row
            let mut coef = vec![0.0; solver.sq.len()];
            for (t, &r) in pair.rows.iter().enumerate() {
                coef[r] += pair.y[t] * pair.alpha[t];
            }
            let support: Vec<usize> = (0..coef.len()).filter(|&r| coef[r] != 0.0).collect();
            self.support = support.iter().flat_map(|&r| solver.row(r).iter().copied()).collect();
            self.support_target = support.iter().map(|&r| solver.target[r]).collect();
            self.support_class = vec![0; support.len()];
            self.pairs = vec![Pair {
                classes: (0, 0),
                sv: (0..support.len()).collect(),
                coef: support.iter().map(|&r| coef[r]).collect(),
                rho: Solver::rho(pair),
                platt: (0.0, 0.0),
            }];
            self.support_index = support;
            return;
        }
        // every row with α > 0 in some pair, ordered by class then row
        let mut is_sv: Vec<Option<usize>> = vec![None; solver.sq.len()];
        let mut rows_classes: Vec<(usize, usize)> = Vec::new();
        for pair in &solver.pairs {
            for (t, &r) in pair.rows.iter().enumerate() {
                if pair.alpha[t] > 0.0 && is_sv[r].is_none() {
                    is_sv[r] = Some(0);
                    rows_classes.push((if pair.y[t] > 0.0 { pair.classes.0 } else { pair.classes.1 }, r));
                }
            }
        }
        rows_classes.sort_unstable();
        for (s, &(_, r)) in rows_classes.iter().enumerate() {
            is_sv[r] = Some(s);
        }
        self.support = rows_classes.iter().flat_map(|&(_, r)| solver.row(r).iter().copied()).collect();
        self.support_index = rows_classes.iter().map(|&(_, r)| r).collect();
        self.support_class = rows_classes.iter().map(|&(c, _)| c).collect();
        debug_assert_eq!(self.support.len(), self.support_index.len() * d);
        self.pairs = solver
            .pairs
            .iter()
            .map(|pair| {
                let rho = Solver::rho(pair);
                let (mut sv, mut coef) = (Vec::new(), Vec::new());
                for (t, &r) in pair.rows.iter().enumerate() {
                    if let (true, Some(s)) = (pair.alpha[t] > 0.0, is_sv[r]) {
                        sv.push(s);
                        coef.push(pair.y[t] * pair.alpha[t]);
                    }
                }
                // training decision values: Σⱼ yⱼαⱼKᵢⱼ = yᵢ(∇ᵢ − pᵢ)
                let dec: Vec<f64> =
                    (0..pair.rows.len()).map(|t| pair.y[t] * (pair.grad[t] - pair.p[t]) - rho).collect();
                let positive: Vec<bool> = pair.y.iter().map(|&y| y > 0.0).collect();
                Pair { classes: pair.classes, sv, coef, rho, platt: platt(&dec, &positive) }
            })
            .collect();
    }

    /// Checks the model's numbers and sizes, so a damaged file is refused.
    pub fn validate(&self) -> Result<()> {
        self.params.check()?;
        use super::file::{out_of_range, refuse, Damage};
        if self.pairs.is_empty() {
            return if self.support.is_empty() && self.support_index.is_empty() {
                Ok(())
            } else {
                refuse("svm", "support", Damage::Without("pairs".into()))
            };
        }
        let (d, k, n_sv) = (self.n_features, self.n_classes, self.support_index.len());
        if d == 0 || d > MAX_FEATURES {
            return refuse("svm", "n_features", out_of_range(d, 1, MAX_FEATURES));
        }
        if self.regression {
            let one = match &self.pairs[..] {
                [p] => p.classes == (0, 0) && p.sv.len() == n_sv && p.sv.iter().enumerate().all(|(t, &s)| t == s),
                _ => false,
            };
            if k != 0 || !one {
                return refuse("svm", "pairs", Damage::Invalid("regression_machine"));
            }
            if self.support_target.len() != n_sv {
                return refuse(
                    "svm",
                    "support_target",
                    Damage::Length { got: self.support_target.len(), expected: n_sv },
                );
            }
        } else if !(2..=MAX_CLASSES).contains(&k) {
            return refuse("svm", "n_classes", out_of_range(k, 2, MAX_CLASSES));
        }
        if self.support.len() > MAX_VALUES || n_sv.checked_mul(d) != Some(self.support.len()) {
            let expected = n_sv.saturating_mul(d).min(MAX_VALUES);
            return refuse("svm", "support", Damage::Length { got: self.support.len(), expected });
        }
        if self.support_class.len() != n_sv {
            return refuse("svm", "support_class", Damage::Length { got: self.support_class.len(), expected: n_sv });
        }
        if !self.regression {
            if let Some(i) = self.support_class.iter().position(|&c| c >= k) {
                return refuse("svm", format!("support_class[{i}]"), Damage::Invalid("class_outside"));
            }
            if self.pairs.len() > k * (k - 1) / 2 {
                return refuse("svm", "pairs", Damage::Length { got: self.pairs.len(), expected: k * (k - 1) / 2 });
            }
        }
        for (i, p) in self.pairs.iter().enumerate() {
            let field = |name: &str| format!("pairs[{i}].{name}");
            let (a, b) = p.classes;
            if !self.regression && (a >= b || b >= k) {
                return refuse("svm", field("classes"), Damage::Invalid("class_outside"));
            }
            if p.sv.len() != p.coef.len() {
                return refuse("svm", field("coef"), Damage::Length { got: p.coef.len(), expected: p.sv.len() });
            }
            if let Some(&s) = p.sv.iter().find(|&&s| s >= n_sv) {
                return refuse("svm", field("sv"), out_of_range(s, 0, n_sv.saturating_sub(1)));
            }
            if !p.rho.is_finite() {
                return refuse("svm", field("rho"), Damage::NotFinite);
            }
            if !(p.platt.0.is_finite() && p.platt.1.is_finite()) {
                return refuse("svm", field("platt"), Damage::NotFinite);
            }
            if p.coef.iter().any(|c| !c.is_finite() || c.abs() > 1e12) {
                return refuse("svm", field("coef"), Damage::Beyond(1e12));
            }
        }
        if !(self.gamma.is_finite() && self.gamma >= 0.0 && self.gamma <= 1e12) {
            return refuse("svm", "gamma", Damage::Range { got: self.gamma, min: 0.0, max: 1e12 });
        }
        if self.support.iter().any(|v| !v.is_finite() || v.abs() > 1e100) {
            return refuse("svm", "support", Damage::Beyond(1e100));
        }
        if self.support_target.iter().any(|v| !v.is_finite() || v.abs() > 1e100) {
            return refuse("svm", "support_target", Damage::Beyond(1e100));
        }
        Ok(())
    }
}

impl Model for Svm {
    fn fit(&mut self, data: &Dataset) -> Result<()> {
        self.start(data)?;
        if let Some(solver) = self.solver.as_mut() {
            solver.shrinking = true;
            let tol = self.params.tol;
            while !solver.complete() {
                let used = solver.run(tol, u64::MAX, self.iterations);
                self.iterations += used;
            }
        }
        self.extract();
        Ok(())
    }

    fn step(&mut self, data: &Dataset, _rng: &mut Rng) -> Result<()> {
        if self.solver.as_ref().is_none_or(|s| s.fingerprint != fingerprint(data)) {
            self.start(data)?;
        }
        if let Some(solver) = self.solver.as_mut() {
            self.iterations += solver.run(self.params.tol, ITERATIONS_PER_STEP as u64, self.iterations);
        }
        self.extract();
        Ok(())
    }

    fn predict(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let values = self.pair_values(x)?;
        if self.regression {
            return Ok(values);
        }
        Ok(self.probabilities(&values))
    }

    /// The surface from each pair's decision values on the grid (`svm/grid.rs`: per-column and
    /// per-row parts), then the same probabilities as `predict`; `predict` per pixel where there
    /// is no such path (sigmoid kernel, other than two features, regression).
    fn grid_values(&self, xs: &[f64], ys: &[f64]) -> Option<Vec<f64>> {
        let fast = (!self.regression).then(|| self.grid_decisions(xs, ys)).flatten();
        let Some(mut values) = fast else { return super::predict_grid(self, xs, ys) };
        if let [pair] = self.pairs.as_slice() {
            // Two classes: Platt's probability `1/(1 + e^z)`, `z = f·a + b`, is the logistic
            // function of `−z`, through `fast_math` (vectorised; within 1e-15 of `exp`'s).
            let (a, b) = pair.platt;
            values.iter_mut().for_each(|f| *f = -(*f * a + b));
            super::fast_math::sigmoid_in_place(&mut values);
            let (k, first, second) =
                (self.n_classes, pair.classes.0.min(pair.classes.1), pair.classes.0.max(pair.classes.1));
            if first == second || second >= k {
                return super::predict_grid(self, xs, ys);
            }
            let mut out = vec![0.0; values.len() * k];
            for (pixel, &p) in out.chunks_exact_mut(k).zip(&values) {
                let p = p.clamp(1e-7, 1.0 - 1e-7);
                pixel[first] = p;
                pixel[second] = 1.0 - p;
            }
            return Some(out);
        }
        let values = DMatrix::from_row_slice(xs.len() * ys.len(), self.pairs.len(), &values);
        // nalgebra is column-major: the transpose's storage is the row-major layout
        Some(self.probabilities(&values).transpose().as_slice().to_vec())
    }

    fn objective(&self, data: &Dataset) -> Result<f64> {
        super::prediction_loss(self, data)
    }

    fn is_trained(&self) -> bool {
        !self.pairs.is_empty()
    }

    fn is_complete(&self) -> bool {
        self.solver.as_ref().is_some_and(|s| s.complete())
    }

    fn summary(&self) -> Summary {
        let kernel = match self.params.kernel {
            Kernel::Linear => "linear",
            Kernel::Poly => "poly",
            Kernel::Rbf => "rbf",
            Kernel::Sigmoid => "sigmoid",
        };
        let family = if self.regression { "svr" } else { "svm" };
        let summary = Summary::new(&format!("{family}.{kernel}"))
            .with("gamma", self.gamma)
            .with("coef0", self.params.coef0)
            .with("degree", self.params.degree);
        let summary = if self.regression { summary.with("epsilon", self.params.epsilon) } else { summary };
        if !self.is_trained() {
            return summary;
        }
        let mut parameters = vec![("support vectors".to_string(), self.support_index.len() as f64)];
        if let [b] = self.intercepts()[..] {
            parameters.push(("b".into(), b));
        }
        parameters.push(("C".into(), self.params.c));
        if self.regression {
            parameters.push(("ε".into(), self.params.epsilon));
        }
        if self.params.kernel != Kernel::Linear {
            parameters.push(("γ".into(), self.gamma));
        }
        parameters.push(("SMO iterations".into(), self.iterations as f64));
        summary.with("support_vectors", self.support_index.len()).parameters(parameters)
    }

    fn is_finite(&self) -> bool {
        self.pairs.iter().all(|p| p.rho.is_finite() && p.coef.iter().all(|c| c.is_finite()))
    }

    fn validate(&self) -> Result<()> {
        Svm::validate(self)
    }

    fn view(&self, kind: super::view::ViewKind, _ctx: &super::view::ViewContext) -> Option<super::view::FamilyView> {
        use super::view::{FamilyView, Rings, ViewKind};
        if !self.is_trained() {
            return None;
        }
        let d = self.n_features;
        if self.regression {
            // the plot shows the first feature against the target: each support vector ringed
            // where its point lies, and the ε-tube around the curve
            return match kind {
                ViewKind::Tube => Some(FamilyView::Tube(self.params.epsilon)),
                ViewKind::Rings => {
                    let weights = self.pairs.first().map(|p| p.coef.iter().map(|c| c.abs()).collect())?;
                    let points = self
                        .support
                        .chunks_exact(d.max(1))
                        .zip(&self.support_target)
                        .map(|(r, &y)| (r[0], y))
                        .collect();
                    Some(FamilyView::Rings(Rings { points, weights }))
                }
                _ => None,
            };
        }
        if kind != ViewKind::Rings || d < 2 {
            return None;
        }
        let mut weights = vec![0.0; self.support_index.len()];
        for pair in &self.pairs {
            for (&s, &c) in pair.sv.iter().zip(&pair.coef) {
                weights[s] += c.abs();
            }
        }
        let points = self.support.chunks_exact(d).map(|r| (r[0], r[1])).collect();
        Some(FamilyView::Rings(Rings { points, weights }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_drops_the_least_recently_used_row() {
        let mut cache = RowCache::new(5);
        cache.capacity = 2;
        for i in [0, 1] {
            cache.make_room(i);
            cache.insert(i, vec![i as f32]);
        }
        cache.touch(0); // 1 is now the least recently used
        cache.make_room(2);
        assert!(cache.rows[0].is_some() && cache.rows[1].is_none() && cache.live == [0]);
    }

    #[test]
    fn a_cache_of_two_rows_solves_to_the_same_machine() {
        let x: Vec<f64> = (0..80).map(|i| ((i * 37 % 23) as f64 / 7.0).sin() * 2.0 + (i % 2) as f64).collect();
        let y: Vec<f64> = (0..40).map(|i| (i % 3 == 0) as u8 as f64).collect();
        let data = Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: 2 }).unwrap();
        let params = SvmParams { c: 5.0, gamma: Some(0.7), ..SvmParams::default() };
        let mut roomy = params.build(0).unwrap();
        roomy.fit(&data).unwrap();
        let mut tight = params.build(0).unwrap();
        tight.start(&data).unwrap();
        let solver = tight.solver.as_mut().unwrap();
        solver.pairs[0].cache.capacity = 2;
        solver.shrinking = true;
        while !solver.complete() {
            solver.run(params.tol, u64::MAX, 0);
        }
        tight.extract();
        assert_eq!(tight.dual_coef(), roomy.dual_coef());
        assert_eq!(tight.intercepts(), roomy.intercepts());
    }

    /// Shrinking (what `fit` does) changes the path, not the machine: the same support vectors,
    /// coefficients and intercepts as the unshrunk solver (`step` to the end), for two and three
    /// classes, with class weights, on data where many multipliers sit at C.
    #[test]
    fn shrinking_finds_the_same_machine() {
        let n = 600;
        let x: Vec<f64> = (0..2 * n).map(|i| ((i * 7919 % 1009) as f64 / 1009.0 - 0.5) * 6.0).collect();
        for (classes, weighted) in [(2usize, false), (3, true)] {
            let y: Vec<f64> = (0..n)
                .map(|i| {
                    let (a, b) = (x[2 * i], x[2 * i + 1]);
                    let noisy = (i * 31 % 17) == 0;
                    let c = if a * b + 0.3 * a > 0.0 { 1 } else { 0 } + usize::from(classes == 3 && a > 1.5);
                    (if noisy { (c + 1) % classes } else { c }) as f64
                })
                .collect();
            let data = Dataset::from_rows(&x, 2, &y, Task::Classification { n_classes: classes }).unwrap();
            let class_weight = weighted.then_some(ClassWeight::Balanced);
            let params = SvmParams { c: 3.0, gamma: Some(0.8), tol: 1e-12, class_weight, ..SvmParams::default() };
            let mut shrunk = params.build(0).unwrap();
            shrunk.start(&data).unwrap();
            let solver = shrunk.solver.as_mut().unwrap();
            solver.shrinking = true;
            let mut set_aside = 0;
            while !solver.complete() {
                solver.run(params.tol, 100, 0);
                set_aside = set_aside.max(solver.pairs.iter().map(|p| p.rows.len() - p.active).max().unwrap_or(0));
            }
            assert!(set_aside > 50, "shrinking set aside at most {set_aside} variables");
            shrunk.extract();
            let mut plain = params.build(0).unwrap();
            let mut rng = crate::data::random::rng(0);
            while !plain.is_complete() {
                plain.step(&data, &mut rng).unwrap();
            }
            assert_eq!(shrunk.support_indices(), plain.support_indices(), "{classes} classes");
            for (a, b) in shrunk.dual_coef().iter().flatten().zip(plain.dual_coef().iter().flatten()) {
                assert!((a - b).abs() < 1e-6, "{a} vs {b}");
            }
            for (a, b) in shrunk.intercepts().iter().zip(plain.intercepts()) {
                assert!((a - b).abs() < 1e-6, "{a} vs {b}");
            }
            let solver = shrunk.solver.as_ref().unwrap();
            assert!(solver.pairs.iter().all(|p| p.active == p.rows.len() && p.rows.windows(2).all(|w| w[0] < w[1])));
        }
    }
}
