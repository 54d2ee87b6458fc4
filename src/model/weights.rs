//! Class weights: how much the examples of each class count in a classifier's loss, shared by the
//! decision tree, logistic regression and the neural network.
//!
//! [`ClassWeight`] is the hyper-parameter (in JSON `"balanced"` or `{"weights": [1, 2.5]}`, and
//! `null` for none); [`check`] validates it with the other hyper-parameters, and
//! [`sample_weights`] turns it into one weight per example of a dataset, from that dataset alone
//! (so "balanced" counts the classes of the training data it is given, e.g. a training fold).
//! Regression ignores class weights.

use crate::data::resample::balanced_class_weights;
use crate::data::{Dataset, Task};
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The largest weight a class may have.
pub const MAX_CLASS_WEIGHT: f64 = 1e6;

/// Per-class weights for classification (ignored for regression).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// `n_samples / (n_classes_present · count_c)`, as scikit-learn's `"balanced"`: every class
    /// present then weighs the same in total, and the weights sum to `n_samples`.
    Balanced,
    /// One positive weight per class, in class order.
    Weights(Vec<f64>),
}

/// Checks hand-given class weights: at least one, each positive, finite and at most
/// [`MAX_CLASS_WEIGHT`]. Whether there is one per class is checked against the data by
/// [`sample_weights`].
pub fn check(class_weight: Option<&ClassWeight>) -> Result<()> {
    if let Some(ClassWeight::Weights(w)) = class_weight {
        if w.is_empty() {
            return Err(err!(InvalidParameter, "class_weight_count0"));
        }
        for (c, &v) in w.iter().enumerate() {
            if !(v.is_finite() && v > 0.0 && v <= MAX_CLASS_WEIGHT) {
                return Err(err!(InvalidParameter, "class_weight_range", c = c, v = v));
            }
        }
    }
    Ok(())
}

/// One weight per example of `data` from `class_weight`: the weight of its class. `None` (and
/// nothing allocated) without class weights or for a regression dataset, where every example
/// weighs 1. Fails when the weights are invalid, when their count differs from the number of
/// classes, or when a label is not a class of the task.
pub fn sample_weights(class_weight: Option<&ClassWeight>, data: &Dataset) -> Result<Option<Vec<f64>>> {
    let (Some(class_weight), Task::Classification { n_classes }) = (class_weight, data.task) else {
        return Ok(None);
    };
    check(Some(class_weight))?;
    if let ClassWeight::Weights(w) = class_weight {
        if w.len() != n_classes {
            return Err(err!(InvalidParameter, "class_weight_count", w = w.len(), n_classes = n_classes));
        }
    }
    let mut labels = Vec::with_capacity(data.y.len());
    for (row, &y) in data.y.iter().enumerate() {
        if !(y >= 0.0 && y.fract() == 0.0 && y < n_classes as f64) {
            return Err(err!(
                InvalidData,
                "row_class_range",
                row = row + 1,
                class = y,
                max = n_classes.saturating_sub(1)
            ));
        }
        labels.push(y as usize);
    }
    let balanced;
    let per_class: &[f64] = match class_weight {
        ClassWeight::Weights(w) => w,
        ClassWeight::Balanced => {
            balanced = balanced_class_weights(data.y.as_slice(), n_classes);
            &balanced
        }
    };
    // Every label is below n_classes = per_class.len(); `get` keeps that from being a panic.
    Ok(Some(labels.iter().map(|&c| per_class.get(c).copied().unwrap_or(1.0)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn data(y: &[f64], n_classes: usize) -> Dataset {
        let x: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
        Dataset::from_rows(&x, 1, y, Task::Classification { n_classes }).unwrap()
    }

    #[test]
    fn balanced_weights_count_the_classes_present() {
        // scikit-learn: compute_class_weight("balanced", classes=[0, 1], y=[0,0,1,1,1])
        //   = [1.25, 0.8333333333333334]
        let d = data(&[0.0, 0.0, 1.0, 1.0, 1.0], 3);
        let w = sample_weights(Some(&ClassWeight::Balanced), &d).unwrap().unwrap();
        assert_eq!(w, vec![1.25, 1.25, 5.0 / 6.0, 5.0 / 6.0, 5.0 / 6.0]);
        assert!((w.iter().sum::<f64>() - 5.0).abs() < 1e-12);
    }

    #[test]
    fn given_weights_follow_the_labels() {
        let d = data(&[2.0, 0.0, 1.0], 3);
        let w = sample_weights(Some(&ClassWeight::Weights(vec![1.0, 3.0, 0.5])), &d).unwrap();
        assert_eq!(w, Some(vec![0.5, 1.0, 3.0]));
        assert_eq!(sample_weights(None, &d).unwrap(), None);
        let regression = Dataset::from_rows(&[1.0, 2.0], 1, &[0.5, 7.0], Task::Regression).unwrap();
        assert_eq!(sample_weights(Some(&ClassWeight::Weights(vec![1.0])), &regression).unwrap(), None);
    }

    #[test]
    fn bad_weights_and_labels_are_refused() {
        let d = data(&[0.0, 1.0], 2);
        for (w, needle) in [
            (vec![1.0], "one weight per class"),
            (vec![], "one weight per class"),
            (vec![1.0, 0.0], "weight of class 1"),
            (vec![1.0, f64::NAN], "weight of class 1"),
            (vec![-1.0, 1.0], "weight of class 0"),
            (vec![1.0, 2e6], "weight of class 1"),
        ] {
            let cw = ClassWeight::Weights(w);
            let err = sample_weights(Some(&cw), &d).unwrap_err();
            assert!(matches!(err, Error::InvalidParameter(_)) && err.to_string().contains(needle), "{err}");
        }
        assert!(check(Some(&ClassWeight::Weights(vec![1.0, 1e6]))).is_ok());
        assert!(check(Some(&ClassWeight::Balanced)).is_ok() && check(None).is_ok());
        let mut bad_label = data(&[0.0, 1.0], 2);
        bad_label.y[1] = 2.0;
        let err = sample_weights(Some(&ClassWeight::Balanced), &bad_label).unwrap_err();
        assert!(matches!(err, Error::InvalidData(_)) && err.to_string().contains("row 2"), "{err}");
    }

    #[test]
    fn json_form() {
        for (cw, json) in [
            (Some(ClassWeight::Balanced), r#""balanced""#),
            (Some(ClassWeight::Weights(vec![1.0, 2.5])), r#"{"weights":[1.0,2.5]}"#),
            (None, "null"),
        ] {
            assert_eq!(serde_json::to_string(&cw).unwrap(), json);
            assert_eq!(serde_json::from_str::<Option<ClassWeight>>(json).unwrap(), cw);
        }
        assert_eq!(
            serde_json::from_str::<ClassWeight>(r#"{"weights":[1,2.5]}"#).unwrap(),
            ClassWeight::Weights(vec![1.0, 2.5])
        );
    }
}
