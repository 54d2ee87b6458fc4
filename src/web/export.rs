//! Model files and exports: a `Model` to and from its file (`toJSON`, `Model.fromJSON`) and as
//! ONNX (`toOnnx`); the session's model as a file, ONNX with its preparation, a Python script,
//! and opening a file into the session.

use super::{from_js, js_error, rng, to_js, Model, Session};
use crate::model::file::ModelFile;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Model {
    /// The trained model as a plain object (`JSON.stringify` it to save): the model file of
    /// `docs/model-format.md`.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&ModelFile::new(self.inner.clone(), None))
    }

    /// The trained model as an ONNX file (bytes): input `X` float32 `[N, d]`, output `Y` (the
    /// prediction, or one probability per class). Linear and logistic regression, networks,
    /// trees and forests; others are refused with a message.
    #[wasm_bindgen(js_name = toOnnx)]
    pub fn to_onnx(&self) -> Result<Vec<u8>, JsValue> {
        use crate::export::onnx;
        // (untrained: the export refuses it before the width is used)
        let width = onnx::input_width(&self.inner).unwrap_or(0);
        onnx::to_onnx(&self.inner, &onnx::Preparation::default(), width).map_err(js_error)
    }

    /// A model from the object `toJSON` gave (or its parsed JSON text); the file is checked, so a
    /// damaged or edited file gives a clear error rather than a broken model.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(value: JsValue) -> Result<Model, JsValue> {
        let file = read_model_file(value)?;
        file.check().map_err(js_error)?;
        Ok(Model { inner: file.model, rng: rng(1) })
    }
}

/// A model file from its JSON text or the object `JSON.parse` made of it (not yet checked).
fn read_model_file(value: JsValue) -> Result<ModelFile, JsValue> {
    let value = match value.as_string() {
        Some(text) => js_sys::JSON::parse(&text).map_err(|_| js_error(err!(InvalidInput, "model_file_json")))?,
        None => value,
    };
    from_js(value, "the model file")
}

#[wasm_bindgen]
impl Session {
    /// The trained model as a model file (a plain object; `JSON.stringify` it to save), with what
    /// it needs of the data.
    #[wasm_bindgen(js_name = saveModel)]
    pub fn save_model(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.save_model())
    }

    /// The trained model as an ONNX file (bytes) that takes the raw features: the preparation
    /// fitted on the training rows (imputer, clipped outliers, rescaling) comes first in the graph.
    #[wasm_bindgen(js_name = toOnnx)]
    pub fn to_onnx(&self) -> Result<Vec<u8>, JsValue> {
        self.inner.to_onnx().map_err(js_error)
    }

    /// The trained model as a short Python script (scikit-learn, numpy) that rebuilds it with its
    /// preparation and predicts the same numbers; it carries the learner's points.
    #[wasm_bindgen(js_name = toPython)]
    pub fn to_python(&self) -> Result<String, JsValue> {
        self.inner.to_python().map_err(js_error)
    }

    /// Makes a model file (its JSON text or parsed object) the session's model, checked against
    /// the current data; a file that does not fit or is damaged is refused and nothing changes.
    #[wasm_bindgen(js_name = openModel)]
    pub fn open_model(&mut self, file: JsValue) -> Result<(), JsValue> {
        let file = read_model_file(file)?;
        self.inner.open_model(file).map_err(js_error)
    }
}
