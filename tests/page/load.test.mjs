// A fast first load (issue 15): index.html loads the element as one bundle and its worker as one
// (scripts/bundle.mjs), so the first picture waits for a handful of requests, not three levels of
// ~40 module imports; the wasm is still fetched and compiled once; and an element already near the
// viewport starts its worker as it is connected, not on the observer's first report a frame later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, newPage, waitReady } from './support.mjs';

useBrowser();

test('index.html draws its first picture from the bundles: few script requests, the wasm fetched once, no module cascade', async () => {
  const page = await newPage(browser);
  /** @type {string[]} */
  const scripts = [];
  /** @type {string[]} */
  const wasm = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.endsWith('.js')) scripts.push(p);
    if (p.endsWith('.wasm')) wasm.push(p);
  });
  await page.goto(server.url);
  await waitReady(page);
  const before = [...scripts];
  assert.deepEqual(wasm, ['/www/pkg/ml_playground_bg.wasm']);
  // the element and its worker, each as one file
  assert.ok(before.includes('/www/ml-playground.bundle.js'), before.join('\n'));
  assert.ok(before.includes('/www/worker.bundle.js'), before.join('\n'));
  // none of the modules they are made of (the module map would hold a second engine.js, which
  // would fetch and compile the wasm again)
  for (const module of ['/www/ml-playground.js', '/www/parts.js', '/www/worker.js', '/www/worker-client.js', '/www/limits.js', '/www/time-slice.js']) {
    assert.ok(!before.includes(module), `${module} was loaded: ${before.join(', ')}`);
  }
  // what the bundle leaves outside, once each: the shared engine, util (one Trusted Types
  // policy), the glue, the English catalog, offline.js; the worker's glue is in its bundle
  const counts = Object.fromEntries(before.map((p) => [p, before.filter((q) => q === p).length]));
  assert.deepEqual(Object.values(counts).filter((n) => n > 1), [], JSON.stringify(counts));
  assert.ok(before.length <= 9, `${before.length} scripts before the first picture: ${before.join(', ')}`);
  // and the bundled worker trains: a step answers with a later epoch
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    el.configure({ ...el.state, model: { kind: 'linear', solver: 'gradient_descent' } });
  });
  await waitReady(page);
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await page.waitForFunction(() => document.querySelector('ml-playground').snapshot.report.epoch > 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an element near the viewport starts its worker as it is connected; one far below waits for the observer', async () => {
  const page = await newPage(browser, { width: 1200, height: 800 });
  const url = `${server.url}examples/connect.html`;
  await page.route(url, (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><meta charset="utf-8"><body style="margin:0"><div id="spacer"></div><script type="module" src="/www/ml-playground.js"></script>',
  }));
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('ml-playground'));
  // in the same task as the connection: no frame, no observer report in between
  const started = await page.evaluate(() => {
    const near = Object.assign(document.createElement('ml-playground'), { id: 'near' });
    near.setAttribute('dataset', 'linear');
    document.body.prepend(near);
    const spacer = /** @type {HTMLElement} */ (document.querySelector('#spacer'));
    spacer.style.height = '5000px';
    const far = Object.assign(document.createElement('ml-playground'), { id: 'far' });
    far.setAttribute('dataset', 'linear');
    document.body.append(far);
    // @ts-ignore
    return { near: !!near.worker, far: !!far.worker };
  });
  assert.deepEqual(started, { near: true, far: false });
  await waitReady(page, '#near');
  assert.equal(await page.evaluate(() => !!document.querySelector('#far').worker), false);
  await page.evaluate(() => document.querySelector('#far').scrollIntoView());
  await waitReady(page, '#far');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the first answer\'s plot is painted in the frame it arrives (points and model); the panels follow, and waitReady waits for them', async () => {
  const page = await newPage(browser);
  // at each frame until the first snapshot: what the plot canvas holds then
  await page.addInitScript(() => {
    const look = () => {
      const el = /** @type {any} */ (document.querySelector('ml-playground'));
      if (!el?.snapshot) {
        requestAnimationFrame(look);
        return;
      }
      const c = el.parts.dom.plot;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      // points are drawn in colour; axes and text in greys
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) coloured++;
      // @ts-ignore
      window.firstFrame = { coloured, layout: !!el.layout };
    };
    requestAnimationFrame(look);
  });
  await page.goto(server.url);
  await waitReady(page);
  const first = await page.evaluate(() => /** @type {any} */ (window).firstFrame);
  assert.ok(first.coloured > 200, `the points are on the first frame's plot (${first.coloured} coloured pixels)`);
  assert.ok(first.layout);
  // once ready, the panels are there: the loading note gone, the readout written, the loss chart drawn
  const after = await page.evaluate(() => {
    const el = /** @type {any} */ (document.querySelector('ml-playground'));
    const loss = el.parts.dom.loss;
    const data = loss.getContext('2d').getImageData(0, 0, loss.width, loss.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200) ink++;
    return { busy: el.parts.dom.app.getAttribute('aria-busy'), loading: el.parts.dom.loading.hidden, ink, aria: el.parts.dom.plot.getAttribute('aria-label') ?? '' };
  });
  assert.deepEqual([after.busy, after.loading], ['false', true]);
  assert.ok(after.ink > 50, `the loss chart is drawn (${after.ink})`);
  assert.match(after.aria, /\d/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
