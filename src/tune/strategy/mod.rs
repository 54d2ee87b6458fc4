//! Search strategies behind one ask/tell trait, so the page can run trials asynchronously in a pool
//! of workers: [`Strategy::suggest`] hands out points (fewer than asked when it must wait for
//! results, none when it is exhausted), [`Strategy::observe`] takes each trial's score (lower is
//! better) or its failure, in any order. A failed or diverged trial is recorded and the search goes
//! on. Every strategy is seeded (ChaCha8) and reproducible: the same seed and the same observations
//! give the same suggestions.
//!
//! - [`grid::Grid`]: every combination of a few levels per parameter, capped by the budget;
//! - [`random::Random`]: independent uniform draws (in log space for log parameters);
//! - [`bayes::Bayes`]: a Gaussian-process surrogate with expected improvement, constant liar for
//!   batches; [`tpe::Tpe`]: tree-structured Parzen estimators (Optuna's default);
//! - [`genetic::Genetic`]: a generational genetic algorithm with tournaments and elitism;
//! - [`nelder_mead::NelderMead`]: the model-free simplex method, restarted when it converges.

pub mod bayes;
pub mod genetic;
pub mod grid;
pub mod nelder_mead;
pub mod random;
pub mod tpe;

use super::space::{Point, Space};
use crate::error::Error;
use crate::error::{check_count, check_range, Result};
use serde::{Deserialize, Serialize};

/// One search strategy, driven by ask (suggest) and tell (observe).
pub trait Strategy {
    /// Up to `n` new points to evaluate, each with a fresh id. Fewer when the strategy waits for
    /// pending results (a generation or a simplex step not yet complete); none when it has nothing
    /// left to try (a finished grid).
    fn suggest(&mut self, n: usize) -> Vec<Point>;

    /// The outcome of a suggested point: its score, lower is better, or why it failed. A NaN or
    /// infinite score counts as a failure. Points the strategy did not suggest are ignored.
    fn observe(&mut self, point: &Point, score: Result<f64>);

    /// The genetic search's generations, for the population picture (empty for other strategies).
    fn generations(&self) -> Vec<Vec<genetic::Member>> {
        Vec::new()
    }

    /// Bayesian search's surrogate fitted to the observations so far, for the picture of its mean
    /// and uncertainty over two parameters (`None` for other strategies, or before two scores).
    /// Predict at [`crate::tune::space::Space::features`] of a point.
    fn surrogate(&mut self) -> Option<crate::tune::gp::Gp> {
        None
    }
}

/// A strategy and its settings, as the page sends it (`{"kind": "bayes"}`, `{"kind": "grid",
/// "levels": 4}`...). Unset settings take the defaults named on each field.
///
/// Read through a flat struct of optional fields (as `tagged.rs` does for the crate's small tagged
/// enums), which keeps serde's buffering of internally tagged enums out of the wasm and lets the
/// message name a setting that belongs to another strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "RawSpec")]
pub enum StrategySpec {
    /// Levels per real parameter (integers with more values get as many evenly spaced; default 5).
    Grid {
        levels: Option<usize>,
    },
    Random,
    /// Gaussian-process Bayesian optimisation: `initial` space-filling points (default d + 1, at
    /// least 10, as scikit-optimize's 10 random points), `candidates` random candidates for the
    /// acquisition (default 10,000, as gp_minimize's `n_points`; 1,000 left Hartmann-6 at a median
    /// −2.43 after 30 evaluations, 10,000 reach −2.78), EI margin `xi` (default 0, in units of the
    /// targets' standard deviation: 0.01 gave a worse median on Hartmann-6).
    Bayes {
        initial: Option<usize>,
        candidates: Option<usize>,
        xi: Option<f64>,
    },
    /// Tree-structured Parzen estimators: `startup` random trials (default 10), `candidates` per
    /// suggestion (default 24).
    Tpe {
        startup: Option<usize>,
        candidates: Option<usize>,
    },
    /// Genetic algorithm: `population` (default 16), `tournament` size (3), `crossover`
    /// probability per gene (0.5), `mutation` probability per gene (1/d), `elite` carried over (2).
    Genetic {
        population: Option<usize>,
        tournament: Option<usize>,
        crossover: Option<f64>,
        mutation: Option<f64>,
        elite: Option<usize>,
    },
    /// Nelder–Mead on the unit coordinates, `step` the initial simplex's size (default 0.25).
    NelderMead {
        step: Option<f64>,
    },
}

/// A strategy as written in JSON, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    kind: String,
    levels: Option<usize>,
    initial: Option<usize>,
    candidates: Option<usize>,
    xi: Option<f64>,
    startup: Option<usize>,
    population: Option<usize>,
    tournament: Option<usize>,
    crossover: Option<f64>,
    mutation: Option<f64>,
    elite: Option<usize>,
    step: Option<f64>,
}

impl TryFrom<RawSpec> for StrategySpec {
    type Error = Error;

