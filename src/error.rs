//! The crate's one error type. An error is a **code with values** (`param_range` with `name`,
//! `min`, `max`, `got`), not a sentence: the page words it from its message catalog
//! (`err.<code>` in `www/i18n/en.js` and `zh.js`), so the learner reads it in their language.
//! Every code also has an English template here ([`english`]), which is what `Display` (and so
//! the Node API's `message`, logs and Rust tests) shows. Each message says what is wrong and,
//! where it can, what to do about it.
//!
//! Build one with [`err!`](crate::err): `err!(InvalidData, "row_not_finite", row = i + 1)`.
//! A new code needs a template in [`english`] and an `err.<code>` entry in both catalogs
//! (`tests/node/catalog.test.mjs` fails otherwise, listing the codes from the wasm's
//! `errorCodes()`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One value an error message is filled with: a number or a word. Words that name something
/// the page can translate (a parameter, a model family, a task) are given as keys
/// (`"n_estimators"`, `"boosting"`, `"regression"`); the page looks them up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Num(f64),
    Text(String),
    /// A message inside a message (a divergence with the epoch it stopped at): worded in turn.
    Msg(Box<Msg>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Num(v) if v.fract() == 0.0 && v.abs() < 1e15 => write!(f, "{}", *v as i64),
            Value::Num(v) if format!("{v}").len() <= 8 => write!(f, "{v}"),
            Value::Num(v) => f.write_str(&crate::format::significant(*v, 4)),
            Value::Text(s) => f.write_str(s),
            Value::Msg(m) => write!(f, "{m}"),
        }
    }
}

macro_rules! value_from {
    ($variant:ident as $as:ty: $($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant(v as $as)
            }
        }
    )*};
}
value_from!(Int as i64: usize, u64, u32, i64, i32, u8);
value_from!(Num as f64: f64, f32);

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.into())
    }
}
impl From<&&str> for Value {
    fn from(v: &&str) -> Self {
        Value::Text((*v).into())
    }
}
impl From<Msg> for Value {
    fn from(v: Msg) -> Self {
        Value::Msg(Box::new(v))
    }
}
impl From<Error> for Value {
    fn from(v: Error) -> Self {
        Value::Msg(Box::new(v.msg().clone()))
    }
}
impl From<&Error> for Value {
    fn from(v: &Error) -> Self {
        Value::Msg(Box::new(v.msg().clone()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

/// A message as data: its code and the values its template is filled with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Msg {
    pub code: String,
    pub values: BTreeMap<String, Value>,
}

impl Msg {
    pub fn new(code: &str, values: Vec<(&str, Value)>) -> Self {
        Msg { code: code.into(), values: values.into_iter().map(|(k, v)| (k.into(), v)).collect() }
    }

    /// The value named `name`, if the message has one.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }
}

impl fmt::Display for Msg {
    /// The English template filled with the values (an unknown code prints itself and its values).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A count of one takes the singular template where there is one (`<code>.one`).
        let one =
            matches!(self.value("n"), Some(Value::Int(1))).then(|| english(&format!("{}.one", self.code))).flatten();
        let Some(template) = one.or_else(|| english(&self.code)) else {
            write!(f, "{}", self.code)?;
            for (k, v) in &self.values {
                write!(f, " {k}={v}")?;
            }
            return Ok(());
        };
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            f.write_str(&rest[..open])?;
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    match self.value(name) {
                        // a `why` key is worded by its own template (`file_why.<key>`)
                        Some(Value::Text(key)) if name == "why" && english(&format!("file_why.{key}")).is_some() => {
                            f.write_str(english(&format!("file_why.{key}")).unwrap_or(key))?
                        }
                        Some(v) => write!(f, "{v}")?,
                        None => write!(f, "{{{name}}}")?,
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    f.write_str(&rest[open..])?;
                    rest = "";
                }
            }
        }
        f.write_str(rest)
    }
}

