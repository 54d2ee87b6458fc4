// @ts-check
// The model kinds the page offers and the limits it respects, in one place, taken from the wasm's
// descriptor (`useDescriptor`, called once the wasm has loaded), so the page cannot drift from
// the Rust. Until then the model lists are empty (the controls are disabled while the wasm loads).
import { familiesFor, modelControls } from './model-controls.js';
import { isClassification, setModelControls } from './controls.js';
import { LIMITS } from './limits.js';

/** @typedef {'regression' | 'classification'} Task */
/** @typedef {[kind: string, label: string]} ModelChoice */

/** The models that suit each task, the first being the default (filled by `useDescriptor`). */
export const MODELS = {
  /** @type {ModelChoice[]} */
  regression: [],
  /** @type {ModelChoice[]} */
  classification: [],
};

/**
 * Every family's description by kind (filled by `useDescriptor`): the page lists a family's own
 * views (`views`) and offers growth (`growth`) from it.
 * @type {Map<string, import('./model-controls.js').Family>}
 */
export const FAMILIES = new Map();

/** Whether the family `kind` clusters (its descriptor's task is `clustering`): offered on data of
 * every task, scored by inertia, silhouette and the adjusted Rand index. */
export const isClustering = (/** @type {string} */ kind) => FAMILIES.get(kind)?.tasks.includes('clustering') ?? false;

/** The kinds of pictures the family `kind` makes besides its surface (its descriptor's `views`). */
export const familyViews = (/** @type {string} */ kind) => FAMILIES.get(kind)?.views ?? [];

/** Limits the Rust side enforces (limits.js: the worker imports them alone). */
export { LIMITS };

/** The wasm's model descriptor, once it has loaded (the Tune panel reads its controls). */
export const DESCRIPTOR = {
  /** @type {import('./model-controls.js').Descriptor | null} */
  current: null,
};

/**
 * Takes the model kinds and limits from the wasm's descriptor (`models()`, see
 * src/model/describe.rs) and puts the model controls it describes into the control panel.
 * @param {import('./model-controls.js').Descriptor} descriptor
 */
export function useDescriptor(descriptor) {
  FAMILIES.clear();
  for (const f of descriptor.families) FAMILIES.set(f.kind, f);
  DESCRIPTOR.current = descriptor;
  MODELS.regression = familiesFor(descriptor, false);
  MODELS.classification = familiesFor(descriptor, true);
  LIMITS.hiddenLayers = descriptor.limits.max_hidden_layers;
  LIMITS.neurons = descriptor.limits.max_neurons;
  setModelControls(modelControls(descriptor, isClassification));
}
