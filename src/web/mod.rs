//! The only module that knows about wasm-bindgen, web-sys and js-sys. It is thin: it converts JS
//! values to core types, calls the core, and converts back. Errors become JS `Error`s whose
//! `message` is the learner-facing text and whose `kind` names the error's kind.
//!
//! Exposed to JavaScript (the same ES module in the page, the Web Worker and Node 20):
//! - [`api`]: `Dataset`: generated (`Dataset.generate(spec)`) or from typed arrays
//!   (`Dataset.fromArrays`); `Model`: any registered model: `fit`, `step`, `predict`, `evaluate`,
//!   `summary`, `toJSON` / `Model.fromJSON`, `toOnnx`, `toPython`; `parseCsv`;
//! - [`session`]: `Session`, the page's training loop (state in, reports and scenes out);
//! - [`tune`]: `crossValidate`, k-fold cross-validation of model settings on a `Dataset`; `tune`, a
//!   search over settings scored by cross-validation; `minimize`, black-box minimisation of a JS
//!   function; `Search`, a search the page's workers drive;
//! - [`compress`]: `prune`, `quantize`, `distill`, `ensemble` (and `Model.size()`), each returning a
//!   new `Model`;
//! - [`draw`]: `renderScene`, `renderLoss`, `renderView`, their SVG text (`sceneSvg`, `lossSvg`, `viewSvg`) and hit tests;
//! - here: `checkState` (validate a saved state), `models()` (the model families and their
//!   controls, described for the page), `canvasWords()` / `setCanvasWords` (the words drawn on
//!   canvases, set from the page's catalog), `errorCodes()` (every error code with its English
//!   template; the page words errors from its catalog), `layout`.
//!
//! [`convert`] holds the conversions every file shares.

mod api;
mod canvas;
mod compress;
mod convert;
mod draw;
mod session;
mod tune;

pub use api::{Dataset, Model};
pub use draw::{render_scene, render_view, view_svg};
pub use session::Session;
pub use tune::{cross_validate, Search};

use crate::render::Layout;
use crate::state::State;
use convert::{from_js, js_error, to_js};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Validates a saved state (e.g. from the URL hash) and returns it with every default filled in.
#[wasm_bindgen(js_name = checkState)]
pub fn check_state(state: JsValue) -> Result<JsValue, JsValue> {
    let state: State = from_js(state, "saved_state")?;
    state.check().map_err(js_error)?;
    to_js(&state)
}

/// The model families, the shared gradient-training controls and the widgets' limits, as data:
/// the page builds its model list and model controls from this (see `model::describe`).
#[wasm_bindgen]
pub fn models() -> Result<JsValue, JsValue> {
    to_js(&crate::model::descriptor())
}

/// Sets the words drawn on canvases (axis titles, legends, diagram labels) from the page's message
/// catalog: an object of key → text, the keys those of `canvasWords()`. Returns the keys it did not
/// know (none, when the catalog is complete).
#[wasm_bindgen(js_name = setCanvasWords)]
pub fn set_canvas_words(words: JsValue) -> Result<JsValue, JsValue> {
    let words: std::collections::BTreeMap<String, String> = from_js(words, "canvas_words")?;
    to_js(&crate::render::words::set_words(words.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

/// Every word drawn on canvases, as `[key, English text]` pairs (the catalogs hold `canvas.<key>`).
#[wasm_bindgen(js_name = canvasWords)]
pub fn canvas_words() -> Result<JsValue, JsValue> {
    to_js(&crate::render::words::DEFAULTS)
}

/// Every error (and advice) code, as `[code, English template]` pairs (the catalogs hold
/// `err.<code>`; the page words an error from its `code` and `values`).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Result<JsValue, JsValue> {
    to_js(&crate::error::codes())
}

/// The pixel geometry of a chart `width`×`height` device pixels at `dpr`.
#[wasm_bindgen]
pub fn layout(width: u32, height: u32, dpr: f64) -> Result<JsValue, JsValue> {
    to_js(&Layout::new(width, height, dpr))
}
