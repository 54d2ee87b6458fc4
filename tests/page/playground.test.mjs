// The real page in headless Chromium: it loads cleanly, trains, draws the line where the maths
// says, follows clicks and drags, reproduces a picture from a copied link, runs two independent
// elements, and survives bad input with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useBrowser, server, browser, open, enc, newPage, waitReady, root, killWorker } from './support.mjs';

useBrowser();

const CURVE = [40, 40, 46];


/** Waits for the element's next snapshot after `action`. */
async function settle(page, sel = 'ml-playground') {
  await page.waitForFunction((s) => document.querySelector(s).inflight === 0, sel);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}

/** The device-pixel row where the curve crosses the column of data-x `x` (median of curve-coloured pixels). */
async function curveRow(page, x, sel = 'ml-playground') {
  return page.evaluate(
    ({ x, sel, CURVE }) => {
      const el = document.querySelector(sel);
      const c = el.shadowRoot.getElementById('plot');
      const [px] = el.toPixel(x, 0);
      const { plot } = el.layout;
      const data = c.getContext('2d').getImageData(Math.round(px), plot[1], 1, plot[3] - plot[1]).data;
      const rows = [];
      for (let i = 0; i < data.length / 4; i++) {
        const d = Math.abs(data[4 * i] - CURVE[0]) + Math.abs(data[4 * i + 1] - CURVE[1]) + Math.abs(data[4 * i + 2] - CURVE[2]);
        if (d < 30) rows.push(plot[1] + i);
      }
      return rows.length ? rows[Math.floor(rows.length / 2)] : null;
    },
    { x, sel, CURVE },
  );
}

const expectedRow = (page, x, y, sel = 'ml-playground') =>
  page.evaluate(({ x, y, sel }) => document.querySelector(sel).toPixel(x, y)[1], { x, y, sel });

async function canvasDigest(page, sel = 'ml-playground') {
  return page.evaluate(async (sel) => {
    const c = document.querySelector(sel).shadowRoot.getElementById('plot');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const h = await crypto.subtle.digest('SHA-256', d);
    return Array.from(new Uint8Array(h), (b) => b.toString(16).padStart(2, '0')).join('');
  }, sel);
}

const messageText = (page, sel = 'ml-playground') =>
  page.evaluate((s) => {
    const m = document.querySelector(s).shadowRoot.getElementById('message');
    return m.hidden ? '' : m.textContent;
  }, sel);

