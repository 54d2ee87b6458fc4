// The Compress panel's "keep the first stages" on the real page (issue 16: a boosted model pruned
// by stages, a forest kept to fewer trees): on a boosted model of three classes the compare view
// counts the trees (one per class and stage), nodes, leaves and bytes, draws the three maps, and
// the curve over the stages kept is offered and drawn; a link keeps the setup and reproduces the
// view; in Chinese the panel, its "?" and the curve have no English in them. On a network the
// operation says it works on boosting and forests, and the curve is not offered; on a forest
// Apply keeps fewer trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, settle, enc, newPage, waitReady } from './support.mjs';
import { train, table, compared, maps, linkCompress } from './compress-support.mjs';

useBrowser();

const BOOSTED = {
  data: { kind: 'blobs', classes: 3, n: 300, seed: 4 },
  model: { kind: 'boosting', n_estimators: 40, max_depth: 2 },
  seed: 2,
};

const shadowOf = (page) => (sel) => page.locator(`ml-playground ${sel}`);

const curveOptions = (page) => page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#compress-curve option')].map((o) => o.value));

async function drawStagesCurve(page) {
  const shadow = shadowOf(page);
  await shadow('#compress-curve').selectOption('stages');
  await shadow('#compress-curve-run').click();
  await page.waitForFunction(() => {
    const el = document.querySelector('ml-playground');
    return !el.shadowRoot.getElementById('compress-curve-chart').hidden && el.parts.compress.curve?.kind === 'stages';
  }, null, { timeout: 60000 });
  return page.evaluate(() => document.querySelector('ml-playground').parts.compress.curve);
}

