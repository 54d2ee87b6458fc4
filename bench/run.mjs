// Benchmarks: the project's wasm (under Node) against scikit-learn (native, same data, same run),
// printed side by side as ratios and written to bench/results.json as
//   [{ task, n, ours_ms, peer, peer_ms, ratio, …extra }]
// (ratio = ours / peer: below 1 we are faster). Times are medians of repeated runs after a warm-up.
// Extra fields: logistic fits carry both final objectives (ours_loss, peer_loss), MLP fits both
// held-out accuracies (ours_accuracy, peer_accuracy), tree fits both trees' sizes. For the grid
// rows n is the number of grid points (512 × 512). The machine is shared: expect ±30 % noise.
//   node bench/run.mjs [--quick]        BENCH_ONLY=tune node bench/run.mjs: only the tuning rows
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, Dataset, Model, crossValidate, tune, minimize } from '../www/api.js';
import { mergeResults } from './results.mjs';
import { uniform, normal, makeBlobs } from './data.mjs';

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
// scripts/bench.sh installs scikit-optimize and Optuna into bench/.venv (which also sees the system's
// scikit-learn); without it, the system's python3.
const venvPython = path.join(here, '.venv/bin/python');
const python = process.env.BENCH_PYTHON ?? (existsSync(venvPython) ? venvPython : 'python3');
console.log(`[bench] scikit-learn threads: ${peerThreads === '0' ? 'library default' : peerThreads}`);
/** Runs a scikit-learn task of peer.py on `data`: `{ median_ms, runs, …figures it reports }`. */
function peerRun(task, data, repeats, params = {}) {
  const file = writeData(data);
  const args = [path.join(here, 'peer.py'), task, file, String(data.d), String(repeats), JSON.stringify(params)];
  return JSON.parse(execFileSync(python, args, { encoding: 'utf8', env: peerEnv }));
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

// 2b. Hyper-parameter search (issue 13): a tree's max_depth (1–12) and min_samples_leaf (1–50),
// uniform integers, 50 trials, each scored by stratified 5-fold accuracy, on the 5,000-point
// checkerboard: our `tune` with random and Bayesian (GP-EI) search against scikit-learn's
// RandomizedSearchCV (n_jobs = 1), and with TPE against Optuna's TPE and GP-EI against
// scikit-optimize's BayesSearchCV when they are installed (`pip install optuna scikit-optimize`;
// the row says so when they are not). Both sides use the same folds (StratifiedKFold(5) without
// shuffling), so equal settings score equally; the draws differ, so the best found differ.
function tuneSearchRows() {
  const n = 5000;
  const data = makeCheckerboard(n);
  const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
  const trials = quick ? 20 : 50;
  const space = [{ path: 'max_depth', type: 'int', low: 1, high: 12 }, { path: 'min_samples_leaf', type: 'int', low: 1, high: 50 }];
  for (const [kind, peerMethod, peerName] of [
    ['random', 'random', 'sklearn RandomizedSearchCV'],
    ['bayes', 'random', 'sklearn RandomizedSearchCV'],
    ['bayes', 'skopt', 'skopt BayesSearchCV'],
    ['tpe', 'optuna', 'optuna TPE'],
  ]) {
    let run = null;
    const { ms } = timed(() => (run = tune({ kind: 'tree', criterion: 'gini' }, space, ds, { strategy: { kind }, trials, seed: 1, shuffle: false, cv: { k: 5, stratified: true, metric: 'accuracy', seed: 1 } })), 1);
    const best = run.trials[run.best];
    let p = null;
    try {
      p = peerRun('tree_search', data, 1, { method: peerMethod, trials, k: 5, depth_high: 12, leaf_high: 50 });
    } catch {
      console.log(`${''.padEnd(50)}   ${peerName}: not installed (pip install optuna scikit-optimize), no peer time`);
    }
    record(`tune tree depth+leaf, ${trials} trials ${kind}, 5-fold (vs ${peerMethod})`, n, ms, peerName, p?.median_ms ?? null, {
      ours_best: +best.score.toFixed(5),
      ours_params: best.params,
      peer_best: p ? +p.peer_best.toFixed(5) : null,
      peer_params: p?.peer_params ?? null,
    });
    console.log(`${''.padEnd(50)}   best accuracy: ours ${best.score.toFixed(4)} ${JSON.stringify(best.params)}, ${peerName} ${p ? `${p.peer_best.toFixed(4)} ${JSON.stringify(p.peer_params)}` : '–'}`);
  }
  ds.free();
}

// k-means (issue 16): Lloyd's algorithm from the same initial centroids (the first k rows) on five
// Gaussian blobs, tol 1e-4, to convergence: ours against scikit-learn's
// KMeans(init=array, n_init=1, algorithm='lloyd') on one thread (same iterations, same inertia);
// then the cluster surface over 512×512 pixels (`decisionSurface`: nearest centroid per pixel,
// coloured) against KMeans.predict on the same points.
function makeClusters(n, seed = 6) {
  const rand = uniform(seed);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 5;
    x[2 * i] = 4 * Math.cos((2 * Math.PI * c) / 5) + normal(rand);
    x[2 * i + 1] = 4 * Math.sin((2 * Math.PI * c) / 5) + normal(rand);
    y[i] = c;
  }
  return { x, y, d: 2 };
}
function kmeansRows() {
  // (local: the file's helpers of the same names are defined further down, after BENCH_ONLY)
  const summaryValue = (model, name) => Object.fromEntries(model.summary().parameters)[name];
  const fmt = (v) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(6));
  for (const n of quick ? [1000, 10000] : [1000, 10000, 100000]) {
    const data = makeClusters(n);
    const ds = Dataset.fromArrays(data.x, 2, data.y, 5);
    const init = [0, 1, 2, 3, 4].map((i) => [data.x[2 * i], data.x[2 * i + 1]]);
    const repeats = n >= 100000 ? 5 : n >= 10000 ? 15 : 40;
    const settings = { n_clusters: 5, centroids: init, max_iter: 300, tol: 1e-4 };
    const { ms, last } = timed(() => {
      const m = new Model({ kind: 'kmeans', ...settings });
      m.fit(ds);
      return m;
    }, repeats);
    const ours = { ours_iterations: summaryValue(last, 'iterations'), ours_inertia: +summaryValue(last, 'inertia').toPrecision(12) };
    const { median_ms, runs, ...peerFigures } = peerRun('kmeans_fit', data, repeats, { init, max_iter: 300, tol: 1e-4 });
    record('k-means fit (Lloyd, k 5, same init)', n, ms, 'sklearn KMeans lloyd', median_ms, { ...ours, ...peerFigures, runs: repeats, load1: +os.loadavg()[0].toFixed(2) });
    console.log(`${''.padEnd(50)}   iterations: ours ${ours.ours_iterations}, sklearn ${peerFigures.peer_iterations}; inertia ours − sklearn ${fmt(ours.ours_inertia - peerFigures.peer_inertia)}`);
    if (n === 10000) {
      const grid = { xmin: -7, xmax: 7, ymin: -7, ymax: 7, w: 512, h: 512 };
      const surface = median(() => last.decisionSurface(grid.xmin, grid.xmax, grid.ymin, grid.ymax, grid.w, grid.h, 5), 7);
      const peerMs = peer('kmeans_grid', data, 7, { init, max_iter: 300, tol: 1e-4, grid });
      record('k-means (k 5, 10k) decisionSurface 512×512', grid.w * grid.h, surface, 'sklearn KMeans.predict', peerMs);
    }
    last.free();
    ds.free();
  }
}

