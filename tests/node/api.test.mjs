// The JS API in Node 20: the same ES module the page uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { load, Dataset, Model, Session, checkState, crossValidate, renderScene, summaryText } from '../../www/api.js';

await load();

test('fit from typed arrays, predict a batch, read parameters and metrics', () => {
  const x = Float64Array.from({ length: 50 }, (_, i) => i / 5 - 5);
  const y = x.map((v) => 2 * v - 3);
  const data = Dataset.fromArrays(x, 1, y);
  assert.equal(data.length, 50);
  assert.equal(data.nFeatures, 1);
  const model = new Model({ kind: 'linear' });
  assert.equal(model.isTrained, false);
  model.fit(data);
  const p = model.predict(new Float64Array([0, 1, 10]), 1);
  assert.ok(p instanceof Float64Array);
  assert.deepEqual([...p].map((v) => Math.round(v * 1e9) / 1e9), [-3, -1, 17]);
  const summary = model.summary();
  assert.equal(summaryText(summary), 'y = 2.00·x − 3.00');
  assert.equal(summary.parameters[0][0], 'x');
  assert.deepEqual(summary.formula.score.terms.map((term) => [term.feature, Math.round(term.coefficient * 1e9) / 1e9]), [['x', 2]]);
  const scores = model.evaluate(data);
  assert.ok(scores.mse < 1e-20 && scores.r2 === 1);
});

test('predictLabels gives each row its class or cluster as a Uint32Array; a regression has none', () => {
  const blobs = Dataset.generate({ kind: 'blobs', n: 300, seed: 3 });
  const q = new Float64Array([-3, -3, 3, 3, 0, 0, 10, -10]);
  for (const params of [{ kind: 'logistic' }, { kind: 'knn' }, { kind: 'kmeans', n_clusters: 3 }]) {
    const model = new Model(params);
    model.fit(blobs);
    const labels = model.predictLabels(q, 2);
    assert.ok(labels instanceof Uint32Array, params.kind);
    const p = model.predict(q, 2);
    const k = p.length / 4;
    // the largest of each row's outputs (k-means: its one-hot column)
    const want = [0, 1, 2, 3].map((i) => { const row = [...p.slice(i * k, (i + 1) * k)]; return row.indexOf(Math.max(...row)); });
    assert.deepEqual([...labels], want, params.kind);
  }
  const line = new Model({ kind: 'linear' });
  line.fit(Dataset.generate({ kind: 'linear', n: 50, seed: 1 }));
  assert.throws(() => line.predictLabels(new Float64Array([1]), 1), (err) => err.code === 'labels_need_classes' && err.kind === 'invalid_input');
  assert.throws(() => new Model({ kind: 'logistic' }).predictLabels(new Float64Array([1, NaN]), 2), (err) => err.code === 'input_not_finite');
});

test('gradient descent steps lower the objective', () => {
  const data = Dataset.generate({ kind: 'linear', n: 300, noise: 0.1, seed: 2 });
  const model = new Model({ kind: 'linear', solver: 'gradient_descent', train: { learning_rate: 0.1 } });
  const first = model.step(data, 1);
  const later = model.step(data, 100);
  assert.ok(later < first / 5, `${later} vs ${first}`);
});

test('a diverging run throws a diverged error and keeps the last good model', () => {
  const data = Dataset.generate({ kind: 'polynomial', n: 100, seed: 1 });
  const model = new Model({ kind: 'linear', degree: 5, solver: 'gradient_descent', train: { learning_rate: 10 } });
  assert.throws(() => model.step(data, 500), (err) => err.kind === 'diverged' && /learning rate/.test(err.message));
  const p = model.predict(new Float64Array([1]), 1);
  assert.ok(Number.isFinite(p[0]));
});

test('export and import a trained model as JSON', () => {
  const data = Dataset.generate({ kind: 'sine', n: 200, seed: 5 });
  const model = new Model({ kind: 'linear', degree: 6, ridge: 0.001 });
  model.fit(data);
  const text = JSON.stringify(model.toJSON());
  const a = Model.fromJSON(text);
  const b = Model.fromJSON(JSON.parse(text));
  const q = new Float64Array([-3, 0.5, 4]);
  assert.deepEqual(a.predict(q, 1), model.predict(q, 1));
  assert.deepEqual(b.predict(q, 1), model.predict(q, 1));
});

