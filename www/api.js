// @ts-check
// The JS API of ml-playground: the same ES module in the page, in a Web Worker and in Node 20.
//
//   import { load, Dataset, Model } from './www/api.js';
//   await load();                       // fetches (browser) or reads (Node) the wasm next to this file
//   const data = Dataset.generate({ kind: 'sine', n: 200, noise: 0.2, seed: 7 });
//   const model = new Model({ kind: 'linear', degree: 5 });
//   model.fit(data);
//   model.predict(new Float64Array([0, 1.5]), 1);   // Float64Array of predictions
//   prune(model, { sparsity: 0.8, data, fine_tune_epochs: 20 }); quantize(model, { bits: 8, activations: true, data });
//   distill(teacher, studentParams, data, { temperature: 4 }); ensemble(params, data, { members: 5 });
//   keepStages(boostedOrForest, 10);     // the first 10 stages (boosting) or trees (forest)
//
// Errors are thrown as JS Errors whose `message` is meant for a person (in English) and whose `kind`
// is one of invalid_parameter, invalid_data, singular, diverged, invalid_input, render; `code` and
// `values` say the same as data (`param_range` with { param, min, max, got }), for wording it in
// another language (`errorCodes()` lists every code with its English template). A model's
// `summary()` is data too (a code, values and its formula's terms): `summaryText(summary)` words it
// (`y = 2.00·x − 3.00`), `formulaTex(summary)` writes its formula as TeX.
import init, * as wasm from './pkg/ml_playground.js';

export { summaryText, formulaTex } from './summary.js';
/** The page's whole state (what a link or an element's `state` attribute carries). @typedef {import('./types.js').State} State */
/** A session's report: epoch, losses, metrics, the model's formula. @typedef {import('./types.js').Report} Report */
/** What `Session.scene` returns: the points and what to draw over them. @typedef {import('./types.js').Scene} Scene */
/** A worker's snapshot of a session (scene, report, views, history, state). @typedef {import('./types.js').Snapshot} Snapshot */

export { Dataset, Model, Session, canvasWords, errorCodes, checkState, compare, crossValidate, distill, ensemble, keepStages, layout, minimize, models, renderScene, renderLoss, setCanvasWords, tune, scoreTrial, nestedFold, tuneSurface, tuneImportance } from './pkg/ml_playground.js';

/** A pruned copy of a trained network, fine-tuned on `data` for `fine_tune_epochs` epochs:
 * `prune(model, { sparsity: 0.8, scope: 'global' | 'layer', structured: false, data, fine_tune_epochs: 20, steps: 1, seed: 1 })`.
 * The model passed in is not changed.
 * @param {import('./pkg/ml_playground.js').Model} model
 * @param {{ data?: import('./pkg/ml_playground.js').Dataset, sparsity?: number, scope?: 'global' | 'layer',
 *   structured?: boolean, fine_tune_epochs?: number, steps?: number, seed?: number }} [options] */
export function prune(model, options = {}) {
  const { data, ...rest } = options;
  return data ? wasm.pruneFineTuned(model, rest, data) : wasm.prune(model, rest);
}

/** A quantised copy of a trained network; with `activations: true` the hidden layers' outputs are
 * quantised too, their ranges read from `data` (the training rows):
 * `quantize(model, { bits: 8, per_channel: false, symmetric: true, activations: false, data })`.
 * @param {import('./pkg/ml_playground.js').Model} model
 * @param {{ data?: import('./pkg/ml_playground.js').Dataset, bits?: number, per_channel?: boolean,
 *   symmetric?: boolean, activations?: boolean }} [options] */
export function quantize(model, options = {}) {
  const { data, ...rest } = options;
  return data ? wasm.quantizeCalibrated(model, rest, data) : wasm.quantize(model, rest);
}

/** @type {Promise<void> | null} */
let loaded = null;

/** Node's `process`, when running in Node (read through globalThis: the page has no Node types). */
const nodeProcess = /** @type {{ process?: { versions?: { node?: string } } }} */ (globalThis).process;
/** A module name kept out of the page's type check (Node only). */
const FS = 'node:fs/promises';

/** Loads the wasm module once. `source` may be wasm bytes, a URL or a Response; by default the
 * file next to this module is used.
 * @param {BufferSource | URL | string | Response} [source] */
export function load(source) {
  if (!loaded) {
    loaded = (async () => {
      let input = source;
      if (input === undefined && nodeProcess?.versions?.node) {
        const { readFile } = await import(FS);
        input = await readFile(new URL('./pkg/ml_playground_bg.wasm', import.meta.url));
      }
      await init(input === undefined ? undefined : { module_or_path: /** @type {any} */ (input) });
    })();
  }
  return loaded;
}
