//! Missing values and outliers: imputers and outlier rules fitted on the training rows only and
//! then applied to any rows, plus injectors that spoil generated data on purpose so the learner
//! can see what cleaning does.
//!
//! Missing values are NaN in a dataset's `x` (as [`super::csv_import::to_dataset`] leaves them).
//! The imputers follow scikit-learn's `SimpleImputer` (mean, median, most frequent) and
//! `KNNImputer` (nan-Euclidean distance, uniform weights); the outlier rules are the z-score
//! (population standard deviation) and Tukey's IQR fences with numpy's linear percentiles.

use super::{rng, Dataset};
use crate::error::{check_count, check_range, Result};
use crate::tagged::tagged_enum;
use nalgebra::DMatrix;
use rand::seq::SliceRandom;
use rand::RngExt;
use serde::{Deserialize, Serialize};

tagged_enum! {
    /// How missing feature values are handled.
    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    pub enum ImputeStrategy("kind") {
        /// Leave out every row with a missing value.
        #[default]
        DropRows = "drop_rows",
        /// The column's mean over the training rows.
        Mean = "mean",
        /// The column's median over the training rows.
        Median = "median",
        /// The column's most frequent training value (the smallest on ties).
        MostFrequent = "most_frequent",
        /// The mean of the column over the `neighbours` nearest training rows that have it, by
        /// nan-Euclidean distance (1 to 50).
        Knn = "knn" { neighbours: usize },
    }
}

/// True when any feature value of `data` is missing (NaN).
pub fn has_missing(data: &Dataset) -> bool {
    data.x.iter().any(|v| v.is_nan())
}

/// Number of missing (NaN) feature values in each column.
pub fn missing_per_column(x: &DMatrix<f64>) -> Vec<usize> {
    x.column_iter().map(|c| c.iter().filter(|v| v.is_nan()).count()).collect()
}