/// What went wrong: the kind, and a message as a code with values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A hyper-parameter or option is out of its allowed range.
    #[error("{0}")]
    InvalidParameter(Msg),
    /// The data cannot be used as given (NaN, wrong shape, too few points, one class...).
    #[error("{0}")]
    InvalidData(Msg),
    /// A closed-form solve met a singular or near-singular system.
    #[error("{0}")]
    Singular(Msg),
    /// Training produced NaN or infinite values; the last good model was kept.
    #[error("training diverged: {0}")]
    Diverged(Msg),
    /// A saved state (URL hash) or model file could not be read.
    #[error("{0}")]
    InvalidInput(Msg),
    /// Drawing failed.
    #[error("drawing failed: {0}")]
    Render(Msg),
}

/// Builds an [`Error`] of a kind from a code and named values:
/// `err!(InvalidParameter, "param_range", name = "max_depth", min = 1, max = 30, got = 40)`.
#[macro_export]
macro_rules! err {
    ($kind:ident, $code:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::error::Error::$kind($crate::error::Msg::new($code, vec![$((stringify!($k), $crate::error::Value::from($v))),*]))
    };
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A short machine-readable name of the error's kind, for the JS side.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidParameter(_) => "invalid_parameter",
            Error::InvalidData(_) => "invalid_data",
            Error::Singular(_) => "singular",
            Error::Diverged(_) => "diverged",
            Error::InvalidInput(_) => "invalid_input",
            Error::Render(_) => "render",
        }
    }

    /// The message: code and values.
    pub fn msg(&self) -> &Msg {
        match self {
            Error::InvalidParameter(m)
            | Error::InvalidData(m)
            | Error::Singular(m)
            | Error::Diverged(m)
            | Error::InvalidInput(m)
            | Error::Render(m) => m,
        }
    }

    /// The message, to change a value in it.
    fn msg_mut(&mut self) -> &mut Msg {
        match self {
            Error::InvalidParameter(m)
            | Error::InvalidData(m)
            | Error::Singular(m)
            | Error::Diverged(m)
            | Error::InvalidInput(m)
            | Error::Render(m) => m,
        }
    }

    /// The message's code (`param_range`, `row_not_finite`, ...).
    pub fn code(&self) -> &str {
        &self.msg().code
    }

    /// The same error about a block of rows that starts at row `offset` of the caller's rows: the
    /// row numbers it names (`row`, and `max` of `row_not_finite_features`) count from the
    /// caller's first row.
    pub fn rows_from(mut self, offset: usize) -> Self {
        let m = self.msg_mut();
        let key = if m.code == "row_not_finite_features" { "max" } else { "row" };
        if let Some(Value::Int(r)) = m.values.get_mut(key) {
            *r += offset as i64;
        }
        self
    }
}

/// Checks that `value` lies in `[min, max]` and is finite, naming the parameter in the message.
pub fn check_range(name: &str, value: f64, min: f64, max: f64) -> Result<()> {
    if !value.is_finite() || value < min || value > max {
        return Err(err!(InvalidParameter, "param_range", param = name, min = min, max = max, got = value));
    }
    Ok(())
}

/// Checks an integer parameter lies in `[min, max]`.
pub fn check_count(name: &str, value: usize, min: usize, max: usize) -> Result<()> {
    if value < min || value > max {
        return Err(err!(InvalidParameter, "param_range", param = name, min = min, max = max, got = value));
    }
    Ok(())
}

/// Every code with its English template, for the page's catalog test (`errorCodes()`).
pub fn codes() -> &'static [(&'static str, &'static str)] {
    CODES
}

