// The message catalog is complete in both languages, and the wasm's model descriptor has a label
// for every family, control and offered value (so a family added in Rust cannot show a raw key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, models, canvasWords as wasmCanvasWords, errorCodes, Model, Dataset } from '../../www/api.js';
import { readFileSync, readdirSync } from 'node:fs';
import { CATALOGS, t, setLanguage, pickLanguage, canvasWords, wordError, paramLabel, loadLanguage } from '../../www/i18n.js';
import { modelControls, familiesFor, optionLabel, valueKey, applies } from '../../www/model-controls.js';
import { PREDICT_CODES } from '../../www/predict-service.js';

// the Chinese catalog is loaded when chosen (as the page does)
await loadLanguage('zh');

test('both catalogs have the same keys and no empty message', () => {
  const en = Object.keys(CATALOGS.en).sort();
  const zh = Object.keys(CATALOGS.zh).sort();
  assert.deepEqual(zh.filter((k) => !en.includes(k)), [], 'in zh only');
  assert.deepEqual(en.filter((k) => !zh.includes(k)), [], 'in en only');
  for (const [lang, catalog] of Object.entries(CATALOGS)) {
    for (const [key, text] of Object.entries(catalog)) assert.ok(typeof text === 'string' && text.trim(), `${lang} ${key}`);
  }
  // placeholders agree between the languages
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  for (const key of en) assert.equal(names(CATALOGS.zh[key]), names(CATALOGS.en[key]), key);
});

test('t fills placeholders, falls back to English, and picks a language', () => {
  setLanguage('zh');
  assert.equal(t('model.max_depth'), '最大深度');
  assert.equal(t('option.train.schedule.step', { every: 100, gamma: 0.5 }), '阶梯衰减（每 100 步 ×0.5）');
  setLanguage('en');
  assert.equal(t('option.train.schedule.step', { every: 100, gamma: 0.5 }), 'Step: ×0.5 / 100');
  assert.equal(t('no.such.key'), 'no.such.key');
  assert.equal(pickLanguage(null, 'zh-CN', 'en'), 'zh');
  assert.equal(pickLanguage('fr-FR', 'en-GB'), 'en');
  assert.equal(pickLanguage('de'), 'en');
});

test('every family, control and offered value of the descriptor has a label in both languages', async () => {
  await load();
  const descriptor = models();
  const kinds = descriptor.families.map((f) => f.kind);
  assert.deepEqual(kinds, ['linear', 'logistic', 'tree', 'mlp', 'knn', 'naive_bayes', 'forest', 'boosting', 'ensemble', 'svm', 'kmeans']);
  for (const lang of ['en', 'zh']) {
    const catalog = CATALOGS[lang];
    for (const f of descriptor.families) {
      assert.ok(catalog[`family.${f.kind}`], `${lang}: family.${f.kind}`);
      for (const c of [...f.controls, ...descriptor.train_controls]) {
        assert.ok(catalog[`model.${c.path}`], `${lang}: model.${c.path}`);
        const offered = c.type === 'layers' ? c.activations : c.options ?? [];
        for (const v of offered) {
          if (typeof v === 'number') continue; // numbers label themselves
          const key = `option.${c.path}.${valueKey(v)}`;
          assert.ok(catalog[key] || (v === null && catalog['option.none']), `${lang}: ${key}`);
        }
      }
    }
  }
  assert.equal(optionLabel('train.optimizer', { kind: 'momentum', beta: 0.9, nesterov: true }), 'Nesterov momentum');
  assert.equal(optionLabel('train.learning_rate', 0.03), '0.03');
  assert.equal(optionLabel('max_depth', null), 'none');
});

test('the model panel from the descriptor: families per task and controls shown when they apply', async () => {
  await load();
  const descriptor = models();
  setLanguage('en');
  assert.deepEqual(familiesFor(descriptor, false).map(([k]) => k), ['linear', 'tree', 'mlp', 'knn', 'forest', 'boosting', 'ensemble', 'svm', 'kmeans']);
  assert.deepEqual(familiesFor(descriptor, true), [
    ['logistic', 'Logistic regression'], ['tree', 'Decision tree'], ['mlp', 'Neural network'],
    ['knn', 'k nearest neighbours'], ['naive_bayes', 'Naive Bayes'],
    ['forest', 'Random forest'], ['boosting', 'Gradient boosting'], ['ensemble', 'Network ensemble'], ['svm', 'Kernel SVM'],
    ['kmeans', 'k-means clustering'],
  ]);
  const classes = (s) => s.classes;
  const items = modelControls(descriptor, classes);
  const shown = (s) => items.filter((c) => c.show(s)).map((c) => c.key);
  assert.deepEqual(shown({ model: { kind: 'linear', solver: 'closed_form' }, classes: false }), ['model.solver', 'model.degree', 'model.ridge']);
  // ε-SVR: the tube's ε only on regression data
  assert.ok(shown({ model: { kind: 'svm', kernel: 'rbf' }, classes: false }).includes('model.epsilon'));
  assert.ok(!shown({ model: { kind: 'svm', kernel: 'rbf' }, classes: true }).includes('model.epsilon'));
  assert.deepEqual(shown({ model: { kind: 'linear', solver: 'gradient_descent' }, classes: false }), [
    'model.solver', 'model.degree', 'model.ridge',
    'model.train.optimizer', 'model.train.learning_rate', 'model.train.batch_size', 'model.train.schedule',
  ]);
  const logistic = shown({ model: { kind: 'logistic', solver: 'newton', penalty: { kind: 'none' } }, classes: true });
  assert.deepEqual(logistic, ['model.class_weight', 'model.solver', 'model.penalty', 'model.features']);
  assert.ok(shown({ model: { kind: 'logistic', solver: 'newton', penalty: { kind: 'l2' } }, classes: true }).includes('model.strength'));
  assert.ok(!shown({ model: { kind: 'tree' }, classes: false }).includes('model.criterion'));
  assert.ok(shown({ model: { kind: 'tree' }, classes: true }).includes('model.criterion'));
  assert.equal(applies({ all: [{ task: 'classification' }, { path: 'solver', equals: 'gradient' }] }, { solver: 'gradient' }, true), true);
  const layers = items.find((c) => c.key === 'model.hidden_layers');
  assert.equal(layers.maxLayers, descriptor.limits.max_hidden_layers);
  assert.equal(layers.maxNeurons, 32);
});

