// @ts-check
// The training Web Worker: owns one wasm instance and one Session, and answers typed messages.
//
// main → worker: { id, type: 'init' | 'configure', state }
//                { id, type: 'step', epochs }   { id, type: 'fit' }   { id, type: 'reset' }
//                { id, type: 'edit', edit }     { id, type: 'grow', growth }   { id, type: 'snapshot' }
//                { id, type: 'import', bytes, xColumns, target, hint }   { id, type: 'export' }
//                { id, type: 'save-model' }   { id, type: 'open-model', file }   (a model file, parsed)
//                { id, type: 'onnx' }   { id, type: 'python' }
//                { id, type: 'compress-onnx' }   { id, type: 'compress-python' }   (the compressed model's; kind `<model>-compressed`)
//                { id, type: 'cv', spec: { k, stratified, metric } }   { type: 'cv-cancel' }
//                { id, type: 'tune-data' }   (the data the Tune panel's workers score trials on)
//                { id, type: 'compress', operation, maps }   (compress the model; `maps`: [w, h] of the compare maps)
//                { id, type: 'scrub', epoch }   { id, type: 'unscrub' }   (the time machine: show an earlier epoch's model)
//                { id, type: 'pin', epoch, maps }   { id, type: 'unpin' }   { id, type: 'pinned', maps }   (its compare view)
//                { id, type: 'compress-clear' }   { id, type: 'compare', maps }   { id, type: 'compress-curve', kind }
//                { type: 'watch', lock }   (first: hold this Web Lock for as long as the worker lives)
//                { type: 'wasm', module? }   (the page's compiled wasm, engine.js; without it, loads its own)
//                { type: 'predict', id, x, features }   (raw feature rows, row-major: the prediction service)
//                { type: 'memory' }   (how big this worker's wasm memory is: the memory benchmark)
//                every request may carry `samples` (how many curve samples the canvas wants) and
//                `surface` ([width, height] of the decision surface wanted, or null)
// worker → main: { type: 'ready' }   { type: 'watching' }   (the lock is held)   { type: 'memory', bytes }   { id, type: 'imported', report }   { id, type: 'csv', text }
//                { id, type: 'model-file', file }   (the model file, a plain object)
//                { id, type: 'onnx', bytes, kind }   (the ONNX file, with the preparation in front)
//                { id, type: 'python', text, kind }   (the Python script that rebuilds the model)
//                { id, type: 'cv', scores, total, done?, cancelled?, error?, fraction? }   (after each
//                fold; `fraction` of the fold under way, after each slice of its fit)
//                { id, type: 'tune-data', data?, error? }   (`Session.tuneData()`: rows, pipeline, seed)
//                { id, type: 'predictions', values?, error? }   (a 'predict' answered: no snapshot, nothing changed)
//                { id, type: 'snapshot', scene, surface: { width, height, pixels } | null,
//                  (a scene whose points are as in the last snapshot leaves out xs, ys, roles
//                  and classes and says `same_points: true`)
//                  thumbnails: { size, pixels } | null, report, views, history, state }
//                { id, type: 'compare', report, maps: { width, height, pixels } | null, times, error? }
//                  (after 'compress' and 'compare': the compare view, maps original | compressed | difference)
//                { id, type: 'compress-curve', kind, curve?, error? }   (computed a point at a time,
//                  other requests answered between slices)
//                { id, type: 'pinned', report, maps: { width, height, pixels } | null, error? }
//                  (after 'pin' and 'pinned': maps pinned | now | difference)
//                { id, type: 'error', kind, message }   (followed by a snapshot when a session exists)
// A trap or running out of memory leaves the wasm instance unusable: the worker reports it (kind
// 'trap') and closes itself; the page notices that the lock is free and starts a new worker.
import init, { Session } from './pkg/ml_playground.js';
import { workerModule } from './engine.js';
import { LIMITS } from './limits.js';
import { ROWS_PER_PART, SLICE_MS, runSliced } from './time-slice.js';

