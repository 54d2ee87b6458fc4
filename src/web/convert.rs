//! Between JS values and core types: errors as JS `Error`s with their code and values, serde
//! values, typed arrays for per-point data, options with unknown keys refused, model files.

use crate::error::Error;
use crate::model::file::ModelFile;
use crate::render::sigmoid::SigmoidScene;
use crate::render::Scene;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A JS `Error` carrying the learner-facing message and the error kind.
pub(super) fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("MlPlaygroundError");
    let _ = js_sys::Reflect::set(&err, &"kind".into(), &e.kind().into());
    // The code and values, for the page to word the message in the learner's language.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
    if let Ok(values) = e.msg().values.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        let _ = js_sys::Reflect::set(&err, &"values".into(), &values);
    }
    err.into()
}

pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| {
        js_error(err!(
            InvalidInput,
            "internal",
            detail = format!("could not convert a value for JavaScript: {e}", e = e)
        ))
    })
}

pub(super) fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| unreadable(what, e))
}

/// `what` (a code: `state`, `model_params`, … worded by the page as `err.what.<code>`) could not
/// be read, for serde's reason `e` (a code too: [`crate::error::serde_reason`]).
pub(super) fn unreadable(what: &str, e: impl std::fmt::Display) -> JsValue {
    js_error(err!(
        InvalidInput,
        "unreadable",
        what = what_msg(what),
        reason = crate::error::serde_reason(&e.to_string())
    ))
}

/// What was being read, as a message of its own (`what.<code>`: "the playground state").
pub(super) fn what_msg(what: &str) -> crate::error::Msg {
    crate::error::Msg::new(&format!("what.{what}"), vec![])
}

/// Sets `obj[key] = value` on an object `JSON.parse` made (cannot fail on one).
pub(super) fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &key.into(), value);
}

/// Takes the per-point arrays out of `obj` (a copy of it, `obj` is not changed) for reading
/// them as typed arrays; the copy holds `[]` in their place.
pub(super) fn take_arrays(obj: &JsValue, keys: &[&str], what: &str) -> Result<(JsValue, Vec<JsValue>), JsValue> {
    if !obj.is_object() {
        return Err(js_error(err!(
            InvalidInput,
            "unreadable",
            what = what_msg(what),
            reason = crate::error::Msg::new("not_object", vec![])
        )));
    }
    let copy: JsValue = js_sys::Object::assign(&js_sys::Object::new(), obj.unchecked_ref()).into();
    let mut arrays = Vec::with_capacity(keys.len());
    for key in keys {
        arrays.push(js_sys::Reflect::get(&copy, &(*key).into()).unwrap_or(JsValue::UNDEFINED));
        set(&copy, key, &js_sys::Array::new());
    }
    Ok((copy, arrays))
}

/// Whether `value` is a list: an `Array` or a typed array.
pub(super) fn is_list(value: &JsValue, what: &str, key: &str) -> Result<bool, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(false)
    } else if js_sys::Array::is_array(value) || js_sys::ArrayBuffer::is_view(value) {
        Ok(true)
    } else {
        Err(js_error(err!(
            InvalidInput,
            "unreadable",
            what = what_msg(what),
            reason = crate::error::Msg::new("not_numbers", vec![("field", key.into())])
        )))
    }
}

/// A list of numbers (a `Float64Array`, another typed array, or an `Array`; entries that are not
/// numbers read as NaN); missing reads as empty.
pub(super) fn f64s(value: &JsValue, what: &str, key: &str) -> Result<Vec<f64>, JsValue> {
    Ok(match value.dyn_ref::<js_sys::Float64Array>() {
        Some(typed) => typed.to_vec(),
        None if is_list(value, what, key)? => js_sys::Float64Array::new(value).to_vec(),
        None => Vec::new(),
    })
}

/// A list of small whole numbers (a `Uint8Array`, another typed array or an `Array`; entries
/// are taken modulo 256); missing reads as empty.
pub(super) fn u8s(value: &JsValue, what: &str, key: &str) -> Result<Vec<u8>, JsValue> {
    Ok(match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(typed) => typed.to_vec(),
        None if is_list(value, what, key)? => js_sys::Uint8Array::new(value).to_vec(),
        None => Vec::new(),
    })
}

