// The Tune panel's pictures and saved results (issue 13): Bayesian search draws the surrogate's
// mean and uncertainty per pixel under the trials with EI's pick marked, parallel coordinates and
// the importances fill in as trials finish; a genetic search draws its generations; repeated
// k-fold with the median rule and nested cross-validation run from the panel; and a copied link
// carries the results, so a fresh page shows the same table and pictures, pixel for pixel,
// without running the search again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, open, enc, newPage, waitReady } from './support.mjs';

useBrowser();

const status = (page) => page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent);
const done = (page, total) => page.waitForFunction((n) => new RegExp(`^${n} trials; best`).test(
  document.querySelector('ml-playground').shadowRoot.getElementById('tune-status').textContent), total, { timeout: 120000 });
const shadowAttr = (page, id, name) => page.evaluate(([i, n]) =>
  document.querySelector('ml-playground').shadowRoot.getElementById(i).getAttribute(n), [id, name]);

/** The pixels of a canvas (device pixels): its size, a hash-like digest and its distinct colours. */
const pixels = (page, id) => page.evaluate((i) => {
  const c = document.querySelector('ml-playground').shadowRoot.getElementById(i);
  if (c.hidden || !c.width) return null;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const colours = new Set();
  let digest = 0;
  for (let k = 0; k < d.length; k += 4) {
    colours.add((d[k] << 16) | (d[k + 1] << 8) | d[k + 2]);
    digest = (digest * 31 + d[k] * 7 + d[k + 1] * 3 + d[k + 2]) % 2147483647;
  }
  return { w: c.width, h: c.height, digest, colours: colours.size, data: c.toDataURL() };
}, id);

/** The colours in the middle of a canvas's plot (a box away from the axes). */
const middle = (page, id) => page.evaluate((i) => {
  const c = document.querySelector('ml-playground').shadowRoot.getElementById(i);
  const [x0, y0, w, h] = [Math.round(c.width * 0.3), Math.round(c.height * 0.2), Math.round(c.width * 0.5), Math.round(c.height * 0.5)];
  const d = c.getContext('2d').getImageData(x0, y0, w, h).data;
  const colours = new Map();
  for (let k = 0; k < d.length; k += 4) {
    const key = `${d[k]},${d[k + 1]},${d[k + 2]}`;
    colours.set(key, (colours.get(key) ?? 0) + 1);
  }
  return [...colours.entries()].map(([k, n]) => [k.split(',').map(Number), n]);
}, id);

/** A tree on the circle data, searched over depth and minimum leaf by GP-EI Bayesian search. */
const BAYES = {
  data: { kind: 'circle', n: 200, seed: 1 },
  model: { kind: 'tree', max_depth: 1 },
  tune: {
    space: [{ path: 'max_depth', type: 'int', low: 1, high: 8 }, { path: 'min_samples_leaf', type: 'int', low: 1, high: 20, log: true }],
    strategy: { kind: 'bayes' }, trials: 14, k: 3, metric: 'accuracy', seed: 1,
  },
};

