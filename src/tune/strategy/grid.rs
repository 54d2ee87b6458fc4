//! Grid search: every combination of a few levels per parameter (all choices of a categorical, all
//! values of a small integer range, `levels` evenly spaced values of a real or a wide integer range,
//! in log space for log parameters), in order, the last parameter varying fastest. An inactive
//! conditional parameter adds no combinations. A grid larger than the budget is refused with its size.

use super::{Book, Strategy};
use crate::error::Result;
use crate::tune::space::{Domain, Point, Space};

/// The points of a grid, handed out in order.
pub struct Grid {
    space: Space,
    points: Vec<Vec<f64>>,
    next: usize,
    book: Book,
}

impl Grid {
    /// The grid of `levels` levels per real parameter, refused if it has more than `budget` points.
    pub fn new(space: &Space, levels: usize, budget: usize) -> Result<Grid> {
        crate::error::check_count("grid levels", levels, 2, 1000)?;
        let per_param: Vec<Vec<f64>> = space.params().iter().map(|p| param_levels(&p.domain, levels)).collect();
        let mut points = Vec::new();
        let mut partial = Vec::with_capacity(space.dim());
        if !enumerate(space, &per_param, &mut partial, &mut points, budget) {
            let bound = per_param.iter().fold(1u64, |n, l| n.saturating_mul(l.len() as u64));
            let conditional = space.params().iter().any(|p| p.when.is_some());
            let size = if conditional {
                format!("more than {budget} points (at most {bound})")
            } else {
                format!("{bound} points")
            };
            return Err(err!(InvalidParameter, "grid_over_budget", size = size, budget = budget));
        }
        Ok(Grid { space: space.clone(), points, next: 0, book: Book::default() })
    }

    /// The number of points in the grid.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the grid has no point (never: a space has at least one parameter).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// The unit coordinates of one parameter's levels.
fn param_levels(domain: &Domain, levels: usize) -> Vec<f64> {
    let spaced = || (0..levels).map(|i| i as f64 / (levels - 1) as f64);
    match domain {
        Domain::Real { .. } => spaced().collect(),
        Domain::Int { .. } | Domain::Categorical { .. } => {
            let count = domain.count().unwrap_or(1);
            if count <= levels as u64 {
                (0..count).map(|i| (i as f64 + 0.5) / count as f64).collect()
            } else {
                // Evenly spaced integers (in log space for a log range), their cell centres, without repeats.
                let mut out: Vec<f64> = Vec::new();
                for u in spaced() {
                    let centre = domain.to_unit(domain.decode(u));
                    if out.last() != Some(&centre) {
                        out.push(centre);
                    }
                }
                out
            }
        }
    }
}

/// Depth-first enumeration; false as soon as there are more than `cap` points.
fn enumerate(space: &Space, levels: &[Vec<f64>], partial: &mut Vec<f64>, out: &mut Vec<Vec<f64>>, cap: usize) -> bool {
    let i = partial.len();
    if i == levels.len() {
        if out.len() >= cap {
            return false;
        }
        out.push(partial.clone());
        return true;
    }
    // Whether parameter i is active given the levels chosen so far (decode the partial point).
    let mut probe = partial.clone();
    probe.resize(levels.len(), 0.5);
    let active = space.decode(0, &probe).values[i].is_some();
    let options: &[f64] = if active { &levels[i] } else { &[0.5] };
    for &u in options {
        partial.push(u);
        let ok = enumerate(space, levels, partial, out, cap);
        partial.pop();
        if !ok {
            return false;
        }
    }
    true
}

impl Strategy for Grid {
    fn suggest(&mut self, n: usize) -> Vec<Point> {
        let end = (self.next + n).min(self.points.len());
        let out = (self.next..end).map(|i| self.book.issue(&self.space, &self.points[i])).collect();
        self.next = end;
        out
    }

    fn observe(&mut self, point: &Point, score: Result<f64>) {
        self.book.settle(point, &score);
    }
}