test('a boosted model cut to its first 10 stages: the compare view, the curve over the stages, and a link that keeps them', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc(BOOSTED)}`);
  await waitReady(page);
  await train(page, 40);
  const shadow = shadowOf(page);
  assert.ok((await curveOptions(page)).includes('stages'), 'the curve over the stages is offered for boosting');
  await shadow('#compress-op').selectOption('stages');
  assert.equal(await shadow('#compress-none').isVisible(), false, 'no note: the operation applies');
  assert.equal(await shadow('#compress-op option[value="stages"]').textContent(), 'Keep the first stages or trees');
  await shadow('#compress-keep').fill('10');
  await shadow('#compress-apply').click();
  await compared(page);
  const rows = await table(page);
  // three classes: a tree per class and stage
  assert.deepEqual(rows.trees, ['120', '30']);
  const [nodes, cutNodes] = rows.nodes.map(Number);
  assert.ok(cutNodes < nodes && cutNodes > 0, rows.nodes.join());
  // bytes as stored: per node two children and a feature (4 bytes each), a threshold and a value (8 each); the start per class
  assert.deepEqual(rows['bytes as stored'], [String(nodes * 28 + 24), String(cutNodes * 28 + 24)]);
  for (const v of rows['accuracy (test)']) assert.ok(Number(v) > 0.7, v);
  assert.match(await shadow('#compress-status').textContent(), /Keep the first stages .* applied after 40/);
  const drawn = await maps(page);
  assert.equal(drawn.length, 3);
  for (const m of drawn.slice(0, 2)) assert.ok(m.coloured > 0.3 * m.total, JSON.stringify(m));
  assert.notEqual(drawn[0].hash, drawn[1].hash, '10 stages of 40 draw another surface');
  const state = await page.evaluate(() => document.querySelector('ml-playground').state);
  assert.deepEqual(state.compress, { operation: { kind: 'stages', keep: 10 }, epochs: 40 });

  // the curve: test score, training score and size against the stages kept
  const curve = await drawStagesCurve(page);
  const kept = curve.series.find((s) => s.key === 'kept');
  assert.equal(kept.points.length, 21);
  assert.deepEqual(kept.points.map((p) => p[0]).slice(0, 4), [1, 2, 4, 6]);
  const accuracy = await page.evaluate(() => document.querySelector('ml-playground').parts.compress.compare.report.compressed.test.accuracy);
  assert.equal(kept.points.find((p) => p[0] === 10)[1], accuracy, 'the curve at 10 stages is the compressed model\'s score');
  assert.deepEqual(curve.series.map((s) => s.key).sort(), ['kept', 'kept_train', 'original', 'size_share']);
  assert.equal(curve.series.find((s) => s.key === 'size_share').points.at(-1)[1], 1);

  // the link: a fresh page trains 40 stages, keeps 10, and shows the same view
  // (the hash is written a moment after a change: wait until it names the operation)
  await linkCompress(page, 'operation.kind', 'stages');
  const hash = await page.evaluate(() => location.hash);
  const again = await newPage(browser);
  await again.goto(`${server.url}${hash}`);
  await waitReady(again);
  await compared(again);
  const rowsAgain = await table(again);
  delete rows['prediction, 256 × 256 plane'];
  delete rowsAgain['prediction, 256 × 256 plane'];
  assert.deepEqual(rowsAgain, rows);
  assert.equal(await again.locator('ml-playground #compress-op').inputValue(), 'stages');
  assert.equal(await again.locator('ml-playground #compress-keep').inputValue(), '10');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(again.errors, []);
  await page.close();
  await again.close();
});

test('in Chinese the stages operation, its "?", the table and the curve have no English in them', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc({ ...BOOSTED, compress: { operation: { kind: 'stages', keep: 10 }, epochs: 40 } })}&lang=zh`);
  await waitReady(page);
  await compared(page);
  const shadow = shadowOf(page);
  assert.equal(await shadow('#compress-op').inputValue(), 'stages');
  assert.equal(await shadow('#compress-op option[value="stages"]').textContent(), '只保留前几个阶段或几棵树');
  assert.ok((await table(page))['树的棵数'], 'the trees row in Chinese');
  const curve = await drawStagesCurve(page);
  assert.equal(curve.series.find((s) => s.key === 'kept').points.length, 21);
  // the "?" of the setting opens Chinese help
  await shadow('#compress-settings button.help[data-help="compress.keep"]').click();
  await page.waitForFunction(() => {
    const pop = document.querySelector('ml-playground').shadowRoot.getElementById('help-pop');
    return pop.matches(':popover-open') && /梯度提升/.test(pop.textContent) && /随机森林/.test(pop.textContent);
  });
  const help = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('help-pop').textContent);
  assert.deepEqual((help.match(/[A-Za-z][A-Za-z_]+/g) ?? []).filter((w) => w !== 'staged_predict' && w !== 'scikit'), [], help);
  const english = await page.evaluate(() => {
    const panel = document.querySelector('ml-playground').shadowRoot.getElementById('compress');
    const texts = [panel.innerText];
    for (const el of panel.querySelectorAll('[title], [aria-label]')) texts.push(el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? '');
    for (const o of panel.querySelectorAll('option')) texts.push(o.textContent);
    return texts.flatMap((t) => t.match(/[A-Za-z][A-Za-z_]+/g) ?? []);
  });
  assert.deepEqual(english.filter((w) => !['ONNX', 'Python', 'numpy'].includes(w)), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('on a network the stages operation says what it works on and its curve is not offered; on a forest it keeps fewer trees', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc({ data: { kind: 'moons', n: 200, seed: 3 }, model: { kind: 'mlp' }, seed: 1 })}`);
  await waitReady(page);
  await train(page, 5);
  const shadow = shadowOf(page);
  assert.deepEqual(await curveOptions(page), ['sparsity', 'bits', 'temperature', 'student_size'], 'a network: its four curves, no stages');
  await shadow('#compress-op').selectOption('stages');
  await page.waitForFunction(() => {
    const note = document.querySelector('ml-playground').shadowRoot.getElementById('compress-none');
    return !note.hidden && note.textContent === 'Keeping fewer stages works on gradient boosting and random forests.';
  });
  await shadow('#compress-apply').click();
  await page.waitForFunction(() => /gradient boosting and random forests: choose one of them/.test(document.querySelector('ml-playground').shadowRoot.getElementById('compress-status').textContent));
  await page.close();

  const forest = await newPage(browser);
  await forest.goto(`${server.url}#s=${enc({ data: { kind: 'moons', n: 200, noise: 0.2, seed: 3 }, model: { kind: 'forest', n_estimators: 12, max_depth: 4 }, seed: 1 })}`);
  await waitReady(forest);
  await train(forest, 12);
  // a forest: the stages first (shown), then distillation's; pruning and quantisation are the network's
  assert.deepEqual(await curveOptions(forest), ['stages', 'temperature', 'student_size'], 'offered for a forest');
  assert.equal(await forest.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('compress-curve').value), 'stages');
  const f = shadowOf(forest);
  await f('#compress-op').selectOption('stages');
  assert.equal(await f('#compress-none').isVisible(), false);
  await f('#compress-keep').fill('3');
  await f('#compress-apply').click();
  await compared(forest);
  assert.deepEqual((await table(forest)).trees, ['12', '3']);
  // more trees than the forest has: refused with the count it has
  await f('#compress-keep').fill('13');
  await f('#compress-apply').click();
  await forest.waitForFunction(() => /keep between 1 and the 12 stages or trees the model has \(got 13\)/.test(document.querySelector('ml-playground').shadowRoot.getElementById('compress-status').textContent));
  assert.deepEqual(forest.errors, []);
  await forest.close();
});

