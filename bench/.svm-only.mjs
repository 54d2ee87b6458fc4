// Benchmarks: the project's wasm (under Node) against scikit-learn (native, same data, same run),
// printed side by side as ratios and written to bench/results.json as
//   [{ task, n, ours_ms, peer, peer_ms, ratio, …extra }]
// (ratio = ours / peer: below 1 we are faster). Times are medians of repeated runs after a warm-up.
// Extra fields: logistic fits carry both final objectives (ours_loss, peer_loss), MLP fits both
// held-out accuracies (ours_accuracy, peer_accuracy), tree fits both trees' sizes. For the grid
// rows n is the number of grid points (512 × 512). The machine is shared: expect ±30 % noise.
//   node bench/run.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, Dataset, Model, crossValidate } from '../www/api.js';
import { mergeResults } from './results.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
await load();

/** Deterministic data: n points, d features in [-5, 5], y = Σ 0.7 x + 0.5 + noise. */
function makeData(n, d, seed = 1) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0.5;
    for (let j = 0; j < d; j++) {
      const v = rand() * 10 - 5;
      x[i * d + j] = v;
      t += 0.7 * v;
    }
    y[i] = t + (rand() - 0.5);
  }
  return { x, y, d };
}

function median(fn, repeats) {
  fn();
  const times = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mlp-bench-'));
let files = 0;
/** Writes `data` (x row-major, then y) as float64 for peer.py; returns the file's path. */
function writeData(data) {
  const file = path.join(tmp, `data-${files++}.bin`);
  const buf = new Float64Array(data.x.length + data.y.length);
  buf.set(data.x);
  buf.set(data.y, data.x.length);
  writeFileSync(file, Buffer.from(buf.buffer));
  return file;
}
// The wasm runs on one thread, so scikit-learn does too by default (OpenMP and BLAS pinned to one
// thread): like for like, and on a small shared machine multi-threaded OpenMP loops slow down 5-20×
// whenever another process holds a core. BENCH_PEER_THREADS=n sets another count; 0 leaves the
// environment alone (the libraries' own defaults).
const peerThreads = process.env.BENCH_PEER_THREADS ?? '1';
const peerEnv =
  peerThreads === '0'
    ? process.env
    : { ...process.env, OMP_NUM_THREADS: peerThreads, OPENBLAS_NUM_THREADS: peerThreads, MKL_NUM_THREADS: peerThreads };
console.log(`[bench] scikit-learn threads: ${peerThreads === '0' ? 'library default' : peerThreads}`);
/** Runs a scikit-learn task of peer.py on `data`: `{ median_ms, runs, …figures it reports }`. */
function peerRun(task, data, repeats, params = {}) {
  const file = writeData(data);
  const args = [path.join(here, 'peer.py'), task, file, String(data.d), String(repeats), JSON.stringify(params)];
  return JSON.parse(execFileSync('python3', args, { encoding: 'utf8', env: peerEnv }));
}
function peer(task, data, repeats, params) {
  return peerRun(task, data, repeats, params).median_ms;
}

const rows = [];
/** One row; `extra` holds further fields (final losses, accuracies, tree sizes). */
function record(task, n, ours, peerName, peerMs, extra = {}) {
  const row = { task, n, ours_ms: +ours.toFixed(4), peer: peerName, peer_ms: peerMs == null ? null : +peerMs.toFixed(4), ratio: peerMs ? +(ours / peerMs).toFixed(3) : null, ...extra };
  rows.push(row);
  const ratio = row.ratio == null ? '' : `  ratio ${row.ratio.toFixed(2)}×`;
  const p = peerMs == null ? '' : `  ${peerName} ${peerMs.toFixed(3)} ms`;
  console.log(`${task.padEnd(50)} n=${String(n).padStart(6)}  ours ${ours.toFixed(3)} ms${p}${ratio}`);
}

// Linear regression, closed form: includes building the Dataset from typed arrays, as a user would.
for (const n of quick ? [1000, 10000] : [1000, 10000, 100000]) {
  const data = makeData(n, 1);
  const repeats = n >= 100000 ? 15 : 40;
  const ours = median(() => {
    const ds = Dataset.fromArrays(data.x, 1, data.y);
    const m = new Model({ kind: 'linear' });
    m.fit(ds);
    m.free();
    ds.free();
  }, repeats);
  record('linear regression fit (closed form)', n, ours, 'sklearn LinearRegression', peer('linear_fit', data, repeats));
}

// ---- Classification: logistic regression, decision trees, MLP, decision surfaces ----

/** A seeded uniform generator in [0, 1) (mulberry32) and a standard normal from it. */
function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(rand) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Two overlapping Gaussian blobs on unstandardised scales: class 0 around (0, 2), class 1 around
 * (2, 5), spreads 1.5 and 3 (Bayes error ≈ 0.2), so the fit has something to standardise. */
function makeBlobs(n, seed = 2) {
  const rand = uniform(seed);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = rand() < 0.5 ? 0 : 1;
    x[2 * i] = 2 * c + 1.5 * normal(rand);
    x[2 * i + 1] = 2 + 3 * c + 3 * normal(rand);
    y[i] = c;
  }
  return { x, y, d: 2 };
}

