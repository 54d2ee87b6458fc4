//! The only module that knows about wasm-bindgen, web-sys and js-sys. It is thin: it converts JS
//! values to core types, calls the core, and converts back. Errors become JS `Error`s whose
//! `message` is the learner-facing text and whose `kind` names the error's kind.
//!
//! Exposed to JavaScript (the same ES module in the page, the Web Worker and Node 20):
//! - `Dataset`: generated (`Dataset.generate(spec)`) or from typed arrays (`Dataset.fromArrays`);
//! - `Model`: any registered model: `fit`, `step`, `predict`, `evaluate`, `summary`, `toJSON` /
//!   `Model.fromJSON`;
//! - `Session`: the page's training loop (state in, reports and scenes out);
//! - `crossValidate`: k-fold cross-validation of model settings on a `Dataset`; `tune`: a search
//!   over settings scored by cross-validation; `minimize`: black-box minimisation of a JS function;
//! - `renderScene`, `renderLoss`: draw onto a canvas; `checkState`: validate a saved state;
//! - `models()`: the model families and their controls, described for the page;
//! - `prune`, `quantize`, `distill`, `ensemble` and `Model.size()`: compression, each returning a
//!   new `Model`;
//! - `canvasWords()`, `setCanvasWords`: the words drawn on canvases, set from the page's catalog.
//! - `errorCodes()`: every error code with its English template (the page words errors from its catalog).

mod canvas;

use crate::data::generate::{generate, DataSpec};
use crate::data::{rng, Dataset as CoreDataset, Rng, Task};
use crate::error::Error;
use crate::metrics::RegressionScores;
use crate::model::file::ModelFile;
use crate::model::{AnyModel, Model as _, ModelParams};
use crate::render::sigmoid::SigmoidScene;
use crate::render::{self, point_layer::PointLayer, raster::Raster, Layout, LossHistory, Scene};
use crate::session::Session as CoreSession;
use crate::state::{Edit, State};
use canvas::MeasuredCanvas;
use nalgebra::DMatrix;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// A JS `Error` carrying the learner-facing message and the error kind.
fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("MlPlaygroundError");
    let _ = js_sys::Reflect::set(&err, &"kind".into(), &e.kind().into());
    // The code and values, for the page to word the message in the learner's language.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
    if let Ok(values) = e.msg().values.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        let _ = js_sys::Reflect::set(&err, &"values".into(), &values);
    }
    err.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| {
        js_error(err!(
            InvalidInput,
            "internal",
            detail = format!("could not convert a value for JavaScript: {e}", e = e)
        ))
    })
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| unreadable(what, e))
}

/// `what` (a code: `state`, `model_params`, … worded by the page as `err.what.<code>`) could not
/// be read, for serde's reason `e` (a code too: [`crate::error::serde_reason`]).
fn unreadable(what: &str, e: impl std::fmt::Display) -> JsValue {
    js_error(err!(
        InvalidInput,
        "unreadable",
        what = what_msg(what),
        reason = crate::error::serde_reason(&e.to_string())
    ))
}

/// What was being read, as a message of its own (`what.<code>`: "the playground state").
fn what_msg(what: &str) -> crate::error::Msg {
    crate::error::Msg::new(&format!("what.{what}"), vec![])
}

/// Sets `obj[key] = value` on an object `JSON.parse` made (cannot fail on one).
fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &key.into(), value);
}

/// Takes the per-point arrays out of `obj` (a copy of it, `obj` is not changed) for reading
/// them as typed arrays; the copy holds `[]` in their place.
fn take_arrays(obj: &JsValue, keys: &[&str], what: &str) -> Result<(JsValue, Vec<JsValue>), JsValue> {
    if !obj.is_object() {
        return Err(js_error(err!(
            InvalidInput,
            "unreadable",
            what = what_msg(what),
            reason = crate::error::Msg::new("not_object", vec![])
        )));
    }
    let copy: JsValue = js_sys::Object::assign(&js_sys::Object::new(), obj.unchecked_ref()).into();
    let mut arrays = Vec::with_capacity(keys.len());
    for key in keys {
        arrays.push(js_sys::Reflect::get(&copy, &(*key).into()).unwrap_or(JsValue::UNDEFINED));
        set(&copy, key, &js_sys::Array::new());
    }
    Ok((copy, arrays))
}

/// Whether `value` is a list: an `Array` or a typed array.
fn is_list(value: &JsValue, what: &str, key: &str) -> Result<bool, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(false)
    } else if js_sys::Array::is_array(value) || js_sys::ArrayBuffer::is_view(value) {
        Ok(true)
    } else {
        Err(js_error(err!(
            InvalidInput,
            "unreadable",
            what = what_msg(what),
            reason = crate::error::Msg::new("not_numbers", vec![("field", key.into())])
        )))
    }
}

/// A list of numbers (a `Float64Array`, another typed array, or an `Array`; entries that are not
/// numbers read as NaN); missing reads as empty.
fn f64s(value: &JsValue, what: &str, key: &str) -> Result<Vec<f64>, JsValue> {
    Ok(match value.dyn_ref::<js_sys::Float64Array>() {
        Some(typed) => typed.to_vec(),
        None if is_list(value, what, key)? => js_sys::Float64Array::new(value).to_vec(),
        None => Vec::new(),
    })
}

/// A list of small whole numbers (a `Uint8Array`, another typed array or an `Array`; entries
/// are taken modulo 256); missing reads as empty.
fn u8s(value: &JsValue, what: &str, key: &str) -> Result<Vec<u8>, JsValue> {
    Ok(match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(typed) => typed.to_vec(),
        None if is_list(value, what, key)? => js_sys::Uint8Array::new(value).to_vec(),
        None => Vec::new(),
    })
}

/// The per-point arrays of a [`Scene`], passed as typed arrays (copied in one go, where a JS
/// array costs a call per number).
const SCENE_ARRAYS: [&str; 5] = ["xs", "ys", "fitted", "roles", "classes"];

fn scene_to_js(mut scene: Scene) -> Result<JsValue, JsValue> {
    let xs = std::mem::take(&mut scene.xs);
    let ys = std::mem::take(&mut scene.ys);
    let fitted = std::mem::take(&mut scene.fitted);
    let roles = std::mem::take(&mut scene.roles);
    let classes = std::mem::take(&mut scene.classes);
    let obj = to_js(&scene)?;
    set(&obj, "xs", &js_sys::Float64Array::from(&xs[..]));
    set(&obj, "ys", &js_sys::Float64Array::from(&ys[..]));
    set(&obj, "fitted", &js_sys::Float64Array::from(&fitted[..]));
    set(&obj, "roles", &js_sys::Uint8Array::from(&roles[..]));
    set(&obj, "classes", &js_sys::Uint8Array::from(&classes[..]));
    Ok(obj)
}

fn scene_from_js(value: &JsValue) -> Result<Scene, JsValue> {
    const WHAT: &str = "scene";
    let (rest, arrays) = take_arrays(value, &SCENE_ARRAYS, WHAT)?;
    let mut scene: Scene = from_js(rest, WHAT)?;
    scene.xs = f64s(&arrays[0], WHAT, "xs")?;
    scene.ys = f64s(&arrays[1], WHAT, "ys")?;
    scene.fitted = f64s(&arrays[2], WHAT, "fitted")?;
    scene.roles = u8s(&arrays[3], WHAT, "roles")?;
    scene.classes = u8s(&arrays[4], WHAT, "classes")?;
    Ok(scene)
}

/// The per-point arrays of the sigmoid view, as in the scene.
const SIGMOID_ARRAYS: [&str; 3] = ["z", "roles", "classes"];

