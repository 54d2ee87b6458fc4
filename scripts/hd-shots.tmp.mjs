import { mkdirSync } from 'node:fs';
import { startServer, launch, newPage, waitReady } from '../tests/page/browser.mjs';
const out = process.argv[2];
mkdirSync(out, { recursive: true });
const NET = { data: { kind: 'moons', n: 300, noise: 0.2, seed: 3 }, model: { kind: 'mlp', hidden_layers: [{ neurons: 16, activation: 'tanh' }, { neurons: 16, activation: 'tanh' }], frozen: [0] }, seed: 1 };
const jobs = [
  { name: 'prune', state: { ...NET, model: { ...NET.model, frozen: undefined }, compress: { operation: { kind: 'prune', sparsity: 0.8, steps: 5, fine_tune_epochs: 5 }, epochs: 80 } }, curve: 'sparsity' },
  { name: 'quant', state: { ...NET, compress: { operation: { kind: 'quantize', bits: 3 }, epochs: 80 } }, curve: 'bits', hover: true },
  { name: 'distill', state: { ...NET, compress: { operation: { kind: 'distill', neurons: 4, unlabeled: 1500 }, epochs: 80 } }, curve: 'temperature' },
];
const more = [
  { name: 'tree', state: { data: { kind: 'circle', n: 300, noise: 0.3, seed: 2 }, model: { kind: 'tree' }, compress: { operation: { kind: 'tree_prune', alpha: 0.01 }, epochs: 100 } }, curve: 'bits' },
  { name: 'sine', state: { data: { kind: 'sine', n: 200, seed: 2 }, model: { kind: 'mlp', hidden_layers: [{ neurons: 16, activation: 'tanh' }] }, compress: { operation: { kind: 'prune', sparsity: 0.5 }, epochs: 100 } }, curve: 'sparsity' },
];
if (process.argv[3] === 'more') jobs.splice(0, jobs.length, ...more);
const sizes = [['laptop', 1366, 768], ['phone', 390, 844]];
const server = await startServer();
const browser = await launch();
try {
  for (const job of jobs) for (const [sname, width, height] of sizes) {
    const page = await newPage(browser, { width, height });
    await page.goto(`${server.url}#${process.env.LANG === 'zh' ? 'lang=zh&' : ''}s=${Buffer.from(JSON.stringify(job.state)).toString('base64url')}`);
    await waitReady(page);
    await page.waitForFunction(() => document.querySelector('ml-playground').shadowRoot.querySelectorAll('#compress-table tbody tr').length > 0, null, { timeout: 60000 });
    await page.locator('ml-playground #compress-curve').selectOption(job.curve);
    await page.locator('ml-playground #compress-curve-run').click();
    await page.waitForFunction(() => { const r = document.querySelector('ml-playground').shadowRoot; return !r.getElementById('compress-curve-chart').hidden || /Not compressed/.test(r.getElementById('compress-status').textContent); }, null, { timeout: 120000 });
    if (job.hover) {
      const box = await page.locator('ml-playground #compress-network').boundingBox();
      const hint = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('compress-hover').textContent);
      found: for (let fx = 0.55; fx < 0.8; fx += 0.01) for (let fy = 0.3; fy < 0.9; fy += 0.03) {
        await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
        const now = await page.evaluate(() => document.querySelector('ml-playground').shadowRoot.getElementById('compress-hover').textContent);
        if (now !== hint) break found;
      }
    }
    await page.locator('ml-playground #compress').screenshot({ path: `${out}/${job.name}-${sname}-panel.png` });
    await page.screenshot({ path: `${out}/${job.name}-${sname}-full.png`, fullPage: true });
    if (page.errors.length) console.error(job.name, page.errors);
    await page.context().close();
  }
} finally {
  await browser.close();
  server.stop();
}
