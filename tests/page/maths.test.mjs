// The maths beside the model's summary (www/formula-view.js, www/summary.js, www/math.js): typeset
// by KaTeX from this site's own files (no request leaves the origin), filled with the model's own
// numbers (read back from the typeset TeX and compared with the summary Rust sent), following
// training step by step, with the optimiser's update at the current learning rate and a tree's
// decision path for a hovered point.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, waitReady } from './browser.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const enc = (state) => Buffer.from(JSON.stringify(state)).toString('base64url');
const settle = (page) => page.waitForFunction(() => document.querySelector('ml-playground').inflight === 0);

/** The TeX source of the typeset formula in `#id` (KaTeX keeps it in the MathML's annotation), once typeset. */
async function texOf(page, id, previous = null) {
  await page.waitForFunction(({ id, previous }) => {
    const el = document.querySelector('ml-playground').shadowRoot.getElementById(id);
    const tex = el?.querySelector('annotation[encoding="application/x-tex"]')?.textContent;
    return tex && tex !== previous && !el.hidden;
  }, { id, previous }, { timeout: 10000 });
  return page.evaluate((id) => document.querySelector('ml-playground').shadowRoot.getElementById(id).querySelector('annotation').textContent, id);
}

/** The numbers of a score written as TeX (`0.700\,x - 3.00\times10^{-5}`), in order. */
function scoreNumbers(tex) {
  return tex
    .replace(/x_\{\d+\}|\^\{\d+\}|\\,|\\sin|\(|\)/g, ' ')
    .replace(/\\times10\^\{(-?\d+)\}/g, 'e$1')
    .replace(/([+-])\s+/g, '$1')
    .trim()
    .split(/\s+/)
    .filter((s) => /\d/.test(s))
    .map(Number);
}

/** `shown` is `actual` to the 3 significant digits the formula shows. */
const close = (shown, actual) => Math.abs(shown - actual) <= 5e-3 * Math.abs(actual) + 1e-300;