/** @typedef {import('./types.js').WorkerReply} WorkerReply */
/** @typedef {import('./types.js').CvSpec} CvSpec */

/** This worker's global scope (typed loosely: the page's DOM types are not a worker's). */
const scope = /** @type {{ postMessage: (msg: WorkerReply, transfer?: Transferable[]) => void, onmessage: ((event: MessageEvent) => void) | null }} */ (
  /** @type {unknown} */ (self)
);
const postMessage = (/** @type {WorkerReply} */ msg, /** @type {Transferable[]} */ transfer = []) => scope.postMessage(msg, transfer);

const wasm = workerModule(init);
const ready = wasm.ready;
/** @type {Session | null} */
let session = null;
let samples = 512;
/** @type {number[] | null} [width, height] of the decision surface the page wants, or null */
let surface = null;
const THUMBNAIL_SIZE = 40;

/** The session, or an error saying there is none (its creation failed). */
function current() {
  if (!session) throw new Error('there is no session');
  return session;
}

/** The arrays that say where the points are and what they are (a training step changes none). */
const POINT_ARRAYS = /** @type {const} */ (['xs', 'ys', 'roles', 'classes']);
/** @type {Record<string, ArrayLike<number>> | null} the point arrays of the last snapshot sent */
let sentPoints = null;

