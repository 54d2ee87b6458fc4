//! Nelder–Mead, the model-free simplex method, on the unit coordinates (meant for continuous
//! spaces; integers and choices are rounded to their cells, which it tolerates but does not exploit).
//!
//! The adaptive coefficients of Gao and Han (2012) (reflection 1, expansion 1 + 2/d, contraction
//! 3/4 − 1/(2d), shrink 1 − 1/d; the classic 1, 2, ½, ½ in two dimensions) keep it working in
//! higher dimensions. Points leaving [0, 1] are clamped. A failed trial counts as +∞. When the
//! simplex has collapsed (its size or the spread of its scores is tiny) it restarts around a new
//! random point. As an ask/tell method it asks for one point at a time (d + 1 at the start, d on a
//! shrink), so in a pool it keeps at most that many workers busy.

use super::{usable, Strategy};
use crate::data::{rng, Rng};
use crate::error::Result;
use crate::tune::space::{Point, Space};
use rand::RngExt;

/// What the pending points are for.
#[derive(Debug, Clone)]
enum Phase {
    /// The vertices of a new simplex.
    Start,
    /// The reflected point.
    Reflect,
    /// The expanded point, after a reflection scoring `fr` at `xr`.
    Expand { xr: Vec<f64>, fr: f64 },
    /// The outside contraction, after a reflection scoring `fr`.
    ContractOutside { fr: f64 },
    /// The inside contraction.
    ContractInside,
    /// The shrunk vertices (all but the best).
    Shrink,
}

/// Nelder–Mead search.
pub struct NelderMead {
    space: Space,
    rng: Rng,
    step: f64,
    /// Vertices and their scores, best first once sorted.
    simplex: Vec<(Vec<f64>, f64)>,
    phase: Phase,
    /// Points of the current phase: unit coordinates, id once handed out, score once back.
    batch: Vec<(Vec<f64>, Option<u64>, Option<f64>)>,
    next_id: u64,
}

impl NelderMead {
    pub fn new(space: &Space, seed: u64, step: f64) -> NelderMead {
        let mut nm = NelderMead {
            space: space.clone(),
            rng: rng(seed),
            step,
            simplex: Vec::new(),
            phase: Phase::Start,
            batch: Vec::new(),
            next_id: 0,
        };
        nm.restart();
        nm
    }

    fn dim(&self) -> usize {
        self.space.dim()
    }

    /// A new simplex: a random vertex and one step along each axis (inwards at the boundary).
    fn restart(&mut self) {
        let x0: Vec<f64> = (0..self.dim()).map(|_| self.rng.random::<f64>()).collect();
        let mut vertices = vec![x0.clone()];
        for i in 0..self.dim() {
            let mut v = x0.clone();
            v[i] = if v[i] + self.step <= 1.0 { v[i] + self.step } else { v[i] - self.step };
            vertices.push(v);
        }
        self.simplex.clear();
        self.phase = Phase::Start;
        self.batch = vertices.into_iter().map(|v| (v, None, None)).collect();
    }

    fn coefficients(&self) -> (f64, f64, f64, f64) {
        let d = self.dim() as f64;
        (1.0, 1.0 + 2.0 / d, 0.75 - 1.0 / (2.0 * d), 1.0 - 1.0 / d)
    }

    /// The centroid of all vertices but the worst.
    fn centroid(&self) -> Vec<f64> {
        let n = self.simplex.len() - 1;
        (0..self.dim()).map(|i| self.simplex[..n].iter().map(|v| v.0[i]).sum::<f64>() / n as f64).collect()
    }

    /// `c + t (c − worst)`, clamped into the unit cube.
    fn along(&self, c: &[f64], t: f64) -> Vec<f64> {
        let worst = &self.simplex[self.simplex.len() - 1].0;
        c.iter().zip(worst).map(|(c, w)| (c + t * (c - w)).clamp(0.0, 1.0)).collect()
    }

    fn sort(&mut self) {
        self.simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    }

    fn replace_worst(&mut self, x: Vec<f64>, f: f64) {
        let last = self.simplex.len() - 1;
        self.simplex[last] = (x, f);
        self.sort();
    }

