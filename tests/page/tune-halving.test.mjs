// Successive halving over epochs from the Tune panel (issue 13): chosen for a network with its
// min epochs and η, it stops trials at the rungs (min epochs·η^k), the table says after how many
// epochs, the status counts them, the state keeps the choice so a copied link shows it again (in
// Chinese too), and a model not trained by epochs is not offered it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, open } from './support.mjs';

useBrowser();

const NETWORK = {
  data: { kind: 'moons', n: 200, noise: 0.25, seed: 1 },
  model: { kind: 'mlp', hidden_layers: [{ neurons: 4, activation: 'tanh' }], max_epochs: 24, patience: 1000, train: { batch_size: 32, learning_rate: 0.05 } },
  tune: { space: [{ path: 'train.learning_rate', type: 'log_uniform', low: 0.0003, high: 1 }], strategy: { kind: 'random' }, trials: 12, k: 3, metric: 'accuracy', seed: 2 },
};

const statusOf = (page) => page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent);

test('successive halving chosen in the panel stops hopeless networks at the rungs, and a link keeps it', async () => {
  const page = await open(NETWORK);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  assert.equal(await shadow('#tune-halving').isVisible(), false);
  await shadow('#tune-prune').selectOption('halving');
  assert.equal(await shadow('#tune-halving').isVisible(), true);
  await shadow('#tune-min-epochs').fill('3');
  await shadow('#tune-eta').selectOption('2');
  await shadow('#tune-start').click();
  await page.waitForFunction(() => /^12 trials; best/.test(document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent), null, { timeout: 120000 });
  const state = await page.evaluate(() => document.querySelector('ml-playground').state);
  assert.deepEqual(state.tune.halving, { min_epochs: 3, reduction_factor: 2 });
  assert.equal(state.tune.prune, undefined);
  const { trials } = state.tune.results;
  const stopped = trials.filter((t) => t.pruned);
  // learning rates from 3e-4 (hopeless in 24 epochs) to 1: some stop, the best goes on
  assert.ok(stopped.length >= 2 && stopped.length < 12, JSON.stringify(trials));
  for (const t of stopped) assert.ok(t.score == null && [3, 6, 12].includes(t.epochs) && t.folds == null, JSON.stringify(t));
  // the first trial to finish is alone at every rung: it always goes on
  assert.ok(!trials[0].pruned && trials[0].score > 0.5, JSON.stringify(trials[0]));
  const status = await statusOf(page);
  assert.match(status, new RegExp(`${stopped.length} stopped early by successive halving\\.$`), status);
  const cells = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#tune-table tbody td')].map((c) => c.textContent));
  for (const e of new Set(stopped.map((t) => t.epochs))) assert.ok(cells.includes(`stopped after ${e} epochs`), cells.join('|'));
  // a copied link shows the choice and the stopped trials, in Chinese
  const again = await open(state, { lang: 'zh' });
  const there = (sel) => again.locator(`ml-playground ${sel}`);
  assert.equal(await there('#tune-prune').inputValue(), 'halving');
  assert.equal(await there('#tune-min-epochs').inputValue(), '3');
  assert.equal(await there('#tune-eta').inputValue(), '2');
  await again.waitForFunction(() => /逐次减半/.test(document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent), null, { timeout: 30000 });
  const zhCells = await again.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#tune-table tbody td')].map((c) => c.textContent));
  assert.ok(zhCells.includes(`训练 ${stopped[0].epochs} 轮后停止`), zhCells.join('|'));
  const options = await again.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#tune-prune option')].map((o) => o.textContent));
  assert.deepEqual(options, ['从不', '中位数规则（按折）', '逐次减半（按训练轮次）']);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.close();
});

test('a tree is not offered successive halving', async () => {
  const page = await open({ data: { kind: 'circle', n: 200, seed: 1 }, model: { kind: 'tree' } });
  const disabled = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.querySelector('#tune-prune option[value="halving"]').disabled);
  assert.equal(disabled, true);
  assert.deepEqual(page.errors, []);
  await page.close();
});