test('the page loads with no console errors and draws a sharp canvas', async () => {
  const page = await open(null, { dpr: 2 });
  const info = await page.evaluate(() => {
    const c = document.querySelector('ml-playground').shadowRoot.getElementById('plot');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let nonWhite = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) nonWhite++;
    return { w: c.width, cssW: c.clientWidth, nonWhite };
  });
  assert.equal(info.w, info.cssW * 2, 'backing store scaled by devicePixelRatio');
  assert.ok(info.nonWhite > 5000, `only ${info.nonWhite} drawn pixels`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('closed form: the drawn line is the least-squares line of noiseless data', async () => {
  const page = await open({ data: { kind: 'linear', n: 100, noise: 0, seed: 3 }, view: { band: false } });
  // Columns beyond the data (x in [-5, 5]), where no point covers the line.
  for (const x of [-5.7, 5.7]) {
    const got = await curveRow(page, x);
    const want = await expectedRow(page, x, 0.7 * x + 0.5);
    assert.ok(got !== null && Math.abs(got - want) <= 2, `x=${x}: curve at row ${got}, expected ${want}`);
  }
  assert.match(await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('formula').textContent), /y = 0\.700·x \+ 0\.500/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('gradient descent trains with play / pause and converges onto the same line', async () => {
  const page = await open({
    data: { kind: 'linear', n: 200, noise: 0, seed: 3 },
    model: { kind: 'linear', solver: 'gradient_descent', train: { learning_rate: 0.3 } },
    steps_per_frame: 20,
    view: { band: false },
  });
  const el = 'ml-playground';
  const shadowClick = (id) => page.evaluate(({ el, id }) => document.querySelector(el).shadowRoot.getElementById(id).click(), { el, id });
  await shadowClick('play');
  await page.waitForFunction((el) => document.querySelector(el).snapshot.report.epoch >= 300, el, { timeout: 20000 });
  await shadowClick('play');
  await settle(page);
  const epoch = await page.evaluate((el) => document.querySelector(el).snapshot.report.epoch, el);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate((el) => document.querySelector(el).snapshot.report.epoch, el), epoch, 'paused');
  for (const x of [-5.7, 5.7]) {
    const got = await curveRow(page, x);
    const want = await expectedRow(page, x, 0.7 * x + 0.5);
    assert.ok(got !== null && Math.abs(got - want) <= 2, `x=${x}: curve at row ${got}, expected ${want}`);
  }
  // The loss chart has been drawn.
  const lossInk = await page.evaluate((el) => {
    const c = document.querySelector(el).shadowRoot.getElementById('loss');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200) n++;
    return n;
  }, el);
  assert.ok(lossInk > 200, `loss chart has ${lossInk} dark pixels`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('clicking adds a point and the line follows; drag moves it; shift-click removes it', async () => {
  const page = await open({ data: { kind: 'linear', n: 30, noise: 0, seed: 3 }, view: { band: false } });
  const before = await curveRow(page, 5.7);
  const canvasBox = await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    const r = el.shadowRoot.getElementById('plot').getBoundingClientRect();
    const c = el.shadowRoot.getElementById('plot');
    const [px, py] = el.toPixel(5, 5.9);
    return { x: r.left + (px * r.width) / c.width, y: r.top + (py * r.height) / c.height };
  });
  await page.mouse.click(canvasBox.x, canvasBox.y);
  await settle(page);
  const after = await curveRow(page, 5.7);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.n_points), 31);
  assert.ok(after < before - 3, `the line's right end should rise: row ${before} -> ${after}`);
  // Drag the new point down to the line: the fit returns to y = 0.7x + 0.5.
  const target = await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    const r = el.shadowRoot.getElementById('plot').getBoundingClientRect();
    const c = el.shadowRoot.getElementById('plot');
    const [px, py] = el.toPixel(5, 0.7 * 5 + 0.5);
    return { x: r.left + (px * r.width) / c.width, y: r.top + (py * r.height) / c.height };
  });
  await page.mouse.move(canvasBox.x, canvasBox.y);
  await page.mouse.down();
  for (let k = 1; k <= 5; k++) await page.mouse.move(canvasBox.x, canvasBox.y + ((target.y - canvasBox.y) * k) / 5);
  await page.mouse.up();
  await settle(page);
  await page.waitForTimeout(100);
  await settle(page);
  const dragged = await page.evaluate(() => document.querySelector('ml-playground').state.edits);
  assert.equal(dragged.length, 2, JSON.stringify(dragged));
  assert.equal(dragged[1].op, 'move');
  assert.ok(Math.abs((await curveRow(page, 5.7)) - before) <= 2, 'line back after the drag');
  // Shift-click near it removes it.
  await page.keyboard.down('Shift');
  await page.mouse.click(target.x + 2, target.y + 2);
  await page.keyboard.up('Shift');
  await settle(page);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.n_points), 30);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a copied link reproduces the same picture', async () => {
  const page = await open({ data: { kind: 'sine', n: 150, noise: 0.3, seed: 9 }, model: { kind: 'linear', degree: 5 } });
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    el.post({ type: 'edit', edit: { op: 'add', x: 1, y: 4 } });
  });
  await settle(page);
  const link = await page.evaluate(() => document.querySelector('ml-playground').link());
  const digest = await canvasDigest(page);
  const copy = await open(link);
  assert.equal(await canvasDigest(copy), digest);
  assert.equal(await copy.evaluate(() => document.querySelector('ml-playground').snapshot.report.n_points), 151);
  assert.deepEqual([...page.errors, ...copy.errors], []);
  await page.close();
  await copy.close();
});

