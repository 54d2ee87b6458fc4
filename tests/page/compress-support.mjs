// Shared by the Compress panel's page tests (compress.test.mjs, compress-stages.test.mjs): training
// the page's model, and reading the compare view's table and maps.
import { settle } from './support.mjs';

/** Trains the page's model to `epochs` epochs, stages or trees (in the worker, which answers each
 * request within its time slice: asked again until they are done). */
export async function train(page, epochs) {
  for (;;) {
    const done = await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.epoch);
    if (done >= epochs) return;
    await page.evaluate((n) => document.querySelector('ml-playground').post({ type: 'step', epochs: n }), epochs - done);
    await settle(page);
  }
}

/** The compare table as { row label: [original, compressed] }. */
export const table = (page) => page.evaluate(() => {
  const t = document.querySelector('ml-playground').shadowRoot.getElementById('compress-table');
  return Object.fromEntries([...t.querySelectorAll('tbody tr')].map((r) => [r.cells[0].textContent, [r.cells[1].textContent, r.cells[2].textContent]]));
});

/** Waits for the compare view of a setup (its table filled and the status saying it was applied);
 * a refusal, or no answer within a minute, fails with what the panel and the element then showed. */
export async function compared(page) {
  const outcome = () => page.evaluate(() => {
    const el = document.querySelector('ml-playground');
    const root = el.shadowRoot;
    return { status: root.getElementById('compress-status').textContent, rows: root.querySelectorAll('#compress-table tbody tr').length,
      inflight: el.inflight, applying: el.parts.compress.applying, message: root.querySelector('.message:not([hidden])')?.textContent ?? null };
  });
  try {
    await page.waitForFunction(() => {
      const root = document.querySelector('ml-playground').shadowRoot;
      const status = root.getElementById('compress-status').textContent;
      return (root.querySelectorAll('#compress-table tbody tr').length > 0 && /applied after|训练 \d+ 轮后应用/.test(status)) || /^Not compressed|^未压缩/.test(status);
    }, null, { timeout: 60000 });
  } catch (err) {
    throw new Error(`no compare view after a minute: ${JSON.stringify(await outcome())} (${page.errors.join('; ')})`, { cause: err });
  }
  const shown = await outcome();
  if (!/applied after|训练 \d+ 轮后应用/.test(shown.status)) throw new Error(`the compression was refused: ${JSON.stringify(shown)}`);
}

/** Per compare map: how many pixels of its plot area are neither white nor transparent, and a hash of them all. */
export const maps = (page) => page.evaluate(() => {
  const el = document.querySelector('ml-playground');
  return [...el.shadowRoot.querySelectorAll('.compress-map')].map((c) => {
    const { plot } = el.wasm.layout(c.width, c.height, window.devicePixelRatio || 1);
    const data = c.getContext('2d').getImageData(plot[0], plot[1], plot[2] - plot[0], plot[3] - plot[1]).data;
    let coloured = 0;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) coloured += 1;
      hash = (hash * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) >>> 0;
    }
    return { coloured, total: data.length / 4, hash, red: countRed(data) };
    function countRed(d) {
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 140 && d[i + 2] < 140) n += 1;
      return n;
    }
  });
});

/** Waits until the page's link (its `#s=` state, which the page writes 250 ms after a change) has
 * `value` at `path` in the compression setup (`operation.kind`, `operation.student`). */
export const linkCompress = (page, path, value) => page.waitForFunction(([path, value]) => {
  const s = new URLSearchParams(location.hash.slice(1)).get('s');
  if (!s) return false;
  const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
  return path.split('.').reduce((o, k) => o?.[k], state.compress) === value;
}, [path, value]);
