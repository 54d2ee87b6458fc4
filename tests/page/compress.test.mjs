// The Compress panel on the real page (issue 14): 80 % magnitude pruning of a trained (16, 16)
// network shows the table with the exact non-zero count and the three compare maps drawn; a
// copied link reproduces the compressed model and the view; bad settings (sparsity 1.5, an
// untrained teacher) are refused with the reason in the panel; freezing every layer then
// pressing Play says so; the Chinese panel has no English in it; the compressed model exports as
// ONNX (a file that parses, with the rounding of quantised activations in it) and copies as Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, settle, enc, newPage, waitReady } from './support.mjs';
import { train, table, compared, maps, linkCompress } from './compress-support.mjs';

useBrowser();

const status = (page) => page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('compress-status').textContent);

/** Two moons and a (16, 16) tanh network: 2·16 + 16·16 + 16·1 = 304 weights, 16 + 16 + 1 = 33 biases. */
const NET = {
  data: { kind: 'moons', n: 300, noise: 0.2, seed: 3 },
  model: { kind: 'mlp', hidden_layers: [{ neurons: 16, activation: 'tanh' }, { neurons: 16, activation: 'tanh' }] },
  seed: 1,
};
const WEIGHTS = 304;
const PARAMETERS = 337;

test('80 % pruning of a trained network: the exact non-zero count, the three maps, and a link that reproduces them', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(NET)}`);
  await waitReady(page);
  await train(page, 60);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  assert.equal(await shadow('#compress-op').inputValue(), 'prune');
  await shadow('#compress-sparsity').fill('0.8');
  await shadow('#compress-apply').click();
  await compared(page);
  const rows = await table(page);
  assert.deepEqual(rows.parameters, [String(PARAMETERS), String(PARAMETERS)]);
  // round(0.8 · 304) = 243 weights removed; the biases stay
  assert.deepEqual(rows['non-zero'], [String(PARAMETERS), String(PARAMETERS - Math.round(0.8 * WEIGHTS))]);
  // the pruned file: a bit per weight, 8 bytes per kept weight and bias
  assert.equal(rows['bytes as stored'][0], String(8 * PARAMETERS));
  assert.equal(rows['bytes as stored'][1], String(Math.ceil(WEIGHTS / 8) + 8 * (PARAMETERS - 243)));
  for (const key of ['accuracy (train)', 'accuracy (test)', 'log-loss (train)', 'log-loss (test)']) {
    for (const v of rows[key]) assert.ok(Number.isFinite(Number(v)), `${key}: ${v}`);
  }
  assert.ok(Number(rows['accuracy (test)'][0]) > 0.8, rows['accuracy (test)'][0]);
  assert.match(rows['prediction, 256 × 256 plane'][1], /^[\d.e+-]+ ms$/);
  // the maps: both surfaces are coloured, the difference map is drawn (the points at least)
  const drawn = await maps(page);
  assert.equal(drawn.length, 3);
  for (const m of drawn.slice(0, 2)) assert.ok(m.coloured > 0.5 * m.total, JSON.stringify(m));
  assert.ok(drawn[2].coloured > 0, 'the difference map is not blank');
  assert.notEqual(drawn[0].hash, drawn[1].hash, 'pruning 80 % changes the surface');
  // the compressed network's diagram and the state
  assert.equal(await shadow('#compress-network').isVisible(), true);
  const state = await page.evaluate(() => document.querySelector('ml-playground').state);
  assert.deepEqual(state.compress, { operation: { kind: 'prune', sparsity: 0.8, scope: 'global', structured: false, steps: 1, fine_tune_epochs: 0 }, epochs: 60 });

  // a copied link: a fresh page trains 60 epochs, prunes, and shows the same view
  const link = await page.evaluate(() => document.querySelector('ml-playground').link());
  const again = await newPage(browser);
  await again.goto(link);
  await waitReady(again);
  await compared(again);
  const rowsAgain = await table(again);
  delete rows['prediction, 256 × 256 plane'];
  delete rowsAgain['prediction, 256 × 256 plane'];
  assert.deepEqual(rowsAgain, rows);
  const drawnAgain = await maps(again);
  assert.deepEqual(drawnAgain.map((m) => m.hash), drawn.map((m) => m.hash), 'the same maps, pixel for pixel');
  assert.equal(await again.locator('ml-playground #compress-op').inputValue(), 'prune');
  assert.equal(await again.locator('ml-playground #compress-sparsity').inputValue(), '0.8');
  // Remove: the view goes, and so does the setup in the state
  await again.locator('ml-playground #compress-clear').click();
  await settle(again);
  assert.equal(await again.locator('ml-playground #compress-view').isVisible(), false);
  assert.equal(await again.evaluate(() => document.querySelector('ml-playground').state.compress), undefined);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.close();
});

test('bad settings are refused with the reason, and nothing is lost', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(NET)}`);
  await waitReady(page);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  // distilling before the teacher has learned anything
  await shadow('#compress-op').selectOption('distill');
  await shadow('#compress-apply').click();
  await settle(page);
  await page.waitForFunction(() => /Not compressed/.test(document.querySelector('ml-playground').shadowRoot.getElementById('compress-status').textContent));
  assert.match(await status(page), /teacher is not trained yet/);
  // a sparsity of 1.5
  await train(page, 5);
  await shadow('#compress-op').selectOption('prune');
  await shadow('#compress-sparsity').fill('1.5');
  await shadow('#compress-apply').click();
  await settle(page);
  await page.waitForFunction(() => /sparsity/.test(document.querySelector('ml-playground').shadowRoot.getElementById('compress-status').textContent));
  assert.match(await status(page), /Not compressed: sparsity must be at least 0 and below 1 \(got 1\.5\)/);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').state.compress), undefined);
  // 4 bits: a quantised network whose table says so
  await shadow('#compress-op').selectOption('quantize');
  await shadow('#compress-bits').selectOption('4');
  await shadow('#compress-apply').click();
  await compared(page);
  const rows = await table(page);
  assert.equal(rows['non-zero'][0], String(PARAMETERS));
  assert.ok(Number(rows['bytes as stored'][1]) < Number(rows['bytes as stored'][0]) / 4, JSON.stringify(rows['bytes as stored']));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('freezing every layer, then Play, says why nothing trains', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc({ ...NET, model: { kind: 'mlp', hidden_layers: [{ neurons: 4, activation: 'tanh' }] } })}`);
  await waitReady(page);
  await train(page, 3);
  const boxes = page.locator('ml-playground #compress-freeze input');
  assert.equal(await boxes.count(), 2);
  await boxes.nth(0).check();
  await settle(page);
  // freezing one layer keeps the network: training goes on from where it was
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.epoch), 3);
  await boxes.nth(1).check();
  await settle(page);
  assert.deepEqual(await page.evaluate(() => document.querySelector('ml-playground').state.model.frozen), [0, 1]);
  await page.locator('ml-playground #play').click();
  await page.waitForFunction(() => {
    const m = document.querySelector('ml-playground').shadowRoot.getElementById('message');
    return !m.hidden && /every layer is frozen/i.test(m.textContent);
  }, null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.epoch), 3);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the Chinese Compress panel has no English in it, with a compare view shown', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc({ ...NET, compress: { operation: { kind: 'distill', neurons: 4, temperature: 4, alpha: 0.5, unlabeled: 500, epochs: 50 }, epochs: 30 } })}&lang=zh`);
  await waitReady(page);
  await compared(page);
  // the curve of bits, worded too
  await page.locator('ml-playground #compress-curve').selectOption('bits');
  await page.locator('ml-playground #compress-curve-run').click();
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('compress-curve-chart').hidden, null, { timeout: 60000 });
  const english = await page.evaluate(() => {
    const panel = document.querySelector('ml-playground').shadowRoot.getElementById('compress');
    const texts = [panel.innerText];
    for (const el of panel.querySelectorAll('[title], [aria-label]')) texts.push(el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? '');
    for (const o of panel.querySelectorAll('option')) texts.push(o.textContent);
    return texts.flatMap((t) => t.match(/[A-Za-z][A-Za-z_]+/g) ?? []);
  });
  // (names of formats and tools are not English: the export buttons name ONNX, Python, numpy)
  assert.deepEqual(english.filter((w) => !['ONNX', 'Python', 'numpy'].includes(w)), []);
  // the compressed network's diagram is worded in Chinese too (it once said 'P(class 1)' and 'tanh'):
  // its words as drawn, read back as the SVG's text
  // (through the element's own Save SVG, its download caught: a module imported here would be a
  // second copy of pictures.js, which index.html's bundle does not share)
  const words = await page.evaluate(async () => {
    const el = /** @type {any} */ (document.querySelector('ml-playground'));
    /** @type {Record<string, Blob>} */
    const files = {};
    el.download = (/** @type {Blob} */ blob, /** @type {string} */ name) => { files[name] = blob; };
    el.saveSvg();
    const svg = await files['ml-playground-compress-network.svg']?.text();
    return svg ? [...new DOMParser().parseFromString(svg, 'image/svg+xml').querySelectorAll('text')].map((t) => t.textContent) : [`no SVG of the network among ${Object.keys(files)}`];
  });
  assert.ok(words.some((w) => w.includes('类别 1')), words.join(' | '));
  // (activations keep their Latin names in zh, as the main diagram shows them: 'Tanh', not the wasm's 'tanh')
  assert.deepEqual(words.filter((w) => /class|input|output|hidden|tanh|sigmoid|features?/.test(w)), [], words.join(' | '));
  // the student's transfer points are drawn as faint dots on the compressed map
  const transfer = await page.evaluate(() => document.querySelector('ml-playground').parts.compress.compare.report.transfer.length);
  assert.equal(transfer, 500);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a logistic and a tree student from the panel, each with its own size setting and "?"', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(NET)}`);
  await waitReady(page);
  await train(page, 40);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  await shadow('#compress-op').selectOption('distill');
  // the network student's neurons by default; the degree and depth only for their students
  assert.equal(await shadow('#compress-neurons').count(), 1);
  assert.equal(await shadow('#compress-degree').count(), 0);
  await shadow('#compress-student').selectOption('logistic');
  assert.equal(await shadow('#compress-neurons').count(), 0);
  assert.equal(await shadow('#compress-degree').inputValue(), '3');
  const helps = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#compress-settings button.help')].map((b) => b.dataset.help));
  assert.ok(helps.includes('compress.student') && helps.includes('compress.degree'), helps.join());
  await shadow('#compress-unlabeled').fill('500');
  await shadow('#compress-epochs').fill('60');
  await shadow('#compress-apply').click();
  await compared(page);
  const logistic = await page.evaluate(() => document.querySelector('ml-playground').parts.compress.compare.report);
  assert.equal(logistic.setup.operation.student, 'logistic');
  // degree 3: x1, x2, x1², x2², x1·x2 and the four cubic monomials, one intercept
  assert.equal(logistic.compressed.size.parameters, 10);
  assert.ok(logistic.compressed.test.accuracy > 0.8, String(logistic.compressed.test.accuracy));
  // a tree of depth 2 on the teacher's classes
  await shadow('#compress-student').selectOption('tree');
  assert.equal(await shadow('#compress-epochs').count(), 0);
  await shadow('#compress-depth').selectOption('2');
  await shadow('#compress-targets').selectOption('hard');
  await shadow('#compress-apply').click();
  await page.waitForFunction(() => document.querySelector('ml-playground').parts.compress.compare?.report.setup.operation.student === 'tree', null, { timeout: 60000 });
  const tree = await page.evaluate(() => document.querySelector('ml-playground').parts.compress.compare.report);
  assert.ok(tree.compressed.tree.leaves <= 4 && tree.compressed.tree.leaves >= 2, JSON.stringify(tree.compressed.tree));
  // the tree's bytes as stored: per node two children and a feature (4 bytes each), a threshold and two class values (8 each)
  assert.equal(tree.compressed.tree.bytes, tree.compressed.tree.nodes * (3 * 4 + 8 + 2 * 8));
  await page.waitForFunction((bytes) => document.querySelector('ml-playground').shadowRoot.querySelector('#compress-table tbody tr:nth-child(3) td:nth-child(3)')?.textContent === bytes, String(tree.compressed.tree.bytes));
  const treeRows = await table(page);
  assert.equal(treeRows['bytes as stored'][1], String(tree.compressed.tree.bytes));
  assert.equal(treeRows.nodes[1], String(tree.compressed.tree.nodes));
  // and a link replays the tree student (the hash is written a moment after a change: wait until
  // it names the tree student; CI once read the logistic student's link here)
  await linkCompress(page, 'operation.student', 'tree');
  const hash = await page.evaluate(() => location.hash);
  const again = await newPage(browser);
  await again.goto(`${server.url}${hash}`);
  await again.waitForFunction(() => document.querySelector('ml-playground').parts.compress.compare?.report, null, { timeout: 60000 });
  const replayed = await again.evaluate(() => document.querySelector('ml-playground').parts.compress.compare.report);
  assert.deepEqual(replayed.compressed, tree.compressed);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await again.close();
  await page.close();
});

