// Model files on the real page (issue 15): Save model downloads a versioned JSON file; Open model
// in a fresh page restores it (the same plot, pixel for pixel, the same scores); a tampered file,
// a file for other data and a file that is not JSON are refused with a message, and nothing is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, waitReady } from './browser.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const enc = (state) => Buffer.from(JSON.stringify(state)).toString('base64url');
const STATE = {
  data: { kind: 'circle', n: 150, seed: 5, scaling: 'standardize' },
  model: { kind: 'mlp', hidden_layers: [{ neurons: 5, activation: 'tanh' }], train: { learning_rate: 0.05 } },
  steps_per_frame: 20,
};

async function open(state) {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(state)}`);
  await waitReady(page);
  return page;
}
const settle = (page) => page.waitForFunction(() => document.querySelector('ml-playground').inflight === 0);
const message = (page) => page.evaluate(() => {
  const m = document.querySelector('ml-playground').shadowRoot.getElementById('message');
  return m.hidden ? '' : m.textContent;
});
/** The plot canvas's pixels, and what the page says about the model. */
const picture = (page) => page.evaluate(() => {
  const el = document.querySelector('ml-playground');
  const c = el.shadowRoot.getElementById('plot');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let hash = 0;
  for (let i = 0; i < d.length; i++) hash = (Math.imul(hash, 31) + d[i]) | 0;
  return { size: [c.width, c.height], hash, model: el.state.model, train: el.snapshot.report.train, formula: el.snapshot.report.summary.formula };
});
const openFile = async (page, name, text) => {
  await page.locator('ml-playground #model-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction(() => {
    const el = document.querySelector('ml-playground');
    return !el.shadowRoot.getElementById('message').hidden && el.inflight === 0;
  });
};

test('a saved model opens in a fresh page with the same picture; tampered, foreign and non-JSON files are refused and nothing is lost', async () => {
  const a = await open(STATE);
  for (let i = 0; i < 3; i++) await a.locator('ml-playground #step').click();
  await settle(a);
  const [download] = await Promise.all([a.waitForEvent('download'), a.locator('ml-playground button', { hasText: 'Save model' }).click()]);
  assert.equal(download.suggestedFilename(), 'ml-playground-mlp.json');
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
  const file = JSON.parse(text);
  assert.equal(file.format, 'ml-playground/model');
  assert.equal(file.version, 2);
  assert.deepEqual(file.data, { task: { kind: 'classification', n_classes: 2 }, features: ['x1', 'x2'], scaling: 'standardize' });
  assert.equal(file.model.kind, 'mlp');
  const saved = await picture(a);
  assert.ok(saved.train.accuracy > 0.5, `trained: ${saved.train.accuracy}`);
  assert.deepEqual(a.errors, []);
  await a.context().close();

  // A fresh page on the same data, with another model chosen.
  const b = await open({ ...STATE, model: { kind: 'logistic' } });
  const before = await picture(b);
  assert.notEqual(before.hash, saved.hash);
  await openFile(b, 'circle.json', text);
  assert.match(await message(b), /Opened the model in circle\.json/);
  const opened = await picture(b);
  assert.deepEqual(opened.size, saved.size);
  assert.deepEqual(opened.model, saved.model, 'the settings are the saved model\'s');
  assert.deepEqual(opened.train, saved.train, 'the same scores');
  assert.equal(opened.hash, saved.hash, 'the same plot, pixel for pixel');

  // Tampered: a weight made text. Refused with the reason, and the opened model stays.
  const tampered = JSON.parse(text);
  tampered.model.network.params[3] = 'lots';
  await openFile(b, 'tampered.json', JSON.stringify(tampered));
  assert.match(await message(b), /tampered\.json was not opened: .*invalid type.*Your model and data are unchanged/);
  assert.equal((await picture(b)).hash, saved.hash);
  // A file for other data: named difference.
  const renamed = { ...file, data: { ...file.data, features: ['petal length', 'petal width'] } };
  await openFile(b, 'iris.json', JSON.stringify(renamed));
  assert.match(await message(b), /iris\.json was not opened: .*petal length, petal width, the data has x1, x2/);
  await openFile(b, 'notes.json', 'not json at all');
  assert.match(await message(b), /notes\.json was not opened: it is not a JSON file/);
  const after = await picture(b);
  assert.equal(after.hash, saved.hash);
  assert.deepEqual(after.model, saved.model);
  assert.deepEqual(b.errors, []);
  await b.context().close();
});