test('Bayesian search draws the surrogate per pixel, EI\'s pick, parallel coordinates and importances, live; a link brings them back', async () => {
  const page = await open(BAYES);
  // record every trial count the parallel coordinates were drawn with while the search runs
  await page.evaluate(() => {
    const c = document.querySelector('ml-playground').shadowRoot.getElementById('tune-parallel');
    window.drawnCounts = [];
    new MutationObserver(() => window.drawnCounts.push(c.dataset.trials)).observe(c, { attributes: true, attributeFilter: ['data-trials'] });
  });
  await page.locator('ml-playground #tune-start').click();
  await done(page, 14);
  // the surface fitted to all 14 trials has come back from the picture worker and been drawn
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-scatter').dataset.surface === '14', null, { timeout: 30000 });
  const counts = await page.evaluate(() => window.drawnCounts);
  // live: drawn at some trial count between the first and the last, not only at the end (the panel
  // redraws at most 30 times a second, so fast trials share frames: 1,10,12,14 was seen under load)
  const between = new Set(counts.map(Number).filter((n) => n > 1 && n < 14));
  assert.ok(counts.includes('14') && between.size >= 1, `the pictures were redrawn as trials finished: ${counts}`);
  assert.equal(counts.at(-1), '14');

  // the mean surface: a smooth field of many colours in the plot (per pixel, not a few dots)
  const mean = await middle(page, 'tune-scatter');
  assert.ok(mean.length > 60, `only ${mean.length} colours in the surrogate's mean`);
  // the uncertainty beside it: white-ish where the trials are, blue where they are not
  const sd = await middle(page, 'tune-uncertainty');
  assert.ok(sd.length > 30, `only ${sd.length} colours in the uncertainty`);
  assert.ok(sd.some(([[r, g, b]]) => b > 150 && r < 150), 'no blue (uncertain) region');
  assert.ok(sd.some(([[r, g, b]]) => r > 235 && g > 235 && b > 235), 'no white (certain) region');
  // EI's next pick: the orange cross (255, 127, 14) is on both
  const orange = (cs) => cs.some(([[r, g, b]]) => r > 240 && Math.abs(g - 127) < 20 && b < 40);
  const whole = (id) => page.evaluate((i) => {
    const c = document.querySelector('ml-playground').shadowRoot.getElementById(i);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let k = 0; k < d.length; k += 4) if (d[k] > 240 && Math.abs(d[k + 1] - 127) < 20 && d[k + 2] < 40) return true;
    return false;
  }, id);
  assert.ok(await whole('tune-scatter') && await whole('tune-uncertainty'), 'EI\'s pick is not marked');
  assert.equal(orange([]), false);
  assert.match(await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-scatter-caption').textContent), /Surrogate mean/);
  // parallel coordinates and the importances are drawn; no generations for Bayesian search
  for (const id of ['tune-history', 'tune-parallel', 'tune-importance']) {
    assert.equal(await shadowAttr(page, id, 'data-trials'), '14', id);
    assert.ok((await pixels(page, id)).colours > 10, id);
  }
  assert.equal(await shadowAttr(page, 'tune-generations', 'hidden'), '');

  // the state carries the results: every trial with its values and score
  const state = await page.evaluate(() => document.querySelector('ml-playground').state);
  assert.equal(state.tune.results.trials.length, 14);
  for (const r of state.tune.results.trials) {
    assert.ok(Number.isInteger(r.values.max_depth) && r.values.max_depth >= 1 && r.values.max_depth <= 8);
    assert.ok(r.score > 0.3 && r.score <= 1);
  }
  const before = {};
  for (const id of ['tune-history', 'tune-scatter', 'tune-uncertainty', 'tune-parallel', 'tune-importance']) before[id] = await pixels(page, id);
  const rows = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#tune-table tbody tr')].map((r) => r.textContent));

  // a fresh page from the link: the same table and the same pictures, nothing run
  const again = await open(state);
  await again.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-scatter').dataset.surface === '14', null, { timeout: 30000 });
  await again.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-importance').dataset.trials === '14', null, { timeout: 30000 });
  assert.equal(await again.evaluate(() => document.querySelector('ml-playground').parts.tune.pool), null, 'the link ran trials');
  const rowsAgain = await again.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#tune-table tbody tr')].map((r) => r.textContent));
  // the same rows but the time column (rounded to 0.1 ms in the link)
  const strip = (r) => r.replace(/\d+$/, '');
  assert.deepEqual(rowsAgain.map(strip), rows.map(strip));
  assert.match(await status(again), /^14 trials; best accuracy/);
  for (const id of Object.keys(before)) {
    const after = await pixels(again, id);
    assert.equal(after.data, before[id].data, `${id} differs after the link`);
  }
  // "Use best" works from the link's results
  const best = state.tune.results.trials.reduce((a, b) => (b.score > a.score ? b : a));
  await again.locator('ml-playground #tune-best').click();
  await again.waitForFunction(() => document.querySelector('ml-playground').inflight === 0);
  const model = await again.evaluate(() => document.querySelector('ml-playground').state.model);
  assert.equal(model.max_depth, best.values.max_depth);
  assert.equal(model.min_samples_leaf, best.values.min_samples_leaf);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.close();
});

