//! Compression of trained networks: pruning (with or without fine-tuning), quantisation,
//! distillation, ensembles of small networks, and the compare view's numbers. Each returns a
//! new `Model` and keeps the one passed in.

use super::{from_js, js_error, rng, to_js, unreadable, Dataset, Model};
use crate::data::Dataset as CoreDataset;
use crate::model::ModelParams;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// Options read from JS, `undefined` or `null` taking every default; a key not in `known` is
/// refused with a message naming it (and the key meant, for a near miss).
fn options_from_js<T: DeserializeOwned + Default>(
    value: JsValue,
    known: &'static [&'static str],
    what: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if value.is_object() {
        let object: &js_sys::Object = value.unchecked_ref();
        for key in js_sys::Object::keys(object).iter().filter_map(|k| k.as_string()) {
            if !known.contains(&key.as_str()) {
                let e: serde::de::value::Error = crate::tagged::unknown_field(&key, known);
                return Err(unreadable(what, e));
            }
        }
    }
    from_js(value, what)
}

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

/// A quantised copy of a trained network: `options` `{ bits, per_channel, symmetric }`.
#[wasm_bindgen]
pub fn quantize(model: &Model, options: JsValue) -> Result<Model, JsValue> {
    let options: crate::compress::quantize::QuantizeOptions =
        options_from_js(options, &["bits", "per_channel", "symmetric"], "the quantisation options")?;
    let inner = crate::compress::quantize::quantize(&model.inner, &options).map_err(js_error)?;
    Ok(Model { inner, rng: rng(1) })
}

/// A student network (`studentParams`) trained on `teacher`'s soft targets and `data`'s labels:
/// `options` `{ temperature, alpha, unlabeled, epochs, seed }`.
#[wasm_bindgen]
pub fn distill(teacher: &Model, student_params: JsValue, data: &Dataset, options: JsValue) -> Result<Model, JsValue> {
    let params: ModelParams = from_js(student_params, "the student's settings")?;
    let options: crate::compress::distill::DistillOptions =
        options_from_js(options, &["temperature", "alpha", "unlabeled", "epochs", "seed"], "the distillation options")?;
    let inner = crate::compress::distill::distill(&teacher.inner, &params, options.seed, &data.inner, &options)
        .map_err(js_error)?;
    Ok(Model { inner, rng: rng(options.seed) })
}

/// `members` networks with the settings `params`, each trained on its own bootstrap sample (or
/// all of `data`) from its own seed, averaged: `options` `{ members, bootstrap, seed }`.
#[wasm_bindgen]
pub fn ensemble(params: JsValue, data: &Dataset, options: JsValue) -> Result<Model, JsValue> {
    let params: ModelParams = from_js(params, "the members' settings")?;
    let options: crate::compress::EnsembleOptions =
        options_from_js(options, &["members", "bootstrap", "seed"], "the ensemble options")?;
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
