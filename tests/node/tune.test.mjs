// The tuning JS API (the README's examples): minimize a JS function, tune a model by
// cross-validation, with errors for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, Dataset, tune, minimize, crossValidate } from '../../www/api.js';

await load();

test('minimize finds the minimum of a JS function; a throwing call is a failed trial', () => {
  const space = [{ path: 'x', type: 'uniform', low: -5, high: 5 }, { path: 'y', type: 'uniform', low: -5, high: 5 }];
  const run = minimize((p) => (p.x - 1) ** 2 + (p.y + 2) ** 2, space, { strategy: { kind: 'nelder_mead' }, trials: 60, seed: 1 });
  assert.equal(run.trials.length, 60);
  const best = run.trials[run.best];
  assert.ok(best.score < 1e-2, `best ${best.score}`);
  assert.ok(Math.abs(best.params.x - 1) < 0.1 && Math.abs(best.params.y + 2) < 0.1, JSON.stringify(best.params));
  let calls = 0;
  const flaky = minimize(() => { if (++calls % 2) throw new Error('no'); return calls; }, space, { strategy: { kind: 'random' }, trials: 6, seed: 2 });
  assert.equal(flaky.trials.filter((t) => t.error).length, 3);
  assert.match(flaky.trials.find((t) => t.error).error, /threw: no/);
  assert.throws(() => minimize(() => 0, space, { strategy: { kind: 'random' }, trials: 0 }), /budget/);
  assert.throws(() => minimize(() => 0, [], { strategy: { kind: 'random' }, trials: 5 }), /parameter/);
});

test('tune scores every trial by cross-validation, as crossValidate does', () => {
  const data = Dataset.generate({ kind: 'moons', n: 300, noise: 0.3, seed: 4 });
  const space = [{ path: 'max_depth', type: 'int', low: 1, high: 8 }, { path: 'min_samples_leaf', type: 'int', low: 1, high: 20, log: true }];
  const run = tune({ kind: 'tree' }, space, data, { strategy: { kind: 'bayes' }, trials: 12, seed: 1, cv: { k: 5 } });
  assert.equal(run.trials.length, 12);
  assert.equal(run.greater_is_better, true);
  const best = run.trials[run.best];
  assert.ok(run.trials.every((t) => t.score <= best.score));
  const again = crossValidate({ kind: 'tree', ...best.params }, data, { k: 5 });
  assert.equal(again.mean, best.score);
  assert.ok(best.score > 0.8, `accuracy ${best.score}`);
  assert.throws(() => tune({ kind: 'tree' }, [{ path: 'no_such', type: 'int', low: 1, high: 3 }], data, { strategy: { kind: 'random' }, trials: 3 }), /no_such/);
});

test('tune takes repeated k-fold and the median rule', () => {
  const data = Dataset.generate({ kind: 'moons', n: 300, noise: 0.3, seed: 4 });
  const space = [{ path: 'max_depth', type: 'int', low: 1, high: 10 }, { path: 'min_samples_leaf', type: 'int', low: 1, high: 60, log: true }];
  const options = { strategy: { kind: 'random' }, trials: 20, seed: 3, cv: { k: 5 } };
  const plain = tune({ kind: 'tree' }, space, data, options);
  const pruned = tune({ kind: 'tree' }, space, data, { ...options, prune: true });
  const stopped = pruned.trials.filter((t) => t.pruned);
  assert.ok(stopped.length > 0 && stopped.every((t) => t.score === null && t.folds < 5 && /stopped early/.test(t.error)));
  assert.deepEqual(pruned.trials[pruned.best].params, plain.trials[plain.best].params);
  const repeated = tune({ kind: 'tree' }, space, data, { ...options, trials: 2, repeats: 3 });
  assert.ok(repeated.trials.every((t) => t.folds === 15));
  assert.throws(() => tune({ kind: 'tree' }, space, data, { ...options, repeats: 2, shuffle: false }), /shuffl/);
});
