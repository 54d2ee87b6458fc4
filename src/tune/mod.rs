//! Hyper-parameter tuning: search spaces, search strategies and the loop that runs them.
//!
//! - [`space`]: which settings vary (paths into a model's params), checked, with the encodings the
//!   strategies move in and the way a point is written back into the params;
//! - [`strategy`]: grid, random, Bayesian (GP + expected improvement, and TPE), genetic and
//!   Nelder–Mead search behind one ask/tell trait, each seeded;
//! - [`gp`]: the Gaussian-process surrogate (Matérn 5/2, fitted by marginal likelihood);
//! - [`surface`]: the surrogate's mean, uncertainty and EI's pick over two settings (the Bayesian
//!   picture); [`importance`]: each setting's importance (fANOVA on a random forest of the trials);
//! - [`value`]: a small JSON-like value tree for params and choices;
//! - [`minimize`] / [`minimize_params`]: run a strategy against an objective for a budget of trials.
//!
//! The objective is any closure returning a score to minimise; [`cv::tune`] scores a model's
//! params by cross-validation through `evaluate/` (the page's and the JS API's tuning). The worker pool is
//! on the JS side, which drives a strategy through `suggest` / `observe` directly. Timing: the
//! caller passes a clock (`std::time::Instant` panics on `wasm32-unknown-unknown`).

pub mod cv;
pub mod gp;
pub mod importance;
pub mod space;
pub mod strategy;
pub mod surface;
pub mod value;

use crate::error::Result;
use serde::{Deserialize, Serialize};
use space::{Point, Space};
use strategy::{Strategy, StrategySpec};
use value::Value;

/// At most this many trials in one run.
pub const MAX_TRIALS: usize = 10_000;

/// How to run a search.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    pub strategy: StrategySpec,
    /// The budget: how many trials to run (1 to 10 000).
    pub trials: usize,
    #[serde(default)]
    pub seed: u64,
    /// How many points to ask for at once (as a pool of this many workers would; default 1).
    #[serde(default = "one")]
    pub batch: usize,
}

fn one() -> usize {
    1
}

impl Options {
    /// Options for `trials` trials of `strategy` with `seed`, one at a time.
    pub fn new(strategy: StrategySpec, trials: usize, seed: u64) -> Options {
        Options { strategy, trials, seed, batch: 1 }
    }

    /// Checks the budget and batch size.
    pub fn check(&self) -> Result<()> {
        if self.trials == 0 || self.trials > MAX_TRIALS {
            return Err(err!(InvalidParameter, "budget_range", MAX_TRIALS = MAX_TRIALS, trials = self.trials));
        }
        crate::error::check_count("batch size", self.batch, 1, 1024)
    }
}

/// One finished trial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    pub point: Point,
    /// The active settings, an object of path → value.
    pub params: Value,
    /// The score, `None` when the trial failed.
    pub score: Option<f64>,
    /// Why it failed.
    pub error: Option<String>,
    /// Wall time in milliseconds, when a clock was given.
    pub ms: Option<f64>,
}

/// Every trial of a run, in the order they finished, and the index of the best.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub trials: Vec<Trial>,
    pub best: Option<usize>,
}

impl Outcome {
    /// The best trial, if any trial succeeded.
    pub fn best_trial(&self) -> Option<&Trial> {
        self.best.and_then(|i| self.trials.get(i))
    }

    /// The best score after each trial (`None` until one succeeds): the optimisation history.
    pub fn best_so_far(&self) -> Vec<Option<f64>> {
        let mut best: Option<f64> = None;
        self.trials
            .iter()
            .map(|t| {
                if let Some(s) = t.score {
                    best = Some(best.map_or(s, |b| b.min(s)));
                }
                best
            })
            .collect()
    }
}

/// Minimises `objective` over `space`: runs the strategy for `options.trials` trials (fewer if it
/// runs out of points, as a small grid does). A trial whose objective returns an error, NaN or ±∞
/// is recorded as failed and the search goes on.
pub fn minimize<F: FnMut(&Point) -> Result<f64>>(objective: F, space: &Space, options: &Options) -> Result<Outcome> {
    minimize_timed(objective, space, options, None)
}

/// [`minimize`] with a clock (milliseconds, e.g. `performance.now()` on the page) to time trials.
pub fn minimize_timed<F: FnMut(&Point) -> Result<f64>>(
    mut objective: F,
    space: &Space,
    options: &Options,
    mut clock: Option<&mut dyn FnMut() -> f64>,
) -> Result<Outcome> {
    options.check()?;
    let mut strategy: Box<dyn Strategy> = options.strategy.build(space, options.trials, options.seed)?;
    let mut outcome = Outcome { trials: Vec::with_capacity(options.trials), best: None };
    while outcome.trials.len() < options.trials {
        let want = options.batch.min(options.trials - outcome.trials.len());
        let points = strategy.suggest(want);
        if points.is_empty() {
            break;
        }
        for point in points {
            let start = clock.as_mut().map(|c| c());
            let result = objective(&point).and_then(|v| {
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(err!(Diverged, "objective_value", v = v))
                }
            });
            let ms = match (start, clock.as_mut()) {
                (Some(s), Some(c)) => Some(c() - s),
                _ => None,
            };
            let (score, error) = match &result {
                Ok(v) => (Some(*v), None),
                Err(e) => (None, Some(e.to_string())),
            };
            if let Some(s) = score {
                if outcome.best_trial().and_then(|t| t.score).is_none_or(|b| s < b) {
                    outcome.best = Some(outcome.trials.len());
                }
            }
            strategy.observe(&point, result);
            outcome.trials.push(Trial { params: Value::Map(space.assignment(&point)), point, score, error, ms });
        }
    }
    Ok(outcome)
}

/// Minimises `objective` over model params: each point is written into `base` (see
/// [`Space::apply`]) and the objective gets the resulting params. Every path is checked against
/// `base` first.
pub fn minimize_params<F: FnMut(&Value) -> Result<f64>>(
    mut objective: F,
    space: &Space,
    base: &Value,
    options: &Options,
) -> Result<Outcome> {
    space.check_paths(base)?;
    minimize(|point| objective(&space.apply(point, base)?), space, options)
}
