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
