"""Runs exported ONNX models in onnxruntime (tests/native/onnx.rs writes the cases): for each case, the
model file, its input rows, what ml-playground's predict gave and, for extra outputs (k-means'
label and distance, the SVM's decision), what they should hold; prints the largest absolute
difference per case (and per extra output, as "name · output", relative to max(1, |value|): the
float32 output of a decision value of 100 is only good to 1e-5 absolute) as JSON."""
import json
import sys

import numpy as np
import onnxruntime as ort

cases = json.load(open(sys.argv[1]))
result = {}
for case in cases:
    session = ort.InferenceSession(case["file"], providers=["CPUExecutionProvider"])
    x = np.array(case["x"], dtype=np.float32).reshape(-1, case["d"])
    extra = case.get("extra", {})
    names = ["Y", *extra]
    outputs = dict(zip(names, session.run(names, {"X": x})))
    y = outputs["Y"]
    expected = np.array(case["expected"], dtype=np.float64).reshape(y.shape)
    result[case["name"]] = float(np.max(np.abs(y.astype(np.float64) - expected)))
    for name, want in extra.items():
        got = outputs[name].astype(np.float64)
        want = np.array(want, dtype=np.float64).reshape(got.shape)
        result[case["name"] + " · " + name] = float(np.max(np.abs(got - want) / np.maximum(1, np.abs(want))))
print(json.dumps(result))
