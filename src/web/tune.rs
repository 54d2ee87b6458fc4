//! Cross-validation and hyper-parameter search in the JS API: `crossValidate`, `minimize`, `tune`,
//! the page-driven `Search`, its pictures' data and the workers' scoring of one trial.

use super::api::Dataset;
use super::convert::{from_js, js_error, to_js, what_msg};
use crate::data::{Dataset as CoreDataset, Task};
use crate::model::ModelParams;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

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
/// hopeless trials by the median rule, `halving` by successive halving over a network's epochs).
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
    /// Stop hopeless trials early by successive halving over epochs: `{ min_epochs = 10,
    /// reduction_factor = 3 }` (a network).
    #[serde(default)]
    halving: Option<crate::tune::cv::Halving>,
}

/// Tunes model settings by cross-validation: `params` the starting settings, `space` what varies
/// (paths into the params), `options` `{ strategy, trials, seed, cv: { k, stratified, metric,
/// pipeline }, prune, halving: { min_epochs, reduction_factor } }`. Every trial is scored by k-fold
/// cross-validation through the preparation pipeline (fitted inside each fold); `prune: true`
/// stops hopeless trials by the median rule over the folds, `halving` by successive halving over
/// a network's epochs. Returns `{ trials: [{ params, score, std, error, ms, pruned, folds, rungs?,
/// epochs? }], best, greater_is_better }`.
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
        halving: options.halving,
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
/// after each fold; `null` before there are enough) with `prune: true`, or for successive halving
/// `rungs` (the values the earlier trials reached at each rung) with `halving`.
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
    #[serde(default)]
    halving: Option<crate::tune::cv::Halving>,
    /// Successive halving: the values the earlier trials reached at each rung.
    #[serde(default)]
    rungs: Option<Vec<Vec<f64>>>,
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
            halving: self.halving,
        }
    }
}

/// Scores one trial's model `params` on `data` fold by fold, as `tune` does (repeated k-fold, the
/// median rule against `options.medians`, or successive halving against `options.rungs`, the
/// earlier trials' values at each rung): `{ score, std, running, pruned, folds, rungs?, epochs? }`;
/// throws when the trial fails (a pruned trial does not throw: `pruned` is true and `score` null).
#[wasm_bindgen(js_name = scoreTrial)]
pub fn score_trial(params: JsValue, data: &Dataset, options: JsValue) -> Result<JsValue, JsValue> {
    let params: ModelParams = from_js(params, "model_settings")?;
    params.check().map_err(js_error)?;
    let options: ScoreOptions = from_js(options, "scoring_options")?;
    let spec = options.spec(&data.inner);
    spec.metric.check(data.inner.task).map_err(js_error)?;
    spec.check_pruning(&params).map_err(js_error)?;
    let folds = spec.folds(&data.inner).map_err(js_error)?;
    let (result, scores) = match &spec.halving {
        Some(halving) => {
            let rungs = options.rungs.unwrap_or_default();
            crate::tune::cv::score_trial_halving(&params, &data.inner, &folds, &spec, halving, &rungs)
        }
        None => {
            let medians: Option<Vec<f64>> =
                options.medians.map(|m| m.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect());
            crate::tune::cv::score_trial(&params, &data.inner, &folds, &spec, medians.as_deref())
        }
    };
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
        #[serde(default)]
        halving: Option<crate::tune::cv::Halving>,
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
        halving: options.halving,
        rungs: None,
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
