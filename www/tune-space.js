// @ts-check
// Which settings of the current model the Tune panel can search, and over what, read from the
// wasm's model descriptor (`models()`, the same data as the model panel): a select of numbers
// becomes an integer or real range over its offered values (on a log scale when they span two
// decades: rates, λ, C), a select of words or a checkbox a categorical, a slider its own range, a
// network's hidden layers one neuron count per layer. Each entry is one parameter of the engine's
// search space (`{ path, type, low, high, log }` or `{ path, type: 'categorical', choices }`).
import { applies } from './model-controls.js';

/** @typedef {import('./model-controls.js').Descriptor} Descriptor */
/** @typedef {import('./model-controls.js').Control} Control */
/**
 * A searchable setting: the engine's parameter and how the panel labels it (`label` a catalog key,
 * `n` the layer of a neuron count).
 * @typedef {{ path: string, type: 'int' | 'uniform' | 'log_uniform' | 'categorical', low?: number, high?: number,
 *   log?: boolean, choices?: any[], label: string, n?: number }} Candidate
 */

/** @param {any} obj @param {string} path */
const get = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

/**
 * The parameter a control offers, or null when it is not searched (toggles, a list from the views).
 * @param {Control} c @returns {Candidate | null}
 */
function fromControl(c) {
  const label = `model.${c.path}`;
  if (c.type === 'checkbox') return { path: c.path, type: 'categorical', choices: [false, true], label };
  if (c.type === 'range') {
    const [low, high, step] = [c.min ?? 0, c.max ?? 1, c.step ?? 1];
    if (step === 1 && Number.isInteger(low)) return { path: c.path, type: 'int', low, high, label };
    return { path: c.path, type: 'uniform', low, high, label };
  }
  if (c.type !== 'select' || c.from_view) return null;
  const options = c.options ?? [];
  const numbers = options.filter((v) => typeof v === 'number');
  if (numbers.length >= 2 && numbers.length >= options.length - 1) {
    // a number, or "none" (unlimited depth): the range of the numbers; 0 (no penalty) left out
    // of a log range
    const positive = numbers.filter((v) => v > 0);
    const wide = positive.length >= 2 && Math.max(...positive) / Math.min(...positive) >= 100;
    const values = wide ? positive : numbers;
    const [low, high] = [Math.min(...values), Math.max(...values)];
    if (values.every(Number.isInteger)) return { path: c.path, type: 'int', low, high, log: wide, label };
    return { path: c.path, type: wide ? 'log_uniform' : 'uniform', low, high, label };
  }
  if (options.every((v) => v === null || typeof v !== 'object')) {
    return { path: c.path, type: 'categorical', choices: options, label };
  }
  return null;
}

/**
 * The settings of `model` (its params, as in the state) the panel can search: its family's
 * controls that apply, its hidden layers' sizes, and the shared gradient-training controls when
 * it trains by gradient descent.
 * @param {Descriptor} descriptor @param {any} model @param {boolean} classification
 * @returns {Candidate[]}
 */
export function candidates(descriptor, model, classification) {
  const family = descriptor.families.find((f) => f.kind === model.kind);
  if (!family) return [];
  /** @type {Candidate[]} */
  const out = [];
  for (const c of family.controls) {
    if (!applies(c.show, model, classification)) continue;
    if (c.type === 'layers') {
      const layers = get(model, c.path);
      if (Array.isArray(layers)) {
        layers.forEach((_, i) =>
          out.push({ path: `${c.path}.${i}.neurons`, type: 'int', low: 1, high: c.max_neurons ?? 32, log: true, label: 'tune.param.neurons', n: i + 1 }));
      }
      continue;
    }
    const p = fromControl(c);
    if (p) out.push(p);
  }
  if (applies(family.gradient, model, classification)) {
    for (const c of descriptor.train_controls) {
      if (!applies(c.show, model, classification)) continue;
      const p = fromControl(c);
      if (p) out.push(p);
    }
  }
  return out;
}

/**
 * The engine's parameter for a candidate with the learner's range (`low`, `high`, `log`).
 * @param {Candidate} c @param {{ low?: number, high?: number, log?: boolean }} [range]
 */
export function toParam(c, range = {}) {
  if (c.type === 'categorical') return { path: c.path, type: 'categorical', choices: c.choices };
  const low = range.low ?? c.low;
  const high = range.high ?? c.high;
  const log = range.log ?? (c.type === 'log_uniform' || !!c.log);
  if (c.type === 'int') return { path: c.path, type: 'int', low, high, log };
  return { path: c.path, type: log ? 'log_uniform' : 'uniform', low, high };
}
