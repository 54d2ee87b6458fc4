// The plot's spatial index finds the same nearest point as a scan of every point (issue 10
// item 23), for positions inside, at the edge of and far outside the points, with points left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PointIndex } from '../../www/point-index.js';

function scan(px, py, keep, x, y) {
  let best = null;
  for (let i = 0; i < px.length; i++) {
    if (!keep(i)) continue;
    const d = Math.hypot(px[i] - x, py[i] - y);
    if (!best || d < best.d) best = { i, d };
  }
  return best;
}

test('the nearest point is the one a full scan finds, wherever the pointer is', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const [n, spread] of [[1, 100], [50, 800], [5000, 1200], [20000, 30000]]) {
    const px = Float64Array.from({ length: n }, () => rand() * spread);
    const py = Float64Array.from({ length: n }, () => rand() * spread * 0.7);
    const keep = (i) => i % 7 !== 3;
    const index = new PointIndex(px, py, keep);
    for (let q = 0; q < 300; q++) {
      const x = (rand() * 1.6 - 0.3) * spread;
      const y = (rand() * 1.6 - 0.3) * spread;
      const want = scan(px, py, keep, x, y);
      const got = index.nearest(x, y);
      assert.equal(got?.d, want?.d, `n ${n} at (${x}, ${y})`);
    }
  }
  assert.equal(new PointIndex(new Float64Array([1]), new Float64Array([1]), () => false).nearest(0, 0), null);
  const nan = new PointIndex(Float64Array.from([NaN, 5]), Float64Array.from([0, 5]), () => true);
  assert.equal(nan.nearest(0, 0).i, 1);
});

test('100k points (a large import): the index agrees with a scan', () => {
  const n = 100000;
  const px = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1200 + (i % 13) / 13);
  const py = Float64Array.from({ length: n }, (_, i) => (i * 104729) % 900 + (i % 7) / 7);
  const keep = () => true;
  const index = new PointIndex(px, py, keep);
  for (let q = 0; q < 40; q++) {
    const [x, y] = [(q * 37.3) % 1250 - 20, (q * 53.1) % 950 - 20];
    assert.equal(index.nearest(x, y).d, scan(px, py, keep, x, y).d);
  }
});
