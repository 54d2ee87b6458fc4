// Models' summaries worded by the page (www/summary.js) from what Rust sends as data: numbers as
// src/format.rs writes them, every family's code in both catalogs, the formula's text and TeX
// carrying the model's own numbers, and nothing English left in the Chinese wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, Dataset, Model, models } from '../../www/api.js';
import { setLanguage, has, wordError, loadLanguage } from '../../www/i18n.js';
import { number, texNumber, summaryText, formulaTex, trainingTex, treePathTex } from '../../www/summary.js';

// the Chinese catalog is loaded when chosen (as the page does)
await loadLanguage('zh');

await load();

test('numbers are written as src/format.rs writes them (its tests\' table)', () => {
  const table = [
    [1.98, '1.98'], [0.51, '0.510'], [2.0, '2.00'], [12.345, '12.3'], [150, '150'], [999.4, '999'], [0.001234, '0.00123'],
    [-1.23456, '−1.23'], [-4.5678e-5, '−4.57e-5'], [0.00012345, '1.23e-4'], [1234, '1.23e3'], [1.2345e150, '1.23e150'],
    [-Number.MAX_VALUE, '−1.80e308'], [2.2250738585072014e-308, '2.23e-308'], [5e-324, '4.94e-324'], [9.996, '10.0'],
    [999.6, '1.00e3'], [0.00099996, '0.00100'], [0, '0'], [-0, '0'], [NaN, 'NaN'], [Infinity, '∞'], [-Infinity, '−∞'],
  ];
  for (const [v, want] of table) assert.equal(number(v), want, String(v));
  assert.equal(texNumber(-4.5678e-5), '-4.57\\times10^{-5}');
});

/** A trained model of every family on both tasks, with its summary. */
function trained() {
  const out = [];
  for (const family of models().families) {
    for (const task of family.tasks) {
      const data = Dataset.generate(task === 'classification' ? { kind: 'moons', n: 80, seed: 3 } : { kind: 'sine', n: 80, seed: 3 });
      const model = new Model({ kind: family.kind });
      if (family.fits_instantly === false) model.step(data, 5);
      else model.fit(data);
      out.push({ kind: family.kind, task, model, summary: model.summary() });
    }
  }
  return out;
}

test('every family\'s summary has its wording in both languages, with every value filled', () => {
  const all = trained();
  assert.ok(all.length >= 15, `${all.length} models`);
  for (const { kind, task, summary, model } of all) {
    const untrained = new Model({ kind }).summary();
    for (const s of [summary, untrained]) {
      for (const lang of ['en', 'zh']) {
        setLanguage(lang);
        assert.ok(has(`summary.${s.code}`), `${kind}: summary.${s.code} is in the catalog`);
        const text = summaryText(s);
        assert.ok(text && !/\{\w+\}|summary\./.test(text), `${lang} ${kind} ${task}: ${text}`);
        if (lang === 'zh' && s === summary && /^(linear|logistic|tree|mlp)$/.test(kind)) {
          // the words are Chinese: no English word but maths names
          const words = (text.match(/[A-Za-z][A-Za-z_]+/g) ?? []).filter((w) => !['Softmax', 'ReLU', 'Tanh', 'Leaky', 'Sigmoid'].includes(w));
          assert.deepEqual(words, [], `${kind}: ${text}`);
        }
      }
    }
    setLanguage('en');
    assert.ok(model.isTrained, kind);
  }
});