test('a curve is computed a point at a time: training frames keep coming meanwhile', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(NET)}`);
  await waitReady(page);
  await train(page, 20);
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    window.frames = 0;
    el.addEventListener('snapshot', () => (window.frames += 1));
  });
  await page.locator('ml-playground #compress-curve').selectOption('student_size');
  await page.locator('ml-playground #compress-curve-run').click();
  await page.evaluate(() => document.querySelector('ml-playground').play());
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('compress-curve-chart').hidden, null, { timeout: 120000 });
  const { frames, tasks, curve } = await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    el.pause();
    return { frames: window.frames, tasks: window.longTasks, curve: el.parts.compress.curve };
  });
  assert.ok(curve.series.find((s) => s.key === 'distilled').points.length >= 4);
  // the worker answered training requests between the curve's points (before: none until the
  // curve was done); one point (a student's whole training) is still one piece, so a few frames
  assert.ok(frames >= 3, `${frames} training frames while the curve was computed`);
  // The main thread's long tasks are logged, not bounded: the curve runs in the worker, and on this
  // shared machine (load 20+) a frame's drawing alone was seen to take over 1 s.
  if (tasks.length) console.log(`main-thread long tasks while playing: ${tasks.map(Math.round).join(', ')} ms`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a regression compares two curves and their difference, with R² in the table', async () => {
  const page = await newPage(browser);
  const SINE = { data: { kind: 'sine', n: 200, noise: 0.1, seed: 3 }, model: NET.model, seed: 1 };
  await page.goto(`${server.url}#s=${enc({ ...SINE, compress: { operation: { kind: 'quantize', bits: 2 }, epochs: 40 } })}`);
  await waitReady(page);
  await compared(page);
  const rows = await table(page);
  assert.ok(Object.keys(rows).some((k) => /R²/.test(k)), Object.keys(rows).join());
  const drawn = await maps(page);
  assert.equal(drawn.length, 3);
  // each canvas draws a curve: some pixels coloured, and the three pictures differ
  for (const m of drawn) assert.ok(m.coloured > 100, JSON.stringify(m));
  assert.notEqual(drawn[0].hash, drawn[2].hash);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('compress-legend').textContent.includes('difference')), true);
  // the mean difference is of predictions, not of probabilities
  const changed = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('compress-changed').textContent);
  assert.match(changed, /mean \|Δŷ\| /, changed);
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** The node types of an ONNX file (ModelProto → GraphProto → NodeProto.op_type), walking the
 * protobuf to its last byte: a file that does not parse throws. */
