//! Tree-structured Parzen estimators (Bergstra et al. 2011; Optuna's default sampler).
//!
//! After `startup` random trials the observations are split into the best γ (10 %, at most 25) and
//! the rest. For each parameter a Parzen estimator is built over its unit coordinate from each group
//! (only trials where the parameter was active count): a mixture of truncated normals with a broad
//! prior component and Optuna's bandwidths for numbers, smoothed frequencies for categoricals. A
//! suggestion draws `candidates` points from the good group's densities and keeps the one with the
//! largest ratio l(x) / g(x) (summed log-ratios over the active parameters). Running trials count as
//! bad ones (Optuna's `constant_liar`), which keeps parallel workers apart.

use super::{Book, Strategy};
use crate::data::{rng, Rng};
use crate::error::Result;
use crate::tune::gp::{normal_cdf, normal_pdf};
use crate::tune::space::{Domain, Point, Space};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// TPE search.
pub struct Tpe {
    space: Space,
    rng: Rng,
    book: Book,
    startup: usize,
    candidates: usize,
}

/// One parameter's density over its unit coordinate.
enum Parzen {
    /// Truncated normals on [0, 1] with equal weights.
    Numeric { mus: Vec<f64>, sigmas: Vec<f64> },
    /// Probabilities of the choices.
    Categorical { probs: Vec<f64> },
}

impl Parzen {
    fn new(domain: &Domain, samples: &[f64]) -> Parzen {
        match domain {
            Domain::Categorical { choices } => {
                let k = choices.len();
                let mut probs = vec![1.0 / k as f64; k];
                for u in samples {
                    probs[((u * k as f64) as usize).min(k - 1)] += 1.0;
                }
                let total: f64 = probs.iter().sum();
                probs.iter_mut().for_each(|p| *p /= total);
                Parzen::Categorical { probs }
            }
            _ => {
                // Observations plus the prior (centre 0.5, width of the range), sorted; each
                // bandwidth is the larger gap to a neighbour, clipped as Optuna does.
                let mut mus: Vec<f64> = samples.to_vec();
                mus.push(0.5);
                mus.sort_by(f64::total_cmp);
                let n = mus.len();
                let min_sigma = 1.0 / (100f64).min(1.0 + n as f64);
                let mut sigmas: Vec<f64> = (0..n)
                    .map(|i| {
                        let left = if i == 0 { mus[i] } else { mus[i] - mus[i - 1] };
                        let right = if i + 1 == n { 1.0 - mus[i] } else { mus[i + 1] - mus[i] };
                        left.max(right).clamp(min_sigma, 1.0)
                    })
                    .collect();
                // The prior keeps the full width.
                if let Some(p) = mus.iter().position(|m| *m == 0.5) {
                    sigmas[p] = 1.0;
                }
                Parzen::Numeric { mus, sigmas }
            }
        }
    }

    fn sample(&self, rng: &mut Rng) -> f64 {
        match self {
            Parzen::Categorical { probs } => {
                let mut r: f64 = rng.random();
                for (c, p) in probs.iter().enumerate() {
                    r -= p;
                    if r <= 0.0 {
                        return (c as f64 + 0.5) / probs.len() as f64;
                    }
                }
                (probs.len() as f64 - 0.5) / probs.len() as f64
            }
            Parzen::Numeric { mus, sigmas } => {
                let k = rng.random_range(0..mus.len());
                for _ in 0..100 {
                    let z: f64 = StandardNormal.sample(rng);
                    let x = mus[k] + sigmas[k] * z;
                    if (0.0..=1.0).contains(&x) {
                        return x;
                    }
                }
                mus[k].clamp(0.0, 1.0)
            }
        }
    }

    fn log_density(&self, u: f64) -> f64 {
        match self {
            Parzen::Categorical { probs } => probs[((u * probs.len() as f64) as usize).min(probs.len() - 1)].ln(),
            Parzen::Numeric { mus, sigmas } => {
                let total: f64 = mus
                    .iter()
                    .zip(sigmas)
                    .map(|(m, s)| {
                        let z = (u - m) / s;
                        let mass = normal_cdf((1.0 - m) / s) - normal_cdf(-m / s);
                        normal_pdf(z) / (s * mass.max(1e-300))
                    })
                    .sum();
                (total / mus.len() as f64).max(1e-300).ln()
            }
        }
    }
}

