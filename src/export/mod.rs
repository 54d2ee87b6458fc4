//! A trained model leaves the playground in formats other tools load: ONNX (`onnx.rs`, its
//! protobuf messages in `proto.rs`) and a Python script (`python.rs`). Above `model` and `pipeline`: it reads a trained model and
//! the preparation fitted before it, and writes them out.

pub mod onnx;
pub(crate) mod proto;
pub mod python;
