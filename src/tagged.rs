//! Lean serde plumbing for internally tagged JSON (`{"kind": "mlp", ...}`), to keep the wasm small.
//!
//! serde's derive for `#[serde(tag = "...")]` buffers the object into its private `Content` and
//! compiles every nested type's deserialiser once more against it; that was the largest single
//! share of the wasm. Instead:
//! - small tagged enums (`Schedule`, `OptimizerKind`, `Edit`, ...) read a flat struct of optional
//!   fields and build the variant from it (see [`required`]);
//! - the registry enums (`ModelParams`, `AnyModel`) buffer into a [`Value`] (only what JSON has)
//!   and read the variant back through [`ValueDeserializer`], a deserialiser with few code paths.
//!
//! The JSON format is unchanged, the tag may stand anywhere in the object, unknown fields are
//! ignored as before, and the error texts are serde's (`missing field`, `unknown variant`).

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
    match Value::deserialize(deserializer)? {
        Value::Map(mut entries) => match entries.iter().position(|(key, _)| key == tag) {
            Some(at) => match entries.remove(at) {
                (_, kind @ Value::String(_)) => {
                    Ok((ValueDeserializer::new(kind), ValueDeserializer::new(Value::Map(entries))))
                }
                (_, other) => Err(de::Error::invalid_type(other.unexpected(), &"variant identifier")),
            },
            None => Err(de::Error::missing_field(tag)),
        },
        other => Err(de::Error::invalid_type(other.unexpected(), &expecting)),
    }
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

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
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

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, E> {
        match self.value {
            Some(value) => ValueDeserializer::new(value).deserialize_map(visitor),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"struct variant")),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The hand-written readers must accept and refuse exactly what serde's own derive
    //! (`#[serde(tag = ...)]`, as the types had it before) accepted and refused.
    use crate::data::Task;
    use crate::model::{linear, logistic, mlp, tree, AnyModel, Hyperparams, Model, ModelParams};
    use crate::optim::{OptimizerKind, Schedule};
    use crate::session::Growth;
    use crate::state::{Edit, State};
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// The types as they were declared before, read by serde's derive (same names, so that the
    /// error texts match).
    mod old {
        use serde::{Deserialize, Serialize};

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Schedule {
            Constant,
            Step { every: usize, gamma: f64 },
            Exponential { gamma: f64 },
            Cosine { period: usize, min_fraction: f64 },
            Warmup { steps: usize },
        }

        fn default_beta() -> f64 {
            0.9
        }
        fn default_beta2() -> f64 {
            0.999
        }
        fn default_epsilon() -> f64 {
            1e-8
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum OptimizerKind {
            Sgd,
            Momentum {
                #[serde(default = "default_beta")]
                beta: f64,
                #[serde(default)]
                nesterov: bool,
            },
            Adam {
                #[serde(default = "default_beta")]
                beta1: f64,
                #[serde(default = "default_beta2")]
                beta2: f64,
                #[serde(default = "default_epsilon")]
                epsilon: f64,
            },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Penalty {
            None,
            L1,
            L2,
            ElasticNet { l1_ratio: f64 },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Task {
            Regression,
            Classification { n_classes: usize },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "op", rename_all = "snake_case")]
        pub enum Edit {
            Add {
                x: f64,
                y: f64,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                label: Option<usize>,
            },
            Remove {
                i: usize,
            },
            Move {
                i: usize,
                x: f64,
                y: f64,
            },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum ImputeStrategy {
            DropRows,
            Mean,
            Median,
            MostFrequent,
            Knn { neighbours: usize },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum OutlierRule {
            ZScore { threshold: f64 },
            Iqr { factor: f64 },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Resampling {
            None,
            Under,
            Over,
            Smote { neighbours: usize },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "op", rename_all = "snake_case")]
        pub enum Growth {
            Neuron { layer: usize },
            Layer { after: usize },
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum ModelParams {
            Linear(crate::model::linear::LinearParams),
            Logistic(crate::model::logistic::LogisticParams),
            Mlp(crate::model::mlp::MlpParams),
            Tree(crate::model::tree::TreeParams),
        }

        #[derive(Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum AnyModel {
            Linear(crate::model::linear::LinearRegression),
            Logistic(crate::model::logistic::LogisticRegression),
            Mlp(crate::model::mlp::Mlp),
            Tree(crate::model::tree::DecisionTree),
        }
    }

    /// serde_json's position suffix differs between the buffered and the streamed reader.
    fn without_position(e: serde_json::Error) -> String {
        let text = e.to_string();
        match text.find(" at line ") {
            Some(at) => text[..at].to_string(),
            None => text,
        }
    }

    /// Both read `json` to the same value (compared as re-serialised JSON) or both refuse it with
    /// the same message.
    fn agree<Old: DeserializeOwned + Serialize, New: DeserializeOwned + Serialize>(json: &str) {
        let old = serde_json::from_str::<Old>(json).map(|v| serde_json::to_string(&v).unwrap());
        let new = serde_json::from_str::<New>(json).map(|v| serde_json::to_string(&v).unwrap());
        match (old, new) {
            (Ok(old), Ok(new)) => assert_eq!(old, new, "{json}"),
            (Err(old), Err(new)) => assert_eq!(without_position(old), without_position(new), "{json}"),
            (old, new) => panic!("{json}: before {old:?}, now {new:?}"),
        }
    }

    #[test]
    fn small_tagged_enums_read_as_serde_derive_did() {
        for json in [
            r#"{"kind":"constant"}"#,
            r#"{"kind":"constant","gamma":0.5}"#,
            r#"{"kind":"step","every":100,"gamma":0.5}"#,
            r#"{"gamma":0.5,"every":100,"kind":"step"}"#,
            r#"{"kind":"step","every":100}"#,
            r#"{"kind":"step","gamma":0.5}"#,
            r#"{"kind":"step","every":-1,"gamma":0.5}"#,
            r#"{"kind":"exponential","gamma":0.995}"#,
            r#"{"kind":"cosine","period":1000,"min_fraction":0.05}"#,
            r#"{"kind":"cosine","period":1000}"#,
            r#"{"kind":"warmup","steps":200}"#,
            r#"{"kind":"warmup","steps":"many"}"#,
            r#"{"kind":"linear"}"#,
            r#"{"every":100}"#,
            r#"{}"#,
        ] {
            agree::<old::Schedule, Schedule>(json);
        }
        for json in [
            r#"{"kind":"sgd"}"#,
            r#"{"kind":"momentum"}"#,
            r#"{"kind":"momentum","beta":0.5,"nesterov":true}"#,
            r#"{"nesterov":true,"kind":"momentum"}"#,
            r#"{"kind":"adam"}"#,
            r#"{"kind":"adam","beta1":0.8,"beta2":0.99,"epsilon":1e-6}"#,
            r#"{"kind":"adam","beta2":0.99}"#,
            r#"{"kind":"adam","beta1":"x"}"#,
            r#"{"kind":"rmsprop"}"#,
        ] {
            agree::<old::OptimizerKind, OptimizerKind>(json);
        }
        for json in [
            r#"{"kind":"none"}"#,
            r#"{"kind":"l1"}"#,
            r#"{"kind":"l2"}"#,
            r#"{"kind":"elastic_net","l1_ratio":0.25}"#,
            r#"{"kind":"elastic_net"}"#,
            r#"{"kind":"L2"}"#,
        ] {
            agree::<old::Penalty, logistic::Penalty>(json);
        }
        for json in [
            r#"{"kind":"drop_rows"}"#,
            r#"{"kind":"mean"}"#,
            r#"{"kind":"median","neighbours":3}"#,
            r#"{"kind":"most_frequent"}"#,
            r#"{"kind":"knn","neighbours":5}"#,
            r#"{"neighbours":5,"kind":"knn"}"#,
            r#"{"kind":"knn"}"#,
            r#"{"kind":"knn","neighbours":-2}"#,
            r#"{"kind":"mode"}"#,
            r#"{}"#,
        ] {
            agree::<old::ImputeStrategy, crate::data::cleaning::ImputeStrategy>(json);
        }
        for json in [
            r#"{"kind":"z_score","threshold":3}"#,
            r#"{"threshold":2.5,"kind":"z_score"}"#,
            r#"{"kind":"iqr","factor":1.5}"#,
            r#"{"kind":"iqr"}"#,
            r#"{"kind":"z_score","factor":1.5}"#,
            r#"{"kind":"iqr","factor":"wide"}"#,
            r#"{"kind":"mad","factor":1}"#,
            r#"3"#,
        ] {
            agree::<old::OutlierRule, crate::data::cleaning::OutlierRule>(json);
        }
        for json in [
            r#"{"kind":"none"}"#,
            r#"{"kind":"under"}"#,
            r#"{"kind":"over"}"#,
            r#"{"kind":"smote","neighbours":5}"#,
            r#"{"neighbours":5,"kind":"smote"}"#,
            r#"{"kind":"smote"}"#,
            r#"{"kind":"smote","neighbours":1.5}"#,
            r#"{"kind":"adasyn"}"#,
        ] {
            agree::<old::Resampling, crate::data::resample::Resampling>(json);
        }
        for json in [
            r#"{"kind":"regression"}"#,
            r#"{"kind":"classification","n_classes":3}"#,
            r#"{"n_classes":3,"kind":"classification"}"#,
            r#"{"kind":"classification"}"#,
        ] {
            agree::<old::Task, Task>(json);
        }
        for json in [
            r#"{"op":"add","x":1.5,"y":-2}"#,
            r#"{"op":"add","x":1.5,"y":-2,"label":1}"#,
            r#"{"op":"add","x":1.5,"y":-2,"label":null}"#,
            r#"{"x":1.5,"y":-2,"op":"add"}"#,
            r#"{"op":"add","x":1.5}"#,
            r#"{"op":"remove","i":7}"#,
            r#"{"op":"remove","i":-7}"#,
            r#"{"op":"move","i":3,"x":0,"y":1}"#,
            r#"{"op":"move","x":0,"y":1}"#,
            r#"{"op":"paint"}"#,
            r#"{"kind":"add","x":1,"y":2}"#,
        ] {
            agree::<old::Edit, Edit>(json);
        }
        for json in
            [r#"{"op":"neuron","layer":1}"#, r#"{"op":"layer","after":0}"#, r#"{"op":"layer"}"#, r#"{"op":"prune"}"#]
        {
            agree::<old::Growth, Growth>(json);
        }
    }

    #[test]
    fn registry_reads_as_serde_derive_did() {
        for json in [
            r#"{"kind":"linear"}"#,
            r#"{"kind":"linear","degree":3,"ridge":0.01,"solver":"gradient_descent"}"#,
            r#"{"degree":3,"kind":"linear","ridge":0.01}"#,
            r#"{"ridge":0.01,"degree":3,"kind":"linear"}"#,
            r#"{"kind":"linear","degree":"three"}"#,
            r#"{"kind":"linear","solver":"qr"}"#,
            r#"{"kind":"linear","train":{"learning_rate":0.1,"optimizer":{"kind":"adam","beta1":0.8},"schedule":{"kind":"step","every":10,"gamma":0.5}}}"#,
            r#"{"kind":"linear","train":{"schedule":{"kind":"step","every":10}}}"#,
            r#"{"kind":"logistic","penalty":{"kind":"elastic_net","l1_ratio":0.5},"features":{"x1_squared":true},"solver":"gradient"}"#,
            r#"{"kind":"mlp","hidden_layers":[{"neurons":4,"activation":"relu"},{"neurons":3}],"loss":"mse","grow_on_plateau":{"patience":20}}"#,
            r#"{"kind":"mlp","loss":null,"grow_on_plateau":null}"#,
            r#"{"kind":"mlp","hidden_layers":{"neurons":4}}"#,
            r#"{"kind":"mlp","hidden_layers":[{"activation":"swish"}]}"#,
            r#"{"kind":"tree","criterion":"entropy","max_depth":3,"max_leaf_nodes":null,"class_weight":"balanced"}"#,
            r#"{"kind":"tree","class_weight":{"weights":[1,2.5]}}"#,
            r#"{"kind":"tree","class_weight":{"weights":[1,2.5],"extra":1}}"#,
            r#"{"kind":"tree","class_weight":"uniform"}"#,
            r#"{"kind":"tree","class_weight":null}"#,
            r#"{"kind":"logistic","class_weight":"balanced"}"#,
            r#"{"class_weight":{"weights":[1,3]},"kind":"logistic","penalty":{"kind":"l1"}}"#,
            r#"{"kind":"logistic","class_weight":{"weights":"heavy"}}"#,
            r#"{"kind":"mlp","class_weight":{"weights":[1,2.5,0.5]},"hidden_layers":[{"neurons":4}]}"#,
            r#"{"kind":"mlp","class_weight":"balanced","loss":"mse"}"#,
            r#"{"kind":"mlp","class_weight":"even"}"#,
            r#"{"kind":"tree","max_depth":-1}"#,
            r#"{"kind":"tree","min_samples_leaf":1.5}"#,
            r#"{"kind":"quantum"}"#,
            r#"{"kind":3}"#,
            r#"{"kind":0}"#,
            r#"{"kind":null}"#,
            r#"{"degree":3}"#,
            r#""linear""#,
        ] {
            agree::<old::ModelParams, ModelParams>(json);
        }
        // serde's derive also read a tagged enum from an array (tag first); no one writes that.
        assert!(serde_json::from_str::<ModelParams>(r#"["linear"]"#)
            .unwrap_err()
            .to_string()
            .contains("expected internally tagged enum ModelParams"));
    }

    #[test]
    fn model_files_read_as_serde_derive_did() {
        let data = crate::data::generate::generate(&crate::data::generate::DataSpec::default()).unwrap();
        let mut files = Vec::new();
        for params in [
            ModelParams::Linear(linear::LinearParams { degree: 2, ..Default::default() }),
            ModelParams::Mlp(mlp::MlpParams::default()),
            ModelParams::Tree(tree::TreeParams { max_depth: Some(2), ..Default::default() }),
        ] {
            let untrained = params.build(3).unwrap();
            files.push(serde_json::to_string(&untrained).unwrap());
            let mut trained = untrained;
            trained.fit(&data).unwrap();
            files.push(serde_json::to_string(&trained).unwrap());
        }
        files.push(
            serde_json::to_string(&AnyModel::Logistic(logistic::LogisticParams::default().build(1).unwrap())).unwrap(),
        );
        for file in &files {
            agree::<old::AnyModel, AnyModel>(file);
            // The same file with `kind` moved to the end.
            let value: serde_json::Value = serde_json::from_str(file).unwrap();
            let kind = value["kind"].as_str().unwrap();
            let rest = serde_json::to_string(&value).unwrap();
            let moved = format!(r#"{},"kind":"{kind}"}}"#, &rest[..rest.len() - 1]).replacen(
                &format!(r#""kind":"{kind}","#),
                "",
                1,
            );
            assert_ne!(&moved, file);
            agree::<old::AnyModel, AnyModel>(&moved);
            let back = serde_json::to_string(&serde_json::from_str::<AnyModel>(&moved).unwrap()).unwrap();
            assert_eq!(&back, file);
        }
        // A damaged file is refused the same way.
        agree::<old::AnyModel, AnyModel>(
            &files[1].replace(r#""kind":"linear""#, r#""kind":"linear","weights":"none""#),
        );
        agree::<old::AnyModel, AnyModel>(r#"{"kind":"tree"}"#);
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
