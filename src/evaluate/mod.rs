//! Evaluation, above [`crate::model`]: how a trained model is scored ([`scoring`]), which rows
//! train and which test ([`folds`]), cross-validation with the whole preparation pipeline fitted
//! inside each fold ([`cross_validation`]), permutation importance ([`importance`]), and a model's
//! predictions over the picture's pixel grid ([`grid`]: prediction happens here, before anything
//! is drawn; `render` draws the values it is handed). Nothing below this module (data, pipeline,
//! model) imports it.

pub mod cross_validation;
pub mod folds;
pub mod grid;
pub mod importance;
pub mod scoring;