fn sigmoid_to_js(mut sigmoid: SigmoidScene) -> Result<JsValue, JsValue> {
    let z = std::mem::take(&mut sigmoid.z);
    let roles = std::mem::take(&mut sigmoid.roles);
    let classes = std::mem::take(&mut sigmoid.classes);
    let obj = to_js(&sigmoid)?;
    set(&obj, "z", &js_sys::Float64Array::from(&z[..]));
    set(&obj, "roles", &js_sys::Uint8Array::from(&roles[..]));
    set(&obj, "classes", &js_sys::Uint8Array::from(&classes[..]));
    Ok(obj)
}

fn sigmoid_from_js(value: &JsValue) -> Result<SigmoidScene, JsValue> {
    const WHAT: &str = "sigmoid_view";
    let (rest, arrays) = take_arrays(value, &SIGMOID_ARRAYS, WHAT)?;
    let mut sigmoid: SigmoidScene = from_js(rest, WHAT)?;
    sigmoid.z = f64s(&arrays[0], WHAT, "z")?;
    sigmoid.roles = u8s(&arrays[1], WHAT, "roles")?;
    sigmoid.classes = u8s(&arrays[2], WHAT, "classes")?;
    Ok(sigmoid)
}

/// A table of examples: features (n × d) and targets.
#[wasm_bindgen]
pub struct Dataset {
    inner: CoreDataset,
}

#[wasm_bindgen]
impl Dataset {
    /// A seeded synthetic dataset: `{ kind, n, noise, seed, classes, ratio }` (missing fields take
    /// their defaults).
    pub fn generate(spec: JsValue) -> Result<Dataset, JsValue> {
        let spec: DataSpec = if spec.is_undefined() { DataSpec::default() } else { from_js(spec, "dataset")? };
        generate(&spec).map(|inner| Dataset { inner }).map_err(js_error)
    }

    /// A dataset from row-major features (`n * nFeatures` numbers) and `n` targets. Pass
    /// `nClasses` (≥ 2) for classification, with targets 0, 1, …; omit it for regression.
    #[wasm_bindgen(js_name = fromArrays)]
    pub fn from_arrays(x: &[f64], n_features: usize, y: &[f64], n_classes: Option<usize>) -> Result<Dataset, JsValue> {
        let task = match n_classes {
            Some(n_classes) => Task::Classification { n_classes },
            None => Task::Regression,
        };
        CoreDataset::from_rows(x, n_features, y, task).map(|inner| Dataset { inner }).map_err(js_error)
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    #[wasm_bindgen(getter, js_name = nFeatures)]
    pub fn n_features(&self) -> usize {
        self.inner.n_features()
    }

    /// The features, row-major.
    pub fn x(&self) -> Vec<f64> {
        self.inner.x.transpose().as_slice().to_vec()
    }

    /// The targets.
    pub fn y(&self) -> Vec<f64> {
        self.inner.y.as_slice().to_vec()
    }

    /// A seeded split into `[train, test]` with `testRatio` of the rows in the test set.
    pub fn split(&self, test_ratio: f64, seed: u32) -> js_sys::Array {
        let (train, test) = crate::data::split::train_test_split(self.inner.len(), test_ratio, &mut rng(seed as u64));
        let out = js_sys::Array::new();
        out.push(&Dataset { inner: self.inner.select(&train) }.into());
        out.push(&Dataset { inner: self.inner.select(&test) }.into());
        out
    }
}

/// Any registered model, e.g. `new Model({ kind: "linear", degree: 3, ridge: 0.01 })`.
#[wasm_bindgen]
pub struct Model {
    inner: AnyModel,
    rng: Rng,
}

#[wasm_bindgen]
impl Model {
    /// Builds an untrained model from its hyper-parameters (`kind` plus the family's fields);
    /// `seed` drives random initialisation and mini-batch order.
    #[wasm_bindgen(constructor)]
    pub fn new(params: JsValue, seed: Option<u32>) -> Result<Model, JsValue> {
        let params: ModelParams = from_js(params, "model_params")?;
        let seed = seed.unwrap_or(1) as u64;
        let inner = params.build(seed).map_err(js_error)?;
        Ok(Model { inner, rng: rng(seed) })
    }

    /// Trains to the end in one call (closed form or solver).
    pub fn fit(&mut self, data: &Dataset) -> Result<(), JsValue> {
        let mut candidate = self.inner.clone();
        candidate.fit(&data.inner).map_err(js_error)?;
        self.inner = candidate;
        Ok(())
    }

    /// Runs `epochs` optimisation epochs and returns the objective after them. On divergence the
    /// model keeps its last good state and an error is thrown.
    pub fn step(&mut self, data: &Dataset, epochs: Option<u32>) -> Result<f64, JsValue> {
        for _ in 0..epochs.unwrap_or(1).max(1) {
            self.inner.guarded_step(&data.inner, &mut self.rng).map_err(js_error)?;
        }
        self.inner.objective(&data.inner).map_err(js_error)
    }

    /// Predictions for row-major features `x` with `nFeatures` columns: one value per row for
    /// regression, `nClasses` probabilities per row (row-major) for classification.
    pub fn predict(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>, JsValue> {
        if n_features == 0 || x.len() % n_features != 0 {
            return Err(js_error(err!(
                InvalidData,
                "internal",
                detail = format!(
                    "{len} numbers cannot be split into rows of {n_features} features",
                    len = x.len(),
                    n_features = n_features
                )
            )));
        }
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(js_error(err!(InvalidData, "input_not_finite", i = i)));
        }
        let m = DMatrix::from_row_slice(x.len() / n_features, n_features, x);
        let p = self.inner.predict(&m).map_err(js_error)?;
        Ok(p.transpose().as_slice().to_vec())
    }

    /// The objective (loss plus regularisation) on `data`.
    pub fn objective(&self, data: &Dataset) -> Result<f64, JsValue> {
        self.inner.objective(&data.inner).map_err(js_error)
    }

    /// Scores on `data`: `{ n, mse, rmse, mae, r2 }` for regression.
    pub fn evaluate(&self, data: &Dataset) -> Result<JsValue, JsValue> {
        let p = self.inner.predict(&data.inner.x).map_err(js_error)?;
        to_js(&RegressionScores::compute(data.inner.y.as_slice(), p.as_slice()))
    }

    /// The decision surface of a classifier: RGBA pixels (`width × height`, row 0 at `yMax`)
    /// coloured by the predicted class, the colour's strength by the confidence. A model on two
    /// features needs no `held`; for another number of features, `held` gives a value for each
    /// feature (those of the first two are replaced by the grid's x and y) and the surface is the
    /// slice through those values (the page holds them at the training means).
    #[wasm_bindgen(js_name = decisionSurface)]
    #[allow(clippy::too_many_arguments)]
    pub fn decision_surface(
        &self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
        width: u32,
        height: u32,
        n_classes: usize,
        held: Option<Vec<f64>>,
    ) -> Result<Vec<u8>, JsValue> {
        let view = render::View { x: (x_min, x_max), y: (y_min, y_max) };
        if ![x_min, x_max, y_min, y_max].iter().all(|v| v.is_finite()) || x_min >= x_max || y_min >= y_max {
            return Err(js_error(err!(
                InvalidParameter,
                "internal",
                detail = "the surface needs a finite window with min < max"
            )));
        }
        if width < 2 || height < 2 || width as u64 * height as u64 > crate::session::MAX_SURFACE_PIXELS {
            return Err(js_error(err!(
                InvalidParameter,
                "internal",
                detail = format!(
                    "a surface must be between 2×2 and {max_surface_pixels} pixels",
                    max_surface_pixels = crate::session::MAX_SURFACE_PIXELS
                )
            )));
        }
        let held = held.unwrap_or_else(|| vec![0.0; 2]);
        if held.is_empty() || held.len() > 100_000 || held.iter().any(|v| !v.is_finite()) {
            return Err(js_error(err!(
                InvalidParameter,
                "internal",
                detail = "held needs one finite value per feature of the model"
            )));
        }
        let (xs, ys) = render::surface::grid_axes(&view, width as usize, height as usize);
        let p = crate::evaluate::grid::slice_probabilities(&self.inner, &xs, &ys, n_classes, &held).ok_or_else(|| {
            js_error(err!(InvalidData, "internal", detail = format!("this model does not classify {held} feature(s) into {n_classes} classes (is it trained, on that many features?)", held = held.len(), n_classes = n_classes)))
        })?;
        Ok(render::raster::surface(&p, n_classes, width, height).rgba)
    }