// Fit rows of issue 16 (target: fit ≤ 1× scikit-learn for k-NN, naive Bayes, the forest and
// boosting, one thread each): on the two overlapping blobs (bench/data.mjs, 2 features, 2 classes)
// at 1k / 10k / 100k points, ours through `new Model(…).fit(ds)` (the Dataset is built outside the
// timing) against scikit-learn's fit on the same points. k-NN: k 5, its k-d tree built at fit
// (KNeighborsClassifier(algorithm='kd_tree')). GaussianNB: defaults. Forest: 100 full-depth
// trees on bootstrap samples, every feature searched at each split (ours' default max_features
// "all" = scikit-learn's max_features=None); ours also keeps the out-of-bag sums while growing,
// scikit-learn (oob_score=False) does not. Boosting: 100 stages of depth-3 trees, learning rate
// 0.1, subsample 1 (both sides give the same training log-loss, printed). Fewer repeats at 100k
// (`runs` in the row); `load1` is the machine's 1-minute load average when the row was taken.
// BENCH_FIT=forest runs only the rows whose name contains it.
function fitRows() {
  const summaryValue = (model, name) => Object.fromEntries(model.summary().parameters)[name];
  const cases = [
    ['k-NN fit (k 5, k-d tree)', { kind: 'knn', n_neighbors: 5 }, 'knn_fit', 'sklearn KNeighborsClassifier kd_tree', {}, [40, 20, 7]],
    ['naive Bayes fit (Gaussian)', { kind: 'naive_bayes' }, 'nb_fit', 'sklearn GaussianNB', {}, [40, 20, 7]],
    ['random forest fit (100 trees, full depth, bootstrap)', { kind: 'forest', n_estimators: 100 }, 'forest_fit', 'sklearn RandomForestClassifier n_jobs 1', { trees: 100, max_features: null }, [5, 3, 1]],
    ['gradient boosting fit (100 stages, depth 3, lr 0.1)', { kind: 'boosting', n_estimators: 100, max_depth: 3, learning_rate: 0.1 }, 'boosting_fit', 'sklearn GradientBoostingClassifier', { stages: 100, max_depth: 3, learning_rate: 0.1 }, [5, 3, 1]],
  ];
  const ns = quick ? [1000, 10000] : [1000, 10000, 100000];
  for (const [name, params, peerTask, peerName, peerParams, repeatsBySize] of cases) {
    if (process.env.BENCH_FIT && !name.includes(process.env.BENCH_FIT)) continue;
    ns.forEach((n, at) => {
      const data = makeBlobs(n);
      const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
      const repeats = repeatsBySize[at];
      const { ms, last } = timed(() => {
        const m = new Model(params, 1);
        m.fit(ds);
        return m;
      }, repeats);
      const extra = {};
      if (params.kind === 'forest') extra.ours_mean_leaves = summaryValue(last, 'mean leaves');
      if (params.kind === 'boosting') extra.ours_train_log_loss = last.objective(ds);
      last.free();
      ds.free();
      const { median_ms, runs, ...peerFigures } = peerRun(peerTask, data, repeats, peerParams);
      record(name, n, ms, peerName, median_ms, { ...extra, ...peerFigures, runs: repeats, load1: +os.loadavg()[0].toFixed(2), target_ratio: 1 });
      if (extra.ours_mean_leaves != null) console.log(`${''.padEnd(50)}   mean leaves per tree: ours ${extra.ours_mean_leaves.toFixed(1)}, sklearn ${peerFigures.peer_mean_leaves.toFixed(1)}`);
      if (extra.ours_train_log_loss != null) console.log(`${''.padEnd(50)}   training log-loss: ours ${extra.ours_train_log_loss.toFixed(12)}, sklearn ${peerFigures.peer_train_log_loss.toFixed(12)}`);
    });
  }
}

