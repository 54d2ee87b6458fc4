//! The page's whole state as one serialisable value: which data (generator spec and the learner's
//! own edits), which model with which hyper-parameters, and the view options. It round-trips
//! through the URL hash, so a copied link reproduces the same picture.

use crate::compress::setup::CompressSetup;
use crate::data::generate::DataSpec;
use crate::error::{check_count, check_range, Result};
use crate::model::ModelParams;
use crate::tagged::tagged_enum;
use crate::tune::space::Space;
use crate::tune::strategy::StrategySpec;
use serde::{Deserialize, Serialize};

/// The current version of the state format; older links are read as far as they go.
pub const STATE_VERSION: u32 = 1;

/// The most edits a state may carry (each click, removal or drag is one).
pub const MAX_EDITS: usize = 20_000;

tagged_enum! {
    /// One change the learner made to the generated points, replayed in order.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Edit("op") {
        /// A point placed by hand: for regression `(x, y)` is the feature and the target; for 2-D
        /// classification `(x, y)` are the two features and `label` the class.
        Add = "add" {
            x: f64,
            y: f64,
            #[serde(skip_serializing_if = "Option::is_none")]
            label: Option<usize> = None,
        },
        /// Remove the point at index `i` (indices as they are when this edit is applied).
        Remove = "remove" { i: usize },
        /// Move the point at index `i` to `(x, y)`.
        Move = "move" { i: usize, x: f64, y: f64 },
    }
}

impl Edit {
    pub fn check(&self) -> Result<()> {
        let finite = |x: f64, y: f64| {
            if x.is_finite() && y.is_finite() && x.abs() < 1e12 && y.abs() < 1e12 {
                Ok(())
            } else {
                Err(err!(InvalidData, "point_not_finite2", x = x, y = y))
            }
        };
        match *self {
            Edit::Add { x, y, .. } | Edit::Move { x, y, .. } => finite(x, y),
            Edit::Remove { .. } => Ok(()),
        }
    }
}

/// What is drawn besides the data and the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewOptions {
    /// Vertical segments from each point to the model's prediction.
    pub residuals: bool,
    /// The shaded ±RMSE band around a regression curve.
    pub band: bool,
    /// Draw the test points.
    pub show_test: bool,
    /// Loss chart on a log scale.
    pub log_loss: bool,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions { residuals: false, band: true, show_test: true, log_loss: true }
    }
}

/// The Tune panel's setup, so a link reproduces a search: the settings searched and their ranges,
/// the strategy, the budget, the seed, and how each trial is scored (k-fold cross-validation with
/// a metric; `None` takes the task's default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuneSetup {
    pub space: Space,
    pub strategy: StrategySpec,
    pub trials: usize,
    pub k: usize,
    #[serde(default)]
    pub metric: Option<crate::evaluate::scoring::ScoreMetric>,
    #[serde(default)]
    pub seed: u32,
    /// Stop hopeless trials early by the median rule.
    #[serde(default, skip_serializing_if = "is_false")]
    pub prune: bool,
    /// Stop hopeless trials early by successive halving over a network's epochs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halving: Option<crate::tune::cv::Halving>,
    /// Repeated k-fold: rounds of k folds (1 to 10).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub repeats: usize,
    /// Also estimate the tuned model honestly by nested cross-validation.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nested: bool,
    /// The run's results, once it has run: a link shows its table and pictures without running it
    /// again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<TuneResults>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
fn one() -> usize {
    1
}
fn is_one(n: &usize) -> bool {
    *n == 1
}

/// The results of a tuning run as a link keeps them: every trial that finished, in the order they
/// finished, with what the pictures need. The pictures are drawn from these (the surrogate and the
/// importances are refitted to them, deterministically), so a link reproduces them exactly; the
/// search itself is not run again (trials in parallel finish in an order no seed fixes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuneResults {
    pub trials: Vec<TrialRecord>,
    /// A genetic search's generations, each its members as trial numbers (an elite carried over
    /// appears again under its first number).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generations: Vec<Vec<u32>>,
    /// Nested cross-validation: per outer fold, the best inner score (optimistic) and the picked
    /// settings' score on the outer test rows (honest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested: Option<NestedRecord>,
}

