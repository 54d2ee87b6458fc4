//! The JS API's data and models: `Dataset`, `Model` (fit, step, predict, files, ONNX, Python) and
//! `parseCsv`.

use super::convert::{from_js, js_error, read_model_file, to_js};
use crate::data::generate::{generate, DataSpec};
use crate::data::{rng, Dataset as CoreDataset, Rng, Task};
use crate::metrics::RegressionScores;
use crate::model::file::ModelFile;
use crate::model::{AnyModel, Model as _, ModelParams};
use crate::render;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A table of examples: features (n × d) and targets.
#[wasm_bindgen]
pub struct Dataset {
    pub(super) inner: CoreDataset,
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
    pub(super) inner: AnyModel,
    pub(super) rng: Rng,
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
        check_rows(x, n_features)?;
        // row-major in, row-major out: no column-major copy of the rows, no transpose
        self.inner.predict_rows(x, n_features).map_err(js_error)
    }

    /// The class of each row of row-major `x` (`nFeatures` columns) for a classifier, its cluster
    /// for k-means, as a `Uint32Array` of class indices: scikit-learn's `predict` (the largest
    /// probability, ties to the first class). A regression is refused (`labels_need_classes`).
    #[wasm_bindgen(js_name = predictLabels)]
    pub fn predict_labels(&self, x: &[f64], n_features: usize) -> Result<Vec<u32>, JsValue> {
        check_rows(x, n_features)?;
        self.inner
            .label_rows(x, n_features)
            .map_err(js_error)?
            .ok_or_else(|| js_error(err!(InvalidInput, "labels_need_classes")))
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

    /// The trained model as a short Python script (numpy and scikit-learn) that rebuilds it,
    /// carries `data`'s points (as many features as the model takes) and, run as a program,
    /// prints their predictions as `predict` gives them; an untrained model is refused.
    #[wasm_bindgen(js_name = toPython)]
    pub fn to_python(&self, data: &Dataset) -> Result<String, JsValue> {
        crate::export::python::standalone(&self.inner, &data.inner).map_err(js_error)
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

/// True when every value is finite: branch-free so it vectorises, and a function of its own
/// (called through `model::opaque`) so a wasm engine's optimised code takes over between chunks
/// of even a first large batch.
#[inline(never)]
fn all_finite(values: &[f64]) -> bool {
    values.chunks(256).all(|c| c.iter().fold(true, |ok, v| ok & v.is_finite()))
}

/// Rows for `predict`: `x` splits into rows of `n_features` and every value is finite.
fn check_rows(x: &[f64], n_features: usize) -> Result<(), JsValue> {
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
    // branch-free per chunk so it vectorises; the position only when one is missing
    let all_finite: fn(&[f64]) -> bool = crate::model::opaque(all_finite);
    if !x.chunks(4096).all(all_finite) {
        let i = x.iter().position(|v| !v.is_finite()).unwrap_or(0);
        return Err(js_error(err!(InvalidData, "input_not_finite", i = i)));
    }
    Ok(())
}
