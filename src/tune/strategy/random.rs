//! Random search: each point drawn independently and uniformly in the unit coordinates (so log
//! parameters are log-uniform and every choice of a categorical is equally likely).

use super::{Book, Strategy};
use crate::data::{rng, Rng};
use crate::error::Result;
use crate::tune::space::{Point, Space};
use rand::RngExt;

/// Independent uniform draws.
pub struct Random {
    space: Space,
    rng: Rng,
    book: Book,
}

impl Random {
    pub fn new(space: &Space, seed: u64) -> Random {
        Random { space: space.clone(), rng: rng(seed), book: Book::default() }
    }
}

impl Strategy for Random {
    fn suggest(&mut self, n: usize) -> Vec<Point> {
        (0..n)
            .map(|_| {
                let unit: Vec<f64> = (0..self.space.dim()).map(|_| self.rng.random::<f64>()).collect();
                self.book.issue(&self.space, &unit)
            })
            .collect()
    }

    fn observe(&mut self, point: &Point, score: Result<f64>) {
        self.book.settle(point, &score);
    }
}