    /// `{ code, values, formula, inputs, parameters: [[name, value], …] }` (src/model/summary.rs):
    /// data, worded by www/summary.js (`summaryText`, `formulaTex`).
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.summary())
    }

    #[wasm_bindgen(getter, js_name = isTrained)]
    pub fn is_trained(&self) -> bool {
        self.inner.is_trained()
    }

    /// `{ parameters, nonzero, bytes }`: every weight and bias, those not zero, and the bytes of
    /// the compact binary form of the model file (see `compress::size`). Networks and ensembles.
    pub fn size(&self) -> Result<JsValue, JsValue> {
        to_js(&crate::compress::size(&self.inner).map_err(js_error)?)
    }

    /// The trained model as a plain object (`JSON.stringify` it to save): the model file of
    /// `docs/model-format.md`.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&ModelFile::new(self.inner.clone(), None))
    }

    /// The trained model as an ONNX file (bytes): input `X` float32 `[N, d]`, output `Y` (the
    /// prediction, or one probability per class), for every family (k-means adds `label` and
    /// `distance`, the SVM `decision`); an untrained model is refused with a message.
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
    from_js(value, "model_file")
}

/// The page's training session: a state in, reports and scenes out.
#[wasm_bindgen]
pub struct Session {
    inner: CoreSession,
    surface: Option<Raster>,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new(state: JsValue) -> Result<Session, JsValue> {
        let state: State = if state.is_undefined() { State::default() } else { from_js(state, "state")? };
        CoreSession::new(state).map(|inner| Session { inner, surface: None }).map_err(js_error)
    }

    /// Adopts a new state; a bad one is refused whole and nothing changes.
    #[wasm_bindgen(js_name = setState)]
    pub fn set_state(&mut self, state: JsValue) -> Result<(), JsValue> {
        let state: State = from_js(state, "state")?;
        self.inner.set_state(state).map_err(js_error)
    }

