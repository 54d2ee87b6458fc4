// @ts-check
// The control panel as data: each control names the state path it edits, how to show it, and
// when it is visible. Adding a model's settings is adding entries here; the model kinds and the
// limits come from models.js.
import { MODELS } from './models.js';
import { t, wordError } from './i18n.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Scene} Scene */
/** @typedef {import('./types.js').Report} Report */
/** @typedef {import('./types.js').Views} Views */
/** @typedef {[value: unknown, label: string]} Option */
/**
 * What every control has: the state path it edits (or a name, for buttons), its label, an
 * optional tooltip and when it is shown; `training` marks the descriptor's shared
 * gradient-training controls (the Training section).
 * @typedef {{ key: string, label: string, title?: string, show?: (s: State, scene?: Scene, report?: Report) => boolean, fromDescriptor?: boolean, training?: boolean }} Base
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



/** The options of a select whose labels are catalog keys `<prefix>.<name>`. @returns {Option[]} */
const labelled = (/** @type {string} */ prefix, /** @type {[unknown, string][]} */ options) => options.map(([value, name]) => [value, t(`${prefix}.${name}`)]);

/** The model controls the wasm's descriptor gave (setModelControls), kept across relabelling. */
/** @type {Control[]} */
let modelItems = [];

/**
 * The settings, labelled in the current language: rebuilt by `labelControls` when the language
 * changes (`section` names a section for the code and for remembering whether its group is open;
 * `title` is what the page shows). A section whose controls are all hidden is not shown.
 * @type {{ section: string, title: string, items: Control[] }[]}
 */
export const CONTROLS = [];

/** Fills CONTROLS in the current language (at load and after a change of language). */
export function labelControls() {
  CONTROLS.splice(0, CONTROLS.length, ...sections());
}

