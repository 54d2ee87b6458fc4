"""The peer side of the benchmarks: scikit-learn, timed natively on the same data.

    python3 bench/peer.py TASK DATA_FILE N_FEATURES REPEATS

DATA_FILE holds float64 little-endian values: n rows of N_FEATURES features, then n targets.
Prints the median time in milliseconds of REPEATS runs (after one warm-up run) as JSON.
"""
import json
import statistics
import sys
import time

import numpy as np


def tasks():
    from sklearn.linear_model import LinearRegression

    return {
        "linear_fit": lambda x, y: LinearRegression().fit(x, y),
    }


def main():
    task, path, n_features, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    raw = np.fromfile(path, dtype="<f8")
    n = raw.size // (n_features + 1)
    x = raw[: n * n_features].reshape(n, n_features)
    y = raw[n * n_features :]
    fn = tasks()[task]
    fn(x, y)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(x, y)
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"median_ms": statistics.median(times), "runs": repeats}))


if __name__ == "__main__":
    main()