// The training speed row of issue 13: TensorFlow Playground's own engine (bench/peers/tfp, its
// nn.ts bundled with esbuild, run in this Node) against ours on the same work: a (8, 8) tanh network
// on 2 inputs, SGD, batch 32, learning rate 0.03, 50 epochs, on the same 1k and 10k moons points.
// TFP trains as its page does (tanh output, labels ±1, square error, points in a fixed order); ours
// as a tuning trial does (`fit` for 50 epochs: sigmoid output, cross-entropy, inputs standardised,
// rows reshuffled every epoch), and also through `step(data, 50)` (the page's path, which also
// copies the model for the divergence guard and scores the whole set after the epochs).
// Times are CPU times of this process (medians). Both compute the same thing: with TFP's initial weights fed into our network (a model file),
// a linear output and full-batch SGD at half TFP's rate (our mean (p − t)² has twice the gradient
// of TFP's mean ½(p − t)²), five epochs give the same loss to 1e-9 (printed); and after the 50
// timed epochs both classify held-out moons about equally well (accuracies printed).
async function tfpRows() {
  // CPU time of this process (both sides run in it, on one thread): on a shared machine wall time
  // swings with the other processes' load, CPU time much less.
  const cpuMedian = (make, repeats, dispose = (v) => v?.free?.()) => {
    let last = null;
    const once = () => {
      if (last) dispose(last);
      const t0 = process.cpuUsage();
      last = make();
      const t = process.cpuUsage(t0);
      return (t.user + t.system) / 1000;
    };
    once();
    const times = Array.from({ length: repeats }, once).sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)], last };
  };
  const { loadTfp, buildTfp, trainTfp, lossTfp, paramsOf } = await import('./peers/tfp/engine.mjs');
  const nn = await loadTfp();
  const settings = { hidden: [8, 8], batch: 32, learningRate: 0.03, epochs: 50 };
  const asTfp = (data) => {
    const inputs = [];
    const labels = [];
    for (let i = 0; i < data.y.length; i++) {
      inputs.push([data.x[2 * i], data.x[2 * i + 1]]);
      labels.push(data.y[i] ? 1 : -1);
    }
    return { inputs, labels };
  };
  const test = makeMoons(2000, 5);
  const testTfp = asTfp(test);
  const oursParams = (extra) => ({
    kind: 'mlp',
    hidden_layers: settings.hidden.map((neurons) => ({ neurons, activation: 'tanh' })),
    l1: 0,
    l2: 0,
    train: { learning_rate: settings.learningRate, batch_size: settings.batch, optimizer: { kind: 'sgd' } },
    ...extra,
  });
  const tfpAccuracy = (network) => {
    let hits = 0;
    for (let i = 0; i < testTfp.inputs.length; i++) hits += (nn.forwardProp(network, testTfp.inputs[i]) > 0 ? 1 : -1) === testTfp.labels[i] ? 1 : 0;
    return hits / testTfp.inputs.length;
  };
  const oursAccuracy = (model) => {
    const p = model.predict(test.x, 2);
    let hits = 0;
    for (let i = 0; i < test.y.length; i++) hits += (p[2 * i + 1] > p[2 * i] ? 1 : 0) === test.y[i] ? 1 : 0;
    return hits / test.y.length;
  };

  // The same computation: TFP's initial weights in our network, linear output, full batch.
  {
    const data = makeMoons(1000);
    const { inputs, labels } = asTfp(data);
    const network = buildTfp(nn, settings.hidden, nn.Activations.TANH, nn.Activations.LINEAR, uniform(7));
    const start = paramsOf(network);
    const epochs = 5;
    trainTfp(nn, network, inputs, labels, epochs, inputs.length, settings.learningRate);
    const tfpLoss = lossTfp(nn, network, inputs, labels);
    const ds = Dataset.fromArrays(data.x, 2, Float64Array.from(labels));
    const probe = new Model(oursParams({ train: { learning_rate: settings.learningRate / 2, batch_size: 0, optimizer: { kind: 'sgd' } } }), 1);
    probe.step(ds, 1);
    const file = probe.toJSON();
    probe.free();
    file.model.scaler = { mean: [0, 0], scale: [1, 1] };
    file.model.network.params = start;
    const ours = Model.fromJSON(file);
    const oursLoss = ours.step(ds, epochs) / 2;
    ours.free();
    ds.free();
    const gap = Math.abs(oursLoss - tfpLoss);
    console.log(`TFP check (1k moons, TFP's initial weights, linear output, full batch, ${epochs} epochs): loss ½·mse ours ${oursLoss.toFixed(12)}, TFP ${tfpLoss.toFixed(12)}, |Δ| ${gap.toExponential(2)} ${gap <= 1e-9 ? '≤ 1e-9 ✓' : '> 1e-9 ✗'}`);
    rows.push({ task: 'TFP check: same weights, 5 full-batch epochs, ½·mse', n: 1000, ours_ms: null, peer: 'TFP nn.ts', peer_ms: null, ratio: null, ours_loss: oursLoss, peer_loss: tfpLoss, abs_diff: gap });
  }

  const moons1k = makeMoons(1000);
  for (const n of quick ? [1000] : [1000, 10000]) {
    const data = n === 1000 ? moons1k : makeMoons(n);
    const { inputs, labels } = asTfp(data);
    const repeats = n >= 10000 ? 3 : 7;
    const tfp = cpuMedian(() => {
      const network = buildTfp(nn, settings.hidden, nn.Activations.TANH, nn.Activations.TANH, uniform(8));
      trainTfp(nn, network, inputs, labels, settings.epochs, settings.batch, settings.learningRate);
      return network;
    }, repeats, () => {});
    const tfpLoss = lossTfp(nn, tfp.last, inputs, labels);
    const peer_accuracy = tfpAccuracy(tfp.last);
    const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
    const viaFit = cpuMedian(() => {
      const m = new Model(oursParams({ max_epochs: settings.epochs, tolerance: 0, patience: settings.epochs }), 1);
      m.fit(ds);
      return m;
    }, repeats);
    const fitAccuracy = oursAccuracy(viaFit.last);
    viaFit.last.free();
    const viaStep = cpuMedian(() => {
      const m = new Model(oursParams(), 1);
      m.step(ds, settings.epochs);
      return m;
    }, repeats);
    const stepAccuracy = oursAccuracy(viaStep.last);
    viaStep.last.free();
    ds.free();
    const extra = { time: 'cpu', peer_accuracy, peer_train_loss: +tfpLoss.toPrecision(6), target_ratio: 0.25 };
    record('MLP (8,8) tanh sgd b32 lr .03, 50 epochs: fit vs TFP', n, viaFit.ms, 'TFP nn.ts (Node)', tfp.ms, { ours_accuracy: fitAccuracy, ...extra });
    record('MLP (8,8) tanh sgd b32 lr .03, 50 epochs: step vs TFP', n, viaStep.ms, 'TFP nn.ts (Node)', tfp.ms, { ours_accuracy: stepAccuracy, ...extra });
    console.log(`${''.padEnd(50)}   held-out accuracy (2000 points): ours fit ${fitAccuracy.toFixed(4)}, step ${stepAccuracy.toFixed(4)}, TFP ${peer_accuracy.toFixed(4)} (TFP train ½·mse ${tfpLoss.toFixed(4)}); target ratio ≤ 0.25×`);
  }
}

