//! The search space of a tuning run: which hyper-parameters vary, over what ranges, and when.
//!
//! A parameter is addressed by a `.`-separated path into the model's params (`train.learning_rate`,
//! `max_depth`, `hidden_layers.0.neurons`). It is a real (uniform or log-uniform), an integer
//! (optionally on a log scale) or a categorical of JSON-like values, and may be conditional: active
//! only when an earlier parameter takes one of given values (β only when the optimiser is momentum).
//!
//! Read from JSON as a list of `{"path": "train.learning_rate", "type": "log_uniform", "low": 1e-4,
//! "high": 1}`, `{"path": "max_depth", "type": "int", "low": 1, "high": 12}`, `{"path": "criterion",
//! "type": "categorical", "choices": ["gini", "entropy"]}`, with an optional `"when": {"path": ...,
//! "in": [...]}` (or `"equals": value`); unknown fields are refused.
//!
//! Strategies see a point in two encodings: its **unit** coordinates, one number in [0, 1] per
//! parameter (a categorical's choice `i` of `k` at `(i + 0.5) / k`), which random, grid, genetic,
//! TPE and Nelder–Mead search move in; and its **features**, the same with each categorical one-hot,
//! which is what the Gaussian process models.

use super::value::Value;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The values a parameter may take.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// A real in `[low, high]`, uniform or uniform in its logarithm.
    Real { low: f64, high: f64, log: bool },
    /// An integer in `low..=high`, uniform or (roughly) uniform in its logarithm.
    Int { low: i64, high: i64, log: bool },
    /// One of a list of values (numbers, text, null, small objects).
    Categorical { choices: Vec<Value> },
}

/// When a conditional parameter is active: the parameter at `path` takes one of `values`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub path: String,
    pub values: Vec<Value>,
}

/// One searched hyper-parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub path: String,
    pub domain: Domain,
    pub when: Option<Condition>,
}

impl Param {
    /// A real, uniform in `[low, high]`.
    pub fn uniform(path: &str, low: f64, high: f64) -> Param {
        Param { path: path.into(), domain: Domain::Real { low, high, log: false }, when: None }
    }
    /// A real, uniform in its logarithm over `[low, high]` (learning rates, penalties).
    pub fn log_uniform(path: &str, low: f64, high: f64) -> Param {
        Param { path: path.into(), domain: Domain::Real { low, high, log: true }, when: None }
    }
    /// An integer in `low..=high`.
    pub fn int(path: &str, low: i64, high: i64) -> Param {
        Param { path: path.into(), domain: Domain::Int { low, high, log: false }, when: None }
    }
    /// An integer in `low..=high`, uniform in its logarithm.
    pub fn log_int(path: &str, low: i64, high: i64) -> Param {
        Param { path: path.into(), domain: Domain::Int { low, high, log: true }, when: None }
    }
    /// One of `choices`.
    pub fn categorical(path: &str, choices: Vec<Value>) -> Param {
        Param { path: path.into(), domain: Domain::Categorical { choices }, when: None }
    }
    /// This parameter, active only when the parameter at `path` takes one of `values`.
    pub fn when(mut self, path: &str, values: Vec<Value>) -> Param {
        self.when = Some(Condition { path: path.into(), values });
        self
    }
}

/// The value one parameter takes in a point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Setting {
    Real(f64),
    Int(i64),
    /// The index of a categorical's choice.
    Choice(usize),
}

/// A point of the space, as a strategy suggests it: an id (to match the observation to the
/// suggestion when trials finish out of order) and one setting per parameter, `None` where a
/// conditional parameter is inactive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub id: u64,
    pub values: Vec<Option<Setting>>,
}

/// A checked search space. It writes itself back as the JSON it is read from (for the state).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "Vec<RawParam>")]
pub struct Space {
    params: Vec<Param>,
    /// For each conditional parameter, the index of the parameter it depends on.
    parents: Vec<Option<usize>>,
}

/// At most this many parameters (the page offers far fewer; this bounds the work per suggestion).
pub const MAX_PARAMS: usize = 64;