/// The present (non-NaN) values of a column.
fn present(column: impl Iterator<Item = f64>) -> Vec<f64> {
    column.filter(|v| !v.is_nan()).collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// numpy's `percentile(values, 100·q)` with linear interpolation; `values` sorted, non-empty.
pub(crate) fn percentile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let position = q.clamp(0.0, 1.0) * (n - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(n - 1);
    let fraction = position - below as f64;
    sorted[below] + fraction * (sorted[above] - sorted[below])
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

/// An imputer fitted on training rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Imputer {
    pub strategy: ImputeStrategy,
    /// The value put in each column (for k-nearest neighbours: the training mean, used when no
    /// training row shares a present feature with the row being filled).
    pub fill: Vec<f64>,
    /// The training rows (k-nearest neighbours only).
    donors: DMatrix<f64>,
}

impl Imputer {
    /// Fits `strategy` on the training rows `train`. Fails when a column has no value in the
    /// training rows (there is nothing to fill it from).
    pub fn fit(strategy: ImputeStrategy, train: &Dataset) -> Result<Imputer> {
        if let ImputeStrategy::Knn { neighbours } = strategy {
            check_count("number of neighbours", neighbours, 1, 50)?;
        }
        let mut fill = Vec::with_capacity(train.n_features());
        for (j, column) in train.x.column_iter().enumerate() {
            let values = present(column.iter().copied());
            if values.is_empty() && strategy != ImputeStrategy::DropRows {
                let name = train.feature_names.get(j).cloned().unwrap_or_else(|| format!("x{}", j + 1));
                return Err(err!(InvalidData, "impute_no_value", name = name));
            }
            fill.push(match strategy {
                ImputeStrategy::DropRows => f64::NAN,
                ImputeStrategy::Mean | ImputeStrategy::Knn { .. } => mean(&values),
                ImputeStrategy::Median => percentile_sorted(&sorted(values), 0.5),
                ImputeStrategy::MostFrequent => most_frequent(sorted(values)),
            });
        }
        let donors = match strategy {
            ImputeStrategy::Knn { .. } => train.x.clone(),
            _ => DMatrix::zeros(0, train.n_features()),
        };
        Ok(Imputer { strategy, fill, donors })
    }

    /// `x` with its missing values filled (for [`ImputeStrategy::DropRows`]: unchanged). Fails
    /// when `x` has another number of columns than the training rows.
    pub fn fill_matrix(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        if x.ncols() != self.fill.len() {
            return Err(err!(InvalidData, "feature_count", expected = self.fill.len(), got = x.ncols()));
        }
        let mut out = x.clone();
        match self.strategy {
            ImputeStrategy::DropRows => {}
            ImputeStrategy::Knn { neighbours } => self.fill_knn(x, &mut out, neighbours),
            _ => {
                for (j, mut column) in out.column_iter_mut().enumerate() {
                    for v in column.iter_mut().filter(|v| v.is_nan()) {
                        *v = self.fill[j];
                    }
                }
            }
        }
        Ok(out)
    }

    /// Fills the NaNs of `out` (a copy of `x`) from the nearest training rows. Distances use the
    /// original row `x`, as scikit-learn's KNNImputer does.
    fn fill_knn(&self, x: &DMatrix<f64>, out: &mut DMatrix<f64>, neighbours: usize) {
        let d = x.ncols();
        let donors = &self.donors;
        for i in 0..x.nrows() {
            if !x.row(i).iter().any(|v| v.is_nan()) {
                continue;
            }
            let distances: Vec<f64> = (0..donors.nrows()).map(|r| nan_euclidean(x, i, donors, r, d)).collect();
            for j in 0..d {
                if !x[(i, j)].is_nan() {
                    continue;
                }
                let mut candidates: Vec<(f64, usize)> = (0..donors.nrows())
                    .filter(|&r| !donors[(r, j)].is_nan() && !distances[r].is_nan())
                    .map(|r| (distances[r], r))
                    .collect();
                out[(i, j)] = if candidates.is_empty() {
                    self.fill[j]
                } else {
                    let k = neighbours.min(candidates.len());
                    if k < candidates.len() {
                        candidates.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    }
                    candidates[..k].iter().map(|&(_, r)| donors[(r, j)]).sum::<f64>() / k as f64
                };
            }
        }
    }

    /// `data` with its missing values filled, or for [`ImputeStrategy::DropRows`] without the
    /// rows that have one.
    pub fn apply(&self, data: &Dataset) -> Result<Dataset> {
        if self.strategy == ImputeStrategy::DropRows {
            let keep: Vec<usize> = (0..data.len()).filter(|&i| !data.x.row(i).iter().any(|v| v.is_nan())).collect();
            return Ok(data.select(&keep));
        }
        Ok(Dataset { x: self.fill_matrix(&data.x)?, ..data.clone() })
    }
}

/// scikit-learn's `nan_euclidean_distances` between row `i` of `a` and row `r` of `b`:
/// `sqrt(d / present · Σ over coordinates present in both of (a − b)²)`, NaN when none is.
fn nan_euclidean(a: &DMatrix<f64>, i: usize, b: &DMatrix<f64>, r: usize, d: usize) -> f64 {
    let (mut sum, mut count) = (0.0, 0usize);
    for j in 0..d {
        let (u, v) = (a[(i, j)], b[(r, j)]);
        if !u.is_nan() && !v.is_nan() {
            sum += (u - v) * (u - v);
            count += 1;
        }
    }
    if count == 0 {
        f64::NAN
    } else {
        (d as f64 / count as f64 * sum).sqrt()
    }
}

/// The most frequent of sorted values, the smallest on ties (scikit-learn's rule).
fn most_frequent(sorted: Vec<f64>) -> f64 {
    let mut best = (f64::NAN, 0usize);
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j] == sorted[i] {
            j += 1;
        }
        if j - i > best.1 {
            best = (sorted[i], j - i);
        }
        i = j;
    }
    best.0
}

tagged_enum! {
    /// Which values count as outliers.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum OutlierRule("kind") {
        /// Further than `threshold` standard deviations (population, ddof = 0) from the mean.
        ZScore = "z_score" { threshold: f64 },
        /// Outside Tukey's fences `[Q1 − factor·IQR, Q3 + factor·IQR]` (usually factor 1.5).
        Iqr = "iqr" { factor: f64 },
    }
}

impl OutlierRule {
    pub fn check(&self) -> Result<()> {
        match *self {
            OutlierRule::ZScore { threshold } => check_range("z-score threshold", threshold, 0.5, 10.0),
            OutlierRule::Iqr { factor } => check_range("IQR factor", factor, 0.0, 10.0),
        }
    }
}

/// What to do with outliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlierAction {
    /// Only flag them.
    #[default]
    Keep,
    /// Move each outlying value to the nearest bound.
    Clip,
    /// Leave out rows with an outlying value (training rows only: test rows are never removed).
    Remove,
}

/// Per-feature bounds fitted on training rows; a value outside them is an outlier. Missing
/// values are ignored when fitting and are never outliers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutlierBounds {
    pub rule: OutlierRule,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

impl OutlierBounds {
    /// Fits `rule` on the training features `x`. A column without values gets infinite bounds.
    pub fn fit(rule: OutlierRule, x: &DMatrix<f64>) -> Result<OutlierBounds> {
        rule.check()?;
        let (mut lower, mut upper) = (Vec::new(), Vec::new());
        for column in x.column_iter() {
            let values = present(column.iter().copied());
            let (lo, hi) = if values.is_empty() {
                (f64::NEG_INFINITY, f64::INFINITY)
            } else {
                match rule {
                    OutlierRule::ZScore { threshold } => {
                        let m = mean(&values);
                        let sd = (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64).sqrt();
                        (m - threshold * sd, m + threshold * sd)
                    }
                    OutlierRule::Iqr { factor } => {
                        let s = sorted(values);
                        let (q1, q3) = (percentile_sorted(&s, 0.25), percentile_sorted(&s, 0.75));
                        (q1 - factor * (q3 - q1), q3 + factor * (q3 - q1))
                    }
                }
            };
            lower.push(lo);
            upper.push(hi);
        }
        Ok(OutlierBounds { rule, lower, upper })
    }

