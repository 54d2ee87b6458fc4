// The training time machine on the real page (issue 12): the scrubber under the plot replays an
// earlier epoch (the plot's pixels differ from now's and equal a fresh page stopped at that
// epoch; the loss chart marks it; the keyboard moves it; Play goes on from now); "Compare with
// now" pins it beside the current model, and a copied link replays the run and shows the same
// view pixel for pixel; a tampered pin says why; a divergence names its epoch and layer; the
// Chinese page words it all; the scrubber is hidden for a model that fits at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowser, server, browser, open, settle, enc, newPage, waitReady, root } from './support.mjs';

useBrowser();

const el = (page, fn, arg) => page.evaluate(fn, arg);

/** Two moons and a (16, 16) tanh network. */
const NET = {
  data: { kind: 'moons', n: 300, noise: 0.2, seed: 3 },
  model: { kind: 'mlp', hidden_layers: [{ neurons: 16, activation: 'tanh' }, { neurons: 16, activation: 'tanh' }] },
  seed: 1,
};

/** Trains the page's model to `epochs` epochs (asked again until done: the worker answers in time slices). */
async function train(page, epochs) {
  for (;;) {
    const done = await el(page, () => document.querySelector('ml-playground').snapshot.report.time_machine.now);
    if (done >= epochs) return;
    await el(page, (n) => document.querySelector('ml-playground').post({ type: 'step', epochs: n }), epochs - done);
    await settle(page);
  }
}

/** axe-core's serious or critical violations on the page as it is now. */
async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: path.join(root, 'node_modules/axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** A hash of a canvas's pixels (the plot's, or the loss chart's). */
const hash = (page, id) => el(page, (id) => {
  const c = document.querySelector('ml-playground').shadowRoot.getElementById(id);
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < data.length; i += 4) h = (h * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) >>> 0;
  return h;
}, id);

/** The compare maps' hashes. */
const maps = (page) => el(page, () => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('.tm-maps canvas')].map((c) => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < data.length; i += 4) h = (h * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) >>> 0;
  return h;
}));

/** The compare table as { row label: [pinned, now] }. */
const table = (page) => el(page, () => {
  const t = document.querySelector('ml-playground').shadowRoot.getElementById('tm-table');
  return Object.fromEntries([...t.querySelectorAll('tbody tr')].map((r) => [r.cells[0].textContent, [r.cells[1].textContent, r.cells[2].textContent]]));
});

const compared = (page, pinned) => page.waitForFunction((p) => {
  const el = document.querySelector('ml-playground');
  return el.parts.timeMachine.compare?.report?.pinned === p && el.shadowRoot.querySelectorAll('#tm-table tbody tr').length > 0;
}, pinned, { timeout: 60000 });

/** Scrubs to `epoch` with the range input (as a drag ends: an input event), and waits for the answer. */
async function scrubTo(page, epoch) {
  await el(page, (epoch) => {
    const root = document.querySelector('ml-playground').shadowRoot;
    const range = root.getElementById('tm-range');
    const stops = document.querySelector('ml-playground').parts.timeMachine.stops;
    range.value = String(stops.indexOf(epoch));
    range.dispatchEvent(new Event('input', { bubbles: true }));
  }, epoch);
  await settle(page);
  await page.waitForFunction((e) => document.querySelector('ml-playground').snapshot.report.time_machine.scrubbed === e, epoch);
}

