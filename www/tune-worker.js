// @ts-check
// A tuning worker: one of the Tune panel's pool (tune-pool.js). It holds a copy of the data and
// scores one trial at a time by k-fold cross-validation through the same preparation pipeline as
// the page's cross-validation (the JS API's `crossValidate`).
//
// main → worker: { type: 'wasm', module? }   (first: the page's compiled wasm, engine.js)
//                { type: 'data', x, n_features, y, n_classes, cv: { k, stratified, metric, seed, pipeline } }
//                { type: 'trial', id, params }
// worker → main: { type: 'ready' }   { type: 'result', id, score?, std?, error?, ms }
import init, { Dataset, crossValidate } from './pkg/ml_playground.js';
import { workerModule } from './engine.js';

const scope = /** @type {{ postMessage: (msg: unknown) => void, onmessage: ((event: MessageEvent) => void) | null }} */ (
  /** @type {unknown} */ (self)
);

const wasm = workerModule(init);
const ready = wasm.ready;
/** @type {Dataset | null} */
let data = null;
/** @type {Record<string, unknown>} */
let cv = {};

scope.onmessage = async (event) => {
  const msg = event.data;
  if (wasm.receive(msg)) return;
  await ready;
  if (msg.type === 'data') {
    data?.free();
    data = Dataset.fromArrays(msg.x, msg.n_features, msg.y, msg.n_classes ?? undefined);
    cv = msg.cv;
    return;
  }
  if (msg.type !== 'trial') return;
  const start = performance.now();
  try {
    if (!data) throw new Error('no data');
    const result = crossValidate(msg.params, data, cv);
    scope.postMessage({ type: 'result', id: msg.id, score: result.mean, std: result.std, ms: performance.now() - start });
  } catch (err) {
    const e = /** @type {{ message?: string }} */ (err);
    scope.postMessage({ type: 'result', id: msg.id, error: e.message ?? String(err), ms: performance.now() - start });
  }
};

ready.then(
  () => scope.postMessage({ type: 'ready' }),
  (/** @type {Error} */ err) => scope.postMessage({ type: 'result', id: -1, error: err.message, ms: 0 }),
);