    fn outside(&self, j: usize, v: f64) -> bool {
        match (self.lower.get(j), self.upper.get(j)) {
            (Some(&lo), Some(&hi)) => v < lo || v > hi,
            _ => false,
        }
    }

    /// The rows of `x` with at least one value outside the bounds.
    pub fn outlier_rows(&self, x: &DMatrix<f64>) -> Vec<usize> {
        (0..x.nrows()).filter(|&i| x.row(i).iter().enumerate().any(|(j, &v)| self.outside(j, v))).collect()
    }

    /// `data` with `action` applied: unchanged, clipped, or without its outlier rows. Returns the
    /// rows (of `data`) that were outliers.
    pub fn apply(&self, data: &Dataset, action: OutlierAction) -> (Dataset, Vec<usize>) {
        let rows = self.outlier_rows(&data.x);
        let out = match action {
            OutlierAction::Keep => data.clone(),
            OutlierAction::Clip => {
                let mut x = data.x.clone();
                for (j, mut column) in x.column_iter_mut().enumerate() {
                    let (lo, hi) = (self.lower.get(j).copied(), self.upper.get(j).copied());
                    if let (Some(lo), Some(hi)) = (lo, hi) {
                        for v in column.iter_mut().filter(|v| !v.is_nan()) {
                            *v = v.clamp(lo, hi);
                        }
                    }
                }
                Dataset { x, ..data.clone() }
            }
            OutlierAction::Remove => {
                let keep: Vec<usize> = (0..data.len()).filter(|i| rows.binary_search(i).is_err()).collect();
                data.select(&keep)
            }
        };
        (out, rows)
    }
}

/// A copy of `data` with `round(share · n · d)` feature values, chosen at random (seeded),
/// replaced by NaN. `share` is 0 to 0.9.
pub fn inject_missing(data: &Dataset, share: f64, seed: u64) -> Result<Dataset> {
    check_range("share of missing values", share, 0.0, 0.9)?;
    let cells = data.x.len();
    let count = ((cells as f64) * share).round() as usize;
    let mut order: Vec<usize> = (0..cells).collect();
    let (chosen, _) = order.partial_shuffle(&mut rng(seed), count.min(cells));
    let mut x = data.x.clone();
    for &cell in chosen.iter() {
        if let Some(v) = x.get_mut(cell) {
            *v = f64::NAN;
        }
    }
    Ok(Dataset { x, ..data.clone() })
}

/// A copy of `data` where `round(share · n)` rows chosen at random (seeded) have one feature moved
/// `magnitude` standard deviations (2 to 20) above or below the column's mean; returns the copy
/// and the changed rows, sorted.
pub fn inject_outliers(data: &Dataset, share: f64, magnitude: f64, seed: u64) -> Result<(Dataset, Vec<usize>)> {
    check_range("share of outliers", share, 0.0, 0.5)?;
    check_range("outlier distance (standard deviations)", magnitude, 2.0, 20.0)?;
    let n = data.len();
    let d = data.n_features();
    let count = ((n as f64) * share).round() as usize;
    let mut r = rng(seed);
    let mut order: Vec<usize> = (0..n).collect();
    let (chosen, _) = order.partial_shuffle(&mut r, count.min(n));
    let mut rows = chosen.to_vec();
    rows.sort_unstable();
    let stats: Vec<(f64, f64)> = data
        .x
        .column_iter()
        .map(|c| {
            let values = present(c.iter().copied());
            let m = mean(&values);
            let sd = (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len().max(1) as f64).sqrt();
            (m, if sd > 0.0 { sd } else { 1.0 })
        })
        .collect();
    let mut x = data.x.clone();
    if d > 0 {
        for &i in &rows {
            let j = r.random_range(0..d);
            let sign = if r.random_bool(0.5) { 1.0 } else { -1.0 };
            let (m, sd) = stats[j];
            x[(i, j)] = m + sign * magnitude * sd;
        }
    }
    Ok((Dataset { x, ..data.clone() }, rows))
}

/// The rows of `data` without a missing value, and `data` restricted to them.
pub fn complete_rows(data: &Dataset) -> (Dataset, Vec<usize>) {
    let keep: Vec<usize> = (0..data.len()).filter(|&i| !data.x.row(i).iter().any(|v| v.is_nan())).collect();
    (data.select(&keep), keep)
}
