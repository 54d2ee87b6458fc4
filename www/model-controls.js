// @ts-check
// The model panel from the wasm's descriptor (`models()`, see src/model/describe.rs): which
// families suit a task, and every family's controls in the controls-as-data form of controls.js
// ({ key, label, type, options, show }). Labels come from the message catalog, so a family added
// in Rust appears here with no page code: it needs only its catalog entries.
import { t, has } from './i18n.js';
import { linear } from './controls.js';

/**
 * @typedef {null | boolean | number | string | { [key: string]: any }} Value
 * @typedef {{ always?: boolean, task?: 'regression' | 'classification', path?: string,
 *   equals?: Value, differs?: Value, all?: Show[] }} Show
 * @typedef {{ path: string, type: 'select' | 'range' | 'toggles' | 'checkbox' | 'layers',
 *   options?: any[], from_view?: string, min?: number, max?: number, step?: number, max_layers?: number,
 *   max_neurons?: number, activations?: string[], show: Show }} Control
 * @typedef {{ kind: string, tasks: ('regression' | 'classification' | 'clustering')[], class_weight: boolean,
 *   gradient: Show, animation: 'epochs' | 'splits', views: string[], growth: string | null,
 *   controls: Control[] }} Family
 * @typedef {{ max_hidden_layers: number, max_neurons: number, max_points: number, max_csv_rows: number }} Limits
 * @typedef {{ families: Family[], train_controls: Control[], limits: Limits }} Descriptor
 */

/** @param {any} obj @param {string} path */
const get = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

/**
 * The catalog key part of an offered value: the value itself, an object's `kind` (or `on` when it
 * has none) followed by `+flag` for each flag that is set.
 * @param {Value} value
 */
export function valueKey(value) {
  if (value === null || typeof value !== 'object') return String(value);
  const flags = Object.entries(value).filter(([, v]) => v === true).map(([k]) => `+${k}`);
  return `${value.kind ?? 'on'}${flags.join('')}`;
}

/**
 * The label of a value offered at a params path: `option.<path>.<value>` in the catalog (objects
 * fill `{field}` from their fields), else the number or text itself.
 * @param {string} path @param {Value} value
 */
export function optionLabel(path, value) {
  const key = `option.${path}.${valueKey(value)}`;
  if (has(key)) return t(key, value !== null && typeof value === 'object' ? value : undefined);
  if (value === null) return t('option.none');
  // three significant digits, no trailing zeros (a pruning path's α is 0.0123, not 0.012345…)
  if (typeof value === 'number') return String(Number(value.toPrecision(3)));
  return String(value);
}

/**
 * The values of a select: those offered, with `from_view` the numbers the views hold at that
 * path, and the current value (a link or the JS API may set a number the list does not offer:
 * 60 trees), in increasing order when they are numbers.
 * @param {Control} c @param {any} model @param {any} views
 * @returns {Value[]}
 */
export function selectValues(c, model, views) {
  const offered = c.options ?? [];
  const current = get(model, c.path);
  const numbers = offered.length > 0 && offered.every((v) => typeof v === 'number');
  if (!c.from_view) {
    if (!numbers || typeof current !== 'number' || !Number.isFinite(current) || offered.includes(current)) return offered;
    return [...offered, current].sort((a, b) => Number(a) - Number(b));
  }
  const fromView = get(views, c.from_view);
  const all = new Set([...(Array.isArray(fromView) && fromView.length ? [offered[0], ...fromView] : offered), current ?? offered[0]]);
  return [...all].sort((a, b) => Number(a) - Number(b));
}

/** Whether two values are the same choice (objects compared by kind when `b` is text). */
function same(/** @type {any} */ a, /** @type {Value} */ b) {
  if (typeof b === 'string' && a !== null && typeof a === 'object') return a.kind === b;
  if (b !== null && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return (a ?? null) === b;
}

/**
 * Whether a control applies to this model on data of this task.
 * @param {Show} show @param {any} model @param {boolean} classification
 * @returns {boolean}
 */
export function applies(show, model, classification) {
  if (show.all) return show.all.every((s) => applies(s, model, classification));
  if (show.task) return (show.task === 'classification') === classification;
  if (show.path) {
    const value = get(model, show.path);
    return 'equals' in show ? same(value, show.equals ?? null) : !same(value, show.differs ?? null);
  }
  return show.always !== false;
}

/**
 * The families that learn a task, as [kind, label] pairs; the first is the task's default. A
 * family that clusters reads no targets, so it is offered for every task (after the others).
 * @param {Descriptor} descriptor @param {boolean} classification
 * @returns {[string, string][]}
 */
export function familiesFor(descriptor, classification) {
  const task = classification ? 'classification' : 'regression';
  return descriptor.families.filter((f) => f.tasks.includes(task) || f.tasks.includes('clustering')).map((f) => [f.kind, t(`family.${f.kind}`)]);
}

/**
 * One control of the model panel, in controls.js's form.
 * @param {Control} c @param {(s: any, scene?: any) => boolean} when
 */
function item(c, when) {
  /** @type {any} */
  const base = { key: `model.${c.path}`, label: t(`model.${c.path}`), show: when };
  switch (c.type) {
    case 'select': {
      const options = (/** @type {any} */ s, /** @type {any} */ _scene, /** @type {any} */ views) =>
        selectValues(c, s.model, views).map((v) => [v, optionLabel(c.path, v)]);
      return { ...base, type: 'select', options };
    }
    case 'range':
      return { ...base, type: 'range', min: c.min, max: c.max, step: c.step, ...linear(c.min ?? 0, c.max ?? 1, c.step ?? 1) };
    case 'toggles':
      return { ...base, type: 'toggles', options: (c.options ?? []).map((o) => [o, optionLabel(c.path, o)]) };
    case 'layers':
      return {
        ...base,
        type: 'layers',
        maxLayers: c.max_layers,
        maxNeurons: c.max_neurons,
        activations: (c.activations ?? []).map((a) => [a, optionLabel(c.path, a)]),
      };
    default:
      return { ...base, type: 'checkbox' };
  }
}

/**
 * The model panel's controls for every family, each shown only for its own family and when its
 * condition holds: the class-weight control (families that take weights, on classes), each
 * family's own controls, then the shared gradient-training controls where they apply.
 * `classification(s, scene)` says whether the current data has classes.
 * @param {Descriptor} descriptor @param {(s: any, scene?: any) => boolean} classification
 */
export function modelControls(descriptor, classification) {
  const items = [];
  const weighted = descriptor.families.filter((f) => f.class_weight).map((f) => f.kind);
  items.push({
    key: 'model.class_weight',
    label: t('model.class_weight'),
    type: 'select',
    options: [null, 'balanced'].map((v) => [v, optionLabel('class_weight', v)]),
    title: t('model.class_weight.title'),
    show: (/** @type {any} */ s, /** @type {any} */ scene) => weighted.includes(s.model.kind) && classification(s, scene),
  });
  for (const family of descriptor.families) {
    for (const c of family.controls) {
      items.push(item(c, (s, scene) => s.model.kind === family.kind && applies(c.show, s.model, classification(s, scene))));
    }
  }
  const gradient = (/** @type {any} */ s, /** @type {any} */ scene) => {
    const family = descriptor.families.find((f) => f.kind === s.model.kind);
    return !!family && applies(family.gradient, s.model, classification(s, scene));
  };
  for (const c of descriptor.train_controls) {
    items.push({ ...item(c, (s, scene) => gradient(s, scene) && applies(c.show, s.model, classification(s, scene))), training: true });
  }
  return items;
}
