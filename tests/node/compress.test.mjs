// Compression through the JS API in Node: prune, quantize, distill, ensemble, keepStages and model.size(),
// each returning a new Model and leaving the one passed in as it was; bad settings throw errors
// that name them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, Dataset, Model, compare, prune, quantize, distill, ensemble, keepStages } from '../../www/api.js';

await load();

const data = Dataset.generate({ kind: 'moons', n: 300, noise: 0.2, seed: 4 });
const [train, test_] = data.split(0.3, 1);
const net = { kind: 'mlp', hidden_layers: [{ neurons: 16, activation: 'tanh' }, { neurons: 16, activation: 'tanh' }],
  max_epochs: 100, train: { learning_rate: 0.02, batch_size: 32, optimizer: { kind: 'adam' } } };
const teacher = new Model(net, 1);
teacher.fit(train);

/** Test accuracy of a two-class model. @param {Model} model */
function accuracy(model) {
  const p = model.predict(test_.x(), 2);
  const y = test_.y();
  let hits = 0;
  for (let i = 0; i < y.length; i++) hits += Number((p[2 * i + 1] > 0.5) === (y[i] === 1));
  return hits / y.length;
}

test('size counts every weight and bias, the non-zero ones and the bytes as stored', () => {
  const n = 3 * 16 + 17 * 16 + 17;
  assert.deepEqual(teacher.size(), { parameters: n, nonzero: n, bytes: 8 * n });
  assert.throws(() => new Model(net).size(), /not trained/);
});

test('prune returns a new model at the exact sparsity, pruned and fine-tuned in ten steps, the pruned weights held at zero', () => {
  const before = teacher.toJSON();
  const pruned = prune(teacher, { sparsity: 0.8, scope: 'global', data: train, fine_tune_epochs: 5, steps: 10 });
  const weights = 2 * 16 + 16 * 16 + 16;
  const s = pruned.size();
  assert.equal(s.parameters, teacher.size().parameters);
  assert.equal(s.parameters - s.nonzero, Math.round(0.8 * weights));
  assert.ok(s.bytes < teacher.size().bytes / 3, `${s.bytes}`);
  assert.deepEqual(teacher.toJSON(), before, 'the original is kept');
  assert.ok(accuracy(pruned) > 0.9, `${accuracy(pruned)} vs ${accuracy(teacher)}`);
  assert.ok(accuracy(prune(teacher, { sparsity: 0.8 })) < 0.9, "fine-tuning is what recovers it");
  const slim = prune(teacher, { sparsity: 0.5, structured: true, scope: 'layer' });
  assert.equal(slim.size().parameters, 3 * 8 + 9 * 8 + 9);
  assert.throws(() => prune(teacher, { sparsity: 1 }), (e) => e.kind === 'invalid_parameter' && /sparsity/.test(e.message));
  assert.throws(() => prune(teacher, { sparsity: 0.5, fine_tune_epochs: 3 }), /data/);
  assert.throws(() => prune(teacher, { sparsity: 0.5, scpe: 'layer' }), /scpe/);
});

test('quantize stores integers: the file has no float weights and reads back the same', () => {
  const int8 = quantize(teacher, { bits: 8, per_channel: true, symmetric: false });
  const file = int8.toJSON();
  assert.equal(file.model.network.params, undefined);
  assert.ok(file.model.network.quantized.layers[0].values.every(Number.isInteger));
  const again = Model.fromJSON(JSON.stringify(file));
  const grid = new Float64Array([0, 0, 1, -0.5, -1, 1]);
  assert.deepEqual(again.predict(grid, 2), int8.predict(grid, 2));
  assert.ok(Math.abs(accuracy(int8) - accuracy(teacher)) <= 0.01);
  assert.ok(int8.size().bytes < teacher.size().bytes / 3);
  const c = compare(teacher, int8, train, test_);
  assert.equal(c.original.test.accuracy, accuracy(teacher));
  assert.equal(c.compressed.size.bytes, int8.size().bytes);
  assert.ok(c.mean_abs_difference > 0 && c.mean_abs_difference < 0.01, `${c.mean_abs_difference}`);
  assert.throws(() => quantize(teacher, { bits: 0 }), (e) => e.kind === 'invalid_parameter' && /bits/.test(e.message));
});

test('distill trains a smaller student on the teacher; ensemble averages small networks', () => {
  const student = { kind: 'mlp', hidden_layers: [{ neurons: 4, activation: 'tanh' }], max_epochs: 100 };
  const s = distill(teacher, student, train, { temperature: 4, alpha: 0.5, unlabeled: 500, seed: 2 });
  assert.equal(s.size().parameters, 3 * 4 + 5);
  assert.ok(accuracy(s) > accuracy(teacher) - 0.05, `${accuracy(s)} vs ${accuracy(teacher)}`);
  assert.throws(() => distill(new Model(net), student, train, {}), (e) => e.kind === 'invalid_input' && /not trained/.test(e.message));
  assert.throws(() => distill(s, net, train, {}), /larger than its teacher/);
  const e = ensemble(student, train, { members: 3, bootstrap: true, seed: 1 });
  assert.equal(e.size().parameters, 3 * (3 * 4 + 5));
  assert.ok(accuracy(e) > 0.8);
  assert.equal(Model.fromJSON(JSON.stringify(e.toJSON())).size().parameters, e.size().parameters);
});

test('a network with every layer frozen refuses to train, with a message', () => {
  const frozen = new Model({ ...net, frozen: [0, 1, 2] }, 1);
  assert.throws(() => frozen.step(train, 1), (e) => e.kind === 'invalid_parameter' && /every layer is frozen/.test(e.message));
  const some = new Model({ ...net, frozen: [0] }, 1);
  some.step(train, 2);
  assert.ok(some.isTrained);
});

test('keepStages cuts a boosted model to its first stages and a forest to its first trees, as new models of their family', () => {
  const boosted = new Model({ kind: 'boosting', n_estimators: 20, max_depth: 2 }, 1);
  boosted.fit(train);
  const before = JSON.stringify(boosted.toJSON());
  const x = test_.x();
  const five = keepStages(boosted, 5);
  assert.equal(JSON.stringify(boosted.toJSON()), before, 'the original is kept');
  const file = five.toJSON();
  assert.equal(file.model.stages.length, 5);
  assert.equal(file.model.params.n_estimators, 5);
  // all 20 kept: the model itself; 5 of 20: another model, which a file brings back
  assert.deepEqual(keepStages(boosted, 20).predict(x, 2), boosted.predict(x, 2));
  assert.notDeepEqual(five.predict(x, 2), boosted.predict(x, 2));
  assert.deepEqual(Model.fromJSON(JSON.stringify(file)).predict(x, 2), five.predict(x, 2));
  const forest = new Model({ kind: 'forest', n_estimators: 6, max_depth: 3 }, 1);
  forest.fit(train);
  assert.equal(keepStages(forest, 2).toJSON().model.trees.length, 2);
  assert.throws(() => keepStages(forest, 7), (e) => e.code === 'stages_keep_range' && e.values.max === 6 && e.values.got === 7);
  assert.throws(() => keepStages(forest, 0), (e) => e.code === 'stages_keep_range');
  assert.throws(() => keepStages(teacher, 1), (e) => e.code === 'compress_needs_stages');
});
