// Accessibility (issue 10): axe-core finds no serious or critical violation on the page, shadow
// root included, in its main states, nor the moderate ones the issue names; the canvases say what
// they show; the keyboard reaches the toolbar before the settings and drives the plot; touch
// controls are large enough and a long press removes a point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useBrowser, open, settle, enc, waitReady, root } from './support.mjs';

useBrowser();

const AXE = path.join(root, 'node_modules/axe-core/axe.min.js');

/** axe's violations on the page as it is now: [{ id, impact, nodes }]. */
async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Moderate rules the issue names, checked as strictly as the serious ones. */
const NAMED = ['select-name', 'color-contrast', 'heading-order', 'landmark-no-duplicate-main', 'landmark-one-main', 'empty-table-header', 'landmark-unique'];

function check(violations, what) {
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || NAMED.includes(v.id));
  assert.deepEqual(bad, [], `${what}: ${JSON.stringify(bad, null, 1)}`);
}

test('axe-core: no serious or critical violation in the main states, shadow root included', async () => {
  const page = await open(null, { width: 1366, height: 900 });
  check(await axe(page), 'default');
  const states = {
    logistic: { data: { kind: 'moons', n: 200, seed: 2 }, model: { kind: 'logistic' } },
    tree: { data: { kind: 'circle', n: 200, seed: 2 }, model: { kind: 'tree', max_depth: 3 } },
    network: { data: { kind: 'circle', n: 200, seed: 2 }, model: { kind: 'mlp' } },
  };
  for (const [what, state] of Object.entries(states)) {
    await page.evaluate((s) => document.querySelector('ml-playground').loadEncoded(s), enc(state));
    await settle(page);
    await page.evaluate(() => document.querySelector('ml-playground').step());
    await settle(page);
    check(await axe(page), what);
  }
  await page.evaluate(() => {
    const csv = 'a,b,c,label\n1,2,3,x\n2,3,1,y\n3,1,2,x\n4,4,4,y\n';
    document.querySelector('ml-playground').parts.csv.chooseColumns(new TextEncoder().encode(csv), 'four.csv');
  });
  check(await axe(page), 'CSV chooser');
  await page.locator('ml-playground #cv-k').selectOption('3');
  await page.locator('ml-playground #cv-run').click();
  await page.waitForFunction(() => /over 3 folds/.test(document.querySelector('ml-playground').shadowRoot.getElementById('cv-result').textContent), null, { timeout: 30000 });
  check(await axe(page), 'cross-validation');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the canvases say what they show: the model, the data and its classes, the loss', async () => {
  const page = await open({ data: { kind: 'circle', n: 100, seed: 1 }, model: { kind: 'tree' } });
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await settle(page);
  const labels = await page.evaluate(() => {
    const r = document.querySelector('ml-playground').shadowRoot;
    return ['plot', 'loss', 'diagram-canvas'].map((id) => [r.getElementById(id).getAttribute('role'), r.getElementById(id).getAttribute('aria-label')]);
  });
  assert.deepEqual(labels[0], ['img', 'The plot: Circle (class 0, class 1) (100 points) and the Decision tree']);
  assert.equal(labels[1][0], 'img');
  assert.match(labels[1][1], /Loss per epoch \(log-loss\)/);
  assert.match(labels[2][1], /Tree/);
  await page.close();
});