test('a genetic search draws its populations per generation, and a link keeps them', async () => {
  const page = await newPage(browser);
  const ga = { ...BAYES, tune: { ...BAYES.tune, strategy: { kind: 'genetic', population: 6 }, trials: 16 } };
  await page.goto(`${server.url}#s=${enc(ga)}`);
  await waitReady(page);
  await page.locator('ml-playground #tune-start').click();
  await done(page, 16);
  const state = await page.evaluate(() => document.querySelector('ml-playground').state);
  const generations = state.tune.results.generations;
  // 16 trials with 6 per generation and 2 elites carried over: generations of 6, 6 (4 new) and 6 (4 new, 2 of them run)
  assert.ok(generations.length >= 3, JSON.stringify(generations));
  assert.deepEqual(generations[0], [1, 2, 3, 4, 5, 6]);
  assert.equal(generations[1].length, 6);
  // the elites of generation 2 are members of generation 1
  assert.ok(generations[1].slice(0, 2).every((n) => generations[0].includes(n)), JSON.stringify(generations));
  assert.equal(await shadowAttr(page, 'tune-generations', 'data-trials'), '16');
  const before = await pixels(page, 'tune-generations');
  assert.ok(before.colours > 10);
  const again = await open(state);
  await again.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-generations').dataset.trials === '16', null, { timeout: 30000 });
  assert.equal((await pixels(again, 'tune-generations')).data, before.data);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.close();
});

test('repeated k-fold with the median rule and nested cross-validation run from the panel', async () => {
  const page = await newPage(browser);
  const setup = {
    ...BAYES,
    tune: { space: [{ path: 'max_depth', type: 'int', low: 1, high: 8 }], strategy: { kind: 'random' }, trials: 16, k: 3, metric: 'accuracy', seed: 3, repeats: 2, prune: true, nested: true },
  };
  await page.goto(`${server.url}#s=${enc(setup)}`);
  await waitReady(page);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  // the link's options are shown
  assert.equal(await shadow('#tune-repeats').inputValue(), '2');
  assert.equal(await shadow('#tune-prune').inputValue(), 'median');
  assert.equal(await shadow('#tune-nested').isChecked(), true);
  await shadow('#tune-start').click();
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('tune-nested-result').hidden, null, { timeout: 180000 });
  const line = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-nested-result').textContent);
  const m = line.match(/^Honest estimate \(nested cross-validation, 3 outer folds\): accuracy ([\d.]+) ± ([\d.]+), beside the optimistic best of the search, ([\d.]+)/);
  assert.ok(m, line);
  const state = await page.evaluate(() => document.querySelector('ml-playground').state);
  const { trials, nested } = state.tune.results;
  assert.equal(nested.outer.length, 3);
  assert.ok(Math.abs(Number(m[1]) - nested.outer.reduce((a, b) => a + b) / 3) < 6e-4, `${m[1]} vs ${nested.outer}`);
  assert.equal(Number(m[3]), Number(Math.max(...trials.filter((t) => t.score != null).map((t) => t.score)).toPrecision(3)));
  // depth-1 and -2 stumps on a circle are hopeless: the median rule stopped some, after fewer than 6 folds
  const stopped = trials.filter((t) => t.pruned);
  assert.ok(stopped.length >= 1, JSON.stringify(trials));
  for (const t of stopped) assert.ok(t.score == null && t.folds >= 1 && t.folds < 6, JSON.stringify(t));
  assert.match(await status(page), /stopped early by the median rule/);
  const cells = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#tune-table tbody td')].map((c) => c.textContent));
  assert.ok(cells.some((c) => /^stopped after \d of 6 folds$/.test(c)), cells.join('|'));
  // the link brings the honest estimate back
  const again = await open(state, { lang: 'zh' });
  await again.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('tune-nested-result').hidden, null, { timeout: 30000 });
  const zh = await again.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-nested-result').textContent);
  assert.match(zh, /^诚实估计（嵌套交叉验证，3 个外层折）/);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.close();
});

test('a link with results that do not fit their setup is refused with a message, nothing drawn', async () => {
  const page = await newPage(browser);
  const bad = { ...BAYES, tune: { ...BAYES.tune, results: { trials: [{ n: 1, values: { max_depth: 99, min_samples_leaf: 1 }, score: 0.5, ms: 1 }] } } };
  await page.goto(`${server.url}#s=${enc(bad)}`);
  await waitReady(page);
  const text = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.textContent);
  assert.match(text, /max_depth/);
  assert.equal(await shadowAttr(page, 'tune-table', 'hidden'), '');
  await page.close();
});
