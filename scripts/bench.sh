#!/usr/bin/env bash
# Benchmarks (npm run bench): the wasm under Node against scikit-learn on the same data in the same
# run, the wasm size, and the page's frame time in headless Chromium. Writes bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if ! python3 -c 'import sklearn, numpy' 2>/dev/null; then
  echo "[bench] installing scikit-learn from PyPI (the peer the figures are compared with)" >&2
  python3 -m pip install --quiet scikit-learn numpy
fi
bash scripts/build.sh
node bench/run.mjs "$@"
node bench/page.mjs "$@"
