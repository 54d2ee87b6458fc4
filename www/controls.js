// @ts-check
// The control panel as data: each control names the state path it edits, how to show it, and
// when it is visible. Adding a model's settings is adding entries here; the model kinds and the
// limits come from models.js.
import { MODELS } from './models.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Scene} Scene */
/** @typedef {import('./types.js').Report} Report */
/** @typedef {import('./types.js').Views} Views */
/** @typedef {[value: unknown, label: string]} Option */
/**
 * What every control has: the state path it edits (or a name, for buttons), its label, an
 * optional tooltip and when it is shown.
 * @typedef {{ key: string, label: string, title?: string, show?: (s: State, scene?: Scene, report?: Report) => boolean, fromDescriptor?: boolean }} Base
 */
/**
 * How a slider maps to a setting: the slider's own range and step, and the conversions. A linear
 * slider is in the setting's own units (one arrow key = one step); a logarithmic one steps through
 * round values (1, 1.5, 2, 3, 5, 7 per decade).
 * @typedef {{ slider: { min: number, max: number, step: number }, fromSlider: (v: number) => number, toSlider: (x: number) => number }} Scale
 */
/**
 * @typedef {Base & { type: 'select', options?: Option[] | ((s: State, scene?: Scene, views?: Views) => Option[]), groups?: [string, Option[]][] }} SelectControl
 * @typedef {Base & Scale & { type: 'range', format?: (v: number) => string }} RangeControl
 * @typedef {Base & { type: 'number', min: number, max: number, step?: number }} NumberControl
 * @typedef {Base & { type: 'button', apply: (s: State) => State }} ButtonControl
 * @typedef {Base & { type: 'toggles', options: [string, string][] }} TogglesControl
 * @typedef {Base & { type: 'layers', activations?: [string, string][] }} LayersControl
 * @typedef {Base & { type: 'checkbox' | 'feature-toggles' | 'csv' }} PlainControl
 * @typedef {SelectControl | RangeControl | NumberControl | ButtonControl | TogglesControl | LayersControl | PlainControl} Control
 */

/** A slider over [min, max] in steps of `step`, in the setting's units. @returns {Scale} */
export const linear = (/** @type {number} */ min, /** @type {number} */ max, /** @type {number} */ step) => {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return {
    slider: { min, max, step },
    fromSlider: (v) => Number((Math.round(v / step) * step).toFixed(decimals)),
    toSlider: (x) => x,
  };
};
/** A slider over [min, max] through round values on a log scale. @returns {Scale} */
const logarithmic = (/** @type {number} */ min, /** @type {number} */ max) => {
  /** @type {number[]} */
  const ladder = [];
  for (let decade = 10 ** Math.floor(Math.log10(min)); decade <= max; decade *= 10) {
    for (const m of [1, 1.5, 2, 3, 5, 7]) if (m * decade >= min && m * decade <= max) ladder.push(m * decade);
  }
  if (ladder.at(-1) !== max) ladder.push(max);
  return {
    slider: { min: 0, max: ladder.length - 1, step: 1 },
    fromSlider: (v) => ladder[Math.max(0, Math.min(ladder.length - 1, Math.round(v)))],
    // The nearest round value on a log scale (the setting itself may lie between two).
    toSlider: (x) => ladder.reduce((best, v, i) => (Math.abs(Math.log(v / x)) < Math.abs(Math.log(ladder[best] / x)) ? i : best), 0),
  };
};
const pct = (/** @type {number} */ v) => `${Math.round(v * 100)} %`;

export const REGRESSION_SETS = ['linear', 'sine', 'polynomial', 'outliers'];
/** For imported data the task is the data's own (known from the last snapshot). */
export const isClassification = (/** @type {State} */ s, /** @type {Scene | undefined} */ scene = undefined) =>
  s.data.kind === 'custom' ? (scene?.n_classes ?? 0) >= 2 : !REGRESSION_SETS.includes(s.data.kind);