/// One finished trial: its number (in the order trials were handed out, from 1), the searched
/// settings (path → value), its score and spread over the folds (none when it failed or was
/// stopped), its time, and whether the median rule or successive halving stopped it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialRecord {
    pub n: u32,
    pub values: crate::tune::value::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub std: Option<f64>,
    #[serde(default)]
    pub ms: f64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub pruned: bool,
    /// How many folds a stopped trial scored before it was stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folds: Option<u32>,
    /// How many epochs a trial stopped by successive halving was trained for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epochs: Option<u32>,
}

/// Nested cross-validation's scores per outer fold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NestedRecord {
    pub inner: Vec<f64>,
    pub outer: Vec<f64>,
}

impl TuneSetup {
    /// Checks the budget, the folds and the results against the setup (the space was checked
    /// when it was read).
    pub fn check(&self) -> Result<()> {
        check_count("tuning budget (trials)", self.trials, 1, crate::tune::MAX_TRIALS)?;
        check_count("folds", self.k, 2, 10)?;
        check_count("repeats of the cross-validation", self.repeats, 1, 10)?;
        if let Some(halving) = &self.halving {
            if self.prune {
                return Err(err!(InvalidParameter, "prune_one_rule"));
            }
            halving.check()?;
        }
        if let Some(results) = &self.results {
            results.check(self)?;
        }
        Ok(())
    }
}

impl TuneResults {
    fn check(&self, setup: &TuneSetup) -> Result<()> {
        if self.trials.len() > setup.trials {
            return Err(err!(InvalidInput, "tune_results_count", got = self.trials.len(), trials = setup.trials));
        }
        let mut seen = std::collections::HashSet::new();
        for t in &self.trials {
            let bad = || err!(InvalidInput, "tune_results", n = t.n);
            let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
            if t.n == 0 || t.n as usize > setup.trials || !seen.insert(t.n) {
                return Err(bad());
            }
            let folds_ok = t.folds.is_none_or(|f| f as usize <= setup.k * setup.repeats);
            let numbers_ok =
                finite(t.score) && finite(t.std) && t.std.is_none_or(|s| s >= 0.0) && t.ms >= 0.0 && t.ms.is_finite();
            if !(numbers_ok && folds_ok) {
                return Err(bad());
            }
            setup.space.settings_of(&t.values)?;
        }
        for generation in &self.generations {
            if generation.len() > 10_000 {
                return Err(err!(InvalidInput, "tune_results_count", got = generation.len(), trials = setup.trials));
            }
            if let Some(&n) = generation.iter().find(|n| !seen.contains(n)) {
                return Err(err!(InvalidInput, "tune_results", n = n));
            }
        }
        if self.generations.len() > setup.trials {
            return Err(err!(InvalidInput, "tune_results_count", got = self.generations.len(), trials = setup.trials));
        }
        if let Some(nested) = &self.nested {
            let ok = nested.inner.len() == nested.outer.len()
                && (2..=10).contains(&nested.outer.len())
                && nested.inner.iter().chain(&nested.outer).all(|v| v.is_finite());
            if !ok {
                return Err(err!(InvalidInput, "tune_results", n = 0));
            }
        }
        Ok(())
    }
}

/// Most epochs a link may ask to replay.
pub const MAX_REPLAY_EPOCHS: f64 = 100_000.0;

/// The pinned epoch the state carries, and the epochs trained when the link was made (a link
/// replays the seeded training to `now`; the pinned model is the one training had at `epoch`).
/// Numbers, so a tampered value (negative, fractional, beyond the run) is refused by
/// [`Pin::check`] with a message rather than by the reader.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub epoch: f64,
    pub now: f64,
}

