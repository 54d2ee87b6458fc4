//! Lean serde plumbing for internally tagged JSON (`{"kind": "mlp", ...}`), to keep the wasm small,
//! and the one place where unknown keys are refused.
//!
//! serde's derive for `#[serde(tag = "...")]` buffers the object into its private `Content` and
//! compiles every nested type's deserialiser once more against it; that was the largest single
//! share of the wasm (the lean form below saves 9.4 KB gzipped). Instead, everything tagged
//! buffers into a [`Value`] (only what JSON has) and reads its parts back through
//! [`ValueDeserializer`], a deserialiser with few code paths:
//! - small tagged enums (`Schedule`, `OptimizerKind`, `Edit`, ...) are declared once with
//!   [`tagged_enum!`], which writes the enum, its serde `Serialize` (the derive: cheap) and a
//!   `Deserialize` that finds the tag and takes each field of that variant by name;
//! - the registry enums (`ModelParams`, `AnyModel`) split the tag off with [`split_tag`] and read
//!   the family's own struct from the rest.
//!
//! The JSON format is serde's, and the tag may stand anywhere in the object. **Unknown keys are
//! refused**, naming the key and, for a near miss, the field meant (`unknown field `max_leaves`
//! (did you mean `max_leaf_nodes`?)`, scikit-learn's `C` → `strength`): a tagged enum's leftover
//! keys, and any struct read through [`ValueDeserializer`] (every struct inside a model's
//! parameters, a model file and the page's state) whose object has a key that is not one of its
//! fields. Other error texts are serde's (`missing field`, `unknown variant`, `invalid type`).

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// A variant's required field: present, or serde's `missing field` error.
pub fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// Declares a small internally tagged enum once: the enum itself (attributes and docs as
/// written), serde's `Serialize` derive for it with the tag, and a lean `Deserialize` (see the
/// module docs). A field with `= default` may be left out of the JSON; any other is required.
/// Keys that are not fields of the variant named by the tag are refused.
///
/// ```ignore
/// tagged_enum! {
///     /// Docs.
///     #[derive(Debug, Clone, Copy, PartialEq)]
///     pub enum Schedule("kind") {
///         Constant = "constant",
///         Step = "step" { every: usize, gamma: f64 },
///         Momentum = "momentum" { beta: f64 = 0.9 },
///     }
/// }
/// ```
macro_rules! tagged_enum {
    (@field $fields:ident, $field:ident) => {
        $crate::tagged::required($crate::tagged::take(&mut $fields, stringify!($field))?, stringify!($field))?
    };
    (@field $fields:ident, $field:ident, $default:expr) => {
        $crate::tagged::take(&mut $fields, stringify!($field))?.unwrap_or_else(|| $default)
    };
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident ($tag:literal) {
            $(
                $(#[$vattr:meta])*
                $variant:ident = $vname:literal $({
                    $( $(#[$fattr:meta])* $field:ident : $fty:ty $(= $default:expr)? ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(serde::Serialize)]
        #[serde(tag = $tag)]
        $vis enum $name {
            $(
                $(#[$vattr])*
                #[serde(rename = $vname)]
                $variant $({ $( $(#[$fattr])* $field: $fty ),* })?
            ),*
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let (variant, mut fields) =
                    $crate::tagged::split_fields(deserializer, $tag, concat!("internally tagged enum ", stringify!($name)))?;
                let value = match variant.as_str() {
                    $(
                        $vname => {
                            $crate::tagged::refuse_unknown(&fields, &[$($( stringify!($field) ),*)?])?;
                            $name::$variant $({ $(
                                $field: $crate::tagged::tagged_enum!(@field fields, $field $(, $default)?)
                            ),* })?
                        }
                    )*
                    other => return Err(serde::de::Error::unknown_variant(other, &[$($vname),*])),
                };
                Ok(value)
            }
        }
    };
}
pub(crate) use tagged_enum;

/// Reads a buffered object with tag field `tag`: the tag's value (a string) and the other
/// entries, in input order.
pub fn split_fields<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
    expecting: &'static str,
) -> Result<(String, Vec<(String, Value)>), D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Map(mut entries) => match entries.iter().position(|(key, _)| key == tag) {
            Some(at) => match entries.remove(at) {
                (_, Value::String(variant)) => Ok((variant, entries)),
                (_, other) => Err(de::Error::invalid_type(other.unexpected(), &"variant identifier")),
            },
            None => Err(de::Error::missing_field(tag)),
        },
        other => Err(de::Error::invalid_type(other.unexpected(), &expecting)),
    }
}

/// Takes field `name` out of `fields` and reads it: `None` when absent, serde's `duplicate field`
/// when it is there twice.
pub fn take<'de, T: Deserialize<'de>, E: de::Error>(
    fields: &mut Vec<(String, Value)>,
    name: &'static str,
) -> Result<Option<T>, E> {
    let Some(at) = fields.iter().position(|(key, _)| key == name) else { return Ok(None) };
    let (_, value) = fields.remove(at);
    if fields.iter().any(|(key, _)| key == name) {
        return Err(E::duplicate_field(name));
    }
    T::deserialize(ValueDeserializer::<E>::new(value)).map(Some)
}

/// Refuses the first of `fields` that is none of `known`, naming it.
pub fn refuse_unknown<E: de::Error>(fields: &[(String, Value)], known: &'static [&'static str]) -> Result<(), E> {
    match fields.iter().find(|(key, _)| !known.contains(&key.as_str())) {
        Some((key, _)) => Err(unknown_field(key, known)),
        None => Ok(()),
    }
}

/// serde's `unknown field` error, or for a near miss `unknown field `x` (did you mean `y`?)`.
pub fn unknown_field<E: de::Error>(key: &str, known: &'static [&'static str]) -> E {
    match did_you_mean(key, known) {
        Some(meant) => E::custom(format_args!("unknown field `{key}` (did you mean `{meant}`?)")),
        None => E::unknown_field(key, known),
    }
}

/// Names other libraries use for our fields (scikit-learn's, mostly), tried before spelling.
const FOREIGN_NAMES: &[(&str, &str)] = &[
    ("C", "strength"),
    ("alpha", "ridge"),
    ("alpha", "l2"),
    ("alpha", "ccp_alpha"),
    ("hidden_layer_sizes", "hidden_layers"),
    ("learning_rate_init", "learning_rate"),
    ("n_neighbors", "neighbours"),
    ("max_leaves", "max_leaf_nodes"),
];

/// The field of `known` that `key` most likely meant: a known foreign name, else the closest
/// spelling (Jaro–Winkler similarity at least 0.8, which accepts `max_depht` and `neighbors` but
/// not `depth` for `max_leaf_nodes`).
pub fn did_you_mean(key: &str, known: &[&'static str]) -> Option<&'static str> {
    if let Some(&(_, ours)) = FOREIGN_NAMES.iter().find(|(theirs, ours)| *theirs == key && known.contains(ours)) {
        return Some(ours);
    }
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|&name| (jaro_winkler(&lower, name), name))
        .filter(|&(score, _)| score >= 0.8)
        // The first of equally close fields (`beta` → `beta1`, not `beta2`).
        .fold(None, |best: Option<(f64, &'static str)>, (score, name)| match best {
            Some((b, _)) if b >= score => best,
            _ => Some((score, name)),
        })
        .map(|(_, name)| name)
}

/// Jaro–Winkler similarity of two strings, 0 (nothing shared) to 1 (equal).
fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = vec![false; b.len()];
    let mut a_matched = Vec::new();
    for (i, &c) in a.iter().enumerate() {
        let (lo, hi) = (i.saturating_sub(window), (i + window + 1).min(b.len()));
        if let Some(j) = (lo..hi).find(|&j| !b_used[j] && b[j] == c) {
            b_used[j] = true;
            a_matched.push(c);
        }
    }
    let m = a_matched.len() as f64;
    if m == 0.0 {
        return 0.0;
    }
    let b_matched = b.iter().zip(&b_used).filter(|(_, &used)| used).map(|(&c, _)| c);
    let transpositions = a_matched.iter().zip(b_matched).filter(|(x, y)| **x != *y).count() as f64 / 2.0;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// The longest list a buffered value may hold (4,194,304 values, 128 MiB buffered): a tree's
/// class values at its node limit with 20 classes. A longer list (a hand-made file of 10⁷ tree
/// nodes) is refused while it is read, before it fills the page's memory.
pub const MAX_LIST: usize = 1 << 22;

/// A buffered JSON value (what serde-wasm-bindgen and serde_json hand to `deserialize_any`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    String(String),
    Seq(Vec<Value>),
    /// Entries in input order.
    Map(Vec<(String, Value)>),
}

impl Value {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::I64(i) => Unexpected::Signed(*i),
            Value::U64(u) => Unexpected::Unsigned(*u),
            Value::F64(f) => Unexpected::Float(*f),
            Value::String(s) => Unexpected::Str(s),
            Value::Seq(_) => Unexpected::Seq,
            Value::Map(_) => Unexpected::Map,
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            if items.len() == MAX_LIST {
                return Err(de::Error::custom(format_args!(
                    "a list of more than {MAX_LIST} values is longer than anything the playground writes"
                )));
            }
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
        while let Some(key) = map.next_key::<String>()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Value::Map(entries))
    }
}

/// Reads a buffered object with tag field `tag`: returns deserialisers for the tag's value and
/// for the other fields (an object without the tag).
pub fn split_tag<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
    expecting: &'static str,
) -> Result<(ValueDeserializer<D::Error>, ValueDeserializer<D::Error>), D::Error> {
    let (kind, entries) = split_fields(deserializer, tag, expecting)?;
    Ok((ValueDeserializer::new(Value::String(kind)), ValueDeserializer::new(Value::Map(entries))))
}

/// Deserialises any type from a [`Value`]. Numbers, strings and booleans go to the visitor as
/// they are; structs read objects only, sequences and tuples arrays only.
pub struct ValueDeserializer<E> {
    value: Value,
    error: PhantomData<E>,
}

impl<E> ValueDeserializer<E> {
    pub fn new(value: Value) -> Self {
        ValueDeserializer { value, error: PhantomData }
    }
}

impl<'de, E: de::Error> Deserializer<'de> for ValueDeserializer<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::I64(i) => visitor.visit_i64(i),
            Value::U64(u) => visitor.visit_u64(u),
            Value::F64(f) => visitor.visit_f64(f),
            Value::String(s) => visitor.visit_string(s),
            Value::Seq(items) => visitor.visit_seq(SeqValues::<E> { items: items.into_iter(), error: PhantomData }),
            Value::Map(entries) => {
                visitor.visit_map(MapValues::<E> { entries: entries.into_iter(), value: None, error: PhantomData })
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Seq(items) => visitor.visit_seq(SeqValues::<E> { items: items.into_iter(), error: PhantomData }),
            other => Err(de::Error::invalid_type(other.unexpected(), &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Map(entries) => {
                visitor.visit_map(MapValues::<E> { entries: entries.into_iter(), value: None, error: PhantomData })
            }
            other => Err(de::Error::invalid_type(other.unexpected(), &visitor)),
        }
    }

    /// Refuses an object with a key that is not one of `fields` (see the module docs).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        if let Value::Map(entries) = &self.value {
            refuse_unknown(entries, fields)?;
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.value {
            Value::String(variant) => visitor.visit_enum(EnumValue::<E> { variant, value: None, error: PhantomData }),
            Value::Map(mut entries) if entries.len() == 1 => {
                let (variant, value) = entries.remove(0);
                visitor.visit_enum(EnumValue::<E> { variant, value: Some(value), error: PhantomData })
            }
            Value::Map(_) => Err(de::Error::invalid_value(Unexpected::Map, &"map with a single key")),
            other => Err(de::Error::invalid_type(other.unexpected(), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct identifier
    }
}

struct SeqValues<E> {
    items: std::vec::IntoIter<Value>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> SeqAccess<'de> for SeqValues<E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, E> {
        match self.items.next() {
            Some(item) => seed.deserialize(ValueDeserializer::new(item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapValues<E> {
    entries: std::vec::IntoIter<(String, Value)>,
    value: Option<Value>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> MapAccess<'de> for MapValues<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(ValueDeserializer::new(Value::String(key))).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, E> {
        let value = self.value.take().unwrap_or(Value::Null);
        seed.deserialize(ValueDeserializer::new(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An externally tagged enum value: `"variant"` or `{"variant": value}`.
struct EnumValue<E> {
    variant: String,
    value: Option<Value>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> EnumAccess<'de> for EnumValue<E> {
    type Error = E;
    type Variant = VariantValue<E>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, VariantValue<E>), E> {
        let variant = seed.deserialize(ValueDeserializer::<E>::new(Value::String(self.variant)))?;
        Ok((variant, VariantValue { value: self.value, error: PhantomData }))
    }
}

struct VariantValue<E> {
    value: Option<Value>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> VariantAccess<'de> for VariantValue<E> {
    type Error = E;

    fn unit_variant(self) -> Result<(), E> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(other.unexpected(), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, E> {
        match self.value {
            Some(value) => seed.deserialize(ValueDeserializer::new(value)),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Some(value) => ValueDeserializer::new(value).deserialize_seq(visitor),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, E> {
        match self.value {
            Some(value) => ValueDeserializer::new(value).deserialize_struct("", fields, visitor),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant")),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The readers against serde's derive: `tests/fixtures/tagged.json` holds, for the 11 types that
    //! had `#[serde(tag = ...)]`, JSON inputs and what serde's derive read each as (re-serialised)
    //! or the error it gave, recorded before the derive was replaced. The readers must agree,
    //! except where a case is marked `changed` (unknown keys are refused now; the derive ignored
    //! them).
    use crate::data::Task;
    use crate::model::{logistic, AnyModel, ModelParams};
    use crate::optim::{OptimizerKind, Schedule};
    use crate::session::Growth;
    use crate::state::{Edit, State};
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// serde_json's position suffix differs between the buffered and the streamed reader.
    fn without_position(e: serde_json::Error) -> String {
        let text = e.to_string();
        match text.find(" at line ") {
            Some(at) => text[..at].to_string(),
            None => text,
        }
    }

    /// The mismatches between type `T`'s reader and the fixture cases named `name`.
    fn mismatches<T: DeserializeOwned + Serialize>(name: &str) -> Vec<String> {
        let fixtures: serde_json::Value = serde_json::from_str(include_str!("../tests/fixtures/tagged.json")).unwrap();
        let cases = fixtures[name].as_array().unwrap_or_else(|| panic!("no fixtures for {name}"));
        assert!(!cases.is_empty());
        let mut wrong = Vec::new();
        for case in cases {
            let input = case["input"].as_str().unwrap();
            let now = match serde_json::from_str::<T>(input) {
                Ok(v) => serde_json::json!({ "reads_as": serde_json::to_string(&v).unwrap() }),
                Err(e) => serde_json::json!({ "error": without_position(e) }),
            };
            let expected = match (&case["reads_as"], &case["error"]) {
                (serde_json::Value::String(v), _) => serde_json::json!({ "reads_as": v }),
                // `{kinds}`: the registered model kinds, as serde lists them (a new family changes
                // no fixture)
                (_, serde_json::Value::String(e)) if e.contains("{kinds}") => {
                    let kinds: Vec<String> = crate::model::families().iter().map(|f| format!("`{}`", f.kind)).collect();
                    serde_json::json!({ "error": e.replace("{kinds}", &kinds.join(", ")) })
                }
                (_, e) => serde_json::json!({ "error": e }),
            };
            if now != expected {
                wrong.push(format!("{name} {input}\n  expected {expected}\n  now      {now}"));
            }
        }
        wrong
    }

    #[test]
    fn every_tagged_type_reads_as_recorded() {
        let wrong: Vec<String> = [
            mismatches::<Schedule>("Schedule"),
            mismatches::<OptimizerKind>("OptimizerKind"),
            mismatches::<logistic::Penalty>("Penalty"),
            mismatches::<crate::data::cleaning::ImputeStrategy>("ImputeStrategy"),
            mismatches::<crate::data::cleaning::OutlierRule>("OutlierRule"),
            mismatches::<crate::data::resample::Resampling>("Resampling"),
            mismatches::<Task>("Task"),
            mismatches::<Edit>("Edit"),
            mismatches::<Growth>("Growth"),
            mismatches::<ModelParams>("ModelParams"),
            mismatches::<AnyModel>("AnyModel"),
        ]
        .concat();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn a_model_file_reads_the_same_with_kind_anywhere() {
        let fixtures: serde_json::Value = serde_json::from_str(include_str!("../tests/fixtures/tagged.json")).unwrap();
        for case in fixtures["AnyModel"].as_array().unwrap().iter().filter(|c| c["reads_as"].is_string()) {
            let file = case["input"].as_str().unwrap();
            let value: serde_json::Value = serde_json::from_str(file).unwrap();
            let kind = value["kind"].as_str().unwrap();
            let rest = serde_json::to_string(&value).unwrap();
            let moved = format!(r#"{},"kind":"{kind}"}}"#, &rest[..rest.len() - 1]).replacen(
                &format!(r#""kind":"{kind}","#),
                "",
                1,
            );
            let back = serde_json::to_string(&serde_json::from_str::<AnyModel>(&moved).unwrap()).unwrap();
            assert_eq!(back, case["reads_as"].as_str().unwrap());
        }
        // serde's derive also read a tagged enum from an array (tag first); no one writes that.
        assert!(serde_json::from_str::<ModelParams>(r#"["linear"]"#)
            .unwrap_err()
            .to_string()
            .contains("expected internally tagged enum ModelParams"));
    }

    #[test]
    fn state_with_every_tagged_part_round_trips() {
        let json = r#"{"version":1,"data":{"kind":"moons","n":80},"edits":[{"op":"add","x":1,"y":2,"label":1},{"op":"remove","i":0}],
            "model":{"kind":"logistic","penalty":{"kind":"l1"},"train":{"optimizer":{"kind":"momentum","nesterov":true},"schedule":{"kind":"warmup","steps":5}}},"seed":4}"#;
        let state: State = serde_json::from_str(json).unwrap();
        assert_eq!(state.edits, vec![Edit::Add { x: 1.0, y: 2.0, label: Some(1) }, Edit::Remove { i: 0 }]);
        let ModelParams::Logistic(params) = &state.model else { panic!("not logistic: {:?}", state.model) };
        assert_eq!(params.penalty, logistic::Penalty::L1);
        assert_eq!(params.train.optimizer, OptimizerKind::Momentum { beta: 0.9, nesterov: true });
        assert_eq!(params.train.schedule, Schedule::Warmup { steps: 5 });
        let again: State = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
        assert_eq!(again, state);
    }
}
