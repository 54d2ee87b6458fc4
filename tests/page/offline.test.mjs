// Offline: after one visit the service worker has stored the page, the wasm and the built-in
// datasets; with the network gone, a reload still draws, trains and opens a built-in dataset.
// Also: the build's precompressed wasm is what the server sends to a browser that accepts brotli.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, open, waitReady } from './support.mjs';

useBrowser();

test('the wasm is served precompressed (brotli, else gzip), with the right type', async () => {
  const url = `${server.url}www/pkg/ml_playground_bg.wasm`;
  const br = await fetch(url, { headers: { 'accept-encoding': 'br' } });
  assert.equal(br.headers.get('content-encoding'), 'br');
  assert.equal(br.headers.get('content-type'), 'application/wasm');
  const bytes = new Uint8Array(await br.arrayBuffer()); // fetch decodes it
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  const gz = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.equal((await plain.arrayBuffer()).byteLength, bytes.length);
});

test('after a first visit the page reloads, trains and opens a built-in dataset offline', async () => {
  const page = await open();
  // the worker is installed and controls the page once it has stored the files
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await waitReady(page);
  assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the page is controlled by the service worker');
  const stored = await page.evaluate(async () => (await (await caches.open('ml-playground-v1')).keys()).map((r) => new URL(r.url).pathname));
  for (const f of ['/www/pkg/ml_playground_bg.wasm', '/www/data/iris.csv', '/index.html']) assert.ok(stored.includes(f), `${f} stored`);

  await page.context().setOffline(true);
  await page.reload();
  await waitReady(page);
  // it trains: gradient descent steps move the epoch on
  await page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    el.configure({ ...el.state, model: { kind: 'linear', solver: 'gradient_descent' } });
  });
  await page.waitForFunction(() => document.querySelector('ml-playground').inflight === 0);
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await page.waitForFunction(() => (document.querySelector('ml-playground').snapshot?.report?.epoch ?? 0) > 0, null, { timeout: 20000 });
  // a built-in dataset is read from the stored copy
  const rows = await page.evaluate(async () => (await (await fetch('www/data/iris.csv')).text()).split('\n').length);
  assert.ok(rows > 150, `iris rows ${rows}`);
  assert.deepEqual(page.errors, []);
  await page.context().setOffline(false);
  await page.context().close();
});
