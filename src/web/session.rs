//! The page's training session: a state in, reports, scenes and pictures out; the compare
//! views of the Compress panel and the time machine; the prediction service's path.

use super::convert::{from_js, js_error, read_model_file, scene_to_js, set, sigmoid_to_js, to_js};
use crate::data::Task;
use crate::session::Session as CoreSession;
use crate::state::{Edit, State};
use nalgebra::DMatrix;
use wasm_bindgen::prelude::*;

/// The page's training session: a state in, reports and scenes out.
#[wasm_bindgen]
pub struct Session {
    pub(super) inner: CoreSession,
    /// the last scene's decision surface, in a JavaScript array: outside the wasm's memory,
    /// which only grows (a full-resolution plot's 5 MB of pixels stayed for the element's life)
    pub(super) surface: Option<js_sys::Uint8Array>,
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
        self.surface = None;
        // (a size the core refuses gives no surface: the array is made once a band comes)
        let mut pixels: Option<js_sys::Uint8Array> = None;
        let row = size.map_or(0, |(w, _)| w as usize * 4);
        let (scene, drawn) = self.inner.scene_in_bands(samples, size, &mut |rows, rgba| {
            if let Some((w, h)) = size {
                let whole = pixels.get_or_insert_with(|| js_sys::Uint8Array::new_with_length(w * h * 4));
                whole.subarray((rows.start * row) as u32, (rows.end * row) as u32).copy_from(rgba);
            }
        });
        self.surface = pixels.filter(|_| drawn);
        scene_to_js(scene)
    }

    /// The RGBA pixels of the decision surface the last `scene` call computed (once), or
    /// `undefined`.
    #[wasm_bindgen(js_name = takeSurface)]
    pub fn take_surface(&mut self) -> Option<js_sys::Uint8Array> {
        self.surface.take()
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

    /// The compressed model (the Compress panel's) as an ONNX file, as [`Self::to_onnx`].
    #[wasm_bindgen(js_name = compressedToOnnx)]
    pub fn compressed_to_onnx(&self) -> Result<Vec<u8>, JsValue> {
        self.inner.compressed_to_onnx().map_err(js_error)
    }

    /// The compressed model as a Python script, as [`Self::to_python`].
    #[wasm_bindgen(js_name = compressedToPython)]
    pub fn compressed_to_python(&self) -> Result<String, JsValue> {
        self.inner.compressed_to_python().map_err(js_error)
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
    pub fn compare_surfaces(&self, width: u32, height: u32) -> Option<js_sys::Uint8Array> {
        maps_into_js(width, height, |sink| self.inner.compare_surfaces_in_bands(width, height, sink))
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
    pub fn pin_surfaces(&self, width: u32, height: u32) -> Option<js_sys::Uint8Array> {
        maps_into_js(width, height, |sink| self.inner.pin_surfaces_in_bands(width, height, sink))
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

/// Compare maps (each `width × height` RGBA) one after the other, as the page slices them, in a
/// JavaScript array: `fill` hands each band of each map to its sink and says whether there are
/// maps. The pixels never stay in the wasm's memory, which only grows.
type MapSink<'a> = &'a mut dyn FnMut(usize, std::ops::Range<usize>, &[u8]);
fn maps_into_js(width: u32, height: u32, fill: impl FnOnce(MapSink) -> bool) -> Option<js_sys::Uint8Array> {
    let (map, row) = (width as usize * height as usize * 4, width as usize * 4);
    let mut pixels: Option<js_sys::Uint8Array> = None;
    let drawn = fill(&mut |which, rows, rgba| {
        // (made once a band comes: the size is checked first)
        let all = pixels.get_or_insert_with(|| js_sys::Uint8Array::new_with_length((3 * map) as u32));
        let start = which * map + rows.start * row;
        all.subarray(start as u32, (start + rgba.len()) as u32).copy_from(rgba);
    });
    pixels.filter(|_| drawn)
}