    /// The current state (with the learner's edits), as a plain object.
    pub fn state(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.state())
    }

    pub fn step(&mut self, epochs: u32) {
        self.inner.step(epochs)
    }

    /// Part of an epoch: about `maxRows` rows of mini-batches; true when an epoch ended (or there
    /// is nothing to go on with). The worker calls it until its time slice is spent.
    pub fn advance(&mut self, max_rows: u32) -> bool {
        self.inner.advance(max_rows as usize)
    }

    #[wasm_bindgen(js_name = fitNow)]
    pub fn fit_now(&mut self) {
        self.inner.fit_now()
    }

    pub fn reset(&mut self) -> Result<(), JsValue> {
        self.inner.reset().map_err(js_error)
    }

    /// Applies `{ op: "add", x, y, label? }`, `{ op: "remove", i }` or `{ op: "move", i, x, y }`.
    pub fn edit(&mut self, edit: JsValue) -> Result<(), JsValue> {
        let edit: Edit = from_js(edit, "edit")?;
        self.inner.edit(edit).map_err(js_error)
    }

    /// Grows a neural network, keeping its predictions: `{ op: "neuron", layer }` (1 = first
    /// hidden layer) or `{ op: "layer", after }` (0 = after the input).
    pub fn grow(&mut self, growth: JsValue) -> Result<(), JsValue> {
        let growth: crate::session::Growth = from_js(growth, "growth")?;
        self.inner.grow(growth).map_err(js_error)
    }

    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.report())
    }

    /// What to draw. For classification, pass the decision surface's size in pixels to compute
    /// it too; take its RGBA pixels with `takeSurface()`. The per-point arrays are typed arrays:
    /// `xs`, `ys`, `fitted` (`Float64Array`), `roles`, `classes` (`Uint8Array`).
    pub fn scene(
        &mut self,
        samples: usize,
        surface_width: Option<u32>,
        surface_height: Option<u32>,
    ) -> Result<JsValue, JsValue> {
        let size = surface_width.zip(surface_height);
        let (scene, raster) = self.inner.scene(samples, size);
        self.surface = raster;
        scene_to_js(scene)
    }

    /// The RGBA pixels of the decision surface the last `scene` call computed (once), or
    /// `undefined`.
    #[wasm_bindgen(js_name = takeSurface)]
    pub fn take_surface(&mut self) -> Option<Vec<u8>> {
        self.surface.take().map(|r| r.rgba)
    }

    /// Makes the columns `xColumns` (features) and `target` of a CSV file the session's data;
    /// `hint` is "auto", "regression" or "classification". Returns what the import did (rows,
    /// missing cells, class names). A bad file or choice leaves the current data as it was.
    #[wasm_bindgen(js_name = importCsv)]
    pub fn import_csv(
        &mut self,
        bytes: &[u8],
        x_columns: Vec<usize>,
        target: usize,
        hint: &str,
    ) -> Result<JsValue, JsValue> {
        use crate::data::csv_import::{parse_csv, to_dataset, TaskHint};
        let hint = match hint {
            "regression" => TaskHint::Regression,
            "classification" => TaskHint::Classification,
            _ => TaskHint::Auto,
        };
        let table = parse_csv(bytes).map_err(js_error)?;
        let (data, report) = to_dataset(&table, &x_columns, target, hint).map_err(js_error)?;
        let target_name = table.columns.get(target).map(|c| c.name.clone()).unwrap_or_default();
        let custom = crate::session::CustomData { data, target_name, class_names: report.class_names.clone() };
        self.inner.import(custom).map_err(js_error)?;
        to_js(&report)
    }

    /// The score of fold `fold` of the cross-validation `{ k, stratified, metric }`.
    #[wasm_bindgen(js_name = cvFold)]
    pub fn cv_fold(&self, spec: JsValue, fold: usize) -> Result<f64, JsValue> {
        let spec: crate::session::CvSpec = from_js(spec, "cv_settings")?;
        self.inner.cv_fold(&spec, fold).map_err(js_error)
    }

    /// Fold `fold` of the cross-validation `{ k, stratified, metric }` in parts: fits on about
    /// `maxRows` more rows, and returns the fold's score once its fit has ended (else undefined).
    #[wasm_bindgen(js_name = cvFoldPart)]
    pub fn cv_fold_part(&mut self, spec: JsValue, fold: usize, max_rows: u32) -> Result<Option<f64>, JsValue> {
        let spec: crate::session::CvSpec = from_js(spec, "cv_settings")?;
        self.inner.cv_fold_part(&spec, fold, max_rows as usize).map_err(js_error)
    }

    /// How far the fold under way has come, 0 to 1.
    #[wasm_bindgen(js_name = cvFoldProgress)]
    pub fn cv_fold_progress(&self) -> f64 {
        self.inner.cv_fold_progress()
    }

    /// Drops the fold under way (the cross-validation was cancelled or restarted).
    #[wasm_bindgen(js_name = cvForget)]
    pub fn cv_forget(&mut self) {
        self.inner.cv_forget()
    }

    /// What a pool of tuning workers needs to score settings as `cvFold` does: the raw rows
    /// (edits included, dropped features left out) as `{ x, n_features, y, n_classes }` (row-major
    /// `Float64Array`s; `n_classes` null for regression), the preparation `pipeline` and the `seed`
    /// of the folds.
    #[wasm_bindgen(js_name = tuneData)]
    pub fn tune_data(&self) -> Result<JsValue, JsValue> {
        let (data, pipeline, seed) = self.inner.tune_data();
        let obj = js_sys::Object::new();
        let x = js_sys::Float64Array::from(data.x.transpose().as_slice());
        let y = js_sys::Float64Array::from(data.y.as_slice());
        set(&obj, "x", &x);
        set(&obj, "y", &y);
        set(&obj, "n_features", &JsValue::from(data.n_features() as u32));
        let n_classes = match data.task {
            Task::Classification { n_classes } => JsValue::from(n_classes as u32),
            Task::Regression => JsValue::NULL,
        };
        set(&obj, "n_classes", &n_classes);
        set(&obj, "pipeline", &to_js(&pipeline)?);
        set(&obj, "seed", &JsValue::from(seed as u32));
        Ok(obj.into())
    }

    /// The current points as CSV text (features, target, and whether each is train, test or
    /// clicked).
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self) -> String {
        self.inner.export_csv()
    }

    /// The family's thumbnails over the plane (a network's hidden neurons) as `size × size` RGBA
    /// pictures, concatenated; empty for families without them.
    #[wasm_bindgen(js_name = neuronThumbnails)]
    pub fn neuron_thumbnails(&self, size: u32) -> Vec<u8> {
        self.inner.thumbnails(size)
    }

    /// The pictures beside the plot: `{ roc?, precision_recall?, importances?, permutation?,
    /// schedule? }` and the family's own under their kinds' keys (`models()`'s `views`: `sigmoid`,
    /// `tree`, `pruning`, `network`, …); the sigmoid's per-point `z` is a `Float64Array`, its
    /// `roles` and `classes` `Uint8Array`s.
    pub fn views(&self) -> Result<JsValue, JsValue> {
        let mut views = self.inner.views();
        let sigmoid = views.family.take(crate::model::view::ViewKind::Sigmoid);
        let obj = to_js(&views)?;
        if let Some(crate::model::view::FamilyView::Sigmoid(sigmoid)) = sigmoid {
            set(&obj, "sigmoid", &sigmoid_to_js(sigmoid)?);
        }
        Ok(obj)
    }

    pub fn history(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.history())
    }

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

    /// Compresses the trained model (`{ kind: "prune" | "quantize" | "distill" | "ensemble", … }`,
    /// see `compress::setup::Operation`); the original is kept and the state records the setup.
    pub fn compress(&mut self, operation: JsValue) -> Result<(), JsValue> {
        let operation: crate::compress::setup::Operation = from_js(operation, "the compression")?;
        self.inner.compress(operation).map_err(js_error)
    }

    /// Drops the compressed model and its setup.
    #[wasm_bindgen(js_name = clearCompressed)]
    pub fn clear_compressed(&mut self) {
        self.inner.clear_compressed()
    }

    /// The compare view's numbers (`{ setup, original, compressed: { size, train, test },
    /// changed_share, mean_abs_difference, transfer, network }`), or `null`.
    #[wasm_bindgen(js_name = compareReport)]
    pub fn compare_report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.compare_report().map_err(js_error)?)
    }

    /// The compare view's three maps (original, compressed, difference), each `width × height`
    /// RGBA, one after the other; `undefined` for regression or when nothing is compressed.
    #[wasm_bindgen(js_name = compareSurfaces)]
    pub fn compare_surfaces(&self, width: u32, height: u32) -> Option<Vec<u8>> {
        let maps = self.inner.compare_surfaces(width, height)?;
        Some(maps.into_iter().flat_map(|r| r.rgba).collect())
    }

    /// A regression's compare view: `{ original, compressed, difference }`, each `[x, y]` pairs
    /// over the plot's x range (`samples` of them); `null` for classification or when nothing is
    /// compressed.
    #[wasm_bindgen(js_name = compareCurves)]
    pub fn compare_curves(&self, samples: u32) -> Result<JsValue, JsValue> {
        to_js(&self.inner.compare_curves(samples))
    }

    /// The time machine: shows the model as it was at `epoch` (the latest snapshot at or before
    /// it; now from the current epoch on) until any training or change; returns the epoch shown.
    pub fn scrub(&mut self, epoch: f64) -> f64 {
        let epoch = if epoch.is_finite() { epoch.max(0.0) as u64 } else { u64::MAX };
        self.inner.scrub(epoch) as f64
    }

    /// Back to the live model after scrubbing.
    pub fn unscrub(&mut self) {
        self.inner.unscrub()
    }

    /// Pins the model of `epoch` for the compare view (the state records it).
    pub fn pin(&mut self, epoch: f64) -> Result<(), JsValue> {
        if !(epoch.is_finite() && epoch >= 0.0) {
            let max = self.inner.trained_epochs();
            return Err(js_error(crate::err!(InvalidInput, "pin_epoch", got = epoch, max = max)));
        }
        self.inner.pin(epoch as u64).map_err(js_error)
    }

    pub fn unpin(&mut self) {
        self.inner.unpin()
    }

    /// The pinned epoch's and now's scores (`{ pinned, now, then_train, then_test, now_train,
    /// now_test }`), or `null`.
    #[wasm_bindgen(js_name = pinReport)]
    pub fn pin_report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.pin_report().map_err(js_error)?)
    }

    /// The pinned model's map, now's and their difference, each `width × height` RGBA, one after
    /// the other; `undefined` for regression or when nothing is pinned.
    #[wasm_bindgen(js_name = pinSurfaces)]
    pub fn pin_surfaces(&self, width: u32, height: u32) -> Option<Vec<u8>> {
        let maps = self.inner.pin_surfaces(width, height)?;
        Some(maps.into_iter().flat_map(|r| r.rgba).collect())
    }

    /// Predicts the original (`"original"`) or the compressed model (`"compressed"`) over a
    /// `side × side` grid of the plot (for timing).
    #[wasm_bindgen(js_name = predictPlane)]
    pub fn predict_plane(&self, which: JsValue, side: u32) -> Result<(), JsValue> {
        let which: crate::session::Which = from_js(which, "the model to time")?;
        self.inner.predict_plane(which, side).map_err(js_error)
    }

    /// One of the compare view's curves: `"sparsity"`, `"bits"`, `"temperature"` or
    /// `"student_size"` → `{ kind, metric, subset, series: [{ key, points }] }`.
    #[wasm_bindgen(js_name = compressCurve)]
    pub fn compress_curve(&self, kind: JsValue) -> Result<JsValue, JsValue> {
        let kind: crate::session::CurveKind = from_js(kind, "the curve")?;
        to_js(&self.inner.compress_curve(kind).map_err(js_error)?)
    }

    /// Starts computing a curve in parts (one point each); returns the number of parts.
    #[wasm_bindgen(js_name = compressCurveBegin)]
    pub fn compress_curve_begin(&mut self, kind: JsValue) -> Result<usize, JsValue> {
        let kind: crate::session::CurveKind = from_js(kind, "the curve")?;
        self.inner.compress_curve_begin(kind).map_err(js_error)
    }

    /// Computes the next point of the curve begun: `undefined` until the last, then the curve.
    #[wasm_bindgen(js_name = compressCurvePart)]
    pub fn compress_curve_part(&mut self) -> Result<JsValue, JsValue> {
        match self.inner.compress_curve_part().map_err(js_error)? {
            Some(curve) => to_js(&curve),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The model's predictions for rows of raw features (row-major `x`, `nFeatures` per row; NaN
    /// is a missing value, filled by the imputer): the fitted preparation, then the model, as an
    /// exported model computes them. One value per row for regression, a probability per class
    /// (row-major) for classification. The session is not changed (the prediction service).
    #[wasm_bindgen(js_name = predictRaw)]
    pub fn predict_raw(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>, JsValue> {
        if n_features == 0 || x.len() % n_features != 0 {
            return Err(js_error(err!(
                InvalidData,
                "model_width",
                n = self.inner.raw().n_features(),
                got = n_features
            )));
        }
        let m = DMatrix::from_row_slice(x.len() / n_features, n_features, x);
        let p = self.inner.predict_raw(&m).map_err(js_error)?;
        Ok(p.transpose().as_slice().to_vec())
    }

    /// Makes a model file (its JSON text or parsed object) the session's model, checked against
    /// the current data; a file that does not fit or is damaged is refused and nothing changes.
    #[wasm_bindgen(js_name = openModel)]
    pub fn open_model(&mut self, file: JsValue) -> Result<(), JsValue> {
        let file = read_model_file(file)?;
        self.inner.open_model(file).map_err(js_error)
    }
}

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

/// Options of [`cross_validate`]; every field has a default; unknown keys are refused.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CvOptions {
    k: usize,
    stratified: bool,
    metric: Option<crate::evaluate::scoring::ScoreMetric>,
    seed: u32,
    pipeline: crate::pipeline::Pipeline,
}

impl Default for CvOptions {
    fn default() -> Self {
        CvOptions { k: 5, stratified: true, metric: None, seed: 1, pipeline: Default::default() }
    }
}

/// k-fold cross-validation of the model `params` on `data`: `options` is `{ k = 5, stratified =
/// true, metric = accuracy or r2, seed = 1, pipeline = { imputer, outliers, outlier_action,
/// scaling, resampling } }`; every step of the pipeline is fitted on each fold's training rows
/// only. Returns `{ per_fold, mean, std }`.
#[wasm_bindgen(js_name = crossValidate)]
pub fn cross_validate(params: JsValue, data: &Dataset, options: JsValue) -> Result<JsValue, JsValue> {
    use crate::evaluate::scoring::ScoreMetric;
    let params: ModelParams = from_js(params, "model_settings")?;
    let options: CvOptions = if options.is_undefined() || options.is_null() {
        CvOptions::default()
    } else {
        from_js(options, "cv_options")?
    };
    let classification = matches!(data.inner.task, Task::Classification { .. });
    let metric = options.metric.unwrap_or(ScoreMetric::default_for(data.inner.task, params.is_clustering()));
    let stratified = options.stratified && classification;
    let result = crate::evaluate::cross_validation::cross_validate(
        &params,
        &data.inner,
        options.k,
        stratified,
        &options.pipeline,
        metric,
        options.seed as u64,
        &mut |_, _| true,
    )
    .map_err(js_error)?;
    to_js(&result)
}

/// The milliseconds of `performance.now()` (or `Date.now()` where there is no `performance`), to
/// time trials.
fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    performance
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            now.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Black-box minimisation of a JS function of a params object: `fn(params) → number` over `space`
/// (a list of `{ path, type: uniform | log_uniform | int | categorical, … }`) with `options`
/// `{ strategy: { kind: grid | random | bayes | tpe | genetic | nelder_mead, … }, trials, seed }`.
/// A call that throws or returns something other than a finite number is a failed trial; the
/// search goes on. Returns `{ trials: [{ params, score, error, ms }], best }`.
#[wasm_bindgen]
pub fn minimize(objective: &js_sys::Function, space: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    use crate::tune::{space::Space, Options};
    let space: Space = from_js(space, "search_space")?;
    let options: Options = from_js(options, "search_options")?;
    let mut clock = now_ms;
    let outcome = crate::tune::minimize_timed(
        |point| {
            let params = to_js(&crate::tune::value::Value::Map(space.assignment(point))).map_err(|_| {
                err!(InvalidInput, "internal", detail = "a trial's settings could not be passed to JavaScript")
            })?;
            let value = objective.call1(&JsValue::NULL, &params).map_err(|e| {
                let text = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
                err!(InvalidInput, "objective_threw", text = text)
            })?;
            value.as_f64().ok_or_else(|| err!(InvalidInput, "objective_not_number"))
        },
        &space,
        &options,
        Some(&mut clock),
    )
    .map_err(js_error)?;
    to_js(&outcome)
}

/// Options of [`tune`]: the search (`strategy`, `trials`, `seed`) and how each trial is scored
/// (`cv`: the options of `crossValidate`; `shuffle`, `repeats` for repeated k-fold, `prune` to stop
/// hopeless trials by the median rule).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TuneOptions {
    strategy: crate::tune::strategy::StrategySpec,
    trials: usize,
    #[serde(default)]
    seed: u32,
    #[serde(default)]
    cv: Option<CvOptions>,
    /// Shuffle the rows before cutting the folds (default true).
    #[serde(default)]
    shuffle: Option<bool>,
    /// Repeated k-fold: rounds of k folds (default 1).
    #[serde(default)]
    repeats: Option<usize>,
    /// Stop hopeless trials early by the median rule.
    #[serde(default)]
    prune: bool,
}