test('the formula is typeset by KaTeX from this site, with the model\'s numbers, and changes as it trains', async () => {
  const page = await newPage(browser);
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.url)) foreign.push(r.url()); });
  await page.goto(server.url);
  await waitReady(page);
  // Linear regression in closed form: ŷ = w·x + b, the numbers of the summary.
  const linear = await texOf(page, 'model-tex');
  const summary = await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.summary);
  assert.match(linear, /^\\hat\{y\} = /);
  const expected = [...summary.formula.score.terms.map((t) => t.coefficient), summary.formula.score.intercept];
  const shown = scoreNumbers(linear.replace(/^\\hat\{y\} = /, ''));
  assert.equal(shown.length, expected.length, linear);
  shown.forEach((v, i) => assert.ok(close(v, expected[i]), `${v} vs ${expected[i]} in ${linear}`));
  // KaTeX drew it with its own fonts, loaded from this origin
  const drawn = await page.evaluate(async () => {
    await document.fonts.ready;
    const root = document.querySelector('ml-playground').shadowRoot;
    const mathnormal = root.querySelector('#model-tex .katex-html .mathnormal');
    return { font: mathnormal && getComputedStyle(mathnormal).fontFamily, loaded: [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'KaTeX_Math' && f.status === 'loaded') };
  });
  assert.deepEqual(drawn, { font: 'KaTeX_Math', loaded: true });

  // Logistic regression by gradient descent: z's numbers follow the training, step by step.
  await page.evaluate((s) => document.querySelector('ml-playground').loadEncoded(s), enc({
    data: { kind: 'moons', n: 200, seed: 2 },
    model: { kind: 'logistic', solver: 'gradient', train: { learning_rate: 0.5, optimizer: { kind: 'momentum', beta: 0.9, nesterov: true } } },
  }));
  await settle(page);
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await settle(page);
  let before = await texOf(page, 'model-tex', linear);
  for (let i = 0; i < 2; i++) {
    const z = before.split('z = ').at(-1);
    const s = await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.summary);
    const want = [...s.formula.scores[0].terms.map((t) => t.coefficient), s.formula.scores[0].intercept];
    const got = scoreNumbers(z);
    assert.equal(got.length, want.length, before);
    got.forEach((v, j) => assert.ok(close(v, want[j]), `${v} vs ${want[j]} in ${before}`));
    await page.evaluate(() => document.querySelector('ml-playground').step());
    await settle(page);
    const next = await texOf(page, 'model-tex', before);
    assert.notEqual(next, before, 'the formula changed after a training step');
    before = next;
  }
  // The optimiser's update (Nesterov) at its learning rate, and the log-loss with its L2 term.
  const training = await texOf(page, 'training-tex');
  assert.match(training, /\\nabla L\(w \+ 0\.900\\, v\)/);
  assert.match(training, /\\eta = 0\.500/);
  assert.match(training, /\\log p_i/);
  assert.ok(await page.evaluate(() => document.querySelector('ml-playground').parts.formula.renders) >= 4);
  assert.deepEqual(foreign, [], 'nothing is fetched from another origin');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a learning-rate schedule shows its current rate; a tree shows a hovered point\'s path as inequalities', async () => {
  const page = await newPage(browser);
  await page.goto(`${server.url}#${'s=' + enc({
    data: { kind: 'circle', n: 200, seed: 2 },
    model: { kind: 'mlp', hidden_layers: [{ neurons: 4, activation: 'tanh' }], train: { learning_rate: 0.1, schedule: { kind: 'step', every: 1, gamma: 0.5 } } },
  })}`);
  await waitReady(page);
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await settle(page);
  const network = await texOf(page, 'model-tex');
  // each layer's equation, the weights' sizes under them
  assert.match(network, /h\^\{\(1\)\} &= \\tanh\(\\underset\{4\\times2\}\{W\^\{\(1\)\}\} x \+ b\^\{\(1\)\}\)/);
  const rate = await page.evaluate(() => { const s = document.querySelector('ml-playground').snapshot.views.schedule; return s.rates[s.current]; });
  assert.ok(rate < 0.1, `the schedule has lowered the rate: ${rate}`);
  const training = await texOf(page, 'training-tex');
  const eta = Number(/\\eta = ([\d.]+)/.exec(training)?.[1]);
  assert.ok(close(eta, rate), `η ${eta} vs the schedule's ${rate}`);

  await page.evaluate((s) => document.querySelector('ml-playground').loadEncoded(s), enc({ data: { kind: 'moons', n: 200, seed: 2 }, model: { kind: 'tree', max_depth: 3 } }));
  await settle(page);
  await page.evaluate(() => document.querySelector('ml-playground').post({ type: 'fit' }));
  await settle(page);
  const tree = await texOf(page, 'model-tex', network);
  assert.match(tree, /G_\{\\text\{root\}\} = 1 - \\sum_k p_k\^2/);
  // hover point 0: its path from the root to its leaf, each step the node's own threshold
  await page.evaluate(() => { const p = document.querySelector('ml-playground'); p.parts.input.hover = 0; p.draw(); });
  const path = await texOf(page, 'path-tex');
  const want = await page.evaluate(() => {
    const { tree } = document.querySelector('ml-playground').snapshot.views;
    const nodes = tree.diagram.nodes;
    const steps = [];
    for (let id = tree.leaves[0]; nodes[id].parent != null; id = nodes[id].parent) {
      const p = nodes[nodes[id].parent];
      steps.unshift([p.feature + 1, p.left === id ? '\\le' : '>', p.threshold]);
    }
    return steps;
  });
  const got = [...path.matchAll(/x_\{(\d)\} (\\le|>) (-?[\d.]+)/g)].map((m) => [Number(m[1]), m[2], Number(m[3])]);
  assert.equal(got.length, want.length, path);
  got.forEach(([f, op, v], i) => {
    assert.deepEqual([f, op], want[i].slice(0, 2), path);
    assert.ok(close(v, want[i][2]), `${v} vs ${want[i][2]}`);
  });
  assert.match(path, /\\text\{leaf\}: \\text\{class [01]\}$/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