impl Space {
    /// Checks `params` and builds the space.
    pub fn new(params: Vec<Param>) -> Result<Space> {
        if params.is_empty() {
            return Err(err!(InvalidParameter, "space_empty"));
        }
        if params.len() > MAX_PARAMS {
            return Err(err!(InvalidParameter, "space_too_many", params = params.len(), MAX_PARAMS = MAX_PARAMS));
        }
        let mut parents = Vec::with_capacity(params.len());
        for (i, p) in params.iter().enumerate() {
            if p.path.is_empty() || p.path.split('.').any(str::is_empty) {
                return Err(err!(InvalidParameter, "space_path_empty", path = p.path.as_str()));
            }
            if params[..i].iter().any(|q| q.path == p.path) {
                return Err(err!(InvalidParameter, "space_path_twice", path = p.path.as_str()));
            }
            match &p.domain {
                Domain::Real { low, high, log } => {
                    let path = p.path.as_str();
                    if !low.is_finite() || !high.is_finite() {
                        return Err(err!(InvalidParameter, "space_not_finite", path = path, low = *low, high = *high));
                    }
                    if low >= high {
                        return Err(err!(InvalidParameter, "space_range_empty", path = path, low = *low, high = *high));
                    }
                    if *log && *low <= 0.0 {
                        return Err(err!(InvalidParameter, "space_log_low", path = path, low = *low));
                    }
                }
                Domain::Int { low, high, log } => {
                    let path = p.path.as_str();
                    if low >= high {
                        return Err(err!(InvalidParameter, "space_range_empty", path = path, low = *low, high = *high));
                    }
                    if high.checked_sub(*low).is_none_or(|w| w > 1 << 52) {
                        return Err(err!(InvalidParameter, "space_int_range", path = path, low = *low, high = *high));
                    }
                    if *log && *low <= 0 {
                        return Err(err!(InvalidParameter, "space_log_low_int", path = path, low = *low));
                    }
                }
                Domain::Categorical { choices } => {
                    if choices.is_empty() {
                        return Err(err!(InvalidParameter, "space_choices_empty", path = p.path.as_str()));
                    }
                    if let Some(c) = choices.iter().enumerate().find(|(j, c)| choices[..*j].contains(c)).map(|(_, c)| c)
                    {
                        return Err(err!(
                            InvalidParameter,
                            "space_choice_twice",
                            path = p.path.as_str(),
                            choice = c.to_string()
                        ));
                    }
                }
            }
            let parent = match &p.when {
                None => None,
                Some(c) => {
                    let (path, parent) = (p.path.as_str(), c.path.as_str());
                    let Some(j) = params[..i].iter().position(|q| q.path == c.path) else {
                        return Err(err!(InvalidParameter, "space_condition_unknown", path = path, parent = parent));
                    };
                    if c.values.is_empty() {
                        return Err(err!(InvalidParameter, "space_condition_empty", path = path, parent = parent));
                    }
                    if let Some(v) = c.values.iter().find(|v| !params[j].domain.can_take(v)) {
                        return Err(err!(
                            InvalidParameter,
                            "space_condition_value",
                            path = path,
                            parent = parent,
                            value = v.to_string()
                        ));
                    }
                    Some(j)
                }
            };
            parents.push(parent);
        }
        Ok(Space { params, parents })
    }

    /// The parameters, in order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The number of parameters (the dimension of the unit coordinates).
    pub fn dim(&self) -> usize {
        self.params.len()
    }

    /// Whether every parameter is a real or an integer (what Nelder–Mead is meant for).
    pub fn is_numeric(&self) -> bool {
        self.params.iter().all(|p| !matches!(p.domain, Domain::Categorical { .. }))
    }

    /// Whether parameter `i` is active given the settings of the parameters before it.
    fn active(&self, i: usize, values: &[Option<Setting>]) -> bool {
        match (self.parents[i], &self.params[i].when) {
            (Some(j), Some(c)) => match values[j] {
                Some(s) => c.values.contains(&self.params[j].domain.value(s)),
                None => false,
            },
            _ => true,
        }
    }

    /// The point at unit coordinates `unit` (one per parameter, clamped into [0, 1]; NaN reads as 0.5).
    pub fn decode(&self, id: u64, unit: &[f64]) -> Point {
        let mut values: Vec<Option<Setting>> = Vec::with_capacity(self.dim());
        for (i, p) in self.params.iter().enumerate() {
            let u = unit.get(i).copied().unwrap_or(0.5);
            let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
            let setting = if self.active(i, &values) { Some(p.domain.decode(u)) } else { None };
            values.push(setting);
        }
        Point { id, values }
    }

    /// The unit coordinates of a point's settings (an inactive parameter at 0.5).
    pub fn to_unit(&self, values: &[Option<Setting>]) -> Vec<f64> {
        self.params.iter().zip(values).map(|(p, s)| s.map_or(0.5, |s| p.domain.to_unit(s))).collect()
    }

