//! Datasets: the feature matrix, the targets and what they mean, plus seeded generators,
//! train/test splits and feature maps.

pub mod classification;
pub mod cleaning;
pub mod csv_import;
pub mod features;
pub mod generate;
pub mod kinds;
pub mod local_fit;
pub mod order;
pub mod random;
pub mod resample;
pub mod split;
pub mod transforms;

use crate::error::Result;
use crate::tagged::tagged_enum;
use nalgebra::{DMatrix, DVector};

pub use random::{gaussian, rng, Rng};

tagged_enum! {
    /// What the targets are.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Task("kind") {
        /// Real-valued targets.
        Regression = "regression",
        /// Class indices `0..n_classes`, stored as `f64` in `y`.
        Classification = "classification" { n_classes: usize },
    }
}

/// A table of examples: `x` is n × d (one row per example), `y` has n targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub x: DMatrix<f64>,
    pub y: DVector<f64>,
    pub feature_names: Vec<String>,
    pub task: Task,
}

impl Dataset {
    /// A cheap, stable 53-bit hash of the data (shape, task, every feature and target bit), so a
    /// model stepped on other data than it was grown on notices and starts afresh (a tree's
    /// grower, a forest, a boosted model). A safe integer in JavaScript.
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |v: u64| {
            h ^= v;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
            h ^= h >> 29;
        };
        mix(self.x.nrows() as u64);
        mix(self.x.ncols() as u64);
        mix(match self.task {
            Task::Regression => u64::MAX,
            Task::Classification { n_classes } => n_classes as u64,
        });
        self.x.iter().chain(self.y.iter()).for_each(|v| mix(v.to_bits()));
        h & ((1 << 53) - 1)
    }

    /// Builds a dataset, checking shapes, finiteness and class labels. An empty dataset is
    /// allowed (the learner may delete every point); models refuse to train on it.
    pub fn new(x: DMatrix<f64>, y: DVector<f64>, task: Task) -> Result<Self> {
        if x.nrows() != y.len() {
            return Err(err!(
                InvalidData,
                "internal",
                detail = format!("{nrows} rows of features but {y} targets", nrows = x.nrows(), y = y.len())
            ));
        }
        if x.ncols() == 0 {
            return Err(err!(InvalidData, "no_feature_column"));
        }
        if let Some((row, _)) = x.row_iter().enumerate().find(|(_, r)| r.iter().any(|v| !v.is_finite())) {
            return Err(err!(InvalidData, "row_not_finite", row = row + 1));
        }
        if let Some(row) = y.iter().position(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "row_target_not_finite", row = row + 1));
        }
        if let Task::Classification { n_classes } = task {
            if n_classes < 2 {
                return Err(err!(InvalidData, "need_two_classes"));
            }
            if let Some(row) = y.iter().position(|&v| v < 0.0 || v.fract() != 0.0 || v >= n_classes as f64) {
                return Err(err!(InvalidData, "row_class_range", row = row + 1, class = y[row], max = n_classes - 1));
            }
        }
        let feature_names = (1..=x.ncols()).map(|i| format!("x{i}")).collect();
        Ok(Dataset { x, y, feature_names, task })
    }

    /// Builds a dataset from row-major features (`n * n_features` values) and `n` targets.
    pub fn from_rows(rows: &[f64], n_features: usize, y: &[f64], task: Task) -> Result<Self> {
        if n_features == 0 {
            return Err(err!(InvalidData, "internal", detail = "the number of features must be at least 1 (got 0)"));
        }
        if rows.len() != y.len() * n_features {
            return Err(err!(
                InvalidData,
                "internal",
                detail = format!(
                    "expected {n_features} feature values ({y} rows × {n_features2} features) but got {rows}",
                    n_features = y.len() * n_features,
                    y = y.len(),
                    n_features2 = n_features,
                    rows = rows.len()
                )
            ));
        }
        let x = DMatrix::from_row_slice(y.len(), n_features, rows);
        Dataset::new(x, DVector::from_column_slice(y), task)
    }

    /// Number of examples.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// True when there are no examples.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// Number of feature columns.
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// The examples at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        let x = self.x.select_rows(indices.iter());
        let y = DVector::from_iterator(indices.len(), indices.iter().map(|&i| self.y[i]));
        Dataset { x, y, feature_names: self.feature_names.clone(), task: self.task }
    }

    /// The dataset without the feature columns at `drop` (indices into `x`'s columns, any
    /// order). Refused when an index does not exist or no feature would remain.
    pub fn without_features(&self, drop: &[usize]) -> Result<Dataset> {
        if drop.is_empty() {
            return Ok(self.clone());
        }
        let d = self.n_features();
        if let Some(&j) = drop.iter().find(|&&j| j >= d) {
            return Err(err!(InvalidParameter, "drop_missing_feature", j = j + 1, d = d));
        }
        let keep: Vec<usize> = (0..d).filter(|j| !drop.contains(j)).collect();
        if keep.is_empty() {
            return Err(err!(InvalidParameter, "keep_one_feature", d = d));
        }
        Ok(Dataset {
            x: self.x.select_columns(keep.iter()),
            y: self.y.clone(),
            feature_names: keep
                .iter()
                .map(|&j| self.feature_names.get(j).cloned().unwrap_or_else(|| format!("x{}", j + 1)))
                .collect(),
            task: self.task,
        })
    }

    /// Fails with a clear message unless there are at least `min` examples.
    pub fn require_len(&self, min: usize) -> Result<()> {
        if self.len() < min {
            return Err(if self.is_empty() {
                err!(InvalidData, "no_points", min = min)
            } else {
                err!(InvalidData, "too_few_points", n = self.len(), min = min)
            });
        }
        Ok(())
    }

    /// Fails unless a classification dataset has at least two classes present.
    pub fn require_two_classes(&self) -> Result<()> {
        if let Task::Classification { .. } = self.task {
            let first = self.y.get(0).copied();
            if first.is_none_or(|c| self.y.iter().all(|&v| v == c)) {
                return Err(err!(InvalidData, "one_class"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn rejects_nan_and_mismatched_shapes() {
        assert!(Dataset::from_rows(&[1.0, f64::NAN], 1, &[1.0, 2.0], Task::Regression).is_err());
        assert!(Dataset::from_rows(&[1.0, 2.0], 1, &[1.0, f64::INFINITY], Task::Regression).is_err());
        assert!(Dataset::from_rows(&[1.0, 2.0, 3.0], 1, &[1.0, 2.0], Task::Regression).is_err());
        let bad_class = Dataset::from_rows(&[1.0, 2.0], 1, &[0.0, 2.0], Task::Classification { n_classes: 2 });
        assert!(matches!(bad_class, Err(Error::InvalidData(m)) if m.to_string().contains("row 2")));
    }

    #[test]
    fn features_are_left_out_by_index_and_one_must_remain() {
        let d = Dataset::from_rows(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3, &[7.0, 8.0], Task::Regression).unwrap();
        let kept = d.without_features(&[1]).unwrap();
        assert_eq!(kept.x, DMatrix::from_row_slice(2, 2, &[1.0, 3.0, 4.0, 6.0]));
        assert_eq!(kept.feature_names, vec!["x1".to_string(), "x3".into()]);
        assert_eq!(d.without_features(&[]).unwrap(), d);
        assert!(
            matches!(d.without_features(&[3]), Err(Error::InvalidParameter(m)) if m.to_string().contains("feature 4"))
        );
        assert!(
            matches!(d.without_features(&[2, 0, 1]), Err(Error::InvalidParameter(m)) if m.to_string().contains("keep at least one feature"))
        );
    }

    #[test]
    fn select_and_require() {
        let d = Dataset::from_rows(&[1.0, 2.0, 3.0], 1, &[10.0, 20.0, 30.0], Task::Regression).unwrap();
        let s = d.select(&[2, 0]);
        assert_eq!(s.y.as_slice(), &[30.0, 10.0]);
        assert_eq!(s.x[(0, 0)], 3.0);
        assert!(d.require_len(3).is_ok());
        assert!(d.require_len(4).is_err());
        let empty = d.select(&[]);
        assert!(empty.is_empty());
        assert!(empty.require_len(1).unwrap_err().to_string().contains("no points"));
    }
}
