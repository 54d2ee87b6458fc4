//! Class imbalance: random under-sampling, random over-sampling and SMOTE (all seeded, all to
//! equal class counts), and scikit-learn's "balanced" class weights. Resampling is for training
//! rows only; the pipeline never resamples test rows.

use super::{rng, Dataset, Task};
use crate::error::{check_count, Result};
use crate::tagged::tagged_enum;
use nalgebra::{DMatrix, DVector};
use rand::seq::SliceRandom;
use rand::RngExt;

tagged_enum! {
    /// How training rows are resampled to balance the classes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Resampling("kind") {
        #[default]
        None = "none",
        /// Drop random rows of the larger classes down to the smallest class's count.
        Under = "under",
        /// Repeat random rows of the smaller classes up to the largest class's count.
        Over = "over",
        /// Add synthetic rows to the smaller classes up to the largest class's count, each on the
        /// segment between a row and one of its `neighbours` nearest rows of the same class (1–20).
        Smote = "smote" { neighbours: usize },
    }
}

/// A resampled dataset and where each of its rows came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Resampled {
    pub data: Dataset,
    /// For each row: the row of the input it copies, or for a SMOTE row the input row it starts
    /// from.
    pub source: Vec<usize>,
    /// For each row: true when it is synthetic (made by SMOTE), so the page can mark it.
    pub synthetic: Vec<bool>,
}

/// The rows of each class, in order.
fn rows_by_class(data: &Dataset) -> Result<Vec<Vec<usize>>> {
    let Task::Classification { n_classes } = data.task else {
        return Err(err!(InvalidParameter, "resample_needs_classes"));
    };
    let mut rows = vec![Vec::new(); n_classes];
    for (i, &c) in data.y.iter().enumerate() {
        if let Some(list) = (c >= 0.0 && c.fract() == 0.0).then(|| rows.get_mut(c as usize)).flatten() {
            list.push(i);
        }
    }
    Ok(rows)
}

/// scikit-learn's `compute_class_weight("balanced")`: `n / (k · count_c)` for each class `c`, where
/// k is the number of classes present; a class with no rows gets weight 0.
pub fn balanced_class_weights(y: &[f64], n_classes: usize) -> Vec<f64> {
    let mut counts = vec![0usize; n_classes];
    for &c in y {
        if c >= 0.0 && c.fract() == 0.0 && (c as usize) < n_classes {
            counts[c as usize] += 1;
        }
    }
    let present = counts.iter().filter(|&&c| c > 0).count().max(1);
    let n: usize = counts.iter().sum();
    counts.iter().map(|&c| if c == 0 { 0.0 } else { n as f64 / (present * c) as f64 }).collect()
}

/// Applies `resampling` to `data` with `seed`.
pub fn resample(data: &Dataset, resampling: Resampling, seed: u64) -> Result<Resampled> {
    match resampling {
        Resampling::None => {
            Ok(Resampled { data: data.clone(), source: (0..data.len()).collect(), synthetic: vec![false; data.len()] })
        }
        Resampling::Under => random_under_sample(data, seed),
        Resampling::Over => random_over_sample(data, seed),
        Resampling::Smote { neighbours } => smote(data, neighbours, seed),
    }
}

fn copies(data: &Dataset, mut source: Vec<usize>) -> Resampled {
    source.sort_unstable();
    let synthetic = vec![false; source.len()];
    Resampled { data: data.select(&source), source, synthetic }
}

/// Keeps every row of the smallest class present and a random (seeded) subset of the same size of
/// every other class; rows stay in their original order.
pub fn random_under_sample(data: &Dataset, seed: u64) -> Result<Resampled> {
    let classes = rows_by_class(data)?;
    let target = classes.iter().map(Vec::len).filter(|&c| c > 0).min().unwrap_or(0);
    let mut r = rng(seed);
    let mut keep = Vec::new();
    for mut rows in classes {
        if rows.len() > target {
            rows.shuffle(&mut r);
            rows.truncate(target);
        }
        keep.extend(rows);
    }
    Ok(copies(data, keep))
}

