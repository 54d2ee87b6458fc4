// The training Web Worker: owns one wasm instance and one Session, and answers typed messages.
//
// main → worker: { id, type: 'init' | 'configure', state }
//                { id, type: 'step', epochs }   { id, type: 'fit' }   { id, type: 'reset' }
//                { id, type: 'edit', edit }     { id, type: 'grow', growth }   { id, type: 'snapshot' }
//                { id, type: 'import', bytes, xColumns, target, hint }   { id, type: 'export' }
//                { id, type: 'cv', spec: { k, stratified, metric } }   { type: 'cv-cancel' }
//                every request may carry `samples` (how many curve samples the canvas wants) and
//                `surface` ([width, height] of the decision surface wanted, or null)
// worker → main: { type: 'ready' }   { id, type: 'imported', report }   { id, type: 'csv', text }
//                { id, type: 'cv', scores, total, done?, cancelled?, error? }   (after each fold)
//                { id, type: 'snapshot', scene, surface: { width, height, pixels } | null,
//                  thumbnails: { size, pixels } | null, report, views, history, state }
//                { id, type: 'error', kind, message }   (followed by a snapshot when a session exists)
import init, { Session } from './pkg/ml_playground.js';

const ready = init();
let session = null;
let samples = 512;
let surface = null; // [width, height] of the decision surface the page wants, or null
const THUMBNAIL_SIZE = 40;

function snapshot(id) {
  const scene = surface ? session.scene(samples, surface[0], surface[1]) : session.scene(samples);
  const pixels = surface ? session.takeSurface() : undefined;
  const thumbnails = session.neuronThumbnails(THUMBNAIL_SIZE);
  const msg = {
    id,
    type: 'snapshot',
    scene,
    thumbnails: thumbnails.length ? { size: THUMBNAIL_SIZE, pixels: thumbnails } : null,
    surface: pixels ? { width: surface[0], height: surface[1], pixels } : null,
    report: session.report(),
    views: session.views(),
    history: session.history(),
    state: session.state(),
  };
  const transfer = [pixels?.buffer, thumbnails.length ? thumbnails.buffer : null].filter(Boolean);
  postMessage(msg, transfer);
}

function handle(msg) {
  if (msg.samples) samples = Math.max(2, Math.min(8192, msg.samples | 0));
  if ('surface' in msg) surface = Array.isArray(msg.surface) ? msg.surface.map((v) => Math.max(2, Math.min(4096, v | 0))) : null;
  switch (msg.type) {
    case 'init':
      session = new Session(msg.state);
      break;
    case 'configure':
      if (session) session.setState(msg.state);
      else session = new Session(msg.state);
      break;
    case 'step':
      session.step(Math.max(1, Math.min(1000, msg.epochs | 0)));
      break;
    case 'fit':
      session.fitNow();
      break;
    case 'reset':
      session.reset();
      break;
    case 'edit':
      session.edit(msg.edit);
      break;
    case 'grow':
      session.grow(msg.growth);
      break;
    case 'import': {
      const report = session.importCsv(msg.bytes, Uint32Array.from(msg.xColumns), msg.target, msg.hint);
      postMessage({ id: msg.id, type: 'imported', report });
      break;
    }
    case 'export':
      postMessage({ id: msg.id, type: 'csv', text: session.exportCsv() });
      break;
    case 'snapshot':
      break;
    default:
      throw new Error(`unknown message type ${msg.type}`);
  }
}

// A cross-validation runs one fold per task, so a cancel message can get in between folds.
let cv = null;
function runFold() {
  const job = cv;
  if (!job) return;
  try {
    job.scores.push(session.cvFold(job.spec, job.scores.length));
  } catch (err) {
    cv = null;
    postMessage({ id: job.id, type: 'cv', error: err.message ?? String(err), scores: job.scores, total: job.spec.k });
    return;
  }
  const done = job.scores.length === job.spec.k;
  postMessage({ id: job.id, type: 'cv', scores: job.scores, total: job.spec.k, done });
  if (done) cv = null;
  else setTimeout(runFold, 0);
}

self.onmessage = async (event) => {
  await ready;
  const msg = event.data;
  if (msg.type === 'cv' || msg.type === 'cv-cancel') {
    const running = cv;
    cv = null;
    if (running) postMessage({ id: running.id, type: 'cv', cancelled: true, scores: running.scores, total: running.spec.k });
    if (msg.type === 'cv' && session) {
      cv = { id: msg.id, spec: msg.spec, scores: [] };
      postMessage({ id: msg.id, type: 'cv', scores: [], total: msg.spec.k });
      setTimeout(runFold, 0);
    }
    return;
  }
  try {
    handle(msg);
  } catch (err) {
    postMessage({ id: msg.id, type: 'error', kind: err.kind ?? 'internal', message: err.message ?? String(err) });
  }
  if (session) snapshot(msg.id);
};

ready.then(
  () => postMessage({ type: 'ready' }),
  (err) => postMessage({ type: 'error', kind: 'load', message: `the model engine failed to load: ${err.message}` }),
);
