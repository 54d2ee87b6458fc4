//! ml-playground: machine-learning models that train and draw in the browser.
//!
//! Data flows one way: **data → features → model → training loop → evaluation → render → page**.
//! Everything outside [`web`] is plain Rust, compiled and tested natively with `cargo test`;
//! `web` is the thin wasm-bindgen layer, compiled for `wasm32` only.
//!
//! - [`data`]: the [`data::Dataset`] type, seeded generators, splits, feature maps.
//! - [`model`]: one file per model family, all behind the [`model::Model`] trait and the
//!   [`model::ModelParams`] / [`model::AnyModel`] registry.
//! - [`optim`]: optimisers (SGD, Momentum, Adam) and learning-rate schedules shared by every
//!   gradient-trained model.
//! - [`metrics`]: losses and scores.
//! - [`pipeline`]: the one preparation pipeline (impute → outliers → rescale → resample), fitted
//!   on training rows and applied to any rows.
//! - [`evaluate`]: above the models: scoring, folds, cross-validation, permutation importance.
//! - [`compress`]: above the models: pruning, quantisation, distillation and a model's size.
//! - [`tune`]: hyper-parameter search above `evaluate`: search spaces, strategies (grid, random,
//!   GP/TPE Bayesian, genetic, Nelder–Mead), `minimize`, and tuning by cross-validation.
//! - [`export`]: a trained model (with its preparation) as ONNX or a Python script.
//! - [`format`]: how a learned number is shown (significant digits, scientific when needed).
//! - [`state`]: the page's whole state as one serialisable value (it round-trips through the URL).
//! - [`session`]: the training loop the page drives (state → dataset → model → history → scene).
//! - [`tagged`]: lean serde plumbing for the `kind`-tagged JSON objects (keeps the wasm small).
//! - [`render`]: plotters drawing code, generic over the backend, plus the per-pixel raster layer.

#[macro_use]
pub mod error;
pub mod compress;
pub mod data;
pub mod evaluate;
pub mod export;
pub mod format;
pub mod metrics;
pub mod model;
pub mod optim;
pub mod pipeline;
pub mod render;
pub mod session;
pub mod state;
pub mod tagged;
pub mod tune;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
