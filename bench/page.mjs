// Page benchmark: the real page in headless Chromium while a model trains (one epoch per frame):
// gradient descent on 5000 points, logistic regression with its decision surface on 1000 points,
// and an (8, 8) network with surface and neuron thumbnails on 1000 points. Frame intervals come
// from requestAnimationFrame timestamps; the round trip is request → worker step + scene + surface
// → snapshot; the draw is the main thread's own work per snapshot. Appends to bench/results.json.
//   node bench/page.mjs
import { startServer, launch, newPage, waitReady } from '../tests/page/browser.mjs';
import { mergeResults } from './results.mjs';

const seconds = process.argv.includes('--quick') ? 2 : 4;

const rows = [];

/** Plays `state` for `seconds` and measures frames (rAF intervals), the main thread's drawing
 * per snapshot, and the round trip of a training request (worker step + scene + surface). */
async function measure(page, state, seconds) {
  await page.goto(`${server.url}#s=${Buffer.from(JSON.stringify(state)).toString('base64url')}`);
  await waitReady(page);
  return page.evaluate(async (seconds) => {
    const el = document.querySelector('ml-playground');
    const draws = [];
    const trips = [];
    const sent = new Map();
    const originalDraw = el.draw.bind(el);
    el.draw = () => {
      const t0 = performance.now();
      originalDraw();
      draws.push(performance.now() - t0);
    };
    const originalPost = el.post.bind(el);
    el.post = (msg) => {
      const id = originalPost(msg);
      sent.set(id, performance.now());
      return id;
    };
    const originalOnMessage = el.onWorkerMessage.bind(el);
    el.onWorkerMessage = (msg) => {
      if (sent.has(msg.id) && msg.type === 'snapshot') trips.push(performance.now() - sent.get(msg.id));
      originalOnMessage(msg);
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
    const q = (a, p) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) * p)] ?? NaN;
    return {
      frame_median: q(frames, 0.5),
      frame_p95: q(frames, 0.95),
      draw_median: q(draws, 0.5),
      trip_median: q(trips, 0.5),
      epochs: el.snapshot.report.epoch - epoch0,
      frames: frames.length,
    };
  }, seconds);
}

const SCENARIOS = [
  {
    name: 'GD linear, 5000 points',
    n: 5000,
    state: {
      data: { kind: 'sine', n: 5000, noise: 0.2, seed: 1 },
      model: { kind: 'linear', degree: 5, solver: 'gradient_descent', train: { learning_rate: 0.05, batch_size: 0 } },
      steps_per_frame: 1,
    },
  },
  {
    name: 'logistic GD + surface, 1000 points',
    n: 1000,
    state: {
      data: { kind: 'moons', n: 1000, noise: 0.2, seed: 1 },
      model: { kind: 'logistic', solver: 'gradient', features: { x1: true, x2: true, x1_x2: true }, train: { learning_rate: 0.3, batch_size: 0 } },
      steps_per_frame: 1,
    },
  },
  {
    name: 'MLP (8,8) epoch + surface + thumbnails, 1000 points',
    n: 1000,
    state: {
      data: { kind: 'spiral', n: 1000, noise: 0.1, seed: 1 },
      model: { kind: 'mlp', hidden_layers: [{ neurons: 8, activation: 'tanh' }, { neurons: 8, activation: 'tanh' }], train: { learning_rate: 0.01, batch_size: 32, optimizer: { kind: 'adam' } } },
      steps_per_frame: 1,
    },
  },
];

const server = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, { width: 1280, height: 900, dpr: 2 });
  for (const { name, n, state } of SCENARIOS) {
    const r = await measure(page, state, seconds);
    console.log(
      `page, ${name}: frame ${r.frame_median.toFixed(2)} ms median (p95 ${r.frame_p95.toFixed(2)}), ` +
        `train + scene round trip ${r.trip_median.toFixed(2)} ms, main-thread draw ${r.draw_median.toFixed(2)} ms, ` +
        `${r.epochs} epochs in ${r.frames} frames`,
    );
    rows.push({ task: `page frame interval, ${name} (median)`, n, ours_ms: +r.frame_median.toFixed(3), peer: null, peer_ms: null, ratio: null });
    rows.push({ task: `page frame interval, ${name} (p95)`, n, ours_ms: +r.frame_p95.toFixed(3), peer: null, peer_ms: null, ratio: null });
    rows.push({ task: `page worker round trip, ${name} (median)`, n, ours_ms: +r.trip_median.toFixed(3), peer: null, peer_ms: null, ratio: null });
    rows.push({ task: `page main-thread draw, ${name} (median)`, n, ours_ms: +r.draw_median.toFixed(3), peer: null, peer_ms: null, ratio: null });
  }
  if (page.errors.length) console.error('console errors:', page.errors);
} finally {
  await browser.close();
  server.stop();
}

mergeResults(rows);