test('keyboard: the toolbar comes first, shortcuts drive training, and the plot has a cursor that adds and removes points', async () => {
  const page = await open({ data: { kind: 'circle', n: 60, seed: 1 }, model: { kind: 'mlp' } });
  const active = () => page.evaluate(() => document.querySelector('ml-playground').shadowRoot.activeElement?.id ?? null);
  const order = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    order.push(await active());
  }
  assert.deepEqual(order, ['reset', 'play', 'step']);
  // the tooltips say the keys
  const titles = await page.evaluate(() => ['reset', 'play', 'step'].map((id) => document.querySelector('ml-playground').shadowRoot.getElementById(id).title));
  assert.match(titles[0], /R\)/);
  assert.match(titles[1], /Space/);
  assert.match(titles[2], /S\)/);
  // the plot: focusable, with a visible ring inside its frame
  await page.locator('ml-playground #plot').focus();
  const ring = await page.evaluate(() => {
    const c = document.querySelector('ml-playground').shadowRoot.getElementById('plot');
    const s = getComputedStyle(c);
    return [s.outlineStyle, s.outlineOffset];
  });
  assert.deepEqual(ring, ['solid', '-3px']);
  const epoch = () => page.evaluate(() => document.querySelector('ml-playground').snapshot.report.epoch);
  const before = await epoch();
  await page.keyboard.press('s');
  await page.waitForFunction((e) => document.querySelector('ml-playground').snapshot.report.epoch > e, before);
  await page.keyboard.press(' ');
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').playing), true);
  await page.keyboard.press(' ');
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').playing), false);
  await settle(page);
  const points = () => page.evaluate(() => document.querySelector('ml-playground').snapshot.report.n_points);
  const n = await points();
  // choose class 1 under the plot, then add a point at the cursor from the keyboard
  await page.locator('ml-playground #classes button').nth(1).click();
  await page.locator('ml-playground #plot').focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  assert.match(await page.locator('ml-playground #plot-status').textContent(), /^Cursor at x = \d\.\d\d, y = \d\.\d\d$/);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelector('ml-playground').snapshot.report.n_points === n + 1, n);
  const added = await page.evaluate(() => document.querySelector('ml-playground').state.edits.at(-1));
  assert.equal(added.op, 'add');
  assert.equal(added.label, 1);
  assert.ok(added.x > 0 && added.y > 0, JSON.stringify(added));
  await page.keyboard.press('Delete');
  await page.waitForFunction((n) => document.querySelector('ml-playground').snapshot.report.n_points === n, n);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('touch: a long press removes the nearest point; controls are at least 24 px tall on coarse pointers', async () => {
  const page = await open({ data: { kind: 'circle', n: 40, seed: 1 }, model: { kind: 'logistic' } }, { width: 390, height: 844, hasTouch: true, isMobile: true });
  const points = () => page.evaluate(() => document.querySelector('ml-playground').snapshot.report.n_points);
  const n = await points();
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    const { xs, ys } = el.snapshot.scene;
    const c = el.shadowRoot.getElementById('plot');
    const r = c.getBoundingClientRect();
    const [px, py] = el.toPixel(xs[0], ys[0]);
    const at = { clientX: r.left + (px * r.width) / c.width, clientY: r.top + (py * r.height) / c.height };
    c.dispatchEvent(new PointerEvent('pointerdown', { ...at, pointerType: 'touch', pointerId: 7, button: 0, bubbles: true }));
  });
  await page.waitForFunction((n) => document.querySelector('ml-playground').snapshot.report.n_points === n - 1, n);
  if (await page.evaluate(() => matchMedia('(pointer: coarse)').matches)) {
    const short = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('button, select, input')]
      .filter((c) => c.checkVisibility() && c.getBoundingClientRect().height < 24 && c.type !== 'range' && c.type !== 'file')
      .map((c) => c.id || c.textContent || c.outerHTML.slice(0, 60)));
    assert.deepEqual(short, []);
  }
  await page.context().close();
});