test('toOnnx writes an ONNX file of a trained model and refuses an untrained one or a family it cannot write', () => {
  const data = Dataset.generate({ kind: 'moons', n: 200, seed: 5 });
  const model = new Model({ kind: 'mlp', hidden_layers: [{ neurons: 4, activation: 'relu' }] });
  assert.throws(() => model.toOnnx(), (e) => e.kind === 'invalid_input' && /not trained yet/.test(e.message));
  model.step(data, 5);
  const bytes = model.toOnnx();
  assert.ok(bytes instanceof Uint8Array && bytes.length > 200);
  // protobuf: field 1 (ir_version, varint) = 7 first; the producer and the layers' operators inside
  assert.deepEqual([...bytes.subarray(0, 2)], [0x08, 7]);
  const text = Buffer.from(bytes).toString('latin1');
  for (const word of ['ml-playground', 'Gemm', 'Relu', 'Sigmoid']) assert.ok(text.includes(word), word);
  const knn = new Model({ kind: 'knn' });
  knn.fit(data);
  const knnText = Buffer.from(knn.toOnnx()).toString('latin1');
  for (const word of ['TopK', 'Gather', 'ReduceSum']) assert.ok(knnText.includes(word), word);
});

test('cross-validation scores the settings it is given, fold by fold', () => {
  const data = Dataset.generate({ kind: 'separable', n: 300, noise: 0.1, seed: 3 });
  const good = crossValidate({ kind: 'logistic' }, data, { k: 5 });
  assert.equal(good.per_fold.length, 5);
  assert.ok(Math.abs(good.mean - good.per_fold.reduce((a, b) => a + b) / 5) < 1e-12);
  assert.ok(good.mean > 0.9, `logistic on separable data: ${good.mean}`);
  // A tree that may not split (fewer rows than min_samples_split) is one leaf: it predicts the
  // majority class of each training fold. (max_depth 0 is refused, as in scikit-learn.)
  const stump = crossValidate({ kind: 'tree', min_samples_split: 100000 }, data, { k: 4, metric: 'balanced_accuracy' });
  assert.equal(stump.per_fold.length, 4);
  assert.ok(Math.abs(stump.mean - 0.5) < 1e-12, `one leaf: ${stump.mean}`);
  for (const [options, kind] of [[{ k: 1 }, 'invalid_parameter'], [{ k: 11 }, 'invalid_parameter'], [{ metric: 'r2' }, 'invalid_parameter'], [{ metric: 'nonsense' }, 'invalid_input']]) {
    assert.throws(() => crossValidate({ kind: 'logistic' }, data, options), (e) => e.kind === kind && e.message.length > 10, JSON.stringify(options));
  }
});

test('the decision surface of a model on more than two features is a slice through held values', () => {
  // Three features; the third decides the class, the first two are noise.
  const n = 200;
  const x = new Float64Array(3 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[3 * i] = ((i * 37) % 100) / 10 - 5;
    x[3 * i + 1] = ((i * 53) % 100) / 10 - 5;
    x[3 * i + 2] = i < n / 2 ? -2 - (i % 7) / 7 : 2 + (i % 5) / 5;
    y[i] = i < n / 2 ? 0 : 1;
  }
  const model = new Model({ kind: 'logistic' });
  model.fit(Dataset.fromArrays(x, 3, y, 2));
  const orange = (pixels) => pixels[0] > pixels[2];
  const low = model.decisionSurface(-5, 5, -5, 5, 8, 8, 2, new Float64Array([0, 0, -3]));
  const high = model.decisionSurface(-5, 5, -5, 5, 8, 8, 2, new Float64Array([0, 0, 3]));
  assert.equal(orange(low), false, 'x3 = −3 is class 0 (blue) everywhere');
  assert.equal(orange(high), true, 'x3 = 3 is class 1 (orange) everywhere');
  assert.throws(() => model.decisionSurface(-5, 5, -5, 5, 8, 8, 2), (e) => e.kind === 'invalid_data' && /2 feature/.test(e.message));
  assert.throws(() => model.decisionSurface(-5, 5, -5, 5, 8, 8, 2, new Float64Array([0, 0, NaN])), (e) => e.kind === 'invalid_parameter');
});

