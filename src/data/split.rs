//! Seeded train/test splits.

use super::Rng;
use rand::seq::SliceRandom;

/// Shuffles `0..n` with `rng` and puts `round(n · test_ratio)` indices in the test set (at least
/// one point stays in training when n ≥ 1). Both lists come back sorted.
pub fn train_test_split(n: usize, test_ratio: f64, rng: &mut Rng) -> (Vec<usize>, Vec<usize>) {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.shuffle(rng);
    let ratio = if test_ratio.is_finite() { test_ratio.clamp(0.0, 1.0) } else { 0.0 };
    let n_test = ((n as f64 * ratio).round() as usize).min(n.saturating_sub(1));
    let mut test = idx[..n_test].to_vec();
    let mut train = idx[n_test..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::rng;

    #[test]
    fn split_is_a_seeded_partition() {
        let (train, test) = train_test_split(100, 0.25, &mut rng(7));
        assert_eq!((train.len(), test.len()), (75, 25));
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        assert_eq!(train_test_split(100, 0.25, &mut rng(7)), (train, test.clone()));
        assert_ne!(train_test_split(100, 0.25, &mut rng(8)).1, test);
        assert_eq!(train_test_split(1, 0.9, &mut rng(1)), (vec![0], vec![]));
        assert_eq!(train_test_split(0, 0.5, &mut rng(1)), (vec![], vec![]));
    }
}