impl Pin {
    pub fn check(&self) -> Result<()> {
        let whole = |v: f64| v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= MAX_REPLAY_EPOCHS;
        if !whole(self.now) {
            return Err(crate::err!(InvalidInput, "pin_epoch", got = self.now, max = MAX_REPLAY_EPOCHS));
        }
        if !whole(self.epoch) || self.epoch < 1.0 {
            return Err(crate::err!(InvalidInput, "pin_epoch", got = self.epoch, max = self.now));
        }
        if self.epoch > self.now {
            return Err(crate::err!(InvalidInput, "pin_beyond_run", epoch = self.epoch, now = self.now));
        }
        Ok(())
    }
}

/// Everything that determines what the page shows.
///
/// It is read through [`crate::tagged`]'s buffered reader, so a key that is none of its fields
/// (at any depth: data, model, view) is refused with its name, and for a near miss the field
/// meant: a link never silently means something other than it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, remote = "Self")]
pub struct State {
    pub version: u32,
    pub data: DataSpec,
    /// Share of generated points held out for testing, 0 to 0.9.
    pub test_ratio: f64,
    pub edits: Vec<Edit>,
    pub model: ModelParams,
    /// Seed of the model's random initialisation and mini-batch order.
    pub seed: u32,
    /// Training epochs per animation frame, 1 to 1000.
    pub steps_per_frame: u32,
    pub view: ViewOptions,
    /// The Tune panel's setup, once the learner has run a search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tune: Option<TuneSetup>,
    /// The Compress panel's operation, and after how many epochs the original was compressed
    /// (the session replays them, so a link reproduces the compressed model).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compress: Option<CompressSetup>,
    /// The time machine's pinned epoch and the epochs trained (the session replays them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin: Option<Pin>,
}

impl Serialize for State {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        State::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = crate::tagged::Value::deserialize(deserializer)?;
        State::deserialize(crate::tagged::ValueDeserializer::new(value))
    }
}

impl Default for State {
    fn default() -> Self {
        State {
            version: STATE_VERSION,
            data: DataSpec::default(),
            test_ratio: 0.2,
            edits: Vec::new(),
            model: ModelParams::default(),
            seed: 1,
            steps_per_frame: 1,
            view: ViewOptions::default(),
            tune: None,
            compress: None,
            pin: None,
        }
    }
}

