//! Seeded synthetic datasets. The same `(kind, n, noise, seed)` gives the same points everywhere.
//!
//! Regression sets live on x ∈ [-5, 5] with targets roughly in [-6, 6], so the default view fits
//! them all. Classification sets (see [`super::classification`]) have two features on [-5, 5]².

use super::cleaning::{ImputeStrategy, OutlierAction, OutlierRule};
use super::resample::Resampling;
use super::transforms::Scaling;
use super::{gaussian, rng, Dataset, Task};
use crate::error::{check_count, check_range, Result};
use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use serde::{Deserialize, Serialize};

pub use super::kinds::DatasetKind;

/// Limits shared by every generator.
pub const MIN_POINTS: usize = 0;
pub const MAX_POINTS: usize = 5000;

/// Everything that determines a generated dataset. Part of the page's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataSpec {
    pub kind: DatasetKind,
    /// Number of points, 0 to 5000.
    pub n: usize,
    /// Noise level, 0 (none) to 1 (heavy).
    pub noise: f64,
    pub seed: u32,
    /// Number of classes, for generators that take one (2 to 5).
    pub classes: usize,
    /// Minority-to-majority ratio, for the imbalanced generator (0.01 to 1).
    pub ratio: f64,
    /// How missing feature values of imported data are handled (fitted on the training rows).
    pub impute: ImputeStrategy,
    /// How the training rows of a classification are rebalanced (under, over, SMOTE).
    pub resample: Resampling,
    /// Share of feature cells made missing in generated data (0 to 0.5), to practise imputing.
    pub missing: f64,
    /// Share of generated points thrown far off (0 to 0.5), to practise handling outliers.
    pub outliers: f64,
    /// Which values count as outliers (fitted on the training rows); none = no detection.
    pub outlier_rule: Option<OutlierRule>,
    /// What happens to detected outliers: flag only, clip to the bounds, or leave out (training rows).
    pub outlier_action: OutlierAction,
    /// How the features are rescaled (fitted on the training rows): standardise, min-max, log.
    pub scaling: Scaling,
    /// Feature columns left out (0-based indices into the generated or imported data's
    /// features), applied before any cleaning; at least one feature must remain.
    pub drop_features: Vec<usize>,
}

/// Most entries of [`DataSpec::drop_features`].
pub const MAX_DROPPED_FEATURES: usize = 64;

impl Default for DataSpec {
    fn default() -> Self {
        DataSpec {
            kind: DatasetKind::Linear,
            n: 100,
            noise: 0.2,
            seed: 1,
            classes: 2,
            ratio: 0.2,
            impute: ImputeStrategy::DropRows,
            resample: Resampling::None,
            missing: 0.0,
            outliers: 0.0,
            outlier_rule: None,
            outlier_action: OutlierAction::Keep,
            scaling: Scaling::None,
            drop_features: Vec::new(),
        }
    }
}

impl DataSpec {
    pub fn check(&self) -> Result<()> {
        check_count("number of points", self.n, MIN_POINTS, MAX_POINTS)?;
        check_range("noise", self.noise, 0.0, 1.0)?;
        check_count("number of classes", self.classes, 2, 5)?;
        check_range("class ratio", self.ratio, 0.01, 1.0)?;
        if let ImputeStrategy::Knn { neighbours } = self.impute {
            check_count("imputation neighbours", neighbours, 1, 50)?;
        }
        check_range("share of missing cells", self.missing, 0.0, 0.5)?;
        check_range("share of outliers", self.outliers, 0.0, 0.5)?;
        if let Some(rule) = &self.outlier_rule {
            rule.check()?;
        }
        if let Resampling::Smote { neighbours } = self.resample {
            check_count("SMOTE neighbours", neighbours, 1, 20)?;
        }
        if self.drop_features.len() > MAX_DROPPED_FEATURES {
            return Err(err!(
                InvalidParameter,
                "too_many_dropped",
                drop_features = self.drop_features.len(),
                MAX_DROPPED_FEATURES = MAX_DROPPED_FEATURES
            ));
        }
        for (k, j) in self.drop_features.iter().enumerate() {
            if self.drop_features[..k].contains(j) {
                return Err(err!(InvalidParameter, "dropped_twice", j = j + 1));
            }
        }
        Ok(())
    }

    /// The task of the dataset this spec generates (with the exact number of classes).
    pub fn task(&self) -> Task {
        self.kind.task_with(self.classes)
    }
}

/// Makes the dataset `spec` describes.
pub fn generate(spec: &DataSpec) -> Result<Dataset> {
    spec.check()?;
    match spec.kind {
        DatasetKind::Linear | DatasetKind::Sine | DatasetKind::Polynomial | DatasetKind::Outliers => {
            regression(spec.kind, spec.n, spec.noise, spec.seed as u64)
        }
        DatasetKind::Circle
        | DatasetKind::Xor
        | DatasetKind::Blobs
        | DatasetKind::Spiral
        | DatasetKind::Moons
        | DatasetKind::Separable
        | DatasetKind::Imbalanced => {
            super::classification::generate(spec.kind, spec.n, spec.noise, spec.classes, spec.ratio, spec.seed as u64)
        }
        DatasetKind::Custom => Err(crate::err!(InvalidInput, "link_own_data")),
    }
}

