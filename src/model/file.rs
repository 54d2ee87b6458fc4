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
            return Err(err!(InvalidInput, "model_file_version", version = self.version, max = VERSION));
        }
        if let Some(data) = &self.data {
            if data.features.is_empty() || data.features.len() > MAX_FEATURES {
                return Err(err!(InvalidInput, "model_file_features", max = MAX_FEATURES));
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
        // A clustering reads no targets: any task's data with the same features will do.
        let clustering = self.model.params().is_clustering();
        if let Some(req) = &self.data {
            match (req.task, data.task) {
                _ if clustering => {}
                (Task::Classification { n_classes: a }, Task::Classification { n_classes: b }) if a != b => {
                    return Err(err!(InvalidData, "model_unfit_classes", classes = a, data_classes = b));
                }
                (a, b) if task_word(a) != task_word(b) => {
                    return Err(err!(InvalidData, "model_unfit_task", task = task_word(a), data_task = task_word(b)));
                }
                _ => {}
            }
            if req.features.len() != data.n_features() {
                return Err(err!(
                    InvalidData,
                    "model_unfit_features",
                    n = req.features.len(),
                    names = names(&req.features),
                    data_n = data.n_features(),
                    data_names = names(&data.feature_names)
                ));
            }
            if req.features != data.feature_names {
                return Err(err!(
                    InvalidData,
                    "model_unfit_names",
                    names = names(&req.features),
                    data_names = names(&data.feature_names)
                ));
            }
            if req.scaling != scaling {
                return Err(err!(
                    InvalidData,
                    "model_unfit_scaling",
                    scaling = scaling_words(req.scaling),
                    data_scaling = scaling_words(scaling)
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
        let p = self.model.predict(&data.x).map_err(|e| err!(InvalidData, "model_unfit_predict", cause = e))?;
        if p.nrows() != data.len() || (p.ncols() != outputs && !clustering) {
            return Err(err!(
                InvalidData,
                "model_unfit_outputs",
                k = p.ncols(),
                need = outputs,
                task = task_word(data.task)
            ));
        }
        if self.model.is_trained() && p.iter().any(|v| !v.is_finite()) {
            return Err(err!(InvalidData, "model_unfit_not_finite"));
        }
        Ok(())
    }
}

/// The task as a key the page words (`err.task.<key>`).
fn task_word(task: Task) -> &'static str {
    match task {
        Task::Regression => "regression",
        Task::Classification { .. } => "classification",
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

/// Why a field of a model file is refused. Each is a catalog code (`file_<why>`) with the family,
/// the field (its path in the file's `model` section, e.g. `network.params` or
/// `trees[2].threshold`) and the numbers: the page words it, so a refusal has no English in it.
#[derive(Debug, Clone)]
pub enum Damage {
    /// A NaN or an infinite number.
    NotFinite,
    /// A number that is not finite and positive (a scale, a variance).
    NotPositive,
    /// A negative number, a NaN or an infinite one (a count, an inertia).
    Negative,
    /// A number beyond ±`max`.
    Beyond(f64),
    /// A count or index `got` outside `min..=max`.
    Range { got: f64, min: f64, max: f64 },
    /// `got` entries where `expected` are needed.
    Length { got: usize, expected: usize },
    /// Does not agree with the field `other`.
    Mismatch(String),
    /// Has values while the field `other` is missing or empty.
    Without(String),
    /// Something about the field's structure (a key: `file_why.<key>` words it).
    Invalid(&'static str),
}

/// The refusal of `field` of a `model` (a family key) file, for `why`.
pub fn damaged(model: &str, field: impl Into<String>, why: Damage) -> crate::error::Error {
    let field = field.into();
    match why {
        Damage::NotFinite => err!(InvalidInput, "file_not_finite", model = model, field = field),
        Damage::NotPositive => err!(InvalidInput, "file_not_positive", model = model, field = field),
        Damage::Negative => err!(InvalidInput, "file_negative", model = model, field = field),
        Damage::Beyond(max) => err!(InvalidInput, "file_beyond", model = model, field = field, max = max),
        Damage::Range { got, min, max } => {
            err!(InvalidInput, "file_range", model = model, field = field, got = got, min = min, max = max)
        }
        Damage::Length { got, expected } => {
            err!(InvalidInput, "file_length", model = model, field = field, got = got, expected = expected)
        }
        Damage::Mismatch(other) => err!(InvalidInput, "file_mismatch", model = model, field = field, other = other),
        Damage::Without(other) => err!(InvalidInput, "file_without", model = model, field = field, other = other),
        // `why` is a key (`file_why.<why>` words it), so it survives serde's text (see reason.rs)
        Damage::Invalid(why) => err!(InvalidInput, "file_invalid", model = model, field = field, why = why),
    }
}

/// [`damaged`] as an `Err`.
pub fn refuse<T>(model: &str, field: impl Into<String>, why: Damage) -> Result<T> {
    Err(damaged(model, field, why))
}

/// The codes a damaged model file is refused with (the native test checks every refusal has one).
pub const DAMAGE_CODES: &[&str] = &[
    "file_not_finite",
    "file_not_positive",
    "file_negative",
    "file_beyond",
    "file_range",
    "file_length",
    "file_mismatch",
    "file_without",
    "file_invalid",
    "file_predicts_not_finite",
];

/// A count `got` as a [`Damage::Range`] outside `min..=max`.
pub fn out_of_range(got: usize, min: usize, max: usize) -> Damage {
    Damage::Range { got: got as f64, min: min as f64, max: max as f64 }
}

/// A member's refusal (`e`) as its container's: the field gains the member's path `at` (ending in
/// `.`) and the family becomes `model`'s; any other error is kept as it is.
pub fn within(e: crate::error::Error, model: &str, at: &str) -> crate::error::Error {
    use crate::error::{Error, Value};
    match e {
        Error::InvalidInput(mut m) if DAMAGE_CODES.contains(&m.code.as_str()) => {
            if let Some(Value::Text(field)) = m.values.get("field") {
                let field = format!("{at}{field}");
                m.values.insert("field".into(), Value::Text(field));
            }
            m.values.insert("model".into(), Value::Text(model.into()));
            Error::InvalidInput(m)
        }
        e => e,
    }
}