/// The per-point arrays of a [`Scene`], passed as typed arrays (copied in one go, where a JS
/// array costs a call per number).
const SCENE_ARRAYS: [&str; 5] = ["xs", "ys", "fitted", "roles", "classes"];

pub(super) fn scene_to_js(mut scene: Scene) -> Result<JsValue, JsValue> {
    let xs = std::mem::take(&mut scene.xs);
    let ys = std::mem::take(&mut scene.ys);
    let fitted = std::mem::take(&mut scene.fitted);
    let roles = std::mem::take(&mut scene.roles);
    let classes = std::mem::take(&mut scene.classes);
    let obj = to_js(&scene)?;
    set(&obj, "xs", &js_sys::Float64Array::from(&xs[..]));
    set(&obj, "ys", &js_sys::Float64Array::from(&ys[..]));
    set(&obj, "fitted", &js_sys::Float64Array::from(&fitted[..]));
    set(&obj, "roles", &js_sys::Uint8Array::from(&roles[..]));
    set(&obj, "classes", &js_sys::Uint8Array::from(&classes[..]));
    Ok(obj)
}

pub(super) fn scene_from_js(value: &JsValue) -> Result<Scene, JsValue> {
    const WHAT: &str = "scene";
    let (rest, arrays) = take_arrays(value, &SCENE_ARRAYS, WHAT)?;
    let mut scene: Scene = from_js(rest, WHAT)?;
    scene.xs = f64s(&arrays[0], WHAT, "xs")?;
    scene.ys = f64s(&arrays[1], WHAT, "ys")?;
    scene.fitted = f64s(&arrays[2], WHAT, "fitted")?;
    scene.roles = u8s(&arrays[3], WHAT, "roles")?;
    scene.classes = u8s(&arrays[4], WHAT, "classes")?;
    Ok(scene)
}

/// The per-point arrays of the sigmoid view, as in the scene.
const SIGMOID_ARRAYS: [&str; 3] = ["z", "roles", "classes"];

pub(super) fn sigmoid_to_js(mut sigmoid: SigmoidScene) -> Result<JsValue, JsValue> {
    let z = std::mem::take(&mut sigmoid.z);
    let roles = std::mem::take(&mut sigmoid.roles);
    let classes = std::mem::take(&mut sigmoid.classes);
    let obj = to_js(&sigmoid)?;
    set(&obj, "z", &js_sys::Float64Array::from(&z[..]));
    set(&obj, "roles", &js_sys::Uint8Array::from(&roles[..]));
    set(&obj, "classes", &js_sys::Uint8Array::from(&classes[..]));
    Ok(obj)
}

pub(super) fn sigmoid_from_js(value: &JsValue) -> Result<SigmoidScene, JsValue> {
    const WHAT: &str = "sigmoid_view";
    let (rest, arrays) = take_arrays(value, &SIGMOID_ARRAYS, WHAT)?;
    let mut sigmoid: SigmoidScene = from_js(rest, WHAT)?;
    sigmoid.z = f64s(&arrays[0], WHAT, "z")?;
    sigmoid.roles = u8s(&arrays[1], WHAT, "roles")?;
    sigmoid.classes = u8s(&arrays[2], WHAT, "classes")?;
    Ok(sigmoid)
}

/// A model file from its JSON text or the object `JSON.parse` made of it (not yet checked).
pub(super) fn read_model_file(value: JsValue) -> Result<ModelFile, JsValue> {
    let value = match value.as_string() {
        Some(text) => js_sys::JSON::parse(&text).map_err(|_| js_error(err!(InvalidInput, "model_file_json")))?,
        None => value,
    };
    from_js(value, "model_file")
}

/// Options read from JS, `undefined` or `null` taking every default; a key not in `known` is
/// refused with a message naming it (and the key meant, for a near miss).
pub(super) fn options_from_js<T: DeserializeOwned + Default>(
    value: JsValue,
    known: &'static [&'static str],
    what: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if value.is_object() {
        let object: &js_sys::Object = value.unchecked_ref();
        for key in js_sys::Object::keys(object).iter().filter_map(|k| k.as_string()) {
            if !known.contains(&key.as_str()) {
                let e: serde::de::value::Error = crate::tagged::unknown_field(&key, known);
                return Err(unreadable(what, e));
            }
        }
    }
    from_js(value, what)
}