test('every word the wasm draws on a canvas is in both catalogs, the English one as Rust has it', async () => {
  await load();
  const pairs = wasmCanvasWords();
  assert.ok(pairs.length > 30);
  for (const [key, english] of pairs) {
    assert.equal(CATALOGS.en[`canvas.${key}`], english, `en canvas.${key}`);
    assert.ok(CATALOGS.zh[`canvas.${key}`], `zh canvas.${key}`);
  }
  const known = new Set(pairs.map(([k]) => `canvas.${k}`));
  for (const key of Object.keys(CATALOGS.en)) if (key.startsWith('canvas.')) assert.ok(known.has(key), `${key} is drawn by no one`);
  setLanguage('zh');
  assert.equal(canvasWords(pairs)['axis.epoch'], '轮次');
  setLanguage('en');
});

test('every error code of the wasm has a message in both catalogs, with the placeholders its values fill', async () => {
  await load();
  const codes = errorCodes();
  assert.ok(codes.length > 100, `${codes.length} codes`);
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  for (const [code, english] of codes) {
    for (const lang of ['en', 'zh']) {
      const text = CATALOGS[lang][`err.${code}`];
      assert.ok(text, `${lang}: err.${code}`);
      // The page's message uses only values the error carries (the English template names them all).
      for (const name of names(text)) assert.ok(names(english).includes(name), `${lang} err.${code}: {${name}} is not in "${english}"`);
    }
  }
  const known = new Set(codes.map(([c]) => `err.${c}`));
  // the worker's own, not the wasm's; and the prediction service's checks of a request (www/predict-service.js)
  const pageOwn = ['err.engine_crashed', 'err.engine_failed', ...PREDICT_CODES.map((c) => `err.${c}`)];
  for (const key of Object.keys(CATALOGS.en)) {
    if (/^err\.[a-z0-9_]+$/.test(key) && !key.startsWith('err.task.') && !key.startsWith('err.param.') && !key.startsWith('err.kind.') && !key.startsWith('err.doing.')) {
      assert.ok(known.has(key) || pageOwn.includes(key), `${key} is raised by no one`);
    }
  }
});

test('every parameter a range check names has a label in both languages', () => {
  // The names given to check_range / check_count across src/ (a new check with a new name fails here).
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.rs') ? [`${dir}/${e.name}`] : []));
  const names = new Set();
  for (const file of walk(new URL('../../src', import.meta.url).pathname)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/check_(?:range|count)\(\s*"([^"]+)"/g)) names.add(m[1]);
  }
  assert.ok(names.size > 50, `${names.size}`);
  for (const lang of ['en', 'zh']) {
    setLanguage(lang);
    for (const name of names) {
      const label = paramLabel(name);
      assert.ok(label, `${lang}: ${name}`);
      // Symbols stay as they are (Adam β1, xi); every other name reads in Chinese on the zh page.
      if (lang === 'zh' && !name.startsWith('Adam') && name !== 'xi') assert.match(label, /[\u4e00-\u9fff]/, `zh label of ${name}`);
    }
  }
  setLanguage('en');
});

test('an error from the wasm is worded by the page in the learner\'s language', async () => {
  await load();
  let err;
  try {
    new Model({ kind: 'tree', max_depth: 400 });
  } catch (e) {
    err = e;
  }
  assert.equal(err?.code, 'param_range');
  assert.equal(err.kind, 'invalid_parameter');
  assert.deepEqual(err.values, { param: 'max_depth', min: 1, max: err.values.max, got: 400 });
  assert.match(err.message, /max_depth must be between 1 and \d+ \(got 400\)/);
  setLanguage('en');
  assert.match(wordError(err), /^Max depth must be between 1 and \d+ \(got 400\)$/);
  setLanguage('zh');
  assert.match(wordError(err), /^最大深度必须在 1 到 \d+ 之间（当前为 400）$/);
  // A nested message (training stopped by a divergence) is worded inside its parent.
  assert.equal(wordError({ code: 'stopped', values: { cause: { code: 'diverged_loss', values: {} }, epoch: 12 } }),
    '损失变成了无穷大；请降低学习率；训练在第 12 轮停止，已保留上一个好的模型');
  // A model family named in a message takes its name in the language.
  assert.equal(wordError({ code: 'too_many_features', values: { model: 'boosting', max: 8 } }), '梯度提升最多接受 8 个特征');
  // An error with no code (from outside the wasm) keeps its own message.
  assert.equal(wordError(new Error('plain')), 'plain');
  // A bad data set, worded in Chinese.
  let bad;
  try {
    Dataset.fromArrays(new Float64Array([1, NaN]), 1, new Float64Array([1, 2]));
  } catch (e) {
    bad = e;
  }
  assert.equal(bad?.code, 'row_not_finite');
  assert.equal(wordError(bad), '第 2 行有缺失、NaN 或无穷大的值');
  setLanguage('en');
});
