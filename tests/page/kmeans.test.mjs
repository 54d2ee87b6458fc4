// k-means on the real page (issue 16): offered on data of every task, Step places the centroids
// and then moves them (one Lloyd iteration per Step, drawn with their trails on the cluster
// surface), the metric table shows inertia, silhouette and the adjusted Rand index, the elbow and
// silhouette charts beside the plot, and the Chinese page words it all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, open, settle } from './support.mjs';

useBrowser();

const snapshot = (page) =>
  page.evaluate(() => {
    const s = document.querySelector('ml-playground').snapshot;
    return { centroids: s.scene.centroids ?? [], trails: s.scene.trails ?? [], report: s.report, surface: Boolean(s.surface) };
  });
/** Clicks Step and waits until the snapshot shows epoch `epoch`. */
async function step(page, epoch) {
  await page.locator('ml-playground #step').click();
  await page.waitForFunction((e) => document.querySelector('ml-playground').snapshot.report.epoch >= e, epoch);
  await settle(page);
}
const metricRows = (page) =>
  page.evaluate(() =>
    [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#metrics tr')].map((tr) =>
      [...tr.children].map((c) => {
        // the cell's text without its "?" (help.js)
        const copy = /** @type {Element} */ (c.cloneNode(true));
        for (const b of copy.querySelectorAll('button.help')) b.remove();
        return copy.textContent.trim();
      })));

const BLOBS = { kind: 'blobs', n: 300, noise: 0.3, seed: 3, classes: 3 };

test('Step places the centroids, then moves them with trails; the table shows inertia, silhouette and ARI', async () => {
  const page = await open({ data: BLOBS, model: { kind: 'kmeans', n_clusters: 3 } });
  assert.equal((await snapshot(page)).centroids.length, 0, 'untrained: no centroids');
  const label = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('step').textContent);
  assert.equal(label, 'Lloyd step');
  await step(page, 1);
  const first = await snapshot(page);
  assert.equal(first.centroids.length, 3);
  assert.ok(first.surface, 'the plane is coloured by cluster');
  await step(page, 2);
  const second = await snapshot(page);
  assert.notDeepEqual(second.centroids, first.centroids, 'a Lloyd step moves the centroids');
  assert.ok(second.trails.every((t) => t.length === 2), JSON.stringify(second.trails));
  assert.ok(second.report.train.inertia < first.report.train.inertia, 'the inertia falls');
  const rows = await metricRows(page);
  assert.deepEqual(rows.map((r) => r[0]), ['inertia', 'silhouette', 'adjusted Rand (vs classes)', 'points']);
  for (const r of rows.slice(0, 3)) assert.match(r[1], /^-?\d/, `a number: ${r}`);
  const note = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('rings-note').textContent);
  assert.match(note, /3 centroids/);
  // Play runs to convergence; the elbow and silhouette charts are beside the plot
  for (let e = 3; e < 60 && (await snapshot(page)).report.summary.code === 'kmeans.running'; e++) await step(page, e);
  const final = (await snapshot(page)).report;
  assert.ok(final.train.adjusted_rand > 0.9, `ARI ${final.train.adjusted_rand}`);
  const charts = await page.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#views canvas')].map((c) => c.dataset.kind));
  assert.ok(charts.includes('elbow') && charts.includes('silhouette'), charts.join());
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('k-means is offered on regression data too (no ARI there), and the Chinese page words it', async () => {
  const page = await open({ data: { kind: 'sine', n: 100, seed: 1 }, model: { kind: 'kmeans', n_clusters: 4 } });
  const offered = await page.evaluate(() => {
    const root = document.querySelector('ml-playground').shadowRoot;
    const s = [...root.querySelectorAll('#controls select')].find((el) => [...el.options].some((o) => o.textContent === 'Linear regression'));
    return s ? [...s.options].map((o) => o.textContent) : [];
  });
  assert.ok(offered.includes('k-means clustering'), offered.join());
  await step(page, 1);
  await step(page, 2);
  assert.ok((await snapshot(page)).surface, 'the plane coloured by the cluster of x');
  assert.deepEqual((await metricRows(page)).map((r) => r[0]), ['inertia', 'silhouette', 'points']);
  await page.close();

  const zh = await open({ data: BLOBS, model: { kind: 'kmeans', n_clusters: 3 } }, { lang: 'zh' });
  await step(zh, 1);
  await step(zh, 2);
  assert.deepEqual((await metricRows(zh)).map((r) => r[0]).slice(0, 3), ['惯性（簇内平方和）', '轮廓系数', '调整兰德指数（对照类别）']);
  const headings = await zh.evaluate(() => [...document.querySelector('ml-playground').shadowRoot.querySelectorAll('#views h2')].map((h) => h.textContent).join(' '));
  assert.match(headings, /肘部图/);
  assert.deepEqual(zh.errors, []);
  await zh.close();
});

test('k larger than the distinct points is refused with a message in both languages', async () => {
  const state = { data: { kind: 'blobs', n: 10, seed: 1, classes: 2 }, model: { kind: 'kmeans', n_clusters: 3 }, edits: [] };
  // ten points, but only two places: every point moved onto one of two spots
  state.edits = Array.from({ length: 10 }, (_, i) => ({ op: 'move', i, x: i % 2, y: 0 }));
  for (const [lang, pattern] of [['', /only 2 distinct/], ['zh', /只有 2 个不同的位置/]]) {
    const page = await open({ ...state, test_ratio: 0 }, { lang });
    await page.locator('ml-playground #step').click();
    await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.getElementById('message').hidden);
    const message = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('message').textContent);
    assert.match(message, pattern);
    await page.close();
  }
});
