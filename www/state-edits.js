// @ts-check
// Changes to a state that the page makes itself: one setting with what follows from it, the
// embed attributes applied one by one (a bad one named and left out), and the fallbacks tried
// when a state passes checkState but its session cannot be built.
import { attributePatch, isClassification } from './controls.js';
import { MODELS } from './models.js';
import { capitalise, clone, set } from './util.js';

/** @typedef {import('./types.js').State} State */
/** @typedef {import('./types.js').Wasm} Wasm */
/** @typedef {{ state: State, note: string }} Fallback a state to try when the last one could not be built, and what it left out */

/** The model for a task when the current one cannot learn it. */
function suitedModel(/** @type {State} */ state) {
  const task = isClassification(state) ? 'classification' : 'regression';
  return MODELS[task].some(([k]) => k === state.model?.kind) ? state.model : { kind: MODELS[task][0][0] };
}

/**
 * Sets one setting of `state`, with what follows from it: a new model kind starts from its
 * defaults; another dataset uses all its features and a model that can learn its task.
 * @param {State} state
 * @param {string} path
 * @param {unknown} value
 */
export function setSetting(state, path, value) {
  if (path === 'model.kind') {
    state.model = { kind: String(value) };
    return;
  }
  const wasClassification = state.data && isClassification(state);
  set(state, path, value);
  // Left-out features are indices into one dataset's columns: another dataset starts with all.
  if (path === 'data.kind' && state.data) state.data.drop_features = [];
  if (path === 'data.kind' && value !== 'custom') {
    state.model = suitedModel(state);
    if (wasClassification !== isClassification(state)) state.edits = [];
  }
}

/**
 * A state with the given attributes applied, one by one: an attribute whose text is not
 * understood or whose value the state refuses is left out and named in `problems`.
 * @param {Wasm} wasm
 * @param {State} base
 * @param {Record<string, string | null | undefined>} attrs
 */
export function applyAttributes(wasm, base, attrs) {
  let state = clone(base);
  /** @type {string[]} */
  const problems = [];
  for (const { name, text, path, value, error } of attributePatch(attrs)) {
    const said = `the attribute ${name}="${text}"`;
    if (error) {
      problems.push(`${said} ${error}`);
      continue;
    }
    const trial = clone(state);
    setSetting(trial, path, value);
    try {
      state = wasm.checkState(trial);
    } catch (err) {
      problems.push(`${said}: ${/** @type {Error} */ (err).message}`);
    }
  }
  if (problems.length) problems[0] = capitalise(problems[0]);
  return { state, problems };
}

/**
 * What to try when a state passes checkState but its session cannot be built (a left-out
 * feature list or an edit that does not fit the data): first without the edits, then with every
 * feature, then both, then with the data set's default settings, then with the default data,
 * then the default playground. Each keeps the rest of the state.
 * @param {Wasm} wasm
 * @param {State} state
 * @returns {Fallback[]}
 */
export function fallbacksFor(wasm, state) {
  /** @type {[unknown, string][]} */
  const tries = [
    [{ ...state, edits: [] }, 'Your edits of the data were left out; the rest of the settings were kept.'],
    [{ ...state, data: { ...state.data, drop_features: [] } }, 'Every feature is used again; the rest of the settings were kept.'],
    [{ ...state, edits: [], data: { ...state.data, drop_features: [] } }, 'Every feature is used again and your edits were left out; the rest of the settings were kept.'],
    [{ ...state, edits: [], data: { kind: state.data.kind } }, 'The data was reset to the data set’s defaults; the rest of the settings were kept.'],
    [{ ...state, edits: [], data: {} }, 'The default data was loaded instead; the rest of the settings were kept.'],
    [{}, 'The default playground was loaded instead.'],
  ];
  /** @type {Fallback[]} */
  const out = [];
  const seen = new Set([JSON.stringify(state)]);
  for (const [candidate, note] of tries) {
    /** @type {State} */
    let checked;
    try {
      checked = wasm.checkState(candidate);
    } catch {
      continue;
    }
    if (checked.data.kind !== 'custom') checked.model = suitedModel(checked);
    const key = JSON.stringify(checked);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ state: checked, note });
  }
  return out;
}