function onnxOps(bytes) {
  const fields = (buf) => {
    const out = [];
    let i = 0;
    const varint = () => {
      let v = 0;
      let shift = 1;
      for (;;) {
        if (i >= buf.length) throw new Error('truncated varint');
        const b = buf[i++];
        v += (b & 0x7f) * shift;
        shift *= 128;
        if (b < 0x80) return v;
      }
    };
    while (i < buf.length) {
      const key = varint();
      const [field, wire] = [Math.floor(key / 8), key % 8];
      if (wire === 0) out.push([field, varint()]);
      else if (wire === 2) {
        const n = varint();
        if (i + n > buf.length) throw new Error(`field ${field}: ${n} bytes past the end`);
        out.push([field, buf.subarray(i, i + n)]);
        i += n;
      } else if (wire === 1 || wire === 5) i += wire === 1 ? 8 : 4;
      else throw new Error(`wire type ${wire}`);
    }
    if (i !== buf.length) throw new Error('bytes past the last field');
    return out;
  };
  const model = fields(bytes);
  const graph = model.find(([f]) => f === 7)[1];
  const nodes = fields(graph).filter(([f]) => f === 1).map(([, node]) => fields(node));
  return { irVersion: model.find(([f]) => f === 1)[1], ops: nodes.map((n) => Buffer.from(n.find(([f]) => f === 4)[1]).toString()) };
}

