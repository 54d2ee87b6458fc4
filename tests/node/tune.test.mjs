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

test('the pictures\' numbers from a run\'s trials: importances find the one setting that matters, the surrogate finds its minimum', async () => {
  const { tuneImportance, tuneSurface } = await import('../../www/api.js');
  const space = [
    { path: 'x', type: 'uniform', low: -2, high: 2 },
    { path: 'noise', type: 'int', low: 1, high: 9 },
    { path: 'kind', type: 'categorical', choices: ['a', 'b'] },
  ];
  // only x matters: (x − 0.5)²
  const run = minimize((p) => (p.x - 0.5) ** 2, space, { strategy: { kind: 'random' }, trials: 50, seed: 3 });
  const input = { space, trials: run.trials.map((t) => ({ values: t.params, score: t.score })), greater_is_better: false };
  const importance = [...tuneImportance(input, 1)];
  assert.equal(importance.length, 3);
  assert.ok(Math.abs(importance.reduce((a, b) => a + b) - 1) < 1e-9);
  assert.ok(importance[0] > 0.9, JSON.stringify(importance));
  const slice = tuneSurface(input, 0, 1, 40, 9);
  assert.equal(slice.mean.length, 40 * 9);
  assert.deepEqual(slice.x_range, [-2, 2]);
  assert.deepEqual(slice.y_range, [0.5, 9.5]);
  assert.ok(Math.abs(slice.next[0] - 0.5) < 0.2, JSON.stringify(slice.next));
  assert.ok(Number.isInteger(slice.next[1]));
  // the mean along x at the middle row follows (x − 0.5)²
  const row = 4;
  const at = (i) => slice.mean[row * 40 + i];
  const x = (i) => -2 + ((i + 0.5) / 40) * 4;
  for (const i of [0, 10, 25, 39]) assert.ok(Math.abs(at(i) - (x(i) - 0.5) ** 2) < 0.15, `${x(i)}: ${at(i)}`);
  assert.throws(() => tuneSurface(input, 1, 1, 40, 9), /two different/);
  assert.throws(() => tuneSurface({ ...input, trials: [{ values: { x: 7 }, score: 1 }] }, 0, 1, 4, 4), /`x`/);
  assert.equal(tuneSurface({ ...input, trials: input.trials.slice(0, 1) }, 0, 1, 4, 4), null);
});

test('scoreTrial scores as crossValidate; with the median rule a hopeless trial stops', async () => {
  const { scoreTrial } = await import('../../www/api.js');
  const data = Dataset.generate({ kind: 'circle', n: 200, seed: 1 });
  const cv = { k: 4, seed: 2 };
  const stump = { kind: 'tree', max_depth: 1 };
  const whole = crossValidate(stump, data, cv);
  const r = scoreTrial(stump, data, { cv });
  assert.ok(Math.abs(r.score - whole.mean) < 1e-12 && Math.abs(r.std - whole.std) < 1e-12);
  assert.equal(r.running.length, 4);
  const stopped = scoreTrial(stump, data, { cv, prune: true, medians: [0.99, 0.99, 0.99, 0.99] });
  assert.equal(stopped.pruned, true);
  assert.equal(stopped.folds, 1);
  assert.equal(stopped.score ?? null, null);
  const twice = scoreTrial(stump, data, { cv, repeats: 2 });
  assert.equal(twice.running.length, 8);
  assert.throws(() => scoreTrial(stump, data, { cv, repeats: 11 }), /repeats/);
});

test('tune takes successive halving over a network\'s epochs; scoreTrial stops a trial behind the rungs\' values', async () => {
  const { scoreTrial } = await import('../../www/api.js');
  const data = Dataset.generate({ kind: 'moons', n: 240, noise: 0.3, seed: 4 });
  const net = { kind: 'mlp', hidden_layers: [{ neurons: 4, activation: 'tanh' }], max_epochs: 24, patience: 1000, train: { batch_size: 32 } };
  const space = [{ path: 'train.learning_rate', type: 'log_uniform', low: 0.0003, high: 1 }];
  const options = { strategy: { kind: 'random' }, trials: 10, seed: 7, cv: { k: 3, seed: 2 }, halving: { min_epochs: 3, reduction_factor: 2 } };
  const run = tune(net, space, data, options);
  const stopped = run.trials.filter((t) => t.pruned);
  assert.ok(stopped.length >= 2 && stopped.length < 10, JSON.stringify(run.trials));
  for (const t of stopped) assert.ok(t.score === null && [3, 6, 12].includes(t.epochs) && /successive halving/.test(t.error), JSON.stringify(t));
  // a trial that went on has a value at every rung (3, 6, 12 epochs) and scores as crossValidate
  const kept = run.trials.find((t) => !t.pruned);
  assert.equal(kept.rungs.length, 3);
  const settings = { ...net, train: { ...net.train, learning_rate: kept.params['train.learning_rate'] } };
  assert.ok(Math.abs(crossValidate(settings, data, { k: 3, seed: 2 }).mean - kept.score) < 1e-12);
  // its value at rung 0: the same network fitted for 3 epochs
  assert.ok(Math.abs(crossValidate({ ...settings, max_epochs: 3 }, data, { k: 3, seed: 2 }).mean - kept.rungs[0]) < 1e-12);
  // the same seed, the same run
  assert.deepEqual(tune(net, space, data, options).trials.map((t) => [t.pruned, t.epochs ?? null]), run.trials.map((t) => [t.pruned, t.epochs ?? null]));
  // one trial scored alone as the pool does: behind the values others reached at rung 0, it stops there
  const alone = scoreTrial(settings, data, { cv: { k: 3, seed: 2 }, halving: { min_epochs: 3, reduction_factor: 2 }, rungs: [[1, 1, 1]] });
  assert.equal(alone.pruned, true);
  assert.equal(alone.epochs, 3);
  assert.equal(alone.rungs.length, 1);
  assert.equal(scoreTrial(settings, data, { cv: { k: 3, seed: 2 }, halving: {}, rungs: [] }).pruned, false);
  // a tree is not trained by epochs; one rule at a time
  assert.throws(() => tune({ kind: 'tree' }, [{ path: 'max_depth', type: 'int', low: 1, high: 5 }], data, { ...options, trials: 2 }),
    (e) => e.code === 'halving_needs_epochs' && e.values.model === 'tree');
  assert.throws(() => tune(net, space, data, { ...options, prune: true }), (e) => e.code === 'prune_one_rule');
});

test('a trial\'s score and spread as the Tune table writes them: a spread of exactly 0 is "± 0", not "± 0.0"', async () => {
  const { fmtSpread } = await import('../../www/util.js');
  assert.equal(fmtSpread(0.82, 0), '0.8200 ± 0');
  assert.equal(fmtSpread(0.99, 0.0082), '0.9900 ± 0.0082');
  assert.equal(fmtSpread(0.8967, 0.0123), '0.8967 ± 0.012');
  assert.equal(fmtSpread(null, null), '– ± –');
});
