// Memory of embedded elements (issue 15, "polite embeds": eight elements on one page take less
// than ~15 MB each). A docs page with eight <ml-playground> elements one under another is scrolled
// through so each starts; then, per element: the main thread's JS heap (CDP Performance.getMetrics
// JSHeapUsedSize, against the same page without elements), its worker's JS heap (CDP
// Runtime.getHeapUsage in the worker), its worker's wasm memory (the worker's answer to
// { type: 'memory' }: memory.buffer.byteLength, which only grows) and its canvases' pixels
// (width × height × 4 bytes, those shown). Then the page's frame interval while one element plays
// (target: median ≤ 20 ms). Appends to bench/results.json.
//   node bench/memory.mjs           (BENCH_ONLY=memory npm run bench)
import { startServer, launch, newPage, waitReady, enc } from '../tests/page/browser.mjs';
import { mergeResults } from './results.mjs';

const ELEMENTS = 8;
const DATASETS = ['moons', 'circle', 'xor', 'blobs', 'spiral', 'linear', 'sine', 'moons'];
const MB = 1024 * 1024;

/** The figure that plays while the frames are measured (the middle one): a network that trains
 * by epochs (the others' default models fit at once), its surface and neuron thumbnails redrawn. */
const PLAYING = {
  data: { kind: 'spiral', n: 1000, noise: 0.1, seed: 1 },
  model: { kind: 'mlp', hidden_layers: [{ neurons: 8, activation: 'tanh' }, { neurons: 8, activation: 'tanh' }], train: { learning_rate: 0.01, batch_size: 32, optimizer: { kind: 'adam' } } },
  steps_per_frame: 1,
};

/** The docs page: text between eight figures (or none, for the baseline). */
function pageHtml(n) {
  let body = '';
  for (let i = 0; i < n; i++) {
    const figure = i === Math.floor(n / 2) ? `state="${enc(PLAYING)}"` : `dataset="${DATASETS[i]}"`;
    body += `<p style="height:600px">Text ${i}</p><ml-playground id="e${i}" ${figure}></ml-playground>\n`;
  }
  return `<!doctype html><meta charset="utf-8"><body style="margin:0">${body}<p>end</p>
    <script type="module" src="/www/ml-playground.js"></script>`;
}

/** The workers' JS heaps, through a CDP session that attaches to the page's workers. */
async function workerHeaps(cdp) {
  const sessions = [];
  const pending = new Map();
  let next = 1;
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const m = JSON.parse(message);
    pending.get(m.id)?.(m.result);
  });
  const send = (sessionId, method, params = {}) => new Promise((resolve) => {
    const id = next++;
    pending.set(id, resolve);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
  const attached = new Promise((resolve) => {
    cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type === 'worker') sessions.push(sessionId);
      resolve();
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await attached;
  const heaps = [];
  for (const s of sessions) {
    await send(s, 'HeapProfiler.collectGarbage');
    heaps.push(await send(s, 'Runtime.getHeapUsage'));
  }
  return heaps;
}

async function measure(browser, server, n) {
  const page = await newPage(browser, { width: 1280, height: 900, dpr: 2 });
  const url = `${server.url}examples/memory-${n}.html`;
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: pageHtml(n) }));
  await page.goto(url);
  for (let i = 0; i < n; i++) {
    await page.evaluate((i) => document.querySelector(`#e${i}`).scrollIntoView(), i);
    await waitReady(page, `#e${i}`);
  }
  if (n === 0) await page.evaluate(() => import('/www/engine.js').then((m) => m.engine()));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  const els = await page.evaluate(async () => {
    const out = [];
    for (const el of document.querySelectorAll('ml-playground')) {
      const bytes = await new Promise((resolve) => {
        const w = el.worker;
        const on = (e) => {
          if (e.data?.type !== 'memory') return;
          w.removeEventListener('message', on);
          resolve(e.data.bytes);
        };
        w.addEventListener('message', on);
        w.postMessage({ type: 'memory' });
      });
      let canvas = 0;
      const canvases = [];
      // the canvases shown (a hidden panel's canvas keeps its default 300×150 size and is never drawn)
      for (const c of el.shadowRoot.querySelectorAll('canvas')) {
        if (!c.getClientRects().length) continue;
        canvas += c.width * c.height * 4;
        canvases.push(`${c.id || c.className}:${c.width}x${c.height}`);
      }
      out.push({ wasm: bytes, canvas, canvases });
    }
    return out;
  });
  const workers = n ? await workerHeaps(cdp) : [];
  const frames = n ? await framesWhileOnePlays(page, Math.floor(n / 2)) : null;
  // the same figure alone on a page, measured right after: what the other seven cost
  const alone = n > 1 ? await framesAlone(browser, server) : null;
  if (page.errors.length) console.error('console errors:', page.errors);
  await page.context().close();
  return { heap, els, workers, frames, alone };
}