/// Keeps every row and repeats random (seeded) rows of each smaller class until every class
/// present has the largest class's count. The copies follow the original rows.
pub fn random_over_sample(data: &Dataset, seed: u64) -> Result<Resampled> {
    let classes = rows_by_class(data)?;
    let target = classes.iter().map(Vec::len).max().unwrap_or(0);
    let mut r = rng(seed);
    let mut source: Vec<usize> = (0..data.len()).collect();
    for rows in classes.iter().filter(|rows| !rows.is_empty()) {
        for _ in rows.len()..target {
            source.push(rows[r.random_range(0..rows.len())]);
        }
    }
    let synthetic = vec![false; source.len()];
    Ok(Resampled { data: data.select(&source), source, synthetic })
}

/// The `k` nearest rows to row `i` among `rows` (excluding `i`), by Euclidean distance, nearest
/// first (ties by row order).
pub fn nearest_in_class(x: &DMatrix<f64>, i: usize, rows: &[usize], k: usize) -> Vec<usize> {
    let mut candidates: Vec<(f64, usize)> =
        rows.iter().filter(|&&r| r != i).map(|&r| ((x.row(r) - x.row(i)).norm_squared(), r)).collect();
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    candidates.into_iter().take(k).map(|(_, r)| r).collect()
}

/// SMOTE (Chawla et al. 2002, as imbalanced-learn): keeps every row, then for each smaller class
/// adds synthetic rows until it has the largest class's count. Each synthetic row picks a random
/// row `a` of the class, a random one `b` of its `neighbours` nearest rows of the same class, and
/// a random `u` in [0, 1), and is `a + u·(b − a)`. Fails when a class to grow has a single row.
pub fn smote(data: &Dataset, neighbours: usize, seed: u64) -> Result<Resampled> {
    check_count("number of SMOTE neighbours", neighbours, 1, 20)?;
    let classes = rows_by_class(data)?;
    let target = classes.iter().map(Vec::len).max().unwrap_or(0);
    if data.x.iter().any(|v| !v.is_finite()) {
        return Err(err!(InvalidData, "smote_missing"));
    }
    let d = data.n_features();
    let mut r = rng(seed);
    let mut new_rows: Vec<f64> = Vec::new();
    let mut new_y = Vec::new();
    let mut source: Vec<usize> = (0..data.len()).collect();
    for (class, rows) in classes.iter().enumerate() {
        if rows.is_empty() || rows.len() >= target {
            continue;
        }
        if rows.len() < 2 {
            return Err(err!(InvalidData, "smote_single_row", class = class));
        }
        let k = neighbours.min(rows.len() - 1);
        let nearest: Vec<Vec<usize>> = rows.iter().map(|&i| nearest_in_class(&data.x, i, rows, k)).collect();
        for _ in rows.len()..target {
            let which = r.random_range(0..rows.len());
            let a = rows[which];
            let b = nearest[which][r.random_range(0..nearest[which].len())];
            let u: f64 = r.random();
            for j in 0..d {
                new_rows.push(data.x[(a, j)] + u * (data.x[(b, j)] - data.x[(a, j)]));
            }
            new_y.push(class as f64);
            source.push(a);
        }
    }
    let n_new = new_y.len();
    let n = data.len();
    let mut x = data.x.clone().resize_vertically(n + n_new, 0.0);
    for (t, chunk) in new_rows.chunks(d.max(1)).enumerate() {
        for (j, &v) in chunk.iter().enumerate() {
            x[(n + t, j)] = v;
        }
    }
    let y = DVector::from_iterator(n + n_new, data.y.iter().copied().chain(new_y));
    let mut synthetic = vec![false; n];
    synthetic.resize(n + n_new, true);
    Ok(Resampled {
        data: Dataset { x, y, feature_names: data.feature_names.clone(), task: data.task },
        source,
        synthetic,
    })
}
