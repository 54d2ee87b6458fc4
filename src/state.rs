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
}

impl TuneSetup {
    /// Checks the budget and the folds (the space was checked when it was read).
    pub fn check(&self) -> Result<()> {
        check_count("tuning budget (trials)", self.trials, 1, crate::tune::MAX_TRIALS)?;
        check_count("folds", self.k, 2, 10)
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
}
