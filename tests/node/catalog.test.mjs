// The message catalog is complete in both languages, and the wasm's model descriptor has a label
// for every family, control and offered value (so a family added in Rust cannot show a raw key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, models, canvasWords as wasmCanvasWords } from '../../www/api.js';
import { CATALOGS, t, setLanguage, pickLanguage, canvasWords } from '../../www/i18n.js';
import { modelControls, familiesFor, optionLabel, valueKey, applies } from '../../www/model-controls.js';

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
  assert.deepEqual(kinds, ['linear', 'logistic', 'tree', 'mlp', 'knn', 'naive_bayes', 'forest', 'boosting', 'ensemble', 'svm']);
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
  assert.deepEqual(familiesFor(descriptor, false).map(([k]) => k), ['linear', 'tree', 'mlp', 'knn', 'forest', 'boosting', 'ensemble']);
  assert.deepEqual(familiesFor(descriptor, true), [
    ['logistic', 'Logistic regression'], ['tree', 'Decision tree'], ['mlp', 'Neural network'],
    ['knn', 'k nearest neighbours'], ['naive_bayes', 'Naive Bayes'],
    ['forest', 'Random forest'], ['boosting', 'Gradient boosting'], ['ensemble', 'Network ensemble'], ['svm', 'Kernel SVM'],
  ]);
  const classes = (s) => s.classes;
  const items = modelControls(descriptor, classes);
  const shown = (s) => items.filter((c) => c.show(s)).map((c) => c.key);
  assert.deepEqual(shown({ model: { kind: 'linear', solver: 'closed_form' }, classes: false }), ['model.solver', 'model.degree', 'model.ridge']);
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