impl Tpe {
    pub fn new(space: &Space, seed: u64, startup: usize, candidates: usize) -> Tpe {
        Tpe { space: space.clone(), rng: rng(seed), book: Book::default(), startup, candidates }
    }

    fn next_unit(&mut self) -> Vec<f64> {
        let d = self.space.dim();
        if self.book.done.len() + self.book.pending.len() < self.startup {
            return (0..d).map(|_| self.rng.random::<f64>()).collect();
        }
        // Observations with scores (failures and running trials at +∞), best first.
        let mut obs: Vec<(&Point, &Vec<f64>, f64)> =
            self.book.done.iter().map(|(p, u, s)| (p, u, s.unwrap_or(f64::INFINITY))).collect();
        obs.extend(self.book.pending.iter().map(|(p, u)| (p, u, f64::INFINITY)));
        obs.sort_by(|a, b| a.2.total_cmp(&b.2));
        let n_below = ((obs.len() as f64 * 0.1).ceil() as usize).clamp(1, 25);
        let (below, above) = obs.split_at(n_below.min(obs.len()));
        let estimators: Vec<(Parzen, Parzen)> = (0..d)
            .map(|i| {
                let domain = &self.space.params()[i].domain;
                let active = |group: &[(&Point, &Vec<f64>, f64)]| -> Vec<f64> {
                    group.iter().filter(|o| o.0.values[i].is_some()).map(|o| o.1[i]).collect()
                };
                (Parzen::new(domain, &active(below)), Parzen::new(domain, &active(above)))
            })
            .collect();
        let mut best: Option<(f64, Vec<f64>)> = None;
        for _ in 0..self.candidates {
            let unit: Vec<f64> = estimators.iter().map(|(l, _)| l.sample(&mut self.rng)).collect();
            let point = self.space.decode(0, &unit);
            let score: f64 = estimators
                .iter()
                .zip(&unit)
                .zip(&point.values)
                .filter(|(_, v)| v.is_some())
                .map(|(((l, g), u), _)| l.log_density(*u) - g.log_density(*u))
                .sum();
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, unit));
            }
        }
        best.map(|b| b.1).unwrap_or_else(|| vec![0.5; d])
    }
}

impl Strategy for Tpe {
    fn suggest(&mut self, n: usize) -> Vec<Point> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tune::value::Value;

    /// A numeric estimator is a density on [0, 1]: Simpson's rule integrates it to 1.
    #[test]
    fn numeric_parzen_integrates_to_one() {
        let domain = Domain::Real { low: 0.0, high: 1.0, log: false };
        for samples in [vec![], vec![0.1, 0.15, 0.8], vec![0.0, 1.0, 0.5, 0.5, 0.9]] {
            let p = Parzen::new(&domain, &samples);
            let steps = 2000;
            let h = 1.0 / steps as f64;
            let f = |u: f64| p.log_density(u).exp();
            let mut integral = f(0.0) + f(1.0);
            for i in 1..steps {
                integral += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
            }
            integral *= h / 3.0;
            assert!((integral - 1.0).abs() < 1e-6, "{samples:?}: {integral}");
        }
    }

    /// A categorical estimator's probabilities: counts plus a prior of weight 1 spread evenly.
    #[test]
    fn categorical_parzen_smooths_counts() {
        let domain = Domain::Categorical { choices: vec![Value::Int(0), Value::Int(1), Value::Int(2)] };
        // Two observations of choice 0 (unit coordinate 1/6): (2 + 1/3) / 3, and (1/3) / 3 for the others.
        let p = Parzen::new(&domain, &[1.0 / 6.0, 1.0 / 6.0]);
        assert!((p.log_density(0.1).exp() - 7.0 / 9.0).abs() < 1e-15);
        assert!((p.log_density(0.5).exp() - 1.0 / 9.0).abs() < 1e-15);
        assert!((p.log_density(0.9).exp() - 1.0 / 9.0).abs() < 1e-15);
    }
}