/// Tunes model settings by cross-validation: `params` the starting settings, `space` what varies
/// (paths into the params), `options` `{ strategy, trials, seed, cv: { k, stratified, metric,
/// pipeline } }`. Every trial is scored by k-fold cross-validation through the preparation
/// pipeline (fitted inside each fold). Returns `{ trials: [{ params, score, std, error, ms }],
/// best, greater_is_better }`.
#[wasm_bindgen]
pub fn tune(params: JsValue, space: JsValue, data: &Dataset, options: JsValue) -> Result<JsValue, JsValue> {
    use crate::evaluate::scoring::ScoreMetric;
    use crate::tune::{space::Space, value::Value, Options};
    let params: ModelParams = from_js(params, "model_settings")?;
    let base: Value = from_js(to_js(&params)?, "model_settings")?;
    let space: Space = from_js(space, "search_space")?;
    let options: TuneOptions = from_js(options, "tuning_options")?;
    let cv = options.cv.unwrap_or_default();
    let classification = matches!(data.inner.task, Task::Classification { .. });
    let spec = crate::tune::cv::CvSpec {
        k: cv.k,
        stratified: cv.stratified && classification,
        metric: cv.metric.unwrap_or(ScoreMetric::default_for(data.inner.task, params.is_clustering())),
        pipeline: cv.pipeline,
        seed: cv.seed as u64,
        shuffle: options.shuffle.unwrap_or(true),
        repeats: options.repeats.unwrap_or(1),
        prune: options.prune.then(crate::tune::cv::MedianPruning::default),
    };
    let search = Options::new(options.strategy, options.trials, options.seed as u64);
    let to_params = |v: &Value| -> crate::error::Result<ModelParams> {
        let js = to_js(v).map_err(|_| err!(InvalidInput, "internal", detail = "the settings could not be read"))?;
        serde_wasm_bindgen::from_value(js).map_err(|e| {
            err!(
                InvalidParameter,
                "unreadable",
                what = what_msg("model_settings"),
                reason = crate::error::serde_reason(&e.to_string())
            )
        })
    };
    let mut clock = now_ms;
    let run = crate::tune::cv::tune(&base, &space, &data.inner, &spec, &search, &to_params, Some(&mut clock))
        .map_err(js_error)?;
    to_js(&run)
}

/// A search driven from JavaScript, one trial at a time or a batch for a pool of workers: the
/// page asks for points with `suggest(n)`, scores each elsewhere (a worker's `crossValidate`) and
/// reports it with `observe(id, score)`, in any order. `new Search(space, { strategy, trials,
/// seed }, base, greaterIsBetter)`: `base` the model's params the points are written into.
#[wasm_bindgen]
pub struct Search {
    space: crate::tune::space::Space,
    strategy: Box<dyn crate::tune::strategy::Strategy>,
    base: crate::tune::value::Value,
    /// Suggested points not yet observed, by id.
    pending: std::collections::HashMap<u64, crate::tune::space::Point>,
    sign: f64,
}

/// A suggested trial: its id, the searched settings (path → value) and the whole model params.
#[derive(Serialize)]
struct Suggestion {
    id: u64,
    values: crate::tune::value::Value,
    params: crate::tune::value::Value,
}