    /// The length of [`Space::features`]: one per numeric parameter, one per categorical choice.
    pub fn feature_dim(&self) -> usize {
        self.params
            .iter()
            .map(|p| match &p.domain {
                Domain::Categorical { choices } => choices.len(),
                _ => 1,
            })
            .sum()
    }

    /// The point in the unit hypercube the Gaussian process sees: numeric parameters at their unit
    /// coordinate (0.5 when inactive), categoricals one-hot (all zero when inactive).
    pub fn features(&self, values: &[Option<Setting>]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.feature_dim());
        for (p, s) in self.params.iter().zip(values) {
            match (&p.domain, s) {
                (Domain::Categorical { choices }, s) => {
                    let hot = match s {
                        Some(Setting::Choice(c)) => Some(*c),
                        _ => None,
                    };
                    out.extend((0..choices.len()).map(|c| if Some(c) == hot { 1.0 } else { 0.0 }));
                }
                (d, s) => out.push(s.map_or(0.5, |s| d.to_unit(s))),
            }
        }
        out
    }

    /// The inverse of [`Space::features`]: each categorical takes its largest one-hot entry.
    pub fn from_features(&self, id: u64, features: &[f64]) -> Point {
        let mut unit = Vec::with_capacity(self.dim());
        let mut at = 0;
        for p in &self.params {
            match &p.domain {
                Domain::Categorical { choices } => {
                    let k = choices.len();
                    let block = features.get(at..at + k).unwrap_or(&[]);
                    let best = (0..block.len()).fold(0, |b, c| if block[c] > block[b] { c } else { b });
                    unit.push((best as f64 + 0.5) / k as f64);
                    at += k;
                }
                _ => {
                    unit.push(features.get(at).copied().unwrap_or(0.5));
                    at += 1;
                }
            }
        }
        self.decode(id, &unit)
    }

    /// The active settings of a point as `(path, value)` pairs, in the space's order.
    pub fn assignment(&self, point: &Point) -> Vec<(String, Value)> {
        self.params
            .iter()
            .zip(&point.values)
            .filter_map(|(p, s)| s.map(|s| (p.path.clone(), p.domain.value(s))))
            .collect()
    }

    /// `base` (a model's params) with the point's active settings written into it. A path must
    /// exist in `base`, except the last step of a conditional parameter, which may be added.
    pub fn apply(&self, point: &Point, base: &Value) -> Result<Value> {
        let mut params = base.clone();
        for ((p, s), parent) in self.params.iter().zip(&point.values).zip(&self.parents) {
            if let Some(s) = s {
                params.set(&p.path, p.domain.value(*s), parent.is_some())?;
            }
        }
        Ok(params)
    }

    /// The settings of a trial written as its values (an object of path → value, as
    /// [`Space::assignment`] gives them and a link keeps them): a path left out is an inactive
    /// parameter; a value the parameter cannot take is refused with the path named.
    pub fn settings_of(&self, values: &Value) -> Result<Vec<Option<Setting>>> {
        let Value::Map(entries) = values else {
            return Err(err!(InvalidInput, "trial_values", path = "", value = values.to_string()));
        };
        if let Some((path, _)) = entries.iter().find(|(k, _)| !self.params.iter().any(|p| &p.path == k)) {
            return Err(err!(InvalidInput, "trial_values", path = path.as_str(), value = "?"));
        }
        self.params
            .iter()
            .map(|p| {
                let Some((_, v)) = entries.iter().find(|(k, _)| k == &p.path) else { return Ok(None) };
                let refuse = || err!(InvalidInput, "trial_values", path = p.path.as_str(), value = v.to_string());
                let setting = match &p.domain {
                    Domain::Real { low, high, .. } => match v.as_f64() {
                        Some(x) if x >= *low && x <= *high => Setting::Real(x),
                        _ => return Err(refuse()),
                    },
                    Domain::Int { low, high, .. } => match v.as_f64() {
                        Some(x) if x.fract() == 0.0 && x >= *low as f64 && x <= *high as f64 => Setting::Int(x as i64),
                        _ => return Err(refuse()),
                    },
                    Domain::Categorical { choices } => match choices.iter().position(|c| c == v) {
                        Some(i) => Setting::Choice(i),
                        None => return Err(refuse()),
                    },
                };
                Ok(Some(setting))
            })
            .collect()
    }

    /// Where each parameter's entries start in [`Space::features`].
    pub fn feature_offsets(&self) -> Vec<usize> {
        let mut at = 0;
        self.params
            .iter()
            .map(|p| {
                let start = at;
                at += match &p.domain {
                    Domain::Categorical { choices } => choices.len(),
                    _ => 1,
                };
                start
            })
            .collect()
    }

    /// Checks that every path can be written into `base` (the "unknown path" error, before a run).
    pub fn check_paths(&self, base: &Value) -> Result<()> {
        let mut scratch = base.clone();
        for (p, parent) in self.params.iter().zip(&self.parents) {
            if let Err(e) = scratch.set(&p.path, p.domain.value(p.domain.decode(0.5)), parent.is_some()) {
                // The step of the path the params lack (Value::set names it `join`).
                let missing = e.msg().values.get("join").map_or_else(|| p.path.clone(), |v| v.to_string());
                return Err(err!(InvalidParameter, "space_unknown_path", path = p.path.as_str(), missing = missing));
            }
        }
        Ok(())
    }
}

