// Load benchmark (issue 15): how long the page takes to show its points, in headless Chromium,
// from navigation start to the first frame after the element's first snapshot (the plot drawn:
// points, and the model when the first answer carries one). Three ways:
// - "cold, throttled": the profile — 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency
//   (Chrome DevTools' emulateNetworkConditions) and a 4× CPU slowdown — with the cache disabled;
// - "cached, throttled": the same profile, cache enabled, the page loaded once before (a return visit);
// - "cold, localhost": no throttling, cache disabled.
// Each is the median of a few fresh browser contexts (no cache, no service worker carried over).
// Targets: ≤ 3500 ms cold throttled, ≤ 500 ms localhost cold. Also counts the requests and
// bytes on the wire per load, and how many times the wasm was fetched (should be once).
// Rows go to bench/results.json: { task, n: runs, ours_ms, peer: null, … }.
//   node bench/load.mjs [--quick]          (BENCH_ONLY=load npm run bench)
import { startServer, launch } from '../tests/page/browser.mjs';
import { mergeResults } from './results.mjs';

const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 3;

const THROTTLED = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const CPU_SLOWDOWN = 4;

/**
 * One load of `url` in a fresh context: the milliseconds from navigation start to the first frame
 * with a snapshot drawn, and what went over the wire.
 * @param {import('playwright-core').Browser} browser
 */
async function loadOnce(browser, url, { throttled, cached }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !cached });
  const waitDrawn = () =>
    page.waitForFunction(() => {
      const el = document.querySelector('ml-playground');
      // @ts-ignore
      return el && el.snapshot ? performance.now() : false;
    }, null, { polling: 'raf', timeout: 60000 });
  if (cached) {
    // the first visit fills the cache (unthrottled: only the return visit is timed)
    await page.goto(url);
    await waitDrawn();
  }
  if (throttled) {
    await cdp.send('Network.emulateNetworkConditions', THROTTLED);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  }
  const wire = { requests: 0, bytes: 0, wasm: 0 };
  cdp.on('Network.requestWillBeSent', (e) => {
    wire.requests += 1;
    if (e.request.url.endsWith('.wasm')) wire.wasm += 1;
  });
  cdp.on('Network.loadingFinished', (e) => {
    wire.bytes += e.encodedDataLength;
  });
  if (cached) await page.reload({ waitUntil: 'commit' });
  else await page.goto(url, { waitUntil: 'commit' });
  const ms = await (await waitDrawn()).jsonValue();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await context.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return { ms, ...wire };
}

const server = await startServer();
const browser = await launch();
const rows = [];
try {
  // the server compresses each file once and keeps it: a first request warms that (as a host
  // serving the build's precompressed files would be)
  await loadOnce(browser, server.url, { throttled: false, cached: false });
  const cases = [
    ['page load: points shown, cold, 1.6 Mbit/s 150 ms, 4× CPU', { throttled: true, cached: false }, 3500],
    ['page load: points shown, cached, 1.6 Mbit/s 150 ms, 4× CPU', { throttled: true, cached: true }, null],
    ['page load: points shown, cold, localhost', { throttled: false, cached: false }, 500],
  ];
  for (const [task, how, target] of cases) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await loadOnce(browser, server.url, how));
    results.sort((a, b) => a.ms - b.ms);
    const mid = results[Math.floor(results.length / 2)];
    const row = {
      task,
      n: runs,
      ours_ms: +mid.ms.toFixed(1),
      peer: null,
      peer_ms: null,
      ratio: null,
      all_ms: results.map((r) => +r.ms.toFixed(1)),
      requests: mid.requests,
      kb_on_wire: +(mid.bytes / 1024).toFixed(1),
      wasm_fetches: mid.wasm,
      target_ms: target,
    };
    rows.push(row);
    const verdict = target == null ? '' : mid.ms <= target ? `  ≤ ${target} ms ✓` : `  > ${target} ms ✗`;
    console.log(`${task.padEnd(62)} ${mid.ms.toFixed(0).padStart(6)} ms (runs ${row.all_ms.join(', ')})  ${mid.requests} requests, ${row.kb_on_wire} KB, wasm fetched ${mid.wasm}×${verdict}`);
  }
} finally {
  await browser.close();
  server.stop();
}
mergeResults(rows);
