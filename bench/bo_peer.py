"""The peers of the Bayesian-optimisation rows of bench/run.mjs (issue 13): scikit-optimize's
gp_minimize (its defaults: 10 random initial points, GP with Matérn 5/2, gp_hedge, lbfgs) and
Optuna's TPE (TPESampler(seed), its defaults) on Branin and Hartmann-6, one run of `calls`
evaluations per seed. For every run it prints the best value after each evaluation and the time
of each suggestion (from the end of one evaluation to the start of the next: everything but the
objective itself; CPU time of the process, BLAS on one thread), as JSON.

    python bo_peer.py <branin|hartmann6> <skopt|optuna> <calls> <seed,seed,…>

Installed by the bench into bench/.venv (pip install scikit-optimize optuna), not needed by npm test.
"""

import json
import math
import sys
import time

import numpy as np

A6 = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P6 = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)
ALPHA6 = np.array([1.0, 1.2, 3.0, 3.2])


def branin(x):
    x1, x2 = x
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(x):
    x = np.asarray(x, dtype=float)
    return float(-np.sum(ALPHA6 * np.exp(-np.sum(A6 * (x - P6) ** 2, axis=1))))


FUNCTIONS = {
    "branin": (branin, [(-5.0, 10.0), (0.0, 15.0)]),
    "hartmann6": (hartmann6, [(0.0, 1.0)] * 6),
}


class Recorder:
    """Wraps the objective: best-so-far after each call and the time between calls."""

    def __init__(self, f):
        self.f = f
        self.best = []
        self.suggest_ms = []
        self.last = time.process_time()

    def __call__(self, x):
        start = time.process_time()
        self.suggest_ms.append((start - self.last) * 1000)
        v = self.f([float(xi) for xi in x])
        self.best.append(v if not self.best else min(v, self.best[-1]))
        self.last = time.process_time()
        return v


def run_skopt(f, bounds, calls, seed):
    from skopt import gp_minimize

    rec = Recorder(f)
    rec.last = time.process_time()
    gp_minimize(rec, bounds, n_calls=calls, random_state=seed)
    return rec


def run_optuna(f, bounds, calls, seed):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rec = Recorder(f)

    def objective(trial):
        return rec([trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)])

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    rec.last = time.process_time()
    study.optimize(objective, n_trials=calls)
    return rec


def main():
    name, method, calls, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(s) for s in sys.argv[4].split(",")]
    f, bounds = FUNCTIONS[name]
    run = {"skopt": run_skopt, "optuna": run_optuna}[method]
    runs = []
    for seed in seeds:
        rec = run(f, bounds, calls, seed)
        runs.append({"seed": seed, "best": rec.best, "suggest_ms": rec.suggest_ms})
    print(json.dumps({"runs": runs}))


if __name__ == "__main__":
    main()