impl Domain {
    /// The setting at unit coordinate `u` in [0, 1].
    pub fn decode(&self, u: f64) -> Setting {
        match *self {
            // The ends exactly, so a grid's corners are the bounds as written.
            Domain::Real { low, .. } if u <= 0.0 => Setting::Real(low),
            Domain::Real { high, .. } if u >= 1.0 => Setting::Real(high),
            Domain::Real { low, high, log: false } => Setting::Real((low + u * (high - low)).clamp(low, high)),
            Domain::Real { low, high, log: true } => {
                Setting::Real((low.ln() + u * (high.ln() - low.ln())).exp().clamp(low, high))
            }
            Domain::Int { low, high, log: false } => {
                let x = low as f64 + (u * ((high - low) as f64 + 1.0)).floor();
                Setting::Int((x as i64).clamp(low, high))
            }
            Domain::Int { low, high, log: true } => {
                let (a, b) = ((low as f64).ln(), (high as f64 + 1.0).ln());
                Setting::Int(((a + u * (b - a)).exp().floor() as i64).clamp(low, high))
            }
            Domain::Categorical { ref choices } => {
                Setting::Choice(((u * choices.len() as f64) as usize).min(choices.len() - 1))
            }
        }
    }

    /// The unit coordinate of a setting (the centre of its cell for integers and choices).
    pub fn to_unit(&self, s: Setting) -> f64 {
        let u = match (self, s) {
            (&Domain::Real { low, high, log: false }, Setting::Real(x)) => (x - low) / (high - low),
            (&Domain::Real { low, high, log: true }, Setting::Real(x)) => (x.ln() - low.ln()) / (high.ln() - low.ln()),
            (&Domain::Int { low, high, log: false }, Setting::Int(x)) => {
                (x as f64 - low as f64 + 0.5) / ((high - low) as f64 + 1.0)
            }
            (&Domain::Int { low, high, log: true }, Setting::Int(x)) => {
                let (a, b) = ((low as f64).ln(), (high as f64 + 1.0).ln());
                (0.5 * ((x as f64).ln() + (x as f64 + 1.0).ln()) - a) / (b - a)
            }
            (Domain::Categorical { choices }, Setting::Choice(c)) => (c as f64 + 0.5) / choices.len() as f64,
            _ => 0.5,
        };
        if u.is_nan() {
            0.5
        } else {
            u.clamp(0.0, 1.0)
        }
    }

    /// The value a setting writes into the params.
    pub fn value(&self, s: Setting) -> Value {
        match (self, s) {
            (Domain::Categorical { choices }, Setting::Choice(c)) => choices.get(c).cloned().unwrap_or(Value::Null),
            (_, Setting::Real(x)) => Value::Float(x),
            (_, Setting::Int(i)) => Value::Int(i),
            (_, Setting::Choice(c)) => Value::Int(c as i64),
        }
    }

    /// Whether `v` is a value of this domain (for a condition).
    fn can_take(&self, v: &Value) -> bool {
        match self {
            Domain::Categorical { choices } => choices.contains(v),
            Domain::Real { low, high, .. } => v.as_f64().is_some_and(|x| x >= *low && x <= *high),
            Domain::Int { low, high, .. } => {
                v.as_f64().is_some_and(|x| x.fract() == 0.0 && x >= *low as f64 && x <= *high as f64)
            }
        }
    }