/** @returns {{ section: string, title: string, items: Control[] }[]} */
function sections() {
  return [
  {
    section: 'data',
    title: t('data.section'),
    items: [
      {
        key: 'data.kind',
        label: t('data.kind'),
        type: 'select',
        groups: [
          [t('data.group.regression'), labelled('data.kind', [['linear', 'linear'], ['sine', 'sine'], ['polynomial', 'polynomial'], ['outliers', 'outliers']])],
          [t('data.group.classification'), labelled('data.kind', [['circle', 'circle'], ['xor', 'xor'], ['blobs', 'blobs'], ['spiral', 'spiral'],
            ['moons', 'moons'], ['separable', 'separable'], ['imbalanced', 'imbalanced']])],
          [t('data.group.yours'), labelled('data.kind', [['custom', 'custom']])],
        ],
      },
      { key: 'csv', label: t('data.csv'), type: 'csv' },
      { key: 'data.classes', label: t('data.classes'), type: 'range', ...linear(2, 5, 1), show: (s) => ['blobs', 'spiral'].includes(s.data.kind) },
      { key: 'data.ratio', label: t('data.ratio'), type: 'range', ...linear(0.05, 1, 0.05), format: pct, show: (s) => s.data.kind === 'imbalanced' },
      { key: 'data.n', label: t('data.n'), type: 'range', ...logarithmic(10, 5000), show: (s) => s.data.kind !== 'custom' },
      { key: 'data.noise', label: t('data.noise'), type: 'range', ...linear(0, 1, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      { key: 'data.missing', label: t('data.missing'), type: 'range', ...linear(0, 0.5, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      { key: 'data.outliers', label: t('data.outliers'), type: 'range', ...linear(0, 0.5, 0.01), format: pct, show: (s) => s.data.kind !== 'custom' },
      { key: 'data.seed', label: t('data.seed'), type: 'number', min: 0, max: 4294967295 },
      {
        key: 'new-data',
        label: t('data.new_sample'),
        type: 'button',
        apply: (s) => ((s.data.seed = Math.floor(Math.random() * 1e9)), (s.edits = []), s),
      },
      { key: 'clear-edits', label: t('data.clear_edits'), type: 'button', apply: (s) => ((s.edits = []), s), show: (s) => s.edits.length > 0 },
    ],
  },
  {
    section: 'preparation',
    title: t('data.section.preparation'),
    items: [
      {
        key: 'data.impute',
        label: t('data.impute'),
        type: 'select',
        options: labelled('data.impute', [[{ kind: 'drop_rows' }, 'drop_rows'], [{ kind: 'mean' }, 'mean'], [{ kind: 'median' }, 'median'],
          [{ kind: 'most_frequent' }, 'most_frequent'], [{ kind: 'knn', neighbours: 5 }, 'knn']]),
        show: (s) => s.data.kind === 'custom' || (s.data.missing ?? 0) > 0,
      },
      {
        key: 'data.resample',
        label: t('data.resample'),
        type: 'select',
        options: labelled('data.resample', [[{ kind: 'none' }, 'none'], [{ kind: 'under' }, 'under'], [{ kind: 'over' }, 'over'], [{ kind: 'smote', neighbours: 5 }, 'smote']]),
        show: (s, scene) => isClassification(s, scene),
      },
      {
        key: 'data.outlier_rule',
        label: t('data.outlier_rule'),
        type: 'select',
        options: labelled('data.outlier_rule', [[null, 'none'], [{ kind: 'z_score', threshold: 3 }, 'z_score'], [{ kind: 'iqr', factor: 1.5 }, 'iqr']]),
      },
      {
        key: 'data.outlier_action',
        label: t('data.outlier_action'),
        type: 'select',
        options: labelled('data.outlier_action', [['keep', 'keep'], ['clip', 'clip'], ['remove', 'remove']]),
        show: (s) => s.data.outlier_rule != null,
      },
      {
        key: 'data.scaling',
        label: t('data.scaling'),
        type: 'select',
        options: labelled('data.scaling', [['none', 'none'], ['standardize', 'standardize'], ['min_max', 'min_max'], ['log', 'log'], ['log_shifted', 'log_shifted']]),
      },
      { key: 'data.drop_features', label: t('data.drop_features'), type: 'feature-toggles', show: (s, scene, report) => (report?.features?.length ?? 0) >= 2 },
      { key: 'test_ratio', label: t('data.test_ratio'), type: 'range', ...linear(0, 0.9, 0.05), format: pct },
    ],
  },
  {
    section: 'model',
    title: t('data.section.model'),
    items: [
      { key: 'model.kind', label: t('model.kind'), type: 'select', options: (s, scene) => modelOptions(s, MODELS[isClassification(s, scene) ? 'classification' : 'regression']) },
      // the model's own controls come from the wasm's descriptor (setModelControls, from
      // www/model-controls.js); its gradient-training ones make the Training section
      ...modelItems.filter((c) => !c.training),
      // a network preset that shows why residual connections matter
      {
        key: 'preset-deep',
        label: t('data.preset_deep'),
        type: 'button',
        title: t('data.preset_deep.title'),
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
    section: 'training',
    title: t('data.section.training'),
    items: modelItems.filter((c) => c.training),
  },
  {
    section: 'view',
    title: t('data.section.view'),
    items: [
      { key: 'view.residuals', label: t('view.residuals'), type: 'checkbox', show: (s, scene) => !isClassification(s, scene) },
      { key: 'view.band', label: t('view.band'), type: 'checkbox', show: (s, scene) => !isClassification(s, scene) },
      { key: 'view.show_test', label: t('view.show_test'), type: 'checkbox' },
      { key: 'view.log_loss', label: t('view.log_loss'), type: 'checkbox' },
    ],
  },
  ];
}
labelControls();

/**
 * Puts the model controls built from the wasm's descriptor into the Model section, after the model
 * choice (replacing any put there before).
 * @param {Control[]} items
 */
export function setModelControls(items) {
  modelItems = items.map((c) => ({ ...c, fromDescriptor: true }));
  labelControls();
}

/** An attribute's text as a number, or an error saying it is not one. */
function number(/** @type {string} */ text) {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error(t('msg.attribute.not_number'));
  return v;
}
/** An attribute's text as a whole number, or an error saying it is not one. */
function integer(/** @type {string} */ text) {
  const v = number(text);
  if (!Number.isInteger(v) || v < 0) throw new Error(t('msg.attribute.not_integer'));
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
      out.push({ name, text, path, error: wordError(/** @type {Error} */ (err)) });
    }
  }
  return out;
}

/**
 * The model list for the data's task, plus the state's own family when it cannot learn that task
 * (a link or an embed can name one): the select then shows the model in use, and training says
 * why it cannot learn these data, rather than showing an empty select.
 * @param {any} s @param {[string, string][]} list
 * @returns {[string, string][]}
 */
function modelOptions(s, list) {
  const kind = s?.model?.kind;
  return !kind || list.some(([k]) => k === kind) ? list : [...list, [kind, t(`family.${kind}`)]];
}
