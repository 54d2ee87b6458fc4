//! The crate's randomness: one portable, seeded generator and the draws built on it, shared by the
//! data generators, splits and resampling, and by the models' initialisers.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

/// The one random-number generator of the crate: portable and seeded, so the same seed gives the
/// same data, split and initialisation on every machine and in every browser.
pub type Rng = rand::rngs::ChaCha8Rng;

/// A generator seeded with `seed`.
pub fn rng(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// One draw from N(0, 1).
pub fn gaussian(r: &mut Rng) -> f64 {
    StandardNormal.sample(r)
}
