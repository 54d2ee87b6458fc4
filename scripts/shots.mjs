// Screenshots of the page in given states, for looking at after a change (not part of the tests):
//   node scripts/shots.mjs out-dir [name=width×height:stateJSON ...]   (LANG=zh for the Chinese page;
//   STEPS=n to train n steps before the picture; OPEN=data,preparation to open those settings groups,
//   which a phone's page shows closed; TOUCH=1 for a touch screen's page)
//   node scripts/shots.mjs out-dir 'linear=1366x768:#lesson=linear'      (a hash of its own: a lesson's step)
// Without states: the default page, logistic on XOR, a tree, a network, at 1366×768 and 390×844.
import { mkdirSync } from 'node:fs';
import { startServer, launch, newPage, waitReady, enc } from '../tests/page/browser.mjs';

const [out = 'shots', ...specs] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const defaults = {
  default: {},
  logistic: { data: { kind: 'xor', n: 200, seed: 2 }, model: { kind: 'logistic', features: { x1: true, x2: true, x1_x2: true } } },
  tree: { data: { kind: 'circle', n: 200, seed: 2 }, model: { kind: 'tree', max_depth: 4 } },
  mlp: { data: { kind: 'spiral', n: 200, seed: 2 }, model: { kind: 'mlp', hidden_layers: [{ neurons: 8, activation: 'tanh' }, { neurons: 8, activation: 'tanh' }] } },
};
const jobs = specs.length
  ? specs.map((s) => {
      const [name, rest] = [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)];
      const [size, json] = [rest.slice(0, rest.indexOf(':')), rest.slice(rest.indexOf(':') + 1)];
      const [width, height] = size.split('x').map(Number);
      return json.startsWith('#') ? { name, width, height, hash: json.slice(1) } : { name, width, height, state: JSON.parse(json) };
    })
  : Object.entries(defaults).flatMap(([name, state]) => [
      { name: `${name}-laptop`, width: 1366, height: 768, state },
      { name: `${name}-phone`, width: 390, height: 844, state },
    ]);
const server = await startServer();
const browser = await launch();
try {
  for (const job of jobs) {
    const touch = process.env.TOUCH ? { hasTouch: true, isMobile: true } : {};
    const page = await newPage(browser, { width: job.width, height: job.height, ...touch });
    const lang = process.env.LANG === 'zh' ? 'lang=zh&' : '';
    await page.goto(`${server.url}#${lang}${job.hash ?? `s=${enc(job.state)}`}`);
    await waitReady(page);
    for (let i = 0; i < Number(process.env.STEPS ?? 0); i++) {
      await page.evaluate(() => document.querySelector('ml-playground').step());
      await page.waitForFunction(() => document.querySelector('ml-playground').inflight === 0);
    }
    if (process.env.OPEN) {
      await page.evaluate((sections) => {
        for (const d of document.querySelector('ml-playground').shadowRoot.querySelectorAll('details.group')) if (sections.includes(d.dataset.section)) d.open = true;
      }, process.env.OPEN.split(','));
    }
    // the formulas are typeset (KaTeX, after the first draw) and their fonts loaded
    await page.waitForFunction(() => document.querySelector('ml-playground').parts?.formula?.settled ?? true);
    await page.evaluate(() => document.fonts.ready);
    // a lesson's formulas are typeset (KaTeX loads on the first one)
    if (job.hash?.includes('lesson=')) await page.waitForFunction(() => !document.querySelector('ml-playground').shadowRoot.querySelector('.lesson-text .tex:not(.typeset)'), null, { timeout: 10000 }).catch(() => {});
    await page.screenshot({ path: `${out}/${job.name}.png`, fullPage: true });
    if (page.errors.length) console.error(job.name, page.errors);
    await page.context().close();
  }
} finally {
  await browser.close();
  server.stop();
}