#[wasm_bindgen]
impl Search {
    #[wasm_bindgen(constructor)]
    pub fn new(space: JsValue, options: JsValue, base: JsValue, greater_is_better: bool) -> Result<Search, JsValue> {
        use crate::tune::{space::Space, value::Value, Options};
        let space: Space = from_js(space, "search_space")?;
        let options: Options = from_js(options, "search_options")?;
        options.check().map_err(js_error)?;
        let params: ModelParams = from_js(base, "model_settings")?;
        params.check().map_err(js_error)?;
        let base: Value = from_js(to_js(&params)?, "model_settings")?;
        space.check_paths(&base).map_err(js_error)?;
        let strategy = options.strategy.build(&space, options.trials, options.seed).map_err(js_error)?;
        let sign = if greater_is_better { -1.0 } else { 1.0 };
        Ok(Search { space, strategy, base, pending: Default::default(), sign })
    }

    /// Up to `n` points to try: `[{ id, values, params }]`; fewer when the strategy waits for
    /// results, none when it has nothing left (a finished grid).
    pub fn suggest(&mut self, n: usize) -> Result<JsValue, JsValue> {
        let mut out = Vec::new();
        for point in self.strategy.suggest(n.clamp(1, 1024)) {
            let params = self.space.apply(&point, &self.base).map_err(js_error)?;
            let values = crate::tune::value::Value::Map(self.space.assignment(&point));
            out.push(Suggestion { id: point.id, values, params });
            self.pending.insert(point.id, point);
        }
        to_js(&out)
    }

    /// A genetic search's generations so far: `[[{ id, elite }]]`, each member by the id of the
    /// suggestion that first tried it (an elite carried over keeps its id); empty for other
    /// strategies.
    pub fn generations(&self) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Member {
            id: u64,
            elite: bool,
        }
        let generations: Vec<Vec<Member>> = self
            .strategy
            .generations()
            .iter()
            .map(|g| g.iter().map(|m| Member { id: m.point.id, elite: m.elite }).collect())
            .collect();
        to_js(&generations)
    }

    /// The score of trial `id` in the metric's own units (larger better when the search was made
    /// so), or `undefined` when it failed. Unknown or repeated ids are ignored.
    pub fn observe(&mut self, id: u64, score: Option<f64>) {
        if let Some(point) = self.pending.remove(&id) {
            let result = match score {
                Some(s) if s.is_finite() => Ok(self.sign * s),
                _ => Err(err!(Diverged, "trial_failed")),
            };
            self.strategy.observe(&point, result);
        }
    }
}

/// The trials of a run as the pictures take them: the space and each trial's searched values
/// (path → value, as `Search.suggest` gave them) with its score (`null` when it failed).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrialsInput {
    space: crate::tune::space::Space,
    trials: Vec<TrialInput>,
    #[serde(default)]
    greater_is_better: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrialInput {
    values: crate::tune::value::Value,
    #[serde(default)]
    score: Option<f64>,
}

impl TrialsInput {
    #[allow(clippy::type_complexity)]
    fn read(
        value: JsValue,
    ) -> Result<
        (crate::tune::space::Space, Vec<Vec<Option<crate::tune::space::Setting>>>, Vec<Option<f64>>, bool),
        JsValue,
    > {
        let input: TrialsInput = from_js(value, "tuning_trials")?;
        let settings =
            input.trials.iter().map(|t| input.space.settings_of(&t.values)).collect::<crate::error::Result<Vec<_>>>();
        let scores = input.trials.iter().map(|t| t.score).collect();
        Ok((input.space, settings.map_err(js_error)?, scores, input.greater_is_better))
    }
}

/// Bayesian search's picture: the Gaussian-process surrogate fitted to `{ space, trials: [{ values,
/// score }], greater_is_better }` over settings `x` and `y` (indices into the space) on an `nx` ×
/// `ny` grid, the others held at the best trial's values: `{ x_range, y_range, log_x, log_y, nx,
/// ny, mean, std, next, next_ei }`, or `null` before two trials have a score.
#[wasm_bindgen(js_name = tuneSurface)]
pub fn tune_surface(input: JsValue, x: usize, y: usize, nx: usize, ny: usize) -> Result<JsValue, JsValue> {
    let (space, settings, scores, greater) = TrialsInput::read(input)?;
    let slice = crate::tune::surface::surrogate_slice(&space, &settings, &scores, greater, (x, y), (nx, ny))
        .map_err(js_error)?;
    to_js(&slice)
}

/// Each searched setting's importance (fANOVA main effects on a random forest of the trials,
/// summing to 1) from `{ space, trials: [{ values, score }] }`, seeded.
#[wasm_bindgen(js_name = tuneImportance)]
pub fn tune_importance(input: JsValue, seed: u32) -> Result<Vec<f64>, JsValue> {
    let (space, settings, scores, _) = TrialsInput::read(input)?;
    crate::tune::importance::importance(&space, &settings, &scores, seed as u64).map_err(js_error)
}

/// How the page's workers score a trial: `crossValidate`'s options plus `shuffle`, `repeats`
/// (repeated k-fold) and, for the median rule, `medians` (the finished trials' running means
/// after each fold; `null` before there are enough) with `prune: true`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreOptions {
    #[serde(default)]
    cv: Option<CvOptions>,
    #[serde(default)]
    shuffle: Option<bool>,
    #[serde(default)]
    repeats: Option<usize>,
    #[serde(default)]
    prune: bool,
    #[serde(default)]
    medians: Option<Vec<Option<f64>>>,
}

impl ScoreOptions {
    fn spec(&self, data: &CoreDataset) -> crate::tune::cv::CvSpec {
        use crate::evaluate::scoring::ScoreMetric;
        let cv = self.cv.clone().unwrap_or_default();
        let classification = matches!(data.task, Task::Classification { .. });
        crate::tune::cv::CvSpec {
            k: cv.k,
            stratified: cv.stratified && classification,
            metric: cv.metric.unwrap_or(if classification { ScoreMetric::Accuracy } else { ScoreMetric::R2 }),
            pipeline: cv.pipeline,
            seed: cv.seed as u64,
            shuffle: self.shuffle.unwrap_or(true),
            repeats: self.repeats.unwrap_or(1),
            prune: self.prune.then(crate::tune::cv::MedianPruning::default),
        }
    }
}

/// Scores one trial's model `params` on `data` fold by fold, as `tune` does (repeated k-fold, the
/// median rule against `options.medians`): `{ score, std, running, pruned, folds }`; throws when
/// the trial fails (a pruned trial does not throw: `pruned` is true and `score` null).
#[wasm_bindgen(js_name = scoreTrial)]
pub fn score_trial(params: JsValue, data: &Dataset, options: JsValue) -> Result<JsValue, JsValue> {
    let params: ModelParams = from_js(params, "model_settings")?;
    params.check().map_err(js_error)?;
    let options: ScoreOptions = from_js(options, "scoring_options")?;
    let spec = options.spec(&data.inner);
    spec.metric.check(data.inner.task).map_err(js_error)?;
    let folds = spec.folds(&data.inner).map_err(js_error)?;
    let medians: Option<Vec<f64>> = options.medians.map(|m| m.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect());
    let (result, scores) = crate::tune::cv::score_trial(&params, &data.inner, &folds, &spec, medians.as_deref());
    match result {
        Err(e) if !scores.pruned => Err(js_error(e)),
        _ => to_js(&scores),
    }
}