impl State {
    /// Checks every part, naming the first thing out of range.
    pub fn check(&self) -> Result<()> {
        if self.version > STATE_VERSION {
            return Err(err!(InvalidInput, "newer_version", version = self.version));
        }
        self.data.check()?;
        check_range("test share", self.test_ratio, 0.0, 0.9)?;
        check_count("steps per frame", self.steps_per_frame as usize, 1, 1000)?;
        if self.edits.len() > MAX_EDITS {
            return Err(err!(InvalidInput, "state_too_many_edits", edits = self.edits.len(), MAX_EDITS = MAX_EDITS));
        }
        for e in &self.edits {
            e.check()?;
        }
        if let Some(tune) = &self.tune {
            tune.check()?;
        }
        if let Some(compress) = &self.compress {
            compress.check()?;
        }
        if let Some(pin) = &self.pin {
            pin.check()?;
        }
        self.model.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_state_round_trips_through_json() {
        let mut s = State::default();
        s.edits.push(Edit::Add { x: 1.5, y: -2.0, label: None });
        s.edits.push(Edit::Move { i: 3, x: 0.0, y: 1.0 });
        s.edits.push(Edit::Remove { i: 7 });
        let json = serde_json::to_string(&s).unwrap();
        let back: State = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert!(back.check().is_ok());
    }

    #[test]
    fn partial_json_fills_defaults_and_bad_values_are_named() {
        let s: State = serde_json::from_str(r#"{"data":{"kind":"sine","n":50}}"#).unwrap();
        assert_eq!(s.data.n, 50);
        assert_eq!(s.test_ratio, 0.2);
        assert!(s.check().is_ok());
        let bad: State = serde_json::from_str(r#"{"data":{"n":999999}}"#).unwrap();
        assert!(bad.check().unwrap_err().to_string().contains("number of points"));
        let bad: State = serde_json::from_str(r#"{"model":{"kind":"linear","degree":40}}"#).unwrap();
        assert!(bad.check().unwrap_err().to_string().contains("degree"));
        let bad: State = serde_json::from_str(r#"{"edits":[{"op":"add","x":1e300,"y":0}]}"#).unwrap();
        assert!(bad.check().is_err());
        assert!(serde_json::from_str::<State>(r#"{"model":{"kind":"quantum"}}"#).is_err());
    }

    #[test]
    fn a_tuning_setup_round_trips_and_is_checked() {
        let json = r#"{"model":{"kind":"tree"},"tune":{"space":[{"path":"max_depth","type":"int","low":1,"high":8},
            {"path":"criterion","type":"categorical","choices":["gini","entropy"]}],
            "strategy":{"kind":"grid","levels":4},"trials":16,"k":3,"metric":"balanced_accuracy","seed":2}}"#;
        let s: State = serde_json::from_str(json).unwrap();
        assert!(s.check().is_ok());
        let tune = s.tune.as_ref().unwrap();
        assert_eq!((tune.trials, tune.k, tune.seed), (16, 3, 2));
        let back: State = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        // no setup: no key in the link
        assert!(!serde_json::to_string(&State::default()).unwrap().contains("tune"));
        let bad = json.replace(r#""trials":16"#, r#""trials":0"#);
        assert!(serde_json::from_str::<State>(&bad).unwrap().check().unwrap_err().to_string().contains("budget"));
        let bad = json.replace(r#""k":3"#, r#""k":1"#);
        assert!(serde_json::from_str::<State>(&bad).unwrap().check().unwrap_err().to_string().contains("folds"));
        let bad = json.replace(r#""low":1,"high":8"#, r#""low":8,"high":1"#);
        assert!(serde_json::from_str::<State>(&bad).is_err());
        let bad = json.replace(r#""seed":2"#, r#""seed":2,"sed":1"#);
        assert!(serde_json::from_str::<State>(&bad).unwrap_err().to_string().contains("sed"));
    }

    #[test]
    fn tuning_results_round_trip_and_must_fit_their_setup() {
        let setup = r#"{"model":{"kind":"tree"},"tune":{"space":[{"path":"max_depth","type":"int","low":1,"high":8},
            {"path":"criterion","type":"categorical","choices":["gini","entropy"]}],
            "strategy":{"kind":"genetic","population":2},"trials":4,"k":3,"seed":2,"prune":true,"repeats":2,"nested":true,
            "results":RESULTS}}"#;
        let results = r#"{"trials":[{"n":1,"values":{"max_depth":3,"criterion":"gini"},"score":0.9,"std":0.01,"ms":12.5},
            {"n":2,"values":{"max_depth":8,"criterion":"entropy"},"ms":3,"pruned":true,"folds":2},
            {"n":3,"values":{"max_depth":1,"criterion":"gini"},"score":0.6,"std":0,"ms":4}],
            "generations":[[1,2],[1,3]],"nested":{"inner":[0.9,0.92],"outer":[0.85,0.8]}}"#;
        let s: State = serde_json::from_str(&setup.replace("RESULTS", results)).unwrap();
        s.check().unwrap();
        let tune = s.tune.as_ref().unwrap();
        assert_eq!((tune.prune, tune.repeats, tune.nested), (true, 2, true));
        let r = tune.results.as_ref().unwrap();
        assert_eq!(r.trials[1].score, None);
        assert!(r.trials[1].pruned);
        assert_eq!(r.generations, vec![vec![1, 2], vec![1, 3]]);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), s);
        // the defaults stay out of a link
        assert!(!json.contains("\"std\":null") && !json.contains("\"pruned\":false"));
        let refused = |results: &str| {
            serde_json::from_str::<State>(&setup.replace("RESULTS", results))
                .map_err(|e| e.to_string())
                .and_then(|s| s.check().map_err(|e| e.to_string()))
        };
        // a value outside the space, a trial number past the budget or twice, a generation naming
        // no trial, a non-finite or negative number, mismatched nested scores, an unknown key
        for (bad, why) in [
            (results.replace(r#""max_depth":3"#, r#""max_depth":30"#), "max_depth"),
            (results.replace(r#""criterion":"gini"},"score":0.9"#, r#""criterion":"log"},"score":0.9"#), "criterion"),
            (results.replace(r#"{"n":3"#, r#"{"n":5"#), "trial 5"),
            (results.replace(r#"{"n":3"#, r#"{"n":1"#), "trial 1"),
            (results.replace("[1,3]]", "[1,4]]"), "trial 4"),
            (results.replace(r#""std":0.01"#, r#""std":-1"#), "trial 1"),
            (results.replace(r#""ms":3"#, r#""ms":-3"#), "trial 2"),
            (results.replace(r#""folds":2"#, r#""folds":7"#), "trial 2"),
            (results.replace(r#""outer":[0.85,0.8]"#, r#""outer":[0.85]"#), "trial 0"),
            (results.replace(r#""ms":4"#, r#""ms":4,"colour":1"#), "colour"),
            (results.replace(r#""max_depth":1,"#, r#""max_depth":1,"alpha":2,"#), "alpha"),
        ] {
            let e = refused(&bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        let many =
            results.replace(r#"{"trials":["#, r#"{"trials":[{"n":4,"values":{},"ms":1},{"n":5,"values":{},"ms":1},"#);
        assert!(refused(&many).unwrap_err().contains("more than the budget of 4"));
    }

    #[test]
    fn successive_halving_is_part_of_a_tuning_setup() {
        let setup = r#"{"model":{"kind":"mlp"},"tune":{"space":[{"path":"train.learning_rate","type":"log_uniform",
            "low":0.001,"high":1}],"strategy":{"kind":"random"},"trials":3,"k":3,"seed":2HALVING,
            "results":{"trials":[{"n":1,"values":{"train.learning_rate":0.1},"score":0.9,"std":0.01,"ms":12.5},
            {"n":2,"values":{"train.learning_rate":0.002},"ms":3,"pruned":true,"epochs":5}]}}}"#;
        let read = |halving: &str| {
            serde_json::from_str::<State>(&setup.replace("HALVING", halving))
                .map_err(|e| e.to_string())
                .and_then(|s| s.check().map(|()| s).map_err(|e| e.to_string()))
        };
        let s = read(r#","halving":{"min_epochs":5,"reduction_factor":2}"#).unwrap();
        let tune = s.tune.as_ref().unwrap();
        assert_eq!(tune.halving, Some(crate::tune::cv::Halving { min_epochs: 5, reduction_factor: 2 }));
        assert_eq!(tune.results.as_ref().unwrap().trials[1].epochs, Some(5));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), s);
        // the defaults fill in what a link leaves out; no halving stays out of a link
        assert_eq!(read(r#","halving":{}"#).unwrap().tune.unwrap().halving, Some(Default::default()));
        assert!(!serde_json::to_string(&read("").unwrap()).unwrap().contains("halving"));
        assert!(read(r#","halving":{"min_epochs":5,"eta":2}"#).unwrap_err().contains("eta"));
        assert!(read(r#","halving":{"reduction_factor":1}"#).unwrap_err().contains("reduction factor"));
        assert!(read(r#","halving":{},"prune":true"#).unwrap_err().contains("median rule or successive halving"));
    }
}
