// The trained model leaving the real page (issue 15): Save model downloads a versioned JSON file;
// Open model in a fresh page restores it (the same plot, pixel for pixel, the same scores); a
// tampered file, a file for other data and a file that is not JSON are refused with a message, and
// nothing is lost. Export ONNX downloads the graph with its preparation; Copy as Python copies the
// script (or downloads it where the clipboard is refused). Save pictures downloads every canvas
// shown as a PNG at device resolution, and Save SVG each of them as SVG (text as text), one file per chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, open, settle } from './support.mjs';

useBrowser();

const STATE = {
  data: { kind: 'circle', n: 150, seed: 5, scaling: 'standardize' },
  model: { kind: 'mlp', hidden_layers: [{ neurons: 5, activation: 'tanh' }], train: { learning_rate: 0.05 } },
  steps_per_frame: 20,
};

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
  // every answer names its file: wait for this file's (the one before stays shown until it comes;
  // a run on CI read the previous file's message)
  await page.waitForFunction((name) => {
    const el = document.querySelector('ml-playground');
    const m = el.shadowRoot.getElementById('message');
    return !m.hidden && m.textContent.includes(name) && el.inflight === 0;
  }, name);
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
  assert.match(await message(b), /tampered\.json was not opened: the model file could not be read: a value is text where a number is expected\. Your model and data are unchanged/);
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