/// One outer fold of nested cross-validation, for the page's workers to run in parallel: the whole
/// search (`options` as `tune`'s, plus `outer_k` and `fold`) on the fold's training rows, the best
/// settings scored on its test rows: `{ picked, inner_best, outer }`.
#[wasm_bindgen(js_name = nestedFold)]
pub fn nested_fold(params: JsValue, space: JsValue, data: &Dataset, options: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NestedOptions {
        strategy: crate::tune::strategy::StrategySpec,
        trials: usize,
        #[serde(default)]
        seed: u32,
        #[serde(default)]
        cv: Option<CvOptions>,
        #[serde(default)]
        shuffle: Option<bool>,
        #[serde(default)]
        repeats: Option<usize>,
        #[serde(default)]
        prune: bool,
        outer_k: usize,
        fold: usize,
    }
    use crate::tune::{space::Space, value::Value, Options};
    let params: ModelParams = from_js(params, "model_settings")?;
    let base: Value = from_js(to_js(&params)?, "model_settings")?;
    let space: Space = from_js(space, "search_space")?;
    let options: NestedOptions = from_js(options, "nested_options")?;
    crate::error::check_count("outer folds", options.outer_k, 2, 10).map_err(js_error)?;
    let scoring = ScoreOptions {
        cv: options.cv,
        shuffle: options.shuffle,
        repeats: options.repeats,
        prune: options.prune,
        medians: None,
    };
    let spec = scoring.spec(&data.inner);
    let search = Options::new(options.strategy, options.trials, options.seed as u64);
    search.check().map_err(js_error)?;
    let to_params = |v: &Value| -> crate::error::Result<ModelParams> {
        let js = to_js(v).map_err(|_| err!(InvalidInput, "internal", detail = "the settings could not be read"))?;
        serde_wasm_bindgen::from_value(js).map_err(|e| {
            err!(
                InvalidParameter,
                "unreadable",
                what = what_msg("model_settings"),
                reason = crate::error::serde_reason(&e.to_string())
            )
        })
    };
    let fold = crate::tune::cv::nested_fold(
        &base,
        &space,
        &data.inner,
        &spec,
        &search,
        options.outer_k,
        options.fold,
        &to_params,
    )
    .map_err(js_error)?;
    to_js(&fold)
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

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| js_error(err!(Render, "render", detail = "this canvas has no 2-D context")))
}

fn blit(ctx: &CanvasRenderingContext2d, raster: &Raster, x: i32, y: i32) -> Result<(), JsValue> {
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&raster.rgba), raster.width, raster.height)?;
    ctx.put_image_data(&image, x as f64, y as f64)
}

/// An off-screen canvas `blit_over` composites through, and the version of the layer it holds.
type Scratch = Option<(HtmlCanvasElement, CanvasRenderingContext2d, Option<u64>)>;

thread_local! {
    /// The off-screen canvases `blit_over` composites through, made on first use: one for the
    /// plot's cached layer (kept while its version stays), one for layers made afresh (version 0:
    /// the sigmoid view's), so drawing one does not push the other out.
    static SCRATCH: [std::cell::RefCell<Scratch>; 2] =
        const { [std::cell::RefCell::new(None), std::cell::RefCell::new(None)] };
}

/// Draws a point layer over what `ctx` shows, blending with alpha (where `blit`'s `putImageData`
/// replaces pixels): through an off-screen canvas and `drawImage`. The pixels are uploaded only
/// when the layer's version differs from the one the off-screen canvas holds.
fn blit_over(ctx: &CanvasRenderingContext2d, layer: &PointLayer) -> Result<(), JsValue> {
    SCRATCH.with(|slots| {
        let mut cell = slots[usize::from(layer.version == 0)].borrow_mut();
        if cell.is_none() {
            // `document.createElement("canvas")` through js-sys (web-sys's `Document` is not enabled).
            let document = js_sys::Reflect::get(&js_sys::global(), &"document".into())?;
            let create: js_sys::Function = js_sys::Reflect::get(&document, &"createElement".into())?.dyn_into()?;
            let canvas: HtmlCanvasElement = create.call1(&document, &"canvas".into())?.dyn_into()?;
            let scratch = context(&canvas)?;
            *cell = Some((canvas, scratch, None));
        }
        let Some((canvas, scratch, holds)) = cell.as_mut() else { return Ok(()) };
        // (version 0: a layer made afresh, never the same as the one held)
        if layer.version == 0 || *holds != Some(layer.version) {
            *holds = None;
            let raster = &layer.raster;
            if canvas.width() != raster.width || canvas.height() != raster.height {
                canvas.set_width(raster.width);
                canvas.set_height(raster.height);
            }
            blit(scratch, raster, 0, 0)?;
            *holds = Some(layer.version);
        }
        ctx.draw_image_with_html_canvas_element(canvas, layer.x as f64, layer.y as f64)
    })
}

fn clear(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    let ctx = context(canvas)?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    Ok(ctx)
}

fn backend(canvas: &HtmlCanvasElement) -> Result<DrawingArea<MeasuredCanvas, plotters::coord::Shift>, JsValue> {
    let ctx = context(canvas)?;
    CanvasBackend::with_canvas_object(canvas.clone())
        .map(|inner| MeasuredCanvas { inner, ctx }.into_drawing_area())
        .ok_or_else(|| js_error(err!(Render, "render", detail = "the canvas could not be drawn on")))
}

/// Draws a scene (from `Session.scene`) on `canvas` (sized in device pixels) and returns the layout
/// used, so the page can map pointer positions back to data.
/// A classifier's decision surface (a canvas holding its pixels, from `Session.takeSurface`) is
/// scaled into the plot area under the points.
#[wasm_bindgen(js_name = renderScene)]
pub fn render_scene(
    canvas: &HtmlCanvasElement,
    scene: JsValue,
    dpr: f64,
    surface: Option<HtmlCanvasElement>,
) -> Result<JsValue, JsValue> {
    let scene = scene_from_js(&scene)?;
    let layout = Layout::new(canvas.width(), canvas.height(), dpr);
    let ctx = clear(canvas)?;
    if let Some(band) = render::raster::error_band(&layout, &scene) {
        blit(&ctx, &band, layout.plot.0, layout.plot.1)?;
    }
    if let Some(surface) = surface {
        let (x0, y0, x1, y1) = layout.plot;
        ctx.set_image_smoothing_enabled(true);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &surface,
            x0 as f64,
            y0 as f64,
            (x1 - x0) as f64,
            (y1 - y0) as f64,
        )?;
    }
    let root = backend(canvas)?;
    // Many points come as one raster layer, composited (with alpha) where the points go.
    let mut composite = |layer: &PointLayer| {
        blit_over(&ctx, layer)
            .map_err(|e| err!(Render, "render", detail = format!("the points could not be drawn: {e:?}")))
    };
    render::draw_scene_layered(&root, &layout, &scene, false, &mut composite).map_err(js_error)?;
    root.present().map_err(|e| js_error(err!(Render, "render", detail = e.to_string())))?;
    to_js(&layout)
}

/// The plot as SVG text (plotters' SVG backend; text as `<text>`): `scene` as `renderScene`
/// draws it on a `width`×`height` device-pixel canvas at ratio `dpr`, over the decision surface
/// given as a PNG `data:` URL (the surface canvas's `toDataURL()`). See `render::svg`.
#[wasm_bindgen(js_name = sceneSvg)]
pub fn scene_svg(
    scene: JsValue,
    width: u32,
    height: u32,
    dpr: f64,
    surface_png: Option<String>,
) -> Result<String, JsValue> {
    let scene = scene_from_js(&scene)?;
    render::svg::scene_svg(&scene, width, height, dpr, surface_png.as_deref()).map_err(js_error)
}

/// The loss chart (from `Session.history`) as SVG text, as `renderLoss` draws it.
#[wasm_bindgen(js_name = lossSvg)]
pub fn loss_svg(history: JsValue, width: u32, height: u32, dpr: f64, log_scale: bool) -> Result<String, JsValue> {
    let history: LossHistory = from_js(history, "loss_history")?;
    render::svg::loss_svg(&history, width, height, dpr, log_scale).map_err(js_error)
}

/// Draws the loss history (from `Session.history`) on `canvas`.
#[wasm_bindgen(js_name = renderLoss)]
pub fn render_loss(canvas: &HtmlCanvasElement, history: JsValue, dpr: f64, log_scale: bool) -> Result<(), JsValue> {
    let history: LossHistory = from_js(history, "loss_history")?;
    let layout = Layout::new(canvas.width(), canvas.height(), dpr);
    clear(canvas)?;
    let root = backend(canvas)?;
    render::draw_loss(&root, &layout, &history, log_scale).map_err(js_error)?;
    root.present().map_err(|e| js_error(err!(Render, "render", detail = e.to_string())))
}

