//! Regression outliers judged the way a curve is: each target against a robust, model-free local
//! fit (the median target of its nearest training neighbours), so a sine wave's own peaks are not
//! outliers but a point far off the wave is. The outlier rule (z-score or IQR, from
//! [`super::cleaning`]) is fitted on the training rows' residuals. Features are not judged one by
//! one: a point at the edge of the data is no outlier while its target follows its neighbours'.

use super::cleaning::{percentile_sorted, OutlierBounds, OutlierRule};
use super::Dataset;
use crate::error::Result;
use nalgebra::{DMatrix, DVector};

/// How many training neighbours the local fit takes the median of.
pub const LOCAL_FIT_NEIGHBOURS: usize = 10;

/// Most training rows the local fit searches (evenly thinned past this), so a large imported table
/// stays quick to judge.
const MAX_REFERENCE_ROWS: usize = 2000;

/// At each row of `x`, the median target `y` of its `neighbours` nearest training rows (`train`:
/// indices into `x` and `y`), by Euclidean distance on features divided by their training standard
/// deviation; a training row is not its own neighbour. A row with no neighbour (a single training
/// row) gets its own target. Of rows at equal distances, the earlier training row (with one
/// feature: the one at the lower value) is taken first.
pub fn local_median_fit(x: &DMatrix<f64>, y: &DVector<f64>, train: &[usize], neighbours: usize) -> Vec<f64> {
    let (n, d) = x.shape();
    let reference: Vec<usize> = if train.len() > MAX_REFERENCE_ROWS {
        (0..MAX_REFERENCE_ROWS).map(|k| train[k * train.len() / MAX_REFERENCE_ROWS]).collect()
    } else {
        train.to_vec()
    };
    let reference: Vec<usize> = reference.into_iter().filter(|&r| r < n && r < y.len()).collect();
    let k = neighbours.max(1);
    let median = |mut values: Vec<f64>, own: f64| {
        if values.is_empty() {
            return own;
        }
        values.sort_by(f64::total_cmp);
        percentile_sorted(&values, 0.5)
    };
    if d == 1 {
        // Sorted along the one feature: the nearest rows are a window around each row.
        let mut sorted: Vec<(f64, usize)> = reference.iter().map(|&r| (x[(r, 0)], r)).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        return (0..n.min(y.len()))
            .map(|i| {
                let at = x[(i, 0)];
                let start = sorted.partition_point(|&(v, _)| v < at);
                let (mut left, mut right) = (start, start);
                let mut chosen = Vec::with_capacity(k);
                while chosen.len() < k && (left > 0 || right < sorted.len()) {
                    let take_left = match (left.checked_sub(1).map(|l| sorted[l]), sorted.get(right)) {
                        (Some(l), Some(r)) => at - l.0 <= r.0 - at,
                        (Some(_), None) => true,
                        _ => false,
                    };
                    let (_, row) = if take_left {
                        left -= 1;
                        sorted[left]
                    } else {
                        right += 1;
                        sorted[right - 1]
                    };
                    if row != i {
                        chosen.push(y[row]);
                    }
                }
                median(chosen, y[i])
            })
            .collect();
    }
    let scale: Vec<f64> = (0..d)
        .map(|j| {
            let m = reference.iter().map(|&r| x[(r, j)]).sum::<f64>() / reference.len().max(1) as f64;
            let var = reference.iter().map(|&r| (x[(r, j)] - m).powi(2)).sum::<f64>() / reference.len().max(1) as f64;
            if var.sqrt() > 0.0 && var.is_finite() {
                var.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    (0..n.min(y.len()))
        .map(|i| {
            let mut distances: Vec<(f64, usize)> = reference
                .iter()
                .enumerate()
                .filter(|&(_, &r)| r != i)
                .map(|(order, &r)| ((0..d).map(|j| ((x[(i, j)] - x[(r, j)]) / scale[j]).powi(2)).sum::<f64>(), order))
                .collect();
            let take = k.min(distances.len());
            if take > 0 && take < distances.len() {
                distances.select_nth_unstable_by(take - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            }
            median(distances[..take].iter().map(|&(_, order)| y[reference[order]]).collect(), y[i])
        })
        .collect()
}

/// A regression dataset's outliers judged against a local fit.
#[derive(Debug, Clone, PartialEq)]
pub struct RegressionOutliers {
    /// The local fit at each row (see [`local_median_fit`]).
    pub local_fit: Vec<f64>,
    /// Each row's residual: target minus local fit.
    pub residuals: Vec<f64>,
    /// The rule's bounds on the residuals (one column), fitted on the training rows.
    pub residual_bounds: OutlierBounds,
    /// Rows with a residual outside the bounds, sorted.
    pub flagged: Vec<usize>,
}

impl RegressionOutliers {
    /// Judges every row of `data` (a regression) with `rule` fitted on the rows `train`.
    pub fn fit(data: &Dataset, train: &[usize], rule: OutlierRule) -> Result<RegressionOutliers> {
        if train.is_empty() {
            return Err(err!(InvalidData, "outliers_no_train"));
        }
        let local_fit = local_median_fit(&data.x, &data.y, train, LOCAL_FIT_NEIGHBOURS);
        let residuals: Vec<f64> = data.y.iter().zip(&local_fit).map(|(y, f)| y - f).collect();
        let train_residuals: Vec<f64> = train.iter().filter_map(|&i| residuals.get(i).copied()).collect();
        let residual_bounds =
            OutlierBounds::fit(rule, &DMatrix::from_column_slice(train_residuals.len(), 1, &train_residuals))?;
        let flagged = residual_bounds.outlier_rows(&DMatrix::from_column_slice(residuals.len(), 1, &residuals));
        Ok(RegressionOutliers { local_fit, residuals, residual_bounds, flagged })
    }

    /// `data` with each target moved to within the residual bounds around its local fit (the
    /// features are left as they are).
    pub fn clipped(&self, data: &Dataset) -> Dataset {
        let (lo, hi) = (
            self.residual_bounds.lower.first().copied().unwrap_or(f64::NEG_INFINITY),
            self.residual_bounds.upper.first().copied().unwrap_or(f64::INFINITY),
        );
        let y = DVector::from_iterator(
            data.len(),
            (0..data.len()).map(|i| match (self.local_fit.get(i), self.residuals.get(i)) {
                (Some(f), Some(&r)) if lo <= hi && (r < lo || r > hi) => f + r.clamp(lo, hi),
                _ => data.y[i],
            }),
        );
        Dataset { y, ..data.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Regenerate with numpy (median of the k nearest training rows, the row itself left out):
    // import numpy as np
    // x = np.array([0.0, 1.0, 2.0, 3.5, 4.0, 6.0, 7.5]); y = np.array([1.0, 3.0, 2.0, 9.0, 4.0, 5.0, 0.5])
    // train = [0, 1, 2, 3, 4, 5]
    // for i in range(7):
    //     cand = [r for r in train if r != i]
    //     near = sorted(cand, key=lambda r: (abs(x[i] - x[r]), r))[:3]
    //     print(np.median(y[near]))
    // → 3.0, 2.0, 3.0, 3.0, 5.0, 4.0, 5.0  (k = 3; row 6 is a test row)
    #[test]
    fn the_local_median_leaves_each_training_row_out_and_matches_numpy() {
        let x = DMatrix::from_column_slice(7, 1, &[0.0, 1.0, 2.0, 3.5, 4.0, 6.0, 7.5]);
        let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 9.0, 4.0, 5.0, 0.5]);
        let fit = local_median_fit(&x, &y, &[0, 1, 2, 3, 4, 5], 3);
        assert_eq!(fit, vec![3.0, 2.0, 3.0, 3.0, 5.0, 4.0, 5.0]);
        // The same points as two features with a constant second column: the general path agrees.
        let x2 = DMatrix::from_fn(7, 2, |i, j| if j == 0 { x[(i, 0)] } else { 1.0 });
        assert_eq!(local_median_fit(&x2, &y, &[0, 1, 2, 3, 4, 5], 3), fit);
        // One training row: nothing to compare with, so each row is its own fit.
        assert_eq!(local_median_fit(&x, &y, &[2], 3)[2], 2.0);
        assert_eq!(local_median_fit(&x, &y, &[2], 3)[0], 2.0);
    }

    #[test]
    fn clipping_moves_targets_to_the_bound_around_the_local_fit() {
        let n = 40;
        let x = DMatrix::from_fn(n, 1, |i, _| i as f64);
        let mut y: Vec<f64> = (0..n).map(|i| (i % 3) as f64 * 0.1).collect();
        y[20] = 50.0;
        let data = Dataset::new(x, DVector::from_vec(y), crate::data::Task::Regression).unwrap();
        let train: Vec<usize> = (0..n).collect();
        let judged = RegressionOutliers::fit(&data, &train, OutlierRule::ZScore { threshold: 3.0 }).unwrap();
        assert_eq!(judged.flagged, vec![20]);
        let clipped = judged.clipped(&data);
        let upper = judged.residual_bounds.upper[0];
        assert!((clipped.y[20] - (judged.local_fit[20] + upper)).abs() < 1e-12);
        assert!(clipped.y[20] < 30.0, "pulled in from 50: {}", clipped.y[20]);
        assert_eq!(clipped.y.rows(0, 20), data.y.rows(0, 20));
        assert!(RegressionOutliers::fit(&data, &[], OutlierRule::ZScore { threshold: 3.0 }).is_err());
    }
}
