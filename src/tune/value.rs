//! A small JSON-like value tree for tuning: the categorical choices of a search space, the values a
//! point sets, and the model's params that a point is applied to (by `.`-separated path).
//!
//! serde_json is only a dev-dependency of the crate, so the tuner carries this own tree: it reads
//! from and writes to any serde format (serde-wasm-bindgen on the page, serde_json in tests).
//! Integers stay integers (`3`, not `3.0`), so a model's `usize` fields read them back.

use crate::error::Result;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A JSON-like value.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Value>),
    /// Entries in input order.
    Map(Vec<(String, Value)>),
}

impl PartialEq for Value {
    /// Numbers compare by value (`1` equals `1.0`); the rest structurally.
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v == v2))
            }
            _ => match (self.as_f64(), other.as_f64()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }
}

impl Value {
    /// The value as a number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The value at `path` (`.`-separated; a number indexes a list), if there is one.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut at = self;
        for key in path.split('.') {
            at = match at {
                Value::Map(entries) => &entries.iter().find(|(k, _)| k == key)?.1,
                Value::List(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(at)
    }

    /// Sets the value at `path`. Every step but the last must exist; the last may be added to an
    /// object only when `may_add` (a conditional parameter such as a momentum's β, absent from
    /// params that use plain SGD).
    pub fn set(&mut self, path: &str, value: Value, may_add: bool) -> Result<()> {
        let keys: Vec<&str> = path.split('.').collect();
        let mut at = self;
        for (i, key) in keys.iter().enumerate() {
            let last = i + 1 == keys.len();
            let missing = || err!(InvalidParameter, "params_no_path", join = keys[..=i].join("."), path = path);
            at = match at {
                Value::Map(entries) => match entries.iter().position(|(k, _)| k == key) {
                    Some(p) => &mut entries[p].1,
                    None if last && may_add => {
                        entries.push((key.to_string(), Value::Null));
                        let end = entries.len() - 1;
                        &mut entries[end].1
                    }
                    None => return Err(missing()),
                },
                Value::List(items) => {
                    let index = key.parse::<usize>().map_err(|_| missing())?;
                    items.get_mut(index).ok_or_else(missing)?
                }
                _ => return Err(missing()),
            };
        }
        *at = value;
        Ok(())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(x) => serializer.serialize_f64(*x),
            Value::Text(s) => serializer.serialize_str(s),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::Text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::Text(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
        while let Some(key) = map.next_key::<String>()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn params() -> Value {
        Value::Map(vec![
            ("max_depth".into(), Value::Int(3)),
            ("layers".into(), Value::List(vec![Value::Map(vec![("neurons".into(), Value::Int(4))])])),
            (
                "train".into(),
                Value::Map(vec![("optimizer".into(), Value::Map(vec![("kind".into(), Value::Text("sgd".into()))]))]),
            ),
        ])
    }

    #[test]
    fn paths_get_and_set() {
        let mut p = params();
        assert_eq!(p.get("layers.0.neurons"), Some(&Value::Int(4)));
        assert_eq!(p.get("layers.1.neurons"), None);
        p.set("layers.0.neurons", Value::Int(8), false).unwrap();
        assert_eq!(p.get("layers.0.neurons"), Some(&Value::Int(8)));
        // The last step may be added only when allowed (a conditional parameter).
        assert!(p.set("train.optimizer.beta", Value::Float(0.9), false).is_err());
        p.set("train.optimizer.beta", Value::Float(0.9), true).unwrap();
        assert_eq!(p.get("train.optimizer.beta"), Some(&Value::Float(0.9)));
        // A missing step before the last is refused with its name, even when adding is allowed.
        match p.set("train.schedule.kind", Value::Null, true) {
            Err(Error::InvalidParameter(m)) => assert!(m.to_string().contains("`train.schedule`"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(p.set("layers.x.neurons", Value::Null, false).is_err());
        assert!(p.set("max_depth.deeper", Value::Null, true).is_err());
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Value::Int(1), Value::Float(1.0));
        assert_ne!(Value::Int(1), Value::Text("1".into()));
        assert_eq!(
            Value::Map(vec![("a".into(), Value::Int(1)), ("b".into(), Value::Null)]),
            Value::Map(vec![("b".into(), Value::Null), ("a".into(), Value::Float(1.0))])
        );
        assert_eq!(
            params().to_string(),
            r#"{"max_depth": 3, "layers": [{"neurons": 4}], "train": {"optimizer": {"kind": "sgd"}}}"#
        );
    }
}
