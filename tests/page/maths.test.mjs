// The maths beside the model's summary (www/formula-view.js, www/summary.js, www/math.js): typeset
// by KaTeX from this site's own files (no request leaves the origin), filled with the model's own
// numbers (read back from the typeset TeX and compared with the summary Rust sent), following
// training step by step, with the optimiser's update at the current learning rate and a tree's
// decision path for a hovered point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, server, browser, settle, enc, newPage, waitReady } from './support.mjs';

useBrowser();


/** The TeX source of the typeset formula in `#id` (KaTeX keeps it in the MathML's annotations), once typeset. */
async function texOf(page, id, previous = null) {
  await page.waitForFunction(({ id, previous }) => {
    const el = document.querySelector('ml-playground').shadowRoot.getElementById(id);
    const tex = el && [...el.querySelectorAll('annotation[encoding="application/x-tex"]')].map((a) => a.textContent).join(' \\quad ');
    return tex && tex !== previous && !el.hidden;
  }, { id, previous }, { timeout: 10000 });
  // a formula of several clauses is typeset clause by clause (math.js): joined back as written
  return page.evaluate((id) => [...document.querySelector('ml-playground').shadowRoot.getElementById(id).querySelectorAll('annotation[encoding="application/x-tex"]')].map((a) => a.textContent).join(' \\quad '), id);
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
  // (as the code runs it: v ← βv + g, then a step along g + βv)
  assert.match(training, /w \\leftarrow w - \\eta\\, \\big\(\\nabla L\(w\) \+ 0\.900\\, v\\big\)/);
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

/** A number as texNumber writes it, read back (`-1.23\times10^{-4}` → -0.000123). */
const texValue = (s) => Number(s.replace(/\\times10\^\{(-?\d+)\}/, 'e$1'));

test('a network shows Adam\'s m̂ and v̂ of one named weight this step, and a hovered neuron\'s weighted sum at a point or at the mean (issue 12)', async () => {
  const page = await newPage(browser, { width: 1366, height: 900 });
  const state = {
    data: { kind: 'circle', n: 120, seed: 4 },
    model: { kind: 'mlp', hidden_layers: [{ neurons: 3, activation: 'tanh' }], train: { learning_rate: 0.05, optimizer: { kind: 'adam', beta1: 0.8, beta2: 0.99 } } },
  };
  await page.goto(`${server.url}#s=${enc(state)}`);
  await waitReady(page);
  for (let i = 0; i < 3; i++) await page.evaluate(() => document.querySelector('ml-playground').step());
  await settle(page);
  const update = await page.evaluate(() => document.querySelector('ml-playground').snapshot.report.summary.update);
  // the formula is typeset after the snapshot arrives: wait for this step's (it once read the step before's)
  await page.waitForFunction((t) => {
    const el = document.querySelector('ml-playground').shadowRoot.getElementById('training-tex');
    return el?.querySelector('annotation[encoding="application/x-tex"]')?.textContent?.includes(`^{${t}}}`);
  }, update?.t, { timeout: 10000 }).catch(() => {});
  const tex = await texOf(page, 'training-tex');
  assert.ok(update && update.index < 2 * 3, JSON.stringify(update));
  // the TeX names the weight and shows m̂ = m / (1 − β1ᵗ) and v̂ with this step's numbers
  const NUM = String.raw`(-?[\d.]+(?:\\times10\^\{-?\d+\})?)`;
  const m = new RegExp(String.raw`\\hat m = \\frac\{m\}\{1 - 0\.8\d*\^\{(\d+)\}\} = ` + NUM).exec(tex);
  const v = new RegExp(String.raw`\\hat v = \\frac\{v\}\{1 - 0\.99\d*\^\{(\d+)\}\} = ` + NUM).exec(tex);
  assert.ok(m && v, tex);
  assert.equal(Number(m[1]), update.t);
  // recomputed here from m, v and t (closed form), to the 3 digits shown
  const mHat = update.first / (1 - 0.8 ** update.t);
  const vHat = update.second / (1 - 0.99 ** update.t);
  assert.ok(Math.abs(texValue(m[2]) - mHat) <= 0.006 * Math.abs(mHat), `${m[2]} vs ${mHat}`);
  assert.ok(Math.abs(texValue(v[2]) - vHat) <= 0.006 * Math.abs(vHat), `${v[2]} vs ${vHat}`);
  const [i, j] = [update.index % 2, Math.floor(update.index / 2)];
  assert.ok(tex.includes(`W^{(1)}_{${j + 1},${i + 1}}`), tex);
  const after = update.before - 0.05 * mHat / (Math.sqrt(vHat) + 1e-8);
  assert.ok(Math.abs(after - update.after) < 1e-12, `${after} vs ${update.after}`);

  // A hovered neuron: at the data mean (the scaled inputs are 0, so z is its bias), then at a point.
  const hover = (point) => page.evaluate((point) => {
    const el = document.querySelector('ml-playground');
    el.parts.input.diagramHover = { kind: 'network', layer: 1, neuron: 1 };
    el.parts.input.plotHover = point;
    el.draw();
  }, point);
  await hover(null);
  const atMean = await texOf(page, 'path-tex');
  const net = await page.evaluate(() => document.querySelector('ml-playground').snapshot.views.network);
  assert.match(atMean, /data mean/);
  const result = (t) => texValue(/ = (\S+) \\end\{aligned\}/.exec(t)[1]);
  const b = net.biases[0][1];
  assert.ok(Math.abs(result(atMean) - Math.tanh(b)) <= 0.006 * Math.abs(Math.tanh(b)) + 1e-9, `${atMean} vs tanh(${b})`);
  await hover([0.4, -0.7]);
  const atPoint = await texOf(page, 'path-tex', atMean);
  assert.match(atPoint, /hovered point/);
  // recomputed from the diagram's weights and the network's input scaling
  const x = [0.4, -0.7].map((p, k) => (p - net.input_mean[k]) / net.input_scale[k]);
  const z = net.weights[0][0][1] * x[0] + net.weights[0][1][1] * x[1] + b;
  const zShown = texValue(/ = (\S+) \\\\ h\^\{\(1\)\}_\{2\}/.exec(atPoint)[1]);
  assert.ok(Math.abs(zShown - z) <= 0.006 * Math.abs(z) + 1e-9, `${zShown} vs ${z}`);
  assert.ok(Math.abs(result(atPoint) - Math.tanh(z)) <= 0.006 * Math.abs(Math.tanh(z)) + 1e-9, atPoint);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a formula of two clauses wraps on a phone instead of being cut off, and stays on one line on a laptop', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  const state = { data: { kind: 'xor', n: 200, seed: 2 }, model: { kind: 'svm', kernel: 'rbf' } };
  await page.goto(`${server.url}#s=${enc(state)}`);
  await waitReady(page);
  await page.evaluate(() => document.querySelector('ml-playground').step());
  await settle(page);
  const tex = await texOf(page, 'model-tex');
  // the same TeX as one formula: f(x) = Σ αᵢyᵢK(xᵢ, x) + b, K(u, v) = exp(−γ‖u − v‖²)
  assert.match(tex, /^f\(x\) = \\sum_i \\alpha_i y_i K\(x_i, x\) \+ b, \\quad K\(u, v\) = \\exp\(-/);
  const layout = () => page.evaluate(() => {
    const el = document.querySelector('ml-playground').shadowRoot.getElementById('model-tex');
    const clauses = [...el.querySelectorAll('.tex-clause')].map((c) => c.getBoundingClientRect());
    const box = el.getBoundingClientRect();
    return {
      clauses: clauses.length,
      inside: clauses.every((c) => c.left >= box.left - 0.5 && c.right <= box.right + 0.5),
      overflow: el.scrollWidth - el.clientWidth,
      // side by side: the second starts right of the first; stacked: it starts below the first
      placed: clauses.length !== 2 ? null : clauses[1].left >= clauses[0].right ? 'side by side' : clauses[1].top >= clauses[0].bottom - 0.5 ? 'stacked' : 'overlapping',
    };
  });
  const phone = await layout();
  assert.deepEqual(phone, { clauses: 2, inside: true, overflow: 0, placed: 'stacked' });
  await page.setViewportSize({ width: 1366, height: 768 });
  const laptop = await layout();
  assert.deepEqual(laptop, { clauses: 2, inside: true, overflow: 0, placed: 'side by side' });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