test('the compressed model exports as ONNX and copies as Python from the panel (activations quantised: rounded in the file)', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(NET)}`);
  await waitReady(page);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  // nothing compressed yet: nothing to export
  assert.equal(await shadow('#compress-export-onnx').isDisabled(), true);
  assert.equal(await shadow('#compress-copy-python').isDisabled(), true);
  await train(page, 30);
  await shadow('#compress-op').selectOption('quantize');
  await shadow('#compress-bits').selectOption('4');
  await shadow('#compress-symmetric').uncheck();
  await shadow('#compress-activations').check();
  await shadow('#compress-apply').click();
  await compared(page);
  assert.equal(await shadow('#compress-export-onnx').textContent(), 'Export compressed (ONNX)');
  const [download] = await Promise.all([page.waitForEvent('download'), shadow('#compress-export-onnx').click()]);
  assert.equal(download.suggestedFilename(), 'ml-playground-mlp-compressed.onnx');
  const bytes = Buffer.concat(await (await download.createReadStream()).toArray());
  const { irVersion, ops } = onnxOps(bytes);
  assert.equal(irVersion, 7);
  // float64 inside, three Gemms, each hidden layer's tanh then rounded (asymmetric: a zero point added and taken off)
  assert.equal(ops.filter((op) => op === 'Gemm').length, 3);
  for (const op of ['Tanh', 'Round', 'Clip']) assert.equal(ops.filter((o) => o === op).length, 2, `${op} in ${ops}`);
  assert.ok(ops.includes('Sigmoid') && ops.includes('Cast'), ops.join());

  await page.evaluate(() => {
    window.__copied = null;
    navigator.clipboard.writeText = async (text) => {
      window.__copied = text;
    };
  });
  await shadow('#compress-copy-python').click();
  await page.waitForFunction(() => window.__copied !== null);
  const script = await page.evaluate(() => window.__copied);
  assert.match(script, /^# ml-playground: a trained mlp model/);
  for (const part of ['activation_scales = [', 'def quantize(layer, a):', 'np.round(a / s) + z, -8, 7', 'a = quantize(layer, activation(layer, z))', 'def predict(X):']) {
    assert.ok(script.includes(part), part);
  }
  // Remove: nothing to export again
  await shadow('#compress-clear').click();
  await settle(page);
  assert.equal(await shadow('#compress-export-onnx').isDisabled(), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an ensemble distilled into one student from the panel: one small network in the compare view', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(NET)}`);
  await waitReady(page);
  await train(page, 20);
  const shadow = (sel) => page.locator(`ml-playground ${sel}`);
  await shadow('#compress-op').selectOption('ensemble');
  await shadow('#compress-members').fill('3');
  await shadow('#compress-student_neurons').selectOption('3');
  await shadow('#compress-apply').click();
  await compared(page);
  const report = await page.evaluate(() => document.querySelector('ml-playground').parts.compress.compare.report);
  assert.deepEqual(report.setup.operation, { kind: 'ensemble', members: 3, neurons: 4, bootstrap: true, student_neurons: 3 });
  // one network of 3 hidden neurons: 2·3 + 3 + 3 + 1 parameters, 8 bytes each
  assert.deepEqual(report.compressed.size, { parameters: 13, nonzero: 13, bytes: 8 * 13 });
  assert.ok(report.compressed.test.accuracy > 0.8, String(report.compressed.test.accuracy));
  // it is a student: the status says so (it once said only 'Ensemble of small networks') and
  // its 1,000 transfer points are drawn on the compressed map
  assert.match(await status(page), /Ensemble of 3 small networks distilled into one of 3 neurons/);
  assert.equal(report.transfer.length, 1000);
  assert.deepEqual(page.errors, []);
  await page.close();
});
