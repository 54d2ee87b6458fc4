// @ts-check
// A tuning worker: one of the Tune panel's pool (tune-pool.js), or the panel's picture worker. A
// pool worker holds a copy of the data and scores one trial at a time fold by fold through the
// same preparation pipeline as the page's cross-validation (`scoreTrial`: repeated k-fold, the
// median rule against the running medians it is sent, or successive halving against the values
// the earlier trials reached at each rung), or runs one outer fold of nested
// cross-validation (`nestedFold`). The picture worker fits what the pictures show from the trials
// (the Bayesian surrogate over two settings, the settings' importances), off the main thread.
//
// main → worker: { type: 'wasm', module? }   (first: the page's compiled wasm, engine.js)
//                { type: 'data', x, n_features, y, n_classes, scoring: { cv: { k, stratified, metric, seed, pipeline }, shuffle, repeats, prune, halving? } }
//                { type: 'trial', id, params, medians?, rungs? }
//                { type: 'nested', id, params, space, search: { strategy, trials, seed }, outer_k, fold }
//                { type: 'surface', id, input, x, y, nx, ny }   { type: 'importance', id, input, seed }
// worker → main: { type: 'ready' }
//                { type: 'result', id, score?, std?, running?, pruned?, folds?, rungs?, epochs?, error?, code?, error_values?, ms }
//                { type: 'result', id, picked, inner_best, outer, ms }   { type: 'result', id, surface | importance, ms }
import init, { Dataset, scoreTrial, nestedFold, tuneSurface, tuneImportance } from './pkg/ml_playground.js';
import { workerModule } from './engine.js';

const scope = /** @type {{ postMessage: (msg: unknown) => void, onmessage: ((event: MessageEvent) => void) | null }} */ (
  /** @type {unknown} */ (self)
);

const wasm = workerModule(init);
const ready = wasm.ready;
/** @type {Dataset | null} */
let data = null;
/** @type {Record<string, any>} */
let scoring = {};

/** The answer to one message (without its type and id). */
function answer(/** @type {any} */ msg) {
  if (msg.type === 'surface') return { surface: tuneSurface(msg.input, msg.x, msg.y, msg.nx, msg.ny) ?? null };
  if (msg.type === 'importance') return { importance: [...tuneImportance(msg.input, msg.seed)] };
  if (!data) throw new Error('no data');
  if (msg.type === 'nested') {
    return nestedFold(msg.params, msg.space, data, { ...msg.search, ...scoring, outer_k: msg.outer_k, fold: msg.fold });
  }
  const bars = scoring.halving ? { rungs: msg.rungs ?? [] } : { medians: msg.medians ?? null };
  const r = scoreTrial(msg.params, data, { ...scoring, ...bars });
  return { score: r.score ?? undefined, std: r.std ?? undefined, running: r.running, pruned: r.pruned, folds: r.folds,
    rungs: r.rungs ?? undefined, epochs: r.epochs ?? undefined };
}

scope.onmessage = async (event) => {
  const msg = event.data;
  if (wasm.receive(msg)) return;
  await ready;
  if (msg.type === 'data') {
    data?.free();
    data = Dataset.fromArrays(msg.x, msg.n_features, msg.y, msg.n_classes ?? undefined);
    scoring = msg.scoring;
    return;
  }
  if (!['trial', 'nested', 'surface', 'importance'].includes(msg.type)) return;
  const start = performance.now();
  try {
    scope.postMessage({ type: 'result', id: msg.id, ...answer(msg), ms: performance.now() - start });
  } catch (err) {
    // the code and values too, so the page words the error in the learner's language
    const e = /** @type {{ message?: string, code?: string, values?: unknown }} */ (err);
    scope.postMessage({ type: 'result', id: msg.id, error: e.message ?? String(err), code: e.code, error_values: e.values, ms: performance.now() - start });
  }
};

ready.then(
  () => scope.postMessage({ type: 'ready' }),
  (/** @type {Error} */ err) => scope.postMessage({ type: 'result', id: -1, error: err.message, ms: 0 }),
);
