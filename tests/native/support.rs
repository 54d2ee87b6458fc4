//! Runs a python3 script with `input` as JSON on its stdin and reads its stdout as JSON: the
//! independent reference (numpy, scikit-learn) of the native tests that compare with it.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

pub fn python(script: &str, input: &Value) -> Value {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (scripts/setup.sh --test installs numpy and scikit-learn)");
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A python3 script for [`python`] (the compression export tests): runs each case's ONNX file in
/// onnxruntime and its script's `predict` in numpy on its rows; prints, per case, the largest
/// |difference| from what the session predicted.
pub const ONNX_AND_PYTHON: &str = r#"
import json, sys, numpy as np, onnxruntime as ort
out = {}
for case in json.load(sys.stdin):
    x = np.array(case["x"], dtype=np.float64).reshape(-1, case["d"])
    expected = np.array(case["expected"], dtype=np.float64)
    session = ort.InferenceSession(case["onnx"], providers=["CPUExecutionProvider"])
    y = session.run(["Y"], {"X": x.astype(np.float32)})[0].astype(np.float64)
    scope = {"__name__": "exported"}
    exec(case["python"], scope)
    p = np.asarray(scope["predict"](x), dtype=np.float64)
    out[case["name"]] = {
        "onnx": float(np.max(np.abs(y.reshape(-1) - expected))),
        "python": float(np.max(np.abs(p.reshape(-1) - expected))),
    }
print(json.dumps(out))
"#;

/// One case of [`ONNX_AND_PYTHON`]: the session's compressed model written as ONNX to `file`, its
/// Python script, the rows `x` and what the session predicted on them (`expected`).
pub fn compressed_case(
    s: &ml_playground::session::Session,
    name: &str,
    file: &std::path::Path,
    x: &nalgebra::DMatrix<f64>,
    expected: &nalgebra::DMatrix<f64>,
) -> Value {
    std::fs::write(file, s.compressed_to_onnx().unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
    serde_json::json!({
        "name": name, "onnx": file, "d": x.ncols(),
        "x": x.transpose().as_slice(),
        "expected": expected.transpose().as_slice(),
        "python": s.compressed_to_python().unwrap_or_else(|e| panic!("{name}: {e}")),
    })
}
