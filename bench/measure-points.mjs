// Measures the main thread's work per training frame with 100,000 points on the plot: imports a
// 100k-row CSV, plays a model for a few seconds, and reports the long tasks (PerformanceObserver)
// and the time of each draw (performance.now around the element's draw()).
// Usage: node bench/measure-points.mjs [model-json] [seconds]
import { startServer, launch, newPage } from '../tests/page/browser.mjs';

const model = JSON.parse(process.argv[2] ?? '{"kind":"logistic","solver":"gradient"}');
const seconds = Number(process.argv[3] ?? 6);
const server = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, { width: 1366, height: 900 });
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('ml-playground')?.snapshot);
  await page.evaluate(() => {
    const rows = Array.from({ length: 100000 }, (_, i) => `${((i * 7919) % 9973) / 997 - 5},${((i * 104729) % 9967) / 996 - 5},${i % 2 ? 'a' : 'b'}`);
    const files = new DataTransfer();
    files.items.add(new File([`u,v,label\n${rows.join('\n')}\n`], 'big.csv', { type: 'text/csv' }));
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
    const el = document.querySelector('ml-playground');
    window.draws = [];
    const draw = el.draw.bind(el);
    el.draw = () => {
      const t0 = performance.now();
      draw();
      window.draws.push(performance.now() - t0);
    };
    // time the parts of a snapshot's handling
    window.parts = {};
    const time = (obj, name, label = name) => {
      const f = obj[name].bind(obj);
      obj[name] = (...args) => {
        const t0 = performance.now();
        try {
          return f(...args);
        } finally {
          (window.parts[label] ??= []).push(Math.round(performance.now() - t0));
        }
      };
    };
    for (const name of ['onSnapshot', 'syncControls', 'updateReadout']) time(el, name);
    const wasm = { ...el.wasm };
    for (const name of ['renderScene', 'renderView', 'renderLoss']) time(wasm, name);
    el.wasm = wasm;
    const input = el.shadowRoot.querySelector('input[type=file]');
    window.importStart = performance.now();
    input.files = files.files;
    input.dispatchEvent(new Event('change'));
  });
  await page.locator('ml-playground button[data-role=go]').click({ timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('ml-playground').snapshot?.report.n_points === 100000, null, { timeout: 120000 });
  const imported = await page.evaluate(() => ({ ms: performance.now() - window.importStart, tasks: window.longTasks.map((t) => Math.round(t.duration)), draws: window.draws.map(Math.round), parts: window.parts }));
  console.log(JSON.stringify(imported.parts));
  console.log('import → drawn', Math.round(imported.ms), 'ms; long tasks', JSON.stringify(imported.tasks), 'draws', JSON.stringify(imported.draws));
  await page.evaluate((m) => {
    const el = document.querySelector('ml-playground');
    el.configure({ ...el.state, model: { ...m } });
  }, model);
  await page.waitForFunction(() => document.querySelector('ml-playground').inflight === 0, null, { timeout: 60000 });
  await page.evaluate(() => {
    window.longTasks = [];
    window.draws = [];
    window.parts = {};
    window.snapshots = 0;
    document.querySelector('ml-playground').addEventListener('snapshot', () => window.snapshots++);
    document.querySelector('ml-playground').play();
  });
  await page.waitForTimeout(seconds * 1000);
  const r = await page.evaluate(() => {
    document.querySelector('ml-playground').pause();
    return { tasks: window.longTasks.map((t) => Math.round(t.duration)), draws: window.draws.map(Math.round), snapshots: window.snapshots, epoch: document.querySelector('ml-playground').snapshot.report.epoch, parts: window.parts };
  });
  const sorted = [...r.draws].sort((a, b) => a - b);
  console.log(`playing ${JSON.stringify(model)} for ${seconds} s: ${r.snapshots} snapshots, epoch ${r.epoch}`);
  console.log(`  long tasks (${r.tasks.length}): max ${Math.max(0, ...r.tasks)} ms, ${JSON.stringify(r.tasks.slice(0, 40))}`);
  console.log(`  draw(): median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms over ${sorted.length}`);
  console.log('  parts', JSON.stringify(r.parts));
  console.log('errors', JSON.stringify(page.errors));
} finally {
  await browser.close();
  server.stop();
}
