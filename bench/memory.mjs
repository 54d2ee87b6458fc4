// Memory of embedded elements (issue 15, "polite embeds": eight elements on one page take less
// than ~15 MB each). A docs page with eight <ml-playground> elements one under another is scrolled
// through so each starts; then, per element: the main thread's JS heap (CDP Performance.getMetrics
// JSHeapUsedSize, against the same page without elements), its worker's JS heap (CDP
// Runtime.getHeapUsage in the worker), its worker's wasm memory (the worker's answer to
// { type: 'memory' }: memory.buffer.byteLength, which only grows) and its canvases' pixels
// (width × height × 4 bytes, those shown). Appends to bench/results.json.
//   node bench/memory.mjs           (BENCH_ONLY=memory npm run bench)
import { startServer, launch, newPage, waitReady } from '../tests/page/browser.mjs';
import { mergeResults } from './results.mjs';

const ELEMENTS = 8;
const DATASETS = ['moons', 'circle', 'xor', 'blobs', 'spiral', 'linear', 'sine', 'moons'];
const MB = 1024 * 1024;

/** The docs page: text between eight figures (or none, for the baseline). */
function pageHtml(n) {
  let body = '';
  for (let i = 0; i < n; i++) {
    body += `<p style="height:600px">Text ${i}</p><ml-playground id="e${i}" dataset="${DATASETS[i]}"></ml-playground>\n`;
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
  if (page.errors.length) console.error('console errors:', page.errors);
  await page.context().close();
  return { heap, els, workers };
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
} finally {
  await browser.close();
  server.stop();
}
mergeResults(rows);
