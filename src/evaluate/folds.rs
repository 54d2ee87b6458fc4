//! Which rows train and which test: hold-out splits and k-fold cross-validation folds (plain or
//! stratified by class, in scikit-learn's fold order or seeded-shuffled).

use crate::data::{rng, Dataset, Task};
use crate::error::{check_count, check_range, Result};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// The rows used to train and to test, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

fn fold_from_test(n: usize, mut test: Vec<usize>) -> Fold {
    test.sort_unstable();
    let train = (0..n).filter(|i| test.binary_search(i).is_err()).collect();
    Fold { train, test }
}

fn check_folds(k: usize, n: usize) -> Result<()> {
    check_count("number of folds", k, 2, 10)?;
    if n < k {
        return Err(err!(InvalidData, "folds_too_many", k = k, n = n));
    }
    Ok(())
}

/// scikit-learn's `KFold(k)`: the rows (shuffled by `shuffle_seed`, or in order when `None`) cut
/// into k consecutive test blocks, the first `n % k` of them one row longer.
pub fn k_fold(n: usize, k: usize, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    check_folds(k, n)?;
    let mut order: Vec<usize> = (0..n).collect();
    if let Some(seed) = shuffle_seed {
        order.shuffle(&mut rng(seed));
    }
    let mut folds = Vec::with_capacity(k);
    let mut start = 0;
    for f in 0..k {
        let size = n / k + usize::from(f < n % k);
        folds.push(fold_from_test(n, order[start..start + size].to_vec()));
        start += size;
    }
    Ok(folds)
}

/// scikit-learn's `StratifiedKFold(k)` (version ≥ 0.24): the classes, numbered in order of first
/// appearance, are dealt round-robin over the folds from the sorted labels to decide how many
/// rows of each class each fold tests; then each class's rows, in order, fill the folds in
/// blocks. With `shuffle_seed`, each class's fold assignments are shuffled (seeded). Fails when
/// every class has fewer rows than `k`.
pub fn stratified_k_fold(y: &[f64], k: usize, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    let n = y.len();
    check_folds(k, n)?;
    // Classes in order of first appearance.
    let mut first_seen: Vec<f64> = Vec::new();
    let encoded: Vec<usize> = y
        .iter()
        .map(|&v| match first_seen.iter().position(|&c| c == v) {
            Some(c) => c,
            None => {
                first_seen.push(v);
                first_seen.len() - 1
            }
        })
        .collect();
    let n_classes = first_seen.len();
    let mut counts = vec![0usize; n_classes];
    for &c in &encoded {
        counts[c] += 1;
    }
    if counts.iter().all(|&c| c < k) {
        return Err(err!(InvalidData, "stratified_too_few", k = k));
    }
    let mut sorted = encoded.clone();
    sorted.sort_unstable();
    // allocation[f][c]: rows of class c tested in fold f.
    let mut allocation = vec![vec![0usize; n_classes]; k];
    for (position, &c) in sorted.iter().enumerate() {
        allocation[position % k][c] += 1;
    }
    let mut r = shuffle_seed.map(rng);
    let mut test_fold = vec![0usize; n];
    for c in 0..n_classes {
        let mut folds_for_class: Vec<usize> =
            allocation.iter().enumerate().flat_map(|(f, per_class)| std::iter::repeat_n(f, per_class[c])).collect();
        if let Some(r) = r.as_mut() {
            folds_for_class.shuffle(r);
        }
        let rows = (0..n).filter(|&i| encoded[i] == c);
        for (i, f) in rows.zip(folds_for_class) {
            test_fold[i] = f;
        }
    }
    Ok((0..k).map(|f| fold_from_test(n, (0..n).filter(|&i| test_fold[i] == f).collect())).collect())
}

/// The folds of `data`: stratified by class when asked (classification only), shuffled by
/// `shuffle_seed` unless it is `None`.
pub fn folds(data: &Dataset, k: usize, stratified: bool, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    if stratified {
        if !matches!(data.task, Task::Classification { .. }) {
            return Err(err!(InvalidParameter, "stratified_needs_classes"));
        }
        stratified_k_fold(data.y.as_slice(), k, shuffle_seed)
    } else {
        k_fold(data.len(), k, shuffle_seed)
    }
}

/// A seeded hold-out split putting `round(n · test_ratio)` rows in the test set (0.05 to 0.9);
/// when `stratified`, each class contributes `round(count · test_ratio)` of its rows.
pub fn hold_out(data: &Dataset, test_ratio: f64, stratified: bool, seed: u64) -> Result<Fold> {
    check_range("test share", test_ratio, 0.05, 0.9)?;
    let n = data.len();
    let mut r = rng(seed);
    let groups: Vec<Vec<usize>> = match (stratified, data.task) {
        (true, Task::Classification { n_classes }) => {
            let mut groups = vec![Vec::new(); n_classes];
            for (i, &c) in data.y.iter().enumerate() {
                if let Some(g) = groups.get_mut(c as usize) {
                    g.push(i);
                }
            }
            groups
        }
        (true, Task::Regression) => return Err(err!(InvalidParameter, "stratified_needs_classes")),
        (false, _) => vec![(0..n).collect()],
    };
    let mut test = Vec::new();
    for mut rows in groups {
        rows.shuffle(&mut r);
        let take = ((rows.len() as f64 * test_ratio).round() as usize).min(rows.len().saturating_sub(1));
        test.extend_from_slice(&rows[..take]);
    }
    Ok(fold_from_test(n, test))
}
