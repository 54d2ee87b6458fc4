// @ts-check
// The element's side of the training worker (www/worker.js): starts it, numbers every request,
// keeps the requests not yet answered, and hands each reply to the element with the request it
// answers. A request is answered by its snapshot or by an error (the worker sends no snapshot
// after an error when it has no session); a snapshot older than the latest change of state is
// stale: the worker's state in it is not the page's any more.
//
// A dead worker (terminated, closed, crashed, out of memory) sends no event, so each worker holds
// a Web Lock for as long as it lives and the client waits for that lock: when it is granted, the
// worker is gone, and `died` is called.
import { t } from './i18n.js';
import { scriptUrl } from './util.js';
import { sendModule, takeEarlyWorker } from './engine.js';

/** @typedef {import('./types.js').Request} Request */
/** @typedef {import('./types.js').WorkerReply} WorkerReply */
/** @typedef {import('./types.js').Snapshot} Snapshot */
/** @typedef {{ type: string, surface: [number, number] | null }} Sent */

/** The arrays of a scene a snapshot may leave out when they are as in the one before (worker.js). */
const POINT_ARRAYS = ['xs', 'ys', 'roles', 'classes'];

/** The worker's script: its bundle when this module runs from the element's bundle (index.html;
 * scripts/bundle.mjs makes both), else its module (embeds, tests), which imports the rest. */
const WORKER_SCRIPT = import.meta.url.endsWith('.bundle.js') ? './worker.bundle.js' : './worker.js';

/** Requests that change the worker's state: a reply to an earlier request is stale after them. */
const CHANGES = new Set(['init', 'configure', 'edit', 'grow', 'import', 'reset', 'open-model', 'compress', 'compress-clear', 'pin', 'unpin']);

/**
 * @typedef {{
 *   snapshot: (msg: Snapshot, request: Sent | undefined, stale: boolean) => void,
 *   error: (msg: { id: number, kind: string, message: string, code?: string, values?: Record<string, unknown> }) => void,
 *   other: (msg: WorkerReply) => void,
 *   failed: (text: string) => void,
 *   died: () => void,
 * }} Handlers
 */

export class WorkerClient {
  /**
   * @param {Handlers} handlers what to do with each kind of reply
   * @param {() => { samples: number, surface: [number, number] | null }} wants what every request
   *   asks for besides its own fields: curve samples and the decision surface's size
   */
  constructor(handlers, wants) {
    /** @type {Handlers} */
    this.handlers = handlers;
    this.wants = wants;
    /** @type {Worker | null} */
    this.worker = null;
    /** The id of the next request. */
    this.nextId = 1;
    /** @type {Map<number, Sent>} the requests in flight (not yet answered), by id */
    this.pending = new Map();
    /** @type {Map<number, Sent>} requests answered by an error, whose snapshot may still follow */
    this.failed = new Map();
    /** The id of the latest request that changes the worker's state. */
    this.latestChange = 0;
    /** @type {Record<string, unknown> | null} the point arrays of the last snapshot received */
    this.points = null;
  }

  /** How many requests are in flight. */
  get inflight() {
    return this.pending.size;
  }

  start() {
    this.points = null; // (a new worker sends its points in full)
    // (the page's early worker when there is one: it has its module already, or will)
    const early = takeEarlyWorker();
    const worker = early ?? new Worker(scriptUrl(new URL(WORKER_SCRIPT, import.meta.url)), { type: 'module' });
    const lock = `ml-playground-worker-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    worker.onmessage = (e) => {
      if (worker !== this.worker) return;
      if (e.data?.type === 'watching') this.watch(worker, lock);
      else this.receive(e.data);
    };
    worker.onerror = (e) => this.handlers.failed(t('msg.worker_failed', { reason: e.message }));
    this.worker = worker;
    worker.postMessage({ type: 'watch', lock });
    if (!early) sendModule(worker);
  }

  /** Calls `died` when the worker's lock is released (the worker has ended), unless it was stopped. */
  watch(/** @type {Worker} */ worker, /** @type {string} */ lock) {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    locks?.request(lock, () => {
      if (worker !== this.worker) return;
      this.worker = null;
      this.pending.clear();
      this.failed.clear();
      worker.terminate();
      this.handlers.died();
    }).catch(() => {
      // Web Locks refused (a third-party iframe where the browser partitions or denies them): a
      // worker that dies is then not noticed, but everything else works.
    });
  }

  stop() {
    const worker = this.worker;
    this.worker = null;
    this.pending.clear();
    this.failed.clear();
    worker?.terminate();
  }

  /** Sends a request with a fresh id and what the canvas wants; returns the id. */
  post(/** @type {Request} */ request) {
    const { samples, surface } = this.wants();
    const msg = { ...request, id: this.nextId++, samples, surface };
    if (!this.worker) return msg.id; // no worker: nothing will answer
    this.pending.set(msg.id, { type: msg.type, surface });
    if (CHANGES.has(msg.type)) this.latestChange = msg.id;
    this.worker?.postMessage(msg);
    return msg.id;
  }

  /** Sends a message outside the request/snapshot cycle (cross-validation, predictions); false when there is no worker. */
  send(/** @type {Record<string, unknown>} */ msg, /** @type {Transferable[]} */ transfer = []) {
    this.worker?.postMessage(msg, transfer);
    return Boolean(this.worker);
  }

  /** A fresh id for a message sent with `send`. */
  newId() {
    return this.nextId++;
  }

  receive(/** @type {WorkerReply} */ msg) {
    if (msg.type === 'snapshot') {
      // The worker leaves out points that are as in its last snapshot, which this one received
      // (every snapshot passes here, stale or not, in order): they are filled in from it.
      const scene = /** @type {Record<string, any>} */ (msg.scene);
      if (scene.same_points && this.points) Object.assign(scene, this.points);
      else this.points = Object.fromEntries(POINT_ARRAYS.map((k) => [k, scene[k]]));
      delete scene.same_points;
      const request = this.pending.get(msg.id) ?? this.failed.get(msg.id);
      this.pending.delete(msg.id);
      // Replies come in order: nothing older than this one will still be answered.
      for (const id of this.failed.keys()) if (id <= msg.id) this.failed.delete(id);
      this.handlers.snapshot(msg, request, msg.id < this.latestChange);
    } else if (msg.type === 'error') {
      const request = this.pending.get(msg.id);
      if (request) {
        this.pending.delete(msg.id);
        this.failed.set(msg.id, request);
      }
      this.handlers.error(msg);
    } else {
      this.handlers.other(msg);
    }
  }
}
