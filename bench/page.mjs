// Page benchmark: the real page in headless Chromium while a model trains (one epoch per frame):
// gradient descent on 5000 points, logistic regression with its decision surface on 1000 points,
// and an (8, 8) network with surface and neuron thumbnails on 1000 points. Frame intervals come
// from requestAnimationFrame timestamps; the round trip is request → worker step + scene + surface
// → snapshot; the draw is the main thread's own work per snapshot. Then a 100k-row CSV is imported
// through the column chooser and drawn, timed from the bytes to the picture. Appends to
// bench/results.json.
// Then the Tune panel's pool of workers: the same search with 1 worker, 2 and the page's own count,
// on tiny trials and on network trials.
//   node bench/page.mjs
import { startServer, launch, newPage, waitReady } from '../tests/page/browser.mjs';
import { mergeResults } from './results.mjs';

const seconds = process.argv.includes('--quick') ? 2 : 4;

const rows = [];

/** Runs the Tune panel's search of `state` with `workers` workers: the milliseconds from Start
 * to the last trial (the pool is made and given the data before the clock starts), and the sum
 * of the trials' times in the workers. */
async function measureTunePool(page, state, workers) {
  await page.goto(`${server.url}#s=${Buffer.from(JSON.stringify(state)).toString('base64url')}`);
  await waitReady(page);
  return page.evaluate(async (workers) => {
    const tune = document.querySelector('ml-playground').parts.tune;
    tune.workers = workers;
    const done = () => new Promise((resolve) => {
      const check = () => (tune.run ? setTimeout(check, 5) : resolve(performance.now()));
      check();
    });
    // a warm-up run makes the pool and loads the wasm in every worker
    tune.start();
    await done();
    const t0 = performance.now();
    await tune.start();
    const ms = (await done()) - t0;
    // the workers' own time in the trials: beside the wall time, what the pool could not overlap
    return { ms, work: tune.trials.reduce((a, r) => a + r.ms, 0) };
  }, workers);
}

/** The Tune panel's searches the pool is timed on: tiny trials (a tree on 3,000 points, about
 * 5 ms a trial, so the run's fixed costs weigh), and trials of a size a learner waits for (an
 * (8, 8) network, 50 epochs on 2,000 points, 3-fold: about 150 ms a trial). */
const TUNE_RUNS = [
  {
    task: 'page tune pool, WORKERS worker(s), 24 trials',
    n: 3000,
    state: {
      data: { kind: 'circle', n: 3000, seed: 1 },
      model: { kind: 'tree' },
      tune: { space: [{ path: 'max_depth', type: 'int', low: 1, high: 12 }, { path: 'min_samples_leaf', type: 'int', low: 1, high: 50 }], strategy: { kind: 'random' }, trials: 24, k: 5, metric: 'accuracy', seed: 1 },
    },
  },
  {
    task: 'page tune pool, WORKERS worker(s), 12 network trials (8, 8), 50 epochs, 3-fold',
    n: 2000,
    state: {
      data: { kind: 'moons', n: 2000, noise: 0.2, seed: 1 },
      model: { kind: 'mlp', hidden_layers: [{ neurons: 8, activation: 'tanh' }, { neurons: 8, activation: 'tanh' }], max_epochs: 50, patience: 1000, train: { batch_size: 32, learning_rate: 0.05 } },
      tune: { space: [{ path: 'train.learning_rate', type: 'log_uniform', low: 0.001, high: 0.3 }], strategy: { kind: 'random' }, trials: 12, k: 3, metric: 'accuracy', seed: 1 },
    },
  },
];
/** Each pool size is timed this often, the sizes taking turns; the fastest run counts (the
 * machine is shared: a slower run was slowed by something else). */