    /// Starts the next iteration: a reflection, or a restart if the simplex has collapsed.
    fn iterate(&mut self) {
        let best = &self.simplex[0];
        let size = self
            .simplex
            .iter()
            .map(|v| v.0.iter().zip(&best.0).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max))
            .fold(0.0, f64::max);
        let spread = self.simplex[self.simplex.len() - 1].1 - best.1;
        if size < 1e-4 || (spread.is_finite() && spread <= 1e-10 * (1.0 + best.1.abs())) {
            self.restart();
            return;
        }
        let (alpha, ..) = self.coefficients();
        let xr = self.along(&self.centroid(), alpha);
        self.phase = Phase::Reflect;
        self.batch = vec![(xr, None, None)];
    }

    /// Acts on the completed batch.
    fn advance(&mut self) {
        let results: Vec<(Vec<f64>, f64)> =
            self.batch.drain(..).map(|(x, _, f)| (x, f.unwrap_or(f64::INFINITY))).collect();
        let (_, gamma, rho, sigma) = self.coefficients();
        let n = self.simplex.len().saturating_sub(1);
        match std::mem::replace(&mut self.phase, Phase::Reflect) {
            Phase::Start => {
                self.simplex = results;
                self.sort();
                self.iterate();
            }
            Phase::Shrink => {
                self.simplex.truncate(1);
                self.simplex.extend(results);
                self.sort();
                self.iterate();
            }
            Phase::Reflect => {
                let Some((xr, fr)) = results.into_iter().next() else { return self.iterate() };
                let (f_best, f_second, f_worst) = (self.simplex[0].1, self.simplex[n - 1].1, self.simplex[n].1);
                let c = self.centroid();
                if fr < f_best {
                    self.phase = Phase::Expand { xr, fr };
                    self.batch = vec![(self.along(&c, gamma), None, None)];
                } else if fr < f_second {
                    self.replace_worst(xr, fr);
                    self.iterate();
                } else if fr < f_worst {
                    self.phase = Phase::ContractOutside { fr };
                    self.batch = vec![(self.along(&c, rho), None, None)];
                } else {
                    self.phase = Phase::ContractInside;
                    self.batch = vec![(self.along(&c, -rho), None, None)];
                }
            }
            Phase::Expand { xr, fr } => {
                let Some((xe, fe)) = results.into_iter().next() else { return self.iterate() };
                if fe < fr {
                    self.replace_worst(xe, fe);
                } else {
                    self.replace_worst(xr, fr);
                }
                self.iterate();
            }
            Phase::ContractOutside { fr } => {
                let Some((xc, fc)) = results.into_iter().next() else { return self.iterate() };
                if fc <= fr {
                    self.replace_worst(xc, fc);
                    self.iterate();
                } else {
                    self.shrink(sigma);
                }
            }
            Phase::ContractInside => {
                let Some((xc, fc)) = results.into_iter().next() else { return self.iterate() };
                if fc < self.simplex[n].1 {
                    self.replace_worst(xc, fc);
                    self.iterate();
                } else {
                    self.shrink(sigma);
                }
            }
        }
    }

    fn shrink(&mut self, sigma: f64) {
        let best = self.simplex[0].0.clone();
        self.phase = Phase::Shrink;
        self.batch = self.simplex[1..]
            .iter()
            .map(|(x, _)| (best.iter().zip(x).map(|(b, x)| b + sigma * (x - b)).collect(), None, None))
            .collect();
    }
}

impl Strategy for NelderMead {
    fn suggest(&mut self, n: usize) -> Vec<Point> {
        let mut out = Vec::new();
        for entry in self.batch.iter_mut().filter(|e| e.1.is_none()).take(n) {
            let point = self.space.decode(self.next_id, &entry.0);
            entry.1 = Some(self.next_id);
            self.next_id += 1;
            out.push(point);
        }
        out
    }

    fn observe(&mut self, point: &Point, score: Result<f64>) {
        let Some(entry) = self.batch.iter_mut().find(|e| e.1 == Some(point.id) && e.2.is_none()) else { return };
        entry.2 = Some(usable(&score).unwrap_or(f64::INFINITY));
        if self.batch.iter().all(|e| e.2.is_some()) {
            self.advance();
        }
    }
}