const kind = (/** @type {string[]} */ ...kinds) => (/** @type {State} */ s) => kinds.includes(s.model.kind);



/** @type {{ section: string, items: Control[] }[]} */
export const CONTROLS = [
  {
    section: 'Data',
    items: [
      {
        key: 'data.kind',
        label: 'Dataset',
        type: 'select',
        groups: [
          ['Regression', [['linear', 'Line'], ['sine', 'Sine wave'], ['polynomial', 'Cubic'], ['outliers', 'Line with outliers']]],
          ['Classification', [['circle', 'Circle'], ['xor', 'XOR'], ['blobs', 'Gaussian blobs'], ['spiral', 'Spiral'],
            ['moons', 'Two moons'], ['separable', 'Linearly separable'], ['imbalanced', 'Imbalanced']]],
          ['Your data', [['custom', 'Imported CSV']]],
        ],
      },
      { key: 'csv', label: 'Your data', type: 'csv' },
      {
        key: 'data.impute',
        label: 'Missing',
        type: 'select',
        options: [[{ kind: 'drop_rows' }, 'drop the rows'], [{ kind: 'mean' }, 'fill: mean'], [{ kind: 'median' }, 'fill: median'],
          [{ kind: 'most_frequent' }, 'fill: most frequent'], [{ kind: 'knn', neighbours: 5 }, 'fill: 5 nearest']],
        show: (s) => s.data.kind === 'custom' || (s.data.missing ?? 0) > 0,
      },
      {
        key: 'data.resample',
        label: 'Rebalance',
        type: 'select',
        options: [[{ kind: 'none' }, 'no'], [{ kind: 'under' }, 'under-sample'], [{ kind: 'over' }, 'over-sample'], [{ kind: 'smote', neighbours: 5 }, 'SMOTE (k = 5)']],
        show: (s, scene) => isClassification(s, scene),
      },
      { key: 'data.classes', label: 'Classes', type: 'range', ...linear(2, 5, 1), show: (s) => ['blobs', 'spiral'].includes(s.data.kind) },
      { key: 'data.ratio', label: 'Minority', type: 'range', ...linear(0.05, 1, 0.05), format: pct, show: (s) => s.data.kind === 'imbalanced' },
      { key: 'data.n', label: 'Points', type: 'range', ...logarithmic(10, 5000), show: (s) => s.data.kind !== 'custom' },
      { key: 'data.noise', label: 'Noise', type: 'range', ...linear(0, 1, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      { key: 'data.missing', label: 'Missing cells', type: 'range', ...linear(0, 0.5, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      { key: 'data.outliers', label: 'Outliers', type: 'range', ...linear(0, 0.5, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      {
        key: 'data.outlier_rule',
        label: 'Detect',
        type: 'select',
        options: [[null, 'no outlier rule'], [{ kind: 'z_score', threshold: 3 }, 'z-score > 3'], [{ kind: 'iqr', factor: 1.5 }, 'IQR × 1.5 (Tukey)']],
      },
      {
        key: 'data.outlier_action',
        label: 'Then',
        type: 'select',
        options: [['keep', 'flag them (red ring)'], ['clip', 'clip to the bounds'], ['remove', 'leave out (training)']],
        show: (s) => s.data.outlier_rule != null,
      },
      {
        key: 'data.scaling',
        label: 'Rescale',
        type: 'select',
        options: [['none', 'no'], ['standardize', 'standardise'], ['min_max', 'min-max [0, 1]'], ['log', 'log'], ['log_shifted', 'log(1 + x − min)']],
      },
      { key: 'data.drop_features', label: 'Use', type: 'feature-toggles', show: (s, scene, report) => (report?.features?.length ?? 0) >= 2 },
      { key: 'test_ratio', label: 'Test share', type: 'range', ...linear(0, 0.9, 0.05), format: pct },
      { key: 'data.seed', label: 'Seed', type: 'number', min: 0, max: 4294967295 },
      {
        key: 'new-data',
        label: '↻ New random sample',
        type: 'button',
        apply: (s) => ((s.data.seed = Math.floor(Math.random() * 1e9)), (s.edits = []), s),
      },
      { key: 'clear-edits', label: 'Clear my edits', type: 'button', apply: (s) => ((s.edits = []), s), show: (s) => s.edits.length > 0 },
    ],
  },
  {
    section: 'Model',
    items: [
      { key: 'model.kind', label: 'Model', type: 'select', options: (s, scene) => MODELS[isClassification(s, scene) ? 'classification' : 'regression'] },
      // the model's own controls and the gradient-training ones come from the wasm's descriptor
      // (setModelControls, from www/model-controls.js)
      // a network preset that shows why residual connections matter
      {
        key: 'preset-deep',
        label: 'Preset: deep narrow sigmoid net (8 × 4)',
        type: 'button',
        title: 'Eight sigmoid layers of four neurons, plain SGD: it stalls; tick “Residual connections” and it trains',
        apply: (s) => ((s.model = {
          kind: 'mlp',
          hidden_layers: Array.from({ length: 8 }, () => ({ neurons: 4, activation: 'sigmoid' })),
          residual: false,
          train: { learning_rate: 0.1, batch_size: 16, optimizer: { kind: 'sgd' } },
        }), (s.steps_per_frame = 5), s),
        show: kind('mlp'),
      },
    ],
  },
  {
    section: 'View',
    items: [
      { key: 'view.residuals', label: 'Residuals', type: 'checkbox', show: (s, scene) => !isClassification(s, scene) },
      { key: 'view.band', label: '±RMSE band', type: 'checkbox', show: (s, scene) => !isClassification(s, scene) },
      { key: 'view.show_test', label: 'Test points', type: 'checkbox' },
      { key: 'view.log_loss', label: 'Log-scale loss', type: 'checkbox' },
    ],
  },
];

/**
 * Puts the model controls built from the wasm's descriptor into the Model section, after the model
 * choice (replacing any put there before).
 * @param {Control[]} items
 */
export function setModelControls(items) {
  const section = CONTROLS.find((c) => c.section === 'Model');
  if (!section) return;
  const own = section.items.filter((c) => !c.fromDescriptor);
  section.items = [own[0], ...items.map((c) => ({ ...c, fromDescriptor: true })), ...own.slice(1)];
}

/** An attribute's text as a number, or an error saying it is not one. */
function number(/** @type {string} */ text) {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error('is not a number');
  return v;
}
/** An attribute's text as a whole number, or an error saying it is not one. */
function integer(/** @type {string} */ text) {
  const v = number(text);
  if (!Number.isInteger(v) || v < 0) throw new Error('is not a whole number');
  return v;
}

/** Attribute name → state path and parser (which throws a readable error for bad text). */
/** @type {Record<string, [path: string, parse: (text: string) => unknown]>} */
const ATTRIBUTES = {
  dataset: ['data.kind', String],
  points: ['data.n', integer],
  noise: ['data.noise', number],
  seed: ['data.seed', integer],
  model: ['model.kind', String],
  solver: ['model.solver', String],
  degree: ['model.degree', integer],
  ridge: ['model.ridge', number],
  'learning-rate': ['model.train.learning_rate', number],
  'steps-per-frame': ['steps_per_frame', integer],
};

/**
 * What the given attributes set, in this order: the data set, the model (it resets the model's
 * fields), then the settings. Each entry has the attribute's name and text, and either the state
 * path and value it sets or why its text was not understood.
 * @param {Record<string, string | null | undefined>} attrs
 * @returns {{ name: string, text: string, path: string, value?: unknown, error?: string }[]}
 */
export function attributePatch(attrs) {
  const out = [];
  for (const [name, [path, parse]] of Object.entries(ATTRIBUTES)) {
    const text = attrs[name];
    if (text == null) continue;
    try {
      out.push({ name, text, path, value: parse(text) });
    } catch (err) {
      out.push({ name, text, path, error: /** @type {Error} */ (err).message });
    }
  }
  return out;
}
