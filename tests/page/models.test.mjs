// Classification, trees and networks on the real page: the decision surface's colours, the
// boundary, a tree growing split by split, a network training and growing without changing its
// predictions, and the views beside the plot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, browser, server, enc, open, settle, pageUrl, newPage, waitReady, overlaps, openGroups, SCREENS } from './support.mjs';

useBrowser();

const report = (page) => page.evaluate(() => document.querySelector('ml-playground').snapshot.report);

/** The most common colour in a (2r+1)² patch of the plot canvas around data point (x, y). */
function patchColour(page, x, y, r = 6) {
  return page.evaluate(
    ({ x, y, r }) => {
      const el = document.querySelector('ml-playground');
      const [px, py] = el.toPixel(x, y);
      const d = el.shadowRoot.getElementById('plot').getContext('2d').getImageData(Math.round(px) - r, Math.round(py) - r, 2 * r + 1, 2 * r + 1).data;
      const counts = new Map();
      for (let i = 0; i < d.length; i += 4) {
        const key = `${d[i]},${d[i + 1]},${d[i + 2]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0].split(',').map(Number);
    },
    { x, y, r },
  );
}

test('xor with the x1·x2 feature: the surface takes each quadrant\'s class colour and the boundary follows the axes', async () => {
  const page = await open({
    data: { kind: 'xor', n: 60, noise: 0.1, seed: 4 },
    model: { kind: 'logistic', features: { x1: true, x2: true, x1_x2: true } },
  });
  const r = await report(page);
  assert.ok(r.train.accuracy > 0.95, `accuracy ${r.train.accuracy}`);
  // Which class lives where x1·x2 > 0, from the data itself.
  const positive = await page.evaluate(() => {
    const { xs, ys, classes } = document.querySelector('ml-playground').snapshot.scene;
    let ones = 0;
    let n = 0;
    xs.forEach((x, i) => {
      if (x * ys[i] > 0) {
        n++;
        ones += classes[i];
      }
    });
    return ones > n / 2 ? 1 : 0;
  });
  // Class 0 is blue (b > r), class 1 orange (r > b) on the surface.
  const hue = ([red, , blue]) => (red > blue ? 1 : 0);
  for (const [x, y] of [[3.5, 3.5], [-3.5, -3.5]]) assert.equal(hue(await patchColour(page, x, y)), positive, `(${x}, ${y})`);
  for (const [x, y] of [[3.5, -3.5], [-3.5, 3.5]]) assert.equal(hue(await patchColour(page, x, y)), 1 - positive, `(${x}, ${y})`);
  // The boundary (a dark line) crosses the column x1 = 2 near x2 = 0, where p = 0.5.
  const rows = await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    const [px] = el.toPixel(2, 0);
    const { plot } = el.layout;
    const d = el.shadowRoot.getElementById('plot').getContext('2d').getImageData(Math.round(px), plot[1], 1, plot[3] - plot[1]).data;
    const dark = [];
    for (let i = 0; i < d.length / 4; i++) if (d[4 * i] < 60 && d[4 * i + 1] < 60 && d[4 * i + 2] < 70) dark.push(plot[1] + i);
    return { dark, zero: el.toPixel(2, 0)[1], unit: el.toPixel(2, 0)[1] - el.toPixel(2, 1)[1] };
  });
  assert.ok(rows.dark.some((row) => Math.abs(row - rows.zero) < rows.unit * 0.6), JSON.stringify(rows));
  // The sigmoid and ROC views are drawn beside it.
  const views = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#views canvas')].map((c) => c.dataset.kind));
  assert.deepEqual(views, ['sigmoid', 'roc', 'precision_recall', 'bars']);
  // The precision-recall chart draws its curve (ROC blue, [31, 119, 180]) and names the chance level.
  const pr = await page.evaluate(() => {
    const root = document.querySelector('ml-playground').shadowRoot;
    const c = root.querySelector('#views canvas[data-kind="precision_recall"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let curve = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 31) < 4 && Math.abs(d[i + 1] - 119) < 4 && Math.abs(d[i + 2] - 180) < 4) curve++;
    return { curve, note: root.querySelector('[data-note="precision_recall"]').textContent };
  });
  assert.ok(pr.curve > 200, `${pr.curve} curve pixels`);
  assert.match(pr.note, /precision of guessing \([\d.]+ % of the test points are class 1\)/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a tree grows one split per Step, Play grows it to its limits and stops, the diagram follows', async () => {
  const page = await open({ data: { kind: 'circle', n: 200, noise: 0.5, seed: 2 }, model: { kind: 'tree', max_leaf_nodes: 6 } });
  const leaves = () => page.evaluate(() => document.querySelector('ml-playground').snapshot.views.tree?.diagram.nodes.filter((n) => n.is_leaf).length ?? 0);
  const click = (id) => page.evaluate((id) => document.querySelector('ml-playground').shadowRoot.getElementById(id).click(), id);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('step').textContent), 'Split ›');
  for (let k = 1; k <= 3; k++) {
    await click('step');
    await settle(page);
    assert.equal(await leaves(), k + 1);
  }
  await click('play');
  await page.waitForFunction(() => !document.querySelector('ml-playground').playing, null, { timeout: 20000 });
  await settle(page);
  assert.equal(await leaves(), 6);
  assert.equal((await report(page)).can_train, false);
  const shown = await page.evaluate(() => !document.querySelector('ml-playground').shadowRoot.getElementById('diagram').hidden);
  assert.ok(shown, 'the tree diagram is shown');
  const kinds = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#views canvas')].map((c) => c.dataset.kind));
  assert.ok(kinds.includes('bars') && kinds.includes('pruning'), kinds.join());
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a network trains, draws its neurons, and grows without changing its predictions', async () => {
  const page = await open({
    data: { kind: 'moons', n: 300, noise: 0.2, seed: 1 },
    model: { kind: 'mlp', hidden_layers: [{ neurons: 6, activation: 'tanh' }, { neurons: 6, activation: 'tanh' }], train: { learning_rate: 0.03, batch_size: 16, optimizer: { kind: 'adam' } } },
    steps_per_frame: 10,
  });
  await page.evaluate(() => document.querySelector('ml-playground').play());
  await page.waitForFunction(() => document.querySelector('ml-playground').snapshot.report.epoch >= 150, null, { timeout: 30000 });
  await page.evaluate(() => document.querySelector('ml-playground').pause());
  await settle(page);
  const r = await report(page);
  assert.ok(r.train.accuracy > 0.9, `accuracy ${r.train.accuracy}`);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.querySelectorAll('#thumbs canvas').length), 12);
  const loss = r.train.log_loss;
  await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.querySelector('#grow button').click());
  await settle(page);
  const grown = await page.evaluate(() => document.querySelector('ml-playground').state.model.hidden_layers.map((l) => l.neurons));
  assert.deepEqual(grown, [7, 6]);
  const after = await report(page);
  assert.ok(Math.abs(after.train.log_loss - loss) < 1e-9, `${after.train.log_loss} vs ${loss}`);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.querySelectorAll('#thumbs canvas').length), 13);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the pruning α control covers the whole pruning path (issue 10, item 10)', async () => {
  const page = await open({ data: { kind: 'circle', n: 200, noise: 0.5, seed: 2 }, model: { kind: 'tree' } });
  await page.evaluate(() => document.querySelector('ml-playground').post({ type: 'fit' }));
  await settle(page);
  const path = await page.evaluate(() => document.querySelector('ml-playground').snapshot.views.pruning.alphas);
  const select = page.locator('ml-playground label.row.select', { hasText: 'Prune α' }).locator('select');
  const options = await select.evaluate((s) => [...s.options].map((o) => JSON.parse(o.value)));
  const largest = Math.max(...path);
  assert.ok(largest > 0.05, `the path runs to ${largest}`);
  for (const alpha of path) assert.ok(options.includes(alpha), `α ${alpha} of the path is offered`);
  // The largest α prunes the tree to its root.
  await select.selectOption(JSON.stringify(largest));
  await settle(page);
  const leaves = await page.evaluate(() => document.querySelector('ml-playground').snapshot.views.tree.diagram.nodes.filter((n) => n.is_leaf).length);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').state.model.ccp_alpha), largest);
  assert.equal(leaves, 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('no option label of the settings is cut off (issue 10, item 11)', async () => {
  const states = [
    {},
    { data: { kind: 'xor', resample: { kind: 'smote', neighbours: 5 } }, model: { kind: 'logistic', solver: 'gradient' } },
    { data: { kind: 'imbalanced', outlier_rule: { kind: 'iqr', factor: 1.5 } }, model: { kind: 'tree' } },
    { data: { kind: 'moons' }, model: { kind: 'mlp' } },
  ];
  for (const state of states) {
    const page = await open(state);
    const cut = await page.evaluate(() => {
      const root = document.querySelector('ml-playground').shadowRoot;
      const ctx = document.createElement('canvas').getContext('2d');
      const out = [];
      // The built-in data menu always shows its placeholder; its options open in a wide list.
      for (const select of root.querySelectorAll('#controls select:not(.csv select)')) {
        if (!select.offsetParent) continue;
        const style = getComputedStyle(select);
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20; // the arrow
        for (const option of select.options) if (ctx.measureText(option.textContent).width > room) out.push(option.textContent);
      }
      return out;
    });
    assert.deepEqual(cut, [], JSON.stringify(state));
    await page.close();
  }
});

test('a link naming a classifier on regression data shows that model in the select, and Play says why it cannot learn', async () => {
  // An embed or a hand-written link can name a family that does not learn the data's task (a
  // classifier such as naive Bayes on the default line): the model select was empty.
  const page = await open({ model: { kind: 'naive_bayes' } });
  const select = await page.evaluate(() => {
    const root = document.querySelector('ml-playground').shadowRoot;
    const s = [...root.querySelectorAll('#controls select')].find((el) => [...el.options].some((o) => o.textContent === 'Linear regression'));
    return s ? { text: s.selectedOptions[0]?.textContent ?? '' } : null;
  });
  assert.deepEqual(select, { text: 'Naive Bayes' });
  await page.locator('ml-playground #step').click();
  await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('message').hidden);
  const message = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('message').textContent);
  assert.match(message, /classif/i);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the model and training settings: no two controls or labels overlap, in English and Chinese, on a laptop and a phone (mouse and touch)', async () => {
  // Before, a fixed 78-px names column put "Optimiser ?", "Initialisation", "Neighbours k ?"… over
  // their selects; on a touch screen (24-px "?") "Criterion ?", "C ?" and others too.
  const states = [
    { data: { kind: 'moons', n: 100, seed: 2 }, model: { kind: 'logistic', solver: 'gradient', penalty: { kind: 'l2' } } },
    { data: { kind: 'blobs', n: 100, seed: 2 }, model: { kind: 'kmeans' } },
    { data: { kind: 'moons', n: 100, seed: 2 }, model: { kind: 'knn' } },
    { data: { kind: 'moons', n: 100, seed: 2 }, model: { kind: 'forest' } },
    { data: { kind: 'moons', n: 100, seed: 2 }, model: { kind: 'svm' } },
    { data: { kind: 'moons', n: 100, seed: 2 }, model: { kind: 'naive_bayes' } },
  ];
  const found = [];
  for (const lang of ['en', 'zh']) {
    for (const { name, ...screen } of SCREENS) {
      const page = await newPage(browser, screen);
      for (const state of states) {
        await page.goto('about:blank'); // (a new document: a hash change alone does not restart the page)
        await page.goto(pageUrl(state, lang));
        await waitReady(page);
        await openGroups(page);
        const where = `${lang} ${name} ${state.model.kind}`;
        found.push(...(await overlaps(page, '.group[data-section=model], .group[data-section=training]')).map((o) => `${where}: ${o}`));
      }
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
  assert.deepEqual(found, []);
});

test('on a laptop the panels under the plot start right under it, not below a gap the side columns made', async () => {
  const page = await newPage(browser, { width: 1366, height: 768 });
  await page.goto(`${server.url}#s=${enc({ data: { kind: 'spiral', n: 300, seed: 2 }, model: { kind: 'knn', n_neighbors: 5 } })}`);
  await waitReady(page);
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await settle(page);
  const { stage, lower, results } = await page.evaluate(() => {
    const r = document.querySelector('ml-playground').shadowRoot;
    const box = (sel) => r.querySelector(sel).getBoundingClientRect();
    return { stage: box('.stage').bottom, lower: box('.lower').top, results: box('.results').bottom };
  });
  // the right column is much taller than the plot (the k-NN's ROC, PR, importance and loss charts)
  assert.ok(results > lower + 200, `${results} vs ${lower}`);
  // 14 px: the grid's gap (it was 183 px when the side columns' excess height went to the first row)
  assert.ok(lower - stage <= 15, `the panels under the plot start ${lower - stage} px under it`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a select shows a number the link sets though its list does not offer it (60 trees), in order', async () => {
  const page = await open({ data: { kind: 'blobs', n: 120, seed: 2 }, model: { kind: 'forest', n_estimators: 60 } });
  await settle(page);
  const select = page.locator('ml-playground label.row.select:visible', { hasText: 'Trees' }).locator('select');
  const shown = await select.evaluate((s) => ({ value: JSON.parse(s.value), text: s.selectedOptions[0]?.textContent, options: [...s.options].map((o) => JSON.parse(o.value)) }));
  assert.equal(shown.value, 60);
  assert.equal(shown.text, '60');
  assert.deepEqual(shown.options, [...shown.options].sort((a, b) => a - b));
  // choosing an offered value leaves the list as offered
  const offered = shown.options.filter((v) => v !== 60);
  await select.selectOption(JSON.stringify(offered[0]));
  await page.waitForFunction((n) => document.querySelector('ml-playground').state.model.n_estimators === n, offered[0]);
  assert.ok(!(await select.evaluate((s) => [...s.options].some((o) => o.value === '60'))), '60 is no longer offered');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a number in the metrics table stays on one line (a k-NN log-loss of 2.220e-16 once broke after "e-"), in Chinese too', async () => {
  for (const lang of ['en', 'zh']) {
    const page = await open({ data: { kind: 'moons', n: 200, seed: 1 }, model: { kind: 'knn' } }, { width: 1366, height: 768, lang });
    await settle(page);
    const cells = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('.metrics td')].map((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return { text: td.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
    }));
    assert.ok(cells.some((c) => /e-/.test(c.text)), `a number in e-notation is shown (${cells.map((c) => c.text)})`);
    assert.deepEqual(cells.filter((c) => c.lines > 1), [], lang);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});