test('bad input: clear errors, never a crash', () => {
  const cases = [
    [() => new Model({ kind: 'linear', degree: 0 }), 'invalid_parameter', /degree/],
    [() => new Model({ kind: 'nonsense' }), 'invalid_input', /hyper-parameters could not be read: `nonsense` is not one of the choices/],
    [() => new Model({ kind: 'linear', ridge: -1 }), 'invalid_parameter', /ridge/],
    [() => Dataset.fromArrays(new Float64Array([1, NaN]), 1, new Float64Array([1, 2])), 'invalid_data', /row 2/],
    [() => Dataset.fromArrays(new Float64Array([1, 2, 3]), 1, new Float64Array([1, 2])), 'invalid_data', /expected/],
    [() => Dataset.generate({ kind: 'sine', n: 1e9 }), 'invalid_parameter', /number of points/],
    [() => new Model({ kind: 'linear' }).fit(Dataset.fromArrays(new Float64Array([1]), 1, new Float64Array([1]))), 'invalid_data', /at least 2/],
    [() => new Model({ kind: 'linear' }).fit(Dataset.fromArrays(new Float64Array([1, 1, 1]), 1, new Float64Array([1, 2, 3]))), 'singular', /same x/],
    [() => new Model({ kind: 'linear' }).predict(new Float64Array([1, 2, 3]), 2), 'invalid_data', /rows of 2/],
    [() => new Model({ kind: 'linear' }).predict(new Float64Array([Infinity]), 1), 'invalid_data', /NaN or infinite/],
    [() => Model.fromJSON('{"format":"other"}'), 'invalid_input', /model file/],
    [() => Model.fromJSON('{oops'), 'invalid_input', /not valid JSON/],
    [() => new Session({ data: { kind: 'linear', noise: 7 } }), 'invalid_parameter', /noise/],
    [() => checkState({ model: { kind: 'linear', degree: 'three' } }), 'invalid_input', /state/],
  ];
  for (const [fn, kind, pattern] of cases) {
    assert.throws(fn, (err) => {
      assert.equal(err.kind, kind, err.message);
      assert.match(err.message, pattern);
      return true;
    });
  }
  // The module still works after all of that.
  const m = new Model({ kind: 'linear' });
  m.fit(Dataset.generate({ kind: 'linear', n: 20, seed: 1 }));
  assert.ok(m.isTrained);
});

test('a scene carries its per-point arrays as typed arrays, and renderScene reads them back', () => {
  const session = new Session({ data: { kind: 'moons', n: 300, seed: 3 }, model: { kind: 'logistic' } });
  session.fitNow();
  const scene = session.scene(64);
  assert.ok(scene.xs instanceof Float64Array && scene.ys instanceof Float64Array);
  assert.ok(scene.roles instanceof Uint8Array && scene.classes instanceof Uint8Array);
  assert.ok(scene.fitted instanceof Float64Array);
  assert.equal(scene.xs.length, 300);
  assert.equal(scene.classes.length, 300);
  assert.ok(scene.classes.every((c) => c === 0 || c === 1) && scene.classes.some((c) => c === 1));
  assert.ok(scene.n_classes === 2 && scene.view.x.length === 2);
  const { sigmoid } = session.views();
  assert.ok(sigmoid.z instanceof Float64Array && sigmoid.z.length === 300 && sigmoid.z.every(Number.isFinite));
  assert.ok(sigmoid.classes instanceof Uint8Array && sigmoid.roles instanceof Uint8Array);
  // Node has no canvas: a stand-in without a 2-D context lets renderScene read the scene, then
  // refuse to draw. A scene that reads (typed arrays, or plain arrays as older callers sent)
  // reaches the drawing; a damaged one is refused first, with a message naming the field.
  const noCanvas = { width: 400, height: 300, getContext: () => null };
  const kindOf = (scene) => {
    try {
      renderScene(noCanvas, scene, 1);
    } catch (err) {
      assert.ok(err instanceof Error);
      return [err.kind, err.message];
    }
    return ['drawn'];
  };
  assert.equal(kindOf(scene)[0], 'render');
  assert.equal(kindOf({ ...scene, xs: [...scene.xs], ys: [...scene.ys], roles: [...scene.roles], classes: [...scene.classes] })[0], 'render');
  const [kind, message] = kindOf({ ...scene, xs: 'many' });
  assert.equal(kind, 'invalid_input');
  assert.match(message, /the scene could not be read: `xs` is not a list of numbers/);
  assert.equal(kindOf(42)[0], 'invalid_input');
  assert.equal(kindOf({ ...scene, n_classes: 'two' })[0], 'invalid_input');
});

test('the Node example runs and reports what it promises', async () => {
  const script = fileURLToPath(new URL('../../examples/node-linear.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script]);
  assert.match(stdout, /test R² = 0\.9\d+/);
  const gap = Number(/largest gap to closed form (\S+)/.exec(stdout)[1]);
  assert.ok(gap < 1e-6, stdout);
  assert.match(stdout, /predicts the same: true/);
  assert.match(stdout, /refused: \[invalid_parameter\]/);
});