/** Uniform points in [-3, 3]² labelled by a unit checkerboard, 20 % of labels flipped: the
 * full-depth tree isolates the noise, so it is big (thousands of leaves at 10k points). */
function makeCheckerboard(n, seed = 3) {
  const rand = uniform(seed);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rand() * 6 - 3;
    const b = rand() * 6 - 3;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    const c = (Math.floor(a) + Math.floor(b)) & 1;
    y[i] = rand() < 0.2 ? 1 - c : c;
  }
  return { x, y, d: 2 };
}

/** Two interleaving half-moons (scikit-learn's make_moons) with Gaussian noise 0.2. */
function makeMoons(n, seed = 4) {
  const rand = uniform(seed);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = rand() < 0.5 ? 0 : 1;
    const t = Math.PI * rand();
    x[2 * i] = (c ? 1 - Math.cos(t) : Math.cos(t)) + 0.2 * normal(rand);
    x[2 * i + 1] = (c ? 0.5 - Math.sin(t) : Math.sin(t)) + 0.2 * normal(rand);
    y[i] = c;
  }
  return { x, y, d: 2 };
}

/** The points of a w × h surface, as `Model.decisionSurface` lays them (row 0 at ymax, pixel
 * centres on the window's edges), row-major with 2 features; peer.py builds the same grid. */
function gridPoints(g) {
  const out = new Float64Array(2 * g.w * g.h);
  for (let r = 0; r < g.h; r++) {
    const yv = g.ymax - ((g.ymax - g.ymin) * r) / (g.h - 1);
    for (let c = 0; c < g.w; c++) {
      const i = 2 * (r * g.w + c);
      out[i] = g.xmin + ((g.xmax - g.xmin) * c) / (g.w - 1);
      out[i + 1] = yv;
    }
  }
  return out;
}
const surfaceWindow = (g) => [g.xmin, g.xmax, g.ymin, g.ymax, g.w, g.h];
const summaryValue = (model, name) => Object.fromEntries(model.summary().parameters)[name];

/** Times `make()` as `median` does and also returns the value of its last run; `dispose(value)`
 * frees each value but the last. */
function timed(make, repeats, dispose = (v) => v?.free?.()) {
  let last = null;
  const ms = median(() => {
    if (last) dispose(last);
    last = make();
  }, repeats);
  return { ms, last };
}

const sizes = quick ? [1000, 10000] : [1000, 10000, 100000];
// Support vector machine (SVC, RBF kernel, γ "scale", C = 1, tol 1e-3) on the overlapping blobs:
// SMO with libsvm's working-set selection against libsvm itself (scikit-learn's SVC, which also
// shrinks and caches 200 MB of kernel rows).
for (const n of quick ? [1000] : [1000, 5000]) {
  const data = makeBlobs(n, 5);
  const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
  const repeats = n >= 5000 ? 3 : 10;
  const { ms, last } = timed(() => {
    const m = new Model({ kind: 'svm', kernel: 'rbf', c: 1 });
    m.fit(ds);
    return m;
  }, repeats);
  const ours = { ours_support_vectors: summaryValue(last, 'support vectors') };
  last.free();
  ds.free();
  const { median_ms, runs, ...peerSize } = peerRun('svm_fit', data, repeats, { kernel: 'rbf', C: 1.0 });
  record('SVC fit (RBF, γ scale, C 1)', n, ms, 'sklearn SVC', median_ms, { ...ours, ...peerSize });
  console.log(`${''.padEnd(50)}   support vectors: ours ${ours.ours_support_vectors}, sklearn ${peerSize.peer_support_vectors}`);
}

rmSync(tmp, { recursive: true, force: true });