test('a damaged file opened on the zh page is refused in Chinese, naming the field (issue 12)', async () => {
  const page = await open(STATE, { lang: 'zh' });
  await page.locator('ml-playground #step').click();
  await settle(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('ml-playground #save-model').click()]);
  const model = JSON.parse(Buffer.concat(await (await download.createReadStream()).toArray()).toString());
  const short = structuredClone(model);
  const n = short.model.network.params.length;
  short.model.network.params.pop();
  await openFile(page, 'short.json', JSON.stringify(short));
  const said = await message(page);
  assert.match(said, new RegExp(`short\\.json 未打开：.*模型文件（神经网络）已损坏：“network\\.params”有 ${n - 1} 项，应为 ${n} 项`), said);
  // a weight beyond the limit, and no English sentence is left
  const bad = structuredClone(model);
  bad.model.network.params[0] = 1e300;
  await openFile(page, 'huge.json', JSON.stringify(bad));
  const huge = await message(page);
  assert.match(huge, /“network\.params”含有超出 ±/, huge);
  for (const text of [said, huge]) {
    const words = (text.match(/[A-Za-z][A-Za-z_]+/g) ?? []).filter((w) => !['network', 'params', 'short', 'huge', 'json'].includes(w));
    assert.deepEqual(words, [], text);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Export ONNX downloads the model with its preparation steps, for every family (k-NN: TopK over the stored points)', async () => {
  const page = await open({ data: { kind: 'moons', n: 120, seed: 2, scaling: 'min_max' }, model: { kind: 'logistic', features: { x1_x2: true } } });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('ml-playground button', { hasText: 'Export ONNX' }).click()]);
  assert.equal(download.suggestedFilename(), 'ml-playground-logistic.onnx');
  const bytes = Buffer.concat(await (await download.createReadStream()).toArray());
  // protobuf, ir_version 7 first; the min-max rescaling (Sub, Div), the x1·x2 column (Mul) and the sigmoid inside
  assert.deepEqual([...bytes.subarray(0, 2)], [0x08, 7]);
  const text = bytes.toString('latin1');
  for (const word of ['ml-playground', 'Sub', 'Div', 'Mul', 'Gemm', 'Sigmoid']) assert.ok(text.includes(word), word);
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    el.configure({ ...el.state, model: { kind: 'knn' } });
  });
  await settle(page);
  const [knn] = await Promise.all([page.waitForEvent('download'), page.locator('ml-playground button', { hasText: 'Export ONNX' }).click()]);
  assert.equal(knn.suggestedFilename(), 'ml-playground-knn.onnx');
  const knnText = Buffer.concat(await (await knn.createReadStream()).toArray()).toString('latin1');
  for (const word of ['Sub', 'Div', 'TopK', 'Gather', 'ReduceSum']) assert.ok(knnText.includes(word), word);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Copy as Python copies a scikit-learn script of the model and its points; where the clipboard is refused it is downloaded', async () => {
  const page = await open({ data: { kind: 'xor', n: 60, seed: 4, scaling: 'standardize' }, model: { kind: 'logistic', features: { x1_x2: true } } });
  await page.evaluate(() => {
    window.__copied = null;
    navigator.clipboard.writeText = async (text) => {
      window.__copied = text;
    };
  });
  await page.locator('ml-playground button', { hasText: 'Copy as Python' }).click();
  await page.waitForFunction(() => window.__copied !== null);
  const script = await page.evaluate(() => window.__copied);
  assert.match(script, /^# ml-playground: a trained logistic model/);
  for (const part of ['from sklearn.linear_model import LogisticRegression', 'def prepare(X):', 'x1 * x2', 'model.coef_ = ', 'def predict(X):', 'X = np.array([']) assert.ok(script.includes(part), part);
  assert.match(await message(page), /Python script copied \(\d+ lines\)/);
  await page.evaluate(() => {
    navigator.clipboard.writeText = async () => {
      throw new Error('not allowed');
    };
  });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('ml-playground button', { hasText: 'Copy as Python' }).click()]);
  assert.equal(download.suggestedFilename(), 'ml-playground-logistic.py');
  const saved = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
  assert.equal(saved, script);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Save pictures downloads the plot and every chart shown as PNGs at device resolution', async () => {
  const page = await open({ data: { kind: 'moons', n: 80, seed: 2 }, model: { kind: 'logistic' } }, { dpr: 2 });
  const sizes = await page.evaluate(() => {
    const root = document.querySelector('ml-playground').shadowRoot;
    return Object.fromEntries(['plot', 'loss'].map((id) => [id, [root.getElementById(id).width, root.getElementById(id).height]]));
  });
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.locator('ml-playground button', { hasText: 'Save pictures (PNG)' }).click();
  await page.waitForFunction(() => /Saved \d+ pictures/.test(document.querySelector('ml-playground').shadowRoot.getElementById('message').textContent));
  const n = Number((await message(page)).match(/Saved (\d+) pictures/)[1]);
  assert.ok(n >= 5, `${n} pictures`);
  while (downloads.length < n) await page.waitForEvent('download');
  const names = downloads.map((d) => d.suggestedFilename());
  assert.equal(names.length, n);
  // the plot, the loss chart and the logistic views (sigmoid, ROC, precision-recall)
  for (const name of ['plot', 'loss', 'sigmoid', 'roc', 'precision_recall']) assert.ok(names.includes(`ml-playground-${name}.png`), `${name} in ${names}`);
  for (const d of downloads.filter((d) => /-(plot|loss)\.png$/.test(d.suggestedFilename()))) {
    const bytes = Buffer.concat(await (await d.createReadStream()).toArray());
    assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
    const id = d.suggestedFilename().match(/-(plot|loss)\.png$/)[1];
    // IHDR: width and height, big-endian, at bytes 16 and 20 — the canvas's device pixels (dpr 2)
    assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], sizes[id], id);
  }
  assert.ok(sizes.plot[0] > 1000, `device resolution: ${sizes.plot}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** The names of the canvases Save pictures saves (pictures.js): drawn, shown, named by id or chart. */
const chartNames = (page) => page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('canvas')]
  .filter((c) => (c.id || c.dataset.key) && c.width && c.height && !c.closest('[hidden]') && c.getClientRects().length)
  .map((c) => c.id || c.dataset.key));
/** Clicks Save SVG and reads the `n` files it downloads, by name. */
const saveSvg = async (page, n) => {
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.locator('ml-playground #save-svg').click();
  while (downloads.length < n) await page.waitForEvent('download');
  const files = {};
  for (const d of downloads) files[d.suggestedFilename()] = Buffer.concat(await (await d.createReadStream()).toArray()).toString('utf8');
  return files;
};
/** Each SVG file parsed by the browser, beside the canvas it was drawn from (by its name). */
const readSvg = (page, files) => page.evaluate((files) => {
  const root = document.querySelector('ml-playground').shadowRoot;
  const out = {};
  for (const [name, text] of Object.entries(files)) {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    const id = name.replace(/^ml-playground-/, '').replace(/\.svg$/, '');
    const canvas = root.getElementById(id) ?? root.querySelector(`canvas[data-key="${id}"]`);
    // (the canvas's content box: its pixels over the device ratio; a border is not drawn)
    const box = { width: canvas.width / devicePixelRatio, height: canvas.height / devicePixelRatio };
    out[id] = {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: svg.localName,
      size: [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))],
      viewBox: svg.getAttribute('viewBox'),
      canvas: [canvas.width, canvas.height],
      css: [box.width, box.height],
      texts: [...svg.querySelectorAll('text')].map((t) => t.textContent.trim()),
      images: [...svg.querySelectorAll('image')].map((i) => i.getAttribute('href').slice(0, 22)),
    };
  }
  return out;
}, files);

test('Save SVG (Chinese page) downloads the plot, the loss chart and every chart shown as SVG: they parse, are sized as the canvases, keep their words as text and the surface as an image', async () => {
  const zh = (await import('../../www/i18n/zh.js')).default;
  const page = await open({ data: { kind: 'moons', n: 80, seed: 2 }, model: { kind: 'logistic' } }, { dpr: 2, lang: 'zh' });
  await settle(page);
  assert.equal(await page.locator('ml-playground #save-svg').textContent(), zh['export.svg']);
  const shown = await chartNames(page);
  assert.ok(['plot', 'loss', 'roc', 'sigmoid'].every((n) => shown.includes(n)), `${shown}`);
  const files = await saveSvg(page, shown.length);
  assert.deepEqual(Object.keys(files).sort(), shown.map((n) => `ml-playground-${n}.svg`).sort(), 'one file per chart shown');
  const read = await readSvg(page, files);
  for (const id of shown) {
    const r = read[id];
    assert.equal(r.error, null, id);
    assert.equal(r.root, 'svg', id);
    assert.equal(r.viewBox, `0 0 ${r.canvas[0]} ${r.canvas[1]}`, `${id}: the drawing in the canvas's device pixels`);
    for (const k of [0, 1]) assert.ok(Math.abs(r.size[k] - r.css[k]) <= 1, `${id}: ${r.size} as shown, ${r.css}`);
    assert.ok(r.texts.length > 2, `${id}: its words are text: ${r.texts}`);
  }
  // the ROC chart's words are the page's (Chinese), as on its canvas
  assert.ok(read.roc.texts.some((t) => t.includes(zh['canvas.axis.fpr'])), `${read.roc.texts}`);
  assert.ok(read.plot.canvas[0] > 1000, 'device resolution (dpr 2)');
  // the axis labels and ticks are text; the loss chart's words are the page's (Chinese)
  const labels = await page.evaluate(() => {
    const { scene } = document.querySelector('ml-playground').snapshot;
    return [scene.x_label, scene.y_label];
  });
  for (const label of labels) assert.ok(read.plot.texts.includes(label), `${label} in ${read.plot.texts.join('|')}`);
  assert.ok(read.plot.texts.length > 6, read.plot.texts.join('|'));
  // (logistic regression refits: its x axis is "refit")
  assert.ok(read.loss.texts.includes(zh['canvas.axis.loss']) || read.loss.texts.includes(zh['canvas.axis.loss_log']), `${read.loss.texts}`);
  for (const key of ['canvas.axis.refit', 'canvas.legend.train', 'canvas.legend.test']) assert.ok(read.loss.texts.includes(zh[key]), `${zh[key]} in ${read.loss.texts}`);
  assert.deepEqual(read.plot.images, ['data:image/png;base64,'], 'the decision surface as a PNG image');
  assert.match(await message(page), new RegExp(zh['export.svg.saved'].replace('{n}', String(shown.length)).replace(/[()（）]/g, '.')));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Save SVG of a tree saves its diagram and its pruning path as vector charts with their words as text', async () => {
  const page = await open({ data: { kind: 'blobs', n: 90, classes: 3, seed: 4 }, model: { kind: 'tree', max_depth: 3 } });
  // the tree grows a level a step; its pruning path is drawn once it is whole
  for (let i = 0; i < 4; i++) await page.locator('ml-playground #step').click();
  await settle(page);
  const shown = await chartNames(page);
  for (const name of ['plot', 'diagram-canvas', 'pruning', 'bars']) assert.ok(shown.includes(name), `${name} in ${shown}`);
  const files = await saveSvg(page, shown.length);
  assert.deepEqual(Object.keys(files).sort(), shown.map((n) => `ml-playground-${n}.svg`).sort());
  const read = await readSvg(page, files);
  for (const id of shown) {
    assert.equal(read[id].error, null, id);
    assert.equal(read[id].viewBox, `0 0 ${read[id].canvas[0]} ${read[id].canvas[1]}`, id);
  }
  const en = (await import('../../www/i18n/en.js')).default;
  // the pruning chart: its axis titles and the train / test legend, as text
  for (const key of ['canvas.legend.train', 'canvas.legend.test']) assert.ok(read.pruning.texts.includes(en[key]), `${en[key]} in ${read.pruning.texts}`);
  assert.ok(read.pruning.texts.length > 6, `${read.pruning.texts}`);
  assert.deepEqual(read.pruning.images, [], 'no raster in a chart');
  // the diagram: a node's words (its split or its class) as text
  assert.ok(read['diagram-canvas'].texts.length >= 3, `${read['diagram-canvas'].texts}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Save SVG after a Bayesian search saves the tuning charts, the surrogate surface as small squares under the trials', async () => {
  const page = await open({
    data: { kind: 'circle', n: 120, seed: 1 },
    model: { kind: 'tree', max_depth: 1 },
    tune: {
      space: [{ path: 'max_depth', type: 'int', low: 1, high: 8 }, { path: 'min_samples_leaf', type: 'int', low: 1, high: 20, log: true }],
      strategy: { kind: 'bayes' }, trials: 6, k: 3, metric: 'accuracy', seed: 1,
    },
  });
  await page.locator('ml-playground #tune-start').click();
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('tune-scatter').dataset.surface === '6', null, { timeout: 120000 });
  const shown = await chartNames(page);
  for (const name of ['tune-history', 'tune-scatter', 'tune-parallel']) assert.ok(shown.includes(name), `${name} in ${shown}`);
  const files = await saveSvg(page, shown.length);
  assert.deepEqual(Object.keys(files).sort(), shown.map((n) => `ml-playground-${n}.svg`).sort());
  const read = await readSvg(page, files);
  for (const id of ['tune-history', 'tune-scatter', 'tune-parallel']) {
    assert.equal(read[id].error, null, id);
    assert.ok(read[id].texts.length > 3, `${id}: ${read[id].texts}`);
  }
  const scatter = files['ml-playground-tune-scatter.svg'];
  const rects = scatter.split('<rect').length - 1;
  assert.ok(rects > 300, `the surface as cells: ${rects} rects`);
  assert.ok(scatter.length < 2e6, `${scatter.length} bytes, not a rect per pixel`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
