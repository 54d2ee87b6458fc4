"""Runs exported ONNX models in onnxruntime (tests/onnx.rs writes the cases): for each case, the
model file, its input rows and what ml-playground's predict gave; prints the largest absolute
difference per case as JSON."""
import json
import sys

import numpy as np
import onnxruntime as ort

cases = json.load(open(sys.argv[1]))
result = {}
for case in cases:
    session = ort.InferenceSession(case["file"], providers=["CPUExecutionProvider"])
    x = np.array(case["x"], dtype=np.float32).reshape(-1, case["d"])
    (y,) = session.run(["Y"], {"X": x})
    expected = np.array(case["expected"], dtype=np.float64).reshape(y.shape)
    result[case["name"]] = float(np.max(np.abs(y.astype(np.float64) - expected)))
print(json.dumps(result))