test('the formula\'s text and TeX carry the model\'s own numbers', () => {
  setLanguage('en');
  const x = Float64Array.from({ length: 50 }, (_, i) => i / 5 - 5);
  const line = Dataset.fromArrays(x, 1, x.map((v) => 2 * v - 3));
  const model = new Model({ kind: 'linear' });
  model.fit(line);
  assert.equal(summaryText(model.summary()), 'y = 2.00·x − 3.00');
  assert.equal(formulaTex(model.summary()), '\\hat{y} = 2.00\\,x - 3.00');
  // a diverged weight prints short (issue 10 item 3)
  const diverged = { code: 'linear', values: {}, inputs: [], parameters: [], formula: { kind: 'linear', score: { terms: [{ coefficient: 1.2345e150, feature: 'x' }], intercept: -4.5678e-5 } } };
  assert.equal(summaryText(/** @type {any} */ (diverged)), 'y = 1.23e150·x − 4.57e-5');
  // degree 9: every term shows 3 significant digits, and the shown formula predicts as the model does
  const sine = Dataset.generate({ kind: 'sine', n: 200, noise: 0.2, seed: 1 });
  const poly = new Model({ kind: 'linear', degree: 9, ridge: 10 });
  poly.fit(sine);
  const text = summaryText(poly.summary());
  assert.ok(!/0\.000·/.test(text), text);
  let shown = 0;
  for (const term of text.replace(/^y =/, '').replaceAll('− ', '-').replaceAll('+ ', '').trim().split(/\s+/)) {
    const [c, feature] = term.split('·');
    const power = feature ? ('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(feature.at(-1)) + 1 || 2) - 1 : 0;
    shown += Number(c.replace('−', '-')) * (-6) ** power;
  }
  const predicted = poly.predict(new Float64Array([-6]), 1)[0];
  assert.ok(Math.abs(shown - predicted) < 0.05 * (1 + Math.abs(predicted)), `${shown} vs ${predicted}: ${text}`);
  // logistic: each term's coefficient is the parameter of that name
  const moons = Dataset.generate({ kind: 'moons', n: 200, seed: 2 });
  const logistic = new Model({ kind: 'logistic', features: { x1: true, x2: true, x1_x2: true } });
  logistic.fit(moons);
  const s = logistic.summary();
  const params = Object.fromEntries(s.parameters);
  assert.deepEqual(s.formula.scores[0].terms.map((t) => t.coefficient), ['x1', 'x2', 'x1·x2'].map((n) => params[n]));
  const tex = formulaTex(s);
  for (const t of s.formula.scores[0].terms) assert.ok(tex.includes(texNumber(Math.abs(t.coefficient))), `${t.feature} in ${tex}`);
  assert.match(tex, /\\sigma\(z\)/);
  assert.match(summaryText(s), /^P\(class 1\) = σ\(z\), z = .*·x₁·x₂/);
});

test('a tree\'s TeX has its root counts and impurity, and a point\'s path as inequalities', () => {
  setLanguage('en');
  const data = Dataset.generate({ kind: 'moons', n: 200, seed: 2 });
  const tree = new Model({ kind: 'tree', max_depth: 3 });
  tree.fit(data);
  const s = tree.summary();
  assert.equal(s.formula.kind, 'tree');
  const [a, b] = s.formula.root_counts;
  assert.equal(a + b, 200);
  // the Gini impurity at the root from its counts, independently
  assert.ok(Math.abs(s.formula.root_impurity - (1 - (a / 200) ** 2 - (b / 200) ** 2)) < 1e-12);
  const tex = formulaTex(s);
  assert.ok(tex.includes(`\\tfrac{${a}}{200}`) && tex.includes(texNumber(s.formula.root_impurity)), tex);
  // a path: two nodes deep, left then right
  const view = { diagram: { nodes: [
    { id: 0, parent: null, left: 1, right: 2, feature: 0, threshold: 0.5, is_leaf: false, value: [0.5, 0.5] },
    { id: 1, parent: 0, left: 3, right: 4, feature: 1, threshold: -0.25, is_leaf: false, value: [0.5, 0.5] },
    { id: 2, parent: 0, left: null, right: null, feature: null, threshold: null, is_leaf: true, value: [1, 0] },
    { id: 3, parent: 1, left: null, right: null, feature: null, threshold: null, is_leaf: true, value: [1, 0] },
    { id: 4, parent: 1, left: null, right: null, feature: null, threshold: null, is_leaf: true, value: [0.2, 0.8] },
  ], regression: false }, leaves: [], regions: [] };
  assert.equal(treePathTex({ ...s, inputs: ['x₁', 'x₂'] }, /** @type {any} */ (view), 4, ['class 0', 'class 1']),
    'x_{1} \\le 0.500 \\;\\to\\; x_{2} > -0.250 \\;\\to\\; \\text{leaf}: \\text{class 1}');
});

test('the training maths: loss with L1/L2 terms and each optimiser\'s update with the current rate', () => {
  const state = (train, extra = {}) => /** @type {any} */ ({ model: { kind: 'mlp', l1: 0.001, l2: 0.01, train: { learning_rate: 0.1, ...train }, ...extra } });
  const sgd = trainingTex(state({ optimizer: { kind: 'sgd' } }), 'classification', 2, 0.05, 0.3);
  assert.match(sgd, /w \\leftarrow w - \\eta\\, \\nabla L\(w\)/);
  assert.match(sgd, /\\eta = 0\.0500/); // the schedule's current rate, not the set one
  assert.match(sgd, /0\.0100\\lVert w \\rVert_2\^2/);
  assert.match(sgd, /0\.00100\\lVert w \\rVert_1/);
  assert.match(sgd, /_\{0\.300\}/);
  assert.match(trainingTex(state({ optimizer: { kind: 'momentum', beta: 0.8, nesterov: false } }), 'regression', 0, null, null), /v \\leftarrow 0\.800\\, v \+ \\nabla L\(w\), \\quad w \\leftarrow w - \\eta\\, v/); // as optim/ runs it
  assert.match(trainingTex(state({ optimizer: { kind: 'momentum', beta: 0.9, nesterov: true } }), 'regression', 0, null, null), /w \\leftarrow w - \\eta\\, \\big\(\\nabla L\(w\) \+ 0\.900\\, v\\big\)/);
  const adam = trainingTex(state({ optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } }), 'regression', 0, null, null);
  assert.match(adam, /\\hat m/);
  assert.match(adam, /\\eta = 0\.100/);
  assert.equal(trainingTex(/** @type {any} */ ({ model: { kind: 'tree' } }), 'classification', 2, null, null), '');
});

test('an unreadable setting is worded from codes: what was read, the field and the kinds of value (no serde English)', () => {
  const refusal = (fn) => { try { fn(); } catch (e) { return e; } assert.fail('not refused'); };
  const cases = [
    [() => new Model({ kind: 'tree', max_depth: 'deep' }), '模型的超参数无法读取：某个值是文本，这里需要整数', /could not be read: a value is text where integer is expected/],
    [() => new Model({ kind: 'tree', max_dpth: 3 }), '模型的超参数无法读取：没有字段“max_dpth”（是否想写“max_depth”？）', /there is no field `max_dpth` \(did you mean `max_depth`\?\)/],
    [() => Model.fromJSON('{"kind":"linear"}'), '模型文件无法读取：缺少字段“format”', /the model file could not be read: the field `format` is missing/],
  ];
  for (const [fn, zh, en] of cases) {
    const e = refusal(fn);
    assert.equal(e.code, 'unreadable');
    assert.match(e.message, en);
    setLanguage('zh');
    assert.equal(wordError(e), zh);
    setLanguage('en');
  }
});
