// ε-SVR on the real page (issue 16): the svm family trains on regression data, the plot shows the
// curve with its ε-tube (two dashed curves f ± ε) and rings the support vectors, the note under
// the plot says what they are, and nothing reaches the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, open } from './support.mjs';

useBrowser();


test('ε-SVR draws its curve, the dashed ε-tube and ringed support vectors', async () => {
  const epsilon = 0.5; // one of the control's values
  const page = await open({
    data: { kind: 'sine', n: 80, noise: 0.3, seed: 9 },
    model: { kind: 'svm', kernel: 'rbf', c: 10, gamma: 1, epsilon },
    view: { band: false, residuals: false },
  });
  await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('play').click());
  await page.waitForFunction(() => document.querySelector('ml-playground').snapshot?.report?.can_train === false, null, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('ml-playground').inflight === 0);
  const scene = await page.evaluate(() => {
    const s = document.querySelector('ml-playground').snapshot;
    return { tube: s.scene.tube, rings: s.scene.rings, curve: s.scene.curve, n: s.scene.xs.length, code: s.report.summary.code };
  });
  assert.equal(scene.tube, epsilon);
  assert.ok(scene.rings.length > 5 && scene.rings.length < scene.n, `${scene.rings.length} support vectors of ${scene.n}`);
  // every ringed point is on or outside the tube (f from the drawn curve, linearly interpolated)
  const f = (x) => {
    const c = scene.curve;
    let i = c.findIndex((p) => p[0] >= x);
    if (i <= 0) i = 1;
    const [[x0, y0], [x1, y1]] = [c[i - 1], c[i]];
    return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  };
  for (const [x, y] of scene.rings) assert.ok(Math.abs(y - f(x)) > epsilon - 0.02, `ring at (${x}, ${y}) inside the tube`);
  // pixels: dark dashes along f ± ε in many columns, none half-way between the curve and an edge
  const dark = await page.evaluate(
    ({ epsilon, samples }) => {
      const el = document.querySelector('ml-playground');
      const ctx = el.shadowRoot.getElementById('plot').getContext('2d');
      const isDark = (px, py) => {
        const d = ctx.getImageData(Math.round(px), Math.round(py) - 1, 1, 3).data;
        // near-black grey (the curve's colour), not the points' blue or orange
        for (let i = 0; i < d.length; i += 4) {
          const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
          if (r + g + b < 3 * 110 && Math.max(r, g, b) - Math.min(r, g, b) < 30) return true;
        }
        return false;
      };
      const count = { edge: 0, middle: 0 };
      for (const [x, y] of samples) {
        const [px, up] = el.toPixel(x, y + epsilon);
        const [, down] = el.toPixel(x, y - epsilon);
        const [, mid] = el.toPixel(x, y + epsilon / 2);
        count.edge += Number(isDark(px, up)) + Number(isDark(px, down));
        count.middle += Number(isDark(px, mid));
      }
      return count;
    },
    { epsilon, samples: scene.curve.filter((_, i) => i % 7 === 3).slice(0, 120) },
  );
  const samples = Math.min(120, scene.curve.filter((_, i) => i % 7 === 3).length);
  assert.ok(dark.edge > 0.5 * samples, `dark at the tube's edges in ${dark.edge} of ${2 * samples} places`);
  assert.ok(dark.middle < 0.15 * samples, `dark half-way to an edge in ${dark.middle} of ${samples} places`);
  const note = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('rings-note').textContent);
  assert.match(note, new RegExp(`ε-tube.*the ${scene.rings.length} support vectors`));
  assert.equal(scene.code, 'svr.rbf');
  assert.deepEqual(page.errors, []);
  await page.close();
});