    fn try_from(r: RawSpec) -> Result<StrategySpec> {
        let given = [
            ("levels", r.levels.is_some()),
            ("initial", r.initial.is_some()),
            ("candidates", r.candidates.is_some()),
            ("xi", r.xi.is_some()),
            ("startup", r.startup.is_some()),
            ("population", r.population.is_some()),
            ("tournament", r.tournament.is_some()),
            ("crossover", r.crossover.is_some()),
            ("mutation", r.mutation.is_some()),
            ("elite", r.elite.is_some()),
            ("step", r.step.is_some()),
        ];
        let (spec, allowed): (StrategySpec, &[&str]) = match r.kind.as_str() {
            "grid" => (StrategySpec::Grid { levels: r.levels }, &["levels"]),
            "random" => (StrategySpec::Random, &[]),
            "bayes" => (
                StrategySpec::Bayes { initial: r.initial, candidates: r.candidates, xi: r.xi },
                &["initial", "candidates", "xi"],
            ),
            "tpe" => (StrategySpec::Tpe { startup: r.startup, candidates: r.candidates }, &["startup", "candidates"]),
            "genetic" => (
                StrategySpec::Genetic {
                    population: r.population,
                    tournament: r.tournament,
                    crossover: r.crossover,
                    mutation: r.mutation,
                    elite: r.elite,
                },
                &["population", "tournament", "crossover", "mutation", "elite"],
            ),
            "nelder_mead" => (StrategySpec::NelderMead { step: r.step }, &["step"]),
            other => return Err(err!(InvalidParameter, "unknown_strategy", other = other)),
        };
        if let Some((field, _)) = given.iter().find(|(f, set)| *set && !allowed.contains(f)) {
            return Err(err!(InvalidParameter, "strategy_setting", field = *field, kind = r.kind));
        }
        Ok(spec)
    }
}

impl StrategySpec {
    /// Checks the settings and builds the strategy for `space`, for a run of `budget` trials.
    pub fn build(&self, space: &Space, budget: usize, seed: u64) -> Result<Box<dyn Strategy>> {
        Ok(match *self {
            StrategySpec::Grid { levels } => {
                let levels = levels.unwrap_or(5);
                check_count("grid levels", levels, 2, 1000)?;
                Box::new(grid::Grid::new(space, levels, budget)?)
            }
            StrategySpec::Random => Box::new(random::Random::new(space, seed)),
            StrategySpec::Bayes { initial, candidates, xi } => {
                let initial = initial.unwrap_or((space.dim() + 1).max(10));
                check_count("initial points", initial, 1, 10_000)?;
                let candidates = candidates.unwrap_or(10_000);
                check_count("acquisition candidates", candidates, 1, 100_000)?;
                let xi = xi.unwrap_or(bayes::DEFAULT_XI);
                check_range("xi", xi, 0.0, 10.0)?;
                Box::new(bayes::Bayes::new(space, seed, initial, candidates, xi))
            }
            StrategySpec::Tpe { startup, candidates } => {
                let startup = startup.unwrap_or(10);
                check_count("startup trials", startup, 1, 10_000)?;
                let candidates = candidates.unwrap_or(24);
                check_count("TPE candidates", candidates, 1, 10_000)?;
                Box::new(tpe::Tpe::new(space, seed, startup, candidates))
            }
            StrategySpec::Genetic { population, tournament, crossover, mutation, elite } => {
                let settings = genetic::Settings {
                    population: population.unwrap_or(16),
                    tournament: tournament.unwrap_or(3),
                    crossover: crossover.unwrap_or(0.5),
                    mutation: mutation.unwrap_or(1.0 / space.dim() as f64),
                    elite: elite.unwrap_or(2),
                };
                check_count("population", settings.population, 2, 10_000)?;
                check_count("tournament size", settings.tournament, 1, settings.population)?;
                check_range("crossover probability", settings.crossover, 0.0, 1.0)?;
                check_range("mutation probability", settings.mutation, 0.0, 1.0)?;
                check_count("elite", settings.elite, 0, settings.population - 1)?;
                Box::new(genetic::Genetic::new(space, seed, settings))
            }
            StrategySpec::NelderMead { step } => {
                let step = step.unwrap_or(0.25);
                check_range("simplex step", step, 1e-6, 1.0)?;
                Box::new(nelder_mead::NelderMead::new(space, seed, step))
            }
        })
    }
}

/// A finite score, or `None` for a failure (an error, NaN or ±∞).
pub(crate) fn usable(score: &Result<f64>) -> Option<f64> {
    match score {
        Ok(v) if v.is_finite() => Some(*v),
        _ => None,
    }
}

/// The points a strategy has handed out and what came back: ids, pending points, results.
#[derive(Debug, Clone, Default)]
pub(crate) struct Book {
    next_id: u64,
    /// Suggested, not yet observed, with their unit coordinates.
    pub pending: Vec<(Point, Vec<f64>)>,
    /// Observed: the point, its unit coordinates and its score (`None` when it failed).
    pub done: Vec<(Point, Vec<f64>, Option<f64>)>,
}

impl Book {
    /// A new pending point at unit coordinates `unit`.
    pub fn issue(&mut self, space: &Space, unit: &[f64]) -> Point {
        let point = space.decode(self.next_id, unit);
        self.next_id += 1;
        self.pending.push((point.clone(), space.to_unit(&point.values)));
        point
    }

    /// Moves a pending point to the observed ones; its unit coordinates and score, or `None` if
    /// the id was never handed out (or already observed).
    pub fn settle(&mut self, point: &Point, score: &Result<f64>) -> Option<(Vec<f64>, Option<f64>)> {
        let at = self.pending.iter().position(|(p, _)| p.id == point.id)?;
        let (p, unit) = self.pending.remove(at);
        let score = usable(score);
        self.done.push((p, unit.clone(), score));
        Some((unit, score))
    }
}
