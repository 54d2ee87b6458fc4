// The JS API's `Model.toPython(data)` (issue 15, "Copy as Python" for a model trained outside the
// page): the script, run in python3 (numpy and scikit-learn, installed by `scripts/setup.sh
// --test`), rebuilds the model and predicts the points it carries as `model.predict` does, to
// 1e-9 in float64, for every family.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load, Dataset, Model, ensemble } from '../../www/api.js';

await load();
const run = promisify(execFile);

/** Each script's `predict(X)` on its own `X`, as JSON (NaN as null): one array of rows per file. */
const RUNNER = `import json, runpy, sys
import numpy as np
out = []
for f in sys.argv[1:]:
    ns = runpy.run_path(f)
    out.append(np.asarray(ns['predict'](ns['X']), dtype=float).tolist())
print(json.dumps(out))
`;

test('the Python script of every family predicts its points as model.predict does (≤ 1e-9)', async (t) => {
  const moons = Dataset.generate({ kind: 'moons', n: 120, noise: 0.2, seed: 2 });
  const blobs = Dataset.generate({ kind: 'blobs', classes: 3, n: 120, noise: 0.6, seed: 4 });
  const sine = Dataset.generate({ kind: 'sine', n: 120, seed: 3 });
  const [train, test] = moons.split(0.3, 7);
  /** @type {[string, any, any, number?][]} name, model params, data, steps (none: fit) */
  const cases = [
    ['linear degree 4', { kind: 'linear', degree: 4 }, sine],
    ['logistic, x1·x2', { kind: 'logistic', features: { x1_x2: true } }, moons],
    ['logistic softmax', { kind: 'logistic' }, blobs],
    ['network tanh', { kind: 'mlp', hidden_layers: [{ neurons: 5, activation: 'tanh' }] }, moons, 60],
    ['network relu, residual', { kind: 'mlp', residual: true, hidden_layers: [{ neurons: 4, activation: 'relu' }, { neurons: 4, activation: 'relu' }] }, blobs, 60],
    ['network regression', { kind: 'mlp', hidden_layers: [{ neurons: 6, activation: 'sigmoid' }] }, sine, 60],
    ['tree', { kind: 'tree' }, blobs],
    ['tree regression', { kind: 'tree', max_depth: 5 }, sine],
    ['forest', { kind: 'forest', n_estimators: 5 }, moons],
    ['boosting', { kind: 'boosting', n_estimators: 20 }, blobs],
    ['k-NN', { kind: 'knn', n_neighbors: 5 }, moons],
    ['k-NN regression', { kind: 'knn', n_neighbors: 7, weights: 'distance' }, sine],
    ['naive Bayes', { kind: 'naive_bayes' }, blobs],
    ['SVM', { kind: 'svm' }, moons],
    ['SVR', { kind: 'svm', epsilon: 0.1 }, sine],
    ['k-means', { kind: 'kmeans', n_clusters: 3 }, blobs],
    ['ensemble', { kind: 'ensemble', members: 2, hidden_layers: [{ neurons: 4, activation: 'tanh' }] }, moons, 40],
  ];
  /** @type {[string, any, any][]} name, trained model, the points its script carries */
  const trained = [];
  for (const [name, params, data, steps] of cases) {
    const model = new Model(params, 3);
    if (steps) model.step(data, steps);
    else model.fit(data);
    trained.push([name, model, data]);
  }
  // trained on one split, the script carries the other (held-out points)
  const held = new Model({ kind: 'logistic' });
  held.fit(train);
  trained.push(['logistic, held-out points', held, test]);
  // a model the compress functions make
  trained.push(['ensemble of fitted networks', ensemble({ kind: 'mlp', hidden_layers: [{ neurons: 3, activation: 'tanh' }] }, train, { members: 2, seed: 5 }), test]);

  const dir = mkdtempSync(path.join(tmpdir(), 'ml-playground-py-'));
  try {
    const files = trained.map(([name, model, data], i) => {
      const script = model.toPython(data);
      assert.match(script, /^# ml-playground: a trained /, name);
      assert.ok(script.includes('def predict(X):'), name);
      const file = path.join(dir, `m${i}.py`);
      writeFileSync(file, script);
      return file;
    });
    // run as a program, a script prints its points' predictions
    const { stdout: printed } = await run('python3', [files[1]]);
    assert.match(printed, /^\[\[/, 'the logistic script prints its predictions');
    const { stdout } = await run('python3', ['-c', RUNNER, ...files], { maxBuffer: 64 << 20 });
    const results = JSON.parse(stdout);
    trained.forEach(([name, model, data], i) => {
      const want = model.predict(data.x(), data.nFeatures);
      const got = results[i].flat();
      assert.equal(got.length, want.length, `${name}: as many outputs`);
      const diff = got.reduce((m, v, j) => Math.max(m, Math.abs(v - want[j])), 0);
      t.diagnostic(`${name}: max |python − predict| = ${diff.toExponential(1)}`);
      assert.ok(diff <= 1e-9, `${name}: max |python − predict| = ${diff}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('toPython refuses an untrained model and points of another width, with error codes', () => {
  const moons = Dataset.generate({ kind: 'moons', n: 60, seed: 1 });
  for (const kind of ['linear', 'logistic', 'mlp', 'tree', 'svm', 'kmeans', 'ensemble']) {
    const model = new Model({ kind });
    assert.throws(() => model.toPython(moons), (e) => e.kind === 'invalid_input' && e.code === 'export_untrained', kind);
  }
  const model = new Model({ kind: 'logistic' });
  model.fit(moons);
  const three = Dataset.fromArrays(new Float64Array(9), 3, new Float64Array(3), 2);
  assert.throws(() => model.toPython(three), (e) => e.kind === 'invalid_data' && e.code === 'feature_count' && /2 feature/.test(e.message));
});