/// The English template of `code`; `{name}` is filled with the value `name`.
pub fn english(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

include!("error/codes.rs");
include!("error/reason.rs");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_a_code_with_values_and_an_english_sentence() {
        let e = check_range("learning_rate", 5.0, 1e-6, 1.0).unwrap_err();
        assert_eq!(e.code(), "param_range");
        assert_eq!(e.kind(), "invalid_parameter");
        assert_eq!(e.msg().value("param"), Some(&Value::Text("learning_rate".into())));
        assert_eq!(e.msg().value("got"), Some(&Value::Num(5.0)));
        assert_eq!(e.to_string(), "learning_rate must be between 0.000001 and 1 (got 5)");
        let e = check_count("max_depth", 40, 1, 30).unwrap_err();
        assert_eq!(e.to_string(), "max_depth must be between 1 and 30 (got 40)");
        assert_eq!(
            serde_json::to_string(e.msg()).unwrap(),
            r#"{"code":"param_range","values":{"got":40,"max":30,"min":1,"param":"max_depth"}}"#
        );
    }

    #[test]
    fn codes_are_unique_and_templates_name_known_placeholders() {
        let mut seen = std::collections::HashSet::new();
        for (code, template) in codes() {
            assert!(seen.insert(*code), "{code} twice");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.' || c.is_ascii_digit()),
                "{code}"
            );
            assert!(!template.is_empty(), "{code}");
        }
    }

    #[test]
    fn every_code_the_crate_raises_has_a_template() {
        // The sources name each code as `err!(Kind, "code"`; each must be in CODES.
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let mut rest = text.as_str();
                    while let Some(i) = rest.find("err!(") {
                        rest = &rest[i + 5..];
                        if let Some(q) = rest.find('"') {
                            let after = &rest[q + 1..];
                            if let Some(end) = after.find('"') {
                                if rest[..q].trim_end().ends_with(',') {
                                    out.push(after[..end].to_string());
                                }
                            }
                        }
                    }
                }
            }
        }
        let mut used = vec![];
        walk(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut used);
        assert!(used.len() > 50, "{}", used.len());
        let missing: Vec<_> = used.iter().filter(|c| english(c).is_none() && *c != "code").collect();
        assert!(missing.is_empty(), "codes without a template: {missing:?}");
    }

    #[test]
    fn serde_reasons_become_codes_naming_the_field_and_the_kinds() {
        // Real refusals from serde_json and from the crate's own readers (tagged.rs).
        let reason = |json: &str| {
            let e = serde_json::from_str::<crate::state::State>(json).unwrap_err();
            serde_reason(&e.to_string())
        };
        let field = |m: &Msg, name: &str| m.value(name).map(|v| v.to_string());
        let m = reason(r#"{"data":{"n":"many"}}"#);
        assert_eq!(m.code, "serde_invalid_type", "{m}");
        assert_eq!((field(&m, "found"), field(&m, "expected")), (Some("text".into()), Some("integer".into())));
        let m = reason(r#"{"model":{"kind":"tree","max_dpth":3}}"#);
        assert_eq!(
            (m.code.as_str(), field(&m, "field"), field(&m, "meant")),
            ("serde_unknown_field_meant", Some("max_dpth".into()), Some("max_depth".into())),
            "{m}"
        );
        let m = reason(r#"{"model":{"kind":"quantum"}}"#);
        assert_eq!((m.code.as_str(), field(&m, "variant")), ("serde_unknown_variant", Some("quantum".into())), "{m}");
        let m = reason(r#"{"data":[1,2]}"#);
        assert_eq!((m.code.as_str(), field(&m, "found")), ("serde_invalid_type", Some("list".into())), "{m}");
        assert_eq!(serde_reason("missing field `kind`").value("field"), Some(&Value::Text("kind".into())));
        assert_eq!(serde_reason("invalid length 3, expected 2 elements").value("n"), Some(&Value::Int(3)));
        assert_eq!(serde_reason("something else entirely").code, "serde_other");
        // a checked type's own message (a `try_from` refusal) keeps its code and values
        assert_eq!(
            serde_reason("the search space names no parameter: add at least one setting to search").code,
            "space_empty"
        );
        let m = serde_reason("n_clusters must be at least 1 (got -2): k-means needs at least one cluster");
        assert_eq!((m.code.as_str(), m.value("got")), ("kmeans_k_at_least_one", Some(&Value::from("-2"))));
        // no English words from serde are left in the values
        for m in [reason(r#"{"seed":true}"#), reason(r#"{"data":{"noise":"x"}}"#)] {
            for v in m.values.values() {
                let v = v.to_string();
                assert!(
                    ["text", "number", "integer", "boolean", "list", "object", "nothing", "other"]
                        .contains(&v.as_str()),
                    "{m}: {v}"
                );
            }
        }
    }
}