const TUNE_REPEATS = 5;

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
    // every reply from the worker goes through the worker client's receive
    const originalReceive = el.client.receive.bind(el.client);
    el.client.receive = (msg) => {
      if (sent.has(msg.id) && msg.type === 'snapshot') trips.push(performance.now() - sent.get(msg.id));
      originalReceive(msg);
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

/** Imports a `rows`-row CSV as a learner would paste it (the column chooser has it parsed in the CSV
 * worker, Import sends it to the training worker, which parses and imports it, then the first snapshot of
 * the new data is drawn) and returns the time from the bytes to the drawn picture, with its parts. */
async function measureImport(page, rows) {
  await page.goto(`${server.url}#s=${Buffer.from(JSON.stringify({ data: { kind: 'moons', n: 200 }, model: { kind: 'logistic' } })).toString('base64url')}`);
  await waitReady(page);
  return page.evaluate(async (rows) => {
    const el = document.querySelector('ml-playground');
    let s = 1;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const lines = ['sepal,petal,species'];
    for (let i = 0; i < rows; i++) {
      const c = rand() < 0.3 ? 1 : 0;
      lines.push(`${(c * 2 + rand() * 3).toFixed(4)},${(c + rand() * 2).toFixed(4)},${c ? 'virginica' : 'setosa'}`);
    }
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const drawn = new Promise((resolve) => {
      const originalReceive = el.client.receive.bind(el.client);
      let imported = null;
      el.client.receive = (msg) => {
        if (msg.type === 'imported') imported = performance.now();
        originalReceive(msg);
        if (imported && msg.type === 'snapshot') {
          el.client.receive = originalReceive;
          resolve({ imported, drawn: performance.now(), points: msg.report.n_points });
        }
      };
    });
    const t0 = performance.now();
    await el.parts.csv.chooseColumns(bytes, 'bench.csv');
    const chooser = performance.now();
    el.parts.csv.panel.querySelector('button[data-role="go"]').click();
    const r = await drawn;
    return { total: r.drawn - t0, chooser: chooser - t0, worker: r.imported - chooser, draw: r.drawn - r.imported, points: r.points, mb: bytes.length / 1e6 };
  }, rows);
}

const server = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, { width: 1280, height: 900, dpr: 2 });
  // BENCH_ONLY=tune: just the Tune panel's pool
  const only = process.env.BENCH_ONLY === 'tune';
  for (const { name, n, state } of only ? [] : SCENARIOS) {
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
  // The Tune panel's pool of workers: the same random search with 1 worker, 2, and the page's own
  // choice (cores − 1, at most 4), timed from Start to the last trial, the fastest of
  // TUNE_REPEATS runs each; the speed-up is against 1 worker.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const sizes = [...new Set([1, 2, Math.max(1, Math.min(4, cores - 1)), cores])];
  for (const run of TUNE_RUNS) {
    const times = Object.fromEntries(sizes.map((w) => [w, []]));
    for (let r = 0; r < TUNE_REPEATS; r++) for (const w of sizes) times[w].push(await measureTunePool(page, run.state, w));
    const best = Object.fromEntries(sizes.map((w) => [w, times[w].reduce((a, b) => (b.ms < a.ms ? b : a))]));
    const load = (await import('node:os')).loadavg()[0];
    for (const workers of sizes) {
      const speedup = best[1].ms / best[workers].ms;
      const task = run.task.replace('WORKERS', String(workers));
      console.log(`${task}: ${best[workers].ms.toFixed(0)} ms (trials ${best[workers].work.toFixed(0)} ms in the workers), fastest of ` +
        `${times[workers].map((t) => t.ms.toFixed(0)).join(', ')} (${speedup.toFixed(2)}× one worker; load average ${load.toFixed(1)} on ${cores} cores)`);
      rows.push({ task, n: run.n, ours_ms: +best[workers].ms.toFixed(1), peer: null, peer_ms: null, ratio: null, speedup: +speedup.toFixed(2),
        work_ms: +best[workers].work.toFixed(1), load: +load.toFixed(1) });
    }
  }
  const imports = [];
  for (let k = 0; k < (only ? 0 : 3); k++) imports.push(await measureImport(page, 100000));
  imports.sort((a, b) => a.total - b.total);
  const r = imports[1];
  if (r) {
  console.log(
    `page, import a 100k-row CSV (${r.mb.toFixed(1)} MB) and draw it: ${r.total.toFixed(0)} ms median of 3 ` +
      `(column chooser ${r.chooser.toFixed(0)} ms, worker parse + import ${r.worker.toFixed(0)} ms, scene + snapshot + draw ${r.draw.toFixed(0)} ms; ${r.points} points)`,
  );
  rows.push({ task: 'page import 100k-row CSV and draw it (median of 3)', n: 100000, ours_ms: +r.total.toFixed(1), peer: null, peer_ms: null, ratio: null, chooser_ms: +r.chooser.toFixed(1), worker_ms: +r.worker.toFixed(1), draw_ms: +r.draw.toFixed(1) });
  }
  if (page.errors.length) console.error('console errors:', page.errors);
} finally {
  await browser.close();
  server.stop();
}

mergeResults(rows);
