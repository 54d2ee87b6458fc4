// Page benchmark: the frame time of the real page in headless Chromium while gradient descent
// trains on 5000 points (one epoch per frame), measured from requestAnimationFrame timestamps and
// from the main thread's own drawing time per snapshot. Appends rows to bench/results.json.
//   node bench/page.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, newPage, waitReady } from '../tests/page/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = process.argv.includes('--quick') ? 2 : 4;

const server = await startServer();
const browser = await launch();
const rows = [];
try {
  const page = await newPage(browser, { width: 1280, height: 900, dpr: 2 });
  const state = {
    data: { kind: 'sine', n: 5000, noise: 0.2, seed: 1 },
    model: { kind: 'linear', degree: 5, solver: 'gradient_descent', train: { learning_rate: 0.05, batch_size: 0 } },
    steps_per_frame: 1,
  };
  await page.goto(`${server.url}#s=${Buffer.from(JSON.stringify(state)).toString('base64url')}`);
  await waitReady(page);
  const result = await page.evaluate(async (seconds) => {
    const el = document.querySelector('ml-playground');
    const draws = [];
    const originalDraw = el.draw.bind(el);
    el.draw = () => {
      const t0 = performance.now();
      originalDraw();
      draws.push(performance.now() - t0);
    };
    const frames = [];
    let last = null;
    let running = true;
    const tick = (t) => {
      if (last !== null) frames.push(t - last);
      last = t;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const epoch0 = el.snapshot.report.epoch;
    el.play();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    running = false;
    el.pause();
    const q = (a, p) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) * p)];
    return {
      frame_median: q(frames, 0.5),
      frame_p95: q(frames, 0.95),
      draw_median: q(draws, 0.5),
      draw_p95: q(draws, 0.95),
      epochs: el.snapshot.report.epoch - epoch0,
      frames: frames.length,
    };
  }, seconds);
  console.log(
    `page, GD on 5000 points: frame ${result.frame_median.toFixed(2)} ms median (p95 ${result.frame_p95.toFixed(2)}), ` +
      `main-thread draw ${result.draw_median.toFixed(2)} ms median (p95 ${result.draw_p95.toFixed(2)}), ` +
      `${result.epochs} epochs in ${result.frames} frames`,
  );
  rows.push({ task: 'page frame interval, GD 5000 points (median)', n: 5000, ours_ms: +result.frame_median.toFixed(3), peer: null, peer_ms: null, ratio: null });
  rows.push({ task: 'page frame interval, GD 5000 points (p95)', n: 5000, ours_ms: +result.frame_p95.toFixed(3), peer: null, peer_ms: null, ratio: null });
  rows.push({ task: 'page main-thread draw, 5000 points (median)', n: 5000, ours_ms: +result.draw_median.toFixed(3), peer: null, peer_ms: null, ratio: null });
  if (page.errors.length) console.error('console errors:', page.errors);
} finally {
  await browser.close();
  server.stop();
}

const out = path.join(here, 'results.json');
let previous = [];
try {
  previous = JSON.parse(readFileSync(out, 'utf8'));
} catch {}
const key = (r) => `${r.task}|${r.n}`;
const merged = new Map(previous.map((r) => [key(r), r]));
for (const r of rows) merged.set(key(r), r);
writeFileSync(out, `${JSON.stringify([...merged.values()], null, 1)}\n`);
console.log(`[bench] wrote ${out}`);
