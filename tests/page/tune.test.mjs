// The Tune panel on the real page (issue 13): a link's tuning setup is shown, a small grid search
// runs to the end in the pool of workers, the table has a row per grid point with the best one
// highlighted, sorting works, "Use best" gives the model the best settings, Cancel stops a long
// run, and the Chinese panel has no English in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, open, settle, enc, newPage, waitReady } from './support.mjs';

useBrowser();

const status = (page) => page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent);

/** A tree on the circle data, and a grid over its depth 1–4 scored by 3-fold accuracy. */
const GRID = {
  data: { kind: 'circle', n: 200, seed: 1 },
  model: { kind: 'tree', max_depth: 1 },
  tune: { space: [{ path: 'max_depth', type: 'int', low: 1, high: 4 }], strategy: { kind: 'grid' }, trials: 4, k: 3, metric: 'accuracy', seed: 1 },
};

/** The table's rows as arrays of cell texts, and which row is highlighted as the best. */
const table = (page) => page.evaluate(() => {
  const t = document.querySelector('ml-playground').shadowRoot.getElementById('tune-table');
  const rows = [...t.querySelectorAll('tbody tr')];
  return { rows: rows.map((r) => [...r.cells].map((c) => c.textContent)), best: rows.findIndex((r) => r.classList.contains('best')) };
});

test('a grid search from a link runs to the end, sorts, and "Use best" changes the model', async () => {
  const page = await open(GRID);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  // the link's setup is shown: depth ticked with its range, the strategy, the budget, the folds
  assert.equal(await shadow('#tune-params input[data-path="max_depth"]').isChecked(), true);
  assert.equal(await shadow('#tune-params .tune-low').first().inputValue(), '1');
  assert.equal(await shadow('#tune-params .tune-high').first().inputValue(), '4');
  assert.equal(await shadow('#tune-strategy').inputValue(), 'grid');
  assert.equal(await shadow('#tune-trials').inputValue(), '4');
  assert.equal(await shadow('#tune-k').inputValue(), '3');
  assert.equal(await shadow('#tune-best').isDisabled(), true);

  await shadow('#tune-start').click();
  await page.waitForFunction(() => /^4 trials; best/.test(document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent), null, { timeout: 60000 });
  const { rows, best } = await table(page);
  // one row per grid point, in trial order: depth 1, 2, 3, 4
  assert.deepEqual(rows.map((r) => r[0]), ['1', '2', '3', '4']);
  assert.deepEqual(rows.map((r) => r[1]), ['1', '2', '3', '4']);
  const scores = rows.map((r) => Number(r[2].split(' ± ')[0]));
  for (const s of scores) assert.ok(s > 0.3 && s <= 1, String(s));
  assert.equal(best, scores.indexOf(Math.max(...scores)), 'the best row is highlighted');
  // a depth-1 stump cannot draw a circle: deeper trees score better
  assert.ok(Math.max(...scores) > scores[0] + 0.05, scores.join());
  const bestDepth = Number(rows[best][1]);
  assert.match(await status(page), new RegExp(`best accuracy: ${rows[best][2].split(' ± ')[0]} \\(trial ${rows[best][0]}\\)`));
  // the charts: history, and the score over the one searched setting
  assert.equal(await shadow('#tune-history').isVisible(), true);
  assert.equal(await shadow('#tune-scatter').isVisible(), true);

  // sorting by score (click the header): the best first
  await shadow('#tune-table thead th:nth-child(3) button').click();
  const sorted = await table(page);
  assert.equal(sorted.best, 0);
  assert.deepEqual(sorted.rows.map((r) => Number(r[2].split(' ± ')[0])), [...scores].sort((a, b) => b - a));

  // the state (and so a copied link) carries the setup
  const setup = await page.evaluate(() => document.querySelector('ml-playground').state.tune);
  assert.deepEqual(setup.space, GRID.tune.space);
  assert.equal(setup.trials, 4);

  await shadow('#tune-best').click();
  await settle(page);
  const depth = await page.evaluate(() => document.querySelector('ml-playground').state.model.max_depth);
  assert.equal(depth, bestDepth);
  assert.notEqual(depth, 1);
  // a grid larger than the budget is refused with a message, and the shown results stay
  await shadow('#tune-trials').fill('2');
  await shadow('#tune-start').click();
  assert.match(await status(page), /^Could not tune: .*grid has 4 points, more than the budget of 2/);
  assert.equal(await shadow('#tune-start').textContent(), 'Start');
  assert.equal((await table(page)).rows.length, 4);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('Cancel stops a long search: no trial runs after it, and the panel can start again', async () => {
  const page = await newPage(browser);
  const slow = {
    data: { kind: 'moons', n: 1500, seed: 2 },
    model: { kind: 'mlp', max_epochs: 300, tolerance: 0 },
    tune: { space: [{ path: 'train.learning_rate', type: 'log_uniform', low: 0.001, high: 0.3 }], strategy: { kind: 'random' }, trials: 200, k: 5, seed: 1 },
  };
  await page.goto(`${server.url}#s=${enc(slow)}`);
  await waitReady(page);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  await shadow('#tune-start').click();
  await page.waitForFunction(() => document.querySelector('ml-playground').parts.tune.pool?.slots.some((s) => s.job), null, { timeout: 30000 });
  assert.equal(await shadow('#tune-start').textContent(), 'Cancel');
  await shadow('#tune-start').click();
  assert.match(await status(page), /^Cancelled after \d+ of 200 trials\.$/);
  assert.equal(await shadow('#tune-start').textContent(), 'Start');
  // nothing is left running or waiting in the pool (the busy workers were ended and replaced)
  const pool = await page.evaluate(() => {
    const p = document.querySelector('ml-playground').parts.tune.pool;
    return { busy: p.slots.filter((s) => s.job).length, queued: p.queue.length, workers: p.slots.length };
  });
  assert.equal(pool.busy, 0);
  assert.equal(pool.queued, 0);
  assert.ok(pool.workers >= 1);
  // no setting ticked: a message, not a run
  await shadow('#tune-params input[data-path="train.learning_rate"]').uncheck();
  await shadow('#tune-start').click();
  assert.equal(await status(page), 'Tick at least one setting to search.');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the Chinese Tune panel has no English in it, before and after a run', async () => {
  const page = await open({ ...GRID, tune: { ...GRID.tune, space: [...GRID.tune.space, { path: 'criterion', type: 'categorical', choices: ['gini', 'entropy'] }], trials: 8 } }, { lang: 'zh' });
  const english = () => page.evaluate(() => {
    const panel = document.querySelector('ml-playground').shadowRoot.getElementById('tune');
    const texts = [panel.innerText];
    for (const el of panel.querySelectorAll('[title], [aria-label]')) texts.push(el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? '');
    for (const o of panel.querySelectorAll('option')) texts.push(o.textContent);
    return texts.flatMap((t) => t.match(/[A-Za-z][A-Za-z_]+/g) ?? []);
  });
  assert.deepEqual(await english(), []);
  await page.locator('ml-playground #tune-start').click();
  await page.waitForFunction(() => /^共 8 次试验/.test(document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent), null, { timeout: 60000 });
  assert.equal((await table(page)).rows.length, 8);
  assert.deepEqual(await english(), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});