/** {@link framesWhileOnePlays} on a page with the playing figure only. */
async function framesAlone(browser, server) {
  const page = await newPage(browser, { width: 1280, height: 900, dpr: 2 });
  const url = `${server.url}examples/memory-alone.html`;
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><meta charset="utf-8"><body style="margin:0">
    <p style="height:600px">Text</p><ml-playground id="e0" state="${enc(PLAYING)}"></ml-playground>
    <script type="module" src="/www/ml-playground.js"></script>` }));
  await page.goto(url);
  await page.evaluate(() => document.querySelector('#e0').scrollIntoView());
  await waitReady(page, '#e0');
  const frames = await framesWhileOnePlays(page, 0);
  await page.context().close();
  return frames;
}

/**
 * The page's frame intervals (requestAnimationFrame, main thread) over 4 s while element `i`,
 * scrolled into view, plays (the others are off-screen: they keep still), and how many snapshots
 * that element drew (so the figure is of a page that was training).
 */
async function framesWhileOnePlays(page, i) {
  await page.evaluate((i) => document.querySelector(`#e${i}`).scrollIntoView({ block: 'center' }), i);
  return page.evaluate(async (i) => {
    const el = document.querySelector(`#e${i}`);
    let snapshots = 0;
    const receive = el.client.receive.bind(el.client);
    el.client.receive = (msg) => {
      if (msg.type === 'snapshot') snapshots++;
      receive(msg);
    };
    el.shadowRoot.getElementById('play').click();
    const times = [];
    await new Promise((resolve) => {
      const t0 = performance.now();
      const tick = (t) => {
        times.push(t);
        if (t - t0 < 4000) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    el.shadowRoot.getElementById('play').click();
    const gaps = times.slice(1).map((t, k) => t - times[k]).sort((a, b) => a - b);
    return { median: gaps[Math.floor(gaps.length / 2)], p95: gaps[Math.floor(gaps.length * 0.95)], frames: gaps.length, snapshots };
  }, i);
}

const server = await startServer();
const browser = await launch();
const rows = [];
try {
  const base = await measure(browser, server, 0);
  const r = await measure(browser, server, ELEMENTS);
  const mainPer = (r.heap - base.heap) / ELEMENTS;
  const wasmPer = r.els.reduce((s, e) => s + e.wasm, 0) / ELEMENTS;
  const canvasPer = r.els.reduce((s, e) => s + e.canvas, 0) / ELEMENTS;
  const workerHeapPer = r.workers.reduce((s, h) => s + h.usedSize, 0) / Math.max(1, r.workers.length);
  const total = mainPer + wasmPer + canvasPer + workerHeapPer;
  console.log(`memory, ${ELEMENTS} elements (dpr 2): per element ${(total / MB).toFixed(1)} MB = main JS heap ${(mainPer / MB).toFixed(1)} + ` +
    `worker JS heap ${(workerHeapPer / MB).toFixed(1)} (${r.workers.length} workers) + wasm memory ${(wasmPer / MB).toFixed(1)} + canvases ${(canvasPer / MB).toFixed(1)} MB`);
  console.log(`  wasm per worker: ${r.els.map((e) => (e.wasm / MB).toFixed(1)).join(', ')} MB; canvases of one: ${r.els[0].canvases.join(' ')}`);
  const row = (task, bytes) => rows.push({ task, n: ELEMENTS, ours_mb: +(bytes / MB).toFixed(2), peer: null, peer_ms: null, ratio: null, target_mb: 15 });
  row('embed memory per element (8 on a page, dpr 2): total', total);
  row('embed memory per element: main-thread JS heap', mainPer);
  row('embed memory per element: worker JS heap', workerHeapPer);
  row('embed memory per element: worker wasm memory', wasmPer);
  row('embed memory per element: canvases', canvasPer);
  const [f, a] = [r.frames, r.alone];
  console.log(`frames, ${ELEMENTS} elements, one playing: median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms over ${f.frames} frames; the playing element drew ${f.snapshots} snapshots`);
  console.log(`frames, that element alone on a page: median ${a.median.toFixed(1)} ms, p95 ${a.p95.toFixed(1)} ms; ${a.snapshots} snapshots`);
  for (const [which, ms, alone] of [['median', f.median, a.median], ['p95', f.p95, a.p95]]) {
    rows.push({
      task: `embed: page frame interval (${which}), 8 elements, one playing`, n: ELEMENTS, ours_ms: +ms.toFixed(2),
      peer: 'the same element alone on a page', peer_ms: +alone.toFixed(2), ratio: +(ms / alone).toFixed(3),
      target_ms: which === 'median' ? 20 : null, snapshots: f.snapshots, snapshots_alone: a.snapshots,
    });
  }
} finally {
  await browser.close();
  server.stop();
}
mergeResults(rows);
