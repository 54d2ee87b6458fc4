// @ts-check
// The model kinds the page offers and the limits it respects, in one place. Today they are
// written here (copied from the Rust: src/model/, src/state.rs); `useDescriptor` replaces them with
// what the wasm describes once it exports a models() descriptor, so the page cannot drift from it.

/** @typedef {'regression' | 'classification'} Task */
/** @typedef {[kind: string, label: string]} ModelChoice */

/** The models that suit each task, the first being the default. */
export const MODELS = {
  /** @type {ModelChoice[]} */
  regression: [['linear', 'Linear regression'], ['tree', 'Decision tree'], ['mlp', 'Neural network']],
  /** @type {ModelChoice[]} */
  classification: [['logistic', 'Logistic regression'], ['tree', 'Decision tree'], ['mlp', 'Neural network']],
};

/** Limits the Rust side enforces; the page's controls stop at them. */
export const LIMITS = {
  /** Hidden layers of a neural network. */
  hiddenLayers: 8,
  /** Neurons in one hidden layer. */
  neurons: 32,
  /** Curve samples the scene may ask for. */
  curveSamples: 8192,
  /** Side of the decision surface in pixels. */
  surfaceSide: 4096,
  /** Epochs one step request may run. */
  epochsPerStep: 1000,
};

/**
 * Takes model kinds and limits from the wasm's descriptor when it has one; a descriptor of an
 * unexpected shape is ignored (the values above stay).
 * @param {unknown} descriptor `{ models?: { kind, label, tasks: Task[] }[], limits?: { [name]: number } }`
 */
export function useDescriptor(descriptor) {
  if (!descriptor || typeof descriptor !== 'object') return;
  const d = /** @type {{ models?: unknown, limits?: unknown }} */ (descriptor);
  if (Array.isArray(d.models)) {
    /** @type {Record<Task, ModelChoice[]>} */
    const byTask = { regression: [], classification: [] };
    for (const m of d.models) {
      if (!m || typeof m.kind !== 'string' || !Array.isArray(m.tasks)) return;
      for (const task of m.tasks) if (task in byTask) byTask[/** @type {Task} */ (task)].push([m.kind, String(m.label ?? m.kind)]);
    }
    if (byTask.regression.length && byTask.classification.length) Object.assign(MODELS, byTask);
  }
  if (d.limits && typeof d.limits === 'object') {
    const limits = /** @type {Record<string, unknown>} */ (d.limits);
    for (const key of /** @type {(keyof typeof LIMITS)[]} */ (Object.keys(LIMITS))) {
      const v = limits[key];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) LIMITS[key] = v;
    }
  }
}
