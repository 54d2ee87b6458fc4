#!/usr/bin/env bash
# Benchmarks (npm run bench): the wasm under Node against scikit-learn on the same data in the same
# run (and TensorFlow Playground's engine, scikit-optimize and Optuna), the wasm size, and the page's
# frame time in headless Chromium, its load time (bench/load.mjs) and batch predict against
# scikit-learn (bench/predict.mjs). Writes bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if ! python3 -c 'import sklearn, numpy' 2>/dev/null; then
  echo "[bench] installing scikit-learn from PyPI (the peer the figures are compared with)" >&2
  python3 -m pip install --quiet scikit-learn numpy
fi
# The Bayesian-optimisation rows' peers (scikit-optimize's gp_minimize, Optuna's TPE), in a venv of
# the bench's own that also sees the system's numpy / scikit-learn; npm test does not need them.
if ! bench/.venv/bin/python -c 'import skopt, optuna' 2>/dev/null; then
  echo "[bench] installing scikit-optimize and Optuna from PyPI into bench/.venv" >&2
  python3 -m venv --system-site-packages bench/.venv &&
    bench/.venv/bin/pip install --quiet scikit-optimize optuna ||
    echo "[bench] could not install them: the Bayesian-optimisation rows run without peers" >&2
fi
bash scripts/build.sh
# BENCH_ONLY=load: only the page's load times (bench/load.mjs); BENCH_ONLY=memory: per-element memory of
# eight embeds (bench/memory.mjs); BENCH_ONLY=predict: only batch
# predict against scikit-learn (bench/predict.mjs). Other BENCH_ONLY values pick rows of run.mjs
# (BENCH_ONLY=fits: the fit rows of k-NN, naive Bayes, forest, boosting and k-means; BENCH_FIT=forest
# narrows them to one family).
case "${BENCH_ONLY:-}" in
  load) exec node bench/load.mjs "$@" ;;
  predict) exec node bench/predict.mjs "$@" ;;
  memory) exec node bench/memory.mjs "$@" ;;
esac
node bench/run.mjs "$@"
node bench/page.mjs "$@"
if [ -z "${BENCH_ONLY:-}" ]; then
  node bench/predict.mjs "$@"
  node bench/load.mjs "$@"
  node bench/memory.mjs "$@"
fi