/// The regression generators: `n` points of `kind` with noise level `noise`.
fn regression(kind: DatasetKind, n: usize, noise: f64, seed: u64) -> Result<Dataset> {
    let mut r = rng(seed);
    let sigma = 2.0 * noise;
    let xs: Vec<f64> = (0..n).map(|_| r.random_range(-5.0..=5.0)).collect();
    let mut ys: Vec<f64> = xs
        .iter()
        .map(|&x| {
            let clean = match kind {
                DatasetKind::Linear | DatasetKind::Outliers => 0.7 * x + 0.5,
                DatasetKind::Sine => 3.0 * x.sin(),
                DatasetKind::Polynomial => 0.06 * x * x * x - 0.15 * x * x - 0.9 * x + 1.0,
                _ => 0.0,
            };
            clean + sigma * gaussian(&mut r)
        })
        .collect();
    if kind == DatasetKind::Outliers {
        for y in ys.iter_mut() {
            if r.random_bool(0.08) {
                let sign = if r.random_bool(0.5) { 1.0 } else { -1.0 };
                *y += sign * r.random_range(5.0..8.0);
            }
        }
    }
    Dataset::new(DMatrix::from_column_slice(n, 1, &xs), DVector::from_vec(ys), Task::Regression)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(kind: DatasetKind, n: usize, noise: f64, seed: u32) -> Result<Dataset> {
        super::generate(&DataSpec { kind, n, noise, seed, ..DataSpec::default() })
    }

    #[test]
    fn generators_are_seeded_and_in_range() {
        for kind in [DatasetKind::Linear, DatasetKind::Sine, DatasetKind::Polynomial, DatasetKind::Outliers] {
            let a = generate(kind, 300, 0.2, 42).unwrap();
            assert_eq!(a, generate(kind, 300, 0.2, 42).unwrap());
            assert_ne!(a, generate(kind, 300, 0.2, 43).unwrap());
            assert!(a.x.iter().all(|x| (-5.0..=5.0).contains(x)));
            assert!(a.y.iter().all(|y| y.abs() < 14.0));
        }
        let clean = generate(DatasetKind::Linear, 50, 0.0, 1).unwrap();
        for i in 0..50 {
            assert!((clean.y[i] - (0.7 * clean.x[(i, 0)] + 0.5)).abs() < 1e-12);
        }
        assert!(generate(DatasetKind::Sine, 6000, 0.1, 1).is_err());
        assert!(generate(DatasetKind::Sine, 10, f64::NAN, 1).is_err());
        assert!(generate(DatasetKind::Sine, 0, 0.1, 1).unwrap().is_empty());
    }

    #[test]
    fn tasks_per_kind() {
        assert!(!DatasetKind::Sine.is_classification());
        assert_eq!(DatasetKind::Outliers.task(), Task::Regression);
        assert_eq!(DatasetKind::Moons.task(), Task::Classification { n_classes: 2 });
        let spec = DataSpec { kind: DatasetKind::Spiral, classes: 4, ..DataSpec::default() };
        assert_eq!(spec.task(), Task::Classification { n_classes: 4 });
        assert_eq!(super::generate(&spec).unwrap().task, spec.task());
        assert!(DatasetKind::Blobs.uses_classes() && !DatasetKind::Xor.uses_classes());
        assert!(DatasetKind::Imbalanced.uses_ratio() && !DatasetKind::Blobs.uses_ratio());
        let kind: DatasetKind = serde_json::from_str("\"imbalanced\"").unwrap();
        assert_eq!(kind, DatasetKind::Imbalanced);
    }

    #[test]
    fn dropped_features_read_from_json_and_are_checked() {
        let spec: DataSpec = serde_json::from_str(r#"{"kind":"moons","drop_features":[1]}"#).unwrap();
        assert_eq!(spec.drop_features, vec![1]);
        assert!(spec.check().is_ok());
        let plain: DataSpec = serde_json::from_str(r#"{"kind":"moons"}"#).unwrap();
        assert!(plain.drop_features.is_empty());
        let twice = DataSpec { drop_features: vec![0, 2, 0], ..DataSpec::default() };
        assert!(twice.check().unwrap_err().to_string().contains("left out twice"));
        let many = DataSpec { drop_features: (0..65).collect(), ..DataSpec::default() };
        assert!(many.check().unwrap_err().to_string().contains("at most 64"));
    }

    #[test]
    fn outliers_are_far_from_the_line() {
        let d = generate(DatasetKind::Outliers, 1000, 0.1, 3).unwrap();
        let far = (0..d.len()).filter(|&i| (d.y[i] - (0.7 * d.x[(i, 0)] + 0.5)).abs() > 4.0).count();
        assert!((40..=130).contains(&far), "{far} outliers");
    }
}
