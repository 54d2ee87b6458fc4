//! The model file: a trained model as versioned JSON (the schema is in `docs/model-format.md`).
//!
//! `{ format: "ml-playground/model", version, data?, model }`: `model` is the [`AnyModel`] as serde
//! writes it (tagged by `kind`, its hyper-parameters and learned numbers); `data` (from version 2,
//! written by the page) says what data the model was trained on, so opening it onto other data is
//! refused with a message naming the difference. Reading checks the format, the version, every
//! field ([`Model::validate`]) and, against data, that the model predicts it.

use super::{AnyModel, Model};
use crate::data::transforms::Scaling;
use crate::data::{Dataset, Task};
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The `format` of every model file.
pub const FORMAT: &str = "ml-playground/model";

/// The version this build writes. Version 1: `{ format, version, model }`; version 2 adds the
/// optional `data` section. A file of a version up to this one opens; a newer one is refused.
pub const VERSION: u32 = 2;

/// A model file as read or written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// What the model was trained on (version 2; missing in files of the JS API and version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataRequirements>,
    pub model: AnyModel,
}

/// What a model needs of the data it predicts: the task (and number of classes), the feature
/// columns in order, and the rescaling its inputs went through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataRequirements {
    pub task: Task,
    pub features: Vec<String>,
    pub scaling: Scaling,
}

/// Most features a file's data section may name (as many as a model may take).
const MAX_FEATURES: usize = 10_000;

impl ModelFile {
    /// A file of the current version.
    pub fn new(model: AnyModel, data: Option<DataRequirements>) -> ModelFile {
        ModelFile { format: FORMAT.into(), version: VERSION, data, model }
    }

    /// Checks the format, the version and the model's own consistency.
    pub fn check(&self) -> Result<()> {
        if self.format != FORMAT {
            return Err(err!(
                InvalidInput,
                "model_file_format",
                format = self.format.chars().take(60).collect::<String>()
            ));
        }
        if self.version == 0 || self.version > VERSION {
            return Err(err!(InvalidInput, "model_file_version", version = self.version, VERSION = VERSION));
        }
        if let Some(data) = &self.data {
            if data.features.is_empty() || data.features.len() > MAX_FEATURES {
                return Err(err!(
                    InvalidInput,
                    "file_damaged",
                    model = "model",
                    detail = format!(
                        "the model file's data.features must name 1 to {MAX_FEATURES} features",
                        MAX_FEATURES = MAX_FEATURES
                    )
                ));
            }
            if let Task::Classification { n_classes } = data.task {
                crate::error::check_count("the model file's data.task.n_classes", n_classes, 2, 1000)?;
            }
        }
        self.model.validate()
    }

    /// Checks that the model can predict `data` (prepared as `scaling` says): the data section,
    /// when there is one, names the same task, classes, features and rescaling; and the model
    /// predicts finite values of the right shape on `data`'s rows (every file, the data section's
    /// absence included).
    pub fn check_against(&self, data: &Dataset, scaling: Scaling) -> Result<()> {
        let unfit = |what: String| err!(InvalidData, "model_unfit", what = what);
        let mismatch = |what: String| Err(unfit(what));
        if let Some(req) = &self.data {
            if req.task != data.task {
                return mismatch(format!(
                    "it was trained for {}, the data is {}",
                    task_words(req.task),
                    task_words(data.task)
                ));
            }
            if req.features.len() != data.n_features() {
                return mismatch(format!(
                    "it takes {} feature(s) ({}), the data has {} ({})",
                    req.features.len(),
                    names(&req.features),
                    data.n_features(),
                    names(&data.feature_names)
                ));
            }
            if req.features != data.feature_names {
                return mismatch(format!(
                    "it takes the features {}, the data has {}",
                    names(&req.features),
                    names(&data.feature_names)
                ));
            }
            if req.scaling != scaling {
                return mismatch(format!(
                    "it was trained on features rescaled by {}, the data is rescaled by {}",
                    scaling_words(req.scaling),
                    scaling_words(scaling)
                ));
            }
        }
        let outputs = match data.task {
            Task::Regression => 1,
            Task::Classification { n_classes } => n_classes,
        };
        if data.is_empty() {
            return Ok(());
        }
        let p = self.model.predict(&data.x).map_err(|e| unfit(e.to_string()))?;
        if p.nrows() != data.len() || p.ncols() != outputs {
            return mismatch(format!(
                "it gives {} value(s) per row where the data needs {outputs} ({})",
                p.ncols(),
                task_words(data.task)
            ));
        }
        if self.model.is_trained() && p.iter().any(|v| !v.is_finite()) {
            return mismatch("it predicts values that are not finite numbers".into());
        }
        Ok(())
    }
}

fn task_words(task: Task) -> String {
    match task {
        Task::Regression => "regression".into(),
        Task::Classification { n_classes } => format!("classification into {n_classes} classes"),
    }
}

fn scaling_words(scaling: Scaling) -> &'static str {
    match scaling {
        Scaling::None => "none",
        Scaling::Standardize => "standardize",
        Scaling::MinMax => "min_max",
        Scaling::Log => "log",
        Scaling::LogShifted => "log_shifted",
    }
}

/// At most eight names, then how many more.
fn names(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(8).map(|s| s.as_str()).collect();
    match names.len() {
        n if n > 8 => format!("{}, … {} more", shown.join(", "), n - 8),
        _ => shown.join(", "),
    }
}