test('two elements on one page run independently', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}examples/embed.html`);
  await waitReady(page, '#a');
  await waitReady(page, '#b');
  const kinds = await page.evaluate(() => ['#a', '#b'].map((s) => document.querySelector(s).state.data.kind));
  assert.deepEqual(kinds, ['polynomial', 'linear']);
  const bBefore = await canvasDigest(page, '#b');
  await page.evaluate(() => document.querySelector('#a').post({ type: 'edit', edit: { op: 'add', x: 0, y: 5 } }));
  await settle(page, '#a');
  assert.equal(await canvasDigest(page, '#b'), bBefore, 'editing #a leaves #b alone');
  // (an element plays only while on screen: polite embeds, tests/page/embed.test.mjs)
  await page.evaluate(() => document.querySelector('#b').scrollIntoView());
  await page.evaluate(() => document.querySelector('#b').play());
  await page.waitForFunction(() => document.querySelector('#b').snapshot.report.epoch > 20);
  await page.evaluate(() => document.querySelector('#b').pause());
  assert.equal(await page.evaluate(() => document.querySelector('#a').snapshot.report.n_points), 151);
  assert.notEqual(await page.evaluate(() => document.querySelector('#a').worker === document.querySelector('#b').worker), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('bad input gives a message and the page keeps working', async () => {
  // A tampered link: the default playground loads with a message.
  const page = await newPage(browser);
  await page.goto(`${server.url}#s=not*base64`);
  await waitReady(page);
  assert.match(await messageText(page), /damaged/);
  await page.goto(`${server.url}#s=${enc({ data: { n: 999999 } })}`);
  await page.reload();
  await waitReady(page);
  assert.match(await messageText(page), /^Number of points must be between 0 and 5000 \(got 999999\)/);
  // A diverging learning rate: training stops with a message, the last good line is kept.
  await page.evaluate((s) => {
    location.hash = `s=${s}`;
  }, enc({ data: { kind: 'polynomial', n: 100 }, model: { kind: 'linear', degree: 6, solver: 'gradient_descent', train: { learning_rate: 10 } }, steps_per_frame: 50 }));
  await page.waitForFunction(() => document.querySelector('ml-playground').state.model.degree === 6);
  await page.evaluate(() => document.querySelector('ml-playground').play());
  await page.waitForFunction(() => document.querySelector('ml-playground').snapshot.report.can_train === false, null, { timeout: 20000 });
  assert.match(await messageText(page), /diverged.*learning rate/);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').playing), false);
  // All x equal: singular, with advice; then clearing the edits recovers.
  await page.evaluate((s) => {
    location.hash = `s=${s}`;
  }, enc({ data: { kind: 'linear', n: 0 }, edits: [{ op: 'add', x: 1, y: 1 }, { op: 'add', x: 1, y: 3 }] }));
  await page.waitForFunction(() => document.querySelector('ml-playground').state.data.n === 0);
  await settle(page);
  assert.match(await messageText(page), /same x/);
  // A NaN edit sent straight to the worker is refused; the state is unchanged.
  await page.evaluate(() => document.querySelector('ml-playground').post({ type: 'edit', edit: { op: 'add', x: NaN, y: 1 } }));
  await settle(page);
  assert.match(await messageText(page), /finite/);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.n_points), 2);
  // Still alive: a new dataset trains normally.
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    el.configure({ ...el.state, data: { ...el.state.data, n: 50 }, edits: [] });
  });
  await settle(page);
  assert.equal(await messageText(page), '');
  assert.ok(await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.trained));
  // Console errors: only none from the app itself.
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a reply to a request older than the latest edit is not applied (issue 10, item 5)', async () => {
  const page = await open({ data: { kind: 'linear', n: 100, seed: 3 } });
  const seen = await page.evaluate(async () => {
    const el = document.querySelector('ml-playground');
    const states = [];
    el.addEventListener('snapshot', () => states.push(el.state.data.n));
    // A step goes out, then an edit before its answer: the step's answer shows the old data.
    el.post({ type: 'step', epochs: 1 });
    el.configure({ ...el.state, data: { ...el.state.data, n: 50 } });
    await new Promise((resolve) => {
      const wait = () => (el.inflight === 0 ? resolve() : requestAnimationFrame(wait));
      wait();
    });
    return { states, n: el.state.data.n, shown: el.snapshot.report.n_points };
  });
  assert.deepEqual(seen.states, [50]);
  assert.equal(seen.n, 50);
  assert.equal(seen.shown, 50);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a link whose session cannot be built falls back with a message, keeping what was valid (issue 10, item 13)', async () => {
  const cases = [
    // Every feature left out: every feature is used again; the rest of the data and the model stay.
    [{ data: { kind: 'xor', n: 50, drop_features: [0, 1] }, model: { kind: 'tree', max_depth: 3 } }, (s) => s.data.kind === 'xor' && s.data.n === 50 && s.model.kind === 'tree' && s.model.max_depth === 3 && s.data.drop_features.length === 0],
    // An edit of a point that does not exist: the edits are left out; the data stays.
    [{ data: { kind: 'sine', n: 40 }, edits: [{ op: 'move', i: 1000, x: 0, y: 0 }] }, (s) => s.data.kind === 'sine' && s.data.n === 40 && s.edits.length === 0],
  ];
  for (const [state, kept] of cases) {
    const page = await open(state);
    const s = await page.evaluate(() => document.querySelector('ml-playground').state);
    assert.ok(kept(s), JSON.stringify(s));
    assert.match(await messageText(page), /\S/, 'a message says what happened');
    const empty = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('select')]
      .filter((sel) => sel.offsetParent !== null && sel.options.length === 0).length);
    assert.equal(empty, 0, 'every shown select has its options');
    // Every control works: a step and a change of data answer with a snapshot.
    await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('step').click());
    await settle(page);
    await page.evaluate(() => {
      const el = document.querySelector('ml-playground');
      el.configure({ ...el.state, data: { ...el.state.data, seed: 5 } });
    });
    await settle(page);
    assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.state.data.seed), 5);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('a worker that dies is noticed: a message, and a new worker from the last good state (issue 10, items 12 and 15)', async () => {
  const page = await open({ data: { kind: 'sine', n: 60, seed: 4 }, model: { kind: 'linear', degree: 3 } });
  await page.evaluate(() => document.querySelector('ml-playground').post({ type: 'edit', edit: { op: 'add', x: 1, y: 3 } }));
  await settle(page);
  await killWorker(page);
  await page.waitForFunction(() => {
    const el = document.querySelector('ml-playground');
    return el.worker && el.worker !== window.deadWorker && el.inflight === 0 && el.snapshot.id > 2;
  });
  assert.match(await messageText(page), /worker stopped.*new one was started from the last good state/);
  const s = await page.evaluate(() => document.querySelector('ml-playground').snapshot);
  assert.equal(s.state.data.kind, 'sine');
  assert.equal(s.state.model.degree, 3);
  assert.equal(s.report.n_points, 61, 'the edit made before the worker died is kept');
  // The new worker answers: another point is added.
  await page.evaluate(() => document.querySelector('ml-playground').post({ type: 'edit', edit: { op: 'add', x: 2, y: 3 } }));
  await settle(page);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.n_points), 62);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('Copy link on an embedded element reproduces that element, under its own key (issue 10, item 6)', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}examples/embed.html`);
  await waitReady(page, '#a');
  await waitReady(page, '#b');
  await page.evaluate(() => document.querySelector('#a').post({ type: 'edit', edit: { op: 'add', x: 0, y: 5 } }));
  await settle(page, '#a');
  const link = await page.evaluate(() => document.querySelector('#a').link());
  assert.match(link, /#s-a=/);
  const digest = await canvasDigest(page, '#a');
  const copy = await newPage(browser);
  await copy.goto(link);
  await waitReady(copy, '#a');
  await waitReady(copy, '#b');
  assert.equal(await copy.evaluate(() => document.querySelector('#a').snapshot.report.n_points), 151);
  assert.equal(await canvasDigest(copy, '#a'), digest);
  assert.equal(await copy.evaluate(() => document.querySelector('#b').state.data.kind), 'linear', 'the other element keeps its attributes');
  // An element with no id has no key of its own: no Copy link button.
  await copy.evaluate(() => {
    const el = document.createElement('ml-playground');
    el.id = '';
    el.className = 'anonymous';
    document.body.append(el);
    el.scrollIntoView(); // (an element starts when it comes near the viewport)
  });
  await waitReady(copy, '.anonymous');
  assert.equal(await copy.evaluate(() => document.querySelector('.anonymous').shadowRoot.getElementById('copy').hidden), true);
  assert.equal(await copy.evaluate(() => document.querySelector('#a').shadowRoot.getElementById('copy').hidden), false);
  assert.deepEqual([...page.errors, ...copy.errors], []);
  await page.close();
  await copy.close();
});

test('until the worker is ready, the controls are disabled and a note says what is loading (issue 10, item 8)', async () => {
  const page = await newPage(browser);
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  await page.route('**/ml_playground_bg.wasm', async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('ml-playground')?.shadowRoot?.getElementById('loading'));
  const loading = () => page.evaluate(() => {
    const root = document.querySelector('ml-playground').shadowRoot;
    const enabled = [...root.querySelectorAll('select, input, button')].filter((c) => !c.disabled && !c.closest('fieldset:disabled') && c.offsetParent !== null);
    const note = root.getElementById('loading');
    return { enabled: enabled.map((c) => c.id || c.textContent || c.tagName), note: note.hidden ? '' : note.textContent, busy: root.getElementById('app').getAttribute('aria-busy') };
  });
  const before = await loading();
  assert.deepEqual(before.enabled, []);
  assert.match(before.note, /Loading the model engine/);
  assert.equal(before.busy, 'true');
  release();
  await waitReady(page);
  const after = await loading();
  assert.equal(after.note, '');
  assert.equal(after.busy, 'false');
  assert.ok(after.enabled.includes('reset') && after.enabled.includes('step') && after.enabled.length > 15, JSON.stringify(after.enabled));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('sliders step in their own units, say their value, and a held key refits once (issue 10, item 7)', async () => {
  const page = await open({ data: { kind: 'sine', n: 100, seed: 2 }, model: { kind: 'linear', degree: 1 } });
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    window.configures = [];
    const post = el.post.bind(el);
    el.post = (msg) => {
      if (msg.type === 'configure') window.configures.push(msg.state.model.degree);
      return post(msg);
    };
  });
  const degree = page.locator('ml-playground label.row.range', { hasText: 'Degree' }).locator('input');
  assert.equal(await degree.getAttribute('aria-valuetext'), '1');
  // One press: one step of the degree, one refit.
  await degree.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.configures.length === 1);
  await settle(page);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').state.model.degree), 2);
  assert.equal(await degree.getAttribute('aria-valuetext'), '2');
  // A held key (repeated keydowns, then keyup): the slider moves at each repeat, the model refits once.
  for (let k = 0; k < 4; k++) await page.keyboard.down('ArrowRight');
  assert.equal(await degree.getAttribute('aria-valuetext'), '6');
  await page.keyboard.up('ArrowRight');
  await page.waitForFunction(() => window.configures.length === 2);
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.configures), [2, 6]);
  assert.equal(await page.evaluate(() => document.querySelector('ml-playground').snapshot.state.model.degree), 6);
  // A percentage slider says its unit.
  const noise = page.locator('ml-playground label.row.range', { hasText: 'Noise' }).locator('input');
  assert.match(await noise.getAttribute('aria-valuetext'), /^\d+ %$/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('embed attributes: a built-in dataset is a preset; a bad attribute is named and the others kept (issue 10, item 11)', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}examples/embed.html`);
  await waitReady(page, '#a');
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<ml-playground id="iris" dataset="iris"></ml-playground><ml-playground id="bad" dataset="sine" points="abc" degree="4"></ml-playground>');
  });
  // (an element starts when it comes near the viewport)
  await page.evaluate(() => document.querySelector('#iris').scrollIntoView());
  await waitReady(page, '#iris');
  await page.waitForFunction(() => document.querySelector('#iris').snapshot.state.data.kind === 'custom' && document.querySelector('#iris').inflight === 0);
  const iris = await page.evaluate(() => {
    const el = document.querySelector('#iris');
    return { n: el.snapshot.report.n_points, classes: el.snapshot.scene.n_classes, model: el.state.model.kind, message: el.shadowRoot.getElementById('message').hidden ? '' : el.shadowRoot.getElementById('message').textContent };
  });
  assert.deepEqual(iris, { n: 150, classes: 3, model: 'logistic', message: '' });
  await page.evaluate(() => document.querySelector('#bad').scrollIntoView());
  await waitReady(page, '#bad');
  const bad = await page.evaluate(() => {
    const el = document.querySelector('#bad');
    return { kind: el.state.data.kind, n: el.state.data.n, degree: el.state.model.degree, message: el.shadowRoot.getElementById('message').textContent };
  });
  assert.equal(bad.kind, 'sine');
  assert.equal(bad.degree, 4);
  assert.equal(bad.n, 100);
  assert.match(bad.message, /The attribute points="abc" is not a number\. The other attributes were applied\./);
  // A bad value set later is named too, and the state is kept.
  await page.evaluate(() => document.querySelector('#bad').setAttribute('degree', '99'));
  await page.waitForFunction(() => /degree="99"/.test(document.querySelector('#bad').shadowRoot.getElementById('message').textContent));
  assert.equal(await page.evaluate(() => document.querySelector('#bad').state.model.degree), 4);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the element\'s own code works under a strict Content-Security-Policy (style-src \'self\': its CSS is a linked file)', async () => {
  const page = await newPage(browser);
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; worker-src 'self'; connect-src 'self'";
  await page.route('**/csp-test.html', (route) => route.fulfill({
    status: 200,
    headers: { 'content-type': 'text/html', 'content-security-policy': csp },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP</title></head><body><ml-playground id="p"></ml-playground><script type="module" src="www/ml-playground.js"></script></body></html>',
  }));
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push({ directive: e.violatedDirective, source: e.sourceFile }));
  });
  await page.goto(`${server.url}csp-test.html`);
  await waitReady(page, '#p');
  const styled = await page.evaluate(() => {
    const root = document.querySelector('#p').shadowRoot;
    return { app: getComputedStyle(root.getElementById('app')).display, plot: getComputedStyle(root.getElementById('plot')).aspectRatio };
  });
  assert.deepEqual(styled, { app: 'grid', plot: '4 / 3' });
  await page.evaluate(() => document.querySelector('#p').post({ type: 'edit', edit: { op: 'add', x: 0, y: 1 } }));
  await settle(page, '#p');
  // Nothing is refused: text is measured with the canvas's measureText (web/mod.rs
  // MeasuredCanvas), not plotters' <span style="…">, which this policy refused.
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the playground page itself works, styled, under the issue\'s strict policy (no inline style, no data: icon)', async () => {
  const page = await newPage(browser);
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'";
  const html = readFileSync(path.join(root, 'index.html'), 'utf8');
  await page.route('**/csp-index.html', (route) => route.fulfill({
    status: 200,
    headers: { 'content-type': 'text/html', 'content-security-policy': csp },
    body: html,
  }));
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI }));
  });
  await page.goto(`${server.url}csp-index.html`);
  await waitReady(page);
  // the page's own stylesheet applied: the header's padding and the body's margin
  const styled = await page.evaluate(() => ({ margin: getComputedStyle(document.body).margin, pad: getComputedStyle(document.querySelector('header')).paddingLeft }));
  assert.deepEqual(styled, { margin: '0px', pad: '22px' });
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('at 1920×1080 the whole plot, its x-axis labels too, is above the fold (issue 10, item 11)', async () => {
  const page = await open(null, { width: 1920, height: 1080 });
  const box = await page.evaluate(() => {
    const r = document.querySelector('ml-playground').shadowRoot.getElementById('plot').getBoundingClientRect();
    return { bottom: r.bottom, width: r.width, height: r.height, fold: innerHeight };
  });
  assert.ok(box.bottom <= box.fold, JSON.stringify(box));
  assert.ok(box.height > 600, JSON.stringify(box));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a hash navigated to is not overwritten by a write of the state pending from before', async () => {
  const page = await open(null);
  const bad = enc({ data: { n: 999999 } });
  await page.evaluate((bad) => {
    const el = document.querySelector('ml-playground');
    // The snapshot schedules the state's write into the URL; the hash changes before it runs.
    el.addEventListener('snapshot', () => {
      location.hash = `s=${bad}`;
    }, { once: true });
    el.configure({ ...el.state, data: { ...el.state.data, n: 50 } });
  }, bad);
  await page.waitForFunction(() => /left as it was/.test(document.querySelector('ml-playground').shadowRoot.getElementById('message').textContent));
  await page.waitForFunction(() => document.querySelector('ml-playground').urlSync.timer === null);
  assert.equal(await page.evaluate(() => location.hash), `#s=${bad}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the page works under Trusted Types (require-trusted-types-for \'script\'): no HTML is parsed from strings, the worker\'s URL goes through one policy', async () => {
  const page = await newPage(browser);
  const csp = "require-trusted-types-for 'script'; trusted-types ml-playground";
  await page.route('**/tt-test.html', (route) => route.fulfill({
    status: 200,
    headers: { 'content-type': 'text/html', 'content-security-policy': csp },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TT</title></head><body><main><ml-playground id="p"></ml-playground></main><script type="module" src="www/ml-playground.js"></script></body></html>',
  }));
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push({ directive: e.violatedDirective, source: e.sourceFile, sample: e.sample }));
  });
  await page.goto(`${server.url}tt-test.html`);
  await waitReady(page, '#p');
  // the policy is enforced: HTML from a string is refused
  assert.equal(await page.evaluate(() => {
    try {
      document.createElement('div').innerHTML = '<b>x</b>';
      return 'parsed';
    } catch {
      return 'refused';
    }
  }), 'refused');
  await page.evaluate(() => window.violations.splice(0));
  page.errors.splice(0); // the console's report of the probe
  // every part that builds DOM from data: the views, the tree and network diagrams and thumbnails,
  // the class picker and grow tools, the confusion matrix, the CSV chooser, cross-validation, a
  // dismissable message, the language switch
  for (const model of [{ kind: 'logistic' }, { kind: 'tree' }, { kind: 'mlp' }]) {
    await page.evaluate((model) => {
      const el = document.querySelector('#p');
      el.configure({ ...el.state, data: { kind: 'moons', n: 100, seed: 1 }, model });
    }, model);
    await settle(page, '#p');
    await page.evaluate(() => document.querySelector('#p').step());
    await settle(page, '#p');
  }
  await page.evaluate(() => {
    const el = document.querySelector('#p');
    el.parts.csv.chooseColumns(new TextEncoder().encode('a,b,c,label\n1,2,3,x\n2,3,1,y\n3,1,2,x\n4,4,4,y\n'), 'four.csv');
    el.showMessage('a note', 'warning', true);
  });
  await page.locator('#p #cv-k').selectOption('2');
  await page.locator('#p #cv-run').click();
  await page.waitForFunction(() => /over 2 folds/.test(document.querySelector('#p').shadowRoot.getElementById('cv-result').textContent), null, { timeout: 30000 });
  await page.locator('#p #lang-zh').click();
  // (the Chinese catalog is imported on the first switch to it: under the policy too)
  await page.waitForFunction(() => document.querySelector('#p').shadowRoot.getElementById('reset').textContent === '⟲ 重置');
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});