/** Whether two typed arrays hold the same values. */
function sameValues(/** @type {ArrayLike<number>} */ a, /** @type {ArrayLike<number>} */ b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Leaves out of `scene` the point arrays that are as last sent, marking it `same_points`: the
 * page keeps the last ones it received (worker-client.js). Copying 100,000 points to the page at
 * every training frame cost its main thread tens of milliseconds.
 * @param {Record<string, any>} scene
 */
function leaveOutSamePoints(scene) {
  const last = sentPoints;
  if (last && POINT_ARRAYS.every((k) => sameValues(scene[k], last[k]))) {
    for (const k of POINT_ARRAYS) delete scene[k];
    scene.same_points = true;
  } else {
    sentPoints = Object.fromEntries(POINT_ARRAYS.map((k) => [k, scene[k]]));
  }
}

function snapshot(/** @type {number} */ id) {
  const session = current();
  const size = surface;
  const scene = size ? session.scene(samples, size[0], size[1]) : session.scene(samples);
  leaveOutSamePoints(scene);
  const pixels = size ? session.takeSurface() : undefined;
  const thumbnails = session.neuronThumbnails(THUMBNAIL_SIZE);
  const msg = {
    id,
    type: 'snapshot',
    scene,
    thumbnails: thumbnails.length ? { size: THUMBNAIL_SIZE, pixels: thumbnails } : null,
    surface: pixels && size ? { width: size[0], height: size[1], pixels } : null,
    report: session.report(),
    views: session.views(),
    history: session.history(),
    state: session.state(),
  };
  /** @type {Transferable[]} */
  const transfer = [];
  if (pixels) transfer.push(pixels.buffer);
  if (thumbnails.length) transfer.push(thumbnails.buffer);
  postMessage(/** @type {WorkerReply} */ (msg), transfer);
}

function handle(/** @type {any} */ msg) {
  if (msg.samples) samples = Math.max(2, Math.min(LIMITS.curveSamples, msg.samples | 0));
  if ('surface' in msg) surface = Array.isArray(msg.surface) ? msg.surface.map((/** @type {number} */ v) => Math.max(2, Math.min(LIMITS.surfaceSide, v | 0))) : null;
  switch (msg.type) {
    case 'init':
      session = new Session(msg.state);
      break;
    case 'configure':
      if (session) session.setState(msg.state);
      else session = new Session(msg.state);
      break;
    case 'step': {
      // in slices: a long request answers within SLICE_MS with the epochs done, even mid-epoch
      // (time-slice.js)
      const s = current();
      runSliced(() => (s.advance(ROWS_PER_PART) ? 1 : 0), Math.max(1, Math.min(LIMITS.epochsPerStep, msg.epochs | 0)));
      break;
    }
    case 'fit':
      current().fitNow();
      break;
    case 'reset':
      current().reset();
      break;
    case 'edit':
      current().edit(msg.edit);
      break;
    case 'grow':
      current().grow(msg.growth);
      break;
    case 'import': {
      const report = current().importCsv(msg.bytes, Uint32Array.from(msg.xColumns), msg.target, msg.hint);
      postMessage({ id: msg.id, type: 'imported', report });
      break;
    }
    case 'export':
      postMessage({ id: msg.id, type: 'csv', text: current().exportCsv() });
      break;
    case 'save-model':
      postMessage({ id: msg.id, type: 'model-file', file: current().saveModel() });
      break;
    case 'onnx': {
      const bytes = current().toOnnx();
      postMessage({ id: msg.id, type: 'onnx', bytes, kind: current().state().model.kind }, [bytes.buffer]);
      break;
    }
    case 'python':
      postMessage({ id: msg.id, type: 'python', text: current().toPython(), kind: current().state().model.kind });
      break;
    case 'compress-onnx': {
      const bytes = current().compressedToOnnx();
      postMessage({ id: msg.id, type: 'onnx', bytes, kind: `${current().state().model.kind}-compressed` }, [bytes.buffer]);
      break;
    }
    case 'compress-python':
      postMessage({ id: msg.id, type: 'python', text: current().compressedToPython(), kind: `${current().state().model.kind}-compressed` });
      break;
    case 'open-model':
      current().openModel(msg.file);
      break;
    case 'compress':
      current().compress(msg.operation);
      break;
    case 'compress-clear':
      current().clearCompressed();
      break;
    case 'scrub':
      current().scrub(Number(msg.epoch));
      break;
    case 'unscrub':
      current().unscrub();
      break;
    case 'pin':
      current().pin(Number(msg.epoch));
      break;
    case 'unpin':
      current().unpin();
      break;
    case 'snapshot':
      break;
    default:
      throw new Error(`unknown message type ${msg.type}`);
  }
}

// A cross-validation runs in tasks of one time slice each (a fold's fit cut in parts), so a
// cancel message gets in between slices, within a fold too.
/** @type {{ id: number, spec: CvSpec, scores: number[] } | null} */
let cv = null;
function runFold() {
  const job = cv;
  if (!job) return;
  try {
    const s = current();
    /** @type {number | undefined} */
    let score;
    runSliced(() => {
      score = s.cvFoldPart(job.spec, job.scores.length, ROWS_PER_PART);
      return score === undefined ? 0 : 1;
    }, 1, SLICE_MS);
    if (score === undefined) {
      postMessage({ id: job.id, type: 'cv', scores: job.scores, total: job.spec.k, fraction: s.cvFoldProgress() });
      setTimeout(runFold, 0);
      return;
    }
    job.scores.push(score);
  } catch (err) {
    cv = null;
    if (fatal(err)) return die(job.id, err);
    const e = /** @type {{ message?: string, code?: string, values?: Record<string, unknown> }} */ (err);
    postMessage({ id: job.id, type: 'cv', error: { message: e.message ?? String(err), code: e.code, values: e.values }, scores: job.scores, total: job.spec.k });
    return;
  }
  const done = job.scores.length === job.spec.k;
  postMessage({ id: job.id, type: 'cv', scores: job.scores, total: job.spec.k, done });
  if (done) cv = null;
  else setTimeout(runFold, 0);
}

/** The side of the plane each model's prediction time is measured on. */
const TIMED_SIDE = 256;

/** Milliseconds one prediction of the whole plane takes (repeated for at least 30 ms, at most 20 times). */
function timePlane(/** @type {Session} */ s, /** @type {'original' | 'compressed'} */ which) {
  s.predictPlane(which, TIMED_SIDE); // once untimed: the first call also grows the wasm's memory
  const start = performance.now();
  let runs = 0;
  do {
    s.predictPlane(which, TIMED_SIDE);
    runs += 1;
  } while (performance.now() - start < 30 && runs < 20);
  return (performance.now() - start) / runs;
}

/** Sends the compare view: its numbers, the three maps at `size` ([w, h]), each model's time. */
function postCompare(/** @type {number} */ id, /** @type {number[] | null | undefined} */ size) {
  const s = current();
  const report = s.compareReport();
  if (!report) {
    postMessage({ id, type: 'compare', report: null, maps: null, times: null });
    return;
  }
  const [w, h] = Array.isArray(size) ? size.map((v) => Math.max(2, Math.min(600, v | 0))) : [0, 0];
  const pixels = w && h ? s.compareSurfaces(w, h) : undefined;
  const times = { original: timePlane(s, 'original'), compressed: timePlane(s, 'compressed') };
  const maps = pixels ? { width: w, height: h, pixels } : null;
  // a regression: the two curves and their difference instead of maps
  const curves = !pixels && w ? s.compareCurves(Math.max(2, Math.min(1200, w))) : null;
  postMessage({ id, type: 'compare', report, maps, curves, times }, pixels ? [pixels.buffer] : []);
}

/** The id of the curve being computed in slices (a newer request takes over). */
let curveId = -1;

/**
 * Computes the curve begun, a point at a time, for SLICE_MS at most, then yields to the queue
 * (training steps and edits are answered between slices) and goes on; posts the curve when done.
 * @param {{ id: number, type: string, kind?: string }} msg
 */
function curveSlice(msg) {
  if (msg.id !== curveId) return;
  const s = current();
  const start = performance.now();
  let curve;
  do curve = s.compressCurvePart();
  while (curve === undefined && performance.now() - start < SLICE_MS);
  if (curve === undefined) setTimeout(() => compressReply(msg, true), 0);
  else postMessage({ id: msg.id, type: 'compress-curve', kind: String(msg.kind), curve });
}

/** Answers 'compare' (the compare view) or 'compress-curve' (one curve, in slices: `curveSlice`), an error as a reply of the same type. */
function compressReply(/** @type {{ id: number, type: string, maps?: number[], kind?: string }} */ msg, going = false) {
  try {
    if (msg.type === 'compare') postCompare(msg.id, msg.maps);
    else {
      if (!going) {
        curveId = msg.id;
        current().compressCurveBegin(msg.kind);
      }
      curveSlice(msg);
    }
  } catch (err) {
    if (fatal(err)) return die(msg.id, err);
    const e = /** @type {{ message?: string, code?: string, values?: Record<string, unknown> }} */ (err);
    const error = { message: e.message ?? String(err), code: e.code, values: e.values };
    if (msg.type === 'compare') postMessage({ id: msg.id, type: 'compare', error });
    else postMessage({ id: msg.id, type: 'compress-curve', kind: String(msg.kind), error });
  }
}

/** Sends the time machine's compare view: both score sets and the three maps at `size` ([w, h]). */
function postPinned(/** @type {number} */ id, /** @type {number[] | null | undefined} */ size) {
  try {
    const s = current();
    const report = s.pinReport();
    const [w, h] = Array.isArray(size) ? size.map((v) => Math.max(2, Math.min(600, v | 0))) : [0, 0];
    const pixels = report && w && h ? s.pinSurfaces(w, h) : undefined;
    const maps = pixels ? { width: w, height: h, pixels } : null;
    postMessage({ id, type: 'pinned', report: report ?? null, maps }, pixels ? [pixels.buffer] : []);
  } catch (err) {
    if (fatal(err)) return die(id, err);
    const e = /** @type {{ message?: string, code?: string, values?: Record<string, unknown> }} */ (err);
    postMessage({ id, type: 'pinned', error: { message: e.message ?? String(err), code: e.code, values: e.values } });
  }
}

/** A wasm trap (a panic, `unreachable`) or a failed memory growth: the instance is unusable. */
const fatal = (/** @type {unknown} */ err) =>
  err instanceof WebAssembly.RuntimeError || (err instanceof RangeError && /memory/i.test(err.message));

/** Reports a fatal error and ends this worker (its lock is released, so the page notices). */
function die(/** @type {number} */ id, /** @type {unknown} */ err) {
  postMessage({ id, type: 'error', kind: 'trap', message: `the model engine crashed (${/** @type {Error} */ (err).message})`, code: 'engine_crashed', values: { detail: /** @type {Error} */ (err).message } });
  session = null;
  /** @type {{ close: () => void }} */ (/** @type {unknown} */ (self)).close();
}

scope.onmessage = async (event) => {
  const msg = event.data;
  if (wasm.receive(msg)) return;
  if (msg.type === 'watch') {
    // The page waits for this lock: it is free again only when this worker has ended.
    navigator.locks?.request(msg.lock, () => {
      postMessage({ type: 'watching' });
      return new Promise(() => {});
    }).catch(() => {}); // refused (a third-party iframe): the page then does not watch this worker
    return;
  }
  const exports = /** @type {{ memory: WebAssembly.Memory }} */ (await ready);
  if (msg.type === 'memory') {
    postMessage({ type: 'memory', bytes: exports.memory.buffer.byteLength });
    return;
  }
  if (msg.type === 'cv' || msg.type === 'cv-cancel') {
    const running = cv;
    cv = null;
    session?.cvForget();
    if (running) postMessage({ id: running.id, type: 'cv', cancelled: true, scores: running.scores, total: running.spec.k });
    if (msg.type === 'cv' && session) {
      cv = { id: msg.id, spec: msg.spec, scores: [] };
      postMessage({ id: msg.id, type: 'cv', scores: [], total: msg.spec.k });
      setTimeout(runFold, 0);
    }
    return;
  }
  if (msg.type === 'predict') {
    try {
      const values = current().predictRaw(msg.x, msg.features);
      postMessage({ id: msg.id, type: 'predictions', values }, [values.buffer]);
    } catch (err) {
      if (fatal(err)) return die(msg.id, err);
      const e = /** @type {{ message?: string, code?: string, values?: Record<string, unknown> }} */ (err);
      postMessage({ id: msg.id, type: 'predictions', error: { message: e.message ?? String(err), code: e.code, values: e.values } });
    }
    return;
  }
  if (msg.type === 'tune-data') {
    try {
      const data = current().tuneData();
      postMessage({ id: msg.id, type: 'tune-data', data }, [data.x.buffer, data.y.buffer]);
    } catch (err) {
      if (fatal(err)) return die(msg.id, err);
      postMessage({ id: msg.id, type: 'tune-data', error: /** @type {Error} */ (err).message ?? String(err) });
    }
    return;
  }
  if (msg.type === 'compare' || msg.type === 'compress-curve') {
    compressReply(msg);
    return;
  }
  if (msg.type === 'pinned') {
    postPinned(msg.id, msg.maps);
    return;
  }
  let compressed = false;
  let pinned = false;
  try {
    handle(msg);
    compressed = msg.type === 'compress';
    pinned = msg.type === 'pin';
  } catch (err) {
    if (fatal(err)) return die(msg.id, err);
    const e = /** @type {{ kind?: string, message?: string, code?: string, values?: Record<string, unknown> }} */ (err);
    postMessage({ id: msg.id, type: 'error', kind: e.kind ?? 'internal', message: e.message ?? String(err), code: e.code, values: e.values });
  }
  try {
    if (session) snapshot(msg.id);
    if (session && compressed) compressReply({ id: msg.id, type: 'compare', maps: msg.maps });
    if (session && pinned) postPinned(msg.id, msg.maps);
  } catch (err) {
    if (fatal(err)) return die(msg.id, err);
    throw err;
  }
};

ready.then(
  () => postMessage({ type: 'ready' }),
  (/** @type {Error} */ err) => postMessage({ id: 0, type: 'error', kind: 'load', message: `the model engine failed to load: ${err.message}`, code: 'engine_failed', values: { detail: err.message } }),
);