/// Draws one of the pictures beside the main one (from `Session.views`): `kind` is "sigmoid",
/// "roc", "precision_recall", "bars", "tree", "network", "schedule", "pruning", "tune_history",
/// "tune_scatter" (with Bayesian search's surface), "tune_parallel" or "tune_generations", `data` the matching part of the views (or the tuning run, see `render::tune_charts`). For "tree", `highlight` is a node and `path` the node ids to emphasise; for "network",
/// `highlight` is a layer and `path[0]` a neuron in it.
#[wasm_bindgen(js_name = renderView)]
pub fn render_view(
    canvas: &HtmlCanvasElement,
    kind: &str,
    data: JsValue,
    dpr: f64,
    highlight: Option<u32>,
    path: Option<Vec<usize>>,
) -> Result<(), JsValue> {
    let path = path.unwrap_or_default();
    let path = path.as_slice();
    let layout = Layout::new(canvas.width(), canvas.height(), dpr);
    clear(canvas)?;
    let root = backend(canvas)?;
    let drawn = match kind {
        "sigmoid" => {
            let ctx = context(canvas)?;
            let mut composite = |layer: &PointLayer| {
                blit_over(&ctx, layer)
                    .map_err(|e| err!(Render, "render", detail = format!("the points could not be drawn: {e:?}")))
            };
            render::sigmoid::draw_sigmoid_layered(&root, &layout, &sigmoid_from_js(&data)?, &mut composite)
        }
        "roc" => {
            let roc: crate::session::Roc = from_js(data, "roc")?;
            render::curves::draw_roc(&root, &layout, &roc.points, roc.auc)
        }
        "precision_recall" => {
            let pr: crate::session::PrecisionRecall = from_js(data, "precision_recall")?;
            render::curves::draw_precision_recall(&root, &layout, &pr.points, pr.average_precision, pr.positive_share)
        }
        "bars" => {
            let bars: crate::session::Bars = from_js(data, "bar_chart")?;
            render::curves::draw_bars(&root, &layout, &bars.labels, &bars.values, &bars.title)
        }
        "tree" => {
            let tree: crate::session::TreeView = from_js(data, "tree")?;
            render::tree_diagram::draw_tree(&root, &layout, &tree.diagram, highlight.map(|h| h as usize), path)
        }
        "network" => {
            let diagram: render::network::NetworkDiagram = from_js(data, "network")?;
            let neuron = highlight.zip(path.first().copied()).map(|(layer, neuron)| (layer as usize, neuron));
            render::network::draw_network(&root, &layout, &diagram, neuron)
        }
        "schedule" => {
            let s: crate::session::ScheduleView = from_js(data, "schedule")?;
            render::charts::draw_schedule(&root, &layout, &s.rates, s.current)
        }
        "pruning" => {
            let p: crate::session::PruningPath = from_js(data, "pruning_path")?;
            render::charts::draw_pruning_path(&root, &layout, &p.alphas, &p.train, &p.test, Some(p.chosen))
        }
        "elbow" | "silhouette" => {
            let curve: crate::model::view::KCurve = from_js(data, "the chart over k")?;
            let y_title = if kind == "elbow" { "axis.inertia" } else { "axis.silhouette" };
            render::charts::draw_k_curve(&root, &layout, &curve.ks, &curve.values, curve.chosen, y_title)
        }
        "tune_history" => {
            let run: render::tune_charts::TuneHistory = from_js(data, "tuning_history")?;
            render::tune_charts::draw_tune_history(&root, &layout, &run)
        }
        "tune_scatter" => {
            let run: render::tune_charts::TuneScatter = from_js(data, "tuning_trials")?;
            let ctx = context(canvas)?;
            let mut sink = |raster: &Raster, x: i32, y: i32| {
                blit(&ctx, raster, x, y)
                    .map_err(|e| err!(Render, "render", detail = format!("the surface could not be drawn: {e:?}")))
            };
            render::tune_charts::draw_tune_scatter(&root, &layout, &run, Some(&mut sink))
        }
        "tune_parallel" => {
            let run: render::tune_charts::TuneParallel = from_js(data, "tuning_trials")?;
            render::tune_charts::draw_tune_parallel(&root, &layout, &run)
        }
        "tune_generations" => {
            let run: render::tune_charts::TuneGenerations = from_js(data, "generations")?;
            render::tune_charts::draw_tune_generations(&root, &layout, &run)
        }
        "compress_curve" => {
            let curve: render::compress_charts::CompressCurve = from_js(data, "the compression curve")?;
            render::compress_charts::draw_compress_curve(&root, &layout, &curve)
        }
        other => return Err(js_error(err!(InvalidInput, "no_view", other = other))),
    };
    drawn.map_err(js_error)?;
    root.present().map_err(|e| js_error(err!(Render, "render", detail = e.to_string())))
}

/// The tree node under device pixel `(px, py)` of a tree diagram drawn on a canvas of that size.
#[wasm_bindgen(js_name = treeHit)]
pub fn tree_hit(width: u32, height: u32, dpr: f64, tree: JsValue, px: f64, py: f64) -> Result<Option<usize>, JsValue> {
    let tree: crate::session::TreeView = from_js(tree, "tree")?;
    Ok(render::tree_diagram::tree_hit(&Layout::new(width, height, dpr), &tree.diagram, px, py))
}

/// `[layer, neuron]` under device pixel `(px, py)` of a network diagram, or `undefined`.
#[wasm_bindgen(js_name = networkHit)]
pub fn network_hit(
    width: u32,
    height: u32,
    dpr: f64,
    network: JsValue,
    px: f64,
    py: f64,
) -> Result<Option<Vec<usize>>, JsValue> {
    let diagram: render::network::NetworkDiagram = from_js(network, "network")?;
    Ok(render::network::network_hit(&Layout::new(width, height, dpr), &diagram, px, py).map(|(l, n)| vec![l, n]))
}

/// A hovered neuron's weighted sum and activation (`NeuronSum`: inputs, weights, bias, z, a) at
/// `point` (the plot's coordinates; the training data's mean when absent), from the network's
/// diagram; `undefined` for a neuron the diagram does not have.
#[wasm_bindgen(js_name = neuronSum)]
pub fn neuron_sum(network: JsValue, layer: usize, neuron: usize, point: Option<Vec<f64>>) -> Result<JsValue, JsValue> {
    let diagram: render::network::NetworkDiagram = from_js(network, "network")?;
    match diagram.neuron_sum(layer, neuron, point.as_deref()) {
        Some(sum) => to_js(&sum),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// What a CSV file holds, for choosing columns: `{ rows, delimiter, header, decimal_comma,
/// columns: [{ name, numeric, missing }] }`. A malformed file throws an error naming the line.
#[wasm_bindgen(js_name = parseCsv)]
pub fn parse_csv_summary(bytes: &[u8]) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct ColumnSummary {
        name: String,
        numeric: bool,
        missing: usize,
    }
    #[derive(Serialize)]
    struct Summary {
        rows: usize,
        delimiter: String,
        header: bool,
        decimal_comma: bool,
        columns: Vec<ColumnSummary>,
    }
    let table = crate::data::csv_import::parse_csv(bytes).map_err(js_error)?;
    to_js(&Summary {
        rows: table.n_rows(),
        delimiter: (table.delimiter as char).to_string(),
        header: table.has_header,
        decimal_comma: table.decimal_comma,
        columns: table
            .columns
            .iter()
            .map(|c| ColumnSummary { name: c.name.clone(), numeric: c.is_numeric(), missing: c.missing() })
            .collect(),
    })
}
