//! Compression in the JS API: prune, quantize, distill, ensemble, keepStages, and the compare view's numbers;
//! each returns a new `Model`, the original is kept.

use super::api::{Dataset, Model};
use super::convert::{from_js, js_error, options_from_js, to_js};
use crate::data::{rng, Dataset as CoreDataset};
use crate::model::ModelParams;
use wasm_bindgen::prelude::*;

/// A pruned copy of a trained network: `options` `{ sparsity, scope: "global" | "layer",
/// structured, seed }` (no fine-tuning: that needs the data, [`prune_fine_tuned`]).
#[wasm_bindgen]
pub fn prune(model: &Model, options: JsValue) -> Result<Model, JsValue> {
    prune_with(model, options, None)
}

/// [`prune`], then `fine_tune_epochs` epochs of training on `data` with the pruned weights held at
/// zero (`www/api.js`'s `prune` takes `data` among the options and calls this).
#[wasm_bindgen(js_name = pruneFineTuned)]
pub fn prune_fine_tuned(model: &Model, options: JsValue, data: &Dataset) -> Result<Model, JsValue> {
    prune_with(model, options, Some(&data.inner))
}

fn prune_with(model: &Model, options: JsValue, data: Option<&CoreDataset>) -> Result<Model, JsValue> {
    let options: crate::compress::prune::PruneOptions = options_from_js(
        options,
        &["sparsity", "scope", "structured", "fine_tune_epochs", "steps", "seed"],
        "the pruning options",
    )?;
    let inner = crate::compress::prune::prune(&model.inner, &options, data).map_err(js_error)?;
    Ok(Model { inner, rng: rng(options.seed) })
}

/// A quantised copy of a trained network: `options` `{ bits, per_channel, symmetric, activations }`
/// (`activations: true` needs [`quantize_calibrated`]'s data).
#[wasm_bindgen]
pub fn quantize(model: &Model, options: JsValue) -> Result<Model, JsValue> {
    quantize_with(model, options, None)
}

/// [`quantize`] with the activations' ranges read from `data` (`www/api.js`'s `quantize` takes
/// `data` among the options and calls this).
#[wasm_bindgen(js_name = quantizeCalibrated)]
pub fn quantize_calibrated(model: &Model, options: JsValue, data: &Dataset) -> Result<Model, JsValue> {
    quantize_with(model, options, Some(&data.inner))
}

fn quantize_with(model: &Model, options: JsValue, data: Option<&CoreDataset>) -> Result<Model, JsValue> {
    let options: crate::compress::quantize::QuantizeOptions =
        options_from_js(options, &["bits", "per_channel", "symmetric", "activations"], "quantisation_options")?;
    let inner = crate::compress::quantize::quantize_calibrated(&model.inner, &options, data).map_err(js_error)?;
    Ok(Model { inner, rng: rng(1) })
}

/// A student (`studentParams`: a network's, a logistic model's or a tree's settings) trained on
/// `teacher`'s soft targets and `data`'s labels: `options` `{ temperature, alpha, unlabeled,
/// epochs, seed, targets }` (`targets`: `"soft"` or `"hard"`, what a tree student learns).
#[wasm_bindgen]
pub fn distill(teacher: &Model, student_params: JsValue, data: &Dataset, options: JsValue) -> Result<Model, JsValue> {
    let params: ModelParams = from_js(student_params, "student_settings")?;
    let options: crate::compress::distill::DistillOptions = options_from_js(
        options,
        &["temperature", "alpha", "unlabeled", "epochs", "seed", "targets"],
        "distillation_options",
    )?;
    let inner = crate::compress::distill::distill(&teacher.inner, &params, options.seed, &data.inner, &options)
        .map_err(js_error)?;
    Ok(Model { inner, rng: rng(options.seed) })
}

/// `members` networks with the settings `params`, each trained on its own bootstrap sample (or
/// all of `data`) from its own seed, averaged: `options` `{ members, bootstrap, seed }`.
#[wasm_bindgen]
pub fn ensemble(params: JsValue, data: &Dataset, options: JsValue) -> Result<Model, JsValue> {
    let params: ModelParams = from_js(params, "members_settings")?;
    let options: crate::compress::EnsembleOptions =
        options_from_js(options, &["members", "bootstrap", "seed"], "ensemble_options")?;
    let inner = crate::compress::ensemble(&params, &data.inner, &options).map_err(js_error)?;
    Ok(Model { inner, rng: rng(options.seed) })
}

/// The compare view's numbers for `original` and its compressed copy on `train` and `test`:
/// `{ original, compressed: { size, train, test: { accuracy, log_loss, r2, mse } }, changed_share,
/// mean_abs_difference }`.
#[wasm_bindgen]
pub fn compare(original: &Model, compressed: &Model, train: &Dataset, test: &Dataset) -> Result<JsValue, JsValue> {
    to_js(
        &crate::compress::compare::compare(&original.inner, &compressed.inner, &train.inner, &test.inner)
            .map_err(js_error)?,
    )
}

/// A trained gradient-boosted model's first `keep` stages, or a random forest's first `keep`
/// trees, as a new model of that family (the original is kept): what the Compress panel's
/// "stages" operation makes.
#[wasm_bindgen(js_name = keepStages)]
pub fn keep_stages(model: &Model, keep: usize) -> Result<Model, JsValue> {
    let inner = crate::compress::setup::keep_stages(&model.inner, keep).map_err(js_error)?;
    Ok(Model { inner, rng: rng(1) })
}
