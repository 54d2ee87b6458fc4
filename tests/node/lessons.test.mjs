// Lessons and "?" explanations (issue 12): every lesson is well-formed in both languages, every
// step's state is one the wasm accepts and a Session runs, every question is not answered at the
// step's start and is answered by playing the step's solution (so each check is reachable where
// it claims to be); and every control and metric the page shows has an explanation in both
// languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load, models, checkState, Session } from '../../www/api.js';
import { CATALOGS, setLanguage, loadLanguage } from '../../www/i18n.js';
import { CONTROLS, labelControls } from '../../www/controls.js';
import { useDescriptor } from '../../www/models.js';
import { CLASSIFICATION_ROWS, REGRESSION_ROWS } from '../../www/readout.js';
import { helpKey } from '../../www/help.js';
import { LESSONS, overlay } from '../../www/lessons/index.js';
import { meets, compare, holds } from '../../www/lessons/check.js';

// the Chinese catalog is loaded when chosen (as the page does)
await loadLanguage('zh');

await load();
useDescriptor(models());

const CJK = /[\u4e00-\u9fff]/;

test('the checks compare numbers, states and actions; NaN and untrained models never meet them', () => {
  assert.equal(compare(0.95, '>', 0.9), true);
  assert.equal(compare(0.9, '>', 0.9), false);
  assert.equal(compare(0.9, '>=', 0.9), true);
  assert.equal(compare(NaN, '<', 1), false);
  assert.equal(compare(undefined, '<', 1), false);
  assert.equal(compare('adam', '==', 'adam'), true);
  assert.equal(compare({ kind: 'l2' }, '!=', { kind: 'none' }), true);
  const report = { trained: true, epoch: 12, test: { accuracy: 0.93 }, train: { accuracy: 0.97 } };
  const state = { model: { hidden_layers: [{ neurons: 4 }, { neurons: 4 }] } };
  const check = { all: [{ metric: 'test.accuracy', op: '>', value: 0.9 }, { state: 'model.hidden_layers.length', op: '<=', value: 2 }] };
  assert.equal(meets(check, { report, state }), true);
  assert.equal(meets(check, { report: { ...report, trained: false }, state }), false);
  assert.equal(meets(check, { report, state: { model: { hidden_layers: [{}, {}, {}] } } }), false);
  assert.equal(holds({ action: 'onnx' }, { report, state, actions: new Set(['onnx']) }), true);
  assert.equal(holds({ action: 'onnx' }, { report, state }), false);
  assert.equal(holds({ metric: 'epoch', op: '<=', value: 12 }, { report: { ...report, trained: false }, state }), true);
});

test('twelve lessons in the order of the primer, each complete in English and Chinese', () => {
  assert.deepEqual(LESSONS.map((l) => l.id), [
    'linear', 'logistic', 'tree', 'activations', 'optimizers', 'overfitting',
    'residual', 'features', 'imbalance', 'tuning', 'compression', 'service',
  ]);
  const ids = new Set();
  for (const lesson of LESSONS) {
    assert.ok(!ids.has(lesson.id), lesson.id);
    ids.add(lesson.id);
    for (const text of [lesson.title, lesson.summary]) {
      assert.ok(text.en.trim() && text.zh.trim(), lesson.id);
      assert.match(text.zh, CJK, `${lesson.id}: zh`);
    }
    assert.ok(lesson.steps.length >= 2, `${lesson.id}: steps`);
    assert.ok(lesson.steps.some((s) => s.check), `${lesson.id} asks something`);
    lesson.steps.forEach((step, i) => {
      const where = `${lesson.id} step ${i + 1}`;
      for (const text of [step.text, step.task].filter(Boolean)) {
        assert.ok(text.en.trim() && text.zh.trim(), where);
        assert.match(text.zh, CJK, `${where}: zh`);
        assert.doesNotMatch(text.en, CJK, `${where}: en has Chinese`);
        // formulas open and close: an even number of unescaped $
        for (const lang of ['en', 'zh']) assert.equal((text[lang].replace(/\\\$/g, '').match(/\$/g) ?? []).length % 2, 0, `${where} ${lang}: $`);
      }
      assert.equal(Boolean(step.task), Boolean(step.check), `${where}: a question has a check and words`);
      if (step.check) assert.ok(step.solution, `${where}: a check needs a solution to show it is reachable`);
    });
  }
});