test('phone and tablet: the plot starts above the fold, nothing scrolls sideways, the screenshot shows the plot', async () => {
  // Issue 10 (small screens): a phone (390×844) and tablets (768×1024, and 820×1180 as the issue names) in portrait.
  for (const [width, height] of [[390, 844], [768, 1024], [820, 1180]]) {
    const page = await open({ data: { kind: 'xor', n: 200, seed: 2 }, model: { kind: 'logistic', features: { x1: true, x2: true, x1_x2: true } } }, { width, height });
    await settle(page);
    const layout = await page.evaluate(() => {
      const plot = document.querySelector('ml-playground').shadowRoot.getElementById('plot').getBoundingClientRect();
      return { top: plot.top, bottom: plot.bottom, left: plot.left, right: plot.right, scroll: document.scrollingElement.scrollWidth, inner: innerWidth, fold: innerHeight };
    });
    assert.ok(layout.top >= 0 && layout.top < layout.fold / 2, `${width}×${height}: the plot starts at ${layout.top} px`);
    assert.ok(layout.scroll <= layout.inner && layout.left >= 0 && layout.right <= layout.inner, `${width}×${height}: ${JSON.stringify(layout)}`);
    // The screenshot of the first screen holds the plot's pixels (not a blank area).
    const shot = await page.screenshot({ clip: { x: layout.left, y: layout.top, width: layout.right - layout.left, height: Math.min(layout.bottom, layout.fold) - layout.top } });
    assert.ok(shot.length > 5000, `${width}×${height}: ${shot.length} bytes`);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('phone: the settings are collapsible groups under the plot, the model\'s open; keyboard opens one; a laptop shows them all open', async () => {
  const state = { data: { kind: 'circle', n: 100, seed: 1 }, model: { kind: 'mlp' } };
  const groups = (page) => page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#controls details.group')]
    .map((d) => ({ section: d.dataset.section, open: d.open, hidden: d.hidden, summary: d.querySelector(':scope > summary').textContent })));
  const page = await open(state, { width: 390, height: 844 });
  await settle(page);
  // Data, preparation, model, training (a network trains by gradient) and view, titled from the catalog.
  const phone = await groups(page);
  assert.deepEqual(phone.map((g) => [g.section, g.summary, g.open]), [
    ['data', 'Data', false], ['preparation', 'Preparation', false], ['model', 'Model', true], ['training', 'Training', false], ['view', 'View', false]]);
  // The plot and the toolbar first, its top above the fold; the settings after; no sideways scroll.
  const layout = await page.evaluate(() => {
    const r = document.querySelector('ml-playground').shadowRoot;
    const box = (id) => r.getElementById(id).getBoundingClientRect();
    return { plot: box('plot').top, toolbar: box('reset').top, controls: box('controls').top, fold: innerHeight, scroll: document.scrollingElement.scrollWidth, width: innerWidth };
  });
  assert.ok(layout.toolbar < layout.plot && layout.plot < layout.fold / 2 && layout.controls > layout.plot, JSON.stringify(layout));
  assert.ok(layout.scroll <= layout.width, JSON.stringify(layout));
  // A closed group's controls are not shown; the learning rate (Training) is hidden until it opens.
  const rate = page.locator('ml-playground details[data-section=training] label.row:not([hidden])', { hasText: 'Learning rate' });
  assert.equal(await rate.isVisible(), false);
  // From the keyboard: focus the Training summary, Enter opens it and its controls show.
  await page.locator('ml-playground details[data-section=training] > summary').focus();
  await page.keyboard.press('Enter');
  await rate.waitFor({ state: 'visible' });
  assert.equal(await page.locator('ml-playground details[data-section=training]').evaluate((d) => d.open), true);
  // The keyboard shortcuts leave a summary alone (Space toggles it, it does not play).
  await page.keyboard.press(' ');
  assert.equal(await page.locator('ml-playground details[data-section=training]').evaluate((d) => d.open), false);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').playing), false);
  await page.keyboard.press(' ');
  // A click on a summary opens its group too (touch); the model's closes.
  await page.locator('ml-playground details[data-section=data] > summary').click();
  await page.locator('ml-playground details[data-section=model] > summary').click();
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.querySelector('details[data-section=data]').open);
  assert.ok(await page.locator('ml-playground label.row:not([hidden])', { hasText: 'Noise' }).isVisible());
  // The choices last for the session: after a reload (and a change of language) the same groups are open.
  await page.reload();
  await waitReady(page);
  await page.locator('ml-playground #lang-zh').click();
  // (the Chinese catalog is loaded on the first switch to it)
  await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('reset').textContent === '⟲ 重置');
  const again = await groups(page);
  assert.deepEqual(again.map((g) => [g.section, g.open]), [['data', true], ['preparation', false], ['model', false], ['training', true], ['view', false]]);
  assert.equal(again[0].summary, '数据');
  assert.equal(again[3].summary, '训练');
  // A family without gradient training has no Training group.
  await page.evaluate((s) => document.querySelector('ml-playground').loadEncoded(s), enc({ ...state, model: { kind: 'tree' } }));
  await settle(page);
  assert.equal((await groups(page)).find((g) => g.section === 'training').hidden, true);
  // Still nothing serious for axe on the phone, with groups open and closed.
  check(await axe(page), 'phone');
  assert.deepEqual(page.errors, []);
  await page.close();
  // A laptop: every group open, beside the plot, as the headings they were.
  const laptop = await open(state, { width: 1366, height: 768 });
  assert.deepEqual((await groups(laptop)).map((g) => [g.section, g.open]), [['data', true], ['preparation', true], ['model', true], ['training', true], ['view', true]]);
  const side = await laptop.evaluate(() => {
    const r = document.querySelector('ml-playground').shadowRoot;
    return [r.getElementById('controls').getBoundingClientRect().right, r.getElementById('plot').getBoundingClientRect().left];
  });
  assert.ok(side[0] <= side[1], `the settings are left of the plot: ${side}`);
  assert.deepEqual(laptop.errors, []);
  await laptop.close();
});