test('the operation first shown is one that applies to the model, and follows a change of model', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=${enc({ data: { kind: 'moons', n: 120, seed: 3 }, model: { kind: 'knn' }, seed: 1 })}`);
  await waitReady(page);
  const shown = () => page.evaluate(() => {
    const root = document.querySelector('ml-playground').shadowRoot;
    return { op: root.getElementById('compress-op').value, note: !root.getElementById('compress-none').hidden };
  });
  assert.deepEqual(await shown(), { op: 'distill', note: false }, 'k-NN: distillation (pruning is the network\'s)');
  for (const [kind, op] of [['boosting', 'stages'], ['tree', 'tree_prune'], ['mlp', 'prune'], ['logistic', 'distill']]) {
    await page.locator('ml-playground label.row.select:visible', { hasText: /^Model/ }).locator('select').selectOption(JSON.stringify(kind));
    await page.waitForFunction((kind) => document.querySelector('ml-playground').state.model.kind === kind, kind);
    await page.waitForFunction((op) => document.querySelector('ml-playground').shadowRoot.getElementById('compress-op').value === op, op);
    assert.deepEqual(await shown(), { op, note: false }, kind);
  }
  // an operation the learner chose stays while it applies to the next model (distillation of a
  // logistic model, then of a forest), and gives way when it does not (a network's pruning on a tree)
  await page.locator('ml-playground #compress-op').selectOption('distill');
  for (const [kind, op] of [['forest', 'distill'], ['mlp', 'distill']]) {
    await page.locator('ml-playground label.row.select:visible', { hasText: /^Model/ }).locator('select').selectOption(JSON.stringify(kind));
    await page.waitForFunction((kind) => document.querySelector('ml-playground').state.model.kind === kind, kind);
    await page.waitForFunction((kind) => document.querySelector('ml-playground').parts.compress.kindSeen === kind, kind);
    assert.deepEqual(await shown(), { op, note: false }, `${kind}, distillation chosen`);
  }
  await page.locator('ml-playground #compress-op').selectOption('prune');
  await page.locator('ml-playground label.row.select:visible', { hasText: /^Model/ }).locator('select').selectOption(JSON.stringify('tree'));
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('compress-op').value === 'tree_prune');
  assert.deepEqual(page.errors, []);
  await page.close();
});