/** Every key a lesson may highlight: the settings rows' keys (for any state) and the template's ids. */
function highlightTargets() {
  const keys = new Set(CONTROLS.flatMap((s) => s.items.map((c) => c.key)));
  const template = readFileSync(new URL('../../www/template.js', import.meta.url), 'utf8');
  for (const m of template.matchAll(/id: '([a-z0-9-]+)'/g)) keys.add(`#${m[1]}`);
  return keys;
}

/** A session at `state`, trained as the page would: fitted at once, or `epochs` steps. */
function run(state, epochs = 0) {
  const session = new Session(state);
  let report = session.report();
  if (report.fits_instantly) session.fitNow();
  else if (epochs) session.step(epochs);
  report = session.report();
  return { report, state: session.state() };
}

for (const lesson of LESSONS) {
  test(`lesson ${lesson.id}: every step's state loads, and every question is open at first and answered by its solution`, () => {
    const targets = highlightTargets();
    lesson.steps.forEach((step, i) => {
      const where = `${lesson.id} step ${i + 1}`;
      const state = checkState(step.state);
      assert.equal(state.data.kind, step.state.data.kind, where);
      if (step.highlight) assert.ok(targets.has(step.highlight), `${where}: nothing to highlight at ${step.highlight}`);
      const start = run(state);
      assert.equal(start.report.message?.kind === 'diverged', false, `${where}: diverged`);
      if (!step.check) return;
      // metrics named by the check exist in the report of this task
      for (const c of step.check.all) {
        if (!('metric' in c) || c.metric === 'epoch') continue;
        const [subset, name] = c.metric.split('.');
        assert.ok(name in start.report[subset], `${where}: the report has no ${c.metric}`);
      }
      assert.equal(meets(step.check, { ...start, actions: [] }), false, `${where}: the question is answered before the learner does anything`);
      const solution = step.solution;
      const solved = run(checkState(overlay(step.state, solution.state)), solution.epochs ?? 0);
      const numbers = step.check.all.filter((c) => 'metric' in c).map((c) => `${c.metric}=${JSON.stringify(c.metric.split('.').reduce((o, k) => o?.[k], solved.report))}`);
      assert.ok(meets(step.check, { ...solved, actions: solution.actions ?? [] }), `${where}: the solution does not answer the question (${numbers.join(', ')})`);
    });
  });
}

test('every control and metric the page shows has an explanation in both languages', () => {
  for (const lang of ['en', 'zh']) {
    setLanguage(lang);
    labelControls();
    const keys = [
      ...CONTROLS.flatMap((s) => s.items.map((c) => c.key)),
      ...[...CLASSIFICATION_ROWS, ...REGRESSION_ROWS].map((k) => `report.${k}`),
      'page.epoch', 'page.steps_per_frame', 'page.model', 'page.loss_heading', 'view.cv', 'tune.heading',
    ];
    assert.ok(keys.length > 60, `${keys.length} keys`);
    for (const key of keys) {
      const help = helpKey(key);
      assert.ok(help, `${lang}: no help.${key}`);
      const text = CATALOGS[lang][help];
      assert.ok(text && text.length > (lang === 'zh' ? 15 : 30), `${lang}: ${help} is too short to explain anything`);
      if (lang === 'zh') assert.match(text, CJK, `zh ${help}`);
    }
    // a family's own explanation of a shared setting is in both languages too
    for (const key of Object.keys(CATALOGS.en).filter((k) => k.startsWith('help.'))) assert.ok(CATALOGS.zh[key], `zh ${key}`);
  }
  setLanguage('en');
  labelControls();
});
