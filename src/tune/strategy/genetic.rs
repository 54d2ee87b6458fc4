//! A generational genetic algorithm over the unit coordinates (one gene per parameter).
//!
//! Generation 0 is `population` random points. When every member of a generation has its score,
//! the next one is bred: the `elite` best members pass unchanged (with their scores, not
//! re-evaluated); each other child takes two parents chosen by tournaments of `tournament` members
//! (lowest score wins, a failed trial loses to any score), takes each gene from the second parent
//! with probability `crossover` (uniform crossover), and mutates each gene with probability
//! `mutation` (a Gaussian step of 0.1 for numbers, a new random choice for categoricals). The
//! generations are kept for the population picture.

use super::{usable, Strategy};
use crate::data::{rng, Rng};
use crate::error::Result;
use crate::tune::space::{Domain, Point, Space};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

/// The genetic algorithm's settings (checked by [`super::StrategySpec::build`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub population: usize,
    pub tournament: usize,
    pub crossover: f64,
    pub mutation: f64,
    pub elite: usize,
}

/// One member of a generation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub point: Point,
    /// The unit coordinates (the genes).
    pub genes: Vec<f64>,
    /// Whether its score has come back.
    pub observed: bool,
    /// Its score, `None` while pending or when the trial failed.
    pub score: Option<f64>,
    /// Whether it was carried over from the previous generation.
    pub elite: bool,
}

/// Genetic search.
pub struct Genetic {
    space: Space,
    rng: Rng,
    settings: Settings,
    generations: Vec<Vec<Member>>,
    /// How many members of the current generation have been handed out.
    handed: usize,
    next_id: u64,
}

impl Genetic {
    pub fn new(space: &Space, seed: u64, settings: Settings) -> Genetic {
        let mut g =
            Genetic { space: space.clone(), rng: rng(seed), settings, generations: Vec::new(), handed: 0, next_id: 0 };
        let first: Vec<Member> = (0..settings.population)
            .map(|_| {
                let genes: Vec<f64> = (0..space.dim()).map(|_| g.rng.random::<f64>()).collect();
                g.member(genes)
            })
            .collect();
        g.generations.push(first);
        g
    }

    fn member(&mut self, genes: Vec<f64>) -> Member {
        let point = self.space.decode(self.next_id, &genes);
        self.next_id += 1;
        // Snap the genes to the point (integer and choice cells at their centres).
        let genes = self.space.to_unit(&point.values);
        Member { point, genes, observed: false, score: None, elite: false }
    }

    /// The fitter of two members: the lower score; a failure loses.
    fn fitness(m: &Member) -> f64 {
        m.score.unwrap_or(f64::INFINITY)
    }

    fn tournament(&mut self, generation: &[Member]) -> usize {
        let mut best = self.rng.random_range(0..generation.len());
        for _ in 1..self.settings.tournament {
            let c = self.rng.random_range(0..generation.len());
            if Self::fitness(&generation[c]) < Self::fitness(&generation[best]) {
                best = c;
            }
        }
        best
    }

    /// Breeds the next generation from the complete current one.
    fn breed(&mut self) {
        let Some(current) = self.generations.last().cloned() else { return };
        let mut order: Vec<usize> = (0..current.len()).collect();
        order.sort_by(|&a, &b| Self::fitness(&current[a]).total_cmp(&Self::fitness(&current[b])));
        let mut next: Vec<Member> =
            order.iter().take(self.settings.elite).map(|&i| Member { elite: true, ..current[i].clone() }).collect();
        while next.len() < self.settings.population {
            let a = self.tournament(&current);
            let b = self.tournament(&current);
            let genes: Vec<f64> = (0..self.space.dim())
                .map(|i| {
                    let mut g = if self.rng.random::<f64>() < self.settings.crossover {
                        current[b].genes[i]
                    } else {
                        current[a].genes[i]
                    };
                    if self.rng.random::<f64>() < self.settings.mutation {
                        g = match self.space.params()[i].domain {
                            Domain::Categorical { .. } => self.rng.random::<f64>(),
                            _ => {
                                let z: f64 = StandardNormal.sample(&mut self.rng);
                                (g + 0.1 * z).clamp(0.0, 1.0)
                            }
                        };
                    }
                    g
                })
                .collect();
            let child = self.member(genes);
            next.push(child);
        }
        // Elites first, so the members to hand out are a contiguous tail.
        self.handed = next.iter().filter(|m| m.elite).count();
        self.generations.push(next);
    }
}

impl Strategy for Genetic {
    fn suggest(&mut self, n: usize) -> Vec<Point> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let Some(current) = self.generations.last() else { break };
            if self.handed < current.len() {
                out.push(current[self.handed].point.clone());
                self.handed += 1;
            } else if current.iter().all(|m| m.observed) {
                self.breed();
            } else {
                break; // waiting for this generation's results
            }
        }
        out
    }

    fn observe(&mut self, point: &Point, score: Result<f64>) {
        let score = usable(&score);
        if let Some(current) = self.generations.last_mut() {
            if let Some(m) = current.iter_mut().find(|m| m.point.id == point.id && !m.elite && !m.observed) {
                m.observed = true;
                m.score = score;
            }
        }
    }

    fn generations(&self) -> Vec<Vec<Member>> {
        self.generations.clone()
    }
}
