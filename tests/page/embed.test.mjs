// Embeds (issue 15): polite elements (no worker until near the viewport, no training off screen
// or in a hidden tab), the compact figure and the `controls` attribute, one download and compile
// of the wasm per page, Copy embed code reproducing the picture on a new page, and the
// postMessage prediction service across two origins (the server under localhost and 127.0.0.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useBrowser, server, browser, enc, newPage, waitReady, root } from './support.mjs';

useBrowser();

/** Serves `body` as the HTML page at `url` (same origin as the playground's files). */
async function routePage(page, url, body) {
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body }));
}

const SCRIPT = '<script type="module" src="/www/ml-playground.js"></script>';

/** Resolves after `n` animation frames of the page. */
const frames = (page, n) => page.evaluate((n) => new Promise((resolve) => {
  let left = n;
  const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
}), n);

test('an element far below the fold starts no worker until it is scrolled near the viewport', async () => {
  const page = await newPage(browser, { width: 1200, height: 800 });
  const url = `${server.url}examples/far.html`;
  await routePage(page, url, `<!doctype html><meta charset="utf-8"><body style="margin:0">
    <ml-playground id="top" dataset="sine" points="60"></ml-playground>
    <div style="height:4000px"></div>
    <ml-playground id="far" dataset="linear" points="60"></ml-playground>${SCRIPT}`);
  await page.goto(url);
  await waitReady(page, '#top');
  await frames(page, 10);
  const before = await page.evaluate(() => {
    const far = document.querySelector('#far');
    return { worker: !!far.worker, snapshot: !!far.snapshot, height: far.getBoundingClientRect().height };
  });
  assert.deepEqual({ worker: before.worker, snapshot: before.snapshot }, { worker: false, snapshot: false });
  assert.ok(before.height > 300, `the element reserves its size before it starts (${before.height} px)`);
  await page.evaluate(() => document.querySelector('#far').scrollIntoView());
  await waitReady(page, '#far');
  assert.ok(await page.evaluate(() => !!document.querySelector('#far').worker));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a figure a screen or more from the viewport is not rendered (far) and keeps its size; back near, it shows its picture', async () => {
  const page = await newPage(browser, { width: 1200, height: 800 });
  const url = `${server.url}examples/far-render.html`;
  await routePage(page, url, `<!doctype html><meta charset="utf-8"><body style="margin:0">
    <ml-playground id="top" dataset="moons" points="80"></ml-playground>
    <div style="height:5000px"></div>
    <ml-playground id="low" dataset="circle" points="80"></ml-playground>${SCRIPT}`);
  await page.goto(url);
  await waitReady(page, '#top');
  const state = () => page.evaluate(() => [...document.querySelectorAll('ml-playground')].map((el) => {
    const plot = el.shadowRoot.getElementById('plot');
    return { far: el.hasAttribute('far'), height: Math.round(el.getBoundingClientRect().height), plotWidth: plot?.getBoundingClientRect().width ?? 0 };
  }));
  await page.waitForFunction(() => document.querySelector('#low').hasAttribute('far'));
  const [top, low] = await state();
  assert.equal(top.far, false);
  assert.ok(low.height > 300, `the far figure keeps a size (${low.height} px)`);
  // scrolled to the lower figure: it renders, the top one is far and keeps its height (nothing moves)
  await page.evaluate(() => document.querySelector('#low').scrollIntoView());
  await waitReady(page, '#low');
  await page.waitForFunction(() => document.querySelector('#top').hasAttribute('far') && !document.querySelector('#low').hasAttribute('far'));
  const [top2, low2] = await state();
  assert.equal(top2.height, top.height, 'the far figure above keeps its height');
  assert.ok(low2.plotWidth > 300, `the near figure is laid out (plot ${low2.plotWidth} px)`);
  // back at the top: rendered again, its plot drawn
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => !document.querySelector('#top').hasAttribute('far'));
  await frames(page, 2);
  const shot = await page.locator('#top').screenshot();
  assert.ok(shot.length > 20000, `the top figure shows its picture again (${shot.length} bytes of PNG)`);
  const [top3] = await state();
  assert.equal(top3.height, top.height);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a playing element stops stepping when scrolled off screen or when the tab is hidden, and goes on when back', async () => {
  const page = await newPage(browser, { width: 1200, height: 800 });
  const url = `${server.url}examples/play-away.html`;
  await routePage(page, url, `<!doctype html><meta charset="utf-8"><body style="margin:0">
    <ml-playground id="p" dataset="linear" points="200" solver="gradient_descent" learning-rate="0.001"></ml-playground>
    <div style="height:4000px"></div>${SCRIPT}`);
  await page.goto(url);
  await waitReady(page, '#p');
  await page.evaluate(() => {
    const el = document.querySelector('#p');
    window.replies = 0;
    el.addEventListener('snapshot', () => window.replies++);
    el.play();
  });
  await page.waitForFunction(() => window.replies >= 3);
  // off screen: the reply in flight may still come, then nothing
  await page.evaluate(() => window.scrollTo(0, 3000));
  await page.waitForFunction(() => document.querySelector('#p').inflight === 0);
  await frames(page, 2);
  const still = await page.evaluate(() => window.replies);
  await frames(page, 40);
  assert.equal(await page.evaluate(() => window.replies), still, 'no steps while off screen');
  assert.equal(await page.evaluate(() => document.querySelector('#p').playing), true, 'Play stays on');
  // back on screen: steps again
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction((n) => window.replies >= n + 3, still);

  // a hidden tab: the same (the page says it is hidden and fires visibilitychange)
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => document.querySelector('#p').inflight === 0);
  await frames(page, 2);
  const hidden = await page.evaluate(() => window.replies);
  await frames(page, 40);
  assert.equal(await page.evaluate(() => window.replies), hidden, 'no steps while the tab is hidden');
  await page.evaluate(() => {
    delete document.visibilityState;
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction((n) => window.replies >= n + 3, hidden);
  await page.evaluate(() => document.querySelector('#p').pause());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('compact: a figure at most 400 px tall; controls="model,data" shows just those settings beside it', async () => {
  for (const [width, height] of [[1366, 768], [390, 844]]) {
    const page = await newPage(browser, { width, height });
    const url = `${server.url}examples/compact.html`;
    await routePage(page, url, `<!doctype html><meta charset="utf-8"><body style="margin:8px">
      <ml-playground id="c" compact dataset="moons" model="logistic" points="120"></ml-playground>
      <ml-playground id="m" compact controls="model,data" dataset="sine" points="60"></ml-playground>${SCRIPT}`);
    await page.goto(url);
    await waitReady(page, '#c');
    // (measured once the formula under the plot is typeset: KaTeX loads lazily, and a CI run once
    // measured after it came in, with the toolbar on three rows: the plot was 155 px)
    await page.waitForFunction(() => document.querySelector('#c').shadowRoot.querySelector('#model-tex .katex'));
    const c = await page.evaluate(() => {
      const el = document.querySelector('#c');
      const r = el.shadowRoot;
      const shown = (id) => getComputedStyle(r.getElementById(id)).display !== 'none';
      return { height: el.getBoundingClientRect().height, plot: r.getElementById('plot').getBoundingClientRect().height,
        toolbar: r.querySelector('.toolbar').getBoundingClientRect().height,
        controls: shown('controls'), results: shown('results'), tune: shown('tune') };
    });
    assert.ok(c.height <= 400 && c.height >= 300, `${width}: compact element is ${c.height} px tall`);
    assert.ok(c.plot >= 240, `${width}: the plot fills the figure (${c.plot} px)`);
    assert.ok(c.toolbar <= 48, `${width}: the figure's toolbar is one row (${c.toolbar} px)`);
    assert.deepEqual([c.controls, c.results, c.tune], [false, false, false], 'no side panels');
    await page.evaluate(() => document.querySelector('#m').scrollIntoView());
    await waitReady(page, '#m');
    const m = await page.evaluate(() => {
      const el = document.querySelector('#m');
      const r = el.shadowRoot;
      // (the settings groups: preparation goes with data, training with model)
      const sections = [...r.querySelectorAll('#controls details.group')].filter((f) => getComputedStyle(f).display !== 'none').map((f) => f.dataset.section);
      return { height: el.getBoundingClientRect().height, sections, results: getComputedStyle(r.getElementById('results')).display };
    });
    assert.deepEqual(m.sections.filter((s) => s !== 'preparation' && s !== 'training'), ['data', 'model']);
    assert.ok(m.sections.includes('preparation'), m.sections.join());
    assert.equal(m.results, 'none');
    if (width > 640) assert.ok(m.height <= 400, `with panels beside it, still ${m.height} px`);
    // an unknown panel name is said, the rest applied
    await page.evaluate(() => document.querySelector('#m').setAttribute('controls', 'model,charts'));
    const message = await page.evaluate(() => document.querySelector('#m').shadowRoot.getElementById('message').textContent);
    assert.match(message, /charts/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('a page with two elements downloads the wasm once (compiled once, the Module handed to each worker)', async () => {
  const page = await newPage(browser, { width: 1280, height: 2400 });
  const wasm = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(r.url());
  });
  await page.goto(`${server.url}examples/embed.html`);
  await waitReady(page, '#a');
  await waitReady(page, '#b');
  assert.equal(wasm.length, 1, wasm.join('\n'));
  // and both trained: their workers run from the handed-over module
  await page.evaluate(() => document.querySelector('#b').step());
  await page.waitForFunction(() => document.querySelector('#b').snapshot.report.epoch > 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Copy embed code gives a snippet that reproduces the picture on a new page, pixel for pixel', async () => {
  const state = { data: { kind: 'xor', n: 120, seed: 3 }, model: { kind: 'logistic', features: { x1: true, x2: true, x1_x2: true } } };
  const encoded = enc(state);
  const page = await newPage(browser, { width: 1100, height: 900 });
  const url = `${server.url}examples/source.html`;
  await routePage(page, url, `<!doctype html><meta charset="utf-8"><body style="margin:0">
    <ml-playground id="s" state="${encoded}"></ml-playground>${SCRIPT}`);
  await page.goto(url);
  await waitReady(page, '#s');
  // change something after loading, so the snippet must carry the current state, not the attribute
  await page.evaluate(() => {
    const el = document.querySelector('#s');
    el.configure({ ...el.state, data: { ...el.state.data, noise: 0.35, seed: 9 } });
  });
  await page.waitForFunction(() => document.querySelector('#s').inflight === 0 && document.querySelector('#s').state.data.seed === 9);
  await waitReady(page, '#s');
  await page.evaluate(() => document.querySelector('#s').shadowRoot.getElementById('copy-embed').click());
  const dialog = await page.evaluate(() => {
    const d = document.querySelector('#s').shadowRoot.querySelector('dialog.embed');
    return { open: d.open, code: d.querySelector('textarea').value, title: d.querySelector('h2').textContent };
  });
  assert.equal(dialog.open, true);
  assert.equal(dialog.title, 'Embed this picture');
  assert.match(dialog.code, new RegExp(`^<script type="module" src="${server.url.replace(/[.]/g, '\\.')}www/ml-playground\\.js"></script>\\n<ml-playground state="[A-Za-z0-9_-]+"></ml-playground>\\n$`));
  const original = await page.evaluate(() => {
    const el = document.querySelector('#s');
    return { state: JSON.stringify(el.state), pixels: el.shadowRoot.getElementById('plot').toDataURL() };
  });

  const copy = await newPage(browser, { width: 1100, height: 900 });
  const url2 = `${server.url}examples/pasted.html`;
  await routePage(copy, url2, `<!doctype html><meta charset="utf-8"><body style="margin:0">${dialog.code}`);
  await copy.goto(url2);
  await waitReady(copy);
  const again = await copy.evaluate(() => {
    const el = document.querySelector('ml-playground');
    return { state: JSON.stringify(el.state), pixels: el.shadowRoot.getElementById('plot').toDataURL() };
  });
  assert.equal(again.state, original.state);
  assert.ok(again.pixels === original.pixels, 'the same pixels');
  assert.deepEqual([...page.errors, ...copy.errors], []);
  await page.context().close();
  await copy.context().close();
});

/** The service page with only `origins` allowed (the example lists port 8080's; the test's port differs). */
function servicePage(origins) {
  return readFileSync(path.join(root, 'examples/predict-frame.html'), 'utf8').replace(/allow-origins="[^"]*"/, `allow-origins="${origins}"`);
}

/** Asks the service in the caller page's iframe; resolves with its reply. */
const ask = (page, message, huge = false) => page.evaluate(({ message, huge }) => new Promise((resolve) => {
  // (ten million rows are made here: a sparse list, cheap to send, that the service must refuse unread)
  if (huge) message.rows = Object.assign(new Array(1e7), { 0: [1] });
  const frame = document.getElementById('service');
  const origin = new URL(frame.src).origin;
  const listener = (event) => {
    if (event.origin === origin && event.data?.id === message.id) {
      removeEventListener('message', listener);
      resolve(event.data);
    }
  };
  addEventListener('message', listener);
  frame.contentWindow.postMessage(message, origin);
}), { message, huge });

test('the prediction service answers an allowed origin in another origin\'s iframe, and refuses bad requests clearly', async () => {
  const port = new URL(server.url).port;
  const caller = `http://localhost:${port}`;
  const service = `http://127.0.0.1:${port}`;
  const page = await newPage(browser, { width: 1100, height: 900 });
  await page.context().route(`${service}/examples/predict-frame.html`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: servicePage(caller) }));
  await page.goto(`${caller}/examples/predict-service.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 20000 });
  const frame = page.frames().find((f) => f.url().startsWith(service));
  assert.ok(frame, 'the service is on the second origin');
  await frame.evaluate(() => {
    window.snapshots = 0;
    document.querySelector('ml-playground').addEventListener('snapshot', () => window.snapshots++);
  });
  // The reference: least squares of the training points, computed here (closed form of degree 1).
  const fit = await frame.evaluate(() => {
    const s = document.querySelector('ml-playground').snapshot.scene;
    let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < s.xs.length; i++) {
      if (s.roles[i] & (1 | 32)) continue; // test and removed points
      n++; sx += s.xs[i]; sy += s.ys[i]; sxx += s.xs[i] ** 2; sxy += s.xs[i] * s.ys[i];
    }
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    return { slope, intercept: (sy - slope * sx) / n };
  });
  const before = await frame.evaluate(() => JSON.stringify(document.querySelector('ml-playground').state));

  const rows = [[-2], [-0.5], [0], [1.25], [3]];
  const ok = await ask(page, { type: 'predict', id: 1, rows });
  assert.equal(ok.type, 'predictions');
  assert.equal(ok.task, 'regression');
  assert.equal(ok.classes, null);
  assert.equal(ok.values.length, rows.length);
  rows.forEach(([x], i) => assert.ok(Math.abs(ok.values[i][0] - (fit.intercept + fit.slope * x)) < 1e-9, `row ${i}: ${ok.values[i][0]}`));
  // a missing value (null) is the imputer's to fill: still an answer
  assert.equal((await ask(page, { type: 'predict', id: 2, rows: [[null]] })).type, 'predictions');

  const bad = [
    [{ type: 'predict', id: 3, rows: [[1], [2, 3]] }, 'predict_ragged', { row: 1, got: 2, expected: 1 }, /rows\[1\] has 2 values/],
    [{ type: 'predict', id: 4, rows: 'huge' }, 'predict_too_many_rows', { rows: 1e7, max: 1e6 }, /10000000 rows/],
    [{ type: 'predict', id: 5, rows: [[1, 2, 3]] }, 'model_width', { n: 1, got: 3 }, /takes 1 feature/],
    [{ type: 'predict', id: 6, rows: [['one']] }, 'predict_not_number', { row: 0, column: 0 }, /rows\[0\]\[0\] is not a number/],
    [{ type: 'predict', id: 7, rows: 'x' }, 'predict_rows', {}, /list of rows/],
  ];
  for (const [message, code, values, text] of bad) {
    const reply = await ask(page, message, message.rows === 'huge');
    assert.equal(reply.type, 'predict-error', JSON.stringify(reply));
    assert.equal(reply.code, code);
    for (const [k, v] of Object.entries(values)) assert.equal(reply.values[k], v, `${code}.${k}`);
    assert.match(reply.message, text);
  }
  // worded in the element's language
  await frame.evaluate(() => document.querySelector('ml-playground').setAttribute('lang', 'zh'));
  // (the Chinese catalog is loaded when first chosen)
  await frame.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.getElementById('reset').textContent === '⟲ 重置');
  const zh = await ask(page, { type: 'predict', id: 8, rows: [[1], [2, 3]] });
  assert.match(zh.message, /每一行的特征数必须相同/);
  await frame.evaluate(() => document.querySelector('ml-playground').setAttribute('lang', 'en'));

  // nothing else changed: the same state, no new snapshot
  assert.equal(await frame.evaluate(() => JSON.stringify(document.querySelector('ml-playground').state)), before);
  assert.equal(await frame.evaluate(() => window.snapshots), 0, 'no snapshot: the session was not touched');
  assert.deepEqual(page.errors, []);

  // An origin not listed (the caller under the other name, the service under localhost): refused.
  const other = await newPage(browser, { width: 1100, height: 900 });
  await other.context().route(`${caller}/examples/predict-frame.html`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: servicePage(caller) }));
  await other.goto(`${service}/examples/predict-service.html`);
  let sf;
  while (!(sf = other.frames().find((f) => f.url().startsWith(caller)))) await frames(other, 5);
  await sf.waitForFunction(() => document.querySelector('ml-playground')?.snapshot, null, { timeout: 20000 });
  const refused = await ask(other, { type: 'predict', id: 9, rows: [[1]] });
  assert.equal(refused.type, 'predict-error');
  assert.equal(refused.code, 'predict_origin');
  assert.equal(refused.values.origin, service);
  assert.match(refused.message, /may not ask for predictions/);
  assert.equal(await other.evaluate(() => window.ready), false, 'no ready notice goes to an origin not listed');
  await page.context().close();
  await other.context().close();
});

test('the embed code of imported data carries its source: a built-in dataset comes back on the new page', async () => {
  const page = await newPage(browser, { width: 1100, height: 900 });
  const url = `${server.url}examples/iris-source.html`;
  await routePage(page, url, `<!doctype html><meta charset="utf-8"><body style="margin:0">
    <ml-playground id="i" dataset="iris"></ml-playground>${SCRIPT}`);
  await page.goto(url);
  await waitReady(page, '#i');
  await page.waitForFunction(() => document.querySelector('#i').snapshot.state.data.kind === 'custom' && document.querySelector('#i').inflight === 0 && document.querySelector('#i').source);
  await page.evaluate(() => document.querySelector('#i').shadowRoot.getElementById('copy-embed').click());
  const code = await page.evaluate(() => document.querySelector('#i').shadowRoot.querySelector('dialog.embed textarea').value);
  assert.match(code, / source="[A-Za-z0-9_-]+"/);
  const original = await page.evaluate(() => ({ state: JSON.stringify(document.querySelector('#i').state), n: document.querySelector('#i').snapshot.report.n_points }));

  const copy = await newPage(browser, { width: 1100, height: 900 });
  const url2 = `${server.url}examples/iris-pasted.html`;
  await routePage(copy, url2, `<!doctype html><meta charset="utf-8"><body style="margin:0">${code}`);
  await copy.goto(url2);
  await waitReady(copy);
  await copy.waitForFunction(() => document.querySelector('ml-playground').snapshot.state.data.kind === 'custom' && document.querySelector('ml-playground').inflight === 0);
  const again = await copy.evaluate(() => ({ state: JSON.stringify(document.querySelector('ml-playground').state), n: document.querySelector('ml-playground').snapshot.report.n_points }));
  assert.deepEqual(again, original);
  assert.deepEqual([...page.errors, ...copy.errors], []);
  await page.context().close();
  await copy.context().close();
});
