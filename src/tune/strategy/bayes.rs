//! Bayesian optimisation with a Gaussian-process surrogate (see [`crate::tune::gp`]).
//!
//! The first `initial` points are a Latin hypercube (space-filling, seeded). After that each
//! suggestion fits the GP's kernel to the observed scores (one-hot features, normalised targets,
//! failed trials imputed at the worst score so the search steers away from where training
//! diverges), then maximises expected improvement: over `candidates` random points, then from the
//! five best of them and the incumbent (the best point observed) by a local search. On a space of
//! reals only (no integer, categorical or condition) that search is multi-start L-BFGS on the unit
//! box (projected at the bounds) with EI's exact gradient ([`Gp::predict_with_gradient`]), as
//! scikit-optimize's `acq_optimizer="lbfgs"` does; otherwise shrinking Gaussian steps in the unit
//! coordinates. Several suggestions at once, or suggestions while trials are still running, use the
//! constant liar: each pending point is added to the surrogate with the worst score so far as its
//! pretended value, which makes EI near it small and spreads a batch out (scikit-optimize's
//! `cl_max`).

use super::{Book, Strategy};
use crate::data::{rng, Rng};
use crate::error::Result;
use crate::tune::gp::{expected_improvement, expected_improvement_with_gradient, lbfgs_box, Gp, Kernel};
use crate::tune::space::Domain;
use crate::tune::space::{Point, Space};
use rand::seq::SliceRandom;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// The default EI margin `xi` (in units of the scores' standard deviation): 0, as gp_minimize's
/// 0.01 did worse here (see `StrategySpec::Bayes`); the surrogate picture uses it too.
pub const DEFAULT_XI: f64 = 0.0;

/// GP-EI search.
pub struct Bayes {
    space: Space,
    rng: Rng,
    book: Book,
    design: Vec<Vec<f64>>,
    candidates: usize,
    xi: f64,
    kernel: Option<Kernel>,
    /// Whether every parameter is an unconditional real: the GP's features are then the unit
    /// coordinates themselves, and EI is smooth in them (gradient-based acquisition).
    continuous: bool,
}

impl Bayes {
    pub fn new(space: &Space, seed: u64, initial: usize, candidates: usize, xi: f64) -> Bayes {
        let mut rng = rng(seed);
        let design = latin_hypercube(space.dim(), initial, &mut rng);
        let continuous = space.params().iter().all(|p| p.when.is_none() && matches!(p.domain, Domain::Real { .. }));
        Bayes { space: space.clone(), rng, book: Book::default(), design, candidates, xi, kernel: None, continuous }
    }

    /// Observed features and scores, failures at the worst finite score.
    fn training_set(&self) -> (Vec<Vec<f64>>, Vec<f64>) {
        let worst = self.book.done.iter().filter_map(|d| d.2).fold(f64::NEG_INFINITY, f64::max);
        let mut x = Vec::new();
        let mut y = Vec::new();
        if worst.is_finite() {
            for (p, _, s) in &self.book.done {
                x.push(self.space.features(&p.values));
                y.push(s.unwrap_or(worst));
            }
        }
        (x, y)
    }

    fn random_unit(&mut self) -> Vec<f64> {
        (0..self.space.dim()).map(|_| self.rng.random::<f64>()).collect()
    }

    /// The unit coordinates of the best point observed so far.
    fn incumbent(&self) -> Option<Vec<f64>> {
        self.book
            .done
            .iter()
            .filter_map(|(p, _, s)| s.map(|s| (s, p)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, p)| self.space.to_unit(&p.values))
    }

