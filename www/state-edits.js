// @ts-check
// Changes to a state that the page makes itself: one setting with what follows from it, the
// element's first state (from a link or its attributes, a bad attribute named and left out), and
// the fallbacks tried when a state passes checkState but its session cannot be built.
import { attributePatch, isClassification } from './controls.js';
import { MODELS } from './models.js';
import { SAMPLES } from './csv-chooser.js';
import { encodeSource } from './data-source.js';
import { decodeState } from './state-url.js';
import { capitalise, clone, set } from './util.js';
import { t, wordError } from './i18n.js';

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
    if (error) {
      problems.push(t('msg.attribute', { name, text, error }));
      continue;
    }
    const trial = clone(state);
    setSetting(trial, path, value);
    try {
      state = wasm.checkState(trial);
    } catch (err) {
      problems.push(t('msg.attribute.refused', { name, text, error: wordError(/** @type {Error} */ (err)) }));
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
    [{ ...state, edits: [] }, t('msg.fallback.edits')],
    [{ ...state, data: { ...state.data, drop_features: [] } }, t('msg.fallback.features')],
    [{ ...state, edits: [], data: { ...state.data, drop_features: [] } }, t('msg.fallback.both')],
    [{ ...state, edits: [], data: { kind: state.data.kind } }, t('msg.fallback.data_defaults')],
    [{ ...state, edits: [], data: {} }, t('msg.fallback.default_data')],
    [{}, t('msg.fallback.default')],
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

/**
 * An element's first state: the encoded state of its link or state attribute when there is one
 * (`problem` says why it was refused, and the default is used), else its attributes applied one
 * by one (`problems` names those left out). A built-in real dataset named as a preset
 * (dataset="iris") makes the state one of imported data, with `sourceText` naming it.
 * @param {Wasm} wasm
 * @param {Record<string, string>} attributes
 * @param {string | null} encoded
 */
export function initialState(wasm, attributes, encoded) {
  const attrs = { ...attributes };
  const sample = SAMPLES.find((d) => d.id === attrs.dataset?.trim().toLowerCase().replace(/_/g, '-'));
  if (sample) delete attrs.dataset;
  const preset = applyAttributes(wasm, wasm.checkState({ data: { kind: 'linear' } }), attrs);
  /** @type {unknown} */
  let initial = preset.state;
  if (sample) {
    preset.state.data.kind = 'custom';
    if (!attrs.model) preset.state.model = { kind: MODELS[sample.hint === 'classification' ? 'classification' : 'regression'][0][0] };
  }
  /** @type {Error | null} */
  let problem = null;
  if (encoded) {
    try {
      initial = wasm.checkState(decodeState(encoded));
    } catch (err) {
      problem = /** @type {Error} */ (err);
    }
  }
  /** @type {State} */
  let state;
  try {
    state = wasm.checkState(initial);
  } catch (err) {
    problem ??= /** @type {Error} */ (err);
    state = wasm.checkState({});
  }
  const sourceText = sample && !encoded ? encodeSource({ kind: 'sample', id: sample.id }) : null;
  return { state, problems: preset.problems, problem, sourceText };
}