    /// The number of distinct values (`None` for a real), for the grid.
    pub fn count(&self) -> Option<u64> {
        match self {
            Domain::Real { .. } => None,
            Domain::Int { low, high, .. } => Some((high - low) as u64 + 1),
            Domain::Categorical { choices } => Some(choices.len() as u64),
        }
    }
}

/// A parameter as written in JSON, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    path: String,
    #[serde(rename = "type")]
    kind: String,
    low: Option<f64>,
    high: Option<f64>,
    log: Option<bool>,
    choices: Option<Vec<Value>>,
    when: Option<RawCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    path: String,
    #[serde(rename = "in")]
    any_of: Option<Vec<Value>>,
    equals: Option<Value>,
}

impl TryFrom<RawParam> for Param {
    type Error = Error;

    fn try_from(raw: RawParam) -> Result<Param> {
        let path = raw.path;
        let (at, kind) = (path.as_str(), raw.kind.as_str());
        let known = matches!(kind, "uniform" | "log_uniform" | "int" | "categorical");
        if !known {
            return Err(err!(InvalidParameter, "space_unknown_type", path = at, kind = kind));
        }
        let numeric = kind != "categorical";
        if numeric && raw.choices.is_some() {
            return Err(err!(InvalidParameter, "space_choices_numeric", path = at, kind = kind));
        }
        if !numeric && (raw.low.is_some() || raw.high.is_some() || raw.log.is_some()) {
            return Err(err!(InvalidParameter, "space_categorical_range", path = at));
        }
        if matches!(kind, "uniform" | "log_uniform") && raw.log.is_some() {
            return Err(err!(InvalidParameter, "space_log_field", path = at));
        }
        let range = || match (raw.low, raw.high) {
            (Some(low), Some(high)) => Ok((low, high)),
            _ => Err(err!(InvalidParameter, "space_range_missing", path = at, kind = kind)),
        };
        let integer = |x: f64| {
            if x.fract() == 0.0 && x.abs() <= (1u64 << 53) as f64 {
                Ok(x as i64)
            } else {
                Err(err!(InvalidParameter, "space_int_bounds", path = at, got = x))
            }
        };
        let domain = match raw.kind.as_str() {
            "uniform" | "log_uniform" => {
                let (low, high) = range()?;
                Domain::Real { low, high, log: raw.kind == "log_uniform" }
            }
            "int" => {
                let (low, high) = range()?;
                Domain::Int { low: integer(low)?, high: integer(high)?, log: raw.log.unwrap_or(false) }
            }
            "categorical" => Domain::Categorical { choices: raw.choices.unwrap_or_default() },
            other => return Err(err!(InvalidParameter, "space_unknown_type", path = at, kind = other)),
        };
        let when = match raw.when {
            None => None,
            Some(c) => {
                let values = match (c.any_of, c.equals) {
                    (Some(values), None) => values,
                    (None, Some(value)) => vec![value],
                    _ => return Err(err!(InvalidParameter, "space_condition_form", path = at)),
                };
                Some(Condition { path: c.path, values })
            }
        };
        Ok(Param { path, domain, when })
    }
}

impl TryFrom<Vec<RawParam>> for Space {
    type Error = Error;

    fn try_from(raw: Vec<RawParam>) -> Result<Space> {
        Space::new(raw.into_iter().map(Param::try_from).collect::<Result<_>>()?)
    }
}

/// A parameter as written back to JSON.
#[derive(Serialize)]
struct ParamOut<'a> {
    path: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    low: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    choices: Option<&'a [Value]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<ConditionOut<'a>>,
}

#[derive(Serialize)]
struct ConditionOut<'a> {
    path: &'a str,
    #[serde(rename = "in")]
    any_of: &'a [Value],
}

impl Serialize for Space {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.params.iter().map(|p| {
            let mut out = ParamOut {
                path: &p.path,
                kind: "categorical",
                low: None,
                high: None,
                log: None,
                choices: None,
                when: p.when.as_ref().map(|c| ConditionOut { path: &c.path, any_of: &c.values }),
            };
            match &p.domain {
                Domain::Real { low, high, log } => {
                    out.kind = if *log { "log_uniform" } else { "uniform" };
                    (out.low, out.high) = (Some(Value::Float(*low)), Some(Value::Float(*high)));
                }
                Domain::Int { low, high, log } => {
                    out.kind = "int";
                    (out.low, out.high) = (Some(Value::Int(*low)), Some(Value::Int(*high)));
                    out.log = log.then_some(true);
                }
                Domain::Categorical { choices } => out.choices = Some(choices),
            }
            out
        }))
    }
}