    /// The unit coordinates maximising EI under `gp` (best observed score `best`).
    fn maximise_ei(&mut self, gp: &Gp, best: f64, y_std: f64) -> Vec<f64> {
        let xi = self.xi * y_std;
        let space = self.space.clone();
        let continuous = self.continuous;
        let ei = |unit: &[f64]| {
            let (m, v) = if continuous {
                gp.predict(unit)
            } else {
                let p = space.decode(0, unit);
                gp.predict(&space.features(&p.values))
            };
            expected_improvement(m, v.sqrt(), best, xi)
        };
        let mut scored: Vec<(f64, Vec<f64>)> = (0..self.candidates)
            .map(|_| {
                let u = self.random_unit();
                (ei(&u), u)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.truncate(5);
        if let Some(u) = self.incumbent() {
            scored.push((ei(&u), u));
        }
        let mut best_found = scored.first().cloned().unwrap_or_else(|| (0.0, vec![0.5; self.space.dim()]));
        if continuous {
            // −EI scaled by the best start's EI, so L-BFGS's tolerances do not depend on the scores' units.
            let scale = scored.iter().map(|s| s.0).fold(0.0, f64::max);
            if !(scale > 0.0) {
                return best_found.1;
            }
            let f = |u: &[f64]| {
                let (v, g) = expected_improvement_with_gradient(&gp.predict_with_gradient(u), best, xi);
                (v.is_finite() && g.iter().all(|g| g.is_finite()))
                    .then(|| (-v / scale, g.iter().map(|g| -g / scale).collect()))
            };
            for (_, u) in scored {
                let Some((u, _)) = lbfgs_box(f, u, 50) else { continue };
                let v = ei(&u);
                if v > best_found.0 {
                    best_found = (v, u);
                }
            }
            return best_found.1;
        }
        for (mut value, mut u) in scored {
            let mut sigma = 0.1;
            for _ in 0..40 {
                let trial: Vec<f64> = u
                    .iter()
                    .map(|x| {
                        let step: f64 = StandardNormal.sample(&mut self.rng);
                        (x + sigma * step).clamp(0.0, 1.0)
                    })
                    .collect();
                let v = ei(&trial);
                if v > value {
                    value = v;
                    u = trial;
                } else {
                    sigma = (sigma * 0.85).max(1e-3);
                }
            }
            if value > best_found.0 {
                best_found = (value, u);
            }
        }
        best_found.1
    }

    fn next_unit(&mut self) -> Vec<f64> {
        let issued = self.book.done.len() + self.book.pending.len();
        if issued < self.design.len() {
            return self.design[issued].clone();
        }
        let (mut x, mut y) = self.training_set();
        if y.len() < 2 {
            return self.random_unit();
        }
        let n_real = y.len();
        let y_std = {
            let mean = y.iter().sum::<f64>() / n_real as f64;
            (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n_real as f64).sqrt().max(1e-12)
        };
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        let worst = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // Fit the kernel on the real observations only, then condition on them and the lies.
        // Warm-started from the last fit, plus one random start against local optima.
        let kernel = match Gp::fit_optimised(&x, &y, self.kernel.as_ref(), 1, &mut self.rng) {
            Ok(gp) => gp.kernel().clone(),
            Err(_) => return self.random_unit(),
        };
        self.kernel = Some(kernel.clone());
        for (_, unit) in &self.book.pending {
            x.push(self.space.features(&self.space.decode(0, unit).values));
            y.push(worst);
        }
        match Gp::fit(&x, &y, kernel, true) {
            Ok(gp) => self.maximise_ei(&gp, best, y_std),
            Err(_) => self.random_unit(),
        }
    }
}

/// `n` points of a Latin hypercube in [0, 1]^d: each coordinate's n strata used once, jittered.
pub fn latin_hypercube(d: usize, n: usize, rng: &mut Rng) -> Vec<Vec<f64>> {
    let mut columns: Vec<Vec<f64>> = (0..d)
        .map(|_| {
            let mut c: Vec<f64> = (0..n).map(|i| (i as f64 + rng.random::<f64>()) / n as f64).collect();
            c.shuffle(rng);
            c
        })
        .collect();
    (0..n).map(|i| columns.iter_mut().map(|c| c[i]).collect()).collect()
}

impl Strategy for Bayes {
    fn suggest(&mut self, n: usize) -> Vec<Point> {
        // Each point issued is pending, so the next one's surrogate already lies about it.
        (0..n)
            .map(|_| {
                let unit = self.next_unit();
                self.book.issue(&self.space, &unit)
            })
            .collect()
    }

    fn observe(&mut self, point: &Point, score: Result<f64>) {
        self.book.settle(point, &score);
    }

    fn surrogate(&mut self) -> Option<Gp> {
        let (x, y) = self.training_set();
        if y.len() < 2 {
            return None;
        }
        // Warm start only and nothing kept: drawing the picture must not change the search (no
        // random number drawn, the next suggestion's fit starts where it would have).
        Gp::fit_optimised(&x, &y, self.kernel.as_ref(), 0, &mut self.rng).ok()
    }
}