// Bayesian optimisation (issue 13): our GP-EI search (`minimize`, strategy bayes, its defaults)
// on Branin (2-D, minimum 0.397887) and Hartmann-6 (6-D, minimum −3.32237) against
// scikit-optimize's gp_minimize and Optuna's TPE (bench/bo_peer.py, their defaults; installed into
// bench/.venv by scripts/bench.sh). One run of 60 evaluations per seed (20 seeds; 5 with --quick;
// BENCH_BO_SEEDS=n): the 30-evaluation figures are the first 30 evaluations of the same runs (no
// method's first 30 depends on the budget: all three start with a fixed number of space-filling
// or random points). Best found: the median over the seeds of the best value after N evaluations.
// Time per suggestion: CPU time from the end of one evaluation to the start of the next (the
// objective itself excluded), averaged over the first N, then over the seeds; ours is measured
// around the JS objective, so it includes passing the point to JS. Our TPE's best is printed too.
// Targets: our best no worse than either peer's, each suggestion ≤ 0.2× gp_minimize's.
const BRANIN_MIN = 0.397887;
const HARTMANN6_MIN = -3.32237;
function branin([x1, x2]) {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}
const H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H6_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]].map((r) => r.map((v) => v * 1e-4));
const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
function hartmann6(x) {
  let total = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += H6_A[i][j] * (x[j] - H6_P[i][j]) ** 2;
    total -= H6_ALPHA[i] * Math.exp(-inner);
  }
  return total;
}
function boRows() {
  const nSeeds = Number(process.env.BENCH_BO_SEEDS ?? (quick ? 5 : 20));
  const seeds = Array.from({ length: nSeeds }, (_, i) => i + 1);
  const budgets = [30, 60];
  const calls = Math.max(...budgets);
  const cpu = () => {
    const t = process.cpuUsage();
    return (t.user + t.system) / 1000;
  };
  const mid = (values) => {
    const v = [...values].sort((a, b) => a - b);
    const h = Math.floor(v.length / 2);
    return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
  };
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  /** Our search on `f` over `bounds`: per seed, the best after each evaluation and each suggestion's ms. */
  const ours = (f, bounds, kind) =>
    seeds.map((seed) => {
      const space = bounds.map(([low, high], i) => ({ path: `x${i}`, type: 'uniform', low, high }));
      const best = [];
      const suggest = [];
      let last = cpu();
      minimize(
        (p) => {
          const start = cpu();
          suggest.push(start - last);
          const v = f(bounds.map((_, i) => p[`x${i}`]));
          best.push(best.length ? Math.min(v, best[best.length - 1]) : v);
          last = cpu();
          return v;
        },
        space,
        { strategy: { kind }, trials: calls, seed },
      );
      return { best, suggest_ms: suggest };
    });
  const peerRuns = (name, method) => {
    // BENCH_BO_PEER_RUNS=dir: the peers' runs from files bo_peer.py wrote earlier on this machine
    // (`<dir>/<name>-<method>.json`, same seeds and budget; gp_minimize takes ~25 minutes for the
    // 20 seeds), so our side can be re-measured alone.
    const saved = process.env.BENCH_BO_PEER_RUNS && path.join(process.env.BENCH_BO_PEER_RUNS, `${name}-${method}.json`);
    if (saved && existsSync(saved)) {
      const runs = JSON.parse(readFileSync(saved, 'utf8')).runs;
      if (runs.length === seeds.length && runs.every((r) => r.best.length >= calls)) {
        console.log(`[bench] ${method} on ${name}: runs read from ${saved}`);
        return runs;
      }
    }
    try {
      const out = execFileSync(python, [path.join(here, 'bo_peer.py'), name, method, String(calls), seeds.join(',')], { encoding: 'utf8', env: peerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      return JSON.parse(out).runs;
    } catch (e) {
      console.log(`[bench] ${method} on ${name}: not available (${String(e.message).split('\n')[0]}); pip install scikit-optimize optuna`);
      return null;
    }
  };
  const figures = (runs, n) => (runs ? { best: mid(runs.map((r) => r.best[n - 1])), ms: mean(runs.map((r) => mean(r.suggest_ms.slice(0, n)))) } : null);
  for (const [name, f, bounds, optimum] of [
    ['branin', branin, [[-5, 10], [0, 15]], BRANIN_MIN],
    ['hartmann6', hartmann6, Array.from({ length: 6 }, () => [0, 1]), HARTMANN6_MIN],
  ]) {
    const gp = ours(f, bounds, 'bayes');
    const tpe = ours(f, bounds, 'tpe');
    const skopt = peerRuns(name, 'skopt');
    const optuna = peerRuns(name, 'optuna');
    for (const n of budgets) {
      const o = figures(gp, n);
      const t = figures(tpe, n);
      const s = figures(skopt, n);
      const p = figures(optuna, n);
      const bestOk = (!s || o.best <= s.best) && (!p || o.best <= p.best);
      const extra = {
        seeds: nSeeds,
        optimum,
        ours_best_median: +o.best.toPrecision(7),
        ours_tpe_best_median: +t.best.toPrecision(7),
        ours_tpe_ms: +t.ms.toFixed(3),
        skopt_best_median: s ? +s.best.toPrecision(7) : null,
        skopt_ms: s ? +s.ms.toFixed(3) : null,
        optuna_best_median: p ? +p.best.toPrecision(7) : null,
        optuna_ms: p ? +p.ms.toFixed(3) : null,
        best_no_worse_than_peers: bestOk,
        target_ratio: 0.2,
      };
      record(`BO ${name}, ${n} evals: ms per suggestion, GP-EI vs gp_minimize`, n, o.ms, 'skopt gp_minimize', s?.ms ?? null, extra);
      record(`BO ${name}, ${n} evals: ms per suggestion, GP-EI vs Optuna TPE`, n, o.ms, 'optuna TPE', p?.ms ?? null, extra);
      const g = (v) => (v == null ? '–' : v.toFixed(4));
      console.log(
        `${''.padEnd(50)}   median best over ${nSeeds} seeds (optimum ${optimum}): ours GP-EI ${g(o.best)}, ours TPE ${g(t.best)}, gp_minimize ${g(s?.best)}, Optuna TPE ${g(p?.best)} → ${bestOk ? 'no worse than either ✓' : 'worse than a peer ✗'}; ms per suggestion ≤ 0.2× gp_minimize: ${s ? (o.ms <= 0.2 * s.ms ? '✓' : '✗') : '–'}`,
      );
    }
  }
}

// BENCH_ONLY=bo runs just the Bayesian-optimisation rows.
if (process.env.BENCH_ONLY === 'bo') {
  boRows();
  rmSync(tmp, { recursive: true, force: true });
  mergeResults(rows);
  process.exit(0);
}

// BENCH_ONLY=tfp runs just the TensorFlow Playground rows.
if (process.env.BENCH_ONLY === 'tfp') {
  await tfpRows();
  rmSync(tmp, { recursive: true, force: true });
  mergeResults(rows);
  process.exit(0);
}

// Decision surfaces 512×512 per family (issue 16: target ≤ 16 ms for every family but k-NN at 100k
// points): `decisionSurface` (each family's grid path, then the colours) on the data a learner
// meets: blobs (two classes) and a checkerboard; no peer (scikit-learn draws no surfaces).
function surfaceRows() {
  const grid = { xmin: -7, xmax: 9, ymin: -8, ymax: 16, w: 512, h: 512 };
  const window = [grid.xmin, grid.xmax, grid.ymin, grid.ymax, grid.w, grid.h];
  const cases = [
    ['svm rbf C 1 (1k blobs)', { kind: 'svm', kernel: 'rbf', c: 1 }, 1000],
    ['svm poly 3 (1k blobs)', { kind: 'svm', kernel: 'poly', degree: 3, c: 1 }, 1000],
    ['svm linear (1k blobs)', { kind: 'svm', kernel: 'linear', c: 1 }, 1000],
    ['naive Bayes (10k blobs)', { kind: 'naive_bayes' }, 10000],
    ['k-NN k 5 (1k blobs)', { kind: 'knn' }, 1000],
    ['k-NN k 5 (10k blobs)', { kind: 'knn' }, 10000],
    ['forest 100 trees (10k blobs)', { kind: 'forest' }, 10000],
    ['forest 100 trees depth 8 (10k blobs)', { kind: 'forest', max_depth: 8 }, 10000],
    ['boosting 100 stages (10k blobs)', { kind: 'boosting' }, 10000],
    ['k-means k 5 (10k blobs)', { kind: 'kmeans', n_clusters: 5 }, 10000],
    ['tree (10k blobs)', { kind: 'tree' }, 10000],
  ];
  for (const [name, params, n] of cases) {
    if (process.env.BENCH_SURFACE && !name.includes(process.env.BENCH_SURFACE)) continue;
    const blobs = makeBlobs(n);
    const ds = Dataset.fromArrays(blobs.x, 2, blobs.y, 2);
    const m = new Model(params);
    m.fit(ds);
    const k = params.kind === 'kmeans' ? params.n_clusters : 2;
    // the page redraws the surface on every change: the steady state after a few draws (V8
    // compiles a wasm function with its baseline compiler first and swaps in the optimised code a
    // few calls later; one warm-up call left early draws of the larger grid paths in the median)
    for (let i = 0; i < 4; i++) m.decisionSurface(...window, k);
    const ms = median(() => m.decisionSurface(...window, k), 7);
    record(`${name} decisionSurface 512×512`, grid.w * grid.h, ms, null, null);
    m.free();
    ds.free();
  }
}

// BENCH_ONLY=surfaces runs just the surface rows (BENCH_SURFACE=svm: only names containing it).
if (process.env.BENCH_ONLY === 'surfaces') {
  surfaceRows();
  rmSync(tmp, { recursive: true, force: true });
  mergeResults(rows);
  process.exit(0);
}

// BENCH_ONLY=kmeans runs just the k-means rows.
if (process.env.BENCH_ONLY === 'kmeans') {
  kmeansRows();
  rmSync(tmp, { recursive: true, force: true });
  mergeResults(rows);
  process.exit(0);
}

// BENCH_ONLY=fits runs just the fit rows of issue 16 (k-NN, naive Bayes, forest, boosting) and the
// k-means fit rows.
if (process.env.BENCH_ONLY === 'fits') {
  console.log(`[bench] load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  fitRows();
  if (!process.env.BENCH_FIT || 'k-means'.includes(process.env.BENCH_FIT)) kmeansRows();
  console.log(`[bench] load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  rmSync(tmp, { recursive: true, force: true });
  mergeResults(rows);
  process.exit(0);
}

// BENCH_ONLY=svc runs just the SVC fit rows.
if (process.env.BENCH_ONLY === 'svc') {
  svcRows();
  rmSync(tmp, { recursive: true, force: true });
  mergeResults(rows);
  process.exit(0);
}

// BENCH_ONLY=tune runs just the search rows (they take a while; the other rows keep their numbers).
if (process.env.BENCH_ONLY === 'tune') {
  tuneSearchRows();
  rmSync(tmp, { recursive: true, force: true });
  mergeResults(rows);
  process.exit(0);
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
function summaryValue(model, name) {
  return Object.fromEntries(model.summary().parameters)[name];
}

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
const fmt = (v) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(6));

// 1. Logistic regression fit to convergence. Ours: Newton's method on mean cross-entropy
// + λ·½‖w‖² over standardised features (intercept free) to max |gradient| ≤ tol. Peer:
// StandardScaler + LogisticRegression(lbfgs, C = 1/(n·λ), same tol), whose objective is ours / (n·C).
const logisticParams = { strength: 0.01, tolerance: 1e-6 };
for (const n of sizes) {
  const data = makeBlobs(n);
  const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
  const repeats = n >= 100000 ? 7 : n >= 10000 ? 20 : 40;
  const { ms, last } = timed(() => {
    const m = new Model({ kind: 'logistic', penalty: { kind: 'l2' }, ...logisticParams, max_iter: 1000 });
    m.fit(ds);
    return m;
  }, repeats);
  const ours_loss = last.objective(ds);
  last.free();
  const p = peerRun('logistic_fit', data, repeats, logisticParams);
  record('logistic regression fit (to tol 1e-6)', n, ms, 'sklearn LogisticRegression lbfgs', p.median_ms, {
    ours_loss: +ours_loss.toPrecision(12),
    peer_loss: +p.peer_loss.toPrecision(12),
    peer_iterations: p.peer_iterations,
  });
  console.log(`${''.padEnd(50)}   final objective: ours ${ours_loss.toFixed(10)}, sklearn ${p.peer_loss.toFixed(10)}, ours − sklearn ${fmt(ours_loss - p.peer_loss)} (sklearn ${p.peer_iterations} lbfgs iterations)`);
  ds.free();
}

// 1b. 5-fold stratified cross-validation of the same logistic regression at 10k points: ours
// `crossValidate` (folds, a fresh model per fold, accuracy on each test fold) against
// cross_val_score of scikit-learn's pipeline (StandardScaler + LogisticRegression, n_jobs = 1).
{
  const n = 10000;
  const k = 5;
  const data = makeBlobs(n);
  const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
  const repeats = quick ? 5 : 15;
  let result = null;
  const ms = median(() => {
    result = crossValidate({ kind: 'logistic', penalty: { kind: 'l2' }, ...logisticParams, max_iter: 1000 }, ds, { k, stratified: true, metric: 'accuracy', seed: 1 });
  }, repeats);
  const p = peerRun('logistic_cv', data, repeats, { ...logisticParams, k });
  record(`logistic regression ${k}-fold CV (accuracy)`, n, ms, 'sklearn cross_val_score', p.median_ms, {
    ours_mean: +result.mean.toFixed(5),
    ours_std: +result.std.toFixed(5),
    peer_mean: +p.peer_mean.toFixed(5),
    peer_std: +p.peer_std.toFixed(5),
  });
  console.log(`${''.padEnd(50)}   mean accuracy: ours ${result.mean.toFixed(4)} ± ${result.std.toFixed(4)}, sklearn ${p.peer_mean.toFixed(4)} ± ${p.peer_std.toFixed(4)} (different shuffles)`);
  ds.free();
}

// 2. Decision tree fit (Gini, best splitter, all features), full depth and max_depth 8.
const checkerboards = new Map();
for (const n of sizes) checkerboards.set(n, makeCheckerboard(n));
for (const maxDepth of [null, 8]) {
  for (const n of sizes) {
    const data = checkerboards.get(n);
    const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
    const repeats = n >= 100000 ? 5 : n >= 10000 ? 10 : 30;
    const params = { kind: 'tree', criterion: 'gini', max_depth: maxDepth };
    const { ms, last } = timed(() => {
      const m = new Model(params);
      m.fit(ds);
      return m;
    }, repeats);
    const ours = { ours_nodes: summaryValue(last, 'nodes'), ours_leaves: summaryValue(last, 'leaves'), ours_depth: summaryValue(last, 'depth') };
    last.free();
    ds.free();
    const p = peerRun('tree_fit', data, repeats, { criterion: 'gini', max_depth: maxDepth });
    const { median_ms, runs, ...peerSize } = p;
    record(`decision tree fit (${maxDepth == null ? 'full depth' : `max_depth ${maxDepth}`})`, n, ms, 'sklearn DecisionTreeClassifier', median_ms, { ...ours, ...peerSize });
    console.log(`${''.padEnd(50)}   nodes: ours ${ours.ours_nodes}, sklearn ${p.peer_nodes}; depth: ours ${ours.ours_depth}, sklearn ${p.peer_depth}`);
  }
}

tuneSearchRows();
boRows();
await tfpRows();

// Support vector machine (SVC, RBF kernel, γ "scale", C = 1, tol 1e-3) on the overlapping blobs:
// SMO with libsvm's working-set selection against libsvm itself (scikit-learn's SVC, which also
// shrinks and caches 200 MB of kernel rows).
function svcRows() {
  for (const n of quick ? [1000] : [1000, 5000, 10000]) {
    const data = makeBlobs(n, 5);
    const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
    const repeats = n >= 5000 ? 5 : 10; // medians of 5 at 5k and 10k: a shared machine swings 3 runs by ±30 %
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
}

svcRows();

kmeansRows();
fitRows();

// 3. Tree prediction on a 512×512 grid (262,144 rows), trees grown on the 10k checkerboard:
// ours through `predict` (per-row walk) and through `decisionSurface` (the tree's grid path, plus
// colouring the pixels), against sklearn's predict_proba on the same points.
const G = { w: 512, h: 512 };
const treeGrid = { xmin: -3, xmax: 3, ymin: -3, ymax: 3, ...G };
{
  const data = checkerboards.get(10000);
  const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
  const points = gridPoints(treeGrid);
  for (const maxDepth of [null, 8]) {
    const m = new Model({ kind: 'tree', criterion: 'gini', max_depth: maxDepth });
    m.fit(ds);
    const label = maxDepth == null ? 'full depth' : `max_depth ${maxDepth}`;
    const repeats = 7;
    const viaPredict = median(() => m.predict(points, 2), repeats);
    const viaSurface = median(() => m.decisionSurface(...surfaceWindow(treeGrid), 2), repeats);
    const peerMs = peer('tree_grid', data, repeats, { criterion: 'gini', max_depth: maxDepth, grid: treeGrid });
    record(`tree (${label}, 10k) predict 512×512 grid`, G.w * G.h, viaPredict, 'sklearn predict_proba', peerMs);
    record(`tree (${label}, 10k) decisionSurface 512×512`, G.w * G.h, viaSurface, 'sklearn predict_proba', peerMs);
    m.free();
  }
  ds.free();
}

// 4. MLP (8, 8) ReLU, Adam, batch 32, learning rate 0.001, 50 epochs on moons; accuracy on 2000
// held-out points. scikit-learn's L2 term is alpha/(2·B)·‖W‖² per mini-batch of B rows, ours
// l2·‖W‖²: l2 = alpha/(2·32) (only the short last batch of an epoch is penalised differently).
// Our inputs are standardised internally, so scikit-learn's MLP gets a StandardScaler in front.
const mlpSettings = { hidden: [8, 8], batch_size: 32, learning_rate: 0.001, epochs: 50, alpha: 1e-4 };
const mlpModel = (extra = {}) =>
  new Model(
    {
      kind: 'mlp',
      ...extra,
      hidden_layers: mlpSettings.hidden.map((neurons) => ({ neurons, activation: 'relu' })),
      l1: 0,
      l2: mlpSettings.alpha / (2 * mlpSettings.batch_size),
      train: { learning_rate: mlpSettings.learning_rate, batch_size: mlpSettings.batch_size, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
    },
    1,
  );
const moonsTest = makeMoons(2000, 5);
const moonsTestFile = writeData(moonsTest);
function accuracy(model, data) {
  const p = model.predict(data.x, 2);
  let hits = 0;
  for (let i = 0; i < data.y.length; i++) hits += (p[2 * i + 1] > p[2 * i] ? 1 : 0) === data.y[i] ? 1 : 0;
  return hits / data.y.length;
}
const moons1k = makeMoons(1000);
for (const n of quick ? [1000] : [1000, 10000]) {
  const data = n === 1000 ? moons1k : makeMoons(n);
  const ds = Dataset.fromArrays(data.x, 2, data.y, 2);
  const repeats = n >= 10000 ? 2 : 5;
  let trainLoss = 0;
  const { ms, last } = timed(() => {
    const m = mlpModel();
    trainLoss = m.step(ds, mlpSettings.epochs);
    return m;
  }, repeats);
  const ours_accuracy = accuracy(last, moonsTest);
  const ours_epochs = summaryValue(last, 'epochs');
  last.free();
  ds.free();
  const p = peerRun('mlp_fit', data, repeats, { ...mlpSettings, test_file: moonsTestFile });
  record('MLP (8,8) relu adam, 50 epochs', n, ms, 'sklearn MLPClassifier', p.median_ms, {
    ours_accuracy,
    peer_accuracy: p.peer_accuracy,
    ours_epochs,
    peer_epochs: p.peer_epochs,
    ours_train_objective: +trainLoss.toPrecision(8),
    peer_train_loss: +p.peer_train_loss.toPrecision(8),
  });
  console.log(`${''.padEnd(50)}   test accuracy (2000 points): ours ${ours_accuracy.toFixed(4)}, sklearn ${p.peer_accuracy.toFixed(4)}; epochs ${ours_epochs} / ${p.peer_epochs}`);
  // The same 50 epochs through `fit` (tolerance 0, patience 50, so it cannot stop early): `step`
  // also copies the model and evaluates the whole training objective after every epoch.
  const ds2 = Dataset.fromArrays(data.x, 2, data.y, 2);
  const viaFit = timed(() => {
    const m = mlpModel({ max_epochs: mlpSettings.epochs, tolerance: 0, patience: mlpSettings.epochs });
    m.fit(ds2);
    return m;
  }, repeats);
  const fitEpochs = summaryValue(viaFit.last, 'epochs');
  record('MLP (8,8) relu adam, 50 epochs via fit', n, viaFit.ms, 'sklearn MLPClassifier', p.median_ms, {
    ours_accuracy: accuracy(viaFit.last, moonsTest),
    peer_accuracy: p.peer_accuracy,
    ours_epochs: fitEpochs,
    peer_epochs: p.peer_epochs,
  });
  viaFit.last.free();
  ds2.free();
}

// 5. Decision surfaces 512×512 for logistic regression (blobs, 10k) and the MLP (moons, 1k): ours
// `decisionSurface` (probabilities and coloured pixels) and `predict` on the grid, against
// sklearn's predict_proba on the same 262,144 points.
{
  const blobs = makeBlobs(10000);
  const logisticGrid = { xmin: -5, xmax: 7, ymin: -8, ymax: 16, ...G };
  const ds = Dataset.fromArrays(blobs.x, 2, blobs.y, 2);
  const m = new Model({ kind: 'logistic', penalty: { kind: 'l2' }, ...logisticParams });
  m.fit(ds);
  const points = gridPoints(logisticGrid);
  const surface = median(() => m.decisionSurface(...surfaceWindow(logisticGrid), 2), 7);
  const predict = median(() => m.predict(points, 2), 7);
  const peerMs = peer('logistic_grid', blobs, 7, { ...logisticParams, grid: logisticGrid });
  record('logistic decisionSurface 512×512', G.w * G.h, surface, 'sklearn predict_proba', peerMs);
  record('logistic predict 512×512 grid', G.w * G.h, predict, 'sklearn predict_proba', peerMs);
  m.free();
  ds.free();
}
{
  const moonsGrid = { xmin: -1.5, xmax: 2.5, ymin: -1, ymax: 1.5, ...G };
  const ds = Dataset.fromArrays(moons1k.x, 2, moons1k.y, 2);
  const m = mlpModel();
  m.step(ds, mlpSettings.epochs);
  const points = gridPoints(moonsGrid);
  const surface = median(() => m.decisionSurface(...surfaceWindow(moonsGrid), 2), 5);
  const predict = median(() => m.predict(points, 2), 5);
  const peerMs = peer('mlp_grid', moons1k, 5, { ...mlpSettings, grid: moonsGrid });
  record('MLP (8,8) decisionSurface 512×512', G.w * G.h, surface, 'sklearn predict_proba', peerMs);
  record('MLP (8,8) predict 512×512 grid', G.w * G.h, predict, 'sklearn predict_proba', peerMs);
  m.free();
  ds.free();
}

surfaceRows();

// Size of what the page downloads.
const wasm = readFileSync(path.join(here, '../www/pkg/ml_playground_bg.wasm'));
const gz = gzipSync(wasm, { level: 9 }).length;
console.log(`wasm size: ${(wasm.length / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped`);
rows.push({ task: 'wasm size raw (KiB)', n: 0, ours_ms: null, ours_kib: +(wasm.length / 1024).toFixed(1), peer: null, peer_ms: null, ratio: null });
rows.push({ task: 'wasm size gzipped (KiB)', n: 0, ours_ms: null, ours_kib: +(gz / 1024).toFixed(1), peer: null, peer_ms: null, ratio: null });

export { rows };
rmSync(tmp, { recursive: true, force: true });
mergeResults(rows);

// Compression figures (pruning, quantisation, distillation, ensembles): bench/compress.mjs.
await import('./compress.mjs');
