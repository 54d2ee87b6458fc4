//! Evaluation, above [`crate::model`]: how a trained model is scored ([`scoring`]), which rows
//! train and which test ([`folds`]), cross-validation with the whole preparation pipeline fitted
//! inside each fold ([`cross_validation`]), and permutation importance ([`importance`]). Nothing
//! below this module (data, pipeline, model) imports it.

pub mod cross_validation;
pub mod folds;
pub mod importance;
pub mod scoring;
