// Batch predict (issue 15, "prediction speed for callers"): `model.predict` of 262,144 rows
// (512 × 512, two features, row-major Float64Array in, Float64Array out: what a caller of the JS
// API or the predict service pays, copies across the wasm boundary included) for every family,
// against scikit-learn's predict_proba (predict for regression and k-means) on the same rows with
// the same kind of model fitted on the same data, timed natively in the same run on one thread.
// Rows named "labels" time `model.predictLabels` (each row's class or cluster as a Uint32Array)
// against scikit-learn's `predict`. Target: ratio (ours / scikit-learn) ≤ 1 for every family. Medians after a warm-up; the machine
// is shared, expect ±30 % noise (more under load: BENCH_REPEATS=21 times 21 calls a side).
//   node bench/predict.mjs [--quick]          (BENCH_ONLY=predict npm run bench)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, Dataset, Model } from '../www/api.js';
import { mergeResults } from './results.mjs';
import { uniform, makeBlobs } from './data.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const repeats = Number(process.env.BENCH_REPEATS) || (quick ? 3 : 7);
await load();

/** y = 0.7 x₀ − 0.4 x₁ + 0.5 + noise on the same kind of points (the regression family). */
function makeLine(n, seed = 4) {
  const { x } = makeBlobs(n, seed);
  const rand = uniform(seed + 1);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.7 * x[2 * i] - 0.4 * x[2 * i + 1] + 0.5 + (rand() - 0.5);
  return { x, y, d: 2 };
}
/** The rows predicted: 512 × 512 uniform points over the blobs' range, row-major. */
function makeRows(n, seed = 9) {
  const rand = uniform(seed);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = rand() * 16 - 7;
    x[2 * i + 1] = rand() * 24 - 8;
  }
  return x;
}

function median(fn, k) {
  fn();
  const times = [];
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mlp-predict-'));
const venvPython = path.join(here, '.venv/bin/python');
const python = process.env.BENCH_PYTHON ?? (existsSync(venvPython) ? venvPython : 'python3');
const peerThreads = process.env.BENCH_PEER_THREADS ?? '1';
const peerEnv =
  peerThreads === '0' ? process.env : { ...process.env, OMP_NUM_THREADS: peerThreads, OPENBLAS_NUM_THREADS: peerThreads, MKL_NUM_THREADS: peerThreads };
let files = 0;
function writeFloats(...arrays) {
  const file = path.join(tmp, `f-${files++}.bin`);
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const buf = new Float64Array(total);
  let at = 0;
  for (const a of arrays) {
    buf.set(a, at);
    at += a.length;
  }
  writeFileSync(file, Buffer.from(buf.buffer));
  return file;
}

const side = 512;
const rows = makeRows(side * side);
const rowsFile = writeFloats(rows);
const mlpLayers = [8, 8];
// [name, our params, training points, data maker, classes (0: regression), peer's model]
const cases = [
  ['linear regression', { kind: 'linear' }, 1000, makeLine, 0, { family: 'linear' }],
  ['logistic regression', { kind: 'logistic' }, 1000, makeBlobs, 2, { family: 'logistic' }],
  ['decision tree (full depth)', { kind: 'tree' }, 10000, makeBlobs, 2, { family: 'tree' }],
  ['MLP (8, 8) relu', { kind: 'mlp', hidden_layers: mlpLayers.map((neurons) => ({ neurons, activation: 'relu' })), max_epochs: 20 }, 1000, makeBlobs, 2, { family: 'mlp', hidden: mlpLayers, epochs: 20 }],
  ['k-NN k 5', { kind: 'knn' }, 1000, makeBlobs, 2, { family: 'knn' }],
  ['naive Bayes', { kind: 'naive_bayes' }, 10000, makeBlobs, 2, { family: 'naive_bayes' }],
  ['random forest 100 trees depth 8', { kind: 'forest', max_depth: 8 }, 10000, makeBlobs, 2, { family: 'forest', max_depth: 8 }],
  ['gradient boosting 100 stages depth 3', { kind: 'boosting' }, 10000, makeBlobs, 2, { family: 'boosting' }],
  ['SVC rbf C 1 (Platt probabilities)', { kind: 'svm', kernel: 'rbf', c: 1 }, 1000, makeBlobs, 2, { family: 'svm' }],
  ['k-means k 5', { kind: 'kmeans', n_clusters: 5 }, 10000, makeBlobs, 0, { family: 'kmeans', k: 5 }],
  // labels (`predictLabels`, a Uint32Array: scikit-learn's `predict`) rather than one column per class
  ['k-means k 5, labels', { kind: 'kmeans', n_clusters: 5 }, 10000, makeBlobs, 0, { family: 'kmeans', k: 5 }, true],
  ['logistic regression, labels', { kind: 'logistic' }, 1000, makeBlobs, 2, { family: 'logistic', call: 'predict' }, true],
];

const out = [];
for (const [name, params, n, make, classes, peerParams, labels] of cases) {
  if (process.env.BENCH_FAMILY && !name.includes(process.env.BENCH_FAMILY)) continue;
  const data = make(n);
  const ds = classes ? Dataset.fromArrays(data.x, 2, data.y, classes) : Dataset.fromArrays(data.x, 2, data.y);
  const m = new Model(params, 1);
  m.fit(ds);
  let width = 0;
  const ours = median(() => {
    const p = labels ? m.predictLabels(rows, 2) : m.predict(rows, 2);
    width = p.length / (side * side);
  }, repeats);
  m.free();
  ds.free();
  const dataFile = writeFloats(data.x, data.y);
  const args = [path.join(here, 'peer.py'), 'predict_rows', dataFile, '2', String(repeats), JSON.stringify({ ...peerParams, rows_file: rowsFile })];
  let peer = null;
  try {
    peer = JSON.parse(execFileSync(python, args, { encoding: 'utf8', env: peerEnv }));
  } catch (err) {
    console.log(`[bench] ${name}: scikit-learn failed: ${String(err).split('\n')[0]}`);
  }
  const ratio = peer ? ours / peer.median_ms : null;
  const row = {
    task: `predict ${side}×${side} rows: ${name}`,
    n: side * side,
    ours_ms: +ours.toFixed(3),
    peer: peer ? `sklearn ${peer.peer_call}` : null,
    peer_ms: peer ? +peer.median_ms.toFixed(3) : null,
    ratio: ratio == null ? null : +ratio.toFixed(3),
    outputs_per_row: width,
    runs: repeats,
    target_ratio: 1,
  };
  out.push(row);
  const verdict = ratio == null ? '' : ratio <= 1 ? ' ✓' : ' ✗';
  console.log(`${row.task.padEnd(62)} ours ${ours.toFixed(2).padStart(8)} ms  ${row.peer ?? ''} ${peer ? peer.median_ms.toFixed(2) : '–'} ms  ratio ${ratio == null ? '–' : ratio.toFixed(2)}×${verdict}`);
}
rmSync(tmp, { recursive: true, force: true });
mergeResults(out);