test('scrubbing replays an earlier epoch exactly as a fresh run stopped there draws it; Compare and its link', async () => {
  const page = await open(NET);
  assert.equal(await page.locator('ml-playground #tm').isVisible(), false, 'no history before training');
  await train(page, 30);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  assert.equal(await shadow('#tm').isVisible(), true);
  assert.equal(await shadow('#tm-epoch').textContent(), 'epoch 30 (now)');
  const nowPlot = await hash(page, 'plot');
  const nowLoss = await hash(page, 'loss');
  const nowScores = await el(page, () => document.querySelector('ml-playground').snapshot.report.test);

  await scrubTo(page, 10);
  assert.equal(await shadow('#tm-epoch').textContent(), 'epoch 10 of 30');
  assert.match(await shadow('#tm-note').textContent(), /epoch 10\. Play goes on from epoch 30/);
  const thenPlot = await hash(page, 'plot');
  assert.notEqual(thenPlot, nowPlot, 'the surface at epoch 10 differs from now');
  assert.notEqual(await hash(page, 'loss'), nowLoss, 'the loss chart marks the epoch');
  const thenScores = await el(page, () => document.querySelector('ml-playground').snapshot.report.test);
  assert.notDeepEqual(thenScores, nowScores);
  assert.equal(await el(page, () => document.querySelector('ml-playground').snapshot.report.epoch), 10);

  // a fresh page stopped at epoch 10 draws the same pixels and prints the same scores
  const fresh = await open(NET);
  await train(fresh, 10);
  assert.equal(await hash(fresh, 'plot'), thenPlot, 'epoch 10 scrubbed = epoch 10 trained, pixel for pixel');
  assert.deepEqual(await el(fresh, () => document.querySelector('ml-playground').snapshot.report.test), thenScores);
  await fresh.close();

  // the keyboard moves the scrubber one snapshot at a time
  await shadow('#tm-range').focus();
  await page.keyboard.press('ArrowRight');
  await settle(page);
  await page.waitForFunction(() => document.querySelector('ml-playground').snapshot.report.time_machine.scrubbed === 11);

  // Compare with now: both maps, their difference, both score sets
  await shadow('#tm-pin').click();
  await compared(page, 11);
  assert.equal(await shadow('#tm-heading').textContent(), 'Epoch 11 beside now (epoch 30)');
  const rows = await table(page);
  assert.deepEqual(Object.keys(rows), ['accuracy (train)', 'accuracy (test)', 'log-loss (train)', 'log-loss (test)']);
  assert.notEqual(rows['log-loss (train)'][0], rows['log-loss (train)'][1]);
  const drawn = await maps(page);
  assert.equal(drawn.length, 3);
  assert.notEqual(drawn[0], drawn[1], 'epoch 11 and epoch 30 draw different surfaces');
  assert.deepEqual((await el(page, () => document.querySelector('ml-playground').state)).pin, { epoch: 11, now: 30 });
  assert.deepEqual(await axe(page), [], 'the scrubber and the compare view are accessible');

  // Now: back to the live model; the pin stays
  await shadow('#tm-now').click();
  await settle(page);
  assert.equal(await hash(page, 'plot'), nowPlot);
  assert.equal(await shadow('#tm-epoch').textContent(), 'epoch 30 (now)');

  // a copied link replays the 30 epochs and shows the same comparison, pixel for pixel
  const link = await el(page, () => document.querySelector('ml-playground').link());
  const again = await open(link);
  await compared(again, 11);
  assert.deepEqual(await table(again), rows);
  assert.deepEqual(await maps(again), drawn);
  assert.equal(await hash(again, 'plot'), nowPlot);

  // Play after scrubbing goes on from now (epoch 30), not from the epoch shown
  await scrubTo(page, 5);
  await shadow('#step').click();
  await settle(page);
  const after = await el(page, () => document.querySelector('ml-playground').snapshot.report);
  assert.equal(after.epoch, 31);
  assert.equal(after.time_machine.scrubbed, null);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.close();
});

test('a tampered pin says why, a model that fits at once has no scrubber, a divergence names its layer', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc({ ...NET, pin: { epoch: 40, now: 12 } })}`);
  await page.waitForFunction(() => {
    const m = document.querySelector('ml-playground').shadowRoot.getElementById('message');
    return !m.hidden && /beyond the run/.test(m.textContent);
  }, null, { timeout: 20000 });

  await page.goto(`${server.url}#s=${enc({ ...NET, pin: { epoch: -3, now: 12 } })}`);
  await page.waitForFunction(() => {
    const m = document.querySelector('ml-playground').shadowRoot.getElementById('message');
    return !m.hidden && /whole number from 1 to 12, not -3/.test(m.textContent);
  }, null, { timeout: 20000 });

  await page.goto(`${server.url}#s=${enc({ data: NET.data, model: { kind: 'logistic' } })}`);
  await waitReady(page);
  assert.equal(await page.locator('ml-playground #tm').isVisible(), false, 'Newton fits at once');

  const diverging = {
    ...NET,
    model: { kind: 'mlp', hidden_layers: [{ neurons: 8, activation: 'relu' }, { neurons: 8, activation: 'relu' }], train: { learning_rate: 100, optimizer: { kind: 'sgd' } } },
    seed: 4,
  };
  await page.goto(`${server.url}#s=${enc(diverging)}`);
  await waitReady(page);
  await page.locator('ml-playground #play').click();
  await page.waitForFunction(() => {
    const m = document.querySelector('ml-playground').shadowRoot.getElementById('message');
    return !m.hidden && /gradient of layer \d exploded/.test(m.textContent);
  }, null, { timeout: 30000 });
  const text = await page.locator('ml-playground #message').textContent();
  assert.match(text, /training stopped at epoch \d+/);
  assert.match(text, /lower the learning rate; another optimiser, standardised inputs or clipped outliers may help too/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the Chinese time machine has no English in it', async () => {
  const page = await open({ ...NET, pin: { epoch: 4, now: 12 } }, { lang: 'zh' });
  await compared(page, 4);
  await scrubTo(page, 6);
  const english = await el(page, () => {
    const root = document.querySelector('ml-playground').shadowRoot;
    const texts = [root.getElementById('tm').innerText, root.getElementById('tm-compare').innerText];
    for (const e of root.querySelectorAll('#tm [title], #tm [aria-label], #tm-compare [title], #tm-compare [aria-label], #tm [aria-valuetext]')) {
      texts.push(e.getAttribute('title') ?? '', e.getAttribute('aria-label') ?? '', e.getAttribute('aria-valuetext') ?? '');
    }
    return texts.flatMap((t) => t.match(/[A-Za-z][A-Za-z_]+/g) ?? []);
  });
  assert.deepEqual(english, []);
  assert.equal(await page.locator('ml-playground #tm-epoch').textContent(), '第 6 轮（共 12 轮）');
  assert.match(await page.locator('ml-playground #tm-heading').textContent(), /第 4 轮与当前（第 12 轮）/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
