// Takes a screenshot of the playground as a learner sees it (docs/screenshot.png, used by the
// README): by default a neural network trained for four seconds on the two-spiral data.
//   node scripts/screenshot.mjs [out.png] [state-json] [train-for-ms]
import path from 'node:path';
import { startServer, launch, newPage, waitReady, root } from '../tests/page/browser.mjs';

const out = process.argv[2] || path.join(root, 'docs/screenshot.png');
const server = await startServer();
const browser = await launch();
try {
  const page = await newPage(browser, { width: 1280, height: Number(process.env.SHOT_HEIGHT || 1250), dpr: 2 });
  const state = process.argv[3] ? JSON.parse(process.argv[3]) : {
    data: { kind: 'spiral', n: 300, noise: 0.1, seed: 3 },
    model: {
      kind: 'mlp',
      hidden_layers: [{ neurons: 8, activation: 'tanh' }, { neurons: 8, activation: 'tanh' }],
      train: { learning_rate: 0.03, batch_size: 16, optimizer: { kind: 'adam' } },
    },
    steps_per_frame: 5,
  };
  const hash = Buffer.from(JSON.stringify(state)).toString('base64url');
  await page.goto(`${server.url}#s=${hash}`);
  await waitReady(page);
  // Optional: train for a while first (milliseconds in the third argument).
  const playMs = Number(process.argv[4] ?? (process.argv[3] ? 0 : 4000));
  if (playMs > 0) {
    await page.evaluate(() => document.querySelector('ml-playground').play());
    await page.waitForTimeout(playMs);
    await page.evaluate(() => document.querySelector('ml-playground').pause());
    await waitReady(page);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: out });
  if (page.errors.length) console.error('console errors:', page.errors);
  console.log(`[screenshot] ${out}`);
} finally {
  await browser.close();
  server.stop();
}
