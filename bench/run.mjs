// Benchmarks: the project's wasm (under Node) against scikit-learn (native, same data, same run),
// printed side by side as ratios and written to bench/results.json as
//   [{ task, n, ours_ms, peer, peer_ms, ratio }]
// (ratio = ours / peer: below 1 we are faster). Times are medians of repeated runs after a warm-up.
//   node bench/run.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, Dataset, Model } from '../www/api.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
await load();

/** Deterministic data: n points, d features in [-5, 5], y = Σ 0.7 x + 0.5 + noise. */
function makeData(n, d, seed = 1) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0.5;
    for (let j = 0; j < d; j++) {
      const v = rand() * 10 - 5;
      x[i * d + j] = v;
      t += 0.7 * v;
    }
    y[i] = t + (rand() - 0.5);
  }
  return { x, y, d };
}

function median(fn, repeats) {
  fn();
  const times = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mlp-bench-'));
function peer(task, data, repeats) {
  const file = path.join(tmp, `${task}.bin`);
  const buf = new Float64Array(data.x.length + data.y.length);
  buf.set(data.x);
  buf.set(data.y, data.x.length);
  writeFileSync(file, Buffer.from(buf.buffer));
  const out = execFileSync('python3', [path.join(here, 'peer.py'), task, file, String(data.d), String(repeats)], { encoding: 'utf8' });
  return JSON.parse(out).median_ms;
}

const rows = [];
function record(task, n, ours, peerName, peerMs) {
  const row = { task, n, ours_ms: +ours.toFixed(4), peer: peerName, peer_ms: peerMs == null ? null : +peerMs.toFixed(4), ratio: peerMs ? +(ours / peerMs).toFixed(3) : null };
  rows.push(row);
  const ratio = row.ratio == null ? '' : `  ratio ${row.ratio.toFixed(2)}×`;
  const p = peerMs == null ? '' : `  ${peerName} ${peerMs.toFixed(3)} ms`;
  console.log(`${task.padEnd(34)} n=${String(n).padStart(6)}  ours ${ours.toFixed(3)} ms${p}${ratio}`);
}

// Linear regression, closed form: includes building the Dataset from typed arrays, as a user would.
for (const n of quick ? [1000, 10000] : [1000, 10000, 100000]) {
  const data = makeData(n, 1);
  const repeats = n >= 100000 ? 15 : 40;
  const ours = median(() => {
    const ds = Dataset.fromArrays(data.x, 1, data.y);
    const m = new Model({ kind: 'linear' });
    m.fit(ds);
    m.free();
    ds.free();
  }, repeats);
  record('linear regression fit (closed form)', n, ours, 'sklearn LinearRegression', peer('linear_fit', data, repeats));
}

// Size of what the page downloads.
const wasm = readFileSync(path.join(here, '../www/pkg/ml_playground_bg.wasm'));
const gz = gzipSync(wasm, { level: 9 }).length;
console.log(`wasm size: ${(wasm.length / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped`);
rows.push({ task: 'wasm size raw (KiB)', n: 0, ours_ms: null, ours_kib: +(wasm.length / 1024).toFixed(1), peer: null, peer_ms: null, ratio: null });
rows.push({ task: 'wasm size gzipped (KiB)', n: 0, ours_ms: null, ours_kib: +(gz / 1024).toFixed(1), peer: null, peer_ms: null, ratio: null });

export { rows };
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
