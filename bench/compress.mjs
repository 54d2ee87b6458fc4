// Compression figures (issue 14) on two moons (1,000 points, noise 0.2, 30 % held out) with a
// trained (16, 16) tanh network: test accuracy, size as stored and the time to predict a 512×512
// grid, for the dense network, magnitude pruning with fine-tuning, int8 / int4 / binary weights,
// distillation into a (4) student (T = 4, 5,000 unlabelled points) against the same student on the
// labels alone (median of 10 seeds), and an ensemble of five (4) networks. Rows merge into
// bench/results.json with peer null (no scikit-learn counterpart).
//   node bench/compress.mjs        (also run at the end of bench/run.mjs)
import { load, Dataset, Model, prune, quantize, distill, ensemble } from '../www/api.js';
import { mergeResults } from './results.mjs';

await load();

const data = Dataset.generate({ kind: 'moons', n: 1000, noise: 0.2, seed: 7 });
const [train, test] = data.split(0.3, 1);
const teacherParams = {
  kind: 'mlp',
  hidden_layers: [{ neurons: 16, activation: 'tanh' }, { neurons: 16, activation: 'tanh' }],
  max_epochs: 300,
  train: { learning_rate: 0.01, batch_size: 32, optimizer: { kind: 'adam' } },
};
const studentParams = { ...teacherParams, hidden_layers: [{ neurons: 4, activation: 'tanh' }] };

/** @param {Model} model @param {Dataset} d */
function accuracy(model, d) {
  const p = model.predict(d.x(), 2);
  const y = d.y();
  let hits = 0;
  for (let i = 0; i < y.length; i++) hits += Number((p[2 * i + 1] > 0.5) === (y[i] === 1));
  return hits / y.length;
}

const G = 512;
const grid = new Float64Array(2 * G * G);
for (let r = 0; r < G; r++) {
  for (let c = 0; c < G; c++) {
    grid[2 * (r * G + c)] = -1.5 + (4 * c) / (G - 1);
    grid[2 * (r * G + c) + 1] = 1.5 - (2.5 * r) / (G - 1);
  }
}
/** Median ms of predicting the grid. @param {Model} model */
function gridMs(model) {
  model.predict(grid, 2);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    model.predict(grid, 2);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[2];
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const teacher = new Model(teacherParams, 1);
teacher.fit(train);
const dense = accuracy(teacher, test);
const rows = [];
/** @param {string} task @param {Model} model @param {object} [extra] */
function row(task, model, extra = {}) {
  // (a tree has no parameter count: its size stays null)
  let size = { parameters: null, nonzero: null, bytes: null };
  try {
    size = model.size();
  } catch {}
  const { parameters, nonzero, bytes } = size;
  const r = {
    task, n: G * G, ours_ms: +gridMs(model).toFixed(3), peer: null, peer_ms: null, ratio: null,
    test_accuracy: +accuracy(model, test).toFixed(4), dense_accuracy: +dense.toFixed(4),
    parameters, nonzero, bytes, ...extra,
  };
  rows.push(r);
  console.log(`${task.padEnd(58)} test ${r.test_accuracy.toFixed(4)} (dense ${r.dense_accuracy.toFixed(4)})  ${String(bytes).padStart(6)} B  ${nonzero}/${parameters} non-zero  512² predict ${r.ours_ms} ms`);
}

row('compress: dense (16,16) tanh on moons', teacher);
for (const sparsity of [0.8, 0.9]) {
  const pct = Math.round(sparsity * 100);
  row(`compress: ${pct} % global pruning, no fine-tuning`, prune(teacher, { sparsity }));
  row(`compress: ${pct} % global pruning, one shot + 50 epochs`, prune(teacher, { sparsity, data: train, fine_tune_epochs: 50 }));
  row(`compress: ${pct} % global pruning, 10 steps × 5 epochs`, prune(teacher, { sparsity, data: train, fine_tune_epochs: 5, steps: 10 }));
}
row('compress: int8 per tensor, symmetric', quantize(teacher, { bits: 8 }));
row('compress: int4 per tensor, symmetric', quantize(teacher, { bits: 4 }));
row('compress: int4 per channel, asymmetric', quantize(teacher, { bits: 4, per_channel: true, symmetric: false }));
row('compress: binary per channel', quantize(teacher, { bits: 1, per_channel: true }));
row('compress: int8 weights and activations, symmetric', quantize(teacher, { bits: 8, activations: true, data: train }));
row('compress: int4 weights and activations, symmetric', quantize(teacher, { bits: 4, activations: true, data: train }));

// Distillation against the labels alone, 10 seeds each.
const distilled = [];
const plain = [];
let example = null;
for (let seed = 1; seed <= 10; seed++) {
  const s = distill(teacher, studentParams, train, { temperature: 4, alpha: 0.5, unlabeled: 5000, seed });
  distilled.push(accuracy(s, test));
  const p = new Model(studentParams, seed);
  p.fit(train);
  plain.push(accuracy(p, test));
  if (seed === 1) example = s;
}
row('compress: (4) student distilled, T=4, α=0.5, 5000 unlabelled', example, {
  median_distilled_accuracy: median(distilled), median_labels_only_accuracy: median(plain),
  distilled_accuracies: distilled, labels_only_accuracies: plain,
});
console.log(`   median of 10 seeds: distilled ${median(distilled).toFixed(4)}, labels alone ${median(plain).toFixed(4)}`);
// Students other than networks, 10 seeds each (a tree has no seed: one value), against the same
// student on the labels alone (α = 1, no unlabelled points).
const logisticParams = {
  kind: 'logistic', solver: 'gradient', penalty: { kind: 'l2' }, strength: 1e-4,
  features: { x1: true, x2: true, x1_squared: true, x2_squared: true, x1_x2: true, degree: 3 },
  train: { learning_rate: 0.05, batch_size: 32, optimizer: { kind: 'adam' } },
};
for (const [name, params, extra] of [
  ['degree-3 logistic student', logisticParams, {}],
  ['depth-4 tree student, soft targets', { kind: 'tree', max_depth: 4 }, { targets: 'soft' }],
  ['depth-4 tree student, hard targets', { kind: 'tree', max_depth: 4 }, { targets: 'hard' }],
]) {
  const ours = [];
  const alone = [];
  let first = null;
  for (let seed = 1; seed <= 10; seed++) {
    const s = distill(teacher, params, train, { temperature: 4, alpha: 0.5, unlabeled: 5000, epochs: 200, seed, ...extra });
    ours.push(accuracy(s, test));
    alone.push(accuracy(distill(teacher, params, train, { alpha: 1, unlabeled: 0, epochs: 200, seed, ...extra }), test));
    if (seed === 1) first = s;
  }
  row(`compress: ${name}, T=4, α=0.5, 5000 unlabelled`, first, {
    median_distilled_accuracy: median(ours), median_labels_only_accuracy: median(alone),
    distilled_accuracies: ours, labels_only_accuracies: alone,
  });
  console.log(`   median of 10 seeds: distilled ${median(ours).toFixed(4)}, labels alone ${median(alone).toFixed(4)}`);
}
const team = ensemble(studentParams, train, { members: 5, bootstrap: true, seed: 1 });
row('compress: ensemble of 5 (4) networks, bootstrap', team);
row('compress: the ensemble distilled into one (4), T=4, 5000 unlabelled', distill(team, studentParams, train, { temperature: 4, alpha: 0.5, unlabeled: 5000, seed: 1 }));

mergeResults(rows);
